"""The IDs and ``Version.Index`` of the simulated swarm's objects, as swarmkit's store keeps
them (IDs: :func:`object_id`).

In swarmkit every object of the store (cluster, node, service, task, secret, config...) carries
``Meta.Version``: each transaction that creates or updates it stamps it with the raft index of
that change, one index for the whole cluster, so the index only grows
(moby/swarmkit ``manager/state/store/memory.go``, ``touchMeta``). An update names the version
it was made from (``docker service update``, ``docker node update``, the SDK's
``Service.update`` send ``?version=N``, the one they read); the store refuses one that is not
the object's current version with ``ErrSequenceConflict``, "update out of sequence", a plain
error that gRPC carries as ``Unknown`` and the daemon answers with a 500
(moby ``errdefs``/``api/server/httpstatus``: ``statusCodeFromGRPCError``).

Changes made through the API are stamped by their handlers when they are made; the
simulator's own changes (a node that goes down, a rolling update's status, a task's state) are
stamped as the simulator records the event that reports them, from a summary of what the Engine
API shows of the object (:meth:`~clustersim.serve.dockerstate.DockerState.advance`), so their
indexes follow the order of the changes and a later read gives the same version.
Simplified (what swarmkit does instead): a change the simulator records no event for (a task's
desired state) is stamped when a client next reads the object, and two such changes between
two reads get one index, where swarmkit gives each transaction its own; a change that leaves
the summary as it was takes no index.
"""

from __future__ import annotations

from collections.abc import Hashable

from clustersim.goformat import NumError, parse_int
from clustersim.serve.core import HttpError
from clustersim.swarm.identity import object_id

__all__ = ["StoreVersions", "object_id", "out_of_sequence", "parse_version"]


def parse_version(raw: str | None, kind: str) -> int:
    """The ``?version=`` of an update, as moby's router reads it once it has read the body
    (``api/server/router/swarm/cluster_routes.go``: ``strconv.ParseUint``, required): a
    service's or node's refusal quotes the version as sent (``'%s'``) and the parser's error,
    a secret's or config's says neither."""
    raw = raw or ""
    try:
        return parse_int(raw, signed=False)
    except NumError as unreadable:
        if kind in ("secret", "config"):
            raise HttpError(400, f"invalid {kind} version") from None
        raise HttpError(400, f"invalid {kind} version '{raw}': {unreadable}") from None


def out_of_sequence() -> HttpError:
    """The daemon's answer to an update made from a version that is no longer current."""
    return HttpError(500, "rpc error: code = Unknown desc = update out of sequence")


class StoreVersions:
    """One raft index for the cluster, and for each object the index and simulated time of
    its last change (``Version.Index`` and ``UpdatedAt``)."""

    def __init__(self) -> None:
        self.index = 0
        self._objects: dict[Hashable, tuple[Hashable, int, float]] = {}

    def write(self, key: Hashable, state: Hashable, now: float) -> int:
        """Object ``key`` was created or changed through the API at ``now`` and shows
        ``state``: it takes the next index."""
        self.index += 1
        self._objects[key] = (state, self.index, now)
        return self.index

    def read(self, key: Hashable, state: Hashable, now: float) -> tuple[int, float]:
        """The index and update time of object ``key``, which shows ``state``: a new index if
        it changed since it was last stamped (or was never seen)."""
        known = self._objects.get(key)
        if known is None or known[0] != state:
            self.write(key, state, now)
            known = self._objects[key]
        return known[1], known[2]

    @staticmethod
    def check(sent: int, current: int) -> None:
        """Refuse an update made from version ``sent`` of an object now at ``current``."""
        if sent != current:
            raise out_of_sequence()

    def __len__(self) -> int:
        """How many objects have a version: those the swarm holds (a reaped task's goes
        with it, :class:`~clustersim.serve.dockerstate.DockerState`)."""
        return len(self._objects)

    def forget(self, key: Hashable) -> None:
        """Object ``key`` was removed: a new one of the same name starts afresh."""
        self._objects.pop(key, None)
