"""An app's ``lastTaskFailure`` and ``readinessCheckResults`` in the served Marathon API, as
``AppInfoBaseData`` embeds them (d2iq-archive/marathon ``state/TaskFailure.scala``,
``core/history/impl/HistoryActor.scala``)."""

from __future__ import annotations

import marathon
import pytest
import requests

from clustersim.serve import serve

APP = {"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 16}


@pytest.fixture
def server():
    with serve("marathon", nodes=3, speed=0) as server:
        yield server


def _app(server, query: str = "embed=app.lastTaskFailure") -> dict:
    return requests.get(f"{server.url}/v2/apps/web?{query}", timeout=10).json()["app"]


def _listed(server, query: str) -> dict:
    [app] = requests.get(f"{server.url}/v2/apps?{query}", timeout=10).json()["apps"]
    return app


def test_a_lost_task_is_the_apps_last_failure_until_the_app_is_deleted(server):
    """A task gone with its agent (``TASK_GONE_BY_OPERATOR``, one of ``isFailureState``'s
    states) is stored and shown with ``embed=app.lastTaskFailure`` /
    ``apps.lastTaskFailure`` in ``TaskFailureWrites``' fields; the kills of a later scaling
    (``TASK_KILLED``) neither replace nor clear it; the app's removal does. The simulator
    showed no failure at all."""
    url = server.url
    assert requests.post(f"{url}/v2/apps", json=APP, timeout=10).status_code == 201
    server.step(30)
    assert "lastTaskFailure" not in _app(server)
    [task] = _app(server)["tasks"]
    agent = server.cluster.mark_agent_gone(task["host"])
    server.step(1)
    version = _app(server)["version"]
    failure = _app(server)["lastTaskFailure"]
    assert failure == {
        "appId": "/web", "host": task["host"], "message": "Agent was marked gone",
        "state": "TASK_GONE_BY_OPERATOR", "taskId": task["id"],
        "timestamp": failure["timestamp"], "version": version, "slaveId": agent.id}
    assert failure["timestamp"] > task["startedAt"]
    assert _listed(server, "embed=apps.lastTaskFailure")["lastTaskFailure"] == failure
    assert "lastTaskFailure" not in _app(server, "")
    assert "lastTaskFailure" not in _listed(server, "")
    read = marathon.MarathonClient(url).get_app("web", embed_last_task_failure=True)
    assert (read.last_task_failure.task_id, read.last_task_failure.slave_id) == (
        task["id"], agent.id)
    requests.put(f"{url}/v2/apps/web", json={"instances": 0}, params={"force": "true"},
                 timeout=10)
    server.step(30)
    assert _app(server)["tasksRunning"] == 0
    kept = _app(server)["lastTaskFailure"]
    assert (kept["taskId"], kept["state"]) == (task["id"], "TASK_GONE_BY_OPERATOR")
    requests.delete(f"{url}/v2/apps/web", timeout=10)
    server.step(30)
    requests.post(f"{url}/v2/apps", json=APP, timeout=10)
    server.step(30)
    assert "lastTaskFailure" not in _app(server)


def test_a_task_killed_for_its_health_checks_is_a_failure(server):
    """``FromUnhealthyInstanceKillEvent``: the task killed after ``maxConsecutiveFailures``
    failed checks is stored as ``TASK_KILLED`` with Marathon's message; an ordinary kill's
    ``TASK_KILLED`` is none (the app's scaling above)."""
    framework = server.backend.marathon
    check = {"protocol": "COMMAND", "command": {"value": "true"}, "intervalSeconds": 10,
             "maxConsecutiveFailures": 2}
    requests.post(f"{server.url}/v2/apps", json={**APP, "healthChecks": [check]}, timeout=10)
    server.step(30)
    [task] = _app(server)["tasks"]
    framework.set_health("/web", False)
    server.step(25)
    failure = _app(server)["lastTaskFailure"]
    assert (failure["taskId"], failure["state"]) == (task["id"], "TASK_KILLED")
    assert failure["message"] == ("Task was killed since health check failed. Reason: "
                                  "2 consecutive failed COMMAND health checks")


def test_readiness_results_are_embedded_while_a_deployment_checks_the_app(server):
    """``embed=app.readiness`` adds ``readinessCheckResults``: those of the running
    deployments' current steps for the app, empty once none runs. The simulator added
    nothing."""
    requests.post(f"{server.url}/v2/apps", json={
        **APP, "instances": 2, "portDefinitions": [{"port": 0, "name": "http"}],
        "readinessChecks": [{"name": "ready", "portName": "http", "intervalSeconds": 30,
                             "timeoutSeconds": 10}]}, timeout=10)
    server.step(5)
    tasks = sorted(t["id"] for t in _app(server)["tasks"])
    shown = _app(server, "embed=app.readiness")["readinessCheckResults"]
    assert shown == [{"name": "ready", "taskId": t, "ready": False} for t in tasks]
    assert _listed(server, "embed=apps.readiness")["readinessCheckResults"] == shown
    assert "readinessCheckResults" not in _app(server, "")
    read = marathon.MarathonClient(server.url).get_app("web", embed_readiness=True)
    assert read.readiness_check_results == shown      # the client keeps them as dicts
    server.step(60)
    assert _app(server, "embed=app.readiness")["readinessCheckResults"] == []


def _stats(server) -> dict:
    return _app(server, "embed=app.taskStats")["taskStats"]


def test_task_stats_group_the_tasks_by_version(server):
    """``embed=app.taskStats`` (``TaskStatsByVersion``): the counts and life times of all
    tasks, of those started after the last scaling, and of those with the latest or an
    outdated definition, each group only when it has tasks. The simulator added nothing."""
    url = server.url
    requests.post(f"{url}/v2/apps", json={**APP, "instances": 2}, timeout=10)
    server.step(30)
    stats = _stats(server)
    assert set(stats) == {"startedAfterLastScaling", "withLatestConfig", "totalSummary"}
    total = stats["totalSummary"]["stats"]
    assert total["counts"] == {"staged": 0, "running": 2, "healthy": 0, "unhealthy": 0}
    started = [t["startedAt"] for t in _app(server)["tasks"]]
    assert len(set(started)) == 1 and 25 < total["lifeTime"]["averageSeconds"] < 30
    assert total["lifeTime"]["averageSeconds"] == total["lifeTime"]["medianSeconds"]
    requests.put(f"{url}/v2/apps/web", json={"instances": 3}, timeout=10)
    server.step(30)
    stats = _stats(server)
    assert stats["startedAfterLastScaling"]["stats"]["counts"]["running"] == 1
    assert stats["withLatestConfig"]["stats"]["counts"]["running"] == 3
    lives = stats["totalSummary"]["stats"]["lifeTime"]
    assert lives["medianSeconds"] > lives["averageSeconds"]    # two old tasks, one young
    requests.put(f"{url}/v2/apps/web", json={"cmd": "serve --v2"}, timeout=10)
    stats = _stats(server)
    # the deployment stages all three new tasks at once (maximumOverCapacity 1): they have
    # the latest definition and started after the last scaling; the old three run on
    staged = {"staged": 3, "running": 0, "healthy": 0, "unhealthy": 0}
    assert {group: value["stats"]["counts"] for group, value in stats.items()} == {
        "startedAfterLastScaling": staged, "withLatestConfig": staged,
        "withOutdatedConfig": {"staged": 0, "running": 3, "healthy": 0, "unhealthy": 0},
        "totalSummary": {"staged": 3, "running": 3, "healthy": 0, "unhealthy": 0}}
    assert "taskStats" not in _app(server, "")
