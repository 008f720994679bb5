"""The routing mesh: published ports, IPVS round robin, ``mode: host`` ports, and traffic.

Upstream: docs https://docs.docker.com/engine/swarm/ingress/ and moby/moby
``libnetwork/service_linux.go`` (IPVS load balancing on the ingress network); port allocation
moby/swarmkit ``manager/allocator/portallocator.go`` (dynamic published ports 30000-32767) and
``manager/controlapi/service.go`` (one service per ingress port).

- An ``ingress`` port is published on **every** node: a request to any node's port is passed
  by that node's IPVS to one of the service's running tasks, on any node, in round-robin
  order (each node keeps its own rotation).
- A ``host`` port answers only on nodes where a task of the service runs, and two tasks that
  publish the same host port cannot share a node (the scheduler's host-port filter).
- A published port of 0 gets the next free port from 30000-32767. Two services cannot publish
  the same ingress port: "port '80' is already in use by service 'x' (x) as an ingress port".
- An ingress port above 65535 (the Engine API's ``PublishedPort`` is a ``uint32``; the
  Compose reader refuses one) cannot be allocated: swarmkit's port allocator
  (``manager/allocator/cnmallocator/portallocator.go``, a port space of 1-65535) fails the
  whole service, which is stored but never allocated, so its tasks stay NEW and never
  start (moby/moby#29730 shows the same for another allocation failure). Such a service
  publishes none of its ports until an update makes them allocatable.

Simplification: the load balancer's backends are the tasks the managers see as RUNNING with
desired state RUNNING. A task on a machine that died but has not been declared down yet stays a
backend, so requests sent to it fail until the node is marked down (about 15 s), as they do
on a real swarm. Requests are instantaneous: the mesh counts where they land, not latency.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clustersim.limits import check_rate
from clustersim.swarm.errors import SwarmError
from clustersim.swarm.spec import PortConfig, ServiceSpec
from clustersim.swarm.tasks import TaskState

if TYPE_CHECKING:
    from clustersim.swarm.cluster import SwarmCluster

__all__ = ["DYNAMIC_PORTS", "MAX_PORT", "Request", "RoutingMesh", "Traffic"]

DYNAMIC_PORTS = (30000, 32767)
MAX_PORT = 65535
"""The last port of the allocator's port space (``masterPortEnd``)."""


@dataclass(frozen=True, slots=True)
class Request:
    """One request: when, to which node and port, and which task served it (or why not)."""

    time: float
    node: str
    port: int
    task: str | None
    task_node: str | None
    error: str = ""

    @property
    def served(self) -> bool:
        return self.task is not None


@dataclass
class Traffic:
    """Requests sent over time by :meth:`RoutingMesh.traffic`, filled in as the clock runs."""

    port: int
    requests: list[Request] = field(default_factory=list)

    @property
    def served(self) -> int:
        return sum(1 for r in self.requests if r.served)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.requests if not r.served)

    def by_node(self) -> dict[str, int]:
        """Served requests per node that ran the task (where the work was done)."""
        return dict(sorted(Counter(r.task_node for r in self.requests if r.served).items()))

    def errors(self) -> dict[str, int]:
        return dict(sorted(Counter(r.error for r in self.requests if not r.served).items()))

    def timeline(self, bucket: float = 5.0) -> list[dict[str, float]]:
        """Served and failed counts per ``bucket`` seconds: ``[{time, served, failed}, …]``."""
        if bucket <= 0:
            raise ValueError(f"bucket must be > 0 s, got {bucket}")
        rows: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for request in self.requests:
            rows[int(request.time // bucket)][0 if request.served else 1] += 1
        return [{"time": index * bucket, "served": counts[0], "failed": counts[1]}
                for index, counts in sorted(rows.items())]

    def __repr__(self) -> str:
        return f"Traffic(port {self.port}: {self.served} served, {self.failed} failed)"


class RoutingMesh:
    """Published ports of the swarm and the per-node round-robin of the ingress load balancer."""

    def __init__(self, cluster: SwarmCluster) -> None:
        self.cluster = cluster
        self.ingress: dict[tuple[str, int], str] = {}
        self.unallocated: dict[str, str] = {}
        """The services whose ports could not be allocated, each with why."""
        self._rotation: dict[tuple[str, str], int] = defaultdict(int)

    def assign_ports(self, spec: ServiceSpec, previous: ServiceSpec | None = None,
                     claimed: dict[tuple[str, int], str] | None = None) -> ServiceSpec:
        """Check the spec's ingress ports against other services and fill in port 0 (a
        service being updated keeps the port it was given for the same target). ``claimed``
        holds the ports of the services checked before it in the same deploy, not yet
        published (updated here): a stack's services are created one after another."""
        given = {(p.target, p.protocol): p.published for p in (previous.ports if previous else ())
                 if p.mode == "ingress" and DYNAMIC_PORTS[0] <= p.published <= DYNAMIC_PORTS[1]}
        ports = []
        for port in spec.ports:
            if port.mode == "ingress" and port.published == 0:
                published = given.get((port.target, port.protocol)) or self._free_port(
                    port.protocol, spec.name)
                port = PortConfig(port.target, published, port.protocol, port.mode)
            if port.mode == "ingress":
                key = (port.protocol, port.published)
                owner = self.ingress.get(key) or (claimed or {}).get(key)
                if claimed is not None:
                    claimed.setdefault(key, spec.name)
                if owner is not None and owner != spec.name:
                    raise SwarmError(
                        f"port '{port.published}' is already in use by service '{owner}' "
                        f"({owner}) as an ingress port",
                        hint=f"publish another port or remove service '{owner}' first")
            ports.append(port)
        return spec.with_changes(ports=tuple(ports))

    def _free_port(self, protocol: str, service: str) -> int:
        taken = {p for (proto, p) in self.ingress if proto == protocol}
        for number in range(DYNAMIC_PORTS[0], DYNAMIC_PORTS[1] + 1):
            if number not in taken:
                self.ingress[(protocol, number)] = service
                return number
        raise SwarmError("no free published port left in 30000-32767")

    def publish(self, spec: ServiceSpec) -> None:
        """Take the spec's ingress ports, releasing the ones it no longer publishes; none if
        one is beyond the port space (the service is then unallocated)."""
        self.release(spec.name)
        beyond = [p.published for p in spec.ports if p.mode == "ingress" and p.published > MAX_PORT]
        if beyond:
            self.unallocated[spec.name] = (f"published port {beyond[0]} is outside the port "
                                           f"allocator's range 1-{MAX_PORT}")
            return
        for port in spec.ports:
            if port.mode == "ingress":
                self.ingress[(port.protocol, port.published)] = spec.name

    def release(self, service: str) -> None:
        self.unallocated.pop(service, None)
        for key in [k for k, owner in self.ingress.items() if owner == service]:
            del self.ingress[key]

    def allocated(self, service: str) -> bool:
        """Whether the allocator could allocate the service's ports (its tasks can leave
        NEW)."""
        return service not in self.unallocated

    def published_ports(self) -> dict[int, str]:
        """``{published port: service}`` for the ingress ports (tcp and udp alike)."""
        return {port: owner for (_, port), owner in sorted(self.ingress.items())}

    # --- requests ----------------------------------------------------------------------------
    def request(self, node: str, port: int, protocol: str = "tcp") -> Request:
        """Send one request to ``node:port`` now and see where it lands."""
        cluster = self.cluster
        cluster.node_record(node)  # raises for an unknown node
        now = cluster.clock.now

        def failed(error: str) -> Request:
            return Request(now, node, port, None, None, error)

        if not cluster.machine_alive(node):
            return failed("node unreachable")
        service = self.ingress.get((protocol, port))
        if service is not None:
            backends = [t for t in cluster.service_tasks(service)
                        if t.state == TaskState.RUNNING and t.desired_state == TaskState.RUNNING]
            if not backends:
                return failed("no running task behind the port")
            turn = self._rotation[(node, service)]
            self._rotation[(node, service)] = turn + 1
            task = backends[turn % len(backends)]
            if not cluster.machine_alive(task.node or ""):
                return failed(f"backend {task.name} on {task.node} unreachable")
            return Request(now, node, port, task.name, task.node)
        for task in cluster.tasks_on(node):
            if task.state == TaskState.RUNNING and any(
                    p.mode == "host" and p.published == port and p.protocol == protocol
                    for p in task.spec.ports):
                return Request(now, node, port, task.name, node)
        return failed("connection refused")

    def traffic(self, port: int, *, rate: float = 10.0, duration: float = 60.0,
                nodes: Iterable[str] | None = None, protocol: str = "tcp") -> Traffic:
        """Send ``rate`` requests per second for ``duration`` seconds from now, each to a node
        drawn from ``nodes`` (default: all) by the cluster's seeded generator. Returns a
        :class:`Traffic` that fills in as :meth:`SwarmCluster.run` advances the clock."""
        rate = check_rate(rate)
        if not duration >= 0:
            raise ValueError(f"duration must be ≥ 0 s, got {duration}")
        targets = list(nodes) if nodes is not None else self.cluster.node_names()
        for name in targets:
            self.cluster.node_record(name)
        if not targets:
            raise ValueError("traffic needs at least one node to send requests to")
        traffic = Traffic(port)
        self.cluster.clock.process(self._send(traffic, targets, rate, duration, protocol))
        return traffic

    def _send(self, traffic: Traffic, targets: list[str], rate: float, duration: float,
              protocol: str) -> Generator[Any, Any, None]:
        clock = self.cluster.clock
        count = int(duration * rate)
        for _ in range(count):
            node = clock.random.choice(targets)
            traffic.requests.append(self.request(node, traffic.port, protocol))
            yield clock.timeout(1.0 / rate)
