"""The matching-pod counts the scheduler's fast path keeps per node for PodTopologySpread's
system default spreading (:mod:`clustersim.kubernetes.scheduler.spreadcounts`) follow a bound
Pod's labels when an update changes them (``NodeInfo.pods_changed``), so the fast path places
a Pod where the reference cycle (``Scheduler.explain``) scores best."""

from __future__ import annotations

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from tests.unit.test_k8s_cluster import pod


def _labelled(name, app, node=None):
    found = pod(name, **({"nodeName": node} if node else {}))
    found["metadata"]["labels"] = {"app": app}
    return found


def test_a_bound_pods_new_labels_count_where_it_runs():
    """Three ``web`` Pods on node-1 and three others on node-2 swap labels after the
    Service's selector was counted (``m`` scheduled); the next ``web`` Pod spreads away from
    the three now on node-2."""
    cluster = KubernetesCluster([Node("node-1", cpu="4", memory="8Gi"),
                                 Node("node-2", cpu="4", memory="8Gi")])
    cluster.apply([{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                    "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
                   *(_labelled(f"a{i}", "web", "node-1") for i in range(3)),
                   *(_labelled(f"b{i}", "other", "node-2") for i in range(3))])
    cluster.run(until=10)
    cluster.apply(_labelled("m", "web"))
    cluster.run(until=15)
    assert cluster.get("Pod", "default", "m")["spec"]["nodeName"] == "node-2"
    cluster.apply([*(_labelled(f"a{i}", "other", "node-1") for i in range(3)),
                   *(_labelled(f"b{i}", "web", "node-2") for i in range(3))])
    cluster.run(until=20)
    incoming = _labelled("n", "web")
    verdicts = cluster.scheduler.explain(incoming, list(cluster._nodes.values()))
    assert verdicts["node-1"].total > verdicts["node-2"].total
    cluster.apply(incoming)
    cluster.run(until=30)
    assert cluster.get("Pod", "default", "n")["spec"]["nodeName"] == "node-1"
