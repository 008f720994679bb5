"""The control loop skips a reconcile when nothing changed since its last settled pass and no
wake-up came due (``ControllerManager._reconcile``). That shortcut must be exact: every pass
it skips would have changed nothing.

The check here runs each skipped pass anyway and compares the whole cluster before and after
(every stored object, the events, pending wake-ups, the scheduler's bookkeeping and the
endpoint history), over scenarios that exercise every controller that waits for time to pass:
a Deployment's minReadySeconds and progress deadline, a ReplicaSet's minReadySeconds, Jobs'
deadlines and TTL, a CronJob's schedule, the autoscaler's sync period, a node failure with
taint eviction, and the course's shop application.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllermanager import ControllerManager
from clustersim.kubernetes.objects import condition
from clustersim.scenarios.shop import run_shop


def _state(cluster: KubernetesCluster) -> str:
    return json.dumps({
        "objects": {kind: list(objects.values()) for kind, objects in cluster._objects.items()},
        "events": [repr(e) for e in cluster.events],
        "wakes": sorted(cluster._wakes),
        "attempted": cluster._attempted,
        "failures": cluster._last_failure,
        "endpoints": cluster.services._history,
    }, sort_keys=True, default=repr)


@pytest.fixture
def skipped(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run every pass the loop would skip, and record what such a pass changed."""
    original = ControllerManager._reconcile
    wrong: list[str] = []
    checked = [0]

    def checking(self: KubernetesCluster, **how: Any) -> None:
        if self._reconciling or self._version != self._settled:
            original(self, **how)
            return
        before = _state(self)
        self._settled = None
        original(self, **how)
        checked[0] += 1
        after = _state(self)
        if after != before:
            at = next(i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b)
            wrong.append(f"t={self.now:g}s: a skipped pass changed the cluster: "
                         f"...{before[at - 150:at + 60]}... became ...{after[at - 150:at + 60]}...")

    monkeypatch.setattr(ControllerManager, "_reconcile", checking)
    yield wrong
    assert checked[0] > 0, "no pass would have been skipped: the check checked nothing"


def _nodes() -> list[Node]:
    return Node.many(3, "node", cpu="4", memory="8Gi", zone=lambda i: f"zone-{'abc'[i - 1]}")


def _deployment(name: str, replicas: int = 3, image: str = "nginx:1.25",
                **spec: Any) -> dict[str, Any]:
    container = {"name": "c", "image": image, "resources": {"requests": {"cpu": "100m"}},
                 "readinessProbe": {"httpGet": {"path": "/", "port": 80},
                                    "initialDelaySeconds": 3, "periodSeconds": 5}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [container]}}, **spec}}


def _sample(cluster: KubernetesCluster, until: float, step: float = 7.0) -> None:
    """Run to ``until`` in steps, reading the cluster between them as run_shop does."""
    time = cluster.now
    while time < until:
        time = min(until, time + step)
        cluster.run(until=time)
        cluster.snapshot()


def test_no_skipped_pass_would_change_a_rollout(skipped: list[str]) -> None:
    cluster = KubernetesCluster(_nodes(), seed=1)
    cluster.apply([_deployment("web", minReadySeconds=12),
                   _deployment("stuck", 2, progressDeadlineSeconds=40)])
    cluster.fail_pull("broken:1")
    _sample(cluster, 30)
    cluster.set_image("deployment", "web", "nginx:1.26")
    cluster.set_image("deployment", "stuck", "broken:1")
    _sample(cluster, 140)
    # the Deployment's minReadySeconds raised above its ReplicaSets' (same template)
    cluster.apply(_deployment("web", minReadySeconds=25))
    cluster.scale("deployment", "web", 4)
    _sample(cluster, 220)
    assert skipped == []
    assert cluster.get("Deployment", "default", "web")["status"]["availableReplicas"] == 4
    assert condition(cluster.get("Deployment", "default", "stuck"), "Progressing")[
        "reason"] == "ProgressDeadlineExceeded"


def test_no_skipped_pass_would_change_jobs_cronjobs_or_the_autoscaler(
        skipped: list[str]) -> None:
    cluster = KubernetesCluster(_nodes(), seed=2)
    job_pod = {"containers": [{"name": "c", "image": "busybox"}], "restartPolicy": "Never"}
    cluster.apply([
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "short"},
         "spec": {"completions": 3, "parallelism": 2, "ttlSecondsAfterFinished": 30,
                  "template": {"spec": job_pod}}},
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "late"},
         "spec": {"activeDeadlineSeconds": 8,
                  "template": {"metadata": {"annotations": {"clustersim.io/run-seconds": "60"}},
                               "spec": job_pod}}},
        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tick"},
         "spec": {"schedule": "*/1 * * * *",
                  "jobTemplate": {"spec": {"template": {"spec": job_pod}}}}},
        _deployment("api", 1),
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
         "metadata": {"name": "api"},
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                     "name": "api"},
                  "minReplicas": 1, "maxReplicas": 5,
                  "metrics": [{"type": "Resource", "resource": {
                      "name": "cpu", "target": {"type": "Utilization",
                                                "averageUtilization": 50}}}]}},
    ])
    cluster.metrics.set_load("Deployment", "api", [(0, "50m"), (40, "600m"), (120, "50m")])
    _sample(cluster, 200, step=11.0)
    assert skipped == []
    assert cluster.get("HorizontalPodAutoscaler", "default", "api")["status"][
        "desiredReplicas"] > 1
    assert any(e.reason == "DeadlineExceeded" for e in cluster.events)


def test_no_skipped_pass_would_change_the_shop_through_a_node_failure(
        skipped: list[str]) -> None:
    run = run_shop.__wrapped__("kubernetes", api_replicas=4, fail_at=45.0, seed=3)
    assert skipped == []
    assert run.failed_node is not None
