"""Launch backoff (d2iq-archive/marathon core/launchqueue/impl/RateLimiter.scala: addDelay,
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
    backoff.add_delay(0)          # 2 s, launches resume at 2
    backoff.add_delay(12.5)       # over for more than 10 s: dropped, again 1 s
    assert backoff.delay == 1


def test_reset():
    backoff = Backoff()
    backoff.add_delay(5)
    backoff.reset()
    assert not backoff.waiting(5)


def test_a_crash_loop_stays_at_the_cap():
    backoff, now = Backoff(seconds=10, factor=2, max_launch_delay=300), 0.0
    for _ in range(9):
        now = backoff.add_delay(now) + 1   # relaunched, fails a second later
    assert backoff.delay == 300


@pytest.mark.parametrize("raw, kind", [
    ({"id": "/web", "cmd": "serve"}, "app"),
    ({"id": "/web", "containers": [{"name": "web", "resources": {"cpus": 0.1, "mem": 32}}]},
     "pod"),
])
def test_the_default_max_launch_delay_is_five_minutes(raw, kind):
    """Marathon 1.8 lowered the default maxLaunchDelay from 1 hour to 5 minutes
    (d2iq-archive/marathon PR #6686, MARATHON-8505); the simulator used the old hour."""
    from clustersim.marathon.runspec import RunSpec

    assert RunSpec.from_manifest(raw, kind).max_launch_delay_seconds == 300
    backoff = Backoff()
    for _ in range(60):
        backoff.add_delay(0)
    assert backoff.delay == 300
