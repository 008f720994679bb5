"""The simulator's objects as the API server returns them.

The simulator stores manifests with simulated times (seconds) and no resourceVersion; the API
speaks RFC 3339 timestamps and carries metadata the simulator has no use for. This module
fills that in for the objects the simulator stores: timestamps, ``resourceVersion``, pods'
``containerStatuses`` (which ``kubectl`` reads for READY, STATUS and RESTARTS) and conditions
(:mod:`~clustersim.serve.kubeconditions`), the defaults
the API server writes (those of Pods and pod templates from
:mod:`~clustersim.kubernetes.defaults`), claims as bound, PodDisruptionBudgets' status as the
disruption controller computes it, ResourceQuotas' status (``hard`` and ``used``) as the
resource quota controller keeps it, the autoscaling/v2 defaults of HorizontalPodAutoscalers,
and Namespaces. The kinds the simulator keeps no object for (Nodes, Leases, Events,
EndpointSlices, Endpoints) are made in :mod:`~clustersim.serve.kubederived`.
"""
from __future__ import annotations

import copy
import zlib
from collections.abc import Mapping
from typing import Any

from clustersim.goformat import seconds_duration
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllers.disruption import budget_status
from clustersim.kubernetes.controllers.horizontal import DEFAULT_UTILIZATION, behavior_defaults
from clustersim.kubernetes.controllers.podfailurepolicy import exit_code
from clustersim.kubernetes.defaults import (
    set_defaults,
    set_service_status_defaults,
    set_template_defaults,
)
from clustersim.kubernetes.imagemanager import INVALID_IMAGE_NAME
from clustersim.kubernetes.kubelet import Kubelet, crash_loop_message
from clustersim.kubernetes.podlifecycle import status_order
from clustersim.kubernetes.prober import started_delay
from clustersim.kubernetes.qos import pod_qos_class
from clustersim.kubernetes.resourcequota import quota_status
from clustersim.kubernetes.scheduler.labels import namespace_labels
from clustersim.serve.kubeconditions import kubelet_conditions
from clustersim.serve.kubederived import DerivedObjects, bound_claim
from clustersim.serve.kubeevents import EventStore
from clustersim.serve.kubefieldmanager import FieldManagers
from clustersim.serve.kubeinitstatus import (
    POD_INITIALIZING,
    incomplete_inits,
    init_container_statuses,
)
from clustersim.serve.kubenamespaces import (
    deletion_conditions,
    remaining_content,
    update_terminating,
)
from clustersim.serve.kubeomitempty import omit_empty
from clustersim.serve.kuberesources import NAMESPACED, Resource, by_kind
from clustersim.serve.kuberestarts import restart_fields
from clustersim.serve.kuberuntimeids import add_runtime_ids
from clustersim.serve.kubestatuswrites import StatusWrites

__all__ = ["WAITING_REASONS", "Renderer", "waiting_reason"]

SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


class Renderer(DerivedObjects):
    """Turns the cluster's state into API objects: the stored ones here, the derived ones
    and the request's clock in :class:`~clustersim.serve.kubederived.DerivedObjects`."""

    def __init__(self, cluster: KubernetesCluster, epoch: float | None = None) -> None:
        super().__init__(cluster, epoch)
        self.terminating: dict[str, dict[str, Any]] = {}
        """Namespaces deleted through the API whose objects are still going away, each as it
        was stored, with its ``deletionTimestamp`` (:meth:`terminate`): a real namespace
        stays, in phase Terminating, until its namespace controller has emptied it
        (:mod:`~clustersim.serve.kubenamespaces`)."""
        self.purged: set[str] = set()
        """Namespaces whose finalizers were all removed by hand while content remained
        (:func:`~clustersim.serve.kubenamespaces.update_terminating`): gone, though that
        content, orphaned, still names them, until it is gone too or the namespace is made
        again."""
        self._unstamped: dict[tuple[str, str], list[tuple[int, int]]] = {}
        """The events whose references still wait for a version, by the object they name
        (its kind in lower case and its name): each event's number in the log
        (:meth:`~clustersim.sim.EventLog.since`) and which of its references it is (0
        ``involvedObject``, 1 ``related``); those the log has dropped are let go."""
        self._noted = 0
        """The number of the first event :meth:`_note_references` has not noted."""
        self._kept_from = 0
        """The number of the log's oldest event when the references of those it dropped were
        last let go (:meth:`_let_go_dropped`)."""
        self.managers = FieldManagers()
        """The field managers of the objects written through the API, shown as their
        ``metadata.managedFields``; an object's go with it."""
        self.status_writes = StatusWrites()
        """The statuses written through ``/status`` shown in place of the simulator's own
        (:mod:`~clustersim.serve.kubestatuswrites`), by uid; an object's go with it."""
        self.deletions_moved: dict[str, float] = {}
        """The deletion times a shortened grace period moved to the second request's time,
        by uid (:meth:`deletion_timestamp`)."""
        cluster.on_removed.append(self.managers.forget)
        cluster.on_removed.append(self._deleted)

    def _deleted(self, obj: Mapping[str, Any]) -> None:
        """Number an object's deletion when the store lets it go (its key as stamped: a
        cluster-scoped object's without a namespace)."""
        resource = by_kind(obj["kind"])
        meta = obj["metadata"]
        self.deletions_moved.pop(meta.get("uid", ""), None)
        self.status_writes.forget(meta.get("uid", ""))
        namespace = meta.get("namespace", "") if resource is None or resource.namespaced \
            else ""
        self.versions.deleted(obj["kind"], (namespace, meta["name"], meta.get("uid", "")))

    def _note_references(self) -> None:
        """Note the objects named by the events recorded since the last call: an event's
        recorder copies their resourceVersions into its references (``GetReference`` in
        client-go ``tools/reference/ref.go`` takes the object's ``metadata.resourceVersion``; the
        kubelet's container references go through it too, ``GetPartialReference``). A
        version is found only when the object is rendered (:mod:`~clustersim.serve.
        kubeversions`): each reference takes the version its object has when it is next
        rendered, a read of it or of the events (:meth:`events`), the version that covers
        the change the event reports. Simplified: a real recorder copies the object it last
        read, and the changes an object goes through between two reads make one version
        here, not one each. A Node's events have none: the kubelet and the node lifecycle
        controller build their Node references by hand, without one (``RecordNodeEvent``
        in ``pkg/controller/util/node``), and so does an object already gone. Runs as each
        render stamps a version, so that a reference takes the version of the first render
        after its event, never of one before it."""
        events = self.cluster.events
        for number, event in events.since(self._noted):
            for slot, named in enumerate((event.object, *event.related[:1])):
                kind_lower, _, name = named.partition("/")
                if kind_lower != "node":
                    self._unstamped.setdefault((kind_lower, name), []).append((number, slot))
        self._noted = events.recorded
        if self._kept_from < events.dropped:
            self._let_go_dropped(events.dropped)

    def _let_go_dropped(self, dropped: int) -> None:
        """Forget the references of the events numbered below ``dropped``, which the log
        let go: none of their Events is made again (those made keep what they were given)."""
        for waiting in self._unstamped.values():
            waiting[:] = [(number, slot) for number, slot in waiting if number >= dropped]
        self._unstamped = {key: waiting for key, waiting in self._unstamped.items() if waiting}
        for number in [number for number in self.referenced if number < dropped]:
            del self.referenced[number]
        self._kept_from = dropped

    def _named(self, number: int, slot: int) -> tuple[str, str, str]:
        """The ``kind/name``, namespace and uid of a reference of the event numbered
        ``number``, one the log keeps."""
        event = self.cluster.events.numbered(number)
        assert event is not None, "a reference of a dropped event is let go"
        if slot:
            obj, namespace, uid = event.related
            return obj, namespace, uid
        return event.object, event.namespace, event.uid

    def stamp_references(self, stored: Mapping[str, Any], version: str) -> None:
        """Give ``version``, that of the ``stored`` object just rendered, to the references
        waiting for it (see :meth:`_note_references`)."""
        self._note_references()
        meta = stored["metadata"]
        waiting = self._unstamped.get((stored["kind"].lower(), meta["name"]))
        if not waiting:
            return
        kept = []
        for number, slot in waiting:
            _, namespace, uid = self._named(number, slot)
            # an event recorded by name alone names whichever object its name finds
            named = uid == meta.get("uid") if uid else \
                self._find(stored["kind"], namespace, meta["name"], "") is stored
            if named:
                referenced = list(self.referenced.get(number, ("", "")))
                referenced[slot] = version
                self.referenced[number] = (referenced[0], referenced[1])
            else:
                kept.append((number, slot))
        waiting[:] = kept
        if not kept:
            del self._unstamped[(stored["kind"].lower(), meta["name"])]

    def current_events(self) -> EventStore:
        """:meth:`DerivedObjects.current_events`, each reference with the version its object had
        when first rendered after the event (:meth:`_note_references`): the objects not
        rendered since are rendered now, and the references to one gone have none."""
        self._note_references()
        for waiting in list(self._unstamped.values()):
            while waiting:
                first = waiting[0]
                target = self._reference(*self._named(*first))[1]
                if target is not None:
                    self.render(target, lean=True)      # stamps first and its namesakes
                if waiting and waiting[0] == first:
                    waiting.pop(0)
        self._unstamped = {key: waiting for key, waiting in self._unstamped.items() if waiting}
        return super().current_events()

    # ---- stored objects --------------------------------------------------------------------

    def render(self, obj: Mapping[str, Any], resource: Resource | None = None, *,
               lean: bool = False) -> dict[str, Any]:
        """A stored object as the API returns it, with its resourceVersion. ``lean``: for a
        Table only (read, never sent whole): the spec is the stored one, not a copy, and
        keeps its defaults unset. The version is stamped from the stored object and the
        status shown, which :meth:`shown` makes alike whatever ``lean``: a read, whatever
        it asks for, leaves every version as it was (only a write changes one, as an etcd
        mod revision). A status written through ``/status`` shows while it lasts
        (:class:`~clustersim.serve.kubestatuswrites.StatusWrites`)."""
        shown = self.shown(obj, resource, lean=lean)
        self.status_writes.apply(shown)
        out = self.versioned(shown, obj, stored=True)
        self.stamp_references(obj, out["metadata"]["resourceVersion"])
        return out

    def shown(self, obj: Mapping[str, Any], resource: Resource | None = None, *,
               lean: bool = False) -> dict[str, Any]:
        """:meth:`render` without the resourceVersion (and without the side effect of
        stamping one)."""
        resource = resource or by_kind(obj["kind"])
        if lean:
            out = {k: (v if k == "spec" else self._times(v)) for k, v in obj.items()}
        else:
            out = self._times(dict(obj))
        out["kind"] = obj["kind"]
        if resource is not None:
            out["apiVersion"] = resource.group_version
        meta = out.setdefault("metadata", {})
        if resource is not None and not resource.namespaced:
            meta.pop("namespace", None)
        if obj["metadata"].get("deletionTimestamp") is not None:
            meta["deletionTimestamp"] = self.timestamp(self.deletion_timestamp(obj["metadata"]))
        if obj["kind"] == "Pod":
            self._pod_status(obj, out)
        elif obj["kind"] == "PodDisruptionBudget":
            try:
                status = budget_status(self.cluster, obj)
            except ValueError:           # a budget the disruption controller cannot read
                status = {}
            out["status"] = {**status, "observedGeneration": obj["metadata"].get(
                "generation", 1)}
        elif obj["kind"] == "ResourceQuota":
            out["status"] = self._quota_status(obj)
        elif obj["kind"] == "HorizontalPodAutoscaler":
            out["spec"] = _hpa_defaults(out.get("spec") or {})
        elif obj["kind"] == "Secret":
            out.setdefault("type", "Opaque")     # core/v1 defaults.go SetDefaults_Secret
        elif obj["kind"] == "Service":
            set_service_status_defaults(out)
        elif obj["kind"] == "Ingress":      # IngressStatus.LoadBalancer: a struct, never
            out.setdefault("status", {}).setdefault("loadBalancer", {})     # left out
        elif obj["kind"] == "PersistentVolumeClaim":
            bound_claim(out)
        elif obj["kind"] == "ControllerRevision" and not lean:
            out["data"] = _revision_data(out.get("data") or {})
        if not lean:
            set_defaults(out)
            managed = self.managers.of(meta.get("uid", ""))
            if managed:
                meta["managedFields"] = [e.to_api(None if e.time is None else
                                                  self.timestamp(e.time)) for e in managed]
        omit_empty(out)         # in both forms: the version's digest reads the status
        return out

    def deletion_timestamp(self, meta: Mapping[str, Any]) -> float:
        """The ``deletionTimestamp`` a graceful deletion shows, in simulated seconds: when
        its grace period ends. ``BeforeDelete`` (k8s.io/apiserver ``pkg/registry/rest/
        delete.go``) sets it to the request's time plus ``gracePeriodSeconds``; a second
        DELETE with a shorter one moves it back by the old period and on by the new one,
        or to that request's own time where it would land in the past (the grace period
        then 1 s; :attr:`deletions_moved`). The simulator stores the first request's time
        (its kubelet counts the grace period from it,
        :meth:`~clustersim.kubernetes.apiserver.APIServer.delete_pod`), to which the grace
        period is added here as Go adds it, wrapping around in int64 nanoseconds
        (:func:`~clustersim.goformat.seconds_duration`: ``9223372036854775807`` shows one
        second before the request, while the kubelet's grace period is the stored number, so
        the Pod still goes when its containers stop); a deletion held by finalizers alone has
        none (0)."""
        moved = self.deletions_moved.get(meta.get("uid", ""))
        if moved is not None:
            return moved
        grace = int(meta.get("deletionGracePeriodSeconds") or 0)
        return float(meta["deletionTimestamp"]) + seconds_duration(grace)

    def _quota_status(self, quota: Mapping[str, Any]) -> dict[str, Any]:
        """``hard`` and ``used`` as the resource quota controller keeps them, from the pods
        of the quota's namespace now (an unreadable quantity leaves the status empty, as the
        API server would have refused the quota)."""
        namespace = quota["metadata"].get("namespace", "default")
        try:
            return quota_status(quota, self.cluster.objects("Pod", namespace), self.cluster.now)
        except ValueError:
            return {}

    def _pod_status(self, pod: Mapping[str, Any], out: dict[str, Any]) -> None:
        """The status fields the kubelet reports and the simulator does not store
        (``generateAPIPodStatus`` in ``pkg/kubelet/kubelet_pods.go``): the node's address in
        ``hostIP``/``hostIPs``, ``podIPs`` (single-stack: the one ``podIP``) and each
        container's status, init containers' included
        (:mod:`~clustersim.serve.kubeinitstatus`); and ``qosClass``, which the API server
        sets at create (``PrepareForCreate`` in ``pkg/registry/core/pod/strategy.go``) and
        never changes: found here from the spec, whose resources the served API never lets
        change (upstream only the ``resize`` subresource may, keeping the class)."""
        status = out.setdefault("status", {})
        status.setdefault("phase", "Pending")
        status["qosClass"] = pod_qos_class(pod)
        node = pod["spec"].get("nodeName")
        if node and self.cluster.node_position(node) is not None:
            status["hostIP"] = self.node_ip(node)
            status["hostIPs"] = [{"ip": status["hostIP"]}]
        if status.get("podIP"):          # the list kubectl describe prints under IPs:
            status["podIPs"] = [{"ip": status["podIP"]}]
        phase, reason = status["phase"], pod.get("status", {}).get("reason")
        status.pop("exitCode", None)      # the simulator's: each terminated state has one
        inits = pod["spec"].get("initContainers") or []
        incomplete: list[str] = []
        initialized_at = None
        if inits and node:
            runs = self.cluster.kubelet.init_runs(pod)
            # why the next init container to start waits, from the kubelet's reason cache
            following = next((str(c.get("name")) for c in inits if c.get("name") not in runs),
                             None)
            init_statuses = init_container_statuses(
                pod, runs, self.cluster.now,
                self.cluster.kubelet.waiting_reasons(pod).get(str(following)), self.timestamp,
                lambda name: self.cluster.kubelet.container_ready(pod, name),
                self.cluster.kubelet.ran_images(pod),
                lambda name: restart_fields(self.cluster.kubelet.restarts(pod).get(name),
                                            self.timestamp),
                lambda name: _crash_loop_message(self.cluster.kubelet, pod, name))
            status["initContainerStatuses"] = init_statuses
            incomplete = incomplete_inits(pod, init_statuses)
            since = self.cluster.kubelet.initialized_since(pod)
            if since is None and not incomplete and runs:
                since = max(end for _, end in runs.values())
            if since is not None:
                initialized_at = self.timestamp(since)
        statuses = []
        kubelet, now = self.cluster.kubelet, self.cluster.now
        ran = kubelet.ran_images(pod)     # what the runtime last started
        started, restarts = kubelet.started_at(pod), kubelet.restarts(pod)
        stopped = kubelet.stopped_at(pod)      # by the Pod's deletion
        # the app containers wait for the init containers until one of them has started
        initializing = bool(incomplete) and not kubelet.any_app_started(pod)
        for container in status_order(pod):       # by name, as the kubelet sorts them
            name = str(container.get("name"))
            last = restart_fields(restarts.get(name), self.timestamp)
            entry: dict[str, Any] = {
                "name": container.get("name"),
                "image": ran.get(name, container.get("image")),
                "imageID": "", "ready": False,
                "restartCount": last.pop("restartCount"),
                "started": False}
            stop = stopped.get(name)
            if phase in ("Succeeded", "Failed") or stop is not None:
                finished, code = stop or (pod["status"].get("finishedAt", now), exit_code(pod))
                terminated = {"exitCode": code, "reason": ("Error" if code else "Completed")
                              if stop else reason or phase}
                if name in started:      # ContainerStateTerminated's order of fields
                    terminated["startedAt"] = self.timestamp(started[name])
                terminated["finishedAt"] = self.timestamp(finished)
                entry["state"] = {"terminated": terminated}
            elif (waiting := waiting_reason(kubelet, pod, name)) and not initializing:
                entry["state"] = {"waiting": {"reason": waiting}}
                message = _waiting_message(kubelet, pod, name, waiting)
                if message:
                    entry["state"]["waiting"]["message"] = message
            elif name in started or (phase == "Running" and node):   # prober_manager.go
                # one its kubelet has not started: since the Pod's start, never a time that
                # moves on with each read (an unbound Pod has no kubelet to report any)
                since = started.get(name, float(pod["status"].get("startTime") or 0.0))
                entry["state"] = {"running": {"startedAt": self.timestamp(since)}}
                entry["started"] = now >= since + started_delay(container)
                entry["ready"] = kubelet.container_ready(pod, name)
            elif node:
                entry["state"] = {"waiting": {
                    "reason": POD_INITIALIZING if inits else "ContainerCreating"}}
            else:
                continue
            entry.update(last)
            add_runtime_ids(entry, pod["metadata"].get("uid", ""))
            statuses.append(entry)
        if statuses:
            status["containerStatuses"] = statuses
        if phase in ("Pending", "Running") and statuses and all(
                str(c.get("name")) in stopped for c in status_order(pod)):
            # a deleted Pod whose containers have all stopped: since 1.27 its kubelet
            # writes it terminal before the final delete (getPhase with podIsTerminal,
            # pkg/kubelet/kubelet_pods.go), Succeeded only if each one exited 0
            status["phase"] = "Failed" if any(
                stopped[str(c.get("name"))][1] for c in status_order(pod)) else "Succeeded"
        if node:
            sandbox = self.cluster.kubelet.sandbox_since(pod)
            status["conditions"] = kubelet_conditions(
                pod, status, incomplete=incomplete, initialized_at=initialized_at,
                sandbox_since=None if sandbox is None else self.timestamp(sandbox),
                reporting=self.cluster.kubelet_alive(node),
                ready_since=lambda name: None if (at := kubelet.ready_since(pod, name)) is None
                else self.timestamp(at))
        if reason in (*WAITING_REASONS, "ContainerCreating", POD_INITIALIZING) \
                or str(reason).startswith("Init:"):
            status.pop("reason", None)      # upstream: the containers' states say it
        status.pop("finishedAt", None)      # the simulator's: PodStatus has no such field,
        #                                     each container's terminated state says it

    def namespaces(self) -> list[dict[str, Any]]:
        """The system namespaces, every namespace an object lives in, Namespace objects, and
        those Terminating while content remains in them (with the namespace controller's
        conditions)."""
        stored = {o["metadata"]["name"]: o for o in self.cluster.objects("Namespace")}
        names = set(SYSTEM_NAMESPACES) | set(stored)
        for kind in ("Pod", "Service", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
                     "Job", "CronJob", "ConfigMap", "Secret"):
            names.update(o["metadata"].get("namespace", "default")
                         for o in self.cluster.objects(kind))
        remaining = {name: remaining_content(self.cluster, name, NAMESPACED)
                     for name in self.terminating}
        names.update(name for name, (left, _) in remaining.items() if left)
        self.purged &= names - set(stored)      # until their content goes, or made again
        names -= self.purged
        out = []
        for name in sorted(names):
            kept = self.terminating.get(name)
            obj = self.namespace(name, stored.get(name) if kept is None else kept)
            if kept is not None:
                obj["status"]["conditions"] = deletion_conditions(
                    *remaining[name], obj["metadata"]["deletionTimestamp"])
            self.status_writes.apply(obj)
            out.append(self.versioned(obj, kept or stored.get(name)))
        for emptied in self.terminating.keys() - names:
            self.forget_events(emptied)
            del self.terminating[emptied]
        return out

    def namespace(self, name: str, stored: Mapping[str, Any] | None) -> dict[str, Any]:
        """Namespace ``name`` as the API shows it, without conditions or resourceVersion:
        ``stored`` (as :meth:`terminate` kept it, if Terminating), or, where no object was
        created, one as old as the cluster."""
        obj: dict[str, Any] = self.shown(stored or _implicit_namespace(name))
        # the label the API server sets on every namespace (NamespaceDefaultLabelName)
        obj["metadata"]["labels"] = namespace_labels(name, obj["metadata"].get("labels"))
        active = stored is None or stored["metadata"].get("deletionTimestamp") is None
        # a Terminating one's as kept, which /finalize changes
        obj["spec"] = {"finalizers": ["kubernetes"]} if active else obj.get("spec", {})
        obj["status"] = {"phase": "Active" if active else "Terminating"}
        return obj

    def terminate(self, name: str, *, dry_run: bool = False) -> dict[str, Any]:
        """Mark namespace ``name`` deleted now, as the namespace registry's ``Delete``
        updates the stored object (:mod:`~clustersim.serve.kubenamespaces`): the same uid,
        creation time and labels, ``deletionTimestamp`` now; kept in :attr:`terminating`
        until its content is gone. Call before its Namespace object leaves the store. The
        namespace as the DELETE answers it, before the controller wrote its conditions;
        ``dry_run``: kept nowhere, and without a resourceVersion."""
        stored = self.cluster.get("Namespace", "default", name)
        kept: dict[str, Any] = copy.deepcopy(dict(stored)) if stored is not None \
            else _implicit_namespace(name)
        kept["metadata"]["deletionTimestamp"] = self.cluster.now
        kept["spec"] = {"finalizers": ["kubernetes"]}
        if dry_run:
            return self.namespace(name, kept)
        self.terminating[name] = kept
        return self.versioned(self.namespace(name, kept), kept)

    def finalized(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """Namespace ``stored`` as the store lets it go, which a watch's DELETED event
        carries: Terminating since its deletion, emptied (the namespace controller's
        conditions all in their "ok" state) and its ``kubernetes`` finalizer removed, the
        update that deletes it (``finalizeNamespace`` in ``pkg/controller/namespace/
        deletion/namespaced_resources_deleter.go``, then the registry's
        ``ShouldDeleteNamespaceDuringUpdate``)."""
        name = stored["metadata"]["name"]
        kept = copy.deepcopy(dict(self.terminating.get(name) or stored))
        kept["metadata"].setdefault("deletionTimestamp", self.cluster.now)
        kept["spec"] = {}
        obj = self.namespace(name, kept)
        obj["status"]["conditions"] = deletion_conditions(
            {}, {}, obj["metadata"]["deletionTimestamp"])
        return obj

    def update_terminating(self, name: str, new: Mapping[str, Any], *, finalize: bool
                           ) -> None:
        """Write an update of Terminating namespace ``name``
        (:func:`~clustersim.serve.kubenamespaces.update_terminating`); one that leaves it
        no finalizer deletes it, whatever content remains (:attr:`purged`)."""
        if update_terminating(self.terminating[name], new, finalize=finalize):
            del self.terminating[name]
            self.purged.add(name)

    def created(self, name: str) -> float:
        """When namespace ``name`` was created, in simulated seconds (0: with the cluster)."""
        found = self.terminating.get(name) or self.cluster.get("Namespace", "default", name)
        return float((found or {"metadata": {}})["metadata"].get("creationTimestamp", 0.0))


def _implicit_namespace(name: str) -> dict[str, Any]:
    """Namespace ``name`` where no object was created for it (a system namespace, or one an
    object names), as stored: as old as the cluster, its uid made from its name."""
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "name": name, "creationTimestamp": 0.0,
        "uid": f"{zlib.crc32(name.encode()):08x}-0000-4000-a000-000000000000"}}


# the reasons the simulated kubelet keeps in a Pod's status.reason (its STATUS for the Python
# API) that upstream's kubelet reports only as a container's waiting reason (pkg/kubelet/images,
# kuberuntime)
WAITING_REASONS = ("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff",
                    "CreateContainerConfigError", INVALID_IMAGE_NAME)


def waiting_reason(kubelet: Kubelet, pod: Mapping[str, Any], name: str) -> str | None:
    """Why app container ``name`` of the pod waits, if it does for a reason of its own
    (``convertToAPIContainerStatuses`` takes it from the kubelet's reason cache, per
    container): ``CrashLoopBackOff`` while it backs off, else why it failed to start; its
    siblings run, or wait as ``ContainerCreating`` until they start."""
    if name in kubelet.backing_off(pod):
        return "CrashLoopBackOff"
    return kubelet.waiting_reasons(pod).get(name)


def _waiting_message(kubelet: Kubelet, pod: Mapping[str, Any], name: str, reason: str
                     ) -> str | None:
    """The kubelet's message beside container ``name``'s waiting ``reason``, if it gives
    one: the crash-loop back-off's, or why its image is no reference."""
    message = _crash_loop_message(kubelet, pod, name)
    if message is not None:
        return message
    if reason == INVALID_IMAGE_NAME:
        return kubelet.image_manager.invalid_names.get(pod["metadata"]["uid"], {}).get(name)
    return None


def _crash_loop_message(kubelet: Kubelet, pod: Mapping[str, Any], name: str) -> str | None:
    """The ``CrashLoopBackOff`` message of container ``name`` (an app container or a
    sidecar) while it waits out its crash-loop back-off, else None."""
    backoff = kubelet.backing_off(pod).get(name)
    return None if backoff is None else crash_loop_message(pod, name, backoff.seconds)


def _hpa_defaults(spec: Mapping[str, Any]) -> dict[str, Any]:
    """An autoscaling/v2 HorizontalPodAutoscaler's spec with the API server's defaults
    (``SetDefaults_HorizontalPodAutoscaler``): one replica at least, average CPU
    utilization of 80% when no metric is given, and a ``behavior``'s unset rules filled in
    (:func:`~clustersim.kubernetes.controllers.horizontal.behavior_defaults`), as the
    simulated autoscaler reads them. A new dict: a Table's spec is the stored one."""
    out = dict(spec)
    out.setdefault("minReplicas", 1)
    if not out.get("metrics"):
        out["metrics"] = [{"type": "Resource", "resource": {"name": "cpu", "target": {
            "type": "Utilization", "averageUtilization": DEFAULT_UTILIZATION}}}]
    if out.get("behavior") is not None:
        out["behavior"] = behavior_defaults(out["behavior"])
    return out

def _revision_data(data: dict[str, Any]) -> dict[str, Any]:
    """A ControllerRevision's ``data`` (a patch that puts back ``spec.template``) with the
    defaults its owner's template is served with
    (:func:`~clustersim.kubernetes.defaults.set_template_defaults`) and its keys sorted, as
    Go encodes a map: kubectl compares it byte for byte with the same patch made from the
    owner (``getStatefulSetPatch``, ``getDaemonSetPatch`` and ``*Match`` in
    ``kubectl/pkg/polymorphichelpers/rollback.go``), so ``rollout undo`` to the revision the
    owner already runs is skipped, as on a real cluster."""
    set_template_defaults((data.get("spec") or {}).get("template"))
    return _sorted_keys(data)


def _sorted_keys(value: Any) -> Any:
    """``value`` with every mapping's keys in order, as Go's encoding/json writes a map."""
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    return value
