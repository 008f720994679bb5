"""The host ports a node's daemon binds for a task's host-mode ports (about 140 lines).

A ``PublishMode: host`` port that names no ``PublishedPort`` is not allocated by the swarm:
swarmkit's port allocator copies host-mode ports into ``Endpoint.Ports`` as they are and
allocates only ingress ports (moby/swarmkit ``manager/allocator/network/port``). The node's
daemon creates the task's container with the binding ``0:<target>``, and when the container
starts (the controller's ``Start``, the task STARTING) the bridge driver asks libnetwork's
port allocator for a port of the host; the executor reads the container's port map back into
the task's ``Status.PortStatus`` (moby ``daemon/cluster/executor/container/controller.go``,
``parsePortStatus``), which ``docker service ps`` shows as ``*:32768->81/tcp``.

The allocator (moby ``libnetwork/portallocator/portallocator.go``, ``RequestPortsInRange``)
keeps one map of taken ports per address and protocol, and hands out the ports of the host's
ephemeral range (on Linux ``net.ipv4.ip_local_port_range``, 32768-60999 by default,
``portallocator_linux.go``) one after another: the next free one after the last it gave,
wrapping at the end. When every port of the range is taken it answers ``ErrAllPortsAllocated``
("all ports are allocated"), the container does not start and the task fails; the
orchestrator replaces it as any failed task, and the scheduler counts the failure against
the node. A task's ports go back to the allocator when it ends. The error as the task
reports it follows a real one (moby/moby#34824, a host-mode port taken on a swarm node):
``Err`` "starting container failed: ... endpoint join on GW Network failed: driver failed
programming external connectivity on endpoint gateway_<container> (<endpoint>): <the
allocator's error>", its ``Message`` still "starting" (newer engines add "failed to set up
container networking: " before the container, as ``docker run`` reports it).

A published host-mode port (``mode=host,published=8080``) is taken from the same map: the
bridge driver asks the allocator for exactly that port (``RequestPortInRange`` with the port
as both ends, any port, in the ephemeral range or not), so an ephemeral port is never one a
running container publishes, and a published port an ephemeral one already holds is refused
with ``ErrPortAlreadyAllocated``, "Bind for 0.0.0.0:8080 failed: port is already allocated":
that container does not start, as above. swarmkit's scheduler cannot see it coming: its
host-port filter counts only the published ports of the tasks' specs
(``manager/scheduler/nodeinfo.go``, ``usedHostPorts``), not the ports a node gave.

Simplified: each task's ports are bound in the order of its spec, where the daemon walks Go's
map of bindings in no fixed order; IPv4 only (newer engines bind ``[::]`` too).
"""

from __future__ import annotations

from clustersim.swarm.identity import object_id
from clustersim.swarm.spec import PortConfig
from clustersim.swarm.tasks import Task

__all__ = ["ALL_PORTS_ALLOCATED", "EPHEMERAL_PORTS", "PortAllocator", "already_allocated",
           "start_error"]

EPHEMERAL_PORTS = (32768, 60999)
"""Linux's default ``net.ipv4.ip_local_port_range``."""
ALL_PORTS_ALLOCATED = "all ports are allocated"
"""libnetwork's ``ErrAllPortsAllocated``."""


def already_allocated(port: int) -> str:
    """libnetwork's ``ErrPortAlreadyAllocated`` for a published port of IPv4's any-address."""
    return f"Bind for 0.0.0.0:{port} failed: port is already allocated"


def _host_ports(task: Task) -> list[PortConfig]:
    return [p for p in task.spec.ports if p.mode == "host"]


def start_error(task: Task, problem: str) -> str:
    """The task's ``Err`` when its container could not start for ``problem`` (module
    docstring); the container's and endpoint's IDs are the served daemon's."""
    container = object_id("container", task.id)
    return (f"starting container failed: container {container}: endpoint join on GW Network "
            f"failed: driver failed programming external connectivity on endpoint "
            f"gateway_{container[:12]} ({object_id('endpoint', task.id)}): {problem}")


class PortAllocator:
    """Every node's ephemeral host ports, per protocol, as its daemon's allocator keeps them."""

    def __init__(self) -> None:
        self._taken: dict[tuple[str, str], set[int]] = {}
        """(node, protocol) → the ports bound and not released, published and ephemeral."""
        self._in_range: dict[tuple[str, str], int] = {}
        """(node, protocol) → how many of those are in the ephemeral range."""
        self._last: dict[tuple[str, str], int] = {}
        self._given: dict[str, tuple[str, list[tuple[str, int]]]] = {}
        """Task ID → (node, (protocol, port) bound for each of its host-mode ports)."""

    def request(self, task: Task) -> str:
        """Bind each of ``task``'s host-mode ports on its node: a published one as it is, one
        of 0 the next free ephemeral port; "" when done, else the allocator's error (nothing
        kept then)."""
        assert task.node is not None
        given: list[tuple[str, int]] = []
        for port in _host_ports(task):
            key = (task.node, port.protocol)
            number = port.published or self._next(key)
            problem = (ALL_PORTS_ALLOCATED if number is None else
                       already_allocated(number) if number in self._taken.get(key, ()) else "")
            if problem:
                self._free(task.node, given)
                return problem
            assert number is not None
            self._take(key, number)
            given.append((port.protocol, number))
        if given:
            self._given[task.id] = (task.node, given)
        return ""

    def _next(self, key: tuple[str, str]) -> int | None:
        """The next free ephemeral port after the last one given (not taken yet)."""
        low, high = EPHEMERAL_PORTS
        taken = self._taken.get(key, set())
        if self._in_range.get(key, 0) > high - low:
            return None
        port = self._last.get(key, high)
        while True:    # a free port exists: the walk ends within one round
            port = low if port >= high else port + 1
            if port not in taken:
                self._last[key] = port
                return port

    def _take(self, key: tuple[str, str], port: int) -> None:
        self._taken.setdefault(key, set()).add(port)
        if EPHEMERAL_PORTS[0] <= port <= EPHEMERAL_PORTS[1]:
            self._in_range[key] = self._in_range.get(key, 0) + 1

    def _free(self, node: str, given: list[tuple[str, int]]) -> None:
        for protocol, port in given:
            self._taken[node, protocol].discard(port)
            if EPHEMERAL_PORTS[0] <= port <= EPHEMERAL_PORTS[1]:
                self._in_range[node, protocol] -= 1

    def release(self, task: Task) -> None:
        """``task`` ended: its ports go back to its node's allocator."""
        node, given = self._given.pop(task.id, ("", []))
        self._free(node, given)

    def ports(self, task: Task) -> list[PortConfig]:
        """``task``'s host-mode ports, those of 0 with the port its node gave (0 while it
        has none)."""
        given = iter(self._given.get(task.id, ("", []))[1])
        return [PortConfig(p.target, next(given, ("", 0))[1] or p.published, p.protocol,
                           p.mode) for p in _host_ports(task)]
