"""Every Score plugin's array form gives the reference path's score vector, node for node.

The fast path scores through each plugin's ``score_many`` / ``score_arrays`` and
``normalize_many`` (and PodTopologySpread's ``default_scores_many`` for the system
defaults); the reference path calls ``score`` and ``normalize`` per node. On random small
clusters (the generators of ``test_k8s_fastpath``, every scoring strategy) and pods bound as
they go, the normalized vector of every plugin over the feasible nodes must be equal, not
only the chosen node; the feasible set is the reference's Filter verdicts, which the fast
path's choice is checked against in ``test_k8s_fastpath``.
"""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim.kubernetes.nodeinfo import HOSTNAME_LABEL, ZONE_LABEL
from clustersim.kubernetes.scheduler import Scheduler
from clustersim.kubernetes.scheduler.framework import PreScorePlugin, ScorePlugin
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import required_node_affinity_matches
from clustersim.kubernetes.scheduler.spreadcounts import DomainCounts, count_matching_pods
from tests.properties.test_k8s_fastpath import SERVICE, STRATEGIES, cluster, pod


def _array_vectors(scheduler: Scheduler, manifest: dict, nodes: list) -> dict[str, list[int]]:
    """Each Score plugin's normalized scores over the feasible nodes, the array way."""
    cycle = scheduler._filter(manifest, nodes)
    feasible, state = cycle.feasible, cycle.state
    names = [n.name for n in feasible]
    out = {}
    for plugin in scheduler._at("score", ScorePlugin):
        if isinstance(plugin, PreScorePlugin) and plugin.pre_score(state, manifest, feasible).skip:
            continue
        raw = plugin.score_many(state, manifest, feasible)
        out[plugin.name] = plugin.normalize_many(state, manifest, names, raw).tolist()
    return out


def _spread_defaults(scheduler: Scheduler, manifest: dict, nodes: list) -> list[int] | None:
    """PodTopologySpread's system default scores from per-node counts, as the fast path
    computes them, over the feasible nodes (None when the pod has other constraints)."""
    plugin = scheduler.plugins.get("PodTopologySpread")
    if plugin is None or scheduler.lister is None or manifest["spec"].get(
        "topologySpreadConstraints"
    ):
        return None
    constraints = plugin.constraints(manifest, "ScheduleAnyway", scheduler.lister)
    cycle = scheduler._filter(manifest, nodes)
    if not constraints or not cycle.feasible:
        return None
    namespace = manifest["metadata"].get("namespace", "default")
    counts = [
        np.array([count_matching_pods(n.pods, namespace, c.selector) for n in nodes])
        for c in constraints
    ]
    domains = []
    for c in constraints:
        values: dict[str, int] = {}
        ids = np.array([values.setdefault(n.labels.get(c.topology_key, ""), len(values))
                        for n in nodes])
        domains.append((ids, np.array([c.topology_key in n.labels for n in nodes])))
    chosen = {n.name for n in cycle.feasible}
    feasible = np.array([n.name in chosen for n in nodes])
    matches = np.array([required_node_affinity_matches(manifest, n) for n in nodes])
    scores = plugin.default_scores_many(constraints, counts, domains, feasible, matches)
    sums = [np.bincount(ids, weights=n).astype(np.int64) for (ids, _), n in zip(
        domains, counts, strict=True)]
    summed = plugin.default_scores_many(constraints, counts, domains, feasible, matches, sums)
    assert summed.tolist() == scores.tolist()       # counts given per domain: the same
    if [c.topology_key for c in constraints] == [HOSTNAME_LABEL, ZONE_LABEL]:
        # each node's (count, zone) kept as SpreadCounts keeps it: the same, whether or not
        # every node is feasible
        kept = DomainCounts(domains[1][0], counts[0])
        sums[1] = kept.per_domain
        for chosen in (feasible, np.ones(len(nodes), dtype=bool)):
            combined = plugin.default_scores_many(
                constraints, counts, domains, chosen, matches, sums, kept)
            plain = plugin.default_scores_many(constraints, counts, domains, chosen, matches)
            assert combined.tolist() == plain.tolist()
    return [int(s) for s, ok in zip(scores, feasible, strict=True) if ok]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), strategy=st.sampled_from(STRATEGIES))
def test_every_score_vector_matches_the_reference(seed, strategy):
    r = random.Random(seed)
    size = r.randint(1, 12)
    config = None
    if strategy is not None:
        config = {
            "pluginConfig": [{"name": "NodeResourcesFit", "args": {"scoringStrategy": strategy}}]
        }
    nodes = cluster(random.Random(seed), size)
    lister = SERVICE if r.random() < 0.6 else None
    scheduler = Scheduler(config, random.Random(seed), fast=False, lister=lister)
    names = [n.name for n in nodes]
    for i in range(r.randint(5, 40)):
        manifest = pod(r, i, names)
        verdicts = scheduler.explain(manifest, nodes)
        feasible = [n for n in names if verdicts[n].feasible]
        arrays = _array_vectors(scheduler, manifest, nodes)
        for plugin, vector in arrays.items():
            assert vector == [verdicts[n].scores[plugin] for n in feasible], (i, plugin)
        spread = _spread_defaults(scheduler, manifest, nodes)
        if spread is not None and "PodTopologySpread" in arrays:
            assert spread == [verdicts[n].scores["PodTopologySpread"] for n in feasible], i
        result = scheduler.schedule_reference(manifest, nodes)
        if result.node is not None:
            nodes[names.index(result.node)].add_pod(manifest)
