"""Details of Marathon's REST API that a client sees whatever it deploys: the deployments'
ids, how the query flags are read, and when ``GET /v2/queue`` says an app began waiting."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import requests

from clustersim import Node
from clustersim.mesos import MesosCluster
from clustersim.serve import marathonmonitor, serve
from clustersim.serve.core import Request
from clustersim.serve.marathon import MarathonBackend

EPOCH = 1_796_000_000.0
"""A fixed Unix time for simulated second 0, so that instants are the same at every run."""
_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_APP = {"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 32, "instances": 2}


@pytest.fixture
def server():
    with serve("marathon", nodes=3, speed=0, epoch=EPOCH) as server:
        yield server


def _stamp(seconds: float) -> str:
    """Simulated ``seconds`` as Marathon writes an instant (milliseconds, UTC)."""
    moment = datetime.fromtimestamp(EPOCH + seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _deployment_ids(seed: int) -> list[str]:
    """The ids of three deployments (create, scale, restart) on a fresh cluster."""
    with serve("marathon", nodes=2, speed=0, seed=seed) as server:
        created = requests.post(f"{server.url}/v2/apps", json=_APP, timeout=10)
        server.step(30)
        scaled = requests.put(f"{server.url}/v2/apps/web", json={"instances": 3}, timeout=10)
        server.step(30)
        restarted = requests.post(f"{server.url}/v2/apps/web/restart", timeout=10)
        return [created.headers["Marathon-Deployment-Id"], scaled.json()["deploymentId"],
                restarted.json()["deploymentId"]]


def test_deployment_ids_are_uuids_and_the_same_in_every_run_of_a_seed():
    """``DeploymentPlan.apply`` names a plan ``UUID.randomUUID().toString``; the simulator
    named them ``deployment-1``, ``deployment-2``. Its ids are version-4 UUIDs that a seeded
    run gives again (the labs and their stored outputs are seeded)."""
    ids = _deployment_ids(seed=0)
    assert all(_UUID4.fullmatch(i) for i in ids) and len(set(ids)) == 3
    assert _deployment_ids(seed=0) == ids
    assert set(_deployment_ids(seed=1)).isdisjoint(ids)


def test_a_deployment_is_listed_shown_in_events_and_cancelled_by_its_uuid(server):
    created = requests.post(f"{server.url}/v2/apps", json={**_APP, "cpus": 64}, timeout=10)
    plan = created.headers["Marathon-Deployment-Id"]
    [running] = requests.get(f"{server.url}/v2/deployments", timeout=10).json()
    assert running["id"] == plan and running["affectedApps"] == ["/web"]
    framework = server.backend.marathon
    assert any(e.object == f"deployment/{plan}" for e in framework.events
               if e.reason == "deployment_info")
    cancelled = requests.delete(f"{server.url}/v2/deployments/{plan}?force=true", timeout=10)
    assert cancelled.status_code == 202
    assert requests.get(f"{server.url}/v2/deployments", timeout=10).json() == []
    # the event's object names the deployment; its message need not (a table of messages
    # cut at a column's width showed the UUID and lost what happened)
    [ended] = [e for e in framework.events if e.reason == "deployment_failed"]
    assert (ended.object, ended.message) == (f"deployment/{plan}",
                                             "Deployment was cancelled without a rollback")


@pytest.mark.parametrize(("value", "forced"), [
    ("true", True), ("TRUE", True), ("True", True),
    ("1", False), ("yes", False), ("%20true", False), ("false", False)])
def test_force_is_true_only_for_true_in_any_case(server, value, forced):
    """Jersey reads ``@QueryParam("force") force: Boolean`` with ``Boolean.valueOf``: true
    for ``true`` in any case, false for anything else, never an error. The simulator took
    ``1`` for true, so ``?force=1`` overrode the deployment lock that it must not."""
    requests.post(f"{server.url}/v2/apps", json={**_APP, "cpus": 64}, timeout=10)
    changed = requests.put(f"{server.url}/v2/apps/web?force={value}", json={"instances": 1},
                           timeout=10)
    assert changed.status_code == (200 if forced else 409)


@pytest.mark.parametrize(("query", "forced"), [("", True), ("?force=", True),
                                               ("?force=%20", True), ("?force=0", False),
                                               ("?force=False", False)])
def test_an_app_is_deleted_by_force_unless_force_reads_false(server, query, forced):
    """``AppsResource.delete``'s ``@DefaultValue("true") force``: absent or blank, the
    default; any value but ``true`` reads false, and a locked app is then refused."""
    requests.post(f"{server.url}/v2/apps", json={**_APP, "cpus": 64}, timeout=10)
    deleted = requests.delete(f"{server.url}/v2/apps/web{query}", timeout=10)
    assert deleted.status_code == (200 if forced else 409)


@pytest.mark.parametrize(("query", "instances"), [("", 3), ("?partialUpdate=true", 3),
                                                  ("?partialUpdate=0", 1),
                                                  ("?partialUpdate=FALSE", 1)])
def test_partial_update_reads_as_jersey_reads_a_boolean(server, query, instances):
    """``PUT /v2/apps/<id>``'s ``@DefaultValue("true") partialUpdate``: ``0`` and ``FALSE``
    are not ``true``, so the body replaces the app (its instance count falls back to the
    default, 1); the simulator merged unless the value was exactly ``false``."""
    requests.post(f"{server.url}/v2/apps", json={**_APP, "instances": 3}, timeout=10)
    server.step(30)
    changed = requests.put(f"{server.url}/v2/apps/web{query}", json={"cmd": "serve2"},
                           timeout=10)
    assert changed.status_code == 200
    app = requests.get(f"{server.url}/v2/apps/web", timeout=10).json()["app"]
    assert (app["cmd"], app["instances"]) == ("serve2", instances)


def test_the_queue_says_since_when_an_instance_waits_even_without_offers():
    """``since`` is ``LaunchStats``' ``startedAt``: the earliest time one of the app's
    waiting instances entered the launch queue, whether or not an offer came since. The
    simulator gave the time of the launch attempt's first offer, and the time of the
    request while none had come: here the only agent is lost, so none comes."""
    with serve("marathon", nodes=1, speed=0, epoch=EPOCH) as server:
        requests.post(f"{server.url}/v2/apps", json={**_APP, "instances": 1}, timeout=10)
        server.step(10)
        cluster = server.backend.cluster
        with server.lock:
            cluster.fail_agent(cluster.agents[0].name)
        server.step(300)
        [instance] = server.backend.marathon.instances("/web")
        assert instance.state == "Scheduled" and 10 < instance.scheduled_at < 300
        for _ in range(2):
            [item] = requests.get(f"{server.url}/v2/queue", timeout=10).json()["queue"]
            assert item["since"] == _stamp(instance.scheduled_at)
            assert item["processedOffersSummary"]["processedOffersCount"] == 0
            server.step(60)


def test_the_queue_delay_is_whole_seconds_left_cut_down(server):
    """``QueueDelay``'s ``timeLeftSeconds`` is ``math.max(0, timeLeft.toSeconds)``: a
    ``FiniteDuration`` cut to whole seconds, not rounded (the simulator said 1 for 0.6 s)."""
    requests.post(f"{server.url}/v2/apps", json={**_APP, "cpus": 64}, timeout=10)
    app = server.backend.marathon.apps["/web"]
    with server.lock:
        app.backoff.until = server.backend.now + 0.6
    [item] = requests.get(f"{server.url}/v2/queue", timeout=10).json()["queue"]
    assert item["delay"]["timeLeftSeconds"] == 0


def test_the_queue_delay_is_overdue_once_no_backoff_is_left(server):
    """``QueueDelay`` for an app with no backoff left is ``overdue`` with 0 seconds left:
    whether none was ever set (d2iq-archive/marathon PR #6886, MARATHON-8612), it ran out
    100 s ago, or ``DELETE /v2/queue/<id>/delay`` reset it; one 100 s ahead is not overdue
    (``QueueResourceTest``)."""
    requests.post(f"{server.url}/v2/apps", json={**_APP, "cpus": 64}, timeout=10)
    backoff = server.backend.marathon.apps["/web"].backoff

    def delay() -> dict:
        [item] = requests.get(f"{server.url}/v2/queue", timeout=10).json()["queue"]
        return item["delay"]

    assert delay() == {"timeLeftSeconds": 0, "overdue": True}
    for shift, expected in ((100, {"timeLeftSeconds": 100, "overdue": False}),
                            (-100, {"timeLeftSeconds": 0, "overdue": True})):
        with server.lock:
            backoff.delay, backoff.until = 100.0, server.backend.now + shift
        assert delay() == expected
    with server.lock:
        backoff.until = server.backend.now + 100
    assert requests.delete(f"{server.url}/v2/queue/web/delay", timeout=10).status_code == 204
    assert delay() == {"timeLeftSeconds": 0, "overdue": True}


def test_the_queue_delay_counts_whole_milliseconds_up_to_the_deadline(server):
    """A 5 s backoff set at simulated second 252.025 leaves 4.99999999999997 float seconds,
    which the queue cut to ``timeLeftSeconds`` 4; Marathon counts ``Timestamp``s in whole
    milliseconds: 5 at the failure, 0 and not overdue a millisecond before the deadline, and
    overdue from the deadline on, the millisecond launches resume."""
    requests.post(f"{server.url}/v2/apps", json={**_APP, "cpus": 64}, timeout=10)
    now = server.step(252.025)
    backoff = server.backend.marathon.apps["/web"].backoff
    with server.lock:
        backoff.seconds = 5.0
        until = backoff.add_delay(now)
    assert until - now < 5          # the float noise of simulated seconds

    def delay() -> dict:
        [item] = requests.get(f"{server.url}/v2/queue", timeout=10).json()["queue"]
        return item["delay"]

    assert delay() == {"timeLeftSeconds": 5, "overdue": False}
    server.step(until - now - 0.001)
    assert delay() == {"timeLeftSeconds": 0, "overdue": False}
    assert backoff.waiting(server.backend.now)
    server.step(0.001)
    assert delay() == {"timeLeftSeconds": 0, "overdue": True}
    assert not backoff.waiting(server.backend.now)


def test_a_waiting_pod_is_queued_as_a_pod():
    """``QueueInfoConversion`` writes a pod as a ``QueuePod``: its definition under ``pod``,
    as ``GET /v2/pods/<id>`` answers it. The queue wrote it under ``app``, as an app with the
    executor's resources added to the containers' (``cpus`` 64.1)."""
    pod = {"id": "/big", "containers": [{"name": "c", "resources": {"cpus": 64, "mem": 32},
                                         "exec": {"command": {"shell": "sleep 1"}}}]}
    with serve("marathon", nodes=1, speed=0, epoch=EPOCH) as server:
        assert requests.post(f"{server.url}/v2/pods", json=pod, timeout=10).status_code == 201
        server.step(5)
        [item] = requests.get(f"{server.url}/v2/queue", timeout=10).json()["queue"]
        assert "app" not in item
        assert item["pod"] == requests.get(f"{server.url}/v2/pods/big", timeout=10).json()
        assert item["count"] == 1


def test_the_queue_embeds_each_agents_last_unused_offer(server):
    """``?embed=lastUnusedOffers`` (``QueueResource.EmbedLastUnusedOffers``) adds, per app,
    each agent's last offer that launched nothing: the offer as ``OfferConversion`` writes
    it (resources with their role, the agent's attributes by type), why and when. The
    simulator ignored the embed."""
    requests.post(f"{server.url}/v2/apps", json={**_APP, "cpus": 64}, timeout=10)
    server.step(5)
    [plain] = requests.get(f"{server.url}/v2/queue", timeout=10).json()["queue"]
    assert "lastUnusedOffers" not in plain
    [item] = requests.get(f"{server.url}/v2/queue?embed=lastUnusedOffers",
                          timeout=10).json()["queue"]
    unused = item["lastUnusedOffers"]
    agents = {a.id: a for a in server.backend.cluster.agents}
    assert sorted(u["offer"]["agentId"] for u in unused) == sorted(agents)
    for each in unused:
        offer, agent = each["offer"], agents[each["offer"]["agentId"]]
        assert list(each) == ["offer", "reason", "timestamp"]
        assert each["reason"] == ["InsufficientCpus"] and offer["hostname"] == agent.hostname
        assert each["timestamp"] <= item["processedOffersSummary"]["lastUnusedOfferAt"]
        resources = {r["name"]: r for r in offer["resources"]}
        assert resources["cpus"] == {"name": "cpus", "role": "*", "scalar": 4}
        assert resources["ports"]["ranges"][0] == {"begin": 1025, "end": 2180}
        assert offer["attributes"] == [{"name": "rack", "text": agent.attributes["rack"]}]


_POD = {"id": "/db", "containers": [
    {"name": "db", "resources": {"cpus": 0.1, "mem": 32}, "exec": {"command": {
        "shell": "sleep 1000"}}}]}


@pytest.mark.parametrize("named", ["/other", "other", "db/../other"])
def test_a_pod_put_naming_another_pod_is_refused(server, named):
    """PodsResource.update compares the path's id with the body's once the pod is valid, and
    answers 400 naming both, the body's as written; the pod is left as it was (the simulator
    had deployed the body under the path's id)."""
    assert requests.post(f"{server.url}/v2/pods", json=_POD, timeout=10).status_code == 201
    answer = requests.put(f"{server.url}/v2/pods/db", json={**_POD, "id": named,
                                                             "labels": {"a": "b"}}, timeout=10)
    assert (answer.status_code, answer.json()) == (
        400, {"message": f"'/db' does not match definition's id ('{named}')"})
    assert "labels" not in requests.get(f"{server.url}/v2/pods/db", timeout=10).json()
    assert "/other" not in server.backend.marathon.root.run_specs


def test_a_pod_put_reads_its_id_and_validates_before_it_compares(server):
    """An id that is no string is Play's 422 at /id, as POST answers it; an invalid pod
    naming another id is refused as invalid (validateOrThrow comes first); the same id,
    relative, is the path's."""
    answer = requests.put(f"{server.url}/v2/pods/db", json={**_POD, "id": 3}, timeout=10)
    assert answer.status_code == 422 and answer.json()["details"] == [
        {"path": "/id", "errors": ["error.expected.jsstring"]}]
    invalid = requests.put(f"{server.url}/v2/pods/db", json={
        **_POD, "id": "/x", "networks": [{"mode": "host", "name": "h"}]}, timeout=10)
    assert (invalid.status_code, invalid.json()["message"]) == (422, "Object is not valid")
    assert requests.put(f"{server.url}/v2/pods/db", json={**_POD, "id": "db"},
                        timeout=10).status_code == 200       # created: still Response.ok


def test_an_app_put_takes_the_paths_id_over_the_bodys(server):
    """AppsResource.update reads the body with the path's id put over its own
    (canonicalAppUpdateFromJson), whole or partial: no app is made under the body's id."""
    assert requests.post(f"{server.url}/v2/apps", json=_APP, timeout=10).status_code == 201
    for partial in ("true", "false"):
        server.step(30)
        answer = requests.put(f"{server.url}/v2/apps/web?partialUpdate={partial}",
                              json={**_APP, "id": "/other", "instances": 1}, timeout=10)
        assert answer.status_code == 200
    assert set(server.backend.marathon.root.run_specs) == {"/web"}


@pytest.mark.parametrize(("containers", "error"), [([], "error.minLength"),
                                                    (3, "error.expected.jsarray")])
def test_a_pod_without_containers_is_refused_by_the_reader(server, containers, error):
    """``pod.raml`` has ``containers`` with ``minItems: 1``: the generated reader refuses an
    empty list before Accord's ``notEmpty`` (the loader's own words had been answered)."""
    answer = requests.post(f"{server.url}/v2/pods", json={**_POD, "containers": containers},
                           timeout=10)
    assert answer.status_code == 422
    assert answer.json() == {"message": "Invalid JSON", "details": [
        {"path": "/containers", "errors": [error]}]}


def test_a_pod_without_networks_is_answered_without_them(server):
    """A pod's networks default to none (``PodNormalization.DefaultNetworks``, unlike an
    app's host network) and ``pod.raml`` writes them ``omitEmpty``."""
    created = requests.post(f"{server.url}/v2/pods", json=_POD, timeout=10).json()
    assert "networks" not in created
    assert "networks" not in requests.get(f"{server.url}/v2/pods/db", timeout=10).json()


def test_a_served_clusters_event_logs_are_bounded_and_the_stream_goes_on(monkeypatch):
    """Marathon keeps no event history (its bus forgets each event once handed out); the
    served framework's and Mesos master's logs grew for as long as the server ran. They keep
    the last ``SERVED_EVENTS`` now, and a stream attached before a trim still gets each new
    event with its own payload (the payloads were found by place in the log)."""
    monkeypatch.setattr(marathonmonitor, "SERVED_EVENTS", 40)
    with serve("marathon", nodes=3, speed=0) as server:
        url = server.url
        with requests.get(f"{url}/v2/events", params={"event_type": "api_post_event"},
                          headers={"Accept": "text/event-stream"}, stream=True,
                          timeout=10) as events:
            lines = (line for line in events.iter_lines(decode_unicode=True)
                     if line.startswith("data: "))
            requests.post(f"{url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.1,
                                                  "mem": 16, "instances": 10}, timeout=10)
            posted = [next(lines)]          # read before the step trims it away
            server.step(120)
            requests.patch(f"{url}/v2/apps/web", json={"instances": 2},
                           params={"force": "true"}, timeout=10)
            posted = [json.loads(line[len("data: "):]) for line in [*posted, next(lines)]]
        framework, master = server.backend.marathon, server.backend.cluster
        assert 40 <= len(framework.events) <= 45 and 40 <= len(master.events) <= 45
        assert server.backend.bus.log.recorded > 60
    assert [(e["uri"], e["appDefinition"]["instances"]) for e in posted] == [
        ("/v2/apps", 10), ("/v2/apps/web", 2)]


def test_the_bus_holds_event_data_only_for_attached_streams():
    """Marathon's bus hands each event to the streams attached at that moment and keeps
    nothing for later ones. The served bus kept the data of every event still in the log
    (each finished deployment with its group tree, each api_post_event's app), about
    5 KiB a simulated minute under a scale a minute: it now keeps what an attached stream
    has still to read, nothing once the last stream has gone. Driven in process, the stream
    read by hand, so that its end is not left to the server's look for a closed socket."""
    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    backend = MarathonBackend(cluster, epoch=1.8e9)
    bus = backend.bus

    def call(method: str, path: str, body: object = None, accept: str = "application/json"):
        return backend.handle(Request(method, path, {}, {
            "content-type": "application/json", "accept": accept},
            b"" if body is None else json.dumps(body).encode()))

    def scale_a_few_times() -> None:
        for count in (3, 2, 3, 2):
            cluster.run(until=cluster.now + 60)
            assert call("PATCH", "/v2/apps/web", {"instances": count}).status == 200

    call("POST", "/v2/apps", {"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 16,
                              "instances": 2})
    scale_a_few_times()
    assert len(bus.payloads) + len(bus.ended) <= 1       # the last one, till the next
    server = SimpleNamespace(stopping=threading.Event(), lock=threading.RLock(),
                             catch_up=lambda: None)
    stream = call("GET", "/v2/events", accept="text/event-stream").stream(server)
    assert next(stream).startswith(b"event: event_stream_attached")
    scale_a_few_times()
    assert len(bus.ended) == 4 and len(bus.payloads) == 4   # each change's, not yet read
    frames = next(stream).decode()
    success = [json.loads(line[len("data: "):]) for line in frames.splitlines()
               if line.startswith("data: ") and '"deployment_success"' in line]
    assert [e["plan"]["steps"] for e in success] == [
        [{"actions": [{"action": "ScaleApplication", "app": "/web"}]}]] * 4
    stream.close()                                       # the client went away
    scale_a_few_times()
    assert len(bus.payloads) + len(bus.ended) <= 1


def test_a_stream_whose_client_left_before_its_head_was_sent_never_attaches():
    """A client that resets the connection right after ``GET /v2/events`` is gone before the
    server writes the answer's head, so the stream never starts. Its reader had been
    attached when the request was answered and stayed so for good (297 of 300 such
    clients in one run): the bus kept every event's data again. It attaches as the stream
    starts now, after the head, as Jetty's ``EventSourceServlet`` opens the stream once it
    has flushed the head. Driven in process: the answer's stream is never started."""
    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    backend = MarathonBackend(cluster, epoch=1.8e9)

    def call(method: str, path: str, body: object = None, accept: str = "application/json"):
        return backend.handle(Request(method, path, {}, {
            "content-type": "application/json", "accept": accept},
            b"" if body is None else json.dumps(body).encode()))

    call("POST", "/v2/apps", {"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 16,
                              "instances": 2})
    for _ in range(3):
        assert call("GET", "/v2/events", accept="text/event-stream").stream is not None
    for count in (3, 2, 3, 2):
        cluster.run(until=cluster.now + 60)
        assert call("PATCH", "/v2/apps/web", {"instances": count}).status == 200
    assert len(backend.bus.payloads) + len(backend.bus.ended) <= 1


def test_a_served_masters_offer_and_share_records_are_bounded_too(monkeypatch):
    """A Mesos master keeps no record of the offers it made once they are answered, nor of
    past dominant shares; the served master's records of both grew for as long as the
    server ran (one offer per agent every 120 s of Marathon's declines, one share each time
    the app scaled), though no route reads them. They keep the last ``SERVED_EVENTS``
    (here 12, which a scale every simulated minute outgrows)."""
    monkeypatch.setattr(marathonmonitor, "SERVED_EVENTS", 12)
    with serve("marathon", nodes=3, speed=0) as server:
        url = server.url
        requests.post(f"{url}/v2/apps", json={"id": "/web", "cmd": "serve", "cpus": 0.5,
                                              "mem": 64, "instances": 2}, timeout=10)
        for minute in range(30):
            server.step(60)
            requests.put(f"{url}/v2/apps/web", json={"instances": 3 if minute % 2 else 2},
                         timeout=10).raise_for_status()
        master = server.backend.cluster.master
        assert 12 <= len(master.offer_history) <= 13
        assert 12 <= len(master.share_history) <= 13
        assert master.share_history[0][0] > 60 * 10 and master.offer_history[0].time > 60 * 10
