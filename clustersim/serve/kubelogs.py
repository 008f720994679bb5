"""The Pod log subresource of the served Kubernetes API (``GET pods/<name>/log``, what
``kubectl logs`` reads): which container's log, the kubelet's refusals, the simulated log
lines, the ``PodLogOptions`` (``since``, ``tail``, ``limitBytes``, ``timestamps``; ``stream``
refused, its feature gate being off) and the ``follow`` stream.

It follows the kubelet's log reading and writing (``pkg/kubelet/kuberuntime/logs/logs.go``),
the options' checks of ``ValidatePodLogOptions`` (``pkg/apis/core/validation/validation.go``)
and the container checks of ``pkg/registry/core/pod/strategy.go``; the REST handler
(:mod:`~clustersim.serve.kubernetes`) calls :func:`pod_log` for ``pods/<name>/log``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Any

from clustersim.goformat import TimeParseError, parse_rfc3339
from clustersim.kubernetes.containerref import container_named
from clustersim.kubernetes.kubelet import Kubelet
from clustersim.manifests.kubernetes_errors import aggregate, invalid
from clustersim.serve.core import HttpError, Request, Response, SimServer
from clustersim.serve.kubeinitstatus import POD_INITIALIZING
from clustersim.serve.kubelists import WATCH_LIMIT, WATCH_POLL, bool_option, int64_option
from clustersim.serve.kuberender import Renderer, waiting_reason

__all__ = ["pod_log"]

# the containers whose logs the API server serves, in kubectl's order for --all-containers
# (``podHasContainerWithName`` in pkg/registry/core/pod/strategy.go visits all three kinds)
_LOG_CONTAINERS = ("initContainers", "containers", "ephemeralContainers")


def pod_log(request: Request, pod: dict[str, Any], renderer: Renderer) -> Response:
    """``GET pods/<name>/log``: no process runs in a simulated container, so the log is
    what the kubelet did with it, one line per container event, marked as simulated.
    Errors as the kubelet gives them: no node yet, a container still waiting, an
    unknown container name, ``--previous`` for a container that never restarted
    (``validateContainerLogStatus`` in ``pkg/kubelet/kubelet_pods.go``). The log is the
    current instance's (the running one, else the last that ran: during a crash loop's
    back-off, the run that crashed); ``--previous`` is the run before the current one, or
    the last run while the container waits in its back-off (:func:`_log_lines`).

    ``follow`` (``kubectl logs -f``) streams as the kubelet does: the lines so far, then
    each new one as the simulated clock reaches it, until the container stops (the Pod
    is deleted or finishes, or the container exits or restarts); for a container that
    is not running, or with ``--previous``, it ends at once with the lines there are.
    Simplified: the stream also ends after 1,800 wall-clock seconds
    (:data:`~clustersim.serve.kubelists.WATCH_LIMIT`, a real one stays open as long as the
    container runs; kubectl does not start it again), and new lines are looked for every
    0.1 s of wall-clock time; with the clock frozen (``speed=0``) only ``step`` or a request
    such as a deletion brings any."""
    name = pod["metadata"]["name"]
    spec = pod["spec"]
    writer = _LogWriter(request, name, renderer)
    containers = [c.get("name") for key in _LOG_CONTAINERS for c in spec.get(key) or []]
    container = request.arg("container") or _only_container(spec, name, containers)
    if container not in containers:
        raise HttpError(400, f"container {container} is not valid for pod {name}",
                        "BadRequest")
    if not spec.get("nodeName"):
        raise HttpError(400, f"pod {name} does not have a host assigned", "BadRequest")
    previous = bool_option(request, "previous")
    restarts = renderer.cluster.kubelet.restarts(pod).get(container)
    if previous and restarts is None:
        raise HttpError(400, f'previous terminated container "{container}" in pod '
                        f'"{name}" not found', "BadRequest")
    if not _log_lines(renderer, pod, container, False):
        waiting = POD_INITIALIZING if spec.get("initContainers") and not any(
            c.get("name") == container for c in spec["initContainers"]) \
            else "ContainerCreating"
        raise HttpError(400, f'container "{container}" in pod "{name}" is waiting to '
                        f"start: {waiting}", "BadRequest")
    lines = _log_lines(renderer, pod, container, previous)
    text = writer.write(lines if writer.tail is None else
                        lines[max(len(lines) - writer.tail, 0):] if writer.tail else [])
    uid, kubelet = pod["metadata"].get("uid", ""), renderer.cluster.kubelet
    count = 0 if restarts is None else restarts.count
    if not bool_option(request, "follow") or previous or writer.full or not _running(
            kubelet, pod, uid, container, count):
        return Response(200, text, "text/plain; charset=utf-8")

    followed = len(_runs(renderer, pod, container)) - 1     # the running instance

    def stream(server: SimServer) -> Iterator[bytes]:
        yield text
        sent = len(lines)
        deadline = time.monotonic() + WATCH_LIMIT
        while not server.stopping.wait(WATCH_POLL) and time.monotonic() < deadline:
            with server.lock:
                server.catch_up()
                renderer.begin(request.session)
                now = renderer.cluster.get("Pod", pod["metadata"]["namespace"], name)
                current = _runs(renderer, pod, container)[followed]
                chunk = writer.write(current[sent:])
            yield chunk           # sent without the lock: a slow reader stalls no one else
            sent = max(sent, len(current))
            if writer.full or not _running(kubelet, now, uid, container, count):
                return

    return Response(200, content_type="text/plain; charset=utf-8", stream=stream)


def _log_lines(renderer: Renderer, pod: dict[str, Any], container: str,
              previous: bool) -> list[tuple[float, str]]:
    """The simulated log of one instance of ``container`` in ``pod``, as the kubelet picks
    it (``validateContainerLogStatus`` in ``pkg/kubelet/kubelet_pods.go``): the running
    instance, or when none runs (the crash loop's back-off, an exited container) the last
    terminated one; with ``previous`` the last terminated one too, which while the
    container runs is the run before the current one. A restart is a new container with a
    log of its own, so the runs are never joined (:func:`_runs`)."""
    runs = _runs(renderer, pod, container)
    if previous and container not in renderer.cluster.kubelet.backing_off(pod):
        runs = runs[:-1]
    return runs[-1] if runs else []


def _runs(renderer: Renderer, pod: dict[str, Any], container: str
          ) -> list[list[tuple[float, str]]]:
    """Each run of ``container`` in ``pod``, oldest first: its lines from the event that
    started it to the next start. The lines are that container's events (this very pod's,
    not a namesake's in another namespace nor a predecessor's). A log is one container's
    output, as the kubelet keeps one log file per container instance, so the Pod's own
    events (its scheduling), and the kubelet's before the container first started, are in
    no log, and each container's lines are the events whose field path names that container
    (``spec.containers{web}``, as the kubelet records them). Each line with the simulated
    second it was written at, which the runtime's log file keeps for the kubelet
    (``--since``, ``--timestamps``: :class:`_LogWriter`); the line itself starts with that
    time too, as many programs print it."""
    meta = pod["metadata"]
    runs: list[list[tuple[float, str]]] = []
    for event in renderer.cluster.events.where(object=f"pod/{meta['name']}",
                                               uid=meta.get("uid", "")):
        if event.reason not in ("Started", "Killing", "BackOff") \
                or container_named(event.field_path) != container:
            continue
        if event.reason == "Started":
            runs.append([])
        if runs:
            runs[-1].append((event.time, f"{renderer.timestamp(event.time)} [clustersim] "
                                         f"{event.reason}: {event.message}"))
    return runs


class _LogWriter:
    """The options of a ``GET pods/<name>/log`` (``PodLogOptions``) and the kubelet's writing
    of the log lines with them (``NewLogOptions`` and ``logWriter.write`` in
    ``pkg/kubelet/kuberuntime/logs/logs.go``): a line written before ``since`` is skipped,
    ``--timestamps`` puts the time of each line before it (:meth:`Renderer.nanotime
    <clustersim.serve.kubederived.Derived.nanotime>`), and the output stops after
    ``limitBytes`` bytes, in the middle of a line if it falls there. ``tailLines`` is the
    caller's: the last lines of the log, before the other options (``ReadLogs`` seeks to them
    first), and only of the lines there are when a follow starts.

    The options are read as the API server reads them: an integer Go's ``ParseInt`` cannot
    read, or a ``sinceTime`` not in RFC 3339, is a 400 (the handler's ``DecodeParameters``);
    then ``ValidatePodLogOptions`` (``pkg/apis/core/validation/validation.go``) refuses a
    negative ``tailLines``, a ``limitBytes`` or ``sinceSeconds`` below 1, and both
    ``sinceSeconds`` and ``sinceTime``, with a 422 naming ``PodLogOptions``. Simplified: Go's
    time parse error also names the part of the time it could not read.

    ``stream`` (``All``, ``Stdout`` or ``Stderr``: one stream of the container's output,
    KEP-3288) is the field of the ``PodLogsQuerySplitStreams`` feature gate, alpha and off
    by default since v1.32 (kubernetes/kubernetes ``pkg/features/kube_features.go`` lists no
    later stage in the v1.35-era source checked, and kubernetes/enhancements issue #3288 is
    still at alpha as of December 2026); with the gate off ``ValidatePodLogOptions`` refuses
    any ``stream``, ``All`` too, as ``stream: Forbidden: may not be specified`` (the answer
    a v1.32 cluster gives, kubernetes/kubernetes issue #133005), and so does this server.
    With the gate on, the API server defaults it to ``All``, refuses another value and a
    ``Stdout`` or ``Stderr`` with ``tailLines``, and passes it to the kubelet, which reads
    from the container's CRI log file only the lines its runtime tagged with that stream
    (each line is written as ``<time> <stdout|stderr> <tag> <text>``); the simulated lines
    are the kubelet's own record and would all be ``stdout``. kubectl v1.37 has no flag for
    it (``kubectl get --raw '.../log?stream=Stderr'`` sends it)."""

    def __init__(self, request: Request, name: str, renderer: Renderer) -> None:
        self.renderer = renderer
        self.tail = int64_option(request, "tailLines")
        limit = int64_option(request, "limitBytes")
        seconds = int64_option(request, "sinceSeconds")
        given = request.arg("sinceTime") or None
        problems = []
        if self.tail is not None and self.tail < 0:
            problems.append("tailLines: " + invalid(self.tail,
                                                    "must be greater than or equal to 0"))
        if limit is not None and limit < 1:
            problems.append("limitBytes: " + invalid(limit, "must be greater than 0"))
        if seconds is not None and given is not None:
            problems.append(": Forbidden: at most one of `sinceTime` or `sinceSeconds` may be "
                            "specified")
        elif seconds is not None and seconds < 1:
            problems.append("sinceSeconds: " + invalid(seconds, "must be greater than 0"))
        if "stream" in request.query:           # the feature gate is off
            problems.append("stream: Forbidden: may not be specified")
        since: float | None = None if given is None else _rfc3339(given)
        if problems:
            raise HttpError(422, f'PodLogOptions "{name}" is invalid: {aggregate(problems)}',
                            "Invalid")
        clock = renderer.clock
        if seconds is not None:         # counted back from now on the wall clock's mapping
            since = clock.unix(clock.now()) - seconds
        self.since = None if since is None else clock.seconds(since)
        """The simulated second from which lines are written, None for all: the one the
        served timestamps show at ``sinceTime``, or ``sinceSeconds`` before now as shown
        (at ``--speed 10``, ``--since=15m`` reaches 150 simulated minutes back)."""
        self.remain = limit
        self.timestamps = bool_option(request, "timestamps")

    @property
    def full(self) -> bool:
        """Whether ``limitBytes`` have been written (a follow ends then)."""
        return self.remain is not None and self.remain <= 0

    def write(self, lines: list[tuple[float, str]]) -> bytes:
        """``lines`` as the kubelet writes them with these options."""
        out = b"".join(
            (f"{self.renderer.nanotime(when)} " if self.timestamps else "").encode()
            + text.encode() + b"\n"
            for when, text in lines if self.since is None or when >= self.since)
        if self.remain is not None:
            out = out[:max(self.remain, 0)]
            self.remain -= len(out)
        return out


def _rfc3339(text: str) -> int:
    """The Unix second of ``text``, a ``metav1.Time`` query parameter read as Go's
    ``time.Parse`` with ``time.RFC3339`` reads it (:func:`~clustersim.goformat.parse_rfc3339`),
    or the 400 of one it cannot read, in its words. The API server passes it on to the kubelet
    in whole seconds (``LogLocation`` formats it with ``time.RFC3339``), so a fraction is
    dropped."""
    try:
        return math.floor(parse_rfc3339(text).timestamp())
    except TimeParseError as unreadable:
        raise HttpError(400, str(unreadable), "BadRequest") from None


def _only_container(spec: dict[str, Any], name: str, containers: list[str]) -> str:
    """The container a log of Pod ``name`` without ``container`` is of: its one container,
    else the 400 listing every container, init and ephemeral ones too, in
    ``VisitContainers``' order (``validateContainer`` in
    ``pkg/registry/core/pod/strategy.go``; kubectl picks one itself and says ``Defaulted
    container``)."""
    regular = spec.get("containers") or []
    if len(regular) == 1:
        return regular[0].get("name")
    raise HttpError(400, f"a container name must be specified for pod {name}" + (
        f", choose one of: [{' '.join(containers)}]" if regular else ""), "BadRequest")


def _running(kubelet: Kubelet, pod: dict[str, Any] | None, uid: str, container: str,
             restarts: int) -> bool:
    """Whether ``container``, which a log follow began on, still runs in ``pod``, the Pod of
    that name now: the same Pod (``uid``), Running, the container not waiting (its crash
    loop's back-off, a failed pull) and not restarted since (``restarts``, its count then: a
    restart is a new container)."""
    if pod is None or pod["metadata"].get("uid") != uid:
        return False
    record = kubelet.restarts(pod).get(container)
    return (pod.get("status") or {}).get("phase") == "Running" \
        and waiting_reason(kubelet, pod, container) is None \
        and (0 if record is None else record.count) == restarts
