"""Checks for the DRF lab: dominant shares by hand, and choosing weights."""

from __future__ import annotations

import itertools
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
    """``value`` (a number, a fraction, with or without spaces around its slash, or a
    percentage as text) as a fraction, or
    :class:`Wrong` saying what is wrong with it: not a number, a fraction over zero, or more
    than the whole cluster (50 for 50 %, or "150%")."""
    hint = 'Write a share as a number (0.25), a fraction in quotes ("1/4") or "25%".'
    text = "/".join(part.strip() for part in str(value).strip().split("/"))   # "1 / 2"
    percent = text.endswith("%")
    try:
        share = Fraction(text.removesuffix("%").strip()).limit_denominator(1000)
    except ZeroDivisionError:
        raise Wrong(f"{name}: {value!r} divides by zero.",
                    "A dominant share is a part of the cluster's total, from 0 to 1: divide "
                    'what the framework uses by the total, e.g. "3/16".') from None
    except (ValueError, OverflowError):    # not a number; inf
        raise Wrong(f"{name}: {value!r} is not a number.", hint) from None
    if percent:
        share /= 100
    if share > 1:
        raise Wrong(f"{name}: {value!r} is more than the whole cluster.",
                    "A share is a fraction of the total, from 0 to 1 (at most 100%): write "
                    '0.25, "1/4" or "25%", not 25.')
    return share


_NEXT_ALIASES = {f"{word} {name}": name for name in ("X", "Y")
                 for word in ("framework", "fw")}
"""A framework named with the word "framework" before it, read as its name."""

_NEXT_WORDS = {
    **dict.fromkeys(("both", "either", "tie", "equal"),
                    "The allocator offers to one framework at a time, and X's and Y's dominant "
                    "shares differ: it picks the framework whose dominant share is lowest."),
    **dict.fromkeys(("none", "neither", "nobody"),
                    "While resources are free, the allocator keeps offering them: the next offer "
                    "goes to the framework whose dominant share is lowest."),
}
"""Words a learner may give for the next framework that name neither (the allocator's order:
apache/mesos ``src/master/allocator/mesos/sorter/drf/sorter.cpp``, lowest share first)."""


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
    if choice(answer["next"], ("X", "Y"), "next", aliases=_NEXT_ALIASES,
              plausible=_NEXT_WORDS) != min(expected, key=expected.get):
        raise Wrong("DRF does not offer to that framework next.",
                    "DRF offers first to the framework with the lowest dominant share.")


def _split(weight_b: Fraction) -> tuple[int, int]:
    """How many tasks A and B run on the exercise's cluster with B's weight ``weight_b``."""
    from clustersim.scenarios.drf import share_cluster

    agents = Node.many(3, "agent", cpu=4, memory="16Gi")
    outcome = {s.framework: s.tasks for s in
               share_cluster(agents, {"A": (1, 1), "B": (1, 1)}, {"B": float(weight_b)})}
    return outcome["A"], outcome["B"]


def _weight_text(weight: Fraction) -> str:
    """A weight as a short decimal when it is one (4.5), else as a fraction (5/6)."""
    decimal = f"{float(weight):g}"
    return decimal if Fraction(decimal) == weight else f"{weight.numerator}/{weight.denominator}"


def _same_split_range(weight_b: Fraction, tasks: int) -> str:
    """The weights of B that end in the same split as ``weight_b``, in words.

    Weighted DRF offers next to the role of least share / weight; with equal tasks that
    compares A's count with B's count / weight, so the split can only change at a weight
    b / a of two counts up to ``tasks``. The model is run at each such weight and between
    them, outward from ``weight_b``, while the split stays the same.
    """
    split = _split(weight_b)
    ratios = sorted({Fraction(b, a) for a in range(1, tasks + 1) for b in range(1, tasks + 1)})
    points = sorted({*ratios, *((x + y) / 2 for x, y in itertools.pairwise(ratios)),
                     ratios[-1] + 1, weight_b})
    here = points.index(weight_b)
    low = here
    while low > 0 and _split(points[low - 1]) == split:
        low -= 1
    high = here
    while high < len(points) - 1 and _split(points[high + 1]) == split:
        high += 1
    if points[low] in ratios:
        bounds = [f"from {_weight_text(points[low])}"]
    else:
        bounds = [f"above {_weight_text(points[low - 1])}" if low else "above 0"]
    if points[high] in ratios:
        bounds.append(f"up to {_weight_text(points[high])}")
    elif high < len(points) - 1:
        bounds.append(f"below {_weight_text(points[high + 1])}")
    return f"any weight {' and '.join(bounds)} gives the same {split[0]}:{split[1]} split"


@checker("Right: with B's weight at 5, A runs 2 tasks and B runs 10.")
def check_weights(weight_b: object) -> Feedback | None:
    """Choose B's weight so that B runs five times as many tasks as A (12 CPUs, equal tasks)."""
    if isinstance(weight_b, str):
        try:
            weight_b = float(weight_b)
        except ValueError:
            raise Wrong(f"{weight_b!r} is not a number.", "Give a number such as 2.") from None
    if not is_number(weight_b) or weight_b <= 0:
        raise Wrong(f"{weight_b!r} is not a positive weight.", "Give a number such as 2.")
    weight = Fraction(float(weight_b))
    a, b = _split(weight)
    if b != 5 * a:
        raise Wrong(f"With weight {weight_b}, A runs {a} and B runs {b}: "
                    f"{_same_split_range(weight, a + b)}.",
                    "Weighted DRF makes dominant shares proportional to the weights.")
    if weight != 5:   # right by the outcome, but not the proportional weight
        return Feedback(True, f"Right: with B's weight at {float(weight):g}, A runs {a} tasks "
                        f"and B runs {b}. The proportional weight is 5 (B's share {b}/{a + b} "
                        f"is five times A's {a}/{a + b}); with {a + b} whole tasks to share, "
                        f"{_same_split_range(weight, a + b)}.")
    return None
