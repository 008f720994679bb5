"""Bounded, safe YAML/JSON loading: hostile input is refused quickly, lines are tracked."""

from __future__ import annotations

import time

import pytest

from clustersim import ManifestError, load_manifests
from clustersim.manifests.safe_yaml import MAX_BYTES, MAX_DEPTH, MAX_SIMPLE_KEY, load_documents

BILLION_LAUGHS = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def refused(text: str | bytes, match: str) -> ManifestError:
    started = time.perf_counter()
    with pytest.raises(ManifestError, match=match) as info:
        load_documents(text, "evil.yaml")
    assert time.perf_counter() - started < 5, "hostile input must be refused quickly"
    assert info.value.source == "evil.yaml"
    return info.value


def test_alias_bomb_is_refused() -> None:
    error = refused(BILLION_LAUGHS, "alias bomb")
    assert error.line is not None


def test_merge_key_bomb_is_refused() -> None:
    levels = ["a0: &a0 {x: 1, y: 2}"]
    levels += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: {i}}}" for i in range(1, 40)]
    levels += [f"z{i}: [{', '.join(['*a39'] * 50)}]" for i in range(50)]
    refused("\n".join(levels), "alias bomb")


def test_deep_nesting_is_refused() -> None:
    error = refused("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "nesting deeper")
    assert error.line == 1


def test_very_deep_nesting_does_not_exhaust_recursion() -> None:
    refused("[" * 100_000, "nesting deeper|not valid")


def test_deep_json_is_refused() -> None:
    refused('{"a": ' * 5000 + "1" + "}" * 5000, "nesting deeper")


def test_oversized_text_is_refused_before_parsing() -> None:
    refused("a: b\n" * (MAX_BYTES // 5 + 10), "over the limit")


@pytest.mark.parametrize(
    "garbage", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4,
                b"\xff\xfe\x00\xd8"]     # after a UTF-16LE mark, half a surrogate pair
)
def test_binary_garbage_is_refused(garbage: bytes) -> None:
    refused(garbage, "UTF-8|NUL|not valid")


K8S = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\u00e9}\ndata: {a: "1"}\n'
COMPOSE = "services:\n  web:\n    image: nginx:1.27\n"
MARATHON = '{"id": "/cafe", "cmd": "echo caf\u00e9"}'


@pytest.mark.parametrize("text", [K8S, COMPOSE, MARATHON])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_a_byte_order_mark_decides_the_encoding_as_kubectl_and_go_yaml_read_it(text, encoding):
    """kubectl reads a file through ``unicode.BOMOverride`` (cli-runtime ``FileVisitor``),
    go-yaml by ``yaml_parser_determine_encoding``, Jackson by its bootstrapper: each decodes
    UTF-16 after its byte-order mark. The loader refused it: "not UTF-8 text (byte 0 cannot
    be decoded)"."""
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(encoding)
    [document] = load_documents(data, "windows.txt")
    assert document.data == load_documents(text, "utf8.txt")[0].data
    assert document.jackson_encoding is None


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_what_only_jackson_detects_is_read_for_marathon_alone(encoding):
    """Jackson also reads UTF-32 and, without a byte-order mark, UTF-16 or UTF-32 told by the
    zero bytes of the first character (``ByteSourceJsonBootstrapper.detectEncoding``), so
    Marathon takes such a file; kubectl and docker read UTF-8 and UTF-16 with a mark only."""
    [app] = load_manifests(MARATHON.encode(encoding), name="app.json")
    assert (app.name, app.manifest["cmd"]) == ("/cafe", "echo caf\u00e9")
    pod = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}'
    with pytest.raises(ManifestError, match="Marathon's JSON reader detects but kubectl does "
                                            "not") as info:
        load_manifests(pod.encode(encoding), name="pod.json")
    assert info.value.source == "pod.json" and "UTF-8" in (info.value.expected or "")


def test_undecodable_bytes_are_named_by_offset_line_and_column():
    """"byte 8 cannot be decoded" read like a byte's value: the offset, line and column say
    where it is (the column in characters, the offset in bytes of the file)."""
    error = refused(b"a: 1\nb: \xc3\xa9\x80\n", "UTF-8 text")
    assert "at byte offset 10 (line 2, column 5)" in error.message and error.line == 2
    error = refused(b"\xff\xfe" + "a: 1\nb: x".encode("utf-16-le") + b"\x00\xd8", "UTF-16LE")
    assert "at byte offset 20 (line 2, column 5)" in error.message


def test_json_too_deep_for_pythons_parser_is_refused_as_a_limit_not_read_as_yaml():
    """``_NotJsonError`` says JSON that breaks a limit is a plain ManifestError; the nesting
    that Python's parser cannot follow raised ``_NotJsonError``, so the text was parsed again
    as YAML before the refusal."""
    error = refused('{"a": ' * 5000 + "1" + "}" * 5000, "nesting deeper")
    assert type(error) is ManifestError


def test_a_lone_surrogate_is_refused_with_its_line() -> None:
    """A Python string can hold half of a UTF-16 pair, which libyaml's parser met with a bare
    UnicodeEncodeError."""
    error = refused('apiVersion: v1\nkind: Pod\nmetadata: {name: "\ud800"}\n', "U\\+D800")
    assert error.line == 3 and "UTF-8" in (error.expected or "")


@pytest.mark.parametrize("layout", ["services:\n  {key}:\n    image: x\n",
                                    "{key}: 1\n", "items:\n  - {key}: 2\n",
                                    "x: {{{key}: 1}}\n"])
def test_a_key_over_the_simple_key_limit_is_named_as_the_cause(layout: str) -> None:
    """YAML reads a key without ``?`` of at most 1024 characters; past that the parser said
    only "mapping values are not allowed", with a hint about indentation."""
    key = "a" * (MAX_SIMPLE_KEY + 6)
    with pytest.raises(ManifestError) as err:
        load_documents(layout.format(key=key), "f.yaml")
    assert f"the key before ':' on this line is {MAX_SIMPLE_KEY + 6:,} characters long" \
        in str(err.value)
    assert err.value.expected == f"a key of at most {MAX_SIMPLE_KEY} characters"
    assert len(load_documents(layout.format(key=key[:MAX_SIMPLE_KEY - 8]), "f.yaml")) == 1


@pytest.mark.parametrize("layout", ["a: {value}: c\n", "items:\n  - a: {value}: c\n",
                                    "a:\n  b: {value}: c\n"])
def test_a_long_value_with_a_colon_is_not_called_a_long_key(layout: str) -> None:
    """``a: <1,100 characters>: c`` was reported as a key 1,103 characters long: the key was
    taken as all the line before the second ``:``. The key is ``a``; the error is the
    unquoted ``: `` in the value, which gets the hint a short ``a: b: c`` gets."""
    with pytest.raises(ManifestError) as short:
        load_documents(layout.format(value="b"), "f.yaml")
    with pytest.raises(ManifestError) as long:
        load_documents(layout.format(value="b" * (MAX_SIMPLE_KEY + 76)), "f.yaml")
    assert "characters long" not in str(long.value)
    assert long.value.expected == short.value.expected
    assert (long.value.line, str(long.value)) == (short.value.line, str(short.value))


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hacked']",
        "a: !!python/name:os.system",
        "!!python/object:collections.OrderedDict {}",
        "a: !Ref something",
        "a: !!set {x, y}",
    ],
)
def test_tags_that_construct_objects_are_refused(text: str) -> None:
    refused(text, "tag")


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    error = refused("a: 1\nb: 2\na: 3\n", "appears twice")
    assert error.line == 3
    assert "line 1" in str(error)


def test_scalars_resolve_as_go_yaml_does() -> None:
    """go-yaml v2's ``resolve.go``: ``80:80`` stays a string (YAML 1.1's base 60 would read
    4880); ``1e3`` is a number; ``n`` is false."""
    text = "p: 80:80\nf: 1e3\nt: 2019-01-01\nb: yes\nn: ~\nh: 0x10\nc: n\ns: 'n'\n"
    [doc] = load_documents(text, "x")
    assert doc.data == {
        "p": "80:80",
        "f": 1000.0,
        "t": "2019-01-01",
        "b": True,
        "n": None,
        "h": 16,
        "c": False,
        "s": "n",
    }


def test_merge_keys_follow_yaml_rules() -> None:
    text = "base: &base {a: 1, b: 2}\nother: &o {b: 3, c: 4}\nx:\n  <<: [*base, *o]\n  a: 9\n"
    [doc] = load_documents(text, "x")
    assert doc.data["x"] == {"a": 9, "b": 2, "c": 4}


def test_lines_of_fields_are_tracked() -> None:
    text = "---\n# comment\nkind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx\n"
    [doc] = load_documents(text, "x")
    assert doc.line == 3
    assert doc.line_of(("spec", "containers", 0, "image")) == 7
    assert doc.line_of(("spec", "containers", 0, "missing")) == 6


def test_empty_documents_are_skipped() -> None:
    assert [d.data for d in load_documents("---\n---\na: 1\n---\n", "x")] == [{"a": 1}]


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(ManifestError, match="not valid YAML") as info:
        load_manifests("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n", name="bad.yaml")
    assert info.value.line == 5  # where libyaml notices the missing "]"
    assert info.value.source == "bad.yaml"


def test_json_with_tabs_loads() -> None:
    text = '{\n\t"id": "/web",\n\t"cmd": "sleep 1",\n\t"instances": 2\n}'
    [spec] = load_manifests(text)
    assert spec.name == "/web"


def test_json_repeated_keys_keep_the_last_value_as_go_and_jackson_do() -> None:
    [doc] = load_documents('{"id": "/a", "cpus": 1, "cpus": 2}', "app.json")
    assert doc.data == {"id": "/a", "cpus": 2}


@pytest.mark.parametrize("text", ['{"id": "/a", "cmd": "x", "cpus": NaN}',
                                  '{"id": "/a", "cmd": "x", "cpus": Infinity}',
                                  '{"id": "/a", "cmd": "x",}'])
@pytest.mark.parametrize("name", ["app.json", "pasted text"])
def test_a_marathon_app_that_is_not_json_is_refused_whatever_its_name(text: str,
                                                                      name: str) -> None:
    """Marathon reads JSON only: a pasted app with a trailing comma had loaded (read as
    YAML), while the same text named app.json was refused."""
    with pytest.raises(ManifestError, match="not valid JSON") as caught:
        load_manifests(text, name=name)
    assert "as Marathon reads an app" in str(caught.value)


@pytest.mark.parametrize("name", ["pod.json", "pasted text"])
def test_a_kubernetes_object_that_is_not_json_is_read_as_yaml_as_kubectl_reads_it(
        name: str) -> None:
    """kubectl reads a file and stdin alike through apimachinery's YAMLOrJSONDecoder, which
    reads a stream that starts with '{' and fails as JSON again as YAML: a trailing comma
    loads, whatever the file's name (pod.json had been refused)."""
    text = ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n'
            ' "spec": {"containers": [{"name": "c", "image": "nginx"},]},}\n')
    [spec] = load_manifests(text, name=name)
    assert spec.kind == "Pod" and spec.manifest["spec"]["containers"][0]["image"] == "nginx"
    [document] = load_documents(text, name)
    assert document.json_error is not None


def test_text_that_is_neither_json_nor_yaml_is_refused_with_the_json_error() -> None:
    """As YAMLOrJSONDecoder does when both fail ("when in doubt ... the error from the JSON
    decoder")."""
    with pytest.raises(ManifestError, match="not valid JSON"):
        load_documents('{"id": "/a", "cmd": [}', "app.json")


def test_json_lines_are_found_when_an_error_needs_them() -> None:
    text = '{\n  "id": "/web",\n  "cmd": "x",\n  "mem": "lots"\n}'
    with pytest.raises(ManifestError) as info:
        load_manifests(text, name="web.json")
    assert (info.value.path, info.value.line) == ("mem", 4)


def test_explicit_keys_keep_their_lines_next_to_a_merge() -> None:
    text = "base: &b {cpu: 1, mem: 2}\nweb:\n  cpu: 3\n  <<: *b\n"
    [doc] = load_documents(text, "x")
    assert doc.data["web"] == {"cpu": 3, "mem": 2}
    assert doc.line_of(("web", "cpu")) == 3


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("kind: Pod\nmetadata:\n\tname: x\n", 3, "does not allow tabs"),
        ("kind: Pod\nspec:\n  image: nginx\n   ports: []\n", 4, "consistent indentation"),
    ],
)
def test_syntax_errors_carry_a_hint(text: str, line: int, hint: str) -> None:
    with pytest.raises(ManifestError) as info:
        load_documents(text, "lab.yaml")
    assert info.value.line == line
    assert hint in info.value.expected


def test_the_alias_budget_counts_every_expanded_value(monkeypatch) -> None:
    """Counted, not timed: the budget is the number of values built with every alias
    expanded (keys are not values). Here: the root mapping, list ``a`` and its 10 items,
    list ``b`` and its 5 aliases of ``a`` at 11 values each: 1 + 11 + 1 + 55 = 68."""
    import clustersim.manifests.safe_yaml as safe_yaml

    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a]\n"
    monkeypatch.setattr(safe_yaml, "MAX_NODES", 68)
    assert load_documents(text, "fits.yaml")[0].data["b"][4] == ["x"] * 10
    monkeypatch.setattr(safe_yaml, "MAX_NODES", 67)
    with pytest.raises(ManifestError, match="more than 67 values") as info:
        load_documents(text, "over.yaml")
    assert info.value.path == "b[4][9]"     # the 68th value: the last item of the last alias
