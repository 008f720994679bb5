"""Marathon path ids: the ``/group/subgroup/app`` names of apps, pods and groups.

Follows d2iq-archive/marathon ``src/main/scala/mesosphere/marathon/state/PathId.scala`` (tests
``src/test/scala/mesosphere/marathon/state/PathIdTest.scala``):

- an id is a ``/``-separated path; a leading ``/`` makes it absolute, empty segments are
  dropped (``"/a//b/"`` is ``/a/b``) and ``"/"`` (or ``""``) is the root group;
- a relative id is resolved against a base group like a file path: ``.`` stays, ``..`` goes
  up one level and ``..`` at the root stays at the root (``canonicalPath``);
- every segment must fully match ``ID_PATH_SEGMENT_PATTERN``: lowercase DNS-label-like parts
  joined by dots, or ``.``/``..``; the last segment may not be a reserved word (``restart``,
  ``tasks``, ``versions``) nor ``.``/``..``; an id has at most 100 segments, a bound of the
  simulator where Marathon has none (:data:`clustersim.manifests.pathid.MAX_SEGMENTS` says why);
- ``to_hostname()`` reverses the segments and joins them with dots (``/a/b/c`` → ``c.b.a``):
  Marathon names each Mesos task this way, which is how Mesos-DNS names come about.
"""

from __future__ import annotations

from functools import total_ordering

from clustersim.manifests.pathid import RESERVED, SEGMENT, canonical, depth_violation

__all__ = ["PathId"]

#: The last segment of a resolved id may be neither a reserved word nor ``.``/``..``.
RESERVED_LAST_SEGMENTS = (*RESERVED, ".", "..")


@total_ordering
class PathId:
    """An absolute or relative Marathon id such as ``/prod/db/mysql`` or ``../web``.

    Build one from a string (``PathId("/a/b")``) or from segments
    (``PathId(["a", "b"], absolute=True)``). Ids compare and sort by their segments, as
    Marathon orders them (``/a`` < ``/a/a`` < ``/b``).
    """

    __slots__ = ("absolute", "path")

    def __init__(self, value: str | PathId | list[str] | tuple[str, ...] = "/", *,
                 absolute: bool | None = None) -> None:
        if isinstance(value, PathId):
            segments, is_absolute = value.path, value.absolute
        elif isinstance(value, str):
            segments = tuple(part for part in value.split("/") if part)
            is_absolute = value.startswith("/") or value == ""
        elif isinstance(value, list | tuple) and all(isinstance(p, str) for p in value):
            segments = tuple(part for part in value if part)
            is_absolute = True
        else:
            raise ValueError(
                f"a Marathon id must be a string like '/group/app', got {value!r}"
            )
        self.path: tuple[str, ...] = segments
        self.absolute: bool = is_absolute if absolute is None else absolute

    # -- structure ----------------------------------------------------------------------

    @property
    def is_root(self) -> bool:
        return not self.path

    @property
    def parent(self) -> PathId:
        """The enclosing group (the root's parent is the root)."""
        return PathId(self.path[:-1], absolute=self.absolute)

    @property
    def all_parents(self) -> list[PathId]:
        """Every enclosing group, nearest first, ending with the root."""
        parents: list[PathId] = []
        current = self
        while not current.is_root:
            current = current.parent
            parents.append(current)
        return parents

    @property
    def name(self) -> str:
        """The last segment (``""`` for the root)."""
        return self.path[-1] if self.path else ""

    def append(self, child: str | PathId) -> PathId:
        return PathId(self.path + PathId(child).path, absolute=self.absolute)

    __truediv__ = append

    def includes(self, other: str | PathId) -> bool:
        """Whether ``other`` is this id or one of its enclosing groups (``PathId.includes``)."""
        other = PathId(other)
        return self.path[: len(other.path)] == other.path

    def resolve(self, base: str | PathId = "/") -> PathId:
        """This id made absolute against the group ``base`` (``canonicalPath``).

        ``.`` and ``..`` are resolved like a file path, ``..`` at the root stays at the root.
        """
        base_id = PathId(base)
        if not base_id.absolute:
            raise ValueError(f"the base group {str(base_id)!r} must be an absolute id")
        return PathId(canonical(str(self), str(base_id)))

    # -- validation ---------------------------------------------------------------------

    def problems(self) -> list[str]:
        """What makes this id invalid (empty when valid), in Marathon's wording."""
        found = [
            f"segment {segment!r} must fully match regular expression '{SEGMENT.pattern}' "
            "(lowercase letters, digits and '-', parts joined by '.')"
            for segment in self.path
            if not SEGMENT.fullmatch(segment)
        ]
        if self.path and self.path[-1] in RESERVED_LAST_SEGMENTS:
            found.append(
                "must not end with any of the following reserved keywords: "
                + ", ".join(RESERVED_LAST_SEGMENTS)
            )
        too_deep = depth_violation(str(self))
        return [*found, too_deep] if too_deep else found

    @property
    def is_valid(self) -> bool:
        return not self.problems()

    def validate(self, what: str = "id") -> PathId:
        """Raise ``ValueError`` naming the problem when the id is invalid; return it otherwise."""
        problems = self.problems()
        if problems:
            raise ValueError(f"{what} {str(self)!r} is not a valid Marathon id: {problems[0]}")
        return self

    # -- forms --------------------------------------------------------------------------

    def to_hostname(self) -> str:
        """Segments reversed and joined with dots: ``/a/b/c`` → ``c.b.a`` (``toHostname``)."""
        return ".".join(reversed(self.path))

    def safe_path(self) -> str:
        """Segments joined with ``_``, as Marathon builds task ids (``safePath``)."""
        return "_".join(self.path)

    def __str__(self) -> str:
        body = "/".join(self.path)
        return f"/{body}" if self.absolute else body

    def __repr__(self) -> str:
        return f"PathId({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = PathId(other)
        if not isinstance(other, PathId):
            return NotImplemented
        return self.path == other.path and self.absolute == other.absolute

    def __lt__(self, other: PathId) -> bool:
        return self.resolve().path < PathId(other).resolve().path

    def __hash__(self) -> int:
        return hash((self.path, self.absolute))
