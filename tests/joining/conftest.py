"""A site with a bilingual brand index, a verified applicant and province staff."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty
from wagtail.models import Locale

from joining.models import OrganisationApplication, private_storage
from organisations.models import Commune, Organisation, Sector
from organisations.services import (
    moderation_workflow_ensure,
    province_staff_group_ensure,
)
from tests.factories import UserFactory, valid_tax_code
from tests.factories.pages import BrandIndexPageFactory, home
from tests.factories.pdfs import clean_pdf


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    # The storage is lazy: forget the one built for another test's directory.
    private_storage._wrapped = empty
    yield settings.PRIVATE_MEDIA_ROOT
    private_storage._wrapped = empty


@pytest.fixture
def brand_indexes(site_pages):
    vi_index = BrandIndexPageFactory(parent=home(language="vi"), publish=True)
    en_index = vi_index.copy_for_translation(Locale.objects.get(language_code="en"))
    en_index.save_revision().publish()
    moderation_workflow_ensure(pages=[vi_index, en_index.page_ptr])
    return vi_index, en_index


def verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.fixture
def applicant(db):
    return verified_user()


@pytest.fixture
def staff(db):
    user = UserFactory()
    user.groups.add(province_staff_group_ensure())
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
