"""Accent folding for search and readable ASCII slugs."""

from __future__ import annotations

import pytest

from core.text import ascii_slug, fold


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Nước mắm", "nuoc-mam"),
        ("Nước mắm 🐟 Châu Đốc", "nuoc-mam-chau-doc"),
        ("Đường thốt nốt — 500 g", "duong-thot-not-500-g"),
        ("🐟🐟", ""),
    ],
)
def test_ascii_slug(text, slug):
    assert ascii_slug(text) == slug


def test_fold_handles_d_stroke_and_case():
    assert fold("  Nước MẮM   Châu Đốc ") == "nuoc mam chau doc"
