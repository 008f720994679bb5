"""The networks a swarm manager's Docker Engine lists, and the addresses it gives them, for
:mod:`clustersim.serve.docker`.

A node in a swarm has five networks before anyone creates one (``docker network ls`` on a
manager): the engine's own ``bridge`` (``docker0``, the first of libnetwork's local address
pools, 172.17.0.0/16), ``host`` and ``none`` (drivers ``host`` and ``null``, no addresses),
and the two that joining a swarm adds: ``docker_gwbridge`` (a bridge, the next local pool,
172.18.0.0/16, that connects the overlay networks to the host) and ``ingress`` (the routing
mesh's overlay network). Only ``bridge``, ``host`` and ``none`` are *predefined* in moby's
sense (``runconfig.IsPreDefinedNetwork``: ``--filter type=builtin``, and the daemon refuses
to remove them); the other two are listed as custom.

An overlay network gets a /24 from the swarm's default address pool 10.0.0.0/8 (``docker
swarm init --default-addr-pool`` and ``--default-addr-pool-mask-length``; swarmkit's
allocator takes the lowest free subnet, so ``ingress`` has 10.0.0.0/24), the subnet's first
address as its gateway, and a VXLAN ID from 4096 up (libnetwork's overlay driver, option
``com.docker.network.driver.overlay.vxlanid_list``). A subnet given at creation is kept and
gets its gateway the same way.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

__all__ = ["BUILTIN", "SWARM_JOINED", "node_networks", "overlay_ipam"]

BUILTIN = ("bridge", "host", "none")
"""moby's predefined networks (``runconfig.IsPreDefinedNetwork`` on Linux)."""
SWARM_JOINED = ("docker_gwbridge", "ingress")
"""The networks a node gets when it joins a swarm."""

_POOL = ipaddress.ip_network("10.0.0.0/8")
_MASK = 24
_FIRST_VXLAN_ID = 4096

_BRIDGE_OPTIONS = {"com.docker.network.bridge.default_bridge": "true",
                   "com.docker.network.bridge.enable_icc": "true",
                   "com.docker.network.bridge.enable_ip_masquerade": "true",
                   "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
                   "com.docker.network.bridge.name": "docker0",
                   "com.docker.network.driver.mtu": "1500"}
_GWBRIDGE_OPTIONS = {"com.docker.network.bridge.enable_icc": "false",
                     "com.docker.network.bridge.enable_ip_masquerade": "true",
                     "com.docker.network.bridge.name": "docker_gwbridge"}


def node_networks() -> list[tuple[str, str, list[dict[str, str]], dict[str, str]]]:
    """The local networks of a swarm node: name, driver, IPAM config and driver options
    (``ingress`` is made with :func:`overlay_ipam` as any overlay network is)."""
    return [("bridge", "bridge", [_with_gateway("172.17.0.0/16")], dict(_BRIDGE_OPTIONS)),
            ("docker_gwbridge", "bridge", [_with_gateway("172.18.0.0/16")],
             dict(_GWBRIDGE_OPTIONS)),
            ("host", "host", [], {}),
            ("none", "null", [], {})]


def overlay_ipam(config: list[Any], networks: Iterable[dict[str, Any]]
                 ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """An overlay network's IPAM config and driver options: ``config`` as sent (a subnet
    without a gateway gets its first address), or the lowest /24 of the default pool that no
    network in ``networks`` uses; the VXLAN ID after the highest one taken."""
    taken = [ipaddress.ip_network(c["Subnet"], strict=False)
             for n in networks for c in n["IPAM"]["Config"] or []
             if isinstance(c, dict) and _parses(c.get("Subnet"))]
    if config:
        ipam = [_with_gateway(c["Subnet"]) | c if isinstance(c, dict) and _parses(c.get("Subnet"))
                and not c.get("Gateway") else c for c in config]
    else:
        free = next(s for s in _POOL.subnets(new_prefix=_MASK)
                    if not any(s.overlaps(t) for t in taken))
        ipam = [_with_gateway(str(free))]
    vxlan = [int(text) for n in networks if n["Driver"] == "overlay"
             for text in [n["Options"].get("com.docker.network.driver.overlay.vxlanid_list", "")]
             if isinstance(text, str) and text.isdigit()]
    next_id = max([_FIRST_VXLAN_ID - 1, *vxlan]) + 1
    return ipam, {"com.docker.network.driver.overlay.vxlanid_list": str(next_id)}


def _with_gateway(subnet: str) -> dict[str, str]:
    network = ipaddress.ip_network(subnet, strict=False)
    return {"Subnet": subnet, "Gateway": str(network.network_address + 1)}


def _parses(subnet: Any) -> bool:
    if not isinstance(subnet, str):
        return False
    try:
        ipaddress.ip_network(subnet, strict=False)
    except ValueError:
        return False
    return True
