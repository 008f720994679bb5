"""A Pod that keeps finalizers is not removed when it is deleted: the API server leaves it,
``deletionTimestamp`` set, until its last finalizer goes (k8s.io/apiserver
``pkg/registry/generic/registry/store.go``: ``updateForGracefulDeletionAndFinalizers`` and
``ShouldDeleteDuringUpdate``), and its kubelet makes it terminal once its containers have
stopped (the pod-lifecycle page: deleted Pods reach a terminal phase "except for static
Pods and force-deleted Pods without a finalizer"). The simulator had removed every Pod when
its kubelet was done, finalizers or not, so ``kubectl wait --for=delete`` returned at
once and no Pod was ever seen stuck Terminating."""

from __future__ import annotations

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.serve import serve
from tests.unit.test_k8s_adoption import needs_kubectl
from tests.unit.test_serve_kubectl import Kubectl

HOLD = "example.com/hold"


def _pod(name: str = "p", **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "finalizers": [HOLD]},
            "spec": {"containers": [{"name": "c", "image": "nginx",
                                     "resources": {"requests": {"cpu": "6"}}}], **spec}}


def _cluster() -> KubernetesCluster:
    return KubernetesCluster([Node("node-1", cpu="8", memory="16Gi")], seed=0)


def test_a_deleted_pod_with_a_finalizer_stays_terminal_until_the_finalizer_goes():
    cluster = _cluster()
    cluster.apply(_pod())
    cluster.run(until=30)
    cluster.delete("pod", "p")
    cluster.run(until=120)
    pod = cluster.get("Pod", "default", "p")
    assert pod is not None, "removed although it keeps a finalizer"
    assert pod["metadata"]["deletionGracePeriodSeconds"] == 0
    assert pod["status"]["phase"] == "Failed"       # stopped by SIGTERM, exit code 143
    cluster.apply(_pod("q"))        # its 6 CPUs are free again: q fits beside it
    cluster.run(until=150)
    assert cluster.get("Pod", "default", "q")["spec"].get("nodeName") == "node-1"
    cluster.set_finalizers(pod, [])
    assert cluster.get("Pod", "default", "p") is None


def test_a_finalizer_taken_during_the_grace_period_leaves_the_pod_to_its_kubelet():
    """``ShouldDeleteDuringUpdate`` deletes only once the grace period is 0: before that
    the Pod stays until its kubelet's last DELETE, which then removes it."""
    cluster = _cluster()
    cluster.apply(_pod(terminationGracePeriodSeconds=30,
                       containers=[{"name": "c", "image": "nginx", "lifecycle": {
                           "preStop": {"sleep": {"seconds": 20}}}}]))
    cluster.run(until=30)
    cluster.delete("pod", "p")
    cluster.run(until=35)
    pod = cluster.get("Pod", "default", "p")
    cluster.set_finalizers(pod, [])
    assert cluster.get("Pod", "default", "p") is pod
    cluster.run(until=90)
    assert cluster.get("Pod", "default", "p") is None


def test_an_unscheduled_pod_with_a_finalizer_stays_once_deleted():
    """An unscheduled Pod's grace period is 0 (``CheckGracefulDelete``), so it would go at
    once; its finalizer keeps it, Pending, with its deletion marked."""
    cluster = _cluster()
    cluster.apply(_pod(nodeSelector={"disk": "ssd"}))
    cluster.run(until=10)
    cluster.delete("pod", "p")
    pod = cluster.get("Pod", "default", "p")
    assert pod["metadata"]["deletionGracePeriodSeconds"] == 0
    assert pod["status"]["phase"] == "Pending"
    cluster.set_finalizers(pod, [])
    assert cluster.get("Pod", "default", "p") is None


@needs_kubectl
def test_kubectl_sees_a_pod_held_by_its_finalizer_until_a_patch_removes_it(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("run", "held", "--image=nginx")
        kubectl("patch", "pod", "held", "--type=merge", "-p",
                f'{{"metadata":{{"finalizers":["{HOLD}"]}}}}')
        server.step(20)
        kubectl("delete", "pod", "held", "--wait=false")
        assert kubectl.rows("get", "pods")[0][2] == "Terminating"
        server.step(60)
        assert kubectl.rows("get", "pods")[0][0] == "held"
        waited = kubectl("wait", "--for=delete", "pod/held", "--timeout=1s", check=False)
        assert waited.returncode != 0
        kubectl("patch", "pod", "held", "--type=json", "-p",
                '[{"op":"remove","path":"/metadata/finalizers"}]')
        kubectl("wait", "--for=delete", "pod/held", "--timeout=5s")
        assert "No resources found" in kubectl("get", "pods").stderr


@needs_kubectl
def test_a_namespace_waits_for_the_pod_its_finalizer_holds(tmp_path):
    """The namespace controller deletes the Pod and waits for it: the namespace stays
    Terminating, its condition naming the finalizer, until a patch takes the finalizer."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "namespace", "team")
        kubectl("run", "held", "-n", "team", "--image=nginx")
        kubectl("patch", "pod", "held", "-n", "team", "--type=merge", "-p",
                f'{{"metadata":{{"finalizers":["{HOLD}"]}}}}')
        server.step(20)
        kubectl("delete", "namespace", "team", "--wait=false")
        server.step(60)
        assert kubectl.rows("get", "ns", "team")[0][1] == "Terminating"
        messages = kubectl("get", "ns", "team", "-o",
                           "jsonpath={.status.conditions[*].message}").stdout
        assert f"{HOLD} in 1 resource instances" in messages
        kubectl("patch", "pod", "held", "-n", "team", "--type=merge", "-p",
                '{"metadata":{"finalizers":null}}')
        server.step(10)
        assert kubectl("get", "ns", "team", check=False).returncode != 0
