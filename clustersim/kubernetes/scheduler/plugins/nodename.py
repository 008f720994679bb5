"""NodeName: a pod that names its node (``spec.nodeName``) fits only that node.

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/nodename/node_name.go``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.framework import SUCCESS, CycleState, FilterPlugin, Status

ERR_REASON = "node(s) didn't match the requested node name"


class NodeName(FilterPlugin):
    """Filter: reject every node but the one in ``spec.nodeName`` (UnschedulableAndUnresolvable)."""

    name = "NodeName"

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        wanted = (pod.get("spec") or {}).get("nodeName")
        if not wanted or wanted == node.name:
            return SUCCESS
        return Status.unresolvable(ERR_REASON)
