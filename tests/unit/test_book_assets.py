"""The book extension's choices about plotly.js: which bundle a page gets, and figures that
wait for a deferred bundle."""

from __future__ import annotations

import re

import plotly.graph_objects as go

from clustersim.course.book import (
    PLOTLY_BASIC_JS,
    PLOTLY_JS,
    bundle_version,
    defer_figures,
    label_toctree_toggles,
    plotly_basic_source,
    plotly_bundle_for,
    plotly_js_source,
    point_offline_links,
)
from clustersim.viz.renderer import figure_html


def _page(*figures: go.Figure) -> str:
    return "<p>text</p>" + "".join(figure_html(f) for f in figures)


def test_basic_bundle_for_scatter_and_bar_with_buttons_and_category_axes() -> None:
    fig = go.Figure([go.Scatter(x=[1], y=[2]), go.Bar(x=["a"], y=[1])])
    fig.update_layout(xaxis_type="category", updatemenus=[{"type": "buttons", "buttons": []}])
    assert plotly_bundle_for(_page(fig), basic_available=True) == PLOTLY_BASIC_JS


def test_full_bundle_when_a_trace_type_is_missing_from_the_basic_one() -> None:
    page = _page(go.Figure(go.Bar(x=["a"], y=[1])),
                 go.Figure(go.Icicle(labels=["a"], parents=[""])))
    assert plotly_bundle_for(page, basic_available=True) == PLOTLY_JS


def test_full_bundle_when_the_basic_one_is_not_available() -> None:
    assert plotly_bundle_for(_page(go.Figure(go.Bar())), basic_available=False) == PLOTLY_JS


def test_vendored_basic_bundle_has_the_wheels_plotly_js_version(repo_root) -> None:
    assert bundle_version(plotly_basic_source(repo_root)) == bundle_version(plotly_js_source())


def test_every_figure_script_waits_for_the_deferred_bundle() -> None:
    page = _page(go.Figure(go.Bar(x=["a"], y=[1])), go.Figure(go.Scatter(x=[1], y=[1])))
    deferred = defer_figures(page)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", deferred, re.DOTALL)
    assert len(scripts) == 2
    for script in scripts:
        assert script.startswith('document.addEventListener("DOMContentLoaded"')
        assert "Plotly.newPlot" in script
    # nothing but the scripts changed
    assert re.sub(r"<script.*?</script>", "", deferred, flags=re.DOTALL) == re.sub(
        r"<script.*?</script>", "", page, flags=re.DOTALL)


def test_sidebar_toggles_get_the_name_of_their_entry() -> None:
    sidebar = (
        '<li class="toctree-l1 has-children"><a class="reference internal" href="lab.html">'
        "Lab: pods &amp; <em>trees</em></a><details><summary><span class=\"toctree-toggle\" "
        'role="presentation"><i class="fa-solid fa-chevron-down"></i></span></summary>'
        '<ul><li class="toctree-l2"><a href="ex.html">Exercises</a></li></ul></details></li>'
    )
    labelled = label_toctree_toggles(sidebar)
    assert '<summary aria-label="Pages under Lab: pods &amp; trees">' in labelled
    assert labelled.replace(' aria-label="Pages under Lab: pods &amp; trees"', "") == sidebar


def test_kernel_note_link_leads_to_the_welcome_page_from_any_depth() -> None:
    """The note is written for a page one folder deep; from book/comparing/ its link led to a
    missing book/book/welcome.html until the build pointed it at the page's own root."""
    from clustersim.widgets.base import KERNEL_NOTE

    deep = point_offline_links(KERNEL_NOTE, "../../book/welcome.html")
    assert 'href="../../book/welcome.html#running-a-notebook-online-or-offline"' in deep
    assert "../book/welcome.html#" not in deep.replace("../../book/welcome.html#", "")
