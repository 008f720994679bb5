"""Service specs: a stack file's ``services`` read the way ``docker stack deploy`` reads them.

Upstream: docker/cli ``cli/compose/convert/service.go`` (replicas, mode, restart policy, update
and rollback configs, placement, resources, ports) and the Compose spec's ``deploy`` section
(https://docs.docker.com/reference/compose-file/deploy/). Defaults are swarmkit's and the
CLI's: restart condition ``any``, delay 5 s, unlimited attempts; update and rollback
parallelism 1, delay 0 s, ``failure_action: pause``, ``monitor: 5s``, ``max_failure_ratio: 0``,
``order: stop-first``.

Each service becomes ``<stack>_<service>``, as ``docker stack deploy`` names it. Constraints
are validated when the stack is deployed, as swarmkit's control API does
(``manager/controlapi/service.go``), so a bad constraint fails the deploy with its reason.

A service's ``healthcheck`` (Compose spec
https://docs.docker.com/reference/compose-file/services/#healthcheck) becomes a
:class:`HealthCheck` with Docker's defaults (moby ``daemon/health.go``: interval 30 s, timeout
30 s, retries 3, start period 0 s, start interval 5 s); ``disable: true`` or a ``test`` of
``["NONE"]`` turns it off. A service without ``test`` keeps no health check here (Docker would
use the image's own ``HEALTHCHECK``, which the simulator does not know).

Simplifications: only the fields that change placement or life cycle are read; networks,
volumes, secrets and configs are kept as written but not simulated. Ports arrive in the
Compose long syntax (``clustersim.manifests.load_manifests`` expands ``"8080:80"``); a port's
``host_ip`` is ignored, as Swarm ignores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from clustersim.limits import LimitError, check_replicas
from clustersim.manifests import ManifestError
from clustersim.manifests.units import compose_bytes, compose_nano_cpus, go_duration
from clustersim.swarm.constraints import Constraint, parse_constraint
from clustersim.swarm.errors import stack_error

__all__ = [
    "HealthCheck",
    "PortConfig",
    "ResourceSpec",
    "RestartPolicy",
    "ServiceSpec",
    "UpdateConfig",
    "parse_cpus",
    "parse_duration",
    "parse_memory",
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
class ResourceSpec:
    """Reservations: ``nano_cpus`` (10^-9 CPU), ``memory_bytes``, ``generic`` (discrete kinds)."""

    nano_cpus: int = 0
    memory_bytes: int = 0
    generic: tuple[tuple[str, int], ...] = ()

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


@dataclass(frozen=True, slots=True)
class HealthCheck:
    """A container health check (moby ``api/types/container`` HealthConfig; defaults from
    ``daemon/health.go``): ``test`` as written, durations in seconds, ``retries`` consecutive
    failures make the container unhealthy, failures in the first ``start_period`` do not
    count, and probes come every ``start_interval`` during it."""

    test: tuple[str, ...]
    interval: float = 30.0
    timeout: float = 30.0
    retries: int = 3
    start_period: float = 0.0
    start_interval: float = 5.0


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
        return (self.image, self.reservations, self.ports, self.restart, self.healthcheck,
                self.force_update)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise stack_error(f"{where} must be a mapping, got {type(value).__name__}")
    return value


def _int(value: Any, where: str, minimum: int = 0) -> int:
    """A whole number, as the Compose v3 schema's ``integer`` (text such as ``"3"`` is
    refused, as the stack loader refuses it)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise stack_error(f"{where}: {value!r} is not a whole number")
    number = value
    if number < minimum:
        raise stack_error(f"{where}: {number} must be at least {minimum}")
    return number


def _choice(value: Any, where: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise stack_error(f"{where}: {value!r} is not one of {', '.join(choices)}")
    return value


def _update_config(raw: Any, where: str) -> UpdateConfig:
    data = _mapping(raw, where)
    base = UpdateConfig()
    ratio = data.get("max_failure_ratio", base.max_failure_ratio)
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
        raise stack_error(f"{where}.max_failure_ratio: {ratio!r} must be a number from 0 to 1")
    return UpdateConfig(
        parallelism=_int(data.get("parallelism", base.parallelism), f"{where}.parallelism"),
        delay=parse_duration(data.get("delay", 0), f"{where}.delay"),
        failure_action=_choice(data.get("failure_action", base.failure_action),
                               f"{where}.failure_action", ("pause", "continue", "rollback")),
        monitor=parse_duration(data.get("monitor", "5s"), f"{where}.monitor"),
        max_failure_ratio=float(ratio),
        order=_choice(data.get("order", base.order), f"{where}.order",
                      ("stop-first", "start-first")),
    )


def _restart_policy(raw: Any, where: str) -> RestartPolicy:
    data = _mapping(raw, where)
    return RestartPolicy(
        condition=_choice(data.get("condition", "any"), f"{where}.condition",
                          ("none", "on-failure", "any")),
        delay=parse_duration(data.get("delay", "5s"), f"{where}.delay"),
        max_attempts=_int(data.get("max_attempts", 0), f"{where}.max_attempts"),
        window=parse_duration(data.get("window", 0), f"{where}.window"),
    )


def _healthcheck(raw: Any, where: str) -> HealthCheck | None:
    """A Compose ``healthcheck``; ``None`` when there is none, it is disabled or its test is
    ``NONE``. A text test is ``CMD-SHELL`` text, as docker/cli converts it."""
    data = _mapping(raw, where)
    test = data.get("test")
    if data.get("disable") is True or not test:
        return None
    parts = ("CMD-SHELL", test) if isinstance(test, str) else tuple(str(t) for t in test)
    if parts[0] == "NONE":
        return None
    base = HealthCheck(parts)

    def seconds(key: str, default: float) -> float:
        value = parse_duration(data[key], f"{where}.{key}") if key in data else default
        return value or default  # 0 means the default (moby timeoutWithDefault)

    return HealthCheck(
        test=parts,
        interval=seconds("interval", base.interval),
        timeout=seconds("timeout", base.timeout),
        retries=_int(data.get("retries", base.retries), f"{where}.retries") or base.retries,
        start_period=seconds("start_period", base.start_period),
        start_interval=seconds("start_interval", base.start_interval),
    )


def _reservations(raw: Any, where: str) -> ResourceSpec:
    data = _mapping(raw, where)
    generic = []
    for index, item in enumerate(data.get("generic_resources") or []):
        spec = _mapping(item, f"{where}.generic_resources[{index}]").get("discrete_resource_spec")
        spec = _mapping(spec, f"{where}.generic_resources[{index}].discrete_resource_spec")
        if "kind" not in spec:
            raise stack_error(f"{where}.generic_resources[{index}] needs a 'kind'")
        value = _int(spec.get("value", 0), f"{where}.generic_resources[{index}].value")
        generic.append((str(spec["kind"]), value))
    return ResourceSpec(
        nano_cpus=parse_cpus(data["cpus"], f"{where}.cpus") if "cpus" in data else 0,
        memory_bytes=parse_memory(data["memory"], f"{where}.memory") if "memory" in data else 0,
        generic=tuple(generic),
    )


def _port(value: Any, where: str) -> int:
    """A port number 1-65535 (the Compose long syntax may write it as text)."""
    number = _int(int(value) if isinstance(value, str) and value.isdigit() else value, where)
    if not 0 < number <= 65535:
        raise stack_error(f"{where}: port {number} must lie within 1-65535")
    return number


def _ports(raw: Any, where: str) -> tuple[PortConfig, ...]:
    ports: list[PortConfig] = []
    for index, item in enumerate(raw or []):
        at = f"{where}[{index}]"
        if isinstance(item, int) and not isinstance(item, bool):
            ports.append(PortConfig(_port(item, at)))
        elif isinstance(item, dict):
            if "target" not in item:
                raise stack_error(f"{at} needs a 'target' port")
            published = item.get("published") or 0
            ports.append(PortConfig(
                target=_port(item["target"], f"{at}.target"),
                published=_port(published, f"{at}.published") if published else 0,
                protocol=_choice(item.get("protocol") or "tcp", f"{at}.protocol",
                                 ("tcp", "udp", "sctp")),
                mode=_choice(item.get("mode") or "ingress", f"{at}.mode", ("ingress", "host")),
            ))
        else:
            raise stack_error(f"{at}: {item!r} is not a port in the long syntax",
                              expected="a mapping with target, published, protocol and mode "
                              "(load_manifests expands the short syntax)")
    return tuple(ports)


def _constraints(raw: Any, where: str) -> tuple[Constraint, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise stack_error(f"{where} must be a list of strings such as 'node.role==worker'")
    parsed = []
    for index, text in enumerate(raw):
        try:
            parsed.append(parse_constraint(text))
        except ValueError as err:
            raise stack_error(f"{where}[{index}]: {err}") from None
    return tuple(parsed)


def _preferences(raw: Any, where: str) -> tuple[str, ...]:
    descriptors = []
    for index, item in enumerate(raw or []):
        spread = _mapping(item, f"{where}[{index}]").get("spread")
        if not isinstance(spread, str) or not spread:
            raise stack_error(f"{where}[{index}] needs 'spread: node.labels.<name>'")
        descriptors.append(spread)
    return tuple(descriptors)


def service_spec(stack: str | None, name: str, raw: Any, where: str) -> ServiceSpec:
    """One Compose service as a :class:`ServiceSpec`."""
    service = _mapping(raw, where)
    deploy = _mapping(service.get("deploy"), f"{where}.deploy")
    placement = _mapping(deploy.get("placement"), f"{where}.deploy.placement")
    resources = _mapping(deploy.get("resources"), f"{where}.deploy.resources")
    if deploy.get("mode") in ("replicated-job", "global-job"):
        raise stack_error(f"{where}.deploy.mode: Swarm jobs ({deploy['mode']}) are not "
                          "simulated", expected="replicated or global")
    mode = _choice(deploy.get("mode", "replicated"), f"{where}.deploy.mode",
                   ("replicated", "global"))
    replicas = _int(deploy.get("replicas", 1), f"{where}.deploy.replicas")
    try:
        check_replicas(replicas, f"{where}.deploy.replicas")
    except LimitError as err:
        raise stack_error(str(err)) from None
    if mode == "global" and "replicas" in deploy:
        raise stack_error(f"{where}.deploy: replicas can only be used with replicated mode")
    return ServiceSpec(
        name=f"{stack}_{name}" if stack else name,
        image=str(service.get("image", "")),
        mode=mode,
        replicas=replicas if mode == "replicated" else 0,
        constraints=_constraints(placement.get("constraints"),
                                 f"{where}.deploy.placement.constraints"),
        preferences=_preferences(placement.get("preferences"),
                                 f"{where}.deploy.placement.preferences"),
        max_replicas=_int(placement.get("max_replicas_per_node", 0),
                          f"{where}.deploy.placement.max_replicas_per_node"),
        reservations=_reservations(resources.get("reservations"),
                                   f"{where}.deploy.resources.reservations"),
        ports=_ports(service.get("ports"), f"{where}.ports"),
        restart=_restart_policy(deploy.get("restart_policy"), f"{where}.deploy.restart_policy"),
        update=_update_config(deploy.get("update_config"), f"{where}.deploy.update_config"),
        rollback=_update_config(deploy.get("rollback_config"),
                                f"{where}.deploy.rollback_config"),
        endpoint_mode=_choice(deploy.get("endpoint_mode", "vip"), f"{where}.deploy.endpoint_mode",
                              ("vip", "dnsrr")),
        stack=stack,
        healthcheck=_healthcheck(service.get("healthcheck"), f"{where}.healthcheck"),
    )


def services_from_stack(stack: str, document: Any) -> list[ServiceSpec]:
    """Every service of a stack document (a dict with ``services``), in file order."""
    try:
        return _services(stack, document)
    except ManifestError as err:
        raise ManifestError(err.message, source=f"stack {stack}", path=err.path,
                            expected=err.expected) from None


def _services(stack: str, document: Any) -> list[ServiceSpec]:
    data = _mapping(document, "the stack file")
    services = _mapping(data.get("services"), "services")
    if not services:
        raise stack_error("the stack file has no services", path="services")
    specs = [service_spec(stack, name, raw, f"services.{name}") for name, raw in services.items()]
    for spec in specs:
        if spec.endpoint_mode == "dnsrr" and any(p.mode == "ingress" for p in spec.ports):
            raise stack_error(
                f"services.{spec.name.removeprefix(stack + '_')}: port published with ingress "
                "mode can't be used with dnsrr mode",
                expected="mode: host for the ports of a dnsrr service")
    return specs
