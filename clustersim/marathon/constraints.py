"""Marathon placement constraints, evaluated against Mesos offers as Marathon evaluates them.

Source: d2iq-archive/marathon ``src/main/scala/mesosphere/mesos/Constraints.scala``
(``meetsConstraint``, ``selectInstancesToKill``), docs ``docs/docs/constraints.md``; tests
``src/test/scala/mesosphere/mesos/ConstraintsTest.scala``; pull request #7206 (GROUP_BY
"preemptively scale up", MARATHON-8752). A constraint is ``[field, OPERATOR]`` or
``[field, OPERATOR, value]``:

- field ``hostname`` (or ``@hostname``) reads the offer's hostname, ``@region`` and ``@zone``
  the agent's fault domain, anything else a Mesos agent attribute;
- attribute values are compared as text, formatted the way Marathon formats them: text as is,
  scalars with ``DecimalFormat("0.###")`` (the double rounded HALF_EVEN to three decimals,
  trailing zeros dropped: ``1.0`` → ``1``, ``1.1005`` → ``1.101``), ranges sorted by begin as
  ``[b-e,b-e]`` and sets sorted as ``{a,b}``;
- when the offer lacks the field, every operator rejects the offer except ``UNLIKE``;
- ``UNIQUE``: no placed instance has the offer's value;
- ``CLUSTER``: with a value, the offer's value equals it; without, the offer's value equals
  the first placed instance's (anything goes while nothing is placed);
- ``LIKE``/``UNLIKE``: the value fully matches (does not match) the regular expression, as
  Java's ``String.matches``;
- ``MAX_PER n``: fewer than ``n`` placed instances share the offer's value. An app's
  ``MAX_PER`` without a value passes Marathon's validation (``SchedulingValidation.scala``'s
  ``complyWithAppConstraintRules``) and then fails at every offer that has the field:
  ``Constraints.scala`` reads the missing value, ``""``, with ``toInt``, which throws
  ``java.lang.NumberFormatException: For input string: ""`` (:class:`NumberFormatError`);
  the launcher of that app dies with it, logged at ERROR, and is stopped
  (``LaunchQueueActor.supervisorStrategy``: ``Stop``; the periodic scale check starts
  another, which dies at its first offer), so no offer ever launches the app;
- ``IS``: the offer's value equals the constraint value (a scalar literal is formatted first,
  so ``1.0`` matches the scalar attribute ``1``);
- there is no ``IN`` operator: the final Marathon sources know only the seven operators above
  (see :data:`clustersim.manifests.marathon_types.OPERATORS`), so an ``IN`` constraint is
  refused with Marathon's own message;
- ``GROUP_BY n``: spread the app's target ``instances`` over ``n`` values: each value may hold
  ``instances // n`` instances, and ``instances % n`` values one more; a new value is welcome
  while fewer than ``n`` values are in use (#7206). Without ``n`` (the docs make it optional)
  the rule from before #7206 applies: a value already in use must hold the fewest instances,
  a new value is always welcome, which spreads evenly over the values seen so far.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from clustersim.manifests.marathon_types import NEEDS_VALUE, OPERATORS, UNKNOWN_OPERATOR

__all__ = [
    "OPERATORS",
    "Constraint",
    "NumberFormatError",
    "constraint_accepts",
    "field_value",
    "format_attribute",
    "parse_constraints",
    "select_instances_to_kill",
]

_SCALAR = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_RANGE_ITEM = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
HOSTNAME_FIELDS = ("hostname", "@hostname")
_INT_MAX = 2**31 - 1  # getIntValue("inf") is Integer.MAX_VALUE
REGION_FIELD = "@region"
ZONE_FIELD = "@zone"


def _format_scalar(number: float) -> str:
    """``DecimalFormat("0.###")``: the exact double rounded HALF_EVEN to 3 places, no grouping."""
    rounded = Decimal(float(number)).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_attribute(value: Any) -> str:
    """A Mesos attribute value (in Mesos' text syntax, or a number) as Marathon compares it.

    ``{b,a}`` is a set → ``{a,b}``; ``[7-8,1-2]`` ranges → ``[1-2,7-8]``; ``1.0`` (digits with
    an optional fraction) a scalar → ``1``; anything else is text, e.g. ``rack-1.0``.
    """
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return _format_scalar(float(value))
    text = str(value).strip()
    if text.startswith("{") and text.endswith("}"):
        items = sorted(item.strip() for item in text[1:-1].split(",") if item.strip())
        return "{" + ",".join(items) + "}"
    if text.startswith("[") and text.endswith("]"):
        ranges = []
        for item in filter(None, (p.strip() for p in text[1:-1].split(","))):
            match = _RANGE_ITEM.match(item)
            if not match:
                return text
            ranges.append((int(match.group(1)), int(match.group(2))))
        ranges.sort(key=lambda r: r[0])
        return "[" + ",".join(f"{b}-{e}" for b, e in ranges) + "]"
    if _SCALAR.match(text):
        return _format_scalar(float(text))
    return text


class NumberFormatError(ValueError):
    """Java's ``NumberFormatException``, as ``Integer.parseInt`` throws it: what
    ``Constraints.scala`` meets in a ``MAX_PER`` without a value (``constraintValue.toInt``).
    ``java`` is the exception's own message (``For input string: ""``, what Marathon logs);
    the error's text, what a learner reads, names ``constraint``, says what Marathon does
    with it and that MAX_PER needs a number."""

    def __init__(self, constraint: Constraint, text: str = "") -> None:
        self.java = f'For input string: "{text}"'
        example = [constraint.field, constraint.operator, "1"]
        super().__init__(
            f"constraint {constraint.as_list()!r}: MAX_PER needs a number, e.g. {example!r}. "
            "Marathon accepts the app, then at the first offer with the field its launcher "
            f"dies on java.lang.NumberFormatException: {self.java}, so it never launches an "
            "instance")


class Constraint:
    """One parsed constraint: ``field``, ``operator`` and ``value`` (``""`` when absent)."""

    __slots__ = ("field", "operator", "pattern", "value")

    def __init__(self, field: str, operator: str, value: str = "") -> None:
        self.field = field
        self.operator = operator
        self.value = value
        self.pattern = re.compile(value) if operator in ("LIKE", "UNLIKE") and value else None

    @classmethod
    def parse(cls, raw: Any, where: str = "constraint", *, strict: bool = True) -> Constraint:
        """Read ``["field", "OPERATOR", "value"?]`` (or a Constraint); bad input → ValueError.

        ``strict`` is the validation Marathon applies to app definitions (a LIKE/UNLIKE/IS
        value is required, MAX_PER's and GROUP_BY's must be numbers). Without it, a constraint
        is read as ``Constraints.scala`` evaluates it: an empty LIKE/UNLIKE value rejects
        every offer, a GROUP_BY value that is not a number counts as none.
        """
        if isinstance(raw, Constraint):
            return raw
        if isinstance(raw, Mapping):  # pod form {"fieldName", "operator", "value"}
            raw = [raw.get("fieldName"), raw.get("operator"), raw.get("value")]
            raw = [item for item in raw if item is not None]
        if not isinstance(raw, list | tuple) or not 2 <= len(raw) <= 3:
            raise ValueError(
                f"{where}: a constraint is [field, OPERATOR] or [field, OPERATOR, value], "
                f"e.g. ['hostname', 'UNIQUE'], got {raw!r}"
            )
        field, operator = str(raw[0]), str(raw[1]).upper()
        value = "" if len(raw) == 2 or raw[2] is None else str(raw[2])
        if operator not in OPERATORS:
            raise ValueError(f"{where}: {UNKNOWN_OPERATOR} (got {raw[1]!r})")
        if strict and operator in NEEDS_VALUE and not value:
            raise ValueError(
                f"{where}: {operator} needs a value, e.g. [{field!r}, {operator!r}, '...']"
            )
        if operator == "MAX_PER" and value and not value.isdigit():
            raise ValueError(f"{where}: MAX_PER needs a whole number, got {value!r}")
        if strict and operator == "GROUP_BY" and value and not value.isdigit():
            raise ValueError(f"{where}: GROUP_BY takes a whole number of groups, got {value!r}")
        try:
            return cls(field, operator, value)
        except re.error as err:
            raise ValueError(
                f"{where}: {operator} value {value!r} is not a regular expression: {err}"
            ) from None

    def as_list(self) -> list[str]:
        head = [self.field, self.operator]
        return [*head, self.value] if self.value else head

    def __repr__(self) -> str:
        return f"Constraint({':'.join(self.as_list())})"


def parse_constraints(raw: Iterable[Any] | None, where: str = "constraints") -> list[Constraint]:
    """All constraints of an app (``constraints``) or pod (``scheduling.placement.constraints``)."""
    return [Constraint.parse(item, f"{where}[{i}]") for i, item in enumerate(raw or [])]


def field_value(field: str, place: Mapping[str, Any]) -> str | None:
    """The value of ``field`` on an offer or a placed task (both ``{"hostname", "attributes",
    "domain"}``), formatted for comparison; ``None`` when the field is absent."""
    if field in HOSTNAME_FIELDS:
        return place.get("hostname")
    if field in (REGION_FIELD, ZONE_FIELD):
        domain = place.get("domain") or {}
        if "fault_domain" in domain:  # Mesos' DomainInfo shape
            domain = domain["fault_domain"]
        key = "region" if field == REGION_FIELD else "zone"
        found = domain.get(key)
        if isinstance(found, Mapping):
            found = found.get("name")
        return None if found is None else str(found)
    attributes = place.get("attributes") or {}
    if field not in attributes:
        return None
    return format_attribute(attributes[field])


def _group_by(offer_value: str, placed_values: Sequence[str | None], groups: int,
              instances: int) -> bool:
    counts = Counter(placed_values)
    if groups <= 0:
        smallest = min(counts.values(), default=0)
        return offer_value not in counts or counts[offer_value] == smallest
    if offer_value not in counts:
        return len(counts) < groups
    per_group, remainder = divmod(instances, groups)
    remainder_used = sum(max(0, count - per_group) for count in counts.values())
    count = counts[offer_value]
    return count < per_group or (count == per_group and remainder - remainder_used > 0)


def constraint_accepts(constraint: Any, offer: Mapping[str, Any],
                       placed: Iterable[Mapping[str, Any]] = (),
                       instances: int | None = None) -> bool:
    """Whether ``offer`` meets ``constraint`` given the app's ``placed`` instances.

    ``offer`` and each placed instance are ``{"hostname": ..., "attributes": {name: value},
    "domain": {"region": ..., "zone": ...}}``; ``instances`` is the app's target instance
    count (GROUP_BY with a value depends on it; when omitted, the instance being placed is
    counted as the last one: ``len(placed) + 1``). A ``MAX_PER`` without a value has no
    answer: for an offer that has the field it raises :class:`NumberFormatError` (a
    ``ValueError`` naming the constraint), where Marathon's matcher throws.
    """
    rule = Constraint.parse(constraint, strict=False)
    placed_list = list(placed)
    offer_value = field_value(rule.field, offer)
    if offer_value is None:
        return rule.operator == "UNLIKE"
    placed_values = [field_value(rule.field, p) for p in placed_list]
    operator, value = rule.operator, rule.value
    if operator == "UNIQUE":
        return offer_value not in placed_values
    if operator == "CLUSTER":
        if value:
            return offer_value == value
        return not placed_values or placed_values[0] == offer_value
    if operator == "LIKE":
        return rule.pattern is not None and rule.pattern.fullmatch(offer_value) is not None
    if operator == "UNLIKE":
        return rule.pattern is not None and rule.pattern.fullmatch(offer_value) is None
    if operator == "MAX_PER":
        if not value:
            raise NumberFormatError(rule)
        return placed_values.count(offer_value) < int(value)
    if operator == "IS":
        return offer_value == (format_attribute(value) if _SCALAR.match(value) else value)
    target = instances if instances is not None else len(placed_list) + 1
    groups = int(value) if value.isdigit() else _INT_MAX if value == "inf" else 0
    return _group_by(offer_value, placed_values, groups, target)


def select_instances_to_kill(constraints: Iterable[Any], running: Sequence[Any], count: int,
                             place_of: Callable[[Any], Mapping[str, Any]]) -> list[Any]:
    """Pick up to ``count`` of ``running`` to kill so that GROUP_BY spreads stay even.

    Marathon's ``Constraints.selectInstancesToKill``: only GROUP_BY constraints choose; while
    instances are wanted, take one from the fullest value of the most uneven distribution,
    provided that every distribution stays within one of even (or gets more even). Without a
    GROUP_BY constraint nothing is chosen and the caller falls back to its kill order.
    ``place_of(instance)`` returns the instance's ``{"hostname", "attributes", "domain"}``.
    """
    if count > len(running):
        raise ValueError(f"cannot kill {count} instances: only {len(running)} are running")
    if count == len(running):
        return list(running)
    rules = [c for c in (Constraint.parse(r, strict=False) for r in constraints)
             if c.operator == "GROUP_BY"]
    if not rules:
        return []
    distributions: list[list[list[int]]] = []
    for rule in rules:
        by_value: dict[str | None, list[int]] = {}
        for index, instance in enumerate(running):
            by_value.setdefault(field_value(rule.field, place_of(instance)), []).append(index)
        distributions.append(list(by_value.values()))

    def spread(groups: list[list[int]], chosen: set[int]) -> int:
        sizes = {len([i for i in g if i not in chosen]) for g in groups}
        return max(sizes) - min(sizes)

    def candidates(groups: list[list[int]], chosen: set[int]) -> list[int]:
        remaining = [[i for i in g if i not in chosen] for g in groups]
        if len({len(g) for g in remaining}) == 1:
            return []
        fullest = max(len(g) for g in remaining)
        return [i for g in remaining if len(g) == fullest for i in g]

    chosen: set[int] = set()
    order: list[int] = []
    while len(chosen) < count:
        ranked = sorted(distributions, key=lambda d: spread(d, chosen), reverse=True)
        tried = [i for d in ranked for i in candidates(d, chosen)]
        tried += [i for i in range(len(running)) if i not in chosen]
        pick = next(
            (
                i for i in tried
                if all(
                    spread(d, chosen | {i}) <= 1 or spread(d, chosen) > spread(d, chosen | {i})
                    for d in distributions
                )
            ),
            None,
        )
        if pick is None:
            break
        chosen.add(pick)
        order.append(pick)
    return [running[i] for i in order]
