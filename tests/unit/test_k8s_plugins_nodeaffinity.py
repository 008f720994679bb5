"""NodeAffinity: nodeSelector, required and preferred terms, matchFields, addedAffinity.

Cases from kubernetes/kubernetes ``pkg/scheduler/framework/plugins/nodeaffinity/
node_affinity_test.go`` (``TestNodeAffinity``, ``TestNodeAffinityPriority``), names kept.
"""

from __future__ import annotations

import pytest

from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.framework import Code, CycleState
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import (
    ERR_REASON_CONFLICT,
    ERR_REASON_ENFORCED,
    ERR_REASON_POD,
    NodeAffinity,
)


def required(*terms):
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}
        }
    }


def expr(key, operator, *values):
    return {"key": key, "operator": operator, **({"values": list(values)} if values else {})}


def run(pod, labels, name="node1", args=None):
    node = make_node(name, {"cpu": 1}, labels=labels, hostname_label=False)
    plugin = NodeAffinity(args)
    state = CycleState(pod, [node])
    names, status = plugin.pre_filter(state, pod)
    if status.rejected:
        return status, names
    if status.skip:
        return plugin.filter(state, pod, node) if args else status, names
    return plugin.filter(state, pod, node), names


FITS, MISS = True, False
CASES = [
    ("missing labels", make_pod(nodeSelector={"foo": "bar"}), {}, MISS),
    ("same labels", make_pod(nodeSelector={"foo": "bar"}), {"foo": "bar"}, FITS),
    (
        "node labels are superset",
        make_pod(nodeSelector={"foo": "bar"}),
        {"foo": "bar", "baz": "blah"},
        FITS,
    ),
    (
        "node labels are subset",
        make_pod(nodeSelector={"foo": "bar", "baz": "blah"}),
        {"foo": "bar"},
        MISS,
    ),
    (
        "Pod with matchExpressions using In operator that matches the existing node",
        make_pod(affinity=required({"matchExpressions": [expr("foo", "In", "bar", "value2")]})),
        {"foo": "bar"},
        FITS,
    ),
    (
        "Pod with matchExpressions using Gt operator that matches the existing node",
        make_pod(affinity=required({"matchExpressions": [expr("kernel-version", "Gt", "0204")]})),
        {"kernel-version": "0206"},
        FITS,
    ),
    (
        "Pod with matchExpressions using NotIn operator that matches the existing node",
        make_pod(
            affinity=required({"matchExpressions": [expr("mem-type", "NotIn", "DDR", "DDR2")]})
        ),
        {"mem-type": "DDR3"},
        FITS,
    ),
    (
        "Pod with matchExpressions using Exists operator that matches the existing node",
        make_pod(affinity=required({"matchExpressions": [expr("GPU", "Exists")]})),
        {"GPU": "NVIDIA-GRID-K1"},
        FITS,
    ),
    (
        "Pod with affinity that don't match node's labels won't schedule onto the node",
        make_pod(affinity=required({"matchExpressions": [expr("foo", "In", "value1", "value2")]})),
        {"foo": "bar"},
        MISS,
    ),
    (
        "Pod with empty MatchExpressions is not a valid value will match no objects",
        make_pod(affinity=required({"matchExpressions": []})),
        {"foo": "bar"},
        MISS,
    ),
    ("Pod with no Affinity will schedule onto a node", make_pod(), {"foo": "bar"}, FITS),
    (
        "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
        make_pod(
            affinity=required(
                {"matchExpressions": [expr("GPU", "Exists"), expr("GPU", "NotIn", "AMD", "INTER")]}
            )
        ),
        {"GPU": "AMD"},
        MISS,
    ),
    (
        "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels",
        make_pod(
            affinity=required(
                {"matchExpressions": [expr("foo", "In", "bar", "value2")]},
                {"matchExpressions": [expr("diffkey", "In", "wrong", "value2")]},
            )
        ),
        {"foo": "bar"},
        FITS,
    ),
    (
        "Pod with an Affinity and a PodSpec.NodeSelector, both are satisfied",
        make_pod(
            nodeSelector={"foo": "bar"},
            affinity=required({"matchExpressions": [expr("foo", "Exists")]}),
        ),
        {"foo": "bar"},
        FITS,
    ),
    (
        "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector is not satisfied",
        make_pod(
            nodeSelector={"foo": "bar"},
            affinity=required({"matchExpressions": [expr("foo", "Exists")]}),
        ),
        {"foo": "barrrrrr"},
        MISS,
    ),
    (
        "Pod with matchFields using In operator that matches the existing node",
        make_pod(affinity=required({"matchFields": [expr("metadata.name", "In", "node1")]})),
        {},
        FITS,
    ),
    (
        "Pod with matchFields using In operator that does not match the existing node",
        make_pod(affinity=required({"matchFields": [expr("metadata.name", "In", "node1")]})),
        {},
        MISS,
    ),
    (
        "Pod with two terms: matchFields does not match, but matchExpressions matches",
        make_pod(
            affinity=required(
                {"matchFields": [expr("metadata.name", "In", "node1")]},
                {"matchExpressions": [expr("foo", "In", "bar")]},
            )
        ),
        {"foo": "bar"},
        FITS,
    ),
    (
        "Pod with one term: matchFields does not match, but matchExpressions matches",
        make_pod(
            affinity=required(
                {
                    "matchFields": [expr("metadata.name", "In", "node1")],
                    "matchExpressions": [expr("foo", "In", "bar")],
                }
            )
        ),
        {"foo": "bar"},
        MISS,
    ),
]


ON_NODE2 = {  # the matchFields cases run against a node named node2
    "Pod with matchFields using In operator that does not match the existing node",
    "Pod with two terms: matchFields does not match, but matchExpressions matches",
    "Pod with one term: matchFields does not match, but matchExpressions matches",
}


@pytest.mark.parametrize(("name", "pod", "labels", "fits"), CASES, ids=[c[0] for c in CASES])
def test_node_affinity_filter(name, pod, labels, fits):
    node_name = "node2" if name in ON_NODE2 else "node1"
    status, names = run(pod, labels, node_name)
    if names is not None and node_name not in names:
        assert not fits  # PreFilter already left this node out
        return
    if fits:
        assert status.success or status.skip
    else:
        assert (status.code, status.reasons) == (
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            (ERR_REASON_POD,),
        )


def test_prefilter_narrows_to_named_nodes():
    """``TestNodeAffinity`` PreFilter results: the union over terms that all name nodes; an
    empty intersection inside one term is a conflict."""
    both = make_pod(
        affinity=required(
            {"matchFields": [expr("metadata.name", "In", "node1")]},
            {"matchFields": [expr("metadata.name", "In", "node2")]},
        )
    )
    assert run(both, {})[1] == {"node1", "node2"}
    mixed = make_pod(
        affinity=required(
            {"matchFields": [expr("metadata.name", "In", "node1")]},
            {"matchExpressions": [expr("foo", "In", "bar")]},
        )
    )
    assert run(mixed, {"foo": "bar"})[1] is None
    conflict = make_pod(
        affinity=required(
            {
                "matchFields": [
                    expr("metadata.name", "In", "node1"),
                    expr("metadata.name", "In", "node2"),
                ]
            }
        )
    )
    status, _ = run(conflict, {})
    assert (status.code, status.reasons) == (
        Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
        (ERR_REASON_CONFLICT,),
    )


def test_added_affinity_is_enforced():
    """``TestNodeAffinity`` "Pod with no affinity and node doesn't match addedAffinity"."""
    args = {
        "addedAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [expr("zone", "In", "foo")]}]
            }
        }
    }
    status, _ = run(make_pod(), {"zone": "bar"}, args=args)
    assert status.reasons == (ERR_REASON_ENFORCED,)
    status, _ = run(make_pod(), {"zone": "foo"}, args=args)
    assert status.success


def preferred(*terms):
    return {
        "nodeAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": w, "preference": {"matchExpressions": exprs}} for w, exprs in terms
            ]
        }
    }


AFFINITY1 = preferred((2, [expr("foo", "In", "bar")]))
AFFINITY3 = preferred(
    (2, [expr("foo", "In", "bar")]),
    (4, [expr("key", "In", "value")]),
    (5, [expr("foo", "In", "bar"), expr("key", "In", "value"), expr("az", "In", "az1")]),
)


@pytest.mark.parametrize(
    ("pod", "labels", "want"),
    [
        (make_pod(), [{"foo": "bar"}, {"key": "value"}, {"az": "az1"}], None),
        (
            make_pod(affinity=AFFINITY1),
            [{"key": "value"}, {"az": "az1"}, {"abc": "az11"}],
            [0, 0, 0],
        ),
        (
            make_pod(affinity=AFFINITY1),
            [{"foo": "bar"}, {"key": "value"}, {"az": "az1"}],
            [100, 0, 0],
        ),
        (
            make_pod(affinity=AFFINITY3),
            [{"foo": "bar"}, {"foo": "bar", "key": "value", "az": "az1"}, {"key": "value"}],
            [18, 100, 36],
        ),
    ],
    ids=[
        "all nodes are same priority as NodeAffinity is nil",
        "no node matches preferred scheduling requirements in NodeAffinity of pod",
        "only node1 matches the preferred scheduling requirements of pod",
        "all nodes matches the preferred scheduling requirements, with different priorities",
    ],
)
def test_node_affinity_priority(pod, labels, want):
    nodes = [
        make_node(f"node{i + 1}", {"cpu": 1}, labels=lab, hostname_label=False)
        for i, lab in enumerate(labels)
    ]
    plugin = NodeAffinity()
    state = CycleState(pod, nodes)
    if plugin.pre_score(state, pod, nodes).skip:
        assert want is None
        return
    scores = [plugin.score(state, pod, n) for n in nodes]
    plugin.normalize(state, pod, [n.name for n in nodes], scores)
    assert scores == want
