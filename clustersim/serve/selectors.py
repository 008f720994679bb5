"""Label and field selectors as the API server parses them (``?labelSelector=``,
``?fieldSelector=``).

Label selectors follow ``staging/src/k8s.io/apimachinery/pkg/labels/selector.go``: equality
(``app=web``, ``app==web``, ``app!=web``), set-based (``tier in (a,b)``, ``tier notin (a)``)
and existence (``tier``, ``!tier``), joined by commas. Field selectors follow
``pkg/fields/selector.go``: ``path=value``, ``path==value``, ``path!=value``, joined by commas;
the path is a dotted field of the object (``spec.nodeName``, ``involvedObject.name``), one of
those its kind's field label conversion accepts (:data:`SELECTABLE`); any other is refused with
400, as the list handler refuses what ``ConvertFieldLabel`` cannot convert
(k8s.io/apiserver ``pkg/endpoints/handlers/get.go``).
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


SELECTABLE: dict[str, tuple[str, ...]] = {
    "Pod": ("metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
            "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"),
    "Node": ("metadata.name", "spec.unschedulable"),
    "ReplicationController": ("metadata.name", "metadata.namespace", "status.replicas"),
    "Event": ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
              "involvedObject.uid", "involvedObject.apiVersion",
              "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
              "reportingComponent", "source", "type", "metadata.namespace", "metadata.name"),
    "Namespace": ("status.phase", "metadata.name"),
    "Secret": ("type", "metadata.namespace", "metadata.name"),
    "Service": ("metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"),
}
"""The field labels each core/v1 kind's conversion accepts (``addConversionFuncs`` and
``AddFieldLabelConversionsFor*`` in kubernetes/kubernetes ``pkg/apis/core/v1/
conversion.go``); any other kind accepts ``metadata.name`` and ``metadata.namespace`` only
(``runtime.DefaultMetaV1FieldSelectorConversion``). Pods also accept ``spec.host``, read as
``spec.nodeName``."""
_PATHS = {"source": "source.component", "spec.host": "spec.nodeName"}
"""Field labels read from another field: an Event's ``source`` is its ``source.component``
(``EventToSelectableFields``, ``pkg/registry/core/event/strategy.go``)."""


def _unsupported(kind: str, label: str) -> str:
    """Why ``kind`` cannot select on ``label``, in its conversion's words."""
    if kind in SELECTABLE:
        return f"field label not supported: {label}"
    return f'"{label}" is not a known field selector: only "metadata.name", "metadata.namespace"'


def field_selector(text: str | None, kind: str) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate over a rendered object of ``kind``; raises ``HttpError`` 400 on bad
    syntax and on a field ``kind`` cannot be selected by."""
    if not text:
        return lambda obj: True
    accepted = SELECTABLE.get(kind, ("metadata.name", "metadata.namespace"))
    accepted += ("spec.host",) if kind == "Pod" else ()
    tests = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*([A-Za-z0-9_.]+)\s*(==|!=|=)\s*(.*?)\s*", part)
        if m is None:
            raise HttpError(400, f"invalid selector: {part!r}; expected field=value",
                            "BadRequest")
        path, op, value = m.groups()
        if path not in accepted:
            raise HttpError(400, _unsupported(kind, path), "BadRequest")
        tests.append((_PATHS.get(path, path).split("."), op != "!=", value))

    def matches(obj: Mapping[str, Any]) -> bool:
        for path, equal, value in tests:
            found: Any = obj
            for key in path:
                found = found.get(key) if isinstance(found, Mapping) else None
            if isinstance(found, bool):       # as Go's strconv.FormatBool writes it
                found = str(found).lower()
            text = "" if found is None else str(found)
            if (text == value) != equal:
                return False
        return True

    return matches
