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


@pytest.mark.parametrize(("body", "found"), [
    ('{"port": 80, "targetPort": 80.5}', "number 80.5"),
    ('{"port": 80, "targetPort": true}', "bool"),
    ('{"port": 80, "targetPort": [80]}', "array"),
])
def test_a_target_port_neither_number_nor_string_is_the_decoders_400(body: str,
                                                                     found: str) -> None:
    """``IntOrString.UnmarshalJSON`` (k8s.io/apimachinery ``pkg/util/intstr/intstr.go``)
    decodes anything but a string into an ``int32``, and encoding/json names the field;
    the served API had answered 422 "must be a valid integer"."""
    text = ('{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, '
            f'"spec": {{"ports": [{body}]}}}}')
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, "POST", "/api/v1/namespaces/default/services",
                                text.encode(), {"Content-Type": "application/json"})
    answer = json.loads(data)
    assert (status, answer["reason"]) == (400, "BadRequest")
    assert answer["message"] == (
        'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal '
        f"{found} into Go struct field ServicePort.spec.ports.targetPort of type int32")
