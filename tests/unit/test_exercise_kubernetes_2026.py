"""Checks of the Kubernetes-in-2026 exercises: each typical wrong answer gets its hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.kubernetes_2026 import (
    ENDINGS,
    EXIT_CODES,
    POLICY_JOB,
    check_gated_pod,
    check_job_endings,
    check_sidecar_order,
    job_ending,
)

START = ["vault-agent", "migrate", "envoy", "api"]
STOP = ["api", "envoy", "vault-agent"]


@pytest.mark.parametrize(("answer", "hint"), [
    ({"start": ["api", "vault-agent", "migrate", "envoy"], "stop": STOP}, "before the app"),
    ({"start": ["migrate", "vault-agent", "envoy", "api"], "stop": STOP}, "order they are written"),
    ({"start": ["vault-agent", "envoy", "migrate", "api"], "stop": STOP}, "order they are written"),
    ({"start": START, "stop": ["envoy", "vault-agent", "api"]}, "app containers are stopped first"),
    ({"start": START, "stop": ["api", "vault-agent", "envoy"]}, "reverse order"),
    ({"start": START, "stop": ["api", "envoy", "migrate", "vault-agent"]}, "already exited"),
    ({"start": START[:3], "stop": STOP}, "The containers are"),
    ({"start": START}, "starter"),
    # a set has no order; a name that is none of the Pod's containers is named with them
    ({"start": set(START), "stop": STOP}, "in order"),
    ({"start": START, "stop": ["api", "proxy", "vault-agent"]}, "'vault-agent', 'migrate'"),
    ({"start": START, "stop": "api"}, "in square brackets"),
])
def test_order_hints(answer, hint):
    feedback = check_sidecar_order(answer)
    assert not feedback.passed and hint in feedback.hint


@pytest.mark.parametrize("start, stop", [
    (START, STOP),
    # a tuple, stray spaces and capitals are read as other checks read names
    (tuple(START), tuple(STOP)),
    ([" vault-agent", "Migrate", "envoy ", "API"], ["api", "Envoy", "vault-agent"]),
])
def test_order_right(start, stop):
    feedback = check_sidecar_order({"start": start, "stop": stop})
    assert feedback.passed, feedback.message


POD = """
apiVersion: v1
kind: Pod
metadata: {{name: train}}
spec:
{extra}  containers:
    - {{name: train, image: shop/train:0.9, resources: {{requests: {{cpu: "2"}}}}}}
"""


@pytest.mark.parametrize(("extra", "hint"), [
    ("", "Add spec.schedulingGates"),
    ("  schedulingGates: [example.com/queue]\n", "does not load"),
    # a misspelt field is refused by kubectl apply, not ignored
    ("  schedulingGate: [{name: example.com/queue}]\n", 'unknown field "spec.schedulingGate"'),
    ("  schedulingGates: [{name: example.com/other}]\n", "Name the gate exactly"),
    ("  schedulingGates: [{name: example.com/queue}, {name: example.com/other}]\n",
     "every other gate"),
    ("  nodeName: node-1\n", "nothing waits"),
    # ValidatePodCreate refuses a node name on a gated Pod: the check says so, not that it ran
    ("  nodeName: node-1\n  schedulingGates: [{name: example.com/queue}]\n",
     "spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"),
    ("  nodeName: node-1\n  schedulingGates: [{name: example.com/queue}]\n",
     "nodeName bypasses it"),
])
def test_gated_pod_hints(extra, hint):
    feedback = check_gated_pod(POD.format(extra=extra))
    assert not feedback.passed and (hint in feedback.hint or hint in feedback.message)


def test_gated_pod_right():
    pod = POD.format(extra="  schedulingGates:\n    - name: example.com/queue\n")
    assert check_gated_pod(pod).passed


def test_gated_pod_too_big_is_not_blamed_on_other_gates():
    """A gated Pod that fits nowhere once ungated is Unschedulable, not held by another gate:
    the hint must say so rather than ask to remove gates that are not there."""
    pod = POD.format(extra="  schedulingGates: [{name: example.com/queue}]\n")
    feedback = check_gated_pod(pod.replace('cpu: "2"', 'cpu: "64"'))
    assert not feedback.passed
    assert "Unschedulable" in feedback.message
    assert "other gate" not in feedback.hint and "fits on no node" in feedback.hint


ENDS = {"main exits 42": "PodFailurePolicy", "main exits 1, every time": "BackoffLimitExceeded",
        "main exits 1 once, then 0": "CompletionsReached",
        "main exits 75 twice, then 0": "CompletionsReached",
        "main exits 75, every time": "still running"}


def test_the_job_controller_ends_each_scenario_as_the_policy_says():
    assert {scenario: job_ending(codes) for scenario, codes in EXIT_CODES.items()} == ENDS
    # without the policy, 42 is an exit code like any other, and 75 counts
    plain = POLICY_JOB.split("  podFailurePolicy:")[0] + "  template:" + POLICY_JOB.split(
        "  template:")[1]
    assert job_ending((42,), plain) == "BackoffLimitExceeded"
    assert job_ending((75, 75, 0), plain) == "BackoffLimitExceeded"


@pytest.mark.parametrize(("scenario", "wrong"), [
    (scenario, wrong) for scenario, right in ENDS.items() for wrong in ENDINGS if wrong != right])
def test_a_job_ending_hint_does_not_name_the_answer(scenario, wrong):
    """The hint for a scenario labelled wrong teaches the rule that decides it; naming the
    right reason would give the answer away."""
    feedback = check_job_endings({**ENDS, scenario: wrong})
    assert not feedback.passed
    assert ENDS[scenario].casefold() not in feedback.hint.casefold()


@pytest.mark.parametrize(("changes", "hint"), [
    ({"main exits 42": "BackoffLimitExceeded"}, "first rule that matches exit code 42"),
    ({"main exits 1 once, then 0": "BackoffLimitExceeded"}, "allows one counted failure"),
    ({"main exits 75 twice, then 0": "BackoffLimitExceeded"}, "Ignore rule"),
    ({"main exits 75, every time": "CompletionsReached"}, "activeDeadlineSeconds"),
    ({"main exits 42": "Failed"}, "Use one of"),
    # a newcomer's words for an ending that is no reason
    ({"main exits 75, every time": "never ends"}, "calls it 'still running'"),
    ({"main exits 42": "CrashLoopBackOff"}, "STATUS column"),
    ({"main exits 42": "Error"}, "STATUS column"),
    ({"main exits 1 once, then 0": "success"}, "not whether it succeeded"),
])
def test_job_ending_hints(changes, hint):
    feedback = check_job_endings({**ENDS, **changes})
    assert not feedback.passed and hint in feedback.hint


def test_job_endings_spelt_as_the_api_and_the_label_in_any_case():
    """A reason is the API's exact string (spelling.py's rule, as the QoS check); the
    exercise's own label "still running" is free text, read in any case."""
    assert check_job_endings(ENDS).passed
    assert check_job_endings({**ENDS, "main exits 75, every time": " Still Running "}).passed
    feedback = check_job_endings({**ENDS, "main exits 42": "podFailurePolicy"})
    assert not feedback.passed
    assert feedback.message == "main exits 42: PodFailurePolicy, but spelt 'podFailurePolicy'."
    assert "exact string" in feedback.hint
