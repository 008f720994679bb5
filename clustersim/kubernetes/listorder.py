"""The order of a list a strategic merge patch merges, and the ``$setElementOrder/<list>``
directive that sets it (kubernetes/kubernetes ``staging/src/k8s.io/apimachinery/pkg/util/
strategicpatch/patch.go``: ``normalizeElementOrder``, ``normalizeSliceOrder``,
``mergeSortedSlice``, ``partitionMapsByPresentInList``, ``validatePatchWithSetOrderList``,
``sliceElementType``; the design is https://git.k8s.io/design-proposals-archive/cli/
preserve-order-in-strategic-merge-patch.md).

A merged list is split into the elements an order list names (the patch's list, or its
``$setElementOrder``) and the server-only rest. The first keep the order list's order, the
rest the live list's; then each server-only element goes in front of the next named element
only when both are in the live list and it came first there. So the order list's order wins,
then the live list's, and an element new to the list stays where the order list put it.

Simplified: upstream sorts with a comparison that holds an element it cannot find in the
order list smaller than any (Go's stable sort then moves it as that makes it); every element
sorted is found in its order list but where the ``$setElementOrder`` list is empty, and
there the merged list is kept as merged. A ``$setElementOrder`` of a list of maps without a
merge key (``tolerations``) orders nothing: upstream hashes or compares the maps, which Go
refuses at run time.

The live order a ``$setElementOrder`` list is sorted by is the live list as the merge left
it (:func:`live_as_merged`): upstream's ``mergeSlice`` deletes a ``$patch: delete`` element
from the live list in its own Go array (``deleteMatchingEntries``) and appends the patch's new
elements into the room that frees, and ``mergePatchIntoOriginal`` then orders by that array.
So with the live list ``[1, 4]``, ``$setElementOrder`` ``[2, 3]`` and the list ``[2, 3, {1,
$patch: delete}]`` the result is ``[4, 2, 3]`` (``patch_test.go``, "add map and delete map
from merging list with conflict"), not the ``[2, 3, 4]`` the untouched live order gives.
"""

from __future__ import annotations

from typing import Any

from clustersim.goformat import go_verbose
from clustersim.kubernetes.patcherrors import (
    MAP_TYPE,
    PatchError,
    bad_arg_type,
    go_type,
    identity,
    no_merge_key,
)

__all__ = ["check_order_list", "element_kind", "in_order", "live_as_merged", "merge_key_of"]


def element_kind(*lists: list[Any]) -> str:
    """``sliceElementType``: the Go type every element of ``lists`` shares; refuse a list of
    lists (``ErrNoListOfLists``, a 422), elements of two types, and lists with no element."""
    kind = None
    for items in lists:
        for item in items:
            if kind is None:
                if isinstance(item, list):
                    raise PatchError("lists of lists are not supported", 422)
                kind = go_type(item)
            elif go_type(item) != kind:
                raise PatchError("list element types are not identical: "
                                 f"{go_verbose(list(lists))}")
    if kind is None:
        raise PatchError("no elements in any of the given slices")
    return kind


def merge_key_of(item: Any, key: str | None) -> tuple[str, Any]:
    """What an element is found by: its merge key's value, or itself in a list of scalars
    (``index``)."""
    if key is None:
        return identity(item)
    return identity(item.get(key) if isinstance(item, dict) else None)


def check_order_list(sent: list[Any], order: list[Any], key: str | None) -> None:
    """``validatePatchWithSetOrderList``: the patch's elements (but its ``$patch: delete``
    ones and other directives) must come in the ``$setElementOrder`` list, in its order;
    with a merge key, each element of both must be a map with it (``mergeKeyValueEqual``)."""
    if not order or not sent:
        return
    items = sent
    if key is not None:
        for item in sent:
            if not isinstance(item, dict):
                raise bad_arg_type(MAP_TYPE, item)
        items = [i for i in sent if i.get("$patch") != "delete"]
    at = seen = 0
    while at < len(items) and seen < len(order):
        if isinstance(items[at], dict) and "$patch" in items[at]:
            at += 1
            continue
        if _same(items[at], order[seen], key):
            at += 1
        seen += 1
    if at < len(items) and seen >= len(order):
        raise PatchError(f"The order in patch list:\n{go_verbose(sent)}\n doesn't match "
                         f"$setElementOrder list:\n{go_verbose(order)}\n")


def _same(item: Any, wanted: Any, key: str | None) -> bool:
    """``mergeKeyValueEqual``."""
    if key is None:
        return identity(item) == identity(wanted)
    for value in (item, wanted):
        if not isinstance(value, dict):
            raise bad_arg_type(MAP_TYPE, value)
        if key not in value:
            raise no_merge_key(value, key)
    return identity(item[key]) == identity(wanted[key])


def in_order(merged: list[Any], order: list[Any], live: list[Any], key: str | None,
             maps: bool) -> list[Any]:
    """``merged`` ordered by ``order`` (the patch's list or its ``$setElementOrder``) and
    ``live`` (the live list the merge started from), as ``mergeSlice`` and
    ``mergePatchIntoOriginal`` order it: partitioned by ``order``
    (``partitionMapsByPresentInList``, every element a map with its merge key), then
    ``normalizeElementOrder``. ``maps``: the elements are maps (``key`` is their merge
    key)."""
    named = {merge_key_of(item, key) for item in order}
    if maps:
        _check_partition(merged, order, key or "")
    patch_items = [item for item in merged if merge_key_of(item, key) in named]
    server_only = [item for item in merged if merge_key_of(item, key) not in named]
    patch_items = _sorted(patch_items, order, key, maps)
    server_only = _sorted(server_only, live, key, maps)
    return _interleaved(server_only, patch_items, _positions(live, key), key)


def _check_partition(merged: list[Any], order: list[Any], key: str) -> None:
    """``partitionMapsByPresentInList``'s refusals: each merged element must be a map with
    its merge key, and ``findMapInSliceBasedOnKeyValue`` refuses an element of ``order`` that
    is no map before it finds the element's key."""
    bad = next((n for n, item in enumerate(order) if not isinstance(item, dict)), None)
    found: dict[tuple[str, Any], int] = {}
    for n, item in enumerate(order):
        if isinstance(item, dict) and key in item:
            found.setdefault(identity(item[key]), n)
    for item in merged:
        if not isinstance(item, dict):
            raise bad_arg_type(MAP_TYPE, item)
        if key not in item:
            raise no_merge_key(item, key)
        if bad is not None and found.get(identity(item[key]), len(order)) > bad:
            raise PatchError(f"value for key {bad} is not a map")


def _positions(items: list[Any], key: str | None) -> dict[tuple[str, Any], int]:
    """Each element's first position in ``items`` (``index``), found in a dict where
    upstream scans the list for each."""
    positions: dict[tuple[str, Any], int] = {}
    for n, item in enumerate(items):
        positions.setdefault(merge_key_of(item, key), n)
    return positions


def _sorted(items: list[Any], order: list[Any], key: str | None, maps: bool) -> list[Any]:
    """``normalizeSliceOrder``: ``items`` in ``order``'s order, each element of both a map
    with its merge key when they are maps (``validateMergeKeyInLists``), ``$patch: delete``
    elements last (``extractToDeleteItems``). An element ``order`` lacks keeps its place
    after the others (see the module docstring)."""
    deleted: list[Any] = []
    if maps:
        for item in [*items, *order]:
            if not isinstance(item, dict):
                raise bad_arg_type(MAP_TYPE, item)
            if key not in item:
                raise no_merge_key(item, key or "")
        deleted = [i for i in items if i.get("$patch") == "delete"]
        items = [i for i in items if i.get("$patch") != "delete"]
    positions = _positions(order, key)
    last = len(order)
    return sorted(items, key=lambda i: positions.get(merge_key_of(i, key), last)) + deleted


def _interleaved(server_only: list[Any], patch_items: list[Any],
                 live: dict[tuple[str, Any], int], key: str | None) -> list[Any]:
    """``mergeSortedSlice``: a server-only element goes before the next patch element only
    when the live list has both and it came first there."""
    out: list[Any] = []
    i = j = 0
    while i < len(server_only) and j < len(patch_items):
        left = live.get(merge_key_of(server_only[i], key))
        right = live.get(merge_key_of(patch_items[j], key))
        if left is not None and right is not None and left < right:
            out.append(server_only[i])
            i += 1
        else:
            out.append(patch_items[j])
            j += 1
    return out + server_only[i:] + patch_items[j:]


def live_as_merged(live: list[Any], sent: list[Any], key: str) -> list[Any]:
    """The live list of maps as ``mergeSlice`` leaves the Go array it shares with
    ``mergePatchIntoOriginal`` (module docstring): each element a ``$patch: delete`` names
    removed by moving the rest forward (``append(original[:k], original[k+1:]...)``, the
    last place keeping its old element), then each new element of ``sent`` written into the
    places that frees, in its order (``mergeSliceWithoutSpecialElements``; none after a
    ``$patch: replace``), as long as they last. ``sent`` has been merged without error."""
    array, length = list(live), len(live)
    for item in sent:
        if item.get("$patch") == "delete":
            gone = identity(item[key])
            while (at := next((n for n in range(length) if key in array[n]
                               and identity(array[n][key]) == gone), None)) is not None:
                array[at:length - 1] = array[at + 1:length]
                length -= 1
    if any(item.get("$patch") == "replace" for item in sent):
        return array
    for item in sent:
        if "$patch" in item:
            continue
        if length < len(array) and not any(key in array[n] and identity(array[n][key])
                                           == identity(item[key]) for n in range(length)):
            array[length] = item
            length += 1
    return array
