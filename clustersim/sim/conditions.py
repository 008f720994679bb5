"""Conditions as they change: what a controller writes into an object's ``status`` where it
records no Event.

A Kubernetes Deployment whose rollout makes no progress for ``progressDeadlineSeconds`` is
the example the labs meet: ``syncRolloutStatus`` (kubernetes/kubernetes
``pkg/controller/deployment/progress.go``) sets its ``Progressing`` condition to ``False``
with the reason ``ProgressDeadlineExceeded`` and records no Event, so ``kubectl get events``
never shows it; ``kubectl rollout status`` and ``kubectl describe deployment`` read the
condition. :func:`condition_changes` turns the conditions read at each step of a recorded run
into a list of changes a view can draw beside the events
(:func:`clustersim.viz.timeline.event_timeline`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ConditionChange", "condition_changes"]


@dataclass(frozen=True, slots=True)
class ConditionChange:
    """One condition of ``object`` (e.g. ``deployment/web``) that took a new ``status`` or
    ``reason`` at ``time`` (simulated s: when it was written, its ``lastUpdateTime``)."""

    time: float
    object: str
    type: str
    status: str
    reason: str
    message: str


def condition_changes(obj: str, conditions: Iterable[Mapping[str, Any]],
                      seen: dict[str, tuple[str, str]]) -> list[ConditionChange]:
    """The conditions of ``obj`` whose status or reason differs from what ``seen`` holds
    for their type (``seen`` is updated): a condition written again with the same status
    and reason (a Deployment's ``ReplicaSetUpdated`` at each progress) is no change."""
    changes = []
    for condition in conditions:
        kind = str(condition.get("type", ""))
        now = (str(condition.get("status", "")), str(condition.get("reason", "")))
        if seen.get(kind) == now:
            continue
        seen[kind] = now
        changes.append(ConditionChange(float(condition.get("lastUpdateTime", 0.0)), obj, kind,
                                       *now, str(condition.get("message", ""))))
    return changes
