"""A watch's look renders again only the stored objects that changed since its last look
(clustersim.serve.kubelookreuse), as the cacher hands a watcher the changed object alone
(k8s.io/apiserver ``pkg/storage/cacher/cacher.go``, ``dispatchEvent``), and the versions it
shows are those a full render would find."""

from __future__ import annotations

import json

from clustersim.serve import serve
from clustersim.serve.core import Request
from clustersim.serve.kuberesources import by_kind

MAPS = "/api/v1/namespaces/default/configmaps"
WATCH = Request("GET", MAPS, {"watch": ["1"]}, {}, b"")


def _write(server, method: str, path: str, body: dict) -> dict:
    answer = server.dispatch(Request(method, path, {}, {"content-type": "application/json"},
                                     json.dumps(body).encode()))
    assert answer.status in (200, 201), answer.body
    return json.loads(answer.body)


def _configmap(server, name: str, value: str) -> dict:
    return _write(server, "POST", MAPS, {"apiVersion": "v1", "kind": "ConfigMap",
                                         "metadata": {"name": name}, "data": {"k": value}})


def _look(server, watcher) -> dict[str, tuple[str, dict]]:
    """The watch's look now: (version, object) by name."""
    backend = server.backend
    _, look = backend._watched(WATCH, by_kind("ConfigMap"), "default", watcher)
    return {obj["metadata"]["name"]: (version, obj) for version, obj, _ in look.values()}


def _watcher(server):
    backend = server.backend
    return backend.looks.watcher(backend._look_key(WATCH, by_kind("ConfigMap"), "default"))


def test_a_write_makes_the_next_look_render_the_written_object_alone():
    """Each look had rendered and digested every watched ConfigMap again after any write
    (20 MB for twenty 1 MB ones, 0.12 s of CPU a write under the server's one lock)."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1.7e9) as server:
        for k in range(5):
            _configmap(server, f"big{k}", "x" * 1000)
        watcher = _watcher(server)
        first = _look(server, watcher)
        rendered: list[str] = []
        render = server.backend.renderer.render

        def counted(obj, *args, **kwargs):
            rendered.append(obj["metadata"]["name"])
            return render(obj, *args, **kwargs)
        server.backend.renderer.render = counted
        _write(server, "PUT", f"{MAPS}/big3", {**first["big3"][1], "data": {"k": "y"}})
        rendered.clear()                    # the PUT's own answer rendered it
        second = _look(server, watcher)
        assert rendered == ["big3"]
        assert second["big3"][1]["data"] == {"k": "y"}
        assert int(second["big3"][0]) > int(first["big3"][0])
        assert {name: version for name, (version, _) in second.items() if name != "big3"} \
            == {name: version for name, (version, _) in first.items() if name != "big3"}
        watcher.close()


def test_an_object_changed_in_place_is_rendered_and_numbered():
    """The simulator edits stored objects in place without saying so: the look compares
    each with its copy."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1.7e9) as server:
        _configmap(server, "a", "1")
        watcher = _watcher(server)
        first = _look(server, watcher)
        server.backend.cluster.get("ConfigMap", "default", "a")["data"]["k"] = "2"
        server.step(1)
        second = _look(server, watcher)
        assert second["a"][1]["data"] == {"k": "2"}
        assert int(second["a"][0]) > int(first["a"][0])
        watcher.close()


def test_a_change_undone_after_another_read_numbered_it_takes_a_new_version():
    """Changed and changed back in place, with a GET between that numbered the change: the
    object equals the look's copy, but its version moved on, so the look renders it again
    and numbers the change back, as a full render would."""
    with serve("kubernetes", nodes=1, speed=0, epoch=1.7e9) as server:
        _configmap(server, "a", "1")
        watcher = _watcher(server)
        first = _look(server, watcher)
        stored = server.backend.cluster.get("ConfigMap", "default", "a")
        stored["data"]["k"] = "2"
        got = server.dispatch(Request("GET", f"{MAPS}/a", {}, {}, b""))
        between = json.loads(got.body)["metadata"]["resourceVersion"]
        stored["data"]["k"] = "1"
        second = _look(server, watcher)
        assert second["a"][1]["data"] == {"k": "1"}
        assert int(second["a"][0]) > int(between) > int(first["a"][0])
        watcher.close()
