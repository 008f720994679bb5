"""``apply_patch``: the strategic merge patch ``kubectl apply`` sends (``CreateThreeWayMergePatch``
of k8s.io/apimachinery ``strategicpatch/patch.go``), applied with ``strategic_merge_patch``."""

from __future__ import annotations

from clustersim.kubernetes.strategicmerge import apply_patch, strategic_merge_patch

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
