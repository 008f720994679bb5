"""Swarm tasks and their states, named and ordered as swarmkit names and orders them.

Upstream: moby/swarmkit ``api/types.proto`` (``TaskState``: NEW 0, PENDING 64, ASSIGNED 192,
ACCEPTED 256, PREPARING 320, READY 384, STARTING 448, RUNNING 512, COMPLETE 576, SHUTDOWN 640,
FAILED 704, REJECTED 768, REMOVE 800, ORPHANED 832) and
https://docs.docker.com/engine/swarm/how-swarm-mode-works/swarm-task-states/ .
A task only moves forward through these states; a task never comes back: a restart is a new
task in the same slot. States after RUNNING are terminal.

A task is named as ``docker service ps`` shows it: ``<service>.<slot>`` for a replicated
service, ``<service>.<node id>`` for a global one, plus the task id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from clustersim.genericresource import Entry, env_format

if TYPE_CHECKING:
    from clustersim.swarm.spec import ServiceSpec

__all__ = ["Task", "TaskState"]


class TaskState(StrEnum):
    """A task state. Compares equal to its name in any case (``state == "running"``) and
    orders by swarmkit's numbers (``state > TaskState.RUNNING`` means the task has ended)."""

    NEW = "NEW"
    PENDING = "PENDING"
    ASSIGNED = "ASSIGNED"
    ACCEPTED = "ACCEPTED"
    PREPARING = "PREPARING"
    READY = "READY"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    COMPLETE = "COMPLETE"
    SHUTDOWN = "SHUTDOWN"
    FAILED = "FAILED"
    REJECTED = "REJECTED"
    REMOVE = "REMOVE"
    ORPHANED = "ORPHANED"

    _number: int
    """swarmkit's number, set on each member below (comparisons run in every task filter)."""

    @property
    def number(self) -> int:
        """swarmkit's numeric value of the state."""
        return self._number

    @property
    def terminal(self) -> bool:
        """The task has stopped (COMPLETE and later)."""
        return self._number > _RUNNING

    def __eq__(self, other: object) -> bool:
        if type(other) is TaskState:
            return self is other   # one member per state
        if isinstance(other, str):
            return self._value_ == other.upper()
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        # str.__ne__ would compare case-sensitively: RUNNING != "running" must be False
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        # the hash of the upper-case name: a set or dict of states finds "RUNNING" (and the
        # state itself); no hash can also match every other spelling, which equality accepts
        return hash(self._value_)

    def __lt__(self, other: object) -> bool:
        return self._number < _number_of(other)

    def __le__(self, other: object) -> bool:
        return self._number <= _number_of(other)

    def __gt__(self, other: object) -> bool:
        return self._number > _number_of(other)

    def __ge__(self, other: object) -> bool:
        return self._number >= _number_of(other)

    def __str__(self) -> str:
        return self.value


_NUMBERS = {"NEW": 0, "PENDING": 64, "ASSIGNED": 192, "ACCEPTED": 256, "PREPARING": 320,
            "READY": 384, "STARTING": 448, "RUNNING": 512, "COMPLETE": 576, "SHUTDOWN": 640,
            "FAILED": 704, "REJECTED": 768, "REMOVE": 800, "ORPHANED": 832}
_RUNNING = _NUMBERS["RUNNING"]
for _state in TaskState:
    _state._number = _NUMBERS[_state.value]


def _number_of(other: object) -> int:
    """The number of ``other``: a state, or the state it names in any case (ValueError if
    none)."""
    if type(other) is TaskState:
        return other._number
    return TaskState(str(other).upper())._number


@dataclass(eq=False)
class Task:
    """One task: the unit of work Swarm schedules (one container).

    ``node`` is the node's name (``None`` while pending), ``state`` the observed state,
    ``desired_state`` what the orchestrator wants (RUNNING, READY while a restart delay
    runs, SHUTDOWN), ``message`` and ``err`` the status texts ``docker service ps`` shows,
    ``version`` the service spec version the task was made from, ``service_id`` the ID of
    the service it was made for (swarmkit's ``Task.ServiceID``): the name ``service`` may
    be taken by a later service once this one is removed, the ID never is. A task made
    without one (a scheduler test's) takes its service's name as its ID.
    """

    id: str
    service: str
    slot: int
    version: int
    spec: ServiceSpec
    created: float
    node: str | None = None
    state: TaskState = TaskState.NEW
    desired_state: TaskState = TaskState.RUNNING
    message: str = "created"
    err: str = ""
    started: float | None = None
    history: list[tuple[float, TaskState]] = field(default_factory=list)
    service_id: str = ""
    assigned_generic: tuple[Entry, ...] = ()
    """The generic resources the scheduler assigned the task on its node (swarmkit's
    ``AssignedGenericResources``: a count of a discrete kind, or the IDs of a named set it
    holds), kept after it ends; :attr:`resource_env` is how its container sees them."""

    def __post_init__(self) -> None:
        if not self.service_id:
            self.service_id = self.service

    @property
    def name(self) -> str:
        """``<service>.<slot>`` (replicated) or ``<service>.<node>`` (global, slot 0)."""
        return f"{self.service}.{self.slot if self.slot else self.node}"

    @property
    def status_timestamp(self) -> float:
        """When its status last changed (swarmkit's ``TaskStatus.Timestamp``; the manager's
        ``AppliedAt``, which the reaper and the restart supervisor prefer, is the same time
        here): the time of its last state, its creation before it has one."""
        return self.history[-1][0] if self.history else self.created

    @property
    def resource_env(self) -> list[str]:
        """The ``DOCKER_RESOURCE_<KIND>=...`` variables the node's executor adds to the
        container's environment for :attr:`assigned_generic` (moby
        ``daemon/cluster/executor/container/container.go``, ``config``; swarmkit's
        ``EnvFormat``), e.g. ``["DOCKER_RESOURCE_GPU=GPU-1,GPU-2"]``."""
        return env_format(self.assigned_generic)

    @property
    def error(self) -> str:
        """The status error (``docker service ps``'s ERROR column), e.g. the pending reason
        ``no suitable node (…)``; same as ``err``."""
        return self.err

    @property
    def holds_resources(self) -> bool:
        """Assigned to a node and not yet stopped: its reservations and host ports are taken."""
        return self.node is not None and TaskState.ASSIGNED <= self.state <= TaskState.RUNNING

    @property
    def active(self) -> bool:
        """Counts as one of the node's tasks for spreading (swarmkit ``NodeInfo.addTask``:
        desired state ≤ RUNNING)."""
        return self.holds_resources and self.desired_state <= TaskState.RUNNING

    @property
    def wanted(self) -> bool:
        """The orchestrator still wants this task (desired state ≤ RUNNING, not ended)."""
        return self.desired_state <= TaskState.RUNNING and not self.state.terminal

    def __repr__(self) -> str:
        where = self.node or "-"
        error = f", err={self.err!r}" if self.err else ""
        return f"Task({self.name} {self.id[:12]} on {where}: {self.state.value}{error})"
