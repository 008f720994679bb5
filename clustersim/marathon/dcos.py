"""A DC/OS-shaped Mesos cluster for Marathon labs: private agents plus public agents.

DC/OS (d2iq, end of life 2021) ran Marathon on Mesos agents of two kinds
(https://archive-docs-old.d2iq.com/mesosphere/dcos/2.2/overview/architecture/node-types/):

- private agents offer unreserved resources and the port ranges DC/OS leaves free for tasks:
  1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000;
- public agents carry the attribute ``public_ip: true`` and reserve all their resources for
  the role ``slave_public`` (apps reach them with ``"acceptedResourceRoles":
  ["slave_public"]``, which Marathon 1.10 and later allow only to an app of that role: DC/OS
  runs Marathon with ``--mesos_role slave_public``, ``Marathon(role="slave_public")``,
  :mod:`clustersim.marathon.roles`), offering ports 1-21, 23-5050, 5052-32000 so that load
  balancers and web servers can bind to 80 or 443.

Agents get a fault domain (one region, zones a/b/c in turn), a ``rack`` attribute and an
address, so constraints, Mesos-DNS and marathon-lb have something to work with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.mesos import MesosCluster
from clustersim.node import Node

__all__ = ["PRIVATE_PORTS", "PUBLIC_PORTS", "dcos_cluster"]

PRIVATE_PORTS = [(1025, 2180), (2182, 3887), (3889, 5049), (5052, 8079), (8082, 8180),
                 (8182, 32000)]
PUBLIC_PORTS = [(1, 21), (23, 5050), (5052, 32000)]


def dcos_cluster(private: int = 3, public: int = 1, *, seed: int = 0, cpu: Any = 4,
                 memory: Any = "16Gi", disk: Any = "100Gi",
                 attributes: Mapping[str, str] | None = None, **options: Any) -> MesosCluster:
    """A :class:`MesosCluster` of ``private`` private agents and ``public`` public agents.

    ``attributes`` are added to every private agent (e.g. ``{"platform": "foo"}``);
    ``options`` go to :class:`MesosCluster` (``allocation_interval`` …).
    """
    if private < 0 or public < 0 or private + public == 0:
        raise ValueError(f"a cluster needs at least one agent, got private={private}, "
                         f"public={public}")
    extra = {str(k): str(v) for k, v in (attributes or {}).items()}
    agents = Node.many(
        private, "agent", cpu=cpu, memory=memory, disk=disk, ports=PRIVATE_PORTS,
        attributes=lambda i: {"rack": f"rack-{(i - 1) % 3 + 1}", **extra},
        domain=lambda i: {"region": "region-1", "zone": f"zone-{'abc'[(i - 1) % 3]}"},
        address=lambda i: f"10.0.1.{i}",
    ) + Node.many(
        public, "public-agent", cpu=cpu, memory=memory, disk=disk, ports=PUBLIC_PORTS,
        attributes={"public_ip": "true"},
        domain=lambda i: {"region": "region-1", "zone": f"zone-{'abc'[(i - 1) % 3]}"},
        address=lambda i: f"10.0.2.{i}",
    )
    return MesosCluster(agents, seed=seed, **options)
