"""The Docker daemon itself, for :mod:`clustersim.serve.docker`: the API version it serves and
the version prefix of a path (moby's version middleware), ``/_ping``, ``/version``, ``/info``
and ``/swarm``.

The daemon reports itself as Engine 25.0.6, the release whose API is 1.44
(:data:`ENGINE_VERSION`); clients negotiate down from ``/_ping``'s ``API-Version`` (a 28.x
CLI asks for 1.44, Debian's 20.10 CLI speaks 1.41).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from clustersim.goformat import duration_string
from clustersim.serve.core import HttpError, Request, Response
from clustersim.serve.dockerchecks import flag
from clustersim.serve.dockerjson import decode, read_json
from clustersim.serve.dockerspec import NS_PER_SECOND as _NS
from clustersim.serve.dockerstate import DockerState, default_swarm_spec
from clustersim.serve.dockerstore import object_id
from clustersim.swarm import SwarmError

__all__ = ["API_VERSION", "ENGINE_VERSION", "MIN_API_VERSION", "NO_MANAGER", "DaemonRoutes",
           "api_path", "asked_version"]

PLUGINS: dict[str, list[str] | None] = {
    "Volume": ["local"],
    "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
    "Authorization": None,
    "Log": ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local",
            "splunk", "syslog"]}
"""``/info``'s ``Plugins`` as a default Linux daemon of Engine 25 lists them (moby
``daemon/info.go``, ``showPluginsInfo``): the volume drivers (``local``), the network drivers
libnetwork has built in, sorted (``GetNetworkDriverList``), no authorization plugins (``null``)
and the log drivers compiled in, sorted (``logger.ListDrivers``; ``logentries`` was removed in
Engine 25.0, docs.docker.com/engine/deprecated/). No plugin can be installed here."""

ENGINE_VERSION = "25.0.6"
"""The Engine release whose newest API is the one served: the API version matrix
(https://docs.docker.com/reference/api/engine/#api-version-matrix) pairs Engine 25.0 with API
1.44 (26.x speaks 1.45, 28.x 1.48 to 1.51). The endpoints follow the v1.44 reference, and
nothing here implements the later versions' changes, so the simulated daemon is a 25.0 one
rather than a newer Engine claiming an older API."""
API_VERSION = "1.44"
MIN_API_VERSION = "1.24"
"""Engine 25.0's default minimum (moby ``api/common.go``; raised from 1.12 for v25.0), the one
that matches :data:`ENGINE_VERSION`. Later Engines moved it: v29.0 to 1.44, and v29.3.0 back
down to 1.40, Docker 19.03's (moby/moby#52067,
https://github.com/moby/moby/releases/tag/v29.3.0)."""


_PREFIX = re.compile(r"^/v(\d+)\.(\d+)(?=/|$)")
"""A path's version prefix (``/v1.44``)."""


def _version_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def asked_version(path: str) -> tuple[int, int]:
    """The API version a request's ``path`` asks for (``/v1.41/services``: 1.41), or without
    a prefix the daemon's own, as the version middleware takes it then."""
    asked = _PREFIX.match(path)
    return (int(asked[1]), int(asked[2])) if asked else _version_key(API_VERSION)


def api_path(path: str) -> str:
    """``path`` without its version prefix (``/v1.44/services``: ``/services``), once the
    daemon's version middleware (``api/server/middleware/version.go``) has found the version
    asked for within the range it serves."""
    asked = _PREFIX.match(path)
    if asked:
        version = f"{asked[1]}.{asked[2]}"
        wanted = _version_key(version)
        if wanted < _version_key(MIN_API_VERSION):
            raise HttpError(400, f"client version {version} is too old. Minimum supported "
                            f"API version is {MIN_API_VERSION}, please upgrade your client "
                            "to a newer version")
        if wanted > _version_key(API_VERSION):
            raise HttpError(400, f"client version {version} is too new. Maximum supported "
                            f"API version is {API_VERSION}")
    return (path[asked.end():] if asked else path).rstrip("/") or "/"


NO_MANAGER = ('This node is not a swarm manager. Use "docker swarm init" or "docker swarm '
              'join" to connect this node to swarm and try again.')
"""The daemon's 503 for a request that needs a manager while its swarm node is not running
(moby ``daemon/cluster/cluster.go``, ``errNoManager`` with no swarmkit node): every request
to the swarm's objects after a refused forced init (:meth:`DaemonRoutes._force_new_cluster`)."""
_NOT_MANAGER = ("This node is not a swarm manager. Worker nodes can't be used to view or "
                "modify cluster state. Please run this command on a manager node or promote "
                "the current node to a manager.")
"""moby's ``errSwarmNotManager`` (``daemon/cluster/errors.go``), 503."""

_SWARM_BODIES = {"init": "swarm.InitRequest", "join": "swarm.JoinRequest",
                 "update": "swarm.Spec", "unlock": "swarm.UnlockRequest"}
"""The Go type each ``POST /swarm/...`` body is read into (moby
``api/server/router/swarm/cluster_routes.go``: ``initCluster``, ``joinCluster``,
``updateCluster``, ``unlockCluster``, each with ``httputils.ReadJSON``)."""


class DaemonRoutes(DockerState):
    """``/_ping``, ``/version``, ``/info`` and ``/swarm``."""

    def _ping(self) -> Response:
        """``Swarm``: the node's state and whether it is an active manager (a stopped node,
        :attr:`node_stopped`, is ``active/worker``, as ``Info`` reports it then; one that
        has left, ``inactive``: moby's ``Cluster.Status`` with no node runner)."""
        response = Response.text(200, "OK")
        role = "worker" if self.node_stopped else "manager"
        swarm = "inactive" if self.node_left else f"active/{role}"
        response.headers.update({"API-Version": API_VERSION, "Docker-Experimental": "false",
                                 "Swarm": swarm, "OSType": "linux"})
        return response

    def _swarm_request(self, request: Request, rest: list[str]) -> Response:
        """``/swarm``: inspect it; a body is read into its Go type first, so a value of the
        wrong type is Go's 400 (``json: cannot unmarshal number into Go struct field
        InitRequest.ListenAddr of type string``); ``init`` and ``join`` get the daemon's 503
        for a node already in a swarm, except ``init`` with ``ForceNewCluster``, which a
        manager accepts (:meth:`_force_new_cluster`); ``leave`` is :meth:`_leave` (moby
        ``daemon/cluster/swarm.go``, ``Init`` and ``Leave``). With the node stopped
        (:attr:`node_stopped`) a forced init is refused as moby's ``Init`` refuses it on a
        node that is no manager (``errSwarmNotManager``), and what needs a manager (inspect,
        update, unlock, the unlock key) gets :data:`NO_MANAGER`. Once the node has left
        (:attr:`node_left`), ``init`` makes a new swarm (:meth:`_new_swarm`); ``join`` is
        checked as moby's ``validateAndSanitizeJoinRequest`` checks it (400), then answers
        501: a real daemon would join another swarm, whose other engines the served one does
        not have. The simulated swarm cannot be updated or unlocked: those get a 501 that
        says so."""
        if self.node_stopped and request.method == "GET" and not rest:
            raise HttpError(503, NO_MANAGER)
        if request.method == "GET" and not rest:
            return Response.json(200, self._swarm())
        body_type = _SWARM_BODIES.get(rest[0]) if len(rest) == 1 else None
        body = read_json(request, body_type) if request.method == "POST" and body_type \
            else {}                            # moby's swarm router reads the body first
        init = decode(body, "swarm.InitRequest") if rest == ["init"] else {}
        if rest == ["leave"] and request.method == "POST":
            return self._leave(request)
        if self.node_left and rest == ["init"]:
            return Response.json(200, self._id("node", self._new_swarm(init)))
        if self.node_left and rest == ["join"]:
            problem = _join_problem(decode(body, "swarm.JoinRequest"))
            if problem:
                raise HttpError(400, problem)
            raise HttpError(501, "joining another swarm is not simulated: the served daemon "
                            "is the only engine there is (run \"docker swarm init\" for a new "
                            "swarm of this node)")
        if self.node_stopped and (init.get("ForceNewCluster") or rest in (
                ["update"], ["unlock"], ["unlockkey"])):
            # Init's IsManager check, a stopped node has none; the rest need a manager
            raise HttpError(503, _NOT_MANAGER if rest == ["init"] else NO_MANAGER)
        if init.get("ForceNewCluster"):
            return Response.json(200, self._id("node", self._force_new_cluster(init)))
        if rest in (["init"], ["join"]):
            raise HttpError(503, "This node is already part of a swarm. Use \"docker swarm "
                            "leave\" to leave this swarm and join another one.")
        what = {"update": "changing the swarm's settings", "unlock": "unlocking",
                "unlockkey": "the unlock key (autolock)"}
        if len(rest) == 1 and rest[0] in what:
            raise HttpError(501, f"{what[rest[0]]} is not simulated: the simulated swarm "
                            "lives as long as its server (stop it with Ctrl-C and start "
                            "another for a new swarm)")
        raise HttpError(404, "page not found")

    def _leave(self, request: Request) -> Response:
        """``POST /swarm/leave`` as moby's ``Leave`` (``daemon/cluster/swarm.go``) answers
        it: a node in no swarm (one that has left) is 503 ``errNoSwarm`` (``This node is not
        part of a swarm``, ``daemon/cluster/errors.go``); a running manager without
        ``force`` is refused (503, :meth:`_leave_refusal`); otherwise the node runner is stopped
        (a stopped one, :attr:`node_stopped` after a refused forced init, is no manager to
        Leave's ``state.IsManager()`` and stops again without error), its state cleared,
        and the answer is an empty 200 (``postLeave`` in
        ``api/server/router/swarm/cluster_routes.go``). The node is then in no swarm
        (:attr:`node_left`): ``/info`` and ``/_ping`` say ``inactive``, and what needs a
        manager is :data:`NO_MANAGER`.

        Simplified (what Docker does instead): the served daemon speaks for the one node
        that left; the simulated swarm under it runs on as before, where in Docker the
        node's containers are removed and, with no other manager, the swarm is left with
        none."""
        if self.node_left:
            raise HttpError(503, "This node is not part of a swarm")
        if not flag(request, "force") and not self.node_stopped:
            raise HttpError(503, self._leave_refusal())
        self.node_stopped = self.node_left = True
        return Response(200)

    def _leave_refusal(self) -> str:
        """Why ``Leave`` without ``force`` refuses a manager, in moby's words: with the
        managers ``managerStats`` counts (``reachable`` and ``unreachable``, as ``docker
        node ls`` shows them), the last manager erases the swarm, one whose leaving loses
        the Raft quorum (``removingManagerCausesLossOfQuorum``: reachable - 2 <=
        unreachable) says how many are left, and any manager may lose consensus; a manager
        that is down itself (no control) gets only the warning about consensus.
        ``managerStats`` lists the nodes through the local control socket, a Raft proxy that
        forwards to the leader (swarmkit ``manager/manager.go``, ``NewRaftProxyControlServer``;
        ``LeaderConn`` in ``manager/state/raft/raft.go``): a swarm with no leader answers it
        with an error, and ``Leave`` then leaves the count out (moby
        ``daemon/cluster/swarm.go``). Simplified: upstream that error comes after up to 5 s
        of waiting for a leader (``managerStats``' timeout); here at once."""
        managers = self.cluster.raft.managers
        alive = {m for m in managers if self.cluster.node_record(m).alive}
        reachable, unreachable = len(alive), len(managers) - len(alive)
        message = ("You are attempting to leave the swarm on a node that is participating as "
                   "a manager. ")
        if self._this_node() not in alive:
            message += "Doing so may lose the consensus of your cluster. "
        elif self.cluster.raft.leader is not None and reachable - 2 <= unreachable:
            if reachable == 1 and unreachable == 0:
                return (message + "Removing the last manager erases all current state of "
                        "the swarm. Use `--force` to ignore this message. ")
            message += (f"Removing this node leaves {reachable - 1} managers out of "
                        f"{reachable + unreachable}. Without a Raft quorum your swarm will "
                        "be inaccessible. ")
        return (message + "The only way to restore a swarm that has lost consensus is to "
                "reinitialize it with `--force-new-cluster`. Use `--force` to suppress this "
                "message.")

    def _this_node(self) -> str:
        """The manager whose engine answers: the leader, else the first manager still up
        (a swarm that lost its quorum), else the first manager."""
        raft = self.cluster.raft
        return raft.leader or next((m for m in raft.managers if m in raft.up),
                                   raft.managers[0])

    def _force_new_cluster(self, init: dict[str, Any]) -> str:
        """``docker swarm init --force-new-cluster`` on this node, the ``InitRequest``
        ``init`` (as :func:`~clustersim.serve.dockerjson.decode` reads it): moby's ``Init``
        (``daemon/cluster/swarm.go``) stops the node, refuses a request that
        ``validateAndSanitizeInitRequest`` refuses (an empty ``ListenAddr``, a ``Spec`` named
        other than ``default``: 400) and leaves the node stopped then (:attr:`node_stopped`:
        every request to the swarm is 503 :data:`NO_MANAGER`, a forced init 503
        ``errSwarmNotManager``, until the daemon restarts), else starts the node again with
        ``ForceNewCluster``, then
        ``initClusterSpec`` merges the ``Spec`` sent into the swarm's own and stores it
        (``convert.MergeSwarmSpecToGRPC``: each field sent that is not 0, empty or null
        replaces the swarm's, ``EncryptionConfig.AutoLockManagers`` always; then
        swarmkit's ``UpdateCluster``, which takes the next version even when nothing
        changed), and answers the node's ID. The swarm's state stays, this manager becomes
        the only one (:meth:`~clustersim.swarm.cluster.SwarmCluster.force_new_cluster`).
        A node certificate expiry under an hour fails ``UpdateCluster``
        (``validateClusterSpec``) once the new cluster is forced: moby wraps the error,
        answered 500, and the Spec stays.

        Simplified (what Docker does instead): a settings change the simulated swarm cannot
        run by (:data:`_RUN_BY`: the task history limit, Raft's ticks, the dispatcher's
        heartbeat, autolock; a certificate authority of its own) is a 501 before anything
        happens; Docker applies it. A stopped node stays stopped for the server's life (a
        real daemon's restart starts it again from the state it saved, which the served one
        cannot do: start the server again), and the simulated swarm under it runs on as if
        the node were in it (in Docker its manager is gone: with no other manager, the swarm
        has no leader, and its tasks run on with nothing scheduled).

        With every manager down, the node that answers is down too: a real daemon on a
        stopped machine would not answer at all, but the simulated one speaks for that node
        still, so it answers the simulator's refusal (``... is down: run it on a manager that
        is still up``) as a 503, the status of the swarm refusals moby marks ``Unavailable``
        (``daemon/cluster/errors.go``: ``notAvailableError``, such as ``errSwarmNotManager``),
        the nearest to a daemon that cannot serve the request; it had been a 500."""
        sent = init.get("Spec") or {}
        problem = _init_problem(init)
        if problem:
            self.node_stopped = True
            raise HttpError(400, problem)
        merged = _merged_spec(sent, self.swarm_spec)
        problem = _unsimulated_settings(init, sent, merged, self.swarm_spec)
        if problem:
            raise HttpError(501, problem)
        name = self._this_node()
        try:
            self.cluster.force_new_cluster(name)
        except SwarmError as err:
            raise HttpError(503, err.message) from None
        self._store_spec(merged)
        return name

    def _store_spec(self, merged: dict[str, Any]) -> None:
        """``initClusterSpec``'s ``UpdateCluster`` with the ``merged`` Spec, once the node
        runs: a node certificate expiry under an hour fails it (swarmkit's
        ``validateClusterSpec``), which moby wraps and answers 500, the Spec as it was."""
        if merged["CAConfig"]["NodeCertExpiry"] < _MIN_CERT_EXPIRY:
            raise HttpError(500, "error updating cluster settings: rpc error: code = "
                            "InvalidArgument desc = minimum certificate expiry time is: "
                            f"{duration_string(_MIN_CERT_EXPIRY / _NS)}")
        self.swarm_spec = merged
        self.versions.write("swarm", self.swarm_key(), self.now)

    def _new_swarm(self, init: dict[str, Any]) -> str:
        """``docker swarm init`` on this node once it has left its swarm, the ``InitRequest``
        ``init``: moby's ``Init`` (``daemon/cluster/swarm.go``) checks the request as
        ``validateAndSanitizeInitRequest`` does (400), starts a swarmkit node with no state,
        a swarm of its own with this node its one manager, and ``initClusterSpec`` merges
        the ``Spec`` sent into swarmkit's defaults; the answer is the new node's ID. The new
        swarm (:meth:`~clustersim.swarm.SwarmCluster.new_swarm`) has new IDs (its node, the
        swarm, a new ``ingress`` network), a raft index from 1, and none of the last one's
        services, secrets, configs, overlay networks or node labels. Simplified (what Docker
        does instead): the other machines of the simulated swarm are gone with it, where in
        Docker they stay in the old swarm (a real worker would ``docker swarm leave`` and
        ``join`` the new one, which another engine would have to do); a setting the
        simulated swarm cannot run by is a 501, as with ``--force-new-cluster``, and a
        certificate expiry under an hour the 500 of :meth:`_store_spec`, the new swarm made."""
        problem = _init_problem(init)
        if problem:
            raise HttpError(400, problem)
        sent = init.get("Spec") or {}
        defaults = default_swarm_spec()
        merged = _merged_spec(sent, defaults)
        problem = _unsimulated_settings(init, sent, merged, defaults)
        if problem:
            raise HttpError(501, problem)
        name = self._this_node()
        self.generation += 1
        self._begin_swarm(self.cluster.new_swarm(name), defaults)
        self._store_spec(merged)
        return name

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
        """``/info``; with the node stopped (:attr:`node_stopped`), ``Swarm`` as moby's
        ``Cluster.Info`` writes it without a swarmkit node: no node ID, no control, no
        managers, and still ``active`` (the node runner's ready channel stays closed); once
        it has left (:attr:`node_left`), with no node runner: ``inactive`` and no address
        (``GetAdvertiseAddress`` finds none)."""
        leader = self._this_node()
        machine = self.cluster.node_record(leader).node     # the engine answering: a manager
        nodes = self.cluster.node_ls()
        info = {"ID": object_id("engine", leader), "Name": leader, "ServerVersion": ENGINE_VERSION,
                "OperatingSystem": "clustersim (simulated)", "OSType": "linux",
                "Architecture": "x86_64", "NCPU": int(machine.cpu),
                "MemTotal": int(machine.memory_bytes), "Containers": 0,
                "Images": 0, "Driver": "simulated", "Plugins": copy.deepcopy(PLUGINS),
                "Swarm": {"NodeID": self._id("node", leader), "NodeAddr": "10.0.0.1",
                          "LocalNodeState": "active", "ControlAvailable": True, "Error": "",
                          "RemoteManagers": [{"NodeID": self._id("node", m), "Addr": f"{m}:2377"}
                                             for m in self.cluster.raft.managers],
                          "Nodes": len(nodes), "Managers": len(self.cluster.raft.managers),
                          "Cluster": self._swarm()}}
        if self.node_stopped:
            info["Swarm"] = {"NodeID": "", "NodeAddr": "" if self.node_left else "10.0.0.1",
                             "LocalNodeState": "inactive" if self.node_left else "active",
                             "ControlAvailable": False, "Error": "", "RemoteManagers": None}
        return info

    def _swarm(self) -> dict[str, Any]:
        index, updated = self.versions.read("swarm", self.swarm_key(), 0.0)
        return {"ID": self._id("swarm", "clustersim"), "Version": {"Index": index},
                "CreatedAt": self._stamp(0), "UpdatedAt": self._stamp(updated),
                "Spec": copy.deepcopy(self.swarm_spec),
                "TLSInfo": {}, "RootRotationInProgress": False, "DefaultAddrPool": ["10.0.0.0/8"],
                "SubnetSize": 24, "DataPathPort": 4789,
                "JoinTokens": {"Worker": "SWMTKN-1-simulated-worker",
                               "Manager": "SWMTKN-1-simulated-manager"}}


def _init_problem(init: dict[str, Any]) -> str:
    """Why moby's ``validateAndSanitizeInitRequest`` refuses the ``InitRequest`` ``init``
    (400), or "": an empty ``ListenAddr``, a ``Spec`` named other than ``default``."""
    name = (init.get("Spec") or {}).get("Name", "default")
    return ('invalid ListenAddr "": invalid empty address' if not init.get("ListenAddr")
            else 'swarm spec must be named "default"' if name not in ("", "default") else "")


def _join_problem(join: dict[str, Any]) -> str:
    """Why moby's ``validateAndSanitizeJoinRequest`` refuses the ``JoinRequest`` ``join``
    (400), or "": an empty ``ListenAddr``, no ``RemoteAddrs``, or an empty one."""
    if not join.get("ListenAddr"):
        return 'invalid ListenAddr "": invalid empty address'
    remotes = join.get("RemoteAddrs") or []
    if not remotes:
        return "at least 1 RemoteAddr is required to join"
    return ('invalid remoteAddr "": invalid empty address' if "" in remotes else "")


_MERGED = {("Name",): "nonzero", ("Labels",): "nonzero",
           ("Orchestration", "TaskHistoryRetentionLimit"): "pointer",
           ("Raft", "SnapshotInterval"): "nonzero", ("Raft", "KeepOldSnapshots"): "pointer",
           ("Raft", "LogEntriesForSlowFollowers"): "nonzero",
           ("Raft", "HeartbeatTick"): "nonzero", ("Raft", "ElectionTick"): "nonzero",
           ("Dispatcher", "HeartbeatPeriod"): "nonzero",
           ("CAConfig", "NodeCertExpiry"): "nonzero", ("TaskDefaults", "LogDriver"): "pointer",
           ("EncryptionConfig", "AutoLockManagers"): "always"}
"""The Spec fields moby's ``MergeSwarmSpecToGRPC`` (``daemon/cluster/convert/swarm.go``)
carries into the swarm's, and when: sent not 0 or empty, sent as a pointer (not null), or
always (Go's zero value when not sent)."""

_RUN_BY = (("Orchestration", "TaskHistoryRetentionLimit"), ("Raft", "ElectionTick"),
           ("Raft", "HeartbeatTick"), ("Dispatcher", "HeartbeatPeriod"),
           ("EncryptionConfig", "AutoLockManagers"))
"""The settings the simulated swarm runs by, at swarmkit's defaults: its task reaper's
history (:data:`~clustersim.swarm.store.TASK_HISTORY_LIMIT`), its Raft's timing, its
dispatcher's heartbeat (:data:`~clustersim.swarm.dispatcher.HEARTBEAT_PERIOD`) and a swarm
that is never locked."""

_MIN_CERT_EXPIRY = 3600 * _NS
"""swarmkit's ``ca.MinNodeCertExpiration``, one hour."""


def _merged_spec(sent: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The swarm's Spec ``current`` with the Spec ``sent`` merged in (:data:`_MERGED`)."""
    merged = copy.deepcopy(current)
    for path, rule in _MERGED.items():
        *sections, key = path
        given, into = sent, merged
        for section in sections:
            given, into = given.get(section) or {}, into.setdefault(section, {})
        if rule == "always" or (key in given if rule == "pointer" else given.get(key)):
            into[key] = given.get(key, False)
    return merged


def _unsimulated_settings(init: dict[str, Any], sent: dict[str, Any],
                          merged: dict[str, Any], current: dict[str, Any]) -> str:
    """Why the simulated swarm cannot run by the ``merged`` Spec, or "": a setting of
    :data:`_RUN_BY` changed, autolock asked for (``InitRequest.AutoLockManagers``), or a
    certificate authority of its own (an external or signing CA, a forced rotation)."""
    if init.get("AutoLockManagers"):
        return ("autolock is not simulated: the simulated swarm is never locked (its "
                "managers' keys are not encrypted)")
    for section, key in _RUN_BY:
        if merged[section][key] != current[section][key]:
            wanted, running = (json.dumps(v) for v in (merged[section][key],
                                                      current[section][key]))
            return (f"changing the swarm's {section}.{key} to {wanted} is not simulated: "
                    f"the simulated swarm runs with {running}")
    ca = sent.get("CAConfig") or {}
    if any(ca.get(k) for k in ("ExternalCAs", "SigningCACert", "SigningCAKey",
                               "ForceRotate")):
        return ("the swarm's certificate authority is not simulated: the simulated swarm "
                "issues no certificates")
    return ""
