"""Strategic merge patch, the patch ``kubectl apply`` sends and the API server applies, for
both the served API (``application/strategic-merge-patch+json``) and the simulator's own
:meth:`~clustersim.kubernetes.apiserver.APIServer.apply`.

Like a JSON merge patch (maps merge, ``null`` deletes), but lists with a merge key merge
element by element (containers by ``name``, container ports by ``containerPort``, Service
ports by ``port``...), and the directives ``$patch: replace|delete|merge``,
``$retainKeys``, ``$setElementOrder/<list>`` and ``$deleteFromPrimitiveList/<list>`` apply
(kubernetes/kubernetes ``staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go``).
The merge keys are the ``patchMergeKey`` tags of ``staging/src/k8s.io/api/core/v1/types.go``,
``apps/v1/types.go`` and ``batch/v1/types.go`` (the ``x-kubernetes-patch-merge-key`` of their
OpenAPI schemas; a test compares the two), of the spec and of the status alike, looked up by
field name rather than by Go type — the same answer for every kind simulated, except where
two types share a name and only one has a key (``ports``, ``addresses``: decided by the
items, :func:`_merge_key`).

A patch it cannot apply raises :class:`PatchError` in strategicpatch's words
(``strategicpatch/patch.go``, ``mergepatch/errors.go``), with the status the API server
answers (``interpretStrategicMergePatchError`` in k8s.io/apiserver
``pkg/endpoints/handlers/patch.go``): a 400 for a ``$retainKeys`` that is no list or omits a
key the patch sets and for a ``$deleteFromPrimitiveList`` without its ``/``; every other
error (an unknown ``$patch``, an element of a merged list without its merge key, ``$patch:
merge`` in a list, a ``$setElementOrder`` that is no list) is no API status and reaches
``ErrorToAPIStatus`` as it is: a 500 with the error's text and no reason. Simplified: these
are checked where a list meets a list of the live object, as upstream; the elements of a
``$setElementOrder`` list are not checked against the patch's, and order nothing.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from clustersim.goformat import go_verbose

__all__ = ["MERGE_KEYS", "MERGE_PRIMITIVES", "PatchError", "apply_patch", "list_map_keys",
           "strategic_merge_patch", "three_way_patch"]


class PatchError(ValueError):
    """A strategic merge patch that cannot be applied; ``status`` is the API server's
    answer to it (see the module docstring)."""

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.status = status


def _go_type(value: Any) -> str:
    """``reflect.TypeOf`` of a decoded JSON value as ``%s`` writes it (``ErrBadArgType``)."""
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, bool):
        return "bool"
    return {int: "int64", float: "float64", str: "string", dict: "map[string]interface {}",
            list: "[]interface {}"}[type(value)]


def _bad_patch_type(directive: Any, patch: dict[str, Any]) -> PatchError:
    """``ErrBadPatchType``: the directive as ``%s`` writes it, the map as ``%v``."""
    shown = directive if isinstance(directive, str) else _go_type(directive) \
        if directive is None else f"%!s({_go_type(directive)}={go_verbose(directive)})"
    return PatchError(f"unknown patch type: {shown} in map: {go_verbose(patch)}")


def _no_merge_key(element: dict[str, Any], key: str) -> PatchError:
    """``ErrNoMergeKey``."""
    return PatchError(f"map: {go_verbose(element)} does not contain declared merge key: {key}")


_BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
"""``ErrBadPatchFormatForRetainKeys``, answered 400."""

MERGE_KEYS = {"containers": "name", "initContainers": "name", "ephemeralContainers": "name",
              "env": "name", "volumes": "name", "volumeMounts": "mountPath",
              "volumeDevices": "devicePath", "imagePullSecrets": "name", "hostAliases": "ip",
              "topologySpreadConstraints": "topologyKey", "conditions": "type",
              "ownerReferences": "uid", "resourceClaims": "name", "schedulingGates": "name",
              "evictionResponders": "name", "secrets": "name",
              # status lists: PodStatus, ContainerStatus, NodeStatus and what they hold
              "podIPs": "ip", "hostIPs": "ip", "resourceClaimStatuses": "name",
              "nodeAllocatableResourceClaimStatuses": "resourceClaimName",
              "mapping": "name", "overhead": "name", "allocatedResourcesStatus": "name",
              "healthConditions": "status"}
"""Field name → patchMergeKey (``ports`` and ``addresses`` are decided by their items, see
:func:`_merge_key`)."""
MERGE_PRIMITIVES = frozenset({"finalizers"})
"""Lists of scalars with ``patchStrategy:"merge"``: union rather than replace."""

_KEYED_BY_ITEMS = {"ports": ("containerPort", "port"), "addresses": ("type", None)}
"""Lists whose name two types share: the merge key when a dict item has that field, and
the one otherwise. A container's ports merge by ``containerPort``, a Service's by ``port``;
a Node's ``status.addresses`` by ``type``, while an Endpoints subset's addresses (``ip``, no
``type``) have none (``+listType=atomic``)."""


def _merge_key(field: str, items: list[Any]) -> str | None:
    if field in _KEYED_BY_ITEMS:
        sample = next((i for i in items if isinstance(i, dict)), {})
        key, otherwise = _KEYED_BY_ITEMS[field]
        return key if key in sample else otherwise
    return MERGE_KEYS.get(field)


_MORE_LIST_MAP_KEYS = {"ports": "protocol", "topologySpreadConstraints": "whenUnsatisfiable",
                       "healthConditions": "reason"}
"""The ``+listMapKey`` tags server-side apply keys a list's elements by beyond the
patchMergeKey (``types.go``: a container's or a Service's ports by their number and
``protocol``, spread constraints by ``topologyKey`` and ``whenUnsatisfiable``, a volume's
health conditions by ``status`` and ``reason``)."""

_ATOMIC_FOR_APPLY = frozenset({"hostIPs"})
"""Lists with a patchMergeKey that server-side apply still treats whole
(``+listType=atomic``): ``PodStatus.hostIPs``. Simplified: ``JobStatus.conditions`` is
atomic too, other kinds' conditions keyed by ``type``; by name, all are keyed (status is in
no field set the simulator keeps)."""


def list_map_keys(field: str, items: list[Any]) -> tuple[str, ...] | None:
    """The keys server-side apply tells the elements of list ``field`` apart by (its
    ``x-kubernetes-list-map-keys``): the merge key of :data:`MERGE_KEYS`, with the
    ``+listMapKey`` tags that add to it; None for a list without one (an atomic list)."""
    key = _merge_key(field, items)
    if key is None or field in _ATOMIC_FOR_APPLY:
        return None
    more = _MORE_LIST_MAP_KEYS.get(field)
    return (key,) if more is None else (key, more)


def strategic_merge_patch(target: Any, patch: Any) -> Any:
    """Apply a strategic merge patch to ``target`` (neither argument is modified); raise
    :class:`PatchError` for one that cannot be applied. A map's ``$patch: replace`` is the
    map without it, ``$patch: delete`` an empty map (``handleDirectiveInMergeMap``)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if "$patch" in patch:
        if patch["$patch"] == "replace":
            return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
        if patch["$patch"] == "delete":
            return {}
        raise _bad_patch_type(patch["$patch"], patch)
    retain = _retained_keys(patch)
    # what the patch leaves is copied here, what it sets or merges by the merge: each value
    # is copied once, not again at every level above it
    out = {k: v if k in patch else copy.deepcopy(v) for k, v in target.items()
           if retain is None or k in retain} if isinstance(target, dict) else {}
    orders = [key for key in patch if key.startswith("$setElementOrder/")]
    for key in orders:          # before the fields, as ``mergePatchIntoOriginal``
        _check_order_list(key.split("/", 1)[1], patch[key], out, patch)
    for key, value in patch.items():
        if key.startswith("$deleteFromPrimitiveList"):
            _delete_from_list(key, value, out)
        elif key != "$retainKeys" and not key.startswith("$setElementOrder/"):
            _merge_field(key, value, out)
    return out


def _merge_field(key: str, value: Any, out: dict[str, Any]) -> None:
    """Merge the patch's ``value`` of field ``key`` into ``out``, in place."""
    if value is None:
        out.pop(key, None)
    elif isinstance(value, list):
        out[key] = _merge_list(key, out.get(key), value)
    else:
        out[key] = strategic_merge_patch(out.get(key), value)


def _retained_keys(patch: dict[str, Any]) -> set[Any] | None:
    """The keys a ``$retainKeys`` directive keeps (``applyRetainKeysDirective``): a list
    naming every key the patch sets but a null, a ``$deleteFromPrimitiveList`` or a
    ``$setElementOrder``; None without one."""
    if "$retainKeys" not in patch:
        return None
    keys = patch["$retainKeys"]
    if not isinstance(keys, list):
        raise PatchError(_BAD_RETAIN_KEYS, 400)
    retained = {_hashable(k) for k in keys}
    if any(v is not None and not k.startswith(("$deleteFromPrimitiveList", "$setElementOrder"))
           and k != "$retainKeys" and k not in retained for k, v in patch.items()):
        raise PatchError(_BAD_RETAIN_KEYS, 400)
    return retained


def _check_order_list(field: str, order: Any, out: dict[str, Any],
                      patch: dict[str, Any]) -> None:
    """``mergePatchIntoOriginal``'s type checks of a ``$setElementOrder/<field>``: it, the
    live field and the patch's must be lists (``ErrBadArgType``)."""
    for value, there in ((order, True), (out.get(field), field in out),
                         (patch.get(field), field in patch)):
        if there and not isinstance(value, list):
            raise PatchError(f"expected a []interface {{}}, but received a {_go_type(value)}")


def _delete_from_list(key: str, value: Any, out: dict[str, Any]) -> None:
    """``$deleteFromPrimitiveList/<field>`` (``preprocessDeletionListForMerging`` and
    ``mergeMap``): the elements it lists leave a list of scalars merged as a set
    (``finalizers``); otherwise it is the field itself, set as any field of the patch is: on
    a field the live object lacks, or holds as another JSON type, its value as sent; a
    map or a list with a merge key merged, any other list replaced."""
    if "/" not in key:
        raise PatchError("invalid patch format of primitive list", 400)
    field = key.split("/", 1)[1]
    current = out.get(field)
    if field not in out or value is None or type(current) is not type(value):
        if value is None:
            out.pop(field, None)
        else:
            out[field] = copy.deepcopy(value)
    elif isinstance(value, list) and isinstance(current, list) and field in MERGE_PRIMITIVES:
        gone = {_hashable(v) for v in value}
        out[field] = [v for v in current if _hashable(v) not in gone]
    else:
        _merge_field(field, value, out)


def _merge_list(field: str, current: Any, patch: list[Any]) -> list[Any]:
    """Merge list ``field`` as ``mergeSlice`` of ``patch.go`` does, in time linear in both
    lists: a list of scalars with a merge strategy is a union (:func:`_union_scalars`), a
    list without a merge key is replaced, and one with a key merges element by element
    (:func:`_merge_keyed`)."""
    checked = isinstance(current, list)     # upstream merges only with a live list
    current = current if checked else []
    if field in MERGE_PRIMITIVES:
        return copy.deepcopy(current + _union_scalars(current, patch))
    key = _merge_key(field, patch + current)
    if key is None or not all(isinstance(i, dict) for i in patch):
        if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
            return [i for i in patch if not (isinstance(i, dict) and "$patch" in i)]
        return copy.deepcopy(patch)
    return _merge_keyed(current, patch, key, checked)


def _merge_keyed(current: list[Any], patch: list[dict[str, Any]], key: str, checked: bool
                 ) -> list[Any]:
    """A list merged by ``key`` (``mergeSliceWithSpecialElements`` then
    ``mergeSliceWithoutSpecialElements``): with a ``$patch: replace`` element the list is the
    patch's other elements; otherwise every element whose key a ``$patch: delete`` element
    names goes first (all of them, ``deleteMatchingEntries``), then each other element merges
    into the first element of its key, or is appended, and a later element of the same key
    merges into that one. The first element of each key is found in an index built once,
    where upstream scans the list for each element (``findMapInSliceBasedOnKeyValue``).
    ``checked``: the live object has the list, and the patch's elements are checked
    (:func:`_check_elements`); upstream takes a list the live object lacks as sent.
    Simplified: upstream then orders the list as the patch (or its ``$setElementOrder``)
    does; here the list keeps its order, new elements last."""
    if checked:
        _check_elements(patch, key)
    if any(item.get("$patch") == "replace" for item in patch):
        return [i for i in patch if "$patch" not in i]
    deleted = {_hashable(item.get(key)) for item in patch if item.get("$patch") == "delete"}
    out = [c for c in current if not (isinstance(c, dict) and _hashable(c.get(key)) in deleted)]
    first: dict[Any, int] = {}
    for n, c in enumerate(out):
        if isinstance(c, dict):
            first.setdefault(_hashable(c.get(key)), n)
    merged: set[int] = set()         # made by the merge: the others are copied at the end
    for item in patch:
        if item.get("$patch") == "delete":
            continue
        index = first.get(_hashable(item.get(key)))
        if index is None:
            index = first[_hashable(item.get(key))] = len(out)
            out.append(strategic_merge_patch({}, item))
        else:
            out[index] = strategic_merge_patch(out[index], item)
        merged.add(index)
    return [c if n in merged else copy.deepcopy(c) for n, c in enumerate(out)]


def _check_elements(patch: list[dict[str, Any]], key: str) -> None:
    """Refuse, as ``mergeSliceWithSpecialElements`` does, a directive element other than a
    ``delete`` with its key or a ``replace``, then, as ``mergeSliceWithoutSpecialElements``
    does, an element without its key."""
    for item in patch:
        directive = item.get("$patch", "delete")
        if directive == "merge":
            raise PatchError("merging lists cannot yet be specified in the patch")
        if directive not in ("delete", "replace"):
            raise _bad_patch_type(directive, item)
        if directive == "delete" and "$patch" in item and key not in item:
            raise _no_merge_key(item, key)
    unkeyed = next((item for item in patch if "$patch" not in item and key not in item), None)
    if unkeyed is not None:
        raise _no_merge_key(unkeyed, key)


def _union_scalars(current: list[Any], patch: list[Any]) -> list[Any]:
    """The elements of ``patch`` that ``current`` does not hold, found in a set (a list of
    scalars merged). Simplified: ``mergeSlice`` of ``patch.go`` also drops the repeats of
    the merged list (``deduplicateScalars``); here both lists keep theirs."""
    held = {_hashable(v) for v in current}
    return [v for v in patch if _hashable(v) not in held]


def _hashable(value: Any) -> Any:
    """``value`` as a key of a dict or set that is equal where the values are: itself when
    it is hashable, its JSON text otherwise (a merge key the decoder has not checked yet may
    be a map or a list)."""
    try:
        hash(value)
    except TypeError:
        return ("json", json.dumps(value, sort_keys=True))
    return value


def apply_patch(last_applied: Any, modified: Any) -> Any:
    """The strategic merge patch ``kubectl apply`` sends to make the live object say what
    ``modified`` (the manifest) says, given ``last_applied`` (its last-applied-configuration
    annotation): ``CreateThreeWayMergePatch`` of ``strategicpatch/patch.go``. Every field of
    ``modified`` is set, a field that ``last_applied`` had and ``modified`` has no more is
    deleted (``null``; ``$patch: delete`` for an element of a list with a merge key), and a
    field neither of them has, such as what the API server or its admission filled in, is
    kept. Simplified: upstream sends only what differs from the live object and orders the
    merged lists as ``modified`` does (``$setElementOrder``); setting an unchanged field
    again changes nothing, and the merged lists keep the live order, new elements last."""
    if not isinstance(modified, dict):
        return copy.deepcopy(modified)
    original = last_applied if isinstance(last_applied, dict) else {}
    patch: dict[str, Any] = dict.fromkeys(k for k in original if k not in modified)
    for key, value in modified.items():
        before = original.get(key)
        if isinstance(value, dict):
            patch[key] = apply_patch(before, value)
        elif isinstance(value, list) and all(isinstance(i, dict) for i in value) and \
                key not in MERGE_PRIMITIVES and \
                (merge_key := _merge_key(key, value + (before or []))) is not None:
            patch[key] = _list_apply_patch(before, value, merge_key)
        else:
            patch[key] = copy.deepcopy(value)
    return patch


def _list_apply_patch(last_applied: Any, modified: list[dict[str, Any]], merge_key: str
                      ) -> list[dict[str, Any]]:
    """:func:`apply_patch` of a list merged by ``merge_key``: each element of ``modified``
    against the element ``last_applied`` had with the same key, and a delete directive for
    each element it had that ``modified`` no longer has."""
    before = {item.get(merge_key): item for item in last_applied or []
              if isinstance(item, dict)}
    kept = {item.get(merge_key) for item in modified}
    patch = [apply_patch(before.get(item.get(merge_key)), item) for item in modified]
    patch += [{merge_key: key, "$patch": "delete"} for key in before if key not in kept]
    return patch


def three_way_patch(original: Any, modified: Any, current: Any) -> dict[str, Any]:
    """The patch ``kubectl apply`` computes before it sends anything
    (``CreateThreeWayMergePatch`` of ``strategicpatch/patch.go``): what ``modified`` (the
    manifest, its last-applied annotation set) sets that the live object ``current`` does
    not say (``diffMaps(current, modified)`` ignoring deletions), and what the last applied
    configuration ``original`` had that ``modified`` no longer has (``diffMaps(original,
    modified)`` ignoring changes and additions). When it is empty kubectl sends nothing and
    prints ``unchanged``, so an object that drifted from its manifest (``kubectl scale``) is
    ``configured`` again, and a list without a merge key that the API server defaulted (a
    StatefulSet's ``volumeClaimTemplates``, kubernetes/kubernetes issue 66450) is sent whole
    every time. Simplified: no ``$setElementOrder`` (it changes no field), and a list with a
    merge key is compared element by element, whatever its order."""
    return _union(_diff(original, modified, additions=False),
                  _diff(current, modified, deletions=False))


def _union(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """``mergeMap`` of two patches: the maps both have are joined key by key."""
    out = dict(first)
    for key, value in second.items():
        mine = out.get(key)
        out[key] = _union(mine, value) if isinstance(mine, dict) and isinstance(value, dict) \
            else value
    return out


def _diff(before: Any, after: Any, *, additions: bool = True, deletions: bool = True
          ) -> dict[str, Any]:
    """``diffMaps``: the patch that takes map ``before`` to map ``after``, with only the
    changes and additions, or only the deletions, asked for."""
    before = before if isinstance(before, dict) else {}
    patch: dict[str, Any] = {}
    if deletions:
        patch.update(dict.fromkeys(k for k in before if k not in after))
    for key, value in after.items():
        old = before.get(key)
        if key not in before:
            if additions:
                patch[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(old, dict):
            if inner := _diff(old, value, additions=additions, deletions=deletions):
                patch[key] = inner
        elif isinstance(value, list) and isinstance(old, list) and \
                all(isinstance(i, dict) for i in value + old) and \
                (merge_key := _merge_key(key, value + old)) is not None:
            if items := _diff_list(old, value, merge_key, additions, deletions):
                patch[key] = items
        elif value != old and additions:
            patch[key] = copy.deepcopy(value)
    return patch


def _diff_list(before: list[dict[str, Any]], after: list[dict[str, Any]], merge_key: str,
               additions: bool, deletions: bool) -> list[dict[str, Any]]:
    """``diffListsOfMaps``: :func:`_diff` of a list merged by ``merge_key``, element by
    element, an element ``after`` no longer has deleted with ``$patch: delete``."""
    old = {item.get(merge_key): item for item in before}
    patch: list[dict[str, Any]] = []
    for item in after:
        key = item.get(merge_key)
        if key not in old:
            if additions:
                patch.append(copy.deepcopy(item))
        elif inner := _diff(old[key], item, additions=additions, deletions=deletions):
            patch.append({merge_key: key, **inner})
    kept = {item.get(merge_key) for item in after}
    if deletions:
        patch += [{merge_key: key, "$patch": "delete"} for key in old if key not in kept]
    return patch
