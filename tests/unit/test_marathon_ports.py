"""Service-port assignment (AssignDynamicServiceLogic.scala) and host ports from offers
(PortsMatcher.scala)."""

import random

import pytest

from clustersim.marathon.ports import assign_service_ports, host_port_requests, host_ports_from
from clustersim.marathon.runspec import RunSpec


def spec(app_id, *ports, **extra):
    return RunSpec.from_manifest(
        {"id": app_id, "cmd": "x", "portDefinitions": [{"port": p} for p in ports], **extra},
        "App")


def test_zeros_take_the_lowest_free_ports_in_order():
    got = assign_service_ports([spec("/a", 0, 0), spec("/b", 10001), spec("/c", 0)], {})
    assert got == {"/a": [10000, 10002], "/b": [10001], "/c": [10003]}


def test_previous_ports_are_reused_first_and_never_handed_to_others():
    previous = {"/a": [10000, 10001], "/gone": [10002]}
    got = assign_service_ports([spec("/a", 10001, 0), spec("/b", 0)], previous)
    assert got == {"/a": [10001, 10000], "/b": [10003]}


def test_range_exhaustion_is_a_clear_error():
    previous = {"/x": list(range(10000, 20001))}
    with pytest.raises(ValueError, match="no free service port"):
        assign_service_ports([spec("/a", 0)], previous)


def test_host_mode_asks_random_ports_unless_require_ports():
    assert host_port_requests(spec("/a", 0, 0), [10000, 10001]) == [0, 0]
    assert host_port_requests(spec("/a", 0, requirePorts=True), [10005]) == [10005]


def test_fixed_ports_must_be_offered_and_random_ones_are_distinct():
    rng = random.Random(0)
    assert host_ports_from([80], [(1000, 2000)], rng) is None
    assert host_ports_from([1500, 1500], [(1000, 2000)], rng) is None
    got = host_ports_from([0, 0, 0, None], [(31000, 31002)], rng)
    assert sorted(got[:3]) == [31000, 31001, 31002] and got[3] is None
    assert host_ports_from([0, 0], [(31000, 31000)], rng) is None
