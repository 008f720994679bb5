"""Resource offers, the operations a framework answers them with, and the record of every offer.

An :class:`Offer` is what the Mesos master sends a framework: the free resources of one agent,
with the agent's hostname, attributes and fault domain (apache/mesos
``include/mesos/mesos.proto``, message ``Offer``). The framework answers with
``accept`` (a list of operations: :class:`Launch` for tasks, :class:`LaunchGroup` for a task
group that shares one executor, as Marathon pods do) or ``decline``.

An offer's resources are locked to that framework until it answers (pessimistic
concurrency, see the Omega paper); resources it leaves unused return to the pool with a
:class:`RefusedOfferFilter` for ``refuse_seconds`` (``Filters.refuse_seconds``, default 5 s).

:class:`OfferRecord` is the history kept in ``cluster.offers``: who was offered what, when,
and what became of it (accepted, declined, rescinded, expired), so a lab can draw the flow.
It holds the last :data:`~clustersim.limits.MAX_RECORDED_OFFERS` offers, dropping the oldest
as the master's event log drops its events: a master offers every agent it can in each
one-second allocation round. A real Mesos master keeps no such history: it logs each offer
it sends ("Sending 1 offers to framework ...", apache/mesos ``src/master/master.cpp``) and
gauges those still outstanding (``master/outstanding_offers``, ``src/master/metrics.hpp``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from clustersim.mesos.resources import Resources
from clustersim.mesos.tasks import TaskInfo
from clustersim.sim.events import KeptRecord

__all__ = [
    "Launch",
    "LaunchGroup",
    "Offer",
    "OfferHistory",
    "OfferRecord",
    "RefusedOfferFilter",
]


@dataclass(frozen=True, eq=False)
class Offer:
    """Free resources of one agent, offered to one framework.

    ``attributes`` keep Mesos' text syntax (``"1.0"`` scalar, ``"[6-7]"`` ranges,
    ``"{a,b}"`` set, anything else text); ``domain`` is ``{"region": …, "zone": …}`` or None.
    """

    id: str
    framework_id: str
    agent_id: str
    hostname: str
    resources: Resources
    attributes: dict[str, str] = field(default_factory=dict)
    domain: dict[str, str] | None = None
    time: float = 0.0

    @property
    def cpus(self) -> float:
        return self.resources.cpus

    @property
    def mem(self) -> float:
        """Memory in MiB."""
        return self.resources.mem

    @property
    def disk(self) -> float:
        """Disk in MiB."""
        return self.resources.disk

    @property
    def ports(self) -> tuple[tuple[int, int], ...]:
        return self.resources.ports

    def to_dict(self) -> dict[str, Any]:
        """The plain shape Marathon's constraint checks read (``hostname``, ``attributes``,
        ``domain``), plus ``id``, ``agent_id`` and ``resources``."""
        return {
            "id": self.id,
            "agent_id": self.agent_id,
            "hostname": self.hostname,
            "attributes": dict(self.attributes),
            "domain": dict(self.domain) if self.domain else None,
            "resources": self.resources.as_dict(),
        }


@dataclass(frozen=True)
class Launch:
    """The ``LAUNCH`` operation: start these tasks, each on its own executor."""

    tasks: tuple[TaskInfo, ...]

    def __init__(self, tasks: Iterable[TaskInfo]) -> None:
        object.__setattr__(self, "tasks", tuple(tasks))


@dataclass(frozen=True)
class LaunchGroup:
    """The ``LAUNCH_GROUP`` operation: start a task group on one agent, all or nothing.

    Marathon launches a pod instance this way; the containers share a network namespace
    and ephemeral volumes (apache/mesos ``docs/nested-container-and-task-group.md``).
    ``executor`` is what the group's executor takes beside its tasks (its ``ExecutorInfo``'s
    resources; a Marathon pod's ``executorResources``).
    """

    tasks: tuple[TaskInfo, ...]
    executor: Resources

    def __init__(self, tasks: Iterable[TaskInfo], executor: Any = None) -> None:
        object.__setattr__(self, "tasks", tuple(tasks))
        object.__setattr__(self, "executor", Resources.coerce(executor))


@dataclass(eq=False)
class RefusedOfferFilter:
    """A framework's refusal of some resources on one agent, until ``expires_at``.

    While it exists it filters a later offer on that agent when the refused resources
    contain the new offer's resources (apache/mesos
    ``src/master/allocator/mesos/hierarchical.cpp``, ``RefusedOfferFilter::filter``): more
    free resources than were refused get through. The allocator removes it with a timer
    after ``max(refuse_seconds, allocation_interval)`` (MESOS-4302).
    """

    framework_id: str
    agent_id: str
    resources: Resources
    expires_at: float

    def filters(self, resources: Resources) -> bool:
        # Usually the agent's free resources have not changed since the refusal: equal.
        return self.resources == resources or self.resources.contains(resources)


@dataclass
class OfferRecord:
    """One offer in ``cluster.offers``: when it was made, to whom, and its outcome.

    ``outcome`` is ``"outstanding"``, ``"accepted"``, ``"declined"``, ``"rescinded"`` (agent
    lost) or ``"expired"`` (``--offer_timeout``); ``tasks`` are the task ids launched from it;
    ``used`` the resources those tasks took.
    """

    offer_id: str
    time: float
    framework: str
    framework_id: str
    role: str
    agent_id: str
    hostname: str
    resources: Resources
    outcome: str = "outstanding"
    answered_at: float | None = None
    tasks: list[str] = field(default_factory=list)
    used: Resources = field(default_factory=Resources)
    refuse_seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "offer_id": self.offer_id,
            "time": self.time,
            "framework": self.framework,
            "framework_id": self.framework_id,
            "role": self.role,
            "agent_id": self.agent_id,
            "hostname": self.hostname,
            "cpus": self.resources.cpus,
            "mem": self.resources.mem,
            "disk": self.resources.disk,
            "outcome": self.outcome,
            "answered_at": self.answered_at,
            "tasks": list(self.tasks),
            "used_cpus": self.used.cpus,
            "used_mem": self.used.mem,
            "refuse_seconds": self.refuse_seconds,
        }


class OfferHistory(KeptRecord[OfferRecord]):
    """The offers the master made, in order, with simple queries: its last
    :data:`~clustersim.limits.MAX_RECORDED_OFFERS` (see the module)."""

    def where(self, *, framework: str | None = None, outcome: str | None = None,
              agent_id: str | None = None) -> list[OfferRecord]:
        return [
            r for r in self
            if (framework is None or r.framework == framework)
            and (outcome is None or r.outcome == outcome)
            and (agent_id is None or r.agent_id == agent_id)
        ]

    def to_records(self) -> list[dict[str, Any]]:
        """Plain dicts, e.g. for ``pandas.DataFrame(cluster.offers.to_records())``."""
        return [r.as_dict() for r in self]
