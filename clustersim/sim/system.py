"""One small protocol for the three simulators, for callers that do not care which one runs.

A system-neutral caller (:func:`clustersim.explore.place`, the scenarios in
:mod:`clustersim.scenarios`) deploys a workload, runs the clock, and reads what happened; each
simulator offers this through a thin adapter over its own methods, in its own package:
:class:`clustersim.kubernetes.system.KubernetesSystem`,
:class:`clustersim.swarm.system.SwarmSystem` and
:class:`clustersim.marathon.system.MarathonSystem` (Marathon on a Mesos cluster).
:func:`clustersim.clusters.open_system` builds one by the system's name. What stays
particular to a system (Kubernetes taints, Marathon's health checks, Swarm's image health)
is reached through the adapter's ``cluster``. :class:`ClusterAdapter` holds what the three
adapters share.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from clustersim.sim.events import Event
from clustersim.sim.snapshot import Snapshot

__all__ = ["ClusterAdapter", "System"]


@runtime_checkable
class System(Protocol):
    """A simulator as a system-neutral caller sees it; ``name`` is ``"kubernetes"``,
    ``"swarm"`` or ``"marathon"`` and ``cluster`` the simulator itself."""

    name: str
    cluster: Any

    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started."""
        ...

    def deploy(self, source: Any, *, stack: str = "shop") -> None:
        """Create or update the workloads of ``source`` (a path, YAML or JSON text, or plain
        data in the system's dialect), as ``kubectl apply``, ``docker stack deploy <stack>``
        or Marathon's ``POST /v2/groups`` would."""
        ...

    def run(self, until: float | None = None) -> None:
        """Advance to the absolute simulated time ``until`` (None: until quiet)."""
        ...

    def snapshot(self) -> Snapshot:
        """The machines and tasks now."""
        ...

    def events(self) -> list[Event]:
        """Every event so far that the logs keep (each its last
        :data:`~clustersim.limits.MAX_LOGGED_EVENTS`), in time order (for Marathon: Mesos's
        and Marathon's)."""
        ...

    def waiting(self) -> list[tuple[str, str]]:
        """``(what, why)`` for every workload not yet placed, in the system's own words: a
        Pod's PodScheduled reason and message, a Swarm task's error, Marathon's launch queue
        with the offers it declined."""
        ...

    def fail_node(self, name: str) -> None:
        """The machine ``name`` stops (power off, network gone)."""
        ...

    def recover_node(self, name: str) -> None:
        """The machine ``name`` comes back."""
        ...


class ClusterAdapter:
    """The part of a :class:`System` that is the same for every simulator: ``cluster`` has a
    ``clock``, ``run(until)``, ``snapshot()``, an ``events`` record and ``fail_node`` /
    ``recover_node``. An adapter adds ``name``, ``deploy`` and ``waiting``."""

    def __init__(self, cluster: Any) -> None:
        self.cluster = cluster

    @property
    def now(self) -> float:
        return float(self.cluster.clock.now)

    def run(self, until: float | None = None) -> None:
        self.cluster.run(until=until)

    def snapshot(self) -> Snapshot:
        snapshot: Snapshot = self.cluster.snapshot()
        return snapshot

    def events(self) -> list[Event]:
        return list(self.cluster.events)

    def fail_node(self, name: str) -> None:
        self.cluster.fail_node(name)

    def recover_node(self, name: str) -> None:
        self.cluster.recover_node(name)
