"""Mesos resources, agents' attributes and the agent view of a Node.

Cases follow apache/mesos ``src/tests/resources_tests.cpp`` (parsing, ``contains``,
subtraction of ranges), ``src/tests/values_tests.cpp`` (fixed-point scalars, range
arithmetic) and ``src/tests/attributes_tests.cpp`` (attribute value types).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clustersim import Node
from clustersim.manifests.units import mesos_fixed, mesos_scalar
from clustersim.mesos import Resources, parse_attribute


def test_parse_scalars_and_ranges() -> None:
    r = Resources.parse("cpus:45.55;mem:1024;ports:[10000-20000, 30000-50000];disk:512")
    assert (r.cpus, r.mem, r.disk) == (45.55, 1024, 512)
    assert r.ports == ((10000, 20000), (30000, 50000))
    assert r.port_count() == 10001 + 20001


def test_parse_merges_adjacent_and_overlapping_ranges() -> None:
    assert Resources.parse("ports:[1-5, 4-10, 11-12]").ports == ((1, 12),)


@pytest.mark.parametrize("text, message", [
    ("cpus", "not 'name:value'"),
    ("cpus(role):2", "reservations"),
    ("cpus:-1", "must not be negative"),
    ("ports:[5-1]", "ends before it begins"),
    ("ports:31000-32000", "neither a number nor ranges"),
    ("cpus:1;cpus:2", "appears twice"),
])
def test_parse_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Resources.parse(text)


def test_fixed_point_scalars_do_not_drift() -> None:
    """values_tests.cpp: scalars are fixed-point with three decimals."""
    total = Resources()
    for _ in range(10):
        total = total + Resources(cpus=0.1)
    assert total.cpus == 1.0
    assert (Resources(cpus=0.3) - Resources(cpus=0.1)).cpus == 0.2
    assert Resources(cpus=0.0001).cpus == 0   # below precision: empty


@pytest.mark.parametrize("amount, fixed", [
    (0.0005, 0.001),   # 0.5 thousandths: llround goes up, Python's round to 0 (dropped)
    (0.0025, 0.003),   # 2.5: away from zero, not to the even 2
    (2.0025, 2.003),
    (0.0015, 0.002),   # 1.5: both ways give 2
    (0.0004, 0.0),
])
def test_scalars_round_halfway_away_from_zero(amount: float, fixed: float) -> None:
    """``convertToFixed`` in ``src/common/values.cpp`` is ``llround(value * 1000)``."""
    assert Resources(cpus=amount).cpus == fixed
    assert (Resources(mem=1.0) + Resources(mem=amount)).mem == mesos_fixed(1.0 + amount)


_LIBM = ctypes.util.find_library("m")


@pytest.mark.skipif(_LIBM is None, reason="no C math library to compare with")
@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
       | st.integers(-10**9, 10**9).map(lambda n: (n + 0.5) / 1000))
def test_fixed_point_is_c_llround(value: float) -> None:
    """The same thousandths as C's own ``llround`` (the libm Mesos links), halfway cases
    included (``(n + 0.5) / 1000``)."""
    llround = ctypes.CDLL(_LIBM).llround
    llround.restype, llround.argtypes = ctypes.c_longlong, [ctypes.c_double]
    thousandths = llround(value * 1000)
    assert mesos_scalar(value) == Decimal(thousandths).scaleb(-3)
    assert mesos_fixed(value) == thousandths / 1000


def test_zero_amounts_are_dropped() -> None:
    r = Resources.parse("cpus:0;mem:100")
    assert r.scalars == {"mem": 100}
    assert not Resources.parse("cpus:0")


def test_contains_scalars_and_ranges() -> None:
    big = Resources.parse("cpus:4;mem:1024;ports:[31000-32000]")
    assert big.contains(Resources.parse("cpus:1;mem:512;ports:[31000-31000, 31500-31600]"))
    assert not big.contains(Resources.parse("cpus:5"))
    assert not big.contains(Resources.parse("ports:[30999-31000]"))
    assert not big.contains(Resources.parse("gpus:1"))
    assert big.contains(Resources())


def test_subtracting_ranges_splits_them() -> None:
    left = Resources.parse("ports:[31000-31010]") - Resources.parse("ports:[31003-31004]")
    assert left.ports == ((31000, 31002), (31005, 31010))
    assert (left + Resources.parse("ports:[31003-31004]")).ports == ((31000, 31010),)


def test_subtraction_never_goes_negative() -> None:
    assert (Resources(cpus=1) - Resources(cpus=2)).cpus == 0


def test_take_ports_takes_the_lowest() -> None:
    r = Resources.parse("ports:[31000-31001, 32000-32005]")
    assert r.take_ports(4) == (31000, 31001, 32000, 32001)
    with pytest.raises(ValueError, match="only 8 ports"):
        r.take_ports(9)


def test_coerce_and_text_form() -> None:
    assert Resources.coerce({"cpus": 1, "mem": 128}) == Resources.parse("cpus:1;mem:128")
    assert Resources.coerce("cpus:1") == {"cpus": 1}
    assert str(Resources.parse("cpus:1.5;ports:[1-2]")) == "cpus:1.5;ports:[1-2]"
    assert Resources.parse("cpus:1") != "not resources"
    with pytest.raises(ValueError, match="must be a Resources"):
        Resources.coerce(42)  # type: ignore[arg-type]


def test_agent_resources_from_a_node() -> None:
    node = Node("n", cpu="2500m", memory="4Gi", disk="10Gi", ports=[(31000, 32000)],
                extended_resources={"nvidia.com/gpu": 2})
    r = Resources.from_node(node)
    assert r == Resources.parse("cpus:2.5;mem:4096;disk:10240;gpus:2;ports:[31000-32000]")


@pytest.mark.parametrize("text, kind, value", [
    ("1.0", "scalar", 1.0),
    ("[6-7]", "ranges", ((6, 7),)),
    ("[1-2, 4-5]", "ranges", ((1, 2), (4, 5))),
    ("{a,b}", "set", ("a", "b")),
    ("rack-1", "text", "rack-1"),
])
def test_attribute_values_in_mesos_text_syntax(text: str, kind: str, value: object) -> None:
    """attributes_tests.cpp: scalar, ranges, set and text attribute values."""
    assert parse_attribute("attr", text) == (kind, value)


def test_contains_an_exact_fit() -> None:
    """An offer holds a task that asks for all of it (Mesos ``Resources::contains`` compares
    with ``<=``, values.cpp's scalar ``operator<=`` in fixed point): a copy, not the same
    object, so no shortcut decides; and amounts summed in floating point (0.1 + 0.2) that
    Mesos holds in thousandths fit exactly into 0.3."""
    offer = Resources.parse("cpus:4;mem:1024;ports:[31000-32000]")
    assert offer.contains(Resources.parse("cpus:4;mem:1024;ports:[31000-32000]"))
    assert offer.contains(Resources.parse("ports:[32000-32000]"))
    assert not offer.contains(Resources.parse("cpus:4.001"))
    assert Resources.parse("cpus:0.3").contains(
        Resources.parse("cpus:0.1") + Resources.parse("cpus:0.2"))
