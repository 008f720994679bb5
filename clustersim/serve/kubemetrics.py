"""The resource metrics API, ``metrics.k8s.io/v1beta1``, as metrics-server serves it through
its APIService: ``NodeMetrics`` and ``PodMetrics``, read by ``kubectl top`` (and by the
HorizontalPodAutoscaler, which the simulator feeds from the same figures:
:class:`~clustersim.kubernetes.metrics.MetricsServer`).

Shapes as in ``k8s.io/metrics/pkg/apis/metrics/v1beta1/types.go``, filled as
kubernetes-sigs/metrics-server fills them (``pkg/api/node.go``, ``pkg/api/pod.go``,
``pkg/storage/types.go``): ``timestamp`` is when the last scrape was taken, ``window`` the time
between the two scrapes the CPU rate is worked out over (metrics-server's
``--metric-resolution``, 15 s by default, so ``15s``), CPU a decimal quantity worked out from
nanocores and memory a binary one from bytes, both in Kubernetes' canonical form (``250m``,
``128Mi``). A Pod that is not running and ready has no metrics and is left out of a list; a
node's figure is only there while its kubelet is reachable.

Simplified (what metrics-server reports instead): the CPU figures are the simulator's
instantaneous use at the time asked (:meth:`MetricsServer.pod_cpu`), not a rate over the last
window; memory use is not simulated, so each container's memory is its memory *request* (0
without one), where metrics-server reports the working set the kubelet measured; a node's use
is the sum of its Pods', where metrics-server reports the node's whole cgroup tree, which also
counts the kubelet, the container runtime and the operating system.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from clustersim.goformat import duration_string
from clustersim.quantity import cpu_quantity, memory_quantity

if TYPE_CHECKING:
    from clustersim.kubernetes import KubernetesCluster
    from clustersim.kubernetes.metrics import ContainerUsage
    from clustersim.serve.kuberender import Renderer

__all__ = ["GROUP", "RESOLUTION", "cpu_quantity", "memory_quantity", "node_metrics",
           "pod_metrics"]

GROUP = "metrics.k8s.io"
RESOLUTION = 15.0
"""metrics-server's default ``--metric-resolution``: how often it scrapes the kubelets, and so
the ``window`` of each figure."""
_UNREACHABLE = ("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready")


def _window() -> str:
    """``window`` as a ``metav1.Duration`` (Go's ``Duration.String()``): ``15s``."""
    return duration_string(RESOLUTION)


def _usage(containers: Iterable[ContainerUsage]) -> dict[str, str]:
    items = list(containers)
    return {"cpu": cpu_quantity(sum(c.cpu for c in items)),
            "memory": memory_quantity(sum(c.memory for c in items))}


def pod_metrics(cluster: KubernetesCluster, renderer: Renderer,
                namespace: str | None) -> list[dict[str, Any]]:
    """A ``PodMetrics`` for each Pod of ``namespace`` (every namespace for None) that has
    metrics, in the order of the Pods' storage keys (namespace, then name)."""
    out = []
    for pod, containers in _pods(cluster, namespace):
        meta = pod["metadata"]
        out.append({"kind": "PodMetrics", "apiVersion": f"{GROUP}/v1beta1",
                    "metadata": _meta(renderer, cluster, meta["name"], meta.get("labels"),
                                      meta.get("namespace", "default")),
                    "timestamp": renderer.timestamp(cluster.now), "window": _window(),
                    "containers": [{"name": c.name, "usage": _usage([c])}
                                   for c in containers]})
    return out


def node_metrics(cluster: KubernetesCluster, renderer: Renderer) -> list[dict[str, Any]]:
    """A ``NodeMetrics`` for each node whose kubelet is reachable, by name: the sum of its
    Pods' use."""
    per_node: dict[str, list[ContainerUsage]] = {}
    for pod, containers in _pods(cluster, None):
        per_node.setdefault(pod["spec"].get("nodeName", ""), []).extend(containers)
    out = []
    for name in sorted(_scraped(cluster)):
        out.append({"kind": "NodeMetrics", "apiVersion": f"{GROUP}/v1beta1",
                    "metadata": _meta(renderer, cluster, name, cluster.node(name).labels),
                    "timestamp": renderer.timestamp(cluster.now), "window": _window(),
                    "usage": _usage(per_node.get(name, ()))})
    return out


def _scraped(cluster: KubernetesCluster) -> set[str]:
    """The nodes whose kubelet metrics-server can reach (not tainted unreachable or not
    ready by the node lifecycle controller)."""
    return {name for name in cluster.node_names()
            if not any(t.get("key") in _UNREACHABLE for t in cluster.node(name).taints)}


def _pods(cluster: KubernetesCluster, namespace: str | None
          ) -> list[tuple[dict[str, Any], list[ContainerUsage]]]:
    """Each Pod with metrics (on a node whose kubelet is reached), with its containers'."""
    pods = sorted(cluster.objects("Pod", namespace),
                  key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"]))
    scraped = _scraped(cluster)
    out = []
    for pod in pods:
        if pod["spec"].get("nodeName") not in scraped:
            continue
        containers = cluster.metrics.containers(pod)
        if containers is not None:
            out.append((pod, containers))
    return out


def _meta(renderer: Renderer, cluster: KubernetesCluster, name: str,
          labels: dict[str, str] | None, namespace: str | None = None) -> dict[str, Any]:
    """metrics-server's metadata: the name, the Pod's or node's labels, and the time of the
    answer as ``creationTimestamp`` (the metrics are made when asked for)."""
    meta: dict[str, Any] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta["creationTimestamp"] = renderer.timestamp(cluster.now)
    if labels:
        meta["labels"] = dict(labels)
    return meta
