"""DefaultPreemption, the scheduler's PostFilter: evict lower-priority Pods so a Pod fits.

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/defaultpreemption/
default_preemption.go`` (``PodEligibleToPreemptOthers``, ``SelectVictimsOnNode``,
``calculateNumCandidates``, ``GetOffsetAndNumCandidates``) and
``pkg/scheduler/framework/preemption/preemption.go`` (``Preempt``, ``findCandidates``,
``DryRunPreemption``, ``pickOneNodeForPreemption``, the ``Preempted`` event). Docs:
https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/

When a Pod fits on no node:

1. it is not eligible if its ``preemptionPolicy`` is ``Never``, or if it already has a
   ``nominatedNodeName`` where a lower-priority Pod is still terminating by preemption (its
   ``DisruptionTarget`` condition says ``PreemptionByScheduler``: it waits for them), unless
   the failed cycle's Filters found that node ``UnschedulableAndUnresolvable`` (failed,
   tainted, cordoned: then it may preempt again elsewhere). A Pod deleted for another reason
   (a rollout, ``kubectl delete``) does not make it wait;
2. the potential nodes are those the scheduling cycle's Filter rejected as ``Unschedulable``
   (resolvable, e.g. ``Insufficient cpu``), not ``UnschedulableAndUnresolvable`` (e.g. a node
   selector): the PostFilter reads the cycle's statuses, it does not filter again;
3. the potential nodes are tried in order from an offset until enough candidates are found:
   ``numCandidates`` is 10% of them (``minCandidateNodesPercentage``), at least 100
   (``minCandidateNodesAbsolute``), at most all; the offset is drawn at random only when fewer
   than all are needed (see :func:`candidate_walk`);
4. on each node tried, the Pods of lower priority are removed (none: the node is done, "No
   preemption victims found"); if the Pod still does not pass the Filters on that node, the
   node is dropped; otherwise they are put back, most important first (higher priority, then
   earlier start), and each that still leaves room is reprieved. The rest are the victims;
5. one node is picked: lowest highest-victim priority, then smallest sum of victim priorities
   (each raised by 2^31 so negatives count), then fewest victims, then the latest start time of
   the highest-priority victims, then the first node tried.

Simplified: PodDisruptionBudgets are not considered (upstream reprieves PDB-protected victims
first and prefers nodes with fewer violations); DefaultPreemptionArgs are not read (the
defaults, 10% and 100, apply); upstream tries the nodes in parallel and stops once enough
candidates are found, so which ones it finds varies, where this walk is sequential, and its
last tie goes to the first node in a Go map's random order, where here the first node tried
wins.

Each victim first gets the condition ``DisruptionTarget=True``, reason
``PreemptionByScheduler``, message ``<schedulerName>: preempting to accommodate a higher
priority pod`` (``prepareCandidate`` in ``preemption.go``; :func:`disruption_target`), then
is deleted gracefully.

The preemptor is nominated to the node (``status.nominatedNodeName`` and the scheduler's
:class:`~clustersim.kubernetes.scheduler.nominator.Nominator`) until it is bound, which clears
both, or deleted: every Filter of a Pod of no higher priority counts it there, this dry run's
included, so the room its victims free is held for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.framework import Code, Status
from clustersim.kubernetes.scheduler.nominator import pod_priority
from clustersim.kubernetes.scheduler.scheduler import PreFiltered

__all__ = ["Preemption", "disruption_target", "find_preemption", "not_eligible", "pod_priority"]

_INT32_OFFSET = 2**31
"""``math.MaxInt32 + 1``: added to each victim priority before summing."""
MIN_CANDIDATE_NODES_PERCENTAGE = 10
"""DefaultPreemptionArgs' default ``minCandidateNodesPercentage`` (``pkg/scheduler/apis/config/
v1/defaults.go``)."""
MIN_CANDIDATE_NODES_ABSOLUTE = 100
"""DefaultPreemptionArgs' default ``minCandidateNodesAbsolute``."""


@dataclass(frozen=True)
class Preemption:
    """The node to nominate and the Pods to evict there (most important first)."""

    node: str
    victims: tuple[dict[str, Any], ...]


def _start(pod: Mapping[str, Any]) -> float:
    status = pod.get("status") or {}
    started = status.get("startTime")
    return float(started if started is not None
                 else (pod.get("metadata") or {}).get("creationTimestamp") or 0.0)


def _importance(pod: Mapping[str, Any]) -> tuple[int, float]:
    """``MoreImportantPod`` as a sort key: higher priority, then earlier start, first."""
    return (-pod_priority(pod), _start(pod))


PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler"
"""``v1.PodReasonPreemptionByScheduler``: the reason of a victim's ``DisruptionTarget``."""


def disruption_target(scheduler_name: str) -> tuple[str, str]:
    """The reason and message of the ``DisruptionTarget`` condition ``prepareCandidate``
    writes on each victim before deleting it; ``scheduler_name`` is the preemptor's
    ``spec.schedulerName``."""
    return (PREEMPTION_BY_SCHEDULER,
            f"{scheduler_name}: preempting to accommodate a higher priority pod")


def _terminating_by_preemption(pod: Mapping[str, Any]) -> bool:
    """``podTerminatingByPreemption``: deleted, and its first ``DisruptionTarget`` condition
    is True with reason ``PreemptionByScheduler``."""
    if (pod.get("metadata") or {}).get("deletionTimestamp") is None:
        return False
    for condition in (pod.get("status") or {}).get("conditions") or ():
        if condition.get("type") == "DisruptionTarget":
            return condition.get("status") == "True" \
                and condition.get("reason") == PREEMPTION_BY_SCHEDULER
    return False


def not_eligible(pod: Mapping[str, Any], nodes: Sequence[NodeInfo],
                 statuses: Mapping[str, Status] | None = None) -> str:
    """Why ``pod`` may not preempt (``PodEligibleToPreemptOthers``), or ``""`` if it may.

    ``statuses``: the failed cycle's Filter statuses; when its nominated node's is
    ``UnschedulableAndUnresolvable``, the Pod may preempt again (upstream reads it from the
    cycle's ``NodeToStatus``)."""
    spec = pod.get("spec") or {}
    if spec.get("preemptionPolicy") == "Never":
        return "not eligible due to preemptionPolicy=Never."
    nominated = (pod.get("status") or {}).get("nominatedNodeName")
    if not nominated:
        return ""
    status = (statuses or {}).get(nominated)
    if status is not None and status.code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE:
        return ""
    for node in nodes:
        if node.name == nominated and any(
            _terminating_by_preemption(p) and pod_priority(p) < pod_priority(pod)
            for p in node.pods
        ):
            return "not eligible due to a terminating pod on the nominated node."
    return ""


def select_victims_on_node(scheduler: Any, pod: Mapping[str, Any], node: NodeInfo,
                           nodes: Sequence[NodeInfo],
                           base: PreFiltered | None = None) -> list[dict[str, Any]] | None:
    """``SelectVictimsOnNode``: the fewest, least important lower-priority Pods to evict from
    ``node`` for ``pod`` to fit, most important first; None when evicting cannot help.

    ``base`` is PreFilter's outcome over ``nodes`` (``Scheduler.pre_filter``, found when
    omitted); a rejection there (only NodeAffinity rejects at PreFilter, reading the Pod
    alone) stays whatever is evicted. The dry run works on a copy of ``node`` that shares
    its Node object (a spec of its own, where NodeInfo keeps its taints), as upstream's
    ``NodeInfo.Snapshot`` copies the Pods and shares the Node, and on a copy of ``base``
    (upstream clones the CycleState for each node tried): each Pod it takes off or puts
    back updates the PreFilter extensions' state in the copy (``RemovePod``/``AddPod``,
    ``Scheduler.prefilter_remove_pod``/``prefilter_add_pod``), and each check runs the
    Filters on this node alone (``Scheduler.fits_on``) without running PreFilter again."""
    priority = pod_priority(pod)
    lower = [p for p in node.pods if pod_priority(p) < priority]
    if not lower:
        return None
    lower.sort(key=_importance)
    if base is None:
        base = scheduler.pre_filter(pod, nodes)
    if base.rejection is not None:
        return None
    removed = {id(p) for p in lower}
    probe = node.snapshot(other for other in node.pods if id(other) not in removed)
    state = base.clone()
    for victim in lower:
        scheduler.prefilter_remove_pod(state, victim, probe)
    if not scheduler.fits_on(pod, nodes, probe, state):
        return None
    victims = []
    for candidate in lower:
        probe.add_pod(candidate)
        scheduler.prefilter_add_pod(state, candidate, probe)
        if not scheduler.fits_on(pod, nodes, probe, state):
            probe.remove_pod(candidate)
            scheduler.prefilter_remove_pod(state, candidate, probe)
            victims.append(candidate)
    return victims


def num_candidates(potential: int) -> int:
    """``calculateNumCandidates``: how many candidate nodes the dry run looks for among
    ``potential`` nodes (10% of them, at least 100, at most all)."""
    wanted = max(potential * MIN_CANDIDATE_NODES_PERCENTAGE // 100, MIN_CANDIDATE_NODES_ABSOLUTE)
    return min(wanted, potential)


def candidate_walk(scheduler: Any, potential: Sequence[NodeInfo]) -> tuple[list[NodeInfo], int]:
    """The potential nodes in the order ``DryRunPreemption`` tries them, and how many
    candidates it stops at (``GetOffsetAndNumCandidates``).

    Upstream draws the offset from a random source of its own (``getOffsetRand``) for every
    preemption; here it is drawn from the scheduler's seeded generator, and only when fewer
    candidates than nodes are wanted (more than 100 potential nodes): when every node is
    tried the offset changes only the order of the candidates, which upstream loses in a map
    anyway, and not drawing then keeps the small clusters' runs as they were."""
    wanted = num_candidates(len(potential))
    if wanted >= len(potential):
        return list(potential), wanted
    offset = scheduler.rng.randrange(len(potential))
    return [*potential[offset:], *potential[:offset]], wanted


def _pick(candidates: dict[str, list[dict[str, Any]]]) -> str:
    """``pickOneNodeForPreemption`` (without the PDB criterion): the criteria in order, each
    keeping only the best nodes; the first node left wins."""
    criteria = (
        lambda v: -pod_priority(v[0]),
        lambda v: -sum(pod_priority(p) + _INT32_OFFSET for p in v),
        lambda v: -len(v),
        lambda v: min(_start(p) for p in v if pod_priority(p) == pod_priority(v[0])),
    )
    names = list(candidates)
    for score in criteria:
        best = max(score(candidates[n]) for n in names)
        names = [n for n in names if score(candidates[n]) == best]
        if len(names) == 1:
            break
    return names[0]


def find_preemption(scheduler: Any, pod: Mapping[str, Any], nodes: Sequence[NodeInfo],
                    statuses: Mapping[str, Status] | None = None) -> Preemption | None:
    """The preemption that makes room for ``pod``, or None (no node has victims).

    ``scheduler`` is a :class:`~clustersim.kubernetes.scheduler.Scheduler`; ``statuses`` the
    failed cycle's Filter statuses (``ScheduleResult.statuses``; found again when omitted).
    The caller has checked :func:`not_eligible` and evicts the victims itself."""
    if statuses is None:
        statuses = scheduler.filter_statuses(pod, nodes)
    potential = [node for node in nodes if (status := statuses.get(node.name)) is not None
                 and status.code == Code.UNSCHEDULABLE]
    walk, wanted = candidate_walk(scheduler, potential)
    base = scheduler.pre_filter(pod, nodes) if walk else None
    candidates = {}
    for node in walk:
        victims = select_victims_on_node(scheduler, pod, node, nodes, base)
        if victims:
            candidates[node.name] = victims
            if len(candidates) >= wanted:
                break
    if not candidates:
        return None
    name = _pick(candidates)
    return Preemption(name, tuple(candidates[name]))
