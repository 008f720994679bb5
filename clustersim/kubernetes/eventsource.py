"""Which component records a core/v1 event: its recorder's ``EventSource.Component``, part
of the keys of client-go's event correlator (``getSpamKey``, ``getEventKey`` and
``EventAggregatorByReasonFunc`` in ``staging/src/k8s.io/client-go/tools/record/
events_cache.go`` all begin with ``Source.Component`` and ``Source.Host``) and of the Event
the served API shows (about 45 lines).

Each controller of kube-controller-manager records with its own component and no host
(``NewBroadcaster`` and ``NewRecorder`` with ``EventSource{Component: ...}`` in each
controller's constructor, e.g. ``pkg/controller/nodelifecycle/node_lifecycle_controller.go``
``node-controller`` and ``pkg/controller/tainteviction/taint_eviction.go``
``taint-eviction-controller``); a kubelet's names its node as host (``pkg/kubelet/kubelet.go``).
"""

from __future__ import annotations

from clustersim.kubernetes.storageclass import PROVISIONER, PROVISIONER_REASONS

__all__ = ["KUBELET", "component"]

KUBELET = "kubelet"
_BY_REASON = {"NodeNotReady": "node-controller",
              "TaintManagerEviction": "taint-eviction-controller"}
"""The controllers known by their reasons, where several record about one kind of object
(these two about Pods, which the kubelet and other controllers record about too)."""
_BY_KIND = {"replicaset": "replicaset-controller", "statefulset": "statefulset-controller",
            "daemonset": "daemonset-controller", "job": "job-controller",
            "cronjob": "cronjob-controller", "deployment": "deployment-controller",
            "node": "node-controller", "service": "service-controller",
            "replicationcontroller": "replication-controller",
            "horizontalpodautoscaler": "horizontal-pod-autoscaler",
            "persistentvolumeclaim": "persistentvolume-controller"}
"""The rest by the kind of the object they record about (lower case)."""


def component(reason: str, kind: str, host: str) -> str:
    """The component recording an event ``reason`` about an object of ``kind`` (lower case)
    from ``host`` (a kubelet's node, else empty): ``kubelet``, the external provisioner
    (named :data:`~clustersim.kubernetes.storageclass.PROVISIONER` here; the served API
    shows its full identity, ``provisioner_identity``), or a controller."""
    if host:
        return KUBELET
    if reason in PROVISIONER_REASONS:
        return PROVISIONER
    return _BY_REASON.get(reason) or _BY_KIND.get(kind, "")
