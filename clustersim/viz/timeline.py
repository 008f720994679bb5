"""The event timeline: what happened when, to which object, and why.

Reads :class:`clustersim.sim.EventLog` (or any list of :class:`clustersim.sim.Event`): one row
per event reason, a marker per event at its simulated time, warnings in vermillion and normal
events in blue, and the full message on hover (after the field path of the container a
Kubernetes event is about, as ``kubectl describe`` prints it: ``spec.containers{web}: Container
created``). Many events are thinned per reason to keep the figure light; the hover says how
many were left out. Changes of conditions (:class:`clustersim.sim.ConditionChange`), which
a controller writes where it records no Event, can be drawn beside them, a diamond per change
on the row of its reason, with the condition's type and status on hover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import plotly.graph_objects as go

from clustersim.sim.conditions import ConditionChange
from clustersim.sim.events import Event
from clustersim.viz.palette import OKABE_ITO, base_layout
from clustersim.viz.text import escape

__all__ = ["event_timeline"]

_COLORS = {"Normal": OKABE_ITO[0], "Warning": OKABE_ITO[5]}
_SYMBOLS = {"Normal": "circle", "Warning": "x"}


def event_timeline(events: Iterable[Event], title: str = "Events", max_per_reason: int = 400,
                   time_range: tuple[float, float] | None = None,
                   conditions: Iterable[ConditionChange] = ()) -> go.Figure:
    """A scatter of events: x is simulated time, y is the event's reason.

    Reasons are listed top to bottom in the order they first happened, so the rows read like
    a life cycle (Scheduled, Pulling, Started …). ``time_range`` is a window, e.g. ``(0, 90)``
    for "the first 90 s": events outside it are left out, and the x axis runs from its start
    to the last event shown (not to its end: events that all came in the first 40 s used to
    sit squashed in a corner of a 90 s axis). ``conditions``: changes of conditions to draw
    beside the events, in the same window.
    """
    by_type_reason: dict[tuple[str, str], list[Event]] = defaultdict(list)
    first_seen: dict[str, float] = {}
    changes = list(conditions)
    if time_range is not None:
        events = [e for e in events if time_range[0] <= e.time <= time_range[1]]
        changes = [c for c in changes if time_range[0] <= c.time <= time_range[1]]
    for event in events:
        by_type_reason[(event.type, event.reason)].append(event)
        first_seen.setdefault(event.reason, event.time)
    for change in changes:
        first_seen[change.reason] = min(first_seen.get(change.reason, change.time), change.time)
    if not by_type_reason and not changes:
        raise ValueError("no events to draw: run the simulation first (cluster.run())")
    fig = go.Figure()
    for event_type in ("Normal", "Warning"):
        xs, ys, texts = [], [], []
        for (kind, reason), listed in sorted(by_type_reason.items()):
            if kind != event_type:
                continue
            step = max(1, len(listed) // max_per_reason)
            shown = listed[::step]
            note = f" (1 of every {step} shown)" if step > 1 else ""
            xs += [e.time for e in shown]
            ys += [escape(reason)] * len(shown)
            texts += [
                f"t = {e.time:g} s · {escape(e.object)}<br>{escape(e.described_message)}{note}"
                for e in shown
            ]
        if xs:
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers", name=event_type, hovertext=texts, hoverinfo="text",
                marker={"color": _COLORS.get(event_type, OKABE_ITO[7]),
                        "symbol": _SYMBOLS.get(event_type, "circle"), "size": 9},
            ))
    if changes:
        fig.add_trace(go.Scatter(
            x=[c.time for c in changes], y=[escape(c.reason) for c in changes],
            mode="markers", name="condition", hoverinfo="text",
            hovertext=[f"t = {c.time:g} s · {escape(c.object)}<br>{escape(c.type)}="
                       f"{escape(c.status)}: {escape(c.message)}" for c in changes],
            marker={"color": OKABE_ITO[2], "symbol": "diamond", "size": 10}))
    order = [escape(r) for r in sorted(first_seen, key=lambda r: (first_seen[r], r))]
    fig.update_layout(**base_layout(escape(title)), xaxis_title="simulated time (s)",
                      yaxis_title="reason", legend_title_text="type",
                      height=max(300, 60 + 28 * len(order)))
    # first reason at the top: plotly draws the first category at the bottom
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)))
    if time_range is not None:
        last = max([e.time for listed in by_type_reason.values() for e in listed]
                   + [c.time for c in changes])
        span = max(last - time_range[0], 1.0)
        fig.update_xaxes(range=[time_range[0] - 0.03 * span, last + 0.05 * span])
    return fig
