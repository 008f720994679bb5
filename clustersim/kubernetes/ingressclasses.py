"""What the API server fills in of Ingresses and IngressClasses before it stores them.

- ``SetDefaults_IngressClass`` (kubernetes/kubernetes ``pkg/apis/networking/v1/defaults.go``):
  an IngressClass's ``parameters`` without a ``scope`` get ``Cluster``.
- The ``DefaultIngressClass`` admission plugin, on by default
  (``plugin/pkg/admission/network/defaultingressclass/admission.go``): a new Ingress that
  names no class, neither by ``spec.ingressClassName`` nor by the old
  ``kubernetes.io/ingress.class`` annotation, gets the class annotated
  ``ingressclass.kubernetes.io/is-default-class: "true"`` (exactly that string). With no
  such class it stays without one. With several, ``getDefaultClass`` takes the newest by
  ``creationTimestamp`` (ties by name, in byte order): it has since kubernetes#110974
  (merged in 2022; before, the Ingress was refused). A stored ``creationTimestamp`` counts
  whole seconds, so classes made within one second tie; here the simulated time is floored
  to the second to match. It runs on a create only: an update keeps what the Ingress says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.manifests.ingress_checks import CLASS_ANNOTATION

__all__ = ["DEFAULT_CLASS_ANNOTATION", "default_ingress_class", "set_ingress_class_defaults"]

DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
"""``networkingv1.AnnotationIsDefaultIngressClass``."""


def set_ingress_class_defaults(ingress_class: dict[str, Any]) -> None:
    """``SetDefaults_IngressClass``: ``scope: Cluster`` on parameters that have none."""
    parameters = (ingress_class.get("spec") or {}).get("parameters")
    if isinstance(parameters, dict) and parameters.get("scope") is None:
        parameters["scope"] = "Cluster"


def _newest_first(ingress_class: Mapping[str, Any]) -> tuple[float, str]:
    """Sort key of ``getDefaultClass``: newest whole-second ``creationTimestamp``, then name."""
    meta = ingress_class["metadata"]
    return -math.floor(meta.get("creationTimestamp") or 0.0), meta["name"]


def default_ingress_class(ingress: dict[str, Any], classes: Iterable[Mapping[str, Any]]
                          ) -> None:
    """``classDefaulterPlugin.Admit`` on a new ``ingress`` that names no class: give it the
    default among ``classes``, the newest one where several claim to be the default."""
    spec = ingress.setdefault("spec", {})
    annotations = (ingress.get("metadata") or {}).get("annotations") or {}
    if spec.get("ingressClassName") is not None or CLASS_ANNOTATION in annotations:
        return
    defaults = sorted((c for c in classes
                       if ((c.get("metadata") or {}).get("annotations") or {}).get(
                           DEFAULT_CLASS_ANNOTATION) == "true"), key=_newest_first)
    if defaults:
        spec["ingressClassName"] = defaults[0]["metadata"]["name"]
