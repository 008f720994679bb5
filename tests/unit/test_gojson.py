"""Go's encoding/json scanner (:mod:`clustersim.serve.gojson`), the one the Kubernetes and
Docker servers share: ``json.Unmarshal``'s words and a ``json.Decoder``'s for the same
texts. Cases from golang/go ``src/encoding/json/decode_test.go`` (``unmarshalTests``' syntax
and raw value errors), ``scanner_test.go`` (``TestValid``, ``TestIndentErrors``) and, for a
text that ends in a literal, moby's ``daemon/config/config_test.go``
(``TestDaemonBrokenConfiguration``: ``{"Debug": tru``)."""

from __future__ import annotations

import pytest

from clustersim.serve.gojson import JSONSyntaxError, quote_char, syntax_error, value_end


@pytest.mark.parametrize(("text", "words"), [
    ('{"X": "foo", "Y"}', "invalid character '}' after object key"),
    ("[1, 2, 3+]", "invalid character '+' after array element"),
    ('{"X":12x}', "invalid character 'x' after object key:value pair"),
    ("[2, 3", "unexpected end of JSON input"),
    ("\x01 42", "invalid character '\\x01' looking for beginning of value"),
    (" 42 \x01", "invalid character '\\x01' after top-level value"),
    (" false \x01", "invalid character '\\x01' after top-level value"),
    (" 3.4 \x01", "invalid character '\\x01' after top-level value"),
    (' "string" \x01', "invalid character '\\x01' after top-level value"),
    ('{"X": "foo" "Y": "bar"}', "invalid character '\"' after object key:value pair"),
])
def test_unmarshal_words_as_gos_own_tests_expect(text, words):
    assert syntax_error(text) == words


@pytest.mark.parametrize(("text", "words"), [
    ('{"Debug": tru', "invalid character ' ' in literal true (expecting 'e')"),
    ("n", "invalid character ' ' in literal null (expecting 'u')"),
    ("-", "invalid character ' ' in numeric literal"),
    ("[1.", "invalid character ' ' after decimal point in numeric literal"),
    ("1e+", "invalid character ' ' in exponent of numeric literal"),
    ('"a\\', "invalid character ' ' in string escape code"),
    ('"\\u12', "invalid character ' ' in \\u hexadecimal character escape"),
    ('{"a', "unexpected end of JSON input"),
    ('{"a": 1 ', "unexpected end of JSON input"),
    ("  ", "unexpected end of JSON input"),
])
def test_unmarshal_steps_one_space_at_the_end(text, words):
    """``scanner.eof`` feeds a space: cut inside a literal, a number or an escape, the
    space is the character refused."""
    assert syntax_error(text) == words


@pytest.mark.parametrize(("text", "words"), [
    ("-x", "invalid character 'x' in numeric literal"),
    ("-Infinity", "invalid character 'I' in numeric literal"),
    ("NaN", "invalid character 'N' looking for beginning of value"),
    ("01", "invalid character '1' after top-level value"),
    ("[1.]", "invalid character ']' after decimal point in numeric literal"),
    ("trux", "invalid character 'x' in literal true (expecting 'e')"),
    ('"\\u12G4"', "invalid character 'G' in \\u hexadecimal character escape"),
    ('"\\u12"', "invalid character '\"' in \\u hexadecimal character escape"),
    ("'a'", "invalid character '\\'' looking for beginning of value"),
    ('{"a":\t"b\n"}', "invalid character '\\n' in string literal"),
    ("[1,]", "invalid character ']' looking for beginning of value"),
])
def test_the_first_character_the_scanner_cannot_take_is_named(text, words):
    assert syntax_error(text) == words


@pytest.mark.parametrize(("text", "valid"), [
    ("foo", False), ("}{", False), ("{]", False), ("{}", True), ('{"foo":"bar"}', True),
    ('{"foo":"bar","bar":{"baz":["qux"]}}', True), (' [true, false, null, -5e+2, 0.5] ', True),
    ('"\\u00e9\\n"', True),
])
def test_valid_json_has_no_syntax_error(text, valid):
    """``TestValid``'s table."""
    assert (syntax_error(text) is None) == valid


@pytest.mark.parametrize(("text", "words"), [
    ("[2, 3", "unexpected EOF"),
    ('{"Debug": tru', "unexpected EOF"),
    ("-", "unexpected EOF"),
    ('{"Name": ', "unexpected EOF"),
    ("[1 2]", "invalid character '2' after array element"),
])
def test_a_decoder_says_unexpected_eof_for_any_end_inside_the_value(text, words):
    """``Decoder.readValue``: ``io.ErrUnexpectedEOF`` once the text ends inside a value."""
    with pytest.raises(JSONSyntaxError) as refused:
        value_end(text, 0)
    assert refused.value.message(stream=True) == words


@pytest.mark.parametrize(("text", "start", "end"), [
    ('{"a": 1} {}', 0, 8), ("  12", 0, 4), ("[1, [2]]x", 0, 8), ("x true,", 1, 6),
])
def test_a_decoder_stops_where_the_value_ends(text, start, end):
    """What follows the value is the caller's (``Decoder.More``), and a number at the
    text's end is complete."""
    assert value_end(text, start) == end


@pytest.mark.parametrize(("char", "quoted"), [
    ("'", "'\\''"), ('"', "'\"'"), ("\t", "'\\t'"), ("\x81", "'\\u0081'"), ("é", "'é'"),
])
def test_quote_char_is_gos_quotechar(char, quoted):
    assert quote_char(char) == quoted
