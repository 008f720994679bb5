"""The three patch types of the Kubernetes API: JSON merge patch, strategic merge patch and
JSON patch.

- JSON merge patch (``application/merge-patch+json``, RFC 7386): maps merge, ``null``
  deletes, anything else (lists included) replaces.
- Strategic merge patch (``application/strategic-merge-patch+json``), what ``kubectl apply``
  sends: :func:`clustersim.kubernetes.strategicmerge.strategic_merge_patch`, which the
  simulator's own apply uses too; :func:`strategic_patch` answers its errors as the API
  server does.
- JSON patch (``application/json-patch+json``, RFC 6902): ``add``, ``remove``, ``replace``,
  ``test``, ``move``, ``copy``.

JSON patch as the API server applies it (k8s.io/apiserver ``pkg/endpoints/handlers/patch.go``,
``jsonPatcher.applyJSPatch``, with gopkg.in/evanphx/json-patch.v4): with ``fieldValidation``
``Strict`` or ``Warn`` (the server's default; kubectl sends ``Strict``) the body is first
decoded as a list of ``handlers.jsonPatchOp``, then as ``jsonpatch.Patch``; a body of another
JSON type is a 400 in ``encoding/json``'s words; over 10,000 operations a 413; an operation
that does not apply (a missing key or index, a failed ``test``, an unknown ``op``) is a 422
made by ``errors.NewGenericServerResponse``, which keeps none of json-patch's own words:
``the server rejected our request due to an error in our request``, empty details. A
``test`` of a missing key passes when its value is null, as v4's does. The whole document
(the pointer ``""``) is never the target of another operation, nor a ``from``: v4's
``findObject`` finds no parent for it (``add operation does not apply: doc is missing
path: ""``), so ``[{"op": "add", "path": "", "value": {}}]`` is that same 422.
Simplified: a strict decode's unknown fields in an operation (``json patch unknown field``)
are not reported, and negative list indices, which json-patch v4 reads from the end, are
refused.
"""

from __future__ import annotations

import copy
from typing import Any

from clustersim.goformat import json_kind
from clustersim.kubernetes.patcherrors import NoSuchFieldError
from clustersim.kubernetes.strategicmerge import (
    PatchError,
    checking_fields,
    strategic_merge_patch,
)
from clustersim.manifests.safe_yaml import copy_data
from clustersim.serve.core import HttpError
from clustersim.serve.kubelists import UNKNOWN_REASON
from clustersim.serve.patchtypes import go_type_at, lacks_field

__all__ = ["MAX_JSON_PATCH_OPERATIONS", "UNPROCESSABLE", "json_patch", "merge_patch",
           "strategic_patch"]


def strategic_patch(target: Any, patch: Any) -> Any:
    """:func:`~clustersim.kubernetes.strategicmerge.strategic_merge_patch`, its refusal
    answered as ``interpretStrategicMergePatchError`` leaves it: a 400 ``BadRequest``, a 422
    made by ``NewGenericServerResponse`` (a list of lists: :data:`UNPROCESSABLE`, none of
    strategicpatch's words), or a 500 with no reason and strategicpatch's own words
    (``ErrorToAPIStatus``). A ``$setElementOrder/<field>`` whose field the Go type of its
    level lacks, found from ``target``'s kind (:func:`~clustersim.serve.patchtypes.
    lacks_field`), is refused in words that name that type
    (:func:`~clustersim.serve.patchtypes.go_type_at`; by the level's path where the
    definitions do not say)."""
    known = target if isinstance(target, dict) else {}
    try:
        with checking_fields(lambda path, field: lacks_field(
                known.get("apiVersion"), known.get("kind"), path, field)):
            return strategic_merge_patch(target, patch)
    except PatchError as refused:
        err = refused
        if isinstance(refused, NoSuchFieldError):
            go_type = go_type_at(known.get("apiVersion"), known.get("kind"), refused.path)
            err = refused if go_type is None else refused.named(go_type)
        if err.status == 422:
            raise HttpError(422, UNPROCESSABLE, "Invalid", causes=[]) from None
        raise HttpError(err.status, str(err),
                        "BadRequest" if err.status == 400 else UNKNOWN_REASON) from None


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


MAX_JSON_PATCH_OPERATIONS = 10_000
"""``maxJSONPatchOperations`` in ``patch.go``."""
UNPROCESSABLE = "the server rejected our request due to an error in our request"
"""``NewGenericServerResponse``'s message for a 422 (k8s.io/apimachinery
``pkg/api/errors/errors.go``)."""


class _NotAppliedError(Exception):
    """An operation that does not apply to the document (answered :data:`UNPROCESSABLE`)."""


def _pointer(path: Any) -> list[str]:
    if path == "":
        return []
    if not isinstance(path, str) or not path.startswith("/"):
        raise _NotAppliedError
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        elif isinstance(doc, dict) and part in doc:
            doc = doc[part]
        else:
            raise _NotAppliedError
    return doc


def _decode(operations: Any, strict: bool) -> list[Any]:
    """The operations of a JSON patch body, or the 400 of a body that is no list of
    objects: ``kjson.UnmarshalStrict`` into ``[]jsonPatchOp`` first when ``strict``
    (its error prefixed ``error decoding patch:``), then ``jsonpatch.DecodePatch``. A JSON
    ``null`` decodes as no operation at all."""
    def refuse(value: Any, go_type: str, field: str = "") -> HttpError:
        into = f"Go struct field jsonPatchOp.{field}" if field else "Go value"
        words = f"json: cannot unmarshal {json_kind(value, numeric_target=False)} into " \
                f"{into} of type {go_type}"
        return HttpError(400, f"error decoding patch: {words}" if strict else words,
                         "BadRequest")
    if operations is None:
        return []
    if not isinstance(operations, list):
        raise refuse(operations, "[]handlers.jsonPatchOp" if strict else "jsonpatch.Patch")
    for op in operations:
        if op is None:
            continue
        if not isinstance(op, dict):
            raise refuse(op, "handlers.jsonPatchOp" if strict else "jsonpatch.Operation")
        for field in ("op", "path", "from") if strict else ():
            value = op.get(field)
            if value is not None and not isinstance(value, str):
                raise refuse(value, "string", field)
    return operations


def json_patch(target: Any, operations: Any, *, strict: bool = True) -> Any:
    """RFC 6902 as the API server applies it (module docstring); ``strict``: the request's
    ``fieldValidation`` is ``Strict`` or ``Warn``."""
    operations = _decode(operations, strict)
    if len(operations) > MAX_JSON_PATCH_OPERATIONS:
        raise HttpError(413, "Request entity too large: The allowed maximum operations in a "
                        f"JSON patch is {MAX_JSON_PATCH_OPERATIONS}, got {len(operations)}",
                        "RequestEntityTooLarge")
    doc = copy_data(target)         # decoded JSON: plain data, copied 3 times faster
    try:
        for op in operations:
            doc = _apply(doc, op or {})
    except _NotAppliedError:
        raise HttpError(422, UNPROCESSABLE, "Invalid", causes=[]) from None
    return doc


def _apply(doc: Any, op: dict[str, Any]) -> Any:
    """``doc`` after operation ``op``."""
    name, parts = op.get("op"), _pointer(op.get("path"))
    if not parts and name != "test":
        raise _NotAppliedError      # v4's findObject: the root has no parent
    if name in ("move", "copy"):
        source = _pointer(op.get("from"))
        if not source:
            raise _NotAppliedError
        value = copy.deepcopy(_walk(doc, source))
        if name == "move":
            doc = _remove(doc, source)
        return _add(doc, parts, value)
    if name == "add":
        return _add(doc, parts, copy.deepcopy(op.get("value")))
    if name == "remove":
        return _remove(doc, parts)
    if name == "replace":
        return _add(_remove(doc, parts), parts, copy.deepcopy(op.get("value")))
    if name == "test" and _tested(doc, parts) == op.get("value"):
        return doc
    raise _NotAppliedError         # a failed test, or an op json-patch does not know


def _tested(doc: Any, parts: list[str]) -> Any:
    """The value a ``test`` compares: json-patch v4's ``Patch.test`` finds the parent, then
    asks it for the key, and an object's ``partialDoc.get`` answers nil for a missing key
    without an error, so a missing key reads as null (``{"op": "test", "value": null}``
    passes); a missing parent or list index does not apply."""
    if parts and isinstance(parent := _walk(doc, parts[:-1]), dict):
        return parent.get(parts[-1])
    return _walk(doc, parts)


def _add(doc: Any, parts: list[str], value: Any) -> Any:
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last) if last.isdigit() else -1
        if not 0 <= index <= len(parent):
            raise _NotAppliedError
        parent.insert(index, value)
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise _NotAppliedError
    return doc


def _remove(doc: Any, parts: list[str]) -> Any:
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        del parent[int(last)]
    elif isinstance(parent, dict) and last in parent:
        del parent[last]
    else:
        raise _NotAppliedError
    return doc
