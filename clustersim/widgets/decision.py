"""The decision helper as a widget: a weight slider (0-5) per criterion and a preset menu.

In JupyterLab every change re-ranks the systems (:func:`clustersim.decision.rank`) and
shows the explanation, the share of each system and every criterion's contribution
(:func:`clustersim.viz.comparison.ranking_html`). The warning about retired projects is
shown whatever the weights. The static book shows the presets as a plotly chart with one
button per preset, whose title carries that preset's summary, plus the written
recommendation of every preset, each section labelled with its preset.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import ipywidgets as widgets

from clustersim.decision import MAX_WEIGHT, check_weights, preset_weights, rank
from clustersim.features import FeatureMatrix, load_features
from clustersim.viz.comparison import decision_figure, ranking_html
from clustersim.viz.renderer import figure_html
from clustersim.widgets.base import LiveApp, error_html

__all__ = ["decision_app", "decision_view"]

CUSTOM = ""


def decision_view(
    matrix: FeatureMatrix, weights: Mapping[str, int], systems: Iterable[str] | None = None
) -> str:
    """The ranking for ``weights`` as HTML, or an inline error box for bad weights or systems."""
    try:
        return ranking_html(rank(weights, systems, matrix))
    except Exception as err:  # whatever a control causes shows inline
        return error_html(err)


def _static(matrix: FeatureMatrix, weights: Mapping[str, int] | None,
            systems: Iterable[str] | None, first: str) -> str:
    """The book's version: the preset chart, then the written ranking of every preset."""
    parts = [figure_html(decision_figure(matrix, systems), height=840)]
    if weights is not None:
        parts.append("<h4>The weights given</h4>" + decision_view(matrix, weights, systems))
    # Written out per preset, each labelled with its own name: the chart's buttons do not
    # change these sections, so none may read as the summary of whichever button is active.
    parts.append("<h4>Every preset, written out</h4><p>One section per preset, whichever "
                 "button the chart shows; open a section to read its ranking.</p>")
    for preset_id, preset in matrix.presets.items():
        opened = " open" if weights is None and preset_id == first else ""
        parts.append(
            f"<details{opened}><summary>Preset <strong>{html.escape(preset.name)}</strong>: "
            f"{html.escape(preset.description)}</summary>"
            + decision_view(matrix, preset.weights, systems) + "</details>"
        )
    return "".join(parts)


def decision_app(
    weights: Mapping[str, int] | None = None,
    preset: str | None = None,
    *,
    systems: Iterable[str] | None = None,
    matrix: FeatureMatrix | None = None,
) -> LiveApp:
    """Sliders for the weights, a preset menu and the explained ranking.

    Start from ``preset`` (id or name), from ``weights`` (criterion id or name → 0-5), or
    from the first preset of the data file; ``systems`` limits the ranking (all by default).
    Bad input shows an inline message. The returned app also exposes ``controls``
    (``{"preset": Dropdown, "weights": {criterion: IntSlider}}``) and ``output`` (the HTML
    widget with the ranking), which tests and benchmarks drive.
    """
    matrix = matrix or load_features()
    first = next(iter(matrix.presets))
    problem = ""
    start: dict[str, int] = dict(matrix.presets[first].weights)
    chosen_preset = first if weights is None and preset is None else CUSTOM
    try:
        systems = matrix.resolve_systems(systems)
        if preset is not None:
            start = preset_weights(preset, matrix)
            chosen_preset = next(p for p, item in matrix.presets.items()
                                 if dict(item.weights) == start)
        elif weights is not None:
            start = check_weights(weights, matrix)
    except ValueError as err:
        problem = str(err)

    menu = widgets.Dropdown(
        options=[("Custom weights", CUSTOM)]
        + [(p.name, p_id) for p_id, p in matrix.presets.items()],
        value=chosen_preset,
        description="Preset",
    )
    sliders = {
        crit_id: widgets.IntSlider(
            value=start.get(crit_id, 0), min=0, max=MAX_WEIGHT, step=1,
            description=criterion.name + (" *" if criterion.classic else ""),
            tooltip=criterion.question, continuous_update=False,
            style={"description_width": "19em"}, layout=widgets.Layout(width="36em"),
        )
        for crit_id, criterion in matrix.criteria.items()
    }
    output = widgets.HTML(
        error_html(problem) if problem else decision_view(matrix, start, systems)
    )
    applying = False

    def current() -> dict[str, int]:
        return {c: s.value for c, s in sliders.items()}

    def update(_: object = None) -> None:
        if applying:
            return
        weights_now = current()
        if menu.value != CUSTOM and dict(matrix.presets[menu.value].weights) != weights_now:
            menu.value = CUSTOM  # a slider moved away from the preset
        output.value = decision_view(matrix, weights_now, systems)

    def apply_preset(change: dict) -> None:
        nonlocal applying
        if change["new"] == CUSTOM:
            return
        applying = True
        try:
            for crit_id, value in matrix.presets[change["new"]].weights.items():
                sliders[crit_id].value = value
        finally:
            applying = False
        update()

    menu.observe(apply_preset, names="value")
    for slider in sliders.values():
        slider.observe(update, names="value")
    note = widgets.HTML("<small>* one of the four criteria of the 2019-era comparison. "
                        "Weights: 0 ignores a criterion, 5 makes it decisive.</small>")
    box = widgets.VBox([menu, *sliders.values(), note, output])
    app = LiveApp(
        box,
        lambda: error_html(problem) if problem else _static(
            matrix, None if chosen_preset else start, systems, chosen_preset or first
        ),
    )
    app.controls = {"preset": menu, "weights": sliders}
    app.output = output
    return app
