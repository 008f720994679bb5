"""Turn a checking function into one that never shows a learner a traceback.

Whatever a learner types, a check must answer with :class:`Feedback`: a wrong type, a
malformed manifest, a typo in a key. :func:`checker` wraps a function that returns
``Feedback`` (or raises :class:`Wrong` with a hint) so that any other error while reading the
answer becomes a "could not read your answer" feedback naming the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec

from clustersim.exercises.feedback import Feedback
from clustersim.messages import error_text

__all__ = ["Wrong", "checker"]

P = ParamSpec("P")


class Wrong(Exception):  # noqa: N818  (a verdict, not an error)
    """Raised inside a check: the answer is wrong, with a hint for the learner."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def checker(success: str) -> Callable[[Callable[P, Any]], Callable[P, Feedback]]:
    """Decorate a check. It returns ``Feedback``, raises :class:`Wrong`, or returns ``None``
    for success (then ``success`` is the message)."""

    def decorate(function: Callable[P, Any]) -> Callable[P, Feedback]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> Feedback:
            try:
                result = function(*args, **kwargs)
            except Wrong as verdict:
                return Feedback(False, verdict.message, verdict.hint)
            except Exception as err:  # any learner input must end in feedback, never a traceback
                return Feedback(
                    False,
                    f"Your answer could not be read: {type(err).__name__}: {error_text(err)}",
                    "Check the starter cell's shape (types, keys, spelling) and run it again.",
                )
            return result if isinstance(result, Feedback) else Feedback(True, success)

        return run

    return decorate
