"""Marathon path ids: parsing, validation and resolution exactly as Marathon's ``PathId``.

Upstream: d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/state/PathId.scala``
(tests ``src/test/scala/mesosphere/marathon/state/PathIdTest.scala``).

- ``PathId(text)`` strips leading and trailing slashes, splits on ``/`` and drops empty
  segments; the id is absolute when the text starts with ``/``.
- ``canonicalPath(base)`` resolves a relative id against an absolute base, then walks the
  segments: ``.`` is skipped, ``..`` drops the last segment (at the root it stays at the root).
- Every segment must fully match :data:`SEGMENT`: lowercase DNS-label-like parts joined by
  dots, or ``.``/``..``. The last segment must not be a reserved word (``restart``, ``tasks``,
  ``versions``: they would clash with the REST API's ``/v2/apps/<id>/restart`` etc.).
- Inside a group, a child's resolved id must be a direct child of the group
  (``childOf``: "Identifier is not child of /x. Hint: use relative paths.").
- An app, pod or group id has at most :data:`MAX_SEGMENTS` segments once resolved. Marathon
  itself sets no such bound (``PathId``, ``stringTypes.raml``: a pattern and ``minLength``
  only); the simulator refuses what Marathon would store but could not load again:
  :func:`depth_violation`.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SEGMENTS", "RESERVED", "SEGMENT", "canonical", "depth_violation", "is_child_of",
           "parent", "segments", "validate"]

SEGMENT = re.compile(
    r"(?:(?:[a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*(?:[a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])"
    r"|\.|\.\."
)
RESERVED = ("restart", "tasks", "versions")
MAX_SEGMENTS = 100
"""Segments of an app, pod or group id (``/a/b/c`` has 3). Marathon keeps its whole group
tree in ZooKeeper as one protobuf ``GroupDefinition``, each group nested in its parent and each
app or pod a reference nested in its group (d2iq-archive/marathon ``storage/repository/
GroupRepositoryImpl.scala``, ``StoredGroup.toProto``), and reads it back with
``Protos.GroupDefinition.parseFrom`` (``storage/store/ZkStoreSerialization.scala``,
``groupUnmarshaller``).
protobuf-java refuses a message nested deeper than 100 levels (``CodedInputStream``,
``defaultRecursionLimit = 100``: "Protocol message had too many levels of nesting"), so an id
of 101 segments is accepted and stored, and the next Marathon leader cannot load its root
group. Refused here when it is posted instead: the group tree is then at most 100 deep, which
the simulator walks and writes as JSON well within Python's recursion limit."""


def segments(text: str) -> tuple[list[str], bool]:
    """``PathId.apply``: the non-empty segments of ``text`` and whether it is absolute."""
    return [part for part in text.strip("/").split("/") if part], text.startswith("/")


def canonical(text: str, base: str = "/") -> str:
    """``PathId(text).canonicalPath(PathId(base))``: ``"app"`` in ``/g`` → ``/g/app``."""
    parts, absolute = segments(text)
    if not absolute:
        parts = segments(base)[0] + parts
    result: list[str] = []
    for part in parts:
        if part == "..":
            if result:
                result.pop()
        elif part != ".":
            result.append(part)
    return "/" + "/".join(result)


def parent(path: str) -> str:
    """The enclosing group of an absolute id: ``/a/b`` → ``/a``; the root is its own parent."""
    parts = segments(path)[0]
    return "/" + "/".join(parts[:-1])


def is_child_of(path: str, group: str) -> bool:
    """Whether the absolute id ``path`` is a direct child of the absolute group id ``group``."""
    return parent(path) == canonical(group) and path != "/"


def depth_violation(path: str) -> str | None:
    """Why the id ``path`` (resolved: relative segments count as written) is too deep, in
    the words of Marathon's validators (``must ...``), or ``None`` (:data:`MAX_SEGMENTS`)."""
    count = len(segments(path)[0])
    if count <= MAX_SEGMENTS:
        return None
    return (f"must have at most {MAX_SEGMENTS} segments, not {count}: Marathon stores its group "
            f"tree as one protobuf message, which it cannot read back nested deeper than "
            f"{MAX_SEGMENTS} levels; use a shorter id")


def validate(text: str) -> str | None:
    """What is wrong with the id ``text`` per Marathon's rules, or ``None`` when it is valid."""
    parts, _ = segments(text)
    for part in parts:
        if not SEGMENT.fullmatch(part):
            return (
                f"the id segment {part!r} must be lowercase letters, digits and hyphens "
                "(not at either end), optionally joined by dots"
            )
    if parts and parts[-1] in RESERVED:
        return f"the id must not end with a reserved word ({', '.join(RESERVED)})"
    return None
