"""Numbers in input: the digits 0-9 only, refused with one message otherwise.

The one rule for every number a person types or a machine sends (quantities,
stock counts, tax codes, phone numbers, amounts, ids in form bodies, bank
feed amounts and timestamps): ASCII digits are read, any other Unicode digit
(full-width "１２３", Arabic-Indic "١٢٣", Devanagari "१२३", superscripts...)
is refused with a message that says what to type.

Why refuse rather than convert (NFKC, then ``unicodedata.decimal``):

- Python reads them silently and unevenly: ``int("１２")`` is 12 and ``\\d``
  and ``str.isdigit()`` match them, but ``[0-9]``, the database, the tax
  authority, banks and carriers do not. Converting would make the site accept
  input its own partners refuse, and give one value two spellings (a tax
  code typed full-width would not collide with the same code in ASCII in
  every place that compares raw text).
- Nobody in this site's audience types them on purpose: they come from an
  East Asian input method left on, or a copied document. A clear message
  fixes that in one retype; a silent conversion hides it.
- Machine input follows the same rule: a signed bank notification carrying
  non-ASCII digits is malformed (no Vietnamese bank sends them), not an
  amount to guess at.

Use ``ascii_int`` for one number, ``DIGIT`` inside regular expressions
(never ``\\d``), ``AsciiIntegerField`` in forms (Wagtail's admin forms get it
for every integer model field, see ``core.apps``) and
``refuse_foreign_digits`` on free-text fields that may hold digits (phones).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The digit class for regular expressions: ``\d`` matches every Unicode digit.
DIGIT = "[0-9]"

MESSAGE = _("Type a whole number with the digits 0-9 only, without dots or spaces.")
FOREIGN_DIGITS_MESSAGE = _(
    "Type the digits 0-9 only: other digits (such as full-width ones) are not accepted."
)


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty string of 0-9 only (``str.isdigit`` is wider)."""
    return bool(text) and text.isascii() and text.isdigit()


def has_foreign_digits(text: str) -> bool:
    """True if ``text`` holds a digit that is not 0-9 (full-width, Arabic-Indic...)."""
    return any(ch.isdigit() and not ch.isascii() for ch in text)


def ascii_int(text: object, *, max_digits: int = 18) -> int | None:
    """The number ``text`` spells in 0-9 (surrounding spaces allowed), or None.

    ``max_digits`` keeps the value inside a database integer (SQLite refuses
    past 2**63) and the parse cheap.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not is_ascii_digits(text) or len(text) > max_digits:
        return None
    return int(text)


def refuse_foreign_digits(value: object) -> None:
    """Validator for free text that may hold digits (a phone, an address)."""
    if isinstance(value, str) and has_foreign_digits(value):
        raise ValidationError(FOREIGN_DIGITS_MESSAGE, code="foreign_digits")


class AsciiFloatField(forms.FloatField):
    """A ``FloatField`` that refuses non-ASCII digits (``float()`` reads them)."""

    def to_python(self, value):
        if isinstance(value, str) and has_foreign_digits(value):
            raise ValidationError(FOREIGN_DIGITS_MESSAGE, code="invalid")
        return super().to_python(value)


class AsciiIntegerField(forms.IntegerField):
    """An ``IntegerField`` that reads 0-9 only (an optional leading minus,
    which min_value then judges), never ``int()``'s other Unicode digits."""

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not is_ascii_digits(text.removeprefix("-")):
            raise ValidationError(MESSAGE, code="invalid")
        return super().to_python(value)
