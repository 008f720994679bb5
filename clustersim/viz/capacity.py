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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clustersim.sim.snapshot import Snapshot
from clustersim.viz.palette import OKABE_ITO, base_layout

__all__ = ["DOWN_STATUSES", "Marks", "capacity_panels", "task_counts", "water_marks"]

DOWN_STATUSES = frozenset({"NotReady", "Disconnected", "Unreachable", "Gone", "Failed", "Down"})
"""Node statuses of the three snapshots that mean the machine does not run its tasks."""
_ENDED = frozenset({"Succeeded", "Failed", "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED",
                    "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE",
                    "TASK_GONE_BY_OPERATOR", "complete", "shutdown", "failed", "rejected",
                    "orphaned", "remove"})
_LINES = {"serving": ("serving (machine up and ready)", OKABE_ITO[2], "solid"),
          "ready": ("ready as the control plane sees it", OKABE_ITO[1], "dot"),
          "total": ("tasks that exist", OKABE_ITO[7], "dash")}


def _owned(snapshot: Snapshot, owner: str):
    return [t for t in snapshot.tasks if t.owner.startswith(owner)]


def task_counts(snapshots: Sequence[Snapshot], owner: str) -> dict[str, list[int]]:
    """``{"ready", "serving", "total"}``: one count per snapshot for the tasks whose owner
    starts with ``owner`` (see the module docstring)."""
    counts: dict[str, list[int]] = {"ready": [], "serving": [], "total": []}
    for snapshot in snapshots:
        down = {n.name for n in snapshot.nodes if n.status in DOWN_STATUSES}
        tasks = _owned(snapshot, owner)
        counts["ready"].append(sum(1 for t in tasks if t.ready))
        counts["serving"].append(sum(1 for t in tasks if t.ready and t.node not in down))
        counts["total"].append(sum(1 for t in tasks if t.state not in _ENDED))
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


def capacity_panels(
    series: Mapping[str, tuple[Sequence[Snapshot], str]],
    *,
    lines: Sequence[str] = ("serving", "ready", "total"),
    desired: float | None = None,
    marks: Mapping[str, Sequence[tuple[float, str]]] | None = None,
    title: str = "Capacity over time",
) -> go.Figure:
    """One panel per labelled series ``{label: (snapshots, owner)}``, stacked on a shared
    time axis. ``lines`` picks the counts to draw; ``desired`` draws a dashed target;
    ``marks`` adds vertical lines ``{label: [(time, text), ...]}`` (e.g. "node fails")."""
    if not series:
        raise ValueError("capacity_panels needs at least one series")
    unknown = [name for name in lines if name not in _LINES]
    if unknown:
        raise ValueError(f"unknown line {unknown[0]!r}: choose from {', '.join(_LINES)}")
    labels = list(series)
    fig = make_subplots(rows=len(labels), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=labels)
    top = 1
    for row, label in enumerate(labels, start=1):
        snapshots, owner = series[label]
        counts = task_counts(snapshots, owner)
        times = [s.time for s in snapshots]
        for name in lines:
            text, colour, dash = _LINES[name]
            fig.add_trace(go.Scatter(
                x=times, y=counts[name], name=text, legendgroup=name, showlegend=row == 1,
                mode="lines", line={"shape": "hv", "color": colour, "dash": dash, "width": 2.5},
                uid=f"capacity-{row}-{name}",
                hovertemplate=f"{label}<br>t = %{{x}} s: %{{y}} {text}<extra></extra>",
            ), row=row, col=1)
            top = max(top, *counts[name]) if counts[name] else top
        for time, text in (marks or {}).get(label, ()):
            fig.add_vline(x=time, line_dash="dot", line_color="#555555", row=row, col=1,
                          annotation_text=text, annotation_position="top right",
                          annotation_font_size=11)
        if desired is not None:
            fig.add_hline(y=desired, line_dash="dash", line_color="#999999", row=row, col=1)
    fig.update_yaxes(title_text="tasks", rangemode="tozero", range=[0, top + 1.5])
    fig.update_xaxes(title_text="simulated time (s)", row=len(labels), col=1)
    fig.update_layout(**base_layout(title), height=150 + 190 * len(labels),
                      legend={"orientation": "h", "y": -0.12 if len(labels) > 1 else -0.3})
    return fig
