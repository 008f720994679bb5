"""How the Docker daemon reads a request body: moby's ``httputils.ReadJSON`` over Go's
``encoding/json``, for :mod:`clustersim.serve.docker` and :mod:`~clustersim.serve.dockerspec`.

Engine 25.0 reads every swarm and network body this way (moby ``api/server/httputils/
httputils.go``, ``ReadJSON``, used by ``api/server/router/swarm/cluster_routes.go`` and the
network router): the Content-Type must be JSON; an empty body is no error (the object keeps
its zero value); one ``json.Decoder.Decode`` reads the first JSON value, and any error it
returns is wrapped as ``invalid JSON: <Go's error>`` (400), except a body of nothing but
spaces, ``invalid JSON: got EOF while reading request body``; if another value follows
(``Decoder.More``), ``unexpected content after JSON``.

Go's words, once each: its scanner's syntax errors (golang/go ``src/encoding/json/
scanner.go``: ``invalid character 'x' looking for beginning of value``, ``unexpected EOF``
for a body that ends inside a value), its ``UnmarshalTypeError`` (``decode.go``: ``json:
cannot unmarshal number into Go struct field SecretSpec.Labels of type string``; Go 1.21,
which Engine 25.0 is built with, names the outermost struct and the promoted field's own
name) and the base64 decoder's ``illegal base64 data at input byte N`` for a ``[]byte``
field (``src/encoding/base64/base64.go``, ``decodeQuantum``).

Simplified (what Go does instead): a body nested deeper than Python's recursion limit (about
1000 levels; Go's decoder allows 10000) is refused with Go's ``exceeded max depth``; bytes that
are no UTF-8 become U+FFFD everywhere (Go does so inside strings and names the byte elsewhere).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from clustersim.goformat import go_quote, json_kind
from clustersim.serve.core import HttpError, Request

__all__ = ["decode_network_create", "decode_stored_spec", "decode_string_map", "read_json",
           "unmarshal_error"]

_SPACE = " \t\r\n"
_DIGITS = "0123456789"
_LITERALS = {"t": "true", "f": "false", "n": "null"}


def read_json(request: Request) -> Any:
    """The body of ``request`` as ``httputils.ReadJSON`` decodes it (``{}`` when empty)."""
    if request.content_type not in ("application/json", ""):
        raise HttpError(400, f"unsupported Content-Type header ({request.content_type}): "
                        "must be 'application/json'")
    if not request.body:
        return {}
    text = request.body.decode("utf-8", errors="replace")   # Go replaces bad UTF-8 too
    start = len(text) - len(text.lstrip(_SPACE))
    if start == len(text):
        raise HttpError(400, "invalid JSON: got EOF while reading request body")
    end = _value_end(text, start)
    rest = text[end:].lstrip(_SPACE)
    if rest and rest[0] not in "]}":     # Decoder.More
        raise HttpError(400, "unexpected content after JSON")
    try:
        return json.loads(text[start:end])
    except RecursionError:
        raise HttpError(400, "invalid JSON: exceeded max depth") from None


def _syntax(char: str, context: str) -> HttpError:
    """Go's ``SyntaxError`` for ``char`` (``quoteChar``: Go's ``%q`` in single quotes)."""
    quoted = {"'": "'\\''", '"': "'\"'"}.get(char) or f"'{go_quote(char)[1:-1]}'"
    return HttpError(400, f"invalid JSON: invalid character {quoted} {context}")


def _eof() -> HttpError:
    return HttpError(400, "invalid JSON: unexpected EOF")


def _value_end(text: str, i: int) -> int:
    """Where the JSON value starting at ``text[i]`` ends, checked as Go's scanner checks
    it; a body that ends inside it is ``unexpected EOF``."""
    stack: list[str] = []       # "{" or "[" for each open object or array
    while True:
        i = _skip(text, i)      # a value starts here
        char = text[i]
        if char in "{[":
            close = "}" if char == "{" else "]"
            i = _skip(text, i + 1)
            if text[i] != close:
                stack.append(char)
                if char == "{":
                    i = _key(text, i)
                continue
            i += 1
        else:
            i = _scalar_end(text, i)
        while stack:            # the value ended: a comma, or its container ends
            i = _skip(text, i)
            char, top = text[i], stack[-1]
            if char == ",":
                i = _key(text, _skip(text, i + 1)) if top == "{" else i + 1
                break
            if char != ("}" if top == "{" else "]"):
                raise _syntax(char, "after object key:value pair" if top == "{"
                              else "after array element")
            stack.pop()
            i += 1
        else:
            return i


def _skip(text: str, i: int) -> int:
    """The next character that is no space; ``unexpected EOF`` if there is none."""
    while i < len(text) and text[i] in _SPACE:
        i += 1
    if i == len(text):
        raise _eof()
    return i


def _key(text: str, i: int) -> int:
    """An object key and its colon, from ``text[i]``; the value follows."""
    if text[i] != '"':
        raise _syntax(text[i], "looking for beginning of object key string")
    i = _skip(text, _string_end(text, i))
    if text[i] != ":":
        raise _syntax(text[i], "after object key")
    return i + 1


def _scalar_end(text: str, i: int) -> int:
    """The end of the string, number or literal at ``text[i]``."""
    char = text[i]
    if char == '"':
        return _string_end(text, i)
    if char in _DIGITS or char == "-":
        return _number_end(text, i)
    if char in _LITERALS:
        word = _LITERALS[char]
        for offset, wanted in enumerate(word[1:], start=1):
            if i + offset == len(text):
                raise _eof()
            if text[i + offset] != wanted:
                raise _syntax(text[i + offset], f"in literal {word} (expecting '{wanted}')")
        return i + len(word)
    raise _syntax(char, "looking for beginning of value")


def _string_end(text: str, i: int) -> int:
    i += 1
    while i < len(text):
        char = text[i]
        if char == '"':
            return i + 1
        if char < " ":
            raise _syntax(char, "in string literal")
        if char == "\\":
            i += 1
            if i == len(text):
                break
            if text[i] == "u":
                for hex_digit in text[i + 1:i + 5]:
                    if hex_digit not in "0123456789abcdefABCDEF":
                        raise _syntax(hex_digit, "in \\u hexadecimal character escape")
                i += 4
            elif text[i] not in '"\\/bfnrt':
                raise _syntax(text[i], "in string escape code")
        i += 1
    raise _eof()


def _number_end(text: str, i: int) -> int:
    """A JSON number; Go stops at its end (a number at the body's end is complete)."""
    def digits(j: int) -> int:
        while j < len(text) and text[j] in _DIGITS:
            j += 1
        return j

    def need_digit(j: int, context: str) -> None:
        if j == len(text):
            raise _eof()
        if text[j] not in _DIGITS:
            raise _syntax(text[j], context)

    if text[i] == "-":
        i += 1
        need_digit(i, "in numeric literal")
    i = i + 1 if text[i] == "0" else digits(i)
    if i < len(text) and text[i] == ".":
        need_digit(i + 1, "after decimal point in numeric literal")
        i = digits(i + 1)
    if i < len(text) and text[i] in "eE":
        i += 1
        if i < len(text) and text[i] in "+-":
            i += 1
        need_digit(i, "in exponent of numeric literal")
        i = digits(i)
    return i


def unmarshal_error(value: Any, target: str, *, numeric: bool = False) -> HttpError:
    """Go's ``UnmarshalTypeError`` for a JSON ``value`` that does not fit ``target`` (``Go
    struct field SecretSpec.Labels of type string``, ``Go value of type swarm.NodeSpec``),
    as ``ReadJSON`` wraps it. ``numeric``: the Go field is a number, so a number refused
    there does not fit it, and Go names it with its digits (``number 256``)."""
    kind = json_kind(value, numeric_target=numeric)
    if numeric and kind == "number":
        kind = f"number {int(value)}"
    return HttpError(400, f"invalid JSON: json: cannot unmarshal {kind} into {target}")


def _base64_error(text: str) -> int | None:
    """Where Go's ``base64.StdEncoding`` (padded, not strict; ``\\r`` and ``\\n`` skipped)
    finds ``text`` corrupt, or None when it decodes."""
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    i = 0
    while True:
        j = 0
        while j < 4:
            if i == len(text):
                return None if j == 0 else i - j
            char = text[i]
            i += 1
            if char in alphabet:
                j += 1
                continue
            if char in "\r\n":
                continue
            if char != "=" or j < 2:
                return i - 1
            if j == 2:          # "==" is expected: the second "=" after any newlines
                while i < len(text) and text[i] in "\r\n":
                    i += 1
                if i == len(text):
                    return len(text)
                if text[i] != "=":
                    return i - 1
                i += 1
            while i < len(text) and text[i] in "\r\n":
                i += 1
            return i if i < len(text) else None


def _decode_bytes(value: Any, field: str) -> str:
    """A ``[]byte`` field: a base64 string or an array of bytes (``encoding/json`` takes
    both), as the base64 Go writes back."""
    if isinstance(value, str):
        corrupt = _base64_error(value)
        if corrupt is not None:
            raise HttpError(400, f"invalid JSON: illegal base64 data at input byte {corrupt}")
        return base64.b64encode(base64.b64decode(value.replace("\r", "").replace("\n", "")))\
            .decode()
    if isinstance(value, list):
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int | float) or \
                    not (float(item).is_integer() and 0 <= item <= 255):
                raise unmarshal_error(item, f"Go struct field {field} of type uint8",
                                      numeric=True)
        return base64.b64encode(bytes(int(b) for b in value)).decode()
    raise unmarshal_error(value, f"Go struct field {field} of type []uint8")


def _decode_driver(value: Any, field: str) -> dict[str, Any]:
    """A ``*swarm.Driver`` (``Name``, ``Options`` a map of strings)."""
    if not isinstance(value, dict):
        raise unmarshal_error(value, f"Go struct field {field} of type swarm.Driver")
    driver: dict[str, Any] = {}
    for key, item in value.items():
        name = {"name": "Name", "options": "Options"}.get(str(key).lower())
        if name == "Name" and item is not None:
            if not isinstance(item, str):
                raise unmarshal_error(item, f"Go struct field {field}.Name of type string")
            driver["Name"] = item
        elif name == "Options" and item is not None:
            driver["Options"] = decode_string_map(item, f"{field}.Options")
    return driver


def decode_string_map(value: Any, field: str) -> dict[str, str]:
    """A ``map[string]string`` field (labels, options): an object whose values are strings
    (null leaves a key's value empty, as Go's decoder does)."""
    if not isinstance(value, dict):
        raise unmarshal_error(value, f"Go struct field {field} of type map[string]string")
    for item in value.values():
        if item is not None and not isinstance(item, str):
            raise unmarshal_error(item, f"Go struct field {field} of type string")
    return {str(k): v or "" for k, v in value.items()}


def decode_stored_spec(body: Any, kind: str) -> dict[str, Any]:
    """A ``SecretSpec`` or ``ConfigSpec`` (moby ``api/types/swarm/secret.go``,
    ``config.go``: ``Annotations`` (``Name``, ``Labels``) embedded, ``Data`` a ``[]byte``,
    a secret's ``Driver`` and either's ``Templating`` a ``*Driver``) as Go's decoder
    fills it: field names in any case, null leaves a field empty, the first value of the
    wrong type refused. Returns ``Name``, ``Labels``, ``Data`` (base64), and ``Driver``
    and ``Templating`` when sent."""
    struct = "SecretSpec" if kind == "secret" else "ConfigSpec"
    if not isinstance(body, dict):
        raise unmarshal_error(body, f"Go value of type swarm.{struct}")
    fields = {"name": "Name", "labels": "Labels", "data": "Data", "templating": "Templating",
              **({"driver": "Driver"} if kind == "secret" else {})}
    spec: dict[str, Any] = {"Name": "", "Labels": {}, "Data": ""}
    for key, value in body.items():
        field = fields.get(str(key).lower())
        if field is None or value is None:
            continue
        where = f"{struct}.{field}"
        if field == "Name":
            if not isinstance(value, str):
                raise unmarshal_error(value, f"Go struct field {where} of type string")
            spec["Name"] = value
        elif field == "Labels":
            spec["Labels"] = decode_string_map(value, where)
        elif field == "Data":
            spec["Data"] = _decode_bytes(value, where)
        else:
            spec[field] = _decode_driver(value, where)
    return spec


def decode_network_create(body: Any) -> dict[str, Any]:
    """A ``NetworkCreateRequest`` (moby ``api/types``: ``Name``, and ``NetworkCreate``
    embedded, whose ``Driver`` is a string and ``Labels`` a map of strings) with those fields
    checked as Go's decoder checks them; the other fields as sent."""
    if not isinstance(body, dict):
        raise unmarshal_error(body, "Go value of type types.NetworkCreateRequest")
    out = dict(body)
    for key, value in body.items():
        field = {"name": "Name", "driver": "Driver", "labels": "Labels"}.get(str(key).lower())
        if field is None or value is None:
            continue
        where = f"NetworkCreateRequest.{field}"
        if field == "Labels":
            out["Labels"] = decode_string_map(value, where)
        elif not isinstance(value, str):
            raise unmarshal_error(value, f"Go struct field {where} of type string")
        else:
            out[field] = value
    return out
