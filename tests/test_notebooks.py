"""House rules for the stored notebooks in notebooks/ and exercises/.

Strict nbval compares stored outputs with a fresh run; these checks make sure there is
something to compare and that the stored files stay small and clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clustersim.refresh import notebooks
from tests.conftest import ROOT

NOTEBOOKS = notebooks(ROOT)
MAX_BYTES = 2 * 1024 * 1024


def _code_cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebooks found in notebooks/ or exercises/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_stored_executed_small_and_clean(path: Path) -> None:
    assert path.stat().st_size < MAX_BYTES, f"{path.name} is over 2 MB: aggregate before plotting"
    code = _code_cells(path)
    assert code, "a notebook without code"
    unexecuted = [i for i, c in enumerate(code) if c.get("execution_count") is None]
    assert not unexecuted, (
        f"code cells {unexecuted} have no stored run, so strict nbval compares nothing there: "
        "run `python -m clustersim.refresh`"
    )
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        "cells were not run top to bottom in one fresh kernel: run `python -m clustersim.refresh`"
    )
    assert "import clustersim.viz" in "".join(code[0]["source"]), (
        "the first code cell must `import clustersim.viz` (the offline figure renderer)"
    )
    meta = json.loads(path.read_text("utf-8"))["metadata"]
    assert "widgets" not in meta, "widget state is stored: run `python -m clustersim.refresh`"
