"""The first lab's fit chart and its live summary say "1 copy fits", not "1 copies fit", and
which resource runs out first, the lab's objective."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.viz.fit import fit_trace
from clustersim.widgets.fit import fit_summary

SMALL = Node("small", cpu="2", memory="8Gi")


@pytest.mark.parametrize(("cpu_millis", "words"), [
    (2000, "small: 1 copy fits; "),       # 2000m of 2000m: one copy, one noun, one verb
    (500, "small: 4 copies fit; "),
    (4000, "small: 0 copies fit; "),
])
def test_the_hover_agrees_with_the_count(cpu_millis: int, words: str) -> None:
    """The hover said "small: 1 copies fit" where one copy fits."""
    assert fit_trace([SMALL], cpu_millis, "1Gi").hovertext[0].startswith(words)


def test_the_summary_agrees_with_the_count() -> None:
    one = fit_summary([SMALL], 2000, "1Gi")
    assert "<strong>1 copy</strong>" in one and "memory fits on this cluster" in one
    two = fit_summary([SMALL, SMALL], 2000, "1Gi")
    assert "<strong>2 copies</strong>" in two and "memory fit on this cluster" in two


@pytest.mark.parametrize(("node", "cpu_millis", "memory", "clause"), [
    (SMALL, 500, "1Gi", "CPU runs out first"),                        # 4 by CPU, 8 by memory
    (SMALL, 250, "1Gi", "CPU and memory run out together"),           # 8 and 8
    (SMALL, 100, "1Gi", "memory runs out first"),                     # 20 by CPU, 8 by memory
    (Node("large", cpu="8", memory="32Gi"), 50, "128Mi", "the Pod limit is reached first"),
])
def test_the_hover_and_the_summary_name_what_runs_out_first(node: Node, cpu_millis: int,
                                                             memory: str, clause: str) -> None:
    """The lab's objective, "see which resource runs out first", was met only by its prose:
    the chart and the live summary gave counts alone."""
    assert f"; {clause}<br>" in fit_trace([node], cpu_millis, memory).hovertext[0]
    assert f"On {node.name}, {clause}." in fit_summary([node], cpu_millis, memory)


def test_the_summary_groups_the_nodes_by_what_runs_out_first() -> None:
    nodes = [SMALL, Node("medium", cpu="4", memory="16Gi"), Node("himem", cpu="4", memory="64Gi")]
    assert ("On small and medium, CPU and memory run out together; on himem, CPU runs out "
            "first.") in fit_summary(nodes, 250, "1Gi")
