"""DefaultPreemption, the scheduler's PostFilter: evict lower-priority Pods so a Pod fits.

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/defaultpreemption/
default_preemption.go`` (``PodEligibleToPreemptOthers``, ``SelectVictimsOnNode``) and
``pkg/scheduler/framework/preemption/preemption.go`` (``nodesWherePreemptionMightHelp``,
``pickOneNodeForPreemption``, the ``Preempted`` event). Docs:
https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/

When a Pod fits on no node:

1. it is not eligible if its ``preemptionPolicy`` is ``Never``, or if it already has a
   ``nominatedNodeName`` where a lower-priority Pod is still terminating (it waits for them);
2. candidate nodes are those a filter rejected as ``Unschedulable`` (resolvable, e.g.
   ``Insufficient cpu``), not ``UnschedulableAndUnresolvable`` (e.g. a node selector);
3. on each candidate, all Pods of lower priority are removed; if the Pod still does not fit,
   the node is dropped; otherwise they are put back, most important first (higher priority,
   then earlier start), and each that still leaves room is reprieved. The rest are the victims;
4. one node is picked: lowest highest-victim priority, then smallest sum of victim priorities
   (each raised by 2^31 so negatives count), then fewest victims, then the latest start time of
   the highest-priority victims, then the first node in order.

Simplified: PodDisruptionBudgets are not considered (upstream reprieves PDB-protected victims
first and prefers nodes with fewer violations); every candidate node is tried (upstream
samples at least 10% of nodes or 100 in large clusters); the nominated node is not held for the
preemptor (upstream counts nominated Pods when filtering lower-priority Pods).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.framework import Code

__all__ = ["Preemption", "find_preemption", "not_eligible", "pod_priority"]

_INT32_OFFSET = 2**31
"""``math.MaxInt32 + 1``: added to each victim priority before summing."""


@dataclass(frozen=True)
class Preemption:
    """The node to nominate and the Pods to evict there (most important first)."""

    node: str
    victims: tuple[dict[str, Any], ...]


def pod_priority(pod: Mapping[str, Any]) -> int:
    """``corev1helpers.PodPriority``: ``spec.priority``, 0 when unset."""
    return int((pod.get("spec") or {}).get("priority") or 0)


def _start(pod: Mapping[str, Any]) -> float:
    status = pod.get("status") or {}
    started = status.get("startTime")
    return float(started if started is not None
                 else (pod.get("metadata") or {}).get("creationTimestamp") or 0.0)


def _importance(pod: Mapping[str, Any]) -> tuple[int, float]:
    """``MoreImportantPod`` as a sort key: higher priority, then earlier start, first."""
    return (-pod_priority(pod), _start(pod))


def _terminating(pod: Mapping[str, Any]) -> bool:
    return (pod.get("metadata") or {}).get("deletionTimestamp") is not None


def not_eligible(pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> str:
    """Why ``pod`` may not preempt (``PodEligibleToPreemptOthers``), or ``""`` if it may."""
    spec = pod.get("spec") or {}
    if spec.get("preemptionPolicy") == "Never":
        return "not eligible due to preemptionPolicy=Never."
    nominated = (pod.get("status") or {}).get("nominatedNodeName")
    for node in nodes:
        if node.name == nominated and any(
            _terminating(p) and pod_priority(p) < pod_priority(pod) for p in node.pods
        ):
            return "not eligible due to a terminating pod on the nominated node."
    return ""


def _fits(scheduler: Any, pod: Mapping[str, Any], probe: NodeInfo,
          nodes: Sequence[NodeInfo]) -> bool:
    others = [probe if n.name == probe.name else n for n in nodes]
    return probe.name not in scheduler.filter_statuses(pod, others)


def select_victims_on_node(scheduler: Any, pod: Mapping[str, Any], node: NodeInfo,
                           nodes: Sequence[NodeInfo]) -> list[dict[str, Any]] | None:
    """``SelectVictimsOnNode``: the fewest, least important lower-priority Pods to evict from
    ``node`` for ``pod`` to fit, most important first; None when evicting cannot help."""
    lower = sorted((p for p in node.pods if pod_priority(p) < pod_priority(pod)),
                   key=_importance)
    if not lower:
        return None
    probe = NodeInfo(copy.deepcopy(node.node))
    for other in node.pods:
        if not any(other is p for p in lower):
            probe.add_pod(other)
    if not _fits(scheduler, pod, probe, nodes):
        return None
    victims = []
    for candidate in lower:
        probe.add_pod(candidate)
        if not _fits(scheduler, pod, probe, nodes):
            probe.remove_pod(candidate)
            victims.append(candidate)
    return victims


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


def find_preemption(scheduler: Any, pod: Mapping[str, Any],
                    nodes: Sequence[NodeInfo]) -> Preemption | None:
    """The preemption that makes room for ``pod``, or None (no node has victims).

    ``scheduler`` is a :class:`~clustersim.kubernetes.scheduler.Scheduler`; the caller has
    checked :func:`not_eligible` and evicts the victims itself."""
    statuses = scheduler.filter_statuses(pod, nodes)
    candidates = {}
    for node in nodes:
        status = statuses.get(node.name)
        if status is None or status.code != Code.UNSCHEDULABLE:
            continue
        victims = select_victims_on_node(scheduler, pod, node, nodes)
        if victims:
            candidates[node.name] = victims
    if not candidates:
        return None
    name = _pick(candidates)
    return Preemption(name, tuple(candidates[name]))
