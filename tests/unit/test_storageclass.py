"""A PersistentVolumeClaim of the cluster's default StorageClass binds at once; one naming a
class that does not exist, or no class at all (``storageClassName: ""``), stays Pending with
the PV controller's event, repeated at each 15 s resync, and a Pod that mounts it waits with
VolumeBinding's reason (regression test: every claim was bound, whatever class it named); the
claim binds at the first resync after its class is created, and its Pod then runs
(regression test: it stayed Pending until deleted and created again)."""

from __future__ import annotations

import pytest

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.storageclass import DEFAULT_CLASS, claim_class, names_no_class

CLAIM_AND_POD = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: db-data}
spec:
  accessModes: [ReadWriteOnce]
  %s
  resources: {requests: {storage: 20Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  containers: [{name: c, image: postgres:17}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: db-data}}]
"""


@pytest.mark.parametrize("line, event", [
    ("storageClassName: fast-ssd", ("Warning", "ProvisioningFailed",
                                    'storageclass.storage.k8s.io "fast-ssd" not found')),
    ('storageClassName: ""', ("Normal", "FailedBinding", "no persistent volumes available for "
                              "this claim and no storage class is set")),
])
def test_a_claim_without_a_provisioner_stays_pending_and_its_pod_waits(line, event):
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(CLAIM_AND_POD % line)
    cluster.run(until=60)
    claim = cluster.get("PersistentVolumeClaim", "default", "db-data")
    assert claim["status"] == {"phase": "Pending"}
    found = [e for e in cluster.events if e.object == "persistentvolumeclaim/db-data"]
    assert [e.time for e in found] == [0, 15, 30, 45, 60]      # created, then each resync
    assert {(e.type, e.reason, e.message) for e in found} == {event}
    [pod] = cluster.pods()
    assert (pod.phase, pod.node, pod.reason) == ("Pending", None, "Unschedulable")
    assert pod.message == ("0/4 nodes are available: pod has unbound immediate "
                           "PersistentVolumeClaims. preemption: 0/4 nodes are available: 4 "
                           "Preemption is not helpful for scheduling.")   # as clusters say it


@pytest.mark.parametrize("line", ["", f"storageClassName: {DEFAULT_CLASS}"])
def test_a_claim_of_the_default_class_binds_and_its_pod_runs(line):
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(CLAIM_AND_POD % line)
    cluster.run(until=60)
    claim = cluster.get("PersistentVolumeClaim", "default", "db-data")
    assert (claim.get("status") or {}).get("phase") != "Pending"
    assert [p.phase for p in cluster.pods()] == ["Running"]
    assert not [e for e in cluster.events if e.type == "Warning"]


def test_the_default_class_goes_to_claims_that_name_none():
    """``PersistentVolumeClaimHasClass``: the beta annotation or ``storageClassName`` (even
    empty) names a class; the annotation wins (``GetPersistentVolumeClaimClass``)."""
    beta = {"volume.beta.kubernetes.io/storage-class": "old"}
    assert names_no_class({"spec": {}}) and claim_class({"spec": {}}) == DEFAULT_CLASS
    assert not names_no_class({"spec": {"storageClassName": ""}})
    assert claim_class({"spec": {"storageClassName": ""}}) == ""
    assert claim_class({"metadata": {"annotations": beta},
                        "spec": {"storageClassName": "fast"}}) == "old"
    assert not names_no_class({"metadata": {"annotations": beta}, "spec": {}})


def test_a_claim_of_a_class_applied_to_the_cluster_binds():
    """A manifest that brings its own class (kubernetes/examples' Cassandra StatefulSet
    brings ``fast``): its claims are provisioned, the class's name is kept."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply("""apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast-ssd}
provisioner: pd.csi.storage.gke.io
---
""" + CLAIM_AND_POD % "storageClassName: fast-ssd")
    cluster.run(until=60)
    assert [p.phase for p in cluster.pods()] == ["Running"]
    claim = cluster.get("PersistentVolumeClaim", "default", "db-data")
    assert claim_class(claim) == "fast-ssd" and not names_no_class(claim)


FAST_SSD = """apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast-ssd}
provisioner: pd.csi.storage.gke.io
"""


def test_a_waiting_claim_binds_at_the_first_resync_after_its_class_appears():
    """The PV controller watches no StorageClass: the claim is bound when its resync comes
    (every 15 s from the controller's start), its volume made then, and its Pod scheduled;
    ``run()`` without ``until`` waits for that resync."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(CLAIM_AND_POD % "storageClassName: fast-ssd")
    cluster.run(until=20)
    cluster.apply(FAST_SSD)
    claim = cluster.get("PersistentVolumeClaim", "default", "db-data")
    assert claim["status"] == {"phase": "Pending"}
    cluster.run()
    assert claim["status"] == {"phase": "Bound"}
    assert cluster.volume_created[claim["metadata"]["uid"]] == 30
    assert [e.time for e in cluster.events if e.reason == "ProvisioningFailed"] == [0, 15]
    [pod] = cluster.pods()
    assert pod.phase == "Running"
    [scheduled] = cluster.events.where(reason="Scheduled")
    assert scheduled.time == 30


def test_a_run_waits_for_the_resync_of_a_claim_whose_class_exists_only():
    """``run()`` without ``until`` does not wait for a claim whose class may never come (its
    resyncs are background work), and waits for the resync that binds it once it exists."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(CLAIM_AND_POD % "storageClassName: fast-ssd")
    cluster.run()
    assert cluster.now == 0
    cluster.apply(FAST_SSD)
    cluster.run()
    assert [p.phase for p in cluster.pods()] == ["Running"]
    assert [e.time for e in cluster.events if e.reason == "ProvisioningFailed"] == [0]
    assert cluster.events.where(reason="Scheduled")[0].time == 15
