"""The neutral shape of a workload, the same for Kubernetes, Marathon and Swarm.

A lab sets one application in three dialects side by side: a Deployment, a Marathon app and a
stack service each become a :class:`Workload` with the same fields, so the differences that
remain are real ones (how placement is written, what a dependency means).

- ``replicas``: how many copies are asked for; ``None`` means "one per eligible node"
  (a DaemonSet, a Swarm ``global`` service).
- ``cpu`` (cores, ``Decimal``) and ``memory`` (bytes) are per replica and are what each
  scheduler places by: Kubernetes requests, Marathon ``cpus``/``mem``, Swarm reservations.
- ``ports``: what each replica exposes; ``published`` is the port on the node or routing mesh
  (``None`` when the system picks one or none is published).
- ``placement``: the placement rules, one readable sentence each (a tuple, like ``ports``,
  ``volumes`` and ``dependencies``: a workload is an immutable value).
- ``volumes`` and ``dependencies``: readable too; dependencies are names in the system's own
  terms (Marathon path ids, Compose service names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from clustersim.messages import counted

__all__ = ["Port", "Workload"]


@dataclass(frozen=True)
class Port:
    """One exposed port: the container's ``target``, the ``published`` one, the protocol."""

    target: int | None
    published: int | str | None = None
    protocol: str = "tcp"

    def __str__(self) -> str:
        published = f"{self.published}:" if self.published is not None else ""
        target = "any" if self.target is None else self.target
        return f"{published}{target}/{self.protocol}"


@dataclass(frozen=True)
class Workload:
    """One application's demands and rules, in the shape shared by all three systems."""

    name: str
    system: str
    kind: str
    replicas: int | None
    cpu: Decimal = Decimal(0)
    memory: int = 0
    ports: tuple[Port, ...] = ()
    placement: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    def describe(self) -> str:
        """One line for a table: ``web (Deployment): 3 replicas, 0.5 CPU and 256 MiB each``."""
        copies = "one per node" if self.replicas is None else counted(self.replicas, "replica")
        memory = f"{self.memory / 2**20:g} MiB"
        ports = f", ports {' '.join(map(str, self.ports))}" if self.ports else ""
        return f"{self.name} ({self.kind}): {copies}, {self.cpu} CPU and {memory} each{ports}"
