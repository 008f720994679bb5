"""Services: virtual IPs, endpoints from selectors and readiness, and what requests see.

Upstream: the Service API and its allocators (kubernetes/kubernetes
``pkg/registry/core/service/ipallocator``, ``portallocator``: a free address or node port
picked at random), the EndpointSlice controller (``pkg/controller/endpointslice``; the rules
in ``staging/src/k8s.io/endpointslice``: ``util.ShouldPodBeInEndpoints`` lists every pod in the
Service's namespace that matches its selector, has an IP and has not finished, terminating ones
included, and ``utils.go`` ``podToEndpoint`` gives each the conditions ``serving`` (the pod is
Ready), ``terminating`` (it is being deleted) and ``ready`` (serving and not terminating, or
``publishNotReadyAddresses``), so a pod is listed *before* it is ready, with ``ready: false``;
see :meth:`Services.endpoint_slice`) and kube-proxy's iptables mode, which picks one usable
endpoint at random per connection (``pkg/proxy/iptables/proxier.go``, ``--probability``
rules). Usable are the ready endpoints, or, while a Service port has none, its endpoints that
are ``serving`` and ``terminating`` (``CategorizeEndpoints``, ``pkg/proxy/topology.go``;
KEP-1669, GA in 1.28): a pod being deleted stays Ready while its containers run and its
readiness probe passes (the prober keeps probing readiness during graceful shutdown,
``pkg/kubelet/prober/worker.go``), so a Service whose every pod is terminating keeps being
served by them until they exit instead of failing at once. Docs:
https://kubernetes.io/docs/concepts/services-networking/service/

- ``ClusterIP`` (default) gets an address from 10.96.0.0/12 (10.96.0.1, the first, is the
  ``kubernetes`` Service of the API server itself: :func:`apiserver_service`);
  ``clusterIP: None`` makes a headless Service (no proxying).
- ``NodePort`` and ``LoadBalancer`` also get a node port from 30000–32767 on every node
  (ports of one number, such as DNS's 53 over UDP and TCP, share one; a LoadBalancer with
  ``allocateLoadBalancerNodePorts: false`` gets only those asked for: ``initNodePorts``),
  and a ``LoadBalancer`` with ``externalTrafficPolicy: Local`` one more, its
  ``healthCheckNodePort``, which the cloud load balancer's health checks ask;
  ``LoadBalancer`` gets an external address at once (the simulated cloud provider answers
  instantly; a real one takes seconds to minutes, and without one it stays ``<pending>``).
- Each endpoint carries the Service's ports as its pod resolves them (:func:`endpoint_ports`:
  a named ``targetPort`` is the pod's own container port of that name and protocol, and a
  pod without one is listed without that port). The served EndpointSlices and Endpoints
  (:mod:`clustersim.serve.kubederived`) are made from :meth:`Services.endpoint_slice` too,
  at most 100 endpoints in a slice (:meth:`Services.endpoint_slices`).
- kube-proxy sees endpoint changes ``endpoint_propagation_seconds`` late. A request goes to
  one Service port, to a random endpoint of that (possibly stale) view whose slice lists that
  port, and fails when the chosen pod no longer serves (its node is down, or its container
  stopped) or when there is no such endpoint.
- Clients outside the cluster come in through a node: a NodePort client through the node it
  addresses (nothing answers while that node is down); a LoadBalancer client through a node
  the cloud load balancer picks among those its health checks pass, which notice a failed
  node ``lb_health_check_seconds`` late. With ``externalTrafficPolicy: Cluster`` (default) the
  node forwards to any usable endpoint; with ``Local`` only to endpoints on itself (keeping
  the client's address): its ready ones, or its serving terminating ones while it has no
  ready one, whatever other nodes have. The load balancer's health check skips nodes without
  a ready endpoint, terminating ones not counted (``LocalReadyEndpoints``,
  ``pkg/proxy/endpoints.go``).
- Clients inside the cluster connect to the cluster IP, and kube-proxy on the client Pod's
  node routes them under the Service's ``internalTrafficPolicy`` (KEP-2086, GA in v1.26):
  ``Cluster`` (default) to any usable endpoint; ``Local`` only to that node's endpoints, with
  the same fallback to its serving terminating ones, and with none there the request is
  dropped even while other nodes have ready ones (``CategorizeEndpoints`` picks the Local
  endpoints apart from the Cluster ones; ``pkg/proxy/iptables/proxier.go`` drops internal
  traffic with the rule ``"<service> has no local endpoints"``; docs:
  https://kubernetes.io/docs/concepts/services-networking/service-traffic-policy/). The
  client's node is the request stream's ``from_node``, which a ``Local`` Service needs.

Simplified: session affinity and topology-aware routing are not modelled; a request is one
connection; a client Pod on a node that is down sends nothing, so its requests count as
failed; a traffic policy changed while a stream runs applies to its next request at once
(kube-proxy would learn of it a moment later), and a stream started without ``from_node``
goes on sending to every node's endpoints.
"""

from __future__ import annotations

import bisect
import ipaddress
import random
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes.defaults import set_service_defaults
from clustersim.kubernetes.kubeproxy import (
    PortView,
    ProxyEndpoint,
    ProxyHistory,
    usable_endpoints,
)
from clustersim.kubernetes.objects import (
    container_port,
    is_ready,
    is_terminating,
    labels_of,
    selector_matches,
)
from clustersim.kubernetes.podlifecycle import is_sidecar
from clustersim.limits import check_rate
from clustersim.manifests.kubernetes_errors import aggregate, invalid
from clustersim.manifests.kubernetes_ip import parse_ip
from clustersim.sim.requests import RequestStream

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["MAX_ENDPOINTS_PER_SLICE", "InternalError", "ProxyEndpoint", "RequestStream",
           "Services", "apiserver_service", "endpoint_ports", "health_check_refusal",
           "keep_allocated",
           "usable_endpoints"]

SERVICE_CIDR = ipaddress.IPv4Network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)
API_SERVICE_IP = SERVICE_CIDR.network_address + 1
"""The ``kubernetes`` Service's address: the first of the range, as the API server takes it
(``ServiceIPRange`` in ``pkg/controlplane/services.go``: index 1 of the service CIDR)."""
API_SECURE_PORT = 6443
"""The API server's ``--secure-port`` as kubeadm (and kind, minikube) set it."""
LB_POOL = ipaddress.ip_network("203.0.113.0/24")
"""External addresses of the simulated cloud load balancer (TEST-NET-3, RFC 5737)."""
_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
MAX_ENDPOINTS_PER_SLICE = 100
"""kube-controller-manager's ``--max-endpoints-per-slice`` default: the EndpointSlice
controller puts at most this many endpoints in one slice."""


def _allocatable(svc: Mapping[str, Any], wanted: str) -> ipaddress.IPv4Address:
    """The cluster IP ``wanted`` if the service range may hand it out, else the API server's
    refusal: the range leaves out its first and last address (the network's own and its
    broadcast address), so 10.96.0.0 and 10.111.255.255 are refused as an address outside
    10.96.0.0/12 is (kubernetes/kubernetes ``pkg/registry/core/service/ipallocator/
    bitmap.go``: ``Range.allocate`` checks ``contains`` first, in a dry run too, and answers
    ``ErrNotInRange``, ``ipallocator.go``). The simulator had taken both ends. ``wanted`` is
    read as ``allocIPs`` reads it, by ``ParseIPSloppy`` (``storage/alloc.go``;
    :mod:`clustersim.manifests.kubernetes_ip`), once validation has taken it."""
    address = parse_ip(wanted)
    if not isinstance(address, ipaddress.IPv4Address) or address not in SERVICE_CIDR or \
            address in (SERVICE_CIDR.network_address, SERVICE_CIDR.broadcast_address):
        raise _allocation_error(svc, wanted, f"the provided IP ({address}) is not in the "
                                f"valid range. The range of valid IPs is {SERVICE_CIDR}")
    return address


def _allocation_error(svc: Mapping[str, Any], wanted: str, reason: str) -> ValueError:
    """The API server's answer to a cluster IP its allocator refuses: the Service is invalid
    at ``spec.clusterIPs``, whose whole ``[]string`` is the bad value, in JSON since
    Kubernetes 1.34 (``["10.96.0.10"]``, ``ErrorBody``'s ``json.Marshal``)
    (kubernetes/kubernetes ``pkg/registry/core/service/storage/alloc.go``, ``allocIPs``:
    ``field.Invalid`` with ``failed to allocate IP <ip>: <allocator's error>``, then
    ``errors.NewInvalid``)."""
    spec = svc.get("spec") or {}
    return ValueError(f'Service "{svc["metadata"]["name"]}" is invalid: spec.clusterIPs: '
                      + invalid(list(spec.get("clusterIPs") or [wanted]),
                                f"failed to allocate IP {wanted}: {reason}"))


class _FreePorts:
    """The ports from ``low`` to ``high`` not in ``taken``, ascending, as a sequence that is
    never listed: ``random.choice`` asks only its length and one index, and listing the
    2,768 node ports was most of the cost of admitting a NodePort or LoadBalancer Service."""

    def __init__(self, low: int, high: int, taken: Iterable[int]) -> None:
        self.low, self.high = low, high
        self.taken = sorted(p for p in taken if low <= p <= high)

    def __len__(self) -> int:
        return self.high - self.low + 1 - len(self.taken)

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < len(self):
            raise IndexError("free port index out of range")
        port = self.low + index
        for taken in self.taken:        # each taken port at or below moves the answer up
            if taken > port:
                break
            port += 1
        return port


class _NodePortOperation:
    """One Service's node port allocations, as a ``PortAllocationOperation`` makes them
    (kubernetes/kubernetes ``pkg/registry/core/service/portallocator/operation.go``) over
    the ports already ``taken``. A port asked for must lie in :data:`NODE_PORT_RANGE` and be
    free (the allocator's ``ErrNotInRange`` and ``ErrAllocated``); one not asked for is a
    free one at random (``AllocateNext``, :class:`_FreePorts`).

    A ``dry_run`` reserves nothing and looks for no free port: a port asked for is refused
    only when taken (``Has`` is false outside the range, so it is not checked), and one not
    asked for is a dummy, one past the highest this operation has handed out, or 32769 for
    its first (the loop that would look for a free one runs ``for port < 100`` and so never
    does): it may well be taken already.

    ``held``: the ports an update keeps of the stored Service (its node ports and its health
    check node port), which upstream's ``updateNodePorts`` and ``updateHealthCheckNodePort``
    leave allocated: taken for every draw, and granted again to the Service asking for
    them."""

    def __init__(self, taken: set[int], rng: random.Random | None,
                 held: frozenset[int] = frozenset()) -> None:
        self.taken = taken | held
        self.held = held
        self.rng = rng
        self.allocated: list[int] = []

    @property
    def dry_run(self) -> bool:
        return self.rng is None

    def allocate(self, port: int) -> str | None:
        """Take ``port``; the allocator's refusal if it cannot."""
        low, high = NODE_PORT_RANGE
        if not self.dry_run and not low <= port <= high:
            return (f"provided port is not in the valid range. The range of valid ports is "
                    f"{low}-{high}")
        if port in self.allocated or (port in self.taken and port not in self.held):
            return "provided port is already allocated"
        self.allocated.append(port)
        return None

    def allocate_next(self) -> int:
        """A port not asked for (dry run: the dummy)."""
        if self.rng is None:
            port = max(self.allocated, default=32768) + 1
        else:
            port = self.rng.choice(_FreePorts(*NODE_PORT_RANGE,
                                              self.taken.union(self.allocated)))
        self.allocated.append(port)
        return port


def _takes_node_ports(spec: Mapping[str, Any]) -> bool:
    """Whether a Service's ports get node ports they do not ask for
    (``shouldAllocateNodePorts`` in ``pkg/registry/core/service/storage/alloc.go``): a
    NodePort's, and a LoadBalancer's unless ``allocateLoadBalancerNodePorts`` is false."""
    return spec.get("type") == "NodePort" or (
        spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True))


def _node_port_refused(svc: Mapping[str, Any], index: int, port: int, reason: str
                       ) -> ValueError:
    """The API server's answer to a node port its allocator refuses: the Service is invalid
    at ``spec.ports[i].nodePort`` (``initNodePorts`` and ``updateNodePorts`` in
    ``alloc.go``: ``field.Invalid`` with the allocator's error)."""
    return ValueError(f'Service "{svc["metadata"]["name"]}" is invalid: '
                      f"spec.ports[{index}].nodePort: {invalid(port, reason)}")


class InternalError(ValueError):
    """A failure the API server answers as ``errors.NewInternalError`` (500, ``Internal
    error occurred: ...``) rather than as an invalid object: a health check node port it
    cannot allocate."""


def _needs_health_check(spec: Mapping[str, Any]) -> bool:
    """Whether a Service gets a health check node port (``NeedsHealthCheck`` in
    kubernetes/kubernetes ``pkg/api/service/util.go``): a LoadBalancer whose
    ``externalTrafficPolicy`` is ``Local``, which the cloud load balancer asks on each node
    whether it has a ready endpoint."""
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


_HEALTH_CHECK_ONLY = ("may only be set when `type` is 'LoadBalancer' and "
                      "`externalTrafficPolicy` is 'Local'")


def health_check_refusal(svc: Mapping[str, Any], old_spec: Mapping[str, Any] | None = None
                         ) -> ValueError | None:
    """The API server's 422 for a Service's ``healthCheckNodePort`` once its allocators ran
    (they run first: the registry's ``BeginCreate``/``BeginUpdate`` before the strategy's
    validation), else ``None``. kubernetes/kubernetes ``pkg/apis/core/validation/
    validation.go``: ``validateServiceExternalTrafficPolicy`` refuses one set on a Service
    that needs none (:func:`_needs_health_check`) and one outside 1-65535
    (``IsValidPortNum``; only a dry run gets that far, as the allocator's range refuses it
    first otherwise), and on an update ``validateServiceExternalTrafficFieldsUpdate``
    refuses a change while the stored and the new Service both need one (an update that
    leaves it out keeps the stored one: :func:`keep_allocated`)."""
    spec = svc.get("spec") or {}
    port = spec.get("healthCheckNodePort") or 0
    errors = []
    if not _needs_health_check(spec):
        if port:
            errors.append(invalid(port, _HEALTH_CHECK_ONLY))
    elif port and not 1 <= port <= 65535:
        errors.append(invalid(port, "must be between 1 and 65535, inclusive"))
    if old_spec is not None and _needs_health_check(old_spec) and _needs_health_check(spec) \
            and port != (old_spec.get("healthCheckNodePort") or 0):
        errors.append("Forbidden: field is immutable")
    if not errors:
        return None
    return ValueError(f'Service "{svc["metadata"]["name"]}" is invalid: '
                      + aggregate(f"spec.healthCheckNodePort: {error}" for error in errors))


def _alloc_health_check_node_port(svc: dict[str, Any], op: _NodePortOperation) -> None:
    """``allocHealthCheckNodePort`` (``pkg/registry/core/service/storage/alloc.go``), in
    place: the ``healthCheckNodePort`` asked for is taken from ``op`` like a node port, one
    not asked for (0 or left out) is the next free one; a refusal is an internal error."""
    spec = svc["spec"]
    wanted = spec.get("healthCheckNodePort")
    if not wanted:
        spec["healthCheckNodePort"] = op.allocate_next()
        return
    refusal = op.allocate(wanted)
    if refusal:
        raise InternalError(f"failed to allocate requested HealthCheck NodePort {wanted}: "
                            f"{refusal}")


def _init_node_ports(svc: dict[str, Any], op: _NodePortOperation) -> None:
    """A new Service's node ports, in place, as ``initNodePorts`` (``alloc.go``) gives them:
    for each port in order (those without one only if :func:`_takes_node_ports`), the node
    port asked for by it or by a later port of the same number, else one from ``op``; a
    port whose number an earlier port had shares that one's node port unless it asks for
    another (TCP and UDP of one number, such as DNS's 53, share one)."""
    spec = svc["spec"]
    ports = spec.get("ports") or []
    given: dict[Any, int] = {}
    for index, port in enumerate(ports):
        wanted = port.get("nodePort")
        if not wanted and not _takes_node_ports(spec):
            continue
        shared = given.get(port.get("port"))
        if shared is None:
            wanted = next((p["nodePort"] for p in ports[index:] if p.get("nodePort")
                           and p.get("port") == port.get("port")), None)
            if wanted is None:
                port["nodePort"] = op.allocate_next()
            else:
                refusal = op.allocate(wanted)
                if refusal:
                    raise _node_port_refused(svc, index, wanted, refusal)
                port["nodePort"] = wanted
            given[port.get("port")] = port["nodePort"]
        elif not wanted:
            port["nodePort"] = shared
        elif wanted != shared:
            refusal = op.allocate(wanted)
            if refusal:
                raise _node_port_refused(svc, index, wanted, refusal)


def apiserver_service() -> dict[str, Any]:
    """The ``kubernetes`` Service in ``default`` through which Pods reach the API server, which
    every cluster has without anyone creating it: the API server's own controller makes it,
    and makes it again when it is deleted (``pkg/controlplane/controller/kubernetesservice``):
    ClusterIP :data:`API_SERVICE_IP`, port 443/TCP named ``https`` to the secure port
    (:data:`API_SECURE_PORT`), labels ``component: apiserver`` and ``provider: kubernetes``,
    no selector (its endpoints, the API servers' addresses, are kept by their endpoint
    reconciler; the served API lists them, ``clustersim.serve.kuberender``). Created at the
    cluster's start (simulated second 0). The fields its controller writes
    (``CreateOrUpdateMasterServiceIfNeeded``); the API server's defaults are added as any
    Service's (:func:`~clustersim.kubernetes.defaults.set_defaults`). A new dict each call."""
    address = str(API_SERVICE_IP)
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"},
                         "uid": "6b756265-0000-4000-8000-000000000000",
                         "creationTimestamp": 0.0},
            "spec": {"type": "ClusterIP", "clusterIP": address,
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                "targetPort": API_SECURE_PORT}],
                     "sessionAffinity": "None"}}


def endpoint_ports(svc: Mapping[str, Any], pod: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ports of ``svc`` as the EndpointSlice of ``pod`` lists them (``getEndpointPorts``,
    kubernetes/kubernetes ``staging/src/k8s.io/endpointslice/utils.go``): each Service port
    whose ``targetPort`` the pod resolves, a number as it is, a name to the first
    ``containerPort`` of that name and protocol among its containers, then its sidecars
    (``FindPort``, ``pkg/api/v1/pod/util.go``, which
    :func:`~clustersim.kubernetes.objects.container_port` follows); a port the pod does not
    resolve is left out (the controller logs "Failed to find port for service")."""
    spec = pod.get("spec") or {}
    containers = [*(spec.get("containers") or []),
                  *(c for c in spec.get("initContainers") or [] if is_sidecar(c))]
    out = []
    for port in (svc.get("spec") or {}).get("ports") or []:
        protocol = port.get("protocol", "TCP")
        number = container_port(containers, port.get("targetPort", port.get("port")), protocol)
        if number is not None:
            out.append({"name": port.get("name", ""), "port": number, "protocol": protocol,
                        **({"appProtocol": port["appProtocol"]} if "appProtocol" in port
                           else {})})
    return out


class Services:
    """Allocates Service addresses and keeps each Service's endpoints and kube-proxy's view."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster
        self._ips = {API_SERVICE_IP}          # the kubernetes Service's (apiserver_service)
        self._node_ports: set[int] = set()
        self._lb_ips: set[str] = set()
        self._history: dict[str, ProxyHistory] = {}
        self._nodes: dict[str, list[tuple[float, bool]]] = {}

    # ---- allocation ----------------------------------------------------------------------

    def admit(self, svc: dict[str, Any], held: frozenset[int] = frozenset()) -> None:
        """Default and allocate a new Service (type, cluster IP, node ports, LB address),
        then refuse what :func:`health_check_refusal` refuses, freeing what it took;
        ``held``: the node ports an update keeps (:class:`_NodePortOperation`). A node port
        or health check node port that cannot be allocated frees the cluster IP taken
        before it (``metaTransaction.Revert`` in kubernetes/kubernetes
        ``pkg/registry/core/service/storage/alloc.go``): it had stayed taken, and an update
        refused so had been answered 422 "provided IP is already allocated" for the
        Service's own address, where upstream answers the allocator's 500."""
        name = svc["metadata"]["name"]
        spec = svc.setdefault("spec", {})
        set_service_defaults(spec)
        kind = spec["type"]
        if kind not in _TYPES:
            raise ValueError(f"Service {name!r}: spec.type {kind!r} must be one of {_TYPES}")
        rng = self.cluster.rng
        taken = None
        if kind != "ExternalName" and spec.get("clusterIP") not in ("None",):
            wanted = spec.get("clusterIP")
            if wanted:
                address = _allocatable(svc, wanted)
                if address in self._ips:
                    raise _allocation_error(svc, wanted, "provided IP is already allocated")
            else:
                size = SERVICE_CIDR.num_addresses
                while True:
                    address = SERVICE_CIDR.network_address + rng.randrange(2, size - 1)
                    if address not in self._ips:
                        break
            self._ips.add(address)
            spec["clusterIP"], taken = str(address), address
        if kind in ("NodePort", "LoadBalancer"):
            ports = _NodePortOperation(self._node_ports, rng, held)
            try:
                _init_node_ports(svc, ports)
                if _needs_health_check(spec):
                    _alloc_health_check_node_port(svc, ports)
            except ValueError:      # the allocators' transaction reverts the cluster IP
                if taken is not None:
                    self._ips.discard(taken)
                raise
            self._node_ports.update(ports.allocated)
        if kind == "LoadBalancer":
            external = next(str(ip) for ip in LB_POOL.hosts() if str(ip) not in self._lb_ips)
            self._lb_ips.add(external)
            svc.setdefault("status", {})["loadBalancer"] = {"ingress": [{"ip": external}]}
        refusal = health_check_refusal(svc)
        if refusal is not None:
            self.release(svc, deleted=False)
            raise refusal

    def admit_dry_run(self, svc: dict[str, Any]) -> None:
        """Default a Service a dry-run create would make and answer the cluster IP the
        allocators' dry run gives (``DryRun()`` in kubernetes/kubernetes
        ``pkg/registry/core/service/ipallocator/ipallocator.go`` and ``bitmap.go``): one not
        asked for is the service range's own address, 10.96.0.0 (``allocateNextService``
        with ``dryRun`` does not look for a free one), and nothing is reserved; one asked for
        is only checked to lie in the range (:func:`_allocatable`). A NodePort's or a
        LoadBalancer's node ports are the dry-run operation's (:class:`_NodePortOperation`:
        32769, 32770, ... for those not asked for; one asked for is refused only if taken),
        none reserved either, and so is a health check node port
        (:func:`_alloc_health_check_node_port`). Simplified: a load-balancer address is left
        out (the simulated cloud provider gives one to a stored Service only)."""
        spec = svc.setdefault("spec", {})
        set_service_defaults(spec)
        if spec.get("type") == "ExternalName":
            return
        if spec.get("clusterIP") != "None":
            wanted = spec.get("clusterIP")
            if wanted:
                _allocatable(svc, wanted)
            spec["clusterIP"] = wanted or str(SERVICE_CIDR.network_address)
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            op = _NodePortOperation(self._node_ports, None)
            _init_node_ports(svc, op)
            if _needs_health_check(spec):
                _alloc_health_check_node_port(svc, op)
        refusal = health_check_refusal(svc)
        if refusal is not None:
            raise refusal

    def dry_run_update(self, svc: dict[str, Any], spec: dict[str, Any]) -> None:
        """The node ports a dry-run update of Service ``svc`` (as stored) to ``spec`` gives,
        in place, reserving none: as ``updateNodePorts`` (``alloc.go``) walks the new ports,
        one that keeps a node port of the stored Service (:func:`keep_allocated`) or asks
        for one already asked for is left as it is, another asked for must not be taken,
        and one without gets the dry-run dummy (:class:`_NodePortOperation`), so a
        ClusterIP Service made a NodePort one shows 32769; one that comes to need a health
        check node port gets one so too (``updateHealthCheckNodePort``); then
        :func:`health_check_refusal`."""
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            self._dry_run_node_ports(svc, spec)
        refusal = health_check_refusal({**svc, "spec": spec}, svc.get("spec") or {})
        if refusal is not None:
            raise refusal

    def _dry_run_node_ports(self, svc: dict[str, Any], spec: dict[str, Any]) -> None:
        """:meth:`dry_run_update`'s node ports of a NodePort or LoadBalancer ``spec``."""
        kept = {p.get("nodePort") for p in (svc.get("spec") or {}).get("ports") or []}
        op = _NodePortOperation(self._node_ports, None)
        for index, port in enumerate(spec.get("ports") or []):
            wanted = port.get("nodePort")
            if not wanted and _takes_node_ports(spec):
                port["nodePort"] = op.allocate_next()
            elif wanted and wanted not in kept and wanted not in op.allocated:
                refusal = op.allocate(wanted)
                if refusal:
                    raise _node_port_refused({**svc, "spec": spec}, index, wanted, refusal)
        if _needs_health_check(spec) and not _needs_health_check(svc.get("spec") or {}):
            _alloc_health_check_node_port({**svc, "spec": spec}, op)

    def release(self, svc: dict[str, Any], *, deleted: bool = True) -> None:
        """Free the Service's cluster IP and node ports (and, when it is deleted, forget its
        endpoints)."""
        spec = svc.get("spec") or {}
        if spec.get("clusterIP") not in (None, "None"):
            self._ips.discard(parse_ip(spec["clusterIP"]))
        for port in spec.get("ports") or []:
            self._node_ports.discard(port.get("nodePort"))
        if _needs_health_check(spec):
            self._node_ports.discard(spec.get("healthCheckNodePort"))
        for ingress in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
            self._lb_ips.discard(ingress.get("ip"))
        if deleted:
            self._history.pop(svc["metadata"]["uid"], None)

    def update(self, svc: dict[str, Any], spec: dict[str, Any]) -> None:
        """Apply a new spec to a Service, keeping its cluster IP (immutable upstream) and the
        node ports of ports that stay, held for it while the new ones are drawn (the health
        check node port had been freed first and could be drawn for a new port, a false
        "already allocated" 500); refused changes leave the Service as it was."""
        old_spec = svc.get("spec") or {}
        keep_allocated(old_spec, spec)
        candidate = {**svc, "spec": spec, "status": {}}
        held = frozenset(p["nodePort"] for p in old_spec.get("ports") or []
                         if p.get("nodePort"))
        if _needs_health_check(old_spec) and _needs_health_check(spec):
            # updateHealthCheckNodePort allocates nothing here: validation decides at once
            refusal = health_check_refusal(candidate, old_spec)
            if refusal is not None:
                raise refusal
            held |= {old_spec.get("healthCheckNodePort") or 0}
        self.release(svc, deleted=False)
        try:
            self.admit(candidate, held)
        except ValueError:
            self.admit(svc)
            raise
        svc["spec"], svc["status"] = candidate["spec"], candidate["status"]

    # ---- endpoints -----------------------------------------------------------------------

    def endpoint_slice(self, svc: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
        """The Service's endpoints as its EndpointSlices list them, sorted by pod name: one
        ``{"pod", "uid", "nodeName", "addresses", "conditions": {"ready", "serving",
        "terminating"}, "ports"}`` per selected pod that has an IP and has not finished,
        terminating ones included (``ShouldPodBeInEndpoints(pod, true)`` in the reconciler,
        ``staging/src/k8s.io/endpointslice/reconciler.go``), with the conditions of
        ``podToEndpoint`` and the ports of :func:`endpoint_ports` (see the module docstring).
        The one source of the served EndpointSlices and Endpoints
        (:mod:`clustersim.serve.kubederived`) and of what kube-proxy routes to
        (:meth:`endpoints`). An ExternalName Service has none, selector or not
        (:func:`_gets_endpoints`)."""
        spec = svc.get("spec") or {}
        selector = spec.get("selector")
        if not _gets_endpoints(spec):
            return ()
        publish_all = bool(spec.get("publishNotReadyAddresses"))
        found = []
        for pod in self.cluster.objects("Pod", svc["metadata"]["namespace"]):
            status = pod.get("status") or {}
            if not status.get("podIP") or status.get("phase") in ("Succeeded", "Failed"):
                continue
            if not selector_matches(selector, labels_of(pod)):
                continue
            serving, terminating = is_ready(pod), is_terminating(pod)
            found.append({"pod": pod["metadata"]["name"], "uid": pod["metadata"]["uid"],
                          "nodeName": pod["spec"]["nodeName"], "addresses": [status["podIP"]],
                          "conditions": {"ready": publish_all or (serving and not terminating),
                                         "serving": serving, "terminating": terminating},
                          "ports": endpoint_ports(svc, pod)})
        return tuple(sorted(found, key=lambda e: e["pod"]))

    def endpoint_slices(self, svc: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The Service's EndpointSlices as ``{"ports", "endpoints"}``, the endpoints as
        :meth:`endpoint_slice` gives them: one group per set of ports its pods resolve (the
        reconciler's ``desiredEndpointsByPortMap``, keyed by ``NewPortMapKey``, in
        ``staging/src/k8s.io/endpointslice/reconciler.go``), each cut into slices of at most
        :data:`MAX_ENDPOINTS_PER_SLICE` in pod-name order, as ``reconcileByPortMapping``
        fills new slices; a Service that selects no pod has one placeholder slice without
        ports or endpoints (``placeholderSlice``), one without a selector none. Simplified:
        a real controller keeps its slices and fills the room left in them, so which pod is
        in which slice depends on their history; here the slices are made anew each time."""
        if not _gets_endpoints(svc.get("spec") or {}):
            return []
        groups: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
        for endpoint in self.endpoint_slice(svc):
            ports = endpoint["ports"]
            groups.setdefault(repr(ports), (ports, []))[1].append(endpoint)
        return [{"ports": ports, "endpoints": endpoints[start:start + MAX_ENDPOINTS_PER_SLICE]}
                for ports, endpoints in groups.values()
                for start in range(0, len(endpoints), MAX_ENDPOINTS_PER_SLICE)
                ] or [{"ports": [], "endpoints": []}]

    def proxy_endpoints(self, svc: Mapping[str, Any]) -> tuple[ProxyEndpoint, ...]:
        """Every endpoint of the Service's slices now, as kube-proxy keeps them, with their
        conditions and the ports each serves (:class:`ProxyEndpoint`)."""
        return tuple(ProxyEndpoint(e["uid"], e["pod"], e["nodeName"],
                                   tuple((p["name"], p["protocol"], p["port"])
                                         for p in e["ports"]),
                                   e["conditions"]["ready"], e["conditions"]["serving"],
                                   e["conditions"]["terminating"])
                     for e in self.endpoint_slice(svc))

    def endpoints(self, svc: Mapping[str, Any]) -> tuple[ProxyEndpoint, ...]:
        """The Service's ready endpoints now (:meth:`proxy_endpoints` whose ``ready`` is
        true)."""
        return tuple(e for e in self.proxy_endpoints(svc) if e.ready)

    def sync(self) -> None:
        """Record every Service's endpoints that kube-proxy can use when they change (the
        EndpointSlice controller; :class:`ProxyHistory`)."""
        now, timing = self.cluster.now, self.cluster.timing
        # the furthest back a request looks: the load balancer's health check, as kube-proxy
        # saw the endpoints then (_request)
        horizon = now - timing.lb_health_check_seconds - timing.endpoint_propagation_seconds
        for svc in self.cluster.objects("Service"):
            history = self._history.setdefault(svc["metadata"]["uid"], ProxyHistory())
            current = tuple(e for e in self.proxy_endpoints(svc)
                            if e.ready or (e.serving and e.terminating))
            if history.record(now, current, horizon):
                self.cluster.wake_at(now + timing.endpoint_propagation_seconds)

    def proxy_view(self, svc: Mapping[str, Any], time: float) -> tuple[ProxyEndpoint, ...]:
        """The endpoints kube-proxy knows at ``time`` (propagation delay applied) and can
        route to: the ready ones and the serving terminating ones (:func:`usable_endpoints`
        chooses among them per port and node)."""
        history = self._history.get(svc["metadata"]["uid"])
        if history is None:
            return ()
        return history.at(time - self.cluster.timing.endpoint_propagation_seconds)

    # ---- traffic -------------------------------------------------------------------------

    def node_changed(self, name: str, up: bool) -> None:
        """Remember when a node went down or came back (for load-balancer health checks)."""
        self._nodes.setdefault(name, []).append((self.cluster.now, up))

    def _node_up(self, name: str, time: float) -> bool:
        history = self._nodes.get(name, [])
        index = bisect.bisect_right([t for t, _ in history], time) - 1
        return index >= 0 and history[index][1]

    def stream(self, service: str, namespace: str, rate: float, start: float,
               stop: float | None, entry: str | None = None,
               port: int | str | None = None, from_node: str | None = None) -> RequestStream:
        """Start a request stream (see :meth:`KubernetesCluster.request_stream`)."""
        svc = self.cluster.get("Service", namespace, service)
        if svc is None:
            raise ValueError(f"Service {namespace}/{service} not found: apply it first")
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            raise ValueError(f"Service {namespace}/{service} is an ExternalName Service: DNS "
                             f"answers with {spec.get('externalName')!r}, kube-proxy routes "
                             "nothing")
        if spec.get("clusterIP") == "None":
            raise ValueError(f"Service {namespace}/{service} is headless (clusterIP: None): "
                             "clients resolve pod addresses by DNS, kube-proxy does not route it")
        if entry == "load-balancer" and spec.get("type") != "LoadBalancer":
            raise ValueError(f"Service {namespace}/{service} is of type {spec.get('type')}, "
                             "not LoadBalancer: it has no external load balancer")
        if entry not in (None, "load-balancer"):
            if spec.get("type") not in ("NodePort", "LoadBalancer"):
                raise ValueError(f"Service {namespace}/{service} is of type "
                                 f"{spec.get('type')}: only NodePort and LoadBalancer "
                                 "Services open a port on the nodes")
            self.cluster.node(entry)
        if from_node is not None:
            if entry is not None:
                raise ValueError(f"from_node ({from_node!r}) is the node of a client Pod "
                                 "inside the cluster, which connects to the cluster IP; "
                                 f"entry ({entry!r}) is for clients outside it: give one")
            self.cluster.node(from_node)
        elif entry is None and spec.get("internalTrafficPolicy") == "Local":
            raise ValueError(f"Service {namespace}/{service} has internalTrafficPolicy: Local: "
                             "kube-proxy sends a Pod's requests only to endpoints on the "
                             "Pod's own node; give from_node, the node the client Pod runs "
                             "on")
        target = PortView(*_service_port(svc, port))
        rate = check_rate(rate)
        if stop is not None and stop <= start:
            raise ValueError(f"stop ({stop}) must be after start ({start})")
        stream = RequestStream(service, namespace, float(rate), float(start),
                               None if stop is None else float(stop))
        rng = random.Random(self.cluster.rng.getrandbits(64))
        env = self.cluster.clock.env

        def run():
            yield env.timeout(max(0.0, start - env.now))
            while True:
                yield env.timeout(rng.expovariate(rate))
                if stop is not None and env.now >= stop:
                    return
                stream.records.append(self._request(svc, target, entry, env.now, rng,
                                                    from_node))

        env.process(run())
        return stream

    def _request(self, svc: Mapping[str, Any], port: PortView, entry: str | None,
                 now: float, rng: random.Random, from_node: str | None = None
                 ) -> tuple[float, bool, str | None]:
        """One request to a Service port: from outside through ``entry`` (a NodePort's node
        or ``"load-balancer"``) under the Service's ``externalTrafficPolicy``, else from a
        client Pod on ``from_node`` (None: not given) to the cluster IP under its
        ``internalTrafficPolicy`` (``ServiceSpec``, ``pkg/apis/core/types.go``). Pick the load
        balancer's node, then one of the usable endpoints (:func:`usable_endpoints`) as
        kube-proxy on that node sees them among those whose slice lists ``port``, the node's
        own alone under a ``Local`` policy (none there: the request is dropped, kube-proxy's
        ``"has no local endpoints"`` rule in ``pkg/proxy/iptables/proxier.go``); it is served
        if that pod's container is up. The load balancer's health check counts a node's ready
        endpoints whatever their ports, as kube-proxy's ``LocalReadyEndpoints`` does
        (``pkg/proxy/endpoints.go``)."""
        known = self.proxy_view(svc, now)
        spec = svc.get("spec") or {}
        node = entry or from_node
        local = spec.get("externalTrafficPolicy" if entry
                         else "internalTrafficPolicy") == "Local"
        if entry == "load-balancer":
            seen = now - self.cluster.timing.lb_health_check_seconds
            seen_view = self.proxy_view(svc, seen)
            healthy = [n for n in sorted(self._nodes) if self._node_up(n, seen)
                       and (not local or any(e.node == n and e.ready for e in seen_view))]
            if not healthy:
                return (now, False, None)
            node = healthy[rng.randrange(len(healthy))]
        if node is not None and not self._node_up(node, now):
            return (now, False, None)              # the node (and its kube-proxy) is down
        view = port.usable(known, node if node is not None and local else None)
        if not view:
            return (now, False, None)
        chosen = view[rng.randrange(len(view))]
        return (now, chosen.uid in self.cluster.kubelet.serving, chosen.pod)


def _gets_endpoints(spec: Mapping[str, Any]) -> bool:
    """Whether the EndpointSlice and Endpoints controllers write endpoints for a Service of
    this ``spec``: one with a selector, unless it is of type ExternalName, which they skip
    whatever its selector (``syncService`` in kubernetes/kubernetes
    ``pkg/controller/endpointslice/endpointslice_controller.go`` and
    ``pkg/controller/endpoint/endpoints_controller.go``, since kubernetes/kubernetes#114814:
    DNS answers such a Service with a CNAME, so a list of Pods would only mislead). So no
    slice, not even a placeholder, and no Endpoints object: ``GET endpoints/<name>`` is 404.
    Simplified: a Service changed to ExternalName keeps the slices and Endpoints written
    while it had another type (the controllers return before they touch them) until it is
    deleted; here they go at once."""
    return bool(spec.get("selector")) and spec.get("type") != "ExternalName"


def _service_port(svc: Mapping[str, Any], port: int | str | None) -> tuple[str, str]:
    """The name and protocol of the port of ``svc`` a client connects to: the one whose
    ``port`` number or ``name`` is ``port``, the first listed when None (a Service that
    kube-proxy routes has at least one)."""
    ports = (svc.get("spec") or {}).get("ports") or []
    found = next((p for p in ports if port is None or (
        p.get("port") == port if isinstance(port, int) and not isinstance(port, bool)
        else p.get("name") == port)), None)
    if found is None:
        listed = ", ".join(f"{p.get('port')}/{p.get('protocol', 'TCP')}"
                           + (f" ({p['name']})" if p.get("name") else "") for p in ports)
        meta = svc["metadata"]
        raise ValueError(f"Service {meta['namespace']}/{meta['name']} has no port {port!r}: "
                         f"give one of its ports by number or name: {listed or 'none'}")
    return found.get("name", ""), found.get("protocol", "TCP")


def keep_allocated(old_spec: Mapping[str, Any], spec: dict[str, Any]) -> None:
    """What an update of a Service keeps of the stored ``old_spec`` when the new ``spec``
    leaves it out, in place: its cluster IP, the node port of each port that stays (by
    position) while the type still has node ports, and its health check node port while
    both need one (``patchAllocatedValues`` in ``pkg/registry/core/service/storage/
    storage.go``); one no longer needed is dropped unless changed (``dropTypeDependentFields``
    there), to be released."""
    if old_spec.get("clusterIP") and "clusterIP" not in spec:
        spec["clusterIP"] = old_spec["clusterIP"]
    for port, old in zip(spec.get("ports") or [], old_spec.get("ports") or [], strict=False):
        if "nodePort" in old and spec.get("type") in ("NodePort", "LoadBalancer"):
            port.setdefault("nodePort", old["nodePort"])
    if _needs_health_check(old_spec):
        kept = old_spec.get("healthCheckNodePort")
        if _needs_health_check(spec) and not spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = kept
        elif not _needs_health_check(spec) and spec.get("healthCheckNodePort") in (0, kept):
            spec.pop("healthCheckNodePort", None)
