"""The served watches' shared looks (clustersim.serve.kubewatchlooks): an idle watch renders
nothing, and watches of the same objects render them once per change, as the cacher hands
each change to every watcher (k8s.io/apiserver ``pkg/storage/cacher/cacher.go``,
``dispatchEvent``)."""

from __future__ import annotations

import http.client
import json
import time

from clustersim.serve import serve
from clustersim.serve.kubewatchlooks import KEPT_LOOKS, Moment, SharedLooks
from tests.unit.test_serve_kubewatchcache import _configmap


def _counting_renders(server) -> list[int]:
    """Count the backend's renders of selected objects (each look renders once)."""
    backend = server.backend
    calls = [0]
    select = backend._select

    def counted(*args, **kwargs):
        calls[0] += 1
        return select(*args, **kwargs)
    backend._select = counted
    return calls


def test_idle_watches_render_nothing_and_share_a_look_of_each_change():
    """Ten watches of ConfigMaps had each rendered every ConfigMap every 0.1 s under the
    server's one lock (a hundred slowed every request to seconds)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        watches = []
        for _ in range(10):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&"
                         "timeoutSeconds=3")
            watches.append(conn.getresponse())
        calls = _counting_renders(server)
        time.sleep(0.6)
        assert calls[0] == 0                    # six polls of ten watches: nothing changed
        _configmap(server, "shared")
        time.sleep(0.6)
        assert 1 <= calls[0] <= 3              # one look for all ten, a second at most as
        for answer in watches:                  # the create's stamp moves the revision
            events = [json.loads(line) for line in answer if line.strip()]
            assert [e["type"] for e in events if e["object"]["metadata"]["name"] ==
                    "shared"] == ["ADDED"]


def test_a_look_is_kept_for_its_moment_and_rendered_again_at_another():
    looks = SharedLooks()
    renders: list[int] = []

    def render():
        renders.append(1)
        return {"uid": ("1", {}, {})}
    at = Moment(0.0, 0, 5)
    first = looks.look("pods", lambda: at, render)
    assert looks.look("pods", lambda: at, render) is first and len(renders) == 1
    for later in (at._replace(now=1.0), at._replace(writes=1), at._replace(revision=6)):
        looks.look("pods", lambda later=later: later, render)
    assert len(renders) == 4


def test_looks_of_watches_long_gone_are_let_go():
    looks = SharedLooks()
    at = Moment(0.0, 0, 1)
    for key in range(KEPT_LOOKS + 1):
        looks.look(key, lambda: at, dict)
    renders: list[int] = []
    looks.look(0, lambda: at, lambda: renders.append(1) or {})
    assert renders == [1]                   # the oldest was let go


def test_a_closed_watchs_look_is_let_go_when_no_other_watch_holds_it():
    """A look had stayed among the kept ones after every watch of it had ended; the cacher
    lets go of a watcher when its watch ends (``cacheWatcher.stopLocked``)."""
    looks = SharedLooks()
    at = Moment(0.0, 0, 1)
    renders: list[int] = []

    def render():
        renders.append(1)
        return {}
    first, second = looks.watcher("pods"), looks.watcher("pods")
    first.look("pods", lambda: at, render)
    first.close()
    second.look("pods", lambda: at, render)
    assert renders == [1]                   # still held by the second watch
    second.look("pods-reanchored", lambda: at, render)
    second.look("pods-reanchored", lambda: at, render)
    assert renders == [1, 1]
    second.close()
    looks.look("pods-reanchored", lambda: at, render)
    looks.look("pods", lambda: at, render)
    assert renders == [1, 1, 1, 1]          # both let go


def test_a_served_watch_lets_its_look_go_when_it_ends():
    with serve("kubernetes", nodes=1, speed=0) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1")
        answer = conn.getresponse()
        time.sleep(0.3)
        assert len(server.backend.looks._looks) == 1
        answer.read()                       # the watch ends after its second
        conn.close()
        deadline = time.monotonic() + 5
        while server.backend.looks._looks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not server.backend.looks._looks
