"""Self-healing, live: :func:`healing_app` and its static rendering :func:`healing_figure`.

The runs come from :mod:`clustersim.scenarios.healing` (one web application, one failed
machine, three systems); this module draws them and adds the controls.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import partial
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from clustersim.scenarios.healing import (
    LABELS,
    NODES,
    REPLICAS,
    SYSTEMS,
    FailureRun,
    milestones,
    node_failure_run,
)
from clustersim.viz.capacity import (
    add_slider_below_legend,
    capacity_panels,
    capacity_traces,
    refresh,
)
from clustersim.viz.renderer import figure_html
from clustersim.widgets.base import LiveApp, PanelCharts, follow
from clustersim.widgets.idle import IdleWork, plan_nearby

__all__ = ["healing_app", "healing_figure", "recovery_time"]

_HEALING_LINES = ("serving", "ready")


def recovery_time(run: FailureRun, replicas: int = REPLICAS) -> float | None:
    """Seconds from the failure until ``replicas`` tasks serve again (None: never), read
    from the run's snapshots: exact to its ``step`` (a second by default), never finer."""
    counts = run.counts["serving"]
    for snapshot, serving in zip(run.snapshots, counts, strict=True):
        if snapshot.time > run.fail_at and serving >= replicas:
            return snapshot.time - run.fail_at
    return None


def _low_after_failure(run: FailureRun) -> int:
    """The fewest tasks serving from the failure on: from the last snapshot taken at or before
    ``fail_at`` (what the cluster showed when the machine failed), so a run whose ``step``
    takes no snapshot at or after the failure still has one."""
    start = max((i for i, s in enumerate(run.snapshots) if s.time <= run.fail_at), default=0)
    return min(run.counts["serving"][start:])


def _summary(runs: Sequence[FailureRun]) -> str:
    """One line per run: the fewest serving from the failure on (the seconds before it, while
    the app starts, would say 0 for every setting) and when all serve again, if they do."""
    parts = []
    for run in runs:
        took = recovery_time(run)
        low = _low_after_failure(run)
        back = f"all {REPLICAS} serving again {took:g} s after the failure" \
            if took is not None else \
            f"not all {REPLICAS} serving again by the end of the run " \
            f"(t = {run.snapshots[-1].time:g} s)"
        parts.append(f"<li><strong>{html.escape(run.label)}</strong>: at worst {low} of "
                     f"{REPLICAS} serving after the failure; {back}.</li>")
    return "<ul>" + "".join(parts) + "</ul>"


def healing_figure(runs: Sequence[FailureRun], title: str = "") -> go.Figure:
    """Capacity panels for one run per system, with their milestones marked."""
    return capacity_panels({r.label: (r.snapshots, r.owner) for r in runs},
                           lines=_HEALING_LINES, desired=REPLICAS,
                           marks={r.label: milestones(r) for r in runs},
                           title=title or f"{runs[0].failed_node} fails at "
                                          f"t = {runs[0].fail_at:g} s")


def _static_figure(tolerations: Sequence[float]) -> go.Figure:
    """Kubernetes' panel for several tolerationSeconds, Marathon and Swarm fixed, as frames."""
    others = [node_failure_run(s) for s in SYSTEMS[1:]]
    frames = []
    for seconds in tolerations:
        fig = healing_figure([node_failure_run("kubernetes", toleration_seconds=seconds),
                              *others])
        frames.append(go.Frame(data=fig.data, name=f"{seconds:g}", layout={
            "title": {"text": f"node-1 fails at t = 30 s; Kubernetes tolerationSeconds = "
                              f"{seconds:g}"},
            "shapes": fig.layout.shapes, "annotations": fig.layout.annotations}))
    fig = healing_figure([node_failure_run("kubernetes", toleration_seconds=tolerations[-1]),
                          *others])
    fig.frames = frames
    add_slider_below_legend(fig, {
        "active": len(frames) - 1, "currentvalue": {"prefix": "Kubernetes tolerationSeconds: "},
        "steps": [{"label": f.name, "method": "animate",
                   "args": [[f.name], {"mode": "immediate",
                                       "frame": {"duration": 0, "redraw": True}}]}
                  for f in frames]})
    return fig


def healing_app() -> LiveApp:
    """Choose the failed node, when it fails and the timings; see ready tasks over time."""
    system = widgets.Dropdown(options=[("all three", "all"), *((LABELS[s], s) for s in SYSTEMS)],
                              value="all", description="system")
    node = widgets.Dropdown(options=list(NODES), value="node-1", description="fails")
    fail_at = widgets.IntSlider(value=30, min=20, max=200, step=10, description="at (s)")
    toleration = widgets.IntSlider(value=300, min=0, max=400, step=10,
                                   description="tolerationSeconds",
                                   style={"description_width": "initial"})
    inactive = widgets.IntSlider(value=0, min=0, max=300, step=10,
                                 description="inactiveAfterSeconds",
                                 style={"description_width": "initial"})
    recover = widgets.Checkbox(value=False, description="machine comes back at t = 300 s")
    controls = [system, node, fail_at, toleration, inactive, recover]
    for control in controls:
        control.continuous_update = False
    message = widgets.HTML()
    box = widgets.VBox([widgets.HBox([system, node, fail_at]),
                        widgets.HBox([toleration, inactive]), recover, message])

    named = {"fail_at": fail_at, "tolerationSeconds": toleration,
             "inactiveAfterSeconds": inactive, "node": node, "recover": recover,
             "system": system}

    def calls(values: dict[str, Any]) -> list[partial[FailureRun]]:
        """The runs for these control values (name → value), one per chosen system."""
        chosen = SYSTEMS if values["system"] == "all" else (values["system"],)
        recover_at = 300.0 if values["recover"] and values["fail_at"] < 300 else None
        # each system's own knob only, so that one run serves every value of the others'
        return [partial(node_failure_run, s, node=values["node"], fail_at=values["fail_at"],
                        recover_at=recover_at, **({"toleration_seconds": values[
                            "tolerationSeconds"]} if s == "kubernetes" else {}),
                        **({"inactive_after": values["inactiveAfterSeconds"]}
                           if s == "marathon" else {})) for s in chosen]

    def runs() -> list[FailureRun]:
        return [call() for call in calls({name: c.value for name, c in named.items()})]

    def update() -> None:
        done = runs()
        traces, top = capacity_traces({r.label: (r.snapshots, r.owner) for r in done},
                                      _HEALING_LINES)
        charts.show(tuple(r.label for r in done), lambda chart: refresh(
            chart, traces, [milestones(r) for r in done], [REPLICAS] * len(done), top + 1.5),
            lambda: healing_figure(done))
        message.value = _summary(done)
        plan_nearby(idle, named, calls)

    charts = PanelCharts(box, 4)
    idle = IdleWork()
    follow(update, message, controls)
    for run in runs():   # the first choice of one system only updates its chart's traces
        charts.prepare((run.label,), partial(healing_figure, [run]))
    app = LiveApp(box, lambda: figure_html(_static_figure([0, 30, 60, 120, 300]), height=800),
                  name="Self-healing explorer")
    app.controls = {"system": system, "node": node, "fail_at": fail_at,
                    "tolerationSeconds": toleration, "inactiveAfterSeconds": inactive,
                    "recover": recover, "message": message}
    return app
