"""What the records a Mesos run keeps in Python cost at their bound, ``MAX_LOGGED_EVENTS`` each.

One app on 3 agents, scaled between 2 and 3 instances every simulated minute for ``--hours``
simulated hours (default 6), as ``benchmarks/marathon_deployments.py`` runs it. Then, for each
record that keeps up to ``limits.MAX_LOGGED_EVENTS`` items (Marathon's events, the Mesos
master's events, its offers and its dominant shares), prints how many items it holds, the
memory letting them all go frees (tracemalloc, after a collection), that per item, and that
times the bound: what the record holds once the run has filled it.

Measured (2 shared cores, 2026-12-07, ``--hours 6``, 5 s): Marathon's events about 330 B
each, 15.6 MiB at the bound; the master's events about 340 B, 16.1 MiB; its offers about
1,140 B, 54.2 MiB; its shares about 280 B, 13.4 MiB: 99 MiB for the four at their bound,
which this run reaches after about four days (the events, 11,500 and 13,000 a simulated day),
ten (the offers, 5,000 a day) and a month (the shares, 1,440 a day); a master with more
agents offers more a day and fills sooner. The labs hold a few hundred of each (the
two-level scheduling lab's ``offer_flow`` reads 161 offers, of 453 events).

Run: ``python benchmarks/logged_records.py [--hours 6]``.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

from baseline import command_line, parse, positive_int


def _freed(clear: Callable[[], None]) -> int:
    """Bytes that ``clear()`` lets go, after a collection."""
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    clear()
    gc.collect()
    return before - tracemalloc.get_traced_memory()[0]


def run(hours: int) -> None:
    from clustersim import Node, marathon
    from clustersim.limits import MAX_LOGGED_EVENTS
    from clustersim.mesos import MesosCluster

    tracemalloc.start()
    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    m.deploy({"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 128})
    for minute in range(1, hours * 60 + 1):
        cluster.run(until=60 * minute)
        m.scale("/web", 3 if minute % 2 else 2)
    cluster.run(until=60 * (hours * 60 + 1))
    master = cluster.master
    records: dict[str, tuple[int, Callable[[], None]]] = {
        "Marathon's events": (len(m.events), m.events._events.clear),
        "the master's events": (len(cluster.events), cluster.events._events.clear),
        "the master's offers": (len(cluster.offers), cluster.offers.clear),
        "the master's dominant shares": (len(master.share_history), master.share_history.clear),
    }
    total = 0.0
    for name, (count, clear) in records.items():
        each = _freed(clear) / max(count, 1)
        at_bound = each * MAX_LOGGED_EVENTS / 2**20
        total += at_bound
        print(f"{name:<30} {count:>7,} held, {each:>6,.0f} B each, "
              f"{at_bound:>6,.1f} MiB at {MAX_LOGGED_EVENTS:,}", flush=True)
    print(f"{'all four at their bound':<30} {total:>38,.1f} MiB")


def main() -> None:
    parser = command_line(__file__, __doc__)
    parser.add_argument("--hours", type=positive_int, default=6,
                        help="simulated hours of scaling once a minute (default 6)")
    args, _ = parse(parser)
    run(args.hours)


if __name__ == "__main__":
    main()
