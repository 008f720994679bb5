"""A task that fails at once for ever must leave bounded state behind: swarmkit records
restarts only for a policy with ``max_attempts`` (``manager/orchestrator/restart/
restart.go``, ``recordRestartHistory``), keeps those within ``window`` only, forgets a
removed service's (``ClearServiceHistory``), and its task reaper keeps at most
``TaskHistoryRetentionLimit`` tasks per slot (``manager/orchestrator/taskreaper``)."""

from __future__ import annotations

from collections import Counter

from clustersim import Node
from clustersim.swarm import SwarmCluster
from clustersim.swarm.store import TASK_HISTORY_LIMIT

LOOP_LABELS = {"clustersim.io/exit-code": "1", "clustersim.io/run-seconds": "0"}


def loop(policy: dict, replicas: int = 4, run_seconds: str = "0") -> SwarmCluster:
    """A swarm whose service's containers exit 1 ``run_seconds`` after they start."""
    cluster = SwarmCluster([Node("mgr", cpu=4, memory="8Gi", role="manager"),
                            *Node.many(2, "wrk", cpu=4, memory="8Gi")], seed=0)
    cluster.deploy_stack("s", {"services": {"loop": {
        "image": "busybox", "labels": {**LOOP_LABELS, "clustersim.io/run-seconds": run_seconds},
        "deploy": {"replicas": replicas, "restart_policy": {"delay": "0s", **policy}}}}})
    return cluster


def restarts(cluster: SwarmCluster) -> int:
    return len(cluster.events.where(reason="Restart"))


def test_unlimited_restarts_record_no_history_and_keep_five_tasks_a_slot() -> None:
    cluster = loop({})
    cluster.run(until=120)
    assert restarts(cluster) > 100            # a loop, paced by the agent's steps
    assert cluster.orchestrator.restart_history == {}
    per_slot = Counter(t.slot for t in cluster.tasks("s_loop", history=True))
    assert sorted(per_slot) == [1, 2, 3, 4]
    assert max(per_slot.values()) <= TASK_HISTORY_LIMIT + 1


def test_a_window_keeps_only_the_restarts_within_it() -> None:
    cluster = loop({"max_attempts": 2, "window": "10s"}, run_seconds="6")
    cluster.run(until=120)                     # a restart every 7.6 s: two in any 10 s
    assert restarts(cluster) > 4 * 10
    histories = cluster.orchestrator.restart_history[cluster.services["s_loop"].id]
    assert sorted(histories) == [1, 2, 3, 4]
    assert all(len(h.times) <= 2 and h.total > 2 for h in histories.values())


def test_max_attempts_without_window_stops_the_loop() -> None:
    cluster = loop({"max_attempts": 3})
    cluster.run(until=120)
    assert restarts(cluster) == 4 * 3
    histories = cluster.orchestrator.restart_history[cluster.services["s_loop"].id]
    assert {h.total for h in histories.values()} == {3}
    assert all(not h.times for h in histories.values())


def test_a_slot_keeps_one_more_task_than_max_attempts() -> None:
    """``task_reaper.go``: when the restart policy sets ``MaxAttempts``, a slot keeps
    ``MaxAttempts + 1`` tasks instead of ``TaskHistoryRetentionLimit`` (the restart
    supervisor rebuilds its counts from them), fewer here. A window keeps the loop going;
    the slots kept five tasks."""
    cluster = loop({"max_attempts": 1, "window": "5s"}, run_seconds="6")
    cluster.run(until=120)
    assert restarts(cluster) > 4 * 5
    per_slot = Counter(t.slot for t in cluster.tasks("s_loop", history=True))
    assert per_slot == {1: 2, 2: 2, 3: 2, 4: 2}


def test_the_window_looks_back_from_the_ended_tasks_own_status_time() -> None:
    """``shouldRestart`` (``restart/restart.go``) counts the restarts within ``Window`` back
    from the task's status timestamp (``AppliedAt``, else ``Timestamp``), not from now. The
    replacement of a crash has run since just after that restart when its node goes down
    at 100 s: its last status is that start, the restart before it lies within 30 s of it,
    and ``max_attempts: 1`` leaves the slot empty. Counted back from now, the restart at
    10 s had left the window and the task was replaced."""
    cluster = SwarmCluster([Node("mgr", 2, "4Gi", role="manager"),
                            *Node.many(2, "wrk", cpu=2, memory="4Gi")], seed=0)
    cluster.deploy_stack("s", {"services": {"web": {"image": "web:1", "deploy": {
        "replicas": 1, "placement": {"constraints": ["node.role==worker"]},
        "restart_policy": {"delay": "0s", "max_attempts": 1, "window": "30s"}}}}})
    cluster.run(until=10)
    cluster.crash_task(cluster.tasks("s_web")[0])
    cluster.run(until=100)
    (running,) = cluster.tasks("s_web")
    assert running.status_timestamp < 10 + 30 < 100
    cluster.fail_node(running.node)
    cluster.run(until=160)
    assert restarts(cluster) == 1 and cluster.tasks("s_web") == []
    (skipped,) = cluster.events.where(reason="RestartSkipped")
    assert skipped.message.startswith(f"{running.id}: not restarted (node {running.node} is down)")


def test_a_removed_service_leaves_no_restart_history() -> None:
    cluster = loop({"max_attempts": 3})
    cluster.run(until=30)
    cluster.remove_service("s_loop")
    cluster.run(until=40)
    assert cluster.orchestrator.restart_history == {}


def test_tasks_named_reads_one_slot_as_a_scan_would() -> None:
    """``tasks_named`` (what the served daemon stamps for an event about ``task/NAME``)
    finds by the slot index what a scan of every task finds, replicated and global."""
    cluster = loop({})
    cluster.deploy_stack("g", {"services": {"agent": {"image": "busybox", "labels": LOOP_LABELS,
                                                      "deploy": {"mode": "global"}}}})
    cluster.run(until=30)
    names = {t.name for t in cluster.tasks(history=True)}
    assert {"s_loop.1", "g_agent.wrk-1"} <= names
    for name in [*sorted(names), "s_loop.9", "nothing.1", "s_loop.01"]:
        assert cluster.tasks_named(name) == [t for t in cluster.tasks(history=True)
                                             if t.name == name]


def test_a_new_spec_version_starts_its_slots_restart_count_afresh() -> None:
    """``recordRestartHistory`` clears an instance's history when the restarted task's
    ``SpecVersion`` differs: past failures do not count against the new definition."""
    cluster = loop({"max_attempts": 1}, replicas=1)
    cluster.run(until=30)
    assert restarts(cluster) == 1
    cluster.update_service("s_loop", image="busybox:2")
    cluster.run(until=90)
    assert restarts(cluster) == 2
    (history,) = cluster.orchestrator.restart_history[cluster.services["s_loop"].id].values()
    assert (history.version, history.total) == (cluster.services["s_loop"].version, 1)


def test_a_crash_loop_keeps_only_the_newest_events(monkeypatch) -> None:
    """The event log of a Swarm in a notebook had grown without limit under a crash loop
    (about 550 events a simulated second for 100 replicas): it keeps the last
    MAX_LOGGED_EVENTS, here lowered to 500 so the loop outgrows it in seconds."""
    monkeypatch.setattr("clustersim.sim.events.MAX_LOGGED_EVENTS", 500)
    cluster = loop({})
    cluster.run(until=120)
    assert 500 <= len(cluster.events) <= 500 + 500 // 8
    assert cluster.events[0].time > 60 and cluster.events[-1].time > 119
    assert restarts(cluster) > 50
