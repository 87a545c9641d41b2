"""The brands error family has the shop's shape: a translated message and a code."""

from __future__ import annotations

from django.utils import translation

from brands.errors import BrandsError


def test_brands_error_carries_a_translated_message_and_a_code():
    with translation.override("en"):
        error = BrandsError()
        assert str(error.message) == "Something in your request could not be processed."
    assert error.code == "brands_error"
    assert error.status == 400


def test_brands_error_keeps_a_given_message():
    assert BrandsError("Nope").message == "Nope"
