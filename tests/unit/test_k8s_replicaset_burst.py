"""The ReplicaSet controller's burst: one sync creates or deletes at most ``burstReplicas``
Pods (``manageReplicas`` in kubernetes/kubernetes ``pkg/controller/replicaset/
replica_set.go``, ``BurstReplicas`` = 500), each sync's creates in slow-start batches."""

from __future__ import annotations

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.kubernetes.controllers.replicaset import (
    BURST_REPLICAS,
    ReplicaSetController,
)
from clustersim.kubernetes.objects import is_active

pytestmark = pytest.mark.slow


def _deployment(replicas: int) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                         "containers": [{"name": "app", "image": "nginx"}]}}}}


def _syncs(monkeypatch: pytest.MonkeyPatch, cluster: KubernetesCluster, act) -> list[int]:
    """How many active Pods each ReplicaSet sync that changed their number made (> 0) or
    deleted (< 0) while ``act()`` runs (the events say less: the spam filter lets 25
    through)."""
    counts: list[int] = []
    sync = ReplicaSetController.sync

    def active() -> int:
        return sum(1 for pod in cluster.objects("Pod") if is_active(pod))

    def counted(self: ReplicaSetController, rs: dict) -> None:
        before = active()
        sync(self, rs)
        if made := active() - before:
            counts.append(made)

    monkeypatch.setattr(ReplicaSetController, "sync", counted)
    act()
    monkeypatch.undo()
    return counts


def test_a_deployment_of_2000_replicas_needs_four_syncs_of_at_most_a_burst(monkeypatch):
    cluster = KubernetesCluster(default_nodes(3), seed=0)
    created = _syncs(monkeypatch, cluster, lambda: cluster.apply(_deployment(2000)))
    assert len(created) >= 2000 // BURST_REPLICAS == 4
    assert max(created) == BURST_REPLICAS and sum(created) == 2000
    assert len(cluster.objects("Pod")) == 2000


def test_a_scale_down_deletes_at_most_a_burst_per_sync(monkeypatch):
    cluster = KubernetesCluster(default_nodes(3), seed=0)
    cluster.apply(_deployment(1200))
    deleted = _syncs(monkeypatch, cluster, lambda: cluster.scale("Deployment", "web", 100))
    assert deleted == [-BURST_REPLICAS, -BURST_REPLICAS, -100]
