"""The DRF explorer: two batch frameworks share a Mesos cluster; change weights and task shapes.

Each change re-runs :func:`clustersim.scenarios.drf.share_cluster` and shows how many
tasks each framework got, its share of every resource and its dominant share. The static
rendering precomputes the same figure for a range of weights, with a plotly slider.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.messages import counted
from clustersim.node import Node
from clustersim.scenarios.drf import RESOURCES, Sharing, share_cluster
from clustersim.viz.fit import SLIDER_PAD_PX
from clustersim.viz.palette import base_layout, color_for
from clustersim.viz.renderer import figure_html
from clustersim.widgets.base import LiveApp, follow

__all__ = ["drf_explorer", "sharing_figure"]


def _bars(outcome: list[Sharing]) -> list[go.Bar]:
    bars = []
    for index, resource in enumerate(RESOURCES):
        bars.append(go.Bar(
            x=[s.framework for s in outcome], y=[s.shares[resource] for s in outcome],
            name={"cpus": "CPU share", "mem": "memory share"}[resource],
            marker_color=color_for(index),
            marker_line={"width": [3 if s.dominant == resource else 0 for s in outcome],
                         "color": "#000000"},
            hovertext=[f"{html.escape(s.framework)}: {counted(s.tasks, 'task')}, {resource} share "
                       f"{s.shares[resource]:.3f}"
                       + (" (dominant)" if s.dominant == resource else "") for s in outcome],
            hoverinfo="text",
        ))
    return bars


def _title(outcome: list[Sharing]) -> str:
    return " · ".join(f"{html.escape(s.framework)}: {counted(s.tasks, 'task')}, dominant "
                      f"{s.dominant} {s.dominant_share:.2f}" for s in outcome)


def sharing_figure(agents: Sequence[Node], shapes: dict[str, tuple[float, float]],
                   weighted: str, weights: Sequence[float]) -> go.Figure:
    """Shares per framework, with a slider over the weight of the ``weighted`` framework."""
    runs = [(w, share_cluster(agents, shapes, {weighted: w})) for w in weights]
    frames = [
        go.Frame(data=_bars(outcome), name=f"{w:g}", layout={"title": {"text": _title(outcome)}})
        for w, outcome in runs
    ]
    fig = go.Figure(data=frames[0].data, frames=frames)
    fig.update_layout(
        **base_layout(_title(runs[0][1])),
        barmode="group", yaxis_title="share of the cluster", yaxis_range=[0, 1],
        # On two lines: on one (386 px) it was wider than a phone's figure and ran into the
        # slider's value; the slider starts a line further down.
        xaxis_title="framework<br>(outlined bar: its dominant resource)",
        sliders=[{"active": 0, "currentvalue": {"prefix": f"weight of {html.escape(weighted)}: "},
                  "pad": {"t": SLIDER_PAD_PX + 20},
                  "steps": [{"label": f.name, "method": "animate",
                             "args": [[f.name], {"mode": "immediate",
                                                 "frame": {"duration": 0, "redraw": True}}]}
                            for f in frames]}],
    )
    return fig


def drf_explorer(agents: Sequence[Node] | None = None) -> LiveApp:
    """Sliders for each framework's task shape and the second framework's weight."""
    agents = list(agents or Node.many(3, "agent", cpu=4, memory="16Gi"))
    a_cpu = widgets.FloatSlider(value=1, min=0.5, max=4, step=0.5, description="A cpus/task")
    a_mem = widgets.FloatSlider(value=1, min=0.5, max=8, step=0.5, description="A GiB/task")
    b_cpu = widgets.FloatSlider(value=1, min=0.5, max=4, step=0.5, description="B cpus/task")
    b_mem = widgets.FloatSlider(value=1, min=0.5, max=8, step=0.5, description="B GiB/task")
    weight = widgets.FloatSlider(value=1, min=1, max=4, step=0.5, description="weight of B")
    controls = [a_cpu, a_mem, b_cpu, b_mem, weight]
    for control in controls:
        control.continuous_update = False
    message = widgets.HTML()
    chart = go.FigureWidget(data=[b.update(uid=f"drf-{i}") for i, b in enumerate(_bars(
        share_cluster(agents, {"A": (1, 1), "B": (1, 1)})))])
    chart.update_layout(**base_layout(""), barmode="group", yaxis_range=[0, 1],
                        yaxis_title="share of the cluster")

    def update() -> None:
        outcome = share_cluster(agents, {"A": (a_cpu.value, a_mem.value),
                                         "B": (b_cpu.value, b_mem.value)}, {"B": weight.value})
        message.value = f"<p>{_title(outcome)}</p>"
        with chart.batch_update():
            for trace, fresh in zip(chart.data, _bars(outcome), strict=True):
                trace.y = fresh.y
                trace.hovertext = fresh.hovertext
                trace.marker.line.width = fresh.marker.line.width

    follow(update, message, controls)
    box = widgets.VBox([widgets.HBox(controls[:2]), widgets.HBox(controls[2:4]), controls[4],
                        message, chart])
    return LiveApp(box, lambda: figure_html(
        sharing_figure(agents, {"A": (1, 1), "B": (1, 1)}, "B", [1, 1.5, 2, 3, 4])),
        name="DRF explorer")
