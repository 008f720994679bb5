"""Spread counts kept across cycles equal a fresh ``countPodsMatchSelector`` on every node.

:class:`SpreadCounts` adds bound pods incrementally, counts a node again when it lost a pod
or reported ``pods_changed()``, and counts a selector registered late from where each pod
signature was bound. Random binds, removals, in-place edits (terminating, relabelled) and
late selectors must leave every count equal to the plain count, every per-domain sum
(``domain_sums``, kept from when it was first asked) equal to a fresh sum, and each node's
count and domain as one number (``DomainCounts.combined``) and the number of nodes having
each (``nodes_with``) equal to those worked out afresh. And a cluster whose
Deployment pods take the fast path places them as the reference path does, through scale
down (terminating pods) and scale up.
"""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.spreadcounts import SpreadCounts, count_matching_pods

SELECTORS = [
    {"matchLabels": {"app": "a"}},
    {"matchLabels": {"app": "b"}},
    {"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "c"]}]},
    {"matchExpressions": [{"key": "tier", "operator": "Exists"}]},
    {},
]


def _labels(r: random.Random) -> dict[str, str]:
    labels = {"app": r.choice("abc")}
    if r.random() < 0.4:
        labels["tier"] = r.choice(["web", "db"])
    return labels


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_counts_match_a_fresh_count(seed):
    r = random.Random(seed)
    nodes = [make_node(f"n{i}", {"cpu": 64, "memory": "256Gi"}) for i in range(r.randint(1, 8))]
    for node in nodes:  # some pods bound before the counts exist
        for j in range(r.randint(0, 3)):
            node.add_pod(make_pod(f"{node.name}-early-{j}", {}, labels=_labels(r)))
    counts = SpreadCounts(nodes)
    registered: list[tuple[str, dict]] = []
    summed: list[tuple[str, dict, np.ndarray]] = []
    bound: list[tuple[int, dict]] = []
    for step in range(r.randint(10, 80)):
        action = r.random()
        if action < 0.5:
            k = r.randrange(len(nodes))
            namespace = r.choice(["default", "default", "other"])
            pod = make_pod(f"p{step}", {}, labels=_labels(r), namespace=namespace)
            nodes[k].add_pod(pod)
            bound.append((k, pod))
        elif action < 0.65 and bound:
            k, pod = bound.pop(r.randrange(len(bound)))
            nodes[k].remove_pod(pod)
        elif action < 0.8 and bound:
            k, pod = bound[r.randrange(len(bound))]
            if r.random() < 0.5:
                pod["metadata"]["deletionTimestamp"] = "2026-12-04T00:00:00Z"
            else:
                pod["metadata"]["labels"] = _labels(r)
            nodes[k].pods_changed()
        else:
            namespace, selector = r.choice(["default", "other"]), r.choice(SELECTORS)
            registered.append((namespace, selector))
            domains = np.array([r.randrange(3) for _ in nodes], dtype=np.intp)
            counts.domain_sums(namespace, selector, domains)    # kept from now on
            summed.append((namespace, selector, domains))
        for i in range(len(nodes)):
            counts.refresh(i)
        for namespace, selector in registered:
            got = counts.counts(namespace, selector)
            want = [count_matching_pods(n.pods, namespace, selector) for n in nodes]
            assert got.tolist() == want, (step, namespace, selector)
        for namespace, selector, domains in summed:
            fresh = [count_matching_pods(n.pods, namespace, selector) for n in nodes]
            want = np.bincount(domains, weights=fresh, minlength=domains.max() + 1)
            got = counts.domain_sums(namespace, selector, domains)
            assert got.tolist() == want.astype(int).tolist(), (step, namespace, selector)
            kept = counts.domain_counts(namespace, selector, domains)
            combined = np.array(fresh) * kept.domains + domains
            assert kept.domains == domains.max() + 1
            assert kept.combined.tolist() == combined.tolist(), (step, namespace, selector)
            assert len(kept.nodes_with) % kept.domains == 0
            nodes_with = np.bincount(combined, minlength=len(kept.nodes_with))
            assert kept.nodes_with.tolist() == nodes_with.tolist(), (step, namespace, selector)


def _deployment(name: str, replicas: int, cpu: str) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{
                    "name": "app", "image": "nginx:1.27",
                    "resources": {"requests": {"cpu": cpu, "memory": "64Mi"}},
                }]},
            },
        },
    }


def _cluster(nodes: list[Node], seed: int, fast: bool) -> KubernetesCluster:
    cluster = KubernetesCluster(nodes, seed=seed)
    if not fast:
        cluster.scheduler._fast = None     # the reference path for every pod
    return cluster


def _placed(cluster: KubernetesCluster) -> list[tuple[str, str | None]]:
    """Every pod and its node once the cluster is quiet."""
    cluster.run()
    return sorted((p.name, p.node) for p in cluster.pods())


def _placements(seed: int, fast: bool) -> list[tuple[str, str | None]]:
    r = random.Random(seed)
    nodes = [
        Node(f"node-{i}", cpu=r.choice([2, 4, 8]), memory="16Gi", zone=f"z{i % 3}")
        for i in range(r.randint(2, 9))
    ]
    cluster = _cluster(nodes, seed, fast)
    apps = [(f"app-{k}", r.randint(1, 12), r.choice(["100m", "250m", "500m"]))
            for k in range(r.randint(1, 4))]
    cluster.apply([_deployment(*app) for app in apps])
    cluster.run()
    name, replicas, _ = r.choice(apps)
    cluster.scale("Deployment", name, max(0, replicas - r.randint(1, replicas)))
    cluster.run(until=cluster.now + r.choice([0.0, 0.2]))   # the pods still terminate
    cluster.scale("Deployment", name, replicas + r.randint(0, 6))
    return _placed(cluster)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_cluster_places_deployment_pods_as_the_reference_path(seed):
    assert _placements(seed, fast=True) == _placements(seed, fast=False)


def _filled(fast: bool) -> list[tuple[str, str | None]]:
    nodes = [Node(f"node-{i}", cpu=1, memory="4Gi", zone=f"z{i % 3}") for i in range(4)]
    cluster = _cluster(nodes, 3, fast)
    cluster.apply([_deployment("web", 12, "500m")])    # 8 fit
    return _placed(cluster)


def test_nodes_that_fill_up_one_by_one_are_left_out_as_the_reference_path_does():
    """The fast path keeps how many nodes a pod shape cannot use as binds fill them one at a
    time: once every node is full, the pods stay pending (none is scored as if every node
    were feasible)."""
    placed = _filled(fast=True)
    assert placed == _filled(fast=False)
    assert sum(node is None for _, node in placed) == 4      # the rest fit nowhere


def _relabelled(seed: int, fast: bool) -> list[tuple[str, str | None]]:
    """Deployments spread over zones, then nodes moved to other zones (or out of every
    zone), then scaled up: the zone terms must read the new labels."""
    r = random.Random(seed)
    nodes = [Node(f"node-{i}", cpu=8, memory="16Gi", zone=f"z{i % 3}")
             for i in range(r.randint(3, 9))]
    cluster = _cluster(nodes, seed, fast)
    apps = [(f"app-{k}", r.randint(2, 10), "250m") for k in range(r.randint(1, 3))]
    cluster.apply([_deployment(*app) for app in apps])
    cluster.run()
    for node in r.sample(nodes, r.randint(1, len(nodes))):
        labels = dict(cluster.node(node.name).labels)
        zone = r.choice(["z0", "z1", "z2", "z3", None])
        if zone is None:
            labels.pop("topology.kubernetes.io/zone", None)
        else:
            labels["topology.kubernetes.io/zone"] = zone
        cluster.set_node_labels(node.name, labels)
    for name, replicas, _ in apps:
        cluster.scale("Deployment", name, replicas + r.randint(1, 12))
    return _placed(cluster)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_relabelled_nodes_are_spread_over_as_the_reference_path_does(seed):
    assert _relabelled(seed, fast=True) == _relabelled(seed, fast=False)
