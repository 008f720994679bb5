"""How many copies of a workload fit on each machine: the arithmetic under every scheduler.

Every orchestrator in the course first asks whether a task *fits* on a machine: the sum of the
requests (Kubernetes), reservations (Swarm) or offered resources (Mesos) must stay within the
machine's capacity, resource by resource. This module answers the simplest form of that
question for identical copies, which the first lab uses before the real schedulers appear.
"""

from __future__ import annotations

from collections.abc import Iterable

from clustersim.node import Node
from clustersim.quantity import parse_quantity, to_millis, to_units

__all__ = ["limiting", "pods_that_fit", "total_that_fit"]


def _limits(node: Node, cpu: str | int | float, memory: str | int | float) -> dict[str, int]:
    """Copies each limit allows on an empty ``node``: ``CPU``, ``memory`` (left out for a
    request of zero) and ``Pods``, the node's pod limit."""
    cpu_m = to_millis(parse_quantity(cpu))
    mem_b = to_units(parse_quantity(memory))
    if cpu_m < 0 or mem_b < 0:
        raise ValueError(f"requests must not be negative (cpu={cpu!r}, memory={memory!r})")
    limits = {"Pods": node.max_pods}
    if cpu_m:
        limits["CPU"] = node.cpu_millis // cpu_m
    if mem_b:
        limits["memory"] = node.memory_bytes // mem_b
    return limits


def pods_that_fit(node: Node, cpu: str | int | float, memory: str | int | float) -> int:
    """How many copies requesting ``cpu`` and ``memory`` fit on an empty ``node``.

    The limit is the scarcest of three: CPU (millicores), memory (bytes) and the node's pod
    limit (Kubernetes' allocatable ``pods``, 110 by default). A request of zero for a resource
    leaves that resource out of the limit. Negative or malformed requests raise ``ValueError``.
    """
    return min(_limits(node, cpu, memory).values())


def limiting(node: Node, cpu: str | int | float, memory: str | int | float) -> list[str]:
    """The limits that :func:`pods_that_fit` reaches first on ``node``, in the order ``CPU``,
    ``memory``, ``Pods``: one, or several that run out together. They are what kube-scheduler's
    NodeResourcesFit filter would name for one more copy (``Insufficient cpu``,
    ``Insufficient memory``, ``Too many pods``: kubernetes/kubernetes
    ``pkg/scheduler/framework/plugins/noderesources/fit.go``)."""
    limits = _limits(node, cpu, memory)
    fewest = min(limits.values())
    return [name for name in ("CPU", "memory", "Pods") if limits.get(name) == fewest]


def total_that_fit(nodes: Iterable[Node], cpu: str | int | float, memory: str | int | float) -> int:
    """Copies that fit on all ``nodes`` together, each node counted on its own."""
    return sum(pods_that_fit(node, cpu, memory) for node in nodes)
