"""The kubelet's Pod conditions (pkg/kubelet/status/generate.go), from container statuses."""

from __future__ import annotations

from typing import Any

import pytest

from clustersim.serve.kubeconditions import containers_ready, kubelet_conditions

SPEC = {"initContainers": [{"name": "migrate", "image": "m:1"},
                           {"name": "proxy", "image": "p:1", "restartPolicy": "Always"}],
        "containers": [{"name": "app", "image": "a:1"}, {"name": "log", "image": "l:1"}]}


def _status(name: str, ready: bool) -> dict[str, Any]:
    return {"name": name, "ready": ready}


@pytest.mark.parametrize(("statuses", "phase", "expected"), [
    ([_status("proxy", True), _status("app", True), _status("log", True)], "Running",
     {"status": "True"}),
    # a regular init container's readiness never counts
    ([_status("migrate", False), _status("proxy", True), _status("app", True),
      _status("log", True)], "Running", {"status": "True"}),
    ([_status("proxy", False), _status("app", True), _status("log", False)], "Running",
     {"status": "False", "reason": "ContainersNotReady",
      "message": "containers with unready status: [proxy log]"}),
    # no status at all: named first, as "unknown"
    ([_status("log", False)], "Pending",
     {"status": "False", "reason": "ContainersNotReady",
      "message": "containers with unknown status: [proxy app], "
                 "containers with unready status: [log]"}),
    ([_status("proxy", False), _status("app", False), _status("log", False)], "Succeeded",
     {"status": "False", "reason": "PodCompleted"}),
    # a Pod that succeeded with a container unknown is not "completed"
    ([_status("app", False), _status("log", False)], "Succeeded",
     {"status": "False", "reason": "ContainersNotReady",
      "message": "containers with unknown status: [proxy], "
                 "containers with unready status: [app log]"}),
    ([_status("app", False)], "Failed", {"status": "False", "reason": "PodFailed"}),
])
def test_containers_ready_is_generate_gos(statuses: list[dict[str, Any]], phase: str,
                                          expected: dict[str, str]) -> None:
    assert containers_ready(SPEC, statuses, phase) == expected


def _conditions(incomplete: list[str], app_state: str) -> dict[str, dict[str, Any]]:
    pod = {"metadata": {"name": "p"}, "spec": SPEC}
    status = {"phase": "Running", "startTime": "T0",
              "containerStatuses": [{"name": n, "ready": False, "state": {app_state: {}}}
                                    for n in ("app", "log")]}
    made = kubelet_conditions(pod, status, incomplete=incomplete, initialized_at=None,
                              sandbox_since="T1", reporting=True, ready_since=lambda name: None)
    return {c["type"]: c for c in made}


def test_initialized_stays_true_once_an_app_container_has_started():
    """HasAnyRegularContainerStarted: a sidecar restarting (its new image, its startup probe
    not passed yet) does not make a Pod whose app containers run uninitialized."""
    assert _conditions(["proxy"], "running")["Initialized"]["status"] == "True"
    waiting = _conditions(["proxy"], "waiting")["Initialized"]
    assert (waiting["status"], waiting["reason"], waiting["message"]) == (
        "False", "ContainersNotInitialized", "containers with incomplete status: [proxy]")


def test_conditions_first_written_are_dated_at_the_start_time():
    made = _conditions([], "running")
    assert made["Ready"]["lastTransitionTime"] == "T0"          # no stored Ready yet
    assert made["PodReadyToStartContainers"]["lastTransitionTime"] == "T1"
