"""Capacity over time, one panel per system: tasks that serve, tasks the control plane counts
as ready, and every task that exists, with markers for the moments that matter.

Reads lists of :class:`clustersim.sim.Snapshot` only, so a node failure, a rolling update or a
stateful task coming back can be drawn for Kubernetes, Marathon and Swarm on shared axes.

Three counts per snapshot (:func:`task_counts`):

- ``ready``: tasks the system itself reports as ready (a pod's Ready condition, a Mesos task in
  TASK_RUNNING, a Swarm task in state running). It lags behind reality: a failed machine's
  tasks stay "ready" until the control plane notices;
- ``serving``: ready tasks whose machine is really up (the snapshot's node status is not a
  failure status), i.e. what could answer a request;
- ``total``: every task that exists and is not over (pending, starting, running, stopping),
  the figure a rolling update's surge limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clustersim.sim.snapshot import Snapshot
from clustersim.viz.palette import OKABE_ITO, base_layout, line_width
from clustersim.viz.text import escape

__all__ = [
    "DOWN_STATUSES",
    "LABEL_GAP_PX",
    "LABEL_LINE_PX",
    "MARGIN",
    "MARK_GREY",
    "MAX_LABEL_LINES",
    "PHONE_SHARE",
    "WANTED",
    "Marks",
    "add_marks",
    "add_slider_below_legend",
    "capacity_panels",
    "capacity_traces",
    "legend_below",
    "mark_label_lines",
    "mark_layout",
    "refresh",
    "span_of",
    "task_counts",
    "water_marks",
]

DOWN_STATUSES = frozenset({"NotReady", "Disconnected", "Unreachable", "Gone", "Failed", "Down"})
"""Node statuses of the three snapshots that mean the machine does not run its tasks."""
_ENDED = frozenset({"Succeeded", "Failed", "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED",
                    "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE",
                    "TASK_GONE_BY_OPERATOR", "complete", "shutdown", "failed", "rejected",
                    "orphaned", "remove"})
MARGIN = {"l": 60, "r": 20, "t": 60, "b": 110}
"""Room under the plots for the x axis title and the legend below it."""
MARK_GREY = "#888888"
"""A level line's colour (a target): 3.5:1 on the white plot, WCAG 2.1's 3:1 for lines and
other graphics (success criterion 1.4.11, non-text contrast; #999999 was 2.8:1), and 4.8:1
on the site's dark plot, where course.js leaves it as it is."""
# Not the systems' colours (SYSTEM_COLORS): these lines are states, drawn for every system.
_LINES = {"serving": ("serving (machine up and ready)", OKABE_ITO[3], "solid"),
          "ready": ("ready as the control plane sees it", OKABE_ITO[4], "dot"),
          "total": ("tasks that exist", OKABE_ITO[7], "dash")}


def _owned(snapshot: Snapshot, owner: str):
    return [t for t in snapshot.tasks if t.owner.startswith(owner)]


def task_counts(snapshots: Sequence[Snapshot], owner: str) -> dict[str, list[int]]:
    """``{"ready", "serving", "total"}``: one count per snapshot for the tasks whose owner
    starts with ``owner`` (see the module docstring)."""
    counts: dict[str, list[int]] = {"ready": [], "serving": [], "total": []}
    last: tuple[object, object, int, int, int] | None = None
    for snapshot in snapshots:
        # a snapshot that shares the last one's nodes and tasks (the simulators share them
        # while nothing changes) has its counts
        if last is None or last[0] is not snapshot.nodes or last[1] is not snapshot.tasks:
            down = {n.name for n in snapshot.nodes if n.status in DOWN_STATUSES}
            tasks = _owned(snapshot, owner)
            last = (snapshot.nodes, snapshot.tasks, sum(1 for t in tasks if t.ready),
                    sum(1 for t in tasks if t.ready and t.node not in down),
                    sum(1 for t in tasks if t.state not in _ENDED))
        counts["ready"].append(last[2])
        counts["serving"].append(last[3])
        counts["total"].append(last[4])
    return counts


@dataclass(frozen=True)
class Marks:
    """The low and high water marks of a run: fewest tasks serving, most tasks existing."""

    low_serving: int
    low_at: float
    peak_total: int
    peak_at: float


def water_marks(snapshots: Sequence[Snapshot], owner: str) -> Marks:
    """The fewest serving tasks and the most existing tasks of ``owner`` (first time each)."""
    if not snapshots:
        raise ValueError("water_marks needs at least one snapshot")
    counts = task_counts(snapshots, owner)
    low = min(range(len(snapshots)), key=lambda i: (counts["serving"][i], i))
    peak = max(range(len(snapshots)), key=lambda i: (counts["total"][i], -i))
    return Marks(counts["serving"][low], snapshots[low].time,
                 counts["total"][peak], snapshots[peak].time)


_LABEL_PX = 6.5
"""Width of one character of a mark label (font size 11), in pixels."""
_PLOT_PX = 300
"""The narrowest plot area a mark label must fit: a phone's (the widest is about 700 px)."""
LABEL_LINE_PX = 17
"""One line of mark labels: font size 11 plus plotly's border padding."""
MAX_LABEL_LINES = 4
"""Mark labels step down at most this many lines; later ones share the line freed first."""


def _label_levels(row_marks: Sequence[tuple[float, str]], span: float) -> list[int]:
    """For marks in time order, the line (0 at the top) on which each label goes: the first
    line whose previous label ends before this one starts, estimated for the narrowest plot
    (``span`` seconds across :data:`_PLOT_PX` pixels); after :data:`MAX_LABEL_LINES` lines,
    the one that frees up first."""
    per_px = span / _PLOT_PX
    ends: list[float] = []
    levels = []
    for time, text in row_marks:
        level = next((i for i, end in enumerate(ends) if end <= time), None)
        if level is None:
            level = (len(ends) if len(ends) < MAX_LABEL_LINES
                     else min(range(MAX_LABEL_LINES), key=ends.__getitem__))
            if level == len(ends):
                ends.append(0.0)
        ends[level] = time + (len(text) * _LABEL_PX + 8) * per_px
        levels.append(level)
    return levels


def _row_levels(ordered: Sequence[tuple[float, str]], span: float | None) -> list[int]:
    """:func:`_label_levels` of one row's marks in time order, over ``span`` seconds (by
    default a quarter more than the last mark)."""
    row_span = span or max((t for t, _ in ordered), default=0.0) * 1.25 or 1.0
    return _label_levels(ordered, row_span)


def mark_label_lines(marks: Sequence[Sequence[tuple[float, str]]],
                     span: float | None = None) -> int:
    """The lines of labels :func:`mark_layout` draws for these rows of marks: the most any
    row takes (0 without marks), for room above a panel's top row."""
    return max((max(_row_levels(sorted(row), span), default=-1) + 1 for row in marks),
               default=0)


def span_of(xs: Iterable[Iterable[float] | None]) -> float | None:
    """The time the x axis covers (from 0), from the traces' x values; None if none."""
    times = [float(x) for values in xs if values is not None for x in values
             if isinstance(x, (int, float))]
    return max(times) if times else None


def mark_layout(marks: Sequence[Sequence[tuple[float, str]]],
                levels: Sequence[float | None] = (),
                span: float | None = None) -> tuple[list[dict], list[dict]]:
    """Layout shapes and annotations, per subplot row (``marks[i]`` for row ``i + 1``):
    dotted vertical lines labelled at the top, and a dashed horizontal line at
    ``levels[i]`` if given. Labels that would write over each other on a phone step down a
    line (:func:`_label_levels`; ``span``, the seconds the x axis covers, defaults to a
    quarter more than the last mark). Plain dicts set in one update: plotly's ``add_vline``
    is slow (tens of ms per line), too slow for a live control."""
    shapes: list[dict] = []
    notes: list[dict] = []
    for index, row_marks in enumerate(marks):
        suffix = "" if index == 0 else str(index + 1)
        ordered = sorted(row_marks)
        for (time, text), line in zip(ordered, _row_levels(ordered, span), strict=True):
            shapes.append({"type": "line", "x0": time, "x1": time, "xref": f"x{suffix}",
                           "y0": 0, "y1": 1, "yref": f"y{suffix} domain",
                           "line": {"dash": "dot", "color": "#555555", "width": 1.5}})
            notes.append({"x": time, "xref": f"x{suffix}", "y": 1, "yref": f"y{suffix} domain",
                          "text": escape(text), "showarrow": False, "xanchor": "left",
                          "yanchor": "top", "yshift": -LABEL_LINE_PX * line,
                          "font": {"size": 11}})
    for index, level in enumerate(levels):
        if level is not None:
            suffix = "" if index == 0 else str(index + 1)
            shapes.append({"type": "line", "x0": 0, "x1": 1, "xref": f"x{suffix} domain",
                           "y0": level, "y1": level, "yref": f"y{suffix}",
                           "line": {"dash": "dash", "color": MARK_GREY, "width": 1.5}})
    return shapes, notes


LABEL_GAP_PX = 4
"""Room between the last line of mark labels and the highest count or target line below."""
PHONE_SHARE = 0.9
"""The share of its height a panel keeps on a phone, where the site's course.js gives a long
title its lines (measured at 390 px: 145 to 150 px of a laptop's 158 to 160)."""


def _plot_px(domain: Sequence[float], height: float, margin: Mapping[str, Any]) -> float:
    """The height in pixels of a plot area over ``domain`` of a figure ``height`` px high with
    ``margin`` (every panel's, as :func:`capacity_panels` lays them out)."""
    return (height - margin["t"] - margin["b"]) * (domain[1] - domain[0])


def _clear_top(top: float, highest: float, lines: int, plot_px: float) -> float:
    """The y axis' upper end: ``top``, or higher where ``lines`` lines of mark labels hung
    from the top of a plot ``plot_px`` high (:data:`PHONE_SHARE` of it on a phone) would
    reach down to ``highest`` (the largest count or the target line): the self-healing lab's
    "NotReady", on its second line, sat on the dashed line of the six tasks wanted. The
    labels end :data:`LABEL_GAP_PX` above it."""
    clear = lines * LABEL_LINE_PX + LABEL_GAP_PX if lines else 0
    phone_px = plot_px * PHONE_SHARE
    return max(top, highest * phone_px / (phone_px - clear)) if clear < phone_px else top


def add_marks(fig: go.Figure, marks: Sequence[Sequence[tuple[float, str]]],
              levels: Sequence[float | None] = ()) -> None:
    """Add :func:`mark_layout`'s lines to ``fig`` (after its subplot titles)."""
    shapes, notes = mark_layout(marks, levels, span_of(t.x for t in fig.data))
    fig.update_layout(shapes=shapes, annotations=[*fig.layout.annotations, *notes])


def refresh(chart: go.Figure, traces: Sequence[Mapping[str, Any]],
            marks: Sequence[Sequence[tuple[float, str]]],
            levels: Sequence[float | None] = (), top: float | None = None) -> bool:
    """Update a drawn panel figure (e.g. a ``FigureWidget``) in place with new trace data
    (dicts of trace properties, in trace order) and marks; its subplot titles stay. ``top``
    sets the y axes' upper end, raised as :func:`capacity_panels` raises it where the marks'
    labels need room. False (nothing changed) when the figure has a different number of
    traces."""
    drawn = [trace for trace in chart.data if trace.legendgroup != _WANTED_GROUP]
    if len(drawn) != len(traces):
        return False
    titles = [a for a in chart.layout.annotations if a.xref == "paper"]
    span = span_of(t.get("x") for t in traces)
    shapes, notes = mark_layout(marks, levels, span)
    with chart.batch_update():
        for trace, fresh in zip(drawn, traces, strict=True):
            trace.update(fresh)
        chart.layout.shapes = shapes
        chart.layout.annotations = [*titles, *notes]
        if top is not None:
            highest = max((value for values in (*(t.get("y") or () for t in traces), levels)
                           for value in values if value is not None), default=0)
            plot_px = _plot_px(chart.layout.yaxis.domain, chart.layout.height,
                               chart.layout.margin)
            chart.update_yaxes(range=[0, _clear_top(top, highest, mark_label_lines(marks, span),
                                                    plot_px)])
    return True


def capacity_traces(series: Mapping[str, tuple[Sequence[Snapshot], str]],
                    lines: Sequence[str]) -> tuple[list[dict[str, Any]], int]:
    """The panels' trace data in drawing order (``x``, ``y``) and the largest count."""
    unknown = [name for name in lines if name not in _LINES]
    if unknown:
        raise ValueError(f"unknown line {unknown[0]!r}: choose from {', '.join(_LINES)}")
    traces, top = [], 1
    for snapshots, owner in series.values():
        counts = task_counts(snapshots, owner)
        times = [s.time for s in snapshots]
        for name in lines:
            traces.append(_changes(times, counts[name]))
            top = max(top, *counts[name]) if counts[name] else top
    return traces, top


def _changes(times: Sequence[float], counts: Sequence[int]) -> dict[str, list[Any]]:
    """The points at which a count changes, with the first and the last: drawn as steps
    (``shape: hv``) they make the same line as every snapshot's point, in a fraction of the
    points when a run is recorded every second."""
    kept = [i for i, count in enumerate(counts)
            if i in (0, len(counts) - 1) or count != counts[i - 1]]
    return {"x": [times[i] for i in kept], "y": [counts[i] for i in kept]}


def capacity_panels(
    series: Mapping[str, tuple[Sequence[Snapshot], str]],
    *,
    lines: Sequence[str] = ("serving", "ready", "total"),
    desired: float | None = None,
    marks: Mapping[str, Sequence[tuple[float, str]]] | None = None,
    title: str = "Capacity over time",
) -> go.Figure:
    """One panel per labelled series ``{label: (snapshots, owner)}``, stacked on a shared
    time axis. ``lines`` picks the counts to draw; ``desired`` draws a dashed target, named
    :data:`WANTED` in the legend;
    ``marks`` adds vertical lines ``{label: [(time, text), ...]}`` (e.g. "node fails")."""
    if not series:
        raise ValueError("capacity_panels needs at least one series")
    labels = list(series)
    data, top = capacity_traces(series, lines)
    fig = make_subplots(rows=len(labels), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[escape(label) for label in labels])
    for index, trace in enumerate(data):
        row, name = index // len(lines) + 1, lines[index % len(lines)]
        text, colour, dash = _LINES[name]
        fig.add_trace(go.Scatter(
            **trace, name=text, legendgroup=name, showlegend=row == 1, mode="lines",
            line={"shape": "hv", "color": colour, "dash": dash,
                  "width": line_width(index % len(lines), len(lines))},
            uid=f"capacity-{row}-{name}",
            hovertemplate=(f"{escape(labels[row - 1])}<br>t = %{{x}} s: %{{y}} {text}"
                           "<extra></extra>"),
        ), row=row, col=1)
    if desired is not None:
        fig.add_trace(_wanted_entry(), row=1, col=1)
    rows = [(marks or {}).get(label, ()) for label in labels]
    add_marks(fig, rows, [desired] * len(labels))
    height = 170 + 190 * len(labels)
    label_lines = mark_label_lines(rows, span_of(t.x for t in fig.data))
    fig.update_yaxes(title_text="tasks", rangemode="tozero", range=[0, _clear_top(
        top + 1.5, max(top, desired or 0), label_lines,
        _plot_px(fig.layout.yaxis.domain, height, MARGIN))])
    fig.update_xaxes(title_text="simulated time (s)", row=len(labels), col=1)
    fig.update_layout(**base_layout(escape(title), margin=MARGIN), height=height,
                      legend=legend_below(height))
    return fig


WANTED = "wanted (the replicas asked for)"
"""The legend's name for the dashed grey level line of ``desired`` (a layout shape, which a
legend does not list by itself)."""

_WANTED_GROUP = "wanted"
"""The legend group of the :data:`WANTED` entry, by which :func:`refresh` leaves it alone (a
``FigureWidget`` gives its traces uids of its own)."""


def _wanted_entry() -> go.Scatter:
    """A trace with no points that puts the dashed :data:`WANTED` line in the legend, drawn
    as :func:`mark_layout` draws the level line."""
    return go.Scatter(x=[None], y=[None], mode="lines", name=WANTED, legendgroup=_WANTED_GROUP,
                      showlegend=True, hoverinfo="skip", uid="capacity-wanted",
                      line={"dash": "dash", "color": MARK_GREY, "width": 1.5})


LEGEND_ROOM = 90
"""Pixels kept for the legend under the x axis title: one row on a laptop, up to four rows
when a phone's width wraps it."""


def add_slider_below_legend(fig: go.Figure, slider: dict[str, Any]) -> None:
    """Add ``slider`` to a figure laid out with :data:`MARGIN` and :func:`legend_below`, under
    the legend rather than on top of it (a click on a legend entry used to move the slider).
    The figure grows by the slider's room, so its plots keep their height."""
    room = LEGEND_ROOM + 80  # the slider: its current value, rail and tick labels
    height = int(fig.layout.height) + room
    fig.update_layout(
        height=height, margin={"b": MARGIN["b"] + room},
        legend={"y": -75 / (height - MARGIN["t"] - MARGIN["b"] - room)},
        sliders=[{**slider, "y": 0, "yanchor": "top", "pad": {"t": 75 + LEGEND_ROOM}}],
    )


def legend_below(height: int) -> dict[str, Any]:
    """A horizontal legend under the x axis title of a figure ``height`` pixels tall with
    :data:`MARGIN`."""
    return {"orientation": "h", "yanchor": "top", "y": -75 / (height - 60 - 110),
            "x": 0, "xanchor": "left"}
