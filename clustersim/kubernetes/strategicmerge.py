"""Strategic merge patch, the patch ``kubectl apply`` sends and the API server applies, for
both the served API (``application/strategic-merge-patch+json``) and the simulator's own
:meth:`~clustersim.kubernetes.apiserver.APIServer.apply`.

Like a JSON merge patch (maps merge, ``null`` deletes), but lists with a merge key merge
element by element (containers by ``name``, container ports by ``containerPort``, Service
ports by ``port``...), and the directives ``$patch: replace|delete|merge``,
``$retainKeys``, ``$setElementOrder/<list>`` and ``$deleteFromPrimitiveList/<list>`` apply
(kubernetes/kubernetes ``staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go``,
as of k8s.io/apimachinery v0.36). A merged list is ordered as the patch's list, or its
``$setElementOrder``, says, then as the live list was (:mod:`clustersim.kubernetes.listorder`).
A field the live object lacks, or holds as another JSON type, is taken as sent, its nulls
left out and every map with a ``$patch`` (and every list element with one) dropped, other
directives kept for the decoder to refuse (``discardNullValuesFromPatch``,
``removeDirectives``). The merge keys are the ``patchMergeKey`` tags of
``staging/src/k8s.io/api/core/v1/types.go``, ``apps/v1/types.go`` and ``batch/v1/types.go``
(the ``x-kubernetes-patch-merge-key`` of their OpenAPI schemas; a test compares the two), of
the spec and of the status alike, looked up by field name rather than by Go type — the same
answer for every kind simulated, except where two types share a name and only one has a key
(``ports``, ``addresses``: decided by the items, :func:`_merge_key`).

A patch it cannot apply raises :class:`~clustersim.kubernetes.patcherrors.PatchError` in
strategicpatch's words, with the status the API server answers
(:mod:`clustersim.kubernetes.patcherrors`): a 400 for a ``$retainKeys`` that is no list or
omits a key the patch sets, a ``$deleteFromPrimitiveList`` or ``$setElementOrder`` without
its ``/``; every other error (an unknown ``$patch``, an element of a merged list without its
merge key, ``$patch: merge`` in a list, a ``$setElementOrder`` that is no list, or whose
elements are no maps with the merge key or come in another order than the patch's, or that
names no field, ``$setElementOrder/``, which no Go type has: ``unable to find api field in
struct PodSpec for the json field ""``, the type named by the caller who knows the object's
kind, :class:`~clustersim.kubernetes.patcherrors.NoSuchFieldError`) is no
API status and reaches ``ErrorToAPIStatus`` as it is: a 500 with the error's text and no
reason. An element a merged list gains is appended as sent, its nulls and any directive
inside it (``$patch``, ``$retainKeys``, ``$setElementOrder/...``) kept, unapplied
(``mergeSliceWithoutSpecialElements`` appends the patch's map; only an element found by its
merge key is merged, by ``mergeMap``): the decoder then reads each directive as an unknown
field, so ``fieldValidation`` refuses it or drops it with a warning, as upstream does
(inside a structure whose fields the check does not list too: a probe, a volume's source,
:mod:`clustersim.manifests.kubernetes_fields`).
Simplified: a list of maps without a merge key that a ``$deleteFromPrimitiveList`` meets is
replaced, where upstream refuses it (``cannot merge lists without merge key``), and one that
a ``$setElementOrder`` names is merged as without it
(:mod:`~clustersim.kubernetes.listorder`); a ``$setElementOrder/<field>`` whose field the
level's Go type lacks is refused by the served API, which has the kinds' types
(:func:`checking_fields`), where the simulator's own apply refuses only an empty name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from clustersim.kubernetes.listorder import (
    check_order_list,
    element_kind,
    in_order,
    live_as_merged,
)
from clustersim.kubernetes.patcherrors import (
    BAD_ORDER_LIST,
    BAD_PRIMITIVE_LIST,
    BAD_RETAIN_KEYS,
    ELEMENT,
    MAP_TYPE,
    NoSuchFieldError,
    PatchError,
    bad_arg_type,
    bad_patch_type,
    go_type,
    identity,
    no_merge_key,
)

__all__ = ["MERGE_KEYS", "MERGE_PRIMITIVES", "FieldLookup", "PatchError", "apply_patch",
           "checking_fields", "list_map_keys", "strategic_merge_patch", "three_way_patch"]

_LIST_TYPE = "[]interface {}"
"""``reflect.TypeOf`` of a decoded JSON array (``ErrBadArgType``'s expected type)."""
_DROPPED = object()
"""What :func:`_as_sent` makes of a map with a ``$patch``: no value at all."""


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
    :class:`PatchError` for one that cannot be applied. ``mergeMap``: a map's ``$patch:
    replace`` is the map without it, ``$patch: delete`` an empty map
    (``handleDirectiveInMergeMap``); then ``$retainKeys``, then each ``$setElementOrder``
    with the list it orders (``mergePatchIntoOriginal``), then the other fields."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if "$patch" in patch:
        if patch["$patch"] == "replace":
            return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
        if patch["$patch"] == "delete":
            return {}
        raise bad_patch_type(patch["$patch"], patch)
    retain = _retained_keys(patch)
    # what the patch leaves is copied here, what it sets or merges by the merge: each value
    # is copied once, not again at every level above it
    out = {k: v if k in patch else copy.deepcopy(v) for k, v in target.items()
           if retain is None or identity(k) in retain} if isinstance(target, dict) else {}
    done = {_ordered(key, patch[key], out, patch) for key in patch
            if key.startswith("$setElementOrder")}
    for key, value in patch.items():
        if key.startswith("$deleteFromPrimitiveList"):
            prefix, slash, field = key.partition("/")
            if not slash or prefix != "$deleteFromPrimitiveList":
                raise PatchError(BAD_PRIMITIVE_LIST, 400)
            _merge_field(field, value, out, deleting=True)
        elif key != "$retainKeys" and not key.startswith("$setElementOrder") and \
                key not in done:
            _merge_field(key, value, out)
    return out


def _merge_field(key: str, value: Any, out: dict[str, Any], *, deleting: bool = False
                 ) -> None:
    """Merge the patch's ``value`` of field ``key`` into ``out``, in place (``mergeMap``'s
    loop). ``deleting``: the value is a ``$deleteFromPrimitiveList/<key>``, which deletes
    from a list of scalars it meets and changes nothing the live object lacks or holds as
    another type."""
    if value is None:
        out.pop(key, None)
        return
    current = out.get(key)
    if key not in out or go_type(current) != go_type(value):
        if not deleting:
            kept = _as_sent(value, drop_nulls=True)
            if kept is _DROPPED:
                out.pop(key, None)
            else:
                out[key] = kept
    elif isinstance(value, dict):
        with _within(key):
            out[key] = strategic_merge_patch(current, value)
    elif isinstance(value, list) and isinstance(current, list):
        with _within(key):
            out[key] = _merge_list(key, current, value, deleting)
    else:
        out[key] = value


@contextmanager
def _within(step: str | int) -> Iterator[None]:
    """Merge one level down, at ``step`` (a key, or ``ELEMENT``): the step is on the path
    :func:`checking_fields`' lookup is asked about while inside, and is added to the path
    of a :class:`~clustersim.kubernetes.patcherrors.NoSuchFieldError` raised inside it, as
    the error leaves that level."""
    token = _PATH.set((*_PATH.get(), step))
    try:
        yield
    except NoSuchFieldError as err:
        err.path.insert(0, step)
        raise
    finally:
        _PATH.reset(token)


FieldLookup = Callable[[tuple[str | int, ...], str], bool]
"""Whether the Go type merged at a path (keys, ``ELEMENT`` for a list's element) surely
lacks a field of a JSON name (False where the caller's types do not say)."""
_PATH: ContextVar[tuple[str | int, ...]] = ContextVar("strategic_merge_path", default=())
_LACKS: ContextVar[FieldLookup | None] = ContextVar("strategic_merge_lacks", default=None)


@contextmanager
def checking_fields(lacks: FieldLookup) -> Iterator[None]:
    """Merge, while inside, as strategicpatch merges with the kind's Go types at hand: a
    ``$setElementOrder/<field>`` whose field ``lacks`` says the level's type lacks is
    refused (:class:`~clustersim.kubernetes.patcherrors.NoSuchFieldError`;
    ``mergePatchIntoOriginal`` looks the list up with ``LookupPatchMetadataForSlice``
    before it merges it, k8s.io/apimachinery ``pkg/util/strategicpatch/patch.go``). The
    served API has the types (:mod:`clustersim.serve.patchtypes`); without them only an
    empty name is refused."""
    token = _LACKS.set(lacks)
    try:
        yield
    finally:
        _LACKS.reset(token)


def _as_sent(value: Any, *, drop_nulls: bool) -> Any:
    """A copy of a value the live object lacks, as upstream takes it: without its null
    fields when ``drop_nulls`` (``discardNullValuesFromPatch``), every map with a ``$patch``
    left out (``removeDirectives``: :data:`_DROPPED` for the value itself), in lists too;
    other directives (``$retainKeys``, ``$setElementOrder/...``) stay."""
    if isinstance(value, dict):
        fields = {k: v for k, v in value.items() if not (drop_nulls and v is None)}
        if "$patch" in fields:
            return _DROPPED
        return {k: kept for k, v in fields.items()
                if (kept := _as_sent(v, drop_nulls=drop_nulls)) is not _DROPPED}
    if isinstance(value, list):
        return [kept for v in value if (kept := _as_sent(v, drop_nulls=drop_nulls))
                is not _DROPPED]
    return value


def _retained_keys(patch: dict[str, Any]) -> set[Any] | None:
    """The keys a ``$retainKeys`` directive keeps (``applyRetainKeysDirective``): a list
    naming every key the patch sets but a null, a ``$deleteFromPrimitiveList`` or a
    ``$setElementOrder``; None without one."""
    if "$retainKeys" not in patch:
        return None
    keys = patch["$retainKeys"]
    if not isinstance(keys, list):
        raise PatchError(BAD_RETAIN_KEYS, 400)
    retained = {identity(k) for k in keys}
    if any(v is not None and not k.startswith(("$deleteFromPrimitiveList", "$setElementOrder"))
           and k != "$retainKeys" and identity(k) not in retained for k, v in patch.items()):
        raise PatchError(BAD_RETAIN_KEYS, 400)
    return retained


def _ordered(key: str, order: Any, out: dict[str, Any], patch: dict[str, Any]) -> str:
    """``mergePatchIntoOriginal`` for one ``$setElementOrder/<field>``: it must be a list
    (``ErrBadArgType``) and name its field after the ``/`` (a 400); the live field and the
    patch's, where present, must be lists; the patch's elements must come in its order
    (:func:`~clustersim.kubernetes.listorder.check_order_list`). The field is then merged (a
    list the live object lacks taken as sent, without its ``$patch`` elements), and its
    elements ordered by the directive, then by the live list. Returns the field, which the
    rest of the merge leaves alone."""
    if not isinstance(order, list):
        raise bad_arg_type(_LIST_TYPE, order)
    prefix, slash, field = key.partition("/")
    if not slash or prefix != "$setElementOrder":
        raise PatchError(BAD_ORDER_LIST, 400)
    for value, there in ((out.get(field), field in out), (patch.get(field), field in patch)):
        if there and not isinstance(value, list):
            raise bad_arg_type(_LIST_TYPE, value)
    lacks = _LACKS.get()
    if not field or (lacks is not None and lacks(_PATH.get(), field)):
        raise NoSuchFieldError(field)       # no Go type has a field named ""
    live, sent = out.get(field, []), patch.get(field, [])
    merge_key = _merge_key(field, sent + live)
    if merge_key is None and field not in MERGE_PRIMITIVES and \
            any(isinstance(i, dict) for i in order + sent):
        return key     # a list of maps without a merge key (listorder's module docstring)
    check_order_list(sent, order, merge_key)
    if field in out and field in patch:
        with _within(field):
            merged = _merge_list(field, live, sent)
    elif field in patch:
        merged = _as_sent(sent, drop_nulls=False)
    elif field in out:
        merged = live
    else:
        return field
    maps = element_kind(live, sent) == MAP_TYPE
    if maps and merge_key is None:      # finalizers of maps: no order either
        out[field] = merged
    elif order:
        if maps and field in out and field in patch:
            live = live_as_merged(live, sent, merge_key or "")
        out[field] = in_order(merged, order, live, merge_key, maps)
    else:                               # nothing found to order by (module docstring)
        out[field] = merged
    return field


def _merge_list(field: str, current: list[Any], patch: list[Any], deleting: bool = False
                ) -> list[Any]:
    """Merge list ``field`` as ``mergeSliceHandler`` does, both sides lists: a list without
    the merge strategy is the patch's as sent; one with it is merged by ``mergeSlice``
    (:func:`_merge_slice`)."""
    key = _merge_key(field, patch + current)
    if key is None and field not in MERGE_PRIMITIVES:
        if deleting and not any(isinstance(i, (dict, list)) for i in current + patch):
            return _merge_slice(current, patch, None, deleting)
        return copy.deepcopy(patch)
    return _merge_slice(current, patch, key, deleting)


def _merge_slice(current: list[Any], patch: list[Any], key: str | None, deleting: bool
                 ) -> list[Any]:
    """``mergeSlice``, in time linear in both lists but for the sort: a list of scalars is
    the union of both, each element once (``deduplicateScalars``), or, ``deleting``, the
    live list without what the patch names (``deleteFromSlice``); a list of maps merges by
    ``key`` (:func:`_merge_keyed`). The result is ordered as the patch, then the live list
    (:func:`~clustersim.kubernetes.listorder.in_order`)."""
    if not current and not patch:
        return []
    maps = element_kind(current, patch) == MAP_TYPE
    if not maps:
        if deleting:
            gone = {identity(v) for v in patch}
            return [copy.deepcopy(v) for v in current if identity(v) not in gone]
        merged = list({identity(v): v for v in current + patch}.values())
        return copy.deepcopy(in_order(merged, patch, current, None, False))
    if key is None:     # finalizers of maps: kept whole, the patch's added
        seen = {identity(v) for v in current}
        return copy.deepcopy(current + [v for v in patch if identity(v) not in seen])
    _check_elements(patch, key)
    if any(item.get("$patch") == "replace" for item in patch):
        kept = [i for i in patch if "$patch" not in i]
        return copy.deepcopy(in_order(kept, [], kept, key, True))
    deleted = {identity(i.get(key)) for i in patch if i.get("$patch") == "delete"}
    current = [c for c in current if not (key in c and identity(c[key]) in deleted)]
    plain = [i for i in patch if "$patch" not in i]
    return in_order(_merge_keyed(current, plain, key), plain, current, key, True)


def _merge_keyed(current: list[dict[str, Any]], patch: list[dict[str, Any]], key: str
                 ) -> list[dict[str, Any]]:
    """``mergeSliceWithoutSpecialElements``: each element of ``patch`` merges into the first
    element of its key, or is appended as sent (its directives kept, unapplied: see the
    module docstring), and a later element of the same key merges into that one. The first
    element of each key is found in an index built once, where upstream scans the list for
    each element (``findMapInSliceBasedOnKeyValue``)."""
    out = list(current)
    first: dict[Any, int] = {}
    for n, c in enumerate(out):
        if key in c:
            first.setdefault(identity(c[key]), n)
    merged: set[int] = set()         # made by the merge: the others are copied at the end
    for item in patch:
        index = first.get(identity(item[key]))
        if index is None:
            index = first[identity(item[key])] = len(out)
            out.append(copy.deepcopy(item))
        else:
            with _within(ELEMENT):
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
            raise bad_patch_type(directive, item)
        if directive == "delete" and "$patch" in item and key not in item:
            raise no_merge_key(item, key)
    unkeyed = next((item for item in patch if "$patch" not in item and key not in item), None)
    if unkeyed is not None:
        raise no_merge_key(unkeyed, key)


def apply_patch(last_applied: Any, modified: Any) -> Any:
    """The strategic merge patch ``kubectl apply`` sends to make the live object say what
    ``modified`` (the manifest) says, given ``last_applied`` (its last-applied-configuration
    annotation): ``CreateThreeWayMergePatch`` of ``strategicpatch/patch.go``. Every field of
    ``modified`` is set, a field that ``last_applied`` had and ``modified`` has no more is
    deleted (``null``; ``$patch: delete`` for an element of a list with a merge key), and a
    field neither of them has, such as what the API server or its admission filled in, is
    kept. Simplified: upstream sends only what differs from the live object, with a
    ``$setElementOrder`` of each merged list that changed; setting an unchanged field again
    changes nothing, and each merged list, sent whole, takes ``modified``'s order as the
    directive would give it."""
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
