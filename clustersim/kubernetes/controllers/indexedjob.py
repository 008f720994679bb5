"""Indexed completion mode: each pod of a Job runs one completion index, 0 to completions − 1.

Upstream: kubernetes/kubernetes ``pkg/controller/job/indexed_job_utils.go`` (as of December
2026) and ``manageJob`` in ``pkg/controller/job/job_controller.go``. Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode

- A pod's index is its annotation ``batch.kubernetes.io/job-completion-index``
  (``getCompletionIndex``: a non-negative integer, else the pod has no index). The controller
  also gives it the label of the same name (``PodIndexLabel``, beta in v1.28, GA in v1.32),
  the hostname ``<job>-<index>``, the name prefix ``<job>-<index>-`` (``generateName``,
  ``podGenerateNameWithIndex``) and, in every container and init container that does not set
  it already, the variable ``JOB_COMPLETION_INDEX`` read through the downward API from that
  label (``addCompletionIndexEnvVariable``; from the annotation while the label's gate was
  off).
- The succeeded indexes are kept in ``status.completedIndexes`` as sorted intervals
  (``"0-2,4"``; two neighbours are written ``"5,6"``, ``orderedIntervals.String``), merged
  with the indexes of pods that succeeded since (``calculateSucceededIndexes``), so that an
  index stays done when its pod is deleted; ``status.succeeded`` counts them.
- New pods take the lowest indexes that are neither succeeded nor held by an active pod (nor
  failed for good, below) (``firstPendingIndexes``): a failed pod's index is started again.
- Surplus active pods go first: pods with no index or one past ``completions``, and every
  pod but the best one of an index that two hold (``appendDuplicatedIndexPodsForRemoval``);
  only then the usual ranking (``activePodsForRemoval``).
- ``backoffLimitPerIndex`` (KEP-3850, GA in v1.33) gives each index its own retries: every
  pod carries ``batch.kubernetes.io/job-index-failure-count``, the failures of its index
  before it (0 for the first; the failed pod it replaces plus one, ``getNewIndexFailureCounts``),
  and an index whose failed pod had ``backoffLimitPerIndex`` failures before it is failed
  for good (``isIndexFailed``), listed in ``status.failedIndexes`` and never started again.
  A replacement waits ``10 s × 2^(n−1)`` (at most 10 minutes) after its index's last failure,
  ``n`` that index's failures (``getRemainingTimePerIndex``), instead of the Job-wide back-off.
  A failure the pod failure policy ignores is counted instead in
  ``batch.kubernetes.io/job-index-ignored-failure-count`` (set once it is not 0), which only
  the back-off and the choice of the pod replaced count, with the other
  (``getIndexAbsoluteFailureCount``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.goformat import NumError, atoi
from clustersim.kubernetes.controllers.replicaset import deletion_rank
from clustersim.kubernetes.defaults import MAX_INT32
from clustersim.kubernetes.objects import new_pod_from_template

__all__ = [
    "COMPLETION_INDEX",
    "COMPLETION_INDEX_ENV",
    "INDEX_FAILURE_COUNT",
    "INDEX_IGNORED_FAILURE_COUNT",
    "completion_index",
    "first_pending_indexes",
    "format_indexes",
    "index_absolute_failure_count",
    "index_failure_count",
    "indexed_pod",
    "is_indexed",
    "parse_indexes",
    "pods_for_removal",
    "replaced_pods",
    "with_indexes",
]

COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"
"""The annotation (and label) that holds a pod's completion index."""
COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX"
"""The environment variable through which a container reads its index."""
INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count"
"""The annotation that holds how often a pod's index failed before it (``backoffLimitPerIndex``)."""
INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count"
"""The annotation that holds how many of those failures the pod failure policy ignored."""
MAX_GENERATED_NAME_LENGTH = 58
"""``names.MaxGeneratedNameLength``: 63 less the 5 random characters the API server adds."""


def is_indexed(job: Mapping[str, Any]) -> bool:
    """Whether the Job runs in Indexed completion mode (``isIndexedJob``)."""
    return (job.get("spec") or {}).get("completionMode") == "Indexed"


def _annotation_number(pod: Mapping[str, Any], key: str) -> int | None:
    """The annotation ``key`` as Go's ``strconv.Atoi`` reads it (a sign and digits, nothing
    else), or None when it is missing, not such a number, or outside 0 to 2^31 − 1."""
    value = ((pod.get("metadata") or {}).get("annotations") or {}).get(key)
    try:
        number = atoi(value) if isinstance(value, str) else None
    except NumError:
        return None
    return number if number is not None and 0 <= number <= MAX_INT32 else None


def completion_index(pod: Mapping[str, Any]) -> int | None:
    """The pod's completion index, or None when its annotation is missing, not a whole
    number or negative (``getCompletionIndex``)."""
    return _annotation_number(pod, COMPLETION_INDEX)


def index_failure_count(pod: Mapping[str, Any]) -> int:
    """How often the pod's index failed before this pod; 0 when its annotation is missing or
    not a number from 0 to 2^31 − 1 (``getIndexFailureCount``)."""
    return _annotation_number(pod, INDEX_FAILURE_COUNT) or 0


def index_absolute_failure_count(pod: Mapping[str, Any]) -> int:
    """The failures of the pod's index before it, ignored ones included
    (``getIndexAbsoluteFailureCount``)."""
    return index_failure_count(pod) + (_annotation_number(pod, INDEX_IGNORED_FAILURE_COUNT) or 0)


def parse_indexes(text: str, completions: int) -> set[int]:
    """The indexes below ``completions`` that the interval list ``text`` names
    (``parseIndexesFromString``: an interval that is not a number is skipped, one that
    starts at or past ``completions`` ends the list, one that ends past it is cut)."""
    indexes: set[int] = set()
    for interval in text.split(",") if text else ():
        first, _, last = interval.partition("-")
        try:
            start = int(first, 10)
            end = int(last, 10) if last else start
        except ValueError:
            continue
        if start >= completions:
            break
        indexes.update(range(start, min(end, completions - 1) + 1))
    return indexes


def with_indexes(text: str, completions: int, pods: Iterable[Mapping[str, Any]]) -> set[int]:
    """The indexes of the interval list ``text`` and those of ``pods`` below
    ``completions`` (``calculateSucceededIndexes``, ``calculateFailedIndexes``)."""
    indexes = parse_indexes(text, completions)
    indexes.update(i for pod in pods
                   if (i := completion_index(pod)) is not None and i < completions)
    return indexes


def format_indexes(indexes: Iterable[int]) -> str:
    """``indexes`` as sorted intervals: ``"0-2,4"``; two neighbours stay a pair, ``"5,6"``
    (``orderedIntervals.String``)."""
    intervals: list[list[int]] = []
    for index in sorted(set(indexes)):
        if intervals and index == intervals[-1][1] + 1:
            intervals[-1][1] = index
        else:
            intervals.append([index, index])
    parts = []
    for first, last in intervals:
        if last == first:
            parts.append(str(first))
        else:
            parts.append(f"{first}{',' if last == first + 1 else '-'}{last}")
    return ",".join(parts)


def first_pending_indexes(taken: set[int], count: int, completions: int) -> list[int]:
    """The ``count`` lowest indexes below ``completions`` not in ``taken`` (the succeeded
    indexes and those of active pods; ``firstPendingIndexes``)."""
    pending: list[int] = []
    for index in range(completions):
        if len(pending) == count:
            break
        if index not in taken:
            pending.append(index)
    return pending


def pods_for_removal(active: list[dict[str, Any]], completions: int,
                     at_least: int) -> list[dict[str, Any]]:
    """The active pods of an Indexed Job to delete (``activePodsForRemoval``): those with no
    index or one past ``completions``, all but the best of each repeated index, then the
    best to delete of the rest until there are ``at_least``."""
    by_index: dict[int, list[dict[str, Any]]] = {}
    remove: list[dict[str, Any]] = []
    for pod in active:
        index = completion_index(pod)
        if index is None or index >= completions:
            remove.append(pod)
        else:
            by_index.setdefault(index, []).append(pod)
    kept = []
    for index in sorted(by_index):
        ranked = deletion_rank(by_index[index])
        remove.extend(ranked[:-1])
        kept.append(ranked[-1])
    if len(remove) < at_least:
        remove.extend(deletion_rank(kept)[:at_least - len(remove)])
    return remove


def replaced_pods(failed: Iterable[dict[str, Any]], settled: set[int]
                  ) -> dict[int, dict[str, Any]]:
    """Per index not in ``settled`` (succeeded, failed or active), its failed pod with the
    most failures before it, the latest to finish of those: the pod a new one replaces
    (``getPodsWithDelayedDeletionPerIndex``)."""
    last: dict[int, dict[str, Any]] = {}
    for pod in failed:
        index = completion_index(pod)
        if index is None or index in settled:
            continue
        if index not in last or _failure_order(last[index]) <= _failure_order(pod):
            last[index] = pod
    return last


def _failure_order(pod: Mapping[str, Any]) -> tuple[int, float]:
    return index_absolute_failure_count(pod), (pod.get("status") or {}).get("finishedAt", 0.0)


def _with_index_variable(container: dict[str, Any]) -> None:
    env = container.setdefault("env", [])
    if any(var.get("name") == COMPLETION_INDEX_ENV for var in env):
        return
    # the API server defaults a field selector's apiVersion to v1 (SetDefaults_ObjectFieldSelector)
    env.append({"name": COMPLETION_INDEX_ENV, "valueFrom": {"fieldRef": {
        "apiVersion": "v1", "fieldPath": f"metadata.labels['{COMPLETION_INDEX}']"}}})


def indexed_pod(template: Mapping[str, Any], job: Mapping[str, Any], index: int,
                replaced: Mapping[str, Any] | None = None,
                counted: bool = True) -> dict[str, Any]:
    """The pod for completion index ``index`` of ``job``, made from its template as
    ``manageJob`` makes it: the index as annotation, label and environment variable, the
    hostname ``<job>-<index>`` and the name prefix ``<job>-<index>-``; with
    ``backoffLimitPerIndex``, the failures of its index before it (``replaced``: the failed
    pod it replaces, if any, and whether its failure ``counted`` or the pod failure policy
    ignored it, ``getNewIndexFailureCounts``)."""
    name = job["metadata"]["name"]
    suffix = f"-{index}-"
    prefix = f"{name}{suffix}"
    if len(prefix) > MAX_GENERATED_NAME_LENGTH:
        prefix = prefix[:MAX_GENERATED_NAME_LENGTH - len(suffix)] + suffix
    pod = new_pod_from_template(template, job, prefix=prefix)
    pod["metadata"]["annotations"][COMPLETION_INDEX] = str(index)
    pod["metadata"]["labels"][COMPLETION_INDEX] = str(index)
    if (job.get("spec") or {}).get("backoffLimitPerIndex") is not None:
        failures = ignored = 0
        if replaced is not None:
            failures = index_failure_count(replaced) + counted
            ignored = index_absolute_failure_count(replaced) - index_failure_count(replaced) \
                + (not counted)
        pod["metadata"]["annotations"][INDEX_FAILURE_COUNT] = str(failures)
        if ignored:
            pod["metadata"]["annotations"][INDEX_IGNORED_FAILURE_COUNT] = str(ignored)
    spec = pod["spec"]
    for field in ("initContainers", "containers"):
        for container in spec.get(field) or []:
            _with_index_variable(container)
    spec["hostname"] = f"{name}-{index}"
    return pod
