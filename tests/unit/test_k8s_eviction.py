"""Eviction under memory pressure (rankMemoryPressure and the eviction manager,
pkg/kubelet/eviction/); two cases are upstream's TestOrderedByExceedsRequestMemory and
TestOrderedByMemory (helpers_test.go), the others exercise the three keys and the loop."""

from __future__ import annotations

import itertools

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
    """TestOrderedByExceedsRequestMemory: exceeding by 1Mi beats priority -1 below by 1Mi."""
    below = pod("below-requests", "200Mi", priority=-1)
    exceeds = pod("exceeds-requests", "100Mi", priority=1)
    usage = {"below-requests": 199 * MI, "exceeds-requests": 101 * MI}
    assert names(rank_memory_pressure([below, exceeds], usage)) == ["exceeds-requests",
                                                                     "below-requests"]


def test_ordered_by_memory_above_request():
    """TestOrderedByMemory: use relative to request 500, 300, 700, 200, -200, -800 (Mi); the
    requests are those the test's comments imply (0, 0, 100Mi, 100Mi, 1Gi, 1Gi). Pods 5 and 6
    are below their requests, so the first key already puts them last."""
    pods = [pod("pod1"), pod("pod2"), pod("pod3", "100Mi"), pod("pod4", "100Mi"),
            pod("pod5", "1Gi"), pod("pod6", "1Gi")]
    usage = {"pod1": 500 * MI, "pod2": 300 * MI, "pod3": 800 * MI, "pod4": 300 * MI,
             "pod5": 800 * MI, "pod6": 200 * MI}
    assert names(rank_memory_pressure(pods, usage)) == ["pod3", "pod1", "pod2", "pod4", "pod5",
                                                        "pod6"]


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


# -- the eviction loop on a node -----------------------------------------------------------

from clustersim import Node  # noqa: E402
from clustersim.kubernetes import KubernetesCluster  # noqa: E402
from clustersim.kubernetes.eviction import memory_pressure  # noqa: E402


def manifest(name, memory=None, limit=None, node="node-1"):
    resources = {}
    if memory:
        resources["requests"] = {"memory": memory, "cpu": "100m"}
    if limit:
        resources["limits"] = {"memory": limit, "cpu": "100m"}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"nodeSelector": {"kubernetes.io/hostname": node},
                     "containers": [{"name": "app", "image": "app:1", "resources": resources}]}}


def pressured():
    cluster = KubernetesCluster(Node.many(2, "node", cpu="4", memory="2Gi"), seed=0)
    cluster.apply([manifest("guaranteed", limit="512Mi"), manifest("burstable", "256Mi"),
                   manifest("besteffort")])
    cluster.run(until=30)
    usage = {"guaranteed": "500Mi", "burstable": "900Mi", "besteffort": "600Mi"}
    memory_pressure(cluster, "node-1", usage)          # 2000Mi of 2048Mi: 48Mi available
    return cluster


def test_one_pod_per_cycle_until_the_threshold_is_met():
    cluster = pressured()
    cluster.run(until=cluster.now + 60)
    evicted = cluster.events.where(reason="Evicted")
    # burstable exceeds its request by 644Mi, besteffort by 600Mi: burstable first; then
    # 648Mi are available, above the 100Mi threshold, and the loop stops
    assert [e.object for e in evicted] == ["pod/burstable"]
    row = {p.name: p for p in cluster.pods()}["burstable"]
    assert (row.phase, row.reason) == ("Failed", "Evicted")
    assert evicted[0].message == (
        "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48Mi. "
        "Container app was using 900Mi, request is 256Mi, has larger consumption of memory. ")
    [met] = cluster.events.where(reason="EvictionThresholdMet")
    assert met.object == "node/node-1" and met.message == "Attempting to reclaim memory"


def test_the_node_is_tainted_until_the_transition_period_passes():
    cluster = pressured()
    cluster.run(until=cluster.now + 30)
    keys = [t["key"] for t in cluster.node("node-1").taints]
    assert "node.kubernetes.io/memory-pressure" in keys
    cluster.run(until=cluster.now + 400)
    assert "node.kubernetes.io/memory-pressure" not in [t["key"] for t in
                                                         cluster.node("node-1").taints]


def test_second_cycle_evicts_the_next_in_rank():
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="2Gi"), seed=0)
    cluster.apply([manifest("guaranteed", limit="512Mi"), manifest("burstable", "256Mi"),
                   manifest("besteffort")])
    cluster.run(until=30)
    memory_pressure(cluster, "node-1",
                    {"guaranteed": "500Mi", "burstable": "300Mi", "besteffort": "1300Mi"})
    cluster.run(until=cluster.now + 60)
    # 2100Mi used: besteffort goes (1300Mi above its request); 1248Mi are then free
    assert [e.object for e in cluster.events.where(reason="Evicted")] == ["pod/besteffort"]


def test_within_requests_the_pod_closest_to_its_request_goes_first():
    """Once no Pod exceeds its request, priority and then use above request decide: a
    Guaranteed Pod at its limit (0 above) goes before a Burstable one 62Mi below its request."""
    cluster = KubernetesCluster(Node.many(1, "node", cpu="4", memory="2Gi"), seed=0)
    cluster.apply([manifest("guaranteed", limit="1500Mi"), manifest("burstable", "512Mi"),
                   manifest("small"), manifest("smaller")])
    cluster.run(until=30)
    memory_pressure(cluster, "node-1", {"guaranteed": "1500Mi", "burstable": "450Mi",
                                        "small": "50Mi", "smaller": "40Mi"})
    cluster.run(until=cluster.now + 60)
    # 8Mi free: small (50Mi over), then smaller (40Mi over) leave 98Mi, still below 100Mi
    assert [e.object for e in cluster.events.where(reason="Evicted")] == [
        "pod/small", "pod/smaller", "pod/guaranteed"]
    times = [e.time for e in cluster.events.where(reason="Evicted")]
    assert [b - a for a, b in itertools.pairwise(times)] == [10.0, 10.0]
    assert {p.name: p.phase for p in cluster.pods()}["burstable"] == "Running"
