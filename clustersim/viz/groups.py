"""Marathon's group tree as an icicle chart, each application coloured by its deployment step.

Groups are branches and applications are leaves (Marathon's own picture of an application
group). The colour of an application is the step of the deployment plan in which it is
scaled to its instances (:func:`clustersim.marathon.deployment_plan`), so dependency order is
visible at a glance: databases first, then what depends on them. Hover shows the app's
resources, instances and dependencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from clustersim.marathon.groups import RootGroup
from clustersim.viz.palette import base_layout, color_for
from clustersim.viz.text import escape

__all__ = ["group_tree", "plan_steps_by_app"]

_GROUP_COLOR = "#d9d9d9"
_MIN_LABEL_PX = 10


def plan_steps_by_app(plan: Sequence[Sequence[dict[str, Any]]]) -> dict[str, tuple[int, str]]:
    """For each app id: (1-based step, action) of the last step that touches it."""
    steps: dict[str, tuple[int, str]] = {}
    for number, step in enumerate(plan, start=1):
        for action in step:
            steps[action["app"]] = (number, action["action"])
    return steps


def _tree(source: Any) -> RootGroup:
    """The group tree of ``source`` as Marathon holds it, every id canonical (absolute): group
    JSON as dicts read for its structure, as :func:`~clustersim.marathon.deployment_plan`
    reads it, or anything :func:`~clustersim.manifests.load_manifests` reads (a path, text)."""
    plain = isinstance(source, dict) or (
        isinstance(source, list | tuple) and all(isinstance(x, dict) for x in source))
    return RootGroup.from_definitions(source) if plain else RootGroup.from_source(source)


def _walk(root: RootGroup, group_id: str, parent: str, rows: list[dict[str, Any]]) -> None:
    group = root.groups[group_id]
    rows.append({"id": group_id, "parent": parent, "kind": "group",
                 "dependencies": group.dependencies})
    for spec_id in group.run_specs:
        spec = root.run_specs[spec_id]
        rows.append({"id": spec_id, "parent": group_id, "kind": "app", "spec": spec,
                     "dependencies": spec.get("dependencies") or []})
    for child in group.groups:
        _walk(root, child, group_id, rows)


def group_tree(source: Any, plan: Sequence[Sequence[dict[str, Any]]] | None = None,
               title: str = "Marathon group tree") -> go.Figure:
    """An icicle of the group tree ``source`` defines (Marathon group JSON, e.g. a loaded
    spec's ``manifest``, or a path or text of Marathon JSON), apps coloured by their step in
    ``plan`` when given. Ids are canonical, as in a plan: ``{"id": "data"}`` inside ``/blog``
    is ``/blog/data``. The tree starts at the group that holds everything (``/shop`` for a
    file of the group ``/shop``)."""
    root = _tree(source)
    top = "/"
    while not root.groups[top].run_specs and len(root.groups[top].groups) == 1:
        top = root.groups[top].groups[0]
    rows: list[dict[str, Any]] = []
    _walk(root, top, "", rows)
    steps = plan_steps_by_app(plan or [])
    labels, colors, hover = [], [], []
    for row in rows:
        rid = row["id"]
        name = rid.rstrip("/").rsplit("/", 1)[-1] or "/"
        deps = ", ".join(row["dependencies"]) or "none"
        if row["kind"] == "group":
            labels.append(escape(name))
            colors.append(_GROUP_COLOR)
            hover.append(f"group {escape(rid)}<br>dependencies: {escape(deps)}")
            continue
        spec = row["spec"]
        step, action = steps.get(rid, (0, ""))
        # The step on a line of its own: beside the name, a phone's narrow leaves shrank the
        # whole label to 7-8 px.
        labels.append(escape(name) + (f"<br>step {step}" if step else ""))
        colors.append(color_for(step - 1) if step else "#ffffff")
        hover.append(
            f"app {escape(rid)}<br>instances: {escape(spec.get('instances', 1))}, "
            f"cpus: {escape(spec.get('cpus', '-'))}, mem: {escape(spec.get('mem', '-'))} MiB<br>"
            f"dependencies: {escape(deps)}"
            + (f"<br>plan: step {step}, {escape(action)}" if step else "")
        )
    fig = go.Figure(go.Icicle(
        ids=[escape(r["id"]) for r in rows], parents=[escape(r["parent"]) for r in rows],
        labels=labels,
        marker={"colors": colors, "line": {"color": "#333333", "width": 1}},
        hovertext=hover, hoverinfo="text", tiling={"orientation": "v"}, root_color=_GROUP_COLOR,
    ))
    # Labels never shrink under a readable size: one that does not fit its box at
    # _MIN_LABEL_PX is hidden, and hovering (tapping) the box still names it.
    fig.update_layout(uniformtext={"minsize": _MIN_LABEL_PX, "mode": "hide"})
    subtitle = " (colour: deployment step)" if plan else ""
    fig.update_layout(**base_layout(escape(title) + subtitle,
                                    margin={"l": 10, "r": 10, "t": 60, "b": 10}))
    return fig
