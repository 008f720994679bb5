"""The controller manager's work queue: an object whose sync the API server refused waits
out its back-off (``ItemExponentialFailureRateLimiter``), but an event about it or its Pods
enqueues it at once (``queue.Add``, client-go ``util/workqueue``), and a deleted object
leaves the queue (kubernetes/kubernetes ``pkg/controller/replicaset/replica_set.go``); and
the scheduling pass, which sees no Pod in a terminal phase; and the guard that turns a loop
at one simulated instant into an error."""

from __future__ import annotations

import re

import pytest

import clustersim.sim.clock
import clustersim.sim.events
from clustersim.kubernetes import KubernetesCluster, default_nodes
from tests.unit.test_k8s_eventcorrelator import _refused


def _alive(cluster) -> int:
    return sum(1 for p in cluster.objects("Pod") if not p["metadata"].get("deletionTimestamp"))


def test_a_backed_off_replicaset_replaces_a_deleted_pod_at_once():
    """Quota of 3 Pods, 5 replicas: by t=3000 s the back-off is many minutes long, yet
    ``deletePod`` enqueues the ReplicaSet, which makes the missing Pod within seconds."""
    cluster = _refused(pods_allowed=3, replicas=5)
    cluster.run(until=3000)
    uid = cluster.get("ReplicaSet", "default", "web")["metadata"]["uid"]
    waiting = cluster._retries[uid]
    assert waiting.due > 3100 and _alive(cluster) == 3
    cluster.delete("Pod", cluster.objects("Pod")[0]["metadata"]["name"])
    cluster.run(until=3040)
    assert _alive(cluster) == 3
    assert cluster._retries[uid].failures > waiting.failures   # NumRequeues is kept


def test_a_refused_replicaset_that_is_deleted_leaves_the_work_queue():
    cluster = _refused(pods_allowed=0, replicas=5)
    cluster.run(until=100)
    assert cluster._retries
    cluster.delete("ReplicaSet", "web")
    cluster.run(until=5000)
    assert cluster.get("ReplicaSet", "default", "web") is None
    assert cluster._retries == {}


def test_run_without_until_ends_while_a_refused_replicaset_waits():
    cluster = _refused(pods_allowed=3, replicas=5)
    cluster.run()
    assert _alive(cluster) == 3 and cluster._retries


def test_the_scheduler_drops_an_unbound_pod_in_a_terminal_phase():
    """Its Pod informer lists only Pods whose phase is neither Succeeded nor Failed
    (``newPodInformer``, ``pkg/scheduler/scheduler.go``): no more attempts at the queue's
    flushes, every five and a half minutes, once the Pod is Failed."""
    cluster = KubernetesCluster(default_nodes(1), seed=0)
    cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big"},
                   "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {
                       "requests": {"cpu": "500"}}}]}})
    cluster.run(until=5)
    pod = cluster.get("Pod", "default", "big")
    cluster.kubelet.phase_written(pod, "Failed")
    cluster.run(until=1000)
    assert pod["status"]["phase"] == "Failed" and not pod["spec"].get("nodeName")
    assert [e.time for e in cluster.events.where(reason="FailedScheduling")] == [0.0]


def test_a_loop_at_one_instant_is_an_error_naming_what_repeats(monkeypatch):
    """A reconcile whose work schedules more at the same instant, forever: the controller
    manager refuses after ``_MAX_RECONCILES_AT_ONE_INSTANT`` instead of hanging."""
    monkeypatch.setattr(clustersim.sim.clock, "MAX_RUN_EVENTS", 50_000)
    cluster = KubernetesCluster(default_nodes(1), seed=0)
    cluster.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "echo"}})
    subject = cluster.get("ConfigMap", "default", "echo")

    def again():
        cluster.record(subject, "Echo", "once more")
        cluster.changed()
        cluster.after(0, again)

    cluster.after(5, again)
    with pytest.raises(RuntimeError,
                       match=r"no progress: 1000 reconciles at t=5s .*recording Echo x"):
        cluster.run(until=10)


def test_the_loop_error_names_what_repeats_after_the_log_dropped_its_oldest(monkeypatch):
    """The guard remembers where the instant's events began by their number in the log: its
    index into a log that dropped its oldest events meanwhile (here kept to 300) had pointed
    near its end, and the error named only the few events past it. The loop writes to the
    log itself, past the correlator that would let only 25 of its events through."""
    monkeypatch.setattr(clustersim.sim.clock, "MAX_RUN_EVENTS", 50_000)
    monkeypatch.setattr(clustersim.sim.events, "MAX_LOGGED_EVENTS", 300)
    cluster = KubernetesCluster(default_nodes(1), seed=0)
    for _ in range(290):        # the log is nearly full when the loop begins
        cluster.events.record(0, "configmap/echo", "Before", "earlier")

    def again():
        cluster.events.record(cluster.now, "configmap/echo", "Echo", "once more")
        cluster.changed()
        cluster.after(0, again)

    cluster.after(5, again)
    with pytest.raises(RuntimeError) as refused:
        cluster.run(until=10)
    repeated = re.search(r"recording Echo x(\d+) \(", str(refused.value))
    assert repeated and 300 <= int(repeated[1]) <= len(cluster.events) <= 300 + 300 // 8
