"""Mesos resources: named scalars (``cpus``, ``mem``, ``disk``, ``gpus`` …) and ranges (``ports``).

A :class:`Resources` value is what agents advertise, offers carry, tasks ask for and the DRF
sorter counts. It follows Mesos' own model (apache/mesos ``include/mesos/resources.hpp``,
``src/common/resources.cpp``, ``src/common/values.cpp``):

- scalars are fixed-point numbers with three decimal places (Mesos rounds every scalar
  operation to 0.001 with ``llround``, halfway cases away from zero: one function,
  ``manifests.units.mesos_fixed``, does it for the loaders and here; so ``0.1 + 0.2 == 0.3``
  holds here as it does in Mesos);
- ``mem`` and ``disk`` are in MiB, ``cpus`` in cores;
- ranges such as ``ports:[31000-32000]`` are sets of integers written as inclusive intervals;
- empty resources (a zero scalar, an empty range) are dropped, so ``cpus:0`` is "no cpus";
- ``a.contains(b)`` is true when every scalar of ``b`` is at most ``a``'s and every range of
  ``b`` lies inside ``a``'s.

The text form is Mesos' ``Resources::parse`` syntax: ``"cpus:2;mem:512;ports:[31000-32000]"``.

Simplified: reservations (``cpus(role):2``), revocable, shared and persistent-volume
resources, and set-valued resources are not modelled; every resource here is an unreserved
``*`` resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.manifests.units import mesos_fixed

__all__ = ["Resources"]

_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-/]*$")
_MIB = 1024 * 1024


def _merge(ranges: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for begin, end in sorted(ranges):
        if merged and begin <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    return tuple((b, e) for b, e in merged)


def _subtract_ranges(
    left: tuple[tuple[int, int], ...], right: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    if left == right:   # all of them (usually a whole offer given back): nothing is left
        return ()
    result = list(left)
    for r_begin, r_end in right:
        pieces = []
        for begin, end in result:
            if r_end < begin or r_begin > end:
                pieces.append((begin, end))
                continue
            if begin < r_begin:
                pieces.append((begin, r_begin - 1))
            if r_end < end:
                pieces.append((r_end + 1, end))
        result = pieces
    return _merge(result)


def _ranges_contain(
    outer: tuple[tuple[int, int], ...], inner: tuple[tuple[int, int], ...]
) -> bool:
    return all(any(b <= ib and ie <= e for b, e in outer) for ib, ie in inner)


def _parse_ranges(name: str, text: str) -> tuple[tuple[int, int], ...]:
    body = text.strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise ValueError(
            f"resource {name!r}: ranges are written like [31000-32000, 33000-33010], got {text!r}"
        )
    ranges = []
    for part in filter(None, (p.strip() for p in body[1:-1].split(","))):
        match = _RANGE.match(part)
        if not match:
            raise ValueError(f"resource {name!r}: {part!r} is not a range like 31000-32000")
        begin, end = int(match.group(1)), int(match.group(2))
        if begin > end:
            raise ValueError(f"resource {name!r}: range {part!r} ends before it begins")
        ranges.append((begin, end))
    return _merge(ranges)


class Resources:
    """An immutable bag of Mesos resources: scalars by name and port-like ranges by name.

    Build one from keywords (``Resources(cpus=2, mem=512, ports=[(31000, 32000)])``), a dict
    (``Resources.coerce({"cpus": 2, "mem": 512})``) or Mesos text
    (``Resources.parse("cpus:2;mem:512")``).
    """

    __slots__ = ("_hash", "ranges", "scalars")

    def __init__(self, **amounts: Any) -> None:
        scalars: dict[str, float] = {}
        ranges: dict[str, tuple[tuple[int, int], ...]] = {}
        for name, value in amounts.items():
            if value is None:
                continue
            if isinstance(value, str):
                value = value.strip()
                if value.startswith("["):
                    value = _parse_ranges(name, value)
                else:
                    try:
                        value = float(value)
                    except ValueError:
                        raise ValueError(
                            f"resource {name!r}: {value!r} is neither a number nor ranges"
                        ) from None
            if isinstance(value, bool):
                raise ValueError(f"resource {name!r}: expected a number, got {value!r}")
            if isinstance(value, int | float):
                amount = mesos_fixed(value)
                if amount < 0:
                    raise ValueError(f"resource {name!r} must not be negative, got {value!r}")
                if amount > 0:
                    scalars[name] = amount
                continue
            try:
                items = [
                    (int(item), int(item)) if isinstance(item, int) else tuple(int(x) for x in item)
                    for item in value
                ]
            except (TypeError, ValueError):
                raise ValueError(
                    f"resource {name!r}: expected a number or a list of (begin, end) ranges, "
                    f"got {value!r}"
                ) from None
            if any(len(r) != 2 or r[0] > r[1] for r in items):
                raise ValueError(f"resource {name!r}: ranges must be (begin, end), got {value!r}")
            merged = _merge(items)  # type: ignore[arg-type]
            if merged:
                ranges[name] = merged
        self.scalars = scalars
        self.ranges = ranges
        self._hash: int | None = None

    # -- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Resources:
        """Parse Mesos' text form, e.g. ``"cpus:2;mem:512;ports:[31000-32000]"``."""
        if not isinstance(text, str):
            raise ValueError(f"resources text must be a string, got {type(text).__name__}")
        amounts: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in text.split(";"))):
            name, sep, value = part.partition(":")
            name = name.strip()
            if not sep or not _NAME.match(name):
                hint = " (reservations like cpus(role):2 are not simulated)" if "(" in name else ""
                raise ValueError(
                    f"resources {text!r}: {part!r} is not 'name:value'{hint}"
                )
            if name in amounts:
                raise ValueError(f"resources {text!r}: {name!r} appears twice")
            amounts[name] = value
        return cls(**amounts)

    @classmethod
    def coerce(cls, value: Resources | Mapping[str, Any] | str | None) -> Resources:
        """Accept a :class:`Resources`, a dict of amounts or Mesos text."""
        if isinstance(value, Resources):
            return value
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls.parse(value)
        if isinstance(value, Mapping):
            return cls(**{str(k): v for k, v in value.items()})
        raise ValueError(
            f"resources must be a Resources, a dict like {{'cpus': 1, 'mem': 128}} or text "
            f"like 'cpus:1;mem:128', got {type(value).__name__}"
        )

    @classmethod
    def from_node(cls, node: Any) -> Resources:
        """What a Mesos agent on this :class:`clustersim.Node` advertises.

        ``cpu`` → ``cpus`` (cores), ``memory`` and ``disk`` → ``mem``/``disk`` in MiB (as the
        agent's ``--resources`` flag counts them), ``ports`` → ``ports`` ranges, extended
        resources (e.g. ``nvidia.com/gpu`` → ``gpus``) → scalars.
        """
        amounts: dict[str, Any] = {
            "cpus": float(node.cpu),
            "mem": float(node.memory) / _MIB,
            "disk": float(node.disk) / _MIB,
            "ports": list(node.ports),
        }
        for name, amount in node.extended_resources.items():
            key = "gpus" if name.endswith("/gpu") else name
            amounts[key] = amounts.get(key, 0) + float(amount)
        return cls(**amounts)

    @staticmethod
    def _new(scalars: dict[str, float],
             ranges: dict[str, tuple[tuple[int, int], ...]]) -> Resources:
        result = Resources.__new__(Resources)
        result.scalars = {k: v for k, v in scalars.items() if v > 0}
        result.ranges = {k: v for k, v in ranges.items() if v}
        result._hash = None
        return result

    # -- arithmetic -----------------------------------------------------------------------

    def __add__(self, other: Resources) -> Resources:
        scalars = dict(self.scalars)
        for name, amount in other.scalars.items():
            scalars[name] = mesos_fixed(scalars.get(name, 0.0) + amount)
        ranges = dict(self.ranges)
        for name, items in other.ranges.items():
            ranges[name] = _merge(ranges.get(name, ()) + items)
        return Resources._new(scalars, ranges)

    def __sub__(self, other: Resources) -> Resources:
        """Subtract what is there; like Mesos, amounts never go below zero."""
        scalars = dict(self.scalars)
        for name, amount in other.scalars.items():
            scalars[name] = max(0.0, mesos_fixed(scalars.get(name, 0.0) - amount))
        ranges = dict(self.ranges)
        for name, items in other.ranges.items():
            if name in ranges:
                ranges[name] = _subtract_ranges(ranges[name], items)
        return Resources._new(scalars, ranges)

    def contains(self, other: Resources) -> bool:
        """Whether ``other`` fits inside these resources (Mesos ``Resources::contains``)."""
        if other is self:
            return True
        mine = self.scalars
        for name, amount in other.scalars.items():
            if amount > mine.get(name, 0.0):
                return False
        for name, items in other.ranges.items():
            if not _ranges_contain(self.ranges.get(name, ()), items):
                return False
        return True

    def __bool__(self) -> bool:
        return bool(self.scalars or self.ranges)

    def __eq__(self, other: object) -> bool:
        if type(other) is Resources:   # the usual case, before the checks for dict and text
            return self.scalars == other.scalars and self.ranges == other.ranges
        if isinstance(other, Mapping | str):
            try:
                other = Resources.coerce(other)  # type: ignore[arg-type]
            except ValueError:
                return False
        if not isinstance(other, Resources):
            return NotImplemented
        return self.scalars == other.scalars and self.ranges == other.ranges

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(
                (tuple(sorted(self.scalars.items())), tuple(sorted(self.ranges.items())))
            )
        return self._hash

    # -- reading ------------------------------------------------------------------------

    def get(self, name: str, default: float = 0.0) -> float:
        """A scalar amount (0 when absent)."""
        return self.scalars.get(name, default)

    @property
    def cpus(self) -> float:
        return self.scalars.get("cpus", 0.0)

    @property
    def mem(self) -> float:
        """Memory in MiB."""
        return self.scalars.get("mem", 0.0)

    @property
    def disk(self) -> float:
        """Disk in MiB."""
        return self.scalars.get("disk", 0.0)

    @property
    def ports(self) -> tuple[tuple[int, int], ...]:
        return self.ranges.get("ports", ())

    def port_count(self, name: str = "ports") -> int:
        return sum(end - begin + 1 for begin, end in self.ranges.get(name, ()))

    def take_ports(self, count: int, name: str = "ports") -> tuple[int, ...]:
        """The ``count`` lowest ports in these ranges (raises when there are fewer)."""
        found: list[int] = []
        for begin, end in self.ranges.get(name, ()):
            found.extend(range(begin, min(end, begin + count - len(found) - 1) + 1))
            if len(found) >= count:
                return tuple(found[:count])
        raise ValueError(f"only {len(found)} {name} available, {count} wanted")

    def as_dict(self) -> dict[str, Any]:
        """Plain values: scalars as floats, ranges as lists of ``[begin, end]``."""
        result: dict[str, Any] = dict(self.scalars)
        result.update({k: [list(r) for r in v] for k, v in self.ranges.items()})
        return result

    def __str__(self) -> str:
        parts = [f"{name}:{amount:g}" for name, amount in self.scalars.items()]
        parts += [
            f"{name}:[{', '.join(f'{b}-{e}' for b, e in items)}]"
            for name, items in self.ranges.items()
        ]
        return ";".join(parts)

    def __repr__(self) -> str:
        return f"Resources({str(self)!r})"
