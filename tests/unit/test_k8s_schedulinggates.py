"""Pod scheduling readiness (KEP-3521): gated Pods stay Pending, marked SchedulingGated, until
their last gate is removed. The PreEnqueue message is upstream's TestPreEnqueue case
(pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates_test.go)."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.objects import condition
from clustersim.kubernetes.schedulinggates import pre_enqueue


def gated_pod(name="job-0", gates=("example.com/quota", "example.com/topology")):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"schedulingGates": [{"name": g} for g in gates],
                     "containers": [{"name": "c", "image": "busybox:1.36",
                                     "resources": {"requests": {"cpu": "100m"}}}]}}


def test_pre_enqueue_upstream_case():
    assert pre_enqueue(gated_pod(gates=("foo", "bar"))) == "waiting for scheduling gates: [foo bar]"
    assert pre_enqueue(gated_pod(gates=())) == ""


def test_gated_pod_waits_until_the_last_gate_is_removed():
    cluster = KubernetesCluster(Node.many(2, "node", cpu="2", memory="4Gi"), seed=0)
    cluster.apply(gated_pod())
    cluster.run(until=30)
    [row] = cluster.pods()
    assert (row.phase, row.node, row.reason) == ("Pending", None, "SchedulingGated")
    pod = cluster.get("Pod", "default", "job-0")
    cond = condition(pod, "PodScheduled")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "SchedulingGated", "Scheduling is blocked due to non-empty scheduling gates")
    assert not cluster.events.where(reason="FailedScheduling")      # never even tried

    cluster.remove_scheduling_gate("job-0", "example.com/quota")
    cluster.run(until=60)
    assert cluster.pods()[0].reason == "SchedulingGated"

    cluster.remove_scheduling_gate("job-0", "example.com/topology")
    cluster.run(until=90)
    [row] = cluster.pods()
    assert row.node is not None and row.phase == "Running"
    assert "schedulingGates" not in pod["spec"]
    [scheduled] = cluster.events.where(reason="Scheduled")
    assert scheduled.time == 60.0


def test_gates_can_only_be_removed():
    cluster = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    cluster.apply(gated_pod(gates=("a",)))
    with pytest.raises(ValueError, match=r"has no scheduling gate 'b' \(it has: a\)"):
        cluster.remove_scheduling_gate("job-0", "b")


def test_gated_template_gates_every_replica():
    cluster = KubernetesCluster(Node.many(2, "node", cpu="2", memory="4Gi"), seed=0)
    template = gated_pod(gates=("hold",))
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"},
                   "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "w"}},
                            "template": {"metadata": {"labels": {"app": "w"}},
                                         "spec": template["spec"]}}})
    cluster.run(until=30)
    assert [p.reason for p in cluster.pods()] == ["SchedulingGated"] * 3


def test_a_gate_must_be_a_mapping_with_a_name():
    cluster = KubernetesCluster(Node.many(1, "node", cpu="2", memory="4Gi"), seed=0)
    bad = gated_pod()
    bad["spec"]["schedulingGates"] = ["example.com/queue"]
    with pytest.raises(ValueError, match=r"spec.schedulingGates\[0\]: cannot unmarshal string "
                       "into Go struct field PodSpec.spec.schedulingGates of type "
                       "v1.PodSchedulingGate"):
        cluster.apply(bad)
    assert cluster.pods() == []


def test_a_gated_pod_is_not_created_bound_to_a_node():
    """ValidatePodCreate: nodeName is forbidden while gates remain (the simulator had bound and
    run such a Pod); nothing is stored."""
    cluster = KubernetesCluster(Node.many(2, "node", cpu="2", memory="4Gi"), seed=0)
    pod = gated_pod()
    pod["spec"]["nodeName"] = "node-1"
    with pytest.raises(ValueError) as refused:
        cluster.apply(pod)
    assert str(refused.value) == ('Pod "job-0" is invalid: spec.nodeName: Forbidden: cannot be '
                                  "set until all schedulingGates have been cleared")
    assert cluster.pods() == []
    del pod["spec"]["schedulingGates"]
    cluster.apply(pod)                  # without gates nodeName binds it, as before
    cluster.run(until=30)
    assert [row.node for row in cluster.pods()] == ["node-1"]
