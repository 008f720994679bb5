"""Where a task runs over time: one panel per system, one row per machine.

Reads lists of :class:`clustersim.sim.Snapshot`. A marker at (time, machine) means a task of
the application was on that machine at that moment: filled green when it served (ready on a
machine that is up), hollow grey when it was there but not serving (starting, stopping, or
on a failed machine), and a row ``(waiting)`` for a task that has no machine yet. The storage
lab uses it to show a stateful task pinned to its machine or coming back elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clustersim.sim.snapshot import Snapshot
from clustersim.viz.capacity import DOWN_STATUSES
from clustersim.viz.palette import OKABE_ITO, base_layout

__all__ = ["WAITING", "placement_over_time"]

WAITING = "(waiting)"
"""The row for tasks that have no machine."""


def _points(snapshots: Sequence[Snapshot], owner: str):
    serving: tuple[list[float], list[str], list[str]] = ([], [], [])
    idle: tuple[list[float], list[str], list[str]] = ([], [], [])
    for snapshot in snapshots:
        down = {n.name for n in snapshot.nodes if n.status in DOWN_STATUSES}
        for task in snapshot.tasks:
            if not task.owner.startswith(owner):
                continue
            row = task.node or WAITING
            up = task.ready and task.node is not None and task.node not in down
            target = serving if up else idle
            target[0].append(snapshot.time)
            target[1].append(row)
            where = "machine down" if task.node in down else task.state
            target[2].append(f"t = {snapshot.time:g} s<br>{escape(task.name)} on "
                             f"{escape(row)}<br>{escape(str(where))}"
                             + (" · serving" if up else ""))
    return serving, idle


def placement_over_time(series: Mapping[str, tuple[Sequence[Snapshot], str]],
                        title: str = "Where the task runs",
                        marks: Mapping[str, Sequence[tuple[float, str]]] | None = None
                        ) -> go.Figure:
    """One panel per labelled series ``{label: (snapshots, owner)}``; rows are the machines
    of the first snapshot plus ``(waiting)``; ``marks`` adds labelled vertical lines."""
    if not series:
        raise ValueError("placement_over_time needs at least one series")
    labels = list(series)
    fig = make_subplots(rows=len(labels), cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=labels)
    for row, label in enumerate(labels, start=1):
        snapshots, owner = series[label]
        if not snapshots:
            raise ValueError(f"{label}: no snapshots to draw")
        nodes = [n.name for n in snapshots[0].nodes]
        serving, idle = _points(snapshots, owner)
        for name, (xs, ys, texts), marker in (
                ("serving", serving, {"color": OKABE_ITO[2], "size": 9, "symbol": "square"}),
                ("there, not serving", idle, {"color": "#999999", "size": 9,
                                               "symbol": "square-open"})):
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", name=name, legendgroup=name,
                                     showlegend=row == 1, marker=marker, hovertext=texts,
                                     hoverinfo="text", uid=f"placement-{row}-{name}"),
                          row=row, col=1)
        fig.update_yaxes(categoryorder="array", categoryarray=[WAITING, *reversed(nodes)],
                         type="category", range=[-0.5, len(nodes) + 0.5], row=row, col=1)
        for time, text in (marks or {}).get(label, ()):
            fig.add_vline(x=time, line_dash="dot", line_color="#555555", row=row, col=1,
                          annotation_text=text, annotation_position="top right",
                          annotation_font_size=11)
    fig.update_xaxes(title_text="simulated time (s)", row=len(labels), col=1)
    fig.update_layout(**base_layout(title), height=140 + 200 * len(labels),
                      legend={"orientation": "h", "y": -0.15 if len(labels) > 1 else -0.35})
    return fig
