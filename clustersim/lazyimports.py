"""Build rfc3987-syntax's IRI grammar when an IRI is checked, not when a lab starts.

A lab's first cell, ``import clustersim.viz``, installs the course's plotly renderer, and
every figure a lab shows goes through plotly's renderer registry. That module
(plotly/plotly.py ``plotly/io/_renderers.py``) imports nbformat when it is installed (it checks
nbformat's version before a mimetype render); nbformat imports jsonschema
(jupyter/nbformat ``nbformat/json_compat.py``); and jsonschema imports every optional format
checker of its ``format-nongpl`` extra (python-jsonschema/jsonschema ``jsonschema/_format.py``),
among them rfc3987-syntax for the ``iri`` and ``iri-reference`` formats. rfc3987-syntax 1.1.0
builds a Lark Earley parser of RFC 3987's grammar at import (``rfc3987_syntax/
syntax_helpers.py``): 2 to 4 s of a fresh kernel, before any IRI is checked, and none of the
schemas the course, nbformat or plotly validate uses those formats. Upstream knows
(python-jsonschema/jsonschema#1428, jupyter/nbformat#420); the maintained fork
``rfc3987-syntax2`` builds its parsers on first use, which jsonschema does not import.

:func:`defer_iri_grammar`, called when :mod:`clustersim` is imported, puts a finder first on
``sys.meta_path`` that answers an import of ``rfc3987_syntax`` 1.1.0 with a stand-in package:
its ``is_valid_syntax`` (the one name jsonschema imports) and every other attribute import
the real ``rfc3987_syntax.syntax_helpers`` on first use and use it, so an IRI is still checked
by the real grammar, and only a program that checks one pays for building it. Nothing else
changes: a package already imported, or another release, is left alone, and so is a
package whose own requirements cannot be found (:data:`REQUIREMENTS`): its import then fails
at once, as jsonschema expects, which imports ``is_valid_syntax`` under
``suppress(ImportError)`` and then checks no ``iri`` at all.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

__all__ = ["defer_iri_grammar"]

PACKAGE = "rfc3987_syntax"
HELPERS = f"{PACKAGE}.syntax_helpers"   # what the real package's __init__ star-imports
SLOW_RELEASES = ("1.1.0",)              # the releases that build their parser at import
REQUIREMENTS = ("lark",)
"""What rfc3987-syntax 1.1.0 imports besides the standard library (its one ``Requires-Dist``,
``lark>=1.2.2``): without it the stand-in would raise the ImportError only when an IRI is
checked, where the real package raises it when jsonschema imports it."""


def _helpers() -> ModuleType:
    return importlib.import_module(HELPERS)


class _DeferredPackage(ModuleType):
    """``rfc3987_syntax`` whose names come from its helpers module, imported when first asked."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name != "__all__":   # what the import system looks up
            raise AttributeError(name)
        helpers = _helpers()
        if name == "__all__":           # a star import: the public names of the real package
            return [n for n in vars(helpers) if not n.startswith("_")]
        return getattr(helpers, name)


def is_valid_syntax(term: str, value: str) -> bool:
    """rfc3987-syntax's ``is_valid_syntax``, its grammar built on the first call."""
    return bool(_helpers().is_valid_syntax(term, value))


class _Loader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return _DeferredPackage(spec.name)

    def exec_module(self, module: ModuleType) -> None:
        module.is_valid_syntax = is_valid_syntax     # type: ignore[attr-defined]


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the stand-in for ``rfc3987_syntax`` (a slow release only); defers to the
    other finders for every other module, the package's own submodules included."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != PACKAGE:
            return None
        real = importlib.machinery.PathFinder.find_spec(fullname, path)
        if real is None or _release() not in SLOW_RELEASES or not all(
                map(_findable, REQUIREMENTS)):
            return None
        spec = importlib.util.spec_from_loader(fullname, _Loader(), origin=real.origin,
                                               is_package=True)
        if spec is not None:            # its file and submodules are the real package's
            spec.has_location = real.has_location
            spec.submodule_search_locations = real.submodule_search_locations
        return spec


def _findable(name: str) -> bool:
    """Whether the import system finds the top-level module ``name`` (imports nothing)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _release() -> str | None:
    try:
        return importlib.metadata.version("rfc3987-syntax")
    except importlib.metadata.PackageNotFoundError:
        return None


def defer_iri_grammar() -> None:
    """Answer a later import of ``rfc3987_syntax`` with the stand-in (once per process)."""
    if PACKAGE in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
