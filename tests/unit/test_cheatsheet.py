"""The library cheat sheet (book/cheatsheet.md): every example runs as written, and it names
every clustersim call the labs import."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re

from tests.conftest import ROOT
from tests.unit.test_reprs import SHORT

PAGE = ROOT / "book" / "cheatsheet.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_IMPORT = re.compile(r"from (clustersim[\w.]*) import \(?([\w\s,]+?)\)?\s*(?:#|$)", re.MULTILINE)




def _run_examples() -> tuple[dict, list]:
    """Run every block in order, statement by statement, as a notebook would: the final
    namespace and the value of every expression statement (what a cell would display)."""
    blocks = _BLOCK.findall(PAGE.read_text("utf-8"))
    assert len(blocks) >= 6
    namespace: dict = {"__name__": "__cheatsheet__"}
    shown: list = []
    cwd = os.getcwd()
    os.chdir(ROOT / "notebooks")  # where a learner's kernel starts
    try:
        for number, block in enumerate(blocks, 1):
            where = f"{PAGE.name}, block {number}"
            for statement in ast.parse(block, where).body:
                with contextlib.redirect_stdout(io.StringIO()):
                    if isinstance(statement, ast.Expr):
                        code = compile(ast.Expression(statement.value), where, "eval")
                        shown.append(eval(code, namespace))
                    else:
                        exec(compile(ast.Module([statement], []), where, "exec"), namespace)
    finally:
        os.chdir(cwd)
    return namespace, shown


def test_every_example_runs_in_order() -> None:
    namespace, shown = _run_examples()
    assert "advice" in namespace and shown


def _library_objects(values: list) -> list:
    """The clustersim objects among ``values``, looking one level into lists and tuples (a
    list of specs prints as a list; each spec must be short)."""
    found = []
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        found += [item for item in items if type(item).__module__.startswith("clustersim")]
    return found


def test_every_object_the_cheat_sheet_shows_prints_as_one_short_line() -> None:
    namespace, shown = _run_examples()
    objects = _library_objects(shown + list(namespace.values()))
    kinds = {type(o).__name__ for o in objects}
    # the objects this test exists for (the learner met their long reprs)
    assert {"PodInfo", "Explanation", "Recommendation", "Snapshot", "Node", "LiveApp"} <= kinds
    long = {type(o).__name__: repr(o)[:80] for o in objects
            if len(repr(o)) > SHORT or "\n" in repr(o) or " object at 0x" in repr(o)}
    assert not long, f"these print as more than one short line: {long}"


def test_names_every_call_the_labs_import() -> None:
    text = PAGE.read_text("utf-8")
    imported = set()
    for lab in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(lab.read_text("utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for module, names in _IMPORT.findall("".join(cell["source"])):
                    # clustersim.widgets holds each lab's own scene helpers: named as a group
                    if not module.startswith("clustersim.widgets"):
                        imported |= {n for n in re.split(r"[\s,]+", names) if n}
    assert imported
    missing = sorted(n for n in imported if not re.search(rf"\b{re.escape(n)}\b", text))
    assert not missing, f"the cheat sheet does not mention: {missing}"
