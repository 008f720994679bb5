"""Rolling updates, live: :func:`updates_app` and its static rendering :func:`updates_figure`.

The runs come from :mod:`clustersim.scenarios.updates` (one application, one new version,
each system's update strategy); this module draws them and adds the controls.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.messages import counted
from clustersim.scenarios.healing import SYSTEMS
from clustersim.scenarios.updates import (
    LABELS,
    ROLLBACK_AT,
    UPDATE_AT,
    UpdateRun,
    rolling_update_run,
)
from clustersim.viz.capacity import (
    add_slider_below_legend,
    capacity_panels,
    capacity_traces,
    refresh,
)
from clustersim.viz.renderer import figure_html
from clustersim.widgets.base import LiveApp, follow, typed_whole
from clustersim.widgets.idle import IdleWork, nearby_jobs

__all__ = ["updates_app", "updates_figure"]

_LINES = ("serving", "total")


def _marks_html(run: UpdateRun) -> str:
    marks = run.marks
    return (f"<p><strong>{html.escape(run.label)}</strong> with "
            f"{html.escape(', '.join(f'{k}={v}' for k, v in run.strategy.items()))}: "
            f"low water mark {marks.low_serving} of {run.replicas} serving "
            f"(t = {marks.low_at:g} s), "
            f"peak {counted(marks.peak_total, 'task')} (t = {marks.peak_at:g} s).</p>")


def panel_titles(runs: list[UpdateRun]) -> list[str]:
    """One panel title per run: its label and, where runs share a label (one system, two
    strategies), the settings that tell them apart. Keyed by label alone, the panels of such
    runs collapsed into one that showed only the last run."""
    titles = []
    for run in runs:
        twins = [other for other in runs if other.label == run.label]
        differ = [key for key, value in run.strategy.items()
                  if any(other.strategy.get(key) != value for other in twins)]
        titles.append(run.label if len(twins) == 1 else
                      f"{run.label}: " + ", ".join(f"{k} {run.strategy[k]}" for k in differ))
    if len(set(titles)) < len(titles):
        raise ValueError("two of the runs are the same update (same system and settings): "
                         "pass each run once")
    return titles


def updates_figure(runs: list[UpdateRun], title: str = "") -> go.Figure:
    """Serving and existing tasks over time for each run, the update (and rollback) marked."""
    titles = panel_titles(runs)
    return capacity_panels({t: (r.snapshots, r.owner) for t, r in zip(titles, runs, strict=True)},
                           lines=_LINES, desired=runs[0].replicas,
                           marks={t: _marks(r) for t, r in zip(titles, runs, strict=True)},
                           title=title or "Rolling update from 1.0 to 2.0")


def _marks(run: UpdateRun) -> list[tuple[float, str]]:
    marks = [(UPDATE_AT, "update to 2.0")]
    if run.failing and run.system != "swarm":
        marks.append((ROLLBACK_AT, "operator rolls back"))
    return marks


def _static_figure() -> go.Figure:
    """Kubernetes' update for several (maxSurge, maxUnavailable) pairs, as slider frames.

    The y axis is the same in every frame, as high as the frame that needs the most room
    (each frame's own figure raises it over its peak and the mark labels hung from the top,
    :func:`clustersim.viz.capacity.capacity_panels`): drawn on the default frame's axis, up
    to 10.5, the 12 pods of maxSurge 6 ran off the plot and through "update to 2.0"."""
    pairs = [(0, 1), (1, 0), (1, 1), ("25%", "25%"), (2, 2), (0, 3), (6, 0)]
    frames, top = [], 0.0
    for surge, unavailable in pairs:
        run = rolling_update_run("kubernetes", {"maxSurge": surge,
                                                "maxUnavailable": unavailable})
        marks = run.marks
        fig = updates_figure([run])
        top = max(top, fig.layout.yaxis.range[1])
        frames.append(go.Frame(data=fig.data, name=f"{surge}/{unavailable}", layout={
            "title": {"text": f"maxSurge {surge}, maxUnavailable {unavailable}: at least "
                              f"{marks.low_serving} serving, at most {marks.peak_total} pods"}}))
    fig = go.Figure(updates_figure([rolling_update_run("kubernetes")]))
    fig.frames = frames
    fig.update_layout(title={"text": frames[3].layout.title.text})
    fig.update_yaxes(range=[0, top])
    add_slider_below_legend(fig, {
        "active": 3, "currentvalue": {"prefix": "maxSurge / maxUnavailable: "},
        "steps": [{"label": f.name, "method": "animate",
                   "args": [[f.name], {"mode": "immediate",
                                       "frame": {"duration": 0, "redraw": True}}]}
                  for f in frames]})
    return fig


def _percent_or_int(text: str, name: str) -> int | str:
    text = text.strip()
    whole = typed_whole(text.removesuffix("%"))
    if whole is not None:
        return text if text.endswith("%") else whole
    raise ValueError(f'{name} must be a whole number such as 1 or a percentage such as "25%", '
                     f"got {text!r}")


_MOVES = {"kubernetes": ("maxUnavailable", "maxSurge", "system", "failing"),
          "marathon": ("minimumHealthCapacity", "maximumOverCapacity", "system", "failing"),
          "swarm": ("parallelism", "delay", "order", "failure_action", "system", "failing")}
"""The controls whose neighbouring values are run ahead while a system is shown (its own
sliders, menus and whole numbers typed, then the shared two, last); the other systems' own
are run ahead too, as a move to them would find them."""


def updates_app() -> LiveApp:
    """Sliders for one chosen system's update strategy; capacity over time and water marks."""
    system = widgets.Dropdown(options=[(LABELS[s], s) for s in SYSTEMS], value="kubernetes",
                              description="system", layout={"width": "28em"})
    wide = {"description_width": "initial"}
    surge = widgets.Text(value="25%", description="maxSurge", style=wide)
    unavailable = widgets.Text(value="25%", description="maxUnavailable", style=wide)
    health = widgets.FloatSlider(value=1.0, min=0, max=1, step=0.1,
                                 description="minimumHealthCapacity", style=wide)
    over = widgets.FloatSlider(value=1.0, min=0, max=1, step=0.1,
                               description="maximumOverCapacity", style=wide)
    parallelism = widgets.IntSlider(value=1, min=0, max=6, description="parallelism", style=wide)
    delay = widgets.IntSlider(value=0, min=0, max=30, step=5, description="delay (s)",
                              style=wide)
    order = widgets.Dropdown(options=["stop-first", "start-first"], description="order")
    action = widgets.Dropdown(options=["pause", "continue", "rollback"],
                              description="failure_action", style=wide)
    failing = widgets.Checkbox(value=False, description="version 2.0 is broken")
    rows = {"kubernetes": widgets.HBox([surge, unavailable]),
            "marathon": widgets.HBox([health, over]),
            "swarm": widgets.VBox([widgets.HBox([parallelism, delay]),
                                   widgets.HBox([order, action])])}
    controls = [system, surge, unavailable, health, over, parallelism, delay, order, action,
                failing]
    for control in controls:
        control.continuous_update = False
    message = widgets.HTML()
    chart = go.FigureWidget(updates_figure([rolling_update_run("kubernetes")]))
    box = widgets.VBox([system, *rows.values(), failing, message, chart])

    named = {"system": system, "maxSurge": surge, "maxUnavailable": unavailable,
             "minimumHealthCapacity": health, "maximumOverCapacity": over,
             "parallelism": parallelism, "delay": delay, "order": order,
             "failure_action": action, "failing": failing}

    def strategy(values: dict[str, Any]) -> dict[str, Any]:
        if values["system"] == "kubernetes":
            return {name: _percent_or_int(values[name], name)
                    for name in ("maxSurge", "maxUnavailable")}
        if values["system"] == "marathon":
            return {name: round(values[name], 2)
                    for name in ("minimumHealthCapacity", "maximumOverCapacity")}
        return {name: values[name] for name in ("parallelism", "delay", "order",
                                                "failure_action")}

    def calls(values: dict[str, Any]) -> list[partial[UpdateRun]]:
        """The run for these control values (name → value)."""
        return [partial(rolling_update_run, values["system"], strategy(values),
                        failing=values["failing"])]

    def update() -> None:
        for name, row in rows.items():
            row.layout.display = None if name == system.value else "none"
        values = {name: control.value for name, control in named.items()}
        run = calls(values)[0]()
        traces, top = capacity_traces({run.label: (run.snapshots, run.owner)}, _LINES)
        refresh(chart, traces, [_marks(run)], [run.replicas], top + 1.5)
        chart.layout.annotations[0].text = run.label
        message.value = _marks_html(run)
        # the shown system's controls first, then each other system's own, shown
        idle.plan([job for other in sorted(SYSTEMS, key=lambda s: s != system.value)
                   for job in around(other)])

    def around(shown: str) -> list[Callable[[], object]]:
        """The runs next to the current values of ``shown``'s controls, that system shown."""
        own = _MOVES[shown] if shown == system.value else _MOVES[shown][:-2]
        rest = {name: c.value for name, c in named.items() if name not in own}
        return nearby_jobs({name: named[name] for name in own}, calls, **{**rest,
                                                                        "system": shown})

    idle = IdleWork()
    follow(update, message, controls)
    app = LiveApp(box, lambda: figure_html(_static_figure(), height=520),
                  name="Rolling update explorer")
    app.controls = {"system": system, "maxSurge": surge, "maxUnavailable": unavailable,
                    "minimumHealthCapacity": health, "maximumOverCapacity": over,
                    "parallelism": parallelism, "delay": delay, "order": order,
                    "failure_action": action, "failing": failing, "message": message,
                    "chart": chart}
    return app
