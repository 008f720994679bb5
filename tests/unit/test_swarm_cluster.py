"""SwarmCluster: tasks and states, replicated and global services, restart policy, node
failure, drain and pause, the constraint enforcer, and readable errors.

Expected behaviour follows moby/swarmkit (``manager/orchestrator/replicated``, ``global``,
``restart/restart.go``, ``constraintenforcer``, ``manager/dispatcher``) and the Docker docs
cited in :mod:`clustersim.swarm`.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from clustersim import Node
from clustersim.manifests import ManifestError
from clustersim.sim import Snapshot
from clustersim.swarm import SwarmCluster, SwarmError, TaskState


def swarm(seed: int = 0, workers: int = 3) -> SwarmCluster:
    nodes = [*Node.many(3, "mgr", cpu=2, memory="4Gi", role="manager"),
             *Node.many(workers, "wrk", cpu=2, memory="4Gi")]
    return SwarmCluster(nodes, seed=seed)


def stack(**services) -> dict:
    return {"services": {name: {"image": f"{name}:1", **body} for name, body in services.items()}}


def by_node(cluster: SwarmCluster, service: str) -> Counter:
    return Counter(t.node for t in cluster.tasks(service) if t.state == "running")


def test_a_task_goes_through_swarmkit_states_in_order() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={}))
    cluster.run(until=10)
    (task,) = cluster.tasks("s_web")
    assert [state for _, state in task.history] == [
        "NEW", "PENDING", "ASSIGNED", "ACCEPTED", "PREPARING", "READY", "STARTING", "RUNNING"]
    assert task.state == TaskState.RUNNING and task.state == "running"
    assert task.message == "started" and task.name == "s_web.1"


def test_a_mount_the_nodes_executor_refuses_rejects_its_tasks() -> None:
    """moby's executor checks a task's mounts when the agent resolves its controller
    (``validate.go``, ``validateMounts``): a relative target rejects the task from ASSIGNED,
    "resolving controller failed", and the orchestrator tries again; the simulator ran it.
    A bind's relative source is made absolute by the CLI (here against ``/``: ``./tmp`` is
    ``/tmp``, which every node has, :mod:`clustersim.hostpaths`), so that service runs."""
    cluster = swarm()
    cluster.deploy_stack("s", {**stack(web={"volumes": ["data:relative"]},
                                       files={"volumes": ["./tmp:/srv", "/srv/db"]}),
                               "volumes": {"data": None}})
    cluster.run(until=60)
    tasks = [t for t in cluster.tasks("s_web", history=True) if t.state.terminal]
    assert len(tasks) >= 2 and {t.state for t in tasks} == {TaskState.REJECTED}
    assert [state for _, state in tasks[0].history] == ["NEW", "PENDING", "ASSIGNED", "REJECTED"]
    assert {(t.message, t.error) for t in tasks} == {
        ("resolving controller failed", "invalid mount target, must be an absolute path: "
                                        "relative")}
    assert [t.state for t in cluster.tasks("s_files")] == [TaskState.RUNNING]


def test_replicas_spread_one_per_node() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 6}}))
    cluster.run(until=10)
    assert sorted(by_node(cluster, "s_web").values()) == [1] * 6


def test_pending_reason_then_placed_when_a_node_gets_the_label() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(db={"deploy": {"placement": {
        "constraints": ["node.labels.ssd == true"]}}}))
    cluster.run(until=10)
    (task,) = cluster.tasks("s_db")
    assert task.state == "pending" and task.node is None
    assert task.err == "no suitable node (scheduling constraints not satisfied on 6 nodes)"
    assert cluster.events.where(reason="Pending", type="Warning")
    cluster.update_node("wrk-2", labels={"ssd": "true"})
    cluster.run(until=20)
    assert task.state == "running" and task.node == "wrk-2"


def test_global_service_follows_nodes() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(agent={"deploy": {"mode": "global", "placement": {
        "constraints": ["node.role == worker"]}}}))
    cluster.run(until=10)
    assert by_node(cluster, "s_agent") == {"wrk-1": 1, "wrk-2": 1, "wrk-3": 1}
    assert {t.name for t in cluster.tasks("s_agent")} == {
        "s_agent.wrk-1", "s_agent.wrk-2", "s_agent.wrk-3"}
    cluster.update_node("wrk-1", availability="pause")
    cluster.run(until=15)
    assert by_node(cluster, "s_agent")["wrk-1"] == 1  # pause keeps the task
    cluster.update_node("wrk-2", availability="drain")
    cluster.run(until=20)
    assert by_node(cluster, "s_agent") == {"wrk-1": 1, "wrk-3": 1}
    cluster.update_node("wrk-2", availability="active")
    cluster.run(until=30)
    assert by_node(cluster, "s_agent") == {"wrk-1": 1, "wrk-2": 1, "wrk-3": 1}


def test_global_task_pending_when_resources_do_not_fit() -> None:
    cluster = swarm()
    cluster.deploy_stack("t", stack(hog={"deploy": {"placement": {
        "constraints": ["node.hostname == wrk-3"]}, "resources": {"reservations": {
            "memory": "2G"}}}}))
    cluster.run(until=5)
    cluster.deploy_stack("s", stack(big={"deploy": {"mode": "global", "resources": {
        "reservations": {"memory": "3G"}}}}))
    cluster.run(until=15)
    (pending,) = [t for t in cluster.tasks("s_big") if t.state == "pending"]
    assert pending.node == "wrk-3"
    assert pending.err == "no suitable node (insufficient resources on 1 node)"
    assert len(by_node(cluster, "s_big")) == 5


def restart_stack(policy: dict) -> dict:
    return stack(job={"deploy": {"restart_policy": policy}})


def test_restart_on_failure_waits_for_the_delay() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", restart_stack({"condition": "on-failure", "delay": "5s"}))
    cluster.run(until=10)
    (first,) = cluster.tasks("s_job")
    assert cluster.crash_task(first, exit_code=1)
    assert first.state == "failed" and first.err == "task: non-zero exit (1)"
    (second,) = cluster.tasks("s_job")
    assert second.slot == first.slot and second.id != first.id
    cluster.run(until=14)
    assert second.state == "ready"  # prepared, waiting for the restart delay
    cluster.run(until=20)
    assert second.state == "running" and 15.0 <= second.started <= 15.6


def test_on_failure_does_not_restart_a_clean_exit_but_any_does() -> None:
    for condition, restarted in [("on-failure", False), ("any", True), ("none", False)]:
        cluster = swarm()
        cluster.deploy_stack("s", restart_stack({"condition": condition}))
        cluster.run(until=10)
        cluster.crash_task(cluster.tasks("s_job")[0], exit_code=0)
        cluster.run(until=30)
        assert (len(cluster.tasks("s_job")) == 1) is restarted, condition


def test_max_attempts_and_window() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", restart_stack({"condition": "any", "delay": "1s",
                                              "max_attempts": 2}))
    cluster.fail_image("job:1", after=1.0)
    cluster.run(until=60)
    history = cluster.tasks("s_job", history=True)
    assert len(history) == 3 and not cluster.tasks("s_job")
    # Each task runs 20 s before it fails; a restart happens 5 + 1.6 s after a failure.
    for window, restarts in [("10s", None), ("60s", 1)]:
        windowed = swarm()
        windowed.deploy_stack("s", restart_stack({"condition": "any", "max_attempts": 1,
                                                   "window": window}))
        windowed.fail_image("job:1", after=20.0)
        windowed.run(until=300)
        made = len(windowed.events.where(reason="Restart"))
        if restarts is None:
            assert made >= 8  # every restart is older than the 10 s window at the next failure
        else:
            assert made == restarts


def test_node_failure_is_detected_after_the_heartbeat_grace_period() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 6}}))
    cluster.run(until=10)
    (lost,) = [t for t in cluster.tasks("s_web") if t.node == "wrk-1"]
    cluster.fail_node("wrk-1")
    cluster.run(until=19.9)
    assert not cluster.events.where(reason="NodeDown")
    assert lost.state == "running"  # the managers do not know yet
    cluster.run(until=40)
    (down,) = cluster.events.where(reason="NodeDown")
    assert 20.0 <= down.time <= 25.0 and down.message == "heartbeat failure"
    assert lost.state == "running" and lost.desired_state == "shutdown"
    running = by_node(cluster, "s_web")
    assert sum(running.values()) == 6 and "wrk-1" not in running
    replacement = next(t for t in cluster.tasks("s_web") if t.slot == lost.slot)
    assert replacement.started >= down.time + 5.0  # restart delay 5 s
    cluster.recover_node("wrk-1")
    cluster.run(until=60)
    assert lost.state == "shutdown"
    assert "wrk-1" not in by_node(cluster, "s_web")  # Swarm does not rebalance


def test_task_history_is_limited_to_five_per_slot() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", restart_stack({"condition": "any", "delay": "1s"}))
    cluster.fail_image("job:1", after=1.0)
    cluster.run(until=120)
    history = cluster.tasks("s_job", history=True)
    assert len(history) == 5 and len(cluster.events.where(reason="Restart")) > 10
    assert sum(1 for t in history if not t.state.terminal) == 1


def test_tasks_left_on_a_down_node_are_orphaned_after_24_hours() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 6}}))
    cluster.run(until=10)
    (lost,) = [t for t in cluster.tasks("s_web") if t.node == "wrk-3"]
    cluster.fail_node("wrk-3")
    cluster.run(until=24 * 3600 + 60)
    assert lost.state == "orphaned"


def test_restart_condition_none_leaves_a_failed_nodes_tasks_down() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 6, "restart_policy": {
        "condition": "none"}}}))
    cluster.run(until=10)
    cluster.fail_node("wrk-1")
    cluster.run(until=60)
    assert sum(by_node(cluster, "s_web").values()) == 5


def test_drain_moves_tasks_without_restart_delay() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 6}}))
    cluster.run(until=10)
    (old,) = [t for t in cluster.tasks("s_web") if t.node == "mgr-1"]
    cluster.update_node("mgr-1", availability="drain")
    cluster.run(until=20)
    assert old.state == "shutdown"
    new = next(t for t in cluster.tasks("s_web") if t.slot == old.slot)
    assert new.node != "mgr-1" and new.started < 14.0
    assert "mgr-1" not in by_node(cluster, "s_web")


def test_constraint_enforcer_rejects_tasks_when_labels_change() -> None:
    nodes = [Node("m", 2, "4Gi", role="manager", labels={"tier": "web"}),
             Node("w1", 2, "4Gi", labels={"tier": "web"}), Node("w2", 2, "4Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 2, "placement": {
        "constraints": ["node.labels.tier == web"]}}}))
    cluster.run(until=10)
    (on_w1,) = [t for t in cluster.tasks("s_web") if t.node == "w1"]
    cluster.update_node("w1", labels={})
    cluster.run(until=30)
    assert on_w1.state == "rejected"
    assert on_w1.err == "assigned node no longer meets constraints"
    assert by_node(cluster, "s_web") == {"m": 2}


def test_scale_down_removes_from_the_busiest_node() -> None:
    cluster = SwarmCluster([Node("m", 4, "8Gi", role="manager"), Node("w", 4, "8Gi")], seed=3)
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 4}}))
    cluster.run(until=10)
    cluster.update_node("w", availability="drain")
    cluster.run(until=20)
    cluster.update_node("w", availability="active")
    cluster.scale("s_web", 6)
    cluster.run(until=30)
    assert by_node(cluster, "s_web") == {"m": 4, "w": 2}
    cluster.scale("s_web", 4)
    cluster.run(until=40)
    assert by_node(cluster, "s_web") == {"m": 2, "w": 2}


def test_same_seed_same_run() -> None:
    def run(seed: int) -> list[tuple]:
        cluster = swarm(seed)
        cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 4}}))
        cluster.run(until=10)
        cluster.fail_node("wrk-2")
        cluster.run(until=60)
        return [(e.time, e.object, e.reason, e.message) for e in cluster.events]
    assert run(7) == run(7)


def test_snapshot_shape() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 2, "resources": {
        "reservations": {"cpus": "0.5", "memory": "256M"}}}}))
    cluster.run(until=10)
    cluster.fail_node("wrk-3")
    snap = cluster.snapshot()
    assert isinstance(snap, Snapshot) and snap.system == "swarm" and snap.time == 10
    assert {n.name: n.status for n in snap.nodes}["wrk-3"] == "Failed"
    assert sum(n.cpu_used for n in snap.nodes) == pytest.approx(1.0)
    assert sum(n.memory_used for n in snap.nodes) == 2 * 256 * 2**20
    assert all(t.owner == "s_web" and t.ready for t in snap.tasks)


def test_readable_errors() -> None:
    cluster = swarm()
    with pytest.raises(ManifestError, match="expected one operator from ==, !="):
        cluster.deploy_stack("s", stack(web={"deploy": {"placement": {
            "constraints": ["node=foo"]}}}))
    with pytest.raises(ManifestError, match="replicas"):
        cluster.deploy_stack("s", stack(web={"deploy": {"replicas": "many"}}))
    with pytest.raises(ManifestError, match="condition"):
        cluster.deploy_stack("s", restart_stack({"condition": "always"}))
    with pytest.raises(ManifestError, match="duration"):
        cluster.deploy_stack("s", restart_stack({"delay": "soon"}))
    with pytest.raises(ManifestError, match='service web: undefined secret "db_password"'):
        cluster.deploy_stack("s", stack(web={"secrets": ["db_password"]}))
    assert cluster.ls() == []     # docker stack deploy creates no service either
    with pytest.raises(SwarmError, match="service 'nope' not found"):
        cluster.scale("nope", 2)
    with pytest.raises(SwarmError, match="node 'nope' not found"):
        cluster.fail_node("nope")
    with pytest.raises(SwarmError, match="availability"):
        cluster.update_node("wrk-1", availability="off")
    with pytest.raises(ValueError, match="at least one node"):
        SwarmCluster([])


def test_without_a_manager_the_first_node_inits_the_swarm() -> None:
    cluster = SwarmCluster(Node.many(2, cpu=1, memory="1Gi"))
    assert cluster.leader == "node-1" and cluster.events.where(reason="NodePromoted")
    assert cluster.node_record("node-1").node.role == "manager"


def test_remove_stack_and_ps() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 2}}))
    cluster.run(until=10)
    rows = cluster.ps("s_web")
    assert [r["current"] for r in rows] == ["Running 8 seconds ago"] * 2
    cluster.remove_stack("s")
    # swarmkit marks the removed service's tasks REMOVE; they are listed until their agents
    # have stopped them, then the task reaper deletes them (task_reaper.go): the simulator
    # kept them, and with them the history of every service ever removed
    assert {(t.desired_state, t.state) for t in cluster.tasks("s_web", history=True)} == {
        ("REMOVE", "RUNNING")}
    cluster.run(until=20)
    assert not cluster.services and not cluster.tasks(history=True)
    with pytest.raises(SwarmError, match="service 's_web' not found"):
        cluster.ps("s_web")


def test_the_task_reaper_deletes_a_removed_services_history_and_scaled_down_slots() -> None:
    """swarmkit marks every task of a removed service REMOVE, ended ones too
    (``SetServiceTasksRemove``), and a scale-down the removed slots' tasks; the task reaper
    deletes a REMOVE task once it has ended (task_reaper.go). The ended tasks of an update
    stayed in the history of a removed service, and the scaled-down slots' tasks in ps."""
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 3}}, db={}))
    cluster.run(until=10)
    cluster.update_service("s_db", image="db:2")
    cluster.scale("s_web", 1)
    cluster.run(until=60)
    assert len(cluster.tasks("s_web", history=True)) == 1
    assert len(cluster.ps("s_web")) == 1
    assert [(t.spec.image, t.desired_state, t.state)
            for t in cluster.tasks("s_db", history=True)] == [
        ("db:1", "SHUTDOWN", "SHUTDOWN"), ("db:2", "RUNNING", "RUNNING")]
    cluster.remove_service("s_db")
    assert [(t.spec.image, t.desired_state, t.state)       # the ended one at once
            for t in cluster.tasks("s_db", history=True)] == [("db:2", "REMOVE", "RUNNING")]
    cluster.run(until=70)
    assert {t.service for t in cluster.tasks(history=True)} == {"s_web"}


def test_the_task_reaper_deletes_by_status_timestamp_and_keeps_what_may_still_run() -> None:
    """swarmkit's reaper sorts a slot's tasks by their status timestamps
    (``orchestrator.TasksByTimestamp`` in ``task_reaper.go``'s ``tick``), not by creation,
    and never deletes a task that has not ended and may still run. The first task, on a
    node that went down, stays RUNNING (not deletable) while three replacements fail; its
    node reports it shut down only when it comes back, so it is the slot's newest ended
    task then and the next deletion takes the replacement that failed first. The reaper
    deleted the first task, as the oldest created."""
    cluster = SwarmCluster([Node("mgr", 2, "4Gi", role="manager"),
                            *Node.many(2, "wrk", cpu=2, memory="4Gi")], seed=0)
    cluster.deploy_stack("s", stack(web={"deploy": {
        "replicas": 1, "placement": {"constraints": ["node.role==worker"]}}}))
    cluster.run(until=10)
    (first,) = cluster.tasks("s_web")
    cluster.fail_node(first.node)
    cluster.run(until=60)
    for _ in range(3):
        cluster.crash_task(cluster.tasks("s_web")[0])
        cluster.run(until=cluster.clock.now + 20)
    assert first.state == TaskState.RUNNING and first.desired_state == TaskState.SHUTDOWN
    cluster.recover_node(first.node)
    cluster.run(until=cluster.clock.now + 20)
    slot = cluster.tasks("s_web", history=True)
    assert len(slot) == 5 and first.state == TaskState.SHUTDOWN
    ended = sorted((t for t in slot if t.state.terminal), key=lambda t: t.status_timestamp)
    assert ended[-1] is first and min(slot, key=lambda t: t.created) is first
    cluster.crash_task(cluster.tasks("s_web")[0])
    cluster.run(until=cluster.clock.now + 20)
    kept = cluster.tasks("s_web", history=True)
    assert len(kept) == 5
    assert first in kept and ended[0] not in kept


def test_the_task_reaper_trims_a_slot_when_a_task_is_created_in_it() -> None:
    """The reaper looks at a slot when a task is created in it (``EventCreateTask`` marks
    it dirty, ``task_reaper.go``). A slot with four ended tasks whose running one's node
    goes down gets a replacement while that task still counts as running: five tasks
    before, five after. The slot held six until one of its tasks ended."""
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 1}}))
    cluster.run(until=10)
    for _ in range(4):
        cluster.crash_task(cluster.tasks("s_web")[0])
        cluster.run(until=cluster.clock.now + 20)
    assert len(cluster.tasks("s_web", history=True)) == 5
    (running,) = cluster.tasks("s_web")
    cluster.fail_node(running.node)
    cluster.run(until=cluster.clock.now + 30)
    slot = cluster.tasks("s_web", history=True)
    assert running in slot and running.state == TaskState.RUNNING
    assert len(slot) == 5 and len(cluster.tasks("s_web")) == 1


def test_a_service_created_again_under_a_removed_ones_name_has_only_its_own_tasks() -> None:
    """Tasks belong to a service ID (swarmkit's ``Task.ServiceID``): a service removed and
    created again under its name is a new service. ``tasks(history=True)`` and ``ps`` showed
    the removed service's tasks with the new one's, and its slots mixed them."""
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 2}}))
    cluster.run(until=10)
    first = cluster.services["s_web"].id
    removed = {t.id for t in cluster.tasks("s_web", history=True)}
    cluster.remove_stack("s")
    assert {t.id for t in cluster.tasks("s_web", history=True)} == removed  # until reaped
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 1}}))
    cluster.run(until=30)
    again = cluster.services["s_web"]
    tasks = cluster.tasks("s_web", history=True)
    assert again.id != first
    assert [(t.state, t.service_id) for t in tasks] == [("RUNNING", again.id)]
    assert not removed & {t.id for t in tasks}
    assert [r["id"] for r in cluster.ps("s_web")] == [tasks[0].id[:12]]


def test_a_service_created_again_starts_with_no_restart_history() -> None:
    """The restart supervisor counts a slot's restarts per service: the removed service's
    used up the new one's ``max_attempts`` (the history was kept by name and slot)."""
    cluster = swarm()
    cluster.fail_image("job:1", after=1.0)
    policy = {"condition": "any", "delay": "1s", "max_attempts": 1}
    for until in (60, 120):
        cluster.deploy_stack("s", restart_stack(policy))
        cluster.run(until=until)
        service = cluster.services["s_job"]
        assert len(cluster.tasks("s_job", history=True)) == 2     # the first and one restart
        assert {t.service_id for t in cluster.tasks("s_job", history=True)} == {service.id}
        cluster.remove_stack("s")


def test_service_mode_change_is_refused() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={}))
    with pytest.raises(SwarmError, match="service mode change is not allowed"):
        cluster.deploy_stack("s", stack(web={"deploy": {"mode": "global"}}))


def test_placement_only_change_keeps_tasks_whose_node_still_matches() -> None:
    """IsTaskDirtyPlacementConstraintsOnly: tasks stay where the new constraints allow."""
    nodes = [Node("m", 2, "4Gi", role="manager", labels={"disk": "ssd"}),
             Node("w1", 2, "4Gi", labels={"disk": "ssd"}), Node("w2", 2, "4Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 3}}))
    cluster.run(until=10)
    before = {t.node: t.id for t in cluster.tasks("s_web")}
    cluster.update_service("s_web", constraints=["node.labels.disk==ssd"])
    cluster.run(until=40)
    current = {t.id: t.node for t in cluster.tasks("s_web")}
    assert before["m"] in current and before["w1"] in current  # untouched
    assert "w2" not in current.values() and sum(by_node(cluster, "s_web").values()) == 3


def test_constraint_enforcer_rejects_global_tasks_too() -> None:
    nodes = [Node("m", 2, "4Gi", role="manager"), Node("w", 2, "4Gi", labels={"mon": "yes"})]
    cluster = SwarmCluster(nodes, seed=0)
    cluster.deploy_stack("s", stack(agent={"deploy": {"mode": "global", "placement": {
        "constraints": ["node.labels.mon==yes"]}}}))
    cluster.run(until=10)
    (task,) = cluster.tasks("s_agent")
    cluster.update_node("w", labels={"mon": "no"})
    cluster.run(until=20)
    assert (task.state, task.message, task.err) == (
        "rejected", "task rejected by constraint enforcer",
        "assigned node no longer meets constraints")
    assert not cluster.tasks("s_agent")


def test_global_job_that_finished_is_not_started_again() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", stack(init={"deploy": {"mode": "global", "restart_policy": {
        "condition": "on-failure"}}}))
    cluster.fail_image("init:1", after=3.0, exit_code=0)
    cluster.run(until=30)
    cluster.update_node("wrk-1", availability="pause")
    cluster.update_node("wrk-1", availability="active")
    cluster.run(until=60)
    history = cluster.tasks("s_init", history=True)
    assert len(history) == 6 and all(t.state == "complete" for t in history)


def test_package_docstring_example_runs() -> None:
    import doctest

    import clustersim.swarm

    assert doctest.testmod(clustersim.swarm).failed == 0


@pytest.mark.parametrize(("name", "words"), [
    ("<b>x</b>", "'<b>x</b>_web' cannot be created: name must be valid as a DNS name component"),
    ("../x", "'../x_web' cannot be created: name must be valid as a DNS name component"),
    ("a" * 300, "name must be 63 characters or fewer"),
    ("' '", "invalid stack name"),
    (5, "invalid stack name: 5"),
])
def test_a_stack_name_swarmkit_would_not_take_is_refused(name, words) -> None:
    """deploy_stack had created services named '<b>x</b>_web' and 300 characters long, which
    the served API (swarmkit's validateAnnotations) and docker stack deploy refuse."""
    cluster = swarm()
    with pytest.raises(SwarmError, match=re.escape(words)):
        cluster.deploy_stack(name, stack(web={"image": "nginx:1.27"}))
    assert cluster.services == {}


def test_tasks_by_service_id_reads_one_services_tasks_as_the_store_holds_them() -> None:
    """The store's ``ByServiceID`` lookup (what a followed ``docker service logs`` reads
    every 0.1 s): a service's tasks, ended ones too, oldest first, the same tasks a walk of
    the whole store finds for that ID; a removed service's stay under its ID until the reaper
    deletes them, and a later service of its name has its own."""
    cluster = swarm()
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 3}}, db={}))
    cluster.run(until=10)
    cluster.update_service("s_db", image="db:2")
    cluster.run(until=60)
    for name in ("s_web", "s_db"):
        service_id = cluster.services[name].id
        assert cluster.tasks_by_service_id(service_id) == [
            t for t in cluster.tasks(history=True) if t.service_id == service_id]
    old = cluster.services["s_db"].id
    assert [t.spec.image for t in cluster.tasks_by_service_id(old)] == ["db:1", "db:2"]
    cluster.remove_service("s_db")
    cluster.deploy_stack("s", stack(web={"deploy": {"replicas": 3}}, db={}))
    assert [t.desired_state for t in cluster.tasks_by_service_id(old)] == ["REMOVE"]
    assert cluster.services["s_db"].id != old
    cluster.run(until=120)
    assert cluster.tasks_by_service_id(old) == []
    assert cluster.tasks_by_service_id("no-such-id") == []


def test_a_new_swarm_after_leaving_keeps_only_the_machine() -> None:
    """``docker swarm init`` on a node that left (``SwarmCluster.new_swarm``): that machine
    alone, the manager and leader, no services or node labels, its clock going on from the
    old swarm's, and new IDs for its tasks and for a service of a name used before."""
    from clustersim import Node
    from clustersim.swarm import SwarmCluster

    old = SwarmCluster([Node("m", 4, "8Gi", role="manager", labels={"disk": "ssd"}),
                        Node("w", 4, "8Gi")], seed=0)
    stack = {"services": {"web": {"image": "nginx", "deploy": {"replicas": 2}}}}
    old.deploy_stack("s", stack)
    old.run(until=10)
    new = old.new_swarm("m")
    assert (new.clock.now, new.node_names(), new.leader, new.services) == (10.0, ["m"], "m", {})
    assert new.node_record("m").node.labels == {}
    new.deploy_stack("s", stack)
    new.run(until=20)
    assert new.services["s_web"].id != old.services["s_web"].id
    assert not {t.id for t in new.tasks("s_web")} & {t.id for t in old.tasks("s_web")}
    assert [t.state for t in new.tasks("s_web")] == ["running", "running"]
