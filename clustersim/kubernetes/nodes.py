"""Nodes and their lifecycle, a part of :class:`~clustersim.kubernetes.KubernetesCluster`:
joining and removing nodes, labels, taints, ``kubectl cordon``/``drain``, and node failure
and recovery.

Upstream: the Node object and its ``spec.unschedulable``/``spec.taints``
(``pkg/apis/core/types.go``); ``kubectl cordon``, ``uncordon``, ``taint`` and ``drain``
(``staging/src/k8s.io/kubectl/pkg/drain``: evictions refused by a PodDisruptionBudget are
retried every 5 s); the node lifecycle controller
(``pkg/controller/nodelifecycle/node_lifecycle_controller.go``), whose not-ready and
unreachable taints, eviction timing and pod garbage collection are in
:mod:`clustersim.kubernetes.controllers.nodelifecycle`: this module tells it when a machine
fails, recovers or is deleted. It sits above :class:`~clustersim.kubernetes.apiserver.APIServer`
in the cluster's stack of parts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from clustersim.kubernetes.apiserver import APIServer
from clustersim.kubernetes.controllers.disruption import (
    budget_settling,
    eviction_refusal,
    mark_disruption_target,
)
from clustersim.kubernetes.drainrun import (
    Drained,
    closing_lines,
    drain_timeout,
    timed_out,
    waited_out,
)
from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.nodestatus import StatusReports
from clustersim.kubernetes.objects import controller_of, full_name, is_active, is_terminating
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import required_node_affinity_matches
from clustersim.kubernetes.scheduler.taints import find_untolerated_taint
from clustersim.limits import check_nodes
from clustersim.node import TAINT_EFFECTS, Node

UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
DRAIN_RETRY_SECONDS = 5.0
"""kubectl drain waits this long before retrying a refused eviction."""
DRAIN_POLL_SECONDS = 1.0
"""kubectl drain looks this often whether an evicted Pod is gone (``waitForDelete``)."""


def _daemon_pod(pod: Mapping[str, Any]) -> bool:
    """Whether a DaemonSet runs ``pod``: ``--ignore-daemonsets`` leaves it."""
    return (controller_of(pod) or {}).get("kind") == "DaemonSet"


class NodeJoin(NamedTuple):
    """When a node joined, fixed for as long as it stays: its Node object's identity.

    The API server gives each object a new random ``metadata.uid`` and the time it was
    created, ``creationTimestamp``, once, at create (``FillObjectMetaSystemFields`` in
    kubernetes/kubernetes ``staging/src/k8s.io/apiserver/pkg/registry/rest/meta.go``); a
    kubelet's Node is created when it registers (``registerWithAPIServer``,
    ``pkg/kubelet/kubelet_node_status.go``). The simulator numbers the joins instead of
    drawing a UUID: the number never returns, so a node that leaves and joins again is a
    new object, and no other node's join moves it."""

    serial: int
    """How many nodes had joined the cluster before this one (those gone included)."""
    time: float
    """The simulated second it joined."""


class NodeLifecycle(APIServer):
    """Nodes joined, labelled, tainted, cordoned, drained, failed, recovered and removed."""

    _joins: dict[str, NodeJoin]
    _status_reports: dict[str, StatusReports]
    _joined: int
    _drain_waits: dict[str, tuple[Drained, float]]
    """The evicted Pods a drain waits to be gone, by uid: the drain and when it evicted."""

    @property
    def next_join(self) -> int:
        """The serial (:attr:`NodeJoin.serial`) the next node to join will have."""
        return self._joined

    def add_node(self, node: Node) -> None:
        """Join a machine to the cluster (Ready at once)."""
        if not isinstance(node, Node):
            raise ValueError(f"nodes must be clustersim.Node objects, got {node!r}")
        if node.name in self._nodes:
            raise ValueError(f"a node named {node.name!r} is already in the cluster")
        check_nodes(len(self._nodes) + 1)
        self._nodes[node.name] = NodeInfo(node)
        self._joins[node.name] = NodeJoin(self._joined, self.now)
        self._joined += 1
        self._positions = None
        self._placement_version += 1
        self._node_up[node.name] = True
        self._kubelet_alive[node.name] = True
        self._status_reports[node.name] = StatusReports(self.now, self.now)
        self.services.node_changed(node.name, True)
        self.changed()
        if not self._reconciling:
            self._reconcile()

    def kubelet_alive(self, name: str | None) -> bool:
        """Whether node ``name``'s kubelet runs (False for no node, or one that failed)."""
        return self._kubelet_alive.get(name or "", False)

    def node_names(self) -> list[str]:
        """The nodes' names, in the order they joined."""
        return list(self._nodes)

    def node_joined(self, name: str) -> NodeJoin:
        """When node ``name`` joined (:class:`NodeJoin`); a ValueError for no such node."""
        self.node(name)
        return self._joins[name]

    def node_status_reports(self, name: str) -> StatusReports:
        """When node ``name``'s kubelet posted its status and its Ready condition changed
        (:class:`~clustersim.kubernetes.nodestatus.StatusReports`); a ValueError for no
        such node."""
        self.node(name)
        return self._status_reports[name]

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
        """``kubectl taint nodes <name> key[=value]:effect``, which sends no ``timeAdded``
        (``parseTaint`` in kubectl's ``pkg/cmd/taint/utils.go``; kubernetes/kubernetes#98482):
        a NoExecute taint's tolerations count from when the taint eviction controller sees
        it."""
        if effect not in TAINT_EFFECTS:
            raise ValueError(f"taint effect {effect!r} must be NoSchedule, PreferNoSchedule "
                             "or NoExecute")
        taints = [t for t in self.node(name).taints
                  if not (t.get("key") == key and t.get("effect") == effect)]
        taint = {"key": key, "effect": effect}
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
            self.node_record(name, "NodeNotSchedulable",
                             f"Node {name} status is now: NodeNotSchedulable", kubelet=True)
        self._reconcile()

    def uncordon(self, name: str) -> None:
        """``kubectl uncordon``."""
        info = self.node(name)
        if info.unschedulable:
            info.unschedulable = False
            self.set_taints(name, [t for t in info.taints if t.get("key") != UNSCHEDULABLE])
            self.node_record(name, "NodeSchedulable",
                             f"Node {name} status is now: NodeSchedulable", kubelet=True)
        self._reconcile()

    def drain(self, name: str, *, force: bool = False, timeout: float = 0) -> Drained:
        """``kubectl drain --ignore-daemonsets``: cordon, then evict every pod except
        DaemonSet pods, and return the names of those evicted or waiting for their budget
        (:class:`Drained`, a list). Pods without a controller are refused unless ``force``
        (they would be lost). Each eviction is the eviction subresource's
        (:func:`~clustersim.kubernetes.controllers.disruption.eviction_refusal`, the served
        API's too): an evicted Pod gets the ``DisruptionTarget`` condition before it is
        deleted; one that a PodDisruptionBudget refuses (a 429) is retried every 5 s, as
        kubectl does, until the budget allows it or ``timeout`` seconds (kubectl's
        ``--timeout``; 0, its default, waits for ever) have passed; one that two budgets
        cover (a 500) is not retried and stays, as kubectl's ``evictPods`` gives up on any
        other error (kubernetes/kubernetes ``staging/src/k8s.io/kubectl/pkg/drain/drain.go``).
        A Pod that failed is not in the list but in its :attr:`Drained.errors`. kubectl
        evicts the other Pods all the same, waits for them to go, and then exits non-zero
        with the lines :func:`~clustersim.kubernetes.drainrun.closing_lines` words; the
        Python API raises nothing, since the retried evictions go on in simulated time after
        it returns: read :attr:`Drained.errors`, which a later failure is added to.
        kubectl's lines go to :attr:`drain_log` (:mod:`clustersim.kubernetes.drainrun`), in
        its order: ``node/<name> cordoned`` (``already cordoned``), an ``evicting pod
        <namespace>/<name>`` before every attempt, ``pod/<name> evicted`` once an evicted Pod
        is gone, and ``node/<name> drained`` when every Pod went, or else the closing lines
        of its errors."""
        self.node(name)
        timeout = drain_timeout(timeout)
        pods = [p for p in self.pod_index.on_node(name)
                if not is_terminating(p) and is_active(p)]
        bare = [p["metadata"]["name"] for p in pods if controller_of(p) is None]
        if bare and not force:
            raise ValueError(f"cannot delete Pods that declare no controller (use force=True "
                             f"to override): {', '.join(bare)}")
        self.drain_log.append((self.now, f"node/{name} already cordoned"
                               if self.node(name).unschedulable else f"node/{name} cordoned"))
        self.cordon(name)
        targets = [p for p in pods if not _daemon_pod(p)]
        drained = Drained([p["metadata"]["name"] for p in targets], name,
                          self.now + timeout if timeout else None)
        self._evict_for_drain(targets, drained, timeout)
        self._reconcile()
        return drained

    def _evict_for_drain(self, pods: list[dict[str, Any]], drained: Drained,
                         timeout: float) -> None:
        """One round of kubectl's eviction attempts; a Pod that fails for good leaves
        ``drained`` for its :attr:`~Drained.errors`."""
        waiting = []
        for pod in pods:
            if not self.exists(pod) or is_terminating(pod):
                continue
            meta = pod["metadata"]
            self.drain_log.append((self.now, f"evicting pod {full_name(pod)}"))
            if drained.deadline is not None and self.now >= drained.deadline:
                drained.failed(meta["name"], timed_out(meta["name"], meta["namespace"],
                                                       timeout), self.now)
                continue
            refusal = eviction_refusal(self, pod)
            if refusal:
                error = f'error when evicting pods/"{meta["name"]}" -n "{meta["namespace"]}"'
                if refusal.code == 429:     # printed, then tried again
                    self.drain_log.append((self.now, f"{error} (will retry after 5s): "
                                                     f"{refusal.message}"))
                    waiting.append(pod)
                else:                       # returned: printed as the drain ends
                    drained.failed(meta["name"], f"{error}: {refusal.message}", self.now)
                continue
            mark_disruption_target(pod, self.now)
            self.delete_pod(pod)
            drained.evicted.append(pod)
            if self.exists(pod):
                self._drain_waits[meta["uid"]] = (drained, self.now)
            else:                   # deleted at once: its first look finds it gone
                self._evicted_gone(pod, drained)
        drained.retrying = bool(waiting)
        if waiting:
            # while replacements are still starting the retry is part of what happens next;
            # a budget that no pod in flight can satisfy blocks kubectl indefinitely, and
            # run() does not wait for that
            settling = any(budget_settling(self, pod) for pod in waiting)
            self.after(DRAIN_RETRY_SECONDS,
                       lambda: self._evict_for_drain(waiting, drained, timeout),
                       background=not settling)
        else:
            self._drain_ending(drained)

    def remove_pod(self, pod: dict[str, Any]) -> None:
        """The Pod object is gone; a drain that evicted it sees so at its next look, which
        comes every :data:`DRAIN_POLL_SECONDS` from the eviction (``waitForDelete`` polls
        from then, at once and each second)."""
        super().remove_pod(pod)
        waiting = self._drain_waits.pop(pod["metadata"]["uid"], None)
        if waiting is not None:
            drained, evicted_at = waiting
            since = self.now - evicted_at
            look = math.ceil(since / DRAIN_POLL_SECONDS - 1e-9) * DRAIN_POLL_SECONDS
            self.after(look - since, lambda: self._evicted_gone(pod, drained))

    def _evicted_gone(self, pod: Mapping[str, Any], drained: Drained) -> None:
        """kubectl saw the evicted Pod gone: ``pod/<name> evicted``
        (``OnPodDeletionOrEvictionFinished``, set by ``pkg/cmd/drain/drain.go`` to print the
        Pod by name with the operation ``evicted``), unless its deadline had failed it."""
        if drained.ended:
            return
        drained.gone.add(pod["metadata"]["uid"])
        self.drain_log.append((self.now, f"pod/{pod['metadata']['name']} evicted"))
        self._drain_ending(drained)

    def _drain_ending(self, drained: Drained) -> None:
        """Once no Pod is retried and every evicted Pod is gone, or the deadline has failed
        those left: ``node/<name> drained`` (``RunDrain`` prints the node with the operation
        ``drained``), or, when a Pod failed, the closing lines of the errors."""
        if drained.ended or drained.retrying:
            return
        left = [p for p in drained.evicted if p["metadata"]["uid"] not in drained.gone]
        deadline = drained.deadline
        if left and (deadline is None or self.now < deadline):
            if deadline is not None and not drained.watching_deadline:
                drained.watching_deadline = True
                self.after(deadline - self.now, lambda: self._drain_ending(drained),
                           background=True)
            return
        for pod in left:
            meta = pod["metadata"]
            self._drain_waits.pop(meta["uid"], None)
            drained.failed(meta["name"], waited_out(meta["name"], meta["namespace"]),
                           self.now)
        drained.ended = True
        if not drained.errors:
            self.drain_log.append((self.now, f"node/{drained.node} drained"))
            return
        pending = [p["metadata"]["name"] for p in self.pod_index.on_node(drained.node)
                   if not _daemon_pod(p)]
        self.drain_log.extend((self.now, line) for line in
                              closing_lines(drained.node, drained.errors, pending))

    def node_is_up(self, name: str) -> bool:
        """Whether the node's machine (and kubelet) is running."""
        return self._node_up.get(name, False)

    def fail_node(self, name: str, *, reason: str = "unreachable") -> None:
        """A node fails and its containers stop serving at once.

        ``"unreachable"`` (default): the machine is down or cut off (:meth:`recover_node`
        says which: a rebooted kubelet forgets its back-offs); after
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
        self.kubelet.node_down(self.pod_index.on_node(name))
        self.changed()
        if reason == "unreachable":
            self._status_reports[name].stopped = self.now
            self._lifecycle.silent(name)
        else:
            self._lifecycle.reports_not_ready(name)
        self._reconcile()

    def recover_node(self, name: str, *, rebooted: bool = False) -> None:
        """The machine is back: taints go, Terminating pods finish, the others restart.

        ``rebooted=False`` (default): the node was cut off, or its kubelet kept running
        (``"not-ready"``), so the kubelet keeps what it holds in memory, each container's
        crash-loop back-off and each image's pull back-off. ``rebooted=True``: the machine
        restarted and its kubelet with it, whose back-offs start empty
        (:meth:`~clustersim.kubernetes.kubelet.Kubelet.restarted`); the API keeps each
        container's restart count, and its event recorder's correlator starts afresh too
        (:meth:`~clustersim.kubernetes.eventcorrelator.EventCorrelator.restarted`)."""
        self.node(name)
        if self._node_up[name]:
            return
        self._node_up[name] = True
        self._kubelet_alive[name] = True
        self.services.node_changed(name, True)
        self._lifecycle.posting(name)
        pods = self.pod_index.on_node(name)
        if rebooted:
            self.kubelet.restarted(pods)
            self.correlator.restarted(name)
        for pod in pods:
            if is_terminating(pod):
                self.kubelet.deleted(pod)
            elif pod["status"].get("phase") in ("Succeeded", "Failed"):
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
        self.kubelet.node_down(self.pod_index.on_node(name))
        del self._nodes[name]
        del self._joins[name]
        del self._status_reports[name]
        self._positions = None
        self._placement_version += 1
        self._node_up.pop(name)
        self._kubelet_alive.pop(name)
        self.services.node_changed(name, False)
        self._podgc.removed[name] = self.now
        self._lifecycle.forget(name)
        self._eviction.forget(name)
        for removed in self.on_node_removed:
            removed(name)
        self.changed()
        self._reconcile()

