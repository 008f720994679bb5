"""Simulated time and seeded randomness for one cluster.

A :class:`Clock` wraps a SimPy environment (simulated seconds) and one ``random.Random``
seeded by the cluster's seed. Every random choice a simulator makes draws from that
generator, and SimPy orders simultaneous events by (time, priority, insertion order), so
the same seed gives the same run, event for event.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from typing import Any

import simpy

__all__ = ["Clock"]


class Clock:
    """Simulated seconds (SimPy) plus the cluster's seeded random generator."""

    def __init__(self, seed: int = 0) -> None:
        self.env = simpy.Environment()
        self.seed = seed
        self.random = random.Random(seed)

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

    def run(self, until: float | None = None) -> None:
        """Advance until no event is left, or through the absolute time ``until`` (seconds):
        events due at ``until`` itself are processed too.

        ``until`` earlier than now is refused with a clear message rather than SimPy's.
        """
        if until is None:
            self.env.run()
            return
        if until < self.env.now:
            raise ValueError(
                f"until={until} is in the past: simulated time is already {self.env.now:g} s"
            )
        if until > self.env.now:
            self.env.run(until=until)
        # SimPy stops *before* the events due at ``until`` itself; process them too, so that a
        # snapshot taken at ``until`` shows what happened at that instant (a node marked
        # NotReady at 80 s is NotReady in the snapshot at 80 s).
        while self.env.peek() == until:
            self.env.step()
