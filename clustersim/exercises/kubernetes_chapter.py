"""Checks for the Kubernetes chapter (``book/orchestrators/kubernetes.md``).

- :func:`check_least_allocated`: the ``NodeResourcesFit`` (LeastAllocated) score of each node
  for a Pod, by hand, compared with :meth:`KubernetesCluster.explain` (kubernetes/kubernetes
  ``pkg/scheduler/framework/plugins/noderesources/least_allocated.go``), with a hint for each
  typical slip of the hand computation, and for a share between 0 and 1 the scale of a
  plugin's score (``MaxNodeScore``, 100, in the scheduling framework's ``interface.go``).
- :func:`check_gpu_pod`: a Pod the learner writes that must run on the tainted GPU node and
  nowhere else: ``nodeSelector`` (or node affinity) plus a toleration (``TaintToleration`` and
  ``NodeAffinity`` filter plugins, ``pkg/scheduler/framework/plugins/tainttoleration`` and
  ``.../nodeaffinity``), applied to a :class:`KubernetesCluster`.
- :func:`check_failed_scheduling`: the reason counts of a ``FailedScheduling`` event, by
  hand (``pkg/scheduler/schedule_one.go``, ``FitError.Error``: each node counts once per
  reason of the first filter plugin that rejects it; ``NodeResourcesFit`` lists every
  insufficient resource).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from clustersim.exercises.answers import keyed, one_pod, whole_number
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.kubernetes.scheduler.taints import mismatched_fields
from clustersim.node import Node
from clustersim.numeric import is_number, is_whole
from clustersim.quantity import format_quantity

__all__ = ["BIG_POD", "FAILED_REASONS", "GPUS", "GPU_TAINT", "SCORE_PROBE",
           "check_failed_scheduling", "check_gpu_pod", "check_least_allocated",
           "failed_reason_counts", "gpu_cluster", "gpu_nodes", "least_allocated",
           "score_cluster"]

_GIB = 2**30
SCORE_NODES = {"node-1": (4000, 8 * _GIB), "node-2": (8000, 16 * _GIB), "node-3": (2000, 8 * _GIB)}
"""Allocatable (millicores, bytes) of each node of :func:`score_cluster`."""
EXISTING = {"node-1": (2000, 2 * _GIB), "node-2": (5000, 4 * _GIB), "node-3": (0, 0)}
"""Requests already on each node (one pinned Pod on node-1 and on node-2)."""
SCORE_PROBE = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
               "spec": {"containers": [{"name": "web", "image": "shop/web:2.0.2",
                                        "resources": {"requests": {"cpu": "1",
                                                                   "memory": "2Gi"}}}]}}
_PROBE_REQUEST = (1000, 2 * _GIB)


def least_allocated(allocatable: tuple[int, int], requested: tuple[int, int]) -> int:
    """LeastAllocated with CPU and memory weighted 1: per resource ``(allocatable -
    requested) * 100 // allocatable``, then the integer mean (least_allocated.go)."""
    per = [(a - r) * 100 // a for a, r in zip(allocatable, requested, strict=True)]
    return sum(per) // len(per)


def score_cluster() -> KubernetesCluster:
    """Three nodes; ``batch-1`` (2 CPU, 2 GiB) runs on node-1, ``batch-2`` (5 CPU, 4 GiB) on
    node-2."""
    cluster = KubernetesCluster([Node(name, cpu=cpu // 1000, memory=memory, zone=f"zone-{name[-1]}")
                                 for name, (cpu, memory) in SCORE_NODES.items()], seed=0)
    cluster.apply([
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"batch-{node[-1]}"},
         "spec": {"nodeSelector": {"kubernetes.io/hostname": node},
                  "containers": [{"name": "batch", "image": "shop/batch:1.0",
                                  "resources": {"requests": {"cpu": f"{cpu}m",
                                                             "memory": str(memory)}}}]}}
        for node, (cpu, memory) in EXISTING.items() if cpu])
    cluster.run(until=60)
    return cluster


def _with_pod(node: str) -> tuple[int, int]:
    """What ``node`` holds once the incoming Pod is placed (millicores, bytes)."""
    existing = EXISTING[node]
    return (existing[0] + _PROBE_REQUEST[0], existing[1] + _PROBE_REQUEST[1])


def _used_share(node: str) -> int:
    """The slip of scoring the used share: per resource ``requested * 100 // allocatable``,
    then the integer mean, as a learner computes it by hand."""
    per = [r * 100 // a for a, r in zip(SCORE_NODES[node], _with_pod(node), strict=True)]
    return sum(per) // len(per)


def _unfloored(node: str) -> float:
    """The score without least_allocated.go's integer division (node-1: 37.5, not 37)."""
    return sum((a - r) * 100 / a
               for a, r in zip(SCORE_NODES[node], _with_pod(node), strict=True)) / 2


_FREE_SHARE = ("LeastAllocated scores the *free* share (allocatable − requested), not the "
               "used one.")
_INTEGER_DIVISION = ("Kubernetes uses integer division at each step: drop the fraction of each "
                     "resource's score, then of the mean (37.5 becomes 37, not 38).")
_SLIPS: tuple[tuple[Callable[[str], float], str], ...] = (
    (lambda node: least_allocated(SCORE_NODES[node], EXISTING[node]),
     "Count the incoming Pod's requests too: the score is for the node after placing it."),
    (_used_share, _FREE_SHARE),
    (lambda node: 100 - least_allocated(SCORE_NODES[node], _with_pod(node)), _FREE_SHARE),
    (_unfloored, _INTEGER_DIVISION),
    (lambda node: round(_unfloored(node)), _INTEGER_DIVISION),
    (lambda node: int(_unfloored(node) + 0.5), _INTEGER_DIVISION),
)
"""Typical slips of the hand computation, each a node's score as the slip gives it and its
hint. Without the incoming Pod node-1 scores 62, and so it does with the used share: a slip
is named only when it gives the learner's number on every node, or one of its numbers alone
(then every slip that gives it is named)."""
_FORMULA = ("Per resource: (allocatable − requested) × 100 // allocatable, with requested "
            "including the new Pod; then the mean of CPU and memory, rounded down.")


def _slip(answer: Mapping[Any, Any], node: str) -> str:
    """The hint for ``node``'s wrong score: the slip that explains the whole answer, else every
    slip that gives this node's number, else the formula."""
    def gives(slip: Callable[[str], float], name: str) -> bool:
        given = answer[name]
        return is_number(given) and math.isclose(given, slip(name), abs_tol=1e-9)

    for slip, hint in _SLIPS:
        if all(gives(slip, name) for name in SCORE_NODES):
            return hint
    hints = list(dict.fromkeys(hint for slip, hint in _SLIPS if gives(slip, node)))
    return " Or: ".join(hints) or _FORMULA


@checker("Right: 37, 43 and 62. The small empty node-3 scores highest: LeastAllocated compares "
         "free shares, not free amounts.")
def check_least_allocated(answer: object) -> None:
    """``answer``: ``{node: NodeResourcesFit score}`` for :data:`SCORE_PROBE` on
    :func:`score_cluster`. A score between 0 and 1 is told the scale, a fraction that one
    of :data:`_SLIPS` gives its hint, before :func:`whole_number` refuses it."""
    answer = keyed(answer, SCORE_NODES, "node")
    verdicts = score_cluster().explain(SCORE_PROBE)
    for node in SCORE_NODES:
        given = answer[node]
        if is_number(given) and 0 < given < 1:
            raise Wrong(f"{node}: {given!r} is a share, not a score.",
                        "A plugin's score runs from 0 to 100 (MaxNodeScore): multiply each "
                        "resource's free share by 100 before the integer division.")
        if is_number(given) and not is_whole(given) and _slip(answer, node) != _FORMULA:
            raise Wrong(f"{node}: not {given!r}.", _slip(answer, node))
        given = whole_number(given, f"{node}'s score")
        if given != verdicts[node].scores["NodeResourcesFit"]:
            raise Wrong(f"{node}: not {given}.", _slip(answer, node))


GPU_TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}


GPUS = 4
"""``nvidia.com/gpu`` that gpu-1 advertises, as NVIDIA's device plugin would (an extended
resource, compared like CPU and memory by ``NodeResourcesFit``), so that a Pod may ask for a
GPU in its ``limits`` as real GPU Pods do."""


def gpu_nodes() -> list[Node]:
    """:func:`default_nodes` plus ``gpu-1`` (8 CPU, 64 GiB, :data:`GPUS` ``nvidia.com/gpu``,
    label ``accelerator=nvidia``, taint :data:`GPU_TAINT`)."""
    return [*default_nodes(), Node("gpu-1", cpu=8, memory="64Gi", zone="zone-a",
                                   labels={"accelerator": "nvidia"}, taints=[GPU_TAINT],
                                   extended_resources={"nvidia.com/gpu": GPUS})]


def _gpu_node() -> Node:
    """``gpu-1`` as :func:`gpu_nodes` makes it."""
    return next(node for node in gpu_nodes() if node.name == "gpu-1")


def _capacity(node: Node) -> str:
    """What ``node`` offers a Pod's requests, for a hint: ``8 CPUs, memory 64Gi and 4
    nvidia.com/gpu`` (each quantity in Kubernetes' canonical form)."""
    parts = [f"{format_quantity(node.cpu)} CPUs", f"memory {format_quantity(node.memory, True)}",
             *(f"{format_quantity(amount)} {name}"
               for name, amount in node.extended_resources.items())]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def gpu_cluster() -> KubernetesCluster:
    """A cluster of :func:`gpu_nodes`."""
    return KubernetesCluster(gpu_nodes(), seed=0)



@checker("Right: the Pod runs on gpu-1, and no other node would take it: the toleration lets "
         "it past the taint, and the node selector (or a request for nvidia.com/gpu, which only "
         "gpu-1 has) keeps it off ordinary nodes.")
def check_gpu_pod(manifest: object) -> None:
    """``manifest``: a Pod (YAML text or dict) that must run on ``gpu-1`` of
    :func:`gpu_cluster`, and could not run on any other node. The hints follow what the Pod
    says (a toleration, a node selection, neither) and point at what is missing without
    writing it: the chapter's "Steering a Pod" shows both fields with another label and
    taint."""
    pod = _read_pod(manifest)
    raw = pod.get("spec")
    spec: dict[str, object] = raw if isinstance(raw, dict) else {}
    if spec.get("nodeName"):
        raise Wrong("spec.nodeName binds the Pod to a node directly: the scheduler never sees "
                    "it, so none of its filters or scores run; the kubelet's own admission "
                    "check ignores NoSchedule taints (kubernetes/kubernetes "
                    "pkg/kubelet/lifecycle/predicate.go), and the Pod is tied to that node "
                    "by name.",
                    "This exercise is about steering the scheduler: remove nodeName, rule out "
                    f"the ordinary nodes by a label only gpu-1 carries, and {_PAST_TAINT}.")
    cluster = gpu_cluster()
    try:
        cluster.apply(pod)
    except ValueError as err:  # ManifestError, AdmissionError: what kubectl apply would refuse
        raise Wrong(f"The manifest is not accepted: {err}", "Fix what the message names.") from None
    cluster.run(until=60)
    verdicts = cluster.explain(pod)
    placed = next(p for p in cluster.pods() if p.name == pod["metadata"]["name"])
    others = sorted(n for n, v in verdicts.items() if v.feasible and n != "gpu-1")
    if placed.node is None:
        reasons = "; ".join(verdicts["gpu-1"].reasons)
        hint = (_toleration_hint(spec) if "taint" in reasons else
                "Your node selection rules out gpu-1 too: compare it, key and value, with "
                "gpu-1's labels printed above."
                if "affinity" in reasons or "selector" in reasons else
                f"gpu-1 has {_capacity(_gpu_node())}: ask for no more than that "
                "(NodeResourcesFit compares every request with what is left)."
                if "Insufficient" in reasons else
                "Ask explain(pod) why gpu-1 refuses it.")
        raise Wrong(f"The Pod stays Pending: {placed.message or reasons}", hint)
    if placed.node != "gpu-1":
        raise Wrong(f"The Pod runs on {placed.node}, not on gpu-1.", _ordinary_nodes_hint(spec))
    if others:
        raise Wrong(f"It landed on gpu-1, but {', '.join(others)} would take it as well: it "
                    "won on scores this time.", _ordinary_nodes_hint(spec))


_KEY_EQUALS_VALUE = re.compile(
    r'spec\.nodeSelector: (Invalid value: "[^"=]+=[^"]*"|cannot unmarshal array)')
"""The API server's refusal of a node selector written ``{accelerator=nvidia}`` (YAML reads
it as a key that holds ``=``, which no label key may) or as a list of such words."""
_OTHER_STEERING = re.compile(r'unknown field "spec\.(constraints|placement)"')
"""Another orchestrator's field for steering a task, in a Pod: Marathon's (and Swarm's)
``constraints``, Swarm's ``placement``, each with :data:`_WHOSE` word it is."""
_WHOSE = {"constraints": "Marathon's (and Swarm's)", "placement": "Swarm's"}


def _read_pod(manifest: object) -> dict[str, Any]:
    """:func:`one_pod`, with the hint for two slips of a newcomer who steers a Pod: a node
    selector in ``kubectl label``'s ``key=value`` form (a ``nodeSelector`` is a map of label
    keys to values, ``PodSpec.NodeSelector`` in kubernetes/api ``core/v1/types.go``), and
    another orchestrator's word for it."""
    try:
        return one_pod(manifest)
    except Wrong as wrong:
        if _KEY_EQUALS_VALUE.search(wrong.message):
            raise Wrong(wrong.message, "nodeSelector is a map of label keys to values, written "
                        "key: value (a colon and a space). The key=value form is how kubectl "
                        "label and kubectl get -l write a label on the command line.") from None
        other = _OTHER_STEERING.search(wrong.message)
        if other:
            raise Wrong(wrong.message, f"{other.group(1)} is {_WHOSE[other.group(1)]} word "
                        "for steering a task. A Pod is steered by nodeSelector (the labels a "
                        "node must carry) and tolerations (the taints it may ignore), both in "
                        "spec.") from None
        raise


_PAST_TAINT = ("let the Pod past gpu-1's taint with a toleration (the chapter's \"Steering a "
               "Pod\" shows both fields)")


def _selects_nodes(spec: dict[str, object]) -> bool:
    """Whether the Pod says anything about which nodes it wants (a node selector or node
    affinity)."""
    affinity = spec.get("affinity")
    return bool(spec.get("nodeSelector")) or (
        isinstance(affinity, dict) and bool(affinity.get("nodeAffinity")))


def _ordinary_nodes_hint(spec: dict[str, object]) -> str:
    """Why an ordinary node still takes the Pod, by what the Pod says: nothing at all, a
    toleration alone, or a node selection that does not rule them out."""
    if _selects_nodes(spec):
        return ("Your node selection does not rule the ordinary nodes out (a preferred node "
                "affinity only adds to a node's score): require a label that only gpu-1 "
                "carries.")
    if spec.get("tolerations"):
        return ("Your toleration lets the Pod onto gpu-1 but does not draw it there. What does "
                "gpu-1 carry that the ordinary nodes lack (see the listing above)? Make the Pod "
                "require it.")
    return ("Nothing in the Pod points it at gpu-1, so it goes to the best-scoring ordinary "
            "node. It needs two things: rule out the nodes without gpu-1's label, and "
            f"{_PAST_TAINT}.")


_TAINT_TEXT = f"{GPU_TAINT['key']}={GPU_TAINT['value']}:{GPU_TAINT['effect']}"
_FIELD_FIX = {
    "effect": "effect {given!r} is not NoSchedule (an empty effect matches every effect)",
    "value": "value {given!r} is not present (operator Equal compares values; Exists "
             "matches any value)",
    "operator": "operator {given!r} matches nothing (use Equal or Exists)",
}


def _toleration_hint(spec: dict[str, object]) -> str:
    """What keeps the Pod's tolerations from letting it onto gpu-1: none at all, none for the
    taint's key, or the fields of one that has the key and still does not match
    (``ToleratesTaint``, k8s.io/api ``core/v1/toleration.go``)."""
    tolerations = spec.get("tolerations") or []
    for toleration in tolerations if isinstance(tolerations, list) else []:
        if isinstance(toleration, dict) and toleration.get("key") == GPU_TAINT["key"]:
            wrong = [_FIELD_FIX[f].format(given=toleration.get(f))
                     for f in mismatched_fields(toleration, GPU_TAINT)]
            return (f"Your toleration for {GPU_TAINT['key']} does not match the taint "
                    f"{_TAINT_TEXT}: its {'; its '.join(wrong)}.")
    if tolerations:
        return ("None of your tolerations has the key of gpu-1's taint (printed above): a "
                "toleration matches a taint by key, effect and, with operator Equal, value.")
    return ("gpu-1 turns the Pod away for its taint (printed above): add a toleration that "
            "matches its key, value and effect (the chapter's \"Steering a Pod\" shows the form).")


BIG_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "index"},
           "spec": {"containers": [{"name": "index", "image": "shop/search-index:2.0",
                                    "resources": {"requests": {"cpu": "6", "memory": "24Gi"}}}]}}
FAILED_REASONS = {"Insufficient cpu": "Insufficient cpu",
                  "Insufficient memory": "Insufficient memory",
                  "untolerated taint": "had untolerated taint"}
"""The reasons the learner counts, and the text that identifies each in a filter's reason."""


def failed_reason_counts() -> dict[str, int]:
    """How many nodes report each of :data:`FAILED_REASONS` for :data:`BIG_POD` on
    :func:`gpu_cluster` (from ``explain``, the data the event message is built from)."""
    counts: Counter[str] = Counter()
    for verdict in gpu_cluster().explain(BIG_POD).values():
        for reason in verdict.reasons:
            counts.update(k for k, text in FAILED_REASONS.items() if text in reason)
    return {k: counts[k] for k in FAILED_REASONS}


@checker("Right: 3 Insufficient cpu and 3 Insufficient memory (the three workers are short of "
         "both), 2 untolerated taints (control-plane and gpu-1, rejected before their "
         "resources are looked at). The counts add up to more than the 5 nodes.")
def check_failed_scheduling(answer: object) -> None:
    """``answer``: ``{reason: number of nodes}`` for the keys of :data:`FAILED_REASONS`, as
    the ``FailedScheduling`` event of :data:`BIG_POD` on :func:`gpu_cluster` counts them."""
    answer = {reason: whole_number(count, f"the number of nodes reporting {reason!r}")
              for reason, count in keyed(answer, FAILED_REASONS, "reason").items()}
    right = failed_reason_counts()
    if answer["untolerated taint"] != right["untolerated taint"]:
        raise Wrong(f"untolerated taint: not {answer['untolerated taint']}.",
                    "Look at the taints of every node: control-plane is not the only tainted "
                    "one, and the Pod tolerates none.")
    if answer["Insufficient cpu"] != right["Insufficient cpu"]:
        raise Wrong(f"Insufficient cpu: not {answer['Insufficient cpu']}.",
                    "A node is reported by the first filter that rejects it: TaintToleration "
                    "runs before NodeResourcesFit, so tainted nodes never get to “Insufficient”."
                    if answer["Insufficient cpu"] > right["Insufficient cpu"] else
                    "Which nodes have fewer than 6 CPUs and no taint?")
    if answer["Insufficient memory"] != right["Insufficient memory"]:
        raise Wrong(f"Insufficient memory: not {answer['Insufficient memory']}.",
                    "NodeResourcesFit reports every resource that is short on a node, not "
                    "only the first: the counts are of reasons, not of nodes."
                    if answer["Insufficient memory"] < right["Insufficient memory"] else
                    "Tainted nodes are rejected before their memory is compared.")
