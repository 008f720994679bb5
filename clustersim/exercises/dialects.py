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

# A question per prediction that differs from the simulation: it points at the mechanism that
# decides the outcome without stating the outcome (the lab explains each).
_THINK = {
    ("kubernetes", "db"): (
        "db-0 is a StatefulSet pod: may its controller start another db-0 while the old one, "
        "on a node that no longer answers, is not known to be gone?"),
    ("kubernetes", "cache"): (
        "the cache pod belongs to a Deployment: what happens to it once its node has been "
        "NotReady for longer than the pod's default toleration of 300 s?"),
    ("marathon", "db"): (
        "postgres is a resident app (a local persistent volume): where does its data live, "
        "and can Marathon launch it on another agent?"),
    ("marathon", "cache"): (
        "redis is an ordinary app: what does Marathon do with an unreachable instance once "
        "its unreachableStrategy's inactiveAfterSeconds (0 s by default since Marathon 1.5.1) "
        "has passed?"),
    ("swarm", "db"): (
        "the db service may only run on nodes labelled disk=ssd: which of them are left when "
        "its node fails?"),
    ("swarm", "cache"): (
        "what does the orchestrator do with the tasks of a node it sees down, for a service "
        "that may run on any node?"),
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
        wrong += [(system, tier) for system in SYSTEMS if guess[system] != actual[system]]
    if wrong:
        # each prediction is yes or no: naming the ones that differ would give the answer
        raise Wrong(f"{len(wrong)} of 6 predictions differ from the simulation.",
                    "Ask yourself each question before you change an answer. "
                    + " ".join(f"{tier} on {system}: {_THINK[(system, tier)]}"
                               for tier in ("db", "cache") for system in SYSTEMS))
