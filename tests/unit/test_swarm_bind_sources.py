"""A Swarm task's bind mount whose source its node does not have: moby's daemon refuses the
container when the executor creates it (``ValidateMountConfig``, ``daemon/volume/mounts/
linux_parser.go``; the words in ``validate.go``), so the task is REJECTED at ``preparing``
and the orchestrator makes new ones until one lands on a node that has the path. Which paths
a node has is :mod:`clustersim.hostpaths` (the defaults, and ``Node(host_paths=...)``)."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.hostpaths import DEFAULT_HOST_PATHS, exists
from clustersim.swarm import SwarmCluster
from clustersim.swarm.spec import bind_source

MISSING = 'invalid mount config for type "bind": bind source path does not exist: {}'


def swarm(**paths: list[str]) -> SwarmCluster:
    """A manager and three workers; ``paths`` declares a worker's own paths by name."""
    return SwarmCluster([Node("manager-1", 4, "8Gi", role="manager"),
                         *[Node(f"worker-{i}", 4, "8Gi", host_paths=paths.get(f"worker_{i}"))
                           for i in (1, 2, 3)]], seed=0)


def bind(source: str) -> dict:
    return {"services": {"app": {"image": "nginx:1.27", "volumes": [
        {"type": "bind", "source": source, "target": "/data"}]}}}


@pytest.mark.parametrize(("path", "found"), [
    ("/var/run/docker.sock", True),
    ("/var/run", True),                 # a directory above a path the node has
    ("/", True),
    ("/var/lib/docker/", True),         # compared as Go's path.Clean writes it
    ("//tmp/../var/lib/docker", True),
    ("/etc", True),
    ("/etc/passwd", False),             # nothing below a path is taken to exist
    ("/var/lib/docker/volumes", False),
    ("/srv/data", False),
    ("/tm", False),                     # a prefix of a name is no directory above it
    ("/var/log", True),                 # FHS 3.0's required directories
    ("/run", True),
    ("/dev", True),
    ("/srv/", True),
    ("/etc/localtime", False),          # a host may lack it (localtime(5))
    ("/root", False),                   # optional in FHS 3.0
])
def test_which_paths_a_node_has(path: str, found: bool) -> None:
    assert exists(DEFAULT_HOST_PATHS, path) is found


def test_a_node_declares_its_own_paths_besides_the_defaults() -> None:
    node = Node("w", 1, "1Gi", host_paths=["/srv/data/", "/opt//app"])
    assert set(node.host_paths) == {*DEFAULT_HOST_PATHS, "/srv/data", "/opt/app"}
    assert node.copy(labels={"a": "b"}).host_paths == node.host_paths


@pytest.mark.parametrize(("paths", "words"), [
    (["data"], "host_paths entry 'data' must be an absolute path"),
    ([3], "host_paths entry 3 must be an absolute path"),
    ("/srv/data", "host_paths must be a list of paths, such as ['/srv/data']"),
])
def test_a_path_that_is_no_absolute_path_is_refused(paths, words: str) -> None:
    with pytest.raises(ValueError, match=r"^Node 'w': ") as refused:
        Node("w", 1, "1Gi", host_paths=paths)
    assert words in str(refused.value)


def test_a_missing_bind_source_rejects_the_task_at_preparing_and_swarm_tries_again() -> None:
    """No node has ``/srv/data``: every task is rejected with the daemon's words, and the
    orchestrator keeps making new ones (the simulator ran them all)."""
    cluster = swarm()
    cluster.deploy_stack("s", bind("/srv/data"))
    cluster.run(until=60)
    tasks = cluster.tasks("s_app", history=True)
    assert len(tasks) >= 3 and not [t for t in tasks if t.state == "running"]
    assert {(t.state.value, t.message, t.err) for t in tasks if t.state.terminal} == {
        ("REJECTED", "preparing", MISSING.format("/srv/data"))}


def test_the_task_runs_on_the_one_node_that_has_the_path() -> None:
    """Only worker-2 has ``/srv/data``: the tasks rejected elsewhere are replaced until one
    runs there."""
    cluster = swarm(worker_2=["/srv/data"])
    cluster.deploy_stack("s", bind("/srv/data"))
    cluster.run(until=120)
    tasks = cluster.tasks("s_app", history=True)
    assert [t.node for t in tasks if t.state == "running"] == ["worker-2"]
    assert {t.node for t in tasks if t.state == "rejected"} <= {"manager-1", "worker-1",
                                                                "worker-3"}


def test_a_default_path_and_a_directory_above_a_declared_one_run_everywhere() -> None:
    cluster = swarm()
    cluster.deploy_stack("s", bind("/var/run/docker.sock"))
    cluster.run(until=30)
    assert [t.state.value for t in cluster.tasks("s_app", history=True)] == ["RUNNING"]


@pytest.mark.parametrize(("source", "sent"), [
    ("./prometheus/", "/prometheus"),    # filepath.Join cleans what it joins
    ("conf/../data", "/data"),
    ("/var/lib/docker/", "/var/lib/docker/"),   # an absolute source is kept as written
    ("~/configs", "/root/configs"),      # expandUser: the CLI user's HOME for the first ~
    ("~", "/root"),
    ("~bob/data/", "/rootbob/data/"),    # no ~user: docker/cli replaces the ~ alone
])
def test_a_relative_bind_source_is_joined_to_the_stack_directory(source: str,
                                                                 sent: str) -> None:
    assert bind_source(source) == sent


def test_the_daemon_checks_the_mounts_before_it_looks_the_image_up() -> None:
    """Regression test: a task whose bind source is missing *and* whose image no registry
    serves was rejected "No such image". moby's ``containerCreate`` (``daemon/create.go``)
    runs ``verifyContainerSettings`` (the mounts among them) before ``GetImage``."""
    cluster = swarm()
    cluster.deploy_stack("s", {"services": {"app": {
        "image": "nonexistent.invalid/web:1",
        "volumes": [{"type": "bind", "source": "/srv/data", "target": "/data"}]}}})
    cluster.run(until=30)
    assert {t.err for t in cluster.tasks("s_app", history=True) if t.state.terminal} == {
        MISSING.format("/srv/data")}


@pytest.mark.parametrize(("volume", "kind"), [
    ({"type": "volume", "source": "data", "target": "/"}, "volume"),
    ({"type": "bind", "source": "/srv/data", "target": "/data/.."}, "bind"),  # cleaned: "/"
])
def test_a_mount_at_the_containers_root_is_refused_before_its_source_is_looked_at(
        volume: dict, kind: str) -> None:
    """``validateMountTarget`` (``daemon/volume/mounts/linux_parser.go``) refuses a target
    that cleans to ``/`` before anything else of the mount: ``ErrVolumeTargetIsRoot``."""
    cluster = swarm()
    cluster.deploy_stack("s", {"services": {"app": {"image": "nginx:1.27",
                                                    "volumes": [volume]}},
                               "volumes": {"data": None}})
    cluster.run(until=30)
    tasks = cluster.tasks("s_app", history=True)
    assert tasks and not [t for t in tasks if t.state == "running"]
    assert {(t.message, t.err) for t in tasks if t.state.terminal} == {(
        "preparing",
        f"invalid mount config for type \"{kind}\": invalid specification: destination "
        "can't be '/'")}


@pytest.mark.parametrize(("source", "reason"), [
    ("/tmp/a\x00b", "invalid argument"),                 # no system call takes a NUL
    ("/tmp/" + "a/" * 2046, "file name too long"),       # 4,097 bytes: PATH_MAX is 4,096
    ("/" + "é" * 2048, "file name too long"),            # 4,097 bytes of UTF-8
])
def test_a_source_os_stat_cannot_look_up_is_refused_in_its_words(source: str,
                                                                  reason: str) -> None:
    """``ValidateMountConfig`` returns ``os.Stat``'s own error for anything but a missing
    file (``defaultFileInfoProvider.fileInfo``): a NUL byte is Go's EINVAL, a path of
    ``PATH_MAX`` bytes or more the kernel's ENAMETOOLONG. Both were "does not exist"."""
    cluster = swarm()
    cluster.deploy_stack("s", bind(source))
    cluster.run(until=30)
    tasks = cluster.tasks("s_app", history=True)
    assert {t.err for t in tasks if t.state.terminal} == {
        f'invalid mount config for type "bind": stat {source}: {reason}'}


def test_a_source_one_byte_under_path_max_is_looked_up() -> None:
    """4,095 bytes and its NUL fit PATH_MAX: the node looks, and has no such path."""
    source = "/tmp/" + "a/" * 2045
    assert len(source.encode()) == 4095
    cluster = swarm()
    cluster.deploy_stack("s", bind(source))
    cluster.run(until=30)
    assert {t.err for t in cluster.tasks("s_app", history=True) if t.state.terminal} == {
        MISSING.format(source)}


def test_a_bind_source_under_home_runs_on_the_node_that_has_it() -> None:
    """``~/minecraft_data`` (docker awesome-compose's minecraft stack) is the CLI user's
    home directory, which only worker-3 has: it had been sent as ``/~/minecraft_data``,
    which no node can have."""
    cluster = swarm(worker_3=["/root/minecraft_data"])
    cluster.deploy_stack("s", bind("~/minecraft_data"))
    cluster.run(until=120)
    tasks = cluster.tasks("s_app", history=True)
    assert [t.node for t in tasks if t.state == "running"] == ["worker-3"]
    assert {t.err for t in tasks if t.state.terminal} <= {MISSING.format("/root/minecraft_data")}
