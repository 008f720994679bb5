"""How the docker CLI words an age: ``Running 28 seconds ago`` in ``docker service ps``.

docker/cli writes a task's CURRENT STATE as its state, the time since the state's timestamp
through docker/go-units ``HumanDuration``, lower-cased, and ``ago``
(docker/cli ``cli/command/task/formatter.go``, ``CurrentState``;
``vendor/github.com/docker/go-units/duration.go``). ``HumanDuration`` truncates to whole
seconds and minutes, rounds to the nearest hour, and counts whole days, weeks, months (30
days) and years (365 days) in those hours.
"""


def human_duration(seconds: float) -> str:
    """go-units ``HumanDuration``: ``Less than a second``, ``1 second``, ``28 seconds``,
    ``About a minute``, ``5 minutes``, ``About an hour``, ``3 hours``, ``4 days``,
    ``3 weeks``, ``5 months``, ``2 years``. Days, weeks and months are whole divisions of
    the rounded hours, years of the truncated hours, as Go's integer arithmetic has them."""
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole < 60:
        return "1 second" if whole == 1 else f"{whole} seconds"
    minutes = int(seconds / 60)
    if minutes < 60:
        return "About a minute" if minutes == 1 else f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)       # d.Round(time.Hour).Hours()
    if hours < 48:
        return "About an hour" if hours == 1 else f"{hours} hours"
    for limit, per, word in ((24 * 7 * 2, 24, "days"), (24 * 30 * 2, 24 * 7, "weeks"),
                             (24 * 365 * 2, 24 * 30, "months")):
        if hours < limit:
            return f"{hours // per} {word}"
    return f"{int(seconds / 3600) // 24 // 365} years"


def state_age(state: str, seconds: float) -> str:
    """A task's CURRENT STATE as ``docker service ps`` prints it: ``Running 28 seconds ago``,
    ``Pending less than a second ago``."""
    return f"{state} {human_duration(seconds).lower()} ago"
