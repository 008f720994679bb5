"""When the simulated kube-scheduler tries an unschedulable Pod again, and the
``FailedScheduling`` event it records at every failed attempt (``handleSchedulingFailure`` in
kubernetes/kubernetes ``pkg/scheduler/schedule_one.go``).

The scheduling queue (``pkg/scheduler/backend/queue/scheduling_queue.go``) moves a Pod back
from its unschedulable pods on an event that may make it fit (queueing hints; a bound pod
moves back only the pods with cross-topology terms, ``AssignedPodAdded``), and at the flush
every 30 s of the pods there for more than 5 minutes (``flushUnschedulablePodsLeftover``)."""

from __future__ import annotations

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from tests.unit.test_k8s_cluster import nodes, pod


def _attempts(cluster: KubernetesCluster, name: str) -> list[float]:
    return [e.time for e in cluster.events.where(reason="FailedScheduling", object=f"pod/{name}")]


def test_a_pod_that_never_fits_is_tried_again_at_the_first_flush_after_five_minutes():
    cluster = KubernetesCluster(nodes(2, cpu="2"))
    cluster.run(until=10)
    cluster.apply(pod("big", cpu="8"))
    cluster.run(until=1200)
    # the flush ticks at 30 s multiples and moves a pod unschedulable for more than 300 s
    assert _attempts(cluster, "big") == [10.0, 330.0, 660.0, 990.0]
    messages = {e.message for e in cluster.events.where(reason="FailedScheduling")}
    assert messages == {"0/2 nodes are available: 2 Insufficient cpu. no new claims to "
                        "deallocate, preemption: 0/2 nodes are available: 2 Preemption is not "
                        "helpful for scheduling."}
    # the condition is updated once: its message did not change (updatePod)
    [condition] = [c for c in cluster.get("Pod", "default", "big")["status"]["conditions"]
                   if c["type"] == "PodScheduled"]
    assert condition["lastTransitionTime"] == 10.0


def test_run_without_until_does_not_wait_for_the_flush():
    cluster = KubernetesCluster(nodes(1, cpu="1"))
    cluster.apply(pod("big", cpu="8"))
    cluster.run()
    assert cluster.now < 300 and _attempts(cluster, "big") == [0.0]


def test_a_node_event_moves_the_pod_back_and_records_another_failure():
    cluster = KubernetesCluster(nodes(2, cpu="2"))
    cluster.apply(pod("big", cpu="8"))
    cluster.run(until=20)
    cluster.cordon("node-1")
    cluster.run(until=40)
    cluster.uncordon("node-1")
    cluster.run(until=60)
    assert _attempts(cluster, "big") == [0.0, 20.0, 40.0]
    # the next flush counts from the last attempt: 40 + 300 < 360
    cluster.run(until=400)
    assert _attempts(cluster, "big") == [0.0, 20.0, 40.0, 360.0]
    cluster.add_node(Node("node-9", cpu="16", memory="32Gi"))
    cluster.run(until=420)
    assert cluster.get("Pod", "default", "big")["spec"]["nodeName"] == "node-9"
    cluster.run(until=1200)
    assert len(_attempts(cluster, "big")) == 4             # bound: no flush tries it again


def test_a_bound_pod_moves_back_only_pods_whose_terms_look_at_other_pods():
    cluster = KubernetesCluster(nodes(2, cpu="2"))
    follower = pod("follower", affinity={"podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"a": "leader"}},
             "topologyKey": "kubernetes.io/hostname"}]}})
    cluster.apply([pod("big", cpu="8"), follower])
    cluster.run(until=30)
    assert _attempts(cluster, "big") == [0.0] and _attempts(cluster, "follower") == [0.0]
    cluster.apply(pod("leader"))
    cluster.run(until=40)
    # the leader's binding moves the follower back, which now fits; big, short of CPU, waits
    assert cluster.get("Pod", "default", "follower")["spec"]["nodeName"]
    assert _attempts(cluster, "big") == [0.0] and _attempts(cluster, "follower") == [0.0]


def test_a_pod_moved_back_during_a_pass_is_tried_in_its_turn_in_that_pass():
    """The leader, first in the queue by its priority, is bound; that moves the follower
    back, which comes before the newer ``big`` in the queue's order and is tried before it in
    the same pass, as a walk of every waiting pod in order would try it."""
    cluster = KubernetesCluster(nodes(2, cpu="2"))
    cluster.apply(pod("follower", affinity={"podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"a": "leader"}},
             "topologyKey": "kubernetes.io/hostname"}]}}))
    cluster.run(until=10)
    assert _attempts(cluster, "follower") == [0.0]
    cluster.apply([{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": "high"}, "value": 1000},
                   pod("leader", priorityClassName="high"), pod("big", cpu="8")])
    cluster.run(until=20)
    order = [(e.reason, e.object) for e in cluster.events
             if e.reason in ("Scheduled", "FailedScheduling") and e.time == 10]
    assert order == [("Scheduled", "pod/leader"), ("Scheduled", "pod/follower"),
                     ("FailedScheduling", "pod/big")]


def _scheduled_at(cluster: KubernetesCluster, name: str) -> list[float]:
    return [e.time for e in cluster.events.where(reason="Scheduled", object=f"pod/{name}")]


def test_a_toleration_added_to_a_parked_pod_schedules_it_at_once():
    """``PriorityQueue.Update``: an update of an unschedulable Pod that may make it fit (here
    the toleration of the only node's taint) moves it back at once, not at the flush."""
    cluster = KubernetesCluster(nodes(1, cpu="2"))
    cluster.taint("node-1", "dedicated", "NoSchedule", "gpu")
    cluster.run(until=10)
    cluster.apply(pod("p"))
    cluster.run(until=20)
    assert _attempts(cluster, "p") == [10.0] and not _scheduled_at(cluster, "p")
    cluster.apply(pod("p", tolerations=[{"key": "dedicated", "operator": "Equal",
                                         "value": "gpu", "effect": "NoSchedule"}]))
    cluster.run(until=30)
    assert _scheduled_at(cluster, "p") == [20.0]
    assert cluster.get("Pod", "default", "p")["spec"]["nodeName"] == "node-1"


def test_a_gate_removed_by_an_update_lets_the_pod_in_at_once():
    """A Pod created gated waits apart; ``kubectl apply`` of it without the gate (the only
    change the API server lets an update make to the gates) schedules it at that instant."""
    cluster = KubernetesCluster(nodes(1, cpu="2"))
    cluster.apply(pod("p", schedulingGates=[{"name": "example.com/quota"}]))
    cluster.run(until=20)
    assert not _attempts(cluster, "p") and not _scheduled_at(cluster, "p")
    cluster.apply(pod("p"))
    cluster.run(until=30)
    assert _scheduled_at(cluster, "p") == [20.0]


def _spread_pod(name, app, cpu="2"):
    """A Pod of ``app`` that may run at most one more of ``app`` per node than the emptiest."""
    found = pod(name, cpu=cpu, topologySpreadConstraints=[{
        "maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
        "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "web"}}}])
    found["metadata"]["labels"] = {"app": app}
    return found


def _parked_by_its_spread():
    """``p`` (app=web, 2 cores) parked at 0 s: node-1 runs the bound ``web-0`` (app=web,
    returned), so ``p`` there would skew its spread; node-2 has 1 core."""
    cluster = KubernetesCluster([Node("node-1", cpu="4", memory="8Gi"),
                                 Node("node-2", cpu="1", memory="8Gi")])
    web = pod("web-0", nodeName="node-1")
    web["metadata"]["labels"] = {"app": "web"}
    cluster.apply([web, _spread_pod("p", "web")])
    cluster.run(until=20)
    return cluster, web


def test_a_label_update_that_changes_what_its_spread_counts_schedules_it_at_once():
    """``UpdatePodLabel`` of the parked Pod itself: PodTopologySpread, which rejected it on
    node-1 (its own label counts in the skew: 1 + 1 - 0 > 1), says Queue when the update
    makes it stop matching its selector (``isSchedulableAfterPodChange``); node-2 is short of
    CPU. Relabelled, it fits node-1 (1 + 0 - 0), at the update's instant, not the flush's."""
    cluster, _ = _parked_by_its_spread()
    assert _attempts(cluster, "p") == [0.0] and not _scheduled_at(cluster, "p")
    cluster.apply(_spread_pod("p", "batch"))
    cluster.run(until=30)
    assert _scheduled_at(cluster, "p") == [20.0]
    assert cluster.get("Pod", "default", "p")["spec"]["nodeName"] == "node-1"


def test_a_label_update_no_rejecting_plugin_registers_leaves_the_pod_parked():
    """A Pod short of CPU everywhere: NodeResourcesFit, which rejected it, registers no
    ``UpdatePodLabel``, so a new label leaves it waiting for the flush."""
    cluster = KubernetesCluster(nodes(2, cpu="2"))
    cluster.apply(pod("big", cpu="8"))
    cluster.run(until=20)
    relabelled = pod("big", cpu="8")
    relabelled["metadata"]["labels"] = {"a": "big", "team": "ml"}
    cluster.apply(relabelled)
    cluster.run(until=400)
    assert _attempts(cluster, "big") == [0.0, 330.0]


def _held_by_a_nomination():
    """node-1 (3 cores) runs ``victim`` (2 cores, low priority, 600 s to terminate: a
    ``preStop`` sleep); ``p`` (3 cores, high) preempts it at 10 s and is nominated there;
    ``q`` (1 core, low), which would fit beside the terminating victim, is parked at 20 s
    because the Filters count ``p`` on node-1 (``addGENominatedPods``)."""
    cluster = KubernetesCluster(nodes(1, cpu="3"))
    victim = pod("victim", cpu="2", terminationGracePeriodSeconds=600)
    victim["spec"]["containers"][0]["lifecycle"] = {"preStop": {"sleep": {"seconds": 600}}}
    cluster.apply([{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": "high"}, "value": 1000}, victim])
    cluster.run(until=10)
    cluster.apply(pod("p", cpu="3", priorityClassName="high"))
    cluster.run(until=20)
    assert cluster.get("Pod", "default", "p")["status"]["nominatedNodeName"] == "node-1"
    cluster.apply(pod("q", cpu="1"))
    cluster.run(until=30)
    assert _attempts(cluster, "q") == [20.0] and not _scheduled_at(cluster, "q")
    return cluster


def test_deleting_a_nominated_pod_schedules_a_pod_its_nomination_held_back():
    """``AssignedPodDelete`` of the nominated Pod (``deletePodFromSchedulingQueue``): ``q``,
    of lower priority and rejected by NodeResourcesFit, moves back at the deletion."""
    cluster = _held_by_a_nomination()
    cluster.delete("pod", "p")
    cluster.run(until=40)
    assert _scheduled_at(cluster, "q") == [30.0]
    assert cluster.get("Pod", "default", "q")["spec"]["nodeName"] == "node-1"


def test_a_bound_pods_label_update_moves_back_the_pods_whose_terms_count_it():
    """``AssignedPodUpdate`` (``UpdatePodLabel`` of a bound Pod): ``web-0`` relabelled no
    longer counts in ``p``'s spread constraint, and ``p``, whose terms look at other Pods
    (``getUnschedulablePodsWithCrossTopologyTerm``), is tried again at once and fits."""
    cluster, web = _parked_by_its_spread()
    web["metadata"]["labels"] = {"app": "other"}
    cluster.apply(web)
    cluster.run(until=30)
    assert _attempts(cluster, "p") == [0.0] and _scheduled_at(cluster, "p") == [20.0]
