"""What one run of the example ``shop`` costs on each system, and a fingerprint of its results.

The three-dialects explorer runs :func:`clustersim.scenarios.shop.run_shop` once per system
for every new combination of its controls, so these runs are most of a cold move's time
(``widget_update.py`` times the moves themselves). For each system the script makes the runs
of every api replica count 0-6, with no failure and with the busiest node failed at 30, 60 and
120 s, for seeds 0 and 3 (56 runs), past ``run_shop``'s cache, and prints the CPU ms per run
(``time.process_time``, which other programs on the machine disturb less than wall time; the
first run of each system also pays for importing its simulator) and a hash of every run's
``repr`` (tier counts, snapshots and events). A speed-up that changes no result leaves the
hashes as they were: compare them with ``--base``. ``--without-events`` leaves the events out
of the hash, for a change to what is recorded that should leave placements and counts as they
were.

Run: ``python benchmarks/shop_runs.py [--without-events] [--base REF]``; ``--base REF`` (a git
revision) prints the same lines for ``clustersim`` at REF first (``baseline.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time

from baseline import command_line, parse, run_at

FAILURES = (None, 30.0, 60.0, 120.0)
SEEDS = (0, 3)


def measure(system: str, *, events: bool = True) -> tuple[str, float, int]:
    """The hash of every run's repr (without its events unless ``events``), the CPU ms per
    run, and the number of runs."""
    from clustersim.scenarios.shop import run_shop

    simulate = getattr(run_shop, "__wrapped__", run_shop)   # past the cache (older trees: none)
    digest = hashlib.sha256()
    runs = 0
    start = time.process_time()
    for seed in SEEDS:
        for replicas in range(7):
            for fail_at in FAILURES:
                run = simulate(system, api_replicas=replicas, fail_at=fail_at, seed=seed)
                digest.update(repr(run if events else dataclasses.replace(run, events=[]))
                              .encode())
                runs += 1
    cpu_ms = (time.process_time() - start) * 1000 / runs
    return digest.hexdigest()[:16], cpu_ms, runs


def main() -> None:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("--without-events", action="store_true",
                        help="leave the events out of the hash")
    args, argv = parse(parser)
    if args.base is not None:
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    from clustersim.scenarios.shop import SYSTEMS

    for system in SYSTEMS:
        digest, cpu_ms, runs = measure(system, events=not args.without_events)
        print(f"{system:<11} results {digest}  {cpu_ms:6.1f} ms CPU per run ({runs} runs)",
              flush=True)


if __name__ == "__main__":
    main()
