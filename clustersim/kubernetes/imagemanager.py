"""The kubelet's image manager, in miniature: a container's image is on its node before the
container is created, pulled unless the node has it and the pull policy allows using it
(kubernetes/kubernetes ``pkg/kubelet/images/image_manager.go``, ``EnsureImageExists``; the
policy is the one the API server wrote, or :func:`~clustersim.kubernetes.defaults.image_pull_policy`
for a pod stored without it). A pull takes ``Timing.image_pull_seconds``; pulls are
serialized, one container at a time, as the kubelet's default ``serializeImagePulls``.

An image the registry refuses (:meth:`KubernetesCluster.fail_pull`) fails its pull: events
``Failed`` ("Failed to pull image ...", then "Error: ErrImagePull"), STATUS ``ErrImagePull``; at the
pod's next sync (here 1 s later) ``BackOff`` ("Back-off pulling image ...") and STATUS
``ImagePullBackOff``; the pull is retried after a back-off of 10 s that doubles per failure up to
300 s (``imageBackOffPeriod`` and ``MaxImageBackOff`` in ``pkg/kubelet/kubelet.go``), kept per
pod and image as upstream's back-off key. A new image for the container backing off is pulled
at once (:meth:`ImageManager.pull_again`: the update syncs the pod at once, and the new image
has no back-off).

The manager holds what every node's kubelet would: the images present on each node, the
registry's refusals, the failed pulls counted for the back-off, and the pod backing off.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes.defaults import image_pull_policy

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster
    from clustersim.kubernetes.kubelet import Timing

__all__ = ["IMAGE_BACKOFF", "MAX_IMAGE_BACKOFF", "ImageManager"]

IMAGE_BACKOFF = 10.0
"""Seconds before the first retry of a refused pull (``imageBackOffPeriod``)."""
MAX_IMAGE_BACKOFF = 300.0
"""The longest back-off between pulls (``MaxImageBackOff``)."""


class ImageManager:
    """Pulls for the pods of every node (one object stands for every node's kubelet, as
    :class:`~clustersim.kubernetes.kubelet.Kubelet` does)."""

    def __init__(self, cluster: KubernetesCluster, timing: Timing) -> None:
        self.cluster = cluster
        self.timing = timing
        self.images: dict[str, set[str]] = {}
        """The images present on each node."""
        self.pull_errors: dict[str, str] = {}
        """Images the registry refuses, with the runtime's error."""
        self._failures: dict[tuple[str, str], int] = {}
        """Failed pulls per (pod uid, image), for the back-off."""
        self._backoff: dict[str, tuple[str, Callable[[], None]]] = {}
        """Per pod uid backing off a failed pull: the container, and the pull to retry."""

    def ensure(self, pod: dict[str, Any], container: dict[str, Any],
               current: Callable[[], bool], then: Callable[[], None]) -> None:
        """Pull ``container``'s image unless the node has it and the policy allows using
        it, then call ``then``; nothing happens once ``current()`` is false (the pod's
        kubelet moved on: the pod was deleted, restarted or its node failed)."""
        if not current():
            return
        cluster = self.cluster
        images = self.images.setdefault(pod["spec"]["nodeName"], set())
        image = str(container.get("image", ""))
        policy = container.get("imagePullPolicy") or image_pull_policy(image)
        if policy != "Always" and image in images:
            cluster.record(pod, "Pulled", f'Container image "{image}" already present on machine')
            then()
            return
        cluster.record(pod, "Pulling", f'Pulling image "{image}"')
        seconds = self.timing.image_pull_seconds
        if image in self.pull_errors:
            failed = functools.partial(self._failed, pod, image, container, current, then)
            cluster.after(seconds, failed, background=True)
            return

        def pulled() -> None:
            if current():
                images.add(image)
                cluster.record(pod, "Pulled", f'Successfully pulled image "{image}" in '
                               f"{seconds:g}s ({seconds:g}s including waiting)")
                then()

        cluster.after(seconds, pulled)

    def _failed(self, pod: dict[str, Any], image: str, container: dict[str, Any],
                current: Callable[[], bool], then: Callable[[], None]) -> None:
        """The registry refused ``image``: ErrImagePull now, ImagePullBackOff at the next
        sync, and another pull once the back-off has passed (module docstring)."""
        if not current():
            return
        cluster, status = self.cluster, pod["status"]
        uid = pod["metadata"]["uid"]
        failures = self._failures[uid, image] = self._failures.get((uid, image), 0) + 1
        cluster.record(pod, "Failed", f'Failed to pull image "{image}": '
                       f"{self.pull_errors[image]}", "Warning")
        cluster.record(pod, "Failed", "Error: ErrImagePull", "Warning")
        status["reason"] = "ErrImagePull"
        cluster.changed()
        backoff = min(IMAGE_BACKOFF * 2 ** (failures - 1), MAX_IMAGE_BACKOFF)

        def retry() -> None:
            self.ensure(pod, container, current, then)

        def backing_off() -> None:
            if current() and self._backoff.get(uid, (None, None))[1] is retry:
                cluster.record(pod, "BackOff", f'Back-off pulling image "{image}"')
                cluster.record(pod, "Failed", "Error: ImagePullBackOff", "Warning")
                status["reason"] = "ImagePullBackOff"
                cluster.changed()

        def backed_off() -> None:
            if self._backoff.get(uid, (None, None))[1] is retry:
                del self._backoff[uid]
                retry()

        self._backoff[uid] = (str(container.get("name")), retry)
        cluster.after(min(1.0, backoff), backing_off, background=True)
        cluster.after(backoff, backed_off, background=True)

    def pull_again(self, pod: Any, names: Collection[str]) -> None:
        """The containers ``names`` of ``pod`` have a new image: if the pod is backing off a
        failed pull of one of them, pull (its new image) at once instead of after the old
        image's back-off."""
        uid = pod["metadata"]["uid"]
        waiting = self._backoff.get(uid)
        if waiting is not None and waiting[0] in names:
            del self._backoff[uid]
            waiting[1]()

    def forget(self, pod: Any) -> None:
        """The pod object is gone: no pull of it is backing off any more."""
        self._backoff.pop(pod["metadata"]["uid"], None)
