"""Every exercise notebook: the untouched starter fails its check with a hint, the solution passes.

The notebook's code cells run in order in one namespace (as in a fresh kernel, from the
exercises folder). A check cell is a cell whose last line calls a ``check_*`` function; its
result is the :class:`Feedback` of that call. Solution cells are tagged ``solution``.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from clustersim.exercises import Feedback
from tests.conftest import ROOT

EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def _run(path: Path) -> list[tuple[bool, Feedback]]:
    """(in a solution cell?, feedback) for every check call, in notebook order."""
    cells = [c for c in json.loads(path.read_text("utf-8"))["cells"] if c["cell_type"] == "code"]
    namespace: dict = {"__name__": "__exercise__"}
    results = []
    cwd = Path.cwd()
    os.chdir(path.parent)
    try:
        for cell in cells:
            source = "".join(cell["source"])
            tree = ast.parse(source)
            last = tree.body[-1] if tree.body else None
            is_check = (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
                        and getattr(last.value.func, "id", "").startswith("check_"))
            if is_check:
                exec(compile(ast.Module(tree.body[:-1], []), str(path), "exec"), namespace)
                value = eval(compile(ast.Expression(last.value), str(path), "eval"), namespace)
                assert isinstance(value, Feedback), f"{path.name}: a check returned {value!r}"
                results.append(("solution" in cell["metadata"].get("tags", []), value))
            else:
                exec(compile(tree, str(path), "exec"), namespace)
    finally:
        os.chdir(cwd)
    return results


def test_there_are_exercises() -> None:
    assert EXERCISES


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_starters_fail_with_a_hint_and_solutions_pass(path: Path) -> None:
    results = _run(path)
    starters = [f for in_solution, f in results if not in_solution]
    solutions = [f for in_solution, f in results if in_solution]
    assert len(starters) >= 2 and len(solutions) == len(starters), (
        "each exercise needs a check after its starter and one in its solution"
    )
    for feedback in starters:
        assert not feedback.passed, f"the untouched starter passes: {feedback}"
        assert feedback.hint, f"no hint for the untouched starter: {feedback}"
    for feedback in solutions:
        assert feedback.passed, f"the solution does not pass: {feedback}"
