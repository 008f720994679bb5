"""Checks for the first lab (does it fit?): counting copies and finding the scarce resource."""

from __future__ import annotations

from clustersim.capacity import pods_that_fit
from clustersim.exercises.answers import answered, choice, is_whole, whole_number
from clustersim.exercises.checker import Wrong, checker
from clustersim.node import Node
from clustersim.quantity import parse_quantity, to_millis, to_units

__all__ = ["EXERCISE_NODE", "check_copies", "check_scarce_resource"]

EXERCISE_NODE = Node("exercise-node", cpu="6", memory="12Gi")
_REQUEST = ("750m", "1536Mi")


@checker("Right: 8 copies fit. CPU allows 6000 / 750 = 8, memory 12 / 1.5 = 8: both run out.")
def check_copies(answer: object) -> None:
    """How many copies of a 750m / 1536Mi pod fit on ``EXERCISE_NODE``?"""
    answered(answer, "a whole number")
    if not isinstance(answer, str) and not is_whole(answer):
        raise Wrong(f"{answer!r} is not a whole number of copies.",
                    "A node runs whole pods: give an int such as 5.")
    answer = whole_number(answer, "the number of copies")
    right = pods_that_fit(EXERCISE_NODE, *_REQUEST)
    if answer == right:
        return
    cpu_only = EXERCISE_NODE.cpu_millis // to_millis(parse_quantity(_REQUEST[0]))
    mem_only = EXERCISE_NODE.memory_bytes // to_units(parse_quantity(_REQUEST[1]))
    if answer < 0:
        raise Wrong(f"{answer} copies: a count of copies is 0 or more.",
                    "Count how many whole copies fit, by CPU and by memory, and take the "
                    "smaller.")
    if answer == 12:
        raise Wrong("12 is what 6 cores / 0.5 would give.", "750m is three quarters of a core.")
    if answer > max(cpu_only, mem_only):
        raise Wrong(f"{answer} copies would need more than the node has.",
                    "Divide the node's CPU (in millicores) by 750, and its memory by 1536 Mi.")
    raise Wrong(f"{answer} is not it.", "Work out the limit from CPU and from memory separately, "
                "then take the smaller.")


_RESOURCE_ALIASES = {**dict.fromkeys(("ram", "mem"), "memory"),
                     **dict.fromkeys(("cpus", "core", "cores", "vcpu", "millicores"), "cpu")}
"""Other names for the two resources, read as the resource they name."""

_RESOURCE_WORDS = {
    "both": "Both run out together only when the two counts of copies are equal.",
    **dict.fromkeys(("neither", "none"),
                    "Copies are added until one resource has no room for the next: one of the "
                    "two always stops them."),
    **dict.fromkeys(("disk", "storage", "ephemeral-storage", "network", "GPU"),
                    "This pod requests only CPU and memory; a resource it does not request "
                    "limits nothing here."),
    "pods": "A node also caps the number of Pods it runs (the kubelet's maxPods), but the "
            "question is which of the two resources each copy requests runs out first.",
}
"""Words a learner may give for the scarce resource that are neither, with what each teaches
(``maxPods``: the kubelet's configuration,
https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/)."""


@checker("Right: memory. 8 Gi / 2 Gi = 4 copies, while CPU would allow 16 / 1 = 16.")
def check_scarce_resource(answer: object) -> None:
    """Which resource limits copies of a 1-core / 2Gi pod on a 16-core / 8Gi node?"""
    answered(answer, '"cpu" or "memory"')
    if is_whole(answer) or (isinstance(answer, str) and answer.strip().isdigit()):
        raise Wrong(f"{answer!r} is a number of copies, not a resource.",
                    'Count copies by each resource, then answer "cpu" or "memory": the one that '
                    "gives the smaller count.")
    resource = choice(answer, ("cpu", "memory"), "The scarce resource",
                      aliases=_RESOURCE_ALIASES, plausible=_RESOURCE_WORDS)
    if resource == "cpu":
        raise Wrong("CPU is not the limit here.",
                    "Count copies by CPU (16 cores / 1) and by memory (8 Gi / 2 Gi) and compare.")
