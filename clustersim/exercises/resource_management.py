"""Checks for the resource management chapter (``book/orchestrators/resource-management.md``).

- :func:`check_qos_classes`: the QoS class of four Pods, by hand, compared with
  :func:`clustersim.kubernetes.qos.pod_qos_class` (kubernetes/kubernetes
  ``pkg/apis/core/v1/helper/qos/qos.go``).
- :func:`check_hpa_replicas`: the HPA's proposal for two metric readings, by hand, compared
  with :func:`~clustersim.kubernetes.controllers.replica_calculator.resource_replicas`
  (``pkg/controller/podautoscaler/replica_calculator.go``).
- :func:`check_scale_down_behavior`: an HPA ``behavior`` the learner writes, run against a load
  spike in a :class:`KubernetesCluster` (``horizontal.go``: stabilisation window and policies).
- :func:`check_preemption`: which node and which Pods DefaultPreemption picks, by hand,
  compared with what the simulated scheduler does
  (``pkg/scheduler/framework/plugins/defaultpreemption``).
- :func:`check_eviction`: which Pods the kubelet evicts from a node short of memory, by hand,
  compared with the simulated eviction manager (``pkg/kubelet/eviction``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.exercises.answers import (
    answered,
    choice,
    is_whole,
    keyed,
    listed,
    load_answer,
    whole_number,
)
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.spelling import spelt_exactly
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllers.replica_calculator import PodMetric, resource_replicas
from clustersim.kubernetes.qos import pod_qos_class
from clustersim.node import Node

__all__ = ["API_POD", "EVICTION_PODS", "HPA_READINGS", "PREEMPTION_PODS", "QOS_PODS", "SPIKE",
           "autoscaling_cluster", "check_eviction", "check_hpa_replicas", "check_preemption",
           "check_qos_classes", "check_scale_down_behavior", "evicted_pods", "eviction_cluster",
           "preemption_cluster", "rescale_steps"]


def _pod(name: str, *containers: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": list(containers)}}


def _container(name: str, requests: dict[str, str] | None = None,
               limits: dict[str, str] | None = None) -> dict[str, Any]:
    resources = {k: v for k, v in (("requests", requests), ("limits", limits)) if v}
    return {"name": name, "image": "shop/app:1.0", "resources": resources}


QOS_PODS = {
    "cache": _pod("cache", _container("redis", limits={"cpu": "1", "memory": "2Gi"})),
    "web": _pod("web", _container("nginx", {"cpu": "500m", "memory": "256Mi"},
                                  {"cpu": "500m", "memory": "256Mi"}),
                _container("log-shipper")),
    "batch": _pod("batch", _container("job", {"cpu": "2", "memory": "1Gi"})),
    "debug": _pod("debug", _container("shell")),
}
"""Four Pods whose QoS class the learner works out."""

_QOS_HINTS = {
    ("cache", "Burstable"): "A limit without a request counts as a request of the same size "
                            "(API defaulting): cpu and memory requests equal their limits.",
    ("web", "Guaranteed"): "Every container must set cpu and memory limits for Guaranteed; "
                           "the log-shipper sets nothing.",
    ("web", "BestEffort"): "BestEffort means no container sets anything; nginx does.",
    ("batch", "Guaranteed"): "Requests without limits are not Guaranteed: the limits must be "
                             "set and equal the requests.",
    ("batch", "BestEffort"): "The job requests cpu and memory, so the Pod is not BestEffort.",
    ("debug", "Burstable"): "Burstable needs at least one container that requests or limits "
                            "cpu or memory; read this Pod's containers again.",
}
"""The hint for a Pod given a wrong class: the rule of that class the Pod misses, never the
right class, which is the answer."""

_QOS_CLASSES = ("Guaranteed", "Burstable", "BestEffort")
"""The values of ``status.qosClass`` (kubernetes/api ``core/v1/types.go``, ``PodQOSClass``)."""

_QOS_ALIASES = dict.fromkeys(("best effort", "best-effort", "best_effort"), "BestEffort")
"""A class written as two words, read as the class and then told its one-word spelling."""

_QOS_WORDS = {
    **dict.fromkeys(("system-cluster-critical", "system-node-critical", "critical", "high",
                     "medium", "low", "priority", "high-priority", "PriorityClass"),
                    "That is a priority (a PriorityClass), which decides who preempts whom; "
                    "the QoS class follows from the containers' requests and limits alone."),
    **dict.fromkeys(("none", "no class"),
                    "Every Pod has a QoS class: one that sets no requests or limits at all "
                    "has the lowest."),
    "bursty": "The class is named for what its Pods may do, use more than they request.",
}
"""Words a learner may give for a QoS class that are none (PriorityClass names: kubernetes
``pkg/apis/scheduling/types.go``, ``SystemClusterCritical`` and ``SystemNodeCritical``)."""


@checker("Right: cache is Guaranteed (its limits are also its requests), web and batch are "
         "Burstable, debug is BestEffort. Under memory pressure debug goes first.")
def check_qos_classes(answer: object) -> None:
    answer = keyed(answer, QOS_PODS, "Pod")
    for name, pod in QOS_PODS.items():
        given = answer[name]
        if given is None:
            raise Wrong(f"{name}: no class yet.", "Write Guaranteed, Burstable or BestEffort.")
        typed = given
        given = choice(given, _QOS_CLASSES, name, aliases=_QOS_ALIASES, plausible=_QOS_WORDS)
        right = pod_qos_class(pod)
        if given != right:
            raise Wrong(f"{name}: not {given}.", _QOS_HINTS.get(
                (name, given), "Look at every container's cpu and memory requests and limits."))
        # the class is right; its spelling is the API's enum value (PodQOSClass)
        spelt_exactly(typed, right, name,
                      f"QoS class names are exact (case-sensitive, one word): the API "
                      f"server writes "
                      f"status.qosClass as {right!r}, and a ResourceQuota scope or a "
                      "script that compares it wants that exact spelling.")


HPA_READINGS = {
    "busy": [300, 420, 510, 390],
    "quiet": [230, 260, 250, 270],
}
"""CPU use (millicores) of the 4 ready Pods of a Deployment whose Pods request 500m, under an
HPA with a 60% CPU utilisation target, at two moments."""
_REQUEST, _TARGET = 500, 60


def _proposal(levels: list[int]) -> int:
    pods = [PodMetric(f"web-{i}", _REQUEST, level) for i, level in enumerate(levels)]
    return resource_replicas(len(levels), pods, _TARGET)[0]


@checker("Right: busy is 81% of requests, 81/60 = 1.35, ceil(4 × 1.35) = 6; quiet is 50%, "
         "50/60 = 0.83, outside the tolerance, yet ceil(4 × 0.83) = 4: no change.")
def check_hpa_replicas(answer: object) -> None:
    answer = keyed(answer, HPA_READINGS)
    for name, levels in HPA_READINGS.items():
        given = answer[name]
        if not is_whole(given):
            raise Wrong(f"{name}: {given!r} is not a number of replicas.",
                        "Write a whole number for each reading.")
        given = whole_number(given, name)  # 6.0 (numpy.ceil) or numpy.int64(6) is 6
        right = _proposal(levels)
        if given == right:
            continue
        utilization = sum(levels) * 100 // (_REQUEST * len(levels))
        exact = len(levels) * utilization / _TARGET
        if given >= 10 * len(levels):      # 140 for a ratio of 1.35: a percentage
            hint = (f"{given} looks like a percentage, not a number of Pods: the utilisation is "
                    f"{utilization}%, the ratio {utilization}/{_TARGET}; the answer is "
                    f"ceil({len(levels)} × ratio) replicas.")
        elif given in (int(exact), round(exact)) and given != right:
            hint = "The HPA rounds up: desiredReplicas = ceil(currentReplicas × ratio)."
        elif given == len(levels) and right != len(levels):
            hint = (f"The ratio is {utilization}/{_TARGET} = {utilization / _TARGET:.2f}, more "
                    "than 10% away from 1, so the tolerance does not hold the count.")
        elif given < len(levels) <= right:
            hint = ("Utilisation is use divided by requests, summed over the ready Pods: "
                    f"{sum(levels)}m of {_REQUEST * len(levels)}m.")
        else:
            hint = ("utilization = sum(use) × 100 // sum(requests); ratio = utilization / "
                    "target; replicas = ceil(4 × ratio), unless |1 − ratio| ≤ 0.1.")
        raise Wrong(f"{name}: not {given}.", hint)


SPIKE = [(0, "400m"), (60, "400m"), (120, "3"), (600, "3"), (660, "400m")]
"""CPU demand on the ``web`` Deployment (linear between the points): 400m until 60 s, a ramp to
3 CPU by 120 s, eight minutes at 3 CPU (to 600 s), a ramp down, 400m again from 660 s."""


def _autoscaler(behavior: Mapping[str, Any] | None) -> dict[str, Any]:
    """The HPA of ``web`` (2 to 10 replicas, 50% CPU), with ``behavior`` if one is given."""
    spec: dict[str, Any] = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 2, "maxReplicas": 10,
        "metrics": [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}
    if behavior is not None:
        spec["behavior"] = dict(behavior)
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"}, "spec": spec}


def autoscaling_cluster(behavior: Mapping[str, Any] | None = None,
                        until: float = 1200) -> KubernetesCluster:
    """Deployment ``web`` (Pods request 500m) with an HPA (2 to 10 replicas, 50% CPU) and the
    :data:`SPIKE` load, run until ``until`` seconds."""
    cluster = KubernetesCluster(Node.many(4, "node", cpu="4", memory="16Gi"), seed=0)
    cluster.apply([
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}},
                               "spec": {"containers": [{
                                   "name": "web", "image": "shop/web:2.0",
                                   "resources": {"requests": {"cpu": "500m"}}}]}}}},
        _autoscaler(behavior)])
    cluster.metrics.set_load("deployment", "web", SPIKE)
    cluster.run(until=until)
    return cluster


def rescale_steps(cluster: KubernetesCluster) -> list[tuple[float, int]]:
    """(time, new size) of every ``SuccessfulRescale`` event."""
    return [(event.time, int(event.message.split(";")[0].split()[-1]))
            for event in cluster.events.where(reason="SuccessfulRescale")]


_DEADLINE, _WINDOW, _MOST = 900, 60, 2
_RULE_FIELDS = {"stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance"}


@checker("Right: after the load drops the HPA waits only briefly, then removes at most two "
         "Pods a minute until it is back near minReplicas.")
def check_scale_down_behavior(behavior: object) -> None:
    if not isinstance(behavior, Mapping):
        raise Wrong("behavior must be a dict, as in the starter.",
                    'Start from {"scaleDown": {...}}.')
    for direction, rules in behavior.items():
        if direction not in ("scaleUp", "scaleDown"):
            raise Wrong(f"behavior has {direction!r}: only scaleUp and scaleDown, each a dict.",
                        "behavior takes only scaleUp and scaleDown, spelled in camelCase.")
        if not isinstance(rules, Mapping):
            raise Wrong(f"behavior's {direction} is {rules!r}, not a dict of rules.",
                        f"Leave {direction} out to keep its defaults, or give it a dict such "
                        'as {"stabilizationWindowSeconds": ...}.')
        unknown = sorted(set(rules) - _RULE_FIELDS)
        if unknown:
            raise Wrong(f"{direction} has the unknown field {unknown[0]!r}.",
                        "The fields are " + ", ".join(sorted(_RULE_FIELDS)) + ".")
    load_answer(_autoscaler(behavior), "HorizontalPodAutoscaler", hint=lambda _: (
        "Fix the field the message names; spelling is camelCase "
        "(stabilizationWindowSeconds, periodSeconds)."))
    steps = rescale_steps(autoscaling_cluster(behavior))
    size = _size_at(steps, _DEADLINE)
    if size > 3:
        down = behavior.get("scaleDown") or {}
        raise Wrong(f"At {_DEADLINE} s the Deployment still has {size} replicas.",
                    "selectPolicy: Disabled turns scaling down off altogether: the HPA never "
                    "removes a Pod. Leave selectPolicy out (Max) and limit the rate with a "
                    "policy instead." if down.get("selectPolicy") == "Disabled" else
                    "scaleDown.stabilizationWindowSeconds (default 300) keeps the highest "
                    "recommendation of that many seconds: make it shorter.")
    for time, new in steps:
        removed = _size_at(steps, time - _WINDOW) - new
        if removed > _MOST:
            raise Wrong(f"By {time:g} s the HPA had removed {removed} Pods within {_WINDOW} s.",
                        'Limit the rate with a scaleDown policy such as {"type": "Pods", '
                        '"value": 2, "periodSeconds": 60}.')


def _size_at(steps: list[tuple[float, int]], time: float) -> int:
    """The replica count just after ``time`` (2 before the first step)."""
    size = 2
    for when, new in steps:
        if when <= time:
            size = new
    return size


_PRIORITIES = {"low": 100, "medium": 1000, "critical": 100000}
PREEMPTION_PODS = {
    "node-1": [("a", "1", "medium"), ("b", "1", "low"), ("c", "2", "low")],
    "node-2": [("d", "2", "medium"), ("e", "2", "medium")],
    "node-3": [("f", "3", "low"), ("g", "1", "low")],
}
"""Per node (4 CPU each): the Pods already running, as (name, CPU, PriorityClass), oldest first."""
API_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api"},
           "spec": {"priorityClassName": "critical",
                    "containers": [{"name": "api", "image": "shop/api:3.1",
                                    "resources": {"requests": {"cpu": "3"}}}]}}
"""The incoming Pod: 3 CPU, PriorityClass ``critical``."""


def preemption_cluster() -> KubernetesCluster:
    """Three full 4-CPU nodes running :data:`PREEMPTION_PODS`."""
    cluster = KubernetesCluster(Node.many(3, "node", cpu="4", memory="16Gi"), seed=0)
    cluster.apply([{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": name}, "value": value}
                   for name, value in _PRIORITIES.items()])
    for node, pods in PREEMPTION_PODS.items():
        for name, cpu, priority in pods:
            cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                           "spec": {"priorityClassName": priority,
                                    "nodeSelector": {"kubernetes.io/hostname": node},
                                    "containers": [{"name": "app", "image": "shop/app:1.0",
                                                    "resources": {"requests": {"cpu": cpu}}}]}})
            cluster.run(until=cluster.now + 5)
    return cluster


def _preempted() -> tuple[str, list[str]]:
    cluster = preemption_cluster()
    cluster.apply(API_POD)
    cluster.run(until=cluster.now + 1)
    api = cluster.get("Pod", "default", "api")
    victims = sorted(e.object.split("/", 1)[1] for e in cluster.events.where(reason="Preempted"))
    # nominated until it is bound there, which clears the nomination
    return api["spec"].get("nodeName") or api["status"].get("nominatedNodeName", ""), victims


@checker("Right: node-3, evicting only f. Every node has a victim set, but node-3's highest "
         "victim is low, like node-1's, and one victim sums to less priority than two; g is "
         "reprieved because the 3 CPU fit once f is gone.")
def check_preemption(answer: object) -> None:
    answer = keyed(answer, ("node", "victims"))
    answered(answer["node"], "the node's name, such as 'node-1'")
    node = choice(answer["node"], tuple(PREEMPTION_PODS), "node")
    everyone = [name for pods in PREEMPTION_PODS.values() for name, _, _ in pods]
    victims = listed(answer["victims"], everyone, "Pod names", example="['b']",
                     unknown=lambda name: Wrong(f"There is no Pod {name!r}.",
                                                "The Pods are " + ", ".join(everyone) + "."))
    right_node, right_victims = _preempted()
    chosen = sorted(victims)
    on_node = [name for name, _, _ in PREEMPTION_PODS[node]]
    strangers = [v for v in chosen if v not in on_node]
    if strangers:
        raise Wrong(f"{strangers[0]!r} does not run on {node}.",
                    f"The victims come from the nominated node: {node} runs "
                    f"{', '.join(on_node)}.")
    if len(set(chosen)) < len(chosen):
        raise Wrong("victims names a Pod twice.", "Name each evicted Pod once.")
    if node == right_node and chosen == right_victims:
        return
    if node == "node-2":
        raise Wrong("Not node-2.", "Its victims would be medium-priority Pods; the scheduler "
                    "first prefers the node whose most important victim matters least.")
    if node == "node-1":
        raise Wrong("Not node-1.", "node-1 and node-3 both lose only low-priority Pods; next "
                    "the scheduler compares the sum of the victims' priorities, and fewer "
                    "victims sum to less.")
    if node == right_node and set(right_victims) < set(chosen):
        raise Wrong(f"On {node} not all of {', '.join(chosen)} have to go.",
                    "After removing every lower-priority Pod, the scheduler puts them back "
                    "one by one, most important first, and keeps each that still leaves room "
                    "for 3 CPU.")
    raise Wrong(f"On {node}, evicting {', '.join(chosen) or 'nothing'} does not free 3 CPU.",
                "Evicting only those leaves less than 3 CPU free on that node: count its "
                "4 CPU and what each Pod requests.")


EVICTION_PODS = {
    "cache": ({"limits": {"cpu": "500m", "memory": "512Mi"}}, "500Mi"),
    "api": ({"requests": {"cpu": "500m", "memory": "256Mi"}}, "700Mi"),
    "batch": ({}, "650Mi"),
    "worker": ({"requests": {"cpu": "250m", "memory": "512Mi"}}, "100Mi"),
}
"""The Pods on a 2 GiB node: (resources, memory in use)."""


def eviction_cluster() -> KubernetesCluster:
    """A 2 GiB node running :data:`EVICTION_PODS`, under memory pressure from now on (98Mi
    available against the 100Mi hard threshold)."""
    from clustersim.kubernetes.eviction import memory_pressure

    cluster = KubernetesCluster([Node("node-1", cpu="4", memory="2Gi")], seed=0)
    cluster.apply([{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                    "spec": {"containers": [{"name": name, "image": "shop/app:1.0",
                                             "resources": resources}]}}
                   for name, (resources, _) in EVICTION_PODS.items()])
    cluster.run(until=30)
    memory_pressure(cluster, "node-1", {name: use for name, (_, use) in EVICTION_PODS.items()})
    return cluster


def evicted_pods() -> list[str]:
    """The Pods the simulated kubelet evicts from :func:`eviction_cluster`, in order."""
    cluster = eviction_cluster()
    cluster.run(until=cluster.now + 120)
    return [e.object.split("/", 1)[1] for e in cluster.events.where(reason="Evicted")]


@checker("Right: only batch. It and api use more than they request, batch by 650Mi, api by "
         "444Mi, so batch goes first; then 748Mi are free, above the 100Mi threshold.")
def check_eviction(answer: object) -> None:
    answer = listed(answer, list(EVICTION_PODS), "Pod names (in eviction order)",
                    example='["cache"]', ordered=True,
                    unknown=lambda name: Wrong(f"There is no Pod {name!r} on the node.",
                                               "The Pods are " + ", ".join(EVICTION_PODS) + "."))
    if answer == evicted_pods():
        return
    if not answer:
        raise Wrong("Nothing evicted?", "98Mi are available, below the 100Mi hard threshold: "
                    "the kubelet must evict.")
    if answer[0] == "api":
        hint = ("Both api and batch use more than they request; the next key is priority (the "
                "same here), then use *above the request*: 444Mi for api, 650Mi for batch.")
    elif answer[0] in ("cache", "worker"):
        hint = ("Pods that use more memory than they request go first; only api and batch do. "
                "The QoS class is not one of the keys.")
    else:
        hint = ("The kubelet evicts one Pod per 10 s cycle and stops once memory.available is "
                "back above the threshold: count what is free after each eviction.")
    raise Wrong(f"Not {', '.join(answer)}.", hint)
