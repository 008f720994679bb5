"""The cluster's StorageClass, and what it decides for a PersistentVolumeClaim when the claim
is created.

Every simulated cluster has one class, the default that minikube installs
(kubernetes/minikube ``deploy/addons/storageclass/storageclass.yaml``): ``standard``, marked
default by the annotation ``storageclass.kubernetes.io/is-default-class: "true"``, provisioner
``k8s.io/minikube-hostpath``, and the API server's defaults for the rest, reclaimPolicy
``Delete`` and volumeBindingMode ``Immediate`` (``SetDefaults_StorageClass``,
kubernetes/kubernetes ``pkg/apis/storage/v1/defaults.go``). Immediate binding is what the
simulator does: a claim of this class is bound at once, to a volume its provisioner makes.

- A claim that names no class (neither ``spec.storageClassName`` nor the beta annotation
  ``volume.beta.kubernetes.io/storage-class``) is given the default class's name by the
  DefaultStorageClass admission plugin
  (``plugin/pkg/admission/storage/storageclass/setdefault/admission.go``); the simulator
  stores the claim as written and the API server of :mod:`clustersim.serve` shows the name
  (:func:`names_no_class`, :func:`claim_class`).
- A claim naming a StorageClass applied to the cluster (as a tutorial's manifest often
  brings its own) is bound at once too, whatever the class's provisioner and binding mode.
- A claim naming a class that does not exist stays ``Pending``: no class, no provisioner.
  The PV controller records the Warning ``ProvisioningFailed``
  ``storageclass.storage.k8s.io "fast-ssd" not found`` (``provisionClaim``,
  ``pkg/controller/volume/persistentvolume/pv_controller.go``), again at each of its 15 s
  resyncs, and binds the claim at the first resync after the class is created
  (:mod:`clustersim.kubernetes.controllers.persistentvolume`).
- A claim with ``storageClassName: ""`` asks for an existing PersistentVolume and no
  provisioning; there are none, so it stays ``Pending`` with the Normal event
  ``FailedBinding`` ``no persistent volumes available for this claim and no storage class is
  set`` (``syncUnboundClaim``, same file), again at each resync.

A Pod that mounts a pending claim is refused by the scheduler's VolumeBinding plugin
(:mod:`clustersim.kubernetes.references`).

Simplified (what a real cluster does instead): the default class cannot be changed or
replaced (a class applied with the default annotation does not become the default), and no
PersistentVolume can be created, so a claim with ``storageClassName: ""`` stays pending until
it is deleted (a real cluster binds it once a matching volume is created); a class's
provisioner is taken to work, whatever it is, and makes its volume at once (a real external
provisioner takes a few seconds after the resync, with the events ``ExternalProvisioning``,
``Provisioning`` and ``ProvisioningSucceeded``). Other clusters' default classes bind
differently: kind's ``standard``
(``rancher.io/local-path``, kubernetes-sigs/kind ``pkg/build/nodeimage/const_storage.go``) is
``WaitForFirstConsumer``, so its claims stay Pending until a Pod that uses them is scheduled,
and the volume is then made on that Pod's node.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["BETA_CLASS_ANNOTATION", "DEFAULT_ANNOTATION", "DEFAULT_CLASS", "PROVISIONER",
           "claim_class", "default_storage_class", "is_pending", "names_no_class",
           "provisioning_failure", "storage_class"]

DEFAULT_CLASS = "standard"
"""The name of the cluster's default StorageClass, as minikube names it."""
PROVISIONER = "k8s.io/minikube-hostpath"
"""The default class's provisioner, minikube's storage-provisioner."""
DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
Lookup = Callable[[str, str, str], Any]
"""``cluster.get(kind, namespace, name)`` (a cluster-scoped object is stored under
``default``)."""


def default_storage_class() -> dict[str, Any]:
    """The default StorageClass object (its ``creationTimestamp`` the cluster's start)."""
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
            "metadata": {"name": DEFAULT_CLASS, "annotations": {DEFAULT_ANNOTATION: "true"},
                         "uid": "5c000000-0000-4000-c000-000000000000",
                         "creationTimestamp": 0.0},
            "provisioner": PROVISIONER, "reclaimPolicy": "Delete",
            "volumeBindingMode": "Immediate"}


def names_no_class(claim: Mapping[str, Any]) -> bool:
    """Whether the claim names no class, neither by the beta annotation nor in
    ``spec.storageClassName`` (``PersistentVolumeClaimHasClass`` negated): the claims to
    which the DefaultStorageClass admission plugin gives the default class's name."""
    annotations = (claim.get("metadata") or {}).get("annotations") or {}
    return BETA_CLASS_ANNOTATION not in annotations and \
        (claim.get("spec") or {}).get("storageClassName") is None


def claim_class(claim: Mapping[str, Any]) -> str:
    """The class a claim asks for: the default class's where it names none
    (:func:`names_no_class`), else ``GetPersistentVolumeClaimClass``
    (``pkg/apis/core/helper/helpers.go``: the beta annotation first, then
    ``spec.storageClassName``); ``""`` for a claim that asks for no class."""
    if names_no_class(claim):
        return DEFAULT_CLASS
    annotations = (claim.get("metadata") or {}).get("annotations") or {}
    if BETA_CLASS_ANNOTATION in annotations:
        return str(annotations[BETA_CLASS_ANNOTATION])
    return str(claim["spec"]["storageClassName"])


def storage_class(name: str, get: Lookup) -> Mapping[str, Any] | None:
    """The StorageClass ``name``: one applied to the cluster, else the default class."""
    found = get("StorageClass", "default", name) if name else None
    if found is None and name == DEFAULT_CLASS:
        return default_storage_class()
    return found


def is_pending(claim: Mapping[str, Any]) -> bool:
    """Whether the claim waits for a volume (its stored phase is ``Pending``)."""
    return (claim.get("status") or {}).get("phase") == "Pending"


def provisioning_failure(claim: Mapping[str, Any], get: Lookup) -> tuple[str, str, str] | None:
    """Why the claim stays Pending, as the PV controller's event (type, reason, message), or
    None when its class (the default, or one applied) provisions its volume."""
    name = claim_class(claim)
    if storage_class(name, get) is not None:
        return None
    if not name:
        return ("Normal", "FailedBinding", "no persistent volumes available for this claim "
                "and no storage class is set")
    return "Warning", "ProvisioningFailed", f'storageclass.storage.k8s.io "{name}" not found'
