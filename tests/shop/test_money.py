import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop import money


def test_vnd_is_zero_decimal_and_not_multiplied():
    assert money.to_minor_units(150_000, "VND") == 150_000
    assert money.to_minor_units(150_000, "vnd") == 150_000
    assert money.to_minor_units(500, "JPY") == 500


def test_two_decimal_currency_is_multiplied_by_100():
    assert money.to_minor_units(12, "USD") == 1200


@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(sorted(money.ZERO_DECIMAL_CURRENCIES)),
)
@settings(max_examples=300)
def test_zero_decimal_currencies_are_identity(amount, currency):
    assert money.to_minor_units(amount, currency) == amount


@given(st.integers(min_value=0, max_value=10**10))
@settings(max_examples=200)
def test_usd_minor_units_round_trip(amount):
    assert money.to_minor_units(amount, "USD") // 100 == amount


@pytest.mark.parametrize("bad", [-1, 1.5, "100", None, True])
def test_amount_must_be_a_non_negative_int(bad):
    with pytest.raises(money.MoneyError):
        money.to_minor_units(bad, "VND")


@pytest.mark.parametrize("bad", ["", "VN", "VNDX", "1AB", None])
def test_currency_code_is_checked(bad):
    with pytest.raises(money.MoneyError) as info:
        money.to_minor_units(1000, bad)
    assert info.value.code == "currency"


def test_stripe_limits_in_vnd():
    assert money.stripe_amount(20_000, "VND") == money.StripeAmount(20_000, "vnd")
    assert money.stripe_amount(99_999_999, "VND").amount == 99_999_999
    with pytest.raises(money.MoneyError) as low:
        money.stripe_amount(19_999, "VND")
    assert low.value.code == "below_minimum"
    with pytest.raises(money.MoneyError) as high:
        money.stripe_amount(100_000_000, "VND")
    assert high.value.code == "above_maximum"


@given(st.integers(min_value=0, max_value=10**11))
@settings(max_examples=500)
def test_stripe_amount_accepts_exactly_the_allowed_range(amount):
    if 20_000 <= amount <= 99_999_999:
        checked = money.stripe_amount(amount, "VND")
        assert checked.amount == amount
        assert checked.currency == "vnd"
    else:
        with pytest.raises(money.MoneyError):
            money.stripe_amount(amount, "VND")


def test_usd_maximum_is_eight_digits_of_cents():
    assert money.stripe_amount(999_999, "USD").amount == 99_999_900
    with pytest.raises(money.MoneyError):
        money.stripe_amount(1_000_000, "USD")
    assert money.maximum_charge("USD") == 999_999
    assert money.minimum_charge("USD") == 1


@pytest.mark.parametrize(
    ("amount", "vi", "en"),
    [
        (150_000, "150.000 ₫", "₫150,000"),
        (0, "0 ₫", "₫0"),
        (999, "999 ₫", "₫999"),
        (1_000, "1.000 ₫", "₫1,000"),
        (99_999_999, "99.999.999 ₫", "₫99,999,999"),
        (-25_000, "-25.000 ₫", "-₫25,000"),
    ],
)
def test_format_vnd(amount, vi, en):
    assert money.format_vnd(amount, "vi") == vi
    assert money.format_vnd(amount, "en") == en


@given(st.integers(min_value=0, max_value=10**12))
def test_format_round_trips_digits(amount):
    assert int(money.format_vnd(amount, "vi")[:-2].replace(".", "")) == amount
    assert int(money.format_vnd(amount, "en")[1:].replace(",", "")) == amount


@given(
    st.integers(min_value=0, max_value=10**10),
    st.integers(min_value=0, max_value=10_000),
)
def test_percent_of_stays_within_amount(amount, basis_points):
    fee = money.percent_of(amount, basis_points)
    assert 0 <= fee <= amount
    assert abs(fee * 10_000 - amount * basis_points) <= 5_000
