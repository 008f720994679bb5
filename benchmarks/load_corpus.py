"""How long loading the whole real-world corpus takes, and how fast hostile input is refused.

Run: ``python benchmarks/load_corpus.py [repeats]`` from the repository root. Prints the time
to load all of ``../shared/realworld/`` (parse, validate, expand, workloads), per system and
in total (best of ``repeats`` runs), the peak memory of one full load, and the time to refuse
a billion-laughs alias bomb and a deeply nested document.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

from clustersim import ManifestError, load_manifests

REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)
)


def load_all(files: list[Path]) -> int:
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
    for label, text in (("alias bomb (9^10 nodes)", BOMB), ("nesting 100 000 deep", "[" * 100_000)):
        started = time.perf_counter()
        try:
            load_manifests(text)
        except ManifestError as err:
            print(
                f"refused {label} in {(time.perf_counter() - started) * 1000:.1f} ms: "
                f"{err.message[:60]}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
