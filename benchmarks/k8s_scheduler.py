"""Speed and memory of the Kubernetes scheduler: pods placed per second, peak memory.

Workload (as in ../shared/notes/performance.md): a seeded node mix of 4, 8, 16 and 32 cores
with 4 GiB per core, pods of 24 shapes (100–1000m cpu, 128Mi–4Gi memory), 30 pods per node
on average, every default plugin on (the pods carry no spread or affinity terms, so those
plugins skip) and every feasible node scored. Pods are lean: pods of one shape share their
``spec`` (as the pods of one ReplicaSet share its template) and their labels; each has its own
metadata with a name and a uid (the name itself, which is unique here, so that a node's set of
pod keys holds that string rather than a (namespace, name) pair; the namespace is the
default). Pods are made as they are scheduled. Each size runs in a fresh process so that its
peak resident memory (``ru_maxrss``, the whole process: interpreter, NumPy, the library,
nodes and every bound pod) is its own; the time covers making, scheduling and binding
(``NodeInfo.add_pod``) the pods, not building the nodes. Pods/s is printed twice: over
wall-clock time and over the process's CPU time, which other programs running on the
machine disturb less.

A second workload, ``replicasets``, gives each shape's pods a ReplicaSet (owner reference,
``app`` label), so that PodTopologySpread's system default spreading (hostname and zone)
scores every pod too, as it does for the pods of Deployments.

A third, ``sampled``, sets ``percentageOfNodesToScore: 0`` (upstream's adaptive default: 10%
of 5,000 nodes), so that each cycle scores only the first feasible nodes of its walk.

Each row ends with a hash of the chosen node of every pod, in order (``-`` for a pod placed
nowhere), taken after the timed loop: with ``--base`` at a commit that scores by the same
rules, the two rows of a mode must show the same hash, or a speed-up changed where pods go (a
base scoring by other rules, such as 7c78dcb's BalancedAllocation from before Kubernetes 1.36,
places pods elsewhere, as expected).

Run: ``python benchmarks/k8s_scheduler.py`` (all sizes on the fast path, the ReplicaSet
workload, and the reference path on a sample of pods), or
``python benchmarks/k8s_scheduler.py NODES PODS [fast|reference|replicasets|sampled]``; add
``--base REF`` (a git revision) to print the same row for ``clustersim`` at REF first, as the
base of a speed-up measured in one run (``baseline.py``), and ``--repeat N`` to run the row N
times (base and this tree alternately) and print the fastest of each and their ratio: on a
shared machine one pair can differ by a tenth either way.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator

from baseline import command_line, parse, positive_int, run_at

SIZES = ((100, 3_000), (1_000, 30_000), (5_000, 150_000))
CPU = (100, 200, 250, 500, 750, 1000)
MEMORY = (128, 256, 512, 1024, 2048, 4096)
OWNERS = [
    [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"rs-{k}", "controller": True}]
    for k in range(24)
]
REPLICASETS = [
    {
        "kind": "ReplicaSet",
        "metadata": {"name": f"rs-{k}", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": f"rs-{k}"}}},
    }
    for k in range(24)
]
"""The ReplicaSets of the ``replicasets`` workload, for the scheduler's ``StaticLister``."""
MODES = ("fast", "reference", "replicasets", "sampled")


def workload(
    nodes: int, pods: int, owned: bool = False, seed: int = 0
) -> tuple[list, Iterator[dict]]:
    from clustersim.kubernetes.scheduler.builders import make_node, make_pod

    rng = random.Random(seed)
    infos = []
    for i in range(nodes):
        cores = rng.choice((4, 8, 16, 32))
        infos.append(
            make_node(
                f"node-{i}",
                {"cpu": cores, "memory": f"{4 * cores}Gi"},
                labels={"topology.kubernetes.io/zone": f"zone-{i % 3}"},
            )
        )
    specs = [
        make_pod("template", {"cpu": f"{rng.choice(CPU)}m", "memory": f"{rng.choice(MEMORY)}Mi"})[
            "spec"
        ]
        for _ in range(24)
    ]

    labels = [{"app": f"rs-{k}"} for k in range(len(specs))]

    def manifests() -> Iterator[dict]:
        for i in range(pods):
            k = rng.randrange(len(specs))
            name = f"pod-{i}"
            meta: dict = {"name": name, "uid": name}
            if owned:
                meta["labels"] = labels[k]
                meta["ownerReferences"] = OWNERS[k]
            yield {"metadata": meta, "spec": specs[k]}

    return infos, manifests()


def run(nodes: int, pods: int, mode: str) -> None:
    from clustersim.kubernetes.scheduler import Scheduler, StaticLister

    owned = mode == "replicasets"
    infos, manifests = workload(nodes, pods, owned)
    by_name = {n.name: n for n in infos}
    scheduler = Scheduler(
        {"percentageOfNodesToScore": 0} if mode == "sampled" else None,
        rng=random.Random(0),
        fast=mode != "reference",
        lister=StaticLister(controllers=REPLICASETS) if owned else None,
        fast_spread=True,
    )
    placed = 0
    chosen: list[str | None] = []
    start, start_cpu = time.perf_counter(), time.process_time()
    for pod in manifests:
        result = scheduler.schedule(pod, infos)
        chosen.append(result.node)
        if result.node is not None:
            by_name[result.node].add_pod(pod)
            placed += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    placements = hashlib.sha256("\n".join(n or "-" for n in chosen).encode()).hexdigest()[:12]
    print(
        f"{nodes:>6} nodes {pods:>8} pods  {mode:<11}  {pods / elapsed:>10,.0f} pods/s  "
        f"{elapsed:7.2f} s  (CPU time: {pods / cpu:>8,.0f} pods/s)  placed {placed:>7}  "
        f"peak RSS {peak_mb:6.1f} MB  placements {placements}",
        flush=True,
    )


def _cpu_rate(row: str) -> int:
    """The CPU-time pods/s of a printed row."""
    found = re.search(r"CPU time:\s+([\d,]+) pods/s", row)
    if found is None:
        raise SystemExit(f"no CPU pods/s in {row!r}")
    return int(found.group(1).replace(",", ""))


def repeated(argv: list[str], times: int, base: str | None) -> None:
    """Run one row ``times`` times, each in a fresh process (with a base: base and this tree
    alternately, so that a busy spell of the machine falls on both), print every row, then
    the fastest of each side by CPU time and, with a base, their ratio."""
    rows: dict[str, list[str]] = {}
    for _ in range(times):
        if base is not None:
            rows.setdefault("base", []).append(run_at(base, __file__, argv, capture=True))
        rows.setdefault("this tree", []).append(subprocess.run(
            [sys.executable, __file__, *argv], capture_output=True, text=True, check=True
        ).stdout)
        for side, printed in rows.items():
            print(f"{side + ':':<11}{printed[-1].rstrip()}", flush=True)
    best = {side: max(printed, key=_cpu_rate) for side, printed in rows.items()}
    for side, row in best.items():
        print(f"best of {times}, {side}:\n{row.rstrip()}")
    if base is not None:
        ratio = _cpu_rate(best["this tree"]) / _cpu_rate(best["base"])
        same = len({row.split("placements")[-1].strip() for row in best.values()}) == 1
        print(f"ratio (CPU pods/s, best of {times} each): {ratio:.2f}x; placements "
              + ("the same" if same else "differ: expected if the base scores by other rules "
                 "(e.g. BalancedAllocation before 1.36), else the speed-up moved pods"))


def arguments() -> argparse.ArgumentParser:
    parser = command_line(__file__, __doc__, base=True)
    parser.add_argument("nodes", nargs="?", type=positive_int, help="one row's nodes")
    parser.add_argument("pods", nargs="?", type=positive_int, help="and its pods")
    parser.add_argument("mode", nargs="?", choices=MODES, default="fast",
                        help="the row's workload (default fast)")
    parser.add_argument("--repeat", type=positive_int, default=1, metavar="N",
                        help="run the row N times (base and this tree alternately), print "
                             "the fastest of each and their ratio")
    return parser


def main() -> None:
    parser = arguments()
    args, argv = parse(parser)
    if (args.nodes is None) != (args.pods is None):
        parser.error("give both NODES and PODS, or neither")
    if args.repeat > 1:
        if args.pods is None:
            parser.error("--repeat N needs one row: NODES PODS [MODE] --repeat N")
        repeated([str(args.nodes), str(args.pods), args.mode], args.repeat, args.base)
        return
    if args.base is not None:
        run_at(args.base, __file__, argv)
        print("this tree:", flush=True)
    if args.pods is not None:
        run(args.nodes, args.pods, args.mode)
        return
    runs = [(*size, "fast") for size in SIZES]
    runs += [(100, 3_000, "replicasets"), (1_000, 30_000, "replicasets")]
    runs += [(100, 3_000, "reference"), (1_000, 1_000, "reference"), (5_000, 300, "reference")]
    for nodes, pods, mode in runs:
        subprocess.run([sys.executable, __file__, str(nodes), str(pods), mode], check=True)


if __name__ == "__main__":
    main()
