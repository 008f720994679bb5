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
from clustersim.manifests.cron import UTC_NAMES, CronSchedule

__all__ = ["EPOCH", "CronJobController", "CronSchedule", "next_run"]

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
"""The wall-clock moment of simulated time 0."""


def next_run(schedule: CronSchedule, seconds: float) -> float:
    """The first scheduled simulated time strictly after ``seconds``."""
    found = schedule.next_time(EPOCH + timedelta(seconds=seconds))
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
        if spec.get("timeZone") not in (None, *UTC_NAMES):
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
            self._next[uid] = next_run(schedule, cluster.now)
        due = self._next[uid]
        if cluster.now >= due:
            self._next[uid] = next_run(schedule, cluster.now)
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
