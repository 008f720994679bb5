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


def test_moving_time_on_leaves_no_event_behind() -> None:
    """A run to a time when nothing is due moves the clock there and leaves the queue as it
    was: SimPy's own run(until) left an empty event queued at that time, which the next run
    then processed (and counted among its events): half the events of a run recorded every
    second."""
    clock = Clock()
    clock.call_later(2.5, lambda: None)
    for second in (1.0, 2.0):
        clock.run(until=second)
        assert clock.now == second and clock.env.peek() == 2.5
    clock.run(until=3.0)
    assert clock.env.peek() == float("inf")
    clock.run(until=4.0)
    assert clock.now == 4.0 and clock.steps == 0


def test_until_in_the_past_is_refused_and_seeds_repeat() -> None:
    clock = Clock(seed=7)
    clock.run(until=5)
    with pytest.raises(ValueError, match="in the past"):
        clock.run(until=1)
    assert Clock(seed=7).random.random() == Clock(seed=7).random.random()


def _order(cheap: set[str]) -> list[str]:
    """The order in which timers fire when those named in ``cheap`` use ``call_after`` and
    the others ``call_later``; a raw timeout set in between and a timer set by a firing
    action compete for the same instants."""
    clock = Clock(0)
    seen: list[str] = []

    def later(name: str, delay: float, then=None) -> None:
        def action() -> None:
            seen.append(name)
            if then is not None:
                then()

        (clock.call_after if name in cheap else clock.call_later)(delay, action)

    later("a", 1.0, lambda: later("c", 0.0))
    clock.timeout(1.0).callbacks.append(lambda _: seen.append("raw"))
    later("b", 1.0)
    clock.timeout(1.0).callbacks.append(lambda _: seen.append("raw2"))
    later("d", 0.0)
    clock.run()
    return seen


def test_call_after_fires_where_a_process_would() -> None:
    expected = _order(set())
    assert expected == ["d", "raw", "raw2", "a", "b", "c"]
    for cheap in ({"a"}, {"b", "c"}, {"a", "b", "c", "d"}):
        assert _order(cheap) == expected


@pytest.mark.parametrize("seed", ["x", 1.5, None, True])
def test_a_seed_that_is_not_a_whole_number_is_named(seed) -> None:
    """place(..., seed="x") had been reported as the manifest's fault (a TypeError deep in
    the API server's name generator)."""
    from clustersim.examples import example_path
    from clustersim.explore import place
    for call in (lambda: Clock(seed), lambda: place(example_path("kubernetes"), seed=seed)):
        with pytest.raises(ValueError, match=rf"^seed must be a whole number .*got {seed!r}$"):
            call()
