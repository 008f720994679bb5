"""A Pod's init containers as the kubelet reports them: ``status.initContainerStatuses``, and
which of them keep the ``Initialized`` condition ``False`` (the condition itself is made in
:mod:`~clustersim.serve.kubeconditions`).

Upstream: kubernetes/kubernetes ``pkg/kubelet/kubelet_pods.go`` (``convertToAPIContainerStatuses``:
every container of a Pod that has init containers waits with reason ``PodInitializing`` until it
runs; a regular init container that exited 0 is ``terminated`` with reason ``Completed``) and
``pkg/kubelet/status/generate.go`` (``GeneratePodInitializedCondition``: ``False`` with reason
``ContainersNotInitialized`` and the message ``containers with incomplete status: [a b]``
while a regular init container has not exited successfully or a sidecar, an init container
with ``restartPolicy: Always``, has not started; a sidecar has ``started: true`` once its
startup probe has passed). The times come from the simulated kubelet
(:meth:`~clustersim.kubernetes.kubelet.Kubelet.init_runs`).

A sidecar killed for a new image or exited (a broken image) counts a restart, with its exit as
its last state (:mod:`~clustersim.serve.kuberestarts`); one waiting out its crash-loop back-off
is ``waiting`` with reason ``CrashLoopBackOff`` and the kubelet's message, not started and not
ready (``convertToAPIContainerStatuses`` takes the reason and message from the kubelet's reason
cache, where ``doBackOff``'s error put them, for init containers as for app containers).
Simplified: regular init containers never fail here, and the
sidecars of a Pod that finished are shown terminated with exit code 0 (a real sidecar's exit
code is whatever it returned on SIGTERM).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from clustersim.kubernetes.podlifecycle import is_sidecar
from clustersim.serve.kuberuntimeids import add_runtime_ids

__all__ = ["POD_INITIALIZING", "incomplete_inits", "init_container_statuses"]

POD_INITIALIZING = "PodInitializing"


def init_container_statuses(pod: Mapping[str, Any], runs: Mapping[str, tuple[float, float]],
                            now: float, waiting_reason: str | None,
                            timestamp: Callable[[float], str],
                            ready: Callable[[str], bool],
                            images: Mapping[str, str],
                            restarts: Callable[[str], dict[str, Any]],
                            backing_off: Callable[[str], str | None] = lambda name: None
                            ) -> list[dict[str, Any]]:
    """One status per init container, in the spec's order. ``runs``: when each started and
    exited or passed its startup probe; ``waiting_reason``: the reason the next one to start
    waits for (an image pull that failed), else ``PodInitializing``; ``ready``: whether the
    kubelet's prober finds the running container of that name ready
    (:meth:`~clustersim.kubernetes.kubelet.Kubelet.container_ready`; only a sidecar's
    readiness is reported); ``images``: the image each one that started ran (a completed
    init container whose image was changed since shows the one it ran, as the runtime
    reports it); ``restarts``: the ``restartCount`` and ``lastState`` of the one named
    (:func:`~clustersim.serve.kuberestarts.restart_fields`); ``backing_off``: the
    ``CrashLoopBackOff`` message of the one named while it waits out its back-off, else
    None."""
    finished = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
    statuses = []
    waiting_told = False
    for container in pod["spec"].get("initContainers") or []:
        name = str(container.get("name"))
        last = restarts(name)
        entry: dict[str, Any] = {"name": name,
                                 "image": images.get(name, container.get("image")),
                                 "imageID": "", "ready": False,
                                 "restartCount": last.pop("restartCount"), "started": False}
        run = runs.get(name)
        crash_loop = backing_off(name) if not finished else None
        if crash_loop is not None:
            entry["state"] = {"waiting": {"reason": "CrashLoopBackOff", "message": crash_loop}}
        elif run is None:
            reason = POD_INITIALIZING if waiting_told else (waiting_reason or POD_INITIALIZING)
            waiting_told = True
            entry["state"] = {"waiting": {"reason": reason}}
        elif (is_sidecar(container) and not finished) or (not is_sidecar(container)
                                                          and run[1] > now):
            entry["state"] = {"running": {"startedAt": timestamp(run[0])}}
            entry["started"] = run[1] <= now or not is_sidecar(container)
            entry["ready"] = is_sidecar(container) and entry["started"] and ready(name)
        else:
            end = run[1] if not is_sidecar(container) else \
                (pod.get("status") or {}).get("finishedAt", now)
            entry["state"] = {"terminated": {"exitCode": 0, "reason": "Completed",
                                             "startedAt": timestamp(run[0]),
                                             "finishedAt": timestamp(end)}}
        entry.update(last)
        add_runtime_ids(entry, pod["metadata"].get("uid", ""))
        statuses.append(entry)
    return statuses


def incomplete_inits(pod: Mapping[str, Any], statuses: list[dict[str, Any]]) -> list[str]:
    """The init containers that keep the Pod from being Initialized
    (``GeneratePodInitializedCondition``)."""
    sidecars = {c.get("name") for c in pod["spec"].get("initContainers") or [] if is_sidecar(c)}
    incomplete = []
    for status in statuses:
        state = status.get("state") or {}
        if status["name"] in sidecars and "terminated" not in state:
            done = "running" in state and status.get("started")
        else:
            done = (state.get("terminated") or {}).get("exitCode") == 0 and \
                "terminated" in state
        if not done:
            incomplete.append(str(status["name"]))
    return incomplete
