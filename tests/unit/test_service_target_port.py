"""A Service's ``targetPort`` as kubernetes/kubernetes ``pkg/apis/core/validation/
validation.go`` checks it (``validateServicePort`` → ``ValidatePortNumOrName``): a number is
a port, a string a port name (``IsValidPortName``), so a string of digits is refused,
through the loader and through the served API alike."""

from __future__ import annotations

import json

import pytest

from clustersim.manifests import ManifestError, load_manifests
from clustersim.serve import serve
from tests.unit.test_serve_core import _request


def _service(target_port: object) -> dict:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"},
                     "ports": [{"port": 80, "targetPort": target_port}]}}


@pytest.mark.parametrize(("target_port", "refused"), [
    ("80", 'spec.ports[0].targetPort: Invalid value: "80": must contain at least one letter '
     "(a-z)"),
    ("Web_1", 'spec.ports[0].targetPort: Invalid value: "Web_1": must contain only '
     "alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
])
def test_a_target_port_string_must_be_a_port_name(target_port: str, refused: str) -> None:
    with pytest.raises(ManifestError) as caught:
        load_manifests(json.dumps(_service(target_port)))
    assert f"{caught.value.path}: {caught.value.message}" == refused
    assert "such as 'http'" in caught.value.expected


@pytest.mark.parametrize("target_port", [8080, "http", "metrics-9"])
def test_a_number_or_a_port_name_is_accepted(target_port: object) -> None:
    assert load_manifests(json.dumps(_service(target_port)))


def test_the_served_api_refuses_a_string_of_digits() -> None:
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, "POST", "/api/v1/namespaces/default/services",
                                json.dumps(_service("80")).encode(),
                                {"Content-Type": "application/json"})
    answer = json.loads(data)
    assert (status, answer["reason"]) == (422, "Invalid")
    assert answer["message"] == ('Service "web" is invalid: spec.ports[0].targetPort: Invalid '
                                 'value: "80": must contain at least one letter (a-z)')
