"""Safe, bounded loading of YAML and JSON text, with the line number of every field.

Manifests come from learners and from the internet, so loading refuses hostile input within
bounded time and memory instead of trusting it:

- **size**: text over :data:`MAX_BYTES` is refused before parsing. The kube-apiserver refuses
  request bodies over 3 MiB (kubernetes/kubernetes ``staging/src/k8s.io/apiserver/pkg/server/
  config.go``, ``MaxRequestBodyBytes``); the limit here is a little above that.
- **encoding**: bytes are decoded as kubectl, go-yaml and Marathon's Jackson decode a file
  (a byte-order mark decides; :mod:`clustersim.manifests.encoding`), and bytes that are no
  text are refused at their byte offset, line and column.
- **binary garbage**: text must be without control characters (YAML's own rule).
- **tags**: only the YAML core tags (``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``,
  ``!!map``, ``!!seq``, and ``!!timestamp``/``!!binary`` kept as their text); any other tag,
  such as ``!!python/object``, is refused. Nothing but dicts, lists and scalars is built.
- **alias bombs** ("billion laughs"): every node built counts, an alias counting its whole
  expansion, and a text whose documents together expand to over :data:`MAX_NODES` values is
  refused (the budget belongs to the whole stream, so forty small bombs in forty ``---``
  documents cost no more than one). go-yaml v3 guards against the same attack
  (``decode.go``, ``allowedAliasRatio``).
- **nesting**: documents deeper than :data:`MAX_DEPTH` are refused while composing, before
  Python's recursion limit could be reached; the same limit holds while aliases are expanded,
  so an alias inside its own anchor (``a: &a [*a]``) or a chain of thousands of aliases is
  refused instead of recursing without end.

Scalars resolve as the Go YAML libraries that Kubernetes and Compose use resolve them, not as
YAML 1.1's sexagesimal rules: ``80:80`` stays the string ``"80:80"`` (PyYAML alone would read
the integer 4880) and ``1e3`` is a number (go-yaml reads it as a float). ``y``/``n``/``yes``/
``no``/``on``/``off`` are booleans, as go-yaml v2 resolves them (``resolve.go``), which
sigs.k8s.io/yaml (kubectl) uses: an unquoted label value ``n`` is refused by the API server as
a boolean where a string belongs. docker/cli's Compose loader reads with go-yaml v3 (its
``vendor.mod`` requires ``gopkg.in/yaml.v3``, later ``go.yaml.in/yaml/v3``, and no longer
yaml.v2), whose booleans are ``true`` and ``false`` only (in three cases): each document keeps
the text of the plain scalars the two read differently (:attr:`Document.words`), and
:func:`yaml_v3_data` gives them back as strings.

Each document comes back as a :class:`Document`: the plain data, the line where it starts and
a map from field path (a tuple of keys and indexes) to the 1-based line where that field is.
JSON text is read by Python's ``json`` module (fast, and as lenient about repeated keys as
Go's ``encoding/json``); its line map is built only when an error needs a line.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from clustersim.goformat import FloatLiteral
from clustersim.manifests.encoding import decode
from clustersim.manifests.errors import ManifestError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Document",
    "check_data",
    "copy_data",
    "load_data",
    "load_documents",
    "not_plain_data",
    "yaml_v3_data",
]

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 250_000

Path = tuple[str | int, ...]


@dataclass
class Document:
    """One parsed document: its data, the line it starts on, and each field's line."""

    data: Any
    line: int | None = None
    lines: Mapping[Path, int] = field(default_factory=dict)
    source: str = "<string>"
    prefix: Path = ()
    json_error: ManifestError | None = None
    """Why a text that starts like JSON is not JSON, when it was read as YAML instead."""
    words: Mapping[Path, str] = field(default_factory=dict)
    """The plain scalars go-yaml v2 reads as booleans and go-yaml v3 as strings (``y``,
    ``yes``, ``on``, ``Off`` ...), by field path, as written."""
    jackson_encoding: str | None = None
    """The encoding of a text that only Jackson (Marathon) reads: UTF-32, or UTF-16 without a
    byte-order mark (``"UTF-16LE without a byte-order mark"``); None for any other."""

    def line_of(self, path: Path) -> int | None:
        """The line of the field at ``path``, or of its nearest enclosing field that has one."""
        path = (*self.prefix, *path)
        if not path:
            return self.line  # no lookup: a JSON text's line map is built only on demand
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return self.line

    def error(self, path: Path, message: str, expected: str | None = None) -> ManifestError:
        """A :class:`ManifestError` about the field at ``path`` of this document."""
        return ManifestError(
            message,
            source=self.source,
            line=self.line_of(path),
            path=(*self.prefix, *path),
            expected=expected,
        )

    def sub(self, path: Path, data: Any) -> Document:
        """The part of this document at ``path`` (e.g. one item of a ``List``), same lines."""
        prefix = (*self.prefix, *path)
        return Document(data, self.line_of(path), self.lines, self.source, prefix,
                        words=self.words)


class _Resolver(BaseResolver):
    """Implicit scalar types as go-yaml resolves them (no base-60 numbers; ``1e3`` is a float)."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(
        r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
    ),
    list("yYnNtTfFoO"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _DepthLimitedComposer(Composer):
    """PyYAML's composer with a nesting limit (its recursion would otherwise be unbounded)."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.MarkedYAMLError(
                    problem=f"nesting deeper than {MAX_DEPTH} levels", problem_mark=mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


try:  # libyaml's parser when PyYAML was built with it: the same events, much faster
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python PyYAML

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class _Loader(_DepthLimitedComposer, _Parser, _Resolver):  # type: ignore[misc, valid-type]
    """The parser, the depth-limited composer and the go-like resolver."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        _Resolver.__init__(self)


_SCALAR_AS_TEXT = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
}
_constructor = SafeConstructor()


class _Builder:
    """Turns composed nodes into plain data, counting nodes (aliases expanded) and lines."""

    def __init__(self, source: str, string_keys: bool = True) -> None:
        self.source = source
        self.string_keys = string_keys  # False: a key ``3`` or ``~`` stays the int or None
        self.count = 0  # values built so far in the whole stream (the alias budget)
        self.depth = 0  # nesting of the value being built, aliases and merges included
        self.lines: dict[Path, int] = {}
        self.words: dict[Path, str] = {}

    def fail(self, node: Node, path: Path, message: str, expected: str | None = None):
        raise ManifestError(
            message, source=self.source, line=node.start_mark.line + 1, path=path, expected=expected
        )

    def build(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self.fail(
                node,
                path,
                f"the text expands to more than {MAX_NODES} values (an alias bomb?)",
                "a manifest without runaway YAML aliases",
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, ScalarNode):
            value = self.scalar(node, path)
            if isinstance(value, bool) and node.value.lower() not in ("true", "false"):
                self.words[path] = node.value   # a boolean for go-yaml v2 only
            return value
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                self.fail(
                    node,
                    path[:4],
                    f"the document nests deeper than {MAX_DEPTH} levels once its aliases are "
                    "expanded (an alias inside its own anchor, or a long chain of aliases?)",
                    "an alias that refers to an anchor defined outside it",
                )
            if isinstance(node, SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode) and node.tag == "tag:yaml.org,2002:map":
                return self.mapping(node, path)
        finally:
            self.depth -= 1
        return self.fail(node, path, f"the YAML tag {node.tag!r} is not allowed", _SAFE_TAGS)

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        if node.tag in _SCALAR_AS_TEXT:
            return node.value
        if node.tag in _SCALAR_TYPES:
            try:
                value = _SCALAR_TYPES[node.tag](_constructor, node)
                explicit = "inf" in node.value.lower()  # .inf, -.Inf
                if isinstance(value, float) and math.isinf(value) and not explicit:
                    return node.value  # go-yaml: a float out of range (1e400) stays a string
                if type(value) is int and not -(2**63) <= value < 2**64:
                    # go-yaml: an integer beyond 64 bits is a float when written in decimal
                    # (and fits one), else it stays a string (0xfff..., 0o777...)
                    decimal = node.value.lstrip("+-").replace("_", "").isdigit()
                    return float(value) if decimal and value.bit_length() < 1024 else node.value
                return value
            except (ValueError, KeyError, yaml.YAMLError):
                self.fail(node, path, f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[1]}")
        return self.fail(node, path, f"the YAML tag {node.tag!r} is not allowed", _SAFE_TAGS)

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        explicit: dict[Path, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.update(self.merge(value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                self.fail(
                    key_node, path, "a mapping key is itself a list or mapping", "a plain key"
                )
            key = self.scalar(key_node, path)
            key = key if isinstance(key, str) or not self.string_keys else key_node.value
            if key in result:
                first = self.lines.get((*path, key))
                self.fail(
                    key_node,
                    (*path, key),
                    f"the key {key!r} appears twice (first on line {first})",
                    "each key once per mapping",
                )
            explicit[(*path, key)] = self.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key))
        for key, value in merged.items():
            result.setdefault(key, value)
        self.lines.update(explicit)  # a later ``<<`` must not claim the explicit keys' lines
        return result

    def merge(self, node: Node, path: Path) -> dict[str, Any]:
        """``<<: *base`` or ``<<: [*a, *b]``: earlier mappings win, explicit keys win over all."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            if not isinstance(source, MappingNode):
                self.fail(
                    source, path, "a merge key (<<) must refer to mappings", "a mapping alias"
                )
            for key, value in self.build(source, path).items():
                merged.setdefault(key, value)
        return merged


_BOOLEANS = {
    **dict.fromkeys(["y", "yes", "true", "on"], True),
    **dict.fromkeys(["n", "no", "false", "off"], False),
}
_SCALAR_TYPES = {
    "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": lambda _, node: _BOOLEANS[node.value.lower()],
    "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
}
_SAFE_TAGS = "only plain YAML: mappings, lists, strings, numbers, booleans and null"


def _text_of(content: str | bytes, source: str) -> tuple[str, str | None]:
    """The text of ``content`` (bytes decoded: :func:`~.encoding.decode`), checked for size,
    NUL bytes and lone surrogates, and the encoding only Jackson reads, if it is one."""
    size = len(content)
    if size > MAX_BYTES:
        raise ManifestError(
            f"the text is {size} bytes long, over the limit of {MAX_BYTES} bytes",
            source=source,
            expected="a manifest file of a few kilobytes or megabytes",
        )
    jackson = None
    if isinstance(content, bytes):
        content, jackson = decode(content, source)
    if "\x00" in content:
        raise ManifestError(
            "the text contains NUL bytes (binary data?)",
            source=source,
            line=content.count("\n", 0, content.index("\x00")) + 1,
            expected="a YAML or JSON text file",
        )
    surrogate = _SURROGATE.search(content)
    if surrogate:  # only a Python str holds one (no UTF-8 encodes it); libyaml cannot read it
        raise ManifestError(
            f"the text contains the lone surrogate U+{ord(surrogate[0]):04X}, which is no "
            "character",
            source=source,
            line=content.count("\n", 0, surrogate.start()) + 1,
            expected="text that can be saved as UTF-8",
        )
    return content, jackson


_SURROGATE = re.compile("[\ud800-\udfff]")


class _JsonLines(Mapping):
    """The lines of a JSON text's fields, found only when an error asks for one.

    JSON is parsed by Python's fast ``json`` module; the slower YAML parser, which knows
    lines, runs only if a line is wanted (JSON is YAML, except for a few corners such as tabs;
    then no line is known).
    """

    def __init__(self, text: str, source: str) -> None:
        self._text, self._source = text, source
        self._table: dict[Path, int] | None = None

    def _lines(self) -> dict[Path, int]:
        if self._table is None:
            try:
                documents = _load_yaml(self._text, self._source)
            except ManifestError:
                documents = []
            self._table = dict(documents[0].lines) if documents else {}
        return self._table

    def __getitem__(self, path: Path) -> int:
        return self._lines()[path]

    def __iter__(self):
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())


def load_documents(content: str | bytes, source: str, *,
                   string_keys: bool = True) -> list[Document]:
    """Parse every YAML document (or the one JSON value) in ``content``; skip empty documents.

    Text that starts like JSON is read as JSON first, as Marathon and kubectl read it: a
    repeated key keeps its last value there (Go's ``encoding/json``, Jackson), while YAML
    refuses it. Text that is not JSON is read as YAML, whatever its name: kubectl reads a
    file and its standard input alike (``StreamVisitor``), with apimachinery's
    ``YAMLOrJSONDecoder``, which reads a stream that starts with ``{`` and fails as JSON
    again as YAML (a trailing comma is fine there) and, when YAML fails too, reports the JSON
    error. Each document read so keeps the JSON error (``json_error``) for a reader that
    takes JSON only (Marathon: :func:`clustersim.manifests.load_manifests`). A YAML key that
    is no string (``3:``,
    ``~:``) becomes its text, as sigs.k8s.io/yaml turns it into a JSON key; with
    ``string_keys=False`` it keeps its type, for a reader that refuses it as docker/cli's
    Compose loader does (``Non-string key``).
    """
    text, jackson = _text_of(content, source)
    if text.lstrip()[:1] in ("{", "["):
        try:
            documents = _load_json(text, source)
        except _NotJsonError as not_json:
            try:
                documents = _load_yaml(text, source, string_keys)
            except ManifestError:
                raise not_json from None
            documents = [replace(document, json_error=not_json) for document in documents]
    else:
        documents = _load_yaml(text, source, string_keys)
    if jackson is None:
        return documents
    return [replace(document, jackson_encoding=jackson) for document in documents]


def load_data(content: str | bytes, source: str) -> Any:
    """The data of the one document in ``content`` (None if it holds none), read as
    :func:`load_documents` reads it; several documents are refused, as ``yaml.safe_load``
    refuses them."""
    documents = load_documents(content, source)
    if len(documents) > 1:
        raise ManifestError(
            f"the text holds {len(documents)} YAML documents",
            source=source,
            line=documents[1].line,
            expected="one document, without a --- line between two",
        )
    return documents[0].data if documents else None


def _load_yaml(text: str, source: str, string_keys: bool = True) -> list[Document]:
    loader = _Loader(text)
    documents = []
    builder = _Builder(source, string_keys)  # one alias budget for the whole stream
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if isinstance(node, ScalarNode) and node.value == "" and node.tag.endswith("null"):
                continue
            builder.lines, builder.words = {}, {}
            data = builder.build(node, ())
            documents.append(Document(data, node.start_mark.line + 1, builder.lines, source,
                                      words=builder.words))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = " ".join(p for p in (err.context, err.problem) if p)
        long_key = _long_key(text, mark)
        if long_key:
            problem = (f"the key before ':' on this line is {long_key:,} characters long, "
                       f"over YAML's limit of {MAX_SIMPLE_KEY} for a key ({problem})")
        raise ManifestError(
            f"the text is not valid YAML or JSON: {problem}",
            source=source,
            line=mark.line + 1 if mark else None,
            expected=f"a key of at most {MAX_SIMPLE_KEY} characters" if long_key
            else _hint(text, mark.line if mark else None),
        ) from None
    except yaml.YAMLError as err:
        raise ManifestError(
            f"the text is not valid YAML or JSON: {err}",
            source=source,
            expected="a YAML or JSON text file",
        ) from None
    finally:
        loader.dispose()
    return documents


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


MAX_SIMPLE_KEY = 1024
"""The most characters of a key written without ``?`` (a simple, or implicit, key): YAML
limits one to 1024 characters (YAML 1.1, https://yaml.org/spec/1.1/#id934537; YAML 1.2.2,
example 7.22 "Invalid Implicit Keys"), so a parser stops looking for its ``:`` past that:
libyaml and PyYAML answer "mapping values are not allowed", go-yaml, which kubectl and
docker read with, "could not find expected ':'"."""


def _long_key(text: str, mark: yaml.Mark | None) -> int | None:
    """The length of the key before the ``:`` at ``mark`` when it is over
    :data:`MAX_SIMPLE_KEY`, the cause of the syntax error there; else None. The key is the
    simple key that starts the entry: what stands on that line before the mark, after the
    indentation, a list's ``-`` and the last ``{``, ``[`` or ``,`` of a flow collection, up
    to its own ``:`` and a space when it is not quoted (in ``a: b: c`` the key is ``a``, and
    the error an unquoted ``: `` in the value: no long key)."""
    if mark is None:
        return None
    lines = text.splitlines()
    if mark.line >= len(lines) or lines[mark.line][mark.column:mark.column + 1] != ":":
        return None
    before = re.split(r"[{\[,]", lines[mark.line][:mark.column])[-1]
    entry = before.strip().lstrip("-").strip()
    key = entry if entry[:1] in ("'", '"') else re.split(r":\s", entry, maxsplit=1)[0]
    return len(key) if len(key) > MAX_SIMPLE_KEY else None


def _hint(text: str, line: int | None) -> str | None:
    """What most often causes a YAML syntax error on ``line`` (0-based), for a learner."""
    if line is None:
        return None
    lines = text.splitlines()
    nearby = lines[max(0, line - 1) : line + 1]
    if any("\t" in row[: len(row) - len(row.lstrip())] for row in nearby):
        return "spaces for indentation (YAML does not allow tabs)"
    return "consistent indentation on this line and the one before, and a space after each ':'"


class _NotJsonError(ManifestError):
    """The text cannot be parsed as JSON (it is then read as YAML); JSON nested deeper than
    Python's parser goes, or that parses but breaks a limit, is a plain
    :class:`ManifestError`."""


def _load_json(text: str, source: str) -> list[Document]:
    """One JSON value, its lines looked up lazily (:class:`_JsonLines`)."""
    try:
        # a number keeps its text, which the decoder's type errors name as Go does ("1E2")
        data = json.loads(text, parse_constant=_no_constants, parse_float=FloatLiteral)
    except json.JSONDecodeError as err:
        raise _NotJsonError(
            f"the text is not valid JSON: {err.msg}", source=source, line=err.lineno
        ) from None
    except RecursionError:
        raise ManifestError(
            f"nesting deeper than {MAX_DEPTH} levels",
            source=source,
            expected="a shallower document",
        ) from None
    except ValueError as err:  # NaN/Infinity, or an integer with thousands of digits
        why = ("a number has more digits than Python reads (4,300)" if "digits" in str(err)
               else str(err))
        raise _NotJsonError(f"the text is not valid JSON: {why}", source=source) from None
    check_data(data, source)
    start = text[: len(text) - len(text.lstrip())].count("\n") + 1
    return [Document(data, start, _JsonLines(text, source), source)]


def yaml_v3_data(document: Document) -> Any:
    """The data of ``document`` as go-yaml v3 reads it into an ``interface{}``: each plain
    scalar of :attr:`Document.words` is its text (``image: y`` is the image ``y``), where
    go-yaml v2 reads a boolean (``resolve.go``'s table of each: v3 keeps ``true`` and
    ``false`` only)."""
    if not document.words:
        return document.data
    data = copy_data(document.data)
    for path, text in document.words.items():
        parent = data
        for part in path[len(document.prefix):-1]:
            parent = parent[part]
        parent[path[-1]] = text
    return data


def copy_data(value: Any) -> Any:
    """A deep copy of plain data (dicts, lists, scalars), several times faster than deepcopy."""
    if isinstance(value, dict):
        return {key: copy_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [copy_data(item) for item in value]
    return value


def without_nulls(value: Any) -> Any:
    """:func:`copy_data` without the mapping entries whose value is null. In a Kubernetes or
    Marathon manifest a field given as null is an unset one (Go's and Play JSON's decoders
    leave it at its default): ``tolerations:`` with its entries commented out means no
    tolerations. The simulators read a key that is there as set, so they get the manifest
    without such keys. Lists keep their null items, which validation refuses where Go would
    (``unknown object type "nil"``). Not for Compose, where ``volumes: {data: }`` declares
    a volume."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [without_nulls(item) for item in value]
    return value


def check_data(data: Any, source: str) -> None:
    """Check data given directly (dicts, lists) or parsed as JSON: depth, size, plain types and
    finite numbers (Python's ``json`` reads ``1e400`` as infinity, where Go refuses it)."""
    found = not_plain_data(data)
    if found is not None:
        path, message, expected = found
        raise ManifestError(message, source=source, path=path, expected=expected)


def not_plain_data(data: Any, *, bounded: bool = True) -> tuple[Path, str, str] | None:
    """The first value of ``data`` that is no plain JSON data (a key that is no string, a
    number no 64-bit float holds, a set or another Python object), or, ``bounded``, the
    place where it grows deeper or larger than a manifest may, as (where, what is wrong,
    what to write instead); None when there is none. :func:`check_data` refuses a
    manifest with it, and the served APIs name what they cannot encode with it."""
    stack: list[tuple[Any, Path]] = [(data, ())]
    count = 0
    while stack:
        value, path = stack.pop()
        count += 1
        if bounded and (count > MAX_NODES or len(path) > MAX_DEPTH):
            return (path, f"the data is deeper than {MAX_DEPTH} levels or larger than "
                    f"{MAX_NODES} values", "a manifest of ordinary size")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    return (path, f"the key {key!r} is not a string",
                            "string keys, as in YAML or JSON")
                stack.append((item, (*path, key)))
        elif isinstance(value, list | tuple):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            return (path, f"the number {getattr(value, 'literal', value)} is out of range of "
                    "a 64-bit float (Go's encoding/json refuses it for Kubernetes and Compose; "
                    "Marathon's Play JSON reads it as Infinity, an amount no Mesos agent "
                    "holds)", "a finite number")
        elif value is not None and not isinstance(value, str | int | float):
            return (path, f"the value {value!r} is a {type(value).__name__}",
                    "strings, numbers, booleans, null, lists and mappings")
    return None
