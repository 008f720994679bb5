"""Launch backoff (mesosphere/marathon core/launchqueue/impl/RateLimiter.scala: addDelay,
Delay.increased, cleanUpOverdueDelays)."""

import pytest

from clustersim.marathon.backoff import Backoff


def test_delay_grows_by_the_factor_up_to_the_maximum():
    backoff = Backoff(seconds=1, factor=2, max_launch_delay=5)
    delays = []
    for _ in range(5):
        backoff.add_delay(now=0)
        delays.append(backoff.delay)
    assert delays == [1, 2, 4, 5, 5]


def test_default_factor_1_15():
    backoff = Backoff()
    backoff.add_delay(0)
    backoff.add_delay(0)
    assert backoff.delay == pytest.approx(1.15)
    assert backoff.waiting(1.0) and not backoff.waiting(1.15)


def test_delay_is_dropped_after_a_quiet_max_launch_delay():
    backoff = Backoff(seconds=1, factor=2, max_launch_delay=10)
    backoff.add_delay(0)
    backoff.add_delay(0)          # 2 s, set at 0
    backoff.add_delay(10.5)       # more than 10 s since it was set: overdue, again 1 s
    assert backoff.delay == 1


def test_reset():
    backoff = Backoff()
    backoff.add_delay(5)
    backoff.reset()
    assert not backoff.waiting(5)
