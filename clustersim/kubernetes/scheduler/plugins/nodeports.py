"""NodePorts: a pod's host ports must be free on the node.

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/nodeports/node_ports.go`` and
``HostPortInfo.CheckConflict`` in ``pkg/scheduler/framework/types.go``: a port bound on
0.0.0.0 conflicts with the same protocol/port on any address, a port on a specific address
with the same address or 0.0.0.0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo, pod_host_ports
from clustersim.kubernetes.scheduler.framework import (
    SKIP,
    SUCCESS,
    CycleState,
    FilterPlugin,
    PreFilterPlugin,
    Status,
)

ERR_REASON = "node(s) didn't have free ports for the requested pod ports"
_ANY = "0.0.0.0"


def port_conflict(
    used: Mapping[tuple[str, str, int], int], ip: str, protocol: str, port: int
) -> bool:
    """Whether (ip, protocol, port) clashes with a host port already in ``used``."""
    if ip == _ANY:
        return any(p == port and proto == protocol for _, proto, p in used)
    return (_ANY, protocol, port) in used or (ip, protocol, port) in used


class NodePorts(PreFilterPlugin, FilterPlugin):
    """PreFilter: Skip pods without host ports. Filter: reject a node where one is taken
    (Unschedulable)."""

    name = "NodePorts"

    def pre_filter(self, state: CycleState, pod: Mapping[str, Any]) -> tuple[None, Status]:
        ports = pod_host_ports(pod)
        if not ports:
            return None, SKIP
        state.data[self.name] = ports
        return None, SUCCESS

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        ports = state.data.get(self.name)
        if ports is None:
            ports = pod_host_ports(pod)
        for ip, protocol, port in ports:
            if port_conflict(node.used_ports, ip, protocol, port):
                return Status.unschedulable(ERR_REASON)
        return SUCCESS
