"""Certificates shown on brand and product pages (content, so revisioned)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..choices import CertificationKind

OCOP_VALIDITY_MONTHS = 36


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


class Certification(Orderable):
    """A certificate shown on a brand or product page (content, so revisioned)."""

    kind = models.CharField(
        _("certificate"), max_length=20, choices=CertificationKind.choices
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        null=True,
        blank=True,
        choices=[(3, "3★"), (4, "4★"), (5, "5★")],
        help_text=_("Only for OCOP certificates."),
    )
    number = models.CharField(_("certificate number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=160)
    issued_on = models.DateField(_("issue date"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "OCOP certificates are valid for 36 months; leave empty to compute."
        ),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("certificate document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("ocop_stars")]),
        FieldRowPanel([FieldPanel("number"), FieldPanel("issuer")]),
        FieldRowPanel([FieldPanel("issued_on"), FieldPanel("valid_until")]),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.kind == CertificationKind.OCOP:
            if not self.ocop_stars:
                errors["ocop_stars"] = _(
                    "Choose 3, 4 or 5 stars for an OCOP certificate."
                )
            if self.issued_on and self.valid_until is None:
                self.valid_until = add_months(self.issued_on, OCOP_VALIDITY_MONTHS)
            if (
                self.issued_on
                and self.valid_until
                and self.valid_until > add_months(self.issued_on, OCOP_VALIDITY_MONTHS)
            ):
                errors["valid_until"] = _(
                    "An OCOP certificate is valid for at most 36 months after its issue date."
                )
        elif self.ocop_stars:
            errors["ocop_stars"] = _("Stars apply to OCOP certificates only.")
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            errors["valid_until"] = _(
                "The expiry date cannot be before the issue date."
            )
        if self.issued_on and self.issued_on > timezone.localdate():
            errors["issued_on"] = _("The issue date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if (
            self.kind == CertificationKind.OCOP
            and self.issued_on
            and self.valid_until is None
        ):
            self.valid_until = add_months(self.issued_on, OCOP_VALIDITY_MONTHS)
        super().save(*args, **kwargs)


class BrandCertification(Certification):
    page = ParentalKey(
        "brands.BrandPage", on_delete=models.CASCADE, related_name="certifications"
    )

    class Meta(Certification.Meta):
        verbose_name = _("brand certificate")


class ProductCertification(Certification):
    page = ParentalKey(
        "brands.ProductPage", on_delete=models.CASCADE, related_name="certifications"
    )

    class Meta(Certification.Meta):
        verbose_name = _("product certificate")
