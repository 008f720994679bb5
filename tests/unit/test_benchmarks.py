"""The benchmark scripts' command line (``benchmarks/baseline.py``'s ``command_line``): each
answers ``--help`` with its docstring and refuses an unknown option, before any work (and
before importing ``clustersim``, which would take seconds)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(p for p in BENCHMARKS.glob("*.py") if p.name != "baseline.py")
"""Every benchmark (``baseline.py`` is the helper they import, not one of them)."""


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(script), *args], capture_output=True,
                          text=True, timeout=60, check=False)


def docstring_opening(script: Path) -> str:
    text = script.read_text(encoding="utf-8")
    return text.split('"""', 2)[1].strip().splitlines()[0]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_help_prints_the_usage_and_the_docstring(script: Path) -> None:
    done = run(script, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python benchmarks/{script.name}")
    assert docstring_opening(script) in done.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_an_unknown_option_is_refused_before_any_work(script: Path) -> None:
    done = run(script, "--no-such-option")
    assert done.returncode == 2
    assert "unrecognized arguments: --no-such-option" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(("script", "args", "says"), [
    ("widget_update.py", ["--runs", "0"], "--runs: must be at least 1"),
    ("widget_update.py", ["--think", "nan"], "--think: must be a finite number"),
    ("k8s_scheduler.py", ["10", "30", "quick"], "invalid choice: 'quick'"),
    ("fleet.py", ["500"], "give both NODES and PODS"),
    ("serve.py", ["watches", "3"], "watches takes no sizes"),
    ("shop_runs.py", ["--base"], "--base: expected one argument"),
])
def test_a_bad_value_is_refused_in_argparse_words(script: str, args: list[str],
                                                   says: str) -> None:
    done = run(BENCHMARKS / script, *args)
    assert done.returncode == 2 and says in done.stderr and done.stdout == ""


def test_base_in_either_form_is_taken_out_of_what_the_base_run_gets() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from baseline import split_base
    finally:
        sys.path.remove(str(BENCHMARKS))
    assert split_base(["--runs", "3", "--base", "main"]) == ("main", ["--runs", "3"])
    assert split_base(["--base=HEAD~1", "--runs", "3"]) == ("HEAD~1", ["--runs", "3"])
    assert split_base(["--runs", "3"]) == (None, ["--runs", "3"])
