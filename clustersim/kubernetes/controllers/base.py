"""What every workload controller shares: the object store it reconciles against.

kube-controller-manager runs one control loop per kind; each watches the API server and
drives the objects it owns toward their spec. Here every controller is a small class whose
``sync(obj)`` is called for each object of its kind whenever anything in the cluster changed
(level-triggered, as upstream's informers plus resyncs make it), on the shared simulated clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["Controller", "replicas_of"]


def replicas_of(obj: dict[str, Any], default: int = 1) -> int:
    """``spec.replicas`` as an int (upstream defaults it to 1), with a clear error otherwise."""
    value = (obj.get("spec") or {}).get("replicas", default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        kind, name = obj.get("kind"), obj["metadata"]["name"]
        raise ValueError(f"{kind} {name!r}: spec.replicas must be a whole number ≥ 0, "
                         f"got {value!r}")
    return value


class Controller:
    """One control loop. Subclasses set ``kinds`` and implement :meth:`sync`."""

    kinds: ClassVar[tuple[str, ...]] = ()

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster

    def sync(self, obj: dict[str, Any]) -> None:  # pragma: no cover - interface
        raise NotImplementedError
