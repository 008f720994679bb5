"""The container and image IDs a container's status carries, as the kubelet reports what the
container runtime (containerd) says: ``containerID: containerd://<64 hex digits>`` for the
container that runs or ran, in its state and in a ``lastState.terminated`` for the one before,
and ``imageID``, the image's repository digest, with the repository fully qualified as the
runtime names it (``docker.io/library/nginx@sha256:<64 hex digits>``; ``toKubeContainerStatus``
and ``convertToAPIContainerStatuses`` in kubernetes/kubernetes ``pkg/kubelet/kuberuntime`` and
``pkg/kubelet/kubelet_pods.go``). A container that never started has neither.

Simulated: no runtime runs a container nor pulls an image, so both are made up, the same
each time: a container's ID is a SHA-256 of its Pod's uid, its name and which run it is
(its restart count then), and an image's digest is the one its reference names, else a SHA-256
of the reference (fully qualified, ``:latest`` when it has no tag); a real digest is the hash
of the image's manifest in its registry.
"""

from __future__ import annotations

import hashlib
from typing import Any

from clustersim.imageref import normalized_name, parse_reference

__all__ = ["add_runtime_ids", "container_id", "image_id"]


def container_id(uid: str, name: str, run: int) -> str:
    """The simulated ID of run ``run`` (0 the first) of container ``name`` of Pod ``uid``."""
    return "containerd://" + hashlib.sha256(f"{uid}/{name}/{run}".encode()).hexdigest()


def image_id(image: str) -> str:
    """The simulated repository digest of ``image``, as the kubelet reports the image a
    container runs (:mod:`module docstring <clustersim.serve.kuberuntimeids>`); empty for a
    reference that does not parse (no container runs it)."""
    found = parse_reference(image)
    if found is None:
        return ""
    name = normalized_name(found)
    digest = found.digest or "sha256:" + hashlib.sha256(
        f"{name}:{found.tag or 'latest'}".encode()).hexdigest()
    return f"{name}@{digest}"


def add_runtime_ids(entry: dict[str, Any], uid: str) -> None:
    """Write the IDs into ``entry``, a container status of Pod ``uid`` with its ``state``,
    ``restartCount`` and ``lastState``, in place: the running or terminated container's, or
    while it waits to start again the last one's; the previous run's in ``lastState``."""
    count = entry.get("restartCount") or 0
    state = entry.get("state") or {}
    last = (entry.get("lastState") or {}).get("terminated")
    ran = "running" in state or "terminated" in state
    if not ran and last is None:        # waiting for its first start
        return
    name = str(entry.get("name"))
    entry["containerID"] = container_id(uid, name, count)   # a new one counts a restart
    entry["imageID"] = image_id(str(entry.get("image")))
    if "terminated" in state:
        state["terminated"]["containerID"] = entry["containerID"]
    previous = count - 1 if ran else count      # waiting: the last one is the previous run
    if last is not None and previous >= 0:
        last["containerID"] = container_id(uid, name, previous)
