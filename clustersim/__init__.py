"""clustersim: a small, faithful simulator of Kubernetes, Mesos+Marathon and Docker Swarm.

The library behind the course's labs: loaders that read real manifests into validated specs,
one simulator per orchestrator on a shared cluster model and clock, plotly views, ipywidgets
apps, the feature-comparison data and the checks that exercises call.
"""

from clustersim.lazyimports import defer_iri_grammar
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
