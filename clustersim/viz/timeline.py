"""The event timeline: what happened when, to which object, and why.

Reads :class:`clustersim.sim.EventLog` (or any list of :class:`clustersim.sim.Event`): one row
per event reason, a marker per event at its simulated time, warnings in vermillion and normal
events in blue, and the full message on hover. Many events are thinned per reason to keep the
figure light; the hover says how many were left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from html import escape

import plotly.graph_objects as go

from clustersim.sim.events import Event
from clustersim.viz.palette import OKABE_ITO, base_layout

__all__ = ["event_timeline"]

_COLORS = {"Normal": OKABE_ITO[0], "Warning": OKABE_ITO[5]}
_SYMBOLS = {"Normal": "circle", "Warning": "x"}


def event_timeline(events: Iterable[Event], title: str = "Events", max_per_reason: int = 400
                   ) -> go.Figure:
    """A scatter of events: x is simulated time, y is the event's reason."""
    by_type_reason: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        by_type_reason[(event.type, event.reason)].append(event)
    if not by_type_reason:
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
            ys += [reason] * len(shown)
            texts += [
                f"t = {e.time:g} s · {escape(e.object)}<br>{escape(e.message)}{note}" for e in shown
            ]
        if xs:
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers", name=event_type, hovertext=texts, hoverinfo="text",
                marker={"color": _COLORS.get(event_type, OKABE_ITO[7]),
                        "symbol": _SYMBOLS.get(event_type, "circle"), "size": 9},
            ))
    fig.update_layout(**base_layout(title), xaxis_title="simulated time (s)",
                      yaxis_title="reason", legend_title_text="type",
                      height=max(300, 60 + 28 * len({r for _, r in by_type_reason})))
    return fig
