"""The pod garbage collector's terminated-pod threshold bounds what a workload whose
containers keep exiting leaves behind (``gcTerminated`` in kubernetes/kubernetes
``pkg/controller/podgc/gc_controller.go``)."""

from __future__ import annotations

import yaml

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster

NEVER_RESTARTED = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: exits}]
"""


def test_failed_pods_beyond_the_threshold_are_collected_oldest_first(monkeypatch) -> None:
    """Regression test: a Deployment whose pods exit and are never restarted (the API server
    refuses ``restartPolicy: Never`` on a Deployment; a dict can still carry it) piled up
    failed pods without end."""
    monkeypatch.setattr(
        "clustersim.kubernetes.controllers.nodelifecycle.TERMINATED_POD_GC_THRESHOLD", 5)
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    cluster.fail_image("exits", after=1.0)
    cluster._manifests = lambda source: [yaml.safe_load(source)]  # the loader may refuse it
    cluster.apply(NEVER_RESTARTED)
    cluster.run(until=300)
    failed = [p for p in cluster.pods() if p.phase == "Failed"]
    assert 1 <= len(failed) <= 5
    assert len(cluster.pods()) <= 5 + 2
    assert len(cluster.events.where(reason="SuccessfulCreate")) > len(cluster.pods())
