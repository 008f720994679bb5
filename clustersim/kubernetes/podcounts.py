"""The active and ready Pods of each controller, counted as Pods change (about 110 lines).

A ReplicaSet's status (``replicas``, ``readyReplicas``, ``availableReplicas``) and a
Deployment's counts are sums over the Pods each ReplicaSet controls. Upstream each sync
counts those Pods again, read from its informer's cache (``calculateStatus`` in
kubernetes/kubernetes ``pkg/controller/replicaset/replica_set_utils.go``; the Deployment's
``calculateStatus`` in ``pkg/controller/deployment/sync.go`` sums its ReplicaSets'). In the
simulator that loop at every sync would make the work grow with the square of a
ReplicaSet's Pods once its creates came in bursts (``burstReplicas``: one sync per 500
Pods). :class:`PodCounts` keeps the same numbers per controller owner instead, updated as
the store's writers report a Pod added, removed, given a new controller, terminating,
finished, or ready or not: the sums a full listing would give, at any instant
(``tests/unit/test_k8s_podcounts.py`` compares them). A controller's tally goes with its last
active Pod, so the counts hold only the controllers that have some.

What a Pod adds to its controller's tally is its key: whether it is active
(:func:`~clustersim.kubernetes.objects.is_active`, ``controller.IsPodActive``) and, if its
``Ready`` condition is True, since when (:func:`~clustersim.kubernetes.objects.ready_since`):
ready Pods are tallied by that time, so that how many are available after a
``minReadySeconds`` is a sum over the distinct times (without one, no sum at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from clustersim.kubernetes.objects import controller_of, is_active, ready_since

__all__ = ["PodCounts", "ReadyCounts"]


class ReadyCounts(NamedTuple):
    """Of a controller's active Pods: how many are ``ready``, how many ``available`` (ready
    for ``minReadySeconds``), and when the others that are ready become available
    (``pending``, each time once, earliest first)."""

    ready: int
    available: int
    pending: tuple[float, ...]


class _Tally:
    """One controller's active Pods, and the ready ones among them by ready time."""

    __slots__ = ("active", "ready", "ready_total")

    def __init__(self) -> None:
        self.active = 0
        self.ready: dict[float, int] = {}
        self.ready_total = 0


_Key = tuple[str, float | None]
"""What a Pod adds: its controller's uid and, if it is ready, since when."""


class PodCounts:
    """Active and ready Pods per controller uid, kept as the store's writers report changes
    (:meth:`update` after a write, :meth:`remove` when a Pod leaves the store)."""

    def __init__(self) -> None:
        self._keys: dict[str, _Key] = {}
        self._tallies: dict[str, _Tally] = {}

    def update(self, pod: Mapping[str, Any]) -> None:
        """Count ``pod`` as it is now (a stored Pod that was added or written)."""
        uid = pod["metadata"]["uid"]
        owner = controller_of(pod)
        key = (owner["uid"], ready_since(pod)) if owner is not None and is_active(pod) \
            else None
        if self._keys.get(uid) == key:
            return
        self.remove(pod)
        if key is None:
            return
        self._keys[uid] = key
        tally = self._tallies.setdefault(key[0], _Tally())
        tally.active += 1
        if key[1] is not None:
            tally.ready[key[1]] = tally.ready.get(key[1], 0) + 1
            tally.ready_total += 1

    def remove(self, pod: Mapping[str, Any]) -> None:
        """Stop counting ``pod`` (it left the store, or no longer counts)."""
        key = self._keys.pop(pod["metadata"]["uid"], None)
        if key is None:
            return
        tally = self._tallies[key[0]]
        tally.active -= 1
        if key[1] is not None:
            tally.ready[key[1]] -= 1
            tally.ready_total -= 1
            if not tally.ready[key[1]]:
                del tally.ready[key[1]]
        if not tally.active:        # a ready Pod is active: no ready entry is left either
            del self._tallies[key[0]]

    def active(self, owner_uid: str) -> int:
        """How many active Pods the controller ``owner_uid`` has."""
        tally = self._tallies.get(owner_uid)
        return 0 if tally is None else tally.active

    def ready(self, owner_uid: str, min_ready_seconds: float, now: float) -> ReadyCounts:
        """The controller's ready and available Pods at ``now``
        (``podutil.IsPodAvailable``: ready for at least ``min_ready_seconds``)."""
        tally = self._tallies.get(owner_uid)
        if tally is None:
            return ReadyCounts(0, 0, ())
        ready = tally.ready_total
        if min_ready_seconds <= 0:
            return ReadyCounts(ready, ready, ())
        pending = sorted(since + min_ready_seconds for since in tally.ready
                         if since + min_ready_seconds > now)
        waiting = sum(count for since, count in tally.ready.items()
                      if since + min_ready_seconds > now)
        return ReadyCounts(ready, ready - waiting, tuple(pending))
