"""Ports: service ports Marathon assigns and host ports it takes from offers.

Sources: d2iq-archive/marathon ``docs/docs/networking.md`` and ``docs/docs/ports.md``;
``src/main/scala/mesosphere/marathon/core/group/impl/AssignDynamicServiceLogic.scala``
(service ports) and
``src/main/scala/mesosphere/mesos/PortsMatcher.scala`` (host ports).

- Service ports are cluster-wide names for an app's ports that a load balancer such as
  marathon-lb listens on. A port given as 0 is assigned the lowest free port from
  ``--local_port_min`` 10000 to ``--local_port_max`` 20000, skipping every service port
  already in use; an app keeps the service ports it was given when it is updated.
- Host ports come from the ``ports`` resource of an offer: a fixed host port (``hostPort``
  > 0, or the port number with ``requirePorts``) must be in the offer, a random one (0) is
  drawn from what is offered (``PortWithRoleRandomPortsFromRanges``). Ports a task holds are
  not offered again until it ends, so two tasks can never share a host port on one agent:
  a second fixed-port task simply does not fit there ("port conflict").
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence

from clustersim.marathon.runspec import RunSpec

__all__ = [
    "LOCAL_PORT_MAX",
    "LOCAL_PORT_MIN",
    "assign_service_ports",
    "host_port_requests",
    "host_ports_from",
]

LOCAL_PORT_MIN, LOCAL_PORT_MAX = 10000, 20000


def assign_service_ports(specs: Sequence[RunSpec],
                         previous: Mapping[str, Sequence[int]]) -> dict[str, list[int]]:
    """Service ports of every run spec in ``specs`` (in order), as
    ``AssignDynamicServiceLogic.assignDynamicServicePorts`` assigns them: a given port is
    kept; a 0 takes first the app's previous ports it no longer names, then the lowest port
    of 10000-20000 that no app used before or uses now."""
    used = {port for ports in previous.values() for port in ports}
    used |= {p.service_port for s in specs for p in s.ports if p.service_port}
    free = (port for port in range(LOCAL_PORT_MIN, LOCAL_PORT_MAX + 1) if port not in used)
    result: dict[str, list[int]] = {}
    for spec in specs:
        given = [p.service_port for p in spec.ports]
        reusable = iter([port for port in previous.get(spec.id, ())
                         if LOCAL_PORT_MIN <= port <= LOCAL_PORT_MAX and port not in given])
        ports = []
        for port in given:
            if not port:
                port = next(reusable, None) or next(free, None)
                if port is None:
                    raise ValueError(
                        f"{spec.kind.lower()} {spec.id}: no free service port left in "
                        f"{LOCAL_PORT_MIN}-{LOCAL_PORT_MAX} (PortRangeExhaustedException)"
                    )
            ports.append(port)
        result[spec.id] = ports
    return result


def _contains(ranges: Iterable[tuple[int, int]], port: int) -> bool:
    return any(begin <= port <= end for begin, end in ranges)


def host_ports_from(requests: Sequence[int | None], offered: Sequence[tuple[int, int]],
                    rng: random.Random) -> list[int | None] | None:
    """Host ports for one instance from the ``offered`` ranges.

    ``requests`` holds, per port, ``None`` (no host port), 0 (any port) or a fixed port.
    Returns the chosen ports, or ``None`` when the offer cannot supply them.
    """
    wanted = list(requests)
    taken: set[int] = set()
    for port in wanted:
        if port:
            if port in taken or not _contains(offered, port):
                return None
            taken.add(port)
    free = sum(end - begin + 1 for begin, end in offered) - len(taken)
    if free < wanted.count(0):
        return None
    for index, value in enumerate(wanted):
        if value != 0:
            continue
        while True:
            begin, end = rng.choice(list(offered))
            port = rng.randint(begin, end)
            if port not in taken:
                break
        taken.add(port)
        wanted[index] = port
    return wanted


def host_port_requests(spec: RunSpec, service_ports: Sequence[int]) -> list[int | None]:
    """What each port of ``spec`` asks of an offer: ``None``, 0 (random) or a fixed port.

    In host networking with ``requirePorts`` the host ports are the service ports (given or
    assigned); otherwise host mode takes random ports. Mappings ask for their ``hostPort``.
    """
    if spec.network == "host" and spec.kind == "App":
        if spec.require_ports:
            return list(service_ports)
        return [0 for _ in spec.ports]
    return [port.host_port for port in spec.ports]
