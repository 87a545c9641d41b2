"""Validators for brand and product fields; messages are translated for editors."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Growing-area (PUC) and packing-house codes issued by the Plant Protection
# Department: country, then province/area letters, optional crop or commune
# segment, then a serial, e.g. "VN-AGLA-0012" or "VN-AG-TS-0005".
_FACILITY_CODE = re.compile(r"^VN-[A-Z]{2,6}(?:-[A-Z0-9]{1,6})?-[0-9]{3,6}$")

# Whole VND; the upper bounds stop typos such as an extra zero group and keep
# values far below Stripe's maximum amount.
MAX_PRICE_VND = 100_000_000
MAX_WEIGHT_GRAMS = 1_000_000


def validate_growing_area_code(value: str) -> None:
    if value and not _FACILITY_CODE.match(value):
        raise ValidationError(
            _(
                "Enter a growing-area code such as VN-AGLA-0012: “VN”, the area "
                "letters, an optional segment and a 3–6 digit serial, in capitals."
            ),
            code="invalid_growing_area_code",
        )


def validate_packing_house_code(value: str) -> None:
    if value and not _FACILITY_CODE.match(value):
        raise ValidationError(
            _(
                "Enter a packing-house code such as VN-AGPH-0045: “VN”, the area "
                "letters, an optional segment and a 3–6 digit serial, in capitals."
            ),
            code="invalid_packing_house_code",
        )


def validate_hex_colour(value: str) -> None:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, e.g. #1b5e20."),
            code="invalid_colour",
        )
