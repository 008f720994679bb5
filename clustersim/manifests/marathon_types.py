"""pydantic models of Marathon apps, pods and groups (the fields the simulator reads).

Field names, types, enumerations and ranges follow d2iq-archive/marathon's RAML API types
(``docs/docs/rest-api/public/api/v2/types/app.raml``, ``pod.raml``, ``group.raml``,
``constraint.raml``, ``healthCheck.raml``, ``network.raml``, ``upgradeStrategy.raml``,
``unreachableStrategy.raml``, ``residency.raml``) and constraint validation in
``src/main/scala/mesosphere/marathon/api/v2/validation/SchedulingValidation.scala``.
Marathon reads JSON strictly: ``"cpus": "1"`` is an error there, and here; an enum is read
in any case and kept as RAML spells it (``"docker"`` is ``DOCKER``), a discriminator exactly.
Fields not modelled are allowed and kept in ``spec.manifest``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.alias_generators import to_camel

__all__ = [
    "ANY_PORT",
    "INT32",
    "MAX_LONG",
    "MISSING_VALUE",
    "NOT_A_NUMBER",
    "UNUSED_VALUE",
    "App",
    "Group",
    "Pod",
    "bound_error",
    "check_constraint",
    "enum_values",
    "nan_refusal",
    "scalar_refusal",
    "whole_error",
    "whole_number",
    "with_enums_as_read",
]


def whole_number(value: Any) -> Any:
    """Play JSON reads ``1.0`` as the Int 1 (``IntReads``: ``BigDecimal.isValidInt``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Int = Annotated[int, BeforeValidator(whole_number)]
INT32 = 2**31 - 1
"""The largest ``Int``: a RAML ``integer`` of ``format: int32`` is read by Play's ``IntReads``."""
MAX_LONG = 2**63 - 1
"""The largest ``Long``: a RAML ``integer`` of ``format: int64`` (a persistent volume's
``size`` and ``maxSize`` in ``volumes.raml``) is read by Play's ``LongReads``."""
_PLAY_WHOLE = {INT32: ("error.expected.int", "32-bit"), MAX_LONG: ("error.expected.long", "64-bit")}


def whole_error(value: Any, largest: int) -> str | None:
    """The key Play JSON's ``IntReads`` (``largest`` :data:`INT32`) or ``LongReads``
    (:data:`MAX_LONG`) answers a JSON number that is no such integer with: a fraction, or
    out of range (``BigDecimal.isValidInt``, ``isValidLong``; ``1e400``, which Python reads as
    infinity, is one too; a :class:`~decimal.Decimal`, the exact number the served API
    read, is judged by its own digits), or None (``1e3`` is the whole number 1000). The one
    rule of the loader and of the served API's reader (:mod:`clustersim.serve.marathonraml`),
    which answers these keys in a 422 ``Invalid JSON``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if (isinstance(value, float) and not value.is_integer()) or \
            (isinstance(value, Decimal) and value != value.to_integral_value()) or \
            not -largest - 1 <= value <= largest:
        return _PLAY_WHOLE[largest][0]
    return None


def _whole(largest: int) -> Any:
    """A validator of a RAML ``integer`` read as Play reads it (:func:`whole_error`)."""
    def read(value: Any) -> Any:
        key = whole_error(value, largest)
        if key:
            raise ValueError(f"{value} is not valid: {key} (Marathon reads it as a "
                             f"{_PLAY_WHOLE[largest][1]} integer, a whole number from "
                             f"{-largest - 1} to {largest})")
        return whole_number(value)
    return BeforeValidator(read)


Int32 = Annotated[int, _whole(INT32)]
Long = Annotated[int, _whole(MAX_LONG)]
MAX_SCALAR = (2**63 - 1) // 1000


def scalar_refusal(value: Any) -> str | None:
    """Why a resource amount cannot be held by Mesos, or None: Mesos keeps scalar resources
    in fixed point, ``llround(value * 1000)`` in a 64-bit integer (apache/mesos
    ``src/common/values.cpp``, ``convertToFixed``), so a larger value cannot be represented.
    Marathon 1.11 does not refuse one: it reads a JSON number as a ``BigDecimal`` and a
    ``number`` field with Play's ``DoubleReads`` (``toDouble``), so ``1e999`` becomes
    ``Infinity`` (Java's word for it, used here), and that passes ``app.raml``'s
    ``minimum`` and Accord's ``should be >= 0.0`` on ``cpus``, ``mem`` and ``disk``
    (mesosphere/marathon ``state/AppDefinition.scala``, ``validBasicAppDefinition``;
    ``api/v2/validation/PodsValidation.scala``, ``resourceValidator``). Marathon stores the
    app or pod and starts its deployment, which no offer ever matches (``ResourceMatcher``
    compares the doubles). A finite amount is answered 201 as usual. ``Infinity`` is not:
    the answer writes the app back with Play's ``DoubleWrites``, ``JsNumber(BigDecimal(d))``,
    and ``new java.math.BigDecimal("Infinity")`` throws a ``NumberFormatException``, an
    ``IllegalArgumentException`` that ``MarathonExceptionMapper`` answers 422
    ``{"message": <its message>}`` (playframework/play-json ``Writes.scala``; the mapper in
    ``api/MarathonExceptionMapper.scala``), after the app was stored; every later answer
    that writes it (``GET /v2/apps``, ``/v2/groups``, ``/v2/queue``) fails the same way. The
    message says what Marathon does; the simulator, which holds amounts as Mesos does,
    refuses the definition and keeps nothing (simplified: it holds no app it cannot
    place, where Marathon holds one for ever)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if nan_refusal(value):
        return nan_refusal(value)
    if value <= MAX_SCALAR:
        return None
    infinite = value == float("inf")
    stored = (INFINITY_STORED if infinite else
              "Marathon 1.11 stores the definition (its minimum and 'should be >= 0.0' let "
              "it pass) and answers 201, and no offer ever matches it")
    return (f"{'Infinity' if infinite else repr(value)} is too large: Mesos holds resource "
            f"amounts in fixed point (thousandths in a 64-bit integer), at most "
            f"{MAX_SCALAR}; {stored}, so the simulator refuses it")


INFINITY_STORED = ("Marathon 1.11 stores the definition (Play JSON reads a number beyond a "
                   "double's range as Infinity, which its rules let pass) and then fails "
                   "to write it back, answering 422 with Java's NumberFormatException, as "
                   "every later answer that shows it does")
"""What Marathon does with an ``Infinity`` it takes (:func:`scalar_refusal`)."""


def nan_refusal(value: Any) -> str | None:
    """Why a NaN cannot stand for a Marathon number, or None for any other value: the one
    wording of it. YAML has ``.nan``, JSON has no such number, so Marathon never reads one:
    its JSON parser (Jackson, under Play JSON) refuses the token ``NaN`` before any field
    is read, answered 400 ``Invalid JSON`` ("Non-standard token 'NaN'",
    :mod:`clustersim.serve.marathonjson`; FasterXML/jackson-core ``ReaderBasedJsonParser``,
    ``_handleOddValue``). Infinity, unlike NaN, does reach Marathon: Play reads ``1e999``
    as ``Infinity`` (:func:`scalar_refusal`)."""
    return NOT_A_NUMBER if isinstance(value, float) and math.isnan(value) else None


NOT_A_NUMBER = ("nan is not a number: JSON has no NaN, and Marathon's JSON parser (Jackson) "
                "refuses the token (400 Invalid JSON, \"Non-standard token 'NaN'\")")
"""What :func:`nan_refusal` answers."""


def _mesos_scalar(value: float) -> float:
    """The loader's side of :func:`scalar_refusal`."""
    refused = scalar_refusal(value)
    if refused:
        raise ValueError(refused)
    return value


NonNegative = Annotated[float, Field(ge=0), AfterValidator(_mesos_scalar)]
Shares = Annotated[float, Field(ge=0.001), AfterValidator(_mesos_scalar)]
"""``cpus`` of an app and of a pod's container, and a pod container's ``mem``: RAML's
``minimum: 0.001`` (``app.raml``, ``resources.raml``), Mesos' smallest scalar. A value
between is kept as written (Marathon stores and returns the double it read); Mesos rounds
what it schedules to thousandths, ``llround(value * 1000)`` (apache/mesos
``src/common/values.cpp``, ``convertToFixed``), so ``0.0015`` cpus take ``0.002`` of an offer
(:func:`~clustersim.manifests.units.mesos_scalar`)."""
Count = Annotated[Int, Field(ge=0)]
Count32 = Annotated[Int32, Field(ge=0)]
"""An instance count (an app's ``instances``, a pod's ``scaling``) or ``gpus``: ``integer``,
``format: int32``, ``minimum: 0`` in ``app.raml``, ``pod.raml`` and ``resources.raml``."""
Interval = Annotated[Int, Field(ge=1)]   # seconds between checks: Marathon's minimum is 1
ANY_PORT = (0, 65535)
"""The range of ``AnyPort`` (``docs/docs/rest-api/public/api/v2/types/numberTypes.raml``:
an int32 with ``minimum: 0``, ``maximum: 65535``), the type of ``ports``, a port
definition's ``port``, a port mapping's ``containerPort``, ``hostPort`` and ``servicePort``
and a health check's ``port`` and ``portIndex``."""


def bound_error(value: float, minimum: float | None, maximum: float | None) -> str | None:
    """Play JSON's key for a number outside a RAML ``minimum``/``maximum``: the type
    generator (``type-generator/.../ir/ConstraintT.scala``, ``Min`` and ``Max``) chains Play's
    ``Reads.min`` and ``Reads.max``, which refuse with ``error.min`` and ``error.max``."""
    if minimum is not None and value < minimum:
        return "error.min"
    if maximum is not None and value > maximum:
        return "error.max"
    return None


def _any_port(value: int) -> int:
    """A port out of :data:`ANY_PORT`, refused with the key Marathon's served API answers
    (``POST /v2/apps``: 422 ``Invalid JSON``, ``/portDefinitions(0)/port`` ``error.max``)."""
    key = bound_error(value, *ANY_PORT)
    if key:
        raise ValueError(f"{value} is not valid: {key} (Marathon's port type AnyPort runs "
                         f"from {ANY_PORT[0]} to {ANY_PORT[1]})")
    return value


PortNumber = Annotated[Int, AfterValidator(_any_port)]
Fraction01 = Annotated[float, Field(ge=0, le=1)]

#: Marathon's constraint operators (the ``Constraint.Operator`` enum of d2iq-archive/marathon
#: ``src/main/proto/marathon.proto``: six operators, plus ``IS`` since Marathon 1.6, #5587), and
#: those that need a value. The last Marathon sources match exactly these seven
#: (``src/main/scala/mesosphere/marathon/core/launchqueue/impl/OfferConstraints.scala``), and
#: the REST type ``docs/docs/rest-api/public/api/v2/types/constraint.raml`` lists no other. There
#: is no ``IN``: Marathon refuses it like any unknown operator. The simulator
#: (:mod:`clustersim.marathon.constraints`) uses these too.
OPERATORS = ("UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER", "IS")
NEEDS_VALUE = ("LIKE", "UNLIKE", "IS")
"""The operators that need a value. ``MAX_PER`` needs one in a pod only: an app's
``complyWithAppConstraintRules`` checks its value only when there is one
(``SchedulingValidation.scala``: ``value.fold(Success)``), a pod's
``complyWithConstraintRules`` asks for one (``Value was not specified or is not a number``);
an app's ``MAX_PER`` without a value is stored and fails at every offer
(:func:`clustersim.marathon.constraints.constraint_accepts`)."""

#: Marathon's answer to an unknown operator (``SchedulingValidation.complyWithAppConstraintRules``
#: in ``src/main/scala/mesosphere/marathon/api/v2/validation/SchedulingValidation.scala``; the
#: list there predates ``IS``, which is added here).
UNKNOWN_OPERATOR = ("Constraint operator must be one of the following UNIQUE, CLUSTER, "
                    "GROUP_BY, LIKE, MAX_PER, UNLIKE or IS")


UNUSED_VALUE = "Value specified but not used"
MISSING_VALUE = "Missing value"
"""``SchedulingValidation``'s refusals of a ``UNIQUE`` constraint with a value (any, even
``""``) and of a ``CLUSTER`` one without: an app's ``complyWithAppConstraintRules`` takes
``["rack", "CLUSTER", ""]`` (a value, if empty), a pod's ``complyWithConstraintRules``
refuses an empty one too."""


def check_constraint(field: Any, operator: Any, value: Any, *, pod: bool = False) -> None:
    """One placement constraint ``[field, operator, value?]`` as Marathon validates it
    (an app's, or with ``pod`` a pod's ``{fieldName, operator, value}``)."""
    if not isinstance(field, str) or not field:
        raise ValueError(f"the constraint field {field!r} must be a non-empty string")
    if operator not in OPERATORS:
        raise ValueError(f"{UNKNOWN_OPERATOR} (got {operator!r})")
    if value is not None and not isinstance(value, str):
        raise ValueError(f"the constraint value {value!r} must be a string")
    if operator == "UNIQUE" and value is not None:
        raise ValueError(f"{UNUSED_VALUE}: UNIQUE takes no value, write [{field!r}, 'UNIQUE']")
    if operator == "CLUSTER" and (value is None or (pod and not value)):
        raise ValueError(f"{MISSING_VALUE}: CLUSTER needs the value to keep every instance "
                         f"on, e.g. [{field!r}, 'CLUSTER', 'rack-1']")
    if operator in NEEDS_VALUE and value is None:
        raise ValueError(f"the {operator} constraint needs a value")
    needs_int = (operator == "MAX_PER" and (pod or value is not None)) or \
        (operator == "GROUP_BY" and value is not None)
    if needs_int and not re.fullmatch(r"[0-9]+", value or ""):
        raise ValueError(f"the {operator} constraint's value {value!r} must be an integer")
    if operator in ("LIKE", "UNLIKE"):
        try:
            re.compile(value)
        except re.error:
            raise ValueError(
                f"the {operator} constraint's value {value!r} is not a valid regex"
            ) from None


def _app_constraint(item: list[str]) -> list[str]:
    """An app constraint is ``[field, operator]`` or ``[field, operator, value]``."""
    if not 2 <= len(item) <= 3:
        raise ValueError(
            f"a constraint {item!r} must be [field, operator] or [field, operator, value]"
        )
    check_constraint(*item, *([None] if len(item) == 2 else []))
    return item


AppConstraint = Annotated[list[str], AfterValidator(_app_constraint)]

_ROLE_CHARACTERS = {"\t": "horizontal tab (\\x09)", "\n": "line feed (\\x0a)",
                    "\v": "vertical tab (\\x0b)", "\f": "form feed (\\x0c)",
                    "\r": "carriage return (\\x0d)", " ": "space (\\x20)",
                    "/": "slash (\\x2f)", "\x7f": "backspace (\\x7f)"}
"""The characters a role name may not hold, in Marathon's words (``\\x7f``, DEL, is its
"backspace")."""


def resource_role(name: str) -> str:
    """A Mesos role name in ``acceptedResourceRoles``, checked as ``ResourceRole.
    validResourceRole`` does (d2iq-archive/marathon ``state/ResourceRole.scala``; its cases
    are ``ResourceRoleTest``'s): not ``""``, ``.`` or ``..``, no leading ``-``, none of
    :data:`_ROLE_CHARACTERS`. Marathon reports every broken rule at once; this reports the
    first."""
    if name in ("", ".", ".."):
        raise ValueError(f'A role name must not be "{name}".')
    if name.startswith("-"):
        raise ValueError("A role name must not start with a '-'.")
    for char in name:
        if char in _ROLE_CHARACTERS:
            raise ValueError(f"A role name must not include a {_ROLE_CHARACTERS[char]} "
                             "character.")
    return name


def _some_roles(roles: list[str]) -> list[str]:
    """An app's ``acceptedResourceRoles``, when given, names at least one role
    (``AppValidation``: ``validAcceptedResourceRoles(...) and notEmpty``, Accord's words)."""
    if not roles:
        raise ValueError("must not be empty")
    return roles


ResourceRole = Annotated[str, AfterValidator(resource_role)]
AcceptedResourceRoles = Annotated[list[ResourceRole], AfterValidator(_some_roles)]
"""An app's ``acceptedResourceRoles``. A pod's may be empty (``PodsValidation``: ``is empty
or validAcceptedResourceRoles``), its items checked alike. Marathon reads the list as a
``Set``, so a role named twice counts once (and a broken name is indexed among the
distinct ones, not as here in the list given)."""


def _enum_values(annotation: Any) -> tuple[str, ...]:
    """The values of the ``Literal`` in a field's type (``Literal[...] | None``, or a union
    with a model), or ``()`` for a field that is no enum."""
    for arg in get_args(annotation) if get_origin(annotation) in (Union, UnionType) \
            else (annotation,):
        if get_origin(arg) is Literal:
            return get_args(arg)
    return ()


class _Model(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="allow", alias_generator=to_camel, populate_by_name=True
    )

    @model_validator(mode="before")
    @classmethod
    def _enums_in_any_case(cls, data: Any) -> Any:
        """A RAML enum is read in any case and stored as RAML spells it: the generated reader
        lower-cases the string and matches it against the lower-cased values
        (d2iq-archive/marathon ``type-generator/.../treehugger/EnumVisitor.scala``), so
        ``"type": "docker"`` is the ``DOCKER`` engine and ``"mode": "HOST"`` host networking;
        another value is refused (``error.unknown.enum.literal``)."""
        if not isinstance(data, dict):
            return data
        found = dict(data)
        for name, field in cls.model_fields.items():
            values = _enum_values(field.annotation)
            for key in {field.alias or name, name} & set(data):
                value = data[key]
                if isinstance(value, str):
                    found[key] = next((v for v in values if v.lower() == value.lower()), value)
        return found


class PortDefinition(_Model):
    port: PortNumber
    protocol: str | None = None
    name: str | None = None
    labels: dict[str, str] | None = None


class PortMapping(_Model):
    container_port: PortNumber | None = None
    host_port: PortNumber | None = None
    service_port: PortNumber | None = None
    protocol: str | None = None
    name: str | None = None
    labels: dict[str, str] | None = None


class PersistentVolumeInfo(_Model):
    """``PersistentVolume`` of ``volumes.raml``: ``size`` in MiB, an ``int64``."""

    size: Annotated[Long, Field(ge=1)]
    type: Literal["root", "path", "mount"] | None = None


class AppVolume(_Model):
    container_path: str
    host_path: str | None = None
    mode: Literal["RO", "RW"] | None = None
    persistent: PersistentVolumeInfo | None = None
    external: dict[str, Any] | None = None


class DockerContainer(_Model):
    image: str
    network: Literal["BRIDGE", "HOST", "USER", "NONE"] | None = None
    port_mappings: list[PortMapping] | None = None
    force_pull_image: bool | None = None
    privileged: bool | None = None


class Container(_Model):
    type: Literal["DOCKER", "MESOS"] | None = None
    docker: DockerContainer | None = None
    port_mappings: list[PortMapping] | None = None
    volumes: list[AppVolume] | None = None

    @model_validator(mode="after")
    def _docker_has_an_image(self) -> Container:
        """Marathon's ``dockerDockerContainerValidator``: a ``DOCKER`` container's ``docker``
        is defined and names an image (``AppValidation``)."""
        if self.type == "DOCKER" and self.docker is None:
            raise ValueError("a DOCKER container needs docker with an image, e.g. "
                             "docker: {image: nginx:1.27}")
        return self


class Command(_Model):
    value: str


class HealthCheck(_Model):
    protocol: (
        Literal["HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP"] | None
    ) = None
    path: str | None = None
    port_index: Count | None = None
    port: PortNumber | None = None
    command: Command | None = None
    grace_period_seconds: Count | None = None
    interval_seconds: Interval | None = None
    timeout_seconds: Count | None = None
    max_consecutive_failures: Count | None = None
    delay_seconds: Count | None = None


class PodHealthCheck(_Model):
    """A pod container's ``healthCheck`` (``podHealthCheck.raml``): ``http``, ``tcp`` or
    ``exec`` with the app health check's timings."""

    http: dict[str, Any] | None = None
    tcp: dict[str, Any] | None = None
    exec: dict[str, Any] | None = None
    grace_period_seconds: Count | None = None
    interval_seconds: Interval | None = None
    timeout_seconds: Count | None = None
    max_consecutive_failures: Count | None = None
    delay_seconds: Count | None = None


class ReadinessCheck(_Model):
    """``readinessCheck.raml``."""

    name: str | None = None
    protocol: Literal["HTTP", "HTTPS"] | None = None
    path: str | None = None
    port_name: str | None = None
    interval_seconds: Count | None = None
    timeout_seconds: Count | None = None
    http_status_codes_for_ready: list[Int] | None = None
    preserve_last_response: bool | None = None


class UpgradeStrategy(_Model):
    minimum_health_capacity: Fraction01 | None = None
    maximum_over_capacity: Fraction01 | None = None


class UnreachableEnabled(_Model):
    """``state/UnreachableStrategy.scala``: Marathon's validator asks for
    ``inactiveAfter < expungeAfter`` (and at least 1 s); the simulator also takes them equal
    (0 and 0 in the labs: replace at once, forget at once). Defaults 300 s and 600 s."""

    inactive_after_seconds: Count | None = None
    expunge_after_seconds: Count | None = None

    @model_validator(mode="after")
    def _expunge_after_inactive(self) -> UnreachableEnabled:
        inactive = 300 if self.inactive_after_seconds is None else self.inactive_after_seconds
        expunge = 600 if self.expunge_after_seconds is None else self.expunge_after_seconds
        if expunge < inactive:
            raise ValueError(f"expungeAfterSeconds ({expunge}) must be ≥ inactiveAfterSeconds "
                             f"({inactive}): an instance is forgotten after it is replaced")
        return self


class Network(_Model):
    mode: Literal["host", "container", "container/bridge"] | None = None
    name: str | None = None
    labels: dict[str, str] | None = None


class IpAddress(_Model):
    """The deprecated (Marathon < 1.5) ``ipAddress`` of an app: IP-per-task networking."""

    network_name: str | None = None
    groups: list[str] | None = None
    labels: dict[str, str] | None = None


class Residency(_Model):
    relaunch_escalation_timeout_seconds: Count | None = None
    task_lost_behavior: Literal["WAIT_FOREVER", "RELAUNCH_AFTER_TIMEOUT"] | None = None


class App(_Model):
    id: str
    cmd: str | None = None
    args: list[str] | None = None
    instances: Count32 | None = None
    cpus: Shares | None = None
    mem: NonNegative | None = None
    disk: NonNegative | None = None
    gpus: Count32 | None = None
    constraints: list[AppConstraint] | None = None
    port_definitions: list[PortDefinition] | None = None
    ports: list[PortNumber] | None = None
    require_ports: bool | None = None
    container: Container | None = None
    health_checks: list[HealthCheck] | None = None
    upgrade_strategy: UpgradeStrategy | None = None
    unreachable_strategy: Literal["disabled"] | UnreachableEnabled | None = None
    networks: list[Network] | None = None
    ip_address: IpAddress | None = None
    readiness_checks: list[ReadinessCheck] | None = None
    backoff_seconds: NonNegative | None = None
    backoff_factor: Annotated[float, Field(ge=1, le=1e6)] | None = None
    max_launch_delay_seconds: NonNegative | None = None
    residency: Residency | None = None
    dependencies: list[str] | None = None
    accepted_resource_roles: AcceptedResourceRoles | None = None
    role: str | None = None
    labels: dict[str, str] | None = None
    env: dict[str, str | dict[str, str]] | None = None
    kill_selection: Literal["YOUNGEST_FIRST", "OLDEST_FIRST"] | None = None


class PodResources(_Model):
    cpus: Shares | None = None
    mem: Shares | None = None
    disk: NonNegative | None = None
    gpus: Count32 | None = None


class Endpoint(_Model):
    name: str
    container_port: PortNumber | None = None
    host_port: PortNumber | None = None
    service_port: PortNumber | None = None
    protocol: list[str] | None = None
    labels: dict[str, str] | None = None


class PodContainer(_Model):
    name: str
    resources: PodResources
    image: dict[str, Any] | None = None
    endpoints: list[Endpoint] | None = None
    health_check: PodHealthCheck | None = None


class PodConstraint(_Model):
    field_name: str
    operator: str
    value: str | None = None

    @model_validator(mode="after")
    def _rules(self) -> PodConstraint:
        check_constraint(self.field_name, self.operator, self.value, pod=True)
        return self


class PodPlacement(_Model):
    constraints: list[PodConstraint] | None = None
    accepted_resource_roles: list[ResourceRole] | None = None


class PodBackoff(_Model):
    backoff: NonNegative | None = None
    backoff_factor: Annotated[float, Field(ge=1, le=1e6)] | None = None
    max_launch_delay: NonNegative | None = None


class PodScheduling(_Model):
    backoff: PodBackoff | None = None
    placement: PodPlacement | None = None
    upgrade: UpgradeStrategy | None = None
    unreachable_strategy: Literal["disabled"] | UnreachableEnabled | None = None


Discriminator = Annotated[Literal["fixed"], Field(description="matched exactly")]
"""A RAML discriminator (``scaling-policy.raml``'s ``kind``): the generated reader matches
its value exactly (``ObjectVisitor``), unlike an enum; ``Annotated`` keeps it out of
``_enums_in_any_case``."""


class PodScaling(_Model):
    kind: Discriminator | None = None
    instances: Count32 | None = None
    max_instances: Count32 | None = None


class PodVolume(_Model):
    """``podVolume.raml``: ephemeral (a name only), ``host``, ``persistent`` or ``secret``."""

    name: str
    host: str | None = None
    persistent: PersistentVolumeInfo | None = None
    secret: str | None = None


class Pod(_Model):
    id: str
    containers: Annotated[list[PodContainer], Field(min_length=1)]
    scaling: PodScaling | None = None
    scheduling: PodScheduling | None = None
    networks: list[Network] | None = None
    volumes: list[PodVolume] | None = None
    executor_resources: PodResources | None = None
    labels: dict[str, str] | None = None
    role: str | None = None


class Group(_Model):
    id: str | None = None
    apps: list[App] | None = None
    pods: list[Pod] | None = None
    groups: list[Group] | None = None
    dependencies: list[str] | None = None
    enforce_role: bool | None = None


def enum_values(model: type[BaseModel], field: str) -> tuple[str, ...]:
    """The values of ``model``'s enum ``field`` (``enum_values(Container, "type")``)."""
    return _enum_values(model.model_fields[field].annotation)


def with_enums_as_read(typed: BaseModel, raw: Any) -> Any:
    """``raw``, the definition ``typed`` was read from, with every enum value as the reader
    stored it (``"docker"`` becomes ``"DOCKER"``): Marathon keeps and shows the RAML
    spelling, and the simulator reads the definition, not the model."""
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    for name, field in type(typed).model_fields.items():
        value = getattr(typed, name)
        for key in {field.alias or name, name} & set(raw):
            if isinstance(value, str) and _enum_values(field.annotation):
                out[key] = value
            elif isinstance(value, BaseModel):
                out[key] = with_enums_as_read(value, raw[key])
            elif isinstance(value, list) and isinstance(raw[key], list):
                out[key] = [with_enums_as_read(v, r) if isinstance(v, BaseModel) else r
                            for v, r in zip(value, raw[key], strict=False)]
    return out
