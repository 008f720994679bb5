"""What counts as a number, and as a whole number, in what a learner types or computes.

A learner's arithmetic gives ints, floats and NumPy scalars alike (``2 * 2.5``,
``numpy.ceil(...)``): the decision helper (:func:`clustersim.decision.rank`) and the exercise
checks (:mod:`clustersim.exercises.answers`) read them by the same two rules, so that a
weight a check accepts is one ``rank()`` accepts too.
"""

from __future__ import annotations

import math
import numbers
from typing import SupportsInt, TypeGuard

__all__ = ["is_number", "is_whole"]


def is_number(value: object) -> TypeGuard[float]:
    """A finite real number of any numeric type (int, float, ``numpy.int64``, ``numpy.float64``);
    never a bool, inf or nan, nor an int too large for a float (``10**400``), which the
    arithmetic of its readers (``math.isclose``, ``float``) cannot take."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:             # math.isfinite converts an int to a float first
        return False


def is_whole(value: object) -> TypeGuard[SupportsInt]:
    """A whole number of any numeric type a learner's arithmetic may give: int, 6.0, or a
    NumPy scalar (``numpy.int64(6)``, ``numpy.ceil``'s ``6.0``); never a bool, inf or nan."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return isinstance(value, numbers.Integral) or (math.isfinite(value)
                                                   and float(value).is_integer())
