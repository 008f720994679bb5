"""The first lab's live control: a CPU-request slider that re-computes what fits."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.capacity import pods_that_fit, total_that_fit
from clustersim.node import Node
from clustersim.viz.fit import copies, fit_figure, fit_trace, fit_verb
from clustersim.viz.palette import base_layout
from clustersim.viz.panels import slider_panels_html
from clustersim.widgets.base import LiveApp, follow

__all__ = ["fit_explorer", "fit_summary"]


def fit_summary(nodes: Sequence[Node], cpu_millis: int, memory: str) -> str:
    """One sentence (HTML) saying how many copies fit in total and where the limit is."""
    total = total_that_fit(nodes, f"{cpu_millis}m", memory)
    per_node = ", ".join(
        f"{html.escape(n.name)}: {pods_that_fit(n, f'{cpu_millis}m', memory)}" for n in nodes
    )
    return (
        f"<p><strong>{copies(total)}</strong> of a pod requesting {cpu_millis}m CPU and "
        f"{html.escape(memory)} memory {fit_verb(total)} on this cluster ({per_node}).</p>"
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
