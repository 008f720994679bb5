"""Checks for the exercises of the comparing chapters: application definitions, availability
and load balancing, storage and networking, scale and workloads, and the case study of the
2019 comparison (its rebuilt tables and what it got wrong).

Manifests run in the simulators (``KubernetesCluster``: kubernetes/kubernetes
``pkg/scheduler``; the loader refuses a Deployment whose selector does not match its template,
as ``pkg/apis/apps/validation/validation.go`` does). Facts come from the sourced feature matrix
(:func:`clustersim.features.load_features`, ``clustersim/data/features.yaml``) and from the
sources the chapters cite; quorum sizes from :func:`clustersim.swarm.raft.fault_tolerance`
(docs.docker.com/engine/swarm/raft/).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from clustersim.exercises.answers import (
    classify,
    is_number,
    is_whole,
    keyed,
    listed,
    load_answer,
    pick,
    run_stack,
    whole_number,
)
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.labels import find_label, unknown_label_hint
from clustersim.features import load_features
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.kubernetes.nodeinfo import kubelet_labels
from clustersim.manifests.errors import ManifestError
from clustersim.messages import counted
from clustersim.node import Node
from clustersim.swarm import SwarmCluster
from clustersim.swarm.constraints import FIXED_KEYS, constraints_accept, equal_fold, known_key
from clustersim.swarm.raft import fault_tolerance
from clustersim.swarm.spec import ServiceSpec

__all__ = [
    "CLAIMS", "DESIGN_OR_STATUS", "LAYERS", "MANAGER_COUNTS", "MESH_PORT", "NETWORK_STATEMENTS",
    "PLAN", "STORAGE_KINDS", "WORKLOADS", "check_claim_verdicts", "check_depends_on",
    "check_design_or_status", "check_differing_features", "check_fault_tolerance", "check_layers",
    "check_matching_labels", "check_network_statements", "check_pinned_volume",
    "check_published_port", "check_soft_spread", "check_storage_kinds", "check_tested_limits",
    "check_workload_kinds", "claim_text", "storage_nodes",
]


def _specs(manifest: object, what: str) -> list[Any]:
    return list(load_answer(manifest, what, hint=_load_hint))


def _load_hint(err: ManifestError) -> str:
    """The hint for a manifest the loader refuses, by what it refuses."""
    message = str(err)
    if "does not match" in message:
        return ("The template's labels must include every label of spec.selector.matchLabels: "
                "that is how the ReplicaSet finds its own Pods.")
    if "podAffinityTerm: Required value" in message:
        # a real API server decodes strictly first: it names labelSelector and topologyKey
        # at this level as unknown fields (strict decoding error)
        return ("A preferred term has two fields, weight and podAffinityTerm; labelSelector "
                "and topologyKey go inside podAffinityTerm (at the weight's level a real API "
                "server refuses them as unknown fields).")
    return "Read the field path in the message."


def _matches(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


# --- application definitions ------------------------------------------------------------------

@checker("Right: the Deployment's selector finds its own three Pods, and the Service's selector "
         "picks the same three: two objects, joined only by labels.")
def check_matching_labels(manifest: object) -> None:
    """``manifest``: a Deployment ``api`` (3 replicas) and a Service ``api`` whose selector
    must pick exactly the Deployment's Pods, on the default four-node cluster."""
    specs = _specs(manifest, "manifest")
    by_kind = {s.kind: s.manifest for s in specs}
    if sorted(by_kind) != ["Deployment", "Service"] or len(specs) != 2:
        raise Wrong(f"Expected one Deployment and one Service, found: "
                    f"{', '.join(s.kind for s in specs) or 'nothing'}.",
                    "Keep both documents of the starter, separated by ---.")
    cluster = KubernetesCluster(default_nodes(), seed=0)
    for spec in specs:
        cluster.apply(spec.manifest)
    cluster.run(until=60)
    name = by_kind["Deployment"]["metadata"]["name"]
    pods = [p for p in cluster.pods() if p.owner == f"Deployment/{name}"]
    ready = [p for p in pods if p.ready]
    if len(ready) != 3:
        raise Wrong(f"{len(ready)} of the Deployment's Pods are ready, not 3.",
                    "Keep replicas: 3 and the small requests of the starter.")
    selector = (by_kind["Service"].get("spec") or {}).get("selector") or {}
    if not selector:
        raise Wrong("The Service has no selector: it would pick no Pods.",
                    "Give spec.selector the label (app: api) that the Pods carry.")
    picked = [p for p in cluster.pods() if _matches(selector, p.labels)]
    if len(picked) != 3 or any(p.owner != f"Deployment/{name}" for p in picked):
        raise Wrong(f"The Service's selector {dict(selector)} picks {len(picked)} Pod(s).",
                    "A selector picks every Pod that has all its labels: use the labels of "
                    "the Deployment's template.")


@checker("Right: docker stack deploy ignores depends_on; the application itself (or a readiness "
         "check with retries) must wait for the API.")
def check_depends_on(choice: object) -> None:
    """Which mechanism makes ``web`` cope with ``api`` starting later in a Swarm stack?"""
    pick(choice, "c", {
        "a": "docker stack deploy accepts a depends_on list and ignores it, so it orders "
             "nothing.",
        "b": "condition: service_healthy is honoured by docker compose on one machine; "
             "docker stack deploy refuses that long form (the Docker CLI's Compose v3 schema "
             "allows only a list of names).",
        "d": "Swarm creates a stack's services together and has no deployment order; and even "
             "with an order, a dependency can restart later, so the client must retry anyway.",
    })


# --- availability and load balancing ----------------------------------------------------------

MANAGER_COUNTS = (1, 3, 4, 5, 7)


@checker("Right: a Raft group of N voters survives (N - 1) // 2 failures; an even count adds "
         "nothing (4 survive 1, like 3).")
def check_fault_tolerance(answer: object) -> None:
    """``answer``: {managers: failures survived} for :data:`MANAGER_COUNTS`."""
    answer = keyed(answer, MANAGER_COUNTS, "manager count")
    for managers in MANAGER_COUNTS:
        given = answer[managers]
        if is_number(given) and not is_whole(given):   # (N - 1) / 2 for an even N
            raise Wrong(f"{given!r} failures for {counted(managers, 'manager')}: a manager is "
                        "up or down, so the failures survived are a whole number.",
                        f"Round down: {given!r} counts as {math.floor(given)}. In Python, "
                        "// divides and rounds down: (N - 1) // 2.")
        mine = whole_number(given, f"the failures for {managers} manager(s)")
        truth = fault_tolerance(managers)
        if mine == truth:
            continue
        if managers % 2 == 0 and mine == managers // 2:
            hint = (f"A quorum of {managers} is {managers // 2 + 1}; after {managers // 2} "
                    f"failures only {managers - managers // 2} remain, not a majority.")
        elif mine == managers // 2 + 1 or mine == managers - 1:
            hint = ("That is the quorum (or the rest); the question is how many may fail "
                    "while a majority (N // 2 + 1) still remains.")
        else:
            hint = "Survivable failures = N − quorum, with quorum = N // 2 + 1."
        raise Wrong(f"{counted(managers, 'manager')} {'does' if managers == 1 else 'do'} "
                    f"not survive {counted(mine, 'failure')}.", hint)


def _tells_nodes_apart(key: object, nodes: Sequence[Node]) -> bool:
    """Whether a soft rule's ``topologyKey`` can prefer one of ``nodes`` over another: every node
    carries the label (the kubelet's and its own) and not all with one value. The scheduler
    scores a node that lacks the key as if it had no matching Pods: InterPodAffinity counts
    only Pods on nodes with the key (kubernetes/kubernetes ``pkg/scheduler/framework/plugins/
    interpodaffinity/scoring.go``, ``processTerm``), and PodTopologySpread ignores a node
    without all its keys (``podtopologyspread/scoring.go``, ``PreScore``)."""
    values = [{**kubelet_labels(node), **node.labels}.get(str(key)) for node in nodes]
    return None not in values and len(set(values)) > 1


@checker("Right: the soft rule spreads the first two Pods over both nodes and still places the "
         "third: nothing stays Pending.")
def check_soft_spread(manifest: object) -> None:
    """``manifest``: a Deployment ``web`` with 3 replicas on two nodes, spread over both and
    with no Pod Pending."""
    specs = _specs(manifest, "Deployment")
    if len(specs) != 1 or specs[0].kind != "Deployment":
        raise Wrong("Expected exactly one Deployment.", "Keep the starter's single document.")
    deployment = specs[0].manifest
    if (deployment.get("spec") or {}).get("replicas") != 3:
        raise Wrong("The task is about 3 replicas on 2 nodes.", "Keep replicas: 3.")
    cluster_nodes = Node.many(2, "node", cpu=4, memory="8Gi")
    cluster = KubernetesCluster(cluster_nodes, seed=0)
    cluster.apply(deployment)
    cluster.run(until=60)
    pods = [p for p in cluster.pods() if p.owner == f"Deployment/{deployment['metadata']['name']}"]
    pending = [p for p in pods if p.node is None]
    if pending:
        raise Wrong(f"{len(pending)} Pod(s) stay Pending: {pending[0].message}",
                    "A required (hard) rule leaves copies Pending when there are more copies "
                    "than nodes: use preferredDuringSchedulingIgnoredDuringExecution (with a "
                    "weight and a podAffinityTerm), or a topologySpreadConstraint with "
                    "whenUnsatisfiable: ScheduleAnyway.")
    nodes = {p.node for p in pods}
    if len(nodes) < 2:
        raise Wrong(f"All {len(pods)} Pods run on {nodes.pop()}: one failure takes them all.",
                    "Keep a rule that spreads them (a preferred anti-affinity or a spread "
                    "constraint over kubernetes.io/hostname).")
    pod_spec = ((deployment["spec"].get("template") or {}).get("spec")) or {}
    anti = (pod_spec.get("affinity") or {}).get("podAntiAffinity") or {}
    spread = [c for c in pod_spec.get("topologySpreadConstraints") or [] if isinstance(c, Mapping)]
    hard = [c for c in spread if c.get("whenUnsatisfiable") == "DoNotSchedule"]
    if hard or anti.get("requiredDuringSchedulingIgnoredDuringExecution"):
        rule = ("whenUnsatisfiable: DoNotSchedule" if hard
                else "requiredDuringSchedulingIgnoredDuringExecution")
        raise Wrong(f"Nothing is Pending here, but {rule} is a hard rule: the scheduler "
                    "filters out every node that would break it, so when the nodes cannot "
                    "satisfy it (a node down, more copies than the rule allows) the next Pod "
                    "stays Pending instead of being placed anyway.",
                    "A soft rule only scores nodes: use whenUnsatisfiable: ScheduleAnyway, or "
                    "preferredDuringSchedulingIgnoredDuringExecution (with a weight and a "
                    "podAffinityTerm).")
    soft_keys = [term.get("podAffinityTerm", {}).get("topologyKey") for term in
                 anti.get("preferredDuringSchedulingIgnoredDuringExecution") or []
                 if isinstance(term, Mapping) and isinstance(term.get("podAffinityTerm"), Mapping)]
    soft_keys += [c.get("topologyKey") for c in spread if c.get("whenUnsatisfiable") ==
                  "ScheduleAnyway"]
    if soft_keys and not any(_tells_nodes_apart(key, cluster_nodes) for key in soft_keys):
        raise Wrong(f"The Pods spread, but not because of your rule: its topologyKey "
                    f"{soft_keys[0]!r} does not tell these two nodes apart (neither carries that "
                    "label, or both carry the same value), so the rule scores every node alike "
                    "and only the scheduler's default spreading moved the Pods.",
                    "Spread over a label whose value differs from node to node; every kubelet "
                    "labels its node with its own name under kubernetes.io/hostname.")
    if not soft_keys:
        raise Wrong("The Pods spread, but no rule of yours asks for it: the scheduler's default "
                    "spreading (PodTopologySpread's built-in constraints) only scores nodes, "
                    "and gives way to other scores on a busy cluster.",
                    "Keep a rule and make it soft: preferredDuringSchedulingIgnoredDuringExecution"
                    " (with a weight and a podAffinityTerm), or a topologySpreadConstraint with "
                    "whenUnsatisfiable: ScheduleAnyway.")


MESH_PORT = 8080


@checker("Right: the ingress routing mesh publishes 8080 on every node and forwards each "
         "request to the one task, wherever it runs.")
def check_published_port(stack: object) -> None:
    """``stack``: a Compose stack whose one-replica service ``web`` answers on port
    :data:`MESH_PORT` of every node of a three-node swarm (docs.docker.com/engine/swarm/
    ingress/; the simulator's mesh: :mod:`clustersim.swarm.mesh`)."""
    if not isinstance(stack, str | Mapping):
        raise Wrong("The answer must be the stack file as YAML text.",
                    "Keep the triple quotes of the starter cell.")
    swarm = SwarmCluster(Node.many(3, "node", cpu=2, memory="4Gi",
                                   role=lambda i: "manager" if i == 1 else "worker"), seed=0)
    run_stack(swarm, stack, 30)
    tasks = [t for t in swarm.snapshot().tasks if t.owner == "shop_web" and t.node]
    if len(tasks) != 1:
        raise Wrong(f"web runs {len(tasks)} task(s); the exercise keeps one replica.",
                    "Keep deploy: {replicas: 1} (and mode: replicated): the network, not more "
                    "copies, must make every node answer.")
    answers = {n: swarm.request(n, MESH_PORT) for n in ("node-1", "node-2", "node-3")}
    refused = [n for n, r in answers.items() if r.error]
    if refused:
        where = tasks[0].node
        hint = (f"mode: host binds the port only on the node that runs the task ({where}); "
                "the ingress routing mesh (mode: ingress, the default) publishes it on every "
                "node." if len(refused) < 3 else
                f"No node answers on {MESH_PORT}: publish target 80 as published {MESH_PORT}.")
        raise Wrong(f"{', '.join(refused)}: {answers[refused[0]].error}.", hint)


# --- storage and networking -------------------------------------------------------------------

def storage_nodes() -> list[Node]:
    """Three Swarm nodes; node-2 holds the local volume and carries the label storage=db."""
    return [Node(f"node-{i}", cpu=2, memory="4Gi", role="manager" if i == 1 else "worker",
                 labels={"storage": "db"} if i == 2 else {}) for i in (1, 2, 3)]


def _replicas_on_local_volumes(per_node: Counter[str]) -> str:
    """What several db tasks do to a named local volume, by where they run: the local driver
    keeps one volume of that name per node, so tasks on one node mount the same directory and
    tasks on different nodes each get their own (docs.docker.com/engine/storage/volumes/)."""
    where = ", ".join(f"{n} on {node}" for node, n in sorted(per_node.items()))
    shared = [node for node, n in sorted(per_node.items()) if n > 1]
    dangers = []
    if shared:
        dangers.append(f"the tasks on {', '.join(shared)} mount the same local volume there, so "
                       "several database servers write one data directory")
    if len(per_node) > 1:
        dangers.append(f"the volumes on {', '.join(sorted(per_node))} are separate, so the "
                       "copies hold different data")
    return f"db runs {per_node.total()} tasks ({where}): {'; and '.join(dangers)}."


def _placement_hint(spec: ServiceSpec) -> str:
    """The hint for a db that does not run on node-2, by what its placement says: the
    principle when it has no constraint (a first try); what is wrong with a constraint the
    learner wrote: a key swarmkit does not know (``manager/constraint/constraint.go``:
    ``Parse`` takes any key of the right syntax, ``NodeMatches`` matches no node for an
    unknown one), or the nodes it allows."""
    if not spec.constraints:
        return ("A local volume is created empty on whichever node runs the task. The node "
                "with the data carries a label (printed above the stack): tell the scheduler "
                "to run db only on a node with that label, with a placement constraint under "
                "deploy" + (" (placement.preferences only spreads tasks; it rules no node "
                            "out)." if spec.preferences else "."))
    unknown = [c.key for c in spec.constraints if not known_key(c.key)]
    if unknown:
        return (f"{unknown[0]!r} is not a key swarmkit's constraints know: docker accepts the "
                "service, and the key matches no node. The keys are "
                f"{', '.join(FIXED_KEYS)}, and node.labels.<name> and engine.labels.<name>.")
    allowed = [node.name for node in storage_nodes()
               if constraints_accept(spec.constraints, node)]
    rules = " and ".join(map(str, spec.constraints))
    if not allowed:
        return (f"No node satisfies {rules}: compare its key and value with the node labels "
                "printed above the stack (a label's name after node.labels. is case-sensitive).")
    return (f"{rules} allows {', '.join(allowed)}: only node-2 has the data, so keep the "
            "nodes with its label (== keeps the nodes whose label has the value, != the "
            "others).")


def _refuse_name_as_node_id(spec: ServiceSpec) -> None:
    """:class:`Wrong` for a ``node.id`` constraint whose value is a node's name: the simulator
    uses the name as the ID (:attr:`clustersim.node.Node.id`), so ``node.id == node-2`` pins db
    here, but on a real swarm ``node.id`` compares the ID swarmkit generated for the node
    (random characters, the ID column of ``docker node ls``; swarmkit
    ``manager/constraint/constraint.go``, ``NodeMatches``; the table of constraint keys in
    docs.docker.com/reference/cli/docker/service/create/#constraint), which no name equals."""
    names = {node.name for node in storage_nodes()}
    for constraint in spec.constraints:
        if equal_fold(constraint.key, "node.id") and any(
                equal_fold(constraint.value, name) for name in names):
            raise Wrong(f"{constraint} compares node.id with the name {constraint.value!r}, "
                        "which means something here only because the simulator uses a node's "
                        "name as its ID.",
                        "On a real swarm node.id is the ID that swarmkit generated for the node "
                        "(random characters, the ID column of docker node ls), not its name: "
                        "pin db with the node's label, or with node.hostname.")


def _pinned_volume_hint(err: ManifestError) -> str:
    """The hint for a stack the loader refuses: one that mounts ``db-data`` without the
    starter's top-level declaration (``docker stack deploy``: ``undefined volume``), or any
    other refusal, most often a constraint's syntax."""
    if "undefined volume" in err.message:
        return ("Keep the starter's top-level volumes: section (db-data: {}): a stack declares "
                "every named volume its services mount.")
    if re.search(r"""value '(["']).*\1' is invalid""", err.message):
        # swarmkit's constraint values allow no quote marks (manager/constraint/constraint.go)
        return ("Inside a constraint the value goes without quote marks, which would be part "
                "of the value: node.labels.<label name> == <value>. Quote the whole constraint "
                "in YAML if you like.")
    return "A constraint reads node.labels.<label name> == <value> (with ==)."


@checker("Right: db runs where its local volume is, and when node-2 fails the replacement "
         "waits Pending instead of starting elsewhere with an empty volume. That is the price "
         "of node-local data.")
def check_pinned_volume(stack: object) -> None:
    """``stack``: a Compose stack whose service ``db`` (one replica, local volume ``db-data``)
    always runs on node-2, where the data is (docs.docker.com/engine/swarm/services/
    #placement-constraints; the simulator's scheduler: :mod:`clustersim.swarm.scheduler`)."""
    if not isinstance(stack, str | Mapping):
        raise Wrong("The answer must be the stack file as YAML text.",
                    "Keep the triple quotes of the starter cell.")
    swarm = SwarmCluster(storage_nodes(), seed=0)
    run_stack(swarm, stack, 30, hint=_pinned_volume_hint)
    if "shop_db" not in swarm.services:
        raise Wrong("The stack has no service db.", "Keep the starter's service db and its "
                    "volume; change only where it may run.")
    _refuse_name_as_node_id(swarm.services["shop_db"].spec)
    running = [t for t in swarm.snapshot().tasks if t.owner == "shop_db" and t.node]
    if len(running) > 1:
        raise Wrong(_replicas_on_local_volumes(Counter(t.node for t in running)),
                    "Keep deploy.replicas: 1; a single-writer database with a local volume "
                    "runs one task.")
    if [t.node for t in running] != ["node-2"]:
        where = f"on {running[0].node}" if running else "nowhere"
        pending = [row["error"] for row in swarm.ps("shop_db") if row["error"]]
        raise Wrong(f"db runs {where}, not on node-2, where its data is"
                    + (f": its task is pending, {pending[0]}." if pending and not running
                       else "."), _placement_hint(swarm.services["shop_db"].spec))
    swarm.fail_node("node-2")
    swarm.run(until=120)
    moved = [t for t in swarm.snapshot().tasks
             if t.owner == "shop_db" and t.node and t.node != "node-2"]
    if moved:
        raise Wrong(f"After node-2 failed, db started on {moved[0].node} with an empty volume.",
                    "Use a hard placement constraint, not a preference (placement.preferences "
                    "only spreads).")


_STORAGE_KINDS = {
    "Kubernetes emptyDir": "left behind",
    "Kubernetes local PersistentVolume": "pinned",
    "Kubernetes PVC from a CSI StorageClass (cloud disk)": "follows",
    "Swarm local named volume, no placement constraint": "left behind",
    "Swarm CSI cluster volume": "follows",
    "Marathon local persistent volume (resident task)": "pinned",
    "Marathon sandbox": "left behind",
}
STORAGE_KINDS = tuple(_STORAGE_KINDS)
"""The kinds of storage of the storage exercise, in order, without their answers."""
_STORAGE_HINTS = {
    "Kubernetes emptyDir": "An emptyDir is created empty with the Pod and deleted with it.",
    "Kubernetes local PersistentVolume": "A local PV carries node affinity: the scheduler "
        "places the Pod on that node, and only there.",
    "Kubernetes PVC from a CSI StorageClass (cloud disk)": "The CSI driver attaches the disk "
        "to whichever node runs the Pod (within the disk's zone).",
    "Swarm local named volume, no placement constraint": "A replacement task on another node "
        "gets a new, empty local volume there: nothing pins it, nothing moves the data.",
    "Swarm CSI cluster volume": "Cluster volumes (Engine 23.0+) are attached through a CSI "
        "plugin wherever the task runs.",
    "Marathon local persistent volume (resident task)": "Resident tasks always relaunch on "
        "the agent that holds their reserved volume (see the chapter's Try it).",
    "Marathon sandbox": "The sandbox belongs to the task and is gone with it.",
}


_STAYS = ("The data stays on its node either way: does the task stay with it (pinned), or "
          "move and start without it (left behind)?")
_STORAGE_WORDS = {
    **dict.fromkeys(("local", "node-local", "stays", "sticky", "fixed", "stuck"), _STAYS),
    **dict.fromkeys(("lost", "gone", "deleted", "wiped", "ephemeral", "temporary", "scratch"),
                    "When the task moves, data that does not come along is lost to it: that "
                    "is what the label 'left behind' says."),
    **dict.fromkeys(("moves", "travels", "migrates", "portable", "attached", "network"),
                    "Storage that is attached wherever the task runs is what the label "
                    "'follows' says."),
    "persistent": "Persistent says the data outlives the task; the question is where the next "
                  "task may run: only where the data is (pinned), or anywhere the storage can "
                  "be attached (follows).",
    **dict.fromkeys(("left", "behind", "stays behind"),
                    "The label is the two words 'left behind'."),
    **dict.fromkeys(("pinned to node", "pinned to a node", "pinned to the node"),
                    "The label is the one word 'pinned'."),
    "shared": "Sharing is about how many tasks mount the storage at once; the question is what "
              "happens to the data when the one task moves to another node.",
}
"""Words a learner may give a kind of storage that are none of its labels, and what each
teaches."""


@checker("Right: node-local persistence pins, network storage follows, scratch space is left "
         "behind.")
def check_storage_kinds(answer: object) -> None:
    """``answer``: each of :data:`STORAGE_KINDS` labelled pinned / follows / left behind."""
    classify(answer, _STORAGE_KINDS, ("pinned", "follows", "left behind"), _STORAGE_HINTS,
             plausible=_STORAGE_WORDS)


_NETWORK_STATEMENTS = {
    "Kubernetes requires an overlay network.": "false",
    "Every Kubernetes Pod gets its own IP address, reachable from every other Pod without NAT.":
        "true",
    "Swarm connects the services of a stack through VXLAN overlay networks.": "true",
    "Containers of one Marathon pod cannot share a network namespace.": "false",
    "Mesos-DNS is a proxy load balancer.": "false",
    "A Marathon app on the host network uses the agent's ports directly.": "true",
}
NETWORK_STATEMENTS = tuple(_NETWORK_STATEMENTS)
"""The statements of the network-model exercise, in order, without their answers."""
_NETWORK_HINTS = {
    "Kubernetes requires an overlay network.": "Kubernetes mandates a flat Pod network, not how "
        "to build it: routed and eBPF CNI plugins use no overlay (the 2019 article's error).",
    "Every Kubernetes Pod gets its own IP address, reachable from every other Pod without NAT.":
        "That is the Kubernetes network model itself (kubernetes.io/docs/concepts/"
        "services-networking/).",
    "Swarm connects the services of a stack through VXLAN overlay networks.": "A stack gets a "
        "default overlay network; Swarm's overlays are VXLAN.",
    "Containers of one Marathon pod cannot share a network namespace.": "Marathon pods (1.4, "
        "2017) share a network namespace and volumes.",
    "Mesos-DNS is a proxy load balancer.": "Mesos-DNS answers DNS queries (A and SRV records); "
        "the proxy was marathon-lb (HAProxy).",
    "A Marathon app on the host network uses the agent's ports directly.": "networks: "
        "[{mode: host}] runs the task in the agent's network namespace, on offered ports.",
}


_NETWORK_WORDS = {
    **dict.fromkeys(("yes", "y", "t", "correct", "right", "holds"),
                    "Write a statement that holds as 'true' (or True)."),
    **dict.fromkeys(("no", "n", "f", "incorrect", "wrong", "myth"),
                    "Write a statement that does not hold as 'false' (or False)."),
    **dict.fromkeys(("partly", "partially", "sometimes", "depends", "it depends", "maybe"),
                    "Read each statement as the general claim it makes: one that holds only "
                    "for some setups (some network plugins, some modes) is false as written."),
}
"""Words a learner may give a network statement that are neither true nor false."""


@checker("Right: the network model is a contract (flat, one IP per Pod); overlays are only one "
         "way to build it.")
def check_network_statements(answer: object) -> None:
    """``answer``: each of :data:`NETWORK_STATEMENTS` marked "true" or "false"."""
    if isinstance(answer, Mapping):
        answer = {k: str(v).lower() if isinstance(v, bool) else v for k, v in answer.items()}
    classify(answer, _NETWORK_STATEMENTS, ("true", "false"), _NETWORK_HINTS,
             plausible=_NETWORK_WORDS)


# --- scale and workloads ----------------------------------------------------------------------

PLAN = {"nodes": 4000, "pods_per_node": 60, "containers_per_pod": 2}
_LIMITS = {"nodes": 5000, "pods_per_node": 110, "total_pods": 150_000,
           "total_containers": 300_000}
"""Kubernetes' tested thresholds (kubernetes.io/docs/setup/best-practices/cluster-large/)."""
_FIGURES = {"nodes": "nodes is the plan's node count",
            "pods_per_node": "pods_per_node is the plan's Pods per node",
            "total_pods": "total_pods = nodes × Pods per node",
            "total_containers": "total_containers = the cluster's Pods × containers per Pod"}
"""How each figure of :data:`PLAN` compared with a threshold is worked out."""
_LIMIT_WORDS = {
    "pods": "Pods per node, or Pods in the whole cluster? Both have a threshold, each with "
            "its own name.",
    "containers": "The threshold on containers counts those of the whole cluster.",
    "maxPods": "maxPods is the kubelet's setting that caps the Pods on one node; the names "
               "here are those of the exercise.",
    "pods per cluster": "The threshold on the cluster's Pods has its own name here.",
}
"""Words a learner may list that are none of the limit names, each with what it teaches (the
names are read as labels are, :func:`~clustersim.exercises.labels.find_label`: "total pods"
and "Pods-Per-Node" are names)."""


@checker("Right: 4,000 nodes and 60 Pods per node are within the thresholds, but 240,000 Pods "
         "exceed 150,000 and 480,000 containers exceed 300,000.")
def check_tested_limits(answer: object) -> None:
    """``answer``: the names among ``nodes, pods_per_node, total_pods, total_containers`` whose
    threshold :data:`PLAN` exceeds."""
    if isinstance(answer, str) or not isinstance(answer, Sequence | set | frozenset):
        raise Wrong("The answer must be a list of limit names.",
                    f"Choose among {', '.join(map(repr, _LIMITS))}.")
    options = f"Choose among {', '.join(map(repr, _LIMITS))}."
    names = [find_label(a, _LIMITS) for a in answer]   # "Total Pods" is total_pods
    unknown = [a for a, name in zip(answer, names, strict=True) if name is None]
    if unknown:
        raise Wrong(f"Unknown limit name(s): {', '.join(map(repr, unknown))}.",
                    unknown_label_hint(unknown[0], tuple(_LIMITS), _LIMIT_WORDS, options))
    mine = {name for name in names if name}
    values = {"nodes": PLAN["nodes"], "pods_per_node": PLAN["pods_per_node"],
              "total_pods": PLAN["nodes"] * PLAN["pods_per_node"]}
    values["total_containers"] = values["total_pods"] * PLAN["containers_per_pod"]
    truth = {k for k, v in values.items() if v > _LIMITS[k]}
    if mine == truth:
        return
    if truth - mine:
        missed, found = sorted(truth - mine), sorted(mine & truth)
        # the learner's own work first: a threshold found says they compared one figure;
        # without one, the principle (which figures to work out), never the products
        hint = (f"Work out the next figure as you did for {found[0]!r}: "
                f"{_FIGURES[missed[0]]}, against its threshold." if found else
                "Compare every figure of the plan with its threshold, the cluster's totals "
                f"too: {'; '.join(_FIGURES.values())}.")
        raise Wrong(f"Your list leaves out {counted(len(missed), 'threshold')} that the plan "
                    "exceeds.", hint)
    extra = sorted(mine - truth)[0]
    raise Wrong(f"{extra!r} is within its threshold.",
                f"{extra} is {values[extra]:,}; the threshold is {_LIMITS[extra]:,}.")


_WORKLOADS = {
    "the shop's web front end, always on": "Deployment",
    "a log collector on every node": "DaemonSet",
    "a nightly sales report at 02:00": "CronJob",
    "a one-off database migration before a release": "Job",
    "a three-member database cluster, each member with its own disk": "StatefulSet",
}
WORKLOADS = tuple(_WORKLOADS)
"""The workloads of the workload-kinds exercise, in order, without their answers."""
_WORKLOAD_HINTS = {
    "the shop's web front end, always on": "Interchangeable long-running copies, as many as "
        "asked for, on any nodes, replaced a few at a time on an update: a Swarm replicated "
        "service or a Marathon app.",
    "a log collector on every node": "One copy on each node, and one more on each node that "
        "joins: the number follows the nodes, not a count you set (Swarm: mode: global).",
    "a nightly sales report at 02:00": "Runs to completion, again at each time its schedule "
        "names (Mesos era: Chronos or Metronome): a kind that starts a run-once kind on time.",
    "a one-off database migration before a release": "Runs once to completion, with retries "
        "(backoffLimit), when you create it, with no schedule: a Swarm service mode does the "
        "same.",
    "a three-member database cluster, each member with its own disk": "The members are not "
        "interchangeable: each keeps its name and its own volume (volumeClaimTemplates) when "
        "it is replaced.",
}
"""The hint for a workload given a wrong kind: what the workload needs, and its name in the
other systems, never the Kubernetes kind, which is the answer."""


_SWARM_MODE = ("is a Swarm service mode; the exercise asks for the Kubernetes kind that does the "
               "same.")
_WORKLOAD_WORDS = {
    "ReplicaSet": "A Deployment makes and manages ReplicaSets and adds rolling updates: you "
                  "write the Deployment, not the ReplicaSet.",
    "ReplicationController": "The ReplicationController is the ReplicaSet's older form; the "
                             "Kubernetes docs recommend a Deployment instead.",
    "Pod": "A bare Pod is not replaced when it fails or its node goes: name the kind of "
           "controller that makes and replaces the Pods.",
    "Service": "A Service gives Pods one address and load-balances to them; it runs nothing: "
               "name the kind that runs the Pods.",
    **dict.fromkeys(("HorizontalPodAutoscaler", "HPA"),
                    "An autoscaler changes a workload's replica count; it runs no Pods "
                    "itself: name the workload's own kind."),
    "PersistentVolumeClaim": "A claim asks for storage and runs nothing: which workload kind "
                             "gives each of its Pods a claim of its own?",
    "Operator": "An operator is a controller written for kinds of its own; the exercise asks "
                "which built-in kind fits.",
    "batch": "batch is the API group (batch/v1) of two of the kinds, not a kind: name the kind.",
    "cron": "cron is the Unix scheduler whose schedule syntax one of the kinds borrows: name "
            "the kind.",
    **{mode: f"{mode} {_SWARM_MODE}"
       for mode in ("global", "replicated", "replicated-job", "global-job")},
    **{name: f"{name} is a Mesos framework for jobs; the exercise asks for the Kubernetes kind."
       for name in ("Chronos", "Metronome")},
}
"""Kinds, modes and terms a learner may give a workload that are none of its labels, and what
each teaches (kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/:
"a Deployment that configures a ReplicaSet is now the recommended way to set up replication";
docs.docker.com/reference/compose-file/deploy/#mode for Swarm's modes)."""


@checker("Right: long-running services, one copy per node, batch once, batch on a schedule, "
         "and stateful members: five kinds, five controllers.")
def check_workload_kinds(answer: object) -> None:
    """``answer``: the Kubernetes kind for each of :data:`WORKLOADS`."""
    kinds = ("Deployment", "DaemonSet", "CronJob", "Job", "StatefulSet")
    classify(answer, _WORKLOADS, kinds, _WORKLOAD_HINTS, plausible=_WORKLOAD_WORDS)


# --- the case study: the rebuilt tables -------------------------------------------------------

@checker("Right: of the eight jobs every orchestrator does, Swarm and Kubernetes differ on "
         "those, read from the matrix rather than from memory.")
def check_differing_features(answer: object) -> None:
    """``answer``: ids of the features in category ``orchestrator_jobs`` where Swarm and
    Kubernetes differ (:meth:`clustersim.features.Feature.differs`)."""
    matrix = load_features()
    storage = matrix.categories["orchestrator_jobs"].features
    truth = {f_id for f_id, f in storage.items() if f.differs(["swarm", "kubernetes"])}
    if isinstance(answer, str) or not isinstance(answer, Sequence | set | frozenset):
        raise Wrong("The answer must be a list of feature ids.",
                    "Build it with a comprehension over matrix.categories['orchestrator_jobs']"
                    ".features.")
    mine = set(listed(answer, list(storage), "feature ids", example="['scaling']",
                      unknown=lambda item: Wrong(f"Not a feature id of that category: {item!r}.",
                                                 f"The ids are the keys: {', '.join(storage)}.")))
    if not mine:
        raise Wrong("The list is empty: Swarm and Kubernetes do differ on some jobs.",
                    "Keep the ids for which feature.differs(['swarm', 'kubernetes']) is True.")
    if mine != truth:
        extra, missed = len(mine - truth), len(truth - mine)
        problems = []
        if extra:
            verb = "does" if extra == 1 else "do"
            problems.append(f"{counted(extra, 'feature')} on your list {verb} not differ")
        if missed:
            verb = "is" if missed == 1 else "are"
            problems.append(f"{counted(missed, 'feature')} where they differ {verb} missing")
        raise Wrong("; ".join(problems) + ".",
                    "Call feature.differs(['swarm', 'kubernetes']): it compares levels where "
                    "both cells have one, else values; keep the ids where it returns True.")


_DESIGN_OR_STATUS = {
    "how the scheduler places containers": "design",
    "the latest release": "status",
    "how service discovery works": "design",
    "whether the project is maintained": "status",
    "which companies offer it as a managed service": "status",
    "how a rolling update replaces copies": "design",
}
DESIGN_OR_STATUS = tuple(_DESIGN_OR_STATUS)
"""The rows of the design-or-status exercise, in order, without their answers."""
_DESIGN_HINTS = {
    "how the scheduler places containers": "Placement rules change rarely and slowly: design.",
    "the latest release": "Releases change every few months: a status cell needs its date.",
    "how service discovery works": "Discovery (virtual IPs, DNS) is part of each system's "
        "design.",
    "whether the project is maintained": "Mesos went to the Apache Attic in 2025: maintenance "
        "is status and needs an as-of date.",
    "which companies offer it as a managed service": "Offerings come and go (DC/OS is gone): "
        "status.",
    "how a rolling update replaces copies": "The update algorithm is design.",
}


_DESIGN_WORDS = {
    "both": "Each row is one or the other: would the cell still be true in a few years without "
            "a new check (design), or does it need an as-of date (status)?",
    **dict.fromkeys(("date", "as of", "current", "changes", "volatile", "version", "state"),
                    "A cell that changes and needs its check date is what the label 'status' "
                    "says."),
    **dict.fromkeys(("architecture", "stable", "concept", "lasting", "feature", "mechanism"),
                    "How a system works, which stays true for years, is what the label "
                    "'design' says."),
    **dict.fromkeys(("wrong", "outdated", "garbled"),
                    "That is a verdict on a 2019 claim, the next question's label; here label "
                    "each row by how fast its cell changes."),
}
"""Words a learner may give a row of the design-or-status table that are neither."""


@checker("Right: design cells stay true for years; status cells change and carry an as-of date.")
def check_design_or_status(answer: object) -> None:
    """``answer``: each row of :data:`DESIGN_OR_STATUS` labelled "design" or "status"."""
    classify(answer, _DESIGN_OR_STATUS, ("design", "status"), _DESIGN_HINTS,
             plausible=_DESIGN_WORDS)


# --- the case study: what 2019 got wrong ------------------------------------------------------

CLAIMS = (
    ("maturity_status", "first_release", "swarm"),
    ("maturity_status", "latest_release", "kubernetes"),
    ("load_balancing", "internal_load_balancing", "mesos"),
    ("storage", "persistent_storage", "swarm"),
    ("application_definition", "app_objects", "mesos"),
    ("network_model", "addressing", "kubernetes"),
)
"""(category, feature, system) of the 2019 claims the exercise asks about."""


def _claim(category: str, feature: str, system: str) -> Any:
    return load_features().categories[category].features[feature].cells[system]


def claim_text(number: int) -> str:
    """The paraphrased 2019 claim number ``number`` (1-based) of :data:`CLAIMS`."""
    category, feature, system = CLAIMS[number - 1]
    return _claim(category, feature, system).claim_2019.claim


_VERDICT_HINTS = {
    "wrong": "Wrong means false already in 2019: was it false then, or only since? ",
    "outdated": "Outdated means true in 2019 and changed since: was it true then? ",
    "garbled": "Garbled means the fact was right and only the words or layers were mixed up: "
               "is the fact right? ",
}
"""What the learner's (wrong) verdict claims, as a question to check against the matrix."""


_VERDICT_WORDS = {
    **dict.fromkeys(("true", "right", "correct", "fine"),
                    "Every claim here is flawed in one way: false already when written, true "
                    "then but changed since, or a right fact in mixed-up words."),
    **dict.fromkeys(("false", "incorrect", "untrue"),
                    "False covers two verdicts: false already in 2019 (wrong) or only since "
                    "(outdated); which was it?"),
    **dict.fromkeys(("out of date", "old", "obsolete", "stale", "deprecated", "changed"),
                    "True when written and changed since is what the label 'outdated' says."),
    **dict.fromkeys(("mixed up", "mixed", "confused", "muddled", "misleading", "imprecise"),
                    "A right fact in mixed-up words or layers is what the label 'garbled' "
                    "says."),
    **dict.fromkeys(("design", "status"),
                    "That labels a row of the design-or-status question; here give each 2019 "
                    "claim its verdict."),
}
"""Words a learner may give a 2019 claim that are none of the verdicts."""


@checker("Right: those are the verdicts of the primary sources. Wrong = false when written, "
         "outdated = true then but changed, garbled = right fact in mixed-up words or layers.")
def check_claim_verdicts(answer: object) -> None:
    """``answer``: {claim number: "wrong" | "outdated" | "garbled"} for :data:`CLAIMS`."""
    cells = {i: _claim(*c) for i, c in enumerate(CLAIMS, start=1)}
    truth = {str(i): c.claim_2019.verdict for i, c in cells.items()}
    if isinstance(answer, Mapping):
        answer = {str(k): v for k, v in answer.items()}
    given = answer if isinstance(answer, Mapping) else {}
    hints = {str(i): _VERDICT_HINTS.get(find_label(given.get(str(i)), _VERDICT_HINTS) or "", "")
             + f"The matrix cell says: {c.value} ({c.note})" for i, c in cells.items()}
    classify(answer, truth, tuple(_VERDICT_HINTS), hints, plausible=_VERDICT_WORDS)


_LAYERS = {
    "resource offers to frameworks": "mesos",
    "Dominant Resource Fairness between frameworks": "mesos",
    "application groups with dependencies": "marathon",
    "placement constraints such as UNIQUE or GROUP_BY": "marathon",
    "health checks that restart an app's tasks": "marathon",
    "containerizers that isolate tasks with cgroups": "mesos",
    "rolling upgrades with minimumHealthCapacity": "marathon",
}
LAYERS = tuple(_LAYERS)
"""The features of the Mesos-or-Marathon exercise, in order, without their answers."""
_LAYER_HINTS = {
    "resource offers to frameworks": "Offers are how the Mesos master shares resources.",
    "Dominant Resource Fairness between frameworks": "DRF is the Mesos master's allocator.",
    "application groups with dependencies": "Groups and dependencies are Marathon's "
        "(the 2019 article credited the tree to Mesos).",
    "placement constraints such as UNIQUE or GROUP_BY": "Marathon checks its constraints "
        "against each offer it receives; Mesos knows nothing of them.",
    "health checks that restart an app's tasks": "Mesos runs the checks, but killing and "
        "replacing unhealthy tasks is Marathon's decision (its health check policy).",
    "containerizers that isolate tasks with cgroups": "The Mesos agent's containerizer does "
        "the isolation.",
    "rolling upgrades with minimumHealthCapacity": "upgradeStrategy is part of a Marathon app.",
}


_LAYER_WORDS = {
    "both": "Each feature belongs to one layer: Mesos shares the machines among frameworks, "
            "and Marathon is one framework, which runs apps on what it is offered.",
    **dict.fromkeys(("framework", "scheduler"),
                    "Marathon is the framework (the scheduler) here: label what the framework "
                    "does 'marathon'."),
    **dict.fromkeys(("master", "agent", "slave", "allocator", "containerizer", "mesos master",
                     "mesos agent"),
                    "The master, its allocator, the agents and their containerizers are parts "
                    "of Mesos: label what they do 'mesos'."),
    **dict.fromkeys(("DC/OS", "DCOS"),
                    "DC/OS bundled Mesos, Marathon and more; the question is which of the two "
                    "layers provides the feature."),
    **{name: f"{name} is another framework on Mesos; the question is Mesos or Marathon."
       for name in ("Chronos", "Metronome", "Aurora")},
    **{name: f"{name} is an add-on of the Mesos stack, not one of the two layers asked about."
       for name in ("marathon-lb", "Mesos-DNS")},
    "ZooKeeper": "ZooKeeper elects the leading Mesos master (and Marathon's leader); it is "
                 "neither of the two layers asked about.",
    **dict.fromkeys(("kubernetes", "swarm"),
                    "The question is about the two layers of the Mesos stack."),
}
"""Words a learner may give a feature of the Mesos stack that are neither layer."""


@checker("Right: Mesos shares resources (offers, DRF, containerizers); Marathon runs "
         "applications (groups, constraints, health policy, upgrades).")
def check_layers(answer: object) -> None:
    """``answer``: each of :data:`LAYERS` labelled "mesos" or "marathon"."""
    classify(answer, _LAYERS, ("mesos", "marathon"), _LAYER_HINTS, plausible=_LAYER_WORDS)
