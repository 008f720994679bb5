"""``MesosCluster``: a Mesos master with its agents on one seeded, simulated clock.

The entry point labs use::

    cluster = MesosCluster(Node.many(3, cpu=4, memory="8Gi"), seed=0)
    cluster.register(BatchFramework("spark", task_cpus=1, task_mem=1024, tasks=6, run_seconds=30))
    cluster.run()                  # until nothing is left to do; or run(until=60)
    cluster.tasks(); cluster.offers; cluster.events; cluster.snapshot(); cluster.shares()

See :mod:`clustersim.mesos.master` for what happens on the clock and
:mod:`clustersim.mesos.framework` for the framework interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clustersim.mesos.agents import Agent
from clustersim.mesos.framework import Framework
from clustersim.mesos.master import MAX_COMPLETED_TASKS_PER_FRAMEWORK, Master
from clustersim.mesos.offers import OfferHistory
from clustersim.mesos.resources import Resources
from clustersim.mesos.tasks import TERMINAL_STATES, Task
from clustersim.sim import Clock, EventLog, NodeState, Snapshot, TaskState

__all__ = ["MesosCluster"]

_MIB = 1024 * 1024
_AGENT_STATUS = {"active": "Ready", "disconnected": "Disconnected", "unreachable": "Unreachable",
                 "gone": "Gone"}


class MesosCluster:
    """A simulated Mesos cluster: ``MesosCluster(agents, seed=0)`` with ``clustersim.Node`` agents.

    Options (Mesos master flags): ``allocation_interval`` (``--allocation_interval``, 1 s),
    ``agent_unreachable_seconds`` (``--agent_ping_timeout`` × ``--max_agent_ping_timeouts``,
    75 s), ``offer_timeout`` (``--offer_timeout``, off), ``weights`` (role → weight,
    ``--weights``/``/weights``), ``max_completed_tasks_per_framework``
    (``--max_completed_tasks_per_framework``, 1000).
    """

    def __init__(self, agents: Iterable[Any] = (), seed: int = 0, *,
                 allocation_interval: float = 1.0, agent_unreachable_seconds: float = 75.0,
                 offer_timeout: float | None = None,
                 weights: dict[str, float] | None = None,
                 max_completed_tasks_per_framework: int = MAX_COMPLETED_TASKS_PER_FRAMEWORK
                 ) -> None:
        self.clock = Clock(seed)
        self.master = Master(self.clock, allocation_interval=allocation_interval,
                             agent_unreachable_seconds=agent_unreachable_seconds,
                             offer_timeout=offer_timeout,
                             max_completed_tasks_per_framework=max_completed_tasks_per_framework)
        for role, weight in (weights or {}).items():
            self.set_weight(role, weight)
        self._shown: tuple[tuple[Any, ...], tuple[tuple[NodeState, ...],
                                                  tuple[TaskState, ...]]] | None = None
        """The last snapshot's agents and tasks with the records they were made from."""
        for node in agents:
            self.add_agent(node)

    # -- building -------------------------------------------------------------------------

    def add_agent(self, node: Any) -> Agent:
        """Register one more agent (a :class:`clustersim.Node`)."""
        if not hasattr(node, "cpu") or not hasattr(node, "attributes"):
            raise ValueError(f"agents must be clustersim.Node objects, got {type(node).__name__}")
        return self.master.add_agent(node)

    def register(self, framework: Framework) -> Framework:
        """Register a framework (Marathon, a :class:`BatchFramework` …) and return it."""
        return self.master.register(framework)

    def set_weight(self, role: str, weight: float) -> None:
        """Give a role a weight (Mesos ``/weights``): weight 2 is entitled to twice the share."""
        self.master.allocator.update_weight(role, weight)

    # -- running --------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.clock.now

    def run(self, until: float | None = None) -> None:
        """Advance the simulation to the absolute time ``until`` (s).

        Without ``until``, run until the cluster is quiet: no task or framework timer is
        pending and nothing has changed for long enough that every refusal filter and offer
        timeout has run out and the resources were offered again (so a framework that keeps
        declining, or hoarding offers, does not keep the run going); work that never ends
        raises ``LimitError`` after a simulated day (:meth:`clustersim.sim.Clock.
        run_until_quiet`).
        """
        if until is not None:
            self.clock.run(until)
            return
        master = self.master
        self.clock.run_until_quiet(
            lambda: bool(master.pending_work)
            or self.clock.now - master.last_activity < master.quiet_after)

    def fail_agent(self, name: str) -> Agent:
        """The agent stops answering: offers rescinded now, tasks lost/unreachable after
        ``agent_unreachable_seconds``."""
        return self.master.fail_agent(name)

    def mark_agent_gone(self, name: str) -> Agent:
        """The operator declares the agent gone for good (``MARK_AGENT_GONE``)."""
        return self.master.mark_agent_gone(name)

    def recover_agent(self, name: str, *, rebooted: bool = False) -> Agent:
        """Bring a failed agent back: reconnected, re-registered after a partition, or
        (``rebooted=True``) restarted with none of its tasks (see :meth:`Master.recover_agent`)."""
        return self.master.recover_agent(name, rebooted=rebooted)

    # -- reading --------------------------------------------------------------------------

    @property
    def agents(self) -> list[Agent]:
        return list(self.master.agents.values())

    @property
    def frameworks(self) -> list[Framework]:
        return list(self.master.frameworks.values())

    @property
    def offers(self) -> OfferHistory:
        """Every offer made so far, in order, with its outcome."""
        return self.master.offer_history

    @property
    def events(self) -> EventLog:
        return self.master.events

    @property
    def allocation_rounds(self) -> int:
        return self.master.rounds

    def tasks(self, framework: str | Framework | None = None,
              state: str | None = None) -> list[Task]:
        """The tasks the master knows (optionally of one framework, by name or object, or in
        one state), in launch order: every task that has not ended, and the last
        ``max_completed_tasks_per_framework`` completed tasks of each framework, as Mesos'
        ``/tasks`` lists them. :meth:`terminal_tasks` counts every task that ended."""
        name = framework.name if isinstance(framework, Framework) else framework
        return [
            t for t in self.master.tasks.values()
            if (name is None or t.framework == name) and (state is None or t.state == state)
        ]

    def terminal_tasks(self, framework: str | Framework | None = None) -> dict[str, int]:
        """How many tasks (optionally of one framework, by name or object) ended in each
        terminal state over the whole run, kept or not: the master's metrics
        ``master/tasks_finished``, ``master/tasks_failed`` … (per framework,
        ``frameworks/<name>/<id>/tasks/terminal/<state>``, apache/mesos ``docs/monitoring.md``)."""
        name = framework.name if isinstance(framework, Framework) else framework
        frameworks = self.master.frameworks
        counts: dict[str, int] = {}
        for (framework_id, state), count in sorted(self.master.terminal_tasks.items()):
            if name is None or frameworks[framework_id].name == name:
                counts[state] = counts.get(state, 0) + count
        return counts

    def shares(self) -> dict[str, float]:
        """Each framework's dominant share of the cluster (by framework name): the largest
        fraction of any resource it holds, offered or used."""
        shares = self.master.allocator.shares()["frameworks"]
        return {self.master.frameworks[fid].name: share for fid, share in shares.items()}

    def state(self) -> dict[str, Any]:
        """A summary in the shape of the master's ``/state`` endpoint (a subset of its
        fields, apache/mesos ``docs/endpoints/master/state.md``): agents with ``resources``,
        ``used_resources`` and ``offered_resources``; frameworks with theirs, their task
        count, the count of the completed tasks the master keeps (``completed_tasks``, which
        Mesos lists: at most ``max_completed_tasks_per_framework`` of them) and dominant
        ``share``."""
        master = self.master
        used: dict[tuple[str, str], Resources] = {}
        counts: dict[str, int] = {}
        for task in master.tasks.values():
            if task.terminal or task.state == "TASK_UNREACHABLE":
                continue
            for key in ((task.agent_id, ""), ("", task.framework_id)):
                used[key] = used.get(key, Resources()) + task.resources
            counts[task.framework_id] = counts.get(task.framework_id, 0) + 1
        offered: dict[tuple[str, str], Resources] = {}
        for offer in master.offers.values():
            for key in ((offer.agent_id, ""), ("", offer.framework_id)):
                offered[key] = offered.get(key, Resources()) + offer.resources
        shares = master.allocator.shares()["frameworks"]
        return {
            "agents": [
                {"id": a.id, "hostname": a.hostname, "active": a.state == "active",
                 "state": a.state, "resources": a.total.as_dict(),
                 "used_resources": used.get((a.id, ""), Resources()).as_dict(),
                 "offered_resources": offered.get((a.id, ""), Resources()).as_dict(),
                 "attributes": dict(a.attributes)}
                for a in master.agents.values()
            ],
            "frameworks": [
                {"id": fid, "name": f.name, "role": f.role,
                 "used_resources": used.get(("", fid), Resources()).as_dict(),
                 "offered_resources": offered.get(("", fid), Resources()).as_dict(),
                 "tasks": counts.get(fid, 0),
                 "completed_tasks": len(master.completed_tasks.get(fid, ())),
                 "share": shares.get(fid, 0.0)}
                for fid, f in master.frameworks.items()
            ],
        }

    def share_history(self) -> list[dict[str, Any]]:
        """Dominant shares after each allocation round that changed them, as rows
        ``{"time", "framework", "share"}`` (e.g. for a line chart of DRF at work). Shares
        count what is offered as well as what tasks use, as the allocator counts them."""
        return [
            {"time": time, "framework": name, "share": share}
            for time, shares in self.master.share_history
            for name, share in shares.items()
        ]

    def snapshot(self) -> Snapshot:
        """The cluster now, in the shape :mod:`clustersim.viz` draws: every agent (once, by
        name) and every task that has not ended. Its agents and tasks are made again only
        when a task or an agent was added or changed state (all else a snapshot shows is
        fixed when they are made): a run recorded every second mostly meets no such change,
        and each snapshot then shares the last one's tuples."""
        tasks, agents = tuple(self.master.tasks.values()), tuple(self.master.agents.values())
        key = (tasks, tuple(task.state for task in tasks), agents,
               tuple(agent.state for agent in agents))
        if self._shown is None or self._shown[0] != key:
            self._shown = key, self._view()
        nodes, views = self._shown[1]
        return Snapshot("mesos", self.clock.now, nodes, views)

    def _view(self) -> tuple[tuple[NodeState, ...], tuple[TaskState, ...]]:
        """The agents and tasks of :meth:`snapshot`, made from the master's records."""
        used: dict[str, tuple[float, float]] = {}
        tasks = []
        agents = self.master.agents
        for task in self.master.tasks.values():
            state = task.state
            if state in TERMINAL_STATES:
                continue   # like the Mesos UI's "Active Tasks"; cluster.tasks() has the kept ones
            resources = task.info.resources
            cpus, mem = resources.cpus, resources.mem
            if state != "TASK_UNREACHABLE":
                cpu, memory = used.get(task.agent_id, (0.0, 0.0))
                used[task.agent_id] = (cpu + cpus, memory + mem)
            tasks.append(TaskState(task.info.task_id, task.owner, agents[task.agent_id].name,
                                   state, cpus, mem * _MIB, state == "TASK_RUNNING"))
        latest = {agent.name: agent for agent in agents.values()}
        nodes = []
        for agent in latest.values():   # an agent that re-registered shows once
            cpu, memory = used.get(agent.id, (0.0, 0.0))
            nodes.append(NodeState(agent.name, agent.total.cpus, agent.total.mem * _MIB, cpu,
                                   memory * _MIB, agent.zone, _AGENT_STATUS[agent.state],
                                   dict(agent.attributes)))
        return tuple(nodes), tuple(tasks)

    def __repr__(self) -> str:
        return (f"MesosCluster({len(self.master.agents)} agents, "
                f"{len(self.master.frameworks)} frameworks, t={self.clock.now:g}s)")
