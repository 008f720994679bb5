"""TaintToleration: NoSchedule/NoExecute taints filter, PreferNoSchedule taints lower the score.

Upstream: kubernetes/kubernetes
``pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go``. The filter reason is
the wording of Kubernetes 1.35 to 1.37 (``scheduler.KUBERNETES_VERSION``), "node(s) had
untolerated taint(s)" (kubernetes/kubernetes#134740, back-ported to 1.34 by #135023); earlier
releases named the taint: "node(s) had untolerated taint {key: value}".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.framework import (
    SUCCESS,
    CycleState,
    FilterPlugin,
    PreScorePlugin,
    ScorePlugin,
    Status,
    default_normalize_many,
    default_normalize_score,
)
from clustersim.kubernetes.scheduler.taints import find_untolerated_taint, tolerated

ERR_REASON = "node(s) had untolerated taint(s)"


def prefer_no_schedule_tolerations(pod: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Tolerations with effect PreferNoSchedule or none (``getAllTolerationPreferNoSchedule``)."""
    return [
        t
        for t in (pod.get("spec") or {}).get("tolerations") or ()
        if (t.get("effect") or "PreferNoSchedule") == "PreferNoSchedule"
    ]


def intolerable_prefer_no_schedule(
    taints: Sequence[Mapping[str, Any]], tolerations: Sequence[Mapping[str, Any]]
) -> int:
    """How many PreferNoSchedule taints no toleration matches."""
    return sum(
        1
        for taint in taints
        if taint.get("effect") == "PreferNoSchedule" and not tolerated(tolerations, taint)
    )


class TaintToleration(FilterPlugin, PreScorePlugin, ScorePlugin):
    """Filter: reject a node with an untolerated NoSchedule or NoExecute taint
    (UnschedulableAndUnresolvable). Score: the number of untolerated PreferNoSchedule taints,
    normalized in reverse (fewest → 100)."""

    name = "TaintToleration"

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        tolerations = (pod.get("spec") or {}).get("tolerations") or ()
        if find_untolerated_taint(node.taints, tolerations) is None:
            return SUCCESS
        return Status.unresolvable(ERR_REASON)

    def pre_score(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> Status:
        state.data[self.name] = prefer_no_schedule_tolerations(pod)
        return SUCCESS

    def score(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> int:
        tolerations = state.data.get(self.name)
        if tolerations is None:
            tolerations = prefer_no_schedule_tolerations(pod)
        return intolerable_prefer_no_schedule(node.taints, tolerations)

    def normalize(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: list[int]
    ) -> None:
        default_normalize_score(scores, reverse=True)

    def normalize_many(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: np.ndarray
    ) -> np.ndarray:
        return default_normalize_many(scores, reverse=True)
