"""Why a workload has no Pod at all: what a learner reads when nothing was placed and
nothing waits (a Pod that waits for a node is the scheduler's to explain).

A controller that creates no Pod leaves its reason on the objects, and this module reads it
back in the words ``kubectl`` shows (about 105 lines):

- a suspended Job: the Job controller creates no Pod while ``spec.suspend`` is true and sets
  the condition ``Suspended`` (reason ``JobSuspended``); a queue controller such as Kueue
  admits the Job by setting it to false (kubernetes/kubernetes
  ``pkg/controller/job/job_controller.go``; https://kubernetes.io/docs/concepts/workloads/controllers/job/#suspending-a-job);
- a DaemonSet that fits no node: ``status.desiredNumberScheduled`` is 0, the nodes its
  nodeSelector, node affinity and taints let it run on (``pkg/controller/daemon``);
- refused creates: each is a ``FailedCreate`` event on the object that creates the Pods (a
  Deployment's ReplicaSet, a CronJob's Job), and a ReplicaSet also sets its
  ``ReplicaFailure`` condition, which the Deployment copies (``kubectl describe`` lists it
  under Conditions; ``pkg/controller/replicaset/replica_set_utils.go``,
  ``pkg/controller/deployment/progress.go``);
- nothing asked for: a Deployment, ReplicaSet or StatefulSet with ``spec.replicas: 0``
  (``kubectl get`` shows ``0/0``), and a CronJob whose schedule has not come round yet: its
  controller creates the first Job at the first scheduled time after it was created
  (``pkg/controller/cronjob/cronjob_controllerv2.go``, ``nextScheduleTime``), shown on the
  cluster's calendar (:mod:`clustersim.kubernetes.controllers.cronjob`).

The report reads the events rather than that condition: every creator records them (a Job, a
StatefulSet and a DaemonSet set no such condition), and they count the refusals, where the
condition keeps the first one's message until a create succeeds
(:func:`~clustersim.kubernetes.controllers.replicaset.replica_failure`).
"""

from __future__ import annotations

from typing import Any

from clustersim.kubernetes.cluster import KubernetesCluster
from clustersim.kubernetes.controllers.cronjob import CronSchedule, next_run, rfc3339
from clustersim.kubernetes.objects import condition, controller_of

__all__ = ["WORKLOAD_KINDS", "daemonset_desired", "why_no_pods"]

WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")
"""The kinds whose controllers create Pods, each owner of its Pods' chain."""

_SCALED = ("Deployment", "ReplicaSet", "StatefulSet")
"""The kinds that name their Pod count in ``spec.replicas`` (1 when absent)."""

_CREATORS = ("ReplicaSet", "Job")
"""The kinds a workload creates on its way to Pods (a Deployment's, a CronJob's)."""


def _creators(cluster: KubernetesCluster, obj: dict[str, Any]) -> list[dict[str, Any]]:
    """``obj`` and every object under it that creates Pods, owner first."""
    found = [obj]
    for kind in _CREATORS:
        for child in cluster.owned(kind, obj):
            found.extend(_creators(cluster, child))
    return found


def _reason(cluster: KubernetesCluster, obj: dict[str, Any]) -> str:
    kind = obj["kind"]
    suspended = condition(obj, "Suspended") if kind == "Job" else None
    if suspended and suspended.get("status") == "True":
        return ("The Job is suspended (spec.suspend: true, condition Suspended): its "
                "controller creates no Pod until something sets suspend to false, as a "
                "queue controller such as Kueue does when it admits the Job")
    if kind == "DaemonSet" and not (obj.get("status") or {}).get("desiredNumberScheduled"):
        return ("No node fits the DaemonSet's nodeSelector, node affinity and taints, so it "
                "wants 0 Pods (desiredNumberScheduled: 0)")
    refused = sorted((e for o in _creators(cluster, obj)
                      for e in cluster.events_about(o, "FailedCreate")), key=lambda e: e.time)
    if refused:
        times = "once" if len(refused) == 1 else f"{len(refused)} times"
        return (f"No Pod was created: the API server refused the creates {times} "
                f"(FailedCreate on {refused[0].object}): {refused[0].message}")
    return _nothing_asked(cluster, obj) or \
        f"No Pod was created in {cluster.now:g} simulated seconds"


def _nothing_asked(cluster: KubernetesCluster, obj: dict[str, Any]) -> str | None:
    """Why ``obj`` has no Pod when nothing failed: it asks for none, or not yet."""
    spec = obj.get("spec") or {}
    if obj["kind"] in _SCALED and spec.get("replicas", 1) == 0:
        return (f"The {obj['kind']} asks for 0 replicas (spec.replicas: 0); scale it up "
                f"for Pods")
    if obj["kind"] != "CronJob" or cluster.owned("Job", obj):
        return None
    if spec.get("suspend"):
        return "The CronJob is suspended (spec.suspend: true): it starts no Job"
    due = next_run(CronSchedule(spec.get("schedule", "")), cluster.now, cluster.epoch)
    if due is None:
        return (f"The CronJob's schedule {spec.get('schedule')!r} names no day that comes "
                "within five years (e.g. the 31st of a 30-day month): the controller warns "
                "InvalidSchedule and starts no Job")
    return (f"The CronJob's first run is due at {rfc3339(int(cluster.epoch + due))} "
            f"(t = {due:g} s; schedule {spec.get('schedule')!r}): it has started no Job yet")


def why_no_pods(cluster: KubernetesCluster) -> list[tuple[str, str]]:
    """(``Kind/name``, why) for every top-level workload without a single Pod."""
    owners = {task.owner for task in cluster.snapshot().tasks}
    return [(f"{obj['kind']}/{obj['metadata']['name']}", _reason(cluster, obj))
            for kind in WORKLOAD_KINDS for obj in cluster.objects(kind)
            if controller_of(obj) is None
            and f"{kind}/{obj['metadata']['name']}" not in owners]


def daemonset_desired(cluster: KubernetesCluster) -> dict[str, int]:
    """``DaemonSet/name`` → the Pods its controller wants (``desiredNumberScheduled``): a
    DaemonSet names no replica count, it wants one Pod on every node it fits."""
    return {f"DaemonSet/{ds['metadata']['name']}":
            (ds.get("status") or {}).get("desiredNumberScheduled", 0)
            for ds in cluster.objects("DaemonSet")}
