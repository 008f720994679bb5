"""Who may reach whom under NetworkPolicies: a grid of Pods, one slider step per set of
policies, each cell's hover text giving the decision's reason at both ends.

Rows are the sources and columns the destinations, as upstream's NetworkPolicy end-to-end
tests print their truth tables; rows carry the Pod names and a number, columns the numbers
only, so long names leave the grid its width on a phone. Allowed and denied differ in colour
(Okabe and Ito's bluish green and vermillion) and in the mark in each cell (✓, ✗), so the
grid reads without colour too. The grid is drawn with bars (one trace per column, one bar per
row), which plotly.js's basic bundle draws, so a page with it loads the small bundle
(:mod:`clustersim.course.book`). The slider is a plotly slider, so the steps work in the
static book without a kernel. The decisions come from
:func:`clustersim.kubernetes.networkpolicy.reachability`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import plotly.graph_objects as go

from clustersim.kubernetes.networkpolicy import Reachability, Verdict
from clustersim.viz.palette import OKABE_ITO, base_layout
from clustersim.viz.text import escape

__all__ = ["reachability_figure"]

_ALLOWED, _DENIED = OKABE_ITO[2], OKABE_ITO[5]
_HOVER_WIDTH = 56   # characters per hover line: the hover box fits a 390 px phone


def _labels(pods: tuple[str, ...]) -> list[str]:
    """Pod names, without the namespace when every Pod is in the same one."""
    namespaces = {p.split("/", 1)[0] for p in pods}
    return [p.split("/", 1)[1] if len(namespaces) == 1 else p for p in pods]


def _hover(source: str, destination: str, verdict: Verdict) -> str:
    lines = [f"<b>{escape(source)} → {escape(destination)}: "
             f"{'allowed' if verdict.allowed else 'denied'}</b>"]
    for reason in (verdict.egress, verdict.ingress):
        lines += [escape(line) for line in textwrap.wrap(
            reason, _HOVER_WIDTH, break_on_hyphens=False, break_long_words=False)]
    return "<br>".join(lines)


def _grid(table: Reachability, labels: list[str]) -> list[go.Bar]:
    """One bar trace per destination column: a bar of width 1 per source row."""
    rows = [f"{label} ({i + 1})" for i, label in enumerate(labels)]
    traces = []
    for j, destination in enumerate(table.pods):
        verdicts = [table.verdicts[(source, destination)] for source in table.pods]
        traces.append(go.Bar(
            y=rows, x=[1] * len(rows), base=[j] * len(rows), orientation="h",
            marker={"color": [_ALLOWED if v.allowed else _DENIED for v in verdicts],
                    "line": {"color": "white", "width": 2}},
            text=["✓" if v.allowed else "✗" for v in verdicts], textposition="inside",
            insidetextanchor="middle", textfont={"size": 16, "color": "black"},  # 5.6:1 and more
            hovertext=[_hover(source, destination, v)
                       for source, v in zip(table.pods, verdicts, strict=True)],
            hoverinfo="text", showlegend=False, name=str(j + 1)))
    return traces


def reachability_figure(steps: Mapping[str, Reachability],
                        title: str = "Who may connect to whom") -> go.Figure:
    """One grid per step (``{"no policy": reachability(...), ...}``, in order), with a slider
    over the steps. Every step must cover the same Pods, port and protocol."""
    tables = list(steps.values())
    if not tables:
        raise ValueError("reachability_figure needs at least one step")
    first = tables[0]
    for name, table in steps.items():
        if (table.pods, table.port, table.protocol) != (first.pods, first.port, first.protocol):
            raise ValueError(f"step {name!r} covers other Pods, another port or protocol than "
                             "the first step: each step must decide the same connections")
    labels = [escape(label) for label in _labels(first.pods)]
    grids = [_grid(table, labels) for table in tables]
    fig = go.Figure(data=grids[0])
    fig.frames = [go.Frame(data=grid, name=f"step {i}") for i, grid in enumerate(grids)]
    count = len(labels)
    fig.update_layout(**base_layout(
        escape(f"{title}, {first.protocol} {first.port}"),
        height=50 * count + 150 + (110 if len(tables) > 1 else 0),
        barmode="overlay", bargap=0.04,
        xaxis={"title": {"text": "to (destination)"}, "range": [0, count],
               "tickvals": [j + 0.5 for j in range(count)],
               "ticktext": [str(j + 1) for j in range(count)],
               "showgrid": False, "zeroline": False, "fixedrange": True},
        yaxis={"title": {"text": "from (source)"}, "type": "category", "autorange": "reversed",
               "automargin": True, "showgrid": False, "fixedrange": True},
        margin={"l": 20, "r": 20, "t": 50, "b": 20},
    ))
    if len(tables) > 1:
        fig.update_layout(sliders=[{
            "active": 0, "currentvalue": {"prefix": "policies: "}, "pad": {"t": 60},
            "x": 0.1, "len": 0.8,   # room for the end labels, centred on their ticks
            "steps": [{"label": escape(name), "method": "animate",
                       "args": [[f"step {i}"], {"mode": "immediate",
                                                "frame": {"duration": 0, "redraw": True}}]}
                      for i, name in enumerate(steps)]}])
    return fig
