"""``parse_quantity`` against the test tables of kubernetes/apimachinery.

Cases come from ``pkg/api/resource/quantity_test.go``: ``TestQuantityParse`` (the valid table,
its negated and ``+``-prefixed variants, and the ``invalid`` list), ``TestParseQuantityString``,
``TestQuantityCmp``, ``TestQuantityRoundUp`` (scale 0: ``Value()``) and ``TestQuantityParseEmit``.
Each expected value is written as upstream writes it: ``decQuantity(mantissa, exponent)``.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from clustersim.quantity import (
    QuantityError,
    format_quantity,
    parse_quantity,
    to_millis,
    to_units,
)

MAX_ALLOWED = Decimal(2**63 - 1)


def dec(mantissa: int, exponent: int) -> Decimal:
    """Upstream's ``decQuantity(i, exponent, ...)``: ``i × 10^exponent``."""
    return Decimal(mantissa).scaleb(exponent)


VALID = [
    ("0", dec(0, 0)),
    ("0n", dec(0, 0)),
    ("0u", dec(0, 0)),
    ("0m", dec(0, 0)),
    ("0Ki", dec(0, 0)),
    ("0k", dec(0, 0)),
    ("0Mi", dec(0, 0)),
    ("0M", dec(0, 0)),
    ("0Gi", dec(0, 0)),
    ("0G", dec(0, 0)),
    ("0Ti", dec(0, 0)),
    ("0T", dec(0, 0)),
    ("1", dec(1, 0)),
    ("1Ki", dec(1024, 0)),
    ("8Ki", dec(8 * 1024, 0)),
    ("7Mi", dec(7 * 1024**2, 0)),
    ("6Gi", dec(6 * 1024**3, 0)),
    ("5Ti", dec(5 * 1024**4, 0)),
    ("4Pi", dec(4 * 1024**5, 0)),
    ("3Ei", dec(3 * 1024**6, 0)),
    ("10Ti", dec(10 * 1024**4, 0)),
    ("100Ti", dec(100 * 1024**4, 0)),
    ("5n", dec(5, -9)),
    ("4u", dec(4, -6)),
    ("3m", dec(3, -3)),
    ("9", dec(9, 0)),
    ("8k", dec(8, 3)),
    ("50k", dec(5, 4)),
    ("7M", dec(7, 6)),
    ("6G", dec(6, 9)),
    ("5T", dec(5, 12)),
    ("40T", dec(4, 13)),
    ("300T", dec(3, 14)),
    ("2P", dec(2, 15)),
    ("1E", dec(1, 18)),
    ("1E-3", dec(1, -3)),
    ("1e3", dec(1, 3)),
    ("1E6", dec(1, 6)),
    ("1e9", dec(1, 9)),
    ("1E12", dec(1, 12)),
    ("1e15", dec(1, 15)),
    ("1E18", dec(1, 18)),
    ("1e14", dec(1, 14)),
    ("1e13", dec(1, 13)),
    ("100.035k", dec(100035, 0)),
    ("0.001", dec(1, -3)),
    ("0.0005k", dec(5, -1)),
    ("0.005", dec(5, -3)),
    ("0.05", dec(5, -2)),
    ("0.5", dec(5, -1)),
    ("0.00050k", dec(5, -1)),
    ("0.00500", dec(5, -3)),
    ("0.05000", dec(5, -2)),
    ("0.50000", dec(5, -1)),
    ("0.5e0", dec(5, -1)),
    ("0.5e-1", dec(5, -2)),
    ("0.5e-2", dec(5, -3)),
    ("10.035M", dec(10035, 3)),
    ("1.2e3", dec(12, 2)),
    ("1.3E+6", dec(13, 5)),
    ("1.40e9", dec(14, 8)),
    ("1.53E12", dec(153, 10)),
    ("1.6e15", dec(16, 14)),
    ("1.7E18", dec(17, 17)),
    ("9.01", dec(901, -2)),
    ("8.1k", dec(81, 2)),
    ("7.123456M", dec(7123456, 0)),
    ("6.987654321G", dec(6987654321, 0)),
    ("5.444T", dec(5444, 9)),
    ("40.1T", dec(401, 11)),
    ("300.2T", dec(3002, 11)),
    ("2.5P", dec(25, 14)),
    ("1.01E", dec(101, 16)),
    # Things that saturate/round
    ("3.001n", dec(4, -9)),
    ("1.1E-9", dec(2, -9)),
    ("0.0000000001", dec(1, -9)),
    ("0.0000000005", dec(1, -9)),
    ("0.00000000050", dec(1, -9)),
    ("0.5e-9", dec(1, -9)),
    ("0.9n", dec(1, -9)),
    ("0.00000012345", dec(124, -9)),
    ("0.00000012354", dec(124, -9)),
    ("9Ei", MAX_ALLOWED),
    ("9223372036854775807Ki", MAX_ALLOWED),
    ("12E", dec(12, 18)),
    # Fractional binary
    ("100.035Ki", dec(10243584, -2)),
    ("0.5Mi", dec(524288, 0)),
    ("0.05Gi", dec(536870912, -1)),
    ("0.025Ti", dec(274877906944, -1)),
    # "Things written by trolls"
    ("0.000000000001Ki", dec(2, -9)),
    (".001", dec(1, -3)),
    (".0001k", dec(100, -3)),
    ("1.", dec(1, 0)),
    ("1.G", dec(1, 9)),
]

INVALID = [
    "",
    "1.1.M",
    "1+1.0M",
    "0.1mi",
    "0.1am",
    "aoeu",
    ".5i",
    "1i",
    "-3.01i",
    "-3.01e-",
    " 1",
    "1 ",
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t for t, _ in VALID])
def test_valid_table(text: str, expected: Decimal) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t for t, _ in VALID])
def test_valid_table_negated_and_with_plus(text: str, expected: Decimal) -> None:
    assert parse_quantity("-" + text) == -expected
    assert parse_quantity("+" + text) == expected


@pytest.mark.parametrize("text", INVALID)
def test_invalid_table(text: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(".", 0), ("-.", 0), ("1E-3", Decimal("0.001")), ("0.025Ti", Decimal("27487790694.4"))],
)
def test_parse_quantity_string_table(text: str, expected: Decimal) -> None:
    """``TestParseQuantityString``: a lone dot is zero, ``E-3`` is an exponent."""
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("x", "y", "order"),
    [("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1)],
)
def test_cmp_table(x: str, y: str, order: int) -> None:
    a, b = parse_quantity(x), parse_quantity(y)
    assert (a > b) - (a < b) == order


@pytest.mark.parametrize(
    ("text", "value"), [("9.01", 10), ("-9.01", -10), ("1Ki", 1024), ("0.9n", 1), ("-0.9n", -1)]
)
def test_value_rounds_up_away_from_zero(text: str, value: int) -> None:
    """``TestQuantityRoundUp`` at scale 0: ``9.01`` → 10, ``-9.01`` → -10."""
    assert to_units(parse_quantity(text)) == value


@pytest.mark.parametrize(
    ("text", "millis"),
    [("100m", 100), ("1", 1000), ("0.1m", 1), (".001Ki", 1024), ("-9.01", -9010)],
)
def test_milli_value(text: str, millis: int) -> None:
    """``TestQuantityParseEmit``/``TestQuantityNeg``: ``.001Ki`` is 1024m, -9.01 is -9010m."""
    assert to_millis(parse_quantity(text)) == millis


def test_exponent_is_read_as_int32_like_upstream() -> None:
    """``suffix.go`` converts the parsed int64 exponent with ``int32(...)``: 2^32 wraps to 0."""
    assert parse_quantity("1e4294967296") == 1
    with pytest.raises(QuantityError):
        parse_quantity("1e99999999999999999999")  # does not fit int64: ParseInt fails


def test_huge_values_stay_exact_and_bounded() -> None:
    assert parse_quantity("1e2000000000") == Decimal("1e2000000000")
    assert parse_quantity("1e-2000000000") == Decimal("1e-9")
    with pytest.raises(QuantityError, match="64-bit"):
        to_units(parse_quantity("1e30"))


@pytest.mark.parametrize(
    ("number", "expected"),
    [(2, 2), (0.5, Decimal("0.5")), (1e-7, Decimal("1e-7")), (Decimal("1.5"), 1.5)],
)
def test_numbers_from_yaml(number, expected) -> None:
    assert parse_quantity(number) == Decimal(str(expected))


@pytest.mark.parametrize("bad", [True, None, float("nan"), float("inf"), [1]])
def test_non_quantities(bad) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(bad)


# -- canonical form (Quantity.String), examples from apimachinery's quantity_test.go as ------
# -- collected in ../shared/notes/placement-semantics.md § 1.1 ------------------------------


@pytest.mark.parametrize(("text", "binary", "canonical"), [
    ("1.5", False, "1500m"),
    ("1G", False, "1G"),
    ("1000000000", False, "1G"),
    ("1080m", False, "1080m"),
    ("100035", False, "100035"),
    ("0.001", False, "1m"),
    ("1024Mi", True, "1Gi"),
    ("1025", True, "1025"),
    ("1000", True, "1k"),          # below 1024: DecimalSI (CanonicalizeBytes)
    ("-1000", True, "-1k"),
    (".001Ki", True, "1024m"),
    ("16Gi", True, "16Gi"),
    ("0", True, "0"),
    ("-1.5", False, "-1500m"),
])
def test_canonical_form(text: str, binary: bool, canonical: str) -> None:
    from clustersim.quantity import format_quantity

    assert format_quantity(parse_quantity(text), binary=binary) == canonical


@pytest.mark.parametrize(("text", "canonical"), [
    (".001e12", "1e9"), ("0.001e0", "1e-3"), ("1000e-12", "1e-9"), ("80e-3", "80e-3"),
    ("300e6", "300e6"), ("1e12", "1e12"), ("1e3", "1e3"), ("3e3", "3e3"), ("1e19", "10e18"),
])
def test_canonical_exponent_form(text: str, canonical: str) -> None:
    """``TestQuantityString``'s ``DecimalExponent`` rows (apimachinery ``quantity_test.go``):
    a quantity parsed from the exponent form keeps it, its exponent a multiple of 3; the
    texts are the table's alternates where it gives one."""
    from clustersim.quantity import format_quantity

    assert format_quantity(parse_quantity(text), exponent_form=True) == canonical


def test_node_repr_shows_quantities_as_written() -> None:
    from clustersim import Node

    node = Node("small", cpu="500m", memory="8Gi")
    assert repr(node) == "Node('small', cpu='500m', memory='8Gi')"


@pytest.mark.parametrize("value", ["x", "250m", None, True, [1]])
def test_format_quantity_names_what_it_takes(value: object) -> None:
    """A text or another type raised a bare ``decimal.InvalidOperation`` (or TypeError from
    inside ``Decimal``)."""
    from clustersim.quantity import format_quantity

    with pytest.raises(TypeError, match=r"^format_quantity: value must be a Decimal or an int"):
        format_quantity(value)  # type: ignore[arg-type]


# -- exactness: apimachinery keeps a value beyond int64 as an inf.Dec, every digit -----------


@pytest.mark.parametrize(("value", "binary", "canonical"), [
    (Decimal("9" * 32), False, "9" * 32),          # kept every digit, was 100000000000000E
    (Decimal("9" * 5000), False, "9" * 5000),
    (Decimal(10) ** 21, False, "1e21"),            # past E: DecimalExponent (kubernetes#140459)
    (Decimal(10) ** 5000, False, "100e4998"),       # the exponent a multiple of 3
    (Decimal("12e31"), False, "120e30"),
    (Decimal("1e999999"), False, "1e999999"),
    (Decimal(10) ** 70, True, "10e69"),             # 1024**7 divides it: no suffix past Ei
    (2**70, True, str(2**70)),                      # AsCanonicalBytes: exponent 0, no suffix
    (3 * 2**60, True, "3Ei"),
    (Decimal(2**20) * 1000, True, "1000Mi"),
    (-(Decimal(10) ** 21), False, "-1e21"),
])
def test_canonical_form_keeps_every_digit(value, binary: bool, canonical: str) -> None:
    """``infDecAmount.AsCanonicalBytes`` moves the factors of ten into the exponent, lowers it
    to a multiple of 3 and writes the mantissa whole; ``constructBytes`` finds an SI suffix up
    to E (Ei) and, since kubernetes/kubernetes#140459, ``e<exponent>`` beyond."""
    assert format_quantity(value, binary=binary) == canonical


def test_canonical_form_of_a_million_nines_is_exact() -> None:
    """The global decimal context keeps 28 digits and overflows past 10**999999: the million
    nines raised ``decimal.Overflow`` (a 500 from ``PUT /api/v1/nodes/x/status``)."""
    nines = "9" * 1_000_000
    assert format_quantity(parse_quantity(nines)) == nines
    with localcontext() as ctx:          # parse_quantity caps a binary one at 2**63 - 1
        ctx.prec, ctx.Emax = 2_000_000, 2_000_000
        kibis = Decimal(nines) * 1024
    assert format_quantity(kibis, binary=True) == nines + "Ki"


@pytest.mark.parametrize(("value", "canonical"), [
    (Decimal("1E-30"), "1n"), (Decimal("-9E-10"), "-1n"), (Decimal("1.0000000001"),
                                                           "1000000001n"),
    (Decimal("0.00000012345"), "124n"),
])
def test_finer_than_a_nano_unit_rounds_up_as_parse_quantity_does(value, canonical: str) -> None:
    """``ParseQuantity`` rounds a non-zero value up, away from zero, to whole nano-units
    (``amount.Round(amount, Nano.infScale(), inf.RoundUp)``) before the API server stores it;
    the value was written out with all its 30 decimals."""
    assert format_quantity(value) == canonical == format_quantity(parse_quantity(str(value)))


@pytest.mark.parametrize(("value", "binary", "words"), [
    (1.5, False, r"^format_quantity: value must be a Decimal or an int .* not float 1\.5"),
    (Decimal(1), "yes", r"^format_quantity: binary must be True .* not str 'yes'"),
    (Decimal(1), 1, r"^format_quantity: binary must be True .* not int 1"),
])
def test_format_quantity_checks_its_arguments_as_documented(value, binary, words) -> None:
    with pytest.raises(TypeError, match=words):
        format_quantity(value, binary=binary)


def test_an_empty_quantity_is_named_as_written_not_as_pythons_none() -> None:
    """``cpu:`` left empty in YAML (or ``null`` in JSON) had been told ``quantity None must be
    a string``, Python's word for a value the learner never wrote."""
    with pytest.raises(QuantityError) as refused:
        parse_quantity(None)  # type: ignore[arg-type]
    assert "None" not in str(refused.value) and "empty (null)" in str(refused.value)
