"""The Deployment controller's arithmetic against upstream's own test tables.

Cases come from kubernetes/kubernetes ``pkg/controller/deployment/util/deployment_util_test.go``
(``TestResolveFenceposts``, ``TestNewRSNewReplicas``, ``TestMaxUnavailable``),
``pkg/controller/deployment/rolling_test.go`` (``TestDeploymentController_reconcileNewReplicaSet``,
``…_reconcileOldReplicaSets``, ``…_cleanupUnhealthyReplicas``,
``…_scaleDownOldReplicaSetsForRollingUpdate``) and ``pkg/controller/deployment/sync_test.go``
(``TestScale``, ``TestDeploymentController_cleanupDeployment``). Upstream's test helper
``newDeployment`` sets maxSurge and maxUnavailable to 0 unless a case gives them, which
resolves to (0, 1).
"""

from __future__ import annotations

import pytest

from clustersim.kubernetes import resolve_fenceposts
from clustersim.kubernetes.controllers.rollout import (
    ReplicaSetState,
    cleanup_unhealthy_replicas,
    max_surge,
    max_unavailable,
    new_rs_new_replicas,
    proportional_scale,
    reconcile_new_replica_set,
    reconcile_old_replica_sets,
    replica_sets_to_clean,
    scale_down_old_replica_sets,
)


def rolling(surge=0, unavailable=0):
    return {"type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}


# TestResolveFenceposts (None stands for upstream's nil pointer)
@pytest.mark.parametrize("surge, unavailable, desired, expected", [
    ("0%", "0%", 0, (0, 1)),
    ("39%", "39%", 10, (4, 3)),
    (None, "39%", 10, (0, 3)),
    ("39%", None, 10, (4, 0)),
    (None, None, 10, (0, 1)),
    # the cases: ints, the 25% default, rounding directions
    (1, 0, 3, (1, 0)),
    ("25%", "25%", 10, (3, 2)),
    ("25%", "25%", 1, (1, 0)),
])
def test_resolve_fenceposts_table(surge, unavailable, desired, expected):
    assert resolve_fenceposts(surge, unavailable, desired) == expected


@pytest.mark.parametrize("surge, unavailable", [("oops", "39%"), ("55%", "urg"), ("5", 1),
                                                (True, 1)])
def test_resolve_fenceposts_rejects_bad_values(surge, unavailable):
    with pytest.raises(ValueError, match="percentage"):
        resolve_fenceposts(surge, unavailable, 10)


# TestMaxUnavailable
@pytest.mark.parametrize("replicas, strategy, expected", [
    (10, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 5}}, 5),
    (10, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 10}}, 10),
    (5, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 10}}, 5),
    (0, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 10}}, 0),
    (1, {"type": "Recreate"}, 0),
    (10, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "50%"}}, 5),
    (10, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1,
                                                     "maxUnavailable": "100%"}}, 10),
    (5, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1,
                                                    "maxUnavailable": "100%"}}, 5),
])
def test_max_unavailable_table(replicas, strategy, expected):
    assert max_unavailable(replicas, strategy) == expected


# TestNewRSNewReplicas: (strategy, deployment replicas, new RS replicas, maxSurge) → expected;
# the other RS has 5 replicas, maxUnavailable 1.
@pytest.mark.parametrize("kind, dep_replicas, new_replicas, surge, expected", [
    ("RollingUpdate", 1, 5, 1, 5),
    ("RollingUpdate", 6, 2, 10, 6),
    ("Recreate", 3, 1, 1, 3),
])
def test_new_rs_new_replicas_table(kind, dep_replicas, new_replicas, surge, expected):
    strategy = {"type": kind, "rollingUpdate": {"maxSurge": surge, "maxUnavailable": 1}}
    new = ReplicaSetState("new", new_replicas)
    assert new_rs_new_replicas(dep_replicas, strategy, [ReplicaSetState("rs5", 5)], new) \
        == expected


# TestDeploymentController_reconcileNewReplicaSet
@pytest.mark.parametrize("replicas, surge, old, new, expected", [
    (10, 0, 10, 0, None),
    (10, 2, 10, 0, 2),
    (10, 2, 5, 0, 7),
    (10, 2, 10, 2, None),
    (10, 2, 2, 11, 10),
])
def test_reconcile_new_replica_set_table(replicas, surge, old, new, expected):
    new_rs, old_rs = ReplicaSetState("foo-new", new), ReplicaSetState("foo-old", old)
    done = reconcile_new_replica_set(replicas, rolling(surge, 0), [new_rs, old_rs], new_rs)
    if expected is None:
        assert done == []
    else:
        assert [(rs.name, after) for rs, _, after in done] == [("foo-new", expected)]


# TestDeploymentController_reconcileOldReplicaSets (the expected sizes the table states)
@pytest.mark.parametrize("replicas, unavailable, old, new, ready_old, ready_new, expected", [
    (10, 0, 10, 0, 10, 0, 9),
    (10, 2, 10, 0, 10, 0, 8),
    (10, 2, 10, 0, 8, 0, 8),
    (10, 2, 10, 0, 9, 0, 8),
    (10, 2, 8, 2, 8, 0, None),
])
def test_reconcile_old_replica_sets_table(replicas, unavailable, old, new, ready_old,
                                          ready_new, expected):
    old_rs = ReplicaSetState("foo-old", old, available=ready_old)
    new_rs = ReplicaSetState("foo-new", new, available=ready_new)
    done = reconcile_old_replica_sets(replicas, rolling(0, unavailable), [old_rs, new_rs],
                                      [old_rs], new_rs)
    if expected is None:
        assert done == []
    else:
        assert done and old_rs.replicas == expected


# TestDeploymentController_cleanupUnhealthyReplicas
@pytest.mark.parametrize("old, ready, max_cleanup, expected", [
    (10, 8, 1, 1), (10, 8, 3, 2), (10, 8, 0, 0), (10, 10, 3, 0),
])
def test_cleanup_unhealthy_replicas_table(old, ready, max_cleanup, expected):
    rs = ReplicaSetState("foo-v2", old, available=ready)
    done = cleanup_unhealthy_replicas([rs], max_cleanup)
    assert sum(before - after for _, before, after in done) == expected


# TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate
@pytest.mark.parametrize("replicas, unavailable, ready, old, expected", [
    (10, 0, 10, 10, 9),
    (10, 2, 10, 10, 8),
    (10, 2, 8, 10, None),
    (10, 2, 10, 0, None),
    (10, 2, 1, 10, None),
])
def test_scale_down_old_replica_sets_table(replicas, unavailable, ready, old, expected):
    rs = ReplicaSetState("foo-v2", old, available=ready)
    done = scale_down_old_replica_sets(replicas, rolling(0, unavailable), [rs], [rs])
    if expected is None:
        assert done == []
    else:
        assert [(after) for _, _, after in done] == [expected]


def _annotated(name, replicas, created, old_replicas, old_surge, available=None):
    """An RS as TestScale prepares it: replica annotations from the *old* deployment."""
    return ReplicaSetState(name, replicas, available=replicas if available is None else
                           available, created=created, desired=old_replicas,
                           max_replicas=old_replicas + old_surge)


NEW, OLD, OLDER = 3.0, 2.0, 1.0


# TestScale: (name, deployment replicas, surge, old deployment replicas, old surge,
#             new RS (name, size) or None, old RSs [(name, size, created)], expected sizes)
SCALE_CASES = [
    ("normal scaling event: 10 -> 12", 12, 0, 10, 0, ("foo-v1", 10), [], {"foo-v1": 12}),
    ("normal scaling event: 10 -> 5", 5, 0, 10, 0, ("foo-v1", 10), [], {"foo-v1": 5}),
    ("proportional scaling: 5 -> 10", 10, 0, 5, 0, ("foo-v2", 2), [("foo-v1", 3, OLD)],
     {"foo-v2": 4, "foo-v1": 6}),
    ("proportional scaling: 5 -> 3", 3, 0, 5, 0, ("foo-v2", 2), [("foo-v1", 3, OLD)],
     {"foo-v2": 1, "foo-v1": 2}),
    ("proportional scaling: 9 -> 4", 4, 0, 9, 0, ("foo-v2", 8), [("foo-v1", 1, OLD)],
     {"foo-v2": 4, "foo-v1": 0}),
    ("proportional scaling: 7 -> 10", 10, 0, 7, 0, ("foo-v3", 2),
     [("foo-v2", 3, OLD), ("foo-v1", 2, OLDER)], {"foo-v3": 3, "foo-v2": 4, "foo-v1": 3}),
    ("proportional scaling: 13 -> 8", 8, 0, 13, 0, ("foo-v3", 2),
     [("foo-v2", 8, OLD), ("foo-v1", 3, OLDER)], {"foo-v3": 1, "foo-v2": 5, "foo-v1": 2}),
    ("leftover distribution: 3 -> 4", 4, 0, 3, 0, ("foo-v3", 1),
     [("foo-v2", 1, OLD), ("foo-v1", 1, OLDER)], {"foo-v3": 2, "foo-v2": 1, "foo-v1": 1}),
    ("leftover distribution: 3 -> 2", 2, 0, 3, 0, ("foo-v3", 1),
     [("foo-v2", 1, OLD), ("foo-v1", 1, OLDER)], {"foo-v3": 1, "foo-v2": 1, "foo-v1": 0}),
    ("proportional scaling (no new rs): 4 -> 5", 5, 0, 4, 0, None,
     [("foo-v2", 2, OLD), ("foo-v1", 2, OLDER)], {"foo-v2": 3, "foo-v1": 2}),
    ("proportional scaling: 6 -> 0", 0, 0, 6, 0, ("foo-v3", 3),
     [("foo-v2", 2, OLD), ("foo-v1", 1, OLDER)], {"foo-v3": 0, "foo-v2": 0, "foo-v1": 0}),
    ("proportional scaling: 0 -> 6", 6, 0, 6, 0, ("foo-v3", 0),
     [("foo-v2", 0, OLD), ("foo-v1", 0, OLDER)], {"foo-v3": 6, "foo-v2": 0, "foo-v1": 0}),
    ("deployment with surge pods", 20, 2, 10, 2, ("foo-v2", 6), [("foo-v1", 6, OLD)],
     {"foo-v2": 11, "foo-v1": 11}),
    ("change both surge and size", 50, 6, 10, 3, ("foo-v2", 5), [("foo-v1", 8, OLD)],
     {"foo-v2": 22, "foo-v1": 34}),
]


@pytest.mark.parametrize("case", SCALE_CASES, ids=[c[0] for c in SCALE_CASES])
def test_proportional_scale_table(case):
    _, replicas, surge, old_replicas, old_surge, new, olds, expected = case
    new_rs = _annotated(new[0], new[1], NEW, old_replicas, old_surge) if new else None
    old_rs = [_annotated(n, size, created, old_replicas, old_surge) for n, size, created in olds]
    for rs in [new_rs, *old_rs]:
        if rs is not None:
            rs.available = 0      # upstream's rs() helper leaves availableReplicas at 0
    proportional_scale(replicas, rolling(surge, 0), new_rs, old_rs)
    got = {rs.name: rs.replicas for rs in [new_rs, *old_rs] if rs is not None}
    assert got == expected


def test_change_both_size_and_template():
    """TestScale 'change both size and template': no new RS yet; the two old ones grow
    proportionally from 10 to 14 (with the default 0/0 fenceposts)."""
    olds = [_annotated("foo-v2", 7, NEW, 10, 0), _annotated("foo-v1", 3, OLD, 10, 0)]
    proportional_scale(14, rolling(0, 0), None, olds)
    assert [rs.replicas for rs in olds] == [10, 4]


def test_saturated_but_broken_new_replica_set_keeps_old_pods():
    """TestScale 'saturated but broken new replica set does not affect old pods'."""
    new_rs = _annotated("foo-v2", 2, NEW, 2, 1, available=0)
    old_rs = [_annotated("foo-v1", 1, OLD, 2, 1)]
    assert proportional_scale(2, rolling(1, 1), new_rs, old_rs) == []
    assert (new_rs.replicas, old_rs[0].replicas) == (2, 1)


# MaxSurge with percentages: deployment_util.go ``MaxSurge`` resolves ``maxSurge`` with
# ``ResolveFenceposts``, which scales a percentage of the replicas rounding **up**
# (``GetScaledValueFromIntOrPercent(maxSurge, desired, true)``); the rows follow upstream's
# TestMaxUnavailable percentage rows and TestResolveFenceposts' 39% row. A percentage whose
# product is not whole tells rounding up (39% of 10 = 3.9 → 4) from down (3).
@pytest.mark.parametrize("replicas, surge, expected", [
    (10, "39%", 4),
    (10, "25%", 3),
    (8, "25%", 2),     # exact: no rounding
    (3, "1%", 1),      # 0.03 rounds up to 1
    (1, "25%", 1),
    (10, "50%", 5),
    (10, "100%", 10),
    (5, "200%", 10),   # surge is not capped at the replicas (maxUnavailable is)
    (0, "25%", 0),
    (10, "0%", 0),
])
def test_max_surge_percentage_table(replicas, surge, expected):
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge,
                                                           "maxUnavailable": 1}}
    assert max_surge(replicas, strategy) == expected


def test_max_surge_is_zero_for_recreate():
    assert max_surge(10, {"type": "Recreate"}) == 0
    assert max_surge(10, {"type": "RollingUpdate"}) == 3     # the 25% default rounds up


# TestDeploymentController_cleanupDeployment: old RSs as (spec replicas, status replicas),
# revisionHistoryLimit → deletions (the "already deleted" case has no counterpart: deleted
# objects leave the simulator's store at once)
@pytest.mark.parametrize("old, limit, deletions", [
    ([(0, 0), (0, 0), (0, 0)], 1, 2),
    ([(0, 0), (0, 1), (1, 0), (1, 1)], 0, 1),
    ([(0, 0), (0, 0)], 0, 2),
    ([(1, 1), (1, 1)], 0, 0),
    ([(0, 0), (0, 0), (0, 0)], 2**31 - 1, 0),
    # the limit counts every old set, empty or not: only the oldest diff are looked at
    ([(0, 0), (1, 1), (1, 1)], 1, 1),
    ([(1, 1), (0, 0), (0, 0)], 2, 0),
])
def test_cleanup_deployment_table(old, limit, deletions):
    states = [ReplicaSetState(f"foo-{i}", spec, created=i) for i, (spec, _) in enumerate(old)]
    pods = {f"foo-{i}": status for i, (_, status) in enumerate(old)}
    assert len(replica_sets_to_clean(states, pods, limit)) == deletions


def test_a_rolling_update_that_says_only_its_surge_takes_the_default_unavailability():
    """``SetDefaults_Deployment`` fills a missing ``maxUnavailable`` (25%) beside a given
    ``maxSurge``, as the sync loop's defaults do (it was read as 0)."""
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}
    assert (max_surge(10, strategy), max_unavailable(10, strategy)) == (1, 2)
