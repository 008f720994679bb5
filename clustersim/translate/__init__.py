"""From the simulator's example manifests to real ones: translation helpers to Kubernetes.

```python
from clustersim.translate import stack_to_kubernetes, marathon_to_kubernetes
result = stack_to_kubernetes(example_path("swarm"))
result.objects        # Kubernetes objects (dicts) in the order to apply them
result.findings       # what did not translate exactly, and what to do
result.validate()     # problems against the Kubernetes API schemas ([] when valid)
print(result.yaml())  # a file for kubectl apply -f
```
"""

from clustersim.translate.compose import PUBLISHED_SERVICE_TYPE, stack_to_kubernetes
from clustersim.translate.marathon import marathon_to_kubernetes, mesos_dns_name
from clustersim.translate.result import Finding, Translation

__all__ = [
    "PUBLISHED_SERVICE_TYPE",
    "Finding",
    "Translation",
    "marathon_to_kubernetes",
    "mesos_dns_name",
    "stack_to_kubernetes",
]
