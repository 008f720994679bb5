"""The Deployment-and-Service writing exercise (Kubernetes chapter): the right manifests pass
(with targetPort by number or by name), and each typical slip gets its own hint."""

from __future__ import annotations

import json

import pytest
import yaml

from clustersim.exercises.deployment_service import check_deployment_service
from tests.conftest import ROOT


def _solution() -> str:
    """The manifests of the exercise's own solution cell (the one right answer, written once)."""
    cells = json.loads((ROOT / "exercises" / "kubernetes.ipynb").read_text("utf-8"))["cells"]
    source = next("".join(c["source"]) for c in cells if c.get("id") == "p1f-k8-sol")
    return source.split('"""')[1]


GOOD = _solution()
STARTER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: nginx:1.30}
"""
NAMED = GOOD.replace("[{containerPort: 80}]", "[{name: http, containerPort: 80}]").replace(
    "targetPort: 80", "targetPort: http")


def test_the_right_manifests_pass() -> None:
    assert check_deployment_service(GOOD).passed
    assert check_deployment_service(NAMED).passed


@pytest.mark.parametrize("image", ["nginx", "nginx:1.30-alpine", "docker.io/library/nginx:1.30"])
def test_any_tag_of_the_official_nginx_passes(image: str) -> None:
    assert check_deployment_service(GOOD.replace("nginx:1.30", image)).passed


def test_another_image_is_told_why_port_80_is_wrong() -> None:
    feedback = check_deployment_service(GOOD.replace("nginx:1.30", "redis:7"))
    assert feedback.message == ("The Deployment runs redis:7, not nginx: port 80 is where nginx "
                                "listens, so the Service would forward to a port this image "
                                "need not listen on.")


@pytest.mark.parametrize(("text", "hint"), [
    (GOOD.replace("matchLabels: {app: web}", "matchLabels: {app: api}"),
     "must also be in template.metadata.labels"),
    (GOOD.replace("  selector: {app: web}\n  ports", "  selector: {app: frontend}\n  ports"),
     "use a label of the Deployment's template"),
    (GOOD.replace("  selector: {app: web}\n  ports", "  ports"), "spec.selector"),
    (GOOD.replace(", targetPort: 80", ""), "targetPort: is the port on the Pods"),
    (GOOD.replace("targetPort: 80", "targetPort: 8080"), "targetPort: is the port on the Pods"),
    (GOOD.replace("port: 8080, targetPort: 80", "port: 80, targetPort: 80"),
     "port: is the port clients use"),
    (GOOD.replace("targetPort: 80", "targetPort: 81"), "the container's port, 80"),
    (NAMED.replace("targetPort: http", "targetPort: web"), "the container's port, 80"),
    (GOOD.split("---")[0], "Write a Service"),
    (GOOD.replace("replicas: 3", "replicas: 2"), "spec.replicas"),
    (GOOD.replace("nginx:1.30", "redis:7"), "any tag of nginx"),
    (GOOD.replace("nginx:1.30", "nginxinc/nginx-unprivileged:1.27"), "any tag of nginx"),
    (None, "triple quotes"),
    (STARTER, "spec.selector.matchLabels"),
    # the words of other objects (a newcomer trial of Part II): a Deployment's selector form
    # in the Service, and a Compose file's port words
    (GOOD.replace("  selector: {app: web}\n  ports",
                  "  selector: {matchLabels: {app: web}}\n  ports"),
     "A Service's selector is a plain map of labels"),
    (GOOD.replace("port: 8080, targetPort: 80", "published: 8080, target: 80"),
     "published: and target: are a Compose file's words"),
    (GOOD.replace("  selector: {app: web}\n  ports",
                  "  type: ExternalName\n  externalName: web.example.com\n"
                  "  selector: {app: web}\n  ports"), "Leave out type:"),
    (GOOD.replace("targetPort: 80}", "targetPort: 80, protocol: UDP}"), "Leave out protocol:"),
    (GOOD.replace("targetPort: 80}", "targetPort: 80, protocol: SCTP}"), "Leave out protocol:"),
    # the loader's words point elsewhere (a newcomer trial): a repeated key, a port name
    (GOOD.replace("---\n", ""), "a line of three dashes, ---"),
    (GOOD.replace("targetPort: 80", 'targetPort: "80"'), "A port number goes without quotes"),
    # Go's JSON decoder refuses them into an int32: a quoted port, a number with a point
    (GOOD.replace("{port: 8080", '{port: "8080"'), "without quotes (port: 8080)"),
    (GOOD.replace("containerPort: 80}", 'containerPort: "80"}'),
     "without quotes (containerPort: 80)"),
    (GOOD.replace("targetPort: 80}", "targetPort: 80.0}"), "whole number, without a decimal"),
    (GOOD.replace("{port: 8080", "{port: 8080.0"), "whole number, without a decimal"),
])
def test_each_slip_gets_its_hint(text: object, hint: str) -> None:
    feedback = check_deployment_service(text)
    assert not feedback.passed and hint in feedback.hint, feedback


def test_a_wrong_service_selector_names_both_label_sets() -> None:
    text = GOOD.replace("  selector: {app: web}\n  ports", "  selector: {app: frontend}\n  ports")
    assert "selects app=frontend, and the Pods carry app=web" in check_deployment_service(
        text).message


def test_an_external_name_service_is_told_it_gets_no_endpoints() -> None:
    """The EndpointSlice controller skips an ExternalName Service, selector or not; the
    simulator listed the Deployment's Pods and the check passed it."""
    text = GOOD.replace("  selector: {app: web}\n  ports",
                        "  type: ExternalName\n  externalName: web.example.com\n"
                        "  selector: {app: web}\n  ports")
    assert "CNAME to web.example.com" in check_deployment_service(text).message


def test_a_udp_port_beside_the_tcp_one_passes() -> None:
    """A Service may answer on one number over two protocols; the TCP one reaches nginx."""
    assert check_deployment_service(GOOD.replace(
        "ports: [{port: 8080, targetPort: 80}]",
        "ports: [{name: h, port: 8080, targetPort: 80},"
        " {name: u, port: 8080, targetPort: 80, protocol: UDP}]")).passed


def test_a_list_of_objects_is_read_as_load_manifests_reads_it() -> None:
    """load_manifests takes a list of dicts; the check said it must be text or a dict."""
    objects = list(yaml.safe_load_all(GOOD))
    assert check_deployment_service(objects).passed
    assert check_deployment_service(tuple(objects)).passed
    feedback = check_deployment_service(objects[:1])
    assert not feedback.passed and "Write a Service" in feedback.hint
