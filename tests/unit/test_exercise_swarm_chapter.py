"""Checks of the Swarm chapter's exercises: quorum tolerance and a spread prediction."""

from __future__ import annotations

from collections import Counter

import pytest

from clustersim.exercises.swarm_chapter import (
    LEADERLESS_STATEMENTS,
    MANAGER_COUNTS,
    check_fault_tolerance,
    check_leaderless,
    check_spread_prediction,
    leaderless_run,
    search_cluster,
)

RIGHT = {1: 0, 2: 0, 3: 1, 4: 1, 5: 2, 7: 3}
"""Docker's table (https://docs.docker.com/engine/swarm/admin_guide/#add-manager-nodes-for-
fault-tolerance): 3 managers tolerate 1, 5 tolerate 2, 7 tolerate 3."""


def test_tolerance_right_answer_passes() -> None:
    assert set(RIGHT) == set(MANAGER_COUNTS)
    assert check_fault_tolerance(RIGHT).passed


@pytest.mark.parametrize("managers, wrong, hint", [
    (4, 2, "exactly half"),
    (2, 1, "exactly half"),
    (3, 2, "majority"),
    (7, 2, "quorum of 7 managers is 4"),
])
def test_tolerance_hints(managers: int, wrong: int, hint: str) -> None:
    feedback = check_fault_tolerance({**RIGHT, managers: wrong})
    assert not feedback.passed and hint in feedback.hint


def test_tolerance_quorum_sizes_are_told_they_are_the_quorum() -> None:
    """Quorum sizes (1, 2, 2, 3, 3, 4) instead of tolerated failures got a hint about a
    single manager only."""
    quorums = {n: n // 2 + 1 for n in MANAGER_COUNTS}
    feedback = check_fault_tolerance(quorums)
    assert not feedback.passed
    assert "1 is the quorum of 1 manager" in feedback.hint and "how many can fail" in feedback.hint
    one_off = check_fault_tolerance({**RIGHT, 5: 3})
    assert "3 is the quorum of 5 managers" in one_off.hint


@pytest.mark.parametrize("answer", [None, [0, 0, 1], {1: 0}, {**RIGHT, 3: "one"},
                                    {**RIGHT, 3: True}, {**RIGHT, 5: None}])
def test_tolerance_nonsense(answer: object) -> None:
    feedback = check_fault_tolerance(answer)
    assert not feedback.passed and feedback.hint


def test_whole_floats_are_read_as_the_numbers_they_are() -> None:
    """0.0 and 4.0 were refused as 'not a whole number'; every check reads counts alike
    (answers.whole_number: 6.0 from numpy.ceil is 6)."""
    assert check_fault_tolerance({n: float(v) for n, v in RIGHT.items()}).passed
    assert check_spread_prediction({"worker-2": 4.0, "worker-3": 2.0, "worker-4": 2.0,
                                    "worker-1": 0.0}).passed


def test_spread_matches_the_simulator_and_the_docs_rule() -> None:
    counts = Counter(t.node for t in search_cluster().tasks())
    # the zone preference halves 8 between the eligible zones a and b
    assert counts["worker-2"] == 4 and counts["worker-3"] + counts["worker-4"] == 4
    assert check_spread_prediction(dict(counts)).passed
    assert check_spread_prediction({**counts, "worker-1": 0}).passed
    assert check_spread_prediction({f" {node.upper()}": n for node, n in counts.items()}).passed


@pytest.mark.parametrize("answer, hint", [
    ({"worker-3": 4, "worker-4": 4}, "passes !="),
    ({"worker-2": 3, "worker-3": 3, "worker-4": 2}, "zone values"),
    # the zone split is right, the error is inside zone b: the hint says so
    ({"worker-2": 4, "worker-3": 3, "worker-4": 1}, "Inside zone b, worker-3 and worker-4"),
    ({"worker-2": 4, "worker-3": 4}, "Inside zone b, worker-3 and worker-4"),
    ({"worker-2": 2, "worker-3": 2, "worker-4": 2, "worker-5": 2}, "hdd"),
    ({"manager-1": 2, "worker-2": 2, "worker-3": 2, "worker-4": 2}, "node.role == worker"),
    ({"worker-2": 4}, "8 replicas"),
    ({"worker-9": 8}, "'worker-1', 'worker-2'"),
    ({"worker-2": "4"}, "Drop the quotes"),
    ({"worker-2": 4.5, "worker-3": 2, "worker-4": 2}, "Write a number such as 3"),
    ("worker-2", "starter"),
])
def test_spread_hints(answer: object, hint: str) -> None:
    feedback = check_spread_prediction(answer)
    assert not feedback.passed and hint in feedback.hint


def test_leaderless_run_follows_the_docs() -> None:
    # https://docs.docker.com/engine/swarm/admin_guide/: without a quorum, running tasks go on
    # but no management task (scaling, rescheduling) is possible until the quorum is back.
    truth = leaderless_run()
    assert list(truth.values()) == [True, True, False, False, True]
    assert check_leaderless(truth).passed


@pytest.mark.parametrize("index, hint", [
    (0, "without the managers"), (1, "routing mesh"), (2, "quorum"), (3, "nobody notices"),
    (4, "reconciles"),
])
def test_leaderless_hints(index: int, hint: str) -> None:
    truth = leaderless_run()
    statement = LEADERLESS_STATEMENTS[index]
    feedback = check_leaderless({**truth, statement: not truth[statement]})
    assert not feedback.passed and hint in feedback.hint


@pytest.mark.parametrize("answer", [None, {}, dict.fromkeys(LEADERLESS_STATEMENTS, "yes")])
def test_leaderless_nonsense(answer: object) -> None:
    feedback = check_leaderless(answer)
    assert not feedback.passed and feedback.hint


def test_leaderless_truth_value_in_quotes_is_told_to_drop_them() -> None:
    answer = {statement: str(held) for statement, held in leaderless_run().items()}
    assert "without quotes" in check_leaderless(answer).hint


def test_tolerance_one_manager_is_singular() -> None:
    feedback = check_fault_tolerance({**RIGHT, 1: 1})
    assert not feedback.passed and feedback.message.startswith("1 manager: ")
    assert "1 managers" not in feedback.message + feedback.hint
    assert "single manager is its own quorum" in feedback.hint and "others" not in feedback.hint


def test_a_zone_with_no_eligible_node_is_explained_when_its_share_is_dropped() -> None:
    """8 tasks split 3/3/2 over zones a, b, c, then zone c (whose only worker has disk: hdd)
    dropped: the hint said only "add up to 6 ... room for all", not where zone c's share
    goes. swarmkit's tree keeps zone c as a branch; its share finds no node and the rest is
    divided again between the zones that can take it."""
    feedback = check_spread_prediction({"worker-2": 3, "worker-3": 2, "worker-4": 1})
    assert not feedback.passed and "add up to 6" in feedback.message
    assert "zone c" in feedback.hint and "does not lose its share" in feedback.hint
    too_many = check_spread_prediction({"worker-2": 5, "worker-3": 2, "worker-4": 2})
    assert "does not lose its share" not in too_many.hint
    starter = check_spread_prediction(dict.fromkeys(
        ("manager-1", "worker-1", "worker-2", "worker-3", "worker-4", "worker-5"), 0))
    assert "does not lose its share" not in starter.hint       # nothing answered yet
