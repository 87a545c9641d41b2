"""One request language for every view and service: a site code, vi by default."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.language import request_language


@pytest.mark.parametrize(
    ("active", "expected"),
    [("vi", "vi"), ("en", "en"), ("en-gb", "en"), ("EN-US", "en"), ("fr", "vi")],
)
def test_request_language_is_a_site_code(active, expected):
    with translation.override(active):
        assert request_language() == expected


def test_request_language_defaults_to_vietnamese():
    with translation.override(None):
        assert request_language() == "vi"
