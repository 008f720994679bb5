"""PodTopologySpread against upstream's test tables.

Cases from kubernetes/kubernetes ``pkg/scheduler/framework/plugins/podtopologyspread/``
``filtering_test.go`` (``TestSingleConstraint``, ``TestPreFilterStateAddPod``) and
``scoring_test.go`` (``TestPodTopologySpreadScore``), names kept from the tables.
"""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.nodeinfo import HOSTNAME_LABEL
from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.framework import Code, CycleState
from clustersim.kubernetes.scheduler.listers import StaticLister
from clustersim.kubernetes.scheduler.plugins.podtopologyspread import (
    PodTopologySpread,
    default_selector,
)
from clustersim.kubernetes.scheduler.spreadcounts import SpreadCounts

FOO = {"matchExpressions": [{"key": "foo", "operator": "Exists"}]}
BAR = {"matchExpressions": [{"key": "bar", "operator": "Exists"}]}
OK, NO, NEVER = Code.SUCCESS, Code.UNSCHEDULABLE, Code.UNSCHEDULABLE_AND_UNRESOLVABLE


def constraint(skew, key, when="DoNotSchedule", selector=FOO, **extra):
    return {
        "maxSkew": skew,
        "topologyKey": key,
        "whenUnsatisfiable": when,
        "labelSelector": selector,
        **extra,
    }


def pod(labels, *constraints, **spec):
    """The incoming pod: ``labels`` like "foo bar" (each label with an empty value)."""
    return make_pod(
        "p",
        labels=dict.fromkeys(labels.split(), ""),
        topologySpreadConstraints=list(constraints),
        **spec,
    )


def nodes(spec, existing):
    """``spec``: name → labels; ``existing``: (node, "label label", [namespace]) per pod."""
    infos = {}
    for name, labels in spec.items():
        infos[name] = make_node(
            name, {"cpu": 4, "memory": "8Gi"}, labels=labels, hostname_label=False
        )
    for i, (node, labels, *namespace) in enumerate(existing):
        infos[node].add_pod(
            make_pod(
                f"e{i}",
                labels=dict.fromkeys(labels.split(), ""),
                namespace=namespace[0] if namespace else "default",
            )
        )
    return list(infos.values())


FOUR = {
    "node-a": {"zone": "zone1", "node": "node-a"},
    "node-b": {"zone": "zone1", "node": "node-b"},
    "node-x": {"zone": "zone2", "node": "node-x"},
    "node-y": {"zone": "zone2", "node": "node-y"},
}
SPREAD_2103 = [
    ("node-a", "foo"),
    ("node-a", "foo"),
    ("node-b", "foo"),
    ("node-y", "foo"),
    ("node-y", "foo"),
    ("node-y", "foo"),
]


def filter_codes(incoming, infos):
    plugin = PodTopologySpread()
    state = CycleState(incoming, infos)
    plugin.pre_filter(state, incoming)
    return {n.name: plugin.filter(state, incoming, n).code for n in infos}


FILTER_CASES = [
    (
        "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
        pod("foo", constraint(1, "zone")),
        {**FOUR, "node-b": {"zon": "zone1", "node": "node-b"}},
        [("node-a", "foo"), ("node-b", "foo"), ("node-x", "foo"), ("node-y", "foo")],
        {"node-a": OK, "node-b": NEVER, "node-x": NO, "node-y": NO},
    ),
    (
        "pod cannot be scheduled as all nodes don't have label 'rack'",
        pod("foo", constraint(1, "rack")),
        {"node-a": FOUR["node-a"], "node-x": FOUR["node-x"]},
        [],
        {"node-a": NEVER, "node-x": NEVER},
    ),
    (
        "pods spread across nodes as 2/1/0/3, only node-x fits",
        pod("foo", constraint(1, "node")),
        FOUR,
        SPREAD_2103,
        {"node-a": NO, "node-b": NO, "node-x": OK, "node-y": NO},
    ),
    (
        "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
        pod("foo", constraint(2, "node")),
        FOUR,
        SPREAD_2103,
        {"node-a": NO, "node-b": OK, "node-x": OK, "node-y": NO},
    ),
    (
        "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
        pod("bar", constraint(1, "node")),
        FOUR,
        SPREAD_2103,
        {"node-a": NO, "node-b": OK, "node-x": OK, "node-y": NO},
    ),
    (
        "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
        pod(
            "foo",
            constraint(1, "node"),
            affinity={
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {
                                "matchExpressions": [
                                    {
                                        "key": "node",
                                        "operator": "In",
                                        "values": ["node-a", "node-y"],
                                    }
                                ]
                            }
                        ]
                    }
                }
            },
        ),
        FOUR,
        SPREAD_2103,
        {"node-a": OK, "node-b": OK, "node-x": OK, "node-y": NO},
    ),
    (
        "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains",
        pod("foo", constraint(2, "node", minDomains=4)),
        {n: {"node": n} for n in ("node-a", "node-b", "node-c")},
        [
            ("node-a", "foo"),
            ("node-a", "foo"),
            ("node-b", "foo"),
            ("node-b", "foo"),
            ("node-c", "foo"),
        ],
        {"node-a": NO, "node-b": NO, "node-c": OK},
    ),
    (
        "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains",
        pod("foo", constraint(2, "node", minDomains=2)),
        {n: {"node": n} for n in ("node-a", "node-b", "node-c")},
        [
            ("node-a", "foo"),
            ("node-a", "foo"),
            ("node-b", "foo"),
            ("node-b", "foo"),
            ("node-c", "foo"),
        ],
        {"node-a": OK, "node-b": OK, "node-c": OK},
    ),
    (
        "pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains",
        pod("foo", constraint(2, "zone", minDomains=3)),
        FOUR,
        [("node-a", "foo"), ("node-b", "foo"), ("node-y", "foo")],
        {"node-a": NO, "node-b": NO, "node-x": OK, "node-y": OK},
    ),
    (
        "NodeAffinityPolicy honored with labelSelectors",
        pod("foo", constraint(1, "node"), nodeSelector={"foo": ""}),
        {
            "node-a": {"node": "node-a", "foo": ""},
            "node-b": {"node": "node-b", "foo": ""},
            "node-x": {"node": "node-x", "foo": ""},
            "node-y": {"node": "node-y"},
        },
        [("node-a", "foo"), ("node-b", "foo"), ("node-y", "foo")],
        {"node-a": NO, "node-b": NO, "node-x": OK, "node-y": OK},
    ),
    (
        "NodeAffinityPolicy ignored with labelSelectors",
        pod("foo", constraint(1, "node", nodeAffinityPolicy="Ignore"), nodeSelector={"foo": ""}),
        {
            "node-a": {"node": "node-a", "foo": ""},
            "node-b": {"node": "node-b", "foo": ""},
            "node-x": {"node": "node-x", "foo": ""},
            "node-y": {"node": "node-y"},
        },
        [("node-a", "foo"), ("node-b", "foo"), ("node-y", "foo")],
        {"node-a": NO, "node-b": NO, "node-x": OK, "node-y": NO},
    ),
]


@pytest.mark.parametrize(
    ("name", "incoming", "spec", "existing", "want"), FILTER_CASES, ids=[c[0] for c in FILTER_CASES]
)
def test_single_constraint_filter(name, incoming, spec, existing, want):
    assert filter_codes(incoming, nodes(spec, existing)) == want


def test_terminating_and_other_namespace_pods_do_not_count():
    """filtering_test.go "terminating Pods should be excluded", plus a pod of another
    namespace (``TestPreFilterStateAddPod`` "add a pod in a different namespace ...")."""
    infos = nodes(
        {"node-a": {"node": "node-a"}, "node-b": {"node": "node-b"}},
        [("node-a", "foo"), ("node-b", "foo"), ("node-a", "foo", "ns1")],
    )
    infos[0].pods[0]["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    assert filter_codes(pod("foo", constraint(1, "node")), infos) == {"node-a": OK, "node-b": NO}


EMPTY_SELECTORS = [{}, {"matchLabels": {}, "matchExpressions": []}, None]
EMPTY_IDS = ["labelSelector: {}", "no matchLabels nor matchExpressions", "no labelSelector"]


@pytest.mark.parametrize("selector", EMPTY_SELECTORS, ids=EMPTY_IDS)
def test_an_empty_or_missing_selector_counts_no_pod(selector):
    """``countPodsMatchSelector`` (``podtopologyspread/common.go``) returns 0 for an empty
    selector (``LabelSelectorAsSelector`` makes ``labels.Everything()``, and its ``Empty()``
    is true); a missing one is ``labels.Nothing()``, which matches no pod. Either way the
    pods spread 2/1/0/3 count for nothing and every node fits."""
    incoming = pod("foo", constraint(1, "node", selector=selector))
    assert filter_codes(incoming, nodes(FOUR, SPREAD_2103)) == dict.fromkeys(FOUR, OK)


@pytest.mark.parametrize("selector", EMPTY_SELECTORS, ids=EMPTY_IDS)
def test_an_empty_selector_scores_every_node_alike(selector):
    """PreScore and Score count through ``countPodsMatchSelector`` too (``scoring.go``)."""
    infos = nodes(hosts("node-a", "node-b", "node-c", "node-d"), ABCD_2103)
    incoming = pod("foo", constraint(1, HOSTNAME_LABEL, "ScheduleAnyway", selector=selector))
    assert set(scores(incoming, infos).values()) == {100}


def test_spread_counts_count_no_pod_for_an_empty_selector():
    """The counts the scheduler keeps across cycles (``SpreadCounts``) agree: none for an
    empty selector, every pod of the namespace for one that all match."""
    counts = SpreadCounts(nodes(FOUR, SPREAD_2103))
    assert counts.counts("default", {}).tolist() == [0, 0, 0, 0]
    assert counts.counts("default", FOO).tolist() == [2, 1, 0, 3]


def test_a_cluster_places_a_pod_whose_spread_selector_is_empty():
    """Through the whole scheduler: three pods on node-a, and a pod that may only go there
    with a DoNotSchedule spread of ``labelSelector: {}`` over both nodes
    (``nodeAffinityPolicy: Ignore``). Counting those three would leave it pending
    (skew 4 > 1); upstream counts none, and it is bound."""
    cluster = KubernetesCluster([Node(n, cpu=4, memory="8Gi") for n in ("node-a", "node-b")])
    pinned = {"nodeSelector": {HOSTNAME_LABEL: "node-a"}}
    spread = {"maxSkew": 1, "topologyKey": HOSTNAME_LABEL, "whenUnsatisfiable": "DoNotSchedule",
              "labelSelector": {}, "nodeAffinityPolicy": "Ignore"}
    cluster.apply([
        _manifest(f"e{i}", pinned) for i in range(3)
    ] + [_manifest("p", {**pinned, "topologySpreadConstraints": [spread]})])
    cluster.run()
    assert {p.name: p.node for p in cluster.pods()} == dict.fromkeys(
        ("e0", "e1", "e2", "p"), "node-a")


def _manifest(name: str, spec: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {**spec, "containers": [{"name": "c", "image": "nginx:1.27"}]}}


@pytest.mark.parametrize(
    ("existing", "zone", "node"),
    [
        (
            [("node-b", "foo"), ("node-b", "foo"), ("node-x", "foo"), ("node-a", "foo")],
            {"zone1": 3, "zone2": 1},
            {"node-a": 1, "node-b": 2, "node-x": 1},
        ),
        (
            [("node-b", "foo bar"), ("node-x", "foo bar"), ("node-x", "bar"), ("node-a", "foo")],
            {"zone1": 2, "zone2": 1},
            {"node-a": 0, "node-b": 1, "node-x": 2},
        ),
    ],
    ids=[
        "node a impacts ... on node, node x impacts ... on zone",
        "Constraints hold different labelSelectors, node a impacts ... on zone",
    ],
)
def test_prefilter_counts(existing, zone, node):
    """filtering_test.go ``TestPreFilterStateAddPod``: the matching pods per domain."""
    infos = nodes({k: FOUR[k] for k in ("node-a", "node-b", "node-x")}, existing)
    selector = BAR if existing[0][1] == "foo bar" else FOO
    incoming = pod("foo bar", constraint(1, "zone"), constraint(1, "node", selector=selector))
    plugin = PodTopologySpread()
    state = CycleState(incoming, infos)
    plugin.pre_filter(state, incoming)
    assert state.data["PodTopologySpread"].match_num == [zone, node]


def test_prefilter_leaves_out_nodes_the_pod_cannot_use():
    """``TestPreFilterStateAddPod`` "... node affinity unmatched pod ...": node-a (foo=bar)
    fails the pod's NotIn affinity, so zone1 is not a domain."""
    infos = nodes(
        {
            "node-a": {"zone": "zone1", "node": "node-a", "foo": "bar"},
            "node-b": {"zone": "zone2", "node": "node-b", "foo": ""},
        },
        [("node-a", "foo"), ("node-a", "foo"), ("node-b", "foo")],
    )
    incoming = pod(
        "foo",
        constraint(1, "zone"),
        affinity={
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {"key": "foo", "operator": "NotIn", "values": ["bar"]}
                            ]
                        }
                    ]
                }
            }
        },
    )
    plugin = PodTopologySpread()
    state = CycleState(incoming, infos)
    plugin.pre_filter(state, incoming)
    assert state.data["PodTopologySpread"].match_num == [{"zone2": 1}]


# -- scoring ------------------------------------------------------------------------------------
def scores(incoming, candidates, failed=(), lister=None, args=None):
    plugin = PodTopologySpread(args)
    state = CycleState(incoming, [*candidates, *failed], lister)
    assert not plugin.pre_score(state, incoming, candidates).skip
    raw = [plugin.score(state, incoming, n) for n in candidates]
    plugin.normalize(state, incoming, [n.name for n in candidates], raw)
    return dict(zip([n.name for n in candidates], raw, strict=True))


def hosts(*names, labels=None):
    return {n: {HOSTNAME_LABEL: n, **(labels or {}).get(n, {})} for n in names}


ABCD_2103 = [
    ("node-a", "foo"),
    ("node-a", "foo"),
    ("node-b", "foo"),
    ("node-d", "foo"),
    ("node-d", "foo"),
    ("node-d", "foo"),
]
ABCD_4321 = [
    *[("node-a", "foo")] * 4,
    *[("node-b", "foo")] * 3,
    *[("node-c", "foo")] * 2,
    ("node-d", "foo"),
]
SPREAD_4213 = [
    *[("node-a", "foo")] * 4,
    *[("node-b", "foo")] * 2,
    ("node-x", "foo"),
    *[("node-y", "foo")] * 3,
]


@pytest.mark.parametrize(
    ("name", "skew", "existing", "want"),
    [
        (
            "one constraint on node, all 4 nodes are candidates, maxSkew=2",
            2,
            ABCD_2103,
            {"node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16},
        ),
        (
            "one constraint on node, all 4 nodes are candidates, maxSkew=3",
            3,
            ABCD_4321,
            {"node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100},
        ),
    ],
)
def test_score_one_constraint_on_hostname(name, skew, existing, want):
    infos = nodes(hosts("node-a", "node-b", "node-c", "node-d"), existing)
    incoming = pod("foo", constraint(skew, HOSTNAME_LABEL, "ScheduleAnyway"))
    assert scores(incoming, infos) == want


def test_score_three_of_four_candidates():
    """scoring_test.go "one constraint on node, 3 out of 4 nodes are candidates" and
    "..., one node doesn't match topology key"."""
    infos = nodes(hosts("node-a", "node-b", "node-x", "node-y"), SPREAD_4213)
    incoming = pod("foo", constraint(1, HOSTNAME_LABEL, "ScheduleAnyway"))
    assert scores(incoming, infos[:3], infos[3:]) == {"node-a": 33, "node-b": 83, "node-x": 100}
    spec = hosts("node-a", "node-b", "node-x", "node-y")
    spec["node-b"] = {"n": "node-b"}
    infos = nodes(spec, SPREAD_4213)
    assert scores(incoming, infos[:3], infos[3:]) == {"node-a": 16, "node-b": 0, "node-x": 100}


def test_score_one_constraint_on_zone():
    """scoring_test.go "one constraint on zone, 3 out of 4 nodes are candidates"."""
    zones = {
        "node-a": {"zone": "zone1"},
        "node-b": {"zone": "zone1"},
        "node-x": {"zone": "zone2"},
        "node-y": {"zone": "zone2"},
    }
    infos = nodes(hosts("node-a", "node-b", "node-x", "node-y", labels=zones), SPREAD_4213)
    incoming = pod("foo", constraint(1, "zone", "ScheduleAnyway"))
    assert scores(incoming, infos[:3], infos[3:]) == {"node-a": 75, "node-b": 75, "node-x": 100}


@pytest.mark.parametrize(
    ("existing", "want"),
    [
        (
            [("node-a", "foo"), ("node-b", "foo bar"), ("node-y", "foo"), ("node-y", "bar")],
            {"node-a": 60, "node-b": 20, "node-x": 100, "node-y": 60},
        ),
        (
            [("node-b", "bar"), ("node-x", "foo"), ("node-y", "foo bar")],
            {"node-a": 100, "node-b": 60, "node-x": 40, "node-y": 0},
        ),
    ],
    ids=[
        "two Constraints on zone and node, with different labelSelectors",
        "... some nodes have 0 pods",
    ],
)
def test_score_two_constraints(existing, want):
    zones = {
        "node-a": {"zone": "zone1"},
        "node-b": {"zone": "zone1"},
        "node-x": {"zone": "zone2"},
        "node-y": {"zone": "zone2"},
    }
    infos = nodes(hosts("node-a", "node-b", "node-x", "node-y", labels=zones), existing)
    incoming = pod(
        "foo bar",
        constraint(1, "zone", "ScheduleAnyway"),
        constraint(1, HOSTNAME_LABEL, "ScheduleAnyway", selector=BAR),
    )
    assert scores(incoming, infos) == want


def test_system_defaults_for_a_pod_selected_by_a_service():
    """scoring_test.go "system defaulting, nodes don't have zone, pods match service": the
    same scores as one hostname constraint with maxSkew 3."""
    infos = nodes(hosts("node-a", "node-b", "node-c", "node-d"), ABCD_4321)
    lister = StaticLister(services=[{"metadata": {"name": "s"}, "spec": {"selector": {"foo": ""}}}])
    incoming = make_pod("p", labels={"foo": ""})
    assert scores(incoming, infos, lister=lister) == {
        "node-a": 44,
        "node-b": 66,
        "node-c": 77,
        "node-d": 100,
    }
    plugin = PodTopologySpread()
    assert plugin.pre_score(CycleState(incoming, infos), incoming, infos).skip


def test_default_selector_merges_services_and_the_controller():
    """``helper.DefaultSelector``: Service selectors merged, ANDed with the ReplicaSet's."""
    rs = {
        "kind": "ReplicaSet",
        "metadata": {"name": "web-1", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}},
    }
    lister = StaticLister(
        services=[
            {"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}},
            {"metadata": {"name": "other"}, "spec": {"selector": {"app": "db"}}},
        ],
        controllers=[rs],
    )
    incoming = make_pod("p", labels={"app": "web", "tier": "front"})
    incoming["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "controller": True}
    ]
    assert default_selector(incoming, lister) == {
        "matchLabels": {"app": "web"},
        "matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}],
    }
    assert default_selector(make_pod("q", labels={"x": "y"}), lister) == {}


def test_default_constraints_follow_each_pods_selector():
    """Pods of one workload share their default constraints (one selector object), also
    when a pod of another workload comes between them; that pod, or a Service added
    meanwhile, gets its own."""
    lister = StaticLister(services=[
        {"metadata": {"name": "a"}, "spec": {"selector": {"app": "a"}}},
        {"metadata": {"name": "b"}, "spec": {"selector": {"app": "b"}}},
    ])
    plugin = PodTopologySpread()
    a1, a2, b = (make_pod(n, labels={"app": app}) for n, app in (("a1", "a"), ("a2", "a"),
                                                                   ("b", "b")))
    first = plugin.constraints(a1, "ScheduleAnyway", lister)
    assert [c.selector for c in plugin.constraints(b, "ScheduleAnyway", lister)] == [
        {"matchLabels": {"app": "b"}}] * 2
    again = plugin.constraints(a2, "ScheduleAnyway", lister)
    assert again == first and again[0].selector is first[0].selector
    lister._services.setdefault("default", []).append(
        {"metadata": {"name": "t"}, "spec": {"selector": {"tier": "x"}}})
    a1["metadata"]["labels"]["tier"] = "x"
    assert plugin.constraints(a1, "ScheduleAnyway", lister)[0].selector == {
        "matchLabels": {"app": "a", "tier": "x"}}
    assert [c.topology_key for c in first] == [HOSTNAME_LABEL, "topology.kubernetes.io/zone"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (
            {
                "defaultingType": "System",
                "defaultConstraints": [constraint(1, "zone", "ScheduleAnyway", None)],
            },
            "defaultConstraints",
        ),
        (
            {
                "defaultingType": "List",
                "defaultConstraints": [constraint(0, "zone", "ScheduleAnyway", None)],
            },
            "maxSkew",
        ),
        (
            {
                "defaultingType": "List",
                "defaultConstraints": [constraint(1, "zone", "ScheduleAnyway")],
            },
            "labelSelector",
        ),
        ({"defaultingType": "Sometimes"}, "defaultingType"),
    ],
)
def test_invalid_args_are_refused(args, field):
    with pytest.raises(ValueError, match=field):
        PodTopologySpread(args)


def test_node_taints_policy():
    """``nodeTaintsPolicy: Honor`` leaves out nodes whose taints the pod does not tolerate
    when counting domains (filtering_test.go "NodeTaintsPolicy honored/ignored ...")."""
    spec = {n: {"node": n} for n in ("node-a", "node-b", "node-x", "node-y")}
    existing = [("node-a", "foo"), ("node-b", "foo"), ("node-x", "foo")]
    taint = {"key": "foo", "value": "bar", "effect": "NoSchedule"}

    def codes(policy):
        infos = nodes(spec, existing)
        infos[3].taints.append(taint)
        return filter_codes(pod("foo", constraint(1, "node", nodeTaintsPolicy=policy)), infos)

    assert codes("Honor") == {"node-a": OK, "node-b": OK, "node-x": OK, "node-y": OK}
    assert codes("Ignore") == {"node-a": NO, "node-b": NO, "node-x": NO, "node-y": OK}


def test_match_label_keys_narrow_the_selector_to_the_pods_revision():
    """``matchLabelKeys``: only pods with the incoming pod's value of those labels count."""
    spec = {n: {"node": n} for n in ("node-a", "node-b")}
    infos = nodes(spec, [("node-a", "foo"), ("node-a", "foo")])
    for existing in infos[0].pods:
        existing["metadata"]["labels"]["version"] = "v1"
    incoming = pod("foo", constraint(1, "node"))
    incoming["metadata"]["labels"]["version"] = "v2"
    assert filter_codes(incoming, infos) == {"node-a": NO, "node-b": OK}
    keyed = pod("foo", constraint(1, "node", matchLabelKeys=["version"]))
    keyed["metadata"]["labels"]["version"] = "v2"
    assert filter_codes(keyed, infos) == {"node-a": OK, "node-b": OK}


class _ChangingLister:
    """A lister whose Services and ReplicaSets change, reporting a new version each time."""

    def __init__(self) -> None:
        self.services_by_name: dict[str, dict] = {}
        self.sets: dict[str, dict] = {}
        self.count = 0

    def services(self, namespace: str) -> list[dict]:
        return list(self.services_by_name.values()) if namespace == "default" else []

    def controller(self, namespace: str, kind: str, name: str) -> dict | None:
        return self.sets.get(name) if (namespace, kind) == ("default", "ReplicaSet") else None

    def namespace_labels(self, namespace: str) -> dict[str, str]:
        return {}

    def version(self) -> int:
        return self.count


def _owned(name: str, labels: dict, owner: str | None, namespace: str = "default") -> dict:
    manifest = make_pod(name, labels=labels, namespace=namespace)
    if owner is not None:
        manifest["metadata"]["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner, "controller": True}
        ]
    return manifest


@pytest.mark.parametrize("seed", range(30))
def test_kept_default_constraints_equal_a_fresh_default_selector(seed):
    """The default constraints kept per pod namespace, labels and controller while the
    lister's version stays are those built afresh from ``DefaultSelector`` for every pod,
    as Services and ReplicaSets come, change and go (each change a new version)."""
    import random

    r = random.Random(seed)
    lister, plugin = _ChangingLister(), PodTopologySpread()
    for step in range(60):
        if r.random() < 0.3:
            name = r.choice("xyz")
            if r.random() < 0.5:
                lister.services_by_name[name] = {"metadata": {"name": name}, "spec": {
                    "selector": {"app": r.choice("ab"), **({"tier": "web"} if r.random() < 0.3
                                                           else {})}}}
            else:
                lister.sets[name] = {"kind": "ReplicaSet", "metadata": {"name": name},
                                     "spec": {"selector": {"matchLabels": {"app": r.choice("ab")}}}}
            if r.random() < 0.3:
                lister.services_by_name.pop(r.choice("xyz"), None)
            lister.count += 1
        labels = {"app": r.choice("ab")} | ({"tier": "web"} if r.random() < 0.5 else {})
        incoming = _owned(f"p{step}", labels, r.choice([None, "x", "y", "z"]),
                          r.choice(["default", "default", "other"]))
        got = plugin.constraints(incoming, "ScheduleAnyway", lister)
        want = default_selector(incoming, lister)
        assert [c.selector for c in got] == ([want] * 2 if want else []), step


def test_the_default_selector_is_built_once_per_workload_while_the_lister_is_unchanged(
    monkeypatch,
):
    """A lister that reports a version (a StaticLister's never changes) spares building the
    default selector for each pod of a workload; one that reports None (the cluster's) does
    not."""
    from clustersim.kubernetes.scheduler.plugins import podtopologyspread

    built = []
    monkeypatch.setattr(podtopologyspread, "default_selector",
                        lambda pod, lister: built.append(pod) or {"matchLabels": {"app": "a"}})
    lister = StaticLister()
    plugin = PodTopologySpread()
    for i in range(3):
        plugin.constraints(_owned(f"a{i}", {"app": "a"}, "rs"), "ScheduleAnyway", lister)
    assert len(built) == 1
    unversioned = _ChangingLister()
    unversioned.version = lambda: None      # type: ignore[method-assign]
    for i in range(3):
        plugin.constraints(_owned(f"b{i}", {"app": "a"}, "rs"), "ScheduleAnyway", unversioned)
    assert len(built) == 4


def test_default_selector_takes_the_owning_replicaset_of_its_group_and_version():
    """The ReplicaSet the pod's controller reference names is the one whose selector is
    ANDed, not another whose selector also matches the pod's labels; a reference to a kind
    of another group or version (a custom resource named ReplicaSet) names none, as
    ``DefaultSelector`` compares the reference's group, version and kind
    (``helper/spread.go``), where the simulator compared the kind alone."""
    narrow = {"kind": "ReplicaSet", "metadata": {"name": "web-a", "namespace": "default"},
              "spec": {"selector": {"matchLabels": {"app": "web", "track": "a"}}}}
    broad = {"kind": "ReplicaSet", "metadata": {"name": "web-b", "namespace": "default"},
             "spec": {"selector": {"matchLabels": {"app": "web"}}}}
    lister = StaticLister(controllers=[narrow, broad])
    incoming = _owned("p", {"app": "web", "track": "a"}, "web-a")
    assert default_selector(incoming, lister) == {"matchExpressions": [
        {"key": "app", "operator": "In", "values": ["web"]},
        {"key": "track", "operator": "In", "values": ["a"]}]}
    incoming = _owned("q", {"app": "web", "track": "a"}, "web-b")
    assert default_selector(incoming, lister) == {"matchExpressions": [
        {"key": "app", "operator": "In", "values": ["web"]}]}
    for api_version in ("example.com/v1", "extensions/v1beta1"):
        incoming["metadata"]["ownerReferences"][0]["apiVersion"] = api_version
        assert default_selector(incoming, lister) == {}


THREE = {k: FOUR[k] for k in ("node-a", "node-b", "node-x")}
REMOVE_POD_CASES = [
    # (name, nodes, existing pods, the constraints' keys, removed: index or (node, labels),
    #  the counts after RemovePod on that node)
    ("one spreadConstraint on zone, topologyKeyToMinPodsMap unchanged", THREE,
     [("node-a", "foo"), ("node-b", "foo"), ("node-x", "foo")], ["zone"], 0,
     [{"zone1": 1, "zone2": 1}]),
    ("one spreadConstraint on node, topologyKeyToMinPodsMap changed", FOUR,
     [("node-a", "foo"), ("node-b", "foo"), ("node-x", "foo"), ("node-y", "foo")], ["zone"],
     0, [{"zone1": 1, "zone2": 2}]),
    ("delete an irrelevant pod won't help", FOUR,
     [("node-a", "bar"), ("node-a", "foo"), ("node-b", "foo"), ("node-x", "foo"),
      ("node-y", "foo")], ["zone"], 0, [{"zone1": 2, "zone2": 2}]),
    ("delete a non-existing pod won't help", FOUR,
     [("node-a", "foo"), ("node-b", "foo"), ("node-x", "foo"), ("node-y", "foo")], ["zone"],
     ("node-a", "bar"), [{"zone1": 2, "zone2": 2}]),
    ("two spreadConstraints", THREE,
     [("node-a", "foo"), ("node-a", "foo"), ("node-b", "foo"), ("node-x", "foo"),
      ("node-x", "foo")], ["zone", "node"], 3,
     [{"zone1": 3, "zone2": 1}, {"node-a": 2, "node-b": 1, "node-x": 1}]),
]


@pytest.mark.parametrize(("name", "spec", "existing", "keys", "removed", "want"),
                         REMOVE_POD_CASES, ids=[c[0] for c in REMOVE_POD_CASES])
def test_remove_pod_updates_the_counts(name, spec, existing, keys, removed, want):
    """filtering_test.go ``TestPreFilterStateRemovePod`` (the counts it checks): PreFilter,
    then ``RemovePod`` of one Pod on one node."""
    infos = nodes(spec, existing)
    by_name = {n.name: n for n in infos}
    if isinstance(removed, int):
        node, victim = next((n, p) for n in infos for p in n.pods
                            if p["metadata"]["name"] == f"e{removed}")
    else:
        victim = make_pod("gone", labels=dict.fromkeys(removed[1].split(), ""))
        node = by_name[removed[0]]
    incoming = pod("foo", *(constraint(1, key) for key in keys))
    plugin = PodTopologySpread()
    state = CycleState(incoming, infos)
    plugin.pre_filter(state, incoming)
    plugin.remove_pod(state, incoming, victim, node)
    assert state.data["PodTopologySpread"].match_num == want


def test_removing_a_terminating_pod_leaves_the_counts_as_prefilter_finds_them():
    """PreFilter leaves a terminating Pod out (``countPodsMatchSelector``); upstream's
    ``updateWithPod`` does not look at the deletion timestamp, so its ``RemovePod`` of such
    a Pod lowers a count that never held it. Here the count stays what PreFilter finds
    without that Pod, so the dry run decides as a fresh PreFilter would."""
    infos = nodes(FOUR, [("node-a", "foo"), ("node-a", "foo"), ("node-x", "foo"),
                         ("node-y", "foo")])
    terminating = infos[0].pods[1]
    terminating["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    incoming = pod("foo", constraint(1, "zone"))
    plugin = PodTopologySpread()
    state = CycleState(incoming, infos)
    plugin.pre_filter(state, incoming)
    plugin.remove_pod(state, incoming, terminating, infos[0])
    assert state.data["PodTopologySpread"].match_num == [{"zone1": 1, "zone2": 2}]
