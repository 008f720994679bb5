"""Work a live app does while the learner reads: :class:`IdleWork` computes, one short run at a
time, the scenarios the next move will likely need, so that the move finds them cached
(:mod:`clustersim.memo`) instead of simulating while the learner waits.

It runs on the kernel's event loop (ipykernel handles each widget message as a task on an
asyncio loop in the main thread): after each update the app plans the neighbouring inputs
(a slider one step either way, the other entries of a menu), and the loop runs one planned
job whenever it has nothing else to do. A message from the browser waits at most for the job
in progress (one simulation of one system, a few tens of milliseconds); a new plan replaces
the rest of the old one. With no running event loop (a script, a test, the book's static
rendering) nothing is planned ahead: every run is computed when asked for, as before.

The jobs only fill the caches of seeded, deterministic runs, so they never change what a
move shows, only how soon; a job that fails is dropped (the learner sees the error inline
if they choose those inputs).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as widgets

from clustersim.widgets.base import typed_whole

__all__ = ["IDLE_DELAY", "IdleWork", "choices", "nearby", "nearby_jobs", "plan_grid",
           "plan_nearby"]

IDLE_DELAY = 0.05
"""Seconds the loop waits after an update before the first planned job: a learner who
clicks on at once does not wait for work planned for the value they just left. The next jobs
follow one another, the loop handling any message that came in between."""


class IdleWork:
    """A queue of jobs run one at a time on the running event loop, when it is idle."""

    def __init__(self) -> None:
        self._jobs: deque[Callable[[], object]] = deque()
        self._handle: asyncio.TimerHandle | None = None

    @property
    def pending(self) -> int:
        """Jobs planned and not run yet."""
        return len(self._jobs)

    def plan(self, jobs: Iterable[Callable[[], object]]) -> None:
        """Replace the planned jobs by ``jobs`` (most likely needed first). Without a running
        event loop, nothing is planned."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._jobs.clear()
            return
        self._jobs = deque(jobs)
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(IDLE_DELAY, self._step, loop)

    def _step(self, loop: asyncio.AbstractEventLoop) -> None:
        self._handle = None
        if not self._jobs:
            return
        job = self._jobs.popleft()
        with contextlib.suppress(Exception):  # the learner sees it inline if they go there
            job()
        if self._jobs and not loop.is_closed():   # the loop polls for messages in between
            self._handle = loop.call_later(0, self._step, loop)


def nearby(control: widgets.ValueWidget) -> list[Any]:
    """The values a learner's next move on ``control`` most likely gives it: a slider one
    step down and up, the other entries of a menu, a check box flipped, a whole number typed
    in a text box one less and one more; none for other text."""
    value = control.value
    if isinstance(control, widgets.Text):
        whole = typed_whole(value.strip())
        return [] if whole is None else [str(n) for n in (whole - 1, whole + 1) if n >= 0]
    if isinstance(control, widgets.Checkbox):
        return [not value]
    if isinstance(control, widgets.Dropdown):
        return [v for v in (o[1] if isinstance(o, tuple) else o for o in control.options)
                if v != value]
    if isinstance(control, widgets.IntSlider | widgets.FloatSlider):
        steps = (value - control.step, value + control.step)
        if isinstance(control, widgets.FloatSlider):
            steps = tuple(round(v, 10) for v in steps)
        return [v for v in steps if control.min <= v <= control.max]
    return []


def nearby_jobs(controls: Mapping[str, widgets.ValueWidget],
                calls: Callable[[dict[str, Any]], Iterable[Callable[[], object]]],
                **fixed: Any) -> list[Callable[[], object]]:
    """The runs for every :func:`nearby` value of each control in turn (the others as they
    are, and the names in ``fixed`` at those values): ``calls(values)`` gives the runs (one
    per system) that an update with the controls at ``values`` (name → value) would make."""
    current = {name: control.value for name, control in controls.items()} | fixed
    jobs: list[Callable[[], object]] = []
    for name, control in controls.items():
        for value in nearby(control):
            with contextlib.suppress(Exception):  # inputs an update would refuse: no runs
                jobs += calls({**current, name: value})
    return jobs


def plan_nearby(idle: IdleWork, controls: Mapping[str, widgets.ValueWidget],
                calls: Callable[[dict[str, Any]], Iterable[Callable[[], object]]]) -> None:
    """Plan the runs of :func:`nearby_jobs` (replacing the plan)."""
    idle.plan(nearby_jobs(controls, calls))


def choices(control: widgets.ValueWidget) -> list[Any]:
    """Every value ``control`` can take: a slider's steps, a menu's entries, a check box's
    two states (a text box: its current value only)."""
    if isinstance(control, widgets.Checkbox):
        return [False, True]
    if isinstance(control, widgets.Dropdown):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    if isinstance(control, widgets.IntSlider):
        return list(range(control.min, control.max + 1, control.step))
    return [control.value]


def plan_grid(idle: IdleWork, controls: Mapping[str, widgets.ValueWidget],
              calls: Callable[[dict[str, Any]], Iterable[Callable[[], object]]]) -> None:
    """For an app whose controls have few values between them (a few dozen combinations):
    plan the runs of every combination, nearest to the current values first (fewest steps
    away, counted over all controls), so that any move, not only a step, finds its runs."""
    grid = {name: choices(control) for name, control in controls.items()}
    here = {name: grid[name].index(control.value) if control.value in grid[name] else 0
            for name, control in controls.items()}
    combos = sorted(itertools.product(*(range(len(values)) for values in grid.values())),
                    key=lambda combo: sum(abs(i - here[name])
                                          for i, name in zip(combo, grid, strict=True)))
    jobs: list[Callable[[], object]] = []
    for combo in combos[1:]:      # the first is the current values, already run
        with contextlib.suppress(Exception):
            jobs += calls({name: grid[name][i] for i, name in zip(combo, grid, strict=True)})
    idle.plan(jobs)
