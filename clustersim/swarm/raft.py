"""Managers and Raft: quorum arithmetic and what a swarm without a leader can still do.

Upstream: moby/swarmkit ``manager/state/raft/raft.go`` (etcd's Raft library underneath),
docs https://docs.docker.com/engine/swarm/raft/ and
https://docs.docker.com/engine/swarm/admin_guide/#maintain-the-quorum-of-managers .

- ``N`` managers need a quorum of ``N // 2 + 1`` to elect a leader and commit changes, so
  they tolerate ``(N - 1) // 2`` failures: 3 tolerate 1, 5 tolerate 2, 7 tolerate 3; an even
  count adds no tolerance (4 tolerate 1).
- Without a leader, nothing that writes to the Raft store works: no ``docker service create``
  or ``update``, no ``docker node update``, no scheduling, no rescheduling after failures
  ("The swarm does not have a leader …"). Tasks already running keep running, and the routing
  mesh keeps forwarding to them: workers do not need the managers to run containers.
- When the leader fails and a quorum is left, the others elect a new one after an election
  timeout. swarmkit ticks once a second with ``ElectionTick = 10``; etcd's Raft randomises the
  timeout between one and two election timeouts, so here it is 10-20 s from the seeded
  generator. Until then the swarm has no leader.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["ELECTION_TIMEOUT", "RaftState", "fault_tolerance", "quorum"]

ELECTION_TIMEOUT = 10.0  # s: ElectionTick (10) × TickInterval (1 s)


def quorum(managers: int) -> int:
    """Managers that must be reachable for a leader: a strict majority."""
    if managers < 0:
        raise ValueError(f"the number of managers must be ≥ 0, got {managers}")
    return managers // 2 + 1


def fault_tolerance(managers: int) -> int:
    """Manager failures the swarm survives with its quorum intact: ``(N - 1) // 2``."""
    return max(0, (managers - 1) // 2)


@dataclass
class RaftState:
    """Which managers are members and up, and who leads (``None`` while there is no leader)."""

    managers: list[str]
    up: set[str] = field(default_factory=set)
    leader: str | None = None
    electing: bool = False

    @property
    def has_quorum(self) -> bool:
        return len(self.up & set(self.managers)) >= quorum(len(self.managers))

    @property
    def has_leader(self) -> bool:
        return self.leader is not None

    def describe(self) -> str:
        n = len(self.managers)
        alive = len(self.up & set(self.managers))
        return (f"{alive} of {n} managers up, quorum {quorum(n)}, "
                f"tolerates {fault_tolerance(n)} failure(s), leader: {self.leader or 'none'}")

    def election_delay(self, rng: random.Random) -> float:
        """A randomised election timeout in [10, 20) s."""
        return ELECTION_TIMEOUT * (1 + rng.random())

    def elect(self, rng: random.Random) -> str | None:
        """Pick the new leader among the reachable managers, if they have a quorum."""
        self.electing = False
        candidates = sorted(self.up & set(self.managers))
        self.leader = rng.choice(candidates) if candidates and self.has_quorum else None
        return self.leader
