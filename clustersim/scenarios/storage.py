"""Stateful tasks and their storage: fail the machine of a database and see where it comes back.

:func:`stateful_run` runs one database task with its data volume on four machines
(``node-1`` and ``node-2`` in zone-a, ``node-3`` in zone-b, ``node-4`` in zone-c):

- Kubernetes: a StatefulSet ``db`` with one PersistentVolumeClaim per ordinal
  (``data-db-0``); the pod keeps its name and its claim wherever it runs
  (kubernetes/kubernetes ``pkg/controller/statefulset``). A pod on a failed node is evicted
  after its tolerations but stays Terminating while the node is silent, and the StatefulSet
  will not create a second ``db-0``: the operator declares the node shut down with the
  ``node.kubernetes.io/out-of-service`` taint (non-graceful node shutdown,
  https://kubernetes.io/docs/concepts/cluster-administration/node-shutdown/), then the pod
  is recreated with the same claim. ``zonal=True`` stands for a zonal disk (EBS, GCE PD,
  Azure Disk): its PersistentVolume carries node affinity for its zone, which the
  scheduler's VolumeBinding plugin enforces; the simulator's provisioned PersistentVolumes
  carry no node affinity (:mod:`clustersim.kubernetes.persistentvolumes`), so the same zone
  rule is written into the pod template. ``zonal=False`` stands for storage that
  attaches anywhere (a regional disk, NFS, Ceph).
- Marathon: a resident app with a local persistent volume
  (https://mesosphere.github.io/marathon/docs/persistent-volumes.html): its instance holds a
  reservation on its agent, its ``unreachableStrategy`` is ``disabled``, and it waits for
  that agent to come back.
- Swarm: a service with a ``local``-driver named volume. The data lives on the node that
  created it, so stacks pin such services with a ``node.hostname`` constraint
  (``pinned=True``): the task then waits for its node. Unpinned, the task is rescheduled at
  once, onto a fresh, empty volume of the same name on another node. Swarm's cluster
  volumes (Docker Engine 23+, CSI plugins, ``docker volume create --type``) can move with
  the task; the simulator does not model them.

The machine fails at ``fail_at``; at ``act_at`` the operator acts: in Kubernetes the
out-of-service taint, in Marathon and Swarm the machine comes back.

The live control and its figure: :mod:`clustersim.widgets.storage`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clustersim.clusters import open_system
from clustersim.memo import memoized
from clustersim.node import Node
from clustersim.scenarios.healing import SYSTEMS
from clustersim.sim import Event, Snapshot, record_run

__all__ = [
    "OUT_OF_SERVICE", "ZONES", "StatefulRun", "four_nodes", "resident_app", "stateful_run",
    "stateful_set", "volume_stack"
]


OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"


ZONES = "aabc"


LABELS = {"kubernetes": "Kubernetes (StatefulSet + PersistentVolumeClaim)",
           "marathon": "Marathon (resident app, local persistent volume)",
           "swarm": "Swarm (service with a local volume)"}


OWNERS = {"kubernetes": "StatefulSet/db", "marathon": "/db", "swarm": "shop_db"}


def four_nodes(system: str) -> list[Node]:
    """``node-1``/``node-2`` in zone-a, ``node-3`` in zone-b, ``node-4`` in zone-c (4 CPUs,
    16 GiB, 100 GiB disk); Swarm's first three are managers, Mesos agents offer ports."""
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    extra: dict[str, Any] = {"ports": [(31000, 32000)]} if system == "marathon" else {}
    if system == "swarm":
        extra["role"] = lambda i: "manager" if i <= 3 else "worker"
    return Node.many(4, "node", cpu=4, memory="16Gi", disk="100Gi",
                     zone=lambda i: f"zone-{ZONES[i - 1]}", **extra)


def stateful_set(zonal: bool = True) -> dict[str, Any]:
    """A one-replica StatefulSet ``db`` with a 10 Gi claim template ``data``; ``zonal`` adds
    the zone-a affinity a zonal disk's PersistentVolume would impose."""
    spec: dict[str, Any] = {"containers": [{
        "name": "postgres", "image": "postgres:17",
        "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}},
        "volumeMounts": [{"name": "data", "mountPath": "/var/lib/postgresql/data"}]}]}
    if zonal:
        spec["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{
                "key": "topology.kubernetes.io/zone", "operator": "In",
                "values": ["zone-a"]}]}]}}}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
            "spec": {"serviceName": "db", "replicas": 1,
                     "selector": {"matchLabels": {"app": "db"}},
                     "template": {"metadata": {"labels": {"app": "db"}}, "spec": spec},
                     "volumeClaimTemplates": [{
                         "metadata": {"name": "data"},
                         "spec": {"accessModes": ["ReadWriteOnce"],
                                  "resources": {"requests": {"storage": "10Gi"}}}}]}}


def resident_app() -> dict[str, Any]:
    """A Marathon app ``/db/postgres`` with a 10 GiB local persistent volume (resident), in
    the top-level group ``/db`` and of its role ``db``: Marathon 1.9 and later refuse a
    resident app of the role ``*``, the role of the root group's apps in a Marathon of the
    default ``--mesos_role`` (:class:`~clustersim.marathon.roles.ResidentRoleError`)."""
    return {"id": "/db/postgres", "role": "db", "instances": 1, "cpus": 0.5, "mem": 1024,
            "cmd": "postgres",
            "container": {"type": "MESOS", "volumes": [
                {"containerPath": "data", "mode": "RW", "persistent": {"size": 10240}}]},
            "unreachableStrategy": "disabled",
            "upgradeStrategy": {"minimumHealthCapacity": 0, "maximumOverCapacity": 0}}


def volume_stack(pinned: bool = True, node: str = "node-4") -> dict[str, Any]:
    """A stack ``shop`` with a service ``db`` and a local volume ``dbdata``; ``pinned`` adds
    the ``node.hostname`` constraint that keeps it with its data."""
    deploy: dict[str, Any] = {"replicas": 1}
    if pinned:
        deploy["placement"] = {"constraints": [f"node.hostname == {node}"]}
    return {"services": {"db": {"image": "postgres:17",
                                "volumes": ["dbdata:/var/lib/postgresql/data"],
                                "deploy": deploy}},
            "volumes": {"dbdata": {"driver": "local"}}}


@dataclass(frozen=True)
class StatefulRun:
    """A recorded run: snapshots, events, owner prefix, the task's first machine."""

    system: str
    snapshots: list[Snapshot]
    events: list[Event]
    owner: str
    home: str
    fail_at: float
    act_at: float | None

    @property
    def label(self) -> str:
        return LABELS[self.system]

    def placements(self) -> list[tuple[float, str | None]]:
        """(time, machine) whenever the serving machine changes (None: not serving)."""
        changes: list[tuple[float, str | None]] = []
        for snapshot in self.snapshots:
            down = {n.name for n in snapshot.nodes if n.status in ("NotReady", "Disconnected",
                                                                   "Unreachable", "Failed",
                                                                   "Down")}
            where = next((t.node for t in snapshot.tasks if t.owner.startswith(self.owner)
                          and t.ready and t.node not in down), None)
            if not changes or changes[-1][1] != where:
                changes.append((snapshot.time, where))
        return changes

    def back_at(self) -> tuple[float, str] | None:
        """When and where the task serves again after the failure (None: not by the end)."""
        for time, where in self.placements():
            if time > self.fail_at and where is not None:
                return time, where
        return None

    def kept_serving(self) -> bool:
        """Whether the task served from before the failure to the end without a gap (the
        failed machine was not the one it ran on)."""
        placements = self.placements()
        before = [where for time, where in placements if time <= self.fail_at]
        return (bool(before) and before[-1] is not None
                and all(where is not None for time, where in placements if time > self.fail_at))


def _number(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _home(snapshot: Snapshot, owner: str) -> str:
    for task in snapshot.tasks:
        if task.owner.startswith(owner) and task.node:
            return task.node
    raise ValueError(f"the {owner} task did not start: nothing to fail")


@memoized(96)
def stateful_run(system: str, *, fail_at: float = 30, act_at: float | None = 300,
                 until: float = 480, step: float = 5, zonal: bool = True, pinned: bool = True,
                 fail: str = "home", seed: int = 0) -> StatefulRun:
    """Run the database on ``system``, fail its machine (``fail="home"``) or another one
    (``fail="other"``) at ``fail_at``, let the operator act at ``act_at`` (None: never) and
    snapshot every ``step`` s until ``until``. See the module docstring for each system."""
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    if fail not in ("home", "other"):
        raise ValueError(f"fail must be 'home' (the task's machine) or 'other', not {fail!r}")
    until = _number(until, "until", 30, 7200)
    fail_at = _number(fail_at, "fail_at", 20, until)
    if act_at is not None:
        act_at = _number(act_at, "act_at", fail_at, until)
    times = [i * step for i in range(int(until // step) + 1)]
    cluster = open_system(system, four_nodes(system), seed=seed)
    cluster.deploy(stateful_set(zonal) if system == "kubernetes" else
                   resident_app() if system == "marathon" else volume_stack(pinned))
    snapshots = record_run(cluster, [t for t in times if t < fail_at])
    cluster.run(until=fail_at)
    home = _home(cluster.snapshot(), OWNERS[system])
    victim = home if fail == "home" else next(
        n.name for n in cluster.snapshot().nodes if n.name != home
        and (system != "swarm" or n.name != "node-1"))
    cluster.fail_node(victim)
    if system == "kubernetes":  # the operator marks the node out of service
        act = lambda: cluster.cluster.taint(victim, OUT_OF_SERVICE,  # noqa: E731
                                            "NoExecute", "nodeshutdown")
    else:                       # the operator brings the machine back
        act = lambda: cluster.recover_node(victim)  # noqa: E731
    later = [t for t in times if t >= fail_at]
    if act_at is not None:
        snapshots += record_run(cluster, [t for t in later if t < act_at])
        cluster.run(until=act_at)
        act()
        later = [t for t in later if t >= act_at]
    snapshots += record_run(cluster, later)
    return StatefulRun(system, snapshots, cluster.events(), OWNERS[system], home, fail_at,
                       act_at)
