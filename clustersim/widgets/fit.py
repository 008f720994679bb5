"""The first lab's live control: a CPU-request slider that re-computes what fits."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.capacity import limiting, pods_that_fit, total_that_fit
from clustersim.node import Node
from clustersim.viz.fit import copies, fit_figure, fit_trace, fit_verb, runs_out
from clustersim.viz.palette import base_layout
from clustersim.viz.panels import slider_panels_html
from clustersim.widgets.base import LiveApp, follow

__all__ = ["fit_explorer", "fit_summary"]


def _names(names: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def fit_summary(nodes: Sequence[Node], cpu_millis: int, memory: str) -> str:
    """Two sentences (HTML): how many copies fit in total and on each node, and which limit
    runs out first on each node (nodes with the same limit named together)."""
    request = f"{cpu_millis}m"
    total = total_that_fit(nodes, request, memory)
    per_node = ", ".join(f"{html.escape(n.name)}: {pods_that_fit(n, request, memory)}"
                         for n in nodes)
    where: dict[str, list[str]] = {}
    for node in nodes:
        where.setdefault(runs_out(limiting(node, request, memory)), []).append(node.name)
    first = "; ".join(f"on {html.escape(_names(names))}, {clause}"
                      for clause, names in where.items())
    return (
        f"<p><strong>{copies(total)}</strong> of a pod requesting {cpu_millis}m CPU and "
        f"{html.escape(memory)} memory {fit_verb(total)} on this cluster ({per_node}). "
        f"{first[:1].upper()}{first[1:]}.</p>"
    )


def fit_explorer(
    nodes: Sequence[Node], memory: str = "512Mi", cpu_steps: Sequence[int] = (250, 500, 1000, 2000)
) -> LiveApp:
    """A slider for the CPU request and a menu for the memory request, with the bar chart.

    In JupyterLab every change re-computes the counts; the static book shows the same chart
    with a plotly slider over ``cpu_steps``.
    """
    cpu = widgets.IntSlider(value=cpu_steps[0], min=50, max=4000, step=50, description="CPU (m)",
                            continuous_update=False)
    mem = widgets.Dropdown(options=["128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi"], value=memory,
                           description="memory")
    summary = widgets.HTML()
    # A FigureWidget is updated in place (no redraw of the whole output area). Its trace gets a
    # fixed uid: plotly would otherwise draw a random one, and stored outputs must repeat.
    chart = go.FigureWidget(data=[fit_trace(nodes, cpu.value, mem.value).update(uid="fit")])
    chart.update_layout(**base_layout("Copies of a pod that fit on each node"),
                        xaxis_title="node", yaxis_title="copies that fit")

    def update() -> None:
        summary.value = fit_summary(nodes, cpu.value, mem.value)
        fresh = fit_trace(nodes, cpu.value, mem.value)
        with chart.batch_update():
            chart.data[0].y = fresh.y
            chart.data[0].hovertext = fresh.hovertext
            chart.data[0].name = fresh.name

    follow(update, summary, [cpu, mem])
    box = widgets.VBox([widgets.HBox([cpu, mem]), summary, chart])
    return LiveApp(
        box,
        lambda: slider_panels_html(fit_figure(nodes, cpu_steps, memory), {
            str(m): fit_summary(nodes, m, memory) for m in cpu_steps}),
        name="fit explorer",
    )
