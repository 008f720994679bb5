"""The revision a served list is read at (clustersim.serve.kubelists): an ``Exact`` (or legacy,
with ``limit``) ``resourceVersion`` and a ``continue`` token's are read with the objects as
they were then until the revision is compacted, then 410 ``Expired`` in etcd3's words
(k8s.io/apiserver ``pkg/storage/etcd3/errors.go``); a version the store has not reached is the
cacher's 504 ``Too large resource version`` (``waitUntilFreshAndBlock``,
``NewTooLargeResourceVersionError``); ``NotOlderThan`` takes the current state."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request

import pytest

from clustersim.serve import serve

CONFIGMAPS = "/api/v1/namespaces/default/configmaps"


def _request(server, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
    """(status, JSON body, headers) of a GET, or of a POST of ``body``."""
    request = urllib.request.Request(
        f"{server.url}{path}", method="GET" if body is None else "POST",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read()), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read()), dict(refused.headers)


def _configmap(server, name: str) -> None:
    assert _request(server, CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap",
                                         "metadata": {"name": name}})[0] == 201


@pytest.fixture()
def server():
    """A cluster on a frozen clock with the ConfigMaps ``a`` and ``kube-root-ca.crt``."""
    with serve("kubernetes", nodes=1, speed=0) as running:
        _configmap(running, "a")
        yield running


def _list(server, query: str = "") -> dict:
    status, body, _ = _request(server, f"{CONFIGMAPS}?{query}")
    assert status == 200, body
    return body


def _names_at(server, path: str, version: str) -> list[str]:
    """The names an Exact list of ``path`` at ``version`` shows (it must answer 200)."""
    status, body, _ = _request(server, f"{path}?resourceVersion={version}"
                                       "&resourceVersionMatch=Exact")
    assert status == 200, body
    return [o["metadata"]["name"] for o in body["items"]]


def test_an_exact_version_is_read_while_the_list_is_as_it_was_then(server):
    before = _list(server)["metadata"]["resourceVersion"]
    _request(server, "/api/v1/namespaces/default/secrets", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})   # another kind
    _list(server, "limit=500")                                 # a read: the store moves on
    assert int(_list(server)["metadata"]["resourceVersion"]) > int(before)
    for query in (f"resourceVersion={before}&resourceVersionMatch=Exact",
                  f"resourceVersion={before}&limit=1"):
        assert _list(server, query)["metadata"]["resourceVersion"] == before


@pytest.mark.parametrize(("query", "size"), [
    ("resourceVersion={rv}&resourceVersionMatch=Exact", None),     # the whole list
    ("resourceVersion={rv}&limit=1", 1)])                          # its first chunk
def test_an_exact_version_from_before_a_change_lists_the_objects_as_they_were(server, query,
                                                                              size):
    """etcd keeps every revision until it is compacted: a list at a version from before a
    ConfigMap was made and another changed shows them as they were (it had been 410), all
    of them without a limit."""
    was = _list(server)
    _configmap(server, "b")
    _patch(server, f"{CONFIGMAPS}/a", {"data": {"k": "v"}})
    assert "data" in _list(server)["items"][0]
    before = was["metadata"]["resourceVersion"]
    found = _list(server, query.format(rv=before))
    assert found["metadata"]["resourceVersion"] == before
    assert found["items"] and found["items"] == was["items"][:size]


def _patch(server, path: str, patch: dict) -> dict:
    """The object a JSON merge patch of ``path`` answers."""
    return json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{server.url}{path}", method="PATCH", data=json.dumps(patch).encode(),
        headers={"Content-Type": "application/merge-patch+json"}), timeout=30).read())


def _delete(server, path: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{server.url}{path}", method="DELETE"),
                           timeout=30).read()


@pytest.mark.parametrize(("path", "kind"), [
    (CONFIGMAPS, "ConfigMap"),
    ("/apis/rbac.authorization.k8s.io/v1/clusterroles", "ClusterRole")])   # cluster-scoped
def test_an_exact_version_from_before_a_deletion_lists_the_object(server, path, kind):
    made = {"apiVersion": "rbac.authorization.k8s.io/v1" if kind == "ClusterRole" else "v1",
            "kind": kind, "metadata": {"name": "b"}}
    assert _request(server, path, made)[0] == 201
    before = _request(server, path)[1]["metadata"]["resourceVersion"]
    _delete(server, f"{path}/b")
    status, body, _ = _request(server, f"{path}?resourceVersion={before}"
                                       "&resourceVersionMatch=Exact")
    assert status == 200 and "b" in [o["metadata"]["name"] for o in body["items"]]
    assert "b" not in [o["metadata"]["name"] for o in _request(server, path)[1]["items"]]


def test_not_older_than_an_old_version_lists_the_current_state(server):
    before = _list(server)["metadata"]["resourceVersion"]
    _configmap(server, "b")
    now = _list(server)
    found = _list(server, f"resourceVersion={before}&resourceVersionMatch=NotOlderThan")
    assert found["metadata"]["resourceVersion"] == now["metadata"]["resourceVersion"]
    assert [o["metadata"]["name"] for o in found["items"]] == ["a", "b", "kube-root-ca.crt"]


def test_a_chunked_list_with_changes_between_its_chunks_goes_on(server):
    """etcd keeps the first chunk's revision until the API server compacts it, so the rest
    of a list is read as it was then: an object made between two chunks is not in it, one
    changed shows as it was (the simulator had shown them as they are now)."""
    first = _list(server, "limit=1")
    was = _list(server)["items"][1]
    _configmap(server, "b")
    _patch(server, f"{CONFIGMAPS}/kube-root-ca.crt", {"metadata": {"labels": {"x": "y"}}})
    _list(server)                                           # a read: the store moves on
    rest = _list(server, f"limit=5&continue={first['metadata']['continue']}")
    assert rest["items"] == [was]
    assert rest["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


def test_a_continue_token_older_than_the_compaction_has_expired_and_offers_the_rest(server):
    """The compactor wakes every 5 minutes and compacts to the revision it saw at its last
    wake: a change at second 0 is compacted at second 600, and a token from before it is
    then 410 Expired, with a token for the rest at the current revision."""
    first = _list(server, "limit=1")
    token = first["metadata"]["continue"]
    _configmap(server, "b")
    server.step(599)
    names = [o["metadata"]["name"] for o in _list(server, f"limit=5&continue={token}")["items"]]
    assert names == ["kube-root-ca.crt"]            # b was made after the first chunk
    server.step(1)
    status, body, _ = _request(server, f"{CONFIGMAPS}?limit=1&continue={token}")
    assert (status, body["reason"]) == (410, "Expired")
    assert body["message"].startswith("The provided continue parameter is too old to display "
                                      "a consistent list result. You can start a new list ")
    rest = _list(server, f"limit=5&continue={body['metadata']['continue']}")
    assert [o["metadata"]["name"] for o in rest["items"]] == ["b", "kube-root-ca.crt"]
    assert rest["metadata"]["resourceVersion"] == _list(server)["metadata"]["resourceVersion"]


def test_an_exact_version_compacted_has_expired_though_the_list_is_unchanged(server):
    """etcd cannot read a compacted revision, whatever changed: a write to another kind at
    second 0 is compacted at second 600."""
    _expires_600_seconds_after_a_write(server)


def _expires_600_seconds_after_a_write(server) -> None:
    """An Exact list of ConfigMaps at the version before a write to another kind (a Secret)
    is read 599 simulated seconds after the write and is 410 Expired one second later (the
    compactor's second wake from the server's start)."""
    before = _list(server)["metadata"]["resourceVersion"]
    _request(server, "/api/v1/namespaces/default/secrets", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})
    query = f"resourceVersion={before}&resourceVersionMatch=Exact"
    server.step(599)
    assert _list(server, query)["metadata"]["resourceVersion"] == before
    server.step(1)
    status, body, _ = _request(server, f"{CONFIGMAPS}?{query}")
    assert (status, body["message"]) == (410, "The resourceVersion for the provided list is "
                                              "too old.")


def test_an_unchanged_revision_is_not_compacted(server):
    """The compactor compacts to the store's revision at its last wake: with no write since
    a token's revision, the token stays readable however long ago it was given."""
    first = _list(server, "limit=1")
    server.step(3600)
    rest = _list(server, f"limit=5&continue={first['metadata']['continue']}")
    assert rest["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


def test_an_unchanged_list_goes_on_at_its_first_chunks_version(server):
    first = _list(server, "limit=1")
    _list(server, "limit=500")
    rest = _list(server, f"limit=5&continue={first['metadata']['continue']}")
    assert rest["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


@pytest.mark.parametrize("query", ["resourceVersion={rv}",
                                   "resourceVersion={rv}&resourceVersionMatch=NotOlderThan",
                                   "resourceVersion={rv}&resourceVersionMatch=Exact",
                                   "resourceVersion={rv}&limit=1"])
def test_a_version_the_store_has_not_reached_is_too_large(server, query):
    now = int(_list(server)["metadata"]["resourceVersion"])
    status, body, headers = _request(server, f"{CONFIGMAPS}?{query.format(rv=now + 50)}")
    assert (status, body["reason"]) == (504, "Timeout")
    assert body["message"].startswith(f"Timeout: Too large resource version: {now + 50}, "
                                      "current: ")
    assert body["details"] == {"causes": [{"reason": "ResourceVersionTooLarge",
                                           "message": "Too large resource version"}],
                               "retryAfterSeconds": 1}
    assert headers["Retry-After"] == "1"


@pytest.mark.parametrize("query", ["limit=1&continue={token}",
                                   "resourceVersion={rv}&resourceVersionMatch=Exact"])
def test_a_list_of_objects_without_versions_is_read_at_an_older_revision(query):
    """NodeMetrics (metrics.k8s.io) carry no resourceVersion: a continue token or an Exact
    version from before a change had answered a 500 KeyError."""
    metrics = "/apis/metrics.k8s.io/v1beta1/nodes"
    with serve("kubernetes", nodes=2, speed=0) as server:
        status, first, _ = _request(server, f"{metrics}?limit=1")
        assert status == 200 and "resourceVersion" not in first["items"][0]["metadata"]
        _configmap(server, "b")
        _list(server)                                       # a read: the store moves on
        status, body, _ = _request(server, f"{metrics}?" + query.format(
            token=first["metadata"]["continue"], rv=first["metadata"]["resourceVersion"]))
        assert status == 200, body


def test_a_label_selected_exact_list_renders_each_object_once(server, monkeypatch):
    """An ``Exact`` list with a label selector renders the objects it leaves out too (a
change to one numbers its version), each once, and selects among the objects as they were:
one relabelled out of the selection since shows as it was, a field selector alike."""
    for name, app in (("b", "web"), ("c", "db")):
        assert _request(server, CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap",
                                             "metadata": {"name": name,
                                                          "labels": {"app": app}}})[0] == 201
    before = _list(server)["metadata"]["resourceVersion"]
    _request(server, "/api/v1/namespaces/default/secrets", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})   # another kind
    _list(server, "limit=500")                                 # a read: the store moves on
    renderer = server.backend.renderer
    rendered: list[str] = []

    def counted(obj, *args, **kwargs):
        rendered.append(obj["metadata"]["name"])
        return render(obj, *args, **kwargs)

    render = renderer.render
    monkeypatch.setattr(renderer, "render", counted)
    query = f"labelSelector=app%3Dweb&resourceVersion={before}&resourceVersionMatch=Exact"
    assert [o["metadata"]["name"] for o in _list(server, query)["items"]] == ["b"]
    assert sorted(rendered) == ["a", "b", "c", "kube-root-ca.crt"]
    rendered.clear()
    _request(server, f"{CONFIGMAPS}/c", None)             # a read moves nothing
    urllib.request.urlopen(urllib.request.Request(
        f"{server.url}{CONFIGMAPS}/c", method="PATCH", data=b'{"data": {"k": "v"}}',
        headers={"Content-Type": "application/merge-patch+json"}), timeout=30).read()
    status, _, _ = _request(server, f"{CONFIGMAPS}?{query}")
    assert status == 200              # a change to one left out then and now is no change
    urllib.request.urlopen(urllib.request.Request(
        f"{server.url}{CONFIGMAPS}/b", method="PATCH",
        data=b'{"metadata": {"labels": {"app": "db"}}}',
        headers={"Content-Type": "application/merge-patch+json"}), timeout=30).read()
    found = _list(server, query)                 # b as it was then, selected by its labels
    assert [(o["metadata"]["name"], o["metadata"]["labels"]) for o in found["items"]] == [
        ("b", {"app": "web"})]
    fields = f"fieldSelector=metadata.name%3Db&resourceVersion={before}" \
             "&resourceVersionMatch=Exact"
    assert _list(server, fields)["items"] == found["items"]


_WEB = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                     "containers": [{"name": "c", "image": "nginx"}]}}}}


def _watched_versions(server, path: str, seconds: float) -> list[str]:
    """The versions of the MODIFIED events a watch of ``path`` sends while the simulated
    clock is stepped ``seconds`` on."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    version = _request(server, path)[1]["metadata"]["resourceVersion"]
    conn.request("GET", f"{path}?watch=1&timeoutSeconds=1&resourceVersion={version}")
    answer = conn.getresponse()
    time.sleep(0.3)
    server.step(seconds)
    events = [json.loads(line) for line in answer if line.strip()]
    conn.close()
    return [e["object"]["metadata"]["resourceVersion"] for e in events
            if e["type"] == "MODIFIED"]


def test_a_version_only_a_watch_showed_is_listed_as_it_was(server):
    """A watch's look keeps the states it numbers, as a list's does: the docs had said a
    version only a watch showed is answered 410."""
    assert _request(server, "/apis/apps/v1/namespaces/default/deployments", _WEB)[0] == 201
    pods = "/api/v1/namespaces/default/pods"
    watched = _watched_versions(server, pods, 30)
    assert watched
    server.step(30)
    _request(server, pods)
    for version in watched:
        found = _names_at(server, pods, version)
        assert len(found) == 2 and all(name.startswith("web-") for name in found)


def test_a_version_numbered_in_another_namespace_is_listed_as_it_was(server):
    """A list of one namespace's derived objects (Endpoints) numbers the others' changes
    too: their states are kept, and a list of every namespace at that revision reads
    them (it had been answered 410)."""
    _namespace(server, "dev")
    assert _request(server, "/apis/apps/v1/namespaces/dev/deployments", _WEB)[0] == 201
    assert _request(server, "/api/v1/namespaces/dev/services", {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})[0] == 201
    every, web = "/api/v1/endpoints", "/apis/apps/v1/namespaces/dev/deployments/web"
    server.step(30)
    _request(server, every)
    for replicas in (3, 4):          # a Pod more: dev's Endpoints change, each time unread
        _patch(server, web, {"spec": {"replicas": replicas}})
        server.step(30)
        at = _request(server, "/api/v1/namespaces/default/endpoints")[1]["metadata"][
            "resourceVersion"]
    found = _request(server, f"{every}?resourceVersion={at}&resourceVersionMatch=Exact")[1]
    assert [len(o["subsets"][0]["addresses"]) for o in found["items"]
            if o["metadata"]["name"] == "web"] == [4]
    status, first = _request(server, f"{every}?resourceVersion={int(at) - 1}"
                                     "&resourceVersionMatch=Exact")[:2]
    assert status == 200, first


def test_a_version_only_a_scale_read_showed_is_listed_as_it_was(server):
    """A ``/scale`` read numbers its object's change and keeps its state, as a read of the
    object does (it had been answered 410)."""
    deployments = "/apis/apps/v1/namespaces/default/deployments"
    assert _request(server, deployments, _WEB)[0] == 201
    _request(server, deployments)
    server.step(30)
    scaled = _request(server, f"{deployments}/web/scale")[1]["metadata"]["resourceVersion"]
    stored = server.backend.cluster.get("Deployment", "default", "web")
    stored["metadata"]["annotations"] = {"changed": "in place"}    # unread since
    _request(server, deployments)
    assert _names_at(server, deployments, scaled) == ["web"]


def test_a_state_only_an_events_reference_numbered_cannot_be_listed(server):
    """A version the simulator numbered without keeping the object's state (an Event's
    reference renders the object it names, to stamp its version) is answered 410, as a
    compacted one."""
    before = _list(server)["metadata"]["resourceVersion"]
    _patch(server, f"{CONFIGMAPS}/a", {"data": {"k": "1"}})
    a = server.backend.cluster.get("ConfigMap", "default", "a")
    a["data"]["k"] = "2"              # changed in place, and only an Event's reference sees it
    watched = server.backend.renderer.render(a)["metadata"]["resourceVersion"]
    a["data"]["k"] = "3"
    _list(server)
    status, body, _ = _request(server, f"{CONFIGMAPS}?resourceVersion={watched}"
                                       "&resourceVersionMatch=Exact")
    assert (status, body["message"]) == (410, "The resourceVersion for the provided list is "
                                              "too old.")
    found = _list(server, f"resourceVersion={before}&resourceVersionMatch=Exact")
    assert "data" not in found["items"][0]           # the states kept still read


def _namespace(server, name: str) -> None:
    assert _request(server, "/api/v1/namespaces", {
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})[0] == 201


def test_an_exact_list_of_one_namespace_ignores_the_others(server):
    """What the list leaves out cannot change it: a change or a deletion in another
    namespace had expired an ``Exact`` list of ``default``."""
    _namespace(server, "dev")
    dev = "/api/v1/namespaces/dev/configmaps"
    assert _request(server, dev, {"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"name": "x"}})[0] == 201
    _list(server)
    before = _list(server)["metadata"]["resourceVersion"]
    _delete(server, f"{dev}/x")
    _request(server, dev)                                 # a read in dev finds it gone
    query = f"resourceVersion={before}&resourceVersionMatch=Exact"
    assert _list(server, query)["metadata"]["resourceVersion"] == before
    assert _names_at(server, dev, before) == ["x"]          # dev's own, as it was then


def test_a_deletion_is_numbered_when_it_happens_not_when_a_list_finds_it(server):
    """A ConfigMap deleted in ``dev`` before a list of ``default`` gave the revision ``R``:
    an ``Exact`` list of every namespace at ``R`` reads the store as it was then. The
    deletion had been numbered when a list first looked in ``dev``, after ``R``, and the
    list had expired."""
    _namespace(server, "dev")
    dev = "/api/v1/namespaces/dev/configmaps"
    assert _request(server, dev, {"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"name": "x"}})[0] == 201
    _request(server, "/api/v1/configmaps")                # every one seen, x too
    _delete(server, f"{dev}/x")
    at = _list(server)["metadata"]["resourceVersion"]      # default's list: dev unread
    status, body, _ = _request(server, f"/api/v1/configmaps?resourceVersion={at}"
                                       "&resourceVersionMatch=Exact")
    assert (status, body["metadata"].get("resourceVersion")) == (200, at), body
    assert "x" not in [o["metadata"]["name"] for o in body["items"]]


def test_a_cluster_served_later_compacts_from_the_time_it_is_served():
    """The compactor of a cluster a lab has run for 1,000 simulated seconds before serving
    it wakes at 1300 and 1600: an Exact version from its start stays readable until
    1600, where it had expired at 1500 (the wakes of a server started at second 0)."""
    from clustersim.kubernetes import KubernetesCluster, default_nodes

    cluster = KubernetesCluster(default_nodes(1), seed=0)
    cluster.run(until=1000)
    with serve("kubernetes", cluster=cluster, speed=0) as late:
        _expires_600_seconds_after_a_write(late)


def test_a_namespace_made_again_keeps_its_objects_history_past_a_compaction(server):
    """A namespace deleted and made again has the same default ConfigMap (its uid comes
    from the names): after the compaction at second 600, to a revision between its deletion
    and its return, an Exact list of the namespace at a version from before its second
    deletion still lists it. The compaction had let the key go for its first deletion, the
    second was not noted, and the list had answered 200 with no items."""
    demo = "/api/v1/namespaces/demo"
    _namespace(server, "demo")
    _request(server, f"{demo}/configmaps")                   # kube-root-ca.crt shown
    _delete(server, demo)
    server.step(1)
    _request(server, f"{demo}/configmaps")                   # found gone
    server.step(349)
    _namespace(server, "demo")
    _request(server, f"{demo}/configmaps")                   # shown again, same uid
    server.step(300)
    at = _request(server, f"{demo}/configmaps")[1]["metadata"]["resourceVersion"]
    _delete(server, demo)
    server.step(1)
    status, body, _ = _request(server, f"{demo}/configmaps?resourceVersion={at}"
                                       "&resourceVersionMatch=Exact")
    assert status == 200, body
    assert [o["metadata"]["name"] for o in body["items"]] == ["kube-root-ca.crt"]


def test_a_version_first_shown_by_a_create_is_listed_after_a_change(server):
    """A create's answer keeps the object's state at its version, as a list's does: changed
    before any list showed it, the object is listed at that version as it was made (it
    had been 410, its state then unknown)."""
    status, made, _ = _request(server, CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap",
                                                    "metadata": {"name": "b"}})
    assert status == 201
    _delete(server, f"{CONFIGMAPS}/b")                   # answers it without keeping it
    assert "b" in _names_at(server, CONFIGMAPS, made["metadata"]["resourceVersion"])


def test_a_version_first_shown_by_a_node_update_is_listed_after_a_change(server):
    nodes = "/api/v1/nodes"
    name = _request(server, nodes)[1]["items"][0]["metadata"]["name"]
    labelled = _patch(server, f"{nodes}/{name}", {"metadata": {"labels": {"tier": "a"}}})
    _patch(server, f"{nodes}/{name}", {"metadata": {"labels": {"tier": "b"}}})
    assert name in _names_at(server, nodes, labelled["metadata"]["resourceVersion"])


def test_a_version_first_shown_by_a_delete_is_listed_after_a_change(server):
    """A deletion a finalizer holds answers the object with its deletionTimestamp at a new
    version, kept as a list keeps it."""
    assert _request(server, CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "b", "finalizers": ["example.com/hold"]}})[0] == 201
    request = urllib.request.Request(f"{server.url}{CONFIGMAPS}/b", method="DELETE")
    with urllib.request.urlopen(request, timeout=30) as answer:
        deleting = json.loads(answer.read())
    assert "deletionTimestamp" in deleting["metadata"]
    b = server.backend.cluster.get("ConfigMap", "default", "b")
    b["metadata"]["labels"] = {"app": "web"}       # changed in place: no read shows it first
    assert "b" in _names_at(server, CONFIGMAPS, deleting["metadata"]["resourceVersion"])


def test_an_update_that_ends_a_deletion_answers_the_version_the_object_had(server):
    """An update taking the last finalizer of an object being deleted deletes it instead of
    writing it (Store.Update's deleteWithoutFinalizers) and answers it as updated at the
    version it had. It had been numbered anew after its deletion: a version of an object
    already gone, which a later list then numbered a second deletion of."""
    assert _request(server, CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "b", "finalizers": ["example.com/hold"]}})[0] == 201
    request = urllib.request.Request(f"{server.url}{CONFIGMAPS}/b", method="DELETE")
    with urllib.request.urlopen(request, timeout=30) as answer:
        deleting = json.loads(answer.read())["metadata"]["resourceVersion"]
    done = _patch(server, f"{CONFIGMAPS}/b", {"metadata": {"finalizers": None}})
    assert (done["metadata"]["resourceVersion"], done["metadata"].get("finalizers")) == (
        deleting, None)
