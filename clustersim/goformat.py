"""How Go writes a value into an error message, for the servers and loaders that quote Go
programs (the Kubernetes API server, the Docker daemon) word for word.

The rules that live here, each once:

- :func:`go_quote`: Go's ``%q`` verb (``strconv.Quote``, golang/go ``src/strconv/quote.go``).
- :func:`json_kind`: how ``encoding/json`` names a JSON value it cannot store in a Go field
  (``UnmarshalTypeError.Value``, filled in by ``literalStore``, ``array`` and ``object`` of
  golang/go ``src/encoding/json/decode.go``), a number by its text as written
  (:class:`FloatLiteral`); :func:`int_range`, what each of Go's integer types holds.
- :func:`parse_int`: ``strconv.ParseInt`` and ``ParseUint`` in base 10, with their
  :class:`NumError` (``src/strconv/atoi.go``), as the API server reads a resourceVersion or a
  list option and the Docker daemon an object's version; :func:`atoi`, ``strconv.Atoi``, is
  ParseInt under its own name, for cron schedules, Compose's number casts, a Job's index
  intervals and its pods' index annotations.
- :func:`parse_float`: ``strconv.ParseFloat`` of a float64 (``src/strconv/atof.go``), for
  Compose's float casts.
- :func:`go_verbose`: Go's ``%+v`` of a decoded JSON value (``src/fmt/print.go``), as the
  API server shows a strategic merge patch it refused.
- :func:`duration_string`: a ``time.Duration`` as Go prints it (``Duration.String`` in
  ``src/time/time.go``), as the kubelet writes how long an image pull took and metrics-server
  its window; :func:`seconds_duration`, Go's ``time.Second * time.Duration(n)``, which wraps
  around in int64 nanoseconds, as the API server adds a grace period to now.
- :func:`go_text`: a string as Go's ``encoding/json`` decodes it, a lone UTF-16 surrogate
  read as U+FFFD (``unquoteBytes`` in ``src/encoding/json/decode.go``).
- :func:`go_json`: ``json.Marshal`` of a decoded JSON value (``src/encoding/json/encode.go``),
  as kubectl writes its last-applied-configuration annotation; :class:`GoStruct`, a struct
  without json tags in it, as the API server shows an internal type in a field error.
- :func:`parse_rfc3339`: ``time.Parse(time.RFC3339, text)`` with its :class:`TimeParseError`
  (``src/time/format.go``), as the API server reads a ``metav1.Time``; :func:`time_quote`, the
  time package's own ``quote`` that its errors use, ``time.ParseDuration``'s included.
- :func:`path_clean`: ``path.Clean`` of a slash-separated path (``src/path/path.go``), as the
  Docker daemon compares a bind's source and the API server checks a continue token's key.
"""

from __future__ import annotations

import calendar
import json
import posixpath
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

__all__ = ["FloatLiteral", "GoStruct", "NumError", "TimeParseError", "atoi", "duration_string",
           "go_json", "go_quote", "go_text", "go_verbose", "int_range", "json_kind",
           "parse_float", "parse_int", "parse_rfc3339", "path_clean", "seconds_duration",
           "time_quote"]

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
    literal as the JSON text wrote it (``1.50``, ``1e3``): a value that kept that text (a
    :class:`FloatLiteral`, as the servers' decoders keep it) is named by it; any other
    is written as JSON text again (``json.dumps``: ``1.5``, ``2.0``, ``1000.0`` for
    ``1e3``)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        if not numeric_target:
            return "number"
        return f"number {getattr(value, 'literal', None) or json.dumps(value)}"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


_INT_BITS = {"int": 64, "int64": 64, "int32": 32, "int16": 16, "int8": 8}
_UINT_BITS = {"uint": 64, "uint64": 64, "uint32": 32, "uint16": 16, "uint8": 8}


def int_range(go_type: str) -> range | None:
    """The whole numbers Go's integer type ``go_type`` holds (``int`` and ``uint`` are 64
    bits wide on the platforms the servers are built for), or None for any other type:
    a number outside it is one ``encoding/json`` refuses to store (``literalStore``'s
    ``OverflowInt``/``OverflowUint``)."""
    if go_type in _INT_BITS:
        limit = 1 << (_INT_BITS[go_type] - 1)
        return range(-limit, limit)
    if go_type in _UINT_BITS:
        return range(1 << _UINT_BITS[go_type])
    return None


class FloatLiteral(float):
    """A JSON number that is no whole number (a fraction or an exponent: ``1E2``, ``0.20``,
    ``1e400``), with the text it was written as, which :func:`json_kind` names as Go does
    (``number 1E2``, never Python's ``100.0``). Passed as ``parse_float`` to ``json.loads``
    by the servers that quote Go's decoder (the Docker daemon, the Kubernetes API server);
    a whole number needs none: Python's ``int`` prints as it was written (``-0`` aside,
    which fits every Go number)."""

    literal: str

    def __new__(cls, text: str) -> FloatLiteral:
        number = super().__new__(cls, text)
        number.literal = text
        return number


class NumError(ValueError):
    """Go's ``*strconv.NumError``: the function that failed (``ParseInt``), the text it was
    given, and why (``invalid syntax`` or ``value out of range``, ``ErrSyntax`` and
    ``ErrRange``); ``str()`` is its ``Error()``, ``strconv.ParseInt: parsing "x": invalid
    syntax``, the text quoted as ``strconv.Quote`` quotes it."""

    def __init__(self, func: str, num: str, err: str) -> None:
        super().__init__(f"strconv.{func}: parsing {go_quote(num)}: {err}")
        self.func, self.num, self.err = func, num, err


def parse_int(text: str, *, signed: bool, bits: int = 64, base: int = 10) -> int:
    """``text`` as Go's ``strconv.ParseInt(text, base, bits)`` (``signed``) or
    ``strconv.ParseUint(text, base, bits)`` reads it, ``bits`` from 1 to 64, ``base`` 10 or
    0; a text it refuses raises :class:`NumError` with Go's words (golang/go
    ``src/strconv/atoi.go``).

    Go's rules in base 10: ASCII digits only (no ``_``, no space, no ``0x``), at least one;
    an optional ``+`` or ``-`` in front for ParseInt only (ParseUint refuses any sign, ``-0``
    too). Base 0 reads the base from a prefix (``0b``, ``0o``, ``0x`` followed by something,
    else a leading ``0`` is octal, as ``0644``) and allows ``_`` between digits
    (``underscoreOK``). ParseUint reads the digits left to right and stops at the first that
    takes the value past ``2**bits - 1`` (``value out of range``) or the first byte that is
    no digit of the base (``invalid syntax``), whichever comes first, so
    ``99999999999999999999x`` is out of range and ``12x`` invalid. ParseInt reads the digits
    after its sign with ParseUint, keeps a syntax error (in its own name, the sign in the
    quoted text) and then checks the signed range, ``-2**(bits-1)`` to ``2**(bits-1) - 1``:
    ``9223372036854775808x`` is invalid syntax, since ParseUint's 64 bits still hold it
    when it meets the ``x``."""
    func = "ParseInt" if signed else "ParseUint"
    negative = signed and text.startswith("-")
    body = text[1:] if signed and text[:1] in ("+", "-") else text
    maximum = 2 ** bits - 1
    if body[:1] == "0" and base == 0:
        prefixed = len(body) >= 3 and body[1].lower() in "box"
        radix = {"b": 2, "o": 8, "x": 16}[body[1].lower()] if prefixed else 8
        digits = body[2:] if prefixed else body[1:]
    else:
        radix, digits = 10, body
    value, underscores = 0, False
    for char in digits:
        if char == "_" and base == 0:
            underscores = True
            continue
        digit = int(char, 36) if char.isascii() and char.isalnum() else radix
        if digit >= radix:
            raise NumError(func, text, "invalid syntax")
        value = value * radix + digit
        if value > maximum:
            raise NumError(func, text, "value out of range")
    if not body or (underscores and not _underscores_ok(body)):
        raise NumError(func, text, "invalid syntax")
    if signed and not (value <= 2 ** (bits - 1) if negative else value < 2 ** (bits - 1)):
        raise NumError(func, text, "value out of range")
    return -value if negative else value


def atoi(text: str) -> int:
    """``text`` as Go's ``strconv.Atoi`` reads it: ``ParseInt(text, 10, 0)``, an ``int`` of
    64 bits, whose :class:`NumError` names ``Atoi`` (``strconv.Atoi: parsing "x": invalid
    syntax``; golang/go ``src/strconv/atoi.go`` rewrites the error's ``Func``, and its fast
    path for short texts gives the same answers). Whether the number fits the caller's
    narrower type is the caller's check."""
    try:
        return parse_int(text, signed=True)
    except NumError as err:
        raise NumError("Atoi", text, err.err) from None


_GO_FLOAT = re.compile(
    r"""[+-]?(?:(?=[_.]*[0-9])[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?
         |0[xX](?=[_.]*[0-9a-fA-F])[0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?[pP][+-]?[0-9][0-9_]*)""",
    re.VERBOSE)


def _underscores_ok(text: str) -> bool:
    """Go's ``underscoreOK``: each ``_`` stands between two digits, or between a base
    prefix (``0b``, ``0o``, ``0x``) and a digit."""
    body = text[1:] if text[:1] in ("+", "-") else text
    prefixed = len(body) >= 2 and body[0] == "0" and body[1].lower() in "box"
    hexadecimal = prefixed and body[1].lower() == "x"
    digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
    saw = "0" if prefixed else "^"
    for char in body[2:] if prefixed else body:
        if char in digits:
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def parse_float(text: str) -> float:
    """``text`` as Go's ``strconv.ParseFloat(text, 64)`` reads it; a text it refuses raises
    :class:`NumError` with Go's words (golang/go ``src/strconv/atof.go``: ``special``,
    ``readFloat``, ``underscoreOK``).

    Go's syntax, not Python's: ASCII digits only and no surrounding space; ``_`` only
    between digits; a hexadecimal mantissa (``0x1p-2``) with its ``p`` exponent; ``inf``,
    ``infinity`` (signed or not) and ``nan`` (never signed) in any case. A number past the
    float64 range is ``value out of range`` (Go returns it as an infinity with that error);
    one too small for it reads as zero, as in Go."""
    sign, special = (text[0], text[1:].lower()) if text[:1] in ("+", "-") else ("", text.lower())
    if special in ("inf", "infinity") or (special == "nan" and not sign):
        return float(sign + special)
    if not _GO_FLOAT.fullmatch(text) or not _underscores_ok(text):
        raise NumError("ParseFloat", text, "invalid syntax")
    plain = text.replace("_", "")
    try:
        value = float.fromhex(plain) if "x" in plain.lower() else float(plain)
    except OverflowError:
        value = float("inf")
    if value in (float("inf"), float("-inf")):
        raise NumError("ParseFloat", text, "value out of range")
    return value


def go_verbose(value: Any) -> str:
    """``fmt.Sprintf("%+v", value)`` of a JSON value decoded into Go's ``interface{}`` (maps,
    slices, strings, ``int64`` for whole numbers, ``float64``, bools, nil): ``map[k:v ...]``
    with its keys sorted (``fmt`` sorts a map's keys), ``[a b]``, strings unquoted, ``<nil>``.
    A float prints as ``%v`` does (:func:`_go_float`)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_verbose(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_verbose(v) for v in value) + "]"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


_SMALL_UNITS = ((1_000, "ns"), (1_000_000, "µs"), (1_000_000_000, "ms"))
"""Below a second, the unit each duration is written in: the largest whose count is at least
1, up to (not including) the next bound (``µ`` is U+00B5, the micro sign Go writes)."""


def seconds_duration(seconds: int) -> float:
    """``time.Second * time.Duration(seconds)`` as Go computes it, in seconds: a Duration is
    an int64 of nanoseconds and the product wraps around (two's complement, no error), so
    ``9223372036854775807`` s is -1 s and ``99999999999`` s about 246 years (``src/time/
    time.go``; what ``BeforeDelete`` adds to now for a DELETE's ``gracePeriodSeconds``)."""
    nanos = (seconds * 1_000_000_000 + (1 << 63)) % (1 << 64) - (1 << 63)
    return nanos / 1_000_000_000


def duration_string(seconds: float) -> str:
    """``seconds`` (rounded to whole nanoseconds, a Duration's resolution) as Go's
    ``time.Duration.String`` writes it: ``0s``; below a second in the unit that makes the
    leading digit non-zero (``512ms``, ``1.5µs``, ``40ns``); else hours and minutes when
    there are any, and seconds with the fraction's trailing zeros cut (``5s``, ``1.234s``,
    ``1m30s``, ``2h0m0.5s``)."""
    nanos = round(seconds * 1_000_000_000)
    sign, nanos = ("-" if nanos < 0 else ""), abs(nanos)
    if nanos == 0:
        return "0s"
    scale = 1
    for bound, unit in _SMALL_UNITS:
        if nanos < bound:
            return sign + _decimal(nanos, scale) + unit
        scale = bound
    minutes, rest = divmod(nanos, 60 * 1_000_000_000)
    hours, minutes = divmod(minutes, 60)
    text = _decimal(rest, 1_000_000_000) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    return f"{sign}{minutes}m{text}" if minutes else sign + text


def _decimal(count: int, scale: int) -> str:
    """``count / scale`` in decimal (``scale`` a power of ten), without trailing zeros."""
    whole, fraction = divmod(count, scale)
    digits = str(fraction).rjust(len(str(scale)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                 "\u2029": "\\u2029"}


class GoStruct(dict[str, Any]):
    """A Go struct whose fields carry no json tags (an internal API type such as
    ``rbac.RoleRef``), which :func:`go_json` writes as ``json.Marshal`` does: each field under
    its Go name, in the order the struct declares them (the order given, never sorted as a
    map's keys are), a nil pointer as ``null``:
    ``{"APIGroup":"rbac.authorization.k8s.io","Kind":"Role","Name":"r"}``."""


def go_text(text: str) -> str:
    """``text`` as Go holds a JSON string it decoded: an escaped UTF-16 surrogate without its
    pair (``"\\ud800"``, which Python's decoder keeps as it is) is U+FFFD, the replacement
    rune ``unquoteBytes`` writes for it (golang/go ``src/encoding/json/decode.go``); a pair
    Python has already joined. The result can always be written out as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def go_json(value: Any) -> str:
    """``json.Marshal`` of ``value`` (golang/go ``src/encoding/json/encode.go``): compact, map
    keys sorted (byte order of UTF-8 is code point order), non-ASCII text as it is but
    ``<``, ``>``, ``&``, U+2028 and U+2029 escaped (``HTMLEscape`` is on by default), and a
    float64 in ``floatEncoder``'s form: plain digits, an exponent only below 1e-6 or from
    1e21 on (``1e-07`` is written ``1e-7``). A lone surrogate (``"\\ud800"`` in a JSON body)
    is U+FFFD, as Go's decoder had already made it: Python's text would keep a character
    that cannot be written out as UTF-8. A value JSON has no form for (a ``Decimal``, a
    date) is written as its text, quoted, never raised."""
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, dict):
        fields = value.items() if isinstance(value, GoStruct) else sorted(value.items())
        return "{" + ",".join(f"{_go_key(key)}:{go_json(item)}" for key, item in fields) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(go_json(item) for item in value) + "]"
    if value is None or value is True or value is False:
        return _LITERALS[value]
    if isinstance(value, int):
        return int.__repr__(value)      # as json.dumps writes an int (or an IntEnum)
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        size = abs(value)
        if size != 0 and (size < 1e-6 or size >= 1e21):
            mantissa, _, power = repr(value).partition("e")
            return f"{mantissa.removesuffix('.0')}e{int(power):+d}"
        return format(Decimal(repr(value)), "f").removesuffix(".0") if value != int(value) \
            else str(int(value))
    return json.dumps(value, default=str)


_LITERALS = {None: "null", True: "true", False: "false"}
_HTML_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _html_escape(match: re.Match[str]) -> str:
    return _HTML_ESCAPES[match.group()]


def _go_string(text: str) -> str:
    """A string as :func:`go_json` writes it: ``json.dumps(text, ensure_ascii=False)``
    (which is ``json.encoder.encode_basestring``, called here directly: ``json.dumps``
    builds an encoder at every call) with Go's HTML escapes."""
    return _HTML_UNSAFE.sub(_html_escape, encode_basestring(go_text(text)))


def _go_key(key: Any) -> str:
    """A map key as :func:`go_json` writes it: a text key from a cache (:func:`_go_text_key`),
    any other (``True``, ``-0.0``, ``Decimal("1.00")``) as its own text, which keys that
    compare equal need not share (``0.0 == -0.0``)."""
    return _go_text_key(key) if type(key) is str else _go_string(str(key))


@lru_cache(maxsize=4096)
def _go_text_key(key: str) -> str:
    """A text map key as :func:`go_json` writes it, kept: a manifest repeats a few hundred
    keys (``metadata``, ``name``...) many times over. Only an exact ``str`` comes here,
    whose text is the key itself."""
    return _go_string(key)


def _go_float(value: float) -> str:
    """``%v`` of a float64: ``strconv.FormatFloat(value, 'g', -1, 64)``, the shortest digits
    that read back as ``value``, with an exponent (a sign, at least two digits) when the
    decimal exponent is below -4 or at least 6 (``%g``'s precision for the shortest form)."""
    if value != value or value in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[repr(value)]
    power = int(f"{value:e}".partition("e")[2])
    digits = repr(value)                                   # Python's shortest digits
    if -4 <= power < 6:
        return format(value, "f").rstrip("0").rstrip(".") if "e" in digits else \
            digits.removesuffix(".0")
    shortest = digits.partition("e")[0].replace(".", "").replace("-", "").lstrip("0")
    shortest = shortest.rstrip("0") or "0"
    mantissa = shortest[0] + ("." + shortest[1:] if len(shortest) > 1 else "")
    sign = "-" if power < 0 else "+"
    return f"{'-' if value < 0 else ''}{mantissa}e{sign}{abs(power):02d}"


RFC3339 = "2006-01-02T15:04:05Z07:00"
"""Go's ``time.RFC3339`` layout."""
_RFC3339_CHUNKS = (("", "2006"), ("-", "01"), ("-", "02"), ("T", "15"), (":", "04"),
                   (":", "05"), ("", "Z07:00"))
"""The layout as ``nextStdChunk`` cuts it: the literal text before each element."""
_RANGES = {"01": (1, 12, "month"), "15": (0, 23, "hour"), "04": (0, 59, "minute"),
           "05": (0, 59, "second")}


class TimeParseError(ValueError):
    """``time.ParseError``; its text is ``Error()``'s."""


def parse_rfc3339(text: str) -> datetime:
    """``time.Parse(time.RFC3339, text)`` (``parse`` in golang/go ``src/time/format.go``): a
    four-digit year, two-digit month, day, minute and second, a one- or two-digit hour, an
    optional fraction of a second, and ``Z`` or a ``+hh:mm`` offset. Raises
    :class:`TimeParseError` in Go's words: ``cannot parse "x" as "2006"`` for the first
    element that does not read, ``month out of range`` (hour, minute, second, day), or
    ``extra text: "x"``. Simplified: Go's year 0 reads as year 1, Python's first."""
    value, offset, fraction = text, 0, ""
    found: dict[str, int] = {}
    for literal, element in _RFC3339_CHUNKS:
        if not value.startswith(literal):
            raise _time_error(text, f"cannot parse {time_quote(value)} as "
                              f"{time_quote(literal)}", as_layout=True)
        value = value[len(literal):]
        hold, out_of_range = value, ""
        number: int | None = None
        if element == "2006":
            if len(value) >= 4 and all(_is_digit(value, i) for i in range(4)):
                number, value = int(value[:4]), value[4:]
        elif element == "Z07:00":
            number, value, offset, out_of_range = _zone(value)
        else:
            number, value = _getnum(value, fixed=element != "15")
            low, high, name = _RANGES.get(element, (1, 99, ""))   # a day: after the loop
            if number is not None and not low <= number <= high:
                out_of_range = name
            if element == "05" and number is not None and not out_of_range and \
                    len(value) >= 2 and value[0] in ".," and _is_digit(value, 1):
                digits = 2
                while _is_digit(value, digits):
                    digits += 1
                fraction, value = value[1:digits], value[digits:]
        if out_of_range:
            raise _time_error(text, f"{out_of_range} out of range")
        if number is None:
            raise _time_error(text, f"cannot parse {time_quote(hold)} as "
                              f"{time_quote(element)}", as_layout=True)
        found[element] = number
    if value:
        raise _time_error(text, f"extra text: {time_quote(value)}")
    year, month, day = found["2006"], found["01"], found["02"]
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise _time_error(text, "day out of range")
    return datetime(max(year, 1), month, day, found["15"], found["04"], found["05"],
                    int((fraction + "000000")[:6]),
                    tzinfo=timezone(timedelta(seconds=offset)) if offset else UTC)


def _zone(value: str) -> tuple[int | None, str, int, str]:
    """The ``Z07:00`` element: (a number, or None where it does not read; what is left; the
    offset in seconds; the range error)."""
    if value.startswith("Z"):
        return 0, value[1:], 0, ""
    if len(value) < 6 or value[3] != ":":
        return None, value, 0, ""
    hours, _ = _getnum(value[1:3], fixed=True)
    minutes, _ = _getnum(value[4:6], fixed=True) if hours is not None else (None, "")
    out_of_range = "time zone offset minute" if (minutes or 0) > 60 else \
        "time zone offset hour" if (hours or 0) > 24 else ""
    if hours is None or minutes is None or value[0] not in "+-":
        return None, value[6:], 0, out_of_range
    offset = (hours * 60 + minutes) * 60 * (-1 if value[0] == "-" else 1)
    return 0, value[6:], offset, out_of_range


def _is_digit(text: str, index: int) -> bool:
    return index < len(text) and "0" <= text[index] <= "9"


def _getnum(text: str, *, fixed: bool) -> tuple[int | None, str]:
    """``getnum``: one digit, or two (two required when ``fixed``)."""
    if not _is_digit(text, 0):
        return None, text
    if not _is_digit(text, 1):
        return (None, text) if fixed else (int(text[0]), text[1:])
    return int(text[:2]), text[2:]


def _time_error(text: str, detail: str, *, as_layout: bool = False) -> TimeParseError:
    """``ParseError.Error()``: ``parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot
    parse ...`` for an element that does not read, else ``parsing time "x": ...``."""
    layout = f" as {time_quote(RFC3339)}" if as_layout else ""
    return TimeParseError(f"parsing time {time_quote(text)}{layout}: {detail}")


def time_quote(text: str) -> str:
    """The time package's own ``quote``: a control or non-ASCII character as the ``\\x``
    escapes of its UTF-8 bytes, ``"`` and ``\\`` escaped, not ``strconv.Quote``."""
    out = []
    for char in text:
        if char < " " or ord(char) >= 0x80:
            out += [f"\\x{byte:02x}" for byte in char.encode(errors="surrogatepass")]
        else:
            out.append("\\" + char if char in '"\\' else char)
    return '"' + "".join(out) + '"'


def path_clean(path: str) -> str:
    """``path`` as Go's ``path.Clean`` writes it: no ``.``, ``..``, doubled or trailing
    slashes (``posixpath.normpath`` keeps a leading ``//``, which Go folds to one)."""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned
