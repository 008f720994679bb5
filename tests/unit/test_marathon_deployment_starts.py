"""Marathon keeps a deployment's time only in what refers to it (the app versions it stored,
at most ``--zk_max_versions`` per app, and the deployment while it is kept): the framework
kept the start of every deployment ever made, and the served API every version's instant,
one entry a deployment for as long as it ran (about 100 KiB a simulated day at one a
minute, ``benchmarks/marathon_deployments.py``)."""

from __future__ import annotations

import json

import pytest

from clustersim import Node
from clustersim.marathon import Marathon, framework
from clustersim.mesos import MesosCluster
from clustersim.serve.core import Request
from clustersim.serve.marathon import MarathonBackend

EPOCH = 1_796_000_000.0
"""A fixed Unix time for simulated second 0."""
_APP = {"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 16, "instances": 2}
_SCALINGS = 60


@pytest.fixture
def small_bounds(monkeypatch):
    """Bounds small enough that 60 scalings pass them many times over."""
    monkeypatch.setattr(framework, "_MIN_STARTS_KEPT", 8, raising=False)
    monkeypatch.setattr(framework, "FINISHED_DEPLOYMENTS", 2)


def _cluster() -> tuple[MesosCluster, Marathon]:
    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    return cluster, cluster.register(Marathon(max_versions=3))


def test_a_long_run_keeps_only_the_starts_its_versions_refer_to(small_bounds) -> None:
    cluster, marathon = _cluster()
    started = {1: cluster.now}
    marathon.deploy(dict(_APP))
    for number in range(2, _SCALINGS + 2):
        cluster.run(until=cluster.now + 60)
        started[number] = cluster.now
        marathon.scale("/web", 2 + number % 2)
    cluster.run(until=cluster.now + 60)
    assert marathon.deployment_count == _SCALINGS + 1
    assert len(marathon._started) <= 2 * 8 < _SCALINGS
    assert set(marathon.starts_kept()) == set(marathon._started)
    versions = marathon.versions("/web")
    assert [v.number for v in versions] == [61, 60, 59]
    for version in versions:        # each version's own time and its versionInfo's
        for number in (version.number, version.config_change, version.last_scaling):
            assert marathon.started_at(number) == started[number]
    assert versions[0].config_change == 1     # the app's creation, long before, is still kept
    with pytest.raises(ValueError, match="deployment 30 is forgotten"):
        marathon.started_at(30)


@pytest.mark.parametrize("beyond", [0, 1])
def test_a_deployment_never_made_is_not_called_forgotten(beyond: int) -> None:
    """started_at(0) and a number past the last said "deployment N is forgotten" and blamed
    --zk_max_versions for a deployment that never was."""
    _, marathon = _cluster()
    marathon.deploy(dict(_APP))
    number = 0 if beyond == 0 else marathon.deployment_count + 1
    with pytest.raises(ValueError, match=f"no deployment {number}: this framework has made 1"):
        marathon.started_at(number)


def test_the_served_versions_keep_only_what_the_framework_keeps(small_bounds) -> None:
    cluster, marathon = _cluster()
    backend = MarathonBackend(cluster, epoch=EPOCH)

    def call(method: str, path: str, body: object = None) -> dict:
        answer = backend.handle(Request(method, path, {}, {
            "content-type": "application/json", "accept": "application/json"},
            b"" if body is None else json.dumps(body).encode()))
        assert answer.status < 300, answer.body
        return json.loads(answer.body)

    created = call("POST", "/v2/apps", _APP)["version"]
    for number in range(2, _SCALINGS + 2):
        cluster.run(until=cluster.now + 60)
        call("PUT", "/v2/apps/web", {"instances": 2 + number % 2})
    versions = call("GET", "/v2/apps/web/versions")["versions"]
    assert len(versions) == 3
    for version in versions:
        assert call("GET", f"/v2/apps/web/versions/{version}")["version"] == version
    app = call("GET", "/v2/apps/web")["app"]
    assert app["version"] == versions[0]
    assert app["versionInfo"]["lastConfigChangeAt"] == created
    assert len(backend.times._versions) <= 2 * len(marathon._started) < _SCALINGS
