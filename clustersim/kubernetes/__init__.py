"""Kubernetes in miniature: the scheduler framework, the workload controllers and Services.

```python
from clustersim.kubernetes import KubernetesCluster, resolve_fenceposts, tolerates
cluster = KubernetesCluster(nodes, scheduler_config=None, seed=0)
cluster.apply(source)          # manifests: a path, YAML/JSON text or dicts
cluster.run(until=None)        # advance simulated time
cluster.pods(); cluster.explain(pod); cluster.events
cluster.fail_node(name); cluster.recover_node(name); cluster.cordon(name); cluster.drain(name)
```
"""

from clustersim.kubernetes.cluster import (
    AdmissionError,
    KubernetesCluster,
    PodInfo,
    default_nodes,
)
from clustersim.kubernetes.controllers.cronjob import CronSchedule
from clustersim.kubernetes.controllers.deployment import resolve_fenceposts
from clustersim.kubernetes.kubelet import Timing
from clustersim.kubernetes.scheduler import Scheduler, Verdict, tolerates
from clustersim.kubernetes.services import RequestStream

__all__ = [
    "AdmissionError",
    "CronSchedule",
    "KubernetesCluster",
    "PodInfo",
    "RequestStream",
    "Scheduler",
    "Timing",
    "Verdict",
    "default_nodes",
    "resolve_fenceposts",
    "tolerates",
]
