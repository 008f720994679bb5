"""What DefaultPreemption costs when it has victims to find, through the public API.

Workload: NODES nodes of 4 cores, filled by a Deployment of 4 x NODES one-core Pods of
priority 0; then a Deployment of PREEMPTORS one-core Pods of a PriorityClass of value 1000,
each of which must preempt one of them (and the victims' replacements then try, and fail,
to preempt in turn). The row times the second apply and the run until the cluster is quiet,
in process (CPU) time, and prints a hash of the ``Preempted`` events (victim and node) so
that a change can show it chose the same victims. Upstream's dry run tries only
``numCandidates`` of more than 100 potential nodes, from a random offset
(``pkg/scheduler/framework/preemption/preemption.go``), so the victims differ from a search
of every node beyond 100 nodes.

Growth (``--growth``): the same workload at 50, 150 and 400 nodes with NODES / 2 preemptors,
each nominated to a node while its victim terminates, and how much the CPU time grows with
the node count. Every Filter of the dry run (per node tried and per victim) looks up the
Pods nominated to that node (``NominatedPodsForNode``): when each look-up read every
nominated Pod, 400 nodes took 18.1 s of CPU (x61 the 50 nodes' time), against 7.7 s (x35)
once a look-up read only that node's (December 2026, one run of ``--growth --base``).

Constrained (``--constrained``): the nodes are spread over three zones and each preemptor
carries a DoNotSchedule topology spread constraint over the zones and a required pod
anti-affinity on the hostname against the others, so InterPodAffinity's and
PodTopologySpread's PreFilter state is in every check of the dry run. The dry run updates a
copy of that state by each victim it removes or puts back (``AddPod``/``RemovePod``); when it
ran those PreFilters again over every node for each check instead, 100 nodes with 20
preemptors took 6.55 s of CPU against 0.43 s (x15), with the same victims (December 2026,
one run of ``--constrained --base``).

Run: ``python benchmarks/k8s_preemption.py [NODES [PREEMPTORS]] [--growth] [--constrained]
[--base REF]`` (default 100 nodes, 20 preemptors); ``--base REF`` prints the same rows for
``clustersim`` at REF first.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from baseline import command_line, parse, positive_int, run_at

ZONE = "topology.kubernetes.io/zone"


def deployment(name: str, replicas: int, priority_class: str | None = None,
               constrained: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [{"name": "app", "image": "registry.example/app:1",
                                            "resources": {"requests": {"cpu": "1"}}}]}
    if priority_class:
        spec["priorityClassName"] = priority_class
    if constrained:
        own = {"matchLabels": {"app": name}}
        spec["topologySpreadConstraints"] = [{"maxSkew": 1, "topologyKey": ZONE,
                                              "whenUnsatisfiable": "DoNotSchedule",
                                              "labelSelector": own}]
        spec["affinity"] = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
                                                [{"labelSelector": own,
                                                  "topologyKey": "kubernetes.io/hostname"}]}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}}


GROWTH = (50, 150, 400)
"""The node counts of ``--growth``."""


def run(count: int, preemptors: int, constrained: bool = False) -> float:
    from clustersim import Node
    from clustersim.kubernetes import KubernetesCluster

    zones = {"labels": lambda i: {ZONE: f"zone-{i % 3}"}} if constrained else {}
    cluster = KubernetesCluster(Node.many(count, "node", cpu="4", memory="16Gi", **zones),
                                seed=0)
    cluster.apply([{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                    "metadata": {"name": "critical"}, "value": 1000},
                   deployment("batch", 4 * count)])
    cluster.run()
    start = time.process_time()
    cluster.apply(deployment("critical", preemptors, "critical", constrained))
    cluster.run()
    cpu = time.process_time() - start
    preempted = [f"{e.object} {e.message.rsplit(' ', 1)[-1]}"
                 for e in cluster.events.where(reason="Preempted")]
    digest = hashlib.sha256("\n".join(preempted).encode()).hexdigest()[:16]
    print(f"{count:>6} nodes {preemptors:>5} preemptors{' constrained' if constrained else ''}"
          f"  {len(preempted):>5} preempted  "
          f"CPU {cpu:8.2f} s  victims {digest}", flush=True)
    return cpu


def growth() -> None:
    """The ``--growth`` rows, then each size's CPU time as a multiple of the first's."""
    times = [run(count, count // 2) for count in GROWTH]
    print("growth: " + ", ".join(
        f"{count} nodes (x{count / GROWTH[0]:g}) CPU x{cpu / times[0]:.1f}"
        for count, cpu in zip(GROWTH[1:], times[1:], strict=True)), flush=True)


def main() -> None:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("nodes", nargs="?", type=positive_int, default=100,
                        help="nodes of 4 cores (default 100)")
    parser.add_argument("preemptors", nargs="?", type=positive_int, default=20,
                        help="Pods of priority 1000 that must preempt (default 20)")
    parser.add_argument("--growth", action="store_true",
                        help=f"run {', '.join(map(str, GROWTH))} nodes with half as many "
                             "preemptors instead, and print the growth")
    parser.add_argument("--constrained", action="store_true",
                        help="zones, and preemptors with a topology spread constraint and a "
                             "required pod anti-affinity")
    args, argv = parse(parser)
    if args.base is not None:
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    if args.growth:
        growth()
    else:
        run(args.nodes, args.preemptors, args.constrained)


if __name__ == "__main__":
    main()
