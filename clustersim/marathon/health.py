"""Health and readiness checks of running instances, and what failing ones lead to.

Sources: d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/core/health/impl/
HealthCheckActor.scala`` and ``core/health/HealthCheck.scala`` (defaults, first check 5 s
after the checks start), ``core/readiness/ReadinessCheckExecutor.scala``:

- checks run every ``intervalSeconds``; a failure during ``gracePeriodSeconds`` after the
  task started, before any success, is ignored;
- after ``maxConsecutiveFailures`` failures in a row (0 = never) Marathon kills the task
  (``unhealthy_task_kill_event``); the instance is relaunched after the app's backoff;
- readiness checks gate deployments only: a new instance counts once its first readiness
  check passed, ``intervalSeconds`` (30 s by default) after it started running.

Simplified: a check passes unless a lab breaks the app with ``Marathon.set_health``; check
timeouts and HTTP status codes are not modelled.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from clustersim.marathon.state import (
    RUNNING,
    App,
    CheckRecord,
    Deployment,
    Instance,
    OfferStats,
)
from clustersim.marathon.taskfailures import TaskFailures

if TYPE_CHECKING:
    from clustersim.marathon.groups import RootGroup

__all__ = ["HealthChecking"]


class HealthChecking:
    """The health-check part of :class:`~clustersim.marathon.framework.Marathon`, the lowest
    of its parts: they form a stack (health, then
    :class:`~clustersim.marathon.launchqueue.LaunchQueue`, then
    :class:`~clustersim.marathon.actions.SchedulerActions`), each using those below it. The
    framework's attributes and the methods it defines itself are declared here for the
    type checker."""

    driver: Any
    root: RootGroup
    apps: dict[str, App]
    deployments: list[Deployment]
    max_instances_per_offer: int
    decline_offer_duration: float
    task_startup_seconds: float
    task_stop_seconds: float
    scale_apps_initial_delay: float
    scale_apps_interval: float
    reconciliation_initial_delay: float
    reconciliation_interval: float
    _task_index: dict[str, tuple[str, str]]
    _instance_ids: Iterator[int]
    _container_ips: Iterator[int]
    _rejections: dict[str, dict[str, int]]
    _offer_stats: dict[str, OfferStats]
    task_failures: TaskFailures

    if TYPE_CHECKING:
        @property
        def now(self) -> float: ...
        def _record(self, kind: str, name: str, reason: str, message: str,
                    type: str = "Normal") -> None: ...
        def _progress(self) -> None: ...
        def _revive(self) -> None: ...

    def _start_readiness_check(self, app: App, instance: Instance) -> None:
        """Readiness checks (``core/readiness/ReadinessCheckExecutor.scala``) run while an
        instance is deployed: it counts as ready at the first check after
        ``intervalSeconds`` (default 30 s) that its app passes. Without readiness checks an
        instance is ready as soon as it runs."""
        checks = app.spec.manifest.get("readinessChecks") or []
        if not checks:
            instance.ready = True
            return
        interval = float(checks[0].get("intervalSeconds", 30))
        attempt = instance.attempt

        def check() -> None:
            if instance.attempt != attempt or instance.state != RUNNING:
                return
            if app.health_ok:
                instance.ready = True      # readiness is no condition: no event
                self._progress()
            else:
                self.driver.call_later(interval, check, background=True)

        self.driver.call_later(interval, check)

    def _start_health_checks(self, app: App, instance: Instance) -> None:
        for index, check in enumerate(app.spec.health_checks):
            self._schedule_check(app, instance, index, check.first_check_after, instance.attempt)

    def _schedule_check(self, app: App, instance: Instance, index: int, delay: float,
                        attempt: int) -> None:
        settled = instance.ever_healthy or self.now + delay > (
            (instance.running_since or 0.0) + app.spec.health_checks[index].grace_period_seconds)
        self.driver.call_later(delay, partial(self._check, app, instance, index, attempt),
                               background=settled)

    def _check(self, app: App, instance: Instance, index: int, attempt: int) -> None:
        if instance.attempt != attempt or instance.state != RUNNING \
                or self.apps.get(app.spec.id) is not app or index >= len(app.spec.health_checks):
            return
        check = app.spec.health_checks[index]
        record = instance.checks.setdefault(index, CheckRecord())
        if app.health_ok:
            instance.failures[index] = 0
            if record.first_success is None:
                record.first_success = self.now
            record.last_success = self.now
            healthy = not any(instance.failures.values()) and \
                len(instance.failures) == len(app.spec.health_checks)
            if healthy and instance.healthy is not True:
                instance.healthy, instance.ever_healthy = True, True
                self._record("instance", instance.id, "health_status_changed_event",
                             f"{instance.id} of {app.spec.id} is healthy (alive=true)")
                self._progress()
        else:
            in_grace = not instance.ever_healthy and \
                self.now < (instance.running_since or 0.0) + check.grace_period_seconds
            if not in_grace:
                record.last_failure = self.now
                failures = instance.failures.get(index, 0) + 1
                instance.failures[index] = failures
                self._record("instance", instance.id, "failed_health_check_event",
                             f"{check.protocol} health check of {instance.id} failed "
                             f"({failures} consecutive)", "Warning")
                if instance.healthy is not False:
                    instance.healthy = False
                    self._record("instance", instance.id, "health_status_changed_event",
                                 f"{instance.id} of {app.spec.id} is unhealthy (alive=false)",
                                 "Warning")
                if check.max_consecutive_failures and failures >= check.max_consecutive_failures:
                    reason = f"{failures} consecutive failed {check.protocol} health checks"
                    self._record("instance", instance.id, "unhealthy_task_kill_event",
                                 f"Killing {instance.id}: {reason}", "Warning")
                    self.task_failures.unhealthy_kill(instance, reason, self.now)
                    until = app.backoff.add_delay(self.now)
                    self.driver.call_later(until - self.now, self._revive, background=True)
                    for task_id in instance.tasks:
                        self.driver.kill_task(task_id)
                    return
        self._schedule_check(app, instance, index, check.interval_seconds, attempt)
