"""Kubernetes behind the system-neutral protocol :class:`clustersim.sim.system.System`."""

from __future__ import annotations

from typing import Any

from clustersim.kubernetes.cluster import KubernetesCluster
from clustersim.sim.system import ClusterAdapter

__all__ = ["KubernetesSystem"]


class KubernetesSystem(ClusterAdapter):
    """A :class:`KubernetesCluster` as a :class:`~clustersim.sim.system.System`."""

    name = "kubernetes"
    cluster: KubernetesCluster

    def deploy(self, source: Any, *, stack: str = "shop") -> None:
        self.cluster.apply(source)

    def waiting(self) -> list[tuple[str, str]]:
        # the PodScheduled condition as `kubectl describe` shows it: reason, then message
        return [(f"pod/{p.name}", ": ".join(filter(None, (p.reason, p.message))) or p.phase)
                for p in self.cluster.pods() if p.node is None]
