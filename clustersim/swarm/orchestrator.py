"""The manager's orchestrators: replicated and global reconciliation, restarts, node events.

Upstream (moby/swarmkit ``manager/orchestrator/``):

- ``replicated/services.go``: a replicated service keeps ``replicas`` slots, each with one
  wanted task. Missing slots get new tasks with the lowest free slot numbers; surplus slots
  are removed (desired state REMOVE) from the nodes that hold the most copies of the
  service, not-yet-running tasks first. A slot whose task ended for good still counts
  (``replicated/slot.go``, ``restart.go`` ``UpdatableTasksInSlot``): scaling up does not
  refill it, a rolling update does in its turn, and a rollback refills it at once
  (:meth:`Orchestrator.updatable_in_slot`).
- ``global/global.go``: a global service keeps one task on every node that is up, not drained
  and meets the constraints; the task is created with its node already set. A paused node
  keeps its task but gets no new one; a drained, down or no-longer-matching node loses it.
  A node whose task ended for good (restart condition ``none``, or ``on-failure`` after a
  clean exit) gets no new one (``isTaskCompleted``).
- ``restart/restart.go`` (the restart supervisor): a task that ends while still wanted is
  replaced in the same slot (global: on the same node) unless the restart policy says no:
  condition ``none`` never, ``on-failure`` not after a clean exit (COMPLETE), and at most
  ``max_attempts`` restarts (within ``window`` if set). The new task waits ``delay`` (default
  5 s; none on a drained node; 0 s means no wait, upstream has no minimum) and, unless its
  node is down or the old task already ended, until the old task has stopped, before it
  starts: it is created with desired state READY, so its node prepares it (pulls the image)
  meanwhile, and is raised to RUNNING when the wait is over (``DelayStart``, ``StartNow``).
  Simplified: swarmkit waits for the old task at most a minute, counted from the restart
  (``defaultOldTaskTimeout``, the supervisor's ``TaskTimeout``; the updater's stop-first
  wait goes through the same ``DelayStart``), then starts the new task even though the old
  one has not reported its stop; the simulator waits on, since here an old task stops within
  the agent's ``STOP_TIME`` (1 s, where a real container may take its whole
  ``stop_grace_period``) and a node that stops answering is declared down within 15 s, both
  well inside the minute.
  A task that ends while its own start is still delayed (rejected in preparing because its
  image does not exist, or its node went down) is not replaced at once: its replacement
  waits for that delay to end (``waitRestart``, "to avoid tight restart loops"), so a
  service whose image cannot be pulled gets a new task every ``delay``, not at the pace of
  the agent's steps. A rolling update that replaces such a task meanwhile shuts it down, and
  its pending restart comes to nothing (:mod:`clustersim.swarm.updates`). The restarts
  counted are kept per slot (global: per node) only when ``max_attempts`` is set
  (``recordRestartHistory``), only those within ``window`` back from the ended task's own
  status time (pruned as ``shouldRestart`` reads them), afresh for each
  service spec version and forgotten with the service (``ClearServiceHistory``), so a task
  that fails for ever under the default policy leaves no growing record. A restart loop is
  still paced: each new task goes through the agent's accept, prepare and start
  (:mod:`clustersim.swarm.agent`).
- ``replicated/tasks.go`` and ``global``: when a node goes down or is drained, its replicated
  tasks go through the restart supervisor (so condition ``none`` leaves them down) and global
  tasks are shut down.
- ``constraintenforcer/constraint_enforcer.go``: when an active node's labels change, tasks
  whose service's constraints it no longer meets are REJECTED ("assigned node no longer meets
  constraints") and, being wanted, restarted elsewhere (global ones are not replaced). Node
  resources cannot shrink in the simulator, so its resource check never fires.

Swarm never rebalances: when a node comes back, running replicated tasks stay where they are
(https://docs.docker.com/engine/swarm/admin_guide/#force-the-swarm-to-rebalance).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import simpy

from clustersim.swarm.constraints import node_matches
from clustersim.swarm.tasks import Task, TaskState

if TYPE_CHECKING:
    from clustersim.swarm.cluster import Service, SwarmCluster

__all__ = ["Orchestrator", "RestartHistory"]


@dataclass
class RestartHistory:
    """One slot's restarts under one spec ``version`` (swarmkit's ``instanceRestartInfo``):
    how many, and when, the times kept only while the policy has a ``window``."""

    version: int
    total: int = 0
    times: deque[float] = field(default_factory=deque)


@dataclass
class DelayedStart:
    """A task's pending start (swarmkit's ``delayedStart``): ``done`` fires when its delay
    (and its wait for the old task) is over; ``waiter`` is set once the task itself ended
    meanwhile and its own restart waits for ``done``."""

    done: simpy.Event
    waiter: bool = False


class Orchestrator:
    """Reconciles services with their tasks and replaces tasks that end."""

    def __init__(self, cluster: SwarmCluster) -> None:
        self.cluster = cluster
        self.restart_history: dict[str, dict[int | str, RestartHistory]] = {}
        """Per service ID, per slot (global: node), the restarts ``max_attempts`` counts."""
        self.delays: dict[str, DelayedStart] = {}
        """Per task ID, the restart delay its start waits out (the supervisor's ``delays``)."""

    # --- reconciliation ----------------------------------------------------------------------
    def reconcile(self, service: Service) -> None:
        if not self.cluster.raft.has_leader:
            return
        if service.spec.mode == "global":
            self._reconcile_global(service)
        else:
            self._reconcile_replicated(service)

    def updatable_in_slot(self, service: Service, tasks: list[Task]) -> list[Task]:
        """``Supervisor.UpdatableTasksInSlot`` (swarmkit ``restart/restart.go``): the tasks of
        one slot (global: one node) that count for the service and go to the updater. These
        are its tasks whose desired state is still RUNNING or below; failing those, its
        newest task (by status time, ``TasksByTimestamp``) if that one ended for good, that
        is if the restart policy would not restart it (condition ``none``, ``on-failure``
        after a clean exit, ``max_attempts`` used up), so that a rolling update still
        gives the slot a task of the new spec. During a rollback (``ROLLBACK_STARTED``) such
        a slot is dead instead, so that the rollback brings the service back to its full
        count (the reconciler fills it: :meth:`_reconcile_replicated`)."""
        wanted = [t for t in tasks if t.desired_state <= TaskState.RUNNING]
        if wanted or not tasks or service.update_state == "rollback_started":
            return wanted
        newest = max(tasks, key=lambda t: t.status_timestamp)
        return [] if self.should_restart(newest) else [newest]

    def _slots(self, service: Service) -> tuple[dict[int, list[Task]], list[Task]]:
        """``updatableAndDeadSlots`` (swarmkit ``replicated/slot.go``): the slots that count,
        each with its updatable tasks (a task that has just ended counts until the restart
        supervisor has dealt with it), and the tasks of the dead slots."""
        by_slot: dict[int, list[Task]] = defaultdict(list)
        for task in self.cluster.service_tasks(service.name):
            by_slot[task.slot].append(task)
        slots: dict[int, list[Task]] = {}
        dead: list[Task] = []
        for number, tasks in by_slot.items():
            updatable = self.updatable_in_slot(service, tasks)
            if updatable:
                slots[number] = updatable
            else:
                dead += tasks
        return slots, dead

    def _reconcile_replicated(self, service: Service) -> None:
        """``reconcile`` (swarmkit ``replicated/services.go``): a slot whose task ended for
        good still counts, so scaling does not refill it; a dead one (in a rollback) does
        not, and a new task takes the lowest free slot number. The dead slots' tasks are
        deleted from the store (``deleteTasksMap``), so ``docker service ps`` no longer
        lists them. Simplified: upstream deletes a dead slot's task that is still stopping
        too; here it stays until it has stopped and the reaper deletes it."""
        slots, dead = self._slots(service)
        wanted = service.spec.replicas
        if len(slots) < wanted:
            number = 0
            for _ in range(wanted - len(slots)):
                number += 1
                while number in slots:  # the lowest slot number without a task (addTasks)
                    number += 1
                self.cluster.new_task(service, slot=number)
        elif len(slots) > wanted:
            for slot in self._slots_to_remove(slots, wanted):
                for task in slots[slot]:
                    self.cluster.shut_down(task, TaskState.REMOVE)
        for task in dead:
            if task.state.terminal:
                self.cluster.delete_task(task)

    def _slots_to_remove(self, slots: dict[int, list[Task]], keep: int) -> list[int]:
        """Scale down as swarmkit does: running slots before the others, then number each
        slot as the nth copy of the service on its node (unassigned ones last); keep the
        first ``keep`` and remove the rest, so the busiest nodes lose tasks first."""
        order = list(slots)
        self.cluster.clock.random.shuffle(order)  # Go iterates a map
        order.sort(key=lambda n: slots[n][0].state != TaskState.RUNNING)
        copies: dict[str, int] = defaultdict(int)
        index: dict[int, int] = {}
        for number in order:
            node = slots[number][0].node
            if len(slots[number]) == 1 and node is not None:
                copies[node] += 1
                index[number] = copies[node]
            else:
                index[number] = -1
        order.sort(key=lambda n: (index[n] < 0, index[n]))
        return order[keep:]

    def node_valid_for_global(self, service: Service, node_name: str) -> bool:
        record = self.cluster.node_record(node_name)
        return (record.status == "ready" and record.availability != "drain"
                and node_matches(service.spec.constraints, record.node))

    def _reconcile_global(self, service: Service) -> None:
        on_node: dict[str, list[Task]] = defaultdict(list)
        completed: set[str] = set()
        for task in self.cluster.service_tasks(service.name):
            if task.node is None:
                continue
            if task.desired_state <= TaskState.RUNNING and not task.state.terminal:
                on_node[task.node].append(task)
            elif self._completed(task):
                completed.add(task.node)
        for name in self.cluster.node_names():
            if not self.node_valid_for_global(service, name):
                for task in on_node.get(name, []):
                    self.cluster.shut_down(task)
            elif (not on_node.get(name) and name not in completed
                  and self.cluster.node_record(name).availability == "active"):
                self.cluster.new_task(service, slot=0, node=name)

    @staticmethod
    def _completed(task: Task) -> bool:
        """``isTaskCompleted``: under restart condition ``none`` any ended task, under
        ``on-failure`` a clean exit, means the node has done its part of the service."""
        condition = task.spec.restart.condition
        return condition == "none" or (condition == "on-failure"
                                       and task.state == TaskState.COMPLETE)

    # --- restarts ----------------------------------------------------------------------------
    @staticmethod
    def _instance(task: Task) -> int | str:
        return task.slot if task.slot else task.node or ""

    def should_restart(self, task: Task) -> bool:
        """``Supervisor.shouldRestart``. With a ``window``, the restarts counted are those
        after the window back from the task's own status timestamp (the manager's
        ``AppliedAt``, else its status ``Timestamp``: when it failed, or for a task on a
        node that went down, when it last reported, often when it started), not from now;
        older ones are dropped for good, and those at or after that time are left out of
        this count only."""
        policy = task.spec.restart
        if policy.condition == "none":
            return False
        if policy.condition == "on-failure" and task.state == TaskState.COMPLETE:
            return False
        if policy.max_attempts == 0:
            return True
        history = self.restart_history.get(task.service_id, {}).get(self._instance(task))
        if history is None or history.version != task.version:
            return True
        if policy.window <= 0:
            return history.total < policy.max_attempts
        since = task.status_timestamp
        while history.times and history.times[0] <= since - policy.window:
            history.times.popleft()
        return bisect_left(history.times, since) < policy.max_attempts

    def _record_restart(self, task: Task, now: float) -> None:
        """``recordRestartHistory``: nothing to count without ``max_attempts``."""
        policy = task.spec.restart
        if policy.max_attempts == 0:
            return
        slots = self.restart_history.setdefault(task.service_id, {})
        history = slots.get(self._instance(task))
        if history is None or history.version != task.version:
            history = slots[self._instance(task)] = RestartHistory(task.version)
        history.total += 1
        if policy.window > 0:
            history.times.append(now)

    def forget(self, service_id: str) -> None:
        """``ClearServiceHistory``: the service was removed."""
        self.restart_history.pop(service_id, None)

    def restart(self, task: Task, *, reason: str) -> None:
        """``Supervisor.Restart``: shut the task down and, if the policy allows, replace it;
        a task whose own start is still delayed is restarted when the delay ends."""
        cluster = self.cluster
        pending = self.delays.get(task.id)
        if pending is not None:
            if not pending.waiter:
                pending.waiter = True
                cluster.clock.process(self._wait_restart(task, pending, reason))
            return
        service = cluster.service_of(task)
        cluster.shut_down(task)
        if service is None:
            return
        now = cluster.clock.now
        if not self.should_restart(task):
            cluster.record(f"task/{task.name}", "RestartSkipped",
                           f"{task.id}: not restarted ({reason}): restart policy condition "
                           f"{task.spec.restart.condition}, max_attempts "
                           f"{task.spec.restart.max_attempts}", "Warning")
            return
        node = cluster.node_record(task.node) if task.node else None
        if any(other.wanted and other is not task for other in cluster.slot_tasks(task)):
            return  # the slot (or node) already has its task
        if service.spec.mode == "global":
            if task.node is None or not self.node_valid_for_global(service, task.node):
                return
            replacement = cluster.new_task(service, slot=0, node=task.node,
                                           desired=TaskState.READY)
        else:
            replacement = cluster.new_task(service, slot=task.slot, desired=TaskState.READY)
        drained = node is not None and node.availability == "drain"
        delay = 0.0 if drained else task.spec.restart.delay
        wait_stop = not ((node is not None and node.status == "down") or task.state.terminal)
        self._record_restart(replacement, now)
        cluster.record(f"task/{task.name}", "Restart",
                       f"{task.id} replaced by {replacement.id} ({reason}); starts after "
                       f"{delay:g} s{' and once the old task has stopped' if wait_stop else ''}")
        self.delays[replacement.id] = DelayedStart(cluster.clock.env.event())
        cluster.clock.process(self._delayed_start(task, replacement, delay, wait_stop))

    def _delayed_start(self, old: Task, new: Task, delay: float, wait_stop: bool):
        """``Supervisor.DelayStart``: raise the new task's desired state to RUNNING (also
        when it was rejected meanwhile, as ``StartNow`` does), then end its delay."""
        cluster = self.cluster
        yield cluster.clock.timeout(delay)
        while wait_stop and not old.state.terminal and not cluster.node_down(old.node):
            yield cluster.wait_for_change(old)
        if new.desired_state == TaskState.READY:
            cluster.set_desired(new, TaskState.RUNNING)
        self.delays.pop(new.id).done.succeed()

    def _wait_restart(self, task: Task, pending: DelayedStart, reason: str):
        """``Supervisor.waitRestart``: once the task's delay is over, restart it unless it
        was shut down or its service removed meanwhile."""
        yield pending.done
        if task.desired_state <= TaskState.RUNNING and self.cluster.service_of(task):
            self.restart(task, reason=reason)

    def task_ended(self, task: Task) -> None:
        """A task reached a terminal state while still wanted: hand it to the supervisor."""
        if task.desired_state <= TaskState.RUNNING and self.cluster.raft.has_leader:
            self.restart(task, reason=f"task {task.state.value.lower()}")

    # --- nodes -------------------------------------------------------------------------------
    def node_changed(self, name: str) -> None:
        """A node went down, came back, or had its availability, role or labels changed."""
        cluster = self.cluster
        record = cluster.node_record(name)
        leaving = record.status == "down" or record.availability == "drain"
        for task in list(cluster.tasks_on(name)):
            service = cluster.service_of(task)
            if not task.wanted or service is None:
                continue
            if leaving and service.spec.mode == "replicated":
                state = "down" if record.status == "down" else "drained"
                self.restart(task, reason=f"node {name} is {state}")
            elif record.availability == "active" and not self._still_fits(task, service, name):
                cluster.set_task_state(task, TaskState.REJECTED,
                                       "task rejected by constraint enforcer",
                                       "assigned node no longer meets constraints")
        for service in list(cluster.services.values()):
            if service.spec.mode == "global":
                self._reconcile_global(service)
        cluster.request_tick()

    def _still_fits(self, task: Task, service: Service, name: str) -> bool:
        """The constraint enforcer checks the service's *current* constraints (a task whose
        spec changed only in placement keeps its old spec)."""
        return node_matches(service.spec.constraints, self.cluster.node_record(name).node)
