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
from clustersim.kubernetes.storageclass import (
    DEFAULT_CLASS,
    claim_class,
    names_no_class,
    volume_name,
)

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
    volume = cluster.get("PersistentVolume", "default", volume_name(claim))
    assert volume["metadata"]["creationTimestamp"] == 30
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


def test_a_bound_claim_carries_what_the_pv_controller_and_provisioner_write():
    """Binding wrote nothing on the claim and recorded no event; a real cluster annotates it
    (bind-completed, bound-by-controller, the provisioner under both keys) and records
    ExternalProvisioning, Provisioning and ProvisioningSucceeded, in that order, when the
    volume is made: at creation for the default class, at the binding resync for a class
    that came later, with that class's provisioner."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(CLAIM_AND_POD % "")
    cluster.apply(CLAIM_AND_POD.replace("db-data", "fast").replace("name: db}", "name: f}")
                  % "storageClassName: fast-ssd")
    cluster.run(until=20)
    cluster.apply(FAST_SSD)
    cluster.run()
    for name, provisioner, at in (("db-data", "k8s.io/minikube-hostpath", 0),
                                  ("fast", "pd.csi.storage.gke.io", 30)):
        claim = cluster.get("PersistentVolumeClaim", "default", name)
        annotations = claim["metadata"]["annotations"]
        assert {k: v for k, v in annotations.items() if "last-applied" not in k} == {
            "pv.kubernetes.io/bind-completed": "yes",
            "pv.kubernetes.io/bound-by-controller": "yes",
            "volume.beta.kubernetes.io/storage-provisioner": provisioner,
            "volume.kubernetes.io/storage-provisioner": provisioner}
        found = [e for e in cluster.events.where(object=f"persistentvolumeclaim/{name}")
                 if e.reason != "ProvisioningFailed"]
        assert [(e.time, e.reason) for e in found] == [
            (at, "ExternalProvisioning"), (at, "Provisioning"), (at, "ProvisioningSucceeded")]
        assert found[0].message.startswith(
            f"Waiting for a volume to be created either by the external provisioner "
            f"'{provisioner}' or manually by the system administrator.")
        assert found[1].message == ("External provisioner is provisioning volume for claim "
                                    f'"default/{name}"')
        assert found[2].message == f"Successfully provisioned volume pvc-{claim['metadata']['uid']}"


LOCAL_PATH = """apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-path}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
"""


def test_a_claim_that_waits_for_its_first_consumer_binds_on_its_pods_node():
    """``volumeBindingMode: WaitForFirstConsumer`` was ignored (the claim was bound at once):
    the claim stays Pending with WaitForFirstConsumer at creation and each resync, and a
    ``run()`` does not wait for it; once a Pod that mounts it is scheduled, the chosen node
    is written on the claim (selected-node), the volume is provisioned, then the Pod is
    bound there."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(LOCAL_PATH + CLAIM_AND_POD.split("---")[0] % "storageClassName: local-path")
    cluster.run()
    assert cluster.now == 0
    cluster.run(until=40)
    claim = cluster.get("PersistentVolumeClaim", "default", "db-data")
    assert claim["status"] == {"phase": "Pending"}
    assert [(e.time, e.reason, e.message) for e in cluster.events] == [
        (t, "WaitForFirstConsumer", "waiting for first consumer to be created before binding")
        for t in (0, 15, 30)]
    cluster.apply("---".join(CLAIM_AND_POD.split("---")[1:]))
    cluster.run(until=50)
    [pod] = cluster.pods()
    assert pod.phase == "Running"
    assert claim["status"] == {"phase": "Bound"}
    assert claim["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == pod.node
    assert [(e.time, e.reason) for e in cluster.events][3:7] == [
        (40, "ExternalProvisioning"), (40, "Provisioning"), (40, "ProvisioningSucceeded"),
        (40, "Scheduled")]


def test_a_claim_whose_pod_cannot_be_scheduled_names_that_pod():
    """While a Pod that mounts it is not scheduled, the claim's event names the Pod
    (WaitForPodScheduled); the Pod's own message is about what it lacks, not the claim."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(LOCAL_PATH + (CLAIM_AND_POD % "storageClassName: local-path").replace(
        "image: postgres:17}", 'image: postgres:17, resources: {requests: {cpu: "64"}}}'))
    cluster.run(until=15)
    claim = cluster.get("PersistentVolumeClaim", "default", "db-data")
    assert [(e.time, e.reason, e.message) for e in cluster.events
            if e.object == "persistentvolumeclaim/db-data"] == [
        (0, "WaitForFirstConsumer", "waiting for first consumer to be created before binding"),
        (15, "WaitForPodScheduled", "waiting for pod db to be scheduled")]
    assert claim["status"] == {"phase": "Pending"}
    [pod] = cluster.pods()
    assert pod.node is None and "Insufficient cpu" in pod.message
    assert "PersistentVolumeClaims" not in pod.message


def test_a_pod_waiting_for_a_missing_class_is_scheduled_when_it_comes_waiting_for_consumers():
    """VolumeBinding retries a pod when a WaitForFirstConsumer class is added (its queueing
    hint): the pod is scheduled then and its claim provisioned for its node, without waiting
    for the PV controller's resync."""
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(CLAIM_AND_POD % "storageClassName: local-path")
    cluster.run(until=20)
    assert [p.node for p in cluster.pods()] == [None]
    cluster.apply(LOCAL_PATH)
    cluster.run(until=25)
    [pod] = cluster.pods()
    claim = cluster.get("PersistentVolumeClaim", "default", "db-data")
    assert pod.node is not None and claim["status"] == {"phase": "Bound"}
    assert cluster.events.where(reason="Scheduled")[0].time == 20
    assert claim["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == pod.node
