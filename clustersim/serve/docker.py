"""The Docker Engine API (swarm mode subset) over a :class:`~clustersim.swarm.SwarmCluster`,
for Docker's Python SDK (``docker`` on PyPI) and the ``docker`` CLI.

:class:`DockerBackend` routes each request to the routes of its kind, one module each, all on
the state they share (:mod:`~clustersim.serve.dockerstate`: the swarm, the specs clients
sent, the stored networks, secrets and configs, and every object's ``Version.Index``, one
index for the cluster; an update from a stale version is refused, "update out of sequence",
:mod:`~clustersim.serve.dockerstore`): the daemon itself, its API version and ``/swarm`` in
:mod:`~clustersim.serve.dockerdaemon`; nodes in :mod:`~clustersim.serve.dockernodes`;
services and tasks in :mod:`~clustersim.serve.dockerservices`, their logs (followed too) in
:mod:`~clustersim.serve.dockerlogs`; secrets and configs in
:mod:`~clustersim.serve.dockersecrets`; networks, those a manager starts with and their
addresses in :mod:`~clustersim.serve.dockernetworks`; ``docker events``, the swarm's store
changes made from the simulator's event log, in :mod:`~clustersim.serve.dockerevents`.
How a body is read (moby's
``ReadJSON``: the Content-Type, Go's JSON decoder against the Engine's Go types in
:mod:`~clustersim.serve.dockertypes`, as Engine 25.0 wraps its errors) is in
:mod:`~clustersim.serve.dockerjson`, the ServiceSpec conversion each way in
:mod:`~clustersim.serve.dockerspec`, the daemon's checks that need no swarm state (filters,
secret names, generated names) in :mod:`~clustersim.serve.dockerchecks`.

Endpoints and shapes follow the Engine API reference v1.44
(https://docs.docker.com/reference/api/engine/version/v1.44/): ``/_ping``, ``/version``,
``/info``, ``/events``, ``/swarm``, ``/nodes``, ``/services``, ``/tasks``, ``/networks``,
``/secrets``
and ``/configs`` (what ``docker stack deploy`` creates and updates for a stack's
``secrets:`` and ``configs:``). Paths may carry a version prefix (``/v1.44/services``).
Tested with the real docker CLI in ``tests/unit/test_serve_docker_cli.py``.
Errors are ``{"message": ...}`` with the daemon's status codes (404 no such object, 409
conflict, 400 bad parameter, 503 swarm state). A method no route takes is the daemon's 404
``page not found`` (its mux's ``MethodNotAllowedHandler`` is its ``notFoundHandler``, moby
``daemon/server/server.go``), ``/_ping`` taking ``GET`` and ``HEAD`` alone; ``OPTIONS`` on
any path is an empty 200 (the system router's ``optionsHandler`` on ``/{anyroute:.*}``,
moby ``daemon/server/router/system/system.go``).

Simplified (what Docker does instead): no containers, images or volumes outside swarm
services (those endpoints answer 501 and say so); ``docker swarm init|join`` are refused
because the simulated swarm already exists, and once the node has left it (``leave``)
answer 501, as do ``update``, ``unlock`` and removing a node; IDs are derived from names
(Docker's are random); networks other than ``ingress`` and those created through the API do
not carry traffic. Each route module says what it simplifies.
"""

from __future__ import annotations

from typing import Any

from clustersim import Node
from clustersim.genericresource import parse
from clustersim.serve.core import HttpError, OptionError, Request, Response
from clustersim.serve.dockerchecks import NOT_SIMULATED, missing_object
from clustersim.serve.dockerdaemon import (
    API_VERSION,
    ENGINE_VERSION,
    MIN_API_VERSION,
    NO_MANAGER,
    DaemonRoutes,
    api_path,
)
from clustersim.serve.dockerevents import EventRoutes
from clustersim.serve.dockernetworks import NetworkRoutes, node_networks
from clustersim.serve.dockernodes import NodeRoutes
from clustersim.serve.dockersecrets import StoredRoutes
from clustersim.serve.dockerservices import ServiceRoutes
from clustersim.swarm import SwarmCluster

__all__ = ["API_VERSION", "ENGINE_VERSION", "MIN_API_VERSION", "DockerBackend",
           "default_swarm"]


def default_swarm(nodes: int, seed: int = 0,
                  generic_resources: list[str] | None = None) -> SwarmCluster:
    """One manager and ``nodes`` workers (2 CPU, 4 GiB each), each advertising
    ``generic_resources`` (``NAME=VALUE`` terms, dockerd's ``--node-generic-resource``);
    a term dockerd would refuse raises :class:`~clustersim.serve.core.OptionError` in
    swarmkit's words."""
    try:
        parse(generic_resources or ())
    except ValueError as err:
        raise OptionError("node-generic-resource", str(err)) from None
    machines = [Node("manager-1", cpu=2, memory="4Gi", role="manager",
                     generic_resources=generic_resources),
                *Node.many(nodes, "worker", cpu=2, memory="4Gi",
                           zone=lambda i: f"zone-{'abc'[(i - 1) % 3]}",
                           generic_resources=generic_resources)]
    return SwarmCluster(machines, seed=seed)


class DockerBackend(DaemonRoutes, NodeRoutes, ServiceRoutes, StoredRoutes, NetworkRoutes,
                    EventRoutes):
    """The Docker Engine API of the swarm ``cluster``."""

    system = "swarm"

    def __init__(self, cluster: SwarmCluster, *, epoch: float | None = None) -> None:
        super().__init__(cluster, epoch=epoch)
        for name, driver, ipam, options in node_networks():
            network = self._network(name, driver)
            network["IPAM"]["Config"], network["Options"] = ipam, options
        self._network("ingress", "overlay", ingress=True)

    def _begin_swarm(self, cluster: SwarmCluster, spec: dict[str, Any]) -> None:
        """A swarm made anew after this daemon left one keeps the local networks and gets a
        new ``ingress`` (the swarm's networks went with the swarm); the first swarm gets its
        networks in :meth:`__init__`, once the local ones are made."""
        super()._begin_swarm(cluster, spec)
        if self.networks:
            self.networks = {k: v for k, v in self.networks.items() if v["Scope"] == "local"}
            self._network("ingress", "overlay", ingress=True)

    def instructions(self, url: str) -> str:
        host = url.replace("http://", "tcp://")
        return (f"Docker Engine API (simulated swarm) at {url}\n"
                f"  python: docker.DockerClient(base_url='{host}')\n"
                "  no registry is simulated: docker service create and update warn that the\n"
                "  image's digest could not be recorded (--no-resolve-image skips the lookup)\n"
                "  the docker CLI (not on PyPI) reads DOCKER_HOST:")

    def error(self, err: HttpError) -> Response:
        return Response.json(err.status, {"message": err.message})

    def handle(self, request: Request) -> Response:
        self.clock.begin()
        path = api_path(request.path)
        method = request.method
        if method == "OPTIONS":    # moby's system router: optionsHandler on every path
            return Response(200, content_type="")
        if path == "/_ping" and method in ("GET", "HEAD"):
            return self._ping()
        if path == "/version" and method == "GET":
            return Response.json(200, self._version())
        if path == "/info" and method == "GET":
            return Response.json(200, self._info())
        if path == "/events" and method == "GET":
            return self._events(request)
        parts = path.strip("/").split("/")
        section = parts[0]
        if self.node_stopped and section in ("nodes", "services", "tasks", "secrets",
                                             "configs"):
            raise HttpError(503, NO_MANAGER)
        if section == "swarm":
            return self._swarm_request(request, parts[1:])
        if section == "nodes":
            return self._nodes(request, parts[1:])
        if section == "services":
            return self._services(request, parts[1:])
        if section == "tasks":
            return self._tasks(request, parts[1:])
        if section == "networks":
            return self._networks(request, parts[1:])
        if section in ("secrets", "configs"):
            return self._stored_objects(request, section, parts[1:])
        lookup = missing_object(section, parts[1:], method)
        if lookup:      # `docker inspect NAME` asks each kind in turn and skips a 404
            raise HttpError(404, lookup)
        if section in NOT_SIMULATED:
            raise HttpError(501, f"{NOT_SIMULATED[section]} are not simulated: clustersim's "
                            "Docker Engine serves swarm mode only (docker node, service, "
                            "stack, secret, config and network)")
        raise HttpError(404, "page not found")
