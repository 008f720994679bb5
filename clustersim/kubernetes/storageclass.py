"""The cluster's StorageClass, and what it decides for a PersistentVolumeClaim when the claim
is created.

Every simulated cluster has one class, the default that minikube installs
(kubernetes/minikube ``deploy/addons/storageclass/storageclass.yaml``): ``standard``, marked
default by the annotation ``storageclass.kubernetes.io/is-default-class: "true"``, provisioner
``k8s.io/minikube-hostpath``, and the API server's defaults for the rest, reclaimPolicy
``Delete`` and volumeBindingMode ``Immediate`` (``SetDefaults_StorageClass``,
kubernetes/kubernetes ``pkg/apis/storage/v1/defaults.go``): a claim of this class is bound at
once, to a volume its provisioner makes.

- A claim that names no class (neither ``spec.storageClassName`` nor the beta annotation
  ``volume.beta.kubernetes.io/storage-class``) is given the default class's name by the
  DefaultStorageClass admission plugin
  (``plugin/pkg/admission/storage/storageclass/setdefault/admission.go``); the simulator
  stores the claim as written and the API server of :mod:`clustersim.serve` shows the name
  (:func:`names_no_class`, :func:`claim_class`).
- A claim naming a StorageClass applied to the cluster (as a tutorial's manifest often
  brings its own) is bound at once too, whatever the class's provisioner, unless its binding
  mode is ``WaitForFirstConsumer`` (below).
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
(:mod:`clustersim.kubernetes.references`), unless the claim's class binds
``WaitForFirstConsumer``: such a claim stays ``Pending`` (:func:`waits_for_consumer`) with the
PV controller's Normal event ``WaitForFirstConsumer`` ``waiting for first consumer to be
created before binding``, or, while a Pod that mounts it is not scheduled yet,
``WaitForPodScheduled`` ``waiting for pod db to be scheduled``
(``emitEventForUnboundDelayBindingClaim``, ``pv_controller.go``), again at each resync. The
scheduler places such a Pod as any other; VolumeBinding's PreBind then writes the chosen node
on the claim (annotation ``volume.kubernetes.io/selected-node``) and the volume is
provisioned for it before the Pod is bound
(``pkg/scheduler/framework/plugins/volumebinding/binder.go``, ``BindPodVolumes``;
:meth:`~clustersim.kubernetes.apiserver.APIServer.bind_pod_volumes`). Simplified: a class's
``allowedTopologies`` and storage capacity do not restrict the nodes (upstream the Filter
step skips nodes where the class cannot provision), and the volume gets no node affinity
(minikube's hostpath volumes have none either; kind's ``rancher.io/local-path`` volumes are
pinned to the selected node).

Binding a claim to the volume its class's provisioner makes writes what a real cluster
writes (:func:`bound_annotations`, :func:`provisioning_events`): on the claim, the PV
controller's annotations ``pv.kubernetes.io/bind-completed: "yes"`` and
``pv.kubernetes.io/bound-by-controller: "yes"`` (``bindClaimToVolume``, ``pv_controller.go``)
and the provisioner's name under ``volume.beta.kubernetes.io/storage-provisioner`` and
``volume.kubernetes.io/storage-provisioner`` (``setClaimProvisioner``); and three Normal
events, as ``kubectl describe pvc`` shows them on minikube: ``ExternalProvisioning`` from the
persistentvolume-controller (``provisionClaimOperationExternal``), then ``Provisioning`` and
``ProvisioningSucceeded`` from the provisioner, which signs them
``<provisioner>_<its node>_<its uuid>`` (kubernetes-sigs/sig-storage-lib-external-provisioner
``controller/controller.go``, ``provisionClaimOperation``; :func:`provisioner_identity`). All
at the same instant here; a real cluster takes a second or a few, and its PV controller often
records ``ExternalProvisioning`` twice (``(x2 over 4s)``), syncing the claim again after
writing its annotations.

Simplified (what a real cluster does instead): the default class cannot be changed or
replaced (a class applied with the default annotation does not become the default), and no
PersistentVolume can be created, so a claim with ``storageClassName: ""`` stays pending until
it is deleted (a real cluster binds it once a matching volume is created); a class's
provisioner is taken to work, whatever it is, and makes its volume at once (a real external
provisioner takes a few seconds after the resync, with the events ``ExternalProvisioning``,
``Provisioning`` and ``ProvisioningSucceeded``). Other clusters' default classes bind
differently: kind's ``standard``
(``rancher.io/local-path``, kubernetes-sigs/kind ``pkg/build/nodeimage/const_storage.go``) is
``WaitForFirstConsumer``; apply such a class to see its claims wait for their Pod.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from clustersim.kubernetes.storageprotection import mounts

__all__ = [
    "BETA_CLASS_ANNOTATION",
    "DEFAULT_ANNOTATION",
    "DEFAULT_CLASS",
    "PROVISIONER",
    "PROVISIONER_REASONS",
    "PROVISIONER_UID",
    "SELECTED_NODE",
    "bound_annotations",
    "claim_class",
    "consumer_wait",
    "default_storage_class",
    "is_pending",
    "names_no_class",
    "provisioner_identity",
    "provisioning_events",
    "provisioning_failure",
    "storage_class",
    "volume_name",
    "waits_for_consumer",
]

DEFAULT_CLASS = "standard"
"""The name of the cluster's default StorageClass, as minikube names it."""
PROVISIONER = "k8s.io/minikube-hostpath"
"""The default class's provisioner, minikube's storage-provisioner."""
PROVISIONER_UID = "5709a6e1-0000-4000-a000-000000000000"
"""The uuid minikube's storage-provisioner draws when it starts (``NewHostPathProvisioner``):
part of its events' source and its volumes' ``hostPathProvisionerIdentity``; fixed here."""
PROVISIONER_REASONS = ("Provisioning", "ProvisioningSucceeded")
"""The events the provisioner itself records (the PV controller records the others)."""
SELECTED_NODE = "volume.kubernetes.io/selected-node"
"""``AnnSelectedNode``: the node VolumeBinding chose for a claim that waited for its Pod."""
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


def bound_annotations(provisioner: str) -> dict[str, str]:
    """The annotations a claim bound to a volume its class's provisioner made carries."""
    return {"pv.kubernetes.io/bind-completed": "yes",
            "pv.kubernetes.io/bound-by-controller": "yes",
            "volume.beta.kubernetes.io/storage-provisioner": provisioner,
            "volume.kubernetes.io/storage-provisioner": provisioner}


def provisioning_events(claim: Mapping[str, Any], provisioner: str
                        ) -> list[tuple[str, str, str]]:
    """The events (type, reason, message) of the claim's provisioning, in their order; the
    volume is named by :func:`volume_name`."""
    meta = claim["metadata"]
    return [("Normal", "ExternalProvisioning", "Waiting for a volume to be created either by "
             f"the external provisioner '{provisioner}' or manually by the system "
             "administrator. If volume creation is delayed, please verify that the "
             "provisioner is running and correctly registered."),
            ("Normal", "Provisioning", "External provisioner is provisioning volume for claim "
             f'"{meta.get("namespace", "default")}/{meta["name"]}"'),
            ("Normal", "ProvisioningSucceeded", "Successfully provisioned volume "
             + volume_name(claim))]


def volume_name(claim: Mapping[str, Any]) -> str:
    """The name of the volume provisioned for ``claim``: ``pvc-<claim uid>``
    (``GetProvisionedVolumeNameForClaim``, sig-storage-lib-external-provisioner
    ``controller/controller.go``)."""
    return f"pvc-{claim['metadata']['uid']}"


def provisioner_identity(provisioner: str, host: str) -> str:
    """The source of the provisioner's events: its name, the host its Pod runs on (``host``:
    the cluster's first node here; minikube's single node is named ``minikube``) and
    :data:`PROVISIONER_UID`."""
    return f"{provisioner}_{host}_{PROVISIONER_UID}"


def waits_for_consumer(claim: Mapping[str, Any], get: Lookup) -> bool:
    """Whether the claim's binding waits for a Pod (``shouldDelayBinding``): its class exists
    and binds ``WaitForFirstConsumer`` (``IsDelayBindingMode``; a class that does not exist
    binds as Immediate), and no node was selected for it yet
    (``IsDelayBindingProvisioning``)."""
    annotations = (claim.get("metadata") or {}).get("annotations") or {}
    if SELECTED_NODE in annotations:
        return False
    found = storage_class(claim_class(claim), get)
    return found is not None and found.get("volumeBindingMode") == "WaitForFirstConsumer"


def consumer_wait(claim: Mapping[str, Any], pods: Iterable[Mapping[str, Any]]
                  ) -> tuple[str, str, str]:
    """The PV controller's event for a claim that waits for its Pod, given the Pods of its
    namespace: the ones that mount it and are not scheduled yet are named."""
    name = claim["metadata"]["name"]
    waiting = [p["metadata"]["name"] for p in pods
               if not (p.get("spec") or {}).get("nodeName") and mounts(p, name)]
    if not waiting:
        return "Normal", "WaitForFirstConsumer", \
            "waiting for first consumer to be created before binding"
    many = len(waiting) > 1
    return ("Normal", "WaitForPodScheduled",
            f"waiting for pod{'s' if many else ''} {','.join(waiting)} to be scheduled")
