"""Validators for Vietnamese identifiers, with messages in the user's language."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.vn import mst

from core.digits import DIGIT

# 0-9 only (core.digits): Python's \d and str.isdigit() also accept
# full-width and other Unicode digits, which the tax authority's systems do not.
TAX_CODE_RE = re.compile(rf"{DIGIT}{{10}}(-{DIGIT}{{3}})?")


def validate_tax_code(value: str) -> None:
    """Accept a Vietnamese tax code (mã số thuế) whose check digit is right.

    The shape (10 digits, or 10 digits, '-', 3 digits for a branch) is ours,
    so the message can say exactly what to type; the check digit and the
    reserved blocks are python-stdnum's ``vn.mst`` rule, which follows the
    tax authority's algorithm rather than a copy of it we would have to keep.
    """
    if not isinstance(value, str) or not TAX_CODE_RE.fullmatch(value):
        raise ValidationError(
            _(
                "A tax code has 10 digits (0-9), or 10 digits, a hyphen and 3 digits "
                "for a branch, for example 1601234678 or 1601234678-001. "
                "No letters or spaces."
            ),
            code="invalid_tax_code",
        )
    if not mst.is_valid(value):
        raise ValidationError(
            _(
                "This tax code is not valid: its last digit does not match the "
                "others. Please copy it again from the business or cooperative "
                "registration certificate."
            ),
            code="invalid_tax_code_checksum",
        )
