"""Checks of the rolling-updates exercises: the solutions pass, typical wrong answers (rounding
of percentages, the surge budget, Marathon's ceil and floor) get the intended hints."""

import pytest

from clustersim.exercises.updates import check_restart_strategy, check_rolling_strategy


@pytest.mark.parametrize("surge, unavailable", [(1, 2), ("10%", "20%"), (1, 0),
                                                (0, "20%"), (0, "5%")])
def test_rolling_solutions_pass(surge, unavailable):
    assert check_rolling_strategy(surge, unavailable)


@pytest.mark.parametrize("surge, unavailable, hint", [
    ("25%", "25%", "rounds up"),                 # the defaults: 3 extra pods
    (2, 1, "the budget is 1"),
    (1, 3, "rounds down"),                       # 7 of 10 serving
    (1, "30%", "rounds down"),
    ("x", 1, 'a whole number or "N%"'),
    # the API server refuses "1" as a percent string; the hint says why a count needs no quotes
    ("1", 2, 'write 1 without quotes for a count of pods, or "1%"'),
    (1.5, 1, "percent sign"),
    (None, None, "percent sign"),
])
def test_rolling_wrong_answers_get_their_hint(surge, unavailable, hint):
    feedback = check_rolling_strategy(surge, unavailable)
    assert not feedback and hint in str(feedback)


@pytest.mark.parametrize("surge, unavailable, arithmetic", [
    ("15%", 1, "15 % of 10 is 1.5, so 2"),       # the hint cited 25 % whatever was given
    ("20%", 1, "20 % of 10 is 2)"),
    (1, "35%", "35 % of 10 is 3.5, so 3"),
    (1, 3, "25 % of 10 is 2.5, so 2"),           # a count: the rule shown on an example
])
def test_rounding_hints_work_out_the_learners_own_percentage(surge, unavailable, arithmetic):
    feedback = check_rolling_strategy(surge, unavailable)
    assert not feedback and arithmetic in str(feedback)


@pytest.mark.parametrize("answer", [(5, 10, 3), [5, 10, 3], (5.0, 10.0, 3.0),
                                    {"min_healthy": 5, "max_capacity": 10,
                                     "kill_immediately": 3}])
def test_restart_solutions_pass(answer):
    assert check_restart_strategy(answer)


@pytest.mark.parametrize("answer, hint", [
    ((4, 10, 4), "rounds the minimum up"),       # floor(4.8)
    ((5, 2, 3), "rounds down (floor) and counts all instances"),   # only the extra part
    ((5, 11, 3), "floor(instances"),
    ((5, 10, 0), "healthy − min_healthy"),
    ((None, None, None), "Replace each None"),
    ("5, 10, 3", "starter's tuple"),
    ((5, 10), "starter's tuple"),
    ({"min": 5}, "There is no key 'min'"),
    ((4.8, 10, 3), "whole numbers"),
])
def test_restart_wrong_answers_get_their_hint(answer, hint):
    feedback = check_restart_strategy(answer)
    assert not feedback and hint in str(feedback)


@pytest.mark.parametrize("surge, unavailable, words", [
    (-1, 2, "maxSurge: Invalid value: -1: must be greater than or equal to 0"),
    (1, -2, "maxUnavailable: Invalid value: -2: must be greater than or equal to 0"),
    ("-10%", 2, "a valid percent string must be a numeric string followed by an ending '%'"),
    (1, "110%", 'maxUnavailable: Invalid value: "110%": must not be greater than 100%'),
    (0, 0, "may not be 0 when `maxSurge` is 0"),
    ("0%", 0, "may not be 0 when `maxSurge` is 0"),
    # an intstr.IntOrString in JSON, as ErrorBody writes it (Python's repr had said '10 %')
    ("10 %", 1, 'maxSurge: Invalid value: "10 %": a valid percent string'),
    (1, "<5%", 'maxUnavailable: Invalid value: "\\u003c5%": a valid percent string'),
])
def test_values_the_api_server_refuses_are_refused_in_its_words(surge, unavailable, words):
    """Cases from kubernetes/kubernetes pkg/apis/apps/validation/validation_test.go
    (TestValidateDeployment's error cases) and ValidateRollingUpdateDeployment."""
    feedback = check_rolling_strategy(surge, unavailable)
    assert not feedback and words in feedback.message and feedback.hint
    assert "did not finish" not in feedback.message
