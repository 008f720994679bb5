"""pydantic models of the Kubernetes kinds the simulator acts on (the fields it reads).

Longer than most modules (about 1,280 lines) because it is a table of declarations, one small
model per API type in the order of upstream's ``types.go`` files, with almost no logic; the
field syntax checks are in :mod:`~clustersim.manifests.kubernetes_syntax`.

Field names, types and allowed values follow kubernetes/api ``core/v1/types.go``,
``apps/v1/types.go``, ``batch/v1/types.go``, ``networking/v1/types.go`` and the apiserver's
validation in kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``. Types are
strict, as the API server's JSON decoding is: ``replicas: "3"`` and an unquoted label value
``version: 1`` are errors there, and here. Fields not modelled are allowed and kept in
``spec.manifest``.

Typed to the real shapes wherever the simulator reads a field: ``affinity`` (NodeAffinity,
PodAffinity, PodAntiAffinity and their terms), probes, update strategies, grace periods,
priorities and the Pod's and containers' ``securityContext`` (which Pod Security reads), so
that a malformed shape is refused at load time with the API server's words instead of crashing
a scheduler plugin later or being misread by admission. Quantities in ``resources`` must not
be negative (``ValidateNonnegativeQuantity``: "must be greater than or equal to 0"). Checks
across fields (both ``maxSurge`` and ``maxUnavailable`` zero, empty selectors,
``restartPolicy`` of a workload's pods) live in :mod:`~clustersim.manifests.kubernetes_checks`.

The values of each ``Literal`` are in the order the API server lists them in its
``Unsupported value`` message (``validateRestartPolicy``: "Always", "OnFailure", "Never";
``sets.List`` of the supported pull policies and port protocols: sorted).

Simplified: only the checks a learner's manifest is likely to trip are modelled (required
fields, types, enumerations, name syntax, quantities, ports); the API server checks much more.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from clustersim.goformat import GoStruct, go_json
from clustersim.manifests.cron import UTC_NAMES, CronSchedule, time_zone_problems
from clustersim.manifests.kubernetes_errors import GoSyntax, invalid, named, unsupported
from clustersim.manifests.kubernetes_ip import ip_problem
from clustersim.manifests.kubernetes_syntax import (
    Annotations,
    ConfigKey,
    EnvVarName,
    Int32,
    IntOrPercent,
    Label,
    LabelPrefix,
    Labels,
    NonNegative,
    Port,
    PortName,
    PortOrZero,
    Protocol,
    Quantity,
    ResourceQuantity,
    Subdomain,
    SubdomainPrefix,
    at_least_one_term,
    base64_text,
    path_segment,
    qualified_name,
    topology_key,
)
from clustersim.manifests.secrettypes import secret_type_problems
from clustersim.quantity import QuantityError, parse_quantity, request_amount, unheld

__all__ = ["KIND_MODELS", "ObjectMeta"]


class _Model(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="allow", alias_generator=to_camel, populate_by_name=True
    )


def _unset_if_empty(value: Any) -> Any:
    """An empty string as a field left out, which the API server's defaults then fill in."""
    return None if value == "" else value


class OwnerReference(_Model):
    api_version: str
    kind: str
    name: str
    uid: str | None = None      # required upstream; written by controllers, not by hand
    controller: bool | None = None
    block_owner_deletion: bool | None = None


class ObjectMeta(_Model):
    """An object's metadata, its ``generateName`` checked by the kind's rule for names as a
    prefix before its name is (``ValidateObjectMetaAccessor``, apimachinery
    ``pkg/api/validation/objectmeta.go``), so a bad prefix is reported first."""

    generate_name: SubdomainPrefix | None = None
    name: Subdomain | None = None
    namespace: Label | None = None
    labels: Labels | None = None
    annotations: Annotations | None = None
    owner_references: list[OwnerReference] | None = None


class ServiceMeta(ObjectMeta):
    """A Service's name is a DNS-1123 label (``NameIsDNSLabel``), as it names a DNS record
    (``<name>.<namespace>.svc.cluster.local``): ``1st`` is valid. Before v1.37 it was a
    DNS-1035 label, which must start with a letter; the ``RelaxedServiceNameValidation``
    feature gate (KEP-5311, kubernetes/enhancements
    ``keps/sig-network/5311-relaxed-validation-for-service-names/kep.yaml``: alpha v1.34,
    beta v1.36, stable v1.37) was locked on at GA by kubernetes/kubernetes PR #139282, so
    a v1.37 API server validates a new Service's name with ``NameIsDNSLabel`` instead of
    ``NameIsDNS1035Label``."""

    generate_name: LabelPrefix | None = None
    name: Label | None = None


class NamespaceMeta(ObjectMeta):
    """A Namespace's name is a DNS-1123 label (``ValidateNamespaceName``)."""

    generate_name: LabelPrefix | None = None
    name: Label | None = None


class PathSegmentMeta(ObjectMeta):
    """The metadata of a kind whose names are path segments (RBAC), not DNS subdomains;
    ``ValidateRBACName`` checks a ``generateName`` as it checks a name (no dash masked)."""

    generate_name: Annotated[str, AfterValidator(path_segment)] | None = None
    name: Annotated[str, AfterValidator(path_segment)] | None = None


class _SelectorRequirement(_Model):
    """A requirement of a label selector (metav1 ``LabelSelectorRequirement``,
    ``ValidateLabelSelectorRequirement`` in apimachinery ``pkg/apis/meta/v1/validation``) or
    of a node selector (``NodeSelectorRequirement``, ``ValidateNodeSelectorRequirement`` in
    kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``): the values its
    operator needs, and an operator none of :attr:`_OPERATORS` is ``Invalid``, ``not a valid
    selector operator``, the named operator type in JSON. Simplified: upstream also refuses
    a workload's selector so refused as a whole (``LabelSelectorAsSelector``: ``invalid label
    selector`` for a Deployment), which is left out."""

    _OPERATORS: ClassVar[tuple[str, ...]] = ("In", "NotIn", "Exists", "DoesNotExist")

    operator: str
    values: list[str] | None = None

    @model_validator(mode="after")
    def _values(self) -> _SelectorRequirement:
        count = len(self.values or [])
        if self.operator not in self._OPERATORS:
            raise ValueError("operator: " + invalid(named(self.operator),
                                                    "not a valid selector operator"))
        if self.operator in ("In", "NotIn") and count == 0:
            raise ValueError(
                "values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
            )
        if self.operator in ("Exists", "DoesNotExist") and count:
            raise ValueError(
                "values: Forbidden: may not be specified when `operator` is 'Exists' or "
                "'DoesNotExist'"
            )
        if self.operator in ("Gt", "Lt") and count != 1:
            raise ValueError(
                "values: Required value: must be specified single value when `operator` is "
                "'Lt' or 'Gt'"
            )
        return self


class LabelSelectorRequirement(_SelectorRequirement):
    key: str


class LabelSelector(_Model):
    match_labels: Labels | None = None
    match_expressions: list[LabelSelectorRequirement] | None = None


def _schedulable(amounts: Any) -> Any:
    """Each amount of requests or limits, as written, fits the 64-bit integer the
    scheduler's arithmetic reads it as (``MilliValue()`` for ``cpu``, ``Value()`` for the
    rest); a larger one is refused, named as written. A limit of the simulator: a real API
    server takes any size ``ParseQuantity`` reads (``cpu: 1e308``, ``1Ei`` cores;
    ``ValidateResourceQuantityValue`` checks only the sign and, for integer resources, the
    fraction) and stores it as written, and those readings of it then overflow. An amount
    that is no quantity, or negative, is left to the amounts' own checks."""
    for name, written in amounts.items() if isinstance(amounts, dict) else ():
        try:
            value = parse_quantity(getattr(written, "literal", None) or written)
        except QuantityError:
            continue
        try:
            if value >= 0:
                request_amount(name, value)
        except QuantityError:
            raise ValueError(unheld(name, written)) from None
    return amounts


Amounts = Annotated[dict[str, ResourceQuantity], BeforeValidator(_schedulable)]


class ResourceRequirements(_Model):
    requests: Amounts | None = None
    limits: Amounts | None = None


class ContainerPort(_Model):
    container_port: Port
    host_port: PortOrZero | None = None
    protocol: Protocol | None = None
    name: PortName | None = None
    host_ip: str | None = Field(default=None, alias="hostIP")


# The shapes of the structures that the kubelet and the controllers read: named as Go names
# them, since a value of the wrong JSON type is refused in Go's words ("cannot unmarshal string
# into Go struct field EnvVar.spec.containers.env.valueFrom of type v1.EnvVarSource"); their
# other fields are not checked here.
class ConfigMapKeySelector(_Model):
    key: str
    name: str | None = None
    optional: bool | None = None


class SecretKeySelector(ConfigMapKeySelector):
    pass


class ObjectFieldSelector(_Model):
    field_path: str
    api_version: str | None = None


class ResourceFieldSelector(_Model):
    resource: str
    container_name: str | None = None


class EnvVarSource(_Model):
    config_map_key_ref: ConfigMapKeySelector | None = None
    secret_key_ref: SecretKeySelector | None = None
    field_ref: ObjectFieldSelector | None = None
    resource_field_ref: ResourceFieldSelector | None = None


class EnvVar(_Model):
    name: EnvVarName
    value: str | None = None
    value_from: EnvVarSource | None = None


class ConfigMapEnvSource(_Model):
    name: str | None = None
    optional: bool | None = None


class SecretEnvSource(ConfigMapEnvSource):
    pass


class EnvFromSource(_Model):
    prefix: EnvVarName | None = None
    config_map_ref: ConfigMapEnvSource | None = None
    secret_ref: SecretEnvSource | None = None


class VolumeMount(_Model):
    name: str
    mount_path: str
    read_only: bool | None = None
    sub_path: str | None = None


class PersistentVolumeClaimVolumeSource(_Model):
    claim_name: str
    read_only: bool | None = None


class ConfigMapVolumeSource(_Model):
    name: str | None = None
    optional: bool | None = None


class SecretVolumeSource(_Model):
    secret_name: str | None = None
    optional: bool | None = None


class HostPathVolumeSource(_Model):
    path: str
    type: str | None = None


class EmptyDirVolumeSource(_Model):
    medium: str | None = None


class ProjectedVolumeSource(_Model):
    sources: list[dict[str, Any]] | None = None


class Volume(_Model):
    name: str
    persistent_volume_claim: PersistentVolumeClaimVolumeSource | None = None
    config_map: ConfigMapVolumeSource | None = None
    secret: SecretVolumeSource | None = None
    host_path: HostPathVolumeSource | None = None
    empty_dir: EmptyDirVolumeSource | None = None
    projected: ProjectedVolumeSource | None = None


class PodSchedulingGate(_Model):
    name: str


class PodReadinessGate(_Model):
    """``validateReadinessGates``: each ``conditionType`` a qualified name."""

    condition_type: Annotated[str, AfterValidator(qualified_name)]


class ExecAction(_Model):
    command: list[str] | None = None


class HTTPGetAction(_Model):
    port: Port | str
    path: str | None = None
    host: str | None = None
    scheme: Literal["HTTP", "HTTPS"] | None = None


class TCPSocketAction(_Model):
    port: Port | str
    host: str | None = None


class GRPCAction(_Model):
    port: Port
    service: str | None = None


class Probe(_Model):
    """core/v1 ``Probe``; ``validateProbe``: every count and period ≥ 0 (0 means the default:
    ``SetDefaults_Probe`` makes a ``periodSeconds`` of 0 a period of 10 s), exactly one handler
    (``validateHandler``: "must specify a handler type")."""

    exec: ExecAction | None = None
    http_get: HTTPGetAction | None = None
    tcp_socket: TCPSocketAction | None = None
    grpc: GRPCAction | None = None
    initial_delay_seconds: NonNegative | None = None
    timeout_seconds: NonNegative | None = None
    period_seconds: NonNegative | None = None
    success_threshold: NonNegative | None = None
    failure_threshold: NonNegative | None = None
    termination_grace_period_seconds: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _one_handler(self) -> Probe:
        handlers = [h for h in (self.exec, self.http_get, self.tcp_socket, self.grpc) if h]
        if not handlers:
            raise ValueError("Required value: must specify a handler type")
        if len(handlers) > 1:
            raise ValueError("Forbidden: may not specify more than 1 handler type")
        return self


class SleepAction(_Model):
    seconds: Annotated[int, Field(ge=0)]


class LifecycleHandler(_Model):
    exec: ExecAction | None = None
    http_get: HTTPGetAction | None = None
    tcp_socket: TCPSocketAction | None = None
    sleep: SleepAction | None = None


class Lifecycle(_Model):
    post_start: LifecycleHandler | None = None
    pre_stop: LifecycleHandler | None = None


# The security settings Pod Security reads (``pkg/security/podsecurity``): typed to the Go
# structs of core/v1 ``types.go`` so that ``allowPrivilegeEscalation: "false"`` is the API
# server's decoding error (400), not a value admission then misreads.
class Capabilities(_Model):
    add: list[str] | None = None
    drop: list[str] | None = None


class SELinuxOptions(_Model):
    user: str | None = None
    role: str | None = None
    type: str | None = None
    level: str | None = None


class WindowsSecurityContextOptions(_Model):
    gmsa_credential_spec_name: str | None = None
    gmsa_credential_spec: str | None = None
    run_as_user_name: str | None = None
    host_process: bool | None = None


PROFILE_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")
"""The types of a seccomp and of an AppArmor profile, in the order the API server lists them
(``validateSeccompProfileType``, ``ValidateAppArmorProfileField``)."""


class _Profile(_Model):
    """A seccomp or AppArmor profile (core/v1 ``SeccompProfile``, ``AppArmorProfile``), as
    kubernetes/kubernetes ``pkg/apis/core/validation/validation.go`` validates the two alike
    (``validateSeccompProfileField``, ``ValidateAppArmorProfileField``): a type is required
    and one of :data:`PROFILE_TYPES`, a Localhost profile names its profile, and only a
    Localhost one may. Each subclass says what differs: its names (:attr:`_NAMES`), whether
    a bad type ends the checks, what a Localhost profile's name must be, and how the refused
    profile is shown.

    A bad value is shown as apimachinery's ``field.Error.ErrorBody`` shows it since
    Kubernetes 1.34 (``pkg/util/validation/field/errors.go``, kubernetes/kubernetes PR
    #132314): a plain ``string`` with Go's ``%q``, anything else, a named string type such
    as ``SeccompProfileType`` and a pointer included, with ``json.Marshal``."""

    _NAMES: ClassVar[tuple[str, str]]
    """The profile's field (``seccompProfile``) and its word in messages (``seccomp``)."""
    _TYPE_ALONE: ClassVar[bool] = True
    """Whether a missing or unsupported type is the profile's one error (AppArmor's
    ``switch`` on the type), or its ``localhostProfile`` is checked as well (seccomp checks
    the type, then the profile)."""

    type: Annotated[str | None, BeforeValidator(_unset_if_empty)] = None
    localhost_profile: str | None = None

    @model_validator(mode="after")
    def _type_and_profile(self) -> _Profile:
        field, word = self._NAMES
        problems = self._type_problems(field)
        if problems and self._TYPE_ALONE:
            raise ValueError(problems[0])
        if self.type == "Localhost":
            problems += self._localhost_problems(f"must be set when {word} type is Localhost")
        elif self.localhost_profile is not None:
            problems.append("localhostProfile: " + invalid(
                self._shown(), f"can only be set when {word} type is Localhost"))
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _type_problems(self, field: str) -> list[str]:
        """The type's own error: ``Required`` when it is empty, ``NotSupported`` (the named
        string type's value in JSON) when it is none of :data:`PROFILE_TYPES`."""
        if self.type is None:
            return [f"type: Required value: type is required when {field} is set"]
        if self.type not in PROFILE_TYPES:
            return ["type: " + unsupported(named(self.type), PROFILE_TYPES)]
        return []

    def _localhost_problems(self, required: str) -> list[str]:
        """What a Localhost profile's ``localhostProfile`` lacks (``required`` says it must
        be set)."""
        return [] if self.localhost_profile is not None else [
            f"localhostProfile: Required value: {required}"]

    def _shown(self) -> GoSyntax:
        """The bad value of a ``localhostProfile`` the type does not take: the ``*string``
        itself, in JSON (not Go's ``%q``: ``<`` is ``\\u003c``)."""
        return GoSyntax(go_json(self.localhost_profile))


class SeccompProfile(_Profile):
    """core/v1 ``SeccompProfile``. A Localhost profile's path must descend from the kubelet's
    seccomp directory (``validateLocalDescendingPath``: not absolute, no ``..`` element). A
    ``localhostProfile`` with another type is refused with the whole internal
    ``core.SeccompProfile`` as the bad value, in JSON with Go's field names in the struct's
    order (``{"Type":"RuntimeDefault","LocalhostProfile":"p.json"}``)."""

    _NAMES = ("seccompProfile", "seccomp")
    _TYPE_ALONE = False

    def _localhost_problems(self, required: str) -> list[str]:
        path = self.localhost_profile
        if path is None:
            return super()._localhost_problems(required)
        problems = [f"localhostProfile: {invalid(path, 'must be a relative path')}"
                    ] if path.startswith("/") else []
        if ".." in path.split("/"):
            problems.append("localhostProfile: " + invalid(path, "must not contain '..'"))
        return problems

    def _shown(self) -> GoSyntax:
        return GoSyntax(go_json(GoStruct(Type=self.type or "",
                                         LocalhostProfile=self.localhost_profile)))


_MAX_APPARMOR_PROFILE = 4095
"""The longest AppArmor profile name, in bytes (PATH_MAX - 1, ``ValidateAppArmorProfileField``)."""


class AppArmorProfile(_Profile):
    """core/v1 ``AppArmorProfile``; a Localhost profile's name is also refused padded with
    whitespace, empty, or longer than 4,095 bytes (PATH_MAX - 1)."""

    _NAMES = ("appArmorProfile", "AppArmor")

    def _localhost_problems(self, required: str) -> list[str]:
        name = self.localhost_profile
        if not name:
            return [f"localhostProfile: Required value: {required}"]
        problems = [f"localhostProfile: {invalid(name, 'must not be padded with whitespace')}"
                    ] if name.strip() != name else []
        if len(name.encode()) > _MAX_APPARMOR_PROFILE:
            problems.append("localhostProfile: Too long: may not be more than "
                            f"{_MAX_APPARMOR_PROFILE} bytes")
        return problems


class _SecurityContextBase(_Model):
    """The fields a Pod's and a container's security context share."""

    se_linux_options: SELinuxOptions | None = None
    windows_options: WindowsSecurityContextOptions | None = None
    run_as_user: int | None = None
    run_as_group: int | None = None
    run_as_non_root: bool | None = None
    seccomp_profile: SeccompProfile | None = None
    app_armor_profile: AppArmorProfile | None = None


class SecurityContext(_SecurityContextBase):
    """core/v1 ``SecurityContext``, a container's."""

    capabilities: Capabilities | None = None
    privileged: bool | None = None
    read_only_root_filesystem: bool | None = None
    allow_privilege_escalation: bool | None = None
    proc_mount: Literal["Default", "Unmasked"] | None = None  # ValidateProcMountType; Unmasked
    # also needs the pod's hostUsers: false (kubernetes_checks._proc_mount)


class Sysctl(_Model):
    name: str
    value: str


class PodSecurityContext(_SecurityContextBase):
    """core/v1 ``PodSecurityContext``."""

    supplemental_groups: list[int] | None = None
    supplemental_groups_policy: str | None = None
    fs_group: int | None = None
    fs_group_change_policy: str | None = None
    sysctls: list[Sysctl] | None = None
    se_linux_change_policy: str | None = None


class Container(_Model):
    name: Label
    image: str | None = None
    command: list[str] | None = None
    args: list[str] | None = None
    ports: list[ContainerPort] | None = None
    resources: ResourceRequirements | None = None
    env: list[EnvVar] | None = None
    env_from: list[EnvFromSource] | None = None
    volume_mounts: list[VolumeMount] | None = None
    liveness_probe: Probe | None = None
    readiness_probe: Probe | None = None
    startup_probe: Probe | None = None
    lifecycle: Lifecycle | None = None
    image_pull_policy: Literal["Always", "IfNotPresent", "Never"] | None = None
    security_context: SecurityContext | None = None


class NodeSelectorRequirement(_SelectorRequirement):
    _OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")

    key: Annotated[str, AfterValidator(qualified_name)]


class NodeSelectorTerm(_Model):
    match_expressions: list[NodeSelectorRequirement] | None = None
    match_fields: list[NodeSelectorRequirement] | None = None


class NodeSelector(_Model):
    node_selector_terms: Annotated[list[NodeSelectorTerm], AfterValidator(at_least_one_term)]


class PreferredSchedulingTerm(_Model):
    weight: Annotated[int, Field(ge=1, le=100)]
    preference: NodeSelectorTerm


class NodeAffinity(_Model):
    required_during_scheduling_ignored_during_execution: NodeSelector | None = None
    preferred_during_scheduling_ignored_during_execution: (
        list[PreferredSchedulingTerm] | None
    ) = None


class PodAffinityTerm(_Model):
    label_selector: LabelSelector | None = None
    namespaces: list[str] | None = None
    topology_key: Annotated[str, AfterValidator(topology_key)]
    namespace_selector: LabelSelector | None = None
    match_label_keys: list[str] | None = None
    mismatch_label_keys: list[str] | None = None


class WeightedPodAffinityTerm(_Model):
    weight: Annotated[int, Field(ge=1, le=100)]
    pod_affinity_term: PodAffinityTerm


class PodAffinity(_Model):
    required_during_scheduling_ignored_during_execution: list[PodAffinityTerm] | None = None
    preferred_during_scheduling_ignored_during_execution: (
        list[WeightedPodAffinityTerm] | None
    ) = None


class PodAntiAffinity(PodAffinity):
    pass


class Affinity(_Model):
    """core/v1 ``Affinity``, term by term (``validateAffinity``: weights 1-100, a topology key
    on every pod (anti-)affinity term, at least one node selector term)."""

    node_affinity: NodeAffinity | None = None
    pod_affinity: PodAffinity | None = None
    pod_anti_affinity: PodAntiAffinity | None = None


class Toleration(_Model):
    """core/v1 ``Toleration``; an empty operator means Equal and an empty effect every effect,
    so "" is read as left out. The supported values are listed in ``ValidateTolerations``'
    order; its checks across fields are :func:`kubernetes_checks.toleration_errors`."""

    key: str | None = None
    operator: Annotated[Literal["Equal", "Exists"] | None,
                        BeforeValidator(_unset_if_empty)] = None
    value: str | None = None
    effect: Annotated[Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None,
                      BeforeValidator(_unset_if_empty)] = None
    toleration_seconds: int | None = None


class TopologySpreadConstraint(_Model):
    max_skew: Annotated[int, Field(ge=1)]
    topology_key: Annotated[str, AfterValidator(topology_key)]
    when_unsatisfiable: Literal["DoNotSchedule", "ScheduleAnyway"]
    label_selector: LabelSelector | None = None
    min_domains: Annotated[int, Field(ge=1)] | None = None


class PodSpec(_Model):
    containers: Annotated[list[Container], Field(min_length=1)]
    init_containers: list[Container] | None = None
    node_selector: Labels | None = None
    node_name: str | None = None
    affinity: Affinity | None = None
    tolerations: list[Toleration] | None = None
    topology_spread_constraints: list[TopologySpreadConstraint] | None = None
    restart_policy: Annotated[Literal["Always", "OnFailure", "Never"] | None,
                              BeforeValidator(_unset_if_empty)] = None   # "" is defaulted
    priority_class_name: str | None = None
    priority: Int32 | None = None
    termination_grace_period_seconds: int | None = None  # < 0: a warning (kubernetes.py)
    active_deadline_seconds: Annotated[int, Field(ge=1)] | None = None
    scheduler_name: str | None = None
    host_network: bool | None = None
    host_users: bool | None = None   # false: the pod's own user namespace (KEP-127)
    security_context: PodSecurityContext | None = None
    overhead: Amounts | None = None
    volumes: list[Volume] | None = None
    scheduling_gates: list[PodSchedulingGate] | None = None
    readiness_gates: list[PodReadinessGate] | None = None


class PodTemplateSpec(_Model):
    metadata: ObjectMeta | None = None
    spec: PodSpec


class _Object(_Model):
    api_version: str
    kind: str
    metadata: ObjectMeta
    status: dict[str, Any] | None = None


class Pod(_Object):
    spec: PodSpec


class RollingUpdate(_Model):
    """``rollingUpdate`` of a Deployment or DaemonSet; ``null`` is allowed (the defaults)."""

    max_surge: IntOrPercent | None = None
    max_unavailable: IntOrPercent | None = None


class _Strategy(_Model):
    """A workload's update strategy. A type none of :attr:`_TYPES` is refused at the
    strategy itself, with the whole internal strategy as the bad value (kubernetes/kubernetes
    ``pkg/apis/apps/validation/validation.go``), in JSON since 1.34:
    ``{"Type":"rollingUpdate","RollingUpdate":null}``. An empty type is defaulted to
    RollingUpdate (``pkg/apis/apps/v1/defaults.go``), whose defaults leave another type's
    ``rollingUpdate`` as written; the subclasses say how the internal ``RollingUpdate``
    reads it and in what words the type is refused."""

    _TYPES: ClassVar[tuple[str, ...]]
    """The types, in the order the refusal lists them."""

    type: Annotated[str | None, BeforeValidator(_unset_if_empty)] = None

    @model_validator(mode="after")
    def _known_type(self) -> _Strategy:
        if self.type is None or self.type in self._TYPES:
            return self
        shown = GoStruct(Type=self.type, RollingUpdate=self._internal_rolling_update())
        raise ValueError(self._refusal(GoSyntax(go_json(shown))))

    def _internal_rolling_update(self) -> GoStruct | None:
        """The internal ``RollingUpdate`` struct, or None (Go's nil pointer)."""
        raise NotImplementedError

    def _refusal(self, shown: GoSyntax) -> str:
        """The refusal of the strategy ``shown``: ``NotSupported``, its types listed."""
        return unsupported(shown, self._TYPES)


class _SurgeStrategy(_Strategy):
    """A Deployment's ``strategy`` or a DaemonSet's ``updateStrategy``
    (``ValidateDeploymentStrategy``, ``ValidateDaemonSetUpdateStrategy``): the internal
    ``RollingUpdate`` holds two ``IntOrString`` values, one left out being its zero, ``0``
    (``{"MaxUnavailable":0,"MaxSurge":1}``)."""

    rolling_update: RollingUpdate | None = None

    def _internal_rolling_update(self) -> GoStruct | None:
        rolling = self.rolling_update
        return None if rolling is None else GoStruct(
            MaxUnavailable=rolling.max_unavailable or 0, MaxSurge=rolling.max_surge or 0)


class DeploymentStrategy(_SurgeStrategy):
    _TYPES = ("Recreate", "RollingUpdate")


class DaemonSetUpdateStrategy(_SurgeStrategy):
    _TYPES = ("RollingUpdate", "OnDelete")


class StatefulSetRollingUpdate(_Model):
    partition: NonNegative | None = None
    max_unavailable: IntOrPercent | None = None


class StatefulSetUpdateStrategy(_Strategy):
    """A StatefulSet's ``updateStrategy`` (``ValidateStatefulSetSpec``): an unknown type is
    ``Invalid``, ``must be 'RollingUpdate' or 'OnDelete'``; the internal ``RollingUpdate``
    holds an ``int32`` partition (0 when left out) and a ``*IntOrString``."""

    _TYPES = ("RollingUpdate", "OnDelete")

    rolling_update: StatefulSetRollingUpdate | None = None

    def _internal_rolling_update(self) -> GoStruct | None:
        rolling = self.rolling_update
        return None if rolling is None else GoStruct(
            Partition=rolling.partition or 0, MaxUnavailable=rolling.max_unavailable)

    def _refusal(self, shown: GoSyntax) -> str:
        return invalid(shown, "must be 'RollingUpdate' or 'OnDelete'")


class DeploymentSpec(_Model):
    replicas: Annotated[int, Field(ge=0)] | None = None
    selector: LabelSelector | None = None
    template: PodTemplateSpec
    strategy: DeploymentStrategy | None = None
    min_ready_seconds: NonNegative | None = None
    revision_history_limit: NonNegative | None = None
    progress_deadline_seconds: NonNegative | None = None
    paused: bool | None = None


class Deployment(_Object):
    spec: DeploymentSpec


class ReplicaSetSpec(DeploymentSpec):
    pass


class ReplicaSet(_Object):
    spec: ReplicaSetSpec


class ReplicationControllerSpec(_Model):
    replicas: Annotated[int, Field(ge=0)] | None = None
    selector: dict[str, str] | None = None
    template: PodTemplateSpec | None = None


class ReplicationController(_Object):
    spec: ReplicationControllerSpec


class PersistentVolumeClaimSpec(_Model):
    access_modes: (
        list[Literal["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]] | None
    ) = None
    resources: ResourceRequirements | None = None
    storage_class_name: str | None = None


class PersistentVolumeClaim(_Object):
    spec: PersistentVolumeClaimSpec


class _ClaimTemplate(_Model):
    metadata: ObjectMeta | None = None
    spec: PersistentVolumeClaimSpec


class RetentionPolicy(_Model):
    when_deleted: Literal["Retain", "Delete"] | None = None
    when_scaled: Literal["Retain", "Delete"] | None = None


def _pod_management_policy(policy: str | None) -> str | None:
    """``ValidateStatefulSetSpec``: ``OrderedReady`` or ``Parallel`` (an empty one is
    defaulted to ``OrderedReady``), else ``Invalid`` with the ``PodManagementPolicyType`` in
    JSON."""
    if policy not in (None, "OrderedReady", "Parallel"):
        raise ValueError(invalid(named(policy), "must be 'OrderedReady' or 'Parallel'"))
    return policy


class StatefulSetSpec(_Model):
    replicas: Annotated[int, Field(ge=0)] | None = None
    service_name: str | None = None
    selector: LabelSelector | None = None
    template: PodTemplateSpec
    volume_claim_templates: list[_ClaimTemplate] | None = None
    pod_management_policy: Annotated[str | None, BeforeValidator(_unset_if_empty),
                                     AfterValidator(_pod_management_policy)] = None
    update_strategy: StatefulSetUpdateStrategy | None = None
    persistent_volume_claim_retention_policy: RetentionPolicy | None = None
    min_ready_seconds: NonNegative | None = None


class StatefulSet(_Object):
    spec: StatefulSetSpec


class DaemonSetSpec(_Model):
    selector: LabelSelector | None = None
    template: PodTemplateSpec
    update_strategy: DaemonSetUpdateStrategy | None = None
    min_ready_seconds: NonNegative | None = None


class DaemonSet(_Object):
    spec: DaemonSetSpec


class PodFailurePolicyOnExitCodesRequirement(_Model):
    """``onExitCodes`` of a pod failure policy rule (``PodFailurePolicyOnExitCodesRequirement``;
    its cross-field rules are in :mod:`clustersim.manifests.job_policies`)."""
    container_name: str | None = None
    operator: Literal["In", "NotIn"]
    values: list[int] | None = None


class PodFailurePolicyOnPodConditionsPattern(_Model):
    """A pattern of ``onPodConditions``; an empty or missing ``status`` is defaulted to
    ``True`` (``SetDefaults_Job``) before validation."""
    type: Annotated[str, AfterValidator(qualified_name)]
    status: Annotated[Literal["False", "True", "Unknown"] | None,
                      BeforeValidator(_unset_if_empty)] = None


class PodFailurePolicyRule(_Model):
    action: Literal["Count", "FailIndex", "FailJob", "Ignore"]
    on_exit_codes: PodFailurePolicyOnExitCodesRequirement | None = None
    on_pod_conditions: list[PodFailurePolicyOnPodConditionsPattern] | None = None


class PodFailurePolicy(_Model):
    rules: list[PodFailurePolicyRule] | None = None


class SuccessPolicyRule(_Model):
    succeeded_indexes: str | None = None
    succeeded_count: Annotated[int, Field(ge=0)] | None = None


class SuccessPolicy(_Model):
    rules: list[SuccessPolicyRule] | None = None


class JobSpec(_Model):
    ttl_seconds_after_finished: Annotated[int, Field(ge=0)] | None = None
    parallelism: Annotated[int, Field(ge=0)] | None = None
    completions: Annotated[int, Field(ge=0)] | None = None
    backoff_limit: Annotated[int, Field(ge=0)] | None = None
    active_deadline_seconds: Annotated[int, Field(ge=1)] | None = None
    completion_mode: Literal["NonIndexed", "Indexed"] | None = None
    backoff_limit_per_index: Annotated[int, Field(ge=0)] | None = None
    max_failed_indexes: Annotated[int, Field(ge=0)] | None = None
    pod_failure_policy: PodFailurePolicy | None = None
    success_policy: SuccessPolicy | None = None
    pod_replacement_policy: Literal["Failed", "TerminatingOrFailed"] | None = None
    template: PodTemplateSpec


class Job(_Object):
    spec: JobSpec


class _JobTemplate(_Model):
    metadata: ObjectMeta | None = None
    spec: JobSpec


def _cron_schedule(value: str) -> str:
    """A schedule robfig/cron's standard parser reads, as the API server checks it."""
    CronSchedule(value)
    return value


def _utc(value: str) -> str:
    """A ``timeZone`` the API server takes (:func:`~clustersim.manifests.cron.
    time_zone_problems`) and the simulator runs: UTC alone."""
    problems = time_zone_problems(value)
    if problems:
        raise ValueError("\n".join(problems))
    if value not in UTC_NAMES:
        raise ValueError(f"time zone {value!r} is not simulated: the simulated CronJob "
                         "controller runs in UTC (a real cluster takes any IANA name such as "
                         "Europe/Paris); leave timeZone out or write UTC")
    return value


class CronJobSpec(_Model):
    schedule: Annotated[str, AfterValidator(_cron_schedule)]
    job_template: _JobTemplate
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] | None = None
    suspend: bool | None = None
    time_zone: Annotated[str, AfterValidator(_utc)] | None = None
    successful_jobs_history_limit: NonNegative | None = None
    failed_jobs_history_limit: NonNegative | None = None


class CronJob(_Object):
    spec: CronJobSpec


class ServicePort(_Model):
    port: Port
    target_port: Port | str | None = None
    node_port: PortOrZero | None = None
    protocol: Protocol | None = None
    name: str | None = None


def _cluster_ip(value: str) -> str:
    """``ValidateServiceClusterIPs``: "None" (headless), empty (allocate one) or an IP, valid
    as ``IsValidIPForLegacyField`` says with the ``StrictIPCIDRValidation`` gate on
    (:func:`~clustersim.manifests.kubernetes_ip.ip_problem`: no leading zeros, no
    IPv4-mapped IPv6 address, no zone)."""
    if value not in ("", "None") and (problem := ip_problem(value)) is not None:
        raise ValueError(invalid(value, problem))
    return value


class ServiceSpec(_Model):
    type: Literal["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] | None = None
    ports: list[ServicePort] | None = None
    selector: dict[str, str] | None = None
    cluster_ip: Annotated[str, AfterValidator(_cluster_ip)] | None = Field(
        default=None, alias="clusterIP")
    health_check_node_port: int | None = None   # range and use: services.health_check_refusal


class Service(_Object):
    metadata: ServiceMeta
    spec: ServiceSpec | None = None


MAX_SECRET_SIZE = 1024 * 1024
"""``MaxSecretSize`` (kubernetes/kubernetes ``pkg/apis/core/types.go``): the bytes a
Secret's ``data`` values, or a ConfigMap's ``data`` and ``binaryData`` values, may hold
together."""


def check_data_size(total: int, where: str) -> None:
    """Refuse data whose values hold ``total`` bytes together, more than
    :data:`MAX_SECRET_SIZE`, with ``field.TooLong`` at field path ``where``:
    ``data`` for a Secret (``ValidateSecret``), ``[]`` for a ConfigMap, whose
    ``ValidateConfigMap`` names ``field.NewPath("")``, the whole object, which a field
    path writes as ``[]`` (kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``,
    apimachinery ``pkg/util/validation/field/path.go``)."""
    if total > MAX_SECRET_SIZE:
        raise ValueError(f"{where}: Too long: may not be more than {MAX_SECRET_SIZE} bytes")


class ConfigMap(_Object):
    data: dict[ConfigKey, str] | None = None
    binary_data: dict[ConfigKey, Annotated[str, AfterValidator(base64_text)]] | None = None

    @model_validator(mode="after")
    def _size(self) -> ConfigMap:
        """``ValidateConfigMap``: the bytes of ``data``'s strings and of ``binaryData``'s
        decoded values together (:func:`check_data_size`); a key in both counts twice."""
        check_data_size(
            sum(len(value.encode(errors="replace")) for value in (self.data or {}).values())
            + sum(len(base64.b64decode(value)) for value in (self.binary_data or {}).values()),
            "[]")
        return self


class Secret(_Object):
    type: str | None = None
    data: dict[ConfigKey, Annotated[str, AfterValidator(base64_text)]] | None = None
    string_data: dict[ConfigKey, str] | None = None

    @model_validator(mode="after")
    def _size(self) -> Secret:
        """``ValidateSecret`` (``pkg/apis/core/validation/validation.go``): the bytes of all
        of ``data``'s values, ``stringData`` folded in (an API server write has folded it
        already: :mod:`clustersim.kubernetes.secretdata`), at most :data:`MAX_SECRET_SIZE`,
        refused on ``data`` by ``field.TooLong``."""
        sizes = {key: len(base64.b64decode(value)) for key, value in (self.data or {}).items()}
        sizes.update({key: len(value.encode(errors="replace"))
                      for key, value in (self.string_data or {}).items()})
        check_data_size(sum(sizes.values()), "data")
        return self

    @model_validator(mode="after")
    def _type(self) -> Secret:
        """What the Secret's type requires of its data (:func:`~clustersim.manifests.
        secrettypes.secret_type_problems`), ``stringData`` folded into ``data``."""
        data = {key: base64.b64decode(value) for key, value in (self.data or {}).items()}
        data.update({key: value.encode(errors="replace")
                     for key, value in (self.string_data or {}).items()})
        problems = secret_type_problems(self.type, data, self.metadata.annotations or {})
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Namespace(_Object):
    metadata: NamespaceMeta


class OtherObject(_Object):
    """Any other kind: only the object envelope is checked."""


class Role(_Object):
    """RBAC kinds (rbac.authorization.k8s.io/v1): names are path segments
    (kubernetes/kubernetes ``pkg/apis/rbac/validation/validation.go``, ``ValidateRBACName``)."""

    metadata: PathSegmentMeta


class ClusterRole(Role):
    pass


class RoleRef(_Model):
    """``v1.RoleRef`` (kubernetes/api ``rbac/v1/types.go``): its fields' types, which the
    decoder checks; their values are :mod:`~clustersim.manifests.rbac_checks`'."""

    api_group: str | None = None
    kind: str | None = None
    name: str | None = None


class Subject(_Model):
    """``v1.Subject``, as :class:`RoleRef`."""

    kind: str | None = None
    api_group: str | None = None
    name: str | None = None
    namespace: str | None = None


class RoleBinding(Role):
    subjects: list[Subject] | None = None
    role_ref: RoleRef | None = None


class ClusterRoleBinding(RoleBinding):
    pass


KIND_MODELS: dict[str, type[_Object]] = {
    model.__name__: model
    for model in (
        Pod,
        Deployment,
        ReplicaSet,
        ReplicationController,
        StatefulSet,
        DaemonSet,
        Job,
        CronJob,
        Service,
        PersistentVolumeClaim,
        ConfigMap,
        Secret,
        Namespace,
        Role,
        ClusterRole,
        RoleBinding,
        ClusterRoleBinding,
    )
}


# -- resource management kinds (autoscaling/v2, core/v1, scheduling.k8s.io/v1) ----------------
# Fields after kubernetes/api ``autoscaling/v2/types.go``, ``core/v1/types.go``
# (ResourceQuotaSpec, LimitRangeSpec) and ``scheduling/v1/types.go``; bounds after
# ``pkg/apis/autoscaling/validation`` and ``pkg/apis/scheduling/validation``.


def _reference_part(value: str) -> str:
    """``ValidateCrossVersionObjectReference`` (kubernetes/kubernetes ``pkg/apis/autoscaling/
    validation/validation.go``): a scale target's kind and name are required, and each a
    path segment (``IsValidPathSegmentName``: no ``/`` or ``%``, not ``.`` or ``..``), as
    the API server puts them in the path of the target's ``/scale``."""
    if not value:
        raise ValueError("Required value")
    return path_segment(value)


class CrossVersionObjectReference(_Model):
    kind: Annotated[str, AfterValidator(_reference_part)]
    name: Annotated[str, AfterValidator(_reference_part)]
    api_version: str | None = None


class MetricTarget(_Model):
    type: Literal["Utilization", "Value", "AverageValue"]
    average_utilization: Annotated[int, Field(ge=1)] | None = None
    average_value: Quantity | None = None
    value: Quantity | None = None


class ResourceMetricSource(_Model):
    name: str
    target: MetricTarget


class MetricSpec(_Model):
    type: Literal["Resource", "ContainerResource", "Pods", "Object", "External"]
    resource: ResourceMetricSource | None = None


class HPAScalingPolicy(_Model):
    type: Literal["Pods", "Percent"]
    value: Annotated[int, Field(ge=1)]
    period_seconds: Annotated[int, Field(ge=1, le=1800)]


class HPAScalingRules(_Model):
    stabilization_window_seconds: Annotated[int, Field(ge=0, le=3600)] | None = None
    select_policy: Literal["Max", "Min", "Disabled"] | None = None
    policies: list[HPAScalingPolicy] | None = None
    tolerance: Quantity | None = None

    @model_validator(mode="after")
    def _some_policy(self) -> HPAScalingRules:
        """An empty ``policies`` list is refused (``validateScalingRules`` in
        ``pkg/apis/autoscaling/validation/validation.go``); a missing or null one takes the
        defaults."""
        if self.policies is not None and not self.policies:
            raise ValueError("policies: must specify at least one Policy")
        return self


class HorizontalPodAutoscalerBehavior(_Model):
    scale_up: HPAScalingRules | None = None
    scale_down: HPAScalingRules | None = None


class HorizontalPodAutoscalerSpec(_Model):
    scale_target_ref: CrossVersionObjectReference
    min_replicas: Annotated[int, Field(ge=1)] | None = None
    max_replicas: Annotated[int, Field(ge=1)]
    metrics: list[MetricSpec] | None = None
    behavior: HorizontalPodAutoscalerBehavior | None = None

    @model_validator(mode="after")
    def _bounds(self) -> HorizontalPodAutoscalerSpec:
        """``maxReplicas`` ≥ ``minReplicas`` (``ValidateHorizontalPodAutoscalerSpec``)."""
        if self.min_replicas is not None and self.max_replicas < self.min_replicas:
            raise ValueError("maxReplicas must be greater than or equal to minReplicas")
        return self


class HorizontalPodAutoscaler(_Object):
    spec: HorizontalPodAutoscalerSpec


class ResourceQuotaSpec(_Model):
    hard: dict[str, ResourceQuantity] | None = None   # ValidateResourceQuantityValue: >= 0
    scopes: list[str] | None = None


class ResourceQuota(_Object):
    spec: ResourceQuotaSpec | None = None


class LimitRangeItem(_Model):
    """A LimitRange's item; its ``default`` and ``defaultRequest``, which the LimitRanger
    writes into Pods, are held to what the simulator's scheduler reads (:func:`_schedulable`:
    a default of ``1e300`` cores had been a 500 at the next Pod)."""

    type: Literal["Container", "Pod", "PersistentVolumeClaim"]
    max: dict[str, Quantity] | None = None
    min: dict[str, Quantity] | None = None
    default: Annotated[dict[str, Quantity], BeforeValidator(_schedulable)] | None = None
    default_request: Annotated[dict[str, Quantity], BeforeValidator(_schedulable)] | None = None
    max_limit_request_ratio: dict[str, Quantity] | None = None


class LimitRangeSpec(_Model):
    limits: list[LimitRangeItem]


class LimitRange(_Object):
    spec: LimitRangeSpec


class PriorityClass(_Object):
    value: Annotated[int, Field(ge=-2147483648, le=1000000000)]
    global_default: bool | None = None
    preemption_policy: Literal["Never", "PreemptLowerPriority"] | None = None
    description: str | None = None


KIND_MODELS.update(
    {model.__name__: model
     for model in (HorizontalPodAutoscaler, ResourceQuota, LimitRange, PriorityClass)}
)


# networking.k8s.io/v1 (k8s.io/api networking/v1/types.go): the Go types alone, so that a
# value of the wrong JSON type is the decoder's error; every check of the values is
# ValidateIngress's and ValidateIngressClass's, in clustersim.manifests.ingress_checks


class TypedLocalObjectReference(_Model):
    api_group: str | None = None
    kind: str = ""
    name: str = ""


class ServiceBackendPort(_Model):
    name: str = ""
    number: int = 0


class IngressServiceBackend(_Model):
    name: str = ""
    port: ServiceBackendPort | None = None


class IngressBackend(_Model):
    service: IngressServiceBackend | None = None
    resource: TypedLocalObjectReference | None = None


class HTTPIngressPath(_Model):
    path: str = ""
    path_type: str | None = None
    backend: IngressBackend | None = None


class HTTPIngressRuleValue(_Model):
    paths: list[HTTPIngressPath] | None = None


class IngressRule(_Model):
    host: str = ""
    http: HTTPIngressRuleValue | None = None    # of the inline IngressRuleValue, in Go


class IngressTLS(_Model):
    hosts: list[str] | None = None
    secret_name: str = ""


class IngressSpec(_Model):
    ingress_class_name: str | None = None
    default_backend: IngressBackend | None = None
    tls: list[IngressTLS] | None = None
    rules: list[IngressRule] | None = None


class Ingress(_Object):
    spec: IngressSpec | None = None


class IngressClassParametersReference(_Model):
    api_group: str | None = None
    kind: str = ""
    name: str = ""
    scope: str | None = None
    namespace: str | None = None


class IngressClassSpec(_Model):
    controller: str = ""
    parameters: IngressClassParametersReference | None = None


class IngressClass(_Object):
    spec: IngressClassSpec | None = None


KIND_MODELS.update({model.__name__: model for model in (Ingress, IngressClass)})


# -- policy/v1 ---------------------------------------------------------------------------------
# Fields after kubernetes/api ``policy/v1/types.go``; the checks across them (both amounts set,
# a percentage over 100%) are :mod:`clustersim.manifests.disruption_budget_checks`.


_EVICTION_POLICIES = ("AlwaysAllow", "IfHealthyBudget")
"""``supportedUnhealthyPodEvictionPolicies``, as its ``List()`` gives them: sorted."""


def _eviction_policy(value: str) -> str:
    """A budget's ``unhealthyPodEvictionPolicy``, when set (even to ""), is one of
    :data:`_EVICTION_POLICIES`, else ``NotSupported``; the bad value is the named type
    ``UnhealthyPodEvictionPolicyType``, in JSON (:func:`named`)."""
    if value not in _EVICTION_POLICIES:
        raise ValueError(unsupported(named(value), _EVICTION_POLICIES))
    return value


class PodDisruptionBudgetSpec(_Model):
    """``ValidatePodDisruptionBudgetSpec`` (kubernetes/kubernetes
    ``pkg/apis/policy/validation/validation.go``) checks each amount with
    ``ValidatePositiveIntOrPercent``: a whole number of at least 0 or a percentage
    (:data:`~kubernetes_syntax.IntOrPercent`), the selector with ``ValidateLabelSelector``
    and the policy for unhealthy Pods (:func:`_eviction_policy`)."""

    min_available: IntOrPercent | None = None
    max_unavailable: IntOrPercent | None = None
    selector: LabelSelector | None = None
    unhealthy_pod_eviction_policy: Annotated[str, AfterValidator(_eviction_policy)] | None = None


class PodDisruptionBudget(_Object):
    spec: PodDisruptionBudgetSpec | None = None


KIND_MODELS.update({"PodDisruptionBudget": PodDisruptionBudget})
