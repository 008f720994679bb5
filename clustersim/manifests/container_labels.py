"""A Compose service's ``labels``, the labels of its containers, and the two of them the
simulator reads.

docker/cli makes a service's Compose ``labels`` the ContainerSpec's labels and its
``deploy.labels`` the service's own (``cli/compose/convert/service.go``, ``Service``), so only
the former reach a container. The simulator's ``clustersim.io/run-seconds`` and
``clustersim.io/exit-code`` (the readers of :mod:`~clustersim.manifests.kubernetes_annotations`)
stand in there for what a real program does; the loader refuses a value the agent could not
use, as the Kubernetes loader refuses the same annotations, so ``docker stack deploy``
(served), ``docker service create --container-label`` and ``deploy_stack`` refuse alike. A real
daemon keeps any label as an opaque string.
"""

from __future__ import annotations

from typing import Any

from clustersim.manifests.kubernetes_annotations import annotation_problems

__all__ = ["check_container_labels", "label_map"]


def label_map(labels: dict[str, Any] | list[str] | None) -> dict[str, str]:
    """A Compose ``labels`` mapping or ``key=value`` list as the map of strings docker/cli
    sends (``cli/compose/loader/loader.go``, ``transformMappingOrList`` with ``=``: a key
    without ``=``, or a null value, is an empty string)."""
    if isinstance(labels, dict):
        return {str(k): "" if v is None else str(v) for k, v in labels.items()}
    pairs = (item.partition("=") for item in labels or [])
    return {key: value for key, _, value in pairs}


def check_container_labels(labels: Any) -> Any:
    """``labels`` as they are, or a ``ValueError`` naming each of the simulator's labels whose
    value its agent cannot use, and what the value must be."""
    problems = [f"container label {key}: {detail}"
                for key, detail in annotation_problems(label_map(labels))]
    if problems:
        raise ValueError("; ".join(problems))
    return labels
