"""Rolling updates and rollbacks, as swarmkit's updater runs them.

Upstream: moby/swarmkit ``manager/orchestrator/update/updater.go``; docs
https://docs.docker.com/engine/swarm/swarm-tutorial/rolling-update/ and
https://docs.docker.com/reference/compose-file/deploy/#update_config .

- The "dirty" slots (tasks made from an older spec) are updated ``parallelism`` at a time
  (0 = all at once); after each slot a worker waits ``delay`` before taking the next one.
- ``order: stop-first`` stops the old task, then starts the new one; ``start-first`` starts the
  new task and stops the old one once the new one runs (briefly both run).
- A slot is done when its new task reaches RUNNING (or ends): ``updateTask`` waits for the
  task's state to reach RUNNING. For a service with a health check a task is RUNNING only
  once its container is healthy (see :mod:`clustersim.swarm.agent`), so the updater waits for
  health: Swarm's answer to a readiness probe. A new task that fails or ends
  while it is being started or within ``monitor`` seconds of reaching RUNNING counts as a
  failure. When failures / dirty slots exceeds ``max_failure_ratio``, ``failure_action``
  applies: ``pause`` stops the update ("update paused due to failure or early termination of
  task <id>"), ``continue`` goes on, ``rollback`` starts a rollback to the previous spec with
  ``rollback_config`` ("update rolled back due to …"; a failing rollback only pauses).
- After the last slot the updater keeps watching for one more ``monitor`` period, then marks
  the update completed ("update completed" / "rollback completed").

The update status (``state``, ``message``, and when it started and completed) is what
``docker service inspect`` shows under ``UpdateStatus``: ``startUpdate`` and a manual
rollback (controlapi ``UpdateService``) set ``StartedAt``, an automatic rollback keeps the
failed update's, a pause changes neither, and ``completeUpdate`` sets ``CompletedAt``. While
the swarm has no leader the updater waits.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, ClassVar

import simpy

from clustersim.swarm.constraints import node_matches
from clustersim.swarm.spec import UpdateConfig
from clustersim.swarm.tasks import Task, TaskState

if TYPE_CHECKING:
    from clustersim.swarm.cluster import Service, SwarmCluster

__all__ = ["Updater"]


class Updater:
    """One rolling update (or rollback) of one service."""

    def __init__(self, cluster: SwarmCluster, service: Service, *, rollback: bool,
                 message: str = "") -> None:
        self.cluster = cluster
        self.service = service
        self.rollback = rollback
        self.config: UpdateConfig = service.spec.rollback if rollback else service.spec.update
        self.stopped = False
        self.failed: set[str] = set()
        self.started: dict[str, float | None] = {}  # task id → time it reached RUNNING
        self.dirty = 0
        if rollback:
            self._set_status("rollback_started", message or "manually requested rollback")
        else:   # startUpdate: a new status, started now
            service.update_started_at = cluster.clock.now
            self._set_status("updating", message or "update in progress")
        cluster.clock.process(self._run())

    _REASONS: ClassVar[dict[str, str]] = {
        "updating": "UpdateStarted", "paused": "UpdatePaused", "completed": "UpdateCompleted",
        "rollback_started": "RollbackStarted", "rollback_paused": "RollbackPaused",
        "rollback_completed": "RollbackCompleted"}

    def _set_status(self, state: str, message: str) -> None:
        self.service.update_state = state
        self.service.update_message = message
        self.cluster.record(f"service/{self.service.name}", self._REASONS[state], message,
                            "Warning" if "paused" in state else "Normal")

    def cancel(self) -> None:
        """A newer update replaces this one."""
        self.stopped = True

    # --- slots -------------------------------------------------------------------------------
    def _dirty_slots(self) -> list[list[Task]]:
        """The slots (global: nodes) to update: each with the tasks the restart supervisor
        hands the updater (:meth:`~clustersim.swarm.orchestrator.Orchestrator.updatable_in_slot`,
        swarmkit ``restart.go`` ``UpdatableTasksInSlot``), kept when one of them is dirty.
        These are the tasks whose desired state is still RUNNING or below, an ended one
        too: a task that ended while its own restart delay ran keeps its desired state
        until that delay ends (:meth:`~clustersim.swarm.orchestrator.Orchestrator.restart`),
        and the updater replaces it at once; shut down, it is not restarted when the delay
        ends (``waitRestart``), so the pending restart is cancelled. A slot whose newest
        task ended for good (condition ``none``, ``on-failure`` after a clean exit,
        ``max_attempts`` used up) comes with that task, so an update of the spec starts a
        task of the new spec there (the worker's new task, ``updateTask``, which waits for
        no old task that has already stopped). A rollback leaves such slots out: the
        reconciler refills them."""
        slots: dict[int | str, list[Task]] = {}
        for task in self.cluster.service_tasks(self.service.name):
            slots.setdefault(task.slot or task.node or "", []).append(task)
        updatable = ((key, self.cluster.orchestrator.updatable_in_slot(self.service, tasks))
                     for key, tasks in slots.items())
        return [tasks for _, tasks in sorted(updatable, key=lambda kv: str(kv[0]).zfill(8))
                if any(self._dirty(t) for t in tasks)]

    def _dirty(self, task: Task) -> bool:
        """``orchestrator.IsTaskDirty``: the task's spec differs from the service's, unless
        only the placement changed and the task's node still meets the constraints."""
        spec = self.service.spec
        if task.spec.task_spec() == spec.task_spec():
            return False
        if task.spec.runtime_spec() == spec.runtime_spec() and task.node is not None:
            node = self.cluster.node_record(task.node).node
            return not node_matches(spec.constraints, node)
        return True

    def _wait_leader(self) -> Generator[Any, Any, None]:
        while not self.cluster.raft.has_leader:
            yield self.cluster.clock.timeout(1.0)

    def _run(self) -> Generator[Any, Any, None]:
        clock = self.cluster.clock
        slots = self._dirty_slots()
        self.dirty = len(slots)
        parallelism = self.config.parallelism or max(1, len(slots))
        queue = deque(slots)
        workers = [clock.process(self._worker(queue)) for _ in range(min(parallelism, len(slots)))]
        yield simpy.AllOf(clock.env, workers)
        if self.stopped:
            return
        yield clock.timeout(self.config.monitor)
        if not self.stopped:
            self.stopped = True
            self.cluster.update_finished(self.service, self)
            self.service.update_completed_at = clock.now        # completeUpdate's CompletedAt
            if self.rollback:
                self._set_status("rollback_completed", "rollback completed")
            else:
                self._set_status("completed", "update completed")

    def _worker(self, queue: deque[list[Task]]) -> Generator[Any, Any, None]:
        while queue and not self.stopped:
            yield from self._wait_leader()
            old_tasks = queue.popleft()
            yield from self._update_slot(old_tasks)
            if self.config.delay and queue and not self.stopped:
                yield self.cluster.clock.timeout(self.config.delay)

    def _update_slot(self, old_tasks: list[Task]) -> Generator[Any, Any, None]:
        cluster = self.cluster
        first = old_tasks[0]
        if self.stopped or not self._still_updatable(old_tasks):
            return
        start_first = self.config.order == "start-first"
        new = cluster.new_task(self.service, slot=first.slot, node=first.node if not first.slot
                               else None,
                               desired=TaskState.RUNNING if start_first else TaskState.READY)
        self.started[new.id] = None
        if not start_first:
            for task in old_tasks:
                cluster.shut_down(task)
            for task in old_tasks:
                while not task.state.terminal and not cluster.node_down(task.node):
                    yield cluster.wait_for_change(task)
            if new.desired_state == TaskState.READY:
                cluster.set_desired(new, TaskState.RUNNING)
        while new.state < TaskState.RUNNING and not self.stopped:
            yield cluster.wait_for_change(new)
        if new.state == TaskState.RUNNING:
            self.started[new.id] = cluster.clock.now
            if start_first:
                for task in old_tasks:
                    cluster.shut_down(task)

    def _still_updatable(self, old_tasks: list[Task]) -> bool:
        """The slot is still to be updated when its turn comes: one of its tasks is still
        wanted, or, for a slot handed over with its task ended for good, it was neither
        removed (a scale-down) nor given a task meanwhile."""
        if any(t.desired_state <= TaskState.RUNNING for t in old_tasks):
            return True
        first = old_tasks[0]
        return (len(old_tasks) == 1 and first.desired_state < TaskState.REMOVE
                and not any(t.wanted for t in self.cluster.slot_tasks(first)))

    # --- monitoring --------------------------------------------------------------------------
    def task_ended(self, task: Task) -> None:
        """A task ended: if it is one of ours and within the monitor window, it is a failure."""
        if self.stopped or task.id not in self.started or task.id in self.failed:
            return
        if task.desired_state > TaskState.RUNNING and task.state == TaskState.SHUTDOWN:
            return  # stopped on purpose, not a failure
        started = self.started[task.id]
        if started is not None and self.cluster.clock.now - started > self.config.monitor:
            return
        self.failed.add(task.id)
        if len(self.failed) / max(1, self.dirty) <= self.config.max_failure_ratio:
            return
        action = self.config.failure_action
        kind = "rollback" if self.rollback else "update"
        if action == "continue":
            return
        self.stopped = True
        self.cluster.update_finished(self.service, self)
        if action == "pause" or self.rollback:
            self._set_status(f"{kind}_paused" if self.rollback else "paused",
                             f"{kind} paused due to failure or early termination of task "
                             f"{task.id}")
        else:
            self.cluster.start_rollback(
                self.service, f"update rolled back due to failure or early termination of "
                f"task {task.id}")
