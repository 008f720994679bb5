"""``SwarmCluster``: a Docker Swarm mode cluster in miniature, on simulated time.

The pieces follow swarmkit's manager: the orchestrators (:mod:`.orchestrator`) turn services
into tasks, the scheduler (:mod:`.scheduler`) places them, the dispatcher hands them to the
nodes' agents (:mod:`.agent`) and watches heartbeats, the updater (:mod:`.updates`) rolls out
changes, the routing mesh (:mod:`.mesh`) answers published ports, and Raft (:mod:`.raft`)
decides whether any of the managers may act at all.

Node failure, as Swarm detects it (moby/swarmkit ``manager/dispatcher/dispatcher.go``): every
node sends a heartbeat every 5 s (``DefaultHeartBeatPeriod``); the leader's dispatcher marks a
node DOWN ("heartbeat failure") when none arrived for ``period × GracePeriodMultiplier (3)``
= 15 s. Since the last heartbeat came some time within the last period, a failed node is
declared down 10-15 s after it fails (drawn from the seeded generator). Only then are its
tasks rescheduled; tasks left on a node that stays down become ORPHANED after 24 h
(``defaultNodeDownPeriod``).

The scheduler runs 50 ms after a change (swarmkit debounces commits by ``commitDebounceGap``).
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import simpy

from clustersim.limits import check_nodes, check_replicas
from clustersim.manifests import ManifestError, load_manifests
from clustersim.node import Node
from clustersim.sim import Clock, EventLog, NodeState, Snapshot
from clustersim.sim import TaskState as ViewTask
from clustersim.swarm.agent import Agent
from clustersim.swarm.constraints import parse_constraints
from clustersim.swarm.errors import NoLeaderError, SwarmError
from clustersim.swarm.mesh import Request, RoutingMesh, Traffic
from clustersim.swarm.orchestrator import Orchestrator
from clustersim.swarm.raft import RaftState
from clustersim.swarm.scheduler import NodeInfo, Scheduler
from clustersim.swarm.spec import ServiceSpec, services_from_stack
from clustersim.swarm.tasks import Task, TaskState
from clustersim.swarm.updates import Updater

__all__ = ["HEARTBEAT_PERIOD", "NODE_DOWN_PERIOD", "NodeRecord", "Service", "SwarmCluster"]

HEARTBEAT_PERIOD = 5.0
GRACE_MULTIPLIER = 3
NODE_DOWN_PERIOD = 24 * 3600.0
SCHEDULER_DEBOUNCE = 0.05
TASK_HISTORY_LIMIT = 5  # docker swarm init --task-history-limit (default 5)
_ID_ALPHABET = string.ascii_lowercase + string.digits


@dataclass
class NodeRecord:
    """The swarm's view of a node: ``status`` (``ready``/``down``, as the managers see it),
    ``availability`` and whether the machine is really ``alive``."""

    node: Node
    availability: str
    status: str = "ready"
    alive: bool = True


@dataclass
class Service:
    """A service: its current ``spec`` and ``version``, the ``previous`` spec (for rollback)
    and the update status ``docker service inspect`` shows."""

    name: str
    spec: ServiceSpec
    version: int = 1
    previous: ServiceSpec | None = None
    update_state: str = ""
    update_message: str = ""
    updater: Updater | None = None

    def __repr__(self) -> str:
        mode = "global" if self.spec.mode == "global" else f"replicas={self.spec.replicas}"
        return f"Service({self.name!r}, {mode}, image={self.spec.image!r}, v{self.version})"


class SwarmCluster:
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

    def __init__(self, nodes: Iterable[Node], seed: int = 0) -> None:
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
        self.clock = Clock(seed)
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
        self._tasks: dict[str, Task] = {}
        self._changes: dict[str, simpy.Event] = {}
        self._image_exits: dict[str, tuple[float, int]] = {}
        self._image_health: dict[str, tuple[float, bool, float]] = {}
        self._tick_pending = False
        self._deferred_ends: list[Task] = []
        self.raft = RaftState(managers, up=set(managers), leader=managers[0])
        self.scheduler = Scheduler(self.clock.random)
        self.orchestrator = Orchestrator(self)
        self.agent = Agent(self)
        self.mesh = RoutingMesh(self)

    # --- small helpers used by the parts -----------------------------------------------------
    def record(self, obj: str, reason: str, message: str, type: str = "Normal") -> None:
        self.events.record(self.clock.now, obj, reason, message, type)

    def new_id(self) -> str:
        return "".join(self.clock.random.choice(_ID_ALPHABET) for _ in range(25))

    def node_names(self) -> list[str]:
        return list(self._nodes)

    def node_record(self, name: str) -> NodeRecord:
        try:
            return self._nodes[name]
        except KeyError:
            raise SwarmError(f"node {name!r} not found; the nodes are "
                             f"{', '.join(self._nodes)}") from None

    def machine_alive(self, name: str) -> bool:
        record = self._nodes.get(name)
        return record is not None and record.alive

    def node_down(self, name: str | None) -> bool:
        return name is not None and self.node_record(name).status == "down"

    def service_tasks(self, service: str) -> list[Task]:
        return [t for t in self._tasks.values() if t.service == service]

    def tasks_on(self, node: str) -> list[Task]:
        return [t for t in self._tasks.values() if t.node == node]

    def image_behaviour(self, image: str) -> tuple[float, int] | None:
        return self._image_exits.get(image)

    def probe(self, image: str, running_for: float) -> tuple[bool, float]:
        """One health probe of a container of ``image`` that has run ``running_for`` seconds:
        ``(passed, seconds the probe took)``, as set by :meth:`set_image_health` (by default
        every probe passes at once)."""
        ready_after, healthy, took = self._image_health.get(image, (0.0, True, 0.0))
        return healthy and running_for >= ready_after, took

    def _service(self, name: str) -> Service:
        try:
            return self.services[name]
        except KeyError:
            raise SwarmError(f"service {name!r} not found; the services are "
                             f"{', '.join(self.services) or 'none'}") from None

    def _require_leader(self) -> None:
        if not self.raft.has_leader:
            raise NoLeaderError(self.raft.describe())

    # --- task life cycle ---------------------------------------------------------------------
    def wait_for_change(self, task: Task) -> simpy.Event:
        """An event that fires at the task's next state or desired-state change."""
        if task.id not in self._changes:
            self._changes[task.id] = self.clock.env.event()
        return self._changes[task.id]

    def _changed(self, task: Task) -> None:
        event = self._changes.pop(task.id, None)
        if event is not None:
            event.succeed()

    def new_task(self, service: Service, *, slot: int, node: str | None = None,
                 desired: TaskState = TaskState.RUNNING) -> Task:
        """Create a task from the service's current spec; the allocator makes it PENDING."""
        task = Task(self.new_id(), service.name, slot, service.version, service.spec,
                    self.clock.now, node=node, desired_state=desired)
        task.history.append((self.clock.now, TaskState.NEW))
        self._tasks[task.id] = task
        self.set_task_state(task, TaskState.PENDING, "pending task scheduling")
        self.request_tick()
        return task

    def set_task_state(self, task: Task, state: TaskState, message: str, err: str = "") -> None:
        """Record an observed state; a terminal state triggers the managers' reactions."""
        if task.state.terminal or (state == task.state and err == task.err):
            return
        task.state, task.message, task.err = state, message, err
        task.history.append((self.clock.now, state))
        if state == TaskState.RUNNING:
            task.started = self.clock.now
        warning = state in (TaskState.FAILED, TaskState.REJECTED)
        detail = f"{message}{': ' + err if err else ''}"
        where = f" on {task.node}" if task.node else ""
        self.record(f"task/{task.name}", state.value.title(), f"{task.id}{where}: {detail}",
                    "Warning" if warning else "Normal")
        self._changed(task)
        if state.terminal:
            self._task_ended(task)

    def _task_ended(self, task: Task) -> None:
        if state_failed(task) and task.slot and task.node:
            self.scheduler.task_failed(task.node, task, self.clock.now)
        service = self.services.get(task.service)
        if service is not None and service.updater is not None:
            service.updater.task_ended(task)
        if self.raft.has_leader:
            self.orchestrator.task_ended(task)
        elif task.desired_state <= TaskState.RUNNING:
            self._deferred_ends.append(task)
        self._reap(task)
        self.request_tick()

    def _reap(self, ended: Task) -> None:
        """The task reaper (swarmkit ``manager/orchestrator/taskreaper``): a slot (a node,
        for a global service) keeps at most ``TASK_HISTORY_LIMIT`` tasks; the oldest ended
        ones go first."""
        same = [t for t in self.service_tasks(ended.service)
                if (t.slot == ended.slot if ended.slot else t.node == ended.node)]
        for task in [t for t in same if t.state.terminal][:max(0, len(same) - TASK_HISTORY_LIMIT)]:
            del self._tasks[task.id]
            self._changes.pop(task.id, None)

    def set_desired(self, task: Task, state: TaskState) -> None:
        task.desired_state = state
        self._changed(task)

    def shut_down(self, task: Task, desired: TaskState = TaskState.SHUTDOWN) -> None:
        """Desired state SHUTDOWN (REMOVE when its service is removed); the node's agent
        stops the container."""
        if task.desired_state >= TaskState.SHUTDOWN:
            return
        self.set_desired(task, desired)
        if task.state < TaskState.ASSIGNED:
            self.set_task_state(task, TaskState.SHUTDOWN, "shutdown")
        else:
            self.agent.stop(task)

    # --- scheduling --------------------------------------------------------------------------
    def request_tick(self) -> None:
        if self._tick_pending or not self.raft.has_leader:
            return
        self._tick_pending = True
        self.clock.call_later(SCHEDULER_DEBOUNCE, self._tick)

    def _node_infos(self) -> dict[str, NodeInfo]:
        infos = {}
        for name, record in self._nodes.items():
            node = record.node
            infos[name] = NodeInfo(
                node, record.status == "ready", record.availability,
                int(node.cpu * 1_000_000_000), node.memory_bytes,
                {k: int(v) for k, v in node.extended_resources.items()})
        for task in self._tasks.values():
            if task.holds_resources and task.node in infos:
                infos[task.node].add_task(task, task.spec)
        return infos

    def _tick(self) -> None:
        self._tick_pending = False
        if not self.raft.has_leader:
            return
        infos = self._node_infos()
        groups: dict[tuple[str, int], list[Task]] = {}
        for task in self._tasks.values():
            if task.state != TaskState.PENDING or not task.wanted:
                continue
            if task.node is not None:
                reason = self.scheduler.fit_preassigned(task, infos[task.node])
                if reason is None:
                    self._assign(task, task.node,
                                 "scheduler confirmed task can run on preassigned node")
                else:
                    self._pending(task, reason)
            else:
                groups.setdefault((task.service, task.version), []).append(task)
        for tasks in groups.values():
            decisions, reason = self.scheduler.schedule_group(tasks, infos.values(),
                                                              self.clock.now)
            for task in tasks:
                if task.id in decisions:
                    self._assign(task, decisions[task.id], "scheduler assigned task to node")
                else:
                    self._pending(task, reason)

    def _assign(self, task: Task, node: str, message: str) -> None:
        task.node = node
        self.set_task_state(task, TaskState.ASSIGNED, message)
        self.agent.start(task)

    def _pending(self, task: Task, reason: str) -> None:
        if task.err != reason:
            task.err = reason
            self.record(f"task/{task.name}", "Pending", f"{task.id}: {reason}", "Warning")

    # --- services and stacks -----------------------------------------------------------------
    def deploy_stack(self, name: str, source: Any, *,
                     environment: dict[str, str] | None = None) -> list[Service]:
        """``docker stack deploy``: create or update every service of a Compose/stack file.

        ``source`` is a path, YAML text or a dict (as :func:`clustersim.load_manifests`
        takes); ``environment`` gives the variables the file uses (``${TAG}``). Services are
        named ``<name>_<service>``. Bad input raises ``ManifestError``; without a Raft leader
        the swarm refuses (``NoLeaderError``).
        """
        self._require_leader()
        if not isinstance(name, str) or not name:
            raise SwarmError(f"a stack needs a non-empty name, got {name!r}")
        label = str(source) if isinstance(source, Path) else None
        options = {"environment": environment} if environment is not None else {}
        stacks = [s for s in load_manifests(source, name=label or f"stack {name}", **options)
                  if s.system == "swarm"]
        if not stacks:
            raise ManifestError("no Compose/stack document found", source=label or f"stack {name}",
                                expected="a Compose file with a top-level 'services' mapping")
        specs = [spec for stack in stacks for spec in services_from_stack(name, stack.manifest)]
        for spec in specs:
            existing = self.services.get(spec.name)
            if existing is not None and existing.spec.mode != spec.mode:
                raise SwarmError(f"{spec.name}: service mode change is not allowed "
                                 f"({existing.spec.mode} → {spec.mode}); remove the service "
                                 "first")
        specs = [self.mesh.assign_ports(spec, getattr(self.services.get(spec.name), "spec", None))
                 for spec in specs]
        return [self._apply(spec) for spec in specs]

    def apply_service(self, spec: ServiceSpec) -> Service:
        """``docker service create`` or ``update`` with a whole :class:`ServiceSpec`, as the
        Engine API's ``POST /services/create`` and ``/services/<id>/update`` carry it
        (:mod:`clustersim.serve.docker`); a stack's services go through :meth:`deploy_stack`."""
        self._require_leader()
        existing = self.services.get(spec.name)
        if existing is not None and existing.spec.mode != spec.mode:
            raise SwarmError(f"{spec.name}: service mode change is not allowed "
                             f"({existing.spec.mode} → {spec.mode}); remove the service first")
        return self._apply(self.mesh.assign_ports(spec, getattr(existing, "spec", None)))

    def _apply(self, spec: ServiceSpec) -> Service:
        service = self.services.get(spec.name)
        self.mesh.publish(spec)
        if service is None:
            service = Service(spec.name, spec)
            self.services[spec.name] = service
            self.record(f"service/{spec.name}", "ServiceCreate",
                        f"{spec.mode} service created from image {spec.image or '(none)'}")
            self.orchestrator.reconcile(service)
            return service
        if spec == service.spec:
            return service
        rolling = spec.task_spec() != service.spec.task_spec()
        service.previous, service.spec = service.spec, spec
        service.version += 1
        self.record(f"service/{spec.name}", "ServiceUpdate", f"spec version {service.version}")
        self.orchestrator.reconcile(service)
        if rolling:
            self._start_updater(service, rollback=False)
        return service

    def _start_updater(self, service: Service, *, rollback: bool, message: str = "") -> None:
        if service.updater is not None:
            service.updater.cancel()
        service.updater = Updater(self, service, rollback=rollback, message=message)

    def update_finished(self, service: Service, updater: Updater) -> None:
        if service.updater is updater:
            service.updater = None

    def start_rollback(self, service: Service, message: str, *, manual: bool = False) -> None:
        """Roll the service back to its previous spec with its ``rollback_config``. A manual
        rollback swaps the two specs (a second one rolls forward again); an automatic one
        forgets the failed spec (swarmkit ``controlapi.UpdateService`` and the updater's
        ``rollbackUpdate``)."""
        if service.previous is None:
            raise SwarmError(f"service {service.name} does not have a previous spec")
        failed = service.spec
        service.spec = service.previous
        service.previous = failed if manual else None
        service.version += 1
        self.orchestrator.reconcile(service)
        self._start_updater(service, rollback=True, message=message)

    def update_service(self, name: str, *, image: str | None = None, replicas: int | None = None,
                       constraints: list[str] | None = None) -> Service:
        """``docker service update``: change the image, replica count or constraints."""
        self._require_leader()
        service = self._service(name)
        changes: dict[str, Any] = {}
        if image is not None:
            changes["image"] = image
        if replicas is not None:
            if service.spec.mode == "global":
                raise SwarmError(f"{name}: replicas can only be used with replicated mode")
            if not isinstance(replicas, int) or replicas < 0:
                raise SwarmError(f"{name}: replicas must be a whole number ≥ 0, got {replicas!r}")
            check_replicas(replicas, f"{name}: replicas")
            changes["replicas"] = replicas
        if constraints is not None:
            changes["constraints"] = tuple(parse_constraints(constraints))
        return self._apply(service.spec.with_changes(**changes))

    def scale(self, name: str, replicas: int) -> Service:
        """``docker service scale name=replicas``."""
        return self.update_service(name, replicas=replicas)

    def rollback_service(self, name: str) -> Service:
        """``docker service rollback``: back to the previous spec."""
        self._require_leader()
        service = self._service(name)
        self.start_rollback(service, "manually requested rollback", manual=True)
        return service

    def remove_stack(self, name: str) -> None:
        """``docker stack rm``: remove the stack's services and shut down their tasks."""
        self._require_leader()
        for service in [s for s in self.services.values() if s.spec.stack == name]:
            self.remove_service(service.name)

    def remove_service(self, name: str) -> None:
        """``docker service rm``: remove one service and shut down its tasks."""
        self._require_leader()
        service = self._service(name)
        if service.updater is not None:
            service.updater.cancel()
        del self.services[service.name]
        self.mesh.release(service.name)
        for task in self.service_tasks(service.name):
            self.shut_down(task, TaskState.REMOVE)
        self.record(f"service/{service.name}", "ServiceRemove", "service removed")

    # --- nodes -------------------------------------------------------------------------------
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

    def _change_role(self, name: str, role: str) -> None:
        if role not in ("manager", "worker"):
            raise SwarmError(f"role must be manager or worker, got {role!r}")
        record = self.node_record(name)
        if role == "worker" and self.raft.managers == [name]:
            raise SwarmError("attempting to demote the last manager of the swarm")
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

    @property
    def leader(self) -> str | None:
        """The Raft leader's node name, or ``None`` while the swarm has no leader."""
        return self.raft.leader

    # --- faults ------------------------------------------------------------------------------
    def fail_image(self, image: str, *, after: float = 2.0, exit_code: int = 1) -> None:
        """From now on, containers of ``image`` exit with ``exit_code`` ``after`` seconds
        after they start (a broken release; exit code 0 is a job that finishes)."""
        if after < 0:
            raise ValueError(f"after must be ≥ 0 s, got {after}")
        self._image_exits[image] = (float(after), int(exit_code))

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

    def _find_task(self, key: str) -> Task:
        for task in self._tasks.values():
            if key in (task.id, task.name) and task.wanted:
                return task
        raise SwarmError(f"no current task {key!r}; use a task id or a name such as 'web_web.1'")

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
                                     for s in self.services.values()):
            return True
        for task in self._tasks.values():
            if task.state.terminal or self.node_down(task.node):
                continue
            if task.desired_state != TaskState.RUNNING:
                return True
            if task.state < TaskState.RUNNING and not (task.state == TaskState.PENDING
                                                       and task.err):
                return True
            if task.state >= TaskState.STARTING and self.image_behaviour(task.spec.image):
                return True
        return any(record.status == "ready" and not self.machine_alive(name)
                   for name, record in self._nodes.items())

    def tasks(self, service: str | None = None, *, history: bool = False) -> list[Task]:
        """The current tasks (desired state RUNNING or READY), as ``docker service ps -f
        desired-state=running`` lists them; ``history=True`` adds the ended ones."""
        if service is not None and service not in self.services and not any(
                t.service == service for t in self._tasks.values()):
            self._service(service)  # raises with the list of services
        return [t for t in self._tasks.values()
                if (service is None or t.service == service)
                and (history or t.desired_state <= TaskState.RUNNING)]

    def ls(self) -> list[dict[str, str]]:
        """Rows like ``docker service ls``: name, mode, replicas (running/desired), image,
        ports."""
        rows = []
        for service in self.services.values():
            spec = service.spec
            running = sum(1 for t in self.tasks(service.name) if t.state == TaskState.RUNNING)
            if spec.mode == "global":
                desired = sum(1 for name in self._nodes
                              if self.orchestrator.node_valid_for_global(service, name))
            else:
                desired = spec.replicas
            ports = ", ".join(f"*:{p.published}->{p.target}/{p.protocol}" for p in spec.ports
                              if p.mode == "ingress")
            rows.append({"name": service.name, "mode": spec.mode,
                         "replicas": f"{running}/{desired}", "image": spec.image,
                         "ports": ports})
        return rows

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

    def ps(self, service: str | None = None) -> list[dict[str, str]]:
        """Rows like ``docker service ps`` (every task, newest first per slot): id, name,
        image, node, desired state, current state, error."""
        rows = []
        for task in sorted(self.tasks(service, history=True),
                           key=lambda t: (t.service, t.name, -t.created)):
            since = self.clock.now - task.history[-1][0]
            rows.append({"id": task.id[:12], "name": task.name, "image": task.spec.image,
                         "node": task.node or "", "desired": task.desired_state.value.title(),
                         "current": f"{task.state.value.title()} {since:.0f} s ago",
                         "error": task.err})
        return rows

    def snapshot(self) -> Snapshot:
        """The cluster now, in the shape the views draw."""
        used: dict[str, list[float]] = {name: [0.0, 0.0] for name in self._nodes}
        for task in self._tasks.values():
            if task.holds_resources and task.node in used:
                used[task.node][0] += task.spec.reservations.nano_cpus / 1e9
                used[task.node][1] += task.spec.reservations.memory_bytes
        nodes = []
        for name, record in self._nodes.items():
            if record.status == "down":
                status = "Down"
            elif not record.alive:
                status = "Failed"
            else:
                status = {"drain": "Drain", "pause": "Pause"}.get(record.availability, "Ready")
            node = record.node
            nodes.append(NodeState(name, float(node.cpu), float(node.memory_bytes),
                                   used[name][0], used[name][1], node.zone, status,
                                   dict(node.labels)))
        def ready(task: Task) -> bool:
            """Serving, as the managers see it: running on a node they have not marked down
            (a task still stopping during a start-first update serves until it has stopped)."""
            node = self._nodes.get(task.node) if task.node else None
            return task.state == TaskState.RUNNING and node is not None and node.status != "down"

        tasks = tuple(
            ViewTask(f"{t.name}.{t.id[:12]}", t.service, t.node, t.state.value,
                     t.spec.reservations.nano_cpus / 1e9, float(t.spec.reservations.memory_bytes),
                     ready(t))
            for t in self._tasks.values() if t.desired_state <= TaskState.RUNNING
            or not t.state.terminal)
        return Snapshot("swarm", self.clock.now, tuple(nodes), tasks)

    def __repr__(self) -> str:
        running = sum(1 for t in self._tasks.values() if t.state == TaskState.RUNNING)
        return (f"SwarmCluster({len(self._nodes)} nodes, {len(self.services)} services, "
                f"{running} running tasks, t={self.clock.now:g}s, leader={self.raft.leader})")


def state_failed(task: Task) -> bool:
    """FAILED or REJECTED: counts towards the node's recent failures of the service."""
    return task.state in (TaskState.FAILED, TaskState.REJECTED)
