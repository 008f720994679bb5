"""Checks for the "explore real manifests" lab: fix a broken manifest; keep a service on SSDs."""

from __future__ import annotations

import re
from decimal import Decimal

from clustersim.clusters import demo_nodes
from clustersim.exercises.answers import load_answer
from clustersim.exercises.carried_words import carried_word_hint
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.explore import place
from clustersim.manifests import ManifestError

__all__ = ["check_fixed_deployment", "check_ssd_only_stack"]


def _require_text(answer: object) -> str:
    if not isinstance(answer, str):
        raise Wrong("The answer must be the YAML text (a string).", "Keep the triple quotes.")
    return answer


def _load_hint(err: ManifestError) -> str:
    """A hint for a loader error, by what the message is about. A memory quantity gets its
    own: bytes with a suffix, binary (``Ki Mi Gi``) or decimal (``k M G``), never ``MB``
    (kubernetes.io, "Resource Management for Pods and Containers", Meaning of memory:
    https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)."""
    message = str(err)
    if "quantity" in message and err.path.endswith(".memory"):
        return ("Read the field path in the message: memory is a number of bytes with a "
                "suffix such as '256Mi' (mebibytes) or '1Gi'. Kubernetes has no 'MB' or 'GB': "
                "its decimal suffixes are 'M' and 'G' (256M is 256,000,000 bytes).")
    if "quantity" in message:
        return ("Read the field path in the message: that field needs a quantity, a number "
                "with an optional suffix and no unit word, such as '500m' (half a core) or "
                "'1' (one core).")
    if "standard resource" in message or "extended resource" in message:
        return ("The resource's name is wrong, not its amount: a container requests cpu and "
                "memory, written in lowercase.")
    if "selector" in message or "labels" in message:
        return "The selector's matchLabels must equal labels in the Pod template."
    return "Read the field path and what was expected in the message, and fix that field only."


@checker("Right: the Deployment loads, and both replicas are running.")
def check_fixed_deployment(text: object) -> None:
    """``text``: the corrected YAML of the broken ``web`` Deployment."""
    text = _require_text(text)
    specs = load_answer(text, "answer", hint=_load_hint)
    deployments = [s for s in specs if s.kind == "Deployment"]
    if len(deployments) != 1 or deployments[0].name != "web":
        raise Wrong("Keep exactly one Deployment named 'web'.", "Change only the broken value.")
    replicas = deployments[0].manifest.get("spec", {}).get("replicas", 1)
    if replicas != 2:
        raise Wrong(f"The Deployment asks for {replicas} replica(s); the task keeps 2.",
                    "Change only the broken value, not replicas.")
    _require_two_cores(deployments[0].workloads()[0].cpu)
    placement = place(text, name="your answer")
    running = [t for t in placement.snapshot.tasks if t.node]
    if placement.waiting or len(running) != 2:
        reason = placement.waiting[0][1] if placement.waiting else "fewer pods than asked for"
        raise Wrong(f"It loads, but not every replica runs: {reason}",
                    "The default workers have 4 CPUs each; two replicas of two cores fit on "
                    "them: change only the CPU value.")


def _require_two_cores(cpu: Decimal) -> None:
    """The broken value said "two cores": the fix keeps that amount, in a quantity's spelling.

    A Kubernetes CPU quantity counts cores, and the suffix ``m`` thousandths of a core
    (kubernetes.io, "Resource Management for Pods and Containers", CPU resource units).
    """
    if cpu == 2:
        return
    if cpu == Decimal("0.002"):
        raise Wrong("It asks for 2m of CPU: two thousandths of a core, not two cores.",
                    "The suffix m means millicores (1000m is one core): write 2, or 2000m.")
    raise Wrong(f"It asks for {cpu.normalize():f} CPU, but the broken value said two cores.",
                "Change only how the amount is written, not the amount: a CPU quantity "
                "counts cores, with no unit word.")


def _stack_hint(message: str) -> str:
    """A hint for a stack the loader refuses: the syntax of a constraint when the message is
    about one, else where to look (an empty answer or broken YAML is no constraint's fault)."""
    if "constraint" in message:
        return ("deploy.placement.constraints is a list of strings, each a node attribute, "
                "== or !=, and a value with no quotes of its own: [node.role == worker], or "
                "quote the whole string: [\"node.role == worker\"].")
    if "no manifest" in message:
        return ("Start again from the starter's stack (services:, db: with its image and "
                "deploy: replicas: 3) and add the placement under deploy:.")
    return "Read the line and field the message names, and fix that line only."


@checker("Right: every replica of 'db' runs on a node labelled ssd=true.")
def check_ssd_only_stack(text: object) -> Feedback | None:
    """``text``: a stack file whose service ``db`` (3 replicas) runs only on SSD nodes."""
    text = _require_text(text)
    try:
        placement = place(text, name="your stack")
    except (ManifestError, ValueError) as err:
        raise Wrong(f"The stack does not deploy: {err}",
                    carried_word_hint(err) or _stack_hint(str(err))) from None
    if placement.system != "swarm":
        raise Wrong("That is not a Compose/stack file.", "Start from the starter's 'services:'.")
    ssd = {n.name for n in demo_nodes("swarm") if n.labels.get("ssd") == "true"}
    db = [t for t in placement.snapshot.tasks if t.owner.endswith("_db")]
    if len(db) != 3:
        raise Wrong(f"Found {len(db)} task(s) of service 'db', expected 3.",
                    "Keep the service name 'db' and deploy.replicas: 3.")
    if any(not t.node for t in db):
        why = next((why for task, why in placement.waiting if "_db." in task), "pending")
        raise Wrong(f"{sum(not t.node for t in db)} of 3 'db' tasks run nowhere: {why}.",
                    "No node satisfies your constraint. Swarm knows node.labels.<name> (the "
                    "label name is case-sensitive), node.role, node.hostname and a few more; "
                    "any other key matches no node. The SSD nodes carry the label ssd=true.")
    elsewhere = sorted({t.node for t in db if t.node and t.node not in ssd})
    rules = [rule for s in placement.specs for w in s.workloads() if w.name.endswith("_db")
             for rule in w.placement]
    if elsewhere:
        constrained = bool(rules)
        raise Wrong(
            f"Some 'db' tasks run on nodes without SSDs: {', '.join(elsewhere)}.",
            "Your placement rule does not pick the SSD nodes: check the label's name and "
            "value (the SSD nodes carry ssd=true)." if constrained else
            "Swarm places tasks on any node unless the service has placement constraints "
            "(deploy.placement.constraints) on a node label; SSD nodes carry a label.",
        )
    # right by where the tasks run, as check_weights takes a weight right by its split
    hosts = ", ".join(sorted({t.node for t in db if t.node}))
    labels = sorted({re.split("[!=]=", rule.replace(" ", ""))[0].removeprefix("node.labels.")
                     for rule in rules if rule.replace(" ", "").startswith("node.labels.")})
    if not labels:
        return Feedback(True, f"Right: every replica of 'db' runs on {hosts}, the one node "
                        "labelled ssd=true today. Your constraint names the machine, not what it "
                        "has: a second SSD node would get no task, nor take over if this one is "
                        "lost. node.labels.ssd == true follows the label to any SSD node.")
    if "ssd" not in labels:
        return Feedback(True, f"Right: every replica of 'db' runs on {hosts}, which carries "
                        f"ssd=true and also the label your constraint reads ({', '.join(labels)}). "
                        "The SSD nodes are the ones labelled ssd=true: one added tomorrow with "
                        "that label alone would get no task. node.labels.ssd == true follows "
                        "the label the exercise names.")
    return None
