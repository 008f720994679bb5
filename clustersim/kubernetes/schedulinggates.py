"""Pod scheduling readiness: ``spec.schedulingGates`` keep a Pod out of the scheduling queue.

Upstream: KEP-3521 (https://github.com/kubernetes/enhancements/tree/master/keps/sig-scheduling/3521-pod-scheduling-readiness),
stable in Kubernetes 1.30; the API server's ``applySchedulingGatedCondition``
(kubernetes/kubernetes ``pkg/registry/core/pod/strategy.go``), the scheduler's PreEnqueue plugin
``SchedulingGates`` (``pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go``)
and the update rule in ``pkg/apis/core/validation/validation.go`` (gates may be set only when
the Pod is created, and only removed afterwards; ``ValidatePodCreate``: no ``nodeName`` on a
gated Pod). Docs:
https://kubernetes.io/docs/concepts/scheduling-eviction/pod-scheduling-readiness/

A Pod created with gates gets the condition ``PodScheduled=False``, reason ``SchedulingGated``,
message "Scheduling is blocked due to non-empty scheduling gates", and ``kubectl get pods``
shows ``SchedulingGated``. The scheduler does not even try it: no ``FailedScheduling`` events,
no preemption. When a controller (a queue such as Kueue, a quota manager) has removed the last
gate, the Pod enters the queue and is scheduled as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.objects import set_condition

__all__ = ["GATED_MESSAGE", "GATED_REASON", "create_refusal", "mark_gated", "pre_enqueue",
           "remove_gate", "scheduling_gates"]

GATED_REASON = "SchedulingGated"
GATED_MESSAGE = "Scheduling is blocked due to non-empty scheduling gates"


def scheduling_gates(pod: Mapping[str, Any]) -> list[str]:
    """The names of the Pod's scheduling gates, in order; a gate that is not a mapping with a
    ``name`` is refused, as the API server's decoding refuses it."""
    names = []
    for index, gate in enumerate((pod.get("spec") or {}).get("schedulingGates") or []):
        if not isinstance(gate, Mapping) or not isinstance(gate.get("name"), str):
            pod_name = (pod.get("metadata") or {}).get("name", "")
            raise ValueError(f'Pod "{pod_name}": spec.schedulingGates[{index}] is {gate!r}; '
                             "each gate is a mapping with a name, e.g. "
                             "{name: example.com/queue}")
        names.append(gate["name"])
    return names


def create_refusal(pod: Mapping[str, Any]) -> str | None:
    """The API server's refusal of a new Pod bound to a node while it has scheduling gates, or
    None (``ValidatePodCreate`` in kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``: a gated Pod waits for the scheduler, so
    ``spec.nodeName``, which bypasses it, is forbidden until every gate is gone). Only on
    create: on an update ``nodeName`` is a field a Pod may not change at all."""
    if (pod.get("spec") or {}).get("nodeName") and scheduling_gates(pod):
        name = (pod.get("metadata") or {}).get("name", "")
        return (f'Pod "{name}" is invalid: spec.nodeName: Forbidden: cannot be set until all '
                "schedulingGates have been cleared")
    return None


def mark_gated(pod: dict[str, Any], now: float) -> None:
    """``applySchedulingGatedCondition``: on creation, a gated Pod gets its condition."""
    if scheduling_gates(pod):
        set_condition(pod, "PodScheduled", False, now, GATED_REASON, GATED_MESSAGE,
                      observed=False)


def pre_enqueue(pod: Mapping[str, Any]) -> str:
    """The ``SchedulingGates`` PreEnqueue verdict: "" to enqueue, else why not (upstream's
    UnschedulableAndUnresolvable status message, e.g. ``waiting for scheduling gates: [a b]``)."""
    gates = scheduling_gates(pod)
    return f"waiting for scheduling gates: [{' '.join(gates)}]" if gates else ""


def remove_gate(pod: dict[str, Any], name: str) -> None:
    """Remove one gate (what a controller's update does). Gates can only be removed."""
    gates = scheduling_gates(pod)
    if name not in gates:
        pod_name = (pod.get("metadata") or {}).get("name", "")
        raise ValueError(f'pod "{pod_name}" has no scheduling gate {name!r} (it has: '
                         f"{', '.join(gates) or 'none'}); gates can only be set at creation")
    spec = pod["spec"]
    spec["schedulingGates"] = [g for g in spec["schedulingGates"] if g.get("name") != name]
    if not spec["schedulingGates"]:
        del spec["schedulingGates"]
