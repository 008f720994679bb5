"""The shared simulated clock."""

from __future__ import annotations

import pytest

from clustersim.sim import Clock


def test_run_until_processes_the_events_due_at_that_instant() -> None:
    """Regression test: SimPy's run(until=t) stops before events at t, so snapshots taken at t
    lagged one sample behind (a NotReady at 80 s showed at the next sample)."""
    clock = Clock()
    seen: list[float] = []
    clock.call_later(10, lambda: seen.append(clock.now))
    clock.call_later(10, lambda: clock.call_later(0, lambda: seen.append(clock.now)))
    clock.run(until=10)
    assert seen == [10.0, 10.0] and clock.now == 10.0
    clock.call_later(5, lambda: seen.append(clock.now))
    clock.run(until=14)
    assert seen == [10.0, 10.0]
    clock.run()
    assert seen == [10.0, 10.0, 15.0]


def test_until_in_the_past_is_refused_and_seeds_repeat() -> None:
    clock = Clock(seed=7)
    clock.run(until=5)
    with pytest.raises(ValueError, match="in the past"):
        clock.run(until=1)
    assert Clock(seed=7).random.random() == Clock(seed=7).random.random()
