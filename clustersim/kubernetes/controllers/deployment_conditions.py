"""A Deployment's status conditions as the deployment controller writes them.

Upstream: kubernetes/kubernetes ``pkg/controller/deployment/util/deployment_util.go``
(``NewDeploymentCondition``, ``SetDeploymentCondition``, ``HasProgressDeadline`` and the
reasons ``DeploymentPaused`` and ``DeploymentResumed``) and ``sync.go``
(``checkPausedConditions``, which ``syncDeployment`` in ``deployment_controller.go`` runs
before it looks at ``spec.paused``).

- Every condition the controller writes carries ``lastUpdateTime`` and
  ``lastTransitionTime``, both the moment it is written; one of the same status and reason
  as the current one is not written at all; one of the same status keeps the current
  ``lastTransitionTime``; a written condition replaces the current one of its type at the
  end of the list (``kubectl describe deployment`` lists them in that order).
- A paused Deployment's ``Progressing`` condition is ``Unknown``, ``DeploymentPaused``
  (``Deployment is paused``), and a resumed one's ``Unknown``, ``DeploymentResumed``
  (``Deployment is resumed``) until its rollout's progress is next judged: the time it
  spent paused never counts against ``progressDeadlineSeconds``. A rollout already reported
  as timed out (``ProgressDeadlineExceeded``) keeps that condition, paused or not.
- A Deployment without a progress deadline (``progressDeadlineSeconds`` at the largest
  int32, which ``HasProgressDeadline`` reads as none) gets no paused or resumed condition,
  and its rollouts no ``Progressing`` condition (``syncRolloutStatus``, ``progress.go``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.objects import condition

__all__ = ["PAUSED", "RESUMED", "TIMED_OUT", "check_paused_conditions",
           "has_progress_deadline", "set_deployment_condition"]

PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
TIMED_OUT = "ProgressDeadlineExceeded"
NO_DEADLINE = 2**31 - 1
"""``math.MaxInt32``: ``HasProgressDeadline`` reads it as no deadline."""


def has_progress_deadline(d: Mapping[str, Any]) -> bool:
    """``HasProgressDeadline``: whether the Deployment's rollout has a deadline."""
    seconds = (d.get("spec") or {}).get("progressDeadlineSeconds")
    return seconds is not None and seconds != NO_DEADLINE


def set_deployment_condition(d: dict[str, Any], kind: str, status: str, reason: str,
                             message: str, now: float, *, again: bool = False) -> bool:
    """``SetDeploymentCondition`` of ``NewDeploymentCondition(kind, status, reason,
    message)`` written at ``now``; ``status`` is ``"True"``, ``"False"`` or ``"Unknown"``.
    With ``again`` it is written even with the current status and reason, as
    ``syncRolloutStatus`` writes ``ReplicaSetUpdated`` at each progress (a new
    ``lastUpdateTime``, from which the deadline counts). Returns whether it wrote
    anything."""
    conditions = d.setdefault("status", {}).setdefault("conditions", [])
    current = condition(d, kind)
    since = now
    if current is not None:
        if current.get("status") == status:
            if current.get("reason") == reason and not again:
                return False
            since = current.get("lastTransitionTime", now)
        conditions.remove(current)
    conditions.append({"type": kind, "status": status, "lastUpdateTime": now,
                       "lastTransitionTime": since, "reason": reason, "message": message})
    return True


def check_paused_conditions(d: dict[str, Any], now: float) -> bool:
    """``checkPausedConditions``: mark a paused Deployment's progress as unknown, and a
    resumed one's, so that its deadline counts from the resume. Returns whether it wrote
    anything."""
    if not has_progress_deadline(d):
        return False
    progressing = condition(d, "Progressing")
    reason = progressing.get("reason") if progressing is not None else None
    if reason == TIMED_OUT:
        return False
    paused = bool(d["spec"].get("paused"))
    if paused and reason != PAUSED:
        return set_deployment_condition(d, "Progressing", "Unknown", PAUSED,
                                        "Deployment is paused", now)
    if not paused and reason == PAUSED:
        return set_deployment_condition(d, "Progressing", "Unknown", RESUMED,
                                        "Deployment is resumed", now)
    return False
