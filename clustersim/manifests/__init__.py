"""Manifests in, validated specs out: Kubernetes YAML/JSON, Marathon JSON and Compose stacks.

``load_manifests(source)`` detects the dialect of every document and returns a
:class:`ManifestSet` of :class:`Spec` objects; anything wrong raises :class:`ManifestError`
naming the source, line, field path and what was expected.
"""

from clustersim.manifests.compose import StackSpec
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.kubernetes import SIMULATED_KINDS, KubernetesSpec
from clustersim.manifests.load import load_manifests
from clustersim.manifests.marathon import MarathonSpec
from clustersim.manifests.specs import ManifestSet, Spec
from clustersim.manifests.units import compose_bytes, compose_cpus, marathon_resources
from clustersim.manifests.workload import Port, Workload

__all__ = [
    "SIMULATED_KINDS",
    "KubernetesSpec",
    "ManifestError",
    "ManifestSet",
    "MarathonSpec",
    "Port",
    "Spec",
    "StackSpec",
    "Workload",
    "compose_bytes",
    "compose_cpus",
    "load_manifests",
    "marathon_resources",
]
