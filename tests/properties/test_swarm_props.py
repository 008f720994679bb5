"""Properties of the Swarm simulator that must hold for any input (hypothesis)."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import Node
from clustersim.swarm import SwarmCluster, constraints_accept, fault_tolerance, parse_constraint
from clustersim.swarm.scheduler import NodeInfo, Scheduler
from clustersim.swarm.spec import ServiceSpec
from clustersim.swarm.tasks import Task, TaskState

label_names = st.from_regex(r"[a-z][a-z0-9_.-]{0,8}", fullmatch=True)
label_values = st.from_regex(
    r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,8}[A-Za-z0-9]|[A-Za-z0-9]", fullmatch=True
)


@given(label_names, label_values, st.dictionaries(label_names, label_values, max_size=4))
def test_equal_and_not_equal_are_complements(key: str, value: str, labels: dict) -> None:
    node = Node("n", 1, "1Gi", labels=labels)
    equal = constraints_accept([f"node.labels.{key}=={value}"], node)
    assert equal != constraints_accept([f"node.labels.{key} != {value}"], node)
    assert equal == (labels.get(key, "").lower() == value.lower())


@given(label_names, label_values, st.sampled_from(["==", "!="]))
def test_parse_round_trips(key: str, value: str, operator: str) -> None:
    text = f"node.labels.{key}{operator}{value}"
    assert str(parse_constraint(f"  {text}  ")) == text


def group(spec: ServiceSpec, count: int) -> list[Task]:
    return [
        Task(f"t{i}", spec.name, i + 1, 1, spec, 0.0, state=TaskState.PENDING) for i in range(count)
    ]


def infos(labels: list[str]) -> list[NodeInfo]:
    return [
        NodeInfo(
            Node(f"n{i}", 1, "1Gi", labels={"zone": z} if z else {}),
            True,
            "active",
            10**9,
            2**30,
            [],
        )
        for i, z in enumerate(labels)
    ]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(0, 40), st.integers(0, 2**16))
def test_spread_is_even_on_identical_nodes(nodes: int, replicas: int, seed: int) -> None:
    decisions, reason = (
        Scheduler(random.Random(seed)).schedule_group(
            group(ServiceSpec("s"), replicas), infos([""] * nodes), 0.0
        )
        if replicas
        else ({}, "")
    )
    counts = Counter(decisions.values())
    assert sum(counts.values()) == replicas and reason == ""
    per_node = [counts.get(f"n{i}", 0) for i in range(nodes)]
    assert max(per_node) - min(per_node) <= 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", ""]), min_size=1, max_size=10),
    st.integers(1, 30),
    st.integers(0, 2**16),
)
def test_preference_spreads_evenly_over_label_values(
    zones: list[str], replicas: int, seed: int
) -> None:
    spec = ServiceSpec("s", preferences=("node.labels.zone",))
    decisions, _ = Scheduler(random.Random(seed)).schedule_group(
        group(spec, replicas), infos(zones), 0.0
    )
    zone_of = {f"n{i}": z for i, z in enumerate(zones)}
    per_zone = Counter(zone_of[n] for n in decisions.values())
    totals = [per_zone.get(z, 0) for z in set(zones)]
    assert sum(totals) == replicas and max(totals) - min(totals) <= 1


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**16), st.integers(1, 8))
def test_same_seed_same_placement(seed: int, replicas: int) -> None:
    def placement() -> list[tuple[str, str | None]]:
        cluster = SwarmCluster(
            [Node("m", 2, "4Gi", role="manager"), *Node.many(3, "w", cpu=2, memory="4Gi")],
            seed=seed,
        )
        cluster.deploy_stack(
            "s", {"services": {"web": {"image": "w", "deploy": {"replicas": replicas}}}}
        )
        cluster.run(until=5)
        return [(t.id, t.node) for t in cluster.tasks()]

    assert placement() == placement()


@given(st.integers(1, 99))
def test_losing_tolerated_managers_keeps_a_majority(managers: int) -> None:
    tolerated = fault_tolerance(managers)
    assert managers - tolerated > managers / 2
    assert managers - (tolerated + 1) <= managers / 2


operations = st.lists(st.tuples(
    st.sampled_from(["fail", "recover", "drain", "pause", "active", "crash", "scale", "update"]),
    st.integers(0, 4), st.floats(0.0, 30.0)), min_size=1, max_size=10)


@settings(max_examples=25, deadline=None)
@given(operations, st.integers(0, 2**16))
def test_any_sequence_of_faults_converges(ops: list, seed: int) -> None:
    """Whatever happens to the nodes, nothing raises, no node ever has two wanted tasks of a
    global service, and once the nodes are all back and active the swarm runs exactly the
    replicas asked for and one global task per node."""
    nodes = [*Node.many(3, "m", cpu=2, memory="4Gi", role="manager"),
             *Node.many(2, "w", cpu=2, memory="4Gi")]
    cluster = SwarmCluster(nodes, seed=seed)
    cluster.deploy_stack("s", {"services": {
        "web": {"image": "web", "deploy": {"replicas": 3}},
        "agent": {"image": "agent", "deploy": {"mode": "global"}}}})
    names = cluster.node_names()
    replicas = 3
    for op, index, pause in ops:
        node = names[index]
        if op == "fail":
            cluster.fail_node(node)
        elif op == "recover":
            cluster.recover_node(node)
        elif cluster.leader is not None and op in ("drain", "pause", "active"):
            cluster.update_node(node, availability=op)
        elif op == "crash":
            for task in cluster.tasks_on(node):
                cluster.crash_task(task)
        elif op == "scale" and cluster.leader is not None:
            replicas = index
            cluster.scale("s_web", replicas)
        elif op == "update" and cluster.leader is not None:
            cluster.update_service("s_web", image=f"web:{index}")
        cluster.run(until=cluster.clock.now + pause)
        wanted = Counter(t.node for t in cluster.tasks("s_agent") if t.wanted)
        assert all(count == 1 for count in wanted.values()), wanted
        slots = Counter(t.slot for t in cluster.tasks("s_web") if t.wanted)
        assert all(count <= 2 for count in slots.values()), slots
    for node in names:
        cluster.recover_node(node)
    cluster.run(until=cluster.clock.now + 60)
    for node in names:
        cluster.update_node(node, availability="active")
    cluster.run(until=cluster.clock.now + 60)
    web = [t for t in cluster.tasks("s_web") if t.state == "running"]
    agents = Counter(t.node for t in cluster.tasks("s_agent") if t.state == "running")
    assert len(web) == len(cluster.tasks("s_web")) == replicas
    assert agents == dict.fromkeys(names, 1)
