"""How long loading the whole real-world corpus takes, and how fast hostile input is refused.

Run: ``python benchmarks/load_corpus.py [repeats]`` from the repository root. Prints the time
to load all of ``../shared/realworld/`` (parse, validate, expand, workloads), per system and
in total (best of ``repeats`` runs), the peak memory of one full load, and the time and peak
memory to refuse hostile input of a few bytes (issue 16): a billion-laughs alias bomb, forty
small bombs in forty documents, a document nested 100 000 deep, an alias inside its own
anchor, a chain of 3 000 aliases, a port range of 300 million ports, forty 1-65535 ranges,
and ``cpus: '1e99999999'``.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

from baseline import command_line, parse, positive_int

SHARED = os.environ.get("CLUSTERSIM_SHARED") or Path(__file__).resolve().parents[2] / "shared"
REALWORLD = Path(SHARED) / "realworld"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)


SMALL_BOMB = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{','.join([f'*{p}'] * 10)}]\n" for p, n in zip("abc", "bcd", strict=True)
)
SERVICE = "services:\n  web:\n    image: nginx\n"
HOSTILE = {
    "alias bomb (9^10 nodes)": BOMB,
    "40 documents of 11,110 nodes": "\n---\n".join([SMALL_BOMB] * 40),
    "nesting 100 000 deep": "[" * 100_000,
    "alias inside its anchor": "a: &a [*a]\n",
    "chain of 3 000 aliases": "a0: &a0 [x]\n"
    + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 3000)),
    "port range 1-300000000": SERVICE + "    ports: ['1-300000000:1-300000000']\n",
    "forty 1-65535 ranges": SERVICE + "    ports: [" + ", ".join(["'1-65535'"] * 40) + "]\n",
    "cpus '1e99999999'": SERVICE + "    deploy: {resources: {limits: {cpus: '1e99999999'}}}\n",
}


def load_all(files: list[Path]) -> int:
    from clustersim import ManifestError, load_manifests

    count = 0
    for path in files:
        try:
            specs = load_manifests(path)
        except ManifestError:
            continue  # a file the real system refuses (see tests/corpus)
        count += len(specs) + len(specs.workloads())
    return count


def best_of(repeats: int, action) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main(repeats: int = 5) -> None:
    from clustersim import ManifestError, load_manifests

    if not REALWORLD.is_dir():
        sys.exit(f"corpus not found at {REALWORLD}")
    systems = {p.name: sorted(f for f in p.iterdir() if f.is_file()) for p in REALWORLD.iterdir()}
    everything = [f for files in systems.values() for f in files]
    size = sum(f.stat().st_size for f in everything)
    print(f"corpus: {len(everything)} files, {size / 1024:.0f} KiB ({REALWORLD})")
    for system, files in sorted(systems.items()):
        seconds = best_of(repeats, lambda files=files: load_all(files))
        print(f"  {system:<11} {len(files):>3} files  {seconds * 1000:8.1f} ms")
    total = best_of(repeats, lambda: load_all(everything))
    print(
        f"  {'all':<11} {len(everything):>3} files  {total * 1000:8.1f} ms "
        f"({size / 1024 / total:.0f} KiB/s, best of {repeats})"
    )
    tracemalloc.start()
    load_all(everything)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak memory of one full load: {peak / 2**20:.1f} MiB")
    for label, text in HOSTILE.items():
        tracemalloc.start()
        started = time.perf_counter()
        try:
            load_manifests(text)
        except ManifestError as err:
            peak = tracemalloc.get_traced_memory()[1]
            print(
                f"refused {label} in {(time.perf_counter() - started) * 1000:.1f} ms, "
                f"{peak / 2**20:.1f} MiB: {err.message[:60]}"
            )
        finally:
            tracemalloc.stop()


if __name__ == "__main__":
    parser = command_line(__file__, __doc__)
    parser.add_argument("repeats", nargs="?", type=positive_int, default=5,
                        help="loads of the corpus, the best one printed (default 5)")
    main(parse(parser)[0].repeats)
