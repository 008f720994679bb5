"""Checks for the chapter ``book/orchestrators/delivery.md``.

- :func:`check_generator_edit`: what a Kustomize ``configMapGenerator`` edit does to the names,
  the Deployment and the old ConfigMap, compared with two builds applied to the simulated
  cluster (:mod:`clustersim.kubernetes.contenthash`;
  https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/).
- :func:`check_tools`: which of Helm, Kustomize, GitOps and an operator answers each of four
  needs.
"""

from __future__ import annotations

from typing import Any

from clustersim.exercises.answers import choice, keyed, yes_or_no
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.labels import meant_label
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.configupdates import consumers
from clustersim.kubernetes.contenthash import generated_name
from clustersim.node import Node

__all__ = ["NEEDS", "TOOLS", "build", "check_generator_edit", "check_tools", "edit_outcome"]


def build(log_level: str) -> list[dict[str, Any]]:
    """What ``kustomize build`` makes of a ``configMapGenerator`` named ``api-config`` with
    ``LOG_LEVEL`` and a Deployment ``api`` that reads it with ``envFrom``: the ConfigMap gets
    a content-hashed name and the Deployment's reference is rewritten to it."""
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "api-config"},
              "data": {"LOG_LEVEL": log_level}}
    name = generated_name(config)
    config["metadata"]["name"] = name
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api"},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "api"}},
                 "template": {"metadata": {"labels": {"app": "api"}},
                              "spec": {"containers": [{
                                  "name": "api", "image": "shop/api:3.1",
                                  "envFrom": [{"configMapRef": {"name": name}}]}]}}}}
    return [config, deployment]


def edit_outcome() -> dict[str, bool]:
    """Apply the build with ``LOG_LEVEL=info``, then with ``debug`` (``kubectl apply -k``,
    without ``--prune``), and report what happened in the simulated cluster."""
    cluster = KubernetesCluster(Node.many(2, "node", cpu="4", memory="8Gi"), seed=0)
    first, second = build("info"), build("debug")
    cluster.apply(first)
    cluster.run(until=60)
    before = {p.name for p in cluster.pods()}
    cluster.apply(second)
    cluster.run(until=240)
    old, new = first[0]["metadata"]["name"], second[0]["metadata"]["name"]
    return {"configmap_name_changes": old != new,
            "old_pods_read_the_new_config": any(c.name == new for c in consumers(first[1])),
            "deployment_rolls_out": not before & {p.name for p in cluster.pods()},
            "old_configmap_remains": cluster.get("ConfigMap", "default", old) is not None}


_EDIT_HINTS = {
    "configmap_name_changes": "The generator appends a hash of the data to the name.",
    "old_pods_read_the_new_config": "The old Pods refer to the old name, whose data never "
                                    "changes: only new Pods read the new ConfigMap.",
    "deployment_rolls_out": "Kustomize rewrites the Deployment's reference to the new name: "
                            "its Pod template changed.",
    "old_configmap_remains": "kubectl apply creates and updates; it deletes only with --prune.",
}


@checker("Right: the new data gives a new name, the rewritten reference changes the Pod "
         "template so the Deployment replaces its Pods, and the old ConfigMap stays until "
         "something prunes it (which also lets a rollback find it).")
def check_generator_edit(answer: object) -> None:
    right = edit_outcome()
    answer = keyed(answer, right)
    for key, value in right.items():
        if yes_or_no(answer[key], key) != value:
            raise Wrong(f"{key}: not {answer[key]}.", _EDIT_HINTS[key])


TOOLS = ("helm", "kustomize", "gitops", "operator")
_NEEDS = {
    "install a third-party monitoring stack with 40 settings, upgrade it and roll it back as "
    "one unit": "helm",
    "the same plain manifests for staging and production, with a different image tag and "
    "replica count, without templates": "kustomize",
    "every change to production is a reviewed commit, and manual changes are undone (with "
    "self-heal)": "gitops",
    "run PostgreSQL with automatic failover, backups and minor-version upgrades": "operator",
}
"""Four needs and the tool that answers each."""
NEEDS = tuple(_NEEDS)
"""The needs of the tools exercise, in order, without their answers."""

_TOOL_HINTS = {
    "helm": "Look at 'one unit' and 'roll it back': which tool installs a packaged application "
            "from its settings and keeps a numbered history of releases?",
    "kustomize": "'Without templates' rules one tool out: which one builds each environment by "
                 "patching the same plain YAML?",
    "gitops": "'Manual changes are undone' needs something in the cluster that keeps comparing "
              "it with the reviewed commits of a repository.",
    "operator": "Failover and backups are one application's own know-how, run all the time by "
                "a controller that watches a custom resource.",
}
"""Per right tool, a hint that points at the need's deciding words without naming the tool."""


_FOUR_TOOLS = ("The four here package an application (helm), patch plain YAML per "
               "environment (kustomize), keep the cluster in step with Git from inside it "
               "(gitops), or run one application's know-how (operator).")
_SAME_TOOL = {
    "gitops": ("Argo CD", "ArgoCD", "Flux", "FluxCD"),
    "helm": ("chart", "helm chart", "templates", "templating"),
    "kustomize": ("overlay", "overlays", "patch", "patches", "kustomization"),
    "operator": ("CRD", "custom resource", "controller", "operator pattern"),
}
"""Words that name one tool's own product or parts, each judged as that tool: given for a need
another tool answers, they get that need's hint; given for their own, the label's name."""
_TOOL_OF = {word: tool for tool, words in _SAME_TOOL.items() for word in words}

_TOOL_WORDS = {
    **{name: f"{name} is a GitOps tool: the label is 'gitops'."
       for name in _SAME_TOOL["gitops"]},
    **dict.fromkeys(_SAME_TOOL["helm"],
                    "Charts of templates are what Helm installs: the label is 'helm'."),
    **dict.fromkeys(_SAME_TOOL["kustomize"],
                    "Overlays that patch plain YAML are Kustomize's: the label is "
                    "'kustomize'."),
    **dict.fromkeys(_SAME_TOOL["operator"],
                    "A custom resource and the controller that acts on it make up an "
                    "operator: the label is 'operator'."),
    **dict.fromkeys(("kubectl", "kubectl apply"),
                    "kubectl apply sends manifests when someone runs it: no release history "
                    "to roll back, no environments, no loop that undoes a manual change. "
                    + _FOUR_TOOLS),
    **dict.fromkeys(("CI", "CI/CD", "pipeline", "Jenkins", "GitHub Actions"),
                    "A CI/CD pipeline runs when a commit arrives and pushes the change; "
                    "nothing of it stays in the cluster. " + _FOUR_TOOLS),
    "Terraform": "Terraform plans and applies infrastructure from its own files; it is not "
                 "one of the four. " + _FOUR_TOOLS,
    "StatefulSet": "A StatefulSet gives each database member its name and disk, but fails "
                   "nothing over and backs nothing up: that know-how is an operator's.",
}
"""Tools and terms a learner may name for a need that are none of :data:`TOOLS`
(kubernetes.io/docs/concepts/extend-kubernetes/operator/: an operator is custom resources and
a controller; argo-cd.readthedocs.io and fluxcd.io call themselves GitOps tools)."""


@checker("Right: Helm packages and releases, Kustomize patches plain YAML per environment, "
         "GitOps makes Git the desired state, and an operator encodes how to run one "
         "application.")
def check_tools(answer: object) -> None:
    answer = keyed(answer, _NEEDS, "need")
    for need, tool in _NEEDS.items():
        meant = meant_label(answer[need], _TOOL_OF) or tool
        if meant != tool:     # "Argo CD" where Helm is right: not "the label is 'gitops'"
            raise Wrong(f"Not {str(answer[need]).strip()} ({meant}) for: {need}.",
                        _TOOL_HINTS[tool])
        given = choice(answer[need], TOOLS, f"For “{need}”", plausible=_TOOL_WORDS)
        if given != tool:
            raise Wrong(f"Not {given} for: {need}.", _TOOL_HINTS[tool])
