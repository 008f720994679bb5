"""Updates the API server refuses because a kind's field is fixed once the object exists.

- A **StorageClass**'s ``parameters``, ``provisioner`` and ``reclaimPolicy`` are ``Forbidden``
  and its ``volumeBindingMode`` is immutable (``ValidateStorageClassUpdate`` in
  kubernetes/kubernetes ``pkg/apis/storage/validation/validation.go``): a class is changed by
  making a new one.
- A **PriorityClass**'s ``value`` is ``Forbidden`` (``ValidatePriorityClassUpdate`` in
  ``pkg/apis/scheduling/validation/validation.go``): Pods already admitted carry the old number.

The errors of one object are listed together, in upstream's order, as the API server
aggregates them. Not modelled: a RoleBinding's ``roleRef`` (also immutable upstream) and a
PriorityClass's ``preemptionPolicy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["immutable_field_refusal"]


def _storage_class(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    errors = [f"{field}: Forbidden: updates to {field} are forbidden."
              for field, default in (("parameters", {}), ("provisioner", None),
                                     ("reclaimPolicy", "Delete"))
              if (old.get(field) or default) != (new.get(field) or default)]
    mode = new.get("volumeBindingMode") or "Immediate"
    if (old.get("volumeBindingMode") or "Immediate") != mode:
        errors.append(f'volumeBindingMode: Invalid value: "{mode}": field is immutable')
    return errors


def _priority_class(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    if old.get("value") != new.get("value"):
        return ["value: Forbidden: may not be changed in an update."]
    return []


_CHECKS = {"StorageClass": _storage_class, "PriorityClass": _priority_class}


def immutable_field_refusal(existing: Mapping[str, Any], new: Mapping[str, Any]) -> str | None:
    """The API server's refusal of updating ``existing`` to ``new``, or None."""
    check = _CHECKS.get(existing.get("kind", ""))
    errors = check(existing, new) if check else []
    if not errors:
        return None
    listed = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    return f'The {existing["kind"]} "{existing["metadata"]["name"]}" is invalid: {listed}'
