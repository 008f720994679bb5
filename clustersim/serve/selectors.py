"""Label and field selectors as the API server parses them (``?labelSelector=``,
``?fieldSelector=``).

Label selectors are read as apimachinery's ``labels.Parse`` reads them
(``staging/src/k8s.io/apimachinery/pkg/labels/selector.go``): its lexer splits the text at
whitespace and at the operator characters ``=!(),><`` (the longest operator wins: ``!=``,
``==``); its parser reads equality (``app=web``, ``app==web``, ``app!=web``), sets (``tier in
(a,b)``, ``tier notin ()``), existence (``tier``, ``!tier``) and integer comparisons
(``replicas>1``, ``replicas<5``: a label that is no integer never matches), joined by
commas, with its error words; a key must be a qualified name and a value a label value
(``IsQualifiedName``, ``IsValidLabelValue``: 63 characters at most), refused as
``field.Invalid`` words them (the key at the parser's nil path, ``<nil>``, a value at
``values[i][key]``).

Field selectors follow ``pkg/fields/selector.go``: terms split at the commas no backslash
escapes (``splitTerms``), each at its first ``!=``, ``==`` or ``=`` (``splitTerm``), nothing
trimmed, its value unescaped (a backslash before a backslash, a comma or ``=`` makes it
data: ``UnescapeValue``); the path is a dotted field of the object (``spec.nodeName``,
``involvedObject.name``), one of those its kind's field label conversion accepts
(:data:`SELECTABLE`); any other is refused with 400, as the list handler refuses what
``ConvertFieldLabel`` cannot convert (k8s.io/apiserver ``pkg/endpoints/handlers/get.go``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from clustersim.goformat import NumError, parse_int
from clustersim.manifests.kubernetes_errors import aggregate, invalid
from clustersim.manifests.kubernetes_names import label_key_problems, label_value_problems
from clustersim.serve.core import HttpError

__all__ = ["field_selector", "label_selector", "selected_value"]

Matcher = Callable[[Mapping[str, str]], bool]
Requirement = tuple[str, str, list[str]]
"""A label requirement: its key, operator and values (sorted, as ``sets.String.List``)."""

_OPERATORS = ("(", ")", ",", "!", "=", "==", "!=", ">", "<")
"""The lexer's operator tokens (``string2token``); ``in`` and ``notin`` are keywords."""
_SPECIAL = "=!(),><"
_WHITESPACE = " \t\r\n"
_END, _ID = "end", "identifier"
_BINARY = "in, notin, =, ==, !=, gt, lt"
"""``binaryOperators`` as the parser lists them (``selection.GreaterThan`` is ``gt``)."""


def _lex(text: str) -> list[tuple[str, str]]:
    """The lexer's tokens, ``(kind, literal)``: an operator or keyword is its own kind."""
    tokens, pos = [], 0
    while True:
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= len(text):
            tokens.append((_END, ""))
            return tokens
        start = pos
        if text[pos] in _SPECIAL:                       # scanSpecialSymbol: the longest
            while pos < len(text) and text[start:pos + 1] in _OPERATORS:
                pos += 1
            tokens.append((text[start:pos], text[start:pos]))
            continue
        while pos < len(text) and text[pos] not in _SPECIAL + _WHITESPACE:
            pos += 1
        word = text[start:pos]
        tokens.append((word if word in ("in", "notin") else _ID, word))


class _Parser:
    """``labels.Parser``: reads the tokens into requirements ``(key, operator, values)``."""

    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.at = 0

    def peek(self, values: bool = True) -> tuple[str, str]:
        """``lookahead``; in the values context ``in`` and ``notin`` are identifiers."""
        kind, literal = self.tokens[self.at]
        return (_ID if values and kind in ("in", "notin") else kind), literal

    def take(self, values: bool = True) -> tuple[str, str]:
        """``consume``."""
        token = self.peek(values)
        self.at += 1
        return token

    def parse(self) -> list[Requirement]:
        found: list[Requirement] = []
        while True:
            kind, literal = self.peek()
            if kind == _END:
                return found
            if kind not in (_ID, "!"):
                raise ValueError(f"found '{literal}', expected: !, identifier, or "
                                 "'end of string'")
            try:
                found.append(self.requirement())
            except ValueError as err:
                raise ValueError(f"unable to parse requirement: {err}") from None
            kind, literal = self.take()
            if kind == _END:
                return found
            if kind != ",":
                raise ValueError(f"found '{literal}', expected: ',' or 'end of string'")
            kind, literal = self.peek()
            if kind not in (_ID, "!"):
                raise ValueError(f"found '{literal}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        """``parseRequirement``: the key, its operator and values, checked as
        ``NewRequirement`` checks them."""
        kind, key = self.take()
        absent = kind == "!"
        if absent:
            kind, key = self.take()
        if kind != _ID:
            raise ValueError(f"found '{key}', expected: identifier")
        if problems := label_key_problems(key):
            raise ValueError(f"<nil>: {invalid(key, '; '.join(problems))}")
        if absent or self.peek()[0] in (_END, ","):
            return key, "!" if absent else "exists", []
        operator, literal = self.take(values=False)
        if operator in ("in", "notin"):
            values = self.value_set()
        elif operator in ("=", "==", "!=", ">", "<"):
            values = self.exact_value()
        else:
            raise ValueError(f"found '{literal}', expected: {_BINARY}")
        values = sorted(set(values))
        errors = []
        for i, value in enumerate(values):
            if operator in (">", "<") and _int64(value) is None:
                errors.append(f"values[{i}]: " + invalid(
                    value, "for 'Gt', 'Lt' operators, the value must be an integer"))
        errors += [f"values[{i}][{key}]: {invalid(value, '; '.join(problems))}"
                   for i, value in enumerate(values)
                   if (problems := label_value_problems(value))]
        if errors:
            raise ValueError(aggregate(errors))
        return key, operator, values

    def value_set(self) -> list[str]:
        """``parseValues`` and ``parseIdentifiersList``: ``(a,b)``; ``()`` and empty items
        are the empty value."""
        kind, literal = self.take()
        if kind != "(":
            raise ValueError(f"found '{literal}' expected: '('")
        kind, first = self.peek()
        if kind == ")":
            self.take()
            return [""]
        if kind not in (_ID, ","):
            raise ValueError(f"found '{first}', expected: ',', ')' or identifier")
        values: list[str] = []
        while True:
            kind, literal = self.take()
            if kind == _ID:
                values.append(literal)
                after, word = self.peek()
                if after == ")":
                    break
                if after != ",":
                    raise ValueError(f"found '{word}', expected: ',' or ')'")
            elif kind == ",":
                after = self.peek()[0]
                if not values or after in (")", ","):
                    values.append("")
                if after == ")":
                    break
            else:
                raise ValueError(f"found '{literal}', expected: ',', or identifier")
        self.take()
        return values

    def exact_value(self) -> list[str]:
        """``parseExactValue``: one value, empty at the end or before a comma."""
        if self.peek()[0] in (_END, ","):
            return [""]
        kind, literal = self.take()
        if kind != _ID:
            raise ValueError(f"found '{literal}', expected: identifier")
        return [literal]


def _int64(text: str) -> int | None:
    """``strconv.ParseInt(text, 10, 64)``, None where it fails."""
    try:
        return parse_int(text, signed=True)
    except NumError:
        return None


def label_selector(text: str | None) -> Matcher:
    """A predicate over a labels mapping; raises ``HttpError`` 400 with the parser's error."""
    if not text:
        return lambda labels: True
    try:
        requirements = _Parser(text).parse()
    except ValueError as err:
        raise HttpError(400, str(err), "BadRequest") from None
    tests = [_matcher(*requirement) for requirement in requirements]
    return lambda labels: all(test(labels) for test in tests)


def _matcher(key: str, operator: str, values: list[str]) -> Matcher:
    """``Requirement.Matches``: ``Gt``/``Lt`` need the label, and an integer beyond the
    value."""
    if operator in ("in", "=", "=="):
        return lambda labels: key in labels and labels[key] in values
    if operator in ("notin", "!="):
        return lambda labels: key not in labels or labels[key] not in values
    if operator in ("exists", "!"):
        return lambda labels: (key in labels) == (operator == "exists")
    bound, sign = int(values[0]), 1 if operator == ">" else -1

    def compare(labels: Mapping[str, str]) -> bool:
        found = _int64(labels[key]) if key in labels else None
        return found is not None and (found - bound) * sign > 0
    return compare


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
_UNSET = {"spec.unschedulable": "false", "spec.hostNetwork": "false"}
"""What a field label reads where the object leaves its field out: each kind's
``ToSelectableFields`` writes a bool with ``strconv.FormatBool`` (``fmt.Sprint``), so a
Node that is not cordoned has ``spec.unschedulable`` ``false`` and a Pod without host
networking ``spec.hostNetwork`` ``false`` (``NodeToSelectableFields``,
``pkg/registry/core/node/strategy.go``; ``ToSelectableFields``,
``pkg/registry/core/pod/strategy.go``); any other missing field reads as empty."""
_NEVER_SET = frozenset({"status.podIPs"})
"""Field labels the conversion accepts but ``ToSelectableFields`` never sets: upstream
they read as empty whatever the object holds (a Pod's ``status.podIPs``; ``status.podIP``
is its first address)."""


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
    try:
        terms = [_term(text, part) for part in sorted(_split_terms(text)) if part]
    except ValueError as err:
        raise HttpError(400, str(err), "BadRequest") from None
    accepted = SELECTABLE.get(kind, ("metadata.name", "metadata.namespace"))
    accepted += ("spec.host",) if kind == "Pod" else ()
    for path, _, _ in terms:
        if path not in accepted:
            raise HttpError(400, _unsupported(kind, path), "BadRequest")
    tests = [(path, _PATHS.get(path, path).split("."), equal, value)
             for path, equal, value in terms]

    def matches(obj: Mapping[str, Any]) -> bool:
        for label, path, equal, value in tests:
            found: Any = None if label in _NEVER_SET else obj
            for key in path:
                found = found.get(key) if isinstance(found, Mapping) else None
            if isinstance(found, bool):       # as Go's strconv.FormatBool writes it
                found = str(found).lower()
            text = _UNSET.get(label, "") if found is None else str(found)
            if (text == value) != equal:
                return False
        return True

    return matches


def selected_value(text: str | None, path: str) -> str | None:
    """The value the field selector ``text`` (checked by :func:`field_selector`) requires
    of ``path`` with ``=`` or ``==``, None without such a term: for a caller that looks it
    up in an index rather than testing every object."""
    text = text or ""
    for field, equal, value in (_term(text, part) for part in _split_terms(text) if part):
        if field == path and equal:
            return value
    return None


def _split_terms(text: str) -> list[str]:
    """``splitTerms``: the text split at each comma no backslash escapes (kept escaped)."""
    terms, start, escaped = [], 0, False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            terms.append(text[start:i])
            start = i + 1
    return [*terms, text[start:]]


def _term(text: str, part: str) -> tuple[str, bool, str]:
    """``splitTerm`` at the first ``!=``, ``==`` or ``=`` (nothing trimmed), then
    ``UnescapeValue`` of the value: ``(field, equal, value)``."""
    at = next((i for i in range(len(part)) if part[i] in "=!" and (
        part[i] == "=" or part.startswith("!=", i))), None)
    if at is None:
        raise ValueError(f"invalid selector: '{text}'; can't understand '{part}'")
    operator = "!=" if part[at] == "!" else "==" if part.startswith("==", at) else "="
    value, escaped = [], False
    for char in part[at + len(operator):]:
        if escaped:
            if char not in "\\,=":
                raise ValueError("invalid field selector: invalid escape sequence: \\" + char)
            value.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",=":        # Go's %v of a rune: its number
            raise ValueError(f"invalid field selector: unescaped character in value: "
                             f"{ord(char)}")
        else:
            value.append(char)
    if escaped:
        raise ValueError("invalid field selector: invalid escape sequence: \\")
    return part[:at], operator != "!=", "".join(value)
