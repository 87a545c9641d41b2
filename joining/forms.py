"""The application form: an organisation's details and its registration document."""

from __future__ import annotations

import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.digits import AsciiIntegerField, refuse_foreign_digits
from organisations.models import SECTOR_GROUPS, Commune
from organisations.sizing import size_class_for
from organisations.uploads import SafeDocumentField

from .models import OrganisationApplication

EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


class EvidenceField(SafeDocumentField):
    """The hardened document upload (content checked, PDFs parsed), PDF/JPEG/PNG only."""

    def to_python(self, data):
        f = forms.FileField.to_python(self, data)
        if f is None:
            return None
        extension = os.path.splitext(f.name)[1].lower()[1:]
        if extension not in EVIDENCE_EXTENSIONS:
            raise ValidationError(
                _(
                    "Upload the registration document as a PDF, JPEG or PNG file "
                    "(a scan or a clear photo)."
                ),
                code="invalid_extension",
            )
        return super().to_python(data)


class ApplicationForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.all(), label=_("Commune or ward")
    )
    evidence = EvidenceField(
        label=_("Registration document"),
        help_text=_(
            "The business or cooperative registration certificate: a PDF, or a "
            "JPEG or PNG photo, 15 MB at most. Only province staff see it."
        ),
    )
    dispute = forms.BooleanField(
        label=_("I dispute this claim: the tax code is ours"),
        required=False,
    )

    class Meta:
        model = OrganisationApplication
        fields = [
            "kind",
            "legal_name",
            "trading_name",
            "tax_code",
            "commune",
            "address",
            "sector",
            "employees",
            "annual_revenue",
            "total_capital",
            "contact_name",
            "phone",
            "evidence",
            "dispute",
            "dispute_statement",
        ]
        widgets = {"dispute_statement": forms.Textarea(attrs={"rows": 4})}
        field_classes = {
            "employees": AsciiIntegerField,
            "annual_revenue": AsciiIntegerField,
            "total_capital": AsciiIntegerField,
        }

    def __init__(self, *args, show_dispute: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tax_code"].widget.attrs.update(
            inputmode="numeric", autocomplete="off"
        )
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["phone"].validators.append(refuse_foreign_digits)
        if not show_dispute:
            # Asked for only once the tax code turned out to be held.
            del self.fields["dispute"]
            del self.fields["dispute_statement"]

    def clean(self):
        cleaned = super().clean()
        sector, employees = cleaned.get("sector"), cleaned.get("employees")
        if sector and employees is not None:
            try:
                size_class_for(
                    sector_group=SECTOR_GROUPS[sector],
                    employees=employees,
                    annual_revenue=cleaned.get("annual_revenue"),
                    total_capital=cleaned.get("total_capital"),
                )
            except ValueError as error:
                raise ValidationError(
                    _("Employees, revenue and capital cannot be negative.")
                ) from error
        return cleaned


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
