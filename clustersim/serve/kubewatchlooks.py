"""The served watches' looks at the simulator, shared: a watch renders its objects only when
something it could see may have changed, and watches of the same objects render them once.

A real API server's watches cost next to nothing while nothing changes: its cacher reads
each change from etcd once and hands it to every watcher of the resource whose selectors it
matches (k8s.io/apiserver ``pkg/storage/cacher/cacher.go``, ``dispatchEvent``). The
simulator's controllers edit the stored objects in place without saying what changed, so a
served watch finds its changes by rendering its objects every 0.1 s and comparing their
versions (:mod:`~clustersim.serve.kubeversions`); each such look held the server's one lock
for as long as rendering every watched object takes, and a hundred idle watches slowed every
other request to seconds (``benchmarks/serve.py``).

A watch therefore looks again only when the :class:`Moment` differs from the one of its last
look: the simulated time, the writes the server has answered and the store's revision (a
render of another kind that numbered a change, which an Event's references may show). While
the three stay the same the simulator is where it was, and so is every object's version: a
watch would send nothing (a new wall-clock anchor changes only how the times are shown). The
looks are shared (:class:`SharedLooks`): watches of the same resource, namespace and
selectors, whose times are shown from the same anchor, are given the same look at the same
moment, rendered once; with simulated time following the wall clock, the watches bring it up
to the wall clock once every 0.1 s between them, not each at its own poll, so that they
share that moment (a watch sees the simulator as it was up to 0.1 s before, as it did
between its polls).

A look renders again only the stored objects that changed since the last
(:mod:`~clustersim.serve.kubelookreuse`): what it keeps for that (:meth:`SharedLooks.memo`)
goes with the look.

A look is let go when the last watch that looks at it ends (:class:`Watcher`), as the
cacher lets go of a watcher when its watch ends (``cacheWatcher.stopLocked`` in
k8s.io/apiserver ``pkg/storage/cacher/cache_watcher.go``); looks no open watch holds (the
first look of a watch refused before it streams) are kept up to :data:`KEPT_LOOKS`.

Simplified: a change made to the cluster from Python, neither through the API nor with
``step``, is seen by a watch at the next write, step or tick of the simulated clock, not
within 0.1 s; a look shared at one moment may be older than such a change, and a watch
then sends only what the watch cache numbered (the served watch's ``look`` and
``differences`` in :mod:`~clustersim.serve.kubernetes`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

__all__ = ["KEPT_LOOKS", "Look", "Moment", "SharedLooks", "Watcher"]

KEPT_LOOKS = 64
"""How many looks (one per resource, namespace, selectors and anchor watched) are kept:
more than the distinct watches a class opens at once; a look not kept is rendered again."""

Look = dict[str, tuple[str, dict[str, Any], dict[str, float]]]
"""What a watch sees: (resourceVersion, object, simulated times) by uid."""


class Moment(NamedTuple):
    """What a look depends on besides its request (see the module docstring)."""

    now: float
    writes: int
    revision: int


class SharedLooks:
    """The latest look of each watched (resource, namespace, selectors, anchor), with the
    :class:`Moment` it was taken at, and how many open watches hold each (:class:`Watcher`):
a look goes when the last watch holding it ends, the least recently used past
:data:`KEPT_LOOKS`."""

    def __init__(self) -> None:
        self._looks: OrderedDict[Hashable, tuple[Moment, Look]] = OrderedDict()
        self._watchers: dict[Hashable, int] = {}
        self._memos: dict[Hashable, dict[Any, Any]] = {}

    def memo(self, key: Hashable) -> dict[Any, Any]:
        """What the render of the look of ``key`` keeps for its next render (the stored
        objects as it rendered them, :mod:`~clustersim.serve.kubelookreuse`), let go with
        the look."""
        return self._memos.setdefault(key, {})

    def watcher(self, key: Hashable) -> Watcher:
        """A watch's hold on the look of ``key`` (and of the keys it looks at later), to be
        closed when the watch ends."""
        return Watcher(self, key)

    def _hold(self, key: Hashable) -> None:
        self._watchers[key] = self._watchers.get(key, 0) + 1

    def _release(self, key: Hashable) -> None:
        """One watch fewer looks at ``key``: its look goes with the last."""
        left = self._watchers.pop(key) - 1
        if left:
            self._watchers[key] = left
        else:
            self._looks.pop(key, None)
            self._memos.pop(key, None)

    def look(self, key: Hashable, moment: Callable[[], Moment],
             render: Callable[[], Look]) -> tuple[Moment, Look]:
        """The look of ``key`` at the current ``moment()``: the kept one if taken then,
        else ``render()``'s, kept with the moment after it (its render may have numbered
        changes, moving the store's revision)."""
        kept = self._looks.get(key)
        if kept is not None and kept[0] == moment():
            self._looks.move_to_end(key)
            return kept
        looked = render()
        self._looks[key] = (moment(), looked)
        self._looks.move_to_end(key)
        if len(self._looks) > KEPT_LOOKS:
            self._memos.pop(self._looks.popitem(last=False)[0], None)
        return self._looks[key]


class Watcher:
    """One open watch's hold on the look it takes: the look of a new key (a new clock
    anchor) is held in place of the old one, and :meth:`close` lets the last go."""

    def __init__(self, looks: SharedLooks, key: Hashable) -> None:
        self._looks = looks
        self._key = key
        looks._hold(key)

    def look(self, key: Hashable, moment: Callable[[], Moment],
             render: Callable[[], Look]) -> tuple[Moment, Look]:
        """:meth:`SharedLooks.look`, holding ``key`` in place of the key held before."""
        if key != self._key:
            self._looks._hold(key)
            self._looks._release(self._key)
            self._key = key
        return self._looks.look(key, moment, render)

    def close(self) -> None:
        """The watch has ended: let its look go if no other watch holds it."""
        self._looks._release(self._key)
