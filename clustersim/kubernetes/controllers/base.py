"""What every workload controller shares: the object store it reconciles against.

kube-controller-manager runs one control loop per kind; each watches the API server and
drives the objects it owns toward their spec. Here every controller is a small class whose
``sync(obj)`` is called for each object of its kind whenever anything in the cluster changed
(level-triggered, as upstream's informers plus resyncs make it), on the shared simulated clock.

A sync the API server refused (a create it did not admit) returns an error to the controller's
work queue, which puts the object back after a back-off (``processNextWorkItem``:
``queue.AddRateLimited``; a sync that succeeds calls ``queue.Forget``). Most controllers'
queues use client-go's ``DefaultControllerRateLimiter`` (``util/workqueue/
default_rate_limiters.go``): per object 5 ms doubling with each failure up to 1000 s
(:class:`Controller` ``retry_base``, ``retry_max``), with an overall bucket of 10 retries a
second (burst 100) that the simulator leaves out, as it only slows a storm of many objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from clustersim.kubernetes.apiserver import AdmissionError
from clustersim.kubernetes.objects import (
    controller_of,
    labels_of,
    owner_reference,
    selector_matches,
)

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["Controller", "ReportedRefusalError", "Retry", "replicas_of"]


def replicas_of(obj: dict[str, Any], default: int = 1) -> int:
    """``spec.replicas`` as an int (upstream defaults it to 1), with a clear error otherwise."""
    value = (obj.get("spec") or {}).get("replicas", default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        kind, name = obj.get("kind"), obj["metadata"]["name"]
        raise ValueError(f"{kind} {name!r}: spec.replicas must be a whole number ≥ 0, "
                         f"got {value!r}")
    return value


class ReportedRefusalError(AdmissionError):
    """The API server refused creates that the controller has already reported, one
    ``FailedCreate`` event each (as ``RealPodControl.createPods`` in kubernetes/kubernetes
    ``pkg/controller/controller_utils.go`` records one per refused Pod)."""


class Retry(NamedTuple):
    """An object whose sync was refused, waiting in its controller's work queue: its
    ``failures`` so far, when its retry is ``due``, its ``generation`` then (an update to the
    object enqueues it at once), the state of the objects it controls then (``dependents``,
    :meth:`~clustersim.kubernetes.controllermanager.ControllerManager.dependents_state`: a
    change to one of its Pods enqueues it at once too), the cluster's change count then
    (``version``) and whether anything ``changed`` since the failure before: only then may
    the retry succeed where this one failed, and ``run()`` without ``until`` waits for it;
    otherwise the retry is background work, like a probe."""

    failures: int
    due: float
    generation: Any
    dependents: int
    version: int
    changed: bool


class Controller:
    """One control loop. Subclasses set ``kinds`` and implement :meth:`sync`."""

    kinds: ClassVar[tuple[str, ...]] = ()
    retry_base: ClassVar[float] = 0.005
    """The first back-off after a refused sync, in seconds (``DefaultControllerRateLimiter``:
    ``NewItemExponentialFailureRateLimiter(5*time.Millisecond, 1000*time.Second)``)."""
    retry_max: ClassVar[float] = 1000.0
    """The longest back-off, in seconds."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster

    def claim_orphans(self, owner: Mapping[str, Any], kind: str, selector: Any,
                      member: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """``ClaimObject`` (``ClaimPods``, ``ClaimReplicaSets``, ``ClaimControllerRevisions``
        in kubernetes/kubernetes ``pkg/controller/controller_ref_manager.go``) for the objects
        of ``kind`` in ``owner``'s namespace: the orphans ``selector`` matches (and
        ``member`` accepts, if given) get ``owner`` as their controller (``AdoptPod``...),
        and those it owns whose labels an update changed so that ``selector`` no longer
        matches them lose it (``ReleasePod``, ``ReleaseReplicaSet``): a Pod relabelled out
        of its ReplicaSet is replaced, and runs on as an orphan. An ``owner`` being deleted
        (``canAdopt``: ``RecheckDeletionTimestamp``) neither adopts nor releases, and an
        orphan being deleted is not adopted."""
        cluster = self.cluster
        relabelled = cluster.relabelled(owner, kind)
        if owner["metadata"].get("deletionTimestamp") is not None:
            return
        uid = owner["metadata"]["uid"]
        for obj in relabelled:
            if (cluster.exists(obj) and (controller_of(obj) or {}).get("uid") == uid
                    and not selector_matches(selector, labels_of(obj))):
                cluster.release_dependent(obj, owner)
        for obj in cluster.orphans(kind, owner["metadata"]["namespace"]):
            if (controller_of(obj) is None and obj["metadata"].get("deletionTimestamp") is None
                    and (member is None or member(obj))
                    and selector_matches(selector, labels_of(obj))):
                obj["metadata"].setdefault("ownerReferences", []).append(owner_reference(owner))
                cluster.adopt(obj, owner)

    def sync(self, obj: dict[str, Any]) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def retry_after(self, last: Retry | None, now: float, generation: Any, dependents: int,
                    version: int) -> Retry:
        """The work queue's next try of an object whose sync was refused at ``now``, after
        ``last`` (None: its first failure since it last synced): ``retry_base`` doubled for
        each failure before, at most ``retry_max`` (``ItemExponentialFailureRateLimiter.When``:
        ``base * 2^failures``)."""
        failures = 0 if last is None else last.failures
        delay = min(self.retry_base * 2.0 ** min(failures, 64), self.retry_max)
        return Retry(failures + 1, now + delay, generation, dependents, version,
                     last is None or last.version != version)
