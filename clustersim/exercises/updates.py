"""Checks for the rolling-updates lab: a Kubernetes strategy with a capacity floor and a
surge budget; Marathon's restart strategy computed by hand.

:func:`check_rolling_strategy` resolves the learner's ``maxSurge``/``maxUnavailable`` with
:func:`clustersim.kubernetes.resolve_fenceposts` (kubernetes/kubernetes
``pkg/controller/deployment/util/deployment_util.go``) and rolls a ten-replica Deployment out
in the simulator (:func:`clustersim.scenarios.updates.rolling_update_run`).
:func:`check_restart_strategy` compares with :func:`clustersim.marathon.restart_strategy`
(d2iq-archive/marathon ``TaskReplaceActor.computeRestartStrategy``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

from clustersim.exercises.answers import is_whole, keyed, whole_number
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes import resolve_fenceposts
from clustersim.manifests.kubernetes_errors import invalid, named
from clustersim.marathon import restart_strategy
from clustersim.scenarios.updates import UPDATE_AT, rolling_update_run
from clustersim.viz.capacity import task_counts

__all__ = ["EXERCISE_STRATEGY", "FLOOR", "REPLICAS", "SURGE_BUDGET", "check_restart_strategy",
           "check_rolling_strategy"]

REPLICAS = 10
FLOOR = 8
"""80 % of ``REPLICAS`` must serve at every moment."""
SURGE_BUDGET = 1
EXERCISE_STRATEGY = {"instances": 8, "upgradeStrategy": {"minimumHealthCapacity": 0.6,
                                                          "maximumOverCapacity": 0.25}}


def _int_or_percent(value: object, name: str) -> int | str:
    """``value`` as the API's IntOrString: text kept as it is (the API server judges it), a
    whole number of any numeric type (``1.0``, ``numpy.int64(1)``) as an int."""
    if isinstance(value, str):
        return value
    if not is_whole(value):
        raise Wrong(f"{name} = {value!r} is neither a whole number nor a percentage.",
                    f'Write {name} as 1 or as "10%" (a string with a percent sign).')
    return int(value)


def _share(percent: str, up: bool = False) -> str:
    """How a valid percentage of :data:`REPLICAS` resolves, in words: ``"15 % of 10 is 1.5,
    so 2"`` (rounded up, as maxSurge is) or ``"25 % of 10 is 2.5, so 2"`` (down, as
    maxUnavailable is; ``GetScaledValueFromIntOrPercent`` in apimachinery's ``intstr``)."""
    number = int(percent.rstrip("%"))
    exact = REPLICAS * number / 100
    whole = math.ceil(exact) if up else math.floor(exact)
    return f"{number} % of {REPLICAS} is {exact:g}" + ("" if whole == exact else f", so {whole}")


def _validate_rolling_update(surge: int | str, unavailable: int | str) -> None:
    """Refuse what the API server refuses, in its words (kubernetes/kubernetes
    ``pkg/apis/apps/validation/validation.go``, ``ValidateRollingUpdateDeployment``): a
    negative number, a malformed percentage, maxUnavailable over 100 %, both zero; each
    ``intstr.IntOrString`` shown as the API server shows it (``"10 %"``, never ``'10 %'``)."""
    values = {}
    for name, value in (("maxUnavailable", unavailable), ("maxSurge", surge)):
        where = f"spec.strategy.rollingUpdate.{name}"
        if isinstance(value, str):
            if not re.fullmatch(r"[0-9]+%", value):
                raise Wrong(f"The API server rejects it: {where}: " + invalid(
                            named(value), "a valid percent string must be a numeric string "
                            "followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
                            "validation is '[0-9]+%')"),
                            f"A number in quotes is a string, which the API reads as a "
                            f"percentage: write {value.strip()} without quotes for a count of "
                            f'pods, or "{value.strip()}%".' if value.strip().isdigit() else
                            f'Use a whole number or "N%" for {name}, e.g. 1 or "10%".')
            values[name] = int(value[:-1])
        else:
            values[name] = value
        if values[name] < 0:
            raise Wrong(f"The API server rejects it: {where}: "
                        + invalid(named(value), "must be greater than or equal to 0"),
                        f"{name} counts pods (or a share of replicas): it cannot be "
                        "negative.")
    if isinstance(unavailable, str) and values["maxUnavailable"] > 100:
        raise Wrong("The API server rejects it: spec.strategy.rollingUpdate.maxUnavailable: "
                    + invalid(named(unavailable), "must not be greater than 100%"),
                    "A share of the replicas is at most 100%.")
    if values["maxUnavailable"] == 0 and values["maxSurge"] == 0:
        raise Wrong("The API server rejects it: spec.strategy.rollingUpdate.maxUnavailable: "
                    + invalid(named(unavailable), "may not be 0 when `maxSurge` is 0"),
                    "With no pod above replicas and none below, the rollout could never "
                    "replace a pod: allow one or the other.")


@checker("Right: the rollout never had fewer than 8 of 10 pods serving and never more than "
         "one pod above 10.")
def check_rolling_strategy(max_surge: object, max_unavailable: object) -> None:
    """``max_surge``, ``max_unavailable``: the Deployment's ``rollingUpdate`` values for 10
    replicas that keep 80 % serving with at most one extra pod."""
    surge_in = _int_or_percent(max_surge, "maxSurge")
    unavailable_in = _int_or_percent(max_unavailable, "maxUnavailable")
    _validate_rolling_update(surge_in, unavailable_in)
    try:
        surge, unavailable = resolve_fenceposts(surge_in, unavailable_in, REPLICAS)
    except ValueError as err:
        raise Wrong(f"Kubernetes refuses it: {err}", 'Use a whole number or "N%".') from None
    if surge > SURGE_BUDGET:
        raise Wrong(f"maxSurge {surge_in!r} allows {surge} extra pods over {REPLICAS}.",
                    f"A percentage of maxSurge rounds up ({_share(surge_in, up=True)}): at "
                    "most one extra pod means up to 10 %." if isinstance(surge_in, str)
                    else "maxSurge counts the pods allowed above replicas: the budget is 1.")
    run = rolling_update_run("kubernetes", {"maxSurge": surge_in,
                                            "maxUnavailable": unavailable_in},
                             replicas=REPLICAS)
    during = [s for s in run.snapshots if s.time >= UPDATE_AT]
    serving = task_counts(during, run.owner)["serving"]
    if min(serving) < FLOOR:
        raise Wrong(f"maxUnavailable {unavailable_in!r} lets {unavailable} of {REPLICAS} pods be "
                    f"unavailable: only {min(serving)} served at t = {run.marks.low_at:g} s.",
                    f"{REPLICAS} − maxUnavailable must stay ≥ {FLOOR}; a percentage of "
                    "maxUnavailable rounds down "
                    f"({_share(unavailable_in if isinstance(unavailable_in, str) else '25%')}).")
    if serving[-1] < REPLICAS:
        raise Wrong("The rollout did not finish within the simulated four minutes.",
                    "Allow some progress: maxSurge or maxUnavailable must be more than 0.")


def _triple(answer: object) -> tuple[int, int, int]:
    if isinstance(answer, Mapping):
        keys = ("min_healthy", "max_capacity", "kill_immediately")
        answer = [keyed(answer, keys)[k] for k in keys]
    if isinstance(answer, str) or not isinstance(answer, Sequence) or len(answer) != 3:
        raise Wrong("The answer must be three numbers: (min_healthy, max_capacity, "
                    "kill_immediately).", "Fill in the starter's tuple.")
    if any(v is None for v in answer):
        raise Wrong("You have not filled in all three numbers yet.", "Replace each None.")
    for value, name in zip(answer, ("min_healthy", "max_capacity", "kill_immediately"),
                           strict=True):
        if isinstance(value, str):
            whole_number(value, name)  # refuses text, and tells "5" to drop its quotes
    if not all(is_whole(v) for v in answer):
        raise Wrong(f"{tuple(answer)!r} are not three whole numbers.",
                    "Instances are counted in whole numbers: round as Marathon does.")
    return int(answer[0]), int(answer[1]), int(answer[2])


@checker("Right: ceil(8 × 0.6) = 5 must stay healthy, floor(8 × 1.25) = 10 may run, so 8 − 5 "
         "= 3 old instances are killed at once.")
def check_restart_strategy(answer: object) -> None:
    """``answer``: ``(min_healthy, max_capacity, kill_immediately)`` for
    :data:`EXERCISE_STRATEGY` with all 8 instances running and healthy."""
    mine = _triple(answer)
    instances = EXERCISE_STRATEGY["instances"]
    strategy = EXERCISE_STRATEGY["upgradeStrategy"]
    truth = restart_strategy(instances, strategy, instances, instances)
    if mine == truth:
        return
    health, over = strategy["minimumHealthCapacity"], strategy["maximumOverCapacity"]
    if mine[0] != truth[0]:
        hint = ("Marathon rounds the minimum up (ceil), so that at least that share stays "
                "healthy." if mine[0] == math.floor(instances * health)
                else "min_healthy = ceil(instances × minimumHealthCapacity).")
        raise Wrong(f"min_healthy {mine[0]} is not it.", hint)
    if mine[1] != truth[1]:
        hint = ("The maximum rounds down (floor) and counts all instances, old and new: "
                "instances × (1 + maximumOverCapacity)." if mine[1] in (
                    math.ceil(instances * (1 + over)), math.floor(instances * over))
                else "max_capacity = floor(instances × (1 + maximumOverCapacity)).")
        raise Wrong(f"max_capacity {mine[1]} is not it.", hint)
    raise Wrong(f"kill_immediately {mine[2]} is not it.",
                "Marathon kills at once every healthy old instance above min_healthy: "
                "healthy − min_healthy.")
