"""kubectl drain's closing lines (clustersim.kubernetes.drainrun), held to what the real
kubectl v1.37.1 printed when two Pods behind a budget of all passed ``--timeout=7s``
against the served API (``RunDrain`` and ``deleteOrEvictPodsSimple`` in kubernetes/kubectl
``pkg/cmd/drain/drain.go``), and a successful drain's lines, the Python API's and the real
kubectl's against the served API."""

from __future__ import annotations

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.drainrun import aggregate, closing_lines, timed_out
from clustersim.serve import serve
from tests.unit.test_k8s_adoption import needs_kubectl
from tests.unit.test_serve_kubectl import Kubectl

P = 'error when evicting pods/"p" -n "default": global timeout reached: 7s'
Q = 'error when evicting pods/"q" -n "default": global timeout reached: 7s'


def test_two_errors_close_as_the_real_kubectl_printed_them():
    assert [timed_out("p", "default", 7), timed_out("q", "default", 7)] == [P, Q]
    assert closing_lines("worker-1", [P, Q], ["p", "q"]) == [
        f'There are pending pods in node "worker-1" when an error occurred: [{P}, {Q}]',
        "pod/p", "pod/q",
        f'error: unable to drain node "worker-1" due to error: [{P}, {Q}], continuing '
        "command...",
        "There are pending nodes to be drained:", " worker-1", P, Q]


def test_an_aggregate_of_one_error_is_that_error_and_repeats_are_said_once():
    """``utilerrors.NewAggregate(...).Error()``."""
    assert aggregate([P]) == P
    assert aggregate([P, Q, P]) == f"[{P}, {Q}]"


def _drain_lines(lines: list[str]) -> tuple[str, list[str], str]:
    """A successful drain's lines as (first, the middle ones sorted, last): kubectl's
    goroutines print the Pods' lines in the order they race to."""
    return lines[0], sorted(lines[1:-1]), lines[-1]


def _expected(node: str, pods: list[str]) -> tuple[str, list[str], str]:
    return (f"node/{node} cordoned",
            sorted([*(f"evicting pod default/{p}" for p in pods),
                    *(f"pod/{p} evicted" for p in pods)]), f"node/{node} drained")


@needs_kubectl
def test_kubectl_drain_against_the_served_api_prints_what_the_python_drain_logs(tmp_path):
    """Under the real kubectl the lines are kubectl's own (``RunDrain``, ``evictPods``,
    ``waitForDelete``); the Python API's drain log holds the same lines for the same drain."""
    with serve("kubernetes", nodes=2, speed=40) as server:
        kubectl = Kubectl(server, tmp_path)
        kubectl("create", "deployment", "web", "--image=nginx", "--replicas=3")
        kubectl("rollout", "status", "deployment/web", "--timeout=60s")
        node = next(p.node for p in server.cluster.pods() if p.node)
        pods = [p.name for p in server.cluster.pods() if p.node == node]
        out = kubectl("drain", node, "--ignore-daemonsets", "--timeout=60s").stdout
    assert _drain_lines(out.splitlines()) == _expected(node, pods)
    cluster = KubernetesCluster(Node.many(2, "worker", cpu="4", memory="8Gi"), seed=0)
    cluster.apply({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                   "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                                "containers": [{"name": "nginx", "image": "nginx"}]}}}})
    cluster.run()
    pods = [p.name for p in cluster.pods() if p.node == "worker-1"]
    cluster.drain("worker-1")
    cluster.run()
    assert _drain_lines([line for _, line in cluster.drain_log]) == _expected("worker-1", pods)
