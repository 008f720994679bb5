"""What the scheduler's plugins read from the cluster besides nodes and pods: the Services
and controllers that select a pod (PodTopologySpread's default constraints) and a namespace's
labels (InterPodAffinity's ``namespaceSelector``).

Upstream: the shared informers' listers that kube-scheduler's plugins receive
(``Service``, ``ReplicaSet``, ``StatefulSet``, ``ReplicationController`` and ``Namespace``).
:class:`~clustersim.kubernetes.KubernetesCluster` answers from its stored objects;
:class:`StaticLister` from fixed lists, for tests, labs and ``explain``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from clustersim.kubernetes.scheduler.labels import namespace_labels, pod_namespace

__all__ = ["StaticLister", "WorkloadLister"]


class WorkloadLister(Protocol):
    """What the scheduler's plugins ask the cluster: PodTopologySpread the Services and
    controllers (upstream: the Service, ReplicaSet, StatefulSet and ReplicationController
    listers), InterPodAffinity a namespace's labels (the Namespace lister)."""

    def services(self, namespace: str) -> Iterable[Mapping[str, Any]]:
        """The Service manifests of a namespace."""

    def controller(self, namespace: str, kind: str, name: str) -> Mapping[str, Any] | None:
        """The ReplicaSet, StatefulSet or ReplicationController manifest of that name, if any."""

    def namespace_labels(self, namespace: str) -> Mapping[str, str]:
        """The labels of a namespace, the automatic ``kubernetes.io/metadata.name`` included."""

    def version(self) -> int | None:
        """A number that changes whenever a Service, ReplicaSet, StatefulSet or
        ReplicationController this lister answers with may have changed, so that what is
        derived from them alone (PodTopologySpread's default selector of a workload's pods)
        can be kept until it does; None when the lister cannot tell (nothing is kept)."""


class StaticLister:
    """A :class:`WorkloadLister` over fixed lists of manifests (Services, controllers,
    Namespaces; for tests, labs, explain), indexed once by namespace (and kind and name), as
    upstream's listers read an indexed cache. The manifests are taken as they are when the
    lister is made: one changed in place afterwards may not be seen (make a new lister)."""

    def __init__(
        self,
        services: Iterable[Mapping[str, Any]] = (),
        controllers: Iterable[Mapping[str, Any]] = (),
        namespaces: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self._services: dict[str, list[Mapping[str, Any]]] = {}
        for service in services:
            self._services.setdefault(pod_namespace(service), []).append(service)
        self._controllers: dict[tuple[str, Any, Any], Mapping[str, Any]] = {}
        for obj in controllers:
            key = (pod_namespace(obj), obj.get("kind"), (obj.get("metadata") or {}).get("name"))
            self._controllers.setdefault(key, obj)     # the first of a name, as a scan finds
        self._namespaces = {(obj.get("metadata") or {}).get("name"):
                            (obj.get("metadata") or {}).get("labels") or {} for obj in namespaces}

    def services(self, namespace: str) -> list[Mapping[str, Any]]:
        return list(self._services.get(namespace, ()))

    def controller(self, namespace: str, kind: str, name: str) -> Mapping[str, Any] | None:
        return self._controllers.get((namespace, kind, name))

    def namespace_labels(self, namespace: str) -> Mapping[str, str]:
        return namespace_labels(namespace, self._namespaces.get(namespace))

    def version(self) -> int:
        """Always 0: the lists are fixed."""
        return 0
