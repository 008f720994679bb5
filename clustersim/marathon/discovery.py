"""Service discovery the Marathon way: Mesos-DNS names and marathon-lb on service ports.

**Mesos-DNS** (mesosphere/mesos-dns ``docs/docs/naming.md``; DC/OS "Service Naming",
https://archive-docs-old.d2iq.com/mesosphere/dcos/2.2/networking/DNS/mesos-dns/service-naming/)
reads the master's task list and serves, for every running task named *task* of framework
*framework* (``records/generator.go``, ``taskRecord`` and ``taskContextRecord``; the
expected records of ``records/generator_test.go`` ``TestInsertState``):

- A ``<task>.<framework>.mesos``: the task's container IP when it has one, else its agent's IP;
- A ``<task>.<framework>.slave.mesos``: the agent's IP;
- the same two A records under the task's own *canonical* name
  ``<task>-<hash>-<agent>.<framework>[.slave].mesos``, where *hash* is 5 zbase32 characters of
  the SHA-1 of the task ID (``hashString``) and *agent* the last ``-`` field of the agent ID,
  lower-cased (``slaveIDTail``: ``...-S1`` → ``s1``);
- SRV ``_<task>._tcp.<framework>.mesos`` (``_udp`` for UDP ports) from the ports of the task's
  DiscoveryInfo, which Marathon sets on every task: target ``<canonical>.<framework>.mesos``,
  one record per port, so each port is tied to the one task (and host) that listens on it; a
  named port also gets ``_<port-name>._<task>._tcp.<framework>.mesos``;
- SRV ``_<task>._tcp.<framework>.slave.mesos`` and ``_<task>._udp.<framework>.slave.mesos``
  from the task's port resources (its host ports): target ``<canonical>.<framework>.slave.mesos``.

Marathon names each task after its app id reversed and joined with dots (``PathId.toHostname``:
``/shop/web/api`` → ``api.web.shop``). Mesos-DNS turns a task name into one DNS label with
:func:`rfc1123_label` (mesosphere/mesos-dns ``records/labels/labels.go``, applied to the task
name in ``records/generator.go`` ``taskRecord``): letters lowercased, ``.``, ``_`` and ``-``
become ``-``, other characters are dropped, at most 63 characters. So the app ``/shop/web/api``
is ``api-web-shop.marathon.mesos``. Simplified: Mesos-DNS polls the master every 30 s, here the
records are read when asked; a port counts only once a host port (or, on a container network,
nothing) is assigned, while upstream lists the DiscoveryInfo's numbers as Marathon wrote them;
SOA/NS records, ``leader.mesos`` and the unmangled alias that ``generator.go`` still adds for
tasks with a DiscoveryInfo (marked "LEGACY ... REMOVE" there) are left out.

**marathon-lb** (mesosphere/marathon-lb ``README.md``, ``marathon_lb.py``) runs HAProxy on
public agents: every app whose label ``HAPROXY_GROUP`` matches the balancer's ``--group``
(default ``external``) gets a frontend on each of its service ports, with a backend server for
each running task whose health checks pass (``host:hostPort``, or ``ip:containerPort`` for a
task with its own IP); ``balance roundrobin`` by default. ``route`` sends simulated requests
through it, with a seeded generator for the ``random`` policy, so a lab can set it beside a
Kubernetes Service (kube-proxy picks a backend at random); ``request_stream`` sends Poisson
traffic over simulated time and records it in the same
:class:`~clustersim.sim.requests.RequestStream` the Kubernetes simulator fills, so
served and failed requests during a rolling restart or an agent failure can be compared.
A request fails when no backend is listed or when the chosen backend's agent is down (given
the cluster); marathon-lb rewrites HAProxy's configuration on Marathon's events, which the
simulator does at once (upstream: within a second or so).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from typing import Any

from clustersim.limits import MAX_RUN_EVENTS, check_count, check_rate
from clustersim.marathon.framework import RUNNING, Marathon
from clustersim.sim.requests import RequestStream

__all__ = ["MarathonLB", "MesosDNS", "rfc1123_label", "task_hash"]

_LABEL_MAX = 63  # RFC 1123 label length, labels.RFC1123's maxlen
_ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769"  # Zimmermann's human-oriented base-32 alphabet


def task_hash(task_id: str) -> str:
    """The 5 characters Mesos-DNS puts in a task's canonical name (``hashString`` in
    mesosphere/mesos-dns ``records/generator.go``): the SHA-1 of the task ID in zbase32, cut
    to its first 25 bits. ``test`` → ``iffe9`` (``TestHashString``)."""
    head = int.from_bytes(hashlib.sha1(task_id.encode()).digest()[:4], "big")
    return "".join(_ZBASE32[head >> shift & 31] for shift in (27, 22, 17, 12, 7))


def rfc1123_label(name: str) -> str:
    """``name`` as one DNS label, the way Mesos-DNS mangles task names by default
    (``labels.RFC1123`` in mesosphere/mesos-dns ``records/labels/labels.go``).

    Each character maps (``mapping``): ``A-Z`` to lower case, ``a-z0-9`` kept, ``-``, ``.``
    and ``_`` to ``-``, anything else dropped. Then ``trimCut``: leading ``-`` trimmed, the
    label cut at 63 characters and trailing ``-`` trimmed; when trimming shortened the cut,
    the gap is refilled from the rest (its leading ``-`` trimmed). ``api.web.shop`` →
    ``api-web-shop``.
    """
    mapped = "".join(
        c.lower() if c.isascii() and c.isalnum() else "-" if c in "-._" else ""
        for c in name
    )
    trimmed = mapped.lstrip("-")
    size = min(len(trimmed), _LABEL_MAX)
    head = trimmed[:size].rstrip("-")
    if len(head) == size:
        return head
    tail = trimmed[size:].lstrip("-")
    return head + tail[:size - len(head)]


class MesosDNS:
    """The records Mesos-DNS would serve for a :class:`clustersim.mesos.MesosCluster`."""

    def __init__(self, cluster: Any, domain: str = "mesos") -> None:
        self.cluster = cluster
        self.domain = domain

    def records(self) -> dict[str, list[Any]]:
        """Name → A answers (IP strings) or SRV answers (``(target, port)``), sorted."""
        agents = {agent.id: agent for agent in self.cluster.agents}
        found: dict[str, set[Any]] = {}
        for task in self.cluster.tasks(state="TASK_RUNNING"):
            agent = agents[task.agent_id]
            agent_ip = agent.node.address or agent.hostname
            data = task.info.data if isinstance(task.info.data, dict) else {}
            name = rfc1123_label(task.name)
            canonical = f"{name}-{task_hash(task.task_id)}-{agent.id.split('-')[-1].lower()}"
            for label in (name, canonical):
                found.setdefault(f"{label}.{task.framework}.{self.domain}", set()).add(
                    data.get("ip") or agent_ip)
                found.setdefault(f"{label}.{task.framework}.slave.{self.domain}", set()).add(
                    agent_ip)
            target = f"{canonical}.{task.framework}.{self.domain}"
            slave_target = f"{canonical}.{task.framework}.slave.{self.domain}"
            for port in data.get("ports", []):
                if not port.get("number"):
                    continue
                for protocol in ("tcp", "udp"):
                    srv = f"_{name}._{protocol}.{task.framework}.slave.{self.domain}"
                    found.setdefault(srv, set()).add((slave_target, port["number"]))
                for protocol in str(port.get("protocol", "tcp")).split(","):
                    srv = f"_{name}._{protocol}.{task.framework}.{self.domain}"
                    found.setdefault(srv, set()).add((target, port["number"]))
                    if port.get("name"):
                        named = f"_{port['name']}.{srv}"
                        found.setdefault(named, set()).add((target, port["number"]))
        return {key: sorted(values, key=str) for key, values in sorted(found.items())}

    def lookup(self, name: str) -> list[Any]:
        """The answers for one name (empty when Mesos-DNS knows no such name)."""
        return self.records().get(name.rstrip("."), [])


class MarathonLB:
    """marathon-lb in front of a :class:`Marathon`: service port → healthy task backends."""

    def __init__(self, marathon: Marathon, group: str = "external",
                 balance: str = "roundrobin", seed: int = 0, cluster: Any = None) -> None:
        if balance not in ("roundrobin", "random"):
            raise ValueError(f"balance must be 'roundrobin' or 'random', got {balance!r}")
        self.marathon = marathon
        self.cluster = cluster
        self.group = group
        self.balance = balance
        self.random = random.Random(seed)
        self._next: dict[int, int] = {}

    def frontends(self) -> dict[int, str]:
        """Service port → app id, for every app exposed on this balancer's group."""
        result = {}
        for spec_id, app in sorted(self.marathon.apps.items()):
            if self.group != "*" and app.spec.labels.get("HAPROXY_GROUP") != self.group:
                continue
            for port in app.service_ports:
                result[port] = spec_id
        return result

    def backends(self, service_port: int) -> list[str]:
        """``host:port`` of each running, healthy task behind a service port, sorted."""
        spec_id = self.frontends().get(service_port)
        if spec_id is None:
            raise ValueError(
                f"no app of HAPROXY_GROUP {self.group!r} has service port {service_port}; "
                f"frontends: {self.frontends() or 'none'}"
            )
        app = self.marathon.apps[spec_id]
        index = app.service_ports.index(service_port)
        servers = []
        for instance in app.instances.values():
            healthy = instance.healthy is True or not app.spec.health_checks
            if instance.state != RUNNING or not healthy or instance.goal != "Running":
                continue
            host_port = instance.host_ports[index] if index < len(instance.host_ports) else None
            if host_port:
                servers.append(f"{instance.hostname}:{host_port}")
            elif instance.ip and app.spec.ports[index].container_port:
                servers.append(f"{instance.ip}:{app.spec.ports[index].container_port}")
        return sorted(servers)

    def _pick(self, service_port: int, servers: list[str]) -> str:
        if self.balance == "random":
            return self.random.choice(servers)
        position = self._next.get(service_port, 0) % len(servers)
        self._next[service_port] = position + 1
        return servers[position]

    def _serving(self, server: str) -> bool:
        """Whether the backend's agent answers (always, unless the cluster says it is down)."""
        if self.cluster is None:
            return True
        host = server.rsplit(":", 1)[0]
        return all(a.state == "active" for a in self.cluster.agents if a.hostname == host)

    def request_stream(self, service_port: int, rate: float = 10.0, start: float | None = None,
                       stop: float | None = None) -> RequestStream:
        """Send Poisson requests at ``rate`` per second to a service port from ``start`` (now)
        to ``stop`` (or forever); read ``stream.buckets(width)`` after running the cluster."""
        self.frontends()   # fail early on a bad group
        rate = check_rate(rate)
        driver = self.marathon.driver
        if driver is None:
            raise ValueError("register the Marathon framework with a cluster first")
        begin = driver.now if start is None else float(start)
        if stop is not None and stop <= begin:
            raise ValueError(f"stop ({stop}) must be after start ({begin})")
        stream = RequestStream(str(service_port), self.group, float(rate), begin,
                               None if stop is None else float(stop))

        def arrive() -> None:
            if stop is not None and driver.now >= stop:
                return
            servers = self.backends(service_port) if service_port in self.frontends() else []
            if servers:
                server = self._pick(service_port, servers)
                stream.records.append((driver.now, self._serving(server), server))
            else:
                stream.records.append((driver.now, False, None))
            driver.call_later(self.random.expovariate(rate), arrive, background=True)

        driver.call_later(max(0.0, begin - driver.now) + self.random.expovariate(rate), arrive,
                          background=True)
        return stream

    def route(self, service_port: int, requests: int = 100) -> dict[str, int]:
        """Send ``requests`` simulated requests to a service port; count them per backend.

        Raises ``ValueError`` when the port has no healthy backend (HAProxy answers 503).
        """
        check_count(requests, MAX_RUN_EVENTS, "the number of requests",
                    "as many as one run() simulates; clustersim.limits.MAX_RUN_EVENTS")
        servers = self.backends(service_port)
        if not servers:
            raise ValueError(f"service port {service_port} has no healthy backend "
                             "(HAProxy would answer 503 Service Unavailable)")
        counts: Counter[str] = Counter(self._pick(service_port, servers)
                                       for _ in range(requests))
        return dict(sorted(counts.items()))
