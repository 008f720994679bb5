"""``status.startTime``: the kubelet's status manager sets it the first time it stores the
Pod's status (``updateStatusInternal`` in ``pkg/kubelet/status/status_manager.go``), which
``SyncPod`` does before it mounts volumes or pulls images; the Pod's active deadline counts
from it (``pkg/kubelet/active_deadline.go``)."""

from __future__ import annotations

from typing import Any

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, Timing


def pod(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": "shop/web:2.0.3"}], **spec}}


def cluster() -> KubernetesCluster:
    return KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0,
                             timing=Timing(image_pull_seconds=5))


def test_start_time_is_the_kubelets_first_sync_not_the_containers_start():
    c = cluster()
    c.apply(pod())
    c.run(until=2)                                   # the image is still being pulled
    [scheduled] = c.events.where(reason="Scheduled")
    status = c.get("Pod", "default", "web")["status"]
    assert status.get("phase", "Pending") == "Pending"
    assert status["startTime"] == scheduled.time
    c.run(until=30)
    [started] = c.events.where(reason="Started")
    assert started.time > scheduled.time + 5
    assert c.get("Pod", "default", "web")["status"]["startTime"] == scheduled.time
    assert c.kubelet.started_at(c.get("Pod", "default", "web")) == {"web": started.time}


def test_a_pod_waiting_for_its_configmap_has_a_start_time():
    """SyncPod stores the status before WaitForAttachAndMount: a Pod stuck on FailedMount
    has started as far as the API is concerned."""
    c = cluster()
    c.apply(pod(volumes=[{"name": "conf", "configMap": {"name": "missing"}}]))
    c.run(until=20)
    assert c.events.where(reason="FailedMount")
    assert not c.events.where(reason="Pulling")
    assert c.get("Pod", "default", "web")["status"]["startTime"] == \
        c.events.where(reason="Scheduled")[0].time


def test_a_slow_pull_counts_towards_the_active_deadline():
    """The deadline passes while the image is pulled: the Pod fails DeadlineExceeded, no
    container having started, so none is killed."""
    c = cluster()
    c.apply(pod(activeDeadlineSeconds=3))
    c.run(until=30)
    status = c.get("Pod", "default", "web")["status"]
    [exceeded] = c.events.where(reason="DeadlineExceeded")
    assert (status["phase"], status["reason"]) == ("Failed", "DeadlineExceeded")
    assert exceeded.time == status["startTime"] + 3
    assert not c.events.where(reason="Started") and not c.events.where(reason="Killing")
