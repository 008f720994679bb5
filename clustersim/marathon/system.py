"""Marathon on Mesos behind the system-neutral protocol :class:`clustersim.sim.system.System`.

A machine is a Mesos agent: failing a node fails the agent (the master marks it unreachable,
Marathon then replaces its instances)."""

from __future__ import annotations

from typing import Any

from clustersim.marathon.framework import Marathon
from clustersim.mesos.cluster import MesosCluster
from clustersim.sim import Event
from clustersim.sim.system import ClusterAdapter

__all__ = ["MarathonSystem"]


class MarathonSystem(ClusterAdapter):
    """``marathon`` (a new :class:`Marathon` by default) registered on the Mesos ``cluster``,
    as a :class:`~clustersim.sim.system.System`."""

    name = "marathon"
    cluster: MesosCluster

    def __init__(self, cluster: MesosCluster, marathon: Marathon | None = None) -> None:
        super().__init__(cluster)
        self.marathon = marathon or Marathon()
        cluster.register(self.marathon)

    def deploy(self, source: Any, *, stack: str = "shop") -> None:
        self.marathon.deploy(source)

    def events(self) -> list[Event]:
        """The master's events and Marathon's own (its event bus), in time order."""
        return sorted([*self.cluster.events, *self.marathon.events], key=lambda e: e.time)

    def waiting(self) -> list[tuple[str, str]]:
        rows = []
        for row in self.marathon.queue():  # the launch queue: instances still to launch, and why
            why = ", ".join(f"{reason} ×{n}" for reason, n in sorted(row["rejections"].items()))
            kind = self.marathon.root.kinds.get(row["id"], "App").lower()  # upstream: app or pod
            rows.append((f"{kind} {row['id']}",
                         f"{row['count']} instance(s) waiting to launch"
                         + (f"; offers declined: {why}" if why else "")))
        return rows

    def fail_node(self, name: str) -> None:
        self.cluster.fail_agent(name)

    def recover_node(self, name: str) -> None:
        """The machine is back after a power loss (:meth:`fail_node`): its host rebooted, so
        its agent re-registers with none of its tasks running."""
        self.cluster.recover_agent(name, rebooted=True)
