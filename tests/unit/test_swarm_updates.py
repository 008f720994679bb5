"""Rolling updates and rollbacks (moby/swarmkit ``manager/orchestrator/update/updater.go``):
parallelism, delay, order, monitor, failure_action and max_failure_ratio."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.swarm import SwarmCluster, SwarmError


def cluster_with(update: dict, replicas: int = 6, rollback: dict | None = None) -> SwarmCluster:
    nodes = [Node("m", 4, "8Gi", role="manager"), *Node.many(5, "w", cpu=4, memory="8Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    deploy = {"replicas": replicas, "update_config": update}
    if rollback is not None:
        deploy["rollback_config"] = rollback
    cluster.deploy_stack("s", {"services": {"web": {"image": "web:1", "deploy": deploy}}})
    cluster.run(until=10)
    return cluster


def running(cluster: SwarmCluster, image: str | None = None) -> int:
    """Tasks really running, including old ones already told to shut down."""
    return sum(1 for t in cluster.tasks("s_web", history=True)
               if t.state == "running" and (image is None or t.spec.image == image))


def sample(cluster: SwarmCluster, until: float, step: float = 0.1) -> list[tuple[int, int]]:
    """(running old, running new) at every step until ``until``."""
    rows = []
    while cluster.clock.now < until:
        cluster.run(until=round(cluster.clock.now + step, 6))
        rows.append((running(cluster, "web:1"), running(cluster, "web:2")))
    return rows


def test_stop_first_updates_parallelism_slots_at_a_time_with_delay() -> None:
    cluster = cluster_with({"parallelism": 2, "delay": "10s"})
    cluster.update_service("s_web", image="web:2")
    rows = sample(cluster, 80)
    assert min(old + new for old, new in rows) == 4  # two slots down at a time, never more
    assert max(old + new for old, new in rows) == 6
    assert rows[-1] == (0, 6)
    started = sorted(t.started for t in cluster.tasks("s_web"))
    batches = [started[i + 1] - started[i] for i in (1, 3)]
    assert all(gap >= 10.0 for gap in batches)  # the delay between batches
    service = cluster.services["s_web"]
    assert (service.update_state, service.update_message) == ("completed", "update completed")


def test_start_first_keeps_every_replica_up() -> None:
    cluster = cluster_with({"parallelism": 1, "order": "start-first"})
    cluster.update_service("s_web", image="web:2")
    rows = sample(cluster, 60)
    assert min(old + new for old, new in rows) == 6
    assert max(old + new for old, new in rows) == 7  # briefly one extra
    assert rows[-1] == (0, 6)


def test_failure_action_pause_stops_the_update() -> None:
    """With a delay between slots the failure is seen before the next slot starts (without
    one, Swarm moves on as soon as a new task runs, before it can fail)."""
    cluster = cluster_with({"parallelism": 1, "delay": "10s", "failure_action": "pause"})
    cluster.fail_image("web:2", after=1.0)
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=120)
    service = cluster.services["s_web"]
    assert service.update_state == "paused"
    assert service.update_message.startswith(
        "update paused due to failure or early termination of task ")
    assert sum(1 for t in cluster.tasks("s_web") if t.spec.image == "web:1") == 5


def test_failure_action_rollback_restores_the_previous_image() -> None:
    cluster = cluster_with({"parallelism": 2, "failure_action": "rollback"},
                           rollback={"parallelism": 0})
    cluster.fail_image("web:2", after=1.0)
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=120)
    service = cluster.services["s_web"]
    assert (service.update_state, service.update_message) == (
        "rollback_completed", "rollback completed")
    assert service.spec.image == "web:1" and running(cluster, "web:1") == 6
    assert service.previous is None  # an automatic rollback forgets the failed spec
    assert cluster.events.where(reason="RollbackStarted")[0].message.startswith(
        "update rolled back due to failure or early termination of task ")


def test_failure_action_continue_and_max_failure_ratio() -> None:
    cluster = cluster_with({"parallelism": 1, "failure_action": "continue"}, replicas=3)
    cluster.fail_image("web:2", after=1.0)
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=200)
    assert cluster.services["s_web"].update_state == "completed"
    assert all(t.spec.image == "web:2" for t in cluster.tasks("s_web"))
    tolerant = cluster_with({"parallelism": 1, "delay": "10s", "max_failure_ratio": 0.5},
                            replicas=4)
    tolerant.fail_image("web:2", after=1.0)
    tolerant.update_service("s_web", image="web:2")
    tolerant.run(until=200)
    service = tolerant.services["s_web"]
    assert service.update_state == "paused"  # the third failure of four exceeds 0.5
    assert sum(1 for t in tolerant.tasks("s_web") if t.spec.image == "web:2") == 3


def test_failures_after_the_monitor_window_do_not_count() -> None:
    cluster = cluster_with({"parallelism": 0, "monitor": "5s"})
    cluster.fail_image("web:2", after=8.0)
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=20)
    assert cluster.services["s_web"].update_state == "completed"


def test_manual_rollback_and_scale_only_change_does_not_roll() -> None:
    cluster = cluster_with({"parallelism": 0})
    cluster.scale("s_web", 3)
    cluster.run(until=20)
    assert cluster.services["s_web"].update_state == ""  # scaling is not an update
    cluster.update_service("s_web", image="web:2")
    cluster.run(until=40)
    cluster.rollback_service("s_web")
    cluster.run(until=60)
    service = cluster.services["s_web"]
    assert service.update_state == "rollback_completed" and running(cluster, "web:1") == 3
    assert service.previous.image == "web:2"  # a manual rollback swaps the specs
    fresh = cluster_with({})
    fresh.services["s_web"].previous = None
    with pytest.raises(SwarmError, match="does not have a previous spec"):
        fresh.rollback_service("s_web")


def test_global_service_updates_node_by_node() -> None:
    nodes = [Node("m", 2, "4Gi", role="manager"), *Node.many(3, "w", cpu=2, memory="4Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", {"services": {"agent": {"image": "agent:1", "deploy": {
        "mode": "global", "update_config": {"parallelism": 1, "delay": "5s"}}}}})
    cluster.run(until=10)
    cluster.update_service("s_agent", image="agent:2")
    cluster.run(until=15)
    assert sum(t.spec.image == "agent:2" for t in cluster.tasks("s_agent")) == 1
    cluster.run(until=60)
    tasks = cluster.tasks("s_agent")
    assert sorted(t.node for t in tasks) == ["m", "w-1", "w-2", "w-3"]
    assert all(t.spec.image == "agent:2" and t.state == "running" for t in tasks)


def test_an_update_replaces_a_task_whose_restart_waits_out_its_delay() -> None:
    """swarmkit ``restart.go``: a task rejected while its own start was delayed keeps its
    desired state until the delay ends (``waitRestart``), and ``UpdatableTasksInSlot``
    passes every task whose desired state is at most RUNNING to the updater, ended ones
    too. Fixing the image replaces the slot at once, and the restart pending for the
    rejected task is dropped when its delay ends (``waitRestart`` finds it shut down). The
    updater had skipped the slot ("update completed" without a new task), and the task of
    the new image came only from that restart, 60 s later, after a delay of its own."""
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"), Node("w", 4, "8Gi")], seed=0)
    cluster.deploy_stack("s", {"services": {"web": {
        "image": "nonexistent.invalid/web:1",
        "deploy": {"restart_policy": {"delay": "60s"}}}}})
    cluster.run(until=70)
    waiting = [t for t in cluster.tasks("s_web", history=True) if t.desired_state == "READY"]
    assert [t.state for t in waiting] == ["rejected"]
    cluster.update_service("s_web", image="nginx:1.27")
    cluster.run(until=80)
    assert [(t.state, t.spec.image) for t in cluster.tasks("s_web")] == [
        ("running", "nginx:1.27")]
    cluster.run(until=200)
    assert len(cluster.tasks("s_web", history=True)) == 4    # no restart after the delay
    assert not [e for e in cluster.events.where(reason="Restart") if e.time > 70]
