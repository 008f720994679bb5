"""What the API server fills in of Ingresses and IngressClasses before it stores them.

- ``SetDefaults_IngressClass`` (kubernetes/kubernetes ``pkg/apis/networking/v1/defaults.go``):
  an IngressClass's ``parameters`` without a ``scope`` get ``Cluster``.
- The ``DefaultIngressClass`` admission plugin, on by default
  (``plugin/pkg/admission/network/defaultingressclass/admission.go``): a new Ingress that
  names no class, neither by ``spec.ingressClassName`` nor by the old
  ``kubernetes.io/ingress.class`` annotation, gets the class annotated
  ``ingressclass.kubernetes.io/is-default-class: "true"`` (exactly that string). With no
  such class it stays without one; with several, the plugin picks none and refuses the
  Ingress (``getDefaultClass``: an internal error, wrapped by ``admission.NewForbidden``
  as a 403). It runs on a create only: an update keeps what the Ingress says.

Simplified: upstream's mutating admission runs before validation, so an invalid Ingress
that names no class is refused for the several defaults first; here validation comes first.
"""

from __future__ import annotations

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


def default_ingress_class(ingress: dict[str, Any], classes: Iterable[Mapping[str, Any]]
                          ) -> str | None:
    """``classDefaulterPlugin.Admit`` on a new ``ingress``: set its class to the one default
    among ``classes``; the API server's refusal when there are several, else None."""
    spec = ingress.setdefault("spec", {})
    annotations = (ingress.get("metadata") or {}).get("annotations") or {}
    if spec.get("ingressClassName") is not None or CLASS_ANNOTATION in annotations:
        return None
    defaults = [c["metadata"]["name"] for c in classes
                if ((c.get("metadata") or {}).get("annotations") or {}).get(
                    DEFAULT_CLASS_ANNOTATION) == "true"]
    if len(defaults) > 1:
        name = ingress["metadata"].get("name") or ingress["metadata"].get("generateName", "")
        return (f'ingresses.networking.k8s.io "{name}" is forbidden: Internal error occurred: '
                f"{len(defaults)} default IngressClasses were found, only 1 allowed")
    if defaults:
        spec["ingressClassName"] = defaults[0]
    return None
