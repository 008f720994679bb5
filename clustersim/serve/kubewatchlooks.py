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

Simplified: a change made to the cluster from Python, neither through the API nor with
``step``, is seen by a watch at the next write, step or tick of the simulated clock, not
within 0.1 s.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

__all__ = ["KEPT_LOOKS", "Look", "Moment", "SharedLooks"]

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
    :class:`Moment` it was taken at; the least recently used go past :data:`KEPT_LOOKS`."""

    def __init__(self) -> None:
        self._looks: OrderedDict[Hashable, tuple[Moment, Look]] = OrderedDict()

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
            self._looks.popitem(last=False)
        return self._looks[key]
