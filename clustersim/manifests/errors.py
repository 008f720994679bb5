"""``ManifestError``: what is wrong in a manifest, where (file, line, field path) and what to do.

Every loader raises this one error type, so a lab or widget can catch it and show the message
as it is. ``str(err)`` reads as one sentence, e.g.
``web.yaml, line 12, spec.template.spec.containers[0].resources.requests.cpu: quantity 'lots'
is not valid (expected a quantity such as '500m' or '2Gi').``

A Kubernetes object can have several problems at once: the API server reports every field
error of an object together (``errors.NewInvalid``), so the Kubernetes loader does too: the
first is the error itself, the others are in ``also`` and follow it in ``str(err)``, one
sentence each.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ANY", "ManifestError", "format_path", "key_path", "path_matches", "together"]


ANY = "*"
"""In a pattern of :func:`path_matches`, any one key or index."""


def path_matches(pattern: Sequence[str | int], path: Sequence[str | int]) -> bool:
    """Whether the field ``path`` is ``pattern``, part for part, :data:`ANY` matching any
    part (docker/cli's ``interp.PathMatchAll`` and ``PathMatchList``)."""
    return len(pattern) == len(path) and all(
        p in (ANY, part) for p, part in zip(pattern, path, strict=True))


def format_path(path: Sequence[str | int]) -> str:
    """Render a field path as Kubernetes does: ``spec.containers[0].resources``.

    Keys that are not plain identifiers (``nvidia.com/gpu``, ``app.kubernetes.io/name``) are
    quoted in brackets so the path stays unambiguous: ``limits["nvidia.com/gpu"]``.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.replace("_", "").replace("-", "").isalnum():
            text += f".{part}" if text else part
        else:
            text += f'["{part}"]'
    return text


def key_path(path: Sequence[str | int], key: str) -> str:
    """The path of ``key`` of the map at ``path`` as the Kubernetes API server's
    ``field.Path.Key`` prints it: in brackets, unquoted (``limits[cpu]``, ``data[a b]``:
    ``Path.String`` in k8s.io/apimachinery ``pkg/util/validation/field/path.go``), where
    :func:`format_path` names a plain key as a field and quotes any other."""
    return f"{format_path(path)}[{key}]"


class ManifestError(ValueError):
    """A manifest cannot be loaded: names the source, line, field path and what was expected.

    Attributes: ``source`` (file name or ``"<string>"``), ``line`` (1-based, or ``None`` when
    unknown, e.g. for a dict passed in directly), ``path`` (dotted field path, ``""`` for the
    whole document), ``message`` (what is wrong) and ``expected`` (what would be right, or
    ``None``); ``also``: further problems of the same object, each a ``ManifestError``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<string>",
        line: int | None = None,
        path: str | Sequence[str | int] = "",
        expected: str | None = None,
        also: Sequence[ManifestError] = (),
    ) -> None:
        self.message = message
        self.also = tuple(also)
        self.source = source
        self.line = line
        self.path = path if isinstance(path, str) else format_path(path)
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f", line {self.line}"
        if self.path:
            where += f", {self.path}"
        text = f"{where}: {self.message.rstrip('.')}"
        if self.expected:
            text += f" (expected {self.expected})"
        return " Also: ".join([text + ".", *(str(other) for other in self.also)])

    def __reduce__(self):  # keep the keyword fields when pickled (e.g. across processes)
        return (_rebuild, (self.message, self.source, self.line, self.path, self.expected,
                           self.also))


def _rebuild(message: str, source: str, line: int | None, path: str, expected: str | None,
             also: tuple[ManifestError, ...] = ()) -> ManifestError:
    return ManifestError(message, source=source, line=line, path=path, expected=expected,
                         also=also)


def together(errors: Sequence[ManifestError]) -> ManifestError:
    """One error that reports all of ``errors`` (at least one): the first, the others in its
    ``also``."""
    first, *others = errors
    return ManifestError(first.message, source=first.source, line=first.line, path=first.path,
                         expected=first.expected, also=[*first.also, *others])
