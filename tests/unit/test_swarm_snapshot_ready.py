"""Swarm's snapshot: after a node is marked down, its old tasks no longer count as ready.

Regression test: tasks left on a down node (desired state SHUTDOWN, replacements running
elsewhere) kept ``ready=True``, so a six-replica service showed 8 ready tasks after a failure.
"""

from __future__ import annotations

from clustersim import Node
from clustersim.swarm import SwarmCluster

STACK = {"services": {"web": {"image": "nginx", "deploy": {"replicas": 6}}}}


def test_ready_tasks_never_exceed_replicas_after_a_node_failure() -> None:
    cluster = SwarmCluster(Node.many(3, "node", cpu=4, memory="8Gi",
                                     role=lambda i: "manager" if i == 1 else "worker"), seed=0)
    cluster.deploy_stack("app", STACK)
    cluster.run(until=30)
    cluster.fail_node("node-3")
    for until in range(31, 200, 7):
        cluster.run(until=until)
        ready = [t for t in cluster.snapshot().tasks if t.owner == "app_web" and t.ready]
        assert len(ready) <= 6, (until, [t.node for t in ready])
    assert len(ready) == 6 and all(t.node != "node-3" for t in ready)


def test_snapshot_shows_a_node_capacity_changed_after_an_earlier_snapshot() -> None:
    """The snapshot keeps each node's capacity as cores and bytes until the node's ``cpu``
    or ``memory`` is replaced: a later snapshot shows the new capacity."""
    cluster = SwarmCluster([Node("node-1", cpu=4, memory="8Gi", role="manager")], seed=0)
    assert [(n.cpu, n.memory) for n in cluster.snapshot().nodes] == [(4.0, 8 * 2**30)]
    smaller = Node("node-1", cpu="2500m", memory="1Gi")
    node = cluster._nodes["node-1"].node   # the cluster's own copy of the machine
    node.cpu, node.memory = smaller.cpu, smaller.memory
    assert [(n.cpu, n.memory) for n in cluster.snapshot().nodes] == [(2.5, 2**30)]


def test_snapshot_views_kept_between_snapshots_are_those_made_afresh() -> None:
    """The snapshot keeps each task's view while nothing it shows changed: through starts,
    a node failure, rescheduling and a scale-down, every snapshot equals one made with no
    view kept."""
    cluster = SwarmCluster(Node.many(3, "node", cpu=4, memory="8Gi",
                                     role=lambda i: "manager" if i == 1 else "worker"), seed=0)
    cluster.deploy_stack("app", STACK)
    for until in [*(tenth / 10 for tenth in range(40)), 31, 45, 60, 61, 62, 90]:
        if until == 31:
            cluster.fail_node("node-3")
        if until == 60:
            cluster.scale("app_web", 2)
        cluster.run(until=until)
        kept = cluster.snapshot()
        cluster._views = {}   # forget every view: all made afresh
        assert cluster.snapshot() == kept, until
