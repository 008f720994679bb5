"""Marathon's timestamps on the wall clock: the instants of its answers (``stagedAt``,
``startedAt``, an event's ``timestamp``) and the versions of app definitions.

Marathon writes an instant as ISO 8601 in UTC with milliseconds
(``2026-12-05T12:00:00.000Z``, d2iq-archive/marathon ``state/Timestamp.scala``). A version is
the time of the change that made it: ``GroupManagerImpl`` stamps each change of the group
tree with ``Timestamp.now()`` and every app it changed takes that version
(``GroupVersioningUtil.updateVersionInfoForChangedApps``). Here simulated seconds become
wall-clock instants by the rule every served simulator follows
(:class:`~clustersim.serve.core.WallClock`: simulated *now* is the wall clock's now, or a fixed
``epoch`` for tests and stored outputs), and a version is the instant of the deployment that
made it (``Deployment.started_at``), fixed when the deployment starts (the framework's next
event, after the clock has been read again) so that a version names one definition for good:
a change made in Python between two requests takes the time it was made, not that of the
next read. Two changes in the same millisecond (simulated time stands still between requests
when the server's speed is 0) take consecutive milliseconds, in the order of their
deployments: Marathon's clock has moved on between two changes.
Simplified: a deployment with nothing to do records no event, so its version is fixed when it
is first shown (through the API, at once).
"""

from __future__ import annotations

from datetime import UTC, datetime

from clustersim.marathon import Marathon
from clustersim.serve.core import WallClock

__all__ = ["MarathonTime"]


class MarathonTime:
    """Instants and versions of one Marathon framework, on ``clock``."""

    def __init__(self, marathon: Marathon, clock: WallClock) -> None:
        self.marathon = marathon
        self.clock = clock
        self._versions: dict[int, int] = {}
        """Milliseconds since the Unix epoch of deployment ``number``'s version, for the
        deployments whose start the framework still keeps (:meth:`Marathon.starts_kept`)."""
        self._fixed = 0
        """The last deployment whose version is fixed."""
        self._last = 0
        """The last version fixed, in milliseconds: the next is later."""
        marathon.events.subscribe(self._changed)

    def _changed(self, event: object) -> None:
        """The framework recorded an event: fix the versions of the deployments started
        since the last one, on the wall clock read now."""
        if self._fixed < self.marathon.deployment_count:
            self.clock.begin()
            self.version(self.marathon.deployment_count)

    def instant(self, seconds: float) -> str:
        """Simulated second ``seconds`` as Marathon writes an instant."""
        return _format(round(self.clock.unix(seconds) * 1000))

    def version(self, number: int) -> str:
        """The version stored by deployment ``number`` (0: before any, simulated second 0;
        beyond the last: the last)."""
        number = min(number, self.marathon.deployment_count)
        if number <= 0:
            return self.instant(0.0)
        if self._fixed < number:
            self._fix(number)
        return _format(self._versions[number])

    def _fix(self, number: int) -> None:
        """Fix the versions of the deployments after the last fixed one up to ``number``,
        each later than the one before, and let go those the framework forgot."""
        kept = self.marathon.starts_kept()
        for later in range(self._fixed + 1, number + 1):
            if later in kept:   # one forgotten before it was shown is never asked for
                millis = round(self.clock.unix(self.marathon.started_at(later)) * 1000)
                self._last = max(millis, self._last + 1)
                self._versions[later] = self._last
        self._fixed = number
        if len(self._versions) > 2 * len(kept):
            self._versions = {n: m for n, m in self._versions.items() if n in kept}

    def number(self, version: object) -> int | None:
        """The deployment whose version ``version`` (a string as a client sends it back,
        any ISO 8601 form) is; ``None`` when it names none."""
        if not isinstance(version, str):
            return None
        try:
            parsed = datetime.fromisoformat(version)
        except ValueError:
            return None
        if parsed.tzinfo is None:
            return None
        millis = round(parsed.timestamp() * 1000)
        self.version(self.marathon.deployment_count)
        return next((n for n, m in self._versions.items() if m == millis), None)


def _format(millis: int) -> str:
    stamp = datetime.fromtimestamp(millis // 1000, UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"
