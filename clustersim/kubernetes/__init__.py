"""Kubernetes in miniature: the scheduler framework, the workload controllers and Services.

```python
from clustersim.kubernetes import KubernetesCluster, default_nodes, resolve_fenceposts, tolerates
cluster = KubernetesCluster(default_nodes(), scheduler_config=None, seed=0)
cluster.apply("web.yaml")              # manifests: a path, YAML/JSON text or dicts
cluster.run()                          # until quiet; run(until=t) for an absolute time
cluster.pods(); cluster.explain(pod); cluster.events
stream = cluster.request_stream("web", rate=50, stop=cluster.now + 120)
cluster.set_image("deployment", "web", "nginx:1.27")   # a rolling update
cluster.fail_node("worker-1"); cluster.run(until=cluster.now + 120)
stream.buckets(10)                     # served/failed requests per 10 s
cluster.recover_node("worker-1"); cluster.cordon("worker-2"); cluster.drain("worker-2")
cluster.metrics.set_load("deployment", "web", [(0, "400m"), (120, "3")])   # for an HPA
cluster.metrics.history("web")         # each HorizontalPodAutoscaler sync
cluster.remove_scheduling_gate("job-0", "example.com/queue")
memory_pressure(cluster, "worker-1", {"web-abc12": "900Mi"})   # the kubelet evicts
pod_qos_class(pod)                     # Guaranteed, Burstable or BestEffort
```

Resource management (``book/orchestrators/resource-management.md``):
:mod:`~clustersim.kubernetes.qos`, :mod:`~clustersim.kubernetes.eviction`,
:mod:`~clustersim.kubernetes.limitrange`, :mod:`~clustersim.kubernetes.resourcequota`,
:mod:`~clustersim.kubernetes.scheduler.preemption`, :mod:`~clustersim.kubernetes.metrics`,
:mod:`~clustersim.kubernetes.controllers.replica_calculator` and
:mod:`~clustersim.kubernetes.controllers.horizontal`; Kubernetes 2023-2026:
:mod:`~clustersim.kubernetes.schedulinggates` and the sidecars in
:mod:`~clustersim.kubernetes.kubelet`.

Modules: :mod:`~clustersim.kubernetes.cluster` (the cluster, kubectl-style commands, views)
built on :mod:`~clustersim.kubernetes.apiserver` (object store, validation, admission),
:mod:`~clustersim.kubernetes.nodes` (node lifecycle) and
:mod:`~clustersim.kubernetes.controllermanager` (reconcile loop, scheduling pass),
:mod:`~clustersim.kubernetes.controllers` (one module per controller),
:mod:`~clustersim.kubernetes.kubelet`, :mod:`~clustersim.kubernetes.services`,
:mod:`~clustersim.kubernetes.scheduler`, :mod:`~clustersim.kubernetes.objects`.
"""

from clustersim.kubernetes.cluster import (
    AdmissionError,
    KubernetesCluster,
    PodInfo,
    default_nodes,
)
from clustersim.kubernetes.controllers.cronjob import CronSchedule
from clustersim.kubernetes.controllers.rollout import resolve_fenceposts
from clustersim.kubernetes.eviction import memory_pressure
from clustersim.kubernetes.kubelet import Timing
from clustersim.kubernetes.metrics import LoadCurve
from clustersim.kubernetes.nodes import Drained
from clustersim.kubernetes.qos import pod_qos_class
from clustersim.kubernetes.scheduler import Scheduler, Verdict, tolerates
from clustersim.kubernetes.services import RequestStream

__all__ = [
    "AdmissionError",
    "CronSchedule",
    "Drained",
    "KubernetesCluster",
    "LoadCurve",
    "PodInfo",
    "RequestStream",
    "Scheduler",
    "Timing",
    "Verdict",
    "default_nodes",
    "memory_pressure",
    "pod_qos_class",
    "resolve_fenceposts",
    "tolerates",
]
