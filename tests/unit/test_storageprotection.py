"""Storage object in use protection: every claim gets ``kubernetes.io/pvc-protection`` when it
is created; deleting a claim that a scheduled Pod mounts leaves it Terminating (deletion time
set, grace period 0, still stored), a new Pod that mounts it is refused by VolumeBinding, and
the claim goes once no scheduled Pod mounts it (regression test: a claim was removed at once,
under its running Pod)."""

from __future__ import annotations

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.storageprotection import PVC_PROTECTION, pods_using

CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  %s
  resources: {requests: {storage: 1Gi}}
"""
POD = """---
apiVersion: v1
kind: Pod
metadata: {name: %s}
spec:
  restartPolicy: %s
  containers: [{name: c, image: postgres:17}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
"""


def _cluster(manifest: str) -> KubernetesCluster:
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(manifest)
    cluster.run(until=10)
    return cluster


def _claim(cluster: KubernetesCluster):
    return cluster.get("PersistentVolumeClaim", "default", "data")


def test_a_claim_in_use_stays_terminating_until_its_pod_is_gone():
    cluster = _cluster(CLAIM % "" + POD % ("db", "Always"))
    claim = _claim(cluster)
    assert claim["metadata"]["finalizers"] == [PVC_PROTECTION]
    cluster.delete("PersistentVolumeClaim", "data")
    cluster.run(until=20)
    assert _claim(cluster) is claim
    assert (claim["metadata"]["deletionTimestamp"],
            claim["metadata"]["deletionGracePeriodSeconds"]) == (10, 0)
    cluster.apply(POD % ("db2", "Always"))
    cluster.run(until=25)
    waiting = next(p for p in cluster.pods() if p.name == "db2")
    assert (waiting.phase, waiting.node) == ("Pending", None)
    assert waiting.message == (
        '0/4 nodes are available: persistentvolumeclaim "data" is being deleted. preemption: '
        "0/4 nodes are available: 4 Preemption is not helpful for scheduling.")
    cluster.delete("Pod", "db")
    assert _claim(cluster) is claim                  # db is Terminating, still mounted
    cluster.run(until=60)
    assert cluster.get("Pod", "default", "db") is None
    assert _claim(cluster) is None


def test_a_claim_no_scheduled_pod_mounts_goes_at_once():
    """A Pod that was never scheduled (its claim's class does not exist) does not keep it."""
    cluster = _cluster(CLAIM % "storageClassName: fast-ssd" + POD % ("db", "Always"))
    assert [p.node for p in cluster.pods()] == [None]
    cluster.delete("PersistentVolumeClaim", "data")
    assert _claim(cluster) is None


def test_a_finished_pod_still_keeps_its_claim():
    """``podUsesPVC`` asks only whether the Pod is scheduled and mounts the claim: a Pod that
    Succeeded keeps the claim until the Pod object is deleted."""
    cluster = _cluster(CLAIM % "" + POD % ("job", "Never"))
    cluster.run(until=120)
    [pod] = cluster.pods()
    assert pod.phase == "Succeeded"
    cluster.delete("PersistentVolumeClaim", "data")
    cluster.run(until=200)
    assert _claim(cluster) is not None
    cluster.delete("Pod", "job")
    assert _claim(cluster) is None


def test_pods_using_asks_for_a_node_and_the_claims_name():
    claim = {"metadata": {"name": "data"}}
    mounts = {"volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}
    pods = [{"spec": {"nodeName": "n1", **mounts}}, {"spec": mounts},
            {"spec": {"nodeName": "n1", "volumes": [{"name": "d", "emptyDir": {}}]}}]
    assert pods_using(claim, pods) == pods[:1]
