"""The swarm's task store: tasks created, their observed and desired states, the reaper.

swarmkit keeps every object in one store (``manager/state/store``) and the other parts
react to its changes; here :class:`TaskStore` holds the tasks of a
:class:`~clustersim.swarm.SwarmCluster`, records each state change as an event, wakes the
processes waiting on a task (:meth:`TaskStore.wait_for_change`) and hands a task that
ended to the orchestrator. The task reaper (``manager/orchestrator/taskreaper``) deletes
the tasks whose desired state is REMOVE once they are unassigned or have ended, and keeps
at most :data:`TASK_HISTORY_LIMIT` tasks per slot (one more than ``max_attempts`` where the
restart policy sets it), deleting the ended ones with the oldest status timestamps first
(:meth:`TaskStore._reap`). Tasks are
indexed by service, slot and node (:mod:`clustersim.swarm.taskindex`), so that the
reactions to one task's change cost the size of its service or slot, not the swarm's.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import simpy

from clustersim.sim import Clock, EventLog
from clustersim.swarm.errors import NoLeaderError, SwarmError, find
from clustersim.swarm.spec import ServiceSpec
from clustersim.swarm.taskindex import TaskIndex
from clustersim.swarm.tasks import Task, TaskState
from clustersim.swarm.updates import Updater

if TYPE_CHECKING:
    from clustersim.swarm.agent import Agent
    from clustersim.swarm.dispatcher import NodeRecord
    from clustersim.swarm.mesh import RoutingMesh
    from clustersim.swarm.orchestrator import Orchestrator
    from clustersim.swarm.raft import RaftState
    from clustersim.swarm.scheduler import Scheduler

TASK_HISTORY_LIMIT = 5  # docker swarm init --task-history-limit (default 5)
_ID_ALPHABET = string.ascii_lowercase + string.digits


def state_failed(task: Task) -> bool:
    """FAILED or REJECTED: counts towards the node's recent failures of the service."""
    return task.state in (TaskState.FAILED, TaskState.REJECTED)


@dataclass
class Service:
    """A service: its ``id`` (:func:`~clustersim.swarm.identity.service_id`), its current
    ``spec`` and ``version``, the ``previous`` spec (for rollback) and the update status
    ``docker service inspect`` shows (swarmkit's ``api.UpdateStatus``: state, message and
    the simulated times it started and completed)."""

    name: str
    spec: ServiceSpec
    id: str
    version: int = 1
    previous: ServiceSpec | None = None
    update_state: str = ""
    update_message: str = ""
    update_started_at: float | None = None
    """When the update or the rollback the status reports started (``StartedAt``)."""
    update_completed_at: float | None = None
    """When it completed (``CompletedAt``), None while it runs or is paused."""
    updater: Updater | None = None

    def __repr__(self) -> str:
        mode = "global" if self.spec.mode == "global" else f"replicas={self.spec.replicas}"
        return f"Service({self.name!r}, {mode}, image={self.spec.image!r}, v{self.version})"


class TaskStore:
    """Tasks and their states, the lowest part of :class:`~clustersim.swarm.SwarmCluster`:
    the parts form a stack (store, then :class:`~clustersim.swarm.dispatcher.Dispatcher`,
    then :class:`~clustersim.swarm.controlapi.ControlAPI`), each using those below it. The
    attributes and the three methods the cluster itself defines are declared here for the
    type checker."""

    events: EventLog
    raft: RaftState
    orchestrator: Orchestrator
    scheduler: Scheduler
    agent: Agent
    mesh: RoutingMesh
    clock: Clock
    services: dict[str, Service]
    _created: Counter[str]
    """How many services of each name were created (for their IDs:
    :func:`~clustersim.swarm.identity.service_id`)."""
    _nodes: dict[str, NodeRecord]
    _tasks: dict[str, Task]
    _index: TaskIndex
    _changes: dict[str, simpy.Event]
    _deferred_ends: list[Task]
    _deleted_listeners: list[Callable[[Task], None]]

    if TYPE_CHECKING:
        def request_tick(self) -> None: ...
        def _lose_leader(self) -> None: ...
        def _start_election(self) -> None: ...

    def record(self, obj: str, reason: str, message: str, type: str = "Normal") -> None:
        """One event in ``events`` at the current time."""
        self.events.record(self.clock.now, obj, reason, message, type)

    def _service(self, name: str) -> Service:
        return find(self.services, name, "service")

    def _require_leader(self) -> None:
        """Writes go through the Raft leader: without one the swarm refuses them."""
        if not self.raft.has_leader:
            raise NoLeaderError(self.raft.describe())

    def new_id(self) -> str:
        return "".join(self.clock.random.choice(_ID_ALPHABET) for _ in range(25))

    def service_tasks(self, service: str) -> list[Task]:
        """The tasks of the service now named ``service``, ended ones too, oldest first;
        without one, those of the services of that name removed before (until reaped)."""
        current = self.services.get(service)
        if current is not None:
            return self._index.of_service(current.id)
        return [t for t in self._tasks.values() if t.service == service]

    def tasks_by_service_id(self, service_id: str) -> list[Task]:
        """The tasks of the service whose ID is ``service_id``, ended ones too, oldest
        first, until the reaper deletes them (a removed service's too), read from the index
        as swarmkit's store reads its ``ByServiceID`` (``manager/state/store/tasks.go``): a
        reader of one service's tasks (a followed log) pays for that service alone."""
        return self._index.of_service(service_id)

    def tasks_by_service_ids(self, service_ids: Iterable[str]) -> list[Task]:
        """The tasks of any of the services whose IDs are given, in creation order, from the
        index (``GET /tasks?filters={"service":...}``, what ``docker service ps`` asks)."""
        return self._index.of_services(service_ids)

    def tasks_named(self, name: str) -> list[Task]:
        """The tasks called ``name`` (``web.3``, or ``web.<node>`` for a global service) of
        the service now of that name, from the slot index: one slot's tasks, not the
        service's (what an event about ``task/web.3`` is about)."""
        service_name, _, instance = name.rpartition(".")
        service = self.services.get(service_name)
        if service is None:
            return []
        slot = int(instance) if instance.isdigit() and instance[0] != "0" else 0
        found = self._index.in_slot(service.id, slot, None) if slot else []
        found += self._index.in_slot(service.id, 0, instance)
        return [t for t in found if t.name == name]

    def service_of(self, task: Task) -> Service | None:
        """The service the task was made for, None once it is removed (a later service of
        the same name is another service: swarmkit looks a task's service up by
        ``Task.ServiceID``)."""
        service = self.services.get(task.service)
        return service if service is not None and service.id == task.service_id else None

    def tasks_on(self, node: str) -> list[Task]:
        """The tasks assigned to the node, ended ones too, oldest first."""
        return self._index.on_node(node)

    def slot_tasks(self, task: Task) -> list[Task]:
        """The tasks of the task's slot (for a global service: of its service on its node),
        ended ones too, oldest first."""
        return self._index.in_slot(task.service_id, task.slot, task.node)

    def wait_for_change(self, task: Task) -> simpy.Event:
        """An event that fires at the task's next state or desired-state change."""
        if task.id not in self._changes:
            self._changes[task.id] = self.clock.env.event()
        return self._changes[task.id]

    def _changed(self, task: Task) -> None:
        event = self._changes.pop(task.id, None)
        if event is not None:
            event.succeed()

    def new_task(self, service: Service, *, slot: int, node: str | None = None,
                 desired: TaskState = TaskState.RUNNING) -> Task:
        """Create a task from the service's current spec; the allocator makes it PENDING,
        unless it could not allocate the service (:meth:`allocate_waiting`)."""
        task = Task(self.new_id(), service.name, slot, service.version, service.spec,
                    self.clock.now, node=node, desired_state=desired, service_id=service.id)
        task.history.append((self.clock.now, TaskState.NEW))
        self._index.add(task)
        self._reap(task)
        if self.mesh.allocated(service.name):
            self.set_task_state(task, TaskState.PENDING, "pending task scheduling")
        self.request_tick()
        return task

    def allocate_waiting(self, service: Service) -> None:
        """The allocator takes the service's tasks it left NEW once it can allocate the
        service (swarmkit's allocator keeps them in its unallocated tasks)."""
        if not self.mesh.allocated(service.name):
            return
        for task in self._index.of_service(service.id):
            if task.state == TaskState.NEW and task.wanted:
                self.set_task_state(task, TaskState.PENDING, "pending task scheduling")

    def set_task_state(self, task: Task, state: TaskState, message: str, err: str = "") -> None:
        """Record an observed state; a terminal state triggers the managers' reactions."""
        if task.state.terminal or (state == task.state and err == task.err):
            return
        with self._index.changing(task):
            task.state, task.message, task.err = state, message, err
        task.history.append((self.clock.now, state))
        if state == TaskState.RUNNING:
            task.started = self.clock.now
        warning = state in (TaskState.FAILED, TaskState.REJECTED)
        detail = f"{message}{': ' + err if err else ''}"
        where = f" on {task.node}" if task.node else ""
        self.record(f"task/{task.name}", state.value.title(), f"{task.id}{where}: {detail}",
                    "Warning" if warning else "Normal")
        self._changed(task)
        if state.terminal:
            self._task_ended(task)

    def _task_ended(self, task: Task) -> None:
        self.agent.ports.release(task)
        if state_failed(task) and task.slot and task.node:
            self.scheduler.task_failed(task.node, task, self.clock.now)
        service = self.service_of(task)
        if service is not None and service.updater is not None:
            service.updater.task_ended(task)
        if self.raft.has_leader:
            self.orchestrator.task_ended(task)
        elif task.desired_state <= TaskState.RUNNING:
            self._deferred_ends.append(task)
        self._reap(task)
        self.request_tick()

    def _reap(self, task: Task) -> None:
        """The task reaper (swarmkit ``manager/orchestrator/taskreaper/task_reaper.go``)
        after a change of ``task``: a task whose desired state is REMOVE (its slot went with
        a scale-down, or its service was removed) is deleted once it is unassigned (before
        ASSIGNED) or has ended (COMPLETE and later); a running one stays, listed with its
        desired state REMOVE, until its agent reports it shut down. Otherwise the task's
        slot (a node, for a global service) keeps at most :meth:`history_limit` tasks: the
        reaper looks at a slot when a task is created in it (``EventCreateTask``), and again
        while it holds more than one task that may still run, so here at each creation and
        end. It deletes tasks in the order of their status timestamps, oldest first
        (``orchestrator.TasksByTimestamp``: the manager's ``AppliedAt``, else the status
        ``Timestamp``, :attr:`Task.status_timestamp`); equal timestamps go in creation
        order, where Go's unstable sort leaves them in any order. It deletes only ended
        tasks (``taskInTerminalState``) and tasks not yet assigned whose desired state is
        past RUNNING (``taskWillNeverRun``), which :meth:`shut_down` ends at once here; any
        other task counts as running and stays, however old.
        Simplified: swarmkit deletes in batches, every 250 ms (``reaperBatchingInterval``);
        the simulator at once."""
        if task.id not in self._tasks:
            return
        if task.desired_state == TaskState.REMOVE and (
                task.state < TaskState.ASSIGNED or task.state.terminal):
            self._delete(task)
            return
        service = self.service_of(task)
        if service is None:     # a removed service's tasks go by their REMOVE alone
            return
        same = self.slot_tasks(task)
        excess = len(same) - self.history_limit(service)
        for old in sorted(same, key=lambda t: t.status_timestamp):
            if excess <= 0:
                break
            if old.state.terminal:
                self._delete(old)
                excess -= 1

    @staticmethod
    def history_limit(service: Service) -> int:
        """How many tasks a slot of ``service`` keeps: :data:`TASK_HISTORY_LIMIT`, or one
        more than its restart policy's ``max_attempts`` when that is set, which overrides the
        limit either way (``tick`` in ``task_reaper.go``: the restart supervisor rebuilds its
        history from these tasks when a manager starts)."""
        attempts = service.spec.restart.max_attempts
        return attempts + 1 if attempts > 0 else TASK_HISTORY_LIMIT

    def delete_task(self, task: Task) -> None:
        """Delete an ended task from the store outside the reaper: the replicated
        orchestrator's ``deleteTasksMap`` for the tasks of a dead slot."""
        if task.id in self._tasks:
            self._delete(task)

    def _delete(self, task: Task) -> None:
        self._index.remove(task)
        self._changes.pop(task.id, None)
        for listener in self._deleted_listeners:
            listener(task)

    def watch_deleted(self, listener: Callable[[Task], None]) -> None:
        """Call ``listener`` with each task the reaper deletes (swarmkit's store publishes
        ``EventDeleteTask``), so that what a reader keeps per task goes with it."""
        self._deleted_listeners.append(listener)

    def set_desired(self, task: Task, state: TaskState) -> None:
        with self._index.changing(task):
            task.desired_state = state
        self._changed(task)

    def shut_down(self, task: Task, desired: TaskState = TaskState.SHUTDOWN) -> None:
        """Desired state SHUTDOWN, or REMOVE for the tasks of a removed slot or service
        (swarmkit ``manager/orchestrator/service.go``, ``SetServiceTasksRemove``: every task
        of the service, ended ones too, never back to an earlier desired state); the node's
        agent stops the container, and the reaper deletes a task marked REMOVE
        (:meth:`_reap`)."""
        if task.desired_state >= desired:
            return
        stop = task.desired_state < TaskState.SHUTDOWN    # else its agent was told already
        self.set_desired(task, desired)
        if stop and task.state < TaskState.ASSIGNED:
            self.set_task_state(task, TaskState.SHUTDOWN, "shutdown")
        elif stop:
            self.agent.stop(task)
        self._reap(task)

    def _find_task(self, key: str) -> Task:
        for task in self._tasks.values():
            if key in (task.id, task.name) and task.wanted:
                return task
        raise SwarmError(f"no current task {key!r}; use a task id or a name such as 'web_web.1'")

    def tasks(self, service: str | None = None, *, history: bool = False) -> list[Task]:
        """The current tasks (desired state RUNNING or READY), as ``docker service ps -f
        desired-state=running`` lists them; ``history=True`` adds the ended ones. A
        ``service`` name means the service now of that name (:meth:`service_tasks`)."""
        tasks = self._tasks.values() if service is None else self.service_tasks(service)
        if service is not None and not tasks and service not in self.services:
            self._service(service)  # raises with the list of services
        return [t for t in tasks if history or t.desired_state <= TaskState.RUNNING]
