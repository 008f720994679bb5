"""Each served object's ``resourceVersion``, as etcd's mod revision gives it.

A real API server stores every object in etcd, whose revision counts the writes to the whole
store; an object's ``resourceVersion`` is the revision of its last write (its mod revision),
so it changes exactly when the object does, and a list's is the store's revision when it was
read (k8s.io/apiserver ``storage/etcd3/store.go``; https://kubernetes.io/docs/reference/
using-api/api-concepts/#resource-versions). The simulator's controllers edit the stored
objects in place without saying which one changed, and a few kinds are made on each read
(:mod:`~clustersim.serve.kubederived`); so the versions are found lazily, when an object is
rendered: a digest of what it shows (:func:`digest`) is compared with the one it had when
last rendered, and an object whose digest differs takes the next number of the store's
revision (:class:`ResourceVersions`). An object nobody reads keeps its old version until it
is read; the numbers still grow with each change, as etcd's do. A stored object's deletion
is numbered when the store lets it go (:meth:`ResourceVersions.deleted`), a Node's and its
Lease's when the node leaves the cluster (:meth:`ResourceVersions.deleted_named`), another
derived object's when a read finds it gone (:meth:`ResourceVersions.forget`).

The digest leaves out the times as shown (RFC 3339, anchored to the wall clock when the
simulated clock is frozen, so they slide between reads) and takes the simulated times
instead: an object does not change because time passes. A Node changes when its kubelet
posts its status (every five minutes, ``nodeStatusReportFrequency``, or on a change:
:mod:`~clustersim.kubernetes.nodestatus`), a Lease when it is renewed (every ten seconds):
each takes its simulated time as its source.

etcd keeps its history, every revision of every key, until it is compacted; the API server's
compactor (k8s.io/apiserver ``pkg/storage/etcd3/compact.go``, ``runCompactLoop``) wakes every
``--etcd-compaction-interval`` (5 minutes by default), starting that long after the server
(``c.clock.After(c.interval)`` before each compaction), and compacts to the revision it saw
when it last woke (none at its first wake), so a revision stays readable for 5 to 10 minutes
after a newer one is written. :meth:`ResourceVersions.compacted` follows it on the simulated
clock, the one every time a learner sees runs on (ages, events, back-offs), from the
simulated time the API server started: when it is served, which for a cluster a lab has
already run is later than second 0. The simulator numbers a change when it first renders
the changed object, so a change nobody read before a wake counts as written after it.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from clustersim.serve.core import compact_json
from clustersim.serve.kubewatchcache import Change, WatchCache

__all__ = ["COMPACTION_INTERVAL", "GONE", "PRESENTED_TIMES", "TIME_FIELDS", "History", "Key",
           "ResourceVersions", "Revision", "digest", "key_of"]

TIME_FIELDS = frozenset({
    "creationTimestamp", "deletionTimestamp", "lastTransitionTime", "lastProbeTime",
    "startTime", "timeAdded", "startedAt", "finishedAt", "lastUpdateTime",
    "lastHeartbeatTime", "completionTime", "lastScheduleTime", "lastSuccessfulTime",
    "lastScaleTime", "lastPhaseTransitionTime"})
"""The fields in which the simulator stores a time in simulated seconds, which the API shows
as an RFC 3339 time."""
PRESENTED_TIMES = TIME_FIELDS | {"renewTime", "firstTimestamp", "lastTimestamp", "eventTime",
                                 "lastObservedTime"}
"""The fields that hold a time as shown (with those the derived objects write directly): left
out of the digest, with ``resourceVersion`` itself wherever it appears."""

COMPACTION_INTERVAL = 300.0
"""The API server's ``--etcd-compaction-interval`` (default 5 minutes), in simulated
seconds."""

Key = tuple[str, str, str]
"""(namespace, name, uid) of an object of one kind; a new object of the same name is
another object (its uid differs)."""


class Revision(NamedTuple):
    """What is known of one object: its digest, its version and the version it had when
    first seen (for a watch: was it added, or modified, since a given version?)."""

    digest: bytes
    version: int
    created: int


GONE = ""
"""A state of an object's history (:class:`History`): deleted."""


class History:
    """The states each object of one kind went through within the compaction window, so that
    a list can be read at an older revision as etcd reads it (every revision of every key
    is kept until it is compacted, ``mvcc``): by key, ``[revision, state]`` pairs in order,
    a state being the object and its simulated times as JSON text (kept small, and safe
    from the simulator's edits in place), :data:`GONE` for a deletion, or None where the
    object took that version without being shown with its times (an Event's reference
    rendered it to stamp its version), which a list at that revision cannot show."""

    def __init__(self) -> None:
        self._states: dict[Key, list[list[Any]]] = {}

    def changed(self, key: Key, revision: int) -> list[Any]:
        """The object ``key`` took the version ``revision``, its state not yet kept: the
        cell that will hold it (:class:`~clustersim.serve.kubewatchcache.Change`)."""
        cell = [revision, None]
        self._states.setdefault(key, []).append(cell)
        return cell

    def deleted(self, key: Key, revision: int) -> list[Any] | None:
        """The object ``key`` was deleted at ``revision``: the cell of its last state before,
        if one was noted."""
        states = self._states.get(key)
        if not states:
            return None
        last = states[-1]
        states.append([revision, GONE])
        return last

    def last_state(self, key: Key) -> tuple[dict[str, Any], dict[str, float]] | None:
        """The deleted object's last state before its deletion, if it was kept."""
        states = self._states.get(key, [])
        if len(states) < 2 or states[-1][1] != GONE or not states[-2][1]:
            return None
        obj, times = json.loads(states[-2][1])
        return obj, times

    def latest(self, key: Key) -> list[Any] | None:
        """The cell of the object's latest state, if it has one."""
        states = self._states.get(key)
        return states[-1] if states else None

    def wants(self, key: Key) -> bool:
        """Is the state of the object's current version still to be kept?"""
        states = self._states.get(key, [])
        return bool(states) and states[-1][1] is None

    def keep(self, key: Key, obj: Mapping[str, Any], times: Mapping[str, float]) -> None:
        """Keep ``obj`` (with its simulated ``times``) as the state of its current version,
        as the JSON it is answered with (:func:`~clustersim.serve.core.compact_json`, which
        names a value JSON cannot hold)."""
        self._states[key][-1][1] = compact_json([obj, times]).decode()

    def at(self, revision: int, namespace: str | None
           ) -> dict[Key, tuple[dict[str, Any], dict[str, float]] | None] | None:
        """The objects of ``namespace`` (every one for None) changed after ``revision``, each
        with its state at ``revision`` (None: it did not exist then); None when one's state
        then was not kept."""
        out: dict[Key, tuple[dict[str, Any], dict[str, float]] | None] = {}
        for key, states in self._states.items():
            if namespace not in (None, key[0]) or states[-1][0] <= revision:
                continue
            then = [state for at, state in states if at <= revision]
            if then and then[-1] is None:
                return None
            out[key] = tuple(json.loads(then[-1])) if then and then[-1] else None
        return out

    def deletion(self, key: Key) -> int | None:
        """The revision of the object's deletion, if it is deleted."""
        states = self._states.get(key)
        return states[-1][0] if states and states[-1][1] == GONE else None

    def compact(self, revision: int) -> None:
        """Let go the states no list at ``revision`` or later can read: those followed by
        another at or before ``revision``, and an object whose only state left is its
        deletion at or before ``revision`` (etcd's compaction drops a key's generations
        ended by then and its older values but the latest, and a key left with nothing,
        ``server/storage/mvcc/key_index.go``: ``keyIndex.compact``, ``index.go``:
        ``treeIndex.Compact``).
        A deletion followed by later states stays: the object's key came back (a Namespace,
        a namespace's default objects and a Lease have uids made from their names)."""
        for key in list(self._states):
            states = self._states[key]
            last = max((i for i, (at, _) in enumerate(states) if at <= revision), default=0)
            del states[:last]
            if len(states) == 1 and states[0][1] == GONE and states[0][0] <= revision:
                del self._states[key]

    def size(self) -> tuple[int, int, int]:
        """The objects, the states and the characters of the states kept
        (``benchmarks/list_history.py``)."""
        return (len(self._states), sum(map(len, self._states.values())),
                sum(len(state or "") for states in self._states.values()
                    for _, state in states))


def key_of(obj: Mapping[str, Any]) -> Key:
    """The :data:`Key` of an object as shown (a cluster-scoped one has no namespace)."""
    meta = obj["metadata"]
    return meta.get("namespace", ""), meta["name"], meta.get("uid", "")


def digest(shown: Mapping[str, Any], source: Any = None) -> bytes:
    """A digest of the object ``shown`` (without its shown times and versions) and of
    ``source``, what it was made from in simulated times (the stored object, a derived
    object's simulated times)."""
    text = _dumps([_without_times(shown), source])
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class ResourceVersions:
    """The store's revision (``revision``, the version of every list) and each object's;
    ``clock`` gives the simulated now, whose value when they are made is the time the API
    server started (its compactor's wakes count from it)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.revision = 1
        self._clock = clock
        self._started = clock()
        self._seen: dict[str, dict[Key, Revision]] = {}
        self.history: dict[str, History] = {}
        """Each kind's states within the compaction window (:class:`History`)."""
        self._compacted_to = 0
        self._writes: list[tuple[float, int]] = [(float("-inf"), 1)]
        """(simulated time, revision) of each write since the one the compactor last saw."""
        self.watch_cache = WatchCache(self.revision)
        """The changes of each kind a watch can start from (each version stamped, each
        deletion found), listed when the API server started."""

    def bump(self) -> int:
        """A write: the next revision. The writes compacted by now are let go here too, so a
        server nobody asks for an old revision keeps the last 5 to 10 minutes' writes only."""
        self.revision += 1
        now = self._clock()
        self._writes.append((now, self.revision))
        if self._writes[1][0] <= self._seen_at(now):
            self.compacted()
        return self.revision

    def _seen_at(self, now: float) -> float:
        """The simulated time of the compactor's wake before its last by ``now``, whose
        revision its last wake compacted to (-inf before its second wake)."""
        wakes = (now - self._started) // COMPACTION_INTERVAL
        return self._started + (wakes - 1) * COMPACTION_INTERVAL if wakes >= 2 \
            else float("-inf")

    def compacted(self) -> int:
        """The revision etcd is compacted to by now (0: none yet): the store's revision at
        the compactor's wake before its last (see the module docstring); a revision below it
        is gone (``mvcc: required revision has been compacted``)."""
        seen_at = self._seen_at(self._clock())
        if seen_at == float("-inf"):
            return 0
        seen = bisect.bisect_right(self._writes, seen_at, key=lambda write: write[0])
        del self._writes[:seen - 1]      # older writes are compacted for good
        if self._writes[0][1] > self._compacted_to:
            self._compacted_to = self._writes[0][1]
            for history in self.history.values():
                history.compact(self._compacted_to)
        return self._writes[0][1]

    def stamp(self, kind: str, key: Key, shown: Mapping[str, Any], source: Any = None) -> str:
        """The version of the object ``key`` of ``kind`` showing ``shown`` (made from
        ``source``, see :func:`digest`): the one it had, or the next revision if it
        changed since it was last stamped (or was never stamped)."""
        found = digest(shown, source)
        seen = self._seen.setdefault(kind, {})
        before = seen.get(key)
        if before is None or before.digest != found:
            version = self.bump()
            seen[key] = Revision(found, version, version if before is None else before.created)
            history = self.history.setdefault(kind, History())
            previous = history.latest(key)
            cell = history.changed(key, version)
            self.watch_cache.record(kind, self._clock(), version, Change(
                "ADDED" if before is None else "MODIFIED", key, cell, previous))
        return str(seen[key].version)

    def current(self, kind: str, key: Key) -> str:
        """The version the object ``key`` of ``kind`` was last stamped with (it was)."""
        return str(self._seen[kind][key].version)

    def stamped(self, kind: str, key: Key) -> int | None:
        """The version the object ``key`` of ``kind`` was last stamped with, if it was and
        is not deleted since."""
        found = self._seen.get(kind, {}).get(key)
        return found.version if found else None

    def created(self, kind: str, key: Key) -> int | None:
        """The version the object ``key`` had when first stamped, if it was."""
        found = self._seen.get(kind, {}).get(key)
        return found.created if found else None

    def deleted(self, kind: str, key: Key) -> None:
        """The object ``key`` of ``kind`` is deleted now: a write, numbered when it happens
        (etcd's delete), not when a read next finds it gone."""
        if self._seen.get(kind, {}).pop(key, None) is not None:
            self._removal(kind, [key])

    def deleted_named(self, kind: str, namespace: str, name: str) -> None:
        """The object ``name`` of ``kind`` in ``namespace`` ("" if cluster-scoped) is
        deleted now, whatever its uid: numbered as :meth:`deleted` numbers one (a Node and
        its Lease, whose uids are made from a join the cluster forgets with the node)."""
        seen = self._seen.get(kind, {})
        gone = [key for key in seen if key[:2] == (namespace, name)]
        for key in gone:
            del seen[key]
        if gone:
            self._removal(kind, gone)

    def forget(self, kind: str, namespace: str | None, keep: Iterable[Key]) -> None:
        """Forget the objects of ``kind`` in ``namespace`` (every namespace for None) that
        are not in ``keep``, the ones that exist: deleted, they never come back (a new one
        of the same name has a new uid)."""
        seen = self._seen.get(kind)
        if not seen:
            return
        kept = set(keep)
        gone = [k for k in seen if namespace in (None, k[0]) and k not in kept]
        for key in gone:
            del seen[key]
        if gone:
            self._removal(kind, gone)

    def _removal(self, kind: str, gone: list[Key]) -> None:
        """The deletion of the objects ``gone`` of ``kind``: a write, one revision for all,
        noted in each one's history and in the watch cache."""
        revision = self.bump()
        history = self.history.setdefault(kind, History())
        for key in gone:
            last = history.deleted(key, revision)
            if last is not None:        # a watch is told of an object it could have seen
                self.watch_cache.record(kind, self._clock(), revision,
                                        Change("DELETED", key, last, last))


def _without_times(value: Any) -> Any:
    """A copy of ``value`` without the fields of :data:`PRESENTED_TIMES` and without
    ``resourceVersion``."""
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items()
                if k not in PRESENTED_TIMES and k != "resourceVersion"}
    if isinstance(value, list):
        return [_without_times(item) for item in value]
    return value


def _dumps(value: Any) -> str:
    """``value`` as JSON text, keys sorted (a mapping rebuilt in another order is the same
    object) unless they cannot be compared."""
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except TypeError:
        return json.dumps(value, default=str)
