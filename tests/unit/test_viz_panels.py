"""A slider's summary panels: one per step, the starting step's visible, each named by its step;
and the labs' explorers no longer pair a chart with a panel of another scenario."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from clustersim import Node
from clustersim.viz.fit import fit_figure
from clustersim.viz.panels import slider_panels_html

NODES = [Node("small", cpu="2", memory="8Gi"), Node("large", cpu="8", memory="32Gi")]
PANEL = re.compile(r'<div class="clustersim-step-panel" data-frame="([^"]*)"( hidden)?>'
                   r'<p class="clustersim-step-label">For <strong>([^<]*)</strong>')


def _panels(page: str) -> list[tuple[str, bool, str]]:
    return [(name, not hidden, label) for name, hidden, label in PANEL.findall(page)]


def test_one_panel_per_step_and_only_the_starting_one_visible() -> None:
    fig = fit_figure(NODES, [250, 500, 1000], "1Gi")
    fig.layout.sliders[0].active = 1
    page = slider_panels_html(fig, {"250": "<p>a</p>", "500": "<p>b</p>", "1000": "<p>c</p>",
                                    "4000": "<p>unused</p>"})
    assert _panels(page) == [("250", False, "CPU request: 250m"),
                             ("500", True, "CPU request: 500m"),
                             ("1000", False, "CPU request: 1000m")]
    assert "unused" not in page
    assert page.index("Plotly.newPlot") < page.index("clustersim-step-panel")


def test_a_step_without_a_panel_or_a_figure_without_a_slider_is_refused() -> None:
    with pytest.raises(ValueError, match="no panel for the slider step '500'"):
        slider_panels_html(fit_figure(NODES, [250, 500], "1Gi"), {"250": ""})
    with pytest.raises(ValueError, match="exactly one slider"):
        slider_panels_html(go.Figure(), {})


def test_labels_are_escaped() -> None:
    fig = fit_figure(NODES, [250], "1Gi")
    fig.layout.sliders[0].currentvalue.prefix = "<b>x</b> "
    assert "&lt;b&gt;x&lt;/b&gt; 250m" in slider_panels_html(fig, {"250": ""})


def test_fit_explorer_summary_follows_each_step() -> None:
    from clustersim.widgets.fit import fit_explorer

    page = fit_explorer(NODES, memory="1Gi", cpu_steps=(250, 2000)).static_html()
    panels = page.split('class="clustersim-step-panel"')[1:]
    assert [p.split('"')[1] for p in panels] == ["250", "2000"]
    assert "requesting 250m CPU" in panels[0] and "requesting 2000m CPU" in panels[1]
    assert "2000m" not in panels[0]


def test_networking_explorer_reasons_follow_the_instance_count() -> None:
    from clustersim.widgets.networking import networking_explorer

    panels = _panels(networking_explorer().static_html())
    assert [(name, shown) for name, shown, _ in panels] == [
        ("2", True), ("4", False), ("6", False), ("8", False)]
    assert all(label == f"instances: {name}" for name, _, label in panels)
