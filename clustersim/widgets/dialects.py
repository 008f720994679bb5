"""One application, three dialects: the example ``shop`` on Kubernetes, Marathon and Swarm.

:func:`run_shop` deploys the example application (:mod:`clustersim.examples`) on the demo
cluster of one system (:func:`clustersim.clusters.demo_nodes`), optionally with the api tier
scaled and the busiest node failed part-way, and records per tier how many tasks run and how
many are ready at each sampled time. :func:`dialects_explorer` puts the three systems side by
side with live controls; its static rendering is a plotly figure with a slider over the same
scenarios.

What "ready" means differs by system, as it does in the real ones:

- Kubernetes: the pod's ``Ready`` condition (its readiness probe passed); kubelet
  ``pkg/kubelet/prober``.
- Marathon: the instance is ``TASK_RUNNING`` and its health checks pass (an app without
  health checks counts once running), ``core/health/impl/HealthCheckActor.scala``.
- Swarm: the task is ``RUNNING``, which for a service with a ``healthcheck`` means its
  container has passed a probe (Docker reports such a task RUNNING only once healthy; see
  :mod:`clustersim.swarm.agent`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go
import yaml

from clustersim.clusters import demo_nodes
from clustersim.examples import example_text, tier_of
from clustersim.sim import Event, Snapshot
from clustersim.viz.palette import base_layout, line_width, system_color
from clustersim.viz.panels import slider_panels_html
from clustersim.widgets.base import LiveApp, error_html

__all__ = [
    "SYSTEMS",
    "TIERS",
    "ShopRun",
    "compare_shop",
    "dialects_explorer",
    "readiness_figure",
    "run_shop",
    "scenarios_figure",
    "shop_source",
    "start_order",
]

SYSTEMS = ("kubernetes", "marathon", "swarm")
TIERS = ("db", "cache", "api", "frontend")
# Every 5 s in the first minute (start order), then every 20 s (recovery after a failure).
DEFAULT_TIMES = tuple(float(t) for t in (*range(0, 60, 5), *range(60, 481, 20)))
_NAMES = {"kubernetes": "Kubernetes", "marathon": "Marathon", "swarm": "Docker Swarm"}


@dataclass
class ShopRun:
    """One system's run of ``shop``: per tier and sampled time, tasks running and ready."""

    system: str
    api_replicas: int
    times: list[float]
    running: dict[str, list[int]]
    ready: dict[str, list[int]]
    snapshots: list[Snapshot]
    events: list[Event]
    failed_node: str | None = None
    failed_at: float | None = None

    def first_ready(self, tier: str) -> float | None:
        """The first sampled time at which ``tier`` had a ready task (None: never)."""
        return next((t for t, n in zip(self.times, self.ready[tier], strict=True) if n), None)

    def total_ready(self) -> list[int]:
        return [sum(self.ready[tier][i] for tier in TIERS) for i in range(len(self.times))]


def shop_source(system: str, api_replicas: int = 3) -> Any:
    """The example's manifest for ``system`` as plain data, with the api tier scaled to
    ``api_replicas`` (Deployment ``replicas``, app ``instances``, ``deploy.replicas``)."""
    if not isinstance(api_replicas, int) or isinstance(api_replicas, bool) or \
            not 0 <= api_replicas <= 20:
        raise ValueError(f"api_replicas must be a whole number from 0 to 20, not {api_replicas!r}")
    text = example_text(system)
    if system == "kubernetes":
        docs = [d for d in yaml.safe_load_all(text) if d]
        for doc in docs:
            if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "api":
                doc["spec"]["replicas"] = api_replicas
        return docs
    if system == "marathon":
        group = json.loads(text)
        for sub in group["groups"]:
            for app in sub.get("apps", []):
                if app["id"] == "/shop/web/api":
                    app["instances"] = api_replicas
        return group
    stack = yaml.safe_load(text)
    stack["services"]["api"]["deploy"]["replicas"] = api_replicas
    return stack


class _Kubernetes:
    def __init__(self, source: Any, seed: int) -> None:
        from clustersim.kubernetes import KubernetesCluster

        self.cluster = KubernetesCluster(demo_nodes("kubernetes"), seed=seed)
        self.cluster.apply(source)

    def counts(self) -> dict[str, tuple[int, int]]:
        out = {tier: [0, 0] for tier in TIERS}
        for pod in self.cluster.pods():
            if pod.owner and pod.node and pod.phase == "Running" and \
                    pod.reason != "Terminating":
                tier = tier_of(pod.owner.split("/", 1)[1])
                out[tier][0] += 1
                out[tier][1] += bool(pod.ready)
        return {t: (r, ok) for t, (r, ok) in out.items()}

    def fail(self, node: str) -> None:
        self.cluster.fail_node(node)


class _Marathon:
    def __init__(self, source: Any, seed: int) -> None:
        from clustersim.marathon import Marathon
        from clustersim.mesos import MesosCluster

        self.cluster = MesosCluster(demo_nodes("marathon"), seed=seed)
        self.marathon = self.cluster.register(Marathon())
        self.marathon.deploy(source)

    def counts(self) -> dict[str, tuple[int, int]]:
        out = {tier: [0, 0] for tier in TIERS}
        for spec_id, app in self.marathon.apps.items():
            tier = tier_of(spec_id)
            checked = bool(app.spec.health_checks)
            for inst in app.instances.values():
                if inst.goal == "Running" and inst.state == "Running":
                    out[tier][0] += 1
                    out[tier][1] += inst.healthy is True or not checked
        return {t: (r, ok) for t, (r, ok) in out.items()}

    def fail(self, node: str) -> None:
        self.cluster.fail_agent(node)


class _Swarm:
    def __init__(self, source: Any, seed: int) -> None:
        from clustersim.swarm import SwarmCluster

        self.cluster = SwarmCluster(demo_nodes("swarm"), seed=seed)
        self.cluster.deploy_stack("shop", source)

    def counts(self) -> dict[str, tuple[int, int]]:
        out = {tier: [0, 0] for tier in TIERS}
        for task in self.cluster.tasks():
            if task.node and task.state == "running":
                tier = tier_of(task.service)
                out[tier][0] += 1
                out[tier][1] += 1
        return {t: (r, ok) for t, (r, ok) in out.items()}

    def fail(self, node: str) -> None:
        self.cluster.fail_node(node)


_DRIVERS = {"kubernetes": _Kubernetes, "marathon": _Marathon, "swarm": _Swarm}


def _node_to_fail(snapshot: Snapshot, tier: str | None) -> str:
    """The node running ``tier``'s first task (by task name), or with ``tier`` None the node
    running the most tasks (ties: the first by name)."""
    if tier is not None:
        hosts = sorted((t.name, t.node) for t in snapshot.tasks
                       if t.node and tier_of(t.owner) == tier)
        if not hosts:
            raise ValueError(f"no running task of tier {tier!r} to fail the node of")
        return hosts[0][1]
    load: dict[str, int] = {n.name: 0 for n in snapshot.nodes}
    for task in snapshot.tasks:
        if task.node in load:
            load[task.node] += 1
    return min(load, key=lambda name: (-load[name], name))


def run_shop(system: str, *, api_replicas: int = 3, fail_at: float | None = None,
             fail_tier: str | None = None, times: Sequence[float] = DEFAULT_TIMES,
             seed: int = 0) -> ShopRun:
    """Deploy ``shop`` on ``system``'s demo cluster; at ``fail_at`` (s) fail the node that
    runs ``fail_tier`` (default: the busiest node); sample tier counts and a snapshot at each
    of ``times`` (ascending, seconds)."""
    if fail_tier is not None and fail_tier not in TIERS:
        raise ValueError(f"fail_tier must be one of {', '.join(TIERS)}, not {fail_tier!r}")
    if system not in _DRIVERS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    times = [float(t) for t in times]
    if not times or times != sorted(times) or times[0] < 0:
        raise ValueError("times must be a non-empty ascending list of seconds ≥ 0")
    driver = _DRIVERS[system](shop_source(system, api_replicas), seed)
    run = ShopRun(system, api_replicas, times, {t: [] for t in TIERS}, {t: [] for t in TIERS},
                  [], [])
    for time in times:
        if fail_at is not None and run.failed_node is None and time >= fail_at:
            driver.cluster.run(until=fail_at)
            run.failed_node = _node_to_fail(driver.cluster.snapshot(), fail_tier)
            run.failed_at = fail_at
            driver.fail(run.failed_node)
        driver.cluster.run(until=time)
        for tier, (running, ready) in driver.counts().items():
            run.running[tier].append(running)
            run.ready[tier].append(ready)
        run.snapshots.append(driver.cluster.snapshot())
    run.events = list(driver.cluster.events)
    if system == "marathon":
        run.events += list(driver.marathon.events)
        run.events.sort(key=lambda e: e.time)
    return run


def compare_shop(api_replicas: int = 3, fail_at: float | None = None,
                 times: Sequence[float] = DEFAULT_TIMES, seed: int = 0) -> dict[str, ShopRun]:
    """:func:`run_shop` for each of the three systems with the same change."""
    return {s: run_shop(s, api_replicas=api_replicas, fail_at=fail_at, times=times, seed=seed)
            for s in SYSTEMS}


def start_order(run: ShopRun) -> list[list[str]]:
    """The tiers grouped by the sampled time at which each first had a ready task, earliest
    first (tiers never ready are left out): e.g. ``[["cache", "db"], ["api"], ["frontend"]]``."""
    by_time: dict[float, list[str]] = {}
    for tier in TIERS:
        first = run.first_ready(tier)
        if first is not None:
            by_time.setdefault(first, []).append(tier)
    return [sorted(by_time[t]) for t in sorted(by_time)]


def _traces(runs: dict[str, ShopRun]) -> list[go.Scatter]:
    traces = []
    for index, (system, run) in enumerate(runs.items()):
        wanted, total = _wanted(run.api_replicas), run.total_ready()
        hover = []
        for i, time in enumerate(run.times):
            tiers = ", ".join(f"{tier} {run.ready[tier][i]}/{run.running[tier][i]}"
                              for tier in TIERS)
            hover.append(f"{_NAMES[system]} at t = {time:g} s<br>ready/running: {tiers}"
                         f"<br>{total[i]} of {wanted} tasks ready")
        traces.append(go.Scatter(
            x=run.times, y=total, mode="lines+markers", name=_NAMES[system],
            line={"color": system_color(system, index), "shape": "hv",
                  "dash": ("solid", "dash", "dot")[index],
                  "width": line_width(index, len(runs))},
            marker_size=3 + 2 * line_width(index, len(runs)),
            hovertext=hover, hoverinfo="text", uid=f"dialects-{system}",
        ))
    return traces


@lru_cache(maxsize=32)
def _wanted(api_replicas: int) -> int:
    """Tasks the example asks for with the api scaled (as its Kubernetes workloads count)."""
    return sum(doc["spec"].get("replicas", 1) for doc in shop_source("kubernetes", api_replicas)
               if doc["kind"] in ("Deployment", "StatefulSet"))


def _failure_shapes(failed_at: float | None) -> list[dict[str, Any]]:
    """A dotted vertical line at the failure, if any."""
    if failed_at is None:
        return []
    return [{"type": "line", "x0": failed_at, "x1": failed_at, "y0": 0, "y1": 1,
             "yref": "paper", "line": {"color": "#D55E00", "dash": "dot"}}]


def _failure_notes(failed_at: float | None) -> list[dict[str, Any]]:
    """The label of the failure line, at its top."""
    if failed_at is None:
        return []
    return [{"x": failed_at, "y": 1, "yref": "paper", "text": "node fails", "showarrow": False,
             "xanchor": "left", "yanchor": "bottom", "font": {"color": "#D55E00"}}]


def _title(runs: dict[str, ShopRun]) -> str:
    run = next(iter(runs.values()))
    failure = (f", busiest node failed at {run.failed_at:g} s"
               if run.failed_at is not None else "")
    return f"shop: ready tasks over time (api × {run.api_replicas}{failure})"


def _summary_html(runs: dict[str, ShopRun]) -> str:
    rows = []
    for system, run in runs.items():
        order = " → ".join("+".join(step) for step in start_order(run)) or "nothing ready"
        end = ", ".join(f"{tier} {run.ready[tier][-1]}" for tier in TIERS)
        failed = f"{escape(run.failed_node)} at {run.failed_at:g} s" if run.failed_node else "–"
        rows.append(f"<tr><td>{_NAMES[system]}</td><td>{escape(order)}</td>"
                    f"<td>{escape(end)}</td><td>{failed}</td></tr>")
    return ('<table class="clustersim-table"><thead><tr><th>system</th>'
            "<th>tiers in the order they became ready</th>"
            f"<th>ready at t = {next(iter(runs.values())).times[-1]:g} s</th>"
            "<th>failed node</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def readiness_figure(runs: dict[str, ShopRun]) -> go.Figure:
    """Ready tasks of ``shop`` over time, one line per system."""
    fig = go.Figure(data=_traces(runs))
    _layout(fig, runs)
    return fig


def _layout(fig: go.Figure, runs: dict[str, ShopRun]) -> None:
    run = next(iter(runs.values()))
    shapes = _failure_shapes(run.failed_at)
    fig.update_layout(**base_layout(_title(runs)), xaxis_title="simulated time (s)",
                      yaxis_title="ready tasks (all tiers)", shapes=shapes,
                      annotations=_failure_notes(run.failed_at),
                      yaxis_range=[0, _wanted(run.api_replicas) + 1], legend_title_text="system")


def _frame_name(count: int, failure: float) -> str:
    """The slider step of ``scenarios_figure`` for api ``count`` and a failure time (-1: none)."""
    return f"{count}" + (" + fail" if failure >= 0 else "")


def scenarios_figure(replicas: Sequence[int] = (1, 3, 5), fail_at: float = 60.0,
                     times: Sequence[float] = DEFAULT_TIMES,
                     cache: dict[tuple[int, float], dict[str, ShopRun]] | None = None
                     ) -> go.Figure:
    """The static version of the explorer: a slider over (api replicas, failure or not).
    ``cache`` maps (replicas, failure time or -1) to runs already made, and is filled."""
    cache = {} if cache is None else cache
    frames = []
    for count in replicas:
        for failure in (None, fail_at):
            key = (count, -1.0 if failure is None else failure)
            if key not in cache:
                cache[key] = compare_shop(count, failure, times)
            runs = cache[key]
            name = _frame_name(*key)
            frames.append(go.Frame(data=_traces(runs), name=name, layout={
                "title": {"text": _title(runs)}, "yaxis": {"range": [0, _wanted(count) + 1]},
                "shapes": _failure_shapes(failure), "annotations": _failure_notes(failure)}))
    fig = go.Figure(data=frames[0].data, frames=frames)
    fig.update_layout(**base_layout(frames[0].layout.title.text), xaxis_title="simulated time (s)",
                      yaxis_title="ready tasks (all tiers)", legend_title_text="system",
                      yaxis_range=[0, _wanted(replicas[0]) + 1],
                      sliders=[{"active": 0, "currentvalue": {"prefix": "api replicas: "},
                                "pad": {"t": 75},
                                "steps": [{"label": f.name, "method": "animate",
                                           "args": [[f.name], {"mode": "immediate", "frame": {
                                               "duration": 0, "redraw": True}}]}
                                          for f in frames]}])
    return fig


def dialects_explorer(times: Sequence[float] = DEFAULT_TIMES) -> LiveApp:
    """Scale the api tier and fail the busiest node; the three systems side by side."""
    replicas = widgets.IntSlider(value=3, min=1, max=6, description="api replicas",
                                 continuous_update=False)
    failure = widgets.Dropdown(options=[("no failure", -1.0), ("fail busiest node at 30 s", 30.0),
                                        ("fail busiest node at 60 s", 60.0),
                                        ("fail busiest node at 120 s", 120.0)],
                               value=-1.0, description="change")
    message = widgets.HTML()
    cache: dict[tuple[int, float], dict[str, ShopRun]] = {}

    def runs_for(count: int, fail: float) -> dict[str, ShopRun]:
        key = (count, fail)
        if key not in cache:
            cache[key] = compare_shop(count, None if fail < 0 else fail, times)
        return cache[key]

    first = runs_for(3, -1.0)
    chart = go.FigureWidget(data=_traces(first))
    for trace, system in zip(chart.data, first, strict=True):
        trace.uid = f"dialects-{system}"   # FigureWidget draws its own uids otherwise
    _layout(chart, first)

    def update(_: object = None) -> None:
        try:
            runs = runs_for(int(replicas.value), float(failure.value))
        except Exception as err:  # whatever a control causes shows inline
            message.value = error_html(err)
            return
        message.value = _summary_html(runs)
        with chart.batch_update():
            for trace, fresh in zip(chart.data, _traces(runs), strict=True):
                trace.x, trace.y, trace.hovertext = fresh.x, fresh.y, fresh.hovertext
            _layout(chart, runs)

    replicas.observe(update, names="value")
    failure.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox([replicas, failure]), chart, message])
    def static() -> str:
        # The figure's own scenarios: the runs without a failure are reused, a live run with
        # a failure at another time is not (its frame name would be the same).
        made = {key: runs for key, runs in cache.items() if key[1] < 0}
        figure = scenarios_figure(times=times, cache=made)
        return slider_panels_html(figure, {_frame_name(*key): _summary_html(runs)
                                           for key, runs in made.items()})

    return LiveApp(box, static, name="three dialects explorer")
