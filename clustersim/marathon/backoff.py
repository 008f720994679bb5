"""Launch backoff: how long Marathon waits before relaunching an app whose tasks keep failing.

Source: d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/core/launchqueue/impl/
RateLimiter.scala`` (``addDelay``, ``Delay.increased``, ``resetDelay``,
``cleanUpOverdueDelays``), docs ``docs/docs/rest-api`` (``backoffSeconds``,
``backoffFactor``, ``maxLaunchDelaySeconds``):

- the first failure delays launches by ``backoffSeconds``; each further failure multiplies
  the delay by ``backoffFactor``, up to ``maxLaunchDelaySeconds``:
  ``delay_n = min(backoffSeconds × backoffFactor^(n-1), maxLaunchDelaySeconds)``;
- the delay is reset when the app is restarted with a new configuration, and it is dropped
  (the next failure starts again at ``backoffSeconds``) once it has been over for
  ``maxLaunchDelaySeconds`` without a new failure. Upstream, a periodic
  ``cleanUpOverdueDelays`` drops delays, and its condition changed between versions (early:
  the deadline has passed; last: ``maxLaunchDelay`` since the delay was set); the rule here
  keeps a crash loop at the cap, as the docs describe it.

Time left is counted on whole milliseconds, as Marathon's instants are (``state/
Timestamp.scala``: ``until`` is a ``Duration`` cut to milliseconds): simulated seconds are
floats, and ``until - now`` for a 5 s delay set at second 252.025 is 4.99999999999997, which
would cut a whole second off ``GET /v2/queue``'s ``timeLeftSeconds``. Launches resume once no
millisecond is left (``TaskLauncherActor.launchAllowed``: ``launchAllowedAt <= now``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_MAX_LAUNCH_DELAY", "Backoff"]

#: ``AppDefinition.DefaultMaxLaunchDelay``: 5 minutes since d2iq-archive/marathon PR #6686
#: (MARATHON-8505, merged November 2018; the sources read do not name the first release that
#: has it); 1 hour before.
DEFAULT_MAX_LAUNCH_DELAY = 300.0


@dataclass
class Backoff:
    """The launch delay of one app."""

    seconds: float = 1.0
    factor: float = 1.15
    max_launch_delay: float = DEFAULT_MAX_LAUNCH_DELAY
    delay: float = 0.0
    until: float = 0.0

    def add_delay(self, now: float) -> float:
        """A task failed at ``now``: lengthen the delay; return the time launches resume."""
        overdue = self.delay and now > self.until + self.max_launch_delay
        if not self.delay or overdue:
            self.delay = min(self.seconds, self.max_launch_delay)
        else:
            self.delay = min(self.delay * self.factor, self.max_launch_delay)
        self.until = now + self.delay
        return self.until

    def reset(self) -> None:
        self.delay, self.until = 0.0, 0.0

    def left(self, now: float) -> float:
        """The seconds the delay still holds launches back at ``now``, on whole
        milliseconds (rounded, which drops the float noise of simulated seconds); 0 once it
        has run out or none was set."""
        return max(0, round((self.until - now) * 1000)) / 1000

    def waiting(self, now: float) -> bool:
        """Whether launches are still held back at ``now``: a millisecond of the delay is
        left."""
        return self.left(now) > 0
