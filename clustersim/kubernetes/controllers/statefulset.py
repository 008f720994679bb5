"""The StatefulSet controller: stable names, ordered start and stop, one claim per ordinal.

Upstream: kubernetes/kubernetes ``pkg/controller/statefulset/stateful_set_control.go``
(``updateStatefulSet``: replicas and condemned pods, ``OrderedReady`` waits, the rolling
update from the highest ordinal down to ``partition``) and ``stateful_pod_control.go``
(claim names, event wording). Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/

- Pods are named ``<set>-<ordinal>`` with ``hostname`` and ``subdomain`` (the governing
  ``serviceName``), and the labels ``statefulset.kubernetes.io/pod-name``,
  ``apps.kubernetes.io/pod-index`` and ``controller-revision-hash``.
- ``OrderedReady`` (default): ordinal *i* is created only when 0 … i−1 are Running and Ready;
  scale-down removes the highest ordinal first, one at a time, each after the pods below it
  are healthy. A pod whose predecessor is gone is not replaced until the old pod object is
  fully deleted (the same name cannot exist twice). ``Parallel`` drops both waits.
- Each ``volumeClaimTemplates`` entry gives one PersistentVolumeClaim per ordinal,
  ``<template>-<set>-<ordinal>``, created before the pod and kept when the pod or the set goes
  (``persistentVolumeClaimRetentionPolicy`` Retain, the default); ``whenDeleted: Delete`` and
  ``whenScaled: Delete`` remove them with the set or the scaled-away ordinal.
- ``RollingUpdate`` replaces pods from the highest ordinal down to ``partition``, one at a
  time, waiting for each to be Running and Ready; ``OnDelete`` replaces only deleted pods.
  One at a time is ``maxUnavailable: 1``, its default (``MaxUnavailableStatefulSet``, on by
  default since v1.35); a larger ``maxUnavailable``, with which upstream replaces that many
  at once (``updateStatefulSetAfterInvariantEstablished``), is not simulated.

- Each template the set has had is a ControllerRevision
  (:mod:`~clustersim.kubernetes.controllers.history`); ``status.currentRevision`` and
  ``updateRevision`` name them, and pods of an ordinal below ``partition`` are made from the
  current revision's template (``ApplyRevision``).

Simplified: a claim's PersistentVolume is provisioned at once
(:mod:`~clustersim.kubernetes.persistentvolumes`) and has no zone or node affinity.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller, replicas_of
from clustersim.kubernetes.controllers.history import (
    STATEFULSET_HASH_LABEL,
    record_revision,
    revision_template,
    revisions,
    truncate_history,
)
from clustersim.kubernetes.objects import (
    is_active,
    is_ready,
    is_terminating,
    new_pod_from_template,
    owner_reference,
    pod_template_hash,
)

__all__ = ["StatefulSetController"]

REVISION_LABEL = "controller-revision-hash"


def _ordinal(set_name: str, pod: dict[str, Any]) -> int | None:
    name = pod["metadata"]["name"]
    prefix, _, number = name.rpartition("-")
    if prefix != set_name or not number.isdigit():
        return None
    return int(number)


def _healthy(pod: dict[str, Any]) -> bool:
    phase = (pod.get("status") or {}).get("phase")
    return phase == "Running" and is_ready(pod) and not is_terminating(pod)


class StatefulSetController(Controller):
    """Reconciles StatefulSets."""

    kinds: ClassVar[tuple[str, ...]] = ("StatefulSet",)

    def sync(self, sts: dict[str, Any]) -> None:
        if sts["metadata"].get("deletionTimestamp") is not None:
            # being deleted (in the foreground): no Pod made or deleted (updateStatefulSet,
            # stateful_set_control.go). Simplified: upstream still updates its status (and
            # may record a revision, which the garbage collector deletes again)
            return
        spec = sts.setdefault("spec", {})
        name = sts["metadata"]["name"]
        # ``adoptOrphanRevisions`` and ``getPodsForStatefulSet`` (``ClaimPods`` of the Pods
        # named after the set, ``isMemberOf``): what a set deleted with ``--cascade=orphan``
        # left, so that one made again carries on with its Pods
        self.claim_orphans(sts, "ControllerRevision", spec.get("selector"))
        self.claim_orphans(sts, "Pod", spec.get("selector"),
                           lambda pod: _ordinal(name, pod) is not None)
        parallel = spec.get("podManagementPolicy", "OrderedReady") == "Parallel"
        replicas = replicas_of(sts)
        status = sts.setdefault("status", {})
        template = spec.get("template") or {}
        update_rev = record_revision(self.cluster, sts, pod_template_hash(template),
                                     STATEFULSET_HASH_LABEL)["metadata"]["name"]
        current_rev = status.get("currentRevision") or update_rev
        if not any(r["metadata"]["name"] == current_rev for r in revisions(self.cluster, sts)):
            current_rev = update_rev           # its revision is gone: start from the update
        strategy = spec.get("updateStrategy") or {}
        partition = ((strategy.get("rollingUpdate") or {}).get("partition") or 0
                     if strategy.get("type", "RollingUpdate") == "RollingUpdate" else replicas)

        pods = {}
        condemned = []
        for pod in self.cluster.owned("Pod", sts):
            ordinal = _ordinal(name, pod)
            if ordinal is None:
                continue
            if ordinal < replicas:
                pods[ordinal] = pod
            else:
                condemned.append((ordinal, pod))
        condemned.sort(key=lambda item: item[0], reverse=True)
        # what it sees now; any change it makes below triggers another pass, which refreshes it
        self._update_status(sts, pods, replicas, current_rev, update_rev)
        truncate_history(self.cluster, sts, [
            sts["status"]["currentRevision"], update_rev,
            *(p["metadata"]["labels"].get(REVISION_LABEL, "") for p in pods.values()),
            *(p["metadata"]["labels"].get(REVISION_LABEL, "") for _, p in condemned)])
        if self._manage(sts, pods, condemned, replicas, parallel, partition,
                        current_rev, update_rev):
            return
        if strategy.get("type", "RollingUpdate") == "RollingUpdate":
            for ordinal in range(replicas - 1, partition - 1, -1):
                pod = pods.get(ordinal)
                if pod is None:
                    return
                if pod["metadata"]["labels"].get(REVISION_LABEL) != update_rev:
                    if not is_terminating(pod):
                        self._delete(sts, pod)
                    return
                if not _healthy(pod):
                    return

    def _manage(self, sts, pods, condemned, replicas, parallel, partition,
                current_rev, update_rev) -> bool:
        """Create missing ordinals and remove condemned ones; True when it has to wait."""
        name = sts["metadata"]["name"]
        for ordinal in range(replicas):
            pod = pods.get(ordinal)
            if pod is not None and (pod.get("status") or {}).get("phase") in ("Failed",
                                                                                 "Succeeded"):
                if not is_terminating(pod):
                    self._delete(sts, pod)
                if not parallel:
                    return True
                continue
            if pod is None:
                if self.cluster.get("Pod", sts["metadata"]["namespace"],
                                    f"{name}-{ordinal}") is not None:
                    if not parallel:
                        return True        # the old pod of this name is still terminating
                    continue
                revision = update_rev if ordinal >= partition else current_rev
                self._create(sts, ordinal, revision)
                if not parallel:
                    return True
                continue
            if not parallel and not _healthy(pod):
                return True
        for ordinal_number, pod in condemned:
            if is_terminating(pod):
                if not parallel:
                    return True
                continue
            unhealthy = [p for p in [*pods.values(), *(c for _, c in condemned)]
                         if not _healthy(p) and p is not pod]
            if not parallel and unhealthy:
                return True
            self._delete(sts, pod)
            if (sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}).get(
                    "whenScaled") == "Delete":
                self._delete_claims(sts, ordinal_number)
            if not parallel:
                return True
        return False

    def _create(self, sts: dict[str, Any], ordinal: int, revision: str) -> None:
        name = sts["metadata"]["name"]
        spec = sts["spec"]
        template = next((revision_template(r) for r in revisions(self.cluster, sts)
                         if r["metadata"]["name"] == revision), spec.get("template") or {})
        pod_name = f"{name}-{ordinal}"
        pod = new_pod_from_template(template, sts, pod_name)
        labels = pod["metadata"]["labels"]
        labels["statefulset.kubernetes.io/pod-name"] = pod_name
        labels["apps.kubernetes.io/pod-index"] = str(ordinal)
        labels[REVISION_LABEL] = revision
        pod["spec"]["hostname"] = pod_name
        if spec.get("serviceName"):
            pod["spec"]["subdomain"] = spec["serviceName"]
        volumes = pod["spec"].setdefault("volumes", [])
        for claim_template in spec.get("volumeClaimTemplates") or []:
            template_name = (claim_template.get("metadata") or {}).get("name", "data")
            claim_name = f"{template_name}-{name}-{ordinal}"
            self._ensure_claim(sts, claim_template, claim_name, pod_name)
            volumes[:] = [v for v in volumes if v.get("name") != template_name]
            volumes.append({"name": template_name,
                            "persistentVolumeClaim": {"claimName": claim_name}})
        self.cluster.create(pod)
        self.cluster.record(sts, "SuccessfulCreate",
                            f"create Pod {pod_name} in StatefulSet {name} successful")

    def _ensure_claim(self, sts, claim_template, claim_name: str, pod_name: str) -> None:
        namespace = sts["metadata"]["namespace"]
        if self.cluster.get("PersistentVolumeClaim", namespace, claim_name) is not None:
            return
        meta = claim_template.get("metadata") or {}
        labels = dict((sts["spec"].get("selector") or {}).get("matchLabels") or {})
        labels.update(meta.get("labels") or {})
        claim = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim_name, "namespace": namespace, "labels": labels,
                         "annotations": dict(meta.get("annotations") or {})},
            "spec": copy.deepcopy(claim_template.get("spec") or {}),
            "status": {"phase": "Bound"},
        }
        policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
        if policy.get("whenDeleted") == "Delete":
            claim["metadata"]["ownerReferences"] = [dict(owner_reference(sts),
                                                         controller=False)]
        self.cluster.create(claim)
        self.cluster.record(sts, "SuccessfulCreate",
                            f"create Claim {claim_name} Pod {pod_name} in StatefulSet "
                            f"{sts['metadata']['name']} success")

    def _delete_claims(self, sts: dict[str, Any], ordinal: int) -> None:
        """``whenScaled: Delete``: the claims of a removed ordinal go with it."""
        namespace, name = sts["metadata"]["namespace"], sts["metadata"]["name"]
        for claim_template in sts["spec"].get("volumeClaimTemplates") or []:
            template_name = (claim_template.get("metadata") or {}).get("name", "data")
            claim = self.cluster.get("PersistentVolumeClaim", namespace,
                                     f"{template_name}-{name}-{ordinal}")
            if claim is not None:
                self.cluster.delete_object(claim)

    def _delete(self, sts: dict[str, Any], pod: dict[str, Any]) -> None:
        self.cluster.delete_pod(pod)
        self.cluster.record(sts, "SuccessfulDelete",
                            f"delete Pod {pod['metadata']['name']} in StatefulSet "
                            f"{sts['metadata']['name']} successful")

    def _update_status(self, sts, pods, replicas, current_rev, update_rev) -> None:
        live = [p for p in pods.values() if is_active(p)]
        updated = sum(1 for p in live if p["metadata"]["labels"].get(REVISION_LABEL) == update_rev)
        if updated == replicas and all(_healthy(p) for p in live):
            current_rev = update_rev
        sts["status"] = {
            "observedGeneration": sts["metadata"].get("generation", 1),
            "replicas": len(live),
            "readyReplicas": sum(1 for p in live if is_ready(p)),
            "availableReplicas": sum(1 for p in live if is_ready(p)),
            "currentReplicas": sum(1 for p in live
                                   if p["metadata"]["labels"].get(REVISION_LABEL) == current_rev),
            "updatedReplicas": updated,
            "currentRevision": current_rev,
            "updateRevision": update_rev,
        }
