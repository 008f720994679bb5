"""Checks for the exercises of the choosing chapters: the decision helper of the 2019 case
study, the criteria, the alternatives, and the step from the simulator to a real cluster.

Weights are ranked by :func:`clustersim.decision.rank` (the sourced scores in
``clustersim/data/features.yaml``). The real-cluster predictions run the chapter's two
``kubectl`` experiments in :class:`clustersim.kubernetes.KubernetesCluster`: a resource
change that cannot be placed (kubernetes/kubernetes ``pkg/controller/deployment/rolling.go``
and the scheduler's ``FailedScheduling`` message) and ``kubectl drain`` / ``uncordon``
(``staging/src/k8s.io/kubectl/pkg/drain``); Kubernetes does not move running Pods back, which
the separate Descheduler (kubernetes-sigs/descheduler) would.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from clustersim.decision import preset_weights, rank
from clustersim.exercises.answers import classify, keyed, whole_number
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.labels import find_label, unknown_label_hint
from clustersim.features import load_features
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.messages import counted

__all__ = [
    "DUTIES", "NO_CLUSTER", "SITUATIONS", "WEB", "check_alternatives", "check_drain_prediction",
    "check_managed_duties", "check_no_cluster", "check_pending_prediction", "check_share_by_hand",
    "check_swarm_weights", "check_tie_weights", "check_top_decider", "drain_outcome",
    "pending_outcome",
]


def _weights(weights: object) -> Any:
    if not isinstance(weights, Mapping):
        raise Wrong("The weights must be a dict {criterion: weight}.",
                    "Keep the starter's dict and change its numbers.")
    try:
        return rank(weights)
    except ValueError as err:
        raise Wrong(f"rank() refuses these weights: {err}",
                    "Use criterion ids from the starter and whole numbers 0-5.") from None


def _criterion(answer: object) -> str:
    """``answer`` as a criterion id, the form the exercises ask for; a criterion's display
    name is refused with its id as the hint."""
    criteria = load_features().criteria
    if not isinstance(answer, str):
        raise Wrong("Answer with a criterion id as a string.", f"One of {', '.join(criteria)}.")
    found = find_label(answer, criteria)   # "Batch Data" is batch_data, as labels are read
    if found:
        return found
    word = answer.strip().casefold()
    for crit_id, criterion in criteria.items():
        if word == criterion.name.casefold():
            raise Wrong(f"{answer!r} is the criterion's name; the exercise asks for its id.",
                        f"Give the id, e.g. {crit_id!r}.")
    raise Wrong(f"{answer!r} is not a criterion.",
                unknown_label_hint(answer, tuple(criteria), {}, f"One of {', '.join(criteria)}."))


# --- the case study: choosing with weights --------------------------------------------------

@checker("Right: Swarm is recommended, and the explanation names what decided it.")
def check_swarm_weights(weights: object) -> None:
    """``weights``: at least four criteria above 0, under which Swarm is recommended."""
    result = _weights(weights)
    used = [c for c, w in result.weights.items() if w]
    if len(used) < 4:
        verb = "counts" if len(used) == 1 else "count"
        raise Wrong(f"Only {counted(len(used), 'criterion', 'criteria')} {verb}: that is not a "
                    "trade-off.",
                    "Give at least four criteria a weight above 0, as a real team would.")
    best = result.recommended
    if best.system != "swarm":
        worst = result.against[0] if result.recommended.system == "kubernetes" else None
        lead = result.deciders[0] if result.deciders else None
        where = f"; its largest lead is {lead.name} ({lead.margin:+d})" if lead else ""
        raise Wrong(f"{best.name} is recommended with {best.points} points, Swarm has "
                    f"{next(r.points for r in result.ranking if r.system == 'swarm')}{where}.",
                    "Swarm scores 5 on simplicity and at most 4 elsewhere; Kubernetes scores 5 "
                    "on most criteria. Weight simplicity high and the others low"
                    + (f" (Swarm already gains on {worst.name})." if worst else "."))


@checker("Right: points = sum(weight × score), possible = 5 × sum(weights), share = points / "
         "possible.")
def check_share_by_hand(answer: object) -> None:
    """``answer``: ``(points, possible)`` of Swarm under the preset ``small_team``."""
    if isinstance(answer, str) or not isinstance(answer, tuple | list) or len(answer) != 2:
        raise Wrong("The answer must be two numbers: (points, possible).",
                    "Fill in the starter's tuple.")
    points = whole_number(answer[0], "Swarm's points")
    possible = whole_number(answer[1], "the possible points")
    swarm = next(r for r in rank(preset_weights("small_team")).ranking if r.system == "swarm")
    weights = sum(c.weight for c in swarm.contributions)
    if (possible, points) == (swarm.points, swarm.possible) != (points, possible):
        raise Wrong(f"({points}, {possible}) has both numbers right, in the wrong order.",
                    f"The answer is (points, possible): Swarm's points first, then the possible "
                    f"total, which is never smaller ({points} points of {possible} possible "
                    "would be a share above 100 %).")
    if possible != swarm.possible:
        hint = ("possible = 5 × the sum of the weights (the best score, 5, on every weighted "
                "criterion)." if possible != weights else
                "The sum of the weights is only part of it: multiply by the best score, 5.")
        raise Wrong(f"{possible} is not the possible total.", hint)
    if points != swarm.points:
        hint = ("Multiply each weight by Swarm's score and add up; a weight of 0 contributes "
                "nothing." if points != sum(c.score for c in swarm.contributions if c.weight)
                else "You added the scores: multiply each by its weight first.")
        raise Wrong(f"{points} is not Swarm's points.", hint)


# --- criteria ---------------------------------------------------------------------------------

@checker("Right: the two systems tie, and the helper says so: the scores cannot decide, the "
         "things they leave out must.")
def check_tie_weights(weights: object) -> None:
    """``weights``: simplicity and exactly one other criterion above 0, Swarm and Kubernetes
    tied."""
    result = _weights(weights)
    used = sorted(c for c, w in result.weights.items() if w)
    if "simplicity" not in used or len(used) != 2:
        raise Wrong(f"The weighted criteria are {', '.join(used)}.",
                    "Weight simplicity and exactly one other criterion; set all others to 0.")
    points = {r.system: r.points for r in result.ranking}
    if points["swarm"] != points["kubernetes"]:
        other = next(c for c in used if c != "simplicity")
        scores = {s: load_features().criteria[other].scores[s].score
                  for s in ("swarm", "kubernetes")}
        raise Wrong(f"Swarm has {points['swarm']} points, Kubernetes {points['kubernetes']}.",
                    f"Simplicity gives Swarm 3 points more per unit of weight (5 vs 2); "
                    f"{other} gives Kubernetes {scores['kubernetes'] - scores['swarm']} more "
                    "per unit. Choose weights whose products cancel.")


@checker("Right: the criterion with the largest margin (weight × score difference) decided it.")
def check_top_decider(answer: object) -> None:
    """``answer``: the criterion id that gives Kubernetes its largest lead over Swarm under
    the preset ``large_platform``."""
    mine = _criterion(answer)
    result = rank(preset_weights("large_platform"), systems=["swarm", "kubernetes"])
    top = result.deciders[0]
    if mine == top.criterion:
        return
    margins = {d.criterion: d.margin for d in (*result.deciders, *result.against)}
    weight, margin = result.weights[mine], margins.get(mine, 0)
    # the lesson fits only a heavy criterion on which the systems score alike
    moral = ("A high weight decides little when the scores are close."
             if weight >= 4 and margin <= 2 * weight else
             "Work out the margin of every criterion and compare.")
    raise Wrong(f"{mine} gives Kubernetes a margin of {margin:+d} points, not the largest.",
                f"Margin = weight × (Kubernetes score − Swarm score); {mine} has weight {weight}. "
                + moral)


# --- alternatives -----------------------------------------------------------------------------

_SITUATIONS = {
    "a shop in ten retail stores, one small box per store, Kubernetes API wanted": "k3s",
    "containers and plain Java binaries under one scheduler, one binary to run": "nomad",
    "a team of three on one cloud, no one to run etcd or upgrade API servers":
        "managed kubernetes",
    "a working three-node Swarm, a small team, services described in Compose": "swarm",
}
SITUATIONS = tuple(_SITUATIONS)
"""The situations of the alternatives exercise, in order, without their answers."""
_SITUATION_HINTS = {
    "a shop in ten retail stores, one small box per store, Kubernetes API wanted": "Each store "
        "has its own small box on site, not a cloud, and wants the Kubernetes API itself: "
        "which option is a whole certified Kubernetes packed into one small binary?",
    "containers and plain Java binaries under one scheduler, one binary to run": "Plain Java "
        "binaries are not containers: which scheduler runs both through its task drivers, and "
        "ships as a single binary?",
    "a team of three on one cloud, no one to run etcd or upgrade API servers": "Nobody on the "
        "team can run etcd or upgrade API servers: who else could run the control plane?",
    "a working three-node Swarm, a small team, services described in Compose": "The cluster "
        "works, the team knows Compose, and the platform is still maintained: does anything "
        "here call for a move yet?",
}
"""Per situation, a hint at its deciding words that does not name the answer."""


_ALTERNATIVE_WORDS = {
    **dict.fromkeys(("kubernetes", "k8s", "kubeadm", "vanilla kubernetes", "OpenShift"),
                    "Kubernetes run by hand is not among the options: which form of it fits, a "
                    "small distribution on the box itself (k3s), or one that someone else runs "
                    "(managed kubernetes)?"),
    **{name: f"{name} is a managed Kubernetes service: the label is 'managed kubernetes'."
       for name in ("GKE", "EKS", "AKS")},
    **dict.fromkeys(("managed", "managed k8s"), "The label is 'managed kubernetes'."),
    **dict.fromkeys(("microk8s", "k0s"),
                    "That is another small Kubernetes distribution; the exercise's option for "
                    "one is 'k3s'."),
    **dict.fromkeys(("docker swarm", "swarm mode"), "The label is 'swarm'."),
    **dict.fromkeys(("minikube", "kind"),
                    "minikube and kind run Kubernetes on one machine for development, not in "
                    "production; among the options, the small production distribution is "
                    "'k3s'."),
    **dict.fromkeys(("mesos", "marathon", "DC/OS"),
                    "Mesos has been retired to the Apache Attic: none of these situations "
                    "starts there."),
    **dict.fromkeys(("compose", "managed containers"),
                    "That is an option of the next question, where a cluster may not be "
                    "needed at all; here each situation gets a cluster."),
}
"""Words a learner may give a situation of the alternatives exercise that are none of its
labels, the next question's labels among them."""


@checker("Right: each situation has a sensible alternative; none of them starts on Mesos.")
def check_alternatives(answer: object) -> None:
    """``answer``: k3s / nomad / managed kubernetes / swarm for each of :data:`SITUATIONS`."""
    classify(answer, _SITUATIONS, ("k3s", "nomad", "managed kubernetes", "swarm"),
             _SITUATION_HINTS, plausible=_ALTERNATIVE_WORDS)


_NO_CLUSTER = {
    "one stateless HTTP API on Google Cloud, busy in office hours and idle at night, nobody "
    "to look after servers": "managed containers",
    "an internal wiki and its database on one rented server; an hour of downtime a year is "
    "acceptable": "compose",
    "twelve teams, custom operators, GPU jobs and a platform team, on two clouds": "kubernetes",
}
"""Situations where a cluster may not be needed, and what fits (book/choosing/alternatives.md)."""
NO_CLUSTER = tuple(_NO_CLUSTER)
"""The situations of the no-cluster exercise, in order, without their answers."""
_NO_CLUSTER_HINTS = {
    next(iter(_NO_CLUSTER)): "One stateless service on one cloud, idle at night, nobody for "
        "servers: must anyone run machines at all, or can the cloud start the container per "
        "request and scale it to zero?",
    list(_NO_CLUSTER)[1]: "One server, and an hour of downtime a year is fine: what would a "
        "cluster add that restart policies on that one host do not?",
    list(_NO_CLUSTER)[2]: "Custom operators, GPU scheduling, twelve teams and two clouds: which "
        "option can be extended that far and runs the same way on both clouds?",
}
"""Per situation, a hint at its deciding words that does not name the answer."""


_NO_CLUSTER_WORDS = {
    **{name: f"{name} is a managed container service: the label is 'managed containers'."
       for name in ("Cloud Run", "Fargate", "Azure Container Apps", "Container Apps", "ECS",
                    "Amazon ECS")},
    "serverless": "Containers the cloud starts per request, with no servers of yours, are "
                  "what the label 'managed containers' says.",
    **dict.fromkeys(("docker compose", "docker-compose"), "The label is 'compose'."),
    **dict.fromkeys(("k8s", "GKE", "EKS", "AKS", "managed kubernetes"),
                    "Here any Kubernetes, run by you or by a provider, is the label "
                    "'kubernetes'."),
    **dict.fromkeys(("k3s", "nomad", "swarm"),
                    "That is an option of the previous question, which cluster to run; here "
                    "the question is whether a cluster is needed at all."),
    **dict.fromkeys(("none", "nothing", "no cluster", "docker run", "systemd", "VM"),
                    "Even without a cluster something must start and restart the containers: "
                    "on one server of your own 'compose' (with restart policies), in the cloud "
                    "'managed containers'."),
}
"""Words a learner may give a situation of the no-cluster exercise that are none of its
labels, the previous question's labels among them."""


@checker("Right: a managed container service for the request-driven API, Compose for the "
         "single server, and Kubernetes only where its extensibility is needed.")
def check_no_cluster(answer: object) -> None:
    """``answer``: managed containers / compose / kubernetes for each of :data:`NO_CLUSTER`."""
    classify(answer, _NO_CLUSTER, ("managed containers", "compose", "kubernetes"),
             _NO_CLUSTER_HINTS, plausible=_NO_CLUSTER_WORDS)


_DUTIES = {
    "running and backing up etcd": "provider",
    "patching the API servers": "provider",
    "upgrading the cluster to a supported Kubernetes version in time": "you",
    "the nodes and their upgrades (standard mode, not Autopilot)": "you",
    "RBAC rules and network policies": "you",
    "load-balancer annotations and storage classes in your manifests": "you",
}
DUTIES = tuple(_DUTIES)
"""The duties of the managed-Kubernetes exercise, in order, without their answers."""
_DUTY_HINTS = {
    "running and backing up etcd": "The control plane, etcd included, is what a managed "
        "service runs for you.",
    "patching the API servers": "API servers are part of the managed control plane.",
    "upgrading the cluster to a supported Kubernetes version in time": "You choose when to "
        "upgrade; providers follow the upstream support window and eventually upgrade clusters "
        "left behind.",
    "the nodes and their upgrades (standard mode, not Autopilot)": "In standard modes the "
        "nodes are yours; only modes such as GKE Autopilot manage them too.",
    "RBAC rules and network policies": "Everything inside the cluster is yours.",
    "load-balancer annotations and storage classes in your manifests": "Provider-specific "
        "parts are yours: keep them in a thin, separate layer.",
}


_DUTY_WORDS = {
    **dict.fromkeys(("both", "shared", "nobody"),
                    "Each duty here has one owner: is it the control plane, which the managed "
                    "service runs, or something you choose or put in the cluster?"),
    **dict.fromkeys(("me", "I", "us", "we", "yours", "customer", "user", "team", "my team"),
                    "Your own side is the label 'you'."),
    **dict.fromkeys(("cloud", "cloud provider", "vendor", "GKE", "EKS", "AKS", "Google",
                     "AWS", "Azure"), "The managed service's side is the label 'provider'."),
}
"""Words a learner may give a duty that are neither label."""


@checker("Right: managed Kubernetes removes control-plane operations, not cluster upgrades or "
         "what runs inside.")
def check_managed_duties(answer: object) -> None:
    """``answer``: "provider" or "you" for each of :data:`DUTIES`."""
    classify(answer, _DUTIES, ("provider", "you"), _DUTY_HINTS, plausible=_DUTY_WORDS)


# --- from the simulator to a real cluster -----------------------------------------------------

WEB = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                 {"name": "web", "image": "nginx:1.30",
                  "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}]}}},
}
"""Experiment 1's Deployment (``kubectl create deployment web --replicas=3``, requests set)."""


def _web(cpu: str | None = None, replicas: int = 3) -> dict[str, Any]:
    web = copy.deepcopy(WEB)
    web["spec"]["replicas"] = replicas
    if cpu:
        web["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] = cpu
    return web


def _prediction(answer: object, keys: tuple[str, ...]) -> dict[str, int]:
    answer = keyed(answer, keys)
    return {k: whole_number(answer[k], k) for k in keys}


def pending_outcome() -> dict[str, int]:
    """Experiment 1 in the simulator: old Pods running, new Pods pending, nodes counted."""
    cluster = KubernetesCluster(default_nodes(), seed=0)
    cluster.apply(_web())
    cluster.run(until=30)
    cluster.apply(_web(cpu="64"))
    cluster.run(until=120)
    pods = [p for p in cluster.pods() if p.owner == "Deployment/web"]
    pending = [p for p in pods if p.node is None]
    counted = int(pending[0].message.split("/")[1].split()[0]) if pending else 0
    return {"old_running": sum(1 for p in pods if p.ready), "new_pending": len(pending),
            "nodes_counted": counted}


@checker("Right: maxUnavailable 25 % of 3 rounds down to 0 and maxSurge up to 1: one new Pod "
         "waits, all three old ones keep serving, and the message counts all four nodes.")
def check_pending_prediction(answer: object) -> None:
    """``answer``: {old_running, new_pending, nodes_counted} after Experiment 1's
    ``kubectl set resources deployment web --requests=cpu=64``."""
    mine = _prediction(answer, ("old_running", "new_pending", "nodes_counted"))
    truth = pending_outcome()
    hints = {
        "old_running": "The default maxUnavailable is 25 %, rounded down: 25 % of 3 is 0, so no "
                       "old Pod is stopped before a new one is ready.",
        "new_pending": "The default maxSurge is 25 %, rounded up: 25 % of 3 is 1 extra Pod, and "
                       "it cannot be placed.",
        "nodes_counted": "The message counts every node, the tainted control-plane node too.",
    }
    for key, value in truth.items():
        if mine[key] != value:
            raise Wrong(f"{key} = {mine[key]} is not what happens.", hints[key])


def drain_outcome() -> dict[str, int]:
    """Experiment 2 in the simulator: six Pods, drain worker-1, then uncordon it."""
    cluster = KubernetesCluster(default_nodes(), seed=0)
    cluster.apply(_web(replicas=6))
    cluster.run(until=30)
    cluster.drain("worker-1")
    cluster.run(until=90)
    on_worker_1 = [p for p in cluster.pods() if p.node == "worker-1"]
    ready = sum(1 for p in cluster.pods() if p.ready)
    cluster.uncordon("worker-1")
    cluster.run(until=300)
    back = [p for p in cluster.pods() if p.node == "worker-1"]
    return {"on_worker_1_after_drain": len(on_worker_1), "ready_after_drain": ready,
            "on_worker_1_after_uncordon": len(back)}


@checker("Right: drain evicts, the ReplicaSet replaces the Pods elsewhere, and uncordon moves "
         "nothing back: Kubernetes never rebalances running Pods by itself.")
def check_drain_prediction(answer: object) -> None:
    """``answer``: {on_worker_1_after_drain, ready_after_drain, on_worker_1_after_uncordon}."""
    keys = ("on_worker_1_after_drain", "ready_after_drain", "on_worker_1_after_uncordon")
    mine = _prediction(answer, keys)
    truth = drain_outcome()
    hints = {
        "on_worker_1_after_drain": "drain cordons the node and evicts its Pods.",
        "ready_after_drain": "The ReplicaSet replaces every evicted Pod on the other workers, "
                             "which have room.",
        "on_worker_1_after_uncordon": "uncordon only allows new Pods: running Pods stay where "
                                      "they are (the Descheduler project would move some).",
    }
    for key in keys:
        if mine[key] != truth[key]:
            raise Wrong(f"{key} = {mine[key]} is not what happens.", hints[key])
