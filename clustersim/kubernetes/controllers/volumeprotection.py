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


class _ProtectionController(Controller):
    """Removes :attr:`finalizer` from a deleted object once :meth:`in_use` says nothing
    needs it (``IsDeletionCandidate``, then ``isBeingUsed``)."""

    finalizer: ClassVar[str]

    def in_use(self, obj: dict[str, Any]) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def sync(self, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        finalizers = meta.get("finalizers") or []
        if meta.get("deletionTimestamp") is None or self.finalizer not in finalizers \
                or self.in_use(obj):
            return
        self.cluster.set_finalizers(obj, [f for f in finalizers if f != self.finalizer])


class PVCProtectionController(_ProtectionController):
    """Removes ``kubernetes.io/pvc-protection`` from a deleted claim that no Pod uses."""

    kinds: ClassVar[tuple[str, ...]] = ("PersistentVolumeClaim",)
    finalizer = PVC_PROTECTION

    def in_use(self, obj: dict[str, Any]) -> bool:
        namespace = obj["metadata"].get("namespace", "default")
        return bool(pods_using(obj, self.cluster.objects("Pod", namespace)))


class PVProtectionController(_ProtectionController):
    """Removes ``kubernetes.io/pv-protection`` from a deleted volume that is not bound."""

    kinds: ClassVar[tuple[str, ...]] = ("PersistentVolume",)
    finalizer = PV_PROTECTION

    def in_use(self, obj: dict[str, Any]) -> bool:
        return (obj.get("status") or {}).get("phase") == "Bound"
