"""Checks for the chapter on orchestration (``book/foundations/orchestration.md``, exercises
in ``exercises/orchestration.ipynb``).

:func:`check_reconcile` (the actions of a replica controller, given desired and observed
state), :func:`check_filter_rank` (filter, then rank, on a small Kubernetes cluster, checked
with :meth:`clustersim.kubernetes.KubernetesCluster.explain`) and :func:`check_hand_edits`
(what the control loops do after objects are deleted or scaled by hand, played on a
:class:`~clustersim.kubernetes.KubernetesCluster`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from clustersim.exercises.answers import choice, filled, keyed, listed, whole_number
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.node import Node

__all__ = [
    "DESIRED",
    "HAND_EDITS",
    "OBSERVED",
    "PROBE",
    "check_filter_rank",
    "check_hand_edits",
    "check_reconcile",
    "filter_rank_cluster",
    "hand_edits_run",
    "reconcile",
]


# ---- orchestration: reconcile by hand -------------------------------------------------------

DESIRED = {"web": 3, "cart": 2}
"""Desired state: copies per service (``report`` was deleted from it)."""
OBSERVED = [
    {"name": "web-1", "service": "web", "node": "node-1", "state": "running"},
    {"name": "web-2", "service": "web", "node": "node-2", "state": "node lost"},
    {"name": "cart-1", "service": "cart", "node": "node-1", "state": "running"},
    {"name": "cart-2", "service": "cart", "node": "node-3", "state": "running"},
    {"name": "cart-3", "service": "cart", "node": "node-3", "state": "running"},
    {"name": "report-1", "service": "report", "node": "node-1", "state": "running"},
]
"""Observed state: containers reported by the nodes (node-2 stopped answering)."""


def reconcile(desired: Mapping[str, int], observed: list[Mapping[str, str]]) -> dict[str, int]:
    """One pass of a replica controller: per service, copies to start (> 0) or stop (< 0).

    The difference between desired and live copies, as kubernetes/kubernetes
    ``pkg/controller/replicaset/replica_set.go`` (``manageReplicas``: ``diff =
    len(activePods) - replicas``) and moby/swarmkit ``manager/orchestrator/replicated/
    services.go`` compute it. A copy on a lost node no longer counts as live (upstream the
    node controller or the dispatcher marks it first, after a grace period); a service that
    is no longer desired has a desired count of 0 (upstream its owner is deleted and the
    garbage collector removes its copies)."""
    live = Counter(c["service"] for c in observed if c["state"] == "running")
    return {s: desired.get(s, 0) - live[s] for s in sorted(set(desired) | set(live))
            if desired.get(s, 0) != live[s]}


@checker("Right: start 2 web (one is missing, one was on the lost node), stop 1 cart and stop "
         "the report copy. The same loop handles a failure, a scale-down and a deletion.")
def check_reconcile(answer: object) -> None:
    """``answer``: ``{service: n}``, ``n > 0`` copies to start, ``n < 0`` to stop, for
    :data:`DESIRED` and :data:`OBSERVED`; services with nothing to do may be left out."""
    services = sorted(set(DESIRED) | {c["service"] for c in OBSERVED})
    if isinstance(answer, Mapping):  # "nothing to do" may be written as 0 or None
        answer = {s: n for s, n in answer.items() if n not in (0, None)}
    given = {service: whole_number(n, f"the copies of {service} to start (+) or stop (-)")
             for service, n in keyed(answer, services, "service", all_required=False).items()}
    right = reconcile(DESIRED, OBSERVED)
    if not given:   # the starter's zeros: one pass that changes nothing
        raise Wrong("Every change is still the starter's 0: not answered yet.",
                    "For each service, count the copies that still run and compare them with "
                    "the desired state; the controller acts on the difference.")
    if given == {s: n for s, n in DESIRED.items() if n}:
        raise Wrong("These are the desired counts, the target, not what one pass does.",
                    "Write the change, not the target: how many copies to start (+) or stop "
                    "(-) to get from what runs now to what is desired.")
    if given.get("web") == 1:
        raise Wrong("web: not +1.", "web-2 runs on node-2, which was lost: it does not count "
                    "as a live copy, so two are missing.")
    if "report" not in given:
        raise Wrong("report: something must happen to it.",
                    "The controller compares everything it finds running with the desired "
                    "state, a service the desired state no longer names included.")
    for service in sorted(set(right) | set(given)):
        if given.get(service, 0) != right.get(service, 0):
            have = sum(c["service"] == service and c["state"] == "running" for c in OBSERVED)
            raise Wrong(f"{service}: not {given.get(service, 0):+d}.",
                        f"Desired {DESIRED.get(service, 0)}, running {have}: the controller "
                        "acts on the difference.")


# ---- orchestration: filter, then rank --------------------------------------------------------

PROBE = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
         "spec": {"containers": [{"name": "web", "image": "shop/web:2.0.2",
                                  "resources": {"requests": {"cpu": "1500m", "memory": "1Gi"}}}]}}
_CART = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart}
spec:
  replicas: 2
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node-a}
      containers:
        - {name: cart, image: shop/cart:1.4.2, resources: {requests: {cpu: "1", memory: 2Gi}}}
"""


def filter_rank_cluster() -> KubernetesCluster:
    """Five nodes: node-a (4 CPU, 2 already requested), node-b (cordoned), node-c (2 CPU,
    empty), node-d (1 CPU, too small for the probe) and gpu-1 (tainted ``dedicated=gpu``)."""
    nodes = [Node("node-a", cpu=4, memory="8Gi", zone="zone-a"),
             Node("node-b", cpu=4, memory="8Gi", zone="zone-b"),
             Node("node-c", cpu=2, memory="4Gi", zone="zone-c"),
             Node("node-d", cpu=1, memory="4Gi", zone="zone-c"),
             Node("gpu-1", cpu=8, memory="32Gi", zone="zone-a",
                  labels={"accelerator": "nvidia"},
                  taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])]
    cluster = KubernetesCluster(nodes, seed=0)
    cluster.apply(_CART)
    cluster.cordon("node-b")
    cluster.run(until=60)
    return cluster


_FILTER_HINTS = {
    "node-b": "node-b is cordoned (unschedulable): it keeps its Pods but takes no new ones.",
    "gpu-1": "gpu-1 carries the taint dedicated=gpu:NoSchedule and the Pod has no toleration.",
    "node-d": "node-d has 1 CPU and the Pod requests 1.5: requests must fit on one node.",
}


@checker("Right: node-a and node-c pass the filters, and node-c wins: after placing the Pod it "
         "would be the emptier in proportion (the default scoring), not the bigger node.")
def check_filter_rank(feasible: object, chosen: object) -> None:
    """``feasible``: the set of nodes that pass the filters for :data:`PROBE` on
    :func:`filter_rank_cluster`; ``chosen``: the node with the highest total score."""
    verdicts = filter_rank_cluster().explain(PROBE)
    names = set(listed(feasible, list(verdicts), "node names", example='{"node-a", "node-b"}',
                       unknown=lambda name: Wrong(f"There is no node {name}.",
                                                  f"The nodes are {', '.join(verdicts)}.")))
    right = {n for n, v in verdicts.items() if v.feasible}
    if names - right:
        name = min(names - right)
        raise Wrong(f"{name} does not pass the filters.",
                    _FILTER_HINTS.get(name, "; ".join(verdicts[name].reasons)))
    if right - names:
        raise Wrong(f"{min(right - names)} passes the filters too.",
                    "Check its free CPU and memory against the request, and its taints.")
    best = max(right, key=lambda n: verdicts[n].total or 0)
    chosen = choice(chosen, tuple(verdicts), "chosen")
    if chosen not in right:
        raise Wrong(f"{chosen} does not pass the filters, so it is not ranked at all.",
                    _FILTER_HINTS.get(chosen, "; ".join(verdicts[chosen].reasons)))
    if chosen != best:
        raise Wrong(f"{chosen} is not the scheduler's choice.",
                    "Ranking adds up plugins' scores, and NodeResourcesFit decides here: it "
                    "prefers the node that would be least allocated after placing the Pod, in "
                    "proportion to its size (compare the free share of CPU and memory). "
                    "NodeResourcesBalancedAllocation, which prefers CPU and memory used evenly, "
                    "leans a little the other way.")


# ---- orchestration: editing by hand against the loops ----------------------------------------

_SHOP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: shop/web:2.0.2}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, labels: {app: debug}}
spec:
  containers: [{name: shell, image: busybox:1.36}]
"""
HAND_EDITS = (
    "web Pods running a minute after `kubectl delete pod <one of the web Pods>`",
    "debug Pods running a minute after `kubectl delete pod debug`",
    "web Pods running a minute after `kubectl delete replicaset <web's ReplicaSet>`",
    "web Pods running a minute after `kubectl scale deployment web --replicas=5`",
)
_HAND_EDIT_HINTS = (
    "The ReplicaSet controller now sees 2 of 3 and creates one: a deletion is just another "
    "difference between desired and observed state.",
    "debug was created directly, with no controller: nobody wants it back, as with docker run.",
    "The Deployment controller owns the ReplicaSet: it finds none for its template, creates it "
    "again, and that ReplicaSet creates the Pods.",
    "kubectl scale only edits the desired state (spec.replicas); the loop starts the rest.",
)


def hand_edits_run() -> dict[str, int]:
    """Play :data:`HAND_EDITS` one after the other, a minute apart, on a cluster running
    Deployment ``web`` (3 replicas) and a bare Pod ``debug``; count running Pods after each.

    Upstream: kubernetes/kubernetes ``pkg/controller/replicaset/replica_set.go`` and
    ``pkg/controller/deployment/sync.go`` (``getNewReplicaSet`` recreates a missing
    ReplicaSet); deleting an owner removes its dependents in the background (garbage
    collector). Here the deleted ReplicaSet's Pods go at once; upstream the garbage collector
    deletes them shortly after."""
    cluster = KubernetesCluster(default_nodes(), seed=0)
    cluster.apply(_SHOP)
    cluster.run(until=30)

    def running(app: str) -> int:
        return sum(p.labels.get("app") == app and p.phase == "Running" and not p.reason
                   for p in cluster.pods())

    counts = []
    web_pod = next(p.name for p in cluster.pods() if p.labels.get("app") == "web")
    for edit, app in ((lambda: cluster.delete("Pod", web_pod), "web"),
                      (lambda: cluster.delete("Pod", "debug"), "debug"),
                      (lambda: cluster.delete("ReplicaSet", cluster.objects("ReplicaSet")[0]
                                              ["metadata"]["name"]), "web"),
                      (lambda: cluster.scale("Deployment", "web", 5), "web")):
        edit()
        cluster.run(until=cluster.now + 60)
        counts.append(running(app))
    return dict(zip(HAND_EDITS, counts, strict=True))


@checker("Right: 3, 0, 3, 5. Every deletion or edit is just a new difference for a control "
         "loop; only the Pod that no controller owns stays gone.")
def check_hand_edits(answer: object) -> None:
    """``answer``: ``{edit: Pods running}`` for :data:`HAND_EDITS`, checked against
    :func:`hand_edits_run`."""
    given = filled(answer, list(HAND_EDITS), "edit → Pods running")
    truth = hand_edits_run()
    for edit, hint in zip(HAND_EDITS, _HAND_EDIT_HINTS, strict=True):
        value = whole_number(given[edit], f"“{edit}”")
        if value != truth[edit]:
            raise Wrong(f"“{edit}”: not {value}.", hint)
