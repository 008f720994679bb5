"""DefaultPreemption: victim selection and node choice.

The node-choice cases are upstream's TestPickOneNodeForPreemption (kubernetes/kubernetes
pkg/scheduler/framework/plugins/defaultpreemption/default_preemption_test.go): nodes of
500m CPU / 500 bytes, Pods small (100m/100), medium (200m/200), large (300m/300) and very large
(500m/500), priorities neg -100, low 0, mid 100, high 1000, veryHigh 10000. The cluster cases
check the events and messages (``Preempted by pod <uid> on node <node>``)."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, Scheduler
from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.preemption import find_preemption, not_eligible, num_candidates
from clustersim.serve.kuberender import Renderer

SIZES = {"small": 100, "medium": 200, "large": 300, "veryLarge": 500}
NEG, LOW, MID, HIGH, VERY_HIGH = -100, 0, 100, 1000, 10000


def pod(name, size, priority, node=None, start=0.0):
    amount = SIZES[size]
    spec = {"priority": priority,
            "containers": [{"name": "c", "image": "x", "resources": {
                "requests": {"cpu": f"{amount}m", "memory": str(amount)}}}]}
    if node:
        spec["nodeName"] = node
    return {"metadata": {"name": name, "uid": name, "namespace": "default"}, "spec": spec,
            "status": {"startTime": start}}


def nodes_with(names, pods):
    infos = []
    for name in names:
        info = NodeInfo({"metadata": {"name": name,
                                      "labels": {"kubernetes.io/hostname": name}},
                         "status": {"allocatable": {"cpu": "500m", "memory": "500"}}})
        for p in pods:
            if p["spec"].get("nodeName") == name:
                info.add_pod(p)
        infos.append(info)
    return infos


CASES = [
    ("a pod that fits on both machines when lower priority pods are preempted",
     ["machine1", "machine2"], pod("p", "large", HIGH),
     [pod("m1.1", "large", MID, "machine1"), pod("m2.1", "large", MID, "machine2")],
     "machine1", ["m1.1"]),
    ("machine with min highest priority pod is picked",
     ["machine1", "machine2", "machine3"], pod("p", "veryLarge", HIGH),
     [pod("m1.1", "medium", MID, "machine1"), pod("m1.2", "large", MID, "machine1"),
      pod("m2.1", "medium", MID, "machine2"), pod("m2.2", "medium", LOW, "machine2"),
      pod("m3.1", "medium", LOW, "machine3"), pod("m3.2", "medium", LOW, "machine3")],
     "machine3", ["m3.1", "m3.2"]),
    ("when highest priorities are the same, minimum sum of priorities is picked",
     ["machine1", "machine2", "machine3"], pod("p", "veryLarge", HIGH),
     [pod("m1.1", "medium", MID, "machine1"), pod("m1.2", "large", MID, "machine1"),
      pod("m2.1", "large", MID, "machine2"), pod("m2.2", "medium", LOW, "machine2"),
      pod("m3.1", "medium", MID, "machine3"), pod("m3.2", "medium", MID, "machine3")],
     "machine2", ["m2.1", "m2.2"]),
    ("when highest priority and sum are the same, minimum number of pods is picked",
     ["machine1", "machine2", "machine3"], pod("p", "veryLarge", HIGH),
     [pod("m1.1", "small", MID, "machine1"), pod("m1.2", "small", NEG, "machine1"),
      pod("m1.3", "small", MID, "machine1"), pod("m1.4", "small", NEG, "machine1"),
      pod("m2.1", "large", MID, "machine2"), pod("m2.2", "medium", NEG, "machine2"),
      pod("m3.1", "medium", MID, "machine3"), pod("m3.2", "small", NEG, "machine3"),
      pod("m3.3", "small", LOW, "machine3")],
     "machine2", ["m2.1", "m2.2"]),
    ("sum of adjusted priorities is considered",
     ["machine1", "machine2", "machine3"], pod("p", "veryLarge", HIGH),
     [pod("m1.1", "small", MID, "machine1"), pod("m1.2", "small", NEG, "machine1"),
      pod("m1.3", "small", NEG, "machine1"),
      pod("m2.1", "large", MID, "machine2"), pod("m2.2", "medium", NEG, "machine2"),
      pod("m3.1", "medium", MID, "machine3"), pod("m3.2", "small", NEG, "machine3"),
      pod("m3.3", "small", LOW, "machine3")],
     "machine2", ["m2.1", "m2.2"]),
    ("non-overlapping lowest high priority, sum priorities, and number of pods",
     ["machine1", "machine2", "machine3", "machine4"], pod("p", "veryLarge", VERY_HIGH),
     [pod("m1.1", "small", MID, "machine1"), pod("m1.2", "small", LOW, "machine1"),
      pod("m1.3", "small", LOW, "machine1"),
      pod("m2.1", "large", HIGH, "machine2"),
      pod("m3.1", "medium", MID, "machine3"), pod("m3.2", "small", LOW, "machine3"),
      pod("m3.3", "small", LOW, "machine3"), pod("m3.4", "medium", LOW, "machine3"),
      pod("m4.1", "medium", MID, "machine4"), pod("m4.2", "small", MID, "machine4"),
      pod("m4.3", "small", MID, "machine4"), pod("m4.4", "small", NEG, "machine4")],
     "machine1", ["m1.1", "m1.2", "m1.3"]),
    ("same priority, same number of victims, different start time for each machine's pod",
     ["machine1", "machine2", "machine3"], pod("p", "veryLarge", HIGH),
     [pod("m1.1", "medium", MID, "machine1", 3), pod("m1.2", "medium", MID, "machine1", 3),
      pod("m2.1", "medium", MID, "machine2", 4), pod("m2.2", "medium", MID, "machine2", 4),
      pod("m3.1", "medium", MID, "machine3", 2), pod("m3.2", "medium", MID, "machine3", 2)],
     "machine2", ["m2.1", "m2.2"]),
]


@pytest.mark.parametrize(("name", "names", "preemptor", "pods", "node", "victims"), CASES,
                         ids=[c[0] for c in CASES])
def test_pick_one_node_for_preemption(name, names, preemptor, pods, node, victims):
    found = find_preemption(Scheduler(), preemptor, nodes_with(names, pods))
    assert found is not None
    assert found.node == node
    assert sorted(v["metadata"]["name"] for v in found.victims) == victims


def test_reprieve_keeps_the_most_important_pods():
    """Only as many lower-priority Pods go as needed, the least important first."""
    pods = [pod("low-a", "small", LOW, "n", start=1), pod("mid", "medium", MID, "n"),
            pod("low-b", "small", LOW, "n", start=2)]
    found = find_preemption(Scheduler(), pod("p", "medium", HIGH), nodes_with(["n"], pods))
    # 400m used of 500m; the 200m Pod needs 100m more: one small Pod goes, the later one
    assert [v["metadata"]["name"] for v in found.victims] == ["low-b"]


def test_no_victims_when_only_higher_priority_pods_or_unresolvable():
    nodes = nodes_with(["n"], [pod("big", "large", HIGH, "n")])
    assert find_preemption(Scheduler(), pod("p", "large", MID), nodes) is None
    selector = pod("p", "small", HIGH)
    selector["spec"]["nodeSelector"] = {"disk": "ssd"}      # UnschedulableAndUnresolvable
    assert find_preemption(Scheduler(), selector, nodes_with(["n"], [])) is None


def _deleted(victim, reason=None):
    """``victim`` deleted, with a ``DisruptionTarget=True`` condition of ``reason`` if given."""
    victim["metadata"]["deletionTimestamp"] = 5.0
    if reason:
        victim["status"]["conditions"] = [{"type": "DisruptionTarget", "status": "True",
                                           "reason": reason}]
    return victim


def _waiting(priority=HIGH):
    waiting = pod("p", "small", priority)
    waiting["status"]["nominatedNodeName"] = "n"
    return waiting


def test_not_eligible():
    never = pod("p", "small", HIGH)
    never["spec"]["preemptionPolicy"] = "Never"
    assert not_eligible(never, []) == "not eligible due to preemptionPolicy=Never."
    victim = _deleted(pod("v", "small", LOW, "n"), "PreemptionByScheduler")
    assert not_eligible(_waiting(), nodes_with(["n"], [victim])) == \
        "not eligible due to a terminating pod on the nominated node."
    assert not_eligible(_waiting(LOW), nodes_with(["n"], [victim])) == ""   # not lower


@pytest.mark.parametrize("reason", [None, "DeletionByTaintManager", "EvictionByEvictionAPI"])
def test_only_a_victim_of_preemption_makes_the_preemptor_wait(reason):
    """``podTerminatingByPreemption``: a lower-priority Pod deleted for another reason (a
    rollout, ``kubectl delete``, an eviction) leaves the preemptor eligible."""
    victim = _deleted(pod("v", "small", LOW, "n"), reason)
    assert not_eligible(_waiting(), nodes_with(["n"], [victim])) == ""


def test_an_unresolvable_nominated_node_makes_the_preemptor_eligible_again():
    """``PodEligibleToPreemptOthers``: the nominated node's Filter status in the failed
    cycle is UnschedulableAndUnresolvable (here a taint), so the victims still terminating
    there do not hold the preemptor."""
    victim = _deleted(pod("v", "small", LOW, "n"), "PreemptionByScheduler")
    nodes = nodes_with(["n"], [victim])
    nodes[0].taints = [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"}]
    statuses = Scheduler().filter_statuses(_waiting(), nodes)
    assert not_eligible(_waiting(), nodes, statuses) == ""
    nodes[0].taints = []
    statuses = Scheduler().filter_statuses(pod("p", "veryLarge", HIGH), nodes)
    assert not_eligible(_waiting(), nodes, statuses) != ""     # Insufficient: resolvable


def priority_class(name, value, **extra):
    return {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": name}, "value": value, **extra}


def workload(name, replicas, cpu, priority_class_name=None):
    spec = {"containers": [{"name": "app", "image": "nginx",
                            "resources": {"requests": {"cpu": cpu}}}]}
    if priority_class_name:
        spec["priorityClassName"] = priority_class_name
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}}


def full_cluster():
    cluster = KubernetesCluster(Node.many(2, "node", cpu="2", memory="8Gi"), seed=1)
    cluster.apply([priority_class("batch", 100), priority_class("critical", 100000),
                   priority_class("polite", 100000, preemptionPolicy="Never")])
    cluster.apply(workload("batch", 4, "1", "batch"))
    cluster.run()
    return cluster


def test_preemption_in_the_cluster_events_nomination_and_binding():
    cluster = full_cluster()
    cluster.apply(workload("api", 1, "1500m", "critical"))
    cluster.run(until=cluster.now + 1)
    [api] = [p for p in cluster.objects("Pod") if p["metadata"]["name"].startswith("api-")]
    preempted = cluster.events.where(reason="Preempted")
    assert len(preempted) == 2                         # 1500m needs both 1-CPU Pods of a node
    node = api["spec"]["nodeName"]                     # the victims stopped within 1 s
    # the binding cleared the nomination (ClearingNominatedNodeNameAfterBinding, on since 1.35)
    assert "nominatedNodeName" not in api["status"]
    assert {e.message for e in preempted} == {
        f"Preempted by pod {api['metadata']['uid']} on node {node}"}
    # the preemptor is the event's related object (Eventf(victim, preemptor, ...))
    assert {e.related for e in preempted} == {
        (f"pod/{api['metadata']['name']}", "default", api["metadata"]["uid"])}
    [failed] = cluster.events.where(reason="FailedScheduling",
                                    object=f"pod/{api['metadata']['name']}")[:1]
    assert failed.message == "0/2 nodes are available: 2 Insufficient cpu."
    cluster.run(until=cluster.now + 60)                # victims' 30 s grace period
    assert api["spec"]["nodeName"] == node
    rows = {p.name: p for p in cluster.pods()}
    pending = [r for r in rows.values() if r.name.startswith("batch-") and r.node is None]
    assert len(pending) == 2                           # replacements wait: no room left
    assert "No preemption victims found" in pending[0].message


def test_victims_get_the_disruption_target_condition():
    """``prepareCandidate`` writes ``DisruptionTarget`` on each victim before deleting it,
    and the served Pod shows it (``kubectl get pod -o yaml``)."""
    cluster = full_cluster()
    cluster.apply(workload("api", 1, "1500m", "critical"))
    cluster.run(until=cluster.now + 0.05)           # the victims are Terminating
    victims = [cluster.get("Pod", "default", e.object.split("/", 1)[1])
               for e in cluster.events.where(reason="Preempted")]
    assert len(victims) == 2
    for victim in victims:
        assert victim["metadata"]["deletionTimestamp"] is not None
        [condition] = [c for c in Renderer(cluster).shown(victim)["status"]["conditions"]
                       if c["type"] == "DisruptionTarget"]
        assert {k: condition[k] for k in ("status", "reason", "message")} == {
            "status": "True", "reason": "PreemptionByScheduler",
            "message": "default-scheduler: preempting to accommodate a higher priority pod"}


def test_a_preemptor_whose_nominated_node_fails_preempts_elsewhere():
    """The review's case: the nominated node fails while its victims terminate; they stay
    Terminating there, and the preemptor, found unresolvable there (the unreachable taint),
    preempts on the other node instead of waiting for good."""
    cluster = full_cluster()
    cluster.apply(workload("api", 1, "1500m", "critical"))
    cluster.run(until=cluster.now + 0.05)
    [api] = [p for p in cluster.objects("Pod") if p["metadata"]["name"].startswith("api-")]
    nominated = api["status"]["nominatedNodeName"]
    cluster.fail_node(nominated)
    cluster.run(until=400)
    assert api["spec"].get("nodeName") not in (None, nominated)
    assert {e.message.rsplit(" ", 1)[-1] for e in cluster.events.where(reason="Preempted")} \
        == {"node-1", "node-2"}
    assert not any("not eligible" in e.message
                   for e in cluster.events.where(reason="FailedScheduling"))


def test_preemption_policy_never_waits():
    cluster = full_cluster()
    cluster.apply(workload("report", 1, "1500m", "polite"))
    cluster.run(until=cluster.now + 60)
    assert not cluster.events.where(reason="Preempted")
    [row] = [p for p in cluster.pods() if p.name.startswith("report-")]
    assert row.node is None and row.message.endswith(
        "preemption: not eligible due to preemptionPolicy=Never.")


def count_filters(scheduler, monkeypatch):
    """Record the node of every NodeResourcesFit Filter call ``scheduler`` makes."""
    plugin = scheduler.plugins["NodeResourcesFit"]
    seen = []
    real = plugin.filter

    def counted(state, pod, node):
        seen.append(node.name)
        return real(state, pod, node)

    monkeypatch.setattr(plugin, "filter", counted)
    return seen


def test_postfilter_reads_the_failed_cycles_statuses(monkeypatch):
    """Upstream's PostFilter gets the cycle's node statuses (``Preempt(..., m)``) and filters
    no node again: one attempt runs the Filters once per node."""
    cluster = KubernetesCluster(Node.many(3, "node", cpu="1", memory="4Gi"), seed=0)
    seen = count_filters(cluster.scheduler, monkeypatch)
    cluster.apply(workload("big", 1, "2"))
    cluster.run(until=cluster.now + 1)
    assert cluster.events.where(reason="FailedScheduling")
    assert sorted(seen) == ["node-1", "node-2", "node-3"]


def test_victims_are_found_filtering_only_the_node_emptied(monkeypatch):
    """``SelectVictimsOnNode`` runs the Filters on the node it empties, not on every node."""
    pods = [pod("low", "large", LOW, "n0"),
            *(pod(f"top{i}", "large", VERY_HIGH, f"n{i}") for i in range(1, 20))]
    nodes = nodes_with([f"n{i}" for i in range(20)], pods)
    scheduler, preemptor = Scheduler(), pod("p", "large", HIGH)
    statuses = scheduler.filter_statuses(preemptor, nodes)
    seen = count_filters(scheduler, monkeypatch)
    found = find_preemption(scheduler, preemptor, nodes, statuses)
    assert (found.node, [v["metadata"]["name"] for v in found.victims]) == ("n0", ["low"])
    assert set(seen) == {"n0"}


@pytest.mark.parametrize(("potential", "wanted"),
                         [(0, 0), (1, 1), (100, 100), (150, 100), (1000, 100), (5000, 500)])
def test_num_candidates(potential, wanted):
    """``calculateNumCandidates`` with the default args: 10% of the nodes, at least 100,
    at most all of them."""
    assert num_candidates(potential) == wanted


@pytest.mark.parametrize("count", [100, 150])
def test_dry_run_stops_at_enough_candidates_from_an_offset(count, monkeypatch):
    """``DryRunPreemption`` tries the potential nodes from a random offset and stops at
    ``numCandidates`` of them; every node here is an equally good candidate, so the first
    tried wins. With no more than 100 potential nodes all are tried and nothing is drawn."""
    names = [f"n{i}" for i in range(count)]
    nodes = nodes_with(names, [pod(f"low{i}", "large", LOW, name) for i, name in
                               enumerate(names)])
    scheduler, preemptor = Scheduler(), pod("p", "veryLarge", HIGH)
    expected = type(scheduler.rng)()
    expected.setstate(scheduler.rng.getstate())
    offset = expected.randrange(count) if count > 100 else 0
    if count <= 100:
        expected.setstate(scheduler.rng.getstate())
    statuses = scheduler.filter_statuses(preemptor, nodes)
    seen = count_filters(scheduler, monkeypatch)
    found = find_preemption(scheduler, preemptor, nodes, statuses)
    assert len(set(seen)) == num_candidates(count)
    assert found.node == names[offset]
    assert scheduler.rng.getstate() == expected.getstate()


def count_pre_filters(scheduler, monkeypatch, name):
    plugin = scheduler.plugins[name]
    calls = []
    real = plugin.pre_filter

    def counted(state, pod):
        calls.append(len(state.all_nodes))
        return real(state, pod)

    monkeypatch.setattr(plugin, "pre_filter", counted)
    return calls


def test_the_dry_run_updates_prefilter_state_instead_of_running_it_again(monkeypatch):
    """PreFilter runs once for the preemption: the dry run reuses the state of the plugins
    without PreFilterExtensions (NodeResourcesFit: the Pod's requests) and updates a copy of
    InterPodAffinity's by the victim it removes (``RemovePod``), so that the preemptor's
    anti-affinity to the victim no longer counts, as upstream's ``SelectVictimsOnNode``;
    running that PreFilter again per check, over every node, was quadratic."""
    low = pod("low", "small", LOW, "n0")
    low["metadata"]["labels"] = {"app": "low"}
    nodes = nodes_with(["n0", "n1"], [low, pod("top", "veryLarge", VERY_HIGH, "n1")])
    preemptor = pod("p", "veryLarge", HIGH)
    preemptor["spec"]["affinity"] = {"podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [{
            "labelSelector": {"matchLabels": {"app": "low"}},
            "topologyKey": "kubernetes.io/hostname"}]}}
    scheduler = Scheduler()
    statuses = scheduler.filter_statuses(preemptor, nodes)
    fit = count_pre_filters(scheduler, monkeypatch, "NodeResourcesFit")
    affinity = count_pre_filters(scheduler, monkeypatch, "InterPodAffinity")
    found = find_preemption(scheduler, preemptor, nodes, statuses)
    assert (found.node, [v["metadata"]["name"] for v in found.victims]) == ("n0", ["low"])
    assert len(fit) == 1                   # once for the preemption, not once per check
    assert len(affinity) == 1              # the preemption's; both checks on n0 update it


def test_the_node_tried_shares_the_node_object_and_leaves_it_alone():
    """The dry run's copy of a node (upstream ``NodeInfo.Snapshot``) shares the Node but
    must not take over the real node's taints, which NodeInfo keeps in its spec."""
    nodes = nodes_with(["n"], [pod("low", "large", LOW, "n")])
    nodes[0].taints = [{"key": "team", "value": "a", "effect": "NoSchedule"}]
    taints, generation = nodes[0].node["spec"]["taints"], nodes[0].generation
    preemptor = pod("p", "large", HIGH)
    preemptor["spec"]["tolerations"] = [{"key": "team", "operator": "Exists"}]
    found = find_preemption(Scheduler(), preemptor, nodes)
    assert [v["metadata"]["name"] for v in found.victims] == ["low"]
    assert nodes[0].node["spec"]["taints"] is taints
    taints.append({"key": "x", "effect": "NoSchedule"})    # still tells the real node
    assert nodes[0].generation > generation
