"""The CronJob controller and the standard five-field cron schedule.

Upstream: kubernetes/kubernetes ``pkg/controller/cronjob/cronjob_controllerv2.go``
(``syncCronJob``: concurrency policy, job names, history limits, event wording) and
``utils.go`` (``getJobName``: the scheduled time in Unix minutes); the schedule syntax is
robfig/cron's standard parser (``parser.go``), which upstream uses. Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/

Schedules are read on the cluster's calendar (``cluster.calendar``, :class:`Calendar`: by
default ``cluster.epoch`` is the Unix time of simulated second 0, :data:`EPOCH`, 2026-01-01
00:00 UTC, a Thursday; the served API gives its wall clock, so that a schedule fires on the
minutes kubectl shows) in UTC (``spec.timeZone`` other than UTC is refused). As upstream's
``syncCronJob``, each sync works out the due run from ``lastScheduleTime`` (or the
creation) and now on that calendar (:func:`most_recent_schedule`), so a calendar re-anchored
meanwhile (the served clock after a ``step``) is read as it is now. A Job's name tells the
minute its ``lastScheduleTime`` shows while the served clock follows its fixed mapping
(``--speed`` above 0), but for a run made during a ``step``, whose instants are shown at the
step's moment; with the clock stopped the server re-anchors every timestamp it shows,
``lastScheduleTime`` included, and a name already given no longer matches it. A CronJob first gets
the API server's defaults (``SetDefaults_CronJob``, ``pkg/apis/batch/v1/defaults.go``):
``concurrencyPolicy: Allow``, ``suspend: false``, ``successfulJobsHistoryLimit: 3``,
``failedJobsHistoryLimit: 1``. ``concurrencyPolicy``: ``Allow`` starts every run,
``Forbid`` holds a run back while one is active (``JobAlreadyActive`` at each sync; it stays
due, a missed run), ``Replace`` deletes the active Jobs first. Finished Jobs beyond the
history limits are deleted. ``suspend: true`` stops new runs; the runs it held back are
missed ones. Of missed runs only the most recent starts, at the next sync, with the warning
``TooManyMissedTimes`` when more than 100 were missed.

``status.active`` lists the Jobs the controller created and has not yet seen finish; each
one finished is taken off with the event ``SawCompletedJob`` ("Saw completed job: NAME,
condition: Complete"), and one deleted meanwhile with ``MissingJob`` ("Active job went
missing: NAME"); ``status.lastSuccessfulTime`` is the latest completion of any Job it owns.
A Job it owns but did not create (``kubectl create job --from=cronjob/NAME``) is not
adopted into ``status.active``: the controller warns ``UnexpectedJob`` ("Saw a job that the
controller did not create or forgot: NAME"), and the Job holds back no ``Forbid`` run nor is
deleted by ``Replace``; its history is kept within the limits like the others. Upstream
repeats the warning at each sync while the Job runs (``kubectl`` shows the count); the
simulator records it once per Job.

A schedule of valid grammar that names no real day (``0 0 31 4 *``, ``0 0 30 2 *``) is
stored as the API server stores it; robfig/cron's ``Next`` finds no run within five years and
returns Go's zero time, so ``mostRecentScheduleTime`` (``utils.go``) finds no time between
two runs, and ``syncCronJob`` warns ``InvalidSchedule`` ("invalid schedule: 0 0 31 4 * : time
difference between two schedules is less than 1 second") and does not requeue the CronJob:
it never starts a Job. Upstream warns at each sync of the CronJob (its updates, its Jobs'
changes); the simulator, which syncs it at every change in the cluster, warns once per
schedule it is given.

Simplified: ``startingDeadlineSeconds`` is not read: a missed run starts however late, where
upstream skips one past the deadline with ``MissSchedule``."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.controllers.job import job_finished
from clustersim.kubernetes.defaults import set_cronjob_defaults
from clustersim.kubernetes.objects import owner_reference
from clustersim.manifests.cron import UTC_NAMES, CronSchedule

__all__ = ["EPOCH", "Calendar", "CronJobController", "CronSchedule", "EpochCalendar",
           "most_recent_schedule", "next_run"]

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
"""The wall-clock moment of simulated time 0."""


def next_run(schedule: CronSchedule, seconds: float,
             epoch: float = EPOCH.timestamp()) -> float | None:
    """The first scheduled simulated time strictly after ``seconds``, on the calendar whose
    simulated second 0 is the Unix time ``epoch``; None for a schedule that never fires."""
    found = _next_unix(schedule, epoch + seconds)
    return None if found is None else found - epoch


class Calendar(Protocol):
    """Simulated seconds as the Unix times the CronJob controller reads its schedules on,
    and back (:class:`clustersim.serve.core.WallClock` is one)."""

    def unix(self, seconds: float) -> float: ...

    def seconds(self, unix: float) -> float: ...


class EpochCalendar:
    """The calendar whose simulated second 0 is the Unix time ``epoch``."""

    def __init__(self, epoch: float) -> None:
        self.epoch = epoch

    def unix(self, seconds: float) -> float:
        return self.epoch + seconds

    def seconds(self, unix: float) -> float:
        return unix - self.epoch


_SLACK = 1e-6
"""Seconds a scheduled Unix time may lie past now and still be due: the controller wakes at
the simulated second the calendar maps it to, which may map back a rounding error short."""
_MANY_MISSED = 100
"""More missed start times than this are "too many" (``mostRecentScheduleTime``)."""


class InvalidScheduleError(ValueError):
    """A schedule of valid grammar on which ``mostRecentScheduleTime`` finds no interval
    between two runs (its words)."""


def _next_unix(schedule: CronSchedule, unix: float) -> float | None:
    """The Unix time of the first run of ``schedule`` strictly after the Unix time ``unix``,
    or None where robfig/cron's ``Next`` returns the zero time (no run within five years)."""
    found = schedule.next_time(datetime.fromtimestamp(unix, UTC))
    return None if found is None else found.timestamp()


def most_recent_schedule(schedule: CronSchedule, earliest: float,
                         now: float) -> tuple[float | None, int]:
    """The latest scheduled Unix time after ``earliest`` (the last schedule time, or the
    CronJob's creation) and at or before ``now``, or None, and how many start times were
    missed (``mostRecentScheduleTime`` in kubernetes/kubernetes
    ``pkg/controller/cronjob/utils.go``: none while only the first is due; else counted from
    the interval between the first two, and the latest found by walking from the one before
    it, rather than all of them; the controller starts only that latest one). A schedule
    with no run, or no second run, within robfig/cron's five years raises
    :class:`InvalidScheduleError`, as upstream's zero time makes the interval 0 or less."""
    first = _next_unix(schedule, earliest)
    if first is not None and now < first:
        return None, 0
    second = None if first is None else _next_unix(schedule, first)
    if first is None or second is None:
        raise InvalidScheduleError("time difference between two schedules is less than 1 "
                                   "second")
    if now < second:
        return first, 0
    interval = second - first
    missed = int((now - first) / interval) + 1
    latest = None
    moment = _next_unix(schedule, first + (missed - 2) * interval)
    while moment is not None and moment <= now:
        latest, moment = moment, _next_unix(schedule, moment)
    return latest, missed


def rfc3339(unix: int) -> str:
    """Unix seconds as Go's ``time.RFC3339`` prints a UTC time (``2026-01-01T00:05:00Z``), as
    upstream writes the annotation ``batch.kubernetes.io/cronjob-scheduled-timestamp``
    (``getJobFromTemplate2``, ``pkg/controller/cronjob/utils.go``)."""
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CronJobController(Controller):
    """Reconciles CronJobs: creates a Job at each scheduled time."""

    kinds: ClassVar[tuple[str, ...]] = ("CronJob",)

    def __init__(self, cluster) -> None:
        super().__init__(cluster)
        self._unexpected: dict[str, set[str]] = {}
        self._invalid: dict[str, set[str]] = {}
        """The schedules each CronJob (by uid) was warned ``InvalidSchedule`` about."""

    def sync(self, cj: dict[str, Any]) -> None:
        cluster = self.cluster
        set_cronjob_defaults(cj)
        spec = cj["spec"]
        if spec.get("timeZone") not in (None, *UTC_NAMES):
            raise ValueError(f"CronJob {cj['metadata']['name']!r}: spec.timeZone "
                             f"{spec['timeZone']!r} is not supported; the simulator runs in UTC")
        schedule = CronSchedule(spec.get("schedule", ""))
        jobs = sorted(cluster.owned("Job", cj), key=lambda j: j["metadata"]["creationTimestamp"])
        self._track(cj, jobs)
        self._clean_history(cj, jobs)
        if cj["metadata"].get("deletionTimestamp") is not None or spec.get("suspend"):
            return      # status only, no Job started and no requeue (``syncCronJob``)
        calendar = self._calendar()
        now = calendar.unix(cluster.now) + _SLACK
        last = cj["status"].get("lastScheduleTime")
        earliest = calendar.unix(cj["metadata"]["creationTimestamp"] if last is None else last)
        try:
            due, missed = most_recent_schedule(schedule, earliest, now)
        except InvalidScheduleError as err:   # no requeue until the CronJob changes
            told = self._invalid.setdefault(cj["metadata"]["uid"], set())
            if schedule.spec not in told:
                told.add(schedule.spec)
                cluster.record(cj, "InvalidSchedule",
                               f"invalid schedule: {schedule.spec} : {err}", "Warning")
            return
        if missed > _MANY_MISSED:
            cluster.record(cj, "TooManyMissedTimes", "too many missed start times. Set or "
                           "decrease .spec.startingDeadlineSeconds or check clock skew",
                           "Warning")
        if due is not None:
            self._run(cj, due)
        after = due if due is not None else earliest if not missed else now
        wake = _next_unix(schedule, after)
        if wake is not None:
            cluster.wake_at(calendar.seconds(wake), background=True)

    def _calendar(self) -> Calendar:
        """The cluster's calendar (module docstring)."""
        return self.cluster.calendar or EpochCalendar(self.cluster.epoch)

    def _track(self, cj: dict[str, Any], jobs: list[dict[str, Any]]) -> None:
        """The first half of ``syncCronJob``: ``status.active`` against the Jobs the CronJob
        owns (module docstring)."""
        cluster = self.cluster
        status = cj.setdefault("status", {})
        active: list[dict[str, Any]] = status.get("active") or []
        tracked = {ref["uid"] for ref in active}
        warned = self._unexpected.setdefault(cj["metadata"]["uid"], set())
        for job in jobs:
            job_uid, name = job["metadata"]["uid"], job["metadata"]["name"]
            outcome = job_finished(job)
            if outcome is None:
                if job_uid not in tracked and job_uid not in warned:
                    warned.add(job_uid)
                    cluster.record(cj, "UnexpectedJob", "Saw a job that the controller did "
                                   f"not create or forgot: {name}", "Warning")
                continue
            if job_uid in tracked:
                active[:] = [ref for ref in active if ref["uid"] != job_uid]
                cluster.record(cj, "SawCompletedJob",
                               f"Saw completed job: {name}, condition: {outcome}")
            completed = (job.get("status") or {}).get("completionTime")
            if outcome == "Complete" and completed is not None and \
                    completed > status.get("lastSuccessfulTime", float("-inf")):
                status["lastSuccessfulTime"] = completed
        owned = {job["metadata"]["uid"] for job in jobs}
        for ref in [ref for ref in active if ref["uid"] not in owned]:
            active.remove(ref)
            cluster.record(cj, "MissingJob", f"Active job went missing: {ref['name']}")
        if active:
            status["active"] = active
        else:                                # omitted when empty, as upstream's omitempty
            status.pop("active", None)

    def _run(self, cj, at: float) -> None:
        """Start the run scheduled at the Unix time ``at`` (``syncCronJob``'s second half)."""
        cluster = self.cluster
        policy = cj["spec"]["concurrencyPolicy"]
        refs = cj["status"].get("active") or []
        active = [job for ref in refs
                  if (job := cluster.get("Job", ref["namespace"], ref["name"])) is not None]
        if refs and policy == "Forbid":
            cluster.record(cj, "JobAlreadyActive", "Not starting job because prior execution "
                           "is running and concurrency policy is Forbid")
            return
        if active and policy == "Replace":
            for job in active:
                cluster.delete_object(job)
                cluster.record(cj, "SuccessfulDelete", f"Deleted job {job['metadata']['name']}")
            refs = []
        at = round(at)                  # a whole minute, but for rounding
        minutes = at // 60
        template = copy.deepcopy(cj["spec"].get("jobTemplate") or {})
        name = f"{cj['metadata']['name']}-{minutes}"
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": name, "namespace": cj["metadata"]["namespace"],
                         "labels": dict((template.get("metadata") or {}).get("labels") or {}),
                         "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp":
                                         rfc3339(at)},
                         "ownerReferences": [owner_reference(cj)]},
            "spec": template.get("spec") or {},
        }
        cluster.create(job)
        cj["status"]["active"] = [*refs, {"apiVersion": "batch/v1", "kind": "Job", "name": name,
             "namespace": job["metadata"]["namespace"], "uid": job["metadata"]["uid"]}]
        cj["status"]["lastScheduleTime"] = self._calendar().seconds(at)
        cluster.record(cj, "SuccessfulCreate", f"Created job {name}")

    def _clean_history(self, cj, jobs) -> None:
        for outcome, key in (("Complete", "successfulJobsHistoryLimit"),
                             ("Failed", "failedJobsHistoryLimit")):
            finished = [j for j in jobs if job_finished(j) == outcome]
            limit = cj["spec"][key]
            for job in finished[:max(0, len(finished) - limit)]:
                self.cluster.delete_object(job)
                self.cluster.record(cj, "SuccessfulDelete",
                                    f"Deleted job {job['metadata']['name']}")
