"""Nominated Pods held their node: the Filters count the Pods a preemption nominated to a node
when they filter a Pod of no higher priority, with them and then without them
(``RunFilterPluginsWithNominatedPods`` and ``addGENominatedPods`` in kubernetes/kubernetes
``pkg/scheduler/framework/runtime/framework.go``; the nominator of
``pkg/scheduler/backend/queue/nominator.go``), and the review's livelock at t=40.2 s, where a
lower-priority Pod kept taking the room freed for a preemptor, is gone."""

from __future__ import annotations

import pytest

import clustersim.kubernetes.scheduler.nominator as nominator_module
import clustersim.sim.clock
from clustersim.kubernetes import KubernetesCluster, Scheduler, default_nodes
from clustersim.kubernetes.scheduler.nominator import Nominator
from tests.unit.test_k8s_preemption import (
    HIGH,
    LOW,
    VERY_HIGH,
    count_pre_filters,
    full_cluster,
    nodes_with,
    pod,
    workload,
)


def held(nominated_priority=HIGH):
    """machine1 empty (500m) with a 500m Pod nominated there; machine2 has 200m left."""
    nominated = pod("n", "veryLarge", nominated_priority)
    nodes = nodes_with(["machine1", "machine2"], [pod("m2.1", "large", LOW, "machine2")])
    scheduler = Scheduler()                      # the fast path, as the cluster's
    scheduler.nominator.nominate(nominated, "machine1")
    return scheduler, nodes, nominated


def test_a_lower_priority_pod_does_not_take_the_nominated_node():
    scheduler, nodes, _ = held()
    result = scheduler.schedule(pod("q", "large", LOW), nodes)
    assert result.node is None
    assert result.message.startswith(
        "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.")


def test_a_pod_of_equal_priority_does_not_take_it_either():
    scheduler, nodes, _ = held()
    assert scheduler.schedule(pod("q", "large", HIGH), nodes).node is None


def test_a_pod_of_higher_priority_may_take_the_nominated_node():
    scheduler, nodes, _ = held()
    assert scheduler.schedule(pod("q", "large", VERY_HIGH), nodes).node == "machine1"


def test_a_lower_priority_pod_goes_to_another_node_that_fits():
    scheduler, nodes, _ = held(nominated_priority=HIGH)
    assert scheduler.schedule(pod("q", "small", LOW), nodes).node == "machine2"


def test_nothing_nominated_leaves_the_node_to_anyone():
    scheduler, nodes, nominated = held()
    scheduler.nominator.forget(nominated)
    assert scheduler.schedule(pod("q", "large", LOW), nodes).node == "machine1"


def held_cache(kind):
    """:func:`held` with a small nominated Pod labelled app=cache, and a small Pod of low
    priority with a required ``kind`` (podAffinity or podAntiAffinity) term for it."""
    scheduler, nodes, nominated = held()
    nominated["metadata"]["labels"] = {"app": "cache"}
    nominated["spec"]["containers"][0]["resources"]["requests"] = {"cpu": "100m"}
    incoming = pod("q", "small", LOW)
    term = {"labelSelector": {"matchLabels": {"app": "cache"}},
            "topologyKey": "kubernetes.io/hostname"}
    incoming["spec"]["affinity"] = {kind: {"requiredDuringSchedulingIgnoredDuringExecution":
                                           [term]}}
    return scheduler, nodes, incoming


def test_the_filters_also_run_without_the_nominated_pods():
    """A required pod affinity that only the nominated Pod would satisfy fails: it may end
    up elsewhere, so the second run, without it, must pass too."""
    scheduler, nodes, follower = held_cache("podAffinity")
    result = scheduler.schedule(follower, nodes)
    assert result.node is None
    assert "didn't match pod affinity rules" in result.message


def test_the_nominated_pods_update_prefilter_state_without_running_it_again(monkeypatch):
    """``addGENominatedPods`` adds each nominated Pod to a copy of the cycle state through
    the PreFilter extensions' ``AddPod``: the Pod's anti-affinity to the nominated Pod
    rejects machine1, and InterPodAffinity's PreFilter ran once, not once more per node
    with nominated Pods."""
    scheduler, nodes, loner = held_cache("podAntiAffinity")
    calls = count_pre_filters(scheduler, monkeypatch, "InterPodAffinity")
    verdicts = scheduler.explain(loner, nodes)
    assert verdicts["machine1"].reasons == ("node(s) didn't match pod anti-affinity rules",)
    assert verdicts["machine2"].feasible
    assert len(calls) == 1


def test_the_nominator_drops_pods_bound_or_finished():
    """``UpdateNominatedPod``: a Pod written bound or no longer active is nominated nowhere."""
    nominator = Nominator()
    nominated = pod("n", "veryLarge", HIGH)
    nominator.nominate(nominated, "machine1")
    nominator.nominate(nominated, "machine2")            # nominated again: one node only
    assert nominator.on_node(pod("q", "small", LOW), "machine1") == []
    assert nominator.on_node(pod("q", "small", LOW), "machine2") == [nominated]
    assert nominator.on_node(nominated, "machine2") == []   # a Pod does not count itself
    assert not nominator.counts_for(nominated) and not nominator.counts_for(
        pod("q", "small", VERY_HIGH)) and nominator.counts_for(pod("q", "small", HIGH))
    nominator.update(nominated)                          # still pending: kept
    assert nominator
    nominated["metadata"]["deletionTimestamp"] = 5.0
    nominator.update(nominated)
    assert not nominator and nominator.on_node(pod("q", "small", LOW), "machine2") == []


@pytest.mark.parametrize("removed", ["delete", "remove_pod"])
def test_a_deleted_preemptor_leaves_the_nominator(removed):
    """``DeleteNominatedPodIfExists`` when the Pod is deleted (written with a deletion
    timestamp first) or removed from the store at once (as an apply rolled back removes the
    Pods it created): nothing is held for it any more."""
    cluster = full_cluster()
    template = workload("api", 1, "1500m", "critical")["spec"]["template"]
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
                   "spec": template["spec"]})           # no controller to replace it
    cluster.run(until=cluster.now + 0.05)
    api = cluster.get("Pod", "default", "api")
    assert api["status"]["nominatedNodeName"] and cluster.scheduler.nominator
    if removed == "delete":
        cluster.delete("Pod", "api")
    else:
        cluster.remove_pod(api)
    assert cluster.get("Pod", "default", "api") is None
    assert not cluster.scheduler.nominator


def test_a_look_up_reads_only_the_pods_nominated_to_that_node(monkeypatch):
    """One Filter of one node (the preemption's dry run, ``Scheduler.fits_on``) reads the
    priorities of the Pods nominated there, not of every nominated Pod: the dry run runs it
    per node tried and per victim, so reading them all was quadratic."""
    names = [f"machine{i}" for i in range(200)]
    nodes = nodes_with(names, [])
    scheduler = Scheduler()
    for i, name in enumerate(names):
        scheduler.nominator.nominate(pod(f"n{i}", "small", HIGH), name)
    calls = []
    real = nominator_module.pod_priority
    monkeypatch.setattr(nominator_module, "pod_priority",
                        lambda p: calls.append(p) or real(p))
    assert scheduler.fits_on(pod("q", "large", LOW), nodes, nodes[7])
    assert len(calls) <= 2                  # the Pod filtered and the one nominated there


def _deployment(name, replicas, cpu, priority_class=None, *, anti=False, spread=False):
    spec = {"containers": [{"name": "c", "image": "nginx",
                            "resources": {"requests": {"cpu": cpu}}}]}
    if priority_class:
        spec["priorityClassName"] = priority_class
    selector = {"matchLabels": {"app": name}}
    if anti:
        spec["affinity"] = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": selector, "topologyKey": "kubernetes.io/hostname"}]}}
    if spread:
        spec["topologySpreadConstraints"] = [{
            "maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "DoNotSchedule", "labelSelector": selector}]
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": selector,
                     "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}}


def test_the_reviews_livelock_ends_with_the_preemptors_running(monkeypatch):
    """Three nodes, Deployments partly Pending (anti-affinity, a DoNotSchedule spread), then
    two Pods of priority 1000: the clock stayed at t=40.2 s while a lower-priority Pod took
    the nominated node again and again. The run is bounded (an event budget) so that a
    regression fails instead of hanging."""
    monkeypatch.setattr(clustersim.sim.clock, "MAX_RUN_EVENTS", 20_000)
    cluster = KubernetesCluster(default_nodes(3), seed=1)
    cluster.apply([{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": "high"}, "value": 1000},
                   _deployment("big", 6, "1500m"), _deployment("anti", 5, "100m", anti=True),
                   _deployment("sp", 7, "100m", spread=True)])
    cluster.run(until=20)
    pending = [p for p in cluster.objects("Pod") if not p["spec"].get("nodeName")]
    cluster.delete("Pod", pending[0]["metadata"]["name"])
    cluster.run(until=40)
    cluster.apply(_deployment("hi", 2, "1", "high"))
    cluster.run(until=60)
    preemptors = [p for p in cluster.objects("Pod") if p["metadata"]["name"].startswith("hi-")]
    assert [p["status"]["phase"] for p in preemptors] == ["Running", "Running"]
    assert len(cluster.events.where(reason="Preempted")) <= 3

