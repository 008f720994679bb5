"""The access reviews of the served API (clustersim.serve.kubeaccessreview): a review's spec
decoded by its Go types and validated as ``ValidateSelfSubjectAccessReview`` and
``ValidateSubjectAccessReview`` do (kubernetes/kubernetes
``pkg/apis/authorization/validation/validation.go``), SubjectAccessReviews served, and
kubectl's own user the one of kubeadm's admin kubeconfig (``kubernetes-admin`` in
``kubeadm:cluster-admins``, KEP-4214). An empty review had been allowed, ``"spec": "x"`` a
500, a SubjectAccessReview a 404, and the admin's reason made up."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer

_API = "/apis/authorization.k8s.io/v1"
_PODS = {"resourceAttributes": {"verb": "get", "resource": "pods"}}
_NEITHER = ('spec.resourceAttributes: Invalid value: "null": exactly one of '
            "nonResourceAttributes or resourceAttributes must be specified")


@pytest.fixture(scope="module")
def server():
    with serve("kubernetes", nodes=1, speed=0) as running:
        yield running


@pytest.mark.parametrize(("path", "body", "problems"), [
    ("selfsubjectaccessreviews", {}, [_NEITHER]),
    ("selfsubjectaccessreviews", None, [_NEITHER]),
    ("selfsubjectaccessreviews", {"spec": {}}, [_NEITHER]),
    ("selfsubjectaccessreviews", {"spec": {**_PODS, "nonResourceAttributes": {
        "path": "/x", "verb": "get"}}},
     ['spec.nonResourceAttributes: Invalid value: {"Path":"/x","Verb":"get"}: cannot be '
      "specified in combination with resourceAttributes"]),
    ("subjectaccessreviews", {"spec": {}}, [_NEITHER, 'spec.user: Invalid value: "": at '
                                            "least one of user or group must be specified"]),
])
def test_a_review_is_validated(server, path, body, problems):
    status, refused = _answer(server, "POST", f"{_API}/{path}", body)
    assert (status, refused["reason"]) == (422, "Invalid")
    several = "[" + ", ".join(problems) + "]" if len(problems) > 1 else problems[0]
    assert refused["message"] == f'.authorization.k8s.io "" is invalid: {several}'
    assert [f"{c['field']}: {c['message']}" for c in refused["details"]["causes"]] == problems


@pytest.mark.parametrize(("body", "why"), [
    ({"spec": "x"}, "json: cannot unmarshal string into Go struct field "
                    "SelfSubjectAccessReview.spec of type v1.SelfSubjectAccessReviewSpec"),
    ({"spec": {"resourceAttributes": "x"}},
     "json: cannot unmarshal string into Go struct field "
     "SelfSubjectAccessReviewSpec.spec.resourceAttributes of type v1.ResourceAttributes"),
])
def test_a_review_that_cannot_be_decoded_is_a_400(server, body, why):
    status, refused = _answer(server, "POST", f"{_API}/selfsubjectaccessreviews", body)
    assert (status, refused["reason"]) == (400, "BadRequest")
    assert refused["message"] == ('SelfSubjectAccessReview in version "v1" cannot be handled '
                                  f"as a SelfSubjectAccessReview: {why}")


def test_kubectls_user_is_kubeadms_admin_and_system_masters_needs_no_reason(server):
    status, review = _answer(server, "POST", f"{_API}/selfsubjectaccessreviews",
                             {"spec": _PODS})
    assert status == 201
    assert review["status"] == {"allowed": True, "reason": (
        'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole '
        '"cluster-admin" to Group "kubeadm:cluster-admins"')}
    _, review = _answer(server, "POST", f"{_API}/subjectaccessreviews",
                        {"spec": {**_PODS, "user": "x", "groups": ["system:masters"]}})
    assert review["status"] == {"allowed": True}


def test_a_subject_access_review_asks_about_the_user_it_names(server):
    status, review = _answer(server, "POST", f"{_API}/subjectaccessreviews",
                             {"spec": {**_PODS, "user": "jane"}})
    assert status == 201 and review["status"] == {"allowed": False}
    _, review = _answer(server, "POST", f"{_API}/subjectaccessreviews", {"spec": {
        "nonResourceAttributes": {"path": "/version", "verb": "get"}, "user": "jane",
        "groups": ["system:authenticated"]}})
    assert review["status"]["allowed"] is True


def _sent(server, path: str, body: dict) -> tuple[int, dict, str | None]:
    """The status, answer and ``Warning`` header of a POST of ``body`` to ``path``."""
    request = urllib.request.Request(f"{server.url}{path}", method="POST",
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read()), answer.headers.get("Warning")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), err.headers.get("Warning")


@pytest.mark.parametrize(("path", "kind", "body", "unknown"), [
    (f"{_API}/selfsubjectaccessreviews", "SelfSubjectAccessReview",
     {"spec": {"foo": 1, "resourceAttributes": {"verb": "get", "resource": "pods", "x": 2}}},
     ["spec.foo", "spec.resourceAttributes.x"]),
    # the unknown field is refused before the review is validated (it has neither attribute)
    (f"{_API}/selfsubjectaccessreviews", "SelfSubjectAccessReview",
     {"spec": {"resourceAtributes": {"verb": "get"}}}, ["spec.resourceAtributes"]),
    (f"{_API}/subjectaccessreviews", "SubjectAccessReview",
     {"spec": {**_PODS, "user": "jane", "group": ["dev"]}}, ["spec.group"]),
    (f"{_API}/selfsubjectrulesreviews", "SelfSubjectRulesReview",
     {"spec": {"namespace": "default", "verb": "get"}}, ["spec.verb"]),
    ("/apis/authentication.k8s.io/v1/selfsubjectreviews", "SelfSubjectReview",
     {"spec": {}}, ["spec"]),
])
def test_a_review_follows_field_validation(server, path, kind, body, unknown):
    """The access reviews are created through the create handler (k8s.io/apiserver
    ``pkg/endpoints/handlers/create.go``), whose decoder honours ``fieldValidation`` as for
    any object: ``Strict`` is a 400 naming the unknown fields, ``Warn`` one ``Warning`` per
    field and the review answered without them. The reviews had ignored them in every mode."""
    group = path.split("/")[2]
    body = {"apiVersion": f"{group}/v1", "kind": kind, **body}
    status, refused, _ = _sent(server, f"{path}?fieldValidation=Strict", body)
    fields = ", ".join(f'unknown field "{field}"' for field in unknown)
    assert (status, refused["reason"]) == (400, "BadRequest")
    assert refused["message"] == (f'{kind} in version "v1" cannot be handled as a {kind}: '
                                  f"strict decoding error: {fields}")
    status, answer, warning = _sent(server, f"{path}?fieldValidation=Warn", body)
    if status == 201:       # the served API sends no warning with a refusal (simplified)
        assert warning == ", ".join(f'299 - "unknown field \\"{field}\\""'
                                    for field in unknown)
        assert all(field.split(".")[-1] not in json.dumps(answer.get("spec", {}))
                   for field in unknown)
