"""The last failed task of each app or pod, as Marathon keeps it for ``lastTaskFailure``.

Upstream: d2iq-archive/marathon ``core/history/impl/HistoryActor.scala`` listens on the event
bus and stores one ``TaskFailure`` per run spec in the ``TaskFailureRepository``, each new one
replacing the last; it deletes the run spec's entry on its ``AppTerminatedEvent``, so a failure
outlives later deployments (scaling, new versions, restarts) but not the app's removal. The
failures it stores (``state/TaskFailure.scala``):

- ``FromMesosStatusUpdateEvent``: a status update whose state ``isFailureState`` counts as a
  failure (:data:`FAILURE_STATES`); ``TASK_KILLED``, ``TASK_FINISHED`` and ``TASK_UNREACHABLE``
  do not. It carries the status's message, the task's host and agent, and the version of the
  run spec the task ran.
- ``FromUnhealthyInstanceKillEvent``: a task killed for failing its health checks is stored as
  ``TASK_KILLED`` with the message ``Task was killed since health check failed. Reason: ...``.

Simplified: the health-check reason is the simulator's description of the failed checks, not
the check's own last failure cause (``HTTP status 500``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from clustersim.marathon.state import Instance

__all__ = ["FAILURE_STATES", "TaskFailure", "TaskFailures"]

FAILURE_STATES = frozenset({"TASK_FAILED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED",
                            "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN"})
"""``TaskFailure.isFailureState``: the Mesos states stored as a task failure."""

UNHEALTHY_KILL = "Task was killed since health check failed. Reason: {}"
"""``TaskFailure.FromUnhealthyInstanceKillEvent``'s message."""


@dataclass(frozen=True)
class TaskFailure:
    """One failed task (``state/TaskFailure.scala``): its run spec, task id, Mesos state and
    message, the host and agent it ran on, the run spec version it ran (a deployment number)
    and when it failed (simulated seconds)."""

    app_id: str
    task_id: str
    state: str
    message: str
    host: str
    agent_id: str
    version: int
    time: float


class TaskFailures:
    """The ``TaskFailureRepository``: the last :class:`TaskFailure` of each run spec."""

    def __init__(self) -> None:
        self._last: dict[str, TaskFailure] = {}

    def status_update(self, instance: Instance, task_id: str, state: str, message: str,
                      now: float) -> None:
        """A status update of one of ``instance``'s tasks (``FromMesosStatusUpdateEvent``):
        kept when its state is a failure."""
        if state in FAILURE_STATES:
            self._store(instance, task_id, state, message, now)

    def unhealthy_kill(self, instance: Instance, reason: str, now: float) -> None:
        """``instance`` killed for its health checks (``FromUnhealthyInstanceKillEvent``:
        the instance's first task)."""
        self._store(instance, next(iter(instance.tasks)), "TASK_KILLED",
                    UNHEALTHY_KILL.format(reason), now)

    def _store(self, instance: Instance, task_id: str, state: str, message: str,
               now: float) -> None:
        self._last[instance.spec_id] = TaskFailure(
            instance.spec_id, task_id, state, message, instance.hostname or "",
            instance.agent_id or "", instance.version, now)

    def terminated(self, app_id: str) -> None:
        """The run spec was removed (``AppTerminatedEvent``): its failure goes with it."""
        self._last.pop(app_id, None)

    def get(self, app_id: str) -> TaskFailure | None:
        """The run spec's last failure, if it has one."""
        return self._last.get(app_id)
