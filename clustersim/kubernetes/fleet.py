"""A fleet at Kubernetes' documented scale, filled under two scoring strategies and summed up.

A seeded cluster of up to 5,000 nodes (the largest cluster Kubernetes documents as tested,
https://kubernetes.io/docs/setup/best-practices/cluster-large/) of 4, 8, 16 and 32 cores with
4 GiB per core, spread round-robin over zones labelled ``topology.kubernetes.io/zone``, takes a
seeded stream of pods through the public scheduler API (:class:`Scheduler`, NumPy fast path).
The same stream is placed twice, once per scheduler profile:

- ``LeastAllocated``, the default ``scoringStrategy`` of NodeResourcesFit: a node scores
  ``(allocatable - requested) * 100 / allocatable`` per resource, so the emptiest node wins and
  pods spread (kubernetes/kubernetes
  ``pkg/scheduler/framework/plugins/noderesources/least_allocated.go``);
- ``MostAllocated``, bin-packing: a node scores ``requested * 100 / allocatable``, so the
  fullest node that still fits wins and empty nodes stay empty
  (``pkg/scheduler/framework/plugins/noderesources/most_allocated.go``; configured as in
  https://kubernetes.io/docs/concepts/scheduling-eviction/resource-bin-packing/).

At several fill levels the nodes are summed up per (zone, node size) group
(:func:`aggregate`): nodes, nodes in use, empty nodes (what a cluster autoscaler could remove)
and the CPU requested as a share of allocatable (mean, median, 90th percentile). A 5,000-node
cluster is drawn from these few groups, never node by node.

Simplification: the profiles of :data:`PROFILES` leave ``percentageOfNodesToScore`` unset, and
then the simulator scores every feasible node. Upstream kube-scheduler, with its default (0,
adaptive), stops looking once it has found ``max(100, nodes * max(5, 50 - nodes / 125) / 100)``
feasible nodes (500 of 5,000), starting each cycle where the previous one stopped
(``pkg/scheduler/schedule_one.go``, ``numFeasibleNodesToFind``), so it picks the best of a
sample rather than of the whole cluster. A configuration passed to :func:`fill` that sets
``percentageOfNodesToScore`` is followed the same way (:class:`Scheduler`), which is how the
lab measures what sampling costs bin-packing (for its Pods; ``cpu`` and ``memory`` give others).
Randomness comes from ``random.Random(seed)``: the fleet has no simulated clock.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler import Scheduler
from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.config import check_percentage, num_feasible_nodes_to_find
from clustersim.limits import check_fleet_nodes, check_nodes, check_replicas

__all__ = [
    "NODE_CORES",
    "PROFILES",
    "ZONE_LABEL",
    "FillLevel",
    "GroupStats",
    "aggregate",
    "build_fleet",
    "compare_profiles",
    "fill",
    "nearest_rank",
    "nodes_to_score",
    "pod_stream",
    "summary",
]

ZONE_LABEL = "topology.kubernetes.io/zone"
NODE_CORES = (4, 8, 16, 32)
"""Node sizes in cores, each with 4 GiB of memory per core."""
_POD_CPU = (250, 500, 1000, 2000)  # millicores
_POD_MEMORY = (256, 512, 1024, 2048, 4096)  # MiB
_SHAPES = 12

PROFILES: dict[str, Any] = {
    "LeastAllocated": None,
    "MostAllocated": {
        "apiVersion": "kubescheduler.config.k8s.io/v1",
        "kind": "KubeSchedulerConfiguration",
        "profiles": [{
            "schedulerName": "default-scheduler",
            "pluginConfig": [{
                "name": "NodeResourcesFit",
                "args": {"scoringStrategy": {
                    "type": "MostAllocated",
                    "resources": [{"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}],
                }},
            }],
        }],
    },
}
"""Scheduler configurations by name: the default profile (None) and the bin-packing one."""


@dataclass(frozen=True)
class GroupStats:
    """The nodes of one zone and one size at one moment. CPU figures are the CPU requested by
    the nodes' pods as a percentage of the node's allocatable CPU, over the group's nodes."""

    zone: str
    cores: int
    nodes: int
    used: int
    empty: int
    mean_cpu: float
    median_cpu: float
    p90_cpu: float


@dataclass(frozen=True)
class FillLevel:
    """The fleet after ``pods`` pods of the stream went through the scheduler."""

    profile: str
    pods: int
    unschedulable: int
    cpu_percent: float
    groups: tuple[GroupStats, ...]

    @property
    def empty(self) -> int:
        """Nodes without any pod, in the whole fleet."""
        return sum(g.empty for g in self.groups)


def nearest_rank(values: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile of ``values``: the smallest value with at least
    ``percent``% of the values at or below it (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return float(ordered[rank - 1])


def nodes_to_score(nodes: int, percentage: int = 0) -> int:
    """How many feasible nodes upstream kube-scheduler looks for before it scores them, in a
    cluster of ``nodes`` nodes with ``percentageOfNodesToScore: percentage`` (0: the adaptive
    default ``50 - nodes / 125``, at least 5%; always at least 100 nodes, or all of fewer).

    Upstream: kubernetes/kubernetes ``pkg/scheduler/schedule_one.go``
    (``numFeasibleNodesToFind``, ``minFeasibleNodesToFind = 100``,
    ``minFeasibleNodesPercentageToFind = 5``); docs
    https://kubernetes.io/docs/concepts/scheduling-eviction/scheduler-perf-tuning/ . The
    scheduler's own walk uses the same function
    (:func:`clustersim.kubernetes.scheduler.config.num_feasible_nodes_to_find`) when a
    configuration sets ``percentageOfNodesToScore``; left unset, the simulator scores every
    feasible node (as with ``percentage`` 100), where upstream's default is adaptive.
    """
    _check_count(nodes, "nodes")
    return num_feasible_nodes_to_find(check_percentage(percentage), nodes)


def _check_count(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a whole number ≥ 1, got {value!r}")


def _check_sizes(values: Any, what: str, unit: str) -> None:
    """Pod request sizes: a non-empty list of whole numbers ≥ 1, each at most a 32-core node's
    worth (the largest node of the fleet), so that every shape fits somewhere."""
    largest = max(NODE_CORES) * (1000 if unit == "millicores" else 4 * 1024)
    if (isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values
            or any(isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= largest
                   for v in values)):
        raise ValueError(f"{what} must be a non-empty list of request sizes in {unit}, whole "
                         f"numbers from 1 to {largest} (the largest node), got {values!r}")


def build_fleet(nodes: int = 5_000, zones: int = 3, seed: int = 0) -> list[NodeInfo]:
    """``nodes`` nodes named ``node-0``..., each of a seeded size from :data:`NODE_CORES`, in
    ``zones`` zones ``zone-a``, ``zone-b``... (node ``i`` in zone ``i % zones``)."""
    _check_count(nodes, "nodes")
    check_nodes(nodes)
    if isinstance(zones, bool) or not isinstance(zones, int) or not 1 <= zones <= 26:
        raise ValueError(f"zones must be a whole number in 1..26, got {zones!r}")
    rng = random.Random(seed)
    fleet = []
    for i in range(nodes):
        cores = rng.choice(NODE_CORES)
        fleet.append(make_node(
            f"node-{i}", {"cpu": cores, "memory": f"{4 * cores}Gi"},
            labels={ZONE_LABEL: f"zone-{chr(ord('a') + i % zones)}"},
        ))
    return fleet


def pod_stream(pods: int, seed: int = 0, *, cpu: Sequence[int] = _POD_CPU,
               memory: Sequence[int] = _POD_MEMORY) -> Iterator[dict[str, Any]]:
    """``pods`` Pod manifests ``pod-0``... of a dozen seeded shapes, each a CPU request drawn
    from ``cpu`` (millicores; by default 250m-2 CPU) and a memory request from ``memory``
    (MiB; by default 256Mi-4Gi); pods of one shape share their ``spec``, as a ReplicaSet's
    pods share its template."""
    _check_count(pods, "pods")
    check_replicas(pods, "the number of pods")
    _check_sizes(cpu, "cpu", "millicores")
    _check_sizes(memory, "memory", "MiB")
    rng = random.Random(seed)
    specs = [make_pod("template", {"cpu": f"{rng.choice(cpu)}m",
                                   "memory": f"{rng.choice(memory)}Mi"})["spec"]
             for _ in range(_SHAPES)]
    for i in range(pods):
        name = f"pod-{i}"
        yield {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "default", "uid": name},
               "spec": specs[rng.randrange(_SHAPES)]}


def aggregate(nodes: Sequence[NodeInfo]) -> tuple[GroupStats, ...]:
    """Sum ``nodes`` up per (zone, size in cores), sorted by zone then size. One pass over
    the nodes, then a sort per group for the percentiles."""
    shares: dict[tuple[str, int], list[float]] = {}
    empty: dict[tuple[str, int], int] = {}
    for node in nodes:
        allocatable = node.allocatable.get("cpu", 0)
        key = (node.labels.get(ZONE_LABEL, ""), allocatable // 1000)
        share = 100 * node.requested.get("cpu", 0) / allocatable if allocatable else 0.0
        shares.setdefault(key, []).append(share)
        empty[key] = empty.get(key, 0) + (not node.pods)
    return tuple(
        GroupStats(zone=zone, cores=cores, nodes=len(values), used=len(values) - empty[key],
                   empty=empty[key], mean_cpu=sum(values) / len(values),
                   median_cpu=nearest_rank(values, 50), p90_cpu=nearest_rank(values, 90))
        for key in sorted(shares) for zone, cores in [key] for values in [shares[key]]
    )


def _levels(pods: int, levels: int) -> list[int]:
    """``levels`` pod counts evenly spread up to ``pods`` (the last is ``pods``)."""
    _check_count(pods, "pods")
    _check_count(levels, "levels")
    if levels > pods:
        raise ValueError(f"levels ({levels}) cannot exceed pods ({pods}): one level per "
                         "snapshot of at least one pod")
    return [round(pods * (k + 1) / levels) for k in range(levels)]


def fill(profile: str = "LeastAllocated", *, nodes: int = 5_000, pods: int = 60_000,
         levels: int = 5, zones: int = 3, seed: int = 0, config: Any = None,
         cpu: Sequence[int] = _POD_CPU, memory: Sequence[int] = _POD_MEMORY) -> list[FillLevel]:
    """Place the seeded stream of ``pods`` pods (:func:`pod_stream`, request sizes drawn from
    ``cpu`` and ``memory``) on a fresh seeded fleet under ``profile`` (a key of
    :data:`PROFILES`, or any label when ``config``, a KubeSchedulerConfiguration, is given),
    with a snapshot after each of ``levels`` even steps. A pod whose ``schedulerName`` the
    profile does not carry is not scheduled (``Profile.handles``) and counts as failed."""
    if config is None and profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    check_fleet_nodes(nodes)
    checkpoints = _levels(pods, levels)
    _check_sizes(cpu, "cpu", "millicores")
    _check_sizes(memory, "memory", "MiB")
    fleet = build_fleet(nodes, zones, seed)
    by_name = {node.name: node for node in fleet}
    total_cpu = sum(node.allocatable.get("cpu", 0) for node in fleet)
    scheduler = Scheduler(PROFILES[profile] if config is None else config, random.Random(seed))
    out, failed, step = [], 0, 0
    for count, pod in enumerate(pod_stream(pods, seed, cpu=cpu, memory=memory), start=1):
        result = scheduler.schedule(pod, fleet) if scheduler.profile.handles(pod) else None
        if result is None or result.node is None:
            failed += 1
        else:
            by_name[result.node].add_pod(pod)
        if count == checkpoints[step]:
            requested = sum(node.requested.get("cpu", 0) for node in fleet)
            out.append(FillLevel(profile, count, failed, 100 * requested / total_cpu,
                                 aggregate(fleet)))
            step += 1
    return out


def compare_profiles(*, nodes: int = 5_000, pods: int = 60_000, levels: int = 5,
                     zones: int = 3, seed: int = 0) -> dict[str, list[FillLevel]]:
    """:func:`fill` under every profile of :data:`PROFILES`, same fleet and same pods."""
    return {name: fill(name, nodes=nodes, pods=pods, levels=levels, zones=zones, seed=seed)
            for name in PROFILES}


def summary(results: Mapping[str, Sequence[FillLevel]]) -> list[dict[str, Any]]:
    """One row per profile and fill level: pods, cluster CPU requested, empty nodes."""
    return [{"profile": name, "pods": level.pods, "cpu requested %": round(level.cpu_percent, 1),
             "empty nodes": level.empty, "unschedulable": level.unschedulable}
            for name, run in results.items() for level in run]
