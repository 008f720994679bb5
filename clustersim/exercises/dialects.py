"""Checks for the "one application, three dialects" lab.

- :func:`check_api_selector`: write the selector of a Kubernetes Service that sends traffic to
  the api pods of ``shop`` and to nothing else. The check applies a Service with that selector
  next to the running application and reads its endpoints, as ``kubectl get endpoints`` would.
- :func:`check_failure_prediction`: predict, for each system, whether the db tier and the
  cache tier are ready again ten minutes after the node running them fails. The check runs the
  three simulators (:func:`clustersim.scenarios.shop.run_shop`) and compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.exercises.answers import keyed, yes_or_no
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes.controllers.deployment import HASH_LABEL
from clustersim.scenarios.shop import SYSTEMS, run_shop, shop_source

__all__ = ["check_api_selector", "check_failure_prediction", "failure_outcome"]

FAIL_AT, LOOK_AFTER = 60.0, 600.0

# Why each system ends as it does; shown when a prediction differs from the simulation.
_WHY = {
    ("kubernetes", "db"): (
        "db is a StatefulSet pod: while its node is unreachable the pod is only marked for "
        "deletion, and the StatefulSet controller will not start db-0 elsewhere until the old "
        "pod is really gone (at most one pod per identity), so it waits for the node or for "
        "`kubectl delete pod --force`."),
    ("kubernetes", "cache"): (
        "the cache pod belongs to a Deployment: 50 s after its node goes silent "
        "(--node-monitor-grace-period) the node is marked NotReady and tainted unreachable; "
        "once the pod's default toleration of 300 s runs out, it is evicted and its "
        "ReplicaSet creates a new pod on a healthy node."),
    ("marathon", "db"): (
        "postgres is a resident app (local persistent volume) with unreachableStrategy "
        "disabled: its instance keeps its reservation on the failed agent and waits for that "
        "agent to come back."),
    ("marathon", "cache"): (
        "redis is an ordinary app: once Mesos reports its agent unreachable (75 s), Marathon "
        "marks the instance unreachable and, after its unreachableStrategy's "
        "`inactiveAfterSeconds` (0 s by default since Marathon 1.5.1, so at once), schedules "
        "a replacement instance on another agent."),
    ("swarm", "db"): (
        "the db service may only run on nodes labelled disk=ssd, and the only such node is "
        "the one that failed: the new task stays pending ('no suitable node')."),
    ("swarm", "cache"): (
        "the orchestrator sees the node down and starts a new task for the slot on another "
        "node within seconds."),
}


def _service(selector: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api-check"},
            "spec": {"selector": selector, "ports": [{"port": 8080}]}}


@checker("Right: the Service's endpoints are exactly the three api pods.")
def check_api_selector(selector: object) -> None:
    """``selector``: a Service selector (a map of label → value) for the api pods of shop."""
    from clustersim.clusters import demo_nodes
    from clustersim.kubernetes import KubernetesCluster

    if not isinstance(selector, Mapping):
        raise Wrong("A Service selector is a mapping of label names to values, e.g. "
                    "{'app': 'web'}.", "Write a dict like {'key': 'value', ...}.")
    if "matchLabels" in selector or "matchExpressions" in selector:
        raise Wrong("A Service selector is a plain map: matchLabels and matchExpressions are "
                    "for Deployments, ReplicaSets and Jobs; the API server rejects them here.",
                    "Write the labels directly: {'label': 'value', ...}.")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in selector.items()):
        raise Wrong("Label values in a selector are strings.", "Quote every key and value.")
    if not selector:
        raise Wrong("An empty selector: Kubernetes then manages no endpoints for the Service "
                    "(you would list them yourself), so it sends traffic nowhere.",
                    "Name the labels the api pods carry: look at cluster.pods().")
    if HASH_LABEL in selector:
        raise Wrong(f"Your selector names {HASH_LABEL}: the Deployment controller gives "
                    "each ReplicaSet its own hash, so the next rollout's pods would not match "
                    "and the Service would lose its endpoints.",
                    "Select only on labels the Deployment's pod template sets, which every "
                    "api pod keeps across rollouts.")
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    cluster.apply(shop_source("kubernetes"))
    cluster.run(until=60)
    api = sorted(p.name for p in cluster.pods() if p.owner == "Deployment/api")
    cluster.apply([_service(dict(selector))])
    cluster.run(until=61)
    chosen = sorted(cluster.endpoints("api-check"))
    if not chosen:
        raise Wrong("Your selector matches no pod, so the Service has no endpoints.",
                    "Labels are case-sensitive and every pair must match: compare each key "
                    "and value with the labels of an api pod, printed above from "
                    "cluster.pods().")
    others = [name for name in chosen if name not in api]
    if others:
        raise Wrong(f"Your selector also picks pods of other tiers: {', '.join(others)}.",
                    "Every pod of shop carries app=shop; add the label that tells tiers "
                    "apart.")
    if chosen != api:
        raise Wrong("Some api pods are missing from the endpoints.",
                    "Select on labels every api pod carries.")


def failure_outcome(tier: str, look_after: float = LOOK_AFTER) -> dict[str, bool]:
    """Per system: is ``tier`` ready ``look_after`` seconds after the node running it fails
    (at 60 s, the application running)?"""
    times = [0.0, FAIL_AT, FAIL_AT + look_after]
    return {s: run_shop(s, fail_at=FAIL_AT, fail_tier=tier, times=times).ready[tier][-1] > 0
            for s in SYSTEMS}


@checker("Right: that is what the three systems do. Read the lab's explanation of each.")
def check_failure_prediction(prediction: object) -> None:
    """``prediction``: {"db": {system: bool}, "cache": {system: bool}}; True means the tier
    is ready again ten minutes after its node failed."""
    prediction = keyed(prediction, ("db", "cache"), "tier")
    wrong = []
    for tier in ("db", "cache"):
        guess = keyed(prediction[tier], SYSTEMS, "system")
        guess = {system: yes_or_no(guess[system], f"prediction[{tier!r}][{system!r}]")
                 for system in SYSTEMS}
        actual = failure_outcome(tier)
        wrong += [(system, tier, actual[system]) for system in SYSTEMS
                  if guess[system] != actual[system]]
    if wrong:
        system, tier, actual = wrong[0]
        raise Wrong(f"{len(wrong)} of 6 predictions differ from the simulation. "
                    f"For example, {tier} on {system} is "
                    f"{'ready' if actual else 'not ready'} ten minutes later.",
                    f"Why: {_WHY[(system, tier)]}")
