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

While the engine's swarm node is stopped (after a refused ``swarm init --force-new-cluster``,
:attr:`~clustersim.serve.dockerstate.DockerState.node_stopped`) only its local networks are
found: moby's network routes list and look up the daemon's own networks and add the cluster's
only when a manager answers, and creating or removing a swarm-scoped network goes through
the cluster's ``lockedManagerAction``, whose 503 is
:data:`~clustersim.serve.dockerdaemon.NO_MANAGER` (``api/server/router/network/
network_routes.go``, ``daemon/cluster/networks.go``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.dockeraddresses import subnet_prefix
from clustersim.serve.dockerchecks import label_matches, parse_filters
from clustersim.serve.dockerdaemon import NO_MANAGER
from clustersim.serve.dockerevents import EventRoutes
from clustersim.serve.dockerjson import decode_network_create, read_json
from clustersim.serve.dockerspec import json_list, json_object
from clustersim.serve.dockerstore import object_id

__all__ = ["BUILTIN", "SWARM_JOINED", "NetworkRoutes", "check_subnets",
           "node_networks", "overlay_ipam", "subnet_prefix", "swarm_network"]

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
    return [("bridge", "bridge", [_with_gateway(ipaddress.ip_network("172.17.0.0/16"))],
             dict(_BRIDGE_OPTIONS)),
            ("docker_gwbridge", "bridge", [_with_gateway(ipaddress.ip_network("172.18.0.0/16"))],
             dict(_GWBRIDGE_OPTIONS)),
            ("host", "host", [], {}),
            ("none", "null", [], {})]


def overlay_ipam(config: list[Any], networks: Iterable[dict[str, Any]]
                 ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """An overlay network's IPAM config and driver options: ``config`` as sent (a subnet
    without a gateway gets its first address), or the lowest /24 of the default pool that no
    network in ``networks`` uses; the VXLAN ID after the highest one taken."""
    taken = [subnet for n in networks for c in n["IPAM"]["Config"] or []
             if isinstance(c, dict) and (subnet := subnet_prefix(c.get("Subnet"))) is not None]
    if config:
        ipam = [_with_gateway(subnet) | c if isinstance(c, dict) and not c.get("Gateway")
                and (subnet := subnet_prefix(c.get("Subnet"))) is not None else c for c in config]
    else:
        free = next(s for s in _POOL.subnets(new_prefix=_MASK)
                    if not any(s.overlaps(t) for t in taken))
        ipam = [_with_gateway(free)]
    vxlan = [int(text) for n in networks if n["Driver"] == "overlay"
             for text in [n["Options"].get("com.docker.network.driver.overlay.vxlanid_list", "")]
             if isinstance(text, str) and text.isdigit()]
    next_id = max([_FIRST_VXLAN_ID - 1, *vxlan]) + 1
    return ipam, {"com.docker.network.driver.overlay.vxlanid_list": str(next_id)}


def _with_gateway(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> dict[str, str]:
    return {"Subnet": str(network), "Gateway": str(network.network_address + 1)}


def swarm_network(network: dict[str, Any]) -> dict[str, Any]:
    """A stored network as swarm shows it in a task's attachments (moby ``api/types/swarm/
    network.go``, ``Network``: its ID, spec, driver state and IPAM options), built from its
    Engine API form. Its ``Version`` is left out: the simulated store does not number
    networks."""
    ipam = {"Driver": {"Name": network["IPAM"]["Driver"]},
            "Configs": [{key: c[key] for key in ("Subnet", "Gateway") if c.get(key)}
                        for c in network["IPAM"]["Config"] or [] if isinstance(c, dict)]}
    return {"ID": network["Id"], "CreatedAt": network["Created"],
            "UpdatedAt": network["Created"],
            "Spec": {"Name": network["Name"], "Labels": network["Labels"],
                     "DriverConfiguration": {"Name": network["Driver"]},
                     "Attachable": network["Attachable"], "Ingress": network["Ingress"],
                     "Internal": network["Internal"], "IPAMOptions": ipam,
                     "Scope": network["Scope"]},
            "DriverState": {"Name": network["Driver"], "Options": network["Options"]},
            "IPAMOptions": ipam}


def check_subnets(config: list[Any], ipv6: bool) -> None:
    """Refuse an IPAM config whose subnet is no CIDR block, or has host bits set, as the
    Engine's ``network.ValidateIPAM`` does before any network is created, overlay or local
    (moby ``api/types/network/ipam.go``, Engine 25): 400 ``invalid network config:`` and one
    line per problem (moby's ``multierror.Join``: a lone problem as it is, several as a list
    of ``* ``). An IPv6 subnet is passed over when IPv6 is off, as there. The daemon also
    checks each config's range, gateway and auxiliary addresses; that is not simulated."""
    problems = []
    for entry in config:
        subnet = entry.get("Subnet", "") if isinstance(entry, dict) else ""
        address = subnet.partition("/")[0]
        network = subnet_prefix(subnet)
        if network is None:
            problems.append(f"invalid subnet {subnet}: invalid CIDR block notation")
            continue
        if network.version == 6 and not ipv6:
            continue
        if ipaddress.ip_address(address) != network.network_address:   # Prefix.Masked()
            problems.append(f"invalid subnet {subnet}: it should be {network}")
    if problems:
        joined = problems[0] if len(problems) == 1 else "* " + "\n* ".join(problems)
        raise HttpError(400, f"invalid network config:\n{joined}")


_DRIVERS = ("overlay", "bridge", "host", "null", "macvlan", "ipvlan")
"""The network drivers a Docker Engine has built in; any other is a plugin it lacks."""


class NetworkRoutes(EventRoutes):
    """``/networks``: ls, inspect, create, rm and prune."""

    def _network(self, name: str, driver: str, *, ingress: bool = False,
                 labels: dict[str, str] | None = None, ipam: dict[str, Any] | None = None,
                 options: dict[str, Any] | None = None) -> dict[str, Any]:
        """Store a network built from ``ipam`` as sent (``Driver``, ``Config``, ``Options``)
        and ``options``, the driver options sent, once every part has been checked (a
        refused create stores nothing); an overlay network gets a free subnet when none is
        sent and its VXLAN ID (:func:`overlay_ipam`)."""
        ipam = ipam or {}
        config, driver_options = json_list(ipam, "Config"), dict(options or {})
        if driver == "overlay":
            config, overlay = overlay_ipam(config, self.networks.values())
            driver_options = overlay | driver_options
        network: dict[str, Any] = {
            "Name": name, "Created": self._stamp(self.now),
            "Id": self._id("network", name) if driver == "overlay" else object_id("network", name),
            "Scope": "swarm" if driver == "overlay" else "local", "Driver": driver,
            "EnableIPv6": False, "Internal": False, "Attachable": False, "Ingress": ingress,
            "IPAM": {"Driver": ipam.get("Driver") or "default", "Config": config,
                     "Options": ipam.get("Options")},
            "Options": driver_options, "Labels": labels or {}, "Containers": {}}
        self.networks[name] = network
        return network

    def _networks(self, request: Request, rest: list[str]) -> Response:
        method = request.method
        if not rest and method == "GET":
            tests = {"name": lambda n, f: f in n["Name"], "id": lambda n, f: n["Id"].startswith(f),
                     "driver": lambda n, f: n["Driver"] == f,
                     "scope": lambda n, f: n["Scope"] == f,
                     "type": lambda n, f: (n["Name"] in BUILTIN) == (f == "builtin")}
            filters = parse_filters(request.arg("filters"), (*tests, "label"))
            found = [n for n in self._visible()
                     if all(any(tests[k](n, f) for f in v) for k, v in filters.items()
                            if k in tests and v)
                     and all(label_matches(n["Labels"], f) for f in filters.get("label", []))]
            return Response.json(200, found)
        if rest == ["prune"] and method == "POST":
            return self._prune_networks(request)
        if rest == ["create"] and method == "POST":
            body = decode_network_create(read_json(request, "types.NetworkCreateRequest"))
            name = body.get("Name")
            if not name:
                raise HttpError(400, "network name is required")
            driver, labels = body.get("Driver") or "overlay", body.get("Labels") or {}
            if driver not in _DRIVERS:     # moby looks the driver up as a plugin last
                raise HttpError(404, f'plugin "{driver}" not found')
            if driver == "overlay" and self.node_stopped:
                raise HttpError(503, NO_MANAGER)
            if name in self.networks:
                raise HttpError(409, f"network with name {name} already exists")
            ipam, options = json_object(body, "IPAM"), json_object(body, "Options")
            check_subnets(json_list(ipam, "Config"), bool(body.get("EnableIPv6")))
            network = self._network(name, driver, labels=labels, ipam=ipam, options=options)
            for key in ("Attachable", "Internal", "EnableIPv6"):
                network[key] = bool(body.get(key))
            self._publish_network(network, "create")
            return Response.json(201, {"Id": network["Id"], "Warning": ""})
        if len(rest) == 1:
            net = self._find_network(rest[0])
            if net is None or (method == "GET" and net not in self._visible()):
                raise HttpError(404, f"network {rest[0]} not found")
            if method == "GET":
                return Response.json(200, net)
            if method == "DELETE":
                if net not in self._visible():
                    raise HttpError(503, NO_MANAGER)
                self._check_removable(net)
                users = self._users(lambda task: any(
                    isinstance(n, dict) and n.get("Target") == net["Id"]
                    for n in task.get("Networks") or []))
                if users:       # swarmkit controlapi RemoveNetwork
                    raise HttpError(400, "rpc error: code = FailedPrecondition desc = network "
                                    f"{net['Id']} is in use by service "
                                    f"{self._service_id(users[0])}")
                del self.networks[net["Name"]]
                self._publish_network(net, "remove")
                return Response(204)
        raise HttpError(404, "page not found")

    def _visible(self) -> list[dict[str, Any]]:
        """The networks the engine finds: all of them, or only its local ones while its
        swarm node is stopped (moby's prune, too, skips the cluster's then)."""
        return [n for n in self.networks.values()
                if not self.node_stopped or n["Scope"] == "local"]

    def _prune_networks(self, request: Request) -> Response:
        """``docker network prune``: remove every network no service uses, except the
        predefined ones (moby ``daemon/prune.go``, ``NetworksPrune``: filters ``label``,
        ``label!`` and ``until``; ``until`` is not simulated)."""
        filters = parse_filters(request.arg("filters"), ("label", "label!", "until"))
        used = {n.get("Target") for name, service in self.cluster.services.items()
                for n in self._spec_json(name, service.spec)["TaskTemplate"].get("Networks")
                or [] if isinstance(n, dict)}
        gone = [n["Name"] for n in self._visible()
                if n["Name"] not in (*BUILTIN, *SWARM_JOINED) and n["Id"] not in used
                and all(label_matches(n["Labels"], f) for f in filters.get("label", []))
                and not any(label_matches(n["Labels"], f) for f in filters.get("label!", []))]
        for name in gone:
            self._publish_network(self.networks.pop(name), "remove")
        return Response.json(200, {"NetworksDeleted": gone})

    def _publish_network(self, network: dict[str, Any], action: str) -> None:
        """A swarm network's creation or removal as the swarm's watch sends it (the name
        alone, ``logNetworkEvent``). A local network's event, which the daemon publishes
        with its ``type`` (moby ``daemon/events.go``, ``LogNetworkEventWithAttributes``),
        is not served: every served event is of the swarm's scope."""
        if network["Scope"] == "swarm":
            self._publish_stored("network", action, network["Id"], network["Name"])

    def _check_removable(self, net: dict[str, Any]) -> None:
        """moby refuses to remove a predefined network (``daemon/network.go``,
        ``deleteNetwork``: 403) and libnetwork one with endpoints (``docker_gwbridge``
        holds the ingress sandbox's); swarmkit keeps ``ingress`` while a service publishes
        a port through it (``controlapi/network.go``, ``removeIngressNetwork``). Removing
        it otherwise is not simulated (the routing mesh always has it)."""
        name = net["Name"]
        if name in BUILTIN:
            raise HttpError(403, f"{name} is a pre-defined network and cannot be removed")
        if name == "docker_gwbridge":
            raise HttpError(403, f"error while removing network: network {name} id "
                            f"{net['Id']} has active endpoints")
        if net["Ingress"]:
            users = [s for s, service in self.cluster.services.items()
                     if any(p.mode == "ingress" for p in service.spec.ports)]
            if users:
                raise HttpError(400, "rpc error: code = FailedPrecondition desc = ingress "
                                "network cannot be removed because service "
                                f"{self._service_id(users[0])} depends on it")
            raise HttpError(501, "removing the ingress network is not simulated: the "
                            "simulated routing mesh always has it")
