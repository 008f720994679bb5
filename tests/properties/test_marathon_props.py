"""Invariants of the Marathon simulator, checked with hypothesis: constraints, attribute
formatting, deployment-plan ordering, restart strategies and placements on a live cluster."""

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import Node, marathon
from clustersim.marathon import constraint_accepts, format_attribute
from clustersim.mesos import MesosCluster

values = st.sampled_from(["a", "b", "c", "1", "1.0", "2.5", "[1-2]", "{x,y}"])
places = st.builds(lambda v: {"hostname": "h", "attributes": {"f": v}}, values)


@settings(deadline=None)
@given(values, st.lists(places, max_size=8))
def test_unique_accepts_exactly_new_values(value, placed):
    offer = {"hostname": "h", "attributes": {"f": value}}
    seen = {format_attribute(p["attributes"]["f"]) for p in placed}
    assert constraint_accepts(["f", "UNIQUE"], offer, placed) == \
        (format_attribute(value) not in seen)


@settings(deadline=None)
@given(values, st.lists(places, max_size=8), st.integers(1, 4))
def test_max_per_counts_equal_values(value, placed, limit):
    offer = {"hostname": "h", "attributes": {"f": value}}
    same = sum(format_attribute(p["attributes"]["f"]) == format_attribute(value) for p in placed)
    assert constraint_accepts(["f", "MAX_PER", str(limit)], offer, placed) == (same < limit)


@settings(deadline=None)
@given(values, st.lists(places, max_size=8), st.integers(1, 4), st.integers(1, 12))
def test_group_by_never_exceeds_its_share(value, placed, groups, instances):
    offer = {"hostname": "h", "attributes": {"f": value}}
    if constraint_accepts(["f", "GROUP_BY", str(groups)], offer, placed, instances):
        same = sum(format_attribute(p["attributes"]["f"]) == format_attribute(value)
                   for p in placed)
        assert same + 1 <= -(-instances // groups)   # at most ceil(instances / groups)


@given(st.one_of(st.floats(0, 1e6, allow_nan=False), values))
def test_formatting_is_idempotent(raw):
    once = format_attribute(raw)
    assert format_attribute(once) == once


@st.composite
def dags(draw):
    n = draw(st.integers(1, 8))
    apps = []
    for i in range(n):
        deps = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        apps.append({"id": f"/g/app{i}", "cmd": "x", "instances": draw(st.integers(0, 3)),
                     "dependencies": [f"/g/app{d}" for d in deps]})
    return {"id": "/g", "apps": apps}


@settings(deadline=None)
@given(dags())
def test_plans_respect_dependencies(group):
    plan = marathon.deployment_plan(None, group)
    step_of = {a["app"]: i for i, step in enumerate(plan) for a in step
               if a["action"] == "ScaleApplication"}
    assert set(step_of) == {app["id"] for app in group["apps"]}
    for app in group["apps"]:
        for dep in app["dependencies"]:
            assert step_of[dep] < step_of[app["id"]]
    assert marathon.deployment_plan(group, group) == []


@given(st.integers(1, 20), st.floats(0, 1), st.floats(0, 1), st.integers(0, 25),
       st.integers(0, 25))
def test_restart_strategy_bounds(instances, min_health, over, current, healthy):
    healthy = min(healthy, current)
    strategy = {"minimumHealthCapacity": min_health, "maximumOverCapacity": over}
    min_healthy, max_capacity, kill = marathon.restart_strategy(instances, strategy, current,
                                                                healthy)
    assert 0 <= min_healthy <= instances <= max_capacity <= 2 * instances + 1
    assert 0 <= kill <= current


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 100), st.lists(st.tuples(st.integers(1, 5), st.booleans()),
                                     min_size=1, max_size=4))
def test_live_placements_fit_and_honour_unique(seed, apps):
    cluster = MesosCluster(Node.many(4, cpu=2, memory="4Gi", ports=[(31000, 31010)]),
                           seed=seed)
    m = cluster.register(marathon.Marathon())
    m.deploy({"apps": [
        {"id": f"/a{i}", "cmd": "x", "cpus": 0.5, "mem": 256, "instances": n,
         "constraints": [["hostname", "UNIQUE"]] if unique else []}
        for i, (n, unique) in enumerate(apps)
    ]})
    cluster.run(until=120)
    snapshot = cluster.snapshot()
    assert all(node.cpu_used <= node.cpu + 1e-9 for node in snapshot.nodes)
    assert all(node.memory_used <= node.memory for node in snapshot.nodes)
    for i, (_, unique) in enumerate(apps):
        hosts = [inst.hostname for inst in m.instances(f"/a{i}") if inst.placed]
        if unique:
            assert len(hosts) == len(set(hosts))
