"""Links in the notebooks' text work in JupyterLab as well as in the book: a MyST ``{doc}``
role renders in JupyterLab (jupyterlab-myst) as a link without the file's extension, which
opens nothing, so notebooks link to the file itself, and every such link names a file that
exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/*.ipynb")])
LINK = re.compile(r"\]\(([^)\s#]+\.(?:ipynb|md))(?:#[^)]*)?\)")


def _markdown(path: Path) -> list[str]:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_links_open_in_jupyterlab_and_in_the_book(path: Path) -> None:
    text = "\n".join(_markdown(path))
    assert "{doc}`" not in text, f"{path.name}: link to the file, not with {{doc}}"
    for target in LINK.findall(text):
        if "://" not in target:
            assert (path.parent / target).is_file(), f"{path.name}: no file {target}"
