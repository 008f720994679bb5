"""The standard five-field cron schedule that CronJobs use, read once, at load time.

Upstream: robfig/cron v3's standard parser (``parser.go``), which kube-controller-manager's
CronJob controller uses and the API server's validation calls (``ValidateCronJobSpec``): a
schedule it cannot parse is refused when the CronJob is created. The loader checks
``spec.schedule`` with :class:`CronSchedule`, and the simulated CronJob controller
(:mod:`clustersim.kubernetes.controllers.cronjob`) computes its runs with the same class.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta

from clustersim.goformat import NumError, atoi
from clustersim.manifests.kubernetes_errors import invalid

__all__ = ["UTC_NAMES", "CronSchedule", "time_zone_problems"]

UTC_NAMES = ("UTC", "Etc/UTC")
"""The ``timeZone`` values the simulated CronJob controller runs (it runs in UTC only)."""

_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")
"""``validTimeZoneCharacters``: one part of an IANA name (its naming rules, with digits and
'+' tolerated for the legacy names)."""


def time_zone_problems(zone: str) -> list[str]:
    """``validateTimeZone``'s problems of a CronJob's ``timeZone`` (kubernetes/kubernetes
    ``pkg/apis/batch/validation/validation.go``), each ``field.Invalid``'s body: an empty
    one, a part of the name that is no IANA name's (``unknown time zone``, then nothing
    else), ``Local`` in any case (the API server's own zone), and a name Go's
    ``time.LoadLocation`` does not find (``unknown time zone Mars/Base``; ``Local``
    itself is found). Here the names are looked up in the IANA database Python's
    ``zoneinfo`` reads (the system's, or the ``tzdata`` package's); Go's
    ``LoadLocation`` reads the system's or the one built into the binary."""
    if not zone:
        return [invalid(zone, "timeZone must be nil or non-empty string")]
    unknown = [invalid(zone, f"unknown time zone {zone}")]
    if any(part in (".", "..") or part.startswith("-") or not _ZONE_PART.fullmatch(part)
           for part in zone.split("/")):
        return unknown
    problems = []
    if zone.lower() == "local":
        problems.append(invalid(zone, "timeZone must be an explicit time zone as defined in "
                                      "https://www.iana.org/time-zones"))
    if zone not in ("UTC", "Local"):
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems += unknown
    return problems

_MONTHS = {name: i + 1 for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_DAYS = {name: i for i, name in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
_MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
           "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@hourly": "0 * * * *"}
_FIELDS: tuple[tuple[int, int, dict[str, int] | None], ...] = (
    (0, 59, None), (0, 23, None), (1, 31, None), (1, 12, _MONTHS), (0, 6, _DAYS))
"""Each field's bounds and names (robfig/cron ``spec.go``): day of week is 0-6, so ``7``
is refused (``end of range (7) above maximum (6): 7``), unlike some crons."""


def _number(expr: str) -> int:
    """``mustParseInt``: ``expr`` as Go's ``strconv.Atoi`` reads it, not negative."""
    try:
        number = atoi(expr)
    except NumError as err:
        raise ValueError(f"failed to parse int from {expr}: {err}") from None
    if number < 0:
        raise ValueError(f"negative number ({number}) not allowed: {expr}")
    return number


def _number_or_name(expr: str, names: dict[str, int] | None) -> int:
    """``parseIntOrName``: a month or weekday name in any case, else a number."""
    if names and expr.lower() in names:
        return names[expr.lower()]
    return _number(expr)


def _parse_range(expr: str, low: int, high: int, names: dict[str, int] | None
                 ) -> tuple[range, bool]:
    """``getRange``: the values ``expr`` (``*``, ``?``, ``N``, ``N-M``, each with an optional
    ``/step``) allows, and whether it is a star without a step; in robfig/cron's order of
    checks and words."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    star = low_and_high[0] in ("*", "?")
    if star:                                     # the rest of "*-5" is not read
        begin, end = low, high
    else:
        begin = _number_or_name(low_and_high[0], names)
        if len(low_and_high) > 2:
            raise ValueError(f"too many hyphens: {expr}")
        end = begin if len(low_and_high) == 1 else _number_or_name(low_and_high[1], names)
    step = 1
    if len(range_and_step) > 2:
        raise ValueError(f"too many slashes: {expr}")
    if len(range_and_step) == 2:
        step = _number(range_and_step[1])
        if len(low_and_high) == 1:               # "N/step" means "N-max/step"
            end = high
    if begin < low:
        raise ValueError(f"beginning of range ({begin}) below minimum ({low}): {expr}")
    if end > high:
        raise ValueError(f"end of range ({end}) above maximum ({high}): {expr}")
    if begin > end:
        raise ValueError(f"beginning of range ({begin}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise ValueError(f"step of range should be a positive number: {expr}")
    return range(begin, end + 1, step), star and len(range_and_step) == 1


def _parse_field(text: str, low: int, high: int, names: dict[str, int] | None
                 ) -> tuple[set[int], bool]:
    """``getField``: the set of values one field allows (its comma-separated ranges, empty
    ones skipped), and whether one of them was ``*`` (or ``?``) without a step."""
    values: set[int] = set()
    star = False
    for expr in filter(None, text.split(",")):
        allowed, is_star = _parse_range(expr, low, high, names)
        values.update(allowed)
        star = star or is_star
    return values, star


def _go_fields(fields: list[str]) -> str:
    """A list of strings as Go's ``%s`` prints a ``[]string``."""
    return "[" + " ".join(fields) + "]"


class CronSchedule:
    """A standard five-field cron schedule (``minute hour day-of-month month day-of-week``).

    Lists, ranges, steps, ``*``/``?``, month and weekday names and the ``@hourly``/``@daily``/
    ``@weekly``/``@monthly``/``@yearly`` macros. As in cron, when both day fields are
    restricted a day matches if either matches; a field written with a step (``*/2``) counts
    as restricted (robfig/cron v3). A schedule the API server refuses raises ValueError with
    its words (``Invalid value: "61 * * * *": end of range (61) above maximum (59): 61``:
    robfig/cron's parser error, which ``validateScheduleFormat`` in kubernetes/kubernetes
    ``pkg/apis/batch/validation`` reports, and its refusal of ``TZ``/``CRON_TZ`` in the
    schedule). ``@every`` durations, which the API server accepts, are refused as not
    simulated.
    """

    def __init__(self, spec: str) -> None:
        if not isinstance(spec, str) or not spec.strip():
            raise ValueError(f"cron schedule {spec!r} must be a non-empty string such as "
                             "'*/5 * * * *'")
        if "TZ" in spec:                         # validateScheduleFormat, on create
            raise ValueError(self._invalid(spec, "cannot use TZ or CRON_TZ in schedule, use "
                                           "timeZone field instead"))
        text = spec
        if spec.startswith("@"):
            if spec.startswith("@every "):
                raise ValueError(f"cron schedule {spec!r}: the API server accepts @every "
                                 "(robfig/cron), but the simulator does not run it; write "
                                 "five fields such as '*/5 * * * *'")
            if spec not in _MACROS:
                raise ValueError(self._invalid(spec, f"unrecognized descriptor: {spec}"))
            text = _MACROS[spec]
        parts = text.split()
        if len(parts) != 5:
            raise ValueError(self._invalid(
                spec, f"expected exactly 5 fields, found {len(parts)}: {_go_fields(parts)}"))
        try:
            parsed = [_parse_field(p, low, high, names)
                      for p, (low, high, names) in zip(parts, _FIELDS, strict=True)]
        except ValueError as err:
            raise ValueError(self._invalid(spec, str(err))) from None
        (self.minutes, _), (self.hours, _), (self.days, dom_star), (self.months, _), \
            (self.weekdays, dow_star) = parsed
        self.dom_star, self.dow_star = dom_star, dow_star
        self.spec = spec

    @staticmethod
    def _invalid(spec: str, detail: str) -> str:
        """The API server's words for a schedule it refuses (``field.Invalid``)."""
        return invalid(spec, detail)

    def _day_matches(self, moment: datetime) -> bool:
        dom = moment.day in self.days
        dow = (moment.isoweekday() % 7) in self.weekdays
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def next_time(self, after: datetime) -> datetime | None:
        """The first scheduled minute strictly after ``after``, or None when there is none
        up to the end of the fifth year after ``after``'s (robfig/cron ``Next``, ``spec.go``:
        it gives up past ``yearLimit``, ``t.Year() + 5``, and returns Go's zero time, which
        the CronJob controller reads as an invalid schedule)."""
        year_limit = (after + timedelta(seconds=1)).year + 5
        moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
        while moment.year <= year_limit:
            if moment.month in self.months and self._day_matches(moment):
                for hour in sorted(h for h in self.hours if h >= moment.hour):
                    start = moment.minute if hour == moment.hour else 0
                    minute = next((m for m in sorted(self.minutes) if m >= start), None)
                    if minute is not None:
                        return moment.replace(hour=hour, minute=minute)
            moment = (moment + timedelta(days=1)).replace(hour=0, minute=0)
        return None
