"""A module docstring that gives the module's size ("about 880 lines", as the long ones say
why they are long) keeps it true: within 15% of the lines the file has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import clustersim

STATED = re.compile(r"[Aa]bout ([\d,]+) lines")
ROOT = Path(clustersim.__file__).parent
MODULES = sorted(ROOT.rglob("*.py"))


def stated_sizes() -> list[tuple[str, int, int]]:
    """(module, lines stated in its docstring, lines it has) for each module that states them."""
    out = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        found = STATED.search(text.split('"""', 2)[1] if text.startswith('"""') else "")
        if found:
            out.append((str(path.relative_to(ROOT)), int(found[1].replace(",", "")),
                        len(text.splitlines())))
    return out


def test_some_modules_state_their_size() -> None:
    assert len(stated_sizes()) >= 4


@pytest.mark.parametrize(("module", "stated", "actual"), stated_sizes())
def test_a_stated_size_is_close_to_the_module_s(module: str, stated: int, actual: int) -> None:
    assert abs(actual - stated) <= 0.15 * actual, \
        f"{module} says about {stated:,} lines but has {actual:,}: correct its docstring"
