"""What the scheduler knows about one node: the Node object, its pods and their summed requests.

Mirrors kube-scheduler's ``NodeInfo`` (kubernetes/kubernetes
``pkg/scheduler/framework/types.go``): the Node manifest, the pods bound to it, the sums of
their requests (``Requested``) and of their requests with the scheduler's non-zero defaults
(``NonZeroRequested``), the host ports in use and the pods with (anti-)affinity terms, all kept
incrementally as pods are added and removed. A pod's requests are computed as upstream's
``PodRequests`` computes them (kubernetes/kubernetes
``staging/src/k8s.io/component-helpers/resource/helpers.go``): the sum over app containers
and restartable init containers (sidecars), at least the largest single init container,
plus ``spec.overhead``; a container that sets a limit but no request requests its limit (the
API server's defaulting, ``pkg/apis/core/v1/defaults.go``).

:func:`node_object` turns a :class:`clustersim.Node` into the Kubernetes Node manifest the
scheduler reads: labels (with ``kubernetes.io/hostname`` and, for a node with a zone,
``topology.kubernetes.io/zone``), taints, ``status.allocatable`` and ``spec.unschedulable``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from clustersim.kubernetes.podlifecycle import is_sidecar
from clustersim.node import Node
from clustersim.quantity import (
    QuantityError,
    cpu_quantity,
    memory_quantity,
    parse_quantity,
    request_amount,
    to_millis,
    to_units,
    unheld,
)

__all__ = [
    "DEFAULT_MEMORY_REQUEST",
    "DEFAULT_MILLI_CPU_REQUEST",
    "HOSTNAME_LABEL",
    "ZONE_LABEL",
    "NodeInfo",
    "node_object",
    "pod_host_ports",
    "pod_key",
    "pod_request_sums",
    "pod_requests",
]

HOSTNAME_LABEL = "kubernetes.io/hostname"
ZONE_LABEL = "topology.kubernetes.io/zone"
DEFAULT_MILLI_CPU_REQUEST = 100
"""``schedutil.DefaultMilliCPURequest``: 0.1 core counted for a container without a cpu request
(kubernetes/kubernetes ``pkg/scheduler/util/pod_resources.go``)."""
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024
"""``schedutil.DefaultMemoryRequest``: 200 MiB counted for a container without a memory request."""

_BASE_RESOURCES = ("cpu", "memory", "ephemeral-storage")


_GOARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "armhf": "arm",
           "i386": "386", "i686": "386", "x86": "386"}
"""Machine names (``uname -m``, what Swarm's ``node.platform.arch`` holds) → Go's GOARCH, the
value the kubelet writes in ``kubernetes.io/arch``."""


def kubelet_labels(node: Node) -> dict[str, str]:
    """The labels every kubelet sets on its Node (``initialNode`` in kubernetes/kubernetes
    ``pkg/kubelet/kubelet_node_status.go``): ``kubernetes.io/hostname``, and ``kubernetes.io/os``
    and ``kubernetes.io/arch`` from the Go runtime (with their ``beta.kubernetes.io/``
    twins, still written for old manifests), here from :attr:`clustersim.Node.platform`."""
    os_name = str(node.platform.get("os", "linux")).lower()
    arch = str(node.platform.get("arch", "amd64")).lower()
    arch = _GOARCH.get(arch, arch)
    return {HOSTNAME_LABEL: node.hostname, "kubernetes.io/os": os_name,
            "kubernetes.io/arch": arch, "beta.kubernetes.io/os": os_name,
            "beta.kubernetes.io/arch": arch}


def node_object(node: Node) -> dict[str, Any]:
    """The Kubernetes Node manifest of a :class:`clustersim.Node`: the kubelet's labels
    (:func:`kubelet_labels`), then the node's own.

    Allocatable holds cpu, memory, ephemeral-storage (the node's ``disk``), ``pods``
    (``max_pods``) and every extended resource, in the canonical form of the quantities the
    kubelet writes (kubernetes/kubernetes ``pkg/kubelet/cadvisor/util.go``,
    ``CapacityFromMachineInfo`` and ``EphemeralStorageCapacityFromFsInfo``): cpu a
    ``DecimalSI`` quantity of millicores (4 cores → ``4``), memory and ephemeral-storage
    ``BinarySI`` quantities of bytes (16 GiB → ``16Gi``). A real machine's memory is the
    ``MemTotal`` of ``/proc/meminfo``, counted in KiB and seldom a whole number of MiB, which
    is why real Nodes show sizes such as ``16393236Ki``; a simulated node has the size it was
    given. Capacity is allocatable here: a real kubelet subtracts its ``kubeReserved``,
    ``systemReserved`` and hard eviction thresholds from capacity (``setters.go``
    ``MachineInfo``), which the simulator leaves at zero.
    """
    labels = {**kubelet_labels(node), **node.labels}
    if node.zone is not None:
        labels.setdefault(ZONE_LABEL, node.zone)
    allocatable = {
        "cpu": cpu_quantity(node.cpu_millis),
        "memory": memory_quantity(node.memory_bytes),
        "ephemeral-storage": memory_quantity(to_units(node.disk)),
        "pods": str(node.max_pods),
    }
    for name, amount in node.extended_resources.items():
        allocatable[name] = _quantity_text(amount)
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": node.name, "labels": labels},
        "spec": {"taints": [dict(t) for t in node.taints], "unschedulable": False},
        "status": {"allocatable": allocatable, "capacity": dict(allocatable)},
    }


def _quantity_text(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return str(amount.normalize())
    return f"{to_millis(amount)}m"


@lru_cache(maxsize=4096)
def _amount(name: str, text: str) -> int:
    """One quantity in the unit the scheduler compares: millicores for cpu, units otherwise."""
    return request_amount(name, parse_quantity(text))


def _container_requests(container: Mapping[str, Any], where: str) -> dict[str, int]:
    resources = container.get("resources") or {}
    limits = resources.get("limits")
    requests = resources.get("requests") or {}
    if limits:
        requests = {**limits, **requests}
    result = {}
    for name, text in requests.items():
        try:
            result[str(name)] = _amount(str(name), text if isinstance(text, str) else str(text))
        except QuantityError as err:
            try:        # a quantity, too large for the scheduler's int64: named as written
                parse_quantity(text)
            except QuantityError:
                raise ValueError(f"{where}: resources of {name!r}: {err}") from None
            raise ValueError(f"{where}: {unheld(str(name), text)}") from None
    return result


def pod_key(pod: Mapping[str, Any]) -> str | tuple[str, str]:
    """How a node tells its pods apart: the uid when set, else (namespace, name).

    A tuple rather than a joined string, so that a node with many pods keeps no extra text.
    """
    meta = pod.get("metadata") or {}
    uid = meta.get("uid")
    if uid:
        return str(uid)
    return (meta.get("namespace") or "default", meta.get("name", ""))


def _shown(key: str | tuple[str, str]) -> str:
    return key if isinstance(key, str) else "/".join(key)


def pod_requests(pod: Mapping[str, Any], *, non_zero: bool = False) -> dict[str, int]:
    """A pod's effective requests: cpu in millicores, everything else in whole units.

    With ``non_zero=True`` a container that does not set a cpu (memory) request counts as
    100m (200Mi), as ``NonMissingContainerRequests`` makes upstream count it for scoring; an
    explicit ``0`` stays 0. Upstream: ``resourcehelper.PodRequests``
    (``staging/src/k8s.io/component-helpers/resource/helpers.go``).
    """
    spec = pod.get("spec") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    total: dict[str, int] = {}

    def container(c: Mapping[str, Any], kind: str, index: int) -> dict[str, int]:
        requests = _container_requests(c, f"Pod {name!r} spec.{kind}[{index}]")
        if non_zero:
            requests.setdefault("cpu", DEFAULT_MILLI_CPU_REQUEST)
            requests.setdefault("memory", DEFAULT_MEMORY_REQUEST)
        return requests

    for index, c in enumerate(spec.get("containers") or ()):
        for key, value in container(c, "containers", index).items():
            total[key] = total.get(key, 0) + value
    # Init containers run one after another before the app containers; restartable ones
    # (sidecars) keep running, so each regular init container needs its own request plus the
    # sidecars started before it.
    sidecars: dict[str, int] = {}
    for index, c in enumerate(spec.get("initContainers") or ()):
        requests = container(c, "initContainers", index)
        if is_sidecar(c):
            for key, value in requests.items():
                sidecars[key] = sidecars.get(key, 0) + value
                total[key] = total.get(key, 0) + value
            peak = sidecars
        else:
            peak = {k: requests.get(k, 0) + sidecars.get(k, 0) for k in {*requests, *sidecars}}
        for key, value in peak.items():
            if value > total.get(key, 0):
                total[key] = value
    overhead = spec.get("overhead") or {}
    overhead_requests = _container_requests({"resources": {"requests": overhead}}, "spec.overhead")
    for key, value in overhead_requests.items():
        total[key] = total.get(key, 0) + value
    return total


def pod_request_sums(pod: Mapping[str, Any]) -> tuple[dict[str, int], int, int]:
    """The pod's plain requests and its non-zero cpu and memory, in one call.

    Equal to ``pod_requests(pod)`` and ``pod_requests(pod, non_zero=True)``'s cpu and memory;
    a pod with one container (the common case) is read once.
    """
    spec = pod.get("spec") or {}
    containers = spec.get("containers") or ()
    if len(containers) == 1 and not spec.get("initContainers") and not spec.get("overhead"):
        name = (pod.get("metadata") or {}).get("name", "")
        requests = _container_requests(containers[0], f"Pod {name!r} spec.containers[0]")
        return (
            requests,
            requests.get("cpu", DEFAULT_MILLI_CPU_REQUEST),
            requests.get("memory", DEFAULT_MEMORY_REQUEST),
        )
    non_zero = pod_requests(pod, non_zero=True)
    return pod_requests(pod), non_zero.get("cpu", 0), non_zero.get("memory", 0)


def pod_host_ports(pod: Mapping[str, Any]) -> list[tuple[str, str, int]]:
    """The ``(hostIP, protocol, hostPort)`` triples a pod asks for (hostPort > 0 only).

    Upstream: ``schedutil.GetHostPorts`` and ``HostPortInfo``
    (``pkg/scheduler/framework/types.go``): hostIP defaults to 0.0.0.0, protocol to TCP.
    """
    spec = pod.get("spec") or {}
    ports = []
    containers = [
        *(spec.get("containers") or ()),
        *(c for c in spec.get("initContainers") or () if is_sidecar(c)),
    ]
    for c in containers:
        for port in c.get("ports") or ():
            host_port = int(port.get("hostPort") or 0)
            if host_port > 0:
                host_ip = port.get("hostIP") or "0.0.0.0"
                ports.append((host_ip, port.get("protocol") or "TCP", host_port))
    return ports


def _has_affinity(pod: Mapping[str, Any]) -> tuple[bool, bool]:
    """(has pod affinity or anti-affinity, has required anti-affinity)."""
    affinity = (pod.get("spec") or {}).get("affinity") or {}
    anti = affinity.get("podAntiAffinity") or {}
    has_any = bool(affinity.get("podAffinity") or anti)
    return has_any, bool(anti.get("requiredDuringSchedulingIgnoredDuringExecution"))


class _Taints(list):
    """The node's taints: a plain list that also tells its NodeInfo when it changes.

    Copies (``copy.deepcopy``, pickling) are plain lists, so manifests stay plain data.
    """

    def __init__(self, items: Iterable[dict[str, Any]], changed: Callable[[], None]) -> None:
        super().__init__(items)
        self._changed = changed

    def __deepcopy__(self, memo: dict[int, Any]) -> list[dict[str, Any]]:
        return copy.deepcopy(list(self), memo)

    def __reduce_ex__(self, protocol: Any) -> tuple[type, tuple[list[dict[str, Any]]]]:
        return list, (list(self),)


def _notifying(name: str) -> Callable[..., Any]:
    method = getattr(list, name)

    def mutate(self: _Taints, *args: Any, **kwargs: Any) -> Any:
        result = method(self, *args, **kwargs)
        self._changed()
        return result

    mutate.__name__ = name
    return mutate


for _name in (
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "__setitem__",
    "__delitem__",
    "__iadd__",
    "sort",
    "reverse",
):
    setattr(_Taints, _name, _notifying(_name))


class NodeInfo:
    """One node as the scheduler sees it (upstream ``framework.NodeInfo``).

    ``requested`` and ``non_zero_requested`` map resource names to sums over the bound pods
    (cpu in millicores, the rest in units); ``allocatable`` likewise, with ``pods`` the number
    of pods the node takes. ``unschedulable`` is the cordon flag and ``taints`` the node's
    taints (a list you may change in place). Anyone who changes the node's labels in place
    calls :meth:`touch`, and anyone who edits a bound pod in place (labels,
    ``deletionTimestamp``) calls :meth:`pods_changed`, so that cached views (the scheduler's
    fast path) see the change. ``generation`` counts every change; ``listeners`` are called
    with (node, whether the node object itself changed) after each one.
    """

    __slots__ = (
        "_keys",
        "allocatable",
        "generation",
        "listeners",
        "name",
        "node",
        "non_zero_requested",
        "pod_edits",
        "pods",
        "pods_with_affinity",
        "pods_with_required_anti_affinity",
        "requested",
        "used_ports",
    )

    def __init__(self, node: Node | Mapping[str, Any]) -> None:
        self.node: dict[str, Any] = node_object(node) if isinstance(node, Node) else dict(node)
        meta = self.node.setdefault("metadata", {})
        if not meta.get("name"):
            raise ValueError("a Node manifest needs metadata.name")
        self.name: str = meta["name"]
        meta.setdefault("labels", {})
        spec = self.node.setdefault("spec", {})
        spec["taints"] = _Taints(spec.get("taints") or (), self.touch)
        self.allocatable: dict[str, int] = {}
        for name, text in ((self.node.get("status") or {}).get("allocatable") or {}).items():
            try:
                self.allocatable[name] = _amount(name, str(text))
            except QuantityError as err:
                where = f"Node {self.name!r} status.allocatable[{name!r}]"
                raise ValueError(f"{where}: {err}") from None
        self.allocatable.setdefault("pods", 110)
        self.pods: list[dict[str, Any]] = []
        self.pods_with_affinity: list[dict[str, Any]] = []
        self.pods_with_required_anti_affinity: list[dict[str, Any]] = []
        self.requested: dict[str, int] = {}
        self.non_zero_requested: dict[str, int] = {"cpu": 0, "memory": 0}
        self.used_ports: dict[tuple[str, str, int], int] = {}
        self._keys: set[str | tuple[str, str]] = set()
        self.generation = 0
        self.pod_edits = 0
        self.listeners: list[Callable[[NodeInfo, bool], None]] = []

    # -- node fields --------------------------------------------------------------------
    @property
    def labels(self) -> dict[str, str]:
        return self.node["metadata"]["labels"]

    @property
    def taints(self) -> list[dict[str, Any]]:
        return self.node["spec"]["taints"]

    @taints.setter
    def taints(self, value: Iterable[dict[str, Any]]) -> None:
        self.node["spec"]["taints"] = _Taints(value, self.touch)
        self.touch()

    @property
    def unschedulable(self) -> bool:
        return bool(self.node["spec"].get("unschedulable"))

    @unschedulable.setter
    def unschedulable(self, value: bool) -> None:
        self.node["spec"]["unschedulable"] = bool(value)
        self.touch()

    def touch(self) -> None:
        """Record that the node object itself (labels, taints, cordon) changed."""
        self._changed(static=True)

    def pods_changed(self) -> None:
        """Record that a bound pod was edited in place (its labels, or ``deletionTimestamp``
        when it starts terminating), which changes what topology spreading counts here."""
        self.pod_edits += 1
        self._changed(static=False)

    def _changed(self, static: bool) -> None:
        self.generation += 1
        for listener in self.listeners:
            listener(self, static)

    # -- pods ---------------------------------------------------------------------------
    def add_pod(self, pod: dict[str, Any]) -> None:
        """Bind ``pod`` here and add its requests, ports and affinity to the sums."""
        key = pod_key(pod)
        if key in self._keys:
            raise ValueError(f"pod {_shown(key)} is already on node {self.name}")
        self._account(pod, 1)
        self._keys.add(key)
        self.pods.append(pod)
        has_affinity, has_required_anti = _has_affinity(pod)
        if has_affinity:
            self.pods_with_affinity.append(pod)
        if has_required_anti:
            self.pods_with_required_anti_affinity.append(pod)
        self._changed(static=False)

    def remove_pod(self, pod: Mapping[str, Any]) -> None:
        """Take ``pod`` off this node (matched by uid, else namespace/name).

        Its requests are computed again from the manifest, so a bound pod's resources must
        not be edited in place (the API server does not allow it either).
        """
        key = pod_key(pod)
        if key not in self._keys:
            raise ValueError(f"pod {_shown(key)} is not on node {self.name}")
        bound = next(p for p in self.pods if pod_key(p) == key)
        self._keys.discard(key)
        self.pods = [p for p in self.pods if p is not bound]
        self.pods_with_affinity = [p for p in self.pods_with_affinity if p is not bound]
        self.pods_with_required_anti_affinity = [
            p for p in self.pods_with_required_anti_affinity if p is not bound
        ]
        self._account(bound, -1)
        self._changed(static=False)

    def snapshot(self, pods: Iterable[dict[str, Any]]) -> NodeInfo:
        """A copy holding ``pods`` that shares this Node object (a spec of its own, where
        the taints are kept), as upstream's ``NodeInfo.Snapshot`` copies the Pods and shares
        the Node (the scheduler's what-ifs: a preemption's dry run, the nominated Pods)."""
        copy = NodeInfo({**self.node, "spec": dict(self.node["spec"])})
        for pod in pods:
            copy.add_pod(pod)
        return copy

    def _account(self, pod: Mapping[str, Any], sign: int) -> None:
        requests, non_zero_cpu, non_zero_memory = pod_request_sums(pod)
        for name, value in requests.items():
            self.requested[name] = self.requested.get(name, 0) + sign * value
        self.non_zero_requested["cpu"] += sign * non_zero_cpu
        self.non_zero_requested["memory"] += sign * non_zero_memory
        for port in pod_host_ports(pod):
            self.used_ports[port] = self.used_ports.get(port, 0) + sign
            if not self.used_ports[port]:
                del self.used_ports[port]

    def __repr__(self) -> str:
        return f"NodeInfo({self.name!r}, pods={len(self.pods)})"
