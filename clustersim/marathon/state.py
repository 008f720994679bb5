"""What Marathon tracks: instances, apps, restarts in progress and deployments.

An :class:`Instance` is Marathon's unit of an app or pod (``core/instance/Instance.scala``):
its ``state`` is Marathon's condition (``core/condition/Condition.scala``: Scheduled,
Staging, Starting, Running, Killing, Unreachable, UnreachableInactive, and Reserved for a
resident instance whose tasks are gone but whose reservation stays) and its ``goal`` what Marathon
wants of it (``Goal.scala``: Running, Stopped, Decommissioned).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clustersim.marathon.backoff import Backoff
from clustersim.marathon.runspec import RunSpec
from clustersim.reprs import brief

__all__ = ["REASON_FUNNEL", "App", "AppVersion", "CheckRecord", "Deployment", "Instance",
           "OfferStats", "Restart", "UnusedOffer"]

SCHEDULED, STAGING, STARTING, RUNNING = "Scheduled", "Staging", "Starting", "Running"
KILLING = "Killing"
UNREACHABLE, INACTIVE, RESERVED = "Unreachable", "UnreachableInactive", "Reserved"
#: Mesos task states after which a task holds nothing any more.
TERMINAL = frozenset({"TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR",
                      "TASK_DROPPED", "TASK_LOST", "TASK_GONE", "TASK_GONE_BY_OPERATOR"})
#: Terminal states that count as a failure for the launch backoff.
FAILURES = TERMINAL - {"TASK_KILLED"}
#: Mesos task state → instance condition while a task starts.
MESOS_STATE = {"TASK_STAGING": STAGING, "TASK_STARTING": STARTING, "TASK_RUNNING": RUNNING}


@dataclass
class CheckRecord:
    """What one health check of an instance has seen (``core/health/Health.scala``): the
    times of its first and last success and of its last failure, in simulated seconds; its
    consecutive failures are :attr:`Instance.failures`. A failure ignored in the grace period
    leaves no trace (``HealthCheckActor``)."""

    first_success: float | None = None
    last_success: float | None = None
    last_failure: float | None = None

    @property
    def alive(self) -> bool:
        """``Health.alive``: a success, later than the last failure if there was one."""
        return self.last_success is not None and (
            self.last_failure is None or self.last_success > self.last_failure)


REASON_FUNNEL = ("UnfulfilledRole", "UnfulfilledConstraint", "NoCorrespondingReservationFound",
                 "InsufficientCpus", "InsufficientMemory", "InsufficientDisk",
                 "InsufficientGpus", "InsufficientPorts")
"""``NoOfferMatchReason.reasonFunnel`` (``src/main/scala/mesosphere/mesos/
NoOfferMatchReason.scala``, as stored in the reference index): the order in which the
statistics of ``GET /v2/queue`` count an unused offer, once, under the first of its reasons
(``OfferMatchStatistics``' ``reasons.minBy(reasonFunnelPriority)``), and list the reasons
in ``processedOffersSummary``'s two funnels."""


@dataclass(frozen=True)
class UnusedOffer:
    """An offer that launched none of an app's instances (``OfferMatchResult.NoMatch``): the
    Mesos offer, every reason it did not match in the order the matcher found them
    (``ResourceMatchResponse.NoMatch``'s ``reasons``), and when (simulated seconds)."""

    offer: Any
    reasons: tuple[str, ...]
    at: float

    @property
    def reason(self) -> str:
        """The one reason the statistics count the offer under: the first of its reasons in
        :data:`REASON_FUNNEL`'s order."""
        return min(self.reasons, key=REASON_FUNNEL.index)


@dataclass
class OfferStats:
    """The offers processed for one app since its launch attempt began, as
    ``GET /v2/queue``'s ``processedOffersSummary`` reports them
    (``core/launchqueue/impl/OfferMatchStatistics.scala``, ``RunSpecOfferStatistics``):
    ``processed`` offers, ``unused`` ones, each unused offer counted once in ``reasons``,
    each agent's last unused offer in ``last_offers`` (``noMatchStatisticsSink``), and when
    an offer was last used and left unused (simulated seconds)."""

    processed: int = 0
    unused: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    last_offers: dict[str, UnusedOffer] = field(default_factory=dict)
    last_used_at: float | None = None
    last_unused_at: float | None = None

    def used(self, now: float) -> None:
        """``incrementMatched``: an offer launched an instance."""
        self.processed += 1
        self.last_used_at = now

    def declined(self, unused: UnusedOffer) -> None:
        """``incrementUnmatched``: an offer launched nothing; it counts once, under
        :attr:`UnusedOffer.reason`, and is its agent's last unused offer."""
        self.processed += 1
        self.unused += 1
        self.reasons[unused.reason] = self.reasons.get(unused.reason, 0) + 1
        self.last_offers[unused.offer.agent_id] = unused
        self.last_unused_at = unused.at


@dataclass
class Instance:
    """One instance of an app or pod: where it runs, its tasks, state and health.

    ``state`` is Marathon's condition (Scheduled, Staging, Starting, Running, Killing,
    Unreachable, UnreachableInactive, Reserved); ``goal`` is Running, Stopped (resident: keep the
    reservation) or Decommissioned.
    """

    id: str
    spec_id: str
    version: int
    state: str = SCHEDULED
    goal: str = "Running"
    agent_id: str | None = None
    hostname: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    domain: dict[str, str] | None = None
    host_ports: list[int | None] = field(default_factory=list)
    ip: str | None = None
    tasks: dict[str, str] = field(default_factory=dict)
    addresses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each task's IP addresses, kept from its first TASK_RUNNING (Marathon's
    ``task.status.networkInfo.ipAddresses``, which ``Task.update`` sets then and later
    updates keep: d2iq-archive/marathon ``core/task/Task.scala``, ``NetworkInfo.update``)."""
    healthy: bool | None = None
    ever_healthy: bool = False
    failures: dict[int, int] = field(default_factory=dict)
    checks: dict[int, CheckRecord] = field(default_factory=dict)
    running_since: float | None = None
    reservation: str | None = None
    attempt: int = 0
    ready: bool = False
    staged_at: float | None = None
    scheduled_at: float = 0.0
    """When it last entered the launch queue (state Scheduled): ``LaunchStats``'
    ``LaunchingInstance.since``, what ``GET /v2/queue``'s ``since`` is made of."""

    @property
    def placed(self) -> bool:
        return self.agent_id is not None and self.state in (STAGING, STARTING, RUNNING,
                                                             KILLING, UNREACHABLE)

    def place(self) -> dict[str, Any]:
        return {"hostname": self.hostname, "attributes": self.attributes, "domain": self.domain}


@dataclass
class App:
    """What Marathon tracks per run spec."""

    spec: RunSpec
    version: int
    service_ports: list[int]
    backoff: Backoff
    instances: dict[str, Instance] = field(default_factory=dict)
    health_ok: bool = True


@dataclass(frozen=True)
class AppVersion:
    """One stored version of an app or pod definition (Marathon's app repository keeps one
    per change, ``AppRepository.storeVersion``): ``number`` is the deployment that stored it,
    Marathon's ``version``. ``config_change`` and ``last_scaling`` are the numbers behind
    ``VersionInfo.FullVersionInfo``'s ``lastConfigChangeAt`` and ``lastScalingAt``
    (``state/VersionInfo.scala`` in d2iq-archive/marathon): a new app or a new definition moves
    both (``forNewConfig``), a change of the instance count only ``last_scaling``
    (``withScaleChange``), a restart only ``config_change`` (``withRestartChange``)."""

    number: int
    manifest: dict[str, Any]
    config_change: int
    last_scaling: int


@dataclass
class Restart:
    """A restart in progress: the strategy's bounds and how many old instances were killed."""

    min_healthy: int
    max_capacity: int
    kill_immediately: int
    killed: int = 0


@dataclass
class Deployment:
    """A running or finished deployment: its id, steps and progress."""

    __repr__ = brief

    id: str
    steps: list[list[dict[str, Any]]]
    started_at: float
    step_index: int = 0
    status: str = "running"
    finished_at: float | None = None
    restarts: dict[str, Restart] = field(default_factory=dict)
    original: Any = None
    """The group tree before this deployment's change (what a rollback restores; for a
    restart, which changes no definition, the tree it restarted in)."""
    number: int = 0
    """Its place among the framework's deployments, from 1: the version of the app
    definitions it installs (Marathon stamps a version with the time of its change)."""

    @property
    def affected(self) -> set[str]:
        return {a["app"] for step in self.steps for a in step}

    @property
    def current_step(self) -> list[dict[str, Any]]:
        return self.steps[self.step_index] if self.step_index < len(self.steps) else []
