"""Widgets show any error inline, escaped and in one line, never a traceback in the widget
log, and never keep the previous result as if it were the new one."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.widgets import apptrees, explorer, fit
from clustersim.widgets.base import error_html

BOOM = KeyError("<b>spec</b>")


def _boom(*_args, **_kwargs):
    raise BOOM


def test_error_html_tells_any_exception_in_one_escaped_line() -> None:
    box = error_html(BOOM)
    assert "KeyError: &#x27;&lt;b&gt;spec&lt;/b&gt;&#x27;" in box and "<b>spec" not in box
    assert "replicas must be at least 0" in error_html(ValueError("replicas must be\nat least 0"))


def test_the_explorer_shows_unexpected_errors_and_clears_its_chart(monkeypatch) -> None:
    """Regression test: only ManifestError and ValueError were caught; anything else left the
    previous placement on screen and its traceback in the widget log."""
    app = explorer.manifest_explorer()
    _choice, _text, run, report, chart = app.widget.children
    assert len(chart.data) > 0
    monkeypatch.setattr(explorer, "place", _boom)
    run.click()
    assert "KeyError" in report.value and "<b>spec" not in report.value
    assert len(chart.data) == 0


def test_the_fit_explorer_shows_unexpected_errors(monkeypatch) -> None:
    app = fit.fit_explorer([Node("n1", cpu=4, memory="8Gi")])
    (cpu, _mem), summary, _chart = app.widget.children[0].children, *app.widget.children[1:]
    monkeypatch.setattr(fit, "fit_trace", _boom)
    cpu.value = 1000
    assert "Problem:" in summary.value and "KeyError" in summary.value


def test_the_app_tree_explorer_shows_unexpected_errors(monkeypatch) -> None:
    app = apptrees.app_tree_explorer()
    factor = app.widget.children[2].children[0]
    plan_box = app.widget.children[-1]
    monkeypatch.setattr(apptrees, "_state", _boom)
    factor.value = 2.0
    assert "KeyError" in plan_box.value


@pytest.mark.parametrize("err", [ZeroDivisionError("division by zero"), RecursionError()])
def test_error_html_names_the_type_of_unexpected_errors(err) -> None:
    assert type(err).__name__ in error_html(err)


def test_follow_runs_now_and_on_each_change_and_shows_errors_inline() -> None:
    import ipywidgets as widgets

    from clustersim.widgets.base import follow

    slider, message = widgets.IntSlider(value=1), widgets.HTML()
    seen: list[int] = []

    def update() -> None:
        if slider.value == 3:
            raise BOOM
        seen.append(slider.value)
        message.value = f"value {slider.value}"

    follow(update, message, [slider])
    slider.value = 2
    slider.value = 3
    assert seen == [1, 2] and "KeyError" in message.value and "<b>" not in message.value


def test_panel_charts_append_then_redraw_in_place_and_keep_each_set_of_panels() -> None:
    import ipywidgets as widgets
    import plotly.graph_objects as go

    from clustersim.widgets.base import PanelCharts

    box = widgets.VBox([widgets.HTML()])
    charts = PanelCharts(box, 1)
    built: list[str] = []

    def build() -> go.Figure:
        built.append("x")
        return go.Figure(go.Bar(y=[1]))

    first = charts.show("a", lambda chart: True, build)
    assert box.children == (box.children[0], first) and isinstance(first, go.FigureWidget)
    assert charts.show("a", lambda chart: True, build) is first and len(built) == 1  # in place
    again = charts.show("a", lambda chart: False, build)      # traces changed shape: rebuilt
    both = charts.show(("a", "b"), lambda chart: True, build)  # other panels: another chart
    assert len(built) == 3 and again is not first and both is not again
    assert charts.show("a", lambda chart: True, build) is again and len(built) == 3
    assert len(box.children) == 2 and box.children[-1] is again


@pytest.mark.parametrize("typed", ["²", "²%", "1" * 5000])
def test_updates_names_the_field_for_digits_int_cannot_read(typed: str) -> None:
    """str.isdigit accepts "²" and 5,000 digits; int() refuses both with its own words."""
    from clustersim.widgets import updates_app

    controls = updates_app().controls
    controls["maxSurge"].value = typed
    assert "maxSurge must be a whole number" in controls["message"].value
