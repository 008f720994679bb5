"""The Kubernetes API server's words for a field error, and for several at once.

Upstream: k8s.io/apimachinery ``pkg/util/validation/field/errors.go``. ``Error.ErrorBody``
writes the kind of error ("Invalid value", "Unsupported value", "Required value"), then the
bad value, as Kubernetes 1.34 and later write it (kubernetes/kubernetes PR #132314): a plain
``string`` quoted as Go's ``%q`` quotes it, a sized number or a boolean as Go prints it,
anything else through ``json.Marshal`` (a labels map ``{"a":"w"}``, a ``[]string``
``["a","b"]``, a value of a named string type ``"a\\u003cb"``), then the detail. ``NotSupported``
lists the supported values quoted, in the order the validating function gives them.
``ErrorList.ToAggregate`` drops repeated messages, and an aggregate of several reads
``[a, b]`` (``pkg/util/errors``), as in ``The Deployment "web" is invalid: [spec.replicas:
..., spec.template.spec.containers[0].image: Required value]``.

The messages of the JSON decoder (a field of the wrong JSON type, refused before any
validation) follow Go's ``encoding/json`` ``UnmarshalTypeError``: ``cannot unmarshal string
into Go struct field DeploymentSpec.spec.replicas of type int32``: the struct that holds the
field, the JSON path from the object's root (no list indices), the Go type; the JSON value
is named by :func:`clustersim.goformat.json_kind`, strings are quoted by
:func:`clustersim.goformat.go_quote`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from clustersim.goformat import go_json, go_quote

__all__ = ["ERROR_TYPES", "GoSyntax", "aggregate", "field_error_ahead", "go_value", "immutable",
           "invalid", "named", "unsupported"]

ERROR_TYPES = {
    "Invalid value": "FieldValueInvalid", "Forbidden": "FieldValueForbidden",
    "Required value": "FieldValueRequired", "Unsupported value": "FieldValueNotSupported",
    "Duplicate value": "FieldValueDuplicate", "Not found": "FieldValueNotFound",
    "Too long": "FieldValueTooLong"}
"""The kinds of field error the simulator reports: ``field.ErrorType``'s ``String()`` (the
words that open an error's body) and its value (the reason a Status cause carries)."""


def field_error_ahead() -> str:
    """A regular expression lookahead for the body of a field error (its kind's words)."""
    return "(?=(?:" + "|".join(ERROR_TYPES) + r")\b)"


class GoSyntax(str):
    """A bad value already written as Go writes it into the message, which :func:`go_value`
    shows as it is: the ``json.Marshal`` that ``ErrorBody`` gives a value of any other type
    than ``string``, ``bool`` and the sized numbers, written by the caller that knows the Go
    type: a named string type's ``"a\\u003cb"`` (:func:`named`), an internal struct's
    ``{"Type":"","LocalhostProfile":"p.json"}``."""


def go_value(value: Any) -> str:
    """``value`` as ``ErrorBody`` prints a bad value: ``"web"`` (Go's ``%q``, so ``"a\\ab"``
    for a BEL, never JSON's ``"a\\u0007b"``), ``-1``, ``true``, ``{"a":"w"}`` (a YAML 1.1
    ``y`` read as true is ``true``, never Python's ``True``); a map or a list as
    :func:`~clustersim.goformat.go_json` writes it (``<`` as ``\\u003c``, as Go's encoder
    escapes it for HTML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, GoSyntax):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, int | float):
        return str(value)
    return go_json(value)


def named(value: Any) -> GoSyntax:
    """A bad value of a named string type (``core.RestartPolicy``, ``core.Protocol``,
    ``core.SecretType``, or a pointer to one), which ``ErrorBody`` has marshalled as JSON
    since 1.34: its type switch takes only a plain ``string`` to ``%q``. The two differ on
    ``<``, ``>`` and ``&`` (``"a\\u003cb"``), on control characters (``"\\u0007"``, not
    ``"\\a"``) and on characters that do not print (JSON leaves them as they are). An
    ``intstr.IntOrString`` (``maxSurge: "a<b"``) is written so too: its ``MarshalJSON`` gives
    its string or its number, and ``ErrorBody`` marshals it."""
    return GoSyntax(go_json(value))


def invalid(value: Any, detail: str) -> str:
    """``field.Invalid``'s body: ``Invalid value: -1: must be greater than or equal to 0``."""
    return f"Invalid value: {go_value(value)}: {detail}"


def immutable(value: Any, *, struct: bool = False) -> str:
    """``ValidateImmutableField``'s body (apimachinery ``pkg/api/validation/objectmeta.go``):
    ``field.Invalid`` of the new value with ``field is immutable``. A struct (a selector, a
    Pod template) is shown as ``{...}``, as the API server abbreviates one (``Deployment.apps
    "web" is invalid: spec.selector: Invalid value: {...}: field is immutable``); a number or
    a string as :func:`go_value` shows it, a missing one (a nil pointer) as ``null``."""
    shown = "{...}" if struct and value is not None else (
        "null" if value is None else go_value(value))
    return f"Invalid value: {shown}: field is immutable"


def unsupported(value: Any, supported: Sequence[str]) -> str:
    """``field.NotSupported``'s body: ``Unsupported value: "Sometimes": supported values:
    "Always", "OnFailure", "Never"``."""
    quoted = ", ".join(go_quote(choice) for choice in supported)
    return f"Unsupported value: {go_value(value)}: supported values: {quoted}"


def aggregate(messages: Iterable[str]) -> str:
    """``ErrorList.ToAggregate().Error()``: one message as it is, several deduplicated and
    in brackets, separated by ``", "``."""
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"
