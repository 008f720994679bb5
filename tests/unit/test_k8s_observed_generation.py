"""A Pod's ``status.observedGeneration`` and its conditions' ``observedGeneration`` (KEP-5067,
on and locked since v1.35): the kubelet writes the generation it synced on the status and on
every condition it owns, the scheduler its own on ``PodScheduled`` when it cannot place the
Pod, the API server's binding and ``SchedulingGated`` conditions carry none, and a condition a
client writes keeps what the client sent (``preserveOldObservedGeneration``)."""

from __future__ import annotations

from typing import Any

from clustersim.kubernetes.cluster import KubernetesCluster, default_nodes
from clustersim.serve.kuberender import Renderer

POD = """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: "nginx:1.27"}]
"""
HUGE = """apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: c, image: "busybox:1.37", resources: {requests: {cpu: "64"}}}]
"""
GATED = """apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: example.com/queue}]
  containers: [{name: c, image: "busybox:1.37"}]
"""


def _cluster(manifest: str = POD) -> KubernetesCluster:
    cluster = KubernetesCluster(default_nodes(1))
    cluster.apply(manifest)
    cluster.run(until=30)
    return cluster


def _pod(cluster: KubernetesCluster, name: str = "web") -> dict[str, Any]:
    pod = cluster.get("Pod", "default", name)
    assert pod is not None
    return pod


def _generations(status: dict[str, Any]) -> dict[str, Any]:
    """Each condition's observedGeneration by type, and the status's under ``"status"``."""
    return {"status": status.get("observedGeneration"),
            **{c["type"]: c.get("observedGeneration") for c in status["conditions"]}}


def _new_image(cluster: KubernetesCluster, image: str) -> None:
    pod = _pod(cluster)
    cluster.update_pod(pod, {**pod["spec"], "containers": [
        {**pod["spec"]["containers"][0], "image": image}]})


def test_the_kubelet_writes_the_generation_it_synced():
    """After the first sync the status and the kubelet's conditions, stored and served, all
    say generation 1."""
    cluster = _cluster()
    pod = _pod(cluster)
    assert _generations(pod["status"]) == {"status": 1, "PodScheduled": 1, "Ready": 1}
    assert _generations(Renderer(cluster).shown(pod)["status"]) == {
        "status": 1, "PodReadyToStartContainers": 1, "Initialized": 1, "Ready": 1,
        "ContainersReady": 1, "PodScheduled": 1}


def test_an_image_change_moves_every_kubelet_condition_on():
    """The update counts generation 2 and the kubelet syncs it at once: the status and every
    condition it owns say 2, PodScheduled too although its status did not change (its
    lastTransitionTime stays)."""
    cluster = _cluster()
    scheduled_at = next(c for c in _pod(cluster)["status"]["conditions"]
                        if c["type"] == "PodScheduled")["lastTransitionTime"]
    _new_image(cluster, "nginx:1.28")
    pod = _pod(cluster)
    assert pod["metadata"]["generation"] == 2
    assert _generations(pod["status"]) == {"status": 2, "PodScheduled": 2, "Ready": 2}
    assert next(c for c in pod["status"]["conditions"]
                if c["type"] == "PodScheduled")["lastTransitionTime"] == scheduled_at
    cluster.run(until=60)
    assert set(_generations(Renderer(cluster).shown(pod)["status"]).values()) == {2}


def test_a_silent_kubelet_observes_the_update_when_its_node_is_back():
    cluster = _cluster()
    node = _pod(cluster)["spec"]["nodeName"]
    cluster.fail_node(node)
    _new_image(cluster, "nginx:1.28")
    assert _pod(cluster)["metadata"]["generation"] == 2
    assert _pod(cluster)["status"]["observedGeneration"] == 1
    cluster.recover_node(node)
    assert _pod(cluster)["status"]["observedGeneration"] == 2


def test_the_scheduler_writes_its_generation_on_an_unschedulable_pod():
    """PodScheduled False, Unschedulable, with the generation the scheduler saw; no kubelet has
    written a status yet."""
    cluster = _cluster(HUGE)
    status = _pod(cluster, "huge")["status"]
    assert "observedGeneration" not in status
    [scheduled] = status["conditions"]
    assert (scheduled["status"], scheduled["reason"], scheduled["observedGeneration"]) == (
        "False", "Unschedulable", 1)
    assert Renderer(cluster).shown(_pod(cluster, "huge"))["status"]["conditions"] == [
        {**scheduled, "lastTransitionTime": Renderer(cluster).timestamp(0)}]


def test_the_api_servers_conditions_carry_no_generation():
    """The SchedulingGated condition has none; removing the gate counts generation 2, the
    binding writes PodScheduled True without one, and the kubelet's first sync writes 2."""
    cluster = _cluster(GATED)
    [gated] = _pod(cluster, "gated")["status"]["conditions"]
    assert gated["reason"] == "SchedulingGated" and "observedGeneration" not in gated
    pod = _pod(cluster, "gated")
    cluster.update_pod(pod, {k: v for k, v in pod["spec"].items() if k != "schedulingGates"})
    cluster.run(until=40)
    pod = _pod(cluster, "gated")
    assert pod["metadata"]["generation"] == 2
    assert _generations(pod["status"]) == {"status": 2, "PodScheduled": 2, "Ready": 2}


def test_a_clients_condition_keeps_what_the_client_wrote():
    """A readiness gate's condition keeps its writer's observedGeneration, and one written
    again without it keeps the stored one; the kubelet's next sync leaves it alone."""
    cluster = _cluster()
    pod = _pod(cluster)
    kept = [c for c in pod["status"]["conditions"] if c["type"] in ("PodScheduled", "Ready")]
    cluster.update_pod_conditions(pod, [*kept, {"type": "example.com/lb", "status": "True",
                                                "observedGeneration": 7}])
    cluster.update_pod_conditions(pod, [*kept, {"type": "example.com/lb", "status": "False"}])
    _new_image(cluster, "nginx:1.28")
    assert _generations(_pod(cluster)["status"]) == {
        "status": 2, "PodScheduled": 2, "Ready": 2, "example.com/lb": 7}


def test_a_graceful_delete_counts_a_generation_the_kubelet_observes():
    """Setting the deletion timestamp counts generation 2 (``BeforeDelete``; the conformance
    test "custom-set generation on new pods and graceful delete" expects 2), and the kubelet's
    sync of the terminating pod writes 2 on its status and its conditions; a second delete of
    the terminating pod counts nothing more."""
    cluster = _cluster()
    cluster.delete("Pod", "web")
    pod = _pod(cluster)
    assert pod["metadata"]["generation"] == 2
    assert _generations(pod["status"]) == {"status": 2, "PodScheduled": 2, "Ready": 2}
    cluster.delete("Pod", "web")
    assert _pod(cluster)["metadata"]["generation"] == 2


def test_a_pod_deleted_on_a_silent_node_keeps_what_its_kubelet_last_wrote():
    cluster = _cluster()
    cluster.fail_node(_pod(cluster)["spec"]["nodeName"])
    cluster.delete("Pod", "web")
    pod = _pod(cluster)
    assert pod["metadata"]["generation"] == 2
    assert pod["status"]["observedGeneration"] == 1
