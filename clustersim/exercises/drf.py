"""Checks for the DRF lab: dominant shares by hand, and choosing weights."""

from __future__ import annotations

from fractions import Fraction

from clustersim.exercises.answers import choice, is_number, keyed
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.feedback import Feedback
from clustersim.node import Node

__all__ = ["check_dominant_shares", "check_weights"]

# Cluster: 12 CPUs and 24 GiB. Framework X runs 4 tasks of <1 CPU, 3 GiB>;
# framework Y runs 2 tasks of <2 CPUs, 1 GiB>.
_TOTAL = {"cpus": 12, "mem": 24}
_RUNNING = {"X": (4, 1, 3), "Y": (2, 2, 1)}


def _expected() -> dict[str, Fraction]:
    return {
        name: max(Fraction(n * cpus, _TOTAL["cpus"]), Fraction(n * mem, _TOTAL["mem"]))
        for name, (n, cpus, mem) in _RUNNING.items()
    }


def _share(value: object, name: str) -> Fraction:
    """``value`` (a number or a fraction as text) as a fraction, or :class:`Wrong` saying what
    is wrong with it: not a number, or a fraction over zero."""
    hint = 'Write a share as a number (0.25) or a fraction in quotes ("1/4").'
    try:
        return Fraction(str(value).strip()).limit_denominator(1000)
    except ZeroDivisionError:
        raise Wrong(f"{name}: {value!r} divides by zero.",
                    "A dominant share is a part of the cluster's total, from 0 to 1: divide "
                    'what the framework uses by the total, e.g. "3/16".') from None
    except (ValueError, OverflowError):    # not a number; inf
        raise Wrong(f"{name}: {value!r} is not a number.", hint) from None


@checker("Right: X's dominant share is 1/2 (memory, 12 of 24 GiB); Y's is 1/3 (CPU, 4 of 12). "
         "DRF offers the next resources to Y.")
def check_dominant_shares(answer: object) -> None:
    """``answer``: {"X": share, "Y": share, "next": "X" or "Y"}."""
    answer = keyed(answer, ("X", "Y", "next"))
    expected = _expected()
    for name in ("X", "Y"):
        if answer[name] is None or isinstance(answer[name], bool):
            raise Wrong(f"You have not filled in {name}'s dominant share yet.",
                        'Write it as a number (0.25) or as a fraction in quotes ("1/4").')
        given = _share(answer[name], name)
        if abs(given - expected[name]) > Fraction(1, 200):   # 0.333 is fine for 1/3
            n, cpus, mem = _RUNNING[name]
            raise Wrong(
                f"{name}'s dominant share is not {answer[name]}.",
                f"{name} uses {n * cpus} of {_TOTAL['cpus']} CPUs and {n * mem} of "
                f"{_TOTAL['mem']} GiB: its dominant share is the larger of the two fractions.",
            )
    if choice(answer["next"], ("X", "Y"), "next") != min(expected, key=expected.get):
        raise Wrong("DRF does not offer to that framework next.",
                    "DRF offers first to the framework with the lowest dominant share.")


@checker("Right: with B's weight at 5, A runs 2 tasks and B runs 10.")
def check_weights(weight_b: object) -> Feedback | None:
    """Choose B's weight so that B runs five times as many tasks as A (12 CPUs, equal tasks)."""
    from clustersim.scenarios.drf import share_cluster

    if isinstance(weight_b, str):
        try:
            weight_b = float(weight_b)
        except ValueError:
            raise Wrong(f"{weight_b!r} is not a number.", "Give a number such as 2.") from None
    if not is_number(weight_b) or weight_b <= 0:
        raise Wrong(f"{weight_b!r} is not a positive weight.", "Give a number such as 2.")
    agents = Node.many(3, "agent", cpu=4, memory="16Gi")
    outcome = {s.framework: s.tasks for s in
               share_cluster(agents, {"A": (1, 1), "B": (1, 1)}, {"B": float(weight_b)})}
    if outcome["B"] != 5 * outcome["A"]:
        raise Wrong(f"With weight {weight_b}, A runs {outcome['A']} and B runs {outcome['B']}.",
                    "Weighted DRF makes dominant shares proportional to the weights.")
    if float(weight_b) != 5:   # right by the outcome, but not the proportional weight
        return Feedback(True, f"Right: with B's weight at {float(weight_b):g}, A runs "
                        f"{outcome['A']} tasks and B runs {outcome['B']}. The proportional "
                        "weight is 5 (B's share 10/12 is five times A's 2/12); with 12 whole "
                        "tasks to share, nearby weights end in the same split.")
    return None
