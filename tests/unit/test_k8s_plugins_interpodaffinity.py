"""InterPodAffinity against upstream's test tables.

Scores from kubernetes/kubernetes
``pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go`` (``TestPreferredAffinity``,
case names kept); filter cases in the spirit of ``filtering_test.go``
(``TestRequiredAffinitySingleNode``), with upstream's reasons and status codes.
"""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.framework import Code, CycleState
from clustersim.kubernetes.scheduler.labels import affinity_terms, namespace_labels
from clustersim.kubernetes.scheduler.listers import StaticLister
from clustersim.kubernetes.scheduler.plugins.interpodaffinity import (
    ERR_REASON_AFFINITY,
    ERR_REASON_ANTI_AFFINITY,
    ERR_REASON_EXISTING_ANTI_AFFINITY,
    InterPodAffinity,
)

CHINA, INDIA = {"region": "China"}, {"region": "India"}
AZ1, AZ2 = {"az": "az1"}, {"az": "az2"}
CHINA_AZ1 = {"region": "China", "az": "az1"}
S1, S2 = {"security": "S1"}, {"security": "S2"}


def term(values, key, operator="In"):
    return {
        "labelSelector": {
            "matchExpressions": [{"key": "security", "operator": operator, "values": values}]
        },
        "topologyKey": key,
    }


def weighted(weight, values, key):
    return {"weight": weight, "podAffinityTerm": term(values, key)}


STAY_S1_REGION = {
    "podAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [weighted(5, ["S1"], "region")]
    }
}
STAY_S2_REGION = {
    "podAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [weighted(6, ["S2"], "region")]
    }
}
AFFINITY3 = {
    "podAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {
                "weight": 8,
                "podAffinityTerm": {
                    "labelSelector": {
                        "matchExpressions": [
                            {"key": "security", "operator": "NotIn", "values": ["S1"]},
                            {"key": "security", "operator": "In", "values": ["S2"]},
                        ]
                    },
                    "topologyKey": "region",
                },
            },
            {
                "weight": 2,
                "podAffinityTerm": {
                    "labelSelector": {
                        "matchExpressions": [
                            {"key": "security", "operator": "Exists"},
                            {"key": "wrongkey", "operator": "DoesNotExist"},
                        ]
                    },
                    "topologyKey": "region",
                },
            },
        ]
    }
}
HARD_AFFINITY = {
    "podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            term(["S1", "value2"], "region"),
            {
                "labelSelector": {
                    "matchExpressions": [
                        {"key": "security", "operator": "Exists"},
                        {"key": "wrongkey", "operator": "DoesNotExist"},
                    ]
                },
                "topologyKey": "region",
            },
        ]
    }
}
AWAY_S1_AZ = {
    "podAntiAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [weighted(5, ["S1"], "az")]
    }
}
AWAY_S2_AZ = {
    "podAntiAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [weighted(5, ["S2"], "az")]
    }
}
STAY_S1_AWAY_S2 = {
    "podAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [weighted(8, ["S1"], "region")]
    },
    "podAntiAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [weighted(5, ["S2"], "az")]
    },
}


def cluster(node_labels, existing):
    """``existing``: (node index, labels, affinity or None) per pod already bound."""
    infos = [
        make_node(f"node{i + 1}", {"cpu": 4}, labels=labels, hostname_label=False)
        for i, labels in enumerate(node_labels)
    ]
    for k, (i, labels, affinity) in enumerate(existing):
        spec = {"affinity": affinity} if affinity else {}
        infos[i].add_pod(make_pod(f"e{k}", labels=labels, **spec))
    return infos


def scores(incoming, infos):
    plugin = InterPodAffinity()
    state = CycleState(incoming, infos)
    if plugin.pre_score(state, incoming, infos).skip:
        return None
    raw = [plugin.score(state, incoming, n) for n in infos]
    plugin.normalize(state, incoming, [n.name for n in infos], raw)
    return raw


SCORE_CASES = [
    ("all nodes are same priority as Affinity is nil", S1, None, [CHINA, INDIA, AZ1], [], None),
    (
        "Affinity: pod that matches topology key & pods in nodes will get high score",
        S1,
        STAY_S1_REGION,
        [CHINA, INDIA, AZ1],
        [(0, S1, None), (1, S2, None), (2, S1, None)],
        [100, 0, 0],
    ),
    (
        "All the nodes that have the same topology key & label value ... have the same score",
        {},
        STAY_S1_REGION,
        [CHINA, CHINA_AZ1, INDIA],
        [(0, S1, None)],
        [100, 100, 0],
    ),
    (
        "Affinity: nodes in one region has more matching pods comparing to other region",
        S1,
        STAY_S2_REGION,
        [CHINA, INDIA, CHINA, CHINA, INDIA],
        [(0, S2, None), (0, S2, None), (1, S2, None), (2, S2, None), (3, S2, None), (4, S2, None)],
        [100, 0, 100, 100, 0],
    ),
    (
        "Affinity: different Label operators and values for pod affinity scheduling preference",
        S1,
        AFFINITY3,
        [CHINA, INDIA, AZ1],
        [(0, S1, None), (1, S2, None), (2, S1, None)],
        [20, 100, 0],
    ),
    (
        "Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution",
        S2,
        None,
        [CHINA, INDIA, AZ1],
        [(0, S1, STAY_S1_REGION), (1, S2, STAY_S2_REGION)],
        [0, 100, 0],
    ),
    (
        "Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution",
        S1,
        None,
        [CHINA, INDIA, AZ1],
        [(0, S1, HARD_AFFINITY), (1, S2, HARD_AFFINITY)],
        [100, 100, 0],
    ),
    (
        "Anti Affinity: pod that does not match existing pods in node will get high score",
        S1,
        AWAY_S1_AZ,
        [AZ1, CHINA],
        [(0, S1, None), (1, S2, None)],
        [0, 100],
    ),
    (
        "Anti Affinity: one node has more matching pods comparing to other node",
        S1,
        AWAY_S1_AZ,
        [AZ1, INDIA],
        [(0, S1, None), (0, S1, None), (1, S2, None)],
        [0, 100],
    ),
    (
        "Anti Affinity symmetry: the existing pods in node which has anti affinity match",
        S2,
        None,
        [AZ1, AZ2],
        [(0, S1, AWAY_S2_AZ), (1, S2, AWAY_S1_AZ)],
        [0, 100],
    ),
    (
        "Affinity and Anti Affinity: considering both, the pod to schedule and existing pods "
        "have the same labels",
        S1,
        STAY_S1_AWAY_S2,
        [CHINA_AZ1, INDIA, CHINA, CHINA, INDIA],
        [
            (0, S1, None),
            (0, S1, None),
            (1, S1, None),
            (2, S1, None),
            (2, S1, None),
            (3, S1, None),
            (4, S1, None),
        ],
        [100, 0, 100, 100, 0],
    ),
    (
        "Affinity and Anti Affinity and symmetry",
        S1,
        STAY_S1_AWAY_S2,
        [CHINA, AZ1, INDIA, AZ2],
        [(0, S1, None), (1, S2, None), (2, {}, STAY_S1_AWAY_S2), (3, {}, AWAY_S1_AZ)],
        [100, 0, 100, 0],
    ),
    (
        "Avoid panic when partial nodes in a topology don't have pods with affinity",
        S1,
        None,
        [CHINA, CHINA],
        [(0, S1, None), (1, {}, STAY_S1_AWAY_S2)],
        [0, 0],
    ),
]


@pytest.mark.parametrize(
    ("name", "labels", "affinity", "node_labels", "existing", "want"),
    SCORE_CASES,
    ids=[c[0] for c in SCORE_CASES],
)
def test_preferred_affinity(name, labels, affinity, node_labels, existing, want):
    incoming = make_pod("p", labels=labels, **({"affinity": affinity} if affinity else {}))
    assert scores(incoming, cluster(node_labels, existing)) == want


def filter_statuses(incoming, infos):
    plugin = InterPodAffinity()
    state = CycleState(incoming, infos)
    _, status = plugin.pre_filter(state, incoming)
    if status.skip:
        return None
    return [(s.code, s.reasons) for s in (plugin.filter(state, incoming, n) for n in infos)]


OK = (Code.SUCCESS, ())


def test_required_affinity_needs_a_matching_pod_in_the_domain():
    incoming = make_pod(
        "p",
        labels=S1,
        affinity={
            "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [term(["S1"], "region")]
            }
        },
    )
    infos = cluster([CHINA, INDIA, AZ1], [(0, S1, None)])
    missing = (Code.UNSCHEDULABLE_AND_UNRESOLVABLE, (ERR_REASON_AFFINITY,))
    assert filter_statuses(incoming, infos) == [OK, missing, missing]


def test_the_first_pod_of_a_self_affine_group_may_start_it():
    """filtering.go ``satisfyPodAffinity``: no pod matches anywhere and the pod matches its own
    terms, so any node with the topology key will do."""
    incoming = make_pod(
        "p",
        labels=S1,
        affinity={
            "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [term(["S1"], "region")]
            }
        },
    )
    infos = cluster([CHINA, INDIA, AZ1], [])
    missing = (Code.UNSCHEDULABLE_AND_UNRESOLVABLE, (ERR_REASON_AFFINITY,))
    assert filter_statuses(incoming, infos) == [OK, OK, missing]
    stranger = make_pod("q", labels=S2, affinity=incoming["spec"]["affinity"])
    assert filter_statuses(stranger, infos) == [missing, missing, missing]


def test_required_anti_affinity_and_existing_pods_anti_affinity():
    incoming = make_pod(
        "p",
        labels=S1,
        affinity={
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [term(["S1"], "region")]
            }
        },
    )
    infos = cluster([CHINA, INDIA], [(0, S1, None)])
    assert filter_statuses(incoming, infos) == [
        (Code.UNSCHEDULABLE, (ERR_REASON_ANTI_AFFINITY,)),
        OK,
    ]
    guard = {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [term(["S1"], "region")]
        }
    }
    infos = cluster([CHINA, INDIA, CHINA], [(0, S2, guard)])
    assert filter_statuses(make_pod("p", labels=S1), infos) == [
        (Code.UNSCHEDULABLE, (ERR_REASON_EXISTING_ANTI_AFFINITY,)),
        OK,
        (Code.UNSCHEDULABLE, (ERR_REASON_EXISTING_ANTI_AFFINITY,)),
    ]
    assert filter_statuses(make_pod("p", labels=S2), infos) is None  # nothing applies: Skip


def test_prefilter_skips_pods_without_terms_when_no_pod_has_anti_affinity():
    assert filter_statuses(make_pod("p", labels=S1), cluster([CHINA], [(0, S1, None)])) is None


def test_hard_pod_affinity_weight_is_validated():
    with pytest.raises(ValueError, match="hardPodAffinityWeight"):
        InterPodAffinity({"hardPodAffinityWeight": 101})


def test_namespace_selector_reads_the_namespaces_labels_in_a_cluster():
    # A required affinity to pods in namespaces labelled team=x: the Namespace object's label
    # decides (upstream resolves namespaceSelector with its Namespace lister). The scheduler
    # knew only kubernetes.io/metadata.name and left the pod Pending with "didn't match pod
    # affinity rules".
    cluster = KubernetesCluster(Node.many(3, "node", cpu="4", memory="8Gi"), seed=0)
    cluster.apply([
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": "a", "labels": {"team": "x"}}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db", "namespace": "a",
                                                          "labels": {"app": "db"}},
         "spec": {"nodeName": "node-2", "containers": [{"name": "db", "image": "postgres"}]}},
    ])
    cluster.run(until=10)
    near = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
        "labelSelector": {"matchLabels": {"app": "db"}},
        "namespaceSelector": {"matchLabels": {"team": "x"}},
        "topologyKey": "kubernetes.io/hostname"}]}}
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
                   "spec": {"affinity": near,
                            "containers": [{"name": "api", "image": "shop/api:1.0"}]}})
    cluster.run(until=20)
    placed = {p.name: p.node for p in cluster.pods()}
    assert placed == {"db": "node-2", "api": "node-2"}


def test_namespace_selector_without_a_lister_sees_only_the_automatic_label():
    pod = make_pod("api", {}, affinity={"podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [{
            "labelSelector": {}, "namespaceSelector": {"matchLabels": {"team": "x"}},
            "topologyKey": "zone"}]}})
    [term] = affinity_terms(pod, "podAffinity", required=True)
    other = make_pod("db", {}, namespace="a")
    assert not term.matches(other)
    lister = StaticLister(namespaces=[{"metadata": {"name": "a", "labels": {"team": "x"}}}])
    assert term.matches(other, lister.namespace_labels)
    assert lister.namespace_labels("a") == {"team": "x", "kubernetes.io/metadata.name": "a"}
    assert namespace_labels("b") == {"kubernetes.io/metadata.name": "b"}
