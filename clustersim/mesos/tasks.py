"""Tasks as a framework describes them (``TaskInfo``) and as Mesos reports them (``TaskStatus``).

Names follow apache/mesos ``include/mesos/mesos.proto`` (``TaskInfo``, ``TaskStatus``,
``TaskState``, ``TaskStatus.Reason``) and the state diagram in ``docs/task-state-reasons.md``
and ``docs/high-availability-framework-guide.md``:

    TASK_STAGING → TASK_STARTING → TASK_RUNNING → TASK_FINISHED | TASK_FAILED | TASK_KILLED
    TASK_RUNNING → TASK_KILLING → TASK_KILLED                  (kill, TASK_KILLING_STATE)
    (any non-terminal state) → TASK_KILLED                     (kill requested)
    (any non-terminal state) → TASK_LOST | TASK_UNREACHABLE    (agent lost)
    TASK_UNREACHABLE → TASK_GONE_BY_OPERATOR                   (operator marks agent gone)
    TASK_ERROR (invalid task) | TASK_DROPPED / TASK_LOST (offer no longer valid) at launch

A real task runs a command; the simulator needs only its timing, so :class:`TaskInfo` carries
a small, documented **duration model** instead (all times in simulated seconds):

- ``staging_seconds`` (default 0): TASK_STAGING → TASK_STARTING (the agent fetches the
  sandbox and image);
- ``startup_seconds`` (default 1): TASK_STARTING → TASK_RUNNING;
- ``run_seconds``: None for a long-running service; otherwise the task ends TASK_FINISHED
  this long after it started running (a batch job);
- ``fail_probability`` (default 0): the chance, drawn once at launch from the cluster's
  seeded random generator, that the task crashes on start (TASK_FAILED instead of
  TASK_RUNNING, e.g. a bad command or image);
- ``fail_after_seconds``: if set, a running task crashes (TASK_FAILED) this long after it
  started running, unless it finished first;
- ``stop_seconds`` (default 0): how long the running task's process takes to exit once its
  executor sends it SIGTERM; ``kill_grace_seconds`` is the task's ``KillPolicy.grace_period``
  (None: the command executor's 3 s), after which the executor sends SIGKILL. A killed
  running task is TASK_KILLED after the shorter of the two (apache/mesos
  ``src/launcher/executor.cpp``, ``CommandExecutor::kill`` and ``reaped``); a framework with
  the ``TASK_KILLING_STATE`` capability hears TASK_KILLING first, when the kill starts.

Simplified: executors, task groups' shared executor lifecycle, health checks run by Mesos
(``TaskInfo.health_check``) and status-update acknowledgements are not modelled; each update
is delivered once, in order. A second kill of a task being killed changes nothing (Mesos'
executor may shorten the grace period then, for a kill that carries a shorter
``KillPolicy``), and an executor keeps killing while its agent is cut off from the master.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clustersim.mesos.resources import Resources

__all__ = [
    "DEFAULT_KILL_GRACE_SECONDS",
    "TASK_DROPPED",
    "TASK_ERROR",
    "TASK_FAILED",
    "TASK_FINISHED",
    "TASK_GONE",
    "TASK_GONE_BY_OPERATOR",
    "TASK_KILLED",
    "TASK_KILLING",
    "TASK_LOST",
    "TASK_RUNNING",
    "TASK_STAGING",
    "TASK_STARTING",
    "TASK_UNREACHABLE",
    "TERMINAL_STATES",
    "Task",
    "TaskInfo",
    "TaskStatus",
]

TASK_STAGING = "TASK_STAGING"
TASK_STARTING = "TASK_STARTING"
TASK_RUNNING = "TASK_RUNNING"
TASK_KILLING = "TASK_KILLING"
TASK_FINISHED = "TASK_FINISHED"
TASK_FAILED = "TASK_FAILED"
TASK_KILLED = "TASK_KILLED"
TASK_LOST = "TASK_LOST"
TASK_UNREACHABLE = "TASK_UNREACHABLE"
TASK_GONE = "TASK_GONE"
TASK_GONE_BY_OPERATOR = "TASK_GONE_BY_OPERATOR"
TASK_DROPPED = "TASK_DROPPED"
TASK_ERROR = "TASK_ERROR"

#: ``KillPolicy.grace_period`` when a task sets none: the command executor's default,
#: "3s for backwards compatibility" (apache/mesos ``src/launcher/executor.cpp``).
DEFAULT_KILL_GRACE_SECONDS = 3.0

#: States a task never leaves (``protobuf::isTerminalState`` in apache/mesos
#: ``src/common/protobuf_utils.cpp``). TASK_UNREACHABLE is not terminal: the agent may return.
TERMINAL_STATES = frozenset(
    {TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_GONE, TASK_GONE_BY_OPERATOR,
     TASK_DROPPED, TASK_ERROR}
)


@dataclass
class TaskInfo:
    """What a framework asks Mesos to launch: a task on one agent with some resources.

    ``resources`` takes a :class:`Resources`, a dict (``{"cpus": 0.5, "mem": 128}``) or
    Mesos text. ``agent_id`` is the offer's agent (filled in from the offer when omitted).
    ``owner`` is what the task belongs to in the framework (e.g. a Marathon app id); views
    group tasks by it and it defaults to the framework's name. ``labels`` and ``data`` are
    free for the framework, as in Mesos.
    """

    task_id: str
    name: str = ""
    resources: Any = None
    agent_id: str | None = None
    staging_seconds: float = 0.0
    startup_seconds: float = 1.0
    run_seconds: float | None = None
    fail_probability: float = 0.0
    fail_after_seconds: float | None = None
    stop_seconds: float = 0.0
    kill_grace_seconds: float | None = None
    owner: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    data: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.task_id, str) or not self.task_id:
            raise ValueError(f"TaskInfo needs a non-empty task_id, got {self.task_id!r}")
        self.name = self.name or self.task_id
        self.resources = Resources.coerce(self.resources)
        for label in ("staging_seconds", "startup_seconds", "run_seconds", "fail_after_seconds",
                      "stop_seconds", "kill_grace_seconds"):
            value = getattr(self, label)
            if value is not None and (not isinstance(value, int | float) or value < 0):
                raise ValueError(f"TaskInfo {self.task_id!r}: {label} must be ≥ 0, got {value!r}")
        if not 0 <= self.fail_probability <= 1:
            raise ValueError(
                f"TaskInfo {self.task_id!r}: fail_probability must lie in [0, 1], "
                f"got {self.fail_probability!r}"
            )


@dataclass(frozen=True)
class TaskStatus:
    """One status update (``TaskStatus``): the task's new ``state`` and why.

    ``reason`` uses Mesos' ``TaskStatus.Reason`` names (``REASON_AGENT_REMOVED``,
    ``REASON_TASK_KILLED_DURING_LAUNCH`` …); ``source`` is ``SOURCE_MASTER``,
    ``SOURCE_AGENT`` or ``SOURCE_EXECUTOR``. ``ip_addresses`` are the addresses of
    ``container_status.network_infos``: an executor's update passes through its agent, which
    fills in its own IP for a task on the host's network (``Slave::statusUpdate`` in
    apache/mesos ``src/slave/slave.cpp``); the simulator knows it when the agent's
    :class:`~clustersim.Node` has an ``address``.
    """

    task_id: str
    state: str
    agent_id: str
    framework_id: str
    time: float
    reason: str | None = None
    message: str = ""
    source: str = "SOURCE_EXECUTOR"
    ip_addresses: tuple[str, ...] = ()

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL_STATES


@dataclass
class Task:
    """The master's record of one launched task: its info, where it runs and its history."""

    info: TaskInfo
    framework_id: str
    framework: str
    agent_id: str
    hostname: str
    launched_at: float
    state: str = TASK_STAGING
    statuses: list[TaskStatus] = field(default_factory=list)
    kill_started: float | None = None
    """When its executor began to kill it (SIGTERM), ``None`` while no kill has started."""
    exited: bool | None = None
    """Whether its process exited with status 0 while its agent was unreachable (the update
    the agent holds until it re-registers), ``None`` if it did not exit then."""

    @property
    def task_id(self) -> str:
        return self.info.task_id

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def resources(self) -> Resources:
        return self.info.resources

    @property
    def owner(self) -> str:
        return self.info.owner or self.framework

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    def __repr__(self) -> str:
        return f"Task({self.task_id!r}, {self.state}, agent={self.hostname!r})"
