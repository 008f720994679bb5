"""Bulk work without repeated full garbage collections.

A simulated cluster keeps every object it makes (Pods as nested dicts, events, SimPy
processes), so its heap only grows while ``apply`` or ``run()`` works. CPython's cyclic
garbage collector scans the whole heap in each *full* (generation 2) collection, and starts
one whenever the objects that survived into the old generation since the last one reach a
quarter of it (https://docs.python.org/3/library/gc.html, ``gc.set_threshold``; CPython
``Modules/gcmodule.c``, ``long_lived_pending``). A run that builds 150,000 pods therefore
pays a dozen or more scans of a heap of millions of objects: about a third of its time.

:func:`deferred_full_collections` suspends the automatic full collections (the young
generations are still collected, so short-lived cycles go at once) for the duration of one
bulk call and restores the thresholds afterwards; the first full collection after it, left to
CPython's usual rule, frees whatever cyclic garbage reached the old generation meanwhile.
Nothing observable changes: which objects exist, their order and every simulated result are
the same; only when memory of unreachable cycles is returned moves. Calls nest (an ``apply``
that reconciles calls nothing twice), in one thread or several; only the last to end restores.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["deferred_full_collections"]

_NEVER = 1 << 30
"""A generation-2 threshold no run reaches (collections of generation 1 counted)."""
_lock = threading.Lock()
_depth = 0
_saved = (0, 0, 0)
"""The thresholds the process had when the outermost block began."""


class _Deferral:
    """The block of :func:`deferred_full_collections`: a plain context manager, since a
    simulator enters one at every ``run()`` (a run recorded every second, hundreds of times),
    and a generator-based one costs several times as much to enter and leave."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _depth, _saved
        with _lock:
            if _depth == 0:
                _saved = gc.get_threshold()
                if _saved[0]:
                    gc.set_threshold(_saved[0], _saved[1], _NEVER)
            _depth += 1

    def __exit__(self, *_: object) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved[0]:
                gc.set_threshold(*_saved)


_DEFERRAL = _Deferral()


def deferred_full_collections() -> _Deferral:
    """Within the block, no automatic full collection (generation 2); the thresholds the
    process had are restored when the last block ends. The thresholds belong to the process,
    so blocks in other threads (each simulator server answers in its own) count together:
    whichever ends last restores them, in whatever order they end."""
    return _DEFERRAL
