"""Where an order ships: a commune of Vietnam's 2025 provinces, or abroad.

Vietnam has had two levels of local government since 1 July 2025: 34
provinces and their communes, wards and special zones (no districts). The
list comes from ``vietnam_provinces`` (the General Statistics Office's codes,
kept up to date by its maintainers), not from a list typed here.

A buyer types the commune (the page suggests the province's list); the
typed name is matched accent- and case-blind, with or without its kind
("xã", "phường", "đặc khu"), and the order keeps the official name.
"""

from __future__ import annotations

import functools
import unicodedata

from vietnam_provinces import Province, ProvinceCode, Ward

HOME_COUNTRY = "VN"
DEFAULT_PROVINCE = "An Giang"
# Kinds a buyer may write before a commune's name, folded (see ``fold``).
KIND_PREFIXES = ("dac khu ", "phuong ", "xa ", "thi tran ", "p. ", "x. ")
CITY_PREFIX = "Thành phố "


def fold(text: str) -> str:
    """Lower case without accents and extra spaces: "Phường  Long Xuyên" ->
    "phuong long xuyen" (đ is not a combining accent, so it is mapped)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def _without_kind(folded: str) -> str:
    for prefix in KIND_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


@functools.cache
def _provinces() -> dict[str, int]:
    """Official province name -> its code, in Vietnamese alphabetical order
    of the name without "Thành phố"."""
    named = {province.name: int(province.code) for province in Province.iter_all()}
    return dict(
        sorted(named.items(), key=lambda item: fold(item[0].removeprefix(CITY_PREFIX)))
    )


def province_names() -> list[str]:
    return list(_provinces())


def commune_names(province: str) -> tuple[str, ...]:
    """The official names of ``province``'s communes, wards and special zones
    (none for a name that is not a province: the caches below hold only the
    34 provinces, whatever a request sends)."""
    code = _provinces().get(province)
    if code is None:
        return ()
    return _commune_names(code)


@functools.cache
def _commune_names(code: int) -> tuple[str, ...]:
    wards = Ward.iter_by_province(ProvinceCode(code))
    return tuple(
        sorted((ward.name for ward in wards), key=lambda n: _without_kind(fold(n)))
    )


@functools.cache
def _commune_index(code: int) -> tuple[dict[str, str], dict[str, list[str]]]:
    full: dict[str, str] = {}
    bare: dict[str, list[str]] = {}
    for name in _commune_names(code):
        folded = fold(name)
        full[folded] = name
        bare.setdefault(_without_kind(folded), []).append(name)
    return full, bare


def commune_match(province: str, typed: str) -> str | None:
    """The official name of the commune of ``province`` that ``typed`` names,
    or None (unknown, or a bare name two communes share, e.g. a "xã" and a
    "phường" of one name: then the kind must be written)."""
    code = _provinces().get(province)
    folded = fold(typed)
    if code is None or not folded:
        return None
    full, bare = _commune_index(code)
    if folded in full:
        return full[folded]
    candidates = bare.get(_without_kind(folded), [])
    return candidates[0] if len(candidates) == 1 else None
