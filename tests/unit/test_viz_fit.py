"""The first lab's fit chart and its live summary say "1 copy fits", not "1 copies fit"."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.viz.fit import fit_trace
from clustersim.widgets.fit import fit_summary

SMALL = Node("small", cpu="2", memory="8Gi")


@pytest.mark.parametrize(("cpu_millis", "words"), [
    (2000, "small: 1 copy fits<br>"),       # 2000m of 2000m: one copy, one noun, one verb
    (500, "small: 4 copies fit<br>"),
    (4000, "small: 0 copies fit<br>"),
])
def test_the_hover_agrees_with_the_count(cpu_millis: int, words: str) -> None:
    """The hover said "small: 1 copies fit" where one copy fits."""
    assert fit_trace([SMALL], cpu_millis, "1Gi").hovertext[0].startswith(words)


def test_the_summary_agrees_with_the_count() -> None:
    one = fit_summary([SMALL], 2000, "1Gi")
    assert "<strong>1 copy</strong>" in one and "memory fits on this cluster" in one
    two = fit_summary([SMALL, SMALL], 2000, "1Gi")
    assert "<strong>2 copies</strong>" in two and "memory fit on this cluster" in two
