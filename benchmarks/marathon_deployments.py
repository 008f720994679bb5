"""What a long-running Marathon keeps of its finished deployments.

One app on 3 agents, scaled between 2 and 3 instances every simulated minute for a simulated
day (1,440 deployments, ``--hours`` to change). Prints, every 6 simulated hours, the
deployments the framework holds, the memory the run holds more than at its start
(tracemalloc, after a collection) and, at the end, what letting every finished deployment
go frees: the part of the growth the deployments are.

Measured (``--base`` at the commit before the bound, 2 shared cores, 2026-12-07): keeping
every finished deployment, 1,441 held and 18,484 KiB grown after a day, 2,678 KiB of it
theirs (about 1.9 KiB each: steps and the group tree before the change); keeping the last
50 (``FINISHED_DEPLOYMENTS``), 50 held, 15,896 KiB grown, 79 KiB theirs. Most of the rest is
the framework's and the Mesos master's event logs (each kept up to ``MAX_LOGGED_EVENTS``
events) and the master's own records, not looked into here.

Run: ``python benchmarks/marathon_deployments.py [--hours 24] [--base REF]``.
"""

from __future__ import annotations

import gc
import tracemalloc

from baseline import command_line, parse, positive_int, run_at


def run(hours: int) -> None:
    from clustersim import Node, marathon
    from clustersim.mesos import MesosCluster

    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    m.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 128})
    cluster.run(until=60)
    tracemalloc.start()
    gc.collect()
    start = tracemalloc.get_traced_memory()[0]
    for minute in range(2, hours * 60 + 2):
        m.scale("/web", 3 if minute % 2 else 2)
        cluster.run(until=60 * minute)
        if (minute - 1) % 360 == 0:
            gc.collect()
            grown = (tracemalloc.get_traced_memory()[0] - start) // 1024
            print(f"hour {(minute - 1) // 60:>3}: deployments held {len(m.deployments):>5}, "
                  f"memory grown {grown:>7,} KiB")
    held = tracemalloc.get_traced_memory()[0]
    m.deployments[:] = [d for d in m.deployments if d.status == "running"]
    gc.collect()
    print(f"letting every finished deployment go frees "
          f"{(held - tracemalloc.get_traced_memory()[0]) // 1024:,} KiB")


def main() -> None:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--hours", type=positive_int, default=24,
                        help="simulated hours of scaling once a minute (default 24)")
    args, argv = parse(parser)
    if args.base:
        print(f"at {args.base}:", flush=True)
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    run(args.hours)


if __name__ == "__main__":
    main()
