"""Mesos agents: the machines that offer resources, as the master tracks them.

An :class:`Agent` wraps a :class:`clustersim.Node`: its total resources (``cpus``, ``mem``,
``disk`` in MiB, ``ports`` ranges — ``[31000-32000]`` unless the Node names its own — and
extended scalars such as ``gpus``), its attributes in
Mesos' text syntax and its fault domain, plus what the master knows: what is allocated
(offered or used by tasks) and whether the agent is connected.

States follow the master's agent lifecycle (apache/mesos ``src/master/master.cpp``,
``docs/high-availability-framework-guide.md``): ``active`` (registered and connected),
``disconnected`` (health checks failing; its offers are rescinded and it gets no new ones),
``unreachable`` (after ``agent_ping_timeout × max_agent_ping_timeouts``, 15 s × 5 by
default; its tasks are reported TASK_UNREACHABLE or TASK_LOST) and ``gone``.
"""

from __future__ import annotations

from typing import Any

from clustersim.mesos.resources import Resources

__all__ = [
    "ACTIVE",
    "DEFAULT_PORTS",
    "DISCONNECTED",
    "GONE",
    "UNREACHABLE",
    "Agent",
    "parse_attribute",
]

ACTIVE, DISCONNECTED, UNREACHABLE, GONE = "active", "disconnected", "unreachable", "gone"

#: What an agent offers as ``ports`` when its machine names none: the agent's default
#: (apache/mesos ``src/slave/constants.hpp`` and ``constants.cpp``, ``DEFAULT_PORTS``).
DEFAULT_PORTS = Resources.parse("ports:[31000-32000]")


def parse_attribute(name: str, text: str) -> tuple[str, Any]:
    """Read one attribute value in Mesos' text syntax (apache/mesos ``src/common/attributes.cpp``,
    ``Attributes::parse``): ``("scalar", 1.0)``, ``("ranges", ((6, 7),))``,
    ``("set", ("a", "b"))`` or ``("text", "rack-1")``."""
    value = text.strip()
    if value.startswith("[") and value.endswith("]"):
        try:
            return "ranges", Resources.parse(f"{name}:{value}").ranges.get(name, ())
        except ValueError:
            return "text", value
    if value.startswith("{") and value.endswith("}"):
        return "set", tuple(item.strip() for item in value[1:-1].split(",") if item.strip())
    try:
        return "scalar", float(value)
    except ValueError:
        return "text", value


class Agent:
    """One Mesos agent (``SlaveInfo`` plus the master's bookkeeping)."""

    __slots__ = ("_allocated", "_available", "attributes", "domain", "hostname", "id", "name",
                 "node", "state", "total")

    def __init__(self, agent_id: str, node: Any) -> None:
        self.id = agent_id
        self.node = node
        self.name: str = node.name
        self.hostname: str = node.hostname
        self.total = Resources.from_node(node)
        if not self.total.ports:
            self.total = self.total + DEFAULT_PORTS
        self.attributes: dict[str, str] = dict(node.attributes)
        self.domain: dict[str, str] | None = dict(node.domain) if node.domain else None
        self._allocated = Resources()
        self._available: Resources | None = self.total
        self.state = ACTIVE

    @property
    def allocated(self) -> Resources:
        """What is offered to frameworks or used by their tasks."""
        return self._allocated

    @allocated.setter
    def allocated(self, value: Resources) -> None:
        self._allocated = value
        self._available = None

    @property
    def available(self) -> Resources:
        """What is neither offered nor used by tasks."""
        if self._available is None:
            self._available = self.total - self._allocated
        return self._available

    @property
    def zone(self) -> str | None:
        if self.domain and self.domain.get("zone"):
            return self.domain["zone"]
        return self.node.zone

    def __repr__(self) -> str:
        return f"Agent({self.id!r}, {self.hostname!r}, {self.state}, total={self.total})"
