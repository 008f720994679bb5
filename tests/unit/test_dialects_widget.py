"""The three-dialects explorer: shop on Kubernetes, Marathon and Swarm side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clustersim.marathon import deployment_plan
from clustersim.scenarios.shop import SYSTEMS, TIERS, compare_shop, run_shop, shop_source
from clustersim.widgets.base import KERNEL_NOTE
from clustersim.widgets.dialects import dialects_explorer, readiness_figure

ROOT = Path(__file__).resolve().parents[2]
TIMES = [float(t) for t in range(0, 181, 5)]


@pytest.fixture(scope="module")
def runs():
    return compare_shop(3, None, TIMES)


def test_shop_source_scales_only_the_api_tier() -> None:
    docs = shop_source("kubernetes", 5)
    replicas = {d["metadata"]["name"]: d["spec"].get("replicas") for d in docs
                if d["kind"] in ("Deployment", "StatefulSet")}
    assert replicas == {"db": 1, "cache": 1, "api": 5, "frontend": 2}
    assert shop_source("swarm", 4)["services"]["api"]["deploy"]["replicas"] == 4
    apps = {a["id"]: a["instances"] for g in shop_source("marathon", 2)["groups"]
            for a in g["apps"]}
    assert apps["/shop/web/api"] == 2 and apps["/shop/web/frontend"] == 2


@pytest.mark.parametrize("bad", [-1, 21, 2.5, "3", True])
def test_bad_replica_counts_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="api_replicas"):
        shop_source("swarm", bad)


def test_unknown_system_and_tier_are_refused() -> None:
    with pytest.raises(ValueError, match="system must be"):
        run_shop("nomad")
    with pytest.raises(ValueError, match="fail_tier"):
        run_shop("swarm", fail_at=10, fail_tier="queue")


def test_every_system_ends_with_every_task_ready(runs) -> None:
    for run in runs.values():
        assert [run.ready[t][-1] for t in TIERS] == [1, 1, 3, 2], run.system


def test_marathon_follows_the_deployment_plan(runs) -> None:
    """Each tier becomes ready only after every tier of an earlier plan step."""
    plan = deployment_plan(None, shop_source("marathon"))
    scale_steps = [[a["app"] for a in s if a["action"] == "ScaleApplication"] for s in plan]
    scale_steps = [s for s in scale_steps if s]
    run = runs["marathon"]
    first = {tier: run.first_ready(tier) for tier in TIERS}
    layer = {app.split("/")[-1]: i for i, step in enumerate(scale_steps) for app in step}
    tier_layer = {"db": layer["postgres"], "cache": layer["redis"], "api": layer["api"],
                  "frontend": layer["frontend"]}
    for a in TIERS:
        for b in TIERS:
            if tier_layer[a] < tier_layer[b]:
                assert first[a] < first[b], (a, b, first)


def test_kubernetes_creates_everything_at_once_and_swarm_ignores_depends_on(runs) -> None:
    created = {e.object.split("/")[1].rsplit("-", 2)[0] for e in runs["kubernetes"].events
               if e.reason == "SuccessfulCreate" and e.time == 0}
    assert {"cache", "api", "frontend"} <= created
    # Swarm ignores depends_on: the frontend (depends_on: [api]) is ready before the api,
    # whose health check (every 5 s) holds it in "starting" until its first probe passes.
    swarm = runs["swarm"]
    assert swarm.first_ready("frontend") < swarm.first_ready("api")
    assert swarm.first_ready("api") - swarm.first_ready("frontend") <= 5
    # Kubernetes: the api does not wait for the database (its probe is simply faster).
    assert runs["kubernetes"].first_ready("api") <= runs["kubernetes"].first_ready("db")


def test_scaling_and_failing_change_the_outcome() -> None:
    scaled = run_shop("swarm", api_replicas=5, times=[0, 30])
    assert scaled.ready["api"][-1] == 5
    failed = run_shop("kubernetes", fail_at=30, times=[0, 25, 90])  # NotReady after 40 s
    assert failed.failed_node and failed.failed_at == 30
    assert failed.total_ready()[-1] < failed.total_ready()[1]


def test_fail_tier_fails_the_node_of_that_tier() -> None:
    run = run_shop("swarm", fail_at=20, fail_tier="db", times=[0, 20, 60])
    db_nodes = {t.node for t in run.snapshots[1].tasks if t.owner.endswith("_db")}
    assert run.failed_node in db_nodes


def test_explorer_updates_in_place_with_fixed_uids() -> None:
    app = dialects_explorer(times=TIMES)
    (replicas, failure), chart, message = (app.widget.children[0].children,
                                           *app.widget.children[1:])
    assert [t.uid for t in chart.data] == [f"dialects-{s}" for s in SYSTEMS]
    replicas.value = 5
    assert max(chart.data[2].y) == 1 + 1 + 5 + 2
    failure.value = 60.0
    assert "failed" in chart.layout.title.text and "Kubernetes" in message.value
    html = app.static_html()
    assert html.startswith(KERNEL_NOTE) and "plotly" in html.lower()
    # One summary per slider step, the starting step's shown: none fixed to the live scenario.
    assert 'data-frame="1"><p' in html and 'data-frame="5 + fail" hidden>' in html
    assert html.count('class="clustersim-step-panel"') == 6
    assert "three dialects" in app._repr_mimebundle_()["text/plain"]


def test_a_move_leaves_the_chart_as_a_figure_drawn_for_its_scenario() -> None:
    """A move sets only the layout that changed: after any path the chart shows what a
    figure drawn afresh for the scenario shows."""
    app = dialects_explorer(times=TIMES)
    (replicas, failure), chart = app.widget.children[0].children, app.widget.children[1]
    for control, value in ((failure, 60.0), (replicas, 5), (failure, 30.0), (failure, -1.0),
                           (replicas, 2), (failure, 120.0)):
        control.value = value
        fresh = readiness_figure(compare_shop(replicas.value, None if failure.value < 0
                                              else failure.value, TIMES)).layout
        for part in ("title", "yaxis", "shapes", "annotations"):
            assert chart.layout[part] == fresh[part], (control.description, value, part)


def test_explorer_shows_simulator_errors_inline(monkeypatch) -> None:
    app = dialects_explorer(times=[0, 20])
    replicas, _ = app.widget.children[0].children
    message = app.widget.children[2]

    def broken(*args, **kwargs):
        raise ValueError("cannot run <shop>")

    monkeypatch.setattr("clustersim.widgets.dialects.compare_shop", broken)
    replicas.value = 4
    assert "Problem" in message.value and "&lt;shop&gt;" in message.value


def test_times_must_ascend() -> None:
    with pytest.raises(ValueError, match="ascending"):
        run_shop("swarm", times=[10, 0])


def test_the_labs_question_on_losing_the_busiest_node_matches_the_runs() -> None:
    """The lab asked "why does Marathon never get there?", yet Kubernetes does not either
    with api 6 and a failure at 30 s: each loses the node of its database, which Swarm (its
    busiest node manager-1, the db on worker-1) keeps."""
    failed = compare_shop(6, 30.0)
    wanted = 1 + 1 + 6 + 2
    ends = {system: run.total_ready()[-1] for system, run in failed.items()}
    assert ends == {"kubernetes": wanted - 1, "marathon": wanted - 1, "swarm": wanted}
    assert failed["swarm"].failed_node == "manager-1"
    back = {system: next(t for t, n in zip(run.times, run.total_ready(), strict=True)
                         if t > 60 and n == wanted - 1)
            for system, run in failed.items() if system != "swarm"}
    assert back["marathon"] < back["kubernetes"]
    cells = json.loads((ROOT / "notebooks" / "three-dialects.ipynb").read_text("utf-8"))["cells"]
    [prose] = ["".join(c["source"]) for c in cells if "What to try next" in "".join(c["source"])]
    assert "Marathon never" not in prose
    assert "only Swarm is back to all ten tasks ready, while Kubernetes and Marathon stay at " \
           "nine" in " ".join(prose.split())


def test_the_explorer_loads_the_example_for_every_count_of_its_slider() -> None:
    """A learner's first move to a new api count finds the example loaded (preload_specs)."""
    from clustersim.scenarios import shop

    shop._shop_specs.cache_clear()
    slider = dialects_explorer(TIMES).widget.children[0].children[0]
    before = shop._shop_specs.cache_info().misses
    for count in range(slider.min, slider.max + 1):
        for system in SYSTEMS:
            shop._shop_specs(system, count)
    assert shop._shop_specs.cache_info().misses == before
