"""Validate a manifest dict against a pydantic model and report its problems readably.

pydantic's ``ValidationError`` lists every problem with a location tuple. A learner wants one
clear sentence: the field path as Kubernetes writes it (``spec.template.spec.containers[0].
resources.requests.cpu``), the line where that field is, what was found and what was expected.
A Compose file gets its first problem in the course's words, a Marathon definition the first
problem at each field (Accord reports every violation; the rules across fields run only on
a definition whose fields all passed, :mod:`clustersim.manifests.marathon`); a Kubernetes object
gets every field's problem in the API server's words (k8s.io/apimachinery
``pkg/util/validation/field/errors.go``), or the JSON decoder's first type error (Go's
``encoding/json``), each followed by the course's hint.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from clustersim.goformat import int_range, json_kind
from clustersim.manifests.bounds import bound_message
from clustersim.manifests.compose_decoding import decoding_error, decoding_points
from clustersim.manifests.errors import (
    ANY,
    ManifestError,
    format_path,
    key_path,
    path_matches,
    together,
)
from clustersim.manifests.gotypes import go_field, unwrap
from clustersim.manifests.kubernetes_errors import field_error_ahead, invalid, named, unsupported
from clustersim.manifests.kubernetes_names import name_hint
from clustersim.manifests.kubernetes_syntax import LENIENT, NAME_MAPS
from clustersim.manifests.safe_yaml import Document, Path

__all__ = ["compose_nullable", "compose_type", "found_text", "unstorable_number", "validate",
           "validate_object"]

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping",
    "list_type": "a list",
    "model_type": "a mapping",
}


#: What to do about a value that YAML read as another type than text; said only of a document
#: read from text (a Python dict's 3 is a number whatever its author meant).
_QUOTE_IN_YAML = {"string_type": 'in YAML, quote values such as "1.0" or "true"'}


def _expected(kind: str, document: Document) -> str | None:
    """What a field of pydantic's error ``kind`` expects, in the course's words, with the
    advice for YAML text when ``document`` was read from text (it then has a line)."""
    expected = _EXPECTED.get(kind)
    if expected and kind in _QUOTE_IN_YAML and document.line is not None:
        expected += f" ({_QUOTE_IN_YAML[kind]})"
    return expected


def _data_path(data: Any, problem: Any) -> Path:
    """The part of pydantic's location of ``problem`` that names fields of ``data``.

    pydantic puts a union member's tag in the location of each member's error
    (``published.constrained-int``, ``command.str``, ``ports.0.PortLong.target``); a tag
    names nothing in the file and is dropped. The last part is kept where the data does not
    have it only for a missing field, whose name it is: the tag of a member that refused a
    mapping is also the last part, and is not a field of that mapping."""
    loc = problem["loc"]
    path: list[str | int] = []
    current = data
    for part in loc:
        if _holds(current, part):
            current = current[part]
            path.append(part)
    if problem["type"] == "missing" and isinstance(current, dict) and loc \
            and isinstance(loc[-1], str) and loc[-1] not in current:
        path.append(loc[-1])  # a missing field: name it
    return tuple(path)


def _holds(data: Any, part: Any) -> bool:
    """Whether ``part`` of a pydantic location names a key of ``data`` or an item in it."""
    return (isinstance(data, dict) and part in data) or (
        isinstance(data, list) and isinstance(part, int) and part < len(data))


def found_text(value: Any) -> str:
    """A short description of a value for a message: ``a mapping``, ``5``, ``'abc...'``,
    ``true`` (as the file writes it, never Python's ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


#: docker/cli's names of the JSON types its Compose schemas want (``cli/compose/schema/
#: schema.go``, ``humanReadableType``), by pydantic's error for a value of another type.
_COMPOSE_TYPES = {
    "int_type": "integer", "int_parsing": "integer", "int_from_float": "integer",
    "float_type": "number", "float_parsing": "number", "string_type": "string",
    "bool_type": "boolean", "bool_parsing": "boolean", "dict_type": "mapping",
    "model_type": "mapping", "list_type": "list",
}


#: The places where docker/cli's Compose schemas take a mapping or null (``"type":
#: ["object", "null"]``: ``definitions.deployment``, ``definitions.network`` and
#: ``definitions.volume`` of ``config_schema_v3.*.json``), whose type error
#: ``humanReadableType`` words as both types ("must be a mapping or null").
_COMPOSE_NULLABLE = (("services", ANY, "deploy"), ("networks", ANY), ("volumes", ANY))


def compose_nullable(where: Path) -> bool:
    """Whether docker/cli's Compose schema takes null at ``where`` as well as a mapping."""
    return any(path_matches(pattern, where) for pattern in _COMPOSE_NULLABLE)


def compose_type(kind: str, where: Path) -> str:
    """docker/cli's name of what the schema wants at ``where``, for pydantic's ``kind``
    (``dict_type``: a mapping, or a mapping or null where :func:`compose_nullable`)."""
    wanted = _COMPOSE_TYPES[kind]
    return f"{wanted} or null" if wanted == "mapping" and compose_nullable(where) else wanted


def validate(model: type[BaseModel], document: Document, path: Path = (), *,
             compose: bool = False) -> BaseModel:
    """Validate the data of a Compose or Marathon ``document`` at ``path`` with ``model``, or
    raise ManifestError in the course's words (a Kubernetes object is
    :func:`validate_object`'s). ``compose``: the one problem ``docker stack deploy`` reports
    (its schema's, else all its decoding's together), and a value of the wrong type for a
    field of one type is refused as it refuses it ("must be a integer"). Marathon reports
    every violation (Accord's ``Failure`` holds them all): the first problem at each place,
    the others in its ``also`` (:func:`_each_place`)."""
    data = document.data
    for part in path:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problems = err.errors(include_url=False)
        if compose:
            schema = [p for p in problems if not _decoding(document, path, data, p)]
            if not schema:
                raise _decoding_error(document, path) from None
            raise _error(model, document, path, data, _schema_choice(data, schema),
                         compose=True) from None
        raise together(_each_place([_error(model, document, path, data, problem)
                                    for problem in problems])) from None


def _decoding(document: Document, path: Path, data: Any, problem: Any) -> bool:
    """Whether ``problem`` of the Compose data ``data`` at ``path`` is one docker/cli's
    decoding finds, after the schema passed: a negative number for an unsigned field of a
    service (:func:`~clustersim.manifests.compose_decoding.decoding_points`)."""
    if path[:1] != ("services",) or problem["type"] not in ("greater_than_equal",
                                                            "value_error"):
        return False
    found = (*path[2:], *_data_path(data, problem))
    return any(where == found for where, _ in decoding_points(document.data["services"][path[1]]))


def _decoding_error(document: Document, path: Path) -> ManifestError:
    """The service's decoding errors at ``path`` (``services``, its name, maybe more) in one
    message, as go-viper/mapstructure v2 joins them (``errors.Join``, in the order it meets
    them), at the place of the first."""
    points = decoding_points(document.data["services"][path[1]])
    return document.error((*path[:2], *points[0][0]),
                          decoding_error(point for _, point in points), "a number of at least 0")


def _each_place(errors: list[ManifestError]) -> list[ManifestError]:
    """The first of ``errors`` at each place: one inside a place already named (a union's
    other member, read deeper) or around it is left out."""
    kept: list[ManifestError] = []
    for error in errors:
        if not any(_within(error.path, other.path) or _within(other.path, error.path)
                   for other in kept):
            kept.append(error)
    return kept


def _within(inner: str, outer: str) -> bool:
    """Whether the field path ``inner`` is ``outer`` or a field or item inside it."""
    return inner == outer or not outer or inner.startswith((f"{outer}.", f"{outer}["))


def _union_tag(data: Any, problem: Any) -> int | None:
    """Where pydantic's location of ``problem`` names a member of a union (``int``,
    ``Ulimit``: a part that is no field of ``data``), or ``None``; a missing field's name,
    the last part, is no tag."""
    current, loc = data, problem["loc"]
    for index, part in enumerate(loc):
        if _holds(current, part):
            current = current[part]
        elif problem["type"] != "missing" or index < len(loc) - 1:
            return index
    return None


def _schema_choice(data: Any, problems: list[Any]) -> Any:
    """The problem ``docker stack deploy`` reports of those pydantic found: gojsonschema
    (``validation.go``, ``validateSchema``) keeps, of a ``oneOf`` that no member validates,
    the errors of the member that got furthest (one whose type matched, else the first), and
    docker/cli's ``getMostSpecificError`` (``cli/compose/schema/schema.go``) reports the
    deepest of them, a type error first among equals. A union's tag is dropped from the
    chosen problems' locations, so that a member's type error reads as the field's."""
    while (tag := _union_tag(data, problems[0])) is not None:
        prefix = problems[0]["loc"][:tag]
        members = [p for p in problems
                   if p["loc"][:tag] == prefix and _union_tag(data, p) == tag]
        tags = list(dict.fromkeys(p["loc"][tag] for p in members))
        typed = [t for t in tags if any(
            p["loc"][tag] == t and not (len(p["loc"]) == tag + 1 and p["type"] in _COMPOSE_TYPES)
            for p in members)]
        chosen = (typed or tags)[0]
        problems = [{**p, "loc": p["loc"][:tag] + p["loc"][tag + 1:]}
                    for p in members if p["loc"][tag] == chosen]
    return max(problems, key=lambda p: (
        len(_data_path(data, p)) - (p["type"] in ("missing", "extra_forbidden")),
        p["type"] in _COMPOSE_TYPES))


def validate_object(model: type[BaseModel], document: Document
                    ) -> tuple[BaseModel | None, list[ManifestError], set[str]]:
    """A Kubernetes object as the API server validates it before its checks across fields:
    (the typed object, every field's error, the paths of the refused values).

    A field of the wrong JSON type is the decoder's error, raised alone. Otherwise, where
    fields are refused, the typed object is the object validated again with each refused
    value replaced or left out (:func:`_without_refused`) and every check that only refuses
    (a name, a port) let through (:data:`~kubernetes_syntax.LENIENT`), so that the checks
    across fields can run on it and the API server's one list of errors is reported at
    once. Simplified: where that does not give a valid object (a required field left out),
    the typed object is ``None`` and the checks across fields wait until the fields are
    right; the real API server runs them on what it decoded. A check across fields that
    reads a replaced value sees the replacement: its "Required value" for a field that is
    there is dropped (the loader), and the restart policy checks read the value as
    written."""
    data = document.data
    try:
        typed = model.model_validate(data)
    except ValidationError as err:
        errors = _kubernetes_errors(model, document, data, err)
        problems = err.errors(include_url=False)
    else:
        _raise_unstorable(model, document)
        return typed, [], set()
    _raise_unstorable(model, document)
    refused = {format_path((*document.prefix, *_data_path(data, p))) for p in problems}
    for keep_checked in (True, False):      # a refused value its check lets through, or not
        pruned = _without_refused(data, problems, keep_checked=keep_checked)
        if pruned is None:
            continue
        try:
            return model.model_validate(pruned, context={LENIENT: True}), errors, refused
        except ValidationError:
            continue
    return None, errors, refused


def _raise_unstorable(model: type[BaseModel], document: Document) -> None:
    """Raise the decoder's error for a number :func:`unstorable_number` finds."""
    found = unstorable_number(model, document.data)
    if found:
        raise document.error(*found)


def unstorable_number(model: type[BaseModel], value: Any, where: Path = ()
                      ) -> tuple[Path, str, str] | None:
    """The first number, in the body's order, that encoding/json's ``literalStore`` cannot
    store in its Go field (golang/go ``src/encoding/json/decode.go``), as (where, the
    decoder's error, what to write), or None: a whole number its integer field cannot hold
    (``cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas
    of type int32``) or one no float64 holds (``1e400``, which Python reads as infinity: the
    served API's decoder keeps its text, :class:`~clustersim.goformat.FloatLiteral`). The
    decoder refuses it before any validation runs, so it comes before a bound the API
    server checks (``must be less than or equal to ...``) and a limit of the simulator
    (``MAX_REPLICAS``). A field whose Go type the simulator does not know is left to the
    loader's own bound (``check_data``'s "out of range")."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        items = ()
    for key, item in items:
        found = unstorable_number(model, item, (*where, key))
        if found:
            return found
    if not isinstance(value, int | float) or isinstance(value, bool) or (
            target := go_field(model, where)) is None:
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (
            where, _unmarshal_error(value, target), "a number a 64-bit float holds")
    held = int_range(target.rpartition(" of type ")[2])
    if held is None or value in held:
        return None
    return where, _unmarshal_error(value, target), \
        f"a whole number from {held.start} to {held.stop - 1}"


_BOUNDS = {"greater_than_equal": ("ge", 0), "less_than_equal": ("le", 0),
           "greater_than": ("gt", 1), "less_than": ("lt", -1)}
"""pydantic's bound errors: the bound in the error's context, and the step to the nearest
whole number inside it."""


def _without_refused(data: Any, problems: list[Any], *, keep_checked: bool) -> Any | None:
    """A copy of ``data`` in which each value refused in ``problems`` is replaced by one its
    type accepts (a number out of bounds by its bound, an unsupported choice by the first
    supported one), or left out; with ``keep_checked``, a value refused by a check that the
    lenient validation skips (a name, a port) is kept as it is. ``None`` where a value
    would have to be left out of a list, or is the whole object."""
    pruned = copy.deepcopy(data)
    for problem in problems:
        if keep_checked and problem["type"] == "value_error":
            continue
        where = _data_path(data, problem)
        if problem["type"] == "missing" or not where:
            return None
        parent = pruned
        for part in where[:-1]:
            parent = parent[part]
        bound = _BOUNDS.get(problem["type"])
        choices = re.findall(r"'([^']*)'", (problem.get("ctx") or {}).get("expected", ""))
        if bound is not None and isinstance(problem["ctx"].get(bound[0]), int):
            parent[where[-1]] = problem["ctx"][bound[0]] + bound[1]
        elif problem["type"] == "literal_error" and choices:
            parent[where[-1]] = choices[0]
        elif isinstance(parent, dict):
            parent.pop(where[-1], None)
        else:
            return None
    return pruned


def _kubernetes_errors(model: type[BaseModel], document: Document, data: Any,
                       err: ValidationError) -> list[ManifestError]:
    """Every field's error of a Kubernetes object (one per field: a union's failed branches
    make one), or the decoder's first type error alone."""
    errors: dict[tuple[Path, bool], list[ManifestError]] = {}
    for problem in err.errors(include_url=False):
        where = _data_path(data, problem)
        key = (where, problem["loc"][-1:] == ("[key]",))    # a map's key, or the value beside it
        if key not in errors:
            errors[key] = _kubernetes_error(model, document, where, problem)
    found = [error for each in errors.values() for error in each]
    decoding = [e for e in found if e.message.startswith(_DECODER)]
    if decoding:
        raise decoding[0]
    return found


_DECODER = ("cannot unmarshal", "unknown object type")
"""The start of the decoder's messages (kubectl's for a null in a list): these come before
validation, one at a time."""

_DECODING = {"int_type", "int_from_float", "int_parsing", "float_type", "float_parsing",
             "string_type", "bool_type", "bool_parsing", "dict_type", "list_type",
             "model_type"}


def _error(model: type[BaseModel], document: Document, path: Path, data: Any,
           problem: Any, *, compose: bool = False) -> ManifestError:
    """The first problem of a Compose or Marathon document, in the course's words; with
    ``compose``, a type error of a field of one type (no union member named in pydantic's
    location) in docker/cli's (``getDescription``: ``must be a integer``); a value out of
    its bounds in the tool's (:func:`~clustersim.manifests.bounds.bound_message`)."""
    found = _data_path(data, problem)
    where = (*path, *found)
    expected = _expected(problem["type"], document)
    if compose and problem["type"] in _COMPOSE_TYPES and len(found) == len(problem["loc"]):
        message = f"must be a {compose_type(problem['type'], where)}"
    elif problem["type"] == "missing" and compose:    # gojsonschema's Required, at the mapping
        message, where = f"{problem['loc'][-1]} is required", where[:-1]
    elif problem["type"] == "missing":
        message = "this required field is missing"
    elif problem["type"] == "extra_forbidden":
        fields = sorted(info.alias or name for name, info in _fields_at(model, problem["loc"]))
        message = f"Additional property {problem['loc'][-1]} is not allowed"
        expected = _allowed_keys(str(problem["loc"][-1]), fields)
    elif problem["type"] in ("model_type", "dict_type"):
        message, expected = _not_a_mapping(model, problem, where)
    elif problem["type"] == "value_error":  # our own validators quote the value already
        # a Marathon validator's message keeps its stop, or lack of one, as Marathon's has it
        message = problem["msg"].removeprefix("Value error, ")
        message = message.rstrip(".") if compose else message
    elif (bounded := bound_message(problem, where, compose=compose)) is not None:
        message, expected = bounded
    elif not compose and problem["type"] in PLAY_EXPECTED:
        message = f"{found_text(problem['input'])} is not valid: {PLAY_EXPECTED[problem['type']]}"
    else:
        message = f"{found_text(problem['input'])} is not valid: {problem['msg'].rstrip('.')}"
    return document.error(where, message, expected)


PLAY_EXPECTED = {"string_type": "error.expected.jsstring",
                  "bool_type": "error.expected.jsboolean",
                  "list_type": "error.expected.jsarray",
                  "float_type": "error.expected.jsnumber",
                  "int_type": "error.expected.jsnumber"}
"""A Marathon field given a JSON value of another type, in Marathon's words: Play JSON's
readers answer with these keys (d2iq-archive/marathon's RAML-generated readers; the served
API's :mod:`~clustersim.serve.marathonraml` answers the same), where pydantic would say
"Input should be a valid string"."""


def _not_a_mapping(model: type[BaseModel], problem: Any, where: Path) -> tuple[str, str]:
    """The message and what to write for a value that is no mapping where ``model`` wants
    one (pydantic's ``model_type``, ``dict_type``): which field holds fields of its own, and
    the first of them (``container`` holds ``type``, ``docker``...), or names and values."""
    names = [part for part in where if isinstance(part, str)]
    field = names[-1] if names else "this value"
    what = f"each item of {field}" if where and isinstance(where[-1], int) else field
    found = found_text(problem["input"])
    if problem["type"] == "dict_type":
        return f"{found} is not valid: {what} maps names to values", "a mapping"
    fields = [info.alias or name for name, info in _fields_at(model, (*problem["loc"], ""))]
    listed = ", ".join(fields[:4]) + (", ..." if len(fields) > 4 else "")
    return (f"{found} is not valid: {what} holds fields of its own",
            f"a mapping with fields such as {listed}" if fields else "a mapping")


_MOST_KEYS_LISTED = 12
"""The most allowed keys a refusal of another key lists; of more (a Compose service's 55),
it names the nearest to the refused one."""


def _allowed_keys(key: str, fields: list[str]) -> str | None:
    """What to write instead of the refused ``key``: the allowed ``fields``, or of many, the
    ones nearest to ``key`` (a typo's likely meaning)."""
    if len(fields) <= _MOST_KEYS_LISTED:
        return "one of " + ", ".join(fields) if fields else None
    nearest = difflib.get_close_matches(key, fields, n=3)
    return (f"one of the {len(fields)} keys allowed here"
            + (f", such as {', '.join(nearest)}" if nearest else ""))


def _kubernetes_error(model: type[BaseModel], document: Document, where: Path,
                      problem: Any) -> list[ManifestError]:
    """One problem of a Kubernetes object in the API server's (or its decoder's) words: one
    error, or one per line of a validator's message (a name refused for two reasons). A
    refused key or value of a map (labels, annotations, a node selector) is an error of the
    map, as ``ValidateLabels`` and ``ValidateAnnotations`` report it; a refused key of
    another map (a ConfigMap's or Secret's ``data``) is the key's own error, its path
    printed as ``field.Path.Key`` prints it (:func:`~clustersim.manifests.errors.key_path`:
    ``data[a b]``, ``ValidateConfigMap`` and ``ValidateSecret``)."""
    kind, value = problem["type"], problem["input"]
    expected = _expected(kind, document)
    if kind == "value_error":  # our own validators use the API server's words already
        at = where[:-1] if _in_map(model, where) else where
        keyed = at == where and problem["loc"][-1:] == ("[key]",)
        lines = problem["msg"].removeprefix("Value error, ").rstrip(".").split("\n")
        found = [document.error((*at, *child), line, name_hint(line))
                 for child, line in map(_child_error, lines)]
        for error in found if keyed else ():
            error.path = key_path((*document.prefix, *where[:-1]), str(where[-1]))
        return found
    if kind == "missing":  # the API server's field.Required
        message, expected = "Required value", "this field to be set"
    elif value is None and where and isinstance(where[-1], int):
        # kubectl: 'unknown object type "nil" in ...containers[0].args[0]'
        message = f'unknown object type "nil" in {format_path(where)}'
    elif value is None:  # Go decodes null as "" or 0
        message = "Required value"
    elif kind == "literal_error" and not isinstance(value, str) and (
            target := go_field(model, where)) is not None:   # a bool or number: the decoder
        message = _unmarshal_error(value, target)
    elif kind == "literal_error":  # field.NotSupported of a named string type (a Literal)
        message = unsupported(named(value), re.findall(r"'([^']*)'", problem["ctx"]["expected"]))
    elif kind in _DECODING and (target := go_field(model, where)) is not None:
        message = _unmarshal_error(value, target)
    else:  # bounds and the like: field.Invalid with pydantic's condition as the detail
        detail = problem["msg"].replace("Input should be", "must be").rstrip(".")
        message = invalid(value, detail)
    return [document.error(where, message, expected)]


_CHILD_ERROR = re.compile(r"([a-z][A-Za-z]*): " + field_error_ahead())
"""A validator's error about one field of the structure it checks (``localhostProfile:
Required value: ...``): the field's name, then ``field.Error``'s body."""


def _child_error(line: str) -> tuple[Path, str]:
    """A line of a model validator's message as (the path below the model, the error): a
    check across a structure's fields names the field it refuses first, and the API server
    reports the error at that field (``seccompProfile.localhostProfile: Required value``)."""
    named = _CHILD_ERROR.match(line)
    return ((named.group(1),), line[named.end():]) if named else ((), line)


def _in_map(model: type[BaseModel], where: Path) -> bool:
    """Whether ``where`` names an entry of one of the maps of names of ``model`` (a label's
    key or value, :data:`~kubernetes_syntax.NAME_MAPS`)."""
    current: Any = model
    for part in where[:-1]:
        inner = unwrap(current)
        if get_origin(inner) in (list, dict):
            current = get_args(inner)[-1]
            continue
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return False
        field = next((f for n, f in inner.model_fields.items() if part in (n, f.alias)), None)
        if field is None:
            return False
        current = field.annotation
    return bool(where) and unwrap(current) in NAME_MAPS


_GO_NUMBER = re.compile(r"u?int(8|16|32|64)?|float(32|64)")


def _unmarshal_error(value: Any, target: str) -> str:
    """``cannot unmarshal number 1.5 into Go struct field ... of type int32``: the decoder's
    error for ``value`` in the field ``target`` (as :func:`go_field` names it)."""
    numeric = _GO_NUMBER.fullmatch(target.rpartition(" of type ")[2]) is not None
    return f"cannot unmarshal {json_kind(value, numeric_target=numeric)} into {target}"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a type such as ``list[Placement] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[tuple[str, FieldInfo]]:
    """The fields of the (nested) model that holds the last part of ``loc``."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = next((f for n, f in current.model_fields.items() if part in (n, f.alias)), None)
        current = _model_in(field.annotation) if field else None
    return list(current.model_fields.items()) if current else []
