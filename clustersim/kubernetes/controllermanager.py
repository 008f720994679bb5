"""The control loop of :class:`~clustersim.kubernetes.KubernetesCluster`: the simulated
clock's timers, kube-controller-manager running every controller until nothing changes, and
the kube-scheduler's pass over pending pods within the same loop.

Upstream: kube-controller-manager (``cmd/kube-controller-manager``) runs each controller of
:mod:`clustersim.kubernetes.controllers` against the objects it watches until they match
their spec; here every controller syncs every object of its kinds, in the order of
:data:`~clustersim.kubernetes.controllers.CONTROLLERS`, and the loop repeats until a pass
changes nothing. The kube-scheduler (``pkg/scheduler/schedule_one.go``) takes the pending
pods its profile handles (their ``schedulerName``: ``Profile.handles``) in priority order
(``PrioritySort``), binds them or runs the PostFilter step (DefaultPreemption,
:mod:`clustersim.kubernetes.scheduler.preemption`), and records a ``FailedScheduling`` event
at every failed attempt (``handleSchedulingFailure``). Upstream these are separate processes
that act within milliseconds; here they act at the current simulated instant. This part sits
above :class:`~clustersim.kubernetes.nodes.NodeLifecycle` in the cluster's stack.

A pod that failed waits among the unschedulable pods of the scheduling queue
(``pkg/scheduler/backend/queue/scheduling_queue.go``) until an event moves it back, as
upstream's queueing hints (``isPodWorthRequeuing``) do, or until the queue's flush
(``flushUnschedulablePodsLeftover``, every 30 s) finds it there for more than
``podMaxInUnschedulablePodsDuration`` (5 minutes), so a pod that never fits is tried again, and
records another ``FailedScheduling``, about every five and a half minutes. Simplified: upstream
asks the hints of the plugins that rejected the pod about each event; here a change to nodes
(added, removed, labels, taints, cordon), a pod leaving a node or a volume becoming usable
moves every waiting pod back, and a pod bound to a node (or a bound pod relabelled) moves back
only the pods whose own terms look at other pods (required pod affinity, a ``DoNotSchedule``
spread constraint), as ``AssignedPodAdded`` and ``AssignedPodUpdated`` do
(``getUnschedulablePodsWithCrossTopologyTerm``), without matching the bound pod's labels.
An update of the pod's own spec moves it back at once
(``PriorityQueue.Update``, :meth:`~clustersim.kubernetes.podindex.PodIndex.updated`), where
upstream asks the hints about the change (a toleration added, a gate removed). Two events do
ask the hints of the plugins that rejected the pod, recorded with its attempt
(:mod:`~clustersim.kubernetes.scheduler.queueinghints`): an update of its own labels alone
(``UpdatePodLabel``) and the deletion of a nominated pod of no lower priority
(``AssignedPodDelete``, :meth:`ControllerManager.remove_pod`). The backoff
(1 s doubling to 10 s) is left out: since v1.33 (``SchedulerPopFromBackoffQ``, on by default)
a scheduler with nothing else to do takes a pod still backing off, which is what the
simulated scheduler always is between two instants.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache, partial
from typing import Any

from clustersim.kubernetes.apiserver import AdmissionError
from clustersim.kubernetes.controllers.base import ReportedRefusalError
from clustersim.kubernetes.controllers.replicaset import BURST_REPLICAS
from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.nodes import NodeLifecycle
from clustersim.kubernetes.objects import (
    controller_of,
    full_name,
    set_condition,
)
from clustersim.kubernetes.podindex import queue_key
from clustersim.kubernetes.references import claim_refusal
from clustersim.kubernetes.scheduler.preemption import (
    disruption_target,
    find_preemption,
    not_eligible,
)
from clustersim.kubernetes.scheduler.queueinghints import (
    worth_requeuing_after_label_update,
    worth_requeuing_after_nominated_delete,
)
from clustersim.kubernetes.scheduler.scheduler import NO_NEW_CLAIMS, ScheduleResult
from clustersim.limits import MAX_REPLICAS
from clustersim.sim.collection import deferred_full_collections

_MAX_PASSES = 200 + MAX_REPLICAS // BURST_REPLICAS
"""Passes of one reconcile before it is called a simulator bug: a ReplicaSet of
``MAX_REPLICAS`` Pods takes one pass per burst of creates, and 200 more for everything else."""
_MAX_RECONCILES_AT_ONE_INSTANT = 1000
"""Reconciles at one simulated instant before the loop is called a simulator bug
(:meth:`ControllerManager._count_reconcile`): the shop's runs need 2 and the Kubernetes tests
10 (counting every reconcile), a livelock reaches it within a second of computing."""
_FLUSH_PERIOD = 30.0
"""How often the scheduling queue flushes its unschedulable pods (``Run`` in
``scheduling_queue.go``: ``wait.Until(flushUnschedulablePodsLeftover, 30*time.Second)``), from
the scheduler's start, simulated second 0."""
_MAX_UNSCHEDULABLE = 300.0
"""``DefaultPodMaxInUnschedulablePodsDuration``: a pod unschedulable for longer than this at a
flush is tried again."""
_NONE: tuple[int, int, float, tuple[str, ...]] = (0, 0, 0.0, ())
"""A parked pod's last attempt when none is recorded: no rejecting plugin, so any event
moves it back (``isPodWorthRequeuing``)."""


class ControllerManager(NodeLifecycle):
    """Timers, the controllers' reconcile loop and the scheduling pass."""

    _instant: tuple[float, int, int] | None = None
    """The instant of the last reconcile, the events recorded before it, and the
    reconciles at it (:meth:`_count_reconcile`)."""

    # ---- time ----------------------------------------------------------------------------

    def after(self, delay: float, action, *, background: bool = False) -> None:
        """Run ``action()`` ``delay`` seconds from now, then reconcile. ``run()`` without
        ``until`` waits for every pending foreground action, never for background ones."""
        if not background:
            self._foreground += 1
        # a partial, not a closure: 150,000 Pods' timers wait at once after a big apply
        self.clock.call_after(max(0.0, delay), partial(self._timer_due, action, background))

    def _timer_due(self, action, background: bool) -> None:
        """A timer of :meth:`after` is due: run its action, then reconcile."""
        if not background:
            self._foreground -= 1
        action()
        self._reconcile_soon()

    def _reconcile_soon(self) -> None:
        """Reconcile once after every action due at this instant has run (SimPy runs a zero
        delay event after the events already queued for the same time)."""
        if self._reconcile_queued:
            return
        self._reconcile_queued = True
        self._foreground += 1

        def later() -> None:
            self._reconcile_queued = False
            self._foreground -= 1
            self._reconcile(timed=True)

        self.clock.call_after(0, later)

    def wake_at(self, time: float, *, background: bool = False) -> None:
        """Make sure the controllers look again at ``time`` (e.g. when minReadySeconds pass)."""
        if time <= self.now or (time, background) in self._wakes:
            return
        self._wakes.add((time, background))

        def wake() -> None:
            self._wakes.discard((time, background))
            self._settled = None            # a controller asked to look again now

        self.after(time - self.now, wake, background=background)

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

    # ---- the control loop ----------------------------------------------------------------

    def _reconcile(self, *, timed: bool = False) -> None:
        """Run every controller, the pod garbage collector, the scheduler and the endpoint
        controller over the cluster until a pass changes nothing.

        A reconcile when nothing changed since the last settled pass (``_version`` is the
        same: every change goes through :meth:`changed`) and no controller's wake-up
        (:meth:`wake_at`) came due is skipped: that pass would find what the last one found.
        Upstream the same holds by construction: informers enqueue an object only when it or
        what it owns changes, and a controller that waits for time to pass (minReadySeconds,
        progressDeadlineSeconds, a CronJob's schedule) requeues itself with ``AddAfter``, which
        :meth:`wake_at` stands for. An object whose create the API server refused is tried
        again when its work queue's back-off is over (:meth:`_sync`), a wake-up as well.
        ``timed``: the clock started this reconcile, not a caller (:meth:`_count_reconcile`).
        """
        if self._reconciling or self._version == self._settled:
            return
        if timed:
            self._count_reconcile()
        else:
            self._instant = None            # a caller changed something: that is progress
        self._reconciling = True
        try:
            # an apply or a run may make thousands of pods: no full collections meanwhile
            with deferred_full_collections():
                for _ in range(_MAX_PASSES):
                    before = self._version
                    for controller in self._controllers:
                        for kind in controller.kinds:
                            for obj in self.objects(kind):
                                if self.exists(obj) and self._due(obj):
                                    self._sync(controller, obj)
                    self._podgc.collect()
                    self._schedule_pending()
                    self.services.sync()
                    if self._version == before:
                        self._settled = before
                        return
                raise RuntimeError("the controllers did not settle after "
                                   f"{_MAX_PASSES} passes at t={self.now:g}s (a simulator bug)")
        finally:
            self._reconciling = False

    def _count_reconcile(self) -> None:
        """Refuse to go on when reconciles keep following one another at one instant.

        ``_MAX_PASSES`` bounds the passes of one reconcile, but a loop can also run through
        the clock: a reconcile settles, an action it caused is due at once (a zero delay,
        such as a Pod removed the moment it is deleted), and the next reconcile undoes what
        the last one did, so time never moves on. Upstream the components would go on in
        real time; a simulator must not hang, so after ``_MAX_RECONCILES_AT_ONE_INSTANT``
        reconciles that the clock started at one instant, with no caller's change between
        them, this raises an error naming the events that repeat."""
        now = self.now
        if self._instant is None or self._instant[0] != now:
            self._instant = (now, self.events.recorded, 0)
        at, first, count = self._instant
        if count >= _MAX_RECONCILES_AT_ONE_INSTANT:
            repeats = Counter(e.reason for _, e in self.events.since(first)).most_common(4)
            raise RuntimeError(
                f"the simulation made no progress: {count} reconciles at t={now:g}s without "
                "time moving on, recording " + ", ".join(f"{reason} x{n}" for reason, n in repeats)
                + " (a simulator bug: please report it with the manifests that caused it)")
        self._instant = (at, first, count + 1)

    def _due(self, obj: dict[str, Any]) -> bool:
        """Whether ``obj`` is not waiting out the back-off of a refused sync: its retry came
        due, its spec changed since, or an object it controls was created, changed or
        deleted since (the controllers' event handlers, e.g. ``addPod``, ``updatePod`` and
        ``deletePod`` of kubernetes/kubernetes ``pkg/controller/replicaset/replica_set.go``,
        ``queue.Add`` the owner at once, whatever back-off it waits out; the work queue keeps
        its failure count, ``NumRequeues``, until a sync succeeds and ``Forget`` drops it:
        client-go ``util/workqueue/rate_limiting_queue.go``)."""
        waiting = self._retries.get(obj["metadata"]["uid"])
        return waiting is None or waiting.due <= self.now or \
            waiting.generation != obj["metadata"].get("generation") or \
            waiting.dependents != self.dependents_state(obj)

    def dependents_state(self, obj: dict[str, Any]) -> int:
        """A fingerprint of the objects ``obj`` controls (its Pods, a Deployment's
        ReplicaSets): their uids, labels, deletion marks and status, what an update event
        reports changed. Simplified: upstream a handler compares resourceVersions, which
        change at every write; the simulator edits objects in place and keeps none per
        object, so a write that changes none of these goes unnoticed (none of its
        controllers reads anything else of what it owns). The fingerprint is Python's
        ``hash`` of their ``repr``: compared only within one run, where a state written
        again with its keys in another order counts as a change (one more sync, harmless:
        upstream syncs at every write)."""
        uid = obj["metadata"]["uid"]
        return hash(tuple(
            (meta["uid"], repr(meta.get("labels")), meta.get("deletionTimestamp"),
             repr(child.get("status")))
            for child in self._children.get(uid, {}).values()
            if (controller_of(child) or {}).get("uid") == uid
            for meta in (child["metadata"],)))

    def _sync(self, controller, obj: dict[str, Any]) -> None:
        """One controller's sync of ``obj``. A create the API server refused is reported
        (``FailedCreate``, unless the controller reported each refusal itself) and the
        object waits out its work queue's back-off before the next try
        (:class:`~clustersim.kubernetes.controllers.base.Retry`); a sync that succeeds
        forgets its failures (``queue.Forget``).

        Any other failure propagates, unless the cluster contains them (``sync_faults`` is a
        list, as the served API sets it): then, as upstream's ``processNextWorkItem`` logs an
        error a sync returns (``utilruntime.HandleError``: "error syncing ..., requeuing")
        and puts the object back with ``queue.AddRateLimited``, the failure becomes a line in
        ``sync_faults`` and the object waits out the same back-off; the other objects and
        controllers go on, and the next write is not answered with this object's error."""
        uid = obj["metadata"]["uid"]
        try:
            controller.sync(obj)
        except AdmissionError as err:
            if not isinstance(err, ReportedRefusalError):
                self.record(obj, "FailedCreate", f"Error creating: {err}", "Warning")
            self._requeue_rate_limited(controller, obj)
            return
        except Exception as err:
            if self.sync_faults is None:
                raise
            self.sync_faults.append(
                f"error syncing {type(controller).__name__} {full_name(obj)}, requeuing: "
                f"{type(err).__name__}: {err}")
            self._requeue_rate_limited(controller, obj)
            return
        self._retries.pop(uid, None)

    def _requeue_rate_limited(self, controller, obj: dict[str, Any]) -> None:
        """Put ``obj`` back in ``controller``'s work queue after its back-off
        (``queue.AddRateLimited``)."""
        uid = obj["metadata"]["uid"]
        retry = controller.retry_after(self._retries.get(uid), self.now,
                                       obj["metadata"].get("generation"),
                                       self.dependents_state(obj), self._version)
        self._retries[uid] = retry
        self.wake_at(retry.due, background=not retry.changed)

    # ---- scheduling ----------------------------------------------------------------------

    def _bind(self, pod: dict[str, Any], node_name: str, *, scheduled: bool) -> None:
        pod["spec"]["nodeName"] = node_name
        self.pod_written(pod)
        # setPodNodeAndMetadata (ClearingNominatedNodeNameAfterBinding, on since 1.35)
        set_condition(pod, "PodScheduled", True, self.now, observed=False)
        pod["status"].pop("nominatedNodeName", None)
        self.scheduler.nominator.forget(pod)
        self._last_failure.pop(pod["metadata"]["uid"], None)
        if node_name not in self._nodes:
            return                                   # no kubelet will ever run it
        self._nodes[node_name].add_pod(pod)
        self._assigned_version += 1
        if scheduled:
            self.record(pod, "Scheduled",
                        f"Successfully assigned {full_name(pod)} to {node_name}")
        self.changed()
        if self._node_up[node_name]:
            self.kubelet.start(pod)

    def _schedule_pending(self) -> None:
        """Schedule the unbound Pods the profile handles, neither being deleted nor in a
        terminal phase: the scheduler's Pod informer lists only Pods whose phase is neither
        Succeeded nor Failed (``newPodInformer`` in kubernetes/kubernetes
        ``pkg/scheduler/scheduler.go``), so a Pod written Failed leaves its queue. The unbound
        Pods come from the store's index (:mod:`clustersim.kubernetes.podindex`), not a
        listing of every Pod, already in the queue's order
        (:func:`~clustersim.kubernetes.podindex.queue_key`), without the Pods it would not try
        (gated, finished, another ``schedulerName``), which the index holds apart from the
        write that makes them so
        (:meth:`~clustersim.kubernetes.podindex.PodIndex.held`).

        The pods waiting among the unschedulable ones are parked out of that queue
        (:meth:`~clustersim.kubernetes.podindex.PodIndex.park`) and come back when an event
        could make them fit (:meth:`_requeue`) or at the flush, so a backlog that never fits
        costs nothing at the passes of a ReplicaSet's bursts of 500 creates. When an attempt
        moves pods back (a preemption frees a node, a pod bound elsewhere), those after it in
        the queue's order are tried in the same pass, those before it at the next, as a walk
        of every unbound pod that checks each one's wait when it comes to it would."""
        nodes = list(self._nodes.values())
        self._requeue()
        queue, at = self.pod_index.queued(), 0
        while at < len(queue):
            pod = queue[at]
            at += 1
            self._attempt(pod, nodes)
            moved = self._requeue()
            if moved and (moved := [p for p in moved if queue_key(p) > queue_key(pod)]):
                queue, at = sorted([*queue[at:], *moved], key=queue_key), 0

    def _requeue(self) -> list[dict[str, Any]]:
        """Move back the parked pods that an event since the last look may make fit, and
        return them: every one after a change to nodes, volumes or a pod gone
        (``_placement_version``), those whose terms look at other pods after a pod was bound
        (``_assigned_version``, :func:`_waits_for_pods`). Each parked pod's last attempt
        (``_attempted``) decides, as the queueing hints of ``isPodWorthRequeuing`` do."""
        versions = (self._placement_version, self._assigned_version)
        if versions == self._queue_versions:
            return []
        only_waiting = versions[0] == self._queue_versions[0]
        self._queue_versions = versions
        parked = self.pod_index.parked(only_waiting_for_pods=only_waiting)
        if not parked:
            return parked
        return self.pod_index.unpark([p["metadata"]["uid"] for p in parked
                                      if not self._still_waits(p)])

    def _still_waits(self, pod: dict[str, Any]) -> bool:
        """Whether no event since ``pod``'s last failed attempt can make it fit."""
        waiting = self._attempted.get(pod["metadata"]["uid"])
        return waiting is not None and waiting[0] == self._placement_version and (
            waiting[1] == self._assigned_version or not _waits_for_pods(pod))

    def _attempt(self, pod: dict[str, Any], nodes: list[NodeInfo]) -> None:
        """One scheduling attempt of ``pod``: bind it, or record ``FailedScheduling`` and
        park it among the unschedulable pods."""
        uid = pod["metadata"]["uid"]
        refusal = claim_refusal(pod, self.get)
        if refusal is None:
            result = self.scheduler.schedule(pod, nodes)
            if result.node is not None:
                self.bind_pod_volumes(pod, result.node)
                self._bind(pod, result.node, scheduled=True)
                return
            message = self._preempt(pod, nodes, result)
            rejectors = result.unschedulable_plugins
        else:   # VolumeBinding's PreFilter rejects the pod before any node is tried
            message = self.scheduler.rejected_at_prefilter(pod, nodes, refusal)
            rejectors = frozenset(("VolumeBinding",)) if nodes else frozenset()
        self._attempted[uid] = (self._placement_version, self._assigned_version, self.now,
                                _plugin_names(rejectors))
        self.pod_index.park(pod, _waits_for_pods(pod))
        self._flush_after(self.now)
        self.record(pod, "FailedScheduling", message, "Warning")
        if self._last_failure.get(uid) != message:     # updatePod: only a new condition
            self._last_failure[uid] = message
            set_condition(pod, "PodScheduled", False, self.now, "Unschedulable", message)

    def _pod_relabelled(self, pod: dict[str, Any], old_labels: dict[str, str]) -> None:
        """An update changed the labels of ``pod`` (they were ``old_labels``).

        Unbound: ``PriorityQueue.Update`` asks the queueing hints of the plugins that
        rejected it about ``UpdatePodLabel``, and moves it back if one says it may now fit
        (:mod:`~clustersim.kubernetes.scheduler.queueinghints`); a Pod that is not parked
        is left where it is. Bound: its node's cached counts are made again
        (:meth:`~clustersim.kubernetes.nodeinfo.NodeInfo.pods_changed`: topology spreading
        counts it by its labels), and it is an ``AssignedPodUpdate``, which moves back the
        parked pods whose terms look at other pods, as a pod bound does
        (``AssignedPodUpdated`` in ``scheduling_queue.go``:
        ``getUnschedulablePodsWithCrossTopologyTerm``)."""
        node = pod["spec"].get("nodeName")
        if node:
            if node in self._nodes:
                self._nodes[node].pods_changed()
            self._assigned_version += 1
            return
        attempted = self._attempted.get(pod["metadata"]["uid"])
        if attempted is not None and worth_requeuing_after_label_update(
                self.scheduler, pod, old_labels, attempted[3]):
            self.pod_index.unpark([pod["metadata"]["uid"]])

    def remove_pod(self, pod: dict[str, Any]) -> None:
        """The pod object disappears; the scheduling queue forgets its nomination
        (``PriorityQueue.Delete``: ``DeleteNominatedPodIfExists``), and the deletion of an
        unbound Pod that had a ``nominatedNodeName`` is an ``AssignedPodDelete`` for the
        parked Pods of no higher priority, which counted it on that node
        (``deletePodFromSchedulingQueue`` in kubernetes/kubernetes
        ``pkg/scheduler/eventhandlers.go``): those whose rejecting plugins' hints say so move
        back (:mod:`~clustersim.kubernetes.scheduler.queueinghints`).
        A nominated Pod bound (on its node or elsewhere) moves none back, as upstream's
        handler returns early for a binding (``inBinding``; a binding by another component
        that leaves a nominated node's room unused is kubernetes/kubernetes issue 134859).
        Simplified: upstream sends the same event when a Pod's nomination moves to another
        node (``hasNominatedNodeNameChanged`` in ``updatePodInSchedulingQueue``); here a
        preemptor nominated again elsewhere moves none back."""
        nominated = (pod.get("status") or {}).get("nominatedNodeName") \
            and not pod["spec"].get("nodeName")
        super().remove_pod(pod)
        if not nominated:
            return                  # the API server's remove_pod forgot the nomination
        parked = self.pod_index.parked(only_waiting_for_pods=False)
        self.pod_index.unpark([
            waiting["metadata"]["uid"] for waiting in parked
            if worth_requeuing_after_nominated_delete(
                waiting, pod, self._attempted.get(waiting["metadata"]["uid"], _NONE)[3])])

    def _flush_after(self, attempted: float) -> None:
        """Make sure the queue's flush runs at the first tick that finds a pod attempted at
        ``attempted`` unschedulable for more than five minutes, and moves back every pod it
        finds so (``flushUnschedulablePodsLeftover``). A background timer: ``run()`` without
        ``until`` does not wait for it."""
        tick = (math.floor((attempted + _MAX_UNSCHEDULABLE) / _FLUSH_PERIOD) + 1) * _FLUSH_PERIOD
        if tick in self._flushes:
            return
        self._flushes.add(tick)

        def flush() -> None:
            self._flushes.discard(tick)
            flushed = [uid for uid, (_, _, at, _) in self._attempted.items()
                       if tick - at > _MAX_UNSCHEDULABLE]
            for uid in flushed:
                del self._attempted[uid]
            self.pod_index.unpark(flushed)
            self._settled = None            # the moved pods are tried at this reconcile

        self.after(tick - self.now, flush, background=True)

    def _preempt(self, pod: dict[str, Any], nodes: list[NodeInfo],
                 failed: ScheduleResult) -> str:
        """The PostFilter step (:mod:`clustersim.kubernetes.scheduler.preemption`) after the
        ``failed`` cycle, whose Filter statuses it reads: evict the victims, nominate their
        node, and return the FailedScheduling message, which loses its ``preemption:`` part
        when preemption succeeded."""
        message = failed.message
        if not self.scheduler.profile.preemption or not nodes:
            return message
        fit_error = message.split(" preemption: ")[0]
        waiting = not_eligible(pod, nodes, failed.statuses)
        if waiting:
            return f"{fit_error} preemption: {waiting}"
        # A PostFilter that succeeds ends RunPostFilterPlugins: the message keeps no
        # PostFilter part (framework/runtime/framework.go, schedule_one.go).
        fit_error = fit_error.removesuffix(f" {NO_NEW_CLAIMS},")
        found = find_preemption(self.scheduler, pod, nodes, failed.statuses)
        if found is None:
            return message
        reason, why = disruption_target(self.scheduler.profile.scheduler_name)
        for victim in found.victims:        # prepareCandidate: the condition, then delete
            set_condition(victim, "DisruptionTarget", True, self.now, reason, why)
            self.record(victim, "Preempted",
                        f"Preempted by pod {pod['metadata']['uid']} on node {found.node}",
                        related=pod)
            self.delete_pod(victim)
        pod["status"]["nominatedNodeName"] = found.node
        self.scheduler.nominator.nominate(pod, found.node)
        return fit_error


@cache
def _plugin_names(plugins: frozenset[str]) -> tuple[str, ...]:
    """``plugins`` in order, one tuple for each set: the pods of a backlog rejected alike
    share it (60,000 of them in ``benchmarks/k8s_cluster.py --unschedulable``)."""
    return tuple(sorted(plugins))


def _waits_for_pods(pod: dict[str, Any]) -> bool:
    """Whether a pod bound elsewhere may make ``pod`` fit: it has a required pod affinity
    term or a ``DoNotSchedule`` topology spread constraint (``AssignedPodAdded`` in
    ``scheduling_queue.go`` moves back only such pods; an anti-affinity term or a lack of room
    cannot be helped by another pod arriving)."""
    spec = pod["spec"]
    required = ((spec.get("affinity") or {}).get("podAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution")
    return bool(required) or any(c.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule"
                                 for c in spec.get("topologySpreadConstraints") or ())
