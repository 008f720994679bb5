"""metrics-server in miniature: CPU use of Pods from a load curve per workload.

The real metrics-server scrapes each kubelet's resource metrics (every 15 s by default,
``--metric-resolution``) and serves them through the ``metrics.k8s.io`` API that the
HorizontalPodAutoscaler and ``kubectl top`` read (https://github.com/kubernetes-sigs/metrics-server).
Here a workload (a Deployment, StatefulSet or ReplicaSet) is given a :class:`LoadCurve`: the
CPU its users demand over time, in millicores. Like requests behind a Service, the demand is
shared evenly by the workload's ready Pods; a Pod with a CPU limit is throttled to it (the
CFS quota), so it never reports more than its limit. Pods that are not ready report nothing.

Simplified: use is exact and instantaneous (the real figures are averaged over a window and
arrive up to a resolution late); memory use is not simulated: :meth:`MetricsServer.containers`,
which the served ``metrics.k8s.io`` API reports (``kubectl top``), gives each container's
memory *request* as its use (0 without one), where metrics-server reports the container's
working set measured by the kubelet.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes.nodeinfo import pod_requests
from clustersim.kubernetes.objects import controller_of, is_ready, is_terminating
from clustersim.quantity import QuantityError, parse_quantity, to_millis

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["AutoscalerSample", "ContainerUsage", "LoadCurve", "MetricsServer"]


class LoadCurve:
    """CPU demand over time: ``points`` are (seconds, CPU) pairs, linear in between and flat
    beyond the ends. CPU is a quantity (``"1500m"``, ``2``) or millicores as an int."""

    def __init__(self, points: Sequence[tuple[float, Any]]) -> None:
        if not points:
            raise ValueError("a LoadCurve needs at least one (time, cpu) point")
        parsed = []
        for index, point in enumerate(points):
            try:
                time, cpu = point
                parsed.append((float(time), _millis(cpu)))
            except (TypeError, ValueError) as err:
                raise ValueError(f"LoadCurve point {index} ({point!r}): give (seconds, cpu), "
                                 f"e.g. (60, '1500m'): {err}") from None
        parsed.sort()
        self.times = [t for t, _ in parsed]
        self.values = [v for _, v in parsed]

    def at(self, time: float) -> int:
        """The demand at ``time``, in millicores."""
        i = bisect.bisect_right(self.times, time)
        if i == 0:
            return self.values[0]
        if i == len(self.times):
            return self.values[-1]
        t0, t1 = self.times[i - 1], self.times[i]
        v0, v1 = self.values[i - 1], self.values[i]
        return round(v0 + (v1 - v0) * (time - t0) / (t1 - t0))


def _millis(cpu: Any) -> int:
    if isinstance(cpu, int) and not isinstance(cpu, bool):
        return cpu
    try:
        return to_millis(parse_quantity(cpu))
    except QuantityError as err:
        raise ValueError(str(err)) from None


@dataclass(frozen=True)
class AutoscalerSample:
    """One HPA sync: the time, the replicas before and after, the CPU utilisation it saw
    (percent of requests, None without metrics) and the demand then (millicores)."""

    time: float
    current: int
    desired: int
    utilization: int | None
    demand: int


@dataclass(frozen=True)
class ContainerUsage:
    """One container's use as metrics-server reports it: CPU in millicores, memory in bytes
    (here the container's memory request: memory use is not simulated)."""

    name: str
    cpu: int
    memory: int


class MetricsServer:
    """The load curves of a cluster's workloads and the CPU use they give each Pod."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster
        self._load: dict[tuple[str, str, str], LoadCurve] = {}
        self._history: dict[tuple[str, str], list[AutoscalerSample]] = {}

    def set_load(self, kind: str, name: str, curve: LoadCurve | Sequence[tuple[float, Any]],
                 namespace: str = "default") -> None:
        """Give workload ``kind``/``name`` a demand curve (a :class:`LoadCurve` or its points)."""
        workload = self.cluster._workload(kind, name, namespace)   # a clear error if absent
        if not isinstance(curve, LoadCurve):
            curve = LoadCurve(curve)
        self._load[(namespace, workload["kind"].lower(), name)] = curve

    def _workload(self, pod: Mapping[str, Any]) -> tuple[str, str, str] | None:
        namespace = pod["metadata"].get("namespace", "default")
        obj, ref = pod, controller_of(pod)
        while ref is not None:
            key = (namespace, ref["kind"].lower(), ref["name"])
            if key in self._load:
                return key
            obj = self.cluster.get(ref["kind"], namespace, ref["name"])
            ref = controller_of(obj) if obj is not None else None
        return None

    def demand(self, kind: str, name: str, namespace: str = "default") -> int:
        """The workload's demand now, in millicores (0 without a load curve)."""
        kind = self.cluster._workload(kind, name, namespace)["kind"]
        curve = self._load.get((namespace, kind.lower(), name))
        return curve.at(self.cluster.now) if curve else 0

    def pod_cpu(self, pod: Mapping[str, Any]) -> int | None:
        """The Pod's CPU use now in millicores, or None when metrics-server has none."""
        phase = (pod.get("status") or {}).get("phase")
        if phase != "Running" or not is_ready(pod) or is_terminating(pod):
            return None
        key = self._workload(pod)
        if key is None:
            return 0
        sharing = [p for p in self.cluster.objects("Pod", key[0])
                   if (p.get("status") or {}).get("phase") == "Running" and is_ready(p)
                   and not is_terminating(p) and self._workload(p) == key]
        share = self._load[key].at(self.cluster.now) // max(1, len(sharing))
        limits = [((c.get("resources") or {}).get("limits") or {}).get("cpu")
                  for c in pod["spec"].get("containers") or ()]
        if limits and all(limit is not None for limit in limits):
            share = min(share, sum(_millis(limit) for limit in limits))
        return share

    def containers(self, pod: Mapping[str, Any]) -> list[ContainerUsage] | None:
        """Each app container's use now, or None when the Pod has no metrics (as
        :meth:`pod_cpu`). The Pod's CPU is shared among its containers in proportion to their
        CPU requests (evenly when none has one), the rounding left to the first, so that the
        containers add up to :meth:`pod_cpu`; the simulator knows only the Pod's share of its
        workload's demand, where metrics-server reads each container's cgroup. Memory is
        each container's memory request (0 without one), memory use not being simulated."""
        cpu = self.pod_cpu(pod)
        if cpu is None:
            return None
        containers = list(pod["spec"].get("containers") or ())
        requests = [pod_requests({"metadata": pod["metadata"], "spec": {"containers": [c]}})
                    for c in containers]
        weights = [r.get("cpu", 0) for r in requests]
        if not any(weights):
            weights = [1] * len(containers)
        shares = [cpu * w // sum(weights) for w in weights]
        if shares:
            shares[0] += cpu - sum(shares)
        return [ContainerUsage(str(c.get("name", "")), share, r.get("memory", 0))
                for c, share, r in zip(containers, shares, requests, strict=True)]

    def record(self, namespace: str, name: str, sample: AutoscalerSample) -> None:
        """Keep one HPA sync for :meth:`history`."""
        self._history.setdefault((namespace, name), []).append(sample)

    def history(self, name: str, namespace: str = "default") -> list[AutoscalerSample]:
        """Every sync of HorizontalPodAutoscaler ``name``, oldest first."""
        return list(self._history.get((namespace, name), []))
