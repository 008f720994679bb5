"""One machine of a simulated cluster, shared by the Kubernetes, Mesos and Swarm simulators.

Each system calls a machine something else (a Kubernetes Node, a Mesos agent, a Swarm node)
and reads different parts of it: Kubernetes reads labels, taints and allocatable resources;
Mesos reads resources, attributes and the fault domain; Swarm reads role, availability,
node and engine labels and platform. One class holds all of them so that a lab can run the
same machines under all three systems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from clustersim.genericresource import Entry, parse
from clustersim.hostpaths import host_paths as _host_paths
from clustersim.quantity import (
    QuantityError,
    format_quantity,
    parse_quantity,
    to_millis,
    to_units,
)

__all__ = ["TAINT_EFFECTS", "Node"]

_ROLES = ("manager", "worker")
_AVAILABILITY = ("active", "pause", "drain")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
"""A taint's effects, in the order ``validateTaintEffect`` lists them (kubernetes/kubernetes
``pkg/apis/core/validation/validation.go``): for a node's own taints, ``kubectl taint`` and
the served API's Node updates alike."""


def _quantity(field: str, node: str, value: str | int | float | Decimal) -> Decimal:
    try:
        amount = parse_quantity(value)
    except QuantityError as err:
        raise ValueError(f"Node {node!r}: {field}: {err}") from None
    if amount < 0:
        raise ValueError(f"Node {node!r}: {field} must not be negative, got {value!r}")
    return amount


def _port_ranges(node: str, ports: Iterable[Any]) -> tuple[tuple[int, int], ...]:
    """Host port ranges from ``8080``, ``"31000-32000"`` or ``(31000, 32000)`` items."""
    ranges = []
    for item in ports:
        try:
            if isinstance(item, bool):
                raise ValueError
            if isinstance(item, str):
                begin_text, _, end_text = item.partition("-")
                begin, end = int(begin_text), int(end_text or begin_text)
            elif isinstance(item, Iterable):
                begin, end = (int(x) for x in item)
            else:
                begin = end = int(item)
        except (TypeError, ValueError):
            raise ValueError(
                f"Node {node!r}: port range {item!r} must be a port, \"begin-end\" or "
                "(begin, end), e.g. (31000, 32000)"
            ) from None
        if not 0 <= begin <= end <= 65535:
            raise ValueError(f"Node {node!r}: port range {item!r} must lie within 0-65535")
        ranges.append((begin, end))
    return tuple(sorted(ranges))


def _term(node: str, term: object) -> str:
    """One ``NAME=VALUE`` term as dockerd reads it from its command line: a string (an entry
    already parsed, as :meth:`Node.copy` passes them, is written back as its term)."""
    if isinstance(term, str):
        return term
    if (isinstance(term, tuple) and len(term) == 2 and isinstance(term[0], str)
            and isinstance(term[1], int | str) and not isinstance(term[1], bool)):
        return f"{term[0]}={term[1]}"
    raise ValueError(f"Node {node!r}: generic_resources entry of type "
                     f"{type(term).__name__} is not a NAME=VALUE term: write each as a "
                     "string, such as 'gpu=GPU-1' or 'ssd=2'")


def _generic_resources(node: str, terms: Iterable[str | Entry] | None,
                       extended: Mapping[str, object]) -> tuple[Entry, ...]:
    """The node's generic resources parsed from ``NAME=VALUE`` terms (None: none)."""
    if isinstance(terms, str | bytes):
        raise ValueError(f"Node {node!r}: generic_resources must be a list of NAME=VALUE "
                         f"terms, such as [{terms!r}], not one string")
    if isinstance(terms, Mapping):
        raise ValueError(f"Node {node!r}: generic_resources must be a list of NAME=VALUE "
                         "terms, such as ['gpu=GPU-1', 'ssd=2'], not a mapping")
    given = [_term(node, t) for t in terms or ()]
    try:
        entries = parse(given)
    except ValueError as err:
        raise ValueError(f"Node {node!r}: generic_resources: {err}") from None
    both = sorted({kind for kind, _ in entries} & set(extended))
    if both:
        raise ValueError(f"Node {node!r}: {both[0]!r} is both an extended resource and a "
                         "generic resource: give it once")
    return entries


class Node:
    """A machine with capacity and the metadata each orchestrator places by.

    ``cpu`` and ``memory`` take Kubernetes quantities (``"4"``, ``"500m"``, ``"16Gi"``) or
    numbers (cores, bytes). Everything else is optional and named as the systems name it:

    - ``disk``: quantity (bytes); ``ports``: host port ranges, e.g. ``[(31000, 32000)]``
      (Mesos offers these as the ``ports`` resource); ``max_pods``: Kubernetes' allocatable
      ``pods`` (default 110, the kubelet's default).
    - ``extended_resources``: name → quantity, e.g. ``{"nvidia.com/gpu": 2}`` (Kubernetes
      extended resources, Swarm generic resources).
    - ``labels`` and ``taints`` as in a Kubernetes Node manifest (taints are dicts with
      ``key``, ``value``, ``effect``); ``zone`` also becomes the well-known zone label.
    - ``attributes``: Mesos agent attributes, values in Mesos' text syntax (``"1.0"`` scalar,
      ``"[6-7]"`` ranges, ``"{a,b}"`` set, anything else text); ``domain``: Mesos fault
      domain ``{"region": ..., "zone": ...}``.
    - ``role`` (``manager``/``worker``), ``availability`` (``active``/``pause``/``drain``),
      ``engine_labels``, ``platform`` (``{"os": ..., "arch": ...}``): Docker Swarm. In Swarm a
      node's id is its name (:attr:`id`: the served swarm's ID there).
    - ``generic_resources``: Swarm generic resources as dockerd's ``--node-generic-resource``
      advertises them, ``NAME=VALUE`` terms: ``"ssd=2"`` (discrete) or one ``"gpu=GPU-1"``
      per ID of a named set (:func:`clustersim.genericresource.parse`); held parsed, as
      ``(kind, count)`` and ``(kind, id)`` entries. A kind given here must not also be an
      extended resource (Swarm reads those as discrete generic resources).
    - ``hostname`` (defaults to the name) and ``address`` (IP).
    - ``host_paths``: absolute paths that exist on the machine's own file system besides
      :data:`~clustersim.hostpaths.DEFAULT_HOST_PATHS` (a Swarm task's bind mount of any
      other source is rejected by the node's daemon, :mod:`clustersim.hostpaths`); the
      attribute holds all of them, the defaults included.
    """

    __slots__ = (
        "address",
        "attributes",
        "availability",
        "cpu",
        "disk",
        "domain",
        "engine_labels",
        "extended_resources",
        "generic_resources",
        "host_paths",
        "hostname",
        "labels",
        "max_pods",
        "memory",
        "name",
        "platform",
        "ports",
        "role",
        "swarm_id",
        "taints",
        "zone",
    )

    def __init__(
        self,
        name: str,
        cpu: str | int | float | Decimal,
        memory: str | int | float | Decimal,
        *,
        disk: str | int | float | Decimal = 0,
        ports: Iterable[Any] = (),
        max_pods: int = 110,
        extended_resources: Mapping[str, str | int | float | Decimal] | None = None,
        labels: Mapping[str, str] | None = None,
        taints: Iterable[Mapping[str, Any]] = (),
        attributes: Mapping[str, str | int | float] | None = None,
        domain: Mapping[str, str] | None = None,
        role: str = "worker",
        availability: str = "active",
        engine_labels: Mapping[str, str] | None = None,
        hostname: str | None = None,
        address: str | None = None,
        platform: Mapping[str, str] | None = None,
        zone: str | None = None,
        host_paths: Iterable[str] | None = None,
        generic_resources: Iterable[str | Entry] | None = (),
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"a Node needs a non-empty name, got {name!r}")
        self.name = name
        self.swarm_id: str | None = None
        """swarmkit's ID of the node where a served swarm gave it one (see :attr:`id`)."""
        self.cpu = _quantity("cpu", name, cpu)
        self.memory = _quantity("memory", name, memory)
        self.disk = _quantity("disk", name, disk)
        self.ports = _port_ranges(name, ports)
        if not isinstance(max_pods, int) or max_pods < 0:
            raise ValueError(
                f"Node {name!r}: max_pods must be a whole number ≥ 0, got {max_pods!r}"
            )
        self.max_pods = max_pods
        self.extended_resources = {
            key: _quantity(f"extended_resources[{key!r}]", name, value)
            for key, value in (extended_resources or {}).items()
        }
        self.labels = {str(k): str(v) for k, v in (labels or {}).items()}
        self.taints = [dict(t) for t in taints]
        for taint in self.taints:
            if "key" not in taint or taint.get("effect") not in TAINT_EFFECTS:
                raise ValueError(
                    f"Node {name!r}: taint {taint!r} needs a 'key' and an 'effect' "
                    f"({', '.join(TAINT_EFFECTS)})"
                )
        self.attributes = {str(k): str(v) for k, v in (attributes or {}).items()}
        self.domain = dict(domain) if domain else None
        if role not in _ROLES:
            raise ValueError(f"Node {name!r}: role must be one of {_ROLES}, got {role!r}")
        self.role = role
        if availability not in _AVAILABILITY:
            raise ValueError(
                f"Node {name!r}: availability must be one of {_AVAILABILITY}, got {availability!r}"
            )
        self.availability = availability
        self.engine_labels = {str(k): str(v) for k, v in (engine_labels or {}).items()}
        self.hostname = hostname or name
        self.address = address
        self.platform = {"os": "linux", "arch": "x86_64", **(platform or {})}
        self.zone = zone
        self.host_paths = _host_paths(name, host_paths)
        self.generic_resources = _generic_resources(name, generic_resources,
                                                    self.extended_resources)

    @property
    def id(self) -> str:
        """The node's ID, which a ``node.id`` placement constraint compares: in the Python
        simulator a Swarm node's name; in the served swarm the 25-character ID that
        ``docker node ls`` shows (``swarm_id``, set by :mod:`clustersim.serve.dockerstate`),
        as swarmkit's constraint filter compares the ID only
        (``manager/constraint/constraint.go``)."""
        return self.swarm_id or self.name

    @property
    def cpu_millis(self) -> int:
        """CPU in millicores, as Kubernetes compares it (``MilliValue``)."""
        return to_millis(self.cpu)

    @property
    def memory_bytes(self) -> int:
        """Memory in bytes, as Kubernetes compares it (``Value``)."""
        return to_units(self.memory)

    @classmethod
    def many(cls, count: int, prefix: str = "node", *, start: int = 1, **common: Any) -> list[Node]:
        """Build ``count`` similar nodes named ``prefix-1``, ``prefix-2``, ….

        Any keyword may be a callable taking the node's index (from ``start``), so that nodes
        can differ in a regular way, e.g. ``zone=lambda i: "abc"[i % 3]``.
        """
        if count < 0:
            raise ValueError(f"count must be ≥ 0, got {count}")
        nodes = []
        for index in range(start, start + count):
            kwargs = {k: (v(index) if callable(v) else v) for k, v in common.items()}
            nodes.append(cls(f"{prefix}-{index}", **kwargs))
        return nodes

    def copy(self, **changes: Any) -> Node:
        """A copy of this node with some fields changed."""
        fields: dict[str, Any] = {
            "cpu": self.cpu,
            "memory": self.memory,
            "disk": self.disk,
            "ports": self.ports,
            "max_pods": self.max_pods,
            "extended_resources": self.extended_resources,
            "labels": self.labels,
            "taints": self.taints,
            "attributes": self.attributes,
            "domain": self.domain,
            "role": self.role,
            "availability": self.availability,
            "engine_labels": self.engine_labels,
            "hostname": self.hostname,
            "address": self.address,
            "platform": self.platform,
            "zone": self.zone,
            "host_paths": self.host_paths,
            "generic_resources": self.generic_resources,
        }
        fields.update(changes)
        name = changes.pop("name", self.name)
        return Node(name, **{k: v for k, v in fields.items() if k != "name"})

    def __repr__(self) -> str:
        """Capacity, then only what differs from a plain worker: zone, labels, taints written
        as ``kubectl describe node`` lists them (``key=value:Effect``), Swarm role and
        availability, Mesos attributes."""
        cpu, memory = format_quantity(self.cpu), format_quantity(self.memory, binary=True)
        parts = [repr(self.name), f"cpu={cpu!r}", f"memory={memory!r}"]
        if self.zone:
            parts.append(f"zone={self.zone!r}")
        if self.labels:
            parts.append(f"labels={self.labels!r}")
        if self.taints:
            parts.append(f"taints={[_taint_text(t) for t in self.taints]!r}")
        if self.role != "worker":
            parts.append(f"role={self.role!r}")
        if self.availability != "active":
            parts.append(f"availability={self.availability!r}")
        if self.attributes:
            parts.append(f"attributes={self.attributes!r}")
        return f"Node({', '.join(parts)})"


def _taint_text(taint: Mapping[str, Any]) -> str:
    """A taint as kubectl prints it: ``key=value:Effect``, or ``key:Effect`` without value."""
    value = taint.get("value")
    return f"{taint['key']}{'' if value in (None, '') else f'={value}'}:{taint['effect']}"
