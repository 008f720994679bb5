"""Placement constraints as swarmkit parses and matches them.

Upstream: moby/swarmkit ``manager/constraint/constraint.go`` (``Parse``, ``Constraint.Match``,
``NodeMatches``); tests ``manager/constraint/constraint_test.go``. Docs:
https://docs.docker.com/reference/cli/docker/service/create/#constraint

- Syntax ``key==value`` or ``key!=value``. ``==`` is looked for first, then ``!=``; whitespace
  around key and value is trimmed. The key must match ``[a-z_][a-z0-9\\-_.]+`` (case-insensitive,
  at least two characters); the value must be non-empty and made of letters, digits, spaces and
  ``: - _ . * ( ) ? + [ ] \\ ^ $ | /``.
- Matching is whole-string, case-insensitive equality (Go's ``strings.EqualFold``): no globs,
  no regular expressions, so ``f*o`` matches only the text ``f*o``.
- A missing hostname, platform or label compares as ``""``: ``==`` fails and ``!=`` passes.
- ``node.ip`` takes an address (equality) or a CIDR network (containment); a value that is
  neither rejects the node for both operators. An unknown key never matches.
- The ``node.labels.`` and ``engine.labels.`` prefixes (and the fixed keys) are matched without
  regard to case; the label name after the prefix is case-sensitive.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from clustersim.manifests.compose_types import parse_constraint as parse_compose_constraint
from clustersim.node import Node

__all__ = ["FIXED_KEYS", "Constraint", "constraints_accept", "equal_fold", "known_key",
           "node_matches", "parse_constraint", "parse_constraints"]

NODE_LABEL_PREFIX = "node.labels."
ENGINE_LABEL_PREFIX = "engine.labels."
FIXED_KEYS = ("node.id", "node.hostname", "node.ip", "node.role", "node.platform.os",
              "node.platform.arch")
"""The keys ``NodeMatches`` knows besides the two label prefixes."""


def _fold_equal_char(a: str, b: str) -> bool:
    if a == b:
        return True
    lower_a, lower_b = a.lower(), b.lower()
    if len(lower_a) == 1 and lower_a == lower_b:
        return True
    upper_a, upper_b = a.upper(), b.upper()
    return len(upper_a) == 1 and upper_a == upper_b


def equal_fold(a: str, b: str) -> bool:
    """Go's ``strings.EqualFold``: equal under simple (one-to-one) Unicode case folding.

    Unlike ``str.casefold`` it never expands a character (``ß`` is not ``ss``).
    """
    return len(a) == len(b) and all(_fold_equal_char(x, y) for x, y in zip(a, b, strict=True))


@dataclass(frozen=True, slots=True)
class Constraint:
    """One parsed constraint: ``key``, ``operator`` (``==`` or ``!=``) and ``value``."""

    key: str
    operator: str
    value: str

    @property
    def exp(self) -> str:
        """The value, under swarmkit's field name."""
        return self.value

    def match(self, *whats: str) -> bool:
        """``Constraint.Match``: does any of ``whats`` equal the value (case-insensitively)?
        ``!=`` negates the answer."""
        found = any(equal_fold(self.value, what) for what in whats)
        return found if self.operator == "==" else not found

    def __str__(self) -> str:
        return f"{self.key}{self.operator}{self.value}"


def parse_constraint(text: str) -> Constraint:
    """Parse one constraint such as ``"node.labels.ssd == true"``.

    The grammar is the stack loader's (:func:`clustersim.manifests.compose_types.
    parse_constraint`, swarmkit's ``constraint.Parse``); raises ``ValueError`` saying what is
    wrong, in swarmkit's words plus a hint.
    """
    return Constraint(*parse_compose_constraint(text))


def parse_constraints(texts: Iterable[str]) -> list[Constraint]:
    """Parse a list of constraints (``Parse``); the first bad one raises ``ValueError``."""
    if isinstance(texts, str):
        raise ValueError(
            f"constraints must be a list of strings, got the single string {texts!r}; "
            f"write [{texts!r}]"
        )
    return [parse_constraint(text) for text in texts]


def _has_prefix(key: str, prefix: str) -> bool:
    return len(key) > len(prefix) and equal_fold(key[: len(prefix)], prefix)


def _ip_matches(constraint: Constraint, address: str | None) -> bool:
    """``node.ip`` as ``NodeMatches`` reads it with Go's ``net.ParseIP`` (whose ``Equal``
    takes ``::ffff:10.0.0.1`` for 10.0.0.1) and ``net.ParseCIDR`` (a prefix length in decimal
    digits, never a netmask such as ``/255.255.255.0``, which Python's ``ip_network`` takes).
    Simplified: an IPv4-mapped network (``::ffff:10.0.0.0/104``) contains no IPv4 address
    here, where Go's ``IPNet.Contains`` tests its IPv4 part."""
    try:
        node_ip = _unmapped(ipaddress.ip_address(address)) if address else None
    except ValueError:
        node_ip = None
    try:
        wanted = _unmapped(ipaddress.ip_address(constraint.value))
        hit = node_ip is not None and node_ip == wanted
    except ValueError:
        bits = constraint.value.rpartition("/")[2]
        try:
            network = ipaddress.ip_network(constraint.value if bits.isascii() and
                                           bits.isdigit() else "-", strict=False)
        except ValueError:
            return False  # a malformed address or network rejects for both operators
        hit = node_ip is not None and node_ip.version == network.version and node_ip in network
    return hit if constraint.operator == "==" else not hit


def _unmapped(address: ipaddress.IPv4Address | ipaddress.IPv6Address
              ) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return mapped or address


def _node_value(key: str, node: Node) -> str | None:
    """The node's text for a key, ``""`` when the node lacks it, ``None`` for unknown keys."""
    fixed = {
        "node.id": node.id,
        "node.hostname": node.hostname or "",
        "node.role": node.role,
        "node.platform.os": node.platform.get("os", ""),
        "node.platform.arch": node.platform.get("arch", ""),
    }
    for name, value in fixed.items():
        if equal_fold(key, name):
            return value
    if _has_prefix(key, NODE_LABEL_PREFIX):
        return node.labels.get(key[len(NODE_LABEL_PREFIX):], "")
    if _has_prefix(key, ENGINE_LABEL_PREFIX):
        return node.engine_labels.get(key[len(ENGINE_LABEL_PREFIX):], "")
    return None


def known_key(key: str) -> bool:
    """Whether ``NodeMatches`` knows ``key`` (in any case): one of :data:`FIXED_KEYS`, or
    ``node.labels.`` or ``engine.labels.`` followed by a label name. ``Parse`` accepts any key
    of the right syntax, so ``docker service create`` and ``docker stack deploy`` take a typo
    such as ``node.label.storage``; ``NodeMatches`` then rejects every node for it (its
    ``default`` case) and the task stays pending with ``no suitable node``."""
    return (any(equal_fold(key, fixed) for fixed in FIXED_KEYS)
            or _has_prefix(key, NODE_LABEL_PREFIX) or _has_prefix(key, ENGINE_LABEL_PREFIX))


def node_matches(constraints: Iterable[Constraint], node: Node) -> bool:
    """``NodeMatches``: every constraint holds on the node (they are ANDed)."""
    for constraint in constraints:
        if equal_fold(constraint.key, "node.ip"):
            if not _ip_matches(constraint, node.address):
                return False
            continue
        value = _node_value(constraint.key, node)
        if value is None or not constraint.match(value):
            return False
    return True


def constraints_accept(constraints: Iterable[str | Constraint], node: Node) -> bool:
    """Does ``node`` satisfy every constraint in ``constraints`` (strings or parsed)?

    Raises ``ValueError`` for a constraint with bad syntax, as ``docker service create`` does.
    """
    if isinstance(constraints, str):
        constraints = parse_constraints(constraints)  # raises with a hint
    parsed = [c if isinstance(c, Constraint) else parse_constraint(c) for c in constraints]
    return node_matches(parsed, node)
