"""How Go writes a value into an error message, for the servers and loaders that quote Go
programs (the Kubernetes API server, the Docker daemon) word for word.

Two rules live here, each once:

- :func:`go_quote`: Go's ``%q`` verb (``strconv.Quote``, golang/go ``src/strconv/quote.go``).
- :func:`json_kind`: how ``encoding/json`` names a JSON value it cannot store in a Go field
  (``UnmarshalTypeError.Value``, filled in by ``literalStore``, ``array`` and ``object`` of
  golang/go ``src/encoding/json/decode.go``).
- :func:`atoi`: which text ``strconv.Atoi`` reads as a whole number (``src/strconv/atoi.go``).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["atoi", "go_quote", "json_kind"]

_ATOI = re.compile(r"[+-]?[0-9]+")

_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
               "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """``text`` as Go's ``%q`` (``strconv.Quote``) prints it: double quotes, the short
    backslash escapes (``\\a`` for BEL), ``\\xNN`` for other ASCII control characters and
    ``\\uNNNN`` (``\\UNNNNNNNN`` past the BMP) for other characters that do not print.
    Printable characters, ``é`` or ``日`` included, stay as they are.

    "Printable" is ``strconv.IsPrint``'s rule: letters, marks, numbers, punctuation,
    symbols and the ASCII space; Python's ``str.isprintable`` draws the same line (it refuses
    the Unicode categories Other and Separator, ASCII space excepted), so ``\\u200b`` (a
    format character) is escaped by both. The two may differ for characters added in a
    Unicode version only one of them knows."""
    out = []
    for char in text:
        code = ord(char)
        if char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def json_kind(value: Any, *, numeric_target: bool) -> str:
    """A decoded JSON ``value`` as ``encoding/json`` names it when it does not fit its Go
    field: ``bool``, ``string``, ``array``, ``object``, ``number``.

    A number is named with its literal (``number 1.5``, ``number 2.0``, ``number
    99999999999``) when the field is itself a number (``numeric_target``: an int, uint or
    float of any size) that cannot hold it: ``literalStore`` tries ``strconv.ParseInt`` /
    ``ParseUint`` / ``ParseFloat`` there and, when that fails or the result overflows the
    field, writes ``"number " + literal`` (golang/go ``src/encoding/json/decode.go``). Into
    any other field (a string, a bool, a list, a map) a number is plain ``number``, as a
    bool, string, array or object is named by its kind whatever the field. Go prints the
    literal as the JSON text wrote it (``1.50``, ``1e3``); this function has only the
    decoded value, so it writes the number as JSON text again (``json.dumps``: ``1.5``,
    ``2.0``, ``1000.0`` for ``1e3``)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return f"number {json.dumps(value)}" if numeric_target else "number"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def atoi(text: str) -> int | None:
    """``text`` as Go's ``strconv.Atoi`` reads it, or None when its syntax is not a whole
    number: an optional sign and ASCII digits, nothing else (Python's ``int`` also takes
    spaces around it and ``_`` between digits). Whether the number fits the caller's integer
    type is the caller's check."""
    return int(text) if _ATOI.fullmatch(text) else None
