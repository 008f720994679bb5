"""Serving capacity over time: how many tasks of each application were ready to take traffic.

Reads a list of :class:`clustersim.sim.Snapshot` (from :func:`clustersim.sim.record_run`), so a
rolling update in Kubernetes, a Marathon restart and a Swarm service update can be drawn on
the same axes. An optional dashed line marks a target, such as 80 % of the desired replicas.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from clustersim.sim.snapshot import Snapshot
from clustersim.viz.palette import base_layout, line_width, system_color
from clustersim.viz.text import escape

__all__ = ["ready_counts", "serving_over_time"]


def ready_counts(snapshots: Sequence[Snapshot], owner: str) -> list[int]:
    """Ready tasks of ``owner`` in each snapshot (tasks whose owner starts with ``owner``)."""
    return [sum(1 for t in s.tasks if t.ready and t.owner.startswith(owner)) for s in snapshots]


def _marker_px(index: int, count: int) -> float:
    """The marker size of the ``index``-th of ``count`` series: wider lines, larger markers."""
    return 3 + 2 * line_width(index, count)


def serving_over_time(
    series: dict[str, tuple[Sequence[Snapshot], str]],
    title: str = "Ready to serve over time",
    target: float | None = None,
) -> go.Figure:
    """One line per labelled series ``{label: (snapshots, owner)}``: ready tasks over time."""
    if not series:
        raise ValueError("serving_over_time needs at least one series")
    fig = go.Figure()
    for index, (label, (snapshots, owner)) in enumerate(series.items()):
        counts = ready_counts(snapshots, owner)
        fig.add_trace(go.Scatter(
            x=[s.time for s in snapshots], y=counts, name=escape(label), mode="lines+markers",
            line={"shape": "hv", "color": system_color(label, index),
                  "width": line_width(index, len(series))},
            marker_size=_marker_px(index, len(series)),
            hovertemplate=f"{escape(label)}<br>t = %{{x}} s: %{{y}} ready<extra></extra>",
        ))
    if target is not None:
        # Under the line at its right end, where every series has settled (at the top left the
        # label sat where the lines rise), clear of the markers (the first series' are the
        # largest) of a series on the line.
        marker_px = _marker_px(0, len(series))
        fig.add_hline(y=target, line_dash="dash", line_color="#555555",
                      annotation_text=f"target {target:g}", annotation_position="bottom right",
                      annotation_yshift=-(marker_px / 2 + 1))
    fig.update_layout(**base_layout(escape(title)), xaxis_title="simulated time (s)",
                      yaxis_title="tasks ready", yaxis_rangemode="tozero")
    return fig
