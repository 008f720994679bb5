"""Checks of the networking exercises: typical wrong answers get the intended hints."""

from __future__ import annotations

import copy

import pytest

from clustersim.exercises.networking import (
    FIXED_PORT_APP,
    check_host_port_app,
    check_translation,
)


def _app(**changes):
    app = copy.deepcopy(FIXED_PORT_APP)
    for key, value in changes.items():
        if value is None:
            app.pop(key, None)
        else:
            app[key] = value
    return app


@pytest.mark.parametrize("app", [
    _app(requirePorts=False, portDefinitions=[{"port": 0, "name": "http"}]),
    _app(networks=[{"mode": "container/bridge"}], portDefinitions=None, requirePorts=None, cmd=None,
         container={"type": "DOCKER", "docker": {"image": "nginx:1.27"},
                    "portMappings": [{"containerPort": 8080, "hostPort": 0}]}),
    _app(networks=[{"mode": "container", "name": "dcos"}], portDefinitions=None,
         requirePorts=None, cmd=None,
         container={"type": "DOCKER", "docker": {"image": "nginx:1.27"},
                    "portMappings": [{"containerPort": 8080}]}),
    # Marathon's AppsResource.create resolves a relative id from the root
    # (PathId(ramlApp.id).canonicalPath(PathId.root)): "web" is /web
    _app(id="web", requirePorts=False, portDefinitions=[{"port": 0, "name": "http"}]),
])
def test_ways_out_of_the_port_conflict_pass(app) -> None:
    assert check_host_port_app(app)


def test_the_starter_s_hint_leaves_the_ways_out_to_the_lab() -> None:
    """The untouched starter was hinted every way out (requirePorts false, bridge with
    hostPort 0, a container network), which is the whole exercise."""
    feedback = check_host_port_app(_app())
    assert not feedback and "Ways out" in feedback.hint
    for way in ("requirePorts", "bridge", "container network", "hostPort"):
        assert way not in feedback.hint, way


@pytest.mark.parametrize(("app", "words"), [
    (FIXED_PORT_APP, "InsufficientPorts"),
    (_app(constraints=[["hostname", "UNIQUE"]]), "UnfulfilledConstraint"),
    (_app(portDefinitions=[{"port": 8080}]), "Only 0 of 8"),     # outside 31000-32000
    (_app(instances=5), "keep 8"),
    (_app(id="/web2"), "/web"),
    (_app(networks=[{"mode": "overlay"}]), "refuses"),
    (_app(portDefinitions=[]), "no port"),      # all run, but with no port to reach them
    (_app(networks=[{"mode": "container/bridge"}], portDefinitions=None, requirePorts=None,
          cmd=None, container={"type": "DOCKER", "docker": {"image": "nginx:1.27"},
                               "portMappings": []}), "no port"),
    ("an app", "dict"),
])
def test_wrong_apps_get_their_hint(app, words) -> None:
    feedback = check_host_port_app(app)
    assert not feedback and feedback.hint and words in feedback.message


GOOD = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: catalog
spec:
  replicas: 3
  selector:
    matchLabels: {app: catalog}
  template:
    metadata:
      labels: {app: catalog}
    spec:
      containers:
        - name: catalog
          image: ghcr.io/clustersim-course/catalog:2.1
          ports: [{containerPort: 8080, name: http}]
          resources:
            requests: {cpu: 500m, memory: 512Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: catalog
spec:
  selector: {app: catalog}
  ports: [{port: 10101, targetPort: 8080}]
"""


@pytest.mark.parametrize("text", [GOOD, GOOD.replace("cpu: 500m", "cpu: 0.5"),
                                  GOOD.replace("targetPort: 8080", "targetPort: http"),
                                  # limits alone: the API server requests them (defaults.go);
                                  # this was told "got cpu None, memory None"
                                  GOOD.replace("requests: {cpu", "limits: {cpu")])
def test_faithful_translations_pass(text) -> None:
    assert check_translation(text)


def test_a_container_without_ports_passes_with_a_note() -> None:
    """A Service reaches targetPort 8080 whether or not the container lists it (API
    reference, Container.ports: leaving a port out does not keep it from being exposed);
    the check passes and says what listing it would add."""
    feedback = check_translation(GOOD.replace("          ports: [{containerPort: 8080, "
                                              "name: http}]\n", ""))
    assert feedback and "lists no containerPort 8080" in feedback.message
    assert "One note" not in check_translation(GOOD).message


@pytest.mark.parametrize(("old", "new", "words"), [
    ("replicas: 3", "replicas: 2", "instances"),
    ("memory: 512Mi", "memory: 512", "memory 512"),
    ("memory: 512Mi", "memory: 512M", "memory '512M'"),
    ("selector: {app: catalog}\n  ports", "selector: {app: catalg}\n  ports", "0 endpoint"),
    ("name: http}", "hostPort: 8080, name: http}", "No hostPort"),
    ("targetPort: 8080", "targetPort: 80", "where nothing listens"),
    ("port: 10101", "port: 80", "10101"),
    ("          readinessProbe:\n            httpGet: {path: /healthz, port: 8080}\n", "",
     "readiness probe"),
    ("image: ghcr.io/clustersim-course/catalog:2.1", "image: catalog", "image"),
    ("kind: Service\nmetadata:\n  name: catalog", "kind: Service\nmetadata:\n  name: cat",
     "Name both"),
    ("---", "", "appears twice"),
    ("apiVersion: apps/v1\n", "", "does not load"),
    ("targetPort: 8080", "targetport: 8080", "unknown field"),
])
def test_wrong_translations_get_their_hint(old, new, words) -> None:
    assert old in GOOD
    feedback = check_translation(GOOD.replace(old, new))
    assert not feedback and feedback.hint and words in feedback.message


def test_a_missing_document_separator_gets_its_own_hint() -> None:
    assert "---" in check_translation(GOOD.replace("---", "")).hint
    assert "exactly one Service" in check_translation(GOOD.split("---")[0]).message


def test_not_text_is_refused() -> None:
    feedback = check_translation({"kind": "Deployment"})
    assert not feedback and "YAML text" in feedback.message


def test_port_zero_with_require_ports_explains_that_the_port_is_the_host_port() -> None:
    """Port 0 with requirePorts: true still fails: the assigned service port (10000-20000)
    becomes the required host port (d2iq-archive/marathon docs/docs/ports.md)."""
    feedback = check_host_port_app(_app(portDefinitions=[{"port": 0, "name": "http"}]))
    assert not feedback and "Only 0 of 8" in feedback.message
    assert "requirePorts: true the port number is the host port" in feedback.hint
    assert "0, or requirePorts" not in feedback.hint


_PROBE = "readinessProbe:\n            httpGet: {path: /healthz, port: 8080}"


@pytest.mark.parametrize(("probe", "words", "hint"), [
    ("readinessProbe:\n            httpGet: {path: /healthz, port: 80}", "port 80", "8080"),
    ("readinessProbe:\n            httpGet: {path: /, port: 8080}", "path '/'", "/healthz"),
    ("readinessProbe:\n            httpGet: {port: 8080}", "path '/'", "/healthz"),
    ("readinessProbe:\n            tcpSocket: {port: 8080}", "tcpSocket probe", "httpGet"),
])
def test_readiness_probes_that_differ_say_what_differs(probe, words, hint) -> None:
    feedback = check_translation(GOOD.replace(_PROBE, probe))
    assert not feedback and words in feedback.message and hint in feedback.hint
    assert not feedback.hint.startswith("Add readinessProbe")


_SERVICE_SPEC = "spec:\n  selector: {app: catalog}\n  ports: [{port: 10101, targetPort: 8080}]"


@pytest.mark.parametrize(("kind", "words"), [
    ("NodePort", "provided port is not in the valid range. The range of valid ports is "
                 "30000-32767"),
    ("ClusterIP", "Forbidden: may not be used when `type` is 'ClusterIP'"),
])
def test_node_port_10101_is_rejected_in_the_api_servers_words(kind, words) -> None:
    """Wording from kubernetes/kubernetes pkg/apis/core/validation and the port allocator."""
    spec = (f"spec:\n  type: {kind}\n  selector: {{app: catalog}}\n"
            "  ports: [{port: 10101, targetPort: 8080, nodePort: 10101}]")
    feedback = check_translation(GOOD.replace(_SERVICE_SPEC, spec))
    assert not feedback and words in feedback.message and "remove nodePort" in feedback.hint


def test_instances_in_quotes_are_told_to_drop_them() -> None:
    """instances: "8" was told 'The app must keep 8 instances (it has '8')'."""
    from clustersim.exercises.networking import FIXED_PORT_APP, check_host_port_app

    feedback = check_host_port_app({**FIXED_PORT_APP, "instances": "8"})
    assert not feedback and "Drop the quotes" in feedback.hint


_WEB = GOOD.replace("name: http}", "name: web}")


@pytest.mark.parametrize("text", [
    _WEB.replace("targetPort: 8080", "targetPort: web"),
    _WEB.replace("port: 8080}\n", "port: web}\n"),
    GOOD.replace("targetPort: 8080", "targetPort: http").replace("port: 8080}\n", "port: http}\n"),
])
def test_a_port_name_is_resolved_against_the_containers_ports(text) -> None:
    # FindPort (Service targetPort) and ResolveContainerPort (probe port) look the name up in
    # ports[].name: any valid name works, not only "http".
    assert check_translation(text)


@pytest.mark.parametrize(("old", "new", "words"), [
    ("targetPort: 8080", "targetPort: http", "no container port has that name"),
    ("port: 8080}\n", "port: http}\n", "no port of that name"),
])
def test_a_name_no_container_port_carries_is_refused(old, new, words) -> None:
    # without a name in ports[], "http" resolves to nothing: the kubelet's probe and the
    # EndpointSlice controller both fail to find the port.
    text = GOOD.replace(", name: http}", "}").replace(old, new)
    feedback = check_translation(text)
    assert not feedback and words in feedback.message
    assert "name: http" in feedback.hint


def test_a_named_target_of_another_protocol_is_told_so() -> None:
    """The name exists, under TCP: the check said no container port had that name."""
    text = GOOD.replace("targetPort: 8080}", "targetPort: http, protocol: UDP}")
    feedback = check_translation(text)
    assert not feedback and "port http is TCP; this Service port is UDP" in feedback.message
    assert "no container port has that name" not in feedback.message


@pytest.mark.parametrize(("app", "field"), [
    (_app(requirePorts="false"), "requirePorts"),
    (_app(portDefinitions=[{"port": "0", "name": "http"}]), "portDefinitions"),
    (_app(networks=[{"mode": "container/bridge"}]), "portDefinitions"),
])
def test_a_refused_app_is_named_as_the_learners(app, field) -> None:
    """Marathon's refusals named the dict '<data>'; they name "your app", as the course's
    other checks name "your stack" or "your answer"."""
    feedback = check_host_port_app(app)
    assert not feedback and f"your app, {field}" in feedback.message
    assert "<data>" not in feedback.message


def test_replicas_in_a_marathon_app_is_told_its_marathon_name() -> None:
    """"replicas": 8 in place of instances was told only "The app must keep 8 instances (it
    has None)" and to change the ports: Marathon ignores a key it does not know."""
    feedback = check_host_port_app(_app(instances=None, replicas=8))
    assert not feedback and "calls the number of copies instances" in feedback.hint
    placed = check_host_port_app(_app(instances=None, nodeSelector={"zone": "a"}))
    assert "placed by constraints" in placed.hint
