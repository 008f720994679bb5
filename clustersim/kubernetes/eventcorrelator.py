"""client-go's event correlator, which every core/v1 event recorder runs before it writes an
Event (about 150 lines).

Upstream: kubernetes/kubernetes ``staging/src/k8s.io/client-go/tools/record/events_cache.go``
(``EventCorrelator.EventCorrelate``), used by ``recordToSink`` in ``tools/record/event.go``.
The controllers of kube-controller-manager and the kubelet record through it; kube-scheduler
records through the events.k8s.io/v1 recorder (``tools/events``), which has no correlator
but its own series (the served API's ``_Broadcaster``), so its events are left alone here
(:data:`SCHEDULER_REASONS`). The kubelet's node events (``NodeReady``, ``NodeNotSchedulable``,
``EvictionThresholdMet``) and the node lifecycle controller's (``NodeNotReady``,
``RemovingNode``) go through it too, each recorder's keyed by its source (component and
host). Three steps, in
upstream's order (``EventCorrelate``: aggregate, observe, then filter):

- **Aggregation** (``EventAggregator``): events from one source about one object with one
  type and reason, but different messages, are *similar*. Once
  :data:`AGGREGATE_MAX_EVENTS` different messages were seen with no gap longer than
  :data:`AGGREGATE_INTERVAL` between two of them, each further one is written as one Event
  whose message is ``(combined from similar events): `` and the latest message, counted up.
- **Counting** (``eventLogger``): an Event identical to one written before (same source,
  object, field path, type, reason and message) raises that Event's ``count`` and
  ``lastTimestamp`` instead of making a new one; the served API does this when it lists
  the log (:func:`merge_key`). The logger counts each event it observes *before* the spam
  filter looks at it, so an occurrence the filter drops still counts: the next one written
  with its key carries it in its ``count`` (:attr:`Correlated.observed`).
- **Spam filter** (``EventSourceObjectSpamFilter``): each source and object has a token
  bucket of :data:`SPAM_BURST` events, refilled by one every :data:`SPAM_REFILL` seconds;
  an event finding it empty is not written at all.

Simplified: upstream keeps these records in LRU caches of 4,096 entries per recorder, which
a cluster of the course's size does not fill (a kubelet's 30 Pods leave each of its own far
from full); when the aggregation's set of messages is full it drops an arbitrary one (Go's
map order), here the oldest. A cluster of 150,000 Pods keeps four records for each, so they
are small: slotted, their messages a tuple, their keys holding the source's tuple rather
than a copy of its fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["AGGREGATE_INTERVAL", "AGGREGATE_MAX_EVENTS", "COMBINED_PREFIX",
           "SCHEDULER_REASONS", "SPAM_BURST", "SPAM_REFILL", "Correlated", "EventCorrelator",
           "merge_key"]

AGGREGATE_MAX_EVENTS = 10
"""``defaultAggregateMaxEvents``: the tenth different message of similar events is combined."""
AGGREGATE_INTERVAL = 600.0
"""``defaultAggregateIntervalInSeconds``: a similar event later than this after the last one
starts the count afresh."""
SPAM_BURST = 25
"""``defaultSpamBurst``: events one source may write about one object at once."""
SPAM_REFILL = 300.0
"""``defaultSpamQPS`` = 1/300: one more event every five minutes."""
COMBINED_PREFIX = "(combined from similar events): "
"""``EventAggregatorByReasonMessageFunc``'s prefix."""
SCHEDULER_REASONS = frozenset({"Scheduled", "FailedScheduling", "Preempted"})
"""The reasons of kube-scheduler's events, which go through the events.k8s.io/v1 recorder."""

Source = tuple[str, ...]
"""Who recorded an event about which object: the recorder's ``EventSource``, its host (a
kubelet's node, or empty) and component (:func:`clustersim.kubernetes.eventsource.component`),
and the object's ``kind/name``, namespace and uid: the spam filter's key (``getSpamKey``), so
that two controllers recording about one Pod (the node lifecycle controller's
``NodeNotReady``, the taint eviction controller's ``TaintManagerEviction``) each have their
own bucket."""


class Correlated(NamedTuple):
    """What the correlator lets a recorder write: the ``message`` (combined once similar
    events are many) and the occurrences of its key the write counts, ``observed``: 1 and
    those the spam filter dropped since the last one written (the logger's ``count`` went up
    for each of them), the first of which came at ``first`` (None: none was dropped). An
    Event whose first occurrences were all dropped starts then: the logger's
    ``firstTimestamp`` is its first observation's, which the written Event carries."""

    message: str
    observed: int = 1
    first: float | None = None


@dataclass(slots=True)
class _Similar:
    """``aggregateRecord``: the different messages seen, oldest first, and when the last
    came."""

    messages: tuple[str, ...] = ()
    last: float = float("-inf")


@dataclass(slots=True)
class _Bucket:
    """A ``flowcontrol`` token bucket: its tokens and when they were counted, and the
    source whose bucket it is (the key the source's other records share)."""

    tokens: float
    at: float
    source: Source


class EventCorrelator:
    """The correlator of the core/v1 recorders of one cluster (each recorder has its own
    upstream; their keys hold the source, so one table serves them all). ``burst`` and
    ``refill`` are the spam filter's, as ``CorrelatorOptions``' ``BurstSize`` and ``QPS``
    (1/``refill``) set them upstream (``NewEventCorrelatorWithOptions``)."""

    def __init__(self, burst: int = SPAM_BURST, refill: float = SPAM_REFILL) -> None:
        self._similar: dict[tuple[Source, str, str], _Similar] = {}
        """By the aggregation's key (``getSpamKey``'s source and object, type, reason)."""
        self._buckets: dict[Source, _Bucket] = {}
        self._dropped: dict[tuple[Source, str, str, str, str], tuple[int, float]] = {}
        """The occurrences the spam filter dropped since the last one written and when the
        first of them came, by the logger's key (``getEventKey``, or the aggregation's key
        for a combined event)."""
        self.burst, self.refill = burst, refill

    def correlate(self, now: float, source: Source, type: str, reason: str,
                  message: str, field_path: str = "") -> Correlated | None:
        """What to write for an event recorded at ``now`` about ``source``'s object (its
        container at ``field_path``, if any), or None when the spam filter drops it."""
        if reason in SCHEDULER_REASONS:
            return Correlated(message)
        bucket = self._buckets.get(source)
        if bucket is None:
            bucket = self._buckets[source] = _Bucket(float(self.burst), now, source)
        source = bucket.source          # one tuple for every record of this source
        key = (source, type, reason)
        similar = self._similar.get(key)
        if similar is None or now - similar.last > AGGREGATE_INTERVAL:
            similar = self._similar[key] = _Similar()
        if message not in similar.messages:
            similar.messages += (message,)
        similar.last = now
        if len(similar.messages) >= AGGREGATE_MAX_EVENTS:
            similar.messages = similar.messages[1:]
            message = COMBINED_PREFIX + message
        logged = (source, field_path, type, reason, merge_key(message))
        dropped, first = self._dropped.get(logged, (0, now))
        if not self._accept(bucket, now):
            self._dropped[logged] = (dropped + 1, first)
            return None
        self._dropped.pop(logged, None)
        return Correlated(message, 1 + dropped, first if dropped else None)

    def restarted(self, host: str) -> None:
        """The recorder of ``host`` (a node's kubelet) restarted: a new process has a new
        correlator, its caches and token buckets empty (``NewEventCorrelatorWithOptions`` at
        the kubelet's start), so what it records next is written again."""
        self._similar = {k: v for k, v in self._similar.items() if k[0][0] != host}
        self._buckets = {k: v for k, v in self._buckets.items() if k[0] != host}
        self._dropped = {k: v for k, v in self._dropped.items() if k[0][0] != host}

    def _accept(self, bucket: _Bucket, now: float) -> bool:
        """``TryAccept`` on the source's and object's bucket (full when first used)."""
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) / self.refill)
        bucket.at = now
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True


def merge_key(message: str) -> str:
    """The part of an event's message in the key under which the served API counts it up
    (``eventObserve``'s key): the whole message, but none for a combined event, whose key is
    the aggregation's (``EventAggregate`` returns ``aggregateKey``), so that all of them make
    one Event whose message is the latest."""
    return "" if message.startswith(COMBINED_PREFIX) else message
