"""The API resources the simulated API server offers, and the discovery documents that list
them (``/api``, ``/apis``, ``/apis/<group>``, ``/api/v1``, ``/apis/<group>/<version>``).

Shapes as in ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go`` (``APIVersions``,
``APIGroupList``, ``APIResourceList``); names, short names and categories as a v1.37 API
server reports them (``kubectl api-resources``). Only kinds the simulator stores or derives
are offered, so ``kubectl`` reports anything else as an unknown resource type.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from clustersim.release import SERVED_VERSION
from clustersim.schemas import kubernetes_definitions

__all__ = ["DERIVED", "NAMESPACED", "RESOURCES", "Resource", "api_group", "api_group_list",
           "api_resource_list", "api_versions", "by_kind", "find", "openapi_v3_document",
           "openapi_v3_root"]

_RETURNS_DELETED = frozenset({"Namespace", "PersistentVolume", "PersistentVolumeClaim", "Pod",
                              "ResourceQuota", "Service", "ServiceAccount", "StorageClass"})
"""The kinds whose registry sets ``ReturnDeletedObject: true`` (each one's
``pkg/registry/<group>/<resource>/storage/storage.go`` in kubernetes/kubernetes): a DELETE
that removes one answers the object; every other kind answers a Status
(``Store.finalizeDelete``)."""

_RW = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
_RO = ("get", "list", "watch")


@dataclass(frozen=True)
class Resource:
    """One resource: ``pods`` in group ``""`` version ``v1``, kind ``Pod``."""

    kind: str
    plural: str
    group: str
    version: str
    namespaced: bool
    short: tuple[str, ...] = ()
    verbs: tuple[str, ...] = _RW
    all_category: bool = False
    scale: bool = False
    status: bool = True     # a status subresource
    singular_name: str | None = None
    """The ``singularName`` discovery reports, when not the kind in lower case."""

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower() if self.singular_name is None else self.singular_name

    @property
    def returns_deleted(self) -> bool:
        """Does a DELETE that removes an object of this kind answer the object (not a
        Status)? (:data:`_RETURNS_DELETED`)"""
        return self.kind in _RETURNS_DELETED

    def qualified(self) -> str:
        """``deployments.apps`` (kubectl's name for the resource in messages)."""
        return f"{self.plural}.{self.group}" if self.group else self.plural


RESOURCES: tuple[Resource, ...] = (
    Resource("Pod", "pods", "", "v1", True, ("po",), all_category=True),
    Resource("Service", "services", "", "v1", True, ("svc",), all_category=True),
    Resource("Node", "nodes", "", "v1", False, ("no",),
             ("create", "delete", "deletecollection", "get", "list", "patch", "update",
              "watch")),
    Resource("Namespace", "namespaces", "", "v1", False, ("ns",),
             ("create", "delete", "get", "list", "patch", "update", "watch")),
    Resource("Event", "events", "", "v1", True, ("ev",), _RO),
    Resource("ConfigMap", "configmaps", "", "v1", True, ("cm",), status=False),
    Resource("Secret", "secrets", "", "v1", True, status=False),
    Resource("ServiceAccount", "serviceaccounts", "", "v1", True, ("sa",), status=False),
    Resource("PersistentVolumeClaim", "persistentvolumeclaims", "", "v1", True, ("pvc",)),
    Resource("PersistentVolume", "persistentvolumes", "", "v1", False, ("pv",),
             (*_RO, "delete", "deletecollection")),    # made by provisioners only
    Resource("StorageClass", "storageclasses", "storage.k8s.io", "v1", False, ("sc",),
             status=False),
    Resource("ResourceQuota", "resourcequotas", "", "v1", True, ("quota",)),
    Resource("LimitRange", "limitranges", "", "v1", True, ("limits",), status=False),
    Resource("ReplicationController", "replicationcontrollers", "", "v1", True, ("rc",),
             all_category=True, scale=True),
    Resource("Deployment", "deployments", "apps", "v1", True, ("deploy",),
             all_category=True, scale=True),
    Resource("ReplicaSet", "replicasets", "apps", "v1", True, ("rs",), all_category=True,
             scale=True),
    Resource("StatefulSet", "statefulsets", "apps", "v1", True, ("sts",), all_category=True,
             scale=True),
    Resource("DaemonSet", "daemonsets", "apps", "v1", True, ("ds",), all_category=True),
    # made by the StatefulSet and DaemonSet controllers only (a real server also takes them
    # from users): clustersim.kubernetes.controllers.history
    Resource("ControllerRevision", "controllerrevisions", "apps", "v1", True, (),
             (*_RO, "delete", "deletecollection"), status=False),
    Resource("Job", "jobs", "batch", "v1", True, (), all_category=True),
    Resource("CronJob", "cronjobs", "batch", "v1", True, ("cj",), all_category=True),
    Resource("HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling", "v2", True,
             ("hpa",), all_category=True),
    Resource("EndpointSlice", "endpointslices", "discovery.k8s.io", "v1", True, (), _RO),
    Resource("Endpoints", "endpoints", "", "v1", True, ("ep",), _RO),
    Resource("PodDisruptionBudget", "poddisruptionbudgets", "policy", "v1", True, ("pdb",)),
    Resource("NetworkPolicy", "networkpolicies", "networking.k8s.io", "v1", True, ("netpol",)),
    # stored and validated, with no ingress controller: an Ingress's status stays empty
    Resource("Ingress", "ingresses", "networking.k8s.io", "v1", True, ("ing",)),
    Resource("IngressClass", "ingressclasses", "networking.k8s.io", "v1", False, (),
             status=False),
    Resource("PriorityClass", "priorityclasses", "scheduling.k8s.io", "v1", False, ("pc",),
             status=False),
    Resource("Role", "roles", "rbac.authorization.k8s.io", "v1", True, status=False),
    Resource("RoleBinding", "rolebindings", "rbac.authorization.k8s.io", "v1", True,
             status=False),
    Resource("ClusterRole", "clusterroles", "rbac.authorization.k8s.io", "v1", False,
             status=False),
    Resource("ClusterRoleBinding", "clusterrolebindings", "rbac.authorization.k8s.io", "v1",
             False, status=False),
    # ``kubectl auth can-i`` (and ``--list``): asked, answered, never stored
    Resource("SelfSubjectAccessReview", "selfsubjectaccessreviews", "authorization.k8s.io",
             "v1", False, (), ("create",), status=False),
    Resource("SelfSubjectRulesReview", "selfsubjectrulesreviews", "authorization.k8s.io",
             "v1", False, (), ("create",), status=False),
    Resource("SubjectAccessReview", "subjectaccessreviews", "authorization.k8s.io",
             "v1", False, (), ("create",), status=False),
    # ``kubectl auth whoami``
    Resource("SelfSubjectReview", "selfsubjectreviews", "authentication.k8s.io", "v1", False,
             (), ("create",), status=False),
    Resource("Lease", "leases", "coordination.k8s.io", "v1", True, (), _RO),
    # metrics-server's resource metrics, as its APIService adds them (pkg/api/install.go:
    # get and list, no singular name), read by kubectl top: clustersim.serve.kubemetrics
    Resource("NodeMetrics", "nodes", "metrics.k8s.io", "v1beta1", False, (), ("get", "list"),
             status=False, singular_name=""),
    Resource("PodMetrics", "pods", "metrics.k8s.io", "v1beta1", True, (), ("get", "list"),
             status=False, singular_name=""),
)

DERIVED = frozenset({"Node", "Namespace", "Event", "EndpointSlice", "Endpoints", "Lease"})
"""The kinds the simulator keeps no object for, made on each read
(:mod:`~clustersim.serve.kubederived`)."""
NAMESPACED = tuple(r for r in RESOURCES if r.namespaced and r.kind not in DERIVED)
"""The namespaced resources the simulator stores, which a namespace's deletion deletes."""

# each served group with the one version it is served at (a real API server serves several
# and prefers the newest stable one, which is this one); metrics.k8s.io (v1beta1), served by
# metrics-server through the aggregation layer, comes last, as its APIService's priority
# puts it
_VERSIONS = {"": "v1", "apps": "v1", "autoscaling": "v2", "batch": "v1",
             "coordination.k8s.io": "v1", "discovery.k8s.io": "v1", "networking.k8s.io": "v1",
             "policy": "v1", "scheduling.k8s.io": "v1", "rbac.authorization.k8s.io": "v1",
             "authorization.k8s.io": "v1", "authentication.k8s.io": "v1", "storage.k8s.io": "v1",
             "metrics.k8s.io": "v1beta1"}
_GROUPS = tuple(_VERSIONS)
_OLDER = {"autoscaling": ("v1",)}
"""Versions served beside a group's preferred one, listed after it: autoscaling/v1, a view
of the v2 HorizontalPodAutoscalers (:mod:`clustersim.serve.kubeautoscalingv1`)."""


def find(group: str, version: str, plural: str) -> Resource | None:
    """The resource served at ``/apis/<group>/<version>/<plural>``, or None."""
    for resource in RESOURCES:
        if (resource.group, resource.version, resource.plural) == (group, version, plural):
            return resource
    return None


def by_kind(kind: str) -> Resource | None:
    """The resource of ``kind`` (``Deployment``), or None."""
    return next((r for r in RESOURCES if r.kind == kind), None)


def api_versions(address: str) -> dict:
    """``GET /api``."""
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                            "serverAddress": address}]}


def api_group_list() -> dict:
    """``GET /apis``: every named group (:func:`api_group`)."""
    return {"kind": "APIGroupList", "apiVersion": "v1",
            "groups": [_group(group) for group in _GROUPS[1:]]}


def api_group(group: str) -> dict | None:
    """``GET /apis/<group>``: the group's own ``APIGroup``, as it appears in
    :func:`api_group_list` (the API server registers one handler per group with that same
    object: ``apiGroupDiscoveryHandler``, k8s.io/apiserver ``pkg/endpoints/discovery/
    group.go``); None for a group that is not served (the core group has no such path)."""
    if not group or group not in _VERSIONS:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(group)}


def _group(group: str) -> dict:
    """A named group with its versions, the preferred one first."""
    versions = [{"groupVersion": f"{group}/{v}", "version": v}
                for v in (_VERSIONS[group], *_OLDER.get(group, ()))]
    return {"name": group, "versions": versions, "preferredVersion": versions[0]}


def api_resource_list(group: str, version: str) -> dict | None:
    """``GET /api/v1`` or ``/apis/<group>/<version>``, with the status and scale
    subresources; None for a group version that is not served."""
    if _VERSIONS.get(group) != version and version not in _OLDER.get(group, ()):
        return None
    resources = []
    for r in RESOURCES:
        if r.group != group:
            continue
        entry = {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
                 "kind": r.kind, "verbs": sorted(r.verbs)}     # sorted, as the installer
        # sorts them (registerResourceHandlers, k8s.io/apiserver pkg/endpoints/installer.go)
        if r.short:
            entry["shortNames"] = list(r.short)
        if r.all_category:
            entry["categories"] = ["all"]
        resources.append(entry)
        if "update" in r.verbs and r.status:
            resources.append({"name": f"{r.plural}/status", "singularName": "",
                              "namespaced": r.namespaced, "kind": r.kind,
                              "verbs": ["get", "patch", "update"]})
        if r.scale:
            resources.append({"name": f"{r.plural}/scale", "singularName": "",
                              "namespaced": True, "group": "autoscaling", "version": "v1",
                              "kind": "Scale", "verbs": ["get", "patch", "update"]})
        if r.kind == "Pod":
            resources.append({"name": "pods/log", "singularName": "", "namespaced": True,
                              "kind": "Pod", "verbs": ["get"]})
            resources.append({"name": "pods/eviction", "singularName": "", "namespaced": True,
                              "group": "policy", "version": "v1", "kind": "Eviction",
                              "verbs": ["create"]})
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group}/{version}" if group else version,
            "resources": resources}


def _gv_path(group: str) -> str:
    return "api/v1" if not group else f"apis/{group}/{_VERSIONS[group]}"


def openapi_v3_root() -> dict:
    """``GET /openapi/v3``: where each group version's document is. The ``hash`` lets
    kubectl keep a document in its cache, as it does with a real API server's."""
    return {"paths": {_gv_path(g): {"serverRelativeURL": f"/openapi/v3/{_gv_path(g)}?hash="
                                    + _document_hash(g)} for g in _GROUPS}}


def openapi_v3_document(path: str) -> dict | None:
    """``GET /openapi/v3/<api/v1 | apis/group/version>``: each resource's PATCH operation with its
    ``x-kubernetes-group-version-kind`` and the ``fieldValidation`` query parameter, which is
    what kubectl looks for before it leaves validation to the server
    (``kubectl/pkg/cmd/util/factory_client_access.go``,
    ``cli-runtime/pkg/resource/query_param_verifier_v3.go``), and in
    ``components.schemas`` the API types of the pinned release that the group's kinds use,
    for ``kubectl explain`` (:func:`clustersim.schemas.kubernetes_definitions`)."""
    group = next((g for g in _GROUPS if _gv_path(g) == path.strip("/")), None)
    return None if group is None else _document(group)


@cache
def _document(group: str) -> dict:
    paths = {}
    for r in RESOURCES:
        if r.group != group:
            continue
        prefix = f"/{_gv_path(group)}" + ("/namespaces/{namespace}" if r.namespaced else "")
        operation = {
            "x-kubernetes-group-version-kind": {"group": group, "version": _VERSIONS[group],
                                                "kind": r.kind},
            "parameters": [{"name": "fieldValidation", "in": "query",
                            "schema": {"type": "string", "uniqueItems": True}}],
            "responses": {"200": {"description": "OK"}}}
        paths[f"{prefix}/{r.plural}/{{name}}"] = {"patch": operation}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes (clustersim)",
                                         "version": SERVED_VERSION}, "paths": paths,
            "components": {"schemas": _schemas(group)}}


def _schemas(group: str) -> dict[str, dict]:
    """The schemas of the group's kinds and every type they refer to, their ``$ref`` links
    pointing into ``components.schemas``."""
    definitions = kubernetes_definitions()
    kinds = {r.kind for r in RESOURCES if r.group == group}
    todo = [name for name, schema in definitions.items()
            if any(gvk.get("group") == group and gvk.get("version") == _VERSIONS[group]
                   and gvk.get("kind") in kinds
                   for gvk in schema.get("x-kubernetes-group-version-kind") or [])]
    found: dict[str, dict] = {}
    while todo:
        name = todo.pop()
        if name in found or name not in definitions:
            continue
        text = json.dumps(definitions[name])
        todo.extend(re.findall(r'"#/\$defs/([^"]+)"', text))
        schema = _openapi(json.loads(text.replace('"#/$defs/', '"#/components/schemas/')))
        for field in ("apiVersion", "kind"):     # kubernetes-validate's own addition
            (schema.get("properties") or {}).get(field, {}).pop("enum", None)
        found[name] = schema
    return dict(sorted(found.items()))


def _openapi(value: Any) -> Any:
    """A JSON schema in OpenAPI's dialect: kubernetes-validate wrote optional fields as
    ``"type": ["string", "null"]``, OpenAPI (and kubectl's explain templates) want one type."""
    if isinstance(value, list):
        return [_openapi(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _openapi(v) for k, v in value.items()}
    kind = out.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) == 1:
            out["type"] = kinds[0]
        else:
            out.pop("type")
    return out


@cache
def _document_hash(group: str) -> str:
    text = json.dumps(_document(group), sort_keys=True).encode()
    return hashlib.sha512(text).hexdigest()[:32].upper()
