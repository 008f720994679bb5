"""``match_pod_failure_policy`` against upstream's ``pod_failure_policy.go``: the first rule
that matches decides, exit code 0 never matches, ``containerName`` narrows ``onExitCodes``,
``onPodConditions`` matches type and status (as stored: ``set_job_defaults`` fills in ``True``)."""

from __future__ import annotations

from typing import Any

import pytest

from clustersim.kubernetes.controllers.podfailurepolicy import match_pod_failure_policy


def failed_pod(code: int | None, *conditions: str) -> dict[str, Any]:
    status: dict[str, Any] = {"phase": "Failed", "conditions": [
        {"type": kind, "status": "True"} for kind in conditions]}
    if code is not None:
        status["exitCode"] = code
    return {"metadata": {"name": "p", "namespace": "ns"},
            "spec": {"containers": [{"name": "main"}, {"name": "side"}]}, "status": status}


POLICY = {"rules": [
    {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
    {"action": "FailJob", "onExitCodes": {"containerName": "side", "operator": "In",
                                          "values": [42]}},
    {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [0, 7]}},
]}


@pytest.mark.parametrize(("pod", "verdict"), [
    (failed_pod(42, "DisruptionTarget"), (None, False, "Ignore")),
    (failed_pod(42), ("Container side for pod ns/p failed with exit code 42 matching FailJob "
                      "rule at index 1", True, "FailJob")),
    (failed_pod(3), (None, True, "Count")),
    (failed_pod(7), (None, True, None)),
    (failed_pod(None), (None, True, "Count")),    # evicted: 1, as kubectl shows it
])
def test_the_first_matching_rule_decides(pod: dict[str, Any],
                                         verdict: tuple[str | None, bool, str | None]) -> None:
    assert match_pod_failure_policy(POLICY, pod) == verdict


def test_a_condition_rule_names_the_condition_and_a_pattern_may_want_false() -> None:
    policy = {"rules": [{"action": "FailJob", "onPodConditions": [
        {"type": "DisruptionTarget", "status": "False"},
        {"type": "ConfigIssue", "status": "True"}]}]}
    assert match_pod_failure_policy(policy, failed_pod(1, "ConfigIssue"))[0] == (
        "Pod ns/p has condition ConfigIssue matching FailJob rule at index 0")
    assert match_pod_failure_policy(policy, failed_pod(1, "DisruptionTarget")) == (
        None, True, None)


def test_exit_code_zero_and_no_policy_match_nothing() -> None:
    zero = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "NotIn",
                                                            "values": [1]}}]}
    assert match_pod_failure_policy(zero, failed_pod(0)) == (None, True, None)
    assert match_pod_failure_policy(None, failed_pod(42)) == (None, True, None)
