"""Go's ``encoding/json`` scanner (golang/go ``src/encoding/json/scanner.go``): where a text
stops being JSON and how Go words it, for the servers that read bodies as a Go program does:
the Docker daemon (:mod:`~clustersim.serve.dockerjson`, a ``json.Decoder`` reading a body's
first value) and the Kubernetes API server (:mod:`~clustersim.serve.kubedecoding`,
``json.Unmarshal`` of a whole text, as k8s.io/apimachinery's ``SimpleMetaFactory.Interpret``
and sigs.k8s.io/json's copy of the scanner read it).

The scanner names the first character that cannot continue the value and what it was
doing (``invalid character 'x' looking for beginning of value``, ``... after array
element``, ``... in literal true (expecting 'r')``...). The two readers say differently where
the text ends first (:meth:`JSONSyntaxError.message`):

- ``Unmarshal`` (``checkValid``, then ``scanner.eof``) feeds the scanner one space more, so
  a text that stops in a literal, a number or an escape is refused for that space
  (``invalid character ' ' in literal true (expecting 'e')``), any other end is
  ``unexpected end of JSON input``, and a character after the value is refused ``after
  top-level value`` (:func:`syntax_error`);
- ``Decoder.Decode`` (``stream.go``, ``readValue``) answers any end inside the value with
  ``io.ErrUnexpectedEOF``, ``unexpected EOF``, and stops where the value ends, leaving the
  rest to its caller (:func:`value_end`).

Simplified (what Go does instead): the text is read a character at a time where Go reads
bytes, so a character past ASCII is named whole (Go names its first byte; a caller that
reads a byte a character, as latin-1, gets Go's name); the nesting bound is the servers'
own (:func:`~clustersim.serve.core.decode_json`), not the scanner's 10000 levels.
"""

from __future__ import annotations

from clustersim.goformat import go_quote

__all__ = ["JSONSyntaxError", "quote_char", "syntax_error", "value_end"]

_SPACE = frozenset(" \t\r\n")
_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")
_ESCAPES = frozenset('"\\/bfnrt')
_LITERALS = {"t": "true", "f": "false", "n": "null"}


def quote_char(char: str) -> str:
    """A character as encoding/json's ``quoteChar`` quotes it in a syntax error: Go's ``%q``
    (:func:`~clustersim.goformat.go_quote`) in single quotes, and a quote of either kind
    escaped as such (``'\\''``, ``'"'``)."""
    if char in ("'", '"'):
        return "'\\''" if char == "'" else "'\"'"
    return "'" + go_quote(char)[1:-1] + "'"


class JSONSyntaxError(ValueError):
    """Where the scanner stops: ``char``, the character it refuses, and ``context``, its
    words for what it was reading. ``char`` is "" where the text ends first; ``context`` is
    then the words a space would be refused with there (in a literal, a number or an
    escape), "" where a space is no mistake and only more text was wanted."""

    def __init__(self, char: str, context: str = "") -> None:
        super().__init__(char, context)
        self.char, self.context = char, context

    def message(self, *, stream: bool = False) -> str:
        """Go's words: ``Unmarshal``'s, or a ``json.Decoder``'s when ``stream``."""
        if self.char:
            return f"invalid character {quote_char(self.char)} {self.context}"
        if stream:
            return "unexpected EOF"
        if self.context:                    # scanner.eof steps a space
            return f"invalid character ' ' {self.context}"
        return "unexpected end of JSON input"


def syntax_error(text: str) -> str | None:
    """``json.Unmarshal``'s ``SyntaxError`` for ``text`` (``checkValid``), or None when the
    text is one JSON value with nothing but spaces around it."""
    try:
        end = value_end(text, 0)
        rest = _skip_spaces(text, end)
        if rest < len(text):
            raise JSONSyntaxError(text[rest], "after top-level value")
    except JSONSyntaxError as err:
        return err.message()
    return None


def value_end(text: str, start: int) -> int:
    """Where the JSON value at ``text[start:]`` (spaces before it skipped) ends, as the
    scanner checks it; :class:`JSONSyntaxError` where it cannot. A number that ends with the
    text is complete."""
    stack: list[str] = []       # "{" or "[" for each open object or array
    i = start
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
                raise JSONSyntaxError(char, "after object key:value pair" if top == "{"
                                      else "after array element")
            stack.pop()
            i += 1
        else:
            return i


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return i


def _skip(text: str, i: int) -> int:
    """The next character that is no space; the text must go on."""
    i = _skip_spaces(text, i)
    if i == len(text):
        raise JSONSyntaxError("")
    return i


def _at(text: str, i: int) -> str:
    """The character at ``i``, "" past the end."""
    return text[i] if i < len(text) else ""


def _key(text: str, i: int) -> int:
    """An object key and its colon, from ``text[i]``; the value follows."""
    if text[i] != '"':
        raise JSONSyntaxError(text[i], "looking for beginning of object key string")
    i = _skip(text, _string_end(text, i))
    if text[i] != ":":
        raise JSONSyntaxError(text[i], "after object key")
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
            if _at(text, i + offset) != wanted:
                raise JSONSyntaxError(_at(text, i + offset),
                                      f"in literal {word} (expecting '{wanted}')")
        return i + len(word)
    raise JSONSyntaxError(char, "looking for beginning of value")


def _string_end(text: str, i: int) -> int:
    i += 1
    while i < len(text):
        char = text[i]
        if char == '"':
            return i + 1
        if char < " ":
            raise JSONSyntaxError(char, "in string literal")
        if char == "\\":
            i += 1
            escaped = _at(text, i)
            if escaped == "u":
                for hex_digit in (_at(text, i + k) for k in range(1, 5)):
                    if hex_digit not in _HEX:
                        raise JSONSyntaxError(hex_digit, "in \\u hexadecimal character escape")
                i += 4
            elif escaped not in _ESCAPES:
                raise JSONSyntaxError(escaped, "in string escape code")
        i += 1
    raise JSONSyntaxError("")


def _number_end(text: str, i: int) -> int:
    """A JSON number; the scanner stops at its end."""
    def digits(j: int) -> int:
        while _at(text, j) in _DIGITS:
            j += 1
        return j

    def need_digit(j: int, context: str) -> None:
        if _at(text, j) not in _DIGITS:
            raise JSONSyntaxError(_at(text, j), context)

    if text[i] == "-":
        i += 1
        need_digit(i, "in numeric literal")
    i = i + 1 if text[i] == "0" else digits(i)
    if _at(text, i) == ".":
        need_digit(i + 1, "after decimal point in numeric literal")
        i = digits(i + 1)
    if _at(text, i) in ("e", "E"):
        i += 1
        if _at(text, i) in ("+", "-"):
            i += 1
        need_digit(i, "in exponent of numeric literal")
        i = digits(i)
    return i
