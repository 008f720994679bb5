"""House rules for the stored notebooks in notebooks/ and exercises/.

Strict nbval compares stored outputs with a fresh run; these checks make sure there is
something to compare and that the stored files stay small and clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clustersim.course.refresh import notebooks
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
        "run `python -m clustersim refresh`"
    )
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        "cells were not run top to bottom in one fresh kernel: run `python -m clustersim refresh`"
    )
    assert "import clustersim.viz" in "".join(code[0]["source"]), (
        "the first code cell must `import clustersim.viz` (the offline figure renderer)"
    )
    meta = json.loads(path.read_text("utf-8"))["metadata"]
    assert "widgets" not in meta, "widget state is stored: run `python -m clustersim refresh`"
    timed = [i for i, c in enumerate(code) if "execution" in c.get("metadata", {})]
    assert not timed, f"cells {timed} store timestamps: run `python -m clustersim refresh`"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parent.name == "exercises"],
                         ids=lambda p: p.name)
def test_solutions_are_hidden(path: Path) -> None:
    """A solution cell is tagged for the book (a toggle) and collapsed, source and output, in
    JupyterLab, so that its "✓ Right" output does not give the answer away."""
    cells = json.loads(path.read_text("utf-8"))["cells"]
    solutions = [c for c in cells if "solution" in c["metadata"].get("tags", [])]
    assert solutions, "an exercise notebook without solution cells"
    for cell in solutions:
        assert "hide-cell" in cell["metadata"]["tags"]
        hidden = cell["metadata"].get("jupyter", {})
        assert hidden.get("source_hidden") and hidden.get("outputs_hidden"), (
            "set metadata.jupyter.source_hidden and outputs_hidden on every solution cell"
        )
