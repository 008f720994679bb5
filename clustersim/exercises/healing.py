"""Checks for the self-healing lab: a Deployment that survives the loss of a zone; failover
timings predicted by hand.

:func:`check_zone_survival` runs the learner's Deployment on six workers, two per zone
(:func:`zone_cluster`), fails both workers of zone-a at t = 60 s and requires at least
:data:`MIN_SERVING` pods serving at every moment and :data:`TARGET` serving again within
:data:`WITHIN` seconds, with no more than :data:`BUDGET` replicas. The simulator's node
lifecycle (kubernetes/kubernetes ``pkg/controller/nodelifecycle``, ``tainteviction``) and
PodTopologySpread (``pkg/scheduler/framework/plugins/podtopologyspread``) decide the outcome.
"""

from __future__ import annotations

from typing import Any

from clustersim.exercises.answers import keyed, load_answer, number
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.scheduler.plugins.interpodaffinity import ERR_REASON_ANTI_AFFINITY
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import ERR_REASON_POD
from clustersim.kubernetes.scheduler.plugins.podtopologyspread import (
    ERR_REASON_CONSTRAINTS_NOT_MATCH,
)
from clustersim.manifests import ManifestError
from clustersim.node import Node
from clustersim.scenarios.healing import node_failure_run
from clustersim.sim import record_run
from clustersim.viz.capacity import task_counts

__all__ = ["BUDGET", "FAILOVER_AT", "FAIL_AT", "MIN_SERVING", "TARGET", "WITHIN",
           "check_failover_times", "check_zone_survival", "failover_times", "zone_cluster"]

FAIL_AT = 60.0
MIN_SERVING = 4
TARGET = 6
WITHIN = 120.0
BUDGET = 9
_STEP = 5.0


def zone_cluster() -> list[Node]:
    """Six workers (4 CPUs, 8 GiB): worker-1/2 in zone-a, 3/4 in zone-b, 5/6 in zone-c."""
    return Node.many(6, "worker", cpu=4, memory="8Gi",
                     zone=lambda i: f"zone-{'abc'[(i - 1) // 2]}")


def _one_deployment(manifest: object) -> dict[str, Any]:
    specs = load_answer(manifest, "Deployment")
    deployments = [s for s in specs if s.kind == "Deployment"]
    if len(specs) != 1 or not deployments:
        kinds = ", ".join(s.kind for s in specs) or "nothing"
        raise Wrong(f"Expected exactly one Deployment, found: {kinds}.",
                    "Write one Deployment (apiVersion: apps/v1, kind: Deployment).")
    return deployments[0].manifest


_PENDING_HINTS = (
    ("Insufficient ", "Each pod must fit a worker (4 CPUs, 8 GiB): request less CPU or memory "
                      "per pod (the task asks for 500m and 512Mi)."),
    (ERR_REASON_CONSTRAINTS_NOT_MATCH,
     "A zone spread with whenUnsatisfiable: DoNotSchedule and a small maxSkew limits how many "
     "pods a zone may hold more than the others: loosen it or use ScheduleAnyway."),
    (ERR_REASON_ANTI_AFFINITY,
     "A required pod anti-affinity allows one pod per domain of its topologyKey: over zones, "
     "six pods cannot fit in three. Make it preferred, or spread with "
     "topologySpreadConstraints."),
    (ERR_REASON_POD, "No worker matches the pod's nodeSelector or node affinity: the workers "
                     "carry topology.kubernetes.io/zone zone-a, zone-b and zone-c."),
)
"""Hints for a Pending pod, each chosen by a reason of its FailedScheduling message, as
kube-scheduler's filter plugins word them (kubernetes/kubernetes
``pkg/scheduler/framework/plugins``: noderesources ``fit.go``, podtopologyspread
``filtering.go``, interpodaffinity ``filtering.go``, nodeaffinity ``node_affinity.go``)."""


def _pending_hint(message: str) -> str:
    """The hint for the first reason of ``message`` (a FailedScheduling message) it knows."""
    found = [(message.find(reason), hint) for reason, hint in _PENDING_HINTS if reason in message]
    if found:
        return min(found)[1]
    return ("Read the scheduler's message: it names what each node lacks. Each pod must fit a "
            "worker (4 CPUs, 8 GiB).")


def _pods_in_zone(cluster: KubernetesCluster, owner: str, zone_nodes: set[str]) -> int:
    return sum(1 for p in cluster.pods() if p.owner == owner and p.node in zone_nodes)


@checker(f"Right: zone-a failed and at least {MIN_SERVING} pods served throughout; "
         f"{TARGET} served again within {WITHIN:g} s.")
def check_zone_survival(manifest: object) -> None:
    """``manifest``: a Deployment (YAML text or dict) to survive the loss of zone-a."""
    deployment = _one_deployment(manifest)
    name = deployment["metadata"]["name"]
    replicas = (deployment.get("spec") or {}).get("replicas", 1)
    if isinstance(replicas, int) and replicas > BUDGET:
        raise Wrong(f"{replicas} replicas is over the budget of {BUDGET}.",
                    "Spread fewer pods well instead of running many.")
    cluster = KubernetesCluster(zone_cluster(), seed=0)
    try:
        cluster.apply(deployment)
    except (ManifestError, ValueError) as err:
        raise Wrong(f"The API server refused it: {err}", "Fix the field it names.") from None
    owner = f"Deployment/{name}"
    cluster.run(until=FAIL_AT)
    ready = task_counts([cluster.snapshot()], owner)["serving"][0]
    if ready < TARGET:
        waiting = [p for p in cluster.pods() if p.owner == owner and not p.ready]
        if not waiting:
            raise Wrong(f"Before any failure only {ready} pod(s) serve (too few replicas).",
                        f"Run at least {TARGET} replicas, small enough to fit (each worker has "
                        "4 CPUs and 8 GiB).")
        message = waiting[0].message or waiting[0].reason or ""
        raise Wrong(f"Before any failure only {ready} pod(s) serve: {len(waiting)} stay "
                    f"Pending ({message}).", _pending_hint(message))
    zone_a = {"worker-1", "worker-2"}
    lost = _pods_in_zone(cluster, owner, zone_a)
    for node in sorted(zone_a):
        cluster.fail_node(node)
    snapshots = record_run(cluster, [FAIL_AT + i * _STEP for i in range(int(360 / _STEP) + 1)])
    serving = task_counts(snapshots, owner)["serving"]
    if min(serving) < MIN_SERVING:
        raise Wrong(f"zone-a held {lost} of your {ready} pods: only {min(serving)} served after "
                    "it failed.",
                    "Make sure no zone holds more than replicas − 4 pods: more replicas, and "
                    "topologySpreadConstraints over topology.kubernetes.io/zone.")
    back = next((s.time - FAIL_AT for s, n in zip(snapshots, serving, strict=True)
                 if n >= TARGET), None)
    if back is None or back > WITHIN:
        stuck = [p for p in cluster.pods() if p.owner == owner and p.reason == "Unschedulable"]
        spec = (deployment["spec"].get("template") or {}).get("spec") or {}
        blocking = [c for c in spec.get("topologySpreadConstraints") or []
                    if c.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule"]
        again = f"{TARGET} pods never served again" if back is None \
            else f"{TARGET} pods served again after {back:g} s"
        late = "" if back is None else f", not within {WITHIN:g} s"
        if stuck and not blocking:
            raise Wrong(f"{again}: replacements stay Pending "
                        f"({stuck[0].message}).",
                        "Four workers must hold all the pods after zone-a is gone: ask for "
                        "less CPU and memory per pod.")
        if blocking:
            raise Wrong(f"{again}.",
                        "A zone spread with whenUnsatisfiable: DoNotSchedule counts the dead "
                        "zone's domain too, so replacements elsewhere would break maxSkew and "
                        "stay Pending: use ScheduleAnyway.")
        raise Wrong(f"{again}{late}.",
                    "The node is NotReady after 50 s, and pods leave it only when their "
                    "tolerationSeconds for node.kubernetes.io/unreachable (300 s by default) run "
                    "out: tolerate it for less, or run enough spare replicas.")


FAILOVER_AT = 100.0
"""When ``node-1`` fails in the failover exercise."""


def failover_times(fail_at: float = FAILOVER_AT, toleration_seconds: float = 120,
                   inactive_after: float = 60) -> dict[str, float]:
    """Seconds from a node failure to the first replacement task running, in Kubernetes (its
    container ``Started``) and Marathon (``TASK_RUNNING``), simulated on the lab's cluster."""
    runs = {"kubernetes": node_failure_run("kubernetes", fail_at=fail_at,
                                           toleration_seconds=toleration_seconds,
                                           until=fail_at + 400, step=400),
            "marathon": node_failure_run("marathon", fail_at=fail_at,
                                         inactive_after=inactive_after, until=fail_at + 400,
                                         step=400)}
    started = {"kubernetes": "Started", "marathon": "TASK_RUNNING"}
    return {system: min(e.time for e in run.events
                        if e.reason == started[system] and e.time > fail_at) - fail_at
            for system, run in runs.items()}


_TOLERANCE = 2.0


def _counted_otherwise(seconds: float, truth: float) -> str | None:
    """A hint for an answer that is the right time counted from t = 0, or written in minutes
    (to a tenth of a minute, so within 3 s more) or in milliseconds; ``None`` for any other
    answer."""
    if abs(seconds - FAILOVER_AT - truth) <= _TOLERANCE:
        return (f"That is the time on the clock: count from the failure at t = "
                f"{FAILOVER_AT:g} s, not from t = 0.")
    if abs(seconds * 60 - truth) <= _TOLERANCE + 3:
        return "Answer in seconds, not minutes."
    if abs(seconds / 1000 - truth) <= _TOLERANCE:
        return "Answer in seconds, not milliseconds."
    return None


@checker("Right: Kubernetes waits 50 s + 120 s, then starts the container at once (the "
         "surviving nodes already have the image); Marathon waits 75 s + 60 s and launches on "
         "the next offer.")
def check_failover_times(answer: object) -> None:
    """``answer``: ``{"kubernetes": seconds, "marathon": seconds}`` from failure to the first
    replacement running (see the exercise for the settings)."""
    answer = keyed(answer, ("kubernetes", "marathon"), "system")
    truth = failover_times()
    k8s, mesos = (number(answer[system], f"the seconds for {system}", unit="seconds")
                  for system in ("kubernetes", "marathon"))
    if abs(k8s - truth["kubernetes"]) > _TOLERANCE:
        hints = {120: "The taint is only added once the node controller notices the silent "
                      "node, after --node-monitor-grace-period (50 s).",
                 300: "The taint comes after the 50 s grace period, and these pods tolerate "
                      "it for 120 s, not the default 300 s.",
                 350: "These pods tolerate the unreachable taint for 120 s, not the default "
                      "300 s.",
                 176: "The surviving nodes already run nginx:1.27, so the kubelet does not "
                      "pull it again (imagePullPolicy IfNotPresent for a tagged image)."}
        raise Wrong(f"Kubernetes: {k8s:g} s is not it.",
                    _counted_otherwise(k8s, truth["kubernetes"])
                    or next((h for t, h in hints.items() if abs(k8s - t) <= 2),
                            "Add the grace period, the toleration and the second the "
                            "container takes to start."))
    if abs(mesos - truth["marathon"]) > _TOLERANCE:
        hints = {60: "The master first has to mark the agent unreachable: 75 s without "
                     "answers to its pings (15 s × 5).",
                 75: "After TASK_UNREACHABLE Marathon still waits inactiveAfterSeconds (60 s) "
                     "before it replaces the instance."}
        raise Wrong(f"Marathon: {mesos:g} s is not it.",
                    _counted_otherwise(mesos, truth["marathon"])
                    or next((h for t, h in hints.items() if abs(mesos - t) <= 2),
                            "Add the master's 75 s and inactiveAfterSeconds; launching takes "
                            "about a second more."))
