"""The objects a cluster's controllers, kubelets and API server keep that the simulator stores
no object for, made from its state on each read.

Real clusters store these in etcd like any object; the simulator derives them from what it
does keep, so that they can never disagree with it: Nodes from the scheduler's ``NodeInfo``
(with the ``Ready`` condition the node lifecycle controller implies) and each node's heartbeat
Lease, Events from the event log (aggregated as the client-go event correlator aggregates
identical events: ``staging/src/k8s.io/client-go/tools/record/events_cache.go``; the
scheduler's, which it records through events.k8s.io/v1, in a ``series`` as that API's
broadcaster makes one: ``tools/events/event_broadcaster.go``; kept from one read to the
next and brought up to the log by :mod:`~clustersim.serve.kubeevents`), and EndpointSlices
and Endpoints from Services and their Pods (and the API server's own).
:class:`DerivedObjects` also holds one request's clock (simulated seconds as RFC 3339 times)
and the objects' resourceVersions (:mod:`~clustersim.serve.kubeversions`);
:class:`~clustersim.serve.kuberender.Renderer` adds the stored objects to it.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from clustersim.kubernetes import KubernetesCluster, eventsource
from clustersim.kubernetes.services import apiserver_service
from clustersim.kubernetes.storageclass import (
    DEFAULT_CLASS,
    PROVISIONER_REASONS,
    names_no_class,
    provisioner_identity,
    volume_name,
)
from clustersim.release import SERVED_VERSION
from clustersim.serve.core import WallClock
from clustersim.serve.kubeevents import SCHEDULER_ACTIONS, EventStore, event_namespace
from clustersim.serve.kubenodes import NodeWrites
from clustersim.serve.kuberesources import RESOURCES
from clustersim.serve.kubeversions import TIME_FIELDS, ResourceVersions, key_of
from clustersim.sim.events import Event

__all__ = ["CONTROL_PLANE_ROLE", "LEASE_DURATION", "LEASE_RENEW_INTERVAL",
           "MANAGED_CONTROL_PLANE_HOST", "MANAGED_CONTROL_PLANE_IP", "MAX_ENDPOINTS_CAPACITY",
           "DerivedObjects", "bound_claim"]

CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane"
"""The label kubeadm gives a control-plane node, which runs the API server."""
MANAGED_CONTROL_PLANE_IP = "10.0.0.1"
"""The API server's address in a cluster whose nodes include no control plane: managed
offerings run it off the nodes and reach into their network (EKS through interfaces in the
cluster's subnets). Nodes are numbered from 10.0.0.2 (:meth:`DerivedObjects.node_ip`), so this
address is no node's."""
MAX_ENDPOINTS_CAPACITY = 1000
"""The most addresses the endpoints controller writes in one Endpoints (``maxCapacity`` in
``pkg/controller/endpoint/endpoints_controller.go``)."""
LEASE_DURATION = 40
"""A node Lease's ``leaseDurationSeconds``: the kubelet's ``nodeLeaseDurationSeconds``
default."""
LEASE_RENEW_INTERVAL = LEASE_DURATION * 0.25
"""How often a kubelet renews its node Lease, in seconds: the lease duration times
``nodeLeaseRenewIntervalFraction`` (0.25) in kubernetes/kubernetes ``pkg/kubelet/kubelet.go``,
the interval its lease controller (``component-helpers/apimachinery/lease/controller.go``)
renews at: 10 s."""
_OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
"""The annotation of an Endpoints it truncated (``v1.EndpointsOverCapacity``)."""
_SERVICE_NAME = "kubernetes.io/service-name"
"""The label that ties an EndpointSlice to its Service (``discovery.LabelServiceName``)."""
_UNREACHABLE = "node.kubernetes.io/unreachable"
_NOT_READY = "node.kubernetes.io/not-ready"
_SCHEDULER = "default-scheduler"
MANAGED_CONTROL_PLANE_HOST = "control-plane"
"""The host name the scheduler's events name in a cluster whose nodes include no control
plane (a managed offering runs it on machines of its own, whose names it does not show)."""


class DerivedObjects:
    """One request's view of the cluster's derived objects. ``epoch``: the Unix time of
    simulated second 0; None anchors simulated *now* to the wall clock, so that the ages
    kubectl works out by itself (``describe``) match the simulated ones."""

    def __init__(self, cluster: KubernetesCluster, epoch: float | None = None) -> None:
        self.cluster = cluster
        self.clock = WallClock(lambda: self.cluster.now, epoch)
        cluster.calendar = self.clock       # CronJobs fire on the minutes the API shows
        self.versions = ResourceVersions(lambda: self.cluster.now)
        """The store's revision and each object's resourceVersion."""
        self.referenced: dict[int, tuple[str, str]] = {}
        """For each event the cluster's log keeps, by its number there (:meth:`~clustersim.sim.
        EventLog.since`), the resourceVersion its object and its related object had when
        first rendered after it was recorded (empty: none, as for a Node or an object
        already gone); filled by :meth:`Renderer._note_references
        <clustersim.serve.kuberender.Renderer._note_references>`."""
        self.forgotten: dict[str, int] = {}
        """For each namespace deleted through the API, how many of the cluster's events
        had been recorded (:attr:`~clustersim.sim.EventLog.recorded`) when its namespace
        controller last deleted its Events (:meth:`forget_events`): those of that namespace
        are no longer listed."""
        self.event_store = EventStore(self)
        """The Events made so far (:meth:`events`)."""
        self.node_writes: dict[str, NodeWrites] = {}
        """What writes through the API keep of each Node beside the cluster's model of it
        (:class:`~clustersim.serve.kubenodes.NodeWrites`), by name, until the node leaves
        the cluster (a served DELETE or the simulator's ``remove_node``): a node of that name
        that joins again is a new Node object."""
        self.cluster.on_node_removed.append(self.forget_node)
        self.begin()

    def forget_node(self, name: str) -> None:
        """Forget what writes kept of the Node ``name``, which has left the cluster, and
        number the deletion of the Node and of its Lease (the garbage collector deletes the
        Lease its Node owns) now, as etcd's deletes are, so that a watch from an older
        version is told of them (they had been numbered never, and a Lease's at a read)."""
        self.node_writes.pop(name, None)
        self.versions.deleted_named("Node", "", name)
        self.versions.deleted_named("Lease", "kube-node-lease", name)

    def begin(self, session: str | None = None) -> None:
        """Call once per request (``session``: the client command's, :meth:`WallClock.begin`):
        fixes the wall-clock anchor (also the cluster's calendar, ``KubernetesCluster.epoch``)."""
        self.clock.begin(session)
        self.cluster.epoch = self.clock.base    # the explorer's first-run report reads it
        self._stamps: dict[float, str] = {}

    def timestamp(self, t: float) -> str:
        """Simulated second ``t`` as an RFC 3339 time."""
        stamp = self._stamps.get(t)
        if stamp is None:
            stamp = datetime.fromtimestamp(int(self.clock.unix(t)), UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
            self._stamps[t] = stamp
        return stamp

    def microtime(self, t: float) -> str:
        """Simulated second ``t`` as a ``MicroTime`` shows it: RFC 3339 with microseconds
        (``RFC3339Micro`` in apimachinery ``pkg/apis/meta/v1/micro_time.go``)."""
        return self._fixed(t, 6)

    def nanotime(self, t: float) -> str:
        """Simulated second ``t`` as the kubelet stamps a log line (``kubectl logs
        --timestamps``): RFC 3339 with nine digits of nanoseconds, trailing zeros kept
        (``RFC3339NanoFixed`` in ``pkg/kubelet/types/constants.go``)."""
        return self._fixed(t, 9)

    def _fixed(self, t: float, digits: int) -> str:
        """Simulated second ``t`` in RFC 3339 UTC with ``digits`` fractional digits (the
        fraction scaled on its own: nanoseconds since 1970 are past a float's 53 bits)."""
        scale, unix = 10 ** digits, self.clock.unix(t)
        ticks = math.floor(unix) * scale + round((unix - math.floor(unix)) * scale)
        return datetime.fromtimestamp(ticks // scale, UTC).strftime(
            "%Y-%m-%dT%H:%M:%S") + f".{ticks % scale:0{digits}d}Z"

    def _times(self, value: Any) -> Any:
        """A copy of ``value`` (dicts and lists are new) with simulated times as RFC 3339."""
        kind = type(value)
        if kind is dict:
            out = {}
            for key, item in value.items():
                item_kind = type(item)
                if item_kind is dict or item_kind is list:
                    out[key] = self._times(item)
                elif key in TIME_FIELDS and (item_kind is float or item_kind is int):
                    out[key] = self.timestamp(item)
                else:
                    out[key] = item
            return out
        if kind is list:
            return [self._times(item) for item in value]
        return value

    # ---- nodes -----------------------------------------------------------------------------

    def node_ip(self, name: str) -> str:
        """The node's InternalIP: 10.0.0.2 for the first node to join, then on, 250 to a
        /24, by its join's serial (:meth:`node_uid`), so that a node keeps its address when
        another leaves and a new one takes no address a node had (a real node's address is
        its machine's, which the kubelet reports)."""
        block, host = divmod(self.cluster.node_joined(name).serial, 250)
        return f"10.{block // 256}.{block % 256}.{host + 2}"

    def node_uid(self, name: str) -> str:
        """The uid of the Node ``name``, fixed when it joined and never given again: from
        its :class:`~clustersim.kubernetes.nodes.NodeJoin` serial, not its place among the
        nodes there are now (a node that leaves would move the others'). A real API server
        draws a random UUID at create (``FillObjectMetaSystemFields``,
        ``staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go``)."""
        return self.join_uid(self.cluster.node_joined(name).serial)

    def join_uid(self, serial: int) -> str:
        """The uid of the Node of join ``serial`` (:meth:`node_uid`)."""
        return f"{serial:08x}-0000-4000-9000-{self.cluster.clock.seed:012x}"

    def apiserver_addresses(self) -> list[str]:
        """Where the API servers listen, sorted: the InternalIP of each control-plane node,
        where kubeadm runs kube-apiserver with the host's network and advertises that
        address (``--advertise-address``), or :data:`MANAGED_CONTROL_PLANE_IP` without one.
        A control-plane node that fails keeps its address here: the simulated API server
        still answers (a real one would stop renewing its lease, and after 15 s the others
        would take its address out)."""
        found = sorted(self.node_ip(name) for name in self.cluster.node_names()
                       if CONTROL_PLANE_ROLE in self.cluster.node(name).labels)
        return found or [MANAGED_CONTROL_PLANE_IP]

    def node(self, name: str) -> dict[str, Any]:
        """The Node object of ``name``: labels, taints, capacity, ``Ready`` condition (its
        heartbeat the kubelet's last status post, every five minutes or on a change,
        :mod:`~clustersim.kubernetes.nodestatus`, so the Node changes, and takes a new
        version, only then), with what writes kept of it (:attr:`node_writes`): its
        annotations, ``podCIDR`` (the first of ``podCIDRs``) and a status written through
        ``/status``."""
        info = self.cluster.node(name)
        out = self._times(info.node)
        meta = out["metadata"]
        meta.pop("namespace", None)
        joined = self.cluster.node_joined(name)
        meta.setdefault("uid", self.node_uid(name))
        meta.setdefault("creationTimestamp", self.timestamp(joined.time))
        spec = out.setdefault("spec", {})
        spec["taints"] = self._times([dict(t) for t in info.taints]) or None
        if not spec["taints"]:
            spec.pop("taints")
        if info.unschedulable:
            spec["unschedulable"] = True
        else:
            spec.pop("unschedulable", None)
        keys = {t.get("key") for t in info.taints}
        ready = ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.") \
            if _UNREACHABLE in keys else \
            ("False", "KubeletNotReady", "container runtime is down") if _NOT_READY in keys \
            else ("True", "KubeletReady", "kubelet is posting ready status")
        reports = self.cluster.node_status_reports(name)
        posted = {"heartbeat": reports.heartbeat(self.cluster.now),
                  "transition": reports.transition}
        status = out.setdefault("status", {})
        status["conditions"] = [{"type": "Ready", "status": ready[0], "reason": ready[1],
                                 "message": ready[2],
                                 "lastHeartbeatTime": self.timestamp(posted["heartbeat"]),
                                 "lastTransitionTime": self.timestamp(posted["transition"])}]
        status["addresses"] = [{"type": "InternalIP", "address": self.node_ip(name)},
                               {"type": "Hostname", "address": name}]
        status["nodeInfo"] = {"kubeletVersion": SERVED_VERSION, "kubeProxyVersion": "",
                              "osImage": "clustersim (simulated)", "kernelVersion": "simulated",
                              "containerRuntimeVersion": "simulated://1.0",
                              "operatingSystem": "linux", "architecture": "amd64",
                              "machineID": "", "systemUUID": "", "bootID": ""}
        writes = self.node_writes.get(name)
        if writes is not None:
            if writes.annotations:
                meta["annotations"] = dict(writes.annotations)
            if writes.cidrs:
                spec["podCIDR"], spec["podCIDRs"] = writes.cidrs[0], list(writes.cidrs)
            out["status"] = writes.status(status, self.cluster.now)
        return self.versioned(out, posted)

    def versioned(self, obj: dict[str, Any], source: Any = None, *,
                  stored: bool = False) -> dict[str, Any]:
        """``obj`` with its resourceVersion (:meth:`ResourceVersions.stamp`), ``source``
        being what it was made from in simulated times. ``stored``: ``source`` is the
        stored object ``obj`` renders, whose status alone is computed from more than it (a
        Table's spec is shown without its defaults, so a digest of the spec shown would
        differ between a Table and a whole object). The same ``obj``."""
        shown = {"status": obj.get("status")} if stored else obj
        obj["metadata"]["resourceVersion"] = self.versions.stamp(obj["kind"], key_of(obj),
                                                                 shown, source)
        return obj

    # ---- derived kinds ---------------------------------------------------------------------

    def leases(self) -> list[dict[str, Any]]:
        """Each node's heartbeat Lease in ``kube-node-lease``, renewed while its kubelet
        runs every :data:`LEASE_RENEW_INTERVAL` simulated seconds from its Node's join (its
        ``renewTime`` is the last renewal at or before now, so the Lease changes, and takes
        a new version, once per interval); by name, as etcd lists them. The kubelet
        creates it when its Node joins and makes the Node its owner
        (``SetNodeOwnerFunc``, ``pkg/kubelet/util/nodelease.go``), so the garbage collector
        deletes it with the Node: a Node created again gets a new Lease, a new uid. Here the
        Lease is created at the Node's join (a real kubelet creates it moments after) and
        its uid follows the Node's serial (:meth:`node_uid`)."""
        out = []
        for name in sorted(self.cluster.node_names()):
            node_uid, joined = self.node_uid(name), self.cluster.node_joined(name).time
            renewed = joined + (self.cluster.now - joined) // LEASE_RENEW_INTERVAL \
                * LEASE_RENEW_INTERVAL if self.cluster.node_is_up(name) else 0.0
            stamp = self.microtime(renewed)
            owner = {"apiVersion": "v1", "kind": "Node", "name": name, "uid": node_uid}
            out.append({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                        "metadata": {"name": name, "namespace": "kube-node-lease",
                                     "creationTimestamp": self.timestamp(joined),
                                     "uid": node_uid.replace("-9000-", "-b000-", 1),
                                     "ownerReferences": [owner]},
                        "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_DURATION,
                                 "renewTime": stamp},
                        "_times": {"creationTimestamp": joined, "renewTime": renewed}})
        return out

    def events(self) -> list[dict[str, Any]]:
        """The event log as v1 Events, identical ones aggregated, as a response shows them
        without their resourceVersions; each carries its simulated times under ``_times``.
        The served API reads them from :meth:`current_events`.

        An event belongs to the object it was recorded for: its ``involvedObject`` names that
        object's kind, namespace, name and uid, and, for a kubelet's event about one of a
        Pod's containers, the container's ``fieldPath`` (``spec.containers{web}``), so
        ``kubectl describe``, which lists events by name, namespace, kind and uid
        (``searchEvents`` in kubectl ``pkg/describe/describe.go``), finds neither another
        namespace's namesake's nor a deleted predecessor's. The core/v1 recorders aggregate
        the events of one such object and field path, type, reason and message with a
        ``count`` and ``lastTimestamp`` (the correlator's key, ``getEventKey`` in client-go
        ``tools/record/events_cache.go``: two containers' ``Container started`` stay two
        events), and the events their correlator combined into one Event whose message is
        the latest (:func:`~clustersim.kubernetes.eventcorrelator.merge_key`); the scheduler's
        go through the events.k8s.io/v1 broadcaster, which makes a ``series`` of them. Each
        Event is named after its object and a number that grows with time (upstream: the
        event's time in nanoseconds, in hex), and listed in the order of its storage key
        (namespace, then name), as etcd lists them (kubectl get events does not sort them
        either)."""
        store = self.current_events()
        return [{**shown, "_times": times} for shown, times in map(store.shown,
                                                                   store.listed(None))]

    def current_events(self) -> EventStore:
        """The Events of :meth:`events` as :class:`~clustersim.serve.kubeevents.EventStore`
        keeps them from one read to the next, brought up to the log and the clock."""
        return self.event_store.update()

    def made_event(self, index: int, event: Event, action: str | None,
                   scheduler_host: str) -> dict[str, Any]:
        """The v1 Event first recorded for ``event``, numbered ``index`` in the log (the
        number in its name: it stays when older events are dropped). A core/v1
        recorder's (``action`` None) has ``firstTimestamp``, ``lastTimestamp``, ``count`` 1
        and a null ``eventTime`` (``makeEvent`` in client-go ``tools/record/event.go``); the
        scheduler's (:data:`~clustersim.serve.kubeevents.SCHEDULER_ACTIONS`) an
        ``eventTime`` to the microsecond and an ``action`` instead (``makeEvent`` in
        ``tools/events/event_recorder.go``). Its times are simulated seconds, under
        ``_times`` (:meth:`~clustersim.serve.kubeevents.EventStore.shown` writes them)."""
        found = self.references(index, event, scheduler_host)
        involved = found["involvedObject"]
        if action is None:
            recorded: dict[str, Any] = {
                "count": 1, "firstTimestamp": None, "lastTimestamp": None, "eventTime": None}
            times = {"firstTimestamp": event.time, "lastTimestamp": event.time}
        else:
            recorded = {"firstTimestamp": None, "lastTimestamp": None, "action": action,
                        "eventTime": None}
            times = {"eventTime": event.time}
        return {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{involved['name']}.{index:016x}",
                         "namespace": event_namespace(involved), "creationTimestamp": None},
            "involvedObject": involved, "reason": event.reason, "message": event.message,
            "type": event.type, **recorded,
            **{field: value for field, value in found.items() if field != "involvedObject"},
            "_times": {"creationTimestamp": event.time, **times}}

    def references(self, index: int, event: Event, scheduler_host: str) -> dict[str, Any]:
        """What the Event of ``event`` (numbered ``index`` in the log) says of the objects it
        is about and of who recorded it: its ``involvedObject``, ``source``,
        ``reportingComponent``, ``reportingInstance`` and ``related`` (if any), in that
        order. Each reference's ``resourceVersion`` is the one its object had when the
        event was recorded (:attr:`referenced`)."""
        involved, target = self._reference(event.object, event.namespace, event.uid)
        version, related_version = self.referenced.get(index, ("", ""))
        if version:
            involved["resourceVersion"] = version
        if event.field_path:
            involved["fieldPath"] = event.field_path
        return {"involvedObject": involved,
                **self._source(event, event.object.partition("/")[0], target, scheduler_host),
                **({"related": {**self._reference(*event.related)[0],
                                **({"resourceVersion": related_version}
                                   if related_version else {})}}
                   if event.related else {})}

    @staticmethod
    def named_by_lookup(event: Event) -> bool:
        """Does the Event of ``event`` read what it says of its objects from the stored
        objects (:meth:`_reference`: an event that gives no namespace or uid for an object
        other than a Node; a provisioner's, named after the claim's annotation), so that
        it can change while the log does not?"""
        named: list[tuple[str, ...]] = [(event.object, event.namespace, event.uid)]
        if event.related:
            named.append(event.related)
        return event.reason in PROVISIONER_REASONS or any(
            not obj.startswith("node/") and not (namespace and uid)
            for obj, namespace, uid in named)

    def _reference(self, obj: str, namespace: str, uid: str
                   ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The ``ObjectReference`` an event gives the object it names as ``kind/name`` (the
        ``involvedObject``, or the ``related`` one: ``reference.GetReference`` in client-go
        ``tools/reference/ref.go``), and that object if it is still stored. The reference's
        ``resourceVersion`` is the one the object had when the event was recorded
        (:attr:`referenced`), added by the caller."""
        kind_lower, _, name = obj.partition("/")
        resource = next((r for r in RESOURCES if r.singular == kind_lower), None)
        kind = resource.kind if resource else kind_lower.capitalize()
        target = self._find(kind, namespace, name, uid)
        reference = {"kind": kind, "name": name,
                     "apiVersion": resource.group_version if resource else "v1"}
        if kind != "Node":
            reference["namespace"] = namespace or (target or {}).get("metadata", {}).get(
                "namespace", "default")
        uid = uid or (target or {}).get("metadata", {}).get("uid")
        if uid:
            reference["uid"] = uid
        return reference, target

    def scheduler_host(self) -> str:
        """The host kube-scheduler runs on: the first control-plane node, or
        :data:`MANAGED_CONTROL_PLANE_HOST`; found once per list, not once per event (a
        walk over 2,000 nodes for each of 3,000 ``Scheduled`` events was most of a list)."""
        hosts = (n for n in self.cluster.node_names()
                 if CONTROL_PLANE_ROLE in self.cluster.node(n).labels)
        return next(hosts, MANAGED_CONTROL_PLANE_HOST)

    def _source(self, event: Event, kind_lower: str, target: Mapping[str, Any] | None,
                scheduler_host: str) -> dict[str, Any]:
        """Who recorded ``event``: its ``source`` and ``reportingComponent`` and
        ``reportingInstance``. A core/v1 recorder writes its ``EventSource`` into all three
        (``makeEvent`` in client-go ``tools/record/event.go``): a kubelet's names its node as
        host and instance, a controller's no host; the scheduler's come through
        events.k8s.io/v1 (:data:`SCHEDULER_ACTIONS`)."""
        if event.reason in SCHEDULER_ACTIONS:
            return {"source": {}, "reportingComponent": _SCHEDULER,
                    "reportingInstance": f"{_SCHEDULER}-{scheduler_host}"}
        if not event.host and event.reason in PROVISIONER_REASONS and target is not None:
            component = provisioner_identity((target["metadata"].get("annotations") or {}).get(
                "volume.kubernetes.io/storage-provisioner", ""), self.cluster.node_names()[0])
        else:
            component = eventsource.component(event.reason, kind_lower, event.host)
        source = {"component": component, **({"host": event.host} if event.host else {})}
        return {"source": source, "reportingComponent": component,
                "reportingInstance": event.host}

    def forget_events(self, namespace: str) -> None:
        """The namespace controller deletes the Events of ``namespace`` with the rest of its
        content, while it terminates and once more before the namespace goes
        (``deleteAllContent``, kubernetes/kubernetes ``pkg/controller/namespace/deletion/
        namespaced_resources_deleter.go``): ``kubectl get events -A`` lists none of them
        after. The simulator's own event log (``KubernetesCluster.events``) keeps them."""
        self.forgotten[namespace] = self.cluster.events.recorded
        self.event_store.stale = True

    def _find(self, kind: str, namespace: str, name: str, uid: str) -> dict[str, Any] | None:
        """The stored object an event was recorded for: the one of its namespace, name and
        uid (an event recorded without them, by name alone); None once it is gone."""
        if kind == "Node":
            return None
        if namespace:
            found = self.cluster.get(kind, namespace, name)
            return found if found is not None and (
                not uid or found["metadata"].get("uid") == uid) else None
        return next((o for o in self.cluster.objects(kind)
                     if o["metadata"]["name"] == name
                     and (not namespace or o["metadata"].get("namespace") == namespace)
                     and (not uid or o["metadata"].get("uid") == uid)), None)

    def endpointslices(self) -> list[dict[str, Any]]:
        """The EndpointSlices of each Service with a selector, listing the pods it selects
        (``pkg/controller/endpointslice``; each pod and its conditions as
        :meth:`~clustersim.kubernetes.KubernetesCluster.endpoint_slice` lists them), and the
        API server's own (:meth:`_apiserver_slice`) while its ``kubernetes`` Service stands;
        in the order of their storage keys (namespace, then name), as etcd lists a range.

        Each pod's ports are the Service's ports resolved for that pod
        (:func:`~clustersim.kubernetes.services.endpoint_ports`), and the slices are those
        of :meth:`~clustersim.kubernetes.services.Services.endpoint_slices`: one group of
        slices per set of resolved ports (pods giving a named ``targetPort`` different
        numbers are in different slices, and a pod that declares none of the names is in a
        slice without ports), at most 100 endpoints in a slice (``--max-endpoints-per-slice``),
        a placeholder slice for a Service that selects no pod. Each is labelled with its
        Service's name (``kubernetes.io/service-name``) and its manager
        (``endpointslice.kubernetes.io/managed-by``). Slices are named by the Service's uid
        and their position (the first keeps ``<service>-<five characters>`` whatever the
        others), where the controller generates each name."""
        out = [] if self.cluster.get("Service", "default", "kubernetes") else [
            self._apiserver_slice()]
        for svc in self.cluster.objects("Service"):
            ns = svc["metadata"]["namespace"]
            for index, piece in enumerate(self.cluster.services.endpoint_slices(svc)):
                endpoints = [{"addresses": endpoint["addresses"],
                              "conditions": endpoint["conditions"],
                              "nodeName": endpoint["nodeName"],
                              "targetRef": {"kind": "Pod", "namespace": ns,
                                            "name": endpoint["pod"], "uid": endpoint["uid"]}}
                             for endpoint in piece["endpoints"]]
                out.append(self._service_slice(svc, index, piece["ports"], endpoints))
        out.sort(key=lambda piece: (piece["metadata"]["namespace"], piece["metadata"]["name"]))
        return out

    def _service_slice(self, svc: Mapping[str, Any], index: int, ports: list[dict[str, Any]],
                       endpoints: list[dict[str, Any]]) -> dict[str, Any]:
        """The ``index``-th EndpointSlice of ``svc``: its ``ports`` and ``endpoints`` (each
        null when empty, as an empty list reads back from storage), owned by the Service."""
        ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        uid = _slice_uid(svc, index)
        return {
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": f"{name}-{_suffix(uid if index else svc['metadata']['uid'])}",
                         "namespace": ns,
                         "labels": {_SERVICE_NAME: name,
                                    "endpointslice.kubernetes.io/managed-by":
                                        "endpointslice-controller.k8s.io"},
                         "creationTimestamp": self.timestamp(
                             svc["metadata"]["creationTimestamp"]),
                         "uid": uid,
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Service",
                                              "name": name, "uid": svc["metadata"]["uid"],
                                              "controller": True,
                                              "blockOwnerDeletion": True}]},
            "addressType": "IPv4", "endpoints": endpoints or None, "ports": ports or None,
            "_times": {"creationTimestamp": svc["metadata"]["creationTimestamp"]}}

    def _apiserver_slice(self) -> dict[str, Any]:
        """The EndpointSlice ``kubernetes`` of ``default``: the addresses behind the API
        server's Service (:func:`~clustersim.kubernetes.services.apiserver_service`). Each
        API server keeps them itself: its endpoint reconciler (``pkg/controlplane/reconcilers``,
        ``lease.go`` by default) puts its own address and port in the Endpoints ``kubernetes``
        and copies them to this slice of the same name (``endpointsadapter.go``), labelled
        with the Service's name only and owned by nobody; each address is ``ready`` and has
        no node or pod. A kubeadm or kind cluster shows the control-plane node's InternalIP,
        ``kubectl get endpoints kubernetes`` printing e.g. ``172.18.0.2:6443``; here
        :meth:`apiserver_addresses`, port ``https`` 6443/TCP."""
        svc = apiserver_service()
        return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "kubernetes", "namespace": "default",
                             "labels": {_SERVICE_NAME: "kubernetes"},
                             "creationTimestamp": self.timestamp(0.0),
                             "uid": _slice_uid(svc, 0)},
                "addressType": "IPv4",
                "endpoints": [{"addresses": [ip], "conditions": {"ready": True}}
                              for ip in self.apiserver_addresses()],
                "ports": [{"name": p["name"], "port": p["targetPort"], "protocol": p["protocol"]}
                          for p in svc["spec"]["ports"]],
                "_times": {"creationTimestamp": svc["metadata"]["creationTimestamp"]}}

    def endpoints(self) -> list[dict[str, Any]]:
        """The v1 Endpoints of each Service with a selector, from its EndpointSlices as the
        endpoints controller writes them (``syncService`` in kubernetes/kubernetes
        ``pkg/controller/endpoint/endpoints_controller.go``): each pod under each port it
        resolves (a pod that resolves none of a Service's ports is left out; a headless
        Service without ports lists its pods without ports), ready ones under ``addresses``,
        the others under ``notReadyAddresses``; terminating ones left out unless the Service
        sets ``publishNotReadyAddresses``, which lists them under ``addresses`` with every
        other (``ShouldPodBeInEndpoints(pod, service.Spec.PublishNotReadyAddresses)`` and
        ``addEndpointSubset`` there; the EndpointSlices keep terminating pods whatever the
        Service says, with ``ready`` true under ``publishNotReadyAddresses``); then
        ``RepackSubsets`` (``pkg/api/v1/endpoints/util.go``): one subset per set of
        addresses, with the ports they all offer, addresses sorted by IP. Upstream orders
        the ports of a subset and the subsets by a hash of each (``SortSubsets``); here they
        come in the order of the slices and of the Service's ports. No ``subsets`` when no
        Pod is selected; by namespace and name. The API server's own Endpoints (the source
        of its slice, :meth:`_apiserver_slice`) carry
        ``endpointslice.kubernetes.io/skip-mirror``, which its reconciler sets so that the
        EndpointSlice mirroring controller leaves them alone. Past
        :data:`MAX_ENDPOINTS_CAPACITY` addresses the controller keeps that many and
        annotates the object ``endpoints.kubernetes.io/over-capacity: truncated``
        (:func:`_truncated`). Deprecated upstream since v1.33 for EndpointSlices, still
        served."""
        by_service: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for piece in self.endpointslices():
            meta = piece["metadata"]
            by_service.setdefault((meta["namespace"], meta["labels"][_SERVICE_NAME]),
                                  []).append(piece)
        out = []
        for (ns, service), pieces in by_service.items():
            stored = self.cluster.get("Service", ns, service)
            spec = {} if stored is None else stored["spec"]
            subsets = _repacked(pieces, portless=stored is not None and not spec.get("ports"),
                                include_terminating=bool(spec.get("publishNotReadyAddresses")))
            first = pieces[0]["metadata"]
            meta = {"name": service, "namespace": ns,
                    "creationTimestamp": first["creationTimestamp"],
                    "uid": first["uid"][:-4] + "e9d5"}
            if "endpointslice.kubernetes.io/managed-by" not in first["labels"]:
                meta["labels"] = {"endpointslice.kubernetes.io/skip-mirror": "true"}
            if _truncated(subsets):
                meta["annotations"] = {_OVER_CAPACITY: "truncated"}
            out.append({"apiVersion": "v1", "kind": "Endpoints", "metadata": meta,
                        **({"subsets": subsets} if subsets else {}),
                        "_times": pieces[0]["_times"]})
        out.sort(key=lambda ends: (ends["metadata"]["namespace"], ends["metadata"]["name"]))
        return out


def _repacked(pieces: list[dict[str, Any]], *, portless: bool,
              include_terminating: bool) -> list[dict[str, Any]]:
    """The Endpoints subsets of one Service's slices (see :meth:`DerivedObjects.endpoints`):
    the addresses behind each port, then one subset per set of addresses with its ports.
    ``portless``: a headless Service without ports, whose pods are listed without any;
    ``include_terminating``: its ``publishNotReadyAddresses``, which keeps terminating pods
    (``ShouldPodBeInEndpoints``' ``includeTerminating``)."""
    behind: dict[str, tuple[dict[str, Any] | None, dict[str, tuple[bool, dict[str, Any]]]]] = {}
    for piece in pieces:
        for port in piece["ports"] or ([None] if portless else []):
            found = behind.setdefault(json.dumps(port, sort_keys=True), (port, {}))[1]
            for endpoint in piece["endpoints"] or []:
                conditions = endpoint["conditions"]
                if include_terminating or not conditions.get("terminating"):
                    found[endpoint["addresses"][0]] = (conditions["ready"], {
                        "ip": endpoint["addresses"][0],
                        **{k: endpoint[k] for k in ("nodeName", "targetRef") if k in endpoint}})
    grouped: dict[tuple[tuple[str, bool], ...], tuple[list[dict[str, Any]],
                                                      dict[str, tuple[bool, dict[str, Any]]]]] = {}
    for port, found in behind.values():
        if found:
            key = tuple(sorted((ip, ready) for ip, (ready, _) in found.items()))
            grouped.setdefault(key, ([], found))[0].extend([port] if port else [])
    subsets = []
    for ports, found in grouped.values():
        listed = sorted(found.items())                  # RepackSubsets sorts them by IP text
        subset = {"addresses": [a for _, (ready, a) in listed if ready],
                  "notReadyAddresses": [a for _, (ready, a) in listed if not ready],
                  "ports": ports}
        subsets.append({k: v for k, v in subset.items() if v})
    return subsets


def _truncated(subsets: list[dict[str, Any]]) -> bool:
    """Cut ``subsets`` to :data:`MAX_ENDPOINTS_CAPACITY` addresses in place, as the endpoints
    controller's ``truncateEndpoints`` does (``pkg/controller/endpoint/
    endpoints_controller.go``), and say whether it had to: ready addresses come first, so
    when the ready ones fit only the not-ready ones are cut, else every not-ready one goes
    and the ready ones are cut; each subset keeps its share of the room, rounded up (the
    last ones get what is left), its first addresses kept."""
    ready = sum(len(subset.get("addresses", [])) for subset in subsets)
    not_ready = sum(len(subset.get("notReadyAddresses", [])) for subset in subsets)
    if ready + not_ready <= MAX_ENDPOINTS_CAPACITY:
        return False
    cut_ready = ready > MAX_ENDPOINTS_CAPACITY
    key = "addresses" if cut_ready else "notReadyAddresses"
    room, total = ((MAX_ENDPOINTS_CAPACITY, ready) if cut_ready
                   else (MAX_ENDPOINTS_CAPACITY - ready, not_ready))
    left = room
    for subset in subsets:
        share = min(math.ceil(len(subset.get(key, [])) / total * room), left)
        kept = subset.get(key, [])[:share]
        for dropped in ("addresses", "notReadyAddresses") if cut_ready else (key,):
            subset.pop(dropped, None)
        if kept:
            subset[key] = kept
        left -= len(kept)
    return True


def bound_claim(claim: dict[str, Any]) -> None:
    """A PersistentVolumeClaim as a real cluster shows it once bound, which the simulator's
    claims of the default class are at once (:mod:`clustersim.kubernetes.storageclass`):
    ``spec.volumeMode: Filesystem`` (``SetDefaults_PersistentVolumeClaimSpec``,
    ``pkg/apis/core/v1/defaults.go``); the default class's name where the claim names none,
    as the DefaultStorageClass admission plugin writes it; the volume a dynamic provisioner
    names ``pvc-<claim uid>`` (``GetProvisionedVolumeNameForClaim``,
    ``pkg/controller/volume/persistentvolume/pv_controller.go``) in ``spec.volumeName``; and
    the status the PV controller writes on binding: phase ``Bound``, and the volume's access
    modes and capacity, here the ones the claim asks for. A claim whose class does not exist
    stays Pending, with no volume and a status of its phase only. A new spec and status (a
    Table's spec is the stored one); what the stored claim already says stays."""
    spec = dict(claim.get("spec") or {})
    spec.setdefault("volumeMode", "Filesystem")
    if names_no_class(claim):
        spec["storageClassName"] = DEFAULT_CLASS
    stored = claim.get("status") or {}
    if stored.get("phase") == "Pending":
        claim["spec"], claim["status"] = spec, dict(stored)
        return
    if claim["metadata"].get("uid"):
        spec.setdefault("volumeName", volume_name(claim))
    asked = (spec.get("resources") or {}).get("requests") or {}
    status = {"phase": "Bound", "accessModes": list(spec.get("accessModes") or []),
              **({"capacity": {"storage": asked["storage"]}} if "storage" in asked else {}),
              **stored}
    claim["spec"], claim["status"] = spec, status


def _slice_uid(svc: Mapping[str, Any], index: int) -> str:
    """The uid of a Service's ``index``-th EndpointSlice, fixed by the Service's."""
    return svc["metadata"]["uid"][:-4] + f"{0xe51c + index:04x}"


def _suffix(uid: str) -> str:
    """Five characters from the alphabet of generated names, fixed by ``uid``."""
    alphabet, n, out = "bcdfghjklmnpqrstvwxz2456789", zlib.crc32(uid.encode()), ""
    for _ in range(5):
        n, digit = divmod(n, len(alphabet))
        out += alphabet[digit]
    return out

