"""The watch cache's window of each kind's changes (clustersim.serve.kubewatchcache), after
k8s.io/apiserver ``pkg/storage/cacher/watch_cache.go``: its ring buffer's growth, shrinking
and evictions (``updateCache``, ``resizeCacheLocked``) and the 410 of a watch from before it
(``getAllEventsSinceLocked``), and the served watch's ERROR event."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator

from clustersim.serve import serve
from clustersim.serve.core import Request
from clustersim.serve.kubewatchcache import (
    BOOKMARK_FREQUENCY,
    Change,
    WatchCache,
    next_bookmark,
)

_CHANGE = Change("MODIFIED", ("default", "p", "uid"), [0, None])
"""An event the window's sizing tests record (what it holds plays no part in them)."""


def test_a_watch_from_the_cache_s_list_on_is_served_until_an_event_leaves():
    cache = WatchCache(listed=10)
    for second in range(100):               # 100 events, 1 s apart: full, nothing evicted
        cache.record("Pod", float(second), 11 + second, _CHANGE)
    assert cache.too_old("Pod", 10) is None
    assert cache.too_old("Pod", 9) == "too old resource version: 9 (10)"
    cache.record("Pod", 100.0, 111, _CHANGE)          # full, the oldest 100 s old: it leaves
    assert cache.too_old("Pod", 10) == "too old resource version: 10 (11)"
    assert cache.too_old("Pod", 11) is None
    assert cache.too_old("ConfigMap", 10) is None       # each kind has its own window


def test_a_full_window_of_fresh_events_doubles_instead_of_evicting():
    cache = WatchCache(listed=1)
    for event in range(101):                # 101 events in 50 s: the window grows to 200
        cache.record("Pod", event / 2, 2 + event, _CHANGE)
    assert cache.too_old("Pod", 1) is None


def test_a_full_window_whose_newest_quarter_is_stale_halves_keeping_the_newest():
    cache = WatchCache(listed=1)
    revisions = iter(range(2, 10_000))
    for event in range(101):                # grows to 200
        cache.record("Pod", event / 2, next(revisions), _CHANGE)
    for event in range(99):                 # full at 200, the last quarter long past
        cache.record("Pod", 1000.0 + event, next(revisions), _CHANGE)
    cache.record("Pod", 5000.0, next(revisions), _CHANGE)   # halves to 100, then lets one go
    # 201 events kept as the newest 100 (the 102nd on), whose oldest, revision 103, is the
    # first a watch may start after
    assert cache.too_old("Pod", 101) == "too old resource version: 101 (102)"
    assert cache.too_old("Pod", 102) is None


def _configmap(server, name: str, labels: dict[str, str] | None = None) -> dict:
    request = urllib.request.Request(
        f"{server.url}/api/v1/namespaces/default/configmaps", method="POST",
        data=json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                         "metadata": {"name": name, **({"labels": labels} if labels else {})}}
                        ).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _watch(server, version: str) -> tuple[int, dict]:
    """The status and first event of a watch of ConfigMaps from ``version``."""
    with urllib.request.urlopen(f"{server.url}/api/v1/namespaces/default/configmaps?"
                                f"watch=1&resourceVersion={version}&timeoutSeconds=1",
                                timeout=30) as answer:
        return answer.status, json.loads(answer.readline())


def test_a_watch_from_before_the_window_gets_one_expired_error_event():
    """The cacher answers 200 and sends the 410 as the watch's one ERROR event
    (``newErrWatcher``); a watch from a version in the window is served as before."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        first = _configmap(server, "cm-0")["metadata"]["resourceVersion"]
        for number in range(1, 102):        # 101 more changes, 1 s apart: the first leaves
            server.step(1)
            _configmap(server, f"cm-{number}")
        status, event = _watch(server, first)
        assert (status, event["type"]) == (200, "ERROR")
        assert {k: event["object"][k] for k in ("kind", "status", "reason", "code")} == {
            "kind": "Status", "status": "Failure", "reason": "Expired", "code": 410}
        assert event["object"]["message"].startswith(f"too old resource version: {first} (")
        recent = _configmap(server, "cm-last")["metadata"]["resourceVersion"]
        _configmap(server, "cm-after")
        status, event = _watch(server, recent)
        assert (status, event["type"], event["object"]["metadata"]["name"]) == (
            200, "ADDED", "cm-after")


def test_bookmarks_come_every_minute_and_two_seconds_before_the_deadline():
    """``cacheWatcher.nextBookmarkTime``: a minute on, or 2 s before the deadline if sooner;
    none once that has passed."""
    assert next_bookmark(0.0, 600.0) == BOOKMARK_FREQUENCY
    assert next_bookmark(570.0, 600.0) == 598.0
    assert next_bookmark(598.5, 600.0) is None
    assert next_bookmark(0.0, 1.0) is None          # a watch shorter than 2 s gets none


def _events(server, query: str) -> list[dict]:
    """Every event of a watch of ConfigMaps, read until the server ends it."""
    with urllib.request.urlopen(f"{server.url}/api/v1/namespaces/default/configmaps?"
                                f"watch=1&{query}", timeout=30) as answer:
        return [json.loads(line) for line in answer if line.strip()]


def test_a_watch_that_allows_bookmarks_gets_them_and_one_before_its_end(monkeypatch):
    """With ``allowWatchBookmarks`` the watch is sent BOOKMARK events at the store's current
    revision (every half second here instead of every minute) and one 2 s before its
    deadline; without, none. Watches had never been sent one."""
    monkeypatch.setattr("clustersim.serve.kubewatchcache.BOOKMARK_FREQUENCY", 0.5)
    with serve("kubernetes", nodes=1, speed=0) as server:
        made = int(_configmap(server, "cm")["metadata"]["resourceVersion"])
        events = _events(server, "allowWatchBookmarks=true&timeoutSeconds=3")
        marks = [e for e in events if e["type"] == "BOOKMARK"]
        assert 2 <= len(marks) <= 3           # at 0.5 s and at 1 s, the deadline's 2 s before
        assert {(m["object"]["kind"], m["object"]["apiVersion"]) for m in marks} == {
            ("ConfigMap", "v1")}
        assert all(int(m["object"]["metadata"]["resourceVersion"]) >= made for m in marks)
        assert all(e["type"] != "BOOKMARK" for e in _events(server, "timeoutSeconds=2"))


def _until(done: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    """Wait for ``done()``, looked at every 10 ms, failing with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.01)


def _watching(server, path: str, query: str, during: Callable[[], object]) -> list[dict]:
    """Every event of a watch of ``path`` (``query`` says from which version and when it
    ends) while ``during()`` runs, once the watch streams: its stream puts its hook on the
    store's removals in place after its first look (waited for up to 10 s), so whatever
    ``during()`` changes comes after that look, and is sent by the live watch's later
    looks, not by the answer to its request."""
    hooks = len(server.backend.cluster.on_removed)
    failed: list[Exception] = []

    def once_streaming() -> None:
        try:
            _until(lambda: len(server.backend.cluster.on_removed) > hooks,
                   "the watch to stream")
            during()
        except Exception as err:            # raised again in the test's own thread
            failed.append(err)
    helper = threading.Thread(target=once_streaming)
    helper.start()
    try:
        with urllib.request.urlopen(f"{server.url}{path}?watch=1&{query}",
                                    timeout=30) as answer:
            events = [json.loads(line) for line in answer if line.strip()]
    finally:
        helper.join()
    if failed:
        raise failed[0]
    return events


def test_a_watch_from_a_version_not_reached_yet_sends_nothing_older():
    """The cacher passes an event on only past the watch's version (``cacheWatcher.
    process``): a watch from a version far ahead of the store's stays quiet, where it had
    streamed every change."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        events = _watching(server, "/api/v1/namespaces/default/configmaps",
                           "resourceVersion=99999999&timeoutSeconds=2",
                           lambda: _configmap(server, "new"))
        assert events == []


_WATCH_LIST = "sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"


def test_a_watch_list_from_a_version_not_reached_yet_gets_one_too_large_error_event():
    """A watch that asks for the initial events (the watch-list) waits for the cache to
    reach its version (``waitUntilWatchCacheFreshAndForceAllEvents`` in k8s.io/apiserver
    ``pkg/storage/cacher/cacher.go``; a plain watch does not, above), which gives up with
    the 504 a list gets (``NewTooLargeResourceVersionError``), sent as the watch's one ERROR
    event on a 200 (``newErrWatcher``); the simulator had sent every object as if the
    store were there. From the store's own version the initial events come as before."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        made = _configmap(server, "cm")["metadata"]["resourceVersion"]
        [event] = _events(server, f"resourceVersion=99999999&{_WATCH_LIST}&timeoutSeconds=2")
        assert event["type"] == "ERROR"
        assert {k: event["object"][k] for k in ("kind", "reason", "code", "message")} == {
            "kind": "Status", "reason": "Timeout", "code": 504,
            "message": f"Timeout: Too large resource version: 99999999, current: {made}"}
        assert event["object"]["details"] == {"causes": [{
            "reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
            "retryAfterSeconds": 1}
        events = _events(server, f"resourceVersion={made}&{_WATCH_LIST}&timeoutSeconds=1")
        end = next(i for i, e in enumerate(events) if e["type"] == "BOOKMARK")
        assert "cm" in {e["object"]["metadata"]["name"] for e in events[:end]}
        assert {e["type"] for e in events[:end]} == {"ADDED"}


def test_a_deleted_event_carries_the_object_as_it_was_last_stored():
    """A Pod deleted gracefully and gone before the watch looks again: its DELETED event
    carries its last state, ``deletionTimestamp`` set, at the deletion's version, not the
    state the watch saw before (``1/1 Running`` without one)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        request = urllib.request.Request(
            f"{server.url}/api/v1/namespaces/default/pods", method="POST",
            data=json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                             "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
                            ).encode(), headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=30).close()
        server.step(60)

        def delete_and_finish():
            with server.lock:           # deleted and gone between two looks of the watch
                server.cluster.delete("Pod", "p")
                server.step(60)
        events = _watching(server, "/api/v1/namespaces/default/pods", "timeoutSeconds=2",
                           delete_and_finish)
        [seen] = [e for e in events if e["type"] == "ADDED"]
        [gone] = [e["object"] for e in events if e["type"] == "DELETED"]
        assert "deletionTimestamp" not in seen["object"]["metadata"]
        assert gone["metadata"]["name"] == "p" and "deletionTimestamp" in gone["metadata"]
        assert int(gone["metadata"]["resourceVersion"]) > int(
            seen["object"]["metadata"]["resourceVersion"])


def _get(server, path: str) -> dict:
    with urllib.request.urlopen(f"{server.url}{path}", timeout=30) as answer:
        return json.loads(answer.read())


def _delete(server, path: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{server.url}{path}", method="DELETE"),
                           timeout=30).close()


def _since(server, path: str, version: str, query: str = "") -> list[tuple[str, str, int]]:
    """(type, name, version) of each event a watch of ``path`` from ``version`` owes."""
    with urllib.request.urlopen(f"{server.url}{path}?watch=1&resourceVersion={version}&"
                                f"timeoutSeconds=1{query}", timeout=30) as answer:
        return _named([json.loads(line) for line in answer if line.strip()])


def _named(events: list[dict]) -> list[tuple[str, str, int]]:
    """(type, name, version) of each of a watch's ``events``."""
    return [(e["type"], e["object"]["metadata"]["name"],
             int(e["object"]["metadata"]["resourceVersion"])) for e in events]


_LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"


def test_a_watch_from_a_version_is_told_of_a_node_and_its_lease_deleted_since():
    """The watch cache keeps each deletion (``getAllEventsSinceLocked`` in k8s.io/apiserver
    ``pkg/storage/cacher/watch_cache.go``): a watch from a list's version, as ``kubectl get
    -w`` and an informer start theirs, is told DELETED of a Node deleted since, and of the
    Lease it owned, each at a version of its own past the list's. A Node's deletion had
    never been numbered, and a watch from a version told of no deletion."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        nodes = _get(server, "/api/v1/nodes")["metadata"]["resourceVersion"]
        leases = _get(server, _LEASES)["metadata"]["resourceVersion"]
        _delete(server, "/api/v1/nodes/worker-2")
        [(kind, name, version)] = _since(server, "/api/v1/nodes", nodes)
        assert (kind, name) == ("DELETED", "worker-2") and version > int(leases)
        [(kind, name, lease)] = _since(server, _LEASES, leases)
        assert (kind, name) == ("DELETED", "worker-2") and lease > int(leases)
        assert _since(server, "/api/v1/nodes", str(version)) == []


def test_a_deletion_is_told_to_a_watch_whose_selector_selected_the_object():
    with serve("kubernetes", nodes=1, speed=0) as server:
        for name, labels in (("a", {"app": "web"}), ("b", {})):
            request = urllib.request.Request(
                f"{server.url}/api/v1/namespaces/default/configmaps", method="POST",
                data=json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
                    "name": name, "labels": labels}}).encode(),
                headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=30).close()
        path = "/api/v1/namespaces/default/configmaps"
        listed = _get(server, path)["metadata"]["resourceVersion"]
        for name in ("a", "b"):
            _delete(server, f"{path}/{name}")
        assert [e[:2] for e in _since(server, path, listed, "&labelSelector=app%3Dweb")] == [
            ("DELETED", "a")]
        assert [e[:2] for e in _since(server, path, listed)] == [("DELETED", "a"),
                                                                 ("DELETED", "b")]


def test_the_window_gives_each_event_after_a_version_in_order():
    cache = WatchCache(listed=1)
    made = Change("ADDED", ("default", "a", "u"), [2, None])
    changed = Change("MODIFIED", ("default", "a", "u"), [3, None])
    gone = Change("DELETED", ("default", "a", "u"), changed.state)
    for revision, change in ((2, made), (3, changed), (4, gone)):
        cache.record("Pod", float(revision), revision, change)
    assert list(cache.since("Pod", 2)) == [(3, changed), (4, gone)]
    assert list(cache.since("Pod", 1)) == [(2, made), (3, changed), (4, gone)]
    assert list(cache.since("ConfigMap", 1)) == []


_PODS = "/api/v1/namespaces/default/pods"
_MAPS = "/api/v1/namespaces/default/configmaps"


def _write(server, path: str, method: str, body: dict,
           kind: str = "application/json") -> None:
    request = urllib.request.Request(f"{server.url}{path}", method=method,
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": kind})
    urllib.request.urlopen(request, timeout=30).close()


def _pod(server, name: str) -> None:
    _write(server, _PODS, "POST", {"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": name}, "spec": {"containers": [{"name": "c", "image": "busybox:1.37"}]}})


def _pod_events(server, version: str, seconds: int = 1) -> list[tuple[str, str, str, str]]:
    """(type, name, resourceVersion, phase) of each event of a watch of Pods from
    ``version`` lasting ``seconds``."""
    with urllib.request.urlopen(f"{server.url}{_PODS}?watch=1&resourceVersion={version}&"
                                f"timeoutSeconds={seconds}", timeout=30) as answer:
        events = [json.loads(line) for line in answer if line.strip()]
    return [(e["type"], e["object"]["metadata"]["name"],
             e["object"]["metadata"]["resourceVersion"], e["object"]["status"]["phase"])
            for e in events]


def test_a_resumed_watch_is_sent_every_event_a_live_one_was():
    """The engineers' trial: a watch from a list's version R, open while x1 is labelled
    twice and x2 deleted, is sent five events; the same watch made afterwards had got x1's
    latest state once and x2's DELETED at the version of its last MODIFIED, showing it
    Running. The watch cache sends every event after R in order
    (``getAllEventsSinceLocked``), and the delete is a revision of its own."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        for name in ("x1", "x2"):
            _pod(server, name)
        server.step(30)
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]
        live: list = []
        watching = threading.Thread(target=lambda: live.extend(_pod_events(server, listed, 4)))
        watching.start()
        time.sleep(0.5)
        for labels in ({"a": "1"}, {"b": "2"}):
            _write(server, f"{_PODS}/x1", "PATCH", {"metadata": {"labels": labels}},
                   "application/merge-patch+json")
            time.sleep(0.3)
        _delete(server, f"{_PODS}/x2")
        time.sleep(0.3)
        server.step(40)                      # x2's kubelet stops it, and it goes
        watching.join()
        resumed = _pod_events(server, listed)
        after_update = _pod_events(server, live[-2][2])
    assert [event[:2] for event in live] == [("MODIFIED", "x1"), ("MODIFIED", "x1"),
                                             ("MODIFIED", "x2"), ("MODIFIED", "x2"),
                                             ("DELETED", "x2")]
    assert resumed == live
    versions = [int(version) for _, _, version, _ in live]
    assert versions == sorted(set(versions))        # each event its own version
    assert live[-2][3] == live[-1][3] != "Running"  # deleted as its kubelet left it
    # from the version of x2's last MODIFIED, its DELETED is still to come
    assert after_update == live[-1:]


def test_a_watch_from_an_early_version_is_told_of_a_pod_made_and_deleted_since():
    with serve("kubernetes", nodes=1, speed=0) as server:
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]
        _pod(server, "brief")
        server.step(30)
        _get(server, _PODS)
        _delete(server, f"{_PODS}/brief")
        server.step(40)
        events = _pod_events(server, listed)
    # made, scheduled and started, deleted gracefully, stopped, gone: the watch from
    # before had been told of nothing
    assert [(kind, phase) for kind, name, _, phase in events if name == "brief"] == [
        ("ADDED", "Pending"), ("MODIFIED", "Running"), ("MODIFIED", "Running"),
        ("MODIFIED", "Failed"), ("DELETED", "Failed")]


def _pod_on(node: str) -> str:
    return json.dumps([{"metadata": {"name": "p"}, "spec": {"nodeName": node}}, {}])


def _filtering_case(nodes: list[str]) -> list[tuple[str, str]]:
    """(type, resourceVersion) of the events a watch of Pods on ``host`` is replayed for a
    Pod made on ``nodes[0]`` and moved to each next node at revisions 1, 2, ..."""
    cache = WatchCache(listed=0)
    cells: list = []
    for revision, node in enumerate(nodes, start=1):
        cells.append([revision, _pod_on(node)])
        cache.record("Pod", float(revision), revision, Change(
            "MODIFIED" if cells[:-1] else "ADDED", ("default", "p", "u"), cells[-1],
            cells[-2] if cells[:-1] else None))
    events = cache.replay("Pod", 0, None, lambda obj: obj["spec"]["nodeName"] == "host", {})
    return [(kind, obj["metadata"]["resourceVersion"]) for kind, obj, _ in events]


def test_a_watch_with_selectors_is_sent_added_and_deleted_as_an_object_enters_and_leaves():
    """The two cases of upstream's ``TestCacheWatcherHandlesFiltering``
    (``pkg/storage/cacher/cache_watcher_test.go``, a filter on ``spec.nodeName=host``): a
    change that takes the object out of the selectors is a DELETED at its own version,
    one that brings it in an ADDED; changes outside them are not sent. The replay had sent
    each change the new state matched as recorded (a MODIFIED for the entry) and nothing
    for the exit."""
    assert _filtering_case(["host", "", "host"]) == [("ADDED", "1"), ("DELETED", "2"),
                                                      ("ADDED", "3")]
    assert _filtering_case(["", "", "host", "host", "", ""]) == [
        ("ADDED", "3"), ("MODIFIED", "4"), ("DELETED", "5")]


def test_the_deleted_event_of_an_object_leaving_the_selectors_shows_its_state_before():
    """``convertToWatchEvent`` sends the previous object, at the event's resourceVersion."""
    cache = WatchCache(listed=0)
    before = [1, _pod_on("host")]
    cache.record("Pod", 1.0, 1, Change("ADDED", ("default", "p", "u"), before))
    cache.record("Pod", 2.0, 2, Change("MODIFIED", ("default", "p", "u"), [2, _pod_on("")],
                                       before))
    [(kind, obj, _)] = cache.replay("Pod", 1, None,
                                    lambda obj: obj["spec"]["nodeName"] == "host", {})
    assert (kind, obj["spec"]["nodeName"], obj["metadata"]["resourceVersion"]) == (
        "DELETED", "host", "2")


def _relabel(server, name: str, app: str) -> str:
    request = urllib.request.Request(
        f"{server.url}{_PODS}/{name}", method="PATCH",
        data=json.dumps({"metadata": {"labels": {"app": app}}}).encode(),
        headers={"Content-Type": "application/merge-patch+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["metadata"]["resourceVersion"]


def test_live_and_resumed_watches_with_a_label_selector_see_a_pod_enter_and_leave_it():
    """``kubectl get pods -l app=web -w``: labelled app=web, the Pod is ADDED; labelled
    back, DELETED showing app=web at the version of the relabelling, not at the store's
    revision of a later write (the live watch had sent the store's), and a watch resumed
    from the list's version is replayed the same two events (it had been sent a MODIFIED
    and nothing)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _pod(server, "x")
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]
        query = "&labelSelector=app%3Dweb"
        live: list = []
        watching = threading.Thread(target=lambda: live.extend(
            _since(server, _PODS, listed, query.replace("timeoutSeconds=1", ""))))
        watching.start()
        entered = _relabel(server, "x", "web")
        time.sleep(0.4)
        left = _relabel(server, "x", "db")
        _configmap(server, "later")             # a later write before the watch's next look
        watching.join()
        resumed = _since(server, _PODS, listed, query)
        with urllib.request.urlopen(f"{server.url}{_PODS}?watch=1&resourceVersion={listed}"
                                    f"&timeoutSeconds=1{query}", timeout=30) as answer:
            gone = [json.loads(line) for line in answer][-1]["object"]
    assert live == resumed == [("ADDED", "x", int(entered)), ("DELETED", "x", int(left))]
    assert gone["metadata"]["labels"] == {"app": "web"}


def test_a_watch_of_pending_pods_is_told_deleted_when_one_starts_running():
    """A field selector ``status.phase=Pending``: the Pod's kubelet starting it takes it
    out, a DELETED showing it Pending at the version of that change, live and replayed
    (neither watch had been told: the replay had left the change out, the live watch had
    sent the DELETED at the store's revision)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]
        query = "&fieldSelector=status.phase%3DPending"
        live: list = []
        watching = threading.Thread(target=lambda: live.extend(_pod_events(
            server, f"{listed}{query}", 3)))
        watching.start()
        time.sleep(0.3)
        _pod(server, "y")
        time.sleep(0.4)
        server.step(30)
        running = _get(server, f"{_PODS}/y")["metadata"]["resourceVersion"]
        _configmap(server, "later")
        watching.join()
        resumed = _pod_events(server, f"{listed}{query}")
    assert [(kind, name, phase) for kind, name, _, phase in live] == [
        ("ADDED", "y", "Pending"), ("DELETED", "y", "Pending")]
    assert resumed == live and live[-1][2] == running


def test_a_pod_let_go_before_its_watch_streams_is_sent_its_last_write_and_deletion(
        monkeypatch):
    """The race behind the live watch that missed a Pod's change during a rollout at
    ``--speed 10``: a request answers a watch under the server's lock, which its stream
    takes again to start; a catch-up between the two (another request's, another watch's
    tick) can let a Pod go before the watch's hook on removals is in place. Its last write
    (its kubelet's terminal phase) had then been left out and its DELETED had shown it
    still Running; the store's history kept both, which a resumed watch is sent."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _pod(server, "x2")
        server.step(30)
        _delete(server, f"{_PODS}/x2")                   # Terminating, its grace period on
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]
        backend = server.backend
        answered = backend._changed_since

        def then_caught_up(*args, **kwargs):
            events = answered(*args, **kwargs)
            backend.advance(backend.now + 40)   # x2's kubelet stops it, and the store lets it go
            return events

        monkeypatch.setattr(backend, "_changed_since", then_caught_up)
        live = _pod_events(server, listed)
        monkeypatch.undo()
        resumed = _pod_events(server, listed)
    assert [(kind, name) for kind, name, _, _ in live] == [("MODIFIED", "x2"), ("DELETED", "x2")]
    assert live == resumed and live[-1][3] != "Running"


def _patch(server, path: str, labels: dict[str, str]) -> dict:
    """Merge-patch the labels of the object at ``path``, in process (the caller may hold
    the server's lock): the object as the answer shows it."""
    return json.loads(server.dispatch(Request(
        "PATCH", path, {}, {"content-type": "application/merge-patch+json"},
        json.dumps({"metadata": {"labels": labels}}).encode())).body)


def test_a_live_watch_sends_the_changes_of_one_look_in_the_order_of_their_versions():
    """Pods b then a relabelled within one look of the watch: b's version is the lower, and
    the cacher dispatches events in order, so b comes first. The watch had sent them in
    the order of their keys, a's higher version first: an informer whose connection broke
    between the two resumes from a's version and is never told of b's change."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        for name in ("a", "b"):
            _pod(server, name)
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]
        versions: list[str] = []

        def relabel_both() -> None:
            with server.lock:                   # both writes between two looks
                versions.extend(_patch(server, f"{_PODS}/{name}", {"app": "web"})[
                    "metadata"]["resourceVersion"] for name in ("b", "a"))
        live = _named(_watching(server, _PODS, f"resourceVersion={listed}&timeoutSeconds=1",
                                relabel_both))
    assert [(name, version) for _, name, version in live] == list(zip(
        "ba", map(int, versions), strict=True))


def test_a_live_watch_is_sent_each_change_another_read_numbered_between_its_looks():
    """Two writes to Pod a between two looks of a watch, each numbered by its answer: the
    watch cache holds both changes, and the cacher hands each event to its watchers, so
    the live watch is sent both, as a watch resumed from the same version is. It had been
    sent the latest only (its look compared the object with the one before), one change
    fewer for ``kubectl get pods -w`` than the cluster made."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _pod(server, "a")
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]

        def label_twice() -> None:
            with server.lock:                   # both writes between two looks
                for value in ("1", "2"):
                    _patch(server, f"{_PODS}/a", {"v": value})
        live = _named(_watching(server, _PODS, f"resourceVersion={listed}&timeoutSeconds=1",
                                label_twice))
        resumed = _since(server, _PODS, listed)
    assert [kind for kind, _, _ in live] == ["MODIFIED", "MODIFIED"]
    assert live == resumed


def test_a_live_watch_is_told_of_a_pod_made_and_deleted_between_two_of_its_looks():
    """A Pod made and deleted at once (``gracePeriodSeconds=0``) between two looks of a
    watch, each write numbered by its answer: the watch cache holds its ADDED, its last
    write and its DELETED, of which the live watch had been sent none (neither look saw
    the Pod)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]

        def make_and_delete() -> None:
            with server.lock:                   # both writes between two looks
                server.dispatch(Request("POST", _PODS, {}, {"content-type": "application/json"},
                                        json.dumps({"apiVersion": "v1", "kind": "Pod",
                                                    "metadata": {"name": "brief"},
                                                    "spec": {"containers": [{
                                                        "name": "c", "image": "busybox:1.37"
                                                    }]}}).encode()))
                server.dispatch(Request("DELETE", f"{_PODS}/brief",
                                        {"gracePeriodSeconds": ["0"]}, {}))
        live = _named(_watching(server, _PODS, f"resourceVersion={listed}&timeoutSeconds=1",
                                make_and_delete))
        resumed = _since(server, _PODS, listed)
    assert live == resumed
    assert {name for _, name, _ in live} == {"brief"}
    assert (live[0][0], live[-1][0]) == ("ADDED", "DELETED")


def test_a_live_watch_is_sent_each_change_of_a_pod_deleted_between_two_of_its_looks():
    """Pod a, seen by the watch, relabelled then deleted at once between two of its looks:
    the watch cache holds the relabelling, which the live watch had left out (it sent the
    Pod's last write and its DELETED only)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _pod(server, "a")
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]

        def relabel_and_delete() -> None:
            with server.lock:                   # both writes between two looks
                _patch(server, f"{_PODS}/a", {"v": "1"})
                server.dispatch(Request("DELETE", f"{_PODS}/a", {"gracePeriodSeconds": ["0"]},
                                        {}))
        live = _named(_watching(server, _PODS, f"resourceVersion={listed}&timeoutSeconds=1",
                                relabel_and_delete))
        resumed = _since(server, _PODS, listed)
    assert live == resumed and live[-1][0] == "DELETED" and len(live) >= 3


def _relabel_in_place(server, name: str, app: str) -> None:
    """Relabel a stored ConfigMap from Python, as a controller does: no write numbers it."""
    server.backend.cluster.get("ConfigMap", "default", name)["metadata"]["labels"] = {
        "app": app}


def test_an_object_relabelled_in_place_leaves_a_selector_watch_once():
    """A controller's in-place relabel is numbered when the look renders what the selector
    left out; the look had then moved its window only to the revision it began at, so the
    next look replayed that change as a second DELETED (a review found it)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        for name in ("a", "b"):
            _configmap(server, name, {"app": "web"})
        version = _get(server, f"{_MAPS}?labelSelector=app%3Dweb")["metadata"]["resourceVersion"]

        def relabel() -> None:
            with server.lock:
                _relabel_in_place(server, "a", "other")
                server.step(1)

        events = _watching(server, _MAPS, f"labelSelector=app%3Dweb&resourceVersion={version}"
                                          "&timeoutSeconds=2", relabel)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("DELETED", "a")]


def _look_by_look(server, path: str, **query: str) -> Iterator[list[tuple[str, str, str]]]:
    """A live watch of ``path`` driven in this thread, one look at each ``next()``: (type,
    name, resourceVersion) of the events it owes at once, then of each look's. The stream
    is the one the HTTP handler sends, taken without the server's socket, so that a test
    makes its changes between two given looks without threads or sleeps."""
    answer = server.dispatch(Request("GET", path, {"watch": ["1"], "timeoutSeconds": ["60"],
                                                   **{k: [v] for k, v in query.items()}}, {}))
    chunks = answer.stream(server)
    try:
        for chunk in chunks:
            yield [(e["type"], e["object"]["metadata"]["name"],
                    e["object"]["metadata"]["resourceVersion"])
                   for e in map(json.loads, chunk.splitlines())]
    finally:
        chunks.close()            # the watch ends: its hook and its look are let go


def test_a_change_numbered_before_an_in_place_relabel_is_sent_before_the_deleted():
    """ConfigMap z changed in place, a read numbering that change (z still app=web), then
    relabelled in place, all between two looks of a watch of app=web. The watch cache holds
    the MODIFIED, and the relabelling, numbered when the watch's look renders what its
    selector leaves out, as a DELETED showing z as that MODIFIED left it
    (``convertToWatchEvent``: the previous object). The look had read the window before
    that render: it left the MODIFIED out (z was no longer in its look) and sent the
    DELETED with the state it had seen before, one event fewer than a watch resumed from
    the same version (1 to 5 of 20 watches in most runs of ``benchmarks/watch_stress.py``)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        version = _configmap(server, "z", {"app": "web"})["metadata"]["resourceVersion"]
        with contextlib.closing(_look_by_look(server, _MAPS, labelSelector="app=web",
                                              resourceVersion=version)) as looks:
            assert next(looks) == []
            server.backend.cluster.get("ConfigMap", "default", "z")["data"] = {"v": "1"}
            changed = _get(server, f"{_MAPS}/z")["metadata"]["resourceVersion"]
            _relabel_in_place(server, "z", "db")
            live = next(looks)
        resumed = _since(server, _MAPS, version, "&labelSelector=app%3Dweb")
        with urllib.request.urlopen(f"{server.url}{_MAPS}?watch=1&resourceVersion="
                                    f"{version}&timeoutSeconds=1&labelSelector=app%3Dweb",
                                    timeout=30) as answer:
            gone = [json.loads(line) for line in answer][-1]["object"]
    assert [(kind, name) for kind, name, _ in live] == [("MODIFIED", "z"), ("DELETED", "z")]
    assert live[0][2] == changed
    assert [(kind, name, int(at)) for kind, name, at in live] == resumed
    assert gone["data"] == {"v": "1"}


def test_an_object_that_entered_and_left_in_place_is_sent_its_deleted_too():
    """Between two looks of a watch of app=web: q relabelled in place into it, a read
    numbering that, then q relabelled out again and a relabelled out, both in place. The
    look numbers both exits by rendering what its selector leaves out; it had then moved
    its window past them and sent a's DELETED (a was in its last look) but not q's, so a
    client saw q ADDED and never DELETED, a resumed watch both."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _configmap(server, "a", {"app": "web"})
        version = _configmap(server, "q", {"app": "db"})["metadata"]["resourceVersion"]
        with contextlib.closing(_look_by_look(server, _MAPS, labelSelector="app=web",
                                              resourceVersion=version)) as looks:
            assert next(looks) == []
            _relabel_in_place(server, "q", "web")
            _get(server, _MAPS)                 # numbers q's entry
            for name in ("q", "a"):
                _relabel_in_place(server, name, "db")
            live = next(looks)
        resumed = _since(server, _MAPS, version, "&labelSelector=app%3Dweb")
    assert sorted((kind, name) for kind, name, _ in live) == [
        ("ADDED", "q"), ("DELETED", "a"), ("DELETED", "q")]
    assert [(kind, name, int(at)) for kind, name, at in live] == resumed


def _behind_a_shared_look(server, version: str, left: str, then: tuple[str, str]
                          ) -> list[tuple[str, str, str]]:
    """What a watch of app=web from ``version`` is sent at its next two looks when ``left``
    was relabelled out of app=web in place, a write and a new watch's first look came
    (the look it is then given, taken at that moment), and the ConfigMap ``then[0]`` was
    relabelled ``app=then[1]`` in place, which moves no moment; a write between the two."""
    watch = {"labelSelector": "app=web", "resourceVersion": version}
    with contextlib.closing(_look_by_look(server, _MAPS, **watch)) as older:
        assert next(older) == []
        _relabel_in_place(server, left, "db")
        _configmap(server, "other")
        with contextlib.closing(_look_by_look(server, _MAPS, **watch)) as newer:
            next(newer)                         # its first look, without ``left``
        _relabel_in_place(server, *then)
        live = next(older)
        _configmap(server, "later")
        return live + next(older)


def test_a_look_taken_before_an_in_place_relabel_was_undone_sends_nothing_of_it():
    """x relabelled out of app=web in place; a write, and a new watch's first look, taken
    at that moment without x; x relabelled back in place, which moves no moment. The older
    watch of app=web is then given that look (the same moment, shared): x's version has
    not moved, the watch cache has no event of it, and a watch resumed from the same
    version is sent none; the live watch had been sent x DELETED at the version it already
    had, and nothing when its next look found x again."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _configmap(server, "x", {"app": "web"})
        # every ConfigMap numbered, so that the look's render of what app=web leaves out
        # numbers nothing (which would take a new look)
        version = _get(server, _MAPS)["metadata"]["resourceVersion"]
        live = _behind_a_shared_look(server, version, "x", ("x", "web"))
        resumed = _since(server, _MAPS, version, "&labelSelector=app%3Dweb")
    assert live == resumed == []


def test_a_shared_look_older_than_an_in_place_relabel_is_taken_again_once_it_is_numbered():
    """a relabelled out of app=web in place, a write, and a new watch's first look, taken
    at that moment (c in it, a not); then c relabelled out in place, which moves no moment.
    The older watch of app=web is given that look: a left it, so its look renders what the
    selector leaves out, which numbers both relabellings, and takes the look again, which
    no longer shows c. Kept, the older look still showed c at its version before: the
    window's DELETED of c was sent with a's, and again at the next look, which found c
    gone and the window already past it (the first form of this fix did)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _configmap(server, "a", {"app": "web"})
        version = _configmap(server, "c", {"app": "web"})["metadata"]["resourceVersion"]
        live = _behind_a_shared_look(server, version, "a", ("c", "db"))
        resumed = _since(server, _MAPS, version, "&labelSelector=app%3Dweb")
    assert sorted((kind, name) for kind, name, _ in live) == [("DELETED", "a"), ("DELETED", "c")]
    assert [(kind, name, int(at)) for kind, name, at in live] == resumed


def test_a_pod_s_status_change_a_delete_numbers_is_replayed_before_its_deletion():
    """The miss ``benchmarks/watch_stress.py --kind pods`` found: a Pod's kubelet starts it
    while nobody reads it, and the DELETE is what first renders it Running. The real kubelet
    wrote that status before the DELETE (two writes, two events in the cacher); the DELETE's
    render had numbered the change without keeping its state, so a replay from before it
    left the change out (its state unknown, the Pod at a newer version since) and a watch
    of Pending Pods was never told the Pod left it."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        _pod(server, "p")
        listed = _get(server, _PODS)["metadata"]["resourceVersion"]
        server.step(30)                         # Running, not rendered since
        _delete(server, f"{_PODS}/p")           # Terminating, its grace period on
        every = _pod_events(server, listed)
        pending = _since(server, _PODS, listed, "&fieldSelector=status.phase%3DPending")
    assert [(kind, phase) for kind, _, _, phase in every] == [
        ("MODIFIED", "Running"), ("MODIFIED", "Running")]
    assert pending == [("DELETED", "p", int(every[0][2]))]


def _resumed(server, path: str, version: str) -> list[dict]:
    """Every event a watch of ``path`` from ``version`` is sent at once."""
    with urllib.request.urlopen(f"{server.url}{path}?watch=1&resourceVersion={version}&"
                                "timeoutSeconds=1", timeout=30) as answer:
        return [json.loads(line) for line in answer if line.strip()]


def _without_version(obj: dict) -> dict:
    return {**obj, "metadata": {k: v for k, v in obj["metadata"].items()
                                if k != "resourceVersion"}}


def test_a_node_s_status_change_a_delete_numbers_is_replayed_before_its_deletion():
    """A Node whose kubelet posted its status while nobody read it, then deleted: the
    DELETE's render numbered the change without keeping its state, and a watch from before
    was sent neither the change nor the deletion (a DELETED needs the state before it).
    Now both, the DELETED at a version of its own, showing the state the change left."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        listed = _get(server, "/api/v1/nodes")
        server.step(301)                    # past the kubelet's 5-minute status report
        _delete(server, "/api/v1/nodes/worker-2")
        events = [e for e in _resumed(server, "/api/v1/nodes",
                                      listed["metadata"]["resourceVersion"])
                  if e["object"]["metadata"]["name"] == "worker-2"]
    assert [e["type"] for e in events] == ["MODIFIED", "DELETED"]
    changed, gone = (e["object"] for e in events)
    assert int(gone["metadata"]["resourceVersion"]) > int(changed["metadata"]["resourceVersion"])
    assert _without_version(gone) == _without_version(changed)
    [before] = [n for n in listed["items"] if n["metadata"]["name"] == "worker-2"]
    assert changed["status"] != before["status"]        # the kubelet's report, replayed


def test_a_default_object_deleted_twice_unread_is_replayed_deleted_and_made_again():
    """``kubectl delete serviceaccount default`` twice, nobody listing between: the
    controller's second ServiceAccount was first rendered by the second DELETE, which
    numbered it without keeping it, and a watch from before the first was never told it
    was made nor deleted. Each deletion is numbered when it happens (etcd's delete), and a
    watch from before is sent every event: the first deleted, the second made and deleted,
    the third made."""
    path = "/api/v1/namespaces/default/serviceaccounts"
    with serve("kubernetes", nodes=1, speed=0) as server:
        listed = _get(server, path)["metadata"]["resourceVersion"]
        _delete(server, f"{path}/default")
        _delete(server, f"{path}/default")
        events = _resumed(server, path, listed)
    assert [e["type"] for e in events] == ["DELETED", "ADDED", "DELETED", "ADDED"]
    uids = [e["object"]["metadata"]["uid"] for e in events]
    assert uids[1] == uids[2] and len(set(uids)) == 3
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
    assert versions == sorted(set(versions))
