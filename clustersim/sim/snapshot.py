"""A system-neutral picture of a cluster at one instant, for the views.

Each simulator's ``snapshot()`` returns a :class:`Snapshot`: its machines with capacity and
use, and its tasks (Kubernetes pods, Mesos/Marathon tasks, Swarm tasks) with where they run
and what owns them. :mod:`clustersim.viz` draws from this shape only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clustersim.reprs import brief

__all__ = ["NodeState", "Snapshot", "TaskState"]


@dataclass(frozen=True, slots=True)
class NodeState:
    """A machine: ``cpu``/``memory`` capacity and ``cpu_used``/``memory_used`` (cores, bytes)."""

    name: str
    cpu: float
    memory: float
    cpu_used: float
    memory_used: float
    zone: str | None = None
    status: str = "Ready"          # e.g. Ready, NotReady, Unschedulable, Drain, Lost
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TaskState:
    """A unit of work: ``owner`` is the application it belongs to (Deployment, Marathon app
    id, Swarm service), ``node`` is None while it waits for a place."""

    name: str
    owner: str
    node: str | None
    state: str
    cpu: float = 0.0
    memory: float = 0.0
    ready: bool = False


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The cluster at simulated time ``time`` (s) under ``system``."""

    __repr__ = brief

    system: str
    time: float
    nodes: tuple[NodeState, ...]
    tasks: tuple[TaskState, ...]
