"""Marathon's two checks of a posted app definition (one app, the apps of a group, a list of
apps), with Marathon's own answers.

Marathon 1.x reads an app in two steps (mesosphere/marathon):

1. The JSON reader generated from the RAML types (``docs/docs/rest-api/public/api/v2/types/
   app.raml``, ``stringTypes.raml``; the generator ``type-generator/.../FieldVisitor.scala``
   chains Play JSON's ``min``, ``max``, ``minLength`` and ``pattern`` reads). A field of the
   wrong JSON type or out of its RAML bounds fails there: 422 ``Invalid JSON`` whose
   ``details`` give Play's error keys per field, all fields at once
   (``api/RestResource.scala``, ``entity``; ``MarathonExceptionMapper``: ``{"id": 123}`` gives
   ``/id`` ``error.expected.jsstring``). The keys: ``error.expected.jsnumber``,
   ``error.expected.int`` (a number that is no 32-bit integer), ``error.expected.jsstring``,
   ``error.expected.jsarray``, ``error.expected.jsobject``, ``error.expected.jsboolean``,
   ``error.path.missing``, ``error.min``, ``error.max``, ``error.minLength``,
   ``error.pattern``.
2. Accord validation of what was read (``api/v2/validation/AppValidation.scala``,
   ``SchedulingValidation.scala``, ``state/PathId.scala``): 422 ``Object is not valid`` with
   each violation's path and Marathon's message.

This module answers the first step for the fields learners get wrong (the id, command,
counts and amounts, constraints, dependencies, labels, upgrade strategy) and the second for
the id and the constraints; the manifest loader then checks the rest, and its refusals keep
the simulator's words in Marathon's shape (:func:`~clustersim.serve.marathonquery.invalid`).
Simplified: the RAML reader checks every field of every nested type; the fields not listed
here are left to the loader, which refuses the same values in its own words.
"""

from __future__ import annotations

import re
from typing import Any

from clustersim.manifests.marathon_types import OPERATORS, UNKNOWN_OPERATOR, check_constraint
from clustersim.manifests.pathid import RESERVED, SEGMENT, segments
from clustersim.serve.core import HttpError

__all__ = ["check_app", "check_apps", "check_group"]

PATH_ID = re.compile(r"^(\/?((\.{2})|([a-z0-9][a-z0-9\-.]*[a-z0-9]+)|([a-z0-9]*))($|\/))+$")
"""``PathId`` of ``stringTypes.raml``, looser than the segment rule Accord checks next."""
ID_PATTERN = ("^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*"
              "[a-z0-9])|(\\.|\\.\\.)$")
"""``PathId.ID_PATH_SEGMENT_PATTERN``, as Marathon quotes it (the same rule as
:data:`clustersim.manifests.pathid.SEGMENT`)."""
_INT32 = 2**31 - 1

_INTEGERS = {"instances": 0, "gpus": 0, "backoffSeconds": 0, "maxLaunchDelaySeconds": 0,
             "taskKillGracePeriodSeconds": 0}
"""``app.raml``'s ``integer`` fields (``format: int32``) and their ``minimum``."""
_NUMBERS = {"cpus": 0.001, "mem": 0.0, "disk": None, "backoffFactor": 1.0}
"""``app.raml``'s ``number`` fields and their ``minimum`` (``disk`` has none)."""

Errors = list[tuple[str, str]]


def _number(value: Any, path: str, minimum: float | None, errors: Errors, *,
            integer: bool = False, maximum: float | None = None) -> None:
    """Play's ``IntReads``/``DoubleReads``, then the RAML ``minimum`` and ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append((path, "error.expected.jsnumber"))
    elif integer and (value != int(value) or abs(value) > _INT32):
        errors.append((path, "error.expected.int"))
    elif minimum is not None and value < minimum:
        errors.append((path, "error.min"))
    elif maximum is not None and value > maximum:
        errors.append((path, "error.max"))


def _path_id(value: Any, path: str, errors: Errors) -> None:
    if not isinstance(value, str):
        errors.append((path, "error.expected.jsstring"))
    elif not value:
        errors.append((path, "error.minLength"))
    elif not PATH_ID.search(value):
        errors.append((path, "error.pattern"))


def _strings(value: Any, path: str, errors: Errors) -> None:
    """A JSON array of strings."""
    if not isinstance(value, list):
        errors.append((path, "error.expected.jsarray"))
        return
    errors.extend((f"{path}({i})", "error.expected.jsstring")
                  for i, item in enumerate(value) if not isinstance(item, str))


def _read(app: dict[str, Any], at: str, update: bool) -> Errors:
    """The RAML reader's refusals of ``app`` (an ``AppUpdate`` when ``update``: no field is
    required)."""
    errors: Errors = []
    if app.get("id") is not None:
        _path_id(app["id"], f"{at}/id", errors)
    elif not update:        # Play's ``validate``: null is no string, absent is missing
        errors.append((f"{at}/id", "error.expected.jsstring" if "id" in app
                       else "error.path.missing"))
    if "cmd" in app and app["cmd"] is not None:
        if not isinstance(app["cmd"], str):
            errors.append((f"{at}/cmd", "error.expected.jsstring"))
        elif not app["cmd"]:
            errors.append((f"{at}/cmd", "error.minLength"))
    for key in ("args", "acceptedResourceRoles"):
        if app.get(key) is not None:
            _strings(app[key], f"{at}/{key}", errors)
    for key, minimum in _INTEGERS.items():
        if app.get(key) is not None:
            _number(app[key], f"{at}/{key}", minimum, errors, integer=True)
    for key, low in _NUMBERS.items():
        if app.get(key) is not None:
            _number(app[key], f"{at}/{key}", low, errors)
    if app.get("constraints") is not None:
        if not isinstance(app["constraints"], list):
            errors.append((f"{at}/constraints", "error.expected.jsarray"))
        else:
            for i, item in enumerate(app["constraints"]):
                _strings(item, f"{at}/constraints({i})", errors)
    if app.get("dependencies") is not None:
        if not isinstance(app["dependencies"], list):
            errors.append((f"{at}/dependencies", "error.expected.jsarray"))
        else:
            for i, item in enumerate(app["dependencies"]):
                _path_id(item, f"{at}/dependencies({i})", errors)
    if app.get("labels") is not None:
        if not isinstance(app["labels"], dict):
            errors.append((f"{at}/labels", "error.expected.jsobject"))
        else:
            errors.extend((f"{at}/labels/{k}", "error.expected.jsstring")
                          for k, v in app["labels"].items() if not isinstance(v, str))
    if app.get("requirePorts") is not None and not isinstance(app["requirePorts"], bool):
        errors.append((f"{at}/requirePorts", "error.expected.jsboolean"))
    strategy = app.get("upgradeStrategy")
    if strategy is not None:
        if not isinstance(strategy, dict):
            errors.append((f"{at}/upgradeStrategy", "error.expected.jsobject"))
        else:
            for key in ("maximumOverCapacity", "minimumHealthCapacity"):
                if strategy.get(key) is not None:
                    _number(strategy[key], f"{at}/upgradeStrategy/{key}", 0.0, errors,
                            maximum=1.0)
    return errors


def _id_violation(text: str) -> str | None:
    """``PathId.pathIdValidator``'s messages."""
    parts = segments(text)[0]
    if not all(SEGMENT.fullmatch(part) for part in parts):
        return f"must fully match regular expression '{ID_PATTERN}'"
    if parts and parts[-1] in (*RESERVED, ".", ".."):
        return ("must not end with any of the following reserved keywords: "
                f"{', '.join((*RESERVED, '.', '..'))}")
    return None


def _constraint_violation(item: list[str]) -> str | None:
    """``SchedulingValidation.complyWithAppConstraintRules`` for a constraint the loader
    refuses; where Marathon has no message (an empty field, ``IS`` without a value), the
    loader's."""
    if not 2 <= len(item) <= 3:
        return "Each constraint must have either 2 or 3 fields"
    field, operator, value = (*item, None)[:3]
    try:
        check_constraint(field, operator, value)
    except ValueError as err:
        if operator not in OPERATORS:
            return UNKNOWN_OPERATOR
        if field and operator in ("LIKE", "UNLIKE"):
            return ("A regular expression value must be provided" if value is None
                    else f"'{value}' is not a valid regular expression")
        if field and operator == "MAX_PER":
            return "Value was not specified or is not a number"
        if field and operator == "GROUP_BY":
            return "Value was specified but is not a number"
        return str(err)
    return None


def _validate(app: dict[str, Any], at: str) -> Errors:
    """Accord's refusals of the id and the constraints of an app the reader accepted."""
    errors: Errors = []
    found = _id_violation(app["id"]) if isinstance(app.get("id"), str) else None
    if found:
        errors.append((f"{at}/id", found))
    for i, item in enumerate(app.get("constraints") or []):
        found = _constraint_violation(item)
        if found:
            errors.append((f"{at}/constraints({i})", found))
    return errors


def _refuse(message: str, errors: Errors) -> None:
    """Marathon's 422 for ``errors``, if there are any: grouped by path, in the order found."""
    grouped: dict[str, list[str]] = {}
    for path, error in errors:
        if error not in grouped.setdefault(path, []):
            grouped[path].append(error)
    if grouped:
        raise HttpError(422, message,
                        details=[{"path": p, "errors": e} for p, e in grouped.items()])


def _apps(group: dict[str, Any], at: str) -> list[tuple[dict[str, Any], str]]:
    """Every app object of a group definition and its path, nested groups included."""
    found = [(app, f"{at}/apps({i})") for i, app in enumerate(group.get("apps") or [])
             if isinstance(app, dict)] if isinstance(group.get("apps"), list) else []
    for i, child in enumerate(group.get("groups") or [] if isinstance(group.get("groups"),
                                                                      list) else []):
        if isinstance(child, dict):
            found += _apps(child, f"{at}/groups({i})")
    return found


def check_app(app: dict[str, Any], *, update: bool = False) -> None:
    """Raise Marathon's 422 for an app definition (``POST /v2/apps``; with ``update``, the
    body of ``PUT``/``PATCH /v2/apps/<id>``) that its reader or its id and constraint rules
    refuse."""
    _check([(app, "")], update)


def check_group(group: dict[str, Any]) -> None:
    """The same for every app of a group definition (``/apps(0)/instances``...)."""
    _check(_apps(group, ""), update=False)


def check_apps(apps: Any, *, partial: bool) -> None:
    """The same for the body of ``PUT``/``PATCH /v2/apps`` (``AppsResource.replaceMultiple``
    and ``patchMultiple``, read by ``canonicalAppUpdatesFromJson``): Play reads it as a
    ``Seq`` of ``AppUpdate`` (of ``App`` with ``partialUpdate=false``), so a body that is no
    list is ``error.expected.jsarray`` at the empty path and an item's fields are named
    after its index, ``(0)/cpus`` (``traversableReads`` puts ``JsPath(idx)`` before the
    item's path; ``JsPath.toString`` writes no leading slash). The generated reader looks
    fields up in any JSON value, so an item that is no object reads as one without fields.
    An update without an id is then refused by a ``require`` (422 with its message), and
    each app is validated on its own, its violations named as a single app's are."""
    if not isinstance(apps, list):
        raise HttpError(422, "Invalid JSON", details=[
            {"path": "", "errors": ["error.expected.jsarray"]}])
    items = [app if isinstance(app, dict) else {} for app in apps]
    _refuse("Invalid JSON", [e for i, app in enumerate(items)
                             for e in _read(app, f"({i})", partial)])
    if partial and any(app.get("id") is None for app in items):
        raise HttpError(422, "requirement failed: App Update must have app id set")
    for app in items:
        _refuse("Object is not valid", _validate(app, ""))


def _check(apps: list[tuple[dict[str, Any], str]], update: bool) -> None:
    _refuse("Invalid JSON", [e for app, at in apps for e in _read(app, at, update)])
    _refuse("Object is not valid", [e for app, at in apps for e in _validate(app, at)])
