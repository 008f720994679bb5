"""The DaemonSet controller: one pod on every eligible node.

Upstream: kubernetes/kubernetes ``pkg/controller/daemon/daemon_controller.go``
(``podsShouldBeOnNode``, ``NodeShouldRunDaemonPod``),
``pkg/controller/daemon/util/daemonset_util.go`` (``AddOrUpdateDaemonPodTolerations``,
``ReplaceDaemonSetPodNodeNameNodeAffinity``) and
``update.go`` (rolling update). Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/

- A node is eligible when the daemon pod (with the automatic tolerations below) passes the
  node-name, node-affinity/nodeSelector and taint checks. Control-plane taints are *not*
  tolerated automatically. A running daemon pod stays while it tolerates the node's
  NoExecute taints, even if a new one would not be placed (``shouldContinueRunning``).
- Automatic tolerations: ``node.kubernetes.io/not-ready`` and ``…/unreachable`` (NoExecute, no
  time limit), ``…/disk-pressure``, ``…/memory-pressure``, ``…/pid-pressure`` and
  ``…/unschedulable`` (NoSchedule), and ``…/network-unavailable`` (NoSchedule) for
  ``hostNetwork`` pods. So a cordoned node keeps and gets its daemon pods.
- Each pod is pinned with a required node affinity ``matchFields`` term on ``metadata.name``
  and then placed by the default scheduler (since Kubernetes 1.12), so it can be Pending with
  FailedScheduling like any pod, e.g. when the node is full.
- ``RollingUpdate`` (default, ``maxUnavailable`` 1) deletes old-template pods while no more than
  ``maxUnavailable`` daemon pods are unavailable; ``OnDelete`` replaces only deleted pods.

- Each template the DaemonSet has had is a ControllerRevision
  (:mod:`~clustersim.kubernetes.controllers.history`) whose ``controller-revision-hash``
  label is the one its pods carry; each pod also carries the DaemonSet's template generation
  as its ``pod-template-generation`` label (``CreatePodTemplate`` in ``daemonset_util.go``,
  from the annotation :mod:`~clustersim.kubernetes.templategeneration` describes).

Simplified: ``maxSurge`` for DaemonSets is not modelled.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.controllers.history import record_revision, truncate_history
from clustersim.kubernetes.controllers.rollout import value_from_int_or_percent
from clustersim.kubernetes.objects import (
    is_active,
    is_ready,
    is_terminating,
    new_pod_from_template,
    pod_template_hash,
)
from clustersim.kubernetes.templategeneration import TEMPLATE_GENERATION

__all__ = ["DaemonSetController", "daemon_tolerations", "pin_to_node"]

_HASH_LABEL = "controller-revision-hash"
_GENERATION_LABEL = "pod-template-generation"
"""``extensions.DaemonSetTemplateGenerationKey``: the template generation a pod was made from."""


def daemon_tolerations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The pod spec's tolerations plus the ones the DaemonSet controller adds."""
    tolerations = list(spec.get("tolerations") or [])
    added = [("node.kubernetes.io/not-ready", "NoExecute"),
             ("node.kubernetes.io/unreachable", "NoExecute"),
             ("node.kubernetes.io/disk-pressure", "NoSchedule"),
             ("node.kubernetes.io/memory-pressure", "NoSchedule"),
             ("node.kubernetes.io/pid-pressure", "NoSchedule"),
             ("node.kubernetes.io/unschedulable", "NoSchedule")]
    if spec.get("hostNetwork"):
        added.append(("node.kubernetes.io/network-unavailable", "NoSchedule"))
    for key, effect in added:
        if not any(t.get("key") == key and t.get("effect") == effect for t in tolerations):
            tolerations.append({"key": key, "operator": "Exists", "effect": effect})
    return tolerations


def pin_to_node(spec: dict[str, Any], node: str) -> None:
    """Require ``metadata.name == node`` in the pod's node affinity, replacing any
    ``matchFields`` the template had (``ReplaceDaemonSetPodNodeNameNodeAffinity``)."""
    affinity = spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
    required = affinity.setdefault("requiredDuringSchedulingIgnoredDuringExecution", {})
    field = {"key": "metadata.name", "operator": "In", "values": [node]}
    terms = required.get("nodeSelectorTerms") or [{}]
    for term in terms:
        term["matchFields"] = [field]
    required["nodeSelectorTerms"] = terms


def _pinned_node(pod: dict[str, Any]) -> str | None:
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    terms = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
             .get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms")
    for term in terms or []:
        for field in term.get("matchFields") or []:
            if field.get("key") == "metadata.name" and field.get("values"):
                return field["values"][0]
    return None


class DaemonSetController(Controller):
    """Reconciles DaemonSets."""

    kinds: ClassVar[tuple[str, ...]] = ("DaemonSet",)

    def sync(self, ds: dict[str, Any]) -> None:
        if ds["metadata"].get("deletionTimestamp") is not None:
            return      # being deleted: nothing to do (``syncDaemonSet``, daemon_controller.go)
        cluster = self.cluster
        # ``constructHistory``'s ``ClaimControllerRevisions`` and ``getDaemonPods``'
        # ``ClaimPods``: what a DaemonSet deleted with ``--cascade=orphan`` left
        self.claim_orphans(ds, "ControllerRevision", (ds.get("spec") or {}).get("selector"))
        self.claim_orphans(ds, "Pod", (ds.get("spec") or {}).get("selector"))
        template = (ds.get("spec") or {}).get("template") or {}
        current = record_revision(cluster, ds, pod_template_hash(template), _HASH_LABEL)
        # the hash of the revision found, an older one's after a rollback (``cur.Labels``
        # in ``syncDaemonSet``, pkg/controller/daemon/daemon_controller.go)
        revision = current["metadata"]["labels"][_HASH_LABEL]
        by_node: dict[str, list[dict[str, Any]]] = {}
        for pod in cluster.owned("Pod", ds):
            node = _pinned_node(pod)
            if node is not None:
                by_node.setdefault(node, []).append(pod)
        fits: dict[str, tuple[bool, bool]] = {}   # node → (should run, should continue)
        for node in cluster.node_names():
            probe = self._probe(template, node)
            fits[node] = (cluster.node_admits(probe, node),
                          cluster.node_admits(probe, node, ("NoExecute",)))
        eligible = [node for node, (should_run, _) in fits.items() if should_run]
        try:
            for node, (should_run, tolerated) in fits.items():
                self._manage(ds, template, revision, node, by_node.get(node, []),
                             should_run, should_run or tolerated)
            self._rolling_update(ds, revision, eligible)
        finally:
            # the status is written whether or not a create was refused: a refused create
            # still leaves desiredNumberScheduled for `kubectl get daemonset` to show
            # (``syncDaemonSet`` calls ``updateDaemonSetStatus`` after ``updateDaemonSet``
            # either way, kubernetes/kubernetes pkg/controller/daemon/daemon_controller.go)
            self._update_status(ds, eligible, revision)
        truncate_history(cluster, ds, [current["metadata"]["name"], *(
            f"{ds['metadata']['name']}-{p['metadata']['labels'].get(_HASH_LABEL)}"
            for p in cluster.owned("Pod", ds))])

    def _probe(self, template: dict[str, Any], node: str) -> dict[str, Any]:
        """The pod the controller would create for ``node`` (``NewPod``)."""
        tmpl = copy.deepcopy(template)
        spec = tmpl.setdefault("spec", {})
        spec["tolerations"] = daemon_tolerations(spec)
        pin_to_node(spec, node)
        return tmpl

    def _create(self, ds, template, node: str, revision: str) -> None:
        pod = new_pod_from_template(self._probe(template, node), ds,
                                    prefix=f"{ds['metadata']['name']}-")
        labels = pod["metadata"]["labels"]
        generation = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION)
        if generation is not None:         # GetTemplateGeneration: none without the annotation
            labels[_GENERATION_LABEL] = generation
        labels[_HASH_LABEL] = revision
        self.cluster.create(pod)
        self.cluster.record(ds, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")

    def _delete(self, ds, pod) -> None:
        self.cluster.delete_pod(pod)
        self.cluster.record(ds, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}")

    def _manage(self, ds, template, revision: str, node: str, pods: list[dict[str, Any]],
                should_run: bool, should_continue: bool) -> None:
        """One node's daemon Pods toward what the node admits (``podsShouldBeOnNode``)."""
        live = [p for p in pods if not is_terminating(p)]
        for pod in (p for p in live if (p.get("status") or {}).get("phase") == "Failed"):
            self._delete(ds, pod)
        running = [p for p in live if is_active(p)]
        if should_run and not running and not any(is_terminating(p) for p in pods):
            self._create(ds, template, node, revision)
        elif not should_continue:
            for pod in running:
                self._delete(ds, pod)
        elif len(running) > 1:
            for pod in sorted(running, key=lambda p: p["metadata"]["creationTimestamp"])[1:]:
                self._delete(ds, pod)

    def _rolling_update(self, ds, revision: str, eligible: list[str]) -> None:
        strategy = (ds.get("spec") or {}).get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        rolling = strategy.get("rollingUpdate") or {}
        budget = max(1, value_from_int_or_percent(rolling.get("maxUnavailable", 1), len(eligible),
                                                  True, "maxUnavailable"))
        pods = self.cluster.owned("Pod", ds)
        unavailable = sum(1 for node in eligible
                          if not any(_pinned_node(p) == node and is_active(p) and is_ready(p)
                                     for p in pods))
        for pod in sorted(pods, key=lambda p: p["metadata"]["name"]):
            if unavailable >= budget:
                break
            if is_active(pod) and pod["metadata"]["labels"].get(_HASH_LABEL) != revision:
                was_ready = is_ready(pod)           # a ready pod's node becomes unavailable
                self._delete(ds, pod)
                unavailable += 1 if was_ready else 0

    def _update_status(self, ds, eligible: list[str], revision: str) -> None:
        pods = [p for p in self.cluster.owned("Pod", ds) if is_active(p)]
        scheduled = {_pinned_node(p) for p in pods if (p.get("spec") or {}).get("nodeName")}
        ds["status"] = {
            "desiredNumberScheduled": len(eligible),
            "currentNumberScheduled": len(scheduled & set(eligible)),
            "numberMisscheduled": len(scheduled - set(eligible)),
            "numberReady": sum(1 for p in pods if is_ready(p)),
            "numberAvailable": sum(1 for p in pods if is_ready(p)),
            "updatedNumberScheduled": sum(1 for p in pods
                                          if p["metadata"]["labels"].get(_HASH_LABEL) == revision),
            "observedGeneration": ds["metadata"].get("generation", 1),
        }
