"""The workload controllers of kube-controller-manager, one module per controller.

Each reconciles the objects of its kinds toward their spec whenever the cluster changes;
:data:`CONTROLLERS` is the order the simulated controller manager runs them in.
"""

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.controllers.cronjob import CronJobController, CronSchedule
from clustersim.kubernetes.controllers.daemonset import DaemonSetController
from clustersim.kubernetes.controllers.deployment import DeploymentController
from clustersim.kubernetes.controllers.horizontal import HorizontalController
from clustersim.kubernetes.controllers.job import JobController
from clustersim.kubernetes.controllers.persistentvolume import PersistentVolumeController
from clustersim.kubernetes.controllers.replicaset import ReplicaSetController
from clustersim.kubernetes.controllers.rollout import resolve_fenceposts
from clustersim.kubernetes.controllers.statefulset import StatefulSetController
from clustersim.kubernetes.controllers.volumeprotection import (
    PVCProtectionController,
    PVProtectionController,
)

CONTROLLERS: tuple[type[Controller], ...] = (
    HorizontalController,
    DeploymentController,
    ReplicaSetController,
    StatefulSetController,
    DaemonSetController,
    CronJobController,
    JobController,
    PersistentVolumeController,
    PVCProtectionController,
    PVProtectionController,
)

__all__ = [
    "CONTROLLERS",
    "Controller",
    "CronJobController",
    "CronSchedule",
    "DaemonSetController",
    "DeploymentController",
    "HorizontalController",
    "JobController",
    "PVCProtectionController",
    "PVProtectionController",
    "PersistentVolumeController",
    "ReplicaSetController",
    "StatefulSetController",
    "resolve_fenceposts",
]
