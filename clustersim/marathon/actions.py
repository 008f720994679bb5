"""Scheduler actions: instances scheduled, killed and replaced as task statuses arrive.

Upstream: d2iq-archive/marathon ``SchedulerActions.scala`` (scale: schedule missing
instances, kill surplus ones chosen by GROUP_BY-aware ``selectInstancesToKill``, then
not-yet-running instances, then ``killSelection``, ``YOUNGEST_FIRST`` by default) and
``core/task/update/`` (a status update moves an instance on: a failed task's instance is
scheduled again after the backoff, :mod:`~clustersim.marathon.backoff`; an unreachable
one is replaced after ``unreachableStrategy.inactiveAfterSeconds`` and forgotten after
``expungeAfterSeconds``, ``state/UnreachableStrategy.scala``; with ``disabled``, for
resident apps, it waits for its agent). A resident instance that stops keeps its
reservation and comes back only on its agent.
"""

from __future__ import annotations

from typing import Any

from clustersim.marathon.conditions import TERMINAL_CONDITION, lost_condition
from clustersim.marathon.constraints import select_instances_to_kill
from clustersim.marathon.launchqueue import LaunchQueue
from clustersim.marathon.pathid import PathId
from clustersim.marathon.state import (
    FAILURES,
    INACTIVE,
    KILLING,
    MESOS_STATE,
    RESERVED,
    RUNNING,
    SCHEDULED,
    STAGING,
    STARTING,
    TERMINAL,
    UNREACHABLE,
    App,
    Instance,
    Restart,
)


class SchedulerActions(LaunchQueue):
    """Instances scheduled, killed and replaced (a part of
    :class:`~clustersim.marathon.framework.Marathon`)."""

    _leadership: int
    """How many times this Marathon was elected leader (:meth:`_lead`)."""

    def wipe(self, task_id: str) -> None:
        """Kill a task and forget its instance, reservation and all (``?wipe=true`` of
        ``DELETE /v2/apps/<id>/tasks``: ``TaskKiller.kill(wipe = true)`` in d2iq-archive/
        marathon sets the instance's goal to Decommissioned, which kills its tasks, and
        expunges it once they are terminal, after their ``instance_changed_event``); a new
        instance is scheduled in its place, so a resident app gets a fresh reservation
        wherever it fits.

        An unreachable (or unreachable-inactive) instance cannot be killed: Mesos would only
        repeat its state. ``KillActionResolver.computeAction`` (``core/task/termination/
        impl/``) picks ``ExpungeFromState`` for an instance whose condition will not answer
        a kill, and ``InstanceUpdater.forceExpunge`` (``core/instance/update/``) gives it
        the condition Killed, posts that ``instance_changed_event`` and expunges it, at
        once; if its agent returns, its task is killed then (:meth:`status_update`).
        Simplified: a resident one the resolver of the last sources moves to Reserved
        instead (``KillAction.TransitionToReserved``), where the older ``KillAction``, told
        of the wipe, expunged it too (``KillActionTest``: "an unreachable reserved instance
        with wipe"); the simulator forgets it, its reservation with it."""
        found = self._find(task_id)
        if found is None:
            raise KeyError(task_id)
        app, instance = found
        self._kill_instance(app, instance)
        self._schedule(app)

    def _kill_instance(self, app: App, instance: Instance) -> None:
        """Decommission an instance for good (``KillService.killInstance``): kill its tasks,
        or, for one whose condition will not answer a kill (Unreachable, UnreachableInactive),
        expunge it at once in the condition Killed (``KillAction.ExpungeFromState``)."""
        if instance.state in (UNREACHABLE, INACTIVE):
            instance.goal = "Decommissioned"
            self._condition_changed(instance, TERMINAL_CONDITION["TASK_KILLED"])
            self._expunge(app, instance)
        else:
            self._decommission(app, instance, keep_reservation=False)

    def _kill_old(self, app: App, restart: Restart, count: int) -> None:
        old = [i for i in app.instances.values()
               if i.version < app.version and i.goal == "Running"]
        for instance in self._kill_order(app, old, count):
            if instance.goal != "Running":     # a kill's status update already replaced it
                continue
            restart.killed += 1
            self._decommission(app, instance, keep_reservation=True)

    def _scale(self, app: App, target: int) -> None:
        active = [i for i in app.instances.values()
                  if i.goal == "Running" and i.state != INACTIVE]
        if len(active) > target:
            for instance in self._kill_order(app, active, len(active) - target):
                self._decommission(app, instance, keep_reservation=True)
        for _ in range(target - len(active)):
            self._schedule(app)

    def _kill_order(self, app: App, candidates: list[Instance], count: int) -> list[Instance]:
        """The ``count`` instances to kill, as ``ScalingProposition.propose`` orders them:
        first those that keep GROUP_BY spreads even (``selectInstancesToKill``), then by
        condition (Unreachable, Staging, Starting, Running, anything else such as Scheduled)
        and, within one condition, by the app's ``killSelection`` (``YOUNGEST_FIRST`` by
        default, or ``OLDEST_FIRST``) on when the instance was staged or became active."""
        if count <= 0:
            return []
        placed = [i for i in candidates if i.placed]
        rules = [c.as_list() for c in app.spec.constraints]
        balanced = select_instances_to_kill(rules, placed, min(count, len(placed)),
                                            Instance.place)
        youngest = app.spec.manifest.get("killSelection", "YOUNGEST_FIRST") != "OLDEST_FIRST"
        weight = {UNREACHABLE: 1, STAGING: 2, STARTING: 3, RUNNING: 4}

        def key(instance: Instance) -> tuple[int, float, str]:
            since = instance.running_since if instance.state == RUNNING else instance.staged_at
            age = since if since is not None else float("inf")
            return weight.get(instance.state, 5), -age if youngest else age, instance.id

        rest = sorted((i for i in candidates if i not in balanced), key=key)
        return (balanced + rest)[:count]

    def _schedule(self, app: App) -> Instance:
        """Put one instance of the app's current version in the launch queue (a stopped
        resident instance with a reservation is reused first).

        Simplified: a new instance's id is ``<safe path>.instance-<counter>`` (six digits,
        counted across the framework, so the labs' ids stay the same from run to run), where
        Marathon 1.9+ (``Instance.Id.forRunSpec`` in ``core/instance/Instance.scala``) writes
        ``<safe path>.instance-<uuid>``, a time-based UUID that differs every time. Both have
        the shape ``Task.Id.parse`` and the served task routes read
        (:mod:`clustersim.serve.marathontasks`)."""
        for instance in app.instances.values():
            if instance.state == RESERVED and instance.goal != "Decommissioned":
                instance.goal, instance.version = "Running", app.version
                instance.scheduled_at = self.now
                self._become(instance, SCHEDULED)
                self._revive()
                return instance
        number = next(self._instance_ids)
        instance = Instance(f"{PathId(app.spec.id).safe_path()}.instance-{number:06d}",
                            app.spec.id, app.version, scheduled_at=self.now)
        app.instances[instance.id] = instance
        self._condition_changed(instance, SCHEDULED)
        self._revive()
        return instance

    def _decommission(self, app: App, instance: Instance, *, keep_reservation: bool) -> None:
        resident = app.spec.resident and keep_reservation
        instance.goal = "Stopped" if resident else "Decommissioned"
        if instance.state in (SCHEDULED, RESERVED, INACTIVE):
            self._retire(app, instance)
            return
        for task_id, state in instance.tasks.items():
            if state not in TERMINAL and self.driver:
                self.driver.kill_task(task_id)

    def _retire(self, app: App, instance: Instance) -> None:
        """An instance without live tasks leaves: kept as Reserved, or forgotten (expunged
        in the condition it has: no ``instance_changed_event``)."""
        if instance.goal == "Stopped" and instance.reservation:
            self._forget_tasks(instance)
            instance.healthy, instance.running_since, instance.tasks = None, None, {}
            instance.addresses = {}
            self._become(instance, RESERVED)
        else:
            self._expunge(app, instance)
            self._forget_if_orphaned(app)

    def _forget_if_orphaned(self, app: App) -> None:
        """Forget an app that is no longer in the group tree once it has no instances and no
        running deployment holds it: what a forced cancel of its removal leaves (the stop
        step that would have forgotten it never finishes). Marathon keeps no such record:
        ``GET /v2/apps`` reads the group tree, and the instance tracker forgets the
        instances one by one as they are expunged."""
        spec_id = app.spec.id
        if (app.instances or spec_id in self.root.run_specs or self.apps.get(spec_id) is not app
                or any(d.status == "running" and spec_id in d.affected
                       for d in self.deployments)):
            return
        del self.apps[spec_id]
        self.task_failures.terminated(spec_id)

    def _find(self, task_id: str) -> tuple[App, Instance] | None:
        spec_id, instance_id = self._task_index.get(task_id, ("", ""))
        app = self.apps.get(spec_id)
        if app is None or instance_id not in app.instances:
            return None
        return app, app.instances[instance_id]

    @staticmethod
    def _addresses(instance: Instance, status: Any) -> tuple[str, ...]:
        """The task's IP addresses its ``status_update_event`` carries: what its first
        TASK_RUNNING reported (the container's own address on a container network, else the
        agent's), none before it runs. ``InstanceChangedEventsGenerator.events`` in
        d2iq-archive/marathon ``core/instance/update/`` reads them from the task's stored
        ``status.networkInfo``, not from the update (Marathon before 1.4 read them from the
        update, ``PostToEventStreamStepImpl``), so a master's TASK_UNREACHABLE, TASK_LOST
        or TASK_GONE_BY_OPERATOR, which names no address, still carries them."""
        if status.state == "TASK_RUNNING" and status.task_id in instance.tasks:
            instance.addresses.setdefault(
                status.task_id, (instance.ip,) if instance.ip else tuple(status.ip_addresses))
        return instance.addresses.get(status.task_id, ())

    def status_update(self, status: Any) -> None:
        found = self._find(status.task_id)
        where = ""
        if found:
            addresses = self._addresses(found[1], status)
            where = (f" appId={found[0].spec.id} agentId={found[1].agent_id}"
                     f" host={found[1].hostname}"
                     + (f" ipAddresses={','.join(addresses)}" if addresses else "")
                     + f" ports={[p for p in found[1].host_ports if p]}"
                     f" version={found[1].version}")
        self._record("task", status.task_id, "status_update_event",   # the event bus fields
                     f"taskStatus={status.state}{where}"
                     + (f" message={status.reason}" if status.reason else ""),
                     "Warning" if status.state in FAILURES or status.state == "TASK_UNREACHABLE"
                     else "Normal")
        if found is None and status.state in MESOS_STATE:
            # A task Marathon no longer knows, its instance expunged (while unreachable: "An
            # expunged task will be killed if it ever comes back",
            # docs/docs/configure-task-handling.md), is killed only while Mesos reports it
            # staging, starting or running: TaskStatusUpdateProcessorImpl (d2iq-archive/
            # marathon core/task/update/impl/) kills an unknown task unless its condition is
            # in ignoreWhenUnknown (Killed, Killing, Error, Failed, Finished, Unreachable,
            # Gone, Dropped, Unknown), which holds the condition of every other Mesos state,
            # TASK_LOST's for any reason included: a kill would only bring another update
            # for the same task. No instance changes.
            self.driver.kill_task(status.task_id)
            return
        if found is None or status.task_id not in found[1].tasks:
            return
        app, instance = found
        instance.tasks[status.task_id] = status.state
        self.task_failures.status_update(instance, status.task_id, status.state,
                                         status.message, self.now)
        if status.state in MESOS_STATE:
            states = set(instance.tasks.values())
            if states == {"TASK_RUNNING"} and instance.state != RUNNING:
                returned = instance.state == INACTIVE
                instance.running_since = self.now
                self._become(instance, RUNNING)
                self._start_health_checks(app, instance)
                self._start_readiness_check(app, instance)
                if returned:
                    self._scale_check(app)
            elif instance.state != RUNNING:   # a task group runs when all its tasks run
                self._become(instance, STARTING if status.state == "TASK_RUNNING"
                             else MESOS_STATE[status.state])
        elif status.state == "TASK_KILLING":
            self._become(instance, KILLING)
        elif status.state == "TASK_UNREACHABLE" or (
                status.state == "TASK_LOST"
                and lost_condition(status.reason, status.message) == UNREACHABLE):
            self._unreachable(app, instance)
        elif status.state in TERMINAL:
            self._task_ended(app, instance, status)
        self._progress()

    def registered(self, driver: Any) -> None:
        """Marathon leads: :meth:`_lead`."""
        self._lead(driver)

    def _lead(self, driver: Any) -> None:
        """Arm the periodic operations of a new leadership (d2iq-archive/marathon
        ``src/main/scala/mesosphere/marathon/MarathonSchedulerService.scala``:
        ``startLeadership`` calls ``schedulePeriodicOperations``): the scale check
        ``--scale_apps_initial_delay`` (15 s) from now and then every
        ``--scale_apps_interval`` (300 s), sending ``ScaleRunSpecs``, and the task
        reconciliation ``--reconciliation_initial_delay`` (15 s) from now and then every
        ``--reconciliation_interval`` (600 s), their defaults from ``MarathonConf``. The
        timers of an earlier leadership stop (``stopLeadership`` cancels its timer): each
        fires only in the leadership that armed it, :attr:`_leadership`. The timers are
        background ones: a check that finds nothing to do keeps no ``run()`` going, one
        that kills or schedules instances does, through the work it starts."""
        self._leadership += 1
        term = self._leadership
        driver.call_later(self.scale_apps_initial_delay,
                          lambda: self._scale_run_specs(term), background=True)
        driver.call_later(self.reconciliation_initial_delay,
                          lambda: self._reconcile_tasks(term), background=True)

    def _reconcile_tasks(self, term: int) -> None:
        """One periodic task reconciliation of the leadership ``term`` (none once another
        began): ``SchedulerActions.reconcileTasks`` (``MesosReconciliationActor`` in the
        last sources) kills the instances of every run spec the instance tracker knows but
        the group tree no longer holds ("The run spec was likely terminated. Will now
        expunge.", ``KillReason.Orphaned``), e.g. those a forced cancel of an app's removal
        left. Simplified: the reconciliation itself, asking the master for the state of
        every known task, is not modelled (the simulated master never loses a status
        update)."""
        if term != self._leadership:
            return
        self.driver.call_later(self.reconciliation_interval,
                               lambda: self._reconcile_tasks(term), background=True)
        for app in list(self.apps.values()):
            if app.spec.id in self.root.run_specs:
                continue
            for instance in list(app.instances.values()):
                self._kill_instance(app, instance)
            self._forget_if_orphaned(app)

    def _scale_run_specs(self, term: int) -> None:
        """One periodic scale check of the leadership ``term`` (none once another began:
        ``MarathonSchedulerActor``'s ``ScaleRunSpecs``): each app and pod gets a
        ``ScaleRunSpec``; the next check is armed first."""
        if term != self._leadership:
            return
        self.driver.call_later(self.scale_apps_interval,
                               lambda: self._scale_run_specs(term), background=True)
        for app in list(self.apps.values()):
            self._scale_check(app)

    def _scale_check(self, app: App) -> None:
        """Bring an app that no deployment is touching back to its target count
        (``ScaleRunSpec``: skipped while a deployment holds the run spec's lock, and for a
        run spec no longer in the group tree, whose instances a forced cancel of its removal
        left being killed; else
        ``SchedulerActions.scale``, whose ``ScalingProposition.propose`` counts the instances
        whose goal is Running but not those UnreachableInactive, decommissions the surplus in
        :meth:`_kill_order` and schedules what is missing).

        Besides the periodic check (:meth:`_scale_run_specs`), an instance that leaves
        UnreachableInactive asks for one at once (``ScaleAppUpdateStepImpl``, ``core/task/
        update/impl/steps/``): its agent returned before it was expunged and it runs again
        beside its replacement. A restart cancelled with ``force`` leaves the new instances
        it started beside the old ones until the next periodic check; ``killSelection``
        (``YOUNGEST_FIRST`` by default) then kills the new ones.
        """
        if app.spec.id not in self.root.run_specs:
            return     # deleted: "RunSpec ... does not exist. Not scaling." (scale(runSpecId))
        if any(d.status == "running" and app.spec.id in d.affected for d in self.deployments):
            return
        self._scale(app, app.spec.instances)

    def _task_ended(self, app: App, instance: Instance, status: Any) -> None:
        for task_id, state in instance.tasks.items():   # a task group fails as a whole
            if state not in TERMINAL and state != "TASK_UNREACHABLE":
                self.driver.kill_task(task_id)
        if any(state not in TERMINAL for state in instance.tasks.values()):
            return
        self._condition_changed(instance, lost_condition(status.reason, status.message)
                                if status.state == "TASK_LOST"
                                else TERMINAL_CONDITION[status.state])
        if instance.goal != "Running" or instance.state == INACTIVE:
            self._retire(app, instance)
            return
        if status.state in FAILURES:
            until = app.backoff.add_delay(self.now)
            self.driver.call_later(until - self.now, self._revive, background=True)
        instance.healthy, instance.running_since = None, None
        instance.scheduled_at = self.now
        self._become(instance, SCHEDULED)
        self._revive()

    def _unreachable(self, app: App, instance: Instance) -> None:
        self._become(instance, UNREACHABLE)
        if app.spec.unreachable is None:
            return
        inactive, expunge = app.spec.unreachable
        attempt = instance.attempt

        def inactivate() -> None:
            if instance.state == UNREACHABLE and instance.attempt == attempt:
                self._become(instance, INACTIVE)   # a replacement is launched
                if instance.goal == "Running":
                    self._schedule(app)
                self._progress()

        def expunge_it() -> None:
            if instance.state == INACTIVE and instance.attempt == attempt:
                instance.goal = "Decommissioned"
                self._retire(app, instance)
                self._progress()

        self.driver.call_later(inactive, inactivate)
        self.driver.call_later(expunge, expunge_it)
