"""The order in which the kubelet evicts Pods when its node runs short of memory.

Upstream: kubernetes/kubernetes ``pkg/kubelet/eviction/helpers.go``, ``rankMemoryPressure``:
``orderedBy(exceedMemoryRequests, priority, memory)``. Pods are evicted first if their memory
use exceeds their memory request, then lower priority before higher, then the one using the
most memory above its request. A Pod without usage figures goes first. Docs:
https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/

The QoS class (:mod:`clustersim.kubernetes.qos`) is not a key, but BestEffort Pods request
nothing, so any use exceeds their request; a Guaranteed Pod cannot exceed its request.

:func:`memory_pressure` runs the kubelet's eviction manager against one node
(``pkg/kubelet/eviction/eviction_manager.go``, ``synchronize``): every 10 s
(``evictionMonitoringPeriod``) it computes ``memory.available`` (here: allocatable memory minus
what the node's running Pods use) and, below the hard threshold (default
``memory.available<100Mi``), records ``EvictionThresholdMet`` on the node, taints it
``node.kubernetes.io/memory-pressure:NoSchedule`` (what the node lifecycle controller does for the
``MemoryPressure`` condition) and evicts **one** Pod, the first by :func:`rank_memory_pressure`:
phase ``Failed``, reason ``Evicted``, the kubelet's message ("The node was low on resource:
memory. Threshold quantity: 100Mi, available: ..."), a ``DisruptionTarget`` condition, no grace
period (hard threshold). Controllers replace evicted Pods elsewhere; the evicted Pod objects stay
until garbage-collected. The taint goes once the node has been below the threshold for
``--eviction-pressure-transition-period`` (5 minutes).

Simplified: memory use is given per Pod and does not change; system daemons, soft thresholds,
``minimum-reclaim``, reclaiming node-level resources first and the admission of new Pods under
pressure are not simulated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes.nodeinfo import pod_requests
from clustersim.kubernetes.objects import is_terminating, set_condition
from clustersim.quantity import QuantityError, format_quantity, parse_quantity, to_units

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["EVICTION_MONITORING_PERIOD", "PRESSURE_TRANSITION_PERIOD", "memory_pressure",
           "rank_memory_pressure"]

EVICTION_MONITORING_PERIOD = 10.0
PRESSURE_TRANSITION_PERIOD = 300.0
MEMORY_PRESSURE_TAINT = "node.kubernetes.io/memory-pressure"


def rank_memory_pressure(
    pods: Sequence[Mapping[str, Any]], usage: Mapping[str, int]
) -> list[Mapping[str, Any]]:
    """``pods`` in eviction order (first evicted first). ``usage`` maps a Pod's name to its
    memory working set in bytes; a Pod missing from it has no stats and goes first. The sort
    is stable, so Pods the three keys call equal keep their order (upstream's is not)."""

    def key(pod: Mapping[str, Any]) -> tuple[int, int, int]:
        name = (pod.get("metadata") or {}).get("name", "")
        priority = int((pod.get("spec") or {}).get("priority") or 0)
        if name not in usage:
            return (0, priority, 0)
        above = int(usage[name]) - pod_requests(pod).get("memory", 0)
        return (1 if above > 0 else 2, priority, -above)

    return sorted(pods, key=key)


def _bytes(value: Any, where: str) -> int:
    try:
        return to_units(parse_quantity(value))
    except QuantityError as err:
        raise ValueError(f"{where}: {err}") from None


def _mi(value: int) -> str:
    """A byte count as ``Quantity.String()`` prints a binary-SI quantity (``512Mi``)."""
    return format_quantity(value, binary=True)


def _message(pod: Mapping[str, Any], used: int, threshold: int, available: int) -> str:
    """The kubelet's eviction message (``evictionMessage`` in ``helpers.go``): the starved
    resource, the threshold, and the containers using more than they request."""
    text = (f"The node was low on resource: memory. Threshold quantity: {_mi(threshold)}, "
            f"available: {_mi(max(available, 0))}. ")
    containers = (pod.get("spec") or {}).get("containers") or []
    request = pod_requests(pod).get("memory", 0)
    if used > request and containers:
        name = containers[0].get("name", "")
        text += (f"Container {name} was using {_mi(used)}, request is {_mi(request)}, has "
                 "larger consumption of memory. ")
    return text


def memory_pressure(cluster: KubernetesCluster, node: str,
                    usage: Mapping[str, Any] | Callable[[Mapping[str, Any]], Any],
                    threshold: Any = "100Mi") -> None:
    """Start the eviction manager's loop on ``node``. ``usage`` gives each Pod's memory working
    set: a mapping from Pod name to a quantity (``"600Mi"``), or a function of the Pod; Pods it
    does not name use nothing. Run the cluster afterwards to see the evictions."""
    info = cluster.node(node)
    limit = _bytes(threshold, "memory.available threshold")
    capacity = info.allocatable.get("memory", 0)

    def used(pod: Mapping[str, Any]) -> int:
        name = pod["metadata"]["name"]
        value = usage(pod) if callable(usage) else usage.get(name, 0)
        return _bytes(value or 0, f"memory use of pod {name!r}")

    state = {"pressure": False}

    def cycle() -> None:
        running = [p for p in cluster.objects("Pod") if p["spec"].get("nodeName") == node
                   and (p.get("status") or {}).get("phase") == "Running"
                   and not is_terminating(p)]
        figures = {p["metadata"]["name"]: used(p) for p in running}
        available = capacity - sum(figures.values())
        if available >= limit:
            if state["pressure"]:
                state["pressure"] = False
                cluster.after(PRESSURE_TRANSITION_PERIOD, relieved, background=True)
            return
        if not state["pressure"]:
            state["pressure"] = True
            cluster.node_record(node, "EvictionThresholdMet", "Attempting to reclaim memory",
                                "Warning", kubelet=True)
            if not any(t.get("key") == MEMORY_PRESSURE_TAINT for t in info.taints):
                cluster.set_taints(node, [*info.taints, {"key": MEMORY_PRESSURE_TAINT,
                                                         "effect": "NoSchedule",
                                                         "timeAdded": cluster.now}])
        [victim] = rank_memory_pressure(running, figures)[:1]
        _evict(cluster, victim, _message(victim, figures[victim["metadata"]["name"]], limit,
                                         available))
        cluster.after(EVICTION_MONITORING_PERIOD, cycle)

    def relieved() -> None:
        if not state["pressure"]:
            cluster.set_taints(node, [t for t in info.taints
                                      if t.get("key") != MEMORY_PRESSURE_TAINT])

    cluster.after(0, cycle)


def _evict(cluster: KubernetesCluster, pod: dict[str, Any], message: str) -> None:
    """``evictPod``: the Pod fails with reason Evicted and its containers stop at once."""
    status = pod["status"]
    status.update(phase="Failed", reason="Evicted", message=message)
    set_condition(pod, "DisruptionTarget", True, cluster.now, "TerminationByKubelet",
                  "The node was low on resource: memory. ")
    set_condition(pod, "Ready", False, cluster.now, "PodFailed")
    cluster.pod_written(pod)
    cluster.kubelet_record(pod, "Evicted", message, "Warning")
    cluster.kubelet.node_down([pod])
    cluster.release(pod)
    cluster.changed()
