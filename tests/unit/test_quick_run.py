"""The quick run for authors (`pytest -m "not slow"`) and the per-file commands of
CONTRIBUTING.md work; slow tests are marked, so the quick run leaves them out."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _pytest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_one_file_without_notebooks_runs() -> None:
    """CONTRIBUTING's command once failed with "unrecognized arguments: --nbval"."""
    run = _pytest("tests/unit/test_quantity.py", "-p", "no:nbval", "-q")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert re.search(r"\d+ passed", run.stdout)


def test_quick_run_leaves_out_notebooks_book_site_and_lab() -> None:
    run = _pytest("--collect-only", "-q", "-m", "not slow", "tests/test_book.py",
                  "tests/test_site.py", "tests/test_jupyterlab.py", "exercises/first-look.ipynb",
                  "tests/unit/test_quantity.py")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    collected = [line for line in run.stdout.splitlines() if "::" in line]
    assert collected and all(line.startswith("tests/unit/test_quantity.py") for line in collected)


def test_strict_nbval_is_configured(pytestconfig: pytest.Config) -> None:
    if not pytestconfig.pluginmanager.hasplugin("nbval"):
        pytest.skip("run with -p no:nbval")
    option = pytestconfig.option
    assert option.nbval and not option.nbval_lax
    assert option.nbval_sanitize_with == str(ROOT / "tests" / "nbval_sanitize.cfg")
    assert option.nbval_cell_timeout == 300
