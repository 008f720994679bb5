"""A Node created through the served API is stored as ``/status`` stores one
(clustersim.serve.kubenodes.canonical_status): its quantities as ``ParseQuantity`` takes them,
any size, in ``Quantity.String()``'s form (the exponent form kept, its exponent a
multiple of 3) (k8s.io/apimachinery ``pkg/api/resource/
quantity.go``), ``allocatable`` defaulted from ``capacity`` alone (``SetDefaults_NodeStatus``,
kubernetes/kubernetes ``pkg/apis/core/v1/defaults.go``). A create had answered 500 for
``cpu: 1e19`` and rewritten ``1e3`` as ``1k``, ``100n`` as ``1m``, ``1.5`` as ``2``."""

from __future__ import annotations

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer


def _node(name: str, capacity: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
            "status": {"capacity": capacity}}


@pytest.mark.parametrize(("capacity", "stored"), [
    ({"cpu": "1e19"}, {"cpu": "10e18"}),
    ({"cpu": "9" * 60, "memory": "1e400"}, {"cpu": "9" * 60, "memory": "10e399"}),
    ({"cpu": "1e3", "pods": "1e9"}, {"cpu": "1e3", "pods": "1e9"}),
    ({"cpu": "100n", "memory": "1.5"}, {"cpu": "100n", "memory": "1500m"}),
    ({"memory": "1024Mi"}, {"memory": "1Gi"}),
])
def test_a_created_node_keeps_its_quantities_as_status_does(capacity, stored):
    with serve("kubernetes", nodes=1, speed=0) as server:
        created, made = _answer(server, "POST", "/api/v1/nodes", _node("n1", capacity))
        assert created == 201, made
        assert made["status"]["capacity"] == stored
        assert made["status"]["allocatable"] == stored
        _answer(server, "POST", "/api/v1/nodes", _node("n2", {}))
        written, through_status = _answer(server, "PUT", "/api/v1/nodes/n2/status",
                                          _node("n2", capacity))
        assert written == 200
        assert through_status["status"]["capacity"] == stored


def test_a_dry_run_create_answers_the_node_it_would_store():
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, made = _answer(server, "POST", "/api/v1/nodes?dryRun=All",
                               _node("n1", {"cpu": "1.5"}))
        assert status == 201
        assert made["metadata"]["uid"] and made["metadata"]["creationTimestamp"]
        assert made["status"] == {"capacity": {"cpu": "1500m"}, "allocatable": {"cpu": "1500m"}}
        assert "n1" not in server.cluster.node_names()


@pytest.mark.parametrize(("capacity", "updated"), [
    ({"cpu": "9" * 30}, {"cpu": "9" * 30}),
    ({"memory": "1e19"}, {"memory": "10e18"}),
    ({"cpu": "100n", "memory": "1.5"}, {"cpu": "100n", "memory": "1500m"}),
    ({"cpu": "1e-9"}, {"cpu": "1e-9"}),
    ({"cpu": "1e3", "memory": "8Gi"}, {"cpu": "1k", "memory": "8Gi"}),
])
def test_the_kubelets_update_reports_the_machine_never_a_saturated_figure(capacity, updated):
    """The simulated kubelet writes its machine's figures in its canonical form (``1e3``
    cores: ``1k``, as cadvisor's integer millicores give), but a written amount no machine
    has (beyond int64, finer than a millicore or a byte) stays as written: the update had
    shown ``9223372036854775807m``, ``9223372036854775807`` and ``1m``."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _answer(server, "POST", "/api/v1/nodes", _node("n1", capacity))
        server.cluster.run(until=server.cluster.now + 11)
        _, node = _answer(server, "GET", "/api/v1/nodes/n1", None)
        shown = {k: v for k, v in node["status"]["capacity"].items() if k in capacity}
        assert shown == updated
        assert {k: node["status"]["allocatable"][k] for k in capacity} == updated


def test_the_kubelet_still_overwrites_a_figure_its_machine_does_not_have():
    """A capacity written through ``/status`` after the create is the kubelet's to correct."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _answer(server, "POST", "/api/v1/nodes", _node("n1", {"cpu": "4"}))
        _answer(server, "PUT", "/api/v1/nodes/n1/status", _node("n1", {"cpu": "1e30"}))
        server.cluster.run(until=server.cluster.now + 11)
        _, node = _answer(server, "GET", "/api/v1/nodes/n1", None)
        assert node["status"]["capacity"]["cpu"] == "4"
