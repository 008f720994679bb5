"""A simulated Kubernetes cluster: API objects, controllers, scheduler, kubelets and Services
on one seeded SimPy clock.

:class:`KubernetesCluster` plays the parts of a real control plane and its nodes:

- the API server: it stores objects (``apply`` creates or updates them as ``kubectl apply``
  does), applies pod defaults and admission (``DefaultTolerationSeconds``, ``Priority``,
  ``LimitRanger`` in :mod:`~clustersim.kubernetes.limitrange`, ``ResourceQuota`` in
  :mod:`~clustersim.kubernetes.resourcequota`, ``PodSecurity`` in
  :mod:`~clustersim.kubernetes.podsecurity`, the ServiceAccount check of
  :mod:`~clustersim.kubernetes.references`) and
  deletes dependents when an owner goes (the garbage collector's background and foreground
  propagation);
- kube-controller-manager: the workload controllers in :mod:`clustersim.kubernetes.controllers`
  reconcile every object whenever anything changed; the node lifecycle, taint eviction and
  pod garbage collection loops (:mod:`clustersim.kubernetes.controllers.nodelifecycle`) turn a
  failed node into NotReady, ``node.kubernetes.io/unreachable`` taints and evictions;
- kube-scheduler: pending pods are scheduled in priority order (``PrioritySort``), unschedulable
  ones may preempt lower-priority pods (DefaultPreemption) and are retried when the cluster
  changes (:mod:`clustersim.kubernetes.scheduler`);
- the kubelets (:mod:`clustersim.kubernetes.kubelet`) and kube-proxy
  (:mod:`clustersim.kubernetes.services`).

Controllers act instantly at the current simulated time (upstream: milliseconds); the kubelet,
node and probe delays are in :class:`~clustersim.kubernetes.kubelet.Timing`.

The class is built from parts split along upstream's own seams, a stack of classes each using
those below it: :class:`~clustersim.kubernetes.apiserver.APIServer` (object store,
validation, admission, apply, deletion) < :class:`~clustersim.kubernetes.nodes.NodeLifecycle`
(nodes, taints, cordon and drain, failure and recovery) <
:class:`~clustersim.kubernetes.controllermanager.ControllerManager` (timers, the controllers'
reconcile loop, the scheduling pass) < :class:`KubernetesCluster` (this module: the cluster
built and the kubectl-style commands and views).

Simplified (what a real cluster does instead): namespaces need not exist and
are not created; PersistentVolumeClaims of the default StorageClass, or of one applied, bind
at once (unless the class waits for the first consumer) to a PersistentVolume made at once
(:mod:`clustersim.kubernetes.persistentvolumes`; others stay Pending until their
class is applied: :mod:`clustersim.kubernetes.storageclass`; a pod whose claim, ConfigMap, Secret or
ServiceAccount does not exist, or whose claim is Pending, waits or is refused as upstream:
:mod:`clustersim.kubernetes.references`; a deleted claim that a scheduled pod mounts stays
Terminating until that pod is gone: :mod:`clustersim.kubernetes.storageprotection`); no RBAC. As
upstream, a pod on a failed node stays Terminating until the node comes back, its Node
object is deleted, or the node is tainted out-of-service.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.apiserver import AdmissionError
from clustersim.kubernetes.controllermanager import ControllerManager
from clustersim.kubernetes.controllers import CONTROLLERS
from clustersim.kubernetes.controllers.base import Retry
from clustersim.kubernetes.controllers.cronjob import EPOCH, Calendar
from clustersim.kubernetes.controllers.deployment import rollout_history, rollout_undo
from clustersim.kubernetes.controllers.nodelifecycle import (
    NodeLifecycleController,
    PodGarbageCollector,
    TaintEvictionController,
    marked_not_ready,
)
from clustersim.kubernetes.eventcorrelator import EventCorrelator
from clustersim.kubernetes.explanation import Explanation
from clustersim.kubernetes.kubelet import Kubelet, Timing
from clustersim.kubernetes.metrics import MetricsServer
from clustersim.kubernetes.networkpolicy import Verdict, connection
from clustersim.kubernetes.nodeinfo import NodeInfo, pod_requests
from clustersim.kubernetes.nodestatus import StatusReports
from clustersim.kubernetes.objects import (
    controller_of,
    count_generation,
    is_ready,
    is_terminating,
    labels_of,
    set_pod_defaults,
)
from clustersim.kubernetes.podcounts import PodCounts
from clustersim.kubernetes.podindex import PodIndex
from clustersim.kubernetes.podlifecycle import KUBELET_CONDITIONS
from clustersim.kubernetes.scheduler import Scheduler
from clustersim.kubernetes.scheduler.nominator import Nominator
from clustersim.kubernetes.schedulinggates import (
    GATED_MESSAGE,
    GATED_REASON,
    pre_enqueue,
    remove_gate,
)
from clustersim.kubernetes.services import RequestStream, Services
from clustersim.limits import check_exit, check_replicas
from clustersim.manifests.kubernetes_versions import group_kind
from clustersim.node import Node
from clustersim.sim import Clock, EventLog, NodeState, Snapshot, TaskState

__all__ = ["AdmissionError", "KubernetesCluster", "PodInfo", "default_nodes"]

_PLURALS = {"deployment": "Deployment", "deployments": "Deployment", "deploy": "Deployment",
            "replicaset": "ReplicaSet", "rs": "ReplicaSet", "statefulset": "StatefulSet",
            "sts": "StatefulSet", "daemonset": "DaemonSet", "ds": "DaemonSet", "job": "Job",
            "cronjob": "CronJob", "pod": "Pod", "po": "Pod", "service": "Service",
            "svc": "Service", "replicationcontroller": "ReplicationController",
            "rc": "ReplicationController"}


def default_nodes(workers: int = 3) -> list[Node]:
    """A small, typical cluster: ``workers`` nodes (4 CPU, 16 GiB, 100 GiB disk) spread over
    zones ``zone-a``, ``zone-b``, ``zone-c``, plus one control-plane node carrying kubeadm's
    ``node-role.kubernetes.io/control-plane:NoSchedule`` taint."""
    nodes = Node.many(workers, "worker", cpu="4", memory="16Gi", disk="100Gi",
                      zone=lambda i: f"zone-{'abc'[(i - 1) % 3]}")
    nodes.append(Node("control-plane", cpu="2", memory="8Gi", disk="100Gi", zone="zone-a",
                      labels={"node-role.kubernetes.io/control-plane": ""},
                      taints=[{"key": "node-role.kubernetes.io/control-plane",
                               "effect": "NoSchedule"}]))
    return nodes


class _WorkloadLister:
    """What the scheduler's plugins ask the cluster: the Services of a namespace and a pod's
    controller (PodTopologySpread's default constraints), a namespace's labels
    (InterPodAffinity's ``namespaceSelector``); upstream: the shared informers' listers."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster

    def services(self, namespace: str) -> list[dict[str, Any]]:
        return self.cluster.objects("Service", namespace)

    def controller(self, namespace: str, kind: str, name: str) -> dict[str, Any] | None:
        return self.cluster.get(kind, namespace, name)

    def namespace_labels(self, namespace: str) -> Mapping[str, str]:
        return self.cluster.namespace_labels(namespace)

    def version(self) -> None:
        """None: the stored objects are edited in place by many paths and the cluster counts
        only every change at once (a bind included), so the scheduler builds a pod's default
        selector in each cycle, as upstream's PreScore does from its listers."""
        return None


@dataclass(frozen=True)
class PodInfo:
    """One row of ``kubectl get pods -o wide``: where the pod is and why.

    ``reason`` is what the STATUS column would explain: ``Unschedulable`` (with the
    FailedScheduling text in ``message``), ``SchedulingGated``, ``ContainerCreating``,
    ``Init:N/M``, ``Init:CrashLoopBackOff`` (a sidecar backing off), ``Init:ErrImagePull``
    and the like (an init container that failed to start, as ``printPod`` prefixes it),
    ``ErrImagePull``, ``ImagePullBackOff``, ``CreateContainerConfigError``, ``Terminating``,
    ``Completed``,
    ``Error``, ``Evicted``, ``CrashLoopBackOff``,
    ``NodeNotReady`` (once the node controller has noticed a failed node; until then the API,
    like ``kubectl``, still shows the pod running), ``NodeNotFound`` (bound by hand to a node
    that does not exist), or ``""``.
    """

    name: str
    namespace: str
    labels: dict[str, str]
    node: str | None
    phase: str
    ready: bool
    reason: str
    message: str = ""
    owner: str | None = None
    ip: str | None = None

    def __repr__(self) -> str:
        """One line, like the pod's row of ``kubectl get pods -o wide``; every field stays
        an attribute (``.labels``, ``.message``, ``.as_dict()``)."""
        where = f"on {self.node}" if self.node else "not scheduled"
        state = self.phase + (f" ({self.reason})" if self.reason else "")
        ready = ", ready" if self.ready else ""
        return f"<PodInfo {self.namespace}/{self.name} {where}: {state}{ready}>"

    def __getitem__(self, key: str) -> Any:
        """``row["node"]`` works as well as ``row.node``."""
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict, e.g. for ``pandas.DataFrame([p.as_dict() for p in cluster.pods()])``."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class KubernetesCluster(ControllerManager):
    """A Kubernetes cluster of ``nodes`` (:class:`clustersim.Node`) on a seeded clock.

    ``scheduler_config``: one profile of a KubeSchedulerConfiguration (dict or YAML) for the
    scheduler. ``timing``: the kubelet and node delays. Everything random (generated names,
    Service addresses, scheduler ties, request streams) draws from ``seed``.
    """

    def __init__(self, nodes: Iterable[Node], scheduler_config: Any = None, seed: int = 0, *,
                 timing: Timing | None = None) -> None:
        self.clock = Clock(seed)
        self.rng = self.clock.random
        self.epoch: float = EPOCH.timestamp()
        """The cluster's calendar: the Unix time of simulated second 0, by which CronJob
        schedules are read and their Jobs named. 2026-01-01 00:00 UTC by default (labs and
        tests reproducible); the served API sets it to its wall-clock anchor
        (:class:`clustersim.serve.core.WallClock`), so schedules fire on real minutes."""
        self.calendar: Calendar | None = None
        """A calendar that replaces :attr:`epoch` for the CronJob controller: the served
        API's wall clock, whose mapping runs at the server's speed."""
        self.timing = timing or Timing()
        self.events = EventLog("kubernetes")
        self.correlator = EventCorrelator()
        """client-go's event correlator, which the recorders run before writing
        (:mod:`clustersim.kubernetes.eventcorrelator`)."""
        # fast_spread: delete_pod and a labels update report the in-place edits of a bound pod
        # that topology spreading counts (deletionTimestamp, labels: pods_changed), so
        # Deployment pods take the fast path too
        self.scheduler = Scheduler(scheduler_config, rng=self.rng, lister=_WorkloadLister(self),
                                   fast_spread=True, nominator=Nominator())
        self.kubelet = Kubelet(self, self.timing)
        self.services = Services(self)
        self.metrics = MetricsServer(self)
        """CPU demand per workload and each Pod's use (:mod:`clustersim.kubernetes.metrics`)."""
        self._objects: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        self._children: dict[str, dict[str, dict[str, Any]]] = {}
        self._orphans: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        """Pods and ReplicaSets without a controller owner reference, by kind and namespace,
        then uid (see :meth:`orphans`)."""
        self._relabelled: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        """Owned objects whose labels changed, by their controller's uid and kind, then uid
        (see :meth:`relabelled`)."""
        self.pod_counts = PodCounts()
        """Active and ready Pods per controller, for the ReplicaSet and Deployment
        controllers (:mod:`clustersim.kubernetes.podcounts`): whoever writes a Pod's owner,
        phase, deletion or ``Ready`` condition tells it (:meth:`pod_written`)."""
        self.pod_index = PodIndex(self.scheduler.profile.handles)
        """The unbound, finished and Terminating Pods, and the bound ones by node, for the
        scheduler and the pod garbage collector (:mod:`clustersim.kubernetes.podindex`)."""
        self.on_removed: list[Callable[[Mapping[str, Any]], None]] = []
        """Called with each object as it leaves the store (deleted, garbage-collected, a Pod
        its kubelet finished), for what keeps state by uid outside the cluster (the served
        API's field managers)."""
        self.on_node_removed: list[Callable[[str], None]] = []
        """Called with the name of each node as it leaves the cluster (:meth:`remove_node`,
        whoever removes it), for what keeps state by node name outside the cluster (what
        the served API's writes kept of a Node)."""
        self._task_requests: dict[str, tuple[float, float]] = {}
        """(cpu cores, memory bytes) each stored pod requests, by uid, as :meth:`snapshot`
        shows them: a stored Pod's containers never change (the API server refuses such an
        update; upstream's in-place resize is not simulated), and the entry goes with the
        pod (:meth:`remove_pod`)."""
        self._nodes: dict[str, NodeInfo] = {}
        self._positions: dict[str, int] | None = None
        self._joins = {}
        """When each node joined (:meth:`node_joined`)."""
        self._joined = 0
        """How many nodes ever joined: the next one's ``NodeJoin.serial``."""
        self._node_up: dict[str, bool] = {}
        """Whether the node's containers run."""
        self._kubelet_alive: dict[str, bool] = {}
        """Whether its kubelet talks to the API server (it can stop pods even when NotReady)."""
        self._status_reports: dict[str, StatusReports] = {}
        """When its kubelet posted its Node's status (:meth:`node_status_reports`)."""
        self._uid = 0
        self._version = 0
        self._shown: tuple[int, tuple[tuple[NodeState, ...], tuple[TaskState, ...]]] | None = None
        """The last snapshot's nodes and tasks with the ``_version`` they were made at."""
        self._attempted: dict[str, tuple[int, int, float, tuple[str, ...]]] = {}
        """Each unschedulable pod's last failed attempt: the two versions below then, its
        time (the scheduling queue's ``Timestamp``, which its 5-minute flush compares) and
        the plugins that rejected it (``UnschedulablePlugins``, whose queueing hints decide
        the events :mod:`~clustersim.kubernetes.scheduler.queueinghints` covers)."""
        self._placement_version = 0
        """Bumped by changes that can make an unschedulable pod fit (nodes, taints, pods
        gone, volumes): upstream's queueing hints move pods back to the active queue on such
        events only (:mod:`~clustersim.kubernetes.controllermanager`)."""
        self._assigned_version = 0
        """Bumped when a pod is bound to a node or a bound pod's labels change (upstream's
        ``AssignedPodAdd`` and ``AssignedPodUpdate`` events), which moves back only the pods
        whose terms look at other pods."""
        self._queue_versions = (0, 0)
        """The two versions above when the scheduler last moved parked pods back
        (``ControllerManager._requeue``)."""
        self._flushes: set[float] = set()
        """The times of the scheduling queue's flushes that are due."""
        self._last_failure: dict[str, str] = {}
        self._foreground = 0
        self._wakes: set[tuple[float, bool]] = set()
        self._reconciling = False
        self._reconcile_queued = False
        self._settled: int | None = None
        """The ``_version`` at which the last reconcile found nothing to do (None: none
        did, or a wake-up came due since); see ``ControllerManager._reconcile``."""
        self._retries: dict[str, Retry] = {}
        """The objects whose sync was refused, by uid, waiting out their work queue's
        back-off (``ControllerManager._sync``)."""
        self.sync_faults: list[str] | None = None
        """None: a controller's failure other than a refused create propagates (the Python
        API rolls back the apply that caused it). A list (the served API's): each such
        failure is contained as upstream's work queue contains it, and its line is appended
        here for the server to report (``ControllerManager._sync``)."""
        self._controllers = [cls(self) for cls in CONTROLLERS]
        self._lifecycle = NodeLifecycleController(self)
        self._eviction = TaintEvictionController(self)
        self._podgc = PodGarbageCollector(self)
        self.drain_log: list[tuple[float, str]] = []
        """What ``kubectl drain`` printed: (time, line)."""
        self._drain_waits = {}
        # the nodes join first and the control loop runs once: reconciling after each join
        # made building n nodes cost n passes over n nodes (40,000 nodes: about three minutes)
        self._reconciling = True
        try:
            for node in nodes:
                self.add_node(node)
        finally:
            self._reconciling = False
        self._reconcile()


    # ---- kubectl-style operations ---------------------------------------------------------

    def _workload(self, kind: str, name: str, namespace: str) -> dict[str, Any]:
        for what, value, example in (("kind", kind, "Deployment"), ("name", name, "web"),
                                     ("namespace", namespace, "default")):
            if not isinstance(value, str):
                raise TypeError(f"{what} must be a string, such as {example!r}, got {value!r}")
        kind = _PLURALS.get(kind.lower(), kind)
        obj = self.get(kind, namespace, name)
        if obj is None:
            raise ValueError(f'{kind} "{name}" not found in namespace "{namespace}"')
        return obj

    def remove_scheduling_gate(self, pod: str, gate: str, namespace: str = "default") -> None:
        """What a controller such as Kueue does when it admits a Pod: remove one of its
        ``schedulingGates`` (:mod:`clustersim.kubernetes.schedulinggates`); without gates left
        the Pod is scheduled."""
        found = self._workload("Pod", pod, namespace)
        remove_gate(found, gate)
        self.pod_index.updated(found)
        self.changed()
        self._reconcile()

    def set_pod_condition(self, pod: str, condition: str, status: bool,
                          namespace: str = "default") -> None:
        """What a load-balancer controller (the AWS Load Balancer Controller, GKE's NEG
        controller) does once its target is healthy: set the Pod's condition ``condition``
        (a ``spec.readinessGates`` condition type) to ``True`` or ``False`` through the status
        subresource, keeping its other conditions; the Pod's Ready condition follows
        (:meth:`~clustersim.kubernetes.apiserver.APIServer.update_pod_conditions`)."""
        if condition in KUBELET_CONDITIONS:
            raise ValueError(f"{condition} is a condition the kubelet owns and writes again "
                             "at its next sync; set the condition a readiness gate names")
        found = self._workload("Pod", pod, namespace)
        text = "True" if status else "False"
        conditions = [dict(c) for c in found["status"].get("conditions") or []]
        mine = next((c for c in conditions if c.get("type") == condition), None)
        if mine is None:
            conditions.append({"type": condition, "status": text,
                               "lastTransitionTime": self.now})
        elif mine.get("status") != text:
            mine.update(status=text, lastTransitionTime=self.now)
        self.update_pod_conditions(found, conditions)
        self._reconcile()

    def scale(self, kind: str, name: str, replicas: int, namespace: str = "default") -> None:
        """``kubectl scale``: set ``spec.replicas`` of a Deployment, ReplicaSet, StatefulSet or
        ReplicationController."""
        obj = self._workload(kind, name, namespace)
        if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
            raise ValueError(f"replicas must be a whole number ≥ 0, got {replicas!r}")
        check_replicas(replicas, f"{kind} {name!r}: replicas")
        before = dict(obj.setdefault("spec", {}))
        before.setdefault("replicas", 1)        # the API server's default: 1 → 1 is no change
        obj["spec"]["replicas"] = replicas
        count_generation(obj, before)
        self.changed()
        self._reconcile()

    def set_image(self, kind: str, name: str, image: str, container: str | None = None,
                  namespace: str = "default") -> None:
        """``kubectl set image``: change a container image in a workload's pod template (the
        first container unless ``container`` names one); a Deployment rolls out. The API
        server requires the image and nothing more of a template's (``validateContainerCommon``
        in ``pkg/apis/core/validation``: ``Required value``); a Pod refuses one with leading or
        trailing whitespace (``validateContainersOnlyForPod``), so the controller's Pods are
        then refused (``FailedCreate``), and a reference the kubelet cannot parse waits with
        ``InvalidImageName`` (:mod:`clustersim.kubernetes.imagemanager`)."""
        obj = self._workload(kind, name, namespace)
        if not isinstance(image, str):
            raise TypeError(f"image must be a string, such as \"nginx:1.27\", got {image!r}")
        containers = ((obj.get("spec") or {}).get("template") or {}).get("spec", {}).get(
            "containers") or []
        target = [c for c in containers if container is None or c.get("name") == container]
        if not target:
            raise ValueError(f"{kind} {name!r} has no container named {container!r}")
        if not image:
            index = next(i for i, c in enumerate(containers) if c is target[0])
            raise AdmissionError(f'{group_kind(obj["kind"])} "{name}" is invalid: spec.template.'
                                 f"spec.containers[{index}].image: Required value")
        before = copy.deepcopy(obj["spec"])
        target[0]["image"] = image
        count_generation(obj, before)
        self.changed()
        self._reconcile()

    def fail_image(self, image: str, *, after: float = 2.0, exit_code: int = 1) -> None:
        """From now on, containers of ``image`` exit with ``exit_code`` ``after`` seconds after
        they start: a broken release. Deployment pods restart such a container at once after
        its first exit and go into CrashLoopBackOff after the next ones, Job pods fail
        (exit code 0 makes them finish)."""
        self.kubelet.image_exits[image] = check_exit(after, exit_code)

    def fail_pull(self, image: str, error: str | None = None) -> None:
        """From now on the registry refuses ``image`` (a wrong tag, missing credentials): its
        pods show ErrImagePull, then ImagePullBackOff, and retry with back-off
        (:mod:`clustersim.kubernetes.kubelet`). ``error`` is the runtime's message."""
        self.kubelet.image_manager.pull_errors[image] = error or (
            f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}": '
            "not found")

    def restore_pull(self, image: str) -> None:
        """The registry serves ``image`` again; waiting pods pull it at their next retry."""
        self.kubelet.image_manager.pull_errors.pop(image, None)

    def rollout_pause(self, name: str, namespace: str = "default") -> None:
        """``kubectl rollout pause``: template changes wait; scaling still works."""
        deployment = self._workload("Deployment", name, namespace)
        before = dict(deployment["spec"])
        deployment["spec"]["paused"] = True
        count_generation(deployment, before)
        self.changed()
        self._reconcile()

    def rollout_resume(self, name: str, namespace: str = "default") -> None:
        """``kubectl rollout resume``."""
        deployment = self._workload("Deployment", name, namespace)
        before = dict(deployment["spec"])
        deployment["spec"].pop("paused", None)
        count_generation(deployment, before)
        self.changed()
        self._reconcile()

    def delete(self, kind: str, name: str, namespace: str = "default", *,
               cascade: str = "background") -> None:
        """``kubectl delete``: the object and, in the background, everything it owns; with
        ``cascade="orphan"`` (``--cascade=orphan``) what it owns stays, without its owner
        reference; with ``cascade="foreground"`` the object stays, being deleted, until
        what it owns is gone."""
        if cascade not in ("background", "foreground", "orphan"):
            raise ValueError('cascade must be "background", "foreground" or "orphan", '
                             f"not {cascade!r}")
        obj = self._workload(kind, name, namespace)
        self.delete_object(obj, cascade.capitalize())
        self._reconcile()

    def rollout_history(self, name: str, namespace: str = "default") -> list[dict[str, Any]]:
        """``kubectl rollout history``: one row per revision (revision, ReplicaSet, images)."""
        return rollout_history(self, self._workload("Deployment", name, namespace))

    def rollout_undo(self, name: str, to_revision: int = 0, namespace: str = "default") -> str:
        """``kubectl rollout undo``: copy an earlier revision's pod template back into the
        Deployment (the previous revision when ``to_revision`` is 0)."""
        message = rollout_undo(self, self._workload("Deployment", name, namespace), to_revision)
        self._reconcile()
        return message

    # ---- views ---------------------------------------------------------------------------

    def explain(self, pod: Mapping[str, Any] | PodInfo | str) -> Explanation:
        """Why each node could or could not take ``pod`` and how it scores, without binding
        anything: ``{node: Verdict(feasible, reasons, scores, total)}``, an
        :class:`~clustersim.kubernetes.explanation.Explanation` whose ``summary`` says first
        what holds for the pod as a whole (a manifest with ``spec.nodeName`` is bound to that
        node). ``pod`` is a Pod manifest (a dict), a row of :meth:`pods` or the name of a
        stored pod (then its node is left out: where could it go now?)."""
        placed_on = None
        if isinstance(pod, str | PodInfo):
            name, namespace = (pod, "default") if isinstance(pod, str) else (pod.name,
                                                                              pod.namespace)
            stored = self.get("Pod", namespace, name)
            if stored is None:
                raise ValueError(f'pod "{name}" not found in namespace "{namespace}"')
            pod = {"apiVersion": "v1", "kind": "Pod", "spec": stored["spec"],
                   "metadata": {k: v for k, v in stored["metadata"].items()
                                if k in ("name", "namespace", "labels")}}
            placed_on = pod["spec"].get("nodeName") or None
            pod["spec"] = {k: v for k, v in pod["spec"].items() if k != "nodeName"}
        if not isinstance(pod, Mapping) or not isinstance(pod.get("spec"), Mapping):
            raise ValueError("explain() takes a Pod manifest (a dict with a spec), a row of "
                             f"cluster.pods() or a pod's name, got {type(pod).__name__}")
        probe = copy.deepcopy(dict(pod))
        probe.setdefault("metadata", {}).setdefault("name", "explain")
        set_pod_defaults(probe, probe["metadata"].get("namespace", "default"))
        verdicts = self.scheduler.explain(probe, list(self._nodes.values()))
        return Explanation(verdicts, probe["metadata"]["name"],
                           probe["spec"].get("nodeName") or None, placed_on)

    def pods(self, namespace: str | None = None) -> list[PodInfo]:
        """Every pod (in ``namespace`` if given): name, namespace, labels, node, phase, ready,
        reason (see :class:`PodInfo`). ``ready`` is the Ready condition of a pod that is not
        terminating, as its EndpointSlice entry's ``ready`` counts it: a pod being deleted
        keeps its Ready condition while its containers run, so ``kubectl get pods`` shows
        it ``1/1 Terminating``, but it takes new connections only while its Service has no
        ready endpoint (:mod:`clustersim.kubernetes.services`)."""
        rows = []
        owners: dict[tuple[str, str, str], str] = {}   # the pods of one set share their chain
        for pod in self.objects("Pod", namespace):
            status = pod.get("status") or {}
            node = pod["spec"].get("nodeName")
            phase = status.get("phase", "Pending")
            message = ""
            if is_terminating(pod):
                reason = "Terminating"
            elif phase in ("Succeeded", "Failed"):
                reason = status.get("reason", "Completed" if phase == "Succeeded" else "Error")
            elif node is None and pre_enqueue(pod):
                reason, message = GATED_REASON, GATED_MESSAGE
            elif node is None:
                reason = "Unschedulable" if pod["metadata"]["uid"] in self._last_failure else ""
                message = self._last_failure.get(pod["metadata"]["uid"], "")
            elif node not in self._nodes:
                reason = "NodeNotFound"          # bound by hand to a node that does not exist
            elif marked_not_ready(pod, self.node(node).taints):
                reason = "NodeNotReady"          # the node controller has marked it
            elif phase == "Pending":
                reason = status.get("reason") or "ContainerCreating"      # or Init:1/2
            else:
                reason = status.get("reason", "")   # e.g. CrashLoopBackOff
            rows.append(PodInfo(pod["metadata"]["name"], pod["metadata"]["namespace"],
                                labels_of(pod), node, phase,
                                is_ready(pod) and not is_terminating(pod),
                                reason, message, self._top_owner(pod, owners),
                                status.get("podIP")))
        return rows

    def _top_owner(self, obj: Mapping[str, Any],
                   seen: dict[tuple[str, str, str], str]) -> str | None:
        """``kind/name`` of the last object up ``obj``'s chain of controller references
        that names an owner (a Pod's Deployment rather than its ReplicaSet). ``seen``
        keeps each reference's answer for one listing, in which the store does not change."""
        ref = controller_of(obj)
        if ref is None:
            return None
        key = (obj["metadata"].get("namespace", "default"), ref["kind"], ref["name"])
        found = seen.get(key)
        if found is None:
            found = seen[key] = f"{ref['kind']}/{ref['name']}"     # (ends a cycle)
            parent = self.get(ref["kind"], key[0], ref["name"])
            if parent is not None:
                found = seen[key] = self._top_owner(parent, seen) or found
        return found

    def connection(self, source: str, destination: str, port: int, protocol: str = "TCP", *,
                   enforced: bool = True) -> Verdict:
        """Whether ``source`` may open a connection to ``destination`` on ``port`` under the
        NetworkPolicies applied, and why (:func:`clustersim.kubernetes.networkpolicy.connection`):
        a Pod as ``namespace/name`` (its name from :meth:`pods`), ``node:NAME``, or an outside
        address. ``enforced=False``: a network plugin that ignores policies. No packet moves:
        the simulated Pods run no programs."""
        objects = [*self.objects("Namespace"), *self.objects("Pod"),
                   *self.objects("NetworkPolicy")]
        return connection(objects, source, destination, port, protocol, enforced=enforced)

    def endpoints(self, service: str, namespace: str = "default") -> list[str]:
        """The names of the pods that serve a Service now (ready endpoints)."""
        return [e.pod for e in self.services.endpoints(self._service(service, namespace))]

    def endpoint_slice(self, service: str, namespace: str = "default") -> list[dict[str, Any]]:
        """Every endpoint of a Service as ``kubectl get endpointslice -o yaml`` lists it, not
        ready ones included: ``{"pod", "uid", "nodeName", "addresses", "conditions": {"ready",
        "serving", "terminating"}, "ports"}``, ``ports`` the Service's ports that pod resolves,
        each ``{"name", "port", "protocol"}`` with the pod's own number for a named
        ``targetPort`` (see :mod:`clustersim.kubernetes.services`)."""
        return list(self.services.endpoint_slice(self._service(service, namespace)))

    def endpoint_slices(self, service: str,
                        namespace: str = "default") -> list[dict[str, Any]]:
        """The Service's EndpointSlices as the controller cuts them: ``{"ports",
        "endpoints"}`` each, the endpoints of :meth:`endpoint_slice` grouped by the ports
        their pods resolve, at most 100 in a slice (``--max-endpoints-per-slice``; see
        :meth:`~clustersim.kubernetes.services.Services.endpoint_slices`)."""
        return self.services.endpoint_slices(self._service(service, namespace))

    def _service(self, service: str, namespace: str) -> dict[str, Any]:
        svc = self.get("Service", namespace, service)
        if svc is None:
            raise ValueError(f'Service "{service}" not found in namespace "{namespace}"')
        return svc

    def request_stream(self, service: str, rate: float = 10.0, start: float | None = None,
                       stop: float | None = None, namespace: str = "default",
                       entry: str | None = None,
                       port: int | str | None = None,
                       from_node: str | None = None) -> RequestStream:
        """Send requests to a Service at ``rate`` per second from ``start`` (default now) to
        ``stop``; each goes to a random endpoint as kube-proxy sees them. Read the outcome
        with ``stream.buckets(width)`` after ``run``.

        ``entry``: None for clients inside the cluster (the cluster IP);
        ``"load-balancer"`` for clients of a LoadBalancer Service's external address; a node
        name for clients of a NodePort on that node (see :mod:`clustersim.kubernetes.services`
        for ``externalTrafficPolicy``). ``port``: the Service port connected to, by its number
        or name (default: the first listed); only pods whose EndpointSlice lists that port
        get its requests, so a named ``targetPort`` skips pods that declare no port of that
        name. ``from_node``: for clients inside the cluster, the node their Pod runs on,
        whose kube-proxy routes them; a Service with ``internalTrafficPolicy: Local`` needs
        it and sends them only to that node's endpoints (none there: every request fails)."""
        return self.services.stream(service, namespace, rate,
                                    self.now if start is None else start, stop, entry, port,
                                    from_node)

    def snapshot(self) -> Snapshot:
        """The cluster now, in the shape the views draw. Its nodes and tasks are made again
        only when ``_version`` moved, which every change to a stored object or to what the
        controllers read bumps (:meth:`~clustersim.kubernetes.apiserver.APIServer.changed`;
        a machine that stops or comes back too): a run recorded every second mostly meets
        no change, and each snapshot then shares the last one's tuples."""
        if self._shown is None or self._shown[0] != self._version:
            self._shown = self._version, self._view()
        nodes, tasks = self._shown[1]
        return Snapshot("kubernetes", self.now, nodes, tasks)

    def _view(self) -> tuple[tuple[NodeState, ...], tuple[TaskState, ...]]:
        """The nodes and tasks of :meth:`snapshot`, made from the store."""
        nodes = []
        for name, info in self._nodes.items():
            if not self._node_up[name]:
                status = "NotReady"
            elif info.unschedulable:
                status = "Unschedulable"
            else:
                status = "Ready"
            nodes.append(NodeState(
                name=name, cpu=info.allocatable.get("cpu", 0) / 1000,
                memory=float(info.allocatable.get("memory", 0)),
                cpu_used=info.requested.get("cpu", 0) / 1000,
                memory_used=float(info.requested.get("memory", 0)),
                zone=info.labels.get("topology.kubernetes.io/zone"), status=status,
                labels=dict(info.labels)))
        tasks = []
        for row, pod in zip(self.pods(), self.objects("Pod"), strict=True):
            uid = pod["metadata"]["uid"]
            shown = self._task_requests.get(uid)
            if shown is None:
                requests = pod_requests(pod)
                shown = self._task_requests[uid] = (requests.get("cpu", 0) / 1000,
                                                    float(requests.get("memory", 0)))
            state = "Terminating" if row.reason == "Terminating" else row.phase
            tasks.append(TaskState(name=row.name, owner=row.owner or f"Pod/{row.name}",
                                   node=row.node, state=state, cpu=shown[0], memory=shown[1],
                                   ready=row.ready))
        return tuple(nodes), tuple(tasks)

    def __repr__(self) -> str:
        return (f"KubernetesCluster({len(self._nodes)} nodes, {len(self.objects('Pod'))} pods, "
                f"t={self.now:g}s)")
