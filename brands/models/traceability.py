"""Where and when a product was grown and packed (mã số vùng trồng, packing house)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from ..validators import validate_growing_area_code, validate_packing_house_code


class TraceabilityRecord(Orderable):
    """Where and when a product (or one batch of it) was grown and packed."""

    page = ParentalKey(
        "brands.ProductPage",
        on_delete=models.CASCADE,
        related_name="traceability_records",
    )
    lot_number = models.CharField(
        _("batch or lot"), max_length=40, blank=True, help_text=_("Empty: every batch.")
    )
    growing_area_code = models.CharField(
        _("growing-area code"),
        max_length=40,
        blank=True,
        validators=[validate_growing_area_code],
        help_text=_("Mã số vùng trồng, e.g. VN-AGLA-0012."),
    )
    packing_house_code = models.CharField(
        _("packing-house code"),
        max_length=40,
        blank=True,
        validators=[validate_packing_house_code],
    )
    harvested_on = models.DateField(
        _("harvest or production date"), null=True, blank=True
    )
    producer = models.CharField(_("farm or producer"), max_length=160, blank=True)
    area_hectares = models.DecimalField(
        _("area (ha)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000)],
    )

    panels = [
        FieldRowPanel([FieldPanel("lot_number"), FieldPanel("harvested_on")]),
        FieldRowPanel(
            [FieldPanel("growing_area_code"), FieldPanel("packing_house_code")]
        ),
        FieldRowPanel([FieldPanel("producer"), FieldPanel("area_hectares")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("traceability record")

    def clean(self) -> None:
        super().clean()
        # Codes are printed in capitals; accept what editors type in lower case.
        self.growing_area_code = self.growing_area_code.strip().upper()
        self.packing_house_code = self.packing_house_code.strip().upper()
        for field, validator in (
            ("growing_area_code", validate_growing_area_code),
            ("packing_house_code", validate_packing_house_code),
        ):
            try:
                validator(getattr(self, field))
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from error
        if self.harvested_on and self.harvested_on > timezone.localdate():
            raise ValidationError(
                {"harvested_on": _("The harvest date cannot be in the future.")}
            )
