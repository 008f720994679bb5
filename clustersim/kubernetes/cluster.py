"""A simulated Kubernetes cluster: API objects, controllers, scheduler, kubelets and Services
on one seeded SimPy clock.

:class:`KubernetesCluster` plays the parts of a real control plane and its nodes:

- the API server: it stores objects (``apply`` creates or updates them as ``kubectl apply``
  does), applies pod defaults and admission (``DefaultTolerationSeconds``, ``Priority``,
  ``LimitRanger`` in :mod:`~clustersim.kubernetes.limitrange`, ``ResourceQuota`` in
  :mod:`~clustersim.kubernetes.resourcequota`) and
  deletes dependents when an owner goes (the garbage collector's background propagation);
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

Simplified (what a real cluster does instead): namespaces need not exist and
are not created; PersistentVolumeClaims bind at once, with no PersistentVolumes or storage
classes behind them (a pod whose claim, ConfigMap, Secret or ServiceAccount does not exist
waits or is refused as upstream: :mod:`clustersim.kubernetes.references`); no RBAC. As
upstream, a pod on a failed node stays Terminating until the node comes back, its Node
object is deleted, or the node is tainted out-of-service.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.configupdates import update_refusal
from clustersim.kubernetes.controllers import CONTROLLERS
from clustersim.kubernetes.controllers.deployment import rollout_history, rollout_undo
from clustersim.kubernetes.controllers.disruption import budget_settling, eviction_refusal
from clustersim.kubernetes.controllers.nodelifecycle import (
    NodeLifecycleController,
    PodGarbageCollector,
    TaintEvictionController,
)
from clustersim.kubernetes.explanation import Explanation
from clustersim.kubernetes.kubelet import Kubelet, Timing
from clustersim.kubernetes.limitrange import admit_limit_ranges
from clustersim.kubernetes.metrics import MetricsServer
from clustersim.kubernetes.nodeinfo import NodeInfo, pod_requests
from clustersim.kubernetes.objects import (
    condition,
    controller_of,
    full_name,
    generate_name,
    is_active,
    is_ready,
    is_terminating,
    labels_of,
    selector_matches,
    set_condition,
    set_pod_defaults,
)
from clustersim.kubernetes.podsecurity import admit as admit_pod_security
from clustersim.kubernetes.references import missing_claim, missing_service_account
from clustersim.kubernetes.resourcequota import admit_resource_quotas
from clustersim.kubernetes.scheduler import Scheduler
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import required_node_affinity_matches
from clustersim.kubernetes.scheduler.preemption import find_preemption, not_eligible
from clustersim.kubernetes.scheduler.scheduler import NO_NEW_CLAIMS
from clustersim.kubernetes.scheduler.taints import find_untolerated_taint
from clustersim.kubernetes.schedulinggates import (
    GATED_MESSAGE,
    GATED_REASON,
    mark_gated,
    pre_enqueue,
    remove_gate,
)
from clustersim.kubernetes.services import RequestStream, Services
from clustersim.limits import MAX_AFFINITY_TERMS, check_count, check_nodes, check_replicas
from clustersim.node import Node
from clustersim.sim import Clock, EventLog, NodeState, Snapshot, TaskState

__all__ = ["AdmissionError", "KubernetesCluster", "PodInfo", "default_nodes"]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
"""What ``kubectl apply`` compares a manifest with (client-side apply)."""
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
DRAIN_RETRY_SECONDS = 5.0
"""kubectl drain waits this long before retrying a refused eviction."""
SYSTEM_PRIORITIES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}
_MAX_PASSES = 200
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


def _affinity_terms(obj: Mapping[str, Any]) -> int:
    """Node, pod and pod anti-affinity terms (required and preferred) of a Pod or of the pod
    template of a workload (a CronJob's through its job template)."""
    spec = obj.get("spec") or {}
    if obj.get("kind") == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if obj.get("kind") != "Pod":
        spec = (spec.get("template") or {}).get("spec") or {}
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


class _WorkloadLister:
    """What PodTopologySpread's default constraints ask the cluster: the Services of a
    namespace and a pod's controller (upstream: the shared informers' listers)."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster

    def services(self, namespace: str) -> list[dict[str, Any]]:
        return self.cluster.objects("Service", namespace)

    def controller(self, namespace: str, kind: str, name: str) -> dict[str, Any] | None:
        return self.cluster.get(kind, namespace, name)


class AdmissionError(ValueError):
    """The API server refused to create an object (e.g. an unknown PriorityClass)."""


@dataclass(frozen=True)
class PodInfo:
    """One row of ``kubectl get pods -o wide``: where the pod is and why.

    ``reason`` is what the STATUS column would explain: ``Unschedulable`` (with the
    FailedScheduling text in ``message``), ``SchedulingGated``, ``ContainerCreating``,
    ``Terminating``, ``Completed``, ``Error``, ``CrashLoopBackOff``, ``NodeNotReady`` (once
    the node controller has noticed a failed node; until then the API, like ``kubectl``, still
    shows the pod running), or ``""``.
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


class KubernetesCluster:
    """A Kubernetes cluster of ``nodes`` (:class:`clustersim.Node`) on a seeded clock.

    ``scheduler_config``: one profile of a KubeSchedulerConfiguration (dict or YAML) for the
    scheduler. ``timing``: the kubelet and node delays. Everything random (generated names,
    Service addresses, scheduler ties, request streams) draws from ``seed``.
    """

    def __init__(self, nodes: Iterable[Node], scheduler_config: Any = None, seed: int = 0, *,
                 timing: Timing | None = None) -> None:
        self.clock = Clock(seed)
        self.rng = self.clock.random
        self.timing = timing or Timing()
        self.events = EventLog("kubernetes")
        # fast_spread: delete_pod reports the one in-place edit of a bound pod that topology
        # spreading counts (deletionTimestamp), so Deployment pods take the fast path too
        self.scheduler = Scheduler(scheduler_config, rng=self.rng, lister=_WorkloadLister(self),
                                   fast_spread=True)
        self.kubelet = Kubelet(self, self.timing)
        self.services = Services(self)
        self.metrics = MetricsServer(self)
        """CPU demand per workload and each Pod's use (:mod:`clustersim.kubernetes.metrics`)."""
        self._objects: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        self._children: dict[str, dict[str, dict[str, Any]]] = {}
        self._orphans: dict[str, dict[str, Any]] = {}
        """Pods without a controller owner reference, by uid (see :meth:`orphan_pods`)."""
        self._nodes: dict[str, NodeInfo] = {}
        self._positions: dict[str, int] | None = None
        self._node_up: dict[str, bool] = {}
        """Whether the node's containers run."""
        self._kubelet_alive: dict[str, bool] = {}
        """Whether its kubelet talks to the API server (it can stop pods even when NotReady)."""
        self._uid = 0
        self._version = 0
        self._attempted: dict[str, int] = {}
        self._placement_version = 0
        """Bumped by changes that can make an unschedulable pod fit (nodes, taints, pods
        bound or gone): upstream's queueing hints move pods back to the active queue on such
        events only."""
        self._last_failure: dict[str, str] = {}
        self._foreground = 0
        self._wakes: set[tuple[float, bool]] = set()
        self._reconciling = False
        self._reconcile_queued = False
        self._controllers = [cls(self) for cls in CONTROLLERS]
        self._lifecycle = NodeLifecycleController(self)
        self._eviction = TaintEvictionController(self)
        self._podgc = PodGarbageCollector(self)
        self.drain_log: list[tuple[float, str]] = []
        """What ``kubectl drain`` printed: (time, line)."""
        # the nodes join first and the control loop runs once: reconciling after each join
        # made building n nodes cost n passes over n nodes (40,000 nodes: about three minutes)
        self._reconciling = True
        try:
            for node in nodes:
                self.add_node(node)
        finally:
            self._reconciling = False
        self._reconcile()

    # ---- time ----------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started."""
        return self.clock.now

    def after(self, delay: float, action, *, background: bool = False) -> None:
        """Run ``action()`` ``delay`` seconds from now, then reconcile. ``run()`` without
        ``until`` waits for every pending foreground action, never for background ones."""
        if not background:
            self._foreground += 1

        def waiter():
            yield self.clock.env.timeout(max(0.0, delay))
            if not background:
                self._foreground -= 1
            action()
            self._reconcile_soon()

        self.clock.env.process(waiter())

    def _reconcile_soon(self) -> None:
        """Reconcile once after every action due at this instant has run (SimPy runs a zero
        delay event after the events already queued for the same time)."""
        if self._reconcile_queued:
            return
        self._reconcile_queued = True
        self._foreground += 1

        def later():
            yield self.clock.env.timeout(0)
            self._reconcile_queued = False
            self._foreground -= 1
            self._reconcile()

        self.clock.env.process(later())

    def wake_at(self, time: float, *, background: bool = False) -> None:
        """Make sure the controllers look again at ``time`` (e.g. when minReadySeconds pass)."""
        if time <= self.now or (time, background) in self._wakes:
            return
        self._wakes.add((time, background))
        self.after(time - self.now, lambda: self._wakes.discard((time, background)),
                   background=background)

    def run(self, until: float | None = None) -> None:
        """Advance simulated time until nothing is left to happen, or until the absolute time
        ``until`` (seconds). Periodic work (CronJob schedules, request streams) never ends by
        itself, so a run without ``until`` stops when only that is left; if work never stops
        (CronJob runs that overlap) it raises ``LimitError`` after a simulated day
        (:meth:`clustersim.sim.Clock.run_until_quiet`)."""
        self._reconcile()
        if until is not None:
            self.clock.run(until)
            return
        self.clock.run_until_quiet(lambda: self._foreground > 0)

    # ---- the object store (API server) ----------------------------------------------------

    def _key(self, obj: Mapping[str, Any]) -> tuple[str, str]:
        meta = obj["metadata"]
        return meta.get("namespace", "default"), meta["name"]

    def objects(self, kind: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """All objects of ``kind`` (in ``namespace`` if given), oldest first."""
        objects = self._objects.get(kind, {})
        return [o for (ns, _), o in list(objects.items()) if namespace is None or ns == namespace]

    def get(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        """One object, or None."""
        return self._objects.get(kind, {}).get((namespace, name))

    def exists(self, obj: Mapping[str, Any]) -> bool:
        """Whether this very object (same uid) is still stored."""
        stored = self.get(obj["kind"], *self._key(obj))
        return stored is not None and stored["metadata"]["uid"] == obj["metadata"]["uid"]

    def owned(self, kind: str, owner: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Objects of ``kind`` whose controller owner reference points at ``owner``."""
        uid = owner["metadata"]["uid"]
        return [o for o in self._children.get(uid, {}).values()
                if o["kind"] == kind and (controller_of(o) or {}).get("uid") == uid]

    def orphan_pods(self, namespace: str) -> list[dict[str, Any]]:
        """The pods of ``namespace`` created without a controller and not adopted since,
        oldest first (what ``ClaimPods`` may adopt), without listing every pod."""
        return [p for p in self._orphans.values() if p["metadata"]["namespace"] == namespace]

    def changed(self) -> None:
        """Tell the control loops that something changed (they run again until nothing does)."""
        self._version += 1

    def record(self, obj: Mapping[str, Any], reason: str, message: str,
               type: str = "Normal") -> None:
        """Record an Event about ``obj`` (``kind/name``)."""
        self.events.record(self.now, f"{obj['kind'].lower()}/{obj['metadata']['name']}",
                           reason, message, type)

    def create(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Store a new object: name, uid, creation time, and for pods defaults and admission."""
        kind = obj.get("kind")
        meta = obj.setdefault("metadata", {})
        meta.setdefault("namespace", "default")
        if not meta.get("name"):
            raise ValueError(f"{kind} needs metadata.name")
        if self.get(kind, meta["namespace"], meta["name"]) is not None:
            raise AdmissionError(f'{kind.lower()}s "{meta["name"]}" already exists')
        self._validate(obj)
        if kind == "Pod":
            self._admit_pod(obj)
        if kind == "Service":
            self.services.admit(obj)
        self._uid += 1
        meta["uid"] = f"{self._uid:08x}-0000-4000-8000-{self.clock.seed & 0xFFFFFFFFFFFF:012x}"
        meta["creationTimestamp"] = self.now
        meta.setdefault("generation", 1)
        self._objects.setdefault(kind, {})[self._key(obj)] = obj
        if kind == "Pod" and controller_of(obj) is None:
            self._orphans[meta["uid"]] = obj
        for owner in (meta.get("ownerReferences") or []):
            self._children.setdefault(owner["uid"], {})[meta["uid"]] = obj
        self.changed()
        if kind == "PersistentVolumeClaim":
            self._placement_version += 1         # a pod waiting for this claim may fit now
        if kind == "Pod" and obj["spec"].get("nodeName"):
            self._bind(obj, obj["spec"]["nodeName"], scheduled=False)
        return obj

    def _validate(self, obj: dict[str, Any]) -> None:
        """The API server's check that a workload's selector selects its own template
        (``ValidateDeploymentSpec`` and friends in ``pkg/apis/apps/validation``). Before
        ``apps/v1`` a missing selector defaulted to the template's labels. Replica counts and
        affinity terms are bounded by the simulator's :mod:`~clustersim.limits`."""
        kind = obj.get("kind")
        spec = obj.get("spec") or {}
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
                f'{kind}.{group} "{name}" is invalid: spec.template.metadata.labels: Invalid '
                f"value: {labels!r}: `selector` does not match template `labels`")

    @staticmethod
    def _check_immutable(existing: Mapping[str, Any], manifest: Mapping[str, Any]) -> None:
        """Fields the API server refuses to change (``ValidateDeploymentUpdate``,
        ``ValidateStatefulSetUpdate``, ``ValidateJobUpdate`` in ``pkg/apis/*/validation``)."""
        kind, name = existing["kind"], existing["metadata"]["name"]
        applied = (existing["metadata"].get("annotations") or {}).get(LAST_APPLIED)
        # like kubectl's three-way merge: compare with what was applied, not with the
        # defaults the API server and controllers filled in
        old = (json.loads(applied).get("spec") if applied else existing.get("spec")) or {}
        new = manifest.get("spec") or {}
        group = {"Job": "batch", "CronJob": "batch"}.get(kind, "apps")
        immutable = {"Deployment": ("selector",), "ReplicaSet": ("selector",),
                     "DaemonSet": ("selector",), "Job": ("selector", "template", "completions")}
        for field in immutable.get(kind, ()):
            if field in new and field in old and new[field] != old[field]:
                raise AdmissionError(f'{kind}.{group} "{name}" is invalid: spec.{field}: '
                                     "Invalid value: field is immutable")
        if kind == "StatefulSet":
            mutable = {"replicas", "ordinals", "template", "updateStrategy",
                       "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}
            changed = {k for k in {*old, *new} - mutable if old.get(k) != new.get(k)
                       and not (k == "podManagementPolicy" and new.get(k) in (None, "OrderedReady")
                                and old.get(k) in (None, "OrderedReady"))}
            if changed:
                raise AdmissionError(
                    f'StatefulSet.apps "{name}" is invalid: spec: Forbidden: updates to '
                    "statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                    "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                    f"'minReadySeconds' are forbidden (changed: {', '.join(sorted(changed))})")

    def adopt(self, obj: dict[str, Any], owner: Mapping[str, Any]) -> None:
        """Index ``obj`` under its new controller ``owner``."""
        self._children.setdefault(owner["metadata"]["uid"], {})[obj["metadata"]["uid"]] = obj
        self._orphans.pop(obj["metadata"]["uid"], None)
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
        # Namespaces are stored under "default" (see _key)
        labels = ((self.get("Namespace", "default", namespace) or {}).get("metadata")
                  or {}).get("labels") or {}
        pod_security = admit_pod_security(labels, pod)
        if pod_security.refusal:
            raise AdmissionError(pod_security.refusal)
        quotas = self.objects("ResourceQuota", namespace)
        if quotas:      # listing every pod per new pod made creating n pods cost n² steps
            admit_resource_quotas(pod, quotas, self.objects("Pod", namespace), self.now, refuse)

    def _unstore(self, obj: Mapping[str, Any]) -> None:
        self._objects.get(obj["kind"], {}).pop(self._key(obj), None)
        uid = obj["metadata"]["uid"]
        self._orphans.pop(uid, None)
        for owner in obj["metadata"].get("ownerReferences") or []:
            self._children.get(owner["uid"], {}).pop(uid, None)
        self.changed()
        for child in list(self._children.pop(uid, {}).values()):
            if self.exists(child):
                self.delete_object(child)

    def delete_object(self, obj: dict[str, Any]) -> None:
        """Delete an object; its dependents follow (background cascading deletion)."""
        if obj["kind"] == "Pod":
            self.delete_pod(obj)
            return
        if obj["kind"] == "Service":
            self.services.release(obj)
        self._unstore(obj)

    def delete_pod(self, pod: dict[str, Any]) -> None:
        """Graceful pod deletion: Terminating, not ready, then gone when the kubelet is done."""
        if is_terminating(pod) or not self.exists(pod):
            return
        meta = pod["metadata"]
        meta["deletionTimestamp"] = self.now
        meta["deletionGracePeriodSeconds"] = pod["spec"].get("terminationGracePeriodSeconds", 30)
        set_condition(pod, "Ready", False, self.now)
        self.changed()
        node = pod["spec"].get("nodeName")
        bound_on = self._nodes.get(node or "")
        if bound_on is not None:
            bound_on.pods_changed()     # a terminating pod no longer counts for spreading
        phase = pod["status"].get("phase")
        if node is None or phase in ("Succeeded", "Failed"):
            self.remove_pod(pod)
        elif self._kubelet_alive.get(node, False):
            self.kubelet.stop(pod)
        # On an unreachable node the pod stays Terminating until the node is back.

    def remove_pod(self, pod: dict[str, Any]) -> None:
        """The pod object disappears (its kubelet finished, or it never ran)."""
        self.release(pod)
        self.kubelet.forget(pod)
        self._attempted.pop(pod["metadata"]["uid"], None)
        self._last_failure.pop(pod["metadata"]["uid"], None)
        self._unstore(pod)

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
        results: list[str] = []
        undo: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        for manifest in self._manifests(source):
            try:
                results.append(self._apply_one(copy.deepcopy(manifest), undo))
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
                   undo: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> str:
        kind = manifest["kind"]
        meta = manifest.setdefault("metadata", {})
        meta.setdefault("namespace", "default")
        if not meta.get("name"):
            # kubectl create completes generateName; kubectl apply would refuse it.
            meta["name"] = generate_name(meta["generateName"], self.rng)
        group = manifest.get("apiVersion", "v1").split("/")[0]
        label = f"{kind.lower()}{'.' + group if '/' in manifest.get('apiVersion', '') else ''}"
        label += f"/{meta['name']}"
        applied = json.dumps(manifest, sort_keys=True)
        existing = self.get(kind, meta["namespace"], meta["name"])
        if existing is None:
            meta.setdefault("annotations", {})[LAST_APPLIED] = applied
            self.create(manifest)
            undo.append((manifest, None))
            return f"{label} created"
        if (existing["metadata"].get("annotations") or {}).get(LAST_APPLIED) == applied:
            return f"{label} unchanged"
        if kind == "Pod":
            raise ValueError(f"pod {meta['name']!r}: a Pod's spec cannot be changed by apply "
                             "(upstream allows only image, activeDeadlineSeconds and "
                             "tolerations updates); delete it and create it again")
        self._validate(manifest)
        self._check_immutable(existing, manifest)
        refusal = update_refusal(existing, manifest)
        if refusal:
            raise AdmissionError(refusal)
        undo.append((existing, copy.deepcopy(existing)))
        if kind == "Service":
            self.services.update(existing, manifest.setdefault("spec", {}))
        elif kind in ("ConfigMap", "Secret"):
            # their content is top-level, not a spec
            for field in ("data", "binaryData", "stringData", "immutable", "type"):
                existing.pop(field, None)
                if field in manifest:
                    existing[field] = copy.deepcopy(manifest[field])
        else:
            existing["spec"] = manifest.get("spec") or {}
        existing["metadata"]["labels"] = labels_of(manifest)
        existing["metadata"]["annotations"] = {
            **(existing["metadata"].get("annotations") or {}),
            **(meta.get("annotations") or {}), LAST_APPLIED: applied}
        existing["metadata"]["generation"] = existing["metadata"].get("generation", 1) + 1
        self.changed()
        return f"{label} configured"

    # ---- kubectl-style operations ---------------------------------------------------------

    def _workload(self, kind: str, name: str, namespace: str) -> dict[str, Any]:
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
        self.changed()
        self._reconcile()

    def scale(self, kind: str, name: str, replicas: int, namespace: str = "default") -> None:
        """``kubectl scale``: set ``spec.replicas`` of a Deployment, ReplicaSet, StatefulSet or
        ReplicationController."""
        obj = self._workload(kind, name, namespace)
        if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
            raise ValueError(f"replicas must be a whole number ≥ 0, got {replicas!r}")
        check_replicas(replicas, f"{kind} {name!r}: replicas")
        obj.setdefault("spec", {})["replicas"] = replicas
        self.changed()
        self._reconcile()

    def set_image(self, kind: str, name: str, image: str, container: str | None = None,
                  namespace: str = "default") -> None:
        """``kubectl set image``: change a container image in a workload's pod template (the
        first container unless ``container`` names one); a Deployment rolls out."""
        obj = self._workload(kind, name, namespace)
        containers = ((obj.get("spec") or {}).get("template") or {}).get("spec", {}).get(
            "containers") or []
        target = [c for c in containers if container is None or c.get("name") == container]
        if not target:
            raise ValueError(f"{kind} {name!r} has no container named {container!r}")
        target[0]["image"] = image
        obj["metadata"]["generation"] = obj["metadata"].get("generation", 1) + 1
        self.changed()
        self._reconcile()

    def fail_image(self, image: str, *, after: float = 2.0, exit_code: int = 1) -> None:
        """From now on, containers of ``image`` exit with ``exit_code`` ``after`` seconds after
        they start: a broken release. Deployment pods go into CrashLoopBackOff, Job pods fail
        (exit code 0 makes them finish)."""
        if after < 0:
            raise ValueError(f"after must be ≥ 0 s, got {after}")
        self.kubelet.image_exits[image] = (float(after), int(exit_code))

    def fail_pull(self, image: str, error: str | None = None) -> None:
        """From now on the registry refuses ``image`` (a wrong tag, missing credentials): its
        pods show ErrImagePull, then ImagePullBackOff, and retry with back-off
        (:mod:`clustersim.kubernetes.kubelet`). ``error`` is the runtime's message."""
        self.kubelet.pull_errors[image] = error or (
            f'rpc error: code = NotFound desc = failed to pull and unpack image "{image}": '
            "not found")

    def restore_pull(self, image: str) -> None:
        """The registry serves ``image`` again; waiting pods pull it at their next retry."""
        self.kubelet.pull_errors.pop(image, None)

    def rollout_pause(self, name: str, namespace: str = "default") -> None:
        """``kubectl rollout pause``: template changes wait; scaling still works."""
        self._workload("Deployment", name, namespace)["spec"]["paused"] = True
        self.changed()
        self._reconcile()

    def rollout_resume(self, name: str, namespace: str = "default") -> None:
        """``kubectl rollout resume``."""
        self._workload("Deployment", name, namespace)["spec"].pop("paused", None)
        self.changed()
        self._reconcile()

    def delete(self, kind: str, name: str, namespace: str = "default") -> None:
        """``kubectl delete``: the object and, in the background, everything it owns."""
        obj = self._workload(kind, name, namespace)
        self.delete_object(obj)
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

    # ---- nodes ---------------------------------------------------------------------------

    def add_node(self, node: Node) -> None:
        """Join a machine to the cluster (Ready at once)."""
        if not isinstance(node, Node):
            raise ValueError(f"nodes must be clustersim.Node objects, got {node!r}")
        if node.name in self._nodes:
            raise ValueError(f"a node named {node.name!r} is already in the cluster")
        check_nodes(len(self._nodes) + 1)
        self._nodes[node.name] = NodeInfo(node)
        self._positions = None
        self._placement_version += 1
        self._node_up[node.name] = True
        self._kubelet_alive[node.name] = True
        self.services.node_changed(node.name, True)
        self.changed()
        if not self._reconciling:
            self._reconcile()

    def node_names(self) -> list[str]:
        """The nodes' names, in the order they joined."""
        return list(self._nodes)

    def node_position(self, name: str) -> int | None:
        """Where ``name`` stands in :meth:`node_names` (None if no such node), without
        listing every node for each question."""
        if self._positions is None:
            self._positions = {n: i for i, n in enumerate(self._nodes)}
        return self._positions.get(name)

    def node(self, name: str) -> NodeInfo:
        """The scheduler's view of one node (labels, taints, pods, requested resources)."""
        if name not in self._nodes:
            raise ValueError(f"no node named {name!r}; nodes are {', '.join(self._nodes)}")
        return self._nodes[name]

    def node_admits(self, pod: Mapping[str, Any], name: str,
                    effects: tuple[str, ...] = ("NoSchedule", "NoExecute")) -> bool:
        """Whether the pod's node affinity/selector matches the node and it tolerates the
        node's taints with ``effects`` (what ``NodeShouldRunDaemonPod`` checks; resources are
        the scheduler's business)."""
        info = self.node(name)
        if not required_node_affinity_matches(pod, info):
            return False
        tolerations = (pod.get("spec") or {}).get("tolerations") or []
        return find_untolerated_taint(info.taints, tolerations, effects) is None

    def set_node_labels(self, name: str, labels: Mapping[str, str]) -> None:
        """Replace a node's labels (``kubectl label node``). Pending pods are tried again at
        once: the kube-scheduler moves them back to its active queue on a node's
        ``UpdateNodeLabel`` event (``pkg/scheduler/framework/types.go``)."""
        info = self.node(name)
        info.node["metadata"]["labels"] = dict(labels)
        info.touch()
        self._placement_version += 1
        self.changed()
        self._reconcile()

    def set_taints(self, name: str, taints: list[dict[str, Any]]) -> None:
        """Replace a node's taints; NoExecute ones evict pods that do not tolerate them."""
        self.node(name).taints = taints
        self._placement_version += 1
        self.changed()
        self._eviction.node_tainted(name)

    def taint(self, name: str, key: str, effect: str, value: str | None = None) -> None:
        """``kubectl taint nodes <name> key[=value]:effect``."""
        if effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            raise ValueError(f"taint effect {effect!r} must be NoSchedule, PreferNoSchedule "
                             "or NoExecute")
        taints = [t for t in self.node(name).taints
                  if not (t.get("key") == key and t.get("effect") == effect)]
        taint = {"key": key, "effect": effect, "timeAdded": self.now}
        if value is not None:
            taint["value"] = value
        self.set_taints(name, [*taints, taint])
        self._reconcile()

    def untaint(self, name: str, key: str, effect: str | None = None) -> None:
        """``kubectl taint nodes <name> key[:effect]-``."""
        self.set_taints(name, [t for t in self.node(name).taints
                                if not (t.get("key") == key
                                        and effect in (None, t.get("effect")))])
        self._reconcile()

    def cordon(self, name: str) -> None:
        """``kubectl cordon``: no new pods (``spec.unschedulable`` and its NoSchedule taint)."""
        info = self.node(name)
        if not info.unschedulable:
            info.unschedulable = True
            self.set_taints(name, [*info.taints, {"key": UNSCHEDULABLE,
                                                   "effect": "NoSchedule", "timeAdded": self.now}])
            self.events.record(self.now, f"node/{name}", "NodeNotSchedulable",
                             f"Node {name} status is now: NodeNotSchedulable")
        self._reconcile()

    def uncordon(self, name: str) -> None:
        """``kubectl uncordon``."""
        info = self.node(name)
        if info.unschedulable:
            info.unschedulable = False
            self.set_taints(name, [t for t in info.taints if t.get("key") != UNSCHEDULABLE])
            self.events.record(self.now, f"node/{name}", "NodeSchedulable",
                               f"Node {name} status is now: NodeSchedulable")
        self._reconcile()

    def drain(self, name: str, *, force: bool = False) -> list[str]:
        """``kubectl drain --ignore-daemonsets``: cordon, then evict every pod except
        DaemonSet pods, and return their names. Pods without a controller are refused unless
        ``force`` (they would be lost). An eviction that a PodDisruptionBudget refuses is
        retried every 5 s, as kubectl does, until the budget allows it; kubectl's lines go to
        :attr:`drain_log` (:mod:`clustersim.kubernetes.controllers.disruption`)."""
        self.node(name)
        pods = [p for p in self.objects("Pod") if p["spec"].get("nodeName") == name
                and not is_terminating(p) and is_active(p)]
        bare = [p["metadata"]["name"] for p in pods if controller_of(p) is None]
        if bare and not force:
            raise ValueError(f"cannot delete Pods that declare no controller (use force=True "
                             f"to override): {', '.join(bare)}")
        self.cordon(name)
        targets = [p for p in pods if (controller_of(p) or {}).get("kind") != "DaemonSet"]
        self._evict_for_drain(targets)
        self._reconcile()
        return [p["metadata"]["name"] for p in targets]

    def _evict_for_drain(self, pods: list[dict[str, Any]]) -> None:
        waiting = []
        for pod in pods:
            if not self.exists(pod) or is_terminating(pod):
                continue
            refusal = eviction_refusal(self, pod)
            if refusal:
                meta = pod["metadata"]
                self.drain_log.append((self.now, f'error when evicting pods/"{meta["name"]}" -n '
                                       f'"{meta["namespace"]}" (will retry after 5s): {refusal}'))
                waiting.append(pod)
                continue
            self.drain_log.append((self.now, f"evicting pod {full_name(pod)}"))
            self.delete_pod(pod)
        if waiting:
            # while replacements are still starting the retry is part of what happens next;
            # a budget that no pod in flight can satisfy blocks kubectl indefinitely, and
            # run() does not wait for that
            settling = any(budget_settling(self, pod) for pod in waiting)
            self.after(DRAIN_RETRY_SECONDS, lambda: self._evict_for_drain(waiting),
                       background=not settling)

    def node_is_up(self, name: str) -> bool:
        """Whether the node's machine (and kubelet) is running."""
        return self._node_up.get(name, False)

    def fail_node(self, name: str, *, reason: str = "unreachable") -> None:
        """A node fails and its containers stop serving at once.

        ``"unreachable"`` (default): the machine is down or cut off; after
        ``node_monitor_grace_period`` the node lifecycle controller marks it NotReady and
        taints it ``node.kubernetes.io/unreachable``; pods evicted from it stay Terminating
        until it is back. ``"not-ready"``: the kubelet is alive but reports NotReady (say its
        container runtime failed) at its next status update; the taint is
        ``node.kubernetes.io/not-ready`` and evicted pods do go away. Either way pods are
        evicted after their tolerationSeconds
        (:mod:`clustersim.kubernetes.controllers.nodelifecycle`)."""
        self.node(name)
        if reason not in ("unreachable", "not-ready"):
            raise ValueError(f"reason must be 'unreachable' or 'not-ready', got {reason!r}")
        if not self._node_up[name]:
            return
        self._node_up[name] = False
        self._kubelet_alive[name] = reason == "not-ready"
        self.services.node_changed(name, False)
        self.kubelet.node_down([p for p in self.objects("Pod")
                                if p["spec"].get("nodeName") == name])
        self.changed()
        if reason == "unreachable":
            self._lifecycle.silent(name)
        else:
            self._lifecycle.reports_not_ready(name)
        self._reconcile()

    def recover_node(self, name: str) -> None:
        """The machine is back: taints go, Terminating pods finish, the others restart."""
        self.node(name)
        if self._node_up[name]:
            return
        self._node_up[name] = True
        self._kubelet_alive[name] = True
        self.services.node_changed(name, True)
        self._lifecycle.posting(name)
        for pod in self.objects("Pod"):
            if pod["spec"].get("nodeName") != name:
                continue
            if is_terminating(pod) or pod["status"].get("phase") in ("Succeeded", "Failed"):
                self.remove_pod(pod)
            else:
                self.kubelet.start(pod)
        self.changed()
        self._reconcile()

    def remove_node(self, name: str) -> None:
        """``kubectl delete node``: the Node object goes; its pods are orphans that the pod
        garbage collector deletes after its 40 s quarantine, so controllers can replace
        them, StatefulSet pods included."""
        self.node(name)
        self.kubelet.node_down([p for p in self.objects("Pod")
                                if p["spec"].get("nodeName") == name])
        del self._nodes[name]
        self._positions = None
        self._placement_version += 1
        self._node_up.pop(name)
        self._kubelet_alive.pop(name)
        self.services.node_changed(name, False)
        self._podgc.removed[name] = self.now
        self._lifecycle.forget(name)
        self.changed()
        self._reconcile()

    # ---- scheduling ----------------------------------------------------------------------

    def _bind(self, pod: dict[str, Any], node_name: str, *, scheduled: bool) -> None:
        pod["spec"]["nodeName"] = node_name
        set_condition(pod, "PodScheduled", True, self.now)
        self._last_failure.pop(pod["metadata"]["uid"], None)
        if node_name not in self._nodes:
            return                                   # no kubelet will ever run it
        self._nodes[node_name].add_pod(pod)
        self._placement_version += 1
        if scheduled:
            self.record(pod, "Scheduled",
                        f"Successfully assigned {full_name(pod)} to {node_name}")
        self.changed()
        if self._node_up[node_name]:
            self.kubelet.start(pod)

    def _schedule_pending(self) -> None:
        pending = [p for p in self.objects("Pod") if not p["spec"].get("nodeName")
                   and not is_terminating(p) and not pre_enqueue(p)]
        pending.sort(key=lambda p: (-int(p["spec"].get("priority") or 0),
                                    p["metadata"]["creationTimestamp"], p["metadata"]["uid"]))
        nodes = list(self._nodes.values())
        for pod in pending:
            uid = pod["metadata"]["uid"]
            if self._attempted.get(uid) == self._placement_version:
                continue
            claim = missing_claim(pod, self.get)
            if claim is None:
                result = self.scheduler.schedule(pod, nodes)
                if result.node is not None:
                    self._bind(pod, result.node, scheduled=True)
                    continue
                message = self._preempt(pod, nodes, result.message)
            else:   # VolumeBinding's PreFilter rejects the pod before any node is tried
                message = (f"0/{len(nodes)} nodes are available: persistentvolumeclaim "
                           f'"{claim}" not found.')
            self._attempted[uid] = self._placement_version
            if self._last_failure.get(uid) != message:
                self._last_failure[uid] = message
                set_condition(pod, "PodScheduled", False, self.now, "Unschedulable", message)
                self.record(pod, "FailedScheduling", message, "Warning")

    def _preempt(self, pod: dict[str, Any], nodes: list[NodeInfo], message: str) -> str:
        """The PostFilter step (:mod:`clustersim.kubernetes.scheduler.preemption`): evict the
        victims, nominate their node, and return the FailedScheduling message, which loses
        its ``preemption:`` part when preemption succeeded."""
        if not self.scheduler.profile.preemption or not nodes:
            return message
        fit_error = message.split(" preemption: ")[0]
        waiting = not_eligible(pod, nodes)
        if waiting:
            return f"{fit_error} preemption: {waiting}"
        # A PostFilter that succeeds ends RunPostFilterPlugins: the message keeps no
        # PostFilter part (framework/runtime/framework.go, schedule_one.go).
        fit_error = fit_error.removesuffix(f" {NO_NEW_CLAIMS},")
        found = find_preemption(self.scheduler, pod, nodes)
        if found is None:
            return message
        for victim in found.victims:
            self.record(victim, "Preempted",
                        f"Preempted by pod {pod['metadata']['uid']} on node {found.node}")
            self.delete_pod(victim)
        pod["status"]["nominatedNodeName"] = found.node
        return fit_error

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

    # ---- the control loop ----------------------------------------------------------------

    def _reconcile(self) -> None:
        if self._reconciling:
            return
        self._reconciling = True
        try:
            for _ in range(_MAX_PASSES):
                before = self._version
                for controller in self._controllers:
                    for kind in controller.kinds:
                        for obj in self.objects(kind):
                            if self.exists(obj):
                                self._sync(controller, obj)
                self._podgc.collect()
                self._schedule_pending()
                self.services.sync()
                if self._version == before:
                    return
            raise RuntimeError("the controllers did not settle after "
                               f"{_MAX_PASSES} passes at t={self.now:g}s (a simulator bug)")
        finally:
            self._reconciling = False

    def _sync(self, controller, obj: dict[str, Any]) -> None:
        try:
            controller.sync(obj)
        except AdmissionError as err:
            message = f"Error creating: {err}"
            recent = self.events.where(reason="FailedCreate",
                                       object=f"{obj['kind'].lower()}/{obj['metadata']['name']}")
            if not recent or recent[-1].time != self.now:      # once per instant
                self.record(obj, "FailedCreate", message, "Warning")

    # ---- views ---------------------------------------------------------------------------

    def pods(self, namespace: str | None = None) -> list[PodInfo]:
        """Every pod (in ``namespace`` if given): name, namespace, labels, node, phase, ready,
        reason (see :class:`PodInfo`)."""
        rows = []
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
            elif condition(pod, "Ready") and condition(pod, "Ready").get("reason") == \
                    "NodeNotReady":
                reason = "NodeNotReady"          # the node controller has marked it
            elif phase == "Pending":
                reason = status.get("reason") or "ContainerCreating"      # or Init:1/2
            else:
                reason = status.get("reason", "")   # e.g. CrashLoopBackOff
            rows.append(PodInfo(pod["metadata"]["name"], pod["metadata"]["namespace"],
                                labels_of(pod), node, phase, is_ready(pod), reason, message,
                                self._top_owner(pod), status.get("podIP")))
        return rows

    def _top_owner(self, obj: Mapping[str, Any]) -> str | None:
        ref = controller_of(obj)
        owner_name = None
        while ref is not None:
            owner_name = f"{ref['kind']}/{ref['name']}"
            parent = self.get(ref["kind"], obj["metadata"].get("namespace", "default"),
                              ref["name"])
            if parent is None:
                break
            obj, ref = parent, controller_of(parent)
        return owner_name

    def endpoints(self, service: str, namespace: str = "default") -> list[str]:
        """The names of the pods that serve a Service now (ready endpoints)."""
        return [name for _, name, _ in self.services.endpoints(self._service(service, namespace))]

    def endpoint_slice(self, service: str, namespace: str = "default") -> list[dict[str, Any]]:
        """Every endpoint of a Service as ``kubectl get endpointslice -o yaml`` lists it, not
        ready ones included: ``{"pod", "uid", "nodeName", "conditions": {"ready", "serving",
        "terminating"}}`` (see :mod:`clustersim.kubernetes.services`)."""
        return list(self.services.endpoint_slice(self._service(service, namespace)))

    def _service(self, service: str, namespace: str) -> dict[str, Any]:
        svc = self.get("Service", namespace, service)
        if svc is None:
            raise ValueError(f'Service "{service}" not found in namespace "{namespace}"')
        return svc

    def request_stream(self, service: str, rate: float = 10.0, start: float | None = None,
                       stop: float | None = None, namespace: str = "default",
                       entry: str | None = None) -> RequestStream:
        """Send requests to a Service at ``rate`` per second from ``start`` (default now) to
        ``stop``; each goes to a random endpoint as kube-proxy sees them. Read the outcome
        with ``stream.buckets(width)`` after ``run``.

        ``entry``: None for clients inside the cluster (the cluster IP);
        ``"load-balancer"`` for clients of a LoadBalancer Service's external address; a node
        name for clients of a NodePort on that node (see :mod:`clustersim.kubernetes.services`
        for ``externalTrafficPolicy``)."""
        return self.services.stream(service, namespace, rate,
                                    self.now if start is None else start, stop, entry)

    def snapshot(self) -> Snapshot:
        """The cluster now, in the shape the views draw."""
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
            requests = pod_requests(pod)
            state = "Terminating" if row.reason == "Terminating" else row.phase
            tasks.append(TaskState(name=row.name, owner=row.owner or f"Pod/{row.name}",
                                   node=row.node, state=state,
                                   cpu=requests.get("cpu", 0) / 1000,
                                   memory=float(requests.get("memory", 0)), ready=row.ready))
        return Snapshot("kubernetes", self.now, tuple(nodes), tuple(tasks))

    def __repr__(self) -> str:
        return (f"KubernetesCluster({len(self._nodes)} nodes, {len(self.objects('Pod'))} pods, "
                f"t={self.now:g}s)")
