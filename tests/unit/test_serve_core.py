"""The shared server: loopback only, clean stop, the clock, hostile requests, the CLI."""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import redirect_stdout

import pytest

from clustersim.serve import core, serve
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
        assert (status, json.loads(data)["reason"]) == (413, "RequestEntityTooLarge")
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
    stop.set()
    thread.join(10)
    assert result == [0] and "stopped" in out.getvalue()


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


def test_sh_runs_the_real_client_with_the_servers_environment(capsys):
    with serve("marathon", speed=0) as server:
        url = server.url
        assert server.env() == {"MARATHON_URL": url}
        server.sh("python -c 'import os; print(os.environ[\"MARATHON_URL\"])'")
        server.sh("no-such-program --flag")
    out = capsys.readouterr().out
    assert "$ python -c" in out and f"\n{url}\n" in out
    assert "no-such-program: command not found" in out
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
    assert "no-such-program: command not found" in capsys.readouterr().out


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
        server.backend.renderer.begin = lambda: 1 / 0
        response.read()                         # the stream ends, well formed
        conn.close()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines() == [
        "clustersim serve kubernetes: a stream (GET /api/v1/namespaces/default/pods?watch=true"
        "&timeoutSeconds=5) ended: ZeroDivisionError: division by zero"]
