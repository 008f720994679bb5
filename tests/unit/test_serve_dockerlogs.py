"""The logs of swarm services and tasks (``clustersim.serve.dockerlogs``), through Docker's
Python SDK and plain HTTP: the follow stream, the options and the daemon's refusals. The
docker CLI's ``service logs -f`` is in test_serve_docker_cli.py."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import docker
import pytest
import requests
from docker.types import ServiceMode

from clustersim.serve import serve


@pytest.fixture
def swarm():
    """A served swarm with its simulated second 0 at a fixed Unix time (the ``since`` test
    compares Unix times), and Docker's SDK on it."""
    with serve("swarm", nodes=3, speed=0, epoch=1_765_000_000.25) as server:
        client = docker.DockerClient(base_url=server.docker_host, version="auto", timeout=10)
        try:
            yield server, client
        finally:
            client.close()


def _web(server, client, replicas: int = 1, **options):
    service = client.services.create("nginx:1.27", name="web",
                                     mode=ServiceMode("replicated", replicas=replicas),
                                     **options)
    server.step(30)
    return service


def _line(server, task, *, details: bool = False, timestamps: bool = False) -> str:
    """The line ``task`` wrote, as the daemon writes it with these options."""
    line = f"task {task.name}.{task.id[:12]} on {task.node}: started nginx:1.27 " \
           "(simulated log line)\n"
    if details:
        line = f"{_context(server, task)} {line}"
    if timestamps:
        line = server.backend._stamp(task.started) + " " + line
    return line


def _context(server, task) -> str:
    node_id = requests.get(f"{server.url}/v1.44/nodes/{task.node}", timeout=10).json()["ID"]
    return (f"com.docker.swarm.node.id={node_id},com.docker.swarm.service.id="
            f"{task.service_id},com.docker.swarm.task.id={task.id}")


def _next(frames: Iterator[bytes], timeout: float = 20) -> str:
    """The next line of a followed log, or a failure after ``timeout`` seconds (the SDK
    reads a stream without a timeout, and a line that never comes must not hang the run)."""
    got: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=lambda: got.put(next(frames, b"")), daemon=True).start()
    try:
        return got.get(timeout=timeout).decode()
    except queue.Empty:
        pytest.fail(f"no line within {timeout} s")


def _logs(server, key: str, kind: str = "services", version: str = "1.44", **params):
    return requests.get(f"{server.url}/v{version}/{kind}/{key}/logs",
                        params={"stdout": "1", **params}, timeout=10)


def test_a_followed_log_stays_open_and_sends_each_new_tasks_line(swarm):
    """``follow`` ended with the lines there were; the daemon keeps the stream open and
    sends each task's line as the task starts, after a scale as simulated time moves."""
    server, client = swarm
    service = _web(server, client)
    [first] = server.cluster.tasks("web")
    frames = client.api.service_logs(service.id, follow=True, stdout=True, details=True,
                                     timestamps=True)
    assert _next(frames) == _line(server, first, details=True, timestamps=True)
    service.scale(2)
    server.step(30)
    [second] = [t for t in server.cluster.tasks("web") if t.id != first.id]
    assert _next(frames) == _line(server, second, details=True, timestamps=True)
    frames.close()


def test_a_followed_tail_of_zero_sends_only_new_lines(swarm):
    """``--tail 0 -f``: none of the lines there are, then every new one."""
    server, client = swarm
    service = _web(server, client)
    before = {t.id for t in server.cluster.tasks("web")}
    frames = client.api.service_logs(service.id, follow=True, stdout=True, tail=0)
    service.scale(2)
    server.step(30)
    [new] = [t for t in server.cluster.tasks("web") if t.id not in before]
    assert _next(frames) == _line(server, new)
    frames.close()


def test_since_tail_and_a_task_log(swarm):
    """``since`` is the Unix time the CLI sends (``seconds.nanoseconds``): a line written
    before it is left out, one written at it is sent; ``tail`` counts each task's lines."""
    server, client = swarm
    _web(server, client).scale(2)
    server.step(30)
    tasks = sorted(server.cluster.tasks("web"), key=lambda t: t.started)
    assert tasks[0].started < tasks[1].started
    started = server.backend.clock.instant(tasks[1].started)
    at = f"{int(started.timestamp())}.{started.microsecond:06d}"     # 6 digits: scaled
    assert _logs(server, "web", since=at).content[8:].decode() == _line(server, tasks[1])
    later = f"{int(started.timestamp())}.{started.microsecond + 1:06d}000"
    assert _logs(server, "web", since=later).content == b""
    assert len(_logs(server, "web", tail="1").content.splitlines()) == 2
    assert _logs(server, "web", tail="0").content == b""
    task = tasks[0]
    assert _logs(server, task.id, "tasks").content[8:].decode() == _line(server, task)


def test_an_ended_tasks_line_stays_until_the_reaper_deletes_the_task(swarm):
    """A task that ran keeps its node's container, and so its log, until it is deleted
    (it stays assigned to the node until then): after an update the replaced task's line is
    still there; the log had shown the running tasks only. A task the reaper deletes (that
    of a slot a scale-down removes) takes its line with it."""
    server, client = swarm
    service = _web(server, client, replicas=2)
    old = {t.id: t for t in server.cluster.tasks("web")}
    service.update(image="nginx:1.28")
    server.step(120)
    held = [t for t in server.cluster.tasks("web", history=True) if t.started is not None]
    assert set(old) < {t.id for t in held}
    shown = {line.split(" ")[1] for line in
             _logs(server, "web").content.decode("latin-1").splitlines()}
    assert shown == {f"{t.name}.{t.id[:12]}" for t in held}
    service.reload()
    service.scale(1)
    server.step(60)
    before, held = held, [t for t in server.cluster.tasks("web", history=True)
                          if t.started is not None]
    assert {t.id for t in held} < {t.id for t in before}
    shown = {line.split(" ")[1] for line in
             _logs(server, "web").content.decode("latin-1").splitlines()}
    assert shown == {f"{t.name}.{t.id[:12]}" for t in held}


def test_a_down_nodes_lines_come_to_a_follow_once_it_is_back(swarm):
    """A log that does not follow ends with the broker's warning on stdcopy's system-error
    stream (3); a followed one has no end to warn at, and gets the down node's lines when
    the node is back."""
    server, client = swarm
    service = _web(server, client, replicas=2)
    lost = sorted(server.cluster.tasks("web"), key=lambda t: t.name)[0]
    with server.lock:
        server.cluster.fail_node(lost.node)
    server.step(30)
    body = _logs(server, "web").content
    frames = []
    while body:
        size = int.from_bytes(body[4:8], "big")
        frames.append((body[0], body[8:8 + size].decode()))
        body = body[8 + size:]
    assert [kind for kind, _ in frames] == [1] * (len(frames) - 1) + [3]
    assert frames[-1][1].endswith(" is not available\n")
    assert all(lost.id[:12] not in text for _, text in frames)
    lines = client.api.service_logs(service.id, follow=True, stdout=True, tail=0)
    with server.lock:
        server.cluster.recover_node(lost.node)
    server.step(30)
    assert _next(lines) == _line(server, lost)
    lines.close()


def test_a_task_not_yet_scheduled_has_no_log_to_give(swarm):
    """``docker service logs TASK`` of a pending task: the broker's warning that it has not
    been scheduled; the service's own log leaves a task that has not run out silently."""
    server, client = swarm
    _web(server, client, constraints=["node.labels.disk==nvme"])
    [task] = server.cluster.tasks("web")
    assert task.node is None
    body = _logs(server, task.id, "tasks").content
    assert (body[0], body[8:].decode()) == (3, (
        "Error grabbing logs: rpc error: code = Unknown desc = warning: incomplete log "
        "stream. some logs could not be retrieved for the following reasons: task "
        f"{task.id} has not been scheduled\n"))
    assert _logs(server, "web").content == b""


def test_a_tty_service_is_sent_raw_and_old_clients_get_the_raw_media_type(swarm):
    """As ``swarmLogs`` answers: a service with a TTY gets its output as it is, without
    stdcopy's headers; the multiplexed media type came with API 1.42."""
    server, client = swarm
    _web(server, client, tty=True)
    [task] = server.cluster.tasks("web")
    raw = _logs(server, "web")
    assert raw.headers["Content-Type"] == "application/vnd.docker.raw-stream"
    assert raw.content.decode() == _line(server, task)
    client.services.get("web").remove()
    _web(server, client)
    [task] = server.cluster.tasks("web")
    for version, media in (("1.44", "multiplexed-stream"), ("1.41", "raw-stream")):
        answer = _logs(server, "web", version=version)
        assert answer.headers["Content-Type"] == f"application/vnd.docker.{media}"
        assert answer.content[:8] == b"\x01\x00\x00\x00" + len(answer.content[8:]).to_bytes(
            4, "big")


def test_boolean_options_are_read_as_the_daemon_reads_them(swarm):
    """moby's ``BoolValue``: anything but empty, 0, no, false or none is true, in any case;
    ``stdout=yes`` had been refused as no stream at all, ``timestamps=TRUE`` ignored."""
    server, client = swarm
    _web(server, client)
    [task] = server.cluster.tasks("web")
    answer = _logs(server, "web", stdout="yes", timestamps=" TRUE ", details="no")
    assert answer.content[8:].decode() == _line(server, task, timestamps=True)
    assert _logs(server, "web", stdout="None", stderr="0").status_code == 500


@pytest.mark.parametrize(("params", "message"), [
    ({"stdout": "0"}, "Bad parameters: you must choose at least one stream"),
    ({"tail": "x"}, 'tail value must be a positive integer or "all"'),
    ({"tail": "-1"}, "negative tail values not supported"),
    ({"since": "abc"}, 'could not parse since timestamp: strconv.ParseInt: parsing "abc": '
                       "invalid syntax"),
    ({"since": "1.x"}, 'could not parse since timestamp: strconv.ParseInt: parsing "x": '
                       "invalid syntax"),
])
def test_bad_options_get_the_daemons_words(swarm, params, message):
    server, client = swarm
    _web(server, client)
    answer = _logs(server, "web", **params)
    assert (answer.status_code, answer.json()["message"]) == (500, message)


def test_an_unknown_service_or_task_is_a_404(swarm):
    server, _ = swarm
    assert _logs(server, "nope").json()["message"] == "service nope not found"
    assert _logs(server, "nope", "tasks").json()["message"] == "task nope not found"
