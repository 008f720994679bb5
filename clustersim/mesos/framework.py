"""The framework interface: how a scheduler (Marathon, a batch framework) talks to the Mesos master.

Modelled on Mesos' scheduler API (apache/mesos ``include/mesos/scheduler.hpp`` and the v1
scheduler HTTP API, ``docs/scheduler-http-api.md``). The master calls the framework's
callbacks; the framework answers through its :class:`SchedulerDriver`:

==========================================  ===========================================
master → framework (callbacks)              framework → master (driver calls)
==========================================  ===========================================
``registered(driver)``  (SUBSCRIBED)        ``accept(offer_ids, operations, refuse_seconds=5)``
``resource_offers(offers)``  (OFFERS)       ``decline(offer_ids, refuse_seconds=5)``
``offer_rescinded(offer_id)``  (RESCIND)    ``kill_task(task_id)``  (KILL)
``status_update(status)``  (UPDATE)         ``revive()`` / ``suppress()``
``agent_lost(agent_id)``  (FAILURE)         ``call_later(delay, action)`` (the framework's timers)
==========================================  ===========================================

Example: a framework that runs one 0.5-CPU task per offer until it has launched three::

    from clustersim import Node
    from clustersim.mesos import Framework, MesosCluster, TaskInfo

    class Three(Framework):
        def __init__(self):
            super().__init__(name="three", role="demo")
            self.launched = 0

        def resource_offers(self, offers):
            for offer in offers:
                if self.launched < 3 and offer.cpus >= 0.5 and offer.mem >= 64:
                    self.launched += 1
                    task = TaskInfo(f"t{self.launched}", resources={"cpus": 0.5, "mem": 64},
                                    run_seconds=10)
                    self.driver.accept([offer.id], [task])
                else:
                    self.driver.decline([offer.id], refuse_seconds=5)

        def status_update(self, status):
            print(status.time, status.task_id, status.state)

    cluster = MesosCluster(Node.many(2, cpu=2, memory="4Gi"), seed=0)
    cluster.register(Three())
    cluster.run()

A plain :class:`~clustersim.mesos.tasks.TaskInfo` list in ``accept`` means one ``LAUNCH``
operation; pass :class:`~clustersim.mesos.offers.LaunchGroup` for a task group (a pod).
Offers a framework neither accepts nor declines stay outstanding (and locked to it) until it
answers, the agent is lost, or the cluster's ``offer_timeout`` expires.

``partition_aware`` is the ``PARTITION_AWARE`` capability: such a framework hears
TASK_UNREACHABLE (and later TASK_GONE) when an agent is lost; others hear TASK_LOST
(apache/mesos ``docs/high-availability-framework-guide.md``). Marathon is partition-aware.
``gpu_resources`` is the ``GPU_RESOURCES`` capability: only such frameworks are offered
agents that have GPUs (MESOS-5634, ``docs/gpu-support.md``). ``task_killing_state`` is the
``TASK_KILLING_STATE`` capability: such a framework hears TASK_KILLING when the executor
starts to kill a running task, before its TASK_KILLED (``include/mesos/mesos.proto``;
``CommandExecutor::kill`` in ``src/launcher/executor.cpp``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from clustersim.mesos.offers import Launch, LaunchGroup, Offer
from clustersim.mesos.tasks import TaskInfo, TaskStatus

if TYPE_CHECKING:
    from clustersim.mesos.master import Master

__all__ = ["DEFAULT_REFUSE_SECONDS", "Framework", "SchedulerDriver"]

#: ``Filters.refuse_seconds`` default in apache/mesos ``include/mesos/mesos.proto``.
DEFAULT_REFUSE_SECONDS = 5.0

Operation = TaskInfo | Launch | LaunchGroup
OfferIds = str | Offer | Iterable[str | Offer]


def _ids(offer_ids: OfferIds) -> list[str]:
    """Offer ids from an id, an :class:`Offer` or a list of either."""
    if isinstance(offer_ids, str | Offer):
        offer_ids = [offer_ids]
    return [o.id if isinstance(o, Offer) else str(o) for o in offer_ids]


class Framework:
    """Base class of a Mesos framework's scheduler. Override the callbacks you need.

    ``name`` is the ``FrameworkInfo.name``, ``role`` the role it registers in (``"*"`` is
    Mesos' default role; roles may be hierarchical, ``"eng/web"``). After registration
    ``self.driver`` is the :class:`SchedulerDriver` and ``self.framework_id`` its id.
    """

    def __init__(self, name: str = "framework", role: str = "*", *,
                 partition_aware: bool = False, gpu_resources: bool = False,
                 task_killing_state: bool = False) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"a framework needs a non-empty name, got {name!r}")
        if not isinstance(role, str) or not role or role.startswith("/") or role.endswith("/"):
            raise ValueError(
                f"framework {name!r}: role must be a name like 'web' or 'eng/web', got {role!r}"
            )
        self.name = name
        self.role = role
        self.partition_aware = partition_aware
        self.gpu_resources = gpu_resources
        self.task_killing_state = task_killing_state
        self.driver: SchedulerDriver | None = None
        self.framework_id: str | None = None

    # -- callbacks (scheduler.hpp) ------------------------------------------------------

    def registered(self, driver: SchedulerDriver) -> None:
        """Called once, when the master has registered the framework (``SUBSCRIBED``)."""

    def resource_offers(self, offers: list[Offer]) -> None:
        """New offers. Answer each with ``driver.accept`` or ``driver.decline`` (now or later)."""

    def offer_rescinded(self, offer_id: str) -> None:
        """An outstanding offer is no longer valid (its agent was lost, or it timed out)."""

    def status_update(self, status: TaskStatus) -> None:
        """A task of this framework changed state."""

    def agent_lost(self, agent_id: str) -> None:
        """An agent was marked unreachable (``slaveLost``/``FAILURE``)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, role={self.role!r})"


class SchedulerDriver:
    """The framework's handle on the master (``SchedulerDriver`` in scheduler.hpp)."""

    def __init__(self, master: Master, framework_id: str) -> None:
        self._master = master
        self.framework_id = framework_id

    @property
    def now(self) -> float:
        """The current simulated time (s)."""
        return self._master.clock.now

    @property
    def random(self) -> Any:
        """The cluster's seeded random generator (use it for every random choice)."""
        return self._master.clock.random

    @property
    def seed(self) -> int:
        """The cluster's seed, for a value that must come out the same in every run of the
        cluster without drawing from its generator (which would change every later draw)."""
        return self._master.clock.seed

    def accept(self, offer_ids: OfferIds, operations: Sequence[Operation] = (),
               refuse_seconds: float = DEFAULT_REFUSE_SECONDS) -> None:
        """Accept offers (all on one agent) with operations; unused resources are declined
        with ``refuse_seconds``. ``operations`` may mix :class:`TaskInfo` (one LAUNCH),
        :class:`Launch` and :class:`LaunchGroup`."""
        self._master.accept(self.framework_id, _ids(offer_ids), list(operations),
                            refuse_seconds)

    def launch_tasks(self, offer_ids: OfferIds, tasks: Sequence[TaskInfo],
                     refuse_seconds: float = DEFAULT_REFUSE_SECONDS) -> None:
        """``launchTasks`` of the old driver API: ``accept`` with one LAUNCH."""
        self.accept(offer_ids, [Launch(tasks)], refuse_seconds)

    def decline(self, offer_ids: OfferIds,
                refuse_seconds: float = DEFAULT_REFUSE_SECONDS) -> None:
        """Decline offers; the framework is not offered the same resources on those agents
        again for ``refuse_seconds`` (0 = no filter)."""
        self._master.decline(self.framework_id, _ids(offer_ids), refuse_seconds)

    def kill_task(self, task_id: str) -> None:
        """Kill a task; a TASK_KILLED update follows (``KILL``), after TASK_KILLING for a
        running task if the framework has the ``TASK_KILLING_STATE`` capability."""
        self._master.kill_task(self.framework_id, task_id)

    def revive(self) -> None:
        """Clear this framework's offer filters and un-suppress it (``REVIVE``)."""
        self._master.revive(self.framework_id)

    def suppress(self) -> None:
        """Stop receiving offers until ``revive`` (``SUPPRESS``)."""
        self._master.suppress(self.framework_id)

    def call_later(self, delay: float, action: Callable[[], Any], *,
                   background: bool = False) -> None:
        """Run ``action()`` after ``delay`` simulated seconds (a framework's own timer).

        ``cluster.run()`` without ``until`` waits for pending timers; mark periodic timers
        (health checks, reconciliation) ``background=True`` so they do not keep it running.
        """
        self._master.call_later(delay, action, background=background)

    def tasks(self) -> list[Any]:
        """This framework's tasks as the master knows them (``RECONCILE``)."""
        return [t for t in self._master.tasks.values() if t.framework_id == self.framework_id]
