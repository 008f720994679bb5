"""``docker events`` on the simulated swarm (``clustersim.serve.dockerevents``), through
Docker's Python SDK and plain HTTP: the swarm's store changes as a manager's daemon publishes
them (moby ``daemon/events.go``), ``since``, ``until``, ``filters``, the daemon's refusals,
and a stream that ends when its client goes. The docker CLI's ``docker events`` is in
test_serve_docker_cli.py."""

from __future__ import annotations

import http.client
import json
import queue
import threading
from collections.abc import Iterator

import docker
import pytest
import requests
from docker.types import ServiceMode

from clustersim.serve import serve

EPOCH = 1_765_000_000.25


@pytest.fixture
def swarm():
    """A served swarm whose simulated second 0 is Unix time :data:`EPOCH`, and Docker's SDK
    on it."""
    with serve("swarm", nodes=3, speed=0, epoch=EPOCH) as server:
        client = docker.DockerClient(base_url=server.docker_host, version="auto", timeout=10)
        try:
            yield server, client
        finally:
            client.close()


def _unix(server, seconds: float) -> float:
    return server.backend.clock.unix(seconds)


def _now(server) -> str:
    """The daemon's clock as a Unix time: an ``until`` there ends the stream with the kept
    events (the simulated clock stands still between steps)."""
    return f"{_unix(server, server.backend.now):.6f}"


def _history(server, client):
    """A service created, updated to a new image (a rolling update), scaled, one worker down
    and back, the service removed; returns the service's and the worker's IDs."""
    service = client.services.create("nginx:1.27", name="web",
                                     mode=ServiceMode("replicated", replicas=2))
    server.step(30)
    service.update(image="nginx:1.28")
    server.step(120)
    service.reload()
    service.scale(3)
    server.step(30)
    with server.lock:
        server.cluster.fail_node("worker-1")
    server.step(60)
    with server.lock:
        server.cluster.recover_node("worker-1")
    server.step(10)
    service.remove()
    server.step(10)
    node_id = client.nodes.get("worker-1").id
    return service.id, node_id


def _seen(events) -> list[tuple[str, str, str, dict[str, str]]]:
    return [(e["Type"], e["Action"], e["Actor"]["ID"], e["Actor"]["Attributes"])
            for e in events]


def test_a_services_life_and_a_nodes_failure_as_a_manager_publishes_them(swarm):
    """Each store change of the service and the node, with what changed (moby
    ``logServiceEvent``, ``logNodeEvent``): the image, the update state the updater writes
    (``.new`` alone after an update reset it), the replica count, the node's state. Tasks
    are not watched: the worker's tasks that died and were replaced show nothing."""
    server, client = swarm
    service_id, node_id = _history(server, client)
    events = list(client.events(decode=True, since=0, until=_now(server)))
    assert _seen(events) == [
        ("service", "create", service_id, {"name": "web"}),
        ("service", "update", service_id,
         {"name": "web", "image.old": "nginx:1.27", "image.new": "nginx:1.28"}),
        ("service", "update", service_id, {"name": "web", "updatestate.new": "updating"}),
        ("service", "update", service_id,
         {"name": "web", "updatestate.old": "updating", "updatestate.new": "completed"}),
        ("service", "update", service_id,
         {"name": "web", "replicas.old": "2", "replicas.new": "3"}),
        ("node", "update", node_id, {"name": "worker-1", "state.old": "ready",
                                     "state.new": "down"}),
        ("node", "update", node_id, {"name": "worker-1", "state.old": "down",
                                     "state.new": "ready"}),
        ("service", "remove", service_id, {"name": "web"})]
    assert {e["scope"] for e in events} == {"swarm"}
    down = next(e for e in server.cluster.events if e.reason == "NodeDown")
    [message] = [e for e in events if e["Actor"]["Attributes"].get("state.new") == "down"]
    assert message["timeNano"] == round(_unix(server, down.time) * 1e6) * 1000
    assert message["time"] == message["timeNano"] // 10**9


def test_since_and_until_choose_the_kept_events_in_range(swarm):
    """``since`` and ``until`` are Unix times (seconds, with a fraction); an event at either
    end is in; without either the kept events are not sent at all."""
    server, client = swarm
    _history(server, client)
    log = server.cluster.events
    down = next(e for e in log if e.reason == "NodeDown").time
    ready = [e for e in log if e.reason == "NodeReady"][-1].time
    at_down = f"{_unix(server, down):.6f}"
    at_ready = f"{_unix(server, ready):.6f}"
    got = list(client.events(decode=True, since=at_down, until=at_ready))
    assert [e["Actor"]["Attributes"]["state.new"] for e in got] == ["down", "ready"]
    after = f"{_unix(server, down) + 1e-6:.6f}"
    got = list(client.events(decode=True, since=after, until=at_ready))
    assert [e["Actor"]["Attributes"]["state.new"] for e in got] == ["ready"]
    http = requests.get(f"{server.url}/v1.44/events", timeout=10,
                        params={"until": f"{_unix(server, down) - 1e-6:.6f}"})
    assert [_seen([e])[0][:2] for e in map(json.loads, http.text.splitlines())] == \
        [("service", "create"), ("service", "update"), ("service", "update"),
         ("service", "update"), ("service", "update")]
    assert http.headers["Content-Type"] == "application/json"


def test_filters_by_type_name_event_and_label(swarm):
    """``filters`` as the daemon's event filter reads them: ``type`` and ``event`` exactly,
    a kind's name or ID by prefix (applied to every event, whatever its type), ``label``
    against the attributes."""
    server, client = swarm
    service_id, node_id = _history(server, client)
    until = _now(server)

    def seen(**filters):
        return [(e["Type"], e["Action"]) for e in
                client.events(decode=True, since=0, until=until, filters=filters)]

    assert seen(type="node") == [("node", "update")] * 2
    assert seen(type="service", event="remove") == [("service", "remove")]
    assert seen(service="we") == seen(type="service")
    assert seen(service=service_id[:5]) == seen(type="service")
    assert seen(node=node_id) == seen(type="node")
    assert seen(label="replicas.new=3") == [("service", "update")]
    assert seen(label="replicas.new=4") == []
    assert seen(scope="local") == []


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"since": "abc"}, 500, 'strconv.ParseInt: parsing "abc": invalid syntax'),
    ({"until": "10.x"}, 500, 'strconv.ParseInt: parsing "x": invalid syntax'),
    ({"since": "20", "until": "10"}, 400,
     "`since` time (20) cannot be after `until` time (10)"),
    ({"filters": "{"}, 400, "invalid filter '{'"),
])
def test_the_daemons_refusals(swarm, params, status, message):
    """moby's ``getEvents``: a time ``ParseTimestamps`` cannot read is strconv's plain
    error (a 500), an ``until`` before ``since`` the router's 400."""
    server, _ = swarm
    answer = requests.get(f"{server.url}/v1.44/events", params=params, timeout=10)
    assert (answer.status_code, answer.json()) == (status, {"message": message})


def _reader(stream: Iterator[dict]) -> queue.Queue:
    """The events of ``stream``, read in a thread (the SDK reads without a timeout, and an
    event that never comes must not hang the run); None once it ends."""
    got: queue.Queue = queue.Queue()

    def read() -> None:
        try:
            for event in stream:
                got.put(event)
        finally:
            got.put(None)

    threading.Thread(target=read, daemon=True).start()
    return got


def test_a_stream_sends_new_events_and_ends_when_the_client_goes(swarm):
    """Without ``until`` the stream stays open and sends each new event as the simulator
    records it; when the client closes it, the server's thread for it ends (a quiet
    stream looks for the hang-up at each poll, not only when it has something to write)."""
    server, _ = swarm
    own = docker.DockerClient(base_url=server.docker_host, version="1.44", timeout=10)
    before = set(threading.enumerate())
    stream = own.events(decode=True)
    got = _reader(stream)
    _, client = swarm
    client.services.create("nginx:1.27", name="web")
    assert got.get(timeout=20)["Action"] == "create"
    serving = [t for t in set(threading.enumerate()) - before
               if "connection from port" in t.name]
    assert serving
    stream.close()
    own.close()
    for thread in serving:
        thread.join(timeout=20)
        assert not thread.is_alive(), "the stream's thread outlived its client"


def test_a_stream_with_until_ends_once_the_clock_passes_it(swarm):
    """An ``until`` ahead of the daemon's clock: the stream sends what comes until then
    and ends when simulated time passes it, not an event later."""
    server, client = swarm
    until = f"{_unix(server, server.backend.now + 20):.6f}"
    got = _reader(client.events(decode=True, until=until))
    client.services.create("nginx:1.27", name="web")
    server.step(30)
    client.services.get("web").scale(2)
    assert got.get(timeout=20)["Action"] == "create"
    assert got.get(timeout=20) is None


def test_swarm_networks_secrets_and_configs_written_through_the_api(swarm):
    """What the API writes beside the simulator's services: a swarm network, a secret and a
    config created and removed, each with its name alone (moby ``logNetworkEvent``,
    ``logSecretEvent``, ``logConfigEvent``); a local network's events are not served."""
    server, client = swarm
    network = client.networks.create("backend", driver="overlay")
    client.networks.create("mine", driver="bridge").remove()
    secret = client.secrets.create(name="token", data=b"s3cret")
    config = client.configs.create(name="site", data=b"listen 80")
    server.step(5)
    network.remove()
    client.secrets.get(secret.id).remove()
    client.configs.get(config.id).remove()
    got = _seen(client.events(decode=True, since=0, until=_now(server)))
    assert got == [("network", "create", network.id, {"name": "backend"}),
                   ("secret", "create", secret.id, {"name": "token"}),
                   ("config", "create", config.id, {"name": "site"}),
                   ("network", "remove", network.id, {"name": "backend"}),
                   ("secret", "remove", secret.id, {"name": "token"}),
                   ("config", "remove", config.id, {"name": "site"})]


def test_a_client_may_ask_again_after_an_events_stream_ends(swarm):
    """A stream that ends at its ``until`` ends its chunked body and leaves the connection
    open, as the daemon's (Go's ``net/http`` once ``getEvents`` returns): the next request
    is answered on the same connection. The server had closed it after every stream (and
    said ``Connection: close``, since Docker's SDK had sent its next request on it)."""
    server, client = swarm
    client.services.create("nginx:1.27", name="web")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", f"/v1.44/events?since=0&until={_now(server)}")
        answer = connection.getresponse()
        assert answer.getheader("Connection") is None
        assert answer.getheader("Transfer-Encoding") == "chunked"
        assert [json.loads(line)["Action"] for line in answer.read().splitlines()] == \
            ["create"]
        kept = connection.sock
        assert kept is not None
        connection.request("GET", "/_ping")
        assert connection.getresponse().read() == b"OK"
        assert connection.sock is kept
    finally:
        connection.close()
    for _ in range(20):
        assert len(list(client.events(decode=True, since=0, until=_now(server)))) == 1


def test_a_node_update_event_names_the_node_by_the_name_it_sends(swarm):
    """A node's event names it by its spec's ``Name`` when it has one, else its hostname
    (``logNodeEvent``); the update that sets the name is named by it (the name was stored
    only after the simulator had recorded the update)."""
    server, client = swarm
    node = client.nodes.get("worker-1")
    node.update({"Name": "edge", "Availability": "drain", "Role": "worker", "Labels": {}})
    [event] = client.events(decode=True, since=0, until=_now(server))
    assert event["Actor"]["Attributes"] == {"name": "edge", "availability.old": "active",
                                            "availability.new": "drain"}


def test_an_update_that_changes_nothing_is_published_and_versioned(swarm):
    """swarmkit's ``UpdateService`` stores every update: one with the spec the service
    already has takes a new version, keeps that spec as its previous one, and the daemon
    publishes a ``service update`` with the name alone; no task is replaced. ``--force``
    (the SDK's ``force_update``) raises ForceUpdate, and its rolling update is published
    as any other."""
    server, client = swarm
    service = client.services.create("nginx:1.27", name="web",
                                     mode=ServiceMode("replicated", replicas=2))
    server.step(30)
    service.reload()
    before = service.version
    tasks = {t["ID"] for t in service.tasks()}
    service.update()
    server.step(30)
    service.reload()
    assert service.version > before
    assert service.attrs["PreviousSpec"]["TaskTemplate"] == service.attrs["Spec"]["TaskTemplate"]
    assert {t["ID"] for t in service.tasks()} == tasks
    got = _seen(client.events(decode=True, since=0, until=_now(server)))
    assert got == [("service", "create", service.id, {"name": "web"}),
                   ("service", "update", service.id, {"name": "web"})]
    service.update(force_update=True)
    server.step(120)
    got = _seen(client.events(decode=True, since=0, until=_now(server)))
    assert [attributes for *_, attributes in got[2:]] == [
        {"name": "web"}, {"name": "web", "updatestate.new": "updating"},
        {"name": "web", "updatestate.old": "updating", "updatestate.new": "completed"}]


def test_a_promotion_is_two_node_updates_the_second_with_the_role(swarm):
    """``docker node promote`` writes the node's spec, then swarmkit's role manager writes
    its role: two ``node update`` events, and only the second says ``role.old`` and
    ``role.new`` (the daemon compares the role the node has, not the one its spec asks)."""
    server, client = swarm
    node = client.nodes.get("worker-1")
    node.update({"Availability": "drain", "Role": "manager", "Labels": {}})
    got = [attributes for *_, attributes in
           _seen(client.events(decode=True, since=0, until=_now(server)))]
    assert got == [{"name": "worker-1", "availability.old": "active",
                    "availability.new": "drain"},
                   {"name": "worker-1", "role.old": "worker", "role.new": "manager"}]


def test_a_stream_the_server_ends_by_stopping_closes_its_connection():
    """A stream that ends because the server stops ends its body and closes the
    connection, where one that ends at its ``until`` keeps it for the next request."""
    server = serve("swarm", nodes=1, speed=0, epoch=EPOCH)
    server.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/v1.44/events")
        answer = connection.getresponse()
        assert answer.status == 200
        server.stop()
        assert answer.read() == b""
        assert connection.sock is not None
        assert connection.sock.recv(1) == b""
    finally:
        connection.close()
        server.stop()
