"""Go's ``omitempty``: the fields the real API server leaves out of an object at their zero
value, which the simulator's objects keep.

The API server encodes each object with Go's ``encoding/json``, and a field tagged
``json:",omitempty"`` is left out when it holds its type's zero value: 0 for a (non-pointer)
number, ``""`` for a string, an empty map. The tags are those of the ``k8s.io/api`` types
(kubernetes/kubernetes ``staging/src/k8s.io/api/{apps,batch,core}/v1/types.go``):

- ``batch/v1`` ``JobStatus``: ``active``, ``succeeded``, ``failed`` are ``int32`` with
  ``omitempty`` (``ready`` and ``terminating`` are pointers, written even when 0);
- ``apps/v1`` ``DeploymentStatus``: ``observedGeneration``, ``replicas``,
  ``updatedReplicas``, ``readyReplicas``, ``availableReplicas``, ``unavailableReplicas``;
- ``apps/v1`` ``ReplicaSetStatus`` and ``core/v1`` ``ReplicationControllerStatus``:
  ``fullyLabeledReplicas``, ``readyReplicas``, ``availableReplicas``,
  ``observedGeneration`` (``replicas`` has no ``omitempty``: an old ReplicaSet scaled to
  0 shows ``replicas: 0`` and its ``observedGeneration``, no other count);
- ``apps/v1`` ``StatefulSetStatus``: ``observedGeneration``, ``readyReplicas``,
  ``currentReplicas``, ``updatedReplicas`` and the strings ``currentRevision`` and
  ``updateRevision`` (``replicas`` and ``availableReplicas`` have none);
- ``apps/v1`` ``DaemonSetStatus``: ``observedGeneration``, ``updatedNumberScheduled``,
  ``numberAvailable``, ``numberUnavailable`` (its other counts have none);
- every condition's ``reason`` and ``message`` (``PodCondition``, ``JobCondition``,
  ``DeploymentCondition``, ...), and ``metadata.labels`` and ``metadata.annotations``
  (``ObjectMeta``'s maps).

Only these are handled: other kinds keep what the simulator stores.
"""

from __future__ import annotations

from typing import Any

__all__ = ["omit_empty"]

_REPLICA_SET_COUNTS = ("fullyLabeledReplicas", "readyReplicas", "availableReplicas",
                       "observedGeneration")
_STATUS_FIELDS = {
    "Job": ("active", "succeeded", "failed"),
    "Deployment": ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                   "availableReplicas", "unavailableReplicas"),
    "ReplicaSet": _REPLICA_SET_COUNTS,
    "ReplicationController": _REPLICA_SET_COUNTS,
    "StatefulSet": ("observedGeneration", "readyReplicas", "currentReplicas",
                    "updatedReplicas", "currentRevision", "updateRevision"),
    "DaemonSet": ("observedGeneration", "updatedNumberScheduled", "numberAvailable",
                  "numberUnavailable"),
}
"""Each kind's status fields with ``omitempty`` whose zero value the simulator stores:
numbers (0) and strings (``""``)."""
_CONDITION_STRINGS = ("reason", "message")
_METADATA_MAPS = ("labels", "annotations")


def omit_empty(obj: dict[str, Any]) -> None:
    """Leave out of ``obj`` (an object as the API returns it, a copy) the fields above at
    their zero value, in place."""
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        for field in _METADATA_MAPS:
            if meta.get(field) == {}:
                del meta[field]
    status = obj.get("status")
    if not isinstance(status, dict):
        return
    for field in _STATUS_FIELDS.get(str(obj.get("kind")), ()):
        if field in status and status[field] in (0, "") and status[field] is not False:
            del status[field]
    for condition in status.get("conditions") or []:
        if isinstance(condition, dict):
            for field in _CONDITION_STRINGS:
                if condition.get(field) == "":
                    del condition[field]
