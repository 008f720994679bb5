"""``podlifecycle``: the termination grace period, read once for the API server's deletion
and the kubelet (a negative value is 1 on the delete path; the kubelet gives a container it
kills at least 2 s), and the one test of a native sidecar."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.podlifecycle import (
    is_sidecar,
    kill_grace_period,
    termination_grace_period,
)


@pytest.mark.parametrize(("grace", "deleted", "killed"), [
    (None, 30.0, 30.0), (45, 45.0, 45.0), (0, 0.0, 2.0), (-5, 1.0, 2.0)])
def test_the_grace_period_of_a_deletion_and_of_a_kill(grace, deleted, killed):
    spec = {} if grace is None else {"terminationGracePeriodSeconds": grace}
    pod = {"spec": spec}
    assert (termination_grace_period(pod), kill_grace_period(pod)) == (deleted, killed)


def test_a_deleted_pod_with_a_negative_grace_period_records_one_second():
    """``BeforeDelete`` treats a negative grace period as 1 s: the Pod's
    ``deletionGracePeriodSeconds`` says 1 (it said -5)."""
    c = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    c.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
             "spec": {"terminationGracePeriodSeconds": -5,
                      "containers": [{"name": "c", "image": "nginx:1.27"}]}})
    c.run(until=30)
    c.delete("Pod", "p")
    assert c.get("Pod", "default", "p")["metadata"]["deletionGracePeriodSeconds"] == 1


def test_only_an_init_container_that_always_restarts_is_a_sidecar():
    assert is_sidecar({"restartPolicy": "Always"})
    assert not is_sidecar({}) and not is_sidecar({"restartPolicy": "OnFailure"})
