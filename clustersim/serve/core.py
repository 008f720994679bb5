"""The HTTP server every simulator shares: loopback only, one lock, simulated time that follows
the wall clock.

A :class:`SimServer` runs the standard library's ``ThreadingHTTPServer`` on ``127.0.0.1`` in a
background thread and hands each request to a :class:`Backend` (one per system: Kubernetes'
API server, Docker Engine's API, Marathon's REST API). Every request holds one lock around the
simulator, so concurrent clients see one consistent cluster. Before each request, simulated
time catches up with the wall clock times ``speed``; ``step(seconds)`` advances it explicitly
(``speed=0`` leaves time entirely to ``step``, which is what tests and stored notebook outputs
use).

Hostile input is the backend's business only once it is well formed HTTP: bodies over
``max_body`` bytes (kube-apiserver refuses bodies over 3 MiB, ``MaxRequestBodyBytes`` in
``staging/src/k8s.io/apiserver/pkg/server/config.go``; a chunked body counts as it is read),
malformed chunked framing and anything a backend raises become the backend's own error shape,
never a traceback.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import math
import os
import re
import socket
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from clustersim.limits import MAX_RUN_SECONDS
from clustersim.manifests.errors import format_path
from clustersim.manifests.safe_yaml import MAX_DEPTH, not_plain_data

__all__ = [
    "Backend",
    "ClusterTime",
    "HttpError",
    "Request",
    "Response",
    "SimServer",
    "UnencodableError",
    "WallClock",
    "compact_json",
    "decode_json",
]

def compact_json(payload: Any) -> bytes:
    """``payload`` as the servers write JSON: without spaces after ``,`` and ``:``, as Go's
    ``encoding/json`` encoder writes it (every answer, and each event of a watch). A value
    JSON cannot hold (NaN, an infinity, a set, put into a simulated object from Python) is
    never written as Python would write it (``NaN``, which is no JSON): :class:`UnencodableError`
    is raised instead, as Go's encoder fails (``json: unsupported value: NaN``)."""
    try:
        return json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError):
        found = not_plain_data(payload, bounded=False)
        if found is None:
            raise
        raise UnencodableError(payload, *found) from None


class UnencodableError(ValueError):
    """An answer holds a value JSON cannot hold, at ``path``: its message names the object
    that holds it (the innermost mapping on the way with a ``kind`` and a
    ``metadata.name``), the field, what is wrong and what to write instead. A server
    answers it as an internal error (:meth:`SimServer.dispatch`); a watch or a followed
    log that meets one ends, as a stream ends at any fault, the server saying why on its
    terminal. Upstream such a value never gets in: every API decodes its body with a JSON
    reader that has no NaN, no infinity and no set, and the loaders refuse them from
    Python (:func:`~clustersim.manifests.safe_yaml.check_data`); only an object edited in
    place holds one."""

    def __init__(self, payload: Any, path: tuple[str | int, ...], problem: str,
                 expected: str) -> None:
        owner, start, value = "the answer", 0, payload
        for depth, step in enumerate(path):
            if isinstance(value, dict) and isinstance(value.get("kind"), str) and \
                    isinstance(value.get("metadata"), dict) and value["metadata"].get("name"):
                meta = value["metadata"]
                where = f' in namespace "{meta["namespace"]}"' if meta.get("namespace") else ""
                owner, start = f'{value["kind"]} "{meta["name"]}"{where}', depth
            value = value[step]
        super().__init__(f"{owner} holds a value JSON cannot hold, at "
                         f"{format_path(path[start:]) or 'its top'}: {problem}; it was put "
                         f"there from Python, past the API's checks: write {expected} there")
        self.path = path


MAX_BODY = 3 * 1024 * 1024
"""Largest request body accepted, in bytes (kube-apiserver's default)."""
_CHUNK_LINE = 4096
"""Longest line of a chunked body's framing (a chunk size with its extensions, a trailer
field), and most trailer fields, read before the body is refused."""
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")


@dataclass
class Request:
    """One HTTP request as a backend sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""
    remote_addr: str = "127.0.0.1"
    """The client's address (a servlet's ``getRemoteAddr``): the servers listen on the
    loopback interface only."""
    local_addr: tuple[str, int] = ("127.0.0.1", 0)
    """The host and port the server listens on (a servlet's ``getLocalAddr`` and
    ``getLocalPort``), which ``--port`` chose, or the system when it was 0: what a server
    that names itself (Marathon's ``/v2/leader``) says."""
    lines: dict[str, list[str]] = field(default_factory=dict)
    """Each header field's values one per line as sent, by lower-case name, where
    :attr:`headers` joins a repeated field's with commas as HTTP allows."""
    warnings: list[str] = field(default_factory=list)
    """What the backend warned of while it handled the request, each text once: the API
    server's warning recorder (``WithWarningRecorder`` in kubernetes/kubernetes
    ``staging/src/k8s.io/apiserver/pkg/endpoints/filters/warning.go``), which adds a
    ``Warning`` header as each is recorded, so that whatever answer follows carries them, a
    refusal too (:meth:`SimServer.dispatch`)."""

    def values(self, name: str) -> list[str]:
        """The values of header field ``name`` (lower case), one per line as sent (a
        servlet's ``getHeaders``)."""
        joined = self.headers.get(name)
        return self.lines.get(name) or ([] if joined is None else [joined])

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def content_type(self) -> str:
        """The media type of the body, without parameters (``application/json``)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def warn(self, text: str) -> None:
        """Record a warning for the answer (:attr:`warnings`); an empty or repeated text is
        left out, as the recorder leaves it out."""
        if text and text not in self.warnings:
            self.warnings.append(text)

    @property
    def session(self) -> str | None:
        """The client command this request belongs to, where the client says
        (``Kubectl-Session``: :meth:`WallClock.begin`)."""
        return self.headers.get("kubectl-session")


@dataclass
class Response:
    """What a backend answers: a status, a body and its content type."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    stream: Callable[[SimServer], Iterator[bytes]] | None = None
    """A long answer (a watch): called outside the lock, each chunk sent as it comes."""

    @classmethod
    def json(cls, status: int, payload: Any, **headers: str) -> Response:
        """A JSON response."""
        return cls(status, compact_json(payload), "application/json", dict(headers))

    @classmethod
    def text(cls, status: int, text: str) -> Response:
        """A plain-text response."""
        return cls(status, text.encode(), "text/plain; charset=utf-8")


class HttpError(Exception):
    """Raised inside a backend: answer ``status`` with ``message`` in the system's own shape
    (``reason`` is Kubernetes' StatusReason, e.g. ``NotFound``)."""

    def __init__(self, status: int, message: str, reason: str = "", **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.list_meta: dict[str, Any] = {}
        """Kubernetes' ``Status.metadata`` (a ``ListMeta``: a 410's ``continue`` token)."""


def decode_json(text: str, too_deep: HttpError, **options: Any) -> Any:
    """``json.loads(text, **options)``, or ``too_deep`` (the server's own words) raised for a
    value nested deeper than :data:`~clustersim.manifests.safe_yaml.MAX_DEPTH` levels: the one
    bound on every JSON body the servers decode, as on every manifest the loader reads (the
    simulators' code recurses through a body, and a few hundred levels would exceed Python's
    recursion limit). Simplified: Go's ``encoding/json`` and Jackson allow far deeper nesting
    (10,000 and 1,000 levels), which no real object comes near. A :class:`json.JSONDecodeError`
    is the caller's to word."""
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise too_deep from None
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else ()
        if children and depth >= MAX_DEPTH:
            raise too_deep
        stack.extend((child, depth + 1) for child in children)
    return value


class Backend(Protocol):
    """One system's API on top of its simulator."""

    system: str
    cluster: Any
    """The simulator it serves (a swarm's daemon may replace it: ``docker swarm init``)."""

    @property
    def clock(self) -> WallClock:
        """Its timestamps' wall-clock anchor."""

    @property
    def now(self) -> float: ...

    def advance(self, until: float) -> None:
        """Run the simulator to the absolute simulated time ``until``."""

    def handle(self, request: Request) -> Response:
        """Answer one request (the caller holds the lock)."""

    def faults(self) -> list[str]:
        """The simulator's contained faults since the last call, one line each, for the
        server's terminal (a controller that failed and was requeued)."""

    def error(self, err: HttpError) -> Response:
        """``err`` in the system's error shape."""

    def instructions(self, url: str) -> str:
        """How to point the real client at ``url``."""


class ClusterTime:
    """:class:`Backend`'s ``now`` and ``advance``, the same for every system: the simulated
    time is the backend's ``cluster``'s clock, and advancing runs that cluster."""

    cluster: Any

    @property
    def now(self) -> float:
        return float(self.cluster.clock.now)

    def advance(self, until: float) -> None:
        if until > self.now:
            self.cluster.run(until=until)

    def faults(self) -> list[str]:
        return []


REANCHOR_AFTER = 0.5
"""How far (seconds) simulated time may drift from the wall clock before a
:class:`WallClock` re-anchors: less than the second ``kubectl`` rounds ages to."""


KEPT_SESSIONS = 64
"""How many client sessions a :class:`WallClock` remembers: more than the commands that run
at once against one simulated server."""


class WallClock:
    """Simulated seconds as wall-clock instants, the one rule every backend's timestamps
    follow (Kubernetes' ``creationTimestamp``, Docker's ``CreatedAt``, Marathon's
    ``stagedAt`` and versions).

    ``epoch``: the Unix time of simulated second 0 (fixed, for tests and stored outputs).
    ``None`` anchors simulated *now* to the wall clock's now, so that the ages a client works
    out by itself from a timestamp ("Running 30 seconds ago", ``kubectl describe``) are the
    simulated ones. The anchor (:attr:`base`) is fixed when the clock is made and moved only
    when simulated time and the wall clock have drifted apart by more than
    :data:`REANCHOR_AFTER` seconds (a user's ``step``, or a frozen clock while the wall
    clock runs on), or at every request while the course's runner has a command in flight
    (:attr:`commands`), read at each :meth:`begin` (once per request): while the two run
    together, every request shows one simulated instant as the same wall-clock instant, to
    the millisecond. ``now`` reads the simulator's current time.

    A server whose clock runs (``speed`` above 0: :meth:`follow`) instead maps simulated time
    to wall time from a fixed origin at its speed, and never moves an instant it has mapped:
    a timestamp, once shown, reads the same at every later request (re-anchoring at
    ``--speed 10`` had moved each one 9 s back for every real second). Simulated now is then
    the wall clock's now, less what the simulator lags behind; the ages a client works out
    are wall-clock ages (a simulated minute at ``--speed 10`` ages 6 s), and a ``step``
    starts a new origin at its end (:meth:`stepped`), the instants it jumped over all shown at
    the moment it was taken. With the clock stopped (speed 0: the labs, the tests) nothing
    moves simulated time but ``step``, so the anchor above keeps simulated ages."""

    def __init__(self, now: Callable[[], float], epoch: float | None = None) -> None:
        self.now = now
        self.epoch = epoch
        self.base = epoch if epoch is not None else time.time() - now()
        """The Unix time of simulated second 0 now (with :attr:`rate`, the latest origin's
        offset: what changes when the mapping does)."""
        self._sessions: OrderedDict[str, float] = OrderedDict()
        """Each recent client session's anchor (:attr:`base`), least recently used first (at
        most :data:`KEPT_SESSIONS`)."""
        self.rate = 0.0
        """Simulated seconds per wall-clock second once :meth:`follow` fixed the mapping."""
        self._origins: list[tuple[float, float]] = []
        """(simulated second, Unix time) where each piece of the fixed mapping starts."""
        self.commands = 0
        """How many client commands run through the course's runner (``Server.run``) are in
        flight: while there are any, a stopped clock re-anchors at each request without a
        session and at each new session's first (:meth:`begin`), not only past
        :data:`REANCHOR_AFTER`. The age a client works out from a timestamp is then the
        simulated age plus only the time from that request's answer to the client's own
        reading of its clock, not plus its start-up and earlier requests too: the real
        docker CLI prints a task that ran 58.35 simulated seconds as "Running 58 seconds
        ago" only while that time stays under 0.65 s (docker/cli
        ``cli/command/task/formatter.go``: go-units' ``HumanDuration`` of ``time.Since`` the
        task's timestamp, truncated to whole seconds; ``kubectl describe`` counts an
        Event's age the same way, kubernetes/kubectl ``pkg/describe/describe.go``), and a
        lab on a loaded machine had printed 59."""

    def follow(self, speed: float) -> None:
        """Map simulated time to wall time from here on at ``speed`` simulated seconds a
        wall second, from a fixed origin now (nothing with a fixed ``epoch`` or speed 0)."""
        if self.epoch is None and speed > 0:
            self.rate = speed
            self._origins = []
            self.stepped()

    def stepped(self) -> None:
        """Start a new piece of the fixed mapping at simulated now and the wall clock's now
        (after a ``step``): what came before keeps its instants."""
        if self.rate:
            self._origins.append((self.now(), time.time()))
            self.base = self._origins[-1][1] - self._origins[-1][0]

    def begin(self, session: str | None = None) -> None:
        """Read the wall clock (call once per request): re-anchor if it has drifted, but not
        within one client command. A ``session`` (kubectl's ``Kubectl-Session`` header: one
        random id per invocation, sent on each of its requests by ``CommandHeaderRoundTripper``
        in k8s.io/cli-runtime ``genericclioptions/command_headers.go``) keeps the anchor its
        first request read: its later requests, a watch's polls and a followed log's among
        them, are answered from it, so one command sees every timestamp as the same instant,
        however long it takes and whatever other clients ask meanwhile (with the clock
        stopped, a ``kubectl diff`` slowed by a busy machine had re-anchored between its reads
        and reported unchanged timestamps as changes). While a command run through the
        course's runner is in flight (:attr:`commands`), a stopped clock re-anchors at every
        request that no session pins, so the anchor is never older than the request."""
        if self.rate:                   # a fixed mapping: nothing to anchor
            return
        if session is not None and session in self._sessions:
            self.base = self._sessions[session]
            self._sessions.move_to_end(session)
            return
        drifted = abs(time.time() - self.now() - self.base) > REANCHOR_AFTER
        if self.epoch is None and (self.commands or drifted):
            self.anchor()
        if session is not None:
            self._sessions[session] = self.base
            if len(self._sessions) > KEPT_SESSIONS:
                self._sessions.popitem(last=False)

    def anchor(self) -> None:
        """Anchor simulated now to the wall clock's now (nothing with a fixed ``epoch`` or a
        running clock): a client that reads a timestamp in the answer to this request works
        out its age ("Running 58 seconds ago") from now, not from an anchor an earlier
        request left less than :data:`REANCHOR_AFTER` ago (with the clock stopped, that
        earlier wall time is added to every age: :attr:`commands`)."""
        if self.epoch is None and not self.rate:
            self.base = time.time() - self.now()

    def unix(self, seconds: float) -> float:
        """Simulated second ``seconds`` as Unix time: the anchor's offset, or the piece of
        the fixed mapping it falls in, held at the start of the next (a step's instants)."""
        if not self._origins:
            return self.base + seconds
        piece = self._piece(seconds, 0)
        sim, wall = self._origins[piece]
        mapped = wall + (seconds - sim) / self.rate
        return min(mapped, self._origins[piece + 1][1]) if piece + 1 < len(self._origins) \
            else mapped

    def seconds(self, unix: float) -> float:
        """The simulated second shown as Unix time ``unix`` (:meth:`unix`'s inverse, the
        start of a step for an instant it jumped over): a ``sinceTime``, a taint's
        ``timeAdded``."""
        if not self._origins:
            return unix - self.base
        piece = self._piece(unix, 1)
        sim, wall = self._origins[piece]
        mapped = sim + (unix - wall) * self.rate
        return min(mapped, self._origins[piece + 1][0]) if piece + 1 < len(self._origins) \
            else mapped

    def _piece(self, value: float, part: int) -> int:
        """The index of the last origin at or before ``value`` (0: simulated, 1: Unix)."""
        return max(0, bisect.bisect_right([o[part] for o in self._origins], value) - 1)

    def instant(self, seconds: float) -> datetime:
        """Simulated second ``seconds`` as an aware UTC datetime."""
        return datetime.fromtimestamp(self.unix(seconds), UTC)


MAX_SPEED = MAX_RUN_SECONDS / 60
"""The fastest ``speed``: a week of simulated time per wall minute (10,080x). A catch-up is
one ``run`` (:meth:`SimServer.catch_up`), which may simulate at most
:data:`~clustersim.limits.MAX_RUN_SECONDS`; at this speed a client that asks at least once
a minute never reaches it (``--speed 1e12`` went past it a millisecond after starting, so
simulated time never moved). A server left idle longer still stops its clock there and
says so on its terminal."""


class OptionError(ValueError):
    """A server option out of its range: ``option`` names it (the command line prints
    ``--speed: must be ...``), ``problem`` says what it must be."""

    def __init__(self, option: str, problem: str) -> None:
        super().__init__(f"{option} {problem}")
        self.option = option
        self.problem = problem


class SimServer:
    """A simulator's API on ``http://127.0.0.1:<port>``, served from a background thread.

    ``port=0`` picks a free port. ``speed``: simulated seconds per wall-clock second (0: time
    moves only with :meth:`step`). Use it as a context manager, or call :meth:`start` and
    :meth:`stop`; a server left running is a bug, so ``stop`` joins every thread it started.
    """

    def __init__(self, backend: Backend, *, port: int = 0, speed: float = 1.0,
                 max_body: int = MAX_BODY) -> None:
        if isinstance(speed, bool) or not isinstance(speed, int | float) or \
                not math.isfinite(speed) or not 0 <= speed <= MAX_SPEED:   # nan passes "< 0"
            raise OptionError("speed", f"must be a finite number from 0 to {MAX_SPEED:,.0f} "
                              f"(simulated seconds per second; a week a minute at most: "
                              f"clustersim.serve.core.MAX_SPEED), got {speed!r}")
        if not 0 <= port <= 65535:
            raise OptionError("port", f"must be 0-65535, got {port}")
        self.backend = backend
        self.speed = float(speed)
        self.max_body = max_body
        self.lock = threading.RLock()
        self._port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._anchor = (time.monotonic(), backend.now)
        backend.clock.follow(self.speed)
        self.stopping = threading.Event()
        """Set when the server stops: long requests (watches) end."""
        self._reported: set[str] = set()

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> SimServer:
        """Bind 127.0.0.1 and serve in a daemon thread; returns self."""
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        self.stopping.clear()
        self._httpd = _HTTPServer(("127.0.0.1", self._port), _handler_for(self),
                                  f"clustersim-{self.backend.system}")
        self._anchor = (time.monotonic(), self.backend.now)
        self.backend.clock.follow(self.speed)       # nothing was shown before: from now
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        name=f"clustersim-{self.backend.system}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the port and wait for every request thread to end."""
        if self._httpd is None:
            return
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        assert self._thread is not None
        self._thread.join()
        for forced in (False, True):
            if forced:                      # writing to a client that reads nothing
                self._httpd.shut_connections(socket.SHUT_RDWR)
            deadline = time.monotonic() + STOP_WAIT
            for thread in self._httpd.serving():
                thread.join(max(0.0, deadline - time.monotonic()))
            if not self._httpd.serving():
                break
        for thread in self._httpd.serving():
            self._say(f"{thread.name} still runs after the server stopped")
        self._httpd = self._thread = None

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running: call start() first")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def instructions(self) -> str:
        """How to point the real client at this server."""
        return self.backend.instructions(self.url)

    # ---- time ------------------------------------------------------------------------------

    def step(self, seconds: float) -> float:
        """Advance simulated time by ``seconds`` now; returns the new simulated time."""
        if seconds < 0:
            raise ValueError(f"step needs seconds ≥ 0, got {seconds}")
        with self.lock:
            self.catch_up()
            self.backend.advance(self.backend.now + seconds)
            self._anchor = (time.monotonic(), self.backend.now)
            self.backend.clock.stepped()
            return self.backend.now

    def catch_up(self) -> None:
        """Bring simulated time up to the wall clock times ``speed`` (call with the lock).

        A simulator fault meanwhile is no fault of the request (or watch) that happened to
        move time on: it is reported on the server's terminal in one line (:meth:`report`)
        and the request is answered; simulated time stays where the fault stopped it and
        the next catch-up goes on from there."""
        if self.speed <= 0:
            return
        wall, sim = self._anchor
        target = sim + (time.monotonic() - wall) * self.speed
        if target > self.backend.now:
            try:
                self.backend.advance(target)
            except Exception:
                self.report(f"simulated time stopped at {self.backend.now:g} s")
            self._report_faults()

    def report(self, what: str) -> None:
        """Say on the server's terminal, in one line and once per distinct fault, what the
        exception being handled did: a simulator fault, never a traceback."""
        self._say(f"{what}: {_fault()}")

    def _report_faults(self) -> None:
        """Say on the terminal, once each, the faults the simulator contained meanwhile."""
        for fault in self.backend.faults():
            self._say(fault)

    def _say(self, what: str) -> None:
        line = f"clustersim serve {self.backend.system}: {what}"
        if line not in self._reported:
            self._reported.add(line)
            print(line, file=sys.stderr, flush=True)

    # ---- one request -----------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        """Answer ``request`` under the lock; any failure becomes the system's error shape.
        The warnings recorded while it was handled go with the answer, whatever it is."""
        try:
            with self.lock:
                self.catch_up()
                try:
                    response = self.backend.handle(request)
                finally:
                    self._report_faults()
        except HttpError as err:
            response = self.backend.error(err)
        except UnencodableError as err:
            response = self.backend.error(HttpError(500, f"internal error: {err}",
                                                    "InternalError"))
        except Exception:  # a simulator bug must not kill the connection or leak a traceback
            response = self.backend.error(HttpError(500, f"internal error: {_fault()}",
                                                    "InternalError"))
        return _with_warnings(response, request.warnings)


def _with_warnings(response: Response, warnings: list[str]) -> Response:
    """``response`` with a ``Warning`` header of each of ``warnings``, in the form
    ``net.NewWarningHeader`` writes (k8s.io/apimachinery ``pkg/util/net/http.go``: code 299,
    no agent, the text quoted with its backslashes and quotes escaped), one header whose
    values are joined with commas, as HTTP allows for a repeated field. Simplified: the API
    server's recorder (k8s.io/apiserver ``pkg/endpoints/filters/warning.go``) adds one header
    line per warning and truncates long texts, which clients read the same way."""
    if warnings:
        values = ['299 - "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
                  for text in warnings]
        return replace(response, headers={**response.headers, "Warning": ", ".join(values)})
    return response


def _too_large(limit: int) -> HttpError:
    """A body over ``limit`` bytes, in kube-apiserver's words: ``limitedReadBody`` refuses it
    with ``NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", limit))``, whose message
    is ``Request entity too large: limit is 3145728`` (k8s.io/apiserver
    ``pkg/endpoints/handlers/rest.go``, k8s.io/apimachinery ``pkg/api/errors/errors.go``)."""
    return HttpError(413, f"Request entity too large: limit is {limit}", "RequestEntityTooLarge")


def _fault() -> str:
    """The exception being handled in one line: ``ValueError: pod 'weird6': ...``."""
    return traceback.format_exc(limit=1).strip().splitlines()[-1]


STOP_WAIT = 1.0
"""Seconds ``stop`` waits for the connections' threads after ending their wait for a next
request: one answering a request ends after its answer, and a stream (a watch, a followed
log, an event stream) at its next look, once :attr:`SimServer.stopping` is set. A thread
still running then is writing to a client that reads nothing: the connections are closed
both ways, and their threads waited for as long again (a thread still running after that is said on
the terminal)."""


class _HTTPServer(ThreadingHTTPServer):
    """The standard library's threading HTTP server, whose :meth:`server_close` also ends
    the connections and waits for their threads. Each connection's thread is a daemon (an
    interpreter that exits does not wait for a client that keeps its connection open), and
    socketserver joins no daemon thread (``_Threads.append`` skips them): ``stop`` had
    returned with connection threads still running, a keep-alive one until its client
    closed. Go's ``http.Server.Shutdown`` (net/http ``server.go``) is the model: idle
    connections are closed, active ones finish their answer first."""

    daemon_threads = True
    block_on_close = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 name: str) -> None:
        self.name = name
        self._open: dict[threading.Thread, socket.socket] = {}
        """Each connection's thread and socket, until the thread closes the socket."""
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in a thread of its own (named for the server and the
        client's port), kept in :attr:`_open` until it closes the connection."""
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address), daemon=True,
                                  name=f"{self.name} connection from port {client_address[1]}")
        with self._open_lock:
            self._open[thread] = request
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open = {t: s for t, s in self._open.items() if s is not request}
            super().shutdown_request(request)

    def server_close(self) -> None:
        """Close the port, then end each open connection's reading side, so that a thread
        waiting for a next request reads the end of the connection (an answer being written
        is still sent); :meth:`SimServer.stop` then waits for the threads (:meth:`serving`)."""
        super().server_close()
        self.shut_connections(socket.SHUT_RD)

    def shut_connections(self, how: int) -> None:
        """Shut every open connection ``how`` (``socket.SHUT_RD``; ``SHUT_RDWR`` also fails
        a write blocked on a client that reads nothing, and its thread ends)."""
        with self._open_lock:
            for connection in self._open.values():
                with contextlib.suppress(OSError):      # the client is gone already
                    connection.shutdown(how)

    def serving(self) -> list[threading.Thread]:
        """The connections' threads that have not yet closed their connection."""
        with self._open_lock:
            return list(self._open)

    def server_bind(self) -> None:
        """Bind as the standard library does, but on Windows without ``SO_REUSEADDR``, which
        ``http.server.HTTPServer`` sets everywhere. On Linux and macOS it only lets a restarted
        server take its port back from connections in TIME_WAIT; on Windows it lets a second
        socket bind a port another program is listening on (Microsoft's "Using SO_REUSEADDR
        and SO_EXCLUSIVEADDRUSE", learn.microsoft.com/windows/win32/winsock), so a taken
        ``--port`` would be shared silently instead of refused (python/cpython#85307; tornado
        stopped setting it on Windows for the same reason, tornadoweb/tornado#551). Windows
        needs no option to rebind a port in TIME_WAIT."""
        self.allow_reuse_address = os.name != "nt"
        super().server_bind()


def _handler_for(server: SimServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = f"clustersim-{server.backend.system}"
        sim = server

        def log_message(self, format: str, *args: Any) -> None:  # quiet, as a test fixture
            return

        def handle(self) -> None:
            """The connection's requests; a client that hangs up mid-request is one line on
            the terminal (socketserver would print the error's traceback)."""
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                request = f"{getattr(self, 'command', '')} {getattr(self, 'path', '')[:200]}"
                self.sim.report(f"the client of {request.strip() or 'a request'} hung up "
                                "before its answer was written")

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            headers: dict[str, str] = {}
            lines: dict[str, list[str]] = {}
            for key, value in self.headers.items():   # a repeated field, joined as HTTP allows
                key = key.lower()
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
                lines.setdefault(key, []).append(value)
            # blank values kept (?watch=), as Go's url.ParseQuery and Jetty keep them
            query = parse_qs(parts.query, keep_blank_values=True)
            request = Request(self.command, parts.path, query, headers,
                              remote_addr=self.client_address[0], lines=lines,
                              local_addr=("127.0.0.1", self.sim.port))
            response = self._read_body(request, headers)
            if response is None:
                response = self.sim.dispatch(request)
            self._send(response)

        def _read_body(self, request: Request, headers: dict[str, str]) -> Response | None:
            if "chunked" in headers.get("transfer-encoding", "").lower():
                try:
                    request.body = self._read_chunks()
                except HttpError as err:
                    self.close_connection = True
                    return self.sim.backend.error(err)
                return None
            try:
                length = int(headers.get("content-length", "0") or 0)
            except ValueError:
                length = -1
            if length < 0:
                self.close_connection = True
                return self.sim.backend.error(HttpError(400, "bad Content-Length",
                                                        "BadRequest"))
            if length > self.sim.max_body:
                self.close_connection = True
                return self.sim.backend.error(_too_large(self.sim.max_body))
            request.body = self.rfile.read(length) if length else b""
            return None

        def _read_chunks(self) -> bytes:
            """A chunked body (``kubectl create --raw -f`` sends one; RFC 9112 section 7.1),
            read chunk by chunk and refused once it passes ``max_body``, as a body with a
            Content-Length is; chunk extensions and trailer fields are read and dropped."""
            body = bytearray()
            while True:
                line = self.rfile.readline(_CHUNK_LINE + 1)
                size_text = line.split(b";", 1)[0].strip()
                if len(line) > _CHUNK_LINE or not line.endswith(b"\n") \
                        or not _HEX.fullmatch(size_text):
                    raise HttpError(400, "bad chunked request body: a chunk size is not a "
                                    "hexadecimal number", "BadRequest")
                size = int(size_text, 16)
                if len(body) + size > self.sim.max_body:
                    raise _too_large(self.sim.max_body)
                if size == 0:
                    break
                chunk = self.rfile.read(size)
                if len(chunk) < size or self.rfile.readline(_CHUNK_LINE + 1).strip():
                    raise HttpError(400, "bad chunked request body: a chunk is shorter than "
                                    "its size says", "BadRequest")
                body += chunk
            for _ in range(_CHUNK_LINE):          # trailer fields, up to the empty line
                if not self.rfile.readline(_CHUNK_LINE + 1).strip():
                    return bytes(body)
            raise HttpError(400, "bad chunked request body: too many trailer fields",
                            "BadRequest")

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            if response.content_type:       # an empty answer may carry none (Go's net/http)
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.stream is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._stream(response.stream(self.sim))
                return
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def _stream(self, chunks: Iterator[bytes]) -> None:
            """Send each chunk as it comes; an empty one (a quiet moment of a watch or a
            followed log) is a moment to see whether the client has gone: the stream ends
            then, as it would at its next write, and the generator is closed with it. A
            stream that ends by itself (an ``until`` or a ``timeoutSeconds`` reached) ends
            its chunked body and leaves the connection open for the client's next request,
            as Go's ``net/http`` does once a handler returns; one that ends any other way,
            or because the server stops, closes it."""
            ended = False
            try:
                for chunk in chunks:
                    if chunk:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    elif self._hung_up():
                        return
                self.wfile.write(b"0\r\n\r\n")
                ended = True
            except (BrokenPipeError, ConnectionResetError):
                pass              # the client went away: the watch ends
            except Exception:     # a simulator fault ends the watch; the client watches again
                self.sim.report(f"a stream ({self.command} {self.path}) ended")
                with contextlib.suppress(OSError):
                    self.wfile.write(b"0\r\n\r\n")
            finally:
                self.close_connection = (self.close_connection or not ended
                                         or self.sim.stopping.is_set())
                if isinstance(chunks, Generator):    # its own clean-up runs now
                    chunks.close()

        def _hung_up(self) -> bool:
            """Whether the client has closed the connection (``docker service logs -f`` or
            ``kubectl logs -f`` stopped with Ctrl-C): its socket reads as ready with nothing
            to read. Without this look, a stream with nothing to send (a quiet service, a
            stopped clock) went on until the server stopped. A peek on the socket made
            non-blocking for it, not ``select``, which refuses a socket numbered 1024 or more
            (a busy server's) on Linux and macOS."""
            timeout = self.connection.gettimeout()
            try:
                self.connection.settimeout(0.0)
                return not self.connection.recv(1, socket.MSG_PEEK)
            except BlockingIOError:
                return False                 # nothing to read: the client is still there
            except OSError:
                return True
            finally:
                with contextlib.suppress(OSError):
                    self.connection.settimeout(timeout)

        def __getattr__(self, name: str) -> Any:
            """Every method is the backend's to answer, as each real server's router does
            (``BaseHTTPRequestHandler`` looks up ``do_<METHOD>`` and answers any method it
            lacks with its own HTML 501 page): kube-apiserver answers a method its route
            lacks with a 405 Status (go-restful's router, through the API server's
            ``serviceErrorHandler``), the Docker daemon with its 404 ``page not found``
            (moby ``daemon/server/server.go``: ``MethodNotAllowedHandler`` is its
            ``notFoundHandler``), Marathon with Jersey's 405 through its exception mapper
            (:mod:`.marathonroutes`). ``OPTIONS``, ``TRACE``, ``CONNECT`` and a made-up
            ``FOO`` all reach the backend."""
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

    return Handler
