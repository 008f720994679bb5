"""NodeUnschedulable: a cordoned node takes only pods that tolerate the unschedulable taint.

Upstream: kubernetes/kubernetes
``pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.framework import SUCCESS, CycleState, FilterPlugin, Status
from clustersim.kubernetes.scheduler.taints import tolerated

UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
ERR_REASON = "node(s) were unschedulable"


class NodeUnschedulable(FilterPlugin):
    """Filter: reject a node with ``spec.unschedulable`` unless the pod tolerates
    ``node.kubernetes.io/unschedulable:NoSchedule`` (UnschedulableAndUnresolvable)."""

    name = "NodeUnschedulable"

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        if not node.unschedulable:
            return SUCCESS
        if tolerated((pod.get("spec") or {}).get("tolerations") or (), UNSCHEDULABLE_TAINT):
            return SUCCESS
        return Status.unresolvable(ERR_REASON)
