"""Checks of the Mesos/Marathon chapter's exercises: constraint verdicts and rack spread."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clustersim.exercises.mesos_chapter import (
    CLAIM_FEATURES,
    check_claim_verdicts,
    check_offer_verdicts,
    check_rack_constraints,
    claims,
    offer_verdicts,
)


def test_verdicts_follow_group_by_and_max_per() -> None:
    # Constraints.scala: GROUP_BY 3 over 6 instances allows 2 per value; MAX_PER 2 allows 2
    # per hostname; an offer without the attribute fails (ConstraintsTest "attribute missing").
    verdicts = offer_verdicts()
    assert verdicts["agent-2"] == [False, True]
    assert verdicts["agent-6"] == [False, True]
    assert verdicts["agent-1"] == [False, False]
    assert {h for h, ok in verdicts.items() if all(ok)} == {"agent-3", "agent-4"}
    assert check_offer_verdicts({"agent-3", "agent-4"}).passed
    assert check_offer_verdicts(["agent-4", "agent-3"]).passed
    assert check_offer_verdicts(("Agent-3", " agent-4 ")).passed


@pytest.mark.parametrize("answer, hint", [
    ({"agent-3", "agent-4", "agent-6"}, "UNLIKE"),
    ({"agent-2", "agent-3", "agent-4"}, "GROUP_BY"),
    ({"agent-1", "agent-3", "agent-4"}, "MAX_PER"),
    ({"agent-3"}, "rack-2 holds only 1"),
    ({"agent-9"}, "The offers come from"),
    ("agent-3", "as strings"),
    (None, "Replace None"),
    ({"agent-3", 4}, "in quotes"),
])
def test_verdict_hints(answer: object, hint: str) -> None:
    feedback = check_offer_verdicts(answer)
    assert not feedback.passed and hint in feedback.hint


@pytest.mark.parametrize("constraints", [
    [["hostname", "UNIQUE"], ["rack", "GROUP_BY", "3"]],
    [["hostname", "MAX_PER", "1"], ["rack", "GROUP_BY", "3"]],
    # tuples are JSON arrays too (json.dumps writes them as lists)
    [("hostname", "UNIQUE"), ("rack", "GROUP_BY", "3")],
    (["hostname", "UNIQUE"], ["rack", "GROUP_BY", "3"]),
])
def test_rack_constraints_pass(constraints: list) -> None:
    assert check_rack_constraints(constraints).passed


@pytest.mark.parametrize("constraints, hint", [
    ([], "One per agent"),
    ([["hostname", "UNIQUE"]], "GROUP_BY"),
    ([["rack", "GROUP_BY", "3"]], "One per agent"),
    ([["hostname", "UNIQUE"], ["rack", "CLUSTER", "rack-2"]], "too few"),
    ([["hostname", "NEAR"]], "operators are"),
    ([["hostname"]], "operators are"),
    ("hostname:UNIQUE", "[field, OPERATOR]"),
])
def test_rack_constraint_hints(constraints: object, hint: str) -> None:
    feedback = check_rack_constraints(constraints)
    assert not feedback.passed and hint in feedback.hint, feedback


def test_a_number_for_a_constraint_value_names_the_app_not_yaml() -> None:
    """["rack", "GROUP_BY", 3] was refused as '<data>, constraints[1][2]: ... (in YAML, quote
    values such as "1.0" or "true")': a Python list, so the advice was beside the point."""
    feedback = check_rack_constraints([["hostname", "UNIQUE"], ["rack", "GROUP_BY", 3]])
    assert not feedback.passed
    assert "/shop/cache, constraints[1][2]" in feedback.message
    assert "<data>" not in feedback.message and "YAML" not in feedback.message
    assert '("3")' in feedback.hint


@pytest.mark.parametrize("field", ["host", "zone", "Rack"])
def test_a_field_no_agent_has_is_named(field: str) -> None:
    """["host", "UNIQUE"] left every instance waiting with a generic 'too few acceptable
    offers': Marathon declines every offer that lacks the field (all operators but UNLIKE)."""
    feedback = check_rack_constraints([[field, "UNIQUE"], ["rack", "GROUP_BY", "3"]])
    assert not feedback.passed
    assert f"no agent has the attribute {field!r}" in feedback.message
    assert "'hostname'" in feedback.hint and "UNLIKE" in feedback.hint


def test_group_by_without_a_count_passes_with_marathons_warning() -> None:
    """Marathon's constraints documentation: without the number of values, GROUP_BY knows only
    the values seen in offers, and the tasks may all land on one."""
    without = check_rack_constraints([["hostname", "UNIQUE"], ["rack", "GROUP_BY"]])
    assert without.passed and '["rack", "GROUP_BY", "3"]' in without.message
    counted = check_rack_constraints([["hostname", "UNIQUE"], ["rack", "GROUP_BY", "3"]])
    assert counted.passed and "without a count" not in counted.message


def test_claims_come_from_the_feature_data() -> None:
    known = claims()
    assert len(known) == len(CLAIM_FEATURES)
    verdicts = {claim: cell.claim_2019.verdict for claim, cell in known.items()}
    assert set(verdicts.values()) == {"wrong", "outdated"}
    assert check_claim_verdicts(verdicts).passed


def test_claim_hints_say_which_kind_of_mistake_and_cite() -> None:
    known = claims()
    right = {claim: cell.claim_2019.verdict for claim, cell in known.items()}
    for claim, cell in known.items():
        flipped = "outdated" if right[claim] == "wrong" else "wrong"
        feedback = check_claim_verdicts({**right, claim: flipped})
        assert not feedback.passed and cell.source in feedback.hint
        assert ("not true when the article was written" in feedback.hint) == \
            (right[claim] == "wrong")


def test_the_first_release_in_the_hint_is_in_the_chapters_history() -> None:
    """The exercise sends learners to the chapter's history, which named Mesos 1.0 (July
    2016) but not the first release, and the hint said only "Mesos 0.9 (2012)"."""
    cell = next(c for c in claims().values() if "first release" in c.claim_2019.claim)
    first = re.match(r"Mesos (\d+\.\d+\.\d+) \((\w+ \d{4})\)", cell.value)
    assert first is not None, cell.value
    chapter = Path(__file__).parents[2] / "book" / "orchestrators" / "mesos-marathon.md"
    history = chapter.read_text().split("## A short history")[1].split("\n## ")[0]
    version, month = first.groups()
    assert f"{version}, in {month}" in " ".join(history.split())


@pytest.mark.parametrize("answer", [None, {}, "wrong"])
def test_claim_nonsense(answer: object) -> None:
    feedback = check_claim_verdicts(answer)
    assert not feedback.passed and feedback.hint


def test_claim_bad_verdict() -> None:
    feedback = check_claim_verdicts(dict.fromkeys(claims(), "garbled"))
    assert not feedback.passed and "'wrong', 'outdated'" in feedback.hint


def test_claim_verdicts_read_in_any_case() -> None:
    right = {claim: cell.claim_2019.verdict for claim, cell in claims().items()}
    assert check_claim_verdicts({c: f" {v.title()} " for c, v in right.items()}).passed
    flipped = {c: ("Outdated" if v == "wrong" else "WRONG") for c, v in right.items()}
    assert " is not " in check_claim_verdicts(flipped).message


@pytest.mark.parametrize("field", ["hostname", "rack"])
def test_max_per_without_a_number_says_what_marathon_does(field: str) -> None:
    """Marathon accepts ``[field, "MAX_PER"]`` and its launcher dies at the first offer
    (``constraintValue.toInt`` in ``Constraints.scala``): the check answered only 'too few
    acceptable offers', which hid the cause."""
    feedback = check_rack_constraints([["rack", "GROUP_BY"], [field, "MAX_PER"]])
    assert not feedback.passed
    assert f"['{field}', 'MAX_PER']: MAX_PER needs a number" in feedback.message
    assert "NumberFormatException" in feedback.message and "too few" not in feedback.hint
