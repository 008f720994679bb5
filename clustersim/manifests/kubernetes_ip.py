"""IP addresses and CIDRs as the Kubernetes API server reads and validates them (about 170
lines): the one reader of the Kubernetes side, for Node pod CIDRs, NetworkPolicy ``ipBlock``
values and Service cluster IPs alike.

Reading: k8s.io/utils ``net/parse.go``'s ``ParseIPSloppy`` and ``ParseCIDRSloppy``, forks of
Go 1.16's ``net.ParseIP`` and ``net.ParseCIDR`` (``internal/third_party/forked/golang/net/
ip.go``) kept because Go 1.17 began to refuse what stored objects might hold. They take ASCII
digits only; an IPv4 part may have any number of leading zeros (``010.0.0.0`` reads as
10.0.0.0), an IPv6 group any number of hex digits up to 0xffff (``00001::``), a prefix length
leading zeros (``/016``); no zone (``fe80::1%eth0``), no netmask (``/255.0.0.0``), no sign,
no space. An IPv4-mapped IPv6 address (``::ffff:1.2.3.4``) is the IPv4 address, as a Go
``net.IP`` of either spelling is the same 16 bytes; a CIDR of one keeps its IPv6 prefix length,
which ``IPNet.Contains`` applies to the IPv4 address when the mapping survives the mask
(``::ffff:1.2.3.0/120`` contains what 1.2.3.0/24 does). Python's ``ipaddress`` differs both
ways (it refuses leading zeros, and takes zones and netmasks), so it only builds the values.

Validation: ``IsValidIPForLegacyField`` and ``IsValidCIDRForLegacyField`` (k8s.io/apimachinery
``pkg/util/validation/ip.go``, words and cases checked against its ``ip_test.go``), the
validation of every IP and CIDR field older than 1.27 (KEP-4858: a Node's ``podCIDRs``,
``ipBlock.cidr`` and ``except``, a Service's ``clusterIPs``), with the ``StrictIPCIDRValidation``
feature gate on, as it is by default since Kubernetes 1.36 (beta, kubernetes/kubernetes#137053;
locked on at GA in 1.38, #141979): beyond the sloppy reading, no leading zeros (what
``netip.ParsePrefix`` and ``netip.ParseAddr`` refuse that the sloppy reading takes), no IPv4-
mapped IPv6 address, and a CIDR with no bits set past its prefix (``10.0.0.1/8`` is refused).
Simplified: with the gate off (possible up to 1.37) only the sloppy reading decides and the API
server adds warnings (``GetWarningsForCIDR``); an update may keep an old invalid value
(``validOldCIDRs``, ``AllowCIDRsEvenIfInvalid``), which here never arises, since every value
the simulated API server stores passed the strict check.
"""

from __future__ import annotations

import ipaddress
from typing import Any

__all__ = ["CIDR_FORMAT", "IP_FORMAT", "cidr_problem", "ip_problem", "parse_cidr", "parse_ip"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

IP_FORMAT = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
CIDR_FORMAT = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
_DIGITS = frozenset("0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")


def _decimal(text: str, most: int) -> int | None:
    """The ASCII decimal ``text`` if it is at most ``most``, leading zeros and all (Go's
    ``dtoi``), else None; never a long string through ``int``."""
    digits = text.lstrip("0") or "0"
    if not text or not _DIGITS.issuperset(text) or len(digits) > len(str(most)):
        return None
    return int(digits) if int(digits) <= most else None


def _ipv4(text: str) -> tuple[int, bool] | None:
    """The dotted IPv4 address ``text`` as an int, and whether a part has a leading zero."""
    parts = text.split(".")
    octets = [o for p in parts if (o := _decimal(p, 255)) is not None]
    if len(parts) != 4 or len(octets) != 4:
        return None
    return int.from_bytes(bytes(octets), "big"), any(len(p) > 1 and p[0] == "0" for p in parts)


def _ipv6(text: str) -> tuple[int, bool] | None:
    """The IPv6 address ``text`` as an int, and whether a group has more than four hex digits
    or its trailing IPv4 part a leading zero: at most one ``::``, standing for one group of
    zeros or more, and a dotted IPv4 address only as the text's last 32 bits."""
    head, ellipsis, tail = text.partition("::")
    before, after = (half.split(":") if half else [] for half in (head, tail))
    if "::" in tail or not all(before + after):
        return None
    groups = before + after
    last = len(groups) - 1 if after or not ellipsis else -1    # where an IPv4 part may be
    words: list[int] = []
    padded = False
    for i, group in enumerate(groups):
        if "." in group:
            v4 = _ipv4(group) if i == last else None
            if v4 is None:
                return None
            words += [v4[0] >> 16, v4[0] & 0xFFFF]
            padded |= v4[1]
        elif _HEX.issuperset(group) and int(group, 16) <= 0xFFFF:
            words.append(int(group, 16))
            padded |= len(group) > 4
        else:
            return None
    missing = 8 - len(words)
    if missing < 0 or (missing == 0) == bool(ellipsis):
        return None
    value = 0
    for word in words[:len(before)] + [0] * missing + words[len(before):]:
        value = value << 16 | word
    return value, padded


def _read_ip(text: str) -> tuple[int, int, bool] | None:
    """``text`` read as the sloppy parsers read an address: (value, IP version, whether
    anything had leading zeros), or None; the first ``.`` or ``:`` decides the family."""
    dot, colon = text.find("."), text.find(":")
    if dot >= 0 and (colon < 0 or dot < colon):
        v4 = _ipv4(text)
        return None if v4 is None else (v4[0], 4, v4[1])
    v6 = _ipv6(text) if colon >= 0 else None
    return None if v6 is None else (v6[0], 6, v6[1])


def _read_cidr(text: Any) -> tuple[int, int, int, bool] | None:
    """``text`` read as ``ParseCIDRSloppy`` reads it: (address, IP version, prefix length,
    whether anything had leading zeros), or None."""
    if not isinstance(text, str):
        return None
    address, _, prefix = text.partition("/")
    parsed = _read_ip(address)
    bits = None if parsed is None else _decimal(prefix, 32 if parsed[1] == 4 else 128)
    if parsed is None or bits is None:
        return None
    return parsed[0], parsed[1], bits, parsed[2] or (len(prefix) > 1 and prefix[0] == "0")


def _address(value: int, version: int) -> IPAddress:
    return ipaddress.IPv4Address(value) if version == 4 else ipaddress.IPv6Address(value)


def _mapped(address: IPAddress) -> ipaddress.IPv4Address | None:
    return address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None


def parse_ip(text: Any) -> IPAddress | None:
    """``ParseIPSloppy``: the address ``text`` names (an IPv4-mapped one as its IPv4
    address, the same Go ``net.IP``), or None."""
    parsed = _read_ip(text) if isinstance(text, str) else None
    if parsed is None:
        return None
    address = _address(parsed[0], parsed[1])
    return _mapped(address) or address


def parse_cidr(text: Any) -> IPNetwork | None:
    """``ParseCIDRSloppy``'s network (``10.0.0.1/8`` is 10.0.0.0/8), or None; an IPv4-mapped
    one whose mask keeps the mapping is the IPv4 network its ``Contains`` tests."""
    parsed = _read_cidr(text)
    if parsed is None:
        return None
    value, version, prefix, _ = parsed
    network = ipaddress.ip_network((_address(value, version), prefix), strict=False)
    mapped = _mapped(network.network_address)
    return network if mapped is None else ipaddress.IPv4Network((mapped, prefix - 96))


def ip_problem(text: Any) -> str | None:
    """What ``IsValidIPForLegacyField`` says of ``text`` with strict validation (the detail
    after ``Invalid value: "..."``), or None if the API server takes it."""
    parsed = _read_ip(text) if isinstance(text, str) else None
    if parsed is None:
        return IP_FORMAT
    if parsed[2]:
        return "must not have leading 0s"      # what netip.ParseAddr refuses
    if _mapped(_address(parsed[0], parsed[1])) is not None:
        return "must not be an IPv4-mapped IPv6 address"
    return None


def cidr_problem(text: Any) -> str | None:
    """What ``IsValidCIDRForLegacyField`` says of ``text`` with strict validation, or None
    if the API server takes it: the sloppy reading first, then ``netip.ParsePrefix``'s."""
    parsed = _read_cidr(text)
    if parsed is None:
        return CIDR_FORMAT
    value, version, prefix, padded = parsed
    if padded:
        return "must not have leading 0s in IP or prefix length"
    address = _address(value, version)
    if _mapped(address) is not None:
        return "must not have an IPv4-mapped IPv6 address"
    if value != int(ipaddress.ip_network((address, prefix), strict=False).network_address):
        return "must not have bits set beyond the prefix length"
    return None
