"""Kubernetes objects built from plain values: the shapes both translations emit.

Object shapes follow the Kubernetes API reference for the pinned release
(https://kubernetes.io/docs/reference/kubernetes-api/): ``apps/v1`` Deployment, StatefulSet
and DaemonSet, ``v1`` Service and PersistentVolumeClaim. Every object carries the
recommended labels ``app.kubernetes.io/name`` and ``app.kubernetes.io/part-of``
(https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/), and a
workload selects its Pods by exactly those two labels.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal
from typing import Any

from clustersim import quantity
from clustersim.quantity import memory_quantity

__all__ = [
    "add_pod_term",
    "claim",
    "cpu_quantity",
    "dns_label",
    "memory_quantity",
    "node_requirements",
    "pod_affinity_term",
    "pod_labels",
    "service",
    "spread",
    "workload",
]

_NOT_DNS = re.compile(r"[^a-z0-9-]+")


def dns_label(text: str) -> str:
    """A name Kubernetes accepts for a Service, a container, a volume or a port (lower-case
    letters, digits and ``-``, starting with a letter, at most 63 characters):
    ``web_API.v2`` → ``web-api-v2``. Since v1.37 a Service's name may start with a digit
    (a DNS-1123 label, ``RelaxedServiceNameValidation`` locked on, KEP-5311); the
    translation still drops leading digits, so that its manifests apply to API servers
    before v1.37 too, which want an RFC 1035 label, and its port names keep the letter
    ``IsValidPortName`` asks for.

    Source: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
    """
    label = _NOT_DNS.sub("-", text.lower()).strip("-")
    label = re.sub(r"^[^a-z]+", "", label)[:63].rstrip("-")
    if not label:
        raise ValueError(f"cannot make a Kubernetes name from {text!r}: give it a letter")
    return label


def cpu_quantity(cores: Decimal) -> str:
    """``Decimal("0.5")`` → ``"500m"``, ``Decimal(2)`` → ``"2"``: cores rounded up to whole
    millicores (Kubernetes keeps at most millicore precision and rounds finer requests up,
    ``Quantity.MilliValue``), written as :func:`clustersim.quantity.cpu_quantity` writes
    them."""
    return quantity.cpu_quantity(int((cores * 1000).to_integral_value(rounding=ROUND_CEILING)))


def pod_labels(name: str, part_of: str) -> dict[str, str]:
    """The labels that tie a workload, its Pods and its Service together."""
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": dns_label(part_of)}


def _metadata(name: str, labels: dict[str, str], annotations: dict[str, str] | None) -> dict:
    metadata: dict[str, Any] = {"name": name, "labels": dict(labels)}
    if annotations:
        metadata["annotations"] = dict(annotations)
    return metadata


def workload(
    kind: str,
    name: str,
    labels: dict[str, str],
    pod_spec: dict[str, Any],
    *,
    replicas: int | None = None,
    extra: dict[str, Any] | None = None,
    annotations: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A Deployment, StatefulSet or DaemonSet running ``pod_spec`` in Pods labelled
    ``labels``; ``extra`` adds spec fields (``strategy``, ``volumeClaimTemplates``...)."""
    spec: dict[str, Any] = {}
    if replicas is not None:
        spec["replicas"] = replicas
    spec["selector"] = {"matchLabels": dict(labels)}
    spec.update(extra or {})
    spec["template"] = {"metadata": {"labels": dict(labels)}, "spec": pod_spec}
    return {"apiVersion": "apps/v1", "kind": kind,
            "metadata": _metadata(name, labels, annotations), "spec": spec}


def service(name: str, labels: dict[str, str], ports: list[dict[str, Any]],
            service_type: str = "ClusterIP") -> dict[str, Any]:
    """A Service selecting the Pods labelled ``labels`` on ``ports``."""
    spec: dict[str, Any] = {}
    if service_type != "ClusterIP":
        spec["type"] = service_type
    spec["selector"] = dict(labels)
    spec["ports"] = ports
    return {"apiVersion": "v1", "kind": "Service", "metadata": _metadata(name, labels, None),
            "spec": spec}


def claim(name: str, labels: dict[str, str], size: str) -> dict[str, Any]:
    """A PersistentVolumeClaim of ``size`` (ReadWriteOnce, the cluster's default
    StorageClass): https://kubernetes.io/docs/concepts/storage/persistent-volumes/"""
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": _metadata(name, labels, None),
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": size}}}}


def spread(topology_key: str, labels: dict[str, str], *, hard: bool) -> dict[str, Any]:
    """A topology spread constraint over ``topology_key`` for the Pods labelled ``labels``:
    https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/"""
    return {"maxSkew": 1, "topologyKey": topology_key,
            "whenUnsatisfiable": "DoNotSchedule" if hard else "ScheduleAnyway",
            "labelSelector": {"matchLabels": dict(labels)}}


def pod_affinity_term(labels: dict[str, str], topology_key: str) -> dict[str, Any]:
    """A required pod (anti-)affinity term selecting the workload's own Pods:
    https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/"""
    return {"labelSelector": {"matchLabels": dict(labels)}, "topologyKey": topology_key}


def node_requirements(pod_spec: dict[str, Any], expressions: list[dict[str, Any]]) -> None:
    """AND ``expressions`` into the Pod's required node affinity (one node selector term)."""
    if not expressions:
        return
    affinity = pod_spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
    required = affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution",
                                   {"nodeSelectorTerms": [{"matchExpressions": []}]})
    required["nodeSelectorTerms"][0]["matchExpressions"].extend(expressions)


def add_pod_term(pod_spec: dict[str, Any], kind: str, term: dict[str, Any]) -> None:
    """Add a required ``podAffinity`` or ``podAntiAffinity`` term to the Pod."""
    affinity = pod_spec.setdefault("affinity", {}).setdefault(kind, {})
    affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", []).append(term)
