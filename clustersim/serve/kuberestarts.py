"""A container's restarts as the kubelet reports them in its status: ``restartCount`` and
``lastState.terminated`` (the exit of its previous run), for app containers
(:mod:`~clustersim.serve.kuberender`) and init containers
(:mod:`~clustersim.serve.kubeinitstatus`) alike.

Upstream: kubernetes/kubernetes ``pkg/kubelet/kubelet_pods.go``
(``convertToAPIContainerStatuses``: the count is the runtime's for that container, and the
last termination state is its previous run's, with the reason ``Error`` for a non-zero exit
code and ``Completed`` for 0). The counts are the simulated kubelet's
(:meth:`~clustersim.kubernetes.kubelet.Kubelet.restarts`), one per container.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clustersim.kubernetes.kubelet import Restarts

__all__ = ["restart_fields"]


def restart_fields(restarts: Restarts | None, timestamp: Callable[[float], str]
                   ) -> dict[str, Any]:
    """The ``restartCount`` of a container with ``restarts`` (None: it never restarted),
    and its ``lastState`` once it has one."""
    if restarts is None:
        return {"restartCount": 0}
    return {"restartCount": restarts.count, "lastState": {"terminated": {
        "exitCode": restarts.exit_code,
        "reason": "Error" if restarts.exit_code else "Completed",
        "startedAt": timestamp(restarts.started_at),
        "finishedAt": timestamp(restarts.finished_at)}}}
