"""How the Docker daemon reads a request body: moby's ``httputils.ReadJSON`` over Go's
``encoding/json``, for :mod:`clustersim.serve.docker` and :mod:`~clustersim.serve.dockerspec`.

Engine 25.0 reads every swarm and network body this way (moby ``api/server/httputils/
httputils.go``, ``ReadJSON``, used by ``api/server/router/swarm/cluster_routes.go`` and the
network router): ``CheckForJSON`` first (a body must come with ``Content-Type:
application/json``, :func:`check_for_json`); an empty body is no error (the object keeps
its zero value); one ``json.Decoder.Decode`` reads the first JSON value into the route's Go
type, and any error it returns is wrapped as ``invalid JSON: <Go's error>`` (400), except a
body of nothing but spaces, ``invalid JSON: got EOF while reading request body``; if
another value follows (``Decoder.More``), ``unexpected content after JSON``.

Go's words, once each: its scanner's syntax errors as a ``json.Decoder`` words them
(:mod:`~clustersim.serve.gojson`: ``invalid character 'x' looking for beginning of value``,
``unexpected EOF`` for a body that ends inside a value), its ``UnmarshalTypeError``
(``decode.go``: ``json: cannot unmarshal string into Go struct field
ContainerSpec.TaskTemplate.ContainerSpec.Env of type []string``, :func:`decode`, against the
Engine's types in :mod:`~clustersim.serve.dockertypes`) and the base64 decoder's ``illegal
base64 data at input byte N`` for a ``[]byte`` field (``src/encoding/base64/base64.go``,
``decodeQuantum``).

Simplified (what Go does instead): a body nested deeper than the servers' one bound
(:func:`~clustersim.serve.core.decode_json`; Go's decoder allows 10000 levels) is refused with
Go's ``exceeded max depth``; bytes that
are no UTF-8 become U+FFFD everywhere (Go does so inside strings and names the byte elsewhere);
of a key sent twice in one object only the last value is checked (Go checks both, in order);
``-0`` in an unsigned field is taken as 0 (Go refuses the sign).
"""

from __future__ import annotations

import base64
import math
from typing import Any

from clustersim.goformat import FloatLiteral, int_range, json_kind
from clustersim.serve.core import HttpError, Request, decode_json
from clustersim.serve.dockertypes import NAMED, STRUCTS
from clustersim.serve.gojson import JSONSyntaxError, value_end

__all__ = ["decode", "decode_network_create", "decode_stored_spec", "read_json"]

_SPACE = " \t\r\n"


def read_json(request: Request, go_type: str = "") -> Any:
    """The body of ``request`` as ``httputils.ReadJSON`` decodes it into Go's ``go_type``
    (a struct of :mod:`~clustersim.serve.dockertypes`; none: no type is checked), after
    ``CheckForJSON`` (:func:`check_for_json`): the JSON as sent, ``{}`` when the body is
    empty or ``null`` (the struct keeps its zero value). A type error (:func:`decode`) is
    found before a second value after the first (``Decode`` returns it before ``ReadJSON``
    asks ``Decoder.More``)."""
    check_for_json(request)
    if not request.body:
        return {}
    text = request.body.decode("utf-8", errors="replace")   # Go replaces bad UTF-8 too
    start = len(text) - len(text.lstrip(_SPACE))
    if start == len(text):
        raise HttpError(400, "invalid JSON: got EOF while reading request body")
    try:
        end = value_end(text, start)
    except JSONSyntaxError as err:
        raise HttpError(400, f"invalid JSON: {err.message(stream=True)}") from None
    value = decode_json(text[start:end], HttpError(400, "invalid JSON: exceeded max depth"),
                        parse_float=FloatLiteral)
    if go_type:
        decode(value, go_type)
    rest = text[end:].lstrip(_SPACE)
    if rest and rest[0] not in "]}":     # Decoder.More
        raise HttpError(400, "unexpected content after JSON")
    return {} if value is None else value


def check_for_json(request: Request) -> None:
    """moby's ``CheckForJSON`` (``api/server/httputils/httputils.go``, v25): a request
    without a body may leave ``Content-Type`` out; any other must send one whose media type
    (Go's ``mime.ParseMediaType``) is ``application/json``. A header Go cannot parse is
    ``malformed Content-Type header (<header>): <mime's error>`` (no header at all: ``mime:
    no media type``), another media type ``unsupported Content-Type header (<header>): must
    be 'application/json'``; both 400."""
    header = request.headers.get("content-type", "")
    if not header and not request.body:
        return
    media, problem = media_type(header)
    if problem:
        raise HttpError(400, f"malformed Content-Type header ({header}): {problem}")
    if media != "application/json":
        raise HttpError(400, f"unsupported Content-Type header ({header}): must be "
                        "'application/json'")


_TSPECIALS = frozenset('()<>@,;:\\"/[]?=')


def _token(text: str) -> tuple[str, str]:
    """A leading RFC 1521 token of ``text`` and the rest (Go's ``consumeToken``)."""
    end = 0
    while end < len(text) and " " < text[end] < "\x7f" and text[end] not in _TSPECIALS:
        end += 1
    return text[:end], text[end:]


def media_type(header: str) -> tuple[str, str]:
    """The media type of a ``Content-Type`` header and Go's error for it, ``""`` when it
    parses (golang/go ``src/mime/mediatype.go``, ``ParseMediaType`` and
    ``checkMediaTypeDisposition``): a type, optionally ``/subtype``, then parameters
    ``; key=value`` (a value a token or a quoted string; a trailing ``;`` is allowed).

    Simplified (what Go does instead): RFC 2231 continuations (``title*0=``) are read as
    plain parameters, so only a repeated name is ``duplicate parameter name``."""
    base, _, _ = header.partition(";")
    media = base.strip().lower()
    kind, rest = _token(media)
    if not kind:
        return media, "mime: no media type"
    if rest:
        if not rest.startswith("/"):
            return media, "mime: expected slash after first token"
        subtype, rest = _token(rest[1:])
        if not subtype:
            return media, "mime: expected token after slash"
        if rest:
            return media, "mime: unexpected content after media subtype"
    params, seen = header[len(base):], set()
    while params.strip():
        key, params = _parameter(params)
        if key is None:
            if params.strip() == ";":       # a trailing semicolon is no error
                break
            return media, "mime: invalid media parameter"
        if key in seen:
            return media, "mime: duplicate parameter name"
        seen.add(key)
    return media, ""


def _parameter(text: str) -> tuple[str | None, str]:
    """``; key=value`` at the start of ``text`` (Go's ``consumeMediaParam``): the key in
    lower case and the rest, or None and ``text`` when there is none."""
    rest = text.lstrip()
    if not rest.startswith(";"):
        return None, text
    key, rest = _token(rest[1:].lstrip())
    rest = rest.lstrip()
    if not key or not rest.startswith("="):
        return None, text
    rest = rest[1:].lstrip()
    if rest.startswith('"'):
        i = 1           # Go's consumeValue: a backslash escapes a tspecial only
        while i < len(rest) and rest[i] != '"':
            if rest[i] in "\r\n":
                return None, text
            i += 2 if rest[i] == "\\" and rest[i + 1:i + 2] in _TSPECIALS else 1
        if i >= len(rest):
            return None, text
        return key.lower(), rest[i + 1:]
    value, after = _token(rest)
    return (key.lower(), after) if value else (None, text)


_FLOAT32_MAX = 3.4028234663852886e38


def decode(value: Any, go_type: str) -> Any:
    """``value`` (a decoded body) stored into Go's ``go_type`` (a name of
    :mod:`~clustersim.serve.dockertypes`) as ``json.Decoder.Decode`` stores it, refused with
    the first ``UnmarshalTypeError`` in the body's order (Go saves the first and reports it
    when the body is read), as ``ReadJSON`` wraps it. Returns the value as Go holds it:
    a struct as its known fields by their JSON names (keys matched in any case, as Go
    matches them; unknown keys dropped), ``[]byte`` as the base64 Go writes back.

    Go's words (golang/go ``src/encoding/json/decode.go``, Go 1.21 as Engine 25.0.6 is
    built with): ``cannot unmarshal <value> into Go struct field <Struct>.<Field> of type
    <Type>``, where ``Struct`` is the innermost struct being filled (``errorContext.Struct``),
    ``Field`` the JSON names from the body's top down to the field (``FieldStack``; a
    slice's index or a map's key adds nothing) and ``Type`` the Go type as
    ``reflect.Type.String()`` writes it, once the decoder has followed a pointer
    (``indirect``): ``uint64`` for a ``*uint64`` field. A body that is not the top-level type
    says ``into Go value of type swarm.ServiceSpec``; ``null`` leaves a struct empty."""
    decoded = _decode(value, go_type, "", ())
    return {} if decoded is None and go_type in STRUCTS else decoded


def _decode(value: Any, go_type: str, struct: str, path: tuple[str, ...]) -> Any:
    go_type = go_type.removeprefix("*")       # indirect: the pointer is allocated
    kind = NAMED.get(go_type, go_type)
    if value is None:
        return None
    if kind in STRUCTS and isinstance(value, dict):
        fields, out = STRUCTS[kind], {}
        for key, item in value.items():
            name = key if key in fields else next(
                (f for f in fields if f.lower() == str(key).lower()), None)
            if name is None:
                continue
            decoded = _decode(item, fields[name], kind.partition(".")[2], (*path, name))
            if decoded is not None:
                out[name] = decoded
            elif fields[name][0] in "*[m":     # null zeroes a pointer, slice or map only
                out.pop(name, None)
        return out
    if kind.startswith("map[string]") and isinstance(value, dict):
        element = kind.removeprefix("map[string]")
        return {k: _decode(v, element, struct, path) for k, v in value.items()}
    if kind == "[]uint8" and isinstance(value, str):
        return _base64(value)
    if kind.startswith("[]") and isinstance(value, list):
        items = [_decode(v, kind[2:], struct, path) for v in value]
        if kind == "[]uint8":       # null is a zero byte
            return base64.b64encode(bytes(b or 0 for b in items)).decode()
        return items
    if _fits(value, kind):
        return value
    said = json_kind(value, numeric_target=int_range(kind) is not None
                     or kind.startswith("float"))
    target = f"Go struct field {struct}.{'.'.join(path)}" if path else "Go value"
    raise HttpError(400, f"invalid JSON: json: cannot unmarshal {said} into {target} of "
                    f"type {go_type}")


def _fits(value: Any, kind: str) -> bool:
    """Whether a JSON string, number or literal ``value`` fits Go's ``kind``: a number must
    parse as the kind does (``strconv.ParseInt``, ``ParseUint``, ``ParseFloat``) and not
    overflow it."""
    if kind in ("string", "bool"):
        return isinstance(value, str if kind == "string" else bool)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    held = int_range(kind)
    if held is not None:
        return isinstance(value, int) and value in held
    if kind.startswith("float"):
        return not math.isinf(value) and (kind == "float64" or abs(value) <= _FLOAT32_MAX)
    return False


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


def _base64(text: str) -> str:
    """A ``[]byte`` field sent as base64, as the base64 Go writes back; corrupt base64 is
    the base64 decoder's error (``src/encoding/base64/base64.go``, ``decodeQuantum``)."""
    corrupt = _base64_error(text)
    if corrupt is not None:
        raise HttpError(400, f"invalid JSON: illegal base64 data at input byte {corrupt}")
    return base64.b64encode(base64.b64decode(text.replace("\r", "").replace("\n", "")))\
        .decode()


def decode_stored_spec(body: Any, kind: str) -> dict[str, Any]:
    """A ``SecretSpec`` or ``ConfigSpec`` as :func:`decode` fills it, with ``Name``,
    ``Labels`` and ``Data`` (base64) always there (empty when not sent), and ``Driver`` and
    ``Templating`` when sent."""
    spec = decode(body, f"swarm.{kind.title()}Spec")
    labels = {k: v or "" for k, v in (spec.get("Labels") or {}).items()}
    return {**spec, "Name": spec.get("Name", ""), "Labels": labels,
            "Data": spec.get("Data", "")}


def decode_network_create(body: Any) -> dict[str, Any]:
    """A ``NetworkCreateRequest`` (moby ``api/types``: ``Name``, and ``NetworkCreate``
    embedded) as :func:`decode` fills it."""
    request: dict[str, Any] = decode(body, "types.NetworkCreateRequest")
    return request
