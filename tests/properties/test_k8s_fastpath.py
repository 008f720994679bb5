"""The NumPy fast path picks the same node as the reference path, pod after pod.

Random clusters (seeded) with every default plugin on: mixed node sizes, a node without
memory allocatable, extended resources, NoSchedule and PreferNoSchedule taints, cordons,
labels for node affinity and zones; pods with and without requests, tolerations, selectors,
preferred node affinity, host ports, DaemonSet-style ``matchFields``, topology spread and
pod (anti-)affinity, and with a Service selecting some pods, the system default spreading
(all of which the fast path hands to the reference path). Both schedulers get
generators with the same seed, so ties must be drawn identically as well.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim.kubernetes.nodeinfo import pod_request_sums
from clustersim.kubernetes.scheduler import Scheduler
from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.listers import StaticLister

SERVICE = StaticLister(
    services=[{"metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}}]
)

STRATEGIES = [
    None,
    {"type": "MostAllocated", "resources": [{"name": "cpu", "weight": 2}, {"name": "memory"}]},
    {
        "type": "RequestedToCapacityRatio",
        "resources": [
            {"name": "cpu"},
            {"name": "memory"},
            {"name": "example.com/gpu", "weight": 3},
        ],
        "requestedToCapacityRatio": {
            "shape": [
                {"utilization": 0, "score": 0},
                {"utilization": 60, "score": 10},
                {"utilization": 100, "score": 2},
            ]
        },
    },
]

SIZES = [("2", "4Gi"), ("4", "8Gi"), ("4", "4Gi"), ("8", "16Gi")]


def cluster(r: random.Random, size: int) -> list:
    nodes = []
    for i in range(size):
        allocatable = {
            "cpu": r.choice(["2", "4", "8"]),
            "memory": r.choice(["4Gi", "8Gi", "16Gi"]),
            "pods": r.choice([3, 110]),
        }
        if r.random() < 0.1:
            allocatable["memory"] = "0"
        if r.random() < 0.2:
            allocatable["example.com/gpu"] = r.choice([1, 2])
        taints = []
        if r.random() < 0.25:
            taints.append({"key": "soft", "value": r.choice("ab"), "effect": "PreferNoSchedule"})
        if r.random() < 0.1:
            taints.append({"key": "dedicated", "value": "db", "effect": "NoSchedule"})
        nodes.append(
            make_node(
                f"node-{i}",
                allocatable,
                taints=taints,
                unschedulable=r.random() < 0.05,
                labels={
                    "topology.kubernetes.io/zone": r.choice("abc"),
                    "disk": r.choice(["ssd", "hdd"]),
                },
            )
        )
    return nodes


def pod(r: random.Random, i: int, node_names: list[str]) -> dict:
    spec: dict = {}
    if r.random() < 0.3:
        spec["tolerations"] = [
            r.choice(
                [
                    {"key": "soft", "operator": "Exists"},
                    {"key": "dedicated", "operator": "Equal", "value": "db"},
                    {"operator": "Exists"},
                ]
            )
        ]
    if r.random() < 0.15:
        spec["nodeSelector"] = {"disk": "ssd"}
    if r.random() < 0.2:
        spec["affinity"] = {
            "nodeAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": r.randint(1, 100),
                        "preference": {
                            "matchExpressions": [
                                {
                                    "key": "topology.kubernetes.io/zone",
                                    "operator": "In",
                                    "values": [r.choice("abc")],
                                }
                            ]
                        },
                    }
                ]
            }
        }
    if r.random() < 0.05:
        spec["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchFields": [
                                {
                                    "key": "metadata.name",
                                    "operator": "In",
                                    "values": [r.choice(node_names)],
                                }
                            ]
                        }
                    ]
                }
            }
        }
    labels = {"app": r.choice(["web", "db"])}
    if r.random() < 0.05:
        spec["topologySpreadConstraints"] = [
            {
                "maxSkew": 1,
                "topologyKey": "topology.kubernetes.io/zone",
                "whenUnsatisfiable": r.choice(["DoNotSchedule", "ScheduleAnyway"]),
                "labelSelector": {"matchLabels": labels},
            }
        ]
    if r.random() < 0.03:
        spec["affinity"] = {
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "topologyKey": "kubernetes.io/hostname",
                        "labelSelector": {"matchLabels": labels},
                    }
                ]
            }
        }
    containers = []
    for _ in range(r.choice([0, 1, 1, 1, 2])):
        requests = {}
        if r.random() < 0.9:
            requests["cpu"] = r.choice(["100m", "250m", "500m", "1", "3"])
        if r.random() < 0.9:
            requests["memory"] = r.choice(["128Mi", "512Mi", "1Gi", "6Gi"])
        if r.random() < 0.1:
            requests["example.com/gpu"] = 1
        containers.append(requests)
    manifest = make_pod(f"pod-{i}", *containers, labels=labels, **spec)
    if containers and r.random() < 0.05:
        manifest["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPort": 8080}]
    return manifest


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), strategy=st.sampled_from(STRATEGIES))
def test_fast_path_picks_the_reference_node(seed, strategy):
    r = random.Random(seed)
    size = r.randint(1, 30)
    config = None
    if strategy is not None:
        config = {
            "pluginConfig": [{"name": "NodeResourcesFit", "args": {"scoringStrategy": strategy}}]
        }
    reference_nodes, fast_nodes = (
        cluster(random.Random(seed), size),
        cluster(random.Random(seed), size),
    )
    lister = SERVICE if r.random() < 0.5 else None  # web pods then get the system spreading
    reference = Scheduler(config, random.Random(seed), fast=False, lister=lister)
    fast = Scheduler(config, random.Random(seed), fast=True, lister=lister, fast_spread=True)
    names = [n.name for n in reference_nodes]
    bound: list[tuple[int, dict]] = []
    for i in range(r.randint(20, 120)):
        manifest = pod(r, i, names)
        expected = reference.schedule(manifest, reference_nodes)
        got = fast.schedule(manifest, fast_nodes)
        assert got.node == expected.node, (i, manifest)
        assert got.message == expected.message
        if expected.node is not None:
            k = names.index(expected.node)
            reference_nodes[k].add_pod(manifest)
            fast_nodes[k].add_pod(manifest)
            bound.append((k, manifest))
        if bound and r.random() < 0.1:
            k, gone = bound.pop(r.randrange(len(bound)))
            reference_nodes[k].remove_pod(gone)
            fast_nodes[k].remove_pod(gone)
        if bound and r.random() < 0.05:  # a pod starts terminating: spreading stops counting it
            k, ending = bound[r.randrange(len(bound))]
            ending["metadata"]["deletionTimestamp"] = "2026-11-24T00:00:00Z"
            fast_nodes[k].pods_changed()
        if r.random() < 0.03:
            k = r.randrange(size)
            for nodes in (reference_nodes, fast_nodes):
                nodes[k].unschedulable = not nodes[k].unschedulable
        if r.random() < 0.03:
            k = r.randrange(size)
            for nodes in (reference_nodes, fast_nodes):
                nodes[k].taints.append({"key": "soft", "value": "z", "effect": "PreferNoSchedule"})


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), strategy=st.sampled_from(STRATEGIES))
def test_fast_path_keeps_ties_between_pods(seed, strategy):
    """Many equal nodes and few pod shapes, so that the best total is shared by many nodes:
    the fast path keeps each shape's tied nodes from pod to pod (dropping those that changed,
    taking the changed ones when they beat the best); pods bound by hand to any node, pods
    removed (their node's total rises) and nodes changed twice between two pods of a shape
    must leave it drawing the same node as the reference."""
    r = random.Random(seed)
    size = r.randint(2, 40)
    config = None
    if strategy is not None:
        config = {
            "pluginConfig": [{"name": "NodeResourcesFit", "args": {"scoringStrategy": strategy}}]
        }
    allocatable = [{"cpu": c, "memory": m} for c, m in r.sample(SIZES, r.randint(1, 2))]
    picks = [r.choice(allocatable) for _ in range(size)]
    reference_nodes, fast_nodes = (
        [make_node(f"node-{i}", a) for i, a in enumerate(picks)] for _ in range(2)
    )
    reference = Scheduler(config, random.Random(seed), fast=False)
    fast = Scheduler(config, random.Random(seed), fast=True)
    shapes = [
        {"cpu": r.choice(["100m", "500m", "1"]), "memory": r.choice(["128Mi", "1Gi"])}
        for _ in range(r.randint(1, 3))
    ]
    bound: list[tuple[int, dict]] = []
    for i in range(r.randint(20, 150)):
        manifest = make_pod(f"pod-{i}", r.choice(shapes))
        expected = reference.schedule(manifest, reference_nodes)
        got = fast.schedule(manifest, fast_nodes)
        assert got.node == expected.node, i
        k = None
        if expected.node is not None:
            k = int(expected.node.removeprefix("node-"))
        if r.random() < 0.15:  # bound elsewhere, as a pod with spec.nodeName would be
            k = r.randrange(size)
        if k is not None:
            reference_nodes[k].add_pod(manifest)
            fast_nodes[k].add_pod(manifest)
            bound.append((k, manifest))
        if bound and r.random() < 0.15:
            k, gone = bound.pop(r.randrange(len(bound)))
            reference_nodes[k].remove_pod(gone)
            fast_nodes[k].remove_pod(gone)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_fast_path_node_rows_match_a_recount(seed):
    """The fast path's row per node (non-zero and plain requested sums, pod count,
    allocatable, and allocatable with 1 for 0), kept as pods are bound (where the scheduler
    says, or anywhere by hand), removed and scheduled, equals a recount of the node's pods
    and Node object."""
    r = random.Random(seed)
    size = r.randint(1, 20)
    nodes = cluster(random.Random(seed), size)
    scheduler = Scheduler(None, random.Random(seed), fast=True)
    names = [n.name for n in nodes]
    bound: list[tuple[int, dict]] = []
    for i in range(r.randint(5, 80)):
        manifest = pod(r, i, names)
        chosen = scheduler.schedule(manifest, nodes).node
        k = names.index(chosen) if chosen is not None else None
        if k is None or r.random() < 0.15:
            k = r.randrange(size)
        nodes[k].add_pod(manifest)
        bound.append((k, manifest))
        if r.random() < 0.2:
            k, gone = bound.pop(r.randrange(len(bound)))
            nodes[k].remove_pod(gone)
    scheduler.schedule(make_pod("last", {"cpu": "1m"}), nodes)  # brings the rows up to date
    fast = scheduler._fast
    for i, node in enumerate(nodes):
        sums = [pod_request_sums(p) for p in node.pods]
        row = fast.table[i]
        assert row[0] == sum(nz_cpu for _, nz_cpu, _ in sums)
        assert row[1] == sum(nz_memory for _, _, nz_memory in sums)
        for name, col in fast.columns.items():
            assert row[2 + col] == sum(plain.get(name, 0) for plain, _, _ in sums), name
            allocatable = node.allocatable.get(name, 0)
            assert row[fast.cap_col + col] == allocatable, name
            assert row[fast.safe_col + col] == (allocatable or 1), name
        assert row[fast.count_col] == len(node.pods)
        assert row[fast.cap_col + len(fast.columns)] == node.allocatable["pods"]
