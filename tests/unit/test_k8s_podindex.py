"""The Pods indexed for the scheduler and the pod GC as they change
(:mod:`clustersim.kubernetes.podindex`) equal a listing of every stored Pod at each read, in
the store's order: while Deployments roll out and scale, Jobs finish past the terminated-pod
threshold, a node fails and is tainted out-of-service, a node is removed, a Pod is created
bound to a node that does not exist, Pods are bound to a node whose kubelet is down, and a
Pod no node fits is written Failed. The queue holds only the unbound Pods the scheduler would
try: gated ones, finished ones and those of another ``schedulerName`` wait apart
(``PodIndex.held``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.kubernetes.objects import is_active, is_terminating
from clustersim.kubernetes.podindex import PodIndex, queue_key
from clustersim.kubernetes.schedulinggates import pre_enqueue

_Pod = dict[str, Any]


def _uids(pods: list[_Pod]) -> list[str]:
    return [p["metadata"]["uid"] for p in pods]


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> tuple[KubernetesCluster, dict[str, int]]:
    """A cluster whose every read of its ``pod_index`` is compared with a listing of its
    Pods; the dict counts the reads compared, and those that found something, per method."""
    cluster = KubernetesCluster(default_nodes(3), seed=0)
    reads = {"queued": 0, "finished": 0, "collectable": 0, "found": 0}
    queued, finished, count, collectable = (PodIndex.queued, PodIndex.finished,
                                             PodIndex.finished_count, PodIndex.collectable)

    def listed(keep) -> list[_Pod]:
        return [p for p in cluster.objects("Pod") if keep(p)]

    def finished_listed() -> list[_Pod]:
        return listed(lambda p: p["status"].get("phase") in ("Succeeded", "Failed"))

    def checked_queued(index: PodIndex) -> list[_Pod]:
        got = queued(index)     # read right after the scheduler moved pods back
        tried = cluster.scheduler.profile.handles
        assert _uids(got) == _uids(sorted(listed(lambda p: not p["spec"].get("nodeName")
                                                 and tried(p) and is_active(p)
                                                 and not pre_enqueue(p)
                                                 and not cluster._still_waits(p)),
                                          key=queue_key))
        reads["queued"] += 1
        return got

    def checked_finished(index: PodIndex) -> list[_Pod]:
        got = finished(index)
        assert _uids(got) == _uids(finished_listed())
        reads["finished"] += 1
        return got

    def checked_count(index: PodIndex) -> int:
        got = count(index)
        assert got == len(finished_listed())
        return got

    def checked_collectable(index: PodIndex, nodes: Collection[str],
                            out_of_service: Callable[[str], bool]) -> list[_Pod]:
        got = collectable(index, nodes, out_of_service)
        assert _uids(got) == _uids(listed(lambda p: bool(p["spec"].get("nodeName")) and (
            p["spec"]["nodeName"] not in nodes
            or (is_terminating(p) and out_of_service(p["spec"]["nodeName"])))))
        reads["collectable"] += 1
        reads["found"] += bool(got)
        return got

    monkeypatch.setattr(PodIndex, "queued", checked_queued)
    monkeypatch.setattr(PodIndex, "finished", checked_finished)
    monkeypatch.setattr(PodIndex, "finished_count", checked_count)
    monkeypatch.setattr(PodIndex, "collectable", checked_collectable)
    return cluster, reads


def _deployment(name: str, replicas: int, cpu: str = "100m") -> dict[str, Any]:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "app", "image": "nginx:1.25",
                          "resources": {"requests": {"cpu": cpu}}}]}}}}


def _job(name: str, completions: int) -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
            "spec": {"completions": completions, "parallelism": completions,
                     "template": {"spec": {"restartPolicy": "Never", "containers": [
                         {"name": "task", "image": "busybox:1.36"}]}}}}


def test_a_rollout_a_failed_node_tainted_out_of_service_and_a_removed_node(checked):
    cluster, reads = checked
    cluster.apply(_deployment("web", 6))
    cluster.run()
    cluster.set_image("Deployment", "web", "nginx:1.26")
    cluster.run()
    cluster.scale("Deployment", "web", 9)
    cluster.run()
    first, second = sorted({p["spec"]["nodeName"] for p in cluster.objects("Pod")})[:2]
    cluster.fail_node(first)
    cluster.scale("Deployment", "web", 12)      # bound to the failed node: no kubelet starts
    cluster.run(until=cluster.now + 1)          # them before its node monitor notices
    assert [p for p in cluster.objects("Pod") if p["spec"].get("nodeName") == first
            and p["status"]["phase"] == "Pending"]
    cluster.run(until=cluster.now + 400)        # evicted: Terminating on the failed node
    cluster.taint(first, "node.kubernetes.io/out-of-service", "NoExecute", "nodeshutdown")
    cluster.run(until=cluster.now + 60)
    cluster.remove_node(second)                 # its Pods are orphans after 40 s
    cluster.run(until=cluster.now + 120)
    assert not [p for p in cluster.objects("Pod") if p["spec"].get("nodeName") in
                (first, second)]
    assert reads["queued"] > 20 and reads["collectable"] > 20 and reads["found"] > 2


def test_jobs_past_the_threshold_a_pod_bound_to_no_node_and_an_unbound_pod_failed(
        checked, monkeypatch):
    monkeypatch.setattr(
        "clustersim.kubernetes.controllers.nodelifecycle.TERMINATED_POD_GC_THRESHOLD", 3)
    cluster, reads = checked
    cluster.apply([_job("a", 4), _job("b", 3)])
    cluster.run()
    finished = [p for p in cluster.objects("Pod") if p["status"]["phase"] == "Succeeded"]
    assert len(finished) == 3 and reads["finished"] > 0
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ghost"},
                   "spec": {"nodeName": "gone", "containers": [{"name": "c",
                                                                "image": "nginx:1.25"}]}})
    cluster.apply(_deployment("huge", 1, cpu="500"))    # no node has 500 cores
    cluster.run(until=cluster.now + 10)
    (huge,) = [p for p in cluster.objects("Pod") if p["metadata"]["name"].startswith("huge")]
    cluster.kubelet.phase_written(huge, "Failed")
    cluster.run(until=cluster.now + 60)
    assert cluster.get("Pod", "default", "ghost") is None     # an orphan after 40 s
    assert reads["queued"] > 5 and reads["found"] > 0


def test_queued_pods_come_in_the_queues_order_higher_priority_first(checked):
    """The unbound Pods are kept in the scheduling queue's order, so a Pod of a higher
    priority created later comes before the older ones (the scheduler no longer sorts).
    Both Deployments' Pods are created before the scheduling pass, which tries them in the
    order :meth:`PodIndex.queued` gives; none fits, so each is tried once."""
    cluster, reads = checked
    low, urgent = _deployment("low", 3, cpu="500"), _deployment("urgent", 2, cpu="500")
    urgent["spec"]["template"]["spec"]["priorityClassName"] = "urgent"
    cluster.apply([low, {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                         "metadata": {"name": "urgent"}, "value": 1000}, urgent])
    cluster.run(until=cluster.now + 1)
    names = [e.object.split("/")[1].split("-")[0]
             for e in cluster.events.where(reason="FailedScheduling")]
    assert names == ["urgent"] * 2 + ["low"] * 3 and reads["queued"] > 0


def test_pods_the_scheduler_does_not_try_are_held_out_of_the_queue(checked):
    """A gated Pod, a Pod of another ``schedulerName`` and an unbound Pod written Failed are
    never in the queue a pass walks, from the write that makes them so; removing the last
    gate puts the Pod in the queue, and it is scheduled."""
    cluster, reads = checked
    gated, other = _deployment("gated", 2), _deployment("other", 2)
    gated["spec"]["template"]["spec"]["schedulingGates"] = [{"name": "example.com/q"}]
    other["spec"]["template"]["spec"]["schedulerName"] = "elsewhere"
    cluster.apply([gated, other, _deployment("huge", 1, cpu="500")])
    cluster.run(until=cluster.now + 1)
    (huge,) = [p for p in cluster.objects("Pod") if p["metadata"]["name"].startswith("huge")]
    cluster.kubelet.phase_written(huge, "Failed")
    cluster.run(until=cluster.now + 1)
    held = sorted(p["metadata"]["name"].split("-")[0] for p in cluster.pod_index.held())
    assert held == ["gated"] * 2 + ["huge"] + ["other"] * 2
    assert not cluster.pod_index.queued()
    first = sorted(p["metadata"]["name"] for p in cluster.pod_index.held())[0]
    cluster.remove_scheduling_gate(first, "example.com/q")
    assert cluster.get("Pod", "default", first)["spec"].get("nodeName")
    assert len(cluster.pod_index.held()) == 4 and reads["queued"] > 2
