"""The DefaultIngressClass admission plugin (kubernetes/kubernetes
``plugin/pkg/admission/network/defaultingressclass/admission.go``) and
``SetDefaults_IngressClass`` (``pkg/apis/networking/v1/defaults.go``), through the cluster's
Python API and the served API; cases after upstream's ``admission_test.go``."""

from __future__ import annotations

import json

import pytest
import yaml

from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster
from clustersim.serve import serve
from tests.unit.test_serve_core import _request


def ingress_class(name: str, default: str | None = None, **spec) -> dict:
    meta: dict = {"name": name}
    if default is not None:
        meta["annotations"] = {"ingressclass.kubernetes.io/is-default-class": default}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": meta,
            "spec": {"controller": "k8s.io/ingress-nginx", **spec}}


def ingress(name: str = "web", annotations: dict | None = None, **spec) -> dict:
    meta: dict = {"name": name, **({"annotations": annotations} if annotations else {})}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta,
            "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}},
                     **spec}}


def _cluster(*objects: dict) -> KubernetesCluster:
    cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    if objects:
        cluster.apply(list(objects))
    return cluster


def _class_of(cluster: KubernetesCluster, name: str = "web") -> str | None:
    return cluster.get("Ingress", "default", name)["spec"].get("ingressClassName")


def test_a_new_ingress_without_a_class_gets_the_default_one():
    cluster = _cluster(ingress_class("nginx"), ingress_class("haproxy", "true"))
    cluster.apply([ingress()])
    assert _class_of(cluster) == "haproxy"


@pytest.mark.parametrize(("classes", "made", "expected"), [
    ([ingress_class("nginx")], ingress(), None),                 # no default: none set
    ([ingress_class("nginx", "True")], ingress(), None),         # exactly "true"
    ([ingress_class("nginx", "true")], ingress(ingressClassName="other"), "other"),
    ([ingress_class("nginx", "true")],                           # the class named the old way
     ingress(annotations={"kubernetes.io/ingress.class": "other"}), None),
])
def test_the_default_is_only_set_where_nothing_names_a_class(classes, made, expected):
    cluster = _cluster(*classes)
    cluster.apply([made])
    assert _class_of(cluster) == expected


def test_of_several_default_classes_the_newest_is_chosen():
    """``getDefaultClass`` since kubernetes#110974: newest ``creationTimestamp`` first."""
    cluster = _cluster(ingress_class("a", "true"))
    cluster.run(until=5)
    cluster.apply([ingress_class("b", "true")])
    cluster.apply([ingress()])
    assert _class_of(cluster) == "b"
    cluster.apply([ingress_class("z", "true")])    # same second as "b": the name decides
    cluster.apply([ingress("second")])
    assert _class_of(cluster, "second") == "b"


def test_within_one_second_the_first_name_is_chosen():
    """A stored ``creationTimestamp`` counts whole seconds: 5.2 s and 5.9 s tie."""
    cluster = _cluster()
    cluster.run(until=5.2)
    cluster.apply([ingress_class("a", "true")])
    cluster.run(until=5.9)
    cluster.apply([ingress_class("b", "true")])
    cluster.apply([ingress()])
    assert _class_of(cluster) == "a"


def test_an_update_keeps_an_ingress_without_a_class():
    """The plugin handles ``admission.Create`` only."""
    cluster = _cluster(ingress())
    cluster.apply([ingress_class("nginx", "true")])
    cluster.apply([ingress(tls=[{"hosts": ["a.example.com"]}])])
    assert _class_of(cluster) is None


def test_parameters_without_a_scope_are_cluster_scoped():
    cluster = _cluster(ingress_class("nginx", parameters={"kind": "Params", "name": "lb"}))
    stored = cluster.get("IngressClass", "default", "nginx")
    assert stored["spec"]["parameters"]["scope"] == "Cluster"


def _post(server, path: str, body: dict) -> tuple[int, dict]:
    status, data = _request(server, "POST", path, json.dumps(body).encode(),
                            {"Content-Type": "application/json"})
    return status, json.loads(data)


INGRESSES = "/apis/networking.k8s.io/v1/namespaces/default/ingresses"
CLASSES = "/apis/networking.k8s.io/v1/ingressclasses"


def test_the_served_api_fills_in_the_default_class_and_the_scope():
    with serve("kubernetes", speed=0) as server:
        status, made = _post(server, CLASSES, ingress_class(
            "nginx", "true", parameters={"kind": "Params", "name": "lb"}))
        assert (status, made["spec"]["parameters"]["scope"]) == (201, "Cluster")
        status, made = _post(server, INGRESSES, ingress())
        assert (status, made["spec"]["ingressClassName"]) == (201, "nginx")
        _post(server, CLASSES, ingress_class("another", "true"))
        status, made = _post(server, INGRESSES, ingress("second"))
    assert (status, made["spec"]["ingressClassName"]) == (201, "another")


def test_the_served_api_refuses_a_bad_ingress_with_every_error():
    body = ingress(tls="x")
    with serve("kubernetes", speed=0) as server:
        status, undecodable = _post(server, INGRESSES, body)
        body["spec"] = yaml.safe_load("{rules: [{host: 1.2.3.4, http: {paths: [{path: foo, "
                                      "pathType: Prefix, backend: {service: {name: web}}}]}}]}")
        invalid_status, invalid = _post(server, INGRESSES, body)
    assert (status, undecodable["reason"]) == (400, "BadRequest")
    assert ("json: cannot unmarshal string into Go struct field IngressSpec.spec.tls of type "
            "[]v1.IngressTLS") in undecodable["message"]
    assert (invalid_status, invalid["reason"]) == (422, "Invalid")
    assert invalid["message"] == (
        'Ingress.networking.k8s.io "web" is invalid: [spec.rules[0].host: Invalid value: '
        '"1.2.3.4": must be a DNS name, not an IP address, spec.rules[0].http.paths[0].path: '
        'Invalid value: "foo": must be an absolute path, spec.rules[0].http.paths[0].backend: '
        "Required value: port name or number is required]")
