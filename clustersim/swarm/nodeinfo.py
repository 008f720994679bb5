"""What the scheduler knows of each node, kept current as tasks change.

Upstream (moby/swarmkit ``manager/scheduler/``):

- ``nodeinfo.go``: a ``NodeInfo`` holds the node, the tasks assigned to it (``Tasks``, by id),
  ``ActiveTasksCount`` and ``ActiveTasksCountByService`` (tasks whose desired state is at most
  RUNNING), the ``AvailableResources`` left after the tasks' reservations and the host-mode
  ports in use. ``addTask`` takes a new task's reservations and ports and counts it if it is
  active; for a task it already holds it only moves the task in or out of the active counts
  when its desired state crossed RUNNING. ``removeTask`` gives everything back.
- ``scheduler.go``: the scheduler keeps one ``NodeInfo`` per node in its ``nodeSet`` and
  updates it from the store's events, never by a recount: ``updateTask`` adds a task that is
  assigned to a node (state ASSIGNED to RUNNING; a PENDING task with a node, a global one,
  counts only once the scheduler has confirmed it) and removes one that has ended (state past
  RUNNING); ``deleteTask`` removes a deleted one; while it places a group, the scheduler adds
  each decision to the node's ``NodeInfo`` at once, and the store's event for the same task is
  then no change. ``createOrUpdateNode`` takes a node's new description and computes its
  available resources again from its capacity and its tasks.

:class:`NodeSet` does the same for a :class:`~clustersim.swarm.SwarmCluster`: the task index
(:mod:`clustersim.swarm.taskindex`) hands it each task after every change
(:meth:`NodeSet.task_changed`), so a scheduling pass costs the nodes and the tasks it places,
not every task of the swarm. Two differences: the simulator's reaper deletes only tasks that
have ended or were never assigned, which no node's ``NodeInfo`` holds, so deletion needs no
handler; and
the scheduling pass reads each node's status, availability and machine from the swarm's node
records (:meth:`NodeSet.update_node`) where swarmkit reacts to each node event: the same view,
at the cost of one look at each node per pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clustersim.genericresource import Entry, claim, consume, reclaim
from clustersim.node import Node
from clustersim.swarm.tasks import Task, TaskState

__all__ = ["NodeInfo", "NodeSet", "advertised", "capacity"]

Resources = tuple[int, int, list[Entry]]
"""NanoCPUs, memory bytes and the generic resources (:mod:`clustersim.genericresource`)."""


def advertised(node: Node) -> tuple[Entry, ...]:
    """The generic resources the node advertises: each extended resource as a discrete one,
    then its own ``generic_resources`` (discrete counts and named IDs)."""
    return (*((kind, int(amount)) for kind, amount in node.extended_resources.items()),
            *node.generic_resources)


def capacity(node: Node) -> Resources:
    """The node's resources as swarmkit's node description reports them."""
    return int(node.cpu * 1_000_000_000), node.memory_bytes, list(advertised(node))


def _host_ports(task: Task) -> list[tuple[str, int]]:
    return [(port.protocol, port.published) for port in task.spec.ports
            if port.mode == "host" and port.published]


@dataclass
class NodeInfo:
    """What the scheduler knows of one node: its free resources, its active tasks and the
    host ports in use (swarmkit ``NodeInfo``). ``active_by_service`` counts the active tasks
    by their service's ID (``Task.service_id``, as ``ActiveTasksCountByService`` is keyed by
    ``ServiceID``): a removed service's tasks are not counted with those of a later service
    of the same name. ``tasks`` maps the id of each task whose reservations are taken to
    whether it counts as active."""

    node: Node
    ready: bool
    availability: str
    nano_cpus: int
    memory_bytes: int
    generic: list[Entry]
    """The generic resources left, in swarmkit's order (``AvailableResources.Generic``)."""
    active_tasks: int = 0
    active_by_service: dict[str, int] = field(default_factory=dict)
    host_ports: set[tuple[str, int]] = field(default_factory=set)
    recent_failures: int = 0
    tasks: dict[str, tuple[Task, bool]] = field(default_factory=dict)
    """Task id → the task and whether it counts among the active tasks."""

    @classmethod
    def of(cls, node: Node, ready: bool, availability: str) -> NodeInfo:
        """A node with no task yet (``newNodeInfo``)."""
        nano_cpus, memory_bytes, generic = capacity(node)
        return cls(node, ready, availability, nano_cpus, memory_bytes, generic)

    @property
    def name(self) -> str:
        return self.node.name

    def add_task(self, task: Task) -> bool:
        """``addTask``: take a new task's reservations and host ports and count it if it is
        active (desired state at most RUNNING); for a task already here, follow its desired
        state in or out of the active counts. True if anything changed."""
        active = task.desired_state <= TaskState.RUNNING
        known = self.tasks.get(task.id)
        if known is not None:
            if known[1] == active:
                return False
            self.tasks[task.id] = (task, active)
            self._count(task.service_id, 1 if active else -1)
            return True
        self.tasks[task.id] = (task, active)
        self._reserve(task, -1)
        self.host_ports.update(_host_ports(task))
        if active:
            self._count(task.service_id, 1)
        return True

    def remove_task(self, task: Task) -> bool:
        """``removeTask``: give back the task's reservations and host ports and uncount it.
        False if the node does not hold the task."""
        known = self.tasks.pop(task.id, None)
        if known is None:
            return False
        if known[1]:
            self._count(task.service_id, -1)
        self.host_ports.difference_update(_host_ports(task))
        self._reserve(task, 1)
        return True

    def reconcile(self) -> None:
        """The node's machine changed: its available resources again from its capacity and
        what its tasks hold (``createOrUpdateNode``: each task's reservations of CPU and
        memory, and the generic resources it was assigned, which it keeps)."""
        self.nano_cpus, self.memory_bytes, self.generic = capacity(self.node)
        for task, _ in self.tasks.values():
            self.nano_cpus -= task.spec.reservations.nano_cpus
            self.memory_bytes -= task.spec.reservations.memory_bytes
            consume(self.generic, task.assigned_generic)

    def _reserve(self, task: Task, sign: int) -> None:
        """Give back (``sign`` 1) or take (-1) the task's reservations. Taking assigns the
        task its generic resources (``Claim``: :attr:`Task.assigned_generic`, which IDs of
        a named set it holds); giving back returns them (``Reclaim``)."""
        res = task.spec.reservations
        self.nano_cpus += sign * res.nano_cpus
        self.memory_bytes += sign * res.memory_bytes
        if sign < 0:      # Claim of no reservation takes nothing
            task.assigned_generic = claim(self.generic, res.generic) if res.generic else ()
        elif task.assigned_generic and advertised(self.node):
            # removeTask reclaims only on a node that advertises some; giving back nothing
            # only sanitizes, and the list is already sane here (a change recounts it)
            reclaim(self.generic, task.assigned_generic, advertised(self.node))

    def _count(self, service_id: str, change: int) -> None:
        self.active_tasks += change
        left = self.active_by_service.get(service_id, 0) + change
        if left:
            self.active_by_service[service_id] = left
        else:
            del self.active_by_service[service_id]


class NodeSet:
    """The scheduler's :class:`NodeInfo` of every node (swarmkit's ``nodeSet``), by node
    name in the order the nodes joined."""

    def __init__(self) -> None:
        self.infos: dict[str, NodeInfo] = {}
        self._machines: dict[str, tuple[object, object, tuple[Entry, ...]]] = {}
        """Each node's cpu and memory quantities and generic resources its resources were
        last computed from (a quantity is immutable: a change replaces it)."""

    def update_node(self, node: Node, ready: bool, availability: str) -> None:
        """``createOrUpdateNode``: a node joined or its record changed. Its available
        resources are computed again only when its cpu, memory or generic resources did."""
        name = node.name
        info = self.infos.get(name)
        if info is None:
            self.infos[name] = NodeInfo.of(node, ready, availability)
        else:
            info.node, info.ready, info.availability = node, ready, availability
            cpu, memory, generic = self._machines[name]
            if node.cpu is cpu and node.memory is memory and advertised(node) == generic:
                return
            info.reconcile()
        self._machines[name] = (node.cpu, node.memory, advertised(node))

    def task_changed(self, task: Task) -> None:
        """``updateTask``: a task assigned to a node (ASSIGNED to RUNNING) takes its place
        there, one that has ended gives it back; others are not the node's yet."""
        info = self.infos.get(task.node) if task.node is not None else None
        if info is None:
            return
        if task.state.terminal:
            info.remove_task(task)
        elif task.state >= TaskState.ASSIGNED:
            info.add_task(task)
