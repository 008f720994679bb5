"""Checks of the Kubernetes-in-2026 exercises: each typical wrong answer gets its hint."""

from __future__ import annotations

import pytest

from clustersim.exercises.kubernetes_2026 import check_gated_pod, check_sidecar_order

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
