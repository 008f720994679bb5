"""Each container's readiness (kubernetes/kubernetes ``pkg/kubelet/prober/prober_manager.go``
``UpdatePodStatus``, ``worker.go``) and readiness gates (``GeneratePodReadyCondition`` in
``pkg/kubelet/status/generate.go``), in the simulator, its served status and its tables."""

from __future__ import annotations

from typing import Any

import pytest

from clustersim.kubernetes.cluster import KubernetesCluster, default_nodes
from clustersim.kubernetes.podlifecycle import readiness_gates_message
from clustersim.kubernetes.prober import ready_delay, started_delay
from clustersim.manifests import ManifestError
from clustersim.serve.kuberender import Renderer
from clustersim.serve.kubetables import COLUMNS

GATE = "example.com/lb-ready"
POD = f"""apiVersion: v1
kind: Pod
metadata: {{name: web, labels: {{app: web}}}}
spec:
  readinessGates: [{{conditionType: {GATE}}}]
  containers:
  - {{name: web, image: "nginx:1.27"}}
  - name: log
    image: "fluent-bit:3"
    readinessProbe: {{exec: {{command: [cat, /ready]}}, initialDelaySeconds: 10}}
"""


def _cluster(manifest: str = POD) -> KubernetesCluster:
    cluster = KubernetesCluster(default_nodes(1))
    cluster.apply(manifest)
    return cluster


def _single(name: str, container: str, annotations: str = "{}") -> str:
    """A Pod of one container, ``container`` the YAML of its fields after name and image."""
    return f"""apiVersion: v1
kind: Pod
metadata: {{name: {name}, annotations: {annotations}}}
spec:
  containers:
  - {{name: {name}, image: "nginx:1.27", {container}}}
"""


def _shown(cluster: KubernetesCluster, name: str = "web") -> dict[str, Any]:
    return Renderer(cluster).shown(cluster.get("Pod", "default", name))


def _ready_containers(cluster: KubernetesCluster, name: str = "web") -> dict[str, bool]:
    return {c["name"]: c["ready"] for c in _shown(cluster, name)["status"]["containerStatuses"]}


def _condition(cluster: KubernetesCluster, kind: str) -> dict[str, Any]:
    return next(c for c in _shown(cluster)["status"]["conditions"] if c["type"] == kind)


@pytest.mark.parametrize(("container", "started", "ready"), [
    ({}, 0, 0),
    ({"readinessProbe": {"initialDelaySeconds": 12, "periodSeconds": 5}}, 0, 15),
    ({"startupProbe": {"initialDelaySeconds": 20}}, 20, 20),
    # the readiness probe runs once the startup probe has passed: at the first of its
    # periods at or after both 20 s and its own initial delay, then successThreshold − 1 more
    ({"startupProbe": {"initialDelaySeconds": 20},
      "readinessProbe": {"initialDelaySeconds": 5, "periodSeconds": 15,
                         "successThreshold": 2}}, 20, 45),
])
def test_started_and_ready_delays(container: dict[str, Any], started: float,
                                  ready: float) -> None:
    assert (started_delay(container), ready_delay(container)) == (started, ready)


def test_each_container_is_ready_on_its_own():
    """web (no probe) starts at 6 s and is ready at once; log starts at 12 s and passes its
    probe at 22 s: in between one of two is ready and only log is named."""
    cluster = _cluster(POD.replace(f"  readinessGates: [{{conditionType: {GATE}}}]\n", ""))
    cluster.run(until=15)
    assert _ready_containers(cluster) == {"web": True, "log": False}
    assert _condition(cluster, "ContainersReady")["message"] == \
        "containers with unready status: [log]"
    assert not cluster.pods()[0].ready
    cluster.run(until=21.9)
    assert not cluster.pods()[0].ready
    cluster.run(until=22)
    assert _ready_containers(cluster) == {"web": True, "log": True}
    assert cluster.pods()[0].ready


def test_a_startup_probe_keeps_a_container_unstarted_and_unready():
    cluster = _cluster(_single(
        "slow", "startupProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 30}"))
    cluster.run(until=20)
    [status] = _shown(cluster, "slow")["status"]["containerStatuses"]
    assert "running" in status["state"]
    assert (status["started"], status["ready"]) == (False, False)
    cluster.run(until=40)
    [status] = _shown(cluster, "slow")["status"]["containerStatuses"]
    assert (status["started"], status["ready"]) == (True, True)


def test_an_image_change_leaves_the_other_container_ready():
    """Only the restarted container is unready until it has started and passed its probe
    again (the kubelet kills and starts only the changed one)."""
    cluster = _cluster(POD.replace(f"  readinessGates: [{{conditionType: {GATE}}}]\n", ""))
    cluster.run(until=30)
    cluster.update_pod(cluster.get("Pod", "default", "web"), {
        **cluster.get("Pod", "default", "web")["spec"],
        "containers": [{"name": "web", "image": "nginx:1.27"},
                       {"name": "log", "image": "fluent-bit:4", "readinessProbe": {
                           "exec": {"command": ["cat", "/ready"]}, "initialDelaySeconds": 10}}]})
    cluster.run(until=31)
    assert _ready_containers(cluster) == {"web": True, "log": False}
    assert not cluster.pods()[0].ready
    cluster.run(until=60)
    assert _ready_containers(cluster) == {"web": True, "log": True}
    assert cluster.pods()[0].ready


def test_a_crashed_pods_containers_are_unready():
    cluster = _cluster(_single("web", "", '{clustersim.io/run-seconds: "20"}'))
    cluster.run(until=10)
    assert _ready_containers(cluster) == {"web": True}
    cluster.run(until=27)        # exited at 26 s and started again at once
    assert _ready_containers(cluster) == {"web": True}
    cluster.run(until=47)        # exited again at 46 s, backing off for 10 s
    assert _ready_containers(cluster) == {"web": False}


def test_readiness_gates_message_is_generate_gos():
    spec = {"readinessGates": [{"conditionType": "a"}, {"conditionType": "b"},
                               {"conditionType": "c"}]}
    conditions = [{"type": "b", "status": "False"}, {"type": "c", "status": "True"},
                  {"type": "b", "status": "True"}]        # the first of a type counts
    assert readiness_gates_message(spec, conditions) == (
        'corresponding condition of pod readiness gate "a" does not exist., '
        'the status of pod readiness gate "b" is not "True", but False')
    assert readiness_gates_message({}, conditions) == ""


def test_a_gate_keeps_ready_false_until_its_condition_is_true():
    """Ready is False with ReadinessGatesNotReady while ContainersReady is True; the
    condition set through the status subresource is kept beside the kubelet's, Ready and the
    Service's endpoints follow it both ways."""
    cluster = _cluster(POD + """---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
""")
    cluster.run(until=30)
    assert _condition(cluster, "ContainersReady")["status"] == "True"
    ready = _condition(cluster, "Ready")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False", "ReadinessGatesNotReady",
        f'corresponding condition of pod readiness gate "{GATE}" does not exist.')
    assert not cluster.pods()[0].ready and cluster.endpoints("web") == []
    cluster.set_pod_condition("web", GATE, True)
    assert _condition(cluster, "Ready")["status"] == "True"
    assert _condition(cluster, GATE)["status"] == "True"
    cluster.run(until=40)
    assert cluster.pods()[0].ready and len(cluster.endpoints("web")) == 1
    cluster.set_pod_condition("web", GATE, False)
    cluster.run(until=50)
    assert _condition(cluster, "Ready")["message"] == (
        f'the status of pod readiness gate "{GATE}" is not "True", but False')
    assert _condition(cluster, "ContainersReady")["status"] == "True"
    assert not cluster.pods()[0].ready and cluster.endpoints("web") == []


def test_a_gate_set_before_the_containers_are_ready_waits_for_them():
    cluster = _cluster()
    cluster.run(until=15)
    cluster.set_pod_condition("web", GATE, True)
    assert _condition(cluster, "Ready")["reason"] == "ContainersNotReady"
    cluster.run(until=22)
    assert cluster.pods()[0].ready


def test_the_kubelets_conditions_are_not_anyone_elses():
    cluster = _cluster()
    with pytest.raises(ValueError, match="Ready is a condition the kubelet owns"):
        cluster.set_pod_condition("web", "Ready", True)


def test_a_readiness_gate_is_a_qualified_name():
    with pytest.raises(ManifestError, match=r'spec.readinessGates\[0\].conditionType: '
                       r'Invalid value: "lb ready"'):
        _cluster(POD.replace(GATE, "lb ready"))


@pytest.mark.parametrize(("gates", "conditions", "shown"), [
    ([], [], "<none>"),
    ([GATE], [], "0/1"),
    ([GATE, "b"], [{"type": "b", "status": "True"}, {"type": GATE, "status": "False"}], "1/2"),
])
def test_the_readiness_gates_column_is_print_pods(gates: list[str],
                                                  conditions: list[dict[str, str]],
                                                  shown: str) -> None:
    [cell] = [c[3] for c in COLUMNS["Pod"] if c[0] == "Readiness Gates"]
    pod = {"spec": {"readinessGates": [{"conditionType": g} for g in gates]},
           "status": {"conditions": conditions}}
    assert cell(pod, 0.0) == shown
