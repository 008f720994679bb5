"""``apply_patch``: the strategic merge patch ``kubectl apply`` sends (``CreateThreeWayMergePatch``
of k8s.io/apimachinery ``strategicpatch/patch.go``), applied with ``strategic_merge_patch``."""

from __future__ import annotations

from clustersim.kubernetes.strategicmerge import (
    apply_patch,
    strategic_merge_patch,
    three_way_patch,
)

LAST = {"containers": [{"name": "a", "image": "x:1", "args": ["-v"]},
                       {"name": "b", "image": "y:1"}],
        "nodeSelector": {"disk": "ssd"}}
LIVE = {"containers": [{"name": "a", "image": "x:1", "args": ["-v"],
                        "resources": {"requests": {"cpu": "250m"}}},
                       {"name": "b", "image": "y:1"}],
        "nodeSelector": {"disk": "ssd"}, "priority": 0}


def test_what_the_last_apply_had_and_this_one_drops_is_deleted_and_the_rest_kept():
    modified = {"containers": [{"name": "a", "image": "x:2"}]}
    patch = apply_patch(LAST, modified)
    assert patch == {"nodeSelector": None,
                     "containers": [{"name": "a", "image": "x:2", "args": None},
                                    {"name": "b", "$patch": "delete"}]}
    assert strategic_merge_patch(LIVE, patch) == {
        "containers": [{"name": "a", "image": "x:2", "resources": {"requests": {"cpu": "250m"}}}],
        "priority": 0}


def test_without_a_last_apply_nothing_is_deleted():
    patch = apply_patch(None, {"containers": [{"name": "a", "image": "x:2"}]})
    merged = strategic_merge_patch(LIVE, patch)
    assert [c["image"] for c in merged["containers"]] == ["x:2", "y:1"]
    assert merged["containers"][0]["args"] == ["-v"] and merged["nodeSelector"] == {
        "disk": "ssd"}


def test_three_way_patch_sends_drift_deletions_and_nothing_for_an_unchanged_object():
    """``CreateThreeWayMergePatch``: a field the live object changed is set back, one the
    last applied configuration had and the file dropped is deleted, fields only the live
    object has (defaults, status) are left, and a list without a merge key that differs is
    sent whole."""
    last = {"spec": {"replicas": 3, "paused": False,
                     "containers": [{"name": "a", "image": "x:1"}]}}
    modified = {"spec": {"replicas": 3, "containers": [{"name": "a", "image": "x:1"}]}}
    live = {"spec": {"replicas": 5, "paused": False, "strategy": {"type": "Recreate"},
                     "containers": [{"name": "a", "image": "x:1", "tty": False}]},
            "status": {"replicas": 5}}
    assert three_way_patch(last, modified, live) == {"spec": {"replicas": 3, "paused": None}}
    live["spec"]["replicas"] = 3
    assert three_way_patch(last, modified, live) == {"spec": {"paused": None}}
    assert three_way_patch(modified, modified, live) == {}
    claims = {"volumeClaimTemplates": [{"metadata": {"name": "d"}}]}
    assert three_way_patch(claims, claims, {"volumeClaimTemplates": [
        {"metadata": {"name": "d"}, "status": {"phase": "Pending"}}]}) == claims
