"""The served Events, kept from one read to the next so that a read costs what changed and
a list's page what it shows, until they expire (about 380 lines).

A real API server stores each Event as its recorder writes it, and a list reads a range of
etcd's keys. The simulator makes its Events from the cluster's event log
(:meth:`~clustersim.serve.kubederived.DerivedObjects.events`), aggregated as the recorders
aggregate them before writing: the core/v1 recorders' correlator (a ``count``, which counts
the occurrences its spam filter dropped too, and ``lastTimestamp``, client-go
``tools/record/events_cache.go``) and the scheduler's
events.k8s.io/v1 broadcaster (a ``series``, :class:`_Broadcaster`). :class:`EventStore`
keeps what it made: each read aggregates only the log's events recorded since the last
(and the broadcaster's writes due by now), and names the Events that changed, the only
ones whose resourceVersion has to be found again (:mod:`~clustersim.serve.kubeversions`
digests what each shows). The Events are kept in the order of their storage keys
(``namespace/name``, as etcd orders them across namespaces too) with their times in simulated
seconds; :meth:`EventStore.shown` makes the one a response sends (its times as RFC 3339, on
the request's wall-clock anchor) and keeps it until the Event changes or the anchor moves,
so a page renders its own Events only, a GET its one, and a watch's look those changed since
the last. A field selector on ``involvedObject.name`` (the
one ``kubectl describe`` sends) reads an index of the Events by the name of their object
(:meth:`EventStore.about`), a shortcut of the simulator's with the same answer: upstream
tests each Event against the selector (``MatchEvent`` in kubernetes/kubernetes
``pkg/registry/core/event/strategy.go`` names no ``IndexFields``; the watch cache indexes
Pods by ``spec.nodeName`` only, ``pkg/registry/core/pod/strategy.go``).

The Events are made again from the log (the events it keeps) when something other than the
log changed what they show: a namespace's Events deleted
(:meth:`~clustersim.serve.kubederived.DerivedObjects.forget_events`), the scheduler's host,
an event recorded at a time before the last read (the broadcaster's clock would have run
past it), or the namespace of an Event whose event named none (it is taken from the object
the event is about, so it follows that object).

Events expire as etcd expires them: each write of an Event (its creation, each ``count`` or
``series`` written) gives it :data:`EVENT_TTL` more on the simulated clock, after which it is
gone from lists, GETs and watches (a watch sees it DELETED); past :data:`MAX_KEPT_EVENTS`
the Events written longest ago go first. The store decides this in the log's time order,
before each event is counted and again at the read's time, so what expires is a matter of
the events' times alone, the same whenever kubectl reads. Simplified: an occurrence after
its Event expired starts a new Event (``count`` 1), where client-go's correlator, whose
cache of 4,096 keys may still hold it, would create the expired Event again under its name
with its count (``recordEvent`` in ``tools/record/event.go`` creates it when its patch
finds it gone). The simulator's own event log (``KubernetesCluster.events``) keeps its last
:data:`~clustersim.limits.MAX_LOGGED_EVENTS` events, each numbered from the first (the
number a store reads on from, and the one in its Event's name), and a store made again from
it (see above) expires the old Events the same way; simplified: an Event whose events the
log dropped before the store is made again is not made again, though an API server would
keep it until it expires.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes import eventsource
from clustersim.kubernetes.eventcorrelator import merge_key
from clustersim.sim.events import Event

if TYPE_CHECKING:
    from clustersim.serve.kubederived import DerivedObjects

__all__ = ["EVENT_TTL", "MAX_KEPT_EVENTS", "SCHEDULER_ACTIONS", "EventStore", "StorageKey",
           "etcd_order", "event_namespace"]

EVENT_TTL = 3600.0
"""The API server's ``--event-ttl`` (default 1 hour: kubernetes/kubernetes
``pkg/controlplane/apiserver/options/options.go``), in simulated seconds: the Event registry
gives every write of an Event, a create or an update, that time to live in etcd
(``TTLFunc`` in ``pkg/registry/core/event/storage/storage.go``), whose lease then deletes
it."""
MAX_KEPT_EVENTS = 10_000
"""The simulator's safety limit on the Events kept (as the served swarm keeps its last
10,000 events): past it the Events written longest ago go before their time to live is up.
A real API server keeps every Event until it expires, within etcd's storage quota."""

SCHEDULER_ACTIONS = {"Scheduled": "Binding", "FailedScheduling": "Scheduling",
                     "Preempted": "Preempting"}
"""The events kube-scheduler records, by reason, with the action it gives each
(``Eventf(pod, nil, v1.EventTypeWarning, "FailedScheduling", "Scheduling", msg)`` in
``pkg/scheduler/schedule_one.go``, ``"Scheduled", "Binding"`` there too, ``"Preempted",
"Preempting"`` in ``framework/preemption/preemption.go``). It records them through the
events.k8s.io/v1 recorder, which sets ``reportingController`` (the profile's scheduler name)
and ``reportingInstance`` (that name, ``-`` and the host's name: ``NewRecorder`` in client-go
``tools/events/event_broadcaster.go``), ``eventTime`` and ``action``, and none of the
deprecated fields, so the v1 Event shows an empty ``source``, null ``firstTimestamp`` and
``lastTimestamp`` and no ``count`` (``Convert_v1_Event_To_core_Event``,
``pkg/apis/events/v1/conversion.go``; ``count`` is ``omitempty``)."""
_SERIES_FINISH = 360.0
"""``finishTime``: every 6 minutes the events.k8s.io/v1 broadcaster writes the count of each
series last seen more than 6 minutes before and forgets it, and forgets each single event
that old (``finishSeries`` in client-go ``tools/events/event_broadcaster.go``)."""
_SERIES_REFRESH = 1800.0
"""``refreshTime``: every 30 minutes it writes the count of every series it still holds
(``refreshExistingEventSeries``)."""

StorageKey = tuple[str, str]
"""An Event's etcd key below the list's prefix: its namespace and name."""


def etcd_order(stored: StorageKey) -> tuple[str, str]:
    """What orders ``stored`` as etcd orders the keys ``namespace/name`` (a list across
    namespaces): the namespace with its ``/`` (no namespace holds one, so this compares as
    the whole key does: ``team-a/`` before ``team/``), then the name."""
    return stored[0] + "/", stored[1]


def _namespace_order(stored: StorageKey) -> str:
    return stored[0] + "/"


def event_namespace(involved: dict[str, Any]) -> str:
    """The namespace of the Event about ``involved`` (its reference): the object's, and
    ``default`` for a Node's (a cluster-scoped object's events go there)."""
    return "default" if involved["kind"] == "Node" else involved.get("namespace", "default")


def _recorder(event: Event) -> tuple[str, str]:
    """Who recorded ``event``, as the keys under which client-go counts a core/v1 event up
    begin (``getEventKey`` and ``EventAggregatorByReasonFunc`` in ``tools/record/
    events_cache.go``: ``source.component``, then ``source.host``): a kubelet's
    ``NodeNotReady`` and the node controller's, of one Node and message, are two Events.
    The scheduler's events are all its one recorder's."""
    kind = event.object.partition("/")[0]
    return eventsource.component(event.reason, kind, event.host), event.host


class EventStore:
    """The Events made from ``derived``'s cluster's log so far (see the module docstring).
    ``order`` holds their storage keys in etcd's order (:func:`etcd_order`); ``rebuilt``: the
    last :meth:`update` made them all again (those no longer made are gone)."""

    def __init__(self, derived: DerivedObjects) -> None:
        self.derived = derived
        self.stale = True
        """Make every Event again at the next :meth:`update`."""
        self.rebuilt = False
        self.expired = False
        """The last :meth:`update` let Events go (they expired, or passed the cap)."""
        self._rebuild("")

    def _rebuild(self, host: str) -> None:
        self.items: dict[StorageKey, dict[str, Any]] = {}
        self.order: list[StorageKey] = []
        self.read = 0
        """The number of the log's first event not yet aggregated
        (:meth:`~clustersim.sim.EventLog.since`)."""
        self._merged: dict[tuple[str, ...], dict[str, Any]] = {}
        self._keys: dict[StorageKey, tuple[str, ...]] = {}
        """Each Event's key in :attr:`_merged`, or in the broadcaster's cache."""
        self._written: OrderedDict[StorageKey, float] = OrderedDict()
        """When each Event was last written, the longest ago first: the next to expire."""
        self._broadcaster = _Broadcaster(self._touch)
        self._about: dict[str, list[StorageKey]] = {}
        self._volatile: dict[StorageKey, int] = {}
        """The Events whose references are read from the objects they name (an event that
        gave no namespace or uid, a provisioner's): key and the number of the log's event
        they came from, while the log keeps it."""
        self._changed: dict[StorageKey, None] = {}
        """The Events changed since the last :meth:`take_changed`, in the order of their last
        write."""
        self._shown: dict[StorageKey, tuple[dict[str, Any], dict[str, float]]] = {}
        """Each Event as :meth:`shown` last made it, while it and the anchor are the same."""
        self._anchor = self.derived.clock.base
        self._host = host
        self._advanced = float("-inf")
        self.stale = False

    def update(self) -> EventStore:
        """Aggregate the log's new events and run the broadcaster to now (everything again
        when :attr:`stale`, see the module docstring)."""
        derived, log = self.derived, self.derived.cluster.events
        self.rebuilt = self.expired = False
        while True:
            host = derived.scheduler_host()
            unread = log.since(self.read)
            if self.stale or host != self._host or (
                    unread and unread[0][1].time < self._advanced):
                self._rebuild(host)
                self.rebuilt = True
                unread = log.since(self.read)
            new: list[StorageKey] = []
            for number, event in unread:
                self._aggregate(number, event, new)
            self.read = log.recorded
            self._advanced = derived.cluster.now
            self._broadcaster.advance(self._advanced)
            if new:     # less those that expired in this same read
                self.order.extend(stored for stored in new if stored in self.items)
                self.order.sort(key=etcd_order)
            self._recheck()
            if not self.stale:
                self._expire(self._advanced)
                return self

    def _aggregate(self, index: int, event: Event, new: list[StorageKey]) -> None:
        """The log's event numbered ``index``, written as a new Event or counted in one: a
        core/v1 recorder's in the Event of the same key and message (the correlator), the
        scheduler's in its series while the broadcaster holds it; ``new`` gets the storage
        key of a new Event. Those of a namespace deleted since are left out. The Events
        expired by the event's time go first, so what expires depends on the log's times
        alone, never on when a client read (the log is in time order)."""
        if index < self.derived.forgotten.get(event.namespace, 0):
            return
        action = SCHEDULER_ACTIONS.get(event.reason)
        key = (*_recorder(event), event.object, event.namespace, event.uid, event.field_path,
               event.type, event.reason, *event.related)
        self._broadcaster.advance(event.time)
        self._expire(event.time)        # before counting: an expired Event is not joined
        if action is not None:
            if self._broadcaster.repeat(key, event.time):
                return
        else:
            merged = self._merged.get((*key, merge_key(event.message)))
            if merged is not None:
                merged["message"] = event.message
                merged["count"] += event.observed
                merged["_times"]["lastTimestamp"] = event.time
                self._touch(merged, event.time)
                return
        item = self.derived.made_event(index, event, action, self._host)
        if action is None:          # with the occurrences the spam filter dropped before it
            item["count"] = event.observed
            if event.first_observed is not None:    # the first of them: the logger's
                item["_times"]["firstTimestamp"] = event.first_observed
        meta = item["metadata"]
        stored = (meta["namespace"], meta["name"])
        self.items[stored] = item
        new.append(stored)
        self._changed[stored] = None    # new: nothing shown to forget
        self._wrote(stored, event.time)
        self._about.setdefault(item["involvedObject"]["name"], []).append(stored)
        if self.derived.named_by_lookup(event):
            self._volatile[stored] = index
        if action is not None:
            self._broadcaster.add(key, item, event.time)
            self._keys[stored] = key
        else:
            self._keys[stored] = (*key, merge_key(event.message))
            self._merged[self._keys[stored]] = item

    def _touch(self, item: dict[str, Any], t: float) -> None:
        """``item`` changed (counted, or its series written) at simulated second ``t``."""
        meta = item["metadata"]
        stored = (meta["namespace"], meta["name"])
        self._changed_item(stored)
        self._wrote(stored, t)

    def _wrote(self, stored: StorageKey, t: float) -> None:
        """The Event ``stored`` was written at ``t``: its time to live starts again."""
        self._written[stored] = t
        self._written.move_to_end(stored)

    def _expire(self, now: float) -> None:
        """Let go the Events last written :data:`EVENT_TTL` or more before ``now``, and the
        oldest written past :data:`MAX_KEPT_EVENTS`."""
        while self._written and (len(self._written) > MAX_KEPT_EVENTS
                                 or next(iter(self._written.values())) <= now - EVENT_TTL):
            stored, _ = self._written.popitem(last=False)
            item = self.items.pop(stored)
            at = bisect.bisect_left(self.order, etcd_order(stored), key=etcd_order)
            if at < len(self.order) and self.order[at] == stored:
                del self.order[at]      # else made since the last read: not yet in order
            name = item["involvedObject"]["name"]
            self._about[name].remove(stored)
            if not self._about[name]:
                del self._about[name]
            key = self._keys.pop(stored)
            if self._merged.get(key) is item:
                del self._merged[key]
            if self._broadcaster.cache.get(key, (None,))[0] is item:
                del self._broadcaster.cache[key]
            self._volatile.pop(stored, None)
            self._changed.pop(stored, None)
            self._shown.pop(stored, None)
            self.expired = True

    def _changed_item(self, stored: StorageKey) -> None:
        """The Event ``stored`` changed: its version is found again, and it is shown anew."""
        self._changed.pop(stored, None)         # to the end: the last written
        self._changed[stored] = None
        self._shown.pop(stored, None)

    def _recheck(self) -> None:
        """Read again the references of the Events that look up the object they name (while
        the log keeps their event); one whose namespace moved makes the store
        :attr:`stale`."""
        log = self.derived.cluster.events
        for stored, index in list(self._volatile.items()):
            event = log.numbered(index)
            if event is None:           # dropped: the Event keeps what it last said
                del self._volatile[stored]
                continue
            item = self.items[stored]
            found = self.derived.references(index, event, self._host)
            if event_namespace(found["involvedObject"]) != stored[0]:
                self.stale = True
                return
            if any(item[field] != value for field, value in found.items()):
                item.update(found)
                self._changed_item(stored)

    def take_changed(self) -> list[dict[str, Any]]:
        """The Events changed since the last call, in the order of their last write, the
        order their versions are numbered in: etcd numbers each write as it comes, and a
        watch is sent the Events in that order (``kubectl get events -w`` shows a Pod's
        ``Scheduled`` after its ReplicaSet's ``SuccessfulCreate``), where a list reads them
        in the order of their keys."""
        changed, self._changed = list(self._changed), {}
        return [self.items[stored] for stored in changed]

    def listed(self, namespace: str | None) -> list[dict[str, Any]]:
        """The Events of ``namespace`` (every one for None), in storage-key order."""
        if namespace is None:
            return [self.items[stored] for stored in self.order]
        low = bisect.bisect_left(self.order, namespace + "/", key=_namespace_order)
        high = bisect.bisect_right(self.order, namespace + "/", low, key=_namespace_order)
        return [self.items[stored] for stored in self.order[low:high]]

    def named(self, namespace: str, name: str) -> list[dict[str, Any]]:
        """The Event ``name`` of ``namespace``, if it is made (a GET's one)."""
        found = self.items.get((namespace, name))
        return [] if found is None else [found]

    def about(self, name: str, namespace: str | None) -> list[dict[str, Any]]:
        """The Events of ``namespace`` (every one for None) whose ``involvedObject`` has
        ``name``, in storage-key order: what a field selector on ``involvedObject.name``
        can select (``kubectl describe``'s), read from an index instead of every Event."""
        return [self.items[stored] for stored in sorted(self._about.get(name, ()), key=etcd_order)
                if namespace in (None, stored[0])]

    def shown(self, item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
        """``item`` as a response shows it, without its resourceVersion, and its simulated
        times: RFC 3339 times on the request's anchor, to the microsecond for the
        scheduler's (``MicroTime``), each field where :meth:`DerivedObjects.made_event
        <clustersim.serve.kubederived.DerivedObjects.made_event>` put it. The same ``item``
        is shown by the same objects until it changes or the anchor moves (a caller may
        stamp its version on them, never change what they show)."""
        meta = item["metadata"]
        stored = (meta["namespace"], meta["name"])
        if self._anchor != self.derived.clock.base:
            self._shown, self._anchor = {}, self.derived.clock.base
        found = self._shown.get(stored)
        if found is None:
            found = self._shown[stored] = self._show(item)
        return found

    def _show(self, item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, float]]:
        stamp, micro = self.derived.timestamp, self.derived.microtime
        times = dict(item["_times"])
        obj = {field: value for field, value in item.items() if field != "_times"}
        obj["metadata"] = {**item["metadata"],
                           "creationTimestamp": stamp(times["creationTimestamp"])}
        if "action" in obj:
            obj["eventTime"] = micro(times["eventTime"])
        else:
            obj["firstTimestamp"] = stamp(times["firstTimestamp"])
            obj["lastTimestamp"] = stamp(times["lastTimestamp"])
        if "series" in obj:
            obj["series"] = {**obj["series"],
                             "lastObservedTime": micro(times["lastObservedTime"])}
        return obj, times


class _Broadcaster:
    """The scheduler's events.k8s.io/v1 event broadcaster, which keeps the events it wrote
    in the last minutes and makes a ``series`` of those that recur (``recordToSink``,
    ``refreshExistingEventSeries``, ``finishSeries`` in client-go ``tools/events/
    event_broadcaster.go``), started at simulated second 0.

    Its key leaves the message out (``getKey``: type, action, reason, reporting controller
    and instance, the object and the related one): a Pod's FailedScheduling events are one
    Event, whose message stays the first one's. The first repeat writes ``series`` at once
    with count 2; later ones only count in its cache until the next refresh
    (:data:`_SERIES_REFRESH`) or the series ends (:data:`_SERIES_FINISH`). ``written``: told
    of each Event whose series it writes, and when."""

    def __init__(self, written: Callable[[dict[str, Any], float], None]) -> None:
        self.written = written
        self.cache: dict[tuple[str, ...], tuple[dict[str, Any], int, float]] = {}
        """Each recent event by key: the Event written, its count (0: no series yet) and
        when it was last seen."""
        self.next_finish = self.next_refresh = 0.0

    def add(self, key: tuple[str, ...], item: dict[str, Any], t: float) -> None:
        self.cache[key] = (item, 0, t)

    def repeat(self, key: tuple[str, ...], t: float) -> bool:
        """Counts an event of ``key`` seen at ``t`` in the series of the one written before,
        if the broadcaster still holds it (False: a new Event is written)."""
        if key not in self.cache:
            return False
        item, count, _ = self.cache[key]
        self.cache[key] = (item, max(count, 1) + 1, t)
        if not count:
            self._write(key, t)
        return True

    def advance(self, now: float) -> None:
        """Runs the refreshes and finishes due by simulated second ``now``."""
        while min(self.next_finish, self.next_refresh) <= now:
            if self.next_refresh <= self.next_finish:
                for key, (_, count, _) in self.cache.items():
                    if count:
                        self._write(key, self.next_refresh)
                self.next_refresh += _SERIES_REFRESH
                continue
            ended = self.next_finish - _SERIES_FINISH
            for key, (_, count, last) in list(self.cache.items()):
                if last < ended:
                    if count:
                        self._write(key, self.next_finish)
                    del self.cache[key]
            self.next_finish += _SERIES_FINISH

    def _write(self, key: tuple[str, ...], at: float) -> None:
        item, count, last = self.cache[key]
        item["series"] = {"count": count, "lastObservedTime": None}
        item["_times"]["lastObservedTime"] = last
        self.written(item, at)
