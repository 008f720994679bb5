"""Swarm placement constraints, ported from swarmkit's own test tables.

Cases come from moby/swarmkit ``manager/constraint/constraint_test.go`` (``TestParse``,
``TestMatch``) and ``manager/scheduler/constraint_test.go`` (``TestWrongSyntax``,
``TestNodeHostname``, ``TestNodeIP``, ``TestNodeID``, ``TestNodeRole``, ``TestNodePlatform``,
``TestNodeLabel``, ``TestEngineLabel``, ``TestMultipleConstraints``).
"""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.swarm import constraints_accept, parse_constraint
from clustersim.swarm.constraints import equal_fold, known_key

# --- TestParse ---------------------------------------------------------------------------------

PARSE_ERRORS = ["", " ", "nodeabc", "node ~ abc", "1node==a2", "no de== node1", "no*de==node1",
                "==node1", "node==", "node== ", "no$de==node1"]


@pytest.mark.parametrize("text", PARSE_ERRORS)
def test_parse_rejects_what_swarmkit_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="constraint"):
        parse_constraint(text)


@pytest.mark.parametrize(("text", "key", "value"), [
    (" node == node1", "node", "node1"),
    ("NoDe==node1", "NoDe", "node1"),
    ("no.de==node1", "no.de", "node1"),
    ("_node==_node1", "_node", "_node1"),
    ("node==[a-b]+c*(n|b)/", "node", "[a-b]+c*(n|b)/"),
    ("node==node 1", "node", "node 1"),
])
def test_parse_accepts_and_trims(text: str, key: str, value: str) -> None:
    constraint = parse_constraint(text)
    assert (constraint.key, constraint.value) == (key, value)


def test_parse_error_says_why() -> None:
    with pytest.raises(ValueError, match="expected one operator from ==, !="):
        parse_constraint("node.labels.ssd = true")
    with pytest.raises(ValueError, match="key '1node' is invalid"):
        parse_constraint("1node==a2")
    with pytest.raises(ValueError, match="value '' is invalid"):
        parse_constraint("node==")


# --- TestMatch ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "whats", "expected"), [
    ("node.name==foo", ["foo"], True),
    ("node.name==foo", ["fo"], False),
    ("node.name==foo", ["fooE"], False),
    ("node.name!=foo", ["foo"], False),
    ("node.name!=foo", ["bar"], True),
    ("node.name!=foo", ["fo"], True),
    ("node.name!=foo", ["fooExtra"], True),
    ("node.name==f*o", ["fo"], False),
    ("node.name==f*o", ["f*o"], True),
    ("node.name==f*o", ["F*o"], True),
    ("node.name==f*o", ["foo", "fo", "bar"], False),
    ("node.name==f*o", ["foo", "f*o", "bar"], True),
    ("node.name==f*o", ["foo"], False),
    ("node.name==f.-$o", ["fa-$o"], False),
    ("node.name==f.-$o", ["f.-$o"], True),
])
def test_match_is_whole_string_case_insensitive(text: str, whats: list[str], expected: bool):
    assert parse_constraint(text).match(*whats) is expected


def test_equal_fold_is_simple_folding() -> None:
    assert equal_fold("Ubuntu 14.04", "ubuntu 14.04")
    assert equal_fold("\u212a", "k")  # Kelvin sign folds to k, as in Go
    assert not equal_fold("straße", "strasse")  # no expansion, unlike str.casefold


# --- scheduler/constraint_test.go: matching against a node -----------------------------------

def swarmkit_node(**changes) -> Node:
    """The node of swarmkit's ``setupEnv``: id nodeid-1, worker, address 186.17.9.41, no
    hostname, no platform, no labels."""
    fields = {"role": "worker", "address": "186.17.9.41", "platform": {"os": "", "arch": ""}}
    fields.update(changes)
    node = Node("nodeid-1", 1, "1Gi", **fields)
    if "hostname" not in changes:
        node.hostname = ""
    return node


def test_wrong_syntax_key_never_matches() -> None:
    node = swarmkit_node()
    assert not constraints_accept(["node.abc.bcd == high"], node)
    assert not constraints_accept(["node.abc.bcd != high"], node)


@pytest.mark.parametrize(("key", "known"), [
    ("node.label.storage", False), ("node.abc.bcd", False), ("node.labels.", False),
    ("node.name", False), ("NODE.Labels.storage", True), ("engine.labels.ssd", True),
    ("node.hostname", True), ("Node.Role", True), ("node.ip", True), ("node.platform.arch", True),
])
def test_known_key_is_what_node_matches_knows(key: str, known: bool) -> None:
    """A key ``known_key`` refuses is one that no node matches, with either operator
    (``NodeMatches``' default case); the keys it knows are the fixed ones and the prefixes."""
    assert known_key(key) is known
    node = swarmkit_node(labels={"storage": "db"}, hostname="node-1")
    if not known:
        assert not constraints_accept([f"{key}==db"], node)
        assert not constraints_accept([f"{key}!=db"], node)


def test_node_hostname() -> None:
    assert constraints_accept(["node.hostname != node-1"], swarmkit_node())
    assert constraints_accept(["node.hostname != node-1"], swarmkit_node(hostname="node-2"))
    assert not constraints_accept(["node.hostname != node-1"], swarmkit_node(hostname="node-1"))
    assert not constraints_accept(["node.hostname != node-1"], swarmkit_node(hostname="NODe-1"))


IPV4 = [("node.ip == 186.17.9.41", True), ("node.ip != 186.17.9.41", False),
        ("node.ip == 186.17.9.42", False), ("node.ip == 186.17.9.4/24", True),
        ("node.ip == 186.17.8.41/24", False), ("node.ip == 186.17.9.41/34", False),
        ("node.ip != 266.17.9.41", False), ("node.ip != 0.0.0.0", True),
        ("node.ip == not_ip_addr", False),
        # Go's net.ParseCIDR takes no netmask (rejected for both operators), and its
        # IP.Equal takes an IPv4-mapped address for the IPv4 one; Python's ipaddress had not
        ("node.ip == 186.17.9.0/255.255.255.0", False),
        ("node.ip != 186.17.9.0/255.255.255.0", False),
        ("node.ip == ::ffff:186.17.9.41", True), ("node.ip != ::ffff:186.17.9.41", False)]
IPV6 = [("node.ip == 2001:db8::2", True), ("node.ip == 2001:db8:0::2", True),
        ("node.ip != 2001:db8::2/128", False), ("node.ip == 2001:db8::/64", True),
        ("node.ip == 2001:db9::/64", False), ("node.ip != 2001:db9::/64", True)]
NO_ADDRESS = [("node.ip == 0.0.0.0", False), ("node.ip != 0.0.0.0", True)]


@pytest.mark.parametrize(("address", "text", "expected"),
                         [("186.17.9.41", *case) for case in IPV4]
                         + [("2001:db8::2", *case) for case in IPV6]
                         + [(None, *case) for case in NO_ADDRESS])
def test_node_ip(address: str | None, text: str, expected: bool) -> None:
    assert constraints_accept([text], swarmkit_node(address=address)) is expected


def test_node_ip_empty_value_is_a_syntax_error() -> None:
    with pytest.raises(ValueError):
        constraints_accept(["node.ip == "], swarmkit_node())


@pytest.mark.parametrize(("text", "expected"), [
    ("node.id == nodeid-1", True), ("node.id == nodeid-1-extra", False),
    ("node.id == nodeid-", False)])
def test_node_id(text: str, expected: bool) -> None:
    assert constraints_accept([text], swarmkit_node()) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("node.role == worker", True), ("node.role == manager", False),
    ("node.role == worker-manager", False), ("NODE.ROLE == WORKER", True)])
def test_node_role(text: str, expected: bool) -> None:
    assert constraints_accept([text], swarmkit_node()) is expected


def test_node_platform() -> None:
    assert not constraints_accept(["node.platform.os == linux"], swarmkit_node())
    linux = swarmkit_node(platform={"os": "linux", "arch": "x86_64"})
    windows = swarmkit_node(platform={"os": "windows", "arch": "x86_64"})
    assert constraints_accept(["node.platform.os == linux"], linux)
    assert not constraints_accept(["node.platform.os == linux"], windows)
    assert not constraints_accept(["node.platform.arch == amd64"], windows)
    assert constraints_accept(["node.platform.arch != amd64"], windows)


def test_node_label_is_not_engine_label() -> None:
    assert not constraints_accept(["node.labels.security == high"], swarmkit_node())
    engine = swarmkit_node(engine_labels={"security": "high"})
    assert not constraints_accept(["node.labels.security == high"], engine)
    assert constraints_accept(["node.labels.security == high"],
                              swarmkit_node(labels={"security": "high"}))


def test_engine_label_is_not_node_label() -> None:
    assert constraints_accept(["engine.labels.disk != ssd"], swarmkit_node())
    assert constraints_accept(["engine.labels.disk != ssd"], swarmkit_node(labels={"disk": "ssd"}))
    assert not constraints_accept(["engine.labels.disk != ssd"],
                                  swarmkit_node(engine_labels={"disk": "ssd"}))
    assert not constraints_accept(["engine.labels.disk != ssd"],
                                  swarmkit_node(engine_labels={"disk": "ssd", "memory": "large"}))


def test_multiple_constraints_are_anded() -> None:
    rules = ["node.hostname == node-1", "engine.labels.operatingsystem != Ubuntu 14.04"]
    assert not constraints_accept(rules, swarmkit_node())
    assert constraints_accept(rules, swarmkit_node(hostname="node-1"))
    for os_label, expected in [("Ubuntu 14.04", False), ("ubuntu 14.04", False),
                               ("ubuntu 15.04", True)]:
        node = swarmkit_node(hostname="node-1", engine_labels={"operatingsystem": os_label})
        assert constraints_accept(rules, node) is expected
    rules.append("node.labels.security == high")
    base = {"hostname": "node-1", "engine_labels": {"operatingsystem": "ubuntu 15.04"}}
    assert not constraints_accept(rules, swarmkit_node(**base))
    assert not constraints_accept(rules, swarmkit_node(**base, labels={"security": "low"}))
    assert constraints_accept(rules, swarmkit_node(**base, labels={"security": "high"}))


def test_label_prefix_is_case_insensitive_but_label_name_is_not() -> None:
    node = swarmkit_node(labels={"Zone": "a"})
    assert constraints_accept(["NODE.LABELS.Zone == a"], node)
    assert not constraints_accept(["node.labels.zone == a"], node)


def test_constraints_accept_wants_a_list() -> None:
    with pytest.raises(ValueError, match="list of strings"):
        constraints_accept("node.role==worker", swarmkit_node())
