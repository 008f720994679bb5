"""A long fuzz campaign: mutated real manifests loaded and simulated, with the figures.

Run from the repository root, with the root on the import path (the cases come from the
tests), and the real-world corpora in ``../shared/`` or ``$CLUSTERSIM_SHARED``::

    CLUSTERSIM_SHARED=/path/to/shared PYTHONPATH=. python benchmarks/fuzz_manifests.py \
        [cases, default 1000] [seed, default 0] [dir]

The cases are those of ``tests/properties/test_manifest_fuzz.py`` (same seeds, mutations and
bounds), drawn with the given seed instead of the test's fixed examples. Prints how many cases
ran, were refused with a ``ManifestError`` or stopped with a ``ValueError``, the wall time in
all and the worst case, the worst traced memory of one case, and every failure (a traceback
type, a time or memory bound passed) grouped by its first line, with one reproducer each
(written whole to ``dir/failure-N.txt`` when a folder is given).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from baseline import command_line, parse, positive_int


def main(cases: int, start: int, folder: Path | None = None) -> None:
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    from tests.properties.test_manifest_fuzz import (
        MEGABYTES,
        SECONDS,
        SEEDS,
        FuzzCaseError,
        mutated,
        run_case,
    )

    outcomes: Counter[str] = Counter()
    failures: dict[str, tuple[int, str]] = {}
    worst = {"seconds": 0.0, "megabytes": 0.0}

    @seed(start)
    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def campaign(data: st.DataObject) -> None:
        source = mutated(data)
        try:
            outcome = run_case(source)
        except FuzzCaseError as err:
            outcomes["failure"] += 1
            key = str(err).splitlines()[0][:120]
            count, example = failures.get(key, (0, repr(source)[:400]))
            failures[key] = (count + 1, example)
            if folder is not None and count == 0:
                text = source if isinstance(source, str) else json.dumps(source, indent=1)
                (folder / f"failure-{len(failures)}.txt").write_text(text, encoding="utf-8")
            return
        outcomes[outcome.result] += 1
        worst["seconds"] = max(worst["seconds"], outcome.seconds)
        worst["megabytes"] = max(worst["megabytes"], outcome.megabytes)

    began = time.perf_counter()
    campaign()
    elapsed = time.perf_counter() - began
    total = sum(outcomes.values())
    print(f"seeds: {len(SEEDS)} manifests; bounds: {SECONDS:.0f} s and {MEGABYTES} MB per case")
    print(f"cases: {total} ({', '.join(f'{k} {v}' for k, v in outcomes.most_common())})")
    print(f"time: {elapsed:.1f} s in all, worst case {worst['seconds']:.2f} s")
    print(f"worst traced memory of one case: {worst['megabytes']:.1f} MB")
    for key, (count, example) in sorted(failures.items(), key=lambda item: -item[1][0]):
        print(f"\nFAILURE ×{count}: {key}\n  e.g. {example}")


if __name__ == "__main__":
    parser = command_line(__file__, __doc__)
    parser.add_argument("cases", nargs="?", type=positive_int, default=1000,
                        help="cases to draw (default 1000)")
    parser.add_argument("seed", nargs="?", type=int, default=0, help="hypothesis seed (default 0)")
    parser.add_argument("dir", nargs="?", type=Path,
                        help="a folder to write each failure's reproducer to")
    args = parse(parser)[0]
    if args.dir is not None and not args.dir.is_dir():
        parser.error(f"dir: no folder {str(args.dir)!r}")
    main(args.cases, args.seed, args.dir)
