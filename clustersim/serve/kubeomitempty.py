"""Go's ``omitempty``: the fields the real API server leaves out of an object at their zero
value, which the simulator's objects keep.

The API server encodes each object with Go's ``encoding/json``, and a field tagged
``json:",omitempty"`` is left out when it holds its type's zero value: 0 for a (non-pointer)
number, ``""`` for a string, an empty map. The tags are those of the ``k8s.io/api`` types:

- ``batch/v1`` ``JobStatus``: ``active``, ``succeeded``, ``failed`` are ``int32`` with
  ``omitempty`` (``ready`` and ``terminating`` are pointers, written even when 0);
- ``apps/v1`` ``DeploymentStatus``: ``observedGeneration``, ``replicas``,
  ``updatedReplicas``, ``readyReplicas``, ``availableReplicas``, ``unavailableReplicas``;
- every condition's ``reason`` and ``message`` (``PodCondition``, ``JobCondition``,
  ``DeploymentCondition``, ...), and ``metadata.labels`` and ``metadata.annotations``
  (``ObjectMeta``'s maps).

Only these are handled: other kinds keep what the simulator stores (a ReplicaSet's
``replicas`` and a DaemonSet's counts have no ``omitempty`` upstream, and stay at 0).
"""

from __future__ import annotations

from typing import Any

__all__ = ["omit_empty"]

_STATUS_COUNTS = {
    "Job": ("active", "succeeded", "failed"),
    "Deployment": ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                   "availableReplicas", "unavailableReplicas"),
}
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
    for field in _STATUS_COUNTS.get(str(obj.get("kind")), ()):
        if status.get(field) == 0:
            del status[field]
    for condition in status.get("conditions") or []:
        if isinstance(condition, dict):
            for field in _CONDITION_STRINGS:
                if condition.get(field) == "":
                    del condition[field]
