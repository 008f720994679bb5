"""The PV controller's resync: a PersistentVolumeClaim left Pending is tried again every 15 s.

kube-controller-manager's persistentvolume-binder (kubernetes/kubernetes
``pkg/controller/volume/persistentvolume``) syncs a claim when the claim is added or updated,
and every claim again at each resync, ``--pvclaimbinder-sync-period``, 15 s by default
(``PVClaimBinderSyncPeriod`` in ``pkg/controller/volume/persistentvolume/config/v1alpha1/
defaults.go``): ``Run`` starts ``wait.Until(ctrl.resync, ctrl.resyncPeriod, ...)`` when the
controller starts, and ``resync`` enqueues every claim (``pv_controller_base.go``). It watches
no StorageClass: a claim whose class did not exist is bound at the first resync after the
class is created, and until then each sync records its event again (``ProvisioningFailed``
or ``FailedBinding``, which ``kubectl describe`` shows aggregated, ``(x5 over 60s)``).

Here the controller manager starts with the cluster, so the resyncs fall at 15 s, 30 s, ...;
the sync itself (what a claim's class decides) is
:meth:`~clustersim.kubernetes.apiserver.APIServer.provision_claim`, which the API server also
runs when a claim is created (the informer's add). A resync runs only while a claim is
Pending. It is background work (``run()`` without ``until`` does not wait for a claim that
may wait forever) unless a pending claim would bind at it (its class exists and does not wait
for a Pod), so that a run waits for the resync that binds it. Each resync records the event of
each claim still waiting again (``ProvisioningFailed``, ``FailedBinding``,
``WaitForFirstConsumer`` or ``WaitForPodScheduled``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.storageclass import is_pending

__all__ = ["RESYNC_SECONDS", "PersistentVolumeController"]

RESYNC_SECONDS = 15.0
"""``PVClaimBinderSyncPeriod``'s default."""


class PersistentVolumeController(Controller):
    """Resyncs pending claims at every multiple of :data:`RESYNC_SECONDS`."""

    kinds: ClassVar[tuple[str, ...]] = ("PersistentVolumeClaim",)

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self._timers = 0
        self._next: tuple[int, bool] | None = None
        """(number, foreground) of the resync to come; a timer whose number is not this
        one's was replaced and does nothing."""

    def sync(self, obj: dict[str, Any]) -> None:
        """A pending claim needs the next resync; a foreground one once its class exists."""
        if not is_pending(obj):
            return
        binds = self.cluster.claim_wait(obj) is None
        if self._next is None or (binds and not self._next[1]):
            self._schedule(foreground=binds)

    def _schedule(self, *, foreground: bool) -> None:
        self._timers += 1
        number = self._timers
        self._next = (number, foreground)
        now = self.cluster.now
        due = (now // RESYNC_SECONDS + 1) * RESYNC_SECONDS

        def resync() -> None:
            if self._next is None or self._next[0] != number:
                return
            self._next = None
            pending = [c for c in self.cluster.objects("PersistentVolumeClaim")
                       if is_pending(c)]
            for claim in pending:
                self.cluster.provision_claim(claim)
            if any(is_pending(c) for c in pending):
                self._schedule(foreground=False)

        self.cluster.after(due - now, resync, background=not foreground)
