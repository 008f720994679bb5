"""The worker side: how a node's agent moves an assigned task through its states.

Upstream: moby/swarmkit ``agent/exec/controller.go`` (``Do``: ASSIGNED → ACCEPTED →
PREPARING → READY → STARTING → RUNNING, and SHUTDOWN when the desired state says so) and
``agent/exec/dockerapi``. A task whose desired state is READY (a restart delay or a stop-first
update is still waiting) stops at READY until the orchestrator raises it to RUNNING.

Durations are the simulator's choice, short and fixed so runs are easy to follow:
accept 0.1 s, prepare (image pull) 1 s, start 0.5 s, stop 1 s. Real ones depend on the image
size, the registry and the container's stop grace period (10 s by default).

**Health checks.** When the service has a ``healthcheck``, the task stays STARTING after its
container starts until the container is healthy, and only then reports RUNNING: Docker's
swarm executor (moby ``daemon/cluster/executor/container/controller.go``, ``Start``) waits for
the ``health_status: healthy`` event before it returns, and on ``health_status: unhealthy``
stops the container, which ends the task FAILED with "task: non-zero exit (137): dockerexec:
unhealthy container" (``exitError``, ``ErrContainerUnhealthy`` in ``errors.go``). After RUNNING,
``Wait`` keeps watching: a container that turns unhealthy later fails the same way. The probes
follow moby ``daemon/health.go``: the first comes ``interval`` after the start (every
``start_interval`` while the start period lasts and nothing has passed yet, and never later
than the end of the start period), the next ``interval`` after each answer; a pass makes the
container healthy and resets the failing streak; a failure (a command the simulator knows
fails, :attr:`~clustersim.swarm.spec.HealthCheck.always_fails`: ``--health-cmd false`` or
``"exit 1"``; or a probe slower than ``timeout``) adds to the streak unless the container has
never been healthy and the probe began within ``start_period``; ``retries`` failures in a row
make it unhealthy, and the orchestrator replaces the failed task as its restart policy says.
How a container answers any other command is set per image with
:meth:`SwarmCluster.set_image_health`; the stop after an unhealthy verdict takes
:data:`STOP_TIME`.

**A container the node refuses** (:func:`container_refusal`). The node's executor turns the
task into a container configuration when the agent first gets it, and checks its mounts
(moby ``daemon/cluster/executor/container/validate.go``, ``validateMounts``, called from
``container.go``'s ``setTask``): a target must be an absolute path, a bind's source too, a
volume's source must not be one (it names a volume), a tmpfs has no source and a named pipe
one. swarmkit's manager checks none of this (its ``validateMounts`` refuses only two mounts at
one target), so the service is created. The error comes while the controller is resolved
(swarmkit ``agent/exec/controller.go``, ``Resolve``): the task goes from ASSIGNED to REJECTED
with the message ``resolving controller failed``. A host-mode port is a port binding of the
container (moby ``container.go``, ``portBindings``: the target as the container port, the
published port as the host port), which the node's daemon checks when the controller's
``Prepare`` creates the container (Engine 25's ``daemon/container.go``,
``validatePortBindings``: a number past 65535 is ``invalid port specification: "70000"``).
Only the Engine API can ask for such a port (the docker CLI and a Compose file keep ports in
range), and swarmkit stores it (``validateEndpointSpec`` and the port allocator look at
published ingress ports only). That error is fatal before STARTING, so the task ends REJECTED
with it, its message still ``preparing`` (``Do``'s ``fatal``). The same create checks the
container config first (``validateContainerConfig``): a health check ``start_interval`` under
1 ms, which swarmkit does not check, is ``StartInterval in Healthcheck cannot be less than
1ms`` (:mod:`clustersim.manifests.healthchecks`). Either way the orchestrator
replaces the task as any rejected one. Simplified: the daemon checks the bindings in Go's map
order, which varies; here the first bad number in the spec's order is named.

**A bind source the node does not have.** Between the container config and the port
bindings, the same create checks each mount (``validateHostConfig`` in moby
``daemon/container.go`` calls ``ValidateMountConfig``, ``daemon/volume/mounts/
linux_parser.go``), and a bind whose source does not exist on the node is ``invalid mount
config for type "bind": bind source path does not exist: /srv/data``
(``daemon/volume/mounts/validate.go``): fatal before STARTING, so REJECTED at
``preparing``. A source that ``os.Stat`` cannot look up at all (a NUL byte, 4,096 bytes or
more) fails with that error instead, on every node (:func:`clustersim.hostpaths.stat_error`).
The daemon could create the missing source (``BindOptions.CreateMountpoint``),
but a Swarm task never asks it to: the executor's ``convertMount``
(``daemon/cluster/executor/container/container.go``) does not pass that option. Unlike the
refusals above this depends on the node: which paths exist there is its
:attr:`~clustersim.Node.host_paths` (:mod:`clustersim.hostpaths`), so the task may run on
another node, and the orchestrator keeps making new tasks until one lands on a node that has
the path. The executor's own second check when it starts the container (``adapter.go``,
``checkMounts``: ``invalid bind mount source, source path not found``) never fires here: a
path does not disappear between create and start. The same check refuses a mount whose
target is ``/`` (``validateMountTarget``: ``invalid specification: destination can't be
'/'``, ``ErrVolumeTargetIsRoot`` in ``daemon/volume/mounts/parser.go``), mount by mount in
the spec's order. What else the daemon checks of a mount (options of another type's mount,
tmpfs options) is not simulated.

**Ports bound when the container starts.** A host-mode port of 0 takes a port of the node's
ephemeral range when the container starts, and a published host-mode port takes that port
(:mod:`clustersim.swarm.portallocator`, the agent's ``ports``): unlike the refusals above it
depends on what else runs on the node. A full range, or a published port the node already
gave another container, fails the start, and ``Do``'s ``fatal`` at STARTING ends the task
FAILED, its message still ``starting``, with the daemon's error (moby/moby#34824 shows such
a task).

**An image no registry serves** (:meth:`SwarmCluster.fail_pull`). The controller's
``Prepare`` pulls the image and only logs a failed pull (a node may hold an older copy), then
creates the container, which fails for an image the node does not hold: "No such image:
nginx:1.99" (moby ``daemon/cluster/executor/container/controller.go``, ``Prepare``;
``ErrImageDoesNotExist`` in ``daemon/images``), fatal before STARTING, so REJECTED with the
message ``preparing``; the create looks the image up only after its checks of the
configuration above (moby ``daemon/create.go``, ``containerCreate``:
``verifyContainerSettings`` before ``GetImage``), so a task the daemon refuses for its
configuration is rejected with that error even when its image is missing too. Simplified:
no node holds any image, so such a task is rejected on every node; every other image is
taken to exist (the simulator has no registry), where a real node rejects a tag its registry
does not have, but for an image whose registry is in the reserved domain ``.invalid``
(``nonexistent.invalid/web:1``): no resolver answers for it (RFC 6761), so a real node's pull
fails too and its tasks are rejected alike, the served swarm's way to show it.

A container can end on its own: :meth:`Agent.exit` ends a running task with an exit code
(0 → COMPLETE "finished"; otherwise FAILED "task: non-zero exit (N)", Docker's wording:
moby ``daemon/cluster/executor/container/controller.go``, ``exitError``), when its service's
container labels say so (:func:`clustersim.swarm.spec.container_exit`), else when its image
was made to fail (:meth:`SwarmCluster.fail_image`). A
node whose machine has failed reports nothing: its tasks keep their last known state.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any

from clustersim.goformat import path_clean
from clustersim.hostpaths import DEFAULT_HOST_PATHS, exists, stat_error
from clustersim.manifests.healthchecks import engine_problem
from clustersim.swarm.mesh import MAX_PORT
from clustersim.swarm.portallocator import PortAllocator, start_error
from clustersim.swarm.spec import Mount
from clustersim.swarm.tasks import Task, TaskState

if TYPE_CHECKING:
    from clustersim.swarm.cluster import SwarmCluster

__all__ = ["ACCEPT_TIME", "PREPARE_TIME", "RESOLVE_FAILED", "START_TIME", "STOP_TIME",
           "UNHEALTHY_EXIT", "Agent", "container_refusal"]

ACCEPT_TIME = 0.1
PREPARE_TIME = 1.0
START_TIME = 0.5
STOP_TIME = 1.0
#: The exit code of a container stopped for being unhealthy (SIGKILL after the grace period).
UNHEALTHY_EXIT = 137
#: A rejected task's message when its executor refused its configuration (``Resolve``).
RESOLVE_FAILED = "resolving controller failed"

_MESSAGES = {
    TaskState.ACCEPTED: "accepted",
    TaskState.PREPARING: "preparing",
    TaskState.READY: "prepared",
    TaskState.STARTING: "starting",
    TaskState.RUNNING: "started",
    TaskState.COMPLETE: "finished",
    TaskState.SHUTDOWN: "shutdown",
}


def _mount_problem(mount: Mount) -> str:
    """``validateMounts``' error for one mount on a Linux node, or "" (module docstring)."""
    if not mount.target.startswith("/") and mount.type != "npipe":
        return f"invalid mount target, must be an absolute path: {mount.target}"
    if mount.type == "bind" and not mount.source.startswith("/"):
        return f"invalid bind mount source, must be an absolute path: {mount.source}"
    if mount.type == "volume" and mount.source.startswith("/"):
        return f"invalid volume mount source, must not be an absolute path: {mount.source}"
    if mount.type == "tmpfs" and mount.source:
        return "invalid tmpfs source, source must be empty"
    if mount.type == "npipe" and not mount.source:
        return "invalid npipe source, source must not be empty"
    return ""


def container_refusal(task: Task, host_paths: Iterable[str] = DEFAULT_HOST_PATHS
                      ) -> tuple[str, str]:
    """Why the node whose paths are ``host_paths`` refuses to run ``task``'s container, as
    the rejected task's message (the step that refused it: :data:`RESOLVE_FAILED` or
    ``preparing``) and its error, or ``("", "")``: a mount its executor refuses, then what
    its daemon refuses when it creates the container, in moby's order
    (``daemon/container.go``, ``verifyContainerSettings``: the container config before the
    host config): a health check ``start_interval`` under 1 ms, which swarmkit let through
    (:func:`~clustersim.manifests.healthchecks.engine_problem`), then a mount's target of
    ``/`` or a bind source the node does not have, then a host-mode target or published
    port past 65535 (see the module docstring). A published port of 0 binds no host port
    (an ephemeral one)."""
    for mount in task.spec.mounts:
        problem = _mount_problem(mount)
        if problem:
            return RESOLVE_FAILED, problem
    check = task.spec.healthcheck
    refused = engine_problem(_nanoseconds(check.start_interval)) if check else None
    if refused:
        return _MESSAGES[TaskState.PREPARING], refused
    for mount in task.spec.mounts:
        if path_clean(mount.target.replace("\\", "/")) == "/":
            return _MESSAGES[TaskState.PREPARING], (
                f'invalid mount config for type "{mount.type}": invalid specification: '
                "destination can't be '/'")
        if mount.type != "bind":
            continue
        failed = stat_error(mount.source) or ("" if exists(host_paths, mount.source) else
                                              "bind source path does not exist: "
                                              f"{mount.source}")
        if failed:
            return _MESSAGES[TaskState.PREPARING], (
                f'invalid mount config for type "bind": {failed}')
    for port in task.spec.ports:
        if port.mode != "host":
            continue
        for number in (port.target, port.published):
            if number > MAX_PORT:     # nat reads ports with ParseUint(s, 10, 16)
                return _MESSAGES[TaskState.PREPARING], f'invalid port specification: "{number}"'
    return "", ""


def _nanoseconds(seconds: float) -> int:
    """A span in whole nanoseconds, as Go's ``time.Duration`` holds it: moby's health monitor
    compares the time since the start with ``start_period`` in these, so a start period
    reached through several float steps (29.999999999999993 s) counts as reached."""
    return round(seconds * 1e9)


class Agent:
    """Runs every node's task controllers as SimPy processes of the cluster's clock."""

    def __init__(self, cluster: SwarmCluster) -> None:
        self.cluster = cluster
        self.clock = cluster.clock
        self.ports = PortAllocator()
        """The nodes' daemons' ephemeral host ports."""

    def _alive(self, task: Task) -> bool:
        return task.node is not None and self.cluster.machine_alive(task.node)

    def _report(self, task: Task, state: TaskState, err: str = "") -> None:
        self.cluster.set_task_state(task, state, _MESSAGES.get(state, state.value.lower()), err)

    def start(self, task: Task) -> None:
        """The node received an assigned task: run its controller."""
        self.clock.process(self._run(task))

    def _step(self, task: Task, delay: float) -> Generator[Any, Any, bool]:
        """Wait, then say whether the task should go on (node alive, not told to stop)."""
        yield self.clock.timeout(delay)
        if not self._alive(task) or task.state.terminal:
            return False
        if task.desired_state >= TaskState.SHUTDOWN:
            self._report(task, TaskState.SHUTDOWN)
            return False
        return True

    def _run(self, task: Task) -> Generator[Any, Any, None]:
        assert task.node is not None
        step, refused = container_refusal(task, self.cluster.node_record(task.node).node
                                          .host_paths)
        if not (yield from self._step(task, ACCEPT_TIME)):
            return
        if step != RESOLVE_FAILED:
            self._report(task, TaskState.ACCEPTED)
            self._report(task, TaskState.PREPARING)
            if not (yield from self._step(task, PREPARE_TIME)):
                return
            missing = self.cluster.missing_image(task.spec.image)
            if missing and not refused:      # the create checks the config first
                step, refused = _MESSAGES[TaskState.PREPARING], missing
        if refused:
            self.cluster.set_task_state(task, TaskState.REJECTED, step, refused)
            return
        self._report(task, TaskState.READY)
        while task.desired_state == TaskState.READY:
            yield self.cluster.wait_for_change(task)
            if not self._alive(task) or task.state.terminal:
                return
        if task.desired_state >= TaskState.SHUTDOWN:
            self._report(task, TaskState.SHUTDOWN)
            return
        self._report(task, TaskState.STARTING)
        if not (yield from self._step(task, START_TIME)):
            return
        problem = self.ports.request(task)
        if problem:
            self.cluster.set_task_state(task, TaskState.FAILED, _MESSAGES[TaskState.STARTING],
                                        start_error(task, problem))
            return
        started = self.clock.now
        behaviour = task.spec.container_exit or self.cluster.image_behaviour(task.spec.image)
        if behaviour is not None:
            self.clock.process(self._exit_after(task, *behaviour))
        if task.spec.healthcheck is None or not task.spec.healthcheck.probes:
            self._report(task, TaskState.RUNNING)
        else:
            yield from self._monitor_health(task, started)

    def _exit_after(self, task: Task, after: float, code: int) -> Generator[Any, Any, None]:
        yield self.clock.timeout(after)
        self.exit(task, code)

    def _up(self, task: Task) -> bool:
        """The container is started and wanted (STARTING or RUNNING, desired ≤ RUNNING)."""
        return (self._alive(task) and TaskState.STARTING <= task.state <= TaskState.RUNNING
                and task.desired_state <= TaskState.RUNNING)

    def _monitor_health(self, task: Task, started: float) -> Generator[Any, Any, None]:
        """Probe the container as moby's health monitor does; RUNNING once healthy, FAILED
        once unhealthy (see the module docstring)."""
        assert task.spec.healthcheck is not None
        check = task.spec.healthcheck.resolved()
        interval, start_interval, start_period = (
            _nanoseconds(check.interval), _nanoseconds(check.start_interval),
            _nanoseconds(check.start_period))
        status, streak = "starting", 0
        while True:
            elapsed = _nanoseconds(self.clock.now - started)
            if elapsed >= start_period:
                wait = interval
            elif start_period - elapsed < interval:
                wait = start_period - elapsed
            else:
                wait = start_interval if status == "starting" else interval
            yield self.clock.timeout(wait / 1e9)
            if not self._up(task):
                return
            began = self.clock.now - started
            passed, took = self.cluster.probe(task.spec.image, began)
            passed = passed and not check.always_fails
            if took > check.timeout:
                passed, took = False, check.timeout
            if took:
                yield self.clock.timeout(took)
                if not self._up(task):
                    return
            if passed:
                streak, status = 0, "healthy"
                if task.state == TaskState.STARTING:
                    self._report(task, TaskState.RUNNING)
            elif status != "starting" or _nanoseconds(began) >= start_period:
                streak += 1
                if streak >= check.retries:
                    yield self.clock.timeout(STOP_TIME)
                    if self._up(task):
                        self.cluster.set_task_state(  # the message stays the last one
                            task, TaskState.FAILED, _MESSAGES[task.state],
                            f"task: non-zero exit ({UNHEALTHY_EXIT}): dockerexec: unhealthy "
                            "container")
                    return

    def exit(self, task: Task, code: int = 1) -> bool:
        """The container of a started task exits with ``code``. Returns False if the task
        was not started (or its node is down). A container may exit while it waits to be
        healthy (Docker's ``Start`` sees the ``die`` event)."""
        if not TaskState.STARTING <= task.state <= TaskState.RUNNING or not self._alive(task):
            return False
        if code == 0:
            self._report(task, TaskState.COMPLETE)
        else:
            self.cluster.set_task_state(task, TaskState.FAILED, "started",
                                        f"task: non-zero exit ({code})")
        return True

    def stop(self, task: Task) -> None:
        """The desired state went to SHUTDOWN: stop the container if it is up."""
        if TaskState.STARTING <= task.state <= TaskState.RUNNING and self._alive(task):
            self.clock.process(self._stop(task))

    def _stop(self, task: Task) -> Generator[Any, Any, None]:
        yield self.clock.timeout(STOP_TIME)
        if self._alive(task) and not task.state.terminal:
            self._report(task, TaskState.SHUTDOWN)
