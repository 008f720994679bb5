"""The rollout arithmetic of the Deployment controller, as pure functions over
:class:`ReplicaSetState`: how many pods a rolling update may add or take away, which
ReplicaSets to scale and by how much, proportional scaling, which old ReplicaSets to clean up.

Kept apart from the controller (:mod:`~clustersim.kubernetes.controllers.deployment`, which
applies these decisions to objects) as upstream keeps it apart, so that it is checked against
upstream's own test tables (``tests/unit/test_k8s_controllers_deployment.py``). Upstream:
kubernetes/kubernetes ``pkg/controller/deployment/util/deployment_util.go``
(``ResolveFenceposts``, ``NewRSNewReplicas``, ``GetProportion``, ``MaxSurge``,
``MaxUnavailable``), ``rolling.go`` (``reconcileNewReplicaSet``, ``reconcileOldReplicaSets``,
``cleanupUnhealthyReplicas``, ``scaleDownOldReplicaSetsForRollingUpdate``) and ``sync.go``
(``scale``, ``cleanupDeployment``); ``value_from_int_or_percent`` is apimachinery's
``intstr.GetScaledValueFromIntOrPercent``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.defaults import DEPLOYMENT_ROLLING_DEFAULTS

__all__ = [
    "ReplicaSetState",
    "Scaling",
    "cleanup_unhealthy_replicas",
    "max_surge",
    "max_unavailable",
    "new_rs_new_replicas",
    "proportional_scale",
    "reconcile_new_replica_set",
    "reconcile_old_replica_sets",
    "replica_sets_to_clean",
    "resolve_fenceposts",
    "scale_down_old_replica_sets",
    "value_from_int_or_percent",
]

_PERCENT = re.compile(r"(\d+)%")


def value_from_int_or_percent(value: int | str | None, total: int, round_up: bool,
                               field: str) -> int:
    """``intstr.GetValueFromIntOrPercent``: an int as is, ``"N%"`` of ``total`` rounded."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise ValueError(f"{field}: {value!r} is not an integer or a percentage such as '25%'")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = _PERCENT.fullmatch(value.strip())
        if match:
            scaled = int(match[1]) * total
            return -(-scaled // 100) if round_up else scaled // 100
    raise ValueError(f"{field}: {value!r} is not an integer or a percentage such as '25%'")


def resolve_fenceposts(max_surge: int | str | None, max_unavailable: int | str | None,
                       desired: int) -> tuple[int, int]:
    """Resolve a rolling update's ``maxSurge`` and ``maxUnavailable`` against ``desired``.

    Percentages of ``desired``: surge rounds **up**, unavailable rounds **down**; None counts
    as 0. If both come out 0, unavailable becomes 1 so that the rollout can progress
    (``ResolveFenceposts`` in ``pkg/controller/deployment/util/deployment_util.go``).
    Raises ValueError for a value that is neither an int nor ``"N%"``.
    """
    surge = value_from_int_or_percent(max_surge, desired, True, "maxSurge")
    unavailable = value_from_int_or_percent(max_unavailable, desired, False, "maxUnavailable")
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _rolling(strategy: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        return None
    given = strategy.get("rollingUpdate") or {}
    return {field: default if given.get(field) is None else given[field]
            for field, default in DEPLOYMENT_ROLLING_DEFAULTS.items()}


def max_surge(replicas: int, strategy: Mapping[str, Any]) -> int:
    """``MaxSurge``: 0 unless the strategy is RollingUpdate."""
    rolling = _rolling(strategy)
    if rolling is None:
        return 0
    return resolve_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas)[0]


def max_unavailable(replicas: int, strategy: Mapping[str, Any]) -> int:
    """``MaxUnavailable``: 0 unless RollingUpdate or when replicas is 0; capped at replicas."""
    rolling = _rolling(strategy)
    if rolling is None or replicas == 0:
        return 0
    unavailable = resolve_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"),
                                     replicas)[1]
    return min(unavailable, replicas)


@dataclass
class ReplicaSetState:
    """What the rollout arithmetic reads of one ReplicaSet: ``spec.replicas``,
    ``status.availableReplicas``, its creation time and its replica annotations."""

    name: str
    replicas: int
    available: int = 0
    created: float = 0.0
    desired: int | None = None         # deployment.kubernetes.io/desired-replicas
    max_replicas: int | None = None    # deployment.kubernetes.io/max-replicas


Scaling = tuple[ReplicaSetState, int, int]
"""One decision: (replica set, old size, new size)."""


def _scale(rs: ReplicaSetState, size: int, done: list[Scaling]) -> None:
    done.append((rs, rs.replicas, size))
    rs.replicas = size


def new_rs_new_replicas(replicas: int, strategy: Mapping[str, Any],
                        all_rs: list[ReplicaSetState], new_rs: ReplicaSetState) -> int:
    """How many replicas the new ReplicaSet may have now (``NewRSNewReplicas``)."""
    if _rolling(strategy) is None:
        return replicas
    rolling = _rolling(strategy) or {}
    surge = value_from_int_or_percent(rolling.get("maxSurge"), replicas, True, "maxSurge")
    current = sum(rs.replicas for rs in all_rs)
    max_total = replicas + surge
    if current >= max_total:
        return new_rs.replicas
    return new_rs.replicas + min(max_total - current, replicas - new_rs.replicas)


def reconcile_new_replica_set(replicas: int, strategy: Mapping[str, Any],
                              all_rs: list[ReplicaSetState],
                              new_rs: ReplicaSetState) -> list[Scaling]:
    """Scale the new ReplicaSet up as far as maxSurge allows, or down to ``replicas``."""
    done: list[Scaling] = []
    if new_rs.replicas == replicas:
        return done
    if new_rs.replicas > replicas:
        _scale(new_rs, replicas, done)
        return done
    size = new_rs_new_replicas(replicas, strategy, all_rs, new_rs)
    if size != new_rs.replicas:
        _scale(new_rs, size, done)
    return done


def _by_creation(states: list[ReplicaSetState]) -> list[ReplicaSetState]:
    return sorted(states, key=lambda rs: (rs.created, rs.name))


def cleanup_unhealthy_replicas(old_rs: list[ReplicaSetState],
                               max_cleanup: int) -> list[Scaling]:
    """Scale old ReplicaSets down by their unavailable pods, oldest first, at most
    ``max_cleanup`` in total (``cleanupUnhealthyReplicas``)."""
    done: list[Scaling] = []
    total = 0
    for rs in _by_creation(old_rs):
        if total >= max_cleanup:
            break
        if rs.replicas == 0 or rs.replicas == rs.available:
            continue
        count = min(max_cleanup - total, rs.replicas - rs.available)
        _scale(rs, rs.replicas - count, done)
        total += count
    return done


def scale_down_old_replica_sets(replicas: int, strategy: Mapping[str, Any],
                                all_rs: list[ReplicaSetState],
                                old_rs: list[ReplicaSetState]) -> list[Scaling]:
    """Scale old ReplicaSets down while available pods stay ≥ replicas − maxUnavailable,
    oldest first (``scaleDownOldReplicaSetsForRollingUpdate``)."""
    done: list[Scaling] = []
    min_available = replicas - max_unavailable(replicas, strategy)
    available = sum(rs.available for rs in all_rs)
    if available <= min_available:
        return done
    budget = available - min_available
    total = 0
    for rs in _by_creation(old_rs):
        if total >= budget:
            break
        if rs.replicas == 0:
            continue
        count = min(rs.replicas, budget - total)
        _scale(rs, rs.replicas - count, done)
        total += count
    return done


def reconcile_old_replica_sets(replicas: int, strategy: Mapping[str, Any],
                               all_rs: list[ReplicaSetState], old_rs: list[ReplicaSetState],
                               new_rs: ReplicaSetState) -> list[Scaling]:
    """Scale old ReplicaSets down without breaking maxUnavailable (``reconcileOldReplicaSets``).

    ``maxScaledDown = allPods − minAvailable − newRSUnavailable``; unhealthy old pods go first.
    """
    if sum(rs.replicas for rs in old_rs) == 0:
        return []
    all_pods = sum(rs.replicas for rs in all_rs)
    min_available = replicas - max_unavailable(replicas, strategy)
    new_unavailable = new_rs.replicas - new_rs.available
    max_scaled_down = all_pods - min_available - new_unavailable
    if max_scaled_down <= 0:
        return []
    done = cleanup_unhealthy_replicas(old_rs, max_scaled_down)
    done += scale_down_old_replica_sets(replicas, strategy, [*old_rs, new_rs], old_rs)
    return done


def _replica_set_fraction(rs: ReplicaSetState, replicas: int, strategy: Mapping[str, Any],
                          status_replicas: int) -> int:
    """``getReplicaSetFraction``: this set's share of the new size, minus its current size."""
    if replicas == 0:
        return -rs.replicas
    allowed = replicas + max_surge(replicas, strategy)
    annotated = rs.max_replicas if rs.max_replicas is not None else status_replicas
    size = rs.replicas * allowed / annotated
    return math.floor(size + 0.5) - rs.replicas     # math.Round (half away from zero)


def proportional_scale(replicas: int, strategy: Mapping[str, Any],
                       new_rs: ReplicaSetState | None, old_rs: list[ReplicaSetState],
                       status_replicas: int = 0) -> list[Scaling]:
    """Spread a change of ``spec.replicas`` over the active ReplicaSets in proportion to their
    size (``DeploymentController.scale`` in ``sync.go``).

    One active set (or none) takes the whole new size. A saturated new set scales the old ones
    to 0. Otherwise each active set gets ``round(size × allowed / its max-replicas)``, larger
    sets first (newer first when scaling up, older first when scaling down), and the rounding
    leftover goes to the first.
    """
    done: list[Scaling] = []
    ordered = sorted(old_rs, key=lambda rs: (rs.created, rs.name), reverse=True)
    candidates = [*ordered, *([new_rs] if new_rs else [])]
    active = [rs for rs in candidates if rs.replicas > 0]
    if len(active) <= 1:
        target = active[0] if active else (new_rs or (ordered[0] if ordered else None))
        if target is not None and target.replicas != replicas:
            _scale(target, replicas, done)
        return done
    if (new_rs is not None and new_rs.replicas == replicas and new_rs.desired == replicas
            and new_rs.available == replicas):
        for rs in active:
            if rs is not new_rs:
                _scale(rs, 0, done)
        return done
    if _rolling(strategy) is None:
        return done
    allowed = replicas + max_surge(replicas, strategy) if replicas > 0 else 0
    to_add = allowed - sum(rs.replicas for rs in active)
    if to_add > 0:
        active.sort(key=lambda rs: (-rs.replicas, -rs.created, rs.name))
    elif to_add < 0:
        active.sort(key=lambda rs: (-rs.replicas, rs.created, rs.name))
    added = 0
    sizes: list[int] = []
    for rs in active:
        proportion = 0
        if to_add != 0 and rs.replicas != 0 and to_add != added:
            fraction = _replica_set_fraction(rs, replicas, strategy, status_replicas)
            allowed_left = to_add - added
            proportion = min(fraction, allowed_left) if to_add > 0 else max(fraction,
                                                                           allowed_left)
        sizes.append(rs.replicas + proportion)
        added += proportion
    if to_add != 0 and sizes:
        sizes[0] = max(0, sizes[0] + to_add - added)
    for rs, size in zip(active, sizes, strict=True):
        if size != rs.replicas:
            _scale(rs, size, done)
    return done


def replica_sets_to_clean(old_rs: list[ReplicaSetState], pods: Mapping[str, int],
                          limit: int | None) -> set[str]:
    """Old ReplicaSets to delete (``cleanupDeployment``): the ``len(old) − limit`` lowest
    revisions (``created`` holds the revision here), skipping any that still has replicas or
    pods (``pods``: name → pod count). ``limit`` None or 2^31−1 keeps everything."""
    if limit is None or limit == 2**31 - 1:
        return set()
    diff = len(old_rs) - limit
    if diff <= 0:
        return set()
    ordered = sorted(old_rs, key=lambda rs: (rs.created, rs.name))
    return {rs.name for rs in ordered[:diff] if rs.replicas == 0 and pods.get(rs.name, 0) == 0}
