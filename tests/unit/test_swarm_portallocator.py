"""A node's ephemeral host ports (libnetwork's port allocator, ``clustersim.swarm.portallocator``):
given in order per node and protocol, taken back when a task ends, and a full range refused
with ``ErrAllPortsAllocated`` without keeping any port of the refused task."""

from __future__ import annotations

from clustersim import Node
from clustersim.swarm import SwarmCluster
from clustersim.swarm.portallocator import (
    ALL_PORTS_ALLOCATED,
    EPHEMERAL_PORTS,
    PortAllocator,
    start_error,
)
from clustersim.swarm.spec import PortConfig, ServiceSpec
from clustersim.swarm.tasks import Task

LOW, HIGH = EPHEMERAL_PORTS
SIZE = HIGH - LOW + 1


def task(name: str, zeros: int, protocol: str = "tcp", node: str = "n") -> Task:
    ports = tuple(PortConfig(1000 + i, 0, protocol, "host") for i in range(zeros))
    return Task(name, "s", 1, 1, ServiceSpec("s", ports=ports), 0.0, node=node)


def given(allocator: PortAllocator, of: Task) -> list[int]:
    return [p.published for p in allocator.ports(of)]


def test_ports_follow_the_last_given_per_node_and_protocol() -> None:
    """The next free port after the last one given, not the lowest free one; each node and
    protocol has its own map (portallocator.go keeps one per address and protocol)."""
    allocator = PortAllocator()
    a, b, c = task("a", 2), task("b", 2), task("c", 1, "udp")
    other = task("d", 1, node="m")
    for each in (a, b, c, other):
        assert allocator.request(each) == ""
    assert (given(allocator, a), given(allocator, b)) == ([LOW, LOW + 1], [LOW + 2, LOW + 3])
    assert (given(allocator, c), given(allocator, other)) == ([LOW], [LOW])
    allocator.release(a)
    e = task("e", 1)
    assert allocator.request(e) == "" and given(allocator, e) == [LOW + 4]
    assert given(allocator, a) == [0, 0]


def test_a_full_range_is_refused_and_keeps_nothing_of_the_refused_task() -> None:
    allocator = PortAllocator()
    assert allocator.request(task("full", SIZE - 1)) == ""
    refused = task("over", 2)
    assert allocator.request(refused) == ALL_PORTS_ALLOCATED
    assert given(allocator, refused) == [0, 0]
    last = task("last", 1)
    assert allocator.request(last) == "" and given(allocator, last) == [HIGH]
    assert allocator.request(task("none", 1)) == ALL_PORTS_ALLOCATED


def test_a_task_whose_node_has_no_port_left_fails_starting_and_is_replaced() -> None:
    """The container does not start: FAILED with the message ``starting`` and the daemon's
    error (moby/moby#34824); the orchestrator replaces the task, and the ports of an ended
    task serve its successor."""
    cluster = SwarmCluster([Node("m", 64, "64Gi", role="manager")], seed=0)
    ports = [{"target": 1000 + i, "mode": "host"} for i in range(100)]
    cluster.deploy_stack("s", {"services": {
        "big": {"image": "web", "ports": ports, "deploy": {"replicas": SIZE // 100}},
        "over": {"image": "web", "ports": ports}}})
    cluster.run(until=3)
    [failed] = [t for t in cluster.tasks("s_over", history=True) if t.state == "failed"]
    assert (failed.message, failed.err) == ("starting", start_error(failed, ALL_PORTS_ALLOCATED))
    running = [t for t in cluster.tasks("s_big") if t.state == "running"]
    held = {p.published for t in running for p in cluster.agent.ports.ports(t)}
    assert len(running) == SIZE // 100 and len(held) == SIZE // 100 * 100
    cluster.scale("s_big", SIZE // 100 - 1)
    cluster.run(until=30)
    [replaced] = cluster.tasks("s_over")
    assert replaced.state == "running" and replaced is not failed
