"""The HorizontalPodAutoscaler's replica calculator for a resource utilisation target.

Upstream: kubernetes/kubernetes ``pkg/controller/podautoscaler/replica_calculator.go``
(``GetResourceReplicas``, ``groupPods``, ``calculatePodRequests``) and
``metrics/utilization.go`` (``GetResourceUtilizationRatio``). Docs:
https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/#algorithm-details

::

    utilization = sum(usage of ready Pods) * 100 // sum(their requests)     (integer percent)
    ratio       = utilization / target
    no change if 1 - scaleDown tolerance <= ratio <= 1 + scaleUp tolerance,
    else ceil(ratio * ready Pods)

The tolerances (``Tolerances.isWithin``) are ``--horizontal-pod-autoscaler-tolerance`` (0.1)
in both directions unless the HPA sets ``behavior.scaleUp.tolerance`` or
``behavior.scaleDown.tolerance`` (KEP-4951, ``HPAConfigurableTolerance``: beta and on by
default since 1.35, GA in 1.37; ``tolerancesForHpa`` in ``horizontal.go``).

Pods being deleted or failed are ignored. Pending and unready Pods ("unready") and Pods without
a metric ("missing") are left out of the first ratio; then, when scaling up, unready and
missing Pods count as using nothing, and when scaling down, missing Pods count as using their
full request (or the target, for a target above 100%). If that recount lands within the
tolerances or reverses the direction, the count stays as it is; otherwise it is
``ceil(new ratio * Pods counted)``.

Simplified: a running Pod counts as unready exactly when its Ready condition is not True
(upstream also ignores the CPU samples of Pods within ``--horizontal-pod-autoscaler-cpu-
initialization-period``, 5 minutes, of starting, and of Pods that have never been ready).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_TOLERANCE", "PodMetric", "Tolerances", "average_usage", "resource_replicas"]

DEFAULT_TOLERANCE = 0.1
"""``--horizontal-pod-autoscaler-tolerance``."""


@dataclass(frozen=True)
class Tolerances:
    """How far the usage ratio may stray from 1 before the autoscaler acts, below and above
    (upstream ``Tolerances``; each defaults to ``--horizontal-pod-autoscaler-tolerance``)."""

    scale_down: float = DEFAULT_TOLERANCE
    scale_up: float = DEFAULT_TOLERANCE

    def is_within(self, ratio: float) -> bool:
        """``isWithin``: ``1 - scaleDown <= ratio <= 1 + scaleUp``. Written as upstream writes
        it, not as ``|1 - ratio| <= tolerance``, which differs in floating point at the
        bounds (ratio 1.1 with tolerance 0.1 is within; ``abs(1 - 1.1)`` is above 0.1)."""
        return 1.0 - self.scale_down <= ratio <= 1.0 + self.scale_up


@dataclass(frozen=True)
class PodMetric:
    """What the calculator knows of one Pod selected by the target: its ``phase``
    (``Running``, ``Pending``, ``Failed``...), whether it is ``ready`` and being ``deleted``,
    its CPU ``request`` and its ``usage`` (millicores; None when metrics-server has none)."""

    name: str
    request: int
    usage: int | None
    phase: str = "Running"
    ready: bool = True
    deleted: bool = False
    unrequested: str | None = None
    """The first of its containers (and restartable init containers) that requests no CPU."""


def _utilization(usage: dict[str, int], requests: dict[str, int]) -> int:
    total_requests = sum(requests[name] for name in usage)
    if total_requests == 0:     # GetResourceUtilizationRatio (metrics/utilization.go)
        raise ValueError("no metrics returned matched known pods")
    return sum(usage.values()) * 100 // total_requests


def _grouped(pods: Sequence[PodMetric]) -> tuple[dict[str, int], list[str], list[str]]:
    """``groupPods``: the usage of the pods that count (running, ready, with metrics), and
    the names of the unready and of those without metrics; deleted and failed pods are
    ignored."""
    usage: dict[str, int] = {}
    unready, missing = [], []
    for pod in pods:
        if pod.deleted or pod.phase == "Failed":
            continue                                        # ignored
        if pod.phase == "Pending":
            unready.append(pod.name)
        elif pod.usage is None:
            missing.append(pod.name)
        elif not pod.ready:
            unready.append(pod.name)
        else:
            usage[pod.name] = pod.usage
    return usage, unready, missing


def average_usage(pods: Sequence[PodMetric]) -> int | None:
    """The mean CPU usage in millicores of the pods that count (see :func:`resource_replicas`),
    which the autoscaler reports as the metric's current ``averageValue`` (upstream's
    ``rawUtilization``); None when no pod counts."""
    usage = _grouped(pods)[0]
    return sum(usage.values()) // len(usage) if usage else None


def resource_replicas(current_replicas: int, pods: Sequence[PodMetric],
                      target_utilization: int,
                      tolerances: Tolerances = Tolerances()) -> tuple[int, int]:
    """(desired replicas, current utilisation in percent) for a Utilization target.

    Raises ValueError with upstream's words when nothing can be computed, in
    ``GetResourceReplicas``' order: metrics-server has no metric for any of the ``pods``
    (none at all included: its list is empty before the Pods are listed), a container
    without a CPU request (``calculatePodRequests``), no metric of a ready Pod."""
    if all(p.usage is None for p in pods):
        raise ValueError("unable to get metrics for resource cpu: no metrics returned from "
                         "resource metrics API")
    requests = {p.name: p.request for p in pods}
    unrequested = next((p for p in pods if p.unrequested is not None), None)
    if unrequested is not None:
        raise ValueError(f"missing request for cpu in container {unrequested.unrequested} of "
                         f"Pod {unrequested.name}")
    usage, unready, missing = _grouped(pods)
    if not usage:
        raise ValueError("did not receive metrics for targeted pods (pods might be unready)")
    utilization = _utilization(usage, requests)
    ratio = utilization / target_utilization
    rebalance = bool(unready) and ratio > 1.0
    if not rebalance and not missing:
        if tolerances.is_within(ratio):
            return current_replicas, utilization
        return math.ceil(ratio * len(usage)), utilization
    fallback = max(100, target_utilization)                 # percent of the request
    for name in missing:
        if ratio < 1.0:
            usage[name] = requests[name] * fallback // 100  # scale-down: assume 100% (or target)
        elif ratio > 1.0:
            usage[name] = 0                                 # scale-up: assume 0%
    if rebalance:
        for name in unready:
            usage[name] = 0
    new_ratio = _utilization(usage, requests) / target_utilization
    if tolerances.is_within(new_ratio) or (ratio < 1.0 < new_ratio) \
            or (new_ratio < 1.0 < ratio):
        return current_replicas, utilization
    replicas = math.ceil(new_ratio * len(usage))
    if (new_ratio < 1.0 and replicas > current_replicas) or \
            (new_ratio > 1.0 and replicas < current_replicas):
        return current_replicas, utilization
    return replicas, utilization
