"""A Namespace being deleted, as the API server and the namespace controller show it.

A DELETE of a Namespace does not remove it: the namespace registry's ``REST.Delete``
(kubernetes/kubernetes ``pkg/registry/core/namespace/storage/storage.go``) updates the stored
object in place, setting ``metadata.deletionTimestamp`` to the request's time (a namespace has
no grace period) and ``status.phase`` to ``Terminating``; uid, creation time, labels and
``spec.finalizers: [kubernetes]`` stay. A second DELETE, while the ``kubernetes`` finalizer is
still there, is a 409 Conflict (:data:`PURGE_PENDING`). The namespace controller then deletes
the namespace's content and, on each pass, writes five conditions
(``pkg/controller/namespace/deletion/status_condition_utils.go``): each is False with its
"ok" reason and message unless its failure is seen; ``NamespaceContentRemaining`` is True
while objects remain (counted per resource and API group), ``NamespaceFinalizersRemaining``
True while some of them hold finalizers (counted per finalizer). Once nothing remains, it
removes its finalizer and the namespace goes.

A Terminating namespace can still be changed; only new content in it is refused
(NamespaceLifecycle admission). An update or patch writes its metadata (labels,
annotations, ``metadata.finalizers``) but never its spec or status (``namespaceStrategy.
PrepareForUpdate`` in ``pkg/registry/core/namespace/strategy.go``); ``PUT .../finalize`` (the
registry's ``FinalizeREST``, which serves PUT alone) writes ``spec.finalizers`` too
(``namespaceFinalizeStrategy``). An update that leaves both finalizer lists empty deletes the
namespace there and then (``ShouldDeleteNamespaceDuringUpdate`` in ``storage/storage.go``),
even while content remains: that content stays, orphaned, and goes as its own deletion ends
(:func:`update_terminating`).

Simplified: the simulator's controller deletes the content within the DELETE request, so the
conditions are shown from that instant (their ``lastTransitionTime``) and never fail
discovery or a deletion; a real controller writes them on its first pass, moments later. The
names written to ``spec.finalizers`` are decoded and validated as upstream's
(:func:`finalize_errors`); an Active namespace's ``spec.finalizers`` are not
modelled, so ``/finalize`` is served for a Terminating one only.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.kubernetes import KubernetesCluster
from clustersim.manifests.kubernetes_errors import invalid
from clustersim.manifests.kubernetes_names import STANDARD_FINALIZERS, label_key_problems
from clustersim.serve.core import HttpError
from clustersim.serve.kubedecoding import TIME, struct_error
from clustersim.serve.kuberesources import Resource

__all__ = ["PURGE_PENDING", "check_finalize", "deletion_conditions", "finalize_errors",
           "new_content_refusal", "remaining_content", "status_errors", "update_terminating"]

PURGE_PENDING = ("The system is ensuring all content is removed from this namespace.  Upon "
                 "completion, this namespace will automatically be purged by the system.")
"""Why a Namespace already Terminating refuses another DELETE (``REST.Delete``, the two
spaces as upstream)."""



def new_content_refusal(resource: Resource, name: str, namespace: str) -> HttpError:
    """The NamespaceLifecycle admission plugin's refusal of a create in ``namespace``, which
    is Terminating (``Lifecycle.Admit`` in k8s.io/apiserver ``pkg/admission/plugin/
    namespace/lifecycle/admission.go``): a 403 made by ``admission.NewForbidden``
    (``pkg/admission/errors.go``), which names the resource with its group and the
    object by the request's name, else the body's ``name``, else its ``generateName`` (the
    plugin runs before a name is generated), else ``Unknown``; with one cause of type
    ``NamespaceTerminating`` (``v1.NamespaceTerminatingCause``) on
    ``metadata.namespace``, by which clients tell it from an RBAC refusal (``kubectl drain``
    waits for a Pod its Eviction cannot reach, ``k8s.io/kubectl/pkg/drain/drain.go``, and
    a ReplicaSet controller stops making Pods there). A subresource's create (a Pod's
    Eviction) is refused so too."""
    return HttpError(403, f'{resource.qualified()} "{name}" is forbidden: unable to create '
                     f"new content in namespace {namespace} because it is being terminated",
                     "Forbidden", name=name, group=resource.group, kind=resource.plural,
                     causes=[{"reason": "NamespaceTerminating",
                              "message": f"namespace {namespace} is being terminated",
                              "field": "metadata.namespace"}])


_OK = {   # each condition's "ok" reason and message (okReasons, okMessages)
    "NamespaceDeletionDiscoveryFailure": ("ResourcesDiscovered",
                                          "All resources successfully discovered"),
    "NamespaceDeletionGroupVersionParsingFailure": (
        "ParsedGroupVersions", "All legacy kube types successfully parsed"),
    "NamespaceDeletionContentFailure": (
        "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
    "NamespaceContentRemaining": ("ContentRemoved", "All content successfully removed"),
    "NamespaceFinalizersRemaining": ("ContentRemoved", "All content successfully removed"),
}


def remaining_content(cluster: KubernetesCluster, namespace: str,
                      resources: Iterable[Resource]) -> tuple[dict[str, int], dict[str, int]]:
    """What is left in ``namespace`` of the namespaced ``resources``: the count of objects
    by ``<plural>.<group>`` (``pods.`` for the core group, as upstream formats a
    GroupVersionResource) and by each finalizer they hold."""
    by_resource: dict[str, int] = {}
    by_finalizer: dict[str, int] = {}
    for resource in resources:
        for obj in cluster.objects(resource.kind, namespace):
            if not cluster.exists(obj):
                continue
            key = f"{resource.plural}.{resource.group}"
            by_resource[key] = by_resource.get(key, 0) + 1
            for finalizer in obj["metadata"].get("finalizers") or ():
                by_finalizer[finalizer] = by_finalizer.get(finalizer, 0) + 1
    return by_resource, by_finalizer


def deletion_conditions(by_resource: Mapping[str, int], by_finalizer: Mapping[str, int],
                        since: str) -> list[dict[str, Any]]:
    """The namespace controller's conditions of a Terminating namespace with what is left
    (:func:`remaining_content`), in its order (``conditionTypes``), each transitioned at
    ``since`` (RFC 3339)."""
    out = []
    for kind, (reason, message) in _OK.items():
        status = "False"
        if kind == "NamespaceContentRemaining" and by_resource:
            status, reason = "True", "SomeResourcesRemain"
            message = "Some resources are remaining: " + ", ".join(sorted(
                f"{key} has {count} resource instances" for key, count in by_resource.items()))
        elif kind == "NamespaceFinalizersRemaining" and by_finalizer:
            status, reason = "True", "SomeFinalizerRemain"
            message = "Some finalizers are remaining: " + ", ".join(sorted(
                f"{name} in {count} resource instances" for name, count in by_finalizer.items()))
        out.append({"type": kind, "status": status, "lastTransitionTime": since,
                    "reason": reason, "message": message})
    return out


def update_terminating(kept: dict[str, Any], new: Mapping[str, Any], *, finalize: bool) -> bool:
    """Write an update of a Terminating namespace into ``kept`` (its stored form): the
    metadata the user may change, and, through ``/finalize`` (``finalize``), its
    ``spec.finalizers``. True when no finalizer is left in either list: the registry then
    deletes it during the update (``ShouldDeleteNamespaceDuringUpdate``)."""
    meta = new.get("metadata") or {}
    for field in ("labels", "annotations", "finalizers"):
        if meta.get(field):
            kept["metadata"][field] = copy.deepcopy(meta[field])
        else:
            kept["metadata"].pop(field, None)
    if finalize:
        finalizers = (new.get("spec") or {}).get("finalizers") or []
        kept["spec"] = {"finalizers": list(finalizers)} if finalizers else {}
    return not kept["spec"].get("finalizers") and not kept["metadata"].get("finalizers")


def check_finalize(method: str, name: str, terminating: bool) -> None:
    """Refuse what ``/finalize`` does not serve: a method but PUT (``FinalizeREST`` is an
    update alone), and, in the simulator only, an Active namespace."""
    if method != "PUT":
        raise HttpError(405, "the server does not allow this method on the requested "
                        "resource", "MethodNotAllowed")
    if not terminating:
        raise HttpError(405, f'namespaces "{name}" is not being deleted: the simulated API '
                        "server keeps an Active namespace's spec.finalizers as "
                        "[kubernetes] (a real one would write the ones sent)",
                        "MethodNotAllowed")


_NAMESPACE_SPEC = {"v1.NamespaceSpec": {"finalizers": "[]v1.FinalizerName"}}
"""core/v1 ``NamespaceSpec``'s one field by its Go type (k8s.io/api ``core/v1/types.go``)."""


def finalize_errors(spec: Any) -> tuple[str | None, list[str]]:
    """The decoder's error for the ``spec`` a ``/finalize`` writes (None if it decodes:
    ``"finalizers": "x"`` is ``json: cannot unmarshal string into Go struct field
    NamespaceSpec.spec.finalizers of type []v1.FinalizerName``) and the problems of
    ``ValidateNamespaceFinalizeUpdate`` (kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``), each at ``spec.finalizers[i]``: its
    ``validateFinalizerName`` takes apimachinery's ``ValidateFinalizerName`` (the name a
    qualified name, ``IsQualifiedName``: at most 63 characters after an optional DNS
    subdomain prefix) and then ``validateKubeFinalizerName`` (a name without '/' must be
    one of :data:`~clustersim.manifests.kubernetes_names.STANDARD_FINALIZERS`). As
    upstream, a name may come twice and the list has no length limit but the request's
    size; a ``null`` entry is the empty name."""
    why = struct_error(spec, "v1.NamespaceSpec", _NAMESPACE_SPEC, "Namespace.spec")
    if why or not isinstance(spec, dict):
        return why, []
    problems = []
    for index, name in enumerate(spec.get("finalizers") or []):
        name = name or ""
        at = f"spec.finalizers[{index}]: "
        problems += [at + invalid(name, problem) for problem in label_key_problems(name)]
        if "/" not in name and name not in STANDARD_FINALIZERS:
            problems.append(at + invalid(name, "name is neither a standard finalizer name nor "
                                         "is it fully qualified"))
    return None, problems


_NAMESPACE_STATUS = {
    "v1.NamespaceStatus": {"phase": "v1.NamespacePhase",
                           "conditions": "[]v1.NamespaceCondition"},
    "v1.NamespaceCondition": {"type": "v1.NamespaceConditionType",
                              "status": "v1.ConditionStatus",
                              "lastTransitionTime": "metav1.Time", "reason": "string",
                              "message": "string"},
}
"""core/v1 ``NamespaceStatus`` and its conditions by their Go types (k8s.io/api
``core/v1/types.go``)."""


def status_errors(status: Any, deleting: bool) -> tuple[str | None, list[str]]:
    """The decoder's error for the ``status`` a write to ``/status`` gives a Namespace (None
    if it decodes: ``"phase": 1`` is ``json: cannot unmarshal number into Go struct field
    NamespaceStatus.status.phase of type v1.NamespacePhase``) and the problem
    ``ValidateNamespaceStatusUpdate`` (kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``) finds in its phase: ``Active`` while the
    namespace has no ``deletionTimestamp``, ``Terminating`` once it has one, anything else
    (a missing phase too, Go's empty string) ``field.Invalid`` at ``status.Phase``.
    A status that passes is stored, its conditions with it (``namespaceStatusStrategy``
    resets only the spec, ``pkg/registry/core/namespace/strategy.go``:
    :mod:`~clustersim.serve.kubestatuswrites`)."""
    why = struct_error(status, "v1.NamespaceStatus", _NAMESPACE_STATUS, "Namespace.status",
                       TIME)
    if why:
        return why, []
    phase = (status.get("phase") if isinstance(status, dict) else None) or ""
    wanted, rule = (("Terminating", "may only be 'Terminating' if `deletionTimestamp` is not "
                     "empty") if deleting else
                    ("Active", "may only be 'Active' if `deletionTimestamp` is empty"))
    return None, [] if phase == wanted else [f"status.Phase: {invalid(phase, rule)}"]
