"""clustersim: a small, faithful simulator of Kubernetes, Mesos+Marathon and Docker Swarm.

The library behind the course's labs: loaders that read real manifests into validated specs,
one simulator per orchestrator on a shared cluster model and clock, plotly views, ipywidgets
apps, the feature-comparison data and the checks that exercises call.

Importing the package imports only the standard library: each public name below is imported
from its module when first used (a module ``__getattr__``, PEP 562), so ``from clustersim
import load_manifests`` works as before, while ``python -m clustersim doctor`` still runs on a
machine where a failed ``pip install`` left PyYAML or pydantic out, and says what to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from clustersim.lazyimports import defer_iri_grammar

if TYPE_CHECKING:
    from clustersim.manifests import (
        ManifestError,
        ManifestSet,
        Spec,
        Workload,
        compose_bytes,
        compose_cpus,
        load_manifests,
        marathon_resources,
    )
    from clustersim.node import Node
    from clustersim.quantity import QuantityError, format_quantity, parse_quantity

defer_iri_grammar()     # before anything imports jsonschema: a lab's first cell saves seconds

_HOMES = {
    "clustersim.manifests": ("ManifestError", "ManifestSet", "Spec", "Workload", "compose_bytes",
                             "compose_cpus", "load_manifests", "marathon_resources"),
    "clustersim.node": ("Node",),
    "clustersim.quantity": ("QuantityError", "format_quantity", "parse_quantity"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "ManifestError",
    "ManifestSet",
    "Node",
    "QuantityError",
    "Spec",
    "Workload",
    "compose_bytes",
    "compose_cpus",
    "format_quantity",
    "load_manifests",
    "marathon_resources",
    "parse_quantity",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use and kept here after."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
