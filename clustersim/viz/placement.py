"""Where a task runs over time: one panel per system, one row per machine.

Reads lists of :class:`clustersim.sim.Snapshot`. A marker at (time, machine) means a task of
the application was on that machine at that moment: filled (the palette's reddish purple,
"serving" in the legend) when it served (ready on a machine that is up), hollow grey ("there,
not serving") when it was there but not serving (starting, stopping, or
on a failed machine), and a row ``(waiting)`` for a task that has no machine yet. The storage
lab uses it to show a stateful task pinned to its machine or coming back elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clustersim.sim.snapshot import Snapshot
from clustersim.viz.capacity import (
    DOWN_STATUSES,
    LABEL_LINE_PX,
    MARGIN,
    add_marks,
    legend_below,
    mark_label_lines,
    span_of,
)
from clustersim.viz.palette import OKABE_ITO, base_layout
from clustersim.viz.text import escape

__all__ = ["WAITING", "placement_over_time", "placement_traces"]

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
            target[1].append(escape(row))
            where = "machine down" if task.node in down else task.state
            target[2].append(f"t = {snapshot.time:g} s<br>{escape(task.name)} on "
                             f"{escape(row)}<br>{escape(str(where))}"
                             + (" · serving" if up else ""))
    return serving, idle


def placement_traces(series: Mapping[str, tuple[Sequence[Snapshot], str]]
                     ) -> list[dict[str, Any]]:
    """The panels' trace data in drawing order: per series, serving then not serving
    (``x``, ``y``, ``hovertext``)."""
    traces = []
    for snapshots, owner in series.values():
        for xs, ys, texts in _points(snapshots, owner):
            traces.append({"x": xs, "y": ys, "hovertext": texts})
    return traces


_MARKER_PX = 9
"""The markers' size."""
_PANEL_PX = 200
"""The figure's height per panel (with its share of the space between panels)."""
_SPACING = 0.1
"""The space between panels, a fraction of the plots' height."""


def _label_room(rows: int, panel_px: float, lines: int) -> float:
    """Rows' worth of room to add above the top row of a panel ``panel_px`` high with
    ``rows`` rows, so that ``lines`` lines of mark labels, hung from the panel's top, end
    above the top row's markers (on a phone a label covers more of the time axis, and sat on
    the first machine's markers: the storage lab's "out-of-service taint").

    The top row's centre is half a row plus the room below the panel's top, at
    ``panel_px / (rows + room)`` pixels a row; it must be the labels' height plus half a
    marker and a gap down."""
    clear = lines * LABEL_LINE_PX + _MARKER_PX / 2 + 3
    return max(0.0, (clear * rows - panel_px / 2) / (panel_px - clear)) if lines else 0.0


def placement_over_time(series: Mapping[str, tuple[Sequence[Snapshot], str]],
                        title: str = "Where the task runs",
                        marks: Mapping[str, Sequence[tuple[float, str]]] | None = None,
                        label_lines: int | None = None) -> go.Figure:
    """One panel per labelled series ``{label: (snapshots, owner)}``; rows are the machines
    of the first snapshot plus ``(waiting)``; ``marks`` adds labelled vertical lines.

    Each panel keeps room above its top row for ``label_lines`` lines of mark labels: by
    default the lines these marks' labels take
    (:func:`~clustersim.viz.capacity.mark_label_lines`: one, unless labels would write over each
    other on a phone); a figure whose marks change later (a slider's frames, a live app's
    refresh) may ask for more."""
    if not series:
        raise ValueError("placement_over_time needs at least one series")
    labels = list(series)
    data = placement_traces(series)
    rows = [(marks or {}).get(label, ()) for label in labels]
    if label_lines is None:
        label_lines = mark_label_lines(rows, span_of(t["x"] for t in data))
    panel_px = _PANEL_PX * (1 - _SPACING * (len(labels) - 1))
    fig = make_subplots(rows=len(labels), cols=1, shared_xaxes=True,
                        vertical_spacing=_SPACING,
                        subplot_titles=[escape(label) for label in labels])
    for row, label in enumerate(labels, start=1):
        snapshots = series[label][0]
        if not snapshots:
            raise ValueError(f"{label}: no snapshots to draw")
        nodes = [escape(n.name) for n in snapshots[0].nodes]
        pair = data[2 * (row - 1):2 * row]
        for name, trace, marker in (
                ("serving", pair[0], {"color": OKABE_ITO[3], "size": 9, "symbol": "square"}),
                ("there, not serving", pair[1], {"color": "#999999", "size": 9,
                                                 "symbol": "square-open"})):
            fig.add_trace(go.Scatter(**trace, mode="markers", name=name, legendgroup=name,
                                     showlegend=row == 1, marker=marker, hoverinfo="text",
                                     uid=f"placement-{row}-{name}"), row=row, col=1)
        fig.update_yaxes(categoryorder="array", categoryarray=[WAITING, *reversed(nodes)],
                         type="category", row=row, col=1,
                         range=[-0.5, len(nodes) + 0.5
                                + _label_room(len(nodes) + 1, panel_px, label_lines)])
    add_marks(fig, rows)
    fig.update_xaxes(title_text="simulated time (s)", row=len(labels), col=1)
    height = MARGIN["t"] + MARGIN["b"] + _PANEL_PX * len(labels)
    fig.update_layout(**base_layout(escape(title), margin=MARGIN), height=height,
                      legend=legend_below(height))
    return fig
