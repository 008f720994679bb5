"""One application, three dialects, live: :func:`dialects_explorer` and its figures.

The runs come from :mod:`clustersim.scenarios.shop` (the example ``shop`` deployed on each
system, optionally scaled and with a node failed); this module draws them side by side
and adds the controls; its static rendering is a plotly figure with a slider over the
same scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, partial
from html import escape
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.scenarios.shop import (
    DEFAULT_TIMES,
    SYSTEMS,
    TIERS,
    ShopRun,
    compare_shop,
    preload_specs,
    run_shop,
    shop_source,
    start_order,
)
from clustersim.viz.palette import base_layout, line_width, system_color
from clustersim.viz.panels import slider_panels_html
from clustersim.widgets.base import LiveApp, follow
from clustersim.widgets.idle import IdleWork, plan_grid

__all__ = ["dialects_explorer", "readiness_figure", "scenarios_figure"]

_NAMES = {"kubernetes": "Kubernetes", "marathon": "Marathon", "swarm": "Docker Swarm"}


def _series(system: str, run: ShopRun) -> dict[str, Any]:
    """What a move changes in one system's trace: times, ready tasks and the hover text."""
    wanted, total = _wanted(run.api_replicas), run.total_ready()
    hover = []
    for i, time in enumerate(run.times):
        tiers = ", ".join(f"{tier} {run.ready[tier][i]}/{run.running[tier][i]}"
                          for tier in TIERS)
        hover.append(f"{_NAMES[system]} at t = {time:g} s<br>ready/running: {tiers}"
                     f"<br>{total[i]} of {wanted} tasks ready")
    return {"x": run.times, "y": total, "hovertext": hover}


def _traces(runs: dict[str, ShopRun]) -> list[go.Scatter]:
    return [go.Scatter(
        **_series(system, run), mode="lines+markers", name=_NAMES[system],
        line={"color": system_color(system, index), "shape": "hv",
              "dash": ("solid", "dash", "dot")[index],
              "width": line_width(index, len(runs))},
        marker_size=3 + 2 * line_width(index, len(runs)),
        hoverinfo="text", uid=f"dialects-{system}",
    ) for index, (system, run) in enumerate(runs.items())]


@lru_cache(maxsize=32)
def _wanted(api_replicas: int) -> int:
    """Tasks the example asks for with the api scaled (as its Kubernetes workloads count)."""
    return sum(doc["spec"].get("replicas", 1) for doc in shop_source("kubernetes", api_replicas)
               if doc["kind"] in ("Deployment", "StatefulSet"))


def _failure_shapes(failed_at: float | None) -> list[dict[str, Any]]:
    """A dotted vertical line at the failure, if any."""
    if failed_at is None:
        return []
    return [{"type": "line", "x0": failed_at, "x1": failed_at, "y0": 0, "y1": 1,
             "yref": "paper", "line": {"color": "#D55E00", "dash": "dot"}}]


def _failure_notes(failed_at: float | None) -> list[dict[str, Any]]:
    """The label of the failure line, at its top."""
    if failed_at is None:
        return []
    return [{"x": failed_at, "y": 1, "yref": "paper", "text": "node fails", "showarrow": False,
             "xanchor": "left", "yanchor": "bottom", "font": {"color": "#D55E00"}}]


def _title(runs: dict[str, ShopRun]) -> str:
    run = next(iter(runs.values()))
    failure = (f", busiest node failed at {run.failed_at:g} s"
               if run.failed_at is not None else "")
    return f"shop: ready tasks over time (api × {run.api_replicas}{failure})"


def _summary_html(runs: dict[str, ShopRun]) -> str:
    rows = []
    for system, run in runs.items():
        order = " → ".join("+".join(step) for step in start_order(run)) or "nothing ready"
        end = ", ".join(f"{tier} {run.ready[tier][-1]}" for tier in TIERS)
        failed = f"{escape(run.failed_node)} at {run.failed_at:g} s" if run.failed_node else "–"
        rows.append(f"<tr><td>{_NAMES[system]}</td><td>{escape(order)}</td>"
                    f"<td>{escape(end)}</td><td>{failed}</td></tr>")
    return ('<table class="clustersim-table"><thead><tr><th>system</th>'
            "<th>tiers in the order they became ready</th>"
            f"<th>ready at t = {next(iter(runs.values())).times[-1]:g} s</th>"
            "<th>failed node</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def readiness_figure(runs: dict[str, ShopRun]) -> go.Figure:
    """Ready tasks of ``shop`` over time, one line per system."""
    fig = go.Figure(data=_traces(runs))
    _layout(fig, runs)
    return fig


def _scenario_layout(runs: dict[str, ShopRun]) -> dict[str, Any]:
    """The layout a scenario changes: title, y range, the failure line and its label (a
    slider frame's layout, and all that a live move updates)."""
    run = next(iter(runs.values()))
    return {"title": {"text": _title(runs)},
            "yaxis": {"range": [0, _wanted(run.api_replicas) + 1]},
            "shapes": _failure_shapes(run.failed_at),
            "annotations": _failure_notes(run.failed_at)}


def _layout(fig: go.Figure, runs: dict[str, ShopRun]) -> None:
    fig.update_layout(**base_layout(_title(runs)), xaxis_title="simulated time (s)",
                      yaxis_title="ready tasks (all tiers)", legend_title_text="system")
    fig.update_layout(_scenario_layout(runs))


def _frame_name(count: int, failure: float) -> str:
    """The slider step of ``scenarios_figure`` for api ``count`` and a failure time (-1: none)."""
    return f"{count}" + (" + fail" if failure >= 0 else "")


def scenarios_figure(replicas: Sequence[int] = (1, 3, 5), fail_at: float = 60.0,
                     times: Sequence[float] = DEFAULT_TIMES,
                     cache: dict[tuple[int, float], dict[str, ShopRun]] | None = None
                     ) -> go.Figure:
    """The static version of the explorer: a slider over (api replicas, failure or not).
    ``cache`` maps (replicas, failure time or -1) to runs already made, and is filled."""
    cache = {} if cache is None else cache
    frames = []
    for count in replicas:
        for failure in (None, fail_at):
            key = (count, -1.0 if failure is None else failure)
            if key not in cache:
                cache[key] = compare_shop(count, failure, times)
            runs = cache[key]
            name = _frame_name(*key)
            frames.append(go.Frame(data=_traces(runs), name=name,
                                   layout=_scenario_layout(runs)))
    fig = go.Figure(data=frames[0].data, frames=frames)
    fig.update_layout(**base_layout(frames[0].layout.title.text), xaxis_title="simulated time (s)",
                      yaxis_title="ready tasks (all tiers)", legend_title_text="system",
                      yaxis_range=[0, _wanted(replicas[0]) + 1],
                      sliders=[{"active": 0, "currentvalue": {"prefix": "api replicas: "},
                                "pad": {"t": 75},
                                "steps": [{"label": f.name, "method": "animate",
                                           "args": [[f.name], {"mode": "immediate", "frame": {
                                               "duration": 0, "redraw": True}}]}
                                          for f in frames]}])
    return fig


def dialects_explorer(times: Sequence[float] = DEFAULT_TIMES) -> LiveApp:
    """Scale the api tier and fail the busiest node; the three systems side by side."""
    replicas = widgets.IntSlider(value=3, min=1, max=6, description="api replicas",
                                 continuous_update=False)
    failure = widgets.Dropdown(options=[("no failure", -1.0), ("fail busiest node at 30 s", 30.0),
                                        ("fail busiest node at 60 s", 60.0),
                                        ("fail busiest node at 120 s", 120.0)],
                               value=-1.0, description="change")
    message = widgets.HTML()

    def runs_for(count: int, fail: float) -> dict[str, ShopRun]:
        """The three runs (``run_shop`` keeps them: a value shown before is not run again)."""
        return compare_shop(count, None if fail < 0 else fail, times)

    first = runs_for(3, -1.0)
    preload_specs(range(replicas.min, replicas.max + 1))   # a new count's first move: 3 runs
    chart = go.FigureWidget(data=_traces(first))
    for trace, system in zip(chart.data, first, strict=True):
        trace.uid = f"dialects-{system}"   # FigureWidget draws its own uids otherwise
    _layout(chart, first)
    shown = _scenario_layout(first)   # the scenario's layout as the chart has it

    def update() -> None:
        runs = runs_for(int(replicas.value), float(failure.value))
        message.value = _summary_html(runs)
        # only the layout that changed: plotly validates every shape and annotation it is
        # given again (most of a move's drawing), and they change with the failure alone
        layout = _scenario_layout(runs)
        changed = {key: value for key, value in layout.items() if shown[key] != value}
        with chart.batch_update():   # only what a scenario changes (plotly validates each)
            for trace, (system, run) in zip(chart.data, runs.items(), strict=True):
                trace.update(_series(system, run))
            for key, value in changed.items():
                if isinstance(value, list):   # update_layout keeps the old items given []
                    chart.layout[key] = value     # (plotly/plotly.py issue 1717: assign)
                else:
                    chart.update_layout({key: value})
        shown.update(changed)
        plan_grid(idle, {"replicas": replicas, "failure": failure}, calls)

    def calls(values: dict[str, Any]) -> list[partial[ShopRun]]:
        """The runs :func:`compare_shop` makes for these control values, one per system."""
        fail = float(values["failure"])
        return [partial(run_shop, system, api_replicas=int(values["replicas"]),
                        fail_at=None if fail < 0 else fail, times=times, seed=0)
                for system in SYSTEMS]

    idle = IdleWork()
    follow(update, message, [replicas, failure])
    box = widgets.VBox([widgets.HBox([replicas, failure]), chart, message])
    def static() -> str:
        # The figure's own scenarios (run_shop keeps the runs the live view already made).
        made: dict[tuple[int, float], dict[str, ShopRun]] = {}
        figure = scenarios_figure(times=times, cache=made)
        return slider_panels_html(figure, {_frame_name(*key): _summary_html(runs)
                                           for key, runs in made.items()})

    return LiveApp(box, static, name="three dialects explorer")
