"""Indexes over the swarm's tasks, so that walking one service, slot or node costs its size.

swarmkit's store (``manager/state/store/tasks.go``) indexes tasks by service, by node and by
slot (``ByServiceID``, ``ByNodeID``, ``BySlot``) for the same reason: the orchestrator, the
task reaper and the dispatcher look at one service's or one node's tasks each time a task
changes, and a scan of every task there makes removing a service of 100,000 replicas
quadratic (``benchmarks/swarm_lifecycle.py`` prints the figures).

:class:`TaskIndex` holds every task of a :class:`~clustersim.swarm.SwarmCluster` (``all``,
in creation order) and answers in that same order, so results do not depend on the index.
It also counts the tasks still *in flight* per node, which is what the simulator's
``busy()`` asks at every simulated event (a swarmkit manager has no such question), keeps the
PENDING tasks the scheduler's next pass takes (swarmkit's scheduler keeps them in its
``unassignedTasks`` and ``preassignedTasks``), and hands each task, after it is added and after
every change, to a watcher: the scheduler's node set (:mod:`clustersim.swarm.nodeinfo`), as
swarmkit's scheduler watches the store's task events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from clustersim.swarm.tasks import Task, TaskState

__all__ = ["TaskIndex", "in_flight"]

_Key = TypeVar("_Key")


def in_flight(task: Task) -> bool:
    """Not ended, and either being stopped (desired state other than RUNNING) or on its way
    to RUNNING (a PENDING task that no node fits, which has an error, waits instead, as does
    a task left NEW, which the allocator could not allocate)."""
    if task.state.terminal or task.state == TaskState.NEW:
        return False
    return task.desired_state != TaskState.RUNNING or (
        task.state < TaskState.RUNNING and not (task.state == TaskState.PENDING and task.err))


def _started(task: Task) -> bool:
    """A container has started (STARTING or RUNNING): an image set to exit makes it work."""
    return not task.state.terminal and task.state >= TaskState.STARTING


class TaskIndex:
    """Every task, by id, by service ID, by replicated slot, by node and by service and node,
    and the counts of in-flight and started tasks per node.

    A task's ``service`` and ``slot`` never change; its ``node``, states and error do, and
    each such change goes through :meth:`changing`, after which ``watch`` sees the task."""

    def __init__(self, watch: Callable[[Task], None]) -> None:
        self.watch = watch
        self.all: dict[str, Task] = {}
        self._order: dict[str, int] = {}
        self._count = 0
        self._by_service: dict[str, dict[str, Task]] = defaultdict(dict)
        self._by_slot: dict[tuple[str, int], dict[str, Task]] = defaultdict(dict)
        self._by_node: dict[str | None, dict[str, Task]] = defaultdict(dict)
        self._by_service_node: dict[tuple[str, str | None], dict[str, Task]] = defaultdict(dict)
        self._pending: dict[str, Task] = {}
        self.in_flight: dict[str | None, int] = {}
        """Node (None: not assigned) → its tasks in flight (:func:`in_flight`); no zeros."""
        self.started: dict[tuple[str | None, str], int] = {}
        """(node, image) → its started tasks (:func:`_started`); no zeros."""

    # --- membership --------------------------------------------------------------------------
    def add(self, task: Task) -> None:
        self.all[task.id] = task
        self._order[task.id] = self._count
        self._count += 1
        self._by_service[task.service_id][task.id] = task
        if task.slot:
            self._by_slot[(task.service_id, task.slot)][task.id] = task
        self._enter(task)

    def remove(self, task: Task) -> None:
        self._leave(task)
        del self.all[task.id], self._order[task.id]
        _discard(self._by_service, task.service_id, task.id)
        if task.slot:
            _discard(self._by_slot, (task.service_id, task.slot), task.id)

    @contextmanager
    def changing(self, task: Task) -> Iterator[None]:
        """Wrap a change of the task's node, states or error: the indexes follow it."""
        self._leave(task)
        try:
            yield
        finally:
            self._enter(task)

    def _enter(self, task: Task) -> None:
        self._by_node[task.node][task.id] = task
        self._by_service_node[(task.service_id, task.node)][task.id] = task
        if in_flight(task):
            self.in_flight[task.node] = self.in_flight.get(task.node, 0) + 1
        if _started(task):
            key = (task.node, task.spec.image)
            self.started[key] = self.started.get(key, 0) + 1
        if task.state == TaskState.PENDING:
            self._pending[task.id] = task
        self.watch(task)

    def _leave(self, task: Task) -> None:
        _discard(self._by_node, task.node, task.id)
        _discard(self._by_service_node, (task.service_id, task.node), task.id)
        if in_flight(task):
            _decrement(self.in_flight, task.node)
        if _started(task):
            _decrement(self.started, (task.node, task.spec.image))
        self._pending.pop(task.id, None)

    # --- queries (creation order) ------------------------------------------------------------
    def of_service(self, service_id: str) -> list[Task]:
        return list(self._by_service.get(service_id, {}).values())

    def of_services(self, service_ids: Iterable[str]) -> list[Task]:
        """The tasks of any of the services, in creation order."""
        return self._ordered({t.id: t for service_id in service_ids
                              for t in self._by_service.get(service_id, {}).values()})

    def on_node(self, node: str) -> list[Task]:
        return self._ordered(self._by_node.get(node, {}))

    def pending(self) -> list[Task]:
        """The PENDING tasks: those the scheduler has yet to place or to confirm on their
        node."""
        return self._ordered(self._pending)

    def in_slot(self, service_id: str, slot: int, node: str | None) -> list[Task]:
        """The tasks of one slot: ``slot`` of a replicated service, or (slot 0) the service's
        tasks on ``node``, as swarmkit's reaper and restart supervisor group them (by
        ``Task.ServiceID``)."""
        if slot:
            return list(self._by_slot.get((service_id, slot), {}).values())
        return self._ordered(self._by_service_node.get((service_id, node), {}))

    def _ordered(self, tasks: dict[str, Task]) -> list[Task]:
        return sorted(tasks.values(), key=lambda t: self._order[t.id])


def _discard(index: dict[_Key, dict[str, Task]], key: _Key, task_id: str) -> None:
    tasks = index.get(key)
    if tasks is not None:
        tasks.pop(task_id, None)
        if not tasks:
            del index[key]


def _decrement(counts: dict[_Key, int], key: _Key) -> None:
    left = counts[key] - 1
    if left:
        counts[key] = left
    else:
        del counts[key]
