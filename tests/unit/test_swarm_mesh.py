"""The routing mesh: ingress ports on every node with IPVS round robin, host-mode ports only
where a task runs, port conflicts and dynamic ports, and traffic across a node failure
(https://docs.docker.com/engine/swarm/ingress/)."""

from __future__ import annotations

from collections import Counter

import pytest

from clustersim import Node
from clustersim.swarm import SwarmCluster, SwarmError


def cluster_with(ports: list[dict], replicas: int = 2, mode: str = "replicated") -> SwarmCluster:
    nodes = [Node("m", 2, "4Gi", role="manager"), *Node.many(3, "w", cpu=2, memory="4Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    deploy = {"mode": mode} if mode == "global" else {"replicas": replicas}
    cluster.deploy_stack("s", {"services": {"web": {"image": "web", "ports": ports,
                                                     "deploy": deploy}}})
    cluster.run(until=10)
    return cluster


INGRESS = [{"target": 80, "published": 8080}]


def test_ingress_port_answers_on_every_node_round_robin() -> None:
    cluster = cluster_with(INGRESS, replicas=2)
    task_nodes = {t.node for t in cluster.tasks("s_web")}
    for node in cluster.node_names():
        served = [cluster.request(node, 8080) for _ in range(4)]
        assert all(r.served for r in served), node
        assert Counter(r.task_node for r in served) == dict.fromkeys(task_nodes, 2)
        assert [r.task for r in served[:2]] != [served[0].task] * 2  # alternates


def test_unpublished_port_is_refused() -> None:
    cluster = cluster_with(INGRESS)
    assert cluster.request("w-1", 9999).error == "connection refused"


def test_host_mode_answers_only_where_a_task_runs() -> None:
    cluster = cluster_with([{"target": 80, "published": 8080, "mode": "host"}], replicas=2)
    task_nodes = {t.node for t in cluster.tasks("s_web")}
    for node in cluster.node_names():
        assert cluster.request(node, 8080).served is (node in task_nodes)


def test_host_mode_port_conflict_keeps_extra_replicas_pending() -> None:
    cluster = cluster_with([{"target": 80, "published": 8080, "mode": "host"}], replicas=5)
    pending = [t for t in cluster.tasks("s_web") if t.state == "pending"]
    assert len(pending) == 1
    assert pending[0].err == "no suitable node (host-mode port already in use on 4 nodes)"


def test_ingress_port_conflict_and_dynamic_ports() -> None:
    cluster = cluster_with(INGRESS)
    with pytest.raises(SwarmError, match="port '8080' is already in use by service 's_web'") \
            as refused:
        cluster.deploy_stack("t", {"services": {"api": {"image": "api", "ports": INGRESS}}})
    # swarmkit's words (which the served API answers with), and the simulator's advice apart
    assert refused.value.message == \
        "port '8080' is already in use by service 's_web' (s_web) as an ingress port"
    assert refused.value.hint == "publish another port or remove service 's_web' first"
    assert str(refused.value) == f"{refused.value.message}; {refused.value.hint}"
    cluster.deploy_stack("t", {"services": {"api": {"image": "api", "ports": [
        {"target": 80}, {"target": 81}]}}})
    assert [p.published for p in cluster.services["t_api"].spec.ports] == [30000, 30001]
    assert cluster.mesh.published_ports() == {8080: "s_web", 30000: "t_api", 30001: "t_api"}


def test_traffic_fails_only_until_the_failed_node_is_declared_down() -> None:
    cluster = cluster_with(INGRESS, replicas=4)
    traffic = cluster.traffic(8080, rate=20, duration=60, nodes=["m", "w-2", "w-3"])
    failed_node = next(t.node for t in cluster.tasks("s_web") if t.node in ("w-1", "w-2"))
    cluster.run(until=20)
    assert traffic.failed == 0 and traffic.served == 200
    cluster.fail_node(failed_node)
    cluster.run(until=80)
    down = cluster.events.where(reason="NodeDown")[0].time
    late = [r for r in traffic.requests if r.time > down + 0.1]
    assert all(r.served or r.node == failed_node for r in late)
    during = [r for r in traffic.requests if 20 <= r.time < down]
    assert any(not r.served and r.error.startswith("backend") for r in during)
    assert traffic.served + traffic.failed == 1200
    rows = traffic.timeline(10)
    assert sum(row["served"] + row["failed"] for row in rows) == 1200
    assert rows[0] == {"time": 10.0, "served": 200, "failed": 0}


def test_no_running_task_behind_the_port() -> None:
    cluster = cluster_with(INGRESS, replicas=0)
    assert cluster.request("m", 8080).error == "no running task behind the port"


def test_redeploying_keeps_the_assigned_port_and_replaces_no_task() -> None:
    """``docker stack deploy`` of the same file sends every existing service's spec again
    (``deployServices`` in docker/cli ``cli/command/stack/swarm/deploy_composefile.go`` calls
    ServiceUpdate for each), and swarmkit stores it as an
    update (its version counts up: ``UpdateService`` compares nothing), but the port the
    mesh assigned stays and the updater finds no task to replace."""
    cluster = cluster_with([{"target": 80}])
    (port,) = cluster.services["s_web"].spec.ports
    running = {task.id for task in cluster.tasks("s_web")}
    cluster.deploy_stack("s", {"services": {"web": {"image": "web", "ports": [{"target": 80}],
                                                     "deploy": {"replicas": 2}}}})
    cluster.run(until=20)
    assert cluster.services["s_web"].spec.ports == (port,) and port.published == 30000
    assert cluster.services["s_web"].version == 2
    assert {task.id for task in cluster.tasks("s_web")} == running


def test_two_services_of_one_stack_cannot_publish_the_same_ingress_port() -> None:
    """docker stack deploy creates the services one by one; the second is refused as a
    service created after the first would be (swarmkit controlapi checkPortConflicts)."""
    cluster = cluster_with([])
    with pytest.raises(SwarmError, match="port '8081' is already in use by service 't_web'"):
        cluster.deploy_stack("t", {"services": {
            "web": {"image": "web", "ports": ["8080-8082:80"]},
            "api": {"image": "api", "ports": ["8081:80"]}}})
