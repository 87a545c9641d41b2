"""core.digits: the one rule for numbers in input (0-9 only)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.digits import (
    DIGIT,
    AsciiFloatField,
    AsciiIntegerField,
    ascii_int,
    has_foreign_digits,
    is_ascii_digits,
    refuse_foreign_digits,
)

# One "123" per script Python's int() reads: full-width, Arabic-Indic,
# Extended Arabic-Indic (Persian), Devanagari, Bengali, Thai, Mathematical bold.
FOREIGN_123 = ["１２３", "١٢٣", "۱۲۳", "१२३", "১২৩", "๑๒๓", "𝟏𝟐𝟑"]


@pytest.mark.parametrize("text", FOREIGN_123)
def test_python_reads_them_but_the_rule_does_not(text):
    assert int(text) == 123  # the inconsistency this module exists for
    assert ascii_int(text) is None
    assert not is_ascii_digits(text)
    assert has_foreign_digits(text)


@pytest.mark.parametrize("text", ["12३", "1２3", "１"])
def test_one_foreign_digit_is_enough_to_refuse(text):
    assert ascii_int(text) is None
    assert has_foreign_digits(text)


def test_ascii_numbers_are_read():
    assert ascii_int("0") == 0
    assert ascii_int(" 42 ") == 42
    assert ascii_int("0123") == 123
    assert not has_foreign_digits("Tổ 3, ấp Tân Hòa")


@pytest.mark.parametrize(
    "value", ["", " ", "-1", "+1", "1.0", "1 000", "1e3", "²", "①", None, 12, b"12"]
)
def test_anything_else_is_not_a_number(value):
    assert ascii_int(value) is None


def test_max_digits_bounds_the_value():
    assert ascii_int("9" * 18) == 10**18 - 1
    assert ascii_int("9" * 19) is None
    assert ascii_int("1234567", max_digits=6) is None


def test_digit_is_the_ascii_class_for_regular_expressions():
    import re

    assert re.fullmatch(f"{DIGIT}+", "123")
    assert not re.fullmatch(f"{DIGIT}+", "１２３")
    assert re.fullmatch(r"\d+", "１２３")  # why \d is never used


@pytest.mark.parametrize("text", FOREIGN_123)
def test_form_fields_refuse_with_one_message(text):
    with pytest.raises(ValidationError) as integer:
        AsciiIntegerField().clean(text)
    assert "0-9" in str(integer.value.messages[0])
    with pytest.raises(ValidationError) as decimal:
        AsciiFloatField().clean(text + ".5")
    assert "0-9" in str(decimal.value.messages[0])
    with pytest.raises(ValidationError):
        refuse_foreign_digits(f"0912 {text} 456")


def test_form_fields_still_read_ascii():
    assert AsciiIntegerField().clean(" 12 ") == 12
    assert AsciiIntegerField(required=False).clean("") is None
    with pytest.raises(ValidationError):
        AsciiIntegerField(min_value=0).clean("-3")  # judged by min_value
    assert AsciiFloatField().clean("12.5") == 12.5
    refuse_foreign_digits("0912 345 678")
