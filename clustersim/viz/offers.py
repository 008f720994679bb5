"""The offer flow of two-level scheduling: who was offered what, and who took or declined it.

Reads the Mesos master's offer history (``cluster.offers``: :class:`OfferRecord` objects or
their ``as_dict()`` records). One row per framework; a marker per offer at the time it was
made, its symbol and colour telling the outcome (accepted, declined, rescinded when the agent
was lost, expired, still outstanding); hover shows the agent, what was offered and what the
framework used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from clustersim.viz.palette import OKABE_ITO, base_layout
from clustersim.viz.text import escape

__all__ = ["offer_flow"]

# Drawn in this order, so accepted offers (the rarer, more telling markers) lie on top of the
# many declines on the same row.
_OUTCOMES = {
    "declined": (OKABE_ITO[5], "x"),
    "expired": (OKABE_ITO[1], "triangle-down"),
    "outstanding": (OKABE_ITO[4], "circle-open"),
    "rescinded": (OKABE_ITO[3], "diamond"),
    "accepted": (OKABE_ITO[2], "circle"),
}


def _record(offer: Any) -> dict[str, Any]:
    return offer if isinstance(offer, dict) else offer.as_dict()


def offer_flow(offers: Iterable[Any], title: str = "Resource offers") -> go.Figure:
    """A timeline of offers per framework, coloured by outcome."""
    records = [_record(o) for o in offers]
    if not records:
        raise ValueError("no offers to draw: register a framework and run the cluster first")
    fig = go.Figure()
    for outcome, (color, symbol) in _OUTCOMES.items():
        chosen = [r for r in records if r["outcome"] == outcome]
        if not chosen:
            continue
        fig.add_trace(go.Scatter(
            x=[r["time"] for r in chosen], y=[escape(r["framework"]) for r in chosen],
            mode="markers",
            name=outcome, marker={"color": color, "symbol": symbol, "size": 10,
                                  "line": {"width": 1, "color": color}},
            hovertext=[
                f"{escape(r['offer_id'])} at t = {r['time']:g} s to {escape(r['framework'])}"
                f"<br>agent {escape(r['hostname'])}: {r['cpus']:g} cpus, {r['mem']:g} MiB"
                f"<br>{outcome}"
                + (f": used {r['used_cpus']:g} cpus, {r['used_mem']:g} MiB for "
                   f"{len(r['tasks'])} task(s)" if r["tasks"] else "")
                for r in chosen
            ],
            hoverinfo="text",
        ))
    frameworks = sorted({r["framework"] for r in records})
    fig.update_layout(**base_layout(escape(title)), xaxis_title="simulated time (s)",
                      yaxis_title="framework", legend_title_text="outcome",
                      height=max(280, 120 + 50 * len(frameworks)))
    return fig
