"""The API server's watch cache: the window of recent changes of each kind it keeps, and the
410 a watch from a resourceVersion before that window gets.

After k8s.io/apiserver ``pkg/storage/cacher/watch_cache.go``. The cacher keeps, for each
resource, the events it has seen in a ring buffer (``updateCache``) that starts with room for
100 events (``defaultLowerBoundCapacity``) and changes size as they come
(``resizeCacheLocked``): full, it doubles (up to 102,400, ``defaultUpperBoundCapacity``)
while its oldest event is younger than 75 seconds (``eventFreshDuration``), halves (not
below 100) when even the newest quarter's first event is older than that, and else lets its
oldest event go. A watch from a resourceVersion is served from that window
(``getAllEventsSinceLocked``): while no event has left it since the cache's list (made when
the API server started), any version from that list on can be watched; after, a version
older than the oldest event kept but one is answered with ``too old resource version: 5
(9)`` (``NewResourceExpired``: 410, reason ``Expired``), which the cacher sends as the
watch's one ``ERROR`` event (``newErrWatcher``) on a 200 answer; client-go's reflector then
lists again. The etcd compaction plays no part in it.

A watch that allows bookmarks (``allowWatchBookmarks=true``, as client-go's reflector asks)
is sent a ``BOOKMARK`` event, an empty object of its kind carrying the cache's current
resourceVersion, about every minute and 2 seconds before its deadline
(:func:`next_bookmark`), so that a client that starts a new watch after this one ends starts
from a fresh version and not from one the window may have let go.

Each event kept is the change as a watch is sent it (:class:`Change`): ADDED, MODIFIED or
DELETED, the object's key and its state, shared with the kind's
:class:`~clustersim.serve.kubeversions.History` (one JSON text, not a copy), so that a watch
resumed from a version in the window is sent every event after it, in order
(:meth:`WatchCache.since`), as ``getAllEventsSinceLocked`` sends them: each change of an
object, an object made and deleted since included; an open watch, at each look, is sent
in the same way every event since its last look of the objects it still sees, as the cacher
hands each event to its watchers (``dispatchEvent`` in ``cacher.go``). The window holds at
most :data:`UPPER_BOUND_CAPACITY` events of each kind, so what it keeps is bounded however
long the server runs.

A watch with a label or field selector is sent what the cacher's ``cacheWatcher`` sends
(``convertToWatchEvent`` in k8s.io/apiserver ``pkg/storage/cacher/cache_watcher.go``): each
event is judged by whether the object's state before it and its state after it match the
selectors (:func:`filtered`): ADDED when it starts to match (a label added), MODIFIED while
it matches, DELETED when it stops (a label removed, a Pod's ``spec.nodeName`` or
``status.phase`` changed, or the object deleted), that DELETED carrying the object's
previous state, the last that matched, at the event's own resourceVersion; nothing for an
event that neither state matches. Each :class:`Change` holds both states for this.

Simplified: the simulator numbers a change when it first renders the changed object
(:mod:`~clustersim.serve.kubeversions`), so the changes of a kind nobody reads for a while
count as one event per object, and the window lasts longer than upstream's for them; a
deletion of several objects found at once is one revision for them all.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["BOOKMARK_FREQUENCY", "EVENT_FRESH_SECONDS", "LOWER_BOUND_CAPACITY",
           "UPPER_BOUND_CAPACITY", "Change", "WatchCache", "filtered", "next_bookmark"]

LOWER_BOUND_CAPACITY = 100
"""``defaultLowerBoundCapacity``: the events a resource's window starts with room for."""
UPPER_BOUND_CAPACITY = 100 * 1024
"""``defaultUpperBoundCapacity``: the most it grows to."""
EVENT_FRESH_SECONDS = 75.0
"""``eventFreshDuration``: how long the cache tries to keep each event, in simulated
seconds."""

BOOKMARK_FREQUENCY = 60.0
"""``defaultBookmarkFrequency`` (``pkg/storage/cacher/cacher.go``): how often a watch that
allows bookmarks is sent one, in seconds."""
BOOKMARK_BEFORE_DEADLINE = 2.0
"""How long before its deadline a watch is sent its last bookmark, in seconds."""


def next_bookmark(now: float, deadline: float) -> float | None:
    """When a watch ending at ``deadline`` is next sent a bookmark, seen at ``now`` (both in
    wall-clock seconds, the watch's deadline being wall-clock time in the simulator as in a
    real API server): a minute on, or 2 seconds before the deadline if that comes first;
    None once that moment has passed (``cacheWatcher.nextBookmarkTime`` in
    ``pkg/storage/cacher/cache_watcher.go``)."""
    due = min(now + BOOKMARK_FREQUENCY, deadline - BOOKMARK_BEFORE_DEADLINE)
    return None if due < now else due


class Change(NamedTuple):
    """One event of the window: its ``type`` (ADDED, MODIFIED, DELETED), the object's key
    (namespace, name, uid) and ``state``, the cell of the kind's history that holds the
    object as the event shows it, ``[revision, JSON text of (object, times)]``, filled when
    the object is next shown (None until then); a DELETED event's is the object's last
    state before its deletion. ``before`` is the cell of the object's state before the event
    (None: it did not exist; a DELETED event's is its ``state``), from which a watch with
    selectors tells whether the object matched them before (:func:`filtered`)."""

    type: str
    key: tuple[str, str, str]
    state: list[Any]
    before: list[Any] | None = None


def filtered(recorded: str, matched: bool | None, matches: bool) -> str | None:
    """The type of the event a watch with selectors is sent for a change ``recorded`` as
    ADDED, MODIFIED or DELETED, or None for none: ``matched`` says whether the object's
    state before the change matched the selectors (None: that state was never kept, and the
    recorded type is sent if the new state matches), ``matches`` whether its new state
    does (False for a deletion). A DELETED carries the state before, at the change's
    resourceVersion (``cacheWatcher.convertToWatchEvent`` in k8s.io/apiserver
    ``pkg/storage/cacher/cache_watcher.go``)."""
    if matched is None:
        return recorded if matches else None
    if matches:
        return "MODIFIED" if matched else "ADDED"
    return "DELETED" if matched else None


@dataclass
class _Window:
    """One resource's ring buffer: (simulated time, resourceVersion, change) of each event
    kept."""

    events: deque[tuple[float, int, Change]] = field(default_factory=deque)
    capacity: int = LOWER_BOUND_CAPACITY
    evicted: bool = False
    """``removedEventSinceRelist``: an event has left the window."""

    def add(self, now: float, revision: int, change: Change) -> None:
        """``updateCache``: resize if due, let the oldest event go if still full, keep this
        one."""
        self._resize(now)
        if len(self.events) >= self.capacity:
            self.events.popleft()
            self.evicted = True
        self.events.append((now, revision, change))

    def _resize(self, now: float) -> None:
        """``resizeCacheLocked`` (and ``doCacheResizeLocked``, which keeps the newest events
        when it halves)."""
        if len(self.events) < self.capacity:
            return
        if now - self.events[0][0] < EVENT_FRESH_SECONDS:
            self.capacity = min(self.capacity * 2, UPPER_BOUND_CAPACITY)
        elif now - self.events[self.capacity - self.capacity // 4][0] > EVENT_FRESH_SECONDS:
            self.capacity = max(self.capacity // 2, LOWER_BOUND_CAPACITY)
            while len(self.events) > self.capacity:
                self.events.popleft()


class WatchCache:
    """The watch cache of every kind, listed when the API server started at revision
    ``listed``."""

    def __init__(self, listed: int) -> None:
        self._listed = listed
        self._windows: dict[str, _Window] = {}

    def record(self, kind: str, now: float, revision: int, change: Change) -> None:
        """The ``change`` of an object of ``kind`` at ``revision``, seen at simulated second
        ``now``."""
        self._windows.setdefault(kind, _Window()).add(now, revision, change)

    def since(self, kind: str, revision: int) -> Iterator[tuple[int, Change]]:
        """The events of ``kind`` after ``revision``, oldest first, each with its own
        resourceVersion (``getAllEventsSinceLocked``; :meth:`too_old` says first whether
        the window still holds them all). Read from the newest back, so that a live
        watch asking for what came since its last look reads only that."""
        window = self._windows.get(kind)
        newer: list[tuple[int, Change]] = []
        for _, at, change in reversed(window.events) if window else ():
            if at <= revision:
                break
            newer.append((at, change))
        yield from reversed(newer)

    def replay(self, kind: str, after: int, scope: str | None,
               selects: Callable[[Mapping[str, Any]], bool],
               current: Mapping[tuple[str, str, str], tuple[str, dict[str, Any],
                                                            dict[str, float]]]
               ) -> list[tuple[str, dict[str, Any], dict[str, float]]]:
        """The events a watch of ``kind`` in namespace ``scope`` (every one for None) whose
        selectors are ``selects`` is owed from the resourceVersion ``after``, as (type,
        object, simulated times) in order: each change of :meth:`since` judged by
        :func:`filtered`, the object shown at the change's own version, a DELETED one in
        its state before. A change whose state was never kept (an Event's reference stamped
        its version) shows the object as ``current`` (version, object, times by key) has it
        if it still has that version, and is left out if not."""
        events = []
        for at, change in self.since(kind, after):
            if scope not in (None, change.key[0]):
                continue
            now = None if change.type == "DELETED" else _state(change.state)
            if now is _UNKNOWN:
                version, obj, times = current.get(change.key, ("", {}, {}))
                if version != str(at):
                    continue
                now = obj, times
            was = _state(change.before)
            if was is _UNKNOWN and change.type == "DELETED":
                continue
            sent = filtered(change.type, None if was is _UNKNOWN else
                            was is not None and selects(was[0]),
                            now is not None and selects(now[0]))
            shown = was if sent == "DELETED" else now
            if sent is not None and shown is not None:
                obj, times = shown
                events.append((sent, {**obj, "metadata": {
                    **obj["metadata"], "resourceVersion": str(at)}}, times))
        return events

    def too_old(self, kind: str, since: int) -> str | None:
        """The message of the 410 for a watch of ``kind`` from the resourceVersion ``since``
        (not 0) when it is older than the window, else None: ``oldest`` is the list's
        version and one, or, once an event has left, the oldest event's."""
        window = self._windows.get(kind)
        oldest = window.events[0][1] if window and window.evicted else self._listed + 1
        if since < oldest - 1:
            return f"too old resource version: {since} ({oldest - 1})"
        return None


_UNKNOWN: tuple[dict[str, Any], dict[str, float]] = ({}, {})
"""A state never kept (see :class:`Change`), told apart by identity."""


def _state(cell: list[Any] | None) -> tuple[dict[str, Any], dict[str, float]] | None:
    """The (object, times) a history cell holds, None for none (not made yet, or deleted:
    ``kubeversions.GONE``), :data:`_UNKNOWN` for a state never kept."""
    if cell is None or cell[1] == "":
        return None
    if cell[1] is None:
        return _UNKNOWN
    obj, times = json.loads(cell[1])
    return obj, times
