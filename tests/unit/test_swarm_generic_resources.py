"""Named and discrete generic resources in a running swarm: a node advertises them as dockerd's
``--node-generic-resource`` does (``Node(generic_resources=[...])``), a service reserves a
count, and swarmkit's scheduler assigns each task the IDs it holds (``nodeinfo.go``
``addTask`` → ``genericresource.Claim``), gives them back when the task ends (``removeTask``
→ ``Reclaim``) and places no task where too few are left (the ResourceFilter's
``HasEnough``). The served daemon shows a node's and a task's (``GenericResources``), read
here with the ``docker`` SDK."""

from __future__ import annotations

import docker
import pytest

from clustersim import Node
from clustersim.serve import serve
from clustersim.swarm import SwarmCluster

GPUS = ["gpu=GPU-1", "gpu=GPU-2", "gpu=GPU-3"]


def swarm() -> SwarmCluster:
    """A manager without resources and one worker with three GPUs and two SSDs."""
    return SwarmCluster([Node("manager-1", 4, "8Gi", role="manager"),
                         Node("gpu-1", 4, "8Gi", generic_resources=[*GPUS, "ssd=2"])], seed=0)


def reserving(replicas: int, **counts: int) -> dict:
    return {"services": {"train": {"image": "trainer:1", "deploy": {
        "replicas": replicas, "resources": {"reservations": {"generic_resources": [
            {"discrete_resource_spec": {"kind": kind, "value": value}}
            for kind, value in counts.items()]}}}}}}


def test_a_node_reads_its_terms_as_dockerd_does_and_keeps_them_through_a_copy() -> None:
    node = Node("w", 1, "1Gi", generic_resources=[*GPUS, "ssd=2"])
    assert node.generic_resources == (("gpu", "GPU-1"), ("gpu", "GPU-2"), ("gpu", "GPU-3"),
                                      ("ssd", 2))
    assert node.copy(labels={"a": "b"}).generic_resources == node.generic_resources


class _Unprintable:
    """A value whose ``__str__`` raises, as a careless term from Python may."""

    def __str__(self) -> str:
        raise RuntimeError("no text")


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"generic_resources": ["gpu"]}, "generic_resources: could not parse GenericResource: "
                                     "incorrect term gpu"),
    ({"generic_resources": ["gpu=1", "gpu=GPU-1"]},
     "mixed discrete and named resources in expression 'gpu=[1 GPU-1]'"),
    ({"generic_resources": "gpu=GPU-1"}, "must be a list of NAME=VALUE terms"),
    ({"generic_resources": ["gpu=GPU-1"], "extended_resources": {"gpu": 1}},
     "'gpu' is both an extended resource and a generic resource"),
    ({"generic_resources": [b"gpu=GPU-1"]}, "entry of type bytes is not a NAME=VALUE term"),
    ({"generic_resources": [_Unprintable()]},
     "entry of type _Unprintable is not a NAME=VALUE term"),
    ({"generic_resources": [("gpu",)]}, "entry of type tuple is not a NAME=VALUE term"),
    ({"generic_resources": {"gpu": 1}}, "must be a list of NAME=VALUE terms, such as "
                                        "['gpu=GPU-1', 'ssd=2'], not a mapping"),
])
def test_a_node_refuses_terms_dockerd_would_refuse(kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError, match=r"^Node 'w': ") as refused:
        Node("w", 1, "1Gi", **kwargs)
    assert words in str(refused.value)


def test_a_node_given_none_advertises_none() -> None:
    """``generic_resources=None`` is no terms, as ``host_paths=None`` is no paths."""
    assert Node("w", 1, "1Gi", generic_resources=None).generic_resources == ()


def test_each_task_holds_its_own_ids_and_the_rest_wait() -> None:
    """Three GPUs, two per task: the first task holds GPU-1 and GPU-2 and sees them in
    ``DOCKER_RESOURCE_GPU``; the second finds one left and stays pending (the simulator
    counted the GPUs but handed out no IDs)."""
    cluster = swarm()
    cluster.deploy_stack("ml", reserving(2, gpu=2))
    cluster.run(until=30)
    running = [t for t in cluster.tasks("ml_train") if t.state == "running"]
    pending = [t for t in cluster.tasks("ml_train") if t.state == "pending"]
    assert [t.assigned_generic for t in running] == [(("gpu", "GPU-1"), ("gpu", "GPU-2"))]
    assert running[0].resource_env == ["DOCKER_RESOURCE_GPU=GPU-1,GPU-2"]
    assert len(pending) == 1
    assert pending[0].err.startswith("no suitable node (insufficient resources on ")


def test_an_ended_tasks_ids_go_back_after_the_others() -> None:
    """Two tasks of one GPU on three: they hold GPU-1 and GPU-2, GPU-3 is left. When the
    first task fails its GPU goes back to the *end* of the node's list (``reclaimResources``
    appends), so its replacement is assigned GPU-3, the first in the list, not GPU-1."""
    cluster = swarm()
    cluster.deploy_stack("ml", reserving(2, gpu=1))
    cluster.run(until=30)
    first = sorted(cluster.tasks("ml_train"), key=lambda t: t.slot)
    assert [t.assigned_generic for t in first] == [(("gpu", "GPU-1"),), (("gpu", "GPU-2"),)]
    assert cluster.agent.exit(first[0], 1)
    cluster.run(until=60)
    replaced = [t for t in cluster.tasks("ml_train") if t.slot == first[0].slot]
    assert [t.assigned_generic for t in replaced] == [(("gpu", "GPU-3"),)]
    assert first[0].assigned_generic == (("gpu", "GPU-1"),)   # an ended task keeps its own


def test_discrete_counts_are_taken_and_given_back() -> None:
    cluster = swarm()
    cluster.deploy_stack("db", reserving(3, ssd=1))
    cluster.run(until=30)
    tasks = cluster.tasks("db_train")
    assert sorted(t.state.value for t in tasks) == ["PENDING", "RUNNING", "RUNNING"]
    assert {t.assigned_generic for t in tasks if t.state == "running"} == {(("ssd", 1),)}


@pytest.fixture
def served():
    with serve("swarm", cluster=swarm(), speed=0) as server:
        client = docker.DockerClient(base_url=server.docker_host, version="auto", timeout=10)
        yield server, client
        client.close()


def test_the_served_node_and_task_show_their_generic_resources(served) -> None:
    """``docker node inspect`` lists what the node advertises, ``docker inspect <task>``
    the IDs the task holds (moby's ``swarm.Task.GenericResources``); the daemon had shown
    neither."""
    server, client = served
    node = client.nodes.get("gpu-1")
    assert node.attrs["Description"]["Resources"]["GenericResources"] == [
        {"NamedResourceSpec": {"Kind": "gpu", "Value": "GPU-1"}},
        {"NamedResourceSpec": {"Kind": "gpu", "Value": "GPU-2"}},
        {"NamedResourceSpec": {"Kind": "gpu", "Value": "GPU-3"}},
        {"DiscreteResourceSpec": {"Kind": "ssd", "Value": 2}}]
    assert "GenericResources" not in client.nodes.get("manager-1").attrs["Description"][
        "Resources"]
    service = client.services.create(
        "trainer:1", name="train", mode=docker.types.ServiceMode("replicated", 2),
        resources=docker.types.Resources(generic_resources={"gpu": 1}))
    server.step(30)
    held = sorted(tuple(g["NamedResourceSpec"]["Value"] for g in t["GenericResources"])
                  for t in service.tasks())
    assert held == [("GPU-1",), ("GPU-2",)]
    assert {t["NodeID"] for t in service.tasks()} == {node.id}


def test_a_named_reservation_sent_through_the_api_leaves_the_tasks_pending(served) -> None:
    """The SDK sends ``{"gpu": "GPU-1"}`` as a NamedResourceSpec (the docker CLI refuses one
    for a service). swarmkit stores it (``validateResources`` ignores ``ValidateTask``'s
    error) but ``HasEnough`` fails for it on every node, even the one that has GPU-1: the
    task stays pending. The served daemon had dropped it and run the task."""
    server, client = served
    service = client.services.create(
        "trainer:1", name="pinned",
        resources=docker.types.Resources(generic_resources={"gpu": "GPU-1"}))
    server.step(30)
    assert service.attrs["Spec"]["TaskTemplate"]["Resources"]["Reservations"][
        "GenericResources"] == [{"NamedResourceSpec": {"Kind": "gpu", "Value": "GPU-1"}}]
    [task] = service.tasks()
    assert task["Status"]["State"] == "pending"
    assert task["Status"]["Err"].startswith("no suitable node (insufficient resources on ")
    assert "GenericResources" not in task


def test_the_launchers_option_makes_every_node_advertise_them() -> None:
    """``serve("swarm", node_generic_resources=...)`` (``python -m clustersim serve swarm
    --node-generic-resource ...``) starts each node as dockerd with that option: a service
    that reserves a GPU runs, one task per GPU; the served swarm's nodes had advertised none,
    so the docker CLI could not meet a generic resource at all."""
    with serve("swarm", nodes=2, speed=0, epoch=1_765_000_000.0,
               node_generic_resources=["gpu=GPU-A", "gpu=GPU-B"]) as server:
        client = docker.DockerClient(base_url=server.docker_host, version="auto", timeout=10)
        try:
            advertised = [node.attrs["Description"]["Resources"]["GenericResources"]
                          for node in client.nodes.list()]
            assert advertised == [[{"NamedResourceSpec": {"Kind": "gpu", "Value": "GPU-A"}},
                                   {"NamedResourceSpec": {"Kind": "gpu", "Value": "GPU-B"}}]] * 3
            service = client.services.create(
                "trainer:1", name="train", mode=docker.types.ServiceMode("replicated", 7),
                resources=docker.types.Resources(generic_resources={"gpu": 1}))
            server.step(30)
            states = sorted(t["Status"]["State"] for t in service.tasks())
            assert states == ["pending"] + ["running"] * 6
        finally:
            client.close()
