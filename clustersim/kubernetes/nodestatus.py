"""When a node's kubelet last posted its Node's status, and when its Ready condition last
changed: the times a served Node's conditions show (``lastHeartbeatTime``,
``lastTransitionTime``).

Upstream, with node leases (KEP-589, GA since v1.17) the kubelet's heartbeat is its Lease,
renewed every 10 s; its Node's status it checks every ``nodeStatusUpdateFrequency`` (10 s)
but posts only when something in it changed or when ``nodeStatusReportFrequency`` (default
5 minutes, k8s.io/kubelet ``config/v1beta1/types.go``) has passed since its last post
(``tryUpdateNodeStatus`` in kubernetes/kubernetes ``pkg/kubelet/kubelet_node_status.go``,
which remembers ``lastStatusReportTime``). Each post is a write of the Node, a new
resourceVersion, and stamps every condition's ``lastHeartbeatTime``. A kubelet that stops
(its machine down or cut off) posts nothing; the node lifecycle controller then sets its
conditions Unknown after the grace period, keeping their heartbeat times and stamping the
transition (``tryUpdateNodeHealth``, ``pkg/controller/nodelifecycle/
node_lifecycle_controller.go``).

Simplified: a post is due exactly five minutes after the last (a kubelet finds it at its
next 10 s check, and since v1.29 adds a small random delay after a change), and a kubelet
that comes back posts at once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NODE_STATUS_REPORT_FREQUENCY", "StatusReports"]

NODE_STATUS_REPORT_FREQUENCY = 300.0
"""The kubelet's ``nodeStatusReportFrequency`` (default 5 minutes), in simulated seconds."""


@dataclass
class StatusReports:
    """One node's status posts: the last one a change caused (its join, its kubelet's
    return, a new Ready condition it reported), when its kubelet stopped posting (None while
    it runs), and when its Ready condition last changed."""

    changed: float
    transition: float
    stopped: float | None = None

    def heartbeat(self, now: float) -> float:
        """The simulated time of the last post at or before ``now``: the last change's, or
        a whole number of report periods after it, while the kubelet still posted."""
        end = now if self.stopped is None else min(now, self.stopped)
        periods = max(0.0, end - self.changed) // NODE_STATUS_REPORT_FREQUENCY
        return self.changed + periods * NODE_STATUS_REPORT_FREQUENCY

    def reported(self, now: float, *, condition_changed: bool) -> None:
        """The kubelet posts now because its status changed (it is back, or reports a new
        Ready condition): the periods count from now."""
        self.changed, self.stopped = now, None
        if condition_changed:
            self.transition = now
