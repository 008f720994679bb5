"""Short, safe text about errors and answers for a learner: what checks, widgets and the
command lines show instead of a traceback.

:func:`shorten` cuts a text to :data:`~clustersim.limits.MAX_ECHO_CHARS`, saying how much was
left out; :func:`describe_error` turns any exception into one such line, even one whose
``__str__`` itself raises; :func:`counted` writes a count with its noun in the singular or
the plural ("1 task", "6 tasks").
"""

from __future__ import annotations

from clustersim.limits import MAX_ECHO_CHARS

__all__ = ["counted", "describe_error", "error_text", "shorten"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, plural unless the count is one: ``counted(1, "task")`` is
    "1 task", ``counted(6, "task")`` "6 tasks"; ``plural`` for a noun that takes no "s"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def shorten(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters, with a note of how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters not shown)"


def error_text(err: BaseException) -> str:
    """``str(err)`` on one line and shortened; never raises, even when ``__str__`` does."""
    try:
        text = str(err)
    except Exception:            # e.g. a learner's exception class whose __str__ raises
        text = "(its message could not be shown)"
    return shorten(" ".join(text.split()))


def describe_error(err: BaseException) -> str:
    """One short line about ``err``: the library's own errors (``ValueError`` and its
    subclasses such as ``ManifestError``) by their message, anything else prefixed with its
    type, since it is unexpected and the type says most."""
    text = error_text(err)
    if isinstance(err, ValueError) and text:
        return text
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
