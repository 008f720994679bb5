"""API versions that Kubernetes has removed, and the rules that differed in them.

Source: the Kubernetes deprecated API migration guide,
https://kubernetes.io/docs/reference/using-api/deprecation-guide/ (as of November 2026).
Manifests written for a removed version still load, so that old examples can be studied, but
the spec carries a warning that names the release that removed the version and what to use.

In ``extensions/v1beta1`` and ``apps/v1beta1`` a workload's ``spec.selector`` was optional and
defaulted to the template's labels (kubernetes/kubernetes ``pkg/apis/extensions/v1beta1/
defaults.go``, removed); ``apps/v1`` requires it and never defaults it.
"""

from __future__ import annotations

__all__ = ["REMOVED_KINDS", "SELECTOR_DEFAULTED", "SELECTOR_KINDS", "SERVED", "group_kind",
           "removed_warning", "unknown_version"]

# The version each kind the simulator models is served in today (kubectl api-resources).
_RBAC = "rbac.authorization.k8s.io/v1"
SERVED: dict[str, str] = {
    **dict.fromkeys(
        ("Pod", "Service", "ConfigMap", "Secret", "Namespace", "PersistentVolumeClaim",
         "ReplicationController"),
        "v1",
    ),
    **dict.fromkeys(("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"), "apps/v1"),
    **dict.fromkeys(("Job", "CronJob"), "batch/v1"),
    **dict.fromkeys(("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"), _RBAC),
}


def group_kind(kind: str) -> str:
    """A kind of :data:`SERVED` as the API server's errors name it, qualified by its group
    (``Deployment.apps``, ``Job.batch``), a kind of the core group alone
    (``ReplicationController``): ``GroupKind.String`` in apimachinery
    ``pkg/runtime/schema/group_version.go`` leaves out an empty group."""
    group = SERVED[kind].rpartition("/")[0]
    return f"{kind}.{group}" if group else kind


# (apiVersion, kind) → (release that stopped serving it, the version to use instead)
_REMOVED: dict[tuple[str, str], tuple[str, str]] = {
    **{
        ("extensions/v1beta1", kind): ("1.16", "apps/v1")
        for kind in ("Deployment", "DaemonSet", "ReplicaSet")
    },
    **{("apps/v1beta1", kind): ("1.16", "apps/v1") for kind in ("Deployment", "StatefulSet")},
    **{
        ("apps/v1beta2", kind): ("1.16", "apps/v1")
        for kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
    },
    ("extensions/v1beta1", "Ingress"): ("1.22", "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "Ingress"): ("1.22", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "NetworkPolicy"): ("1.16", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "PodSecurityPolicy"): ("1.16", "policy/v1beta1"),
    ("policy/v1beta1", "PodSecurityPolicy"): ("1.25", "Pod Security Admission"),
    ("policy/v1beta1", "PodDisruptionBudget"): ("1.25", "policy/v1"),
    ("batch/v1beta1", "CronJob"): ("1.25", "batch/v1"),
    ("batch/v2alpha1", "CronJob"): ("1.21", "batch/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): ("1.25", "autoscaling/v2"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("1.26", "autoscaling/v2"),
    ("storage.k8s.io/v1beta1", "StorageClass"): ("1.22", "storage.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"): ("1.22", "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"): (
        "1.22",
        "rbac.authorization.k8s.io/v1",
    ),
    ("rbac.authorization.k8s.io/v1beta1", "Role"): ("1.22", "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"): ("1.22", "rbac.authorization.k8s.io/v1"),
}

SELECTOR_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"})
SELECTOR_DEFAULTED = frozenset({"extensions/v1beta1", "apps/v1beta1"})


REMOVED_KINDS = frozenset(kind for _, kind in _REMOVED)
"""The kinds a removed API version served (each is served in another version today)."""


def unknown_version(api_version: str, kind: str) -> str | None:
    """kubectl's refusal when a modelled kind is given a version that never served it (e.g. a
    Deployment in ``v1``), or ``None``. Removed versions load with a warning instead."""
    if kind not in SERVED or api_version == SERVED[kind] or (api_version, kind) in _REMOVED:
        return None
    return (
        f'no matches for kind "{kind}" in version "{api_version}" (kubectl apply: "resource '
        'mapping not found"; the kind is served in another API group or version)'
    )


def removed_warning(api_version: str, kind: str) -> str | None:
    """A sentence saying that ``apiVersion``/``kind`` is no longer served, or ``None``."""
    found = _REMOVED.get((api_version, kind))
    if found is None:
        return None
    release, replacement = found
    return (
        f"{kind} in {api_version} is no longer served since Kubernetes {release}: "
        f'kubectl apply fails with \'no matches for kind "{kind}" in version '
        f'"{api_version}"\'; use {replacement}'
    )
