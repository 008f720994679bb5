"""A body that is no JSON, answered as Marathon answers it: Jackson's message in
``MarathonExceptionMapper``'s shape (:mod:`clustersim.serve.marathonjson`).

The expected messages are Jackson's own (jackson-core's ``UTF8StreamJsonParser`` reading
the bytes, as Play JSON's ``Json.parse(Array[Byte])`` does in Marathon 1.11), and the
end-of-input one is ``MarathonExceptionMapperTest``'s, its location written for a byte
source."""

from __future__ import annotations

import pytest
import requests

from clustersim.serve import serve
from clustersim.serve.core import HttpError, Request
from clustersim.serve.marathonjson import read_json

_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_NO_DIGIT = ("in numeric value: expected digit (0-9) to follow minus sign, for valid numeric "
             "value")     # _handleInvalidNumberStart's words after a plus sign too (2.10)


@pytest.fixture(scope="module")
def server():
    with serve("marathon", nodes=2, speed=0) as server:
        yield server


def _post(server, path: str, body: bytes, method: str = "POST") -> requests.Response:
    return requests.request(method, f"{server.url}{path}", data=body, timeout=10,
                            headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("path", ["/v2/apps", "/v2/pods"])
def test_a_body_sent_as_no_json_is_415_in_the_mappers_words(server, path):
    """``@Consumes`` JSON: Jersey's ``NotSupportedException``, answered with the status's
    reason phrase (the simulator said ``HTTP 415 Unsupported Media Type``, Jersey's own
    message, which the mapper does not use)."""
    answer = requests.post(f"{server.url}{path}", data="id: x", timeout=10,
                           headers={"Content-Type": "text/yaml"})
    assert (answer.status_code, answer.json()) == (415, {"message": "Unsupported Media Type"})


def test_a_malformed_app_gets_jacksons_words(server):
    answer = _post(server, "/v2/apps", b'{"id": "/x", bad}')
    assert answer.status_code == 400
    assert answer.json() == {"message": "Invalid JSON", "details": (
        "Unexpected character ('b' (code 98)): was expecting double-quote to start field name")}


def test_an_unfinished_body_names_where_its_object_began(server):
    # MarathonExceptionMapperTest's case; Marathon reads bytes, so Jackson 2.10 names
    # (byte[]) and quotes the body (which ends in a quote of its own here)
    answer = _post(server, "/v2/apps", b'{"id":"/test"')
    assert answer.status_code == 400
    assert answer.json() == {"message": "Invalid JSON", "details": (
        'Unexpected end-of-input: expected close marker for Object (start marker at '
        '[Source: (byte[])"{"id":"/test""; line: 1, column: 1])')}


def test_an_empty_body_is_no_content_to_map(server):
    answer = _post(server, "/v2/apps", b"")
    assert answer.status_code == 400
    assert answer.json() == {"message": "Please specify data in JSON format", "details": (
        'No content to map due to end-of-input\n at [Source: (byte[])""; line: 1, column: 0]')}


def test_what_follows_the_first_value_is_ignored(server):
    answer = _post(server, "/v2/apps", b'{"id": "/after", "cmd": "sleep 100"} and more')
    assert answer.status_code == 201 and answer.json()["id"] == "/after"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "+Infinity", "-INF"])
def test_non_numeric_numbers_are_refused(server, token):
    # UTF8StreamJsonParser: _handleUnexpectedValue reads NaN, Infinity and a leading plus,
    # _handleInvalidNumberStart the words after a sign (jackson-core 2.9 and 2.10)
    body = b'{"mem": %s}' % token.encode()
    answer = _post(server, "/v2/apps/a?force=true", body, "PUT")
    assert answer.status_code == 400 and answer.json()["details"] == (
        f"Non-standard token '{token}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS "
        "to allow")


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/v2/apps"), ("PUT", "/v2/apps"), ("PATCH", "/v2/apps"), ("PUT", "/v2/apps/web"),
    ("POST", "/v2/groups"), ("PUT", "/v2/groups/shop"), ("POST", "/v2/pods"),
    ("PUT", "/v2/pods/db"), ("POST", "/v2/tasks/delete")])
def test_every_route_that_reads_a_body_reads_it_alike(server, method, path):
    answer = _post(server, path, b'{"id": "/x",}', method)
    assert answer.status_code == 400
    assert answer.json() == {"message": "Invalid JSON", "details": (
        "Unexpected character ('}' (code 125)): was expecting double-quote to start field "
        "name")}


@pytest.mark.parametrize(("body", "details"), [
    (b'{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate "
                 "field name and value"),
    (b'{"a":1 "b":2}', "Unexpected character ('\"' (code 34)): was expecting comma to "
                       "separate Object entries"),
    (b"[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to separate Array "
               "entries"),
    (b'{"a":tru}', f"Unrecognized token 'tru': was expecting {_VALUES}"),
    (b'{"a":truex}', f"Unrecognized token 'truex': was expecting {_VALUES}"),
    (b"bad", f"Unrecognized token 'bad': was expecting {_VALUES}"),
    (b'{"a":@}', f"Unexpected character ('@' (code 64)): expected a valid value {_VALUES}"),
    (b"{'a':1}", "Unexpected character (''' (code 39)): was expecting double-quote to start "
                 "field name"),
    (b'{"a":}', "Unexpected character ('}' (code 125)): expected a value"),
    (b"[1,]", "Unexpected character (']' (code 93)): expected a value"),
    (b'{"a":1]', "Unexpected close marker ']': expected '}' (for Object starting at [Source: "
                 '(byte[])"{"a":1]"; line: 1, column: 1])'),
    (b'{"a":1,\n  "b":[1,\n 2', "Unexpected end-of-input: expected close marker for Array "
     '(start marker at [Source: (byte[])"{"a":1,\n  "b":[1,\n 2"; line: 2, column: 7])'),
    (b'{"a":1,', "Unexpected end-of-input within/between Object entries"),
    (b'{"a":"x', "Unexpected end-of-input in VALUE_STRING"),
    (b'{"ab', "Unexpected end-of-input in field name"),
    (b'{"a":01}', "Invalid numeric value: Leading zeroes not allowed"),
    (b'{"a":-}', f"Unexpected character ('}}' (code 125)) {_NO_DIGIT}"),
    (b'{"a":-NaN}', f"Unexpected character ('N' (code 78)) {_NO_DIGIT}"),
    (b'{"a":+5}', f"Unexpected character ('5' (code 53)) {_NO_DIGIT}"),
    (b'{"a":-Ix}', f"Unexpected character ('x' (code 120)) {_NO_DIGIT}"),
    (b'{"a":-Infx}', f"Unrecognized token '-Infx': was expecting {_VALUES}"),
    (b'{"a":+Infinity1}', f"Unrecognized token '+Infinity1': was expecting {_VALUES}"),
    (b'{"a":+', "Unexpected end-of-input in a Number value"),
    (b'{"a":1.}', "Unexpected character ('}' (code 125)) in numeric value: Decimal point "
                  "not followed by a digit"),
    (b'{"a":"x\ny"}', "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped "
                      "using backslash to be included in string value"),
    (b'{"a":"\\q"}', "Unrecognized character escape 'q' (code 113)"),
    (b'{"a\\q":1}', "Unrecognized character escape 'q' (code 113)"),
    (b'{"', "Unexpected end-of-input: was expecting closing '\"' for name"),
    (b'{"a":"\\u00zz"}', "Unexpected character ('z' (code 122)): expected a hex-digit for "
                         "character escape sequence"),
    (b'{"a":\x0b1}', "Illegal character ((CTRL-CHAR, code 11)): only regular white space "
                     "(\\r, \\n, \\t) is allowed between tokens"),
    (b'{"a":/}', "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not "
                 "recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"),
    (b'{"x": ' + b"1" * 600, "Unexpected end-of-input: expected close marker for Object "
     '(start marker at [Source: (byte[])"{"x": ' + "1" * 494 + '"[truncated 106 bytes]; '
     "line: 1, column: 1])"),
])
def test_jacksons_messages(body, details):
    with pytest.raises(HttpError) as raised:
        read_json(Request("POST", "/v2/apps", {}, {"content-type": "application/json"}, body))
    assert (raised.value.status, raised.value.message) == (400, "Invalid JSON")
    assert raised.value.details == {"details": details}


def test_valid_json_reads_as_python():
    body = b'\xef\xbb\xbf {"a": [1, 2.5e3, -0.1, true, false, null, "s\\u00e9"]} '
    assert read_json(Request("POST", "/", {}, {}, body)) == {
        "a": [1, 2500.0, -0.1, True, False, None, "s\u00e9"]}


@pytest.mark.parametrize("codec, mark", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                         ("utf-16-le", b""), ("utf-32-be", b"")])
def test_a_utf16_or_utf32_body_is_read_as_jackson_reads_it(server, codec, mark):
    """Jackson tells a body's encoding by its byte-order mark or the zero bytes of its first
    character (jackson-core ``ByteSourceJsonBootstrapper``), so an app sent as UTF-16 or
    UTF-32 is created; the served reader had read every body as UTF-8 (Invalid JSON)."""
    name = f"/wide-{codec}-{len(mark)}"
    body = mark + f'{{"id": "{name}", "cmd": "sleep 100"}}'.encode(codec)
    answer = _post(server, "/v2/apps", body)
    assert (answer.status_code, answer.json()["id"]) == (201, name)


@pytest.mark.parametrize(("path", "body", "where"), [
    ("/v2/apps", '{"id": "/n", "cmd": "x", "instances": 1e-400}', "/instances"),
    ("/v2/apps", '{"id": "/n", "cmd": "x", "instances": 2.0000000000000001}', "/instances"),
    ("/v2/apps", '{"id": "/n", "cmd": "x", "backoffSeconds": 1.00000000000000001e0}',
     "/backoffSeconds"),
    ("/v2/groups", '{"id": "/g", "apps": [{"id": "n", "cmd": "x", "instances": 1e-999}]}',
     "/apps(0)/instances")])
def test_an_int_is_read_from_the_numbers_own_digits(server, path, body, where):
    """Play JSON keeps a number's digits (a BigDecimal), and ``IntReads`` takes only a whole
    one: ``1e-400`` and ``2.0000000000000001`` are no Int, though Python's float rounds them
    to 0.0 and 2.0, which the simulator took (an app of 0 or 2 instances)."""
    answer = _post(server, path, body.encode())
    assert (answer.status_code, answer.json()) == (422, {"message": "Invalid JSON", "details": [
        {"path": where, "errors": ["error.expected.int"]}]})


def test_a_double_is_the_numbers_float_and_a_whole_decimal_an_int(server):
    """A ``Double`` field reads the float (``mem`` 1e-400 is 0, ``DoubleReads``' toDouble),
    and a decimal that is whole is an Int (``2.0``, ``1e1``)."""
    answer = _post(server, "/v2/apps",
                   b'{"id": "/d", "cmd": "x", "mem": 1e-400, "instances": 2.0, "gpus": 0e5,'
                   b' "backoffSeconds": 1e1}')
    assert answer.status_code == 201
    assert {k: answer.json()[k] for k in ("mem", "instances", "gpus", "backoffSeconds")} == {
        "mem": 0, "instances": 2, "gpus": 0, "backoffSeconds": 10}
    assert requests.delete(f"{server.url}/v2/apps/d", timeout=10).status_code == 200
