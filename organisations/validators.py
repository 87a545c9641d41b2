"""Validators for Vietnamese identifiers, with messages in the user's language."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: Python's \d and str.isdigit() also accept full-width and
# other Unicode digits, which the tax authority's systems do not.
TAX_CODE_RE = re.compile(r"[0-9]{10}(-[0-9]{3})?")


def validate_tax_code(value: str) -> None:
    """Accept 10 digits (a legal entity) or 10 digits, '-', 3 digits (a branch)."""
    if not isinstance(value, str) or not TAX_CODE_RE.fullmatch(value):
        raise ValidationError(
            _(
                "A tax code has 10 digits (0-9), or 10 digits, a hyphen and 3 digits "
                "for a branch, for example 1601234567 or 1601234567-001. "
                "No letters or spaces."
            ),
            code="invalid_tax_code",
        )
