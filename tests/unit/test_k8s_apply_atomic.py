"""``apply`` keeps nothing of a manifest the simulator cannot handle, and ``explain`` reads
what ``pods()`` returns: regression tests for tracebacks found by the adversarial review."""

from __future__ import annotations

import pytest

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster

# values: 3 instead of a list: a shape the loader may let through and the scheduler cannot read
BAD_AFFINITY = ("{nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                "{nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: 3}]}]}}}")
BAD_POD = f"""apiVersion: v1
kind: Pod
metadata: {{name: bad}}
spec:
  affinity: {BAD_AFFINITY}
  containers: [{{name: c, image: nginx}}]
"""
BAD_DEPLOYMENT = f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: bad}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: bad}}}}
  template:
    metadata: {{labels: {{app: bad}}}}
    spec:
      affinity: {BAD_AFFINITY}
      containers: [{{name: c, image: nginx}}]
"""
GOOD_POD = """apiVersion: v1
kind: Pod
metadata: {name: good}
spec:
  containers: [{name: c, image: nginx}]
"""


@pytest.mark.parametrize("manifest", [BAD_POD, BAD_DEPLOYMENT])
def test_an_object_that_breaks_the_control_loop_is_not_kept(manifest) -> None:
    """Regression test: the bad object stayed stored and every later apply raised."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    try:
        cluster.apply(manifest)
    except ValueError as err:
        assert "not applied" in str(err)
    assert cluster.list("Pod") == [] and cluster.list("Deployment") == []
    assert cluster.list("ReplicaSet") == []
    assert cluster.apply(GOOD_POD) == ["pod/good created"]
    cluster.run(until=10)
    assert [p.phase for p in cluster.pods()] == ["Running"]


def test_a_bad_update_restores_the_previous_spec() -> None:
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    good = BAD_DEPLOYMENT.replace(f"      affinity: {BAD_AFFINITY}\n", "")
    cluster.apply(good)
    cluster.run(until=10)
    with pytest.raises(ValueError, match="not applied"):
        cluster.apply(BAD_DEPLOYMENT)
    assert "affinity" not in cluster.get("Deployment", "default", "bad")["spec"]["template"]["spec"]
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
