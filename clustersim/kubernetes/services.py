"""Services: virtual IPs, endpoints from selectors and readiness, and what requests see.

Upstream: the Service API and its allocators (kubernetes/kubernetes
``pkg/registry/core/service/ipallocator``, ``portallocator``: a free address or node port
picked at random), the EndpointSlice controller (``pkg/controller/endpointslice``; the rules
in ``staging/src/k8s.io/endpointslice``: ``util.ShouldPodBeInEndpoints`` lists every pod in the
Service's namespace that matches its selector, has an IP and has not finished, terminating ones
included, and ``utils.go`` ``podToEndpoint`` gives each the conditions ``serving`` (the pod is
Ready), ``terminating`` (it is being deleted) and ``ready`` (serving and not terminating, or
``publishNotReadyAddresses``), so a pod is listed *before* it is ready, with ``ready: false``;
see :meth:`Services.endpoint_slice`) and kube-proxy's iptables mode, which routes to the ready
endpoints only and picks one at
random per connection (``pkg/proxy/iptables/proxier.go``, ``--probability`` rules). Docs:
https://kubernetes.io/docs/concepts/services-networking/service/

- ``ClusterIP`` (default) gets an address from 10.96.0.0/12 (10.96.0.1, the first, is the
  ``kubernetes`` Service of the API server itself: :func:`apiserver_service`);
  ``clusterIP: None`` makes a headless Service (no proxying).
- ``NodePort`` and ``LoadBalancer`` also get a node port from 30000–32767 on every node;
  ``LoadBalancer`` gets an external address at once (the simulated cloud provider answers
  instantly; a real one takes seconds to minutes, and without one it stays ``<pending>``).
- kube-proxy sees endpoint changes ``endpoint_propagation_seconds`` late. A request goes to a
  random endpoint of that (possibly stale) view and fails when the chosen pod no longer
  serves (its node is down, or its container stopped) or when there is no endpoint.
- Clients outside the cluster come in through a node: a NodePort client through the node it
  addresses (nothing answers while that node is down); a LoadBalancer client through a node
  the cloud load balancer picks among those its health checks pass, which notice a failed
  node ``lb_health_check_seconds`` late. With ``externalTrafficPolicy: Cluster`` (default) the
  node forwards to any endpoint; with ``Local`` only to endpoints on itself (keeping the
  client's address), and the load balancer's health check skips nodes without one.

Simplified: session affinity, topology-aware routing, ``internalTrafficPolicy`` and per-port
target resolution are not modelled; a request is one connection.
"""

from __future__ import annotations

import bisect
import ipaddress
import random
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from clustersim.kubernetes.objects import is_ready, is_terminating, labels_of, selector_matches
from clustersim.limits import check_rate
from clustersim.sim.requests import RequestStream

if TYPE_CHECKING:
    from clustersim.kubernetes.cluster import KubernetesCluster

__all__ = ["RequestStream", "Services", "apiserver_service", "keep_allocated",
           "set_service_defaults"]

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)
API_SERVICE_IP = SERVICE_CIDR.network_address + 1
"""The ``kubernetes`` Service's address: the first of the range, as the API server takes it
(``ServiceIPRange`` in ``pkg/controlplane/services.go``: index 1 of the service CIDR)."""
API_SECURE_PORT = 6443
"""The API server's ``--secure-port`` as kubeadm (and kind, minikube) set it."""
LB_POOL = ipaddress.ip_network("203.0.113.0/24")
"""External addresses of the simulated cloud load balancer (TEST-NET-3, RFC 5737)."""
_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")


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


def apiserver_service() -> dict[str, Any]:
    """The ``kubernetes`` Service in ``default`` through which Pods reach the API server, which
    every cluster has without anyone creating it: the API server's own controller makes it,
    and makes it again when it is deleted (``pkg/controlplane/controller/kubernetesservice``):
    ClusterIP :data:`API_SERVICE_IP`, port 443/TCP named ``https`` to the secure port
    (:data:`API_SECURE_PORT`), labels ``component: apiserver`` and ``provider: kubernetes``,
    no selector (its endpoints, the API servers' addresses, are kept by their endpoint
    reconciler; the served API lists them, ``clustersim.serve.kuberender``). Created at the
    cluster's start (simulated second 0). A new dict each call."""
    address = str(API_SERVICE_IP)
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"},
                         "uid": "6b756265-0000-4000-8000-000000000000",
                         "creationTimestamp": 0.0},
            "spec": {"type": "ClusterIP", "clusterIP": address, "clusterIPs": [address],
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                "targetPort": API_SECURE_PORT}],
                     "sessionAffinity": "None", "ipFamilies": ["IPv4"],
                     "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"},
            "status": {"loadBalancer": {}}}


class Services:
    """Allocates Service addresses and keeps each Service's endpoints and kube-proxy's view."""

    def __init__(self, cluster: KubernetesCluster) -> None:
        self.cluster = cluster
        self._ips = {API_SERVICE_IP}          # the kubernetes Service's (apiserver_service)
        self._node_ports: set[int] = set()
        self._lb_ips: set[str] = set()
        self._history: dict[str, list[tuple[float, tuple[tuple[str, str, str], ...]]]] = {}
        self._nodes: dict[str, list[tuple[float, bool]]] = {}

    # ---- allocation ----------------------------------------------------------------------

    def admit(self, svc: dict[str, Any]) -> None:
        """Default and allocate a new Service (type, cluster IP, node ports, LB address)."""
        name = svc["metadata"]["name"]
        spec = svc.setdefault("spec", {})
        set_service_defaults(spec)
        kind = spec["type"]
        if kind not in _TYPES:
            raise ValueError(f"Service {name!r}: spec.type {kind!r} must be one of {_TYPES}")
        rng = self.cluster.rng
        if kind != "ExternalName" and spec.get("clusterIP") not in ("None",):
            wanted = spec.get("clusterIP")
            if wanted:
                address = ipaddress.ip_address(wanted)
                if address in self._ips or address not in SERVICE_CIDR:
                    raise ValueError(f"Service {name!r}: clusterIP {wanted} is already "
                                     f"allocated or outside {SERVICE_CIDR}")
            else:
                size = SERVICE_CIDR.num_addresses
                while True:
                    address = SERVICE_CIDR.network_address + rng.randrange(2, size - 1)
                    if address not in self._ips:
                        break
            self._ips.add(address)
            spec["clusterIP"] = str(address)
        for port in spec.get("ports") or []:
            if kind in ("NodePort", "LoadBalancer"):
                wanted = port.get("nodePort")
                if wanted:
                    if wanted in self._node_ports or not (
                            NODE_PORT_RANGE[0] <= wanted <= NODE_PORT_RANGE[1]):
                        raise ValueError(f"Service {name!r}: nodePort {wanted} is already "
                                         f"allocated or outside {NODE_PORT_RANGE[0]}-"
                                         f"{NODE_PORT_RANGE[1]}")
                else:
                    wanted = rng.choice(_FreePorts(*NODE_PORT_RANGE, self._node_ports))
                port["nodePort"] = wanted
                self._node_ports.add(wanted)
        if kind == "LoadBalancer":
            address = next(str(ip) for ip in LB_POOL.hosts() if str(ip) not in self._lb_ips)
            self._lb_ips.add(address)
            svc.setdefault("status", {})["loadBalancer"] = {"ingress": [{"ip": address}]}

    def release(self, svc: dict[str, Any], *, deleted: bool = True) -> None:
        """Free the Service's cluster IP and node ports (and, when it is deleted, forget its
        endpoints)."""
        spec = svc.get("spec") or {}
        if spec.get("clusterIP") not in (None, "None"):
            self._ips.discard(ipaddress.ip_address(spec["clusterIP"]))
        for port in spec.get("ports") or []:
            self._node_ports.discard(port.get("nodePort"))
        for ingress in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
            self._lb_ips.discard(ingress.get("ip"))
        if deleted:
            self._history.pop(svc["metadata"]["uid"], None)

    def update(self, svc: dict[str, Any], spec: dict[str, Any]) -> None:
        """Apply a new spec to a Service, keeping its cluster IP (immutable upstream) and the
        node ports of ports that stay; refused changes leave the Service as it was."""
        keep_allocated(svc.get("spec") or {}, spec)
        candidate = {**svc, "spec": spec, "status": {}}
        self.release(svc, deleted=False)
        try:
            self.admit(candidate)
        except ValueError:
            self.admit(svc)
            raise
        svc["spec"], svc["status"] = candidate["spec"], candidate["status"]

    # ---- endpoints -----------------------------------------------------------------------

    def endpoint_slice(self, svc: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
        """The Service's endpoints as its EndpointSlices list them, sorted by pod name: one
        ``{"pod", "uid", "nodeName", "conditions": {"ready", "serving", "terminating"}}`` per
        selected pod that has an IP and has not finished (see the module docstring)."""
        spec = svc.get("spec") or {}
        selector = spec.get("selector")
        if not selector:
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
                          "nodeName": pod["spec"]["nodeName"],
                          "conditions": {"ready": publish_all or (serving and not terminating),
                                         "serving": serving, "terminating": terminating}})
        return tuple(sorted(found, key=lambda e: e["pod"]))

    def endpoints(self, svc: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
        """The Service's ready endpoints now, the ones kube-proxy routes to:
        ``(pod uid, pod name, node)``."""
        return tuple((e["uid"], e["pod"], e["nodeName"]) for e in self.endpoint_slice(svc)
                     if e["conditions"]["ready"])

    def sync(self) -> None:
        """Record every Service's endpoints when they change (the EndpointSlice controller)."""
        now = self.cluster.now
        for svc in self.cluster.objects("Service"):
            history = self._history.setdefault(svc["metadata"]["uid"], [(-1.0, ())])
            current = self.endpoints(svc)
            if history[-1][1] != current:
                if history[-1][0] == now:
                    history[-1] = (now, current)
                else:
                    history.append((now, current))
                self.cluster.wake_at(now + self.cluster.timing.endpoint_propagation_seconds)

    def proxy_view(self, svc: Mapping[str, Any],
                   time: float) -> tuple[tuple[str, str, str], ...]:
        """The endpoints kube-proxy routes to at ``time`` (propagation delay applied)."""
        history = self._history.get(svc["metadata"]["uid"], [(-1.0, ())])
        seen = time - self.cluster.timing.endpoint_propagation_seconds
        index = bisect.bisect_right([t for t, _ in history], seen) - 1
        return history[max(index, 0)][1]

    # ---- traffic -------------------------------------------------------------------------

    def node_changed(self, name: str, up: bool) -> None:
        """Remember when a node went down or came back (for load-balancer health checks)."""
        self._nodes.setdefault(name, []).append((self.cluster.now, up))

    def _node_up(self, name: str, time: float) -> bool:
        history = self._nodes.get(name, [])
        index = bisect.bisect_right([t for t, _ in history], time) - 1
        return index >= 0 and history[index][1]

    def stream(self, service: str, namespace: str, rate: float, start: float,
               stop: float | None, entry: str | None = None) -> RequestStream:
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
                stream.records.append(self._request(svc, entry, env.now, rng))

        env.process(run())
        return stream

    def _request(self, svc: Mapping[str, Any], entry: str | None, now: float,
                 rng: random.Random) -> tuple[float, bool, str | None]:
        """One request: pick the entry node (if any), then an endpoint as kube-proxy there
        sees them; it is served if that pod's container is up."""
        view = self.proxy_view(svc, now)
        local = (svc.get("spec") or {}).get("externalTrafficPolicy") == "Local"
        node = entry
        if entry == "load-balancer":
            seen = now - self.cluster.timing.lb_health_check_seconds
            seen_view = self.proxy_view(svc, seen)
            healthy = [n for n in sorted(self._nodes) if self._node_up(n, seen)
                       and (not local or any(e[2] == n for e in seen_view))]
            if not healthy:
                return (now, False, None)
            node = healthy[rng.randrange(len(healthy))]
        if node is not None:
            if not self._node_up(node, now):
                return (now, False, None)          # the node (and its kube-proxy) is down
            if local:
                view = tuple(e for e in view if e[2] == node)
        if not view:
            return (now, False, None)
        uid, name, _ = view[rng.randrange(len(view))]
        return (now, uid in self.cluster.kubelet.serving, name)


def set_service_defaults(spec: dict[str, Any]) -> None:
    """The defaults of a Service's spec, in place (``SetDefaults_Service``,
    ``pkg/apis/core/v1/defaults.go``): type ``ClusterIP``, and each port's protocol ``TCP``
    and target port its port."""
    spec.setdefault("type", "ClusterIP")
    for port in spec.get("ports") or []:
        port.setdefault("protocol", "TCP")
        port.setdefault("targetPort", port.get("port"))


def keep_allocated(old_spec: Mapping[str, Any], spec: dict[str, Any]) -> None:
    """What an update of a Service keeps of the stored ``old_spec`` when the new ``spec``
    leaves it out, in place: its cluster IP, and the node port of each port that stays (by
    position) while the type still has node ports (``patchAllocatedValues`` in
    ``pkg/registry/core/service/storage/storage.go``)."""
    if old_spec.get("clusterIP") and "clusterIP" not in spec:
        spec["clusterIP"] = old_spec["clusterIP"]
    for port, old in zip(spec.get("ports") or [], old_spec.get("ports") or [], strict=False):
        if "nodePort" in old and spec.get("type") in ("NodePort", "LoadBalancer"):
            port.setdefault("nodePort", old["nodePort"])
