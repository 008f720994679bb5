"""A watch's look renders again only the stored objects that changed since its last look.

A real API server's cacher is told of each change by etcd's watch and hands a watcher the
changed object alone (k8s.io/apiserver ``pkg/storage/cacher/cacher.go``, ``dispatchEvent``;
``cache_watcher.go``): a write costs what it wrote, whatever else is stored. The simulator's
controllers edit the stored objects in place without saying which one changed
(:mod:`~clustersim.serve.kubeversions`), so a served watch finds its changes by looking at
every object it watches (:mod:`~clustersim.serve.kubewatchlooks`); rendering each one and
digesting it, 20 MB for twenty 1 MB ConfigMaps, cost every write 0.12 to 0.15 s of CPU
under the server's one lock, and an idle watch at ``--speed 1`` 0.1 s each second
(``benchmarks/serve_writes.py``: 0.013 s a write since).

A look therefore keeps each stored object as it rendered it (:class:`Rendered`: a copy of
the stored object's dicts and lists sharing its values, JSON's strings, numbers and
booleans, which nothing can change in place; its field managers and moved deletion time)
and renders again only an object that differs from its copy, or whose version another read
stamped since (a change numbered and maybe undone). An object equal to its copy shows what
it showed, so its version is the one it had: rendering it would find the same digest and
number nothing. The comparison is Python's own equality of dicts and lists, which passes
over a value the copy shares without reading it: a look costs what changed plus one
comparison of each watched object's fields, not a render and a digest of its bytes.

Kinds whose shown form reads more than the stored object are rendered at every look, as
before: a Pod (its kubelet's container statuses), a PodDisruptionBudget (the Pods it
covers), a ResourceQuota (its namespace's Pods).

Simplified: equality takes 1 for 1.0 and for True, where the digest tells them apart; an
object edited in place to such an equal value keeps its version until another read renders
it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

    from clustersim.serve.kubefieldmanager import Entry
    from clustersim.serve.kuberender import Renderer

__all__ = ["RENDERED_EVERY_LOOK", "Rendered", "Reuse"]

RENDERED_EVERY_LOOK = frozenset({"Pod", "PodDisruptionBudget", "ResourceQuota"})
"""The stored kinds whose shown status is computed from more than the object itself."""

Item = tuple[dict[str, Any], dict[str, float]]
"""A stored object as a look shows it, with its simulated times."""


class Rendered(NamedTuple):
    """A stored object as a look last rendered it: a copy of its dicts and lists
    (``stored``), of its field manager entries (``managers``), its moved deletion time
    (``moved``) and what the look showed (``item``)."""

    stored: Any
    managers: list[Entry]
    moved: float | None
    item: Item


class Reuse:
    """One render of a look: ``last`` holds what the look's previous render kept, by
    stored key (namespace, name, uid), and is replaced by what this one keeps when
    :meth:`done` is called."""

    def __init__(self, renderer: Renderer, last: dict[Any, Rendered]) -> None:
        self._renderer = renderer
        self._last = last
        self._kept: dict[Any, Rendered] = {}

    def item(self, obj: dict[str, Any], render: Callable[[], Item]) -> Item:
        """The stored ``obj`` as the look shows it: as the last look rendered it if it is
        unchanged, else ``render()``'s."""
        meta = obj["metadata"]
        uid = meta.get("uid", "")
        key = meta.get("namespace", ""), meta["name"], uid
        if obj["kind"] in RENDERED_EVERY_LOOK:
            return render()
        r = self._renderer
        managers, moved = r.managers.of(uid), r.deletions_moved.get(uid)
        last = self._last.get(key)
        if last is not None and last.stored == obj and last.managers == managers and \
                last.moved == moved and self._unstamped(last.item[0]):
            version = last.item[0]["metadata"]["resourceVersion"]
            r.stamp_references(obj, version)    # as its render would have
            self._kept[key] = last
            return last.item
        item = render()
        self._kept[key] = Rendered(_copy(obj), [replace(e, fields=set(e.fields))
                                                for e in managers], moved, item)
        return item

    def _unstamped(self, shown: dict[str, Any]) -> bool:
        """Is ``shown``'s version still the one its object was last stamped with?"""
        meta = shown["metadata"]
        found = self._renderer.versions.stamped(shown["kind"], (
            meta.get("namespace", ""), meta["name"], meta.get("uid", "")))
        return found is not None and str(found) == meta["resourceVersion"]

    def done(self) -> None:
        """The render is over: keep what it rendered (and only that) for the next."""
        self._last.clear()
        self._last.update(self._kept)


def _copy(value: Any) -> Any:
    """A copy of ``value``'s dicts and lists, sharing everything else."""
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_copy(item) for item in value]
    return value
