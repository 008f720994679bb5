"""pydantic models of a Compose file's services and top-level networks, volumes, secrets and
configs as ``docker stack deploy`` validates them.

Sources: the Compose file v3 schema in docker/cli
``cli/compose/schema/data/config_schema_v3.*.json`` and the compose-spec ``deploy.md``;
placement constraints as moby/swarmkit parses them (``manager/constraint/constraint.go``,
``Parse``: ``key==value`` or ``key!=value``, the key ``[A-Za-z_][A-Za-z0-9-_.]+``, the value
free of other operators); durations as Go's ``time.ParseDuration`` reads them (``10s``,
``1m30s``, ``500ms``). CPU and memory amounts go through
:func:`~clustersim.manifests.units.compose_cpus` and
:func:`~clustersim.manifests.units.compose_bytes`. The mappings the schema closes are
closed here (:class:`_Closed`); those it leaves open (a build, a service's secret or config
in the long form) keep the keys not modelled.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from clustersim.imageref import image_problem
from clustersim.manifests.compose_decoding import uint_refusal
from clustersim.manifests.container_labels import check_container_labels
from clustersim.manifests.units import compose_bytes, compose_cpus, go_duration

__all__ = [
    "DEPRECATED",
    "FORBIDDEN",
    "MOUNT_TYPES",
    "PROPAGATIONS",
    "SECTIONS",
    "SERVICE_KEYS",
    "TOP_KEYS",
    "TOP_KEY_ADVICE",
    "UNSUPPORTED",
    "MountType",
    "PortLong",
    "RestartCondition",
    "Service",
    "VolumeLong",
    "image_reference",
    "parse_constraint",
    "service_name",
]

# swarmkit's alphaNumeric and valuePattern (manager/constraint/constraint.go); Go's \s is
# [\t\n\f\r ], written out here because Python's \s also matches \v and Unicode spaces.
_KEY = re.compile(r"[a-z_][a-z0-9\-_.]+", re.IGNORECASE)
_VALUE = re.compile(r"[a-z0-9:\-_\t\n\f\r .*()?+\[\]\\^$|/]+", re.IGNORECASE)


TOP_KEYS = frozenset(["version", "services", "networks", "volumes", "secrets", "configs"])
"""The top-level keys of every v3 schema besides ``x-`` extensions (docker/cli
``cli/compose/schema/data/config_schema_v3.*.json``, ``properties``; the top level is
closed, ``"additionalProperties": false``): no ``name``, a key of the Compose
Specification (``docker compose``) that ``docker stack deploy`` refuses."""

TOP_KEY_ADVICE = {
    "name": "no top-level name: docker stack deploy takes the stack's name from its command "
            "line (docker stack deploy -c FILE NAME; in the simulator, "
            "SwarmCluster.deploy_stack(NAME, ...))",
}
"""What to write instead of a top-level key of the Compose Specification that the v3
schemas refuse, by key (the loader's advice, not docker/cli's words)."""

# docker/cli cli/compose/types/types.go: options that ``docker stack deploy`` refuses
# ("Compose file contains unsupported options"), ignores with a warning ("Ignoring
# unsupported options: ..."), or ignores as deprecated ("Ignoring deprecated options: ...").
FORBIDDEN = {
    "extends": "Support for `extends` is not implemented yet.",
    "volume_driver": "Instead of setting the volume driver on the service, define a volume "
    "using the top-level `volumes` option and specify the driver there.",
    "volumes_from": "To share a volume between services, define it using the top-level "
    "`volumes` option and reference it from each service that shares it using the "
    "service-level `volumes` option.",
    **dict.fromkeys(
        ["cpu_quota", "cpu_shares", "cpuset", "mem_limit", "memswap_limit"],
        "Set resource limits using deploy.resources",
    ),
}
_UNSUPPORTED_TEXT = (     # the current list: cap_add, cap_drop, sysctls and ulimits reach
    # the service's ContainerSpec (convert/service.go), cgroupns_mode does not
    "build cgroupns_mode cgroup_parent devices domainname external_links ipc links "
    "mac_address network_mode pid privileged restart security_opt shm_size userns_mode"
)
UNSUPPORTED = frozenset(_UNSUPPORTED_TEXT.split())
DEPRECATED = {
    "container_name": "Setting the container name is not supported.",
    "expose": "Exposing ports is unnecessary - services on the same network can access each "
    "other's containers on any port.",
}


def parse_constraint(text: str) -> tuple[str, str, str]:
    """``(key, "==" or "!=", value)`` of a Swarm placement constraint such as
    ``node.role == manager`` (swarmkit's ``constraint.Parse``: the first operator found splits
    the text, both parts are trimmed). Raises ``ValueError`` in swarmkit's words
    (:func:`constraint_problem`) plus a hint.
    The Swarm simulator (:func:`clustersim.swarm.parse_constraint`) parses with this too."""
    if not isinstance(text, str):
        raise ValueError(f"constraint {text!r} must be a string such as 'node.role==worker'")
    problem = constraint_problem(text)
    if problem is not None:
        raise ValueError(f"constraint {text!r}: {problem} ({_CONSTRAINT_HINTS[problem[:3]]})")
    operator = next(op for op in ("==", "!=") if op in text)
    key, _, value = text.partition(operator)
    return key.strip(), operator, value.strip()


_CONSTRAINT_HINTS = {
    "key": "a key starts with a letter or _ and has at least two characters from letters, "
    "digits, '-', '_' and '.', e.g. node.labels.zone",
    "val": "a value is not empty and uses letters, digits, spaces and : - _ . * ( ) ? + [ ] "
    "\\ ^ $ | / only",
    "con": "write e.g. 'node.role==worker' or 'node.labels.zone!=east'",
}


def constraint_problem(text: str) -> str | None:
    """Why swarmkit's ``constraint.Parse`` (``manager/constraint/constraint.go``) refuses
    the placement constraint ``text``, in its words, or ``None`` if it parses."""
    for operator in ("==", "!="):
        if operator not in text:
            continue
        key_part, _, value_part = text.partition(operator)
        key, value = key_part.strip(), value_part.strip()
        if not _KEY.fullmatch(key):
            return f"key '{key}' is invalid"
        if not _VALUE.fullmatch(value):
            return f"value '{value}' is invalid"
        return None
    return "constraint expected one operator from ==, !="


def _constraint(text: str) -> str:
    parse_constraint(text)
    return text


def _duration(text: str) -> str:
    """A Go duration (:func:`~clustersim.manifests.units.go_duration`) that is not negative:
    swarmkit's control API refuses a negative delay, window or monitor period
    (``manager/controlapi/service.go``, "restart-delay cannot be negative")."""
    if go_duration(text) < 0:
        raise ValueError(f"duration {text!r} cannot be negative (e.g. '10s')")
    return text


def _signed_duration(text: str) -> str:
    """A Go duration, negative too: a health check's ``interval``, ``timeout``,
    ``start_period`` and ``start_interval``, which docker/cli reads with
    ``time.ParseDuration`` and sends as they are (``convertHealthcheck``,
    ``cli/compose/convert/service.go``); swarmkit then refuses one of the first three that is
    set and under 1 ms, a negative one included, and the engine a ``start_interval`` when it
    creates each task's container (:mod:`~clustersim.manifests.healthchecks`)."""
    go_duration(text)
    return text


@dataclass(frozen=True)
class SchemaType:
    """The JSON type the v3 schema gives a field whose model reads it as another type
    (``cpus`` and ``memory`` are strings there): metadata of ``Annotated``."""

    name: str


_CHECKED_TYPES: dict[Callable[[Any], Any], str] = {}
"""The words of the types each :func:`json_type` check wants, by check."""


def _string(value: Any) -> str:
    """``value`` when it is a string: every v3 schema types ``cpus`` and ``memory`` as
    strings (``"type": "string"`` in each ``config_schema_v3.*.json``), so ``docker stack
    deploy`` refuses a YAML number there ("services.web.deploy.resources.limits.cpus must
    be a string", docker/cli issue 5009: write ``cpus: '0.5'``), which the Compose
    Specification of ``docker compose`` takes."""
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _cpus(value: Any) -> Decimal:
    return compose_cpus(_string(value))


def _bytes(value: Any) -> int:
    return compose_bytes(_string(value))


Cpus = Annotated[Decimal, BeforeValidator(_cpus), SchemaType("string")]
Bytes = Annotated[int, BeforeValidator(_bytes), SchemaType("string")]
Duration = Annotated[str, AfterValidator(_duration)]
HealthPeriod = Annotated[str, AfterValidator(_signed_duration)]
Constraint = Annotated[str, AfterValidator(_constraint)]
Count = Annotated[int, Field(ge=0)]


def _retries(value: Any) -> Any:
    """A healthcheck's ``retries`` as ``docker stack deploy`` reads it: every v3 schema types
    it ``"number"`` (docker/cli ``config_schema_v3.*.json``), not ``"integer"`` as the other
    counts, so ``1.5`` passes the schema; mapstructure's ``decodeUint`` then stores the float
    in ``HealthCheckConfig.Retries`` (``*uint64``, ``cli/compose/types/types.go``) as Go's
    ``uint64(f)`` does, the fraction dropped (1), and refuses a negative one ("-1.500000
    overflows uint", :func:`~clustersim.manifests.compose_decoding.uint_refusal`). An
    infinite or NaN one is refused in the course's words (docker/cli's schema check cannot
    encode it as JSON); anything but a number in gojsonschema's ("must be a number")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        raise ValueError(f"{value} is not valid: must be a finite number")
    if value < 0:
        raise ValueError(uint_refusal(("healthcheck", "retries"), value))
    return int(value)


Retries = Annotated[int, BeforeValidator(_retries), Field(ge=0), SchemaType("number")]

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,),
    "null": (type(None),),
}


def json_type(*names: str) -> AfterValidator:
    """The check of a value of one of the JSON types ``names`` (``Annotated[Any,
    json_type("string", "number")]``), as a schema's ``"type": ["string", "number"]`` takes
    it (a boolean is no number), refused in the words docker/cli's ``getDescription`` gives
    gojsonschema's invalid_type error (``humanReadableType``: "must be a string, number or
    null")."""
    wanted = tuple(kind for name in names for kind in _JSON_TYPES[name])
    human = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]

    def check(value: Any) -> Any:
        if not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            raise ValueError(f"must be a {human}")
        return value

    _CHECKED_TYPES[check] = human
    return AfterValidator(check)


def _unique(items: list[Any]) -> list[Any]:
    """The schema's ``uniqueItems``, in gojsonschema's words (v1.2.0 ``validation.go``
    ``validateArray``: the first two equal items, "array items[0,1] must be unique")."""
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            raise ValueError(f"array items[{seen[key]},{index}] must be unique")
        seen[key] = index
    return items


Strings = Annotated[list[str], AfterValidator(_unique)]
"""``list_of_strings`` in the v3 schema (``"uniqueItems": true``)."""
Labels = dict[str, Annotated[Any, json_type("string", "number", "null")]] | Strings
"""``list_or_dict`` in the v3 schema: a mapping whose values are strings, numbers or null (a
boolean is refused: ``traefik.enable: "true"`` is quoted), or a list of strings."""
StringOrList = str | Strings
"""``string_or_list`` in the v3 schema."""


def schema_type(field: FieldInfo) -> str:
    """What the v3 schema wants at ``field``, in docker/cli's ``humanReadableType`` words
    ("integer", "mapping", "string or number"): its :class:`SchemaType` or :func:`json_type`,
    else the JSON type of its annotation, of the first member of a union (gojsonschema keeps
    the errors of a ``oneOf``'s first member when every member fails on the type)."""
    annotation: Any = field.annotation
    metadata = list(field.metadata)
    while True:
        for item in metadata:
            if isinstance(item, SchemaType):
                return item.name
            if isinstance(item, AfterValidator) and item.func in _CHECKED_TYPES:
                return _CHECKED_TYPES[item.func]
        if get_origin(annotation) is Annotated:
            annotation, *metadata = get_args(annotation)
        elif get_origin(annotation) in (Union, UnionType):
            annotation, metadata = get_args(annotation)[0], []
        else:
            break
    origin = get_origin(annotation) or annotation
    if origin is list:
        return "list"
    if origin is dict or (isinstance(origin, type) and issubclass(origin, BaseModel)):
        return "mapping"
    return {bool: "boolean", int: "integer", float: "number", Decimal: "number"}.get(
        origin, "string")


class _Model(BaseModel):
    """A mapping of the v3 schema. A key set to null is refused in docker/cli's words for
    the type its field wants ("must be a mapping"), as gojsonschema refuses a null where the
    schema's type has no ``"null"``, but for the fields in :attr:`NULLABLE` (``deploy`` and
    ``pid`` of a service); an absent key is not."""

    model_config = ConfigDict(strict=True, extra="allow")
    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        if value is None and name is not None and name not in cls.NULLABLE:
            raise ValueError(f"must be a {schema_type(cls.model_fields[name])}")
        return value


class _Closed(_Model):
    """A mapping the schema closes (``"additionalProperties": false``), so ``docker stack
    deploy`` refuses a typo such as ``replica: 2`` with "Additional property replica is not
    allowed". ``x-`` extensions are allowed only where the schema has ``"patternProperties":
    {"^x-": {}}`` (:attr:`EXTENSIBLE`: a service, a network, a volume, a secret, a config;
    not ``deploy`` or its parts): from which version is
    :data:`~clustersim.manifests.compose_versions.SINCE`'s."""

    model_config = ConfigDict(strict=True, extra="forbid")
    EXTENSIBLE: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _extensions(cls, data: Any) -> Any:
        if cls.EXTENSIBLE and isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data


class DiscreteResource(_Closed):
    """``discrete_resource_spec``: a kind (``gpu``) and how many (swarmkit's
    ``DiscreteGenericResource``)."""

    kind: str
    value: Count = 0


class GenericResource(_Closed):
    discrete_resource_spec: DiscreteResource


class Resource(_Closed):
    cpus: Cpus | None = None
    memory: Bytes | None = None
    pids: int | None = None
    generic_resources: list[GenericResource] | None = None


class Resources(_Closed):
    limits: Resource | None = None
    reservations: Resource | None = None


class Preference(_Closed):
    spread: Annotated[str, Field(min_length=1)]


class Placement(_Closed):
    constraints: list[Constraint] | None = None
    preferences: list[Preference] | None = None
    max_replicas_per_node: Count | None = None


class UpdateConfig(_Closed):
    parallelism: Count | None = None
    delay: Duration | None = None
    failure_action: Literal["continue", "rollback", "pause"] | None = None
    monitor: Duration | None = None
    max_failure_ratio: Annotated[float, AfterValidator(_failure_ratio)] | None = None
    order: Literal["start-first", "stop-first"] | None = None


RestartCondition = Literal["none", "on-failure", "any"]
"""swarmkit's restart conditions (``api/types.proto``, ``RestartPolicy.RestartCondition``,
in lower case as the Engine API names them)."""


class RestartPolicy(_Closed):
    condition: RestartCondition | None = None
    delay: Duration | None = None
    max_attempts: Count | None = None
    window: Duration | None = None


def _failure_ratio(value: float) -> float:
    """swarmkit ``manager/controlapi/service.go``, ``validateUpdate``."""
    if not 0 <= value <= 1:
        raise ValueError(f"TaskSpec: update-maxfailureratio cannot be less than 0 or bigger "
                         f"than 1, got {value!r} (a share of the tasks, e.g. 0.2)")
    return value


class Deploy(_Closed):
    mode: Literal["replicated", "global", "replicated-job", "global-job"] | None = None
    replicas: Count | None = None
    placement: Placement | None = None
    resources: Resources | None = None
    update_config: UpdateConfig | None = None
    rollback_config: UpdateConfig | None = None
    restart_policy: RestartPolicy | None = None
    endpoint_mode: Literal["vip", "dnsrr"] | None = None
    labels: Labels | None = None
    """``replicas`` with a ``global`` mode passes the schema; docker/cli refuses it while it
    converts the service (:func:`~clustersim.manifests.compose_references.deploy_mode_problem`)."""


class Healthcheck(_Closed):
    test: str | list[str] | None = None
    interval: HealthPeriod | None = None
    timeout: HealthPeriod | None = None
    start_period: HealthPeriod | None = None
    retries: Retries | None = None
    start_interval: HealthPeriod | None = None  # the engine's check: healthchecks.engine_problem
    disable: bool | None = None


PUBLISH_MODES = ("ingress", "host")
"""swarmkit's ``PortConfig.PublishMode`` names in lower case, the zero value first
(``api/types.proto``)."""


def _publish_mode(mode: str) -> str:
    """A long-syntax port's ``mode``, a string in the schema: the daemon looks it up in upper
    case among swarmkit's publish modes (moby ``daemon/cluster/convert/service.go``,
    ``endpointSpecToGRPC``) and publishes the port in ingress mode, the zero value, for a
    mode it does not know, without a word; refused here, in any case taken."""
    if mode.lower() not in PUBLISH_MODES:
        raise ValueError(f"the publish mode {mode!r} is not ingress or host: docker stack "
                         "deploy would send it and the daemon publish the port in ingress "
                         "mode without a word")
    return mode


class PortLong(_Closed):
    """The long syntax of a service port: the four keys every v3 schema from 3.2 to 3.14
    gives it (``target`` and ``published`` integers, ``mode`` and ``protocol`` strings),
    closed, so the Compose Specification's ``host_ip``, ``name`` and ``app_protocol`` are
    refused ("Additional property host_ip is not allowed"). A ``published`` or ``target``
    that a variable sets (``"${PORT}"``) is a number by then, as docker/cli's
    ``interpolateTypeCastMapping`` casts what it substitutes
    (:mod:`~clustersim.manifests.interpolate`); one written as text (``"8080"``) is not, and
    is refused ("must be a integer")."""

    target: Annotated[int, Field(ge=1, le=65535)]
    published: Annotated[int, Field(ge=0)] | None = None
    """Up to 65535, checked with the protocol by ``compose_syntax.expand_port``."""
    protocol: str | None = None
    mode: Annotated[str, AfterValidator(_publish_mode)] | None = None


MountType = Literal["bind", "volume", "tmpfs", "npipe", "cluster"]
"""The types of a mount: moby's ``api/types/mount`` ``Type`` constants, in the order of
swarmkit's ``Mount.Type`` enum (``api/specs.proto``), which moby's conversion looks them up
in (upper case). The Compose loader's long syntax and the Engine API's ServiceSpec
(:mod:`clustersim.serve.dockervalidate`) read mounts by this one table."""
MOUNT_TYPES: tuple[str, ...] = get_args(MountType)
PROPAGATIONS = ("rprivate", "private", "rshared", "shared", "rslave", "slave")
"""The bind propagations: moby's ``api/types/mount.Propagations``, the names of swarmkit's
``Mount.BindOptions.Propagation`` in lower case; docker/cli's short volume syntax takes an
option among them as the bind's propagation (``cli/compose/loader/volume.go``), and the
Engine API refuses a ServiceSpec's propagation outside them
(:mod:`clustersim.serve.dockervalidate`)."""


class VolumeLong(_Closed):
    """The long syntax of a service volume."""

    type: MountType
    target: str
    source: str | None = None
    read_only: bool | None = None
    consistency: str | None = None
    bind: dict[str, Any] | None = None
    volume: dict[str, Any] | None = None
    tmpfs: dict[str, Any] | None = None


def image_reference(text: str) -> str:
    """An image reference as swarmkit checks it before creating a service (moby/swarmkit
    ``manager/controlapi/service.go``, ``validateImage``: ``reference.ParseNormalizedNamed``,
    else "ContainerSpec: "x" is not a valid repository/tag"); the Compose reader adds the
    parser's reason, which swarmkit drops (:func:`clustersim.imageref.image_problem`)."""
    problem = image_problem(text)
    if problem:
        raise ValueError(f"ContainerSpec: {text[:80]!r} is not a valid repository/tag: {problem}")
    return text


_SERVICE_NAME = re.compile(r"[a-zA-Z0-9](?:[-_a-zA-Z0-9]*[a-zA-Z0-9])?")
"""swarmkit's ``^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$``, the same names written without its
nested repetition, on which Python's matcher backtracks for a time that doubles with each
letter of a name it refuses (``aaaa...a.v2``: minutes for 40 letters)."""


def service_name(name: str) -> str | None:
    """What is wrong with a service's key as swarmkit names the service ``<stack>_<key>``
    (``manager/controlapi/common.go``, ``validateAnnotations``), or ``None``."""
    if not _SERVICE_NAME.fullmatch(name):
        return "name must be valid as a DNS name component"
    if len(name) > 63:
        return "name must be 63 characters or fewer"
    return None


class Ulimit(_Closed):
    """A ulimit's long form: both limits required (``"required": ["soft", "hard"]``)."""

    soft: int
    hard: int


class Logging(_Closed):
    driver: str | None = None
    options: dict[str, Annotated[Any, json_type("string", "number", "null")]] | None = None


class CredentialSpec(_Closed):
    config: str | None = None
    file: str | None = None
    registry: str | None = None


class ServiceNetwork(_Closed):
    """A network of a service in the mapping form (``aliases``, addresses)."""

    aliases: Strings | None = None
    driver_opts: dict[str, Annotated[Any, json_type("string", "number")]] | None = None
    ipv4_address: str | None = None
    ipv6_address: str | None = None


class FileReference(_Model):
    """A secret or config of a service in the long form (the schema leaves it open)."""

    source: str | None = None
    target: str | None = None
    uid: str | None = None
    gid: str | None = None
    mode: Annotated[Any, json_type("number")] = None


class Service(_Closed):
    """A service as ``definitions.service`` of docker/cli's newest Compose file v3 schema
    (``config_schema_v3.14.json``) types it: one field per property, so that a value of
    another type is refused as ``docker stack deploy`` refuses it (``ulimits: {nofile:
    {soft: 1}}``: "hard is required"), and the keys the schema allows are these fields'
    names (:data:`SERVICE_KEYS`); any other but an ``x-`` extension is refused
    ("Additional property platform is not allowed"), and so is null but for ``deploy`` and
    ``pid``. ``ports``, ``volumes``, ``secrets``, ``configs``, ``environment`` and
    ``depends_on`` are then expanded by :mod:`~clustersim.manifests.compose_syntax`.
    Simplified: every ulimit is checked (the schema checks names of lower-case letters,
    docker/cli's ``transformUlimits`` reads the others)."""

    EXTENSIBLE = True
    NULLABLE = frozenset({"deploy", "pid"})

    image: Annotated[str, AfterValidator(image_reference)] | None = None
    deploy: Deploy | None = None
    healthcheck: Healthcheck | None = None
    build: str | dict[str, Any] | None = None
    cap_add: Strings | None = None
    cap_drop: Strings | None = None
    cgroupns_mode: str | None = None
    cgroup_parent: str | None = None
    command: str | list[str] | None = None
    configs: list[str | FileReference] | None = None
    container_name: str | None = None
    credential_spec: CredentialSpec | None = None
    depends_on: Strings | None = None
    devices: Strings | None = None
    dns: StringOrList | None = None
    dns_search: StringOrList | None = None
    domainname: str | None = None
    entrypoint: str | list[str] | None = None
    env_file: StringOrList | None = None
    environment: Labels | None = None
    expose: Annotated[list[Annotated[Any, json_type("string", "number")]],
                      AfterValidator(_unique)] | None = None
    external_links: Strings | None = None
    extra_hosts: Labels | None = None
    hostname: str | None = None
    init: bool | None = None
    ipc: str | None = None
    isolation: str | None = None
    labels: Annotated[Labels, AfterValidator(check_container_labels)] | None = None
    links: Strings | None = None
    logging: Logging | None = None
    mac_address: str | None = None
    network_mode: str | None = None
    networks: Strings | dict[str, ServiceNetwork | None] | None = None
    oom_score_adj: int | None = None
    pid: str | None = None
    ports: list[Any] | None = None
    privileged: bool | None = None
    read_only: bool | None = None
    restart: str | None = None
    secrets: list[str | FileReference] | None = None
    security_opt: Strings | None = None
    shm_size: Annotated[Any, json_type("number", "string")] = None
    stdin_open: bool | None = None
    stop_grace_period: Duration | None = None
    stop_signal: str | None = None
    sysctls: Labels | None = None
    tmpfs: StringOrList | None = None
    tty: bool | None = None
    ulimits: dict[str, int | Ulimit] | None = None
    user: str | None = None
    userns_mode: str | None = None
    volumes: list[Any] | None = None
    working_dir: str | None = None


SERVICE_KEYS = frozenset(Service.model_fields)
"""The keys of a service in docker/cli's newest Compose file v3 schema; the schema allows no
others but ``x-`` extensions."""

DriverOpts = dict[str, Annotated[Any, json_type("string", "number")]]
"""``driver_opts`` of a network, a volume or a secret: values that are strings or numbers."""


def _boolean_or_mapping(value: Any) -> Any:
    """``external``'s ``"type": ["boolean", "object"]``, refused in docker/cli's words
    (``humanReadableType``) before a member of the union is tried."""
    if not isinstance(value, bool | dict):
        raise ValueError("must be a boolean or mapping")
    return value


BooleanOr = (BeforeValidator(_boolean_or_mapping), SchemaType("boolean or mapping"))
"""The metadata of an ``external``: ``Annotated[bool | External, *BooleanOr]``."""


class External(_Closed):
    """``external`` of a network or a volume as a mapping (closed: its ``name`` only)."""

    name: str | None = None


class OpenExternal(_Model):
    """``external`` of a secret or a config as a mapping (the schema leaves it open)."""

    name: str | None = None


class IpamConfig(_Closed):
    subnet: str | None = None


class Ipam(_Closed):
    driver: str | None = None
    config: list[IpamConfig] | None = None


class Network(_Closed):
    """``definitions.network`` of ``config_schema_v3.14.json``: a top-level network."""

    EXTENSIBLE = True
    name: str | None = None
    driver: str | None = None
    driver_opts: DriverOpts | None = None
    ipam: Ipam | None = None
    external: Annotated[bool | External, *BooleanOr] | None = None
    internal: bool | None = None
    attachable: bool | None = None
    labels: Labels | None = None


class Volume(_Closed):
    """``definitions.volume``: a top-level volume. Simplified: its ``x-cluster-spec`` (a
    cluster volume's options) is taken as any other ``x-`` extension, untyped."""

    EXTENSIBLE = True
    name: str | None = None
    driver: str | None = None
    driver_opts: DriverOpts | None = None
    external: Annotated[bool | External, *BooleanOr] | None = None
    labels: Labels | None = None


class Config(_Closed):
    """``definitions.config``: a top-level config."""

    EXTENSIBLE = True
    name: str | None = None
    file: str | None = None
    external: Annotated[bool | OpenExternal, *BooleanOr] | None = None
    labels: Labels | None = None
    template_driver: str | None = None


class Secret(Config):
    """``definitions.secret``: a config's keys and a secret store's ``driver``."""

    driver: str | None = None
    driver_opts: DriverOpts | None = None


SECTIONS: dict[str, type[_Closed]] = {
    "networks": Network, "volumes": Volume, "secrets": Secret, "configs": Config}
"""The model of an entry of each top-level section."""
