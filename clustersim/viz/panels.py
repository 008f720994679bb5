"""A figure with a slider, and under it the summary of the scenario the slider shows.

A static page cannot run Python when a reader moves a plotly slider, so the text or table that
goes with each step (the waiting reasons, the start order, the counts) is rendered in advance,
one panel per animation frame. Each panel names the slider setting it describes, in the
slider's own words (its current-value prefix and the step's label). Only the panel of the
slider's starting step is visible; ``_static/course.js`` shows the matching panel whenever the
slider moves (plotly's ``plotly_sliderchange`` event). Without that script (JupyterLab, a page
whose script failed) the starting step's panel stays, labelled, so it never contradicts the
chart without saying which scenario it describes.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import plotly.graph_objects as go

from clustersim.viz.renderer import figure_html

__all__ = ["slider_panels_html", "step_frame"]


def step_frame(step: object) -> str:
    """The name of the animation frame a slider step shows (its ``animate`` argument)."""
    args = getattr(step, "args", None) or []
    frames = args[0] if args else None
    if not isinstance(frames, (list, tuple)) or len(frames) != 1:
        raise ValueError("each slider step must animate to exactly one named frame")
    return str(frames[0])


def slider_panels_html(fig: go.Figure, panels: Mapping[str, str], *,
                       height: int | str = 450) -> str:
    """``fig`` (which has one slider) followed by one HTML panel per slider step.

    ``panels`` maps each frame name to trusted HTML (already escaped); every step needs one.
    """
    if len(fig.layout.sliders) != 1:
        raise ValueError("slider_panels_html needs a figure with exactly one slider")
    slider = fig.layout.sliders[0]
    prefix = (slider.currentvalue.prefix if slider.currentvalue else None) or ""
    active = slider.active or 0
    parts = []
    for index, step in enumerate(slider.steps):
        name = step_frame(step)
        if name not in panels:
            raise ValueError(f"no panel for the slider step {name!r}")
        hidden = "" if index == active else " hidden"
        parts.append(
            f'<div class="clustersim-step-panel" data-frame="{escape(name)}"{hidden}>'
            f'<p class="clustersim-step-label">For <strong>{escape(prefix + str(step.label))}'
            f"</strong> on the slider:</p>{panels[name]}</div>"
        )
    return (f'<div class="clustersim-slider-panels">{figure_html(fig, height=height)}'
            + "".join(parts) + "</div>")
