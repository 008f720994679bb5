"""One-line reprs for the library's records: a snapshot, a scenario's run, a translation.

A dataclass's generated repr prints every field in full, and a record of a run holds
thousands of values (one scenario printed 28 kB). :func:`brief` keeps the class name and the
fields a learner reads at a glance (names, times, counts) and shows a collection or a nested
object by its size or its type, so that the object prints as one short line and its fields
hold the rest. Use it as ``__repr__ = brief`` in the dataclass body.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sized
from typing import Any

__all__ = ["MAX_REPR_CHARS", "brief"]

MAX_REPR_CHARS = 120
"""Longest repr :func:`brief` returns; a longer one ends in ``…)``."""

_SCALARS = (str, int, float, bool, type(None))


def _value(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 30 else value[:29] + "…")
    if isinstance(value, _SCALARS):
        return repr(value)
    if isinstance(value, Sized):
        return f"<{len(value)} {'item' if len(value) == 1 else 'items'}>"
    return f"<{type(value).__name__}>"


def brief(self: Any) -> str:
    """``Name(field=value, ...)`` over the fields shown in a repr, each long value by its size."""
    fields = ", ".join(f"{f.name}={_value(getattr(self, f.name))}"
                       for f in dataclasses.fields(self) if f.repr)
    text = f"{type(self).__name__}({fields})"
    return text if len(text) <= MAX_REPR_CHARS else text[:MAX_REPR_CHARS - 2] + "…)"
