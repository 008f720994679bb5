"""The swarmkit scheduler: filters, the spread strategy and placement preferences.

Upstream (moby/swarmkit):

- ``manager/scheduler/pipeline.go`` and ``filter.go``: a node must pass, in order, the
  ReadyFilter (status READY and availability ACTIVE), ResourceFilter (reserved NanoCPUs,
  memory bytes, generic resources), ConstraintFilter, HostPortFilter (a ``mode: host`` port
  free on the node) and MaxReplicasFilter. ``Pipeline.Process`` counts, per filter, the nodes
  it failed since the last node that passed; ``Explain`` lists the filters by count, most
  first: ``no suitable node (scheduling constraints not satisfied on 3 nodes)``.
- ``manager/scheduler/scheduler.go``: tasks of one service and spec version are scheduled as a
  group. ``nodeLess`` orders nodes: when either has ≥ 5 failures of this service version in
  the last 5 minutes, fewer failures first; then fewer active tasks of the service; then fewer
  active tasks in total. ``scheduleNTasksOnNodes`` fills the best node until the next one is
  better, then deals tasks round-robin, re-checking the filters as nodes fill up.
- ``manager/scheduler/nodeset.go`` (``tree``) and ``scheduleNTasksOnSubtree``: placement
  preferences (``spread: node.labels.X`` / ``engine.labels.X``) build a tree with one branch per
  label value (nodes without the label in the ``""`` branch); at each level the service's tasks,
  running ones included, are split as evenly as possible; a branch that cannot take its share
  takes what it can and the rest goes to the other branches. Each leaf keeps only its best
  ``len(group)`` nodes.
- Global tasks arrive with their node already chosen; the scheduler only checks that node
  (``taskFitNode``).

What the scheduler knows of each node (``NodeInfo``: free resources, active tasks, host ports)
is kept current as tasks change, in :mod:`clustersim.swarm.nodeinfo`; a placement here adds
the task to its node's ``NodeInfo`` at once, as swarmkit's does.

Where Go iterates a map (nodes, branches) the order is random; here it comes from the
cluster's seeded generator, so ties break at random but the same seed gives the same run.
Simplifications: plugin, platform (image OS/arch) and CSI-volume filters are not simulated.
Generic resources follow swarmkit's ``api/genericresource`` (:mod:`clustersim.genericresource`):
a node passes the ResourceFilter when it has enough of each kind a task reserves (``HasEnough``:
the count of a discrete kind, or as many IDs of a named set), and the task placed there is
assigned them (``Claim``, in :mod:`clustersim.swarm.nodeinfo`).
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from clustersim.genericresource import has_enough
from clustersim.node import Node
from clustersim.swarm.constraints import (
    ENGINE_LABEL_PREFIX,
    NODE_LABEL_PREFIX,
    equal_fold,
    node_matches,
)
from clustersim.swarm.nodeinfo import NodeInfo
from clustersim.swarm.spec import ServiceSpec
from clustersim.swarm.tasks import Task

__all__ = ["MAX_FAILURES", "MONITOR_FAILURES", "NodeInfo", "Pipeline", "Scheduler"]

NodeKey = Callable[["NodeInfo"], tuple[int, int, int]]

MONITOR_FAILURES = 300.0  # s: the look-back window for a node's failures of a service
MAX_FAILURES = 5          # failures within the window that rank a node last


class _Filter:
    """One filter of the pipeline: ``enabled`` for a spec, ``check`` a node for a task (the
    task's spec, and for MaxReplicasFilter its service's ID), ``explain``."""

    failure = "{} not available"

    def enabled(self, spec: ServiceSpec) -> bool:
        return True

    def check(self, task: Task, info: NodeInfo) -> bool:
        raise NotImplementedError

    def explain(self, nodes: int) -> str:
        return self.failure.format("1 node" if nodes == 1 else f"{nodes} nodes")


class _ReadyFilter(_Filter):
    failure = "{} not available for new tasks"

    def check(self, task: Task, info: NodeInfo) -> bool:
        return info.ready and info.availability == "active"


class _ResourceFilter(_Filter):
    failure = "insufficient resources on {}"

    def enabled(self, spec: ServiceSpec) -> bool:
        return not spec.reservations.empty

    def check(self, task: Task, info: NodeInfo) -> bool:
        res = task.spec.reservations
        return (res.nano_cpus <= info.nano_cpus and res.memory_bytes <= info.memory_bytes
                and all(has_enough(info.generic, kind, amount) for kind, amount in res.generic))


class _ConstraintFilter(_Filter):
    failure = "scheduling constraints not satisfied on {}"

    def enabled(self, spec: ServiceSpec) -> bool:
        return bool(spec.constraints)

    def check(self, task: Task, info: NodeInfo) -> bool:
        return node_matches(task.spec.constraints, info.node)


class _HostPortFilter(_Filter):
    failure = "host-mode port already in use on {}"

    def enabled(self, spec: ServiceSpec) -> bool:
        return any(p.mode == "host" and p.published for p in spec.ports)

    def check(self, task: Task, info: NodeInfo) -> bool:
        return not any((p.protocol, p.published) in info.host_ports
                       for p in task.spec.ports if p.mode == "host" and p.published)


class _MaxReplicasFilter(_Filter):
    def enabled(self, spec: ServiceSpec) -> bool:
        return spec.max_replicas > 0

    def check(self, task: Task, info: NodeInfo) -> bool:
        return info.active_by_service.get(task.service_id, 0) < task.spec.max_replicas

    def explain(self, nodes: int) -> str:
        return "max replicas per node limit exceed"


class Pipeline:
    """The filters in swarmkit's order, with per-filter failure counts for ``explain``."""

    def __init__(self) -> None:
        self.filters: list[_Filter] = [_ReadyFilter(), _ResourceFilter(), _ConstraintFilter(),
                                       _HostPortFilter(), _MaxReplicasFilter()]
        self.task: Task | None = None
        self.enabled: list[bool] = []
        self.failures: list[int] = []

    def set_task(self, task: Task) -> None:
        """``Pipeline.SetTask``: the filters ``task`` (and its group) is checked by."""
        self.task = task
        self.enabled = [f.enabled(task.spec) for f in self.filters]
        self.failures = [0] * len(self.filters)

    def process(self, info: NodeInfo) -> bool:
        """Does the node pass every filter? The first failing filter counts the node."""
        assert self.task is not None
        for index, check in enumerate(self.filters):
            if self.enabled[index] and not check.check(self.task, info):
                self.failures[index] += 1
                return False
        self.failures = [0] * len(self.filters)
        return True

    def explain(self) -> str:
        ranked = sorted(range(len(self.filters)), key=lambda i: -self.failures[i])
        return "; ".join(self.filters[i].explain(self.failures[i])
                         for i in ranked if self.failures[i] > 0)

    def no_suitable_node(self) -> str:
        explanation = self.explain()
        return f"no suitable node ({explanation})" if explanation else "no suitable node"


def node_key(info: NodeInfo, service_id: str) -> tuple[int, int, int]:
    """``nodeLess`` as a sort key for the tasks of the service ``service_id``: smaller is
    better (see the module docstring)."""
    failures = info.recent_failures if info.recent_failures >= MAX_FAILURES else 0
    return failures, info.active_by_service.get(service_id, 0), info.active_tasks


def spread_value(descriptor: str, node: Node) -> str | None:
    """The node's value for a preference descriptor; ``None`` if the descriptor is unsupported
    (swarmkit skips that level)."""
    if len(descriptor) > len(NODE_LABEL_PREFIX) and equal_fold(
            descriptor[: len(NODE_LABEL_PREFIX)], NODE_LABEL_PREFIX):
        return node.labels.get(descriptor[len(NODE_LABEL_PREFIX):], "")
    if len(descriptor) > len(ENGINE_LABEL_PREFIX) and equal_fold(
            descriptor[: len(ENGINE_LABEL_PREFIX)], ENGINE_LABEL_PREFIX):
        return node.engine_labels.get(descriptor[len(ENGINE_LABEL_PREFIX):], "")
    return None


@dataclass
class _Tree:
    """One level of the decision tree: task count, branches by label value, or leaf nodes."""

    tasks: int = 0
    next: dict[str, _Tree] = field(default_factory=dict)
    nodes: list[NodeInfo] = field(default_factory=list)
    visited: bool = False


class Scheduler:
    """Assigns pending tasks to nodes; remembers recent task failures per node."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pipeline = Pipeline()
        self.failures: dict[tuple[str, str, int], deque[float]] = {}
        """Per node and service version, the times of its failures in the last
        ``MONITOR_FAILURES`` seconds, oldest first."""

    # --- failures (nodeinfo.go taskFailed / countRecentFailures) ---------------------------
    def _recent(self, key: tuple[str, str, int], now: float) -> deque[float]:
        """The failures of ``key`` within ``MONITOR_FAILURES`` of ``now``: the older ones
        are dropped from the front, as ``taskFailed`` drops its expired ones."""
        times = self.failures.get(key, deque())
        while times and now - times[0] > MONITOR_FAILURES:
            times.popleft()
        if not times:
            self.failures.pop(key, None)
        return times

    def task_failed(self, node: str, task: Task, now: float) -> None:
        """Count a failure of the task's service version on ``node`` (swarmkit keys it by
        ``versionedService``: the service's ID and spec version)."""
        key = (node, task.service_id, task.version)
        self.failures[key] = self._recent(key, now)
        self.failures[key].append(now)

    def recent_failures(self, node: str, service_id: str, version: int, now: float) -> int:
        return len(self._recent((node, service_id, version), now))

    # --- preassigned (global) tasks ----------------------------------------------------------
    def fit_preassigned(self, task: Task, info: NodeInfo) -> str | None:
        """``taskFitNode``: ``None`` if the task fits its node, else the pending reason."""
        self.pipeline.set_task(task)
        if self.pipeline.process(info):
            info.add_task(task)
            return None
        return self.pipeline.no_suitable_node()

    # --- task groups -------------------------------------------------------------------------
    def schedule_group(self, tasks: list[Task], infos: Iterable[NodeInfo],
                       now: float) -> tuple[dict[str, str], str]:
        """Place a group of tasks of one service version. Returns ``{task id: node name}`` and
        the pending reason for the tasks left over (``""`` if all were placed)."""
        first = tasks[0]
        self.pipeline.set_task(first)
        infos = list(infos)
        self.rng.shuffle(infos)
        for info in infos:
            info.recent_failures = self.recent_failures(info.name, first.service_id,
                                                        first.version, now)
        def key(info: NodeInfo) -> tuple[int, int, int]:
            return node_key(info, first.service_id)

        tree = self._tree(first, infos, len(tasks), key)
        pending = deque(tasks)
        decisions: dict[str, str] = {}
        self._on_subtree(len(pending), pending, tree, decisions, key)
        return decisions, (self.pipeline.no_suitable_node() if pending else "")

    def _tree(self, task: Task, infos: list[NodeInfo], max_assignments: int,
              key: NodeKey) -> _Tree:
        """``newTree`` for the group of ``task``: its service's preferences and active tasks."""
        root = _Tree()
        for info in infos:
            tree = root
            count = info.active_by_service.get(task.service_id, 0)
            for descriptor in task.spec.preferences:
                value = spread_value(descriptor, info.node)
                if value is None:
                    continue
                tree.tasks += count
                tree = tree.next.setdefault(value, _Tree())
            tree.tasks += count
            if self.pipeline.process(info):
                tree.nodes.append(info)
        self._trim(root, max_assignments, key)
        return root

    def _trim(self, tree: _Tree, keep: int, key: NodeKey) -> None:
        """Each leaf keeps its ``keep`` best nodes (swarmkit's bounded max-heap)."""
        tree.nodes = sorted(tree.nodes, key=key)[:keep]
        for branch in tree.next.values():
            self._trim(branch, keep, key)

    def _ordered(self, leaf: _Tree, key: NodeKey) -> list[NodeInfo]:
        if leaf.visited:
            leaf.nodes = [info for info in leaf.nodes if self.pipeline.process(info)]
        leaf.visited = True
        leaf.nodes.sort(key=key)
        return leaf.nodes

    def _on_subtree(self, n: int, pending: deque[Task], tree: _Tree, decisions: dict[str, str],
                    key: NodeKey) -> int:
        """``scheduleNTasksOnSubtree``: split ``n`` tasks evenly across the branches."""
        if not tree.next:
            nodes = self._ordered(tree, key)
            return self._on_nodes(n, pending, nodes, decisions, key) if nodes else 0
        branches = list(tree.next.values())
        self.rng.shuffle(branches)
        scheduled = 0
        in_usable = tree.tasks
        no_room: set[int] = set()
        while scheduled != n and len(no_room) != len(branches):
            before = scheduled
            usable = len(branches) - len(no_room)
            desired, remainder = divmod(in_usable + n - scheduled, usable)
            for index, branch in enumerate(branches):
                if index in no_room:
                    continue
                if branch.tasks < desired or (branch.tasks == desired and remainder > 0):
                    to_assign = desired - branch.tasks + (1 if remainder > 0 else 0)
                    placed = self._on_subtree(to_assign, pending, branch, decisions, key)
                    if placed < to_assign:
                        no_room.add(index)
                        in_usable -= branch.tasks
                    elif remainder > 0:
                        remainder -= 1
                    scheduled += placed
            if scheduled == before:
                break  # no branch wants more (guards against swarmkit's old endless loop)
        return scheduled

    def _on_nodes(self, n: int, pending: deque[Task], nodes: list[NodeInfo],
                  decisions: dict[str, str], key: NodeKey) -> int:
        """``scheduleNTasksOnNodes``: fill the best node until the next is better, then deal
        round-robin, skipping nodes that stop passing the filters."""
        scheduled = 0
        failed: set[int] = set()
        index = 0
        count = len(nodes)
        while pending:
            task = pending.popleft()
            info = nodes[index % count]
            decisions[task.id] = info.name
            info.add_task(task)
            scheduled += 1
            if scheduled == n:
                return scheduled
            if index + 1 < count:
                if key(nodes[(index + 1) % count]) < key(info):
                    index += 1
            else:
                index += 1
            start = index
            while (index % count) in failed or not self.pipeline.process(nodes[index % count]):
                failed.add(index % count)
                index += 1
                if index - start == count:
                    return scheduled
        return scheduled
