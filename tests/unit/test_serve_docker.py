"""The Docker Engine API (swarm subset), driven by Docker's Python SDK (pinned), compared with
the simulated swarm's own state. (The docker CLI, not on PyPI: test_serve_docker_cli.py.)"""

from __future__ import annotations

import ipaddress
import json
import re

import docker
import pytest
import requests
from docker.errors import APIError, NotFound
from docker.types import EndpointSpec, Mount, Resources, ServiceMode

from clustersim import Node
from clustersim.serve import serve
from clustersim.swarm import SwarmCluster


@pytest.fixture
def server():
    with serve("swarm", nodes=3, speed=0) as server:
        yield server


@pytest.fixture
def client(server):
    client = docker.DockerClient(base_url=server.docker_host, version="auto", timeout=10)
    yield client
    client.close()


def test_instructions_explain_the_digest_warning(server):
    """Every ``docker service create`` prints a warning that no digest was recorded (no
    registry here): the printed instructions say why and how to skip the lookup."""
    assert "--no-resolve-image" in server.instructions()
    assert "export DOCKER_HOST=tcp://127.0.0.1:" in server.instructions()


def test_ping_version_info_swarm(server, client):
    assert client.ping() is True
    version = client.version()
    # the API version matrix: API 1.44 is Engine 25.0's (28.x speaks 1.48 and later)
    assert (version["ApiVersion"], version["MinAPIVersion"]) == ("1.44", "1.24")
    assert version["Version"].startswith("25.0.")
    assert client.info()["ServerVersion"] == version["Version"]
    assert client.info()["Swarm"]["Nodes"] == len(server.cluster.node_names())
    assert client.swarm.attrs["JoinTokens"]["Worker"].startswith("SWMTKN-1")


def test_an_api_version_outside_the_daemons_range_is_refused(server):
    """The daemon's version middleware: /v1.99 was answered as if supported."""
    for version, words in (("1.99", "client version 1.99 is too new. Maximum supported API "
                                    "version is 1.44"),
                           ("1.12", "client version 1.12 is too old. Minimum supported API "
                                    "version is 1.24")):
        answer = requests.get(f"{server.url}/v{version}/info", timeout=10)
        assert (answer.status_code, answer.json()["message"].split(", please")[0]) == (
            400, words)
    assert requests.get(f"{server.url}/v1.41/info", timeout=10).status_code == 200


def test_node_ls_and_update(server, client):
    nodes = client.nodes.list()
    assert [n.attrs["Description"]["Hostname"] for n in nodes] == server.cluster.node_names()
    assert [n.attrs["Spec"]["Role"] for n in nodes].count("manager") == 1
    worker = client.nodes.list(filters={"role": "worker"})[0]
    spec = worker.attrs["Spec"]
    spec["Availability"] = "drain"
    assert worker.update(spec)
    name = worker.attrs["Description"]["Hostname"]
    row = next(r for r in server.cluster.node_ls() if r["hostname"] == name)
    assert row["availability"] == "Drain"


def test_a_node_update_replaces_the_whole_spec(server, client):
    """The body of a node update is the node's new NodeSpec (swarmkit's ``UpdateNode`` stores
    it as sent), read by Go's decoder (field names in any case) and moby's
    ``NodeSpecToGRPC``: a spec without ``Labels`` cleared none of them, one without ``Role``
    or ``Availability`` kept the old value where the daemon says ``invalid Role: ""``,
    lower-case field names were ignored and ``Name`` was dropped. The SDK's
    ``Node.update`` sends the dict as given (docker-py's documented example)."""
    worker = client.nodes.get("worker-1")
    assert worker.update({"Availability": "active", "Name": "edge", "Role": "worker",
                          "Labels": {"disk": "ssd"}})
    worker.reload()
    assert worker.update({"Role": "worker", "Availability": "drain"})
    worker.reload()
    assert worker.attrs["Spec"] == {"Labels": {}, "Role": "worker", "Availability": "drain"}
    assert server.cluster.node_record("worker-1").node.labels == {}
    for spec, words in (({"Availability": "active"}, 'invalid Role: ""'),
                        ({"Role": "worker", "Labels": {"a": "b"}}, 'invalid Availability: ""'),
                        ({"Role": 1, "Availability": "active"},
                         "invalid JSON: json: cannot unmarshal number into Go struct field "
                         "NodeSpec.Role "
                         "of type swarm.NodeRole")):
        with pytest.raises(APIError) as refused:
            worker.update(spec)
        assert (refused.value.response.status_code, refused.value.explanation) == (400, words)
    assert worker.update({"role": "WORKER", "availability": "pause", "labels": {"a": "b"},
                          "name": "edge"})
    worker.reload()
    assert worker.attrs["Spec"] == {"Name": "edge", "Labels": {"a": "b"}, "Role": "worker",
                                    "Availability": "pause"}


def test_a_demotion_that_would_lose_the_quorum_is_refused(server, client):
    """swarmkit's quorum safeguard (``CanRemoveMember``): with three managers and one down,
    demoting another leaves two, one of them reachable, short of their quorum of two."""
    for name in ("worker-1", "worker-2"):
        node = client.nodes.get(name)
        assert node.update({**node.attrs["Spec"], "Role": "manager"})
    server.cluster.fail_node("worker-2")
    node = client.nodes.get("worker-1")
    with pytest.raises(APIError) as refused:
        node.update({**node.attrs["Spec"], "Role": "worker"})
    assert refused.value.explanation == ("rpc error: code = FailedPrecondition desc = can't "
                                         "remove member from the raft: this would result in a "
                                         "loss of quorum")
    assert "worker-1" in server.cluster.raft.managers


def test_service_create_scale_update_rollback_rm(server, client):
    service = client.services.create(
        "nginx:1.27", name="web", mode=ServiceMode("replicated", replicas=3),
        endpoint_spec=EndpointSpec(ports={8080: 80}),
        resources=Resources(cpu_reservation=500_000_000, mem_reservation=256 * 2**20),
        constraints=["node.role==worker"])
    server.step(30)
    tasks = service.tasks(filters={"desired-state": "running"})
    assert sorted(t["Slot"] for t in tasks) == [1, 2, 3]
    assert {t["Status"]["State"] for t in tasks} == {"running"}
    simulated = {t.id for t in server.cluster.tasks("web")}
    assert {t["ID"] for t in tasks} == simulated
    assert server.cluster.ls()[0]["ports"] == "*:8080->80/tcp"
    service.reload()
    service.scale(5)
    server.step(30)
    assert server.cluster.ls()[0]["replicas"] == "5/5"
    service.reload()
    service.update(image="nginx:1.28")
    server.step(120)
    assert server.cluster.services["web"].spec.image == "nginx:1.28"
    service.reload()
    assert service.attrs["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == "nginx:1.28"
    assert service.attrs["PreviousSpec"]["TaskTemplate"]["ContainerSpec"]["Image"] == \
        "nginx:1.27"
    # `docker service rollback` (the SDK has no call for it): update with rollback=previous
    response = requests.post(f"{server.url}/v1.44/services/{service.id}/update",
                             params={"version": service.version, "rollback": "previous"},
                             json={}, timeout=10)
    assert response.status_code == 200
    server.step(120)
    assert server.cluster.services["web"].spec.image == "nginx:1.27"
    logs = b"".join(client.services.get("web").logs(stdout=True))
    assert b"web.1." in logs
    client.services.get("web").remove()
    server.step(30)
    assert client.services.list() == [] and server.cluster.ls() == []


def test_the_tasks_of_a_removed_service_are_listed_until_reaped(server, client):
    """swarmkit marks every task of a removed service REMOVE (``SetServiceTasksRemove``) and
    its task reaper deletes each once it has ended (task_reaper.go): ``GET /tasks`` lists
    the running one with DesiredState remove until its agent has stopped it, and never
    again the ones an update had shut down, which it listed for good."""
    service = client.services.create("nginx:1.27", name="web")
    server.step(30)
    service.update(image="nginx:1.28")
    server.step(60)
    assert sorted((t["Spec"]["ContainerSpec"]["Image"], t["DesiredState"], t["Status"]["State"])
                  for t in client.api.tasks()) == [("nginx:1.27", "shutdown", "shutdown"),
                                                   ("nginx:1.28", "running", "running")]
    service.remove()
    assert [(t["Spec"]["ContainerSpec"]["Image"], t["DesiredState"], t["Status"]["State"])
            for t in client.api.tasks()] == [("nginx:1.28", "remove", "running")]
    server.step(30)
    assert client.api.tasks() == [] and server.cluster.tasks(history=True) == []


def test_conflicts_missing_objects_and_pending_tasks(server, client):
    client.services.create("nginx", name="web")
    with pytest.raises(APIError, match="already exists"):
        client.services.create("nginx", name="web")
    with pytest.raises(NotFound, match="service nope not found"):
        client.services.get("nope")
    client.services.create("nginx", name="huge", resources=Resources(cpu_reservation=64 * 10**9))
    server.step(5)
    [task] = client.services.get("huge").tasks()
    assert task["Status"]["State"] == "pending"
    assert task["Status"]["Err"] == server.cluster.tasks("huge")[0].err
    assert "no suitable node" in task["Status"]["Err"]


def test_networks(server, client):
    # a swarm manager's networks: the engine's three, and the two joining a swarm adds
    assert {n.name for n in client.networks.list()} == \
        {"bridge", "docker_gwbridge", "host", "ingress", "none"}
    client.networks.create("backend", driver="overlay")
    assert "backend" in {n.name for n in client.networks.list()}
    with pytest.raises(APIError):
        client.networks.create("backend", driver="overlay")
    client.networks.get("backend").remove()
    assert "backend" not in {n.name for n in client.networks.list()}


@pytest.mark.parametrize("body", [{"IPAM": "x"}, {"IPAM": {"Config": "x"}},
                                  {"Options": ["x"]}])
def test_a_refused_network_create_stores_nothing(server, body):
    """The whole body is checked before the network is stored; the simulator stored it
    first, so a create refused for its IPAM or options left the network behind."""
    base = f"{server.url}/v1.44"
    refused = requests.post(f"{base}/networks/create", timeout=10,
                            json={"Name": "n1", "Driver": "overlay", **body})
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("invalid JSON: json: cannot unmarshal")
    assert requests.get(f"{base}/networks/n1", timeout=10).status_code == 404
    created = requests.post(f"{base}/networks/create", timeout=10,
                            json={"Name": "n1", "Driver": "overlay"})
    assert created.status_code == 201


def test_errors_have_the_daemons_shape(server):
    base = server.url
    bad = requests.post(f"{base}/v1.44/services/create", data="{bad",
                        headers={"Content-Type": "application/json"}, timeout=10)
    assert bad.status_code == 400 and "invalid JSON" in bad.json()["message"]
    unknown = requests.get(f"{base}/v1.44/nonsense", timeout=10)
    assert unknown.status_code == 404 and unknown.json() == {"message": "page not found"}
    containers = requests.get(f"{base}/v1.44/containers/json", timeout=10)
    assert containers.status_code == 501 and "containers are not simulated" in \
        containers.json()["message"]
    init = requests.post(f"{base}/v1.44/swarm/init", json={}, timeout=10)
    assert init.status_code == 503 and "already part of a swarm" in init.json()["message"]
    assert server.cluster.services == {}


@pytest.mark.parametrize(("path", "body", "where"), [
    ("init", {"ListenAddr": 5}, "number into Go struct field InitRequest.ListenAddr of type "
     "string"),
    ("init", {"Spec": []}, "array into Go struct field InitRequest.Spec of type swarm.Spec"),
    ("init", {"Spec": {"Raft": {"ElectionTick": "10"}}}, "string into Go struct field "
     "RaftConfig.Spec.Raft.ElectionTick of type int"),
    ("init", {"DataPathPort": -1}, "number -1 into Go struct field InitRequest.DataPathPort "
     "of type uint32"),
    ("init", {"Spec": {"CAConfig": {"ExternalCAs": [{"URL": True}]}}}, "bool into Go struct "
     "field ExternalCA.Spec.CAConfig.ExternalCAs.URL of type string"),
    ("join", {"RemoteAddrs": "10.0.0.1:2377"}, "string into Go struct field "
     "JoinRequest.RemoteAddrs of type []string"),
    ("join", {"joinToken": 1}, "number into Go struct field JoinRequest.JoinToken of type "
     "string"),
    ("update?version=1", {"Orchestration": {"TaskHistoryRetentionLimit": 1.5}}, "number 1.5 "
     "into Go struct field OrchestrationConfig.Orchestration.TaskHistoryRetentionLimit of "
     "type int64"),
    ("unlock", {"UnlockKey": []}, "array into Go struct field UnlockRequest.UnlockKey of type "
     "string"),
])
def test_a_swarm_bodys_type_errors_name_the_go_field_path(server, path, body, where):
    """``/swarm/init``, ``join``, ``update`` and ``unlock`` bodies are read into moby's
    ``InitRequest``, ``JoinRequest``, ``Spec`` and ``UnlockRequest``: a value of the wrong
    type got the 503 (or 501) meant for a well-formed body, where the daemon names the Go
    field."""
    sent = requests.post(f"{server.url}/v1.44/swarm/{path}", json=body, timeout=10)
    assert (sent.status_code, sent.json()) == (400, {"message": "invalid JSON: json: cannot "
                                                     f"unmarshal {where}"})


def test_a_well_typed_swarm_body_still_gets_the_daemons_answer(server):
    """A body of the right types goes on to the daemon's 503: this node is in a swarm."""
    sent = requests.post(f"{server.url}/v1.44/swarm/join", timeout=10, json={
        "ListenAddr": "0.0.0.0:2377", "RemoteAddrs": ["10.0.0.1:2377"],
        "JoinToken": "SWMTKN-1-x", "Availability": "active"})
    assert sent.status_code == 503 and "already part of a swarm" in sent.json()["message"]


def test_forcing_a_new_cluster_with_every_manager_down_is_a_503_not_a_500():
    """``swarm init --force-new-cluster`` when no manager is up: the daemon's node (the first
    manager) is down, and the simulator's refusal had reached the client as a 500 naming a
    Python class; it is the 503 moby gives a node that cannot serve a swarm request, and
    the swarm is left as it was."""
    nodes = [*Node.many(3, "manager", cpu=2, memory="4Gi", role="manager"),
             *Node.many(1, "worker", cpu=2, memory="4Gi")]
    with serve("swarm", cluster=SwarmCluster(nodes, seed=0), speed=0) as server:
        with server.lock:
            for name in ("manager-1", "manager-2", "manager-3"):
                server.cluster.fail_node(name)
        client = docker.APIClient(base_url=server.docker_host, version="1.44", timeout=10)
        with pytest.raises(APIError) as refused:
            client.init_swarm(force_new_cluster=True)
        client.close()
        assert _refusal(refused) == (503, "manager-1 is down: run it on a manager that is "
                                     "still up")
        assert server.cluster.raft.managers == ["manager-1", "manager-2", "manager-3"]


@pytest.mark.parametrize(("init", "message"), [
    ({"ListenAddr": ""}, 'invalid ListenAddr "": invalid empty address'),
    ({"Spec": {"Name": "prod"}}, 'swarm spec must be named "default"'),
])
def test_a_forced_init_the_daemon_refuses_leaves_its_node_stopped(server, init, message):
    """moby's ``Init`` stops the node before ``validateAndSanitizeInitRequest`` refuses the
    request (400), and does not start it again: what needs a manager is 503 ``errNoManager``
    (no swarmkit node), another forced init 503 ``errSwarmNotManager``, a plain one still
    ``errSwarmExists``, and ``/info`` and ``/_ping`` show a node with no control. The served
    daemon had left the swarm running."""
    url = f"{server.url}/v1.44"
    sent = requests.post(f"{url}/swarm/init", timeout=10, json={
        "ListenAddr": "0.0.0.0:2377", "ForceNewCluster": True, **init})
    assert (sent.status_code, sent.json()["message"]) == (400, message)
    no_manager = ('This node is not a swarm manager. Use "docker swarm init" or "docker swarm '
                  'join" to connect this node to swarm and try again.')
    for path in ("swarm", "services", "nodes", "tasks", "secrets", "configs"):
        answer = requests.get(f"{url}/{path}", timeout=10)
        assert (answer.status_code, answer.json()["message"]) == (503, no_manager), path
    again = requests.post(f"{url}/swarm/init", timeout=10, json={
        "ListenAddr": "0.0.0.0:2377", "ForceNewCluster": True})
    assert (again.status_code, again.json()["message"]) == (503, (
        "This node is not a swarm manager. Worker nodes can't be used to view or modify "
        "cluster state. Please run this command on a manager node or promote the current "
        "node to a manager."))
    plain = requests.post(f"{url}/swarm/init", timeout=10, json={"ListenAddr": "0.0.0.0:2377"})
    assert plain.status_code == 503 and "already part of a swarm" in plain.json()["message"]
    swarm = requests.get(f"{url}/info", timeout=10).json()["Swarm"]
    assert (swarm["NodeID"], swarm["LocalNodeState"], swarm["ControlAvailable"]) == (
        "", "active", False)
    assert requests.get(f"{server.url}/_ping", timeout=10).headers["Swarm"] == "active/worker"


def test_a_stopped_node_finds_only_its_local_networks_and_may_leave(server):
    """After a refused forced init the node is stopped: moby lists and finds only the
    daemon's local networks, creating or removing a swarm-scoped one needs a manager (503
    ``errNoManager`` from ``lockedManagerAction``), and ``Leave`` checks
    ``state.IsManager()``, false on a stopped node, so a plain leave is not the 503 for
    the last manager but succeeds (200, tested below). The served daemon had listed the
    overlay networks and answered the last-manager 503."""
    url = f"{server.url}/v1.44"
    made = requests.post(f"{url}/networks/create", timeout=10,
                         json={"Name": "backend", "Driver": "overlay"})
    assert made.status_code == 201, made.text
    refused = requests.post(f"{url}/swarm/init", timeout=10, json={
        "ListenAddr": "", "ForceNewCluster": True})
    assert refused.status_code == 400
    listed = requests.get(f"{url}/networks", timeout=10).json()
    assert sorted(n["Name"] for n in listed) == ["bridge", "docker_gwbridge", "host", "none"]
    assert requests.get(f"{url}/networks/backend", timeout=10).status_code == 404
    assert requests.get(f"{url}/networks/bridge", timeout=10).status_code == 200
    no_manager = ('This node is not a swarm manager. Use "docker swarm init" or "docker swarm '
                  'join" to connect this node to swarm and try again.')
    for answer in (requests.delete(f"{url}/networks/backend", timeout=10),
                   requests.post(f"{url}/networks/create", timeout=10,
                                 json={"Name": "other", "Driver": "overlay"})):
        assert (answer.status_code, answer.json()["message"]) == (503, no_manager)


def test_a_stopped_node_leaves_the_swarm_and_is_then_in_none(server, client):
    """moby's ``Leave`` on a node a refused forced init stopped: no manager to
    ``IsManager()``, so it stops (again) and forgets the swarm, 200 (it had been a 501 for
    a request the daemon answers). Then the node is in no swarm: ``/info`` and ``/_ping``
    say ``inactive``, a second leave is 503 ``errNoSwarm``, what needs a manager
    ``errNoManager``; joining another swarm is checked, then not simulated (501), and
    ``init`` with an empty address is refused (400) before it makes a new swarm."""
    url = f"{server.url}/v1.44"
    refused = requests.post(f"{url}/swarm/init", timeout=10, json={
        "ListenAddr": "", "ForceNewCluster": True})
    assert refused.status_code == 400
    assert client.swarm.leave() is True                 # the SDK's POST /swarm/leave
    swarm = client.info()["Swarm"]
    assert (swarm["LocalNodeState"], swarm["NodeID"], swarm["NodeAddr"],
            swarm["ControlAvailable"]) == ("inactive", "", "", False)
    assert requests.get(f"{server.url}/_ping", timeout=10).headers["Swarm"] == "inactive"
    with pytest.raises(APIError) as again:      # (with force the SDK ignores a 503)
        client.swarm.leave()
    assert _refusal(again) == (503, "This node is not part of a swarm")
    answer = requests.get(f"{url}/services", timeout=10)
    assert (answer.status_code, answer.json()["message"]) == (503, (
        'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" '
        "to connect this node to swarm and try again."))
    for path, body, status in (
            ("init", {"ListenAddr": ""}, 400), ("join", {"ListenAddr": "0.0.0.0:2377"}, 400),
            ("join", {"ListenAddr": "0.0.0.0:2377", "RemoteAddrs": ["10.0.0.2:2377"],
                      "JoinToken": "SWMTKN-1-x"}, 501)):
        answer = requests.post(f"{url}/swarm/{path}", timeout=10, json=body)
        assert answer.status_code == status, (path, body, answer.text)
    assert "at least 1 RemoteAddr is required to join" in requests.post(
        f"{url}/swarm/join", timeout=10, json={"ListenAddr": "0.0.0.0:2377"}).text


def test_a_manager_leaves_with_force(server, client):
    """``Leave(force)`` on the running last manager stops its node and answers 200 (it
    had been a 501): the node is in no swarm afterwards."""
    with pytest.raises(APIError) as refused:
        client.swarm.leave()
    assert "Removing the last manager erases all current state" in _refusal(refused)[1]
    assert client.swarm.leave(force=True) is True
    assert client.info()["Swarm"]["LocalNodeState"] == "inactive"


@pytest.mark.parametrize(("init", "message"), [
    ({"AutoLockManagers": True}, "autolock is not simulated: the simulated swarm is "
     "never locked (its managers' keys are not encrypted)"),
    ({"Spec": {"EncryptionConfig": {"AutoLockManagers": True}}}, "changing the swarm's "
     "EncryptionConfig.AutoLockManagers to true is not simulated: the simulated swarm runs "
     "with false"),
    ({"Spec": {"Dispatcher": {"HeartbeatPeriod": 10**10}}}, "changing the swarm's "
     "Dispatcher.HeartbeatPeriod to 10000000000 is not simulated: the simulated swarm runs "
     "with 5000000000"),
    ({"Spec": {"CAConfig": {"ExternalCAs": [{"Protocol": "cfssl", "URL": "https://ca"}]}}},
     "the swarm's certificate authority is not simulated: the simulated swarm issues no "
     "certificates"),
])
def test_a_forced_init_the_simulator_cannot_run_leaves_the_swarm_as_it_was(server, init,
                                                                           message):
    """The settings the simulated swarm cannot run by are a 501 before anything happens
    (the body's ``Spec`` had been ignored, so each was a 200)."""
    before = requests.get(f"{server.url}/v1.44/swarm", timeout=10).json()
    managers = list(server.cluster.raft.managers)
    sent = requests.post(f"{server.url}/v1.44/swarm/init", timeout=10, json={
        "ListenAddr": "0.0.0.0:2377", "ForceNewCluster": True, **init})
    assert (sent.status_code, sent.json()["message"]) == (501, message)
    assert requests.get(f"{server.url}/v1.44/swarm", timeout=10).json() == before
    assert server.cluster.raft.managers == managers


def test_a_forced_init_merges_the_spec_sent_into_the_swarms(server):
    """``MergeSwarmSpecToGRPC``: what is sent and not empty replaces the swarm's, the rest
    stays (a second init without labels keeps them), and each init takes the next version
    (swarmkit's ``UpdateCluster``). Field names match in any case, as Go's decoder
    matches them (``forcenewcluster`` had been taken for a plain init: 503)."""
    def swarm() -> dict:
        return requests.get(f"{server.url}/v1.44/swarm", timeout=10).json()

    first = swarm()
    raft = first["Spec"]["Raft"]
    versions = [first["Version"]["Index"]]
    for spec, kept in (
            ({"Labels": {"env": "prod"}, "Raft": {"KeepOldSnapshots": 3,
                                                  "LogEntriesForSlowFollowers": 0}}, 3),
            ({"Raft": {"KeepOldSnapshots": 0}}, 0)):      # a pointer: 0 is sent, and kept
        sent = requests.post(f"{server.url}/v1.44/swarm/init", timeout=10, json={
            "listenaddr": "0.0.0.0:2377", "forcenewcluster": True, "spec": spec})
        assert sent.status_code == 200, sent.text
        now = swarm()
        assert now["Spec"] == {**first["Spec"], "Labels": {"env": "prod"},
                               "Raft": {**raft, "KeepOldSnapshots": kept}}
        versions.append(now["Version"]["Index"])
    assert versions == sorted(set(versions))


def test_bad_update_requests_get_the_daemons_errors(server):
    """A node's labels of the wrong type were a 500 with a Python error; a service version
    that is no number a 500 'update out of sequence' (moby's router refuses it first)."""
    base = f"{server.url}/v1.44"
    created = requests.post(f"{base}/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "nginx:1.27"}}})
    assert created.status_code == 201
    labels = requests.post(f"{base}/nodes/worker-1/update", json={"Labels": "disk=ssd"},
                           timeout=10)
    assert labels.status_code == 400 and labels.json()["message"].startswith(
        "invalid JSON: json: cannot unmarshal string into Go struct field")
    version = requests.post(f"{base}/services/web/update?version=abc", json={"Name": "web"},
                            timeout=10)
    assert version.status_code == 400 and version.json() == {"message": (
        "invalid service version 'abc': strconv.ParseUint: parsing \"abc\": invalid syntax")}
    rollback = requests.post(f"{base}/services/web/update?version=1&rollback=bogus",
                             json={"Name": "web"}, timeout=10)
    assert rollback.json() == {"message": "unrecognized rollback option bogus"}
    assert server.cluster.services["web"].version == 1
    mode = requests.post(f"{base}/services/web/update?version=1", timeout=10, json={
        "Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "nginx:1.27"}},
        "Mode": {"Global": {}}})
    assert mode.status_code == 501 and mode.json() == {"message": "rpc error: code = "
                                                       "Unimplemented desc = service mode "
                                                       "change is not allowed"}


def test_stack_deploy_ls_ps_rm_as_the_cli_does_them(server, client):
    """The docker CLI runs stack commands client-side; these are its Engine API calls.
    deploy: a network, a secret, a config and services labelled com.docker.stack.namespace;
    ls: services grouped by that label; ps: tasks filtered by it; rm: removal by label."""
    label = {"com.docker.stack.namespace": "shop"}
    stack = {"filters": {"label": ["com.docker.stack.namespace=shop"]}}
    client.networks.create("shop_default", driver="overlay", labels=label)
    client.secrets.create(name="shop_db_password", data=b"s3cret", labels=label)
    client.configs.create(name="shop_nginx", data=b"server {}", labels=label)
    client.services.create("nginx:1.27", name="shop_web", labels=label,
                           mode=ServiceMode("replicated", replicas=2))
    client.services.create("redis:7", name="other")
    server.step(30)
    assert server.cluster.services["shop_web"].spec.stack == "shop"
    stacks = {s.attrs["Spec"]["Labels"].get("com.docker.stack.namespace")
              for s in client.services.list(filters={"label": "com.docker.stack.namespace"})}
    assert stacks == {"shop"}                                             # docker stack ls
    tasks = client.api.tasks(filters=stack["filters"])                    # docker stack ps
    assert len(tasks) == 2 and {t["ServiceID"] for t in tasks} == \
        {client.services.get("shop_web").id}
    assert client.secrets.get("shop_db_password").name == "shop_db_password"
    assert "Data" not in client.secrets.get("shop_db_password").attrs["Spec"]
    assert client.configs.get("shop_nginx").attrs["Spec"]["Data"]
    with pytest.raises(APIError, match="already exists"):
        client.secrets.create(name="shop_db_password", data=b"again")
    for found in (client.services.list(**stack), client.secrets.list(**stack),   # stack rm
                  client.configs.list(**stack), client.networks.list(**stack)):
        for item in found:
            item.remove()
    server.step(30)
    assert [s.name for s in client.services.list()] == ["other"]
    assert client.secrets.list() == [] and client.configs.list() == []
    assert "shop_default" not in {n.name for n in client.networks.list()}


def test_node_and_service_inspect(server, client):
    node = client.nodes.list()[0]
    name = node.attrs["Description"]["Hostname"]
    assert client.nodes.get(name).id == node.id == client.api.inspect_node(node.id)["ID"]
    client.services.create("nginx:1.27", name="web")
    spec = client.api.inspect_service("web")["Spec"]
    assert spec["Name"] == "web" and spec["TaskTemplate"]["ContainerSpec"]["Image"] == \
        server.cluster.services["web"].spec.image


def test_node_ids_have_swarmkits_form_and_are_fixed_by_name_and_seed():
    """swarmkit's ``identity.NewID`` draws a node's ID at random: 25 base-36 characters,
    another in every swarm. Here one run repeats (the same seed, the same IDs), each node keeps
    its ID, and another seed shows other IDs (they were the same for every seed)."""
    def ids(seed: int) -> dict[str, str]:
        with serve("swarm", nodes=3, speed=0, seed=seed) as server:
            client = docker.DockerClient(base_url=server.docker_host, version="auto")
            found = {n.attrs["Description"]["Hostname"]: n.id for n in client.nodes.list()}
            client.close()
            return found

    first, again, other = ids(0), ids(0), ids(7)
    assert first == again and len(set(first.values())) == len(first) == 4
    assert all(re.fullmatch(r"[0-9a-z]{25}", node_id) for node_id in first.values())
    assert first.keys() == other.keys() and not set(first.values()) & set(other.values())


def test_a_node_id_constraint_takes_the_id_docker_node_ls_shows(server, client):
    """Regression test: ``--constraint node.id==<ID>`` with an ID from ``docker node ls``
    matched no node ("no suitable node"), as the simulator compared the node's name. swarmkit's
    constraint filter compares ``node.id`` with the node's ID only, case folded
    (``manager/constraint/constraint.go``), so a hostname there matches nothing."""
    worker = client.nodes.list(filters={"role": "worker"})[1]
    pinned = client.services.create("nginx:1.27", name="pinned", mode=ServiceMode(
        "replicated", 2), constraints=[f"node.id=={worker.id.upper()}"])
    named = client.services.create("nginx:1.27", name="named", constraints=[
        f"node.id=={worker.attrs['Description']['Hostname']}"])
    server.cluster.run(until=server.cluster.clock.now + 20)
    assert [(t["Status"]["State"], t["NodeID"]) for t in pinned.tasks()] == [
        ("running", worker.id)] * 2
    [task] = named.tasks()
    assert (task["Status"]["State"], task["Status"]["Err"]) == (
        "pending", "no suitable node (scheduling constraints not satisfied on 4 nodes)")


def test_versions_come_from_one_index_and_a_stale_update_is_refused(server, client):
    """swarmkit stamps every change with the cluster's raft index and refuses an update made
    from an older version: "update out of sequence", a 500 (``ErrSequenceConflict``, gRPC
    Unknown). Each service counted its own versions from 1, a node's stayed 1 and a stale
    node update went through, and an update without ``?version=`` was accepted (moby's
    router requires it)."""
    web = client.services.create("nginx:1.27", name="web")
    api = client.services.create("nginx:1.27", name="api")
    assert web.version < api.version
    web.scale(2)                 # the SDK does not reload: its version is now stale
    with pytest.raises(APIError, match="update out of sequence") as stale:
        web.scale(3)
    assert stale.value.response.status_code == 500
    web.reload()
    web.update(labels={"team": "x"})       # a change the simulator does not model
    before = web.version
    web.reload()
    assert web.version > before and server.cluster.services["web"].spec.replicas == 2

    worker = client.nodes.get("worker-1")
    spec = {**worker.attrs["Spec"], "Availability": "drain"}
    assert worker.update(spec)
    with pytest.raises(APIError, match="update out of sequence"):
        worker.update({**spec, "Availability": "active"})
    worker.reload()
    assert worker.update({**spec, "Availability": "active"})
    base = f"{server.url}/v1.44"
    for path, kind in ((f"nodes/{worker.id}", "node"), ("services/web", "service")):
        missing = requests.post(f"{base}/{path}/update", json=worker.attrs["Spec"]
                                if kind == "node" else web.attrs["Spec"], timeout=10)
        assert (missing.status_code, missing.json()["message"]) == (400, (
            f"invalid {kind} version '': strconv.ParseUint: parsing \"\": invalid syntax"))


@pytest.mark.parametrize(("version", "error"), [
    ('1"2', 'parsing "1\\"2": invalid syntax'), ("-1", 'parsing "-1": invalid syntax'),
    ("18446744073709551616", 'parsing "18446744073709551616": value out of range')])
def test_a_version_that_is_no_uint64_is_quoted_as_strconv_quotes_it(server, version, error):
    """moby writes the version as sent ('%s') and then ParseUint's error, whose text is
    quoted by strconv.Quote (a double quote escaped)."""
    requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "nginx:1.27"}}})
    answer = requests.post(f"{server.url}/v1.44/services/web/update",
                           params={"version": version}, json={"Name": "web"}, timeout=10)
    assert (answer.status_code, answer.json()["message"]) == (
        400, f"invalid service version '{version}': strconv.ParseUint: {error}")


def test_the_simulators_own_changes_bump_the_version(server, client):
    """A node that goes down and a rolling update that completes change their objects as
    swarmkit's dispatcher and updater write them: a version read before is stale."""
    worker = client.nodes.get("worker-2")
    server.cluster.fail_node("worker-2")
    server.step(60)
    with pytest.raises(APIError, match="update out of sequence"):
        worker.update(worker.attrs["Spec"])
    worker.reload()
    assert worker.attrs["Status"]["State"] == "down" and worker.update(worker.attrs["Spec"])

    web = client.services.create("nginx:1.27", name="web", mode=ServiceMode("replicated", 2))
    server.step(30)
    web.reload()
    web.update(image="nginx:1.28")
    web.reload()
    assert web.attrs["UpdateStatus"]["State"] == "updating"
    server.step(120)
    started = web.version
    web.reload()
    assert web.attrs["UpdateStatus"]["State"] == "completed" and web.version > started


def test_the_update_status_says_when_the_update_started_and_completed(server, client):
    """``UpdateStatus`` had only its state and message: swarmkit's updater stamps
    ``StartedAt`` when an update starts (``startUpdate``) and ``CompletedAt`` when it
    completes (``completeUpdate``); a manual rollback starts a new status (controlapi
    ``UpdateService``), without ``CompletedAt`` until it completes."""
    web = client.services.create("nginx:1.27", name="web", mode=ServiceMode("replicated", 2))
    server.step(30)
    web.reload()
    web.update(image="nginx:1.28")
    web.reload()
    updating = web.attrs["UpdateStatus"]
    assert list(updating) == ["State", "StartedAt", "Message"]
    assert updating["StartedAt"] == web.attrs["UpdatedAt"]
    server.step(120)
    web.reload()
    done = web.attrs["UpdateStatus"]
    assert list(done) == ["State", "StartedAt", "CompletedAt", "Message"]
    assert done["State"] == "completed"
    assert web.attrs["CreatedAt"] < done["StartedAt"] < done["CompletedAt"] <= web.attrs[
        "UpdatedAt"]
    server.cluster.rollback_service("web")
    web.reload()
    rolling = web.attrs["UpdateStatus"]
    assert rolling["State"] == "rollback_started" and "CompletedAt" not in rolling
    assert rolling["StartedAt"] == web.attrs["UpdatedAt"]


def _refusal(err: pytest.ExceptionInfo[APIError]) -> tuple[int, str]:
    return err.value.response.status_code, err.value.explanation


def test_labels_that_are_no_strings_are_refused_as_the_daemon_decodes_them(server, client):
    """A secret's, config's or network's labels are Go's ``map[string]string``: Engine 25's
    ``httputils.ReadJSON`` refuses another value with the decoder's error, wrapped as
    ``invalid JSON: ...``, and stores nothing (the simulator stored the number)."""
    for create, struct, kind in ((client.secrets.create, "SecretSpec", "number"),
                                 (client.configs.create, "ConfigSpec", "bool")):
        with pytest.raises(APIError) as refused:
            create(name="db", data=b"s3cret", labels={"tier": 1 if kind == "number" else True})
        assert _refusal(refused) == (400, f"invalid JSON: json: cannot unmarshal {kind} into "
                                          f"Go struct field {struct}.Labels of type string")
    with pytest.raises(APIError) as refused:
        client.networks.create("back", driver="overlay", labels={"tier": ["a"]})
    assert _refusal(refused) == (400, "invalid JSON: json: cannot unmarshal array into Go "
                                      "struct field NetworkCreateRequest.Labels of type string")
    assert client.secrets.list() == [] and client.configs.list() == []
    assert "back" not in {n.name for n in client.networks.list()}
    secret = client.secrets.create(name="db", data=b"s3cret", labels={"tier": "1"})
    index = client.secrets.get(secret.id).attrs["Version"]["Index"]
    update = requests.post(f"{server.url}/v1.44/secrets/{secret.id}/update?version={index}",
                           json={"Name": "db", "Labels": {"tier": 2}}, timeout=10)
    assert (update.status_code, update.json()["message"]) == (400, (
        "invalid JSON: json: cannot unmarshal number into Go struct field SecretSpec.Labels "
        "of type string"))
    assert client.secrets.get("db").attrs["Spec"]["Labels"] == {"tier": "1"}


@pytest.mark.parametrize(("body", "message"), [
    ("{bad", "invalid JSON: invalid character 'b' looking for beginning of object key string"),
    ('{"Name": "db",}', "invalid JSON: invalid character '}' looking for beginning of object "
                        "key string"),
    ('{"Name" "db"}', "invalid JSON: invalid character '\"' after object key"),
    ('{"Labels": {"a": tru}}', "invalid JSON: invalid character '}' in literal true "
                               "(expecting 'e')"),
    ("[1 2]", "invalid JSON: invalid character '2' after array element"),
    ('{"Name": "d\nb"}', "invalid JSON: invalid character '\\n' in string literal"),
    ('{"Name": ', "invalid JSON: unexpected EOF"),
    (" \n ", "invalid JSON: got EOF while reading request body"),
    ('{"Name": "db"} {}', "unexpected content after JSON"),
    ('{"Name": "db", "Data": "c2VjcmV0c"}', "invalid JSON: illegal base64 data at input byte 8"),
    ('{"Name": "db", "Data": "c2Vj=mV0"}', "invalid JSON: illegal base64 data at input byte 4"),
    ('"db"', "invalid JSON: json: cannot unmarshal string into Go value of type "
             "swarm.SecretSpec"),
    ('{"name": 5}', "invalid JSON: json: cannot unmarshal number into Go struct field "
                    "SecretSpec.Name of type string"),
    ('{"Name": 5} {}', "invalid JSON: json: cannot unmarshal number into Go struct field "
                       "SecretSpec.Name of type string"),
    ("null", "rpc error: code = InvalidArgument desc = name must be provided"),
])
def test_bodies_are_read_with_engine_25s_words(server, body, message):
    """``httputils.ReadJSON`` (Engine 25.0): Go's syntax errors and decode errors wrapped as
    ``invalid JSON: ...``, a body of spaces only, and a second value after the first (found
    after a type error in the first, which ``Decode`` returns first); a ``[]byte`` field's
    base64 is decoded with the body; ``null`` leaves the spec empty. The daemon quoted
    Python's parser ("Expecting value: line 1 column 2") and took a secret's data
    undecoded."""
    sent = requests.post(f"{server.url}/v1.44/secrets/create", data=body.encode(), timeout=10,
                         headers={"Content-Type": "application/json"})
    assert (sent.status_code, sent.json()) == (400, {"message": message})
    assert requests.get(f"{server.url}/v1.44/secrets", timeout=10).json() == []


def test_a_secret_from_a_json_array_of_bytes(server, client):
    """``Data`` is Go's ``[]byte``: ``encoding/json`` takes an array of bytes as well as
    base64, and writes it back as base64."""
    sent = requests.post(f"{server.url}/v1.44/configs/create", timeout=10,
                         json={"Name": "nginx", "Data": list(b"server {}")})
    assert sent.status_code == 201
    assert client.configs.get("nginx").attrs["Spec"]["Data"] == "c2VydmVyIHt9"
    refused = requests.post(f"{server.url}/v1.44/configs/create", timeout=10,
                            json={"Name": "nginx2", "Data": [1, 256]})
    assert refused.json()["message"] == ("invalid JSON: json: cannot unmarshal number 256 "
                                         "into Go struct field ConfigSpec.Data of type uint8")


def test_the_simulators_own_changes_take_their_version_when_they_happen():
    """A node that goes down while the swarm runs takes its ``Version.Index`` when the
    managers mark it down, as swarmkit's store stamps each change: before a service created
    later through the API, with the time it went down, and the same however late and often
    a client reads it. It was stamped when first read: after the service, at the read's
    time."""
    from datetime import datetime
    with serve("swarm", nodes=3, speed=0, epoch=1_700_000_000) as server:
        base = f"{server.url}/v1.44"
        server.backend.cluster.fail_node("worker-1")
        server.step(60)                  # down 10-15 s later, while nobody reads
        created = requests.post(f"{base}/services/create", timeout=10, json={
            "Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "nginx:1.27"}}})
        assert created.status_code == 201
        service = requests.get(f"{base}/services/web", timeout=10).json()
        reads = []
        for _ in range(2):
            server.step(30)
            node = requests.get(f"{base}/nodes/worker-1", timeout=10).json()
            reads.append((node["Version"]["Index"], node["UpdatedAt"]))
        assert node["Status"]["State"] == "down"
        assert reads[0] == reads[1]
        index, updated = reads[0]
        assert index < service["Version"]["Index"]
        down = datetime.fromisoformat(updated[:26] + "+00:00").timestamp() - 1_700_000_000
        assert 10 <= down <= 15


_WEB = {"Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "nginx:1.27"}}}


@pytest.mark.parametrize(("body", "where"), [
    ({**_WEB, "TaskTemplate": {"ContainerSpec": {"Image": "nginx", "Env": "A=1"}}},
     "string into Go struct field ContainerSpec.TaskTemplate.ContainerSpec.Env of type "
     "[]string"),
    ({**_WEB, "TaskTemplate": {"ContainerSpec": {"Image": "nginx", "Env": ["A=1", 2]}}},
     "number into Go struct field ContainerSpec.TaskTemplate.ContainerSpec.Env of type string"),
    ({**_WEB, "Mode": {"Replicated": {"Replicas": -1}}},
     "number -1 into Go struct field ReplicatedService.Mode.Replicated.Replicas of type uint64"),
    ('{"Name": "web", "Mode": {"Replicated": {"Replicas": 2.0}}}',
     "number 2.0 into Go struct field ReplicatedService.Mode.Replicated.Replicas of type "
     "uint64"),
    ({"name": "web", "tasktemplate": {"restartpolicy": "any"}},
     "string into Go struct field TaskSpec.TaskTemplate.RestartPolicy of type "
     "swarm.RestartPolicy"),
    ({**_WEB, "UpdateConfig": {"Delay": "5s"}},
     "string into Go struct field UpdateConfig.UpdateConfig.Delay of type time.Duration"),
    ({**_WEB, "EndpointSpec": {"Ports": ["80:80"]}},
     "string into Go struct field EndpointSpec.EndpointSpec.Ports of type swarm.PortConfig"),
    ({**_WEB, "EndpointSpec": {"Ports": [{"TargetPort": 80, "PublishedPort": 1 << 32}]}},
     "number 4294967296 into Go struct field PortConfig.EndpointSpec.Ports.PublishedPort of "
     "type uint32"),
    ({**_WEB, "Labels": {"tier": 1}},
     "number into Go struct field ServiceSpec.Labels of type string"),
    ([_WEB], "array into Go value of type swarm.ServiceSpec"),
])
def test_a_service_bodys_type_errors_name_the_go_field_path(server, body, where):
    """Go's decoder (Go 1.21, Engine 25.0.6) names the innermost struct, the JSON names from
    the top of the body down to the field, and the field's Go type: the served daemon said
    ``Go struct field tasktemplate of type object`` and let a negative or fractional replica
    count, a string in ``Env`` or a port past ``uint32`` through to the simulator's checks."""
    data = body if isinstance(body, str) else json.dumps(body)
    for path in ("services/create", "services/web/update?version=1"):
        sent = requests.post(f"{server.url}/v1.44/{path}", data=data, timeout=10,
                             headers={"Content-Type": "application/json"})
        assert (sent.status_code, sent.json()) == (400, {"message": "invalid JSON: json: "
                                                         f"cannot unmarshal {where}"})
    assert server.cluster.services == {}


_JSON_ROUTES = ("services/create", "services/web/update?version=1",
                "nodes/worker-1/update?version=1", "secrets/create", "configs/create",
                "networks/create", "swarm/init")


@pytest.mark.parametrize("path", _JSON_ROUTES)
@pytest.mark.parametrize(("content_type", "message"), [
    ("text/plain", "unsupported Content-Type header (text/plain): must be "
                   "'application/json'"),
    ("Text/Plain; charset=utf-8", "unsupported Content-Type header (Text/Plain; "
                                  "charset=utf-8): must be 'application/json'"),
    (None, "malformed Content-Type header (): mime: no media type"),
    ("application/json; charset", "malformed Content-Type header (application/json; "
                                  "charset): mime: invalid media parameter"),
    ("application/", "malformed Content-Type header (application/): mime: expected token "
                     "after slash"),
])
def test_a_body_that_is_not_declared_json_is_refused(server, path, content_type, message):
    """moby's ``CheckForJSON`` (v25): a body needs ``Content-Type: application/json``; the
    served daemon read a body without the header, and named the media type lower-cased
    without its parameters where the daemon quotes the header as sent."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    sent = requests.post(f"{server.url}/v1.44/{path}", data=json.dumps(_WEB), timeout=10,
                         headers=headers)
    assert (sent.status_code, sent.json()) == (400, {"message": message})


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8",
                                          'APPLICATION/JSON;charset="utf-8";', None])
def test_json_with_parameters_or_no_body_without_a_header_is_read(server, content_type):
    """A JSON media type with parameters passes ``CheckForJSON``; without a body the header
    may be left out (the service is then made from an empty spec, as the daemon's)."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    sent = requests.post(f"{server.url}/v1.44/services/create", timeout=10, headers=headers,
                         data=b"" if content_type is None else json.dumps(_WEB))
    assert "Content-Type" not in sent.json().get("message", "")
    assert sent.status_code == (201 if content_type else 400)


_IMAGE = {"ContainerSpec": {"Image": "nginx"}}


@pytest.mark.parametrize(("spec", "status", "message"), [
    ({"TaskTemplate": {**_IMAGE, "Placement": {"Constraints": ["node.labels.x=y"]}}}, 500,
     "rpc error: code = Unknown desc = constraint expected one operator from ==, !="),
    ({"TaskTemplate": {**_IMAGE, "Placement": {"Constraints": ["node.role==worker",
                                                                "x==y"]}}}, 500,
     "rpc error: code = Unknown desc = key 'x' is invalid"),
    ({}, 400, "rpc error: code = InvalidArgument desc = ContainerSpec: image reference must "
     "be provided"),
    ({"TaskTemplate": {"ContainerSpec": {"Image": ""}}}, 400, "rpc error: code = "
     "InvalidArgument desc = ContainerSpec: image reference must be provided"),
    ({"TaskTemplate": {**_IMAGE, "RestartPolicy": {"Condition": "sometimes"}}}, 400,
     'invalid RestartCondition: "sometimes"'),
    ({"TaskTemplate": {**_IMAGE, "RestartPolicy": {"Delay": -1}}}, 400,
     "rpc error: code = InvalidArgument desc = TaskSpec: restart-delay cannot be negative"),
    ({"TaskTemplate": _IMAGE, "UpdateConfig": {"FailureAction": "explode"}}, 400,
     "unrecognized update failure action explode"),
    ({"TaskTemplate": _IMAGE, "RollbackConfig": {"Order": "sideways"}}, 400,
     "unrecognized update order sideways"),
    ({"TaskTemplate": _IMAGE, "UpdateConfig": {"Delay": -5}}, 400,
     "rpc error: code = InvalidArgument desc = TaskSpec: update-delay cannot be negative"),
    ({"TaskTemplate": _IMAGE, "UpdateConfig": {"MaxFailureRatio": 2}}, 400,
     "rpc error: code = InvalidArgument desc = TaskSpec: update-maxfailureratio cannot be "
     "less than 0 or bigger than 1"),
    ({"TaskTemplate": _IMAGE, "EndpointSpec": {"Mode": "weird"}}, 400,
     'invalid resolution mode: "weird"'),
    ({"TaskTemplate": _IMAGE, "EndpointSpec": {"Mode": "dnsrr", "Ports": [
        {"TargetPort": 80, "PublishedPort": 8080}]}}, 400,
     "rpc error: code = InvalidArgument desc = EndpointSpec: port published with ingress "
     "mode can't be used with dnsrr mode"),
    ({"TaskTemplate": _IMAGE, "EndpointSpec": {"Ports": [
        {"TargetPort": 80, "PublishedPort": 8080}, {"TargetPort": 81, "PublishedPort": 8080}]}},
     400, "rpc error: code = InvalidArgument desc = EndpointSpec: duplicate published ports "
     "provided"),
    ({"TaskTemplate": {**_IMAGE, "Resources": {"Reservations": {"NanoCPUs": 5000}}}}, 400,
     "rpc error: code = InvalidArgument desc = invalid cpu value 5e-06: Must be at least 0.001"),
    ({"TaskTemplate": {**_IMAGE, "Resources": {"Limits": {"MemoryBytes": 1024}}}}, 400,
     "rpc error: code = InvalidArgument desc = invalid memory value 1024: Must be at least "
     "4MiB"),
    ({"TaskTemplate": {"ContainerSpec": {"Image": "nginx", "Healthcheck": {
        "Test": ["CMD", "true"], "Interval": 5}}}}, 400, "rpc error: code = InvalidArgument "
     "desc = ContainerSpec: Interval in HealthConfig cannot be less than 1ms"),
    # ServiceSpecToGRPC counts the modes set: two of any four (jobs too, before the 501 that
    # says jobs are not simulated) are refused; the served daemon ran the first as global
    ({"TaskTemplate": _IMAGE, "Mode": {"Replicated": {"Replicas": 1}, "Global": {}}}, 400,
     "must specify only one service mode"),
    ({"TaskTemplate": _IMAGE, "Mode": {"ReplicatedJob": {}, "GlobalJob": {}}}, 400,
     "must specify only one service mode"),
    ({"TaskTemplate": _IMAGE, "Mode": {"Global": {}, "GlobalJob": {}}}, 400,
     "must specify only one service mode"),
])
def test_a_refused_service_spec_gets_the_daemons_and_swarmkits_words(server, spec, status,
                                                                     message):
    """moby's conversion (plain errors, 400) and swarmkit's validateServiceSpec (gRPC
    InvalidArgument, 400; a constraint that does not parse: Unknown, 500), never the Compose
    reader's field paths or advice; nothing is created, by create or by update."""
    for path in ("services/create", None):
        if path is None:        # the same spec as an update of a service that exists
            created = requests.post(f"{server.url}/v1.44/services/create", timeout=10,
                                    json={"Name": "ok", "TaskTemplate": _IMAGE})
            assert created.status_code == 201
            path = f"services/{created.json()['ID']}/update?version=" + str(
                requests.get(f"{server.url}/v1.44/services/ok", timeout=10)
                .json()["Version"]["Index"])
        answer = requests.post(f"{server.url}/v1.44/{path}", timeout=10,
                               json={"Name": "bad" if "create" in path else "ok", **spec})
        assert (answer.status_code, answer.json()["message"]) == (status, message)
    assert list(server.cluster.services) == ["ok"]


_FILE = {"Name": "pw", "UID": "0", "GID": "0", "Mode": 292}


@pytest.mark.parametrize(("container", "status", "message"), [
    ({"Configs": [{"ConfigID": "x", "ConfigName": "x"}]}, 400,
     "invalid Config: either File or Runtime should be set"),
    ({"Configs": [{"ConfigID": "x", "ConfigName": "x", "File": _FILE, "Runtime": {}}]}, 400,
     "invalid Config: cannot specify both File and Runtime"),
    ({"Mounts": [{"Type": "xyz", "Target": "/data"}]}, 400, 'invalid MountType: "xyz"'),
    ({"Mounts": [{"Type": "bind", "Source": "/srv", "Target": "/data",
                  "BindOptions": {"Propagation": "sideways"}}]}, 400,
     'invalid MountPropagation: "sideways"'),
    ({"Secrets": [{"SecretName": "pw", "File": _FILE}]}, 400,
     "rpc error: code = InvalidArgument desc = malformed secret reference"),
    ({"Secrets": [{"SecretID": "x", "SecretName": "pw"}]}, 400,
     "rpc error: code = InvalidArgument desc = malformed secret reference, no target provided"),
    ({"Secrets": [{"SecretID": "x", "SecretName": "pw", "File": {"Name": ""}}]}, 400,
     "rpc error: code = InvalidArgument desc = malformed file secret reference, invalid "
     "target file name provided"),
    ({"Secrets": [{"SecretID": "x", "SecretName": "a", "File": _FILE},
                  {"SecretID": "y", "SecretName": "b", "File": _FILE}]}, 400,
     "rpc error: code = InvalidArgument desc = secret references 'a' and 'b' have a "
     "conflicting target: 'pw'"),
    ({"Configs": [{"ConfigID": "", "ConfigName": "c", "File": _FILE}]}, 400,
     "rpc error: code = InvalidArgument desc = malformed config reference"),
    ({"Configs": [{"ConfigID": "x", "ConfigName": "a", "File": _FILE},
                  {"ConfigID": "y", "ConfigName": "b", "File": _FILE}]}, 400,
     "rpc error: code = InvalidArgument desc = config references 'a' and 'b' have a "
     "conflicting target: 'pw'"),
    ({"Mounts": [{"Type": "volume", "Target": "/data"}, {"Type": "tmpfs", "Target": "/data"}]},
     400, "rpc error: code = InvalidArgument desc = ContainerSpec: duplicate mount point: /data"),
    ({"Secrets": [{"SecretID": "x", "SecretName": "nosuch", "File": _FILE}]}, 400,
     "rpc error: code = InvalidArgument desc = secret not found: nosuch"),
    ({"Secrets": [{"SecretID": "x", "SecretName": "a", "File": {**_FILE, "Name": "a"}},
                  {"SecretID": "y", "SecretName": "b", "File": {**_FILE, "Name": "b"}}]}, 400,
     "rpc error: code = InvalidArgument desc = secrets not found: a, b"),
    ({"Configs": [{"ConfigID": "x", "ConfigName": "nosuch", "Runtime": {}}]}, 400,
     "rpc error: code = InvalidArgument desc = config not found: nosuch"),
])
def test_a_services_references_get_mobys_and_swarmkits_words(server, container, status,
                                                             message):
    """Secrets, configs and mounts in a ServiceSpec, refused as moby's conversion
    (``containerToGRPC``) and swarmkit's controlapi (``validateSecretRefsSpec``,
    ``validateConfigRefsSpec``, ``validateMounts``, ``checkSecretExistence``) refuse them,
    on create and on update: the served daemon stored them unread, so a service could use a
    secret that does not exist."""
    spec = {"TaskTemplate": {"ContainerSpec": {"Image": "nginx", **container}}}
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10,
                            json={"Name": "ok", "TaskTemplate": _IMAGE})
    version = requests.get(f"{server.url}/v1.44/services/ok", timeout=10).json()["Version"]
    for path, name in (("services/create", "bad"),
                       (f"services/{created.json()['ID']}/update?version={version['Index']}",
                        "ok")):
        answer = requests.post(f"{server.url}/v1.44/{path}", timeout=10,
                               json={"Name": name, **spec})
        assert (answer.status_code, answer.json()["message"]) == (status, message)
    assert list(server.cluster.services) == ["ok"]


def test_references_to_stored_secrets_and_configs_are_accepted(server, client):
    """A reference by the object's ID and name, through the SDK's own types; a name that
    does not match the ID's object is not found (swarmkit compares both)."""
    secret = client.secrets.create(name="db_password", data=b"example")
    config = client.configs.create(name="site", data=b"server {}")
    service = client.services.create(
        "nginx:1.27", name="api",
        secrets=[docker.types.SecretReference(secret.id, "db_password")],
        configs=[docker.types.ConfigReference(config.id, "site", "/etc/nginx/site.conf")])
    assert service.attrs["Spec"]["TaskTemplate"]["ContainerSpec"]["Secrets"][0][
        "SecretName"] == "db_password"
    with pytest.raises(APIError, match="secret not found: other"):
        client.services.create("nginx:1.27", name="api2",
                               secrets=[docker.types.SecretReference(secret.id, "other")])
    assert sorted(server.cluster.services) == ["api"]


def test_a_ports_protocol_and_mode_are_read_as_moby_converts_them(server, client):
    """moby looks a port's protocol and publish mode up in upper case among swarmkit's names
    and takes an unknown one as TCP and ingress without a word (``ServiceSpecToGRPC``): the
    served daemon refused ``xyz`` and ``UDP`` with the Compose reader's words."""
    client.services.create("nginx:1.27", name="web", endpoint_spec=EndpointSpec(
        ports={8080: (80, "xyz"), 8081: (81, "UDP", "weird")}))
    ports = client.services.get("web").attrs["Spec"]["EndpointSpec"]["Ports"]
    assert [(p["PublishedPort"], p["Protocol"], p["PublishMode"]) for p in ports] == [
        (8080, "tcp", "ingress"), (8081, "udp", "ingress")]
    assert {(p.published, p.protocol) for p in server.cluster.services["web"].spec.ports} == {
        (8080, "tcp"), (8081, "udp")}


def test_an_ingress_port_above_65535_leaves_the_tasks_new(server, client):
    """``PublishedPort`` is a ``uint32``: swarmkit's control API stores the service, its port
    allocator (a port space of 1-65535) cannot allocate it, so its task stays NEW and the
    service publishes nothing, until an update gives it a port that can be allocated. The
    served daemon refused it with the Compose reader's words."""
    service = client.services.create("nginx:1.27", name="web",
                                     endpoint_spec=EndpointSpec(ports={70000: 80}))
    server.cluster.run(until=server.cluster.clock.now + 60)
    [task] = service.tasks()
    assert (task["Status"]["State"], task["Status"]["Message"]) == ("new", "created")
    assert service.attrs["Spec"]["EndpointSpec"]["Ports"][0]["PublishedPort"] == 70000
    service.reload()
    assert service.attrs["Endpoint"] == {"Spec": {}}
    assert server.cluster.mesh.published_ports() == {}
    assert server.cluster.events.where(reason="AllocationFailed")
    service.update(endpoint_spec=EndpointSpec(ports={8080: 80}))
    server.cluster.run(until=server.cluster.clock.now + 60)
    assert [t["Status"]["State"] for t in service.tasks(filters={"desired-state": "running"})
            ] == ["running"]
    assert server.cluster.mesh.published_ports() == {8080: "web"}


@pytest.mark.parametrize("port", [
    {"TargetPort": 70000, "PublishedPort": 8080},
    {"TargetPort": 4294967295, "PublishedPort": 8080},
    {"PublishedPort": 8080},                                    # a target of 0
    {"TargetPort": 0, "PublishedPort": 8080, "PublishMode": "host"},
])
def test_a_target_port_out_of_range_is_stored_as_the_daemon_stores_it(server, port):
    """No one checks ``TargetPort`` on the way in (moby's ``ServiceSpecToGRPC`` copies it,
    swarmkit's ``validateEndpointSpec`` looks at published ports; only the docker CLI's
    ``opts/port.go`` keeps it to 1-65535): the service is created (201) with the port as
    sent and its task runs. The served daemon had answered 501."""
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": _IMAGE, "EndpointSpec": {"Ports": [port]}})
    assert created.status_code == 201, created.text
    [stored] = requests.get(f"{server.url}/v1.44/services/web", timeout=10).json()[
        "Spec"]["EndpointSpec"]["Ports"]
    assert (stored.get("TargetPort"), stored["PublishedPort"]) == (
        port.get("TargetPort") or None, port["PublishedPort"])      # 0: omitempty
    assert [(p.target, p.published) for p in server.cluster.services["web"].spec.ports] == [
        (port.get("TargetPort", 0), 8080)]
    server.cluster.run(until=server.cluster.clock.now + 60)
    tasks = requests.get(f"{server.url}/v1.44/tasks", timeout=10).json()
    assert [t["Status"]["State"] for t in tasks] == ["running"]


@pytest.mark.parametrize(("port", "number"), [
    ({"TargetPort": 70000}, 70000),
    ({"TargetPort": 80, "PublishedPort": 65536}, 65536),
    ({"TargetPort": 4294967295, "PublishedPort": 8080}, 4294967295),
])
def test_a_host_mode_port_above_65535_is_stored_and_its_tasks_rejected(server, port, number):
    """swarmkit stores a host-mode port past 65535 (``validateEndpointSpec`` and the port
    allocator check no range); the task's container gets it as a port binding, which the
    node's daemon refuses when the controller creates it (Engine 25's
    ``validatePortBindings``), so each task ends REJECTED with that error, its message still
    ``preparing``, and the orchestrator starts another. The served daemon had answered 501."""
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": _IMAGE,
        "EndpointSpec": {"Ports": [{**port, "PublishMode": "host"}]}})
    assert created.status_code == 201, created.text
    [stored] = requests.get(f"{server.url}/v1.44/services/web", timeout=10).json()[
        "Spec"]["EndpointSpec"]["Ports"]
    assert (stored["TargetPort"], stored.get("PublishedPort")) == (
        port["TargetPort"], port.get("PublishedPort"))
    server.cluster.run(until=server.cluster.clock.now + 30)
    tasks = requests.get(f"{server.url}/v1.44/tasks", timeout=10).json()
    rejected = [t["Status"] for t in tasks if t["Status"]["State"] == "rejected"]
    assert len(rejected) >= 2 and not [t for t in tasks if t["Status"]["State"] == "running"]
    assert {(s["Message"], s["Err"]) for s in rejected} == {
        ("preparing", f'invalid port specification: "{number}"')}


def test_a_start_interval_under_1ms_is_stored_and_its_tasks_rejected(server):
    """swarmkit's ``validateHealthCheck`` checks no ``StartInterval``; the node's engine
    refuses the container (moby ``daemon/container.go``, ``validateHealthCheck``), so the
    service is created as sent and each task ends REJECTED with the engine's words."""
    check = {"Test": ["CMD", "true"], "Interval": 5_000_000_000, "StartInterval": -1}
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": {"ContainerSpec": {
            **_IMAGE["ContainerSpec"], "Healthcheck": check}}})
    assert created.status_code == 201, created.text
    stored = requests.get(f"{server.url}/v1.44/services/web", timeout=10).json()["Spec"][
        "TaskTemplate"]["ContainerSpec"]["Healthcheck"]
    assert stored["StartInterval"] == -1
    server.cluster.run(until=server.cluster.clock.now + 30)
    tasks = requests.get(f"{server.url}/v1.44/tasks", timeout=10).json()
    rejected = {(t["Status"]["Message"], t["Status"]["Err"]) for t in tasks
                if t["Status"]["State"] == "rejected"}
    assert rejected == {("preparing", "StartInterval in Healthcheck cannot be less than 1ms")}


@pytest.mark.parametrize(("image", "named"), [("nonexistent.invalid/web:1",
                                                "nonexistent.invalid/web:1"),
                                               ("registry.invalid:5000/shop/api",
                                                "registry.invalid:5000/shop/api:latest")])
def test_an_image_of_a_registry_that_cannot_resolve_is_rejected_on_every_node(
        server, client, image: str, named: str) -> None:
    """Regression test: a learner at the served swarm could not see a failed pull (only
    ``cluster.fail_pull`` from Python made one), and such an image ran. A registry under
    ``.invalid`` never resolves (RFC 6761), so a real node's pull fails, creating the
    container fails with moby's ``ErrImageDoesNotExist`` (``TagNameOnly``, then
    ``FamiliarString``), and ``docker service ps`` shows each task Rejected at ``preparing``
    while the restart policy tries again; other images still run."""
    service = client.services.create(image, name="web")
    client.services.create("nginx:1.27", name="ok")
    server.cluster.run(until=server.cluster.clock.now + 20)
    states = [t["Status"] for t in service.tasks()]
    rejected = [s for s in states if s["State"] == "rejected"]
    assert len(rejected) >= 2 and "running" not in {s["State"] for s in states}
    assert {(s["Message"], s["Err"]) for s in rejected} == {
        ("preparing", f"No such image: {named}")}
    assert [t["Status"]["State"] for t in client.services.get("ok").tasks()] == ["running"]


@pytest.mark.parametrize(("mount", "error"), [
    (Mount("relative", "data"), "invalid mount target, must be an absolute path: relative"),
    (Mount("/data", "rel", type="bind"),
     "invalid bind mount source, must be an absolute path: rel"),
    (Mount("/data", "/srv/data"), "invalid volume mount source, must not be an absolute path: "
                                  "/srv/data"),
    ({"Target": "/data"}, "invalid bind mount source, must be an absolute path: "),
    (Mount("/data", "x", type="tmpfs"), "invalid tmpfs source, source must be empty"),
    (Mount("/data", "", type="npipe"), "invalid npipe source, source must not be empty"),
    (Mount("/data", "data"), None), (Mount("/data", "/var/lib/docker", type="bind"), None),
    (Mount("/tmp", "", type="tmpfs"), None),
])
def test_a_mount_the_nodes_executor_refuses_is_stored_and_its_tasks_rejected(
        server, client, mount, error):
    """swarmkit checks no mount's paths, so the service is created; moby's executor does
    when the node's agent resolves the task's controller (``validate.go``,
    ``validateMounts``; a mount without a type is a bind, swarmkit's zero value), and the
    task goes from assigned to rejected, "resolving controller failed" (swarmkit's
    ``Resolve``). The simulator ran such tasks."""
    service = client.services.create("nginx:1.27", name="web", mounts=[mount])
    assert service.attrs["Spec"]["TaskTemplate"]["ContainerSpec"]["Mounts"] == [dict(mount)]
    server.step(30)
    tasks = client.api.tasks()
    if error is None:
        assert [t["Status"]["State"] for t in tasks] == ["running"]
        return
    rejected = [t["Status"] for t in tasks if t["Status"]["State"] == "rejected"]
    assert len(rejected) >= 2 and not [t for t in tasks if t["Status"]["State"] == "running"]
    assert {(s["Message"], s["Err"]) for s in rejected} == {("resolving controller failed", error)}


def test_a_bind_source_no_node_has_rejects_each_task_while_swarm_tries_again(
        server, client):
    """Regression test: a bind mount of any source ran. moby's daemon stats a bind's
    source when the executor creates the container (``ValidateMountConfig``,
    ``daemon/volume/mounts/linux_parser.go``), and no simulated node has ``/srv/data``
    (:mod:`clustersim.hostpaths`): each task is rejected at ``preparing`` in the daemon's
    words and the orchestrator makes a new one; a node that declares the path runs it."""
    service = client.services.create("nginx:1.27", name="web",
                                     mounts=["/srv/data:/data:ro"])
    server.step(30)
    states = [t["Status"] for t in service.tasks()]
    rejected = [s for s in states if s["State"] == "rejected"]
    assert len(rejected) >= 2 and "running" not in {s["State"] for s in states}
    assert {(s["Message"], s["Err"]) for s in rejected} == {(
        "preparing",
        'invalid mount config for type "bind": bind source path does not exist: /srv/data')}
    worker = server.cluster.node_record("worker-2").node
    worker.host_paths = (*worker.host_paths, "/srv/data")
    server.step(120)
    running = [t for t in service.tasks() if t["Status"]["State"] == "running"]
    assert [t["NodeID"] for t in running] == [client.nodes.get("worker-2").id]


def test_a_port_of_0_is_left_out_as_gos_omitempty_leaves_it(server):
    """moby's ``swarm.PortConfig`` fields are all ``omitempty``: a target or published port
    of 0 is not written, in the spec and in a host-mode task's ``PortStatus``. The served
    daemon wrote ``"TargetPort": 0`` and ``"PublishedPort": 0``."""
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": _IMAGE, "EndpointSpec": {"Ports": [
            {"PublishedPort": 8080}, {"TargetPort": 0, "PublishedPort": 9090,
                                      "PublishMode": "host"},
            {"TargetPort": 81, "PublishMode": "host"}]}})
    assert created.status_code == 201, created.text
    service = requests.get(f"{server.url}/v1.44/services/web", timeout=10).json()
    assert service["Spec"]["EndpointSpec"]["Ports"] == [
        {"Protocol": "tcp", "PublishedPort": 8080, "PublishMode": "ingress"},
        {"Protocol": "tcp", "PublishedPort": 9090, "PublishMode": "host"},
        {"Protocol": "tcp", "TargetPort": 81, "PublishMode": "host"}]
    server.cluster.run(until=server.cluster.clock.now + 30)
    [task] = requests.get(f"{server.url}/v1.44/tasks", timeout=10).json()
    assert task["Status"]["PortStatus"]["Ports"] == [
        {"Protocol": "tcp", "PublishedPort": 9090, "PublishMode": "host"},
        {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 32768, "PublishMode": "host"}]


def test_a_host_port_of_0_gets_the_nodes_next_ephemeral_port(server):
    """A host-mode port without a published port is bound by the node's daemon to an
    ephemeral port, which the task's ``PortStatus`` reports (moby's executor,
    ``parsePortStatus``); the served daemon had left it out (``*:0->81/tcp``). Each node
    hands out Linux's range 32768-60999 in order (libnetwork's port allocator), as its
    containers start: a node's tasks take the next ports, another node's first the first."""
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": _IMAGE, "Mode": {"Replicated": {"Replicas": 5}},
        "EndpointSpec": {"Ports": [{"TargetPort": 81, "PublishMode": "host"},
                                   {"TargetPort": 82, "PublishMode": "host"}]}})
    assert created.status_code == 201, created.text
    server.cluster.run(until=server.cluster.clock.now + 30)
    tasks = requests.get(f"{server.url}/v1.44/tasks", timeout=10).json()
    by_node: dict[str, list[list[int]]] = {}
    for task in tasks:
        ports = task["Status"]["PortStatus"]["Ports"]
        assert [p["TargetPort"] for p in ports] == [81, 82]
        by_node.setdefault(task["NodeID"], []).append([p["PublishedPort"] for p in ports])
    assert len(tasks) == 5 and len(by_node) > 1
    for given in by_node.values():
        assert sorted(given) == [[32768 + 2 * i, 32769 + 2 * i] for i in range(len(given))]
    again = requests.get(f"{server.url}/v1.44/tasks/{tasks[0]['ID']}", timeout=10).json()
    assert again["Status"]["PortStatus"] == tasks[0]["Status"]["PortStatus"]


def test_a_node_out_of_ephemeral_ports_fails_the_task_and_lists_keep_working(server):
    """A node whose ephemeral range is full fails the next container that needs a port of it:
    the task ends ``failed`` at ``starting`` with the daemon's error (libnetwork's
    ``ErrAllPortsAllocated``; moby/moby#34824 shows such a task), and listing the tasks
    answers. The served daemon gave the ports out on each read, gathering the node's taken
    ports again for every port (20 s and more), and answered 500 ``internal error:
    ValueError: all ports are allocated`` while the service showed its tasks running."""
    ports = [{"TargetPort": 1000 + i, "PublishMode": "host"} for i in range(100)]
    template = {**_IMAGE, "Placement": {"Constraints": ["node.hostname==worker-1"]}}
    for name, replicas in (("e1", 282), ("e2", 1)):     # 28,300 ports of a range of 28,232
        created = requests.post(f"{server.url}/v1.44/services/create", timeout=60, json={
            "Name": name, "TaskTemplate": template,
            "Mode": {"Replicated": {"Replicas": replicas}}, "EndpointSpec": {"Ports": ports}})
        assert created.status_code == 201, created.text
    server.cluster.run(until=server.cluster.clock.now + 3)
    listed = requests.get(f"{server.url}/v1.44/tasks", timeout=30,
                          params={"filters": json.dumps({"service": ["e2"]})})
    assert listed.status_code == 200, listed.text
    [status] = [t["Status"] for t in listed.json() if t["Status"]["State"] != "ready"]
    assert (status["State"], status["Message"]) == ("failed", "starting")
    assert status["Err"].startswith("starting container failed: container ")
    assert status["Err"].endswith(": all ports are allocated")
    on_node = requests.get(f"{server.url}/v1.44/tasks", timeout=30,
                           params={"filters": json.dumps({"node": ["worker-1"]})})
    assert on_node.status_code == 200, on_node.text
    running = [t for t in on_node.json() if t["Status"]["State"] == "running"]
    assert len({p["PublishedPort"] for t in running
                for p in t["Status"]["PortStatus"]["Ports"]}) == 282 * 100


def test_the_spec_keeps_the_ports_sent_and_the_endpoint_the_assigned_ones(server):
    """swarmkit's allocator writes the ingress port it picks into the service's
    ``Endpoint.Ports`` only; ``Spec`` (and ``Endpoint.Spec``) keep what the client sent. The
    served daemon showed the picked ``PublishedPort: 30000`` in the spec too."""
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": _IMAGE,
        "EndpointSpec": {"Ports": [{"TargetPort": 80}, {"TargetPort": 81,
                                                        "PublishedPort": 8081}]}})
    assert created.status_code == 201, created.text
    service = requests.get(f"{server.url}/v1.44/services/web", timeout=10).json()
    sent = [{"Protocol": "tcp", "TargetPort": 80, "PublishMode": "ingress"},
            {"Protocol": "tcp", "TargetPort": 81, "PublishedPort": 8081,
             "PublishMode": "ingress"}]
    assert service["Spec"]["EndpointSpec"]["Ports"] == sent
    assert service["Endpoint"]["Spec"]["Ports"] == sent
    assert service["Endpoint"]["Ports"] == [{**sent[0], "PublishedPort": 30000}, sent[1]]


@pytest.mark.parametrize(("subnet", "problem"), [
    ("abc", "invalid subnet abc: invalid CIDR block notation"),
    ("300.1.2.3/24", "invalid subnet 300.1.2.3/24: invalid CIDR block notation"),
    ("10.0.0.0/-1", "invalid subnet 10.0.0.0/-1: invalid CIDR block notation"),
    ("10.9.0.0/33", "invalid subnet 10.9.0.0/33: invalid CIDR block notation"),
    ("10.9.0.0", "invalid subnet 10.9.0.0: invalid CIDR block notation"),
    ("10.9.0.1/24", "invalid subnet 10.9.0.1/24: it should be 10.9.0.0/24"),
    # netip.ParsePrefix refuses what Python's ip_network had taken: a netmask, a zone (even
    # in an IPv6 subnet passed over with IPv6 off), a prefix length with a leading zero
    ("10.9.0.0/255.255.0.0", "invalid subnet 10.9.0.0/255.255.0.0: invalid CIDR block "
                             "notation"),
    ("fd00::%eth0/64", "invalid subnet fd00::%eth0/64: invalid CIDR block notation"),
    ("10.9.0.0/016", "invalid subnet 10.9.0.0/016: invalid CIDR block notation"),
])
def test_a_subnet_that_is_no_cidr_block_is_refused(server, subnet, problem):
    """The network was stored with the subnet as sent (moby's ValidateIPAM refuses it)."""
    base = f"{server.url}/v1.44"
    refused = requests.post(f"{base}/networks/create", timeout=10, json={
        "Name": "n1", "Driver": "overlay", "IPAM": {"Config": [{"Subnet": subnet}]}})
    assert (refused.status_code, refused.json()["message"]) == \
        (400, f"invalid network config:\n{problem}")
    assert requests.get(f"{base}/networks/n1", timeout=10).status_code == 404
    both = requests.post(f"{base}/networks/create", timeout=10, json={
        "Name": "n1", "IPAM": {"Config": [{"Subnet": subnet}, {"Subnet": "x"}]}})
    assert both.json()["message"] == (f"invalid network config:\n* {problem}\n"
                                      "* invalid subnet x: invalid CIDR block notation")


@pytest.mark.parametrize(("mode", "replicas"), [
    ({"Global": None, "Replicated": {"Replicas": 2}}, 2),
    ({"Global": None}, 1),
    ({"Global": {}, "Replicated": None}, None),
])
def test_a_mode_given_as_null_is_not_set(server, client, mode, replicas):
    """Go decodes a ``null`` member of ``Mode`` as a nil pointer: not a mode set, so it
    neither conflicts with another (``ServiceSpecToGRPC``) nor makes the service global."""
    created = requests.post(f"{server.url}/v1.44/services/create", timeout=10, json={
        "Name": "web", "TaskTemplate": _IMAGE, "Mode": mode})
    assert created.status_code == 201
    spec = server.cluster.services["web"].spec
    assert (spec.mode, spec.replicas if spec.mode == "replicated" else None) == (
        "replicated" if replicas else "global", replicas)


@pytest.mark.parametrize(("path", "status", "shown"), [
    ("v1.44/services?status=true", 200, True),
    ("v1.44/services?status=T", 200, True),
    ("v1.44/services?status=True", 200, True),
    ("v1.44/services?status=1", 200, True),
    ("v1.44/services?status=F", 200, False),
    ("v1.44/services?status=", 200, False),
    ("v1.44/services?status=yes", 400, False),
    ("v1.44/services?status=tRUE", 400, False),
    ("v1.40/services?status=true", 200, False),      # before 1.41 the parameter is not read
    ("v1.40/services?status=yes", 200, False),
])
def test_the_status_parameter_is_read_as_strconv_parse_bool(server, path, status, shown):
    """Engine 25's ``getServices`` reads ``status`` from API 1.41 on with
    ``strconv.ParseBool`` (``1 t T TRUE true True`` and their false twins) and refuses any
    other text with 400. The served daemon read only ``1`` and ``true`` and ignored the rest
    whatever the version."""
    requests.post(f"{server.url}/v1.44/services/create", timeout=10,
                  json={"Name": "web", "TaskTemplate": _IMAGE})
    answer = requests.get(f"{server.url}/{path}", timeout=10)
    assert answer.status_code == status
    if status == 400:
        text = path.rsplit("=", 1)[1]
        assert answer.json()["message"] == (f"invalid value for status: {text}: "
                                            f'strconv.ParseBool: parsing "{text}": invalid '
                                            "syntax")
    else:
        assert ["ServiceStatus" in s for s in answer.json()] == [shown]


@pytest.mark.parametrize(("down", "words"), [
    ((), "You are attempting to leave the swarm on a node that is participating as a manager. "
         "The only way to restore a swarm that has lost consensus is to reinitialize it with "
         "`--force-new-cluster`. Use `--force` to suppress this message."),
    (("manager-3",), "You are attempting to leave the swarm on a node that is participating as "
                     "a manager. Removing this node leaves 1 managers out of 3. Without a Raft "
                     "quorum your swarm will be inaccessible. The only way to restore a swarm "
                     "that has lost consensus is to reinitialize it with `--force-new-cluster`. "
                     "Use `--force` to suppress this message."),
    (("manager-2", "manager-3"), "You are attempting to leave the swarm on a node that is "
                                 "participating as a manager. The only way to restore a swarm "
                                 "that has lost consensus is to reinitialize it with "
                                 "`--force-new-cluster`. Use `--force` to suppress this "
                                 "message."),
])
def test_a_manager_that_is_not_the_last_is_refused_with_moby_s_count(down, words):
    """moby's ``Leave`` words its refusal by ``managerStats``: three reachable managers lose
    no quorum (only the consensus warning), two of three would (how many are left); the
    served daemon had called every manager the last one. With two of three down there is no
    leader, so ``managerStats``' ``ListNodes`` fails and the count is left out (the served
    daemon had said "leaves 0 managers out of 3")."""
    nodes = [*Node.many(3, "manager", cpu=2, memory="4Gi", role="manager"),
             *Node.many(1, "worker", cpu=2, memory="4Gi")]
    with serve("swarm", cluster=SwarmCluster(nodes, seed=0), speed=0) as server:
        with server.lock:
            for name in down:
                server.cluster.fail_node(name)
        server.step(30)
        left = requests.post(f"{server.url}/v1.44/swarm/leave", timeout=10)
        assert (left.status_code, left.json()["message"]) == (503, words)


def test_a_healthcheck_is_stored_as_sent_and_run_with_the_engines_defaults(server, client):
    """swarmkit keeps the HealthConfig a client sent (moby ``daemon/cluster/convert/
    container.go`` copies each field) and the engine fills in what is 0 when it runs the
    container (``daemon/health.go``): ``docker service create --health-cmd ...
    --health-interval 2s --health-retries 2`` is inspected without a ``Timeout`` or a
    ``StartInterval`` (both had been shown as 30s and 5s), while the simulator still probes
    with the default timeout."""
    from docker.types import Healthcheck

    client.services.create("nginx", name="hc", healthcheck=Healthcheck(
        test=["CMD-SHELL", "true"], interval=2_000_000_000, retries=2))
    check = client.services.get("hc").attrs["Spec"]["TaskTemplate"]["ContainerSpec"][
        "Healthcheck"]
    assert check == {"Test": ["CMD-SHELL", "true"], "Interval": 2_000_000_000, "Retries": 2}
    stored = server.cluster.services["hc"].spec.healthcheck
    assert (stored.timeout, stored.start_interval) == (0.0, 0.0)
    assert (stored.resolved().timeout, stored.resolved().start_interval) == (30.0, 5.0)


def test_an_update_without_a_name_is_refused_as_a_rename(client):
    """moby's ``ServiceSpecToGRPC`` draws a name for a spec without one, on an update as on
    a create, so swarmkit's ``UpdateService`` refuses the update as a rename, after its check
    of the mode. Such an update (the SDK's low-level ``update_service`` sends no name unless
    given one) had been refused with "name must be valid as a DNS name component"."""
    service = client.services.create("nginx:1.27", name="web")
    service.reload()
    template = docker.types.TaskTemplate(docker.types.ContainerSpec("nginx:1.28"))

    def refusal(**fields) -> str:
        with pytest.raises(APIError) as refused:
            client.api.update_service(service.id, service.version, task_template=template,
                                      **fields)
        assert refused.value.status_code == 501
        return refused.value.explanation

    assert refusal() == ("rpc error: code = Unimplemented desc = renaming services is not "
                         "supported")
    assert refusal(mode=ServiceMode("global")) == ("rpc error: code = Unimplemented desc = "
                                                   "service mode change is not allowed")
    client.api.update_service(service.id, service.version, task_template=template, name="web")
    service.reload()
    assert service.attrs["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == "nginx:1.28"


def test_tasks_that_ended_while_the_swarm_ran_show_the_addresses_they_had(server, client):
    """swarmkit allocates a task's addresses as the task is created, before it is pending
    (``network.go``, ``doTaskAlloc``), and frees them in the allocator when it ends, leaving
    the stored task as it was: each rejected try of an image no node can pull keeps the
    address it had on the service's network, and serial allocation gives each try its own.
    Tasks made and ended while the swarm ran had shown no ``NetworksAttachments``."""
    server.cluster.fail_pull("nonexistent.invalid/web:1")
    network = client.networks.create("backend", driver="overlay")
    service = client.services.create("nonexistent.invalid/web:1", name="web",
                                     networks=["backend"])
    server.step(20)
    tasks = client.api.tasks(filters={"service": service.id})
    assert len(tasks) > 2 and all(t["Status"]["State"] == "rejected" for t in tasks[1:])
    shown = [[(a["Network"]["ID"], a["Network"]["Spec"]["Name"], a.get("Addresses"))
              for a in t.get("NetworksAttachments") or []] for t in tasks]
    assert all(len(s) == 1 and s[0][:2] == (network.id, "backend") and s[0][2] for s in shown)
    addresses = [s[0][2][0] for s in shown]
    assert len(set(addresses)) == len(addresses)
    subnet = ipaddress.ip_network(network.attrs["IPAM"]["Config"][0]["Subnet"])
    assert all(ipaddress.ip_interface(a).network == subnet for a in addresses)
