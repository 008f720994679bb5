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
        self._versions: list[int] = []
        """Milliseconds since the Unix epoch of deployment number ``i + 1``'s version."""
        marathon.events.subscribe(self._changed)

    def _changed(self, event: object) -> None:
        """The framework recorded an event: fix the versions of the deployments started
        since the last one, on the wall clock read now."""
        if len(self._versions) < self.marathon.deployment_count:
            self.clock.begin()
            self.version(self.marathon.deployment_count)

    def instant(self, seconds: float) -> str:
        """Simulated second ``seconds`` as Marathon writes an instant."""
        return _format(round(self.clock.unix(seconds) * 1000))

    def version(self, number: int) -> str:
        """The version stored by deployment ``number`` (0: before any, simulated second 0)."""
        if number <= 0:
            return self.instant(0.0)
        while len(self._versions) < min(number, self.marathon.deployment_count):
            millis = round(self.clock.unix(self.marathon.started_at(len(self._versions) + 1))
                           * 1000)
            if self._versions and millis <= self._versions[-1]:
                millis = self._versions[-1] + 1
            self._versions.append(millis)
        return _format(self._versions[min(number, len(self._versions)) - 1])

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
        return next((i + 1 for i, m in enumerate(self._versions) if m == millis), None)


def _format(millis: int) -> str:
    stamp = datetime.fromtimestamp(millis // 1000, UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"
