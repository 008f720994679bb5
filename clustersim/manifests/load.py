"""``load_manifests``: one entry point for every dialect and every kind of source.

A source is a file path, YAML/JSON text, a dict or a list of dicts. Text is read with the
bounded safe loader (:mod:`clustersim.manifests.safe_yaml`), each document's dialect is
detected (:mod:`clustersim.manifests.detect`) and handed to its loader.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from clustersim.manifests.compose import load_compose, text_of
from clustersim.manifests.detect import detect
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.kubernetes import load_kubernetes
from clustersim.manifests.marathon import load_marathon
from clustersim.manifests.safe_yaml import MAX_BYTES, Document, check_data, load_documents
from clustersim.manifests.specs import ManifestSet, Spec
from clustersim.manifests.validation import found_text

__all__ = ["load_manifests"]

_LOADERS: dict[str, Callable[[Document], list[Any]]] = {
    "kubernetes": load_kubernetes,
    "marathon": load_marathon,
}
_SUFFIXES = (".yaml", ".yml", ".json")


def _looks_like_path(text: str) -> bool:
    """A one-line string ending in .yaml/.yml/.json that is a file, or is not YAML-looking."""
    if "\n" in text or not text.strip().lower().endswith(_SUFFIXES):
        return False
    return Path(text).is_file() or not (": " in text or text.lstrip().startswith(("{", "[")))


def _is_folder(text: str) -> bool:
    """A one-line string that names a folder (read as YAML it would be one plain word)."""
    if "\n" in text or not text.strip():
        return False
    try:
        return Path(text.strip()).is_dir()
    except (OSError, ValueError):   # too long a name, a NUL byte
        return False


def _read_file(path: Path) -> list[Document]:
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ManifestError(
                f"the file is {size} bytes long, over the limit of {MAX_BYTES} bytes",
                source=source,
                expected="a manifest file of a few kilobytes or megabytes",
            )
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise ManifestError(
            f"the file cannot be read: {err.strerror or err}",
            source=str(path),
            expected="the path of an existing YAML or JSON file",
        ) from None
    return load_documents(content, source)


def _documents(source: Any, name: str | None) -> list[Document]:
    if isinstance(source, os.PathLike) and Path(source).is_dir():
        # as ``kubectl apply -f DIR``: every manifest file of the folder, in name order
        files = sorted(p for p in Path(source).iterdir() if p.suffix.lower() in _SUFFIXES)
        return [document for path in files for document in _read_file(path)]
    if isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        return _read_file(Path(source))
    if isinstance(source, str) and _is_folder(source):
        raise ManifestError(
            f"{source.strip()!r} is a folder, not a manifest", source=source.strip(),
            expected="the path of a manifest file in it (.yaml, .yml or .json), or "
                     "pathlib.Path of the folder to read every manifest file in it")
    if isinstance(source, str | bytes):
        return load_documents(source, name or "<string>")
    label = name or "<data>"
    if isinstance(source, dict):
        check_data(source, label)
        return [Document(source, source=label)]
    if isinstance(source, list | tuple):
        check_data(list(source), label)
        return [Document(item, source=label, prefix=(index,)) for index, item in enumerate(source)]
    raise ManifestError(
        f"cannot load a {type(source).__name__}",
        source=label,
        expected="a file path, YAML or JSON text, a dict or a list of dicts",
    )


def _variables(environment: Any) -> dict[str, str]:
    """The ``environment`` of :func:`load_manifests` as text, the way Compose writes values.

    A shell environment holds strings only; a number or boolean given here becomes its text
    as a shell would hold it (``2`` → ``"2"``, ``True`` → ``"true"``).
    Anything else is refused with the variable's name.
    """
    if environment is None:
        return {}
    if not isinstance(environment, Mapping):
        raise ManifestError(
            f"environment is a {type(environment).__name__}",
            source="<environment>",
            expected='a mapping from variable name to value, e.g. {"TAG": "1.25"}',
        )
    variables = {}
    for key, value in environment.items():
        if not isinstance(key, str) or not isinstance(value, str | int | float) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            raise ManifestError(
                f"the variable {found_text(key)} has the value {found_text(value)}",
                source="<environment>",
                expected="variable names and values that are strings (or numbers, booleans)",
            )
        variables[key] = text_of(value)
    return variables


def load_manifests(
    source: Any, *, name: str | None = None, environment: Mapping[str, str] | None = None,
    stack_file: str | None = None,
) -> ManifestSet:
    """Read manifests of any of the three systems into validated specs, in document order.

    ``source`` is a path (``str`` ending in ``.yaml``/``.yml``/``.json``, or a ``Path`` to a
    file or to a folder whose manifest files are read in name order), YAML
    or JSON text (several ``---`` documents allowed), a dict, a list of dicts, or specs that
    were loaded already (returned as they are). ``name``
    labels the source in error messages when it is not a file. ``environment`` holds the
    variables that Compose files may use (``${TAG:-latest}``). A stack read from text is
    named after the stem of ``name`` (``shop`` for ``shop.yml``), or of ``stack_file`` when
    ``name`` is a label and not the file's name (``docker stack deploy`` takes the name from
    its command line). Anything wrong raises
    :class:`~clustersim.manifests.errors.ManifestError`.
    """
    if isinstance(source, Spec):
        return ManifestSet([source])
    if isinstance(source, list | tuple) and source and all(isinstance(s, Spec) for s in source):
        return ManifestSet(source)  # already loaded: simulators may be handed specs
    variables = _variables(environment)
    specs: list[Spec] = []
    documents = _documents(source, name)
    ports_used = [0]   # port entries of every stack so far: MAX_PORTS bounds the source
    for document in documents:
        system = detect(document)
        if system == "marathon" and document.json_error is not None:
            raise ManifestError(   # Marathon reads JSON only (Play JSON over Jackson)
                document.json_error.message, source=document.json_error.source,
                line=document.json_error.line,
                expected="JSON, as Marathon reads an app, pod or group: no trailing comma, "
                         "comment or unquoted name")
        if system != "marathon" and document.jackson_encoding is not None:
            raise ManifestError(   # kubectl and go-yaml read UTF-8, or UTF-16 with a mark
                f"the file is in {document.jackson_encoding}, which Marathon's JSON reader "
                f"detects but {'docker' if system == 'swarm' else 'kubectl'} does not",
                source=document.source, line=document.line,
                expected="the file saved as UTF-8 (or UTF-16 with a byte-order mark)")
        if system == "swarm":
            specs.extend(load_compose(document, variables, ports_used, stack_file))
        else:
            specs.extend(_LOADERS[system](document))
    return ManifestSet(specs)
