"""Every view escapes the names it draws: plotly renders a subset of HTML (links, styled
spans, bold) in legends, axes, hover texts, titles and annotations, and a name from a manifest
is text. Each view gets a hostile name everywhere a name can go; no text field of the figure
may carry its markup, and the escaped name must be there (the name did reach the figure)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import pytest

import clustersim.viz
from clustersim import Node
from clustersim.kubernetes.fleet import FillLevel, GroupStats
from clustersim.kubernetes.networkpolicy import Reachability, Verdict
from clustersim.sim import ConditionChange, Event, NodeState, Snapshot, TaskState
from clustersim.viz.capacity import capacity_panels, mark_layout
from clustersim.viz.cluster import cluster_animation, cluster_map
from clustersim.viz.comparison import comparison_html
from clustersim.viz.fit import fit_figure, fit_trace
from clustersim.viz.fleet import fleet_figure
from clustersim.viz.groups import group_tree
from clustersim.viz.offers import offer_flow
from clustersim.viz.panels import slider_panels_html
from clustersim.viz.placement import placement_over_time, placement_traces
from clustersim.viz.reachability import reachability_figure
from clustersim.viz.renderer import figure_html
from clustersim.viz.requests import failed_share_figure
from clustersim.viz.selectors import selector_view
from clustersim.viz.serving import serving_over_time
from clustersim.viz.text import escape
from clustersim.viz.timeline import event_timeline
from clustersim.widgets.apptrees import plan_html

HOSTILE = ('<a href="javascript:alert(1)">link</a><span style="font-size:90px">big</span>'
           "<b>bold</b>%{y}")
MARKUP = ("<a href", "<span style", "<b>bold", "</b>%{y}", "javascript:alert(1)\">")


def _snapshots() -> list[Snapshot]:
    node = NodeState(name=HOSTILE, cpu=4, memory=2**33, cpu_used=1, memory_used=2**30,
                     zone=HOSTILE, status="NotReady", labels={HOSTILE: HOSTILE})
    task = TaskState(name=HOSTILE, owner=HOSTILE, node=HOSTILE, state=HOSTILE, cpu=1,
                     memory=2**30, ready=True)
    return [Snapshot("kubernetes", t, (node,), (task,)) for t in (0.0, 10.0)]


def _series() -> dict[str, tuple[list[Snapshot], str]]:
    return {HOSTILE: (_snapshots(), HOSTILE)}


def _offer(outcome: str) -> dict[str, Any]:
    return {"offer_id": HOSTILE, "time": 1.0, "framework": HOSTILE, "hostname": HOSTILE,
            "cpus": 1.0, "mem": 128.0, "outcome": outcome, "tasks": [HOSTILE],
            "used_cpus": 1.0, "used_mem": 64.0}


# group_tree reads ids as Marathon does (a hostile one is refused): the rest is hostile
GROUP = {"id": "/hostile", "dependencies": [HOSTILE],
         "apps": [{"id": "/hostile/app", "instances": HOSTILE, "cpus": HOSTILE,
                   "mem": HOSTILE, "dependencies": [HOSTILE]}]}
GROUP_PLAN = [[{"action": HOSTILE, "app": "/hostile/app", "instances": HOSTILE}]]
PLAN = [[{"action": HOSTILE, "app": f"/{HOSTILE}/{HOSTILE}", "instances": HOSTILE}]]

def _fleet() -> dict[str, list[FillLevel]]:
    group = GroupStats(HOSTILE, 4, 2, 1, 1, 50.0, 50.0, 90.0)
    return {HOSTILE: [FillLevel(HOSTILE, pods, 0, 10.0, (group,)) for pods in (10, 20)]}


def _reachability() -> dict[str, Reachability]:
    pods = (f"{HOSTILE}/{HOSTILE}", f"{HOSTILE}/b")
    verdicts = {(s, d): Verdict(True, HOSTILE, s == d, HOSTILE) for s in pods for d in pods}
    table = Reachability(pods, 80, "TCP", verdicts)
    return {HOSTILE: table, "two": table}


VIEWS = {
    "reachability_figure": lambda: reachability_figure(_reachability(), title=HOSTILE),
    "fleet_figure": lambda: fleet_figure(_fleet()),
    "cluster_map": lambda: cluster_map(_snapshots()[0]),
    "cluster_map titled": lambda: cluster_map(_snapshots()[0], title=HOSTILE),
    "cluster_animation": lambda: cluster_animation(_snapshots()),
    "event_timeline": lambda: event_timeline(
        [Event(1.0, "kubernetes", HOSTILE, "Warning", HOSTILE, HOSTILE)], title=HOSTILE,
        conditions=[ConditionChange(2.0, HOSTILE, HOSTILE, "False", HOSTILE, HOSTILE)]),
    "capacity_panels": lambda: capacity_panels(_series(), marks={HOSTILE: [(5.0, HOSTILE)]},
                                               title=HOSTILE),
    "serving_over_time": lambda: serving_over_time(_series(), title=HOSTILE),
    "placement_over_time": lambda: placement_over_time(
        _series(), title=HOSTILE, marks={HOSTILE: [(5.0, HOSTILE)]}),
    "fit_figure": lambda: fit_figure([Node(HOSTILE, cpu=4, memory="8Gi")], [500], "1Gi"),
    "offer_flow": lambda: offer_flow([_offer("accepted"), _offer("declined")], title=HOSTILE),
    "failed_share_figure": lambda: failed_share_figure(
        {HOSTILE: [{"start": 0.0, "served": 3, "failed": 1}]}, title=HOSTILE,
        marks={HOSTILE: 1.0}),
    "selector_view": lambda: selector_view(
        [{"metadata": {"name": HOSTILE, "labels": {HOSTILE: HOSTILE}}}],
        {HOSTILE: {"matchLabels": {HOSTILE: HOSTILE}}}),
    "group_tree": lambda: group_tree(GROUP, GROUP_PLAN, title=HOSTILE),
    "placement_traces": lambda: go.Figure(placement_traces(_series())),
    "fit_trace": lambda: go.Figure(fit_trace([Node(HOSTILE, cpu=4, memory="8Gi")], 500, "1Gi")),
    "mark_layout": lambda: go.Figure(layout={"annotations": mark_layout([[(5.0, HOSTILE)]])[1]}),
}

SCRIPT = "</script><script>alert(1)</script>"
HTML_VIEWS = {
    "figure_html": lambda: figure_html(go.Figure(layout={"title": {"text": SCRIPT}})),
    "comparison_html": lambda: comparison_html(search=SCRIPT),
    "slider_panels_html": lambda: slider_panels_html(
        go.Figure(frames=[go.Frame(name=SCRIPT)], layout={"sliders": [{
            "currentvalue": {"prefix": SCRIPT},
            "steps": [{"label": SCRIPT, "method": "animate", "args": [[SCRIPT]]}]}]}),
        {SCRIPT: "<p>the panel</p>"}),
}
"""Views that return HTML: a name must not close their ``<script>`` or open one."""

NOT_VIEWS = {
    "step_frame": "a frame name for slider_panels_html (tested)",
    "line_width": "a width",
    "add_marks": "draws through mark_layout (tested)",
    "add_slider_below_legend": "layout geometry only",
    "legend_below": "layout geometry only",
    "mark_label_lines": "a count of label lines",
    "span_of": "a number of seconds",
    "refresh": "updates a FigureWidget with traces from capacity_traces (tested)",
    "capacity_traces": "x and y of capacity_panels' traces, no text",
    "task_counts": "counts, no text",
    "copies": "a count and its noun, no learner input",
    "fit_verb": "a verb for a count, no learner input",
    "runs_out": "a clause from the fixed names of capacity.limiting, no learner input",
    "water_marks": "counts, no text",
    "owner_colors": "colours keyed by owner; the text goes through cluster_map (tested)",
    "decision_figure": "draws the course's own data (features.yaml), no learner input",
    "ranking_html": "the course's own data and preset names, no learner input",
    "plan_steps_by_app": "step numbers for group_tree (tested)",
    "base_layout": "layout defaults only",
    "color_for": "a colour",
    "rgb": "a colour's channels",
    "relative_luminance": "a colour's luminance (WCAG)",
    "contrast_ratio": "a ratio of two colours (WCAG)",
    "system_color": "a colour",
    "install_renderer": "registers the renderer",
    "describe_selector": "plain text that selector_view escapes (tested)",
    "ready_counts": "counts, no text",
    "escape": "the escaping itself",
}
"""Public functions of clustersim.viz that take no name to draw, with the reason."""


def _texts(value: Any) -> Iterator[str]:
    """Every string in a figure's JSON (traces, frames, layout, menus, annotations)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif hasattr(value, "tolist"):
        yield from _texts(value.tolist())


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_view_escapes_hostile_names(name: str) -> None:
    figure = VIEWS[name]()
    assert isinstance(figure, go.Figure)
    texts = list(_texts(figure.to_plotly_json()))
    leaked = [t for t in texts if any(m in t for m in MARKUP)]
    assert not leaked, f"{name} lets markup through: {leaked[0][:200]}"
    assert any(escape(HOSTILE) in t for t in texts), f"{name} does not show the name at all"


@pytest.mark.parametrize("name", list(HTML_VIEWS))
def test_every_html_view_escapes_hostile_names(name: str) -> None:
    html = HTML_VIEWS[name]()
    assert SCRIPT not in html and "<script>alert" not in html, f"{name} lets a script through"


def test_every_view_function_has_an_escaping_case() -> None:
    """A new view in clustersim.viz gets a hostile-name case above (or a reason in
    NOT_VIEWS): the list is checked against the package, so no view is forgotten."""
    import importlib
    import inspect
    import pkgutil

    public = set()
    for info in pkgutil.iter_modules(clustersim.viz.__path__):
        module = importlib.import_module(f"clustersim.viz.{info.name}")
        public |= {name for name, value in inspect.getmembers(module, inspect.isfunction)
                   if value.__module__ == module.__name__ and not name.startswith("_")}
    covered = {name.split()[0] for name in (*VIEWS, *HTML_VIEWS)} | set(NOT_VIEWS)
    assert public - covered == set(), "views without an escaping case"
    assert covered - public == set(), "cases for views that no longer exist"


def test_plan_html_escapes_every_field() -> None:
    """Regression test: the instance count of a plan step was not escaped."""
    html = plan_html(PLAN)
    assert not any(m in html for m in MARKUP)
    assert html.count(escape(HOSTILE)) == 4     # the action, the app path (two names), the count


def test_escape_is_what_plotly_decodes() -> None:
    """Plotly decodes numeric entities but not ``&quot;`` (quotes stay: without ``<`` they
    open no tag), and reads ``%{`` in hover templates."""
    assert escape('<b a="1">\'%{x}&') == "&lt;b a=\"1\"&gt;'&#37;{x}&amp;"
