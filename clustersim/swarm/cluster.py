"""``SwarmCluster``: a Docker Swarm mode cluster in miniature, on simulated time.

The pieces follow swarmkit's manager: the control API (:mod:`.controlapi`) stores services,
the store (:mod:`.store`) holds their tasks, the orchestrators (:mod:`.orchestrator`) turn
services into tasks, the scheduler (:mod:`.scheduler`) places them, the dispatcher
(:mod:`.dispatcher`) watches the nodes' heartbeats and the agents (:mod:`.agent`) run the
tasks, the updater (:mod:`.updates`) rolls out changes, the routing mesh (:mod:`.mesh`)
answers published ports, and Raft (:mod:`.raft`) decides whether any of the managers may act
at all. :class:`SwarmCluster` joins the parts and keeps the scheduling pass, the Raft
election, the faults a learner injects and the views.

The scheduler runs 50 ms after a change (swarmkit debounces commits by ``commitDebounceGap``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from operator import attrgetter

import simpy

from clustersim.imageref import familiar_tagged, unresolvable
from clustersim.limits import check_exit, check_nodes
from clustersim.node import Node
from clustersim.sim import Clock, EventLog, NodeState, Snapshot
from clustersim.sim import TaskState as ViewTask
from clustersim.swarm.agent import Agent
from clustersim.swarm.controlapi import ControlAPI
from clustersim.swarm.dispatcher import (
    GRACE_MULTIPLIER,
    HEARTBEAT_PERIOD,
    NODE_DOWN_PERIOD,
    NodeRecord,
)
from clustersim.swarm.errors import SwarmError
from clustersim.swarm.mesh import Request, RoutingMesh, Traffic
from clustersim.swarm.nodeinfo import NodeSet
from clustersim.swarm.orchestrator import Orchestrator
from clustersim.swarm.raft import RaftState
from clustersim.swarm.scheduler import Scheduler
from clustersim.swarm.store import Service
from clustersim.swarm.taskindex import TaskIndex
from clustersim.swarm.tasks import Task, TaskState

__all__ = ["HEARTBEAT_PERIOD", "NODE_DOWN_PERIOD", "NodeRecord", "Service", "SwarmCluster"]

SCHEDULER_DEBOUNCE = 0.05

_TASK_INPUTS = attrgetter("state", "desired_state", "node")
"""What a task's entry in a snapshot depends on that changes after it is made."""
_RECORD_INPUTS = attrgetter("status", "alive", "availability", "node", "node.cpu", "node.memory")
"""The same of a node record's (its node is replaced on a label or role change; a lab may
replace the node's ``cpu`` or ``memory`` in place)."""


class SwarmCluster(ControlAPI):
    """A swarm of ``nodes`` (``clustersim.Node`` with ``role`` manager/worker) on a seeded clock.

    The first manager in the list is the initial Raft leader (the node that ran
    ``docker swarm init``); if no node is a manager, the first node becomes one. Nodes are
    copied: :meth:`update_node` changes the swarm's copy.

    - Services: :meth:`deploy_stack`, :meth:`update_service`, :meth:`scale`,
      :meth:`rollback_service`, :meth:`remove_stack`; ``services`` maps names to
      :class:`Service` (spec, version, update status).
    - Time and state: :meth:`run`, :meth:`tasks`, :meth:`ps`, :meth:`ls`, :meth:`node_ls`,
      :meth:`snapshot`, ``events``.
    - Nodes and faults: :meth:`update_node`, :meth:`fail_node`, :meth:`recover_node`,
      :meth:`fail_image`, :meth:`crash_task`; ``raft`` and :attr:`leader`.
    - Routing mesh: :meth:`request`, :meth:`traffic`.
    """

    def __init__(self, nodes: Iterable[Node], seed: int = 0, *, start: float = 0.0) -> None:
        nodes = list(nodes)
        if not all(isinstance(n, Node) for n in nodes):
            raise ValueError("SwarmCluster takes clustersim.Node objects, "
                             "e.g. Node.many(3, cpu=2, memory='4Gi', role='worker')")
        names = Counter(n.name for n in nodes)
        duplicates = sorted(name for name, count in names.items() if count > 1)
        if duplicates:
            raise ValueError(f"node names must be unique; repeated: {', '.join(duplicates)}")
        if not nodes:
            raise ValueError("a swarm needs at least one node")
        check_nodes(len(nodes))
        self.clock = Clock(seed, start=start)
        self.events = EventLog("swarm")
        self._nodes = {n.name: NodeRecord(n.copy(), n.availability) for n in nodes}
        managers = [n.name for n in nodes if n.role == "manager"]
        if not managers:
            first = nodes[0].name
            self._nodes[first].node = self._nodes[first].node.copy(role="manager")
            managers = [first]
            self.record(f"node/{first}", "NodePromoted",
                        "no node has role 'manager': the first node ran 'docker swarm init' "
                        "and is the manager", "Warning")
        self.services: dict[str, Service] = {}
        self._created: Counter[str] = Counter()
        self._node_set = NodeSet()
        self._refresh_node_set()
        self._index = TaskIndex(self._node_set.task_changed)
        self._tasks = self._index.all
        self._changes: dict[str, simpy.Event] = {}
        self._deleted_listeners: list[Callable[[Task], None]] = []
        self._image_exits: dict[str, tuple[float, int]] = {}
        self._image_health: dict[str, tuple[float, bool, float]] = {}
        self._unpullable: set[str] = set()
        """Images (:func:`~clustersim.imageref.familiar_tagged`) no registry serves."""
        self._tick_pending = False
        self._views: dict[str, tuple[tuple[object, ...], ViewTask]] = {}
        """Each task of the last snapshot: what its view showed, and the view."""
        self._shown: tuple[tuple[object, ...], tuple[tuple[NodeState, ...],
                                                     tuple[ViewTask, ...]]] | None = None
        """The last snapshot's nodes and tasks with what they were made from."""
        self._deferred_ends: list[Task] = []
        self.raft = RaftState(managers, up=set(managers), leader=managers[0])
        self.scheduler = Scheduler(self.clock.random)
        self.orchestrator = Orchestrator(self)
        self.agent = Agent(self)
        self.mesh = RoutingMesh(self)

    # --- small helpers used by the parts -----------------------------------------------------
    def image_behaviour(self, image: str) -> tuple[float, int] | None:
        return self._image_exits.get(image)

    def missing_image(self, image: str) -> str:
        """The node's error for a container of ``image`` when :meth:`fail_pull` made its pull
        fail or its registry is in the reserved domain ``.invalid``
        (:func:`~clustersim.imageref.unresolvable`), else ""."""
        named = familiar_tagged(image)
        return f"No such image: {named}" if named in self._unpullable or unresolvable(image) \
            else ""

    def probe(self, image: str, running_for: float) -> tuple[bool, float]:
        """One health probe of a container of ``image`` that has run ``running_for`` seconds:
        ``(passed, seconds the probe took)``, as set by :meth:`set_image_health` (by default
        every probe passes at once)."""
        ready_after, healthy, took = self._image_health.get(image, (0.0, True, 0.0))
        return healthy and running_for >= ready_after, took

    # --- scheduling --------------------------------------------------------------------------
    def request_tick(self) -> None:
        if self._tick_pending or not self.raft.has_leader:
            return
        self._tick_pending = True
        self.clock.call_later(SCHEDULER_DEBOUNCE, self._tick)

    def _refresh_node_set(self) -> None:
        """The scheduler's view of each node's status, availability and machine."""
        for record in self._nodes.values():
            self._node_set.update_node(record.node, record.status == "ready",
                                       record.availability)

    def _tick(self) -> None:
        self._tick_pending = False
        if not self.raft.has_leader:
            return
        self._refresh_node_set()
        infos = self._node_set.infos
        groups: dict[tuple[str, int], list[Task]] = {}
        for task in self._index.pending():
            if not task.wanted:
                continue
            if task.node is not None:
                reason = self.scheduler.fit_preassigned(task, infos[task.node])
                if reason is None:
                    self._assign(task, task.node,
                                 "scheduler confirmed task can run on preassigned node")
                else:
                    self._pending(task, reason)
            else:
                groups.setdefault((task.service_id, task.version), []).append(task)
        for tasks in groups.values():
            decisions, reason = self.scheduler.schedule_group(tasks, infos.values(),
                                                              self.clock.now)
            for task in tasks:
                if task.id in decisions:
                    self._assign(task, decisions[task.id], "scheduler assigned task to node")
                else:
                    self._pending(task, reason)

    def _assign(self, task: Task, node: str, message: str) -> None:
        with self._index.changing(task):
            task.node = node
        self.set_task_state(task, TaskState.ASSIGNED, message)
        self.agent.start(task)

    def _pending(self, task: Task, reason: str) -> None:
        if task.err != reason:
            with self._index.changing(task):
                task.err = reason
            self.record(f"task/{task.name}", "Pending", f"{task.id}: {reason}", "Warning")

    # --- Raft --------------------------------------------------------------------------------
    def _lose_leader(self) -> None:
        previous = self.raft.leader
        self.raft.leader = None
        if self.raft.has_quorum:
            self.record("swarm/raft", "LeaderLost", f"leader {previous} gone; electing a new one",
                        "Warning")
            self._start_election()
        else:
            self.record("swarm/raft", "QuorumLost",
                        f"no leader: {self.raft.describe()}; running tasks go on, "
                        "nothing is scheduled or changed", "Warning")

    def _start_election(self) -> None:
        self.raft.electing = True
        self.clock.call_later(self.raft.election_delay(self.clock.random), self._elect)

    def _elect(self) -> None:
        if self.raft.has_leader:
            return          # a forced new cluster led before this election's timeout
        leader = self.raft.elect(self.clock.random)
        if leader is None:
            self.record("swarm/raft", "QuorumLost", self.raft.describe(), "Warning")
            return
        self.record("swarm/raft", "LeaderElected",
                    f"{leader} is the leader; {self.raft.describe()}")
        deferred, self._deferred_ends = self._deferred_ends, []
        for task in deferred:
            self.orchestrator.task_ended(task)
        for name, record in self._nodes.items():
            if not record.alive and record.status != "down":
                delay = HEARTBEAT_PERIOD * GRACE_MULTIPLIER
                self.clock.call_later(delay, lambda n=name: self._heartbeat_expired(n))
            elif record.alive and record.status != "ready":
                self._mark_ready(name)
        for service in list(self.services.values()):
            self.orchestrator.reconcile(service)
        self.request_tick()

    def force_new_cluster(self, name: str) -> list[str]:
        """``docker swarm init --force-new-cluster`` on the manager ``name``: it keeps its
        copy of the swarm's state (services, tasks, nodes) and restarts its Raft as the only
        member, so it leads at once, with a quorum of one; every other manager is removed
        from the Raft. Returns the managers removed. This is how a swarm that lost its
        quorum for good is recovered (moby ``daemon/cluster/swarm.go``, ``Init``, which
        accepts ``ForceNewCluster`` on a manager already in a swarm; swarmkit
        ``manager/state/raft/raft.go``, ``loadAndStart``, which removes every other member;
        https://docs.docker.com/engine/swarm/admin_guide/#recover-from-disaster).

        The removed managers keep their node objects (manager role, no manager status in
        ``docker node ls``); a real one that comes back cannot rejoin this Raft and must
        leave and join again, and the simulator leaves it out of the Raft. Workers stay."""
        if name not in self.raft.managers:
            raise SwarmError("This node is not a swarm manager. Worker nodes can't be used to "
                             "view or modify cluster state. Please run this command on a "
                             "manager node or promote the current node to a manager.")
        if not self.node_record(name).alive:
            raise SwarmError(f"{name} is down: run it on a manager that is still up")
        removed = [m for m in self.raft.managers if m != name]
        self.raft.managers[:] = [name]
        self.raft.up.intersection_update({name})
        self.raft.leader = None
        self.record("swarm/raft", "ForceNewCluster",
                    f"{name} restarted the Raft as its only member"
                    + (f"; removed: {', '.join(removed)}" if removed else ""))
        self._elect()
        return removed

    def new_swarm(self, node: str) -> SwarmCluster:
        """The swarm that ``docker swarm init`` makes on ``node`` once it has left this one
        (moby ``daemon/cluster/swarm.go``, ``Init``: a new swarmkit node with no state): that
        machine alone, its manager, with none of this swarm's services, tasks or node labels.
        Its clock goes on from this one's time; its seed is drawn from this swarm's random
        stream, so its task IDs are new, and a service named as one here gets a new ID
        (:func:`~clustersim.swarm.identity.service_id` counts the names created before)."""
        machine = self.node_record(node).node.copy(role="manager", availability="active",
                                                   labels={})
        fresh = SwarmCluster([machine], seed=self.clock.random.randrange(2 ** 32),
                             start=self.clock.now)
        fresh._created.update(self._created)
        return fresh

    @property
    def leader(self) -> str | None:
        """The Raft leader's node name, or ``None`` while the swarm has no leader."""
        return self.raft.leader

    # --- faults ------------------------------------------------------------------------------
    def fail_image(self, image: str, *, after: float = 2.0, exit_code: int = 1) -> None:
        """From now on, containers of ``image`` exit with ``exit_code`` ``after`` seconds
        after they start (a broken release; exit code 0 is a job that finishes)."""
        self._image_exits[image] = check_exit(after, exit_code)

    def fail_pull(self, image: str) -> None:
        """From now on no registry serves ``image`` (a tag that does not exist, missing
        credentials): a node's pull fails, and with no copy of its own the node cannot create
        the container, so each new task of it ends REJECTED at ``preparing`` with
        "No such image: nginx:1.99" (:mod:`clustersim.swarm.agent`). ``nginx`` and
        ``nginx:latest`` are one image, as the daemon names them. Without this every image
        is taken to exist (the simulator has no registry to ask), but for one whose registry
        is under ``.invalid``, a domain that never resolves, which fails the same way: the
        served swarm's way to show it (``nonexistent.invalid/web:1``)."""
        self._unpullable.add(familiar_tagged(image))

    def restore_pull(self, image: str) -> None:
        """A registry serves ``image`` again; the tasks that replace rejected ones run."""
        self._unpullable.discard(familiar_tagged(image))

    def set_image_health(self, image: str, *, ready_after: float = 0.0, healthy: bool = True,
                         probe_time: float = 0.0) -> None:
        """How containers of ``image`` answer their service's health check from now on: the
        probe fails until the container has run ``ready_after`` seconds (an application
        warming up), always fails when ``healthy`` is False (a broken release), and takes
        ``probe_time`` seconds (longer than the check's ``timeout`` is a failure). Only
        services with a ``healthcheck`` probe their containers."""
        for name, value in (("ready_after", ready_after), ("probe_time", probe_time)):
            if value < 0:
                raise ValueError(f"{name} must be ≥ 0 s, got {value}")
        self._image_health[image] = (float(ready_after), bool(healthy), float(probe_time))

    def crash_task(self, task: Task | str, exit_code: int = 1) -> bool:
        """The container of a running task exits now with ``exit_code``."""
        found = task if isinstance(task, Task) else self._find_task(task)
        return self.agent.exit(found, exit_code)

    # --- routing mesh ------------------------------------------------------------------------
    def request(self, node: str, port: int, protocol: str = "tcp") -> Request:
        """Send one request to ``node:port`` now (see :mod:`clustersim.swarm.mesh`)."""
        return self.mesh.request(node, port, protocol)

    def traffic(self, port: int, *, rate: float = 10.0, duration: float = 60.0,
                nodes: Iterable[str] | None = None) -> Traffic:
        """Seeded requests to ``port`` over time; read the result after :meth:`run`."""
        return self.mesh.traffic(port, rate=rate, duration=duration, nodes=nodes)

    # --- time and views ----------------------------------------------------------------------
    def run(self, until: float | None = None) -> None:
        """Advance simulated time to ``until`` (absolute seconds). Without ``until``, run
        until the swarm is quiet (:meth:`busy` is false; a crash-looping service never is,
        and the run stops with ``LimitError`` after a simulated day,
        :meth:`clustersim.sim.Clock.run_until_quiet`)."""
        if until is not None:
            self.clock.run(until)
            return
        self.clock.run_until_quiet(self.busy)

    def busy(self) -> bool:
        """Work in flight: a scheduling pass due, an update rolling, a task on its way to
        RUNNING (a pending task that no node fits waits, it is not in flight), a replacement
        in its restart delay, a task being stopped, a container set to exit
        (:meth:`fail_image`), or a failed machine whose heartbeat has not yet expired.
        Health probes of running tasks are background work. swarmkit has no such notion:
        this is what the simulator's ``run()`` waits for."""
        if self._tick_pending or any(s.update_state in ("updating", "rollback_started")
                                     and self.mesh.allocated(s.name)
                                     for s in self.services.values()):
            return True
        index = self._index
        if any(not self.node_down(node) for node in index.in_flight):
            return True
        if self._image_exits and any(image in self._image_exits and not self.node_down(node)
                                     for node, image in index.started):
            return True
        return any(record.status == "ready" and not self.machine_alive(name)
                   for name, record in self._nodes.items())


    def snapshot(self) -> Snapshot:
        """The cluster now, in the shape the views draw: every node, and every task that is
        wanted or has not ended. A task serves (``ready``) when it is running on a node the
        managers have not marked down (a task still stopping during a start-first update
        serves until it has stopped).

        Its nodes and tasks are made again only when a task was added or its state, desired
        state or node changed, or a node record changed (its status, whether the machine
        runs, its availability, its node or the node's capacity): all else a snapshot shows
        is fixed when they are made. A run recorded every second mostly
        meets no such change, and each snapshot then shares the last one's tuples."""
        tasks, records = tuple(self._tasks.values()), tuple(self._nodes.items())
        key = (tasks, tuple(map(_TASK_INPUTS, tasks)), records,
               tuple(map(_RECORD_INPUTS, self._nodes.values())))
        if self._shown is None or self._shown[0] != key:
            self._shown = key, self._view()
        nodes, views = self._shown[1]
        return Snapshot("swarm", self.clock.now, nodes, views)

    def _view(self) -> tuple[tuple[NodeState, ...], tuple[ViewTask, ...]]:
        """The nodes and tasks of :meth:`snapshot`, made from the store."""
        records = self._nodes
        used: dict[str, list[float]] = {name: [0.0, 0.0] for name in records}
        views = []
        shown: dict[str, tuple[tuple[object, ...], ViewTask]] = {}
        for task in self._tasks.values():
            state, node = task.state, task.node
            reservations = task.spec.reservations
            if node in used and task.holds_resources:
                used[node][0] += reservations.nano_cpus / 1e9
                used[node][1] += reservations.memory_bytes
            if task.desired_state <= TaskState.RUNNING or not state.terminal:
                record = records.get(node) if node else None
                ready = state == TaskState.RUNNING and record is not None \
                    and record.status != "down"
                # A task's view is made again only when what it shows changed.
                key = (state, node, ready, task.spec, task.slot, task.service)
                known = self._views.get(task.id)
                if known is None or known[0] != key:
                    known = key, ViewTask(
                        f"{task.name}.{task.id[:12]}", task.service, node, state.value,
                        reservations.nano_cpus / 1e9, float(reservations.memory_bytes), ready)
                shown[task.id] = known
                views.append(known[1])
        self._views = shown
        nodes = []
        for name, record in records.items():
            if record.status == "down":
                status = "Down"
            elif not record.alive:
                status = "Failed"
            else:
                status = {"drain": "Drain", "pause": "Pause"}.get(record.availability, "Ready")
            cpu, memory = record.capacity()
            nodes.append(NodeState(name, cpu, memory, used[name][0], used[name][1],
                                   record.node.zone, status, dict(record.node.labels)))
        return tuple(nodes), tuple(views)

    def __repr__(self) -> str:
        running = sum(1 for t in self._tasks.values() if t.state == TaskState.RUNNING)
        return (f"SwarmCluster({len(self._nodes)} nodes, {len(self.services)} services, "
                f"{running} running tasks, t={self.clock.now:g}s, leader={self.raft.leader})")


