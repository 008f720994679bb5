"""What every loader returns: :class:`Spec` (one object of a manifest) and :class:`ManifestSet`.

A spec records which system it belongs to, its kind and name, where it came from (source and
line) and ``manifest``: a plain JSON-compatible deep copy of the object that the simulators
read, and ``typed``: the same object validated into a pydantic model. Each loader adds a
subclass that describes its workloads in the neutral :class:`~clustersim.manifests.workload.
Workload` shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from clustersim.manifests.workload import Workload

__all__ = ["ManifestSet", "Spec", "System"]

System = Literal["kubernetes", "marathon", "swarm"]


class Spec(BaseModel):
    """One object read from a manifest: a Kubernetes object, a Marathon app/pod/group, a stack.

    ``simulated`` is ``False`` for objects that are kept but that no simulator acts on (e.g. a
    Kubernetes ``Ingress``), so nothing a learner wrote is dropped silently.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    system: System
    kind: str
    name: str
    namespace: str | None = None
    source: str = "<string>"
    simulated: bool = True
    line: int | None = None
    manifest: dict[str, Any]
    warnings: tuple[str, ...] = ()
    """Things that load but that the real system would refuse or warn about today."""
    typed: Any = Field(default=None, repr=False, exclude=True)
    """The object validated into pydantic models (for a stack: service name → ``Service``)."""

    def workloads(self) -> list[Workload]:
        """The workloads this object runs, in the shape shared by all three systems."""
        return []

    def __repr__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        namespace = f"{self.namespace}/" if self.namespace else ""
        flag = "" if self.simulated else ", not simulated"
        return f"<{self.system} {self.kind} {namespace}{self.name} ({where}{flag})>"

    __str__ = __repr__


class ManifestSet(list):
    """The specs read from one source, in document order (a ``list`` of :class:`Spec`)."""

    def of_system(self, system: str, consumer: str) -> ManifestSet:
        """These specs, every one of ``system``; another system's spec is refused with a
        ``ValueError`` that says what ``consumer`` takes (e.g. "KubernetesCluster applies
        Kubernetes manifests")."""
        for spec in self:
            if spec.system != system:
                raise ValueError(
                    f"{spec.source}: {spec.kind} {spec.name!r} is a {spec.system} object; "
                    f"{consumer}"
                )
        return self

    def of_kind(self, *kinds: str) -> ManifestSet:
        """The specs of the given kinds, e.g. ``specs.of_kind("Deployment", "Service")``."""
        return ManifestSet(spec for spec in self if spec.kind in kinds)

    def named(self, name: str) -> Spec:
        """The one spec with this name (a Marathon id, a stack name, metadata.name)."""
        found = [spec for spec in self if spec.name == name]
        if len(found) != 1:
            names = ", ".join(sorted({spec.name for spec in self})) or "none"
            raise ValueError(f"{len(found)} specs are named {name!r}; the names are: {names}")
        return found[0]

    def workloads(self) -> list[Workload]:
        """Every spec's workloads, in document order."""
        return [workload for spec in self for workload in spec.workloads()]
