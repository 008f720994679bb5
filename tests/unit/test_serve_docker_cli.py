"""The real ``docker`` CLI against the simulated swarm's Engine API, compared with the
simulator's own state.

The CLI is whatever ``docker`` is on PATH: Debian's ``docker.io`` (20.10, API 1.41) in CI, a
newer one (28.x, API 1.50, which negotiates down to the server's 1.44, Engine 25.0's)
elsewhere. Without one
the tests skip, except in CI (``CI=true``), where they fail. Only the client runs: no daemon.

Commands that would wait for the service to converge (``service create|update|scale|rollback``
without ``-d``) poll until the tasks have run for some wall-clock seconds; the server here
moves simulated time only through ``step``, so they run detached (``-d``) and the test steps.
"""

from __future__ import annotations

import ipaddress
import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from clustersim import ManifestError, Node, load_manifests
from clustersim.serve import serve
from clustersim.swarm import SwarmCluster

SHOP = Path(__file__).parents[2] / "clustersim" / "data" / "apps" / "shop" / "shop.yml"


@pytest.fixture(scope="module")
def docker_cli() -> str:
    """The docker CLI on PATH. Missing: skip locally, but fail when ``CI=true``."""
    path = shutil.which("docker")
    if path is None:
        message = ("docker CLI not found: install Debian's package with `apt-get install "
                   "docker.io` (only the client is used; no daemon is started)")
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: a missing docker CLI fails the run)")
        pytest.skip(message)
    return path


class Docker:
    """Runs the docker CLI against one simulated swarm, with a throwaway config directory."""

    def __init__(self, program: str, server, config: Path) -> None:
        self.server = server
        self.program = program
        skip = {"DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_API_VERSION"}
        self.env = {**{k: v for k, v in os.environ.items() if k not in skip},
                    "DOCKER_HOST": server.docker_host, "DOCKER_CONFIG": str(config)}

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([self.program, *args], env=self.env, text=True,
                                capture_output=True, timeout=60)
        assert "Traceback" not in result.stdout + result.stderr
        if ok:
            assert result.returncode == 0, result.stderr
        return result

    def __call__(self, *args: str) -> list[str]:
        """The lines the command printed on stdout (the command must succeed)."""
        return self.run(*args).stdout.splitlines()

    def major(self) -> int:
        return int(self("version", "--format", "{{.Client.Version}}")[0].split(".")[0])


@pytest.fixture
def docker(docker_cli, tmp_path):
    with serve("swarm", nodes=3, speed=0) as server:
        yield Docker(docker_cli, server, tmp_path / "docker-config")


def test_version_info_and_swarm(docker):
    assert docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}") == \
        ["25.0.6 1.44"]     # Engine 25.0 is the release that speaks API 1.44
    cluster = docker.server.cluster
    assert docker("info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.Nodes}} "
                  "{{.Swarm.Managers}}") == \
        [f"active {len(cluster.node_names())} {len(cluster.raft.managers)}"]
    manager = cluster.node_record(cluster.raft.managers[0]).node
    assert docker("info", "--format", "{{.NCPU}} {{.MemTotal}}") == \
        [f"{int(manager.cpu)} {int(manager.memory_bytes)}"]          # they were 0 and 0 B
    # the engineer's report: the Plugins lists were empty; a default Engine 25 lists these
    plugins = " ".join(docker("info"))
    assert "Volume: local" in plugins
    assert "Network: bridge host ipvlan macvlan null overlay" in plugins
    assert "Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog" in plugins
    token = docker.server.backend._swarm()["JoinTokens"]["Worker"]
    assert docker("swarm", "join-token", "-q", "worker") == [token]
    refused = docker.run("swarm", "init", ok=False)
    assert refused.returncode == 1
    assert "This node is already part of a swarm" in refused.stderr


def test_swarm_init_force_new_cluster_recovers_a_lost_quorum(docker_cli, tmp_path):
    """day-2's recovery, ``docker swarm init --force-new-cluster`` on the surviving manager,
    was refused "already part of a swarm"; moby's ``Init`` accepts it on a manager: it
    answers the node's ID, the swarm keeps its services, and this manager leads alone."""
    nodes = [*Node.many(3, "manager", cpu=2, memory="4Gi", role="manager"),
             *Node.many(2, "worker", cpu=2, memory="4Gi")]
    with serve("swarm", cluster=SwarmCluster(nodes, seed=0), speed=0) as server:
        docker = Docker(docker_cli, server, tmp_path / "docker-config")
        docker("service", "create", "-d", "--name", "web", "--replicas", "2", "nginx:1.27")
        server.step(20)
        with server.lock:
            server.cluster.fail_node("manager-2")
            server.cluster.fail_node("manager-3")
        server.step(30)
        refused = docker.run("service", "scale", "-d", "web=3", ok=False)
        assert "The swarm does not have a leader" in refused.stderr
        printed = docker("swarm", "init", "--force-new-cluster")
        node_id = docker("node", "inspect", "--format", "{{.ID}}", "manager-1")[0]
        assert printed[0] == f"Swarm initialized: current node ({node_id}) is now a manager."
        assert docker("node", "ls", "--format", "{{.Hostname}} {{.ManagerStatus}}")[:3] == \
            ["manager-1 Leader", "manager-2 ", "manager-3 "]
        docker("service", "scale", "-d", "web=3")
        server.step(60)              # the lost managers' tasks are replaced once they are down
        assert docker("service", "ls", "--format", "{{.Replicas}}") == ["3/3"]
        refused = docker.run("swarm", "init", ok=False)       # without the flag: still 503
        assert "This node is already part of a swarm" in refused.stderr


def test_swarm_init_force_new_cluster_applies_the_spec_its_flags_send(docker):
    """moby's ``Init`` merges the ``Spec`` the CLI's flags fill (docker/cli
    ``cli/command/swarm/opts.go``, ``mergeSwarmSpec``: the flags given only) into the
    swarm's (``initClusterSpec``, ``MergeSwarmSpecToGRPC``) and stores it with the next
    version; it had been ignored. A setting the simulated swarm runs by is refused (501)
    unless it stays as it is, and a certificate expiry under swarmkit's minimum fails the
    update once the cluster is forced (500), leaving the Spec as it was."""
    def cluster() -> dict:
        return json.loads(docker("info", "--format", "{{json .Swarm.Cluster}}")[0])

    before = cluster()
    docker("swarm", "init", "--force-new-cluster", "--cert-expiry", "720h",
           "--snapshot-interval", "5000", "--max-snapshots", "2", "--task-history-limit", "5")
    after = cluster()
    assert after["Spec"] == {**before["Spec"],
                             "CAConfig": {"NodeCertExpiry": 720 * 3600 * 10**9},
                             "Raft": {**before["Spec"]["Raft"], "SnapshotInterval": 5000,
                                      "KeepOldSnapshots": 2}}
    assert after["Version"]["Index"] > before["Version"]["Index"]
    refused = docker.run("swarm", "init", "--force-new-cluster", "--task-history-limit", "10",
                         ok=False)
    assert "changing the swarm's Orchestration.TaskHistoryRetentionLimit to 10 is not " \
        "simulated: the simulated swarm runs with 5" in refused.stderr
    refused = docker.run("swarm", "init", "--force-new-cluster", "--cert-expiry", "30m",
                         ok=False)
    assert "error updating cluster settings: rpc error: code = InvalidArgument desc = " \
        "minimum certificate expiry time is: 1h0m0s" in refused.stderr
    assert cluster()["Spec"] == after["Spec"]


def test_node_ls_inspect_update(docker):
    cluster = docker.server.cluster
    assert docker("node", "ls", "--format", "{{.Hostname}} {{.Availability}}") == \
        [f"{r['hostname']} {r['availability']}" for r in cluster.node_ls()]
    workers = docker("node", "ls", "-q", "--filter", "role=worker")
    assert len(workers) == sum(r.node.role == "worker" for r in map(cluster.node_record,
                                                                    cluster.node_names()))
    assert docker("node", "update", "--availability", "drain", "worker-1") == ["worker-1"]
    assert cluster.node_record("worker-1").availability == "drain"
    docker("node", "update", "--label-add", "disk=ssd", "worker-2")
    assert cluster.node_record("worker-2").node.labels["disk"] == "ssd"
    assert docker("node", "inspect", "--format", "{{.Spec.Availability}}", "worker-1") == \
        ["drain"]
    assert " - disk=ssd" in docker("node", "inspect", "--pretty", "worker-2")


def test_node_updates_keep_what_the_cli_read(docker):
    """A node update replaces the node's whole spec; the CLI reads the node, changes its
    spec and sends all of it back, so labels survive ``--availability``, ``promote`` and
    ``demote``, and ``--label-rm`` removes one label."""
    cluster = docker.server.cluster
    docker("node", "update", "--label-add", "disk=ssd", "--label-add", "zone=a", "worker-1")
    docker("node", "update", "--availability", "drain", "worker-1")
    docker("node", "promote", "worker-1")
    assert cluster.node_record("worker-1").node.labels == {"disk": "ssd", "zone": "a"}
    docker("node", "demote", "worker-1")
    docker("node", "update", "--label-rm", "zone", "worker-1")
    assert docker("node", "inspect", "--format",
                  "{{.Spec.Role}} {{.Spec.Availability}} {{.Spec.Labels}}", "worker-1") == \
        ["worker drain map[disk:ssd]"]


def test_service_create_ps_scale_update_rollback_logs_rm(docker):
    cluster, step = docker.server.cluster, docker.server.step
    [service_id] = docker("service", "create", "-d", "--no-resolve-image", "--name", "web",
                          "--replicas", "3", "-p", "8080:80", "--reserve-cpu", "0.5",
                          "--constraint", "node.role==worker", "nginx:1.27")
    step(30)
    [row] = cluster.ls()
    assert docker("service", "ls", "--format", "{{.Name}} {{.Replicas}} {{.Ports}}") == \
        [f"web {row['replicas']} {row['ports']}"] == ["web 3/3 *:8080->80/tcp"]
    assert docker("service", "ls", "-q", "--filter", "name=web") == [service_id[:12]]
    running = docker("service", "ps", "-q", "--filter", "desired-state=running", "web")
    assert set(running) == {t.id for t in cluster.tasks("web")}
    assert set(docker("service", "ps", "--format", "{{.Node}}", "web")) <= \
        {"worker-1", "worker-2", "worker-3"}
    # Simulated now is the wall clock's now, so the ages the CLI works out are simulated ones.
    assert all(re.fullmatch(r"Running [12]\d seconds ago", state) for state in
               docker("service", "ps", "--format", "{{.CurrentState}}", "web"))
    assert docker("service", "inspect", "--format",
                  "{{.Spec.Mode.Replicated.Replicas}} {{.Spec.TaskTemplate.Placement}}",
                  "web") == ["3 {[node.role==worker] [] 0 []}"]
    assert docker("service", "scale", "-d", "web=5") == ["web scaled to 5"]
    step(30)
    assert cluster.ls()[0]["replicas"] == "5/5"
    docker("service", "update", "-d", "--no-resolve-image", "--image", "nginx:1.28", "web")
    step(120)
    assert cluster.services["web"].spec.image == "nginx:1.28"
    history = docker("service", "ps", "--format", "{{.Name}} {{.Image}} {{.DesiredState}}",
                     "web")
    assert "web.1 nginx:1.28 Running" in history
    assert any(line.endswith("web.1 nginx:1.27 Shutdown") for line in history)
    docker("service", "rollback", "-d", "web")
    step(120)
    assert cluster.services["web"].spec.image == "nginx:1.27"
    assert docker("service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                  "web") == ["nginx:1.27"]
    # --force raises the template's ForceUpdate counter: every task is replaced.
    before = {t.id for t in cluster.tasks("web")}
    docker("service", "update", "-d", "--force", "web")
    step(120)
    assert docker("service", "inspect", "-f", "{{.Spec.TaskTemplate.ForceUpdate}}", "web") == \
        ["1"]
    after = {t.id for t in cluster.tasks("web")}
    assert len(after) == 5 and not after & before
    # Scaled down: the REPLICAS column comes from the server's ServiceStatus.
    docker("service", "scale", "-d", "web=2")
    step(30)
    assert docker("service", "ls", "--format", "{{.Replicas}}") == \
        [cluster.ls()[0]["replicas"]] == ["2/2"]
    # The CLI asks for the swarm context of each line and prints it before the message;
    # the tasks that ran and are still in the store, ended ones too, have written lines.
    logs = docker("service", "logs", "--no-trunc", "web")
    expected = {f"{t.name}.{t.id}@{t.node}" for t in cluster.tasks("web", history=True)
                if t.started is not None}
    assert len(expected) > len(cluster.tasks("web"))
    assert {line.split(" ")[0] for line in logs} == expected
    assert docker("service", "logs", "--tail", "0", "web") == []
    assert docker("service", "rm", "web") == ["web"]
    step(30)
    assert docker("service", "ls", "-q") == [] and cluster.ls() == []


def test_missing_objects_get_the_daemons_errors(docker):
    missing = docker.run("service", "rm", "nope", ok=False)
    # The daemon's 404 message; a 20.10 CLI prints its own "No such service" for a 404.
    assert missing.returncode == 1
    assert re.search("service nope not found|No such service: nope", missing.stderr)
    missing = docker.run("node", "inspect", "nope", ok=False)
    assert missing.returncode == 1 and "nope" in missing.stderr
    docker("network", "create", "-d", "overlay", "backend")
    again = docker.run("network", "create", "-d", "overlay", "backend", ok=False)
    assert "network with name backend already exists" in again.stderr


def test_network_ls_create(docker):
    [network_id] = docker("network", "create", "-d", "overlay", "--label", "team=a", "backend")
    networks = docker.server.backend.networks
    assert networks["backend"]["Id"] == network_id
    assert networks["backend"]["Labels"] == {"team": "a"}
    assert docker("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}") == \
        sorted(f"{n['Name']} {n['Driver']} {n['Scope']}" for n in networks.values())
    assert docker("network", "ls", "-q", "--filter", "label=team=a") == [network_id[:12]]
    assert docker("network", "ls", "--format", "{{.Name}}", "--filter", "driver=overlay") == \
        ["backend", "ingress"]
    assert docker("network", "ls", "--format", "{{.Name}}", "--filter", "type=custom") == \
        ["backend", "docker_gwbridge", "ingress"]     # moby's predefined: bridge, host, none
    docker("network", "create", "-d", "overlay", "--attachable", "--subnet", "10.9.0.0/24", "app")
    assert docker("network", "inspect", "-f", "{{.Attachable}} {{range .IPAM.Config}}"
                  "{{.Subnet}}{{end}}", "app") == ["true 10.9.0.0/24"]
    assert docker("network", "rm", "app") == ["app"] and "app" not in networks


def test_network_ls_and_inspect_as_on_a_swarm_manager(docker):
    """A manager lists the engine's bridge, host and none and the swarm's docker_gwbridge
    and ingress (none and docker_gwbridge were missing); overlay networks get a /24 of the
    default address pool 10.0.0.0/8 with its first address as gateway, and a VXLAN ID (their
    IPAM config was empty)."""
    assert docker("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}") == [
        "bridge bridge local", "docker_gwbridge bridge local", "host host local",
        "ingress overlay swarm", "none null local"]
    assert docker("network", "ls", "--format", "{{.Name}}", "--filter", "type=builtin") == \
        ["bridge", "host", "none"]
    docker("network", "create", "-d", "overlay", "backend")
    docker("network", "create", "-d", "overlay", "--subnet", "10.9.0.0/24", "app")
    docker("network", "create", "-d", "overlay", "front")

    def ipam(name: str) -> str:
        [line] = docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} "
                        "{{.Gateway}}{{end}} {{index .Options "
                        '"com.docker.network.driver.overlay.vxlanid_list"}}', name)
        return line

    assert [ipam(n) for n in ("ingress", "backend", "app", "front")] == [
        "10.0.0.0/24 10.0.0.1 4096", "10.0.1.0/24 10.0.1.1 4097",
        "10.9.0.0/24 10.9.0.1 4098", "10.0.2.0/24 10.0.2.1 4099"]
    assert docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}"
                  "{{end}}", "bridge", "docker_gwbridge", "host", "none") == [
        "172.17.0.0/16 172.17.0.1", "172.18.0.0/16 172.18.0.1", "", ""]
    for name, words in (("none", "none is a pre-defined network and cannot be removed"),
                        ("docker_gwbridge", "has active endpoints")):
        refused = docker.run("network", "rm", name, ok=False)
        assert refused.returncode == 1 and words in refused.stderr


def compose_file(docker: Docker, text: str, path: Path) -> Path:
    """``text`` written at ``path``; for a CLI before 23.0 with a ``version`` line first:
    its Compose loader refuses a file without one (newer CLIs follow the Compose
    Specification, where ``version`` is obsolete)."""
    if docker.major() < 23 and not text.lstrip().startswith("version"):
        text = 'version: "3.8"\n' + text
    path.write_text(text)
    return path


def test_stack_deploy_ls_ps_rm_the_shop(docker, tmp_path):
    """The CLI reads the course's shop stack itself and creates its network and services."""
    cluster, step = docker.server.cluster, docker.server.step
    out = docker("stack", "deploy", "-c", str(SHOP), "shop")     # as learners run it
    assert "Creating network shop_default" in out
    assert sorted(line for line in out if line.startswith("Creating service")) == \
        [f"Creating service shop_{s}" for s in ("api", "cache", "db", "frontend")]
    step(60)
    assert {s.spec.stack for s in cluster.services.values()} == {"shop"}
    assert docker("stack", "ls", "--format", "{{.Name}} {{.Services}}") == ["shop 4"]
    # Unsorted here as from a real daemon, whose order is its store's (by random ID).
    services = docker("stack", "services", "--format", "{{.Name}} {{.Replicas}}", "shop")
    assert sorted(services) == sorted(f"{r['name']} {r['replicas']}" for r in cluster.ls())
    assert docker("network", "ls", "--format", "{{.Name}}", "--filter",
                  "label=com.docker.stack.namespace=shop") == ["shop_default"]
    rows = docker("stack", "ps", "--format", "{{.Name}} {{.Node}} {{.CurrentState}}", "shop")
    simulated = cluster.tasks()
    assert len(rows) == len(simulated)
    for task in simulated:
        slot = task.name.rsplit(".", 1)[1]
        state = task.state.value.capitalize()
        assert any(re.fullmatch(rf"{task.service}\.{slot} {task.node or ''} {state} .*", row)
                   for row in rows), (task, rows)
    running = docker("stack", "ps", "-q", "--no-trunc", "--filter", "desired-state=running",
                     "shop")
    assert set(running) == {t.id for t in simulated}
    # The CLI turned the healthcheck into the Engine's (nanoseconds); it survives a scale,
    # which replaces no task (the task spec is unchanged).
    assert cluster.services["shop_api"].spec.healthcheck.interval == 5.0
    assert docker("service", "inspect", "-f", "{{json .Spec.TaskTemplate.ContainerSpec"
                  ".Healthcheck.Test}}", "shop_api") == \
        ['["CMD","wget","-qO-","http://localhost:8080/healthz"]']
    docker("service", "scale", "-d", "shop_api=4")
    step(30)
    assert {t.id for t in simulated if t.service == "shop_api"} < \
        {t.id for t in cluster.tasks("shop_api")}
    out = docker("stack", "rm", "shop")
    assert "Removing network shop_default" in out
    step(30)
    assert cluster.services == {} and "shop_default" not in docker.server.backend.networks
    assert docker("stack", "ls", "--format", "{{.Name}}") == []


def test_stack_deploy_creates_secrets_configs_and_networks(docker, tmp_path):
    (tmp_path / "password.txt").write_text("s3cret\n")
    (tmp_path / "site.conf").write_text("listen 80;\n")
    stack = compose_file(docker, f"""
services:
  web:
    image: nginx:1.27
    deploy: {{replicas: 2}}
    secrets: [password]
    configs: [site]
    networks: [front]
secrets:
  password: {{file: {tmp_path / 'password.txt'}}}
configs:
  site: {{file: {tmp_path / 'site.conf'}}}
networks:
  front: {{driver: overlay}}
""", tmp_path / "web.yml")
    out = docker("stack", "deploy", "-c", str(stack), "web")
    assert out[:4] == ["Creating network web_front", "Creating secret web_password",
                       "Creating config web_site", "Creating service web_web"]
    docker.server.step(30)
    assert docker.server.cluster.ls()[0]["replicas"] == "2/2"
    assert docker("secret", "ls", "--format", "{{.Name}}") == ["web_password"]
    assert docker("config", "inspect", "--format", "{{printf \"%s\" .Spec.Data}}",
                  "web_site") == ["listen 80;", ""]     # the file's newline, then the CLI's
    stored = docker.server.backend.stored
    assert stored["secrets"]["web_password"]["Spec"]["Labels"] == \
        {"com.docker.stack.namespace": "web"}
    docker("stack", "rm", "web")
    assert stored == {"secrets": {}, "configs": {}}
    assert "web_front" not in docker.server.backend.networks


def test_service_create_waits_until_converged_on_a_running_clock(docker_cli, tmp_path):
    """Without ``-d`` the CLI follows the tasks until they have been running for a few
    wall-clock seconds: with the clock moving (``speed``), it sees them converge."""
    with serve("swarm", nodes=3, speed=1) as server:
        docker = Docker(docker_cli, server, tmp_path / "docker-config")
        result = docker.run("service", "create", "--no-resolve-image", "--name", "web",
                            "--replicas", "2", "nginx:1.27")
        assert "converged" in result.stdout + result.stderr
        assert server.cluster.ls()[0]["replicas"] == "2/2"


def test_service_keeps_what_the_simulator_does_not_model(docker):
    """The daemon stores the spec as sent: ``inspect`` shows the command, environment,
    limits and labels, and ``update --env-add`` (the CLI reads, changes and sends back the
    whole spec) keeps them, through an update and a rollback."""
    step = docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--env", "A=1",
           "--limit-memory", "512M", "--label", "team=x", "nginx:1.27", "sleep", "100")
    docker("service", "update", "-d", "--no-resolve-image", "--env-add", "B=2", "web")
    template = "{{.Spec.TaskTemplate.ContainerSpec.Args}} {{.Spec.TaskTemplate.Resources." \
        "Limits.MemoryBytes}} {{.Spec.Labels}} {{range .Spec.TaskTemplate.ContainerSpec.Env}}" \
        "{{.}} {{end}}"
    [shown] = docker("service", "inspect", "-f", template, "web")
    assert shown.startswith("[sleep 100] 536870912 map[team:x] ")
    assert sorted(shown.split()[4:]) == ["A=1", "B=2"]      # the CLI adds in map order
    assert docker("service", "ls", "-q", "--filter", "label=team=x") != []
    docker("service", "update", "-d", "--no-resolve-image", "--image", "nginx:1.28",
           "--env-rm", "A", "web")
    step(60)
    docker("service", "rollback", "-d", "web")
    step(60)
    [shown] = docker("service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}} "
                     "{{json .PreviousSpec.TaskTemplate.ContainerSpec.Env}} "
                     "{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{.}} {{end}}", "web")
    assert shown.startswith('nginx:1.27 ["B=2"] ') and sorted(shown.split()[2:]) == \
        ["A=1", "B=2"]
    assert docker.server.cluster.services["web"].spec.image == "nginx:1.27"


def test_job_modes_are_refused_not_run_as_replicated(docker):
    refused = docker.run("service", "create", "-d", "--no-resolve-image", "--name", "job",
                         "--mode", "replicated-job", "busybox", ok=False)
    assert refused.returncode == 1
    assert "Error response from daemon: rpc error: code = Unimplemented desc = " \
        "replicated-job mode is not simulated" in refused.stderr
    assert docker.server.cluster.services == {}


def test_list_filters_as_the_daemon_reads_them(docker):
    """Each list takes moby's filter keys (``daemon/cluster/filters.go``), names and IDs by
    prefix as swarmkit does; an unknown key is refused, not ignored."""
    cluster = docker.server.cluster
    docker("node", "update", "--label-add", "disk=ssd", "worker-2")
    assert docker("node", "ls", "--format", "{{.Hostname}}", "--filter", "name=worker") == \
        ["worker-1", "worker-2", "worker-3"]
    assert docker("node", "ls", "--format", "{{.Hostname}}", "--filter",
                  "node.label=disk=ssd") == ["worker-2"]
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--replicas", "2",
           "nginx:1.27")
    docker("service", "create", "-d", "--no-resolve-image", "--name", "agent", "--mode",
           "global", "busybox")
    docker.server.step(30)
    assert docker("service", "ls", "--format", "{{.Name}}", "--filter", "mode=global") == \
        ["agent"]
    assert docker("service", "ls", "--format", "{{.Name}}", "--filter", "name=we") == ["web"]
    [first] = [t for t in cluster.tasks("web") if t.name == "web.1"]
    assert docker("service", "ps", "-q", "--no-trunc", "--filter", "name=web.1", "web") == \
        [first.id]
    assert docker("service", "ps", "-q", "--no-trunc", "--filter", f"id={first.id[:5]}",
                  "web") == [first.id]
    for command in (("node", "ls"), ("service", "ls"), ("service", "ps", "web"),
                    ("secret", "ls"), ("config", "ls")):
        refused = docker.run(*command, "--filter", "colour=blue", ok=False)
        assert refused.returncode == 1
        assert "Error response from daemon: invalid filter 'colour'" in refused.stderr
    wrong = docker.run("node", "ls", "--filter", "role=boss", ok=False)
    assert "Error response from daemon: Invalid role filter: 'boss'" in wrong.stderr


def test_commands_outside_swarm_mode_say_what_is_not_simulated(docker):
    """``docker ps``, ``images`` or ``run`` get a 501 that names what the simulator lacks
    (was the bare 404 "page not found"); ``swarm leave`` gets the daemon's refusal for the
    last manager, and with ``--force`` leaves (it had been a 501): the node is in no swarm
    then, and ``docker node ls`` gets the daemon's ``errNoManager``."""
    for command in (("ps",), ("images",), ("volume", "ls"), ("run", "--rm", "hello-world")):
        refused = docker.run(*command, ok=False)
        assert refused.returncode != 0
        assert "Error response from daemon: " in refused.stderr
        assert "are not simulated: clustersim's Docker Engine serves swarm mode only" in \
            refused.stderr
    leave = docker.run("swarm", "leave", ok=False)
    assert "Removing the last manager erases all current state of the swarm" in leave.stderr
    assert docker("node", "ls", "-q") != []
    assert docker.run("swarm", "leave", "--force").stdout.strip() == "Node left the swarm."
    listed = docker.run("node", "ls", ok=False)
    assert "This node is not a swarm manager. Use \"docker swarm init\"" in listed.stderr
    again = docker.run("swarm", "leave", "--force", ok=False)
    assert "Error response from daemon: This node is not part of a swarm" in again.stderr


def test_docker_inspect_finds_services_nodes_and_tasks(docker):
    """The generic ``docker inspect NAME`` asks for a container, an image... first and goes
    on only after a 404: those lookups get the daemon's not-found words."""
    [service_id] = docker("service", "create", "-d", "--no-resolve-image", "--name", "web",
                          "nginx:1.27")
    docker.server.step(30)
    [task] = docker.server.cluster.tasks("web")
    assert docker("inspect", "-f", "{{.ID}}", "web") == [service_id]
    assert docker("inspect", "-f", "{{.Spec.Role}}", "worker-1") == ["worker"]
    assert docker("inspect", "-f", "{{.ServiceID}}", task.id) == [service_id]
    missing = docker.run("container", "inspect", "web", ok=False)
    # A 28.x CLI prints the daemon's words, 20.10 its own for a 404.
    assert re.search("(Error response from daemon|Error): No such container: web", missing.stderr)


def test_task_logs_and_reaped_tasks(docker):
    """``docker service logs TASK`` reads ``/tasks/{id}/logs``; the tasks of removed slots
    and services are gone from ``service ps`` and ``node ps``, as swarmkit's task reaper
    deletes them (they were listed as "Remove / Shutdown", a removed service's under its
    bare ID)."""
    cluster, step = docker.server.cluster, docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--replicas", "3",
           "nginx:1.27")
    step(30)
    task = sorted(cluster.tasks("web"), key=lambda t: t.name)[0]
    [line] = docker("service", "logs", "--no-trunc", task.id)
    assert line.startswith(f"{task.name}.{task.id}@{task.node}") and "simulated" in line
    docker("service", "scale", "-d", "web=1")
    step(30)
    assert docker("service", "ps", "--format", "{{.Name}} {{.DesiredState}}", "web") == \
        ["web.1 Running"]
    docker("service", "rm", "web")
    step(30)
    for node in cluster.node_names():
        assert docker("node", "ps", "-q", node) == []


def test_service_logs_follow_until_the_cli_is_stopped(docker):
    """``docker service logs -f`` ended at once (exit 0, after the lines there were): the
    daemon keeps a follow open, sends a new task's line as it starts, and the stream ends
    when the CLI is stopped (its request's thread with it)."""
    cluster, step = docker.server.cluster, docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web2", "--replicas",
           "2", "nginx:1.27")
    step(30)
    threads = threading.active_count()
    follow = subprocess.Popen([docker.program, "service", "logs", "-f", "--no-trunc", "web2"],
                              env=docker.env, text=True, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in follow.stdout],
                              daemon=True)
    reader.start()

    def source(line: str) -> str:
        return line.split(" ")[0]

    try:
        first = {source(lines.get(timeout=30)) for _ in range(2)}
        assert first == {f"{t.name}.{t.id}@{t.node}" for t in cluster.tasks("web2")}
        docker("service", "scale", "-d", "web2=3")
        step(30)
        [new] = [t for t in cluster.tasks("web2") if f"{t.name}.{t.id}@{t.node}" not in first]
        line = lines.get(timeout=30)
        assert source(line) == f"{new.name}.{new.id}@{new.node}" and "simulated" in line
        assert follow.poll() is None                     # still following
    finally:
        follow.kill()
        follow.wait(timeout=30)
        reader.join(timeout=30)
    deadline = time.monotonic() + 30
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.1)
    assert threading.active_count() <= threads


def test_events_since_until_and_filters(docker):
    """``docker events`` had answered that events are not simulated: it prints the swarm's
    store changes, each with what changed. ``--since 10m --until 0m`` are turned into Unix
    times by the CLI against its own clock, which the daemon's follows; ``--filter``
    chooses among them."""
    step = docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--replicas",
           "1", "nginx:1.27")
    step(30)
    docker("service", "scale", "-d", "web=2")
    step(30)
    docker("node", "update", "--availability", "drain", "worker-1")
    step(10)
    service_id = docker("service", "inspect", "--format", "{{.ID}}", "web")[0]
    node_id = docker("node", "inspect", "--format", "{{.ID}}", "worker-1")[0]
    form = "{{.Scope}} {{.Type}} {{.Action}} {{.Actor.ID}} {{json .Actor.Attributes}}"
    printed = docker("events", "--since", "10m", "--until", "0m", "--format", form)
    assert printed == [
        f'swarm service create {service_id} {{"name":"web"}}',
        f'swarm service update {service_id} '
        '{"name":"web","replicas.new":"2","replicas.old":"1"}',
        f'swarm node update {node_id} '
        '{"availability.new":"drain","availability.old":"active","name":"worker-1"}']
    assert docker("events", "--since", "10m", "--until", "0m", "--filter", "type=node",
                  "--format", form) == printed[2:]
    refused = docker.run("events", "--since", "20s", "--until", "10m", ok=False)
    assert "cannot be after `until` time" in refused.stderr


def test_service_logs_with_a_node_down_warn_of_an_incomplete_stream(docker):
    """A node that is down cannot send its tasks' lines: the CLI prints the others and
    fails with the log broker's warning, as on a real swarm (moby/moby issue #37336); the
    lines of the down node's tasks had been printed as if it answered."""
    cluster, step = docker.server.cluster, docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--replicas",
           "3", "nginx:1.27")
    step(30)
    lost = sorted(cluster.tasks("web"), key=lambda t: t.name)[0]
    with docker.server.lock:
        cluster.fail_node(lost.node)
    step(30)
    node_id = docker("node", "inspect", "--format", "{{.ID}}", lost.node)[0]
    answer = docker.run("service", "logs", "--no-trunc", "web", ok=False)
    assert answer.returncode == 1
    assert answer.stderr.strip() == (
        "error from daemon in stream: Error grabbing logs: rpc error: code = Unknown desc = "
        "warning: incomplete log stream. some logs could not be retrieved for the following "
        f"reasons: node {node_id} is not available")
    shown = {line.split(" ")[0] for line in answer.stdout.splitlines()}
    assert shown == {f"{t.name}.{t.id}@{t.node}" for t in
                     cluster.tasks("web", history=True)
                     if t.started is not None and t.node != lost.node}
    assert f"{lost.name}.{lost.id}@{lost.node}" not in shown


def test_secrets_and_networks_in_use_are_not_removed(docker, tmp_path):
    """A secret or network a service uses is refused removal with swarmkit's words (the
    rotation the config-and-secrets chapter teaches: ``--secret-rm`` first); a network
    named in a spec is stored by ID, as the daemon looks it up."""
    (tmp_path / "pw.txt").write_text("example")
    docker("secret", "create", "db_password", str(tmp_path / "pw.txt"))
    [network_id] = docker("network", "create", "-d", "overlay", "back")
    [service_id] = docker("service", "create", "-d", "--no-resolve-image", "--name", "api",
                          "--secret", "db_password", "--network", "back", "nginx:1.27")
    refused = docker.run("secret", "rm", "db_password", ok=False)
    assert refused.returncode == 1 and "Error response from daemon: rpc error: code = " \
        "InvalidArgument desc = secret 'db_password' is in use by the following service: " \
        "api" in refused.stderr
    refused = docker.run("network", "rm", "back", ok=False)
    assert refused.returncode == 1 and "rpc error: code = FailedPrecondition desc = network " \
        f"{network_id} is in use by service {service_id}" in refused.stderr
    docker("service", "update", "-d", "--no-resolve-image", "--secret-rm", "db_password", "api")
    assert docker("secret", "rm", "db_password") == ["db_password"]
    docker("service", "rm", "api")
    assert docker("network", "rm", "back") == ["back"]


def test_mounts_are_checked_as_the_daemon_checks_them(docker):
    """The CLI sends ``--mount`` as given; the daemon refuses an unknown type or bind
    propagation (moby's ``containerToGRPC``) and two mounts at one target (swarmkit's
    ``validateMounts``). The served daemon created all three services."""
    for mounts, said in (
            (["type=xyz,target=/data"], 'invalid MountType: "xyz"'),
            (["type=bind,source=/srv,target=/data,bind-propagation=sideways"],
             'invalid MountPropagation: "sideways"'),
            (["type=volume,target=/data", "type=tmpfs,target=/data"],
             "rpc error: code = InvalidArgument desc = ContainerSpec: duplicate mount point: "
             "/data")):
        flags = [part for mount in mounts for part in ("--mount", mount)]
        refused = docker.run("service", "create", "-d", "--no-resolve-image", *flags,
                             "nginx:1.27", ok=False)
        assert (refused.returncode, refused.stderr.strip()) == (
            1, f"Error response from daemon: {said}")
    assert docker.server.cluster.services == {}


def test_stack_networks_are_stored_by_id(docker, tmp_path):
    stack = compose_file(docker, "services:\n  web:\n    image: nginx:1.27\n", tmp_path / "s.yml")
    docker("stack", "deploy", "-c", str(stack), "app")
    network_id = docker.server.backend.networks["app_default"]["Id"]
    assert docker("service", "inspect", "-f", "{{range .Spec.TaskTemplate.Networks}}"
                  "{{.Target}}{{end}}", "app_web") == [network_id]
    refused = docker.run("network", "rm", "app_default", ok=False)
    assert "is in use by service" in refused.stderr
    assert "Removing network app_default" in docker("stack", "rm", "app")


def test_secret_and_config_specs_are_checked(docker, tmp_path):
    """Names and sizes as swarmkit's control API checks them (they were all accepted)."""
    (tmp_path / "pw.txt").write_text("example")
    (tmp_path / "big.bin").write_bytes(b"\0" * 600_000)
    refused = docker.run("secret", "create", "bad name!", str(tmp_path / "pw.txt"), ok=False)
    assert refused.returncode == 1 and "Error response from daemon: rpc error: code = " \
        "InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed" in \
        refused.stderr
    refused = docker.run("secret", "create", "big", str(tmp_path / "big.bin"), ok=False)
    assert "secret data must be larger than 0 and less than 512000 bytes" in refused.stderr
    docker("config", "create", "big", str(tmp_path / "big.bin"))     # a config may be 1000 KiB
    assert docker("secret", "ls", "-q") == [] and docker("config", "ls", "--format",
                                                          "{{.Name}}") == ["big"]


def test_a_service_without_a_name_gets_one(docker):
    """``docker service create nginx``: the daemon names it ``adjective_surname``."""
    [first] = docker("service", "create", "-d", "--no-resolve-image", "nginx:1.27")
    [second] = docker("service", "create", "-d", "--no-resolve-image", "nginx:1.27")
    names = docker("service", "ls", "--format", "{{.Name}}")
    assert len(set(names)) == 2 and all(re.fullmatch(r"[a-z]+_[a-z]+", n) for n in names)
    assert {docker("service", "inspect", "-f", "{{.ID}}", n)[0] for n in names} == \
        {first, second}


def test_rollback_without_a_previous_spec(docker):
    [service_id] = docker("service", "create", "-d", "--no-resolve-image", "--name", "web",
                          "nginx:1.27")
    refused = docker.run("service", "rollback", "web", ok=False)
    assert refused.returncode == 1
    assert "Error response from daemon: rpc error: code = FailedPrecondition desc = service " \
        f"{service_id} does not have a previous spec" in refused.stderr


def test_stack_with_a_partial_update_config(docker, tmp_path):
    """The CLI sends the Order of an update or rollback config the stack file leaves out as
    "" (Go's zero value), which the daemon reads as the default: the stack was refused
    with "'' is not valid"."""
    stack = compose_file(docker, """
services:
  web:
    image: nginx:1.27
    deploy:
      update_config: {parallelism: 2}
      rollback_config: {parallelism: 3}
      restart_policy: {max_attempts: 3}
""", tmp_path / "web.yml")
    out = docker("stack", "deploy", "-c", str(stack), "app")
    assert "Creating service app_web" in out
    assert docker("service", "inspect", "-f", "{{.Spec.UpdateConfig.Parallelism}} "
                  "{{.Spec.UpdateConfig.Order}} {{.Spec.RollbackConfig.Parallelism}} "
                  "{{.Spec.RollbackConfig.FailureAction}} "
                  "{{.Spec.TaskTemplate.RestartPolicy.Condition}}", "app_web") == \
        ["2 stop-first 3 pause any"]
    spec = docker.server.cluster.services["app_web"].spec
    assert (spec.update.parallelism, spec.rollback.order, spec.restart.max_attempts) == \
        (2, "stop-first", 3)


def test_an_unmodelled_change_rolls_the_tasks(docker, tmp_path):
    """``--env-add`` or a secret rotation changes the task template, so every task is
    replaced, as in swarmkit (``IsTaskDirty``); a scale or a service label does not, nor
    the spec the CLI reads back and sends again."""
    cluster, step = docker.server.cluster, docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "api", "--replicas", "2",
           "--env", "A=1", "nginx:1.27")
    step(30)
    first = {t.id for t in cluster.tasks("api")}
    docker("service", "scale", "-d", "api=3")
    docker("service", "update", "-d", "--no-resolve-image", "--label-add", "team=x", "api")
    step(30)
    assert first < {t.id for t in cluster.tasks("api")}
    before = {t.id for t in cluster.tasks("api")}
    docker("service", "update", "-d", "--no-resolve-image", "--env-add", "B=2", "api")
    step(120)
    after = {t.id for t in cluster.tasks("api")}
    assert len(after) == 3 and not after & before
    (tmp_path / "v2.txt").write_text("v2")
    docker("secret", "create", "db_pass_v2", str(tmp_path / "v2.txt"))
    docker("service", "update", "-d", "--no-resolve-image", "--secret-add",
           "source=db_pass_v2,target=db_pass", "api")
    step(120)
    assert not {t.id for t in cluster.tasks("api")} & after


def test_host_mode_ports_show_in_service_ps(docker):
    """A running task holds its host-mode port (``Status.PortStatus``): ``service ps`` shows
    it, ``service ls`` shows only the routing mesh's."""
    docker("service", "create", "-d", "--no-resolve-image", "--name", "hp", "--publish",
           "published=9090,target=80,mode=host", "nginx:1.27")
    docker.server.step(30)
    assert docker("service", "ps", "--format", "{{.Ports}}", "hp") == ["*:9090->80/tcp"]
    assert docker("service", "ls", "--format", "{{.Ports}}") == [""]


def test_a_service_gets_a_virtual_ip_on_each_of_its_networks(docker):
    """swarmkit's allocator gives a ``vip`` service an address on ``ingress`` when it
    publishes a port in ingress mode, then one on each network it attaches to, each in that
    network's subnet; a ``dnsrr`` service and one on no network get none, and moby leaves
    the empty list out. Only the ``ingress`` address had been given, to a service whose
    ports were all host-mode too, and an empty list shown."""
    docker("network", "create", "-d", "overlay", "backend")
    create = ("service", "create", "-d", "--no-resolve-image")
    docker(*create, "--name", "web", "--network", "backend", "-p", "8080:80", "nginx:1")
    docker(*create, "--name", "db", "--network", "backend", "--publish",
           "mode=host,target=5432,published=5432", "postgres:16")
    docker(*create, "--name", "dns", "--endpoint-mode", "dnsrr", "--network", "backend",
           "nginx:1")
    docker(*create, "--name", "lone", "nginx:1")
    ids, subnets = {}, {}
    for name in ("ingress", "backend"):
        [line] = docker("network", "inspect", "-f",
                        "{{.Id}} {{range .IPAM.Config}}{{.Subnet}}{{end}}", name)
        ids[name], subnet = line.split()
        subnets[ids[name]] = ipaddress.ip_network(subnet)

    def vips(service: str) -> list[tuple[str, ipaddress.IPv4Interface]]:
        [line] = docker("service", "inspect", "-f", "{{range .Endpoint.VirtualIPs}}"
                        "{{.NetworkID}} {{.Addr}},{{end}}", service)
        return [(network, ipaddress.ip_interface(addr)) for network, addr
                in (vip.split() for vip in line.split(",") if vip)]

    web, db = vips("web"), vips("db")
    assert [network for network, _ in web] == [ids["ingress"], ids["backend"]]
    assert [network for network, _ in db] == [ids["backend"]]
    for network, address in web + db:
        assert address.network == subnets[network]
        assert address.ip not in (subnets[network].network_address,
                                  subnets[network].network_address + 1)   # the gateway
    assert web[1][1] != db[0][1]
    assert docker("service", "inspect", "-f", "{{json .Endpoint.VirtualIPs}}", "dns",
                  "lone") == ["null", "null"]


def test_a_generic_resource_no_node_has_leaves_the_tasks_pending(docker):
    """``--generic-resource gpu=1`` reserves a discrete resource that no simulated node
    advertises (a real node does with dockerd's ``--node-generic-resource``), so swarmkit's
    ResourceFilter refuses every node and the task stays pending, the error saying why. The
    reservation had been dropped and the task ran."""
    docker("service", "create", "-d", "--no-resolve-image", "--name", "gpu",
           "--generic-resource", "gpu=1", "nginx:1.27")
    docker.server.step(10)
    nodes = len(docker("node", "ls", "-q"))
    [shown] = docker("service", "ps", "--no-trunc", "--format", "{{.CurrentState}}|{{.Error}}",
                     "gpu")
    state, error = shown.split("|")
    assert state.startswith("Pending")
    assert error == f'"no suitable node (insufficient resources on {nodes} nodes)"'
    assert docker("service", "inspect", "-f", "{{json .Spec.TaskTemplate.Resources."
                  "Reservations.GenericResources}}", "gpu") == [
        '[{"DiscreteResourceSpec":{"Kind":"gpu","Value":1}}]']


def test_service_inspect_shows_the_port_sent_and_the_port_assigned(docker):
    """``--publish target=80`` sends no published port: ``service inspect`` shows none in
    the spec and the one the swarm picked under ``Endpoint.Ports`` (swarmkit's allocator
    writes only there); the spec had shown 30000. A host-mode port of 0 shows the node's
    ephemeral port in ``service ps`` (it showed ``*:0->81/tcp``)."""
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--publish",
           "target=80", "--publish", "target=81,mode=host", "nginx:1.27")
    docker.server.step(30)
    spec, assigned = docker("service", "inspect", "--format",
                            "{{json .Spec.EndpointSpec.Ports}}\n{{json .Endpoint.Ports}}",
                            "web")
    assert [p.get("PublishedPort") for p in json.loads(spec)] == [None, None]
    assert [p.get("PublishedPort") for p in json.loads(assigned)] == [30000, None]
    assert docker("service", "ps", "--format", "{{.Ports}}", "web") == ["*:32768->81/tcp"]


def test_network_prune_and_unknown_drivers(docker):
    """``network prune`` removes the networks no service uses (it was a 404 "network prune
    not found"); a driver the engine lacks is the daemon's 404 for a missing plugin."""
    for name in ("a", "b", "c"):
        docker("network", "create", "-d", "overlay", name)
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--network", "c",
           "nginx:1.27")
    out = docker("network", "prune", "-f")
    assert out[0] == "Deleted Networks:" and sorted(out[1:3]) == ["a", "b"]
    assert sorted(docker.server.backend.networks) == \
        ["bridge", "c", "docker_gwbridge", "host", "ingress", "none"]
    refused = docker.run("network", "create", "-d", "bogus", "x", ok=False)
    assert refused.returncode == 1 and 'plugin "bogus" not found' in refused.stderr


@pytest.mark.parametrize(("service", "refusal", "created"), [
    ("networks: [front, backend]", 'undefined network "backend"', "app_front"),
    ("volumes: [data:/data]", 'undefined volume "data"', "app_default")])
def test_stack_deploy_refuses_an_undeclared_network_or_volume_as_the_loader_does(
        docker, tmp_path, service, refusal, created):
    """The real CLI converts the services itself (docker/cli ``cli/compose/convert``) and
    refuses a network or named volume the file does not declare, after it has created the
    networks its services use (``deployCompose``; ``default`` for a service that names
    none); the simulator's loader refuses the same file in the same words, and no service
    is created."""
    top = "networks: {front: {}}"
    text = f"services:\n  web:\n    image: nginx:1.27\n    {service}\n{top}\n"
    stack = compose_file(docker, text, tmp_path / "app.yml")
    refused = docker.run("stack", "deploy", "-c", str(stack), "app", ok=False)
    assert refused.returncode == 1 and f"service web: {refusal}" in refused.stderr
    assert f"Creating network {created}" in refused.stdout
    assert not docker.server.cluster.services
    with pytest.raises(ManifestError) as loaded:
        load_manifests(stack)
    assert loaded.value.message == f"service web: {refusal}"


def test_stack_with_secrets_deploys_again(docker, tmp_path):
    """A second ``stack deploy`` updates the stack's secrets and configs (it failed with
    "page not found"); only their labels may change, as swarmkit's UpdateSecret allows."""
    (tmp_path / "password.txt").write_text("s3cret\n")
    (tmp_path / "site.conf").write_text("listen 80;\n")
    stack = compose_file(docker, f"""
services:
  web:
    image: nginx:1.27
    secrets: [password]
    configs: [site]
secrets:
  password: {{file: {tmp_path / 'password.txt'}}}
configs:
  site: {{file: {tmp_path / 'site.conf'}}}
""", tmp_path / "web.yml")
    docker("stack", "deploy", "-c", str(stack), "web")
    docker.server.step(30)
    tasks = {t.id for t in docker.server.cluster.tasks("web_web")}
    [index] = docker("secret", "inspect", "-f", "{{.Version.Index}}", "web_password")
    docker("stack", "deploy", "-c", str(stack), "web")
    [updated] = docker("secret", "inspect", "-f", "{{.Version.Index}}", "web_password")
    assert int(updated) > int(index)
    docker.server.step(30)
    assert {t.id for t in docker.server.cluster.tasks("web_web")} == tasks
    (tmp_path / "password.txt").write_text("changed\n")
    refused = docker.run("stack", "deploy", "-c", str(stack), "web", ok=False)
    assert refused.returncode == 1 and "failed to update secret web_password: Error response " \
        "from daemon: rpc error: code = InvalidArgument desc = only updates to Labels are " \
        "allowed" in refused.stderr


def test_an_update_after_a_rollback_clears_the_update_status(docker):
    """swarmkit resets UpdateStatus on every update that is not a rollback: a scale after a
    rollback printed "rollback: rollback completed" again, and inspect kept the old state."""
    step = docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "nginx:1.27")
    step(30)
    docker("service", "update", "-d", "--no-resolve-image", "--image", "nginx:1.28", "web")
    step(60)
    docker("service", "rollback", "-d", "web")
    step(60)
    assert docker("service", "inspect", "-f", "{{.UpdateStatus.State}}", "web") == \
        ["rollback_completed"]
    docker("service", "scale", "-d", "web=2")
    assert docker("service", "inspect", "-f", "{{json .UpdateStatus}}", "web") == ["null"]


def test_inspect_pretty_says_when_the_update_started_and_completed(docker):
    """``docker service inspect --pretty`` printed no ``Started:`` while an update ran and no
    ``Completed:`` once it had, and ``{{.UpdateStatus}}`` showed ``<nil> <nil>`` for the
    times: the daemon now sends swarmkit's ``StartedAt`` and ``CompletedAt``, as ages."""
    step = docker.server.step
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "nginx:1.27")
    step(30)
    docker("service", "update", "-d", "--no-resolve-image", "--image", "nginx:1.28", "web")
    pretty = docker("service", "inspect", "--pretty", "web")
    assert any(line.startswith(" Started:") for line in pretty)
    assert not any(line.startswith(" Completed:") for line in pretty)
    step(60)
    pretty = docker("service", "inspect", "--pretty", "web")
    assert [line.split(":")[0] for line in pretty if line.startswith((" Started:",
            " Completed:"))] == [" Started", " Completed"]
    assert "<nil>" not in docker("service", "inspect", "-f", "{{.UpdateStatus}}", "web")[0]


def test_a_published_port_in_use_names_the_service_and_its_id(docker):
    [first] = docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "-p",
                     "8080:80", "nginx:1.27")
    refused = docker.run("service", "create", "-d", "--no-resolve-image", "--name", "web2",
                         "-p", "8080:80", "nginx:1.27", ok=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "Error response from daemon: rpc error: code = " \
        f"InvalidArgument desc = port '8080' is already in use by service 'web' ({first}) as " \
        "an ingress port"     # swarmkit's words only: the simulator's hint stays in Python


def test_a_bad_service_name_or_image_gets_swarmkits_words(docker):
    """swarmkit's validateAnnotations and validateImage, as the daemon passes them on (the
    simulator gave the Compose reader's wording, with the reference parser's reason)."""
    def refusal(*args: str) -> str:
        refused = docker.run("service", *args, ok=False)
        assert refused.returncode == 1
        return refused.stderr.strip()

    said = "Error response from daemon: rpc error: code = InvalidArgument desc = "
    assert refusal("create", "-d", "--no-resolve-image", "--name", "a.b", "nginx") == \
        said + "name must be valid as a DNS name component"
    assert refusal("create", "-d", "--no-resolve-image", "--name", "a" * 64, "nginx") == \
        said + "name must be 63 characters or fewer"
    docker("service", "create", "-d", "--no-resolve-image", "--name", "api", "nginx:1.27")
    assert refusal("update", "-d", "--no-resolve-image", "--image", "NGINX:bad", "api") == \
        said + 'ContainerSpec: "NGINX:bad" is not a valid repository/tag'
    assert refusal("create", "-d", "--no-resolve-image", "--name", "b", "nginx::1") == \
        said + 'ContainerSpec: "nginx::1" is not a valid repository/tag'


def test_node_rm_gets_swarmkits_refusals(docker):
    """``node rm`` of an unknown node is a 404 (it was "is not down"); a manager must be
    demoted first, a ready worker needs ``--force`` (swarmkit's words, with the node ID),
    and what Docker would then do, remove it, is not simulated: a 501 that says so."""
    cluster = docker.server.cluster
    missing = docker.run("node", "rm", "nope", ok=False)
    assert missing.returncode == 1       # 20.10 prints its own words for the 404
    assert re.search("node nope not found|No such node: nope", missing.stderr)
    manager = docker.run("node", "rm", cluster.raft.managers[0], ok=False)
    assert "It must be demoted to worker before removal" in manager.stderr
    [worker_id] = docker("node", "inspect", "-f", "{{.ID}}", "worker-1")
    ready = docker.run("node", "rm", "worker-1", ok=False)
    assert f"rpc error: code = FailedPrecondition desc = node {worker_id} is not down and " \
        "can't be removed" in ready.stderr
    forced = docker.run("node", "rm", "--force", "worker-1", ok=False)
    assert "removing a node is not simulated" in forced.stderr
    assert "worker-1" in cluster.node_names()


def test_node_update_refusals_in_the_daemons_words(docker):
    """moby's convert refuses an unknown availability or role, swarmkit the demotion of the
    last manager (the simulator's own words were passed on, without the rpc code)."""
    bad = docker.run("node", "update", "--availability", "bogus", "worker-1", ok=False)
    assert bad.returncode == 1 and 'Error response from daemon: invalid Availability: "bogus"' \
        in bad.stderr
    manager = docker.server.cluster.raft.managers[0]
    last = docker.run("node", "demote", manager, ok=False)
    assert "rpc error: code = FailedPrecondition desc = attempting to demote the last manager " \
        "of the swarm" in last.stderr
    assert docker("node", "update", "--availability", "DRAIN", "worker-1") == ["worker-1"]
    assert docker.server.cluster.node_record("worker-1").availability == "drain"


def test_updates_take_new_versions_from_one_index(docker):
    """Every object's Version.Index is the swarm's raft index of its last change, one index
    for the whole cluster (swarmkit ``manager/state/store/memory.go``): a node's stayed 1
    through ``docker node update``, and each service counted its own versions from 1. The
    CLI reads the version before each update, so updates in a row all succeed."""
    def index(kind: str, name: str) -> int:
        return int(docker(kind, "inspect", "-f", "{{.Version.Index}}", name)[0])

    first = index("node", "worker-1")
    docker("node", "update", "--availability", "drain", "worker-1")
    docker("node", "update", "--label-add", "disk=ssd", "worker-1")
    assert index("node", "worker-1") > first + 1
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "nginx:1.27")
    docker("service", "create", "-d", "--no-resolve-image", "--name", "api", "nginx:1.27")
    assert index("node", "worker-1") < index("service", "web") < index("service", "api")
    created = index("service", "web")
    assert docker("service", "scale", "-d", "web=3") == ["web scaled to 3"]
    docker("service", "update", "-d", "--no-resolve-image", "--label-add", "team=x", "web")
    assert index("service", "web") > index("service", "api") > created


def test_a_stack_deployed_again_gets_new_services_without_the_old_tasks(docker):
    """``docker stack rm`` then ``deploy`` creates new services: swarmkit gives each a new ID
    (``identity.NewID()``), and ``docker service ps`` lists the tasks of that ID only, so
    the removed service's tasks, shutting down or not yet reaped, are not its history."""
    docker("stack", "deploy", "-c", str(SHOP), "shop")
    docker.server.step(60)
    (old_id,) = docker("service", "inspect", "-f", "{{.ID}}", "shop_db")
    docker("stack", "rm", "shop")
    docker.server.step(2)                    # the old tasks are still shutting down
    docker("stack", "deploy", "-c", str(SHOP), "shop")
    docker.server.step(60)
    (new_id,) = docker("service", "inspect", "-f", "{{.ID}}", "shop_db")
    assert new_id != old_id
    rows = docker("service", "ps", "--format", "{{.ID}} {{.Name}}", "--no-trunc", "shop_db")
    current = {t.id for t in docker.server.cluster.tasks("shop_db", history=True)
               if t.id in {row.split()[0] for row in rows}}
    assert len(rows) == len(current) == docker.server.cluster.services["shop_db"].spec.replicas
    assert docker("service", "ls", "-q", "--filter", f"id={new_id}") == [new_id[:12]]
    gone = docker.run("service", "inspect", old_id, ok=False)
    assert gone.returncode == 1 and old_id in gone.stderr


def test_service_ps_shows_a_task_its_nodes_executor_rejects_for_a_mount(docker):
    """``docker service create --mount type=volume,target=relative`` is created (swarmkit
    checks no mount's paths) and each task is rejected by the node's executor (moby's
    ``validateMounts``), which ``docker service ps`` shows with the error; the simulator ran
    the tasks."""
    docker("service", "create", "-d", "--name", "web", "--mount", "type=volume,target=relative",
           "nginx:1.27")
    docker.server.step(20)
    shown = docker("service", "ps", "--no-trunc", "--format",
                   "{{.DesiredState}}|{{.CurrentState}}|{{.Error}}", "web")
    assert len(shown) >= 2
    assert {line.split("|")[1].split()[0] for line in shown[1:]} == {"Rejected"}
    assert {line.split("|")[2] for line in shown[1:]} == {
        '"invalid mount target, must be an absolute path: relative"'}


def test_service_ps_shows_a_task_whose_bind_source_its_node_lacks(docker):
    """``--mount type=bind,source=/srv/data`` on nodes without that path: each task is
    rejected when the node's daemon creates the container (moby's ``ValidateMountConfig``),
    in its words; a source every node has (``/tmp``) runs. The simulator ran both."""
    docker("service", "create", "-d", "--name", "data", "--mount",
           "type=bind,source=/srv/data,target=/data", "nginx:1.27")
    docker("service", "create", "-d", "--name", "scratch", "--mount",
           "type=bind,source=/tmp,target=/data", "nginx:1.27")
    docker.server.step(20)
    shown = docker("service", "ps", "--no-trunc", "--format",
                   "{{.CurrentState}}|{{.Error}}", "data")
    assert len(shown) >= 2
    assert {line.split("|")[0].split()[0] for line in shown[1:]} == {"Rejected"}
    assert {line.split("|")[1] for line in shown[1:]} == {
        '"invalid mount config for type "bind": bind source path does not exist: /srv/data"'}
    assert [line.split()[0] for line in docker("service", "ps", "--format",
                                               "{{.CurrentState}}", "scratch")] == ["Running"]


def test_an_update_to_containers_that_exit_rolls_back(docker):
    """The engineer's report: no service update could fail through the API, so
    ``--update-failure-action rollback`` could not be tried. The simulator's container labels
    ``clustersim.io/run-seconds`` and ``clustersim.io/exit-code`` (the Kubernetes
    annotations' names) make the new tasks exit; swarmkit's updater sees a task end within
    ``monitor`` and rolls back."""
    docker("service", "create", "-d", "--name", "web", "--replicas", "2",
           "--update-failure-action", "rollback", "nginx:1.25")
    docker.server.step(30)
    docker("service", "update", "-d", "--image", "nginx:1.26",
           "--container-label-add", "clustersim.io/exit-code=3",
           "--container-label-add", "clustersim.io/run-seconds=1", "web")
    docker.server.step(120)
    [shown] = json.loads(docker.run("service", "inspect", "web").stdout)
    assert shown["UpdateStatus"]["State"] == "rollback_completed"
    assert shown["Spec"]["TaskTemplate"]["ContainerSpec"]["Image"] == "nginx:1.25"
    errors = docker("service", "ps", "--no-trunc", "--format", "{{.Image}} {{.Error}}", "web")
    assert 'nginx:1.26 "task: non-zero exit (3)"' in errors
    refused = docker.run("service", "update", "-d", "--container-label-add",
                         "clustersim.io/exit-code=x", "web", ok=False)
    assert "container label clustersim.io/exit-code: must be the containers' exit code" \
        in refused.stderr


def test_a_health_command_that_fails_makes_the_task_unhealthy_and_restarts_it(docker):
    """Regression test: ``--health-cmd false`` ran on. The CLI sends ``CMD-SHELL false``;
    after ``--health-retries`` failed probes the executor stops the container and the
    orchestrator starts another task (moby ``daemon/cluster/executor/container/
    controller.go``, ``ErrContainerUnhealthy``)."""
    docker("service", "create", "-d", "--name", "sick", "--health-cmd", "false",
           "--health-interval", "2s", "--health-retries", "2", "nginx:1.27")
    docker.server.step(30)
    shown = docker("service", "ps", "--no-trunc", "--format", "{{.CurrentState}}|{{.Error}}",
                   "sick")
    failed = [line for line in shown if line.startswith("Failed")]
    assert len(shown) >= 3 and failed
    assert {line.split("|")[1] for line in failed} == {
        '"task: non-zero exit (137): dockerexec: unhealthy container"'}


def test_init_after_leaving_makes_a_new_swarm(docker):
    """Regression test: ``docker swarm init`` after ``docker swarm leave --force`` answered
    501. moby's ``Init`` (``daemon/cluster/swarm.go``) starts a node with no state: a new
    swarm with new IDs, this node its one manager, none of the old services, secrets or
    labels, a new ingress network; services can be created in it."""
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "nginx:1.27")
    docker("node", "update", "--label-add", "disk=ssd", "manager-1")
    docker.server.step(20)
    old_swarm = docker("info", "--format", "{{.Swarm.Cluster.ID}}")
    old_node = docker("info", "--format", "{{.Swarm.NodeID}}")
    old_ingress = docker("network", "inspect", "ingress", "--format", "{{.Id}}")
    bridge = docker("network", "inspect", "bridge", "--format", "{{.Id}}")
    old_service = docker("service", "inspect", "web", "--format", "{{.ID}}")
    assert docker.run("swarm", "leave", "--force").stdout.strip() == "Node left the swarm."
    made = docker.run("swarm", "init", "--advertise-addr", "127.0.0.1")
    assert "Swarm initialized: current node" in made.stdout
    assert docker("info", "--format", "{{.Swarm.LocalNodeState}}") == ["active"]
    assert docker("info", "--format", "{{.Swarm.Cluster.ID}}") != old_swarm
    [node] = docker("node", "ls", "--format", "{{.ID}} {{.Hostname}} {{.ManagerStatus}}")
    assert node.split()[1:] == ["manager-1", "Leader"] and [node.split()[0]] != old_node
    assert docker("node", "inspect", "self", "--format", "{{.Spec.Labels}}") == ["map[]"]
    assert docker("service", "ls", "-q") == []
    assert docker.server.cluster.node_names() == ["manager-1"]     # the server's simulator
    assert docker("network", "inspect", "ingress", "--format", "{{.Id}}") != old_ingress
    assert docker("network", "inspect", "bridge", "--format", "{{.Id}}") == bridge
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "nginx:1.27")
    docker.server.step(20)
    assert docker("service", "inspect", "web", "--format", "{{.ID}}") != old_service
    assert docker("service", "ps", "web", "--format", "{{.CurrentState}}")[0].startswith(
        "Running")
    again = docker.run("swarm", "init", ok=False)
    assert "This node is already part of a swarm" in again.stderr


def test_slots_whose_tasks_ended_for_good_count_until_an_update_revives_them(docker):
    """swarmkit's ``UpdatableTasksInSlot`` (``manager/orchestrator/restart/restart.go``): a
    slot whose task exited under ``--restart-condition none`` still counts as a replica, so
    ``service scale`` adds only the new slot; a spec update gives every such slot a task of
    the new spec."""
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--replicas", "2",
           "--restart-condition", "none", "--container-label", "clustersim.io/run-seconds=5",
           "--container-label", "clustersim.io/exit-code=0", "nginx:1.27")
    docker.server.step(30)

    def running() -> list[str]:
        return sorted(docker("service", "ps", "--format", "{{.Name}} {{.Image}}",
                             "--filter", "desired-state=running", "web"))

    assert running() == []
    docker("service", "scale", "-d", "web=3")
    docker.server.step(2)
    assert running() == ["web.3 nginx:1.27"]
    docker.server.step(30)
    docker("service", "update", "-d", "--no-resolve-image", "--image", "nginx:1.28",
           "--container-label-rm", "clustersim.io/run-seconds",
           "--container-label-rm", "clustersim.io/exit-code", "web")
    docker.server.step(120)
    assert running() == ["web.1 nginx:1.28", "web.2 nginx:1.28", "web.3 nginx:1.28"]


def test_a_task_lists_its_networks_with_its_own_address(docker):
    """swarmkit's allocator attaches a task to ``ingress`` when its service publishes through
    the routing mesh, then to each of its service's networks, each with an address of its own
    from the pool the service's virtual IPs come from (``network.go``,
    ``taskCreateNetworkAttachments``; ``cnmallocator``, ``allocateNetworkIPs``), so no two
    are alike; a task that ends gives its address back. A task had shown
    ``NetworksAttachments: null``."""
    docker("network", "create", "-d", "overlay", "backend")
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--network",
           "backend", "-p", "8080:80", "--replicas", "2", "nginx:1")
    docker.server.step(30)
    [line] = docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
                    "backend")
    backend = ipaddress.ip_network(line)
    [vips] = docker("service", "inspect", "-f", "{{range .Endpoint.VirtualIPs}}"
                    "{{.Addr}} {{end}}", "web")
    taken = [ipaddress.ip_interface(a) for a in vips.split()]
    tasks = docker("service", "ps", "-q", "--no-trunc", "web")
    for task in tasks:
        [shown] = docker("inspect", "-f", "{{range .NetworksAttachments}}{{.Network.Spec.Name}}"
                         "={{range .Addresses}}{{.}}{{end}} {{end}}", task)
        names = [pair.partition("=")[0] for pair in shown.split()]
        assert names == ["ingress", "backend"]
        addresses = [ipaddress.ip_interface(pair.partition("=")[2]) for pair in shown.split()]
        assert addresses[1].network == backend
        taken += addresses
    assert len(set(taken)) == len(taken) == 2 + 2 * len(tasks)


def test_an_ended_task_gives_its_address_back(docker):
    """The allocator frees a task's address when the task ends (``network.go``,
    ``doTaskAlloc``: ``DeallocateTask``), and hands addresses out serially, so once the subnet
    is full the next task takes the freed one (it got none while the freed one was held). A /29 has
    five addresses after its gateway: the virtual IP and four tasks fill it."""
    docker("network", "create", "-d", "overlay", "--subnet", "10.9.0.0/29", "small")
    docker("service", "create", "-d", "--no-resolve-image", "--name", "web", "--network",
           "small", "--replicas", "4", "nginx:1")
    docker.server.step(30)

    def addresses(*filters: str) -> dict[str, str]:
        tasks = docker("service", "ps", "-q", "--no-trunc", *filters, "web")
        return {task: docker("inspect", "-f", "{{range .NetworksAttachments}}"
                             "{{range .Addresses}}{{.}}{{end}}{{end}}", task)[0]
                for task in tasks}

    first = addresses()
    [vip] = docker("service", "inspect", "-f", "{{range .Endpoint.VirtualIPs}}{{.Addr}}{{end}}",
                   "web")
    assert sorted([vip, *first.values()]) == [f"10.9.0.{n}/29" for n in range(2, 7)]
    docker("service", "scale", "-d", "web=3")
    docker.server.step(30)
    docker("service", "scale", "-d", "web=4")
    docker.server.step(30)
    now = addresses("-f", "desired-state=running")
    [ended] = set(first) - set(now)
    [new] = set(now) - set(first)
    assert now[new] == first[ended]
