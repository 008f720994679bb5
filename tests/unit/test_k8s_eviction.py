"""Eviction order under memory pressure (rankMemoryPressure, pkg/kubelet/eviction/helpers.go);
cases follow upstream's TestOrderedByExceedsRequestMemory, TestOrderedByPriority and
TestOrderedByMemory in helpers_test.go."""

from __future__ import annotations

from clustersim.kubernetes.eviction import rank_memory_pressure

MI = 1024 * 1024


def pod(name, request=None, priority=0):
    resources = {"requests": {"memory": request}} if request else {}
    return {"metadata": {"name": name},
            "spec": {"priority": priority,
                     "containers": [{"name": "c", "image": "x", "resources": resources}]}}


def names(pods):
    return [p["metadata"]["name"] for p in pods]


def test_exceeding_requests_goes_first():
    below = pod("below-requests", "200Mi")
    above = pod("above-requests", "200Mi")
    usage = {"below-requests": 199 * MI, "above-requests": 201 * MI}
    assert names(rank_memory_pressure([below, above], usage)) == ["above-requests",
                                                                   "below-requests"]


def test_lower_priority_first_among_those_exceeding():
    low, high = pod("low", priority=1), pod("high", priority=2)
    usage = {"low": 100 * MI, "high": 100 * MI}
    assert names(rank_memory_pressure([high, low], usage)) == ["low", "high"]


def test_most_above_request_first_then_qos_effect():
    best_effort = pod("best-effort")                       # requests nothing
    burstable = pod("burstable", "100Mi")
    guaranteed = pod("guaranteed", "300Mi")
    usage = {"best-effort": 50 * MI, "burstable": 400 * MI, "guaranteed": 300 * MI}
    order = names(rank_memory_pressure([guaranteed, best_effort, burstable], usage))
    # both exceed their request; burstable by 300Mi, best-effort by 50Mi; guaranteed does not
    assert order == ["burstable", "best-effort", "guaranteed"]


def test_priority_beats_usage_but_not_exceeding():
    within_low = pod("within-low", "1Gi", priority=0)
    over_high = pod("over-high", "10Mi", priority=1000)
    usage = {"within-low": 512 * MI, "over-high": 20 * MI}
    assert names(rank_memory_pressure([within_low, over_high], usage)) == ["over-high",
                                                                          "within-low"]


def test_pod_without_stats_goes_first():
    assert names(rank_memory_pressure([pod("a"), pod("b")], {"a": MI})) == ["b", "a"]
