"""A status written through the ``/status`` subresource of a kind whose status the simulator
computes (a Deployment, a ReplicaSet, a Job, a Service, a Namespace, ...): decoded and
validated as the kind's status strategy does, then stored, until its controller writes the
status again.

Upstream each kind's status strategy (``pkg/registry/<group>/<kind>/strategy.go`` in
kubernetes/kubernetes, e.g. ``deploymentStatusStrategy``) keeps the new status and resets
the rest in ``PrepareForUpdate``: the spec (``newDeployment.Spec = oldDeployment.Spec``;
``jobStatusStrategy`` and ``namespaceStatusStrategy`` reset the spec alone, a Deployment's
the labels too), and validates the status in
``ValidateUpdate`` (:func:`status_problems`). The write is stored; the answer is the
object with it.

A written status does not last where a controller owns the status: the update event
wakes the object's controller, which computes its status again and writes it back when it
differs. The Deployment, ReplicaSet, ReplicationController, StatefulSet and DaemonSet
controllers enqueue their object on every update (``updateDeployment`` in
``pkg/controller/deployment/deployment_controller.go``, ``updateRS`` in
``pkg/controller/replicaset/replica_set.go``, ``updateStatefulSet`` in
``pkg/controller/statefulset/stateful_set.go``, ``updateDaemonset`` in
``pkg/controller/daemon/daemon_controller.go``) and the disruption controller its budget
(``updateDb`` in ``pkg/controller/disruption/disruption.go``): a status written to those
is answered, then replaced at once (:data:`RECONCILED_AT_ONCE`). Any other kind shows the
written status until the simulator's own status of the object changes (its controller's
next status write: for a Service of type LoadBalancer, the simulated cloud's address); an
Ingress's, which no ingress controller writes here, and an Active Namespace's, which the
namespace controller leaves alone, stay.

Simplified: the simulator's controllers never read a written status (upstream the Job
controller counts on from a written ``succeeded`` and the CronJob controller reads
``lastScheduleTime`` and ``active``); a controller that writes its status again replaces
all of it (upstream the Deployment controller keeps conditions of types it does not set);
the object's metadata is kept as stored (upstream the strategy keeps the annotations
written, and the labels where it does not reset them);
the validation is that of the apps kinds (below), where the others' (a Job's
``ValidateJobStatusUpdate``, a Service's load balancer ingress) are not modelled.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.defaults import set_service_status_defaults
from clustersim.manifests.kubernetes_errors import invalid
from clustersim.serve.kubedecoding import TIME, struct_error
from clustersim.serve.kubeomitempty import omit_empty

__all__ = ["RECONCILED_AT_ONCE", "StatusWrites", "shown_status", "status_decode_error",
           "status_problems"]

RECONCILED_AT_ONCE = frozenset({"Deployment", "ReplicaSet", "ReplicationController",
                                "StatefulSet", "DaemonSet", "PodDisruptionBudget"})
"""The kinds whose controller writes the status back as soon as a write to ``/status``
changes it (the module's docstring names where each enqueues its object)."""

_INT32, _INT64 = "int32", "int64"
_STATUS_TYPES: dict[str, dict[str, str]] = {
    "Deployment": {"observedGeneration": _INT64, "replicas": _INT32,
                   "updatedReplicas": _INT32, "readyReplicas": _INT32,
                   "availableReplicas": _INT32, "unavailableReplicas": _INT32,
                   "terminatingReplicas": "*int32", "collisionCount": "*int32"},
    "ReplicaSet": {"replicas": _INT32, "fullyLabeledReplicas": _INT32,
                   "readyReplicas": _INT32, "availableReplicas": _INT32,
                   "terminatingReplicas": "*int32", "observedGeneration": _INT64},
    "StatefulSet": {"observedGeneration": _INT64, "replicas": _INT32,
                    "readyReplicas": _INT32, "currentReplicas": _INT32,
                    "updatedReplicas": _INT32, "availableReplicas": _INT32,
                    "collisionCount": "*int32"},
    "DaemonSet": {"currentNumberScheduled": _INT32, "numberMisscheduled": _INT32,
                  "desiredNumberScheduled": _INT32, "numberReady": _INT32,
                  "observedGeneration": _INT64, "updatedNumberScheduled": _INT32,
                  "numberAvailable": _INT32, "numberUnavailable": _INT32,
                  "collisionCount": "*int32"},
}
"""The counts of each apps/v1 status, by their JSON names and Go types (k8s.io/api
``apps/v1/types.go``), which the decoder reads before any validation."""

_NOT_NEGATIVE: dict[str, tuple[str, ...]] = {
    "Deployment": ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                   "availableReplicas", "unavailableReplicas", "collisionCount"),
    "ReplicaSet": ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas",
                   "observedGeneration"),
    "StatefulSet": ("replicas", "readyReplicas", "currentReplicas", "updatedReplicas",
                    "observedGeneration", "collisionCount"),
    "DaemonSet": ("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                  "numberReady", "observedGeneration", "updatedNumberScheduled",
                  "numberAvailable", "numberUnavailable", "collisionCount"),
}
"""The counts ``ValidateNonnegativeField`` checks in ``ValidateDeploymentStatus``,
``ValidateReplicaSetStatus``, ``ValidateStatefulSetStatus`` and ``validateDaemonSetStatus``
(kubernetes/kubernetes ``pkg/apis/apps/validation/validation.go``), in their order."""

_NOT_ABOVE: dict[str, tuple[tuple[str, str], ...]] = {
    "Deployment": (("updatedReplicas", "replicas"), ("readyReplicas", "replicas"),
                   ("availableReplicas", "replicas"), ("availableReplicas", "readyReplicas")),
    "ReplicaSet": (("fullyLabeledReplicas", "replicas"), ("readyReplicas", "replicas"),
                   ("availableReplicas", "replicas"), ("availableReplicas", "readyReplicas")),
    "StatefulSet": (("readyReplicas", "replicas"), ("currentReplicas", "replicas"),
                    ("updatedReplicas", "replicas")),
}
"""The counts the same functions refuse above another, each pair in their order:
``cannot be greater than status.replicas`` (``cannot be greater than readyReplicas``)."""

_COLLISIONS = frozenset({"Deployment", "StatefulSet", "DaemonSet"})
"""The kinds whose ``ValidateXStatusUpdate`` refuses a ``collisionCount`` below the stored
one (``IsDecremented``: ``cannot be decremented``)."""


def status_decode_error(kind: str, group_version: str, status: Any) -> str | None:
    """The decoder's error for the counts of a ``status`` written to an apps kind
    (``json: cannot unmarshal string into Go struct field DeploymentStatus.status.replicas
    of type int32``), or None."""
    fields = _STATUS_TYPES.get(kind)
    if fields is None or not group_version.startswith("apps/"):
        return None
    go_type = f"v1.{kind}Status"
    return struct_error(status, go_type, {go_type: fields}, f"{kind}.status", TIME)


def status_problems(kind: str, status: Any, old: Any) -> list[str]:
    """What the status strategy's ``ValidateUpdate`` refuses in a ``status`` written over
    ``old`` (decoded, so its counts are whole numbers or absent), each ``path: detail``."""
    new = status if isinstance(status, dict) else {}
    counts = {field: new.get(field) or 0 for field in _STATUS_TYPES.get(kind, {})}
    problems = [f"status.{field}: {invalid(counts[field], 'must be greater than or equal to 0')}"
                for field in _NOT_NEGATIVE.get(kind, ()) if counts[field] < 0]
    for field, limit in _NOT_ABOVE.get(kind, ()):
        if counts[field] > counts[limit]:
            said = "status.replicas" if limit == "replicas" else limit
            problems.append(f"status.{field}: "
                            f"{invalid(counts[field], f'cannot be greater than {said}')}")
    before = (old if isinstance(old, dict) else {}).get("collisionCount")
    if kind in _COLLISIONS and before is not None and (new.get("collisionCount") is None
                                                       or new["collisionCount"] < before):
        problems.append("status.collisionCount: "
                        f"{invalid(new.get('collisionCount') or 0, 'cannot be decremented')}")
    return problems


def shown_status(current: Mapping[str, Any], status: Any) -> dict[str, Any]:
    """``status`` written to ``current`` as the API server stores and returns it: a
    Service's with its defaults (:func:`~clustersim.kubernetes.defaults.
    set_service_status_defaults`: ``loadBalancer: {}``, each address's ``ipMode``), its
    zero counts left out as Go's ``omitempty`` leaves them
    (:func:`~clustersim.serve.kubeomitempty.omit_empty`)."""
    shown: dict[str, Any] = {"kind": current.get("kind"), "spec": current.get("spec"),
                             "status": copy.deepcopy(status) if isinstance(status, dict) else {}}
    if shown["kind"] == "Service":
        set_service_status_defaults(shown)
    omit_empty(shown)
    return dict(shown["status"])


class StatusWrites:
    """The statuses written through ``/status`` that the simulator shows in place of its
    own, by the object's uid, each with the status the simulator showed when it was
    written: shown while the simulator's own is still that one."""

    def __init__(self) -> None:
        self._written: dict[str, tuple[dict[str, Any], Any]] = {}

    def write(self, current: Mapping[str, Any], status: Any) -> None:
        """Keep ``status`` written to ``current`` (as it was shown: after a status written
        before, the simulator's own status that one replaced is kept)."""
        uid = current["metadata"].get("uid", "")
        kept = self._written.get(uid)
        replaced = copy.deepcopy(current.get("status")) if kept is None else kept[1]
        self._written[uid] = (shown_status(current, status), replaced)

    def forget(self, uid: str) -> None:
        """The object's controller wrote its status again, or the object is gone."""
        self._written.pop(uid, None)

    def apply(self, obj: dict[str, Any]) -> None:
        """Show in ``obj`` (an object as the API returns it, a copy) the status written to
        it while the simulator's own is the one it replaced; forget it once that changed."""
        uid = obj.get("metadata", {}).get("uid", "")
        kept = self._written.get(uid)
        if kept is None:
            return
        written, replaced = kept
        if obj.get("status") != replaced:
            del self._written[uid]
            return
        obj["status"] = copy.deepcopy(written)
