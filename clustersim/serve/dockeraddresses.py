"""The addresses swarmkit's network allocator hands out on each overlay network, for
:mod:`clustersim.serve.dockerservices`: a service's virtual IPs and each task's own address
in every network it is attached to, from one pool per network; and how a network's subnet is
read (:func:`subnet_prefix`, :func:`network_block`).

As swarmkit's ``cnmallocator`` (moby/swarmkit ``manager/allocator/cnmallocator/
networkallocator.go``: ``allocateVIP``, ``allocateNetworkIPs``) asks libnetwork's default
IPAM for them: the gateway's address is taken when the network is made, every later request
is *serial* (``setIPAMSerialAlloc``): libnetwork's bitmap scans from the address after the
one it handed out last (moby ``libnetwork/bitmap/sequence.go``, ``SetAnyInRange``; the
gateway, set by its address, moves no scan), here wrapping round at the end of the subnet,
and an address is written with its prefix length
(``10.0.1.3/24``, a ``net.IPNet``). An address goes back to the pool when its service leaves
the network or is removed (``deallocateVIP``), and when its task ends (a state after
``running``) or leaves the store (``manager/allocator/network.go``, ``doTaskAlloc``:
``DeallocateTask``); the ended task keeps showing it, as the allocator frees its copy and
writes nothing back.

Simplified: swarmkit allocates as each service and task event arrives; here a task takes or
gives back its addresses at each of its events while the simulated swarm runs, and the pools
catch up with what a request changed when a client next reads services or tasks
(:meth:`AddressPools.settle`), the services' virtual IPs before the tasks' addresses.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Hashable
from typing import Any

__all__ = ["AddressPools", "network_block", "subnet_prefix"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def network_block(network: dict[str, Any]
                  ) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str | None] | None:
    """The first subnet of a stored network's IPAM config and its gateway, or None (``host``,
    ``none``): the pool swarmkit's allocator hands the network's addresses out of."""
    for config in network["IPAM"]["Config"] or []:
        if isinstance(config, dict) and (block := subnet_prefix(config.get("Subnet"))):
            gateway = config.get("Gateway")
            return block, gateway if isinstance(gateway, str) and gateway else None
    return None


def subnet_prefix(subnet: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network of ``subnet`` as Go's ``netip.ParsePrefix`` reads it (the daemon's
    reader, ``ValidateIPAM``), or None: an address Python's ``ipaddress`` takes too (no
    leading zeros in IPv4), but no zone (``fe80::%eth0/64``, go.dev/issue/51899) and a
    prefix length of ASCII digits with no sign or leading zero (``/016``), never a netmask
    (``/255.255.0.0``), which Python's ``ip_network`` would take."""
    if not isinstance(subnet, str):
        return None
    address, slash, bits = subnet.rpartition("/")
    if not slash or "%" in address or not bits.isascii() or not bits.isdigit() or \
            (len(bits) > 1 and bits[0] == "0"):
        return None
    try:
        return ipaddress.ip_network(subnet, strict=False)
    except ValueError:
        return None


class AddressPools:
    """Per network, the addresses taken and by whom, and where the serial search goes on."""

    def __init__(self) -> None:
        self._taken: dict[str, set[int]] = {}
        """Per network ID, the offsets in its subnet that are taken (the gateway's too)."""
        self._last: dict[str, int] = {}
        """Per network ID, the offset given last (libnetwork's serial cursor)."""
        self._held: dict[tuple[str, Hashable], int] = {}
        """The offset each owner holds on each network."""
        self._given: dict[tuple[str, Hashable], str] = {}
        """The address each owner was given on each network, kept after it is freed."""

    def settle(self, wanted: list[tuple[str, Network, str | None, Hashable]],
               known: set[Hashable]) -> None:
        """Make ``wanted``, each ``(network ID, subnet, gateway, owner)`` that holds an
        address now, exactly what is held: free the rest, then :meth:`take` each, in order.
        The record of what an owner was given is kept while it is in ``known`` (an ended
        task still in the store)."""
        holding = {(network_id, owner) for network_id, _, _, owner in wanted}
        for key in [k for k in self._held if k not in holding]:
            self.free(*key)
        for key in [k for k in self._given if k[1] not in known]:
            del self._given[key]
        for entry in wanted:
            self.take(*entry)

    def take(self, network_id: str, subnet: Network, gateway: str | None,
             owner: Hashable) -> None:
        """Give ``owner`` the next free address of the network unless it holds one."""
        if (network_id, owner) in self._held:
            return
        if network_id not in self._taken:
            gate = int(ipaddress.ip_address(gateway)) - int(subnet.network_address) \
                if gateway else 1
            self._taken[network_id], self._last[network_id] = {gate}, 0
        offset = self._next_free(network_id, subnet)
        if offset is None:
            return          # "could not find an available IP": no address
        self._taken[network_id].add(offset)
        self._last[network_id] = self._held[network_id, owner] = offset
        self._given[network_id, owner] = f"{subnet.network_address + offset}/{subnet.prefixlen}"

    def free(self, network_id: str, owner: Hashable) -> None:
        """Give back what ``owner`` holds on the network; its record stays."""
        offset = self._held.pop((network_id, owner), None)
        if offset is not None:
            self._taken[network_id].discard(offset)

    def _next_free(self, network_id: str, subnet: Network) -> int | None:
        """The first free offset after the last one given, wrapping round; the subnet's own
        address and its last (IPv4's broadcast address) are never given."""
        size = min(subnet.num_addresses, 1 << 24)
        taken, start = self._taken[network_id], self._last[network_id]
        for step in range(1, size):
            offset = (start + step) % size
            if 0 < offset < size - 1 and offset not in taken:
                return offset
        return None

    def address(self, network_id: str, owner: Hashable) -> str | None:
        """The address ``owner`` was given on the network, if any."""
        return self._given.get((network_id, owner))
