"""What the records a Mesos run keeps in Python cost at their bounds.

One app on 3 agents, scaled between 2 and 3 instances every simulated minute for ``--hours``
simulated hours (default 6), as ``benchmarks/marathon_deployments.py`` runs it. Then, for each
bounded record (Marathon's events and the Mesos master's, ``limits.MAX_LOGGED_EVENTS`` each;
the master's offers and its dominant shares, ``limits.MAX_RECORDED_OFFERS``), prints how
many items it holds, the memory letting them all go frees (tracemalloc, after a
collection), that per item, and that times its bound: what the record holds once the run
has filled it.

Measured (2 shared cores, 2026-12-07, ``--hours 6 --base 86857168``, 5 s each): Marathon's
events about 330 B each, 15.6 MiB at their bound (``MAX_LOGGED_EVENTS``, 50,000); the
master's events about 340 B, 16.1 MiB; its offers about 1,140 B and its shares about 280 B,
54.2 and 13.4 MiB at 50,000 each before, 10.9 and 2.7 MiB at ``MAX_RECORDED_OFFERS``
(10,000) after: 99 MiB for the four at their bounds before, 45 MiB after. This run reaches
the bounds after about four days (the events, 11,500 and 13,000 a simulated day), two (the
offers, 5,000 a day) and a week (the shares, 1,440 a day); a master with more agents offers
more a day and fills sooner. The labs hold a few hundred of each (the two-level scheduling
lab's ``offer_flow`` reads 161 offers, of 453 events).

Run: ``python benchmarks/logged_records.py [--hours 6] [--base REF]``.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable

from baseline import command_line, parse, positive_int, run_at


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
    records: dict[str, tuple[int, int, Callable[[], None]]] = {
        "Marathon's events": (len(m.events), MAX_LOGGED_EVENTS, m.events._events.clear),
        "the master's events": (len(cluster.events), MAX_LOGGED_EVENTS,
                                cluster.events._events.clear),
        "the master's offers": (len(cluster.offers), getattr(cluster.offers, "keep",
                                                             MAX_LOGGED_EVENTS),
                                cluster.offers.clear),
        "the master's dominant shares": (len(master.share_history),
                                         getattr(master.share_history, "keep",
                                                 MAX_LOGGED_EVENTS),
                                         master.share_history.clear),
    }
    total = 0.0
    for name, (count, bound, clear) in records.items():
        each = _freed(clear) / max(count, 1)
        at_bound = each * bound / 2**20
        total += at_bound
        print(f"{name:<30} {count:>7,} held, {each:>6,.0f} B each, "
              f"{at_bound:>6,.1f} MiB at {bound:,}", flush=True)
    print(f"{'all four at their bound':<30} {total:>38,.1f} MiB")


def main() -> None:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--hours", type=positive_int, default=6,
                        help="simulated hours of scaling once a minute (default 6)")
    args, argv = parse(parser)
    if args.base:
        print(f"at {args.base}:", flush=True)
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    run(args.hours)


if __name__ == "__main__":
    main()
