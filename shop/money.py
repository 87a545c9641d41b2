"""Money: whole-unit amounts, Stripe minor units and limits, display.

Pure Python on purpose (an import-linter contract forbids Django here), so the
rules that decide how much a buyer is charged are tested without a database.

The shop sells in Vietnamese đồng only. VND has no minor unit in practice, so
amounts are plain ``int`` đồng everywhere (database columns are
``PositiveBigIntegerField``); no float or Decimal arithmetic is ever needed.
The one conversion to Stripe's "smallest currency unit" is ``to_minor_units``,
used only by the payment gateway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SHOP_CURRENCY = "VND"

# Stripe's zero-decimal currencies (docs.stripe.com/currencies): the API amount
# is the whole amount ("to charge 500 JPY, provide an amount value of 500").
# Every other currency Stripe supports has two decimals for API purposes
# (ISK, HUF, TWD, UGX have special cases that do not concern a VND shop).
ZERO_DECIMAL_CURRENCIES = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)

# Stripe's amount field "supports up to eight digits" (99,999,999 in minor
# units), whatever the currency.
STRIPE_MAX_MINOR_UNITS = 99_999_999

# Stripe's minimum is "$0.50 US or equivalent", judged after conversion to the
# settlement currency. 0.50 USD is about 13,000 VND at ~26,000 VND/USD (2026);
# 20,000 VND leaves ~50 % headroom for exchange-rate swings so a payment never
# fails at Stripe for being too small. Values are in each currency's minor unit.
STRIPE_MIN_MINOR_UNITS = {
    "VND": 20_000,
    "USD": 50,
    "EUR": 50,
    "JPY": 100,
}


class MoneyError(ValueError):
    """An amount the shop cannot charge; ``code`` names the reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class StripeAmount:
    """An amount ready for Stripe: minor units and a lowercase currency code."""

    amount: int
    currency: str


def _normalise_currency(currency: str) -> str:
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise MoneyError("currency", f"Unknown currency code: {currency!r}")
    return currency.upper()


def to_minor_units(amount: int, currency: str) -> int:
    """Return ``amount`` (whole units of ``currency``) in Stripe's minor units.

    Zero-decimal currencies (VND, JPY, ...) are not multiplied by 100. Raises
    ``MoneyError`` for a non-integer or negative amount or a bad code.
    """
    code = _normalise_currency(currency)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise MoneyError("amount", "Amounts are whole numbers.")
    if amount < 0:
        raise MoneyError("amount", "Amounts cannot be negative.")
    if code in ZERO_DECIMAL_CURRENCIES:
        return amount
    return amount * 100


def stripe_amount(amount: int, currency: str) -> StripeAmount:
    """Convert and check ``amount`` against Stripe's limits before any API call.

    Raises ``MoneyError`` with code ``below_minimum`` or ``above_maximum`` (the
    caller shows a translated message) so Stripe is never asked to charge an
    amount it would refuse.
    """
    code = _normalise_currency(currency)
    minor = to_minor_units(amount, code)
    minimum = STRIPE_MIN_MINOR_UNITS.get(code, 50)
    if minor < minimum:
        raise MoneyError(
            "below_minimum",
            f"{minor} {code} is below Stripe's minimum charge of {minimum}.",
        )
    if minor > STRIPE_MAX_MINOR_UNITS:
        raise MoneyError(
            "above_maximum",
            f"{minor} {code} is above Stripe's maximum of {STRIPE_MAX_MINOR_UNITS}.",
        )
    return StripeAmount(amount=minor, currency=code.lower())


def minimum_charge(currency: str = SHOP_CURRENCY) -> int:
    """The smallest amount (whole units) the shop lets a buyer pay."""
    code = _normalise_currency(currency)
    minor = STRIPE_MIN_MINOR_UNITS.get(code, 50)
    return minor if code in ZERO_DECIMAL_CURRENCIES else -(-minor // 100)


def maximum_charge(currency: str = SHOP_CURRENCY) -> int:
    """The largest amount (whole units) one payment may carry."""
    code = _normalise_currency(currency)
    if code in ZERO_DECIMAL_CURRENCIES:
        return STRIPE_MAX_MINOR_UNITS
    return STRIPE_MAX_MINOR_UNITS // 100


def _group(amount: int, separator: str) -> str:
    digits = str(abs(amount))
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return ("-" if amount < 0 else "") + separator.join(reversed(groups))


def format_vnd(amount: int, language: str) -> str:
    """``150.000 ₫`` in Vietnamese, ``₫150,000`` in English."""
    if language.lower().startswith("vi"):
        return f"{_group(amount, '.')} ₫"
    if amount < 0:
        return f"-₫{_group(-amount, ',')}"
    return f"₫{_group(amount, ',')}"


def percent_of(amount: int, basis_points: int) -> int:
    """``amount * basis_points / 10000`` rounded half up, in whole đồng."""
    if basis_points < 0 or amount < 0:
        raise MoneyError("amount", "Fee inputs cannot be negative.")
    return (amount * basis_points + 5_000) // 10_000


@dataclass(frozen=True)
class Settlement:
    """Both directions of an organisation's ledger and what is left to pay.

    ``owed_to_organisation``: card and bank-transfer sales less their fees and
    refunds (the platform holds that money). ``owed_by_organisation``: the
    platform fees on cash-on-delivery sales (the brand holds that money).
    ``net`` > 0: the platform pays the organisation; < 0: the organisation
    pays the platform ``-net``.
    """

    owed_to_organisation: int
    owed_by_organisation: int
    net: int


def settlement(entries: Iterable[tuple[bool, int]]) -> Settlement:
    """Split signed ledger amounts (``(is_cod_fee, amount)``) into both directions.

    A cash-on-delivery fee is booked negative; it counts as owed by the
    organisation (as a positive figure). Everything else nets into what the
    platform owes, which may itself go below zero (refunds after a payout).
    """
    owed_to = 0
    owed_by = 0
    for is_cod_fee, amount in entries:
        if is_cod_fee:
            owed_by -= amount
        else:
            owed_to += amount
    return Settlement(
        owed_to_organisation=owed_to,
        owed_by_organisation=owed_by,
        net=owed_to - owed_by,
    )


# A whole-đồng amount as bank statements print it: "1250000", "1.250.000",
# "1,250,000", "1 250 000", optionally with zero decimals ("1.250.000,00",
# "1,250,000.00") and a currency mark. The thousands separator must group
# by three, so "1.25" (a decimal) can never be read as 125 đồng.
_VND_GROUPED = re.compile(r"[0-9]+|[0-9]{1,3}(?:([.,  ])[0-9]{3})(?:\1[0-9]{3})*")
_VND_ZERO_DECIMALS = re.compile(r"(.*?)([.,])0{1,2}")
_VND_MARKS = re.compile(r"(?i)\s*(?:vnd|vnđ|đ|₫)\s*")
MAX_PARSED_DIGITS = 15


def parse_vnd(text: str) -> int:
    """Read a printed VND amount as whole đồng; raises ``MoneyError``.

    Blank means 0 (a statement row with no credit). Negative amounts,
    fractions of a đồng and anything that is not clearly a number are refused.
    """
    cleaned = _VND_MARKS.sub("", text.strip()).strip()
    if not cleaned:
        return 0
    grouped = cleaned
    decimals = _VND_ZERO_DECIMALS.fullmatch(cleaned)
    # "1.250.000,00" or "100.00": zero decimals, whose mark is not also the
    # grouping one ("1.000.00" is refused, not guessed).
    if decimals and decimals.group(2) not in decimals.group(1):
        grouped = decimals.group(1)
    if not _VND_GROUPED.fullmatch(grouped):
        raise MoneyError("unreadable", f"Not an amount in whole đồng: {text!r}.")
    digits = re.sub(r"[^0-9]", "", grouped)
    if len(digits) > MAX_PARSED_DIGITS:
        raise MoneyError("above_maximum", f"Amount too large: {text!r}.")
    return int(digits)
