"""Unknown fields inside ``status`` on a write to the ``/status`` subresource: the update
and patch handlers decode the whole object into its kind's Go type whatever the subresource
(k8s.io/apiserver ``pkg/endpoints/handlers/update.go`` and ``patch.go``), so strict decoding
names a typo under ``status`` as it names one under ``spec``: a 400 (a PUT) or a 422 (a
patch's result, ``patch.go``) under ``fieldValidation=Strict``, a ``Warning`` header under
``Warn``, the server's default. The served API had checked ``spec`` and ``metadata`` but let
any field of ``status`` through."""

from __future__ import annotations

import http.client
import json

import pytest

from clustersim.serve import serve

POD = "/api/v1/namespaces/default/pods/web"
NODE = "/api/v1/nodes/worker-1"
_MERGE = "application/merge-patch+json"


def _send(server, method: str, path: str, body: dict, media: str = "application/json"
          ) -> tuple[int, dict, str | None]:
    """The status, the decoded answer and the ``Warning`` header of one request."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, json.dumps(body).encode(), {"Content-Type": media})
        response = conn.getresponse()
        return response.status, json.loads(response.read()), response.getheader("Warning")
    finally:
        conn.close()


def _with_pod(server) -> dict:
    created = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
               "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}
    status, _, _ = _send(server, "POST", "/api/v1/namespaces/default/pods", created)
    assert status == 201
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", POD)
    pod = json.loads(conn.getresponse().read())
    conn.close()
    return pod


@pytest.mark.parametrize(("status", "field"), [
    ({"phaze": "Running"}, "status.phaze"),
    ({"conditions": [{"type": "Ready", "status": "True", "reasn": "x"}]},
     "status.conditions[0].reasn"),
    # deeper: the whole status is walked by PodStatus's schema (it had stopped at conditions)
    ({"containerStatuses": [{"name": "web", "ready": False, "restartCount": 0,
                             "image": "nginx:1.27", "imageID": "",
                             "state": {"waitin": {"reason": "ContainerCreating"}}}]},
     "status.containerStatuses[0].state.waitin"),
    ({"podIPs": [{"ip": "10.244.0.9", "adress": "x"}]}, "status.podIPs[0].adress"),
])
def test_a_strict_put_to_a_pods_status_names_its_unknown_status_field(status, field):
    with serve("kubernetes", nodes=1, speed=0) as server:
        pod = _with_pod(server)
        pod["status"] = {**pod.get("status", {}), **status}
        code, answer, _ = _send(server, "PUT", POD + "/status?fieldValidation=Strict", pod)
    assert (code, answer["reason"], answer["message"]) == (
        400, "BadRequest", 'Pod in version "v1" cannot be handled as a Pod: strict decoding '
        f'error: unknown field "{field}"')


def test_a_warned_status_patch_is_answered_with_the_unknown_field_as_a_warning():
    """``Warn`` (no ``fieldValidation``: the server's default) stores the status without the
    field and warns of it."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _with_pod(server)
        code, answer, warning = _send(server, "PATCH", POD + "/status",
                                      {"status": {"phaze": "Running"}}, _MERGE)
    assert code == 200 and "phaze" not in answer["status"]
    assert warning == '299 - "unknown field \\"status.phaze\\""'


def test_a_strict_status_patch_of_a_node_is_refused_as_patch_go_refuses_it():
    with serve("kubernetes", nodes=1, speed=0) as server:
        code, answer, _ = _send(server, "PATCH", NODE + "/status?fieldValidation=Strict",
                                {"status": {"capacty": {"cpu": "8"}}}, _MERGE)
        code_ok, _, warning = _send(server, "PATCH", NODE + "/status",
                                    {"status": {"capacity": {"example.com/dongle": "2"}}},
                                    _MERGE)
    assert (code, answer["details"]["causes"][0]["field"]) == (422, "patch")
    assert answer["message"].endswith('strict decoding error: unknown field "status.capacty"')
    assert (code_ok, warning) == (200, None)


def test_a_strict_status_patch_names_an_unknown_field_deep_in_a_services_status():
    """A Service's load balancer ingress is walked by ServiceStatus's schema: a misspelt
    ``hostname`` is refused under ``Strict`` as patch.go refuses a patch's result, not
    stored."""
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
               "spec": {"ports": [{"port": 80}]}}
    path = "/api/v1/namespaces/default/services"
    with serve("kubernetes", nodes=1, speed=0, epoch=0.0) as server:
        assert _send(server, "POST", path, service)[0] == 201
        code, answer, _ = _send(server, "PATCH", f"{path}/lb/status?fieldValidation=Strict",
                                {"status": {"loadBalancer": {"ingress": [
                                    {"hostnam": "lb.example.com"}]}}}, _MERGE)
    assert code == 422 and answer["message"].endswith(
        'strict decoding error: unknown field "status.loadBalancer.ingress[0].hostnam"')
