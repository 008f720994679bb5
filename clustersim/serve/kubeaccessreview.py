"""The access reviews of the simulated API server, about 170 lines: ``kubectl auth can-i``
(a SelfSubjectAccessReview, and with ``--list`` a SelfSubjectRulesReview), a
SubjectAccessReview about any user, and ``kubectl auth whoami`` (a SelfSubjectReview),
answered by the RBAC authorizer (:mod:`clustersim.kubernetes.rbac`) over the stored Roles,
ClusterRoles and bindings for the user kubectl impersonates (``--as``, ``--as-group``: the
headers ``Impersonate-User`` and ``Impersonate-Group``). The REST handler
(:mod:`~clustersim.serve.kubernetes`) decodes the review's body and hands over the RBAC
objects; a review's spec is decoded by its Go types and validated here
(:func:`review_problems`), as ``ValidateSelfSubjectAccessReview`` and
``ValidateSubjectAccessReview`` do (kubernetes/kubernetes
``pkg/apis/authorization/validation/validation.go``).

kubectl's own user, with no ``--as``, is the one of the admin kubeconfig ``kubeadm init``
writes since v1.29 (KEP-4214, kubernetes/kubeadm#2414: ``admin.conf``'s
``kubernetes-admin`` in the group ``kubeadm:cluster-admins``, which kubeadm binds to
``cluster-admin``; only ``super-admin.conf``'s user is in ``system:masters``;
``cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go``), so RBAC answers for it through that
binding. A user in ``system:masters`` is allowed everything by the authorizer placed before
RBAC (``authorizerfactory.NewPrivilegedGroups``), with no reason. Simplified (what a real
API server does instead): a real server authenticates the request and checks that its user
may impersonate the one named.
"""

from __future__ import annotations

from typing import Any

from clustersim.goformat import go_json
from clustersim.kubernetes import rbac
from clustersim.manifests.kubernetes_errors import GoSyntax, invalid
from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.kubedecoding import struct_error

__all__ = ["ADMIN_GROUP", "ADMIN_USER", "access_review", "review_problems", "who_am_i"]

ADMIN_USER = "kubernetes-admin"
"""kubectl's own user, as kubeadm names the user of its admin kubeconfig."""
ADMIN_GROUP = "kubeadm:cluster-admins"
"""The group of kubeadm's admin user, bound to ``cluster-admin``
(``ClusterAdminsGroupAndClusterRoleBinding`` in ``cmd/kubeadm/app/constants``)."""
_PRIVILEGED = "system:masters"

_REVIEW_TYPES: dict[str, dict[str, str]] = {
    "v1.SelfSubjectAccessReviewSpec": {"resourceAttributes": "*v1.ResourceAttributes",
                                       "nonResourceAttributes": "*v1.NonResourceAttributes"},
    "v1.SubjectAccessReviewSpec": {"resourceAttributes": "*v1.ResourceAttributes",
                                   "nonResourceAttributes": "*v1.NonResourceAttributes",
                                   "user": "string", "groups": "[]string", "uid": "string",
                                   "extra": "map[string][]string"},
    "v1.SelfSubjectRulesReviewSpec": {"namespace": "string"},
    "v1.ResourceAttributes": dict.fromkeys(("namespace", "verb", "group", "version",
                                            "resource", "subresource", "name"), "string"),
    "v1.NonResourceAttributes": {"path": "string", "verb": "string"},
}
"""The review specs' Go types (k8s.io/api ``authorization/v1/types.go``), by JSON name;
``extra``'s values are ``v1.ExtraValue`` upstream, a ``[]string``; the selectors of
``resourceAttributes`` are not decoded here."""


def review_problems(kind: str, body: dict[str, Any]) -> tuple[str | None, list[str]]:
    """The decoder's error for a review's ``spec`` (``"spec": "x"``: ``json: cannot unmarshal
    string into Go struct field SelfSubjectAccessReview.spec of type
    v1.SelfSubjectAccessReviewSpec``), else the validation's problems: exactly one of
    ``resourceAttributes`` and ``nonResourceAttributes`` (neither is reported at the first
    with the second's nil value, ``"null"``; both at the second, with its value as the
    internal struct is marshalled), and for a SubjectAccessReview a user or a group.
    Upstream also refuses a review with metadata and malformed attribute selectors."""
    spec = body.get("spec")
    why = struct_error(spec, f"v1.{kind}Spec", _REVIEW_TYPES, f"{kind}.spec")
    if why or kind == "SelfSubjectRulesReview":
        return why, []
    spec = spec or {}
    problems = []
    attributes, other = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
    if attributes is not None and other is not None:
        shown = GoSyntax(go_json({"Path": other.get("path") or "",
                                  "Verb": other.get("verb") or ""}))
        problems.append("spec.nonResourceAttributes: " + invalid(
            shown, "cannot be specified in combination with resourceAttributes"))
    if attributes is None and other is None:
        problems.append("spec.resourceAttributes: " + invalid(
            "null", "exactly one of nonResourceAttributes or resourceAttributes must be "
            "specified"))
    if kind == "SubjectAccessReview" and not spec.get("user") and not spec.get("groups"):
        problems.append("spec.user: " + invalid(spec.get("user") or "",
                                                "at least one of user or group must be "
                                                "specified"))
    return None, problems


def access_review(request: Request, kind: str, body: dict[str, Any],
                  objects: list[dict[str, Any]]) -> Response:
    """``kubectl auth can-i`` (a SelfSubjectAccessReview), ``kubectl auth can-i --list`` (a
    SelfSubjectRulesReview) and a SubjectAccessReview of the decoded and validated
    (:func:`review_problems`) ``body``, answered over the RBAC ``objects`` for the user
    kubectl impersonates, or for a SubjectAccessReview the user and groups it names. A user
    in ``system:masters`` is allowed with no reason, and its rules read as
    ``cluster-admin``'s (the privileged-group authorizer's ``RulesFor``); RBAC's denial
    gives no reason either, only "no opinion"."""
    spec = body.get("spec") or {}
    user, groups = _impersonated(request)
    _may_review(objects, user, groups, "authorization.k8s.io", kind)
    if kind == "SubjectAccessReview":
        user, groups = spec.get("user") or "", tuple(spec.get("groups") or ())
    status: dict[str, Any]
    if kind == "SelfSubjectRulesReview":
        rules = ([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
                  {"verbs": ["*"], "nonResourceURLs": ["*"]}] if _PRIVILEGED in groups else
                 rbac.rules_for(objects, user, spec.get("namespace", ""), groups))
        status = {"resourceRules": [r for r in rules if r.get("resources")],
                  "nonResourceRules": [r for r in rules if r.get("nonResourceURLs")],
                  "incomplete": False}
    elif _PRIVILEGED in groups:
        status = {"allowed": True}
    else:
        attributes = spec.get("resourceAttributes")
        other = spec.get("nonResourceAttributes") or {}
        asked = rbac.Request(
            user, attributes.get("verb", ""), attributes.get("resource", ""),
            attributes.get("namespace", ""), attributes.get("group", ""),
            attributes.get("subresource", ""), attributes.get("name", ""), groups=groups,
        ) if attributes else rbac.Request(user, other.get("verb", ""),
                                          path=other.get("path", ""), groups=groups)
        decision = rbac.authorize(objects, asked)
        status = {"allowed": True, "reason": decision.reason} if decision.allowed \
            else {"allowed": False}
    return Response.json(201, {"kind": kind, "apiVersion": "authorization.k8s.io/v1",
                               "metadata": {"creationTimestamp": None}, "spec": spec,
                               "status": status})


def who_am_i(request: Request, objects: list[dict[str, Any]]) -> Response:
    """``kubectl auth whoami``: a SelfSubjectReview answered with the requesting user,
    the impersonated one (``--as``, ``--as-group``) with the groups the impersonation
    filter gives it (:func:`rbac.groups_of`), else kubectl's own administrator."""
    user, groups = _impersonated(request)
    _may_review(objects, user, groups, "authentication.k8s.io", "SelfSubjectReview")
    return Response.json(201, {"kind": "SelfSubjectReview",
                               "apiVersion": "authentication.k8s.io/v1",
                               "metadata": {"creationTimestamp": None},
                               "status": {"userInfo": {"username": user,
                                                       "groups": list(groups)}}})


def _may_review(objects: list[dict[str, Any]], user: str, groups: tuple[str, ...],
                group: str, kind: str) -> None:
    """Refuse with the API server's 403 unless the user kubectl impersonates may create the
    review ``kind`` itself (every authenticated user may create the self reviews, through
    ``system:basic-user``; ``system:anonymous`` may not)."""
    if _PRIVILEGED not in groups:
        asked = rbac.Request(user, "create", kind.lower() + "s", api_group=group,
                             groups=groups)
        decision = rbac.authorize(objects, asked)
        if not decision.allowed:
            raise HttpError(403, decision.reason, "Forbidden", group=group,
                            kind=asked.resource)


def _impersonated(request: Request) -> tuple[str, tuple[str, ...]]:
    """The user and groups kubectl impersonates (``--as``, ``--as-group``: the headers
    ``Impersonate-User`` and ``Impersonate-Group``, repeated ones joined), with the groups the
    API server adds (:func:`rbac.groups_of`); with no ``--as``, kubectl's own
    (:data:`ADMIN_USER` in :data:`ADMIN_GROUP`)."""
    user = request.headers.get("impersonate-user", "")
    given = [g.strip() for g in request.headers.get("impersonate-group", "").split(",")
             if g.strip()]
    if not user:
        return ADMIN_USER, rbac.groups_of(ADMIN_USER, (ADMIN_GROUP,))
    return user, rbac.groups_of(user, given)
