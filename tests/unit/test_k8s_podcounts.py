"""The Pods counted per controller as they change (:mod:`clustersim.kubernetes.podcounts`)
equal a full listing at every read: each read of the ReplicaSet and Deployment controllers
is checked against the stored Pods while a cluster rolls out, scales, loses a node, has
Pods deleted, failed or orphaned, and readiness gates flip."""

from __future__ import annotations

from typing import Any

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.kubernetes.objects import controller_of, is_active, ready_since
from clustersim.kubernetes.podcounts import PodCounts, ReadyCounts


def _listed(cluster: KubernetesCluster, uid: str) -> list[dict[str, Any]]:
    return [p for p in cluster.objects("Pod")
            if (controller_of(p) or {}).get("uid") == uid and is_active(p)]


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> tuple[KubernetesCluster, list[int]]:
    """A cluster whose every ``pod_counts`` read is compared with a listing of its Pods;
    the list holds how many reads were compared."""
    cluster = KubernetesCluster(default_nodes(3), seed=0)
    reads = [0]
    active, ready = PodCounts.active, PodCounts.ready

    def checked_active(counts: PodCounts, uid: str) -> int:
        got = active(counts, uid)
        assert got == len(_listed(cluster, uid))
        reads[0] += 1
        return got

    def checked_ready(counts: PodCounts, uid: str, min_ready: float, now: float
                      ) -> ReadyCounts:
        got = ready(counts, uid, min_ready, now)
        since = [s for s in map(ready_since, _listed(cluster, uid)) if s is not None]
        waiting = sorted({s + min_ready for s in since if min_ready > 0 and s + min_ready > now})
        assert got == ReadyCounts(len(since), len(since) - sum(
            min_ready > 0 and s + min_ready > now for s in since), tuple(waiting))
        reads[0] += 1
        return got

    monkeypatch.setattr(PodCounts, "active", checked_active)
    monkeypatch.setattr(PodCounts, "ready", checked_ready)
    return cluster, reads


def _deployment(replicas: int, image: str = "nginx:1.25", **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                         "containers": [{"name": "app", "image": image}], **spec}}}}


def test_a_rollout_with_min_ready_seconds_a_scale_down_and_a_node_failure(checked):
    cluster, reads = checked
    cluster.apply({**_deployment(6), "spec": {**_deployment(6)["spec"],
                                              "minReadySeconds": 7}})
    cluster.run()
    cluster.set_image("Deployment", "web", "nginx:1.26")
    cluster.run()
    cluster.scale("Deployment", "web", 2)
    cluster.run()
    node = cluster.objects("Pod")[0]["spec"]["nodeName"]
    cluster.fail_node(node)
    cluster.run(until=cluster.now + 400)
    assert reads[0] > 100
    assert cluster.get("Deployment", "default", "web")["status"]["availableReplicas"] == 2


def test_pods_deleted_failed_orphaned_and_adopted(checked):
    cluster, reads = checked
    cluster.apply(_deployment(4))
    cluster.run()
    pods = cluster.objects("Pod")
    cluster.delete_object(pods[0])
    cluster.kubelet.phase_written(pods[1], "Failed")
    cluster.run()
    rs = cluster.objects("ReplicaSet")[0]
    cluster.delete_object(rs, "Orphan")        # its Pods stay, and the Deployment adopts
    cluster.run()                              # them through a ReplicaSet of the same name
    assert reads[0] > 20
    assert cluster.objects("ReplicaSet")[0]["status"]["readyReplicas"] == 4


def test_a_readiness_gate_turns_the_ready_count(checked):
    cluster, reads = checked
    cluster.apply(_deployment(2, readinessGates=[{"conditionType": "example.com/lb"}]))
    cluster.run()
    rs = cluster.objects("ReplicaSet")[0]
    assert rs["status"]["readyReplicas"] == 0
    for pod in cluster.objects("Pod"):
        cluster.update_pod_conditions(pod, [{"type": "example.com/lb", "status": "True"}])
    cluster.run()
    assert rs["status"]["readyReplicas"] == 2 and reads[0] > 0


def _pod(uid: str, owner: str, ready_at: float | None = None) -> dict[str, Any]:
    conditions = [] if ready_at is None else [
        {"type": "Ready", "status": "True", "lastTransitionTime": ready_at}]
    return {"metadata": {"uid": uid, "ownerReferences": [
        {"kind": "ReplicaSet", "name": owner, "uid": owner, "controller": True}]},
            "status": {"phase": "Running", "conditions": conditions}}


def test_a_controllers_tally_goes_with_its_last_pod_and_comes_back_right():
    counts = PodCounts()
    pods = [_pod("a", "rs-1", ready_at=5.0), _pod("b", "rs-1"), _pod("c", "rs-2")]
    for pod in pods:
        counts.update(pod)
    counts.remove(pods[0])
    counts.remove(pods[1])
    assert set(counts._tallies) == {"rs-2"}       # rs-1's Pods are all gone
    assert counts.active("rs-1") == 0 and counts.ready("rs-1", 0, 9.0) == ReadyCounts(0, 0, ())
    counts.update(pods[0])                         # a Pod of rs-1 comes back
    assert counts.active("rs-1") == 1
    assert counts.ready("rs-1", 10, 9.0) == ReadyCounts(1, 0, (15.0,))
