"""Service specs: a stack file's ``services`` read the way ``docker stack deploy`` reads them.

Upstream: docker/cli ``cli/compose/convert/service.go`` (replicas, mode, restart policy, update
and rollback configs, placement, resources, ports) and the Compose spec's ``deploy`` section
(https://docs.docker.com/reference/compose-file/deploy/). Defaults are swarmkit's and the
CLI's: restart condition ``any``, delay 5 s, unlimited attempts; update and rollback
parallelism 1, delay 0 s, ``failure_action: pause``, ``monitor: 5s``, ``max_failure_ratio: 0``,
``order: stop-first``.

Each service becomes ``<stack>_<service>``, as ``docker stack deploy`` names it. The values
are read once, by the loader (:func:`clustersim.load_manifests`: :mod:`clustersim.manifests.
compose` and its typed models in :mod:`~clustersim.manifests.compose_types`, which refuse what
docker/cli and swarmkit's control API refuse); this module converts a loaded stack
(:class:`~clustersim.manifests.StackSpec`) and checks nothing again, so a stack the loader
accepts is refused here only for what the simulator cannot run (Swarm jobs, below), never for
its values (``tests/unit/test_swarm_spec.py``).

A service's ``healthcheck`` (Compose spec
https://docs.docker.com/reference/compose-file/services/#healthcheck) becomes a
:class:`HealthCheck` with Docker's defaults (moby ``daemon/health.go``: interval 30 s, timeout
30 s, retries 3, start period 0 s, start interval 5 s); ``disable: true`` or a ``test`` of
``["NONE"]`` turns it off (both together are refused by the loader, as docker/cli refuses
them); the spec keeps a disabled check as docker/cli sends it, ``["NONE"]``. A service
without ``test``, or with ``test: []``, keeps the periods it gives but runs no probe here
(Docker would run the image's own ``HEALTHCHECK`` with them, which the simulator does not
know; ``test: ""`` is a test, ``CMD-SHELL`` with nothing to run, as docker/cli reads it); a
``test`` of ``CMD`` or ``CMD-SHELL`` alone runs no command and fails every probe
(:attr:`HealthCheck.always_fails`).

A service's ``volumes`` (in the long syntax the loader expands them to) become its
:class:`Mount` s, which a node's executor checks before it runs a task
(:mod:`clustersim.swarm.agent`). The CLI makes a bind's relative source absolute against the
Compose file's directory (docker/cli ``cli/compose/loader/loader.go``, ``resolveVolumePaths``)
after it has put its user's ``HOME`` in place of a leading ``~`` (``expandUser``); the
simulator, which has neither, resolves it against ``/`` and takes :data:`CLI_HOME` for the
home. ``docker service create --mount`` expands neither (docker/cli ``opts/mount.go`` makes
only ``.`` and ``./...`` absolute): its ``~/data`` reaches the node's executor, which refuses
it as a relative path (:mod:`clustersim.swarm.agent`).

Simplifications: only the fields that change placement or life cycle are read; networks,
secrets and configs are kept as written but not simulated, and so is what a volume holds.
Ports arrive in the Compose long syntax (the loader expands ``"8080:80"``); a port's
``host_ip`` is ignored, as Swarm ignores it. Swarm jobs (``replicated-job``,
``global-job``) load but are not simulated.

:func:`parse_duration`, :func:`parse_memory` and :func:`parse_cpus` read one value with the
loader's own readers (:mod:`clustersim.manifests.units`) for callers that hold a single value.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, cast

from clustersim.goformat import path_clean
from clustersim.limits import LimitError, check_replicas
from clustersim.manifests import ManifestError, StackSpec, compose_types, load_manifests
from clustersim.manifests.container_labels import label_map
from clustersim.manifests.healthchecks import compose_test
from clustersim.manifests.kubernetes_annotations import (
    EXIT_CODE,
    RUN_SECONDS,
    exit_code,
    run_seconds,
)
from clustersim.manifests.units import compose_bytes, compose_nano_cpus, go_duration, nano_cpus
from clustersim.swarm.constraints import Constraint, parse_constraint
from clustersim.swarm.errors import stack_error

__all__ = [
    "CLI_HOME",
    "HealthCheck",
    "Mount",
    "PortConfig",
    "ResourceSpec",
    "RestartPolicy",
    "ServiceSpec",
    "UpdateConfig",
    "bind_source",
    "checkout_paths",
    "compose_service",
    "container_exit",
    "parse_cpus",
    "parse_duration",
    "parse_memory",
    "service_spec",
    "services_from_stack",
]


def _unit(reader: Callable[[Any], Any], value: Any, where: str, expected: str) -> Any:
    """``reader(value)`` (one of :mod:`clustersim.manifests.units`, the one reader of each
    unit that the loader validates with too), its ``ValueError`` as a stack error."""
    try:
        return reader(value)
    except ValueError as err:
        raise stack_error(f"{where}: {err}", expected=expected) from None


def parse_duration(value: Any, where: str) -> float:
    """Seconds of a Compose duration (Go ``time.ParseDuration``: ``"10s"``, ``"1m30s"``,
    ``"10μs"``; :func:`~clustersim.manifests.units.go_duration`). A number is taken as
    seconds (the Engine API path, :mod:`clustersim.serve.docker`, converts nanoseconds). A
    negative duration is refused, as swarmkit's control API refuses one
    (``manager/controlapi/service.go``: "restart-delay cannot be negative")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        seconds = _unit(go_duration, value, where, "a duration such as '10s', '1m30s' or '500ms'")
    if seconds < 0:
        raise stack_error(f"{where}: duration {value!r} cannot be negative",
                          expected="a duration such as '10s'")
    return seconds


def parse_memory(value: Any, where: str) -> int:
    """Bytes of a Compose memory size (``"512M"``, ``"1.5g"``, ``"1gb"``; docker/go-units
    ``RAMInBytes``, :func:`~clustersim.manifests.units.compose_bytes`)."""
    return _unit(compose_bytes, value, where, "a size such as '512M', '1.5G' or a number of bytes")


def parse_cpus(value: Any, where: str) -> int:
    """NanoCPUs of a Compose ``cpus`` value (docker/cli ``opts.ParseCPUs``: a rational number
    such as ``"0.5"`` or ``"1/2"``; :func:`~clustersim.manifests.units.compose_nano_cpus`)."""
    return _unit(compose_nano_cpus, value, where, "a number of CPUs such as '0.5' or 2")


@dataclass(frozen=True, slots=True)
class PortConfig:
    """A published port: ``target`` (container), ``published`` (0 = assigned by Swarm from
    30000-32767), ``protocol`` and ``mode`` (``ingress``: routing mesh; ``host``: the node's
    own port where a task runs)."""

    target: int
    published: int = 0
    protocol: str = "tcp"
    mode: str = "ingress"


@dataclass(frozen=True, slots=True)
class Mount:
    """A mount of the task's container, the fields of swarmkit's ``Mount`` (``api/types.proto``)
    its executor checks: ``type`` (``bind``, ``volume``, ``tmpfs``, ``npipe`` or ``cluster``;
    an Engine API mount without one is a bind, the enum's zero value), the ``source`` (a host
    path, a volume name, or empty) and the ``target`` path in the container."""

    type: str = "bind"
    source: str = ""
    target: str = ""


@dataclass(frozen=True, slots=True)
class ResourceSpec:
    """Reservations: ``nano_cpus`` (10^-9 CPU), ``memory_bytes``, ``generic`` (a count of
    each kind; a ``(kind, id)`` entry only where the Engine API sent a named one, which no
    node satisfies: :func:`clustersim.serve.dockerspec.simulator_spec`)."""

    nano_cpus: int = 0
    memory_bytes: int = 0
    generic: tuple[tuple[str, int | str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.nano_cpus or self.memory_bytes or self.generic)


@dataclass(frozen=True, slots=True)
class RestartPolicy:
    """``restart_policy``: ``condition`` none | on-failure | any, ``delay`` and ``window`` (s),
    ``max_attempts`` (0 = unlimited). Source: swarmkit ``api/types.proto`` RestartPolicy."""

    condition: str = "any"
    delay: float = 5.0
    max_attempts: int = 0
    window: float = 0.0


@dataclass(frozen=True, slots=True)
class UpdateConfig:
    """``update_config`` / ``rollback_config`` (swarmkit ``api/types.proto`` UpdateConfig)."""

    parallelism: int = 1
    delay: float = 0.0
    failure_action: str = "pause"
    monitor: float = 5.0
    max_failure_ratio: float = 0.0
    order: str = "stop-first"


DEFAULT_HEALTH_INTERVAL = 30.0
"""moby's default seconds between a container's health probes (``defaultProbeInterval`` in
``daemon/health.go``): what a check that names no interval, or an interval of 0, runs at."""
DEFAULT_HEALTH_TIMEOUT = 30.0
"""moby's default seconds a probe may run before it counts as failed (``defaultProbeTimeout``
in ``daemon/health.go``, a constant of its own that happens to equal the interval)."""


@dataclass(frozen=True, slots=True)
class HealthCheck:
    """A container health check as the service spec holds it (moby ``api/types/container``
    HealthConfig): ``test`` as written, durations in seconds, ``retries`` consecutive
    failures make the container unhealthy, failures in the first ``start_period`` do not
    count, and probes come every ``start_interval`` during it. A 0 is "inherit", as in
    HealthConfig: swarmkit stores the spec as the client sent it (moby
    ``daemon/cluster/convert/container.go``, ``healthConfigToGRPC`` copies each field), and
    only the engine that runs the container fills in its defaults (:meth:`resolved`), so
    ``docker service inspect`` shows no value the client did not send."""

    test: tuple[str, ...]
    interval: float = 0.0
    timeout: float = 0.0
    retries: int = 0
    start_period: float = 0.0
    start_interval: float = 0.0

    def resolved(self) -> HealthCheck:
        """The check as the engine runs it: each 0 replaced by moby's default
        (``daemon/health.go``, ``timeoutWithDefault`` and ``defaultProbeRetries``: interval
        and timeout 30 s, start period 0, start interval 5 s, 3 retries). Simplified: the
        image's own ``HEALTHCHECK`` values, which a real engine inherits first, are not
        modelled."""
        return HealthCheck(self.test, self.interval or DEFAULT_HEALTH_INTERVAL,
                           self.timeout or DEFAULT_HEALTH_TIMEOUT, self.retries or 3,
                           self.start_period, self.start_interval or 5.0)

    @property
    def probes(self) -> bool:
        """Whether the engine probes the container with this check: not with ``NONE``
        (switched off), nor with no test, where it inherits the image's ``HEALTHCHECK``
        (moby ``api/types/container``, ``HealthConfig.Test``: "An empty slice means to
        inherit the default"), which the simulator does not know: such a container runs
        unprobed here."""
        return bool(self.test) and self.test[0] != "NONE"

    @property
    def always_fails(self) -> bool:
        """The test is one whose exit status the simulator knows without a container, and it
        is not 0: ``false`` (``CMD-SHELL false`` or ``CMD false``, also as ``/bin/false``),
        a shell's ``exit N`` with N not a multiple of 256 (a shell's status is N mod
        256), or ``CMD`` or ``CMD-SHELL`` with no command after it. moby's ``cmdProbe``
        (``daemon/health.go``) runs the words after the first: ``/bin/sh -c`` with nothing
        to run exits 2, and ``CMD`` alone leaves no program to exec, a probe error that
        ``monitor`` records as exit -1; ``handleProbeResult`` counts any status but 0 as a
        failure. Neither docker/cli nor the engine refuses such a test when the service is
        created. Simplified: any other command is taken to answer as the image is set to
        (:meth:`~clustersim.swarm.SwarmCluster.set_image_health`; by default it passes),
        where a real probe runs it in the container."""
        if not self.test or self.test[0] not in ("CMD", "CMD-SHELL"):
            return False
        if len(self.test) == 1:
            return True
        words = " ".join(self.test[1:]).split() if self.test[0] == "CMD-SHELL" \
            else list(self.test[1:])
        if words in (["false"], ["/bin/false"], ["/usr/bin/false"]):
            return True
        return (self.test[0] == "CMD-SHELL" and len(words) == 2 and words[0] == "exit"
                and words[1].isdigit() and int(words[1]) % 256 != 0)


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """What one service asks for. ``version`` counts spec changes (swarmkit's SpecVersion)."""

    name: str
    image: str = ""
    mode: str = "replicated"
    replicas: int = 1
    constraints: tuple[Constraint, ...] = ()
    preferences: tuple[str, ...] = ()
    max_replicas: int = 0
    reservations: ResourceSpec = field(default_factory=ResourceSpec)
    ports: tuple[PortConfig, ...] = ()
    mounts: tuple[Mount, ...] = ()
    restart: RestartPolicy = field(default_factory=RestartPolicy)
    update: UpdateConfig = field(default_factory=UpdateConfig)
    rollback: UpdateConfig = field(default_factory=UpdateConfig)
    endpoint_mode: str = "vip"
    stack: str | None = None
    healthcheck: HealthCheck | None = None
    force_update: int = 0
    """The task template's ``ForceUpdate`` counter: ``docker service update --force`` raises
    it, which makes every task dirty and so restarts them all as a rolling update
    (swarmkit ``api/specs.proto`` TaskSpec.ForceUpdate)."""
    container_exit: tuple[float, int] | None = None
    """``(seconds, exit code)``: each container exits that long after it starts, with that
    code (:func:`container_exit`, from the Compose ``labels``, which are the ContainerSpec's
    labels on the Engine API path too); ``None``: it runs on."""
    unmodelled: str = ""
    """A digest of the task template's fields the simulator does not model (environment,
    command, mounts, secrets, networks...), set by the Engine API path
    (:mod:`clustersim.serve.dockerspec`): a change there makes tasks dirty too, as any
    change of the TaskSpec does in swarmkit (``orchestrator.IsTaskDirty``)."""

    def with_changes(self, **changes: Any) -> ServiceSpec:
        """A copy with some fields changed (``image``, ``replicas``, …)."""
        return replace(self, **changes)

    def task_spec(self) -> tuple[Any, ...]:
        """The part of the spec that a task embodies: a change here may make tasks "dirty"
        and trigger a rolling update (swarmkit ``orchestrator.IsTaskDirty``)."""
        return (*self.runtime_spec(), self.constraints, self.preferences, self.max_replicas)

    def runtime_spec(self) -> tuple[Any, ...]:
        """The task spec without its placement: a task whose spec differs only in placement
        stays as it is while its node still meets the new constraints
        (swarmkit ``IsTaskDirtyPlacementConstraintsOnly``)."""
        return (self.image, self.reservations, self.ports, self.mounts, self.restart,
                self.healthcheck, self.force_update, self.container_exit, self.unmodelled)


def container_exit(labels: Mapping[str, Any]) -> tuple[float, int] | None:
    """When a service's containers exit, from the simulator's own container labels
    ``clustersim.io/run-seconds`` and ``clustersim.io/exit-code``, the names and readers of
    the Kubernetes annotations (:mod:`clustersim.manifests.kubernetes_annotations`), which
    stand in for what a real program does. Either label is enough: the container exits
    ``run-seconds`` (default 0) after it starts with ``exit-code`` (default 0); the agent
    then ends the task COMPLETE or FAILED ``task: non-zero exit (N)``
    (:meth:`clustersim.swarm.agent.Agent.exit`). A real daemon keeps any label as an opaque
    string and its containers exit when their program does. Raises :class:`ValueError` (the
    label and what it must be) for a value neither reader takes."""
    if RUN_SECONDS not in labels and EXIT_CODE not in labels:
        return None
    readers: tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...] = (
        (RUN_SECONDS, run_seconds), (EXIT_CODE, exit_code))
    values = []
    for key, read in readers:
        try:
            values.append(read(labels))
        except ValueError as err:
            raise ValueError(f"container label {key}: {err}") from None
    return (values[0] or 0.0), values[1]


def _seconds(text: str | None, default: float) -> float:
    """Seconds of a duration the loader has checked (a Go duration, never negative)."""
    return default if text is None else go_duration(text)


def _update_config(loaded: compose_types.UpdateConfig | None) -> UpdateConfig:
    base = UpdateConfig()
    if loaded is None:
        return base
    return UpdateConfig(
        parallelism=base.parallelism if loaded.parallelism is None else loaded.parallelism,
        delay=_seconds(loaded.delay, base.delay),
        failure_action=loaded.failure_action or base.failure_action,
        monitor=_seconds(loaded.monitor, base.monitor),
        max_failure_ratio=float(loaded.max_failure_ratio or base.max_failure_ratio),
        order=loaded.order or base.order,
    )


def _restart_policy(loaded: compose_types.RestartPolicy | None) -> RestartPolicy:
    base = RestartPolicy()
    if loaded is None:
        return base
    return RestartPolicy(
        condition=loaded.condition or base.condition,
        delay=_seconds(loaded.delay, base.delay),
        max_attempts=base.max_attempts if loaded.max_attempts is None else loaded.max_attempts,
        window=_seconds(loaded.window, base.window),
    )


def _healthcheck(loaded: compose_types.Healthcheck | None) -> HealthCheck | None:
    """A Compose ``healthcheck`` as docker/cli's ``convertHealthcheck`` sends it and
    swarmkit stores it; ``None`` when there is none. A disabled one is ``["NONE"]`` alone; a
    text test, ``""`` included, is ``CMD-SHELL`` text
    (:func:`~clustersim.manifests.healthchecks.compose_test`); no test or ``test: []`` keeps
    the periods given, for the image's own check (:attr:`HealthCheck.probes`). What is not
    given stays 0, the default the engine fills in (:meth:`HealthCheck.resolved`)."""
    if loaded is None:
        return None
    if loaded.disable is True:
        return HealthCheck(("NONE",))
    return HealthCheck(
        test=compose_test(loaded.test),
        interval=_seconds(loaded.interval, 0.0),
        timeout=_seconds(loaded.timeout, 0.0),
        retries=loaded.retries or 0,
        start_period=_seconds(loaded.start_period, 0.0),
        start_interval=_seconds(loaded.start_interval, 0.0),
    )


def _reservations(resources: compose_types.Resources | None) -> ResourceSpec:
    loaded = resources.reservations if resources is not None else None
    if loaded is None:
        return ResourceSpec()
    return ResourceSpec(
        nano_cpus=nano_cpus(loaded.cpus) if loaded.cpus is not None else 0,
        memory_bytes=loaded.memory or 0,
        generic=tuple((g.discrete_resource_spec.kind, g.discrete_resource_spec.value)
                      for g in loaded.generic_resources or []),
    )


def _ports(expanded: list[dict[str, Any]]) -> tuple[PortConfig, ...]:
    """The ports in the long syntax the loader wrote (:mod:`clustersim.manifests.compose_syntax`);
    a published port the swarm picks is ``None`` there and 0 here."""
    return tuple(PortConfig(target=int(port["target"]), published=int(port.get("published") or 0),
                            protocol=port.get("protocol") or "tcp",
                            mode=port.get("mode") or "ingress")
                 for port in expanded)


def _mounts(expanded: list[dict[str, Any]]) -> tuple[Mount, ...]:
    """The volumes in the long syntax the loader wrote, as the CLI sends them (a bind's
    source absolute: see the module docstring)."""
    return tuple(Mount(type=volume["type"], target=volume["target"],
                       source=bind_source(volume.get("source") or "")
                       if volume["type"] == "bind" else volume.get("source") or "")
                 for volume in expanded)


CLI_HOME = "/root"
"""The ``HOME`` of the user who runs ``docker stack deploy`` in the simulator: root's home
directory (https://specifications.freedesktop.org/fhs/latest-single, FHS 3.0
section 3.14). A real CLI takes its own user's."""


def bind_source(source: str) -> str:
    """A Compose bind's ``source`` as the CLI sends it: a leading ``~`` replaced by its
    user's home (``expandUser``: the first ``~`` only, so ``~/data`` is ``/root/data`` and
    ``~bob/data`` is ``/rootbob/data``, as docker/cli writes them), then an absolute source
    as written and a relative one joined to the Compose file's directory, which Go's
    ``filepath.Join`` cleans (docker/cli ``resolveVolumePaths`` and ``absPath``); the
    simulator's directory is ``/`` (``./data/`` is ``/data``) and its home
    :data:`CLI_HOME`."""
    if source.startswith("~"):
        source = CLI_HOME + source[1:]
    return source if source.startswith("/") else path_clean(posixpath.join("/", source))


def checkout_paths(specs: Iterable[Any]) -> list[str]:
    """Where :func:`bind_source` puts the relative bind sources of the stacks among
    ``specs`` (anything else is passed over): the files of the stack's own repository
    (vegasbrianc-prometheus binds ``./prometheus/``), which exist on a node only if it holds
    a checkout of it, as the machine that ran ``docker stack deploy`` does. A source
    starting with ``~`` is left out: the CLI expands it to its user's home directory."""
    return sorted({bind_source(volume["source"])
                   for stack in specs if isinstance(stack, StackSpec)
                   for service in stack.services.values()
                   for volume in service.get("volumes") or []
                   if volume.get("type") == "bind" and volume.get("source")
                   and not volume["source"].startswith(("/", "~"))})


def service_spec(stack: str | None, name: str, loaded: compose_types.Service,
                 expanded: dict[str, Any]) -> ServiceSpec:
    """One service of a loaded stack as a :class:`ServiceSpec`: ``loaded`` is its typed
    model and ``expanded`` its long forms (:class:`~clustersim.manifests.StackSpec`'s
    ``typed[name]`` and ``services[name]``). Nothing is checked again: every value was
    read by the loader. Two things the simulator itself cannot do are refused: Swarm jobs,
    and more replicas than :mod:`clustersim.limits` allows."""
    deploy = loaded.deploy or compose_types.Deploy()
    where = f"services.{name}.deploy"
    if deploy.mode in ("replicated-job", "global-job"):
        raise stack_error(f"{where}.mode: Swarm jobs ({deploy.mode}) are not simulated",
                          expected="replicated or global")
    mode = deploy.mode or "replicated"
    replicas = 1 if deploy.replicas is None else deploy.replicas
    try:
        check_replicas(replicas, f"{where}.replicas")
    except LimitError as err:
        raise stack_error(str(err)) from None
    placement = deploy.placement or compose_types.Placement()
    return ServiceSpec(
        name=f"{stack}_{name}" if stack else name,
        image=loaded.image or "",
        mode=mode,
        replicas=replicas if mode == "replicated" else 0,
        constraints=tuple(parse_constraint(text) for text in placement.constraints or []),
        preferences=tuple(p.spread for p in placement.preferences or []),
        max_replicas=placement.max_replicas_per_node or 0,
        reservations=_reservations(deploy.resources),
        ports=_ports(expanded.get("ports") or []),
        mounts=_mounts(expanded.get("volumes") or []),
        restart=_restart_policy(deploy.restart_policy),
        update=_update_config(deploy.update_config),
        rollback=_update_config(deploy.rollback_config),
        endpoint_mode=deploy.endpoint_mode or "vip",
        stack=stack,
        healthcheck=_healthcheck(loaded.healthcheck),
        container_exit=container_exit(label_map(loaded.labels)),
    )


def services_from_stack(stack: str, document: Any) -> list[ServiceSpec]:
    """Every service of a stack, in file order. ``document`` is a loaded
    :class:`~clustersim.manifests.StackSpec` (what ``deploy_stack`` passes) or a stack
    document (a dict with ``services``), which is loaded first with
    :func:`clustersim.load_manifests`, so its values are read once, by the loader."""
    source = getattr(document, "source", None) or f"stack {stack}"
    with _from(source):
        loaded = document if isinstance(document, StackSpec) else _load(document)
        return [service_spec(stack, name, loaded.typed[name], service)
                for name, service in loaded.services.items()]


def compose_service(name: str, service: Any) -> ServiceSpec:
    """One Compose service (a dict, named ``name``, in no stack) loaded as a one-service
    stack and converted: how the Engine API path (:mod:`clustersim.serve.dockerspec`) reads
    a ``docker service create`` body with the same rules and messages."""
    with _from(f"service {name}"):
        loaded = _load({"services": {name: service}})
        return service_spec(None, name, loaded.typed[name], loaded.services[name])


def _load(document: Any) -> StackSpec:
    if not isinstance(document, dict):
        raise stack_error(f"a stack document is a mapping with services, got "
                          f"{type(document).__name__}", expected="{'services': {...}}")
    (loaded,) = load_manifests(document).of_system("swarm", "a stack holds Compose services")
    return cast(StackSpec, loaded)


@contextmanager
def _from(source: str) -> Iterator[None]:
    """A ``ManifestError`` raised inside names ``source`` (``stack web``) as where it is."""
    try:
        yield
    except ManifestError as err:
        raise ManifestError(err.message, source=source, path=err.path,
                            expected=err.expected) from None
