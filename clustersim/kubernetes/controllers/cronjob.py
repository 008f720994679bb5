"""The CronJob controller and the standard five-field cron schedule.

Upstream: kubernetes/kubernetes ``pkg/controller/cronjob/cronjob_controllerv2.go``
(``syncCronJob``: concurrency policy, job names, history limits, event wording) and
``utils.go`` (``getJobName``: the scheduled time in Unix minutes); the schedule syntax is
robfig/cron's standard parser (``parser.go``), which upstream uses. Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/

Simulated time 0 is :data:`EPOCH` (2026-01-01 00:00 UTC, a Thursday); schedules are read in
UTC (``spec.timeZone`` other than UTC is refused). ``concurrencyPolicy``: ``Allow`` starts
every run, ``Forbid`` skips a run while one is active, ``Replace`` deletes the active Job
first. Finished Jobs beyond ``successfulJobsHistoryLimit`` (3) and ``failedJobsHistoryLimit``
(1) are deleted. ``suspend: true`` stops new runs.

Simplified: ``startingDeadlineSeconds`` and missed-schedule catch-up are not modelled (the
simulated controller never misses a tick).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.controllers.job import job_finished
from clustersim.kubernetes.objects import owner_reference

__all__ = ["EPOCH", "CronJobController", "CronSchedule"]

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
"""The wall-clock moment of simulated time 0."""

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
           "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@hourly": "0 * * * *"}
_FIELDS = (("minute", 0, 59, None), ("hour", 0, 23, None), ("day of month", 1, 31, None),
           ("month", 1, 12, _MONTHS), ("day of week", 0, 7, _DAYS))
"""Day of week 7 is Sunday, like 0."""


def _parse_value(text: str, low: int, names: list[str] | None, field: str, spec: str) -> int:
    if names and text.lower() in names:
        return names.index(text.lower()) + (1 if field == "month" else 0)
    if not text.isdigit():
        raise ValueError(f"cron schedule {spec!r}: {field} value {text!r} is not a number"
                         + (f" or a name ({', '.join(names)})" if names else ""))
    return int(text)


def _parse_field(text: str, field: str, low: int, high: int, names: list[str] | None,
                 spec: str) -> tuple[set[int], bool]:
    """The set of values one field allows, and whether it was ``*`` (or ``?``)."""
    values: set[int] = set()
    star = False
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"cron schedule {spec!r}: step {step_text!r} in the {field} "
                                 "field must be a positive number")
            step = int(step_text)
        top = 6 if field == "day of week" else high       # 7 (Sunday) only when written
        if body in ("*", "?"):
            begin, end = low, top
            star = star or not step_text
        elif "-" in body:
            a, _, b = body.partition("-")
            begin = _parse_value(a, low, names, field, spec)
            end = _parse_value(b, low, names, field, spec)
        else:
            begin = _parse_value(body, low, names, field, spec)
            end = top if step_text else begin
        if not low <= begin <= end <= high:
            raise ValueError(f"cron schedule {spec!r}: {field} {body!r} is outside {low}-{high}")
        values.update(v % 7 if field == "day of week" else v
                      for v in range(begin, end + 1, step))
    return values, star


class CronSchedule:
    """A standard five-field cron schedule (``minute hour day-of-month month day-of-week``).

    Lists, ranges, steps, ``*``/``?``, month and weekday names and the ``@hourly``/``@daily``/
    ``@weekly``/``@monthly``/``@yearly`` macros. As in cron, when both day fields are
    restricted a day matches if either matches; a field written with a step (``*/2``) counts
    as restricted (robfig/cron v3).
    """

    def __init__(self, spec: str) -> None:
        if not isinstance(spec, str) or not spec.strip():
            raise ValueError(f"cron schedule {spec!r} must be a non-empty string such as "
                             "'*/5 * * * *'")
        text = _MACROS.get(spec.strip(), spec.strip())
        if text.startswith(("TZ=", "CRON_TZ=")):
            raise ValueError(f"cron schedule {spec!r}: time zones in the schedule are not "
                             "supported; use spec.timeZone (as upstream requires)")
        parts = text.split()
        if len(parts) != 5:
            raise ValueError(f"cron schedule {spec!r} needs 5 fields (minute hour "
                             f"day-of-month month day-of-week), got {len(parts)}")
        parsed = [_parse_field(p, name, low, high, names, spec)
                  for p, (name, low, high, names) in zip(parts, _FIELDS, strict=True)]
        (self.minutes, _), (self.hours, _), (self.days, dom_star), (self.months, _), \
            (self.weekdays, dow_star) = parsed
        self.dom_star, self.dow_star = dom_star, dow_star
        self.spec = spec

    def _day_matches(self, moment: datetime) -> bool:
        dom = moment.day in self.days
        dow = (moment.isoweekday() % 7) in self.weekdays
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def next_time(self, after: datetime) -> datetime:
        """The first scheduled minute strictly after ``after`` (robfig/cron ``Next``)."""
        moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(366 * 8):
            if moment.month in self.months and self._day_matches(moment):
                for hour in sorted(h for h in self.hours if h >= moment.hour):
                    start = moment.minute if hour == moment.hour else 0
                    minute = next((m for m in sorted(self.minutes) if m >= start), None)
                    if minute is not None:
                        return moment.replace(hour=hour, minute=minute)
            moment = (moment + timedelta(days=1)).replace(hour=0, minute=0)
        raise ValueError(f"cron schedule {self.spec!r} never fires")

    def next_after(self, seconds: float) -> float:
        """The first scheduled simulated time strictly after ``seconds``."""
        found = self.next_time(EPOCH + timedelta(seconds=seconds))
        return (found - EPOCH).total_seconds()


class CronJobController(Controller):
    """Reconciles CronJobs: creates a Job at each scheduled time."""

    kinds: ClassVar[tuple[str, ...]] = ("CronJob",)

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self._next: dict[str, float] = {}
        self._watching: dict[str, set[str]] = {}

    def sync(self, cj: dict[str, Any]) -> None:
        cluster = self.cluster
        spec = cj.setdefault("spec", {})
        uid = cj["metadata"]["uid"]
        if spec.get("timeZone") not in (None, "UTC", "Etc/UTC"):
            raise ValueError(f"CronJob {cj['metadata']['name']!r}: spec.timeZone "
                             f"{spec['timeZone']!r} is not supported; the simulator runs in UTC")
        schedule = CronSchedule(spec.get("schedule", ""))
        jobs = sorted(cluster.owned("Job", cj), key=lambda j: j["metadata"]["creationTimestamp"])
        watching = self._watching.setdefault(uid, set())
        for job in jobs:
            outcome = job_finished(job)
            if outcome and job["metadata"]["uid"] in watching:
                watching.discard(job["metadata"]["uid"])
                cluster.record(cj, "SawCompletedJob",
                               f"Saw completed job: {job['metadata']['name']}, status: {outcome}")
        self._clean_history(cj, jobs)
        if uid not in self._next:
            self._next[uid] = schedule.next_after(cluster.now)
        due = self._next[uid]
        if cluster.now >= due:
            self._next[uid] = schedule.next_after(cluster.now)
            if not spec.get("suspend"):
                self._run(cj, due, [j for j in jobs if not job_finished(j)])
        cluster.wake_at(self._next[uid], background=True)
        cj.setdefault("status", {})["active"] = [
            {"name": j["metadata"]["name"]} for j in cluster.owned("Job", cj)
            if not job_finished(j)]

    def _run(self, cj, scheduled: float, active: list[dict[str, Any]]) -> None:
        cluster = self.cluster
        policy = cj["spec"].get("concurrencyPolicy", "Allow")
        if active and policy == "Forbid":
            cluster.record(cj, "JobAlreadyActive", "Not starting job because prior execution "
                           "is running and concurrency policy is Forbid")
            return
        if active and policy == "Replace":
            for job in active:
                cluster.delete_object(job)
                cluster.record(cj, "SuccessfulDelete", f"Deleted job {job['metadata']['name']}")
        minutes = int((EPOCH + timedelta(seconds=scheduled)).timestamp() // 60)
        template = copy.deepcopy(cj["spec"].get("jobTemplate") or {})
        name = f"{cj['metadata']['name']}-{minutes}"
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": name, "namespace": cj["metadata"]["namespace"],
                         "labels": dict((template.get("metadata") or {}).get("labels") or {}),
                         "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp":
                                         (EPOCH + timedelta(seconds=scheduled)).isoformat()},
                         "ownerReferences": [owner_reference(cj)]},
            "spec": template.get("spec") or {},
        }
        cluster.create(job)
        self._watching.setdefault(cj["metadata"]["uid"], set()).add(job["metadata"]["uid"])
        cj.setdefault("status", {})["lastScheduleTime"] = scheduled
        cluster.record(cj, "SuccessfulCreate", f"Created job {name}")

    def _clean_history(self, cj, jobs) -> None:
        for outcome, key, default in (("Complete", "successfulJobsHistoryLimit", 3),
                                      ("Failed", "failedJobsHistoryLimit", 1)):
            finished = [j for j in jobs if job_finished(j) == outcome]
            limit = cj["spec"].get(key, default)
            for job in finished[:max(0, len(finished) - limit)]:
                self.cluster.delete_object(job)
                self.cluster.record(cj, "SuccessfulDelete",
                                    f"Deleted job {job['metadata']['name']}")
