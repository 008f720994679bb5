"""The swarm's task indexes (clustersim.swarm.taskindex) always agree with a scan of every
task (by service ID, node and slot, the PENDING ones, the tasks in flight), whatever happens
to the services, the nodes and the containers (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import Node
from clustersim.swarm import SwarmCluster
from clustersim.swarm.tasks import Task, TaskState

operations = st.lists(st.tuples(
    st.sampled_from(["fail", "recover", "drain", "active", "crash", "scale", "update", "rm",
                     "global", "replicated", "broken-image", "label", "constrain"]),
    st.integers(0, 3), st.floats(0.0, 20.0)), min_size=1, max_size=12)


def scanned_busy(cluster: SwarmCluster) -> bool:
    """``busy()`` as a scan of every task (the simulator's rule before the indexes)."""
    if cluster._tick_pending or any(s.update_state in ("updating", "rollback_started")
                                    for s in cluster.services.values()):
        return True
    for task in cluster._tasks.values():
        if task.state.terminal or task.state == TaskState.NEW or cluster.node_down(task.node):
            continue        # a task left NEW waits for the allocator
        if task.desired_state != TaskState.RUNNING:
            return True
        if task.state < TaskState.RUNNING and not (task.state == TaskState.PENDING and task.err):
            return True
        if task.state >= TaskState.STARTING and cluster.image_behaviour(task.spec.image):
            return True
    return any(record.status == "ready" and not cluster.machine_alive(name)
               for name, record in cluster._nodes.items())


def assert_index_agrees(cluster: SwarmCluster) -> None:
    every = list(cluster._tasks.values())
    services = {t.service for t in every} | {"nothing"}
    for service in services:     # the current service's tasks; none: the removed ones'
        current = cluster.services.get(service)
        assert cluster.service_tasks(service) == [
            t for t in every if (t.service_id == current.id if current else t.service == service)]
    for node in cluster.node_names():
        assert cluster.tasks_on(node) == [t for t in every if t.node == node]
    for task in every:
        same_slot = [t for t in every if t.service_id == task.service_id and (
            t.slot == task.slot if task.slot else t.node == task.node)]
        assert cluster.slot_tasks(task) == same_slot
    assert cluster._index.pending() == [t for t in every if t.state == TaskState.PENDING]
    assert cluster.busy() == scanned_busy(cluster)


def stack(mode: str, replicas: int) -> dict[str, object]:
    deploy: dict[str, object] = {"mode": mode}
    if mode == "replicated":
        deploy["replicas"] = replicas
    return {"services": {"web": {"image": "web", "deploy": deploy,
                                 "healthcheck": {"disable": True}}}}


@settings(max_examples=30, deadline=None)
@given(operations, st.integers(0, 2**16))
def test_indexes_agree_with_a_scan(ops: list[tuple[str, int, float]], seed: int) -> None:
    cluster = SwarmCluster([Node("m", 2, "4Gi", role="manager"),
                            *Node.many(3, "w", cpu=1, memory="2Gi")], seed=seed)
    cluster.deploy_stack("s", stack("replicated", 3))
    names = cluster.node_names()
    for op, index, pause in ops:
        node = names[index]
        has_web = "s_web" in cluster.services
        if op == "fail" and index:     # the manager stays: the swarm keeps its leader
            cluster.fail_node(node)
        elif op == "recover":
            cluster.recover_node(node)
        elif op in ("drain", "active"):
            cluster.update_node(node, availability=op)
        elif op == "label":
            cluster.update_node(node, labels={"zone": str(index)})
        elif op == "crash":
            for task in cluster.tasks_on(node):
                cluster.crash_task(task)
        elif op == "scale" and has_web and cluster.services["s_web"].spec.mode == "replicated":
            cluster.scale("s_web", index * 2)
        elif op == "update" and has_web:
            cluster.update_service("s_web", image=f"web:{index}")
        elif op == "rm" and has_web:
            cluster.remove_service("s_web")
        elif op in ("global", "replicated") and not has_web:
            cluster.deploy_stack("s", stack(op, index + 1))   # a new service, the old name
        elif op == "constrain" and has_web:     # no node may fit: tasks wait with an error
            cluster.update_service("s_web", constraints=[f"node.labels.zone=={index}"])
        elif op == "broken-image":
            cluster.fail_image(f"web:{index}", after=1.0)
        cluster.run(until=cluster.clock.now + pause)
        assert_index_agrees(cluster)


def test_the_reaper_keeps_the_history_limit_per_slot() -> None:
    """Five crashes of one replica leave the slot with at most five tasks, found by its
    index."""
    cluster = SwarmCluster([Node("m", 2, "4Gi", role="manager")], seed=0)
    cluster.deploy_stack("s", stack("replicated", 1))
    cluster.run()
    for _ in range(8):
        task: Task = cluster.tasks("s_web")[0]
        cluster.crash_task(task)
        cluster.run()
    slot = cluster.slot_tasks(cluster.tasks("s_web")[0])
    assert len(slot) == 5
    assert slot == [t for t in cluster.tasks("s_web", history=True) if t.slot == 1]
