"""Manifests in, validated specs out: Kubernetes YAML/JSON, Marathon JSON and Compose stacks.

``load_manifests(source)`` detects the dialect of every document and returns a
:class:`ManifestSet` of :class:`Spec` objects; anything wrong raises :class:`ManifestError`
naming the source, line, field path and what was expected::

    >>> from clustersim import load_manifests
    >>> [app] = load_manifests({"id": "shop/web", "cmd": "serve", "cpus": 0.5, "mem": 256})
    >>> app.kind, app.name, app.manifest["id"]
    ('App', '/shop/web', '/shop/web')
    >>> [workload] = app.workloads()
    >>> workload.replicas, workload.cpu, workload.memory
    (1, Decimal('0.5'), 268435456)

Modules: :mod:`.safe_yaml` (bounded, safe parsing with line numbers), :mod:`.detect`,
:mod:`.kubernetes`, :mod:`.marathon` (with :mod:`.pathid`), :mod:`.compose` (with
:mod:`.interpolate`), the pydantic models in ``*_types``, :mod:`.units` (Marathon and
Compose amounts), :mod:`.workload` (the neutral shape) and :mod:`.errors`.
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
