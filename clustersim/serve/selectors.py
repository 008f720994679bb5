"""Label and field selectors as the API server parses them (``?labelSelector=``,
``?fieldSelector=``).

Label selectors follow ``staging/src/k8s.io/apimachinery/pkg/labels/selector.go``: equality
(``app=web``, ``app==web``, ``app!=web``), set-based (``tier in (a,b)``, ``tier notin (a)``)
and existence (``tier``, ``!tier``), joined by commas. Field selectors follow
``pkg/fields/selector.go``: ``path=value``, ``path==value``, ``path!=value``, joined by commas;
the path is a dotted field of the object (``spec.nodeName``, ``involvedObject.name``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from clustersim.serve.core import HttpError

__all__ = ["field_selector", "label_selector"]

_KEY = r"[A-Za-z0-9][-A-Za-z0-9_./]*"
_SET = re.compile(rf"^\s*({_KEY})\s+(in|notin)\s+\(([^)]*)\)\s*")
_EQ = re.compile(rf"^\s*({_KEY})\s*(==|!=|=)\s*([-A-Za-z0-9_.]*)\s*")
_EXISTS = re.compile(rf"^\s*(!?)\s*({_KEY})\s*")

Matcher = Callable[[Mapping[str, str]], bool]


def label_selector(text: str | None) -> Matcher:
    """A predicate over a labels mapping; raises ``HttpError`` 400 on bad syntax."""
    if not text:
        return lambda labels: True
    tests: list[Matcher] = []
    rest = text
    while rest.strip():
        if m := _SET.match(rest):
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            tests.append(_in(key, values) if op == "in" else _notin(key, values))
        elif m := _EQ.match(rest):
            key, op, value = m.groups()
            tests.append(_equals(key, value) if op != "!=" else _differs(key, value))
        elif m := _EXISTS.match(rest):
            bang, key = m.groups()
            tests.append(_absent(key) if bang else _present(key))
        else:
            raise HttpError(400, f"unable to parse requirement: {rest.strip()!r}: found "
                            "unexpected input", "BadRequest")
        rest = rest[m.end():]
        if rest.strip() and not rest.lstrip().startswith(","):
            raise HttpError(400, f"unable to parse requirement: found {rest.strip()!r}, "
                            "expected: ','", "BadRequest")
        rest = rest.lstrip()[1:] if rest.strip() else ""
    return lambda labels: all(test(labels) for test in tests)


def _in(key: str, values: set[str]) -> Matcher:
    return lambda labels: key in labels and labels[key] in values


def _notin(key: str, values: set[str]) -> Matcher:
    return lambda labels: labels.get(key) not in values


def _equals(key: str, value: str) -> Matcher:
    return lambda labels: labels.get(key) == value


def _differs(key: str, value: str) -> Matcher:
    return lambda labels: labels.get(key) != value


def _present(key: str) -> Matcher:
    return lambda labels: key in labels


def _absent(key: str) -> Matcher:
    return lambda labels: key not in labels


def field_selector(text: str | None) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate over a rendered object; raises ``HttpError`` 400 on bad syntax."""
    if not text:
        return lambda obj: True
    tests = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*([A-Za-z0-9_.]+)\s*(==|!=|=)\s*(.*?)\s*", part)
        if m is None:
            raise HttpError(400, f"invalid selector: {part!r}; expected field=value",
                            "BadRequest")
        path, op, value = m.groups()
        tests.append((path.split("."), op != "!=", value))

    def matches(obj: Mapping[str, Any]) -> bool:
        for path, equal, value in tests:
            found: Any = obj
            for key in path:
                found = found.get(key) if isinstance(found, Mapping) else None
            text = "" if found is None else str(found)
            if (text == value) != equal:
                return False
        return True

    return matches
