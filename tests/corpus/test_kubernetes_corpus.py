"""Every real Kubernetes manifest in ``../shared/realworld/kubernetes/`` applied to a default
cluster (three workers in three zones and a tainted control-plane node), and what happens.

For each file the expected number of pods is worked out from the manifests themselves
(replicas, completions, the nodes a DaemonSet's selector and tolerations admit). A file whose
pods cannot run on a plain cluster is listed in ``PENDING`` with the reason the scheduler must
give, and in the comment why (GKE node labels, GPUs, labels the docs' example assumes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clustersim import load_manifests
from clustersim.kubernetes import KubernetesCluster, default_nodes, tolerates
from clustersim.kubernetes.controllers.daemonset import daemon_tolerations
from tests.conftest import corpus_params

# file → what FailedScheduling must say for its pods, and why
PENDING = {
    # nodeSelector app.stateful/component=postgresql: a labelled GKE node pool
    "kubernetes-engine-samples__gke-stateful-postgres__prepareforha.yaml":
        "didn't match Pod's node affinity/selector",
    # one nvidia.com/gpu per pod: the default nodes have no GPUs
    "kubernetes-examples__vllm-deployment__vllm-deployment.yaml": "Insufficient nvidia.com/gpu",
    # requires a running pod labelled security=S1 in the same zone, which does not exist
    "kubernetes-website__pods__pod-with-pod-affinity.yaml": "didn't match pod affinity rules",
    # the docs' examples spread over node labels "zone" and "node" that they ask you to add
    "kubernetes-website__topology-spread-constraints__one-constraint-with-nodeaffinity.yaml":
        "didn't match pod topology spread constraints",
    "kubernetes-website__topology-spread-constraints__two-constraints.yaml":
        "didn't match pod topology spread constraints",
}
# file → the Warning a real cluster gives: the file needs an object its tutorial makes
# elsewhere (kubectl create secret, a kustomization, another file), so its pods wait
# (clustersim.kubernetes.references)
MISSING = {
    # its claims name the class fast-storageclass, which the tutorial creates in another
    # file: they stay Pending (clustersim.kubernetes.storageclass) before its Secret is read
    "kubernetes-engine-samples__gke-stateful-mysql__c1-mysql.yaml":
        'storageclass.storage.k8s.io "fast-storageclass" not found',
    "kubernetes-engine-samples__postgresql-cloudnativepg__psql-client.yaml":
        'Error: secret "gke-pg-cluster-app" not found',
    "kubernetes-engine-samples__whereami__deployment.yaml":
        'error looking up service account default/whereami: serviceaccount "whereami" not found',
    "kubernetes-examples__mysql-wordpress-pd-3a119fe__mysql-deployment.yaml":
        'Error: secret "mysql-pass" not found',
    "kubernetes-examples__mysql-wordpress-pd-f676e4d__wordpress-deployment.yaml":
        'Error: secret "mysql-pass" not found',
    "kubernetes-examples__newrelic-infrastructure__newrelic-infra-daemonset.yaml":
        'MountVolume.SetUp failed for volume "newrelic-config" : secret "newrelic-config" '
        "not found",
}
_REPLICATED = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")


def _daemon_nodes(template: dict) -> int:
    """Nodes of the default cluster a DaemonSet's pods belong on: nodeSelector labels present
    and every NoSchedule/NoExecute taint tolerated (with the controller's own tolerations)."""
    spec = template.get("spec") or {}
    tolerations = daemon_tolerations(spec)
    count = 0
    for node in default_nodes():
        labels = {"kubernetes.io/hostname": node.name, **node.labels}
        if any(labels.get(k) != str(v) for k, v in (spec.get("nodeSelector") or {}).items()):
            continue
        if all(any(tolerates(t, taint) for t in tolerations) for taint in node.taints
               if taint["effect"] in ("NoSchedule", "NoExecute")):
            count += 1
    return count


def expected_pods(path: Path) -> tuple[int, int]:
    """(long-running pods, Job pods that should succeed) the manifests ask for."""
    running = succeeded = 0
    for spec in load_manifests(path):
        manifest, body = spec.manifest, spec.manifest.get("spec") or {}
        if spec.kind in _REPLICATED:
            running += body.get("replicas", 1)
        elif spec.kind == "DaemonSet":
            running += _daemon_nodes(body.get("template") or {})
        elif spec.kind == "Pod":
            running += 1
        elif spec.kind == "Job" and not body.get("suspend"):
            succeeded += body.get("completions", 1)
        assert manifest["kind"] == spec.kind
    return running, succeeded


@pytest.mark.parametrize("path", corpus_params("kubernetes"))
def test_manifest_applies_and_runs_or_says_why_not(path: Path):
    cluster = KubernetesCluster(default_nodes(), seed=0)
    lines = cluster.apply(path)
    assert lines and all(line.endswith(" created") for line in lines)
    cluster.run(until=900)
    rows = cluster.pods()
    running, succeeded = expected_pods(path)
    if path.name in PENDING:
        pending = [p for p in rows if p.phase == "Pending"]
        assert pending, f"{path.name}: expected pending pods"
        for row in pending:
            assert row.node is None and row.reason == "Unschedulable"
            assert PENDING[path.name] in row.message
            assert row.message.startswith("0/4 nodes are available:")
        return
    if path.name in MISSING:
        warnings = [e.message for e in cluster.events if e.type == "Warning"]
        assert any(MISSING[path.name] in message for message in warnings), warnings
        assert not [p for p in rows if p.phase == "Running"]
        return
    live = [p for p in rows if p.phase == "Running"]
    done = [p for p in rows if p.phase == "Succeeded"]
    assert all(p.ready and p.node for p in live)
    assert (len(live), len(done)) == (running, succeeded), [
        (p.name, p.phase, p.reason, p.message) for p in rows]
    assert not [e for e in cluster.events if e.type == "Warning"]
