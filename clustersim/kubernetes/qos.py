"""A Pod's quality-of-service class: Guaranteed, Burstable or BestEffort.

Upstream: kubernetes/kubernetes ``pkg/apis/core/v1/helper/qos/qos.go`` (``GetPodQOS`` /
``ComputePodQOS``); docs https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/. Only
``cpu`` and ``memory`` count, and only values above zero, over app and init containers:

- **BestEffort**: no container requests or limits any cpu or memory;
- **Guaranteed**: every container has both a cpu and a memory limit, and for cpu and for
  memory the summed requests equal the summed limits;
- **Burstable**: everything else.

When ``spec.resources`` (pod-level resources, beta in Kubernetes 1.34) is set, it replaces the
containers' values, as upstream does with the ``PodLevelResources`` gate on. The class is that
of the Pod as the API server stores it: a container limit without a request counts as a request
of the same size (``pkg/apis/core/v1/defaults.go``), so ``limits`` alone make a Pod Guaranteed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from clustersim.quantity import QuantityError, parse_quantity

__all__ = ["BEST_EFFORT", "BURSTABLE", "GUARANTEED", "pod_qos_class"]

GUARANTEED = "Guaranteed"
BURSTABLE = "Burstable"
BEST_EFFORT = "BestEffort"
_COMPUTE = ("cpu", "memory")


def _positive(values: Mapping[str, Any] | None, where: str) -> dict[str, Decimal]:
    """The cpu and memory quantities above zero in a requests or limits map."""
    found = {}
    for name in _COMPUTE:
        if values and name in values:
            try:
                amount = parse_quantity(values[name])
            except QuantityError as err:
                raise ValueError(f"{where}.{name}: {err}") from None
            if amount > 0:
                found[name] = amount
    return found


def _collect(items: Iterable[tuple[Mapping[str, Any], str]]) -> tuple[dict, dict, bool]:
    """Summed requests, summed limits, and whether every item had both a cpu and a memory
    limit (upstream's ``collectContainerLevelResources``)."""
    requests: dict[str, Decimal] = {}
    limits: dict[str, Decimal] = {}
    all_limited = True
    for resources, where in items:
        item_limits = _positive(resources.get("limits"), f"{where}.limits")
        # the API server's defaulting: a limit without a request is also the request
        raw_requests = {**(resources.get("limits") or {}), **(resources.get("requests") or {})}
        item_requests = _positive(raw_requests, f"{where}.requests")
        for name, amount in item_requests.items():
            requests[name] = requests.get(name, Decimal(0)) + amount
        for name, amount in item_limits.items():
            limits[name] = limits.get(name, Decimal(0)) + amount
        if set(item_limits) != set(_COMPUTE):
            all_limited = False
    return requests, limits, all_limited


def pod_qos_class(pod: Mapping[str, Any]) -> str:
    """``Guaranteed``, ``Burstable`` or ``BestEffort`` for a Pod manifest (``status.qosClass``)."""
    spec = pod.get("spec") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    if spec.get("resources"):
        items = [(spec["resources"], f"Pod {name!r} spec.resources")]
    else:
        items = [(c.get("resources") or {}, f"Pod {name!r} spec.{kind}[{i}].resources")
                 for kind in ("containers", "initContainers")
                 for i, c in enumerate(spec.get(kind) or ())]
    requests, limits, guaranteed = _collect(items)
    if not requests and not limits:
        return BEST_EFFORT
    if guaranteed and all(limits.get(n) == amount for n, amount in requests.items()) \
            and len(requests) == len(limits):
        return GUARANTEED
    return BURSTABLE
