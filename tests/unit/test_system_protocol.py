"""The system-neutral protocol (clustersim.sim.System): every adapter satisfies it and behaves
alike on the same small workload, and place() uses it."""

from __future__ import annotations

from typing import Any

import pytest

from clustersim.clusters import open_system
from clustersim.explore import place
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.system import KubernetesSystem
from clustersim.marathon.system import MarathonSystem
from clustersim.mesos import MesosCluster
from clustersim.node import Node
from clustersim.sim import System
from clustersim.swarm import SwarmCluster
from clustersim.swarm.system import SwarmSystem


def _web(system: str, cpu: float) -> Any:
    """Two copies of one web server asking for ``cpu`` cores, in ``system``'s dialect."""
    if system == "kubernetes":
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                         "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                             "containers": [{"name": "web", "image": "nginx:1.27",
                                             "resources": {"requests": {"cpu": str(cpu)}}}]}}}}
    if system == "swarm":
        return {"services": {"web": {"image": "nginx:1.27", "deploy": {
            "replicas": 2, "resources": {"reservations": {"cpus": str(cpu)}}}}}}
    return {"id": "/web", "instances": 2, "cpus": cpu, "mem": 64, "cmd": "sleep 3600"}


def _nodes(system: str) -> list[Node]:
    return Node.many(2, "node", cpu=2, memory="4Gi",
                     **({"role": "manager"} if system == "swarm" else {}))


SYSTEMS = ("kubernetes", "swarm", "marathon")


def test_every_adapter_satisfies_the_protocol() -> None:
    adapters = [KubernetesSystem(KubernetesCluster(_nodes("kubernetes"))),
                SwarmSystem(SwarmCluster(_nodes("swarm"))),
                MarathonSystem(MesosCluster(_nodes("marathon")))]
    for adapter in adapters:
        assert isinstance(adapter, System), adapter
    assert [a.name for a in adapters] == list(SYSTEMS)
    assert not isinstance(object(), System)


@pytest.mark.parametrize("system", SYSTEMS)
def test_each_system_places_the_same_workload_through_the_protocol(system: str) -> None:
    cluster = open_system(system, _nodes(system), seed=0)
    assert cluster.name == system
    cluster.deploy(_web(system, 0.5))
    cluster.run(until=60)
    assert cluster.now == 60
    placed = [t.node for t in cluster.snapshot().tasks if t.node]
    assert len(placed) == 2
    assert cluster.waiting() == []
    times = [e.time for e in cluster.events()]
    assert times and times == sorted(times)


@pytest.mark.parametrize(("system", "words"), [
    ("kubernetes", "Insufficient cpu"), ("swarm", "insufficient resources"),
    ("marathon", "offers declined")])
def test_work_that_fits_nowhere_waits_with_the_systems_reason(system: str, words: str) -> None:
    cluster = open_system(system, _nodes(system), seed=0)
    cluster.deploy(_web(system, 3))
    cluster.run(until=60)
    assert cluster.waiting() and words in cluster.waiting()[0][1], cluster.waiting()


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_failed_node_is_seen_in_the_snapshot_and_comes_back(system: str) -> None:
    cluster = open_system(system, _nodes(system), seed=0)
    cluster.deploy(_web(system, 0.5))
    cluster.run(until=30)
    cluster.fail_node("node-2")
    cluster.run(until=600)
    status = {n.name: n.status for n in cluster.snapshot().nodes}
    assert status["node-2"] != status["node-1"]
    cluster.recover_node("node-2")
    cluster.run(until=900)
    status = {n.name: n.status for n in cluster.snapshot().nodes}
    assert status["node-2"] == status["node-1"]


def test_open_system_names_the_systems_it_knows() -> None:
    with pytest.raises(ValueError, match="kubernetes, swarm or marathon"):
        open_system("nomad")


def test_place_applies_the_whole_file_as_kubectl_does() -> None:
    """A ServiceAccount is kept but not simulated, yet the Deployment's pods that name it are
    admitted (place() used to leave the unsimulated objects out of the apply)."""
    source = """
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: robot
      containers: [{name: web, image: nginx}]
"""
    placement = place(source)
    assert any("ServiceAccount robot" in note for note in placement.notes)
    assert not [e for e in placement.events if e.reason == "FailedCreate"]
    assert len([t for t in placement.snapshot.tasks if t.node]) == 2


def test_place_reports_marathons_own_events_with_the_masters() -> None:
    placement = place({"id": "/web", "instances": 1, "cpus": 0.1, "mem": 32, "cmd": "sleep 9"})
    reasons = {e.reason for e in placement.events}
    assert {"TASK_RUNNING", "deployment_success"} <= reasons


def test_a_waiting_marathon_pod_is_called_a_pod() -> None:
    """A pod waiting in Marathon's launch queue (upstream's queue item ``pod``) had been
    listed as 'app /mqtt'."""
    cluster = open_system("marathon", _nodes("marathon"), seed=0)
    cluster.deploy([_web("marathon", 3), {
        "id": "/mqtt", "scaling": {"instances": 1},
        "containers": [{"name": "broker", "resources": {"cpus": 3, "mem": 64},
                        "exec": {"command": {"shell": "sleep 3600"}}}]}])
    cluster.run(until=60)
    assert sorted(what for what, _ in cluster.waiting()) == ["app /web", "pod /mqtt"]


@pytest.mark.parametrize("nodes", [3, Node("big-1", cpu=64, memory="256Gi"), ["node-1"]])
def test_open_system_refuses_what_is_no_list_of_nodes_saying_what_it_takes(nodes) -> None:
    """``open_system('kubernetes', 3)`` had raised ``'int' object is not iterable`` from
    deep inside the cluster."""
    with pytest.raises(TypeError, match=r"nodes must be a list of clustersim\.Node, not .*"
                       r"pass e\.g\. \[clustersim\.Node\("):
        open_system("kubernetes", nodes)
