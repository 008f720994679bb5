"""The cluster map: machines with their capacity and use, tasks as chips coloured by application.

Reads only :class:`clustersim.sim.Snapshot`, so the same figure shows a Kubernetes, a Mesos
or a Swarm cluster. Each node is a column; each application's tasks on it stack up as a
coloured segment whose height is their CPU (or memory); a black tick marks the node's
capacity. Tasks waiting for a place stack in a last column, "pending". Tasks are aggregated
per (node, application), so a 5,000-node cluster stays a small figure; the hover text lists
the task names (the first few) with their states.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import plotly.graph_objects as go

from clustersim.sim.snapshot import Snapshot
from clustersim.viz.palette import base_layout, color_for
from clustersim.viz.text import escape

__all__ = ["cluster_animation", "cluster_map", "owner_colors"]

PENDING = "pending"
_UNITS = {"cpu": ("CPU (cores)", 1.0), "memory": ("memory (GiB)", 2.0**30)}
_HOVER_TASKS = 6


def owner_colors(snapshots: Sequence[Snapshot]) -> dict[str, str]:
    """One palette colour per application, stable across all snapshots of a run."""
    owners = sorted({t.owner for s in snapshots for t in s.tasks})
    return {owner: color_for(i) for i, owner in enumerate(owners)}


def _traces(snapshot: Snapshot, resource: str, colors: dict[str, str]) -> list[go.BaseTraceType]:
    if resource not in _UNITS:
        raise ValueError(f"resource must be 'cpu' or 'memory', not {resource!r}")
    _, scale = _UNITS[resource]
    columns = [n.name for n in snapshot.nodes] + [PENDING]
    amount: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for task in snapshot.tasks:
        column = task.node if task.node is not None else PENDING
        amount[task.owner][column] += getattr(task, resource) / scale
        ready = "ready" if task.ready else "not ready"
        names[task.owner][column].append(f"{escape(task.name)} ({escape(task.state)}, {ready})")
    traces: list[go.BaseTraceType] = []
    for owner in sorted(colors):
        hover = []
        for column in columns:
            listed = names[owner][column]
            hidden = len(listed) - _HOVER_TASKS
            more = f"<br>… and {hidden} more" if hidden > 0 else ""
            hover.append(
                f"<b>{escape(owner)}</b> on {escape(column)}: {len(listed)} task(s), "
                f"{amount[owner][column]:g} {_UNITS[resource][0]}<br>"
                + "<br>".join(listed[:_HOVER_TASKS]) + more
            )
        traces.append(go.Bar(
            x=[escape(c) for c in columns], y=[amount[owner][c] for c in columns],
            name=escape(owner),
            marker_color=colors[owner], hovertext=hover, hoverinfo="text",
        ))
    capacity = [getattr(n, resource) / scale for n in snapshot.nodes] + [None]
    status = [f"{escape(n.name)}: {escape(n.status)}, capacity {getattr(n, resource) / scale:g} "
              f"{_UNITS[resource][0]}, used {getattr(n, resource + '_used') / scale:g}"
              for n in snapshot.nodes] + [""]
    traces.append(go.Scatter(
        x=[escape(c) for c in columns], y=capacity, mode="markers", name="capacity",
        marker={"symbol": "line-ew-open", "size": 28, "color": "#000000",
                "line": {"width": 3, "color": "#000000"}},
        hovertext=status, hoverinfo="text",
    ))
    return traces


def _layout(snapshot: Snapshot, resource: str, title: str | None) -> dict:
    down = [escape(n.name) for n in snapshot.nodes
            if n.status not in ("Ready", "active", "Active")]
    subtitle = f" (not ready: {', '.join(down)})" if down else ""
    return base_layout(
        escape(title) if title else f"{snapshot.system} cluster at t = {snapshot.time:g} s"
        + subtitle,
        barmode="stack",
        xaxis_title="node",
        yaxis_title=_UNITS[resource][0],
        legend_title_text="application",
    )


def cluster_map(snapshot: Snapshot, resource: str = "cpu", title: str | None = None) -> go.Figure:
    """Nodes as columns, each application's tasks stacked in its colour, capacity ticked."""
    colors = owner_colors([snapshot])
    fig = go.Figure(data=_traces(snapshot, resource, colors))
    fig.update_layout(**_layout(snapshot, resource, title))
    return fig


def cluster_animation(
    snapshots: Sequence[Snapshot], resource: str = "cpu", title: str | None = None
) -> go.Figure:
    """The cluster map at each recorded time, with a play button and a time slider.

    Both are plotly controls, so the animation works in the static book without a kernel.
    """
    if not snapshots:
        raise ValueError("cluster_animation needs at least one snapshot (see record_run)")
    colors = owner_colors(snapshots)
    frames = [
        go.Frame(data=_traces(s, resource, colors), name=f"{s.time:g}",
                 layout={"title": _layout(s, resource, title)["title"]})
        for s in snapshots
    ]
    fig = go.Figure(data=frames[0].data, frames=frames)
    # One y range for every frame, so that bars do not jump when the axis rescales.
    scale = _UNITS[resource][1]
    capacity = max((getattr(n, resource) for s in snapshots for n in s.nodes), default=0) / scale
    stacked = max(
        (sum(column) for f in frames
         for column in zip(*(t.y for t in f.data if isinstance(t, go.Bar)), strict=True)),
        default=0,
    )
    play = {"label": "▶ play", "method": "animate",
            "args": [None, {"frame": {"duration": 600, "redraw": True}, "fromcurrent": True,
                            "transition": {"duration": 0}}]}
    pause = {"label": "❚❚ pause", "method": "animate",
             "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]}
    layout = _layout(snapshots[0], resource, title)
    layout["margin"] = {**layout["margin"], "b": 160}
    fig.update_layout(
        **layout,
        yaxis_range=[0, max(capacity, stacked) * 1.1 or 1],
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.12, "y": 0,
                      "xanchor": "right", "yanchor": "top", "pad": {"t": 87, "r": 10},
                      "buttons": [play, pause]}],
        sliders=[{
            "active": 0, "x": 0.12, "len": 0.88, "y": 0, "yanchor": "top", "pad": {"t": 50},
            "currentvalue": {"prefix": "time: ", "suffix": " s"},
            "steps": [{"label": f.name, "method": "animate",
                       "args": [[f.name], {"mode": "immediate",
                                           "frame": {"duration": 0, "redraw": True}}]}
                      for f in frames],
        }],
    )
    return fig
