"""Simulated time and seeded randomness for one cluster.

A :class:`Clock` wraps a SimPy environment (simulated seconds) and one ``random.Random``
seeded by the cluster's seed. Every random choice a simulator makes draws from that
generator, and SimPy orders simultaneous events by (time, priority, insertion order), so
the same seed gives the same run, event for event. A run defers the garbage collector's
full collections until it ends (:mod:`clustersim.sim.collection`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from typing import Any

import simpy
from simpy.events import URGENT, Event

from clustersim.limits import MAX_QUIET_SECONDS, MAX_RUN_EVENTS, LimitError, check_until
from clustersim.numeric import is_whole
from clustersim.sim.collection import deferred_full_collections

__all__ = ["Clock"]


_NEVER = float("inf")     # what ``Environment.peek`` gives when no event is left


class _Start(Event):
    """What SimPy's ``Initialize`` is to a process started now: an urgent event at the current
    time whose callback runs once the event being processed is done (simpy
    ``events.Initialize``), here with no generator behind it."""

    def __init__(self, env: simpy.Environment, callback: Callable[[Event], None]) -> None:
        self.env = env
        self.callbacks = [callback]
        self._value = None
        self._ok = True
        env.schedule(self, URGENT)


class Clock:
    """Simulated seconds (SimPy) plus the cluster's seeded random generator."""

    def __init__(self, seed: int = 0, *, start: float = 0.0) -> None:
        """``start``: the simulated time the clock starts at (a swarm made anew on a served
        daemon goes on from the time its predecessor had reached)."""
        if not is_whole(seed):
            raise ValueError(f"seed must be a whole number (it seeds every random choice of "
                             f"the run: same seed, same run), got {seed!r}")
        self.env = simpy.Environment(initial_time=start)
        self.seed = int(seed)
        self.random = random.Random(self.seed)
        self._steps = 0

    @property
    def now(self) -> float:
        """The current simulated time in seconds."""
        return float(self.env.now)

    def process(self, generator: Generator[Any, Any, Any]) -> simpy.Process:
        """Start a SimPy process (a generator that yields timeouts and events)."""
        return self.env.process(generator)

    def timeout(self, delay: float) -> simpy.Timeout:
        """An event that fires ``delay`` simulated seconds from now."""
        return self.env.timeout(delay)

    def call_later(self, delay: float, action: Callable[[], Any]) -> simpy.Process:
        """Run ``action()`` after ``delay`` simulated seconds."""

        def waiter() -> Generator[Any, Any, None]:
            yield self.env.timeout(delay)
            action()

        return self.env.process(waiter())

    def call_after(self, delay: float, action: Callable[[], Any]) -> None:
        """Run ``action()`` ``delay`` simulated seconds from now, at exactly the place among
        simultaneous events that :meth:`call_later`'s process would give it (its timer is
        set when such a process would start), with two events instead of three and no
        generator: the cheap form for a simulator that sets thousands of timers. An error in
        ``action`` leaves ``run()`` at once (a process would keep it for one more event)."""
        env = self.env

        def arm(_: Event) -> None:
            env.timeout(delay).callbacks.append(lambda _: action())

        _Start(env, arm)

    @property
    def steps(self) -> int:
        """Events processed since the current (or last) ``run()`` began."""
        return self._steps

    def start_run(self) -> None:
        """Begin a ``run()`` call: :meth:`step` counts its events from zero."""
        self._steps = 0

    def step(self) -> None:
        """Process the next event, refusing to go past :data:`~clustersim.limits.MAX_RUN_EVENTS`
        events since :meth:`start_run` (a run so busy it would not finish in minutes)."""
        self._steps += 1
        if self._steps > MAX_RUN_EVENTS:
            raise LimitError(
                f"run() stopped at t={self.now:g} s after {MAX_RUN_EVENTS:,} simulated events, "
                "the simulator's limit per call (clustersim.limits.MAX_RUN_EVENTS): something "
                "keeps the cluster busy (a frequent CronJob, fast request streams, a crash "
                "loop); run a shorter span at a time")
        self.env.step()

    def run_until_quiet(self, busy: Callable[[], bool]) -> None:
        """Process events while ``busy()`` and an event is left: the one rule behind every
        simulator's ``run()`` without ``until``. Each simulator says what busy means (work in
        flight: a pod starting, an offer outstanding, a task on its way to RUNNING); periodic
        background work (probes, allocation rounds) does not keep a run going.

        Work still in flight :data:`~clustersim.limits.MAX_QUIET_SECONDS` after the call
        began never ends by itself: :class:`~clustersim.limits.LimitError`, which says to
        give ``until``. :data:`~clustersim.limits.MAX_RUN_EVENTS` applies as to any run.
        """
        self.start_run()
        deadline = self.now + MAX_QUIET_SECONDS
        peek = self.env.peek
        with deferred_full_collections():
            while busy():
                at = peek()
                if at == _NEVER:
                    return
                if at > deadline:
                    raise LimitError(
                        f"run() without until: the cluster did not become quiet within "
                        f"{MAX_QUIET_SECONDS:,.0f} simulated seconds (a day, clustersim.limits."
                        f"MAX_QUIET_SECONDS; now t={self.now:g} s): work that never ends by "
                        "itself (CronJob runs that overlap, a crash loop with unlimited "
                        "restarts) keeps it busy; call run(until=<time in seconds>) instead")
                self.step()

    def run(self, until: float | None = None) -> None:
        """Advance until no event is left, or through the absolute time ``until`` (seconds):
        events due at ``until`` itself are processed too.

        ``until`` must be finite, not in the past and at most
        :data:`~clustersim.limits.MAX_RUN_SECONDS` ahead; a call processes at most
        :data:`~clustersim.limits.MAX_RUN_EVENTS` events (:mod:`clustersim.limits`).
        """
        if until is None:
            self.run_until_quiet(lambda: True)
            return
        self.start_run()
        until = check_until(until, self.now)
        # Events due at ``until`` itself are processed too, so that a snapshot taken at
        # ``until`` shows what happened at that instant (a node marked NotReady at 80 s is
        # NotReady in the snapshot at 80 s).
        with deferred_full_collections():
            while self.env.peek() <= until:
                self.step()
            if until > self.env.now:
                # Nothing is due before ``until``: time moves on to it with an empty event
                # there, as SimPy's ``Environment.run(until)`` does, stepped here without the
                # exception that stops that run and the empty event it leaves queued (half
                # the events of a run recorded every second, and most of its cost; simpy
                # ``core.py``, ``Environment.run`` and ``step``, 4.1).
                self.env.timeout(until - self.env.now)
                self.env.step()
