"""Kubernetes manifests → :class:`KubernetesSpec` objects (one per object, ``List`` expanded).

``kubectl apply -f`` reads every YAML document of a file, and expands ``List`` objects (and
any ``<Kind>List`` with ``items``) into their items (kubernetes/cli-runtime
``pkg/resource/visitor.go``, ``FlattenListVisitor``). Names come from ``metadata.name``
(or ``generateName``), the namespace defaults to ``default``. No defaults are applied to the
manifest: the simulators apply the upstream defaults themselves.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from clustersim.manifests.errors import ManifestError, format_path, together
from clustersim.manifests.kubernetes_annotations import check_pod_annotations
from clustersim.manifests.kubernetes_checks import (
    POD_SPEC_PATHS,
    check_object,
    finalizer_errors,
    pod_warnings,
)
from clustersim.manifests.kubernetes_fields import (
    in_sent_order,
    strict_decoding_error,
    strict_decoding_problems,
    unknown_fields_meant,
)
from clustersim.manifests.kubernetes_types import KIND_MODELS, OtherObject
from clustersim.manifests.kubernetes_versions import (
    REMOVED_KINDS,
    SERVED,
    removed_warning,
    unknown_version,
)
from clustersim.manifests.kubernetes_workloads import kubernetes_workloads, pod_spec
from clustersim.manifests.safe_yaml import Document, without_nulls
from clustersim.manifests.specs import Spec
from clustersim.manifests.validation import found_text, validate_object
from clustersim.manifests.workload import Workload

__all__ = ["SIMULATED_KINDS", "KubernetesSpec", "load_kubernetes", "metadata_errors"]

SIMULATED_KINDS = frozenset(
    {
        "Pod",
        "Deployment",
        "ReplicaSet",
        "ReplicationController",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Service",
        "PersistentVolumeClaim",
        "ConfigMap",
        "Secret",
        "Namespace",
        "HorizontalPodAutoscaler",
        "ResourceQuota",
        "LimitRange",
        "PriorityClass",
        "NetworkPolicy",
    }
)
# Objects that live outside any namespace (kubectl api-resources --namespaced=false).
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "StorageClass",
        "CustomResourceDefinition",
        "PriorityClass",
        "IngressClass",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "RuntimeClass",
        "APIService",
        "CSIDriver",
        "VolumeAttachment",
        "PodSecurityPolicy",
    }
)


class KubernetesSpec(Spec):
    """One Kubernetes object; ``manifest`` is the object as written (no defaults applied)."""

    @property
    def api_version(self) -> str:
        return self.manifest["apiVersion"]

    def workloads(self) -> list[Workload]:
        """The pods this object asks for (none for Services, ConfigMaps, other kinds)."""
        return kubernetes_workloads(self.kind, self.name, self.typed)


def _require_text(document: Document, data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise document.error(
            (key,),
            f"{key} is {'missing' if value is None else found_text(value)}",
            {
                "apiVersion": 'an API version such as "apps/v1"',
                "kind": 'a kind such as "Deployment"',
            }[key],
        )
    return value


def _kind_in_another_case(kind: str, api_version: str) -> str | None:
    """The kind a built-in API group serves that ``kind`` spells in another case
    (``statefulset``), or ``None``. kubectl's REST mapping matches a kind as written, so it
    finds no resource for it ('no matches for kind "statefulset" in version "apps/v1"');
    a custom resource's group (one with a dot, not ``*.k8s.io``) may name any kind."""
    group = api_version.rpartition("/")[0]
    if "." in group and not group.endswith(".k8s.io"):
        return None
    known = {name.lower(): name for name in (*KIND_MODELS, *SERVED, *SIMULATED_KINDS,
                                             *CLUSTER_SCOPED_KINDS, *REMOVED_KINDS)}
    meant = known.get(kind.lower())
    return meant if meant != kind else None


def load_kubernetes(document: Document) -> list[KubernetesSpec]:
    """The objects in one Kubernetes document, ``List`` items expanded, in order."""
    data = document.data
    kind = _require_text(document, data, "kind")
    _require_text(document, data, "apiVersion")
    if kind.endswith("List") and "items" in data:
        items = data["items"] or []
        if not isinstance(items, list):
            raise document.error(("items",), "items is not a list", "a list of objects")
        specs: list[KubernetesSpec] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise document.error(
                    ("items", index),
                    "a List item is not a mapping",
                    "a Kubernetes object with apiVersion and kind",
                )
            specs.extend(load_kubernetes(document.sub(("items", index), item)))
        return specs
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        raise document.error(
            ("metadata",), "metadata is missing or not a mapping", "metadata with at least a name"
        )
    name = metadata.get("name") or metadata.get("generateName")
    if not isinstance(name, str) or not name:
        raise document.error(
            ("metadata", "name"),
            "the object has no name",
            "metadata.name (or metadata.generateName)",
        )
    namespace = metadata.get("namespace")
    if namespace is not None and not isinstance(namespace, str):
        raise document.error(
            ("metadata", "namespace"),
            "the namespace is not a string",
            'a namespace name such as "default"',
        )
    problem = unknown_version(data["apiVersion"], kind)
    if problem:
        raise document.error(("apiVersion",), problem, f"apiVersion: {SERVED[kind]}")
    meant = _kind_in_another_case(kind, data["apiVersion"])
    if meant:
        raise document.error(
            ("kind",), f'no matches for kind "{kind}" in version "{data["apiVersion"]}"',
            f"kind: {meant} (a kind is spelt as the API names it, capitals included)")
    typed, errors, refused = validate_object(KIND_MODELS.get(kind, OtherObject), document)
    if typed is not None:   # a field its own check refused is there: "Required" is not news
        errors += [error for error in check_object(document, kind, typed, pod_spec(kind, typed))
                   if not (error.path in refused and error.message.startswith("Required"))]
    if errors:      # ValidateObjectMeta's errors come before the spec's, as upstream lists
        metadata = format_path((*document.prefix, "metadata"))
        errors.sort(key=lambda error: not error.path.startswith(metadata))
        # kubectl's strict decoding refuses an unknown field before any validation: a typo
        # that left a required field out ("container:") is named first
        raise together([*_strict_decoding_errors(document, kind), *errors])
    assert typed is not None    # no errors: the object validated as it is
    pod = pod_spec(kind, typed)
    check_pod_annotations(document, POD_SPEC_PATHS.get(kind) if pod is not None else None)
    # an otherwise valid object's unknown fields: a warning each, as fieldValidation=Warn
    # sends them (kubectl apply's default, Strict, refuses the object: kubernetes_fields)
    warnings = [removed_warning(typed.api_version, kind), *pod_warnings(kind, pod),
                *strict_decoding_problems(
                    path for path, _, _ in in_sent_order(unknown_fields_meant(kind, data)))]
    return [
        KubernetesSpec(
            system="kubernetes",
            kind=kind,
            name=name,
            namespace=None if kind in CLUSTER_SCOPED_KINDS else (namespace or "default"),
            source=document.source,
            simulated=kind in SIMULATED_KINDS,
            line=document.line,
            manifest=without_nulls(data),
            typed=typed,
            warnings=tuple(warning for warning in warnings if warning),
        )
    ]


def _strict_decoding_errors(document: Document, kind: str) -> list[ManifestError]:
    """The unknown fields of an object as one error in kubectl's words (``strict decoding
    error: unknown field "spec.a", unknown field "spec.b"``, strict field validation being
    kubectl's default, KEP-2885; :func:`strict_decoding_error`), in the order the API server
    meets them in what kubectl sends (:func:`in_sent_order`). The error is placed at the
    first of them; what to write instead is the loader's own "did you mean" where a known
    field's name is close, each field with its line when there are several."""
    found = in_sent_order(unknown_fields_meant(kind, document.data))
    if not found:
        return []
    lines = [document.line_of(at) for _, at, _ in found]
    hints = []
    for (path, _, meant), line in zip(found, lines, strict=True):
        where = "" if len(found) == 1 else f' in place of "{path}"' + (
            f" (line {line})" if line else "")
        hints.append(f"{meant}{where}, the closest known field (the simulator's guess, not "
                     "kubectl's words)" if meant else
                     f"a known field{where}: check its spelling and indentation")
    return [ManifestError(strict_decoding_error(path for path, _, _ in found),
                          source=document.source, line=lines[0],
                          expected="; ".join(hints))]


def metadata_errors(kind: str, metadata: dict[str, Any]) -> list[ManifestError]:
    """Every error of an object's ``metadata`` alone, as ``ValidateObjectMetaUpdate`` finds
    them in an update (kubernetes/kubernetes ``pkg/apis/core/validation``, apimachinery
    ``pkg/api/validation/objectmeta.go``): its name, its labels' and annotations' keys and
    values, and its finalizers. For an update that changes nothing but the metadata (a patch
    of labels or finalizers), which the API server validates as it validates a new object's."""
    document = Document({"metadata": metadata})
    field = KIND_MODELS.get(kind, OtherObject).model_fields["metadata"]
    model = next(t for t in (field.annotation, *get_args(field.annotation))
                 if isinstance(t, type) and issubclass(t, BaseModel))
    _, errors, _ = validate_object(model, document.sub(("metadata",), metadata))
    return [*errors, *finalizer_errors(document)]
