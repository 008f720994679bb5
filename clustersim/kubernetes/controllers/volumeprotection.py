"""The PVC and PV protection controllers: a deleted claim goes once no Pod uses it, a deleted
volume once no claim is bound to it.

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

The ``persistentvolume-protection`` controller (``pkg/controller/volume/pvprotection/
pv_protection_controller.go``) does the same for a volume with ``kubernetes.io/pv-protection``:
it keeps it while its phase is ``Bound`` (``isBeingUsed``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.storageprotection import PV_PROTECTION, PVC_PROTECTION, pods_using

__all__ = ["PVCProtectionController", "PVProtectionController"]


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


class PVProtectionController(Controller):
    """Removes ``kubernetes.io/pv-protection`` from a deleted volume that is not bound."""

    kinds: ClassVar[tuple[str, ...]] = ("PersistentVolume",)

    def sync(self, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        finalizers = meta.get("finalizers") or []
        if meta.get("deletionTimestamp") is None or PV_PROTECTION not in finalizers:
            return
        if (obj.get("status") or {}).get("phase") == "Bound":
            return
        self.cluster.set_finalizers(obj, [f for f in finalizers if f != PV_PROTECTION])
