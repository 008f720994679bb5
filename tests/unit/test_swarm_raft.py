"""Managers and Raft (https://docs.docker.com/engine/swarm/raft/): quorum arithmetic, leader
election after the leader fails, and a swarm without quorum that refuses changes while its
running tasks go on."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.swarm import NoLeaderError, SwarmCluster, SwarmError, fault_tolerance, quorum

# docs.docker.com/engine/swarm/admin_guide/#add-manager-nodes-for-fault-tolerance
DOCS_TABLE = [(1, 1, 0), (2, 2, 0), (3, 2, 1), (4, 3, 1), (5, 3, 2), (6, 4, 2), (7, 4, 3),
              (8, 5, 3), (9, 5, 4)]


@pytest.mark.parametrize(("managers", "majority", "tolerated"), DOCS_TABLE)
def test_quorum_and_fault_tolerance(managers: int, majority: int, tolerated: int) -> None:
    assert quorum(managers) == majority
    assert fault_tolerance(managers) == tolerated


def three_managers() -> SwarmCluster:
    nodes = [*Node.many(3, "mgr", cpu=2, memory="4Gi", role="manager"),
             *Node.many(2, "wrk", cpu=2, memory="4Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", {"services": {"web": {
        "image": "web", "ports": [{"target": 80, "published": 80}],
        "deploy": {"replicas": 4, "placement": {"constraints": ["node.role==worker"]}}}}})
    cluster.run(until=10)
    return cluster


def test_a_new_leader_is_elected_when_the_leader_fails() -> None:
    cluster = three_managers()
    assert cluster.leader == "mgr-1"
    cluster.fail_node("mgr-1")
    assert cluster.leader is None
    with pytest.raises(NoLeaderError):
        cluster.scale("s_web", 5)
    cluster.run(until=31)
    (elected,) = cluster.events.where(reason="LeaderElected")
    assert 20.0 <= elected.time < 30.0 and cluster.leader in ("mgr-2", "mgr-3")
    cluster.scale("s_web", 5)


def test_without_quorum_nothing_changes_but_tasks_keep_running() -> None:
    cluster = three_managers()
    cluster.fail_node("mgr-2")
    cluster.fail_node("mgr-3")
    cluster.run(until=60)
    assert cluster.leader is None and cluster.events.where(reason="QuorumLost")
    with pytest.raises(NoLeaderError, match="The swarm does not have a leader"):
        cluster.deploy_stack("t", {"services": {"x": {"image": "x"}}})
    with pytest.raises(NoLeaderError, match="1 of 3 managers up, quorum 2"):
        cluster.update_node("wrk-1", availability="drain")
    tasks = cluster.tasks("s_web")
    assert sum(1 for t in tasks if t.state == "running") == 4
    assert cluster.request("wrk-1", 80).served  # the mesh still forwards
    crashed = tasks[0]
    cluster.crash_task(crashed)
    cluster.run(until=120)
    assert sum(1 for t in cluster.tasks("s_web") if t.state == "running") == 3  # no restart
    cluster.recover_node("mgr-2")
    cluster.run(until=180)
    assert cluster.leader in ("mgr-1", "mgr-2")
    assert sum(1 for t in cluster.tasks("s_web") if t.state == "running") == 4


def test_demoting_the_last_manager_is_refused() -> None:
    cluster = SwarmCluster([Node("m", 1, "1Gi", role="manager"), Node("w", 1, "1Gi")])
    with pytest.raises(ValueError, match="demote the last manager"):
        cluster.update_node("m", role="worker")
    cluster.update_node("w", role="manager")
    assert cluster.raft.managers == ["m", "w"] and quorum(len(cluster.raft.managers)) == 2


def test_a_demotion_that_would_lose_the_quorum_is_refused() -> None:
    """swarmkit's ``CanRemoveMember``: the managers left must keep a reachable majority. With
    one of three down, demoting a reachable one leaves one of two; demoting the down one
    leaves two of two."""
    cluster = three_managers()
    cluster.fail_node("mgr-3")
    with pytest.raises(ValueError, match="this would result in a loss of quorum"):
        cluster.update_node("mgr-2", role="worker")
    assert cluster.raft.managers == ["mgr-1", "mgr-2", "mgr-3"]
    cluster.update_node("mgr-3", role="worker")
    assert cluster.raft.managers == ["mgr-1", "mgr-2"]


def test_tasks_that_ended_without_a_leader_are_replaced_once() -> None:
    """Regression (found by the fault-sequence property): a global task that failed while the
    swarm had no leader was replaced twice after the election."""
    nodes = [*Node.many(3, "m", cpu=2, memory="4Gi", role="manager"),
             *Node.many(2, "w", cpu=2, memory="4Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", {"services": {
        "web": {"image": "web", "deploy": {"replicas": 3}},
        "agent": {"image": "agent", "deploy": {"mode": "global"}}}})
    cluster.fail_node("m-1")
    cluster.run(until=14)
    cluster.fail_node("m-2")
    for name in cluster.node_names():
        cluster.recover_node(name)
    cluster.run(until=cluster.clock.now + 120)
    running = [t.node for t in cluster.tasks("s_agent") if t.state == "running"]
    assert sorted(running) == sorted(cluster.node_names())


def test_node_ls_and_ls_show_managers_and_replicas() -> None:
    cluster = three_managers()
    cluster.fail_node("mgr-3")
    cluster.fail_node("wrk-2")
    cluster.run(until=40)
    rows = {r["hostname"]: (r["status"], r["manager"]) for r in cluster.node_ls()}
    assert rows == {"mgr-1": ("Ready", "Leader"), "mgr-2": ("Ready", "Reachable"),
                    "mgr-3": ("Down", "Unreachable"), "wrk-1": ("Ready", ""),
                    "wrk-2": ("Down", "")}
    assert cluster.ls() == [{"name": "s_web", "mode": "replicated", "replicas": "4/4",
                             "image": "web", "ports": "*:80->80/tcp"}]


def test_force_new_cluster_recovers_a_swarm_that_lost_its_quorum() -> None:
    """``docker swarm init --force-new-cluster`` on the surviving manager (day-2 chapter):
    it keeps the swarm's state, leads alone with a quorum of one, and the swarm takes
    changes again; the lost managers are out of the Raft (moby ``Init``, swarmkit's
    ``loadAndStart``)."""
    cluster = three_managers()
    cluster.fail_node("mgr-2")
    cluster.fail_node("mgr-3")
    cluster.run(until=60)
    assert cluster.leader is None
    assert cluster.force_new_cluster("mgr-1") == ["mgr-2", "mgr-3"]
    assert cluster.leader == "mgr-1" and cluster.raft.managers == ["mgr-1"]
    assert [r["manager"] for r in cluster.node_ls()] == ["Leader", "", "", "", ""]
    cluster.scale("s_web", 5)                          # refused without a leader before
    cluster.run(until=120)
    assert sum(1 for t in cluster.tasks("s_web") if t.state == "running") == 5
    [forced] = cluster.events.where(reason="ForceNewCluster")
    assert "removed: mgr-2, mgr-3" in forced.message
    assert len(cluster.events.where(reason="LeaderElected")) == 1
    cluster.recover_node("mgr-2")                       # a removed manager stays out
    cluster.run(until=200)
    assert cluster.raft.managers == ["mgr-1"] and cluster.leader == "mgr-1"


def test_force_new_cluster_is_refused_on_a_worker() -> None:
    cluster = three_managers()
    with pytest.raises(SwarmError, match="This node is not a swarm manager"):
        cluster.force_new_cluster("wrk-1")
