"""Idle work of the live apps (:mod:`clustersim.widgets.idle`): what is planned, that it runs
only on a running event loop, and that a move it prepared shows what a fresh run shows."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import ipywidgets as widgets

from clustersim.scenarios.healing import node_failure_run
from clustersim.scenarios.shop import compare_shop, run_shop
from clustersim.scenarios.updates import rolling_update_run
from clustersim.widgets import dialects_explorer, healing_app, updates_app
from clustersim.widgets.base import LiveApp
from clustersim.widgets.idle import IdleWork, choices, nearby, plan_grid, plan_nearby

T = TypeVar("T")


def in_own_thread(work: Callable[[], T]) -> T:
    """``work()`` in a thread of its own, so that the test alone decides whether an event loop
    runs: in a whole test session Playwright's sync API (the ``browser`` fixture) keeps a loop
    running in the main thread, where ``asyncio.run`` refuses to start and plans would wait on
    a loop that never idles."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def test_nearby_values_are_one_step_the_other_entries_or_the_flip() -> None:
    assert nearby(widgets.IntSlider(value=30, min=20, max=200, step=10)) == [20, 40]
    assert nearby(widgets.IntSlider(value=20, min=20, max=200, step=10)) == [30]
    assert nearby(widgets.FloatSlider(value=0.7, min=0, max=1, step=0.1)) == [0.6, 0.8]
    assert nearby(widgets.Dropdown(options=[("a", 1), ("b", 2), ("c", 3)], value=2)) == [1, 3]
    assert nearby(widgets.Checkbox(value=False)) == [True]
    assert nearby(widgets.Text(value="2")) == ["1", "3"]
    assert nearby(widgets.Text(value="0")) == ["1"]
    assert nearby(widgets.Text(value="25%")) == []
    assert nearby(widgets.Text(value="²")) == []          # a digit to isdigit, not to int
    assert nearby(widgets.Text(value="1" * 5000)) == []   # past int()'s digit limit
    assert choices(widgets.IntSlider(value=3, min=1, max=6)) == [1, 2, 3, 4, 5, 6]


def test_without_a_running_loop_nothing_is_planned() -> None:
    idle = IdleWork()
    ran: list[int] = []
    in_own_thread(lambda: idle.plan([lambda: ran.append(1)]))
    assert idle.pending == 0 and ran == []


def test_a_grid_is_planned_nearest_first_and_each_job_runs_once_on_the_loop() -> None:
    slider = widgets.IntSlider(value=3, min=1, max=5)
    box = widgets.Checkbox(value=False)
    seen: list[tuple[int, bool]] = []

    def calls(values: dict) -> list:
        return [lambda: seen.append((values["n"], values["on"]))]

    async def main() -> IdleWork:
        idle = IdleWork()
        plan_grid(idle, {"n": slider, "on": box}, calls)
        assert idle.pending == 9                    # 5 x 2 combinations, less the current one
        await asyncio.sleep(0.3)
        return idle

    assert in_own_thread(lambda: asyncio.run(main())).pending == 0
    assert seen[:3] == [(2, False), (3, True), (4, False)]   # one step away first
    assert len(set(seen)) == 9 and (3, False) not in seen

    async def nearby_only() -> None:
        idle = IdleWork()
        plan_nearby(idle, {"n": slider, "on": box}, calls)
        await asyncio.sleep(0.2)

    seen.clear()
    in_own_thread(lambda: asyncio.run(nearby_only()))
    assert seen == [(2, False), (4, False), (3, True)]


def test_a_move_prepared_while_idle_is_served_cached_and_equals_a_fresh_run() -> None:
    run_shop.cache_clear()

    async def main() -> widgets.Widget:
        app = dialects_explorer()
        # the learner reads; idle work runs: api 2, a failure at 30 s, then api 4
        await until(lambda: run_shop.cached() >= 12)
        before = run_shop.cached()
        app.widget.children[0].children[0].value = 4
        assert run_shop.cached() == before          # nothing simulated for the move
        return app

    app = in_own_thread(lambda: asyncio.run(main()))
    chart = app.widget.children[1]
    fresh = {s: run_shop.__wrapped__(s, api_replicas=4) for s in ("kubernetes", "marathon",
                                                                   "swarm")}
    assert [list(t.y) for t in chart.data] == [r.total_ready() for r in fresh.values()]
    assert compare_shop(4) == fresh


async def until(done: Callable[[], bool], limit: float = 20.0) -> None:
    """Let the loop run (idle work included) until ``done()``, at most ``limit`` seconds."""
    for _ in range(int(limit / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the idle work did not finish in time")


def test_healing_plans_each_systems_own_knob_only() -> None:
    node_failure_run.cache_clear()

    async def main() -> None:
        healing_app()
        # defaults (3 runs), then fail_at 20 and 40 (6), tolerationSeconds 290 and 310 for
        # Kubernetes only (2)
        await until(lambda: node_failure_run.cached() >= 11)

    in_own_thread(lambda: asyncio.run(main()))
    cached = node_failure_run.cached()
    node_failure_run("kubernetes", node="node-1", fail_at=30, recover_at=None,
                     toleration_seconds=310)
    assert node_failure_run.cached() == cached       # planned: served from the cache
    node_failure_run("marathon", node="node-1", fail_at=30, recover_at=None,
                     toleration_seconds=310)
    assert node_failure_run.cached() == cached + 1   # never planned: simulated now


def test_building_an_app_freezes_the_long_lived_heap_for_the_cycle_collector() -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    app = dialects_explorer()
    assert gc.get_freeze_count() > 0 and gc.is_tracked(app.widget)
    gc.unfreeze()


class _Cycle:
    """An object that refers to itself: freed only by the cycle collector."""

    me: _Cycle


def test_building_an_app_does_not_freeze_the_garbage_it_finds() -> None:
    """A finished run's cluster is cyclic garbage that reached the oldest generation (runs
    defer full collections); freezing it would keep it until the kernel ends."""
    gc.unfreeze()
    garbage = _Cycle()
    garbage.me = garbage
    gone = weakref.ref(garbage)
    gc.collect()                  # it survives into the oldest generation
    del garbage
    try:
        LiveApp(widgets.HTML(), lambda: "")
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()


def test_updates_shows_the_system_chosen_whatever_another_system_s_text_box_holds() -> None:
    app = updates_app()
    controls = app.controls
    controls["maxSurge"].value = "²"     # refused for Kubernetes, with its own message
    controls["system"].value = "marathon"
    assert "Problem" not in controls["message"].value


def test_updates_plans_the_other_systems_own_controls_too() -> None:
    rolling_update_run.cache_clear()

    async def main() -> None:
        app = updates_app()
        controls = app.controls
        # built (1), shown (1); then for Kubernetes: the other systems (2), failing (1); then
        # Marathon's sliders (2: 0.9 each, 1.1 is off the scale) and Swarm's controls (6)
        await until(lambda: rolling_update_run.cached() >= 13)
        cached = rolling_update_run.cached()
        controls["system"].value = "swarm"
        controls["parallelism"].value = 2
        assert rolling_update_run.cached() == cached   # both runs were ready
        assert "Problem" not in controls["message"].value

    in_own_thread(lambda: asyncio.run(main()))
