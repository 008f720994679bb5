"""Marathon's app tree in depth: edit a group's dependencies, scale it by a factor, see the plan.

:func:`app_tree_explorer` lets a learner switch dependencies on and off and choose a factor
(:mod:`clustersim.scenarios.apptrees` edits the group), and shows the group tree coloured
by deployment step with the steps listed; a cycle shows Marathon's refusal inline.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.examples import example_text
from clustersim.marathon import deployment_plan
from clustersim.scenarios.apptrees import (
    SHOP_EDGES,
    _iter_nodes,
    scale_group,
    with_dependencies,
)
from clustersim.viz.groups import group_tree
from clustersim.viz.renderer import figure_html
from clustersim.viz.text import escape
from clustersim.widgets.base import LiveApp, follow

__all__ = ["app_tree_explorer", "plan_html"]


def plan_html(plan: Sequence[Sequence[dict[str, Any]]]) -> str:
    """The plan's steps as an ordered list, one line per step."""
    if not plan:
        return "<p>The plan is empty: nothing to change.</p>"
    items = []
    for step in plan:
        actions = "; ".join(
            f"{escape(a['action'])} {escape(a['app'])}"
            + (f" → {escape(a['instances'])}" if "instances" in a else "") for a in step)
        items.append(f"<li>{actions}</li>")
    return "<p><strong>Deployment plan</strong></p><ol>" + "".join(items) + "</ol>"


def _state(base: Mapping[str, Any], edges: Iterable[tuple[str, str]], factor: float,
           from_running: bool, scaled: str | None) -> tuple[dict[str, Any], list]:
    target = scale_group(with_dependencies(base, edges), factor, scaled)
    original = with_dependencies(base, edges) if from_running else None
    return target, deployment_plan(original, target)


def app_tree_explorer(group: Mapping[str, Any] | None = None,
                      edges: Sequence[tuple[str, str]] = SHOP_EDGES,
                      scaled: str | None = "/shop/web") -> LiveApp:
    """Check boxes for dependencies, a ``scaleBy`` factor for the group ``scaled`` (None:
    the whole group; the default leaves the example's database alone, since scaling it would
    start a second, independent database), and "deploy from scratch" or "scale the running
    group"; shows the group tree coloured by step and the plan."""
    if group is None:
        group = json.loads(example_text("marathon"))
    base = dict(group)
    present = {(n.get("id"), d) for n in _iter_nodes(copy.deepcopy(base))
               for d in n.get("dependencies", [])}
    boxes = [widgets.Checkbox(value=edge in present, description=f"{edge[0]} → {edge[1]}",
                              indent=False, layout={"width": "auto"}) for edge in edges]
    factor = widgets.FloatSlider(value=1.0, min=0.5, max=3.0, step=0.5,
                                 description=f"scaleBy {scaled or ''}".strip(),
                                 continuous_update=False, style={"description_width": "initial"})
    start = widgets.ToggleButtons(options=[("deploy from scratch", False),
                                           ("scale the running group", True)], value=False)
    plan_box = widgets.HTML()
    target, plan = _state(base, [e for e in edges if e in present], 1.0, False, scaled)
    chart = go.FigureWidget(group_tree(target, plan))
    chart.data[0].uid = "apptree-icicle"

    def update() -> None:
        chosen = [e for e, box in zip(edges, boxes, strict=True) if box.value]
        target, plan = _state(base, chosen, float(factor.value), bool(start.value), scaled)
        fresh = group_tree(target, plan).data[0]
        with chart.batch_update():
            icicle = chart.data[0]
            icicle.labels, icicle.hovertext = fresh.labels, fresh.hovertext
            icicle.marker.colors = fresh.marker.colors
        plan_box.value = plan_html(plan)

    follow(update, plan_box, [*boxes, factor, start])
    box = widgets.VBox([widgets.HTML("<p>Dependencies (from → to):</p>"),
                        widgets.VBox(boxes), widgets.HBox([factor, start]), chart, plan_box])

    def static() -> str:
        shipped = [e for e in edges if e in present]
        views = [("as shipped", shipped, 1.0, False), ("no dependencies", [], 1.0, False),
                 (f"scaleBy 2 of {scaled or 'the group'}, running", shipped, 2.0, True)]
        parts = []
        for title, chosen, scale, running in views:
            target, plan = _state(base, chosen, scale, running, scaled)
            parts.append(figure_html(group_tree(target, plan, title=f"shop: {title}"),
                                     height=360) + plan_html(plan))
        return "".join(parts)

    return LiveApp(box, static, name="Marathon app tree explorer")
