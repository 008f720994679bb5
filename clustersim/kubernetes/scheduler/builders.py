"""Small builders for Node and Pod manifests, for labs, exercises and tests.

In the spirit of kube-scheduler's test wrappers (kubernetes/kubernetes
``pkg/scheduler/testing/wrappers.go``, ``MakePod``/``MakeNode``): enough to write a scheduling
case in one line without spelling out a whole manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.kubernetes.nodeinfo import HOSTNAME_LABEL, NodeInfo

__all__ = ["make_node", "make_pod"]


def make_node(
    name: str,
    allocatable: Mapping[str, str | int] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    taints: Iterable[Mapping[str, Any]] = (),
    unschedulable: bool = False,
    pods: Iterable[dict[str, Any]] = (),
    hostname_label: bool = True,
) -> NodeInfo:
    """A NodeInfo from allocatable quantities (e.g. ``{"cpu": "4", "memory": "8Gi"}``),
    labels (``kubernetes.io/hostname`` added unless ``hostname_label=False``), taints and
    pods already bound to it."""
    hostname = {HOSTNAME_LABEL: name} if hostname_label else {}
    info = NodeInfo(
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": name, "labels": {**hostname, **(labels or {})}},
            "spec": {"taints": [dict(t) for t in taints], "unschedulable": unschedulable},
            "status": {"allocatable": {k: str(v) for k, v in (allocatable or {}).items()}},
        }
    )
    for pod in pods:
        info.add_pod(pod)
    return info


def make_pod(
    name: str = "pod",
    *containers: Mapping[str, str | int],
    namespace: str = "default",
    labels: Mapping[str, str] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    """A Pod manifest with one container per requests mapping (``{}``: a container that
    requests nothing, which the scorers count as 100m and 200Mi; no mapping at all: no
    containers, as upstream's ``MakePod().Obj()``); any other keyword becomes a ``spec``
    field (``nodeSelector``, ``tolerations``, ``affinity``, ``topologySpreadConstraints``,
    ``nodeName`` ...)."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels or {})},
        "spec": {
            "containers": [
                {
                    "name": f"c{i}",
                    "image": "registry.k8s.io/pause:3.10",
                    **({"resources": {"requests": {k: str(v) for k, v in c.items()}}} if c else {}),
                }
                for i, c in enumerate(containers)
            ],
            **spec,
        },
    }
