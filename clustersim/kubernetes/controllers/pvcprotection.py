"""The PVC protection controller: a deleted claim goes once no Pod uses it.

kube-controller-manager's ``persistentvolumeclaim-protection`` controller (kubernetes/kubernetes
``pkg/controller/volume/pvcprotection/pvc_protection_controller.go``, ``processPVC``) looks at
a claim that is being deleted and still has the ``kubernetes.io/pvc-protection`` finalizer
(``IsDeletionCandidate``): if no Pod uses it (``isBeingUsed``, first the informer's cache, then
a live list of the namespace's Pods) it removes the finalizer, and the API server removes the
claim. It looks again whenever such a Pod is deleted, finishes or changes. What "uses" means
is :func:`~clustersim.kubernetes.storageprotection.pods_using`.

Here the controller syncs every claim at each pass of the control loop (level-triggered, as
every simulated controller), at the simulated instant. It does not add the finalizer to a
claim that lacks it (upstream does, for claims made before the admission plugin was enabled):
every claim the simulator stores got it at creation.
"""

from __future__ import annotations

from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.storageprotection import PVC_PROTECTION, pods_using

__all__ = ["PVCProtectionController"]


class PVCProtectionController(Controller):
    """Removes ``kubernetes.io/pvc-protection`` from a deleted claim that no Pod uses."""

    kinds: ClassVar[tuple[str, ...]] = ("PersistentVolumeClaim",)

    def sync(self, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        finalizers = meta.get("finalizers") or []
        if meta.get("deletionTimestamp") is None or PVC_PROTECTION not in finalizers:
            return
        if pods_using(obj, self.cluster.objects("Pod", meta.get("namespace", "default"))):
            return
        self.cluster.set_finalizers(obj, [f for f in finalizers if f != PVC_PROTECTION])
