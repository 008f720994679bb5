"""Colours and layout defaults shared by every figure.

The qualitative palette is Okabe and Ito's colour-blind-safe set (Okabe & Ito, "Color
Universal Design", 2008), which stays distinguishable under the common colour-vision
deficiencies. Text drawn in a colour keeps WCAG 2's contrast with what is behind it:
:func:`contrast_ratio`.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "OKABE_ITO",
    "SYSTEM_COLORS",
    "base_layout",
    "color_for",
    "contrast_ratio",
    "line_width",
    "relative_luminance",
    "rgb",
    "system_color",
]

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


def rgb(colour: str) -> tuple[int, int, int]:
    """The red, green and blue (0 to 255) of a colour written ``#rrggbb`` or ``#rgb``."""
    digits = colour.lstrip("#") if colour.startswith("#") else ""
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    try:
        if len(digits) != 6:
            raise ValueError
        red, green, blue = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        raise ValueError(f"{colour!r} is not a colour written #rrggbb or #rgb") from None
    return red, green, blue


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of ``#rrggbb`` (or ``#rgb``): 0 for black, 1 for white.

    The sRGB channels are linearised and weighted as WCAG 2.2 defines it
    (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance)."""
    channels = [c / 255 for c in rgb(colour)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white);
    text needs 4.5 (success criterion 1.4.3), lines and shapes 3 (1.4.11)
    (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


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
