"""A plotly renderer that works in JupyterLab and in the offline static book.

A figure is sent as two representations:

- ``application/vnd.plotly.v1+json``: JupyterLab draws it with the plotly extension that
  ships in the plotly wheel (live zoom, hover).
- ``text/html``: a ``<div>`` plus a call to ``Plotly.newPlot``, *without* plotly.js itself.
  The book includes plotly.js once per site from ``_static/plotly.min.js`` (copied from the
  installed plotly package by :mod:`clustersim.course.book`), so pages load nothing from a CDN.

The div id is ``fig-<n>-<hash of the figure>``: the same figure gives the same id in every run
(strict nbval compares stored outputs), and the counter keeps two identical figures on one
page apart. ``tests/nbval_sanitize.cfg`` masks only the counter.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

__all__ = ["OfflineHtmlRenderer", "figure_html", "install_renderer"]

RENDERER_NAME = "clustersim_offline"
_counter = itertools.count(1)


def figure_html(fig: Any, *, height: int | str = 450) -> str:
    """The figure as an HTML fragment that draws itself with the page's plotly.js.

    The box is as tall as the figure's own ``layout.height`` when it has one (a box shorter
    than its figure let the figure spill over what follows); ``height`` otherwise."""
    fig_dict = fig if isinstance(fig, dict) else fig.to_dict()
    height = fig_dict.get("layout", {}).get("height") or height
    payload = json.dumps(fig_dict, sort_keys=True, default=str).encode()
    div_id = f"fig-{next(_counter)}-{hashlib.sha1(payload).hexdigest()[:10]}"
    return pio.to_html(
        fig_dict,
        include_plotlyjs=False,
        include_mathjax=False,
        full_html=False,
        div_id=div_id,
        default_width="100%",
        default_height=height,
        validate=False,
        auto_play=False,  # an animation waits for the reader's "play"
        config={"displaylogo": False, "responsive": True},
    )


class OfflineHtmlRenderer(MimetypeRenderer):
    """Renders a figure as ``text/html`` that relies on plotly.js already being on the page."""

    def to_mimebundle(self, fig_dict: dict[str, Any]) -> dict[str, str]:
        return {"text/html": figure_html(fig_dict)}


def install_renderer() -> None:
    """Make ``fig.show()`` and a bare ``fig`` emit both the plotly JSON and the offline HTML."""
    pio.renderers[RENDERER_NAME] = OfflineHtmlRenderer()
    pio.renderers.default = f"plotly_mimetype+{RENDERER_NAME}"
