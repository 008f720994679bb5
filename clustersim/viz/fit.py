"""A bar chart of how many copies of a workload fit on each node, with a request slider.

The slider is a plotly slider (one step per CPU request), so it keeps working in the static
book without a kernel. Each bar's hover text says which limit runs out first there
(:func:`~clustersim.capacity.limiting`), the lab's question.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from clustersim.capacity import limiting, pods_that_fit
from clustersim.node import Node
from clustersim.viz.palette import base_layout, color_for
from clustersim.viz.text import escape

__all__ = ["SLIDER_PAD_PX", "copies", "fit_figure", "fit_trace", "fit_verb", "runs_out"]

SLIDER_PAD_PX = 70
"""Room between the plot and a slider below it: the x axis' numbers and a one-line title."""


def copies(count: int) -> str:
    """``count`` with its noun in agreement: ``1 copy``, ``0 copies``, ``4 copies``."""
    return f"{count} {'copy' if count == 1 else 'copies'}"


def fit_verb(count: int) -> str:
    """The verb after :func:`copies` of ``count``: ``1 copy fits``, ``4 copies fit``."""
    return "fits" if count == 1 else "fit"


def runs_out(limits: Sequence[str]) -> str:
    """What :func:`~clustersim.capacity.limiting` found, as a clause: ``CPU runs out first``,
    ``CPU and memory run out together``, ``the Pod limit is reached first``."""
    if list(limits) == ["Pods"]:
        return "the Pod limit is reached first"
    named = " and ".join("the Pod limit" if name == "Pods" else name for name in limits)
    return f"{named} run out together" if len(limits) > 1 else f"{named} runs out first"


def fit_trace(nodes: Sequence[Node], cpu_millis: int, memory: str) -> go.Bar:
    """One bar per node: copies of a ``cpu_millis``/``memory`` workload that fit on it, and
    in its hover text which limit runs out first."""
    request = f"{cpu_millis}m"
    counts = [pods_that_fit(n, request, memory) for n in nodes]
    hover = [
        f"{escape(n.name)}: {copies(c)} {fit_verb(c)}; "
        f"{runs_out(limiting(n, request, memory))}<br>node has {n.cpu_millis} m CPU, "
        f"{n.memory_bytes / 2**30:g} GiB memory, room for {n.max_pods} pods"
        for n, c in zip(nodes, counts, strict=True)
    ]
    return go.Bar(
        x=[escape(n.name) for n in nodes],
        y=counts,
        marker_color=color_for(0),
        hovertext=hover,
        hoverinfo="text",
        name=escape(f"{cpu_millis}m CPU, {memory}"),
    )


def fit_figure(nodes: Sequence[Node], cpu_steps: Sequence[int], memory: str) -> go.Figure:
    """Copies that fit per node, with a slider over the CPU request (millicores)."""
    if not cpu_steps:
        raise ValueError("cpu_steps needs at least one CPU request (millicores)")
    traces = [fit_trace(nodes, m, memory) for m in cpu_steps]
    fig = go.Figure(data=[traces[0]])
    fig.frames = [go.Frame(data=[t], name=str(m)) for t, m in zip(traces, cpu_steps, strict=True)]
    steps = [
        {
            "label": f"{m}m",
            "method": "animate",
            "args": [[str(m)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}],
        }
        for m in cpu_steps
    ]
    most = max(max(t.y) for t in traces)
    fig.update_layout(
        **base_layout(escape(f"Copies of a pod that fit on each node (memory request {memory})")),
        xaxis_title="node",
        yaxis_title="copies that fit",
        yaxis_range=[0, most * 1.1 + 1],
        # The slider's value ("CPU request: 250m") starts under the x axis title: 40 px down,
        # it ran into "node" on a phone, where the title is a few letters from its left edge.
        sliders=[{"active": 0, "currentvalue": {"prefix": "CPU request: "}, "steps": steps,
                  "pad": {"t": SLIDER_PAD_PX}}],
    )
    return fig
