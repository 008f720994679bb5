"""``docker events`` on the simulated swarm: ``GET /events``, the daemon's event stream, made
from the Swarm simulator's own event log (:attr:`~clustersim.swarm.SwarmCluster.events`).

What a manager's daemon publishes of its swarm: the store changes of nodes, services,
networks, secrets and configs that it watches (moby ``daemon/cluster/noderunner.go``,
``watchClusterEvents``), each as one message of scope ``swarm`` (moby ``daemon/events.go``,
``generateClusterEvent``): ``Type`` the kind, ``Action`` ``create``, ``update`` or
``remove``, ``Actor.ID`` the object's ID and ``Actor.Attributes`` its ``name`` and, for an
update, what changed: a service's ``image.old``/``image.new``, ``replicas.old``/
``replicas.new`` and ``updatestate.old``/``updatestate.new`` (only ``.new`` when it had no
update status), a node's ``availability``, ``role`` and ``state`` (each ``.old``/``.new``;
a promotion or demotion is two updates, the spec's and then the role manager's, and only the
second says ``role``). An update that changes nothing is still a store change, published
with the name alone (swarmkit's ``UpdateService`` writes every update).
Each simulator event that is such a store change becomes one message as it is recorded
(:data:`SERVICE_ACTIONS`, :data:`NODE_ACTIONS`), compared with what the last one showed of
the object; the daemon keeps its last :data:`EVENTS_LIMIT` (moby ``daemon/events/events.go``).
Tasks are not watched: a task that fails and is replaced shows no swarm event, and a
rolling update shows as its service's update status.

The request (moby ``api/server/router/system/system_routes.go``, ``getEvents``, Engine 25):
``since`` and ``until`` are Unix times (:func:`~clustersim.serve.dockerchecks.unix_timestamp`:
the CLI turns ``--since 10m`` or an RFC 3339 time into one itself); one it cannot read is
``strconv.ParseInt``'s error, a 500, and an ``until`` before ``since`` the router's 400.
Without either, only new events are sent; with one, the kept events in range first. Without
``until`` the stream stays open until the client goes; with one, it ends once the daemon's
clock passes it (here: simulated time, which ``step`` or the server's speed moves). ``filters``
(any key, no ``Validate``) are read as ``daemon/events/filter.go`` reads them
(:func:`included`). Each message is one line of JSON, sent as it comes.

Simplified (what Docker does instead): a real daemon also publishes the local events of its
own node (``scope`` ``local``): its containers' ``create``, ``start``, ``die`` (with
``exitCode`` and ``execDuration``) and ``destroy``, each with its ``com.docker.swarm.*``
labels, its images' pulls, its networks' ``connect``. None is served: the served daemon is
no one machine but whichever manager answers (the leader, else the first one up,
:meth:`~clustersim.serve.dockerdaemon.DaemonRoutes._this_node`), so its containers would
change machine with the leadership, and the simulator keeps no container apart from its
task (no ``kill``, ``stop`` or removal of its own). ``logNodeEvent`` would also
say ``leader.old``/``leader.new`` and ``reachability.old``/``reachability.new``, but only
when both the stored node and its old copy carry a ``ManagerStatus``; swarmkit stores none
(``manager/manager.go``, ``managerNode``) and fills it in from the raft's members only when
a node is read (``manager/controlapi/node.go``, ``GetNode``, ``ListNodes``), so no write to
the store that the watch could carry was found, and none is served: a leader's failure shows
as its node's ``state`` going ``down``. Networks, secrets and configs are written by the
served API, not by the simulator: their ``create`` and ``remove`` are published by their routes
(:meth:`EventRoutes._publish_stored`). A follower that falls more than
:data:`EVENTS_LIMIT` events behind between two looks misses the oldest, as the daemon's
publisher skips a subscriber that does not keep up.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from clustersim.goformat import NumError
from clustersim.serve.core import HttpError, Request, Response, SimServer, compact_json
from clustersim.serve.dockerchecks import parse_filters, unix_timestamp
from clustersim.serve.dockerlogs import FOLLOW_POLL
from clustersim.serve.dockerstate import DockerState
from clustersim.sim import Event
from clustersim.swarm import SwarmCluster

__all__ = ["EVENTS_LIMIT", "NODE_ACTIONS", "SERVICE_ACTIONS", "EventRoutes", "Message",
           "included"]

EVENTS_LIMIT = 256
"""The events the daemon keeps for a ``since`` (moby ``daemon/events/events.go``,
``eventsLimit``)."""

SERVICE_ACTIONS = {
    "ServiceCreate": "create", "ServiceUpdate": "update", "ServiceRemove": "remove",
    "UpdateStarted": "update", "UpdatePaused": "update", "UpdateCompleted": "update",
    "RollbackStarted": "update", "RollbackPaused": "update", "RollbackCompleted": "update"}
"""The Swarm simulator's service events that are a store change of the service: its spec
(created, updated, removed) or its ``UpdateStatus``, which swarmkit's updater writes to the
service at each step of a rolling update or rollback. ``AllocationFailed`` is the
allocator's log line, no store change."""

NODE_ACTIONS = {"NodeReady": "update", "NodeDown": "update", "NodeUpdate": "update",
                "NodePromoted": "update"}
"""The simulator's node events that are a store change of the node: its status written by
the dispatcher (``ready``, ``down``), its spec by ``docker node update``. ``NodeFailed``
(the machine stops) changes nothing in the store until the heartbeat expires."""

_NAMED = ("daemon", "container", "plugin", "volume", "network", "service", "node", "secret",
          "config")
"""The filters that match an event's ID or ``name`` by prefix, each applied to every event
whatever its type (``fuzzyMatchName``)."""
_FUZZY_EVENTS = {"health_status", "exec_create", "exec_start"}


@dataclass(frozen=True, slots=True)
class Message:
    """One published event (moby ``api/types/events``, ``Message``), at simulated second
    ``time``; ``attributes`` sorted by key, as Go writes a map."""

    time: float
    type: str
    action: str
    id: str
    attributes: tuple[tuple[str, str], ...]

    def json(self, nanos: int) -> bytes:
        """The message as the daemon writes it, at Unix nanosecond ``nanos``, one line."""
        return compact_json({"Type": self.type, "Action": self.action,
                             "Actor": {"ID": self.id, "Attributes": dict(self.attributes)},
                             "scope": "swarm", "time": nanos // 10**9,
                             "timeNano": nanos}) + b"\n"


def included(message: Message, filters: dict[str, list[str]]) -> bool:
    """Whether the daemon's event filter (moby ``daemon/events/filter.go``, ``Include``, over
    ``filters.Args``' ``ExactMatch``, ``FuzzyMatch`` and ``MatchKVList``) lets ``message``
    through. ``image`` is matched exactly against the ID and the ``image`` attribute, without
    upstream's tag stripping: no message served carries an image."""
    attributes = dict(message.attributes)

    def exact(key: str, value: str) -> bool:
        return not filters.get(key) or value in filters[key]

    def fuzzy(key: str, value: str) -> bool:
        return exact(key, value) or any(value.startswith(p) for p in filters[key])

    event_ok = (fuzzy("event", message.action)
                if _FUZZY_EVENTS.intersection(filters.get("event", ()))
                else exact("event", message.action))
    named_ok = all(fuzzy(kind, message.id) or fuzzy(kind, attributes.get("name", ""))
                   for kind in _NAMED)
    image_ok = exact("image", message.id) or exact("image", attributes.get("image", ""))
    return (event_ok and exact("type", message.type) and exact("scope", "swarm")
            and named_ok and image_ok and _labels_match(filters.get("label"), attributes))


def _labels_match(wanted: list[str] | None, attributes: dict[str, str]) -> bool:
    """``MatchKVList``: each ``key`` or ``key=value`` among the attributes; none asked, all
    pass; asked of an event without attributes, none."""
    if not wanted:
        return True
    if not attributes:
        return False
    for expression in wanted:
        key, equals, value = expression.partition("=")
        if key not in attributes or (equals and attributes[key] != value):
            return False
    return True


def _event_time(request: Request, key: str) -> int | None:
    """``since`` or ``until`` in Unix nanoseconds, None when absent (``eventTime``: a
    seconds part of -1 counts as absent, as ``ParseTimestamps``' default does)."""
    text = request.arg(key, "") or ""
    if not text:
        return None
    try:
        seconds, nanos = unix_timestamp(text)
    except NumError as err:
        raise HttpError(500, str(err)) from None
    return None if seconds == -1 else seconds * 10**9 + nanos


class EventRoutes(DockerState):
    """``/events``, and the messages it sends, published as the simulator records them."""

    def __init__(self, cluster: SwarmCluster, *, epoch: float | None = None) -> None:
        self.published: deque[Message] = deque(maxlen=EVENTS_LIMIT)
        """The daemon's last events, oldest first."""
        self.published_count = 0
        """How many events were ever published: the number the next one gets."""
        super().__init__(cluster, epoch=epoch)

    def _begin_swarm(self, cluster: SwarmCluster, spec: dict[str, Any]) -> None:
        """Watch the new swarm's store from what its nodes and services are now (the daemon
        keeps the events of a swarm it left)."""
        super()._begin_swarm(cluster, spec)
        self._seen: dict[str, tuple[Any, ...]] = {}
        """What the last message showed of each node (``node/NAME``) and service
        (``service/NAME``): an update's attributes say what changed since."""
        for name in cluster.node_names():
            self._seen[f"node/{name}"] = self._node_look(name)
        for name in cluster.services:
            self._seen[f"service/{name}"] = self._service_look(name)
        cluster.events.subscribe(lambda event: self._publish(cluster, event))

    def _node_look(self, name: str) -> tuple[str, str, str]:
        record = self.cluster.node_record(name)
        return record.availability, record.node.role, record.status

    def _service_look(self, name: str) -> tuple[str, str, int | None, str]:
        service = self.cluster.services[name]
        spec = service.spec
        return (service.id, spec.image, spec.replicas if spec.mode == "replicated" else None,
                service.update_state)

    def _publish(self, cluster: SwarmCluster, event: Event) -> None:
        """The message of the simulator's ``event``, if it is a store change the daemon's
        watch sees (not once this daemon has left the swarm ``cluster``)."""
        if cluster is not self.cluster or self.node_left:
            return
        kind, _, name = event.object.partition("/")
        if kind == "service" and event.reason in SERVICE_ACTIONS:
            action = SERVICE_ACTIONS[event.reason]
            before = self._seen.pop(event.object, None)
            if action == "remove":
                if before is not None:
                    self._add(event.time, "service", action, before[0], {"name": name})
                return
            now = self._seen[event.object] = self._service_look(name)
            self._add(event.time, "service", action, now[0],
                      {"name": name, **(_service_changes(before, now)
                                        if action == "update" else {})})
        elif kind == "node" and event.reason in NODE_ACTIONS:
            seen = self._seen.get(event.object)
            look = self._seen[event.object] = self._node_look(name)
            changes: dict[str, str] = {} if seen is None else {
                f"{field}.{age}": value
                for field, old, new in zip(("availability", "role", "state"), seen, look,
                                           strict=True) if old != new
                for age, value in (("old", old), ("new", new))}
            named = {"name": self.spec_names.get(name) or
                     self.cluster.node_record(name).node.hostname}
            node_id = self._id("node", name)
            role: dict[str, str] = {key: changes.pop(key) for key in ("role.old", "role.new")
                                    if key in changes}
            if role and event.reason == "NodeUpdate":
                # two writes upstream: the API stores the spec's desired role, then the
                # role manager, which watches it, stores the node's role (swarmkit
                # ``manager/role_manager.go``, ``reconcileRole``); the daemon compares the
                # role the node has, so only the second says role.old/role.new
                self._add(event.time, "node", "update", node_id, {**named, **changes})
                changes = {}
            self._add(event.time, "node", "update", node_id, {**named, **changes, **role})

    def _publish_stored(self, kind: str, action: str, object_id: str, name: str) -> None:
        """A network, secret or config the API created or removed, now (``logNetworkEvent``,
        ``logSecretEvent``, ``logConfigEvent``: the name alone)."""
        self._add(self.now, kind, action, object_id, {"name": name})

    def _add(self, time: float, kind: str, action: str, object_id: str,
             attributes: dict[str, str]) -> None:
        self.published.append(Message(time, kind, action, object_id,
                                       tuple(sorted(attributes.items()))))
        self.published_count += 1

    def _since_number(self, number: int) -> list[Message]:
        """The kept messages numbered ``number`` on."""
        first = self.published_count - len(self.published)
        return list(self.published)[max(number - first, 0):]

    def _events(self, request: Request) -> Response:
        """``GET /events``: the kept events in range, then, unless ``until`` has passed,
        each new one as it is published, until ``until`` or the client goes."""
        since, until = _event_time(request, "since"), _event_time(request, "until")
        if since is not None and until is not None and until < since:
            raise HttpError(400, f"`since` time ({request.arg('since', '')}) cannot be after "
                            f"`until` time ({request.arg('until', '')})")
        filters = parse_filters(request.arg("filters"), None)

        def wanted(messages: list[Message]) -> bytes:
            out = []
            for message in messages:
                nanos = self._unix_nanos(message.time)
                if (until is None or nanos <= until) and included(message, filters):
                    out.append(message.json(nanos))
            return b"".join(out)

        cursor = self.published_count
        first = b""
        if since is not None or until is not None:
            first = wanted([m for m in self.published
                            if self._unix_nanos(m.time) >= (since or 0)])
        past = until is not None and until < self._unix_nanos(self.now)

        def stream(server: SimServer) -> Iterator[bytes]:
            """Chunked, as the daemon's flushed writer sends it, the kept events alone too
            (Docker's SDK reads an answer that is not chunked as one error document)."""
            nonlocal cursor
            yield first
            while not past and not server.stopping.wait(FOLLOW_POLL):
                with server.lock:
                    server.catch_up()
                    self.clock.begin()
                    chunk = wanted(self._since_number(cursor))
                    cursor = self.published_count
                    over = until is not None and self._unix_nanos(self.now) >= until
                yield chunk      # sent without the lock; empty, it looks for a hang-up
                if over:
                    return

        # no ``Connection`` header: a stream that ends at its ``until`` leaves the
        # connection open for the client's next request, as the daemon's does
        return Response(200, stream=stream)


def _service_changes(before: tuple[Any, ...] | None,
                     now: tuple[Any, ...]) -> dict[str, str]:
    """What an update of a service changed (``logServiceEvent``): its image, its replica
    count (both replicated), its update state (``.new`` alone when it had none)."""
    if before is None:
        return {}
    changes: dict[str, str] = {}
    if before[1] != now[1]:
        changes.update({"image.old": before[1], "image.new": now[1]})
    if before[2] is not None and now[2] is not None and before[2] != now[2]:
        changes.update({"replicas.old": str(before[2]), "replicas.new": str(now[2])})
    if now[3]:
        if not before[3]:
            changes["updatestate.new"] = now[3]
        elif before[3] != now[3]:
            changes.update({"updatestate.old": before[3], "updatestate.new": now[3]})
    return changes
