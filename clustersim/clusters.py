"""Ready-made clusters for labs and exercises: a suitable default cluster for each system.

- Kubernetes: :func:`clustersim.kubernetes.default_nodes` (three workers in three zones and a
  control-plane node with kubeadm's ``NoSchedule`` taint).
- Docker Swarm: three managers and three workers; ``worker-1`` carries the node labels that
  real stack files in the course ask for (``ssd=true``, ``pcidss=yes``, ``disk=ssd``), and the
  workers carry a ``zone`` label for placement preferences.
- Mesos: five agents with the port range Mesos offers by default (31000-32000) and a ``rack``
  attribute for Marathon's constraints.

:func:`open_system` puts such a cluster behind the system-neutral protocol
:class:`clustersim.sim.system.System`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clustersim.messages import shorten
from clustersim.node import Node

if TYPE_CHECKING:
    from clustersim.sim.system import System

__all__ = ["demo_nodes", "open_system"]


def _swarm_nodes() -> list[Node]:
    managers = Node.many(3, "manager", cpu=4, memory="8Gi", role="manager",
                         labels=lambda i: {"zone": f"zone-{'abc'[i - 1]}"})
    workers = Node.many(3, "worker", cpu=4, memory="8Gi",
                        labels=lambda i: {"zone": f"zone-{'abc'[i - 1]}",
                                          **({"ssd": "true", "pcidss": "yes", "disk": "ssd"}
                                             if i == 1 else {})})
    return [*managers, *workers]


def _mesos_agents() -> list[Node]:
    return Node.many(5, "agent", cpu=4, memory="16Gi", disk="100Gi", ports=[(31000, 32000)],
                     attributes=lambda i: {"rack": f"rack-{(i - 1) % 3 + 1}"},
                     domain=lambda i: {"region": "region-1", "zone": f"zone-{'abc'[(i - 1) % 3]}"})


def demo_nodes(system: str) -> list[Node]:
    """A suitable default cluster for ``system``: kubernetes, swarm, mesos or marathon."""
    if system == "kubernetes":
        from clustersim.kubernetes import default_nodes

        return default_nodes()
    if system == "swarm":
        return _swarm_nodes()
    if system in ("mesos", "marathon"):
        return _mesos_agents()
    raise ValueError(f"system must be kubernetes, swarm, mesos or marathon, not {system!r}")


def open_system(system: str, nodes: list[Node] | None = None, *, seed: int = 0) -> System:
    """A new cluster of ``system`` (kubernetes, swarm or marathon: Marathon on Mesos) on
    ``nodes``, a list of :class:`~clustersim.Node` (default: :func:`demo_nodes`), behind the
    system-neutral protocol. Anything else for ``nodes`` (a count, a single Node) is a
    TypeError that says what it takes."""
    if system not in ("kubernetes", "swarm", "marathon"):
        raise ValueError(f"system must be kubernetes, swarm or marathon, not {system!r}")
    if nodes is not None and (not isinstance(nodes, list | tuple)
                              or not all(isinstance(n, Node) for n in nodes)):
        raise TypeError(
            f"open_system({system!r}, nodes): nodes must be a list of clustersim.Node, not "
            f"{shorten(repr(nodes))}; leave it out for the demo nodes, or pass e.g. "
            "[clustersim.Node('big-1', cpu=64, memory='256Gi'), "
            "clustersim.Node('big-2', cpu=64, memory='256Gi')]")
    machines = demo_nodes(system) if nodes is None else list(nodes)
    if system == "kubernetes":
        from clustersim.kubernetes import KubernetesCluster
        from clustersim.kubernetes.system import KubernetesSystem

        return KubernetesSystem(KubernetesCluster(machines, seed=seed))
    if system == "swarm":
        from clustersim.swarm import SwarmCluster
        from clustersim.swarm.system import SwarmSystem

        return SwarmSystem(SwarmCluster(machines, seed=seed))
    from clustersim.marathon.system import MarathonSystem
    from clustersim.mesos import MesosCluster

    return MarathonSystem(MesosCluster(machines, seed=seed))
