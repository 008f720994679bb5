"""Marathon's duration flags as the simulated framework takes them: its timers' delays and
periods (``--scale_apps_initial_delay``, ``--scale_apps_interval``,
``--reconciliation_initial_delay``, ``--reconciliation_interval``: ``opt[Long]``
milliseconds in d2iq-archive/marathon ``MarathonConf.scala``), given in seconds and checked
where :class:`~clustersim.marathon.framework.Marathon` is built.
"""

from __future__ import annotations

from typing import Any

from clustersim.messages import shorten
from clustersim.numeric import is_number

__all__ = ["MIN_INTERVAL", "duration_flag"]


MIN_INTERVAL = 0.001
"""The shortest period of a Marathon timer, in seconds: its flags (``--scale_apps_interval``,
``--reconciliation_interval``) are whole milliseconds (``opt[Long]`` in ``MarathonConf``,
which sets them no lower bound), so 1 ms is the shortest interval they can name. A shorter
one would only fill a ``run()`` with timer events until ``limits.MAX_RUN_EVENTS`` stops it."""


def duration_flag(name: str, value: Any, least: float) -> float:
    """A duration setting of :class:`~clustersim.marathon.framework.Marathon`, in seconds,
    checked: a finite number at least ``least`` (0 for a delay, :data:`MIN_INTERVAL` for a
    timer's period)."""
    if not is_number(value):
        raise ValueError(f"Marathon: {name} must be a finite number of seconds, e.g. {name}=300, "
                         f"got {shorten(repr(value))} ({type(value).__name__})")
    if value < least:
        floor = "0 seconds" if least == 0 else (
            f"{least:g} seconds (1 ms, the shortest period Marathon's millisecond flags name)")
        raise ValueError(f"Marathon: {name} must be at least {floor}, got {value!r}")
    return float(value)
