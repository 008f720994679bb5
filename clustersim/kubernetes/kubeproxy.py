"""kube-proxy's view of a Service: its endpoints as kube-proxy keeps them, which of them it
sends traffic to, and since when each set held.

Upstream: kube-proxy's ``EndpointSliceCache`` (``pkg/proxy/endpointslicecache.go``) and
``CategorizeEndpoints`` (``pkg/proxy/topology.go``).
:class:`~clustersim.kubernetes.services.Services` builds these views from the EndpointSlices
and sends the simulated requests through them (its module docstring says what is modelled
and what is simplified).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["PortView", "ProxyEndpoint", "ProxyHistory", "usable_endpoints"]


class ProxyEndpoint(NamedTuple):
    """An endpoint as kube-proxy keeps it: the pod's uid and name, its node, the Service
    ports it serves as ``(name, protocol, the pod's port number)``, one per entry of its
    slice's ``ports`` (kube-proxy's ``EndpointSliceCache`` files each endpoint of a slice
    under each of the slice's ports, by name and protocol:
    ``pkg/proxy/endpointslicecache.go``), and its slice's conditions ``ready``, ``serving``
    and ``terminating``, which :func:`usable_endpoints` reads."""

    uid: str
    pod: str
    node: str
    ports: tuple[tuple[str, str, int], ...]
    ready: bool
    serving: bool
    terminating: bool

    def port(self, name: str, protocol: str) -> int | None:
        """The pod's number for the Service port ``name``/``protocol``; None when its slice
        does not list that port, so that kube-proxy sends it nothing on it."""
        return next((number for n, p, number in self.ports if (n, p) == (name, protocol)),
                    None)


def usable_endpoints(endpoints: Iterable[ProxyEndpoint],
                     node: str | None = None) -> tuple[ProxyEndpoint, ...]:
    """The endpoints of one Service port that kube-proxy sends traffic to, as
    ``CategorizeEndpoints`` (``pkg/proxy/topology.go``) picks them: the ready ones, or, when
    none is ready, those that are serving and terminating (KEP-1669). With ``node`` (the
    Local traffic policy of the node a client came in through) the same choice among that
    node's endpoints alone: its ready ones, else its serving terminating ones."""
    pool = [e for e in endpoints if node is None or e.node == node]
    return (tuple(e for e in pool if e.ready)
            or tuple(e for e in pool if e.serving and e.terminating))


class ProxyHistory:
    """One Service's endpoints that kube-proxy can use, since when each set held: the times
    in one list (searched with ``bisect``) and the sets in a parallel one. Only a change in
    those endpoints makes an entry (a pod that is created, or not ready yet, changes none),
    and entries that ended before the furthest time a request can look back are dropped."""

    def __init__(self) -> None:
        self.times: list[float] = [-1.0]
        self.views: list[tuple[ProxyEndpoint, ...]] = [()]

    def record(self, now: float, view: tuple[ProxyEndpoint, ...], horizon: float) -> bool:
        """``view`` holds from ``now`` on; whether it is a change. Entries that ended at or
        before ``horizon`` go (the one in force then stays)."""
        if self.views[-1] == view:
            return False
        if self.times[-1] == now:
            self.views[-1] = view
        else:
            self.times.append(now)
            self.views.append(view)
        first = bisect.bisect_right(self.times, horizon) - 1
        if first > 0:
            del self.times[:first], self.views[:first]
        return True

    def at(self, time: float) -> tuple[ProxyEndpoint, ...]:
        """The view in force at ``time`` (the oldest kept one before it)."""
        return self.views[max(bisect.bisect_right(self.times, time) - 1, 0)]


class PortView:
    """The endpoints kube-proxy routes one Service port to, by its name and protocol: the
    usable ones (:func:`usable_endpoints`) of a view among those whose slice lists the port,
    kept for the last view seen (a view changes only when the endpoints do, and many requests
    come in between)."""

    def __init__(self, name: str, protocol: str) -> None:
        self.name, self.protocol = name, protocol
        self._seen: tuple[ProxyEndpoint, ...] | None = None
        self._listed: tuple[ProxyEndpoint, ...] = ()
        self._usable: tuple[ProxyEndpoint, ...] = ()

    def usable(self, view: tuple[ProxyEndpoint, ...],
               node: str | None) -> tuple[ProxyEndpoint, ...]:
        """The usable endpoints of ``view`` on this port, all nodes' (``node`` None) or
        ``node``'s alone (the Local traffic policy)."""
        if view is not self._seen:
            self._seen = view
            self._listed = tuple(e for e in view
                                 if e.port(self.name, self.protocol) is not None)
            self._usable = usable_endpoints(self._listed)
        return self._usable if node is None else usable_endpoints(self._listed, node)
