"""Docker Swarm behind the system-neutral protocol :class:`clustersim.sim.system.System`."""

from __future__ import annotations

from typing import Any

from clustersim.sim.system import ClusterAdapter
from clustersim.swarm.cluster import SwarmCluster

__all__ = ["SwarmSystem"]


class SwarmSystem(ClusterAdapter):
    """A :class:`SwarmCluster` as a :class:`~clustersim.sim.system.System`; ``deploy`` is
    ``docker stack deploy`` under the name ``stack``."""

    name = "swarm"
    cluster: SwarmCluster

    def deploy(self, source: Any, *, stack: str = "shop") -> None:
        self.cluster.deploy_stack(stack, source)

    def waiting(self) -> list[tuple[str, str]]:
        return [(f"task/{t.name}", t.err or t.message or str(t.state))
                for t in self.cluster.tasks() if t.node is None]
