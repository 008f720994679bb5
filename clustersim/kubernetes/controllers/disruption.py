"""PodDisruptionBudgets: how many pods voluntary evictions (``kubectl drain``) may take.

Upstream: kubernetes/kubernetes ``pkg/controller/disruption/disruption.go`` (status:
``currentHealthy``, ``desiredHealthy``, ``disruptionsAllowed``, ``expectedPods``) and the
eviction subresource ``pkg/registry/core/pod/storage/eviction.go`` (refuses with "Cannot evict
pod as it would violate the pod's disruption budget."). Docs:
https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ and
https://kubernetes.io/docs/tasks/run-application/configure-pdb/

- ``minAvailable`` N: desiredHealthy = N (a percentage of the expected pods, rounded up).
- ``maxUnavailable`` N: desiredHealthy = expected − N (a percentage rounded up).
- disruptionsAllowed = max(0, currentHealthy − desiredHealthy); healthy = Ready.
- An eviction of a healthy pod is refused when no disruption is allowed; an unhealthy pod may
  go when the budget is met (``unhealthyPodEvictionPolicy: IfHealthyBudget``, the default),
  or always (``AlwaysAllow``).

The expected count is the scale of the pods' controllers (``getExpectedPodCount``), so a pod
being replaced still counts as expected but not as healthy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from clustersim.kubernetes.controllers.base import replicas_of
from clustersim.kubernetes.controllers.rollout import value_from_int_or_percent
from clustersim.kubernetes.objects import (
    controller_of,
    is_active,
    is_ready,
    is_terminating,
    labels_of,
    selector_matches,
    set_condition,
)

if TYPE_CHECKING:
    from clustersim.kubernetes.apiserver import APIServer

__all__ = ["MANY_BUDGETS", "REFUSED", "EvictionRefusal", "budget_refusal", "budget_settling",
           "budget_status", "can_ignore_budgets", "covering_budgets", "eviction_refusal",
           "mark_disruption_target"]

REFUSED = "Cannot evict pod as it would violate the pod's disruption budget."
MANY_BUDGETS = ("This pod has more than one PodDisruptionBudget, which the eviction "
                "subresource does not support.")
"""The eviction subresource's answer for a Pod that two budgets or more cover."""


def budget_status(cluster: APIServer, pdb: dict[str, Any]) -> dict[str, int]:
    """The budget's status as the disruption controller computes it."""
    spec = pdb.get("spec") or {}
    selector = spec.get("selector")
    namespace = pdb["metadata"]["namespace"]
    pods = [p for p in cluster.objects("Pod", namespace)
            if is_active(p) and selector_matches(selector, labels_of(p))]
    expected = _expected_pods(cluster, namespace, pods)
    healthy = sum(1 for p in pods if is_ready(p))
    if spec.get("maxUnavailable") is not None:
        desired = expected - value_from_int_or_percent(spec["maxUnavailable"], expected, True,
                                                       "maxUnavailable")
    else:
        desired = value_from_int_or_percent(spec.get("minAvailable", 1), expected, True,
                                            "minAvailable")
    desired = max(0, desired)
    return {"expectedPods": expected, "currentHealthy": healthy, "desiredHealthy": desired,
            "disruptionsAllowed": max(0, healthy - desired)}


def _expected_pods(cluster: APIServer, namespace: str,
                   pods: list[dict[str, Any]]) -> int:
    """``getExpectedPodCount``: the scale of the pods' controllers (a ReplicaSet's Deployment
    when it has one); a pod without a controller counts once."""
    scales: dict[str, int] = {}
    bare = 0
    for pod in pods:
        ref = controller_of(pod)
        owner = cluster.get(ref["kind"], namespace, ref["name"]) if ref else None
        if owner is None:
            bare += 1
            continue
        parent_ref = controller_of(owner)
        parent = cluster.get(parent_ref["kind"], namespace, parent_ref["name"]) \
            if parent_ref and parent_ref.get("kind") == "Deployment" else None
        top = parent or owner
        scales[top["metadata"]["uid"]] = replicas_of(top)
    return bare + sum(scales.values())


class EvictionRefusal(NamedTuple):
    """The eviction subresource's refusal of a Pod: the HTTP status, its message and, for a
    budget that refuses, the ``DisruptionBudget`` cause that names it."""

    code: int
    message: str
    cause: str | None = None


def eviction_refusal(cluster: APIServer, pod: dict[str, Any]) -> EvictionRefusal | None:
    """Why the eviction subresource refuses ``pod`` now, or None if it may go, in the order
    of ``EvictionREST.Create`` (kubernetes/kubernetes
    ``pkg/registry/core/pod/storage/eviction.go``): a Pod that finished, is Pending or is
    being deleted goes whatever its budgets allow (:func:`can_ignore_budgets`); a Pod that two
    budgets or more cover is a 500 (:data:`MANY_BUDGETS`) whatever each allows, before any is
    looked at; else the one budget's ``checkAndDecrement`` decides, a 429 (:data:`REFUSED`,
    :func:`budget_refusal`). The served API's eviction and the Python API's
    :meth:`~clustersim.kubernetes.nodes.Nodes.drain` both ask here."""
    budgets = [] if can_ignore_budgets(pod) else covering_budgets(cluster, pod)
    if len(budgets) > 1:
        return EvictionRefusal(500, MANY_BUDGETS)
    why = budget_refusal(cluster, pod, budgets[0]) if budgets else None
    return EvictionRefusal(429, REFUSED, why) if why else None


def mark_disruption_target(pod: dict[str, Any], now: float) -> None:
    """The ``DisruptionTarget`` condition an evicted Pod gets before it is deleted
    (``addConditionAndDeletePod`` in ``eviction.go``: reason ``EvictionByEvictionAPI``,
    message ``Eviction API: evicting``); the API server sets no ``observedGeneration``."""
    set_condition(pod, "DisruptionTarget", True, now, "EvictionByEvictionAPI",
                  "Eviction API: evicting", observed=False)


def covering_budgets(cluster: APIServer, pod: dict[str, Any]) -> list[dict[str, Any]]:
    """The PodDisruptionBudgets of ``pod``'s namespace whose selector matches its labels
    (``getPodDisruptionBudgets`` in ``eviction.go``: no selector matches no Pod, an empty
    one every Pod)."""
    return [pdb for pdb in cluster.objects("PodDisruptionBudget", pod["metadata"]["namespace"])
            if selector_matches((pdb.get("spec") or {}).get("selector"), labels_of(pod))]


def budget_refusal(cluster: APIServer, pod: dict[str, Any], pdb: dict[str, Any]) -> str | None:
    """Why ``pdb`` refuses to let ``pod`` go now, as the eviction subresource's
    ``DisruptionBudget`` cause words it (``checkAndDecrement``: ``The disruption budget web
    needs 2 healthy pods and has 2 currently``), or None. A Pod that is not Ready may go
    whatever the budget allows when its ``unhealthyPodEvictionPolicy`` is ``AlwaysAllow``,
    and under the default ``IfHealthyBudget`` when the budget is met
    (``currentHealthy >= desiredHealthy > 0``); else a disruption must be allowed. The
    budget's status is computed afresh and kept on it."""
    status = budget_status(cluster, pdb)
    pdb["status"] = status
    policy = (pdb.get("spec") or {}).get("unhealthyPodEvictionPolicy")
    if not is_ready(pod) and (policy == "AlwaysAllow" or status["currentHealthy"] >=
                              status["desiredHealthy"] > 0):
        return None
    if status["disruptionsAllowed"] > 0:
        return None
    return (f"The disruption budget {pdb['metadata']['name']} needs "
            f"{status['desiredHealthy']} healthy pods and has {status['currentHealthy']} "
            "currently")


def can_ignore_budgets(pod: dict[str, Any]) -> bool:
    """``canIgnorePDB``: a Pod that has finished, is still Pending or is being deleted is
    evicted without a look at its budgets."""
    phase = (pod.get("status") or {}).get("phase")
    return phase in ("Succeeded", "Failed", "Pending") or is_terminating(pod)


def budget_settling(cluster: APIServer, pod: dict[str, Any]) -> bool:
    """Whether a budget covering ``pod`` may still change by itself (some of its pods are not
    yet healthy): a refused eviction is then worth retrying soon."""
    for pdb in cluster.objects("PodDisruptionBudget", pod["metadata"]["namespace"]):
        if selector_matches((pdb.get("spec") or {}).get("selector"), labels_of(pod)):
            status = budget_status(cluster, pdb)
            if status["currentHealthy"] < status["expectedPods"]:
                return True
    return False
