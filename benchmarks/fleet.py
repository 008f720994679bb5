"""Cost of the fleet-at-scale lab: placing its Pods under both profiles, and the figure's size.

The lab (``notebooks/fleet-at-scale.ipynb``) places the same seeded stream of Pods on a fresh
5,000-node fleet under LeastAllocated and under MostAllocated, snapshots five fill levels and
draws them per zone and node size. Printed per size: wall-clock and CPU seconds of
``compare_profiles`` (both profiles), Pods scheduled per second, peak resident memory of the
process so far, and the size of the figure's JSON (which should not grow with the fleet).

Run: ``python benchmarks/fleet.py`` or ``python benchmarks/fleet.py NODES PODS``.
"""

from __future__ import annotations

import resource
import time

from baseline import command_line, parse, positive_int

SIZES = ((500, 6_000), (5_000, 60_000))


def run(nodes: int, pods: int) -> None:
    from clustersim.kubernetes.fleet import compare_profiles
    from clustersim.viz.fleet import fleet_figure

    start, start_cpu = time.perf_counter(), time.process_time()
    results = compare_profiles(nodes=nodes, pods=pods, levels=5, seed=0)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    size = len(fleet_figure(results).to_json())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{nodes:>6} nodes {pods:>7} pods x 2 profiles  {elapsed:6.2f} s "
          f"(CPU {cpu:6.2f} s)  {2 * pods / elapsed:>8,.0f} pods/s  "
          f"figure {size / 1024:5.1f} kB  peak RSS {peak_mb:6.1f} MB", flush=True)


def main() -> None:
    parser = command_line(__file__, __doc__)
    parser.add_argument("nodes", nargs="?", type=positive_int, help="one fleet's nodes")
    parser.add_argument("pods", nargs="?", type=positive_int, help="and its pods (default: "
                        + ", then ".join(f"{n} and {p}" for n, p in SIZES) + ")")
    args = parse(parser)[0]
    if (args.nodes is None) != (args.pods is None):
        parser.error("give both NODES and PODS, or neither")
    for nodes, pods in [(args.nodes, args.pods)] if args.pods else SIZES:
        run(nodes, pods)


if __name__ == "__main__":
    main()
