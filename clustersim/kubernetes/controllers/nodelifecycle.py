"""What happens to pods when a node fails: NotReady, NoExecute taints, eviction, pod GC.

Three control loops of kube-controller-manager, each small here:

- **Node lifecycle** (kubernetes/kubernetes ``pkg/controller/nodelifecycle/
  node_lifecycle_controller.go``): a node whose kubelet stops posting status stays Ready for
  ``--node-monitor-grace-period`` (50 s since Kubernetes 1.32), then its Ready condition
  becomes Unknown: the event ``NodeNotReady``, its pods are marked not ready (they leave
  Service endpoints) and it is tainted ``node.kubernetes.io/unreachable`` with NoSchedule and
  NoExecute. A kubelet that is alive but reports Ready=False (its next status update, every
  ``--node-status-update-frequency`` = 10 s) gets ``node.kubernetes.io/not-ready`` instead,
  and can still stop the pods evicted from it. When the node is Ready again, the taints go
  (``NodeReady``).
- **Taint eviction** (``pkg/controller/tainteviction/taint_eviction.go``, once the
  "NoExecuteTaintManager"): a pod on a node with NoExecute taints is deleted at once if it
  does not tolerate one of them, else when the smallest matching ``tolerationSeconds`` has
  passed since the taint was added (never, without ``tolerationSeconds``). Every pod gets
  300 s for not-ready and unreachable from the ``DefaultTolerationSeconds`` admission plugin.
  Event: ``TaintManagerEviction`` "Marking for deletion Pod <ns>/<name>".
- **Pod garbage collection** (``pkg/controller/podgc/gc_controller.go``): pods bound to a
  Node that no longer exists are force-deleted after a 40 s quarantine, and Terminating pods
  on a node that is not Ready and tainted ``node.kubernetes.io/out-of-service`` are
  force-deleted (non-graceful node shutdown,
  https://kubernetes.io/docs/concepts/cluster-administration/node-shutdown/). Once more than
  ``--terminated-pod-gc-threshold`` (12,500) pods have finished (Succeeded or Failed), the
  oldest are deleted (``gcTerminated``): this bounds the pods a workload whose containers keep
  exiting leaves behind (a ReplicaSet replaces failed pods without any backoff).

Simplified: no zone-wide eviction rate limits (``--node-eviction-rate``), and the failure is
seen exactly ``--node-monitor-grace-period`` after it happens. A real kubelet renews its
node's Lease every 10 s and the controller looks every ``--node-monitor-period`` (5 s), so a
real node turns NotReady some 40 to 55 s after it fails, depending on when its last renewal
came (https://kubernetes.io/docs/concepts/architecture/nodes/#node-heartbeats; the 50 s
default since 1.32, kubernetes/kubernetes PR #126287, was 40 s before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes.objects import (
    condition,
    full_name,
    is_ready,
    is_terminating,
    set_condition,
)
from clustersim.kubernetes.scheduler.taints import tolerates

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["ORPHAN_QUARANTINE", "TERMINATED_POD_GC_THRESHOLD", "NodeLifecycleController",
           "PodGarbageCollector", "TaintEvictionController", "marked_not_ready"]

TERMINATED_POD_GC_THRESHOLD = 12_500
"""kube-controller-manager's ``--terminated-pod-gc-threshold`` default: finished pods kept."""

UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
_CONDITION_KEYS = (UNREACHABLE, NOT_READY)
OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"
ORPHAN_QUARANTINE = 40.0
"""PodGC's ``quarantineTime``: how long a pod bound to a missing node is left alone."""


def _node_event(cluster: KubernetesCluster, name: str, reason: str, message: str, *,
                by_kubelet: bool = False) -> None:
    """An event about Node ``name``: the node controller's (``RecordNodeStatusChange``,
    ``pkg/controller/util/node/controller_utils.go``), or, ``by_kubelet``, the one its
    kubelet records when it posts Ready again (its Ready condition's setter,
    ``pkg/kubelet/nodestatus/setters.go``), which names the node as its host. Each
    recorder's correlator aggregates and filters them (a flapping node's ``NodeNotReady``
    events pass its spam filter 25 at once, then one every five minutes)."""
    cluster.node_record(name, reason, message, kubelet=by_kubelet)


def _mark_not_ready(pod: dict[str, Any], now: float) -> None:
    """The node controller's mark on a ready pod of a node that is not Ready: its Ready
    condition's status becomes False, its reason and message stay what the kubelet last wrote
    (``MarkPodsNotReady`` in ``pkg/controller/util/node/controller_utils.go`` changes the
    status alone, then records the pod's ``NodeNotReady`` event)."""
    ready = condition(pod, "Ready") or {}
    set_condition(pod, "Ready", False, now, ready.get("reason", ""), ready.get("message", ""))


def marked_not_ready(pod: Mapping[str, Any], taints: Iterable[Mapping[str, Any]]) -> bool:
    """Whether the node controller has marked ``pod`` not ready (:func:`_mark_not_ready`):
    its Ready condition turned False when its node, whose ``taints`` these are, was tainted
    unreachable or not-ready. The mark leaves no reason of its own on the pod, so a pod that
    was not ready before is told apart by the time of its condition."""
    ready = condition(pod, "Ready")
    if not ready or ready.get("status") != "False":
        return False
    return any(t.get("key") in _CONDITION_KEYS
               and ready.get("lastTransitionTime", -1.0) >= t.get("timeAdded", 0.0)
               for t in taints)


def _out_of_service(taints: Iterable[Mapping[str, Any]]) -> bool:
    """Whether PodGC force-deletes the Terminating pods of a node with these taints: the
    node is not Ready and carries ``node.kubernetes.io/out-of-service`` (``gcTerminating`` in
    ``pkg/controller/podgc/gc_controller.go``: ``!IsNodeReady(node) && TaintKeyExists``).
    Here a node is not Ready exactly while the node lifecycle controller's unreachable or
    not-ready taint is on it (it adds them when it marks the condition): a taint put on a
    failed machine before the grace period has passed waits for NotReady."""
    keys = {t.get("key") for t in taints}
    return OUT_OF_SERVICE in keys and not keys.isdisjoint(_CONDITION_KEYS)


class NodeLifecycleController:
    """Marks silent nodes NotReady after the grace period and taints them unreachable."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster
        self._epoch: dict[str, int] = {}

    def silent(self, name: str) -> None:
        """The node's kubelet stopped posting status now (the machine is down or cut off):
        after the grace period its Ready condition becomes Unknown."""
        epoch = self._epoch[name] = self._epoch.get(name, 0) + 1
        self.cluster.after(self.cluster.timing.node_monitor_grace_period,
                           lambda: self._lost(name, epoch, UNREACHABLE))

    def reports_not_ready(self, name: str) -> None:
        """The kubelet is alive but posts Ready=False (container runtime or network plugin
        down) with its next status update."""
        epoch = self._epoch[name] = self._epoch.get(name, 0) + 1
        self.cluster.after(self.cluster.timing.node_status_update_seconds,
                           lambda: self._lost(name, epoch, NOT_READY))

    def _lost(self, name: str, epoch: int, key: str) -> None:
        cluster = self.cluster
        if self._epoch.get(name) != epoch:
            return
        _node_event(cluster, name, "NodeNotReady", f"Node {name} status is now: NodeNotReady")
        for pod in cluster.objects("Pod"):
            if pod["spec"].get("nodeName") == name and is_ready(pod):
                _mark_not_ready(pod, cluster.now)
                cluster.pod_written(pod)
                cluster.record(pod, "NodeNotReady", "Node is not ready", "Warning")
        reports = cluster.node_status_reports(name)
        if key == NOT_READY:        # the kubelet posts Ready=False
            reports.reported(cluster.now, condition_changed=True)
        else:                       # the controller sets Unknown, the heartbeat stays
            reports.transition = cluster.now
        taints = [t for t in cluster.node(name).taints if t.get("key") not in _CONDITION_KEYS]
        taints += [{"key": key, "effect": "NoSchedule", "timeAdded": cluster.now},
                   {"key": key, "effect": "NoExecute", "timeAdded": cluster.now}]
        cluster.set_taints(name, taints)

    def posting(self, name: str) -> None:
        """The node's kubelet posts Ready again: the unreachable/not-ready taints go."""
        cluster = self.cluster
        self._epoch[name] = self._epoch.get(name, 0) + 1
        taints = cluster.node(name).taints
        lost = any(t.get("key") in _CONDITION_KEYS for t in taints)
        cluster.node_status_reports(name).reported(cluster.now, condition_changed=lost)
        if lost:
            cluster.set_taints(name, [t for t in taints if t.get("key") not in _CONDITION_KEYS])
            _node_event(cluster, name, "NodeReady", f"Node {name} status is now: NodeReady",
                        by_kubelet=True)

    def forget(self, name: str) -> None:
        """The Node object was deleted."""
        self._epoch[name] = self._epoch.get(name, 0) + 1
        _node_event(self.cluster, name, "RemovingNode",
                    f"Node {name} event: Removing Node {name} from Controller")


class TaintEvictionController:
    """Deletes pods that do not (or no longer) tolerate their node's NoExecute taints."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster
        self._seen: dict[tuple[str, Any, Any], float] = {}
        """When it first saw each NoExecute taint written without a ``timeAdded`` (node,
        key, value): a user's (the API server stores none, kubernetes/kubernetes#98482).
        Its tolerations' seconds count from then, as upstream's scheduled eviction keeps
        the time it was planned (``CreatedAt``, ``pkg/controller/tainteviction/
        taint_eviction.go``) when the node's taints change again."""

    def forget(self, name: str) -> None:
        """The node ``name`` was deleted: a node of that name added later is another, whose
        taints' tolerations count from when it is tainted (upstream's plans are per Pod)."""
        self._seen = {k: v for k, v in self._seen.items() if k[0] != name}

    def _no_execute(self, name: str) -> list[dict[str, Any]]:
        """The node's NoExecute taints, each with the time its tolerations count from."""
        now, seen = self.cluster.now, {}
        taints = []
        for taint in self.cluster.node(name).taints:
            if taint.get("effect") != "NoExecute":
                continue
            if "timeAdded" not in taint:
                key = (name, taint.get("key"), taint.get("value"))
                seen[key] = self._seen.get(key, now)
                taint = {**taint, "timeAdded": seen[key]}
            taints.append(taint)
        self._seen = {k: v for k, v in self._seen.items() if k[0] != name} | seen
        return taints

    @staticmethod
    def _deadline(pod: dict[str, Any], taints: list[dict[str, Any]], now: float) -> float | None:
        """When the pod must go: now if a taint is not tolerated, else the earliest
        ``timeAdded + tolerationSeconds``; None if it may stay for good."""
        tolerations = pod["spec"].get("tolerations") or []
        deadline: float | None = None
        for taint in taints:
            matching = [t for t in tolerations if tolerates(t, taint)]
            if not matching:
                return now
            limits = [t["tolerationSeconds"] for t in matching if "tolerationSeconds" in t]
            if limits:
                when = float(taint.get("timeAdded", now)) + max(0, min(limits))
                deadline = when if deadline is None else min(deadline, when)
        return deadline

    def node_tainted(self, name: str) -> None:
        """The node's taints changed: plan the evictions they call for."""
        cluster = self.cluster
        taints = self._no_execute(name)
        if not taints:
            return
        for pod in cluster.objects("Pod"):
            if pod["spec"].get("nodeName") != name or is_terminating(pod):
                continue
            deadline = self._deadline(pod, taints, cluster.now)
            if deadline is not None:
                cluster.after(max(0.0, deadline - cluster.now),
                              lambda p=pod: self._evict(p, name))

    def _evict(self, pod: dict[str, Any], node: str) -> None:
        cluster = self.cluster
        if (not cluster.exists(pod) or is_terminating(pod)
                or pod["spec"].get("nodeName") != node or node not in cluster.node_names()):
            return
        deadline = self._deadline(pod, self._no_execute(node), cluster.now)
        if deadline is not None and deadline <= cluster.now + 1e-9:
            cluster.record(pod, "TaintManagerEviction",
                           f"Marking for deletion Pod {full_name(pod)}")
            cluster.delete_pod(pod)


class PodGarbageCollector:
    """Force-deletes orphaned pods and Terminating pods on out-of-service nodes."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster
        self.removed: dict[str, float] = {}
        """When each deleted Node object went."""

    def collect(self) -> None:
        """One pass over the Pods it may act on, which the store's index keeps
        (:class:`~clustersim.kubernetes.podindex.PodIndex`: the finished ones, the bound ones
        on a missing node, and the Terminating ones on an out-of-service node), each in the
        store's order, as a listing of every Pod would give them."""
        cluster = self.cluster
        index = cluster.pod_index
        nodes = set(cluster.node_names())
        if index.finished_count() > TERMINATED_POD_GC_THRESHOLD:
            finished = index.finished()
            finished.sort(key=lambda p: p["metadata"]["creationTimestamp"])   # oldest first
            for pod in finished[:len(finished) - TERMINATED_POD_GC_THRESHOLD]:
                cluster.delete_now(pod)
        for pod in index.collectable(
                nodes, lambda name: _out_of_service(cluster.node(name).taints)):
            node = pod["spec"]["nodeName"]
            if node not in nodes:
                since = max(pod["metadata"]["creationTimestamp"], self.removed.get(node, 0.0))
                if cluster.now >= since + ORPHAN_QUARANTINE:
                    cluster.delete_now(pod)
                else:
                    cluster.wake_at(since + ORPHAN_QUARANTINE)
            else:                   # Terminating on an out-of-service node
                cluster.delete_now(pod)
