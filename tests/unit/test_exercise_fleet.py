"""Checks of the fleet-at-scale exercises: a MostAllocated profile passes, the usual wrong
answers (no pluginConfig, the strategy under the wrong key, a misspelt plugin,
RequestedToCapacityRatio) get their hints; the node counts follow upstream's formula."""

from __future__ import annotations

import pytest

from clustersim.exercises.fleet import check_bin_packing_profile, check_nodes_scored

PACKING = """apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
"""


def test_a_most_allocated_profile_passes() -> None:
    feedback = check_bin_packing_profile(PACKING)
    assert feedback.passed, feedback


@pytest.mark.parametrize(("config", "hint"), [
    (None, "pluginConfig entry for NodeResourcesFit"),
    (PACKING.replace("MostAllocated", "LeastAllocated"), "scoringStrategy.type"),
    (PACKING.replace("    args:\n      scoringStrategy:\n        type: MostAllocated\n", ""),
     "scoringStrategy.type"),
    (PACKING.replace("name: NodeResourcesFit", "name: NodeResourceFit"),
     "PROFILES['MostAllocated']"),
    (PACKING.replace("type: MostAllocated", "type: RequestedToCapacityRatio\n"
                     "        requestedToCapacityRatio:\n"
                     "          shape: [{utilization: 0, score: 0},"
                     " {utilization: 100, score: 10}]"),
     "type: MostAllocated"),
    ("profiles: [3]", "PROFILES['MostAllocated']"),
])
def test_typical_wrong_profiles_get_their_hint(config: object, hint: str) -> None:
    feedback = check_bin_packing_profile(config)
    assert not feedback.passed
    assert hint in feedback.hint + feedback.message


def test_a_profile_that_does_not_pack_is_caught_on_the_fleet() -> None:
    # MostAllocated configured, but NodeResourcesFit no longer scores at all. Refused for
    # that: on this fleet BalancedAllocation alone (Kubernetes 1.36's score) packs as well.
    unscored = PACKING + """  plugins:
    score:
      disabled:
      - name: NodeResourcesFit
"""
    feedback = check_bin_packing_profile(unscored)
    assert not feedback.passed
    assert "not disabled under plugins.score" in feedback.hint


def test_node_counts_pass_and_fail_with_the_right_hints() -> None:
    assert check_nodes_scored({"2000 nodes, default": 680, "5000 nodes, 3%": 150}).passed
    fifty = check_nodes_scored({"2000 nodes, default": 1000, "5000 nodes, 3%": 150})
    assert not fifty.passed and "50 - nodes / 125" in fifty.hint
    floor = check_nodes_scored({"2000 nodes, default": 680, "5000 nodes, 3%": 250})
    assert not floor.passed and "5% floor applies only" in floor.hint
    assert not check_nodes_scored({"2000 nodes, default": None, "5000 nodes, 3%": 150}).passed
    assert not check_nodes_scored([680, 150]).passed


@pytest.mark.parametrize("config", [
    PACKING.replace("schedulerName: default-scheduler", "schedulerName: my-scheduler"),
    PACKING.replace("- schedulerName: default-scheduler", "- schedulerName: my-scheduler\n"
                    "- schedulerName: other"),
])
def test_a_profile_of_another_name_leaves_the_default_pods_pending(config: str) -> None:
    # Pods name default-scheduler unless they say otherwise; a profile of another name does not
    # schedule them (upstream's responsibleForPod), so its packing would place nothing.
    feedback = check_bin_packing_profile(config)
    assert not feedback.passed
    assert "'my-scheduler'" in feedback.message
    assert "Name the profile default-scheduler" in feedback.hint


def test_a_lone_profile_without_a_name_is_the_default_scheduler() -> None:
    feedback = check_bin_packing_profile(PACKING.replace("- schedulerName: default-scheduler\n"
                                                         "  pluginConfig:", "- pluginConfig:"))
    assert feedback.passed, feedback
