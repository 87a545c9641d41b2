"""Every catalogue is complete: no untranslated or fuzzy Vietnamese entry, and
the compiled .mo files (committed, so no gettext tools are needed) match the .po."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git"}


def _catalogues(language: str) -> list[Path]:
    found = []
    for path in ROOT.rglob(f"{language}/LC_MESSAGES/*.po"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            found.append(path)
    return sorted(found)


def test_there_are_vietnamese_catalogues():
    names = {str(p.relative_to(ROOT)) for p in _catalogues("vi")}
    assert "locale/vi/LC_MESSAGES/django.po" in names
    assert "third_party_locale/vi/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize(
    "po_path", _catalogues("vi"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_vietnamese_catalogue_is_complete(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize(
    "po_path",
    _catalogues("vi") + _catalogues("en"),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run make messages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    for entry in polib.pofile(str(po_path)).translated_entries():
        if entry.fuzzy or entry.obsolete:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert compiled.get((key, int(index))) == text, entry.msgid
        else:
            assert compiled.get(key) == entry.msgstr, entry.msgid
