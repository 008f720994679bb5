"""Record a run as a series of snapshots, for animations and capacity-over-time figures.

Works with any of the three simulators: each has ``run(until=...)`` (absolute simulated
seconds) and ``snapshot()`` returning :class:`clustersim.sim.Snapshot`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from clustersim.sim.snapshot import Snapshot

__all__ = ["Simulated", "record_run"]


class Simulated(Protocol):
    """What :func:`record_run` needs from a simulator."""

    def run(self, until: float | None = None) -> object: ...

    def snapshot(self) -> Snapshot: ...


def record_run(cluster: Simulated, times: Iterable[float]) -> list[Snapshot]:
    """Advance ``cluster`` to each absolute time in ``times`` (ascending) and snapshot it."""
    snapshots = []
    previous = None
    for time in times:
        if previous is not None and time < previous:
            raise ValueError(f"times must be ascending: {time} comes after {previous}")
        cluster.run(until=time)
        snapshots.append(cluster.snapshot())
        previous = time
    return snapshots
