"""The HPA replica calculator against upstream's table (kubernetes/kubernetes
pkg/controller/podautoscaler/replica_calculator_test.go): every Pod requests 1 CPU, levels are
millicores, targets percent."""

from __future__ import annotations

import pytest

from clustersim.kubernetes.controllers.replica_calculator import (
    PodMetric,
    Tolerances,
    average_usage,
    resource_replicas,
)


def pods(levels, ready=None, phases=None, deleted=None, count=None):
    count = count or max(len(levels), len(ready or ()), len(phases or ()))
    return [PodMetric(name=f"p{i}", request=1000,
                      usage=levels[i] if i < len(levels) else None,
                      phase=(phases or ["Running"] * count)[i],
                      ready=(ready or [True] * count)[i],
                      deleted=(deleted or [False] * count)[i])
            for i in range(count)]


T, F = True, False
CASES = [
    # name, current, pods, target, expected replicas, expected utilization
    ("TestReplicaCalcScaleUp", 3, pods([300, 500, 700]), 30, 5, 50),
    ("TestReplicaCalcScaleUpUnreadyLessScale", 3,
     pods([300, 500, 700], ready=[F, T, T]), 30, 4, 60),
    ("TestReplicaCalcScaleUpUnreadyNoScale", 3,
     pods([400, 500, 700], ready=[T, F, F]), 30, 3, 40),
    ("TestReplicaCalcScaleUpIgnoresFailedPods", 2,
     pods([500, 700], ready=[T, T, F, F], phases=["Running", "Running", "Failed", "Failed"]),
     30, 4, 60),
    ("TestReplicaCalcScaleUpIgnoresDeletionPods", 2,
     pods([500, 700], ready=[T, T, F, F], deleted=[F, F, T, T]), 30, 4, 60),
    ("TestReplicaCalcScaleDown", 5, pods([100, 300, 500, 250, 250]), 50, 3, 28),
    ("TestReplicaCalcScaleDownIncludeUnreadyPods", 5,
     pods([100, 300, 500, 250, 250], ready=[T, T, T, F, F]), 50, 2, 30),
    ("TestReplicaCalcScaleDownExcludeUnscheduledPods", 5,
     pods([100], ready=[T, F, F, F, F], phases=["Running"] + ["Pending"] * 4), 50, 1, 10),
    ("TestReplicaCalcScaleDownIgnoresFailedPods", 5,
     pods([100, 300, 500, 250, 250], ready=[T] * 5 + [F, F],
          phases=["Running"] * 5 + ["Failed"] * 2), 50, 3, 28),
]


@pytest.mark.parametrize(("name", "current", "metrics", "target", "replicas", "utilization"),
                         CASES, ids=[c[0] for c in CASES])
def test_upstream_table(name, current, metrics, target, replicas, utilization):
    assert resource_replicas(current, metrics, target) == (replicas, utilization)


def test_tolerance():
    """TestReplicaCalcTolerance: requests 0.9, 1.0, 1.1 CPU, use 1010m, 1030m, 1020m → 102%."""
    metrics = [PodMetric("a", 900, 1010), PodMetric("b", 1000, 1030), PodMetric("c", 1100, 1020)]
    assert resource_replicas(3, metrics, 100) == (3, 102)


def test_the_upper_bound_of_the_tolerance_is_within_as_upstream_writes_it():
    # 88% of an 80% target is a ratio of exactly 1.1: isWithin's 1.1 <= 1 + 0.1 holds, where
    # abs(1 - 1.1) <= 0.1 does not (0.10000000000000009)
    metrics = [PodMetric(name, 1000, 880) for name in "abc"]
    assert resource_replicas(3, metrics, 80) == (3, 88)


def test_tolerances_differ_by_direction():
    metrics = [PodMetric(name, 1000, 1060) for name in "ab"]    # 106% of 100%
    assert resource_replicas(2, metrics, 100) == (2, 106)
    assert resource_replicas(2, metrics, 100, Tolerances(scale_up=0.05)) == (3, 106)
    assert resource_replicas(2, metrics, 100, Tolerances(scale_down=0.0)) == (2, 106)
    assert Tolerances(0.2, 0.0).is_within(0.8) and not Tolerances(0.2, 0.0).is_within(1.01)


def test_missing_metrics_scale_down_assume_the_target_when_it_is_above_100():
    # replica_calculator.go: fallbackUtilization := max(100, targetUtilization). Two ready Pods
    # at 10% of a 150% target and one without metrics: at 150% the recount is 56% (ratio
    # 0.37, 2 replicas); at 100% it would be 40% (ratio 0.27, 1 replica)
    metrics = pods([100, 100], count=3)
    assert resource_replicas(3, metrics, 150) == (2, 10)


def test_missing_metrics_scale_down_assumes_full_request():
    # 2 ready at 10% and 2 without metrics: counted at 100% the ratio is 55/50, within tolerance
    metrics = pods([100, 100], count=4)
    assert resource_replicas(4, metrics, 50) == (4, 10)


def test_missing_metrics_scale_up_assumes_zero():
    # 900m, 900m and one Pod without metrics: 90% → recount 60% of 50% → ceil(1.2 * 3) = 4
    assert resource_replicas(3, pods([900, 900], count=3), 50) == (4, 90)


NO_METRICS = ("unable to get metrics for resource cpu: no metrics returned from resource "
              "metrics API")


@pytest.mark.parametrize(("metrics", "error"), [
    # metrics-server lists no metric: for no Pod, or none of them running (the simulator
    # had said "no pods returned by selector" and "did not receive metrics")
    ([], NO_METRICS),
    (pods([], ready=[F, F], phases=["Pending", "Pending"]), NO_METRICS),
    (pods([500, 500], ready=[F, F]), "did not receive metrics for targeted pods (pods might "
     "be unready)"),
    # calculatePodRequests names the container (the simulator had said "in pod a")
    ([PodMetric("a", 1000, 100), PodMetric("b", 0, 100, unrequested="app")],
     "missing request for cpu in container app of Pod b"),
    # requests of 0 set explicitly: GetResourceUtilizationRatio (had divided by zero)
    ([PodMetric("a", 0, 100)], "no metrics returned matched known pods"),
])
def test_errors_are_upstream_words_in_upstreams_order(metrics, error):
    with pytest.raises(ValueError) as refused:
        resource_replicas(2, metrics, 50)
    assert str(refused.value) == error


def test_average_usage_is_over_the_pods_that_count():
    """The status's current averageValue (upstream's rawUtilization): the mean usage of the
    ready pods with metrics; unready, pending, failed and unmeasured pods are left out."""
    metrics = [PodMetric("a", 1000, 300), PodMetric("b", 1000, 500),
               PodMetric("c", 1000, 900, ready=False), PodMetric("d", 1000, None),
               PodMetric("e", 1000, 100, phase="Failed"), PodMetric("f", 1000, 0, phase="Pending")]
    assert average_usage(metrics) == 400
    assert average_usage([PodMetric("c", 1000, 900, ready=False)]) is None
