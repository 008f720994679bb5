"""The annotations a Deployment and its ReplicaSets share: revision numbers, their history,
the replica counts of a rollout, and everything else the Deployment carries (such as
``kubernetes.io/change-cause``, the CHANGE-CAUSE column of ``kubectl rollout history``).

Upstream: kubernetes/kubernetes ``pkg/controller/deployment/util/deployment_util.go``
(``SetNewReplicaSetAnnotations``, ``copyDeploymentAnnotationsToReplicaSet``,
``skipCopyAnnotation``, ``annotationsToSkip``, ``Revision``, ``getIntFromAnnotation``) and
``sync.go`` (``getNewReplicaSet``, ``maxRevHistoryLengthInChars``); kubectl
``pkg/polymorphichelpers/rollback.go`` (``DeploymentRollbacker.Rollback``, its own
``annotationsToSkip``, the same six keys).

- The controller copies every annotation of the Deployment to its new ReplicaSet, when it
  creates it and on every later sync, except the six it manages itself or that belong to the
  Deployment alone (:data:`NOT_COPIED`). It only adds and overwrites: an annotation removed
  from the Deployment stays on the ReplicaSet, and old ReplicaSets keep what they had, so each
  revision keeps the change-cause it was rolled out with.
- When a ReplicaSet that already had a revision becomes the new one again (a rollback), it
  takes the next revision number and keeps its earlier numbers, comma-separated, in
  ``revision-history``, dropping the oldest beyond 2,000 characters.
- ``kubectl rollout undo`` puts back the revision's annotations along with its template: the
  Deployment keeps its own values of the six keys and takes every other annotation from the
  ReplicaSet, dropping the ones the ReplicaSet lacks (:func:`rollback_annotations`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.objects import LAST_APPLIED

__all__ = ["CHANGE_CAUSE", "DESIRED_REPLICAS", "MAX_REPLICAS", "MAX_REVISION_HISTORY_CHARS",
           "NOT_COPIED", "REVISION", "REVISION_HISTORY", "ROLLBACK_TO", "int_annotation",
           "rollback_annotations", "set_new_replica_set_annotations"]

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
ROLLBACK_TO = "deprecated.deployment.rollback.to"
"""``apps.DeprecatedRollbackTo``, left from the removed server-side rollback."""
CHANGE_CAUSE = "kubernetes.io/change-cause"
"""What ``kubectl rollout history`` shows as CHANGE-CAUSE (kubectl
``pkg/polymorphichelpers/history.go``, ``ChangeCauseAnnotation``)."""

NOT_COPIED = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
                        MAX_REPLICAS, ROLLBACK_TO})
"""``annotationsToSkip``: what the controller does not copy to a ReplicaSet and kubectl's
rollback does not copy back."""

MAX_REVISION_HISTORY_CHARS = 2000
"""``maxRevHistoryLengthInChars`` (``sync.go``): the longest ``revision-history``."""

_GO_INT = re.compile(r"[+-]?[0-9]+")


def int_annotation(obj: Mapping[str, Any], key: str) -> int | None:
    """An annotation read as ``strconv.Atoi`` reads it; None when absent or not a number
    (upstream skips such a value)."""
    value = ((obj.get("metadata") or {}).get("annotations") or {}).get(key)
    if isinstance(value, str) and _GO_INT.fullmatch(value):
        return int(value)
    return None


def _copy_to_replica_set(deployment: Mapping[str, str], rs: dict[str, str]) -> bool:
    """``copyDeploymentAnnotationsToReplicaSet``: add or overwrite each of the Deployment's
    annotations but :data:`NOT_COPIED`; whether anything changed."""
    changed = False
    for key, value in deployment.items():
        if key not in NOT_COPIED and rs.get(key) != value:
            rs[key] = value
            changed = True
    return changed


def _with_old_revision(history: str, old: str, limit: int) -> str | None:
    """``revision-history`` with ``old`` appended, the oldest entries dropped to stay within
    ``limit`` characters; None when ``old`` alone does not fit (upstream then leaves the
    history as it was)."""
    if not history:
        return old
    kept = history.split(",")
    length = len(history) + len(old) + 1
    while length > limit and kept:
        length -= len(kept.pop(0)) + 1
    if length > limit:
        return None
    return ",".join([*kept, old])


def set_new_replica_set_annotations(deployment: Mapping[str, str], rs: dict[str, str],
                                    new_revision: int,
                                    history_limit: int = MAX_REVISION_HISTORY_CHARS) -> bool:
    """``SetNewReplicaSetAnnotations``: update the new ReplicaSet's annotations ``rs`` from
    the Deployment's and give it ``new_revision`` (the highest old revision plus one) unless
    it has a higher one; whether anything changed. A ReplicaSet whose revision is not a
    number is left as it is, as upstream leaves it. The replica-count annotations of a
    ReplicaSet being created are the caller's (``SetReplicasAnnotations``); ``history_limit``
    is the longest ``revision-history`` in characters."""
    old = rs.get(REVISION)
    if old is not None and old != "" and not _GO_INT.fullmatch(old):
        return False
    old_number = int(old) if old else 0
    changed = _copy_to_replica_set(deployment, rs)
    if old_number < new_revision:
        rs[REVISION] = str(new_revision)
        changed = True
        if old is not None:        # a rollback to this ReplicaSet: remember its old number
            history = _with_old_revision(rs.get(REVISION_HISTORY, ""), old, history_limit)
            if history is not None:
                rs[REVISION_HISTORY] = history
    return changed


def rollback_annotations(deployment: Mapping[str, str],
                         rs: Mapping[str, str]) -> dict[str, str]:
    """The Deployment's annotations after ``kubectl rollout undo`` to ``rs``: its own values of
    :data:`NOT_COPIED`, every other annotation from the ReplicaSet (kubectl replaces
    ``/metadata/annotations`` with these in the same JSON patch as the template)."""
    kept = {key: value for key, value in deployment.items() if key in NOT_COPIED}
    kept.update((key, value) for key, value in rs.items() if key not in NOT_COPIED)
    return kept
