"""Checks of the day-2 exercises: each typical wrong answer gets its hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.day_2 import check_lost_quorum, check_upgrade_blockers, upgrade_blockers


def test_blockers_follow_the_skew_policy():
    assert upgrade_blockers() == ["1.34", "1.33"]


@pytest.mark.parametrize(("answer", "hint"), [
    (["1.33"], "Count the minors"),
    (["1.35", "1.34", "1.33"], "three is allowed"),
    (["1.37", "1.34", "1.33"], "not newer than the API servers"),
    ([], "at most three minors older"),
    (["1.30"], "The kubelets run"),
    ("1.33", "as strings"),
])
def test_blocker_hints(answer, hint):
    feedback = check_upgrade_blockers(answer)
    assert not feedback.passed and hint in feedback.hint


def test_blockers_right_in_any_order():
    assert check_upgrade_blockers(["1.33", "1.34"]).passed


@pytest.mark.parametrize(("answer", "hint"), [
    ({"tolerated": 3, "command": "docker swarm init --force-new-cluster"}, "quorum"),
    ({"tolerated": 4, "command": "docker swarm init --force-new-cluster"}, "(N - 1) // 2"),
    ({"tolerated": 2, "command": "systemctl restart docker"}, "new cluster"),
    ({"tolerated": 2, "command": "docker swarm --force-new-cluster"}, "docker swarm init"),
    ({"tolerated": 2}, "starter"),
])
def test_quorum_hints(answer, hint):
    feedback = check_lost_quorum(answer)
    assert not feedback.passed and hint in feedback.hint


def test_quorum_right():
    assert check_lost_quorum({"tolerated": 2,
                              "command": "docker swarm init --force-new-cluster"}).passed


def test_the_starter_of_the_quorum_exercise_reads_as_not_answered_yet() -> None:
    """Regression test: the starter's None was reported as "do not tolerate None failures"."""
    feedback = check_lost_quorum({"tolerated": None, "command": None})
    assert not feedback and "not given" in feedback.message and "None failures" not in str(feedback)
