"""The Go type a strategic merge patch merges at a place in an object of a served kind, to
name it in strategicpatch's words (:class:`~clustersim.kubernetes.patcherrors.NoSuchFieldError`).

strategicpatch walks the kind's Go type as it merges (``PatchMetaFromStruct`` in
k8s.io/apimachinery ``pkg/util/strategicpatch/meta.go``): a field's type for a map in the
patch, a slice's element type for an element of a list, a pointer's element. The same types
are read here from the OpenAPI definitions of the release taught
(:func:`clustersim.schemas.kubernetes_definitions`), whose names end with the Go type's own
(``io.k8s.api.core.v1.PodSpec``); a field whose schema is a map of values
(``additionalProperties``: labels, a ResourceList) is a Go map.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from clustersim.kubernetes.patcherrors import ELEMENT
from clustersim.schemas import kubernetes_definitions

__all__ = ["go_type_at", "lacks_field"]

_REF = "#/$defs/"


def go_type_at(api_version: Any, kind: Any, path: Sequence[str | int]) -> str | None:
    """The name of the Go type merged at ``path`` (keys, ``ELEMENT`` for a list's element)
    in an object of ``kind`` and ``api_version``: a struct's name (``PodSpec``), ``map``
    for a Go map, or None where the definitions do not say (a kind or a field they lack)."""
    schema = _schema_at(api_version, kind, path)
    if schema is None:
        return None
    if "properties" in schema:
        return _struct_name(schema)
    return "map" if "additionalProperties" in schema else None


def lacks_field(api_version: Any, kind: Any, path: Sequence[str | int], field: str) -> bool:
    """Whether the Go type merged at ``path`` surely has no field of JSON name ``field``: a
    struct without it, even in another case (``LookupPatchMetadataForStruct`` in
    k8s.io/apimachinery ``third_party/forked/golang/json/fields.go`` takes a name that
    only Unicode case folding makes equal, as encoding/json does), or a Go map
    (strategicpatch finds no struct field in a map); False where the definitions do not
    say."""
    schema = _schema_at(api_version, kind, path)
    if schema is None:
        return False
    if "properties" in schema:
        return field not in schema["properties"] and not any(
            _folded(name) == _folded(field) for name in schema["properties"])
    return "additionalProperties" in schema


def _folded(name: str) -> list[str]:
    """``name`` a character at a time in one case, the Kelvin sign as ``k`` and the long
    ``s`` as ``s``, as Go's ``bytes.EqualFold`` compares them."""
    return [c.upper().lower() for c in name]


def _schema_at(api_version: Any, kind: Any, path: Sequence[str | int]
               ) -> dict[str, Any] | None:
    """The schema of the value at ``path`` in an object of ``kind``, its ``$ref``s
    followed, or None where the definitions do not say."""
    name = _definition_of(str(api_version or ""), str(kind or ""))
    schema = _followed({"$ref": _REF + name}) if name else None
    for step in path:
        if schema is None:
            return None
        schema = _followed(schema.get("items") if step == ELEMENT
                           else (schema.get("properties") or {}).get(step))
    return schema


def _followed(schema: dict[str, Any] | None) -> dict[str, Any] | None:
    """``schema`` with its ``$ref`` followed (the definition, named in ``x-go-name``)."""
    if schema is None or "$ref" not in schema:
        return schema
    target = schema["$ref"].removeprefix(_REF)
    found = kubernetes_definitions().get(target)
    return None if found is None else {**found, "x-go-name": target}


def _struct_name(schema: dict[str, Any]) -> str | None:
    name = schema.get("x-go-name")
    return None if name is None else str(name).rpartition(".")[2]


@cache
def _definition_of(api_version: str, kind: str) -> str | None:
    """The definition of ``kind`` in ``api_version`` (its ``x-kubernetes-group-version-kind``)."""
    group, _, version = api_version.rpartition("/")
    wanted = {"group": group, "version": version, "kind": kind}
    return next((name for name, schema in kubernetes_definitions().items()
                 if wanted in (schema.get("x-kubernetes-group-version-kind") or [])), None)
