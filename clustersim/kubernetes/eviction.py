"""The order in which the kubelet evicts Pods when its node runs short of memory.

Upstream: kubernetes/kubernetes ``pkg/kubelet/eviction/helpers.go``, ``rankMemoryPressure``:
``orderedBy(exceedMemoryRequests, priority, memory)``. Pods are evicted first if their memory
use exceeds their memory request, then lower priority before higher, then the one using the
most memory above its request. A Pod without usage figures goes first. Docs:
https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/

The QoS class (:mod:`clustersim.kubernetes.qos`) is not a key, but BestEffort Pods request
nothing, so any use exceeds their request; a Guaranteed Pod cannot exceed its request.

Simplified: the kubelet's signals, thresholds and one-Pod-per-cycle loop are not simulated;
this ranks the Pods of one node given their memory use in bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clustersim.kubernetes.nodeinfo import pod_requests

__all__ = ["rank_memory_pressure"]


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
