"""Queueing hints: whether an event may make a parked (unschedulable) Pod schedulable, asked
of the plugins that rejected it, for the two events the simulated scheduling queue decides
Pod by Pod: an update of the parked Pod's own labels, and the deletion of a nominated Pod.

Upstream: kubernetes/kubernetes ``pkg/scheduler/backend/queue/scheduling_queue.go``
(``isPodWorthRequeuing``: a Pod that no plugin rejected is worth trying again after any
event; otherwise the event must be one that a plugin among its ``UnschedulablePlugins``
registers in ``EventsToRegister``, and that plugin's ``QueueingHintFn`` must say ``Queue``).
The events are named as ``pkg/scheduler/framework/events.go`` names them:

- ``UpdatePodLabel`` of an unscheduled Pod (``PodSchedulingPropertiesChange``, which
  ``PriorityQueue.Update`` hands to ``isPodWorthRequeuing`` for a Pod among its
  unschedulable ones). Two plugins register it: InterPodAffinity, whose
  ``isSchedulableAfterPodChange`` skips any added, updated or deleted Pod that is not bound
  (the parked Pod itself included: its own test table's "update an un-scheduled pod"), and
  PodTopologySpread, whose ``isSchedulableAfterPodChange`` counts the target Pod itself
  (``involvedInTopologySpreading``) and queues it when the change makes its labels match,
  or stop matching, the selector of one of its ``DoNotSchedule`` constraints (the Pod counts
  itself in the skew it checks: ``selfMatchNum`` in ``filtering.go``).
- ``AssignedPodDelete`` of a deleted Pod that had a ``nominatedNodeName``
  (``deletePodFromSchedulingQueue`` in ``pkg/scheduler/eventhandlers.go``, offered only to
  the parked Pods of lower or equal priority, ``getLEPriorityPreCheck``: those that counted
  it as if it ran there). NodeResourcesFit's ``isSchedulableAfterPodEvent`` queues a Pod
  after the deletion of a bound or nominated Pod; NodePorts' ``isSchedulableAfterPodDeleted``
  only when the deleted Pod held a host port the parked Pod asks for; InterPodAffinity and
  PodTopologySpread skip a deleted Pod that was not bound.

Simplified: every other update of the Pod's spec moves it back without hints
(:meth:`~clustersim.kubernetes.podindex.PodIndex.updated`), and a Pod moved back is tried at
once: the backoff is left out (:mod:`~clustersim.kubernetes.controllermanager`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from clustersim.kubernetes.nodeinfo import pod_host_ports
from clustersim.kubernetes.scheduler.labels import label_selector_matches, pod_labels
from clustersim.kubernetes.scheduler.nominator import pod_priority
from clustersim.kubernetes.scheduler.plugins.nodeports import port_conflict

__all__ = ["worth_requeuing_after_label_update", "worth_requeuing_after_nominated_delete"]


def worth_requeuing_after_label_update(scheduler: Any, pod: Mapping[str, Any],
                                       old_labels: Mapping[str, str],
                                       rejectors: Collection[str]) -> bool:
    """Whether ``UpdatePodLabel`` of the parked ``pod`` (its labels were ``old_labels``)
    moves it back, ``rejectors`` being the plugins that rejected it and ``scheduler`` the
    :class:`~clustersim.kubernetes.scheduler.Scheduler` whose PodTopologySpread reads the
    constraints (a system default one included, as ``getConstraints`` builds it)."""
    if not rejectors:
        return True
    if "PodTopologySpread" not in rejectors:
        return False                # InterPodAffinity's hint skips an unbound Pod
    spread = scheduler.plugins.get("PodTopologySpread")
    if spread is None:
        return True
    try:
        constraints = spread.constraints(pod, "DoNotSchedule", scheduler.lister)
    except ValueError:
        return True                 # a hint that fails says Queue
    labels = pod_labels(pod)
    return any(label_selector_matches(c.selector, old_labels)
               != label_selector_matches(c.selector, labels) for c in constraints)


def worth_requeuing_after_nominated_delete(pod: Mapping[str, Any],
                                           deleted: Mapping[str, Any],
                                           rejectors: Collection[str]) -> bool:
    """Whether ``AssignedPodDelete`` of the nominated Pod ``deleted`` moves the parked
    ``pod`` back, ``rejectors`` being the plugins that rejected it."""
    if pod_priority(pod) > pod_priority(deleted):
        return False                # getLEPriorityPreCheck
    if not rejectors or "NodeResourcesFit" in rejectors:
        return True
    if "NodePorts" not in rejectors:
        return False
    held = dict.fromkeys(pod_host_ports(deleted), 1)
    return any(port_conflict(held, ip, protocol, port)
               for ip, protocol, port in pod_host_ports(pod))
