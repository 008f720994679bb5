"""How Marathon reads a request body: Play JSON's ``Json.parse`` of the body's bytes over
Jackson, with Jackson's own words when the body is no JSON; and how it writes a whole number
(:func:`number`).

Play JSON keeps a number as a ``BigDecimal`` of its digits (``JsNumber``; Play JSON 2.8's
``JsValueDeserializer``), so a number with a fraction or an exponent is read here as a
:class:`JsonNumber`, a float that keeps its text: a field Play reads as an ``Int`` or a
``Long`` takes the exact decimal (``1e-400`` and ``2.0000000000000001`` are no integers to
``BigDecimal.isValidInt``, though Python's float makes them 0.0 and 2.0), one it reads as a
``Double`` the float (``toDouble``). Simplified: Play parses with ``MathContext.DECIMAL128``,
so a number of more than 34 significant digits is rounded first; the simulator keeps them all.

Marathon 1.11 is built with Play JSON 2.8 and Jackson 2.10 (d2iq-archive/marathon
``project/Dependencies.scala``). Every resource that takes a body reads it as
``Array[Byte]`` and calls ``Json.parse(body)`` (``AppsResource.create``,
``GroupsResource``, ``PodsResource``, ``TasksResource.killTasks``); Play hands the bytes to
Jackson's ``UTF8StreamJsonParser``, reads the first JSON value and ignores whatever follows
it. ``MarathonExceptionMapper`` (``api/MarathonExceptionMapper.scala``, pinned by
``MarathonExceptionMapperTest``) answers:

- a syntax error (``JsonParseException``): 400 ``{"message": "Invalid JSON", "details":
  <getOriginalMessage>}``, Jackson's message without its ``at [Source: ...]`` suffix, e.g.
  ``Unexpected character ('b' (code 98)): was expecting double-quote to start field name``;
- an empty body (Jackson's ``No content to map due to end-of-input``, a
  ``JsonMappingException``): 400 ``{"message": "Please specify data in JSON format",
  "details": <getMessage>}``, whose location names the body.

Jackson's words (jackson-core 2.10): ``ParserMinimalBase._reportUnexpectedChar`` with
``_getCharDesc`` (``'b' (code 98)``, ``(CTRL-CHAR, code 10)``, ``'é' (code 233)``);
``UTF8StreamJsonParser``'s contexts (``was expecting double-quote to start field name``,
``was expecting a colon to separate field name and value``, ``was expecting comma to separate
Object entries``, ``expected a value``, ``_validJsonValueList``'s ``expected a valid value
(JSON String, Number, Array, Object or token 'null', 'true' or 'false')``, ``Unrecognized
token 'bad': was expecting (...)`` since 2.10; ``_handleUnexpectedValue`` and
``_handleInvalidNumberStart``: ``NaN``, ``Infinity``, ``-Infinity``, ``+Infinity``, ``-INF``
and ``+INF`` are ``Non-standard token`` words, while ``-NaN`` or ``+5`` are refused as no
digit after the sign, in words that name the minus sign for a plus too (the releases
with ``ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS``, 2.14 on, reword that; Marathon's 2.10 does
not)); ``ParserBase._handleEOF``'s ``Unexpected end-of-input: expected close marker for
Object (start marker at [Source: (byte[])"..."; line: 1, column: 1])``, the location
written by ``JsonLocation._appendSourceDesc`` (up to 500 bytes of the body, then
``[truncated N bytes]``; columns count bytes from 1).

Jackson first tells the body's encoding by its byte-order mark or, without one, by the zero
bytes of its first character (``ByteSourceJsonBootstrapper``): UTF-8, UTF-16 or UTF-32, read
by the loader's one rule for it (:func:`clustersim.manifests.encoding.decode`).

Simplified (what Jackson does instead): bytes that are no text in that encoding are read as
U+FFFD (Jackson's readers for UTF-16 do so too, its UTF-8 and UTF-32 ones refuse them), and a
character beyond ASCII outside a string as a letter (Jackson names a byte of it, ``Invalid
UTF-8 start byte 0x..``); an error's location in a UTF-16 or UTF-32 body is given as for
UTF-8 (bytes quoted as UTF-8, columns in UTF-8 bytes; Jackson's reader counts characters); a
body nested deeper than Python's recursion limit is refused as ``Invalid JSON`` (Jackson 2.10
has no depth limit); a body that ends right after a number's sign, point or exponent is
``Unexpected end-of-input in a Number value`` (Jackson names the token it was on); a
control character in a field name is always refused (Jackson's quicker reading of a short
name lets it through).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from clustersim.manifests.encoding import decode
from clustersim.serve.core import HttpError, Request, decode_json

__all__ = ["JsonNumber", "number", "read_json"]

_SPACE = " \t\r\n"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_LITERALS = {"t": "true", "f": "false", "n": "null", "N": "NaN", "I": "Infinity"}
_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_SNIPPET = 500
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_json(request: Request) -> Any:
    """The body of ``request`` as Marathon reads it: 415 when it is sent as no JSON
    (``@Consumes``: Jersey's ``NotSupportedException``, which ``MarathonExceptionMapper``
    answers with the status's reason phrase, as every ``WebApplicationException`` without a
    body, :mod:`.marathonroutes`)."""
    if request.content_type not in ("application/json", ""):
        raise HttpError(415, "Unsupported Media Type")
    text, _ = decode(request.body, "the request body", errors="replace")
    start = len(text) - len(text.lstrip(_SPACE))
    if start == len(text):
        raise HttpError(400, "Please specify data in JSON format",
                        details="No content to map due to end-of-input\n at "
                                f"{_location(request.body, text, 0, column=0)}")
    end = _Scanner(request.body, text).value_end(start)
    return decode_json(text[start:end], HttpError(
        400, "Invalid JSON", details="the document nests arrays or objects too deeply"),
        parse_float=JsonNumber)


class JsonNumber(float):
    """A JSON number written with a fraction or an exponent: its float value, and its text
    (:attr:`literal`), the digits Play JSON keeps (see the module)."""

    literal: str

    def __new__(cls, text: str) -> JsonNumber:
        number = super().__new__(cls, text)
        number.literal = str(text)
        return number

    def exact(self) -> Decimal:
        """The number as Play JSON keeps it: the decimal its text writes."""
        return Decimal(self.literal)


def _char(char: str) -> str:
    """``ParserMinimalBase._getCharDesc``."""
    code = ord(char)
    if code < 32:
        return f"(CTRL-CHAR, code {code})"
    if code > 255:
        return f"'{char}' (code {code} / 0x{code:x})"
    return f"'{char}' (code {code})"


def _location(body: bytes, text: str, at: int, *, column: int | None = None) -> str:
    """``JsonLocation.toString`` for ``text[at]``: the body's first 500 bytes, the line and
    the column (bytes from 1; ``column`` given as is)."""
    snippet = body[:_SNIPPET].decode("utf-8", errors="replace")
    rest = len(body) - _SNIPPET
    breaks = list(_LINE_BREAK.finditer(text, 0, at))
    line_start = breaks[-1].end() if breaks else 0
    if column is None:
        column = len(text[line_start:at].encode("utf-8")) + 1
    truncated = f"[truncated {rest} bytes]" if rest > 0 else ""
    return f'[Source: (byte[])"{snippet}"{truncated}; line: {len(breaks) + 1}, column: {column}]'


class _Scanner:
    """Finds where the first JSON value of a body ends, checking it as Jackson does; each
    refusal is Jackson's ``JsonParseException`` as Marathon answers it."""

    def __init__(self, body: bytes, text: str) -> None:
        self.body = body
        self.text = text

    def _error(self, message: str) -> HttpError:
        return HttpError(400, "Invalid JSON", details=message)

    def _unexpected(self, at: int, comment: str) -> HttpError:
        return self._error(f"Unexpected character ({_char(self.text[at])}): {comment}")

    def _close_marker(self, opened: int) -> HttpError:
        """``ParserBase._handleEOF`` inside the object or array opened at ``text[opened]``."""
        where = _location(self.body, self.text, opened)
        return self._error("Unexpected end-of-input: expected close marker for "
                           f"{_kind(self.text[opened])} (start marker at {where})")

    def _skip(self, at: int) -> int:
        """The next character that is no space (``len(text)`` at the end)."""
        text = self.text
        while at < len(text) and text[at] <= " ":
            if text[at] not in _SPACE:      # _throwInvalidSpace
                raise self._error(f"Illegal character ({_char(text[at])}): only regular white "
                                  "space (\\r, \\n, \\t) is allowed between tokens")
            at += 1
        return at

    def value_end(self, at: int) -> int:
        """Where the value starting at ``text[at]`` ends."""
        text = self.text
        stack: list[int] = []                # where each open object or array starts
        while True:
            at = self._skip(at)
            if text[at] in "{[":             # nextToken: a close marker, or the first entry
                stack.append(at)
                at = self._skip(at + 1)
                if at == len(text):
                    raise self._close_marker(stack[-1])
                if text[at] not in "]}":
                    at = self._name(at) if text[stack[-1]] == "{" else at
                    continue
            else:
                at = self._scalar_end(at, in_array=bool(stack) and text[stack[-1]] == "[")
            while stack:                     # after an entry: a close marker or a comma
                at = self._skip(at)
                if at == len(text):
                    raise self._close_marker(stack[-1])
                if text[at] in "]}":
                    self._close(stack.pop(), at)
                    at += 1
                    continue
                kind = _kind(text[stack[-1]])
                if text[at] != ",":
                    raise self._unexpected(at, f"was expecting comma to separate {kind} entries")
                at = self._skip(at + 1)
                if at == len(text):
                    raise self._error(f"Unexpected end-of-input within/between {kind} entries")
                if kind == "Object":
                    at = self._name(at)
                break
            else:
                return at

    def _close(self, opened: int, at: int) -> None:
        """``_closeScope``: ``text[at]`` must close the object or array opened there."""
        close = "}" if self.text[opened] == "{" else "]"
        if self.text[at] != close:
            raise self._error(
                f"Unexpected close marker '{self.text[at]}': expected '{close}' (for "
                f"{_kind(self.text[opened])} starting at "
                f"{_location(self.body, self.text, opened)})")

    def _name(self, at: int) -> int:
        """An object's field name and its colon from ``text[at]``; where the value starts."""
        text = self.text
        if text[at] != '"':
            raise self._unexpected(at, "was expecting double-quote to start field name")
        if at + 1 == len(text):
            raise self._error("Unexpected end-of-input: was expecting closing '\"' for name")
        end = self._string_end(at, name=True)
        at = self._skip(end + 1)
        if at == len(text):
            raise self._error("Unexpected end-of-input within/between Object entries")
        if text[at] != ":":
            raise self._unexpected(at, "was expecting a colon to separate field name and value")
        at = self._skip(at + 1)
        if at == len(text):
            raise self._error("Unexpected end-of-input within/between Object entries")
        return at

    def _scalar_end(self, at: int, *, in_array: bool) -> int:
        """The end of the string, number or literal at ``text[at]``."""
        text = self.text
        char = text[at]
        if char == '"':
            return self._string_end(at) + 1
        if char in "+-" or char in _DIGITS:
            return self._number_end(at)
        if char in _LITERALS:
            return self._literal_end(at, _LITERALS[char])
        if char in "}," or (char == "]" and in_array):
            raise self._unexpected(at, "expected a value")
        if char == "/":
            raise self._unexpected(at, "maybe a (non-standard) comment? (not recognized as "
                                   "one since Feature 'ALLOW_COMMENTS' not enabled for parser)")
        if char.isidentifier() or char == "$":    # Character.isJavaIdentifierStart, nearly
            raise self._token(at, at)
        raise self._unexpected(at, f"expected a valid value {_VALUES}")

    def _token(self, start: int, at: int) -> HttpError:
        """``_reportInvalidToken``: the word from ``start``, read on while it goes on."""
        text = self.text
        while at < len(text) and (text[at].isalnum() or text[at] in "_$") and \
                at - start < 256:
            at += 1
        return self._error(f"Unrecognized token '{text[start:at]}': was expecting {_VALUES}")

    def _literal_end(self, at: int, word: str, *, matched: int = 1) -> int:
        """``_matchToken``: ``word`` at ``text[at]``, its first ``matched`` characters
        already read; a non-numeric number (``NaN``, ``Infinity``, ``-INF``, ...) is then
        refused as non-standard."""
        text = self.text
        for i in range(matched, len(word)):
            if at + i == len(text) or text[at + i] != word[i]:
                raise self._token(at, at + i)
        end = at + len(word)
        if end < len(text) and (text[end].isalnum() or text[end] in "_$"):  # _checkMatchEnd
            raise self._token(at, end)
        if word not in ("true", "false", "null"):
            raise self._error(f"Non-standard token '{word}': enable "
                              "JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow")
        return end

    def _invalid_number_start(self, at: int) -> None:
        """``_handleInvalidNumberStart``: the sign at ``text[at]`` is followed by no digit.
        Only ``INF`` and ``Infinity`` are words Jackson knows after a sign (``-NaN`` and
        ``+5`` are no numbers to it); its words name the minus sign for a plus too."""
        text = self.text
        sign, after = text[at], at + 1
        if after + 1 < len(text) and text[after] == "I" and text[after + 1] in "Nn":
            word = sign + ("INF" if text[after + 1] == "N" else "Infinity")
            self._literal_end(at, word, matched=3)
        if after < len(text) and text[after] == "I":    # what follows the I is no digit
            after += 1
        if after == len(text):
            raise self._error("Unexpected end-of-input in a Number value")
        raise self._error(f"Unexpected character ({_char(text[after])}) in numeric value: "
                          "expected digit (0-9) to follow minus sign, for valid numeric value")

    def _string_end(self, at: int, *, name: bool = False) -> int:
        """Where the string opened at ``text[at]`` closes (its closing quote), a field
        ``name`` or a value."""
        text = self.text
        at += 1
        while at < len(text):
            char = text[at]
            if char == '"':
                return at
            if char < " ":
                raise self._error(f"Illegal unquoted character ({_char(char)}): has to be "
                                  "escaped using backslash to be included in "
                                  + ("name" if name else "string value"))
            if char == "\\":
                at += 1
                if at == len(text):
                    raise self._error("Unexpected end-of-input in character escape sequence")
                if text[at] == "u":
                    for digit in range(at + 1, min(at + 5, len(text))):
                        if text[digit] not in _HEX:
                            raise self._unexpected(
                                digit, "expected a hex-digit for character escape sequence")
                    at += 4
                elif text[at] not in '"\\/bfnrt':
                    raise self._error(f"Unrecognized character escape {_char(text[at])}")
            at += 1
        raise self._error("Unexpected end-of-input in "
                          + ("field name" if name else "VALUE_STRING"))

    def _number_end(self, at: int) -> int:
        text = self.text

        def digits(j: int) -> int:
            while j < len(text) and text[j] in _DIGITS:
                j += 1
            return j

        def need_digit(j: int, what: str) -> None:
            if j == len(text):
                raise self._error("Unexpected end-of-input in a Number value")
            if text[j] not in _DIGITS:
                raise self._error(f"Unexpected character ({_char(text[j])}) in numeric "
                                  f"value: {what}")

        if text[at] in "+-":
            if at + 1 == len(text) or text[at + 1] not in _DIGITS or text[at] == "+":
                self._invalid_number_start(at)
            at += 1
        if text[at] == "0" and at + 1 < len(text) and text[at + 1] in _DIGITS:
            raise self._error("Invalid numeric value: Leading zeroes not allowed")
        at = digits(at)
        if at < len(text) and text[at] == ".":
            need_digit(at + 1, "Decimal point not followed by a digit")
            at = digits(at + 1)
        if at < len(text) and text[at] in "eE":
            at += 1
            if at < len(text) and text[at] in "+-":
                at += 1
            need_digit(at, "Exponent indicator not followed by a digit")
            at = digits(at)
        return at


def _kind(opener: str) -> str:
    """``JsonReadContext.typeDesc`` of the context ``opener`` starts."""
    return "Object" if opener == "{" else "Array"


def number(value: float) -> float | int:
    """A whole number as Marathon's JSON writes it (``128``, not ``128.0``)."""
    return int(value) if float(value).is_integer() else value
