"""Turn a checking function into one that never shows a learner a traceback.

Whatever a learner types, a check must answer with :class:`Feedback`: a wrong type, a
malformed manifest, a typo in a key. :func:`checker` wraps a function that returns
``Feedback`` (or raises :class:`Wrong` with a hint) so that any other error while reading the
answer becomes a "could not read your answer" feedback that says, in plain words, what each
argument should be (from the check's docstring, ````name``: what it is``) and what was given
(:func:`kind`).
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any, ParamSpec

from clustersim.exercises.feedback import Feedback
from clustersim.messages import error_text

__all__ = ["Wrong", "checker", "kind"]

P = ParamSpec("P")


class Wrong(Exception):  # noqa: N818  (a verdict, not an error)
    """Raised inside a check: the answer is wrong, with a hint for the learner."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


#: Plain names for the shapes a learner types; any other type is named by its class.
_KINDS: dict[type, str] = {
    bool: "True or False", int: "a whole number", float: "a number", str: "text (a str)",
    dict: "a dict", list: "a list", tuple: "a tuple", set: "a set", frozenset: "a set",
    type(None): "None",
}


def kind(value: object) -> str:
    """What ``value`` is, in plain words: "a set", "text (a str)", "None"..."""
    for cls in type(value).__mro__:
        if cls in _KINDS:
            return _KINDS[cls]
    return f"a {type(value).__name__}"


def _expected(function: Callable[..., Any], parameter: str) -> str:
    """What the docstring says ``parameter`` is (````parameter``: the set of nodes ...``),
    with Sphinx roles reduced to their names; '' when it does not say."""
    doc = " ".join((inspect.getdoc(function) or "").split())
    # up to a semicolon or the end of a sentence ("e.g. {...}" does not end one)
    pattern = rf"``{re.escape(parameter)}``(?: \([^)]*\))?: (.+?)(?:;|\.(?= [A-Z])|\.?$)"
    found = re.search(pattern, doc)
    if not found:
        return ""
    return re.sub(r":\w+:`~?([^`]+)`|``([^`]+)``",
                  lambda m: m[1] or m[2], found[1]).replace("`", "")


def unreadable(function: Callable[..., Any], args: tuple[Any, ...],
               kwargs: dict[str, Any], err: Exception) -> Feedback:
    """The feedback for an answer ``function`` could not use: per argument, what was expected
    and what was given; Python's own error only as a detail at the end of the hint."""
    bound = inspect.signature(function).bind_partial(*args, **kwargs).arguments
    wanted = [f"{name} should be {said}" for name in bound if (said := _expected(function, name))]
    given = ", ".join(f"{name} is {kind(value)}" for name, value in bound.items())
    return Feedback(
        False,
        "Your answer could not be read. "
        + (f"{'; '.join(wanted)}. You gave: {given}." if wanted
           else f"It does not have the starter cell's shape (you gave: {given})."),
        "Give each value the shape of the starter cell (types, keys, spelling) and run it "
        f"again. (Detail: {type(err).__name__}: {error_text(err)})",
    )


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
                return unreadable(function, args, kwargs, err)
            return result if isinstance(result, Feedback) else Feedback(True, success)

        return run

    return decorate
