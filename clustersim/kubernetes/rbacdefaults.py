"""The ClusterRoles and ClusterRoleBindings every new cluster has (the API server's
``rbac/bootstrap-roles`` post-start hook): the user-facing roles ``cluster-admin``, ``admin``,
``edit`` and ``view``, with ``cluster-admin`` bound to the group ``system:masters``; and the
roles that every user has through a group: ``system:basic-user`` (ask what you may do:
``kubectl auth can-i``, ``auth whoami``) and ``system:discovery`` (read the API's discovery
documents) for ``system:authenticated``, ``system:public-info-viewer`` (health and version)
for ``system:authenticated`` and ``system:unauthenticated``, and
``system:service-account-issuer-discovery`` (the service-account token issuer's OpenID
documents) for ``system:serviceaccounts``; and the one binding ``kubeadm init`` adds,
``kubeadm:cluster-admins`` (:func:`cluster_role_bindings`).

Rules from ``plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go`` (kubernetes/kubernetes,
read December 2026; the user-facing roles are described at
https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles, as of
December 2026). ``admin``, ``edit`` and ``view`` are aggregated ClusterRoles: upstream stores
them with an ``aggregationRule`` and the clusterrole-aggregation controller fills their rules
from the roles labelled ``rbac.authorization.k8s.io/aggregate-to-<name>: "true"``
(``system:aggregate-to-view`` and so on). Here their rules are that union, written out: ``edit``
has ``view``'s rules and its own, ``admin`` has ``edit``'s and its own.

Simplified: the roles of the control plane's own components (``system:node``,
``system:kube-scheduler``, the ``system:controller:*`` roles, ...) and their bindings are left
out, as no component here asks the API server with its own identity; roles labelled to
aggregate into ``view`` later are not added to it.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["cluster_role_bindings", "cluster_roles", "defaults"]

_READ = ["get", "list", "watch"]
_WRITE = ["create", "delete", "deletecollection", "patch", "update"]
_LABELS = {"kubernetes.io/bootstrapping": "rbac-defaults"}
_ANNOTATIONS = {"rbac.authorization.kubernetes.io/autoupdate": "true"}


def _rule(verbs: list[str], group: str, *resources: str) -> dict[str, Any]:
    return {"verbs": list(verbs), "apiGroups": [group], "resources": list(resources)}


_VIEW = [
    _rule(_READ, "", "pods", "replicationcontrollers", "replicationcontrollers/scale",
          "serviceaccounts", "services", "services/status", "endpoints",
          "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"),
    _rule(_READ, "", "limitranges", "resourcequotas", "bindings", "events", "pods/status",
          "resourcequotas/status", "namespaces/status", "replicationcontrollers/status",
          "pods/log"),
    _rule(_READ, "", "namespaces"),
    _rule(_READ, "discovery.k8s.io", "endpointslices"),
    _rule(_READ, "apps", "controllerrevisions", "statefulsets", "statefulsets/status",
          "statefulsets/scale", "daemonsets", "daemonsets/status", "deployments",
          "deployments/status", "deployments/scale", "replicasets", "replicasets/status",
          "replicasets/scale"),
    _rule(_READ, "autoscaling", "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
    _rule(_READ, "batch", "jobs", "cronjobs", "cronjobs/status", "jobs/status"),
    _rule(_READ, "policy", "poddisruptionbudgets", "poddisruptionbudgets/status"),
    _rule(_READ, "networking.k8s.io", "networkpolicies", "ingresses", "ingresses/status"),
]
_EDIT_OWN = [
    _rule(_READ, "", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
          "services/proxy"),
    _rule(["impersonate"], "", "serviceaccounts"),
    _rule(_WRITE, "", "pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
    _rule(["create"], "", "pods/eviction"),
    _rule(_WRITE, "", "replicationcontrollers", "replicationcontrollers/scale",
          "serviceaccounts", "services", "services/proxy", "persistentvolumeclaims",
          "configmaps", "secrets"),
    _rule(["create"], "", "serviceaccounts/token"),
    _rule(_WRITE, "apps", "statefulsets", "statefulsets/scale", "daemonsets", "deployments",
          "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"),
    _rule(_WRITE, "autoscaling", "horizontalpodautoscalers"),
    _rule(_WRITE, "batch", "jobs", "cronjobs"),
    _rule(_WRITE, "policy", "poddisruptionbudgets"),
    _rule(_WRITE, "networking.k8s.io", "networkpolicies", "ingresses"),
]
_ADMIN_OWN = [
    _rule(["create"], "authorization.k8s.io", "localsubjectaccessreviews"),
    _rule(_READ + _WRITE, "rbac.authorization.k8s.io", "roles", "rolebindings"),
]


_SELF_REVIEWS = [
    _rule(["create"], "authorization.k8s.io", "selfsubjectaccessreviews",
          "selfsubjectrulesreviews"),
    _rule(["create"], "authentication.k8s.io", "selfsubjectreviews"),
]
_HEALTH = ["/livez", "/readyz", "/healthz", "/version", "/version/"]
_DISCOVERY = [*_HEALTH, "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"]
_ISSUER = ["/.well-known/openid-configuration", "/.well-known/openid-configuration/",
           "/openid/v1/jwks", "/openid/v1/jwks/"]
_SYSTEM_ROLES = {
    "system:basic-user": (_SELF_REVIEWS, ["system:authenticated"]),
    "system:discovery": ([{"verbs": ["get"], "nonResourceURLs": _DISCOVERY}],
                         ["system:authenticated"]),
    "system:public-info-viewer": ([{"verbs": ["get"], "nonResourceURLs": _HEALTH}],
                                  ["system:authenticated", "system:unauthenticated"]),
    "system:service-account-issuer-discovery": ([{"verbs": ["get"], "nonResourceURLs": _ISSUER}],
                                                ["system:serviceaccounts"]),
}
"""Each role every user has through a group: its rules and the groups bound to it."""


def _meta(name: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {"name": name, "labels": {**_LABELS, **(labels or {})},
            "annotations": dict(_ANNOTATIONS), "creationTimestamp": 0.0}


def _aggregated(name: str, rules: list[dict[str, Any]],
                labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": _meta(name, labels),
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {
                f"rbac.authorization.k8s.io/aggregate-to-{name}": "true"}}]},
            "rules": rules}


def _binding(name: str, subjects: list[dict[str, str]]) -> dict[str, Any]:
    """A ClusterRoleBinding of the ClusterRole ``name`` under the same name."""
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": _meta(name),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": name},
            "subjects": subjects}


def _group(name: str) -> dict[str, str]:
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": name}


def cluster_roles() -> list[dict[str, Any]]:
    """``cluster-admin`` (everything), the aggregated ``admin``, ``edit``, ``view``, and the
    ``system:`` roles that every user has through a group."""
    edit = _VIEW + _EDIT_OWN
    return [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
         "metadata": _meta("cluster-admin"),
         "rules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
                   {"verbs": ["*"], "nonResourceURLs": ["*"]}]},
        _aggregated("admin", edit + _ADMIN_OWN),
        _aggregated("edit", edit, {"rbac.authorization.k8s.io/aggregate-to-admin": "true"}),
        _aggregated("view", _VIEW, {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}),
        *({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
           "metadata": _meta(name), "rules": copy.deepcopy(rules)}
          for name, (rules, _) in _SYSTEM_ROLES.items()),
    ]


def cluster_role_bindings() -> list[dict[str, Any]]:
    """``cluster-admin`` for the group ``system:masters``, each ``system:`` role for its
    groups, and the binding ``kubeadm init`` adds (since v1.29, KEP-4214):
    ``kubeadm:cluster-admins``, ``cluster-admin`` for the group of that name, in which its
    admin kubeconfig's user is (``EnsureAdminClusterRoleBinding`` in kubernetes/kubernetes
    ``cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go``; only ``super-admin.conf``'s user
    is in ``system:masters``)."""
    return [_binding("cluster-admin", [_group("system:masters")]),
            {**_binding("cluster-admin", [_group("kubeadm:cluster-admins")]),
             "metadata": {"name": "kubeadm:cluster-admins", "creationTimestamp": 0.0}},
            *(_binding(name, [_group(g) for g in groups])
              for name, (_, groups) in _SYSTEM_ROLES.items())]


def defaults(kind: str) -> list[dict[str, Any]]:
    """The default objects of ``kind`` (none for other kinds than the two cluster-wide ones)."""
    return {"ClusterRole": cluster_roles, "ClusterRoleBinding": cluster_role_bindings}.get(
        kind, list)()
