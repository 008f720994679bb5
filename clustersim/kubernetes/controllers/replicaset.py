"""The ReplicaSet and ReplicationController controller: keep ``replicas`` pods running.

Upstream: kubernetes/kubernetes ``pkg/controller/replicaset/replica_set.go``
(``manageReplicas``, ``getPodsToDelete``) and ``pkg/controller/controller_utils.go``
(``ActivePodsWithRanks``). The ReplicationController manager is the same code behind an
adapter (``pkg/controller/replication``), so one class serves both kinds.

- Pods are owned through a controller owner reference; orphans whose labels match the
  selector are adopted, as upstream's ``ClaimPods`` does.
- Terminating and finished pods do not count: a replacement is created as soon as a pod is
  being deleted (``FilterActivePods``).
- Surplus pods are deleted in upstream's order: unscheduled before scheduled, Pending before
  Running, not ready before ready, lower ``controller.kubernetes.io/pod-deletion-cost`` first,
  pods doubled up on a node before lone ones, ready for a shorter time before longer, newer
  before older.

- Missing pods are created in slow-start batches (``slowStartBatch``: a batch of
  ``controller.SlowStartInitialBatchSize`` = 1, then 2, 4, … while every create of a batch
  succeeds); a batch with a refused create ends the sync after its other creates, each
  refusal reported as a ``FailedCreate`` event, and the ReplicaSet waits out its work queue's
  back-off (:mod:`clustersim.kubernetes.controllers.base`). A quota that refuses every Pod
  thus costs one create and one event per try, not one per missing Pod.
- A sync whose creates were refused sets the status condition ``ReplicaFailure`` (reason
  ``FailedCreate``, the first refusal's message), which stays until a sync without error
  removes it (``calculateStatus``, :func:`replica_failure`); a Deployment copies it.

- A sync creates or deletes at most :data:`BURST_REPLICAS` Pods (``manageReplicas`` caps
  its ``diff`` at ``burstReplicas``); the expectations it sets then hold the ReplicaSet's
  next sync back until its informer has seen those Pods, and that sync does the next 500.
  The simulator's store is its own informer, so the next sync comes in the controllers' next
  pass at the same instant: a ReplicaSet of 2,000 Pods takes four syncs, each of which
  creates its 500 in slow-start batches of 1, 2, 4, ... 128 (255 in all) and a last one of
  245 (500 - 255). A scale-down ranks the active Pods again at each of its syncs, as
  upstream's ``getPodsToDelete`` does: the ranking is not kept from one sync to the next
  because it cannot be, exactly: a Pod's rank counts the active Pods on its node
  (``getPodsRankedByRelatedPodsOnSameNode``), and the 500 deleted change those counts, so
  the Pods left may come in another order (10,000 to 1,000 Pods on 50 nodes: 18 syncs).

Simplified: restart counts are not ranked, and ready
times are compared exactly (upstream's ``LogarithmicScaleDown`` compares them in powers of
two and breaks ties by a hash of the pod's UID).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from clustersim.kubernetes.apiserver import AdmissionError
from clustersim.kubernetes.controllers.base import Controller, ReportedRefusalError, replicas_of
from clustersim.kubernetes.objects import (
    condition,
    is_active,
    is_ready,
    new_pod_from_template,
)

__all__ = ["BURST_REPLICAS", "ReplicaSetController", "deletion_rank", "replica_failure"]

_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}
SLOW_START_INITIAL_BATCH_SIZE = 1
"""``controller.SlowStartInitialBatchSize`` (``pkg/controller/controller_utils.go``)."""
BURST_REPLICAS = 500
"""``BurstReplicas`` (``replica_set.go``): the Pods one sync creates or deletes at most, what
kube-controller-manager passes as the controller's ``burstReplicas``."""
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"


def _deletion_cost(pod: dict[str, Any]) -> int:
    """The ``controller.kubernetes.io/pod-deletion-cost`` annotation (default 0; pods that
    cost less go first)."""
    value = ((pod.get("metadata") or {}).get("annotations") or {}).get(DELETION_COST, "0")
    try:
        return int(value)
    except ValueError:
        return 0


def deletion_rank(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pods`` sorted so that the first ones are the best to delete (``ActivePodsWithRanks``)."""
    per_node = Counter((p.get("spec") or {}).get("nodeName") for p in pods)

    def key(pod: dict[str, Any]) -> tuple:
        node = (pod.get("spec") or {}).get("nodeName")
        ready = is_ready(pod)
        ready_cond = condition(pod, "Ready")
        ready_since = ready_cond["lastTransitionTime"] if ready and ready_cond else 0.0
        return (
            node is not None,
            _PHASE_RANK.get((pod.get("status") or {}).get("phase"), 0),
            ready,
            _deletion_cost(pod),
            -(per_node[node] if node else 0),
            -ready_since,
            -pod["metadata"]["creationTimestamp"],
            pod["metadata"]["name"],
        )

    return sorted(pods, key=key)


class ReplicaSetController(Controller):
    """Reconciles ReplicaSets and ReplicationControllers."""

    kinds: ClassVar[tuple[str, ...]] = ("ReplicaSet", "ReplicationController")

    def sync(self, rs: dict[str, Any]) -> None:
        cluster = self.cluster
        spec = rs.get("spec") or {}
        selector = spec.get("selector")
        if rs["kind"] == "ReplicationController" and selector is None:
            selector = (spec.get("template") or {}).get("metadata", {}).get("labels")
        # ``FilterActivePods`` comes first: a finished Pod is never adopted
        self.claim_orphans(rs, "Pod", selector, is_active)
        uid = rs["metadata"]["uid"]
        # an RS being deleted (in the foreground) makes and deletes no pods: upstream's
        # ``syncReplicaSet`` skips ``manageReplicas`` when its DeletionTimestamp is set
        deleting = rs["metadata"].get("deletionTimestamp") is not None
        diff = 0 if deleting else cluster.pod_counts.active(uid) - replicas_of(rs)
        refused: list[AdmissionError] = []
        if diff < 0:
            refused = self._create_in_batches(rs, min(-diff, BURST_REPLICAS))
        elif diff > 0:
            active = [p for p in cluster.owned("Pod", rs) if is_active(p)]
            for pod in deletion_rank(active)[:min(diff, BURST_REPLICAS)]:
                cluster.delete_pod(pod)
                cluster.record(rs, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}")
        error = str(refused[0]) if refused else None
        self._update_status(rs, error, diff)
        if error is not None:
            raise ReportedRefusalError(error)

    def _create_in_batches(self, rs: dict[str, Any], count: int) -> list[AdmissionError]:
        """Up to ``count`` Pods from ``rs``'s template in slow-start batches
        (``slowStartBatch`` in ``replica_set.go``): the refusals of the batch that ended it,
        each reported as a ``FailedCreate`` event (upstream's creates of one batch run at
        once, so all of them are tried)."""
        cluster = self.cluster
        template = (rs.get("spec") or {}).get("template") or {}
        prefix = f"{rs['metadata']['name']}-"
        refused: list[AdmissionError] = []
        batch = min(count, SLOW_START_INITIAL_BATCH_SIZE)
        while batch > 0 and not refused:
            for _ in range(batch):
                pod = new_pod_from_template(template, rs, prefix=prefix)
                try:
                    cluster.create(pod)
                except AdmissionError as err:
                    cluster.record(rs, "FailedCreate", f"Error creating: {err}", "Warning")
                    refused.append(err)
                    continue
                cluster.record(rs, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")
            count -= batch
            batch = min(2 * batch, count)
        return refused

    def _update_status(self, rs: dict[str, Any], error: str | None, diff: int) -> None:
        """``calculateStatus`` (``replica_set_utils.go``): the counts over the active Pods
        ``rs`` owns, a look again when each ready one becomes available (upstream's
        ``AddAfter`` for ``minReadySeconds``), and the ``ReplicaFailure`` condition of
        ``manageReplicas``' ``error``, :func:`replica_failure`."""
        cluster, uid = self.cluster, rs["metadata"]["uid"]
        min_ready = (rs.get("spec") or {}).get("minReadySeconds", 0) or 0
        counts = cluster.pod_counts.ready(uid, min_ready, cluster.now)
        for due in counts.pending:
            cluster.wake_at(due)
        active = cluster.pod_counts.active(uid)
        conditions = replica_failure((rs.get("status") or {}).get("conditions") or [],
                                     error, diff, cluster.now)
        rs["status"] = {
            "replicas": active,
            "fullyLabeledReplicas": active,
            "readyReplicas": counts.ready,
            "availableReplicas": counts.available,
            "observedGeneration": rs["metadata"].get("generation", 1),
            **({"conditions": conditions} if conditions else {}),
        }


def replica_failure(conditions: list[dict[str, Any]], error: str | None, diff: int,
                    now: float) -> list[dict[str, Any]]:
    """A ReplicaSet's (or ReplicationController's) ``conditions`` after a sync whose
    ``manageReplicas`` returned ``error`` (None: none), with ``diff`` its active Pods less
    the replicas it wants, as ``calculateStatus`` in kubernetes/kubernetes
    ``pkg/controller/replicaset/replica_set_utils.go`` writes them: an error and no
    ``ReplicaFailure`` condition yet adds one (True, reason ``FailedCreate`` when Pods were
    missing, ``FailedDelete`` when there were too many, the error as its message; one that
    exists keeps its first message); no error removes it. A new list."""
    failure = next((c for c in conditions if c.get("type") == "ReplicaFailure"), None)
    if error is not None and failure is None:
        reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
        return [*conditions, {"type": "ReplicaFailure", "status": "True",
                              "lastTransitionTime": now, "reason": reason, "message": error}]
    if error is None and failure is not None:
        return [c for c in conditions if c is not failure]
    return list(conditions)
