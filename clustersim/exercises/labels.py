"""How a check reads the label a learner gives an item (:func:`clustersim.exercises.answers.
classify`), and what it says of a word that is none of the exercise's labels.

A label is read in any case, and with spaces, hyphens or underscores between its words, or
none: "left-behind", "Left_Behind" and "leftbehind" are the label "left behind", and "daemon
set", "daemonset" and "Daemon-Set" are "DaemonSet" (whose words are Daemon and Set: a capital
after a small letter starts a word). Nothing else varies: "pin_ned" splits the one word of
"pinned", and "Deployments" is not "Deployment", so both are told what they are instead of
being read as a label. Two labels of one exercise must therefore differ in more than that
(:func:`colliding`), or a typed word could be read as either.

A word that is no label gets the best hint there is (:func:`unknown_label_hint`): the
exercise's own hint for a plausible word (a term from the field that is not among the labels,
a label of the next question), else the label it nearly spells, else the labels.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

__all__ = ["colliding", "find_label", "label_letters", "label_words", "meant_label",
           "nearest_label", "reads_as", "unknown_label_hint"]

_SEPARATORS = re.compile(r"[\s_-]+")
"""What may stand between the words of a label: spaces, hyphens and underscores."""

_CAPITAL_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
"""Where a capital letter after a small letter or a digit starts a word ("DaemonSet")."""

_NEARLY = 0.8
"""How alike (:class:`difflib.SequenceMatcher`'s ratio of the letters) a typed word and a
label must be for the hint to ask "did you mean": a plural, a letter left out or doubled
("Deployments", "pined", "follow") pass; another word ("left", "stays") does not."""


def label_words(label: str) -> tuple[str, ...]:
    """The words of ``label``, in lower case: split at spaces, hyphens and underscores, and
    where a capital letter follows a small one ("DaemonSet" is daemon, set)."""
    words = (word for chunk in _SEPARATORS.split(label.strip())
             for word in _CAPITAL_WORD.split(chunk))
    return tuple(word.casefold() for word in words if word)


def label_letters(text: str) -> str:
    """The letters of ``text``'s words (:func:`label_words`) run together: what two labels
    that one typed word could be read as share (:func:`colliding`)."""
    return "".join(label_words(text))


def reads_as(typed: object, label: str) -> bool:
    """Whether ``typed`` is ``label`` as a learner may write it: the same letters in any case,
    split only where the label's words meet (by spaces, hyphens or underscores, or not at
    all)."""
    if not isinstance(typed, str):
        return False
    pieces = [piece.casefold() for piece in _SEPARATORS.split(typed.strip()) if piece]
    words = iter(label_words(label))
    for piece in pieces:
        joined = ""
        while len(joined) < len(piece):
            word = next(words, None)
            if word is None:
                return False
            joined += word
        if joined != piece:   # the piece ends inside a word of the label, or differs
            return False
    return bool(pieces) and next(words, None) is None


def find_label(typed: object, labels: Iterable[str]) -> str | None:
    """The one of ``labels`` that ``typed`` reads as (:func:`reads_as`), or None."""
    return next((label for label in labels if reads_as(typed, label)), None)


def meant_label(typed: object, synonyms: Mapping[str, str]) -> str | None:
    """The label that ``typed`` means when it is a key of ``synonyms`` (a word of the field
    that names one label's own thing, "Argo CD" for "gitops", mapped to that label), read as
    a label is read; None otherwise. A check judges such a word as that label: where another
    label is right it gets that item's hint, rather than a "did you mean" that would offer a
    wrong label as the fix."""
    return synonyms.get(find_label(typed, synonyms) or "")


def colliding(labels: Iterable[str]) -> list[tuple[str, str]]:
    """The pairs of ``labels`` that one typed word could be read as, both: those with the
    same letters, which only case or the places between words tell apart ("DaemonSet" and
    "daemon set")."""
    seen: dict[str, str] = {}
    pairs = []
    for label in labels:
        letters = label_letters(label)
        if letters in seen:
            pairs.append((seen[letters], label))
        seen.setdefault(letters, label)
    return pairs


def unknown_label_hint(typed: object, labels: tuple[str, ...],
                       plausible: Mapping[str, str], options: str = "") -> str:
    """The hint for ``typed``, which is none of ``labels``: ``plausible``'s hint for the word
    (read as a label is read, its key being the word), else the label it nearly spells, else
    only the labels; each ends with ``options``, the sentence that names the labels (by
    default "Use one of ...")."""
    options = options or f"Use one of {', '.join(map(repr, labels))}."
    if not isinstance(typed, str) or not typed.strip():
        return options
    said = next((hint for word, hint in plausible.items() if reads_as(typed, word)), None)
    if said is not None:
        return f"{said} {options}"
    letters = label_letters(typed)
    same = [label for label in labels
            if label_letters(label) == letters and not reads_as(typed, label)]
    if same:
        return (f"Did you mean {same[0]!r}? A space, hyphen or underscore may stand only "
                f"between the words of a label, and {typed.strip()!r} splits one. {options}")
    meant = nearest_label(typed, labels)
    if meant is not None:
        return f"Did you mean {meant!r}? A label is read as it is spelt. {options}"
    return options


def nearest_label(typed: str, labels: Iterable[str]) -> str | None:
    """The one of ``labels`` whose letters (:func:`label_letters`, in any case) ``typed``
    nearly spells (:data:`_NEARLY`): a letter left out, doubled or swapped, a plural; None
    when none is that close. What a "did you mean" offers, for a label or a field's name."""
    letters = {label_letters(label): label for label in reversed(list(labels))}
    near = difflib.get_close_matches(label_letters(typed), list(letters), n=1, cutoff=_NEARLY)
    return letters[near[0]] if near else None
