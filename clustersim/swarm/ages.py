"""How the docker CLI words an age: ``Running 28 seconds ago`` in ``docker service ps``.

docker/cli writes a task's CURRENT STATE as its state, the time since the state's timestamp
through docker/go-units ``HumanDuration``, lower-cased, and ``ago``
(docker/cli ``cli/command/task/formatter.go``, ``CurrentState``;
``vendor/github.com/docker/go-units/duration.go``). ``HumanDuration`` truncates to whole
seconds and minutes, and rounds hours, days, weeks, months (30 days) and years (365 days) to
the nearest one.
"""

_DAY = 24 * 3600.0
_WEEK = 7 * _DAY
_MONTH = 30 * _DAY
_YEAR = 365 * _DAY


def _rounded(seconds: float, unit: float) -> int:
    """go-units' ``roundDuration``: the nearest whole count of ``unit``."""
    return int(seconds / unit + 0.5)


def human_duration(seconds: float) -> str:
    """go-units ``HumanDuration``: ``Less than a second``, ``1 second``, ``28 seconds``,
    ``About a minute``, ``5 minutes``, ``About an hour``, ``3 hours``, ``4 days``,
    ``3 weeks``, ``5 months``, ``2 years``."""
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole < 60:
        return "1 second" if whole == 1 else f"{whole} seconds"
    minutes = int(seconds / 60)
    if minutes < 60:
        return "About a minute" if minutes == 1 else f"{minutes} minutes"
    hours = _rounded(seconds, 3600)
    if hours < 48:
        return "About an hour" if hours == 1 else f"{hours} hours"
    for limit, unit, word in ((2 * _WEEK, _DAY, "days"), (2 * _MONTH, _WEEK, "weeks"),
                              (2 * _YEAR, _MONTH, "months")):
        if seconds < limit:
            return f"{_rounded(seconds, unit)} {word}"
    return f"{_rounded(seconds, _YEAR)} years"


def state_age(state: str, seconds: float) -> str:
    """A task's CURRENT STATE as ``docker service ps`` prints it: ``Running 28 seconds ago``,
    ``Pending less than a second ago``."""
    return f"{state} {human_duration(seconds).lower()} ago"
