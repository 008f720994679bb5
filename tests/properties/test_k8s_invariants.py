"""Invariants of the Kubernetes simulator for any workload and any sequence of operations.

- No node ever holds more requested CPU, memory or pods than it has allocatable (the
  NodeResourcesFit filter, kubernetes/kubernetes
  ``pkg/scheduler/framework/plugins/noderesources/fit.go``).
- A rolling update never exceeds ``replicas + maxSurge`` pods nor drops below
  ``replicas − maxUnavailable`` available pods (the guarantees the Deployment docs state).
- ``resolve_fenceposts`` rounds surge up, unavailable down, and never returns (0, 0).
- The same seed gives the same run.
"""

from __future__ import annotations

import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster, resolve_fenceposts
from clustersim.kubernetes.nodeinfo import pod_requests

percent = st.integers(0, 100).map(lambda p: f"{p}%")
fencepost = st.one_of(st.integers(0, 4), percent)


@given(fencepost, fencepost, st.integers(0, 50))
def test_resolve_fenceposts_rounding(surge, unavailable, desired):
    got_surge, got_unavailable = resolve_fenceposts(surge, unavailable, desired)

    def value(v, up):
        if isinstance(v, int):
            return v
        exact = int(v[:-1]) * desired / 100
        return math.ceil(exact) if up else math.floor(exact)

    want = (value(surge, True), value(unavailable, False))
    if want == (0, 0):
        want = (0, 1)
    assert (got_surge, got_unavailable) == want


def _deployment(name, replicas, cpu, image="app:1", strategy=None):
    spec = {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{
                "name": "c", "image": image,
                "readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 3,
                                   "periodSeconds": 3},
                "resources": {"requests": {"cpu": f"{cpu}m", "memory": f"{cpu}Mi"}}}]}}}
    if strategy:
        spec["strategy"] = strategy
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": spec}


def _check_capacity(cluster: KubernetesCluster) -> None:
    for name in cluster.node_names():
        info = cluster.node(name)
        cpu = mem = 0
        for pod in info.pods:
            requests = pod_requests(pod)
            cpu += requests.get("cpu", 0)
            mem += requests.get("memory", 0)
        assert cpu <= info.allocatable["cpu"]
        assert mem <= info.allocatable["memory"]
        assert len(info.pods) <= info.allocatable["pods"]


operation = st.one_of(
    st.tuples(st.just("scale"), st.integers(0, 2), st.integers(0, 12)),
    st.tuples(st.just("image"), st.integers(0, 2), st.integers(2, 5)),
    st.tuples(st.just("fail"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("recover"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("cordon"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("drain"), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("wait"), st.just(0), st.integers(1, 400)),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 8), min_size=4, max_size=4),
       st.lists(st.tuples(st.integers(1, 6), st.sampled_from([100, 250, 500, 1000])),
                min_size=1, max_size=3),
       st.lists(operation, max_size=8), st.integers(0, 2**16))
def test_no_node_is_ever_over_capacity(cores, workloads, operations, seed):
    nodes = [Node(f"n{i}", cpu=str(c), memory=f"{c}Gi", max_pods=6) for i, c in enumerate(cores)]
    cluster = KubernetesCluster(nodes, seed=seed)
    names = []
    for index, (replicas, cpu) in enumerate(workloads):
        names.append(f"app{index}")
        cluster.apply(_deployment(names[-1], replicas, cpu))
    _check_capacity(cluster)
    for kind, target, amount in operations:
        node = f"n{target}"
        if kind == "scale" and target < len(names):
            cluster.scale("deployment", names[target], amount)
        elif kind == "image" and target < len(names):
            cluster.set_image("deployment", names[target], f"app:{amount}")
        elif kind == "fail":
            cluster.fail_node(node)
        elif kind == "recover":
            cluster.recover_node(node)
        elif kind == "cordon":
            cluster.cordon(node)
        elif kind == "drain":
            cluster.drain(node)
        elif kind == "wait":
            cluster.run(until=cluster.now + amount)
        _check_capacity(cluster)
    cluster.run(until=cluster.now + 1000)
    _check_capacity(cluster)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8), fencepost, fencepost, st.integers(0, 2**16))
def test_rolling_update_stays_within_surge_and_unavailable(replicas, surge, unavailable, seed):
    # the API server refuses maxSurge and maxUnavailable both written as zero
    assume(str(surge).rstrip("%") != "0" or str(unavailable).rstrip("%") != "0")
    strategy = {"type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}
    max_surge, max_unavailable = resolve_fenceposts(surge, unavailable, replicas)
    nodes = Node.many(3, "node", cpu="16", memory="64Gi")
    cluster = KubernetesCluster(nodes, seed=seed)
    cluster.apply(_deployment("web", replicas, 100, strategy=strategy))
    cluster.run()
    cluster.apply(_deployment("web", replicas, 100, image="app:2", strategy=strategy))
    env = cluster.clock.env
    while env.peek() != float("inf") and cluster.now < 600:
        env.step()
        live = [p for p in cluster.pods() if p.reason != "Terminating"]
        assert len(live) <= replicas + max_surge
        assert sum(1 for p in live if p.ready) >= replicas - min(max_unavailable, replicas)
    images = {cluster.get("Pod", "default", p.name)["spec"]["containers"][0]["image"]
              for p in cluster.pods()}
    assert images == {"app:2"}
    assert sum(1 for p in cluster.pods() if p.ready) == replicas


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**16), st.integers(1, 6))
def test_same_seed_same_trace(seed, replicas):
    def trace():
        cluster = KubernetesCluster(Node.many(3, "node", cpu="4", memory="8Gi"), seed=seed)
        cluster.apply(_deployment("web", replicas, 500))
        cluster.run()
        cluster.fail_node("node-1")
        cluster.run(until=cluster.now + 400)
        return [(e.time, e.object, e.reason, e.message) for e in cluster.events]

    assert trace() == trace()


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=4), st.integers(0, 2**16))
def test_ordered_ready_statefulset_ordinals_stay_a_prefix(sizes, seed):
    """OrderedReady creates ordinal i only after 0…i−1 and removes the highest first, so the
    live ordinals are always 0…k−1 (kubernetes/kubernetes stateful_set_control.go)."""
    cluster = KubernetesCluster(Node.many(3, "node", cpu="8", memory="16Gi"), seed=seed)
    template = {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{
        "name": "db", "image": "db:1",
        "readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 4,
                           "periodSeconds": 2}}]}}
    cluster.apply({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                   "spec": {"replicas": sizes[0], "serviceName": "db", "template": template,
                            "selector": {"matchLabels": {"app": "db"}}}})
    env = cluster.clock.env
    for size in [*sizes[1:], None]:
        while env.peek() != float("inf"):
            env.step()
            ordinals = sorted(int(p.name.rsplit("-", 1)[1]) for p in cluster.pods()
                              if p.reason != "Terminating")
            assert ordinals == list(range(len(ordinals)))
        if size is not None:
            cluster.scale("sts", "db", size)
    assert len(cluster.pods()) == sizes[-1]
