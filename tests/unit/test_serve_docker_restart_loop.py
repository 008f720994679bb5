"""A served swarm whose service fails at once for ever (``--restart-delay 0s`` and the
simulator's ``clustersim.io/exit-code``, ``run-seconds`` container labels) keeps bounded
state: the versions of reaped tasks go with them, the event record keeps its last
``SERVED_EVENTS``, and ``GET /tasks`` lists what the store holds, by service from its index."""

from __future__ import annotations

import pytest
import requests

import clustersim.serve.dockerstate
from clustersim.serve import serve
from clustersim.sim import EventLog
from clustersim.swarm.store import TASK_HISTORY_LIMIT


def create_loop(url: str, name: str, replicas: int) -> str:
    """``docker service create --replicas N --restart-delay 0s --container-label ...``."""
    created = requests.post(f"{url}/v1.44/services/create", timeout=10, json={
        "Name": name, "Mode": {"Replicated": {"Replicas": replicas}},
        "TaskTemplate": {"ContainerSpec": {"Image": "busybox", "Labels": {
            "clustersim.io/exit-code": "1", "clustersim.io/run-seconds": "0"}},
            "RestartPolicy": {"Condition": "any", "Delay": 0}}})
    assert created.status_code == 201, created.text
    return created.json()["ID"]


def test_a_restart_loop_keeps_bounded_versions_and_events(monkeypatch) -> None:
    monkeypatch.setattr(clustersim.serve.dockerstate, "SERVED_EVENTS", 200)
    with serve("swarm", nodes=3, speed=0) as server:
        cluster = server.backend.cluster
        restarts: list[float] = []
        cluster.events.subscribe(lambda e: restarts.append(e.time) if e.reason == "Restart"
                                 else None)
        create_loop(server.url, "loop", 4)
        for _ in range(6):
            server.step(10)
            tasks = requests.get(f"{server.url}/v1.44/tasks", timeout=10).json()
        assert len(restarts) > 4 * TASK_HISTORY_LIMIT * 2
        assert len(tasks) == len(cluster.tasks(history=True)) <= 4 * (TASK_HISTORY_LIMIT + 1)
        nodes = len(cluster.node_names())
        assert len(server.backend.versions) <= len(tasks) + nodes + 2    # swarm, service
        assert 200 <= len(cluster.events) <= 200 + 200 // 8


def test_tasks_of_services_come_from_the_index_in_creation_order() -> None:
    with serve("swarm", nodes=3, speed=0) as server:
        first = create_loop(server.url, "a", 2)
        server.step(5)
        second = create_loop(server.url, "b", 2)
        server.step(5)
        url = f"{server.url}/v1.44/tasks"
        every = requests.get(url, timeout=10).json()
        both = requests.get(url, timeout=10, params={
            "filters": '{"service": {"a": true, "b": true}}'}).json()
        only_b = requests.get(url, timeout=10, params={
            "filters": '{"service": {"b": true}}'}).json()
        assert {t["ServiceID"] for t in every} == {first, second}
        assert [t["ID"] for t in both] == [t["ID"] for t in every]
        assert [t["ID"] for t in only_b] == [t["ID"] for t in every if t["ServiceID"] == second]
        one = requests.get(f"{url}/{only_b[0]['ID']}", timeout=10).json()
        assert one["Spec"] == only_b[0]["Spec"]


@pytest.mark.parametrize("keep", [1, 8, 100])
def test_an_event_log_keeps_its_last_events(keep: int) -> None:
    log = EventLog("swarm")
    log.keep_last(keep)
    for second in range(1000):
        log.record(second, "task/x.1", "Failed", f"failed at {second}")
    assert keep <= len(log) <= keep + keep // 8
    assert log[-1].message == "failed at 999"
    assert [e.time for e in log] == list(range(1000 - len(log), 1000))
