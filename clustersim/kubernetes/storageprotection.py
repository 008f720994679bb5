"""Storage object in use protection (GA since Kubernetes 1.11): a PersistentVolumeClaim that a
Pod uses is not removed when it is deleted, only marked, until no Pod uses it.

Three parts upstream, one function each here:

- The StorageObjectInUseProtection admission plugin (kubernetes/kubernetes
  ``plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go``) adds the
  finalizer ``kubernetes.io/pvc-protection`` to every claim when it is created
  (:func:`protect_claim`), and ``kubernetes.io/pv-protection`` to every volume.
- The API server does not remove an object that still has finalizers when it is deleted: it
  sets ``metadata.deletionTimestamp`` and ``deletionGracePeriodSeconds: 0``, and removes it
  once its last finalizer is gone (:mod:`clustersim.kubernetes.finalizers`, one rule for
  every kind). Such a claim is listed with STATUS ``Terminating``
  (``printPersistentVolumeClaim``).
- The PVC protection controller (``pkg/controller/volume/pvcprotection/
  pvc_protection_controller.go``) removes the claim's finalizer once no Pod uses it
  (:func:`pods_using`); meanwhile the scheduler's VolumeBinding plugin refuses a new Pod that
  mounts it (``persistentvolumeclaim "data" is being deleted``,
  :func:`~clustersim.kubernetes.references.claim_refusal`).

"Uses" is upstream's ``podUsesPVC``: a Pod that is *scheduled* (has a node) and names the claim
in a ``persistentVolumeClaim`` volume, whatever its phase: a Pod that has finished
(``Succeeded``, as a Job's) still holds the claim until the Pod object itself is deleted, and a
Terminating Pod holds it until its kubelet is done and the Pod is gone. A Pod that was never
scheduled does not (the kubelet never saw it). Simplified: generic ephemeral volumes (claims a
Pod template makes for itself) are not simulated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["PVC_PROTECTION", "PV_PROTECTION", "mounts", "pods_using", "protect_claim"]

PVC_PROTECTION = "kubernetes.io/pvc-protection"
"""``PVCProtectionFinalizer`` (``pkg/volume/util/finalizer.go``)."""
PV_PROTECTION = "kubernetes.io/pv-protection"
"""``PVProtectionFinalizer``, same file: kept on a volume while it is bound."""


def protect_claim(claim: dict[str, Any]) -> None:
    """The admission plugin's part: the claim gets :data:`PVC_PROTECTION` (once) at creation."""
    finalizers = claim["metadata"].setdefault("finalizers", [])
    if PVC_PROTECTION not in finalizers:
        finalizers.append(PVC_PROTECTION)


def pods_using(claim: Mapping[str, Any], pods: Iterable[Mapping[str, Any]]
               ) -> list[Mapping[str, Any]]:
    """The Pods (of the claim's namespace) that keep it: scheduled ones that mount it
    (``podUsesPVC``)."""
    name = claim["metadata"]["name"]
    return [pod for pod in pods if (pod.get("spec") or {}).get("nodeName") and mounts(pod, name)]


def mounts(pod: Mapping[str, Any], claim_name: str) -> bool:
    """Whether the pod names the claim in one of its ``persistentVolumeClaim`` volumes."""
    return any(isinstance(volume, Mapping)
               and (volume.get("persistentVolumeClaim") or {}).get("claimName") == claim_name
               for volume in (pod.get("spec") or {}).get("volumes") or [])
