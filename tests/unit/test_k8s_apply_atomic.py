"""``apply`` keeps nothing of a manifest the simulator cannot handle, and ``explain`` reads
what ``pods()`` returns: regression tests for tracebacks found by the adversarial review."""

from __future__ import annotations

import pytest

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster

BAD_POD = """apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers: [{name: c, image: nginx}]
"""
BAD_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: 2
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: bad}}
    spec:
      containers: [{name: c, image: nginx}]
"""
GOOD_POD = """apiVersion: v1
kind: Pod
metadata: {name: good}
spec:
  containers: [{name: c, image: nginx}]
"""


def _break_scheduling_of(cluster: KubernetesCluster, prefix: str, monkeypatch) -> None:
    """Make the scheduler crash on pods named ``prefix...``: a stand-in for any object the
    loader lets through and the control loop cannot handle (the loader now refuses the
    malformed affinity that first exposed the bug, so the crash is injected)."""
    schedule = cluster.scheduler.schedule

    def crashing(pod, nodes):
        if pod["metadata"]["name"].startswith(prefix):
            raise TypeError("'int' object is not iterable")
        return schedule(pod, nodes)

    monkeypatch.setattr(cluster.scheduler, "schedule", crashing)


@pytest.mark.parametrize("manifest", [BAD_POD, BAD_DEPLOYMENT])
def test_an_object_that_breaks_the_control_loop_is_not_kept(manifest, monkeypatch) -> None:
    """Regression test: the bad object stayed stored and every later apply raised."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    _break_scheduling_of(cluster, "bad", monkeypatch)
    with pytest.raises(ValueError, match="not applied"):
        cluster.apply(manifest)
    assert cluster.objects("Pod") == [] and cluster.objects("Deployment") == []
    assert cluster.objects("ReplicaSet") == []
    assert cluster.apply(GOOD_POD) == ["pod/good created"]
    cluster.run(until=10)
    assert [p.phase for p in cluster.pods()] == ["Running"]


def test_a_bad_update_restores_the_previous_spec(monkeypatch) -> None:
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    cluster.apply(BAD_DEPLOYMENT.replace("image: nginx", "image: nginx:1.26"))
    cluster.run(until=10)
    _break_scheduling_of(cluster, "bad", monkeypatch)
    with pytest.raises(ValueError, match="not applied"):
        cluster.apply(BAD_DEPLOYMENT)
    template = cluster.get("Deployment", "default", "bad")["spec"]["template"]["spec"]
    assert template["containers"][0]["image"] == "nginx:1.26"
    monkeypatch.undo()
    cluster.run(until=20)
    assert sorted(p.phase for p in cluster.pods()) == ["Running", "Running"]


def test_explain_takes_a_row_of_pods_or_a_name() -> None:
    """Regression test: ``cluster.explain(cluster.pods()[0])`` raised a bare KeyError."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    cluster.apply(GOOD_POD)
    row = cluster.pods()[0]
    verdicts = cluster.explain(row)
    assert verdicts == cluster.explain("good")
    assert verdicts["worker-1"].feasible and not verdicts["control-plane"].feasible
    for bad in ("missing", 3, {"kind": "Pod"}):
        with pytest.raises(ValueError, match=r"[Pp]od"):
            cluster.explain(bad)
