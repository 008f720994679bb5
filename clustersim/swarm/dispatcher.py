"""The dispatcher's side of the swarm: nodes, their heartbeats and their availability.

Upstream: moby/swarmkit ``manager/dispatcher/dispatcher.go``. Every node sends a
heartbeat every :data:`HEARTBEAT_PERIOD` (``DefaultHeartBeatPeriod``, 5 s); the leader's
dispatcher marks a node DOWN ("heartbeat failure") when none arrived for ``period ×
GracePeriodMultiplier (3)`` = 15 s. Since the last heartbeat came some time within the
last period, a failed node is declared down 10-15 s after it fails (drawn from the
seeded generator). Only then are its tasks rescheduled; tasks left on a node that stays
down become ORPHANED after :data:`NODE_DOWN_PERIOD` (``defaultNodeDownPeriod``, 24 h).
``docker node update`` (availability, labels, role) goes through
:meth:`Dispatcher.update_node`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clustersim.node import Node
from clustersim.swarm.errors import SwarmError, find
from clustersim.swarm.raft import quorum
from clustersim.swarm.store import TaskStore
from clustersim.swarm.tasks import TaskState

HEARTBEAT_PERIOD = 5.0
"""Seconds between a node's heartbeats (``DefaultHeartBeatPeriod``)."""
GRACE_MULTIPLIER = 3
"""Missed periods before a node is down (``DefaultHeartBeatEpsilon``'s grace multiplier)."""
NODE_DOWN_PERIOD = 24 * 3600.0
"""Seconds after which the tasks of a node that stays down are ORPHANED."""


@dataclass
class NodeRecord:
    """The swarm's view of a node: ``status`` (``ready``/``down``, as the managers see it),
    ``availability`` and whether the machine is really ``alive``."""

    node: Node
    availability: str
    status: str = "ready"
    alive: bool = True
    _capacity: tuple[object, object, float, float] | None = field(
        default=None, repr=False, compare=False)
    """The node's cpu and memory quantities, and them as cores and bytes."""

    def capacity(self) -> tuple[float, float]:
        """The node's CPU (cores) and memory (bytes), read again only when the node's
        ``cpu`` or ``memory`` is replaced (each is an immutable quantity)."""
        node, known = self.node, self._capacity
        if known is None or known[0] is not node.cpu or known[1] is not node.memory:
            known = self._capacity = (node.cpu, node.memory, float(node.cpu),
                                      float(node.memory_bytes))
        return known[2], known[3]


class Dispatcher(TaskStore):
    """Nodes and heartbeats (a part of :class:`~clustersim.swarm.SwarmCluster`)."""

    def node_names(self) -> list[str]:
        return list(self._nodes)

    def node_record(self, name: str) -> NodeRecord:
        return find(self._nodes, name, "node")

    def machine_alive(self, name: str) -> bool:
        record = self._nodes.get(name)
        return record is not None and record.alive

    def node_down(self, name: str | None) -> bool:
        return name is not None and self.node_record(name).status == "down"

    def update_node(self, name: str, *, availability: str | None = None,
                    labels: dict[str, str] | None = None, role: str | None = None) -> None:
        """``docker node update``: availability (active/pause/drain), labels (replaces the
        node labels) or role (promote/demote)."""
        self._require_leader()
        record = self.node_record(name)
        changes = []
        if availability is not None:
            if availability not in ("active", "pause", "drain"):
                raise SwarmError(f"availability must be active, pause or drain, "
                                 f"got {availability!r}")
            record.availability = availability
            changes.append(f"availability {availability}")
        if labels is not None:
            record.node = record.node.copy(labels=dict(labels))
            changes.append(f"labels {dict(labels)}")
        if role is not None and role != record.node.role:
            self._change_role(name, role)
            changes.append(f"role {role}")
        self.record(f"node/{name}", "NodeUpdate", ", ".join(changes) or "no change")
        self.orchestrator.node_changed(name)

    def check_demotion(self, name: str) -> None:
        """swarmkit's refusals before manager ``name`` becomes a worker
        (``manager/controlapi/node.go``, ``UpdateNode``): the swarm's last manager stays one,
        and so does a manager whose leaving the raft would lose the quorum
        (``manager/state/raft/raft.go``, ``CanRemoveMember``: the managers left that are
        reachable must still be a majority of the managers left)."""
        if self.raft.managers == [name]:
            raise SwarmError("attempting to demote the last manager of the swarm")
        left = [m for m in self.raft.managers if m != name]
        if len(self.raft.up.intersection(left)) < quorum(len(left)):
            raise SwarmError("can't remove member from the raft: this would result in a loss "
                             "of quorum")

    def _change_role(self, name: str, role: str) -> None:
        if role not in ("manager", "worker"):
            raise SwarmError(f"role must be manager or worker, got {role!r}")
        record = self.node_record(name)
        if role == "worker":
            self.check_demotion(name)
        record.node = record.node.copy(role=role)
        if role == "manager":
            self.raft.managers.append(name)
            if record.alive:
                self.raft.up.add(name)
        else:
            self.raft.managers.remove(name)
            self.raft.up.discard(name)
            if self.raft.leader == name:
                self._lose_leader()

    def fail_node(self, name: str) -> None:
        """The machine fails (power, network): its containers stop and it sends no heartbeat.
        The managers declare it down 10-15 s later and reschedule its tasks."""
        record = self.node_record(name)
        if not record.alive:
            return
        record.alive = False
        self.record(f"node/{name}", "NodeFailed", "machine stopped: no more heartbeats",
                    "Warning")
        if name in self.raft.managers:
            self.raft.up.discard(name)
            if self.raft.leader == name or not self.raft.has_quorum:
                self._lose_leader()
        delay = HEARTBEAT_PERIOD * GRACE_MULTIPLIER - self.clock.random.uniform(0, HEARTBEAT_PERIOD)
        self.clock.call_later(delay, lambda: self._heartbeat_expired(name))

    def _heartbeat_expired(self, name: str) -> None:
        record = self._nodes[name]
        if record.alive or record.status == "down" or not self.raft.has_leader:
            return  # back in time, already down, or a new leader will time it out
        record.status = "down"
        self.record(f"node/{name}", "NodeDown", "heartbeat failure", "Warning")
        self.orchestrator.node_changed(name)
        self.clock.call_later(NODE_DOWN_PERIOD, lambda: self._orphan(name))

    def _orphan(self, name: str) -> None:
        if self._nodes[name].status != "down":
            return
        for task in self.tasks_on(name):
            if not task.state.terminal:
                self.set_task_state(task, TaskState.ORPHANED,
                                    "node has been down for 24 hours")

    def recover_node(self, name: str) -> None:
        """The machine comes back: its agent registers again and reports its old tasks gone.
        Swarm does not move running tasks back (no rebalancing)."""
        record = self.node_record(name)
        if record.alive:
            return
        record.alive = True
        for task in self.tasks_on(name):
            if not task.state.terminal and task.state >= TaskState.ASSIGNED:
                if task.desired_state >= TaskState.SHUTDOWN:
                    self.set_task_state(task, TaskState.SHUTDOWN, "shutdown")
                else:
                    self.set_task_state(task, TaskState.FAILED, "started",
                                        "container stopped while the node was down")
        if name in self.raft.managers:
            self.raft.up.add(name)
            if not self.raft.has_leader and self.raft.has_quorum and not self.raft.electing:
                self._start_election()
        if self.raft.has_leader:
            self._mark_ready(name)

    def _mark_ready(self, name: str) -> None:
        record = self._nodes[name]
        if record.status != "ready":
            record.status = "ready"
            self.record(f"node/{name}", "NodeReady", "node registered")
        self.orchestrator.node_changed(name)

    def node_ls(self) -> list[dict[str, str]]:
        """Rows like ``docker node ls``: hostname, status, availability, manager status
        (Leader, Reachable, Unreachable, or empty for a worker)."""
        rows = []
        for name, record in self._nodes.items():
            manager = ""
            if name in self.raft.managers:
                manager = ("Leader" if name == self.raft.leader
                           else "Reachable" if record.alive else "Unreachable")
            rows.append({"hostname": record.node.hostname, "status": record.status.title(),
                         "availability": record.availability.title(), "manager": manager})
        return rows
