"""The scheduler's NodeInfo, kept current as tasks change (clustersim.swarm.nodeinfo).

``TestAddTask`` and ``TestRemoveTask`` are ported from moby/swarmkit
``manager/scheduler/nodeinfo_test.go``, with their named set of oranges and discrete apples;
the others check the scheduler's side of ``scheduler.go``: a pass reads only the nodes and
the tasks it places, and a node whose machine changed is counted again
(``createOrUpdateNode``).
"""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.swarm import SwarmCluster
from clustersim.swarm.nodeinfo import NodeInfo
from clustersim.swarm.spec import ResourceSpec, ServiceSpec
from clustersim.swarm.tasks import Task, TaskState

RESERVED = ResourceSpec(nano_cpus=5000, memory_bytes=5000,
                        generic=(("apple", 2), ("orange", 1)))
ADVERTISED = ["orange=blue", "orange=red", "orange=green", "apple=6"]
"""TestRemoveTask's node: a named set of oranges and six apples."""
AVAILABLE = [("orange", "blue"), ("orange", "red"), ("apple", 5)]


def task(task_id: str, *, desired: TaskState = TaskState.RUNNING,
         reserved: ResourceSpec = RESERVED) -> Task:
    spec = ServiceSpec("svc", reservations=reserved)
    return Task(task_id, "svc", 1, 1, spec, 0.0, node="n", state=TaskState.RUNNING,
                desired_state=desired)


def node_info(advertised: list[str] | None = None) -> NodeInfo:
    node = Node("n", 1, "1Gi", generic_resources=advertised or ())
    return NodeInfo(node, True, "active", 100000, 1000000, list(AVAILABLE))


def test_add_task_takes_the_reservations_once() -> None:
    """TestAddTask: a new task takes its reservations, its generic ones assigned to it (the
    first orange of the set, two of the five apples); the same id again changes nothing."""
    info = node_info()
    added = task("task3")
    assert info.add_task(added)
    assert not info.add_task(task("task3"))
    assert (info.nano_cpus, info.memory_bytes, info.generic) == (
        95000, 995000, [("orange", "red"), ("apple", 3)])
    assert added.assigned_generic == (("apple", 2), ("orange", "blue"))
    assert (info.active_tasks, info.active_by_service) == (1, {"svc": 1})


def test_remove_task_gives_back_only_what_a_held_task_took() -> None:
    """TestRemoveTask: removing a task the node does not hold is no change; removing a held
    one gives back its reservations and the generic resources it was assigned (its orange
    after the others), and uncounts it."""
    info = node_info(ADVERTISED)
    held = task("task1", reserved=ResourceSpec(5000, 5000, (("apple", 1), ("orange", 1))))
    assert not info.remove_task(held)
    info.tasks[held.id] = (held, True)            # a task the node holds, as the Go test's
    info.active_tasks, info.active_by_service = 1, {"svc": 1}
    held.assigned_generic = (("orange", "green"), ("apple", 1))
    assert info.remove_task(held)
    assert not info.remove_task(task("task3"))
    assert (info.nano_cpus, info.memory_bytes, info.generic) == (
        105000, 1005000, [("orange", "blue"), ("orange", "red"), ("apple", 6),
                          ("orange", "green")])
    assert (info.active_tasks, info.active_by_service, info.tasks) == (0, {}, {})


def test_a_node_that_advertises_no_generic_resource_takes_none_back() -> None:
    """removeTask returns before ``Reclaim`` when the node's description has no generic
    resources: the task's CPU and memory come back, its generic resources do not."""
    info = node_info()
    held = task("t")
    info.add_task(held)
    assert info.remove_task(held)
    assert (info.nano_cpus, info.memory_bytes, info.generic) == (
        100000, 1000000, [("orange", "red"), ("apple", 3)])


def test_a_held_task_told_to_stop_leaves_the_active_counts_but_keeps_its_reservations() -> None:
    """addTask of a task the node holds: only a desired state crossing RUNNING changes the
    counts (the resources stay taken until the task ends)."""
    info = node_info()
    info.add_task(task("t"))
    assert info.add_task(task("t", desired=TaskState.SHUTDOWN))
    assert (info.active_tasks, info.active_by_service) == (0, {})
    assert info.nano_cpus == 95000
    assert not info.add_task(task("t", desired=TaskState.REMOVE))
    assert info.add_task(task("t"))
    assert (info.active_tasks, info.active_by_service) == (1, {"svc": 1})


def stack(replicas: int, cpus: str = "0") -> dict[str, object]:
    return {"services": {"web": {"image": "web", "deploy": {
        "replicas": replicas, "resources": {"reservations": {"cpus": cpus}}}}}}


def test_a_pass_reads_only_the_tasks_it_places(monkeypatch: pytest.MonkeyPatch) -> None:
    """With 300 tasks running, scaling up by one changes one node's NodeInfo for one task:
    no pass counts the running tasks again."""
    cluster = SwarmCluster(Node.many(3, "n", cpu=4, memory="8Gi",
                                     role=lambda i: "manager" if i == 1 else "worker"), seed=0)
    cluster.deploy_stack("s", stack(300))
    cluster.run()
    seen: set[str] = set()
    add_task = NodeInfo.add_task

    def counting(info: NodeInfo, task: Task) -> bool:
        seen.add(task.id)
        return add_task(info, task)

    monkeypatch.setattr(NodeInfo, "add_task", counting)
    cluster.scale("s_web", 301)
    cluster.run()
    assert seen == {t.id for t in cluster.tasks("s_web") if t.slot == 301}


def test_a_node_given_more_cpu_takes_more_tasks() -> None:
    """createOrUpdateNode: a node whose capacity changed has its free resources computed
    again from its tasks' reservations, at the next pass."""
    cluster = SwarmCluster([Node("n", 2, "4Gi", role="manager")], seed=0)
    cluster.deploy_stack("s", stack(4, cpus="1"))
    cluster.run()
    assert sum(t.state == TaskState.RUNNING for t in cluster.tasks("s_web")) == 2
    node = cluster.node_record("n").node
    node.cpu = Node("n", 3, "4Gi").cpu   # the cluster's own copy of the machine grows
    cluster.scale("s_web", 5)
    cluster.run()
    assert sum(t.state == TaskState.RUNNING for t in cluster.tasks("s_web")) == 3
    assert cluster.tasks("s_web")[-1].error.startswith("no suitable node (insufficient")
