"""The field managers of the served Kubernetes API (:mod:`clustersim.serve.kubefieldmanager`):
field sets in the FieldsV1 format, updates taking fields over, applies owning their
configuration, conflicts in upstream's words, dropped fields removed."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clustersim.kubernetes.strategicmerge import strategic_merge_patch
from clustersim.serve import kubefieldmanager
from clustersim.serve.core import HttpError
from clustersim.serve.kubefieldmanager import (
    APPLY,
    BEFORE_FIRST_APPLY,
    UPDATE,
    ApplyConflictError,
    Entry,
    applied,
    changed_fields,
    check_configuration,
    decoded,
    field_set,
    fields_v1,
    manager_of,
    path_string,
    updated,
    value_at,
)

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "default", "uid": "u", "labels": {"app": "web"},
                 "finalizers": ["example.com/keep"]},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                 {"name": "web", "image": "nginx:1.27", "args": ["-g", "daemon off;"],
                  "ports": [{"containerPort": 80}], "env": [{"name": "A", "value": "1"}]}]}}},
    "status": {"replicas": 2},
}
WEB = 'k:{"name":"web"}'
CONTAINER = ("f:spec", "f:template", "f:spec", "f:containers", WEB)


def writer(manager: str, operation: str = UPDATE, subresource: str = "",
           time: float = 5.0) -> Entry:
    return Entry(manager, operation, "apps/v1", time, subresource=subresource)


def test_an_object_s_fields_are_keyed_as_upstream_keys_them():
    fields = field_set(DEPLOYMENT)
    assert fields_v1(fields) == {
        "f:metadata": {"f:finalizers": {'v:"example.com/keep"': {}},
                       "f:labels": {"f:app": {}}},
        "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:containers": {WEB: {
                ".": {}, "f:args": {}, "f:env": {'k:{"name":"A"}': {
                    ".": {}, "f:name": {}, "f:value": {}}},
                "f:image": {}, "f:name": {},
                "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {
                    ".": {}, "f:containerPort": {}}}}}}}}}


def test_paths_print_as_structured_merge_diff_prints_them():
    port = 'k:{"containerPort":80,"protocol":"TCP"}'
    assert path_string((*CONTAINER, "f:image")) == \
        '.spec.template.spec.containers[name="web"].image'
    assert path_string((*CONTAINER, "f:ports", port)) == \
        '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]'
    assert path_string(("f:metadata", "f:finalizers", 'v:"a"')) == '.metadata.finalizers[="a"]'


def test_an_update_owns_what_it_changed_and_takes_it_from_the_others():
    creator = writer("kubectl-create", time=1.0)
    fields = field_set(DEPLOYMENT)
    entries = updated(None, creator, fields, set())
    scaled = copy.deepcopy(DEPLOYMENT)
    scaled["spec"]["replicas"] = 3
    changed = changed_fields(DEPLOYMENT, scaled)
    assert changed == {("f:spec", "f:replicas")}
    after = updated(entries, writer("kubectl", subresource="scale"), changed, set())
    assert [(e.manager, e.subresource, e.time) for e in after] == [
        ("kubectl-create", "", 1.0), ("kubectl", "scale", 5.0)]
    assert ("f:spec", "f:replicas") not in after[0].fields
    assert after[1].fields == {("f:spec", "f:replicas")}


def test_an_update_that_changes_nothing_makes_no_entry():
    assert updated(None, writer("kubectl-edit"), set(), set()) == []


def test_an_update_stamps_its_time_when_it_changes_a_field_its_manager_owned():
    """``managedFieldsUpdater.Update``: a write that modifies or adds a field gives its
    manager the write's time, fields it owned already included; one that sets nothing (a
    no-op, or one that only removes a field) keeps the time it had."""
    replicas, paused = ("f:spec", "f:replicas"), ("f:spec", "f:paused")
    entries = [Entry("kubectl-edit", UPDATE, "apps/v1", 1.0, {replicas, paused})]
    [entry] = updated(copy.deepcopy(entries), writer("kubectl-edit"), {replicas}, set())
    assert (entry.time, entry.fields) == (5.0, {replicas, paused})
    [entry] = updated(copy.deepcopy(entries), writer("kubectl-edit"), set(), set())
    assert entry.time == 1.0
    [entry] = updated(copy.deepcopy(entries), writer("kubectl-edit"), set(), {paused})
    assert (entry.time, entry.fields) == (1.0, {replicas})


def test_an_apply_stamps_its_time_only_when_the_object_changes():
    """structured-merge-diff's ``Updater.Apply`` returns no object for an apply that leaves
    it as it was, and ``managedFieldsUpdater.Apply`` then keeps the applier's time."""
    live = copy.deepcopy(DEPLOYMENT)
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 2}}
    entries = [Entry("kubectl", APPLY, "apps/v1", 1.0, field_set(config))]
    _, [entry] = applied(copy.deepcopy(entries), writer("kubectl", APPLY), config, live,
                         strategic_merge_patch(live, config), force=False)
    assert entry.time == 1.0
    _, after = applied([], writer("other", APPLY), config, live,
                       strategic_merge_patch(live, config), force=False)
    assert [(e.manager, e.time) for e in after] == [("other", None),
                                                    (BEFORE_FIRST_APPLY, 5.0)]
    scaled = {**config, "spec": {"replicas": 4}}
    _, [entry] = applied(copy.deepcopy(entries), writer("kubectl", APPLY), scaled, live,
                         strategic_merge_patch(live, scaled), force=False)
    assert entry.time == 5.0


def test_an_update_keeps_an_object_without_managers_so():
    """``skipNonAppliedManager.Update``: an object that has no entries (a reset) gets none
    from an update, where one the simulator keeps none for starts them."""
    changed = {("f:spec", "f:replicas")}
    assert updated([], writer("kubectl"), changed, set()) == []
    assert [e.fields for e in updated(None, writer("kubectl"), changed, set())] == [changed]


def test_an_update_takes_only_the_fields_it_removed_from_the_managers():
    """``Updater.update`` takes ``compare.Removed`` from every manager: a field an entry
    names that the object never had stays."""
    replicas, absent = ("f:spec", "f:replicas"), ("f:spec", "f:paused")
    entries = [Entry("team", APPLY, "apps/v1", 1.0, {replicas, absent, (*CONTAINER, "f:image")})]
    after = updated(entries, writer("kubectl"), set(), {replicas})
    assert after[0].fields == {absent, (*CONTAINER, "f:image")}


def test_a_first_apply_to_an_object_without_managers_gives_its_fields_to_before_first_apply():
    """``skipNonAppliedManager.Apply``: the fields the object has go to an update entry of
    ``before-first-apply`` first, which a change of their value then conflicts with."""
    live = copy.deepcopy(DEPLOYMENT)
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 5}}
    with pytest.raises(ApplyConflictError) as refused:
        applied([], writer("kubectl", APPLY), config, live,
                strategic_merge_patch(live, config), force=False)
    assert str(refused.value) == ('Apply failed with 1 conflict: conflict with '
                                  '"before-first-apply" using apps/v1: .spec.replicas')
    _, after = applied(None, writer("kubectl", APPLY), config, live,
                       strategic_merge_patch(live, config), force=False)
    assert [e.manager for e in after] == ["kubectl"]
    _, after = applied([], writer("kubectl", APPLY), {**config, "spec": {"replicas": 2}}, live,
                       copy.deepcopy(live), force=False)
    assert [(e.manager, e.operation) for e in after] == [
        ("kubectl", APPLY), (BEFORE_FIRST_APPLY, UPDATE)]


def test_a_conflict_is_refused_in_upstream_s_words_unless_forced():
    config = copy.deepcopy(DEPLOYMENT)
    entries = [Entry("kubectl", APPLY, "apps/v1", 1.0, field_set(config)),
               Entry("kubectl", UPDATE, "apps/v1", 2.0, {("f:spec", "f:replicas")}, "scale")]
    live = copy.deepcopy(DEPLOYMENT)
    live["spec"]["replicas"] = 3
    applier = writer("kubectl", APPLY)
    with pytest.raises(ApplyConflictError) as refused:
        applied(entries, applier, config, live, strategic_merge_patch(live, config),
                force=False)
    assert str(refused.value) == ('Apply failed with 1 conflict: conflict with "kubectl" with '
                                  'subresource "scale" using apps/v1: .spec.replicas')
    assert refused.value.causes() == [{
        "reason": "FieldManagerConflict", "field": ".spec.replicas",
        "message": 'conflict with "kubectl" with subresource "scale" using apps/v1'}]
    obj, after = applied(entries, applier, config, live, strategic_merge_patch(live, config),
                         force=True)
    assert obj["spec"]["replicas"] == 2
    assert [(e.manager, e.operation) for e in after] == [("kubectl", APPLY)]


def test_several_conflicts_are_grouped_by_manager():
    live = copy.deepcopy(DEPLOYMENT)
    image = (*CONTAINER, "f:image")
    entries = [Entry("kubectl-set", UPDATE, "apps/v1", 1.0, {image}),
               Entry("team", APPLY, "apps/v1", 1.0, {("f:spec", "f:replicas")})]
    config = copy.deepcopy(DEPLOYMENT)
    config["spec"]["replicas"] = 4
    config["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    with pytest.raises(ApplyConflictError) as refused:
        applied(entries, writer("kubectl", APPLY), config, live,
                strategic_merge_patch(live, config), force=False)
    assert str(refused.value) == (
        'Apply failed with 2 conflicts: conflicts with "kubectl-set" using apps/v1:\n'
        '- .spec.template.spec.containers[name="web"].image\n'
        'conflicts with "team":\n- .spec.replicas')


def test_the_same_value_is_shared_not_a_conflict():
    live = copy.deepcopy(DEPLOYMENT)
    entries = [Entry("team", APPLY, "apps/v1", 1.0, {("f:spec", "f:replicas")})]
    config = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
              "spec": {"replicas": 2}}
    _, after = applied(entries, writer("kubectl", APPLY), config, live,
                       strategic_merge_patch(live, config), force=False)
    assert {e.manager: e.fields for e in after} == {
        "kubectl": {("f:spec", "f:replicas")}, "team": {("f:spec", "f:replicas")}}


def test_a_dropped_field_goes_unless_another_manager_owns_it():
    live = copy.deepcopy(DEPLOYMENT)
    applier = writer("kubectl", APPLY)
    label = ("f:metadata", "f:labels", "f:app")
    entries = [Entry("kubectl", APPLY, "apps/v1", 1.0, field_set(DEPLOYMENT)),
               Entry("kubectl-label", UPDATE, "apps/v1", 1.0, {label})]
    config = copy.deepcopy(DEPLOYMENT)
    del config["metadata"]["labels"]
    del config["spec"]["replicas"]
    del config["spec"]["template"]["spec"]["containers"][0]["env"]
    obj, after = applied(entries, applier, config, live, strategic_merge_patch(live, config),
                         force=False)
    assert "replicas" not in obj["spec"]
    assert "env" not in obj["spec"]["template"]["spec"]["containers"][0]   # not env: []
    assert obj["metadata"]["labels"] == {"app": "web"}              # kubectl-label's too
    assert {e.manager: e.fields for e in after}["kubectl-label"] == {label}


def test_managed_fields_sent_replace_the_object_s():
    fields = field_set(DEPLOYMENT)
    known = [Entry("kubectl-client-side-apply", UPDATE, "apps/v1", 1.0, fields)]
    sent = [{"manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1",
             "fieldsType": "FieldsV1", "fieldsV1": fields_v1(fields)}]
    [entry] = decoded(sent, known, 9.0)      # sent without a time: it has none
    assert (entry.manager, entry.operation, entry.time, entry.fields) == (
        "kubectl", APPLY, None, fields)
    [entry] = decoded([{**sent[0], "time": "2026-01-01T00:00:00Z"}], known, 9.0)
    assert entry.time == 9.0
    assert decoded([{}], known, 9.0) == []                 # the documented way to clear them
    assert decoded([], known, 9.0) == []                   # isResetManagedFields: so does []
    assert decoded(None, known, 9.0) is None               # none sent: keep the object's
    assert decoded([{"manager": "m", "operation": "Bogus", "fieldsV1": {}}], known, 9.0) \
        is None


def test_a_request_without_a_field_manager_is_its_user_agent_s():
    assert manager_of(None, "kubectl/v1.37.1 (linux/amd64) kubernetes/f78e722") == "kubectl"
    assert manager_of("kubectl-edit", "kubectl/v1.37.1") == "kubectl-edit"
    assert manager_of(None, "x" * 200 + "/1") == "x" * 128


def test_elements_of_the_same_keys_or_value_are_found_as_duplicates():
    config = copy.deepcopy(DEPLOYMENT)
    config["metadata"]["finalizers"] *= 2
    config["spec"]["template"]["spec"]["containers"][0]["env"].append({"name": "A"})
    duplicates: list = []
    assert field_set(config, duplicates) == field_set(DEPLOYMENT)
    assert sorted(map(path_string, duplicates)) == [
        '.metadata.finalizers[="example.com/keep"]',
        '.spec.template.spec.containers[name="web"].env[name="A"]']


def test_an_apply_with_two_status_conditions_of_one_type_is_refused():
    """``structuredMergeManager.Apply`` converts the whole configuration to a typed object,
    its ``status`` too (``conditions`` is a list keyed by ``type``), before any field set
    leaves the status out: the same 500 as for duplicates under ``spec``. They had been
    taken."""
    config = copy.deepcopy(DEPLOYMENT)
    ready = {"type": "Available", "status": "True"}
    config["status"] = {"conditions": [ready, {**ready, "status": "False"}]}
    with pytest.raises(HttpError) as caught:
        check_configuration(config, "apps/v1", "Deployment")
    assert (caught.value.status, str(caught.value)) == (
        500, "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
        '.status.conditions: duplicate entries for key [type="Available"]')
    config["status"]["conditions"].pop()
    check_configuration(config, "apps/v1", "Deployment")


def test_undeclared_fields_are_reported_first_of_each_map_among_duplicates():
    """``validatingObjectWalker.visitMapItems`` stops a map's walk at its first undeclared
    field (keys sorted here): a later sibling's errors, undeclared or duplicate, go
    unreported; an element of an unkeyed list is named by its index."""
    config = copy.deepcopy(DEPLOYMENT)
    pod = config["spec"]["template"]["spec"]
    pod["tolerations"] = [{"key": "a", "zzz": 1}]
    pod["containers"][0].update(aaa=1, port=80, env=[{"name": "A"}, {"name": "A"}])
    with pytest.raises(HttpError) as caught:
        check_configuration(config, "apps/v1", "Deployment")
    assert (caught.value.status, str(caught.value)) == (
        500, "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
        "errors:\n"
        f'  .spec.template.spec.containers[name="{pod["containers"][0]["name"]}"].aaa: '
        "field not declared in schema\n"
        "  .spec.template.spec.tolerations[0].zzz: field not declared in schema")


def test_sent_entries_decode_as_decode_managed_fields_reads_them():
    entry = {"manager": "m", "operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV1"}
    indexed = {"f:spec": {"f:args": {"i:0": {}}}, "f:data": {"v:[1,2]": {}}}
    [found] = decoded([{**entry, "fieldsV1": indexed}], [], 1.0)
    assert found.fields == {("f:spec", "f:args", "i:0"), ("f:data", "v:[1,2]")}
    [empty] = decoded([entry], [], 1.0)               # no fieldsV1: the empty set, no reset
    assert empty.fields == set()
    assert decoded([{"manager": "", "fieldsV1": None}], [], 1.0) == []   # a zero entry: reset
    assert decoded([{}, {}], [], 1.0) is None         # no reset: neither decodes
    for wrong in ({"fieldsType": "FieldsV2"}, {"apiVersion": ""}, {"fieldsV1": {"i:x": {}}},
                  {"fieldsV1": {"k:[1]": {}}}, {"fieldsV1": {"f:a": []}}):
        assert decoded([{**entry, **wrong}], [], 1.0) is None, wrong


def _scanned_value_at(obj, path):
    """The lookup as a plain scan: each ``k:``/``v:`` step read and compared with every
    element in turn, the first that matches taken (what the indexed lookup must equal)."""
    for step in path:
        kind, _, rest = step.partition(":")
        if kind == "f" and isinstance(obj, dict) and rest in obj:
            obj = obj[rest]
        elif kind in ("k", "v") and isinstance(obj, list):
            want = json.loads(rest)
            obj = next((item for item in obj if (
                isinstance(item, dict) and all(item.get(k, "TCP" if k == "protocol" else None)
                                               == v for k, v in want.items())
                if kind == "k" else item == want)), _NONE)
        else:
            return _NONE
        if obj is _NONE:
            return obj
    return obj


_NONE = object()
_FINALIZERS = st.lists(st.sampled_from(["a", "b", "c", 1, 1.0, True, {"x": 1}]), max_size=5)
_PORTS = st.lists(st.fixed_dictionaries(
    {"containerPort": st.sampled_from([80, 81, 80.0])},
    optional={"protocol": st.sampled_from(["TCP", "UDP"]), "name": st.sampled_from(["p", "q"])}),
    max_size=3)
_CONTAINERS = st.lists(st.fixed_dictionaries(
    {"name": st.sampled_from(["web", "log"])},
    optional={"image": st.sampled_from(["nginx", "busybox"]), "ports": _PORTS}), max_size=3)
_OBJECTS = st.fixed_dictionaries({}, optional={
    "metadata": st.fixed_dictionaries({}, optional={"finalizers": _FINALIZERS}),
    "spec": st.fixed_dictionaries({}, optional={"containers": _CONTAINERS})})


@settings(max_examples=300, deadline=None)
@given(_OBJECTS, _OBJECTS)
def test_changed_fields_equal_a_scan_of_every_list(before, after):
    # lists with repeated keys and values, keys defaulted (protocol) or equal as numbers
    expected = {p for p in field_set(after) if _scanned_value_at(before, p) is _NONE or (
        not p[-1].startswith("k:")
        and _scanned_value_at(before, p) != _scanned_value_at(after, p))}
    assert changed_fields(before, after) == expected
    for path in field_set(before) | field_set(after):
        for obj in (before, after):
            scanned = _scanned_value_at(obj, path)     # the same element, the first
            missing = kubefieldmanager._MISSING
            assert value_at(obj, path) is (missing if scanned is _NONE else scanned), path


def test_changed_fields_read_each_step_and_element_a_bounded_number_of_times(monkeypatch):
    # a 5,000-element set replaced by another: the scan read every old element for every
    # new path (25 million reads); each list is now indexed once and each step read once
    n = 5_000
    reads = {"count": 0}
    loads = json.loads

    def counted(*args, **kwargs):
        reads["count"] += 1
        if reads["count"] > 10 * n:
            raise AssertionError("more than 10 reads per element: quadratic")
        return loads(*args, **kwargs)

    monkeypatch.setattr(kubefieldmanager.json, "loads", counted)
    before = {"metadata": {"finalizers": [f"example.com/a{i}" for i in range(n)]},
              "spec": {"containers": [{"name": f"c{i}", "image": "x"} for i in range(n)]}}
    after = {"metadata": {"finalizers": [f"example.com/b{i}" for i in range(n)]},
             "spec": {"containers": [{"name": f"c{i}", "image": "y"} for i in range(n)]}}
    changed = changed_fields(before, after)
    assert len(changed) == 2 * n and reads["count"] <= 10 * n


def _elements_compared_dropping(n: int, monkeypatch) -> int:
    """How many times an apply that drops ``n`` of a list's ``2 n`` elements reads an
    element's key while it removes them."""
    compared = {"count": 0}
    element_key = kubefieldmanager._element_key

    def counted(*args):
        compared["count"] += 1
        return element_key(*args)

    containers = [{"name": f"c{i}", "image": "x"} for i in range(2 * n)]
    applied_before = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                      "spec": {"containers": containers}}
    config = {**applied_before, "spec": {"containers": containers[:n]}}
    live = copy.deepcopy(applied_before)
    entries = [Entry("kubectl", APPLY, "v1", 1.0, field_set(applied_before))]
    merged = copy.deepcopy(config)    # what the merge of a list by key keeps: the config's
    merged["spec"]["containers"] = copy.deepcopy(containers)
    monkeypatch.setattr(kubefieldmanager, "_element_key", counted)
    stored, _ = applied(entries, Entry("kubectl", APPLY, "v1", 5.0), config, live, merged,
                        force=False)
    monkeypatch.setattr(kubefieldmanager, "_element_key", element_key)
    assert [c["name"] for c in stored["spec"]["containers"]] == [f"c{i}" for i in range(n)]
    return compared["count"]


def test_an_apply_that_drops_many_elements_filters_each_list_once(monkeypatch):
    """Dropping ``n`` elements filtered the whole list once per element (each removal
    also indexed it again): work grew as ``n`` squared. Now each list is filtered once for
    all its dropped elements, so twice the elements cost about twice the reads."""
    small, large = (_elements_compared_dropping(n, monkeypatch) for n in (200, 400))
    assert large <= 2.5 * small, (small, large)


_MANY = {"metadata": {"finalizers": [f"example.com/f{i}" for i in range(4)]},
         "spec": {"containers": [{"name": f"c{i}", "image": "x", "env": [
             {"name": f"E{j}", "value": str(j)} for j in range(3)]} for i in range(4)]}}


_DROPPABLE = sorted(path for path in field_set(_MANY)       # an element's key field goes
                    if not (path[-1] == "f:name" and path[-2].startswith("k:")))  # with it


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(_DROPPABLE), max_size=25))
def test_removing_paths_together_is_removing_them_one_by_one(dropped):
    """Grouping the removals by the list or map that holds them changes nothing: the object
    left is the one that removing each path alone, shortest first, leaves (paths that keep
    an element without its key field excepted, see ``_remove``)."""
    paths = sorted(dropped, key=len)
    together, one_by_one = copy.deepcopy(_MANY), copy.deepcopy(_MANY)
    kubefieldmanager._remove(together, paths)
    for path in paths:
        kubefieldmanager._remove(one_by_one, [path])
    assert together == one_by_one
