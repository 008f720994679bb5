"""What the API server refuses in a RoleBinding or a ClusterRoleBinding.

Upstream: kubernetes/kubernetes ``pkg/apis/rbac/validation/validation.go``
(``ValidateRoleBinding``, ``ValidateClusterRoleBinding`` and ``validateRoleBindingSubject``),
after the defaults of ``pkg/apis/rbac/v1/defaults.go`` (``SetDefaults_RoleBinding``: an empty
``roleRef.apiGroup`` is ``rbac.authorization.k8s.io``; ``SetDefaults_Subject``: so is an empty
``apiGroup`` of a User or Group subject, and a ServiceAccount's stays empty):

- ``roleRef``: its ``apiGroup`` must be ``rbac.authorization.k8s.io``, its ``kind`` ``Role``
  or ``ClusterRole`` (only ``ClusterRole`` in a ClusterRoleBinding), its ``name`` is required
  and a path segment;
- each subject needs a ``name``; a ``ServiceAccount`` has a DNS subdomain as its name, no
  ``apiGroup`` (it is in the core group, ""), and a ``namespace`` when a ClusterRoleBinding
  binds it; a ``User`` or ``Group`` is in the group ``rbac.authorization.k8s.io``; any other
  kind is refused.

Messages as ``field.Error`` writes them (``subjects[0].apiGroup: Unsupported value:
"rbac.authorization.k8s.io": supported values: ""``), in upstream's order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from clustersim.manifests.errors import ManifestError
from clustersim.manifests.kubernetes_errors import invalid, unsupported
from clustersim.manifests.kubernetes_names import dns1123_subdomain_problems
from clustersim.manifests.kubernetes_syntax import path_segment
from clustersim.manifests.safe_yaml import Document

__all__ = ["BINDING_KINDS", "RBAC_GROUP", "binding_errors"]

RBAC_GROUP = "rbac.authorization.k8s.io"
"""``rbac.GroupName``: the API group of roles, and of User and Group subjects."""

BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")

_SUBJECT_KINDS = ("ServiceAccount", "User", "Group")
"""``rbac.ServiceAccountKind``, ``rbac.UserKind``, ``rbac.GroupKind``, in the order of
``validateRoleBindingSubject``'s message."""


def _text(value: str | None) -> str:
    """A string field as the API server reads it: absent (or null) is empty (the decoder
    has refused a value of another type: :class:`~clustersim.manifests.kubernetes_types.
    RoleRef`, ``Subject``)."""
    return value or ""


def _role_ref(document: Document, kind: str, ref: Mapping[str, Any]
              ) -> Iterator[ManifestError]:
    group = _text(ref.get("apiGroup")) or RBAC_GROUP  # SetDefaults_RoleBinding
    if group != RBAC_GROUP:
        yield document.error(("roleRef", "apiGroup"), unsupported(group, [RBAC_GROUP]),
                             RBAC_GROUP)
    kinds = ["Role", "ClusterRole"] if kind == "RoleBinding" else ["ClusterRole"]
    role_kind = _text(ref.get("kind"))
    if role_kind not in kinds:
        yield document.error(("roleRef", "kind"), unsupported(role_kind, kinds),
                             " or ".join(kinds))
    name = _text(ref.get("name"))
    if not name:
        yield document.error(("roleRef", "name"), "Required value", "the name of the role")
        return
    try:
        path_segment(name)
    except ValueError as err:
        yield document.error(("roleRef", "name"), str(err), "the name of the role")


def _subject(document: Document, namespaced: bool, index: int, subject: Mapping[str, Any]
             ) -> Iterator[ManifestError]:
    """``validateRoleBindingSubject`` on the subject at ``subjects[index]``, defaulted."""
    at = ("subjects", index)
    name, kind = _text(subject.get("name")), _text(subject.get("kind"))
    group = _text(subject.get("apiGroup"))
    if not name:
        yield document.error((*at, "name"), "Required value", "the subject's name")
    if kind == "ServiceAccount":
        for problem in dns1123_subdomain_problems(name) if name else []:
            yield document.error((*at, "name"), invalid(name, problem),
                                 "the name of a ServiceAccount")
        if group:
            yield document.error((*at, "apiGroup"), unsupported(group, [""]),
                                 "no apiGroup: a ServiceAccount is in the core group")
        if not namespaced and not _text(subject.get("namespace")):
            yield document.error((*at, "namespace"), "Required value",
                                 "the namespace of the ServiceAccount")
    elif kind in ("User", "Group"):
        if not name:
            yield document.error((*at, "name"), invalid(name, f"{kind.lower()} name cannot be "
                                                              "empty"), "the subject's name")
        group = group or RBAC_GROUP  # SetDefaults_Subject
        if group != RBAC_GROUP:
            yield document.error((*at, "apiGroup"), unsupported(group, [RBAC_GROUP]),
                                 RBAC_GROUP)
    else:
        yield document.error((*at, "kind"), unsupported(kind, _SUBJECT_KINDS),
                             " or ".join(_SUBJECT_KINDS))


def binding_errors(document: Document, kind: str) -> Iterator[ManifestError]:
    """Every error ``ValidateRoleBinding`` (``kind`` RoleBinding) or
    ``ValidateClusterRoleBinding`` finds in the binding ``document`` holds, once its fields
    have their types (a null ``roleRef`` or ``subjects`` is empty, as Go decodes it)."""
    yield from _role_ref(document, kind, document.data.get("roleRef") or {})
    for index, subject in enumerate(document.data.get("subjects") or []):
        yield from _subject(document, kind == "RoleBinding", index, subject)
