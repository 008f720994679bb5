"""ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job and CronJob controllers.

Scenarios follow upstream tests: kubernetes/kubernetes
``pkg/controller/replicaset/replica_set_test.go`` (``TestSyncReplicaSetCreateFailures``-style
create/delete, ``TestGetPodsToDelete`` ranking), ``pkg/controller/statefulset/
stateful_set_control_test.go`` (``ScaleUp``, ``ScaleDown``, ``ReplacesPods``,
``RollingUpdate``, ``PodManagementPolicy`` Parallel), ``pkg/controller/daemon/
daemon_controller_test.go`` (``TestTaintedNodeDaemonDoesNotLaunchIntolerantPod``,
``TestUnschedulableNodeDaemonDoesLaunchPod``, ``TestNodeAffinityDaemonLaunchesPods``,
``TestSelectorDaemonDeletesUnselectedPods``), ``pkg/controller/job/job_controller_test.go``
(``TestControllerSyncJob``: parallelism, completions, backoff limit) and robfig/cron
``spec_test.go`` (``TestActivation``, ``TestNext``; 6-field specs with a 0 seconds field,
written here without it).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from clustersim import Node
from clustersim.kubernetes import CronSchedule, KubernetesCluster, Timing
from clustersim.kubernetes.controllers.cronjob import most_recent_schedule
from clustersim.kubernetes.controllers.job import pod_failure_backoff, want_active
from clustersim.kubernetes.controllers.replicaset import deletion_rank
from clustersim.kubernetes.templategeneration import TEMPLATE_GENERATION


def nodes(count=3, **kw):
    kw.setdefault("cpu", "4")
    kw.setdefault("memory", "8Gi")
    return Node.many(count, "node", zone=lambda i: f"zone-{'abc'[(i - 1) % 3]}", **kw)


def template(labels, image="nginx:1.25", **spec):
    return {"metadata": {"labels": labels},
            "spec": {"containers": [{"name": "c", "image": image}], **spec}}


def names(cluster, prefix=""):
    return sorted(p.name for p in cluster.pods() if p.name.startswith(prefix)
                  and p.reason != "Terminating")


# ---- ReplicaSet / ReplicationController -----------------------------------------------------

def replicaset(replicas=3):
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "frontend"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"tier": "frontend"}},
                     "template": template({"tier": "frontend"})}}


def test_replicaset_creates_and_deletes_to_match_replicas():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(replicaset(3))
    cluster.run()
    assert len(names(cluster, "frontend-")) == 3
    cluster.scale("rs", "frontend", 1)
    cluster.run()
    assert len(names(cluster, "frontend-")) == 1
    deleted = cluster.events.where(reason="SuccessfulDelete")
    assert len(deleted) == 2 and all(e.message.startswith("Deleted pod: frontend-")
                                     for e in deleted)


def test_replicaset_replaces_a_deleted_pod_at_once():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(replicaset(2))
    cluster.run()
    victim = names(cluster)[0]
    cluster.delete("pod", victim)
    live = names(cluster, "frontend-")
    assert victim not in live and len(live) == 2       # created while the old one terminates


def test_replicaset_adopts_matching_orphans():
    """The docs' example: a bare pod with the selector's labels counts toward replicas."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply({"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "pod1", "labels": {"tier": "frontend"}},
                   "spec": template({})["spec"]})
    cluster.apply(replicaset(3))
    cluster.run()
    assert "pod1" in names(cluster) and len(names(cluster)) == 3
    assert {p.owner for p in cluster.pods()} == {"ReplicaSet/frontend"}


def test_replication_controller_uses_template_labels_as_selector():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply({"apiVersion": "v1", "kind": "ReplicationController",
                   "metadata": {"name": "nginx"},
                   "spec": {"replicas": 2, "template": template({"app": "nginx"})}})
    cluster.run()
    assert len(names(cluster, "nginx-")) == 2


def _pod(name, node=None, phase="Running", ready=True, created=0.0, since=0.0):
    status = {"phase": phase, "conditions": [
        {"type": "Ready", "status": "True" if ready else "False",
         "lastTransitionTime": since}]}
    return {"metadata": {"name": name, "creationTimestamp": created},
            "spec": {"nodeName": node}, "status": status}


def test_deletion_rank_follows_active_pods_with_ranks():
    """``TestSortingActivePods``' order: unassigned, pending, not ready, doubled up, ready for
    a shorter time, newer."""
    pods = [
        _pod("ready-old", "n1", since=10.0, created=1.0),
        _pod("ready-new", "n2", since=50.0, created=2.0),
        _pod("unassigned", None, phase="Pending", ready=False),
        _pod("pending", "n3", phase="Pending", ready=False),
        _pod("not-ready", "n3", ready=False),
        _pod("doubled", "n1", since=10.0, created=1.0),
    ]
    order = [p["metadata"]["name"] for p in deletion_rank(pods)]
    # "doubled" and "ready-old" share node n1, so both go before the lone "ready-new"
    assert order == ["unassigned", "pending", "not-ready", "doubled", "ready-old", "ready-new"]
    lone = [_pod("long", "a", since=10.0), _pod("short", "b", since=50.0)]
    assert [p["metadata"]["name"] for p in deletion_rank(lone)] == ["short", "long"]


# ---- StatefulSet --------------------------------------------------------------------------

def statefulset(replicas=3, policy="OrderedReady", image="nginx:1.25", **extra):
    tmpl = template({"app": "nginx"}, image=image)
    tmpl["spec"]["containers"][0]["readinessProbe"] = {"exec": {"command": ["true"]},
        "initialDelaySeconds": 5,
                                                       "periodSeconds": 5}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "serviceName": "nginx", "podManagementPolicy": policy,
                     "selector": {"matchLabels": {"app": "nginx"}}, "template": tmpl,
                     "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {
                         "accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": "1Gi"}}}}], **extra}}


def created_at(cluster, message_prefix):
    return {e.message.split()[2]: e.time for e in cluster.events.where(reason="SuccessfulCreate")
            if e.message.startswith(message_prefix)}


def test_statefulset_ordered_ready_creates_one_at_a_time_with_claims():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3))
    cluster.run()
    assert names(cluster) == ["web-0", "web-1", "web-2"]
    times = created_at(cluster, "create Pod")
    assert times["web-0"] < times["web-1"] < times["web-2"]
    pod0 = cluster.get("Pod", "default", "web-0")
    assert pod0["spec"]["hostname"] == "web-0" and pod0["spec"]["subdomain"] == "nginx"
    assert pod0["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "0"
    claims = sorted(c["metadata"]["name"] for c in cluster.objects("PersistentVolumeClaim"))
    assert claims == ["www-web-0", "www-web-1", "www-web-2"]
    assert cluster.events.where(reason="SuccessfulCreate")[0].message == \
        "create Claim www-web-0 Pod web-0 in StatefulSet web success"
    volume = next(v for v in pod0["spec"]["volumes"] if v["name"] == "www")
    assert volume["persistentVolumeClaim"]["claimName"] == "www-web-0"


def test_statefulset_parallel_creates_all_at_once():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3, policy="Parallel"))
    times = created_at(cluster, "create Pod")
    assert set(times) == {"web-0", "web-1", "web-2"} and len(set(times.values())) == 1


def test_statefulset_scales_down_in_reverse_order_and_keeps_claims():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3))
    cluster.run()
    cluster.scale("sts", "web", 0)
    cluster.run()
    deleted = [e.message for e in cluster.events.where(reason="SuccessfulDelete")]
    assert deleted == [f"delete Pod web-{i} in StatefulSet web successful" for i in (2, 1, 0)]
    assert len(cluster.objects("PersistentVolumeClaim")) == 3


def test_statefulset_replaces_a_lost_pod_under_the_same_name():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(2))
    cluster.run()
    old_uid = cluster.get("Pod", "default", "web-1")["metadata"]["uid"]
    cluster.delete("pod", "web-1")
    cluster.run()
    new = cluster.get("Pod", "default", "web-1")
    assert new["metadata"]["uid"] != old_uid and names(cluster) == ["web-0", "web-1"]


def test_statefulset_waits_for_a_pod_on_a_failed_node():
    """Pods on an unreachable node stay Terminating, so the set cannot recreate the name."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3))
    cluster.run()
    node = cluster.get("Pod", "default", "web-2")["spec"]["nodeName"]
    cluster.fail_node(node)
    cluster.run(until=cluster.now + 600)
    rows = {p.name: p for p in cluster.pods()}
    assert rows["web-2"].reason == "Terminating" and rows["web-2"].node == node
    cluster.recover_node(node)
    cluster.run(until=cluster.now + 60)
    assert {p.name: p.ready for p in cluster.pods()} == {"web-0": True, "web-1": True,
                                                         "web-2": True}


def test_statefulset_rolling_update_goes_from_highest_ordinal_down():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3))
    cluster.run()
    cluster.apply(statefulset(3, image="nginx:1.26"))
    cluster.run()
    deleted = [e.message.split()[2] for e in cluster.events.where(reason="SuccessfulDelete")]
    assert deleted == ["web-2", "web-1", "web-0"]
    images = {p: cluster.get("Pod", "default", p)["spec"]["containers"][0]["image"]
              for p in names(cluster)}
    assert set(images.values()) == {"nginx:1.26"}


def test_statefulset_partition_keeps_lower_ordinals():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3))
    cluster.run()
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}
    cluster.apply(statefulset(3, image="nginx:1.26", updateStrategy=strategy))
    cluster.run()
    images = {p: cluster.get("Pod", "default", p)["spec"]["containers"][0]["image"]
              for p in names(cluster)}
    assert images == {"web-0": "nginx:1.25", "web-1": "nginx:1.25", "web-2": "nginx:1.26"}


def test_statefulset_recreates_a_lower_ordinal_from_its_own_revision():
    # the controller keeps one copy of each revision's template: an in-place edit of the
    # StatefulSet (kubectl set image) gives a new revision and leaves the old copy as it was
    cluster = KubernetesCluster(nodes(), seed=0)
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}
    cluster.apply(statefulset(3, updateStrategy=strategy))
    cluster.run()
    cluster.set_image("statefulset", "web", "nginx:1.26")
    cluster.run()
    cluster.delete("pod", "web-0")
    cluster.run()
    images = {p: cluster.get("Pod", "default", p)["spec"]["containers"][0]["image"]
              for p in names(cluster)}
    assert images == {"web-0": "nginx:1.25", "web-1": "nginx:1.25", "web-2": "nginx:1.26"}
    cluster.set_image("statefulset", "web", "nginx:1.27")
    cluster.run()
    cluster.delete("pod", "web-1")
    cluster.run()
    assert cluster.get("Pod", "default", "web-1")["spec"]["containers"][0]["image"] == \
        "nginx:1.25"
    assert cluster.get("Pod", "default", "web-2")["spec"]["containers"][0]["image"] == \
        "nginx:1.27"


# ---- DaemonSet ----------------------------------------------------------------------------

def daemonset(**spec):
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "template": template({"app": "agent"}, image="agent:1", **spec)}}


def with_control_plane():
    control = Node("cp", cpu="2", memory="4Gi",
                   taints=[{"key": "node-role.kubernetes.io/control-plane",
                            "effect": "NoSchedule"}])
    return [*nodes(), control]


def daemon_nodes(cluster):
    return sorted(p.node for p in cluster.pods() if p.name.startswith("agent-")
                  and p.reason != "Terminating")


def test_daemonset_one_pod_per_node_skipping_untolerated_taints():
    cluster = KubernetesCluster(with_control_plane(), seed=0)
    cluster.apply(daemonset())
    cluster.run()
    assert daemon_nodes(cluster) == ["node-1", "node-2", "node-3"]
    pod = cluster.get("Pod", "default", next(p.name for p in cluster.pods()))
    terms = pod["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms[0]["matchFields"][0]["key"] == "metadata.name"
    keys = {(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]}
    assert {("node.kubernetes.io/unschedulable", "NoSchedule"),
            ("node.kubernetes.io/unreachable", "NoExecute")} <= keys
    unreachable = [t for t in pod["spec"]["tolerations"]
                   if t["key"] == "node.kubernetes.io/unreachable"]
    assert unreachable == [{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                            "effect": "NoExecute"}]           # no tolerationSeconds: stays


def test_daemonset_tolerating_control_plane_runs_there_too():
    cluster = KubernetesCluster(with_control_plane(), seed=0)
    cluster.apply(daemonset(tolerations=[{"key": "node-role.kubernetes.io/control-plane",
                                          "operator": "Exists", "effect": "NoSchedule"}]))
    cluster.run()
    assert daemon_nodes(cluster) == ["cp", "node-1", "node-2", "node-3"]


def test_daemonset_launches_on_cordoned_and_new_nodes():
    cluster = KubernetesCluster(nodes(2), seed=0)
    cluster.cordon("node-2")
    cluster.apply(daemonset())
    cluster.run()
    assert daemon_nodes(cluster) == ["node-1", "node-2"]
    cluster.add_node(Node("node-9", cpu="2", memory="4Gi"))
    cluster.run()
    assert daemon_nodes(cluster) == ["node-1", "node-2", "node-9"]


def test_daemonset_node_selector_and_deleting_unselected_pods():
    labelled = nodes(3, labels={})
    labelled[0] = labelled[0].copy(labels={"disk": "ssd"})
    cluster = KubernetesCluster(labelled, seed=0)
    cluster.apply(daemonset(nodeSelector={"disk": "ssd"}))
    cluster.run()
    assert daemon_nodes(cluster) == ["node-1"]
    cluster.apply(daemonset(nodeSelector={"disk": "hdd"}))
    cluster.run()
    assert daemon_nodes(cluster) == []


def test_daemonset_pod_survives_node_failure():
    cluster = KubernetesCluster(nodes(2), seed=0)
    cluster.apply(daemonset())
    cluster.run()
    cluster.fail_node("node-1")
    cluster.run(until=cluster.now + 1000)
    assert cluster.events.where(reason="TaintManagerEviction") == []
    assert daemon_nodes(cluster) == ["node-1", "node-2"]


# ---- Job ----------------------------------------------------------------------------------

def job(name="pi", run=30, code=0, **spec):
    tmpl = template({}, image="perl:5.34", restartPolicy="Never")
    tmpl["metadata"]["annotations"] = {"clustersim.io/run-seconds": str(run),
                                       "clustersim.io/exit-code": str(code)}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
            "spec": {"template": tmpl, **spec}}


def test_job_runs_completions_with_parallelism():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job(completions=5, parallelism=2))
    cluster.run()
    creations = [e.time for e in cluster.events.where(reason="SuccessfulCreate")]
    assert len(creations) == 5 and creations.count(0.0) == 2
    stored = cluster.get("Job", "default", "pi")
    assert stored["status"]["succeeded"] == 5
    [done] = cluster.events.where(reason="Completed")
    assert done.message == "Job completed"
    pod = cluster.get("Pod", "default", names(cluster)[0])
    assert pod["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"


def test_job_backoff_limit_and_exponential_backoff():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job(run=3, code=1, backoffLimit=2))
    cluster.run()
    [failed] = cluster.events.where(reason="BackoffLimitExceeded")
    assert failed.type == "Warning" and failed.message == \
        "Job has reached the specified backoff limit"
    creations = [e.time for e in cluster.events.where(reason="SuccessfulCreate")]
    assert len(creations) == 3                    # backoffLimit 2: the third failure ends it
    gaps = [b - a for a, b in itertools.pairwise(creations)]
    assert gaps[1] > gaps[0] >= 10


@pytest.mark.parametrize("failures, seconds", [(0, 0), (1, 10), (2, 20), (3, 40), (6, 320),
                                               (7, 600), (12, 600)])
def test_pod_failure_backoff(failures, seconds):
    assert pod_failure_backoff(failures) == seconds


def test_job_refuses_restart_policy_always():
    cluster = KubernetesCluster(nodes(), seed=0)
    bad = job()
    bad["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    with pytest.raises(ValueError, match='restartPolicy: Required value: valid values: '
                       '"OnFailure", "Never"'):
        cluster.apply(bad)


def test_suspended_job_creates_no_pods_and_ttl_deletes_finished_jobs():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job("held", suspend=True))
    cluster.apply(job("short", run=5, ttlSecondsAfterFinished=60))
    cluster.run()
    assert not names(cluster, "held-")
    assert cluster.get("Job", "default", "short") is None
    assert cluster.get("Job", "default", "held") is not None


def _placed(node_selector=None, **spec):
    """The Job ``held`` with a node selector and scheduling directives in its template."""
    placed = job("held", **{"suspend": True, **spec})
    pod_spec = placed["spec"]["template"]["spec"]
    pod_spec["nodeSelector"] = node_selector or {"topology.kubernetes.io/zone": "zone-b"}
    pod_spec["tolerations"] = [{"key": "batch", "operator": "Exists"}]
    pod_spec["affinity"] = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 1, "preference": {"matchExpressions": [
            {"key": "topology.kubernetes.io/zone", "operator": "In", "values": ["zone-b"]}]}}]}}
    placed["spec"]["template"]["metadata"]["labels"] = {"kueue.x-k8s.io/queue": "a"}
    return placed


def test_a_suspended_job_has_no_start_time_until_it_is_resumed():
    """``syncJob`` sets ``status.startTime`` only for a Job that is not suspended, and again
    when one is resumed, with the condition ``Suspended=False`` ``JobResumed``, so that
    ``activeDeadlineSeconds`` counts from the resume (it was set at once, suspended or not,
    and never reset: the Job failed with DeadlineExceeded as soon as it was resumed)."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job("held", suspend=True, activeDeadlineSeconds=100))
    cluster.run(until=500)
    held = cluster.get("Job", "default", "held")
    assert "startTime" not in held["status"]
    cluster.apply(job("held", suspend=False, activeDeadlineSeconds=100))
    cluster.run()
    assert held["status"]["startTime"] == 500
    assert [(c["type"], c["status"], c["reason"]) for c in held["status"]["conditions"]] == [
        ("Suspended", "False", "JobResumed"), ("SuccessCriteriaMet", "True", "CompletionsReached"),
        ("Complete", "True", "CompletionsReached")]
    assert [(e.time, e.reason) for e in cluster.events if e.object == "job/held"][:3] == [
        (0, "Suspended"), (500, "Resumed"), (500, "SuccessfulCreate")]


TEMPLATE_IMMUTABLE = r"spec\.template: Invalid value: \{\.\.\.\}: field is immutable"


def test_a_suspended_job_that_never_started_may_be_placed_before_it_runs():
    """As Kueue places a Job: while it is suspended and has no ``status.startTime``, its
    template's node selector, node affinity, tolerations, scheduling gates, labels and
    annotations may change (``AllowMutableSchedulingDirectives``), and its pods follow the new
    ones once it is resumed; the rest of the template stays immutable, and so do the
    directives once the Job has started, even suspended again (they were refused always)."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job("held", suspend=True))
    cluster.run(until=10)
    assert cluster.apply(_placed()) == ["job.batch/held configured"]
    image = _placed()
    image["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:5.36"
    with pytest.raises(ValueError, match=TEMPLATE_IMMUTABLE):
        cluster.apply(image)
    cluster.apply(_placed(suspend=False))
    cluster.run(until=20)
    [pod] = [p for p in cluster.pods() if p.name.startswith("held-")]
    assert cluster.get("Pod", "default", pod.name)["spec"]["nodeSelector"] == {
        "topology.kubernetes.io/zone": "zone-b"}
    assert pod.node == "node-2"


def test_a_job_suspended_after_it_started_may_be_placed_again():
    """Since v1.36 (KEP-5440, ``MutableSchedulingDirectivesForSuspendedJobs``) the Job
    controller clears ``status.startTime`` when it suspends a Job, and the API server lets the
    template's scheduling directives change once the Job is marked ``Suspended`` with no Pod
    active, also after it ran (they stayed immutable once it had started); not while it
    runs, and its Pods of the resume follow the new directives."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(_placed(suspend=False, run=300))
    cluster.run(until=20)
    held = cluster.get("Job", "default", "held")
    assert held["status"]["startTime"] == 0
    with pytest.raises(ValueError, match=TEMPLATE_IMMUTABLE):
        cluster.apply(_placed({"topology.kubernetes.io/zone": "zone-c"}, suspend=False, run=300))
    cluster.apply(_placed(run=300))                 # suspended: its Pod is deleted
    cluster.run(until=30)
    assert "startTime" not in held["status"] and held["status"]["active"] == 0
    assert cluster.apply(_placed({"topology.kubernetes.io/zone": "zone-c"}, run=300)) == [
        "job.batch/held configured"]
    cluster.apply(_placed({"topology.kubernetes.io/zone": "zone-c"}, suspend=False, run=300))
    cluster.run(until=40)
    assert held["status"]["startTime"] == 30
    [pod] = [p for p in cluster.pods() if p.name.startswith("held-") and p.phase == "Running"
             and p.reason != "Terminating"]
    assert pod.node == "node-3"


def test_a_suspended_job_with_no_pod_active_may_be_resized():
    """KEP-5440 (beta since v1.36): while a Job is suspended and none of its Pods is active,
    its containers' requests and limits may change, also after it ran, and the Pods of the
    resume ask for the new amounts; not while it runs, and nothing else of the containers
    (resources were refused always)."""
    def sized(cpu, suspend=True, image="perl:5.34"):
        made = job("train", run=100, suspend=suspend)
        made["spec"]["template"]["spec"]["containers"][0].update(
            image=image, resources={"requests": {"cpu": cpu}, "limits": {"cpu": cpu}})
        return made

    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(sized("8"))                       # no node has 8 cores
    cluster.run(until=10)
    assert cluster.apply(sized("2")) == ["job.batch/train configured"]
    with pytest.raises(ValueError, match=TEMPLATE_IMMUTABLE):
        cluster.apply(sized("2", image="perl:5.36"))
    cluster.apply(sized("2", suspend=False))
    cluster.run(until=20)
    [pod] = [p for p in cluster.pods() if p.name.startswith("train-")]
    assert pod.phase == "Running"
    assert cluster.get("Pod", "default", pod.name)["spec"]["containers"][0]["resources"][
        "requests"] == {"cpu": "2"}
    with pytest.raises(ValueError, match=TEMPLATE_IMMUTABLE):
        cluster.apply(sized("1", suspend=False))    # running
    cluster.apply(sized("2"))                       # suspended: its Pod goes
    cluster.run(until=30)
    assert cluster.apply(sized("1")) == ["job.batch/train configured"]


@pytest.mark.parametrize("old, new, allowed", [
    ({"nodeAffinity": {}}, None, True),
    ({"nodeAffinity": {}, "podAffinity": {}}, None, False),
    (None, {"nodeAffinity": {}}, True),
    (None, {"podAntiAffinity": {}}, False),
    ({"podAffinity": {}}, {"podAffinity": {}, "nodeAffinity": {}}, True),
])
def test_only_node_affinity_may_change_in_a_suspended_job(old, new, allowed):
    """``validatePodTemplateUpdate``'s three cases of ``affinity``: removed only when it held
    node affinity alone, added only as node affinity, changed only in its node affinity."""
    def held(affinity):
        made = job("held", suspend=True)
        if affinity is not None:
            made["spec"]["template"]["spec"]["affinity"] = affinity
        return made

    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(held(old))
    if allowed:
        cluster.apply(held(new))
    else:
        with pytest.raises(ValueError, match="field is immutable"):
            cluster.apply(held(new))


# ---- CronJob ------------------------------------------------------------------------------

def _at(text):
    return datetime.strptime(text, "%a %b %d %H:%M %Y").replace(tzinfo=UTC)


ACTIVATION = [
    ("Mon Jul 9 15:00 2012", "0/15 * * * *", True),
    ("Mon Jul 9 15:45 2012", "0/15 * * * *", True),
    ("Mon Jul 9 15:40 2012", "0/15 * * * *", False),
    ("Mon Jul 9 15:05 2012", "5/15 * * * *", True),
    ("Mon Jul 9 15:20 2012", "5/15 * * * *", True),
    ("Mon Jul 9 15:50 2012", "5/15 * * * *", True),
    ("Sun Jul 15 15:00 2012", "0/15 * * Jul *", True),
    ("Sun Jul 15 15:00 2012", "0/15 * * Jun *", False),
    ("Sun Jul 15 08:30 2012", "30 08 ? Jul Sun", True),
    ("Sun Jul 15 08:30 2012", "30 08 15 Jul ?", True),
    ("Mon Jul 16 08:30 2012", "30 08 ? Jul Sun", False),
    ("Mon Jul 16 08:30 2012", "30 08 15 Jul ?", False),
    ("Mon Jul 9 15:00 2012", "@hourly", True),
    ("Mon Jul 9 15:04 2012", "@hourly", False),
    ("Mon Jul 9 15:00 2012", "@daily", False),
    ("Mon Jul 9 00:00 2012", "@daily", True),
    ("Mon Jul 9 00:00 2012", "@weekly", False),
    ("Sun Jul 8 00:00 2012", "@weekly", True),
    ("Sun Jul 8 01:00 2012", "@weekly", False),
    ("Sun Jul 8 00:00 2012", "@monthly", False),
    ("Sun Jul 1 00:00 2012", "@monthly", True),
    ("Sun Jul 15 00:00 2012", "* * 1,15 * Sun", True),
    ("Fri Jun 15 00:00 2012", "* * 1,15 * Sun", True),
    ("Wed Aug 1 00:00 2012", "* * 1,15 * Sun", True),
    ("Sun Jul 15 00:00 2012", "* * * * Mon", False),
    ("Mon Jul 9 00:00 2012", "* * 1,15 * *", False),
    ("Sun Jul 15 00:00 2012", "* * 1,15 * *", True),
    ("Sun Jul 15 00:00 2012", "* * */2 * Sun", True),
]


@pytest.mark.parametrize("time, spec, expected", ACTIVATION)
def test_cron_activation_table(time, spec, expected):
    moment = _at(time)
    fired = CronSchedule(spec).next_time(moment - timedelta(seconds=1))
    assert (fired == moment) is expected


NEXT = [
    ("Mon Jul 9 14:45 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 14:59 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 15:45 2012", "20-35/15 * * * *", "Mon Jul 9 16:20 2012"),
    ("Mon Jul 9 23:46 2012", "*/15 * * * *", "Tue Jul 10 00:00 2012"),
    ("Mon Jul 9 23:45 2012", "20-35/15 * * * *", "Tue Jul 10 00:20 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 9 Apr-Oct ?", "Thu Aug 9 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 */5 Oct Mon", "Mon Oct 1 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 * Feb Mon", "Mon Feb 4 00:00 2013"),
    ("Mon Jul 9 23:35 2012", "0 0 * Feb Mon/2", "Fri Feb 1 00:00 2013"),
    ("Mon Dec 31 23:59 2012", "* * * * *", "Tue Jan 1 00:00 2013"),
    ("Mon Jul 9 23:35 2012", "0 0 29 Feb ?", "Mon Feb 29 00:00 2016"),
]


@pytest.mark.parametrize("time, spec, expected", NEXT)
def test_cron_next_table(time, spec, expected):
    assert CronSchedule(spec).next_time(_at(time)) == _at(expected)


@pytest.mark.parametrize("spec, after", [
    ("0 0 30 Feb ?", "Mon Jul 9 23:35 2012"), ("0 0 31 Apr ?", "Mon Jul 9 23:35 2012"),
    # robfig/cron gives up after the fifth year: 2100 is no leap year, the next is 2104
    ("0 0 29 Feb ?", "Mon Mar 1 00:00 2097")])
def test_cron_next_is_the_zero_time_past_five_years(spec, after):
    """robfig/cron's ``Next`` returns the zero time where it finds no run up to
    ``yearLimit`` (``spec.go``); it had raised "never fires", a 500 on the served API."""
    assert CronSchedule(spec).next_time(_at(after)) is None


@pytest.mark.parametrize("spec, message", [("* * *", "5 fields"), ("61 * * * *", "maximum"),
                                           ("*/0 * * * *", "step"), ("x * * * *", "parse int"),
                                           ("TZ=UTC * * * * *", "TZ or CRON_TZ")])
def test_cron_errors(spec, message):
    with pytest.raises(ValueError, match=message):
        CronSchedule(spec)


def cronjob(policy="Allow", run=30, schedule="*/5 * * * *"):
    inner = job(run=run)
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"},
            "spec": {"schedule": schedule, "concurrencyPolicy": policy,
                     "jobTemplate": {"spec": inner["spec"]}}}


def test_cronjob_creates_jobs_on_schedule_and_keeps_history():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(cronjob())
    cluster.run(until=30 * 60 + 5)
    created = cluster.events.where(reason="SuccessfulCreate", object="cronjob/hello")
    assert [e.time for e in created] == [300.0 * i for i in range(1, 7)]
    # Unix minutes of 2026-01-01 00:05 UTC, as upstream names the Job
    assert created[0].message == "Created job hello-29453765"
    jobs = cluster.objects("Job")
    assert len([j for j in jobs if j["status"].get("succeeded")]) <= 3
    assert cluster.events.where(reason="SawCompletedJob")[0].message == \
        "Saw completed job: hello-29453765, condition: Complete"


def test_cronjob_forbid_skips_while_a_job_runs_and_replace_replaces_it():
    forbid = KubernetesCluster(nodes(), seed=0)
    forbid.apply(cronjob("Forbid", run=400))
    forbid.run(until=1000)
    assert len(forbid.events.where(reason="SuccessfulCreate", object="cronjob/hello")) == 2
    assert forbid.events.where(reason="JobAlreadyActive")
    replace = KubernetesCluster(nodes(), seed=0)
    replace.apply(cronjob("Replace", run=400))
    replace.run(until=1000)
    assert len(replace.events.where(reason="SuccessfulCreate", object="cronjob/hello")) == 3
    assert replace.events.where(reason="SuccessfulDelete", object="cronjob/hello")


_TOP = datetime(2016, 5, 19, 10, tzinfo=UTC).timestamp()     # utils_test.go's topOfTheHour
_H, _M = 3600, 60


@pytest.mark.parametrize(("schedule", "earliest", "now", "recent", "missed"), [
    ("0 * * * *", 0, 30, None, "none"),                          # now before next schedule
    ("0 * * * *", 0, 61 * _M, 60 * _M, "none"),                  # now just after it
    ("0 * * * *", 10, 301 * _M, 300 * _M, "few"),                # missed 5 schedules
    ("30 6-16/4 * * 1-5", 30 * _M, 24 * _H + 31 * _M, 24 * _H + 30 * _M, "few"),
    ("30 10,11,12 * * 1-5", 30 * _M, 30 * _H + 30 * _M, None, "few"),
    ("30 6-16/4 * * 1-5", 30 * _M, 96 * _H + 31 * _M, 96 * _H + 30 * _M, "few"),
    ("30 6-16/4 * * 1-5", 0, 24 * _H + 31 * _M, 24 * _H + 30 * _M, "few"),
    ("*/5 * * * *", 30 * _M, 31 * _M, None, "none"),             # earliest: lastScheduleTime
])
def test_the_most_recent_schedule_is_found_as_upstream_finds_it(schedule, earliest, now,
                                                                recent, missed):
    """Cases of ``TestMostRecentScheduleTime`` (kubernetes/kubernetes
    ``pkg/controller/cronjob/utils_test.go``; not those of ``@every`` or a starting
    deadline, which the simulator does not run), times from its top of the hour: the most
    recent start time, and none, a few or many missed."""
    found, count = most_recent_schedule(CronSchedule(schedule), _TOP + earliest, _TOP + now)
    assert found == (None if recent is None else _TOP + recent)
    assert ("none" if count == 0 else "few" if count <= 100 else "many") == missed


@pytest.mark.parametrize(("minutes", "too_many"), [(5, False), (150, True)])
def test_a_resumed_cronjob_starts_only_the_most_recent_missed_run(minutes, too_many):
    """Runs missed while suspended are missed schedules: on resuming, ``syncCronJob`` starts
    the most recent one at once (no ``startingDeadlineSeconds``), and warns of more than 100
    (``mostRecentScheduleTime``, ``nextScheduleTime`` in kubernetes/kubernetes
    ``pkg/controller/cronjob/utils.go``; https://kubernetes.io/docs/concepts/workloads/
    controllers/cron-jobs/#schedule-suspension)."""
    cluster = KubernetesCluster(nodes(), seed=0)
    paused = cronjob(schedule="* * * * *")
    paused["spec"]["suspend"] = True
    cluster.apply(paused)
    cluster.run(until=minutes * 60 + 30)
    assert not cluster.objects("Job")
    paused["spec"]["suspend"] = False
    cluster.apply(paused)
    cluster.run(until=minutes * 60 + 31)
    [run] = cluster.events.where(reason="SuccessfulCreate", object="cronjob/hello")
    minute = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) // 60 + minutes
    assert run.message == f"Created job hello-{minute}"
    warned = cluster.events.where(reason="TooManyMissedTimes")
    assert [e.message for e in warned] == (["too many missed start times. Set or decrease "
                                            ".spec.startingDeadlineSeconds or check clock "
                                            "skew"] if too_many else [])


def test_an_active_job_deleted_by_hand_went_missing():
    """``syncCronJob``: a Job of ``status.active`` that no longer exists is taken off with
    the event ``MissingJob``, and no longer holds back a ``Forbid`` run."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(cronjob("Forbid", run=1000))
    cluster.run(until=310)
    [run] = cluster.objects("Job")
    cluster.delete("Job", run["metadata"]["name"])
    cluster.run(until=610)
    [event] = cluster.events.where(reason="MissingJob")
    assert event.message == f"Active job went missing: {run['metadata']['name']}"
    assert not cluster.events.where(reason="JobAlreadyActive")
    assert len(cluster.events.where(reason="SuccessfulCreate", object="cronjob/hello")) == 2


def test_job_active_deadline():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job(run=500, activeDeadlineSeconds=100))
    cluster.run(until=200)
    [event] = cluster.events.where(reason="DeadlineExceeded")
    assert event.message == "Job was active longer than specified deadline"
    assert all(p.reason == "Terminating" or p.phase != "Running" for p in cluster.pods())
    conditions = cluster.get("Job", "default", "pi")["status"]["conditions"]
    assert [(c["type"], c["reason"]) for c in conditions] == [
        ("FailureTarget", "DeadlineExceeded"), ("Failed", "DeadlineExceeded")]
    assert conditions[0]["lastTransitionTime"] == 100       # its Pod deleted at the deadline
    assert conditions[1]["lastTransitionTime"] == event.time > 100      # once it has ended


def test_a_failing_job_is_failure_target_until_its_pods_have_ended():
    """Since v1.31 a Job that fails with Pods still running first gets the interim
    condition ``FailureTarget`` (with the failure's reason and message) while they are
    deleted, and ``Failed`` with its Warning event only once none is left terminating
    (``delayTerminalCondition``): it was ``Failed`` at once, its Pods still running."""
    cluster = KubernetesCluster(nodes(), seed=0)
    failing = job(run=500, activeDeadlineSeconds=10, parallelism=2, completions=2)
    failing["spec"]["template"]["spec"]["containers"][0]["lifecycle"] = {
        "preStop": {"sleep": {"seconds": 15}}}
    cluster.apply(failing)
    cluster.run(until=12)
    stored = cluster.get("Job", "default", "pi")
    [target] = stored["status"]["conditions"]
    assert (target["type"], target["reason"], target["message"]) == (
        "FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline")
    assert (stored["status"]["active"], stored["status"]["terminating"]) == (0, 2)
    assert not cluster.events.where(reason="DeadlineExceeded")
    cluster.run()
    failed = stored["status"]["conditions"][1]
    assert (failed["type"], failed["reason"], failed["message"]) == (
        "Failed", "DeadlineExceeded", "Job was active longer than specified deadline")
    [event] = cluster.events.where(reason="DeadlineExceeded")
    assert event.type == "Warning" and event.time == failed["lastTransitionTime"] >= 25


def test_daemonset_rolling_update_replaces_one_node_at_a_time():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(daemonset())
    cluster.run()
    changed = daemonset()
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "agent:2"
    cluster.apply(changed)
    env = cluster.clock.env
    while env.peek() != float("inf"):
        env.step()
        live = [p for p in cluster.pods() if p.reason != "Terminating"]
        assert sum(1 for p in live if p.ready) >= 2          # maxUnavailable 1 of 3 nodes
    images = {cluster.get("Pod", "default", p.name)["spec"]["containers"][0]["image"]
              for p in cluster.pods()}
    assert images == {"agent:2"} and daemon_nodes(cluster) == ["node-1", "node-2", "node-3"]


def test_daemonset_counts_its_template_generations_in_an_annotation():
    """The DaemonSet registry writes ``deprecated.daemonset.template.generation``: 1 on
    create, one more for each template change only, whatever the client sends
    (``PrepareForCreate``/``PrepareForUpdate``); its revisions copy it."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(daemonset())
    cluster.run()

    def template_generation():
        ds = cluster.get("DaemonSet", "default", "agent")
        return ds["metadata"]["annotations"][TEMPLATE_GENERATION], ds["metadata"]["generation"]

    assert template_generation() == ("1", 1)
    changed = daemonset()
    changed["spec"]["minReadySeconds"] = 5
    cluster.apply(changed)
    assert template_generation() == ("1", 2)
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "agent:2"
    changed["metadata"]["annotations"] = {TEMPLATE_GENERATION: "9"}
    cluster.apply(changed)
    assert template_generation() == ("2", 3)
    cluster.run()
    revisions = sorted((r["revision"], r["metadata"]["annotations"][TEMPLATE_GENERATION])
                       for r in cluster.objects("ControllerRevision"))
    assert revisions == [(1, "1"), (2, "2")]


def test_daemon_pods_carry_the_template_generation_they_were_made_from():
    """``CreatePodTemplate`` labels each daemon pod ``pod-template-generation`` with the
    DaemonSet's template generation beside its ``controller-revision-hash``: after a template
    change the replacements carry the next one."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(daemonset())
    cluster.run()

    def generations():
        return {cluster.get("Pod", "default", p.name)["metadata"]["labels"][
            "pod-template-generation"] for p in cluster.pods()}

    assert generations() == {"1"}
    changed = daemonset()
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "agent:2"
    cluster.apply(changed)
    cluster.run()
    assert generations() == {"2"}


def test_a_new_daemonset_keeps_a_template_generation_it_was_created_with():
    """``PrepareForCreate`` keeps a client's template generation of at least 1 and raises a
    lower one to 1."""
    cluster = KubernetesCluster(nodes(1), seed=0)
    for name, given, kept in (("a", "4", "4"), ("b", "0", "1"), ("c", "x", "1")):
        ds = daemonset()
        ds["metadata"].update(name=name, annotations={TEMPLATE_GENERATION: given})
        ds["spec"]["selector"]["matchLabels"]["app"] = ds["spec"]["template"]["metadata"][
            "labels"]["app"] = name
        cluster.apply(ds)
        assert cluster.get("DaemonSet", "default", name)["metadata"]["annotations"][
            TEMPLATE_GENERATION] == kept


def test_statefulset_recovers_after_out_of_service_taint():
    """Non-graceful node shutdown: the out-of-service taint lets PodGC force-delete the
    Terminating pod, so the StatefulSet recreates it elsewhere."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3))
    cluster.run()
    node = cluster.get("Pod", "default", "web-1")["spec"]["nodeName"]
    cluster.fail_node(node)
    cluster.run(until=cluster.now + 60)
    cluster.taint(node, "node.kubernetes.io/out-of-service", "NoExecute", "nodeshutdown")
    cluster.run(until=cluster.now + 60)
    rows = {p.name: p for p in cluster.pods()}
    assert rows["web-1"].ready and rows["web-1"].node != node


def test_out_of_service_taint_waits_for_the_node_to_be_not_ready():
    """PodGC's ``gcTerminating`` force-deletes only on a node that is not Ready *and*
    tainted out-of-service: a taint put on a failed machine before the node monitor's
    grace period has passed evicts the pod, but it stays Terminating until NotReady."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3))
    cluster.run()
    node = cluster.get("Pod", "default", "web-1")["spec"]["nodeName"]
    failed = cluster.now
    cluster.fail_node(node)
    cluster.run(until=failed + 10)
    cluster.taint(node, "node.kubernetes.io/out-of-service", "NoExecute", "nodeshutdown")
    not_ready = failed + cluster.timing.node_monitor_grace_period
    cluster.run(until=not_ready - 1)
    pod = cluster.get("Pod", "default", "web-1")
    assert pod["spec"]["nodeName"] == node and pod["metadata"].get("deletionTimestamp")
    cluster.run(until=not_ready + 30)
    assert cluster.get("Pod", "default", "web-1")["spec"]["nodeName"] != node


def test_removed_node_pods_are_collected_after_quarantine():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(statefulset(3, policy="Parallel"))
    cluster.run()
    node = cluster.get("Pod", "default", "web-0")["spec"]["nodeName"]
    removed_at = cluster.now
    cluster.remove_node(node)
    cluster.run(until=removed_at + 39)
    assert cluster.get("Pod", "default", "web-0")["spec"]["nodeName"] == node
    cluster.run(until=removed_at + 80)
    pod0 = cluster.get("Pod", "default", "web-0")
    assert pod0["spec"]["nodeName"] != node
    assert node not in cluster.node_names()
    assert cluster.events.where(reason="RemovingNode")[0].message == \
        f"Node {node} event: Removing Node {node} from Controller"


# TestControllerSyncJob (pkg/controller/job/job_controller_test.go): parallelism, completions
# (None: a work queue), active and succeeded pods → pods to create (+) or delete (−)
@pytest.mark.parametrize("name, parallelism, completions, active, succeeded, change", [
    ("job start", 2, 5, 0, 0, 2),
    ("WQ job start", 2, None, 0, 0, 2),
    ("correct # of pods", 3, 5, 2, 0, 1),
    ("WQ job: correct # of pods", 2, None, 2, 0, 0),
    ("too few active pods", 2, 5, 1, 1, 1),
    ("too many active pods", 2, 5, 3, 0, -1),
    ("only new failed pod", 2, 5, 0, 0, 2),
    ("WQ job finishing", 2, None, 1, 1, 0),
    ("more active pods than parallelism", 2, 5, 10, 0, -8),
    ("more active pods than remaining completions", 3, 4, 3, 2, -1),
    ("zero parallelism", 0, 5, 0, 0, 0),
])
def test_job_want_active_table(name, parallelism, completions, active, succeeded, change):
    assert want_active(parallelism, completions, active, succeeded) - active == change


def test_job_scaled_down_parallelism_deletes_surplus_pods():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job(run=300, completions=6, parallelism=4))
    cluster.run(until=10)
    smaller = job(run=300, completions=6, parallelism=1)
    cluster.apply(smaller)
    cluster.run(until=20)
    running = [p for p in cluster.pods() if p.phase in ("Running", "Pending")
               and p.reason != "Terminating"]
    assert len(running) == 1
    assert len(cluster.events.where(reason="SuccessfulDelete", object="job/pi")) == 3


def test_statefulset_claim_retention_policy():
    cluster = KubernetesCluster(nodes(), seed=0)
    policy = {"whenScaled": "Delete", "whenDeleted": "Delete"}
    cluster.apply(statefulset(3, persistentVolumeClaimRetentionPolicy=policy))
    cluster.run()
    cluster.scale("sts", "web", 1)
    cluster.run()
    claims = cluster.objects("PersistentVolumeClaim")
    assert [c["metadata"]["name"] for c in claims] == ["www-web-0"]
    cluster.delete("sts", "web")
    cluster.run()
    assert cluster.objects("PersistentVolumeClaim") == []


def test_run_without_until_refuses_never_ending_work():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(cronjob("Allow", run=400, schedule="*/5 * * * *"))
    cluster.run(until=310)
    with pytest.raises(ValueError, match=r"did not become quiet .* run\(until="):
        cluster.run()


def test_pod_deletion_cost_picks_the_cheaper_pod():
    pods = [_pod("dear", "n1"), _pod("cheap", "n2")]
    pods[0]["metadata"]["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": "100"}
    pods[1]["metadata"]["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": "-5"}
    assert [p["metadata"]["name"] for p in deletion_rank(pods)] == ["cheap", "dear"]


def test_a_jobs_failed_count_keeps_a_failed_pod_deleted_since():
    """``status.failed`` is a counter upstream (a pod is counted as its tracking finalizer is
    removed), so deleting the failed pod later does not take it back."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job(run=3, code=1, backoffLimit=0))
    cluster.run()
    stored = cluster.get("Job", "default", "pi")
    assert stored["status"]["failed"] == 1
    for pod in cluster.owned("Pod", stored):
        cluster.delete_object(pod)
    cluster.run()
    assert not cluster.owned("Pod", stored) and stored["status"]["failed"] == 1


def test_a_job_updated_without_its_generated_selector_is_refused_but_applied_is_not():
    """An update (a PUT) of a Job to the manifest it was created from was accepted: the
    selector and labels the API server generated on create are not in it, and upstream's Job
    strategy refuses it (``ValidateJob``, then ``ValidateJobSpecUpdate``); an apply keeps
    them (kubectl's merge patch leaves what the file never set)."""
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once"},
           "spec": {"template": {"spec": {"restartPolicy": "Never",
                                          "containers": [{"name": "c", "image": "busybox"}]}}}}
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job)
    with pytest.raises(ValueError) as refused:
        cluster.update(job)
    assert str(refused.value).endswith(
        'Job.batch "once" is invalid: [spec.selector: Required value, '
        "spec.template.metadata.labels: Invalid value: null: `selector` does not match "
        "template `labels`, spec.selector: Invalid value: null: field is immutable, "
        "spec.template: Invalid value: {...}: field is immutable]")
    assert cluster.apply(job) == ["job.batch/once unchanged"]
    stored = cluster.get("Job", "default", "once")
    assert stored["spec"]["selector"]["matchLabels"] == {
        "batch.kubernetes.io/controller-uid": stored["metadata"]["uid"]}


def test_a_job_deleted_in_the_foreground_makes_no_pods_and_goes_with_its_pods():
    """Its controller skips ``manageJob`` while the Job is being deleted (``syncJob``,
    pkg/controller/job/job_controller.go), so no Pod replaces those being deleted."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(job(run=600, completions=4, parallelism=2))
    cluster.run(until=30)
    pi = cluster.get("Job", "default", "pi")
    cluster.delete("job", "pi", cascade="foreground")
    assert pi["metadata"]["finalizers"] == ["foregroundDeletion"]
    cluster.run(until=90)
    assert cluster.get("Job", "default", "pi") is None and not cluster.objects("Pod")
    assert len(cluster.events_about(pi, "SuccessfulCreate")) == 2


def test_a_cronjob_deleted_in_the_foreground_starts_no_job_meanwhile():
    """``syncCronJob`` only updates the status of a CronJob being deleted; its Job's Pod,
    stopping for 100 s past the next schedules, keeps it until the Pod is gone."""
    cluster = KubernetesCluster(nodes(), seed=0, timing=Timing(container_stop_seconds=100))
    slow = cronjob(run=600, schedule="* * * * *")
    slow["spec"]["jobTemplate"]["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = 100
    cluster.apply(slow)
    cluster.run(until=90)
    hello = cluster.get("CronJob", "default", "hello")
    started = len(cluster.events_about(hello, "SuccessfulCreate"))
    assert started
    cluster.delete("cronjob", "hello", cascade="foreground")
    cluster.run(until=300)
    assert cluster.get("CronJob", "default", "hello") is None and not cluster.objects("Job")
    assert len(cluster.events_about(hello, "SuccessfulCreate")) == started
