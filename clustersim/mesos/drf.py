"""The DRF sorter: in which order the Mesos allocator offers resources to its clients.

A port of the behaviour of apache/mesos ``src/master/allocator/mesos/sorter/drf/sorter.cpp``
(and ``sorter.hpp``), checked against the cases of ``src/tests/sorter_tests.cpp``. The
allocator keeps one sorter for roles and one per role for its frameworks.

Clients are paths (``"a"``, ``"eng/web"``) and form a tree: siblings compete with each other
and a subtree competes as a whole with its siblings. When a client ``"a"`` gains a child
``"a/c"``, ``"a"`` becomes an internal node and the client itself moves to a virtual leaf
``"a/."`` that competes with ``"a/c"`` (with weight 1).

For every node::

    share(node)  = max over resource names r of  allocated_r(subtree) / total_r
                   (scalars only; names with total 0 are skipped)
    weighted     = share / weight(path)             (weight defaults to 1)
    order        = ascending weighted share, then fewer allocations made so far
                   (a count that ``allocated()`` raises and nothing lowers), then path

``sort()`` lists the active leaves in pre-order over children sorted that way. A client is
inactive from ``add()`` until ``activate()``; inactive clients keep their allocation (and it
counts in their parents' shares) but are not listed.

Simplified: shared resources, reservations and revocable resources are not modelled;
``fairness_exclude_resource_names`` is supported (``--fair_sharing_excluded_resource_names``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clustersim.mesos.resources import Resources
from clustersim.numeric import is_number

__all__ = ["DRFSorter"]

_ACTIVE, _INACTIVE, _INTERNAL = "active", "inactive", "internal"

ResourcesLike = Resources | Mapping[str, Any] | str
_NOTHING = Resources()
"""What a client holds on an agent where it holds nothing (a ``Resources`` never changes)."""


class _Node:
    __slots__ = ("allocation", "children", "count", "kind", "name", "parent", "path", "share",
                 "totals")

    def __init__(self, name: str, kind: str, parent: _Node | None) -> None:
        self.name = name
        self.kind = kind
        self.parent = parent
        if parent is None:
            self.path = ""
        elif parent.parent is None:
            self.path = name
        else:
            self.path = f"{parent.path}/{name}"
        self.children: list[_Node] = []
        self.share = 0.0
        self.count = 0
        # Per agent for clients (leaves) only; every node keeps scalar totals of its subtree.
        self.allocation: dict[str, Resources] = {}   # agent id → resources
        self.totals: dict[str, float] = {}           # resource name → scalar sum

    @property
    def is_leaf(self) -> bool:
        return self.kind != _INTERNAL

    def client_path(self) -> str:
        """The client this leaf stands for (a virtual leaf ``a/.`` stands for ``a``)."""
        return self.parent.path if self.name == "." and self.parent else self.path

    def add_child(self, child: _Node) -> None:
        # Inactive leaves stay at the end of `children`; the others go first (sorter.hpp).
        if child.kind == _INACTIVE:
            self.children.append(child)
        else:
            self.children.insert(0, child)

    def add_totals(self, resources: Resources) -> None:
        totals = self.totals
        for name, amount in resources.scalars.items():
            totals[name] = round(totals.get(name, 0.0) + amount, 3)

    def subtract_totals(self, scalars: Mapping[str, float]) -> None:
        totals = self.totals
        for name, amount in scalars.items():
            totals[name] = max(0.0, round(totals.get(name, 0.0) - amount, 3))

    def take_allocation_from(self, other: _Node) -> None:
        """A leaf turning internal hands its client's allocation to its new "." leaf."""
        self.allocation, other.allocation = other.allocation, {}
        self.totals = dict(other.totals)
        self.count = other.count


class DRFSorter:
    """Weighted, hierarchical Dominant Resource Fairness, as the Mesos allocator sorts.

    Resources may be given as :class:`Resources`, dicts (``{"cpus": 5, "mem": 5}``) or
    Mesos text (``"cpus:5;mem:5"``).
    """

    def __init__(self, fairness_exclude_resource_names: Iterable[str] = ()) -> None:
        self._root = _Node("", _INTERNAL, None)
        self._clients: dict[str, _Node] = {}
        self._weights: dict[str, float] = {}
        self._total: dict[str, Resources] = {}
        self._total_scalars: dict[str, float] = {}
        self._excluded = frozenset(fairness_exclude_resource_names)
        self._dirty = False

    # -- clients ------------------------------------------------------------------------

    def add(self, client: str) -> None:
        """Add an (inactive) client; ``activate`` it to have it sorted."""
        if not isinstance(client, str) or not client or client.startswith("/") \
                or client.endswith("/") or "//" in client:
            raise ValueError(f"a sorter client is a path like 'a' or 'a/b', got {client!r}")
        if client in self._clients:
            raise ValueError(f"sorter client {client!r} was already added")
        tokens = client.split("/")
        index = 0
        current = self._root
        while True:
            if index == len(tokens):
                # The path ends at an existing internal node: the client becomes its "." leaf.
                leaf = _Node(".", _INACTIVE, current)
                current.add_child(leaf)
                current = leaf
                break
            if current.is_leaf:
                # A leaf gains a descendant: it turns internal, its client moves to "./".
                old_kind = current.kind
                parent = current.parent
                assert parent is not None
                parent.children.remove(current)
                current.kind = _INTERNAL
                parent.add_child(current)
                virtual = _Node(".", old_kind, current)
                virtual.take_allocation_from(current)
                current.add_child(virtual)
                self._clients[virtual.client_path()] = virtual
                break
            child = next((c for c in current.children if c.name == tokens[index]), None)
            if child is None:
                break
            current = child
            index += 1
        for position in range(index, len(tokens)):
            kind = _INACTIVE if position == len(tokens) - 1 else _INTERNAL
            child = _Node(tokens[position], kind, current)
            current.add_child(child)
            current = child
        self._clients[client] = current
        self._dirty = True

    def remove(self, client: str) -> None:
        """Remove a client; its allocation leaves its ancestors' shares."""
        current = self._find(client)
        leaf_totals = dict(current.totals)
        del self._clients[client]
        while current is not self._root:
            parent = current.parent
            assert parent is not None
            parent.subtract_totals(leaf_totals)
            if not current.children:
                parent.children.remove(current)
            elif len(current.children) == 1 and current.children[0].name == ".":
                # Only the virtual leaf is left: collapse it back into this node.
                virtual = current.children[0]
                current.kind = virtual.kind
                current.allocation = virtual.allocation
                current.children = []
                parent.children.remove(current)
                parent.add_child(current)
                self._clients[current.path] = current
            current = parent
        self._dirty = True

    def activate(self, client: str) -> None:
        if self._switch(client, _INACTIVE, _ACTIVE):
            self._dirty = True

    def deactivate(self, client: str) -> None:
        self._switch(client, _ACTIVE, _INACTIVE)

    def _switch(self, client: str, was: str, becomes: str) -> bool:
        """Turn the leaf ``client`` of kind ``was`` into ``becomes`` and re-add it to its
        parent, which keeps active leaves before inactive ones; False if it was not ``was``."""
        node = self._find(client)
        if node.kind != was:
            return False
        node.kind = becomes
        assert node.parent is not None
        node.parent.children.remove(node)
        node.parent.add_child(node)
        return True

    def update_weight(self, client: str, weight: float) -> None:
        """Set the weight of a path (a client or a subtree), even before it exists.

        A weight must be positive, as the master's ``/weights`` handler requires
        (apache/mesos ``src/master/weights_handler.cpp``: "Invalid weight '...': Weights must
        be positive"). It must be finite too: NaN passes that ``<= 0`` test upstream, but the
        endpoint reads JSON, which cannot write NaN or Infinity."""
        if not is_number(weight) or weight <= 0:
            raise ValueError(f"Invalid weight '{weight}' for role {client!r}: Weights must be "
                             "positive (finite) numbers, such as 1, 2 or 0.5")
        self._weights[client] = float(weight)
        self._dirty = True

    def contains(self, client: str) -> bool:
        return client in self._clients

    __contains__ = contains

    def count(self) -> int:
        """The number of clients, active or not."""
        return len(self._clients)

    def __len__(self) -> int:
        return len(self._clients)

    # -- allocations --------------------------------------------------------------------

    def allocated(self, client: str, agent_id: str, resources: ResourcesLike) -> None:
        """Record that ``resources`` on ``agent_id`` were allocated to ``client``."""
        amount = Resources.coerce(resources)
        node: _Node | None = self._find(client)
        assert node is not None
        held = node.allocation.get(agent_id)
        node.allocation[agent_id] = held + amount if held is not None else amount
        while node is not None:
            node.add_totals(amount)
            node.count += 1
            node = node.parent
        self._dirty = True

    def unallocated(self, client: str, agent_id: str, resources: ResourcesLike) -> None:
        """Record that ``resources`` on ``agent_id`` went back from ``client``."""
        amount = Resources.coerce(resources)
        leaf = self._find(client)
        held = leaf.allocation.get(agent_id, _NOTHING)
        if held is amount:   # all of it goes back (an offer declined whole): nothing is left
            del leaf.allocation[agent_id]
        elif not held.contains(amount):
            raise ValueError(
                f"sorter client {client!r} holds {held or 'nothing'} on agent {agent_id!r}; "
                f"cannot unallocate {amount}"
            )
        elif remaining := held - amount:
            leaf.allocation[agent_id] = remaining
        else:   # all of it went back (or nothing was held, and nothing given back)
            leaf.allocation.pop(agent_id, None)
        node: _Node | None = leaf
        while node is not None:
            node.subtract_totals(amount.scalars)
            node = node.parent
        self._dirty = True

    def update(self, client: str, agent_id: str, old: ResourcesLike, new: ResourcesLike) -> None:
        """Replace part of a client's allocation on an agent (an offer operation); unlike
        ``allocated`` this does not count as a new allocation."""
        new_amount = Resources.coerce(new)
        self.unallocated(client, agent_id, old)
        leaf = self._find(client)
        leaf.allocation[agent_id] = leaf.allocation.get(agent_id, Resources()) + new_amount
        node: _Node | None = leaf
        while node is not None:
            node.add_totals(new_amount)
            node = node.parent

    def allocation(self, client: str, agent_id: str | None = None) -> Any:
        """A client's allocation: ``{agent_id: Resources}``, or its Resources on one agent."""
        node = self._find(client)
        if agent_id is None:
            return dict(node.allocation)
        return node.allocation.get(agent_id, Resources())

    def agent_allocation(self, agent_id: str) -> dict[str, Resources]:
        """What each client holds on one agent (``allocation(slaveId)`` upstream)."""
        return {
            path: node.allocation[agent_id]
            for path, node in self._clients.items() if agent_id in node.allocation
        }

    # -- agents -------------------------------------------------------------------------

    def add_agent(self, agent_id: str, resources: ResourcesLike) -> None:
        """Add an agent's resources to the pool (adds to what the agent already has)."""
        amount = Resources.coerce(resources)
        if not amount:
            return
        self._total[agent_id] = self._total.get(agent_id, Resources()) + amount
        for name, value in amount.scalars.items():
            self._total_scalars[name] = round(self._total_scalars.get(name, 0.0) + value, 3)
        self._dirty = True

    def remove_agent(self, agent_id: str, resources: ResourcesLike | None = None) -> None:
        """Remove some (default: all) of an agent's resources from the pool."""
        if agent_id not in self._total:
            raise ValueError(f"agent {agent_id!r} is not in the sorter's pool")
        held = self._total[agent_id]
        amount = held if resources is None else Resources.coerce(resources)
        if not held.contains(amount):
            raise ValueError(f"agent {agent_id!r} has {held}; cannot remove {amount}")
        remaining = held - amount
        if remaining:
            self._total[agent_id] = remaining
        else:
            del self._total[agent_id]
        for name, value in amount.scalars.items():
            left = round(self._total_scalars[name] - value, 3)
            if left > 0:
                self._total_scalars[name] = left
            else:
                del self._total_scalars[name]
        self._dirty = True

    def total(self) -> dict[str, float]:
        """The pool's scalar totals by resource name."""
        return dict(self._total_scalars)

    # -- order ----------------------------------------------------------------------------

    def share(self, client: str) -> float:
        """The client's dominant share, unweighted (a fraction of the pool)."""
        return self._dominant_share(self._find(client))

    def weighted_share(self, client: str) -> float:
        node = self._find(client)
        return self._dominant_share(node) / self._weights.get(node.path, 1.0)

    def sort(self) -> list[str]:
        """The active clients in the order they are offered resources."""
        if self._dirty:
            self._sort_tree(self._root)
            self._dirty = False
        result: list[str] = []
        self._list_active(self._root, result)
        return result

    def _dominant_share(self, node: _Node) -> float:
        share = 0.0
        for name, total in self._total_scalars.items():
            if total <= 0 or name in self._excluded:
                continue
            share = max(share, node.totals.get(name, 0.0) / total)
        return share

    def _sort_tree(self, node: _Node) -> None:
        children = node.children
        cut = next((i for i, c in enumerate(children) if c.kind == _INACTIVE), len(children))
        for child in children[:cut]:
            child.share = self._dominant_share(child) / self._weights.get(child.path, 1.0)
        children[:cut] = sorted(children[:cut], key=lambda c: (c.share, c.count, c.path))
        for child in children[:cut]:
            if child.kind == _INTERNAL:
                self._sort_tree(child)

    def _list_active(self, node: _Node, result: list[str]) -> None:
        for child in node.children:
            if child.kind == _ACTIVE:
                result.append(child.client_path())
            elif child.kind == _INACTIVE:
                return
            else:
                self._list_active(child, result)

    def _find(self, client: str) -> _Node:
        try:
            return self._clients[client]
        except KeyError:
            raise ValueError(
                f"{client!r} is not a client of this sorter (add it first)"
            ) from None

    def __repr__(self) -> str:
        return f"DRFSorter({len(self._clients)} clients, {len(self._total)} agents)"
