"""Pure text helpers (no Django): folding for search and readable ASCII slugs."""

from __future__ import annotations

import re

from anyascii import anyascii


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: 'Nước mắm Châu Đốc' -> 'nuoc mam chau doc'.

    anyascii maps "đ" to "d", which Unicode decomposition (and so unaccent or
    FTS folding) does not.
    """
    return " ".join(anyascii(text or "").lower().split())


def ascii_slug(text: str, *, max_length: int = 80) -> str:
    """Readable ASCII slug: 'Nước mắm 🐟 Châu Đốc' -> 'nuoc-mam-chau-doc'.

    Emoji are dropped rather than spelt out (anyascii turns them into
    ":fish:"-style words that make poor URLs).
    """
    kept = "".join(
        ch for ch in (text or "") if ch.isalnum() or ch.isspace() or ch in "-_"
    )
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(kept).lower()).strip("-")
    return slug[:max_length].rstrip("-")
