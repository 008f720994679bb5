"""What the Kubernetes API server answers when a patch applies but its result cannot be
decoded into the object's type: a field of the wrong JSON type, or an unknown field under
``fieldValidation=Strict``.

Upstream: k8s.io/apiserver ``pkg/endpoints/handlers/patch.go``. A JSON patch or a JSON merge
patch is applied to the object's JSON and the result decoded
(``jsonPatcher.applyPatchToCurrentObject``); a strategic merge patch is merged into the
object's map and the result converted field by field
(``applyPatchToObject``, ``runtime.DefaultUnstructuredConverter``). Either way the refusal
is ``errors.NewInvalid`` with no kind and no name: 422 ``Invalid``, one cause on the field
``patch`` whose bad value is the patched object's JSON (JSON and merge patches) or the patch
as Go's ``%+v`` prints its map (strategic merge patches), and whose detail is the decoder's
error (``json: cannot unmarshal string into Go struct field ... of type int32``), the
converter's (``unrecognized type: int32``) or the strict decoder's (``strict decoding
error: unknown field "spec.replica"``). kubectl prints ``The request is invalid: patch:
Invalid value: ...``. A patch that cannot be read at all (not JSON, a JSON patch that is
not a list of operations) stays a 400, refused before it is applied.

Simplified: the patched object's JSON is the simulator's rendering of it, which differs
from the API server's in the fields it keeps (``managedFields``, defaults); a number that
is not whole, put into a field that holds no number, is named by the converter as an
``int64``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from clustersim.goformat import go_quote, go_verbose
from clustersim.manifests.gotypes import STRING_TYPES
from clustersim.serve.core import HttpError

__all__ = ["patch_refusal"]

_UNMARSHAL = re.compile(r"json: cannot unmarshal (\w+)( [^ ]+)? into Go struct field \S+ "
                        r"of type (\S+)")
_GO_KINDS = {"string": "string", "bool": "bool", "array": "slice", "object": "map"}
_NUMBERS = re.compile(r"u?int(8|16|32|64)?|float(32|64)")
_STRINGS = frozenset({"string", *STRING_TYPES})
"""The Go types held by a string: ``string`` and the named string types the decoder names
(:data:`~clustersim.manifests.gotypes.STRING_TYPES`: ``v1.RestartPolicy``,
``v1.Capability``); any other ``v1.`` type is a struct."""


def _converter_words(why: str) -> str:
    """The unstructured converter's error (``fromUnstructured`` in apimachinery
    ``pkg/runtime/converter.go``) for the value that ``encoding/json`` refused with ``why``:
    a struct, slice or map restored from a scalar, or a scalar that does not convert."""
    found = _UNMARSHAL.match(why)
    if found is None:
        return why
    kind, literal, target = found[1], found[2], found[3]
    source = "float64" if literal else _GO_KINDS.get(kind, "int64")
    if target.startswith("[]"):
        return f"cannot restore slice from {source}"
    if target.startswith("map["):
        return f"cannot restore map from {source}"
    if _NUMBERS.fullmatch(target) is None and target not in _STRINGS and target != "bool":
        return f"cannot restore struct from: {source}"
    base = "string" if target in _STRINGS else target
    if (source == "int64" and base == "string") or (source == "float64" and base == target
                                                    and _NUMBERS.fullmatch(target)):
        return f"cannot convert {source} to {target}"   # convertible in Go, refused by JSON
    return f"unrecognized type: {base}"


def patch_refusal(content_type: str, patch: Any, patched: Any, why: str) -> HttpError:
    """The 422 of a patch whose result the decoder refused with ``why`` (its words for a
    whole object: ``json: cannot unmarshal ...`` or ``strict decoding error: ...``)."""
    if content_type == "application/strategic-merge-patch+json":
        shown = go_verbose(patch)
        detail = why if why.startswith("strict decoding error") else _converter_words(why)
    else:
        shown = json.dumps(patched, separators=(",", ":"), ensure_ascii=False)
        detail = why
    body = f"Invalid value: {go_quote(shown)}: {detail}"
    return HttpError(422, f' "" is invalid: patch: {body}', "Invalid",
                     causes=[{"reason": "FieldValueInvalid", "message": body,
                              "field": "patch"}])
