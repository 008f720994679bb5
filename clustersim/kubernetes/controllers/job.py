"""The Job controller: run pods until ``completions`` succeed, at most ``parallelism`` at once.

Upstream: kubernetes/kubernetes ``pkg/controller/job/job_controller.go`` (``syncJob``,
``manageJob``, ``getNewFinishedPods``) and ``pkg/controller/job/backoff_utils.go``. Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/job/

- The Job first gets the API server's defaults
  (:func:`~clustersim.kubernetes.defaults.set_job_defaults`).
- Active pods = ``min(parallelism, completions − succeeded)``. Without ``completions`` (a work
  queue) no new pod starts once one succeeded, and the Job completes when one succeeded and
  none is active. ``status.ready`` counts the active pods that are Ready and
  ``status.terminating`` the pods being deleted that have not ended; with
  ``podReplacementPolicy: Failed`` a pod being deleted is replaced only once it has ended,
  with ``TerminatingOrFailed`` at once (``manageJob``).
- Each failed pod counts toward ``backoffLimit`` (default 6); once failures exceed it the Job
  fails with ``BackoffLimitExceeded`` and its active pods are deleted. After ``n`` failures
  since the last success the next pod waits ``10 s × 2^(n−1)``, at most 10 minutes
  (``DefaultJobPodFailureBackOff``, ``MaxJobPodFailureBackOff``, ``backoffRecord``).
- ``activeDeadlineSeconds`` fails the Job with ``DeadlineExceeded``.
- A Job ends in two steps, as since v1.31 (``delayTerminalCondition``: the ``JobManagedBy``
  and ``JobPodReplacementPolicy`` features; ``trackJobStatusAndRemoveFinalizers``,
  ``enactJobFinished``, ``recordJobFinished``): the interim condition first,
  ``FailureTarget`` with the reason of the failure (``BackoffLimitExceeded``,
  ``DeadlineExceeded``, ``PodFailurePolicy``, ``MaxFailedIndexesExceeded``,
  ``FailedIndexes``) or ``SuccessCriteriaMet`` (``CompletionsReached``, "Reached expected
  number of succeeded pods", or ``SuccessPolicy``), while the active pods are deleted; then,
  once none of its pods is still terminating, ``Failed`` or ``Complete`` with the same
  reason and message, ``status.completionTime`` for a complete Job, and the event:
  ``Completed`` "Job completed", or a Warning with the failure's reason and message
  (:meth:`JobController._conclude`).
- Pods get the labels ``batch.kubernetes.io/job-name`` and ``batch.kubernetes.io/controller-uid``
  (and their legacy short forms), as the API server puts them in the template when the Job is
  created, and the Job selects its pods by the uid label (``generateSelector``; neither with
  ``manualSelector: true``). Until it has finished, it claims its Pods as a ReplicaSet does
  (``getPodsForJob`` calls ``ClaimPods`` of ``pkg/controller/controller_ref_manager.go``
  with no filter, so a finished orphan is adopted too): it adopts the orphans its selector
  matches, which with a generated selector are only Pods that carry its own uid, and
  releases a Pod relabelled out of its selector, which runs on without an owner while the
  Job makes another. Simplified: upstream counts a Pod's end once, as it removes the Pod's
  tracking finalizer, so a finished Pod released later still counts; here it leaves
  ``status.succeeded``.

- ``suspend: true`` creates no pods (and deletes active ones), with the condition
  ``Suspended`` and the event ``Suspended``; ``status.startTime`` is set when the Job runs
  unsuspended, cleared when it is suspended (the ``MutableSchedulingDirectivesForSuspendedJobs``
  feature, KEP-5440: alpha in v1.35, beta and on by default since v1.36) and set again when it
  is resumed (condition ``Suspended=False`` ``JobResumed``, event ``Resumed``), so
  ``activeDeadlineSeconds`` counts the time it has been active since (``syncJob``). A
  suspended Job none of whose pods is active may have its template's scheduling directives
  and resources changed (:mod:`clustersim.kubernetes.workloadupdates`, which checks updates).
  ``ttlSecondsAfterFinished`` deletes the finished Job after that many seconds.

- ``completionMode: Indexed`` gives each pod a completion index and completes the Job when
  every index from 0 to ``completions − 1`` has succeeded; ``status.succeeded`` counts the
  indexes and ``status.completedIndexes`` lists them (:mod:`.indexedjob`).

- ``podFailurePolicy`` (GA in v1.31) decides what each failed pod's exit code or conditions
  make of it (:mod:`.podfailurepolicy`): a ``FailJob`` rule fails the Job (reason
  ``PodFailurePolicy``) before any limit is looked at, an ``Ignore`` rule keeps the failure
  out of ``status.failed``, ``backoffLimit`` and the index's failure count, a ``FailIndex``
  rule fails the pod's index for good (``syncJob``, ``getFailJobMessage``,
  ``isIndexFailed``). Ignored failures still delay the next pod: the simulator's back-off
  counts every failed pod.
- An Indexed Job's ``successPolicy`` (GA in v1.33) completes it once a rule is met
  (:mod:`.successpolicy`), with the reason ``SuccessPolicy``, after the checks that fail it
  (``syncJob``).

- Every pod the controller deletes (surplus, suspension, the end of the Job) is recorded on
  the Job: ``SuccessfulDelete`` "Deleted pod: <name>" (``RealPodControl.DeletePod``).
- ``status.failed`` only grows, as upstream's counter does: a failed pod deleted later still
  counts.

Simplified: ``restartPolicy: OnFailure`` pods are treated like ``Never`` (upstream restarts
the container in place and counts the restarts toward the limit). The pods' tracking
finalizer is not modelled (the simulator counts the finished pods it still has, never fewer
than it counted before; upstream counts each once, as its finalizer is removed).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, ClassVar

from clustersim.kubernetes.controllers.base import Controller
from clustersim.kubernetes.controllers.indexedjob import (
    completion_index,
    first_pending_indexes,
    format_indexes,
    index_absolute_failure_count,
    index_failure_count,
    indexed_pod,
    is_indexed,
    pods_for_removal,
    replaced_pods,
    with_indexes,
)
from clustersim.kubernetes.controllers.podfailurepolicy import (
    FAIL_INDEX,
    match_pod_failure_policy,
)
from clustersim.kubernetes.controllers.replicaset import deletion_rank
from clustersim.kubernetes.controllers.successpolicy import success_policy_met
from clustersim.kubernetes.defaults import set_job_defaults
from clustersim.kubernetes.objects import (
    condition,
    generate_job_selector,
    is_active,
    is_ready,
    is_terminating,
    new_pod_from_template,
    set_condition,
)

__all__ = ["JobController", "job_finished", "pod_failure_backoff", "want_active"]

Verdict = tuple[str | None, bool, str | None]
"""What the pod failure policy makes of a failed pod (``match_pod_failure_policy``)."""
DEFAULT_BACKOFF = 10.0
MAX_BACKOFF = 600.0
"""``MaxJobPodFailureBackOff``: 10 minutes in the controller's source (``job_controller.go``, as
of December 2026); the documentation's Jobs page still says six minutes, an older cap."""


def pod_failure_backoff(failures: int) -> float:
    """Seconds to wait before the next pod after ``failures`` consecutive failures."""
    if failures <= 0:
        return 0.0
    return min(DEFAULT_BACKOFF * 2 ** (failures - 1), MAX_BACKOFF)


def want_active(parallelism: int, completions: int | None, active: int, succeeded: int) -> int:
    """How many pods should be running (``manageJob``): at most ``parallelism`` and never more
    than the completions still missing; a work queue (no ``completions``) keeps what runs once
    a pod succeeded, and starts no more."""
    if completions is None:
        return active if succeeded > 0 else parallelism
    return max(0, min(parallelism, completions - succeeded))


INTERIM = {"SuccessCriteriaMet": "Complete", "FailureTarget": "Failed"}
"""Each interim condition of a finishing Job and the terminal one it leads to."""


def job_finished(job: dict[str, Any]) -> str | None:
    """``"Complete"`` or ``"Failed"`` once the Job has finished, else None."""
    for kind in ("Complete", "Failed"):
        cond = condition(job, kind)
        if cond is not None and cond.get("status") == "True":
            return kind
    return None


def _tally_indexes(job: dict[str, Any], succeeded: list[dict[str, Any]],
                   failed: list[dict[str, Any]], verdicts: Mapping[str, Verdict]
                   ) -> tuple[set[int], set[int], list[dict[str, Any]]]:
    """An Indexed Job's indexes done and lost (failed for good, with
    ``backoffLimitPerIndex``: a counted failure past the limit, or a ``FailIndex`` rule of
    the pod failure policy, ``isIndexFailed``), written to ``status.completedIndexes`` (left
    out while empty) and ``status.failedIndexes``, and its failed pods with a valid index
    (``getValidPodsWithFilter``)."""
    spec, status = job["spec"], job["status"]
    total, per_index = spec["completions"], spec.get("backoffLimitPerIndex")
    failed = [p for p in failed if (i := completion_index(p)) is not None and i < total]
    done = with_indexes(status.get("completedIndexes", ""), total, succeeded)
    if done:
        status["completedIndexes"] = format_indexes(done)
    else:
        status.pop("completedIndexes", None)
    lost: set[int] = set()
    if per_index is not None:
        lost = with_indexes(status.get("failedIndexes") or "", total, (
            p for p in failed if _verdict(verdicts, p)[2] == FAIL_INDEX
            or (_verdict(verdicts, p)[1] and index_failure_count(p) >= per_index)))
        status["failedIndexes"] = format_indexes(lost)
    return done, lost, failed


def _terminating(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pods being deleted that have not ended (``status.terminating``,
    ``CountTerminatingPods``)."""
    return [p for p in pods if is_terminating(p)
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]


def _verdict(verdicts: Mapping[str, Verdict], pod: Mapping[str, Any]) -> Verdict:
    """What the pod failure policy made of the failed ``pod``: counted, no rule, without one."""
    return verdicts.get(pod["metadata"]["uid"], (None, True, None))


class JobController(Controller):
    """Reconciles Jobs."""

    kinds: ClassVar[tuple[str, ...]] = ("Job",)
    retry_base: ClassVar[float] = 1.0
    """``DefaultJobApiBackOff``: the Job controller's queue backs off from 1 s
    (``NewTypedItemExponentialFailureRateLimiter`` in ``pkg/controller/job/job_controller.go``)."""
    retry_max: ClassVar[float] = 60.0
    """``MaxJobApiBackOff``: at most a minute."""

    def sync(self, job: dict[str, Any]) -> None:
        cluster = self.cluster
        now = cluster.now
        set_job_defaults(job)
        spec = job["spec"]
        self._default_template(job)
        if not job_finished(job):       # syncJob returns before getPodsForJob for one
            self.claim_orphans(job, "Pod", spec.get("selector"))
        pods = cluster.owned("Pod", job)
        active = [p for p in pods if is_active(p)]
        succeeded = [p for p in pods if (p.get("status") or {}).get("phase") == "Succeeded"]
        failed = [p for p in pods if (p.get("status") or {}).get("phase") == "Failed"]
        terminating = _terminating(pods)
        status = job.setdefault("status", {})
        if not spec.get("suspend"):
            status.setdefault("startTime", now)      # the Job's first start
        done: set[int] | None = None
        lost: set[int] = set()
        per_index = spec.get("backoffLimitPerIndex") if is_indexed(job) else None
        failed.sort(key=lambda p: p["status"].get("finishedAt", 0.0))
        policy = spec.get("podFailurePolicy")
        verdicts = {p["metadata"]["uid"]: match_pod_failure_policy(policy, p)
                    for p in failed} if policy else {}
        fail_job = next((message for p in failed if (message := _verdict(verdicts, p)[0])),
                        None)
        if is_indexed(job):
            done, lost, failed = _tally_indexes(job, succeeded, failed, verdicts)
        counted = [p for p in failed if _verdict(verdicts, p)[1]]
        status.update(active=len(active), ready=sum(map(is_ready, active)),
                      succeeded=len(succeeded) if done is None else len(done),
                      failed=max(len(counted), status.get("failed", 0)),
                      terminating=len(terminating))
        finished = job_finished(job)
        if finished:
            self._expire(job)
            return
        interim = next((c for c in status.get("conditions") or []
                        if c.get("type") in INTERIM and c.get("status") == "True"), None)
        if interim is not None:             # decided in an earlier sync: finish it
            self._conclude(job, active, interim["type"], interim.get("reason", ""),
                           interim.get("message", ""))
            return
        if spec.get("suspend"):
            for pod in active:
                self._delete_pod(job, pod)
            if set_condition(job, "Suspended", True, now, "JobSuspended", "Job suspended"):
                cluster.record(job, "Suspended", "Job suspended")
                status.pop("startTime", None)   # MutableSchedulingDirectivesForSuspendedJobs
            return
        suspended = condition(job, "Suspended")
        if suspended is not None and suspended.get("status") == "True":
            set_condition(job, "Suspended", False, now, "JobResumed", "Job resumed")
            cluster.record(job, "Resumed", "Job resumed")
            status["startTime"] = now       # the deadline counts time continuously active
        parallelism, completions = spec["parallelism"], spec.get("completions")
        backoff_limit = spec["backoffLimit"]
        deadline = spec.get("activeDeadlineSeconds")
        if fail_job is not None:
            self._conclude(job, active, "FailureTarget", "PodFailurePolicy", fail_job)
            return
        if len(counted) > backoff_limit:
            self._conclude(job, active, "FailureTarget", "BackoffLimitExceeded",
                           "Job has reached the specified backoff limit")
            return
        if deadline is not None:
            if now - status["startTime"] >= deadline:
                self._conclude(job, active, "FailureTarget", "DeadlineExceeded",
                               "Job was active longer than specified deadline")
                return
            cluster.wake_at(status["startTime"] + deadline, background=True)
        max_failed = spec.get("maxFailedIndexes")
        if max_failed is not None and len(lost) > max_failed:
            self._conclude(job, active, "FailureTarget", "MaxFailedIndexesExceeded",
                           "Job has exceeded the specified maximal number of failed indexes")
            return
        if lost and done is not None and len(lost) + len(done) >= completions:
            self._conclude(job, active, "FailureTarget", "FailedIndexes",
                           "Job has failed indexes")
            return
        met = None if done is None else success_policy_met(spec.get("successPolicy"),
                                                            completions, done)
        if met is not None:
            self._conclude(job, active, "SuccessCriteriaMet", "SuccessPolicy", met)
            return
        succeeded_count = status["succeeded"]
        if (completions is not None and succeeded_count >= completions) or (
                completions is None and succeeded and not active):
            self._conclude(job, active, "SuccessCriteriaMet", "CompletionsReached",
                           "Reached expected number of succeeded pods")
            return
        if job["metadata"].get("deletionTimestamp") is not None:
            return      # being deleted: ``syncJob`` skips ``manageJob`` (job_controller.go)
        wanted = want_active(parallelism, completions, len(active), succeeded_count)
        surplus = max(0, len(active) - wanted)
        if done is not None:
            doomed = pods_for_removal(active, completions, surplus)
        else:
            doomed = deletion_rank(active)[:surplus] if surplus else []
        if doomed:
            for pod in doomed:
                self._delete_pod(job, pod)
            return
        # podReplacementPolicy Failed: a pod being deleted is replaced once it has ended
        waiting = terminating if spec["podReplacementPolicy"] == "Failed" else []
        if len(active) + len(waiting) >= wanted:
            return
        if per_index is None:
            last_success = max((p["status"].get("finishedAt", 0.0) for p in succeeded),
                               default=-1.0)
            recent = [p for p in failed if p["status"].get("finishedAt", 0.0) > last_success]
            if recent:
                last = max(p["status"].get("finishedAt", 0.0) for p in recent)
                ready_at = last + pod_failure_backoff(len(recent))
                if now < ready_at:
                    cluster.wake_at(ready_at)
                    return
        missing = wanted - len(active) - len(waiting)
        indexes: list[int | None] = [None] * missing
        replaced: dict[int, dict[str, Any]] = {}
        if done is not None:
            taken = done | lost | {i for p in active + waiting
                                   if (i := completion_index(p)) is not None}
            indexes = list(first_pending_indexes(taken, missing, completions))
            if per_index is not None:
                replaced = replaced_pods(failed, taken)
                indexes = self._past_index_backoff(indexes, replaced)
        for index in indexes:
            if index is None:
                pod = new_pod_from_template(spec["template"], job,
                                            prefix=f"{job['metadata']['name']}-")
            else:
                before = replaced.get(index)
                pod = indexed_pod(spec["template"], job, index, before,
                                  before is None or _verdict(verdicts, before)[1])
            cluster.create(pod)
            cluster.record(job, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")

    def _past_index_backoff(self, indexes: list[int | None],
                            replaced: dict[int, dict[str, Any]]) -> list[int | None]:
        """Of the pending ``indexes``, those whose back-off since their index's last failure
        is over (``getPodCreationInfoForIndependentIndexes``); the controller looks again
        when the first of the others ends. Upstream asks for that only when none is ready,
        and otherwise waits for its next sync, which the simulator's level-triggered loop
        makes whenever anything changes."""
        now = self.cluster.now
        ready: list[int | None] = []
        waits = []
        for index in indexes:
            pod = replaced.get(index) if index is not None else None
            if pod is None:
                ready.append(index)
                continue
            ready_at = (pod["status"].get("finishedAt", 0.0)
                        + pod_failure_backoff(index_absolute_failure_count(pod) + 1))
            if now >= ready_at:
                ready.append(index)
            else:
                waits.append(ready_at)
        if waits:
            self.cluster.wake_at(min(waits))
        return ready

    def _expire(self, job: dict[str, Any]) -> None:
        """``ttlSecondsAfterFinished``: the TTL-after-finished controller deletes the Job (and
        its pods) that long after it finished (``pkg/controller/ttlafterfinished``)."""
        ttl = job["spec"].get("ttlSecondsAfterFinished")
        if ttl is None:
            return
        finished_at = max(c.get("lastTransitionTime", 0.0)
                          for c in job["status"].get("conditions") or []
                          if c.get("type") in ("Complete", "Failed"))
        if self.cluster.now >= finished_at + ttl:
            self.cluster.delete_object(job)
        else:
            self.cluster.wake_at(finished_at + ttl)

    def _default_template(self, job: dict[str, Any]) -> None:
        # the Job's own pods, which kubectl logs job/NAME and describe read; without a
        # selector kubectl took any pod
        generate_job_selector(job)
        name = job["metadata"]["name"]
        restart = job["spec"].setdefault("template", {}).setdefault("spec", {}).get(
            "restartPolicy")
        if restart not in ("Never", "OnFailure"):
            raise ValueError(
                f"Job {name!r}: spec.template.spec.restartPolicy must be Never or OnFailure, "
                f"got {restart!r} (a Job's pods must be allowed to finish)")

    def _delete_pod(self, job: dict[str, Any], pod: dict[str, Any]) -> None:
        """Delete one of the Job's pods and record it on the Job, as every controller's pod
        control does (``RealPodControl.DeletePod`` in pkg/controller/controller_utils.go:
        ``SuccessfulDelete``, "Deleted pod: <name>")."""
        self.cluster.delete_pod(pod)
        self.cluster.record(job, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}")

    def _conclude(self, job: dict[str, Any], active: list[dict[str, Any]], interim: str,
                  reason: str, message: str) -> None:
        """Finish the Job in two steps (see the module's docstring): the ``interim``
        condition (a key of :data:`INTERIM`) and the deletion of its ``active`` pods now;
        the terminal condition, with the same reason and message, once none of its pods is
        terminating, in this sync or a later one (a pod that ends is a change, which syncs
        the Job again). A Job that fails counts every pod of it not yet finished as failed
        (unless its pod failure policy ignores the pod), once, as the interim condition is
        set (``trackJobStatusAndRemoveFinalizers``: "every non-terminated pod is considered
        failed")."""
        cluster, now, status = self.cluster, self.cluster.now, job["status"]
        unfinished = [p for p in cluster.owned("Pod", job)
                      if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
        for pod in active:
            self._delete_pod(job, pod)
        before = copy.deepcopy(status)
        if set_condition(job, interim, True, now, reason, message) and interim == "FailureTarget":
            policy = job["spec"].get("podFailurePolicy")
            status["failed"] = status.get("failed", 0) + sum(
                1 for p in unfinished
                if not policy or match_pod_failure_policy(policy, p)[1])
        terminating = len(_terminating(cluster.owned("Pod", job)))
        status.update(active=0, ready=0, terminating=terminating)
        if status != before:
            cluster.changed()
        if terminating:
            return
        final = INTERIM[interim]
        set_condition(job, final, True, now, reason, message)
        if final == "Complete":
            status["completionTime"] = now
            cluster.record(job, "Completed", "Job completed")
        else:
            cluster.record(job, reason, message, "Warning")
