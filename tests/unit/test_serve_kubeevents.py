"""The served Events kept from one read to the next (clustersim.serve.kubeevents): what a
read aggregates since the last is what the whole log makes, versions included, and a page
or a list selected by its object's name renders its own Events only, a GET its one, and a
read after a change those changed."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.serve import kubelists, serve
from clustersim.serve.core import HttpError, Request
from clustersim.serve.kubeevents import EVENT_TTL, EventStore
from clustersim.serve.kubernetes import KubernetesBackend
from clustersim.serve.selectors import selected_value
from tests.unit.test_serve_core import _request

TABLE = {"accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}


def _deployment(name: str, namespace: str, replicas: int, cpu: str = "10m") -> dict:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                         {"name": "c", "image": "nginx",
                          "resources": {"requests": {"cpu": cpu}}}]}}}}


def _call(backend: KubernetesBackend, path: str, method: str = "GET",
          headers: dict | None = None) -> bytes:
    url = urlsplit(path)
    response = backend.handle(Request(method, url.path, parse_qs(url.query), headers or {}))
    assert response.status == 200, response.body
    return response.body


def _busy_cluster() -> KubernetesCluster:
    """Events of every kind of change: Pods' (counted when repeated), a Pod the scheduler
    cannot place (a series), a provisioned claim (its Events name their source from it),
    in two namespaces."""
    cluster = KubernetesCluster(default_nodes(4), seed=0)
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    cluster.create(_deployment("w", "default", 12))
    cluster.create(_deployment("big", "team", 3, cpu="64"))
    cluster.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                    "metadata": {"name": "data", "namespace": "default"},
                    "spec": {"accessModes": ["ReadWriteOnce"],
                             "resources": {"requests": {"storage": "1Gi"}}}})
    cluster.run(until=30)
    return cluster


def _steps(cluster: KubernetesCluster, backend: KubernetesBackend):
    """Changes between reads: a scale-up, a claim deleted, series refreshed and finished,
    a namespace deleted, new Events after it."""
    yield
    cluster.scale("Deployment", "w", 20)
    cluster.run(until=100)
    yield
    _call(backend, "/api/v1/namespaces/default/persistentvolumeclaims/data", "DELETE")
    cluster.run(until=500)
    yield
    cluster.run(until=2500)
    yield
    _call(backend, "/api/v1/namespaces/team", "DELETE")
    cluster.run(until=2600)
    yield
    cluster.create(_deployment("again", "default", 2))
    cluster.run(until=2700)
    yield


def test_events_kept_between_reads_are_those_the_whole_log_makes():
    """After each change, the Events listed are, byte for byte and with the same
    resourceVersions, those made again from the whole log: made again, each one's digest
    is found again, and one the kept Events failed to update would take a new version."""
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    store = backend.renderer.event_store
    for _ in _steps(cluster, backend):
        kept = [_call(backend, "/api/v1/events", headers=headers) for headers in (None, TABLE)]
        store.stale = True
        again = [_call(backend, "/api/v1/events")]
        assert store.rebuilt
        again.append(_call(backend, "/api/v1/events", headers=TABLE))
        assert again == kept
    names = {item["metadata"]["namespace"] for item in json.loads(kept[0])["items"]}
    assert names == {"default"}             # the namespace deleted took its Events along


def test_an_event_recorded_at_a_time_before_the_last_read_is_counted_as_the_log_says():
    """The broadcaster's clock runs to each read's now; an event the log gives an earlier
    time, recorded after that read, is aggregated as the whole log aggregates it (here a
    repeat of a Pod's ``Scheduled``, counted in its series while the broadcaster still
    held it at that time), not as a new Event after the series was forgotten."""
    cluster = KubernetesCluster(default_nodes(4), seed=0)
    cluster.create(_deployment("w", "default", 3))
    cluster.run(until=30)
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    cluster.run(until=2000)
    _call(backend, "/api/v1/events")
    scheduled = cluster.events.where(reason="Scheduled")[-1]
    cluster.events.record(cluster.events[-1].time, scheduled.object, scheduled.reason,
                          scheduled.message, scheduled.type, namespace=scheduled.namespace,
                          uid=scheduled.uid)
    kept = json.loads(_call(backend, "/api/v1/events"))
    backend.renderer.event_store.stale = True
    assert json.loads(_call(backend, "/api/v1/events")) == kept
    assert [e["series"]["count"] for e in kept["items"] if "series" in e] == [2]


def test_a_list_continued_after_events_changed_reads_them_as_they_were():
    """A ``continue`` token's rest is read at its revision (etcd's history): after a
    scale-up has added Events and counted others, the chunk after the token is the one the
    list had then, the Events kept unchanged and the states the history kept of the
    changed ones together."""
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    then = json.loads(_call(backend, "/api/v1/events"))["items"]
    then.sort(key=lambda e: f"{e['metadata']['namespace']}/{e['metadata']['name']}")
    tokens = [json.loads(_call(backend, f"/api/v1/events?limit={limit}"))["metadata"][
        "continue"] for limit in range(1, len(then))]
    cluster.scale("Deployment", "w", 20)
    cluster.run(until=100)
    now = {e["metadata"]["name"]: e for e in json.loads(_call(backend, "/api/v1/events"))[
        "items"]}
    changed = [at for at, e in enumerate(then) if now[e["metadata"]["name"]] != e]
    assert len(now) > len(then) and changed
    first = changed[0]
    start = max(first - 2, 1)               # a chunk of unchanged and changed Events
    rest = json.loads(_call(backend, f"/api/v1/events?limit=5&continue={tokens[start - 1]}"))
    assert rest["items"] == then[start:start + 5]


def test_a_page_renders_its_own_events_only(monkeypatch):
    """A chunk of a list (kubectl's ``limit=500``) renders the Events it returns, and a
    list selected by ``involvedObject.name`` (``kubectl describe``'s) those of that object,
    once the Events are kept: neither renders every Event again."""
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster)
    everything = json.loads(_call(backend, "/api/v1/events"))["items"]
    shown = []
    original = EventStore.shown
    monkeypatch.setattr(EventStore, "shown",
                        lambda self, item: shown.append(item) or original(self, item))
    body = json.loads(_call(backend, "/api/v1/events?limit=5", headers=TABLE))
    assert len(body["rows"]) == 5 and len(shown) == 5 and body["metadata"]["continue"]
    shown.clear()
    pod = next(e["involvedObject"]["name"] for e in everything
               if e["involvedObject"]["kind"] == "Pod")
    selector = quote(f"involvedObject.name={pod},involvedObject.namespace=default,"
                     "involvedObject.kind=Pod")
    selected = json.loads(_call(backend, f"/api/v1/events?fieldSelector={selector}"))["items"]
    assert selected == [e for e in everything if e["involvedObject"]["name"] == pod]
    assert len(shown) == len(selected) > 1


@pytest.mark.parametrize("path", ["/api/v1/namespaces/default/events", "/api/v1/events"])
def test_the_chunks_of_a_list_of_events_are_the_list(path):
    """A namespace's Events are chunked in the order they are kept (found by bisection),
    all namespaces' after sorting by their storage keys: either way the chunks, walked
    with their ``continue`` tokens, are the list in the order of its keys."""
    backend = KubernetesBackend(_busy_cluster(), epoch=1.7e9)
    whole = json.loads(_call(backend, path))["items"]
    whole.sort(key=lambda e: f"{e['metadata']['namespace']}/{e['metadata']['name']}")
    for limit in (1, 4, 7):
        chunks, token = [], ""
        for _ in range(len(whole) // limit + 1):
            body = json.loads(_call(backend, f"{path}?limit={limit}&continue={token}"))
            chunks += body["items"]
            token = body["metadata"].get("continue")
            if not token:
                break
        assert chunks == whole and not token


@pytest.mark.parametrize(("text", "value"), [
    ("involvedObject.name=web-1,involvedObject.kind=Pod", "web-1"),
    ("involvedObject.kind=Node,involvedObject.name==worker-17", "worker-17"),
    (r"involvedObject.name=a\,b", "a,b"),
    ("involvedObject.name!=web-1", None),
    ("reason=Started", None),
    (None, None),
])
def test_the_value_a_field_selector_requires_of_a_field(text, value):
    assert selected_value(text, "involvedObject.name") == value


def _key(event: dict) -> str:
    return f"{event['metadata']['namespace']}/{event['metadata']['name']}"


def test_events_of_every_namespace_come_in_etcds_order_without_sorting(monkeypatch):
    """etcd orders the keys ``namespace/name`` as bytes: ``team-a/...`` before ``team/...``
    (``-`` sorts before ``/``), unlike the pairs (namespace, name). The store keeps that
    order, so a chunk of every namespace's Events finds its start by bisection, as a
    namespace's does, instead of sorting every key."""
    cluster = _busy_cluster()
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}})
    cluster.create(_deployment("small", "team-a", 2))
    cluster.run(until=40)
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    whole = json.loads(_call(backend, "/api/v1/events"))["items"]
    assert [_key(e) for e in whole] == sorted(_key(e) for e in whole)
    assert {e["metadata"]["namespace"] for e in whole} >= {"team", "team-a"}
    keys = []
    original = kubelists._storage_key
    monkeypatch.setattr(kubelists, "_storage_key",
                        lambda obj, across: keys.append(obj) or original(obj, across))
    chunks, token = [], ""
    while True:
        body = json.loads(_call(backend, f"/api/v1/events?limit=7&continue={token}"))
        chunks += body["items"]
        token = body["metadata"].get("continue")
        if not token:
            break
    assert chunks == whole
    assert len(keys) < 2 * len(whole)        # sorting each chunk's list would be |whole| each


def test_a_get_renders_its_one_event(monkeypatch):
    """``kubectl get event NAME`` shows the Event of that key, rendered alone."""
    backend = KubernetesBackend(_busy_cluster(), epoch=1.7e9)
    listed = json.loads(_call(backend, "/api/v1/namespaces/team/events"))["items"]
    rendered = []
    original = KubernetesBackend._event_item
    monkeypatch.setattr(KubernetesBackend, "_event_item",
                        lambda self, item: rendered.append(item) or original(self, item))
    name = listed[-1]["metadata"]["name"]
    one = json.loads(_call(backend, f"/api/v1/namespaces/team/events/{name}"))
    assert one == listed[-1] and len(rendered) == 1
    with pytest.raises(HttpError) as refused:       # another namespace's name
        backend.handle(Request("GET", f"/api/v1/namespaces/default/events/{name}", {}, {}))
    assert refused.value.status == 404


def test_a_read_after_a_change_renders_the_changed_events_only(monkeypatch):
    """What every watch's look and an unpaged list read go through: an Event shown before
    and unchanged since is not made again (its version is looked up), so a look after a
    change renders the Events it changed or added."""
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    before = {_key(e): e for e in json.loads(_call(backend, "/api/v1/events"))["items"]}
    cluster.scale("Deployment", "w", 14)
    cluster.run(until=60)
    shown = []
    original = EventStore._show
    monkeypatch.setattr(EventStore, "_show",
                        lambda self, item: shown.append(item) or original(self, item))
    after = json.loads(_call(backend, "/api/v1/events"))["items"]
    changed = [e for e in after if before.get(_key(e)) != e]
    assert 0 < len(changed) < len(after) // 2
    assert len(shown) == len(changed)


def _listed(backend: KubernetesBackend) -> list[dict]:
    return json.loads(_call(backend, "/api/v1/events"))["items"]


def test_an_event_expires_an_event_ttl_after_its_last_write():
    """Every write of an Event gives it ``--event-ttl`` (1 h) in etcd (``TTLFunc`` in
    kubernetes/kubernetes ``pkg/registry/core/event/storage/storage.go``): the Events of the
    first 30 s are there until an hour after the last of them, then gone, a GET of one a
    404, while the FailedScheduling
    series of the Pods that never fit, written again every 30 minutes, stays; the kept
    Events are those a store made again from the whole log keeps. The served Events had
    been kept for ever."""
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    first = _listed(backend)
    early = next(e for e in first if e["reason"] == "Scheduled")
    written = max(e["metadata"]["creationTimestamp"] for e in first)
    last = cluster.events[-1].time
    cluster.run(until=last + EVENT_TTL - 1)
    assert {e["reason"] for e in _listed(backend)} > {"FailedScheduling", "Started"}
    cluster.run(until=last + EVENT_TTL)
    kept = _listed(backend)
    assert all(e["metadata"]["creationTimestamp"] > written
               or e["reason"] == "FailedScheduling" for e in kept)
    assert {e["involvedObject"]["name"] for e in kept if e["reason"] == "FailedScheduling"} \
        == {e["involvedObject"]["name"] for e in first if e["reason"] == "FailedScheduling"}
    with pytest.raises(HttpError) as gone:
        backend.handle(Request("GET", f"/api/v1/namespaces/default/events/"
                               f"{early['metadata']['name']}", {}, {}))
    assert gone.value.status == 404
    backend.renderer.event_store.stale = True
    assert [e["metadata"]["name"] for e in _listed(backend)] == [
        e["metadata"]["name"] for e in kept]


def test_past_the_cap_the_events_written_longest_ago_go_first(monkeypatch):
    """A safety limit of the simulator's (:data:`MAX_KEPT_EVENTS`): the Events kept are the
    last written."""
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    every = _listed(backend)
    monkeypatch.setattr("clustersim.serve.kubeevents.MAX_KEPT_EVENTS", 10)
    backend.renderer.event_store.stale = True
    kept = _listed(backend)
    assert len(kept) == 10
    latest = sorted(every, key=lambda e: e.get("lastTimestamp") or e.get("eventTime"))[-10:]
    assert {e["metadata"]["name"] for e in kept} <= {e["metadata"]["name"] for e in every}
    assert min(e.get("lastTimestamp") or e["eventTime"] for e in kept) >= min(
        e.get("lastTimestamp") or e["eventTime"] for e in latest)


def test_events_after_the_log_dropped_its_oldest_are_made_and_keep_their_names(monkeypatch):
    """The cluster's log keeps its last MAX_LOGGED_EVENTS (here 60, which the busy cluster
    outgrows before it is served): the store reads on from the number of the log's next
    event, and names each Event after its event's number, which older events dropped do
    not change. It had counted the log's kept events instead: past the cap it read nothing
    new (the new Deployment's Pods had no Event), and a store made again named the Events
    it kept anew."""
    monkeypatch.setattr("clustersim.sim.events.MAX_LOGGED_EVENTS", 60)
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    first = {e["metadata"]["name"] for e in _listed(backend)}
    cluster.create(_deployment("again", "default", 2))
    cluster.run(until=100)
    listed = _listed(backend)
    scheduled = {e["involvedObject"]["name"] for e in listed if e["reason"] == "Scheduled"}
    assert len({name for name in scheduled if name.startswith("again-")}) == 2
    assert first <= {e["metadata"]["name"] for e in listed}
    assert cluster.events.dropped > 0 and len(cluster.events) <= 60 + 60 // 8
    backend.renderer.event_store.stale = True       # made again from the events kept
    again = _listed(backend)
    assert {e["metadata"]["name"] for e in again} <= {e["metadata"]["name"] for e in listed}
    assert any(e["involvedObject"]["name"].startswith("again-") for e in again)


def test_the_references_of_events_the_log_dropped_are_let_go(monkeypatch):
    """An event's references wait for its objects' next render; once the log drops the
    event (here past 60), they are let go with the versions found for it, which had been
    kept for every event ever recorded, and a render no longer looks the event up (it had
    looked up whichever event then had its index)."""
    monkeypatch.setattr("clustersim.sim.events.MAX_LOGGED_EVENTS", 60)
    cluster = _busy_cluster()
    backend = KubernetesBackend(cluster, epoch=1.7e9)
    _listed(backend)
    cluster.create(_deployment("again", "default", 2))
    cluster.run(until=100)
    pods = [p["metadata"]["name"] for p in cluster.objects("Pod")]
    waiting = next(name for name in pods if name.startswith("again-"))
    _call(backend, f"/api/v1/namespaces/default/pods/{pods[0]}")   # notes the new events
    assert ("pod", waiting) in backend.renderer._unstamped
    cluster.create(_deployment("more", "default", 20))
    cluster.run(until=200)
    _call(backend, f"/api/v1/namespaces/default/pods/{waiting}")
    dropped = cluster.events.dropped
    assert all(number >= dropped for number in backend.renderer.referenced)
    assert all(number >= dropped for waiting in backend.renderer._unstamped.values()
               for number, _ in waiting)


def test_a_watch_is_sent_new_events_in_the_order_they_were_written():
    """etcd numbers each write of an Event as it comes, so a watch (``kubectl get events
    -w``, ``kubectl events -w``) is sent a rollout's Events in the order they happened:
    the Deployment's ScalingReplicaSet, the ReplicaSet's SuccessfulCreate, then the Pods'
    Scheduled, Pulling... The served watch had sent the Events of one look in the order of
    their names, each Pod's before its ReplicaSet's and its Deployment's."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        events = "/api/v1/namespaces/default/events"
        version = json.loads(_request(server, "GET", events)[1])["metadata"]["resourceVersion"]
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", f"{events}?watch=1&timeoutSeconds=2&resourceVersion={version}")
        answer = conn.getresponse()
        body = json.dumps(_deployment("web", "default", 2)).encode()
        status, _ = _request(server, "POST", "/apis/apps/v1/namespaces/default/deployments",
                             body, {"content-type": "application/json"})
        assert status == 201
        time.sleep(0.3)
        server.step(30)
        sent = [json.loads(line) for line in answer if line.strip()]
        conn.close()
    added = [e["object"] for e in sent if e["type"] == "ADDED"]
    reasons = [e["reason"] for e in added]
    assert reasons.index("ScalingReplicaSet") < reasons.index("SuccessfulCreate") \
        < reasons.index("Scheduled") < reasons.index("Pulling") < reasons.index("Started")
    versions = [int(e["metadata"]["resourceVersion"]) for e in added]
    assert versions == sorted(versions)
