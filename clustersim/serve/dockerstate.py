"""What the served Docker daemon's routes share (:mod:`clustersim.serve.docker`): the swarm,
the wall clock, the stored networks, secrets and configs, the ServiceSpecs clients sent, every
object's ``Version.Index`` (:mod:`~clustersim.serve.dockerstore`), and the lookups of a node,
service or network by name, ID or ID prefix that every kind of route makes.

:class:`DockerState` is the base of the routes' classes (``dockerdaemon``, ``dockernodes``,
``dockerlogs``, ``dockerservices``, ``dockersecrets``, ``dockernetworks``), which
:class:`~clustersim.serve.docker.DockerBackend` puts together.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from clustersim.serve.core import ClusterTime, HttpError, WallClock
from clustersim.serve.dockeraddresses import AddressPools, network_block
from clustersim.serve.dockerspec import NS_PER_SECOND, as_sent_ports, engine_spec, overlay
from clustersim.serve.dockerstore import StoreVersions, object_id
from clustersim.swarm import ServiceSpec, SwarmCluster
from clustersim.swarm.tasks import TaskState

__all__ = ["SERVED_EVENTS", "DockerState", "default_swarm_spec"]

SERVED_EVENTS = 10_000
"""The swarm events a served daemon's simulator keeps
(:meth:`~clustersim.sim.EventLog.keep_last`): no route reads older ones, and 50 replicas of a
task that fails at once record some 16,000 a simulated minute (moby's daemon keeps its last
256 events, ``daemon/events/events.go``)."""


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def default_swarm_spec() -> dict[str, Any]:
    """A new swarm's Spec as ``GET /swarm`` shows it: swarmkit's defaults (``api/defaults``)."""
    return {
        "Name": "default", "Labels": {}, "Orchestration": {"TaskHistoryRetentionLimit": 5},
        "Raft": {"SnapshotInterval": 10000, "KeepOldSnapshots": 0,
                 "LogEntriesForSlowFollowers": 500, "ElectionTick": 10, "HeartbeatTick": 1},
        "Dispatcher": {"HeartbeatPeriod": 5 * NS_PER_SECOND},
        "CAConfig": {"NodeCertExpiry": 7776000 * NS_PER_SECOND},
        "TaskDefaults": {}, "EncryptionConfig": {"AutoLockManagers": False}}


class DockerState(ClusterTime):
    """The swarm ``cluster`` and what the Engine API keeps beside it."""

    def __init__(self, cluster: SwarmCluster, *, epoch: float | None = None) -> None:
        self.cluster = cluster
        self.clock = WallClock(lambda: self.now, epoch)
        """Simulated time as wall-clock time (``epoch``: Unix time of simulated second 0;
        None anchors simulated *now* to the wall clock, as ``WallClock`` says), so that the ages
        the CLI works out ("Running 30 seconds ago") are the simulated ones."""
        self.networks: dict[str, dict[str, Any]] = {}
        self.generation = 0
        """How many swarms this daemon made after leaving one (``docker swarm init`` after
        ``leave``): the swarm's objects' IDs are new in each (:meth:`_id`)."""
        self._begin_swarm(cluster, default_swarm_spec())

    def _begin_swarm(self, cluster: SwarmCluster, spec: dict[str, Any]) -> None:
        """Serve the swarm ``cluster`` with the Spec ``spec``, keeping nothing of a swarm
        served before but the daemon's own (its clock, its local networks)."""
        self.cluster = cluster
        self.created: dict[str, float] = {}
        self.stored: dict[str, dict[str, dict[str, Any]]] = {"secrets": {}, "configs": {}}
        self.sent: dict[str, list[tuple[ServiceSpec, dict[str, Any]]]] = {}
        """Per service, the ServiceSpecs clients sent, newest first, each with the simulator
        spec it became (:meth:`_spec_json`)."""
        self.addresses = AddressPools()
        """The overlay networks' addresses: services' VIPs and tasks' own."""
        self.spec_names: dict[str, str] = {}
        """The ``Spec.Name`` a node update gave each node: swarmkit keeps it and shows it,
        nothing else reads it (a node is known by its hostname)."""
        self.swarm_spec = spec
        """The swarm's Spec as ``GET /swarm`` shows it: swarmkit's defaults
        (:func:`default_swarm_spec`), which the simulated swarm runs by, until ``swarm init
        --force-new-cluster`` merges a Spec into it
        (:meth:`~clustersim.serve.dockerdaemon.DaemonRoutes._force_new_cluster`)."""
        self.node_stopped = False
        """The answering engine's swarm node is stopped: moby's ``Init`` with
        ``ForceNewCluster`` stops it before it reads the request, and one it then refuses
        leaves it stopped (:meth:`~clustersim.serve.dockerdaemon.DaemonRoutes._force_new_cluster`,
        :data:`~clustersim.serve.dockerdaemon.NO_MANAGER`)."""
        self.node_left = False
        """The answering engine has left the swarm (``docker swarm leave``: moby's ``Leave``
        stops its node and forgets it), so its node is stopped too and it is in no swarm."""
        self.versions = StoreVersions()
        """Every object's ``Version.Index`` from one cluster-wide index
        (:mod:`~clustersim.serve.dockerstore`): the swarm first, then its nodes."""
        self.versions.write("swarm", self.swarm_key(), self.now)
        for name in cluster.node_names():
            cluster.node_record(name).node.swarm_id = self._id("node", name)
            self._node_version(name)
        self._running = False
        cluster.events.subscribe(self._changed)
        cluster.events.keep_last(SERVED_EVENTS)
        cluster.watch_deleted(lambda task: self.versions.forget(("task", task.id)))

    def _id(self, kind: str, name: str) -> str:
        """The ID of the swarm's object ``name`` of ``kind`` (``node``, ``swarm``,
        ``secret``...): :func:`~clustersim.serve.dockerstore.object_id`, fixed by the name,
        the swarm's seed and how many swarms the daemon made anew before this one, so that
        another seed or a new swarm shows other IDs, as swarmkit's random ones differ from
        swarm to swarm (``identity.NewID``), while one run repeats."""
        seed = self.cluster.clock.seed
        return object_id(kind, name + (f"#{self.generation}" if self.generation else "")
                         + (f"@{seed}" if seed else ""))

    def advance(self, until: float) -> None:
        """Run the swarm to ``until``; each node, service or task the simulator changes
        meanwhile takes its version as it changes (:meth:`_changed`)."""
        self._running = True
        try:
            super().advance(until)
        finally:
            self._running = False

    def _changed(self, event: Any) -> None:
        """The simulator recorded ``event`` while it ran on its own: the object it names
        (``node/worker-1``, ``service/web``, ``task/web.1``) takes the next index now, at
        the event's time, as swarmkit's store stamps each transaction. A change made through
        the API is stamped by its handler instead (one index per request)."""
        if not self._running:
            return
        kind, _, name = event.object.partition("/")
        if kind == "node" and name in self.cluster.node_names():
            self._node_version(name)
        elif kind == "service" and name in self.cluster.services:
            self._service_version(name)
        elif kind == "task":
            for task in self.cluster.tasks_named(name):
                self._task_version(task)
                self._task_addresses(task)

    def _attached(self, service: ServiceSpec, spec: dict[str, Any]) -> list[str]:
        """The IDs of the networks a service's tasks join, in swarmkit's order: ``ingress``
        when a port is published in ingress mode (``networkallocator.go``,
        ``IsIngressNetworkNeeded``), then each network the task template attaches to, or the
        spec's own ``Networks`` where the template names none (``network.go``,
        ``taskCreateNetworkAttachments``); ``spec`` is the service's Engine API spec."""
        ids = [self.networks["ingress"]["Id"]] \
            if any(port.mode == "ingress" for port in service.ports) else []
        template = spec.get("TaskTemplate") or {}
        for attachment in template.get("Networks") or spec.get("Networks") or []:
            if attachment.get("Target") not in ids:
                ids.append(attachment.get("Target"))
        return ids

    def _settle_addresses(self) -> None:
        """Bring the networks' address pools up to date with the services and tasks now in
        the store: a VIP for each service not in ``dnsrr`` mode, an address for each task
        not yet ended, on each network it joins that has a subnet."""
        blocks = {network["Id"]: block for network in self.networks.values()
                  if (block := network_block(network)) is not None}
        wanted: list[tuple[str, Any, str | None, Any]] = []
        known: set[Any] = set()
        specs: dict[int, list[str]] = {}

        def join(service: str, spec: ServiceSpec, owner: Any) -> None:
            if id(spec) not in specs:
                specs[id(spec)] = self._attached(spec, self._spec_json(service, spec))
            wanted.extend((network_id, *blocks[network_id], owner)
                          for network_id in specs[id(spec)] if network_id in blocks)

        for name, service in self.cluster.services.items():
            known.add(("vip", name))
            if service.spec.endpoint_mode.lower() != "dnsrr":
                join(name, service.spec, ("vip", name))
        for task in self.cluster.tasks(history=True):
            known.add(task.id)
            if task.state <= TaskState.RUNNING:
                join(task.service, task.spec, task.id)
        self.addresses.settle(wanted, known)

    def _task_addresses(self, task: Any) -> None:
        """A task's event while the swarm runs: a task not yet ended takes an address on
        each network it joins, an ended one gives them back (swarmkit's ``doTaskAlloc``)."""
        ended = task.state > TaskState.RUNNING
        joined = [] if ended else self._attached(task.spec,
                                                 self._spec_json(task.service, task.spec))
        for network in self.networks.values():
            block = network_block(network)
            if block is not None and ended:
                self.addresses.free(network["Id"], task.id)
            elif block is not None and network["Id"] in joined:
                self.addresses.take(network["Id"], *block, task.id)

    def swarm_key(self) -> str:
        """What the swarm's version covers: its Spec."""
        return json.dumps(self.swarm_spec, sort_keys=True)

    def _stamp(self, seconds: float) -> str:
        return self.clock.instant(seconds).strftime("%Y-%m-%dT%H:%M:%S.%f000Z")

    def _unix_nanos(self, seconds: float) -> int:
        """Simulated second ``seconds`` in Unix nanoseconds, to the microsecond as
        :meth:`_stamp` writes it (a log line's time, an event's ``timeNano``)."""
        return (self.clock.instant(seconds) - _EPOCH) // timedelta(microseconds=1) * 1000

    def _node_state(self, name: str) -> tuple[Any, ...]:
        """What a node's version covers: its spec and the status the dispatcher writes
        (swarmkit fills ``ManagerStatus`` in from the raft members when the node is read, so
        a new leader changes no node's version)."""
        record = self.cluster.node_record(name)
        return (record.availability, tuple(sorted(record.node.labels.items())),
                record.node.role, record.status, self.spec_names.get(name, ""))

    def _node_version(self, name: str) -> tuple[int, float]:
        """The node's ``Version.Index`` and update time."""
        return self.versions.read(("node", name), self._node_state(name), self.now)

    def _service_state(self, name: str) -> tuple[Any, ...]:
        """What a service's version covers besides the updates clients send: the spec
        version (an automatic rollback changes it) and the update status the updater
        writes."""
        service = self.cluster.services[name]
        return service.version, service.update_state, service.update_message

    def _service_version(self, name: str) -> tuple[int, float]:
        """The service's ``Version.Index`` and update time."""
        return self.versions.read(("service", name), self._service_state(name), self.now)

    def _task_version(self, task: Any) -> int:
        """The task's ``Version.Index``: its status and desired state."""
        state = (task.state, task.desired_state, task.node, task.message, task.err)
        return self.versions.read(("task", task.id), state, self.now)[0]

    def _service_id(self, name: str) -> str:
        """The ID of the service now named ``name``: the simulator's
        (:func:`~clustersim.swarm.identity.service_id`; swarmkit's are random), new for a
        service created again under the name of a removed one, whose tasks keep the old
        ID as their ``ServiceID``."""
        return self.cluster.services[name].id

    def _find_node(self, key: str) -> str:
        for name in self.cluster.node_names():
            if key in (name, self._id("node", name)) or (len(key) >= 3 and
                                                     self._id("node", name).startswith(key)):
                return name
        raise HttpError(404, f"node {key} not found")

    def _find_service(self, key: str) -> str:
        for name in self.cluster.services:
            found = self._service_id(name)
            if key in (name, found) or (len(key) >= 3 and found.startswith(key)):
                return name
        raise HttpError(404, f"service {key} not found")

    def _find_task(self, key: str) -> Any:
        """A task the store holds, by ID or ID prefix (ended ones too, until the reaper
        deletes them)."""
        found = next((t for t in self.cluster.tasks(history=True) if t.id.startswith(key)),
                     None)
        if found is None:
            raise HttpError(404, f"task {key} not found")
        return found

    def _find_network(self, key: str) -> dict[str, Any] | None:
        """A network by name, ID or ID prefix (3 characters or more)."""
        return next((n for n in self.networks.values() if key in (n["Name"], n["Id"])
                     or (len(key) >= 3 and n["Id"].startswith(key))), None)

    def _users(self, test: Any) -> list[str]:
        """The services whose current spec ``test`` (a function of its TaskTemplate)
        holds, by name."""
        return [name for name, service in self.cluster.services.items()
                if test(self._spec_json(name, service.spec)["TaskTemplate"])]

    def _spec_json(self, name: str, spec: ServiceSpec) -> dict[str, Any]:
        """``spec`` as the Engine API's ServiceSpec: the one a client sent for it (found by
        identity: the simulator keeps the object through updates and rollbacks), with what
        the simulator models (:func:`~clustersim.serve.dockerspec.engine_spec`) over it."""
        sent = next((body for known, body in self.sent.get(name, []) if known is spec), None)
        if sent is None:
            return engine_spec(spec)
        return overlay(sent, engine_spec(as_sent_ports(spec, sent)))
