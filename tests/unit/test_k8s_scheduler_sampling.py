"""percentageOfNodesToScore: how many feasible nodes a cycle looks for, and where it starts.

Upstream: kubernetes/kubernetes ``pkg/scheduler/schedule_one.go`` (``numFeasibleNodesToFind``,
``findNodesThatPassFilters``, ``nextStartNodeIndex``). Unset, the simulator scores every node.
"""

from __future__ import annotations

import random

import pytest

from clustersim.kubernetes.scheduler import Scheduler
from clustersim.kubernetes.scheduler.builders import make_node, make_pod
from clustersim.kubernetes.scheduler.config import load_profile, num_feasible_nodes_to_find


@pytest.mark.parametrize(
    ("percentage", "nodes", "expected"),
    [
        (0, 99, 99),        # below 100 nodes: every node
        (10, 50, 50),
        (0, 150, 100),      # adaptive 49% = 73, raised to the minimum of 100
        (0, 5_000, 500),    # adaptive 50 - 40 = 10%
        (0, 50_000, 2_500),  # adaptive floor of 5%
        (30, 1_000, 300),
        (100, 1_000, 1_000),
    ],
)
def test_num_feasible_nodes_to_find(percentage, nodes, expected):
    assert num_feasible_nodes_to_find(percentage, nodes) == expected


def test_a_profile_value_overrides_the_global_one():
    config = {
        "percentageOfNodesToScore": 40,
        "profiles": [{"schedulerName": "default-scheduler", "percentageOfNodesToScore": 20}],
    }
    assert load_profile(config).percentage_of_nodes_to_score == 20
    assert load_profile({"profiles": [{}], "percentageOfNodesToScore": 40}) \
        .percentage_of_nodes_to_score == 40


def test_a_bad_profile_value_is_refused():
    with pytest.raises(ValueError, match="percentageOfNodesToScore"):
        load_profile({"profiles": [{"percentageOfNodesToScore": 150}]})


def _nodes(count: int) -> list:
    return [make_node(f"node-{i:03}", {"cpu": 4, "memory": "8Gi"}) for i in range(count)]


@pytest.mark.parametrize("fast", [True, False])
def test_each_cycle_walks_on_from_where_the_last_stopped(fast):
    nodes = _nodes(200)
    scheduler = Scheduler({"percentageOfNodesToScore": 50}, random.Random(0), fast=fast)
    first = scheduler.schedule(make_pod("a", {"cpu": "100m"}), nodes).node
    assert scheduler.next_start == 100
    second = scheduler.schedule(make_pod("b", {"cpu": "100m"}), nodes).node
    assert first in {n.name for n in nodes[:100]}
    assert second in {n.name for n in nodes[100:]}
    assert scheduler.next_start == 0


def test_unset_scores_every_node_and_explain_does_not_move_the_start():
    nodes = _nodes(200)
    scheduler = Scheduler(None, random.Random(0), fast=False)
    scheduler.explain(make_pod("a", {"cpu": "100m"}), nodes)
    scheduler.schedule(make_pod("a", {"cpu": "100m"}), nodes)
    assert scheduler.next_start == 0
    sampled = Scheduler({"percentageOfNodesToScore": 50}, random.Random(0), fast=False)
    verdicts = sampled.explain(make_pod("a", {"cpu": "100m"}), nodes)
    assert sum(v.feasible for v in verdicts.values()) == 200
    assert sampled.next_start == 0


def test_sampled_choices_match_between_the_paths():
    rng = random.Random(7)
    config = {"percentageOfNodesToScore": 0}
    pair = [_nodes(300), _nodes(300)]
    reference = Scheduler(config, random.Random(1), fast=False)
    fast = Scheduler(config, random.Random(1), fast=True)
    for i in range(60):
        pod = make_pod(f"p{i}", {"cpu": rng.choice(["100m", "500m", "1"])})
        schedulers = zip((reference, fast), pair, strict=True)
        got = [s.schedule(pod, nodes).node for s, nodes in schedulers]
        assert got[0] == got[1]
        for nodes in pair:
            next(n for n in nodes if n.name == got[0]).add_pod(dict(pod))
