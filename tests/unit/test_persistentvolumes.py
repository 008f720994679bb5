"""A provisioned PersistentVolume outlives its claim as its reclaim policy says: ``Delete``
(the default class's) removes it with the claim; ``Retain`` leaves it ``Released``, still
naming the claim that is gone, and a new claim of the same name gets a new volume
(regression test: every volume went with its claim, whatever its policy). A deleted volume
stays Terminating while it is bound (``kubernetes.io/pv-protection``)."""

from __future__ import annotations

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.storageprotection import PV_PROTECTION

KEEP = """apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: keep}
provisioner: k8s.io/minikube-hostpath
reclaimPolicy: Retain
"""
CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  %s
  resources: {requests: {storage: 1Gi}}
"""


def _volumes(cluster: KubernetesCluster) -> dict[str, dict]:
    return {v["metadata"]["name"]: v for v in cluster.objects("PersistentVolume")}


def test_a_delete_volume_goes_with_its_claim():
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(CLAIM % "")
    uid = cluster.get("PersistentVolumeClaim", "default", "data")["metadata"]["uid"]
    [volume] = _volumes(cluster).values()
    assert volume["metadata"]["name"] == f"pvc-{uid}"
    assert volume["metadata"]["finalizers"] == [PV_PROTECTION]
    assert (volume["spec"]["persistentVolumeReclaimPolicy"], volume["status"]["phase"],
            volume["spec"]["claimRef"]["uid"]) == ("Delete", "Bound", uid)
    cluster.delete("PersistentVolumeClaim", "data")
    assert _volumes(cluster) == {}


def test_a_retained_volume_is_released_and_not_reused():
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(KEEP + "---\n" + CLAIM % "storageClassName: keep")
    old = cluster.get("PersistentVolumeClaim", "default", "data")["metadata"]["uid"]
    cluster.run(until=10)
    cluster.delete("PersistentVolumeClaim", "data")
    [released] = _volumes(cluster).values()
    assert released["status"] == {"phase": "Released", "lastPhaseTransitionTime": 10}
    assert released["spec"]["claimRef"]["uid"] == old
    cluster.apply(CLAIM % "storageClassName: keep")
    new = cluster.get("PersistentVolumeClaim", "default", "data")["metadata"]["uid"]
    volumes = _volumes(cluster)
    assert set(volumes) == {f"pvc-{old}", f"pvc-{new}"}
    assert volumes[f"pvc-{new}"]["status"]["phase"] == "Bound"
    assert volumes[f"pvc-{old}"]["status"]["phase"] == "Released"
    cluster.delete("PersistentVolume", f"pvc-{old}")        # released: nothing protects it
    cluster.delete("PersistentVolume", f"pvc-{new}")        # bound: Terminating
    assert set(_volumes(cluster)) == {f"pvc-{new}"}
    assert _volumes(cluster)[f"pvc-{new}"]["metadata"]["deletionTimestamp"] == 10
    cluster.delete("PersistentVolumeClaim", "data")         # Released, then gone
    assert _volumes(cluster) == {}
