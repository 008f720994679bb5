"""The PersistentVolume a claim's provisioner makes, and what becomes of it when the claim goes.

- Made: when a claim is bound
  (:meth:`~clustersim.kubernetes.apiserver.APIServer.provision_claim`), as minikube's hostpath
  provisioner writes it (kubernetes/minikube ``pkg/storage/storage_provisioner.go``,
  ``Provision``): named as the claim's ``spec.volumeName`` (``pvc-<claim uid>``,
  ``GetProvisionedVolumeNameForClaim``), the claim's requested size and access modes, a
  ``hostPath`` ``/tmp/hostpath-provisioner/<namespace>/<claim>``, the annotation
  ``hostPathProvisionerIdentity`` (the provisioner's uuid); and as the provisioning
  controller completes it (kubernetes-sigs/sig-storage-lib-external-provisioner
  ``controller/controller.go``): the class's reclaim policy (``Delete`` unless it names
  another) and name, a ``claimRef`` to the claim, the ``pv.kubernetes.io/provisioned-by``
  annotation. The StorageObjectInUseProtection admission plugin adds the
  ``kubernetes.io/pv-protection`` finalizer. The PV controller binds it: phase ``Bound``.
- Reclaimed (:func:`reclaim`), when its claim is removed: the PV controller marks it
  ``Released`` (``syncVolume``, ``pkg/controller/volume/persistentvolume/pv_controller.go``)
  and acts on ``persistentVolumeReclaimPolicy``: ``Delete`` has the provisioner delete the
  storage and the volume object (``deleteVolumeOperation``); ``Retain`` leaves the volume
  ``Released``, its data and its ``claimRef`` to the claim that is gone, so that no other
  claim is bound to it until an administrator deletes it or clears the ``claimRef``
  (``Recycle`` is deprecated and only for NFS and hostPath volumes: treated here as Retain).
- Deleted through the API (``kubectl delete pv``): a bound volume stays ``Terminating`` until
  it is no longer bound (its claim deleted), then goes
  (:class:`~clustersim.kubernetes.controllers.volumeprotection.PVProtectionController`).

Simplified: volumes are made for claims only (no static PersistentVolumes: the API refuses to
create one), so a released volume is never bound again; a class's other provisioners make the
same hostPath volume as minikube's, and with no node affinity (kind's ``rancher.io/local-path``
pins its volumes to the node that was selected); the hostPath directory of a retained volume
is not simulated beyond the object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.storageclass import (
    PROVISIONER,
    PROVISIONER_UID,
    claim_class,
    volume_name,
)
from clustersim.kubernetes.storageprotection import PV_PROTECTION

__all__ = ["provisioned_volume", "reclaim"]


def provisioned_volume(claim: Mapping[str, Any], made_by: Mapping[str, Any], now: float
                       ) -> dict[str, Any]:
    """The volume ``made_by`` (a StorageClass) provisions for ``claim``, bound to it."""
    meta, spec = claim["metadata"], claim.get("spec") or {}
    provisioner = str(made_by.get("provisioner", ""))
    asked = (spec.get("resources") or {}).get("requests") or {}
    return {
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": volume_name(claim), "uid": meta["uid"][:-4] + "d15c",
                     "creationTimestamp": now,
                     "annotations": {
                         **({"hostPathProvisionerIdentity": PROVISIONER_UID}
                            if provisioner == PROVISIONER else {}),
                         "pv.kubernetes.io/provisioned-by": provisioner},
                     "finalizers": [PV_PROTECTION]},
        "spec": {**({"capacity": {"storage": asked["storage"]}} if "storage" in asked else {}),
                 "accessModes": list(spec.get("accessModes") or []),
                 "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                              "namespace": meta.get("namespace", "default"),
                              "name": meta["name"], "uid": meta["uid"]},
                 "hostPath": {"path": "/tmp/hostpath-provisioner/{}/{}".format(
                     meta.get("namespace", "default"), meta["name"]), "type": ""},
                 "persistentVolumeReclaimPolicy": made_by.get("reclaimPolicy") or "Delete",
                 "storageClassName": claim_class(claim),
                 "volumeMode": spec.get("volumeMode") or "Filesystem"},
        "status": {"phase": "Bound", "lastPhaseTransitionTime": now}}


def reclaim(volume: dict[str, Any], now: float) -> bool:
    """The volume's claim is gone: it is ``Released``; True when its reclaim policy says to
    delete it (``Delete``), False when it stays (``Retain``)."""
    volume["status"] = {"phase": "Released", "lastPhaseTransitionTime": now}
    return volume["spec"].get("persistentVolumeReclaimPolicy") == "Delete"
