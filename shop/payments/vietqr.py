"""VietQR payloads and transfer references: pure functions, no Django.

A VietQR is an EMVCo merchant-presented QR payload as NAPAS profiles it for
bank transfers (NAPAS 247): a string of TLV fields, each ``ID (2 digits) +
length (2 digits) + value``, ending with a CRC-16/CCITT-FALSE over everything
before it, the ``6304`` that introduces the CRC included. The buyer's banking
app reads the bank, the account, the amount and the transfer content from
it; the content carries our transfer reference, which the bank feed later
gives back and the matcher finds.

Every payload here is *dynamic* (point of initiation ``12``): it is made for
one order and carries its exact amount, in whole VND (VND has no minor unit,
and ``shop.money`` keeps every amount an integer).
"""

from __future__ import annotations

import binascii
import re
import secrets
import unicodedata
from dataclasses import dataclass

# Root field IDs (EMVCo MPM) and the nested ones NAPAS uses.
PAYLOAD_FORMAT = "00"
POINT_OF_INITIATION = "01"
MERCHANT_ACCOUNT = "38"
CURRENCY = "53"
AMOUNT = "54"
COUNTRY = "58"
ADDITIONAL_DATA = "62"
CRC = "63"

ACCOUNT_GUID = "00"
ACCOUNT_BENEFICIARY = "01"
ACCOUNT_SERVICE = "02"
BENEFICIARY_BANK = "00"
BENEFICIARY_ACCOUNT = "01"
ADDITIONAL_PURPOSE = "08"

FORMAT_VERSION = "01"
DYNAMIC = "12"  # one payment, amount set; "11" would be a reusable static code
NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"  # ISO 4217 numeric
COUNTRY_VN = "VN"

# EMVCo: the amount is at most 13 characters; the purpose at most 25.
MAX_AMOUNT_DIGITS = 13
MAX_PURPOSE_LENGTH = 25
MAX_ACCOUNT_LENGTH = 19

_BANK_BIN_RE = re.compile(r"[0-9]{6}")
_ACCOUNT_RE = re.compile(r"[0-9A-Za-z]{1,19}")
# What a banking app keeps of a transfer content: printable ASCII.
_PURPOSE_RE = re.compile(r"[ -~]{0,25}")

# Transfer references: a prefix and six characters a buyer can type from a
# phone screen without confusing them: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, nor U/V.
REFERENCE_PREFIX = "AG"
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
REFERENCE_BODY_LENGTH = 6
_REFERENCE_RE = re.compile(
    rf"(?=({REFERENCE_PREFIX}[{REFERENCE_ALPHABET}]{{{REFERENCE_BODY_LENGTH}}}))"
)


class PayloadError(ValueError):
    """A payload we cannot write or that does not read back as a VietQR."""


@dataclass(frozen=True)
class TransferQR:
    """What one order's VietQR asks the buyer's bank to do."""

    bank_bin: str  # the beneficiary bank's 6-digit NAPAS BIN
    account: str  # the beneficiary account number
    amount_vnd: int
    purpose: str  # the transfer content: our reference, plus what helps the buyer


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as 4 uppercase hex digits.

    ``binascii.crc_hqx`` is that CRC when started at 0xFFFF; the standard
    library saves us a hand-written bit loop.
    """
    return f"{binascii.crc_hqx(data.encode('ascii'), 0xFFFF):04X}"


def _tlv(field_id: str, value: str) -> str:
    if len(value) > 99:
        raise PayloadError(f"field {field_id} is longer than 99 characters")
    return f"{field_id}{len(value):02d}{value}"


def purpose_ascii(text: str) -> str:
    """The transfer content as banking apps keep it: ASCII, accents dropped.

    Đ/đ has no decomposition in Unicode, so it is mapped by hand; anything
    else outside printable ASCII is dropped, runs of spaces collapsed.
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if " " <= ch <= "~")
    return " ".join(ascii_only.split())


def encode(qr: TransferQR) -> str:
    """The VietQR payload for ``qr``; raises ``PayloadError`` on bad fields."""
    if not _BANK_BIN_RE.fullmatch(qr.bank_bin):
        raise PayloadError("the bank BIN has 6 digits")
    if not _ACCOUNT_RE.fullmatch(qr.account):
        raise PayloadError("the account number has 1 to 19 letters or digits")
    if (
        not isinstance(qr.amount_vnd, int)
        or isinstance(qr.amount_vnd, bool)
        or qr.amount_vnd <= 0
        or len(str(qr.amount_vnd)) > MAX_AMOUNT_DIGITS
    ):
        raise PayloadError("the amount is a positive whole number of VND")
    purpose = purpose_ascii(qr.purpose)
    if len(purpose) > MAX_PURPOSE_LENGTH:
        raise PayloadError("the transfer content has at most 25 characters")
    beneficiary = _tlv(BENEFICIARY_BANK, qr.bank_bin) + _tlv(
        BENEFICIARY_ACCOUNT, qr.account
    )
    account = (
        _tlv(ACCOUNT_GUID, NAPAS_GUID)
        + _tlv(ACCOUNT_BENEFICIARY, beneficiary)
        + _tlv(ACCOUNT_SERVICE, SERVICE_TO_ACCOUNT)
    )
    body = (
        _tlv(PAYLOAD_FORMAT, FORMAT_VERSION)
        + _tlv(POINT_OF_INITIATION, DYNAMIC)
        + _tlv(MERCHANT_ACCOUNT, account)
        + _tlv(CURRENCY, CURRENCY_VND)
        + _tlv(AMOUNT, str(qr.amount_vnd))
        + _tlv(COUNTRY, COUNTRY_VN)
        + (_tlv(ADDITIONAL_DATA, _tlv(ADDITIONAL_PURPOSE, purpose)) if purpose else "")
        + CRC
        + "04"
    )
    return body + crc16_ccitt_false(body)


def parse_tlv(data: str) -> list[tuple[str, str]]:
    """Split ``data`` into (id, value) pairs, in order; raises ``PayloadError``."""
    fields = []
    position = 0
    while position < len(data):
        head = data[position : position + 4]
        if len(head) < 4 or not head.isascii() or not head.isdigit():
            raise PayloadError(f"bad field header at {position}")
        length = int(head[2:])
        value = data[position + 4 : position + 4 + length]
        if len(value) != length:
            raise PayloadError(f"field {head[:2]} is cut short")
        fields.append((head[:2], value))
        position += 4 + length
    return fields


def decode(payload: str) -> dict[str, object]:
    """Read a payload back, checking the CRC and that each field is where it belongs.

    Returns the root fields by ID, with fields 38 and 62 (and 38's
    beneficiary, 38/01) as nested dicts. Used by the tests and by anyone who
    wants to check what a printed QR really says.
    """
    if len(payload) < 8 or payload[-8:-4] != CRC + "04":
        raise PayloadError("the payload does not end with a CRC field")
    if crc16_ccitt_false(payload[:-4]) != payload[-4:].upper():
        raise PayloadError("the CRC does not match")
    root = parse_tlv(payload)
    ids = [field_id for field_id, _ in root]
    if len(set(ids)) != len(ids):
        raise PayloadError("a root field appears twice")
    if ids[0] != PAYLOAD_FORMAT or ids[-1] != CRC:
        raise PayloadError("the payload must start with 00 and end with 63")
    decoded: dict[str, object] = dict(root)
    if MERCHANT_ACCOUNT in decoded:
        account = dict(parse_tlv(str(decoded[MERCHANT_ACCOUNT])))
        if ACCOUNT_BENEFICIARY in account:
            account[ACCOUNT_BENEFICIARY] = dict(  # type: ignore[assignment]
                parse_tlv(account[ACCOUNT_BENEFICIARY])
            )
        decoded[MERCHANT_ACCOUNT] = account
    if ADDITIONAL_DATA in decoded:
        decoded[ADDITIONAL_DATA] = dict(parse_tlv(str(decoded[ADDITIONAL_DATA])))
    return decoded


def reference_new() -> str:
    """A fresh transfer reference, e.g. ``AG7K3M9P`` (23^6, about 148 million).

    Uniqueness among open orders is the caller's job (a unique column and a
    retry); this only draws from a cryptographic source so that references
    cannot be guessed from one another.
    """
    body = "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_BODY_LENGTH)
    )
    return REFERENCE_PREFIX + body


def references_in(content: str) -> list[str]:
    """Every reference-shaped string in a transfer content, in order, no repeats.

    Blind to accents, case, spaces and punctuation (banks strip accents,
    buyers type "ag 7k3-m9p" or add their own words), so the content is
    squashed to letters and digits first; overlapping candidates are all
    returned, and the caller keeps those that name a real order.
    """
    squashed = re.sub(r"[^0-9A-Z]", "", purpose_ascii(content).upper())
    found: list[str] = []
    for match in _REFERENCE_RE.finditer(squashed):
        candidate = match.group(1)
        if candidate not in found:
            found.append(candidate)
    return found
