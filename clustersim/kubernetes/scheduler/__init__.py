"""kube-scheduler in miniature: the framework, the default plugins and a NumPy fast path.

``Scheduler(config, rng).schedule(pod, nodes)`` picks a node for a Pod manifest among
:class:`~clustersim.kubernetes.nodeinfo.NodeInfo` objects; ``explain`` says why each node
can or cannot take it and how each plugin scored it. Upstream: kubernetes/kubernetes
``pkg/scheduler/``.
"""

from clustersim.kubernetes.scheduler.config import Profile, load_profile
from clustersim.kubernetes.scheduler.framework import Code, CycleState, Status
from clustersim.kubernetes.scheduler.listers import StaticLister, WorkloadLister
from clustersim.kubernetes.scheduler.registry import DEFAULT_PLUGINS, REGISTRY
from clustersim.kubernetes.scheduler.scheduler import (
    Scheduler,
    ScheduleResult,
    Verdict,
    fit_error_message,
)
from clustersim.kubernetes.scheduler.taints import tolerates

__all__ = [
    "DEFAULT_PLUGINS",
    "REGISTRY",
    "Code",
    "CycleState",
    "Profile",
    "ScheduleResult",
    "Scheduler",
    "StaticLister",
    "Status",
    "Verdict",
    "WorkloadLister",
    "fit_error_message",
    "load_profile",
    "tolerates",
]
