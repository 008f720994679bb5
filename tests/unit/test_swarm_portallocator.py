"""A node's ephemeral host ports (libnetwork's port allocator, ``clustersim.swarm.portallocator``):
given in order per node and protocol, taken back when a task ends (scaled down, its service
removed, replaced by a rolling update, or shut down when its failed node comes back), and a
full range refused with ``ErrAllPortsAllocated`` without keeping any port of the refused
task."""

from __future__ import annotations

from collections import Counter

from clustersim import Node
from clustersim.swarm import SwarmCluster
from clustersim.swarm.portallocator import (
    ALL_PORTS_ALLOCATED,
    EPHEMERAL_PORTS,
    PortAllocator,
    already_allocated,
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


def published(name: str, port: int, node: str = "n") -> Task:
    spec = ServiceSpec("p", ports=(PortConfig(80, port, "tcp", "host"),))
    return Task(name, "p", 1, 1, spec, 0.0, node=node)


def test_an_ephemeral_port_skips_a_published_one_and_a_published_one_is_refused_if_held(
        ) -> None:
    """Regression test: published host ports were not in the allocator's map, so an
    ephemeral port could be one a container publishes. Both orders (libnetwork's
    ``RequestPortInRange``, one map per address and protocol)."""
    allocator = PortAllocator()
    assert allocator.request(published("fixed", LOW)) == ""
    zero = task("zero", 1)
    assert allocator.request(zero) == "" and given(allocator, zero) == [LOW + 1]
    late = published("late", LOW + 1)
    assert allocator.request(late) == already_allocated(LOW + 1)
    assert given(allocator, late) == [LOW + 1]      # as asked; nothing was bound
    allocator.release(zero)
    assert allocator.request(late) == ""


def test_a_published_port_outside_the_range_leaves_the_range_whole() -> None:
    """8080 is bound (a second 8080 is refused) but is no ephemeral port: the range still
    holds all its ports."""
    allocator = PortAllocator()
    assert allocator.request(published("a", 8080)) == ""
    assert allocator.request(published("b", 8080)) == already_allocated(8080)
    assert allocator.request(task("full", SIZE)) == ""
    assert allocator.request(task("over", 1)) == ALL_PORTS_ALLOCATED


def test_a_published_host_port_an_ephemeral_one_holds_fails_the_task_starting() -> None:
    """The scheduler's host-port filter sees only published ports (swarmkit nodeinfo's
    ``usedHostPorts``), so it places the task; its container cannot bind the port."""
    cluster = SwarmCluster([Node("m", 8, "8Gi", role="manager")], seed=0)
    cluster.deploy_stack("s", {"services": {"any": {
        "image": "web", "ports": [{"target": 80, "mode": "host"}]}}})
    cluster.run(until=5)
    cluster.deploy_stack("s", {"services": {"fixed": {"image": "web", "ports": [
        {"target": 80, "published": LOW, "mode": "host"}]}}})
    cluster.run(until=8)
    [failed] = [t for t in cluster.tasks("s_fixed", history=True) if t.state == "failed"]
    assert (failed.message, failed.err) == ("starting", start_error(failed, already_allocated(
        LOW)))
    assert [p.published for t in cluster.tasks("s_any") for p in cluster.agent.ports.ports(t)
            ] == [LOW]


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


def _one_port_per_node() -> SwarmCluster:
    """Three nodes and a service of three replicas, each publishing port 80 in host mode
    with no published port: one ephemeral port per task, so one per node."""
    cluster = SwarmCluster([Node("m", 8, "8Gi", role="manager"), Node("w1", 8, "8Gi"),
                            Node("w2", 8, "8Gi")], seed=0)
    cluster.deploy_stack("s", {"services": {"web": {
        "image": "web", "ports": [{"target": 80, "mode": "host"}],
        "deploy": {"replicas": 3}}}})
    cluster.run(until=10)
    return cluster


def _held(cluster: SwarmCluster, tasks: list[Task]) -> Counter[str]:
    """How many ephemeral ports ``tasks`` hold, by node."""
    return Counter(t.node for t in tasks for p in cluster.agent.ports.ports(t) if p.published)


def test_removing_a_service_gives_back_every_port() -> None:
    cluster = _one_port_per_node()
    tasks = cluster.tasks("s_web", history=True)
    assert _held(cluster, tasks) == {"m": 1, "w1": 1, "w2": 1}
    cluster.remove_service("s_web")
    cluster.run(until=60)
    assert not _held(cluster, tasks)


def test_a_rolling_update_keeps_one_port_per_node() -> None:
    """Each old task gives its port back when it ends, before or as its successor takes
    one: at no point after the update does a node hold two."""
    cluster = _one_port_per_node()
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=200)
    tasks = cluster.tasks("s_web", history=True)
    running = [t for t in tasks if t.state == "running"]
    assert {t.spec.image for t in running} == {"web:2"} and len(running) == 3
    assert _held(cluster, tasks) == {"m": 1, "w1": 1, "w2": 1}
    assert _held(cluster, running) == _held(cluster, tasks)


def test_a_failed_nodes_task_keeps_its_port_until_the_node_recovers() -> None:
    """The task of a node that went down is replaced elsewhere, but nothing on that node
    reports it ended: its port stays taken until the node comes back and shuts it down."""
    cluster = _one_port_per_node()
    [lost] = [t for t in cluster.tasks("s_web") if t.node == "w1"]
    cluster.fail_node("w1")
    cluster.run(until=400)
    assert _held(cluster, [lost]) == {"w1": 1}
    assert _held(cluster, cluster.tasks("s_web", history=True)) == {"m": 1, "w1": 1, "w2": 2}
    cluster.recover_node("w1")
    cluster.run(until=500)
    assert not _held(cluster, [lost])
    assert _held(cluster, cluster.tasks("s_web", history=True))["w1"] == 0
