"""Read the simplest answer shapes of the chapter exercises: one choice among named options,
a dict keyed by a fixed set of names (:func:`keyed`, shared by every dict answer so that a
misspelt or missing key is named as such), a list of names among fixed ones (:func:`listed`),
a label for each item of a fixed list, one Pod written as YAML text or a dict
(:func:`one_pod`), YAML text that is not empty (:func:`yaml_text`), any manifest answer loaded
(:func:`load_answer`), a stack file run on a swarm (:func:`run_stack`), and a command line
split into words as a shell splits it (:func:`shell_words`, for the checks that read a
``kubectl`` or ``docker`` command).

Both give a specific hint for every wrong choice or label (the hints are the exercise's
teaching), and a plain one for answers of the wrong shape, so that a check built on them never
shows a traceback.
"""

from __future__ import annotations

import math
import numbers
import re
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, SupportsInt, cast

from clustersim.exercises.carried_words import carried_word_hint, nested_key_hint
from clustersim.exercises.checker import Wrong, kind
from clustersim.exercises.kubernetes_mixups import mixed_field_hint
from clustersim.exercises.labels import find_label, label_letters, unknown_label_hint
from clustersim.manifests import ManifestError, ManifestSet, load_manifests
from clustersim.manifests.kubernetes_fields import is_unknown_field, unknown_fields_meant
from clustersim.manifests.safe_yaml import load_documents
from clustersim.numeric import is_number, is_whole

if TYPE_CHECKING:
    from clustersim.swarm import SwarmCluster

__all__ = [
    "CONTROL_OPERATORS", "NEWLINE", "answered", "choice", "classify", "filled", "integer",
    "is_number", "is_operator", "is_whole", "keyed", "label_word", "listed", "load_answer",
    "number", "one_pod", "pick",
    "run_stack", "second_command", "shell_words", "whole_number", "yaml_text", "yes_or_no",
]


def _word(value: object) -> str | None:
    return " ".join(value.casefold().split()) if isinstance(value, str) else None


def label_word(value: object) -> str | None:
    """The letters of ``value`` in lower case, without what may stand between a label's words
    (spaces, hyphens, underscores): "left-behind" and "Left Behind" give "leftbehind"; None
    for what is not a string. Kept for code that compared labels this way before checks
    read them word by word (:func:`clustersim.exercises.labels.reads_as`, stricter: it also
    refuses a split inside a word, such as "pin_ned")."""
    return label_letters(value) if isinstance(value, str) else None


def answered(answer: object, replace_with: str) -> None:
    """:class:`Wrong` when ``answer`` is still the starter's None: every check says the same
    about an answer not given yet, and what to put in its place (``replace_with``: "a whole
    number", "a kubectl command in quotes")."""
    if answer is None:
        raise Wrong("You have not answered yet.", f"Replace None with {replace_with}.")


def pick(answer: object, right: str, hints: Mapping[str, str]) -> None:
    """``answer`` must be the option ``right``; ``hints`` gives every wrong option its hint."""
    options = sorted({right, *hints})
    answered(answer, f"one of {', '.join(map(repr, options))}")
    word = _word(answer)
    if word not in options:
        raise Wrong(f"{answer!r} is not one of the options.",
                    f"Answer with one of {', '.join(map(repr, options))}.")
    if word != right:
        raise Wrong(f"{word!r} is not the best answer.", hints[word])


def _names(keys: Iterable[object]) -> str:
    return ", ".join(map(repr, keys))


def keyed(answer: object, keys: Iterable[object], what: str = "key", *,
          all_required: bool = True) -> Mapping[Any, Any]:
    """``answer`` as a dict whose keys are among ``keys`` (every one of them unless
    ``all_required`` is false). Otherwise :class:`Wrong` names each unknown key (with the
    expected key it differs from only in case, if any) and each missing one, and lists the
    expected keys; ``what`` is what a key names ("service", "node")."""
    expected = list(keys)
    if not isinstance(answer, Mapping):
        raise Wrong(f"The answer must be a dict with one entry per {what}, as in the starter "
                    f"cell; you gave {kind(answer)}.",
                    f"Keep the starter's dict: the {what}s are {_names(expected)}.")
    unknown = [k for k in answer if k not in expected]
    missing = [k for k in expected if k not in answer] if all_required else []
    if not unknown and not missing:
        return answer
    problems = []
    for key in unknown:
        alike = [e for e in expected if _word(str(e)) == _word(str(key))]
        problems.append(f"there is no {what} {key!r}"
                        + (f" (did you mean {alike[0]!r}?)" if alike else ""))
    if missing:
        plural = len(missing) > 1
        problems.append(f"the {what}{'s' if plural else ''} {_names(missing)} "
                        f"{'are' if plural else 'is'} missing")
    message = "; ".join(problems)
    raise Wrong(message[0].upper() + message[1:] + ".",
                f"The {what}s are {_names(expected)}: keep the starter's keys and spelling.")


def classify(answer: object, truth: Mapping[str, str], labels: tuple[str, ...],
             hints: Mapping[str, str], *, plausible: Mapping[str, str] | None = None) -> None:
    """``answer`` maps every key of ``truth`` to one of ``labels``, read in any case and with
    spaces, hyphens or underscores between its words (:func:`~clustersim.exercises.labels.
    reads_as`); the first wrong item raises :class:`Wrong` with that item's hint
    (``hints[item]``) and a count of the wrong ones. An item with no label is told why the
    word is none (:func:`~clustersim.exercises.labels.unknown_label_hint`: ``plausible`` maps
    a word a learner may type, a term from the field or a label of another question, to what
    it teaches)."""
    answer = keyed(answer, truth, "item")
    given = {k: find_label(answer[k], labels) for k in truth}
    unlabelled = [k for k in truth if given[k] is None]
    if unlabelled:
        first = unlabelled[0]
        raise Wrong(f"{len(unlabelled)} item(s) have no valid label yet, e.g. {first!r}: "
                    f"{answer[first]!r}.",
                    unknown_label_hint(answer[first], labels, plausible or {}))
    wrong = [k for k in truth if given[k] != find_label(truth[k], labels)]
    if wrong:
        first = wrong[0]
        raise Wrong(f"{len(wrong)} of {len(truth)} are wrong; the first: {first!r} is not "
                    f"{given[first]!r}.", hints[first])


def _refuse_quoted(answer: object, what: str) -> None:
    """:class:`Wrong` when ``answer`` is a number written as text (``"3"``): the learner has
    the number and only needs to drop the quotes, which a plain "not a number" would hide."""
    if isinstance(answer, str):
        try:
            value = float(answer)
        except ValueError:
            return
        if math.isfinite(value):
            raise Wrong(f"{answer!r} is text, not a number ({what}).",
                        f"Drop the quotes: write {answer.strip()}, not {answer!r}.")


_WITH_UNIT = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*([^\W\d_]+|%)\s*", re.UNICODE)
"""A number followed by a unit, as a learner writes a quantity: ``35s``, ``2 min``, ``256Mi``."""

_DURATION_UNITS = {
    "ns": "nanoseconds", **dict.fromkeys(("us", "\u00b5s", "\u03bcs"), "microseconds"),
    "ms": "milliseconds", **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "seconds"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hour", "hours"), "hours"),
}
"""The units of a duration as Go's ``time.ParseDuration`` (golang/go ``src/time/format.go``,
``unitMap``) writes them, which Compose files and Kubernetes flags use (``10s``, ``2m``), and
their words, each with the unit it names."""

_GO_UNITS = frozenset({"ns", "us", "\u00b5s", "\u03bcs", "ms", "s", "m", "h"})
"""The unit symbols of Go's ``time.ParseDuration``, of :data:`_DURATION_UNITS` (micro both
as the micro sign, U+00B5, and as the Greek letter mu, U+03BC)."""


def _unit_hint(answer: str, unit: str) -> str | None:
    """The hint for ``answer`` when it is a number with a unit (``35s``) where a plain number
    of ``unit`` (seconds, bytes; "" when unnamed) is asked; None when it is not one."""
    found = _WITH_UNIT.fullmatch(answer)
    if found is None:
        return None
    value, typed = found.groups()
    named = (_DURATION_UNITS.get(typed) or _DURATION_UNITS.get(typed.casefold())
             if len(typed) > 2 else _DURATION_UNITS.get(typed))
    if unit not in _DURATION_UNITS.values():
        named = None     # "256m" where bytes are asked is a quantity, not minutes
    if unit and typed.casefold() in (unit, unit.removesuffix("s")):
        named = unit     # "268435456 bytes": the unit asked for, written out
    if unit and named == unit:
        written = (f": {answer.strip()!r} is a duration as a Compose file or a Go flag writes "
                   "it, and the answer" if typed in _GO_UNITS else ": the answer")
        return f"Write {value} with no unit{written} is a plain number of {unit}."
    if unit and named:
        return (f"{answer.strip()!r} is in {named}: convert it to {unit} and write the number "
                "with no unit.")
    if unit:
        return (f"Write a plain number of {unit}, with no unit: convert {answer.strip()!r} to "
                f"{unit} first if its unit is another.")
    return "Write the number with no unit."


def _read_number(answer: object, what: str, accepts: Callable[[object], bool], noun: str,
                 example: int, unit: str = "") -> None:
    """:class:`Wrong` unless ``answer`` is ``noun`` (``accepts`` says), naming ``what`` was
    expected: None is told to be replaced, a number in quotes to drop them, a number with a
    unit (``35s``) to write it without one, as a number of ``unit`` when the check names it."""
    if answer is None:
        raise Wrong(f"You have not given {what} yet.", f"Replace None with {noun}.")
    _refuse_quoted(answer, what)
    if not accepts(answer):
        with_unit = _unit_hint(answer, unit) if isinstance(answer, str) else None
        raise Wrong(f"{answer!r} is not {noun} ({what}).",
                    with_unit or f"Write a number such as {example}.")


def whole_number(answer: object, what: str, *, unit: str = "") -> int:
    """``answer`` as an int, or :class:`Wrong` naming ``what`` was expected (a number in
    quotes is told to drop them, a number with a unit to write it as a number of ``unit``)."""
    _read_number(answer, what, is_whole, "a whole number", 3, unit)
    return int(cast(SupportsInt, answer))


def integer(answer: object, what: str, noun: str = "a whole number", example: int = 3, *,
            unit: str = "") -> int:
    """``answer`` when it is an int (a NumPy integer too), else :class:`Wrong` naming ``what``
    was expected: a whole float (``268435456.0``, ``256e6``) is told that its value is whole
    but its type is not, a number in quotes to drop them, a number with a unit (``256Mi``) to
    write a number of ``unit``, anything else that it is not ``noun``. For answers a program
    reads as an integer (bytes in a cgroup file), where :func:`whole_number` would accept
    ``6.0``."""
    if is_whole(answer) and not isinstance(answer, numbers.Integral):
        raise Wrong(f"{answer!r} is a float ({what}): give an int.",
                    f"Write {int(answer)}, with no decimal point or exponent, or wrap the "
                    "arithmetic in int(...).")
    _read_number(answer, what, _is_int, noun, example, unit)
    return int(cast(SupportsInt, answer))


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def number(answer: object, what: str, *, unit: str = "") -> float:
    """``answer`` (int, float or a NumPy scalar, finite) as a float, or :class:`Wrong` naming
    ``what`` was expected, like :func:`whole_number`."""
    _read_number(answer, what, is_number, "a number", 90, unit)
    return float(cast(float, answer))


def filled(answer: object, keys: list[str], what: str) -> dict[str, object]:
    """The learner's dict ``what`` (e.g. "service → action"), with exactly ``keys`` (named
    plainly when one is unknown or missing, :func:`keyed`) and no None left."""
    given = keyed(answer, keys, what.split(" → ")[0])
    if any(given[k] is None for k in keys):
        raise Wrong("Some answers are still None.", "Replace every None.")
    return {k: given[k] for k in keys}


def choice(value: object, allowed: tuple[str, ...], where: str, *,
           aliases: Mapping[str, str] | None = None,
           plausible: Mapping[str, str] | None = None) -> str:
    """``value`` as one of ``allowed``, spelt as ``allowed`` spells it (compared trimmed and
    in any case; ``aliases`` maps other spellings an exercise accepts, such as a singular, to
    an option), or :class:`Wrong` saying where the answer was and what the choices are, in
    the exercise's own spelling. With ``plausible`` (a word a learner may type, a term from
    the field, mapped to what it teaches), the hint also tells why such a word is no choice,
    or which choice a near miss meant (:func:`~clustersim.exercises.labels.
    unknown_label_hint`); without it, names such as nodes' are not guessed at."""
    text = _word(value)
    text = next((_word(option) for alias, option in (aliases or {}).items()
                 if _word(alias) == text), text)
    found = [option for option in allowed if _word(option) == text]
    if not found:
        options = f"Answer with one of: {', '.join(repr(a) for a in allowed)}."
        raise Wrong(f"{where}: {value!r} is not one of the choices.",
                    options if plausible is None else
                    unknown_label_hint(value, allowed, plausible, options))
    return found[0]


def listed(answer: object, allowed: Sequence[str], what: str, *, example: str,
           ordered: bool = False, read: Callable[[str], str] | None = None,
           unknown: Callable[[str], Wrong] | None = None) -> list[str]:
    """``answer`` as the items of ``allowed`` it names, in its order and in ``allowed``'s
    spelling: a list or a tuple of strings, or a set unless ``ordered`` (a set has no order;
    an ``example`` in braces is a set, and the feedback says "set" and "curly braces"),
    each read by ``read`` (e.g. ``v1.34`` as ``1.34``) and then matched as :func:`choice`
    matches, trimmed and in any case. Otherwise :class:`Wrong`: another shape (``what`` the
    items are, and an ``example`` list), an item that is not text, or one not in ``allowed``
    (``unknown(item)``, by default a list of the ``allowed`` ones)."""
    braces = example.startswith("{")
    shape, brackets = ("set", "in curly braces") if braces else ("list", "in square brackets")
    answered(answer, f"a {shape} such as {example}")
    shapes = (list, tuple) if ordered else (list, tuple, set, frozenset)
    if not isinstance(answer, shapes):
        unordered = ordered and isinstance(answer, set | frozenset)
        raise Wrong(f"The answer must be a {shape} of {what}, such as {example}; you gave "
                    f"{kind(answer)}" + (", which has no order." if unordered else "."),
                    f"Write the {what} as strings, {brackets}"
                    + (" and in order." if unordered else "."))
    found = []
    for item in answer:
        if not isinstance(item, str):
            raise Wrong(f"{item!r} is {kind(item)}, not text.",
                        f"Write each of the {what} in quotes, as in {example}.")
        text = _word(read(item) if read else item)
        match = [option for option in allowed if _word(option) == text]
        if not match:
            raise (unknown(item) if unknown else Wrong(
                f"{item!r} is not one of the {what}.",
                f"They are: {', '.join(map(repr, allowed))}."))
        found.append(match[0])
    return found


def one_pod(manifest: object) -> dict[str, Any]:
    """``manifest`` (YAML text or a dict) as the dict of one Pod, or :class:`Wrong` saying why
    it is not (unreadable YAML, several documents, another kind) or why it would not apply
    (:func:`load_answer`: the loader's refusal, an unknown field such as ``nodeselector``)."""
    if isinstance(manifest, str):
        try:
            documents = load_documents(manifest, "your Pod")
        except ManifestError as err:
            raise Wrong(f"The YAML cannot be read: {err}", "Check the indentation and colons "
                        "near the line it names.") from None
        if len(documents) != 1:
            raise Wrong(f"The text holds {len(documents)} YAML documents.", "Write one Pod.")
        manifest = documents[0].data
    if not isinstance(manifest, Mapping) or manifest.get("kind") != "Pod":
        raise Wrong("The manifest is not a Pod.", "Start from the starter: kind: Pod.")
    load_answer(manifest, "Pod")  # what kubectl apply refuses, by the one rule of every answer
    return dict(manifest)


def run_stack(swarm: SwarmCluster, stack: object, until: float, *,
              refused: str = "It does not load",
              hint: str | Callable[[ManifestError], str] = "Read the field path in the message."
              ) -> SwarmCluster:
    """Deploy ``stack`` (the learner's Compose file) as the stack ``shop`` on ``swarm`` and run
    it to ``until``; :class:`Wrong` (``refused``: the loader's message, and ``hint``, or
    ``hint(err)`` to fit the refusal) when the simulator refuses it."""
    try:
        swarm.deploy_stack("shop", stack)
    except ManifestError as err:
        raise Wrong(f"{refused}: {err}", carried_word_hint(err)
                    or (hint if isinstance(hint, str) else hint(err))) from None
    swarm.run(until=until)
    return swarm


def load_answer(manifest: object, what: str, *,
                hint: Callable[[ManifestError], str] | None = None) -> ManifestSet:
    """``manifest`` (YAML text, a dict, or a list or tuple of dicts, as ``load_manifests``
    reads them; ``what`` names it: "Deployment", "manifest") as loaded specs, or
    :class:`Wrong`: an answer of another shape, or the loader's message with ``hint(err)``
    (default: read the field path)."""
    if not isinstance(manifest, str | Mapping | list | tuple):
        raise Wrong(f"The answer must be the {what} as YAML text (or a dict, or a list of "
                    "dicts).", "Keep the triple quotes of the starter cell.")
    try:
        specs = load_manifests(manifest, name=f"your {what}")
    except ManifestError as err:
        raise Wrong(f"It does not load: {err}", carried_word_hint(err) or mixed_field_hint(err)
                    or (hint(err) if hint else "Read the field path in the message.")) from None
    # the loader keeps what a real cluster refuses (a removed apiVersion, an unknown field)
    # as a warning, so that old examples can be studied; an answer must apply
    refused = [w for s in specs for w in s.warnings
               if _KUBECTL_REFUSES in w or is_unknown_field(w)]
    if refused:
        raise Wrong(f"It would not apply on a real cluster: {refused[0]}.",
                    carried_word_hint(refused[0]) or _unknown_field_hint(specs, refused[0])
                    or _SPELLING if is_unknown_field(refused[0])
                    else "Use the apiVersion it names.")
    return specs


def _unknown_field_hint(specs: ManifestSet, warning: str) -> str | None:
    """The hint for the unknown field ``warning`` names, found again in the loaded object
    (:func:`unknown_fields_meant` gives its keys one by one, where the warning joins them
    with dots): a key with dots in it is told to nest (``spec.replicas`` inside ``spec``,
    ``requests.cpu`` inside ``resources``), any other is asked about the known field nearest
    in spelling, when one is near; None when neither."""
    for spec in specs:
        for path, at, meant in unknown_fields_meant(spec.kind, spec.manifest):
            if f'unknown field "{path}"' not in warning:
                continue
            key = str(at[-1])
            if "." in key:
                parent = next((str(k) for k in reversed(at[:-1]) if isinstance(k, str)), "")
                return nested_key_hint(key, parent)
            if meant is not None:
                return f"Did you mean {meant}? {_SPELLING}"
    return None


_SPELLING = ("Check the spelling of the field it names: kubectl apply refuses an unknown field "
             "(strict field validation: on by default since Kubernetes 1.25, always there since "
             "1.27), and the API knows each field by its exact name.")
"""What a check says of an unknown field of a Kubernetes object, after what it meant."""

#: Words of the loader's warning for an apiVersion that ``kubectl apply`` refuses
#: (:func:`clustersim.manifests.kubernetes_versions.removed_warning`); unknown fields are
#: warned of in the API server's words (:func:`is_unknown_field`).
_KUBECTL_REFUSES = "kubectl apply"


def yaml_text(answer: object, what: str) -> str:
    """``answer`` if it is YAML text that is not blank, else :class:`Wrong` saying it must be
    ``what`` ("YAML text with a Role and a RoleBinding")."""
    if not isinstance(answer, str) or not answer.strip():
        raise Wrong(f"The answer must be {what}.", "Start from the starter's text.")
    return answer


def yes_or_no(value: object, where: str) -> bool:
    """``value`` when it is True or False, else :class:`Wrong` naming ``where``: text such as
    ``"True"`` or ``"yes"`` is told to drop the quotes, None to be replaced."""
    if isinstance(value, bool):
        return value
    hint = ("Write True or False without quotes: Python's truth values, not text."
            if isinstance(value, str) else "Write True (yes) or False (no).")
    raise Wrong(f"{where}: {value!r} is not True or False.", hint)


_SHELL_PUNCTUATION = "();<>|&"
"""The characters of the shell's operators, which :mod:`shlex` makes words of their own."""

NEWLINE = "\n"
"""The word :func:`shell_words` gives a newline that ends a command (the shell grammar's
``NEWLINE`` token, POSIX XCU 2.10.1): a separator, as ``;`` is."""

CONTROL_OPERATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "|&", NEWLINE})
"""The words that end a command and start another (POSIX XCU 2.10.1's control operators,
bash's ``|&``, and a newline)."""

MAX_COMMAND_LENGTH = 10_000
"""The longest answer :func:`shell_words` reads, in characters: far beyond any command the
exercises ask for, and a bound on the time a check spends on a pasted megabyte (:mod:`shlex`
builds each word a character at a time, in time that grows with the square of its length, and
the real CLI could not be started with a line past the system's ``ARG_MAX``)."""

_LINE_GOES_ON = frozenset({"&&", "||", "|", ";", "&"})
"""Operators after which a newline adds nothing: the list goes on to the next line (XCU 2.10.2,
``linebreak`` after ``&&``, ``||`` and ``|``) or the command has already ended."""


def shell_words(line: str, *, unreadable: str, hint: str) -> list[str]:
    """``line`` split into words as a POSIX shell splits it (:mod:`shlex`, POSIX mode, line
    by line after :func:`_command_lines`): quotes and backslashes removed, a comment and each
    line continuation dropped, and each operator a word of its own even where it is glued to
    a word (``wide;`` is ``wide`` and ``;``): the control operators (``&&``, ``||``, ``;``,
    ``|``, ``&``), the redirections (``>``, ``2>&1`` as ``2``, ``>&``, ``1``), and
    :data:`NEWLINE` where a newline outside quotes ends a command and another follows (not
    for blank lines, nor after ``&&``, ``||``, ``|``, ``;`` or ``&``, where the shell reads
    on), which :func:`is_operator` tells from words. Simplified: a quoted operator (``';'``)
    is read as the operator. The line is not run: no expansion, and ``sudo`` or a variable
    assignment is a word like any other. An unclosed quote or a trailing backslash is
    :class:`Wrong`, ``unreadable: <shlex's reason>.`` with the caller's ``hint``; so is a line
    longer than :data:`MAX_COMMAND_LENGTH`, before it is read."""
    if len(line) > MAX_COMMAND_LENGTH:
        raise Wrong(f"The answer is {len(line):,} characters long; a check reads a command "
                    f"line of at most {MAX_COMMAND_LENGTH:,}.",
                    "Give the one command the exercise asks for.")
    words: list[str] = []
    for text in _command_lines(line):
        lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = ""
        try:
            found = list(lexer)
        except ValueError as err:  # an unclosed quote or a trailing backslash
            raise Wrong(f"{unreadable}: {err}.", hint) from None
        if found and words and words[-1] not in _LINE_GOES_ON:
            words.append(NEWLINE)
        words += found
    return words


def second_command(words: list[str]) -> str | None:
    """How the words of :func:`shell_words` start a second command, as a learner would say
    it (``a second line``, ``'&&'``); None when they hold one command."""
    separator = next((word for word in words if word in CONTROL_OPERATORS), None)
    if separator is None:
        return None
    return "a second line" if separator == NEWLINE else repr(separator)


def _command_lines(line: str) -> list[str]:
    """``line`` without its comments and line continuations, cut at each newline outside
    quotes, as the shell's token recognition reads them (POSIX XCU 2.2.1 and 2.3): a ``#``
    that begins a word outside quotes starts a comment, to the end of its line (shlex would
    start one inside a word, ``a#b``), a backslash before a newline, outside single quotes,
    joins the lines, and any other newline outside quotes ends the line."""
    lines: list[str] = []
    kept: list[str] = []
    quote, word_start, index = "", True, 0
    while index < len(line):
        char = line[index]
        if char == "#" and not quote and word_start:
            end = line.find("\n", index)
            index = len(line) if end < 0 else end
            continue
        if char == "\\" and quote != "'":
            if line[index + 1:index + 2] != "\n":      # else a continuation: dropped
                kept.append(line[index:index + 2])
                word_start = False
            index += 2
            continue
        if char == "\n" and not quote:
            lines.append("".join(kept))
            kept, word_start, index = [], True, index + 1
            continue
        if char in "'\"" and quote in ("", char):
            quote = "" if quote else char
        kept.append(char)
        word_start = not quote and (char.isspace() or char in _SHELL_PUNCTUATION)
        index += 1
    return [*lines, "".join(kept)]


def is_operator(word: str) -> bool:
    """Whether ``word`` of :func:`shell_words` is a shell operator (a control operator, a
    redirection or :data:`NEWLINE`) rather than a word of the command."""
    return word == NEWLINE or (bool(word) and set(word) <= set(_SHELL_PUNCTUATION))
