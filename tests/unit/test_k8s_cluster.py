"""KubernetesCluster: apply, pods, explain, events, node failure, cordon and drain.

Wording of events is upstream's: ``Scheduled`` (pkg/scheduler/schedule_one.go),
``SuccessfulCreate``/``ScalingReplicaSet`` (pkg/controller), ``TaintManagerEviction``
(pkg/controller/tainteviction/taint_eviction.go), ``Killing`` (pkg/kubelet). Timings follow the
defaults documented in clustersim.kubernetes.kubelet.Timing: node-monitor-grace-period 50 s,
DefaultTolerationSeconds 300 s.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from typing import Any

import pytest

from clustersim import Node
from clustersim.kubernetes import AdmissionError, KubernetesCluster, Timing, tolerates
from clustersim.kubernetes.apiserver import LAST_APPLIED


def nodes(count=3, cpu="4", memory="8Gi"):
    return Node.many(count, "node", cpu=cpu, memory=memory,
                     zone=lambda i: f"zone-{'abc'[(i - 1) % 3]}")


def deployment(name="web", replicas=3, image="nginx:1.25", cpu="500m", **spec):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{
                                      "name": "main", "image": image,
                                      "resources": {"requests": {"cpu": cpu,
                                                                 "memory": "128Mi"}}}]}},
                     **spec}}


def pod(name, cpu="100m", **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"a": name}},
            "spec": {"containers": [{"name": "c", "image": "busybox:1.36",
                                     "resources": {"requests": {"cpu": cpu}}}], **spec}}


def test_apply_deployment_runs_pods_with_upstream_events():
    cluster = KubernetesCluster(nodes(), seed=0)
    assert cluster.apply(deployment()) == ["deployment.apps/web created"]
    cluster.run()
    pods = cluster.pods()
    assert len(pods) == 3
    assert all(p.phase == "Running" and p.ready and p.node for p in pods)
    assert {p.owner for p in pods} == {"Deployment/web"}
    rs_name = pods[0].labels["pod-template-hash"]
    scaling = cluster.events.where(reason="ScalingReplicaSet")
    assert scaling[0].message == f"Scaled up replica set web-{rs_name} from 0 to 3"
    assert scaling[0].object == "deployment/web"
    created = cluster.events.where(reason="SuccessfulCreate")
    assert [e.message for e in created] == [f"Created pod: {p.name}" for p in pods]
    scheduled = cluster.events.where(reason="Scheduled")
    assert scheduled[0].message == f"Successfully assigned default/{pods[0].name} to {pods[0].node}"


def test_apply_again_is_unchanged_and_a_change_is_configured():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment())
    assert cluster.apply(deployment()) == ["deployment.apps/web unchanged"]
    assert cluster.apply(deployment(replicas=4)) == ["deployment.apps/web configured"]
    cluster.run()
    assert len(cluster.pods()) == 4


def test_an_update_or_apply_that_writes_nothing_is_unchanged():
    """``update`` of an object as stored answered ``configured``, and ``apply`` of the file
    kubectl had applied (its annotation in kubectl's compact JSON, as the served API keeps
    it) too: kubectl compares objects, and says ``unchanged`` for an apply that changes
    nothing; an update that writes nothing moves neither the object nor the store. The
    annotation is kubectl's own text (``json.Marshal``, ``annotations: {}``, a newline)."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment())
    stored = cluster.get("Deployment", "default", "web")
    before = copy.deepcopy(stored)
    assert cluster.update([copy.deepcopy(stored)]) == ["deployment.apps/web unchanged"]
    assert stored == before
    text = stored["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert text.startswith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":'
                           '{"annotations":{},"name":"web","namespace":"default"},"spec":{')
    assert text.endswith("}\n") and ", " not in text
    assert cluster.apply(deployment()) == ["deployment.apps/web unchanged"]
    changed = copy.deepcopy(stored)
    changed["spec"]["replicas"] = 5
    assert cluster.update([changed]) == ["deployment.apps/web configured"]


def test_apply_puts_back_what_drifted_and_leaves_alone_what_did_not():
    """``apply`` compared the file with the last-applied annotation only, so a Deployment
    scaled since (``cluster.scale``) stayed at 5 and the answer was ``unchanged``; kubectl's
    three-way patch sets ``replicas`` back. An identical apply sends nothing, and moves
    neither the object nor its generation; an update to the manifest (with the annotations
    stored) without the defaults the controller stored is no change either (the API server
    defaults it again)."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment())
    cluster.run()
    cluster.scale("Deployment", "web", 5)
    cluster.run()
    assert cluster.apply(deployment()) == ["deployment.apps/web configured"]
    stored = cluster.get("Deployment", "default", "web")
    assert stored["spec"]["replicas"] == 3
    cluster.run()
    before = copy.deepcopy(stored)
    assert cluster.apply(deployment()) == ["deployment.apps/web unchanged"]
    assert stored == before
    sent = deployment()
    sent["metadata"]["annotations"] = dict(stored["metadata"]["annotations"])
    assert cluster.update([sent]) == ["deployment.apps/web unchanged"]
    assert stored == before


def drifted_deployment(*, first: bool):
    """A Deployment file without ``replicas``; the ``first`` version also has an annotation
    and ``minReadySeconds``, which the second drops."""
    web = deployment(**({"minReadySeconds": 5} if first else {}))
    del web["spec"]["replicas"]
    if first:
        web["metadata"]["annotations"] = {"team": "a"}
    return web


def others_changes(stored):
    """What other actors change on the Deployment ``stored`` (an annotation, the
    strategy: ``kubectl annotate``, ``kubectl patch``), as the update they send."""
    changed = copy.deepcopy(stored)
    changed["metadata"]["annotations"]["note"] = "x"
    changed["spec"]["strategy"] = {"type": "Recreate"}
    return changed


def applied_over_others(cluster):
    """Apply the first :func:`drifted_deployment`, let others scale it to 4 and make
    :func:`others_changes`, apply the same file again, then the second version; the lines
    the two last applies said."""
    cluster.apply(drifted_deployment(first=True))
    cluster.run()
    cluster.scale("Deployment", "web", 4)
    cluster.update([others_changes(cluster.get("Deployment", "default", "web"))])
    cluster.run()
    return [cluster.apply(drifted_deployment(first=flag))[0] for flag in (True, False)]


def test_apply_keeps_what_others_set_and_removes_what_the_file_dropped():
    """``apply`` replaced the live spec with the file's, so the replicas ``scale`` set, the
    strategy and an annotation another actor changed were reset; kubectl sends the
    three-way patch and the API server merges it into the live object. What the file
    stops saying since the last apply (an annotation, ``minReadySeconds``) is removed."""
    cluster = KubernetesCluster(nodes(), seed=0)
    assert applied_over_others(cluster) == ["deployment.apps/web unchanged",
                                            "deployment.apps/web configured"]
    stored = cluster.get("Deployment", "default", "web")
    assert stored["spec"]["replicas"] == 4
    assert stored["spec"]["strategy"] == {"type": "Recreate"}
    assert "minReadySeconds" not in stored["spec"]
    annotations = stored["metadata"]["annotations"]
    assert annotations["note"] == "x" and "team" not in annotations


def drifted_pod(*, first: bool):
    """A Pod file whose ``first`` version also has the label ``tier`` and the annotation
    ``team``, which the second drops."""
    web = pod("web")
    if first:
        web["metadata"]["labels"]["tier"] = "a"
        web["metadata"]["annotations"] = {"team": "a"}
    return web


def pod_relabelled_by_others(stored):
    """What others change on the Pod ``stored`` (``kubectl label``, ``kubectl annotate``)."""
    changed = copy.deepcopy(stored)
    changed["metadata"]["labels"]["owner"] = "ops"
    changed["metadata"]["annotations"]["note"] = "x"
    return changed


def pod_applied_over_others(cluster):
    """:func:`applied_over_others` for a Pod's labels and annotations."""
    cluster.apply(drifted_pod(first=True))
    cluster.run()
    cluster.update([pod_relabelled_by_others(cluster.get("Pod", "default", "web"))])
    cluster.run()
    return [cluster.apply(drifted_pod(first=flag))[0] for flag in (True, False)]


def test_apply_removes_what_a_pods_file_dropped_and_keeps_what_others_set():
    """A Pod's labels were the file's alone (a label set by others went) and its annotations
    the stored ones plus the file's (one the file dropped stayed); kubectl's three-way patch
    removes what the last apply set and the file no longer says, and nothing else."""
    cluster = KubernetesCluster(nodes(), seed=0)
    assert pod_applied_over_others(cluster) == ["pod/web unchanged", "pod/web configured"]
    meta = cluster.get("Pod", "default", "web")["metadata"]
    assert meta["labels"] == {"a": "web", "owner": "ops"}
    assert {k: v for k, v in meta["annotations"].items() if k != LAST_APPLIED} == {"note": "x"}


def test_apply_of_a_statefulset_with_claim_templates_is_configured_each_time():
    """As the served API and the real kubectl (kubernetes/kubernetes issue 66450): the
    defaulted ``volumeClaimTemplates`` differ from the file's, and the list is sent whole."""
    db = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
          "spec": {"replicas": 1, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                   "template": {"metadata": {"labels": {"app": "db"}},
                                "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}},
                   "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                       "accessModes": ["ReadWriteOnce"],
                       "resources": {"requests": {"storage": "1Gi"}}}}]}}
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(copy.deepcopy(db))
    cluster.run()
    stored = cluster.get("StatefulSet", "default", "db")
    before = copy.deepcopy(stored)
    assert cluster.apply(copy.deepcopy(db)) == ["statefulset.apps/db configured"]
    assert stored["metadata"]["generation"] == 1 and stored == before


def test_pod_with_node_name_binds_directly_without_scheduler():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(pod("pinned", nodeName="node-2"))
    cluster.run()
    [row] = cluster.pods()
    assert row.node == "node-2" and row.phase == "Running"
    assert cluster.events.where(reason="Scheduled") == []


def test_unschedulable_pod_is_pending_with_failed_scheduling():
    cluster = KubernetesCluster(nodes(cpu="1"), seed=0)
    cluster.apply(pod("big", cpu="2"))
    cluster.run()
    [row] = cluster.pods()
    assert (row.node, row.phase, row.reason) == (None, "Pending", "Unschedulable")
    assert row.message.startswith("0/3 nodes are available: 3 Insufficient cpu.")
    [event] = cluster.events.where(reason="FailedScheduling")
    assert event.type == "Warning" and event.message == row.message


def test_pending_pod_is_scheduled_when_a_node_joins():
    cluster = KubernetesCluster(nodes(cpu="1"), seed=0)
    cluster.apply(pod("big", cpu="2"))
    cluster.add_node(Node("large", cpu="8", memory="8Gi"))
    cluster.run()
    assert cluster.pods()[0].node == "large"


def test_explain_binds_nothing_and_covers_every_node():
    cluster = KubernetesCluster(nodes(), seed=0)
    verdicts = cluster.explain(pod("probe", cpu="5"))
    assert set(verdicts) == {"node-1", "node-2", "node-3"}
    assert all(not v.feasible and v.total is None and v.scores == {} for v in verdicts.values())
    assert cluster.pods() == []
    ok = cluster.explain(pod("probe"))
    assert all(v.feasible and v.total is not None for v in ok.values())


def test_explain_of_a_bound_pod_says_first_where_it_is_bound():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(pod("p"))
    cluster.run()
    stored = cluster.get("Pod", "default", "p")
    home = stored["spec"]["nodeName"]
    explained = cluster.explain(stored)
    assert explained.node_name == home and explained.feasible == [home]
    assert str(explained).startswith(f"Pod p is bound to node {home} (spec.nodeName is set)")
    # the per-node verdicts stay upstream's: NodeName rejects every other node
    others = [v for name, v in explained.items() if name != home]
    assert others and all(v.reasons == ("node(s) didn't match the requested node name",)
                          for v in others)
    assert f"bound to {home}" in repr(explained) and len(repr(explained)) < 120
    # by name the node is left out: where could it go now?
    again = cluster.explain("p")
    assert again.node_name is None and again.placed_on == home
    assert again.summary.startswith(f"Pod p runs on {home}; as if it were pending again: 3 of 3")


def test_default_toleration_seconds_admission():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(pod("p"))
    stored = cluster.get("Pod", "default", "p")
    added = {(t["key"], t["tolerationSeconds"]) for t in stored["spec"]["tolerations"]}
    assert added == {("node.kubernetes.io/not-ready", 300),
                     ("node.kubernetes.io/unreachable", 300)}
    own = pod("q", tolerations=[{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                                 "effect": "NoExecute", "tolerationSeconds": 60}])
    cluster.apply(own)
    keys = [t["key"] for t in cluster.get("Pod", "default", "q")["spec"]["tolerations"]]
    assert keys.count("node.kubernetes.io/unreachable") == 1


def test_tolerates_is_exported():
    assert tolerates({"key": "k", "operator": "Exists"}, {"key": "k", "effect": "NoSchedule"})
    assert not tolerates({"key": "k", "value": "a"}, {"key": "k", "value": "b",
                                                      "effect": "NoSchedule"})


def test_node_failure_marks_not_ready_then_evicts_after_toleration_seconds():
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(deployment(replicas=3))
    cluster.run()
    victim = next(p for p in cluster.pods() if p.node == "node-1")
    failed_at = cluster.now
    cluster.fail_node("node-1")
    cluster.run(until=failed_at + 49)
    assert cluster.events.where(reason="NodeNotReady") == []
    cluster.run(until=failed_at + 51)
    [node_event] = cluster.events.where(reason="NodeNotReady", object="node/node-1")
    assert node_event.time == failed_at + 50
    assert node_event.message == "Node node-1 status is now: NodeNotReady"
    taints = {(t["key"], t["effect"]) for t in cluster.node("node-1").taints}
    assert {("node.kubernetes.io/unreachable", "NoExecute"),
            ("node.kubernetes.io/unreachable", "NoSchedule")} <= taints
    cluster.run(until=failed_at + 50 + 299)
    assert cluster.events.where(reason="TaintManagerEviction") == []
    cluster.run(until=failed_at + 50 + 301)
    [eviction] = cluster.events.where(reason="TaintManagerEviction")
    assert eviction.time == failed_at + 350
    assert eviction.message == f"Marking for deletion Pod default/{victim.name}"
    cluster.run(until=failed_at + 400)
    rows = {p.name: p for p in cluster.pods()}
    assert rows[victim.name].reason == "Terminating"       # its kubelet is unreachable
    running = [p for p in rows.values() if p.ready]
    assert len(running) == 3 and all(p.node != "node-1" for p in running)


def test_recover_node_finishes_terminating_pods_and_removes_taints():
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(deployment(replicas=3))
    cluster.run()
    cluster.fail_node("node-2")
    cluster.run(until=cluster.now + 400)
    cluster.recover_node("node-2")
    cluster.run(until=cluster.now + 30)
    assert all(p.reason != "Terminating" for p in cluster.pods())
    assert cluster.node("node-2").taints == []
    assert cluster.events.where(reason="NodeReady")[0].message == \
        "Node node-2 status is now: NodeReady"


def test_pod_tolerating_unreachable_longer_is_evicted_later():
    cluster = KubernetesCluster(nodes(1), seed=0)
    tol = [{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
            "effect": "NoExecute", "tolerationSeconds": 30}]
    cluster.apply(pod("short", tolerations=tol))
    cluster.run()
    start = cluster.now
    cluster.fail_node("node-1")
    cluster.run(until=start + 200)
    [eviction] = cluster.events.where(reason="TaintManagerEviction")
    assert eviction.time == start + 50 + 30


def test_cordon_keeps_pods_but_blocks_new_ones():
    cluster = KubernetesCluster(nodes(2), seed=0)
    cluster.apply(pod("a", nodeName="node-1"))
    cluster.cordon("node-1")
    cluster.cordon("node-2")
    cluster.apply(pod("b"))
    cluster.run()
    rows = {p.name: p for p in cluster.pods()}
    assert rows["a"].node == "node-1" and rows["a"].ready
    assert rows["b"].reason == "Unschedulable"
    assert "unschedulable" in rows["b"].message
    assert cluster.events.where(reason="NodeNotSchedulable")[0].message == \
        "Node node-1 status is now: NodeNotSchedulable"
    cluster.uncordon("node-2")
    cluster.run()
    assert {p.name: p.node for p in cluster.pods()}["b"] == "node-2"


def test_drain_evicts_managed_pods_and_refuses_bare_ones_without_force():
    cluster = KubernetesCluster(nodes(2), seed=3)
    cluster.apply(deployment(replicas=4))
    cluster.apply(pod("bare", nodeName="node-1"))
    cluster.run()
    with pytest.raises(ValueError, match="declare no controller"):
        cluster.drain("node-1")
    assert not cluster.node("node-1").unschedulable
    evicted = cluster.drain("node-1", force=True)
    assert "bare" in evicted
    cluster.run()
    rows = cluster.pods()
    assert all(p.node == "node-2" for p in rows)
    assert len([p for p in rows if p.owner == "Deployment/web"]) == 4
    assert cluster.events.where(reason="Killing")


def test_same_seed_same_run_different_seed_different_names():
    def trace(seed):
        cluster = KubernetesCluster(nodes(), seed=seed)
        cluster.apply(deployment(replicas=5))
        cluster.run()
        cluster.fail_node("node-3")
        cluster.run(until=cluster.now + 400)
        return [(e.time, e.object, e.reason, e.message) for e in cluster.events]

    assert trace(7) == trace(7)
    assert trace(7) != trace(8)


def test_snapshot_shows_the_requests_of_the_pod_stored_now():
    # snapshot keeps each pod's requests by uid: a pod deleted and created again under the
    # same name with other requests is a new pod, and the old entry goes with the old pod
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(pod("p", cpu="250m"))
    cluster.run(until=5)
    assert [(t.name, t.cpu) for t in cluster.snapshot().tasks] == [("p", 0.25)]
    cluster.delete("pod", "p")
    cluster.run()
    assert cluster.snapshot().tasks == () and cluster._task_requests == {}
    cluster.apply(pod("p", cpu="1500m"))
    cluster.run(until=cluster.now + 5)
    assert [(t.name, t.cpu) for t in cluster.snapshot().tasks] == [("p", 1.5)]
    cluster.apply(deployment(replicas=3, cpu="1"))
    cluster.run(until=cluster.now + 5)
    cluster.scale("deployment", "web", 1)
    cluster.run()
    assert sorted(t.cpu for t in cluster.snapshot().tasks) == [1.0, 1.5]
    assert len(cluster._task_requests) == 2


def test_snapshot_reports_capacity_use_and_owners():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment(replicas=2, cpu="1"))
    cluster.run()
    snap = cluster.snapshot()
    assert snap.system == "kubernetes" and snap.time == cluster.now
    assert sum(n.cpu_used for n in snap.nodes) == pytest.approx(2.0)
    assert {n.cpu for n in snap.nodes} == {4.0}
    assert {t.owner for t in snap.tasks} == {"Deployment/web"}
    cluster.fail_node("node-1")
    assert {n.name: n.status for n in cluster.snapshot().nodes}["node-1"] == "NotReady"


def test_readiness_probe_delays_ready():
    timing = Timing(image_pull_seconds=2, container_start_seconds=1)
    cluster = KubernetesCluster(nodes(1), seed=0, timing=timing)
    spec = pod("probed")
    spec["spec"]["containers"][0]["readinessProbe"] = {"exec": {"command": ["true"]},
        "initialDelaySeconds": 12,
                                                       "periodSeconds": 5}
    cluster.apply(spec)
    cluster.run(until=3.5)
    assert cluster.pods()[0].phase == "Running" and not cluster.pods()[0].ready
    cluster.run(until=3 + 15 - 0.5)     # ceil(12/5)·5 = 15 s after the start
    assert not cluster.pods()[0].ready
    cluster.run(until=3 + 15 + 0.5)
    assert cluster.pods()[0].ready


def test_rolling_update_respects_surge_and_unavailable_bounds():
    cluster = KubernetesCluster(nodes(), seed=2)
    cluster.apply(deployment(replicas=4, strategy={
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}))
    cluster.run()
    changed = deployment(replicas=4, image="nginx:1.26", strategy={
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}})
    cluster.apply(changed)
    worst_total, worst_ready = 0, 4
    while cluster.clock.env.peek() != float("inf") and cluster.now < 200:
        cluster.clock.env.step()
        live = [p for p in cluster.pods() if p.reason != "Terminating"]
        worst_total = max(worst_total, len(live))
        worst_ready = min(worst_ready, sum(1 for p in live if p.ready))
    assert worst_total <= 5 and worst_ready >= 4
    images = {cluster.get("Pod", "default", p.name)["spec"]["containers"][0]["image"]
              for p in cluster.pods()}
    assert images == {"nginx:1.26"}
    history = cluster.rollout_history("web")
    assert [h["revision"] for h in history] == [1, 2]


def test_recreate_stops_old_pods_before_starting_new():
    cluster = KubernetesCluster(nodes(), seed=2)
    cluster.apply(deployment(replicas=3, strategy={"type": "Recreate"}))
    cluster.run()
    cluster.apply(deployment(replicas=3, image="nginx:1.26", strategy={"type": "Recreate"}))
    cluster.run()
    events = list(cluster.events.where(reason="ScalingReplicaSet"))
    assert "Scaled down" in events[1].message and "from 3 to 0" in events[1].message
    assert "from 0 to 3" in events[2].message
    old_gone = max(e.time for e in cluster.events.where(reason="Killing"))
    first_new = min(e.time for e in cluster.events.where(reason="SuccessfulCreate")
                    if e.time > 0)
    assert first_new >= old_gone


def test_rollout_undo_returns_to_previous_revision():
    cluster = KubernetesCluster(nodes(), seed=2)
    cluster.apply(deployment())
    cluster.run()
    cluster.set_image("deployment", "web", "nginx:1.26")
    cluster.run()
    assert cluster.rollout_undo("web") == "deployment.apps/web rolled back"
    cluster.run()
    history = cluster.rollout_history("web")
    assert [(h["revision"], h["images"]) for h in history] == [
        (2, ["nginx:1.26"]), (3, ["nginx:1.25"])]
    first = cluster.get("ReplicaSet", "default", history[1]["replicaset"])
    assert first["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    with pytest.raises(ValueError, match="unable to find specified revision 9"):
        cluster.rollout_undo("web", to_revision=9)


def test_scaling_during_rollout_is_proportional():
    cluster = KubernetesCluster(nodes(cpu="16", memory="32Gi"), seed=4)
    spec = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}}
    cluster.apply(deployment(replicas=10, strategy=spec))
    cluster.run()
    bad = deployment(replicas=10, image="nginx:broken", strategy=spec)
    bad["spec"]["template"]["spec"]["containers"][0]["readinessProbe"] = {
        "exec": {"command": ["true"]}, "initialDelaySeconds": 10**6}
    cluster.apply(bad)
    cluster.run(until=cluster.now + 30)
    sizes = {rs["metadata"]["name"]: rs["spec"]["replicas"] for rs in cluster.objects("ReplicaSet")}
    assert sorted(sizes.values()) == [5, 8]          # the docs' example: 8 old + 5 new
    cluster.scale("deployment", "web", 15)
    sizes = sorted(rs["spec"]["replicas"] for rs in cluster.objects("ReplicaSet"))
    assert sum(sizes) == 15 + 3 and sizes == [7, 11]


def test_errors_are_readable():
    cluster = KubernetesCluster(nodes(), seed=0)
    with pytest.raises(ValueError, match="kind"):
        cluster.apply({"metadata": {"name": "x"}})
    with pytest.raises(ValueError, match="not found"):
        cluster.scale("deployment", "missing", 2)
    with pytest.raises(ValueError, match="no node named"):
        cluster.fail_node("nope")
    with pytest.raises(ValueError, match="replicas"):
        bad = copy.deepcopy(deployment())
        bad["spec"]["replicas"] = -1
        cluster.apply(bad)


def test_stuck_rollout_reports_progress_deadline_exceeded():
    cluster = KubernetesCluster(nodes(), seed=2)
    cluster.apply(deployment(replicas=2, progressDeadlineSeconds=120))
    cluster.run()
    stuck = deployment(replicas=2, image="nginx:never-ready", progressDeadlineSeconds=120)
    stuck["spec"]["template"]["spec"]["containers"][0]["readinessProbe"] = {
        "exec": {"command": ["true"]}, "initialDelaySeconds": 10**6}
    started = cluster.now
    cluster.apply(stuck)
    cluster.run(until=started + 300)
    progressing = next(c for c in cluster.get("Deployment", "default", "web")["status"][
        "conditions"] if c["type"] == "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert progressing["message"].endswith("has timed out progressing.")
    assert started + 120 <= progressing["lastTransitionTime"] <= started + 130
    # syncRolloutStatus (pkg/controller/deployment/progress.go) writes the condition and
    # records no Event; the simulator had recorded a Warning ProgressDeadlineExceeded
    assert not cluster.events.where(reason="ProgressDeadlineExceeded")
    assert sum(1 for p in cluster.pods() if p.ready) == 2       # the old pods keep serving


def test_selector_must_match_template_labels():
    cluster = KubernetesCluster(nodes(), seed=0)
    bad = deployment()
    bad["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    with pytest.raises(ValueError, match="`selector` does not match template `labels`"):
        cluster.apply(bad)
    expressions = deployment()
    expressions["spec"]["selector"] = {"matchExpressions": [
        {"key": "app", "operator": "In", "values": ["other"]}]}
    labels = expressions["spec"]["template"]["metadata"]["labels"]
    with pytest.raises(ValueError) as caught:      # the value as the API server prints it
        cluster.apply(expressions)
    shown = json.dumps(labels, sort_keys=True, separators=(",", ":"))
    assert str(caught.value).endswith(f"spec.template.metadata.labels: Invalid value: {shown}: "
                                      "`selector` does not match template `labels`")
    missing = deployment()
    del missing["spec"]["selector"]
    with pytest.raises(ValueError, match=r"spec\.selector: Required value"):
        cluster.apply(missing)
    missing["apiVersion"] = "extensions/v1beta1"          # defaulted from the template then
    cluster.apply(missing)
    cluster.run()
    assert len(cluster.pods()) == 3


def test_pod_rows_read_as_attributes_or_keys():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(pod("p", nodeName="ghost"))
    [row] = cluster.pods()
    assert row["node"] == row.node == "ghost" and row.reason == "NodeNotFound"
    assert row.as_dict()["phase"] == "Pending"
    with pytest.raises(KeyError):
        row["nope"]


def test_paused_rollout_waits_until_resumed():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment())
    cluster.run()
    cluster.rollout_pause("web")
    cluster.set_image("deployment", "web", "nginx:1.26")
    cluster.run()
    assert len(cluster.rollout_history("web")) == 1
    cluster.rollout_resume("web")
    cluster.run()
    assert [h["images"] for h in cluster.rollout_history("web")][-1] == ["nginx:1.26"]


def test_pods_get_addresses_from_their_nodes_range():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment(replicas=6))
    cluster.run()
    rows = cluster.pods()
    index = {name: i for i, name in enumerate(cluster.node_names())}
    assert all(p.ip.startswith(f"10.244.{index[p.node]}.") for p in rows)
    assert len({p.ip for p in rows}) == 6


def test_a_nodes_pod_range_stays_when_another_node_leaves():
    """A node's pod /24 is its own from its join: node-1 leaving had moved node-2's and
    node-3's ranges down, so a new pod took addresses of another node's range."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.remove_node("node-1")
    cluster.apply(deployment(replicas=4))
    cluster.run()
    ranges = {"node-2": "10.244.1.", "node-3": "10.244.2."}
    assert all(p.ip.startswith(ranges[p.node]) for p in cluster.pods())


def test_drain_respects_pod_disruption_budget():
    """With maxUnavailable 1, each further eviction waits until the previous pod's replacement
    is ready elsewhere (kubectl retries every 5 s)."""
    cluster = KubernetesCluster(nodes(2), seed=3)
    cluster.cordon("node-2")
    cluster.apply(deployment(replicas=3))
    cluster.apply({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                   "metadata": {"name": "web"},
                   "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}}})
    cluster.run()
    cluster.uncordon("node-2")
    assert {p.node for p in cluster.pods()} == {"node-1"}
    start = cluster.now
    assert len(cluster.drain("node-1")) == 3
    refused = [line for _, line in cluster.drain_log if "disruption budget" in line]
    assert refused and refused[0].endswith(
        "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption "
        "budget.")
    cluster.run()
    assert all(p.node == "node-2" and p.ready for p in cluster.pods())
    log = cluster.drain_log
    evictions = [t for (t, line), (_, after) in zip(log, [*log[1:], (0.0, "")], strict=True)
                 if line.startswith("evicting pod") and not after.startswith("error")]
    assert len(evictions) == 3 and evictions[0] == start
    assert evictions[1] >= start + 5 and evictions[2] > evictions[1]
    budget = cluster.get("PodDisruptionBudget", "default", "web")
    assert budget["status"]["desiredHealthy"] == 2


def test_crashing_container_backs_off_and_blocks_the_rollout():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment(replicas=2))
    cluster.run()
    broken = deployment(replicas=2, image="nginx:broken")
    broken["spec"]["template"]["metadata"]["annotations"] = {"clustersim.io/run-seconds": "2",
                                                             "clustersim.io/exit-code": "1"}
    cluster.apply(broken)
    cluster.run(until=cluster.now + 200)
    crashing = [p for p in cluster.pods() if p.reason == "CrashLoopBackOff"]
    assert crashing and not any(p.ready for p in crashing)
    backoffs = [e for e in cluster.events.where(reason="BackOff")
                if e.object == f"pod/{crashing[0].name}"]
    assert backoffs[0].type == "Warning"
    assert backoffs[0].message.startswith(f"Back-off restarting failed container main in pod "
                                          f"{crashing[0].name}_default(")
    gaps = [b.time - a.time for a, b in itertools.pairwise(backoffs)]
    assert gaps == sorted(gaps) and gaps[0] >= 10
    assert sum(1 for p in cluster.pods() if p.ready) >= 1          # old pods keep serving


def test_rolling_update_event_sequence_of_the_deployment_docs():
    """The docs' ``kubectl describe deployments`` example (3 replicas, default 25%/25%, so
    surge 1 and unavailable 0): up to 1, down to 2, up to 2, down to 1, up to 3, down to 0
    (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/)."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment(replicas=3))
    cluster.run()
    cluster.set_image("deployment", "web", "nginx:1.16.1")
    cluster.run()
    steps = [e.message.split(" replica set ")[0].split()[-1] + " " + e.message.split()[-1]
             for e in cluster.events.where(reason="ScalingReplicaSet")][1:]
    assert steps == ["up 1", "down 2", "up 2", "down 1", "up 3", "down 0"]


def test_priority_class_admission():
    cluster = KubernetesCluster(nodes(), seed=0)
    spec = deployment(replicas=1)
    spec["spec"]["template"]["spec"]["priorityClassName"] = "high"
    cluster.apply(spec)
    [failed] = cluster.events.where(reason="FailedCreate")
    assert failed.type == "Warning" and failed.object.startswith("replicaset/web-")
    assert failed.message.startswith('Error creating: pods "web-')
    assert failed.message.endswith("is forbidden: no PriorityClass with name high was found")
    cluster.apply({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                   "metadata": {"name": "high"}, "value": 1000})
    cluster.scale("deployment", "web", 1)          # any change makes the controller retry
    cluster.run()
    [row] = cluster.pods()
    assert cluster.get("Pod", "default", row.name)["spec"]["priority"] == 1000


def test_pending_pod_is_scheduled_when_resources_are_freed():
    cluster = KubernetesCluster(nodes(1, cpu="1"), seed=0)
    cluster.apply([pod("a", cpu="800m"), pod("b", cpu="800m")])
    cluster.run()
    assert {p.name: p.reason for p in cluster.pods()}["b"] == "Unschedulable"
    cluster.delete("pod", "a")
    cluster.run()
    [row] = cluster.pods()
    assert (row.name, row.node, row.ready) == ("b", "node-1", True)
    assert len(cluster.events.where(reason="FailedScheduling")) == 1


def test_run_returns_while_a_pod_crash_loops():
    cluster = KubernetesCluster(nodes(1), seed=0)
    crashing = pod("crash")
    crashing["metadata"]["annotations"] = {"clustersim.io/run-seconds": "3"}
    cluster.apply(crashing)
    cluster.run()
    assert cluster.now < 60 and cluster.pods()[0].reason == "CrashLoopBackOff"


def _web_behind_a_budget_of_all() -> KubernetesCluster:
    """Two nodes running two web Pods that a budget of ``minAvailable: 100%`` covers, settled."""
    cluster = KubernetesCluster(nodes(2), seed=3)
    cluster.apply(deployment(replicas=2))
    cluster.apply({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                   "metadata": {"name": "web"},
                   "spec": {"minAvailable": "100%", "selector": {"matchLabels": {"app": "web"}}}})
    cluster.run()
    return cluster


def test_drain_blocked_by_a_budget_that_cannot_be_met_does_not_hang_run():
    cluster = _web_behind_a_budget_of_all()
    cluster.drain("node-1")
    cluster.run()
    assert any(p.node == "node-1" for p in cluster.pods())    # kubectl drain keeps retrying
    cordoned, *lines = [line for _, line in cluster.drain_log]
    assert cordoned == "node/node-1 cordoned"
    assert all("disruption budget" in line for line in lines[1::2])


def test_a_drain_past_its_timeout_closes_with_kubectls_lines():
    """``--timeout``: a Pod still retried when it passes fails at its next attempt (``global
    timeout reached``, after its ``evicting pod`` line), and kubectl closes with the lines
    the real kubectl 1.37 prints against the served API; the Python API's drain had no
    timeout and retried for ever."""
    cluster = _web_behind_a_budget_of_all()
    [name] = [p.name for p in cluster.pods() if p.node == "node-1"]
    start = cluster.now
    drained = cluster.drain("node-1", timeout=7)
    cluster.run(until=start + 30)
    error = f'error when evicting pods/"{name}" -n "default": global timeout reached: 7s'
    assert list(drained) == [] and drained.errors == [error]
    assert cluster.drain_log[-7:] == [(start + 10, line) for line in (
        f"evicting pod default/{name}",
        f'There are pending pods in node "node-1" when an error occurred: {error}',
        f"pod/{name}",
        f'error: unable to drain node "node-1" due to error: {error}, continuing command...',
        "There are pending nodes to be drained:", " node-1", error)]
    assert [t for t, line in cluster.drain_log if line.startswith("evicting")] == [
        start, start + 5, start + 10]
    with pytest.raises(ValueError, match="timeout must be 0 or more seconds"):
        cluster.drain("node-2", timeout=-1)


@pytest.mark.parametrize(("timeout", "words"), [
    ("10s", "timeout is a number of seconds, such as 10 for kubectl's --timeout=10s, not the "
            "string '10s'"),
    (None, "not a value of type NoneType"),
    (True, "not a value of type bool"),
    (float("nan"), "not nan"),
    (float("inf"), "not inf"),
    (10 ** 400, "not a number too large for a float"),
    (1e10, "at most 9,223,372,037 (Go's longest Duration, about 292 years), not 10000000000.0"),
], ids=["string", "None", "bool", "nan", "inf", "huge-int", "past-int64-nanoseconds"])
def test_a_drain_refuses_a_timeout_kubectl_could_not_be_given(timeout, words):
    """kubectl's ``--timeout`` is a Go Duration: a string, None, a bool, NaN, an infinity or
    more nanoseconds than an int64 holds were a TypeError, an OverflowError or a wait for
    ever."""
    cluster = _web_behind_a_budget_of_all()
    with pytest.raises(ValueError, match=r"^timeout ") as refused:
        cluster.drain("node-1", timeout=timeout)
    assert words in str(refused.value)


def test_a_drain_timeout_under_a_nanosecond_is_kubectls_0_and_waits_for_ever():
    """A Duration holds whole nanoseconds: 1e-10 s is 0, which waits for ever, where it
    failed the Pod at once with ``global timeout reached: 0s``."""
    cluster = _web_behind_a_budget_of_all()
    drained = cluster.drain("node-1", timeout=1e-10)
    cluster.run(until=cluster.now + 30)
    assert drained.errors == [] and len(drained) == 1


def _web_behind_two_budgets(*more: dict) -> KubernetesCluster:
    """Two nodes running two web Pods that two budgets cover (each allowing one disruption,
    so every eviction of them is a 500), and ``more`` objects, settled."""
    cluster = KubernetesCluster(nodes(2), seed=3)
    cluster.apply(deployment(replicas=2))
    for manifest in more:
        cluster.apply(manifest)
    for name in ("web", "web-too"):
        cluster.apply({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                       "metadata": {"name": name},
                       "spec": {"maxUnavailable": 1,
                                "selector": {"matchLabels": {"app": "web"}}}})
    cluster.run()
    return cluster


def test_a_failed_drain_closes_once_the_evicted_pods_are_gone():
    """kubectl waits for every Pod (``evictPods``): with one Pod refused for good and
    another evicted, the closing lines come when the evicted Pod has gone, and name only the
    Pod left on the node."""
    pinned = deployment(name="api", replicas=1)
    pinned["spec"]["template"]["spec"]["nodeSelector"] = {"kubernetes.io/hostname": "node-1"}
    cluster = _web_behind_two_budgets(pinned)
    on_node = {p.name: p for p in cluster.pods() if p.node == "node-1"}
    [web] = [n for n in on_node if n.startswith("web")]
    [api] = [n for n in on_node if n.startswith("api")]
    start = cluster.now
    drained = cluster.drain("node-1")
    assert not any("There are pending" in line for _, line in cluster.drain_log)
    cluster.run(until=start + 120)
    gone = [t for t, line in cluster.drain_log if line.startswith("There are pending pods")]
    assert len(gone) == 1 and gone[0] > start
    assert cluster.get("Pod", "default", api) is None
    [evicted] = [t for t, line in cluster.drain_log if line == f"pod/{api} evicted"]
    assert evicted <= gone[0]
    [pending] = [line for _, line in cluster.drain_log
                 if line.startswith("pod/") and not line.endswith(" evicted")]
    assert pending == f"pod/{web}" and drained.errors[0].startswith(
        f'error when evicting pods/"{web}" -n "default": This pod has more than one')


def test_drain_logs_evicting_pod_before_every_attempt():
    """kubectl prints ``evicting pod <ns>/<name>`` before each eviction request, a refused one
    and each retry too (``evictPods`` in ``staging/src/k8s.io/kubectl/pkg/drain/drain.go``);
    the simulator had logged it only for an eviction that succeeded."""
    cluster = _web_behind_a_budget_of_all()
    [name] = [p.name for p in cluster.pods() if p.node == "node-1"]
    start = cluster.now
    cluster.drain("node-1")
    cluster.run(until=start + 6)
    refused = (f'error when evicting pods/"{name}" -n "default" (will retry after 5s): '
               "Cannot evict pod as it would violate the pod's disruption budget.")
    assert cluster.drain_log == [(start, "node/node-1 cordoned"),
                                 (start, f"evicting pod default/{name}"), (start, refused),
                                 (start + 5, f"evicting pod default/{name}"),
                                 (start + 5, refused)]


def test_min_ready_seconds_delays_the_old_pods_removal():
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment(replicas=1, strategy=strategy, minReadySeconds=20))
    cluster.run()
    cluster.set_image("deployment", "web", "nginx:1.26")
    cluster.run()
    new_pod = cluster.pods()[0].name
    ready_at = next(c["lastTransitionTime"] for c in cluster.get("Pod", "default", new_pod)[
        "status"]["conditions"] if c["type"] == "Ready")
    [down] = [e for e in cluster.events.where(reason="ScalingReplicaSet") if "down" in
              e.message]
    assert down.time == ready_at + 20


def test_node_controller_marks_pods_not_ready_without_a_reason_of_its_own():
    """The node controller wrote reason ``NodeNotReady`` on the Ready condition of the pods
    of a failed node; upstream's ``MarkPodsNotReady`` sets the status to False alone and
    records the pod's ``NodeNotReady`` event. The simulator's own view still says why."""
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(deployment(replicas=3))
    cluster.run()
    victim = next(p.name for p in cluster.pods() if p.node == "node-1")
    pod = cluster.get("Pod", "default", victim)
    before = dict(next(c for c in pod["status"]["conditions"] if c["type"] == "Ready"))
    failed_at = cluster.now
    cluster.fail_node("node-1")
    cluster.run(until=failed_at + 51)
    ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready.get("reason"), ready.get("message")) == (
        "False", before.get("reason"), before.get("message"))
    assert ready["lastTransitionTime"] == failed_at + 50
    [event] = cluster.events_about(pod, "NodeNotReady")
    assert (event.type, event.message) == ("Warning", "Node is not ready")
    assert next(p for p in cluster.pods() if p.name == victim).reason == "NodeNotReady"
    others = [p for p in cluster.pods() if p.node != "node-1"]
    assert others and all(p.reason == "" for p in others)


def test_not_ready_node_gets_the_not_ready_taint_and_evicted_pods_go_away():
    cluster = KubernetesCluster(nodes(), seed=1)
    cluster.apply(deployment(replicas=3))
    cluster.run()
    victim = next(p.name for p in cluster.pods() if p.node == "node-1")
    failed_at = cluster.now
    cluster.fail_node("node-1", reason="not-ready")
    cluster.run(until=failed_at + 11)
    [event] = cluster.events.where(reason="NodeNotReady", object="node/node-1")
    assert event.time == failed_at + 10
    keys = {(t["key"], t["effect"]) for t in cluster.node("node-1").taints}
    assert ("node.kubernetes.io/not-ready", "NoExecute") in keys
    cluster.run(until=failed_at + 330)
    [eviction] = cluster.events.where(reason="TaintManagerEviction")
    assert eviction.time == failed_at + 310
    names = {p.name for p in cluster.pods()}
    assert victim not in names and len(names) == 3      # the live kubelet stopped it
    with pytest.raises(ValueError, match="reason must be"):
        cluster.fail_node("node-2", reason="sad")


def test_broken_image_crash_loops_and_undo_recovers():
    """With minReadySeconds a container that crashes after 1 s never counts as available,
    so maxUnavailable 0 (25% of 3, rounded down) keeps all three old pods."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment(replicas=3, minReadySeconds=10))
    cluster.run()
    cluster.fail_image("nginx:bad", after=1)
    cluster.set_image("deployment", "web", "nginx:bad")
    cluster.run(until=cluster.now + 120)
    rows = cluster.pods()
    assert [p.reason for p in rows if not p.ready] == ["CrashLoopBackOff"]   # surge 1
    assert sum(1 for p in rows if p.ready) == 3
    cluster.rollout_undo("web")
    cluster.run(until=cluster.now + 120)
    rows = [p for p in cluster.pods() if p.reason != "Terminating"]
    assert len(rows) == 3 and all(p.ready for p in rows)
    with pytest.raises(ValueError, match="after"):
        cluster.fail_image("x", after=-1)


def test_taint_no_execute_evicts_and_untaint_reopens_the_node():
    cluster = KubernetesCluster(nodes(1), seed=0)
    cluster.apply(pod("p"))
    cluster.run()
    cluster.taint("node-1", "maintenance", "NoExecute", "true")
    cluster.run()
    assert cluster.pods() == []
    [eviction] = cluster.events.where(reason="TaintManagerEviction")
    assert eviction.message == "Marking for deletion Pod default/p"
    cluster.apply(pod("q"))
    cluster.run()
    assert cluster.pods()[0].reason == "Unschedulable"
    cluster.untaint("node-1", "maintenance")
    cluster.run()
    assert cluster.pods()[0].node == "node-1"
    with pytest.raises(ValueError, match="effect"):
        cluster.taint("node-1", "k", "Sometimes")


def test_a_taint_carries_no_time_added_and_its_toleration_seconds_still_count():
    """``kubectl taint`` sends no ``timeAdded`` (kubernetes/kubernetes#98482; it had been
    stamped): the Pod that tolerates the taint for 30 seconds goes 30 seconds after it
    came, though another taint comes meanwhile."""
    cluster = KubernetesCluster(nodes(1), seed=0)
    cluster.apply(pod("p", tolerations=[{"key": "maintenance", "operator": "Exists",
                                         "effect": "NoExecute", "tolerationSeconds": 30}]))
    cluster.run()
    start = cluster.now
    cluster.taint("node-1", "maintenance", "NoExecute")
    assert cluster.node("node-1").taints == [{"key": "maintenance", "effect": "NoExecute"}]
    cluster.run(until=start + 20)
    cluster.taint("node-1", "other", "NoSchedule")
    cluster.run(until=start + 29)
    assert [p.name for p in cluster.pods()] == ["p"]
    cluster.run(until=start + 31)
    [eviction] = cluster.events.where(reason="TaintManagerEviction")
    assert eviction.time == pytest.approx(start + 30)



def test_a_node_added_again_under_a_deleted_ones_name_counts_its_taints_afresh():
    """The eviction controller remembered when it first saw a taint by node name, key and
    value, and a deleted node's memory outlived it: the same name added back and tainted
    later evicted a Pod tolerating 30 seconds at once."""
    cluster = KubernetesCluster(nodes(1), seed=0)
    cluster.taint("node-1", "maintenance", "NoExecute")
    cluster.run(until=100)
    cluster.remove_node("node-1")
    cluster.add_node(nodes(1)[0])
    cluster.apply(pod("p", tolerations=[{"key": "maintenance", "operator": "Exists",
                                         "effect": "NoExecute", "tolerationSeconds": 30}]))
    cluster.run(until=500)
    cluster.taint("node-1", "maintenance", "NoExecute")
    cluster.run(until=540)
    [eviction] = cluster.events.where(reason="TaintManagerEviction")
    assert eviction.time == pytest.approx(530)

def test_a_node_keeps_its_join_and_one_that_joins_again_is_new():
    """Each join is numbered once and timed (``NodeJoin``): another node leaving moves no
    join, and a node of the same name that joins again is a new one."""
    cluster = KubernetesCluster(nodes(3), seed=0)
    first = {name: cluster.node_joined(name) for name in cluster.node_names()}
    cluster.run(until=100)
    cluster.remove_node("node-1")
    assert {name: cluster.node_joined(name) for name in cluster.node_names()} == {
        name: first[name] for name in ("node-2", "node-3")}
    cluster.add_node(nodes(1)[0])
    again = cluster.node_joined("node-1")
    assert again.serial not in {j.serial for j in first.values()} and again.time == 100
    cluster.remove_node("node-1")
    with pytest.raises(ValueError, match="no node named 'node-1'"):
        cluster.node_joined("node-1")


def test_immutable_fields_are_refused_on_apply():
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment())
    moved = deployment()
    moved["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "x"}}
    moved["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    with pytest.raises(ValueError,
                       match=r"spec\.selector: Invalid value: \{\.\.\.\}: field is immutable"):
        cluster.apply(moved)
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
           "spec": {"replicas": 1, "serviceName": "db",
                    "selector": {"matchLabels": {"app": "db"}},
                    "template": {"metadata": {"labels": {"app": "db"}},
                                 "spec": {"containers": [{"name": "db", "image": "db:1"}]}}}}
    cluster.apply(sts)
    sts["spec"]["serviceName"] = "other"
    with pytest.raises(ValueError, match="Forbidden: updates to statefulset spec for fields "
                       "other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
                       "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
                       r"'minReadySeconds' are forbidden$"):   # upstream names no field
        cluster.apply(sts)
    sts["spec"]["serviceName"] = "db"
    sts["spec"]["replicas"] = 2
    assert cluster.apply(sts) == ["statefulset.apps/db configured"]
    sts["spec"]["revisionHistoryLimit"] = 3        # mutable since v1.35
    assert cluster.apply(sts) == ["statefulset.apps/db configured"]


def test_negative_grace_period_is_treated_as_one_second():
    """pkg/api/pod/warnings.go: a negative terminationGracePeriodSeconds is kept (with a
    warning) and treated as 1; the kubelet used to schedule its stop at a negative delay."""
    cluster = KubernetesCluster(nodes(1), seed=0)
    cluster.apply(pod("short", terminationGracePeriodSeconds=-5))
    cluster.run(until=30)
    cluster.delete("Pod", "short")
    cluster.run(until=cluster.now + 1.5)
    assert [p.name for p in cluster.pods()] == []


def test_apply_of_a_changed_pod_updates_what_a_pod_update_may_change():
    """``apply`` of a changed Pod is a Pod update (``ValidatePodUpdate``): its labels and
    annotations, its containers' images (the kubelet restarts them), added tolerations, a
    lower deadline and removed scheduling gates change; anything else is refused in the API
    server's words. Every change of a Pod was refused ("delete it and create it again")."""
    cluster = KubernetesCluster(nodes(), seed=0)
    gated = pod("web", schedulingGates=[{"name": "example.com/queue"}],
                activeDeadlineSeconds=600)
    cluster.apply(gated)
    cluster.run(until=10)
    changed = copy.deepcopy(gated)
    changed["metadata"]["labels"]["tier"] = "front"
    changed["metadata"]["annotations"] = {"owner": "ops"}
    changed["spec"].update(tolerations=[{"key": "gpu", "operator": "Exists"}],
                           activeDeadlineSeconds=300)
    del changed["spec"]["schedulingGates"]
    assert cluster.apply(changed) == ["pod/web configured"]
    cluster.run(until=40)
    stored = cluster.get("Pod", "default", "web")
    assert stored["metadata"]["labels"] == {"a": "web", "tier": "front"}
    assert stored["metadata"]["annotations"]["owner"] == "ops"
    assert [t["key"] for t in stored["spec"]["tolerations"]] == [
        "gpu", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
    assert stored["spec"]["activeDeadlineSeconds"] == 300 and stored["status"]["phase"] == \
        "Running"
    assert stored["metadata"]["generation"] == 2
    changed["spec"]["containers"][0]["image"] = "busybox:1.37"
    assert cluster.apply(changed) == ["pod/web configured"]
    cluster.run(until=80)
    assert cluster.kubelet.restarts(stored)["c"].count == 1 and cluster.pods()[0].ready
    [killed] = cluster.events.where(reason="Killing", object="pod/web")
    assert killed.message == "Container c definition changed, will be restarted"
    forbidden = 'Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other'
    for field, value in (("restartPolicy", "Never"), ("activeDeadlineSeconds", 900),
                         ("tolerations", []), ("schedulingGates", [{"name": "again"}])):
        refused = copy.deepcopy(changed)
        refused["spec"][field] = value
        with pytest.raises(ValueError, match="invalid") as refusal:
            cluster.apply(refused)
        assert field in str(refusal.value) or str(refusal.value).startswith(forbidden)
    port = copy.deepcopy(changed)
    port["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    with pytest.raises(ValueError, match="Forbidden: pod updates may not change fields"):
        cluster.apply(port)


def test_apply_drops_the_status_a_manifest_sends():
    """The Pod strategy's PrepareForCreate resets a new Pod's status (the served API drops
    it too); ``apply`` kept it, and a Ready condition with an RFC 3339 time made
    ``pods()`` fail once the node controller had tainted the node."""
    cluster = KubernetesCluster(nodes(), seed=0)
    sent = pod("p", nodeName="node-1")
    sent["status"] = {"phase": "Succeeded", "conditions": [{
        "type": "Ready", "status": "False", "lastTransitionTime": "2020-01-01T00:00:00Z"}]}
    cluster.apply(sent)
    assert cluster.get("Pod", "default", "p")["status"]["phase"] == "Pending"
    cluster.run()
    cluster.fail_node("node-1")
    cluster.run(until=cluster.now + 100)
    assert [(p.name, p.reason) for p in cluster.pods()] == [("p", "NodeNotReady")]
    web = deployment(replicas=1)
    web["status"] = {"replicas": 7, "readyReplicas": 7}
    cluster.apply(web)
    assert cluster.get("Deployment", "default", "web")["status"].get("replicas") != 7


def test_apply_stores_the_content_of_kinds_without_a_spec():
    """A Role's rules and a ServiceAccount's fields changed by a second apply were answered
    ``configured`` and not stored: an update wrote only a spec or a ConfigMap's data."""
    cluster = KubernetesCluster(nodes(), seed=0)
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "reader"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}
    account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "ci"},
               "automountServiceAccountToken": False}
    cluster.apply([copy.deepcopy(role), copy.deepcopy(account)])
    role["rules"][0]["verbs"].append("list")
    account["automountServiceAccountToken"] = True
    assert cluster.apply([copy.deepcopy(role), copy.deepcopy(account)]) == [
        "role.rbac.authorization.k8s.io/reader configured", "serviceaccount/ci configured"]
    assert cluster.get("Role", "default", "reader")["rules"][0]["verbs"] == ["get", "list"]
    assert cluster.get("ServiceAccount", "default", "ci")["automountServiceAccountToken"] is True
    assert cluster.apply([role, account]) == [
        "role.rbac.authorization.k8s.io/reader unchanged", "serviceaccount/ci unchanged"]


def _running_web() -> tuple[KubernetesCluster, dict[str, Any], set[str]]:
    """A Deployment of 3 Pods 30 s in: the cluster, its ReplicaSet and its Pods' names."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment())
    cluster.run(until=30)
    [rs] = cluster.objects("ReplicaSet")
    return cluster, rs, {p.name for p in cluster.pods()}


def test_delete_with_orphan_cascade_keeps_the_replicaset_and_its_pods():
    cluster, rs, pods = _running_web()
    cluster.delete("deployment", "web", cascade="orphan")
    cluster.run(until=60)
    assert cluster.get("Deployment", "default", "web") is None
    assert cluster.objects("ReplicaSet") == [rs] and "ownerReferences" not in rs["metadata"]
    assert {p.name for p in cluster.pods()} == pods        # still the ReplicaSet's
    with pytest.raises(ValueError, match="cascade must be"):
        cluster.delete("replicaset", rs["metadata"]["name"], cascade="sideways")


def test_delete_with_foreground_cascade_keeps_the_deployment_until_its_pods_are_gone():
    """The owner stays, marked and with the ``foregroundDeletion`` finalizer, while its
    dependents go first; its ReplicaSet makes no Pod for those terminating meanwhile."""
    cluster, rs, pods = _running_web()
    cluster.delete("deployment", "web", cascade="foreground")
    web = cluster.get("Deployment", "default", "web")
    assert web["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert web["metadata"]["deletionTimestamp"] == 30
    assert rs["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert {p["metadata"]["name"] for p in cluster.objects("Pod")
            if p["metadata"].get("deletionTimestamp") is not None} == pods
    assert len(cluster.events_about(rs, "SuccessfulCreate")) == 3     # none since
    cluster.scale("deployment", "web", 5)         # stored; its controller does not roll it out
    assert rs["spec"]["replicas"] == 3 and cluster.get("Deployment", "default", "web") is web
    cluster.run(until=60)
    assert cluster.get("Deployment", "default", "web") is None
    assert not cluster.objects("ReplicaSet") and not cluster.objects("Pod")
    assert len(cluster.events_about(rs, "SuccessfulCreate")) == 3


@pytest.mark.parametrize("kind, spec", [
    ("StatefulSet", {"replicas": 2, "serviceName": "db"}),
    ("DaemonSet", {}),
])
def test_foreground_deletion_of_a_workload_waits_for_its_pods_and_makes_none(kind, spec):
    """Its controller neither makes Pods nor records a revision while it is being deleted,
    so nothing new blocks it and it goes once its Pods are gone."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "db"},
                   "spec": {**spec, "selector": {"matchLabels": {"app": "db"}},
                            "template": deployment("db")["spec"]["template"]}})
    cluster.run(until=60)
    owner = cluster.get(kind, "default", "db")
    created = len(cluster.events_about(owner, "SuccessfulCreate"))
    assert created and len(cluster.objects("Pod")) == created
    cluster.delete(kind, "db", cascade="foreground")
    assert owner["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert cluster.get(kind, "default", "db") is owner
    cluster.run(until=120)
    assert cluster.get(kind, "default", "db") is None and not cluster.objects("Pod")
    assert len(cluster.events_about(owner, "SuccessfulCreate")) == created


def test_foreground_deletion_of_an_owner_without_dependents_removes_it_at_once():
    """A ReplicaSet of no Pods goes at once, and with it the Deployment waiting for it."""
    cluster = KubernetesCluster(nodes(), seed=0)
    cluster.apply(deployment(replicas=0))
    cluster.run(until=5)
    assert len(cluster.objects("ReplicaSet")) == 1
    cluster.delete("deployment", "web", cascade="foreground")
    assert cluster.get("Deployment", "default", "web") is None
    assert not cluster.objects("ReplicaSet")


def _web() -> KubernetesCluster:
    cluster = KubernetesCluster(Node.many(2, "n", cpu=2, memory="4Gi"), seed=0)
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                   "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": [{"name": "web",
                                                                  "image": "nginx:1.27"}]}}}})
    return cluster


@pytest.mark.parametrize(("call", "words"), [
    (lambda c: c.scale(None, "web", 1), "kind must be a string, such as 'Deployment', got None"),
    (lambda c: c.scale(5, "web", 1), "kind must be a string"),
    (lambda c: c.delete("Deployment", 5), "name must be a string, such as 'web', got 5"),
    (lambda c: c.set_image("Deployment", "web", None), "image must be a string"),
    (lambda c: c.set_image("Deployment", "web", 5), "image must be a string"),
])
def test_an_argument_of_the_wrong_type_is_a_type_error(call, words) -> None:
    """AttributeError inside _workload, or an image of None stored and rolled out."""
    cluster = _web()
    with pytest.raises(TypeError, match=re.escape(words)):
        call(cluster)
    assert cluster.get("Deployment", "default", "web")["spec"]["template"]["spec"][
        "containers"][0]["image"] == "nginx:1.27"


@pytest.mark.parametrize(("call", "words"), [
    (lambda c: c.set_image("Deployment", "web", ""), 'Deployment.apps "web" is invalid: '
     "spec.template.spec.containers[0].image: Required value"),
    (lambda c: c.fail_image("nginx:1.27", after=math.nan), "after must be a finite number"),
    (lambda c: c.fail_image("nginx:1.27", after=math.inf), "after must be a finite number"),
    (lambda c: c.fail_image("nginx:1.27", exit_code="x"), "exit_code must be a whole number"),
])
def test_a_bad_image_or_failure_is_a_value_error(call, words) -> None:
    cluster = _web()
    with pytest.raises(ValueError, match=re.escape(words)):
        call(cluster)
    assert cluster.get("Deployment", "default", "web")["metadata"]["generation"] == 1


@pytest.mark.parametrize(("kind", "api_version", "named"), [
    ("ReplicationController", "v1", "ReplicationController"),
    ("Job", "batch/v1", "Job.batch"),
    ("StatefulSet", "apps/v1", "StatefulSet.apps")])
def test_an_empty_image_names_the_kind_by_its_group(kind, api_version, named) -> None:
    """``errors.NewInvalid`` names the kind as ``GroupKind.String`` prints it, which leaves
    out the core group's empty name."""
    cluster = KubernetesCluster([Node("node-1", cpu=2, memory="4Gi")])
    template = {"metadata": {"labels": {"app": "rc"}}, "spec": {
        "restartPolicy": "Never" if kind == "Job" else "Always",
        "containers": [{"name": "app", "image": "nginx:1.27"}]}}
    cluster.create({"apiVersion": api_version, "kind": kind, "metadata": {"name": "rc"},
                    "spec": {"selector": {"matchLabels": {"app": "rc"}} if kind == "StatefulSet"
                             else {"app": "rc"}, "template": template}
                    if kind != "Job" else {"template": template}})
    with pytest.raises(ValueError, match=re.escape(
            f'{named} "rc" is invalid: spec.template.spec.containers[0].image: Required '
            "value")):
        cluster.set_image(kind, "rc", "")


def _web_pods(cluster: KubernetesCluster) -> list[dict]:
    return [p for p in cluster.objects("Pod") if p["metadata"]["name"].startswith("web-")]


def test_an_image_the_api_server_stores_but_the_kubelet_cannot_parse_is_invalid_image_name():
    """The API server requires a template's image and nothing more: set_image had refused
    "NGINX" itself. The kubelet's applyDefaultImageTag cannot parse it, so the new Pod's
    container waits with InvalidImageName and its events say why, again after each back-off;
    a good image then rolls out."""
    cluster = _web()
    cluster.run(until=30)
    cluster.set_image("Deployment", "web", "NGINX")
    cluster.run(until=60)
    [new] = [p for p in _web_pods(cluster) if p["spec"]["containers"][0]["image"] == "NGINX"]
    assert new["status"]["reason"] == "InvalidImageName"
    words = ('Failed to apply default image tag "NGINX": couldn\'t parse image name "NGINX": '
             "invalid reference format: repository name (library/NGINX) must be lowercase")
    inspect = cluster.events_about(new, "InspectFailed")
    assert {e.message for e in inspect} == {words}
    times = [e.time for e in inspect]                  # a sync every backOffPeriod
    assert len(times) >= 3 and {b - a for a, b in itertools.pairwise(times)} == {10.0}
    assert {e.message for e in cluster.events_about(new, "Failed")} == {
        "Error: InvalidImageName"}
    assert not cluster.events_about(new, "Pulling")
    cluster.set_image("Deployment", "web", "nginx:1.28")
    cluster.run(until=120)
    assert [p["spec"]["containers"][0]["image"] for p in _web_pods(cluster)
            if p["status"].get("phase") == "Running"] == ["nginx:1.28"]


def test_a_template_image_with_whitespace_is_stored_and_its_pods_are_refused():
    """validateContainersOnlyForPod refuses it on a Pod only: the ReplicaSet controller's
    creates fail, FailedCreate in the API server's words."""
    cluster = _web()
    cluster.run(until=30)
    cluster.set_image("Deployment", "web", " nginx:1.28")
    cluster.run(until=60)
    assert cluster.get("Deployment", "default", "web")["metadata"]["generation"] == 2
    refused = {e.message.partition(" is invalid: ")[2]
               for e in cluster.events.where(reason="FailedCreate")}   # each names its Pod
    assert refused == {'spec.containers[0].image: Invalid value: '
                       '" nginx:1.28": must not have leading or trailing whitespace'}
    with pytest.raises(AdmissionError, match="must not have leading or trailing whitespace"):
        cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo"},
                       "spec": {"containers": [{"name": "a", "image": "nginx:1.27\t"}]}})


def test_the_pods_stamped_at_one_instant_share_its_timestamp():
    """An apply of 150,000 Pods stamps each several times at 0 s (creation, start, the
    conditions, the events): one float for the instant, not one for each stamp."""
    k = KubernetesCluster(Node.many(2, "node", cpu="4", memory="8Gi"))
    k.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
             "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                      "template": {"metadata": {"labels": {"app": "web"}},
                                   "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    pods = k.objects("Pod")
    stamps = [p["metadata"]["creationTimestamp"] for p in pods] + \
        [p["status"]["startTime"] for p in pods]
    assert len(pods) == 3 and stamps[0] == 0.0
    assert len({id(s) for s in stamps}) == 1


def test_drain_marks_each_evicted_pod_as_a_disruption_target():
    """The eviction subresource writes ``DisruptionTarget`` (``EvictionByEvictionAPI``) on a
    Pod before it deletes it (``addConditionAndDeletePod`` in ``eviction.go``): a Job's
    ``podFailurePolicy`` reads it. The Python API's drain had deleted the Pod bare."""
    cluster = KubernetesCluster(nodes(2), seed=3)
    cluster.apply(deployment(replicas=2))
    cluster.run()
    [name] = [p.name for p in cluster.pods() if p.node == "node-1"]
    cluster.drain("node-1")
    evicted = cluster.get("Pod", "default", name)
    assert evicted["metadata"].get("deletionTimestamp") is not None
    [condition] = [c for c in evicted["status"]["conditions"] if c["type"] == "DisruptionTarget"]
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "True", "EvictionByEvictionAPI", "Eviction API: evicting")


def test_drain_does_not_evict_a_pod_that_two_budgets_cover():
    """Two budgets that each allow a disruption: the eviction subresource still refuses the
    Pod, a 500 that kubectl does not retry (``eviction.go``, ``drain.go``); the Python API's
    drain had asked each budget and evicted it. kubectl returns that error rather than
    print it, and closes with it (``RunDrain``, as the real kubectl 1.37 prints it against
    the served API); the drain log had shown it alone, as kubectl never does."""
    cluster = _web_behind_two_budgets()
    [name] = [p.name for p in cluster.pods() if p.node == "node-1"]
    drained = cluster.drain("node-1")
    cluster.run(until=cluster.now + 60)
    assert cluster.get("Pod", "default", name)["metadata"].get("deletionTimestamp") is None
    error = (f'error when evicting pods/"{name}" -n "default": This pod has more than one '
             "PodDisruptionBudget, which the eviction subresource does not support.")
    assert [line for _, line in cluster.drain_log] == [
        "node/node-1 cordoned", f"evicting pod default/{name}",
        f'There are pending pods in node "node-1" when an error occurred: {error}',
        f"pod/{name}",
        f'error: unable to drain node "node-1" due to error: {error}, continuing command...',
        "There are pending nodes to be drained:", " node-1", error]
    assert name not in drained and drained.errors == [error]


def test_drain_reports_a_retried_pod_that_later_fails_for_good():
    """A Pod kubectl retries after a 429 whose next attempt is a 500 (a second budget came)
    leaves the returned list for its errors: kubectl's ``evictPods`` ends for it with
    ``error when evicting pods/...``. The Python API's drain had listed every Pod it tried."""
    cluster = KubernetesCluster(nodes(2), seed=3)
    cluster.apply(deployment(replicas=2))
    budget = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
              "metadata": {"name": "web"},
              "spec": {"minAvailable": "100%", "selector": {"matchLabels": {"app": "web"}}}}
    cluster.apply(budget)
    cluster.run()
    [name] = [p.name for p in cluster.pods() if p.node == "node-1"]
    drained = cluster.drain("node-1")
    assert list(drained) == [name] and drained.errors == []
    cluster.apply({**budget, "metadata": {"name": "web-too"}})
    cluster.run(until=cluster.now + 6)
    assert list(drained) == [] and len(drained.errors) == 1
    assert drained.errors[0].startswith(f'error when evicting pods/"{name}" -n "default": ')


def test_a_successful_drain_logs_kubectls_lines_in_its_order():
    """What kubectl drain prints when every Pod goes (``RunDrain`` in kubernetes/kubectl
    ``pkg/cmd/drain/drain.go``, ``evictPods`` and ``waitForDelete`` in ``pkg/drain/drain.go``,
    and the real kubectl against the served API): the node cordoned, ``evicting pod``
    for each Pod, ``pod/<name> evicted`` at kubectl's first look (each second from its
    eviction) after the Pod is gone, then the node drained. The drain log had held the
    ``evicting pod`` lines alone."""
    cluster = KubernetesCluster(nodes(2), seed=0)
    cluster.apply(deployment(replicas=2))
    cluster.run()
    on_node = sorted(p.name for p in cluster.pods() if p.node == "node-1")
    start = cluster.now
    cluster.drain("node-1")
    cluster.run()
    lines = [line for _, line in cluster.drain_log]
    assert lines == ["node/node-1 cordoned",
                     *(f"evicting pod default/{name}" for name in on_node),
                     *(f"pod/{name} evicted" for name in on_node), "node/node-1 drained"]
    times = [t - start for t, _ in cluster.drain_log]
    assert all(t == round(t) for t in times)        # kubectl looks once a second
    assert times[-1] == times[-2] > 0
    cluster.drain("node-1")         # cordoned and empty: nothing to evict
    assert cluster.drain_log[-2:] == [(cluster.now, "node/node-1 already cordoned"),
                                      (cluster.now, "node/node-1 drained")]
