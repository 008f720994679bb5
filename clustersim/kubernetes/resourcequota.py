"""The ResourceQuota admission plugin: a namespace's budget for requests, limits and Pods.

Upstream: kubernetes/kubernetes
``staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go``
(``checkRequest``: the ``exceeded quota`` and ``failed quota`` refusals, ``prettyPrint``) and
the Pod evaluator ``pkg/quota/v1/evaluator/core/pods.go`` (what a Pod uses: ``pods``,
``count/pods``, ``requests.cpu`` = ``cpu``, ``requests.memory`` = ``memory``, ``limits.cpu``,
``limits.memory``; which Pods count, ``QuotaV1Pod``; and the rule that a quota on cpu or
memory requires every container to state it). Docs:
https://kubernetes.io/docs/concepts/policy/resource-quotas/

A new Pod's usage is added to what the namespace's Pods already use; if a resource the quota
caps would go over its ``spec.hard`` value, the Pod is refused with, for example, ``exceeded
quota: team-a, requested: requests.cpu=500m, used: requests.cpu=3800m, limited:
requests.cpu=4``, listing only the resources that would be exceeded.

Simplified: ``used`` is computed from the stored Pods at admission time (upstream reads the
quota's ``status.used``, which the resource quota controller keeps up to date); quota scopes
and scope selectors, and quotas on objects other than Pods, are not evaluated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from clustersim.kubernetes.nodeinfo import pod_requests
from clustersim.quantity import QuantityError, format_quantity, parse_quantity

__all__ = ["admit_resource_quotas", "pod_quota_usage", "quota_status"]

_ALIASES = {"cpu": "requests.cpu", "memory": "requests.memory"}
_MUST_SPECIFY = ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")


def _limits(pod: Mapping[str, Any]) -> dict[str, int]:
    """Summed container limits in the scheduler's units (cpu in millicores), as
    ``resourcehelper.PodLimits`` sums app containers (init containers: their maximum)."""
    limit_pod = {"metadata": pod.get("metadata") or {}, "spec": {
        kind: [{"name": c.get("name", ""),
                "resources": {"requests": (c.get("resources") or {}).get("limits") or {}}}
               for c in (pod.get("spec") or {}).get(kind) or ()]
        for kind in ("containers", "initContainers")}}
    return pod_requests(limit_pod)


def pod_quota_usage(pod: Mapping[str, Any]) -> dict[str, Decimal]:
    """What one Pod counts against a quota, as quantities (cpu in cores)."""
    usage: dict[str, Decimal] = {"pods": Decimal(1), "count/pods": Decimal(1)}
    for prefix, amounts in (("requests", pod_requests(pod)), ("limits", _limits(pod))):
        for name in ("cpu", "memory", "ephemeral-storage"):
            if name in amounts:
                value = Decimal(amounts[name]) / (1000 if name == "cpu" else 1)
                usage[f"{prefix}.{name}"] = value
    for alias, name in _ALIASES.items():
        if name in usage:
            usage[alias] = usage[name]
    return usage


def _counts(pod: Mapping[str, Any], now: float) -> bool:
    """``QuotaV1Pod``: a Pod counts unless it finished, or it is being deleted and its grace
    period has passed."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return False
    meta = pod.get("metadata") or {}
    deleted = meta.get("deletionTimestamp")
    return deleted is None or now < deleted + (meta.get("deletionGracePeriodSeconds") or 0)


def _hard(quota: Mapping[str, Any]) -> dict[str, Decimal]:
    hard = {}
    for name, text in ((quota.get("spec") or {}).get("hard") or {}).items():
        try:
            hard[str(name)] = parse_quantity(text)
        except QuantityError as err:
            raise ValueError(f"ResourceQuota {quota['metadata']['name']!r} spec.hard.{name}: "
                             f"{err}") from None
    return hard


def quota_status(quota: Mapping[str, Any], pods: Sequence[Mapping[str, Any]],
                 now: float) -> dict[str, dict[str, str]]:
    """The quota's ``status``: ``hard`` and ``used`` for the resources it caps, as
    ``kubectl describe quota`` shows them."""
    hard = _hard(quota)
    used = _used(hard, pods, now)
    return {"hard": {n: _show(n, v) for n, v in sorted(hard.items())},
            "used": {n: _show(n, v) for n, v in sorted(used.items())}}


def _used(hard: Mapping[str, Decimal], pods: Sequence[Mapping[str, Any]],
          now: float) -> dict[str, Decimal]:
    used = dict.fromkeys(hard, Decimal(0))
    for pod in pods:
        if _counts(pod, now):
            for name, value in pod_quota_usage(pod).items():
                if name in used:
                    used[name] += value
    return used


def _show(name: str, value: Decimal) -> str:
    binary = name.endswith(("memory", "storage")) and value == value.to_integral_value()
    return format_quantity(value, binary=binary)


def _pretty(values: Mapping[str, Decimal]) -> str:
    """``prettyPrint``: ``name=quantity`` pairs sorted by name, joined by commas."""
    return ",".join(f"{name}={_show(name, values[name])}" for name in sorted(values))


def _missing(pod: Mapping[str, Any], capped: set[str]) -> str:
    """The ``must specify`` text for containers that do not state a capped resource."""
    required = {_ALIASES.get(n, n) for n in capped} & set(_MUST_SPECIFY)
    missing: dict[str, list[str]] = {}
    for kind in ("containers", "initContainers"):
        for container in (pod.get("spec") or {}).get(kind) or ():
            resources = container.get("resources") or {}
            limits = resources.get("limits") or {}
            stated = {f"limits.{n}" for n in limits}
            stated |= {f"requests.{n}" for n in {**limits, **(resources.get("requests") or {})}}
            for name in required - stated:
                missing.setdefault(name, []).append(container.get("name", ""))
    return "; ".join(f"{name} for: {','.join(sorted(names))}"
                     for name, names in sorted(missing.items()))


def admit_resource_quotas(pod: Mapping[str, Any], quotas: list[Mapping[str, Any]],
                          pods: Sequence[Mapping[str, Any]], now: float,
                          refuse: Callable[[str], Exception]) -> None:
    """Refuse ``pod`` (raise ``refuse(message)``) if it would exceed one of ``quotas`` (the
    ResourceQuota objects of its namespace), given the namespace's stored ``pods``."""
    usage = pod_quota_usage(pod)
    for quota in quotas:
        name = quota["metadata"]["name"]
        hard = _hard(quota)
        missing = _missing(pod, set(hard))
        if missing:
            raise refuse(f"failed quota: {name}: must specify {missing}")
        requested = {n: v for n, v in usage.items() if n in hard and v != 0}
        if not requested:
            continue
        used = _used(hard, pods, now)
        exceeded = sorted(n for n, v in requested.items() if used[n] + v > hard[n])
        if exceeded:
            raise refuse(
                f"exceeded quota: {name}, "
                f"requested: {_pretty({n: requested[n] for n in exceeded})}, "
                f"used: {_pretty({n: used[n] for n in exceeded})}, "
                f"limited: {_pretty({n: hard[n] for n in exceeded})}")
