"""The Docker Engine API (swarm mode subset) over a :class:`~clustersim.swarm.SwarmCluster`,
for Docker's Python SDK (``docker`` on PyPI) and the ``docker`` CLI.

About 850 lines because every endpoint is a method of one backend that shares the swarm,
the version, the specs clients sent and the stored networks, secrets and configs; how a
body is read (Go's JSON decoder, as Engine 25.0 wraps its errors) is in
:mod:`~clustersim.serve.dockerjson`, the
ServiceSpec conversion each way in :mod:`~clustersim.serve.dockerspec`, the daemon's checks
that need no swarm state (filters, secret names, generated names) in
:mod:`~clustersim.serve.dockerchecks`, the networks a manager starts with and their
addresses in :mod:`~clustersim.serve.dockernetworks`, the objects' ``Version.Index`` (one
index for the cluster; an update from a stale version is refused, "update out of sequence") in
:mod:`~clustersim.serve.dockerstore`.

Endpoints and shapes follow the Engine API reference v1.44
(https://docs.docker.com/reference/api/engine/version/v1.44/): ``/_ping``, ``/version``,
``/info``, ``/swarm``, ``/nodes`` (ls, inspect, update with ``?version=``, whose body
replaces the node's whole spec), ``/services``
(create, ls, inspect, update with ``?version=`` and ``rollback=previous``, rm, logs),
``/tasks`` (ls, inspect, logs), ``/networks`` (ls, inspect, create, rm, prune), ``/secrets``
and ``/configs`` (ls, inspect, create, update of labels, rm: what ``docker stack deploy``
creates and updates for a stack's ``secrets:`` and ``configs:``).
``GET /services?status=true`` adds each ``ServiceStatus`` (the CLI's REPLICAS column);
``/services/{id}/logs`` honours ``details``, ``timestamps`` and ``tail`` as the CLI asks.
Paths may carry a version prefix (``/v1.44/services``); clients negotiate it down from
``/_ping``'s ``API-Version`` (a 28.x CLI asks for 1.44, Debian's 20.10 CLI speaks 1.41); the
daemon reports itself as Engine 25.0.6, the release whose API is 1.44 (:data:`ENGINE_VERSION`).
Tested with the real docker CLI in ``tests/unit/test_serve_docker_cli.py``.
Errors are ``{"message": ...}`` with the daemon's status codes (404 no such object, 409
conflict, 400 bad parameter, 503 swarm state).

Simplified (what Docker does instead): no containers, images or volumes outside swarm
services (those endpoints answer 501 and say so); ``docker swarm init|join`` are refused
because the simulated swarm already exists, and ``leave``, ``update`` and ``unlock`` answer
501, as does removing a node; a ServiceSpec is stored as sent, but of the fields the
simulator does not model (``Env``, ``Secrets``, ``Mounts``...) only a change counts (it
replaces the tasks, as in Docker); service logs are simulated lines and ``follow`` ends at
once; IDs are derived from names (Docker's are random); networks other than ``ingress`` and
those created through the API do not carry traffic; secrets and configs are stored but no
simulated task mounts them; an image is never looked up in a registry, so the CLI warns that
it could not record the image's digest (as with a daemon that cannot reach the registry).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from clustersim import Node
from clustersim.manifests import ManifestError
from clustersim.serve.core import ClusterTime, HttpError, Request, Response, WallClock
from clustersim.serve.dockerchecks import (
    NOT_SIMULATED,
    check_stored_spec,
    enum_filter,
    label_matches,
    missing_object,
    parse_filters,
    prefixed,
    service_name,
)
from clustersim.serve.dockerjson import (
    decode,
    decode_network_create,
    decode_stored_spec,
    read_json,
)
from clustersim.serve.dockernetworks import BUILTIN, SWARM_JOINED, node_networks, overlay_ipam
from clustersim.serve.dockerspec import NS_PER_SECOND as _NS
from clustersim.serve.dockerspec import (
    check_node_spec,
    engine_spec,
    json_list,
    json_object,
    node_spec,
    overlay,
    simulator_spec,
)
from clustersim.serve.dockerstore import StoreVersions, parse_version
from clustersim.swarm import ServiceSpec, SwarmCluster, SwarmError
from clustersim.swarm.tasks import TaskState

__all__ = ["DockerBackend", "default_swarm"]

ENGINE_VERSION = "25.0.6"
"""The Engine release whose newest API is the one served: the API version matrix
(https://docs.docker.com/reference/api/engine/#api-version-matrix) pairs Engine 25.0 with API
1.44 (26.x speaks 1.45, 28.x 1.48 to 1.51). The endpoints follow the v1.44 reference, and
nothing here implements the later versions' changes, so the simulated daemon is a 25.0 one
rather than a newer Engine claiming an older API."""
API_VERSION = "1.44"
MIN_API_VERSION = "1.24"
"""Engine 25.0's default minimum (moby ``api/common.go``; raised from 1.12 for v25.0, and to
1.44 in v29)."""


def _version_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


_DRIVERS = ("overlay", "bridge", "host", "null", "macvlan", "ipvlan")
"""The network drivers a Docker Engine has built in; any other is a plugin it lacks."""


def default_swarm(nodes: int, seed: int = 0) -> SwarmCluster:
    """One manager and ``nodes`` workers (2 CPU, 4 GiB each)."""
    machines = [Node("manager-1", cpu=2, memory="4Gi", role="manager"),
                *Node.many(nodes, "worker", cpu=2, memory="4Gi",
                           zone=lambda i: f"zone-{'abc'[(i - 1) % 3]}")]
    return SwarmCluster(machines, seed=seed)


def _id(kind: str, name: str) -> str:
    """A 25-character id, fixed by ``name`` (swarmkit's are random)."""
    digest = int(hashlib.sha256(f"{kind}/{name}".encode()).hexdigest(), 16)
    alphabet, out = "0123456789abcdefghijklmnopqrstuvwxyz", ""
    for _ in range(25):
        digest, digit = divmod(digest, 36)
        out += alphabet[digit]
    return out


def _seconds(text: str) -> str:
    return f"{text}s"


class DockerBackend(ClusterTime):
    """The Docker Engine API of the swarm ``cluster``."""

    system = "swarm"

    def __init__(self, cluster: SwarmCluster, *, epoch: float | None = None) -> None:
        self.cluster = cluster
        self.clock = WallClock(lambda: self.now, epoch)
        """Simulated time as wall-clock time (``epoch``: Unix time of simulated second 0;
        None anchors simulated *now* to the wall clock, as ``WallClock`` says), so that the ages
        the CLI works out ("Running 30 seconds ago") are the simulated ones."""
        self.networks: dict[str, dict[str, Any]] = {}
        self.created: dict[str, float] = {}
        self.stored: dict[str, dict[str, dict[str, Any]]] = {"secrets": {}, "configs": {}}
        self.sent: dict[str, list[tuple[ServiceSpec, dict[str, Any]]]] = {}
        """Per service, the ServiceSpecs clients sent, newest first, each with the simulator
        spec it became (:meth:`_spec_json`)."""
        self.spec_names: dict[str, str] = {}
        """The ``Spec.Name`` a node update gave each node: swarmkit keeps it and shows it,
        nothing else reads it (a node is known by its hostname)."""
        self.versions = StoreVersions()
        """Every object's ``Version.Index`` from one cluster-wide index
        (:mod:`~clustersim.serve.dockerstore`): the swarm first, then its nodes."""
        self.versions.write("swarm", None, 0.0)
        for name in cluster.node_names():
            self._node_version(name)
        self._running = False
        cluster.events.subscribe(self._changed)
        for name, driver, ipam, options in node_networks():
            network = self._network(name, driver)
            network["IPAM"]["Config"], network["Options"] = ipam, options
        self._network("ingress", "overlay", ingress=True)

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
        elif kind == "task" and name.rpartition(".")[0] in self.cluster.services:
            for task in self.cluster.tasks(name.rpartition(".")[0], history=True):
                if task.name == name:
                    self._task_version(task)

    def instructions(self, url: str) -> str:
        host = url.replace("http://", "tcp://")
        return (f"Docker Engine API (simulated swarm) at {url}\n"
                "  no registry is simulated: docker service create and update warn that the "
                "image's digest could not be recorded (--no-resolve-image skips the lookup)\n"
                f"  python: docker.DockerClient(base_url='{host}'); the docker CLI (not on "
                "PyPI) reads DOCKER_HOST:")

    def error(self, err: HttpError) -> Response:
        return Response.json(err.status, {"message": err.message})

    def _stamp(self, seconds: float) -> str:
        return self.clock.instant(seconds).strftime("%Y-%m-%dT%H:%M:%S.%f000Z")

    # ---- routing ---------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        self.clock.begin()
        asked = re.match(r"^/v(\d+)\.(\d+)(?=/|$)", request.path)
        if asked:       # the daemon's version middleware (api/server/middleware/version.go)
            version = f"{asked[1]}.{asked[2]}"
            wanted = _version_key(version)
            if wanted < _version_key(MIN_API_VERSION):
                raise HttpError(400, f"client version {version} is too old. Minimum supported "
                                f"API version is {MIN_API_VERSION}, please upgrade your client "
                                "to a newer version")
            if wanted > _version_key(API_VERSION):
                raise HttpError(400, f"client version {version} is too new. Maximum supported "
                                f"API version is {API_VERSION}")
        path = (request.path[asked.end():] if asked else request.path).rstrip("/") or "/"
        method = request.method
        if path == "/_ping":
            response = Response.text(200, "OK")
            response.headers.update({"API-Version": API_VERSION, "Docker-Experimental": "false",
                                     "Swarm": "active/manager", "OSType": "linux"})
            return response
        if path == "/version" and method == "GET":
            return Response.json(200, self._version())
        if path == "/info" and method == "GET":
            return Response.json(200, self._info())
        parts = path.strip("/").split("/")
        section = parts[0]
        if section == "swarm":
            return self._swarm_request(request, parts[1:])
        if section == "nodes":
            return self._nodes(request, parts[1:])
        if section == "services":
            return self._services(request, parts[1:])
        if section == "tasks":
            return self._tasks(request, parts[1:])
        if section == "networks":
            return self._networks(request, parts[1:])
        if section in ("secrets", "configs"):
            return self._stored_objects(request, section, parts[1:])
        lookup = missing_object(section, parts[1:], method)
        if lookup:      # `docker inspect NAME` asks each kind in turn and skips a 404
            raise HttpError(404, lookup)
        if section in NOT_SIMULATED:
            raise HttpError(501, f"{NOT_SIMULATED[section]} are not simulated: clustersim's "
                            "Docker Engine serves swarm mode only (docker node, service, "
                            "stack, secret, config and network)")
        raise HttpError(404, "page not found")

    def _swarm_request(self, request: Request, rest: list[str]) -> Response:
        """``/swarm``: inspect it; ``init`` and ``join`` get the daemon's 503 for a node
        already in a swarm, ``leave`` without ``force`` the daemon's 503 for the last
        manager (moby ``daemon/cluster/swarm.go``, ``Leave``). The simulated swarm cannot
        be left, updated or unlocked: those get a 501 that says so."""
        if request.method == "GET" and not rest:
            return Response.json(200, self._swarm())
        if request.method == "POST" and rest in (["init"], ["join"], ["update"], ["unlock"]):
            read_json(request)      # moby's swarm router reads the body first
        if rest in (["init"], ["join"]):
            raise HttpError(503, "This node is already part of a swarm. Use \"docker swarm "
                            "leave\" to leave this swarm and join another one.")
        if rest == ["leave"] and not _flag(request, "force"):
            raise HttpError(503, "You are attempting to leave the swarm on a node that is "
                            "participating as a manager. Removing the last manager erases "
                            "all current state of the swarm. Use `--force` to ignore this "
                            "message. ")
        what = {"leave": "leaving the swarm", "update": "changing the swarm's settings",
                "unlock": "unlocking", "unlockkey": "the unlock key (autolock)"}
        if len(rest) == 1 and rest[0] in what:
            raise HttpError(501, f"{what[rest[0]]} is not simulated: the simulated swarm "
                            "lives as long as its server (stop it with Ctrl-C)")
        raise HttpError(404, "page not found")

    # ---- daemon ----------------------------------------------------------------------------

    def _version(self) -> dict[str, Any]:
        return {"Platform": {"Name": "clustersim (simulated Docker Engine)"},
                "Version": ENGINE_VERSION, "ApiVersion": API_VERSION,
                "MinAPIVersion": MIN_API_VERSION, "Os": "linux", "Arch": "amd64",
                "KernelVersion": "simulated", "GoVersion": "simulated", "GitCommit": "",
                "Components": [{"Name": "Engine", "Version": ENGINE_VERSION,
                                "Details": {"ApiVersion": API_VERSION,
                                            "MinAPIVersion": MIN_API_VERSION,
                                            "Os": "linux", "Arch": "amd64",
                                            "GoVersion": "simulated", "GitCommit": "simulated",
                                            "KernelVersion": "simulated",
                                            "BuildTime": self._stamp(0),
                                            "Experimental": "false"}}]}

    def _info(self) -> dict[str, Any]:
        leader = self.cluster.leader or self.cluster.raft.managers[0]
        machine = self.cluster.node_record(leader).node     # the engine answering: a manager
        nodes = self.cluster.node_ls()
        return {"ID": _id("engine", leader), "Name": leader, "ServerVersion": ENGINE_VERSION,
                "OperatingSystem": "clustersim (simulated)", "OSType": "linux",
                "Architecture": "x86_64", "NCPU": int(machine.cpu),
                "MemTotal": int(machine.memory_bytes), "Containers": 0,
                "Images": 0, "Driver": "simulated",
                "Swarm": {"NodeID": _id("node", leader), "NodeAddr": "10.0.0.1",
                          "LocalNodeState": "active", "ControlAvailable": True, "Error": "",
                          "RemoteManagers": [{"NodeID": _id("node", m), "Addr": f"{m}:2377"}
                                             for m in self.cluster.raft.managers],
                          "Nodes": len(nodes), "Managers": len(self.cluster.raft.managers),
                          "Cluster": self._swarm()}}

    def _swarm(self) -> dict[str, Any]:
        return {"ID": _id("swarm", "clustersim"),
                "Version": {"Index": self.versions.read("swarm", None, 0.0)[0]},
                "CreatedAt": self._stamp(0), "UpdatedAt": self._stamp(0),
                "Spec": {"Name": "default", "Labels": {},
                         "Orchestration": {"TaskHistoryRetentionLimit": 5},
                         "Raft": {"SnapshotInterval": 10000, "KeepOldSnapshots": 0,
                                  "LogEntriesForSlowFollowers": 500, "ElectionTick": 10,
                                  "HeartbeatTick": 1},
                         "Dispatcher": {"HeartbeatPeriod": 5 * _NS},
                         "CAConfig": {"NodeCertExpiry": 7776000 * _NS},
                         "TaskDefaults": {}, "EncryptionConfig": {"AutoLockManagers": False}},
                "TLSInfo": {}, "RootRotationInProgress": False, "DefaultAddrPool": ["10.0.0.0/8"],
                "SubnetSize": 24, "DataPathPort": 4789,
                "JoinTokens": {"Worker": "SWMTKN-1-simulated-worker",
                               "Manager": "SWMTKN-1-simulated-manager"}}

    # ---- nodes -----------------------------------------------------------------------------

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

    def _node_json(self, name: str) -> dict[str, Any]:
        record = self.cluster.node_record(name)
        node = record.node
        row = next(r for r in self.cluster.node_ls() if r["hostname"] == node.hostname)
        index, updated = self._node_version(name)
        out = {"ID": _id("node", name), "Version": {"Index": index},
               "CreatedAt": self._stamp(0), "UpdatedAt": self._stamp(updated),
               "Spec": {**({"Name": self.spec_names[name]} if self.spec_names.get(name)
                           else {}),
                        "Labels": dict(node.labels), "Role": node.role,
                        "Availability": record.availability},
               "Description": {"Hostname": node.hostname,
                               "Platform": {"Architecture": "x86_64", "OS": "linux"},
                               "Resources": {"NanoCPUs": int(node.cpu * _NS),
                                             "MemoryBytes": int(node.memory_bytes)},
                               "Engine": {"EngineVersion": ENGINE_VERSION}},
               "Status": {"State": record.status, "Addr": f"10.0.0.{self._index(name) + 1}"}}
        if name in self.cluster.raft.managers:
            out["ManagerStatus"] = {"Leader": row["manager"] == "Leader",
                                    "Reachability": "reachable" if record.alive
                                    else "unreachable", "Addr": f"{name}:2377"}
        return out

    def _index(self, name: str) -> int:
        return self.cluster.node_names().index(name)

    def _find_node(self, key: str) -> str:
        for name in self.cluster.node_names():
            if key in (name, _id("node", name)) or (len(key) >= 3 and
                                                     _id("node", name).startswith(key)):
                return name
        raise HttpError(404, f"node {key} not found")

    def _nodes(self, request: Request, rest: list[str]) -> Response:
        if not rest and request.method == "GET":
            filters = parse_filters(request.arg("filters"), (
                "name", "id", "label", "role", "membership", "node.label"))
            roles = enum_filter(filters, "role", ("worker", "manager"))
            enum_filter(filters, "membership", ("pending", "accepted"))
            names = [n for n in self.cluster.node_names()
                     if prefixed(n, filters.get("name"))
                     and prefixed(_id("node", n), filters.get("id"))
                     and (not roles or self.cluster.node_record(n).node.role in roles)
                     and all(label_matches(self.cluster.node_record(n).node.labels, f)
                             for f in filters.get("node.label", []))
                     and not filters.get("label")]    # no simulated node has engine labels
            return Response.json(200, [self._node_json(n) for n in names])
        if len(rest) == 1 and request.method == "GET":
            return Response.json(200, self._node_json(self._find_node(rest[0])))
        if len(rest) == 2 and rest[1] == "update" and request.method == "POST":
            sent = node_spec(read_json(request))
            version = parse_version(request.arg("version"), "node")   # moby's router
            spec = check_node_spec(sent)
            name = self._find_node(rest[0])
            if self.cluster.node_record(name).node.role == "manager" and \
                    spec["Role"] == "worker" and self.cluster.raft.has_leader:
                try:                 # swarmkit's UpdateNode checks these before the version
                    self.cluster.check_demotion(name)
                except SwarmError as err:
                    raise HttpError(400, f"rpc error: code = FailedPrecondition desc = "
                                    f"{err}") from None
            self.versions.check(version, self._node_version(name)[0])
            try:
                self.cluster.update_node(name, availability=spec["Availability"],
                                         labels=spec["Labels"], role=spec["Role"])
            except SwarmError as err:
                raise HttpError(400, str(err)) from None
            self.spec_names[name] = spec["Name"]
            self.versions.write(("node", name), self._node_state(name), self.now)
            return Response(200)
        if len(rest) == 1 and request.method == "DELETE":
            return self._remove_node(request, self._find_node(rest[0]))
        raise HttpError(404, "page not found")

    def _remove_node(self, request: Request, name: str) -> Response:
        """``docker node rm``: swarmkit's refusals (``manager/controlapi/node.go``,
        ``RemoveNode``: a manager must be demoted first, a ready node needs ``--force``);
        removing a node is not simulated, so what Docker would do then is a 501."""
        node_id, record = _id("node", name), self.cluster.node_record(name)
        rpc = "rpc error: code = FailedPrecondition desc = node "
        if record.node.role == "manager":
            raise HttpError(400, f"{rpc}{node_id} is a cluster manager and is a member of the "
                            "raft cluster. It must be demoted to worker before removal")
        if record.status == "ready" and not _flag(request, "force"):
            raise HttpError(400, f"{rpc}{node_id} is not down and can't be removed")
        raise HttpError(501, f"removing a node is not simulated: {name} stays in the swarm "
                        "(drain it instead: docker node update --availability drain)")

    # ---- services --------------------------------------------------------------------------

    def _find_service(self, key: str) -> str:
        for name in self.cluster.services:
            if key in (name, _id("service", name)) or (len(key) >= 3 and
                                                        _id("service", name).startswith(key)):
                return name
        raise HttpError(404, f"service {key} not found")

    def _service_state(self, name: str) -> tuple[Any, ...]:
        """What a service's version covers besides the updates clients send: the spec
        version (an automatic rollback changes it) and the update status the updater
        writes."""
        service = self.cluster.services[name]
        return service.version, service.update_state, service.update_message

    def _service_version(self, name: str) -> tuple[int, float]:
        """The service's ``Version.Index`` and update time."""
        return self.versions.read(("service", name), self._service_state(name), self.now)

    def _service_json(self, name: str) -> dict[str, Any]:
        service = self.cluster.services[name]
        spec = self._spec_json(name, service.spec)
        index, updated = self._service_version(name)
        out: dict[str, Any] = {
            "ID": _id("service", name), "Version": {"Index": index},
            "CreatedAt": self._stamp(self.created.get(name, 0.0)),
            "UpdatedAt": self._stamp(updated), "Spec": spec,
            "Endpoint": {"Spec": spec["EndpointSpec"],
                         "Ports": spec["EndpointSpec"].get("Ports", []),
                         "VirtualIPs": [{"NetworkID": self.networks["ingress"]["Id"],
                                         "Addr": f"10.0.0.{self._service_index(name) + 2}/24"}]
                         if spec["EndpointSpec"].get("Ports") else []}}
        if service.previous is not None:
            out["PreviousSpec"] = self._spec_json(name, service.previous)
        if service.update_state:
            out["UpdateStatus"] = {"State": service.update_state,
                                   "Message": service.update_message}
        return out

    def _service_status(self, name: str) -> dict[str, int]:
        """``GET /services?status=true`` (API 1.41+): what the CLI's REPLICAS column shows.
        As swarmkit's ``ListServiceStatuses`` (``manager/controlapi/service.go``): desired is
        the replica count (for a global service, the tasks meant to run), running the tasks
        meant to run that do."""
        service = self.cluster.services[name]
        tasks = [t for t in self.cluster.tasks(name) if t.desired_state == "RUNNING"]
        desired = len(tasks) if service.spec.mode == "global" else service.spec.replicas
        return {"RunningTasks": sum(t.state == "RUNNING" for t in tasks),
                "DesiredTasks": desired, "CompletedTasks": 0}

    def _service_index(self, name: str) -> int:
        return list(self.cluster.services).index(name)

    def _services(self, request: Request, rest: list[str]) -> Response:
        method = request.method
        if not rest and method == "GET":
            filters = parse_filters(request.arg("filters"),
                                    ("name", "id", "label", "mode", "runtime"))
            names = [n for n in self.cluster.services
                     if prefixed(n, filters.get("name"))
                     and prefixed(_id("service", n), filters.get("id"))
                     and (not filters.get("mode") or
                          self.cluster.services[n].spec.mode in filters["mode"])
                     and (not filters.get("label") or all(
                         label_matches(self._spec_json(n, self.cluster.services[n].spec)
                                        ["Labels"], f) for f in filters["label"]))]
            services = [self._service_json(n) for n in names]
            if request.arg("status") in ("1", "true"):
                for row in services:
                    row["ServiceStatus"] = self._service_status(row["Spec"]["Name"])
            return Response.json(200, services)
        if rest == ["create"] and method == "POST":
            body = read_json(request)
            decode(body, "swarm.ServiceSpec")
            if isinstance(body, dict) and not any(k.lower() == "name" and v
                                                  for k, v in body.items()):
                body = {k: v for k, v in body.items() if k.lower() != "name"}
                body["Name"] = service_name(len(self.created), self.cluster.services)
            self._network_ids(body)
            spec = simulator_spec(body)
            if spec.name in self.cluster.services:
                raise HttpError(409, "rpc error: code = AlreadyExists desc = name conflicts "
                                "with an existing object: service " + spec.name +
                                " already exists")
            self._apply(spec, body)
            self.created[spec.name] = self.now
            return Response.json(201, {"ID": _id("service", spec.name), "Warnings": None})
        if len(rest) == 1 and method == "GET":
            return Response.json(200, self._service_json(self._find_service(rest[0])))
        if len(rest) == 1 and method == "DELETE":
            name = self._find_service(rest[0])
            self.cluster.remove_service(name)
            self.sent.pop(name, None)
            self.versions.forget(("service", name))
            self.cluster.run(until=self.now)
            return Response(200)
        if len(rest) == 2 and rest[1] == "update" and method == "POST":
            return self._update_service(request, rest[0])
        if len(rest) == 2 and rest[1] == "logs" and method == "GET":
            return self._logs(request, self.cluster.tasks(self._find_service(rest[0])))
        raise HttpError(404, "page not found")

    def _update_service(self, request: Request, key: str) -> Response:
        """``POST /services/{id}/update``, in the order the daemon checks: the body, then
        the version (moby's router), the service and the rollback option (moby
        ``daemon/cluster/services.go``), then swarmkit's ``UpdateService``: the spec, a
        rename or mode change, a rollback without a previous spec, and last the version, in
        the store."""
        body = read_json(request)
        decode(body, "swarm.ServiceSpec")
        version = parse_version(request.arg("version"), "service")
        name = self._find_service(key)
        service = self.cluster.services[name]
        if request.arg("rollback") not in (None, "", "none", "previous"):
            raise HttpError(500, f"unrecognized rollback option {request.arg('rollback')}")
        if request.arg("rollback") == "previous":
            if service.previous is None:
                raise HttpError(400, "rpc error: code = FailedPrecondition desc = service "
                                f"{_id('service', name)} does not have a previous spec")
            self.versions.check(version, self._service_version(name)[0])
            try:
                self.cluster.rollback_service(name)
            except SwarmError as err:
                raise HttpError(400, str(err)) from None
            self.cluster.run(until=self.now)
            self.versions.write(("service", name), self._service_state(name), self.now)
        else:
            self._network_ids(body)
            spec = simulator_spec(body)
            if spec.name != name:     # grpc Unimplemented: 501 (moby errdefs)
                raise HttpError(501, "rpc error: code = Unimplemented desc = renaming "
                                "services is not supported")
            if spec.mode != service.spec.mode:
                raise HttpError(501, "rpc error: code = Unimplemented desc = service mode "
                                "change is not allowed")
            self.versions.check(version, self._service_version(name)[0])
            self._apply(spec, body)
        return Response.json(200, {"Warnings": None})

    def _apply(self, spec: ServiceSpec, sent: dict[str, Any]) -> None:
        try:
            service = self.cluster.apply_service(spec)
        except (SwarmError, ManifestError, ValueError) as err:
            # swarmkit's words without the simulator's hint; the simulator names a service
            # where swarmkit gives "'name' (ID)"
            said = err.message if isinstance(err, SwarmError) else str(err)
            message = re.sub(r"service '([^']+)' \(\1\)",
                             lambda m: f"service '{m[1]}' ({_id('service', m[1])})", said)
            raise HttpError(400, f"rpc error: code = InvalidArgument desc = {message}") from None
        kept = [e for e in self.sent.get(spec.name, [])
                if e[0] is not service.spec][:4]
        self.sent[spec.name] = [(service.spec, sent), *kept]
        self.cluster.run(until=self.now)
        self.versions.write(("service", spec.name), self._service_state(spec.name), self.now)

    def _network_ids(self, sent: dict[str, Any]) -> None:
        """The networks a spec attaches to, by ID: a client may name them (``docker stack
        deploy`` does) and the daemon looks each up first (moby ``daemon/cluster/
        services.go``, ``populateNetworkID``: 404 ``network NAME not found``)."""
        if not isinstance(sent, dict):
            return             # simulator_spec refuses it
        template = next((v for k, v in sent.items() if k.lower() == "tasktemplate"), None)
        for holder in (sent, template if isinstance(template, dict) else {}):
            for entry in json_list(holder, next((k for k in holder if k.lower() == "networks"),
                                                "Networks")):
                key = next((k for k in entry if k.lower() == "target"), None) \
                    if isinstance(entry, dict) else None
                if key is None or not isinstance(entry[key], str):
                    continue
                network = self._find_network(entry[key])
                if network is None:
                    raise HttpError(404, f"network {entry[key]} not found")
                entry[key] = network["Id"]

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
        return overlay(sent, engine_spec(spec)) if sent is not None else engine_spec(spec)

    def _logs(self, request: Request, tasks: list[Any]) -> Response:
        """Simulated log lines, one per running task, in Docker's multiplexed stream format
        (8-byte header: stream 1 = stdout, then the big-endian length). As the daemon writes
        them (``api/server/httputils/write_log_stream.go``): the RFC 3339 time first if
        ``timestamps``, then if ``details`` the swarm context as comma-separated
        ``key=value`` (the docker CLI always asks for it and reads the node, service and
        task IDs from it), then the message. ``tail`` counts per task, as in the daemon.
        ``follow`` ends with the lines there are (the daemon would keep the stream open)."""
        lines = []
        for task in tasks:
            if task.state != "RUNNING":
                continue
            line = (f"task {task.name}.{task.id[:12]} on {task.node}: started "
                    f"{task.spec.image} (simulated log line)\n")
            if _flag(request, "details"):
                line = (f"com.docker.swarm.node.id={_id('node', task.node or '')},"
                        f"com.docker.swarm.service.id={_id('service', task.service)},"
                        f"com.docker.swarm.task.id={task.id} {line}")
            if _flag(request, "timestamps"):
                line = f"{self._stamp(task.started or 0)} {line}"
            lines.append(line.encode())
        if request.arg("tail") == "0":     # the daemon tails each task's log; one line each
            lines = []
        out = b"".join(b"\x01\x00\x00\x00" + len(line).to_bytes(4, "big") + line
                       for line in lines)
        return Response(200, out, "application/vnd.docker.multiplexed-stream")

    # ---- tasks -----------------------------------------------------------------------------

    def _task_version(self, task: Any) -> int:
        """The task's ``Version.Index``: its status and desired state."""
        state = (task.state, task.desired_state, task.node, task.message, task.err)
        return self.versions.read(("task", task.id), state, self.now)[0]

    def _task_json(self, task) -> dict[str, Any]:
        since = task.history[-1][0] if task.history else task.created
        status: dict[str, Any] = {"Timestamp": self._stamp(since),
                                  "State": task.state.value.lower(), "Message": task.message}
        if task.err:
            status["Err"] = task.err
        if task.state == "RUNNING":
            status["ContainerStatus"] = {"ContainerID": _id("container", task.id), "PID": 1}
            host = [p for p in task.spec.ports if p.mode == "host"]
            if host:     # the node's own ports a running task holds (docker service ps PORTS)
                status["PortStatus"] = {"Ports": [
                    {"Protocol": p.protocol, "TargetPort": p.target,
                     "PublishedPort": p.published, "PublishMode": "host"} for p in host]}
        out = {"ID": task.id, "Version": {"Index": self._task_version(task)},
               "CreatedAt": self._stamp(task.created),
               "UpdatedAt": self._stamp(since),
               "Spec": self._spec_json(task.service, task.spec)["TaskTemplate"],
               "ServiceID": _id("service", task.service), "Slot": task.slot,
               "Status": status, "DesiredState": task.desired_state.value.lower()}
        if task.node:
            out["NodeID"] = _id("node", task.node)
        return out

    def _tasks(self, request: Request, rest: list[str]) -> Response:
        if request.method != "GET":
            raise HttpError(404, "page not found")
        # swarmkit's task reaper deletes a task whose desired state is REMOVE (its slot went
        # with a scale-down or its service was removed) once it is unassigned or has ended
        # (manager/orchestrator/taskreaper/task_reaper.go); the simulator keeps them.
        tasks = [t for t in self.cluster.tasks(history=True)
                 if t.desired_state != TaskState.REMOVE
                 or TaskState.ASSIGNED <= t.state < TaskState.COMPLETE]
        if rest:
            found = [t for t in tasks if t.id.startswith(rest[0])]
            if len(rest) > 2 or not found or rest[1:] not in ([], ["logs"]):
                raise HttpError(404, f"task {rest[0]} not found")
            if rest[1:] == ["logs"]:       # docker service logs TASK-ID
                return self._logs(request, found[:1])
            return Response.json(200, self._task_json(found[0]))
        filters = parse_filters(request.arg("filters"), (
            "name", "id", "label", "service", "node", "desired-state", "_up-to-date", "runtime"))
        services = {self._find_service(s) for s in filters.get("service", [])}
        nodes = {self._find_node(n) for n in filters.get("node", [])}
        desired = enum_filter(filters, "desired-state",
                                    tuple(s.value.lower() for s in TaskState))
        labels = filters.get("label", [])      # swarmkit matches the service's labels

        def labelled(service: str) -> bool:
            found = self.cluster.services.get(service)
            return found is not None and all(
                label_matches(self._spec_json(service, found.spec)["Labels"], f)
                for f in labels)

        chosen = [t for t in tasks if (not services or t.service in services)
                  and prefixed(t.id, filters.get("id"))
                  and prefixed(f"{t.name}.{t.id}", filters.get("name"))
                  and (not nodes or t.node in nodes)
                  and (not desired or t.desired_state.value.lower() in desired)
                  and (not labels or labelled(t.service))]
        return Response.json(200, [self._task_json(t) for t in chosen])

    # ---- secrets and configs ----------------------------------------------------------------

    def _stored_objects(self, request: Request, section: str, rest: list[str]) -> Response:
        """``/secrets`` and ``/configs``: swarm objects holding data for services (a
        secret's data is never returned; a config's is)."""
        kind = section[:-1]
        objects = self.stored[section]
        method = request.method
        if not rest and method == "GET":
            filters = parse_filters(request.arg("filters"),
                                    ("name", "id", "label", "names")
                                    if section == "secrets" else ("name", "id", "label"))
            return Response.json(200, [
                self._stored_json(o, section) for o in objects.values()
                if prefixed(o["Spec"]["Name"], filters.get("name"))
                and prefixed(o["ID"], filters.get("id"))
                and (not filters.get("names") or o["Spec"]["Name"] in filters["names"])
                and all(label_matches(o["Spec"]["Labels"], f) for f in filters.get("label", []))])
        if rest == ["create"] and method == "POST":
            spec = decode_stored_spec(read_json(request), kind)
            name = check_stored_spec(kind, spec["Name"], spec["Data"], "Driver" in spec)
            if name in objects:
                raise HttpError(409, f"rpc error: code = AlreadyExists desc = {kind} {name} "
                                "already exists")
            objects[name] = {"ID": _id(kind, name),
                             "Version": {"Index": self.versions.write((kind, name), None,
                                                                      self.now)},
                             "CreatedAt": self._stamp(self.now),
                             "UpdatedAt": self._stamp(self.now),
                             "Spec": {"Name": name, "Labels": spec["Labels"],
                                      "Data": spec["Data"]}}
            return Response.json(201, {"ID": objects[name]["ID"]})
        if len(rest) == 1 or rest[1:] == ["update"]:
            found = next((o for o in objects.values()
                          if rest[0] in (o["Spec"]["Name"], o["ID"])), None)
            if found is None:
                raise HttpError(404, f"{kind} {rest[0]} not found")
            if rest[1:] == ["update"] and method == "POST":
                self._update_stored(request, kind, found)
                return Response(200)
            if method == "GET":
                return Response.json(200, self._stored_json(found, section))
            if method == "DELETE":
                name, field = found["Spec"]["Name"], f"{kind.title()}ID"
                users = self._users(lambda task: any(
                    isinstance(ref, dict) and ref.get(field) == found["ID"] for ref in
                    (task.get("ContainerSpec") or {}).get(section.title()) or []))
                if users:       # swarmkit controlapi RemoveSecret and RemoveConfig
                    raise HttpError(400, f"rpc error: code = InvalidArgument desc = {kind} "
                                    f"'{name}' is in use by the following service"
                                    f"{'s' if len(users) > 1 else ''}: {', '.join(users)}")
                del objects[name]
                return Response(204)
        raise HttpError(404, "page not found")

    def _update_stored(self, request: Request, kind: str, found: dict[str, Any]) -> None:
        """``POST /secrets/{id}/update`` (and configs): what ``docker stack deploy`` sends
        for a secret or config the stack already has. Only the labels may change
        (swarmkit ``manager/controlapi/secret.go``, ``UpdateSecret``); the version must be
        the current one (moby's router parses it once it has read the body)."""
        spec = decode_stored_spec(read_json(request), kind)
        version = parse_version(request.arg("version"), kind)
        self.versions.check(version, found["Version"]["Index"])
        data = spec["Data"]
        if spec["Name"] != found["Spec"]["Name"] or (data and data != found["Spec"]["Data"]):
            raise HttpError(400, "rpc error: code = InvalidArgument desc = only updates to "
                            "Labels are allowed")
        found["Spec"]["Labels"] = spec["Labels"]
        found["Version"] = {"Index": self.versions.write((kind, found["Spec"]["Name"]), None,
                                                         self.now)}
        found["UpdatedAt"] = self._stamp(self.now)

    @staticmethod
    def _stored_json(obj: dict[str, Any], section: str) -> dict[str, Any]:
        if section == "configs":
            return obj
        return {**obj, "Spec": {k: v for k, v in obj["Spec"].items() if k != "Data"}}

    # ---- networks --------------------------------------------------------------------------

    def _network(self, name: str, driver: str, *, ingress: bool = False,
                 labels: dict[str, str] | None = None, ipam: dict[str, Any] | None = None,
                 options: dict[str, Any] | None = None) -> dict[str, Any]:
        """Store a network built from ``ipam`` as sent (``Driver``, ``Config``, ``Options``)
        and ``options``, the driver options sent, once every part has been checked (a
        refused create stores nothing); an overlay network gets a free subnet when none is
        sent and its VXLAN ID (:func:`overlay_ipam`)."""
        ipam = ipam or {}
        config, driver_options = json_list(ipam, "Config"), dict(options or {})
        if driver == "overlay":
            config, overlay = overlay_ipam(config, self.networks.values())
            driver_options = overlay | driver_options
        network: dict[str, Any] = {
            "Name": name, "Id": _id("network", name), "Created": self._stamp(self.now),
            "Scope": "swarm" if driver == "overlay" else "local", "Driver": driver,
            "EnableIPv6": False, "Internal": False, "Attachable": False, "Ingress": ingress,
            "IPAM": {"Driver": ipam.get("Driver") or "default", "Config": config,
                     "Options": ipam.get("Options")},
            "Options": driver_options, "Labels": labels or {}, "Containers": {}}
        self.networks[name] = network
        return network

    def _networks(self, request: Request, rest: list[str]) -> Response:
        method = request.method
        if not rest and method == "GET":
            tests = {"name": lambda n, f: f in n["Name"], "id": lambda n, f: n["Id"].startswith(f),
                     "driver": lambda n, f: n["Driver"] == f,
                     "scope": lambda n, f: n["Scope"] == f,
                     "type": lambda n, f: (n["Name"] in BUILTIN) == (f == "builtin")}
            filters = parse_filters(request.arg("filters"), (*tests, "label"))
            found = [n for n in self.networks.values()
                     if all(any(tests[k](n, f) for f in v) for k, v in filters.items()
                            if k in tests and v)
                     and all(label_matches(n["Labels"], f) for f in filters.get("label", []))]
            return Response.json(200, found)
        if rest == ["prune"] and method == "POST":
            return self._prune_networks(request)
        if rest == ["create"] and method == "POST":
            body = decode_network_create(read_json(request))
            name = body.get("Name")
            if not name:
                raise HttpError(400, "network name is required")
            driver, labels = body.get("Driver") or "overlay", body.get("Labels") or {}
            if driver not in _DRIVERS:     # moby looks the driver up as a plugin last
                raise HttpError(404, f'plugin "{driver}" not found')
            if name in self.networks:
                raise HttpError(409, f"network with name {name} already exists")
            ipam, options = json_object(body, "IPAM"), json_object(body, "Options")
            network = self._network(name, driver, labels=labels, ipam=ipam, options=options)
            for key in ("Attachable", "Internal", "EnableIPv6"):
                network[key] = bool(body.get(key))
            return Response.json(201, {"Id": network["Id"], "Warning": ""})
        if len(rest) == 1:
            net = self._find_network(rest[0])
            if net is None:
                raise HttpError(404, f"network {rest[0]} not found")
            if method == "GET":
                return Response.json(200, net)
            if method == "DELETE":
                self._check_removable(net)
                users = self._users(lambda task: any(
                    isinstance(n, dict) and n.get("Target") == net["Id"]
                    for n in task.get("Networks") or []))
                if users:       # swarmkit controlapi RemoveNetwork
                    raise HttpError(400, "rpc error: code = FailedPrecondition desc = network "
                                    f"{net['Id']} is in use by service {_id('service', users[0])}")
                del self.networks[net["Name"]]
                return Response(204)
        raise HttpError(404, "page not found")

    def _prune_networks(self, request: Request) -> Response:
        """``docker network prune``: remove every network no service uses, except the
        predefined ones (moby ``daemon/prune.go``, ``NetworksPrune``: filters ``label``,
        ``label!`` and ``until``; ``until`` is not simulated)."""
        filters = parse_filters(request.arg("filters"), ("label", "label!", "until"))
        used = {n.get("Target") for name, service in self.cluster.services.items()
                for n in self._spec_json(name, service.spec)["TaskTemplate"].get("Networks")
                or [] if isinstance(n, dict)}
        gone = [n["Name"] for n in list(self.networks.values())
                if n["Name"] not in (*BUILTIN, *SWARM_JOINED) and n["Id"] not in used
                and all(label_matches(n["Labels"], f) for f in filters.get("label", []))
                and not any(label_matches(n["Labels"], f) for f in filters.get("label!", []))]
        for name in gone:
            del self.networks[name]
        return Response.json(200, {"NetworksDeleted": gone})

    def _check_removable(self, net: dict[str, Any]) -> None:
        """moby refuses to remove a predefined network (``daemon/network.go``,
        ``deleteNetwork``: 403) and libnetwork one with endpoints (``docker_gwbridge``
        holds the ingress sandbox's); swarmkit keeps ``ingress`` while a service publishes
        a port through it (``controlapi/network.go``, ``removeIngressNetwork``). Removing
        it otherwise is not simulated (the routing mesh always has it)."""
        name = net["Name"]
        if name in BUILTIN:
            raise HttpError(403, f"{name} is a pre-defined network and cannot be removed")
        if name == "docker_gwbridge":
            raise HttpError(403, f"error while removing network: network {name} id "
                            f"{net['Id']} has active endpoints")
        if net["Ingress"]:
            users = [s for s, service in self.cluster.services.items()
                     if any(p.mode == "ingress" for p in service.spec.ports)]
            if users:
                raise HttpError(400, "rpc error: code = FailedPrecondition desc = ingress "
                                "network cannot be removed because service "
                                f"{_id('service', users[0])} depends on it")
            raise HttpError(501, "removing the ingress network is not simulated: the "
                            "simulated routing mesh always has it")

    def _find_network(self, key: str) -> dict[str, Any] | None:
        """A network by name, ID or ID prefix (3 characters or more)."""
        return next((n for n in self.networks.values() if key in (n["Name"], n["Id"])
                     or (len(key) >= 3 and n["Id"].startswith(key))), None)


def _flag(request: Request, key: str) -> bool:
    """A boolean query parameter as the clients send it (``?force=1``, ``?details=true``)."""
    return request.arg(key, "") in ("1", "true", "True")
