"""Tolerations, TaintToleration, NodeUnschedulable, NodeName and NodePorts.

Cases from kubernetes/kubernetes ``staging/src/k8s.io/api/core/v1/toleration_test.go``
(``TestTolerationToleratesTaint``), ``pkg/scheduler/framework/plugins/tainttoleration/
taint_toleration_test.go`` (``TestTaintTolerationScore``, ``TestTaintTolerationFilter``),
``nodeunschedulable/node_unschedulable_test.go``, ``nodename/node_name_test.go`` and
``nodeports/node_ports_test.go`` (names kept from the tables).
"""

from __future__ import annotations

import pytest

from clustersim.kubernetes.scheduler import tolerates
from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.framework import Code, CycleState
from clustersim.kubernetes.scheduler.plugins.nodename import NodeName
from clustersim.kubernetes.scheduler.plugins.nodeports import NodePorts
from clustersim.kubernetes.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from clustersim.kubernetes.scheduler.plugins.tainttoleration import ERR_REASON, TaintToleration


@pytest.mark.parametrize(
    ("toleration", "taint", "want"),
    [
        (
            {"key": "foo", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "foo", "effect": "NoSchedule"},
            True,
        ),
        (
            {"key": "foo", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "foo", "value": "bar", "effect": "NoSchedule"},
            True,
        ),
        (
            {"key": "", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "foo", "value": "bar", "effect": "NoSchedule"},
            True,
        ),
        (
            {"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"},
            {"key": "foo", "value": "bar", "effect": "NoSchedule"},
            True,
        ),
        (
            {"key": "foo", "operator": "Equal", "value": "value1", "effect": "NoSchedule"},
            {"key": "foo", "value": "value2", "effect": "NoSchedule"},
            False,
        ),
        (
            {"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"},
            {"key": "foo", "value": "bar", "effect": "PreferNoSchedule"},
            False,
        ),
        (
            {"key": "foo", "value": "bar"},
            {"key": "foo", "value": "bar", "effect": "NoExecute"},
            True,
        ),
        ({"operator": "Exists"}, {"key": "anything", "value": "x", "effect": "NoExecute"}, True),
    ],
    ids=[
        "same key and effect, Exists, taint without value",
        "same key and effect, Exists, taint with value",
        "empty key with Exists matches all taints of that effect",
        "same key, effect and value, Equal",
        "different values, Equal",
        "different effects, Equal",
        "empty effect and operator mean any effect and Equal",
        "empty key and effect with Exists tolerates everything",
    ],
)
def test_toleration_tolerates_taint(toleration, taint, want):
    assert tolerates(toleration, taint) is want


def tol(key, value, effect, operator="Equal"):
    return {"key": key, "operator": operator, "value": value, "effect": effect}


def taint(key, value, effect):
    return {"key": key, "value": value, "effect": effect}


@pytest.mark.parametrize(
    ("tolerations", "node_taints", "want"),
    [
        (
            [tol("foo", "bar", "PreferNoSchedule")],
            [[taint("foo", "bar", "PreferNoSchedule")], [taint("foo", "blah", "PreferNoSchedule")]],
            [100, 0],
        ),
        (
            [
                tol("cpu-type", "arm64", "PreferNoSchedule"),
                tol("disk-type", "ssd", "PreferNoSchedule"),
            ],
            [
                [],
                [taint("cpu-type", "arm64", "PreferNoSchedule")],
                [
                    taint("cpu-type", "arm64", "PreferNoSchedule"),
                    taint("disk-type", "ssd", "PreferNoSchedule"),
                ],
            ],
            [100, 100, 100],
        ),
        (
            [tol("foo", "bar", "PreferNoSchedule")],
            [
                [],
                [taint("cpu-type", "arm64", "PreferNoSchedule")],
                [
                    taint("cpu-type", "arm64", "PreferNoSchedule"),
                    taint("disk-type", "ssd", "PreferNoSchedule"),
                ],
            ],
            [100, 50, 0],
        ),
        (
            [tol("cpu-type", "arm64", "NoSchedule"), tol("disk-type", "ssd", "NoSchedule")],
            [
                [],
                [taint("cpu-type", "arm64", "NoSchedule")],
                [taint("cpu-type", "arm64", "PreferNoSchedule")],
            ],
            [100, 100, 0],
        ),
        ([], [[], [taint("cpu-type", "arm64", "PreferNoSchedule")]], [100, 0]),
    ],
    ids=[
        "node with taints tolerated by the pod gets a higher score",
        "all taints tolerated: same score however many taints",
        "the more intolerable taints a node has, the lower score it gets",
        "only taints and tolerations that have effect PreferNoSchedule are checked",
        "Default behaviour No taints and tolerations, lands on node with no taints",
    ],
)
def test_taint_toleration_score(tolerations, node_taints, want):
    pod = make_pod("p", tolerations=tolerations)
    nodes = [make_node(f"n{i}", {"cpu": 1}, taints=t) for i, t in enumerate(node_taints)]
    plugin = TaintToleration()
    state = CycleState(pod, nodes)
    plugin.pre_score(state, pod, nodes)
    scores = [plugin.score(state, pod, n) for n in nodes]
    plugin.normalize(state, pod, [n.name for n in nodes], scores)
    assert scores == want


@pytest.mark.parametrize(
    ("tolerations", "node_taints", "fits"),
    [
        ([], [taint("dedicated", "user1", "NoSchedule")], False),
        (
            [tol("dedicated", "user1", "NoSchedule")],
            [taint("dedicated", "user1", "NoSchedule")],
            True,
        ),
        (
            [tol("dedicated", "user2", "NoSchedule")],
            [taint("dedicated", "user1", "NoSchedule")],
            False,
        ),
        (
            [{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}],
            [taint("foo", "bar", "NoSchedule")],
            True,
        ),
        (
            [
                tol("dedicated", "user2", "NoSchedule"),
                {"key": "foo", "operator": "Exists", "effect": "NoSchedule"},
            ],
            [taint("dedicated", "user2", "NoSchedule"), taint("foo", "bar", "NoSchedule")],
            True,
        ),
        ([tol("foo", "bar", "PreferNoSchedule")], [taint("foo", "bar", "NoSchedule")], False),
        (
            [{"key": "foo", "operator": "Equal", "value": "bar"}],
            [taint("foo", "bar", "NoSchedule")],
            True,
        ),
        (
            [tol("dedicated", "user2", "NoSchedule")],
            [taint("dedicated", "user1", "PreferNoSchedule")],
            True,
        ),
        ([], [taint("dedicated", "user1", "PreferNoSchedule")], True),
    ],
    ids=[
        "no tolerations, tainted node",
        "dedicated node for user1",
        "dedicated node for user2",
        "Exists tolerates",
        "multiple tolerations and taints, all tolerated",
        "keys and values match but effect doesn't",
        "empty toleration effect matches NoSchedule",
        "untolerated PreferNoSchedule does not filter",
        "no tolerations, PreferNoSchedule taint",
    ],
)
def test_taint_toleration_filter(tolerations, node_taints, fits):
    pod = make_pod("p", tolerations=tolerations)
    node = make_node("n", {"cpu": 1}, taints=node_taints)
    status = TaintToleration().filter(CycleState(pod, [node]), pod, node)
    if fits:
        assert status.success
    else:
        assert (status.code, status.reasons) == (Code.UNSCHEDULABLE_AND_UNRESOLVABLE, (ERR_REASON,))


def test_node_unschedulable():
    """node_unschedulable_test.go: a cordoned node takes only pods tolerating
    ``node.kubernetes.io/unschedulable:NoSchedule``."""
    node = make_node("n", {"cpu": 1}, unschedulable=True)
    plugin = NodeUnschedulable()
    plain = make_pod("p")
    status = plugin.filter(CycleState(plain, [node]), plain, node)
    assert (status.code, status.reasons) == (
        Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
        ("node(s) were unschedulable",),
    )
    tolerant = make_pod(
        "p",
        tolerations=[
            {
                "key": "node.kubernetes.io/unschedulable",
                "operator": "Exists",
                "effect": "NoSchedule",
            }
        ],
    )
    assert plugin.filter(CycleState(tolerant, [node]), tolerant, node).success
    node.unschedulable = False
    assert plugin.filter(CycleState(plain, [node]), plain, node).success


def test_node_name():
    """node_name_test.go: no name fits anywhere; a name fits only that node."""
    nodes = [make_node("foo", {"cpu": 1}), make_node("bar", {"cpu": 1})]
    named = make_pod("p", nodeName="foo")
    assert [NodeName().filter(CycleState(named, nodes), named, n).success for n in nodes] == [
        True,
        False,
    ]
    assert NodeName().filter(CycleState(named, nodes), named, nodes[1]).reasons == (
        "node(s) didn't match the requested node name",
    )


def ported(*ports):
    pod = make_pod("p", {})
    pod["spec"]["containers"][0]["ports"] = [
        {"containerPort": 80, "hostPort": p, "protocol": proto, **({"hostIP": ip} if ip else {})}
        for ip, proto, p in ports
    ]
    return pod


@pytest.mark.parametrize(
    ("existing", "incoming", "fits"),
    [
        ((), ported(), True),
        (((None, "UDP", 8080),), ported((None, "UDP", 9090)), True),
        (((None, "UDP", 8080),), ported((None, "UDP", 8080)), False),
        ((("127.0.0.1", "TCP", 8080),), ported(("127.0.0.1", "TCP", 8001)), True),
        ((("127.0.0.1", "TCP", 8080),), ported(("127.0.0.1", "UDP", 8080)), True),
        ((("127.0.0.1", "TCP", 8080),), ported(("127.0.0.2", "TCP", 8080)), True),
        ((("127.0.0.1", "TCP", 8080),), ported(("0.0.0.0", "TCP", 8080)), False),
        ((("0.0.0.0", "TCP", 8001),), ported(("10.0.10.10", "TCP", 8001)), False),
    ],
    ids=[
        "nothing running",
        "other port",
        "same udp port",
        "same ip, different port",
        "same ip and port, different protocol",
        "different host ip, same port",
        "0.0.0.0 conflicts with a specific ip",
        "a specific ip conflicts with 0.0.0.0",
    ],
)
def test_node_ports(existing, incoming, fits):
    """node_ports_test.go ``TestNodePorts``."""
    node = make_node("n", {"cpu": 1}, pods=[ported(*existing)] if existing else ())
    plugin = NodePorts()
    state = CycleState(incoming, [node])
    _, status = plugin.pre_filter(state, incoming)
    if status.skip:
        assert fits
        return
    result = plugin.filter(state, incoming, node)
    assert result.success is fits
    if not fits:
        assert result.reasons == ("node(s) didn't have free ports for the requested pod ports",)
