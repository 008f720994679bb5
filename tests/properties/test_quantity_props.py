"""Property tests of ``parse_quantity``: exact values, round trips, order, signs, robustness."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clustersim.quantity import QuantityError, parse_quantity, to_millis, to_units

DECIMAL_SI = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
BINARY_SI = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
mantissas = st.integers(min_value=0, max_value=10**12)


@given(mantissas, st.sampled_from(sorted(DECIMAL_SI)))
def test_decimal_suffix_is_exact(mantissa: int, suffix: str) -> None:
    assert parse_quantity(f"{mantissa}{suffix}") == Decimal(mantissa).scaleb(DECIMAL_SI[suffix])


@given(st.integers(min_value=0, max_value=2**20), st.sampled_from(sorted(BINARY_SI)))
def test_binary_suffix_is_exact_or_capped(mantissa: int, suffix: str) -> None:
    expected = min(mantissa * 2 ** BINARY_SI[suffix], 2**63 - 1)
    assert parse_quantity(f"{mantissa}{suffix}") == expected


@given(mantissas, st.integers(min_value=-9, max_value=30))
def test_exponent_form_equals_suffix_form(mantissa: int, exponent: int) -> None:
    value = parse_quantity(f"{mantissa}e{exponent}")
    assert value == Decimal(mantissa).scaleb(exponent)
    assert value == parse_quantity(f"{mantissa}E{exponent:+d}")


@given(st.decimals(min_value=0, max_value=10**9, places=9, allow_nan=False))
def test_round_trip_through_text(value: Decimal) -> None:
    """A value with at most nine decimals survives being written and read again."""
    assert parse_quantity(format(value, "f")) == value
    assert parse_quantity(f"{to_millis(value)}m") >= value


@given(st.decimals(min_value=0, max_value=10**6, places=15, allow_nan=False))
def test_rounds_up_to_whole_nano_units(value: Decimal) -> None:
    parsed = parse_quantity(format(value, "f"))
    assert parsed >= value
    assert parsed - value < Decimal("1e-9")
    assert parsed == 0 or parsed.scaleb(9) == parsed.scaleb(9).to_integral_value()


@given(
    mantissas, mantissas, st.sampled_from(sorted(DECIMAL_SI)), st.sampled_from(sorted(DECIMAL_SI))
)
def test_order_follows_values(a: int, b: int, sa: str, sb: str) -> None:
    x, y = parse_quantity(f"{a}{sa}"), parse_quantity(f"{b}{sb}")
    real_x, real_y = Decimal(a).scaleb(DECIMAL_SI[sa]), Decimal(b).scaleb(DECIMAL_SI[sb])
    assert (x < y) == (real_x < real_y)
    if max(x, y) < 2**53:  # MilliValue fits in 64 bits
        assert (to_millis(x) <= to_millis(y)) or real_x > real_y


@given(st.text(alphabet="0123456789.+-eEinumkKMGTP ", max_size=12))
def test_sign_mirrors_and_only_quantity_errors(text: str) -> None:
    try:
        value = parse_quantity(text)
    except QuantityError:
        return
    if text[:1] not in "+-":
        assert parse_quantity("-" + text) == -value
        assert parse_quantity("+" + text) == value
    if abs(value) < 2**62:
        assert to_units(value) >= value if value >= 0 else to_units(value) <= value


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_quantity_error(text: str) -> None:
    try:
        parse_quantity(text)
    except QuantityError as err:
        assert repr(text) in str(err)
