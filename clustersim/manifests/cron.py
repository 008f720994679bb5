"""The standard five-field cron schedule that CronJobs use, read once, at load time.

Upstream: robfig/cron v3's standard parser (``parser.go``), which kube-controller-manager's
CronJob controller uses and the API server's validation calls (``ValidateCronJobSpec``): a
schedule it cannot parse is refused when the CronJob is created. The loader checks
``spec.schedule`` with :class:`CronSchedule`, and the simulated CronJob controller
(:mod:`clustersim.kubernetes.controllers.cronjob`) computes its runs with the same class.
"""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = ["UTC_NAMES", "CronSchedule"]

UTC_NAMES = ("UTC", "Etc/UTC")
"""The ``timeZone`` values the simulated CronJob controller runs (it runs in UTC only)."""

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
           "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@hourly": "0 * * * *"}
_FIELDS = (("minute", 0, 59, None), ("hour", 0, 23, None), ("day of month", 1, 31, None),
           ("month", 1, 12, _MONTHS), ("day of week", 0, 7, _DAYS))
"""Day of week 7 is Sunday, like 0."""


def _parse_value(text: str, low: int, names: list[str] | None, field: str, spec: str) -> int:
    if names and text.lower() in names:
        return names.index(text.lower()) + (1 if field == "month" else 0)
    if not text.isdigit():
        raise ValueError(f"cron schedule {spec!r}: {field} value {text!r} is not a number"
                         + (f" or a name ({', '.join(names)})" if names else ""))
    return int(text)


def _parse_field(text: str, field: str, low: int, high: int, names: list[str] | None,
                 spec: str) -> tuple[set[int], bool]:
    """The set of values one field allows, and whether it was ``*`` (or ``?``)."""
    values: set[int] = set()
    star = False
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"cron schedule {spec!r}: step {step_text!r} in the {field} "
                                 "field must be a positive number")
            step = int(step_text)
        top = 6 if field == "day of week" else high       # 7 (Sunday) only when written
        if body in ("*", "?"):
            begin, end = low, top
            star = star or not step_text
        elif "-" in body:
            a, _, b = body.partition("-")
            begin = _parse_value(a, low, names, field, spec)
            end = _parse_value(b, low, names, field, spec)
        else:
            begin = _parse_value(body, low, names, field, spec)
            end = top if step_text else begin
        if not low <= begin <= end <= high:
            raise ValueError(f"cron schedule {spec!r}: {field} {body!r} is outside {low}-{high}")
        values.update(v % 7 if field == "day of week" else v
                      for v in range(begin, end + 1, step))
    return values, star


class CronSchedule:
    """A standard five-field cron schedule (``minute hour day-of-month month day-of-week``).

    Lists, ranges, steps, ``*``/``?``, month and weekday names and the ``@hourly``/``@daily``/
    ``@weekly``/``@monthly``/``@yearly`` macros. As in cron, when both day fields are
    restricted a day matches if either matches; a field written with a step (``*/2``) counts
    as restricted (robfig/cron v3).
    """

    def __init__(self, spec: str) -> None:
        if not isinstance(spec, str) or not spec.strip():
            raise ValueError(f"cron schedule {spec!r} must be a non-empty string such as "
                             "'*/5 * * * *'")
        text = _MACROS.get(spec.strip(), spec.strip())
        if text.startswith(("TZ=", "CRON_TZ=")):
            raise ValueError(f"cron schedule {spec!r}: time zones in the schedule are not "
                             "supported; use spec.timeZone (as upstream requires)")
        parts = text.split()
        if len(parts) != 5:
            raise ValueError(f"cron schedule {spec!r} needs 5 fields (minute hour "
                             f"day-of-month month day-of-week), got {len(parts)}")
        parsed = [_parse_field(p, name, low, high, names, spec)
                  for p, (name, low, high, names) in zip(parts, _FIELDS, strict=True)]
        (self.minutes, _), (self.hours, _), (self.days, dom_star), (self.months, _), \
            (self.weekdays, dow_star) = parsed
        self.dom_star, self.dow_star = dom_star, dow_star
        self.spec = spec

    def _day_matches(self, moment: datetime) -> bool:
        dom = moment.day in self.days
        dow = (moment.isoweekday() % 7) in self.weekdays
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def next_time(self, after: datetime) -> datetime:
        """The first scheduled minute strictly after ``after`` (robfig/cron ``Next``)."""
        moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(366 * 8):
            if moment.month in self.months and self._day_matches(moment):
                for hour in sorted(h for h in self.hours if h >= moment.hour):
                    start = moment.minute if hour == moment.hour else 0
                    minute = next((m for m in sorted(self.minutes) if m >= start), None)
                    if minute is not None:
                        return moment.replace(hour=hour, minute=minute)
            moment = (moment + timedelta(days=1)).replace(hour=0, minute=0)
        raise ValueError(f"cron schedule {self.spec!r} never fires")
