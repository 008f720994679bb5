"""Updates the API server refuses because a kind's field is fixed once the object exists.

- A **StorageClass**'s ``parameters``, ``provisioner`` and ``reclaimPolicy`` are ``Forbidden``
  and its ``volumeBindingMode`` is immutable (``ValidateStorageClassUpdate`` in
  kubernetes/kubernetes ``pkg/apis/storage/validation/validation.go``): a class is changed by
  making a new one.
- A **PriorityClass**'s ``value`` is ``Forbidden`` and its ``preemptionPolicy`` immutable
  (``ValidatePriorityClassUpdate`` in ``pkg/apis/scheduling/validation/validation.go``, both
  sides defaulted to ``PreemptLowerPriority`` by ``SetDefaults_PriorityClass``): Pods already
  admitted carry the old ones.
- A **RoleBinding**'s or **ClusterRoleBinding**'s ``roleRef`` cannot change
  (``ValidateRoleBindingUpdate`` and ``ValidateClusterRoleBindingUpdate`` in
  ``pkg/apis/rbac/validation/validation.go``): a binding is pointed at another role by
  deleting and creating it.
- A **Secret**'s ``type`` is immutable (``ValidateSecretUpdate`` in
  ``pkg/apis/core/validation/validation.go``; both sides defaulted to ``Opaque`` by
  ``SetDefaults_Secret``, so a replace that names no type turns any other type into
  ``Opaque``, which is refused): a Secret of another type is a new Secret.
- An **IngressClass**'s ``spec.controller`` is immutable (``validateIngressClassSpecUpdate``
  in ``pkg/apis/networking/validation/validation.go``): the controller that implements the
  class is chosen when it is made. Upstream goes on to list ``ValidateIngressClass``'s errors
  of the new object; here the immutable field's is the answer alone.
- An **immutable** ConfigMap's or Secret's data, and its ``immutable`` itself
  (:func:`~clustersim.kubernetes.configupdates.immutable_errors`, listed after a Secret's
  ``type`` as ``ValidateSecretUpdate`` lists them).

Each value is rendered as apimachinery's ``field.Error.ErrorBody`` renders it since
Kubernetes 1.34 (kubernetes/kubernetes PR #132314), through ``json.Marshal``: the internal
``rbac.RoleRef`` struct with its Go field names (``{"APIGroup":...,"Kind":...,"Name":...}``;
before 1.34, Go's ``%#v``), the named string types ``VolumeBindingMode``,
``PreemptionPolicy`` and ``SecretType`` as JSON strings. The errors of one object are listed
together, in upstream's order, as the API server aggregates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.goformat import GoStruct, go_json
from clustersim.kubernetes.configupdates import immutable_errors
from clustersim.manifests.kubernetes_errors import GoSyntax, immutable, invalid, named

__all__ = ["immutable_field_refusal"]


def _storage_class(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    errors = [f"{field}: Forbidden: updates to {field} are forbidden."
              for field, default in (("parameters", {}), ("provisioner", None),
                                     ("reclaimPolicy", "Delete"))
              if (old.get(field) or default) != (new.get(field) or default)]
    mode = new.get("volumeBindingMode") or "Immediate"
    if (old.get("volumeBindingMode") or "Immediate") != mode:
        errors.append(f"volumeBindingMode: {immutable(named(mode))}")
    return errors


def _priority_class(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    errors = []
    if old.get("value") != new.get("value"):
        errors.append("value: Forbidden: may not be changed in an update.")
    policy = new.get("preemptionPolicy") or _PREEMPTION_DEFAULT
    if (old.get("preemptionPolicy") or _PREEMPTION_DEFAULT) != policy:
        errors.append(f"preemptionPolicy: {immutable(named(policy))}")
    return errors


_PREEMPTION_DEFAULT = "PreemptLowerPriority"
"""A PriorityClass's ``preemptionPolicy`` when it names none (``SetDefaults_PriorityClass``,
``pkg/apis/scheduling/v1/defaults.go``)."""


def _role_binding(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    ref = new.get("roleRef") or {}
    if (old.get("roleRef") or {}) == ref:
        return []
    shown = GoSyntax(go_json(GoStruct({go: ref.get(key, "") for go, key in (
        ("APIGroup", "apiGroup"), ("Kind", "kind"), ("Name", "name"))})))
    return [f"roleRef: {invalid(shown, 'cannot change roleRef')}"]


def _secret(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    kind = new.get("type") or _SECRET_TYPE_DEFAULT
    errors = []
    if (old.get("type") or _SECRET_TYPE_DEFAULT) != kind:
        errors.append(f"type: {immutable(named(kind))}")
    return errors + immutable_errors(old, new)


def _ingress_class(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    controller = (new.get("spec") or {}).get("controller") or ""
    if ((old.get("spec") or {}).get("controller") or "") == controller:
        return []
    return [f"spec.controller: {immutable(controller)}"]


_SECRET_TYPE_DEFAULT = "Opaque"
"""A Secret's ``type`` when it names none (``SetDefaults_Secret``,
``pkg/apis/core/v1/defaults.go``)."""

_CHECKS = {"StorageClass": _storage_class, "PriorityClass": _priority_class,
           "RoleBinding": _role_binding, "ClusterRoleBinding": _role_binding,
           "ConfigMap": immutable_errors, "Secret": _secret, "IngressClass": _ingress_class}


def immutable_field_refusal(existing: Mapping[str, Any], new: Mapping[str, Any]) -> str | None:
    """The API server's refusal of updating ``existing`` to ``new``, or None."""
    check = _CHECKS.get(existing.get("kind", ""))
    errors = check(existing, new) if check else []
    if not errors:
        return None
    listed = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    return f'The {existing["kind"]} "{existing["metadata"]["name"]}" is invalid: {listed}'
