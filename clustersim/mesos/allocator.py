"""The hierarchical DRF allocator: which framework is offered which agent's free resources.

Follows apache/mesos ``src/master/allocator/mesos/hierarchical.cpp``
(``HierarchicalAllocatorProcess::__allocate``, ``recoverResources``, ``suppressOffers``,
``reviveOffers``) and ``docs/allocation-module.md``:

- Two levels of :class:`~clustersim.mesos.drf.DRFSorter`: one sorts **roles**, one per role
  sorts that role's **frameworks**. Role weights (``docs/weights.md``) scale role shares.
- Each allocation round visits the active agents in a random order (upstream shuffles
  them, here with the cluster's seeded generator). For each agent it walks roles in DRF
  order, then the role's frameworks in DRF order, and gives the first framework that is not
  suppressed and has no matching refusal filter **all** of the agent's free resources; the
  sorters are updated at once, so the next agent sees the new shares.
- Agents with GPUs are offered only to frameworks with the ``GPU_RESOURCES`` capability
  (MESOS-5634).
- Resources are offered only when they are *allocatable*: at least 0.01 cpus or 32 MiB of
  memory (``--min_allocatable_resources`` default ``cpus:0.01|mem:32``).
- Resources a framework declines or leaves unused return with a refusal filter that lasts
  ``max(refuse_seconds, allocation_interval)`` (MESOS-4302); ``revive`` clears a
  framework's filters. Rounds are timers re-armed before offers go out and filters expire
  by timers too, so ties between the two resolve as in upstream's
  ``HierarchicalAllocatorTest.OfferFilter`` and ``SmallOfferFilterTimeout``.
- A round that offered nothing is not worked out again while nothing it depends on has
  changed (the active agents and their free resources, the frameworks, their filters and
  suppression): the next round would offer nothing too. Its agents are still shuffled, so
  the seeded generator is drawn from exactly as in a full round. Upstream computes every
  round; the offers, and when they are made, are the same.

Simplified: no quota (the quota stage of ``__allocate`` is skipped), no reservations,
revocable resources or inverse offers, and a framework has one role (``MULTI_ROLE`` is not
modelled).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from clustersim.mesos.agents import ACTIVE, DISCONNECTED, Agent
from clustersim.mesos.drf import DRFSorter
from clustersim.mesos.offers import RefusedOfferFilter
from clustersim.mesos.resources import Resources
from clustersim.sim import Clock

__all__ = ["MIN_ALLOCATABLE", "HierarchicalAllocator"]

#: ``--min_allocatable_resources`` default: any one of these quantities makes resources
#: worth offering.
MIN_ALLOCATABLE: tuple[Mapping[str, float], ...] = ({"cpus": 0.01}, {"mem": 32.0})


@dataclass
class _FrameworkEntry:
    role: str
    gpu_resources: bool = False
    suppressed: bool = False
    filters: dict[str, list[RefusedOfferFilter]] = field(default_factory=dict)


class HierarchicalAllocator:
    """Roles, then frameworks within a role, sorted by weighted DRF; offers are whole agents."""

    def __init__(self, agents: Mapping[str, Agent], clock: Clock,
                 schedule: Callable[[float, Callable[[], None]], None], *,
                 allocation_interval: float = 1.0) -> None:
        self._agents = agents
        self._clock = clock
        self._schedule = schedule
        self.allocation_interval = allocation_interval
        self.role_sorter = DRFSorter()
        self.framework_sorters: dict[str, DRFSorter] = {}
        self._frameworks: dict[str, _FrameworkEntry] = {}
        self._role_members: dict[str, list[str]] = {}
        self._changes = 0
        """Raised by every change to frameworks, filters, the pool or allocations."""
        self._idle_inputs: tuple[int, list[tuple[Agent, Resources]]] | None = None
        """What the last round that offered nothing depended on (None: it offered some)."""
        self._shares: tuple[int, dict[str, dict[str, float]]] | None = None
        """``shares()`` as of a value of ``_changes``."""

    # -- frameworks and roles -----------------------------------------------------------

    def add_framework(self, framework_id: str, role: str, *, gpu_resources: bool = False) -> None:
        self._changes += 1
        if role not in self.framework_sorters:
            self.role_sorter.add(role)
            self.role_sorter.activate(role)
            sorter = DRFSorter()
            for agent in self._agents.values():
                if agent.state in (ACTIVE, DISCONNECTED):   # the agents in the pool
                    sorter.add_agent(agent.id, agent.total)
            self.framework_sorters[role] = sorter
            self._role_members[role] = []
        self.framework_sorters[role].add(framework_id)
        self.framework_sorters[role].activate(framework_id)
        self._role_members[role].append(framework_id)
        self._frameworks[framework_id] = _FrameworkEntry(role, gpu_resources)

    def update_weight(self, role: str, weight: float) -> None:
        """Set a role's weight (``/weights`` endpoint); a role of weight 2 is entitled to twice
        the share of a role of weight 1."""
        self._changes += 1
        self.role_sorter.update_weight(role, weight)

    def suppress(self, framework_id: str) -> None:
        self._changes += 1
        self._frameworks[framework_id].suppressed = True

    def revive(self, framework_id: str) -> None:
        self._changes += 1
        entry = self._frameworks[framework_id]
        entry.suppressed = False
        entry.filters.clear()

    # -- agents ---------------------------------------------------------------------------

    def add_agent(self, agent: Agent) -> None:
        self._changes += 1
        self.role_sorter.add_agent(agent.id, agent.total)
        for sorter in self.framework_sorters.values():
            sorter.add_agent(agent.id, agent.total)

    def remove_agent(self, agent: Agent) -> None:
        """Forget an agent: its resources leave the pool and every allocation on it ends."""
        self._changes += 1
        for role, sorter in self.framework_sorters.items():
            for framework_id, held in sorter.agent_allocation(agent.id).items():
                sorter.unallocated(framework_id, agent.id, held)
                self.role_sorter.unallocated(role, agent.id, held)
            sorter.remove_agent(agent.id)
        self.role_sorter.remove_agent(agent.id)
        for entry in self._frameworks.values():
            entry.filters.pop(agent.id, None)

    # -- allocation bookkeeping -----------------------------------------------------------

    def track(self, framework_id: str, agent_id: str, resources: Resources) -> None:
        """Count resources a framework's tasks use again (its agent re-registered)."""
        self._changes += 1
        role = self._frameworks[framework_id].role
        self.framework_sorters[role].allocated(framework_id, agent_id, resources)
        self.role_sorter.allocated(role, agent_id, resources)

    def recover(self, framework_id: str, agent_id: str, resources: Resources,
                refuse_seconds: float | None = None) -> None:
        """Resources go back from a framework (declined, unused, or its task ended); with
        ``refuse_seconds`` a refusal filter is installed."""
        if not resources:
            return
        self._changes += 1
        role = self._frameworks[framework_id].role
        self.framework_sorters[role].unallocated(framework_id, agent_id, resources)
        self.role_sorter.unallocated(role, agent_id, resources)
        if refuse_seconds:
            # The filter outlives at least one allocation interval (MESOS-4302). Its expiry
            # is a timer, so at an instant shared with an allocation round the order of the
            # two timers decides, as in Mesos: a round armed before the refusal still sees it.
            timeout = max(self.allocation_interval, float(refuse_seconds))
            refusal = RefusedOfferFilter(framework_id, agent_id, resources,
                                         self._clock.now + timeout)
            self._frameworks[framework_id].filters.setdefault(agent_id, []).append(refusal)
            self._schedule(timeout, lambda: self._expire(refusal))

    def _expire(self, refusal: RefusedOfferFilter) -> None:
        self._changes += 1
        entry = self._frameworks[refusal.framework_id]
        filters = entry.filters.get(refusal.agent_id, [])
        if refusal in filters:
            filters.remove(refusal)

    def is_filtered(self, framework_id: str, agent_id: str, resources: Resources) -> bool:
        filters = self._frameworks[framework_id].filters.get(agent_id)
        return bool(filters) and any(f.filters(resources) for f in filters)

    @staticmethod
    def allocatable(resources: Resources) -> bool:
        return any(
            all(resources.get(name) >= amount for name, amount in minimum.items())
            for minimum in MIN_ALLOCATABLE
        )

    def allocate(self) -> dict[str, dict[str, Resources]]:
        """One allocation round: ``{framework_id: {agent_id: resources}}`` to offer."""
        offerable: dict[str, dict[str, Resources]] = {}
        active = [a for a in self._agents.values() if a.state == ACTIVE]
        agent_ids = [a.id for a in active]
        self._clock.random.shuffle(agent_ids)
        inputs = self._round_inputs(active)
        if inputs == self._idle_inputs:
            return offerable
        for agent_id in agent_ids:
            agent = self._agents[agent_id]
            available = agent.available
            if self.allocatable(available):
                self._allocate_agent(agent, available, offerable)
        self._idle_inputs = None if offerable else inputs
        return offerable

    def _round_inputs(self, active: list[Agent]) -> tuple[int, list[tuple[Agent, Resources]]]:
        """What decides whether a round offers anything: the allocator's own state (as a
        count of its changes) and the ``active`` agents with their free resources (the
        master changes those directly)."""
        return self._changes, [(a, a.available) for a in active]

    def _allocate_agent(self, agent: Agent, available: Resources,
                        offerable: dict[str, dict[str, Resources]]) -> None:
        has_gpus = agent.total.get("gpus") > 0
        for role in self.role_sorter.sort():
            sorter = self.framework_sorters[role]
            for framework_id in sorter.sort():
                entry = self._frameworks[framework_id]
                if entry.suppressed or (has_gpus and not entry.gpu_resources) \
                        or self.is_filtered(framework_id, agent.id, available):
                    continue
                self._changes += 1
                agent.allocated = agent.allocated + available
                sorter.allocated(framework_id, agent.id, available)
                self.role_sorter.allocated(role, agent.id, available)
                offerable.setdefault(framework_id, {})[agent.id] = available
                return

    # -- reading --------------------------------------------------------------------------

    @property
    def changes(self) -> int:
        """How many times frameworks, filters, the pool or allocations changed so far: what
        the allocator computes is the same while this count is."""
        return self._changes

    def shares(self) -> dict[str, dict[str, float]]:
        """Dominant shares (fractions of the pool): ``{"roles": {role: share},
        "frameworks": {framework_id: share}}`` (kept until the allocator changes)."""
        changes = self.changes
        if self._shares is None or self._shares[0] != changes:
            self._shares = (changes, self._compute_shares())
        return {kind: dict(by_name) for kind, by_name in self._shares[1].items()}

    def _compute_shares(self) -> dict[str, dict[str, float]]:
        return {
            "roles": {role: self.role_sorter.share(role) for role in self.framework_sorters},
            "frameworks": {
                framework_id: self.framework_sorters[role].share(framework_id)
                for role, members in self._role_members.items()
                for framework_id in members
            },
        }
