"""The API server's two rules for an object that keeps finalizers, one for every kind (Pods,
claims, volumes, workloads, the garbage collector's ``foregroundDeletion``), after
k8s.io/apiserver ``pkg/registry/generic/registry/store.go`` (kubernetes/kubernetes
``staging/src/k8s.io/apiserver``):

- A DELETE that would remove an object that still has finalizers only marks it
  (:func:`mark_deleting`, upstream's ``markAsDeleting``, reached through
  ``updateForGracefulDeletionAndFinalizers``): ``deletionTimestamp`` set, and
  ``deletionGracePeriodSeconds`` 0, which says nothing is left to wait for but the
  finalizers. A Pod's graceful deletion writes its grace period instead, and the kubelet's
  last DELETE, with a grace period of 0, marks it so once its containers have stopped.
- An update that leaves such an object without finalizers removes it instead of writing it
  (:func:`deleted_by_update`, upstream's ``ShouldDeleteDuringUpdate``, then
  ``deleteWithoutFinalizers``), but only once its grace period is 0 or unset: a Pod whose
  last finalizer goes while its containers are still stopping stays until its kubelet's
  last DELETE.

Namespaces add a finalizer list of their own in ``spec.finalizers``
(:mod:`clustersim.serve.kubenamespaces`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["deleted_by_update", "mark_deleting"]


def mark_deleting(meta: dict[str, Any], now: float) -> None:
    """``markAsDeleting``: an object with finalizers that is deleted gets its deletion time
    (kept if an earlier one was set) and a grace period of 0, and stays until its finalizers
    are removed."""
    if meta.get("deletionTimestamp") is None:
        meta["deletionTimestamp"] = now
    meta["deletionGracePeriodSeconds"] = 0


def deleted_by_update(finalizers: Sequence[str] | None, meta: Mapping[str, Any]) -> bool:
    """``ShouldDeleteDuringUpdate``: whether an update that leaves ``finalizers`` on the
    object whose stored metadata is ``meta`` deletes it: none is left, a deletion was asked
    for, and its grace period is over (0 or unset)."""
    return not finalizers and meta.get("deletionTimestamp") is not None \
        and not meta.get("deletionGracePeriodSeconds")
