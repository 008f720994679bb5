"""The library cheat sheet (book/cheatsheet.md): every example runs as written, and it names
every clustersim call the labs import."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re

from tests.conftest import ROOT

PAGE = ROOT / "book" / "cheatsheet.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_IMPORT = re.compile(r"from (clustersim[\w.]*) import \(?([\w\s,]+?)\)?\s*(?:#|$)", re.MULTILINE)


def test_every_example_runs_in_order() -> None:
    blocks = _BLOCK.findall(PAGE.read_text("utf-8"))
    assert len(blocks) >= 6
    namespace: dict = {"__name__": "__cheatsheet__"}
    cwd = os.getcwd()
    os.chdir(ROOT / "notebooks")  # where a learner's kernel starts
    try:
        for number, block in enumerate(blocks, 1):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block, f"{PAGE.name}, block {number}", "exec"), namespace)
    finally:
        os.chdir(cwd)


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
