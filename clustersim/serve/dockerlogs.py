"""The logs of swarm services and tasks (``docker service logs [-f] SERVICE|TASK``):
``GET /services/{id}/logs`` and ``GET /tasks/{id}/logs``, one piece of code for both, as the
daemon's router hands both to ``swarmLogs`` (moby ``api/server/router/swarm/helpers.go``),
which calls ``ServiceLogs`` (moby ``daemon/cluster/services.go``), a subscription to
swarmkit's log broker (``manager/logbroker/subscription.go``). About 230 lines.

What a task writes: no process runs in a simulated container, so each task writes one line,
marked as simulated, when it reaches RUNNING. A log has the lines of every task of the
service the store still holds, ended ones too, until the task reaper deletes them
(:meth:`LogRoutes._log_tasks`): a task stays assigned to its node until it is deleted
(swarmkit ``manager/dispatcher/assignments.go``), so that node's worker keeps its container
and answers the log broker with its output. A node that is down cannot answer: its tasks'
lines are missing, and a log that does not follow ends with the broker's warning of an
incomplete log stream (:meth:`LogRoutes._unreachable`); a followed one gets them once the
node is back.

The request is read in the daemon's order: ``stdout`` or ``stderr`` (the router's 500 ``Bad
parameters: you must choose at least one stream``), the service or task, then ``tail`` and
``since`` as ``ServiceLogs`` reads them (:class:`LogOptions`). Each line is written as
``WriteLogStream`` (moby ``api/server/httputils/write_log_stream.go``) writes it: the time
first with ``timestamps``, then with ``details`` the swarm context as ``key=value`` pairs
(the docker CLI always asks for them and reads the node, service and task IDs from them),
then the line; framed for stdcopy (an 8-byte header: stream 1, stdout, and the big-endian
length) unless the service or task has a TTY, whose output is sent raw.

``follow`` (``-f``) keeps the stream open, as swarmkit's follow subscription never ends
(``Wait`` gives it no end): after the lines there are, each task of the service (of its
ID, so not a later service of the same name) writes its line as simulated time starts it,
until the client hangs up or the server stops. With the clock stopped (``speed=0``) the
stream stays open with nothing new, as a real one on a quiet service does, until a
``step`` or a request (``docker service scale``) starts a task. New lines are looked for
every :data:`FOLLOW_POLL` wall-clock seconds, in the store's index of the service's tasks
(``benchmarks/swarm_log_follow.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import quote_plus

from clustersim.goformat import NumError, atoi
from clustersim.serve.core import HttpError, Request, Response, SimServer
from clustersim.serve.dockerchecks import flag, unix_timestamp
from clustersim.serve.dockerdaemon import asked_version
from clustersim.serve.dockerstate import DockerState
from clustersim.swarm.tasks import Task, TaskState

__all__ = ["FOLLOW_POLL", "LogOptions", "LogRoutes"]

FOLLOW_POLL = 0.1
"""How often, in wall-clock seconds, a followed log looks for new lines."""


class LogOptions:
    """A logs request's ``tail``, ``since``, ``timestamps`` and ``details``, read as
    ``ServiceLogs`` reads them (moby ``daemon/cluster/services.go``). Its refusals are plain
    errors, which the daemon answers 500.

    ``tail``: empty or ``all`` for every line, else a number Go's ``strconv.Atoi`` reads
    (``tail value must be a positive integer or "all"``), not negative (``negative tail
    values not supported``): the last lines of each task's log, of those there are when the
    stream starts. ``since``: the Unix time the client sends (the CLI turns ``--since 10m``
    or an RFC 3339 time into ``seconds.nanoseconds`` itself), read as ``ParseTimestamps``
    (moby ``api/types/time/timestamp.go``) reads it, ``could not parse since timestamp:``
    and ``strconv.ParseInt``'s words otherwise; a line written before it is not sent."""

    def __init__(self, request: Request) -> None:
        text = request.arg("tail", "") or ""
        self.tail: int | None = None
        if text not in ("", "all"):
            try:
                self.tail = atoi(text)
            except NumError:
                raise HttpError(500, 'tail value must be a positive integer or "all"') from None
            if self.tail < 0:
                raise HttpError(500, "negative tail values not supported")
        self.since = _since(request.arg("since", "") or "")
        """The Unix nanosecond from which lines are sent, None for all."""
        self.timestamps = flag(request, "timestamps")
        self.details = flag(request, "details")
        self.follow = flag(request, "follow")


def _since(text: str) -> int | None:
    """``since`` in Unix nanoseconds (:func:`~clustersim.serve.dockerchecks.unix_timestamp`)."""
    if not text:
        return None
    try:
        whole, nanos = unix_timestamp(text)
    except NumError as err:
        raise HttpError(500, f"could not parse since timestamp: {err}") from None
    return whole * 10**9 + nanos


class LogRoutes(DockerState):
    """The log streams of ``/services/{id}/logs`` and ``/tasks/{id}/logs``."""

    def _logs(self, request: Request, kind: str, key: str) -> Response:
        """The log of the service or task ``key`` (``kind``: ``service`` or ``task``)."""
        if not (flag(request, "stdout") or flag(request, "stderr")):
            raise HttpError(500, "Bad parameters: you must choose at least one stream")
        if kind == "service":
            name = self._find_service(key)
            service_id = self._service_id(name)
            template = self._spec_json(name, self.cluster.services[name].spec)["TaskTemplate"]

            def chosen() -> list[Task]:
                return self.cluster.tasks_by_service_id(service_id)
        else:
            found = self._find_task(key)
            template = self._spec_json(found.service, found.spec)["TaskTemplate"]

            def chosen() -> list[Task]:
                return [t for t in self.cluster.tasks_by_service_id(found.service_id)
                        if t.id == found.id]
        tty = bool((template.get("ContainerSpec") or {}).get("TTY"))
        options = LogOptions(request)
        # the media types came with API 1.42; before it, and with a TTY, the raw-stream one
        media = "raw-stream" if tty or asked_version(request.path) < (1, 42) \
            else "multiplexed-stream"
        media = f"application/vnd.docker.{media}"
        writer = _LogWriter(self, options, tty)
        first = writer.write(self._log_tasks(chosen), options.tail)
        if not options.follow:
            return Response(200, first + writer.warning(self._unreachable(kind, chosen)),
                            media)

        def stream(server: SimServer) -> Iterator[bytes]:
            yield first
            while not server.stopping.wait(FOLLOW_POLL):
                with server.lock:
                    server.catch_up()
                    self.clock.begin()
                    chunk = writer.write(self._log_tasks(chosen))
                yield chunk      # sent without the lock: a slow reader stalls no one else

        return Response(200, content_type=media, stream=stream)

    def _log_tasks(self, chosen: Callable[[], list[Task]]) -> list[Task]:
        """The tasks ``chosen`` gives (the service's or the task itself, from the store's
        index by service: a follower's look costs its service's tasks, not the swarm's)
        whose lines can be read: they have run (ended ones the store still holds too), on a
        node that is not down, in the order they started."""
        tasks = [t for t in chosen()
                 if t.started is not None and not self.cluster.node_down(t.node)]
        return sorted(tasks, key=lambda t: t.started or 0.0)

    def _unreachable(self, kind: str, chosen: Callable[[], list[Task]]) -> list[str]:
        """Why a log that does not follow lacks lines, in the log broker's words
        (swarmkit ``manager/logbroker``: ``subscription.match`` and ``Err``,
        ``registerSubscription``): a node of its tasks that is down does not answer, ``node
        ID is not available``, and a task of its own (``docker service logs TASK``) not yet
        on a node is ``task ID has not been scheduled``; a service's tasks count once they
        have reached RUNNING. Each kind of reason sorted (upstream's order is a map's)."""
        tasks = [t for t in chosen() if kind == "task" or t.state >= TaskState.RUNNING]
        return sorted({f"node {self._id('node', t.node or '')} is not available" for t in tasks
                       if self.cluster.node_down(t.node)}) + \
            sorted(f"task {t.id} has not been scheduled" for t in tasks if t.node is None)


class _LogWriter:
    """The lines of a log stream, each task's once, written with the request's options."""

    def __init__(self, state: DockerState, options: LogOptions, tty: bool) -> None:
        self.state = state
        self.options = options
        self.tty = tty
        self.written: set[str] = set()
        """The tasks whose lines have been looked at (sent, or left out by ``tail`` or
        ``since``)."""

    def write(self, tasks: list[Task], tail: int | None = None) -> bytes:
        """The lines of ``tasks`` not looked at yet, each task's last ``tail``."""
        out = []
        for task in tasks:
            if task.id in self.written:
                continue
            self.written.add(task.id)
            lines = _lines(task)
            for when, text in lines[len(lines) - tail if tail is not None else 0:]:
                if self.options.since is None or \
                        self.state._unix_nanos(when) >= self.options.since:
                    out.append(self._frame(task, when, text))
        return b"".join(out)

    def warning(self, reasons: list[str]) -> bytes:
        """The error that ends a log without some of its lines, as the daemon passes on the
        log broker's (a gRPC error, ``ServiceLogs``) and ``WriteLogStream`` writes it: on
        stdcopy's system-error stream (3), which the docker CLI prints as ``error from
        daemon in stream: ...`` and fails with, raw with a TTY."""
        if not reasons:
            return b""
        text = ("Error grabbing logs: rpc error: code = Unknown desc = warning: incomplete "
                "log stream. some logs could not be retrieved for the following reasons: "
                + ", ".join(reasons) + "\n").encode()
        return text if self.tty else b"\x03\x00\x00\x00" + len(text).to_bytes(4, "big") + text

    def _frame(self, task: Task, when: float, text: str) -> bytes:
        """One line as ``WriteLogStream`` writes it: time, context, text; framed for
        stdcopy without a TTY."""
        line = text
        if self.options.details:     # attrsByteSlice: sorted by key, each part escaped
            context = {"com.docker.swarm.node.id": self.state._id("node", task.node or ""),
                       "com.docker.swarm.service.id": task.service_id,
                       "com.docker.swarm.task.id": task.id}
            line = ",".join(f"{quote_plus(k)}={quote_plus(v)}"
                            for k, v in sorted(context.items())) + " " + line
        if self.options.timestamps:
            line = f"{self.state._stamp(when)} {line}"
        data = line.encode()
        if self.tty:
            return data
        return b"\x01\x00\x00\x00" + len(data).to_bytes(4, "big") + data


def _lines(task: Task) -> list[tuple[float, str]]:
    """What ``task`` has written, each line with the simulated second it was written at:
    one line when it started."""
    if task.started is None:
        return []
    return [(task.started, f"task {task.name}.{task.id[:12]} on {task.node}: started "
                           f"{task.spec.image} (simulated log line)\n")]
