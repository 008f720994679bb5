"""A CronJob served at a speed other than 1: its schedule is read on the served wall clock
(clustersim.serve.core.WallClock, through ``KubernetesCluster.calendar``), so that each Job's
name tells the Unix minute (``getJobName`` in kubernetes/kubernetes
``pkg/controller/cronjob/utils.go``) that the CronJob's ``lastScheduleTime`` and the Job's
``cronjob-scheduled-timestamp`` show."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.serve.core import Request
from clustersim.serve.kubernetes import KubernetesBackend

_CRONJOB = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tick",
            "namespace": "default"},
            "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}}


def _get(backend: KubernetesBackend, path: str) -> dict:
    response = backend.handle(Request("GET", urlsplit(path).path, {}, {}))
    assert response.status == 200, response.body
    return json.loads(response.body)


def _minute(rfc3339: str) -> int:
    return int(datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()) // 60


@pytest.mark.parametrize("speed", [10, 0.5])
def test_a_jobs_name_tells_the_minute_kubectl_shows(speed):
    """At ``--speed 10`` the Jobs had been named by simulated minutes counted from the
    clock's origin, minutes ahead of the ``lastScheduleTime`` the API showed."""
    cluster = KubernetesCluster(default_nodes(1), seed=0)
    backend = KubernetesBackend(cluster)
    backend.clock.follow(speed)         # as a server running at that speed does
    cluster.create(copy.deepcopy(_CRONJOB))       # create keeps the dict it is given
    for until in range(60, int(180 * speed) + 61, 60):
        cluster.run(until=until)
        cron = _get(backend, "/apis/batch/v1/namespaces/default/cronjobs/tick")
        jobs = _get(backend, "/apis/batch/v1/namespaces/default/jobs")["items"]
        if not jobs:
            continue
        newest = max(jobs, key=lambda j: int(j["metadata"]["name"].rsplit("-", 1)[1]))
        minute = int(newest["metadata"]["name"].rsplit("-", 1)[1])
        assert minute == _minute(cron["status"]["lastScheduleTime"])
        assert minute == _minute(newest["metadata"]["annotations"][
            "batch.kubernetes.io/cronjob-scheduled-timestamp"])
    assert len(jobs) >= 2


def test_a_step_while_the_clock_follows_does_not_silence_a_cronjob():
    """After a ``step`` the served clock starts a new piece of its mapping (``stepped``);
    the controller had kept the Unix minute it extrapolated during the step and fell silent
    for as long as the step lasted. It now works out the due run from ``lastScheduleTime``
    and now at each sync (``mostRecentScheduleTime``): at ``--speed 10`` one run every 600
    simulated seconds (a wall minute), from the first minute after the step."""
    cluster = KubernetesCluster(default_nodes(1), seed=0)
    backend = KubernetesBackend(cluster)
    backend.clock.follow(10)
    cluster.create(copy.deepcopy(_CRONJOB))
    cluster.run(until=3600)                      # a step of an hour
    backend.clock.stepped()
    created = len(cluster.events.where(reason="SuccessfulCreate", object="cronjob/tick"))
    for until in range(4200, 7800, 600):
        cluster.run(until=until)
        runs = cluster.events.where(reason="SuccessfulCreate", object="cronjob/tick")
        assert len(runs) == created + 1, until
        created = len(runs)
        cron = _get(backend, "/apis/batch/v1/namespaces/default/cronjobs/tick")
        shown = cron["status"]["lastScheduleTime"]
        assert shown.endswith(":00Z")
        assert runs[-1].message == f"Created job tick-{_minute(shown)}"
