"""The Mesos master: agents, frameworks, offers and tasks on the simulated clock.

Somewhat over 500 lines because it follows upstream's one ``Master`` class of
``master.cpp``: offers, task launch and agent loss change the same books of offers and
resources; the allocator, agents and frameworks are modules of their own.

What it does, after apache/mesos ``src/master/master.cpp`` and ``docs/architecture.md``:

- every ``allocation_interval`` seconds (``--allocation_interval``, default 1 s), and at once
  when a framework registers, an agent joins or a framework revives, it asks the
  :class:`~clustersim.mesos.allocator.HierarchicalAllocator` for an allocation round and
  sends each framework its offers, one per agent, in one ``resource_offers`` call;
- ``accept`` validates the offers (all the framework's, outstanding, on one agent) and each
  task (unique id, resources within the offers, ``TASK_ERROR`` otherwise), launches the
  valid tasks and returns the unused rest with the accept call's refusal filter;
- ``decline`` returns an offer's resources with a refusal filter;
- a lost agent (``fail_agent``) is first *disconnected*: its outstanding offers are
  rescinded and it gets no new ones. After ``agent_ping_timeout × max_agent_ping_timeouts``
  (15 s × 5 = 75 s by default) it is marked *unreachable*: partition-aware frameworks get
  TASK_UNREACHABLE, the others TASK_LOST (``Master::markUnreachable``), and its resources
  leave the pool;
- optional ``offer_timeout`` (``--offer_timeout``, off by default) rescinds offers a framework
  keeps too long;
- a task that ended moves to its framework's completed tasks, of which the master keeps the
  last ``max_completed_tasks_per_framework`` (``--max_completed_tasks_per_framework``, default
  1000: apache/mesos ``src/master/constants.hpp``, ``src/master/flags.cpp``,
  ``docs/configuration/master.md``), the oldest dropped first: ``Framework::completedTasks``
  is a circular buffer of that size (``src/master/framework.cpp``), and ``/state``'s
  ``completed_tasks`` and ``/tasks`` show only what it holds. How many tasks ended in each
  state over the whole run is counted apart (:attr:`Master.terminal_tasks`), as the master's
  per-framework metrics count them (``frameworks/<name>/<id>/tasks/terminal/<state>``,
  ``docs/monitoring.md``).

Task timing follows each :class:`~clustersim.mesos.tasks.TaskInfo`'s duration model. The
scheduler hears TASK_STARTING, TASK_RUNNING and the terminal update; TASK_STAGING is the
state the master records at launch (as in Mesos, no update is sent for it). A kill of a
running task goes through its executor (``kill_task``): TASK_KILLING first for a framework
with the ``TASK_KILLING_STATE`` capability, TASK_KILLED once the process exits.

Simplified: a disconnected agent's task updates and kills still go through at once (Mesos
queues them until the agent reconnects), and a task whose agent was unreachable does not
resume its run-time clock when it comes back. There is one master (no failover, no
registry), and framework failover, quota, reservations and maintenance are not modelled.
A task counts as completed once its terminal update is sent (Mesos keeps it among the active
tasks until the framework acknowledges that update); frameworks never end, so the master has
no completed frameworks to bound (``--max_completed_frameworks``, default 50); and an
unreachable task stays with the active ones (Mesos moves it to a per-framework cache of
``--max_unreachable_tasks_per_framework``, 1000, from which it returns if its agent does).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, deque
from collections.abc import Callable, Sequence
from typing import Any

from clustersim.limits import MAX_RECORDED_OFFERS, check_nodes
from clustersim.mesos.agents import ACTIVE, DISCONNECTED, GONE, UNREACHABLE, Agent
from clustersim.mesos.allocator import HierarchicalAllocator
from clustersim.mesos.framework import Framework, SchedulerDriver
from clustersim.mesos.offers import Launch, LaunchGroup, Offer, OfferHistory, OfferRecord
from clustersim.mesos.resources import Resources
from clustersim.mesos.tasks import (
    DEFAULT_KILL_GRACE_SECONDS,
    TASK_DROPPED,
    TASK_ERROR,
    TASK_FAILED,
    TASK_FINISHED,
    TASK_GONE_BY_OPERATOR,
    TASK_KILLED,
    TASK_KILLING,
    TASK_LOST,
    TASK_RUNNING,
    TASK_STAGING,
    TASK_STARTING,
    TASK_UNREACHABLE,
    Task,
    TaskInfo,
    TaskStatus,
)
from clustersim.sim import Clock, EventLog
from clustersim.sim.events import KeptRecord

__all__ = ["MAX_COMPLETED_TASKS_PER_FRAMEWORK", "Master"]

#: Completed tasks the master keeps of each framework, the oldest dropped first: Mesos'
#: ``--max_completed_tasks_per_framework`` and its default
#: (``DEFAULT_MAX_COMPLETED_TASKS_PER_FRAMEWORK`` in apache/mesos ``src/master/constants.hpp``).
MAX_COMPLETED_TASKS_PER_FRAMEWORK = 1000


class Master:
    """The master's state machine. :class:`~clustersim.mesos.cluster.MesosCluster` drives it."""

    def __init__(self, clock: Clock, *, allocation_interval: float = 1.0,
                 agent_unreachable_seconds: float = 75.0,
                 offer_timeout: float | None = None,
                 max_completed_tasks_per_framework: int = MAX_COMPLETED_TASKS_PER_FRAMEWORK
                 ) -> None:
        if not isinstance(allocation_interval, int | float) or allocation_interval <= 0:
            raise ValueError(f"allocation_interval must be > 0 s, got {allocation_interval!r}")
        if not isinstance(agent_unreachable_seconds, int | float) or agent_unreachable_seconds < 0:
            raise ValueError(
                f"agent_unreachable_seconds must be ≥ 0 s, got {agent_unreachable_seconds!r}"
            )
        if offer_timeout is not None and (not isinstance(offer_timeout, int | float)
                                          or offer_timeout <= 0):
            raise ValueError(f"offer_timeout must be > 0 s or None, got {offer_timeout!r}")
        if (not isinstance(max_completed_tasks_per_framework, int)
                or isinstance(max_completed_tasks_per_framework, bool)
                or max_completed_tasks_per_framework < 0):
            raise ValueError("max_completed_tasks_per_framework must be a whole number ≥ 0 "
                             f"(Mesos' default is {MAX_COMPLETED_TASKS_PER_FRAMEWORK}), got "
                             f"{max_completed_tasks_per_framework!r}")
        self.clock = clock
        self.events = EventLog("mesos")
        self.agents: dict[str, Agent] = {}
        self._agents_named: dict[str, list[Agent]] = {}
        """Every agent registered under each hostname (a name check that stays linear)."""
        self.frameworks: dict[str, Framework] = {}
        self.offers: dict[str, Offer] = {}
        self.offer_history = OfferHistory(keep=MAX_RECORDED_OFFERS)
        self.tasks: dict[tuple[str, str], Task] = {}
        """The tasks the master knows, by (framework, task id) in launch order: those not
        ended and each framework's kept completed tasks (``completed_tasks``)."""
        self.max_completed_tasks_per_framework = max_completed_tasks_per_framework
        self.completed_tasks: dict[str, deque[Task]] = {}
        """Each framework's completed tasks still kept, by framework id, the oldest first."""
        self.terminal_tasks: Counter[tuple[str, str]] = Counter()
        """How many tasks of each (framework id, terminal state) ended over the whole run."""
        self.agent_unreachable_seconds = agent_unreachable_seconds
        self.offer_timeout = offer_timeout
        self.allocator = HierarchicalAllocator(
            self.agents, clock, lambda delay, action: self.call_later(delay, action,
                                                                      background=True),
            allocation_interval=allocation_interval,
        )
        self.rounds = 0
        self.share_history: KeptRecord[tuple[float, dict[str, float]]] = KeptRecord(
            keep=MAX_RECORDED_OFFERS)
        """Each framework's dominant share (by name) after each round that changed them, as
        (time, shares): the last :data:`~clustersim.limits.MAX_RECORDED_OFFERS` changes, for a
        lab's chart of DRF at work. A real master keeps no such history: its allocator shows
        each role's share now, the gauge ``allocator/mesos/roles/<role>/shares/dominant``
        (apache/mesos ``docs/monitoring.md``)."""
        self.pending_work = 0
        self.last_activity = 0.0
        self.longest_refusal = 0.0
        self._records: dict[str, OfferRecord] = {}
        self._offer_ids = itertools.count(1)
        self._agent_ids = itertools.count(0)
        self._framework_ids = itertools.count(0)
        self._allocation_requested = False
        self._shares_recorded_at = -1
        """``allocator.changes`` when shares were last recorded."""
        self.call_later(allocation_interval, self._periodic_allocation, background=True)

    # -- time -----------------------------------------------------------------------------

    def call_later(self, delay: float, action: Callable[[], Any], *,
                   background: bool = False) -> None:
        """Run ``action`` after ``delay`` s; unless ``background``, ``run()`` waits for it.

        A bare SimPy timeout with a callback (cheaper than a process): timers due at the
        same instant fire in the order they were set.
        """
        timer = self.clock.timeout(max(0.0, float(delay)))
        if background:
            timer.callbacks.append(lambda _event: action())
            return
        self.pending_work += 1

        def fire(_event: Any) -> None:
            self.pending_work -= 1
            action()

        timer.callbacks.append(fire)

    @property
    def quiet_after(self) -> float:
        """How long nothing must change before ``run()`` stops: long enough for every refusal
        filter and offer timeout to run out and the resources to be offered again."""
        interval = self.allocator.allocation_interval
        return max(self.longest_refusal, interval, self.offer_timeout or 0.0) + 2 * interval

    def _touch(self) -> None:
        self.last_activity = self.clock.now

    def _periodic_allocation(self) -> None:
        """A round of the allocation timer (a background timer: ``run()`` does not wait for
        it), which arms the next one before this round sends offers: a refusal made in answer
        to these offers then expires after that round (upstream re-arms ``batch`` once
        ``allocate`` has dispatched its offers, before frameworks answer)."""
        self.call_later(self.allocator.allocation_interval, self._periodic_allocation,
                        background=True)
        self._allocate()

    def request_allocation(self) -> None:
        """Allocate at the current time (batched: many requests, one round)."""
        if not self._allocation_requested:
            self._allocation_requested = True
            self.call_later(0.0, self._allocate)

    # -- agents and frameworks ------------------------------------------------------------

    def add_agent(self, node: Any) -> Agent:
        check_nodes(len(self.agents) + 1)
        named = self._agents_named.setdefault(node.name, [])
        if any(a.state in (ACTIVE, DISCONNECTED) for a in named):
            raise ValueError(f"an agent named {node.name!r} is already registered")
        agent = Agent(f"S{next(self._agent_ids)}", node)
        self.agents[agent.id] = agent
        named.append(agent)
        self.allocator.add_agent(agent)
        self.events.record(self.clock.now, f"agent/{agent.hostname}", "AgentRegistered",
                           f"Registered agent {agent.id} ({agent.hostname}) with {agent.total}")
        self._touch()
        self.request_allocation()
        return agent

    def register(self, framework: Framework) -> Framework:
        if not isinstance(framework, Framework):
            raise ValueError(
                f"register() takes a clustersim.mesos.Framework (e.g. marathon.Marathon() or "
                f"BatchFramework(...)), got {type(framework).__name__}"
            )
        if framework.framework_id is not None:
            raise ValueError(f"framework {framework.name!r} is already registered")
        framework_id = f"fw-{next(self._framework_ids):04d}"
        framework.framework_id = framework_id
        framework.driver = SchedulerDriver(self, framework_id)
        self.frameworks[framework_id] = framework
        self.allocator.add_framework(framework_id, framework.role,
                                     gpu_resources=framework.gpu_resources)
        self.events.record(self.clock.now, f"framework/{framework.name}", "FrameworkRegistered",
                           f"Registered framework {framework_id} ({framework.name}) "
                           f"in role {framework.role!r}")
        self._touch()
        framework.registered(framework.driver)
        self.request_allocation()
        return framework

    # -- allocation and offers ------------------------------------------------------------

    def _allocate(self) -> None:
        self._allocation_requested = False
        self.rounds += 1
        offerable = self.allocator.allocate()
        now = self.clock.now
        for framework_id, by_agent in offerable.items():
            framework = self.frameworks[framework_id]
            batch = []
            for agent_id, resources in by_agent.items():
                agent = self.agents[agent_id]
                offer = Offer(f"O{next(self._offer_ids)}", framework_id, agent_id,
                              agent.hostname, resources, dict(agent.attributes),
                              dict(agent.domain) if agent.domain else None, now)
                self.offers[offer.id] = offer
                record = OfferRecord(offer.id, now, framework.name, framework_id,
                                     framework.role, agent_id, agent.hostname, resources)
                self._records[offer.id] = record
                self.offer_history.append(record)
                self.events.record(now, f"framework/{framework.name}", "ResourceOffer",
                                   f"Sending offer {offer.id} of {agent.hostname} "
                                   f"({resources}) to {framework.name}")
                if self.offer_timeout is not None:
                    self.call_later(self.offer_timeout,
                                    lambda oid=offer.id: self._rescind(oid, "expired"),
                                    background=True)
                batch.append(offer)
            framework.resource_offers(batch)
        self._record_shares()

    def _record_shares(self) -> None:
        """Keep each framework's dominant share once a round's offers were answered (or are
        still held), when it changed."""
        if self._shares_recorded_at == self.allocator.changes:
            return   # the allocator did not change: neither did the shares
        self._shares_recorded_at = self.allocator.changes
        by_id = self.allocator.shares()["frameworks"]
        shares = {self.frameworks[fid].name: round(share, 6) for fid, share in by_id.items()}
        if not self.share_history or self.share_history[-1][1] != shares:
            self.share_history.append((self.clock.now, shares))

    def _close_offer(self, offer_id: str, outcome: str,
                     refuse_seconds: float | None = None) -> tuple[Offer, OfferRecord]:
        offer = self.offers.pop(offer_id)
        record = self._records.pop(offer_id)
        record.outcome = outcome
        record.answered_at = self.clock.now
        record.refuse_seconds = refuse_seconds
        return offer, record

    def _give_back(self, offer_id: str, outcome: str,
                   refuse_seconds: float | None = None) -> Offer:
        """Close an offer and return all its resources to the pool (with a refusal filter
        when ``refuse_seconds`` is given)."""
        offer, _ = self._close_offer(offer_id, outcome, refuse_seconds)
        self.agents[offer.agent_id].allocated -= offer.resources
        self.allocator.recover(offer.framework_id, offer.agent_id, offer.resources,
                               refuse_seconds)
        return offer

    def _rescind(self, offer_id: str, outcome: str) -> None:
        if offer_id not in self.offers:
            return
        offer = self._give_back(offer_id, outcome)
        framework = self.frameworks[offer.framework_id]
        self.events.record(self.clock.now, f"framework/{framework.name}", "OfferRescinded",
                           f"Rescinded offer {offer_id} on {offer.hostname} ({outcome})")
        framework.offer_rescinded(offer_id)

    def _refusal(self, refuse_seconds: float | None) -> float:
        seconds = 5.0 if refuse_seconds is None or refuse_seconds < 0 else float(refuse_seconds)
        self.longest_refusal = max(self.longest_refusal, seconds)
        return seconds

    def decline(self, framework_id: str, offer_ids: list[str],
                refuse_seconds: float | None) -> None:
        seconds = self._refusal(refuse_seconds)
        for offer_id in offer_ids:
            offer = self.offers.get(offer_id)
            if offer is None or offer.framework_id != framework_id:
                continue   # Mesos ignores declines of unknown or rescinded offers.
            self._give_back(offer_id, "declined", seconds)
            self.events.record(self.clock.now, f"framework/{self.frameworks[framework_id].name}",
                               "OfferDeclined",
                               f"Declined offer {offer_id} of {offer.hostname}"
                               + (f", filtering it for {seconds:g} s" if seconds else ""))

    def accept(self, framework_id: str, offer_ids: list[str], operations: Sequence[Any],
               refuse_seconds: float | None) -> None:
        seconds = self._refusal(refuse_seconds)
        framework = self.frameworks[framework_id]
        groups = self._operations(framework, operations)
        valid = [self.offers[o] for o in offer_ids
                 if o in self.offers and self.offers[o].framework_id == framework_id]
        agents = {o.agent_id for o in valid}
        if not offer_ids or len(valid) != len(offer_ids) or len(agents) != 1:
            why = ("no offer given" if not offer_ids else
                   "offers span several agents" if len(agents) > 1 else
                   "offer no longer valid (rescinded, expired or already answered)")
            self.events.record(self.clock.now, f"framework/{framework.name}", "InvalidOffers",
                               f"Ignoring ACCEPT of {', '.join(offer_ids)}: {why}", "Warning")
            state = TASK_DROPPED if framework.partition_aware else TASK_LOST
            agent_id = valid[0].agent_id if valid else ""
            for group, _ in groups:
                for info in group:
                    self._send(framework, info.task_id, agent_id, state,
                               "REASON_INVALID_OFFERS", why, "SOURCE_MASTER")
            for offer in valid:
                self._give_back(offer.id, "declined")
            return
        agent = self.agents[valid[0].agent_id]
        remaining = Resources()
        for offer in valid:
            remaining = remaining + offer.resources
        to_launch: list[tuple[list[TaskInfo], Resources | None]] = []
        used = Resources()
        for group, executor in groups:
            error = self._validate(framework_id, agent.id, group, executor or Resources(),
                                   remaining, {i.task_id for g, _ in to_launch for i in g})
            if error:
                for info in group:
                    self._send(framework, info.task_id, agent.id, TASK_ERROR,
                               "REASON_TASK_INVALID" if executor is None
                               else "REASON_TASK_GROUP_INVALID", error, "SOURCE_MASTER")
                continue
            for resources in [info.resources for info in group] + [executor or Resources()]:
                remaining = remaining - resources
                used = used + resources
            to_launch.append((group, executor))
        launched = [info.task_id for group, _ in to_launch for info in group]
        records = [self._close_offer(offer.id, "accepted" if launched else "declined", seconds)[1]
                   for offer in valid]
        records[0].tasks, records[0].used = launched, used
        self.events.record(self.clock.now, f"framework/{framework.name}",
                           "OfferAccepted" if launched else "OfferDeclined",
                           f"{'Accepted' if launched else 'Declined'} offer "
                           f"{', '.join(o.id for o in valid)} of {agent.hostname}"
                           + (f": launching {', '.join(launched)}" if launched else ""))
        for group, executor in to_launch:
            if executor is None:
                self._launch(framework, agent, group[0])
            else:
                self._launch_group(framework, agent, group, executor)
        agent.allocated -= remaining
        self.allocator.recover(framework_id, agent.id, remaining, seconds)
        if launched:
            self._touch()

    @staticmethod
    def _operations(framework: Framework, operations: Sequence[Any]
                    ) -> list[tuple[list[TaskInfo], Resources | None]]:
        """Each LAUNCH task alone, and each LAUNCH_GROUP as one all-or-nothing group with its
        executor's resources (None for a task alone)."""
        groups: list[tuple[list[TaskInfo], Resources | None]] = []
        for operation in operations:
            if isinstance(operation, TaskInfo):
                groups.append(([operation], None))
            elif isinstance(operation, Launch):
                groups.extend(([info], None) for info in operation.tasks)
            elif isinstance(operation, LaunchGroup):
                groups.append((list(operation.tasks), operation.executor))
            else:
                raise ValueError(
                    f"framework {framework.name!r}: accept() takes TaskInfo, Launch or "
                    f"LaunchGroup operations, got {type(operation).__name__}"
                )
        return groups

    def _validate(self, framework_id: str, agent_id: str, group: list[TaskInfo],
                  executor: Resources, pool: Resources, launching: set[str]) -> str:
        """Why this task (group, with its ``executor``) cannot launch from ``pool`` on
        ``agent_id``, or "" (after apache/mesos ``src/master/validation.cpp``, task
        validation)."""
        ids = [info.task_id for info in group]
        if len(set(ids)) != len(ids):
            return f"Task group has duplicate task ids {ids}"
        for info in group:
            existing = self.tasks.get((framework_id, info.task_id))
            if info.task_id in launching or (existing is not None and not existing.terminal):
                return f"Task has duplicate ID: {info.task_id}"
            if not info.resources:
                return f"Task {info.task_id} uses no resources"
            if info.agent_id is not None and info.agent_id != agent_id:
                return (f"Task uses agent {info.agent_id} but the offers are for "
                        f"agent {agent_id}")
        need = executor
        for info in group:
            need = need + info.resources
        if not pool.contains(need):
            return f"Task uses more resources {need} than available {pool}"
        return ""

    # -- tasks ------------------------------------------------------------------------------

    def _launch_group(self, framework: Framework, agent: Agent, group: list[TaskInfo],
                      executor: Resources) -> None:
        """A task group, logged once as ``Master::_accept`` logs a LAUNCH_GROUP ("Launching
        task group { ... } of framework ... with resources ..."): the tasks' resources, and
        apart from them the executor's (its ``ExecutorInfo``). Simplified: the simulator
        books the executor's resources on the group's first task, so that they return to
        the pool with it; Mesos keeps them with the executor until its last task ends."""
        total = Resources()
        for info in group:
            total = total + info.resources
        ids = ", ".join(info.task_id for info in group)
        self.events.record(self.clock.now, f"task/{group[0].task_id}", TASK_STAGING,
                           f"Launching task group {{ {ids} }} of framework {framework.name} "
                           f"with resources {total} on agent {agent.hostname}; its executor "
                           f"with {executor}")
        for index, info in enumerate(group):
            self._launch(framework, agent, info, executor if index == 0 else Resources(),
                         grouped=True)

    def _launch(self, framework: Framework, agent: Agent, info: TaskInfo,
                executor: Resources | None = None, *, grouped: bool = False) -> None:
        """Launch one task, logged unless it is ``grouped`` (its group's line says it); a
        group's first task also holds the group ``executor``'s resources."""
        assert framework.framework_id is not None
        # the framework's copy stays as is
        info = dataclasses.replace(info, agent_id=agent.id,
                                   resources=info.resources + (executor or Resources()))
        task = Task(info, framework.framework_id, framework.name, agent.id, agent.hostname,
                    self.clock.now)
        self.tasks[(framework.framework_id, info.task_id)] = task
        if not grouped:
            self.events.record(self.clock.now, f"task/{info.task_id}", TASK_STAGING,
                               f"Launching task {info.task_id} of framework {framework.name} "
                               f"on {agent.hostname} with {info.resources}")
        crashes = info.fail_probability > 0 and self.clock.random.random() < info.fail_probability
        self.call_later(info.staging_seconds,
                        lambda: self._advance(task, TASK_STAGING, TASK_STARTING))

        def started() -> None:
            if crashes:
                self._advance(task, TASK_STARTING, TASK_FAILED, "REASON_COMMAND_EXECUTOR_FAILED",
                              "Command exited with status 1 on start")
                return
            if not self._advance(task, TASK_STARTING, TASK_RUNNING):
                return
            if info.run_seconds is not None:
                self.call_later(info.run_seconds, lambda: self._exited(task, True))
            if info.fail_after_seconds is not None and (
                    info.run_seconds is None or info.fail_after_seconds < info.run_seconds):
                self.call_later(info.fail_after_seconds, lambda: self._exited(task, False))

        self.call_later(info.staging_seconds + info.startup_seconds, started)

    def _exited(self, task: Task, succeeded: bool) -> None:
        """The running task's process exited, with status 0 if it ``succeeded``
        (``CommandExecutor::reaped`` in apache/mesos ``src/launcher/executor.cpp``): that is
        TASK_FINISHED, any other exit TASK_KILLED once a kill has started and TASK_FAILED
        otherwise. The executor runs on the agent, whether or not the master hears it: a
        task that exits while its agent is unreachable keeps its update on the agent (the
        status update manager retries it) and the master hears it when the agent
        re-registers (:meth:`recover_agent`)."""
        if task.state == TASK_UNREACHABLE and task.exited is None:
            task.exited = succeeded
            return
        if task.state not in (TASK_RUNNING, TASK_KILLING):
            return
        self._report_exit(task, succeeded)

    def _report_exit(self, task: Task, succeeded: bool) -> None:
        """The executor's terminal update for a process that exited (see :meth:`_exited`)."""
        if succeeded:
            self._set_state(task, TASK_FINISHED, None, "Command exited with status 0",
                            "SOURCE_EXECUTOR")
        elif task.kill_started is not None:
            self._set_state(task, TASK_KILLED, None, "Killed by the framework",
                            "SOURCE_EXECUTOR")
        else:
            self._set_state(task, TASK_FAILED, "REASON_COMMAND_EXECUTOR_FAILED",
                            "Command exited with status 1", "SOURCE_EXECUTOR")

    def _advance(self, task: Task, expected: str, state: str, reason: str | None = None,
                 message: str = "") -> bool:
        """Move ``task`` from ``expected`` to ``state`` (a stale timer finds another state)."""
        if task.state != expected:
            return False
        self._set_state(task, state, reason, message, "SOURCE_EXECUTOR")
        return True

    def _set_state(self, task: Task, state: str, reason: str | None, message: str,
                   source: str) -> None:
        was_holding = not task.terminal and task.state != TASK_UNREACHABLE
        task.state = state
        address = self.agents[task.agent_id].node.address
        status = TaskStatus(task.task_id, state, task.agent_id, task.framework_id,
                            self.clock.now, reason, message, source,
                            (address,) if address and source == "SOURCE_EXECUTOR" else ())
        task.statuses.append(status)
        if task.terminal and was_holding and self.agents[task.agent_id].state in (ACTIVE,
                                                                               DISCONNECTED):
            self.agents[task.agent_id].allocated -= task.resources
            self.allocator.recover(task.framework_id, task.agent_id, task.resources)
        if task.terminal:
            self._complete(task)
        self._touch()
        text = f"{message} ({reason})" if reason and message else (message or reason or "")
        self.events.record(self.clock.now, f"task/{task.task_id}", state,
                           f"Task {task.task_id} on {task.hostname} is {state}"
                           + (f": {text}" if text else ""),
                           "Warning" if state in (TASK_FAILED, TASK_LOST, TASK_UNREACHABLE,
                                                  TASK_ERROR, TASK_DROPPED,
                                                  TASK_GONE_BY_OPERATOR) else "Normal")
        self.frameworks[task.framework_id].status_update(status)

    def _complete(self, task: Task) -> None:
        """File a task that ended among its framework's completed tasks, dropping the oldest
        beyond ``max_completed_tasks_per_framework`` (``Framework::addCompletedTask``)."""
        self.terminal_tasks[task.framework_id, task.state] += 1
        completed = self.completed_tasks.setdefault(task.framework_id, deque())
        completed.append(task)
        while len(completed) > self.max_completed_tasks_per_framework:
            dropped = completed.popleft()
            key = (dropped.framework_id, dropped.task_id)
            if self.tasks.get(key) is dropped:   # not a later task launched with its id
                del self.tasks[key]

    def _send(self, framework: Framework, task_id: str, agent_id: str, state: str,
              reason: str, message: str, source: str) -> None:
        """An update for a task that never launched (invalid offers or task)."""
        assert framework.framework_id is not None
        status = TaskStatus(task_id, state, agent_id, framework.framework_id, self.clock.now,
                            reason, message, source)
        self.events.record(self.clock.now, f"task/{task_id}", state,
                           f"Task {task_id} of framework {framework.name} is {state}: {message}",
                           "Warning")
        framework.status_update(status)

    def kill_task(self, framework_id: str, task_id: str) -> None:
        task = self.tasks.get((framework_id, task_id))
        framework = self.frameworks[framework_id]
        if task is None or task.terminal:
            self.events.record(self.clock.now, f"task/{task_id}", "KillIgnored",
                               f"Cannot kill task {task_id} of framework {framework.name}: "
                               "unknown or already terminal", "Warning")
            return
        if task.state == TASK_UNREACHABLE:
            return   # The agent cannot be reached; Mesos kills it if the agent comes back.
        if task.state in (TASK_STAGING, TASK_STARTING):
            self._set_state(task, TASK_KILLED, "REASON_TASK_KILLED_DURING_LAUNCH",
                            "Killed by the framework", "SOURCE_EXECUTOR")
            return
        if task.kill_started is not None:
            # Its executor is killing it already (through a partition too): a repeated kill
            # sends no second TASK_KILLING and, carrying no shorter KillPolicy, keeps the
            # SIGKILL where it was (``CommandExecutor::kill``: ``launched && !killed``).
            return
        self._kill_running(framework, task)

    def _kill_running(self, framework: Framework, task: Task) -> None:
        """The executor kills a running task (``CommandExecutor::kill`` in apache/mesos
        ``src/launcher/executor.cpp``): TASK_KILLING if the framework has the
        ``TASK_KILLING_STATE`` capability, SIGTERM, and SIGKILL after the task's
        ``KillPolicy`` grace period; the process exits after its ``stop_seconds`` or at the
        SIGKILL, whichever comes first, and the task is TASK_KILLED then (at once when the
        process exits as soon as it is told)."""
        task.kill_started = self.clock.now
        if framework.task_killing_state:
            self._set_state(task, TASK_KILLING, None, "", "SOURCE_EXECUTOR")
        grace = task.info.kill_grace_seconds
        exits_after = min(task.info.stop_seconds,
                          DEFAULT_KILL_GRACE_SECONDS if grace is None else grace)
        if exits_after > 0:
            self.call_later(exits_after, lambda: self._exited(task, False))
        else:
            self._exited(task, False)

    def suppress(self, framework_id: str) -> None:
        self.allocator.suppress(framework_id)

    def revive(self, framework_id: str) -> None:
        self.allocator.revive(framework_id)
        self._touch()
        self.request_allocation()

    # -- agent failure ------------------------------------------------------------------

    def find_agent(self, name: str) -> Agent:
        for agent in reversed(list(self.agents.values())):
            if agent.name == name or agent.hostname == name or agent.id == name:
                return agent
        known = ", ".join(sorted({a.name for a in self.agents.values()})) or "none"
        raise ValueError(f"no agent named {name!r} (agents: {known})")

    def fail_agent(self, name: str) -> Agent:
        agent = self.find_agent(name)
        if agent.state != ACTIVE:
            raise ValueError(f"agent {name!r} is already {agent.state}")
        agent.state = DISCONNECTED
        self._touch()
        self.events.record(self.clock.now, f"agent/{agent.hostname}", "AgentDisconnected",
                           f"Agent {agent.id} ({agent.hostname}) stopped answering health "
                           f"checks; rescinding its offers", "Warning")
        for offer_id in [o.id for o in self.offers.values() if o.agent_id == agent.id]:
            self._rescind(offer_id, "rescinded")
        self.call_later(self.agent_unreachable_seconds, lambda: self._mark_unreachable(agent))
        return agent

    def _mark_unreachable(self, agent: Agent) -> None:
        if agent.state != DISCONNECTED:
            return
        self.events.record(self.clock.now, f"agent/{agent.hostname}", "AgentUnreachable",
                           f"Marked agent {agent.id} ({agent.hostname}) unreachable after "
                           f"{self.agent_unreachable_seconds:g} s without health checks",
                           "Warning")
        self._remove_agent(agent, UNREACHABLE, TASK_UNREACHABLE, "REASON_AGENT_REMOVED",
                           "Agent was marked unreachable")

    def mark_agent_gone(self, name: str) -> Agent:
        """The operator declares an agent gone for good (v1 operator API ``MARK_AGENT_GONE``):
        partition-aware frameworks hear TASK_GONE_BY_OPERATOR, others TASK_LOST."""
        agent = self.find_agent(name)
        if agent.state == GONE:
            raise ValueError(f"agent {name!r} is already gone")
        for offer_id in [o.id for o in self.offers.values() if o.agent_id == agent.id]:
            self._rescind(offer_id, "rescinded")
        self.events.record(self.clock.now, f"agent/{agent.hostname}", "AgentGone",
                           f"Operator marked agent {agent.id} ({agent.hostname}) gone",
                           "Warning")
        self._remove_agent(agent, GONE, TASK_GONE_BY_OPERATOR,
                           "REASON_AGENT_REMOVED_BY_OPERATOR", "Agent was marked gone")
        return agent

    def _remove_agent(self, agent: Agent, agent_state: str, aware_state: str, reason: str,
                      message: str) -> None:
        """Take an agent out of the pool and tell frameworks about its tasks."""
        if agent.state in (ACTIVE, DISCONNECTED):
            self.allocator.remove_agent(agent)
        agent.state = agent_state
        agent.allocated = Resources()
        for task in [t for t in self.tasks.values() if t.agent_id == agent.id]:
            if task.terminal:
                continue
            framework = self.frameworks[task.framework_id]
            state = aware_state if framework.partition_aware else TASK_LOST
            self._set_state(task, state, reason, message, "SOURCE_MASTER")
        for framework in self.frameworks.values():
            framework.agent_lost(agent.id)

    def _rebooted(self, agent: Agent) -> Agent:
        """The agent's machine restarted: its executors and tasks died with it and are not
        restarted, and the agent recovers its previous ID (and its checkpointed reservations
        and volumes) and re-registers (apache/mesos ``docs/agent-recovery.md``). The master
        asks it to reconcile the tasks it knows there; the agent, which knows none of them,
        answers TASK_DROPPED to a partition-aware framework and TASK_LOST to another
        (``Slave::reconcileTasks`` in ``src/slave/slave.cpp``: REASON_RECONCILIATION)."""
        if agent.state == UNREACHABLE:
            self.allocator.add_agent(agent)
        agent.state = ACTIVE
        self.events.record(self.clock.now, f"agent/{agent.hostname}", "AgentReregistered",
                           f"Agent {agent.id} ({agent.hostname}) re-registered after its host "
                           "rebooted, with no tasks running")
        for task in [t for t in self.tasks.values() if t.agent_id == agent.id]:
            if not task.terminal:
                aware = self.frameworks[task.framework_id].partition_aware
                self._set_state(task, TASK_DROPPED if aware else TASK_LOST,
                                "REASON_RECONCILIATION",
                                "Reconciliation: task unknown to the agent", "SOURCE_SLAVE")
        self._touch()
        self.request_allocation()
        return agent

    def recover_agent(self, name: str, *, rebooted: bool = False) -> Agent:
        """Bring a failed agent back.

        Still disconnected: it reconnects and its tasks carry on. Already unreachable (a
        healed partition): it re-registers with its id; tasks of partition-aware frameworks
        keep running, while the others' tasks, already reported lost, are killed (Mesos
        since 1.1, ``docs/high-availability-framework-guide.md``). The agent reports each
        task in the state its executor left it (``ReregisterSlaveMessage.tasks``, handled
        by ``Master::_reregisterSlave`` in apache/mesos ``src/master/master.cpp``): one
        being killed is still TASK_KILLING and is killed when its grace runs out, counted
        from the first kill; one whose process exited meanwhile is reported in its terminal
        state now, when the agent's status update manager resends it. Simplified: the
        simulator tells the framework with an update (``REASON_AGENT_REREGISTERED``) where
        Mesos leaves it to learn through reconciliation or the task's next update.
        With ``rebooted=True`` the machine restarted (a power loss): see :meth:`_rebooted`.
        """
        agent = self.find_agent(name)
        if rebooted and agent.state in (DISCONNECTED, UNREACHABLE):
            return self._rebooted(agent)
        if agent.state == DISCONNECTED:
            agent.state = ACTIVE
            self._touch()
            self.events.record(self.clock.now, f"agent/{agent.hostname}", "AgentReregistered",
                               f"Agent {agent.id} ({agent.hostname}) reconnected")
            self.request_allocation()
            return agent
        if agent.state != UNREACHABLE:
            raise ValueError(f"agent {name!r} is {agent.state}, not failed")
        agent.state = ACTIVE
        self.allocator.add_agent(agent)
        self.events.record(self.clock.now, f"agent/{agent.hostname}", "AgentReregistered",
                           f"Unreachable agent {agent.id} ({agent.hostname}) re-registered")
        for task in [t for t in self.tasks.values() if t.agent_id == agent.id]:
            if task.state != TASK_UNREACHABLE:
                continue
            if task.exited is not None:
                self._report_exit(task, task.exited)
                continue
            agent.allocated = agent.allocated + task.resources
            self.allocator.track(task.framework_id, agent.id, task.resources)
            killing = (task.kill_started is not None
                       and self.frameworks[task.framework_id].task_killing_state)
            self._set_state(task, TASK_KILLING if killing else TASK_RUNNING,
                            "REASON_AGENT_REREGISTERED", "Agent re-registered",
                            "SOURCE_MASTER")
        self._touch()
        self.request_allocation()
        return agent
