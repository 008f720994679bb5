"""What the served Kubernetes API writes and reads on the wire, sent over plain HTTP: its
watch events written as Go's ``encoding/json`` writes them, the kind and version a created
object's body may leave out, an Invalid error's details, and timestamps that stay put."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from datetime import datetime

from clustersim.serve import serve
from tests.unit.test_serve_kubectl_dry_run import _answer

_CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "b"}}


def test_watch_events_are_compact_json_as_go_writes_them():
    """Each event of a watch, its initial ADDED events and a BOOKMARK alike, is one line of
    JSON without the spaces Python's encoder puts after ``,``
    and ``:`` (they had been ``{"type": "ADDED", ...}``)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", "/api/v1/namespaces/default/configmaps", _CM)[0] == 201
        with urllib.request.urlopen(
                f"{server.url}/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1"
                "&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch="
                "NotOlderThan", timeout=30) as answer:
            lines = [line.rstrip(b"\n") for line in answer if line.strip()]
        assert {json.loads(line)["type"] for line in lines} >= {"ADDED", "BOOKMARK"}
        for line in lines:
            assert line == json.dumps(json.loads(line), separators=(",", ":")).encode()


_CONFIGMAPS = "/api/v1/namespaces/default/configmaps"


def test_a_body_without_kind_or_api_version_takes_the_endpoint_s():
    """The create handler decodes with the endpoint's group, version and kind as defaults
    (``gvkWithDefaults``): a ConfigMap sent without them is made (it had been a 400 quoting
    Python's ``None``)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        for name, sent in (("cm1", {}), ("cm2", {"kind": "ConfigMap"}),
                           ("cm3", {"apiVersion": "v1"})):
            status, made = _answer(server, "POST", _CONFIGMAPS,
                                   {**sent, "metadata": {"name": name}, "data": {"a": "b"}})
            assert status == 201, made
            assert (made["apiVersion"], made["kind"], made["data"]) == ("v1", "ConfigMap",
                                                                        {"a": "b"})
        assert server.cluster.get("ConfigMap", "default", "cm1") is not None


def test_a_body_of_another_kind_or_version_is_refused_in_go_s_words():
    """Another kind is decoded as itself and cannot be converted into the endpoint's (the
    converter's words, wrapped by ``transformDecodeError``); the endpoint's kind at a version
    the scheme does not register it in is the decoder's ``notRegisteredErr``; a kind that
    is no string fails the serializer's first look. No Python repr (``'Secret'``, ``None``)
    is shown."""
    cases = [
        ({"apiVersion": "v1", "kind": "Secret"}, 'Secret in version "v1" cannot be handled as '
         "a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion"),
        ({"kind": "Deployment", "apiVersion": "apps/v1"}, 'Deployment in version "v1" cannot '
         "be handled as a ConfigMap: converting (v1.Deployment) to (core.ConfigMap): unknown "
         "conversion"),
        ({"apiVersion": "apps/v1beta1", "kind": "ConfigMap"}, 'ConfigMap in version "v1beta1" '
         'cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version '
         '"apps/v1beta1" in scheme "pkg/api/legacyscheme/scheme.go:30"'),
        ({"apiVersion": "v2", "kind": "ConfigMap"}, 'ConfigMap in version "v2" cannot be '
         'handled as a ConfigMap: no kind "ConfigMap" is registered for version "v2"'),
        ({"apiVersion": "v1", "kind": 5}, "the object provided is unrecognized (must be of "
         "type ConfigMap): couldn't get version/kind; json parse error: json: cannot "
         "unmarshal number into Go struct field .kind of type string ("),
    ]
    with serve("kubernetes", nodes=1, speed=0) as server:
        for sent, message in cases:
            status, answer = _answer(server, "POST", _CONFIGMAPS,
                                     {**sent, "metadata": {"name": "x"}, "data": {}})
            assert (status, answer["reason"]) == (400, "BadRequest")
            assert answer["message"].startswith(message), answer["message"]
        assert server.cluster.get("ConfigMap", "default", "x") is None


def test_an_error_of_the_whole_object_has_a_cause_without_a_field():
    """``ValidatePodLogOptions`` refuses ``sinceSeconds`` with ``sinceTime`` at the empty
    path (``: Forbidden: ...``); ``errors.NewInvalid`` still gives its Status details and
    a cause, whose empty field ``StatusCause`` omits (the 422 had come without details)."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    forbidden = "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"
    with serve("kubernetes", nodes=1, speed=0) as server:
        assert _answer(server, "POST", "/api/v1/namespaces/default/pods", pod)[0] == 201
        server.step(30)
        log = "/api/v1/namespaces/default/pods/p/log?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z"
        status, answer = _answer(server, "GET", log)
        assert (status, answer["message"]) == (422, f'PodLogOptions "p" is invalid: : {forbidden}')
        assert (answer["details"]["kind"], answer["details"]["name"]) == ("PodLogOptions", "p")
        assert answer["details"]["causes"] == [{"reason": "FieldValueForbidden",
                                                "message": forbidden}]
        status, answer = _answer(server, "GET", log + "&tailLines=-1")
        assert [c.get("field") for c in answer["details"]["causes"]] == ["tailLines", None]


def test_a_timestamp_once_shown_never_changes_while_the_clock_runs_fast():
    """At ``--speed 10`` the wall clock maps simulated time from a fixed origin: an object
    read twice 1.5 s apart shows the same ``creationTimestamp`` (re-anchoring had moved it
    about 13 s back), never one in the future; a ``step`` keeps what was shown, and what it
    makes is stamped at the step's end."""
    with serve("kubernetes", nodes=1, speed=10) as server:
        assert _answer(server, "POST", _CONFIGMAPS, _CM)[0] == 201

        def stamp(name: str) -> str:
            return _answer(server, "GET", f"{_CONFIGMAPS}/{name}")[1]["metadata"][
                "creationTimestamp"]

        first = stamp("cm")
        time.sleep(1.5)
        assert stamp("cm") == first
        server.step(600)
        assert stamp("cm") == first
        asked = time.time()
        assert _answer(server, "POST", _CONFIGMAPS, {**_CM, "metadata": {"name": "later"}}
                       )[0] == 201
        answered = time.time()
        made = datetime.fromisoformat(stamp("later")).timestamp()
        assert first <= stamp("later")
        # the wall clock's second while the create was answered (a fixed 3 s around the
        # test's own clock had been allowed, however long a loaded machine took)
        assert int(asked) <= made <= answered


def test_status_details_leave_out_the_core_group():
    """``StatusDetails``' fields are all ``omitempty`` (k8s.io/apimachinery
    ``pkg/apis/meta/v1/types.go``): a core kind's Invalid and NotFound errors have no
    ``group``, where the served API had written ``"group": ""``; a named group's keep it."""
    bad = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name"}}
    with serve("kubernetes", nodes=1, speed=0) as server:
        status, answer = _answer(server, "POST", "/api/v1/namespaces/default/configmaps", bad)
        assert (status, answer["details"]["kind"]) == (422, "ConfigMap")
        assert "group" not in answer["details"]
        status, answer = _answer(server, "GET", "/api/v1/namespaces/default/pods/gone")
        assert (status, answer["details"]) == (404, {"name": "gone", "kind": "pods"})
        status, answer = _answer(server, "GET", "/apis/apps/v1/namespaces/default/deployments/x")
        assert answer["details"] == {"name": "x", "group": "apps", "kind": "deployments"}


_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
_TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"


def _read(server, path: str, accept: str = "application/json") -> bytes:
    request = urllib.request.Request(f"{server.url}{path}", headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read()


def test_ages_and_since_count_on_the_mapping_the_timestamps_show():
    """At ``--speed 10`` a ``step`` of ten simulated minutes shows every instant it jumped
    over at the moment it was taken: ``kubectl get``'s AGE (server-side, ``kubetables``)
    and ``kubectl logs --since`` (``sinceSeconds``, counted back from now by the kubelet's
    clock) then count the wall-clock seconds the timestamps show, as ``kubectl describe``
    does. They had counted simulated seconds (AGE ``10m`` beside a creationTimestamp a
    second old, and ``--since=1m`` dropping a line stamped that second)."""
    with serve("kubernetes", nodes=1, speed=10) as server:
        asked = time.time()
        assert _answer(server, "POST", "/api/v1/namespaces/default/pods", _POD)[0] == 201
        answered = time.time()
        server.step(600)
        pod = json.loads(_read(server, "/api/v1/namespaces/default/pods/web"))
        made = datetime.fromisoformat(pod["metadata"]["creationTimestamp"]).timestamp()
        assert int(asked) <= made <= answered
        cells = json.loads(_read(server, "/api/v1/namespaces/default/pods", _TABLE)
                           )["rows"][0]["cells"]
        # the wall-clock seconds since the create, not the step's 10m: at most the seconds
        # this test has taken (it had been held to 2 s, which a loaded machine can pass)
        assert re.fullmatch(r"\d+s", cells[4]) and int(cells[4][:-1]) <= time.time() - made
        log = "/api/v1/namespaces/default/pods/web/log"
        everything = _read(server, log)
        assert everything and _read(server, log + "?sinceSeconds=60") == everything
