"""What a large service's life costs in the Swarm simulator: create, scale, update, remove.

``docker service create --replicas 100000`` and then ``docker service rm`` must not stall the
served daemon: each step below is one API call followed by simulated time, and its cost
should grow about linearly with the replica count (a store that scans every task for each
task that ends, or a scheduling pass that counts every node's tasks again, grows with its
square). For each replica count the script creates a replicated service on 50 nodes and runs
to steady state, scales it up by half, rolls a new image through it (1,000 slots at a time),
removes it, and prints the CPU seconds of each step (``time.process_time``, which other
programs on a shared machine disturb less than wall time). Run:

    python benchmarks/swarm_lifecycle.py [REPLICAS ...] [--base REF]

(default 5000 20000 100000; ``--base REF`` prints the same lines for ``clustersim`` at the
git revision REF first, ``baseline.py``; an older tree may take minutes at 100,000).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from baseline import command_line, parse, positive_int, run_at

if TYPE_CHECKING:
    from clustersim.swarm import SwarmCluster

COUNTS = (5000, 20000, 100000)


def settle(cluster: SwarmCluster) -> None:
    """Run until quiet in spans of one simulated second: a run is capped at a million
    events (``clustersim.limits.MAX_RUN_EVENTS``), which 100,000 tasks pass in one go."""
    while cluster.busy():
        cluster.run(until=cluster.clock.now + 1)


def timed(step: Callable[[], object]) -> float:
    start = time.process_time()
    step()
    return time.process_time() - start


def lifecycle(replicas: int) -> dict[str, float]:
    """CPU seconds of each step for one service of ``replicas`` tasks."""
    from clustersim import Node
    from clustersim.swarm import SwarmCluster

    cluster = SwarmCluster([Node("m", 64, "256Gi", role="manager"),
                            *Node.many(49, "w", cpu=64, memory="256Gi")], seed=0)
    figures: dict[str, float] = {}

    def create() -> None:
        cluster.deploy_stack("big", {"services": {"web": {
            "image": "nginx:1.27", "deploy": {"replicas": replicas,
                                              "update_config": {"parallelism": 1000}}}}})
        settle(cluster)

    def scale() -> None:
        cluster.scale("big_web", replicas + replicas // 2)
        settle(cluster)

    def update() -> None:
        cluster.update_service("big_web", image="nginx:1.28")
        settle(cluster)

    def remove() -> None:
        cluster.remove_service("big_web")
        settle(cluster)

    for name, step in (("create", create), ("scale", scale), ("update", update),
                       ("rm", remove)):
        figures[name] = timed(step)
    return figures


def main() -> None:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("replicas", nargs="*", type=positive_int,
                        help=f"replica counts (default {' '.join(map(str, COUNTS))})")
    args, argv = parse(parser)
    if args.base is not None:
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    for replicas in args.replicas or COUNTS:
        figures = lifecycle(replicas)
        steps = "  ".join(f"{name} {seconds:7.2f} s" for name, seconds in figures.items())
        print(f"{replicas:7d} replicas on 50 nodes: {steps}", flush=True)


if __name__ == "__main__":
    main()
