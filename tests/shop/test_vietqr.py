"""The VietQR payload against the published EMVCo/NAPAS structure, field by field."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop.payments import vietqr
from shop.payments.vietqr import PayloadError, TransferQR

# Published by an independent VietQR implementation (github.com/subiz/vietqr,
# README): 120,000 VND to 0011001932418 at BIN 970415, content "ung ho lu lut".
# It uses initiation "11" where we write "12"; its CRC is what we check.
PUBLISHED = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def test_the_crc_matches_a_published_payload():
    assert vietqr.crc16_ccitt_false(PUBLISHED[:-4]) == "C15C"
    decoded = vietqr.decode(PUBLISHED)
    assert decoded["54"] == "120000"
    assert decoded["38"]["01"] == {"00": "970415", "01": "0011001932418"}
    assert decoded["62"] == {"08": "ung ho lu lut"}


def test_the_payload_has_each_field_in_its_place():
    payload = vietqr.encode(
        TransferQR(
            bank_bin="970436",
            account="0071000123456",
            amount_vnd=245_000,
            purpose="AG7K3M9P",
        )
    )
    root = vietqr.parse_tlv(payload)
    assert [field_id for field_id, _ in root] == [
        "00",
        "01",
        "38",
        "53",
        "54",
        "58",
        "62",
        "63",
    ]
    values = dict(root)
    assert values["00"] == "01"
    assert values["01"] == "12"  # dynamic: one payment, amount set
    account = vietqr.parse_tlv(values["38"])
    assert account == [
        ("00", "A000000727"),
        ("01", "0006970436" + "0113" + "0071000123456"),
        ("02", "QRIBFTTA"),
    ]
    assert vietqr.parse_tlv(account[1][1]) == [
        ("00", "970436"),
        ("01", "0071000123456"),
    ]
    assert values["53"] == "704"
    assert values["54"] == "245000"
    assert values["58"] == "VN"
    assert vietqr.parse_tlv(values["62"]) == [("08", "AG7K3M9P")]
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == vietqr.crc16_ccitt_false(payload[:-4])


def test_a_changed_character_breaks_the_crc():
    payload = vietqr.encode(
        TransferQR(bank_bin="970436", account="123", amount_vnd=10_000, purpose="X")
    )
    tampered = payload.replace("10000", "90000")
    with pytest.raises(PayloadError, match="CRC"):
        vietqr.decode(tampered)


@pytest.mark.parametrize(
    "fields",
    [
        {"bank_bin": "97043"},  # 5 digits
        {"bank_bin": "９７０４３６"},  # full-width digits
        {"account": ""},
        {"account": "12345678901234567890"},  # 20 characters
        {"account": "0071-000"},
        {"amount_vnd": 0},
        {"amount_vnd": -5},
        {"amount_vnd": 10**13},  # 14 digits
        {"amount_vnd": True},
        {"purpose": "A" * 26},
    ],
)
def test_bad_fields_are_refused(fields):
    base = {
        "bank_bin": "970436",
        "account": "0071000123456",
        "amount_vnd": 50_000,
        "purpose": "AG7K3M9P",
    }
    with pytest.raises(PayloadError):
        vietqr.encode(TransferQR(**{**base, **fields}))


def test_the_content_loses_its_accents_as_banking_apps_do():
    assert vietqr.purpose_ascii("Đơn  hàng AG7K3M9P – Gạo") == "Don hang AG7K3M9P Gao"


def test_five_hundred_generated_orders_round_trip():
    rng = random.Random(20261207)
    for _ in range(500):
        reference = vietqr.reference_new()
        qr = TransferQR(
            bank_bin=f"{rng.randrange(970400, 970500)}",
            account=str(rng.randrange(10**5, 10**19)),
            amount_vnd=rng.randrange(1, 10**13),
            purpose=f"{reference} HTX",
        )
        decoded = vietqr.decode(vietqr.encode(qr))
        assert decoded["54"] == str(qr.amount_vnd)
        assert decoded["38"]["01"] == {"00": qr.bank_bin, "01": qr.account}
        # Squashing spaces can make more candidates (the matcher keeps those
        # naming a real order); the true reference always comes first.
        assert vietqr.references_in(decoded["62"]["08"])[0] == reference


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=10**13 - 1),
    purpose=st.text(max_size=40),
)
def test_any_amount_and_content_encodes_or_is_refused_cleanly(amount, purpose):
    qr = TransferQR(
        bank_bin="970436", account="0071000123456", amount_vnd=amount, purpose=purpose
    )
    try:
        payload = vietqr.encode(qr)
    except PayloadError:
        assert len(vietqr.purpose_ascii(purpose)) > vietqr.MAX_PURPOSE_LENGTH
        return
    assert payload.isascii()
    assert vietqr.decode(payload)["54"] == str(amount)


def test_references_use_only_unambiguous_characters():
    for _ in range(200):
        reference = vietqr.reference_new()
        assert len(reference) == 8
        assert reference.startswith("AG")
        assert not set(reference[2:]) & set("0O1IL2Z5S8BUV")


@pytest.mark.parametrize(
    "content",
    [
        "AG7K3M9P",
        "ag7k3m9p",
        "Thanh toan don AG7K3M9P cam on",
        "CHUYEN TIEN-AG 7K3 M9P",
        "Nguyễn Văn A chuyển khoản ag7k3-m9p",
        "MBVCB.1234.AG7K3M9P.CT tu 0071000",
    ],
)
def test_the_reference_is_found_whatever_the_bank_did_to_the_content(content):
    assert "AG7K3M9P" in vietqr.references_in(content)


def test_no_reference_in_an_unrelated_content():
    assert vietqr.references_in("Chuyen tien an trua") == []
