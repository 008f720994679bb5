"""NetworkPolicy: may this Pod open a connection to that one, on this port?

The semantics of the ``networking.k8s.io/v1`` API (kubernetes/api ``networking/v1/types.go``;
https://kubernetes.io/docs/concepts/services-networking/network-policies/), which every
network plugin that enforces policies implements:

- A Pod is **isolated for ingress** when some NetworkPolicy in its namespace selects it
  (``spec.podSelector``; an empty selector selects every Pod of the namespace) and lists
  ``Ingress`` in its ``policyTypes``; likewise for egress. ``policyTypes`` defaults to
  ``[Ingress]``, plus ``Egress`` when the policy has an ``egress`` section, so an egress-only
  or a deny-all-egress policy must list its types.
- A Pod that is not isolated in a direction lets everything through in that direction. An
  isolated Pod lets through what **at least one rule** of the policies that select it allows:
  policies are additive, with no deny rule and no order. A policy with no rules for a
  direction it isolates allows nothing there (a default deny).
- A connection from Pod A to Pod B needs both ends: A's egress and B's ingress. Replies on an
  allowed connection are always allowed.
- A rule matches when the peer matches one of its ``from`` (``to``) entries and the port one of
  its ``ports``; an empty or missing list matches everything. A peer with only
  ``podSelector`` means Pods of the policy's own namespace; with only ``namespaceSelector``,
  every Pod of the selected namespaces; with both, the selected Pods of the selected
  namespaces; ``ipBlock`` means the addresses in ``cidr`` outside every ``except``.
- A port entry matches its ``protocol`` (default TCP) and ``port``: a number, a number range up
  to ``endPort``, or a name, looked up among the destination Pod's container ports; no
  ``port`` means every port of that protocol.
- Traffic from the node a Pod runs on (the kubelet's probes) always reaches the Pod.

What the API server defaults and refuses before any decision is
:mod:`clustersim.kubernetes.networkpolicyadmission` (``check_policy``, ``set_defaults``; both
are imported here too).

Simplified: the API server only stores policies, the **network plugin** enforces them; one that
does not (flannel alone) lets everything through, which ``enforced=False`` shows. Connections
are Pod to Pod, from a node, or to and from an outside address; a connection to a Service is
judged after the Service's address is translated to a Pod's, as plugins do, so give the Pod.
Whether ``ipBlock`` also matches Pod addresses, and how ``hostNetwork`` Pods are treated,
differ between plugins: here an ``ipBlock`` matches outside addresses only.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.networkpolicyadmission import (
    PROTOCOLS,
    PolicyError,
    check_policy,
    policy_types,
    set_defaults,
)
from clustersim.kubernetes.scheduler.labels import label_selector_matches, namespace_labels
from clustersim.limits import MAX_REACHABILITY_CHECKS, check_count
from clustersim.manifests.kubernetes_ip import parse_cidr

__all__ = ["Endpoint", "PolicyError", "Reachability", "Verdict", "check_policy", "connection",
           "reachability", "set_defaults"]

_REPR_CHARS = 200


@dataclass(frozen=True)
class Endpoint:
    """One end of a connection: a Pod (namespace, name, labels, the node it runs on, its named
    container ports), a node, or an outside address."""

    kind: str                      # "Pod", "Node" or "IP"
    name: str
    namespace: str = ""
    labels: Mapping[str, str] | None = None
    node: str = ""
    named_ports: Mapping[tuple[str, str], int] | None = None   # (name, protocol) -> number

    def __str__(self) -> str:
        if self.kind == "Pod":
            return f"{self.namespace}/{self.name}"
        return f"node {self.name}" if self.kind == "Node" else self.name


@dataclass(frozen=True)
class Verdict:
    """Whether each end lets the connection through, and why; it gets through when both do."""

    egress_allowed: bool
    egress: str
    ingress_allowed: bool
    ingress: str

    @property
    def allowed(self) -> bool:
        return self.egress_allowed and self.ingress_allowed

    @property
    def reason(self) -> str:
        return f"{'allowed' if self.allowed else 'denied'}: {self.egress}; {self.ingress}"

    def __str__(self) -> str:
        return self.reason

    def __repr__(self) -> str:
        """One line: the verdict and the reason of the end that decided it (the refusing end,
        or the destination's when both let it through); ``str`` gives both ends."""
        deciding = self.egress if not self.egress_allowed else self.ingress
        text = f"Verdict({'allowed' if self.allowed else 'denied'}: {deciding})"
        return text if len(text) <= _REPR_CHARS else text[:_REPR_CHARS - 2] + "…)"


# -- the objects a decision reads -------------------------------------------------------
@dataclass
class _World:
    pods: dict[tuple[str, str], Mapping[str, Any]]
    namespaces: dict[str, Mapping[str, str]]
    policies: list[Mapping[str, Any]]

    @classmethod
    def of(cls, objects: Iterable[Mapping[str, Any]]) -> _World:
        pods: dict[tuple[str, str], Mapping[str, Any]] = {}
        namespaces: dict[str, Mapping[str, str]] = {}
        policies = []
        for obj in objects:
            if not isinstance(obj, Mapping):
                continue
            meta = obj.get("metadata") or {}
            kind = obj.get("kind")
            if kind == "Pod":
                pods[(meta.get("namespace") or "default", meta.get("name", ""))] = obj
            elif kind == "Namespace":
                namespaces[meta.get("name", "")] = meta.get("labels") or {}
            elif kind == "NetworkPolicy":
                check_policy(obj)
                policies.append(obj)
        return cls(pods, namespaces, policies)

    def namespace_labels(self, namespace: str) -> Mapping[str, str]:
        """A namespace's labels, with the one the API server always sets."""
        return namespace_labels(namespace, self.namespaces.get(namespace))

    def endpoint(self, text: str) -> Endpoint:
        """``namespace/name`` or ``name`` (namespace default) of a Pod, ``node:NAME``, or an
        address outside the cluster."""
        if not isinstance(text, str) or not text:
            raise PolicyError(f"{text!r} is not an endpoint: give a Pod as 'namespace/name', "
                              "a node as 'node:NAME' or an address such as '203.0.113.7'")
        if text.startswith("node:"):
            return Endpoint("Node", text[5:])
        try:
            return Endpoint("IP", str(ipaddress.ip_address(text)))
        except ValueError:
            pass
        namespace, _, name = text.rpartition("/")
        namespace = namespace or "default"
        pod = self.pods.get((namespace, name))
        if pod is None:
            known = sorted(f"{ns}/{n}" for ns, n in self.pods)
            raise PolicyError(f"There is no Pod {name!r} in namespace {namespace!r}; the Pods "
                              f"given are: {', '.join(known) or 'none'}")
        spec = pod.get("spec") or {}
        named = {}
        for container in spec.get("containers") or ():
            for port in (container.get("ports") if isinstance(container, Mapping) else ()) or ():
                if isinstance(port, Mapping) and port.get("name") and port.get("containerPort"):
                    named[(port["name"], port.get("protocol") or "TCP")] = port["containerPort"]
        return Endpoint("Pod", name, namespace, (pod.get("metadata") or {}).get("labels") or {},
                        spec.get("nodeName") or "", named)


# -- one direction -----------------------------------------------------------------------
def _peer_matches(world: _World, peer: Mapping[str, Any], policy_namespace: str,
                  other: Endpoint) -> bool:
    block = peer.get("ipBlock")
    if block is not None:
        if other.kind != "IP":
            return False
        address = ipaddress.ip_address(other.name)
        cidr = parse_cidr(block["cidr"])
        return (cidr is not None and address.version == cidr.version and address in cidr
                and not any(address in excluded for text in block.get("except") or ()
                            if (excluded := parse_cidr(text)) is not None
                            and excluded.version == address.version))
    if other.kind != "Pod":
        return False
    pods, namespaces = peer.get("podSelector"), peer.get("namespaceSelector")
    if namespaces is None:
        in_namespace = other.namespace == policy_namespace
    else:
        in_namespace = label_selector_matches(namespaces, world.namespace_labels(other.namespace))
    return in_namespace and (pods is None or label_selector_matches(pods, other.labels or {}))


def _port_matches(entry: Mapping[str, Any], port: int, protocol: str,
                  destination: Endpoint) -> bool:
    if (entry.get("protocol") or "TCP") != protocol:
        return False
    wanted = entry.get("port")
    if wanted is None:
        return True
    if isinstance(wanted, str):
        return (destination.named_ports or {}).get((wanted, protocol)) == port
    return wanted <= port <= (entry.get("endPort") or wanted)


def _direction(world: _World, selected: Endpoint, other: Endpoint, destination: Endpoint,
               port: int, protocol: str, ingress: bool) -> tuple[bool, str]:
    """Whether ``selected``'s policies let the connection through in one direction, and why."""
    kind, key, peers_key = ("Ingress", "ingress", "from") if ingress else ("Egress", "egress",
                                                                            "to")
    where = (f"ingress to {selected}" if ingress else f"egress from {selected}")
    if selected.kind != "Pod":
        what = "nodes" if selected.kind == "Node" else "outside addresses"
        return True, f"{where}: no NetworkPolicy applies to {what}"
    if ingress and other.kind == "Node" and other.name == selected.node:
        return True, f"{where}: from the Pod's own node, always allowed"
    isolating = []
    for policy in world.policies:
        meta = policy.get("metadata") or {}
        spec = policy.get("spec") or {}
        if ((meta.get("namespace") or "default") != selected.namespace
                or kind not in policy_types(spec)
                or not label_selector_matches(spec.get("podSelector") or {},
                                              selected.labels or {})):
            continue
        name = f"{selected.namespace}/{meta.get('name', '')}"
        isolating.append(name)
        for i, rule in enumerate(spec.get(key) or ()):
            peers, ports = rule.get(peers_key), rule.get("ports")
            if ((not peers or any(_peer_matches(world, p, selected.namespace, other)
                                  for p in peers))
                    and (not ports or any(_port_matches(e, port, protocol, destination)
                                          for e in ports))):
                return True, f"{where}: allowed by NetworkPolicy {name} ({key}[{i}])"
    if not isolating:
        return True, f"{where}: not isolated (no NetworkPolicy selects it for {kind})"
    return False, (f"{where}: isolated by NetworkPolicy {', '.join(isolating)}, and no "
                   f"{key} rule of them allows {protocol} {port} "
                   f"{'from' if ingress else 'to'} {other}")


def _decide(world: _World, source: Endpoint, destination: Endpoint, port: int, protocol: str,
            enforced: bool) -> Verdict:
    if not enforced:
        note = "the network plugin does not enforce NetworkPolicies"
        return Verdict(True, f"egress from {source}: {note}", True,
                       f"ingress to {destination}: {note}")
    out_ok, out_why = _direction(world, source, destination, destination, port, protocol, False)
    in_ok, in_why = _direction(world, destination, source, destination, port, protocol, True)
    return Verdict(out_ok, out_why, in_ok, in_why)


def _check_port_number(port: Any, protocol: Any) -> None:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise PolicyError(f"port {port!r}: a connection's port is a number from 1 to 65535")
    if protocol not in PROTOCOLS:
        raise PolicyError(f"protocol {protocol!r}: use one of {', '.join(PROTOCOLS)}")


def connection(objects: Iterable[Mapping[str, Any]], source: str, destination: str, port: int,
               protocol: str = "TCP", *, enforced: bool = True) -> Verdict:
    """May ``source`` open a connection to ``destination`` on ``port``/``protocol``, given the
    Pods, Namespaces and NetworkPolicies in ``objects`` (manifests as dicts; other kinds are
    ignored)? Endpoints: ``namespace/name`` of a Pod (``name`` alone: namespace default),
    ``node:NAME`` for a node, or an outside address such as ``203.0.113.7``."""
    _check_port_number(port, protocol)
    world = _World.of(objects)
    return _decide(world, world.endpoint(source), world.endpoint(destination), port, protocol,
                   enforced)


@dataclass(frozen=True)
class Reachability:
    """Every Pod to every Pod on one port: ``verdicts[(source, destination)]`` and
    ``allowed[(source, destination)]``, in the order of ``pods`` (``namespace/name``). Printed
    as a table: ``.`` gets through, ``X`` is denied."""

    pods: tuple[str, ...]
    port: int
    protocol: str
    verdicts: Mapping[tuple[str, str], Verdict]

    @property
    def allowed(self) -> dict[tuple[str, str], bool]:
        return {pair: verdict.allowed for pair, verdict in self.verdicts.items()}

    def __repr__(self) -> str:
        denied = sum(not v.allowed for v in self.verdicts.values())
        return (f"Reachability({len(self.pods)} Pods, {self.protocol} {self.port}: "
                f"{denied} of {len(self.verdicts)} connections denied)")

    def __str__(self) -> str:
        width = max((len(p) for p in self.pods), default=4)
        head = " " * width + "  " + " ".join(str(i + 1).rjust(2) for i in range(len(self.pods)))
        lines = [f"{self.protocol} {self.port}, from (rows) to (columns): . allowed, X denied",
                 head]
        for i, source in enumerate(self.pods):
            cells = " ".join(" ." if self.verdicts[(source, d)].allowed else " X"
                             for d in self.pods)
            lines.append(f"{source.ljust(width)}  {cells}   {i + 1}")
        return "\n".join(lines)


def reachability(objects: Iterable[Mapping[str, Any]], port: int, protocol: str = "TCP", *,
                 enforced: bool = True) -> Reachability:
    """:func:`connection` for every ordered pair of Pods in ``objects`` (a Pod to itself
    included: its own policies apply to it as to any other peer)."""
    _check_port_number(port, protocol)
    world = _World.of(objects)
    names = tuple(f"{ns}/{name}" for ns, name in world.pods)
    check_count(len(names) ** 2 * max(1, len(world.policies)), MAX_REACHABILITY_CHECKS,
                f"a reachability table of {len(names):,} Pods and {len(world.policies):,} "
                "NetworkPolicies needs Pods × Pods × policies checks, which",
                "clustersim.limits.MAX_REACHABILITY_CHECKS; connection() decides single pairs")
    ends = {n: world.endpoint(n) for n in names}
    verdicts = {(s, d): _decide(world, ends[s], ends[d], port, protocol, enforced)
                for s in names for d in names}
    return Reachability(names, port, protocol, verdicts)
