"""A strategic merge patch the API server cannot apply, answered with the status and words
of a v1.37 server (``interpretStrategicMergePatchError`` in k8s.io/apiserver
``pkg/endpoints/handlers/patch.go``, :func:`clustersim.serve.patch.strategic_patch`)."""

from __future__ import annotations

import json

from clustersim.serve import serve
from clustersim.serve.core import Request

SMP = "application/strategic-merge-patch+json"
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1", "labels": {"a": "b"}},
       "spec": {"containers": [{"name": "c", "image": "nginx",
                                "env": [{"name": "A", "value": "1"}]}]}}


def _send(server, method: str, path: str, body: object, kind: str = "application/json",
          query: dict[str, list[str]] | None = None) -> tuple[int, dict]:
    response = server.dispatch(Request(method, path, query or {}, {"content-type": kind},
                                       json.dumps(body).encode()))
    return response.status, json.loads(response.body)


def test_each_refusal_is_a_status_with_upstreams_code_and_words_and_stores_nothing():
    """An unknown ``$patch`` and an element without its merge key are no API status
    upstream: ``ErrorToAPIStatus`` answers 500 with the error's text and no reason; a bad
    ``$retainKeys`` is a 400 ``BadRequest``. The Pod is left as it was, dry run or not."""
    path = "/api/v1/namespaces/default/pods"
    cases = [
        ({"metadata": {"$patch": "bogus", "labels": {"x": "y"}}}, 500,
         "unknown patch type: bogus in map: map[$patch:bogus labels:map[x:y]]"),
        ({"spec": {"containers": [{"name": "c", "env": [{"$patch": "delete"}]}]}}, 500,
         "map: map[$patch:delete] does not contain declared merge key: name"),
        ({"spec": {"containers": [{"$patch": "merge"}]}}, 500,
         "merging lists cannot yet be specified in the patch"),
        ({"metadata": {"$retainKeys": ["name"], "labels": {"q": "r"}}}, 400,
         "invalid patch format of retainKeys"),
    ]
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, POD)[0] == 201
        before = _send(server, "GET", f"{path}/p1", None)[1]
        for patch, status, message in cases:
            for query in ({}, {"dryRun": ["All"]}):
                code, body = _send(server, "PATCH", f"{path}/p1", patch, SMP, query)
                assert (code, body["kind"], body["message"]) == (status, "Status", message)
                assert body.get("reason") == ("BadRequest" if status == 400 else None)
        assert _send(server, "GET", f"{path}/p1", None)[1] == before


def test_directives_inside_a_new_list_element_reach_the_decoder_as_unknown_fields():
    """A container the patch adds is appended as sent (``mergeSliceWithoutSpecialElements``),
    so its env element's ``$patch: delete`` is not applied: the decoder
    (``FromUnstructuredWithValidation``, ``patch.go``) reads ``$patch`` as an unknown field,
    refused under ``Strict``, dropped with a warning under ``Warn``, the element ``B`` kept.
    The simulator had applied the directive and deleted ``B`` without a word."""
    path = "/apis/apps/v1/namespaces/default/deployments"
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"a": "b"}},
                           "template": {"metadata": {"labels": {"a": "b"}},
                                        "spec": POD["spec"]}}}
    added = {"name": "d", "image": "busybox",
             "env": [{"name": "A", "value": "1"}, {"name": "B", "$patch": "delete"}]}
    patch = {"spec": {"template": {"spec": {"containers": [added]}}}}
    field = 'unknown field "spec.template.spec.containers[0].env[1].$patch"'
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, deployment)[0] == 201
        code, body = _send(server, "PATCH", f"{path}/web", patch, SMP,
                           {"fieldValidation": ["Strict"], "dryRun": ["All"]})
        assert (code, body["details"]["causes"][0]["field"]) == (422, "patch")
        assert body["message"].endswith(f"strict decoding error: {field}")
        request = Request("PATCH", f"{path}/web", {"fieldValidation": ["Warn"],
                                                   "dryRun": ["All"]},
                          {"content-type": SMP}, json.dumps(patch).encode())
        response = server.dispatch(request)
    assert response.status == 200 and request.warnings == [field]
    containers = json.loads(response.body)["spec"]["template"]["spec"]["containers"]
    assert containers[0]["env"] == [{"name": "A", "value": "1"}, {"name": "B"}]


def test_a_set_element_order_of_no_field_names_the_go_type_of_its_level():
    """strategicpatch looks a ``$setElementOrder/<field>``'s list up in the Go type merged at
    its level (``LookupPatchMetadataForStruct``, ``third_party/forked/golang/json/
    fields.go``): an empty name is in no struct, ``unable to find api field in struct
    PodSpec for the json field ""``, a 500 with no reason; a Go map (labels) is refused
    before the field is looked for. The served API had answered 200 and changed nothing."""
    path = "/api/v1/namespaces/default/pods"
    cases = [
        ({"$setElementOrder/": []}, "struct Pod for"),
        ({"spec": {"$setElementOrder/": []}}, "struct PodSpec for"),
        ({"spec": {"containers": [{"name": "c", "$setElementOrder/": []}]}},
         "struct Container for"),
        ({"spec": {"containers": [{"name": "c", "env": [
            {"name": "A", "$setElementOrder/": [{"name": "B"}]}]}]}}, "struct EnvVar for"),
    ]
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _send(server, "POST", path, POD)[0] == 201
        for patch, named in cases:
            code, body = _send(server, "PATCH", f"{path}/p1", patch, SMP)
            assert (code, body["message"]) == (
                500, f'unable to find api field in {named} the json field ""'), patch
            assert "reason" not in body
        code, body = _send(server, "PATCH", f"{path}/p1",
                           {"metadata": {"labels": {"$setElementOrder/": []}}}, SMP)
    assert (code, body["message"]) == (
        500, "merging an object in json but data type is not struct, instead is: map")


def test_a_set_element_order_of_a_field_the_go_type_lacks_is_refused_naming_the_type():
    """Any name the level's struct lacks is refused as the empty one is (the lookup knows
    the Go type's fields), one that only differs in case is found as encoding/json finds
    it; the served API had merged a misspelt list's directive and answered 200."""
    path = "/api/v1/namespaces/default/pods"
    with serve("kubernetes", nodes=1, speed=0, epoch=0.0) as server:
        assert _send(server, "POST", path, POD)[0] == 201
        code, body = _send(server, "PATCH", f"{path}/p1", {"spec": {
            "$setElementOrder/containerz": [{"name": "c"}]}}, SMP)
        kept, _ = _send(server, "PATCH", f"{path}/p1", {"spec": {
            "$setElementOrder/Tolerations": []}}, SMP)
        in_element, element_body = _send(server, "PATCH", f"{path}/p1", {"spec": {
            "containers": [{"name": "c", "$setElementOrder/portz": []}]}}, SMP)
    assert (code, body["message"]) == (
        500, 'unable to find api field in struct PodSpec for the json field "containerz"')
    assert kept == 200
    assert (in_element, element_body["message"]) == (
        500, 'unable to find api field in struct Container for the json field "portz"')


def test_a_directive_left_in_a_probe_is_an_unknown_field_never_stored():
    """A probe the patch adds to a Deployment's container is taken as sent, its
    ``$retainKeys`` unapplied; the decoder has no such field in ``Probe``
    (``FromUnstructuredWithValidation`` in ``patch.go``): ``Strict`` refuses the patch, the
    default ``Warn`` drops it. The served API had stored the directive inside the probe,
    which the unknown-field check did not walk."""
    path = "/apis/apps/v1/namespaces/default/deployments"
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
                      "metadata": {"labels": {"app": "web"}},
                      "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    probe = {"$retainKeys": ["exec"], "exec": {"command": ["true"]}}
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "c", "livenessProbe": probe}]}}}}
    with serve("kubernetes", nodes=1, speed=0, epoch=0.0) as server:
        assert _send(server, "POST", path, deployment)[0] == 201
        strict, refused = _send(server, "PATCH", f"{path}/web", patch, SMP,
                                {"fieldValidation": ["Strict"]})
        warned, _ = _send(server, "PATCH", f"{path}/web", patch, SMP)
        _, stored = _send(server, "GET", f"{path}/web", None)
    assert strict == 422 and refused["message"].endswith(
        "strict decoding error: unknown field "
        '"spec.template.spec.containers[0].livenessProbe.$retainKeys"')
    assert warned == 200
    kept = stored["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]
    assert kept["exec"] == {"command": ["true"]} and "$retainKeys" not in kept
