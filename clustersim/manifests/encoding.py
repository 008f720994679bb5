"""How the three systems' tools decode the bytes of a manifest file, for the loader
(:mod:`clustersim.manifests.safe_yaml`), and Marathon a request body
(:mod:`clustersim.serve.marathonjson`).

- A byte-order mark decides: UTF-8 (dropped), UTF-16LE or UTF-16BE. kubectl reads ``-f``
  through ``unicode.BOMOverride`` over a UTF-8 decoder (kubernetes/cli-runtime
  ``pkg/resource/visitor.go``, ``FileVisitor``), and ``docker stack deploy`` and Compose read
  YAML with go-yaml, whose reader checks the same three marks (go-yaml ``readerc.go``,
  ``yaml_parser_determine_encoding``); without one the text is UTF-8.
- Marathon reads a body with Jackson, which also takes UTF-32 after its mark and, without a
  mark, UTF-16 or UTF-32 told by where the zero bytes of the first character are (jackson-core
  ``ByteSourceJsonBootstrapper.detectEncoding``: ``checkUTF32`` on the first four bytes, then
  ``checkUTF16``; JSON begins with an ASCII character). Such a text is decoded too, and its
  encoding is returned so that :func:`clustersim.manifests.load_manifests` refuses it for a
  Kubernetes or Compose file (:attr:`~.safe_yaml.Document.jackson_encoding`). Simplified:
  the two byte orders of UTF-32 Jackson calls unsupported (``3412``, ``2143``) are read as
  UTF-16.
- Bytes that are no text in their encoding are refused with their byte offset in the file and
  the line and column (in characters) where they are.
"""

from __future__ import annotations

from clustersim.manifests.errors import ManifestError

__all__ = ["decode"]

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
"""The byte-order marks kubectl and go-yaml read, in go-yaml's order of checking."""


def _jackson_encoding(content: bytes) -> tuple[str, int, str] | None:
    """``(codec, bytes of its mark, name)`` of a text only Jackson reads: UTF-32 with a mark,
    or UTF-16 or UTF-32 without one, from the zero bytes of its first character
    (``detectEncoding``: ``checkUTF32`` on the first four bytes, then ``checkUTF16``)."""
    if content[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        codec = "utf-32-be" if content[0] == 0 else "utf-32-le"
        return codec, 4, codec.upper().replace("-LE", "LE").replace("-BE", "BE")
    if content[:2] in (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb"):
        return None
    if len(content) >= 4 and content[:3] == b"\x00\x00\x00":
        return "utf-32-be", 0, "UTF-32BE without a byte-order mark"
    if len(content) >= 4 and content[1:4] == b"\x00\x00\x00":
        return "utf-32-le", 0, "UTF-32LE without a byte-order mark"
    if len(content) >= 2 and content[0] == 0:
        return "utf-16-be", 0, "UTF-16BE without a byte-order mark"
    if len(content) >= 2 and content[1] == 0:
        return "utf-16-le", 0, "UTF-16LE without a byte-order mark"
    return None


def decode(content: bytes, source: str, *, errors: str = "strict") -> tuple[str, str | None]:
    """The text of ``content`` and, for one only Jackson reads, its encoding (see the module
    docstring); bytes that are no text in their encoding raise :class:`ManifestError`, or,
    ``errors="replace"`` (Marathon's body reader, :mod:`clustersim.serve.marathonjson`), are
    read as U+FFFD."""
    jackson = _jackson_encoding(content)
    codec, start = next(((c, len(bom)) for bom, c in _BOMS if content.startswith(bom)),
                        ("utf-8", 0))
    if jackson is not None:
        codec, start = jackson[:2]
    try:
        return content[start:].decode(codec, errors), jackson[2] if jackson else None
    except UnicodeDecodeError as err:
        at = start + err.start
        before = content[start:at].decode(codec, errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        name = codec.upper().replace("-LE", "LE").replace("-BE", "BE")
        raise ManifestError(
            f"the file is not {name} text: the bytes at byte offset {at} (line {line}, "
            f"column {column}) cannot be decoded",
            source=source,
            line=line,
            expected="a YAML or JSON text file saved as UTF-8",
        ) from None
