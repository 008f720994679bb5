"""The fleet at scale: aggregation against a brute-force count, and the two profiles' shapes."""

from __future__ import annotations

import random

import numpy as np
import pytest

from clustersim.kubernetes.fleet import (
    NODE_CORES,
    ZONE_LABEL,
    FillLevel,
    aggregate,
    build_fleet,
    compare_profiles,
    fill,
    nearest_rank,
    nodes_to_score,
    pod_stream,
)
from clustersim.kubernetes.scheduler.builders import make_node
from clustersim.limits import MAX_NODES, LimitError


def test_nearest_rank_matches_the_textbook_example() -> None:
    # The nearest-rank method's usual worked example: 15, 20, 35, 40, 50.
    values = [50, 15, 40, 20, 35]
    assert [nearest_rank(values, p) for p in (5, 30, 40, 50, 100)] == [15, 20, 20, 35, 50]
    assert nearest_rank([], 90) == 0.0


@pytest.mark.parametrize(("percentage", "nodes", "expected"), [
    # kubernetes/kubernetes pkg/scheduler/schedule_one_test.go, TestNumFeasibleNodesToFind
    (0, 10, 10), (40, 10, 10), (0, 1000, 420), (40, 1000, 400), (0, 6000, 300),
    # and the documented figures: 10% of a 5,000-node cluster, all of it at 100
    (0, 5000, 500), (100, 5000, 5000), (1, 5000, 100),
])
def test_nodes_to_score_follows_upstream(percentage: int, nodes: int, expected: int) -> None:
    assert nodes_to_score(nodes, percentage) == expected


def test_aggregate_matches_a_brute_force_count() -> None:
    fleet = build_fleet(40, zones=3, seed=3)
    rng = random.Random(7)
    for pod in pod_stream(90, seed=5):
        fleet[rng.randrange(30)].add_pod(pod)  # the last ten nodes stay empty
    groups = {(g.zone, g.cores): g for g in aggregate(fleet)}
    zones = sorted({n.labels[ZONE_LABEL] for n in fleet})
    expected = 0
    for zone in zones:
        for cores in NODE_CORES:
            members = [n for n in fleet if n.labels[ZONE_LABEL] == zone
                       and n.allocatable["cpu"] == cores * 1000]
            if not members:
                assert (zone, cores) not in groups
                continue
            expected += 1
            group = groups[(zone, cores)]
            shares = [100 * sum(int(c["resources"]["requests"]["cpu"][:-1]) for p in n.pods
                                for c in p["spec"]["containers"]) / (cores * 1000)
                      for n in members]
            assert group.nodes == len(members)
            assert group.empty == sum(1 for n in members if not n.pods)
            assert group.used == group.nodes - group.empty
            assert group.mean_cpu == pytest.approx(float(np.mean(shares)))
            assert group.median_cpu == pytest.approx(
                float(np.percentile(shares, 50, method="inverted_cdf")))
            assert group.p90_cpu == pytest.approx(
                float(np.percentile(shares, 90, method="inverted_cdf")))
    assert len(groups) == expected
    assert sum(g.empty for g in groups.values()) >= 10


def test_most_allocated_leaves_more_nodes_empty_than_least_allocated() -> None:
    # least_allocated.go scores (allocatable - requested) / allocatable: an empty node scores
    # highest, so spreading touches every node early. most_allocated.go scores
    # requested / allocatable: a node already in use outscores an empty one of the same size.
    results = compare_profiles(nodes=60, pods=300, levels=3, seed=1)
    least, most = results["LeastAllocated"], results["MostAllocated"]
    assert [level.pods for level in least] == [level.pods for level in most] == [100, 200, 300]
    for spread, packed in zip(least, most, strict=True):
        assert packed.empty > spread.empty
        assert spread.unschedulable == packed.unschedulable == 0
        assert packed.cpu_percent == pytest.approx(spread.cpu_percent)


def test_fill_is_deterministic_and_counts_pods_it_cannot_place() -> None:
    first = fill("MostAllocated", nodes=4, pods=200, levels=2, seed=2)
    assert first == fill("MostAllocated", nodes=4, pods=200, levels=2, seed=2)
    assert first[-1].unschedulable > 0  # four nodes cannot take 200 pods of up to 2 CPU
    assert first[-1].empty == 0


@pytest.mark.parametrize(("call", "message"), [
    (lambda: build_fleet(0), "nodes must be a whole number"),
    (lambda: build_fleet(10, zones=0), "zones must be a whole number in 1..26"),
    (lambda: list(pod_stream(-1)), "pods must be a whole number"),
    (lambda: fill("Spread", nodes=2, pods=2), "unknown profile 'Spread'"),
    (lambda: fill(nodes=2, pods=2, levels=3), "levels (3) cannot exceed pods (2)"),
    (lambda: fill(nodes=2, pods="many"), "pods must be a whole number ≥ 1, got 'many'"),
    (lambda: fill(nodes=2, pods=4, levels=0), "levels must be a whole number ≥ 1"),
    (lambda: nodes_to_score(5_000, -1), "percentageOfNodesToScore: Invalid value: -1: not in "
                                         "valid range [0-100]"),
    # a configuration refuses 101 (ValidateKubeSchedulerConfiguration): so does this
    (lambda: nodes_to_score(5_000, 101), "Invalid value: 101: not in valid range [0-100]"),
    (lambda: nodes_to_score(5_000, 2.5), "must be a whole number in the range [0-100]"),
    (lambda: list(pod_stream(2, cpu=())), "cpu must be a non-empty list of request sizes"),
    (lambda: list(pod_stream(2, cpu="500")), "cpu must be a non-empty list"),
    (lambda: list(pod_stream(2, memory=(0,))), "memory must be a non-empty list of request "
                                                "sizes in MiB, whole numbers from 1 to 131072"),
    (lambda: fill(nodes=2, pods=2, levels=1, cpu=(32_001,)), "from 1 to 32000 (the largest node)"),
])
def test_bad_input_is_refused_with_a_clear_message(call, message: str) -> None:
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value)


def test_the_pod_stream_draws_its_sizes_from_the_lists_given() -> None:
    default = list(pod_stream(200, seed=4))
    assert default == list(pod_stream(200, seed=4, cpu=(250, 500, 1000, 2000),
                                      memory=(256, 512, 1024, 2048, 4096)))
    big = list(pod_stream(200, seed=4, cpu=(3_000, 12_000), memory=(6_144,)))
    requests = {(c["resources"]["requests"]["cpu"], c["resources"]["requests"]["memory"])
                for pod in big for c in pod["spec"]["containers"]}
    assert requests == {("3000m", "6144Mi"), ("12000m", "6144Mi")}


def test_a_profile_that_sets_percentage_of_nodes_to_score_is_followed() -> None:
    # 150 nodes, percentageOfNodesToScore 1: each cycle scores the first 100 feasible nodes
    # of its walk, so the run is not the one that scores all 150 (the lab's comparison).
    sampled = {"percentageOfNodesToScore": 1}
    every = fill("LeastAllocated", nodes=150, pods=400, levels=2, seed=3)
    some = fill("sampled", config=sampled, nodes=150, pods=400, levels=2, seed=3)
    assert [level.cpu_percent for level in some] == [level.cpu_percent for level in every]
    assert [level.groups for level in some] != [level.groups for level in every]


def test_a_fleet_above_the_node_limit_is_refused() -> None:
    with pytest.raises(LimitError, match="MAX_NODES"):
        build_fleet(MAX_NODES + 1)


def _level(zone: str) -> FillLevel:
    nodes = [make_node(f"n{i}", {"cpu": 4, "memory": "16Gi"}, labels={ZONE_LABEL: zone})
             for i in range(3)]
    return FillLevel("LeastAllocated", 1, 0, 0.0, aggregate(nodes))


def test_the_figure_has_a_frame_per_level_and_its_slider_under_the_legend() -> None:
    from clustersim.viz.fleet import fleet_figure

    results = compare_profiles(nodes=30, pods=120, levels=4, seed=0)
    fig = fleet_figure(results)
    assert [f.name for f in fig.frames] == ["30", "60", "90", "120"]
    assert len(fig.layout.sliders[0].steps) == 4
    assert fig.layout.sliders[0].pad.t > 75  # below the legend (add_slider_below_legend)
    assert fig.layout.legend.y < 0
    # One bar per group and profile in each panel, whatever the fleet's size.
    assert all(len(t.y) == len(results["LeastAllocated"][0].groups) for t in fig.data)
    bigger = fleet_figure(compare_profiles(nodes=300, pods=120, levels=4, seed=0))
    assert len(bigger.to_json()) < 1.1 * len(fig.to_json())


def test_the_figure_escapes_zone_names() -> None:
    from clustersim.viz.fleet import fleet_figure

    fig = fleet_figure({"LeastAllocated": [_level("<b>x</b>")]})
    text = fig.to_json()
    assert "<b>x" not in text
    assert "&lt;b&gt;x" in text


def test_the_figure_refuses_empty_or_uneven_results() -> None:
    from clustersim.viz.fleet import fleet_figure

    with pytest.raises(ValueError, match="at least one profile"):
        fleet_figure({})
    with pytest.raises(ValueError, match="same number of fill levels"):
        fleet_figure({"LeastAllocated": [_level("a")], "MostAllocated": []})
