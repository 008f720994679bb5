"""What a long-running Marathon keeps: its finished deployments and everything else that grows.

One app on 3 agents, scaled between 2 and 3 instances every simulated minute for a simulated
day (1,440 deployments, ``--hours`` to change), in Python or, with ``--served``, through the
served API (``PUT /v2/apps/web`` to a ``MarathonBackend`` in this process, as ``python -m
clustersim serve marathon`` runs it). Prints, every 6 simulated hours, the memory the run
holds more than at its start and the bytes it grew per simulated minute since the last line
(tracemalloc, after a collection), with what the records that grow hold: the framework's
deployments, its and the Mesos master's events, the master's offers, dominant shares and
completed tasks, and the deployment starts and served versions held; at the end, what letting
every finished deployment go frees.

Measured (2 shared cores, 2026-12-07, each with ``--base`` in the same run):

- finished deployments (``--base`` at the commit before their bound): keeping every one,
  1,441 held and 18,484 KiB grown after a day, 2,678 KiB of it theirs (about 1.9 KiB each:
  steps and the group tree before the change); keeping the last 50
  (``FINISHED_DEPLOYMENTS``), 50 held, 15,896 KiB grown, 79 KiB theirs.
- the rest, in Python (``--base f2acd100``, before the share history's bound): about
  11.2 KiB a simulated minute all day, the same on both sides. It is the records filling up
  to their bounds: the framework's and the master's events (8 and 9 a minute, up to
  ``MAX_LOGGED_EVENTS`` each, reached after about four days), the master's offers (3.5 a
  minute, the same bound then, about ten days; ``MAX_RECORDED_OFFERS``, 10,000, since, about
  two), its completed tasks (0.5 a minute, up to ``MAX_COMPLETED_TASKS_PER_FRAMEWORK``,
  1,000, as Mesos keeps them: a day and a half) and its dominant shares (1 a minute). The
  shares had no bound (a real master keeps none); they keep ``MAX_RECORDED_OFFERS`` too
  now, beyond the day measured (``benchmarks/logged_records.py``).
- served (``--served --hours 72 --base f2acd100``): 16.3 KiB a simulated minute for the
  first 18 hours before, 12.1 after (the event bus held the data of every event in its log,
  a finished deployment with its group tree each, where it now holds what an attached
  stream has still to read: none here); from the second day on, 2.8 KiB a minute before
  (the offers, which the served master kept up to ``MAX_LOGGED_EVENTS``, and the shares)
  and none after (-0.5 to +1.7 KiB a minute as the records trim, at 22 MiB): a served
  master keeps ``SERVED_EVENTS`` offers and shares, as it keeps events.

- the start of every deployment (``Marathon._started``) and, served, its version's instant
  (``MarathonTime``), printed on each line as held (``--base 5aa2d0c8``, before their bound):
  kept for every deployment, 1,441 of each after a day, 46 KiB and 58 KiB, growing by as
  much every day; kept only while a stored version (at most ``--zk_max_versions``, 50, per
  app) or a kept deployment refers to them, 56 to 256 of each, 5 to 25 KiB whatever the
  length of the run. The day's growth above is the same within noise: the event logs fill
  to their bound for the first four days.

Run: ``python benchmarks/marathon_deployments.py [--hours 24] [--served] [--base REF]``.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc

from baseline import command_line, parse, positive_int, run_at


def run(hours: int, served: bool) -> None:
    import json

    from clustersim import Node, marathon
    from clustersim.mesos import MesosCluster

    cluster = MesosCluster(Node.many(3, "agent", cpu=4, memory="8Gi"), seed=0)
    m = cluster.register(marathon.Marathon())
    app = {"id": "/web", "cmd": "serve", "instances": 2, "cpus": 0.5, "mem": 128}
    if served:
        from clustersim.serve.core import Request
        from clustersim.serve.marathon import MarathonBackend

        backend = MarathonBackend(cluster, epoch=1.8e9)
        headers = {"content-type": "application/json", "accept": "application/json"}

        def change(method: str, path: str, body: dict) -> None:
            answer = backend.handle(Request(method, path, {}, headers,
                                            json.dumps(body).encode()))
            if answer.status >= 300:
                raise SystemExit(f"{method} {path} answered {answer.status}: {answer.body!r}")

        change("POST", "/v2/apps", app)

        def scale(count: int) -> None:
            change("PUT", "/v2/apps/web", {"instances": count})
    else:
        m.deploy(app)

        def scale(count: int) -> None:
            m.scale("/web", count)
    cluster.run(until=60)
    tracemalloc.start()
    gc.collect()
    start = last = tracemalloc.get_traced_memory()[0]
    master = cluster.master
    for minute in range(2, hours * 60 + 2):
        scale(3 if minute % 2 else 2)
        cluster.run(until=60 * minute)
        if (minute - 1) % 360 == 0:
            gc.collect()
            now = tracemalloc.get_traced_memory()[0]
            starts = m._started   # a list of every start before their bound, a dict after
            versions = backend.times._versions if served else {}
            print(f"hour {(minute - 1) // 60:>3}: deployment starts held {len(starts):,} "
                  f"({_bytes(starts) / 1024:,.1f} KiB)" + (
                      f", served versions {len(versions):,} ({_bytes(versions) / 1024:,.1f} KiB)"
                      if served else ""), flush=True)
            print(f"hour {(minute - 1) // 60:>3}: grown {(now - start) // 1024:>7,} KiB, "
                  f"{(now - last) / 360:>6,.0f} B per simulated minute since the last line; "
                  f"held: deployments {len(m.deployments)}, events {len(m.events)} + "
                  f"{len(cluster.events)}, offers {len(cluster.offers)}, shares "
                  f"{len(master.share_history)}, completed tasks "
                  f"{sum(len(kept) for kept in master.completed_tasks.values())}", flush=True)
            last = now
    held = tracemalloc.get_traced_memory()[0]
    m.deployments[:] = [d for d in m.deployments if d.status == "running"]
    gc.collect()
    print(f"letting every finished deployment go frees "
          f"{(held - tracemalloc.get_traced_memory()[0]) // 1024:,} KiB")


def _bytes(record: list | dict) -> int:
    """About how many bytes ``record`` (a list of numbers, or a dict of numbers by number)
    holds: the container and each number in it (a small int is shared, and counted anyway)."""
    items = list(record.items()) if isinstance(record, dict) else [(v,) for v in record]
    return sys.getsizeof(record) + sum(sys.getsizeof(x) for item in items for x in item)


def main() -> None:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--hours", type=positive_int, default=24,
                        help="simulated hours of scaling once a minute (default 24)")
    parser.add_argument("--served", action="store_true",
                        help="scale through the served API (PUT /v2/apps/web), as "
                             "python -m clustersim serve marathon does")
    args, argv = parse(parser)
    if args.base:
        print(f"at {args.base}:", flush=True)
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    run(args.hours, args.served)


if __name__ == "__main__":
    main()
