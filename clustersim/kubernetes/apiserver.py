"""The API server's part of :class:`~clustersim.kubernetes.KubernetesCluster`: the object
store, validation, admission, ``kubectl apply`` and deletion.

Upstream: kubernetes/kubernetes ``staging/src/k8s.io/apiserver`` (the generic registry that
stores objects), ``pkg/apis/*/validation`` (``ValidateDeploymentSpec``,
``ValidateDeploymentUpdate`` and friends), the admission plugins (``DefaultTolerationSeconds``,
``Priority``, ``DefaultIngressClass`` in :mod:`~clustersim.kubernetes.ingressclasses`,
``LimitRanger`` in :mod:`~clustersim.kubernetes.limitrange`, ``ResourceQuota`` in
:mod:`~clustersim.kubernetes.resourcequota`, PodSecurity in
:mod:`~clustersim.kubernetes.podsecurity`), the garbage collector's propagation
(``pkg/controller/garbagecollector``: dependents go when their owner goes, or before it in the
foreground) and kubectl's
client-side apply (``staging/src/k8s.io/kubectl/pkg/cmd/apply``, the
``last-applied-configuration`` annotation). An update is compared with the stored object with
the defaults the API server fills in written as the stored object writes them
(:func:`~clustersim.kubernetes.defaults.stored_form`): upstream both sides are defaulted.

The cluster's parts form a stack of classes, each using those below it:
:class:`APIServer` < :class:`~clustersim.kubernetes.nodes.NodeLifecycle` <
:class:`~clustersim.kubernetes.controllermanager.ControllerManager` <
:class:`~clustersim.kubernetes.cluster.KubernetesCluster`. The attributes the cluster sets up
and the methods the parts above define are declared here for the type checker.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping, Sequence
from sys import intern
from typing import TYPE_CHECKING, Any

from clustersim.goformat import go_json, json_kind
from clustersim.kubernetes.containerref import field_path
from clustersim.kubernetes.defaults import (
    keep_defaults,
    set_deployment_defaults,
    set_service_defaults,
    stored_form,
)
from clustersim.kubernetes.defaults import (
    set_defaults as fill_defaults,
)
from clustersim.kubernetes.eventsource import component
from clustersim.kubernetes.finalizers import deleted_by_update, mark_deleting
from clustersim.kubernetes.immutablefields import immutable_field_refusal
from clustersim.kubernetes.ingressclasses import default_ingress_class, set_ingress_class_defaults
from clustersim.kubernetes.limitrange import admit_limit_ranges
from clustersim.kubernetes.networkpolicyadmission import PolicyError, check_policy, set_defaults
from clustersim.kubernetes.objects import (
    GENERATION_KINDS,
    LAST_APPLIED,
    controller_of,
    count_generation,
    generate_name,
    is_terminating,
    labels_of,
    selector_matches,
    set_metadata_map,
    set_pod_defaults,
)
from clustersim.kubernetes.persistentvolumes import provisioned_volume, reclaim
from clustersim.kubernetes.podcounts import PodCounts
from clustersim.kubernetes.podindex import PodIndex
from clustersim.kubernetes.podlifecycle import (
    KUBELET_CONDITIONS,
    deleted_at_once,
    deletion_grace_period,
    shortened_deletion,
)
from clustersim.kubernetes.podsecurity import admit as admit_pod_security
from clustersim.kubernetes.references import missing_service_account
from clustersim.kubernetes.resourcequota import admit_resource_quotas
from clustersim.kubernetes.scheduler.labels import namespace_labels
from clustersim.kubernetes.schedulinggates import create_refusal, mark_gated
from clustersim.kubernetes.secretdata import fold_string_data
from clustersim.kubernetes.services import keep_allocated
from clustersim.kubernetes.storageclass import (
    SELECTED_NODE,
    bound_annotations,
    claim_class,
    consumer_wait,
    is_pending,
    provisioning_events,
    provisioning_failure,
    storage_class,
    volume_name,
    waits_for_consumer,
)
from clustersim.kubernetes.storageprotection import protect_claim
from clustersim.kubernetes.strategicmerge import (
    apply_patch,
    strategic_merge_patch,
    three_way_patch,
)
from clustersim.kubernetes.templategeneration import stamp_template_generation
from clustersim.kubernetes.workloadupdates import (
    image_whitespace_refusal,
    pod_update_refusal,
    update_pod_spec,
    workload_update_refusal,
)
from clustersim.limits import MAX_AFFINITY_TERMS, check_count, check_replicas
from clustersim.manifests.errors import format_path
from clustersim.manifests.kubernetes_checks import unmounted_volumes
from clustersim.manifests.kubernetes_errors import go_value, invalid
from clustersim.manifests.safe_yaml import copy_data

if TYPE_CHECKING:
    import random

    from clustersim.kubernetes.controllers.base import Controller, Retry
    from clustersim.kubernetes.controllers.nodelifecycle import (
        NodeLifecycleController,
        PodGarbageCollector,
        TaintEvictionController,
    )
    from clustersim.kubernetes.eventcorrelator import EventCorrelator
    from clustersim.kubernetes.kubelet import Kubelet, Timing
    from clustersim.kubernetes.metrics import MetricsServer
    from clustersim.kubernetes.nodeinfo import NodeInfo
    from clustersim.kubernetes.scheduler import Scheduler
    from clustersim.kubernetes.services import Services
    from clustersim.sim import Clock, Event, EventLog

FOREGROUND_DELETION = "foregroundDeletion"
"""``metav1.FinalizerDeleteDependents``: the owner of a foreground deletion keeps it until its
blocking dependents are gone."""
ADOPTABLE = ("Pod", "ReplicaSet", "ControllerRevision")
"""The kinds whose orphans the simulator keeps an index of (:meth:`orphans`): ReplicaSets,
StatefulSets, DaemonSets and Jobs adopt Pods (``ClaimPods``), a Deployment ReplicaSets
(``ClaimReplicaSets``), StatefulSets and DaemonSets their ControllerRevisions
(``ClaimControllerRevisions``; kubernetes/kubernetes
``pkg/controller/controller_ref_manager.go``)."""
_NAME_ATTEMPTS = 8
"""How many names the API server draws for one ``generateName`` create
(``maxNameGenerationCreateAttempts``)."""
SYSTEM_PRIORITIES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}


class AdmissionError(ValueError):
    """The API server refused to create an object (e.g. an unknown PriorityClass)."""


def _pod_spec(obj: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """The pod spec of a Pod, or of the pod template of a workload (a CronJob's through its
    job template), and its field path."""
    spec, path = obj.get("spec") or {}, "spec"
    if obj.get("kind") == "CronJob":
        spec, path = (spec.get("jobTemplate") or {}).get("spec") or {}, "spec.jobTemplate.spec"
    if obj.get("kind") != "Pod":
        spec, path = (spec.get("template") or {}).get("spec") or {}, f"{path}.template.spec"
    return spec, path


def _affinity_terms(obj: Mapping[str, Any]) -> int:
    """Node, pod and pod anti-affinity terms (required and preferred) of a Pod or of the pod
    template of a workload (:func:`_pod_spec`)."""
    spec, _ = _pod_spec(obj)
    affinity = spec.get("affinity") if isinstance(spec, Mapping) else None
    if not isinstance(affinity, Mapping):
        return 0
    terms = []
    for key in ("nodeAffinity", "podAffinity", "podAntiAffinity"):
        part = affinity.get(key)
        if isinstance(part, Mapping):
            required = part.get("requiredDuringSchedulingIgnoredDuringExecution")
            if key == "nodeAffinity" and isinstance(required, Mapping):
                required = required.get("nodeSelectorTerms")
            terms += [required, part.get("preferredDuringSchedulingIgnoredDuringExecution")]
    return sum(len(t) for t in terms if isinstance(t, list))


class APIServer:
    """Stored objects, their validation and admission, apply and deletion (the lowest part of
    :class:`~clustersim.kubernetes.KubernetesCluster`)."""

    clock: Clock
    rng: random.Random
    timing: Timing
    events: EventLog
    correlator: EventCorrelator
    scheduler: Scheduler
    kubelet: Kubelet
    services: Services
    metrics: MetricsServer
    drain_log: list[tuple[float, str]]
    _objects: dict[str, dict[tuple[str, str], dict[str, Any]]]
    _children: dict[str, dict[str, dict[str, Any]]]
    _orphans: dict[tuple[str, str], dict[str, dict[str, Any]]]
    _relabelled: dict[tuple[str, str], dict[str, dict[str, Any]]]
    pod_counts: PodCounts
    pod_index: PodIndex
    on_removed: list[Callable[[Mapping[str, Any]], None]]
    on_node_removed: list[Callable[[str], None]]
    _task_requests: dict[str, tuple[float, float]]
    _nodes: dict[str, NodeInfo]
    _positions: dict[str, int] | None
    _node_up: dict[str, bool]
    _kubelet_alive: dict[str, bool]
    _uid: int
    _version: int
    _attempted: dict[str, tuple[int, int, float, tuple[str, ...]]]
    _placement_version: int
    _assigned_version: int
    _queue_versions: tuple[int, int]
    _last_failure: dict[str, str]
    _foreground: int
    _wakes: set[tuple[float, bool]]
    _flushes: set[float]
    _reconciling: bool
    _reconcile_queued: bool
    _settled: int | None
    _retries: dict[str, Retry]
    sync_faults: list[str] | None
    _controllers: list[Controller]
    _lifecycle: NodeLifecycleController
    _eviction: TaintEvictionController
    _podgc: PodGarbageCollector

    if TYPE_CHECKING:
        def after(self, delay: float, action: Callable[[], Any], *,
                  background: bool = False) -> None: ...
        def _reconcile(self) -> None: ...
        def _bind(self, pod: dict[str, Any], node_name: str, *, scheduled: bool) -> None: ...
        def _pod_relabelled(self, pod: dict[str, Any], old_labels: dict[str, str]) -> None: ...

    _now: float = 0.0
    """The float :attr:`now` last gave."""

    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started: one float for each instant, which
        every timestamp written at that instant shares (the clock makes a new one at each
        call while SimPy's time is still the whole number it starts at, and an apply of
        150,000 Pods stamps each several times at 0 s)."""
        now = self.clock.now
        if now != self._now:
            self._now = now
        return self._now

    # ---- the object store ----------------------------------------------------------------

    def _key(self, obj: Mapping[str, Any]) -> tuple[str, str]:
        meta = obj["metadata"]
        return meta.get("namespace", "default"), meta["name"]

    def objects(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """All objects of ``kind`` (in ``namespace`` if given), oldest first."""
        objects = self._objects.get(kind)
        if not objects:
            return []
        if namespace is None:
            return list(objects.values())
        return [o for (ns, _), o in list(objects.items()) if ns == namespace]

    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        """One object, or None."""
        return self._objects.get(kind, {}).get((namespace, name))

    def namespace_labels(self, namespace: str) -> dict[str, str]:
        """A namespace's labels: its stored Namespace object's (Namespaces are stored under
        "default", see ``_key``) and the one the API server always sets."""
        stored = self.get("Namespace", "default", namespace) or {}
        return namespace_labels(namespace, (stored.get("metadata") or {}).get("labels"))

    def exists(self, obj: Mapping[str, Any]) -> bool:
        """Whether this very object (same uid) is still stored."""
        meta = obj["metadata"]
        stored = self._objects.get(obj["kind"], {}).get(
            (meta.get("namespace", "default"), meta["name"]))
        return stored is obj or (stored is not None
                                 and stored["metadata"]["uid"] == meta["uid"])

    def owned(self, kind: str, owner: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Objects of ``kind`` whose controller owner reference points at ``owner``."""
        uid = owner["metadata"]["uid"]
        return [o for o in self._children.get(uid, {}).values()
                if o["kind"] == kind and (controller_of(o) or {}).get("uid") == uid]

    def pod_written(self, pod: dict[str, Any]) -> None:
        """A stored Pod was written (its owner, node, phase, deletion or ``Ready``
        condition): update the indexes kept of the Pods, :attr:`pod_counts` and
        :attr:`pod_index`, and the scheduler's nominator (a Pod bound or finished is nominated
        nowhere)."""
        self.pod_counts.update(pod)
        self.pod_index.update(pod)
        self.scheduler.nominator.update(pod)

    def orphans(self, kind: str, namespace: str) -> list[dict[str, Any]]:
        """The objects of ``kind`` (:data:`ADOPTABLE`) in ``namespace`` that have no
        controller, made without one or orphaned since, and not adopted since, oldest first
        (what ``ClaimPods`` and ``ClaimReplicaSets`` may adopt), without listing every
        object."""
        return list(self._orphans.get((kind, namespace), {}).values())

    def changed(self) -> None:
        """Tell the control loops that something changed (they run again until nothing does).

        Every change to a stored object or to what the controllers read goes with this call,
        as every write to a real API server bumps the object's resourceVersion and reaches
        the informers: the loop skips a reconcile when nothing changed since its last one
        (``ControllerManager._reconcile``), so an object edited in place without it is seen
        only at the next change."""
        self._version += 1

    def record(self, obj: Mapping[str, Any], reason: str, message: str,
               type: str = "Normal", *, related: Mapping[str, Any] | None = None) -> None:
        """Record an Event about ``obj``: its ``kind/name``, namespace and uid, the
        ``involvedObject`` a real event recorder takes from the object
        (``reference.GetReference`` in client-go ``tools/reference/ref.go``), and the same of
        the ``related`` object, if any (the events.k8s.io/v1 recorder's second object:
        ``Eventf(regarding, related, ...)`` in client-go ``tools/events/event_recorder.go``).
        Recorders other than the scheduler's pass it through client-go's event correlator
        first, which may combine it with similar events or drop it
        (:mod:`clustersim.kubernetes.eventcorrelator`)."""
        self._record(obj, reason, message, type, related=related)

    def kubelet_record(self, pod: Mapping[str, Any], reason: str, message: str,
                       type: str = "Normal", *,
                       container: Mapping[str, Any] | None = None) -> None:
        """Record an Event of the kubelet of ``pod``'s node about it: the event names that
        node (the kubelet's recorder has ``EventSource{Component: "kubelet", Host: <node
        name>}``, ``pkg/kubelet/kubelet.go``). One about ``container``, one of the Pod's,
        names it by its field path, as the kubelet's container reference does
        (:mod:`clustersim.kubernetes.containerref`)."""
        self._record(pod, reason, message, type, host=pod["spec"].get("nodeName") or "",
                     path=field_path(pod, container) if container else "")

    def node_record(self, name: str, reason: str, message: str, type: str = "Normal", *,
                    kubelet: bool = False) -> None:
        """Record an Event about Node ``name``: the node lifecycle controller's
        (``RecordNodeStatusChange``, ``pkg/controller/util/node/controller_utils.go``), or,
        ``kubelet``, its own kubelet's, whose event source names the node as its host
        (``pkg/kubelet/kubelet.go``). Each passes its recorder's correlator, as every other
        core/v1 event does; the event names no uid, and the served API reads the Node's."""
        self._record({"kind": "Node", "metadata": {"name": name}}, reason, message, type,
                     host=name if kubelet else "")

    def _record(self, obj: Mapping[str, Any], reason: str, message: str, type: str, *,
                host: str = "", path: str = "",
                related: Mapping[str, Any] | None = None) -> None:
        """Record an event through the correlator. The texts that repeat, a Pod's name in
        each of its events, a container's field path and the kubelet's messages that say the
        same for every Pod of an image, are interned: the log of 150,000 Pods keeps one
        copy of each. The scheduler's ``Scheduled`` message names its Pod and node, never
        repeats, and is left out of the interned table."""
        meta = obj["metadata"]
        name, namespace, uid = intern(_event_object(obj)), meta.get("namespace", ""), \
            meta.get("uid", "")
        path = intern(path)
        if host:                    # the kubelet's: unlike the scheduler's, they repeat
            message = intern(message)
        source = (host, component(reason, obj["kind"].lower(), host), name, namespace, uid)
        written = self.correlator.correlate(self.now, source, type, reason, message, path)
        if written is None:
            return                          # the spam filter drops it
        self.events.record(self.now, name, reason, written.message, type,
                           namespace=namespace, uid=uid,
                           field_path=path, host=host,
                           related=_reference(related) if related is not None else (),
                           observed=written.observed, first_observed=written.first)

    def events_about(self, obj: Mapping[str, Any], reason: str) -> list[Event]:
        """The events recorded for this very ``obj`` (by its uid: not a namesake's in
        another namespace nor a deleted predecessor's) with ``reason``."""
        return self.events.where(reason=reason, object=_event_object(obj),
                                 uid=obj["metadata"].get("uid", ""))

    def generated_name(self, kind: str, namespace: str, prefix: str) -> str:
        """``prefix`` completed as the API server completes ``generateName``: five random
        characters, drawn again when the name is taken, up to eight draws in all
        (``createWithGenerateNameRetry`` in k8s.io/apiserver ``registry/generic/registry/
        store.go``, KEP-4420, stable since v1.32; before, the first collision was refused).
        A ReplicaSet of 100,000 pods meets a few hundred collisions among its names."""
        for _ in range(_NAME_ATTEMPTS):
            name = generate_name(prefix, self.rng)
            if self.get(kind, namespace, name) is None:
                return name
        raise AdmissionError(f'{kind.lower()}s "{name}" already exists, the server was not able '
                             "to generate a unique name for the object")

    def create(self, obj: dict[str, Any], *, dry_run: bool = False) -> dict[str, Any]:
        """Store a new object: name, uid, creation time, and for pods defaults and admission.

        With ``dry_run`` the object is named, validated, admitted and given its server fields
        as a create would, and returned without being stored: the registry runs the whole
        create and its ``DryRunnableStorage`` skips the write (k8s.io/apiserver
        ``pkg/registry/generic/registry/dryrun.go``), so nothing in the cluster changes. A
        Service then gets its defaults and the dry-run allocator's cluster IP
        (:meth:`~clustersim.kubernetes.services.Services.admit_dry_run`)."""
        kind: str = obj["kind"]     # every object stored has one (loader, controllers)
        meta = obj.setdefault("metadata", {})
        meta.setdefault("namespace", "default")
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = self.generated_name(kind, meta["namespace"], meta["generateName"])
        if not meta.get("name"):
            raise ValueError(f"{kind} needs metadata.name")
        if self.get(kind, meta["namespace"], meta["name"]) is not None:
            raise AdmissionError(f'{kind.lower()}s "{meta["name"]}" already exists')
        fold_string_data(obj)       # a Secret's stringData is decoded into data
        self._validate(obj)
        if kind == "Pod":
            refusal = create_refusal(obj)
            if refusal:
                raise AdmissionError(refusal)
            self._admit_pod(obj)
        if kind == "Ingress":
            default_ingress_class(obj, self.objects("IngressClass"))
        if kind == "Service" and dry_run:
            self.services.admit_dry_run(obj)
        elif kind == "Service":
            self.services.admit(obj)
        stamp_template_generation(obj, None)
        self._uid += 1
        meta["uid"] = f"{self._uid:08x}-0000-4000-8000-{self.clock.seed & 0xFFFFFFFFFFFF:012x}"
        meta["creationTimestamp"] = self.now
        if kind in GENERATION_KINDS:
            meta.setdefault("generation", 1)
        else:                   # its strategy keeps none; a client's value is not stored
            meta.pop("generation", None)
        if dry_run:
            return obj
        self._objects.setdefault(kind, {})[self._key(obj)] = obj
        if kind == "Pod":
            self.pod_counts.update(obj)
            self.pod_index.add(obj)
        if kind in ADOPTABLE and controller_of(obj) is None:
            self._orphaned(obj)
        for owner in (meta.get("ownerReferences") or []):
            self._children.setdefault(owner["uid"], {})[meta["uid"]] = obj
        self.changed()
        if kind == "StorageClass" and obj.get("volumeBindingMode") == "WaitForFirstConsumer":
            # VolumeBinding's queueing hint: a pod whose claim names this class may fit now
            self._placement_version += 1
        if kind == "PersistentVolumeClaim":
            protect_claim(obj)
            self._placement_version += 1         # a pod waiting for this claim may fit now
            self.provision_claim(obj)
        if kind == "Pod" and obj["spec"].get("nodeName"):
            self._bind(obj, obj["spec"]["nodeName"], scheduled=False)
        return obj

    def provision_claim(self, claim: dict[str, Any]) -> None:
        """The PV controller's sync of a claim that is not bound (``syncUnboundClaim`` and
        ``provisionClaim``, ``pkg/controller/volume/persistentvolume/pv_controller.go``), when
        the claim is created and at each resync while it waits
        (:mod:`~clustersim.kubernetes.controllers.persistentvolume`): a claim whose class
        exists is bound to the volume its provisioner makes (its ``creationTimestamp``
        says when), with the annotations and events of a real binding
        (:func:`~clustersim.kubernetes.storageclass.bound_annotations`,
        :func:`~clustersim.kubernetes.storageclass.provisioning_events`); else it is
        ``Pending`` and the event saying why is recorded again
        (:func:`~clustersim.kubernetes.storageclass.provisioning_failure`)."""
        failure = self.claim_wait(claim)
        if failure is not None:                  # no volume yet: the claim waits
            claim["status"] = {"phase": "Pending"}
            self.record(claim, failure[1], failure[2], failure[0])
            return
        made_by = storage_class(claim_class(claim), self.get) or {}
        provisioner = str(made_by.get("provisioner", ""))
        volume = provisioned_volume(claim, made_by, self.now)
        # stored as the provisioner creates it, with a uid of its claim's: the simulator's
        # own uids (every other object's) stay as they were before volumes were stored
        self._objects.setdefault("PersistentVolume", {})[self._key(volume)] = volume
        claim["metadata"].setdefault("annotations", {}).update(bound_annotations(provisioner))
        for type_, reason, message in provisioning_events(claim, provisioner):
            self.record(claim, reason, message, type_)
        if is_pending(claim):
            claim["status"] = {"phase": "Bound"}
            self._placement_version += 1         # its waiting pods may fit now
            self.changed()

    def claim_wait(self, claim: Mapping[str, Any]) -> tuple[str, str, str] | None:
        """Why the PV controller leaves the claim Pending, as its event (type, reason,
        message): no class to provision it
        (:func:`~clustersim.kubernetes.storageclass.provisioning_failure`), or a class that
        waits for the claim's first Pod
        (:func:`~clustersim.kubernetes.storageclass.consumer_wait`); None when it binds."""
        failure = provisioning_failure(claim, self.get)
        if failure is None and waits_for_consumer(claim, self.get):
            return consumer_wait(claim, self.objects(
                "Pod", claim["metadata"].get("namespace", "default")))
        return failure

    def bind_pod_volumes(self, pod: Mapping[str, Any], node_name: str) -> None:
        """VolumeBinding's PreBind for the node the scheduler chose: each claim of the pod
        that waits for its first consumer gets the node in ``volume.kubernetes.io/
        selected-node`` and is provisioned, before the pod is bound (``BindPodVolumes``,
        ``pkg/scheduler/framework/plugins/volumebinding/binder.go``)."""
        namespace = pod["metadata"].get("namespace", "default")
        for volume in pod["spec"].get("volumes") or []:
            name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
            claim = self.get("PersistentVolumeClaim", namespace, str(name)) if name else None
            if claim is not None and is_pending(claim) and waits_for_consumer(claim, self.get):
                claim["metadata"].setdefault("annotations", {})[SELECTED_NODE] = node_name
                self.provision_claim(claim)

    def _validate(self, obj: dict[str, Any]) -> None:
        """The API server's check that a workload's selector selects its own template
        (``ValidateDeploymentSpec`` and friends in ``pkg/apis/apps/validation``). Before
        ``apps/v1`` a missing selector defaulted to the template's labels. Replica counts and
        affinity terms are bounded by the simulator's :mod:`~clustersim.limits`. A
        NetworkPolicy first gets its defaults, as the API server defaults before it validates
        (:mod:`~clustersim.kubernetes.networkpolicyadmission`), and so does an IngressClass
        (:mod:`~clustersim.kubernetes.ingressclasses`)."""
        if obj.get("kind") == "IngressClass":
            set_ingress_class_defaults(obj)
        if obj.get("kind") == "NetworkPolicy":   # ValidateNetworkPolicy, pkg/apis/networking
            set_defaults(obj)
            try:
                check_policy(obj)
            except PolicyError as err:
                raise AdmissionError(str(err)) from None
        kind = obj.get("kind")
        spec = obj.get("spec") or {}
        _check_volume_mounts(obj)
        _check_image_whitespace(obj)
        for field in ("replicas", "parallelism", "completions"):
            check_replicas(spec.get(field), f"{kind} {obj['metadata']['name']!r}: spec.{field}")
        check_count(_affinity_terms(obj), MAX_AFFINITY_TERMS,
                    f"{kind} {obj['metadata']['name']!r}: the number of affinity terms",
                    "each is evaluated against every node and pod for every pod scheduled; "
                    "clustersim.limits.MAX_AFFINITY_TERMS")
        if kind not in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"):
            return
        spec = obj.setdefault("spec", {})
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        name = obj["metadata"]["name"]
        group = "apps"
        if spec.get("selector") is None:
            if obj.get("apiVersion") == "apps/v1":
                raise AdmissionError(f'{kind}.{group} "{name}" is invalid: spec.selector: '
                                     "Required value")
            spec["selector"] = {"matchLabels": dict(labels)}
        if not selector_matches(spec["selector"], labels):
            raise AdmissionError(
                f'{kind}.{group} "{name}" is invalid: spec.template.metadata.labels: '
                + invalid(labels, "`selector` does not match template `labels`"))

    def _orphaned(self, obj: dict[str, Any]) -> None:
        """Index ``obj`` (an :data:`ADOPTABLE` kind) as an orphan of its namespace."""
        key = (obj["kind"], obj["metadata"]["namespace"])
        self._orphans.setdefault(key, {})[obj["metadata"]["uid"]] = obj

    def _adopted(self, obj: Mapping[str, Any]) -> None:
        """``obj`` is no orphan any more (adopted, or gone)."""
        found = self._orphans.get((obj["kind"], obj["metadata"].get("namespace", "")))
        if found is not None:
            found.pop(obj["metadata"]["uid"], None)

    def relabelled(self, owner: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
        """The objects of ``kind`` whose labels an update changed while ``owner`` was their
        controller, since the last call (taken): what its controller looks at again, to
        release those its selector no longer matches."""
        return list(self._relabelled.pop((owner["metadata"]["uid"], kind), {}).values())

    def release_dependent(self, obj: dict[str, Any], owner: Mapping[str, Any]) -> None:
        """``obj`` loses its owner reference to ``owner`` (``ReleasePod``,
        ``ReleaseReplicaSet``: a patch that deletes the reference of that uid) and, without
        a controller, becomes an orphan."""
        uid = owner["metadata"]["uid"]
        self._children.get(uid, {}).pop(obj["metadata"]["uid"], None)
        self._drop_reference(obj, uid)
        self.changed()

    def _drop_reference(self, obj: dict[str, Any], uid: str) -> None:
        """``obj``'s owner reference to ``uid`` goes; one of an :data:`ADOPTABLE` kind left
        without a controller is an orphan."""
        meta = obj["metadata"]
        kept = [ref for ref in meta.get("ownerReferences") or [] if ref.get("uid") != uid]
        if kept:
            meta["ownerReferences"] = kept
        else:
            meta.pop("ownerReferences", None)
        if obj["kind"] == "Pod":
            self.pod_written(obj)
        if obj["kind"] in ADOPTABLE and controller_of(obj) is None:
            self._orphaned(obj)

    def adopt(self, obj: dict[str, Any], owner: Mapping[str, Any]) -> None:
        """Index ``obj`` under its new controller ``owner``."""
        self._children.setdefault(owner["metadata"]["uid"], {})[obj["metadata"]["uid"]] = obj
        self._adopted(obj)
        if obj["kind"] == "Pod":
            self.pod_written(obj)
        self.changed()

    def _admit_pod(self, pod: dict[str, Any]) -> None:
        set_pod_defaults(pod, pod["metadata"].get("namespace", "default"))
        refusal = missing_service_account(pod, self.get)
        if refusal:
            raise AdmissionError(refusal)
        class_name = pod["spec"].get("priorityClassName")
        if class_name:
            if class_name in SYSTEM_PRIORITIES:
                pod["spec"]["priority"] = SYSTEM_PRIORITIES[class_name]
            else:
                found = self.get("PriorityClass", "default", class_name)
                if found is None:
                    raise AdmissionError(f'pods "{pod["metadata"]["name"]}" is forbidden: no '
                                         f"PriorityClass with name {class_name} was found")
                pod["spec"]["priority"] = int(found.get("value", 0))
                pod["spec"]["preemptionPolicy"] = found.get("preemptionPolicy",
                                                            "PreemptLowerPriority")
        namespace, name = pod["metadata"]["namespace"], pod["metadata"]["name"]

        def refuse(message: str) -> AdmissionError:
            return AdmissionError(f'pods "{name}" is forbidden: {message}')

        mark_gated(pod, self.now)
        admit_limit_ranges(pod, self.objects("LimitRange", namespace), refuse)
        pod_security = admit_pod_security(self.namespace_labels(namespace), pod)
        if pod_security.refusal:
            raise AdmissionError(pod_security.refusal)
        quotas = self.objects("ResourceQuota", namespace)
        if quotas:      # listing every pod per new pod made creating n pods cost n² steps
            admit_resource_quotas(pod, quotas, self.objects("Pod", namespace), self.now, refuse)

    def _unstore(self, obj: Mapping[str, Any]) -> None:
        self._objects.get(obj["kind"], {}).pop(self._key(obj), None)
        uid = obj["metadata"]["uid"]
        if obj["kind"] == "PersistentVolumeClaim":
            self._reclaim(obj)
        self._adopted(obj)
        for kind in ADOPTABLE:          # as an owner: its controller looks no more
            self._relabelled.pop((uid, kind), None)
        if obj["kind"] == "Pod":
            self.pod_counts.remove(obj)
            self.pod_index.remove(obj)
        self._retries.pop(uid, None)    # its sync finds it gone, succeeds, and is forgotten
        for removed in self.on_removed:
            removed(obj)
        owners = obj["metadata"].get("ownerReferences") or []
        for owner in owners:
            self._children.get(owner["uid"], {}).pop(uid, None)
        self.changed()
        for owner in owners:
            self._finish_foreground_deletion(obj["metadata"].get("namespace", "default"), owner)
        for child in list(self._children.pop(uid, {}).values()):
            if self.exists(child):
                self.delete_object(child)

    def _reclaim(self, claim: Mapping[str, Any]) -> None:
        """The PV controller's part when a claim is gone: its volume is Released, then
        deleted or kept as its reclaim policy says
        (:func:`~clustersim.kubernetes.persistentvolumes.reclaim`)."""
        volume = self.get("PersistentVolume", "default", volume_name(claim))
        if volume is None or volume["spec"]["claimRef"].get("uid") != claim["metadata"]["uid"]:
            return
        if reclaim(volume, self.now):
            self._unstore(volume)

    def delete_object(self, obj: dict[str, Any], propagation: str = "Background",
                      grace_period: int | None = None) -> None:
        """Delete an object; its dependents follow (background cascading deletion), or,
        with ``propagation`` ``"Orphan"`` (``kubectl delete --cascade=orphan``), stay
        without their owner reference to it (:meth:`_orphan_dependents`), or, with
        ``"Foreground"``, go first (:meth:`_delete_dependents_first`). An object that
        has finalizers (a claim's ``kubernetes.io/pvc-protection``) is only marked
        (:func:`~clustersim.kubernetes.finalizers.mark_deleting`) and goes when its
        last finalizer is removed (:meth:`set_finalizers`). A Pod is deleted gracefully
        (:meth:`delete_pod`, its ``grace_period`` the DeleteOptions' ``gracePeriodSeconds``);
        other kinds have no graceful deletion and take no grace period."""
        if propagation == "Orphan":
            self._orphan_dependents(obj)
        if obj["kind"] == "Pod":
            self.delete_pod(obj, grace_period)
            return
        if propagation == "Foreground" and self._blocking_dependents(obj):
            self._delete_dependents_first(obj)
            return
        if obj["metadata"].get("finalizers"):
            mark_deleting(obj["metadata"], self.now)
            self.changed()
            return
        self._remove(obj)

    def _orphan_dependents(self, owner: Mapping[str, Any]) -> None:
        """The garbage collector's orphaning: an owner deleted with ``propagationPolicy:
        Orphan`` gets the ``orphan`` finalizer, the collector removes the owner's reference
        from each dependent (``orphanDependents`` in kubernetes/kubernetes
        ``pkg/controller/garbagecollector/garbagecollector.go``), then the finalizer, and
        the owner goes. Simplified: all at once, as the collector does it within
        milliseconds; the finalizer is never seen. A dependent of an :data:`ADOPTABLE` kind
        left without a controller is an orphan a controller whose selector matches it may
        adopt (a Deployment made again adopts the ReplicaSets ``--cascade=orphan`` left, a
        StatefulSet its Pods and ControllerRevisions)."""
        uid = owner["metadata"]["uid"]
        for child in self._children.pop(uid, {}).values():
            self._drop_reference(child, uid)
        self.changed()

    def _blocking_dependents(self, owner: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The dependents whose reference to ``owner`` has ``blockOwnerDeletion: true``
        (the ones a foreground deletion waits for)."""
        uid = owner["metadata"]["uid"]
        return [child for child in self._children.get(uid, {}).values()
                if any(ref.get("uid") == uid and ref.get("blockOwnerDeletion")
                       for ref in child["metadata"].get("ownerReferences") or [])]

    def _delete_dependents_first(self, owner: dict[str, Any]) -> None:
        """Foreground cascading deletion: the API server marks the owner deleted and adds
        the ``foregroundDeletion`` finalizer (``deletionFinalizersForGarbageCollection``
        and ``markAsDeleting`` in k8s.io/apiserver
        ``pkg/registry/generic/registry/store.go``), so that it stays visible; the garbage
        collector deletes its dependents, in the foreground again those that have
        dependents of their own (``attemptToDeleteItem`` in kubernetes/kubernetes
        ``pkg/controller/garbagecollector/garbagecollector.go``), and removes the finalizer
        once no dependent that blocks the owner's deletion is left
        (``processDeletingDependentsItem``, :meth:`_finish_foreground_deletion`).
        Simplified: the collector's steps happen at once, as it does them within
        milliseconds; what takes time is the dependents' own deletion (a Pod's grace
        period)."""
        meta = owner["metadata"]
        finalizers = meta.setdefault("finalizers", [])
        if FOREGROUND_DELETION not in finalizers:
            finalizers.append(FOREGROUND_DELETION)
        mark_deleting(meta, self.now)
        self.changed()
        for child in list(self._children.get(meta["uid"], {}).values()):
            if self.exists(child) and child["metadata"].get("deletionTimestamp") is None:
                self.delete_object(child, "Foreground")

    def _finish_foreground_deletion(self, namespace: str, ref: Mapping[str, Any]) -> None:
        """The garbage collector's part when a dependent is gone: an owner (``ref``) being
        deleted in the foreground loses its ``foregroundDeletion`` finalizer once no
        blocking dependent is left, and goes if it has no other finalizer
        (``processDeletingDependentsItem``, garbagecollector.go)."""
        owner = self.get(ref.get("kind", ""), namespace, ref.get("name", ""))
        if owner is None or owner["metadata"]["uid"] != ref.get("uid"):
            return
        finalizers = owner["metadata"].get("finalizers") or []
        if FOREGROUND_DELETION in finalizers and not self._blocking_dependents(owner):
            self.set_finalizers(owner, [f for f in finalizers if f != FOREGROUND_DELETION])

    def _remove(self, obj: dict[str, Any]) -> None:
        if obj["kind"] == "Pod":
            self.remove_pod(obj)
            return
        if obj["kind"] == "Service":
            self.services.release(obj)
        self._unstore(obj)

    def set_finalizers(self, obj: dict[str, Any], finalizers: list[str], *,
                       dry_run: bool = False) -> None:
        """An update of the object's finalizers (a controller removing its own, or a user);
        the API server removes an object being deleted once none is left and its grace
        period is over (``Store.Update``, k8s.io/apiserver
        ``pkg/registry/generic/registry/store.go``: ``ShouldDeleteDuringUpdate``,
        :func:`~clustersim.kubernetes.finalizers.deleted_by_update`): a Pod whose containers
        are still stopping stays until its kubelet deletes it (:meth:`delete_now`). With
        ``dry_run`` (``obj`` is then a copy, :meth:`dry_run_update`) only ``obj`` changes."""
        meta = obj["metadata"]
        deleted = deleted_by_update(finalizers, meta)
        if finalizers:
            meta["finalizers"] = finalizers
        else:
            meta.pop("finalizers", None)
        if dry_run:
            return
        self.changed()
        if deleted:
            self._remove(obj)

    def delete_pod(self, pod: dict[str, Any], grace_period: int | None = None) -> None:
        """Graceful pod deletion: Terminating, then gone when the kubelet is done. The first
        graceful delete sets the deletion timestamp and grace period and counts a generation
        (``BeforeDelete`` in k8s.io/apiserver ``pkg/registry/rest/delete.go``: a set
        ``deletionTimestamp`` is a change of desired state, KEP-5067; the conformance test
        "custom-set generation on new pods and graceful delete" expects 2), which the kubelet
        observes as it syncs the terminating pod (:meth:`~clustersim.kubernetes.kubelet.
        Kubelet.stop`). The Ready condition stays as the kubelet last reported it (the
        kubelet keeps probing readiness while the pod shuts down,
        ``pkg/kubelet/prober/worker.go``): its EndpointSlice entry turns ``ready: false`` for
        being terminating while it stays ``serving``.

        The grace period is ``grace_period`` (a DELETE's ``gracePeriodSeconds``) where
        given, else the spec's (:func:`~clustersim.kubernetes.podlifecycle.
        termination_grace_period`), negative read as 1 (``CheckGracefulDelete`` in
        kubernetes/kubernetes ``pkg/registry/core/pod/strategy.go``); 0 (``kubectl delete
        --force --grace-period=0``) removes the pod at once, as an unscheduled or finished
        one is (its period set to 0), unless it keeps finalizers (:meth:`delete_now`). A
        pod already terminating may only be given a shorter grace period
        (``BeforeDelete``), counted from the first request, or 1 s if that much has passed
        already; 0 removes it at once (the way out for a pod stuck Terminating on an
        unreachable node); a longer or no grace period changes nothing. Its kubelet kills
        it within the new period from then on (its pod worker starts the kill over).
        Simplified: ``deletionTimestamp`` is when the deletion was first asked (its grace
        period ends ``deletionGracePeriodSeconds`` later), where upstream it is when the
        grace period ends."""
        if not self.exists(pod):
            return
        meta, node = pod["metadata"], pod["spec"].get("nodeName")
        if is_terminating(pod):
            shortened = shortened_deletion(pod, grace_period, self.now)
            if shortened is None:
                return
            meta["deletionGracePeriodSeconds"] = shortened[0]
            self.changed()
            self._end_grace(pod)
            return
        grace = deletion_grace_period(pod, grace_period)
        if deleted_at_once(pod, grace):
            grace = 0       # CheckGracefulDelete: an unscheduled or finished Pod's period
        meta["deletionTimestamp"] = self.now
        meta["deletionGracePeriodSeconds"] = grace
        if meta.get("generation", 0) > 0:
            meta["generation"] += 1
        self.pod_written(pod)
        self.changed()
        bound_on = self._nodes.get(node or "")
        if bound_on is not None:
            bound_on.pods_changed()     # a terminating pod no longer counts for spreading
        self._end_grace(pod)
        # On an unreachable node the pod stays Terminating until the node is back.

    def _end_grace(self, pod: dict[str, Any]) -> None:
        """A Pod being deleted whose grace period is set: with 0 it goes at once
        (:meth:`delete_now`), unless it keeps finalizers and runs on a live kubelet, which
        stops its containers at once and makes it terminal first, as a forced deletion
        leaves it to; with more, its kubelet stops it within the period."""
        node = pod["spec"].get("nodeName") or ""
        running = self._kubelet_alive.get(node, False) and \
            pod["status"].get("phase") not in ("Succeeded", "Failed")
        if pod["metadata"]["deletionGracePeriodSeconds"] == 0 and not (
                running and pod["metadata"].get("finalizers")):
            self.delete_now(pod)
        elif running:
            self.kubelet.stop(pod)

    def delete_now(self, pod: dict[str, Any]) -> None:
        """A DELETE of the Pod with a grace period of 0: its kubelet's last one once its
        containers have stopped (the status manager's, ``syncPod`` in kubernetes/kubernetes
        ``pkg/kubelet/status/status_manager.go``), the pod garbage collector's, or a forced
        one. The Pod goes, unless it keeps finalizers: then it stays, its
        ``deletionGracePeriodSeconds`` 0, until its last finalizer is removed
        (``updateForGracefulDeletionAndFinalizers`` and ``ShouldDeleteDuringUpdate`` in
        k8s.io/apiserver ``pkg/registry/generic/registry/store.go``;
        :mod:`~clustersim.kubernetes.finalizers`), listed ``Terminating`` until its kubelet
        has made it terminal."""
        meta = pod["metadata"]
        if not meta.get("finalizers"):
            self.remove_pod(pod)
            return
        if meta.get("deletionGracePeriodSeconds") == 0:
            return
        mark_deleting(meta, self.now)
        self.pod_written(pod)
        self.changed()

    def update_pod(self, pod: dict[str, Any], spec: Mapping[str, Any], *,
                   dry_run: bool = False) -> None:
        """An update of a Pod's spec to ``spec``, which
        :func:`~clustersim.kubernetes.workloadupdates.pod_update_refusal` has let through
        (``kubectl apply``, and the served API's PUT and PATCH): its mutable fields are
        stored, the scheduling queue told (a gate removed lets it in, a parked Pod is moved
        back: :meth:`~clustersim.kubernetes.podindex.PodIndex.updated`), and its kubelet is
        told of the containers whose image changed
        (:meth:`~clustersim.kubernetes.kubelet.Kubelet.change_images`), each keeping the
        pull policy it was created with
        (:func:`~clustersim.kubernetes.defaults.keep_defaults`), and its kubelet checks a
        lowered ``activeDeadlineSeconds`` at once; the change counts a
        generation (``setGenerationForPodSpecUpdate``, KEP-5067), which its kubelet observes
        as it syncs the update (:meth:`~clustersim.kubernetes.kubelet.Kubelet.observe`). With
        ``dry_run`` (``pod`` is then a copy, :meth:`dry_run_update`) nothing else is told."""
        before = copy.deepcopy(pod["spec"])
        changed = update_pod_spec(pod["spec"], spec)
        keep_defaults("Pod", before, pod["spec"])
        counted = count_generation(pod, before)
        if dry_run:
            return
        self.changed()
        if counted:                 # UnscheduledPodUpdate: a parked Pod is tried again
            self.pod_index.updated(pod)
        node = pod["spec"].get("nodeName")
        if counted and node is not None:
            self.kubelet.observe(pod)
        if changed and node is not None and self._kubelet_alive.get(node, False):
            self.kubelet.change_images(pod, changed)
        if pod["spec"].get("activeDeadlineSeconds") != before.get("activeDeadlineSeconds"):
            self.kubelet.watch_deadline(pod)        # a lower deadline may have passed

    def update_pod_conditions(self, pod: dict[str, Any],
                              conditions: Sequence[Mapping[str, Any]]) -> None:
        """A write of the Pod's ``status`` subresource with ``conditions``: those of types
        the kubelet does not own (:data:`~clustersim.kubernetes.podlifecycle.KUBELET_CONDITIONS`,
        such as a readiness gate's) become the stored ones, in the order given; the
        kubelet's are kept, as its next sync writes them again (``mergePodStatus``). The
        kubelet then syncs the Pod, so its Ready condition follows its readiness gates
        (:meth:`~clustersim.kubernetes.kubelet.Kubelet.sync_ready`). A condition keeps the
        ``observedGeneration`` its writer sent, and one sent without (or with 0) keeps the
        stored one of its type, the first for the first of that type and so on
        (``preserveOldObservedGeneration`` in ``pkg/registry/core/pod/strategy.go``)."""
        stored = pod["status"].get("conditions") or []
        others = [dict(c) for c in conditions if c.get("type") not in KUBELET_CONDITIONS]
        kept: dict[Any, list[Any]] = {}
        for condition in stored:
            kept.setdefault(condition.get("type"), []).append(
                condition.get("observedGeneration"))
        for condition in others:
            earlier = kept.get(condition.get("type"))
            generation = earlier.pop(0) if earlier else None
            if not condition.get("observedGeneration"):
                condition.pop("observedGeneration", None)
                if generation:
                    condition["observedGeneration"] = generation
        if others == [c for c in stored if c.get("type") not in KUBELET_CONDITIONS]:
            return
        pod["status"]["conditions"] = [
            *(c for c in stored if c.get("type") in KUBELET_CONDITIONS), *others]
        self.changed()
        self.kubelet.sync_ready(pod)

    def remove_pod(self, pod: dict[str, Any]) -> None:
        """The pod object disappears (its kubelet finished, or it never ran)."""
        self.release(pod)
        self._attempted.pop(pod["metadata"]["uid"], None)
        self._last_failure.pop(pod["metadata"]["uid"], None)
        self._task_requests.pop(pod["metadata"]["uid"], None)
        self._unstore(pod)
        self.scheduler.nominator.forget(pod)        # DeleteNominatedPodIfExists
        self.kubelet.forget(pod)        # after: a watch's DELETED event shows its last status

    def release(self, pod: dict[str, Any]) -> None:
        """Free the pod's requests on its node (it finished or is gone)."""
        node = self._nodes.get(pod["spec"].get("nodeName") or "")
        if node is not None and any(p is pod for p in node.pods):
            node.remove_pod(pod)
            self._placement_version += 1
            self.changed()

    # ---- apply (kubectl apply) -----------------------------------------------------------

    def apply(self, source: Any) -> list[str]:
        """Create or update objects from anything ``load_manifests`` accepts (a path, YAML or
        JSON text) or from plain dicts, then reconcile. Returns kubectl's lines, e.g.
        ``["deployment.apps/web created"]``. An object with only ``generateName`` is created
        under a generated name, as ``kubectl create`` does."""
        return self._store(source, kubectl_apply=True)

    def update(self, source: Any, *, validated: bool = False) -> list[str]:
        """The API server's update (a PUT, or a PATCH once patched) of stored objects to the
        objects in ``source``, then reconcile. Unlike :meth:`apply` nothing of kubectl's is
        involved: the labels and annotations stored are the object's as sent (no
        ``last-applied-configuration`` is written; ``kubectl set image``, ``scale``,
        ``edit`` and ``patch`` send what they read back), and the spec is checked against
        the stored one, as each kind's ``ValidateXUpdate`` compares the old and new objects
        (kubernetes/kubernetes ``staging/src/k8s.io/apiserver/pkg/registry/rest/update.go``
        ``BeforeUpdate``). Every object must exist. Each line says ``configured``, or
        ``unchanged`` for an object the update leaves as it was (nothing is written).
        ``validated``: ``source`` is a list of manifests :func:`load_manifests` returned (the
        served API validates each body before it updates), not loaded a second time (loading
        the loader's output again gives it back, at a cost in the object's size), and handed
        over: the cluster stores and changes them without a copy (a copy of a 3 MB object
        costs a third of a second)."""
        return self._store(source, kubectl_apply=False, validated=validated)

    def dry_run_update(self, manifest: dict[str, Any], *, validated: bool = False
                       ) -> dict[str, Any]:
        """The object :meth:`update` of ``manifest`` would store, returned and not stored (a
        PUT or PATCH with ``?dryRun=All``: ``kubectl apply``, ``replace``, ``patch
        --dry-run=server`` and ``kubectl diff``). The whole update runs, on a copy of the
        stored object: the same validation and refusals (an immutable field is refused as
        the update refuses it), defaults and generation count; nothing is stored, no kubelet
        or controller hears of it, and no revision moves. Upstream the registry's ``Update``
        runs in full and only its ``DryRunnableStorage`` skips the write (k8s.io/apiserver
        ``pkg/registry/generic/registry/dryrun.go``, ``store.go`` ``Update``). A Service
        keeps its allocated cluster IP and node ports and gets its defaults, but is not
        allocated again (simplified: the simulator's allocator has no dry run). A
        ``validated`` manifest is handed over, as to :meth:`update`."""
        (checked,) = [manifest] if validated else self._manifests([manifest])
        return self._apply_one(checked, [], kubectl_apply=False, dry_run=True)[1]

    def _store(self, source: Any, *, kubectl_apply: bool, validated: bool = False
               ) -> list[str]:
        """:meth:`apply` (``kubectl_apply``) or :meth:`update` of every object in
        ``source`` (already loaded if ``validated``), rolled back as one if the control loop
        cannot take them."""
        results: list[str] = []
        undo: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        for manifest in source if validated else self._manifests(source):
            try:    # specs loaded before come back as they are: their manifests are copied
                owned = manifest if validated else copy_data(manifest)
                results.append(self._apply_one(owned, undo, kubectl_apply)[0])
            except ValueError:
                raise                   # a clear refusal; what was applied before it stays
            except Exception as err:
                raise self._roll_back(undo, err) from None
        try:
            self._reconcile()
        except Exception as err:
            raise self._roll_back(undo, err) from None
        return results

    def _roll_back(self, undo: list[tuple[dict[str, Any], dict[str, Any] | None]],
                   err: Exception) -> ValueError:
        """Undo an apply that broke the control loop, so that a bad object does not stay
        stored and break every later call (the API server validates before it stores), and
        return the error to raise."""
        for obj, before in reversed(undo):
            if before is not None:
                obj.clear()
                obj.update(before)
                if obj["kind"] == "Pod" and self.exists(obj):
                    self.pod_written(obj)
            elif obj["kind"] == "Pod":
                self.remove_pod(obj)
            elif self.exists(obj):
                self.delete_object(obj)
        self.changed()
        self._reconcile()
        names = ", ".join(f"{o['kind']}/{o['metadata']['name']}" for o, _ in undo)
        return ValueError(f"{names or 'the manifest'}: not applied, the simulator could not "
                          f"handle it ({type(err).__name__}: {err}); check its fields against "
                          "the Kubernetes API reference")

    def _manifests(self, source: Any) -> list[dict[str, Any]]:
        """The Kubernetes objects in ``source``, validated by :func:`load_manifests` as the API
        server validates them, whether it is a file, text, a dict or a list of dicts (a dict
        must not slip past the checks a file gets, e.g. a Service whose selector is a
        ``matchLabels`` mapping)."""
        from clustersim.manifests import load_manifests

        specs = load_manifests(source).of_system(
            "kubernetes", "KubernetesCluster applies Kubernetes manifests")
        return [spec.manifest for spec in specs]

    def _apply_one(self, manifest: dict[str, Any],
                   undo: list[tuple[dict[str, Any], dict[str, Any] | None]],
                   kubectl_apply: bool, *, dry_run: bool = False) -> tuple[str, dict[str, Any]]:
        """Create or update one object; returns kubectl's line and the object as stored.
        ``dry_run``: all of it runs on a copy of the stored object, which is returned
        (:meth:`dry_run_update`). ``kubectl_apply``: as ``kubectl apply`` does, the
        manifest is recorded in the ``last-applied-configuration`` annotation, and the object
        is ``unchanged`` when kubectl's three-way patch (:func:`_apply_patch_of`: the file,
        the one recorded before, the live object) is empty; otherwise the patch is merged
        into the live object (:func:`_merged`; a Pod's spec by :func:`_patched_pod_spec`),
        which is stored as :meth:`update` stores an object: a label or annotation the file
        dropped since the last apply is removed, one set by others stays."""
        kind = manifest["kind"]
        meta = manifest.setdefault("metadata", {})
        meta.setdefault("namespace", "default")
        if not meta.get("name"):
            # kubectl create completes generateName; kubectl apply would refuse it.
            meta["name"] = self.generated_name(kind, meta["namespace"], meta["generateName"])
        group = manifest.get("apiVersion", "v1").split("/")[0]
        label = f"{kind.lower()}{'.' + group if '/' in manifest.get('apiVersion', '') else ''}"
        label += f"/{meta['name']}"
        existing = self.get(kind, meta["namespace"], meta["name"])
        if existing is None and not kubectl_apply:
            raise AdmissionError(f'{label} not found: only a stored object can be updated')
        if dry_run and existing is not None:
            existing = copy.deepcopy(existing)
        if existing is None:
            meta.setdefault("annotations", {})[LAST_APPLIED] = last_applied_text(manifest)
            # each kind's PrepareForCreate resets the status a client sent (a Pod's to
            # phase Pending, pkg/registry/core/pod/strategy.go; a Deployment's, a Job's,
            # a Service's, a claim's to empty, pkg/registry/*/*/strategy.go), as the served
            # API drops it: only the controllers and the kubelet write it
            manifest.pop("status", None)
            created = self.create(manifest, dry_run=dry_run)
            undo.append((created, None))
            return f"{label} created", created
        last = _last_applied(existing, label) if kubectl_apply else None
        if kubectl_apply:
            current = copy.deepcopy(existing)
            fill_defaults(current)          # the object as the API server returns it
            patch = _apply_patch_of(manifest, last_applied_text(manifest), last, current)
            if not patch:
                return f"{label} unchanged", existing
            # kubectl sends the patch, the API server merges it into the live object (as the
            # served API's PATCH does): what others set and the file never said stays, what
            # the file dropped since the last apply goes (labels and annotations included)
            merged = _merged(strategic_merge_patch(current, patch))
            if kind == "Pod":       # its spec is patched below (_patched_pod_spec)
                manifest["metadata"] = merged["metadata"]
            else:
                manifest = merged
            meta = manifest["metadata"]
        fold_string_data(manifest)      # as decoded, before it is compared with the stored
        # defaulted against defaulted: a field at its default is no change (nor a rollout)
        if kind == "Deployment":
            set_deployment_defaults(manifest)      # as its controller stored them
        if kind != "Pod":
            stored_form(kind, manifest.get("spec"), existing.get("spec"))
        self._validate(manifest)
        if kind == "Pod":
            spec = _patched_pod_spec(existing, manifest, last)
            stored_form(kind, spec, existing["spec"])
            refusal = pod_update_refusal(meta["name"], existing["spec"], spec)
        else:
            refusal = (workload_update_refusal(existing, manifest, last, merged=kubectl_apply)
                       or immutable_field_refusal(existing, manifest))
        if refusal:
            raise AdmissionError(refusal)
        before = copy_data(existing)
        undo.append((existing, before))
        if kind == "Pod":
            self.update_pod(existing, spec, dry_run=dry_run)
        elif kind == "Service" and dry_run:
            spec = manifest.setdefault("spec", {})
            keep_allocated(existing.get("spec") or {}, spec)
            set_service_defaults(spec)
            self.services.dry_run_update(existing, spec)
            existing["spec"] = spec
        elif kind == "Service":
            self.services.update(existing, manifest.setdefault("spec", {}))
        else:
            _store_content(existing, manifest)
        set_metadata_map(existing["metadata"], "labels", labels_of(manifest))
        set_metadata_map(existing["metadata"], "annotations", dict(meta.get("annotations") or {}))
        if not dry_run and labels_of(existing) != labels_of(before):
            if kind == "Pod":
                self._pod_relabelled(existing, labels_of(before))
            owner = controller_of(existing)
            if kind in ADOPTABLE and owner is not None:
                self._relabelled.setdefault((owner["uid"], kind), {})[
                    existing["metadata"]["uid"]] = existing
        stamp_template_generation(existing, before)
        if kind != "Pod":          # update_pod counted it
            count_generation(existing, before.get("spec"),
                             before["metadata"].get("annotations") or {})
        if existing == before:
            # an update that writes nothing: the store keeps the object and its
            # resourceVersion (GuaranteedUpdate skips the write); kubectl apply sent a
            # patch, and says so, whatever it came to
            undo.pop()
            return f"{label} {'configured' if kubectl_apply else 'unchanged'}", existing
        if not dry_run:
            self.changed()
        return f"{label} configured", existing



def _last_applied(existing: Mapping[str, Any], label: str) -> dict[str, Any] | None:
    """The configuration ``kubectl apply`` last applied to ``existing`` (its
    last-applied-configuration annotation), or None. One that is not a JSON object (someone
    annotated the object by hand) is refused, as kubectl refuses it ("error when creating
    patch": ``CreateThreeWayMergePatch`` cannot decode it, k8s.io/apimachinery
    ``strategicpatch/patch.go``), naming the annotation and what to do."""
    text = (existing["metadata"].get("annotations") or {}).get(LAST_APPLIED)
    if text is None:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        why = "is not JSON"
    else:
        if isinstance(found, dict):
            return found
        why = (f"holds a JSON {json_kind(found, numeric_target=False)}, not an object "
               "(json: cannot unmarshal "
               f"{json_kind(found, numeric_target=False)} into Go value of type "
               "map[string]interface {})")
    raise AdmissionError(
        f"{label}: its annotation {LAST_APPLIED} {why}, so apply cannot tell which fields it "
        "set before: remove the annotation (kubectl annotate ... "
        f"{LAST_APPLIED}-) or replace the object, then apply again")


def _apply_patch_of(manifest: Mapping[str, Any], applied: str,
                    last: Mapping[str, Any] | None, current: Mapping[str, Any]
                    ) -> dict[str, Any]:
    """The patch ``kubectl apply`` of ``manifest`` (``applied``: its JSON, the annotation it
    writes) would send to ``current``, the object as the API server returns it (its
    defaults filled in): :func:`~clustersim.kubernetes.strategicmerge.three_way_patch` with
    the last applied configuration ``last``."""
    modified = copy.deepcopy(dict(manifest))
    modified["metadata"].setdefault("annotations", {})[LAST_APPLIED] = applied
    return three_way_patch(last or {}, modified, current)


def _merged(patched: Mapping[str, Any]) -> dict[str, Any]:
    """What of ``patched`` (the live object with kubectl's patch merged in) an update
    writes: its kind, name, labels and annotations, and its content (:func:`_store_content`);
    the rest (status, uid, generation...) is the API server's and stays as stored."""
    meta = patched["metadata"]
    return {**{key: copy.deepcopy(value) for key, value in patched.items()
               if key not in _SERVER_FIELDS},
            "metadata": {key: copy.deepcopy(meta[key]) for key in
                         ("name", "namespace", "labels", "annotations") if key in meta}}


_SERVER_FIELDS = frozenset({"metadata", "status"})
"""Top-level fields an update does not take from the client: the object's metadata (but its
labels and annotations) and its status (each kind's ``PrepareForUpdate`` keeps the old one)."""


def _store_content(existing: dict[str, Any], manifest: Mapping[str, Any]) -> None:
    """Make ``manifest``'s content ``existing``'s: every top-level field but the server's
    (:data:`_SERVER_FIELDS`): a spec (``{}`` when the manifest has none), or the fields of the
    kinds that have no spec (a ConfigMap's ``data``, a Role's ``rules``, a RoleBinding's
    ``subjects``, a StorageClass's ``allowVolumeExpansion``...)."""
    for field in (set(existing) | set(manifest)) - _SERVER_FIELDS:
        if field in manifest:
            existing[field] = copy_data(manifest[field])
        elif field == "spec":
            existing[field] = {}
        else:
            del existing[field]


def last_applied_text(manifest: Mapping[str, Any]) -> str:
    """The ``last-applied-configuration`` annotation ``kubectl apply`` writes for
    ``manifest`` (its namespace filled in, as kubectl's builder sets it): the object without
    that annotation, ``annotations`` made ``{}`` when it has none, encoded as Go's
    ``json.Marshal`` with the encoder's trailing newline (``GetModifiedConfiguration`` in
    kubernetes/kubernetes ``staging/src/k8s.io/kubectl/pkg/util/apply.go``). The same file
    gives the same text whichever of kubectl and the Python API applied it, so the other
    then finds nothing to send."""
    meta = manifest.get("metadata") or {}
    obj = {**manifest, "metadata": {**meta, "annotations": {
        k: v for k, v in (meta.get("annotations") or {}).items() if k != LAST_APPLIED}}}
    return go_json(obj) + "\n"


def _patched_pod_spec(existing: Mapping[str, Any], manifest: Mapping[str, Any],
                      last: Mapping[str, Any] | None) -> dict[str, Any]:
    """The spec a Pod would have after ``kubectl apply`` of ``manifest``: the stored spec
    patched as kubectl's three-way merge with the last applied configuration ``last`` says
    (:func:`~clustersim.kubernetes.strategicmerge.apply_patch`: containers merged by name,
    so what admission wrote into them at create, such as a LimitRange's resources, stays),
    then the API server's defaults (``SetDefaults_PodSpec`` and the
    ``DefaultTolerationSeconds`` admission plugin, which run on an update too). What it may
    change is :func:`~clustersim.kubernetes.workloadupdates.pod_update_refusal`'s to say."""
    original = (last or {}).get("spec") or {}
    spec = strategic_merge_patch(existing["spec"],
                                 apply_patch(original, manifest.get("spec") or {}))
    set_pod_defaults({"metadata": {"namespace": existing["metadata"].get("namespace")},
                      "spec": spec})
    return spec


def _check_volume_mounts(obj: Mapping[str, Any]) -> None:
    """Every volumeMount of a Pod names a volume of its pod (``ValidateVolumeMounts``:
    ``Not found``). The loader checks the templates the API server validates; a StatefulSet's
    is not validated (its volumes come partly from volumeClaimTemplates, a TODO upstream in
    ``ValidatePodTemplateSpecForStatefulSet``), so a bad mount there fails each pod the
    controller creates (``FailedCreate``)."""
    if obj.get("kind") != "Pod":
        return
    for where, name in unmounted_volumes(obj.get("spec") or {}):
        raise AdmissionError(f'Pod "{obj["metadata"].get("name")}" is invalid: '
                             f'{format_path(("spec", *where))}: Not found: {go_value(name)}')


def _check_image_whitespace(obj: Mapping[str, Any]) -> None:
    """A Pod's images on create (:func:`~clustersim.kubernetes.workloadupdates.
    image_whitespace_refusal`, which its update checks too); a pod template's may have
    whitespace (``validateContainers`` requires only an image), so a workload whose template
    has one is stored and each Pod its controller creates is refused (``FailedCreate``)."""
    if obj.get("kind") != "Pod":
        return
    refusal = image_whitespace_refusal(obj["metadata"].get("name"), obj.get("spec") or {})
    if refusal is not None:
        raise AdmissionError(refusal)


def _event_object(obj: Mapping[str, Any]) -> str:
    """How an event names ``obj``: ``kind/name``, as ``kubectl get events`` shows it."""
    return f"{obj['kind'].lower()}/{obj['metadata']['name']}"


def _reference(obj: Mapping[str, Any]) -> tuple[str, str, str]:
    """``obj`` as an event names it, with its namespace and uid."""
    meta = obj["metadata"]
    return _event_object(obj), meta.get("namespace", ""), meta.get("uid", "")
