"""Go's ``%q`` and encoding/json's names of JSON values, as Go writes them."""

from __future__ import annotations

import pytest

from clustersim.goformat import atoi, go_quote, json_kind


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


@pytest.mark.parametrize(("text", "number"), [
    ("7", 7), ("+7", 7), ("-12", -12), ("007", 7),
    ("1_0", None), (" 3", None), ("3 ", None), ("", None), ("1.0", None), ("٣", None),
])
def test_atoi_reads_only_a_sign_and_ascii_digits(text: str, number: int | None) -> None:
    assert atoi(text) == number
