"""Marathon as a Mesos framework: deployments, the launch queue, health checks and failures.

The parts follow Marathon's own: this module holds the API and the deployments
(``core/deployment``); :mod:`~clustersim.marathon.launchqueue` matches offers and launches,
:mod:`~clustersim.marathon.actions` schedules, kills and replaces instances
(``SchedulerActions.scala``), :mod:`~clustersim.marathon.health` runs health and
readiness checks.

``Marathon()`` registers with a :class:`clustersim.mesos.MesosCluster` and keeps apps and pods
running. What it does, after d2iq-archive/marathon (``src/main/scala/mesosphere/marathon/``):

- ``deploy(source)`` (``POST /v2/apps``, ``/v2/pods``, ``/v2/groups``): the definitions are
  checked, a :mod:`~clustersim.marathon.plan` is computed between the current and the new
  group tree and run step by step (``core/deployment/impl/DeploymentActor.scala``). A
  deployment that touches run specs of a running one is refused unless ``force=True``
  ("App is locked by one or more deployments").
- Instances to launch wait in the launch queue as *scheduled* instances. Each offer is
  matched against them (``core/matcher/``, ``mesos/RunSpecOfferMatcher.scala``): accepted
  resource roles, cpus/mem/disk/gpus, host ports (:mod:`~clustersim.marathon.ports`),
  constraints (:mod:`~clustersim.marathon.constraints`) and, for resident apps, the agent
  of the instance's reservation; apps are tried in a seeded random order, at most
  ``max_instances_per_offer`` (5) instances per offer. Unused offers are declined for
  ``decline_offer_duration`` (120 s); new work revives offers.
- Scaling adds scheduled instances or kills surplus ones (GROUP_BY-aware
  ``selectInstancesToKill``, then not-yet-running instances, then ``killSelection``,
  ``YOUNGEST_FIRST`` by default). Restarts follow :func:`~clustersim.marathon.upgrade.
  restart_strategy`: kill the allowed old instances, start new ones up to the capacity,
  and kill one more old instance whenever a new one becomes healthy.
- Health and readiness checks (:mod:`~clustersim.marathon.health`): after
  ``maxConsecutiveFailures`` failed checks the task is killed and relaunched after the
  app's backoff (:mod:`~clustersim.marathon.backoff`).
- The periodic scale check (``--scale_apps_initial_delay`` 15 s after Marathon registers,
  then every ``--scale_apps_interval``, 300 s; the knobs ``scale_apps_initial_delay`` and
  ``scale_apps_interval``) scales every app and pod that no deployment holds back to its
  target count, e.g. kills the new instances a restart cancelled with ``force`` left
  beside the old ones (:meth:`~clustersim.marathon.actions.SchedulerActions._scale_check`).
  The periodic task reconciliation (``--reconciliation_initial_delay`` 15 s, then every
  ``--reconciliation_interval``, 600 s; the knobs of those names) kills the instances of
  run specs no longer in the group tree, e.g. what a forced cancel of an app's removal left
  (:meth:`~clustersim.marathon.actions.SchedulerActions._reconcile_tasks`). Every duration
  knob must be a finite number of seconds, a period at least 1 ms
  (:data:`~clustersim.marathon.conf.MIN_INTERVAL`).
- A failed task's instance is scheduled again after the backoff. An unreachable task's
  instance is replaced after ``unreachableStrategy.inactiveAfterSeconds`` and forgotten
  after ``expungeAfterSeconds``; with ``disabled`` (resident apps) it waits for its agent.
- Resident apps (local persistent volumes) reserve resources on their first agent; a
  stopped or scaled-down instance keeps its reservation and comes back only there.
- ``task_killing=True`` is ``--enable_features task_killing``: Marathon then registers with
  Mesos' ``TASK_KILLING_STATE`` capability (``MarathonSchedulerDriver.newDriver``; off by
  default, as upstream; DC/OS turns it on, dcos/dcos ``packages/marathon/extra/
  marathon.sh``), and a killed running instance is *Killing* until its task is killed
  (``core/task/TaskCondition.scala``: TASK_KILLING is Killing). How long that lasts: each
  task carries its app's ``taskKillGracePeriodSeconds`` (a pod container's
  ``lifecycle.killGracePeriodSeconds``) as its ``KillPolicy`` (``mesos/TaskBuilder.scala``,
  ``mesos/TaskGroupBuilder.scala``), after which the executor sends SIGKILL (the executor's
  3 s when unset); ``task_stop_seconds`` (a simulator knob, 0 by default: at once) is how
  long the tasks' processes take to exit on SIGTERM. The task is killed at the sooner of
  the two (:mod:`clustersim.mesos.tasks`).
- Every change stores a version of each app or pod definition it changed, scaling and
  restarts included: :meth:`Marathon.versions` lists them newest first, at most
  ``max_versions`` per app (:mod:`~clustersim.marathon.versions`).

Events go to ``m.events`` (an :class:`~clustersim.sim.EventLog` with Marathon's event-bus
types as reasons: ``group_change_success``, ``deployment_info``,
``deployment_step_success``, ``deployment_success``, ``status_update_event``,
``health_status_changed_event``, ``failed_health_check_event``,
``unhealthy_task_kill_event``, and ``instance_changed_event`` at each change of an instance's
condition, after the ``status_update_event`` that caused it: :mod:`~clustersim.marathon.
conditions`). ``api_post_event`` is not among
them: Marathon posts it from its REST API's app requests (``AppsResource.maybePostEvent``),
which the Python API is not; the served API posts it (:mod:`clustersim.serve.marathon`).

Simplified: health and readiness checks pass unless a lab breaks an app with
:meth:`Marathon.set_health`; readiness checks pass at their first run (``intervalSeconds``
after the task runs); Mesos reservations are not
modelled, so a resident instance's persistent disk is asked of each offer on its agent and
an agent with the DC/OS attribute ``public_ip: true`` stands for a public agent whose
resources are reserved for role ``slave_public`` (other reserved roles are never offered);
pods launch as a task group, its executor's resources apart (the master books them on its
first task).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection
from typing import Any

from clustersim.marathon.actions import SchedulerActions
from clustersim.marathon.backoff import Backoff
from clustersim.marathon.conf import MIN_INTERVAL, duration_flag
from clustersim.marathon.groups import RootGroup, load_specs
from clustersim.marathon.pathid import PathId
from clustersim.marathon.plan import RESTART, SCALE, START, STOP, plan_id, plan_steps
from clustersim.marathon.ports import assign_service_ports
from clustersim.marathon.runspec import RunSpec
from clustersim.marathon.state import (
    INACTIVE,
    RESERVED,
    RUNNING,
    SCHEDULED,
    STAGING,
    STARTING,
    UNREACHABLE,
    App,
    AppVersion,
    Deployment,
    Instance,
    OfferStats,
    Restart,
)
from clustersim.marathon.taskfailures import TaskFailures
from clustersim.marathon.upgrade import restart_strategy
from clustersim.marathon.versions import DEFAULT_MAX_VERSIONS, VersionStore
from clustersim.mesos import Framework
from clustersim.sim import EventLog, Snapshot, TaskState

__all__ = ["AppLockedError", "Deployment", "Instance", "Marathon"]

_MIB = 1024 * 1024
FINISHED_DEPLOYMENTS = 50
"""Finished deployments the simulator keeps (Marathon keeps none:
:meth:`Marathon._forget_finished`); a simulator choice, enough for a notebook's look back."""


_MIN_STARTS_KEPT = 256
"""Deployment starts kept before the first look for those nothing refers to
(:meth:`Marathon._forget_starts`): a lab's run makes fewer, and never looks."""


class AppLockedError(ValueError):
    """A change touches run specs that running deployments hold (``deployment_ids``)."""

    def __init__(self, deployment_ids: list[str]) -> None:
        super().__init__(
            f"App is locked by one or more deployments ({', '.join(deployment_ids)}). "
            "Override with force=True; the running deployments are then cancelled.")
        self.deployment_ids = deployment_ids


class Marathon(SchedulerActions, Framework):
    """The Marathon framework. Register it: ``m = cluster.register(marathon.Marathon())``."""

    def __init__(self, name: str = "marathon", role: str = "*", *,
                 max_instances_per_offer: int = 5, decline_offer_duration: float = 120.0,
                 task_startup_seconds: float = 1.0, task_stop_seconds: float = 0.0,
                 max_versions: int = DEFAULT_MAX_VERSIONS, task_killing: bool = False,
                 scale_apps_initial_delay: float = 15.0, scale_apps_interval: float = 300.0,
                 reconciliation_initial_delay: float = 15.0,
                 reconciliation_interval: float = 600.0) -> None:
        super().__init__(name=name, role=role, partition_aware=True,
                         task_killing_state=task_killing)
        self.root = RootGroup()
        self._specs: dict[str, RunSpec] = {}
        self._ports: dict[str, list[int]] = {}
        self.apps: dict[str, App] = {}
        self.deployments: list[Deployment] = []
        """The running deployments and the last :data:`FINISHED_DEPLOYMENTS` finished ones,
        oldest first (:meth:`_forget_finished`)."""
        self._deployments_made = 0
        self._started: dict[int, float] = {}
        """The start of each deployment still referred to, by its number: the instant of the
        version it stored (:meth:`started_at`, :meth:`_forget_starts`)."""
        self._starts_bound = _MIN_STARTS_KEPT
        self.events = EventLog("marathon")
        self.max_instances_per_offer = max_instances_per_offer
        self.decline_offer_duration = decline_offer_duration
        self.task_startup_seconds = task_startup_seconds
        self.task_stop_seconds = duration_flag("task_stop_seconds", task_stop_seconds, 0.0)
        self.scale_apps_initial_delay = duration_flag("scale_apps_initial_delay",
                                                      scale_apps_initial_delay, 0.0)
        self.scale_apps_interval = duration_flag("scale_apps_interval", scale_apps_interval,
                                                 MIN_INTERVAL)
        self.reconciliation_initial_delay = duration_flag("reconciliation_initial_delay",
                                                          reconciliation_initial_delay, 0.0)
        self.reconciliation_interval = duration_flag("reconciliation_interval",
                                                     reconciliation_interval, MIN_INTERVAL)
        self._versions = VersionStore(max_versions)
        self._leadership = 0
        self._task_index: dict[str, tuple[str, str]] = {}   # task id → (app id, instance id)
        self._instance_ids = itertools.count(1)
        self._container_ips = itertools.count(1)
        self._progressing = False
        self._again = False
        self._rejections: dict[str, dict[str, int]] = {}
        self._offer_stats: dict[str, OfferStats] = {}
        self.task_failures = TaskFailures()
        """The last failed task of each app and pod (``lastTaskFailure``,
        :mod:`~clustersim.marathon.taskfailures`)."""

    # -- API ------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.driver.now if self.driver else 0.0

    def _require_driver(self) -> None:
        if self.driver is None:
            raise ValueError("register Marathon with a Mesos cluster first: "
                             "m = cluster.register(marathon.Marathon())")

    def deploy(self, source: Any, *, replace: bool = False, force: bool = False,
               name: str | None = None) -> Deployment:
        """Create or update apps, pods and groups from ``source`` (Marathon JSON: a path,
        text, dict or list, or specs from ``load_manifests``) and start the deployment.

        A group merges into the tree; ``replace=True`` replaces the group's subtree (apps
        missing from it are stopped), as ``PUT /v2/groups/<id>`` does.
        """
        self._require_driver()
        specs = load_specs(source, name)
        return self._change(self.root.updated(specs, replace=replace, mesos_role=self.role),
                            force)

    def abdicate(self) -> None:
        """``DELETE /v2/leader``: this Marathon gives up leading and, the only candidate, is
        elected again at once, with new timers (:meth:`_lead`). Simplified: Marathon 1.5 and
        later stop the scheduler driver and exit the process when they lose leadership
        (``stopLeadership``, "Terminating after loss of leadership"); their supervisor starts
        it again, and the instance the election picks reloads the state, registers with
        Mesos again (a framework failover) and arms its timers; the simulated one keeps its
        registration and state."""
        self._require_driver()
        self._lead(self.driver)

    def updated_root(self, source: Any, *, replace: bool = False) -> RootGroup:
        """The group tree :meth:`deploy` would install for ``source``, nothing changed."""
        return self.root.updated(load_specs(source), replace=replace, mesos_role=self.role)

    def plan(self, target: RootGroup) -> list[list[dict[str, Any]]]:
        """The steps of the deployment that would take the tree to ``target``, nothing
        changed (``PUT /v2/groups?dryRun=true``: ``DeploymentPlan(original, target).steps``)."""
        return plan_steps(self.root, target)

    def remove(self, *ids: str, force: bool = False) -> Deployment:
        """Delete apps, pods or groups (``DELETE /v2/apps/<id>``, ``/v2/groups/<id>``)."""
        self._require_driver()
        return self._change(self.root.without(ids), force)

    def scale(self, spec_id: str, instances: int, *, force: bool = False) -> Deployment:
        """Change only the instance count of an app or pod."""
        self._require_driver()
        spec_id = str(PathId(spec_id).resolve())
        if spec_id not in self.root.run_specs:
            raise ValueError(f"no app or pod {spec_id!r}; apps: {', '.join(self.root.run_specs)}")
        manifest = dict(self.root.run_specs[spec_id])
        if self.root.kinds[spec_id] == "Pod":
            manifest["scaling"] = {**(manifest.get("scaling") or {}), "instances": instances}
        else:
            manifest["instances"] = instances
        root = self.root.copy()
        root.run_specs[spec_id] = manifest
        return self._change(root, force)

    def scale_group(self, group_id: str, factor: float, *, force: bool = False) -> Deployment:
        """Multiply the instance count of every app in a group and its subgroups by
        ``factor``, rounding up, in one deployment (``PUT /v2/groups/<id>`` with
        ``scaleBy``; ``GroupManagerImpl.scaleGroup`` in d2iq-archive/marathon)."""
        self._require_driver()
        return self._change(self.scaled_root(group_id, factor), force)

    def scaled_root(self, group_id: str, factor: float) -> RootGroup:
        """The group tree :meth:`scale_group` would install, nothing changed."""
        group_id = str(PathId(group_id).resolve())
        if group_id not in self.root.groups:
            raise ValueError(f"no group {group_id!r}; groups: {', '.join(self.root.groups)}")
        root = self.root.copy()
        for spec_id in root.transitive_run_specs(group_id):
            if root.kinds[spec_id] == "App":
                manifest = dict(root.run_specs[spec_id])
                manifest["instances"] = math.ceil(manifest.get("instances", 1) * factor)
                root.run_specs[spec_id] = manifest
        return root

    def restart(self, spec_id: str, *, force: bool = False) -> Deployment:
        """Replace every instance with a fresh one (``POST /v2/apps/<id>/restart``)."""
        self._require_driver()
        spec_id = str(PathId(spec_id).resolve())
        if spec_id not in self.apps:
            raise ValueError(f"no app or pod {spec_id!r} is running")
        self._check_locks({spec_id}, force)
        deployment = self._start_deployment([[{"action": RESTART, "app": spec_id}]], self.root)
        self._versions.store(spec_id, self.root.run_specs[spec_id], self.root.kinds[spec_id],
                             deployment.number, restart=True)
        return deployment

    def versions(self, spec_id: str) -> list[AppVersion]:
        """The stored versions of an app or pod definition, newest first
        (``GET /v2/apps/<id>/versions``); empty for an id Marathon does not know."""
        return self._versions.newest_first(str(PathId(spec_id).resolve()))

    def reset_delay(self, spec_id: str) -> None:
        """Forget an app's launch backoff so that its waiting instances launch at the next
        offer (``DELETE /v2/queue/<id>/delay``: ``LaunchQueue.resetDelay``)."""
        self.apps[str(PathId(spec_id).resolve())].backoff.reset()
        self._revive()

    def set_health(self, spec_id: str, healthy: bool) -> None:
        """Make the health checks of an app pass or fail from now on (a lab's fault switch)."""
        spec_id = str(PathId(spec_id).resolve())
        if spec_id not in self.apps:
            raise ValueError(f"no app or pod {spec_id!r} is running")
        self.apps[spec_id].health_ok = healthy

    def instances(self, spec_id: str | None = None) -> list[Instance]:
        """Instances of one app (or of all), in creation order."""
        if spec_id is None:
            return [i for app in self.apps.values() for i in app.instances.values()]
        app = self.apps.get(str(PathId(spec_id).resolve()))
        return list(app.instances.values()) if app else []

    def status(self) -> list[dict[str, Any]]:
        """One row per app or pod: target, staged, running, healthy and unhealthy counts and
        whether a deployment is touching it (like ``GET /v2/apps``)."""
        busy = {a for d in self.deployments if d.status == "running" for a in d.affected}
        rows = []
        for spec_id, app in self.apps.items():
            live = [i for i in app.instances.values() if i.goal == "Running"]
            rows.append({
                "id": spec_id, "kind": app.spec.kind.lower(), "instances": app.spec.instances,
                "staged": sum(i.state in (SCHEDULED, STAGING, STARTING) for i in live),
                "running": sum(i.state == RUNNING for i in live),
                "healthy": sum(i.state == RUNNING and i.healthy is True for i in live),
                "unhealthy": sum(i.state == RUNNING and i.healthy is False for i in live),
                "unreachable": sum(i.state in (UNREACHABLE, INACTIVE) for i in live),
                "service_ports": list(app.service_ports), "deploying": spec_id in busy,
            })
        return rows

    # -- deployments ----------------------------------------------------------------------

    def _check_locks(self, affected: set[str], force: bool) -> None:
        """Refuse a change to run specs that running deployments hold, naming them all
        (``AppLockedException(deploymentIds)`` in d2iq-archive/marathon); ``force`` cancels
        them instead. Deployments of other run specs go on."""
        holding = [d for d in self.deployments
                   if d.status == "running" and d.affected & affected]
        if holding and not force:
            raise AppLockedError([d.id for d in holding])
        for deployment in holding:
            deployment.status = "canceled"
            deployment.finished_at = self.now
            self._record("deployment", deployment.id, "deployment_failed",
                         "Deployment was cancelled by a forced deployment", "Warning")
            self._forget_orphans(deployment)
        self._forget_finished()

    def _forget_orphans(self, cancelled: Deployment) -> None:
        """The apps a cancelled deployment was removing that have no instances left are
        forgotten now (:meth:`_forget_if_orphaned`); those with instances, when the last one
        goes, or the periodic reconciliation kills them (:meth:`_reconcile_tasks`)."""
        for spec_id in sorted(cancelled.affected):
            app = self.apps.get(spec_id)
            if app is not None:
                self._forget_if_orphaned(app)

    def _change(self, target: RootGroup, force: bool) -> Deployment:
        specs = {i: RunSpec.from_manifest(m, target.kinds[i]) for i, m in target.run_specs.items()}
        steps = plan_steps(self.root, target)
        self._check_locks({a["app"] for step in steps for a in step}, force)
        ports = assign_service_ports(list(specs.values()),
                                     {i: a.service_ports for i, a in self.apps.items()})
        original, self.root = self.root, target
        self._specs = specs
        self._ports = ports
        self._record("group", "/", "group_change_success",
                     f"Group tree changed: {len(target.run_specs)} apps and pods")
        deployment = self._start_deployment(steps, original)
        self._versions.record_change(original, target, deployment.number)
        return deployment

    def cancel(self, deployment_id: str, *, rollback: bool = True) -> Deployment | None:
        """Stop a running deployment (``DELETE /v2/deployments/<id>``, ``DeploymentsResource``
        in d2iq-archive/marathon). With ``rollback`` (Marathon's default) a new deployment takes
        the apps and pods it touched back to what they were before (later changes to other
        run specs stay: no later change can have touched these while the deployment ran,
        it would have needed ``force`` and cancelled it); without it (``?force=true``) the
        deployment just stops and the apps keep their new definitions.

        The rollback is an ordinary forced change (``groupManager.updateRoot(PathId.root,
        deployment.revert, force = true)``): it cancels the deployment only if its plan touches
        the same run specs. A restart changed no definition, so its revert plan is empty:
        ``DeploymentPlanReverter.revert`` puts the app's original definition back, but
        ``GroupVersioningUtil.updateVersionInfoForChangedApps`` keeps the current
        ``versionInfo`` for an app that is neither upgraded, scaled nor marked for restart, so
        the reverted app equals the running one and ``DeploymentPlan.apply`` finds nothing to
        do (``core/deployment/``, ``upgrade/GroupVersioningUtil.scala``). Marathon answers
        with the empty deployment, which ends at once, and the restart goes on."""
        found = next((d for d in self.deployments
                      if d.id == deployment_id and d.status == "running"), None)
        if found is None:
            raise KeyError(deployment_id)
        if not rollback:
            found.status, found.finished_at = "canceled", self.now
            self._record("deployment", found.id, "deployment_failed",
                         "Deployment was cancelled without a rollback", "Warning")
            self._forget_orphans(found)
            self._forget_finished()
            return None
        target = self.root.reverted(found.original, sorted(found.affected))
        return self._change(target, True)

    @property
    def deployment_count(self) -> int:
        """How many deployments this framework has made: the number of the last one."""
        return self._deployments_made

    def started_at(self, number: int) -> float:
        """The simulated second deployment ``number`` (from 1) started, finished or not: the
        instant of the versions it stored. ``ValueError`` for a deployment no stored version
        or kept deployment refers to any more (:meth:`_forget_starts`), or one never made."""
        if not 1 <= number <= self._deployments_made:
            raise ValueError(f"no deployment {number}: this framework has made "
                             f"{self._deployments_made}, numbered from 1")
        if number not in self._started:
            raise ValueError(f"deployment {number} is forgotten: Marathon keeps a deployment's "
                             "time only in the app versions it stored, at most "
                             f"{self._versions.max_versions} per app (--zk_max_versions)")
        return self._started[number]

    def starts_kept(self) -> Collection[int]:
        """The numbers of the deployments whose start :meth:`started_at` still knows."""
        return self._started.keys()

    def _forget_starts(self) -> None:
        """Let the start of every deployment go that nothing refers to any more.

        Marathon keeps no list of its deployments' times: a version's time is stored in the
        version (its ``version`` and ``versionInfo``'s ``lastScalingAt`` and
        ``lastConfigChangeAt``), at most ``--zk_max_versions`` versions per app, 50 by default
        (d2iq-archive/marathon ``storage/StorageConf.scala``, ``maxVersions``), and a
        deployment's start in the deployment until it ends. The simulator numbers versions by
        deployment, so it keeps the start of each number a stored version, a kept deployment
        or the last deployment refers to, and forgets the others once they are as many again
        as those kept (amortised: the versions are looked at once every so many
        deployments)."""
        if len(self._started) < self._starts_bound:
            return
        kept = self._versions.numbers() | {d.number for d in self.deployments}
        kept.add(self._deployments_made)
        self._started = {n: t for n, t in self._started.items() if n in kept}
        self._starts_bound = max(2 * len(self._started), _MIN_STARTS_KEPT)

    def _forget_finished(self) -> None:
        """Let the oldest finished deployments go, beyond :data:`FINISHED_DEPLOYMENTS`.

        Marathon forgets a deployment when it ends: ``DeploymentManagerActor`` (d2iq-archive/
        marathon ``core/deployment/impl/``), on ``DeploymentFinished``, removes it from its
        running deployments and their step status and deletes it from the deployment
        repository; what lasts is the app versions it stored (at most ``--zk_max_versions``
        per app, :mod:`~clustersim.marathon.versions`) and its events. Simplified: the
        simulator keeps the last few, for :meth:`deployment_status` and a notebook's look
        back; the Deployment a call returned stays its caller's."""
        finished = [d for d in self.deployments if d.status != "running"]
        if len(finished) > FINISHED_DEPLOYMENTS:
            gone = {id(d) for d in finished[:len(finished) - FINISHED_DEPLOYMENTS]}
            self.deployments = [d for d in self.deployments if id(d) not in gone]

    def _start_deployment(self, steps: list[list[dict[str, Any]]],
                          original: RootGroup) -> Deployment:
        self._forget_starts()
        self._deployments_made += 1
        number = self._deployments_made
        self._started[number] = self.now
        deployment = Deployment(plan_id(self.driver.seed, self.driver.framework_id, number),
                                steps, self.now, original=original, number=number)
        self.deployments.append(deployment)
        if not steps:
            deployment.status, deployment.finished_at = "success", self.now
            self._forget_finished()
            return deployment
        self._begin_step(deployment)
        self._progress()
        return deployment

    def _begin_step(self, deployment: Deployment) -> None:
        step = deployment.current_step
        self._record("deployment", deployment.id, "deployment_info",
                     f"Step {deployment.step_index + 1}/{len(deployment.steps)}: "
                     + ", ".join(f"{a['action']} {a['app']}" for a in step))
        for action in step:
            spec_id = action["app"]
            if action["action"] == START:
                self._install(spec_id, deployment)
            elif action["action"] == STOP:
                app = self.apps.get(spec_id)
                if app:
                    for instance in list(app.instances.values()):
                        self._decommission(app, instance, keep_reservation=False)
            elif action["action"] == SCALE:
                self._install(spec_id, deployment)
                self._scale(self.apps[spec_id], action["instances"])
            elif action["action"] == RESTART:
                self._begin_restart(deployment, spec_id)

    def _install(self, spec_id: str, deployment: Deployment) -> None:
        """Bring the tracked app in line with the current definition (same version); a new
        app's version is the deployment's number."""
        spec = self._specs[spec_id]
        app = self.apps.get(spec_id)
        if app is None:
            backoff = Backoff(spec.backoff_seconds, spec.backoff_factor,
                              spec.max_launch_delay_seconds)
            self.apps[spec_id] = App(spec, deployment.number, self._ports[spec_id], backoff)
        else:
            app.spec, app.service_ports = spec, self._ports[spec_id]

    def _begin_restart(self, deployment: Deployment, spec_id: str) -> None:
        self._install(spec_id, deployment)
        app = self.apps[spec_id]
        app.version = deployment.number
        spec = app.spec
        app.backoff = Backoff(spec.backoff_seconds, spec.backoff_factor,
                              spec.max_launch_delay_seconds)
        old = [i for i in app.instances.values() if i.goal == "Running"]
        for instance in old:   # scheduled old instances never need to start
            if instance.state == SCHEDULED and instance.reservation is None:
                self._expunge(app, instance)
        old = [i for i in old if i.id in app.instances]
        healthy = sum(self._is_healthy(app, i) for i in old)
        if spec.instances == 0:
            self._scale(app, 0)
            return
        restart = Restart(*restart_strategy(spec.instances, spec.upgrade, len(old), healthy,
                                            spec.resident))
        deployment.restarts[spec_id] = restart
        self._kill_old(app, restart, restart.kill_immediately)


    def _progress(self) -> None:
        """Drive every running deployment as far as the cluster allows.

        Kills answer synchronously with status updates that call back here; such nested
        calls only ask the outer call for another pass.
        """
        if self._progressing:
            self._again = True
            return
        self._progressing = True
        try:
            self._again = True
            while self._again:
                self._again = False
                self._progress_once()
        finally:
            self._progressing = False

    def _progress_once(self) -> None:
        for deployment in [d for d in self.deployments if d.status == "running"]:
            while deployment.status == "running":
                if not all(self._action_done(deployment, a) for a in deployment.current_step):
                    break
                self._record("deployment", deployment.id, "deployment_step_success",
                             f"Step {deployment.step_index + 1}/{len(deployment.steps)} done")
                deployment.step_index += 1
                if deployment.step_index == len(deployment.steps):
                    deployment.status, deployment.finished_at = "success", self.now
                    self._record("deployment", deployment.id, "deployment_success",
                                 "Deployment finished after "
                                 f"{self.now - deployment.started_at:g} s")
                    self._forget_finished()
                else:
                    self._begin_step(deployment)

    def _action_done(self, deployment: Deployment, action: dict[str, Any]) -> bool:
        spec_id, kind = action["app"], action["action"]
        app = self.apps.get(spec_id)
        if kind == START:
            return True
        if kind == STOP:
            if app and not app.instances:
                del self.apps[spec_id]
                self._record("app", spec_id, "app_terminated_event", f"{spec_id} removed")
                self.task_failures.terminated(spec_id)
            return spec_id not in self.apps
        assert app is not None
        if kind == RESTART and spec_id in deployment.restarts:
            self._drive_restart(app, deployment)
        restart = kind == RESTART
        target = app.spec.instances if restart else action["instances"]
        live = [i for i in app.instances.values() if i.goal == "Running" and i.state != INACTIVE]
        # a restart replaces every older instance; a scale step counts instances of any
        # version (one forced over a restart leaves old ones running, as Marathon does)
        stale = [i for i in app.instances.values() if i.state not in (RESERVED, INACTIVE)
                 and (i.goal != "Running" or (restart and i.version < app.version))]
        healthy = sum(self._is_healthy(app, i) for i in live
                      if not restart or i.version == app.version)
        return not stale and healthy >= target and len(live) == target

    def _drive_restart(self, app: App, deployment: Deployment) -> None:
        """Kill one old instance per new healthy one, start new ones within the capacity."""
        restart = deployment.restarts[app.spec.id]
        new = [i for i in app.instances.values()
               if i.version == app.version and i.goal == "Running"]
        new_healthy = sum(self._is_healthy(app, i) for i in new)
        allowed = restart.kill_immediately + new_healthy
        if restart.killed < allowed:
            self._kill_old(app, restart, allowed - restart.killed)
        old_alive = [i for i in app.instances.values()
                     if i.version < app.version and i.state != RESERVED]
        room = max(0, restart.max_capacity - len(old_alive) - len(new))
        for _ in range(min(app.spec.instances - len(new), room)):
            self._schedule(app)

    def _is_healthy(self, app: App, instance: Instance) -> bool:
        """Healthy (or without health checks) and ready: what a deployment waits for."""
        if instance.state != RUNNING or not instance.ready:
            return False
        return instance.healthy is True if app.spec.health_checks else True

    # -- offers ---------------------------------------------------------------------------


    # -- status updates -------------------------------------------------------------------


    def snapshot(self, cluster: Any) -> Snapshot:
        """Marathon's view in the shared :class:`~clustersim.sim.Snapshot` shape: the
        cluster's machines and every instance, including those still waiting in the launch
        queue (``node`` None) and resident reservations without tasks."""
        nodes = cluster.snapshot().nodes
        by_agent = {agent.id: agent.name for agent in cluster.agents}
        tasks = tuple(
            TaskState(name=instance.id, owner=app.spec.id,
                      node=by_agent.get(instance.agent_id) if instance.placed else None,
                      state=instance.state, cpu=app.spec.cpus, memory=app.spec.mem * _MIB,
                      ready=self._is_healthy(app, instance))
            for app in self.apps.values() for instance in app.instances.values()
        )
        return Snapshot("marathon", self.now, nodes, tasks)

    # -- events ---------------------------------------------------------------------------

    def _record(self, kind: str, name: str, reason: str, message: str,
                type: str = "Normal") -> None:
        self.events.record(self.now, f"{kind}/{name}", reason, message, type)

    def deployment_status(self) -> list[dict[str, Any]]:
        """The running deployments and the last finished ones (:attr:`deployments`): id,
        status, step reached, started and finished times."""
        return [{"id": d.id, "status": d.status, "step": min(d.step_index + 1, len(d.steps)),
                 "steps": len(d.steps), "started_at": d.started_at,
                 "finished_at": d.finished_at} for d in self.deployments]

    def wait_time(self, deployment: Deployment) -> float | None:
        """Simulated seconds the deployment took (``None`` while it runs)."""
        return None if deployment.finished_at is None else \
            deployment.finished_at - deployment.started_at

    def __repr__(self) -> str:
        return f"Marathon({len(self.apps)} apps and pods, {self.deployment_count} deployments)"

