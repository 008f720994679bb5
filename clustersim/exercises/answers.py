"""Read the two simplest answer shapes of the chapter exercises: one choice among named
options, and a label for each item of a fixed list.

Both give a specific hint for every wrong choice or label (the hints are the exercise's
teaching), and a plain one for answers of the wrong shape, so that a check built on them never
shows a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping

from clustersim.exercises.checker import Wrong

__all__ = ["classify", "pick", "whole_number"]


def _word(value: object) -> str | None:
    return " ".join(value.casefold().split()) if isinstance(value, str) else None


def pick(answer: object, right: str, hints: Mapping[str, str]) -> None:
    """``answer`` must be the option ``right``; ``hints`` gives every wrong option its hint."""
    options = sorted({right, *hints})
    if answer is None:
        raise Wrong("You have not chosen yet.",
                    f"Replace None with one of {', '.join(map(repr, options))}.")
    word = _word(answer)
    if word not in options:
        raise Wrong(f"{answer!r} is not one of the options.",
                    f"Answer with one of {', '.join(map(repr, options))}.")
    if word != right:
        raise Wrong(f"{word!r} is not the best answer.", hints[word])


def classify(answer: object, truth: Mapping[str, str], labels: tuple[str, ...],
             hints: Mapping[str, str]) -> None:
    """``answer`` maps every key of ``truth`` to one of ``labels``; the first wrong item
    raises :class:`Wrong` with that item's hint (``hints[item]``) and a count of the wrong ones."""
    if not isinstance(answer, Mapping):
        raise Wrong("The answer must be a dict, as in the starter cell.",
                    "Keep the starter's keys.")
    missing = [k for k in truth if k not in answer]
    extra = [k for k in answer if k not in truth]
    if missing or extra:
        raise Wrong(f"The keys must be exactly the starter's ({len(missing)} missing, "
                    f"{len(extra)} unknown).", "Keep the keys as given; change only the values.")
    unlabelled = [k for k in truth if _word(answer[k]) not in labels]
    if unlabelled:
        raise Wrong(f"{len(unlabelled)} item(s) have no valid label yet, e.g. {unlabelled[0]!r}: "
                    f"{answer[unlabelled[0]]!r}.", f"Use one of {', '.join(map(repr, labels))}.")
    wrong = [k for k in truth if _word(answer[k]) != truth[k]]
    if wrong:
        first = wrong[0]
        raise Wrong(f"{len(wrong)} of {len(truth)} are wrong; the first: {first!r} is not "
                    f"{_word(answer[first])!r}.", hints[first])


def whole_number(answer: object, what: str) -> int:
    """``answer`` as an int, or :class:`Wrong` naming ``what`` was expected."""
    if answer is None:
        raise Wrong(f"You have not given {what} yet.", "Replace None with a whole number.")
    if isinstance(answer, bool) or not isinstance(answer, int | float) or answer != int(answer):
        raise Wrong(f"{answer!r} is not a whole number ({what}).", "Write a number such as 3.")
    return int(answer)
