"""An app's task counts and task statistics as Marathon's REST API shows them
(``embed=app.counts``, ``embed=app.taskStats``).

Upstream, d2iq-archive/marathon ``core/appinfo/``: ``TaskCounts`` counts an app's tasks that
are staged, running, healthy (every health check alive) and unhealthy (one not alive);
``TaskStatsByVersion`` groups the tasks four ways, each group shown only when it has tasks
(``TaskStats.forSomeTasks``) and written as ``{"stats": {"counts": ..., "lifeTime": ...}}``:
``totalSummary`` (all), ``startedAfterLastScaling`` (run spec version at or after
``versionInfo.lastScalingAt``), ``withLatestConfig`` (at or after ``lastConfigChangeAt``) and
``withOutdatedConfig`` (before it). ``TaskLifeTime`` gives the average and the median
(the middle one of the sorted list, the upper of two) of the seconds since each running
task started; no ``lifeTime`` when none has started.

Simplified: an instance waiting in the launch queue counts nowhere (it has no task yet); an
instance's run spec version is the definition it runs (a restart or new definition), so a
task counts as started after the last scaling when its instance was last scheduled at or
after that scaling's deployment began.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from clustersim.marathon.state import RUNNING, STAGING, STARTING, AppVersion, Instance
from clustersim.serve.marathonjson import number

__all__ = ["task_counts", "task_stats"]


def task_counts(instances: Sequence[Instance]) -> dict[str, int]:
    """``TaskCounts`` of the instances Marathon keeps running (staged: a task staging or
    starting)."""
    live = [i for i in instances if i.goal == "Running"]
    running = [i for i in live if i.state == RUNNING]
    return {"staged": sum(i.state in (STAGING, STARTING) for i in live),
            "running": len(running),
            "healthy": sum(i.healthy is True for i in running),
            "unhealthy": sum(i.healthy is False for i in running)}


def task_stats(instances: Sequence[Instance], version: AppVersion, scaled_at: float,
               now: float) -> dict[str, Any]:
    """``TaskStatsByVersion`` of an app's instances: ``version`` is its current stored
    version, ``scaled_at`` when the deployment of its last scaling began (simulated s)."""
    tasks = [i for i in instances if i.goal == "Running" and i.placed]
    groups: dict[str, Callable[[Instance], bool]] = {
        "startedAfterLastScaling": lambda i: i.scheduled_at >= scaled_at,
        "withLatestConfig": lambda i: i.version >= version.config_change,
        "withOutdatedConfig": lambda i: i.version < version.config_change,
        "totalSummary": lambda i: True}
    out: dict[str, Any] = {}
    for name, test in groups.items():
        chosen = [i for i in tasks if test(i)]
        if chosen:
            out[name] = {"stats": _stats(chosen, now)}
    return out


def _stats(instances: Sequence[Instance], now: float) -> dict[str, Any]:
    """``TaskStats``: the counts and, once a task runs, its ``lifeTime``."""
    out: dict[str, Any] = {"counts": task_counts(instances)}
    lives = sorted(now - i.running_since for i in instances if i.running_since is not None)
    if lives:
        out["lifeTime"] = {"averageSeconds": number(sum(lives) / len(lives)),
                           "medianSeconds": number(lives[len(lives) // 2])}
    return out
