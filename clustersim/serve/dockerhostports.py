"""The node's own port a host-mode port without a published port gets (about 65 lines).

A ``PublishMode: host`` port that names no ``PublishedPort`` is not allocated by the swarm:
swarmkit's port allocator copies host-mode ports into ``Endpoint.Ports`` as they are and
allocates only ingress ports (moby/swarmkit ``manager/allocator/network/port``). The node's
daemon creates the task's container with the binding ``0:<target>``, and its port mapper
takes an ephemeral port of the host; the executor reads the container's port map back into
the task's ``Status.PortStatus`` (moby ``daemon/cluster/executor/container/controller.go``,
``parsePortStatus`` and ``parsePortMap``), which ``docker service ps`` shows as
``*:32768->81/tcp``.

libnetwork's port allocator (``portallocator/portallocator.go``) hands out the ports of the
host's ephemeral range (on Linux ``net.ipv4.ip_local_port_range``, 32768-60999 by default,
read by ``portallocator_linux.go``) one after another from the start of the range, the next
after the last it gave, skipping those in use and wrapping at the end. Here each node counts
its own, in the order the tasks started (then by task ID), so that a run gives the same
ports whatever a client reads first; a port is in use while its task runs.
"""

from __future__ import annotations

from typing import Any

from clustersim.swarm.spec import PortConfig

__all__ = ["EPHEMERAL_PORTS", "EphemeralPorts"]

EPHEMERAL_PORTS = (32768, 60999)
"""Linux's default ``net.ipv4.ip_local_port_range``."""


class EphemeralPorts:
    """Each node's ephemeral ports, given to running tasks' host-mode ports of 0."""

    def __init__(self) -> None:
        self._given: dict[str, tuple[str, list[int]]] = {}
        """Task ID → (node, the port given to each of its host ports of 0, in order)."""
        self._last: dict[str, int] = {}

    def ports(self, task: Any, running: list[Any]) -> list[PortConfig]:
        """``task``'s host-mode ports with a published port of 0 filled in with the node's
        ephemeral port; ``running`` are the swarm's tasks, ended ones included: the running
        ones without ports get theirs first, in the order they started."""
        host = [p for p in task.spec.ports if p.mode == "host"]
        if task.id not in self._given and any(p.published == 0 for p in host):
            self._give(running)     # only when a task with a port of 0 has none yet
        given = iter(self._given.get(task.id, ("", []))[1])
        return [PortConfig(p.target, next(given, 0), p.protocol, p.mode)
                if p.published == 0 else p for p in host]

    def _give(self, running: list[Any]) -> None:
        alive = {t.id for t in running if t.state == "RUNNING"}
        self._given = {k: v for k, v in self._given.items() if k in alive}
        for task in sorted((t for t in running if t.id in alive and t.id not in self._given),
                           key=lambda t: (t.started or 0.0, t.id)):
            zeros = [p for p in task.spec.ports if p.mode == "host" and p.published == 0]
            if zeros and task.node:
                self._given[task.id] = (task.node, [self._next(task.node) for _ in zeros])

    def _next(self, node: str) -> int:
        low, high = EPHEMERAL_PORTS
        taken = {p for n, ports in self._given.values() if n == node for p in ports}
        port = self._last.get(node, high)
        for _ in range(high - low + 1):
            port = low if port >= high else port + 1
            if port not in taken:
                self._last[node] = port
                return port
        raise ValueError(f"all ports are allocated (libnetwork's ErrAllPortsAllocated): "
                         f"{node} runs tasks on every port of {low}-{high}")
