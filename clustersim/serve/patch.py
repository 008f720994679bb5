"""The three patch types of the Kubernetes API: JSON merge patch, strategic merge patch and
JSON patch.

- JSON merge patch (``application/merge-patch+json``, RFC 7386): maps merge, ``null``
  deletes, anything else (lists included) replaces.
- Strategic merge patch (``application/strategic-merge-patch+json``), what ``kubectl apply``
  sends: :func:`clustersim.kubernetes.strategicmerge.strategic_merge_patch`, which the
  simulator's own apply uses too.
- JSON patch (``application/json-patch+json``, RFC 6902): ``add``, ``remove``, ``replace``,
  ``test``, ``move``, ``copy``.
"""

from __future__ import annotations

import copy
from typing import Any

from clustersim.serve.core import HttpError

__all__ = ["json_patch", "merge_patch"]

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


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise HttpError(422, f"invalid JSON pointer {path!r}: it must start with '/'", "Invalid")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(doc, list):
            try:
                doc = doc[int(part)]
            except (ValueError, IndexError):
                raise HttpError(422, f"no element {part!r} in a list", "Invalid") from None
        elif isinstance(doc, dict) and part in doc:
            doc = doc[part]
        else:
            raise HttpError(422, f"doc is missing path: {part!r}", "Invalid")
    return doc


def json_patch(target: Any, operations: Any) -> Any:
    """RFC 6902; a failing operation raises ``HttpError`` 422."""
    if not isinstance(operations, list):
        raise HttpError(400, "a JSON patch must be a list of operations", "BadRequest")
    doc = copy.deepcopy(target)
    for op in operations:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise HttpError(400, f"invalid JSON patch operation {op!r}", "BadRequest")
        parts = _pointer(op["path"])
        name = op["op"]
        if name in ("move", "copy"):
            value = copy.deepcopy(_walk(doc, _pointer(op.get("from", ""))))
            if name == "move":
                doc = _remove(doc, _pointer(op["from"]))
            doc = _add(doc, parts, value)
        elif name == "add":
            doc = _add(doc, parts, copy.deepcopy(op.get("value")))
        elif name == "remove":
            doc = _remove(doc, parts)
        elif name == "replace":
            doc = _add(_remove(doc, parts), parts, copy.deepcopy(op.get("value")))
        elif name == "test":
            if _walk(doc, parts) != op.get("value"):
                raise HttpError(422, f"test operation failed at {op['path']}", "Invalid")
        else:
            raise HttpError(400, f"unknown JSON patch operation {name!r}", "BadRequest")
    return doc


def _add(doc: Any, parts: list[str], value: Any) -> Any:
    if not parts:
        return value
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last) if last.isdigit() else -1
        if not 0 <= index <= len(parent):
            raise HttpError(422, f"index {last!r} out of range", "Invalid")
        parent.insert(index, value)
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise HttpError(422, f"cannot add below a scalar at {last!r}", "Invalid")
    return doc


def _remove(doc: Any, parts: list[str]) -> Any:
    if not parts:
        raise HttpError(422, "cannot remove the whole document", "Invalid")
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        del parent[int(last)]
    elif isinstance(parent, dict) and last in parent:
        del parent[last]
    else:
        raise HttpError(422, f"unable to remove nonexistent key: {last}", "Invalid")
    return doc
