"""Two rules of a Pod's life that the API server, the kubelet, the scheduler's node
accounting and the served status all read, written once.

- :func:`is_sidecar`: an init container with ``restartPolicy: Always`` keeps running beside
  the app containers (``IsRestartableInitContainer``, kubernetes/kubernetes
  ``pkg/api/v1/pod/util.go``).
- :func:`termination_grace_period`: how long a Pod being deleted is given, the spec's
  ``terminationGracePeriodSeconds``, 30 when unset (``SetDefaults_PodSpec``), and a negative
  value treated as 1 on the delete path (``BeforeDelete``, k8s.io/apiserver
  ``pkg/registry/rest/delete.go``; the warning of ``pkg/api/pod/warnings.go``).
  :func:`kill_grace_period` is what the kubelet gives a container it kills, at least
  ``minimumGracePeriodInSeconds`` (2 s: ``killContainer`` in ``pkg/kubelet/kuberuntime/
  kuberuntime_container.go``, "a minimal shutdown window").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.defaults import POD_SPEC_DEFAULTS

__all__ = ["MINIMUM_GRACE_PERIOD_SECONDS", "is_sidecar", "kill_grace_period",
           "termination_grace_period"]

MINIMUM_GRACE_PERIOD_SECONDS = 2.0
"""The kubelet's ``minimumGracePeriodInSeconds``."""


def is_sidecar(container: Mapping[str, Any]) -> bool:
    """An init container with ``restartPolicy: Always`` (a native sidecar)."""
    return container.get("restartPolicy") == "Always"


def termination_grace_period(pod: Mapping[str, Any]) -> float:
    """The seconds a deleted ``pod`` is given before its containers are killed (see the
    module docstring)."""
    grace = (pod.get("spec") or {}).get("terminationGracePeriodSeconds")
    if grace is None:
        return float(POD_SPEC_DEFAULTS["terminationGracePeriodSeconds"])
    return 1.0 if grace < 0 else float(grace)


def kill_grace_period(pod: Mapping[str, Any]) -> float:
    """The seconds the kubelet waits for a container it stops (an image change restarts
    it) before it kills it: :func:`termination_grace_period`, at least 2."""
    return max(termination_grace_period(pod), MINIMUM_GRACE_PERIOD_SECONDS)
