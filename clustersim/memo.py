"""A bounded cache of deterministic runs, keyed by their inputs: :func:`memoized`.

The scenarios behind the widgets are seeded simulations: the same arguments give the same
run, so a live control that goes back to a value it has shown before need not simulate again.
Unlike :func:`functools.lru_cache`, the key accepts the plain data the scenarios take (lists of
times, strategy dicts) by turning them into a hashable form with the type of every value in it
(``1`` and ``1.0``, ``[1]`` and ``(1,)`` never share an entry: a scenario may treat them
differently), and an argument it cannot key (any other object) simply bypasses the cache.

A cached result is shared by every caller that asks for the same inputs: treat it as read-only
(the widgets and exercise checks only read runs). Errors are not cached.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, Protocol, TypeVar, cast

__all__ = ["Memoized", "memoized"]

P = ParamSpec("P")
R = TypeVar("R")

_SCALARS = (str, int, float, bool, bytes, type(None))


class _UnkeyableError(Exception):
    """An argument that has no hashable form: call through, uncached."""


def _freeze(value: Any) -> Hashable:
    """A hashable form of ``value`` that keeps its type (see the module docstring)."""
    if isinstance(value, _SCALARS):
        return (type(value).__name__, value)
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_freeze(k), _freeze(v)) for k, v in value.items()))
    raise _UnkeyableError


class Memoized(Protocol[P, R]):
    """What :func:`memoized` returns: the function itself (same name, docstring, signature
    and repr, so ``help()`` and the cheat sheet show the scenario, not a wrapper), with two
    methods about its cache."""

    __wrapped__: Callable[P, R]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def cached(self) -> int:
        """How many results the cache holds."""
        ...

    def cache_clear(self) -> None:
        """Forget every result (e.g. to time a cold run)."""
        ...


def memoized(maxsize: int = 64) -> Callable[[Callable[P, R]], Memoized[P, R]]:
    """Decorate a deterministic function whose results may be shared (see the module
    docstring) with a least-recently-used cache of at most ``maxsize`` results, which bounds
    the memory it keeps."""
    def wrap(function: Callable[P, R]) -> Memoized[P, R]:
        results: OrderedDict[Hashable, R] = OrderedDict()

        @functools.wraps(function)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                key = (_freeze(args), _freeze(dict(sorted(kwargs.items()))))
            except (_UnkeyableError, RecursionError):  # RecursionError: nested too deep
                return function(*args, **kwargs)
            if key in results:
                results.move_to_end(key)
                return results[key]
            result = function(*args, **kwargs)
            results[key] = result
            if len(results) > maxsize:
                results.popitem(last=False)
            return result

        memo = cast(Memoized[P, R], call)
        memo.cached = results.__len__            # type: ignore[method-assign]
        memo.cache_clear = results.clear         # type: ignore[method-assign]
        return memo
    return wrap
