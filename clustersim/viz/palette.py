"""Colours and layout defaults shared by every figure.

The qualitative palette is Okabe and Ito's colour-blind-safe set (Okabe & Ito, "Color
Universal Design", 2008), which stays distinguishable under the common colour-vision
deficiencies.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OKABE_ITO", "SYSTEM_COLORS", "base_layout", "color_for", "line_width", "system_color"]

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)


SYSTEM_COLORS = {
    "kubernetes": OKABE_ITO[0],  # blue
    "marathon": OKABE_ITO[1],    # orange (Marathon runs on Mesos: one colour for both)
    "mesos": OKABE_ITO[1],
    "swarm": OKABE_ITO[2],       # bluish green
}
"""One colour per system, in every figure that draws a line or bar per system."""


def system_color(label: str, index: int) -> str:
    """The colour of the system ``label`` names ("Kubernetes", "Docker Swarm", "marathon"...);
    a label that names no system gets the ``index``-th colour after the systems' three."""
    lowered = label.lower()
    for system, colour in SYSTEM_COLORS.items():
        if system in lowered:
            return colour
    return color_for(3 + index)


def color_for(index: int) -> str:
    """The palette colour for the ``index``-th category (wraps around)."""
    return OKABE_ITO[index % len(OKABE_ITO)]


def line_width(index: int, count: int) -> float:
    """The width of the ``index``-th of ``count`` lines drawn on one axis, in drawing order.

    The first line drawn is the widest and each later one is narrower, so where lines run
    exactly on top of each other (three systems all at 0 % failed, a count that every state
    shares) the lines underneath still show on both sides of the one drawn over them."""
    return 1.5 + 1.5 * (count - 1 - index)


def base_layout(title: str, **extra: Any) -> dict[str, Any]:
    """Layout defaults: a title, readable fonts, a white background and light grid lines.

    The template is ``"none"`` and the few styles are set here: a named plotly template is
    copied into every figure (about 8 kB each), which would bloat stored notebook outputs.
    """
    grid = {"gridcolor": "#e5e5e5", "zerolinecolor": "#bdbdbd", "automargin": True}
    layout: dict[str, Any] = {
        "title": {"text": title, "x": 0.01, "xanchor": "left"},
        "template": "none",
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": dict(grid),
        "yaxis": dict(grid),
        "font": {"size": 13, "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "hoverlabel": {"namelength": -1},
    }
    layout.update(extra)
    return layout
