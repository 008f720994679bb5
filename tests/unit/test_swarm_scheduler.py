"""The swarmkit scheduler: spread, preferences, failures and filter explanations.

Cases are ported from moby/swarmkit ``manager/scheduler/scheduler_test.go``: ``testHA``
(18 + 2 + 3 + 1 tasks over 5 nodes), ``testPreferences`` (8 tasks over az1 with one node and
az2 with four), ``testMultiplePreferences`` (12 tasks, az then rack, with memory and generic
resource reservations), ``TestMultiplePreferencesScaleUp``, ``TestSchedulerFaultyNode``
and the ``no suitable node (...)`` explanations of ``filter.go``/``pipeline.go``; and
``manager/scheduler/nodeset_test.go`` (``TestTreeTaskCountConsistency``).
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from clustersim import Node
from clustersim.swarm.constraints import parse_constraint
from clustersim.swarm.scheduler import NodeInfo, Scheduler, node_key
from clustersim.swarm.spec import PortConfig, ResourceSpec, ServiceSpec
from clustersim.swarm.tasks import Task, TaskState


def info(name: str, *, labels=None, cpus=0, memory=0, generic=None, running=None,
         ready=True, availability="active", role="worker") -> NodeInfo:
    """A node as the scheduler sees it; ``running`` = {service: active task count}."""
    node = Node(name, 1, "1Gi", labels=labels or {}, role=role)
    result = NodeInfo(node, ready, availability, cpus, memory, list((generic or {}).items()))
    for service, count in (running or {}).items():
        for task in make_tasks(ServiceSpec(service), count, prefix=f"run-{name}"):
            result.add_task(task)
    return result


def make_tasks(spec: ServiceSpec, count: int, prefix: str = "t", version: int = 1) -> list[Task]:
    return [Task(f"{prefix}-{spec.name}-{i}", spec.name, i + 1, version, spec, 0.0,
                 state=TaskState.PENDING) for i in range(count)]


def schedule(spec: ServiceSpec, infos: list[NodeInfo], count: int, seed: int = 0,
             scheduler: Scheduler | None = None) -> tuple[Counter, str]:
    scheduler = scheduler or Scheduler(random.Random(seed))
    decisions, reason = scheduler.schedule_group(make_tasks(spec, count), infos, 0.0)
    return Counter(decisions.values()), reason


def test_ha_spreads_evenly_then_fills_least_loaded() -> None:
    """testHA: 18 tasks on 5 nodes → three nodes with 4 and two with 3; a second service's 2
    tasks go to the nodes with 3; scaling the first by 3 covers those two and one more."""
    for seed in range(5):
        infos = [info(f"id{i}") for i in range(1, 6)]
        s1, s2 = ServiceSpec("service1"), ServiceSpec("service2")
        scheduler = Scheduler(random.Random(seed))
        t1, _ = schedule(s1, infos, 18, scheduler=scheduler)
        assert sorted(t1.values()) == [3, 3, 4, 4, 4]
        t2, _ = schedule(s2, infos, 2, scheduler=scheduler)
        assert all(t1[node] == 3 for node in t2)
        more = Counter(scheduler.schedule_group(make_tasks(s1, 3, prefix="m"), infos, 0.0)[0]
                       .values())
        assert max(more.values()) == 1
        assert sum(1 for node in more if node in t2) == 2
        t1.update(more)
        assert sorted(t1.values()) == [4, 4, 4, 4, 5]
        last, _ = schedule(s2, infos, 1, scheduler=scheduler)
        (node,) = last
        assert node not in t2 and t1[node] != 5


def test_preferences_split_between_label_values_first() -> None:
    """testPreferences: az1 has 1 node, az2 has 4 → 4 tasks on id1, 1 on each az2 node."""
    for seed in range(5):
        infos = [info("id1", labels={"az": "az1"})] + [
            info(f"id{i}", labels={"az": "az2"}) for i in range(2, 6)]
        spec = ServiceSpec("service1", preferences=("node.labels.az",))
        counts, reason = schedule(spec, infos, 8, seed)
        assert counts == {"id1": 4, "id2": 1, "id3": 1, "id4": 1, "id5": 1}
        assert reason == ""


def test_multiple_preferences_with_reservations() -> None:
    """testMultiplePreferences: id0 has no room, id1 takes only 5 of az1's 6; the other 7 go to
    az2, split 4/3 or 3/4 between rack1 (3 nodes) and rack2 (2 nodes)."""
    apples = {"id0": 1, "id1": 10, "id2": 6, "id3": 6, "id4": 6, "id5": 6, "id6": 6}
    memory = {"id0": 10**8}
    racks = {"id0": ("az1", "rack1"), "id1": ("az1", "rack1"), "id2": ("az2", "rack1"),
             "id3": ("az2", "rack1"), "id4": ("az2", "rack1"), "id5": ("az2", "rack2"),
             "id6": ("az2", "rack2")}
    spec = ServiceSpec("service1", preferences=("node.labels.az", "node.labels.rack"),
                       reservations=ResourceSpec(memory_bytes=2 * 10**8,
                                                 generic=(("apple", 2),)))
    layouts = set()
    for seed in range(12):
        infos = [info(name, labels={"az": az, "rack": rack}, cpus=10**9,
                      memory=memory.get(name, 10**9), generic={"apple": apples[name]})
                 for name, (az, rack) in racks.items()]
        counts, _ = schedule(spec, infos, 12, seed)
        assert counts["id0"] == 0 and counts["id1"] == 5
        rack1 = counts["id2"] + counts["id3"] + counts["id4"]
        rack2 = counts["id5"] + counts["id6"]
        assert (rack1, rack2) in {(4, 3), (3, 4)}
        assert max(counts[n] for n in ("id2", "id3", "id4")) - min(
            counts[n] for n in ("id2", "id3", "id4")) <= 1
        layouts.add((rack1, rack2))
    assert len(layouts) == 2, "the branch that gets the odd task is chosen at random"


def test_multiple_preferences_scale_up_terminates() -> None:
    """TestMultiplePreferencesScaleUp: with 3/1/3 tasks running, 2 new tasks go to id12 or
    id21 (either balances a level), and scheduling terminates."""
    spec = ServiceSpec("service1", preferences=("node.labels.az", "node.labels.rack"))
    for seed in range(10):
        infos = [info("id11", labels={"az": "dc1", "rack": "r1"}, running={"service1": 3}),
                 info("id12", labels={"az": "dc1", "rack": "r2"}, running={"service1": 1}),
                 info("id21", labels={"az": "dc2", "rack": "r1"}, running={"service1": 3})]
        counts, _ = schedule(spec, infos, 2, seed)
        assert counts["id12"] + counts["id21"] == 2


def test_nodes_without_the_label_form_the_empty_branch() -> None:
    infos = [info("a", labels={"dc": "east"}), info("b", labels={"dc": "west"}), info("c")]
    counts, _ = schedule(ServiceSpec("s", preferences=("node.labels.dc",)), infos, 6)
    assert counts == {"a": 2, "b": 2, "c": 2}


def test_faulty_node_is_ranked_last_after_five_recent_failures() -> None:
    """TestSchedulerFaultyNode: id1 runs one task of service1; the first 5 new tasks go to
    id2 (fewer tasks of the service); after 5 failures there, id1 is preferred."""
    scheduler = Scheduler(random.Random(0))
    spec = ServiceSpec("service1")
    for attempt in range(8):
        infos = [info("id1", running={"service1": 1}), info("id2")]
        decisions, _ = scheduler.schedule_group(make_tasks(spec, 1, prefix=f"a{attempt}"),
                                                infos, now=float(attempt))
        (node,) = decisions.values()
        assert node == ("id2" if attempt < 5 else "id1")
        failed = make_tasks(spec, 1, prefix=f"f{attempt}")[0]
        scheduler.task_failed(node, failed, float(attempt))


def test_failures_expire_after_five_minutes_and_count_per_version() -> None:
    scheduler = Scheduler(random.Random(0))
    task = make_tasks(ServiceSpec("s"), 1)[0]
    for t in range(5):
        scheduler.task_failed("n", task, float(t))
    assert scheduler.recent_failures("n", "s", 1, 10.0) == 5
    assert scheduler.recent_failures("n", "s", 2, 10.0) == 0  # another spec version
    assert scheduler.recent_failures("n", "s", 1, 304.0) == 1  # only the one at t=4


def test_node_key_ignores_failures_below_five() -> None:
    a, b = info("a"), info("b", running={"s": 1})
    a.recent_failures = 4
    assert node_key(a, "s") < node_key(b, "s")
    a.recent_failures = 5
    assert node_key(a, "s") > node_key(b, "s")


def test_no_suitable_node_explains_constraints() -> None:
    spec = ServiceSpec("s", constraints=(parse_constraint("node.labels.ssd==true"),))
    counts, reason = schedule(spec, [info("a"), info("b"), info("c")], 1)
    assert not counts
    assert reason == "no suitable node (scheduling constraints not satisfied on 3 nodes)"


def test_no_suitable_node_explains_several_filters_most_first() -> None:
    spec = ServiceSpec("s", constraints=(parse_constraint("node.role==worker"),),
                       reservations=ResourceSpec(memory_bytes=10**9))
    infos = [info("m", role="manager", memory=2 * 10**9), info("w1", memory=10**8),
             info("w2", memory=10**8), info("d", availability="drain")]
    _, reason = schedule(spec, infos, 1)
    assert reason == ("no suitable node (insufficient resources on 2 nodes; "
                      "1 node not available for new tasks; "
                      "scheduling constraints not satisfied on 1 node)")


def test_no_nodes_at_all() -> None:
    assert schedule(ServiceSpec("s"), [], 1) == (Counter(), "no suitable node")


def test_max_replicas_per_node() -> None:
    spec = ServiceSpec("s", max_replicas=2)
    counts, reason = schedule(spec, [info("a"), info("b")], 5)
    assert counts == {"a": 2, "b": 2}
    assert reason == "no suitable node (max replicas per node limit exceed)"


def test_a_services_tasks_are_counted_by_its_id_not_its_name() -> None:
    """MaxReplicasFilter and ``nodeLess`` read ``ActiveTasksCountByService[t.ServiceID]``: a
    task still active of a removed service of the same name (another ID) is not one of the
    new service's; counted by name, it filled the node's one replica."""
    old = ServiceSpec("s")
    node = info("a")
    node.add_task(Task("old-1", "s", 1, 1, old, 0.0, node="a", state=TaskState.RUNNING,
                       service_id="old-id"))
    new = Task("new-1", "s", 1, 1, ServiceSpec("s", max_replicas=1), 0.0,
               state=TaskState.PENDING, service_id="new-id")
    decisions, reason = Scheduler(random.Random(0)).schedule_group([new], [node], 0.0)
    assert (decisions, reason) == ({"new-1": "a"}, "")
    assert node.active_by_service == {"old-id": 1, "new-id": 1}
    assert (node_key(node, "new-id"), node_key(node, "s")) == ((0, 1, 2), (0, 0, 2))


def test_resources_fill_nodes_then_pend() -> None:
    spec = ServiceSpec("s", reservations=ResourceSpec(nano_cpus=500_000_000))
    counts, reason = schedule(spec, [info("a", cpus=10**9), info("b", cpus=10**9)], 5)
    assert counts == {"a": 2, "b": 2}
    assert reason == "no suitable node (insufficient resources on 2 nodes)"


def test_host_port_allows_one_task_per_node() -> None:
    spec = ServiceSpec("s", ports=(PortConfig(80, 8080, "tcp", "host"),))
    counts, reason = schedule(spec, [info("a"), info("b")], 3)
    assert counts == {"a": 1, "b": 1}
    assert reason == "no suitable node (host-mode port already in use on 2 nodes)"


def test_spread_prefers_fewer_tasks_of_the_service_then_fewer_in_total() -> None:
    infos = [info("a", running={"other": 3}), info("b", running={"other": 1}),
             info("c", running={"s": 1})]
    counts, _ = schedule(ServiceSpec("s"), infos, 1)
    assert counts == {"b": 1}


@pytest.mark.parametrize("availability", ["pause", "drain"])
def test_paused_and_drained_nodes_take_no_new_tasks(availability: str) -> None:
    counts, _ = schedule(ServiceSpec("s"), [info("a", availability=availability), info("b")], 2)
    assert counts == {"b": 2}


def test_tree_task_counts_are_consistent() -> None:
    """nodeset_test.go TestTreeTaskCountConsistency: every level counts the service's tasks
    of its subtree; nodes without the labels sit under the "" branch at every level."""
    spec = ServiceSpec("service1", preferences=("node.labels.datacenter", "node.labels.rack"))
    layout = {"node1": ({"datacenter": "dc1", "rack": "r1"}, 3),
              "node2": ({"datacenter": "dc1", "rack": "r2"}, 2),
              "node3": ({"datacenter": "dc2", "rack": "r2"}, 4),
              "node4": ({}, 2), "node5": ({}, 1)}
    infos = [info(name, labels=labels, running={"service1": count})
             for name, (labels, count) in layout.items()]
    scheduler = Scheduler(random.Random(0))
    [first] = make_tasks(spec, 1)
    scheduler.pipeline.set_task(first)
    tree = scheduler._tree(first, infos, 10, lambda i: node_key(i, "service1"))

    def check(node) -> int:
        if node.next:
            assert node.tasks == sum(check(child) for child in node.next.values())
        return node.tasks

    assert check(tree) == 12
    assert tree.next["dc1"].tasks == 5
    assert tree.next["dc1"].next["r1"].tasks == 3 and tree.next["dc1"].next["r2"].tasks == 2
    assert tree.next["dc2"].tasks == 4 and tree.next["dc2"].next["r2"].tasks == 4
    assert tree.next[""].tasks == 3 and tree.next[""].next[""].tasks == 3


def test_preassigned_tasks_are_placed_first() -> None:
    """TestPreassignedTasks: tasks with a node already chosen (global services) are confirmed
    before the others are placed, so a new replica avoids the node they fill."""
    from clustersim.swarm import SwarmCluster

    pinned = {"mode": "global", "placement": {"constraints": ["node.hostname==node-1"]}}
    for seed in range(8):
        cluster = SwarmCluster(Node.many(2, cpu=1, memory="1Gi", role="manager"), seed=seed)
        cluster.deploy_stack("s", {"services": {"a": {"image": "a", "deploy": pinned},
                                                "b": {"image": "b", "deploy": pinned},
                                                "c": {"image": "c"}}})
        cluster.run(until=1)
        (task,) = cluster.tasks("s_c")
        assert task.node == "node-2"
