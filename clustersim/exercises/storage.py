"""Checks for the storage lab: a StatefulSet whose pod keeps its name and claim after a node
failure; where a resident Marathon app comes back.

:func:`check_stateful_claims` runs the learner's workload on four nodes, fails the node of the
pod with ordinal 1 at t = 60 s, has the operator taint it ``node.kubernetes.io/out-of-service``
at t = 120 s (non-graceful node shutdown) and requires that pod to serve again on another node
with the same name and the same PersistentVolumeClaim (kubernetes/kubernetes
``pkg/controller/statefulset``). :func:`check_resident_comeback` is a choice, confirmed by
running :func:`clustersim.scenarios.storage.stateful_run` for Marathon
(d2iq-archive/marathon ``docs/docs/persistent-volumes.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.exercises.answers import load_answer
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes import KubernetesCluster
from clustersim.manifests import ManifestError
from clustersim.scenarios.storage import OUT_OF_SERVICE, four_nodes, stateful_run

__all__ = ["CHOICES", "check_resident_comeback", "check_stateful_claims"]

FAIL_AT = 60.0
TAINT_AT = 120.0
DEADLINE = 60.0
REPLICAS = 3


def _claims(pod: Mapping[str, Any]) -> list[str]:
    return sorted(v["persistentVolumeClaim"]["claimName"]
                  for v in pod["spec"].get("volumes") or [] if v.get("persistentVolumeClaim"))


def _mounts_a_claim(pod: Mapping[str, Any]) -> bool:
    """Whether a container of ``pod`` mounts one of its PersistentVolumeClaim volumes: the
    StatefulSet controller adds a volume per claim template to each pod
    (kubernetes/kubernetes ``pkg/controller/statefulset/stateful_set_utils.go``,
    ``updateStorage``), but only a container's ``volumeMounts`` put it where data is written."""
    claimed = {v["name"] for v in pod["spec"].get("volumes") or []
               if v.get("persistentVolumeClaim")}
    return any(m.get("name") in claimed for c in pod["spec"].get("containers") or []
               for m in c.get("volumeMounts") or [])


def _workload(manifest: object) -> dict[str, Any]:
    specs = load_answer(manifest, "manifest")
    workloads = [s for s in specs if s.kind in ("Deployment", "StatefulSet", "ReplicaSet")]
    if len(workloads) != 1:
        raise Wrong(f"Expected one workload, found {len(workloads)}.",
                    "Write one StatefulSet (apiVersion: apps/v1).")
    spec = workloads[0]
    if spec.kind != "StatefulSet":
        raise Wrong(f"A {spec.kind}'s pods get new, random names when they are replaced, and "
                    "all of them share the claims their template names.",
                    "The lab's database ran under the workload kind whose pods keep their "
                    "names (<name>-0, -1, -2) and get a claim each from a template in its "
                    "spec: write the database as that kind.")
    body = spec.manifest.get("spec") or {}
    if not body.get("volumeClaimTemplates"):
        raise Wrong("The StatefulSet has no volumeClaimTemplates: its pods share whatever "
                    "claims the pod template names, or have none.",
                    "Add spec.volumeClaimTemplates with one template (e.g. name: data, 1Gi, "
                    "ReadWriteOnce) and mount it in the container.")
    if body.get("replicas", 1) != REPLICAS:
        raise Wrong(f"Run {REPLICAS} replicas, not {body.get('replicas', 1)}.",
                    f"Set spec.replicas: {REPLICAS}.")
    return spec.manifest


@checker("Right: the pod of ordinal 1 came back on another node with its own name and claim.")
def check_stateful_claims(manifest: object) -> None:
    """``manifest``: a StatefulSet of 3 replicas, one PersistentVolumeClaim per pod."""
    workload = _workload(manifest)
    name = workload["metadata"]["name"]
    namespace = workload["metadata"].get("namespace", "default")
    cluster = KubernetesCluster(four_nodes("kubernetes"), seed=0)
    try:
        cluster.apply(workload)
    except (ManifestError, ValueError) as err:
        raise Wrong(f"The API server refused it: {err}", "Fix the field it names.") from None
    cluster.run(until=FAIL_AT)
    pod_name = f"{name}-1"
    pod = cluster.get("Pod", namespace, pod_name)
    ready = {p.name for p in cluster.pods() if p.ready}
    refused = cluster.events.where(reason="FailedCreate")
    if pod is None and refused:
        raise Wrong(f"The StatefulSet controller cannot create its pods: {refused[-1].message}",
                    "A volumeMount names a volume: name the claim template as the container's "
                    "volumeMounts do (the controller adds one volume per template, under the "
                    "template's name).")
    if pod is None or pod_name not in ready:
        waiting = [p for p in cluster.pods() if not p.ready]
        why = (waiting[0].message or waiting[0].reason) if waiting else "it was never created"
        raise Wrong(f"{pod_name} does not serve before any failure ({why}).",
                    _unbound_hint(cluster) if "unbound immediate PersistentVolumeClaims" in why
                    else "The pods must fit (4 CPUs, 16 GiB per node) and start one after "
                    "another.")
    before_node, before_claims = pod["spec"]["nodeName"], _claims(pod)
    if not before_claims:
        raise Wrong(f"{pod_name} has no PersistentVolumeClaim volume.",
                    "Name the claim template in the container's volumeMounts (same name).")
    if not _mounts_a_claim(pod):
        raise Wrong(f"{pod_name} has its claim {before_claims[0]}, but no container mounts it: "
                    "the database writes into the container's own filesystem, which is gone "
                    "when the pod is replaced.",
                    "Mount the claim template in the container: volumeMounts with the "
                    "template's name and the data directory as mountPath.")
    cluster.fail_node(before_node)
    cluster.run(until=TAINT_AT)
    cluster.taint(before_node, OUT_OF_SERVICE, "NoExecute", "nodeshutdown")
    cluster.run(until=TAINT_AT + DEADLINE)
    pod = cluster.get("Pod", namespace, pod_name)
    rows = {p.name: p for p in cluster.pods()}
    if pod is None or not rows[pod_name].ready:
        row = rows.get(pod_name)
        why = (row.message or row.reason) if row else "no pod of that name"
        raise Wrong(f"{pod_name} did not serve again within {DEADLINE:g} s of the "
                    f"out-of-service taint ({why}).",
                    "Three nodes are left: make sure the pods fit on them, and do not pin "
                    "them to one node.")
    if _claims(pod) != before_claims:
        raise Wrong(f"{pod_name} came back with the claims {_claims(pod)}, not "
                    f"{before_claims}.", "Let volumeClaimTemplates name the claims.")


def _unbound_hint(cluster: KubernetesCluster) -> str:
    """What to do when the claims stay Pending, with the PV controller's last word on one
    (``ProvisioningFailed`` or ``FailedBinding``, :mod:`clustersim.kubernetes.storageclass`)."""
    said = [e for e in cluster.events
            if e.reason in ("ProvisioningFailed", "FailedBinding")]
    return ((f"A claim's event says: {said[-1].message}. " if said else "")
            + "The claims stay Pending, so the scheduler has no volume to place the pod "
            "with. Leave storageClassName out to get the cluster's default class, standard, "
            "which provisions a volume at once (or name a StorageClass the cluster has).")


CHOICES = {
    "a": "After inactiveAfterSeconds Marathon launches a replacement on another agent, and "
         "Mesos copies the volume there.",
    "b": "Marathon launches a replacement at once on another agent, where it starts with a "
         "new, empty volume.",
    "c": "The instance stays Unreachable; Marathon launches nothing elsewhere until node-3 "
         "returns or an operator wipes it.",
    "d": "Mesos moves the reservation to the agent with the most free disk, and the instance "
         "starts there.",
}
"""The four answers, alike in length and form (one sentence of what happens next), so that
neither the length nor the lab's wording picks the right one."""
_HINTS = {
    "a": "Mesos never copies a local persistent volume: it is a directory on one agent's "
         "disk. And a resident app's unreachableStrategy must be disabled.",
    "b": "That is what a Swarm service with a local volume does when it is not pinned. A "
         "resident app's instance is bound to its reservation.",
    "d": "Reservations belong to one agent; Mesos does not move them.",
}


@checker("Right: a resident instance is pinned to its reservation, so it waits for its agent. "
         "Giving up the data (wipe) is the operator's decision.")
def check_resident_comeback(choice: object) -> None:
    """``choice``: the letter of :data:`CHOICES` that says what Marathon does."""
    # "(c)" as the choices are printed, or "c", "C ", "c." and "c)" as a list is often written
    letter = choice.strip().strip("().").strip().lower() if isinstance(choice, str) else None
    if letter not in CHOICES:
        raise Wrong(f"{choice!r} is not one of {', '.join(CHOICES)}.",
                    'Answer with one letter as a string, e.g. "a".')
    if letter in _HINTS:
        raise Wrong(f"Not ({letter}).", _HINTS[letter])
    run = stateful_run("marathon", act_at=None, until=400)
    if run.back_at() is not None:
        raise Wrong("The simulator disagrees: the app served again without its agent.",
                    "Report this: a resident instance should wait for its agent.")
