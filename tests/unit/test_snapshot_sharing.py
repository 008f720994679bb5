"""A snapshot shares the last one's nodes and tasks while nothing it shows changed (the three
simulators' ``snapshot()``, which a run recorded every second calls hundreds of times): the
shared snapshots must be those a fresh look at the cluster gives (``_view()``), through
machine failures and returns, crash loops, tasks being stopped and removed, and
:func:`~clustersim.viz.capacity.task_counts`, which counts shared ones once, must count as it
counts each snapshot alone."""

from collections.abc import Callable
from typing import Any

import pytest

from clustersim import marathon
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.system import KubernetesSystem
from clustersim.marathon.system import MarathonSystem
from clustersim.mesos import MesosCluster
from clustersim.scenarios.healing import (
    SYSTEMS,
    deployment,
    marathon_app,
    node_failure_run,
    stack,
    three_nodes,
)
from clustersim.sim import NodeState, Snapshot, System, TaskState
from clustersim.swarm import SwarmCluster
from clustersim.swarm.system import SwarmSystem
from clustersim.viz.capacity import task_counts

Actions = dict[float, Callable[[], Any]]


def _kubernetes() -> tuple[System, Any, Actions, str]:
    cluster = KubernetesCluster(three_nodes("kubernetes"))
    system = KubernetesSystem(cluster)
    system.deploy(deployment(toleration_seconds=20))   # evicted (Terminating) at 100 s
    broken = deployment(replicas=2)
    broken["metadata"]["name"] = "broken"
    broken["spec"]["selector"]["matchLabels"]["app"] = "broken"
    template = broken["spec"]["template"]
    template["metadata"]["labels"]["app"] = "broken"
    template["spec"]["containers"][0]["image"] = "broken:1"
    cluster.fail_image("broken:1", after=3)            # CrashLoopBackOff
    system.deploy(broken)
    return system, cluster, {
        30: lambda: system.fail_node("node-1"), 200: lambda: system.recover_node("node-1"),
        250: lambda: cluster.scale("Deployment", "web", 2),
        300: lambda: cluster.delete("Deployment", "broken")}, "Deployment/"


def _marathon() -> tuple[System, Any, Actions, str]:
    framework = marathon.Marathon(max_instances_per_offer=1)
    system = MarathonSystem(MesosCluster(three_nodes("marathon")), framework)
    broken = {**marathon_app(instances=2), "id": "/broken", "healthChecks": [
        {"protocol": "COMMAND", "command": {"value": "true"}, "gracePeriodSeconds": 5,
         "intervalSeconds": 5, "maxConsecutiveFailures": 2}]}
    system.deploy({"id": "/", "apps": [marathon_app(), broken]})
    return system, system.cluster, {
        20: lambda: framework.set_health("/broken", False),   # killed and relaunched
        30: lambda: system.fail_node("node-1"), 200: lambda: system.recover_node("node-1"),
        250: lambda: framework.scale("/web", 2)}, "/"


def _swarm() -> tuple[System, Any, Actions, str]:
    cluster = SwarmCluster(three_nodes("swarm"))
    system = SwarmSystem(cluster)
    services = stack()
    services["services"]["broken"] = {"image": "broken:1", "deploy": {"replicas": 2}}
    cluster.fail_image("broken:1", after=20)           # restarted after each exit
    system.deploy(services)
    return system, cluster, {
        30: lambda: system.fail_node("node-1"), 200: lambda: system.recover_node("node-1"),
        250: lambda: cluster.scale("shop_web", 2),
        300: lambda: cluster.remove_service("shop_broken")}, "shop_"


@pytest.mark.parametrize("build", [_kubernetes, _marathon, _swarm])
def test_shared_snapshots_are_what_a_fresh_look_shows(build):
    system, cluster, actions, owner = build()
    snapshots: list[Snapshot] = []
    for time in range(401):
        system.run(until=time)
        if time in actions:
            actions[time]()                 # between runs, as node_failure_run fails a node
        snapshot = system.snapshot()
        assert snapshot.time == time
        assert (snapshot.nodes, snapshot.tasks) == cluster._view(), f"t = {time} s"
        snapshots.append(snapshot)
    states = {task.state for snapshot in snapshots for task in snapshot.tasks}
    assert len(states) >= 3, states         # the run went through failures and stops
    changes = len({id(snapshot.tasks) for snapshot in snapshots})
    assert 5 < changes < len(snapshots) / 4   # most snapshots share the last one's tasks
    counts = task_counts(snapshots, owner)
    alone = [task_counts([snapshot], owner) for snapshot in snapshots]
    assert counts == {name: [one[name][0] for one in alone] for name in counts}


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_lab_runs_recorded_every_second_make_few_views(system):
    run = node_failure_run(system, recover_at=300)
    assert len(run.snapshots) == 481
    assert len({id(snapshot.tasks) for snapshot in run.snapshots}) < 20


def test_counts_look_again_at_tasks_when_only_the_nodes_are_shared():
    nodes = (NodeState("a", 4, 1, 0, 0),)
    up = TaskState("t1", "app", "a", "Running", ready=True)
    snapshots = [Snapshot("test", 0, nodes, (up,)),
                 Snapshot("test", 1, nodes, (up, TaskState("t2", "app", "a", "Running")))]
    assert task_counts(snapshots, "app") == {"ready": [1, 1], "serving": [1, 1],
                                             "total": [1, 2]}
