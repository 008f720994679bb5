"""mypy over ``clustersim/``: the number of type errors per module may only shrink.

The baseline (``tests/mypy-baseline.json``) holds each module's error count when the type
check was added; a module whose count grows, or a module that was clean and now has errors,
fails this test with mypy's own lines for it. When a module's count shrinks the test fails
too, asking for the smaller number to be written down, so the baseline never allows an old
error back: ``python tests/unit/test_types.py --update`` rewrites it from a fresh run.

mypy reads its settings from ``pyproject.toml`` (``[tool.mypy]``) and keeps its cache in the
system's temporary directory, so a second run takes a few seconds (the first about 20 s).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "tests" / "mypy-baseline.json"
_ERROR = re.compile(r"^(clustersim/[\w/]+)\.py:\d+(?::\d+)?: error: ", re.MULTILINE)

pytestmark = pytest.mark.slow


def mypy_output() -> str:
    """mypy's report on ``clustersim`` (settings from pyproject.toml)."""
    cache = Path(tempfile.gettempdir()) / "clustersim-mypy-cache"
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary",
         "--no-pretty", "--show-error-codes"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode not in (0, 1) or ("error: " not in done.stdout and done.returncode):
        raise RuntimeError(f"mypy did not run (exit {done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def error_counts(output: str) -> Counter[str]:
    """Errors per module (``clustersim.swarm.cluster``) in mypy's output."""
    return Counter(path.replace("/", ".") for path in _ERROR.findall(output))


def compare(counts: Counter[str], baseline: dict[str, int]) -> tuple[list[str], list[str]]:
    """``(grown, shrunk)``: modules with more errors than the baseline allows (new modules
    included), and modules with fewer (the baseline should be lowered)."""
    grown = [f"{module}: {counts[module]} errors, the baseline allows {baseline.get(module, 0)}"
             for module in sorted(counts) if counts[module] > baseline.get(module, 0)]
    shrunk = [f"{module}: {counts.get(module, 0)} errors, the baseline says {allowed}"
              for module, allowed in sorted(baseline.items()) if counts.get(module, 0) < allowed]
    return grown, shrunk


def test_type_errors_only_shrink() -> None:
    output = mypy_output()
    grown, shrunk = compare(error_counts(output), json.loads(BASELINE.read_text("utf-8")))
    if grown:
        modules = {line.split(":")[0] for line in grown}
        lines = [line for line in output.splitlines()
                 if line.split(".py")[0].replace("/", ".") in modules]
        pytest.fail("mypy finds new type errors; fix them:\n  " + "\n  ".join(grown)
                    + "\n" + "\n".join(lines[:40]))
    assert not shrunk, (
        "fewer type errors than the baseline: well done. Lower the baseline so they stay "
        "gone: python tests/unit/test_types.py --update\n  " + "\n  ".join(shrunk))


def test_the_comparison_catches_growth_new_modules_and_shrinking() -> None:
    baseline = {"clustersim.a": 2, "clustersim.b": 1}
    counts = Counter({"clustersim.a": 3, "clustersim.c": 1})
    grown, shrunk = compare(counts, baseline)
    assert grown == ["clustersim.a: 3 errors, the baseline allows 2",
                     "clustersim.c: 1 errors, the baseline allows 0"]
    assert shrunk == ["clustersim.b: 0 errors, the baseline says 1"]
    assert compare(Counter(baseline), baseline) == ([], [])
    output = ("clustersim/swarm/cluster.py:12: error: Name \"x\" is not defined  [name-defined]\n"
              "clustersim/swarm/cluster.py:14:5: error: Incompatible types  [assignment]\n"
              "clustersim/sim/clock.py:3: note: See https://mypy.readthedocs.io\n")
    assert error_counts(output) == {"clustersim.swarm.cluster": 2}


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    counts = error_counts(mypy_output())
    BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n", "utf-8")
    print(f"{BASELINE.relative_to(ROOT)}: {sum(counts.values())} errors in {len(counts)} modules")
