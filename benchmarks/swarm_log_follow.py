"""Cost of followed service logs (``docker service logs -f``) on a served swarm of many
services: each follower looks for new lines every ``FOLLOW_POLL`` (0.1 s) under the server's
one lock (:mod:`clustersim.serve.dockerlogs`), so what one look costs every other request
waits for.

Prints, for a swarm of ``SERVICES`` services (default 1,000) of two replicas each on 20
workers at ``speed`` 0: the time of ``GET /services/web-0`` (the median of 40) with no
follower and with ``FOLLOWERS`` (default 20) followers of other services open, and the
process's CPU time over :data:`IDLE` seconds without requests (the followers' looks alone)
as a share of one core. Before a look
read only its service's tasks (December 2026) it walked every task of every service: with
1,000 services (2,000 tasks) the followers' looks took 11 % of a core with 20 followers and
38 % with 100; reading the store's index by service, 2 % and 8 % (the GET stayed near 1 ms
on this 2-core machine shared with other work, one run after the other).

Run: ``python benchmarks/swarm_log_follow.py [SERVICES [FOLLOWERS]]``.
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.request
from typing import TYPE_CHECKING

from baseline import command_line, parse, positive_int

if TYPE_CHECKING:
    from clustersim.swarm import SwarmCluster

WORKERS = 20
IDLE = 3.0
"""Wall-clock seconds with no request, over which the followers' CPU time is measured."""


def _swarm(services: int) -> SwarmCluster:
    from clustersim import Node
    from clustersim.swarm import ServiceSpec, SwarmCluster

    nodes = [Node("manager-1", cpu=4, memory="8Gi", role="manager"),
             *Node.many(WORKERS, "worker", cpu=64, memory="256Gi")]
    cluster = SwarmCluster(nodes, seed=0)
    for i in range(services):
        cluster.apply_service(ServiceSpec(name=f"web-{i}", image="nginx:1.27", replicas=2))
    cluster.run(until=60)
    return cluster


def _get(url: str) -> float:
    began = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as answer:
        answer.read()
    return time.perf_counter() - began


def _follow(url: str, stop: threading.Event) -> None:
    with urllib.request.urlopen(url, timeout=600) as answer:
        while not stop.is_set() and answer.read1(1 << 16):
            pass


def main(services: int, followers: int) -> None:
    from clustersim.serve import serve

    cluster = _swarm(services)
    print(f"{services} services, {len(cluster.tasks(history=True))} tasks, "
          f"{followers} followers")
    with serve("swarm", cluster=cluster, speed=0) as server:
        base = f"{server.url}/v1.44/services"
        for count in (0, followers):
            stop = threading.Event()
            for i in range(count):
                threading.Thread(target=_follow, daemon=True, args=(
                    f"{base}/web-{1 + i % (services - 1)}/logs?stdout=1&follow=1",
                    stop)).start()
            time.sleep(1.0)
            cpu = time.process_time()
            time.sleep(IDLE)
            busy = (time.process_time() - cpu) / IDLE
            took = statistics.median(_get(f"{base}/web-0") for _ in range(40))
            print(f"{count:3d} followers: GET /services/web-0 {took * 1000:6.1f} ms, "
                  f"CPU busy while idle {busy:.0%}")
            stop.set()


if __name__ == "__main__":
    parser = command_line(__file__, __doc__)
    parser.add_argument("services", nargs="?", type=positive_int, default=1000,
                        help="services of two replicas (default 1000; at least 2)")
    parser.add_argument("followers", nargs="?", type=positive_int, default=20,
                        help="followers of other services' logs (default 20)")
    args = parse(parser)[0]
    if args.services < 2:
        parser.error("services: at least 2 (the followers follow services other than web-0)")
    main(args.services, args.followers)
