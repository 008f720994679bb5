"""Checks of the troubleshooting exercises: each typical wrong answer gets its hint."""

from __future__ import annotations

import re

import pytest

from clustersim.exercises.troubleshooting import check_diagnosis, check_pull_retry, pull_attempts

RIGHT = {"cart": "image", "search": "crash", "report": "resources", "mailer": "quota"}


@pytest.mark.parametrize(("answer", "hint"), [
    ({**RIGHT, "mailer": "resources"}, "FailedCreate"),
    ({**RIGHT, "report": "quota"}, "FailedScheduling"),
    ({**RIGHT, "cart": "crash"}, "no container of it ever starts"),
    ({**RIGHT, "search": "image"}, "then exits"),
    ({**RIGHT, "cart": "network"}, "'image', 'crash', 'resources', 'quota'"),
    ({**RIGHT, "cart": ["image"]}, "one of"),
    ({**RIGHT, "cart": "Crash"}, "no container of it ever starts"),
    ({"cart": "image"}, "starter"),
])
def test_diagnosis_hints(answer, hint):
    feedback = check_diagnosis(answer)
    assert not feedback.passed and hint in feedback.hint


def test_diagnosis_right():
    assert check_diagnosis(RIGHT).passed
    assert check_diagnosis({app: f" {cause.upper()}" for app, cause in RIGHT.items()}).passed
    # "resource" names the cause as well as "resources": not "not one of the choices"
    assert check_diagnosis({**RIGHT, "report": "Resource"}).passed
    wrong = check_diagnosis({**RIGHT, "mailer": "resource"})
    assert not wrong.passed and "FailedCreate" in wrong.hint


def test_pull_attempts_follow_the_back_off():
    assert pull_attempts()[:5] == [0.0, 15.0, 40.0, 85.0, 170.0]


@pytest.mark.parametrize(("answer", "hint"), [
    (70, "takes 5 s"),
    (45, "doubles"),
    # 45 is also the chapter's "first exit restarts at once" applied to pulls
    (45, "only a crashed container's first exit restarts at once"),
    # milliseconds: the right time, and a wrong one
    (85000, "looks like milliseconds: in seconds it is right"),
    (70000, "looks like milliseconds (the back-offs"),
    (40, "count three failures"),
    (170, "count three failures"),
    (100, "Add up"),
    ("85", "Drop the quotes"),
    ([85], "Write a number"),
])
def test_pull_retry_hints(answer, hint):
    feedback = check_pull_retry(answer)
    assert not feedback.passed and hint in feedback.hint


def test_pull_retry_right():
    assert check_pull_retry(85).passed


@pytest.mark.parametrize(("app", "word"), [
    ("search", "ImagePullBackOff"), ("cart", "CrashLoopBackOff"), ("mailer", "Insufficient cpu"),
    ("report", "exceeded quota"), ("cart", "OOMKilled")])
def test_what_kubectl_shows_for_another_cause_gets_the_app_s_hint(app, word) -> None:
    """"ImagePullBackOff" typed for search was told "the cause is 'image'": a wrong cause
    offered as the fix. It is judged as the cause it shows."""
    feedback = check_diagnosis({**RIGHT, app: word})
    assert not feedback.passed and "the cause is" not in feedback.hint
    other = next(cause for cause in ("image", "crash") if cause != RIGHT[app])
    assert feedback.hint == check_diagnosis({**RIGHT, app: other}).hint
    assert "the cause is 'image'" in check_diagnosis({**RIGHT, "cart": "ErrImagePull"}).hint


@pytest.mark.parametrize("app", list(RIGHT))
@pytest.mark.parametrize("wrong", ["image", "crash", "resources", "quota"])
def test_a_diagnosis_hint_does_not_name_the_cause(app, wrong) -> None:
    """cart given a wrong cause was told "its image never arrives": the label 'image'."""
    if wrong == RIGHT[app]:
        return
    feedback = check_diagnosis({**RIGHT, app: wrong})
    assert not feedback.passed
    assert not re.search(rf"\b{RIGHT[app]}\b", feedback.hint, re.IGNORECASE), feedback.hint
