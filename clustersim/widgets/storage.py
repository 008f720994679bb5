"""Stateful tasks and their storage, live: :func:`storage_app` and :func:`storage_figure`.

The runs come from :mod:`clustersim.scenarios.storage` (a database and its volume, its
machine fails, the operator acts); this module draws them and adds the controls.
"""

from __future__ import annotations

import html
from functools import partial
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.scenarios.healing import SYSTEMS
from clustersim.scenarios.storage import (
    LABELS,
    StatefulRun,
    stateful_run,
)
from clustersim.viz.capacity import add_slider_below_legend, refresh
from clustersim.viz.placement import placement_over_time, placement_traces
from clustersim.viz.renderer import figure_html
from clustersim.widgets.base import LiveApp, PanelCharts, follow
from clustersim.widgets.idle import IdleWork, plan_nearby

__all__ = ["storage_app", "storage_figure"]


_ACT = {"kubernetes": "out-of-service taint", "marathon": "agent back", "swarm": "node back"}


def storage_figure(runs: list[StatefulRun], title: str = "",
                   label_lines: int | None = None) -> go.Figure:
    """Where each system's database runs over time, the failure and the operator marked.

    Above each panel's first machine there is room for ``label_lines`` lines of mark
    labels: by default the lines these runs' labels take (one when the operator acts long
    after the failure, two when the labels would meet on a phone)."""
    return placement_over_time({r.label: (r.snapshots, r.owner) for r in runs},
                               title=title or "The database's machine fails",
                               marks={r.label: _marks(r) for r in runs}, label_lines=label_lines)


_LIVE_LABEL_LINES = 2
"""Label lines a live chart keeps room for: a move refreshes the chart's marks in place
(:func:`~clustersim.viz.capacity.refresh`), its ranges stay, and the next move may bring
both labels close together."""


def _y_axes(fig: go.Figure) -> list[str]:
    """The names of ``fig``'s y axes in the layout (``yaxis``, ``yaxis2``, ...)."""
    return [name for name in fig.layout.to_plotly_json() if name.startswith("yaxis")]


def _marks(run: StatefulRun) -> list[tuple[float, str]]:
    marks = [(run.fail_at, "machine fails")]
    if run.act_at is not None:
        marks.append((run.act_at, _ACT[run.system]))
    return marks


def _summary(runs: list[StatefulRun]) -> str:
    items = []
    for run in runs:
        back = run.back_at()
        if run.kept_serving():
            text = f"keeps serving on {run.home} all along (the machine that failed was another)"
        elif back:
            text = (f"serves again at t = {back[0]:g} s on {back[1]}"
                    + (" (its own machine)" if back[1] == run.home else
                       f" (it started on {run.home})"))
        else:
            text = "does not serve again by the end"
        items.append(f"<li><strong>{html.escape(run.label)}</strong>: {html.escape(text)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def storage_app() -> LiveApp:
    """Fail the database's machine (or another) and choose when the operator acts."""
    wide = {"description_width": "initial"}
    system = widgets.Dropdown(options=[("all three", "all"),
                                       *((LABELS[s], s) for s in SYSTEMS)],
                              value="all", description="system")
    fail = widgets.Dropdown(options=[("the database's machine", "home"),
                                     ("another machine", "other")], value="home",
                            description="fails", style=wide)
    act = widgets.IntSlider(value=300, min=60, max=480, step=30,
                            description="operator acts at (s)", style=wide)
    never = widgets.Checkbox(value=False, description="operator never acts")
    zonal = widgets.Checkbox(value=True, description="Kubernetes: zonal disk (zone-a)")
    pinned = widgets.Checkbox(value=True, description="Swarm: pinned to its node")
    controls = [system, fail, act, never, zonal, pinned]
    for control in controls:
        control.continuous_update = False
    message = widgets.HTML()
    box = widgets.VBox([widgets.HBox([system, fail]), widgets.HBox([act, never]),
                        widgets.HBox([zonal, pinned]), message])

    named = {"act_at": act, "fail": fail, "never": never, "zonal": zonal, "pinned": pinned,
             "system": system}

    def calls(values: dict[str, Any]) -> list[partial[StatefulRun]]:
        """The runs for these control values (name → value), one per chosen system."""
        chosen = SYSTEMS if values["system"] == "all" else (values["system"],)
        return [partial(stateful_run, s, fail=values["fail"],
                        act_at=None if values["never"] else values["act_at"],
                        zonal=values["zonal"], pinned=values["pinned"]) for s in chosen]

    def update() -> None:
        runs = [call() for call in calls({name: c.value for name, c in named.items()})]
        traces = placement_traces({r.label: (r.snapshots, r.owner) for r in runs})
        charts.show(tuple(r.label for r in runs),
                    lambda chart: refresh(chart, traces, [_marks(r) for r in runs]),
                    lambda: storage_figure(runs, label_lines=_LIVE_LABEL_LINES))
        message.value = _summary(runs)
        plan_nearby(idle, named, calls)

    charts = PanelCharts(box, 4)
    idle = IdleWork()
    follow(update, message, controls)
    app = LiveApp(box, lambda: figure_html(_static_figure(), height=760),
                  name="Stateful task explorer")
    app.controls = {"system": system, "fail": fail, "act_at": act, "never": never,
                    "zonal": zonal, "pinned": pinned, "message": message}
    return app


def _static_figure() -> go.Figure:
    """The three systems for several operator times (slider frames). Each step brings its
    panels' y ranges with its marks: the room above the first machine is what that step's
    labels take (two lines at 120 s, one at 300 s)."""
    frames = []
    for act_at in (120, 300, 450):
        fig = storage_figure([stateful_run(s, act_at=act_at) for s in SYSTEMS])
        ranges = {name: {"range": fig.layout[name].range} for name in _y_axes(fig)}
        frames.append(go.Frame(data=fig.data, name=f"{act_at}", layout={
            "shapes": fig.layout.shapes, "annotations": fig.layout.annotations, **ranges}))
    fig = storage_figure([stateful_run(s, act_at=300) for s in SYSTEMS])
    fig.frames = frames
    add_slider_below_legend(fig, {
        "active": 1, "currentvalue": {"prefix": "operator acts at t = "},
        "steps": [{"label": f"{f.name} s", "method": "animate",
                   "args": [[f.name], {"mode": "immediate",
                                       "frame": {"duration": 0, "redraw": True}}]}
                  for f in frames]})
    return fig
