"""The kubelet's image manager, in miniature: a container's image is on its node before the
container is created, pulled unless the node has it and the pull policy allows using it
(kubernetes/kubernetes ``pkg/kubelet/images/image_manager.go``, ``EnsureImageExists``; the
policy is the one the API server wrote, or :func:`~clustersim.kubernetes.defaults.image_pull_policy`
for a pod stored without it). A pull takes ``Timing.image_pull_seconds``; pulls are
serialized, one container at a time, as the kubelet's default ``serializeImagePulls``.

The events are the kubelet's of Kubernetes 1.37: ``Pulled`` "Successfully pulled image "X" in
5s (5s including waiting). Image size: N bytes." (the pull's time and the time since the
kubelet asked for it, both cut to milliseconds and written as Go writes a duration,
:func:`~clustersim.goformat.duration_string`; the size the runtime reports), or, for an image
the node has, "Container image "X" already present on machine and can be accessed by the pod"
(the words of the ``KubeletEnsureSecretPulledImages`` check, on by default since 1.35; without
it the message ends at "machine"). Simplified: a pull waits for no other pod's, so both times
are the same, and an image's size is made up from its name (:func:`image_size`), the same on
every node and in every run; a real one is what its registry serves (the runtime's
``ImageStatus``), so an image pulled again after a new push may differ.

An image the registry refuses (:meth:`KubernetesCluster.fail_pull`) fails its pull: events
``Failed`` ("Failed to pull image ...", then "Error: ErrImagePull"), STATUS ``ErrImagePull``; at the
pod's next sync (here 1 s later) ``BackOff`` ("Back-off pulling image ...") and STATUS
``ImagePullBackOff``; the pull is retried after a back-off of 10 s that doubles per failure up to
300 s (``imageBackOffPeriod`` and ``MaxImageBackOff`` in ``pkg/kubelet/kubelet.go``), kept per
pod and image as upstream's back-off key. A new image for the container backing off is pulled
at once (:meth:`ImageManager.pull_again`: the update syncs the pod at once, and the new image
has no back-off); another sync of the pod meanwhile (a sibling's new image) pulls nothing
before the back-off has passed (``EnsureImageExists`` checks ``IsInBackOffSince``: events
``BackOff`` and "Error: ImagePullBackOff") and leaves the retry at its time. A refusal
lifted during a pull serves the next one. Each container's pull fails and backs off on its
own, and the kubelet starts the pod's other app containers meanwhile (``SyncPod`` starts each
of them on its own; an init container's failure holds up those after it), each waiting with
its own reason.

An image the kubelet cannot read as a reference (the API server stores any non-empty one
in a pod template) is never pulled: ``EnsureImageExists`` fails at ``applyDefaultImageTag``
with ``InspectFailed`` ("Failed to apply default image tag "X": couldn't parse image name
"X": invalid reference format", distribution/reference's ``ParseNormalizedNamed`` error,
:func:`~clustersim.imageref.normalized_problem`) and ``startContainer`` adds ``Failed``
("Error: InvalidImageName"); the container waits with reason ``InvalidImageName`` and that
message, and the pod worker syncs it again after its back-off of 10 s
(``backOffPeriod`` in ``pkg/kubelet/pod_workers.go``; upstream adds up to half again of
jitter), or at once when its image changes.

Every one of these events is about the container whose image it pulls: the kubelet records it
against its reference to that container (``EnsureImageExists`` takes it from
``startContainer``), whose field path (``spec.containers{web}``) ``kubectl describe`` prints
before the message (:mod:`clustersim.kubernetes.containerref`).

The manager holds what every node's kubelet would: the images present on each node, the
registry's refusals, the failed pulls counted for the back-off, and the pod backing off.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clustersim.goformat import duration_string, go_quote
from clustersim.imageref import normalized_problem
from clustersim.kubernetes.defaults import image_pull_policy

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster
    from clustersim.kubernetes.kubelet import Timing

__all__ = ["IMAGE_BACKOFF", "MAX_IMAGE_BACKOFF", "ImageManager", "image_size"]

IMAGE_BACKOFF = 10.0
"""Seconds before the first retry of a refused pull (``imageBackOffPeriod``)."""
MAX_IMAGE_BACKOFF = 300.0
"""The longest back-off between pulls (``MaxImageBackOff``)."""
POD_WORKER_BACKOFF = 10.0
"""Seconds before the pod worker syncs again a pod whose sync failed (``backOffPeriod``)."""
INVALID_IMAGE_NAME = "InvalidImageName"
"""The waiting reason of a container whose image is no reference (``ErrInvalidImageName``)."""
_SMALLEST_IMAGE = 2_000_000
_LARGEST_IMAGE = 250_000_000
"""The bytes :func:`image_size` chooses among: from a busybox-sized image to a large
application image."""


def image_size(image: str) -> int:
    """The bytes the runtime reports for ``image`` once pulled (CRI ``ImageStatus``'s
    ``size``, which the kubelet prints in its ``Pulled`` event): made up, a number between
    2 and 250 MB drawn from a digest of the reference, so one image has one size everywhere."""
    digest = int.from_bytes(hashlib.sha256(image.encode()).digest()[:8], "big")
    return _SMALLEST_IMAGE + digest % (_LARGEST_IMAGE - _SMALLEST_IMAGE + 1)


@dataclass
class _Retry:
    """A container's pull waiting out its back-off: the image, and what to call then."""
    image: str
    retry: Callable[[], None]


class ImageManager:
    """Pulls for the pods of every node (one object stands for every node's kubelet, as
    :class:`~clustersim.kubernetes.kubelet.Kubelet` does)."""

    def __init__(self, cluster: KubernetesCluster, timing: Timing,
                 waiting: Callable[[dict[str, Any], dict[str, Any], str], None]) -> None:
        self.cluster = cluster
        self.timing = timing
        self._waiting = waiting
        """Notes that a container waits, and why (the kubelet's reason cache)."""
        self.images: dict[str, set[str]] = {}
        """The images present on each node."""
        self.pull_errors: dict[str, str] = {}
        """Images the registry refuses, with the runtime's error."""
        self._failures: dict[str, dict[str, int]] = {}
        """Failed pulls per pod uid and image, for the back-off."""
        self._backoff: dict[str, dict[str, _Retry]] = {}
        """Per pod uid, each container backing off a failed pull: the pull to retry."""
        self.invalid_names: dict[str, dict[str, str]] = {}
        """Per pod uid, each container waiting with :data:`INVALID_IMAGE_NAME`: the kubelet's
        message."""

    def ensure(self, pod: dict[str, Any], container: dict[str, Any],
               current: Callable[[], bool], then: Callable[[], None],
               passed: Callable[[], None] | None = None) -> None:
        """Pull ``container``'s image unless the node has it and the policy allows using
        it, then call ``then``; nothing happens once ``current()`` is false (the pod's
        kubelet moved on: the pod was deleted, restarted or its node failed). ``passed``
        is called after each failed pull or unreadable reference, before the retry: the
        kubelet goes on with the pod's other containers meanwhile."""
        if not current():
            return
        cluster = self.cluster
        images = self.images.setdefault(pod["spec"]["nodeName"], set())
        image = str(container.get("image", ""))
        problem = normalized_problem(image)
        if problem is not None:
            self._invalid_name(pod, container, problem, current, then, passed)
            return
        uid, name = pod["metadata"]["uid"], str(container.get("name"))
        invalid = self.invalid_names.get(uid)
        if invalid:
            invalid.pop(name, None)
        pending = self._backoff.get(uid, {}).get(name)
        if pending is not None and pending.image == image:
            # a sync while the pull backs off: no pull before the back-off has passed, then
            # the one this sync asks for (EnsureImageExists checks IsInBackOffSince)
            pending.retry = functools.partial(self.ensure, pod, container, current, then, passed)
            self._backing_off(pod, image, container)
            if passed is not None:
                passed()
            return
        policy = container.get("imagePullPolicy") or image_pull_policy(image)
        if policy != "Always" and image in images:
            cluster.kubelet_record(
                pod, "Pulled", f'Container image "{image}" already present on machine'
                " and can be accessed by the pod", container=container)
            then()
            return
        cluster.kubelet_record(pod, "Pulling", f'Pulling image "{image}"', container=container)
        seconds = self.timing.image_pull_seconds
        if image in self.pull_errors:
            failed = functools.partial(self._failed, pod, image, self.pull_errors[image],
                                       container, current, then, passed)
            cluster.after(seconds, failed, background=True)
            return
        # a partial, not a closure: every Pod of a big apply waits for its pull at once
        cluster.after(seconds, functools.partial(self._pulled, pod, container, image, images,
                                                 seconds, current, then))

    def _pulled(self, pod: dict[str, Any], container: dict[str, Any], image: str,
                images: set[str], seconds: float, current: Callable[[], bool],
                then: Callable[[], None]) -> None:
        """The pull of ``image`` :meth:`ensure` began ``seconds`` ago is done: the node (its
        set of ``images``) has it, and the container goes on, if the pod is still current."""
        if current():
            images.add(image)
            took = duration_string(round(seconds * 1e9) // 1_000_000 / 1000)   # Truncate(ms)
            self.cluster.kubelet_record(
                pod, "Pulled", f'Successfully pulled image "{image}" in {took} '
                f"({took} including waiting). Image size: {image_size(image)} "
                "bytes.", container=container)
            then()

    def _failed(self, pod: dict[str, Any], image: str, error: str, container: dict[str, Any],
                current: Callable[[], bool], then: Callable[[], None],
                passed: Callable[[], None] | None) -> None:
        """The registry refused ``image`` with ``error`` when the pull began (a refusal lifted
        meanwhile serves the next pull): ErrImagePull now, ImagePullBackOff at the next
        sync, and another pull once the back-off has passed (module docstring)."""
        if not current():
            return
        cluster, uid, name = self.cluster, pod["metadata"]["uid"], str(container.get("name"))
        counted = self._failures.setdefault(uid, {})
        failures = counted[image] = counted.get(image, 0) + 1
        cluster.kubelet_record(
            pod, "Failed", f'Failed to pull image "{image}": '
            f"{error}", "Warning", container=container)
        cluster.kubelet_record(pod, "Failed", "Error: ErrImagePull", "Warning", container=container)
        self._waiting(pod, container, "ErrImagePull")
        cluster.changed()
        backoff = min(IMAGE_BACKOFF * 2 ** (failures - 1), MAX_IMAGE_BACKOFF)

        retry = self._retry_after(
            backoff, uid, container, image,
            lambda: self.ensure(pod, container, current, then, passed))

        def backing_off() -> None:
            if current() and self._backoff.get(uid, {}).get(name) is retry:
                self._backing_off(pod, image, container)

        cluster.after(min(1.0, backoff), backing_off, background=True)
        if passed is not None:
            passed()

    def _invalid_name(self, pod: dict[str, Any], container: dict[str, Any], problem: str,
                      current: Callable[[], bool], then: Callable[[], None],
                      passed: Callable[[], None] | None) -> None:
        """``container``'s image is no reference (``problem``, distribution/reference's
        words): InspectFailed and Failed, the container waits with InvalidImageName, and
        the pod is synced again after the pod worker's back-off (module docstring)."""
        cluster, uid, image = self.cluster, pod["metadata"]["uid"], str(container.get("image"))
        message = (f"Failed to apply default image tag {go_quote(image)}: couldn't parse "
                   f"image name {go_quote(image)}: {problem}")
        cluster.kubelet_record(pod, "InspectFailed", message, "Warning", container=container)
        cluster.kubelet_record(pod, "Failed", f"Error: {INVALID_IMAGE_NAME}", "Warning",
                               container=container)
        self.invalid_names.setdefault(uid, {})[str(container.get("name"))] = message
        self._waiting(pod, container, INVALID_IMAGE_NAME)
        cluster.changed()
        self._retry_after(POD_WORKER_BACKOFF, uid, container, image,
                          lambda: self.ensure(pod, container, current, then, passed))
        if passed is not None:
            passed()

    def _backing_off(self, pod: dict[str, Any], image: str, container: dict[str, Any]
                     ) -> None:
        """A sync of the pod while ``container``'s pull of ``image`` backs off:
        ``BackOff`` and ``Error: ImagePullBackOff``, and the container waits for it."""
        self.cluster.kubelet_record(pod, "BackOff", f'Back-off pulling image "{image}"',
                                    container=container)
        self.cluster.kubelet_record(pod, "Failed", "Error: ImagePullBackOff", "Warning",
                                    container=container)
        self._waiting(pod, container, "ImagePullBackOff")
        self.cluster.changed()

    def _retry_after(self, seconds: float, uid: str, container: dict[str, Any], image: str,
                     retry: Callable[[], None]) -> _Retry:
        """Call ``retry`` for the pod ``uid`` after ``seconds``, unless a new image for
        ``container`` has made it run at once (:meth:`pull_again`) meanwhile; a sync of the
        pod before then (:meth:`ensure`) replaces what it calls, not when."""
        name = str(container.get("name"))
        entry = _Retry(image, retry)

        def backed_off() -> None:
            waiting = self._backoff.get(uid, {})
            if waiting.get(name) is entry:
                del waiting[name]
                entry.retry()

        self._backoff.setdefault(uid, {})[name] = entry
        self.cluster.after(seconds, backed_off, background=True)
        return entry

    def pull_again(self, pod: Any, names: Collection[str]) -> None:
        """The containers ``names`` of ``pod`` have a new image: if the pod is backing off a
        failed pull of one of them, pull (its new image) at once instead of after the old
        image's back-off."""
        waiting = self._backoff.get(pod["metadata"]["uid"], {})
        for name in [n for n in waiting if n in names]:
            waiting.pop(name).retry()

    def restarted(self, pod: Any) -> None:
        """The kubelet of ``pod``'s node restarted: its pulls' back-off starts empty, the
        failed pulls counted and the retry waited for (the kubelet's ``imageBackOff``, kept
        in memory): its next sync pulls at once."""
        self._failures.pop(pod["metadata"]["uid"], None)
        self._backoff.pop(pod["metadata"]["uid"], None)

    def forget(self, pod: Any) -> None:
        """The pod object is gone: no pull of it is backing off any more."""
        self.restarted(pod)
        self.invalid_names.pop(pod["metadata"]["uid"], None)
