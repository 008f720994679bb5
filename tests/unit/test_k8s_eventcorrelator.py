"""client-go's event correlator (``tools/record/events_cache.go``) as the simulator's
recorders run it, the ReplicaSet's slow-start batches (``slowStartBatch`` in
``pkg/controller/replicaset/replica_set.go``) and the work queue's back-off after a refused
sync (``DefaultControllerRateLimiter``): together they turn a quota that refuses every Pod
from a stream of events into a few. The node lifecycle controller's and the kubelets' events
about Nodes pass their recorders' correlators as well, and an occurrence the spam filter
dropped counts in the next one written (``EventCorrelate`` observes before it filters)."""

from __future__ import annotations

from datetime import datetime
from itertools import takewhile

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.kubernetes.eventcorrelator import (
    AGGREGATE_INTERVAL,
    AGGREGATE_MAX_EVENTS,
    COMBINED_PREFIX,
    SPAM_BURST,
    SPAM_REFILL,
    EventCorrelator,
)
from clustersim.kubernetes.kubelet import Timing
from clustersim.serve.kubernetes import KubernetesBackend
from tests.unit.test_k8s_resourcequota import quota

SOURCE = ("", "replicaset/web-1", "default", "uid-1")


def _text(correlator: EventCorrelator, at: float, source: tuple[str, ...], type: str,
          reason: str, message: str) -> str | None:
    """The message the correlator lets through, or None."""
    written = correlator.correlate(at, source, type, reason, message)
    return None if written is None else written.message


def _messages(correlator: EventCorrelator, count: int, at: float = 0.0) -> list[str | None]:
    return [_text(correlator, at, SOURCE, "Warning", "FailedCreate", f"refused {i}")
            for i in range(count)]


def test_the_tenth_different_message_of_similar_events_is_combined():
    """``EventAggregate``: fewer than maxEvents distinct messages pass as they are."""
    written = _messages(EventCorrelator(), AGGREGATE_MAX_EVENTS + 2)
    assert written[:AGGREGATE_MAX_EVENTS - 1] == [
        f"refused {i}" for i in range(AGGREGATE_MAX_EVENTS - 1)]
    assert written[AGGREGATE_MAX_EVENTS - 1:] == [
        f"{COMBINED_PREFIX}refused {i}"
        for i in range(AGGREGATE_MAX_EVENTS - 1, AGGREGATE_MAX_EVENTS + 2)]


def test_similar_events_after_a_quiet_interval_start_afresh():
    correlator = EventCorrelator()
    _messages(correlator, AGGREGATE_MAX_EVENTS)
    later = _text(correlator, AGGREGATE_INTERVAL + 1, SOURCE, "Warning", "FailedCreate",
                  "refused again")
    assert later == "refused again"


def test_the_spam_filter_lets_a_burst_through_then_one_every_five_minutes():
    correlator = EventCorrelator()
    same = [_text(correlator, 0.0, SOURCE, "Normal", "Pulled", "pulled")
            for _ in range(SPAM_BURST + 1)]
    assert same[:SPAM_BURST] == ["pulled"] * SPAM_BURST and same[-1] is None
    assert _text(correlator, SPAM_REFILL / 2, SOURCE, "Normal", "Pulled", "pulled") is None
    assert _text(correlator, SPAM_REFILL, SOURCE, "Normal", "Pulled", "pulled") == "pulled"
    other = ("", "replicaset/web-2", "default", "uid-2")        # another object: its own bucket
    assert _text(correlator, SPAM_REFILL, other, "Normal", "Pulled", "pulled") == "pulled"


def test_occurrences_the_spam_filter_dropped_count_in_the_next_one_written():
    """``EventCorrelate`` observes (the logger's count) before it filters: each dropped
    occurrence raises the count the next written one of the same key carries; one of
    another message, or another container's, counts its own."""
    correlator = EventCorrelator()
    for _ in range(SPAM_BURST):
        assert correlator.correlate(0.0, SOURCE, "Normal", "Pulled", "pulled").observed == 1
    dropped = [correlator.correlate(t, SOURCE, "Normal", "Pulled", "pulled")
               for t in (1.0, 2.0, 3.0)]
    other = correlator.correlate(4.0, SOURCE, "Normal", "Pulled", "pulled", "spec.containers{b}")
    assert dropped == [None] * 3 and other is None
    assert correlator.correlate(SPAM_REFILL, SOURCE, "Normal", "Pulled", "pulled").observed == 4
    later = correlator.correlate(2 * SPAM_REFILL, SOURCE, "Normal", "Pulled", "pulled",
                                 "spec.containers{b}")
    assert later.observed == 2


def test_the_schedulers_events_are_not_correlated():
    """kube-scheduler records through events.k8s.io/v1, which has no correlator."""
    correlator = EventCorrelator()
    written = [_text(correlator, 0.0, SOURCE, "Warning", "FailedScheduling", f"no {i}")
               for i in range(SPAM_BURST + 5)]
    assert written == [f"no {i}" for i in range(SPAM_BURST + 5)]


def _refused(pods_allowed: int, replicas: int) -> KubernetesCluster:
    cluster = KubernetesCluster(default_nodes(2), seed=0)
    cluster.apply(quota({"pods": str(pods_allowed)}))
    cluster.apply({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
                   "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                                "containers": [{"name": "app", "image": "nginx"}]}}}})
    return cluster


def test_a_replicaset_creates_in_slow_start_batches_and_stops_at_a_refused_batch():
    """Batches of 1, 2, 4: the quota admits 3 Pods, so the third batch's four creates are
    all tried and refused, and the other three missing Pods are not tried. (The scheduler's
    binds that follow are Pod updates, which enqueue the ReplicaSet again: ``updatePod``.)"""
    cluster = _refused(pods_allowed=3, replicas=10)
    at_start = list(takewhile(lambda e: e.time == 0.0 and e.reason != "Scheduled",
                              cluster.events))
    assert [e.reason for e in at_start].count("SuccessfulCreate") == 3
    assert [e.reason for e in at_start].count("FailedCreate") == 4


def test_a_refused_replicaset_is_retried_after_a_doubling_back_off():
    """5 ms, 10 ms, 20 ms, ... (``ItemExponentialFailureRateLimiter``): the tries within
    30 s are those at 5 ms * (2^k - 1)."""
    cluster = _refused(pods_allowed=0, replicas=5)
    cluster.run(until=30)
    times = [e.time for e in cluster.events.where(reason="FailedCreate")]
    expected, k = [], 0
    while 0.005 * (2 ** k - 1) <= 30:
        expected.append(0.005 * (2 ** k - 1))
        k += 1
    assert len(times) == len(expected) and all(
        abs(a - b) < 1e-9 for a, b in zip(times, expected, strict=True))


def test_the_served_api_shows_combined_failures_as_one_event_with_a_count():
    cluster = _refused(pods_allowed=0, replicas=5)
    cluster.run(until=60)
    tries = cluster.events.where(reason="FailedCreate")
    events = [e for e in KubernetesBackend(cluster).renderer.events()
              if e["reason"] == "FailedCreate"]
    combined = [e for e in events if e["message"].startswith(COMBINED_PREFIX)]
    assert len(events) == AGGREGATE_MAX_EVENTS            # nine as they were, one combined
    assert len(combined) == 1
    assert combined[0]["count"] == len(tries) - (AGGREGATE_MAX_EVENTS - 1)
    assert combined[0]["message"] == tries[-1].message


def _flapping(flaps: int) -> KubernetesCluster:
    """A node that fails and comes back ``flaps`` times, a second apart (the node lifecycle
    controller's grace period shortened to 1 s, so that the spam filter refills no token)."""
    cluster = KubernetesCluster(default_nodes(2), seed=0,
                                timing=Timing(node_monitor_grace_period=1.0))
    for _ in range(flaps):
        cluster.fail_node("worker-1")
        cluster.run(until=cluster.now + 1.5)
        cluster.recover_node("worker-1")
        cluster.run(until=cluster.now + 0.5)
    return cluster


def _not_ready(cluster: KubernetesCluster) -> list[dict]:
    return [e for e in KubernetesBackend(cluster).renderer.events()
            if e["reason"] == "NodeNotReady" and e["involvedObject"]["kind"] == "Node"]


def test_a_flapping_nodes_not_ready_events_pass_the_node_controllers_spam_filter():
    """The node lifecycle controller's recorder runs client-go's correlator (its
    ``NodeNotReady`` about a Node as well): 25 at once, then one every five minutes; its
    kubelet's ``NodeReady`` has a bucket of its own (another source)."""
    flaps = SPAM_BURST + 10
    cluster = _flapping(flaps)
    written = cluster.events.where(reason="NodeNotReady", object="node/worker-1")
    assert len(written) == SPAM_BURST
    assert len(cluster.events.where(reason="NodeReady", object="node/worker-1")) == SPAM_BURST
    [event] = _not_ready(cluster)
    assert event["count"] == SPAM_BURST
    # five minutes later one more is written, and its count holds the ten dropped
    cluster.run(until=cluster.now + SPAM_REFILL)
    cluster.fail_node("worker-1")
    cluster.run(until=cluster.now + 1.5)
    assert len(cluster.events.where(reason="NodeNotReady", object="node/worker-1")) == \
        SPAM_BURST + 1
    [event] = _not_ready(cluster)
    assert event["count"] == flaps + 1


def test_two_controllers_recording_about_one_pod_have_a_bucket_each():
    """``getSpamKey`` begins with the source's component and host: the node lifecycle
    controller (``node-controller``) and the taint eviction controller
    (``taint-eviction-controller``), neither naming a host, filter their events about one
    Pod apart; they had shared one bucket, so one's events used up the other's."""
    cluster = KubernetesCluster(default_nodes(1), seed=0)
    cluster.correlator = EventCorrelator(burst=1)
    pod = {"kind": "Pod", "metadata": {"name": "p", "namespace": "default", "uid": "u"}}
    cluster.record(pod, "NodeNotReady", "Node is not ready", "Warning")
    cluster.record(pod, "TaintManagerEviction", "Marking for deletion Pod default/p")
    assert [e.reason for e in cluster.events.where(object="pod/p")] == [
        "NodeNotReady", "TaintManagerEviction"]


def test_an_event_whose_first_occurrences_were_dropped_starts_at_the_first():
    """``eventObserve`` keeps the first observation's ``firstTimestamp`` whether or not the
    spam filter then drops it, so the Event written later starts at that first occurrence
    (it had started at the one written)."""
    cluster = KubernetesCluster(default_nodes(1), seed=0)
    cluster.correlator = EventCorrelator(burst=1)
    node = {"kind": "Node", "metadata": {"name": "worker-1"}}
    cluster.record(node, "RegisteredNode", "registered")      # empties the bucket
    cluster.run(until=10)
    cluster.record(node, "RemovingNode", "removing")          # dropped, but observed
    cluster.run(until=10 + SPAM_REFILL)
    cluster.record(node, "RemovingNode", "removing")          # written, counting both
    [event] = [e for e in KubernetesBackend(cluster).renderer.events()
               if e["reason"] == "RemovingNode"]
    first, last = (datetime.fromisoformat(event[f]) for f in ("firstTimestamp",
                                                              "lastTimestamp"))
    assert (event["count"], (last - first).total_seconds()) == (2, SPAM_REFILL)
