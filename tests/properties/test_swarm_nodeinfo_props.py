"""The scheduler's node state (clustersim.swarm.nodeinfo), kept current as tasks change,
always equals a count made afresh from every task, whatever happens to the services, the
nodes and the containers (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import Node
from clustersim.genericresource import Entry, consume
from clustersim.swarm import SwarmCluster
from clustersim.swarm.nodeinfo import NodeInfo, capacity
from clustersim.swarm.tasks import TaskState

operations = st.lists(st.tuples(
    st.sampled_from(["create", "update", "scale", "reserve", "drain", "active", "rm",
                     "global", "fail", "recover", "crash", "broken-image", "label",
                     "constrain"]),
    st.integers(0, 3), st.floats(0.0, 20.0)), min_size=1, max_size=14)

NodeState = tuple[int, int, list[Entry], int, dict[str, int], set[tuple[str, int]],
                  dict[str, bool]]


def state(info: NodeInfo) -> NodeState:
    """What the filters and ``nodeLess`` read of a node, and the tasks it holds; its generic
    resources left as a sorted list (an order only matters among the IDs of a named set,
    which this swarm's nodes do not advertise)."""
    return (info.nano_cpus, info.memory_bytes, sorted(info.generic, key=str),
            info.active_tasks, info.active_by_service, info.host_ports,
            {task_id: active for task_id, (_, active) in info.tasks.items()})


def recounted(cluster: SwarmCluster, name: str) -> NodeState:
    """The node's state counted from every task: the tasks assigned to it and not ended
    (ASSIGNED to RUNNING) take their reservations, the generic resources they were assigned
    (as ``createOrUpdateNode`` counts them) and host ports; those whose desired state is at
    most RUNNING are its active tasks, counted by their service's ID."""
    nano_cpus, memory_bytes, generic = capacity(cluster.node_record(name).node)
    by_service: dict[str, int] = {}
    ports: set[tuple[str, int]] = set()
    held: dict[str, bool] = {}
    for task in cluster.tasks(history=True):
        if task.node != name or not TaskState.ASSIGNED <= task.state <= TaskState.RUNNING:
            continue
        res = task.spec.reservations
        nano_cpus -= res.nano_cpus
        memory_bytes -= res.memory_bytes
        consume(generic, task.assigned_generic)
        ports |= {(p.protocol, p.published) for p in task.spec.ports
                  if p.mode == "host" and p.published}
        held[task.id] = task.desired_state <= TaskState.RUNNING
        if held[task.id]:
            by_service[task.service_id] = by_service.get(task.service_id, 0) + 1
    return (nano_cpus, memory_bytes, sorted(generic, key=str),
            sum(held.values()), by_service, ports, held)


def stack(mode: str, replicas: int, *, cpus: int = 1, image: str = "web") -> dict[str, object]:
    """A web service reserving ``cpus`` quarters of a CPU, memory and (on the manager only)
    a GPU, and a host-mode port: every filter's state is in play."""
    deploy: dict[str, object] = {"mode": mode, "resources": {"reservations": {
        "cpus": str(cpus / 4), "memory": f"{64 * cpus}M",
        "generic_resources": [{"discrete_resource_spec": {"kind": "gpu", "value": cpus % 2}}]}}}
    if mode == "replicated":
        deploy["replicas"] = replicas
    return {"services": {
        "web": {"image": image, "deploy": deploy, "healthcheck": {"disable": True}},
        "edge": {"image": "edge", "ports": [{"target": 80, "published": 8080, "mode": "host"}],
                 "deploy": {"replicas": replicas}}}}


@settings(max_examples=40, deadline=None)
@given(operations, st.integers(0, 2**16))
def test_node_state_equals_a_recount(ops: list[tuple[str, int, float]], seed: int) -> None:
    cluster = SwarmCluster([Node("m", 2, "4Gi", role="manager", extended_resources={"gpu": 2}),
                            *Node.many(3, "w", cpu=1, memory="2Gi")], seed=seed)
    cluster.deploy_stack("s", stack("replicated", 3))
    names = cluster.node_names()
    for op, index, pause in ops:
        node = names[index]
        web = cluster.services.get("s_web")
        replicated = web is not None and web.spec.mode == "replicated"
        if op == "create" and web is None:
            cluster.deploy_stack("s", stack("replicated", index + 1))
        elif op == "global" and web is None:
            cluster.deploy_stack("s", stack("global", 0))
        elif op == "update" and web is not None:
            cluster.update_service("s_web", image=f"web:{index}")
        elif op == "scale" and replicated:
            cluster.scale("s_web", index * 2)
            cluster.scale("s_edge", index + 1)
        elif op == "reserve" and web is not None:
            mode = "replicated" if replicated else "global"
            cluster.deploy_stack("s", stack(mode, web.spec.replicas, cpus=index + 1))
        elif op in ("drain", "active"):
            cluster.update_node(node, availability=op)
        elif op == "rm" and web is not None:
            cluster.remove_service("s_web")
        elif op == "fail" and index:     # the manager stays: the swarm keeps its leader
            cluster.fail_node(node)
        elif op == "recover":
            cluster.recover_node(node)
        elif op == "crash":
            for task in cluster.tasks_on(node):
                cluster.crash_task(task)
        elif op == "broken-image":
            cluster.fail_image(f"web:{index}", after=1.0)
        elif op == "label":
            cluster.update_node(node, labels={"zone": str(index)})
        elif op == "constrain" and web is not None:
            cluster.update_service("s_web", constraints=[f"node.labels.zone=={index}"])
        cluster.run(until=cluster.clock.now + pause)
        infos = cluster._node_set.infos
        assert list(infos) == names
        for name in names:
            assert state(infos[name]) == recounted(cluster, name), (op, name)
