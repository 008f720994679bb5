"""The access reviews of the simulated API server, about 100 lines: ``kubectl auth can-i``
(a SelfSubjectAccessReview, and with ``--list`` a SelfSubjectRulesReview) and ``kubectl
auth whoami`` (a SelfSubjectReview), answered by the RBAC authorizer
(:mod:`clustersim.kubernetes.rbac`) over the stored Roles, ClusterRoles and bindings for
the user kubectl impersonates (``--as``, ``--as-group``: the headers ``Impersonate-User``
and ``Impersonate-Group``). The REST handler (:mod:`~clustersim.serve.kubernetes`) decodes
the review's body and hands over the RBAC objects; nothing here reads the backend.

Simplified (what a real API server does instead): kubectl's own user, no ``--as``, is the
``system:masters`` administrator of a new cluster's admin kubeconfig (kubeadm's
``kubernetes-admin``), whom the API server allows everything; a real server authenticates
the request and checks that its user may impersonate the one named.
"""

from __future__ import annotations

from typing import Any

from clustersim.kubernetes import rbac
from clustersim.serve.core import HttpError, Request, Response

__all__ = ["ADMIN_USER", "access_review", "who_am_i"]

ADMIN_USER = "kubernetes-admin"
"""kubectl's own user, as kubeadm names the administrator of its admin kubeconfig."""


def access_review(request: Request, kind: str, body: Any,
                  objects: list[dict[str, Any]]) -> Response:
    """``kubectl auth can-i`` (a SelfSubjectAccessReview) and ``kubectl auth can-i --list``
    (a SelfSubjectRulesReview) of the decoded ``body``, answered over the RBAC ``objects``
    for the user kubectl impersonates. Without ``--as`` the user is kubectl's own, an
    administrator in ``system:masters`` (whom the API server allows everything, and whose
    rules read as ``cluster-admin``'s) as in the admin kubeconfig of a new cluster."""
    review = body if isinstance(body, dict) else {}
    spec = review.get("spec") or {}
    user, groups = _impersonated(request)
    admin = _is_admin(user, groups)
    _may_review(objects, user, groups, "authorization.k8s.io", kind)
    status: dict[str, Any]
    if kind == "SelfSubjectRulesReview":
        rules = ([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
                  {"verbs": ["*"], "nonResourceURLs": ["*"]}] if admin else
                 rbac.rules_for(objects, user, spec.get("namespace", ""), groups))
        status = {"resourceRules": [r for r in rules if r.get("resources")],
                  "nonResourceRules": [r for r in rules if r.get("nonResourceURLs")],
                  "incomplete": False}
    elif admin:
        status = {"allowed": True, "reason": "the user is in system:masters"}
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
        # upstream's RBAC authorizer gives no reason for a denial, only "no opinion"
        status = {"allowed": decision.allowed,
                  "reason": decision.reason if decision.allowed else ""}
    return Response.json(201, {"kind": kind, "apiVersion": "authorization.k8s.io/v1",
                               "metadata": {"creationTimestamp": None}, "spec": spec,
                               "status": status})


def who_am_i(request: Request, objects: list[dict[str, Any]]) -> Response:
    """``kubectl auth whoami``: a SelfSubjectReview answered with the requesting user,
    the impersonated one (``--as``, ``--as-group``) with the groups the impersonation
    filter gives it (:func:`rbac.groups_of`), else kubectl's own administrator."""
    user, groups = _impersonated(request)
    if not user:
        user, groups = ADMIN_USER, rbac.groups_of(ADMIN_USER, ("system:masters",))
    _may_review(objects, user, groups, "authentication.k8s.io", "SelfSubjectReview")
    return Response.json(201, {"kind": "SelfSubjectReview",
                               "apiVersion": "authentication.k8s.io/v1",
                               "metadata": {"creationTimestamp": None},
                               "status": {"userInfo": {"username": user,
                                                       "groups": list(groups)}}})


def _may_review(objects: list[dict[str, Any]], user: str, groups: tuple[str, ...],
                group: str, kind: str) -> None:
    """Refuse with the API server's 403 unless the user kubectl impersonates may create the
    review ``kind`` itself (every authenticated user may, through ``system:basic-user``;
    ``system:anonymous`` may not)."""
    if not _is_admin(user, groups):
        asked = rbac.Request(user, "create", kind.lower() + "s", api_group=group,
                             groups=groups)
        decision = rbac.authorize(objects, asked)
        if not decision.allowed:
            raise HttpError(403, decision.reason, "Forbidden", group=group,
                            kind=asked.resource)


def _impersonated(request: Request) -> tuple[str, tuple[str, ...]]:
    """The user and groups kubectl impersonates (``--as``, ``--as-group``: the headers
    ``Impersonate-User`` and ``Impersonate-Group``, repeated ones joined), with the groups the
    API server adds (:func:`rbac.groups_of`); no user for kubectl's own."""
    user = request.headers.get("impersonate-user", "")
    given = [g.strip() for g in request.headers.get("impersonate-group", "").split(",")
             if g.strip()]
    return user, rbac.groups_of(user, given)


def _is_admin(user: str, groups: tuple[str, ...]) -> bool:
    """kubectl's own user (no ``--as``), or one in ``system:masters``, whom the API server
    allows everything whatever RBAC holds."""
    return not user or "system:masters" in groups
