"""How long building a cluster takes, and that it grows linearly with the nodes.

Builds Kubernetes, Swarm and Mesos clusters of 5,000, 20,000 and 40,000 nodes (4 CPU, 16 GiB)
and prints the wall time of each constructor. Building used to be quadratic: every joining
Kubernetes node ran the whole control loop, Mesos checked each new agent's name against every
agent, and Swarm counted every name in the list of names (40,000 Kubernetes nodes: about three
minutes). Linear means the time per node stays flat as the cluster grows.

Run: ``python benchmarks/cluster_build.py [nodes ...]``.
"""

from __future__ import annotations

import time

from baseline import command_line, parse, positive_int

SIZES = (5_000, 20_000, 40_000)


def main() -> None:
    parser = command_line(__file__, __doc__)
    parser.add_argument("nodes", nargs="*", type=positive_int,
                        help=f"cluster sizes (default {' '.join(map(str, SIZES))})")
    args, _ = parse(parser)
    from clustersim import Node
    from clustersim.kubernetes import KubernetesCluster
    from clustersim.mesos import MesosCluster
    from clustersim.swarm import SwarmCluster

    for size in args.nodes or SIZES:
        nodes = Node.many(size, "node", cpu=4, memory="16Gi")
        for build in (KubernetesCluster, SwarmCluster, MesosCluster):
            start = time.perf_counter()
            build(nodes)
            seconds = time.perf_counter() - start
            print(f"{build.__name__:18} {size:>7,} nodes  {seconds:6.2f} s  "
                  f"{seconds / size * 1e6:6.1f} µs/node")


if __name__ == "__main__":
    main()
