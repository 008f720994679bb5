"""IP-per-pod versus host ports, live: :func:`networking_explorer` and :func:`port_fit_figure`.

The runs come from :mod:`clustersim.scenarios.networking` (how many instances of a
web service fit per network mode; discovery under a failure); this module draws
them and adds the controls.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from html import escape
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.scenarios.networking import (
    MODES,
    PortFit,
    port_fit,
)
from clustersim.viz.palette import base_layout, color_for
from clustersim.viz.panels import slider_panels_html
from clustersim.widgets.base import LiveApp, follow
from clustersim.widgets.idle import IdleWork, plan_grid

__all__ = ["networking_explorer", "port_fit_figure"]


def _bar_values(fits: Sequence[PortFit]) -> list[dict[str, list[Any]]]:
    """What a move changes in the two bar traces (placed, waiting): their lengths and hover
    text, with the modes' labels."""
    # "System<br>mode" on two lines: on a phone one-line labels left the bars 60 px.
    labels = [MODES[f.mode].replace(" · ", "<br>") for f in fits]
    placed_hover = [f"{escape(MODES[f.mode])}<br>placed {f.placed} of {f.instances}: "
                    + (", ".join(f"{escape(n)} {c}" for n, c in f.per_node.items()) or "none")
                    for f in fits]
    waiting_hover = [f"{escape(MODES[f.mode])}<br>waiting {f.waiting}"
                     + (f"<br>{escape(f.reason)}" if f.reason else "") for f in fits]
    return [{"y": labels, "x": [f.placed for f in fits], "hovertext": placed_hover},
            {"y": labels, "x": [f.waiting for f in fits], "hovertext": waiting_hover}]


def _bars(fits: Sequence[PortFit]) -> list[go.Bar]:
    placed, waiting = _bar_values(fits)
    return [
        go.Bar(**placed, orientation="h", name="placed", marker_color=color_for(3),
               hoverinfo="text", uid="net-placed"),
        go.Bar(**waiting, orientation="h", name="waiting", marker_color=color_for(5),
               marker_pattern_shape="/", hoverinfo="text", uid="net-waiting"),
    ]


def _layout(instances: int) -> dict[str, Any]:
    return base_layout(f"{instances} instance(s) of a web service: placed or waiting",
                       barmode="stack", xaxis_title="instances", yaxis_title="network mode",
                       yaxis_autorange="reversed", height=500,
                       margin={"l": 10, "r": 20, "t": 80, "b": 50},
                       legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0})


def _reasons_html(fits: Sequence[PortFit]) -> str:
    rows = "".join(f"<tr><td>{escape(MODES[f.mode])}</td><td>{f.waiting}</td>"
                   f"<td>{escape(f.reason) or '–'}</td></tr>" for f in fits if f.waiting)
    if not rows:
        return "<p>Every instance found a place in every mode.</p>"
    return ('<table class="clustersim-table"><thead><tr><th>mode</th><th>waiting</th>'
            "<th>why (the system's own words)</th></tr></thead><tbody>" + rows
            + "</tbody></table>")


def port_fit_figure(counts: Sequence[int] = (2, 4, 6, 8)) -> go.Figure:
    """Placed and waiting instances for every mode, with a slider over the instance count."""
    frames = []
    for count in counts:
        fits = [port_fit(mode, count) for mode in MODES]
        frames.append(go.Frame(data=_bars(fits), name=str(count),
                               layout={"title": {"text": _layout(count)["title"]["text"]}}))
    fig = go.Figure(data=frames[0].data, frames=frames)
    fig.update_layout(**_layout(counts[0]), xaxis_range=[0, max(counts) + 0.5], sliders=[{
        "active": 0, "currentvalue": {"prefix": "instances: "}, "pad": {"t": 70},
        "steps": [{"label": f.name, "method": "animate", "args": [[f.name], {
            "mode": "immediate", "frame": {"duration": 0, "redraw": True}}]} for f in frames]}])
    return fig


def networking_explorer() -> LiveApp:
    """An instance-count slider; every network mode side by side, with the waiting reasons."""
    count = widgets.IntSlider(value=4, min=1, max=10, description="instances",
                              continuous_update=False)
    message = widgets.HTML()
    fits = [port_fit(mode, count.value) for mode in MODES]
    chart = go.FigureWidget(data=_bars(fits))
    for trace, uid in zip(chart.data, ("net-placed", "net-waiting"), strict=True):
        trace.uid = uid   # FigureWidget draws its own uids otherwise
    chart.update_layout(**_layout(count.value), xaxis_range=[0, 10.5])

    def update() -> None:
        fresh = [port_fit(mode, int(count.value)) for mode in MODES]
        message.value = _reasons_html(fresh)
        with chart.batch_update():
            for trace, values in zip(chart.data, _bar_values(fresh), strict=True):
                trace.x, trace.hovertext = values["x"], values["hovertext"]
            chart.layout.title.text = _layout(count.value)["title"]["text"]
        plan_grid(idle, {"count": count}, lambda values: [
            partial(port_fit, mode, int(values["count"])) for mode in MODES])

    idle = IdleWork()
    follow(update, message, [count])
    def static() -> str:
        figure = port_fit_figure()
        return slider_panels_html(figure, {
            frame.name: _reasons_html([port_fit(mode, int(frame.name)) for mode in MODES])
            for frame in figure.frames}, height=480)

    app = LiveApp(widgets.VBox([count, chart, message]), static, name="networking explorer")
    app.controls = {"count": count, "message": message}
    return app
