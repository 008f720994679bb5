"""Indexed Jobs: each pod runs one completion index; the Job completes when every index
succeeded.

Cases follow kubernetes/kubernetes ``pkg/controller/job/indexed_job_utils_test.go``
(``TestCalculateSucceededIndexes``, ``TestFirstPendingIndexes``,
``TestAppendDuplicatedIndexPodsForRemoval``) and ``job_controller_test.go``
(``TestControllerSyncJob``'s indexed cases: lowest indexes first, a failed index retried).
"""

from __future__ import annotations

import itertools

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.controllers.indexedjob import (
    COMPLETION_INDEX,
    INDEX_FAILURE_COUNT,
    completion_index,
    first_pending_indexes,
    format_indexes,
    indexed_pod,
    parse_indexes,
    pods_for_removal,
)
from clustersim.manifests import ManifestError, load_manifests

INDEX_VARIABLE = {"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
    "apiVersion": "v1", "fieldPath": f"metadata.labels['{COMPLETION_INDEX}']"}}}


def indexed(name="sort", completions=5, parallelism=2, run=30, code=0, **spec):
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
            "spec": {"completionMode": "Indexed", "completions": completions,
                     "parallelism": parallelism, **spec, "template": {
                         "metadata": {"annotations": {"clustersim.io/run-seconds": str(run),
                                                      "clustersim.io/exit-code": str(code)}},
                         "spec": {"restartPolicy": "Never", "containers": [
                             {"name": "c", "image": "busybox:1.37"}]}}}}


def cluster_of(*jobs):
    cluster = KubernetesCluster(Node.many(3, "node", cpu="4", memory="8Gi"), seed=0)
    for job in jobs:
        cluster.apply(job)
    return cluster


def pods_by_index(cluster):
    found: dict[int, list[dict]] = {}
    for pod in cluster.objects("Pod"):
        found.setdefault(completion_index(pod), []).append(pod)
    return found


def phase(pod):
    return pod["status"]["phase"]


@pytest.mark.parametrize("indexes, text", [
    ([], ""), ([0], "0"), ([0, 1], "0,1"), ([0, 1, 2], "0-2"), ([0, 1, 2, 4], "0-2,4"),
    ([9, 1, 3, 5, 6, 7], "1,3,5-7,9"), ([2, 2, 3], "2,3"),
])
def test_completed_indexes_are_written_as_intervals(indexes, text):
    assert format_indexes(indexes) == text


@pytest.mark.parametrize("text, completions, indexes", [
    ("", 5, set()), ("0-2,4", 5, {0, 1, 2, 4}), ("1,3-4", 4, {1, 3}),
    ("0,x,2", 5, {0, 2}), ("2-9", 4, {2, 3}), ("1,7,3", 5, {1}),
])
def test_completed_indexes_are_read_below_completions(text, completions, indexes):
    assert parse_indexes(text, completions) == indexes


@pytest.mark.parametrize("taken, count, completions, pending", [
    (set(), 3, 5, [0, 1, 2]), ({0, 2}, 2, 5, [1, 3]), ({1, 3, 4}, 5, 5, [0, 2]),
    (set(range(5)), 2, 5, []), ({0}, 0, 5, []),
])
def test_new_pods_take_the_lowest_pending_indexes(taken, count, completions, pending):
    assert first_pending_indexes(taken, count, completions) == pending


def _pod(name, index, phase="Running", created=0.0):
    annotations = {} if index is None else {COMPLETION_INDEX: index}
    return {"metadata": {"name": name, "annotations": annotations, "creationTimestamp": created},
            "spec": {"nodeName": "node-1"}, "status": {"phase": phase}}


def test_pods_without_an_index_past_completions_or_repeated_go_first():
    pods = [_pod("a", "0"), _pod("b", "0", "Pending"), _pod("c", None), _pod("d", "7"),
            _pod("e", "-1"), _pod("f", "1"), _pod("g", "2"), _pod("h", "1_0"),
            _pod("i", " 3")]     # strconv.Atoi reads neither "1_0" nor " 3"
    removed = [p["metadata"]["name"] for p in pods_for_removal(pods, 5, 0)]
    assert sorted(removed) == ["b", "c", "d", "e", "h", "i"]   # the running copy of 0 stays
    more = [p["metadata"]["name"] for p in pods_for_removal(pods, 5, 8)]
    assert sorted(more[:6]) == ["b", "c", "d", "e", "h", "i"] and len(more) == 8


def test_each_pod_gets_its_index_lowest_first():
    cluster = cluster_of(indexed())
    cluster.run(until=1)
    first = pods_by_index(cluster)
    assert sorted(first) == [0, 1]
    for index, [pod] in first.items():
        meta = pod["metadata"]
        assert meta["annotations"][COMPLETION_INDEX] == str(index)
        assert meta["labels"][COMPLETION_INDEX] == str(index)
        assert meta["name"].startswith(f"sort-{index}-") and len(meta["name"]) == 12
        assert pod["spec"]["hostname"] == f"sort-{index}"
        assert pod["spec"]["containers"][0]["env"] == [INDEX_VARIABLE]
    cluster.run()
    job = cluster.get("Job", "default", "sort")
    assert sorted(pods_by_index(cluster)) == [0, 1, 2, 3, 4]
    assert job["status"]["completedIndexes"] == "0-4" and job["status"]["succeeded"] == 5
    assert [c["type"] for c in job["status"]["conditions"]] == ["SuccessCriteriaMet", "Complete"]


@pytest.mark.parametrize("name, index, prefix", [
    ("sort", 7, "sort-7-"), ("a" * 54, 3, "a" * 54 + "-3-"),
    ("a" * 55, 99, "a" * 54 + "-99-"),      # cut to 58 characters, the index kept
])
def test_a_pods_name_prefix_keeps_its_index(name, index, prefix):
    """``podGenerateNameWithIndex``: past ``MaxGeneratedNameLength`` (58) the Job's name is cut,
    never the index."""
    job = indexed(name)
    job["metadata"]["uid"] = "u"
    pod = indexed_pod(job["spec"]["template"], job, index)
    assert pod["metadata"]["generateName"] == prefix
    assert pod["spec"]["hostname"] == f"{name}-{index}"


def test_a_container_that_sets_the_variable_keeps_it():
    job = indexed(completions=1, parallelism=1)
    mine = {"name": "JOB_COMPLETION_INDEX", "value": "7"}
    job["spec"]["template"]["spec"]["initContainers"] = [{"name": "init", "image": "busybox"}]
    job["spec"]["template"]["spec"]["containers"][0]["env"] = [mine]
    cluster = cluster_of(job)
    cluster.run(until=1)
    [[pod]] = pods_by_index(cluster).values()
    assert pod["spec"]["containers"][0]["env"] == [mine]
    assert pod["spec"]["initContainers"][0]["env"] == [INDEX_VARIABLE]


def test_a_failed_index_is_retried_and_the_job_completes_when_every_index_succeeded():
    cluster = cluster_of(indexed(completions=3, parallelism=3))
    cluster.run(until=0)
    [one] = pods_by_index(cluster)[1]
    one["metadata"]["annotations"]["clustersim.io/exit-code"] = "1"    # before it starts
    cluster.run(until=40)
    job = cluster.get("Job", "default", "sort")
    assert job["status"]["completedIndexes"] == "0,2" and job["status"]["failed"] == 1
    cluster.run()
    runs = pods_by_index(cluster)
    assert [phase(p) for p in runs[1]] == ["Failed", "Succeeded"]
    assert [len(runs[i]) for i in (0, 2)] == [1, 1]
    assert job["status"]["completedIndexes"] == "0-2" and job["status"]["succeeded"] == 3
    assert job["status"]["conditions"][-1]["type"] == "Complete"


def test_a_succeeded_index_stays_done_when_its_pod_is_deleted():
    """``status.completedIndexes`` is the record (``calculateSucceededIndexes``): the index of a
    deleted succeeded pod is not run again."""
    cluster = cluster_of(indexed(completions=3, parallelism=1))
    cluster.run(until=40)
    [zero] = pods_by_index(cluster)[0]
    assert phase(zero) == "Succeeded"
    cluster.delete("pod", zero["metadata"]["name"])
    cluster.run()
    assert 0 not in pods_by_index(cluster)
    job = cluster.get("Job", "default", "sort")
    assert job["status"]["completedIndexes"] == "0-2" and job["status"]["succeeded"] == 3


def test_fewer_completions_delete_the_pods_past_them():
    """An elastic Indexed Job (KEP-3715) scaled down with its parallelism: the pods whose
    index is now past ``completions`` are deleted first."""
    cluster = cluster_of(indexed(completions=4, parallelism=4, run=300))
    cluster.run(until=10)
    cluster.apply(indexed(completions=2, parallelism=2, run=300))
    cluster.run(until=20)
    live = {i: [p for p in pods if p["metadata"].get("deletionTimestamp") is None]
            for i, pods in pods_by_index(cluster).items()}
    assert {i for i, pods in live.items() if pods} == {0, 1}


def test_an_indexed_job_needs_completions():
    text = """apiVersion: batch/v1
kind: Job
metadata: {name: sort}
spec:
  completionMode: Indexed
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.37}]
"""
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.path == "spec.completions" and caught.value.line == 4
    assert caught.value.message == "Required value: when completion mode is Indexed"
    assert load_manifests(text.replace("parallelism: 2", "completions: 4"))
    assert load_manifests(text.replace("Indexed", "NonIndexed"))


@pytest.mark.parametrize("change, path, message", [
    (("name: sort", "name: " + "s" * 62), "metadata.name",
     f'Invalid value: "{"s" * 62}": will not able to create pod with invalid DNS label: '
     f'{"s" * 62}-9'),
    (("parallelism: 2", "parallelism: 100001"), "spec.parallelism",
     "Invalid value: 100001: must be less than or equal to 100000 when completion mode is "
     "Indexed"),
])
def test_an_indexed_jobs_hostnames_and_parallelism_are_bounded(change, path, message):
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: sort}\nspec:\n"
            "  completionMode: Indexed\n  completions: 10\n  parallelism: 2\n  template:\n"
            "    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: x}]\n")
    assert load_manifests(text)
    with pytest.raises(ManifestError) as caught:
        load_manifests(text.replace(*change))
    assert caught.value.path == path and caught.value.message == message


def test_a_cronjobs_indexed_job_template_needs_completions():
    text = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n"
            "  schedule: '*/5 * * * *'\n  jobTemplate:\n    spec:\n"
            "      completionMode: Indexed\n      template:\n        spec:\n"
            "          restartPolicy: Never\n          containers: [{name: c, image: x}]\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.path == "spec.jobTemplate.spec.completions"


# ---- backoffLimitPerIndex (TestBackoffLimitPerIndex in job_controller_test.go) -------------

def created(cluster, index):
    """When each pod of ``index`` was created, and its failures-before count."""
    return [(pod["metadata"]["creationTimestamp"],
             pod["metadata"]["annotations"].get(INDEX_FAILURE_COUNT))
            for pod in pods_by_index(cluster).get(index, [])]


def fail_first_pod(cluster, index):
    """Make the first pod of ``index`` exit 1 (set before its container starts)."""
    cluster.run(until=0)
    [pod] = pods_by_index(cluster)[index]
    pod["metadata"]["annotations"]["clustersim.io/exit-code"] = "1"


def test_each_index_has_its_own_retries_and_back_off():
    """Index 0 fails once and is started again 10 s after, carrying its failure count; index
    1 runs meanwhile; the Job completes with no failed index."""
    cluster = cluster_of(indexed(completions=2, parallelism=2, backoffLimitPerIndex=3))
    fail_first_pod(cluster, 0)
    cluster.run()
    job = cluster.get("Job", "default", "sort")
    [first, second] = pods_by_index(cluster)[0]
    assert [c[1] for c in created(cluster, 0)] == ["0", "1"]
    assert second["metadata"]["creationTimestamp"] == first["status"]["finishedAt"] + 10
    assert [c[1] for c in created(cluster, 1)] == ["0"]
    assert job["status"]["completedIndexes"] == "0,1" and job["status"]["failedIndexes"] == ""
    assert job["status"]["failed"] == 1 and job["status"]["conditions"][-1]["type"] == "Complete"


def test_an_index_that_fails_past_its_limit_is_not_run_again():
    """``backoffLimitPerIndex: 2``: three pods per index, 10 and 20 s apart, then the index is
    failed; the Job fails with ``FailedIndexes`` once every index succeeded or failed. Its
    nine failures do not end it through ``backoffLimit``, which defaults to no limit here."""
    cluster = cluster_of(indexed(completions=3, parallelism=3, code=1, backoffLimitPerIndex=2))
    cluster.run()
    job = cluster.get("Job", "default", "sort")
    for index in range(3):
        runs = pods_by_index(cluster)[index]
        assert [c[1] for c in created(cluster, index)] == ["0", "1", "2"]
        gaps = [later["metadata"]["creationTimestamp"] - earlier["status"]["finishedAt"]
                for earlier, later in itertools.pairwise(runs)]
        assert gaps == [10, 20]
    assert job["status"]["failedIndexes"] == "0-2" and job["status"]["failed"] == 9
    assert "completedIndexes" not in job["status"]
    [failed] = cluster.events.where(reason="FailedIndexes")
    assert failed.type == "Warning" and failed.message == "Job has failed indexes"
    assert job["status"]["conditions"][-1]["reason"] == "FailedIndexes"


def test_the_job_fails_when_it_waits_for_the_rest_of_its_indexes():
    cluster = cluster_of(indexed(completions=3, parallelism=3, backoffLimitPerIndex=0))
    fail_first_pod(cluster, 1)
    cluster.run()
    job = cluster.get("Job", "default", "sort")
    assert len(pods_by_index(cluster)[1]) == 1
    assert job["status"]["completedIndexes"] == "0,2" and job["status"]["failedIndexes"] == "1"
    assert job["status"]["conditions"][-1]["reason"] == "FailedIndexes"


def test_more_failed_indexes_than_max_failed_indexes_fail_the_job_at_once():
    cluster = cluster_of(indexed(completions=4, parallelism=4, run=60, backoffLimitPerIndex=0,
                                 maxFailedIndexes=0))
    fail_first_pod(cluster, 2)
    pods_by_index(cluster)[2][0]["metadata"]["annotations"]["clustersim.io/run-seconds"] = "5"
    cluster.run()
    job = cluster.get("Job", "default", "sort")
    [failed] = cluster.events.where(reason="MaxFailedIndexesExceeded")
    assert failed.message == "Job has exceeded the specified maximal number of failed indexes"
    assert job["status"]["failedIndexes"] == "2" and "completedIndexes" not in job["status"]
    assert len(cluster.events.where(reason="SuccessfulCreate")) == 4


@pytest.mark.parametrize("spec, path, message", [
    ("  maxFailedIndexes: 1\n  backoffLimitPerIndex: 1\n", None, None),
    ("  maxFailedIndexes: 1\n", "spec.backoffLimitPerIndex",
     "Required value: when maxFailedIndexes is specified"),
    ("  maxFailedIndexes: 11\n  backoffLimitPerIndex: 1\n", "spec.maxFailedIndexes",
     "Invalid value: 11: must be less than or equal to completions"),
    ("  backoffLimitPerIndex: -1\n", "spec.backoffLimitPerIndex", "greater than or equal to 0"),
])
def test_per_index_limits_are_checked(spec, path, message):
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: sort}\nspec:\n"
            "  completionMode: Indexed\n  completions: 10\n" + spec + "  template:\n"
            "    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: x}]\n")
    if path is None:
        assert load_manifests(text)
        return
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.path == path and message in caught.value.message


@pytest.mark.parametrize("limits", ["  backoffLimitPerIndex: 3\n",
                                    "  backoffLimitPerIndex: 3\n  maxFailedIndexes: 1\n"])
def test_per_index_limits_need_indexed_mode(limits):
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: sort}\nspec:\n"
            "  completions: 10\n" + limits + "  template:\n"
            "    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: x}]\n")
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    assert caught.value.path == "spec.backoffLimitPerIndex"
    assert caught.value.message == "Invalid value: 3: requires indexed completion mode"
