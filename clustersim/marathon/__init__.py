"""Marathon in miniature: a Mesos framework that runs apps, pods and group trees.

Marathon (d2iq-archive/marathon, unmaintained since 2021) keeps long-running services alive on
Mesos. This package rebuilds the parts a learner meets: path ids, the group tree and its
dependency-ordered deployment plans, constraints, rolling restarts, health checks with
backoff, ports, resident apps, and Mesos-DNS/marathon-lb service discovery.

    from clustersim import marathon
    m = cluster.register(marathon.Marathon())   # cluster: clustersim.mesos.MesosCluster
    m.deploy(source)                            # app, pod or group JSON
    marathon.deployment_plan(original, target)
    marathon.constraint_accepts(["hostname", "UNIQUE"], offer, placed)
    marathon.PathId("/a/b/c").to_hostname()
    marathon.restart_strategy(instances, upgrade_strategy, current, healthy)
"""

from clustersim.marathon.constraints import Constraint, constraint_accepts, format_attribute
from clustersim.marathon.dcos import dcos_cluster
from clustersim.marathon.discovery import MarathonLB, MesosDNS, rfc1123_label
from clustersim.marathon.framework import Deployment, Instance, Marathon
from clustersim.marathon.groups import Group, RootGroup
from clustersim.marathon.pathid import PathId
from clustersim.marathon.plan import deployment_plan
from clustersim.marathon.upgrade import UpgradeStrategy, restart_strategy

__all__ = [
    "Constraint",
    "Deployment",
    "Group",
    "Instance",
    "Marathon",
    "MarathonLB",
    "MesosDNS",
    "PathId",
    "RootGroup",
    "UpgradeStrategy",
    "constraint_accepts",
    "dcos_cluster",
    "deployment_plan",
    "format_attribute",
    "restart_strategy",
    "rfc1123_label",
]
