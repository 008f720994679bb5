"""The shared server: loopback only, clean stop, the clock, hostile requests, the CLI."""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import redirect_stdout
from pathlib import Path
from types import SimpleNamespace

import pytest

from clustersim.serve import core, launch, serve
from clustersim.serve.kubelists import MIN_REQUEST_TIMEOUT, WATCH_LIMIT
from clustersim.serve.launch import main


def _request(server, method: str, path: str, body: bytes = b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def test_binds_loopback_and_releases_port_and_threads():
    before = {t.ident for t in threading.enumerate()}
    server = serve("kubernetes", speed=0).start()
    host, port = server._httpd.server_address
    assert host == "127.0.0.1"
    assert _request(server, "GET", "/version")[0] == 200
    server.stop()
    assert not server.running
    assert {t.ident for t in threading.enumerate()} <= before
    with socket.socket() as sock:          # the port is free again
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))


def test_stop_ends_a_kept_alive_connection_and_waits_for_its_thread():
    """``stop`` had joined only the serving thread: socketserver joins no daemon request
    thread (``_Threads.append`` skips them), so a connection's thread could outlive its
    server, and ``test_binds_loopback_and_releases_port_and_threads`` failed under load when
    its request's thread had not yet read its client's hang-up. As Go's
    ``http.Server.Shutdown`` does (net/http ``server.go``), ``stop`` now ends each idle
    keep-alive connection (the Marathon client keeps its connections open) and waits for
    every connection's thread, so none is left."""
    before = set(threading.enumerate())
    server = serve("marathon", nodes=1, speed=0).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/ping")
    assert conn.getresponse().read() == b"pong"   # the connection stays open, idle
    server.stop()
    assert set(threading.enumerate()) <= before
    conn.request("GET", "/ping")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        conn.getresponse()
    conn.close()


def test_context_manager_stops_even_on_error():
    with pytest.raises(RuntimeError), serve("kubernetes", speed=0) as server:
        raise RuntimeError("boom")
    assert not server.running


def test_step_moves_simulated_time_and_speed_zero_freezes_it():
    with serve("kubernetes", speed=0) as server:
        _request(server, "GET", "/api")
        assert server.cluster.now == 0
        assert server.step(12.5) == 12.5
        assert server.cluster.now == 12.5
        with pytest.raises(ValueError, match="seconds"):
            server.step(-1)


def test_speed_follows_the_wall_clock():
    with serve("kubernetes", speed=1000) as server:
        threading.Event().wait(0.05)
        _request(server, "GET", "/api")
        assert server.cluster.now >= 40     # 0.05 s × 1000, allowing for slack


def test_body_limit_bad_json_wrong_type_and_unknown_path_get_status_objects():
    with serve("kubernetes", speed=0) as server:
        assert server.max_body == 3 * 1024 * 1024
        # a small limit, so that the refused body fits in the socket buffers (the server
        # answers without reading it, and a multi-megabyte upload would see a broken pipe)
        server.max_body = 1024
        path = "/api/v1/namespaces/default/pods"
        status, data = _request(server, "POST", path, b"x" * (server.max_body + 1),
                                {"Content-Type": "application/json"})
        refused = json.loads(data)
        assert (status, refused["reason"]) == (413, "RequestEntityTooLarge")
        # limitedReadBody's NewRequestEntityTooLargeError (k8s.io/apiserver handlers/rest.go)
        assert refused["message"] == "Request entity too large: limit is 1024"
        status, data = _request(server, "POST", path, b"{not json",
                                {"Content-Type": "application/json"})
        assert (status, json.loads(data)["kind"]) == (400, "Status")
        status, data = _request(server, "POST", path, b"<pod/>",
                                {"Content-Type": "application/xml"})
        assert (status, json.loads(data)["reason"]) == (415, "UnsupportedMediaType")
        status, data = _request(server, "GET", "/no/such/thing")
        assert (status, json.loads(data)["reason"]) == (404, "NotFound")
        status, data = _request(server, "GET", "/apis/apps/v1/namespaces/default/gizmos")
        assert status == 404 and json.loads(data)["code"] == 404
        status, data = _request(server, "DELETE", "/api/v1/events/x")
        assert status in (404, 405) and json.loads(data)["kind"] == "Status"
        # the simulator is still consistent and answering
        assert _request(server, "GET", "/api/v1/nodes")[0] == 200
        assert server.cluster.objects("Pod") == []


def test_many_concurrent_clients_see_one_consistent_cluster():
    with serve("kubernetes", speed=0) as server:
        results: list[int] = []

        def client():
            for _ in range(5):
                with urllib.request.urlopen(f"{server.url}/api/v1/nodes", timeout=10) as r:
                    results.append(len(json.load(r)["items"]))

        threads = [threading.Thread(target=client) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [4] * 80


def test_a_watch_left_open_ends_when_the_server_stops():
    server = serve("kubernetes", speed=0).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/api/v1/namespaces/default/pods?watch=true")
    response = conn.getresponse()
    assert response.status == 200
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(timeout=10)
    assert not stopper.is_alive() and not server.running
    conn.close()


def test_cli_serves_until_stopped_and_prints_how_to_connect():
    ready, stop = threading.Event(), threading.Event()
    out = io.StringIO()
    result: list[int] = []

    def run():
        with redirect_stdout(out):
            result.append(main(["kubernetes", "--nodes", "2", "--speed", "0"], ready=ready,
                               stop=stop))

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(10)
    text = out.getvalue()
    assert "export KUBECONFIG=" in text and "http://127.0.0.1:" in text
    # a shell user's words: the banner named a Python call, write_kubeconfig(url, path)
    assert "write_kubeconfig" not in text and "kubectl config view" in text
    kubeconfig = text.split("export KUBECONFIG=")[1].split()[0]
    url = text.split(" at ")[1].split()[0]
    assert f"server: {url}" in Path(kubeconfig).read_text()   # the file it names is written
    stop.set()
    thread.join(10)
    assert result == [0] and "stopped" in out.getvalue()


@pytest.mark.parametrize(("speed", "said"), [
    ("0", "The simulated clock is stopped (--speed 0): nothing that takes time happens"),
    ("10", "Simulated time runs at 10x the wall clock."),
])
def test_cli_says_when_its_clock_is_stopped(speed, said):
    """``--speed 0``, the labs' setting, freezes a terminal's cluster (nothing there calls
    ``step``): the banner said "Simulated time runs at 0x the wall clock", and a learner
    found out from a Pod that stayed ContainerCreating."""
    ready, stop, out = threading.Event(), threading.Event(), io.StringIO()
    result: list[int] = []

    def run():
        with redirect_stdout(out):
            result.append(main(["marathon", "--nodes", "1", "--speed", speed], ready=ready,
                               stop=stop))

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(10)
    stop.set()
    thread.join(10)
    assert result == [0] and said in out.getvalue()


class _NotFromASignalHandler(threading.Event):
    def set(self) -> None:
        raise AssertionError("Event.set() in a signal handler can wait for ever for the lock "
                             "that Event.wait() holds in the same thread")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_signal_handler_takes_no_lock(signum):
    """The stop signal is only noted by the handler (setting the stop Event there could
    deadlock with the main thread's wait on it, which made the server hang once in CI)."""
    ready, out = threading.Event(), io.StringIO()
    sender = threading.Thread(target=lambda: ready.wait(10) and os.kill(os.getpid(), signum))
    before = signal.getsignal(signum)
    sender.start()
    with redirect_stdout(out):
        result = main(["kubernetes", "--nodes", "1", "--speed", "0"], ready=ready,
                      stop=_NotFromASignalHandler())
    sender.join(10)
    assert result == 0 and "stopped" in out.getvalue()
    assert signal.getsignal(signum) is before       # the previous handler is back


@pytest.mark.parametrize("argv", [[], ["nomad"], ["kubernetes", "--nodes", "many"],
                                  ["kubernetes", "--colour", "red"], ["kubernetes", "--nodes"]])
def test_cli_refuses_bad_arguments(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err


@pytest.mark.parametrize("speed", ["-1", "nan", "1e400", "inf", "1e12", "1e308", "10081"])
def test_cli_refuses_a_speed_that_is_not_a_finite_number_at_least_zero(speed, capsys):
    """nan and 1e400 were accepted: a clock that never moved, or jumped to infinity; 1e12
    and 1e308 started a server whose clock never moved (each catch-up was over the week
    one run may simulate). The message names the flag."""
    assert main(["kubernetes", "--speed", speed]) == 2
    assert capsys.readouterr().err.startswith("--speed: must be a finite number from 0 to "
                                              "10,080 ")


@pytest.mark.parametrize(("argv", "start"), [
    (["--port", "65536"], "--port: must be 0-65535, got 65536"),
    (["--nodes", "0"], "--nodes: must be a whole number from 1 to 5000, got 0"),
    (["--node-generic-resource", "gpu=1"], "--node-generic-resource: is dockerd's option"),
])
def test_cli_names_the_option_it_refuses(argv, start, capsys):
    """The refusal of an option out of range names the flag (it said ``port must be``)."""
    assert main(["marathon", *argv]) == 2
    assert capsys.readouterr().err.startswith(start)


def test_a_generic_resource_dockerd_would_refuse_is_refused_in_its_words(capsys):
    """swarmkit's ``genericresource.Parse`` words, which dockerd prints for its
    ``--node-generic-resource``, before any server starts."""
    assert main(["swarm", "--node-generic-resource", "gpu=1",
                 "--node-generic-resource", "gpu=GPU-2"]) == 2
    assert capsys.readouterr().err == (
        "--node-generic-resource: could not parse GenericResource: mixed discrete and named "
        "resources in expression 'gpu=[1 GPU-2]'\n")


def test_sh_runs_the_real_client_with_the_servers_environment(capsys):
    with serve("marathon", speed=0) as server:
        url = server.url
        assert server.env() == {"MARATHON_URL": url}
        server.sh("python -c 'import os; print(os.environ[\"MARATHON_URL\"])'")
        server.sh("no-such-program --flag")
    out = capsys.readouterr().out
    assert "$ python -c" in out and f"\n{url}\n" in out
    assert out.endswith("no-such-program CLI not installed here: skipped `no-such-program --flag`;"
                        " see its documentation to install it\n")
    with pytest.raises(RuntimeError, match="not running"):
        server.sh("true")


def test_sh_says_when_a_command_failed_and_raises_when_asked(capsys):
    with serve("marathon", speed=0) as server:
        server.sh("python -c 'print(1)'")
        assert "exit status" not in capsys.readouterr().out
        server.sh("python -c 'import sys; sys.exit(3)'")
        assert capsys.readouterr().out.endswith("(exit status 3: the command failed)\n")
        with pytest.raises(subprocess.CalledProcessError) as failed:
            server.sh("no-such-program", check=True)
    assert failed.value.returncode == 127
    assert "not installed here" in capsys.readouterr().out


def test_sh_says_in_one_line_that_the_docker_cli_is_missing(capsys, monkeypatch):
    """The real-commands lab promised one line where the CLI is absent; it printed
    ``docker: command not found`` and ``(exit status 127: the command failed)``."""
    monkeypatch.setattr("clustersim.serve.launch.find_program", lambda name, path=None: None)
    with serve("swarm", speed=0) as server:
        server.sh("docker service ls")
        assert server.run("docker service ls").returncode == 127
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "exit status" not in out
    assert out.startswith("docker CLI not installed here: skipped `docker service ls`; see "
                          "book/toy-to-real.md")


def test_kubeconfig_and_docker_host_belong_to_their_systems():
    with serve("kubernetes", speed=0) as server:
        assert set(server.env()) == {"KUBECONFIG", "KUBECACHEDIR"}
        workdir = server.env()["KUBECONFIG"].rsplit("/", 1)[0]
        with pytest.raises(ValueError, match="DOCKER_HOST is for Docker"):
            _ = server.docker_host
    assert not os.path.exists(workdir)          # removed at stop
    with serve("swarm", speed=0) as server, pytest.raises(ValueError, match="kubectl"):
        server.kubeconfig("x")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_python_m_clustersim_serve_stops_cleanly_on_a_signal(signum):
    process = subprocess.Popen([sys.executable, "-m", "clustersim", "serve", "kubernetes",
                                "--nodes", "2", "--speed", "0"], stdout=subprocess.PIPE,
                               text=True)
    try:
        lines = []
        while not lines or "Ctrl-C" not in lines[-1]:
            lines.append(process.stdout.readline())
        config = next(line.split("=", 1)[1].strip() for line in lines if "KUBECONFIG=" in line)
        assert os.path.exists(config)
        url = next(word for line in lines for word in line.split() if word.startswith("http"))
        with urllib.request.urlopen(f"{url}/api/v1/nodes", timeout=10) as response:
            assert len(json.load(response)["items"]) == 3
        process.send_signal(signum)
        process.send_signal(signum)              # twice, as an impatient Ctrl-C does
        assert process.wait(timeout=20) == 0
        assert "stopped" in process.stdout.read()
        assert not os.path.exists(config)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_one_simulated_instant_is_one_wall_clock_instant_on_every_request(monkeypatch):
    """The wall clock and simulated time (caught up at each request) run together but are
    read a fraction of a millisecond apart: the anchor stays put, so a timestamp does not
    flicker between two milliseconds; it moves when the two drift apart (a ``step``)."""
    wall = [1_796_000_000.0]
    sim = [0.0]
    monkeypatch.setattr(core.time, "time", lambda: wall[0])
    clock = core.WallClock(lambda: sim[0])
    staged = clock.unix(0.0)
    for i in range(200):
        wall[0] += 1.0
        sim[0] += 1.0 - 0.0004 * (i % 3)           # caught up, less the time reading takes
        clock.begin()
        assert clock.unix(0.0) == staged
    sim[0] += 60                                   # a user's step: ages follow the wall
    clock.begin()
    assert clock.unix(sim[0]) == wall[0]


def test_one_client_command_sees_one_anchor_however_long_it_takes(monkeypatch):
    """With the clock stopped, the wall clock runs on between one command's requests (a
    slow ``kubectl diff`` on a busy machine): the requests of one ``Kubectl-Session`` keep
    the anchor its first request read, a new session may move it, and requests without a
    session re-anchor as before once the drift passes REANCHOR_AFTER."""
    wall = [1_796_000_000.0]
    monkeypatch.setattr(core.time, "time", lambda: wall[0])
    clock = core.WallClock(lambda: 60.0)
    clock.begin("diff-1")
    first = clock.unix(0.0)
    for _ in range(5):
        wall[0] += 0.7                              # more than REANCHOR_AFTER each time
        clock.begin("diff-1")
        assert clock.unix(0.0) == first
    clock.begin("get-2")                            # the next command starts from its own now
    assert clock.unix(60.0) == wall[0]
    wall[0] += 0.7
    clock.begin()
    assert clock.unix(60.0) == wall[0]


def test_interleaved_commands_each_keep_their_own_anchor(monkeypatch):
    """A watch runs while other commands come and go (and a command run through the server
    re-anchors as it starts): each session is answered from the anchor its first request
    read, and the one a session used last is the one kept longest."""
    wall = [1_796_000_000.0]
    monkeypatch.setattr(core.time, "time", lambda: wall[0])
    clock = core.WallClock(lambda: 60.0)
    clock.begin("watch")
    watching = clock.unix(0.0)
    for i in range(core.KEPT_SESSIONS + 10):
        wall[0] += 0.7
        clock.begin(f"get-{i}")
        assert clock.unix(60.0) == wall[0]
        clock.anchor()
        clock.begin("watch")
        assert clock.unix(0.0) == watching
    assert len(clock._sessions) == core.KEPT_SESSIONS
    assert "get-0" not in clock._sessions and "watch" in clock._sessions


PATHS = {"kubernetes": "/version", "swarm": "/_ping", "marathon": "/v2/info"}


@pytest.mark.parametrize("system", ["kubernetes", "swarm", "marathon"])
def test_a_client_command_counts_ages_from_the_request_it_reads_them_in(monkeypatch, system):
    """With the clock stopped, a command run through the server (``sh``/``run``) anchors
    simulated now to the wall clock at each of its requests: a client that starts slowly
    on a busy machine (0.45 s, under :data:`~clustersim.serve.core.REANCHOR_AFTER`, after an
    anchor an earlier command left 0.4 s before) had the anchor of its start, and that
    start-up was added to every age it worked out, so the real-commands lab printed the
    docker CLI's "Running 58 seconds ago" (58.35 simulated seconds) as 59 under load."""
    wall = [1_796_000_000.0]
    monkeypatch.setattr(core.time, "time", lambda: wall[0])
    with serve(system, nodes=1, speed=0) as server:
        server.step(58.35)
        clock = server.backend.clock
        clock.begin()                                  # an earlier command's request
        wall[0] += 0.4                                 # ... and the next command starts

        def slow_client(*args, **kwargs):
            wall[0] += 0.45                            # its start-up on a busy machine
            assert _request(server, "GET", PATHS[system])[0] == 200
            wall[0] += 0.3                             # it reads its own clock after that
            age = wall[0] - clock.unix(0.0)            # as the CLI works out an age
            return subprocess.CompletedProcess(args[0], 0, f"{age:.2f}", "")

        monkeypatch.setattr(launch.subprocess, "run", slow_client)
        assert server.run("true").stdout == "58.65"
        assert clock.commands == 0                     # requests after it re-anchor as before


def _faulty_advance(server):
    """Make the backend's next advances of simulated time fail as a simulator bug would."""
    def advance(until: float) -> None:
        raise ValueError("pod 'weird6': a simulator fault")
    server.backend.advance = advance


def test_a_fault_while_time_catches_up_spoils_no_request_and_prints_one_line(capsys):
    """A fault while simulated time catches up belongs to no request: the request that
    happened to move time is answered, and so is the next, and the terminal gets one line
    saying what happened, no traceback."""
    with serve("kubernetes", nodes=2, speed=1000) as server:
        _faulty_advance(server)
        time.sleep(0.01)
        assert _request(server, "GET", "/api/v1/nodes")[0] == 200
        time.sleep(0.01)
        assert _request(server, "GET", "/api/v1/nodes")[0] == 200
    err = capsys.readouterr().err
    assert err.splitlines() == ["clustersim serve kubernetes: simulated time stopped at 0 s: "
                                "ValueError: pod 'weird6': a simulator fault"]


def test_a_fault_in_a_watch_ends_it_with_one_line_not_a_traceback(capsys):
    with serve("kubernetes", nodes=2, speed=0) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=5")
        response = conn.getresponse()
        assert response.status == 200
        server.backend.renderer.begin = lambda session=None: 1 / 0
        response.read()                         # the stream ends, well formed
        conn.close()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines() == [
        "clustersim serve kubernetes: a stream (GET /api/v1/namespaces/default/pods?watch=true"
        "&timeoutSeconds=5) ended: ZeroDivisionError: division by zero"]


def test_a_quiet_stream_ends_when_its_client_hangs_up():
    """A watch with nothing to send (the clock stopped) ended only with the server, however
    long ago its client had gone: the request's thread stayed. A stream looks for a hung-up
    client whenever it has nothing to write, and ends then."""
    with serve("kubernetes", nodes=2, speed=0) as server:
        before = threading.active_count()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/api/v1/namespaces/default/pods?watch=true")
        assert conn.getresponse().status == 200
        assert threading.active_count() == before + 1        # the request's thread
        conn.close()
        deadline = time.monotonic() + 10
        while threading.active_count() > before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert threading.active_count() == before



def test_a_quiet_stream_on_a_socket_numbered_past_1023_stays_open():
    """The hang-up look had used ``select``, which raises ValueError for a socket numbered
    1024 or more: on a busy server each quiet watch then ended as a simulator fault at its
    first quiet moment. With 1,100 files open first, the watch's socket is numbered past
    that; it stays open while its client is there, and ends when the client goes."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1300:
        if hard != resource.RLIM_INFINITY and hard < 1300:
            pytest.skip(f"this machine allows {hard} open files, fewer than the test needs")
        resource.setrlimit(resource.RLIMIT_NOFILE, (1300, hard))
    held = [open(os.devnull) for _ in range(1100)]  # noqa: SIM115 (closed below)
    try:
        with serve("kubernetes", nodes=2, speed=0) as server:
            before = threading.active_count()
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("GET", "/api/v1/namespaces/default/pods?watch=true")
            answer = conn.getresponse()
            assert answer.status == 200 and answer.fileno() >= 1024
            time.sleep(0.6)                   # several quiet looks
            assert threading.active_count() == before + 1    # still watching
            conn.close()
            deadline = time.monotonic() + 10
            while threading.active_count() > before and time.monotonic() < deadline:
                time.sleep(0.05)
            assert threading.active_count() == before
    finally:
        for file in held:
            file.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

@pytest.mark.parametrize(("body", "media", "words"), [
    (b"[" * 100_000 + b"]" * 100_000, "application/json", "exceeded max depth"),
    (b"a: " + b"[" * 3000 + b"]" * 3000, "application/yaml", "nesting deeper than 64"),
    (b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"%c: &%c [%s]\n" % (98 + i, 98 + i, b", ".join([b"*%c" % (97 + i)] * 9))
        for i in range(8)), "application/yaml", "alias bomb"),
])
def test_a_body_nested_past_the_bound_is_a_bad_request(body, media, words):
    """The Kubernetes API server had answered 500 with a RecursionError (and read YAML without
    the loader's bounds); a bad body is 400, as for one the decoder cannot read."""
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, "POST", "/api/v1/namespaces/default/pods", body,
                                {"Content-Type": media})
    answer = json.loads(data)
    assert (status, answer["reason"]) == (400, "BadRequest") and words in answer["message"]


def test_a_docker_filter_nested_past_the_bound_is_an_invalid_filter():
    """moby's filters.FromJSON refuses what Go's decoder cannot read: was a 500."""
    with serve("swarm", speed=0) as server:
        status, data = _request(server, "GET", "/v1.44/services?filters=" + "%5B" * 20_000)
    assert status == 400 and json.loads(data)["message"].startswith("invalid filter")


@pytest.mark.parametrize(("system", "path", "media", "words"), [
    ("kubernetes", "/api/v1/namespaces/default/pods", "application/json", "exceeded max depth"),
    ("swarm", "/v1.44/services/create", "application/json", "exceeded max depth"),
    ("marathon", "/v2/apps", "application/json", "Invalid JSON"),
])
def test_a_body_python_reads_but_nested_past_the_bound_is_refused(system, path, media, words):
    """500 levels decode, then the simulators' recursive code raised RecursionError: a 500."""
    body = b'{"metadata": {"labels": {"a": ' + b"[" * 500 + b"]" * 500 + b"}}}"
    with serve(system, speed=0) as server:
        status, data = _request(server, "POST", path, body, {"Content-Type": media})
    assert status == 400 and words in data.decode()


def test_a_client_that_hangs_up_is_one_line_on_the_terminal(capfd, monkeypatch):
    """socketserver printed the BrokenPipeError's or ConnectionResetError's traceback."""
    with serve("kubernetes", speed=0) as server:
        answer, reading, hung_up = server.backend.handle, threading.Event(), threading.Event()

        def handle(request):          # the answer is written once the client has hung up
            reading.set()
            hung_up.wait(10)
            return answer(request)

        monkeypatch.setattr(server.backend, "handle", handle)
        for _ in range(3):
            reading.clear()
            hung_up.clear()
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                # SO_LINGER 0: close() resets the connection, so the server's write fails
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.sendall(b"GET /openapi/v2 HTTP/1.1\r\nHost: x\r\n\r\n")
                assert reading.wait(10)
            hung_up.set()
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert err.count("the client of GET /openapi/v2 hung up before its answer was written") == 1


@pytest.mark.parametrize(("timeout", "why"), [
    ("1e400", "invalid syntax"), ("nan", "invalid syntax"), ("1.5", "invalid syntax"),
    ("9223372036854775808", "value out of range"),
    # ParseInt's digits overflow uint64 before the x: out of range; fit it: invalid syntax
    ("99999999999999999999x", "value out of range"), ("9223372036854775808x", "invalid syntax")])
def test_a_watch_timeout_that_is_no_int64_is_a_bad_request(timeout, why):
    """The API server reads timeoutSeconds with strconv.ParseInt: 1e400 had kept a watch open
    for the simulator's whole limit, nan for ever."""
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, "GET", "/api/v1/namespaces/default/pods?watch=true"
                                f"&timeoutSeconds={timeout}")
    answer = json.loads(data)
    assert (status, answer["reason"]) == (400, "BadRequest")
    assert answer["message"] == f'strconv.ParseInt: parsing "{timeout}": {why}'


@pytest.mark.parametrize(("limit", "why"), [("abc", "invalid syntax"),
                                           ("1%20", "invalid syntax"),
                                           ("9223372036854775808", "value out of range")])
def test_a_list_limit_that_is_no_int64_is_a_bad_request(limit, why):
    """ListOptions.limit is an int64 the list handler decodes with strconv.ParseInt
    (Convert_Slice_string_To_int64): a limit it cannot read had listed everything."""
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, "GET", f"/api/v1/nodes?limit={limit}")
        negative = json.loads(_request(server, "GET", "/api/v1/nodes?limit=-1")[1])
        whole = json.loads(_request(server, "GET", "/api/v1/nodes")[1])
    answer = json.loads(data)
    assert (status, answer["reason"]) == (400, "BadRequest")
    text = limit.replace("%20", " ")
    assert answer["message"] == f'strconv.ParseInt: parsing "{text}": {why}'
    assert negative["items"] == whole["items"] and "continue" not in negative["metadata"]


@pytest.mark.parametrize(("version", "why"), [
    ('1"2', 'strconv.ParseUint: parsing "1\\"2": invalid syntax'),
    ("99999999999999999999x", 'strconv.ParseUint: parsing "99999999999999999999x": '
                              "value out of range")])
def test_an_update_version_the_versioner_cannot_read_is_quoted_as_go_quotes_it(version, why):
    """APIObjectVersioner parses metadata.resourceVersion with strconv.ParseUint; its error
    quotes the text with strconv.Quote and names an overflow met before a stray byte."""
    with serve("kubernetes", speed=0) as server:
        path = "/api/v1/namespaces/default/configmaps"
        headers = {"Content-Type": "application/json"}
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}
        assert _request(server, "POST", path, json.dumps(body).encode(), headers)[0] == 201
        body["metadata"]["resourceVersion"] = version
        status, data = _request(server, "PUT", f"{path}/settings", json.dumps(body).encode(),
                                headers)
    assert (status, json.loads(data)["message"]) == (500, why)


def _chunked(server, framing: bytes) -> tuple[int, dict]:
    """POST a ConfigMap with ``framing`` as its chunked body; the status and the answer."""
    head = (b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + framing)
        sock.shutdown(socket.SHUT_WR)           # a body shorter than it says ends here
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), json.loads(rest.partition(b"\r\n\r\n")[2])


def test_a_chunked_body_is_read_and_bounded_as_one_with_a_length():
    """kubectl create --raw -f sends a chunked body: it had been refused with 411."""
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                       "data": {"k": "v"}}).encode()
    half = len(body) // 2
    framing = (f"{half:x};ext=1\r\n".encode() + body[:half] + b"\r\n"
               + f"{len(body) - half:X}\r\n".encode() + body[half:] + b"\r\n"
               + b"0\r\nX-Trailer: t\r\n\r\n")
    with serve("kubernetes", speed=0) as server:
        status, answer = _chunked(server, framing)
        assert (status, answer["data"]) == (201, {"k": "v"})
        server.max_body = 16
        status, answer = _chunked(server, framing)
        assert (status, answer["reason"]) == (413, "RequestEntityTooLarge")
        assert answer["message"] == "Request entity too large: limit is 16"
        server.max_body = 1024
        for bad in (b"0x10\r\n" + body[:16] + b"\r\n0\r\n\r\n",      # Go reads no 0x
                    b"zz\r\n",
                    b"ff\r\n" + body[:10] + b"\r\n0\r\n\r\n"):        # shorter than its size
            status, answer = _chunked(server, bad)
            assert (status, answer["reason"]) == (400, "BadRequest"), bad
        assert [c["metadata"]["name"] for c in server.cluster.objects("ConfigMap")
                if c["metadata"]["namespace"] == "default"] == ["c"]


def test_a_watch_whose_client_reads_nothing_stalls_no_other_request():
    """A watch's initial events were yielded inside the server's one lock, so the socket
    write that sends them ran with it held: 9 MB of ConfigMaps to a client that reads nothing
    fills the sockets' buffers (4 MB at most to send), and every other request (``GET
    /version``) waited for that client to go away. They are made under the lock and sent
    after it, as the later ones are."""
    with serve("kubernetes", speed=0) as server:
        data = "x" * 900_000
        for i in range(10):
            body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                               "metadata": {"name": f"big{i}"}, "data": {"d": data}})
            assert _request(server, "POST", "/api/v1/namespaces/default/configmaps",
                            body.encode(), {"Content-Type": "application/json"})[0] == 201
        with socket.socket() as stalled:
            stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            stalled.connect(("127.0.0.1", server.port))
            stalled.sendall(b"GET /api/v1/namespaces/default/configmaps?watch=1 HTTP/1.1\r\n"
                            b"Host: localhost\r\n\r\n")
            time.sleep(1)                      # the server writes until the buffers fill
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", "/version")
            assert conn.getresponse().status == 200
            conn.close()
            stalled.shutdown(socket.SHUT_RDWR)


@pytest.mark.parametrize(("value", "watched"), [
    ("true", True), ("1", True), ("yes", True), ("True", True), ("", True), ("x", True),
    ("false", False), ("FALSE", False), ("0", False)])
def test_watch_is_any_value_but_false_or_0(value, watched):
    """``?watch=`` counted only as ``1`` or ``true``: the API server's request info resolver
    reads it as apimachinery's ``Convert_Slice_string_To_bool`` does (an empty value too, which
    the server's query reader had dropped)."""
    with serve("kubernetes", speed=0) as server:
        status, data = _request(server, "GET", "/api/v1/namespaces/default/configmaps"
                                f"?watch={value}&timeoutSeconds=1")
    assert status == 200
    assert (json.loads(data.splitlines()[0]).get("type") == "ADDED") is watched


@pytest.mark.parametrize(("force", "status"), [
    ("", 409), ("force=false", 409), ("force=0", 409), ("force=1", 200), ("force=True", 200),
    ("force=", 200)])
def test_a_forced_apply_reads_force_as_a_bool(force, status):
    """``?force=1`` or ``True`` had been an unforced apply, refused for the conflict."""
    path = "/api/v1/namespaces/default/configmaps/c?fieldManager="
    with serve("kubernetes", speed=0) as server:
        for manager, value in (("a", "1"), ("b", "2")):
            answer, data = _request(
                server, "PATCH", f"{path}{manager}&{force if manager == 'b' else ''}",
                json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                            "data": {"k": value}}).encode(),
                {"Content-Type": "application/apply-patch+yaml"})
    assert answer == status, data


def test_a_watch_lasts_the_timeout_it_asks_and_else_the_minimum_request_timeout(monkeypatch):
    """``ListResource`` (``handlers/get.go``) keeps a watch open for its ``timeoutSeconds``,
    however long, and one without for ``MinRequestTimeout`` (1800 s) times a factor in
    [1, 2), here 1. The simulator had cut every watch at 300 s."""
    assert WATCH_LIMIT == MIN_REQUEST_TIMEOUT == 1800
    monkeypatch.setattr("clustersim.serve.kubernetes.WATCH_LIMIT", 0.5)
    with serve("kubernetes", speed=0) as server:
        began = time.monotonic()
        assert _request(server, "GET", "/api/v1/namespaces/default/pods?watch=1&"
                        "timeoutSeconds=2")[0] == 200
        assert 1.9 < time.monotonic() - began < 6


@pytest.mark.parametrize("timeout", ["0", None])
def test_a_watch_timeout_of_0_is_the_servers_own(monkeypatch, timeout):
    """``timeoutSeconds=0`` had ended a watch at its first look (0.1 s); the API server takes
    0 as no timeout given, its own (``getTimeout``, ``handlers/get.go``), here the
    simulator's cap on a watch, 1.5 s for this test."""
    monkeypatch.setattr("clustersim.serve.kubernetes.WATCH_LIMIT", 1.5)
    query = "watch=1" + ("" if timeout is None else f"&timeoutSeconds={timeout}")
    with serve("kubernetes", speed=0) as server:
        began = time.monotonic()
        assert _request(server, "GET", f"/api/v1/namespaces/default/pods?{query}")[0] == 200
        assert 1.4 < time.monotonic() - began < 5


def test_the_kubernetes_banner_is_wrapped_evenly():
    """The banner's prose comes in lines of about one length, the last aside; its first line
    had run to 107 characters and the next ones broke unevenly (17 to 107)."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        text = server.instructions()
    prose = [line for line in text.splitlines()[1:] if not line.startswith("  ")]
    assert len(prose) >= 3
    assert all(len(line) >= 60 for line in prose[:-1]), [len(line) for line in prose]


@pytest.mark.parametrize("system", ["kubernetes", "swarm", "marathon"])
def test_the_start_banner_fits_an_80_column_terminal(system):
    """What ``python -m clustersim serve`` prints at the start fits 80 columns and still says
    where the API is and how a client reaches it; the swarm's had run to 149 characters, the
    Marathon one's to 96 and the Kubernetes one's to 87."""
    out = io.StringIO()
    stop = threading.Event()
    stop.set()                      # print the banner, then stop at once
    with redirect_stdout(out):
        assert main([system, "--nodes", "1", "--port", "0"], stop=stop) == 0
    lines = out.getvalue().splitlines()
    wrapped = [line for line in lines if tempfile.gettempdir() not in line]   # a path is a path
    assert max(len(line) for line in wrapped) <= 80, [len(line) for line in lines]
    assert re.search(r" at http://127\.0\.0\.1:\d+$", lines[0]), lines[0]
    client = {"kubernetes": "export KUBECONFIG=", "marathon": "marathon.MarathonClient(",
              "swarm": "export DOCKER_HOST=tcp://"}[system]
    assert client in out.getvalue()


def test_the_kubernetes_banner_says_images_always_pull():
    """No registry is simulated: the Swarm banner said so and the Kubernetes one did not, so
    ``kubectl set image`` to a tag that exists nowhere rolled out without a word. The line
    names the lab's way to make a pull fail, by its real name, and the book's page that says
    so (the reference page the chapter's details moved to)."""
    from clustersim.kubernetes import KubernetesCluster

    with serve("kubernetes", nodes=1, speed=0) as server:
        text = server.instructions()
    [line] = [line for line in text.splitlines() if "registry" in line]
    assert "always pull" in line and "served-apis.md" in line
    named = re.search(r"calls (\w+)", line).group(1)
    assert callable(getattr(KubernetesCluster, named, None)), named
    page = Path(__file__).parents[2] / "book" / "served-apis.md"
    assert f"cluster.{named}" in page.read_text("utf-8"), "the page the banner names"


def test_a_taken_port_is_named_in_one_line(capsys):
    """``--port`` that another program listens on printed only ``[Errno 98] Address already in
    use``: the line now names the port and says what to do."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["marathon", "--nodes", "1", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Errno" not in err, err
    assert f"127.0.0.1:{port}: another program is already using port {port}" in err
    assert "--port 0" in err


@pytest.mark.parametrize(("os_name", "reuse"), [("posix", True), ("nt", False)])
def test_windows_binds_without_so_reuseaddr(monkeypatch, os_name, reuse):
    """On Windows SO_REUSEADDR would let the server bind a port another program listens on,
    sharing it silently: there it is not set; elsewhere it is, as http.server sets it."""
    monkeypatch.setattr(core, "os", SimpleNamespace(name=os_name))
    server = serve("marathon", nodes=1, speed=0).start()
    try:
        sock = server._httpd.socket
        assert bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)) is reuse
    finally:
        server.stop()


@pytest.mark.parametrize(("os_name", "wanted", "unwanted"), [
    ("posix", ["  export KUBECONFIG="], ["$env:", "set "]),
    ("nt", ['  $env:KUBECONFIG = "', '  set "KUBECONFIG='], ["export "]),
])
def test_the_banner_sets_variables_in_the_platform_s_shell(monkeypatch, os_name, wanted,
                                                           unwanted):
    """Windows' PowerShell and cmd.exe have no ``export``: the banner printed it there too."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        monkeypatch.setattr(launch, "os", SimpleNamespace(name=os_name))
        text = server.instructions()
        kubeconfig = server.env()["KUBECONFIG"]
    for line in wanted:
        assert line in text, text
        assert kubeconfig in text.split(line, 1)[1].splitlines()[0]
    assert not any(word in text for word in unwanted), text


def test_powershell_lines_escape_what_double_quotes_would_read(monkeypatch):
    monkeypatch.setattr(launch, "os", SimpleNamespace(name="nt"))
    lines = launch.env_lines({"KUBECONFIG": 'C:\\Users\\a$b`c\\k "d"'}).splitlines()
    assert lines[0] == '  $env:KUBECONFIG = "C:\\Users\\a`$b``c\\k `"d`""'
    assert lines[-1] == '  set "KUBECONFIG=C:\\Users\\a$b`c\\k "d""'


def test_a_port_windows_reserves_is_named_in_one_line(monkeypatch, capsys):
    """Windows refuses a port in its excluded ranges (Hyper-V, WSL 2) with WinError 10013 even
    when no program uses it: the line says so and how to list them."""
    refused = OSError(10013, "An attempt was made to access a socket in a way forbidden by its "
                             "access permissions")
    refused.winerror = 10013            # set by Python on Windows only

    def start(self):
        raise refused

    monkeypatch.setattr(launch.Server, "start", start)
    assert main(["marathon", "--nodes", "1", "--port", "50000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "127.0.0.1:50000: Windows reserves port 50000" in err
    assert "excludedportrange" in err and "--port 0" in err


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "CONNECT", "FOO"])
@pytest.mark.parametrize("system, path, status, body", [
    # go-restful's 405 through kube-apiserver's serviceErrorHandler (a Status)
    ("kubernetes", "/api/v1/namespaces/default/pods", 405,
     "the server does not allow this method on the requested resource"),
    ("kubernetes", "/version", 405,      # a go-restful route of GET alone (it said 404)
     "the server does not allow this method on the requested resource"),
    ("kubernetes", "/no/such/route", 404, "the server could not find the requested resource"),
    # Jersey's NotAllowedException through Marathon's exception mapper
    ("marathon", "/v2/apps", 405, '{"message":"Method Not Allowed"}'),
    ("marathon", "/no/such/route", 404, '{"message":"URI not found"}'),
    # moby: MethodNotAllowedHandler is the notFoundHandler
    ("swarm", "/v1.44/services", 404, '{"message":"page not found"}'),
])
def test_every_method_reaches_the_backend_not_http_server_s_501_page(system, path, status,
                                                                      body, method):
    if system == "swarm" and method == "OPTIONS":
        status, body = 200, ""         # moby's optionsHandler answers OPTIONS on every path
    if system == "marathon" and method == "OPTIONS" and status == 405:
        status, body = 200, ""         # Jersey's OPTIONS on a route it has: 200 with Allow
    with serve(system, speed=0) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request(method, path)
        response = conn.getresponse()
        data = response.read().decode()
        conn.close()
    assert response.status == status
    assert body in data and (body or not data)
    assert response.getheader("Content-Type") == ("application/json" if body else None)


def test_docker_ping_takes_get_and_head_alone():
    with serve("swarm", speed=0) as server:
        assert _request(server, "HEAD", "/_ping")[0] == 200
        assert _request(server, "GET", "/v1.44/_ping") == (200, b"OK")
        assert _request(server, "PUT", "/_ping") == (404, b'{"message":"page not found"}')
