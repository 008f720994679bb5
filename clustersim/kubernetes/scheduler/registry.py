"""The plugin registry by name, and kube-scheduler's default plugin set with its weights.

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/registry.go`` (names) and
``pkg/scheduler/apis/config/v1/default_plugins.go`` (``getDefaultPlugins``: the multiPoint list
in this order, with score weights TaintToleration 3, NodeAffinity 2, PodTopologySpread 2,
InterPodAffinity 2, NodeResourcesFit 1, NodeResourcesBalancedAllocation 1).
"""

from __future__ import annotations

from clustersim.kubernetes.scheduler.framework import Plugin
from clustersim.kubernetes.scheduler.plugins.interpodaffinity import InterPodAffinity
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import NodeAffinity
from clustersim.kubernetes.scheduler.plugins.nodename import NodeName
from clustersim.kubernetes.scheduler.plugins.nodeports import NodePorts
from clustersim.kubernetes.scheduler.plugins.noderesources import BalancedAllocation, Fit
from clustersim.kubernetes.scheduler.plugins.nodeunschedulable import NodeUnschedulable
from clustersim.kubernetes.scheduler.plugins.podtopologyspread import PodTopologySpread
from clustersim.kubernetes.scheduler.plugins.tainttoleration import TaintToleration

__all__ = ["DEFAULT_PLUGINS", "NOT_SIMULATED", "REGISTRY"]

REGISTRY: dict[str, type[Plugin]] = {
    cls.name: cls
    for cls in (
        NodeUnschedulable,
        NodeName,
        TaintToleration,
        NodeAffinity,
        NodePorts,
        Fit,
        PodTopologySpread,
        InterPodAffinity,
        BalancedAllocation,
    )
}
"""Every plugin the simulator runs, by its upstream name."""

DEFAULT_PLUGINS: tuple[tuple[str, int], ...] = (
    ("NodeUnschedulable", 0),
    ("NodeName", 0),
    ("TaintToleration", 3),
    ("NodeAffinity", 2),
    ("NodePorts", 0),
    ("NodeResourcesFit", 1),
    ("PodTopologySpread", 2),
    ("InterPodAffinity", 2),
    ("NodeResourcesBalancedAllocation", 1),
)
"""The default profile's simulated plugins in upstream order, with their score weights."""

NOT_SIMULATED = frozenset(
    {
        "SchedulingGates",
        "PrioritySort",
        "VolumeRestrictions",
        "NodeVolumeLimits",
        "VolumeBinding",
        "VolumeZone",
        "DefaultPreemption",
        "ImageLocality",
        "DefaultBinder",
        "DynamicResources",
        "NodeDeclaredFeatures",
        "GangScheduling",
        "EBSLimits",
        "GCEPDLimits",
        "AzureDiskLimits",
        "CinderLimits",
        "SelectorSpread",
        "ServiceAffinity",
        "NodeLabel",
        "NodePreferAvoidPods",
    }
)
"""Upstream plugins a configuration may name but the simulator does not run (volumes, images,
queueing, binding). DefaultPreemption and DynamicResources are not run either, but whether
they are enabled decides whether FailedScheduling messages carry their PostFilter parts
(``no new claims to deallocate``, ``preemption: ...``)."""
