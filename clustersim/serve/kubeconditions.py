"""A scheduled Pod's conditions as its kubelet writes them, from the container statuses it
reports.

Upstream: kubernetes/kubernetes ``pkg/kubelet/kubelet_pods.go`` (``generateAPIPodStatus``
lists PodReadyToStartContainers, Initialized, Ready and ContainersReady, the last two made
from the init and app container statuses together, and keeps the conditions others own, such
as PodScheduled) and ``pkg/kubelet/status/generate.go``:

- ``GenerateContainersReadyCondition``: ``False`` with reason ``ContainersNotReady`` and the
  message ``containers with unknown status: [a], containers with unready status: [b c]``
  (either part alone when the other is empty) naming, in the spec's order, the sidecars (init
  containers with ``restartPolicy: Always``) and then the app containers that have no status
  or are not ready; ``False`` with reason ``PodCompleted`` or ``PodFailed`` and no message once
  the Pod has finished; else ``True``.
- ``GeneratePodReadyCondition``: the same status, reason and message while ContainersReady is
  not ``True``; then ``False`` with reason ``ReadinessGatesNotReady`` while a condition named
  by ``spec.readinessGates`` is missing or not ``True``
  (:func:`~clustersim.kubernetes.podlifecycle.readiness_gates_message`), else ``True``.
  ContainersReady does not look at the gates.
- ``GeneratePodInitializedCondition``: ``True`` with reason ``PodCompleted`` for a Pod that
  succeeded, ``True`` once an app container has started (a sidecar restarting later does not
  undo it), else ``False`` with ``ContainersNotInitialized`` while init containers are
  incomplete (:mod:`~clustersim.serve.kubeinitstatus`).
- ``GeneratePodReadyToStartContainersCondition``: ``True`` while the Pod's sandbox exists,
  made once its volumes are mounted and gone when it has finished.

Each generated condition carries the Pod's ``status.observedGeneration``, the
``metadata.generation`` of the kubelet's last sync (``generateAPIPodStatus`` writes every
condition it owns with the generation it synced, KEP-5067:
``CalculatePodConditionObservedGeneration`` in ``pkg/api/v1/pod/util.go``); none before the
kubelet's first sync.

A condition's ``lastTransitionTime`` is when its status last changed (``updateLastTransitionTime``
in ``pkg/kubelet/status/status_manager.go``), never when only its reason or message did; the
first status the kubelet writes, at ``status.startTime``, dates the ones that have not changed
since. A ``True`` ContainersReady is dated when the last of its containers became ready,
whatever Ready does with the readiness gates.

Each container is ready on its own (its own probes, start and restarts: the simulated
kubelet's :meth:`~clustersim.kubernetes.kubelet.Kubelet.container_ready`), so the messages name
only the containers not ready yet. The conditions others own (a readiness gate's, set through
the status subresource) are kept as they were stored.

An Initialized condition kept ``True`` while a sidecar restarts keeps its date
(:meth:`~clustersim.kubernetes.kubelet.Kubelet.initialized_since`).

Simplified: a Pod whose node's kubelet is silent shows the Ready condition the node lifecycle
controller left, and the others as they would be generated now (upstream, the kubelet's last
report, with its dates). A ``False`` ContainersReady is dated as if it had followed Ready: at
Ready's ``lastTransitionTime`` when Ready is ``False`` too, else at ``status.startTime``, where
upstream it keeps the date of its own last change (a container stopping while a readiness gate
already held Ready ``False`` dates it when the gate did).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from clustersim.kubernetes.podlifecycle import (
    READINESS_GATES_NOT_READY,
    is_sidecar,
    readiness_gates_message,
)

__all__ = ["containers_ready", "kubelet_conditions"]

_FINISHED = {"Succeeded": "PodCompleted", "Failed": "PodFailed"}
"""The reason Ready and ContainersReady give once the Pod has finished."""


def containers_ready(spec: Mapping[str, Any], statuses: Sequence[Mapping[str, Any]],
                     phase: str) -> dict[str, str]:
    """The ContainersReady condition's ``status``, ``reason`` and ``message`` (the last two
    when it has them), from the statuses of the Pod's init and app containers
    (``GenerateContainersReadyCondition``)."""
    shown = {s.get("name"): s for s in statuses}
    unknown, unready = [], []
    for container in _counted(spec):
        status = shown.get(container.get("name"))
        if status is None:
            unknown.append(str(container.get("name")))
        elif not status.get("ready"):
            unready.append(str(container.get("name")))
    if phase == "Failed" or (phase == "Succeeded" and not unknown):
        return {"status": "False", "reason": _FINISHED[phase]}
    parts = [f"containers with {word} status: [{' '.join(names)}]"
             for word, names in (("unknown", unknown), ("unready", unready)) if names]
    if parts:
        return {"status": "False", "reason": "ContainersNotReady", "message": ", ".join(parts)}
    return {"status": "True"}


def kubelet_conditions(pod: Mapping[str, Any], status: Mapping[str, Any], *,
                       incomplete: Sequence[str], initialized_at: str | None,
                       sandbox_since: str | None, reporting: bool,
                       ready_since: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """The conditions of a scheduled Pod in the kubelet's order, then PodScheduled and the
    conditions others set. ``status``: the Pod's status as the API returns it, its container
    statuses made and its times written; ``incomplete``: the init containers that keep it from
    being initialized; ``initialized_at``: when it last became initialized (its start
    without init containers); ``sandbox_since``: when its sandbox was made (None without one);
    ``reporting``: whether its node's kubelet reports (else Ready is the stored one);
    ``ready_since``: when a container became ready, None while it is not, which dates a
    ``True`` ContainersReady at the last of its containers' (see the module docstring)."""
    stored = {c.get("type"): c for c in status.get("conditions") or []}
    scheduled = stored.get("PodScheduled") or {"type": "PodScheduled", "status": "True"}
    first = status.get("startTime") or scheduled.get("lastTransitionTime")
    phase = str(status.get("phase"))
    sandbox = {"type": "PodReadyToStartContainers",
               "status": "True" if sandbox_since else "False",
               "lastTransitionTime": sandbox_since or status.get("finishedAt") or first}
    app_started = any({"running", "terminated"} & set(s.get("state") or {})
                      for s in status.get("containerStatuses") or [])
    initialized: dict[str, Any] = {"type": "Initialized", "status": "True",
                                   "lastTransitionTime": initialized_at or first}
    if phase == "Succeeded":
        initialized["reason"] = "PodCompleted"
    elif incomplete and not app_started:
        initialized.update(status="False", reason="ContainersNotInitialized",
                           message=f"containers with incomplete status: [{' '.join(incomplete)}]")
    statuses = [*(status.get("initContainerStatuses") or []),
                *(status.get("containerStatuses") or [])]
    made = containers_ready(pod["spec"], statuses, phase)
    gates = readiness_gates_message(pod["spec"], status.get("conditions") or []) \
        if made["status"] == "True" else ""
    last = stored.get("Ready") or {}
    silent = bool(last) and not reporting
    ready = dict(last) if silent else {"type": "Ready", **_dated(
        {"status": "False", "reason": READINESS_GATES_NOT_READY, "message": gates}
        if gates else made, last, first)}
    containers = {"type": "ContainersReady", **_dated(made, last, first)}
    if made["status"] == "True":
        containers["lastTransitionTime"] = _all_ready(pod["spec"], ready_since) or first
    observed = status.get("observedGeneration")
    if observed:
        for condition in (sandbox, initialized, containers, *([] if silent else [ready]),
                          *([] if "PodScheduled" in stored else [scheduled])):
            condition["observedGeneration"] = observed
    return [sandbox, initialized, ready, containers, scheduled,
            *(c for t, c in stored.items() if t not in ("PodScheduled", "Ready"))]


def _counted(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The containers whose readiness makes the Pod's, in the spec's order: its sidecars (init
    containers with ``restartPolicy: Always``), then its app containers."""
    return [*(c for c in spec.get("initContainers") or [] if is_sidecar(c)),
            *(spec.get("containers") or [])]


def _all_ready(spec: Mapping[str, Any], ready_since: Callable[[str], str | None]) -> str | None:
    """When the last of the counted containers became ready (a ``True`` ContainersReady's
    date, its status having changed then), None when one is not ready."""
    since = [ready_since(str(c.get("name"))) for c in _counted(spec)]
    return None if not since or None in since else max(s for s in since if s is not None)


def _dated(made: Mapping[str, str], last: Mapping[str, Any], first: Any) -> dict[str, Any]:
    """A generated condition with its ``lastTransitionTime``: the stored Ready condition's
    when their statuses agree, else ``first`` (the module docstring's simplification)."""
    since = last.get("lastTransitionTime") if last.get("status") == made["status"] else None
    return {"status": made["status"], "lastTransitionTime": since or first,
            **{k: v for k, v in made.items() if k != "status"}}
