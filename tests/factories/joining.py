"""Applications to join, and applicants with a confirmed email."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile

from joining.models import OrganisationApplication
from organisations.models import Commune, Organisation, Sector
from tests.factories import UserFactory, valid_tax_code
from tests.factories.pdfs import clean_pdf


def verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def evidence_pdf(name: str = "dang-ky.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, clean_pdf(), content_type="application/pdf")


def form_data(**overrides) -> dict:
    data = {
        "kind": Organisation.Kind.COOPERATIVE,
        "legal_name": "Hợp tác xã Lúa Sạch Thoại Sơn",
        "trading_name": "HTX Lúa Sạch",
        "tax_code": valid_tax_code(900),
        "commune": str(Commune.objects.get(name="Long Xuyên").pk),
        "address": "12 Trần Hưng Đạo",
        "sector": Sector.RICE,
        "employees": "12",
        "annual_revenue": "5000000000",
        "total_capital": "",
        "contact_name": "Nguyễn Văn An",
        "phone": "0912345678",
    }
    data.update(overrides)
    return data


def submitted_application(applicant, *, tax_code=None, status=None, **fields):
    application = OrganisationApplication(
        kind=Organisation.Kind.COOPERATIVE,
        legal_name=fields.pop("legal_name", "Hợp tác xã Lúa Sạch Thoại Sơn"),
        trading_name=fields.pop("trading_name", "HTX Lúa Sạch"),
        tax_code=tax_code or valid_tax_code(900),
        commune=Commune.objects.get(name="Long Xuyên"),
        sector=Sector.RICE,
        employees=12,
        annual_revenue=5_000_000_000,
        contact_name="Nguyễn Văn An",
        phone="0912345678",
        applicant=applicant,
        language=fields.pop("language", "vi"),
        status=status or OrganisationApplication.Status.SUBMITTED,
        **fields,
    )
    application.evidence.save("dang-ky.pdf", evidence_pdf(), save=False)
    application.save()
    return application
