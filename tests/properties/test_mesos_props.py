"""Properties of Mesos resources, the DRF sorter and the master that must hold for any input."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim import Node
from clustersim.mesos import BatchFramework, DRFSorter, MesosCluster, Resources
from clustersim.mesos.allocator import HierarchicalAllocator
from clustersim.scenarios.shop import run_shop

amounts = st.integers(min_value=0, max_value=100_000).map(lambda m: m / 1000)
resources = st.builds(
    lambda cpus, mem, ports: Resources(cpus=cpus, mem=mem, ports=ports),
    amounts,
    amounts,
    st.lists(
        st.tuples(st.integers(31000, 31100), st.integers(0, 20)).map(lambda p: (p[0], p[0] + p[1])),
        max_size=3,
    ),
)


@given(resources, resources)
def test_adding_then_subtracting_gives_back_the_original(a: Resources, b: Resources) -> None:
    assert ((a + b) - b).scalars == a.scalars  # fixed-point: no float drift
    assert (a + b).contains(a) and (a + b).contains(b)
    assert a.contains(a - b)


@given(resources)
def test_text_form_round_trips(r: Resources) -> None:
    assert Resources.parse(str(r)) == r


clients = st.lists(
    st.sampled_from(["a", "b", "c", "d/x", "d/y", "e/f/g"]), min_size=1, max_size=6, unique=True
)


@given(
    clients,
    st.lists(st.tuples(st.integers(0, 5), amounts, amounts), max_size=20),
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sampled_from([0.5, 1, 2, 3])),
)
def test_sort_lists_each_active_client_once_in_weighted_share_order(
    names: list[str], allocations: list[tuple[int, float, float]], weights: dict[str, float]
) -> None:
    sorter = DRFSorter()
    sorter.add_agent("agent", Resources(cpus=1000, mem=1000))
    for name in names:
        sorter.add(name)
        sorter.activate(name)
    for name, weight in weights.items():
        sorter.update_weight(name, weight)
    for index, cpus, mem in allocations:
        sorter.allocated(names[index % len(names)], "agent", Resources(cpus=cpus, mem=mem))
    order = sorter.sort()
    assert sorted(order) == sorted(names)
    flat = [n for n in order if "/" not in n]  # top-level leaves compete directly
    shares = [sorter.weighted_share(n) for n in flat]
    assert shares == sorted(shares)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 6),
    st.lists(st.tuples(st.integers(1, 4), st.integers(1, 8)), min_size=1, max_size=4),
    st.integers(0, 2**16),
    st.booleans(),
)
def test_master_never_overcommits_an_agent(
    agent_count: int, demands: list[tuple[int, int]], seed: int, fail_one: bool
) -> None:
    cluster = MesosCluster(
        Node.many(agent_count, cpu=4, memory="4Gi"), seed=seed, agent_unreachable_seconds=5
    )
    for index, (cpus, count) in enumerate(demands):
        cluster.register(
            BatchFramework(
                f"f{index}", task_cpus=cpus, task_mem=256, tasks=count, run_seconds=3 + index
            )
        )
    cluster.run(until=2.5)
    if fail_one:
        cluster.fail_agent("node-1")
    cluster.run(until=60)
    for agent in cluster.agents:
        assert agent.total.contains(agent.allocated)
        running = [t for t in cluster.tasks() if t.agent_id == agent.id and not t.terminal]
        assert sum(t.resources.cpus for t in running) <= agent.total.cpus
    assert all(r.outcome != "outstanding" for r in cluster.offers)  # batch answers at once


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 4), st.integers(1, 12), st.integers(0, 2**16))
def test_equal_frameworks_get_equal_shares(frameworks: int, agents: int, seed: int) -> None:
    """DRF with equal demands is max-min fair: task counts differ by at most one."""
    cluster = MesosCluster(Node.many(agents, cpu=1, memory="1Gi"), seed=seed)
    for index in range(frameworks):
        cluster.register(BatchFramework(f"f{index}", task_cpus=1, task_mem=64, tasks=20))
    cluster.run()
    counts = [len(cluster.tasks(f"f{index}")) for index in range(frameworks)]
    assert sum(counts) == agents
    assert max(counts) - min(counts) <= 1


@contextmanager
def working_out_every_round() -> Iterator[None]:
    """The allocator without its shortcuts: no round is idle, no share is kept."""
    counter = itertools.count()
    with patch.object(HierarchicalAllocator, "_round_inputs", lambda self, active: object()), \
            patch.object(HierarchicalAllocator, "changes", property(lambda self: next(counter))):
        yield


def _record(cluster: MesosCluster) -> tuple[object, ...]:
    return (cluster.offers.to_records(), [repr(e) for e in cluster.events],
            cluster.master.share_history, cluster.allocation_rounds)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 5),
    st.lists(st.tuples(st.integers(1, 4), st.integers(1, 8), st.sampled_from([0, 1, 2.5, 5]),
                       st.sampled_from([None, 2, 7])),
             min_size=1, max_size=4),
    st.integers(0, 2**16),
    st.sampled_from([None, 3.0, 20.0]),
    st.sampled_from([2.5, 9.0]),
)
def test_rounds_skipped_as_idle_change_nothing(
    agent_count: int, demands: list[tuple[int, int, float, float | None]], seed: int,
    fail_at: float | None, back_after: float
) -> None:
    """An allocation round the allocator skips (nothing changed since a round that offered
    nothing) would have offered nothing, and shares kept since the last change are those
    the sorters give: offers, events and shares are those of a run that works out every
    round and every share."""
    def run() -> tuple[object, ...]:
        cluster = MesosCluster(Node.many(agent_count, cpu=4, memory="4Gi"), seed=seed,
                               agent_unreachable_seconds=5)
        for index, (cpus, count, refuse, seconds) in enumerate(demands):
            cluster.register(BatchFramework(f"f{index}", task_cpus=cpus, task_mem=256,
                                            tasks=count, run_seconds=seconds,
                                            refuse_seconds=refuse))
        if fail_at is not None:
            cluster.run(until=fail_at)
            cluster.fail_agent("node-1")
            cluster.run(until=fail_at + back_after)
            cluster.recover_agent("node-1")
        cluster.run(until=40)
        return _record(cluster)

    skipping = run()
    with working_out_every_round():
        assert run() == skipping


def test_the_shop_on_marathon_is_the_same_working_out_every_round() -> None:
    """The example shop on Marathon (a deployment, health checks, a node failed and its
    tasks replaced) records the same run with and without the allocator's shortcuts."""
    for fail_at in (None, 60.0):
        shortcut = repr(run_shop.__wrapped__("marathon", api_replicas=4, fail_at=fail_at))
        with working_out_every_round():
            assert repr(run_shop.__wrapped__("marathon", api_replicas=4,
                                             fail_at=fail_at)) == shortcut
