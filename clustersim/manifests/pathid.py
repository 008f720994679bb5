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
"""

from __future__ import annotations

import re

__all__ = ["RESERVED", "SEGMENT", "canonical", "is_child_of", "parent", "segments", "validate"]

SEGMENT = re.compile(
    r"(?:(?:[a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*(?:[a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])"
    r"|\.|\.\."
)
RESERVED = ("restart", "tasks", "versions")


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
