"""Test-run settings that hold for every path pytest is given (tests, notebooks, exercises).

- Strict nbval is on for ``notebooks/`` and ``exercises/`` whenever the nbval plugin is
  loaded, with the sanitizer rules of ``tests/nbval_sanitize.cfg`` and a 300 s cell timeout.
  These settings live here rather than in ``pytest.ini``'s ``addopts`` so that
  ``-p no:nbval`` (no notebooks at all) is accepted instead of failing with an argument error.
- Every notebook run under nbval is marked ``slow``: ``pytest -m "not slow"`` is the quick run
  for authors (see CONTRIBUTING.md), ``pytest`` the full one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
CELL_TIMEOUT = 300.0
NBVAL_DEFAULT_CELL_TIMEOUT = 2000.0  # nbval's own default: not set on the command line


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.hasplugin("nbval"):
        return
    option = config.option
    if not (option.nbval or option.nbval_lax):
        option.nbval = True
    if not option.nbval_sanitize_with:
        option.nbval_sanitize_with = str(SANITIZE)
    if option.nbval_cell_timeout == NBVAL_DEFAULT_CELL_TIMEOUT:
        option.nbval_cell_timeout = CELL_TIMEOUT


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
