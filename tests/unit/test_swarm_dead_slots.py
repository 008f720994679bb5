"""Slots whose task ended for good (moby/swarmkit ``manager/orchestrator/restart/restart.go``
``UpdatableTasksInSlot``, ``replicated/slot.go`` ``updatableAndDeadSlots`` and
``replicated/services.go`` ``reconcile``): they still count as replicas, a rolling update
gives them a task of the new spec in their turn, and a rollback refills them at once and
deletes their ended tasks."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.swarm import SwarmCluster


def swarm_with_dead_slot(condition: str, exit_code: int) -> SwarmCluster:
    """Three replicas of web:1, slot 3's task ended for good at t=10."""
    nodes = [Node("m", 4, "8Gi", role="manager"), *Node.many(3, "w", cpu=4, memory="8Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", {"services": {"web": {"image": "web:1", "deploy": {
        "replicas": 3, "restart_policy": {"condition": condition},
        "update_config": {"parallelism": 1, "delay": "20s", "monitor": "1s"}}}}})
    cluster.run(until=10)
    (third,) = [t for t in cluster.tasks("s_web") if t.slot == 3]
    assert cluster.crash_task(third, exit_code=exit_code)
    cluster.run(until=20)
    return cluster


def in_slot(cluster: SwarmCluster, slot: int) -> list:
    return [t for t in cluster.tasks("s_web", history=True) if t.slot == slot]


@pytest.mark.parametrize(("condition", "exit_code"), [("none", 1), ("on-failure", 0)])
def test_a_rolling_update_revives_a_dead_slot_in_its_turn(condition: str, exit_code: int) -> None:
    cluster = swarm_with_dead_slot(condition, exit_code)
    assert [t.state for t in in_slot(cluster, 3)] == ["failed" if exit_code else "complete"]
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=25)
    assert len(in_slot(cluster, 3)) == 1     # its turn comes after slots 1 and 2
    cluster.run(until=120)
    newest = in_slot(cluster, 3)[-1]
    assert (newest.spec.image, newest.state) == ("web:2", "running")
    assert newest.created >= 20 + 2 * 20     # two slots and two delays before it
    running = [t for t in cluster.tasks("s_web") if t.state == "running"]
    assert sorted(t.slot for t in running) == [1, 2, 3]
    assert cluster.services["s_web"].update_state == "completed"


def test_scaling_up_does_not_refill_a_dead_slot() -> None:
    cluster = swarm_with_dead_slot("none", 1)
    cluster.scale("s_web", 4)
    cluster.run(until=40)
    running = sorted(t.slot for t in cluster.tasks("s_web") if t.state == "running")
    assert running == [1, 2, 4]    # the dead slot counts as one of the four


def test_a_rollback_refills_a_dead_slot_at_once_and_deletes_its_task() -> None:
    cluster = swarm_with_dead_slot("none", 1)
    (dead,) = in_slot(cluster, 3)
    cluster.update_service("s_web", replicas=3, image="web:2")
    cluster.run(until=200)
    (revived,) = [t for t in in_slot(cluster, 3) if t.state == "running"]
    assert cluster.crash_task(revived, exit_code=1)   # slot 3 dead again, under web:2
    cluster.run(until=210)
    cluster.rollback_service("s_web")
    fresh = [t for t in in_slot(cluster, 3) if t.wanted]
    assert [t.spec.image for t in fresh] == ["web:1"]     # at once, not in the updater's turn
    assert revived.id not in {t.id for t in cluster.tasks("s_web", history=True)}
    assert dead.id not in {t.id for t in cluster.tasks("s_web", history=True)}


def test_a_rolling_update_revives_a_global_task_that_ended_for_good() -> None:
    """The global orchestrator hands the updater the same slots (``global/global.go``,
    ``reconcileServices``): a node whose task ended for good gets a task of the new spec."""
    nodes = [Node("m", 4, "8Gi", role="manager"), *Node.many(2, "w", cpu=4, memory="8Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", {"services": {"agent": {"image": "agent:1", "deploy": {
        "mode": "global", "restart_policy": {"condition": "none"}}}}})
    cluster.run(until=10)
    ended = cluster.tasks("s_agent")[0]
    assert cluster.crash_task(ended, exit_code=1)
    cluster.run(until=20)
    assert not [t for t in cluster.tasks("s_agent") if t.node == ended.node and t.wanted]
    cluster.update_service("s_agent", image="agent:2")
    cluster.run(until=120)
    (revived,) = [t for t in cluster.tasks("s_agent") if t.node == ended.node and t.wanted]
    assert (revived.spec.image, revived.state) == ("agent:2", "running")
