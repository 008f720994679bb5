"""Requests over time: the share that failed, per system, in buckets of simulated time.

Reads the bucket rows the simulators' request streams produce:
:meth:`clustersim.kubernetes.RequestStream.buckets` (also filled by marathon-lb's
``request_stream``), ``{"start", "end", "served", "failed"}``, and
:meth:`clustersim.swarm.Traffic.timeline`, ``{"time", "served", "failed"}``. One line per
series; hover gives the counts behind each point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from clustersim.viz.palette import base_layout, line_width, system_color
from clustersim.viz.text import escape

__all__ = ["failed_share_figure"]

_DASHES = ("solid", "dash", "dot", "dashdot")


def _start(row: Mapping[str, float]) -> float:
    if "start" in row:
        return float(row["start"])
    if "time" in row:
        return float(row["time"])
    raise ValueError(f"a bucket needs 'start' or 'time', got keys {sorted(row)}")


def failed_share_figure(series: Mapping[str, Sequence[Mapping[str, float]]],
                        title: str = "Requests that failed",
                        marks: Mapping[str, float] | None = None) -> go.Figure:
    """One line per ``series`` entry (label → bucket rows): the percentage of requests that
    failed in each bucket. ``marks`` (label → time) draws dotted vertical lines, e.g. a
    node failure."""
    if not series:
        raise ValueError("series needs at least one entry: {label: stream.buckets(5)}")
    fig = go.Figure()
    for index, (label, rows) in enumerate(series.items()):
        xs, ys, hover = [], [], []
        for row in rows:
            total = row["served"] + row["failed"]
            if not total:
                continue
            share = 100.0 * row["failed"] / total
            xs.append(_start(row))
            ys.append(round(share, 1))
            hover.append(f"{escape(label)} from t = {_start(row):g} s: {row['failed']:g} of "
                         f"{total:g} requests failed ({share:.0f} %)")
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=escape(label), hovertext=hover,
            hoverinfo="text", line={"color": system_color(label, index), "shape": "hv",
                                    "dash": _DASHES[index % len(_DASHES)],
                                    "width": line_width(index, len(series))},
            marker_size=3 + 2 * line_width(index, len(series)),
        ))
    shapes, notes = [], []
    for text, time in (marks or {}).items():
        shapes.append({"type": "line", "x0": time, "x1": time, "y0": 0, "y1": 1,
                       "yref": "paper", "line": {"color": "#D55E00", "dash": "dot"}})
        notes.append({"x": time, "y": 1, "yref": "paper", "text": escape(text),
                      "showarrow": False, "xanchor": "left", "yanchor": "bottom"})
    fig.update_layout(**base_layout(escape(title)), xaxis_title="simulated time (s)",
                      yaxis_title="requests failed (%)", yaxis_range=[-2, 102],
                      shapes=shapes, annotations=notes, legend_title_text="system")
    return fig
