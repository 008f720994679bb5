"""How one watches Marathon: the event stream ``GET /v2/events``, ``GET /metrics`` and
``GET /ping``.

``/v2/events`` is a server-sent event stream (d2iq-archive/marathon
``src/main/scala/mesosphere/marathon/core/event/impl/stream/HttpEventStreamServlet.scala``,
a Jetty ``EventSourceServlet``, still in 1.11, not a Jersey resource): Jetty streams only
to a request whose ``Accept`` is exactly ``text/event-stream`` (jetty/jetty.project
``jetty-servlets/.../EventSourceServlet.java``, ``doGet``: the header's value compared with
``equals``, no media-type negotiation), so ``application/json, text/event-stream``,
``text/event-stream;q=0``, ``text/*`` or no ``Accept`` at all fall through to
``HttpServlet.doGet``: 405 ``HTTP method GET is not supported by this URL``
(``docs/docs/rest-api/public/api/v2/events.raml``), as any other method does to
``HttpServlet``'s own ``doPost``, ``doPut``, ... Jetty reads each ``Accept`` line of a
request on its own (``getHeaders``), so of two lines, ``Accept: application/json`` and
``Accept: text/event-stream``, the second streams. The stream opens with
``event: event_stream_attached`` and then sends each event of Marathon's event bus as
``event: <eventType>`` and ``data: <JSON>``, filtered by ``?event_type=`` (repeatable), until
the client goes away (``examples/events.txt``).

``/metrics`` answers Dropwizard's JSON (``version``, ``gauges``, ``counters``,
``histograms``, ``meters``, ``timers``) with the metric names of Marathon ≥ 1.7
(``docs/docs/metrics.md``: ``marathon.apps.active.gauge``, ...); it ``@Produces`` JSON alone
(``api/SystemResource.scala``), so an ``Accept`` without JSON answers 406.

``/ping`` (``SystemResource.ping``) declares no ``@Produces`` and picks its answer from the
``Accept`` itself (``Request.selectVariant``) among ``text/plain``, ``text/html``,
``application/json`` and ``text/*``, in that order: ``pong`` as text (``text/plain`` for a
wildcard), the JSON string ``"pong"`` for JSON, and 204 with no body and no Content-Type
(``Response.noContent()``, no entity to type) when the ``Accept`` admits none of them
(:func:`pong`). An ``Accept`` that is no media range (``Accept: garbage``) is taken as
admitting none; Jersey's parser refuses it (``HeaderValueException``), and whether that
ends as its 400 or through Marathon's exception mapper was not checked. Simplified:
Jersey weighs every variant against every range of the ``Accept``; the simulator takes
the first variant the preferred range admits (:func:`.marathonquery.accepted`), which
differs only for ranges of equal preference.

The events the REST API posts itself (:mod:`.marathon`) carry Marathon's own payload: an
``api_post_event`` (an app's create, replace or patch) ``clientIp``, ``uri`` and the
``appDefinition``; a pod's ``pod_created_event``, ``pod_updated_event`` and
``pod_deleted_event`` ``clientIp`` and ``uri`` (``PodEventWrites`` in d2iq-archive/marathon
``api/v2/json/Formats.scala``).

An ``instance_changed_event`` carries Marathon's payload too: ``instanceId``, ``condition``,
``runSpecId``, ``agentId``, ``host``, ``runSpecVersion`` (the version's instant),
``timestamp`` and ``eventType`` (``InstanceChangedEventWrites``, ibid.;
:mod:`clustersim.marathon.conditions`).

A ``status_update_event`` carries ``slaveId``, ``taskId``, ``taskStatus``, ``message``,
``appId``, ``host``, ``ipAddresses``, ``ports`` and ``version`` in the order of
``MesosStatusUpdateEvent``'s fields (``core/event/Events.scala``, written by
``Json.writes``); ``ipAddresses`` are the addresses the task's first TASK_RUNNING reported
(none before it runs, the same on its later updates, the master's too), each
``{"ipAddress": ..., "protocol": "IPv4"}``: the container's on a container network, else its
agent's, which the simulator knows only for an agent whose Node has an ``address`` (an empty
list otherwise, where Mesos would give the agent's IP).

A ``deployment_success`` and a ``deployment_failed`` carry ``id`` and the ``plan``
(``DeploymentSuccess`` and ``DeploymentFailed`` in ``core/event/Events.scala``, written by
``Json.writes``; the plan by ``DeploymentPlanWrites``): its ``id``, ``steps`` and
``version``, rendered by :func:`deployment_plan`, which ``GET /v2/deployments`` uses too.
Simplified: Marathon's plan also holds ``original`` and ``target``, the whole group tree
before and after the change, which the simulator leaves out.

Simplified: any other event's data carries ``eventType``, ``timestamp``, the id of what it is
about (``taskId``, ``instanceId``, ``appId``, ``id`` of a deployment, ...) and the simulator's
``message``, not Marathon's full payload; only the gauges and
counters below are served, none of the JVM, HTTP or Mesos ones; the stream ends when the
server stops.

Marathon keeps no history of its events: the bus (an Akka ``EventStream``) hands each one to
the subscribers attached at that moment and forgets it, so a stream never replays the past;
it buffers up to ``--event_stream_max_outstanding_messages`` events for a client (1024 by
default, ``core/event/EventConf.scala``) and drops the connection of one that reads slower
(``docs/docs/event-bus.md``). The simulator's framework and Mesos master keep their last
:data:`~clustersim.limits.MAX_LOGGED_EVENTS` events in their logs, which a notebook reads; a
served cluster runs for hours, so :class:`EventBus` holds only the last :data:`SERVED_EVENTS`
of each, and the data it renders an event with (a posted event's payload, a finished
deployment's plan) only while an attached stream has that event still to read.
Simplified: a stream that falls that far behind skips the events gone and stays open.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from clustersim.marathon import Deployment, Marathon
from clustersim.marathon.conditions import changed_fields
from clustersim.mesos import MesosCluster
from clustersim.serve.core import HttpError, Request, Response, SimServer
from clustersim.serve.marathonquery import accepted, compatible
from clustersim.serve.marathonversions import MarathonTime
from clustersim.sim import Event

__all__ = ["SERVED_EVENTS", "EventBus", "deployment_plan", "event_stream", "metrics",
           "plan_action", "pong"]

POLL_SECONDS = 0.2
"""How often (wall clock) the stream looks for new events."""
SERVED_EVENTS = 10_000
"""The events a served cluster keeps in its framework's and its Mesos master's logs, and the
offers and dominant shares its master records (a safety cap: Marathon keeps no events, see
the module, and a Mesos master no offers or shares once answered): a stream reads only
events recorded since it attached, and the offers of each allocation round (1 s) alone
record master events."""


class EventBus:
    """The served framework's events, its log and the Mesos master's bounded to the last
    :data:`SERVED_EVENTS` (:meth:`~clustersim.sim.EventLog.keep_last`), as are the master's
    records of its offers and of the frameworks' dominant shares, which no route reads (a
    real master keeps neither); ``payloads`` holds the data of the events the REST API
    posted itself (:meth:`post`), by their number in the log
    (:meth:`~clustersim.sim.EventLog.since`); ``ended`` the deployment each
    ``deployment_success`` or ``deployment_failed`` is about, whose plan the event carries:
    the framework lets a finished deployment go
    (:meth:`~clustersim.marathon.Marathon._forget_finished`) before a stream may read it.
    Both hold only what an attached stream has still to read (:meth:`attach`), as
    Marathon's bus hands an event to the subscribers attached at that moment and keeps
    nothing for later ones: with no stream attached they hold nothing, where they had held
    every kept event's (a finished deployment with its group tree for each of the
    ``SERVED_EVENTS``)."""

    def __init__(self, marathon: Marathon, cluster: MesosCluster) -> None:
        self.marathon = marathon
        self.log = marathon.events
        self.payloads: dict[int, dict[str, Any]] = {}
        self.ended: dict[int, Deployment] = {}
        self._readers: dict[int, int] = {}
        """Each attached stream's next event to read, by the stream's token."""
        self._tokens = itertools.count()
        self.log.subscribe(self._counted)
        self.log.keep_last(SERVED_EVENTS)
        cluster.events.keep_last(SERVED_EVENTS)
        cluster.offers.keep_last(SERVED_EVENTS)
        cluster.master.share_history.keep_last(SERVED_EVENTS)

    def attach(self) -> int:
        """A stream attaches: it reads the events recorded from now on (its token)."""
        token = next(self._tokens)
        self._readers[token] = self.log.recorded
        return token

    def read_to(self, token: int, number: int) -> None:
        """The stream ``token`` has read every event before ``number``."""
        self._readers[token] = number

    def detach(self, token: int) -> None:
        """The stream ``token`` ended: what it alone had still to read goes."""
        del self._readers[token]
        self._forget_read()

    def post(self, payload: dict[str, Any]) -> None:
        """The data of the event just recorded, kept while an attached stream has to read it."""
        if self._readers:
            self.payloads[self.log.recorded - 1] = payload

    def _counted(self, event: Event) -> None:
        if event.reason in _ENDED and self._readers:
            name = event.object.partition("/")[2]
            for deployment in self.marathon.deployments:
                if deployment.id == name:
                    self.ended[self.log.recorded - 1] = deployment
        self._forget_read()

    def _forget_read(self) -> None:
        """Let go of what every attached stream has read (or the log dropped)."""
        floor = max(min(self._readers.values(), default=self.log.recorded), self.log.dropped)
        for kept in (self.payloads, self.ended):
            while kept and next(iter(kept)) < floor:
                del kept[next(iter(kept))]


_ENDED = ("deployment_success", "deployment_failed")


_ID_KEYS = {"task": "taskId", "instance": "instanceId", "app": "appId", "deployment": "id",
            "group": "groupId"}
_STATUS = re.compile(r"taskStatus=(?P<state>\S+)(?: appId=(?P<app>\S+) agentId=(?P<agent>\S+) "
                     r"host=(?P<host>\S+)(?: ipAddresses=(?P<ips>\S+))? "
                     r"ports=(?P<ports>\[[^\]]*\]) version=(?P<version>\d+))?"
                     r"(?: message=(?P<message>.*))?")


def event_stream(marathon: Marathon, request: Request, times: MarathonTime,
                 bus: EventBus) -> Response:
    """``GET /v2/events``: the event stream from now on (events already recorded are not
    replayed, as in Marathon), each event's ``timestamp`` on ``times``' wall clock, read
    from ``bus``."""
    if request.method != "GET":       # HttpServlet's own doPost, doPut, ...
        raise HttpError(405, f"HTTP method {request.method} is not supported by this URL")
    if "text/event-stream" not in request.values("accept"):   # see the module
        raise HttpError(405, "HTTP method GET is not supported by this URL (the event stream "
                        "answers clients that send 'Accept: text/event-stream')")
    wanted = set(request.query.get("event_type", []))
    attached = {"remoteAddress": request.remote_addr, "eventType": "event_stream_attached",
                "timestamp": times.instant(marathon.now)}

    def stream(server: SimServer) -> Iterator[bytes]:
        # subscribed once the answer's head is sent, as Jetty's EventSourceServlet.doGet
        # flushes it (respond) before it opens the stream (open, Marathon's onOpen): a
        # client gone by then never attaches, where its reader had stayed attached for good
        with server.lock:
            token = bus.attach()
            seen = bus.log.recorded
        try:
            if not wanted or "event_stream_attached" in wanted:   # it goes through the bus
                yield _frame("event_stream_attached", attached)
            while not server.stopping.wait(POLL_SECONDS):
                with server.lock:
                    server.catch_up()
                    times.clock.begin()
                    new = bus.log.since(seen)
                    seen = bus.log.recorded
                    frames = b"".join(
                        _frame(event.reason, _data(marathon, event, times, bus.payloads.get(n),
                                                   bus.ended.get(n)))
                        for n, event in new if not wanted or event.reason in wanted)
                    bus.read_to(token, seen)
                yield frames
        finally:
            with server.lock:
                bus.detach(token)

    return Response(200, content_type="text/event-stream", stream=stream)


def plan_action(marathon: Marathon, action: dict[str, Any]) -> dict[str, Any]:
    """A deployment action as Marathon writes it (``DeploymentActionWrites``,
    ``deployment.raml``'s ``DeploymentAction``): ``action`` and ``app`` or ``pod``."""
    key = "pod" if marathon.root.kinds.get(action["app"]) == "Pod" else "app"
    return {"action": action["action"], key: action["app"]}


def deployment_plan(marathon: Marathon, deployment: Deployment,
                    times: MarathonTime) -> dict[str, Any]:
    """A deployment's ``id``, ``steps`` (each ``{"actions": [...]}``) and ``version``: the
    parts of ``GET /v2/deployments``' entries and of an event's ``plan``."""
    return {"id": deployment.id,
            "steps": [{"actions": [plan_action(marathon, a) for a in step]}
                      for step in deployment.steps],
            "version": times.version(deployment.number)}


def _data(marathon: Marathon, event: Any, times: MarathonTime,
          payload: dict[str, Any] | None, ended: Deployment | None) -> dict[str, Any]:
    stamp = {"eventType": event.reason, "timestamp": times.instant(event.time)}
    if payload is not None:
        return {**payload, **stamp}
    kind, _, name = event.object.partition("/")
    if ended is not None:
        return {"id": name, "plan": deployment_plan(marathon, ended, times), **stamp}
    changed = changed_fields(event.message) if event.reason == "instance_changed_event" else None
    if changed is not None:
        version = times.version(changed["runSpecVersion"])
        return {"instanceId": name, **changed, "runSpecVersion": version,
                "timestamp": stamp["timestamp"], "eventType": event.reason}
    data: dict[str, Any] = {_ID_KEYS.get(kind, "id"): name, "message": event.message}
    status = _STATUS.fullmatch(event.message) if event.reason == "status_update_event" else None
    if status:          # the framework writes the event bus fields into its message
        data = {"slaveId": status["agent"] or "", "taskId": name, "taskStatus": status["state"],
                "message": status["message"] or ""}
        if status["app"]:
            ips = status["ips"].split(",") if status["ips"] else []
            data.update({"appId": status["app"], "host": status["host"],
                         "ipAddresses": [{"ipAddress": ip, "protocol": "IPv4"} for ip in ips],
                         "ports": json.loads(status["ports"]),
                         "version": times.version(int(status["version"]))})
    return {**data, **stamp}


def _frame(event_type: str, data: dict[str, Any]) -> bytes:
    return f"event: {event_type}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


_PING_VARIANTS = ("text/plain", "text/html", "application/json", "text/*")
"""The media types ``SystemResource.ping`` offers, in its order."""


def pong(request: Request) -> Response:
    """``GET /ping`` for the client's ``Accept`` (see the module)."""
    for media in accepted(request):
        chosen = next((v for v in _PING_VARIANTS if compatible(media, v)), None)
        if chosen == "application/json":
            return Response(200, b'"pong"', "application/json")
        if chosen:
            return Response(200, b"pong", "text/plain" if "*" in chosen else chosen)
    return Response(204, content_type="")


def metrics(marathon: Marathon) -> Response:
    """``GET /metrics``: Marathon's own gauges and counters in Dropwizard's JSON."""
    live = [i for i in marathon.instances() if i.goal == "Running"]
    kinds = list(marathon.root.kinds.values())
    gauges = {
        "marathon.apps.active.gauge": kinds.count("App"),
        "marathon.pods.active.gauge": kinds.count("Pod"),
        "marathon.groups.active.gauge": len(marathon.root.groups),
        "marathon.deployments.active.gauge": sum(d.status == "running"
                                                 for d in marathon.deployments),
        "marathon.instances.running.gauge": sum(i.state == "Running" for i in live),
        "marathon.instances.staged.gauge": sum(i.state in ("Staging", "Starting")
                                               for i in live),
        "marathon.leadership.duration.gauge.seconds": marathon.now,
    }
    return Response.json(200, {
        "version": "4.0.0",
        "gauges": {name: {"value": value} for name, value in gauges.items()},
        "counters": {"marathon.deployments.counter": {"count": marathon.deployment_count}},
        "histograms": {}, "meters": {}, "timers": {}})
