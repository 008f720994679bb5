"""The simulator's limits (clustersim.limits): huge inputs are refused at once with a message
naming the limit, instead of hanging a notebook or allocating gigabytes."""

from __future__ import annotations

import math

import pytest

from clustersim import Node, limits
from clustersim.clusters import demo_nodes
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.networkpolicy import reachability
from clustersim.limits import LimitError
from clustersim.marathon import Marathon
from clustersim.marathon.groups import RootGroup
from clustersim.mesos import MesosCluster
from clustersim.sim import Clock
from clustersim.sim.requests import RequestStream
from clustersim.swarm import SwarmCluster

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: %d
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
"""

SERVICE = """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox}]
"""


def test_a_billion_replicas_is_refused_and_nothing_is_stored() -> None:
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    with pytest.raises(LimitError, match=r"spec.replicas is 1,000,000,000.*150,000"):
        cluster.apply(DEPLOYMENT % 1_000_000_000)
    assert cluster.objects("Deployment") == []
    cluster.apply(DEPLOYMENT % 2)
    with pytest.raises(LimitError, match="MAX_REPLICAS"):
        cluster.scale("deployment", "web", 10**9)


def test_a_fleet_to_fill_is_bounded_by_the_tested_envelope() -> None:
    """compare_profiles(nodes=20_000) ran 26 s; the lab's fleet is 5,000 nodes."""
    from clustersim.kubernetes.fleet import compare_profiles

    with pytest.raises(LimitError, match=r"fleet to fill is 20,000, above the simulator's "
                                         r"limit of 5,000"):
        compare_profiles(nodes=20_000, pods=10, levels=1)


def test_swarm_replicas_and_marathon_instances_are_bounded() -> None:
    swarm = SwarmCluster(demo_nodes("swarm"))
    with pytest.raises(ValueError, match="above the simulator's limit of 150,000"):
        swarm.deploy_stack("s", "services:\n  web:\n    image: nginx\n"
                                "    deploy: {replicas: 1000000000}\n")
    swarm.deploy_stack("s", "services:\n  web:\n    image: nginx\n")
    with pytest.raises(LimitError):
        swarm.scale("s_web", 10**9)
    marathon = MesosCluster(demo_nodes("mesos")).register(Marathon())
    with pytest.raises(LimitError, match="instances is 1,000,000"):
        marathon.deploy({"id": "/web", "cmd": "sleep 1", "instances": 1_000_000})


@pytest.mark.parametrize("until", [math.inf, math.nan, -math.inf, "60", True])
def test_run_until_must_be_a_finite_number(until) -> None:
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    with pytest.raises(ValueError, match="until must be"):
        cluster.run(until=until)


def test_a_far_horizon_is_refused_for_every_system() -> None:
    k8s = KubernetesCluster(demo_nodes("kubernetes"))
    k8s.apply(CRONJOB)
    mesos = MesosCluster(demo_nodes("mesos"))
    mesos.register(Marathon())
    swarm = SwarmCluster(demo_nodes("swarm"))
    for cluster in (k8s, mesos, swarm):
        with pytest.raises(LimitError, match="MAX_RUN_SECONDS"):
            cluster.run(until=1e12)
        assert cluster.clock.now == 0.0


def test_a_run_stops_after_the_event_budget(monkeypatch) -> None:
    monkeypatch.setattr("clustersim.sim.clock.MAX_RUN_EVENTS", 1000)
    clock = Clock()

    def tick():
        while True:
            yield clock.timeout(0.01)

    clock.process(tick())
    with pytest.raises(LimitError, match="after 1,000 simulated events"):
        clock.run(until=3600)
    assert 9 < clock.now < 11
    clock.run(until=clock.now + 1)      # a later call has a budget of its own


def test_the_event_budget_also_bounds_runs_without_until(monkeypatch) -> None:
    monkeypatch.setattr("clustersim.sim.clock.MAX_RUN_EVENTS", 1000)
    cluster = KubernetesCluster(demo_nodes("kubernetes"))

    def busy() -> None:             # foreground work that never ends
        cluster.after(0.01, busy)

    busy()
    with pytest.raises(LimitError, match="MAX_RUN_EVENTS"):
        cluster.run()
    clock = Clock()
    clock.process(clock.timeout(1) for _ in iter(int, 1))
    with pytest.raises(LimitError, match="MAX_RUN_EVENTS"):
        clock.run()


def test_request_rates_and_buckets_are_bounded() -> None:
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    cluster.apply(DEPLOYMENT % 1 + "---\n" + SERVICE)
    for rate in (1e12, math.inf, math.nan, 0):
        with pytest.raises(ValueError, match="rate"):
            cluster.request_stream("web", rate=rate)
    stream = RequestStream("web", "default", 1.0, 0.0, 3600.0, [(1.0, True, "p")])
    with pytest.raises(LimitError, match="MAX_BUCKETS"):
        stream.buckets(1e-6)
    with pytest.raises(ValueError, match="width"):
        stream.buckets(math.nan)
    assert len(stream.buckets(60)) == 60
    swarm = SwarmCluster(demo_nodes("swarm"))
    with pytest.raises(LimitError):
        swarm.traffic(80, rate=1e9)


def test_node_counts_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 4)
    nodes = Node.many(5, cpu=1, memory="1Gi")
    for build in (KubernetesCluster, SwarmCluster, MesosCluster):
        with pytest.raises(LimitError, match="the number of nodes is 5"):
            build(nodes)


def test_building_a_cluster_reconciles_once_not_once_per_node(monkeypatch) -> None:
    """Regression test: every joining node ran the control loop, which walks every node:
    building n nodes was quadratic (40,000 nodes took minutes)."""
    calls = []
    original = KubernetesCluster._reconcile

    def counting(self):
        calls.append(self.now)
        original(self)

    monkeypatch.setattr(KubernetesCluster, "_reconcile", counting)
    KubernetesCluster(Node.many(50, cpu=1, memory="1Gi"))
    assert len(calls) == 1


def test_a_long_marathon_dependency_chain_needs_no_recursion() -> None:
    """Regression test: the cycle check and the plan's longest paths recursed once per app
    of a chain, so 400 apps raised RecursionError."""
    count = 3000
    apps = [{"id": f"a{i:04d}", "cmd": "sleep 1",
             "dependencies": [f"/g/a{i + 1:04d}"] if i < count - 1 else []}
            for i in range(count)]
    root = RootGroup.from_definitions({"id": "/g", "apps": apps})
    assert root.longest_paths()["/g/a0000"] == count
    apps[-1]["dependencies"] = ["/g/a0000"]
    cycle = RootGroup.from_definitions({"id": "/g", "apps": apps}).find_cycle()
    assert cycle is not None and len(cycle) == count + 1 and cycle[0] == cycle[-1]



def _anti_affinity(count: int) -> dict:
    return {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 1, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                          "labelSelector": {"matchLabels": {f"k{i}": "v"}}}}
        for i in range(count)]}}


def test_thousands_of_affinity_terms_are_refused() -> None:
    """Regression test: 100 replicas with 2,000 preferred anti-affinity terms took two
    minutes to schedule."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"affinity": _anti_affinity(2000),
                    "containers": [{"name": "c", "image": "nginx"}]}}
    cron = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
            "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {
                "spec": {**pod["spec"], "restartPolicy": "Never"}}}}}}
    for manifest in (pod, cron):
        cluster = KubernetesCluster(demo_nodes("kubernetes"))
        with pytest.raises(LimitError, match=r"affinity terms is 2,000.*MAX_AFFINITY_TERMS"):
            cluster.apply(manifest)
    cluster = KubernetesCluster(demo_nodes("kubernetes"))
    pod["spec"]["affinity"] = _anti_affinity(limits.MAX_AFFINITY_TERMS)
    assert cluster.apply(pod) == ["pod/p created"]


def test_marathon_lb_routes_a_bounded_number_of_requests() -> None:
    from clustersim.marathon import MarathonLB

    cluster = MesosCluster(demo_nodes("mesos"))
    with pytest.raises(LimitError, match="number of requests"):
        MarathonLB(cluster.register(Marathon())).route(10000, requests=10**9)


def test_every_simulator_runs_until_quiet_by_one_rule(monkeypatch) -> None:
    """``run()`` without ``until`` in the three simulators stops at the same limit with the
    same error (clustersim.sim.Clock.run_until_quiet): counted in simulated seconds."""
    from clustersim import Node
    from clustersim.mesos import MesosCluster
    from clustersim.swarm import SwarmCluster

    monkeypatch.setattr("clustersim.sim.clock.MAX_QUIET_SECONDS", 600.0)
    swarm = SwarmCluster([Node("m1", 2, "4Gi", role="manager")])
    swarm.deploy_stack("s", {"services": {"web": {"image": "crash"}}})
    swarm.fail_image("crash", after=1)            # restarts forever (no max_attempts)
    kubernetes = KubernetesCluster(demo_nodes("kubernetes"))

    def busy() -> None:
        kubernetes.after(30, busy)

    busy()
    mesos = MesosCluster([Node("a1", 2, "4Gi")])
    mesos.master.pending_work += 1              # work that never completes
    for cluster in (swarm, kubernetes, mesos):
        start = cluster.clock.now
        with pytest.raises(LimitError, match="did not become quiet within 600 simulated "
                                             r"seconds .*MAX_QUIET_SECONDS.*run\(until="):
            cluster.run()
        assert 600 - 30 <= cluster.clock.now - start <= 600


def test_a_quiet_swarm_stops_at_once() -> None:
    from clustersim import Node
    from clustersim.swarm import SwarmCluster

    swarm = SwarmCluster([Node("m1", 2, "4Gi", role="manager")])
    swarm.deploy_stack("s", {"services": {"web": {"image": "nginx", "healthcheck": {
        "test": ["CMD", "true"], "interval": "5s"}}, "big": {"image": "nginx", "deploy": {
            "resources": {"reservations": {"cpus": "8"}}}}}})
    swarm.run()
    assert swarm.clock.now < 60 and not swarm.busy()
    assert {t.service: str(t.state) for t in swarm.tasks()} == {"s_web": "RUNNING",
                                                              "s_big": "PENDING"}


def test_a_huge_reachability_table_is_refused_before_any_work():
    objects = [{"kind": "Pod", "metadata": {"name": f"p{i}"}} for i in range(2_300)]
    with pytest.raises(LimitError, match="a reachability table of 2,300 Pods and 0 "
                                         "NetworkPolicies needs Pods × Pods × policies checks, "
                                         "which is 5,290,000, above the simulator's limit"):
        reachability(objects, 80)
