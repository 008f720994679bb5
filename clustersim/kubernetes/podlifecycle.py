"""The rules of a Pod's life that the API server, the kubelet, the scheduler's node
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
  :func:`deletion_grace_period` is the period a DELETE gives, and :func:`deleted_at_once`
  whether it removes the Pod without a graceful deletion.
- :func:`readiness_gates` and :func:`readiness_gates_message`: why the Pod's readiness gates
  keep it from being Ready (``GeneratePodReadyCondition`` in
  ``pkg/kubelet/status/generate.go``; docs https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-readiness-gate):
  each ``spec.readinessGates[].conditionType`` names a condition in ``status.conditions``
  that someone else (a load-balancer controller, a learner with the status subresource)
  sets; the Pod is Ready only while each one is ``True``. The kubelet writes only the
  conditions of :data:`KUBELET_CONDITIONS` and keeps the others as stored
  (``mergePodStatus`` in ``pkg/kubelet/status/status_manager.go``).
- :func:`status_order`: the order of the kubelet's ``containerStatuses``, by container
  name (``convertToAPIContainerStatuses`` in ``pkg/kubelet/kubelet_pods.go`` sorts them with
  ``kubetypes.SortedContainerStatuses``; init containers' keep the spec's order,
  ``SortStatusesOfInitContainers``), which ``printPod`` reads for STATUS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.goformat import go_quote
from clustersim.kubernetes.defaults import POD_SPEC_DEFAULTS

__all__ = ["KUBELET_CONDITIONS", "MINIMUM_GRACE_PERIOD_SECONDS", "READINESS_GATES_NOT_READY",
           "deleted_at_once", "deletion_grace_period", "is_sidecar", "kill_grace_period",
           "readiness_gates", "readiness_gates_message", "shortened_deletion", "status_order",
           "termination_grace_period"]

MINIMUM_GRACE_PERIOD_SECONDS = 2.0
"""The kubelet's ``minimumGracePeriodInSeconds``."""
KUBELET_CONDITIONS = frozenset({"PodScheduled", "Ready", "Initialized", "ContainersReady",
                                "PodReadyToStartContainers", "PodResizePending",
                                "PodResizeInProgress"})
"""The Pod conditions the kubelet owns (``PodConditionsByKubelet`` and
``PodConditionByKubelet`` in ``pkg/kubelet/types/pod_status.go``)."""
READINESS_GATES_NOT_READY = "ReadinessGatesNotReady"
"""The Ready condition's reason while a readiness gate is not ``True``."""


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


def deletion_grace_period(pod: Mapping[str, Any], given: int | None) -> int:
    """The grace period a DELETE with ``gracePeriodSeconds`` ``given`` (None when left out)
    gives ``pod``: the spec's (:func:`termination_grace_period`) when left out, 0 for 0 (a
    forced deletion), at least 1 otherwise (``BeforeDelete``)."""
    if given is None:
        return int(termination_grace_period(pod))
    return max(given, 1) if given else 0


def shortened_deletion(pod: Mapping[str, Any], given: int | None, now: float
                       ) -> tuple[int, bool] | None:
    """What another DELETE with ``gracePeriodSeconds`` ``given`` makes of ``pod``, already
    terminating (its ``deletionTimestamp`` stored as the simulated time its deletion was
    first asked): None when it changes nothing (none given, or one not shorter than its
    ``deletionGracePeriodSeconds``: the period is only ever shortened), else the new period
    and whether the deletion's end moves to ``now``. Upstream moves ``deletionTimestamp``
    back by the old period and on by the new one, to ``now`` where that has passed, the
    period then 1 s unless it is 0 (``BeforeDelete`` in k8s.io/apiserver
    ``pkg/registry/rest/delete.go``); a negative period is read as 1 s first, as on a first
    DELETE (:func:`deletion_grace_period`)."""
    if given is None:
        return None
    grace = deletion_grace_period(pod, given)
    meta = pod["metadata"]
    if grace >= meta["deletionGracePeriodSeconds"]:
        return None
    passed = meta["deletionTimestamp"] + grace < now
    return (1 if passed and grace else grace), passed


def deleted_at_once(pod: Mapping[str, Any], grace: int) -> bool:
    """Whether a DELETE giving ``grace`` removes ``pod`` at once: a grace period of 0, or a
    Pod that is not scheduled or has finished (``CheckGracefulDelete`` in
    kubernetes/kubernetes ``pkg/registry/core/pod/strategy.go`` sets their period to 0)."""
    return grace == 0 or not (pod.get("spec") or {}).get("nodeName") or \
        (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def kill_grace_period(pod: Mapping[str, Any]) -> float:
    """The seconds the kubelet waits for a container it stops (an image change restarts
    it) before it kills it: :func:`termination_grace_period`, at least 2."""
    return max(termination_grace_period(pod), MINIMUM_GRACE_PERIOD_SECONDS)


def readiness_gates(spec: Mapping[str, Any], conditions: Iterable[Mapping[str, Any]]
                    ) -> list[tuple[str, str | None]]:
    """Each of ``spec``'s readiness gates, in the spec's order: its condition type and the
    status of the first condition of that type among ``conditions`` (the Pod's
    ``status.conditions``; ``GetPodConditionFromList``), None when there is none."""
    status: dict[Any, Any] = {}
    for condition in conditions:
        status.setdefault(condition.get("type"), condition.get("status"))
    return [(str(gate.get("conditionType")), status.get(gate.get("conditionType")))
            for gate in spec.get("readinessGates") or []]


def readiness_gates_message(spec: Mapping[str, Any],
                            conditions: Iterable[Mapping[str, Any]]) -> str:
    """Why ``spec``'s readiness gates are not all ``True`` among ``conditions``, one part per
    gate joined with ", ", as ``GeneratePodReadyCondition`` words them; empty when they all
    are."""
    parts = []
    for kind, status in readiness_gates(spec, conditions):
        if status is None:
            parts.append(f"corresponding condition of pod readiness gate {go_quote(kind)} "
                         "does not exist.")
        elif status != "True":
            parts.append(f"the status of pod readiness gate {go_quote(kind)} is not "
                         f'"True", but {status}')
    return ", ".join(parts)


def status_order(pod: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The pod's app containers in the order of its ``containerStatuses``: by name."""
    return sorted(pod["spec"].get("containers") or (), key=lambda c: str(c.get("name")))
