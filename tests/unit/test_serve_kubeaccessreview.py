"""The access reviews of the served API (clustersim.serve.kubeaccessreview): a review's spec
decoded by its Go types and validated as ``ValidateSelfSubjectAccessReview`` and
``ValidateSubjectAccessReview`` do (kubernetes/kubernetes
``pkg/apis/authorization/validation/validation.go``), SubjectAccessReviews served, and
kubectl's own user the one of kubeadm's admin kubeconfig (``kubernetes-admin`` in
``kubeadm:cluster-admins``, KEP-4214). An empty review had been allowed, ``"spec": "x"`` a
500, a SubjectAccessReview a 404, and the admin's reason made up."""

from __future__ import annotations

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
