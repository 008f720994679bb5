"""Go's ``%q`` and encoding/json's names of JSON values, as Go writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clustersim.goformat import (
    GoStruct,
    NumError,
    TimeParseError,
    atoi,
    duration_string,
    go_json,
    go_quote,
    go_verbose,
    json_kind,
    parse_float,
    parse_int,
    parse_rfc3339,
)
from clustersim.serve.patchrefusal import patch_refusal


@pytest.mark.parametrize(("text", "quoted"), [
    ("web", '"web"'),
    ("a\x07b", '"a\\ab"'),                       # the short escape, not JSON's \u0007
    ('say "hi"\\', '"say \\"hi\\"\\\\"'),
    ("\x00\x1f\x7f", '"\\x00\\x1f\\x7f"'),       # other ASCII controls: \xNN
    ("\x85", '"\\u0085"'),                       # a C1 control
    ("é 日本", '"é 日本"'),                        # printable: kept
    ("a\u200bb\u00a0", '"a\\u200bb\\u00a0"'),     # a format character, a non-ASCII space
    ("\U000e0001", '"\\U000e0001"'),             # a tag character past the BMP
])
def test_go_quote_escapes_what_strconv_quote_escapes(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


@pytest.mark.parametrize(("value", "numeric", "kind"), [
    (1.5, True, "number 1.5"),       # ParseInt fails: the literal is named
    (1.5, False, "number"),          # a string field: the kind only
    (-2.25, True, "number -2.25"),
    (2.0, True, "number 2.0"),      # Go names the literal, a whole float too
    (2.0, False, "number"),
    (99999999999, True, "number 99999999999"),  # an int32 overflows: the literal again
    (-3, True, "number -3"),         # a uint refuses it
    (True, True, "bool"),
    ("3", True, "string"),
    ([1], False, "array"),
    ({"a": 1}, True, "object"),
])
def test_json_kind_names_the_literal_only_for_a_numeric_field(
        value: object, numeric: bool, kind: str) -> None:
    assert json_kind(value, numeric_target=numeric) == kind


@pytest.mark.parametrize(("text", "result"), [
    ("7", 7), ("+7", 7), ("-12", -12), ("007", 7), ("9223372036854775807", 2**63 - 1),
    ("1_0", "invalid syntax"), (" 3", "invalid syntax"), ("3 ", "invalid syntax"),
    ("", "invalid syntax"), ("1.0", "invalid syntax"), ("\u0663", "invalid syntax"),
    ("9223372036854775808", "value out of range"), ("-9223372036854775809", "value out of range"),
])
def test_atoi_is_parse_int_in_its_own_name(text: str, result: int | str) -> None:
    """``strconv.Atoi`` reads a sign and ASCII digits into 64 bits, and its errors name Atoi
    (``nerr.Func = fnAtoi``); it had returned None for any refusal, so a number past int64
    was read as if Go took it and each caller wrote the error its own way."""
    _reads_as_go(atoi, "Atoi", text, result)


def _reads_as_go(parse, func: str, text: str, result: float | str) -> None:
    """``parse(text)`` is ``result``, or (``result`` a string, Go's reason) refuses ``text``
    with the ``NumError`` of ``strconv.<func>``."""
    if not isinstance(result, str):
        assert parse(text) == result
        return
    with pytest.raises(NumError) as refused:
        parse(text)
    assert str(refused.value) == f"strconv.{func}: parsing {go_quote(text)}: {result}"


@pytest.mark.parametrize(("value", "printed"), [
    ({"spec": {"replicas": "two", "paused": True}}, "map[spec:map[paused:true replicas:two]]"),
    ({"b": [1, 2.5, None], "a": {}}, "map[a:map[] b:[1 2.5 <nil>]]"),
    (1.5, "1.5"), (2.0, "2"), (123456.5, "123456.5"), (1234567.5, "1.2345675e+06"),
    (0.0001, "0.0001"), (0.00001, "1e-05"), (-3.25e22, "-3.25e+22"), (1e8, "1e+08"),
])
def test_go_verbose_prints_a_decoded_json_value_as_fmts_plus_v(value, printed):
    """``%+v`` of an ``interface{}`` that JSON decoded into: sorted map keys, unquoted
    strings, ``<nil>``, and floats as ``strconv.FormatFloat(f, 'g', -1, 64)``."""
    assert go_verbose(value) == printed


@pytest.mark.parametrize(("why", "words"), [
    ("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type "
     "int32", "unrecognized type: int32"),
    ("json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of "
     "type int32", "cannot convert float64 to int32"),
    ("json: cannot unmarshal number into Go struct field Container.spec.template.spec."
     "containers.image of type string", "cannot convert int64 to string"),
    ("json: cannot unmarshal number into Go struct field PodSpec.spec.restartPolicy of type "
     "v1.RestartPolicy", "cannot convert int64 to v1.RestartPolicy"),
    ("json: cannot unmarshal number into Go struct field SeccompProfile.spec.securityContext."
     "seccompProfile.type of type v1.SeccompProfileType",
     "cannot convert int64 to v1.SeccompProfileType"),
    # v1.Capability is a named string type too: it had been taken for a struct
    ("json: cannot unmarshal number into Go struct field Capabilities.spec.containers."
     "securityContext.capabilities.add of type v1.Capability",
     "cannot convert int64 to v1.Capability"),
    ("json: cannot unmarshal bool into Go struct field Container.spec.containers.image of "
     "type string", "unrecognized type: string"),
    ("json: cannot unmarshal string into Go struct field JobSpec.spec.suspend of type bool",
     "unrecognized type: bool"),
    ("json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type "
     "map[string]string", "cannot restore map from string"),
    ("json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type "
     "[]v1.Container", "cannot restore slice from map"),
    ("json: cannot unmarshal array into Go struct field PodSpec.spec.affinity of type "
     "v1.Affinity", "cannot restore struct from: slice"),
    ('strict decoding error: unknown field "spec.replica"',
     'strict decoding error: unknown field "spec.replica"'),
])
def test_a_strategic_merge_patch_is_refused_in_the_converters_words(why, words):
    """``fromUnstructured`` (apimachinery ``pkg/runtime/converter.go``) where
    ``encoding/json`` refused the same value, and the patch shown as Go's %+v."""
    refusal = patch_refusal("application/strategic-merge-patch+json", {"spec": {"x": 1}},
                            None, why)
    assert (refusal.status, refusal.reason) == (422, "Invalid")
    assert refusal.message == f' "" is invalid: patch: Invalid value: "map[spec:map[x:1]]": {words}'


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (5, "5s"), (1.234, "1.234s"), (0.512, "512ms"), (0.3137, "313.7ms"),
    (1.5e-6, "1.5\u00b5s"), (4e-8, "40ns"), (1e-9, "1ns"), (90, "1m30s"), (61, "1m1s"),
    (3600, "1h0m0s"), (7200.5, "2h0m0.5s"), (-1.5, "-1.5s"), (59.999, "59.999s"),
])
def test_duration_string_is_gos_duration_string(seconds: float, text: str) -> None:
    """time.Duration.String (golang/go src/time/time.go): units below a second keep the
    leading digit non-zero; from a second on, hours and minutes once there are any."""
    assert duration_string(seconds) == text


@pytest.mark.parametrize(("value", "encoded"), [
    ({"b": 1, "a": {"d": [], "c": None}}, '{"a":{"c":null,"d":[]},"b":1}'),
    ("a<b>&c \u2028é\n\x01", '"a\\u003cb\\u003e\\u0026c \\u2028é\\n\\u0001"'),
    ("a\ud800", '"a\ufffd"'),      # a lone surrogate: encodable U+FFFD, as Go decodes it
    ([True, 2.5, 1.0, 1e-7, 0.000001, 1e20, 1e21, -3e22],
     "[true,2.5,1,1e-7,0.000001,100000000000000000000,1e+21,-3e+22]")])
def test_go_json_is_json_marshal(value, encoded):
    """Python's ``json.dumps`` wrote spaces, unsorted keys, raw ``<>&`` and ``1e-07``; Go's
    ``json.Marshal`` writes none of them, and kubectl's annotation is Go's text."""
    assert go_json(value) == encoded


def test_go_json_keys_of_equal_hash_keep_their_own_text():
    """Map keys are kept once written (a manifest repeats its keys): the key 1 written
    first must not make True's, or 1.0's, text its own, as keys that compare equal would."""
    assert [go_json({key: 0}) for key in (1, True, 1.0, "1")] == \
        ['{"1":0}', '{"True":0}', '{"1.0":0}', '{"1":0}']


@pytest.mark.parametrize(("first", "then", "written"), [
    (0.0, -0.0, '{"-0.0":1}'), (Decimal("1.0"), Decimal("1.00"), '{"1.00":1}'),
    (-0.0, 0.0, '{"0.0":1}')])
def test_go_json_keys_equal_in_value_and_type_keep_their_own_text(first, then, written):
    """The key cache was typed only: ``-0.0`` after ``0.0`` (equal, both floats) was written
    ``"0.0"``, ``Decimal("1.00")`` after ``Decimal("1.0")`` ``"1.0"``."""
    go_json({first: 1})
    assert go_json({then: 1}) == written


@pytest.mark.parametrize(("text", "signed", "bits", "result"), [
    ("42", False, 64, 42), ("007", False, 64, 7), ("18446744073709551615", False, 64, 2**64 - 1),
    ("18446744073709551616", False, 64, "value out of range"),
    ("", False, 64, "invalid syntax"), ("+1", False, 64, "invalid syntax"),
    ("-0", False, 64, "invalid syntax"), ("1_000", False, 64, "invalid syntax"),
    ("0x10", False, 64, "invalid syntax"), (" 1", False, 64, "invalid syntax"),
    ("\u0661", False, 64, "invalid syntax"),            # an Arabic-Indic one: not ASCII
    ("99999999999999999999x", False, 64, "value out of range"),   # overflow came first
    ("1" * 5000, False, 64, "value out of range"),      # past Python's int() digit limit
    ("-9223372036854775808", True, 64, -2**63), ("+12", True, 64, 12),
    ("9223372036854775808", True, 64, "value out of range"),
    ("-9223372036854775809", True, 64, "value out of range"),
    ("9223372036854775808x", True, 64, "invalid syntax"),  # uint64 still held it at the x
    ("-", True, 64, "invalid syntax"), ("+-1", True, 64, "invalid syntax"),
    ("128", True, 8, "value out of range"), ("-128", True, 8, -128), ("256", False, 8,
                                                                       "value out of range"),
])
def test_parse_int_is_strconvs(text, signed, bits, result):
    """strconv.ParseInt / ParseUint in base 10 (golang/go src/strconv/atoi.go)."""
    if isinstance(result, int):
        assert parse_int(text, signed=signed, bits=bits) == result
        return
    with pytest.raises(NumError) as refused:
        parse_int(text, signed=signed, bits=bits)
    func = "ParseInt" if signed else "ParseUint"
    assert str(refused.value) == f"strconv.{func}: parsing {go_quote(text)}: {result}"


@pytest.mark.parametrize(("text", "signed", "result"), [
    ("0644", False, 420), ("0o644", False, 420), ("0O7_7", False, 63), ("0x1ff", False, 511),
    ("0b101", False, 5), ("1_000", False, 1000), ("0x_1f", False, 31), ("0_7", False, 7),
    ("0", False, 0), ("-0x10", True, -16), ("+0b1", True, 1),
    ("0x", False, "invalid syntax"), ("08", False, "invalid syntax"),
    ("0b2", False, "invalid syntax"), ("1__0", False, "invalid syntax"),
    ("_1", False, "invalid syntax"), ("1_", False, "invalid syntax"),
    ("-1", False, "invalid syntax"), ("0x1g", False, "invalid syntax"),
    ("4294967296", False, "value out of range"), ("0x100000000", False, "value out of range"),
    ("0x80000000", True, "value out of range"), ("-0x80000000", True, -2**31),
])
def test_parse_int_in_base_0_reads_the_prefix(text, signed, result):
    """strconv.ParseUint(s, 0, 32), as docker/cli reads a secret's mode: 0b, 0o and 0x
    prefixes, a leading 0 octal, and _ only between digits (underscoreOK)."""
    if isinstance(result, int):
        assert parse_int(text, signed=signed, bits=32, base=0) == result
        return
    with pytest.raises(NumError) as refused:
        parse_int(text, signed=signed, bits=32, base=0)
    func = "ParseInt" if signed else "ParseUint"
    assert str(refused.value) == f"strconv.{func}: parsing {go_quote(text)}: {result}"


def _go_parse(text: str, signed: bool, bits: int) -> int | str:
    """A reference that walks ``text`` byte by byte as atoi.go does, in uint64 arithmetic:
    the value, or the error's text."""
    body, negative = text, False
    if signed and text[:1] in ("+", "-"):
        body, negative = text[1:], text[0] == "-"
    if not body:
        return "invalid syntax"
    max_value, cutoff, n = 2**bits - 1, (2**64 - 1) // 10 + 1, 0
    for byte in body.encode():
        if not 0x30 <= byte <= 0x39:
            return "invalid syntax"
        if n >= cutoff or n * 10 + byte - 0x30 > max_value:
            return "value out of range"
        n = n * 10 + byte - 0x30
    if signed and (n > 2**(bits - 1) or (not negative and n == 2**(bits - 1))):
        return "value out of range"
    return -n if negative else n


_NUMBERISH = st.text(alphabet="0123456789+-_x 9", max_size=24) | st.integers(
    min_value=-2**65, max_value=2**65).map(str) | st.text(max_size=6)


@given(_NUMBERISH, st.booleans(), st.sampled_from([8, 16, 32, 63, 64]))
def test_parse_int_agrees_with_a_byte_by_byte_reference(text, signed, bits):
    expected = _go_parse(text, signed, bits)
    try:
        got: int | str = parse_int(text, signed=signed, bits=bits)
    except NumError as refused:
        got = refused.err
    assert got == expected


@pytest.mark.parametrize(("text", "result"), [
    ("1.50", 1.5), (".5", 0.5), ("1.", 1.0), ("1_000.5", 1000.5), ("1e5_0", 1e50),
    ("0x1p-2", 0.25), ("0x_1.8p1", 3.0),              # hexadecimal, Python's float() refuses
    ("-Inf", float("-inf")), ("+infinity", float("inf")), ("1e-400", 0.0),
    (" 1.5", "invalid syntax"), ("1.5\n", "invalid syntax"),   # float() strips spaces
    ("+nan", "invalid syntax"),                       # float() takes a signed NaN
    ("\u0661", "invalid syntax"),                     # float() takes any Unicode digit
    ("1__0", "invalid syntax"), ("_1", "invalid syntax"), ("1_", "invalid syntax"),
    ("0x1", "invalid syntax"), ("infin", "invalid syntax"), ("", "invalid syntax"),
    ("1e400", "value out of range"), ("-0x1p99999", "value out of range"),
])
def test_parse_float_is_strconvs(text: str, result: float | str) -> None:
    """strconv.ParseFloat(s, 64) (golang/go src/strconv/atof.go): Go's literal syntax, not
    Python's float(), and an overflow is ErrRange (float() returns an infinity)."""
    _reads_as_go(parse_float, "ParseFloat", text, result)


def test_parse_float_reads_nan_unsigned() -> None:
    value = parse_float("NaN")
    assert value != value


@pytest.mark.parametrize(("text", "error"), [
    ("yesterday", 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse '
                  '"yesterday" as "2006"'),
    ("2026-01-01", 'parsing time "2026-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" '
                   'as "T"'),
    ("2026-1-01T00:00:00Z", 'parsing time "2026-1-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00"'
                            ': cannot parse "1-01T00:00:00Z" as "01"'),
    ("2026-01-01T00:00:00+0100", 'parsing time "2026-01-01T00:00:00+0100" as '
                                 '"2006-01-02T15:04:05Z07:00": cannot parse "+0100" as "Z07:00"'),
    ("2026-13-01T00:00:00Z", 'parsing time "2026-13-01T00:00:00Z": month out of range'),
    ("2026-02-29T00:00:00Z", 'parsing time "2026-02-29T00:00:00Z": day out of range'),
    ("2026-01-01T24:00:00Z", 'parsing time "2026-01-01T24:00:00Z": hour out of range'),
    ("2026-01-01T00:00:00Zx", 'parsing time "2026-01-01T00:00:00Zx": extra text: "x"'),
    ("é", 'parsing time "\\xc3\\xa9" as "2006-01-02T15:04:05Z07:00": cannot parse '
          '"\\xc3\\xa9" as "2006"'),
])
def test_an_rfc3339_time_is_refused_in_go_s_words(text, error):
    with pytest.raises(TimeParseError) as refused:
        parse_rfc3339(text)
    assert str(refused.value) == error


def test_an_rfc3339_time_reads_as_go_reads_it():
    """A one-digit hour and a comma before the fraction are Go's too."""
    assert parse_rfc3339("2026-12-06T8:57:15,5+01:00").isoformat() == \
        "2026-12-06T08:57:15.500000+01:00"
    assert parse_rfc3339("2024-02-29T00:00:00Z").timestamp() == 1709164800


def test_a_go_struct_keeps_its_field_order_and_writes_nil_as_null():
    """``json.Marshal`` of a struct without json tags (an internal API type in a field
    error): Go's field names in declaration order, which a map's sorted keys would not
    keep (``Type`` before ``LocalhostProfile``), the values as :func:`go_json` writes them (a
    map in it with its keys sorted)."""
    assert go_json(GoStruct(Type="a<b", LocalhostProfile=None, Labels={"b": 1, "a": 2})) == \
        '{"Type":"a\\u003cb","LocalhostProfile":null,"Labels":{"a":2,"b":1}}'
