"""Rolling updates in all three systems: one strategy knob set per system, capacity over time.

:func:`rolling_update_run` deploys a six-replica web application, lets it settle, rolls out a
new version at t = 30 s and records every 5 s:

- Kubernetes: a Deployment's ``strategy.rollingUpdate`` ``maxSurge``/``maxUnavailable``
  (resolved by :func:`clustersim.kubernetes.resolve_fenceposts`, kubernetes/kubernetes
  ``pkg/controller/deployment/rolling.go``); pods are ready 10 s after they start
  (a readiness probe).
- Marathon: the app's ``upgradeStrategy`` ``minimumHealthCapacity``/``maximumOverCapacity``
  (:func:`clustersim.marathon.restart_strategy`, d2iq-archive/marathon
  ``TaskReplaceActor.scala``); instances count once their health check passes.
- Swarm: the service's ``update_config`` ``parallelism``, ``delay``, ``order`` and
  ``failure_action`` (moby/swarmkit ``manager/orchestrator/update/updater.go``); the service
  has a ``healthcheck`` (every 5 s, 30 s start period) and its containers answer it 10 s
  after they start, so a task is RUNNING, and the updater moves on, once it is healthy
  (:mod:`clustersim.swarm.agent`).

``failing=True`` rolls out a broken version instead. Each system fails the way it really does:
Kubernetes' new pods ask for more memory than any node has, stay Pending and the rollout
stalls until ``progressDeadlineSeconds`` (60 s here) marks it failed, after which the
operator runs ``kubectl rollout undo`` (Kubernetes never rolls back by itself); Marathon's
new version asks for more CPUs than any agent has and its deployment waits forever, until
the operator rolls back (``DELETE /v2/deployments/<id>`` starts a rollback deployment; the
simulator redeploys the previous definition with ``force=True``, which is the same plan);
Swarm's new image exits at once and ``failure_action: rollback`` rolls the service back by
itself.

The live control and its figure: :mod:`clustersim.widgets.updates`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from clustersim import marathon
from clustersim.kubernetes import KubernetesCluster
from clustersim.kubernetes.system import KubernetesSystem
from clustersim.manifests import ManifestSet, load_manifests
from clustersim.marathon.system import MarathonSystem
from clustersim.memo import memoized
from clustersim.mesos import MesosCluster
from clustersim.scenarios.healing import SYSTEMS, three_nodes
from clustersim.sim import Event, Snapshot, System
from clustersim.sim.conditions import ConditionChange, condition_changes
from clustersim.swarm import SwarmCluster
from clustersim.swarm.system import SwarmSystem
from clustersim.viz.capacity import (
    Marks,
    water_marks,
)

__all__ = [
    "DEFAULTS", "REPLICAS", "ROLLBACK_AT", "UPDATE_AT", "WARM_UP", "UpdateRun",
    "rolling_update_run"
]


REPLICAS = 6


UPDATE_AT = 30.0


ROLLBACK_AT = 150.0
"""When the operator rolls back a failed update in Kubernetes and Marathon."""


DEFAULTS: dict[str, dict[str, Any]] = {
    "kubernetes": {"maxSurge": "25%", "maxUnavailable": "25%"},
    "marathon": {"minimumHealthCapacity": 1.0, "maximumOverCapacity": 1.0},
    "swarm": {"parallelism": 1, "delay": 0, "order": "stop-first", "failure_action": "pause"},
}
"""Each system's defaults (Kubernetes and Marathon upstream; Swarm: docker/cli's)."""


LABELS = {"kubernetes": "Kubernetes", "marathon": "Marathon", "swarm": "Swarm"}
"""Each run's name in panel titles and legends; its settings are named beside it where they
differ (a figure's title, :func:`clustersim.widgets.updates.panel_titles`): the knob names in
the label too made a Marathon panel's title 970 px wide."""


_STEPS = {"kubernetes": 5.0, "marathon": 2.0, "swarm": 1.0}


OWNERS = {"kubernetes": "Deployment/web", "marathon": "/web", "swarm": "shop_web"}


@dataclass(frozen=True)
class UpdateRun:
    """A recorded rolling update: snapshots, events, the owner prefix and its water marks;
    for Kubernetes also ``conditions``, each change of the Deployment's conditions (its
    ``Progressing`` turning ``False`` with ``ProgressDeadlineExceeded`` when a rollout
    stalls, for which upstream records no Event: :mod:`clustersim.sim.conditions`)."""

    system: str
    strategy: dict[str, Any]
    snapshots: list[Snapshot]
    events: list[Event]
    owner: str
    failing: bool
    replicas: int = REPLICAS
    conditions: tuple[ConditionChange, ...] = ()

    @property
    def label(self) -> str:
        return LABELS[self.system]

    @property
    def marks(self) -> Marks:
        """Fewest serving and most existing tasks from the update on."""
        return water_marks([s for s in self.snapshots if s.time >= UPDATE_AT], self.owner)


def _strategy(system: str, strategy: Mapping[str, Any] | None) -> dict[str, Any]:
    if strategy is not None and not isinstance(strategy, Mapping):
        raise ValueError(f"strategy must be a dict such as {DEFAULTS[system]!r}")
    merged = {**DEFAULTS[system], **(strategy or {})}
    unknown = sorted(set(merged) - set(DEFAULTS[system]))
    if unknown:
        raise ValueError(f"{system} has no update setting {unknown[0]!r}; its settings are "
                         f"{', '.join(DEFAULTS[system])}")
    return merged


def _yours(manifest: dict[str, Any]) -> ManifestSet:
    """The workload that carries the learner's strategy, read so that a refusal names it
    ("your strategy, spec.strategy.rollingUpdate.maxSurge: ...") rather than ``<data>``."""
    return load_manifests(manifest, name="your strategy")


def _deployment(strategy: dict[str, Any], failing: bool, version: str,
                replicas: int) -> dict[str, Any]:
    memory = "64Gi" if failing else "256Mi"
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "progressDeadlineSeconds": 60,
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": dict(strategy)},
                     "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
                         "containers": [{
                             "name": "web", "image": f"shop/web:{version}",
                             "resources": {"requests": {"cpu": "250m", "memory": memory}},
                             "readinessProbe": {"httpGet": {"path": "/", "port": 80},
                                                "initialDelaySeconds": 10,
                                                "periodSeconds": 5}}]}}}}


def _app(strategy: dict[str, Any], failing: bool, version: str, replicas: int) -> dict[str, Any]:
    return {"id": "/web", "instances": replicas, "cpus": 8 if failing else 0.25, "mem": 256,
            "container": {"type": "DOCKER", "docker": {"image": f"shop/web:{version}"}},
            "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/", "gracePeriodSeconds": 30,
                              "intervalSeconds": 5, "maxConsecutiveFailures": 3}],
            "upgradeStrategy": dict(strategy)}


#: Seconds after its start until a web container answers its health check (as its
#: Kubernetes pods pass their readiness probe 10 s after they start).
WARM_UP = 10.0


def _go_duration(value: Any) -> str:
    """Swarm's ``delay`` as a Compose file writes it: ``update_config.delay`` is a Go duration
    string (docker/cli ``cli/compose/loader``, which refuses a number there); a number is
    taken as seconds here and written as one. Anything else is refused."""
    if isinstance(value, str):
        return value    # the stack loader reads it as time.ParseDuration does
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:.9f}".rstrip("0").rstrip(".") + "s"
    raise ValueError(f"delay must be a number of seconds or a Go duration such as '10s' or "
                     f"'1m30s', not {value!r}")


def _stack(strategy: dict[str, Any], replicas: int) -> dict[str, Any]:
    config = {**strategy, "delay": _go_duration(strategy["delay"]), "monitor": "10s"}
    return {"services": {"web": {
        "image": "shop/web:1.0",
        "healthcheck": {"test": ["CMD", "wget", "-qO-", "http://localhost/"],
                        "interval": "5s", "start_period": "30s"},
        "deploy": {"replicas": replicas, "update_config": config,
                   "resources": {"reservations": {"cpus": "0.25", "memory": "256M"}}}}}}


@memoized(96)
def rolling_update_run(system: str, strategy: Mapping[str, Any] | None = None, *,
                       failing: bool = False, replicas: int = REPLICAS, until: float = 240,
                       step: float | None = None, seed: int = 0) -> UpdateRun:
    """Deploy version 1.0, update to 2.0 at t = 30 s with ``strategy`` (merged over
    :data:`DEFAULTS`), record every ``step`` s until ``until`` (default: 5 s for Kubernetes,
    whose pods take 16 s to become ready, 2 s for Marathon, 1 s for Swarm, whose tasks are
    healthy about 12 s after they are created). ``failing``: version 2.0 is
    broken and is rolled back (by the operator at t = 150 s in Kubernetes and Marathon, by
    ``failure_action: rollback`` in Swarm if set)."""
    if system not in SYSTEMS:
        raise ValueError(f"system must be one of {', '.join(SYSTEMS)}, not {system!r}")
    settings = _strategy(system, strategy)
    if isinstance(replicas, bool) or not isinstance(replicas, int) or not 1 <= replicas <= 24:
        raise ValueError(f"replicas must be a whole number from 1 to 24, got {replicas!r}")
    step = step or _STEPS[system]
    times = [i * step for i in range(int(until // step) + 1)]
    # each system with its own form of the application, update and rollback
    cluster: System
    update: Callable[[], object]
    rollback: Callable[[], object] | None
    conditions: Callable[[], list[ConditionChange]] = list
    if system == "kubernetes":
        k8s = KubernetesCluster(three_nodes(system), seed=seed)
        cluster = KubernetesSystem(k8s)
        cluster.deploy(_yours(_deployment(settings, False, "1.0", replicas)))
        snapshot = cluster.snapshot
        update = lambda: cluster.deploy(_yours(_deployment(settings, failing, "2.0", replicas)))  # noqa: E731
        rollback = lambda: k8s.rollout_undo("web")  # noqa: E731
        seen: dict[str, tuple[str, str]] = {}

        def conditions() -> list[ConditionChange]:
            web = k8s.get("Deployment", "default", "web") or {}
            return condition_changes("deployment/web",
                                     (web.get("status") or {}).get("conditions") or [], seen)
    elif system == "marathon":
        framework = marathon.Marathon(max_instances_per_offer=1)
        cluster = MarathonSystem(MesosCluster(three_nodes(system), seed=seed), framework)
        cluster.deploy(_yours(_app(settings, False, "1.0", replicas)))
        snapshot = lambda: _healthy_only(cluster.snapshot(), framework)  # noqa: E731
        update = lambda: cluster.deploy(_yours(_app(settings, failing, "2.0", replicas)))  # noqa: E731
        rollback = lambda: framework.deploy(_app(settings, False, "1.0", replicas), force=True)  # noqa: E731
    else:
        swarm = SwarmCluster(three_nodes(system), seed=seed)
        for version in ("1.0", "2.0"):
            swarm.set_image_health(f"shop/web:{version}", ready_after=WARM_UP)
        if failing:
            swarm.fail_image("shop/web:2.0", after=1)
        cluster = SwarmSystem(swarm)
        cluster.deploy(_yours(_stack(settings, replicas)))
        snapshot = cluster.snapshot
        update = lambda: swarm.update_service("shop_web", image="shop/web:2.0")  # noqa: E731
        rollback = None    # Swarm's failure_action decides
    snapshots = []
    changes: list[ConditionChange] = []
    actions: list[tuple[float, Callable[[], object]]] = [(UPDATE_AT, update)]
    if failing and rollback is not None:
        actions.append((ROLLBACK_AT, rollback))
    for time in times:
        while actions and actions[0][0] <= time:
            when, action = actions.pop(0)
            cluster.run(until=when)
            changes += conditions()
            action()
        cluster.run(until=time)
        snapshots.append(snapshot())
        changes += conditions()
    return UpdateRun(system, settings, snapshots, cluster.events(), OWNERS[system], failing,
                     replicas, tuple(changes))


def _healthy_only(snapshot: Snapshot, framework: marathon.Marathon) -> Snapshot:
    """Marathon routes traffic (marathon-lb) only to instances whose health checks pass,
    while the Mesos snapshot calls every TASK_RUNNING task ready: keep ``ready`` only for
    the tasks of healthy instances."""
    healthy = {task for instance in framework.instances() if instance.healthy
               for task in instance.tasks}
    return replace(snapshot, tasks=tuple(replace(t, ready=t.ready and t.name in healthy)
                                         for t in snapshot.tasks))
