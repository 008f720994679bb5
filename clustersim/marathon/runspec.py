"""App and pod definitions ("run specs") read into the typed shape the framework schedules.

Field names, defaults and meanings follow d2iq-archive/marathon
``src/main/scala/mesosphere/marathon/state/AppDefinition.scala`` (``instances`` 1, ``cpus`` 1,
``mem`` 128 MiB, ``disk`` 0, ``backoffSeconds`` 1, ``backoffFactor`` 1.15,
``maxLaunchDelaySeconds`` 300 since PR #6686 (merged November 2018; the release that first has
it is not named in the sources read), 3600 before; one random port definition when
none is given),
``core/pod/PodDefinition.scala`` (executor resources 0.1 CPU, 32 MiB, 10 MiB disk),
``state/UnreachableStrategy.scala`` (``UnreachableEnabled``: ``inactiveAfterSeconds`` 0 and
``expungeAfterSeconds`` 0 since Marathon 1.5.1, changelog.md MARATHON-7576; the 300 s and 600 s
that older releases and ``docs/docs/configure-task-handling.md`` give were the defaults before;
``disabled`` for resident apps) and the networking docs ``docs/docs/networking.md``:

- networking mode: ``networks[0].mode`` (``host``, ``container/bridge``, ``container``), or
  the older ``container.docker.network`` (``HOST``, ``BRIDGE``, ``USER``) / ``ipAddress``;
- host mode: ``portDefinitions`` (or the old ``ports`` list); each asks for a host port, a
  random one from the offer unless ``requirePorts`` makes the port number itself the host
  port; the port number is also the service port (0 = assign one);
- bridge mode: ``portMappings`` with ``containerPort``, ``hostPort`` (default 0 = random)
  and ``servicePort`` (0 = assign); container mode: a mapping without ``hostPort`` gets no
  host port at all (the task has its own IP);
- pods: each container's ``resources`` plus the executor's; ``endpoints`` play the role of
  port mappings; a container's ``healthCheck`` is checked per container.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clustersim.limits import check_replicas
from clustersim.manifests.units import marathon_scalars
from clustersim.marathon.backoff import DEFAULT_MAX_LAUNCH_DELAY
from clustersim.marathon.constraints import Constraint, parse_constraints
from clustersim.marathon.plan import instances_of
from clustersim.marathon.upgrade import UpgradeStrategy

__all__ = ["HealthCheck", "PortSpec", "RunSpec"]

FIRST_CHECK_AFTER = 5.0   # HealthCheck.DefaultFirstHealthCheckAfter


def _scalars(raw: Mapping[str, Any], where: str) -> dict[str, float]:
    """Per-instance cpus, mem, disk and gpus, read by the manifest layer's one reader of
    Marathon amounts (:func:`clustersim.manifests.units.marathon_scalars`)."""
    try:
        return marathon_scalars(dict(raw))
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


def _number(value: Any, where: str, *, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ValueError(f"{where} must be a number ≥ {minimum:g}, got {value!r}")
    return float(value)


def _kill_grace(value: Any, where: str) -> float | None:
    """A task's kill grace period, the ``KillPolicy.grace_period`` Marathon gives its
    ``TaskInfo``: an app's ``taskKillGracePeriodSeconds`` (``TaskBuilder``) or a pod
    container's ``lifecycle.killGracePeriodSeconds`` (``TaskGroupBuilder.computeTaskInfo``),
    both in d2iq-archive/marathon ``src/main/scala/mesosphere/mesos/``; ``None`` when unset,
    when Marathon sets no policy and the executor's default applies."""
    grace = None if value is None else _number(value, where)
    if grace is not None and not math.isfinite(grace):
        raise ValueError(f"{where} must be a finite number of seconds, got {value!r}")
    return grace


def _lifecycle_kill_grace(lifecycle: Any, where: str) -> float | None:
    """A pod container's kill grace period, from its ``lifecycle`` object."""
    if lifecycle is None:
        return None
    if not isinstance(lifecycle, Mapping):
        raise ValueError(f"{where}.lifecycle must be an object, got {lifecycle!r}")
    return _kill_grace(lifecycle.get("killGracePeriodSeconds"),
                       f"{where}.lifecycle.killGracePeriodSeconds")


@dataclass(frozen=True)
class PortSpec:
    """One port of a run spec: ``host_port`` None (no host port), 0 (random) or fixed."""

    name: str | None
    protocol: str
    container_port: int | None
    host_port: int | None
    service_port: int
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HealthCheck:
    """One health check (``healthChecks[]`` of an app, ``healthCheck`` of a pod container).

    Defaults from ``src/main/scala/mesosphere/marathon/core/health/HealthCheck.scala``:
    grace 300 s, interval 60 s, timeout 20 s, 3 consecutive failures; ``MESOS_*`` checks
    wait ``delaySeconds`` (15 s) first.
    """

    protocol: str = "HTTP"
    grace_period_seconds: float = 300.0
    interval_seconds: float = 60.0
    timeout_seconds: float = 20.0
    max_consecutive_failures: int = 3
    delay_seconds: float = 15.0
    port_index: int | None = None
    container: str | None = None

    @classmethod
    def parse(cls, raw: Any, where: str, container: str | None = None) -> HealthCheck:
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where} must be an object, got {raw!r}")
        protocol = str(raw.get("protocol") or ("HTTP" if "http" in raw else
                                               "TCP" if "tcp" in raw else
                                               "COMMAND" if ("exec" in raw or "command" in raw)
                                               else "HTTP")).upper()
        failures = raw.get("maxConsecutiveFailures", 3)
        if isinstance(failures, bool) or not isinstance(failures, int) or failures < 0:
            raise ValueError(f"{where}.maxConsecutiveFailures must be a whole number ≥ 0")
        return cls(
            protocol=protocol,
            grace_period_seconds=_number(raw.get("gracePeriodSeconds", 300),
                                         f"{where}.gracePeriodSeconds"),
            interval_seconds=_number(raw.get("intervalSeconds", 60), f"{where}.intervalSeconds",
                                     minimum=1),
            timeout_seconds=_number(raw.get("timeoutSeconds", 20), f"{where}.timeoutSeconds"),
            max_consecutive_failures=failures,
            delay_seconds=_number(raw.get("delaySeconds", 15), f"{where}.delaySeconds"),
            port_index=raw.get("portIndex"),
            container=container,
        )

    @property
    def first_check_after(self) -> float:
        """Seconds after TASK_RUNNING until the first check: Mesos-run checks (``MESOS_*``,
        and every pod container's check) wait ``delaySeconds``; Marathon's own checks start
        ``DefaultFirstHealthCheckAfter`` (5 s) after the app's checks start, then run every
        ``intervalSeconds``. Simplified: here a task's first Marathon check comes 5 s after
        it runs."""
        mesos_run = self.protocol.startswith("MESOS_") or self.container is not None  # pods
        return self.delay_seconds if mesos_run else FIRST_CHECK_AFTER


def _network_mode(raw: Mapping[str, Any], kind: str) -> str:
    networks = raw.get("networks") or []
    if networks:
        mode = str((networks[0] or {}).get("mode", "container"))
        if mode not in ("host", "container", "container/bridge"):
            raise ValueError(f"{kind} {raw.get('id')!r}: networks[0].mode must be host, "
                             f"container or container/bridge, got {mode!r}")
        return mode
    docker = ((raw.get("container") or {}).get("docker") or {})
    legacy = str(docker.get("network", "")).upper()
    if legacy == "BRIDGE":
        return "container/bridge"
    if legacy == "USER" or raw.get("ipAddress"):
        return "container"
    return "host"


def _protocol(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(p) for p in value) or "tcp"
    return str(value or "tcp")


def _app_ports(raw: Mapping[str, Any], mode: str, where: str) -> list[PortSpec]:
    if mode == "host":
        if "portDefinitions" in raw and raw["portDefinitions"] is not None:
            definitions = raw["portDefinitions"]
        elif raw.get("ports") is not None:
            definitions = [{"port": p} for p in raw["ports"]]
        else:
            definitions = [{"port": 0, "name": "default"}]
        ports = []
        for i, d in enumerate(definitions):
            port = int(_number(d.get("port", 0), f"{where}.portDefinitions[{i}].port"))
            ports.append(PortSpec(d.get("name"), _protocol(d.get("protocol")), None, port, port,
                                  dict(d.get("labels") or {})))
        return ports
    container = raw.get("container") or {}
    mappings = container.get("portMappings")
    if mappings is None:
        mappings = (container.get("docker") or {}).get("portMappings") or []
    ports = []
    for i, m in enumerate(mappings):
        default_host = 0 if mode == "container/bridge" else None
        host = m.get("hostPort", default_host)
        ports.append(PortSpec(
            m.get("name"), _protocol(m.get("protocol")), m.get("containerPort"),
            None if host is None else int(_number(host, f"{where}.portMappings[{i}].hostPort")),
            int(_number(m.get("servicePort", 0), f"{where}.portMappings[{i}].servicePort")),
            dict(m.get("labels") or {}),
        ))
    return ports


#: ``UnreachableEnabled.DefaultInactiveAfter`` and ``DefaultExpungeAfter``: 0 s each since
#: Marathon 1.5.1 (MARATHON-7576; 5 and 10 minutes before): replace an unreachable instance as
#: soon as Mesos reports it, and kill the old one if its agent ever comes back.
DEFAULT_INACTIVE_AFTER, DEFAULT_EXPUNGE_AFTER = 0.0, 0.0


def _unreachable(raw: Any, resident: bool, where: str) -> tuple[float, float] | None:
    if raw == "disabled" or (raw is None and resident):
        return None
    if resident:
        raise ValueError(f"{where}: unreachableStrategy must be 'disabled' for an app with "
                         "local persistent volumes (its data cannot move to another agent)")
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}.unreachableStrategy must be 'disabled' or an object")
    inactive = _number(raw.get("inactiveAfterSeconds", DEFAULT_INACTIVE_AFTER),
                       f"{where}.inactiveAfterSeconds")
    expunge = _number(raw.get("expungeAfterSeconds", DEFAULT_EXPUNGE_AFTER),
                      f"{where}.expungeAfterSeconds")
    if expunge < inactive:
        raise ValueError(f"{where}.unreachableStrategy: expungeAfterSeconds ({expunge:g}) must "
                         f"be ≥ inactiveAfterSeconds ({inactive:g})")
    return inactive, expunge


@dataclass
class RunSpec:
    """An app or pod as the scheduler needs it (per-instance resources, ports, policies)."""

    id: str
    kind: str
    instances: int
    cpus: float
    mem: float
    disk: float
    gpus: float
    network: str
    ports: list[PortSpec]
    require_ports: bool
    constraints: list[Constraint]
    accepted_roles: list[str]
    health_checks: list[HealthCheck]
    backoff_seconds: float
    backoff_factor: float
    max_launch_delay_seconds: float
    upgrade: UpgradeStrategy
    unreachable: tuple[float, float] | None
    persistent_disk: float
    containers: list[dict[str, Any]]
    labels: dict[str, str]
    manifest: dict[str, Any]
    kill_grace: list[float | None]
    """Each task's kill grace period (:func:`_kill_grace`): an app's one task, a pod's
    tasks in the order of its containers."""

    @property
    def resident(self) -> bool:
        """Has local persistent volumes: its instances are pinned to their reservations."""
        return self.persistent_disk > 0

    @classmethod
    def from_manifest(cls, raw: Mapping[str, Any], kind: str) -> RunSpec:
        """Read an app (``kind="App"``) or pod (``kind="Pod"``) definition; bad fields raise
        ``ValueError`` naming the run spec and the field."""
        spec_id = str(raw.get("id"))
        where = f"{kind.lower()} {spec_id}"
        mode = _network_mode(raw, kind)
        if kind == "Pod":
            return cls._pod(raw, spec_id, where, mode)
        volumes = (raw.get("container") or {}).get("volumes") or []
        persistent = sum(_number((v.get("persistent") or {}).get("size", 0),
                                 f"{where}: persistent volume size")
                         for v in volumes if isinstance(v, Mapping) and v.get("persistent"))
        instances = instances_of(dict(raw), kind)
        check_replicas(instances, f"{where}: instances")
        return cls(
            id=spec_id, kind=kind, instances=instances, **_scalars(raw, where),
            network=mode, ports=_app_ports(raw, mode, where),
            require_ports=bool(raw.get("requirePorts", False)),
            constraints=parse_constraints(raw.get("constraints"), f"{where}: constraints"),
            accepted_roles=list(raw.get("acceptedResourceRoles") or ["*"]),
            health_checks=[HealthCheck.parse(h, f"{where}: healthChecks[{i}]")
                           for i, h in enumerate(raw.get("healthChecks") or [])],
            backoff_seconds=_number(raw.get("backoffSeconds", 1), f"{where}: backoffSeconds"),
            backoff_factor=_number(raw.get("backoffFactor", 1.15), f"{where}: backoffFactor",
                                   minimum=1),
            max_launch_delay_seconds=_number(
                raw.get("maxLaunchDelaySeconds", DEFAULT_MAX_LAUNCH_DELAY),
                f"{where}: maxLaunchDelaySeconds"),
            upgrade=UpgradeStrategy.parse(raw.get("upgradeStrategy"), resident=persistent > 0,
                                          where=f"{where}: upgradeStrategy"),
            unreachable=_unreachable(raw.get("unreachableStrategy"), persistent > 0, where),
            persistent_disk=persistent, containers=[],
            labels={str(k): str(v) for k, v in (raw.get("labels") or {}).items()},
            manifest=dict(raw),
            kill_grace=[_kill_grace(raw.get("taskKillGracePeriodSeconds"),
                                    f"{where}: taskKillGracePeriodSeconds")],
        )

    @classmethod
    def _pod(cls, raw: Mapping[str, Any], spec_id: str, where: str, mode: str) -> RunSpec:
        containers = raw.get("containers") or []
        if not containers:
            raise ValueError(f"{where}: a pod needs at least one container")
        ports: list[PortSpec] = []
        checks: list[HealthCheck] = []
        for i, container in enumerate(containers):
            name = container.get("name") or f"container-{i}"
            for endpoint in container.get("endpoints") or []:
                host = endpoint.get("hostPort", 0 if mode == "host" else None)
                ports.append(PortSpec(endpoint.get("name"), _protocol(endpoint.get("protocol")),
                                      endpoint.get("containerPort"), host,
                                      int(endpoint.get("servicePort", 0) or 0),
                                      dict(endpoint.get("labels") or {})))
            if container.get("healthCheck"):
                checks.append(HealthCheck.parse(container["healthCheck"],
                                                f"{where}: containers[{i}].healthCheck", name))
        persistent = sum(float((v.get("persistent") or {}).get("size", 0))
                         for v in raw.get("volumes") or [] if v.get("persistent"))
        scheduling = raw.get("scheduling") or {}
        backoff = scheduling.get("backoff") or {}
        placement = scheduling.get("placement") or {}
        instances = instances_of(dict(raw), "Pod")
        check_replicas(instances, f"{where}: instances")
        return cls(
            id=spec_id, kind="Pod", instances=instances, **_scalars(raw, where), network=mode,
            ports=ports, require_ports=False,
            constraints=parse_constraints(placement.get("constraints"),
                                          f"{where}: scheduling.placement.constraints"),
            accepted_roles=list(placement.get("acceptedResourceRoles") or ["*"]),
            health_checks=checks,
            backoff_seconds=float(backoff.get("backoff", 1)),
            backoff_factor=float(backoff.get("backoffFactor", 1.15)),
            max_launch_delay_seconds=float(backoff.get("maxLaunchDelay", DEFAULT_MAX_LAUNCH_DELAY)),
            upgrade=UpgradeStrategy.parse(scheduling.get("upgrade"), resident=persistent > 0,
                                          where=f"{where}: scheduling.upgrade"),
            unreachable=_unreachable(scheduling.get("unreachableStrategy"), persistent > 0, where),
            persistent_disk=persistent, containers=[dict(c) for c in containers],
            labels={str(k): str(v) for k, v in (raw.get("labels") or {}).items()},
            manifest=dict(raw),
            kill_grace=[_lifecycle_kill_grace(c.get("lifecycle"), f"{where}: containers[{i}]")
                        for i, c in enumerate(containers)],
        )
