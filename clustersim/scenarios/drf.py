"""Two batch frameworks share a Mesos cluster under DRF: who gets how many tasks.

:func:`share_cluster` runs one :class:`clustersim.mesos.BatchFramework` per task shape,
each in its own role with a weight, on a small :class:`clustersim.mesos.MesosCluster`
until quiet, and reports each framework's tasks, its share of every resource and its
dominant share (apache/mesos ``src/master/allocator/mesos/sorter/drf/sorter.cpp``). The live
explorer is :func:`clustersim.widgets.drf.drf_explorer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clustersim.mesos import BatchFramework, MesosCluster
from clustersim.node import Node
from clustersim.numeric import is_number

__all__ = [
    "RESOURCES", "Sharing", "share_cluster"
]


_GIB_MIB = 1024


RESOURCES = ("cpus", "mem")


@dataclass(frozen=True)
class Sharing:
    """The outcome for one framework: tasks it runs and its share of each resource."""

    framework: str
    tasks: int
    shares: dict[str, float]

    @property
    def dominant(self) -> str:
        return max(RESOURCES, key=lambda r: self.shares[r])

    @property
    def dominant_share(self) -> float:
        return self.shares[self.dominant]


def share_cluster(
    agents: Sequence[Node],
    shapes: dict[str, tuple[float, float]],
    weights: dict[str, float] | None = None,
    tasks_wanted: int = 50,
    seed: int = 0,
) -> list[Sharing]:
    """Run one batch framework per ``shapes`` entry (name → (cpus, mem GiB) per task), each in
    its own role with ``weights``, until quiet; return what each got. A shape that is not
    two numbers of 0 or more is refused with the framework's name, and so are no agents (a
    share is a fraction of what the agents hold)."""
    agents = list(agents)
    if not agents:
        raise ValueError("share_cluster needs at least one agent to share, e.g. "
                         "Node.many(3, 'agent', cpu=4, memory='16Gi')")
    for name, shape in shapes.items():
        if not (isinstance(shape, tuple | list) and len(shape) == 2
                and all(is_number(amount) for amount in shape)):
            raise ValueError(f"the task shape of {name!r} must be (cpus, memory in GiB), two "
                             f"numbers such as (1, 4), not {shape!r}")
        for amount, unit in zip(shape, ("cpus", "GiB of memory"), strict=True):
            if amount < 0:
                raise ValueError(f"the task shape of {name!r} asks for {amount} {unit}: an "
                                 "amount cannot be negative (0 or more)")
    cluster = MesosCluster(agents, seed=seed)
    for name, (cpus, mem_gib) in shapes.items():
        cluster.register(BatchFramework(name, task_cpus=cpus, task_mem=mem_gib * _GIB_MIB,
                                        tasks=tasks_wanted))
    for role, weight in (weights or {}).items():
        cluster.set_weight(role, weight)
    cluster.run()
    total = {"cpus": sum(float(a.cpu) for a in agents),
             "mem": sum(float(a.memory) for a in agents) / 2**20}
    outcome = []
    for name, (cpus, mem_gib) in shapes.items():
        count = len(cluster.tasks(name))
        used = {"cpus": count * cpus, "mem": count * mem_gib * _GIB_MIB}
        outcome.append(Sharing(name, count, {r: used[r] / total[r] for r in RESOURCES}))
    return outcome
