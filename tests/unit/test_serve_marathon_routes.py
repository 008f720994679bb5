"""What Jersey answers before Marathon 1.11's resources run (``serve/marathonroutes.py``): an
unknown route, a method its route does not take, then the ``Accept``; and the two routes
that read the ``Accept`` themselves, ``/ping`` (``SystemResource.ping``) and the event
stream (Jetty's ``EventSourceServlet``)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import marathon
import pytest
import requests

from clustersim.serve import serve
from clustersim.serve.core import HttpError
from clustersim.serve.marathonquery import _quality
from clustersim.serve.marathonroutes import resource_method

_APP = {"id": "/web", "cmd": "serve", "cpus": 0.1, "mem": 16}


@pytest.fixture
def server():
    with serve("marathon", nodes=2, speed=0) as server:
        requests.post(f"{server.url}/v2/apps", json=_APP, timeout=10)
        server.step(30)
        yield server


@pytest.mark.parametrize("path", [
    "/unknown", "/", "/v2", "/v2/unknown", "/v2/apps/web/tasks/a/b", "/v2/apps/web/versions/a/b",
    "/v2/queue/web", "/v2/info/x", "/v2/deployments/a/b", "/v2/tasks/x", "/v2/plugins/auth"])
def test_a_route_no_resource_takes_is_jerseys_not_found(server, path):
    """No template of a 1.11 resource matches: Jersey's ``NotFoundException``, which
    ``MarathonExceptionMapper`` answers with its status, 404, and ``URI not found``; the
    simulator answered ``HTTP 404 Not Found``, or took ``/v2/apps/web/tasks/a/b`` for an
    app of that id (``AppsResource``'s ``{appId:.+}/tasks`` locator wins, and its resource
    has no route for ``a/b``)."""
    answer = requests.get(f"{server.url}{path}", timeout=10)
    assert (answer.status_code, answer.json()) == (404, {"message": "URI not found"})


@pytest.mark.parametrize(("method", "path"), [
    ("DELETE", "/v2/info"), ("GET", "/v2/apps/web/restart"), ("GET", "/v2/apps/gone/restart"),
    ("POST", "/v2/apps/web/versions"), ("GET", "/v2/apps/web/tasks/web.1"),
    ("GET", "/v2/deployments/x"), ("PUT", "/v2/tasks"), ("GET", "/v2/tasks/delete"),
    ("POST", "/ping"), ("DELETE", "/metrics"), ("PATCH", "/v2/groups")])
@pytest.mark.parametrize("accept", ["application/json", "text/plain"])
def test_a_method_the_route_does_not_take_is_405_before_the_accept(server, method, path,
                                                                   accept):
    """Jersey picks the route, then the method (405 ``Method Not Allowed``, the status's
    reason phrase from ``MarathonExceptionMapper``), and only then the ``Accept`` (406): the
    simulator answered 406 to a non-JSON ``Accept`` first, its 405 said ``HTTP 405 Method
    Not Allowed``, and a restart's or a version's wrong method on an app it did not know
    was 404."""
    answer = requests.request(method, f"{server.url}{path}", headers={"Accept": accept},
                              timeout=10)
    assert (answer.status_code, answer.json()) == (405, {"message": "Method Not Allowed"})
    assert requests.get(f"{server.url}/v2/deployments", timeout=10).json() == []


@pytest.mark.parametrize(("accept", "status", "content_type", "body"), [
    (None, 200, "text/plain", "pong"), ("*/*", 200, "text/plain", "pong"),
    ("text/*", 200, "text/plain", "pong"), ("text/html", 200, "text/html", "pong"),
    ("text/csv", 200, "text/plain", "pong"), ("application/json", 200, "application/json",
                                              '"pong"'),
    ("application/json;q=0.5, text/plain", 200, "text/plain", "pong"),
    ("image/png", 204, None, ""), ("text/plain;q=0", 204, None, "")])
def test_ping_answers_what_the_accept_prefers(server, accept, status, content_type, body):
    """``SystemResource.ping`` declares no ``@Produces`` and picks among ``text/plain``,
    ``text/html``, ``application/json`` and ``text/*``: ``pong`` as text, ``"pong"`` as
    JSON, 204 for an ``Accept`` that admits none; the simulator answered ``pong`` in
    ``text/plain`` to every ``Accept``."""
    headers = {"Accept": accept} if accept is not None else {}
    answer = requests.get(f"{server.url}/ping", headers=headers, timeout=10)
    assert (answer.status_code, answer.text) == (status, body)
    # a 204 of Response.noContent() has no entity, so no Content-Type (it said JSON)
    assert answer.headers.get("Content-Type") == content_type


@pytest.mark.parametrize(("path", "app"), [
    ("/v2/apps/x%2Fy", "/x/y"), ("/v2/apps/x%2fy/tasks", "/x/y"), ("/v2/apps/x%20y", "/x y"),
    ("/v2/apps/a/../x/y", "/x/y"), ("/v2/apps/./x", "/x")])
def test_an_app_id_is_the_decoded_path_parameter_made_canonical(server, path, app):
    """Jersey matches the encoded path and decodes the ``@PathParam``; ``AppsResource``
    reads it with ``toAbsolutePath`` (``PathId.canonicalPath``, ``.`` and ``..`` resolved).
    The simulator answered ``App '/x%2Fy' does not exist`` and ``App '/a/../x/y' ...``."""
    def get(path: str) -> tuple[int, dict]:          # as sent: requests drops dot segments
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        answer = response.status, json.loads(response.read())
        conn.close()
        return answer

    assert get(path) == (404, {"message": f"App '{app}' does not exist"})
    status, shown = get("/v2/apps/x/..%2Fweb")
    assert status == 200 and shown["app"]["id"] == "/web"


def test_the_client_pings_as_json(server):
    """The ``marathon`` client sends ``Accept: application/json`` on every request, so its
    ``ping()`` reads the JSON string."""
    assert marathon.MarathonClient(server.url).ping() == b'"pong"'


def test_metrics_produce_json_alone(server):
    """``SystemResource.metrics`` ``@Produces`` JSON: 406 for ``text/plain`` (the simulator
    answered its JSON), the metrics for JSON."""
    text = requests.get(f"{server.url}/metrics", headers={"Accept": "text/plain"}, timeout=10)
    assert (text.status_code, text.json()) == (406, {"message": "Not Acceptable"})
    served = requests.get(f"{server.url}/metrics", headers={"Accept": "application/json"},
                          timeout=10)
    assert served.json()["gauges"]["marathon.apps.active.gauge"] == {"value": 1}


@pytest.mark.parametrize(("lines", "streams"), [
    (["application/json", "text/event-stream"], True),
    (["text/event-stream", "application/json"], True),
    (["application/json", "text/plain"], False)])
def test_the_event_stream_reads_each_accept_line(server, lines, streams):
    """Jetty's ``EventSourceServlet.doGet`` walks ``getHeaders("Accept")``, one value per
    line as sent, and streams when one equals ``text/event-stream``; the simulator joined
    the lines into one value, which never equals it."""
    where = urlsplit(server.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    connection.putrequest("GET", "/v2/events")
    for line in lines:
        connection.putheader("Accept", line)
    connection.endheaders()
    answer = connection.getresponse()
    try:
        assert answer.status == (200 if streams else 405)
        if streams:
            assert answer.readline() == b"event: event_stream_attached\n"
    finally:
        connection.close()


def test_the_event_streams_other_methods_are_the_servlets_405(server):
    """A method the servlet does not take is ``HttpServlet``'s own 405, in its words."""
    answer = requests.post(f"{server.url}/v2/events", timeout=10)
    assert (answer.status_code, answer.json()) == (
        405, {"message": "HTTP method POST is not supported by this URL"})


@pytest.mark.parametrize(("path", "template"), [
    ("/v2/apps//web", "{id:.+}"), ("/v2/apps/a/tasks/b/tasks", ""),
    ("/v2/apps/a/tasks/restart", "{id:.+}/restart"), ("/v2/pods/::status", "::status"),
    ("/v2/pods/a/b::status", "{id:.+}::status"), ("/v2/groups/a/versions/v", "{id:.+}")])
def test_templates_are_tried_in_jerseys_order(path, template):
    """The template with the most literal characters is tried first, then the one with the
    most variables (``{id:.+}::status`` before ``::status``), and a greedy ``{appId:.+}``
    takes the last ``/tasks``; a request whose method no route takes names none."""
    method = "POST" if path.endswith("restart") else "GET"
    assert resource_method(path, method).template == template
    with pytest.raises(HttpError) as refused:
        resource_method(path, "TRACE")
    assert refused.value.status == 405


# The Allow headers as Java's HashSet of default capacity orders the methods (buckets by
# String.hashCode spread as HashMap.hash: HEAD 1, DELETE 2, POST 5, GET 7, OPTIONS 12,
# PUT and PATCH 14), computed apart from the simulator.
@pytest.mark.parametrize(("path", "allow"), [
    ("/v2/info", "HEAD,GET,OPTIONS"), ("/v2/apps", "HEAD,POST,GET,OPTIONS,PUT,PATCH"),
    ("/v2/apps/web", "HEAD,DELETE,GET,OPTIONS,PUT,PATCH"),
    ("/v2/leader", "HEAD,DELETE,GET,OPTIONS"),
    ("/v2/tasks/delete", "POST,OPTIONS"), ("/ping", "HEAD,GET,OPTIONS")])
def test_options_is_jerseys_200_with_the_allowed_methods(server, path, allow):
    """Jersey answers ``OPTIONS`` on every route itself (``OptionsMethodProcessor``,
    ``WadlModelProcessor``): 200 with ``Allow``; asked for ``text/plain``, the same list as
    the body, as Java prints a set without brackets; the simulator answered 405."""
    plain = requests.options(f"{server.url}{path}", headers={"Accept": "text/plain"},
                             timeout=10)
    assert (plain.status_code, plain.headers["Allow"]) == (200, allow)
    assert plain.headers["Content-Type"].startswith("text/plain")
    assert plain.text == allow.replace(",", ", ")
    default = requests.options(f"{server.url}{path}", timeout=10)   # Accept: */*
    assert (default.status_code, default.headers["Allow"]) == (200, allow)


def test_options_to_json_is_the_generic_empty_answer(server):
    """An ``Accept`` that admits neither text nor WADL gets ``GenericOptionsInflector``'s
    answer: empty, typed as the first acceptable type; OPTIONS changes nothing, and a path
    no resource takes is still 404."""
    answer = requests.options(f"{server.url}/v2/apps", timeout=10,
                              headers={"Accept": "application/json"})
    assert (answer.status_code, answer.content) == (200, b"")
    assert answer.headers["Content-Type"].startswith("application/json")
    assert requests.get(f"{server.url}/v2/deployments", timeout=10).json() == []
    assert requests.options(f"{server.url}/v2/unknown", timeout=10).status_code == 404


def _raw(server, path: str, accept: str = "application/json") -> tuple[int, str, bytes]:
    """``GET`` of ``path`` as sent (``requests`` would drop its dot segments): the status,
    the Content-Type and the first line of the body."""
    where = urlsplit(server.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    connection.request("GET", path, headers={"Accept": accept})
    answer = connection.getresponse()
    try:
        return answer.status, answer.getheader("Content-Type", ""), answer.readline()
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/v2/apps/../events", "/v2/apps/%2e%2e/events",
                                  "/v2/./events", "/x/y/../../v2/events"])
def test_jetty_picks_the_servlet_by_the_canonical_path(server, path):
    """Jetty maps a request to a servlet by its decoded path made canonical
    (``Request.setMetaData``, ``URIUtil.canonicalPath``), so these reach the event stream's
    servlet; the simulator took them to Jersey's routes (an app ``/events``, or 404)."""
    assert _raw(server, path, "text/event-stream") == (
        200, "text/event-stream", b"event: event_stream_attached\n")


@pytest.mark.parametrize("path", ["/..", "/v2/../../info", "/v2/apps/%2e%2e/%2E%2E/..",
                                  "/../v2/apps"])
def test_a_dot_dot_above_the_root_is_jettys_bad_uri(server, path):
    """A ``..`` that climbs above the root makes ``canonicalPath`` null: Jetty's
    ``BadMessageException(400, "Bad URI")``, answered with ``ErrorHandler``'s HTML page
    before any servlet runs; the simulator routed it (404, or an app list)."""
    assert _raw(server, path) == (400, "text/html;charset=iso-8859-1",
                                  b"<h1>Bad Message 400</h1><pre>reason: Bad URI</pre>")


def test_jersey_still_routes_the_path_as_sent(server):
    """Past Jetty, Jersey routes ``getRequestURI``, the path as sent: ``/v2/apps/x/../web``
    is ``AppsResource``'s ``{id}`` of ``x/../web``, which Marathon makes ``/web``."""
    status, _, line = _raw(server, "/v2/apps/x/../web")
    assert status == 200 and json.loads(line)["app"]["id"] == "/web"


@pytest.mark.parametrize(("accept", "status"), [
    ("garbage", 406), ("application", 200), ("*", 200), ("text", 406),
    ("application/json;Q=0", 406), ("application/json;q=.5", 200)])
def test_an_accept_range_is_read_as_jersey_reads_it(server, accept, status):
    """``AcceptableMediaType.valueOf`` takes a type without a subtype for ``type/*``
    (``garbage`` admits no JSON, ``application`` does) and a parameter's name in any case;
    the simulator answered 406 to ``application`` and ``*`` and read ``Q=0`` as no q."""
    answer = requests.get(f"{server.url}/v2/info", headers={"Accept": accept}, timeout=10)
    assert answer.status_code == status


@pytest.mark.parametrize("accept", ["application/json;q=abc", "application/json;q=1.5",
                                    "application/json;q=0.1234", "application/", "*/json, a/"])
def test_an_accept_jersey_cannot_parse_is_its_empty_400(server, accept):
    """A range Jersey's ``HttpHeaderReader`` cannot read is an inbound
    ``HeaderValueException``, which ``ServerRuntime`` answers itself, 400 with no entity,
    once the route and its method are found; the simulator read a bad ``q`` as 0 and
    answered 200 or 406."""
    answer = requests.get(f"{server.url}/v2/info", headers={"Accept": accept}, timeout=10)
    assert (answer.status_code, answer.content) == (400, b"")
    assert "Content-Type" not in answer.headers
    refused = requests.post(f"{server.url}/v2/info", headers={"Accept": accept}, timeout=10)
    assert refused.status_code == 405


# readQualityFactor's outcomes, worked out by hand from eclipse-ee4j/jersey
# core-common/.../message/internal/HttpHeaderReader.java (thousandths; None: ParseException).
@pytest.mark.parametrize(("text", "thousandths"), [
    ("1", 1000), ("0", 0), ("0.5", 500), (".5", 500), ("1.000", 1000), ("0.123", 123),
    (".1234", 123), ("0.", -2000), ("1.", -2000), ("1.5", None), ("0.1234", None),
    ("2", None), (".", None), ("", None), ("0,5", None)])
def test_a_q_value_is_jerseys_reading(text, thousandths):
    """Every branch of ``readQualityFactor``, its ``'.'``-as-a-digit quirk included."""
    if thousandths is None:
        with pytest.raises(ValueError):
            _quality(text)
    else:
        assert _quality(text) == thousandths


@pytest.mark.parametrize("content_type", ["garbage", "application", "application/",
                                          "/json", "; charset=utf-8"])
def test_a_content_type_jersey_cannot_parse_is_its_empty_400(server, content_type):
    """Picking the method, Jersey reads the ``Content-Type`` (``isConsumable``,
    ``getMediaType``) before the ``Accept``, with a body or not: one that
    ``MediaType.valueOf`` cannot read (no ``/`` subtype, as an ``Accept`` range may lack)
    is an inbound ``HeaderValueException``, 400 with no entity; the simulator answered a
    POST 415 and a GET as if the header were not there. A method the route does not take is
    still 405, found before."""
    for method, path in (("POST", "/v2/apps"), ("GET", "/v2/info"), ("OPTIONS", "/v2/apps")):
        answer = requests.request(method, f"{server.url}{path}", data=b'{"id": "x"}',
                                  headers={"Content-Type": content_type,
                                           "Accept": "garbage/x"}, timeout=10)
        assert (answer.status_code, answer.content) == (400, b""), (method, path)
        assert "Content-Type" not in answer.headers
    refused = requests.post(f"{server.url}/v2/info", headers={"Content-Type": content_type},
                            timeout=10)
    assert refused.status_code == 405


def test_two_content_type_lines_are_jerseys_empty_400(server):
    """Jersey's ``ServletContainer`` copies each header line as a value of its own, and
    ``getMediaType`` takes one value only (``singleHeader``: too many values is a
    ``HeaderValueException``): two ``Content-Type`` lines are its 400, even two alike. One
    line still reads: a GET with a JSON ``Content-Type`` answers."""
    where = urlsplit(server.url)
    for types in (["application/json", "application/json"], ["application/json"]):
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
        try:
            connection.putrequest("GET", "/v2/info")
            for media in types:
                connection.putheader("Content-Type", media)
            connection.endheaders()
            answer = connection.getresponse()
            status, body = answer.status, answer.read()
        finally:
            connection.close()
        assert (status, body == b"") == ((400, True) if len(types) == 2 else (200, False))


def test_a_json_content_type_with_parameters_still_reads(server):
    """The check refuses only what Jersey cannot parse: ``application/json;
    charset=utf-8`` is read, and the ``marathon`` client (which sends a ``Content-Type`` of
    ``application/json`` on every call, a GET too) still reads its app."""
    answer = requests.get(f"{server.url}/v2/info",
                          headers={"Content-Type": "application/json; charset=utf-8"},
                          timeout=10)
    assert answer.status_code == 200
    assert marathon.MarathonClient(server.url).get_app("web").id == "/web"


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/v2/apps"), ("GET", "/v2/apps"), ("PUT", "/v2/apps/web"),
    ("DELETE", "/v2/apps/web"), ("POST", "/v2/apps/web/restart")])
def test_apps_resource_refuses_a_content_type_it_does_not_consume_before_the_accept(
        server, method, path):
    """``AppsResource`` declares ``@Consumes(APPLICATION_JSON)`` for all its methods, and
    Jersey's ``MethodSelectingRouter.getMethodRouter`` throws ``NotSupportedException``
    (415) when no method consumes the request's type, before it weighs the ``Accept``
    (``NotAcceptableException``, 406): the simulator answered 406 to a text/plain body with
    a text/html ``Accept``, and a GET with a text/plain ``Content-Type`` 200."""
    answer = requests.request(method, f"{server.url}{path}", data=b'{"instances": 1}',
                              headers={"Content-Type": "text/plain", "Accept": "text/html"},
                              timeout=10)
    assert (answer.status_code, answer.json()) == (415, {"message": "Unsupported Media Type"})


@pytest.mark.parametrize("content_type", [
    "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", None])
def test_a_json_content_type_with_parameters_or_none_is_consumed(server, content_type):
    """``MediaType.isCompatible`` compares type and subtype in any case and ignores
    parameters; a request without a ``Content-Type`` is consumable
    (``ConsumesProducesAcceptor.isConsumable``)."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    listed = requests.get(f"{server.url}/v2/apps", headers=headers, timeout=10)
    assert listed.status_code == 200 and [a["id"] for a in listed.json()["apps"]] == ["/web"]
    created = requests.post(f"{server.url}/v2/apps", data=json.dumps({**_APP, "id": "/b"}),
                            headers=headers, timeout=10)
    assert created.status_code == 201, created.text
