"""The refusals of a strategic merge patch, in the words of k8s.io/apimachinery
``pkg/util/mergepatch/errors.go`` and ``pkg/util/strategicpatch/patch.go`` (kubernetes/kubernetes
``staging/src/k8s.io/apimachinery``), each with the status the API server answers it with
(``interpretStrategicMergePatchError`` in k8s.io/apiserver ``pkg/endpoints/handlers/patch.go``:
a 400 for the ``ErrBadPatchFormatFor...`` errors, a 422 for ``ErrNoListOfLists``, and every
other error, no API status, a 500 with its own text). Shared by
:mod:`clustersim.kubernetes.strategicmerge` and :mod:`clustersim.kubernetes.listorder`.
"""

from __future__ import annotations

import json
from typing import Any

from clustersim.goformat import go_quote, go_verbose

__all__ = ["BAD_ORDER_LIST", "BAD_PRIMITIVE_LIST", "BAD_RETAIN_KEYS", "ELEMENT", "MAP_TYPE",
           "NoSuchFieldError", "PatchError", "bad_arg_type", "bad_patch_type", "go_type",
           "identity", "no_merge_key"]


class PatchError(ValueError):
    """A strategic merge patch that cannot be applied; ``status`` is the API server's
    answer to it (see the module docstring)."""

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.status = status


ELEMENT = 0
"""A step into an element of a list in :attr:`NoSuchFieldError.path`."""


class NoSuchFieldError(PatchError):
    """The refusal of a ``$setElementOrder/<field>`` whose field the Go type merged at its
    level lacks: strategicpatch looks the list up (``LookupPatchMetadataForSlice``, then
    ``LookupPatchMetadataForStruct`` of k8s.io/apimachinery
    ``third_party/forked/golang/json/fields.go``) before it merges anything, and answers in
    words that name that type, a 500 (no API status). ``path`` is the level's place in the
    patched object (keys, :data:`ELEMENT` for a list's element), filled in as the error
    leaves each level, so that the caller who knows the object's kind can name the type
    (:meth:`named`); until then the message names the level by that path."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.path: list[str | int] = []
        super().__init__("")

    def __str__(self) -> str:
        shown = ".".join("[]" if step == ELEMENT else str(step) for step in self.path)
        return self.named(shown or "object").args[0]

    def named(self, go_type: str) -> PatchError:
        """The error with the level's Go type: a struct's name (``PodSpec``), or ``map`` for
        a Go map, which ``LookupPatchMetadataForStruct`` refuses before it looks for the
        field."""
        if go_type == "map":
            return PatchError("merging an object in json but data type is not struct, "
                              "instead is: map")
        return PatchError(f"unable to find api field in struct {go_type} for the json field "
                          f"{go_quote(self.field)}")


BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
"""``ErrBadPatchFormatForRetainKeys``, answered 400."""
BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
"""``ErrBadPatchFormatForPrimitiveList``, answered 400."""
BAD_ORDER_LIST = "invalid patch format of setElementOrder list"
"""``ErrBadPatchFormatForSetElementOrderList``, answered 400."""
MAP_TYPE = "map[string]interface {}"
"""``reflect.TypeOf`` of a decoded JSON object, as ``%s`` writes it."""


def go_type(value: Any) -> str:
    """``reflect.TypeOf`` of a decoded JSON value as ``%s`` writes it (whole numbers are
    ``int64``, as k8s.io/apimachinery's JSON decoder makes them); the simulator's own
    subclasses of the JSON types (a read-only list shared by many Pods) are their type, and
    anything else is named by its Python type."""
    if value is None:
        return "%!s(<nil>)"
    for python, go in ((bool, "bool"), (int, "int64"), (float, "float64"), (str, "string"),
                       (dict, MAP_TYPE), (list, "[]interface {}")):
        if isinstance(value, python):
            return go
    return type(value).__name__


def bad_arg_type(expected: str, value: Any) -> PatchError:
    """``ErrBadArgType``: the type expected (a typed nil in upstream's call) and the one
    received."""
    return PatchError(f"expected a {expected}, but received a {go_type(value)}")


def bad_patch_type(directive: Any, patch: dict[str, Any]) -> PatchError:
    """``ErrBadPatchType``: the directive as ``%s`` writes it, the map as ``%v``."""
    shown = directive if isinstance(directive, str) else go_type(directive) \
        if directive is None else f"%!s({go_type(directive)}={go_verbose(directive)})"
    return PatchError(f"unknown patch type: {shown} in map: {go_verbose(patch)}")


def no_merge_key(element: dict[str, Any], key: str) -> PatchError:
    """``ErrNoMergeKey``."""
    return PatchError(f"map: {go_verbose(element)} does not contain declared merge key: {key}")


def identity(value: Any) -> tuple[str, Any]:
    """``value`` as a key of a dict or set, equal where Go's ``==`` on two ``interface{}``
    values is: of the same type and value (``true`` is not ``1``, ``1`` not ``1.0``); a map
    or a list, which Go cannot compare, by its JSON text."""
    try:
        hash(value)
    except TypeError:
        return go_type(value), json.dumps(value, sort_keys=True)
    return go_type(value), value
