"""Who may reach whom under NetworkPolicies: a grid of Pods, one slider step per set of
policies, each cell's hover text giving the decision's reason at both ends.

Rows are the sources and columns the destinations, as upstream's NetworkPolicy end-to-end
tests print their truth tables; rows carry the Pod names and a number, columns the numbers
only, so long names leave the grid its width on a phone. Allowed and denied differ in colour
(Okabe and Ito's bluish green and vermillion) and in the mark in each cell (✓, ✗), so the
grid reads without colour too. The slider is a plotly slider, so the steps work in the static
book without a kernel. The decisions come from
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


def _grid(table: Reachability, labels: list[str]) -> go.Heatmap:
    rows = [[table.verdicts[(s, d)] for d in table.pods] for s in table.pods]
    return go.Heatmap(
        z=[[int(v.allowed) for v in row] for row in rows],
        x=[str(i + 1) for i in range(len(labels))],
        y=[f"{label} ({i + 1})" for i, label in enumerate(labels)],
        text=[["✓" if v.allowed else "✗" for v in row] for row in rows],
        texttemplate="%{text}", textfont={"size": 16, "color": "white"},
        hovertext=[[_hover(s, d, v) for d, v in zip(table.pods, row, strict=True)]
                   for s, row in zip(table.pods, rows, strict=True)],
        hoverinfo="text", zmin=0, zmax=1, showscale=False, xgap=2, ygap=2,
        colorscale=[[0, _DENIED], [0.5, _DENIED], [0.5, _ALLOWED], [1, _ALLOWED]])


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
    fig = go.Figure(data=[grids[0]])
    fig.frames = [go.Frame(data=[grid], name=f"step {i}") for i, grid in enumerate(grids)]
    size = 50 * len(labels) + 150
    fig.update_layout(**base_layout(
        escape(f"{title}, {first.protocol} {first.port}"),
        height=size + (110 if len(tables) > 1 else 0),
        xaxis={"title": {"text": "to (destination)"}, "type": "category", "automargin": True,
               "fixedrange": True},
        yaxis={"title": {"text": "from (source)"}, "type": "category", "autorange": "reversed",
               "automargin": True, "fixedrange": True},
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
