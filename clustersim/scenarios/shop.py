"""One application, three dialects: the example ``shop`` on Kubernetes, Marathon and Swarm.

:func:`run_shop` deploys the example application (:mod:`clustersim.examples`) on the demo
cluster of one system (:func:`clustersim.clusters.demo_nodes`), optionally with the api tier
scaled and the busiest node failed part-way, and records per tier how many tasks run and how
many are ready at each sampled time. The live explorer is
:func:`clustersim.widgets.dialects.dialects_explorer`.

What "ready" means differs by system, as it does in the real ones:

- Kubernetes: the pod's ``Ready`` condition (its readiness probe passed); kubelet
  ``pkg/kubelet/prober``.
- Marathon: the instance is ``TASK_RUNNING`` and its health checks pass (an app without
  health checks counts once running), ``core/health/impl/HealthCheckActor.scala``.
- Swarm: the task is ``RUNNING``, which for a service with a ``healthcheck`` means its
  container has passed a probe (Docker reports such a task RUNNING only once healthy; see
  :mod:`clustersim.swarm.agent`).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from clustersim.clusters import open_system
from clustersim.examples import example_text, tier_of
from clustersim.manifests import ManifestSet, load_manifests
from clustersim.manifests.safe_yaml import load_data, load_documents
from clustersim.memo import memoized
from clustersim.numeric import is_number
from clustersim.sim import Event, Snapshot, TaskState

__all__ = [
    "DEFAULT_TIMES", "SYSTEMS", "TIERS", "ShopRun", "compare_shop", "preload_specs", "run_shop",
    "shop_source", "start_order"
]


SYSTEMS = ("kubernetes", "marathon", "swarm")


TIERS = ("db", "cache", "api", "frontend")


# Every 5 s in the first minute (start order), then every 20 s (recovery after a failure).
DEFAULT_TIMES = tuple(float(t) for t in (*range(0, 60, 5), *range(60, 481, 20)))


@dataclass
class ShopRun:
    """One system's run of ``shop``: per tier and sampled time, tasks running and ready."""

    system: str
    api_replicas: int
    times: list[float]
    running: dict[str, list[int]]
    ready: dict[str, list[int]]
    snapshots: list[Snapshot]
    events: list[Event]
    failed_node: str | None = None
    failed_at: float | None = None

    def first_ready(self, tier: str) -> float | None:
        """The first sampled time at which ``tier`` had a ready task (None: never)."""
        return next((t for t, n in zip(self.times, self.ready[tier], strict=True) if n), None)

    def total_ready(self) -> list[int]:
        return [sum(self.ready[tier][i] for tier in TIERS) for i in range(len(self.times))]


@functools.lru_cache(maxsize=len(SYSTEMS))
def _parsed(system: str) -> Any:
    """The example's manifest for ``system`` parsed once (YAML parsing in pure Python took
    longer than a Swarm run); :func:`shop_source` hands out copies."""
    text = example_text(system)
    if system == "kubernetes":
        return [d.data for d in load_documents(text, system) if d.data]
    if system == "marathon":
        return json.loads(text)
    return load_data(text, system)


def shop_source(system: str, api_replicas: int = 3) -> Any:
    """The example's manifest for ``system`` as plain data, with the api tier scaled to
    ``api_replicas`` (Deployment ``replicas``, app ``instances``, ``deploy.replicas``)."""
    if not isinstance(api_replicas, int) or isinstance(api_replicas, bool) or \
            not 0 <= api_replicas <= 20:
        raise ValueError(f"api_replicas must be a whole number from 0 to 20, not {api_replicas!r}")
    if system == "kubernetes":
        docs = copy.deepcopy(_parsed(system))
        for doc in docs:
            if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "api":
                doc["spec"]["replicas"] = api_replicas
        return docs
    if system == "marathon":
        group = copy.deepcopy(_parsed(system))
        for sub in group["groups"]:
            for app in sub.get("apps", []):
                if app["id"] == "/shop/web/api":
                    app["instances"] = api_replicas
        return group
    stack = copy.deepcopy(_parsed(system))
    stack["services"]["api"]["deploy"]["replicas"] = api_replicas
    return stack


@functools.lru_cache(maxsize=len(SYSTEMS) * 21, typed=True)
def _shop_specs(system: str, api_replicas: int) -> ManifestSet:
    """:func:`shop_source` loaded and validated once per system and api replicas (0 to 20):
    the manifest loader's checks took longer than a Kubernetes run's reconciling. The
    simulators take loaded specs and keep copies of what they store, or leave them unchanged
    (``kubectl apply`` on :class:`~clustersim.kubernetes.KubernetesCluster` deep-copies each
    manifest; Marathon and Swarm only read them, a test checks), so runs can share them.
    Swarm's specs carry the name ``deploy_stack`` gives a source of stack ``shop``."""
    return load_manifests(shop_source(system, api_replicas),
                          name="stack shop" if system == "swarm" else None)


def preload_specs(api_replicas: Iterable[int]) -> None:
    """Load and validate the example of every system for each of ``api_replicas`` now, as
    :func:`run_shop` would at its first run with that count (the three systems together take
    about 4 ms of CPU per count: most of it pydantic's validation and the Compose file's check
    against its version's schema). An app whose control ranges over a few counts calls it
    when built, so that a learner's first move to a count does not pay for it on top of
    three simulations."""
    for count in api_replicas:
        for system in SYSTEMS:
            _shop_specs(system, count)


_tier = functools.lru_cache(maxsize=64)(tier_of)
""":func:`~clustersim.examples.tier_of` (a function of the name alone) kept for the few
owner names of the example, read for every running task at every sampled time."""


def _tally(running: Iterable[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    """(running, ready) per tier from one ``(owner, ready)`` pair per running task."""
    out = {tier: [0, 0] for tier in TIERS}
    for owner, ready in running:
        tier = _tier(owner)
        out[tier][0] += 1
        out[tier][1] += ready
    return {t: (r, ok) for t, (r, ok) in out.items()}


def _kubernetes_counts(tasks: Iterable[TaskState]) -> dict[str, tuple[int, int]]:
    """Running pods (not terminating) and the ready ones, from a snapshot's tasks: the
    cluster's pods, ``Terminating`` while being deleted, ``Pod/<name>`` for a pod no workload
    owns (not the example's)."""
    return _tally((task.owner.split("/", 1)[1], task.ready) for task in tasks
                  if task.node and task.state == "Running" and not task.owner.startswith("Pod/"))


def _marathon_counts(system: Any) -> dict[str, tuple[int, int]]:
    """Running instances, and those whose health checks pass (all, without checks): read from
    Marathon, since a Mesos snapshot does not show health."""
    return _tally((spec_id, inst.healthy is True or not app.spec.health_checks)
                  for spec_id, app in system.marathon.apps.items()
                  for inst in app.instances.values()
                  if inst.goal == "Running" and inst.state == "Running")


def _swarm_counts(system: Any) -> dict[str, tuple[int, int]]:
    """Running tasks, every one ready (the example's services have no health checks), read
    from the cluster: a snapshot shows a task on a failed machine as it last knew it."""
    return _tally((task.service, True) for task in system.cluster.tasks()
                  if task.node and task.state == "running")


_FROM_CLUSTER = {"marathon": _marathon_counts, "swarm": _swarm_counts}


def _counts(system: str, cluster: Any, snapshot: Snapshot,
            last: tuple[object, dict[str, tuple[int, int]]] | None
            ) -> tuple[object, dict[str, tuple[int, int]]]:
    """The tier counts at ``snapshot`` with the tasks they were read from (``last``: the
    previous sample's), counted once per distinct set of tasks where a snapshot that shares
    the last one's tasks means every input of the counts is unchanged: Kubernetes' are read
    from the snapshot itself (:meth:`~clustersim.kubernetes.KubernetesCluster.pods` lists
    every pod again), Swarm's from tasks whose state, desired state and node its snapshot
    watches (:meth:`~clustersim.swarm.SwarmCluster.snapshot`). Marathon's read health,
    which a Mesos snapshot does not show: they are read at every sample."""
    if last is not None and last[0] is snapshot.tasks and system in _SHARED_MEANS_SAME:
        return last   # the simulator shares a snapshot's tasks while nothing changed
    if system in _FROM_CLUSTER:
        return snapshot.tasks, _FROM_CLUSTER[system](cluster)
    return snapshot.tasks, _kubernetes_counts(snapshot.tasks)


_SHARED_MEANS_SAME = ("kubernetes", "swarm")


def _node_to_fail(snapshot: Snapshot, tier: str | None) -> str:
    """The node running ``tier``'s first task (by task name), or with ``tier`` None the node
    running the most tasks (ties: the first by name)."""
    if tier is not None:
        hosts = sorted((t.name, t.node) for t in snapshot.tasks
                       if t.node and tier_of(t.owner) == tier)
        if not hosts:
            raise ValueError(f"no running task of tier {tier!r} to fail the node of")
        return hosts[0][1]
    load: dict[str, int] = {n.name: 0 for n in snapshot.nodes}
    for task in snapshot.tasks:
        if task.node in load:
            load[task.node] += 1
    return min(load, key=lambda name: (-load[name], name))


@memoized(96)
def run_shop(system: str, *, api_replicas: int = 3, fail_at: float | None = None,
             fail_tier: str | None = None, times: Sequence[float] = DEFAULT_TIMES,
             seed: int = 0) -> ShopRun:
    """Deploy ``shop`` on ``system``'s demo cluster; at ``fail_at`` (s) fail the node that
    runs ``fail_tier`` (default: the busiest node); sample tier counts and a snapshot at each
    of ``times`` (ascending, seconds)."""
    if fail_tier is not None and fail_tier not in TIERS:
        raise ValueError(f"fail_tier must be one of {', '.join(TIERS)}, not {fail_tier!r}")
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    times = [float(t) for t in times]
    if not times or times != sorted(times) or times[0] < 0:
        raise ValueError("times must be a non-empty ascending list of seconds ≥ 0")
    if fail_at is not None and not (is_number(fail_at) and 0 <= fail_at <= times[-1]):
        # a failure after the last sample would not happen at all, and one before 0 would be
        # read as a run() into the past
        raise ValueError(f"fail_at must be None (no failure) or a number of seconds from 0 to "
                         f"{times[-1]:g} (the last time sampled), got {fail_at!r}")
    cluster = open_system(system, seed=seed)
    cluster.deploy(_shop_specs(system, api_replicas), stack="shop")
    run = ShopRun(system, api_replicas, times, {t: [] for t in TIERS}, {t: [] for t in TIERS},
                  [], [])
    last = None
    for time in times:
        if fail_at is not None and run.failed_node is None and time >= fail_at:
            cluster.run(until=fail_at)
            run.failed_node = _node_to_fail(cluster.snapshot(), fail_tier)
            run.failed_at = fail_at
            cluster.fail_node(run.failed_node)
        cluster.run(until=time)
        snapshot = cluster.snapshot()
        last = _counts(system, cluster, snapshot, last)
        for tier, (running, ready) in last[1].items():
            run.running[tier].append(running)
            run.ready[tier].append(ready)
        run.snapshots.append(snapshot)
    run.events = cluster.events()
    return run


def compare_shop(api_replicas: int = 3, fail_at: float | None = None,
                 times: Sequence[float] = DEFAULT_TIMES, seed: int = 0) -> dict[str, ShopRun]:
    """:func:`run_shop` for each of the three systems with the same change."""
    return {s: run_shop(s, api_replicas=api_replicas, fail_at=fail_at, times=times, seed=seed)
            for s in SYSTEMS}


def start_order(run: ShopRun) -> list[list[str]]:
    """The tiers grouped by the sampled time at which each first had a ready task, earliest
    first (tiers never ready are left out): e.g. ``[["cache", "db"], ["api"], ["frontend"]]``."""
    by_time: dict[float, list[str]] = {}
    for tier in TIERS:
        first = run.first_ready(tier)
        if first is not None:
            by_time.setdefault(first, []).append(tier)
    return [sorted(by_time[t]) for t in sorted(by_time)]
