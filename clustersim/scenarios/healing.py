"""Self-healing in all three systems: one application, one failed machine, three reactions.

:func:`node_failure_run` runs the same six-replica web application on a three-machine
Kubernetes cluster, a Mesos cluster with Marathon and a Docker Swarm, fails one machine and
records the run. What each system does, with the knob that times it:

- Kubernetes (kubernetes/kubernetes ``pkg/controller/nodelifecycle``,
  ``pkg/controller/tainteviction``): after ``node_monitor_grace_period`` (50 s) the node is
  NotReady and tainted ``node.kubernetes.io/unreachable:NoExecute``; its pods are evicted when
  their ``tolerationSeconds`` (300 s, added by the ``DefaultTolerationSeconds`` admission
  plugin) run out, and only then does the ReplicaSet create replacements.
- Mesos + Marathon (apache/mesos ``src/master/master.cpp`` agent health checks;
  d2iq-archive/marathon ``UnreachableStrategy.scala``): after ``agent_unreachable_seconds``
  (``--agent_ping_timeout`` 15 s × ``--max_agent_ping_timeouts`` 5 = 75 s) the master marks
  the agent unreachable and sends TASK_UNREACHABLE; Marathon replaces an instance once it has
  been unreachable for ``inactiveAfterSeconds`` and forgets it after ``expungeAfterSeconds``
  (both 0 by default since Marathon 1.5.1, 300 s and 600 s before,
  ``state/UnreachableStrategy.scala``; the scenario sets both, 0 unless told otherwise).
  Marathon is registered with ``--max_instances_per_offer 1`` so that, like the other two,
  the app starts spread over the three machines.
- Swarm (moby/swarmkit ``manager/dispatcher/dispatcher.go``): no heartbeat for 3 × 5 s and the
  node is down (10-15 s after it fails); its tasks are rescheduled at once, each replacement
  starting after the restart policy's ``delay`` (5 s).

The live control and its figure: :mod:`clustersim.widgets.healing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from clustersim import marathon
from clustersim.kubernetes import KubernetesCluster, Timing
from clustersim.kubernetes.system import KubernetesSystem
from clustersim.marathon.system import MarathonSystem
from clustersim.memo import memoized
from clustersim.mesos import MesosCluster
from clustersim.node import Node
from clustersim.reprs import brief
from clustersim.sim import Event, Snapshot, System, record_run
from clustersim.swarm import SwarmCluster
from clustersim.swarm.system import SwarmSystem
from clustersim.viz.capacity import task_counts

__all__ = [
    "NODES", "REPLICAS", "SYSTEMS", "FailureRun", "deployment", "marathon_app", "milestones",
    "node_failure_run", "stack", "three_nodes"
]


SYSTEMS = ("kubernetes", "marathon", "swarm")


NODES = ("node-1", "node-2", "node-3")


REPLICAS = 6


LABELS = {"kubernetes": "Kubernetes (Deployment)", "marathon": "Marathon on Mesos (app)",
           "swarm": "Docker Swarm (service)"}


OWNERS = {"kubernetes": "Deployment/web", "marathon": "/web", "swarm": "shop_web"}


_UNREACHABLE_KEYS = ("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready")


def three_nodes(system: str) -> list[Node]:
    """Three identical machines ``node-1`` … ``node-3`` (4 CPUs, 16 GiB) in zones a, b, c;
    for Swarm all three are managers (a typical small swarm), for Mesos they offer ports."""
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    extra: dict[str, Any] = {"role": "manager"} if system == "swarm" else {}
    if system == "marathon":
        extra["ports"] = [(31000, 32000)]
    return Node.many(3, "node", cpu=4, memory="16Gi", disk="100Gi",
                     zone=lambda i: f"zone-{'abc'[i - 1]}", **extra)


def deployment(replicas: int = REPLICAS, toleration_seconds: float | None = 300) -> dict:
    """The web application as a Deployment; ``toleration_seconds`` for the unreachable and
    not-ready taints (None: leave the admission plugin's default of 300 s)."""
    spec: dict[str, Any] = {"containers": [{
        "name": "web", "image": "nginx:1.27",
        "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}}}]}
    if toleration_seconds is not None:
        spec["tolerations"] = [{"key": key, "operator": "Exists", "effect": "NoExecute",
                                "tolerationSeconds": toleration_seconds}
                               for key in _UNREACHABLE_KEYS]
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": spec}}}


def marathon_app(instances: int = REPLICAS, inactive_after: float = 0,
                 expunge_after: float = 0) -> dict:
    """The web application as a Marathon app spread over hosts (``GROUP_BY hostname``)."""
    return {"id": "/web", "instances": instances, "cpus": 0.25, "mem": 256,
            "cmd": "nginx -g 'daemon off;'", "constraints": [["hostname", "GROUP_BY"]],
            "unreachableStrategy": {"inactiveAfterSeconds": int(inactive_after),
                                    "expungeAfterSeconds": int(max(expunge_after,
                                                                   inactive_after))}}


def stack(replicas: int = REPLICAS) -> dict:
    """The web application as a Swarm stack ``shop`` with one service ``web``."""
    return {"services": {"web": {"image": "nginx:1.27", "deploy": {
        "replicas": replicas, "resources": {"reservations": {"cpus": "0.25",
                                                             "memory": "256M"}}}}}}


@dataclass(frozen=True)
class FailureRun:
    """A recorded run: snapshots, the system's events, and the application's owner prefix."""

    __repr__ = brief

    system: str
    snapshots: list[Snapshot]
    events: list[Event]
    owner: str
    failed_node: str
    fail_at: float

    @property
    def label(self) -> str:
        return LABELS[self.system]

    @cached_property
    def counts(self) -> dict[str, list[int]]:
        """The application's tasks at each snapshot, by :func:`~clustersim.viz.capacity.
        task_counts`, counted once: a widget reads them several times a move, and a run is
        read-only (:mod:`clustersim.memo`)."""
        return task_counts(self.snapshots, self.owner)


def _number(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return float(value)


@memoized(128)
def node_failure_run(system: str, *, node: str = "node-1", fail_at: float = 30,
                     until: float = 480, step: float = 1, toleration_seconds: float = 300,
                     node_grace_seconds: float = 50, inactive_after: float = 0,
                     agent_unreachable_seconds: float = 75, recover_at: float | None = None,
                     seed: int = 0) -> FailureRun:
    """Run the web application on ``system``, fail ``node`` at ``fail_at`` (and bring it
    back at ``recover_at``), and snapshot every ``step`` seconds up to ``until``. Every
    second by default: a control plane's report can dip for a few seconds between coarser
    snapshots (Swarm's from 61 to 66 s after a failure at 30 s), and the time to recover is
    read from the snapshots.

    Kubernetes knobs: ``toleration_seconds``, ``node_grace_seconds``
    (``--node-monitor-grace-period``). Marathon/Mesos: ``inactive_after``
    (``unreachableStrategy.inactiveAfterSeconds``), ``agent_unreachable_seconds``. Swarm's
    heartbeat timing is fixed (5 s period, 3 missed)."""
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    if node not in NODES:
        raise ValueError(f"node must be one of {', '.join(NODES)}, not {node!r}")
    until = _number(until, "until", 20, 7200)
    fail_at = _number(fail_at, "fail_at", 15, until)
    step = _number(step, "step", 1, until)
    if recover_at is not None:
        recover_at = _number(recover_at, "recover_at", fail_at, until)
    times = [t * step for t in range(int(until // step) + 1)]
    # each system with its own knobs and its own form of the web application
    cluster: System
    if system == "kubernetes":
        cluster = KubernetesSystem(KubernetesCluster(
            three_nodes(system), seed=seed, timing=Timing(node_monitor_grace_period=_number(
                node_grace_seconds, "node_grace_seconds", 0, 3600))))
        seconds = _number(toleration_seconds, "tolerationSeconds", 0, 86400)
        if not seconds.is_integer():
            raise ValueError(f"tolerationSeconds must be whole seconds (an int64 in the API), "
                             f"got {toleration_seconds!r}")
        cluster.deploy(deployment(toleration_seconds=int(seconds)))
    elif system == "marathon":
        cluster = MarathonSystem(
            MesosCluster(three_nodes(system), seed=seed, agent_unreachable_seconds=_number(
                agent_unreachable_seconds, "agent_unreachable_seconds", 1, 3600)),
            marathon.Marathon(max_instances_per_offer=1))
        cluster.deploy(marathon_app(inactive_after=_number(
            inactive_after, "inactiveAfterSeconds", 0, 86400)))
    else:
        cluster = SwarmSystem(SwarmCluster(three_nodes(system), seed=seed))
        cluster.deploy(stack())
    before = [t for t in times if t < fail_at]
    snapshots = record_run(cluster, before)
    cluster.run(until=fail_at)
    cluster.fail_node(node)
    after = [t for t in times if t >= fail_at]
    if recover_at is not None:
        snapshots += record_run(cluster, [t for t in after if t < recover_at])
        cluster.run(until=recover_at)
        cluster.recover_node(node)
        after = [t for t in after if t >= recover_at]
    snapshots += record_run(cluster, after)
    return FailureRun(system, snapshots, cluster.events(), OWNERS[system], node, fail_at)


_MILESTONES = {"NodeNotReady": "NotReady", "TaintManagerEviction": "evicted",
               "AgentUnreachable": "unreachable", "NodeDown": "down",
               "NodeReady": "back", "AgentReregistered": "back"}


def milestones(run: FailureRun) -> list[tuple[float, str]]:
    """The failure and the first event of each kind that moves the story on."""
    marks = [(run.fail_at, "fails")]
    seen = set()
    for event in run.events:
        label = _MILESTONES.get(event.reason)
        if label and label not in seen and event.time >= run.fail_at:
            seen.add(label)
            marks.append((event.time, label))
    return marks
