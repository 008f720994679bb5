"""A 5,000-node fleet, filled under two scheduler profiles, drawn per zone and node size.

Reads the :class:`~clustersim.kubernetes.fleet.FillLevel` lists of
:func:`clustersim.kubernetes.fleet.compare_profiles`: a few groups per fill level, never one
bar per node, so the stored figure stays a few kilobytes whatever the fleet's size. Top panel:
empty nodes per (zone, size) group, what a cluster autoscaler could remove; bottom panel: the
CPU requested on the group's nodes as a share of their allocatable CPU (bar: mean; whisker: the
90th percentile). One frame per fill level, chosen with a slider under the legend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clustersim.kubernetes.fleet import FillLevel
from clustersim.viz.capacity import MARGIN, add_slider_below_legend, legend_below
from clustersim.viz.palette import OKABE_ITO, base_layout
from clustersim.viz.text import escape

__all__ = ["PROFILE_COLORS", "fleet_figure"]

PROFILE_COLORS = {"LeastAllocated": OKABE_ITO[0], "MostAllocated": OKABE_ITO[3]}
"""Both profiles are Kubernetes: the default one keeps the course's Kubernetes blue, the
bin-packing one takes the palette's reddish purple (not a system's colour)."""


def _x(level: FillLevel) -> list[list[str]]:
    """Two-level category axis: zone, then node size in cores (short, for a phone)."""
    return [[escape(g.zone) for g in level.groups], [str(g.cores) for g in level.groups]]


def _traces(results: Mapping[str, Sequence[FillLevel]], index: int) -> list[go.Bar]:
    traces = []
    for row, metric in ((1, "empty"), (2, "cpu")):
        for number, (name, run) in enumerate(results.items()):
            level = run[index]
            label = escape(name)
            legend = f"{label} ({level.empty:,} empty nodes)"
            if metric == "empty":
                y: list[float] = [g.empty for g in level.groups]
                hover = [f"{label}: {escape(g.zone)}, {g.cores}-core nodes<br>{g.empty} of "
                         f"{g.nodes} empty, {g.used} in use" for g in level.groups]
                extra: dict[str, Any] = {}
            else:
                y = [round(g.mean_cpu, 1) for g in level.groups]
                hover = [f"{label}: {escape(g.zone)}, {g.cores}-core nodes<br>CPU requested: "
                         f"mean {g.mean_cpu:.0f}%, median {g.median_cpu:.0f}%, "
                         f"90th percentile {g.p90_cpu:.0f}%" for g in level.groups]
                extra = {"error_y": {"type": "data", "symmetric": False, "thickness": 1.5,
                                     "array": [round(g.p90_cpu - g.mean_cpu, 1)
                                               for g in level.groups],
                                     "arrayminus": [0] * len(level.groups)}}
            traces.append(go.Bar(
                x=_x(level), y=y, name=legend, legendgroup=label, showlegend=row == 1,
                marker_color=PROFILE_COLORS.get(name, OKABE_ITO[7]), uid=f"fleet-{metric}-{number}",
                hovertext=hover, hoverinfo="text", xaxis=f"x{row if row > 1 else ''}",
                yaxis=f"y{row if row > 1 else ''}", **extra,
            ))
    return traces


def _title(results: Mapping[str, Sequence[FillLevel]], index: int) -> str:
    first = next(iter(results.values()))[index]
    return f"{first.pods:,} pods, {first.cpu_percent:.0f}% of CPU requested"


def fleet_figure(results: Mapping[str, Sequence[FillLevel]]) -> go.Figure:
    """Empty nodes and CPU requested per (zone, node size), one bar per profile, a frame per
    fill level (the results of ``compare_profiles``: the same fill levels for every profile)."""
    runs = list(results.values())
    if not runs or not runs[0]:
        raise ValueError("fleet_figure needs the fill levels of at least one profile "
                         "(see clustersim.kubernetes.fleet.compare_profiles)")
    if any(len(run) != len(runs[0]) for run in runs):
        raise ValueError("fleet_figure needs the same number of fill levels for every profile")
    levels = len(runs[0])
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=["empty nodes", "CPU requested, % (mean; whisker: p90)"])
    for trace in _traces(results, levels - 1):
        fig.add_trace(trace)
    fig.frames = [go.Frame(data=_traces(results, k), name=f"{runs[0][k].pods}",
                           layout={"title": {"text": _title(results, k)}})
                  for k in range(levels)]
    most = max(g.nodes for run in runs for level in run for g in level.groups)
    fig.update_yaxes(title_text="nodes", range=[0, most * 1.05], row=1, col=1)
    fig.update_yaxes(title_text="% CPU", range=[0, 105], row=2, col=1)
    fig.update_xaxes(tickangle=0)
    height = 620
    fig.update_layout(**base_layout(_title(results, levels - 1), margin=MARGIN), height=height,
                      barmode="group", legend=legend_below(height))
    add_slider_below_legend(fig, {
        "active": levels - 1, "currentvalue": {"prefix": "pods placed: "},
        "steps": [{"label": f"{runs[0][k].pods:,}", "method": "animate",
                   "args": [[f"{runs[0][k].pods}"],
                            {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}]}
                  for k in range(levels)]})
    return fig
