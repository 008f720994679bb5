"""How fast the Mesos allocator runs: allocation rounds per second at 1,000 agents.

Four scenarios on 1,000 agents (16 CPUs, 64 GiB each) with four frameworks in three roles:

- ``busy``: every framework declines every offer with ``refuse_seconds=0``, so each round
  offers all 1,000 agents again (the allocator's worst case: 1,000 DRF sorts per round);
- ``filtered``: frameworks decline with the default 5 s filter, so most rounds find every
  agent filtered or offered;
- ``idle``: frameworks decline for 120 s (Marathon's ``--decline_offer_duration``), so after
  the first rounds every round only finds every agent filtered;
- ``filling``: four batch frameworks fill the cluster with 4,000 one-CPU tasks, one task per
  offer (DRF's progressive filling), then run to the end.

Run: ``python benchmarks/mesos_allocation.py``. Prints wall time, rounds and rounds per
second for each scenario.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from baseline import command_line, parse

if TYPE_CHECKING:
    from clustersim.mesos import Framework, MesosCluster

AGENTS = 1000
FRAMEWORKS = (("analytics", "batch"), ("etl", "batch"), ("web", "services"), ("ml", "research"))


def decliner(name: str, role: str, refuse_seconds: float) -> Framework:
    """A framework that declines every offer with a fixed refusal filter."""
    from clustersim.mesos import Framework, Offer

    class Decliner(Framework):
        def resource_offers(self, offers: list[Offer]) -> None:
            assert self.driver is not None
            self.driver.decline([o.id for o in offers], refuse_seconds=refuse_seconds)

    return Decliner(name, role)


def _cluster() -> MesosCluster:
    from clustersim import Node
    from clustersim.mesos import MesosCluster

    return MesosCluster(Node.many(AGENTS, cpu=16, memory="64Gi"), seed=0,
                        weights={"services": 2})


def _measure(label: str, cluster: MesosCluster, until: float | None) -> None:
    rounds_before = cluster.allocation_rounds
    start = time.perf_counter()
    cluster.run(until=until)
    wall = time.perf_counter() - start
    rounds = cluster.allocation_rounds - rounds_before
    print(f"{label:<10} {AGENTS} agents, {len(FRAMEWORKS)} frameworks: {rounds:5d} rounds "
          f"in {wall:6.2f} s wall → {rounds / wall:8.1f} rounds/s, "
          f"{len(cluster.offers):7d} offers, simulated {cluster.now:g} s")


def main() -> None:
    from clustersim.mesos import BatchFramework

    for label, refuse in (("busy", 0.0), ("filtered", 5.0), ("idle", 120.0)):
        cluster = _cluster()
        for name, role in FRAMEWORKS:
            cluster.register(decliner(name, role, refuse))
        _measure(label, cluster, until=30)

    cluster = _cluster()
    for name, role in FRAMEWORKS:
        cluster.register(BatchFramework(name, task_cpus=1, task_mem=1024, tasks=1000,
                                        run_seconds=20, role=role))
    _measure("filling", cluster, until=None)
    finished = {name: cluster.terminal_tasks(name).get("TASK_FINISHED", 0)
                for name, _ in FRAMEWORKS}
    print(f"           tasks finished per framework: {finished}")


if __name__ == "__main__":
    parse(command_line(__file__, __doc__))
    main()
