"""The Pods the scheduler and the pod garbage collector look at, kept as Pods change (about
270 lines).

Upstream both read their informer's cache of every Pod: the scheduler's informer queues the
unbound ones (kubernetes/kubernetes ``pkg/scheduler/eventhandlers.go``, ``addPodToSchedulingQueue``
for a Pod with no ``spec.nodeName``), and the pod garbage collector lists them all at each of
its periods (``gc`` in ``pkg/controller/podgc/gc_controller.go``: ``gcTerminated`` over the
Succeeded and Failed Pods, ``gcOrphaned`` over the Pods bound to a Node that is gone,
``gcTerminating`` over the Terminating Pods of an out-of-service Node; its fourth,
``gcUnscheduledTerminating``, finds nothing here, as the simulator's API server removes an
unbound Pod at once when it is deleted). The simulator runs both at every pass of its
control loop, and a ReplicaSet of 150,000 Pods made in bursts of 500 takes 300 passes: a
listing of every Pod at each would make the work grow with the square of the Pods.
:class:`PodIndex` keeps those sets instead, told by the store's writers as they tell
:class:`~clustersim.kubernetes.podcounts.PodCounts` (a Pod added, bound, given a new phase,
terminating, removed; a write to a Pod no longer stored is ignored): the sets a full
listing would give, each in the store's order (oldest Pod first), which is the order the
listing gave (``tests/unit/test_k8s_podindex.py`` compares them), except the unbound Pods,
kept in the scheduling queue's order (:func:`queue_key`): inserted in place (``bisect``), so
that the scheduler does not sort them all again at each pass. Those the scheduler found
unschedulable wait apart (:meth:`PodIndex.park`) until it moves them back
(:meth:`PodIndex.unpark`), as upstream's queue holds them among its unschedulable Pods: a
backlog that never fits is then not walked again at each of the 300 passes.

The unbound Pods the scheduler would never try are held out of the queue from the write that
makes them so, never looked at by a pass (:meth:`PodIndex.held`): a Pod of another
``schedulerName`` (the scheduler's informer passes on only the Pods its profiles are
responsible for, ``responsibleForPod`` in ``pkg/scheduler/eventhandlers.go``), a Succeeded or
Failed one (its informer's field selector leaves them out, ``newPodInformer`` in
``pkg/scheduler/scheduler.go``) and a gated one (``spec.schedulingGates``: upstream's queue
runs the PreEnqueue plugins as a Pod enters activeQ and keeps a rejected one among its
unschedulable Pods, marked gated, ``moveToActiveQ`` in
``pkg/scheduler/backend/queue/scheduling_queue.go``). A write that lifts the reason (the
last gate removed) puts the Pod in the queue. An update of a parked Pod's spec puts it back
too (:meth:`PodIndex.updated`): upstream's ``PriorityQueue.Update`` moves an unschedulable
Pod to activeQ or backoffQ when the update may make it schedulable. Simplified: upstream asks
the queueing hints of the plugins that rejected it about each change
(``PodSchedulingPropertiesChange``: a toleration added, a label changed, a gate removed, ...),
or without hints compares the Pod without its status (``isPodUpdated``); here any change to
its spec moves it back, and a change to its labels alone moves it back only when the hints
say so (:mod:`~clustersim.kubernetes.scheduler.queueinghints`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Collection, Mapping
from itertools import count
from typing import Any

from clustersim.kubernetes.objects import is_terminating
from clustersim.kubernetes.schedulinggates import pre_enqueue

__all__ = ["FINISHED_PHASES", "PodIndex", "queue_key"]

FINISHED_PHASES = ("Succeeded", "Failed")
"""The phases the pod GC counts as terminated. Simplified: upstream's ``isPodTerminated``
counts every phase but Pending, Running and Unknown, so also one no Kubernetes defines that
a client wrote to an unbound Pod's status (``Kubelet.phase_written``)."""

_Pod = dict[str, Any]


def queue_key(pod: Mapping[str, Any]) -> tuple[int, float, str]:
    """The scheduling queue's order: higher ``priority`` first, then older first
    (``PrioritySort``'s ``Less`` in kubernetes/kubernetes
    ``pkg/scheduler/framework/plugins/queuesort/priority_sort.go`` compares the priority and
    then the time the Pod entered the queue, here its ``creationTimestamp``), then the uid so
    that ties are broken the same way in every run. A stored Pod's key never changes: the API
    server refuses a change to ``spec.priority`` and the timestamp is the server's."""
    meta = pod["metadata"]
    return (-int(pod["spec"].get("priority") or 0), meta["creationTimestamp"], meta["uid"])


class PodIndex:
    """Unbound and finished Pods, and the bound Pods and the bound Terminating ones by
    node name. ``responsible``: whether the scheduler handles a Pod (its ``schedulerName``,
    which the API server lets no update change); the others are :meth:`held` from the
    start."""

    def __init__(self, responsible: Callable[[Mapping[str, Any]], bool] = lambda pod: True
                 ) -> None:
        self._responsible = responsible
        self._order: dict[str, int] = {}
        """Each stored Pod's place in the store (:meth:`add`)."""
        self._next = count()
        self._unbound: dict[str, _Pod] = {}
        self._queue: list[tuple[int, float, str]] = []
        """The unbound Pods' :func:`queue_key` (which ends with the uid), sorted."""
        self._keys: dict[str, tuple[int, float, str]] = {}
        """Each unbound Pod's :func:`queue_key` as it was enqueued."""
        self._parked: dict[bool, dict[str, _Pod]] = {False: {}, True: {}}
        """The unbound Pods out of :attr:`_queue` (:meth:`park`), by whether a Pod bound
        elsewhere may make them fit."""
        self._held: dict[str, _Pod] = {}
        """The unbound Pods the scheduler does not try (:meth:`held`), out of
        :attr:`_queue`."""
        self._finished: dict[str, _Pod] = {}
        self._terminating: dict[str, dict[str, _Pod]] = {}
        """The bound Terminating Pods by node name."""
        self._on_node: dict[str, dict[str, _Pod]] = {}
        self._bound_to: dict[str, str] = {}

    def add(self, pod: _Pod) -> None:
        """Index ``pod``, just stored (last in the store's order), as it is now."""
        uid = pod["metadata"]["uid"]
        self._order[uid] = next(self._next)
        self._enqueue(uid, pod)
        self.update(pod)

    def update(self, pod: _Pod) -> None:
        """Index ``pod`` as it is now (a stored Pod that was written); a Pod no longer
        stored is left out."""
        uid = pod["metadata"]["uid"]
        if uid not in self._order:
            return
        node = pod["spec"].get("nodeName") or None
        if self._bound_to.get(uid) != node:     # bound (or a rolled-back apply unbound it)
            self._unbind(uid)
            if node is None:
                self._enqueue(uid, pod)
            else:
                self._dequeue(uid)
                self._bound_to[uid] = node
                self._on_node.setdefault(node, {})[uid] = pod
        _mark(self._finished, uid, pod, (pod.get("status") or {}).get("phase")
              in FINISHED_PHASES)
        if node is None:
            self._hold(uid, pod)
            return
        terminating = self._terminating.get(node)
        if is_terminating(pod):
            if terminating is None:
                terminating = self._terminating[node] = {}
            terminating[uid] = pod
        elif terminating is not None and terminating.pop(uid, None) is not None \
                and not terminating:
            del self._terminating[node]

    def remove(self, pod: Mapping[str, Any]) -> None:
        """Forget ``pod`` (it left the store)."""
        uid = pod["metadata"]["uid"]
        if self._order.pop(uid, None) is None:
            return
        self._dequeue(uid)
        self._finished.pop(uid, None)
        self._unbind(uid)

    def _enqueue(self, uid: str, pod: _Pod) -> None:
        if uid not in self._unbound:
            self._unbound[uid] = pod
            self._keys[uid] = queue_key(pod)
            insort(self._queue, self._keys[uid])

    def _dequeue(self, uid: str) -> None:
        if uid in self._unbound:
            self._take_out(uid)
            del self._unbound[uid], self._keys[uid]

    def _take_out(self, uid: str) -> None:
        """Take the unbound Pod ``uid`` out of the queue, the parked or the held Pods."""
        if self._parked[False].pop(uid, None) is None \
                and self._parked[True].pop(uid, None) is None \
                and self._held.pop(uid, None) is None:
            del self._queue[bisect_left(self._queue, self._keys[uid])]

    def _hold(self, uid: str, pod: _Pod) -> None:
        """Hold the unbound ``pod`` out of the queue while the scheduler would not try it,
        and put it back in the queue once it would."""
        if not self._responsible(pod) \
                or (pod.get("status") or {}).get("phase") in FINISHED_PHASES \
                or pre_enqueue(pod):
            if uid not in self._held:
                self._take_out(uid)
                self._held[uid] = pod
        elif self._held.pop(uid, None) is not None:
            insort(self._queue, self._keys[uid])

    def _is_queued(self, uid: str) -> bool:
        return uid in self._unbound and uid not in self._held \
            and all(uid not in p for p in self._parked.values())

    def park(self, pod: _Pod, waits_for_pods: bool) -> None:
        """Take the unbound ``pod`` out of :meth:`queued` until :meth:`unpark`; whether a
        Pod bound elsewhere may make it fit (``waits_for_pods``) says where
        :meth:`parked` finds it."""
        uid = pod["metadata"]["uid"]
        if self._is_queued(uid):
            del self._queue[bisect_left(self._queue, self._keys[uid])]
            self._parked[waits_for_pods][uid] = pod

    def updated(self, pod: _Pod) -> None:
        """The stored ``pod``'s spec was updated (``UnscheduledPodUpdate``): index it as it
        is now, and put it back in :meth:`queued` if it was parked."""
        self.update(pod)
        self.unpark([pod["metadata"]["uid"]])

    def held(self) -> list[_Pod]:
        """The unbound Pods the scheduler does not try: gated, finished, or of another
        ``schedulerName``, in the store's order."""
        return self._in_order(self._held.values())

    def parked(self, *, only_waiting_for_pods: bool) -> list[_Pod]:
        """The parked Pods (those that wait for Pods, with ``only_waiting_for_pods``)."""
        groups = (True,) if only_waiting_for_pods else (False, True)
        return [pod for group in groups for pod in self._parked[group].values()]

    def unpark(self, uids: Collection[str]) -> list[_Pod]:
        """Put the parked Pods of ``uids`` back in :meth:`queued`; the Pods moved."""
        moved = []
        for uid in uids:
            pod = self._parked[False].pop(uid, None) or self._parked[True].pop(uid, None)
            if pod is not None:
                insort(self._queue, self._keys[uid])
                moved.append(pod)
        return moved

    def _unbind(self, uid: str) -> None:
        node = self._bound_to.pop(uid, None)
        if node is None:
            return
        for by_node in (self._on_node, self._terminating):
            pods = by_node.get(node)
            if pods is not None and pods.pop(uid, None) is not None and not pods:
                del by_node[node]

    def on_node(self, name: str) -> list[_Pod]:
        """The Pods bound to the node ``name``, in the store's order."""
        return self._in_order((self._on_node.get(name) or {}).values())

    def queued(self) -> list[_Pod]:
        """The Pods bound to no node and not parked, in the scheduling queue's order
        (:func:`queue_key`)."""
        return [self._unbound[key[2]] for key in self._queue]

    def finished_count(self) -> int:
        """How many Pods are Succeeded or Failed."""
        return len(self._finished)

    def finished(self) -> list[_Pod]:
        """The Succeeded and Failed Pods, in the store's order."""
        return self._in_order(self._finished.values())

    def collectable(self, nodes: Collection[str],
                    out_of_service: Callable[[str], bool]) -> list[_Pod]:
        """The bound Pods the pod GC may force-delete, in the store's order: those bound to a
        node not in ``nodes`` (``gcOrphaned``) and the Terminating ones on a node of
        ``nodes`` that is ``out_of_service`` (``gcTerminating``), asked once per node."""
        gone = [pod for name, pods in self._on_node.items() if name not in nodes
                for pod in pods.values()]
        stuck = [pod for name, pods in self._terminating.items()
                 if name in nodes and out_of_service(name) for pod in pods.values()]
        return self._in_order([*gone, *stuck])

    def _in_order(self, pods: Collection[_Pod]) -> list[_Pod]:
        return sorted(pods, key=lambda p: self._order[p["metadata"]["uid"]])


def _mark(pods: dict[str, _Pod], uid: str, pod: _Pod, member: bool) -> None:
    if member:
        pods[uid] = pod
    else:
        pods.pop(uid, None)
