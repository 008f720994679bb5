"""The Kubernetes cluster used as the labs use it: Deployments applied, then ``run()``.

Workload: Kubernetes' largest documented tested cluster, 5,000 nodes and 150,000 pods
(https://kubernetes.io/docs/setup/best-practices/cluster-large/), as 150 Deployments of 1,000
replicas each. Nodes have 4, 8, 16 or 32 cores with 4 GiB per core (seeded), spread over three
zones; each Deployment's pods take one of 24 shapes (100-1000m cpu, 128Mi-4Gi memory), as in
``benchmarks/k8s_scheduler.py``. Everything goes through the public API,
``KubernetesCluster.apply`` and ``run()``, with the default scheduler profile: every default
plugin, PodTopologySpread's system default spreading included (each pod belongs to a
ReplicaSet). The time covers apply (Deployment → ReplicaSet → Pods, scheduling, binding) and
the run until the cluster is quiet (kubelets start every container); not building the nodes.

Each row runs in a fresh process so that its peak resident memory (``ru_maxrss``, the whole
process) is its own; ``--tracemalloc`` also prints the peak of Python allocations (slower).
A row can be cut with ``--timeout SECONDS``: it then prints how many pods were bound by then.

``--unschedulable`` makes every pod ask for 500 cores, more than any node has: the row then
times a backlog the scheduler never places (its rate counts the pods made, all pending), which
the ReplicaSet's bursts of 500 creates per sync turn into one scheduling pass per burst, each
of which must leave the waiting pods alone (``ControllerManager._schedule_pending``). The
default rows end with one such: 3 nodes, 1 Deployment of 60,000 pods.

``--gated`` gives every pod a scheduling gate (``spec.schedulingGates``) that is never
removed: a backlog the scheduler never tries, which its queue holds apart from the start
(``PodIndex.held``), so the ReplicaSet's passes must not walk it either. The default rows end
with one such too, the same size.

Run: ``python benchmarks/k8s_cluster.py`` (100, 1,000 and 5,000 nodes, 30 pods per node, 150
Deployments, then the two backlogs), or ``python benchmarks/k8s_cluster.py NODES
[DEPLOYMENTS REPLICAS] [--timeout S] [--tracemalloc] [--unschedulable | --gated] [--base
REF]``; ``--base REF`` (a git revision) prints the same rows for ``clustersim`` at REF first
(``baseline.py``).
"""

from __future__ import annotations

import argparse
import random
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
from typing import TYPE_CHECKING, Any

from baseline import command_line, parse, positive_int, run_at, span_seconds

if TYPE_CHECKING:
    from clustersim import Node
    from clustersim.kubernetes import KubernetesCluster

SIZES = (100, 1_000, 5_000)
BACKLOG = ("3", "1", "60000", "--unschedulable")
"""The backlog row: nodes, Deployments, replicas."""
GATED_BACKLOG = (*BACKLOG[:3], "--gated")
"""The gated backlog row."""
GATE = "example.com/never"
NEVER_FITS = "500"
"""Cores a pod of ``--unschedulable`` asks for: more than any node has."""
DEPLOYMENTS = 150
PODS_PER_NODE = 30
CPU = (100, 200, 250, 500, 750, 1000)
MEMORY = (128, 256, 512, 1024, 2048, 4096)


class _Cut(BaseException):
    """The row ran out of its time budget (a BaseException, so that apply does not roll back)."""


def nodes(count: int, seed: int = 0) -> list[Node]:
    from clustersim import Node

    rng = random.Random(seed)
    out = []
    for i in range(count):
        cores = rng.choice((4, 8, 16, 32))
        out.append(Node(f"node-{i}", cpu=cores, memory=f"{4 * cores}Gi", zone=f"zone-{i % 3}"))
    return out


def deployments(count: int, replicas: int, seed: int = 0,
                cpu: str | None = None) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    shapes = [(f"{rng.choice(CPU)}m", f"{rng.choice(MEMORY)}Mi") for _ in range(24)]
    out = []
    for k in range(count):
        shape_cpu, memory = shapes[k % len(shapes)]
        labels = {"app": f"app-{k}"}
        out.append({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": f"app-{k}"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{
                        "name": "app",
                        "image": "registry.example/app:1",
                        "resources": {"requests": {"cpu": cpu or shape_cpu,
                                                   "memory": memory}},
                    }]},
                },
            },
        })
    return out


def _bound(cluster: KubernetesCluster) -> int:
    return sum(len(cluster.node(name).pods) for name in cluster.node_names())


def run(count: int, deploys: int, replicas: int, timeout: float, trace: bool,
        unschedulable: bool = False, gated: bool = False) -> None:
    from clustersim.kubernetes import KubernetesCluster

    cluster = KubernetesCluster(nodes(count))
    manifests = deployments(deploys, replicas, cpu=NEVER_FITS if unschedulable else None)
    for manifest in manifests if gated else ():
        manifest["spec"]["template"]["spec"]["schedulingGates"] = [{"name": GATE}]
    unschedulable = unschedulable or gated
    pods = deploys * replicas
    if trace:
        tracemalloc.start()

    def cut(*_: Any) -> None:
        raise _Cut

    signal.signal(signal.SIGALRM, cut)
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    start, start_cpu = time.perf_counter(), time.process_time()
    status = "done"
    try:
        cluster.apply(manifests)
        cluster.run()
    except _Cut:
        status = f"CUT after {timeout:g} s"
    signal.setitimer(signal.ITIMER_REAL, 0)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    bound = len(cluster.objects("Pod")) if unschedulable else _bound(cluster)
    placed = "pending" if unschedulable else "bound"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    traced = ""
    if trace:
        traced = f"  tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MB"
        tracemalloc.stop()
    print(
        f"{count:>6} nodes {deploys:>4} x {replicas:>5} = {pods:>7} pods  {placed} {bound:>7}  "
        f"{bound / elapsed:>9,.0f} pods/s  {elapsed:8.2f} s  (CPU {bound / cpu:>9,.0f} pods/s)  "
        f"peak RSS {peak_mb:7.1f} MB{traced}  {status}",
        flush=True,
    )


def arguments() -> argparse.ArgumentParser:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("nodes", nargs="?", type=positive_int,
                        help=f"one row's nodes (default: {', '.join(map(str, SIZES))}, "
                             "then the backlog)")
    parser.add_argument("deployments", nargs="?", type=positive_int,
                        help=f"its Deployments (default {DEPLOYMENTS})")
    parser.add_argument("replicas", nargs="?", type=positive_int,
                        help=f"replicas of each (default: {PODS_PER_NODE} pods per node)")
    parser.add_argument("--timeout", type=span_seconds, default=0.0, metavar="S",
                        help="cut a row after S seconds")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also print the peak of Python allocations (slower)")
    backlog = parser.add_mutually_exclusive_group()
    backlog.add_argument("--unschedulable", action="store_true",
                         help="every pod asks for more cores than any node has")
    backlog.add_argument("--gated", action="store_true",
                         help="every pod has a scheduling gate that is never removed")
    return parser


def main() -> None:
    args, argv = parse(arguments())
    if args.base is not None:
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    if args.nodes:
        deploys = args.deployments or DEPLOYMENTS
        replicas = args.replicas or args.nodes * PODS_PER_NODE // deploys
        run(args.nodes, deploys, replicas, args.timeout, args.tracemalloc, args.unschedulable,
            args.gated)
        return
    for row in [(str(count),) for count in SIZES] + [BACKLOG, GATED_BACKLOG]:
        command = [sys.executable, __file__, *row]
        if args.timeout:
            command += ["--timeout", f"{args.timeout:g}"]
        if args.tracemalloc:
            command.append("--tracemalloc")
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
