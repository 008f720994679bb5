"""``apply_patch``: the strategic merge patch ``kubectl apply`` sends (``CreateThreeWayMergePatch``
of k8s.io/apimachinery ``strategicpatch/patch.go``), applied with ``strategic_merge_patch``."""

from __future__ import annotations

import copy

import pytest

from clustersim.kubernetes.defaulttolerations import DEFAULT_TOLERATIONS
from clustersim.kubernetes.patcherrors import ELEMENT, NoSuchFieldError
from clustersim.kubernetes.strategicmerge import (
    PatchError,
    apply_patch,
    list_map_keys,
    strategic_merge_patch,
    three_way_patch,
)
from clustersim.schemas import kubernetes_definitions

LAST = {"containers": [{"name": "a", "image": "x:1", "args": ["-v"]},
                       {"name": "b", "image": "y:1"}],
        "nodeSelector": {"disk": "ssd"}}
LIVE = {"containers": [{"name": "a", "image": "x:1", "args": ["-v"],
                        "resources": {"requests": {"cpu": "250m"}}},
                       {"name": "b", "image": "y:1"}],
        "nodeSelector": {"disk": "ssd"}, "priority": 0}


def test_what_the_last_apply_had_and_this_one_drops_is_deleted_and_the_rest_kept():
    modified = {"containers": [{"name": "a", "image": "x:2"}]}
    patch = apply_patch(LAST, modified)
    assert patch == {"nodeSelector": None,
                     "containers": [{"name": "a", "image": "x:2", "args": None},
                                    {"name": "b", "$patch": "delete"}]}
    assert strategic_merge_patch(LIVE, patch) == {
        "containers": [{"name": "a", "image": "x:2", "resources": {"requests": {"cpu": "250m"}}}],
        "priority": 0}


def test_without_a_last_apply_nothing_is_deleted():
    patch = apply_patch(None, {"containers": [{"name": "a", "image": "x:2"}]})
    merged = strategic_merge_patch(LIVE, patch)
    assert [c["image"] for c in merged["containers"]] == ["x:2", "y:1"]
    assert merged["containers"][0]["args"] == ["-v"] and merged["nodeSelector"] == {
        "disk": "ssd"}


def test_three_way_patch_sends_drift_deletions_and_nothing_for_an_unchanged_object():
    """``CreateThreeWayMergePatch``: a field the live object changed is set back, one the
    last applied configuration had and the file dropped is deleted, fields only the live
    object has (defaults, status) are left, and a list without a merge key that differs is
    sent whole."""
    last = {"spec": {"replicas": 3, "paused": False,
                     "containers": [{"name": "a", "image": "x:1"}]}}
    modified = {"spec": {"replicas": 3, "containers": [{"name": "a", "image": "x:1"}]}}
    live = {"spec": {"replicas": 5, "paused": False, "strategy": {"type": "Recreate"},
                     "containers": [{"name": "a", "image": "x:1", "tty": False}]},
            "status": {"replicas": 5}}
    assert three_way_patch(last, modified, live) == {"spec": {"replicas": 3, "paused": None}}
    live["spec"]["replicas"] = 3
    assert three_way_patch(last, modified, live) == {"spec": {"paused": None}}
    assert three_way_patch(modified, modified, live) == {}
    claims = {"volumeClaimTemplates": [{"metadata": {"name": "d"}}]}
    assert three_way_patch(claims, claims, {"volumeClaimTemplates": [
        {"metadata": {"name": "d"}, "status": {"phase": "Pending"}}]}) == claims


def _keyed_lists() -> list[tuple[str, str, str, tuple[str, ...] | None]]:
    """Every list of core/v1, apps/v1 and batch/v1 with a ``patchMergeKey``, from the
    release's OpenAPI schemas: (type, field, merge key, list-map keys or None if atomic)."""
    found = []
    for name, schema in kubernetes_definitions().items():
        if not name.startswith(("io.k8s.api.core.v1.", "io.k8s.api.apps.v1.",
                                "io.k8s.api.batch.v1.")):
            continue
        for field, prop in (schema.get("properties") or {}).items():
            if key := prop.get("x-kubernetes-patch-merge-key"):
                keys = prop.get("x-kubernetes-list-map-keys")
                found.append((name.rsplit(".", 1)[1], field, key,
                              tuple(keys) if keys else None))
    return found


def test_every_list_with_a_patch_merge_key_upstream_merges_by_it():
    """The ``patchMergeKey`` tags of ``types.go``, spec and status: a status list other than
    ``conditions`` (``podIPs``, ``hostIPs``, ``resourceClaimStatuses``, a Node's
    ``addresses``...) had been replaced whole by a strategic merge patch."""
    lists = _keyed_lists()
    assert {"podIPs", "hostIPs", "addresses", "resourceClaimStatuses"} <= {f for _, f, _, _ in
                                                                            lists}
    for kind, field, key, _ in lists:
        merged = strategic_merge_patch({field: [{key: "a", "old": 1}, {key: "b"}]},
                                       {field: [{key: "a", "new": 2}]})
        assert merged[field] == [{key: "a", "old": 1, "new": 2}, {key: "b"}], (kind, field)


def test_server_side_apply_keys_the_lists_as_their_list_map_keys_say():
    """``+listType=map`` with its ``+listMapKey`` tags, or ``+listType=atomic`` (a Pod's
    ``hostIPs`` has a merge key but is atomic). Simplified: a Job's conditions, atomic
    upstream, are keyed by type as every other kind's (a table by field name)."""
    for kind, field, key, keys in _keyed_lists():
        if (kind, field) != ("JobStatus", "conditions"):
            item = dict.fromkeys(keys or (key,), "x")
            assert list_map_keys(field, [item]) == keys, (kind, field)


def test_an_endpoints_subsets_addresses_have_no_merge_key():
    """``EndpointSubset.addresses`` is atomic; only a Node's addresses (with ``type``) merge."""
    merged = strategic_merge_patch({"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}]},
                                   {"addresses": [{"ip": "10.0.0.3"}]})
    assert merged == {"addresses": [{"ip": "10.0.0.3"}]}


def test_a_delete_directive_removes_every_element_of_its_key_before_the_merge():
    """Upstream's custom test table (``patch_test.go``, "delete all duplicate entries in a
    merging list", with ``env`` for its ``mergingList``): every element of a deleted key
    goes, not the first alone; and the deletes go before the other elements merge
    (``mergeSliceWithSpecialElements``), so an element re-added in the same patch stays,
    first: the live list no longer has it, and ``mergeSortedSlice`` puts a patch element the
    live list lacks before the server-only ones."""
    original = {"env": [{"name": "1"}, {"name": "1"}, {"name": "2", "value": "a"},
                        {"name": "3"}, {"name": "3"}]}
    patch = {"env": [{"name": "1", "$patch": "delete"}, {"name": "3", "$patch": "delete"}]}
    assert strategic_merge_patch(original, patch) == {"env": [{"name": "2", "value": "a"}]}
    readded = {"env": [{"name": "2", "value": "b"}, {"name": "2", "$patch": "delete"}]}
    assert strategic_merge_patch(original, readded)["env"] == [
        {"name": "2", "value": "b"}, {"name": "1"}, {"name": "1"}, {"name": "3"}, {"name": "3"}]


def test_elements_of_one_key_merge_into_the_first_and_a_replace_drops_every_directive():
    """``findMapInSliceBasedOnKeyValue`` finds the first element of a key, also one the same
    patch appended; with ``$patch: replace`` the list is the patch's elements without any
    directive element (``mergeSliceWithSpecialElements``)."""
    original = {"env": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}
    patch = {"env": [{"name": "a", "value": "3"}, {"name": "b", "value": "4"},
                     {"name": "b", "valueFrom": {"fieldRef": {"fieldPath": "x"}}}]}
    assert strategic_merge_patch(original, patch)["env"] == [
        {"name": "a", "value": "3"}, {"name": "a", "value": "2"},
        {"name": "b", "value": "4", "valueFrom": {"fieldRef": {"fieldPath": "x"}}}]
    replaced = {"env": [{"name": "c"}, {"name": "a", "$patch": "delete"}, {"$patch": "replace"}]}
    assert strategic_merge_patch(original, replaced) == {"env": [{"name": "c"}]}


def test_a_merged_list_of_scalars_is_ordered_as_the_patch_then_as_the_live_list():
    """``finalizers`` (``patchStrategy:"merge"``) gain what they lack, each once, and
    ``$deleteFromPrimitiveList`` takes out what it names, whatever their length: both are
    looked up in a set (a list of 2,000 finalizers had cost 2,000 scans of the list). The
    merged list keeps the patch's order, a live element going before a patch element only
    when it came before it in the live list (``normalizeElementOrder``): ``y/1`` follows
    ``x/5``, before ``x/6``; the simulator had appended what the patch added."""
    live = {"finalizers": [f"x/{i}" for i in range(2000)]}
    merged = strategic_merge_patch(live, {"finalizers": ["x/5", "y/1", "x/7", "y/0", "y/1"]})
    before = live["finalizers"]
    assert merged["finalizers"] == [*before[:6], "y/1", *before[6:8], "y/0", *before[8:]]
    cut = strategic_merge_patch(merged, {"$deleteFromPrimitiveList/finalizers": ["y/1", "x/0"]})
    assert cut["finalizers"] == [f for f in merged["finalizers"] if f not in ("y/1", "x/0")]
    assert strategic_merge_patch({"finalizers": ["a", "a", "b"]}, {"finalizers": ["c", "b"]})[
        "finalizers"] == ["c", "a", "b"]     # c is new: before the live a


def _scribble(value: object) -> None:
    """Change every map and list inside ``value``, in place."""
    if isinstance(value, dict):
        for inner in list(value.values()):
            _scribble(inner)
        value["scribbled"] = True
    elif isinstance(value, list):
        for inner in value:
            _scribble(inner)
        value.append("scribbled")


def test_the_merged_object_shares_no_map_or_list_with_the_target_or_the_patch():
    """Each value is copied once (what the patch leaves at the level it leaves it, what it
    merges by the merge), yet the result is the caller's own: changing it changes neither
    argument."""
    target = {"metadata": {"labels": {"app": "web"}, "finalizers": ["a/b"]},
              "spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": "1"}],
                                       "ports": [{"containerPort": 80}]},
                                      {"name": "c", "args": ["-v"]}],
                       "volumes": [{"name": "v", "emptyDir": {}}]}}
    patch = {"metadata": {"finalizers": ["c/d"], "annotations": {"k": "v"}},
             "spec": {"containers": [{"name": "a", "env": [{"name": "Y", "value": "2"}]},
                                     {"name": "b", "args": ["x"]}],
                      "volumes": [{"name": "w", "secret": {"secretName": "s"}}]}}
    before = copy.deepcopy((target, patch))
    merged = strategic_merge_patch(target, patch)
    assert [c["name"] for c in merged["spec"]["containers"]] == ["a", "b", "c"]
    _scribble(merged)
    assert (target, patch) == before


def _refusal(target: object, patch: object) -> tuple[int, str]:
    with pytest.raises(PatchError) as caught:
        strategic_merge_patch(target, patch)
    return caught.value.status, str(caught.value)


def test_a_patch_strategicpatch_cannot_apply_is_refused_in_its_words():
    """``mergepatch/errors.go`` and ``strategicpatch/patch.go``: an unknown ``$patch``
    (``ErrBadPatchType``), a delete element or a plain element of a merged list without its
    merge key (``ErrNoMergeKey``), ``$patch: merge`` in a list, a ``$setElementOrder`` or the
    list it orders that is no list (``ErrBadArgType``): 500s, as no API status; a
    ``$retainKeys`` that is no list or leaves out a key the patch sets: 400s
    (``interpretStrategicMergePatchError``)."""
    live = {"metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "c", "env": [{"name": "A", "value": "1"}]}]}}
    assert _refusal(live, {"metadata": {"$patch": "bogus", "labels": {"x": "y"}}}) == (
        500, "unknown patch type: bogus in map: map[$patch:bogus labels:map[x:y]]")
    assert _refusal(live, {"metadata": {"$patch": 1}}) == (
        500, "unknown patch type: %!s(int64=1) in map: map[$patch:1]")
    assert _refusal(live, {"spec": {"containers": [{"$patch": "delete"}]}}) == (
        500, "map: map[$patch:delete] does not contain declared merge key: name")
    assert _refusal(live, {"spec": {"containers": [{"name": "c", "env": [{"value": "2"}]}]}}) \
        == (500, "map: map[value:2] does not contain declared merge key: name")
    assert _refusal(live, {"spec": {"containers": [{"$patch": "merge"}]}}) == (
        500, "merging lists cannot yet be specified in the patch")
    assert _refusal(live, {"spec": {"$setElementOrder/containers": "c"}}) == (
        500, "expected a []interface {}, but received a string")
    assert _refusal(live, {"$setElementOrder/spec": [{"name": "c"}]}) == (
        500, "expected a []interface {}, but received a map[string]interface {}")
    assert _refusal(live, {"spec": {"$retainKeys": "containers"}}) == (
        400, "invalid patch format of retainKeys")
    assert _refusal(live, {"metadata": {"$retainKeys": ["name"], "labels": {"q": "r"}}}) == (
        400, "invalid patch format of retainKeys")


def test_directives_upstream_accepts_keep_their_meaning():
    """A map's ``$patch: delete`` leaves an empty map (``handleDirectiveInMergeMap``); a
    list the live object lacks is taken as sent, unchecked; ``$retainKeys`` keeps what it
    names, nulls and other directives need not be named."""
    live = {"metadata": {"labels": {"a": "b"}, "name": "p"}, "spec": {"containers": []}}
    assert strategic_merge_patch(live, {"metadata": {"labels": {"$patch": "delete"}}})[
        "metadata"]["labels"] == {}
    assert strategic_merge_patch({}, {"env": [{"value": "2"}]}) == {"env": [{"value": "2"}]}
    assert strategic_merge_patch(live, {"metadata": {
        "$retainKeys": ["labels"], "labels": {"q": "r"}, "name": None}})["metadata"] == {
        "labels": {"a": "b", "q": "r"}}


def test_delete_from_primitive_list_deletes_from_a_list_of_scalars_and_adds_nothing():
    """``mergeMap`` reads ``$deleteFromPrimitiveList/<field>`` as ``<field>`` (``isDeleteList``):
    it deletes from a list of scalars whatever its patch strategy (``mergeSliceHandler``:
    ``args`` too), merges into a map and sets a scalar of its own type, and changes nothing
    that the live object lacks or holds as another JSON type (the simulator had set the
    field to the deletion list); no ``/`` is a 400."""
    live = {"finalizers": ["a/x", "b/y"], "name": "web", "labels": {"a": "b"},
            "args": ["-v", "-q"]}
    assert strategic_merge_patch(live, {"$deleteFromPrimitiveList/finalizers": ["a/x"]})[
        "finalizers"] == ["b/y"]
    assert strategic_merge_patch(live, {"$deleteFromPrimitiveList/args": ["-q"]})[
        "args"] == ["-v"]
    assert strategic_merge_patch(live, {"$deleteFromPrimitiveList/name": "db"})["name"] == "db"
    assert strategic_merge_patch(live, {"$deleteFromPrimitiveList/name": ["w"]}) == live
    assert strategic_merge_patch(live, {"$deleteFromPrimitiveList/labels": {"c": "d"}})[
        "labels"] == {"a": "b", "c": "d"}
    assert strategic_merge_patch({}, {"$deleteFromPrimitiveList/finalizers": ["a/x"]}) == {}
    assert _refusal(live, {"$deleteFromPrimitiveList": ["a/x"]}) == (
        400, "invalid patch format of primitive list")


def test_a_set_element_order_is_checked_against_the_live_field_before_the_merge():
    """``mergePatchIntoOriginal`` runs before the fields merge: a live map ordered as a
    list is refused even when the patch replaces it by a list in the same map."""
    live = {"spec": {"tolerations": {"key": "a"}}}
    assert _refusal(live, {"spec": {"tolerations": [{"key": "b"}],
                                    "$setElementOrder/tolerations": [{"key": "b"}]}}) == (
        500, "expected a []interface {}, but received a map[string]interface {}")
    assert _refusal(live, {"spec": {"$setElementOrder/tolerations": None}}) == (
        500, "expected a []interface {}, but received a %!s(<nil>)")


def test_set_element_order_orders_a_keyed_list_then_by_the_live_list():
    """``mergePatchIntoOriginal``: the elements the directive names take its order; ``B``,
    which it does not name, goes before ``C``, the next named element, because the live
    list had it first (``mergeSortedSlice``). The simulator had kept the live order."""
    live = {"env": [{"name": "A"}, {"name": "B"}, {"name": "C"}]}
    patch = {"env": [{"name": "C", "value": "3"}],
             "$setElementOrder/env": [{"name": "C"}, {"name": "A"}]}
    assert strategic_merge_patch(live, patch) == {
        "env": [{"name": "B"}, {"name": "C", "value": "3"}, {"name": "A"}]}


def test_set_element_order_orders_lists_of_scalars_merged_or_replaced():
    """A list of scalars with the merge strategy (``finalizers``) is the union, ordered by
    the directive, ``y`` (live, unnamed) before ``z`` where it came first; one without it
    (``args``) is the patch's list, which must come in the directive's order, its elements
    compared as they are."""
    live = {"finalizers": ["x", "y", "z"], "args": ["-a"]}
    patch = {"finalizers": ["w"], "$setElementOrder/finalizers": ["z", "w", "x"],
             "args": ["-b", "-c"], "$setElementOrder/args": ["-b", "-x", "-c"]}
    merged = strategic_merge_patch(live, patch)
    assert merged["finalizers"] == ["y", "z", "w", "x"]
    assert merged["args"] == ["-b", "-c"]
    assert _refusal(live, {"args": ["-b", "-c"], "$setElementOrder/args": ["-c", "-b"]}) == (
        500, "The order in patch list:\n[-b -c]\n doesn't match $setElementOrder list:\n"
             "[-c -b]\n")


def test_a_keyed_list_the_live_object_lacks_is_taken_as_sent_without_directives():
    """``mergeMap``: a field the live object lacks is the patch's value, its nulls dropped
    (``discardNullValuesFromPatch``) and every map with a ``$patch`` left out
    (``removeDirectives``): elements of one key stay apart and one without the key stays;
    a ``$patch`` map is no field at all; ``$retainKeys`` is no ``$patch`` and stays for the
    decoder. The simulator had merged the list into an empty one (one ``A``, ``valueFrom: {}``,
    a label map)."""
    live = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}}
    env = [{"name": "A", "value": "1"}, {"name": "A", "value": "2"},
           {"name": "X", "$patch": "delete"}, {"value": "no key"},
           {"name": "B", "valueFrom": {"$patch": "delete"}}, {"name": "C", "value": None}]
    merged = strategic_merge_patch(live, {
        "metadata": {"labels": {"$patch": "replace", "a": "b"}},
        "spec": {"containers": [{"name": "c", "env": env}],
                 "strategy": {"$retainKeys": ["type"], "type": "Recreate"}}})
    assert merged["metadata"] == {"name": "p"}
    assert merged["spec"]["containers"][0]["env"] == [
        {"name": "A", "value": "1"}, {"name": "A", "value": "2"}, {"value": "no key"},
        {"name": "B"}, {"name": "C"}]
    assert merged["spec"]["strategy"] == {"$retainKeys": ["type"], "type": "Recreate"}


def test_set_element_order_of_a_list_the_live_object_lacks_keeps_its_nulls():
    """``mergePatchIntoOriginal`` takes a list the live object lacks without its ``$patch``
    elements (``removeDirectives``) but, unlike ``mergeMap``, with its nulls."""
    merged = strategic_merge_patch({}, {
        "env": [{"name": "A", "value": None}, {"name": "X", "$patch": "delete"}, {"name": "B"}],
        "$setElementOrder/env": [{"name": "A"}, {"name": "B"}]})
    assert merged == {"env": [{"name": "A", "value": None}, {"name": "B"}]}


def test_a_malformed_set_element_order_is_refused_in_strategicpatchs_words():
    """``extractKey``: no ``/`` or another prefix is a 400 (``ErrBadPatchFormatFor
    SetElementOrderList``), after the value's type (``ErrBadArgType``); the directive's
    elements must be maps with the merge key (``mergeKeyValueEqual``,
    ``validateMergeKeyInLists``), and the patch's elements must come in its order
    (``validatePatchWithSetOrderList``): 500s with strategicpatch's text."""
    live = {"env": [{"name": "A"}], "finalizers": []}
    assert _refusal(live, {"$setElementOrder": []}) == (
        400, "invalid patch format of setElementOrder list")
    assert _refusal(live, {"$setElementOrderX/env": []}) == (
        400, "invalid patch format of setElementOrder list")
    assert _refusal(live, {"$setElementOrder": 5}) == (
        500, "expected a []interface {}, but received a int64")
    assert _refusal(live, {"env": [{"name": "A", "value": "2"}],
                           "$setElementOrder/env": ["A"]}) == (
        500, "expected a map[string]interface {}, but received a string")
    assert _refusal(live, {"env": [{"name": "A", "value": "2"}],
                           "$setElementOrder/env": [{"value": "x"}]}) == (
        500, "map: map[value:x] does not contain declared merge key: name")
    assert _refusal(live, {"$setElementOrder/env": [{"name": "A"}, {"value": "x"}]}) == (
        500, "map: map[value:x] does not contain declared merge key: name")
    assert _refusal(live, {"$setElementOrder/env": ["B", {"name": "A"}]}) == (
        500, "value for key 0 is not a map")
    assert _refusal(live, {"env": [{"name": "B"}, {"name": "A"}],
                           "$setElementOrder/env": [{"name": "A"}, {"name": "B"}]}) == (
        500, "The order in patch list:\n[map[name:B] map[name:A]]\n doesn't match "
             "$setElementOrder list:\n[map[name:A] map[name:B]]\n")
    assert _refusal(live, {"env": [{"name": "A"}, {"name": "C"}],
                           "$setElementOrder/env": [{"name": "A"}, {"name": "B"}]})[1] \
        .startswith("The order in patch list:\n[map[name:A] map[name:C]]\n")
    assert _refusal(live, {"$setElementOrder/finalizers": ["a"]}) == (
        500, "no elements in any of the given slices")


def test_a_list_the_simulator_shares_between_pods_merges_as_a_list():
    """A Pod's default tolerations are one read-only list subclass shared by every Pod
    (``defaulttolerations.py``): the merge reads its Go type as a list's. Had been a
    ``KeyError`` (``kubectl label`` of a Pod refused as a manifest the simulator could not
    handle)."""
    live = {"tolerations": DEFAULT_TOLERATIONS, "finalizers": ["a"]}
    assert strategic_merge_patch(live, {"tolerations": [{"key": "b"}], "finalizers": ["b"]}) \
        == {"tolerations": [{"key": "b"}], "finalizers": ["b", "a"]}


def _named(*names: str) -> list[dict[str, str]]:
    return [{"name": name} for name in names]


@pytest.mark.parametrize(("live", "patch", "want"), [
    # patch_test.go, "add map and delete map from merging list with conflict" (three-way)
    (_named("1", "4"), [*_named("2", "3"), {"name": "1", "$patch": "delete"}], ["4", "2", "3"]),
    # patch_test.go, "add map and delete map from merging list" (three-way)
    (_named("1", "2", "4"), [*_named("3"), {"name": "1", "$patch": "delete"}], ["2", "4", "3"]),
])
def test_set_element_order_sorts_by_the_live_list_as_the_merge_left_it(
        live: list[dict[str, str]], patch: list[dict[str, str]], want: list[str]) -> None:
    """k8s.io/apimachinery's own expected results: a deleted element frees its place in the
    live Go array and a new element takes it, so the server-only element keeps its place
    before the new one (the live order as sent had put it last)."""
    merged = strategic_merge_patch({"containers": live}, {
        "$setElementOrder/containers": _named("2", "3"), "containers": patch})
    assert [c["name"] for c in merged["containers"]] == want


def test_an_element_a_merged_list_gains_is_appended_as_sent_its_directives_unapplied():
    """``mergeSliceWithoutSpecialElements`` appends a patch element whose merge key the live
    list lacks as the patch sent it (``original = append(original, v)``): only an element
    found by its key goes through ``mergeMap``. So the directives inside a new container
    (an env element's ``$patch: delete``, ``$retainKeys``, ``$setElementOrder/env``) and its
    nulls stay for the decoder, which reads them as unknown fields; the simulator had merged
    the new element into an empty map, applying them (the env element ``B`` deleted)."""
    live = {"containers": [{"name": "a", "image": "x:1"}]}
    added = {"name": "b", "image": "y:1", "command": None,
             "env": [{"name": "A", "value": "1"}, {"name": "B", "$patch": "delete"}],
             "$setElementOrder/env": [{"name": "A"}],
             "resources": {"$retainKeys": ["limits"], "limits": {"cpu": "1"}}}
    merged = strategic_merge_patch(live, {"containers": [added]})
    assert merged["containers"] == [added, {"name": "a", "image": "x:1"}]
    again = strategic_merge_patch(live, {"containers": [added, {"name": "b", "image": "y:2"}]})
    assert again["containers"][0] == {**added, "image": "y:2"}    # found: merged by mergeMap


def test_a_set_element_order_of_no_field_is_refused_with_its_levels_path():
    """``$setElementOrder/`` names no field: ``LookupPatchMetadataForSlice`` fails before
    anything merges (``mergePatchIntoOriginal``), after the directive's own checks. The
    error carries the level's path for the caller who knows the kind to name its Go type;
    the simulator had ignored the directive."""
    live = {"spec": {"containers": [{"name": "c", "env": []}]}}
    with pytest.raises(NoSuchFieldError) as caught:
        strategic_merge_patch(live, {"spec": {"containers": [{"name": "c",
                                                              "$setElementOrder/": []}]}})
    assert (caught.value.status, caught.value.path) == (500, ["spec", "containers", ELEMENT])
    assert str(caught.value) == ('unable to find api field in struct spec.containers.[] for '
                                 'the json field ""')
    assert _refusal(live, {"$setElementOrder/": "x"}) == (    # its type is checked first
        500, "expected a []interface {}, but received a string")
