"""What the served Kubernetes API refuses of a Node written through it, beyond its metadata
and taints (about 330 lines): its ``spec`` and ``status`` decoded by the Go types of core/v1
``NodeSpec`` and ``NodeStatus`` (k8s.io/api ``core/v1/types.go``), the quantities of its
``status.capacity`` and ``status.allocatable`` decoded as ``resource.Quantity.UnmarshalJSON``
decodes them (k8s.io/apimachinery ``pkg/api/resource/quantity.go``) and validated as
``ValidateNodeResources`` validates them (kubernetes/kubernetes
``pkg/apis/core/validation/validation.go``, called by ``ValidateNodeUpdate`` for the status
subresource as for the Node), its ``podCIDRs`` read as the v1 conversion reads them and
validated as ``ValidateNode`` and ``ValidateNodeUpdate`` validate them; and what a write keeps
of a Node the simulator keeps no object for (:class:`NodeWrites`: its annotations, pod CIDRs
and a status written through ``/status`` or by its create, which the kubelet overwrites
where it owns it)."""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from decimal import ROUND_CEILING, Decimal
from typing import Any

from clustersim.manifests.kubernetes_errors import go_value, invalid
from clustersim.manifests.kubernetes_ip import cidr_problem, parse_cidr
from clustersim.quantity import QuantityError, format_quantity, parse_quantity
from clustersim.serve.kubedecoding import TAINT, TIME, struct_error

__all__ = ["KUBELET_CONDITIONS", "KUBELET_STATUS_FIELDS", "NODE_STATUS_UPDATE_FREQUENCY",
           "NODE_TYPES", "QUANTITY_FORMAT", "NodeWrites", "canonical_status",
           "machine_capacity", "node_resources_errors", "node_spec_error",
           "node_write_problems", "pod_cidrs", "pod_cidrs_problems", "quantity_error"]

NODE_TYPES: dict[str, dict[str, str]] = {
    "v1.NodeSpec": {"podCIDR": "string", "podCIDRs": "[]string", "providerID": "string",
                    "unschedulable": "bool", "taints": "[]v1.Taint", "externalID": "string"},
    "v1.Taint": TAINT,
    "v1.NodeStatus": {
        "capacity": "v1.ResourceList", "allocatable": "v1.ResourceList",
        "phase": "v1.NodePhase", "conditions": "[]v1.NodeCondition",
        "addresses": "[]v1.NodeAddress", "daemonEndpoints": "v1.NodeDaemonEndpoints",
        "nodeInfo": "v1.NodeSystemInfo", "images": "[]v1.ContainerImage",
        "volumesInUse": "[]v1.UniqueVolumeName", "volumesAttached": "[]v1.AttachedVolume",
        "config": "*v1.NodeConfigStatus", "runtimeHandlers": "[]v1.NodeRuntimeHandler",
        "features": "*v1.NodeFeatures", "declaredFeatures": "[]string"},
    "v1.NodeCondition": {
        "type": "v1.NodeConditionType", "status": "v1.ConditionStatus",
        "lastHeartbeatTime": "metav1.Time", "lastTransitionTime": "metav1.Time",
        "reason": "string", "message": "string"},
    "v1.NodeAddress": {"type": "v1.NodeAddressType", "address": "string"},
    "v1.NodeDaemonEndpoints": {"kubeletEndpoint": "v1.DaemonEndpoint"},
    "v1.DaemonEndpoint": {"Port": "int32"},
    "v1.NodeSystemInfo": {
        **dict.fromkeys(("machineID", "systemUUID", "bootID", "kernelVersion", "osImage",
                         "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion",
                         "operatingSystem", "architecture"), "string"),
        "swap": "*v1.NodeSwapStatus", "runningInUserNamespace": "*bool"},
    "v1.NodeSwapStatus": {"capacity": "*int64"},
    "v1.ContainerImage": {"names": "[]string", "sizeBytes": "int64"},
    "v1.AttachedVolume": {"name": "v1.UniqueVolumeName", "devicePath": "string"},
    "v1.NodeConfigStatus": {"assigned": "*v1.NodeConfigSource", "active": "*v1.NodeConfigSource",
                            "lastKnownGood": "*v1.NodeConfigSource", "error": "string"},
    "v1.NodeConfigSource": {"configMap": "*v1.ConfigMapNodeConfigSource"},
    "v1.ConfigMapNodeConfigSource": {
        "namespace": "string", "name": "string", "uid": "types.UID",
        "resourceVersion": "string", "kubeletConfigKey": "string"},
    "v1.NodeRuntimeHandler": {"name": "string", "features": "*v1.NodeRuntimeHandlerFeatures"},
    "v1.NodeRuntimeHandlerFeatures": {"recursiveReadOnlyMounts": "*bool",
                                      "userNamespaces": "*bool"},
    "v1.NodeFeatures": {"supplementalGroupsPolicy": "*bool"},
}
"""The Go types of a Node's ``spec`` and ``status`` as the v1.37 API declares them (k8s.io/api
``core/v1/types.go``; checked against the release's OpenAPI definitions, which
kubernetes-validate 1.37.0 ships), by their JSON names, for
:func:`~clustersim.serve.kubedecoding.struct_error`. ``spec.configSource`` (deprecated,
unused since 1.24) is not decoded here."""

QUANTITY_FORMAT = ("quantities must match the regular expression "
                   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
"""``resource.ErrFormatWrong``: what ``ParseQuantity`` answers for a text that is no
quantity (upstream answers ``ErrSuffix`` or ``ErrNumeric`` for a few texts the simulator's
parser refuses as a whole; they are shown with these words)."""


def node_spec_error(spec: dict[str, Any]) -> str | None:
    """The decoder's error for a Node's ``spec``, or None: the first value of a field whose
    Go type (:data:`NODE_TYPES`) cannot hold it, as encoding/json reports the first type
    error (``"unschedulable": "yes"``: ``json: cannot unmarshal string into Go struct field
    NodeSpec.spec.unschedulable of type bool``), or a taint's ``timeAdded`` that is no
    time, which stops the decoding."""
    return struct_error(spec, "v1.NodeSpec", NODE_TYPES, "Node.spec", TIME)


def _written(value: Any) -> str:
    """A quantity's text as ``Quantity.UnmarshalJSON`` reads it: a string's content, a
    number's text as the body wrote it (a FloatLiteral keeps it), anything else as no
    quantity (``true``, ``{...}``)."""
    return getattr(value, "literal", None) or (
        str(value) if isinstance(value, str | int) and not isinstance(value, bool)
        else repr(value) if isinstance(value, float) else "{}")


def quantity_error(value: Any, _field: str) -> str | None:
    """``Quantity.UnmarshalJSON``'s error (:data:`QUANTITY_FORMAT`), which names no field."""
    try:
        parse_quantity(_written(value))
    except QuantityError:
        return QUANTITY_FORMAT
    return None


def node_resources_errors(status: Any) -> tuple[str | None, list[str]]:
    """The decoder's error for a Node's ``status`` (None if it decodes) and
    ``ValidateNodeResources``' problems. The status is decoded by its Go types
    (:data:`NODE_TYPES`: ``"conditions": ["x"]`` is ``json: cannot unmarshal string into Go
    struct field NodeStatus.status.conditions of type v1.NodeCondition``), a condition's
    times as ``metav1.Time`` and each quantity of ``capacity`` and ``allocatable`` as
    ``Quantity.UnmarshalJSON`` decodes it (:data:`QUANTITY_FORMAT`; ``null`` is zero); these
    two stop the decoding at once. Then a negative quantity is "must be greater than or equal
    to 0" at ``status.capacity.<name>`` (``ValidateResourceQuantityValue``), shown as
    ``Quantity.String()`` writes it, and a fraction of ``pods`` or of an extended resource (a
    name with a domain other than kubernetes.io) "must be an integer". Go ranges over the map
    in a random order; here the names are taken sorted. Upstream also refuses pre-allocated
    huge pages of two sizes, which the simulator's nodes never have."""
    unreadable = struct_error(status, "v1.NodeStatus", NODE_TYPES, "Node.status",
                              {**TIME, "resource.Quantity": quantity_error})
    if unreadable or not isinstance(status, dict):
        return unreadable, []
    problems: list[str] = []
    for field in ("capacity", "allocatable"):
        resources = status.get(field) or {}
        for name in sorted(resources):
            if resources[name] is None:
                continue
            written = _written(resources[name])
            value = parse_quantity(written)
            shown = format_quantity(value, binary="i" in written)
            if value < 0:
                problems.append(f"status.{field}.{name}: "
                                + invalid(shown, "must be greater than or equal to 0"))
            elif _integer_resource(name) and value != value.to_integral_value():
                problems.append(f"status.{field}.{name}: " + invalid(shown, "must be an integer"))
    return None, problems


def canonical_status(status: dict[str, Any]) -> dict[str, Any]:
    """A decoded ``status`` as the API server stores it: each quantity of ``capacity`` and
    ``allocatable`` in its canonical form (``Quantity.String()``, as a ``Quantity`` is
    encoded again: ``1000m`` is ``1``, ``1024Mi`` is ``1Gi``), in the format its suffix gave
    (binary SI for ``Ki``.., the exponent form for a text written so, ``1e3``, whose exponent
    goes to a multiple of 3, ``1e19`` → ``10e18``; else decimal SI); ``null`` is the zero
    quantity, ``0``. Decoding defaults ``allocatable`` to a copy of ``capacity`` where only
    ``capacity`` is set (``SetDefaults_NodeStatus``, kubernetes/kubernetes
    ``pkg/apis/core/v1/defaults.go``); no other entry is added."""
    out = dict(status)
    if out.get("allocatable") is None and isinstance(out.get("capacity"), dict):
        out["allocatable"] = dict(out["capacity"])
    for field in ("capacity", "allocatable"):
        if isinstance(out.get(field), dict):
            out[field] = {name: _canonical(value) for name, value in out[field].items()}
    return out


def machine_capacity(capacity: dict[str, Any]) -> dict[str, Decimal]:
    """The amounts a simulated machine takes from a Node's decoded ``status.capacity``, each
    no more than the 64-bit integer the scheduler reads it as (``MilliValue()`` for ``cpu``,
    ``Value()`` for the rest, k8s.io/apimachinery ``pkg/api/resource/quantity.go``), since
    ``ParseQuantity`` takes any size (``1e19`` cores, ``1e400`` bytes) and the Node is stored
    as written (:func:`canonical_status`). Simplified: upstream's readings of a larger
    quantity keep only its low 64 bits; here it is the largest the machine can hold."""
    out: dict[str, Decimal] = {}
    for name, value in capacity.items():
        if value is None:
            continue
        amount = parse_quantity(_written(value))
        out[name] = min(amount, Decimal(_INT64_MAX).scaleb(-3 if name == "cpu" else 0))
    return out


def _canonical(value: Any) -> str:
    """One decoded quantity in its canonical form (:func:`canonical_status`)."""
    written = _written(value) if value is not None else "0"
    return format_quantity(parse_quantity(written), binary="i" in written,
                           exponent_form=re.search(r"[eE][-+]?[0-9]", written) is not None)


def _integer_resource(name: str) -> bool:
    """``helper.IsIntegerResourceName`` for a Node's resources: ``pods``, or an extended
    resource (``IsExtendedResourceName``: a domain-qualified name outside kubernetes.io)."""
    domain, slash, _ = name.partition("/")
    return name == "pods" or (bool(slash) and domain != "kubernetes.io"
                              and not domain.endswith(".kubernetes.io")
                              and not name.startswith("requests."))


NODE_STATUS_UPDATE_FREQUENCY = 10.0
"""The kubelet's ``nodeStatusUpdateFrequency`` (default 10 s, k8s.io/kubelet
``config/v1beta1/types.go``): how often it reads its Node, sets the status fields it owns
and patches them back where they differ (``tryUpdateNodeStatus`` in kubernetes/kubernetes
``pkg/kubelet/kubelet_node_status.go``)."""
KUBELET_CONDITIONS = frozenset({"Ready", "MemoryPressure", "DiskPressure", "PIDPressure"})
"""The condition types the kubelet's setters own (``pkg/kubelet/nodestatus/setters.go``);
another writer's conditions stay as written."""
KUBELET_STATUS_FIELDS = ("addresses", "nodeInfo", "daemonEndpoints", "images",
                         "volumesInUse", "runtimeHandlers", "features")
"""The other status fields the kubelet's setters set whole (``NodeAddress``,
``VersionInfo``, ``DaemonEndpoints``, ``Images``, ``VolumesInUse``, ``RuntimeHandlers``,
``NodeFeatures``)."""
_INT64_MAX = 2**63 - 1
_CIDR_FORBIDDEN = ('spec.podCIDRs: Forbidden: node updates may not change podCIDR except from '
                   '"" to valid')


def pod_cidrs(spec: dict[str, Any]) -> list[str]:
    """The internal ``core.NodeSpec.PodCIDRs`` of a v1 spec (``Convert_v1_NodeSpec_To_core_
    NodeSpec`` in kubernetes/kubernetes ``pkg/apis/core/v1/conversion.go``): ``podCIDRs``,
    but ``[podCIDR]`` where that is set and the list is empty or starts elsewhere
    (``podCIDR`` is authoritative, for older clients). A v1 Node shows ``podCIDR`` as the
    list's first (``Convert_core_NodeSpec_To_v1_NodeSpec``)."""
    single, many = spec.get("podCIDR") or "", [c or "" for c in spec.get("podCIDRs") or []]
    return [single] if single and (not many or many[0] != single) else many


def pod_cidrs_problems(cidrs: list[str], old: list[str]) -> list[str]:
    """What the API server refuses of an update that makes a Node's pod CIDRs ``cidrs``
    from ``old``: ``ValidateNode`` (each CIDR valid; more than one must be a dual-stack
    pair, each once), then ``ValidateNodeUpdate`` (set once, they stay: one Forbidden if
    their count changed, cleared included, else one per index whose CIDR changed, each at
    ``spec.podCIDRs`` unindexed as upstream reports it), kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go`` at v1.37 (v1.38 words a cleared list
    "field cannot be cleared once set", kubernetes#141260). Each CIDR is checked by
    ``IsValidCIDRForLegacyField`` with the ``StrictIPCIDRValidation`` gate on, its default
    (``cidr_problem``: ``010.0.0.0/8`` has leading zeros), their families read by
    ``ParseCIDRSloppy`` (``parse_cidr``), both :mod:`clustersim.manifests.kubernetes_ip`."""
    problems = [f"spec.podCIDRs[{i}]: {invalid(c, problem)}"
                for i, c in enumerate(cidrs) if (problem := cidr_problem(c)) is not None]
    if len(cidrs) > 1:
        families = [None if (net := parse_cidr(c)) is None else net.version for c in cidrs]
        bad = next((i for i, f in enumerate(families) if f is None), None)
        if bad is not None:     # netutils.ParseCIDRs' error, from IsDualStackCIDRStrings
            problems.append("spec.podCIDRs: Internal error: invalid PodCIDRs. failed to check "
                            f"with dual stack with error:invalid CIDR[{bad}]: <nil> (invalid "
                            f"CIDR address: {cidrs[bad]})")
        if bad is not None or len(cidrs) > 2 or families[0] == families[1]:
            problems.append("spec.podCIDRs: " + invalid(
                cidrs, "may specify no more than one CIDR for each IP family"))
        problems += [f"spec.podCIDRs[{i}]: Duplicate value: {go_value(c)}"
                     for i, c in enumerate(cidrs) if c in cidrs[:i]]
    if old:
        problems += [_CIDR_FORBIDDEN] if len(old) != len(cidrs) else \
            [_CIDR_FORBIDDEN for was, now in zip(old, cidrs, strict=True) if was != now]
    return problems


@dataclasses.dataclass
class NodeWrites:
    """What writes through the API keep of one Node beside what the cluster model renders:
    its ``annotations`` (None: none written), its internal ``cidrs`` (:func:`pod_cidrs`), and
    the ``status`` last written through ``/status`` with the simulated time it was, which
    :meth:`status` shows. A Node that leaves the cluster, deleted through the API or removed
    by the simulator, forgets them (a Node of that name registered again is a new object)."""

    annotations: dict[str, str] | None = None
    cidrs: list[str] = dataclasses.field(default_factory=list)
    status_written: dict[str, Any] | None = None
    written_at: float = 0.0

    def status(self, kubelet: dict[str, Any], now: float) -> dict[str, Any]:
        """The status a Node shows whose kubelet reports ``kubelet``: the one written, as
        stored, until the kubelet's next status update (:data:`NODE_STATUS_UPDATE_FREQUENCY`,
        counted from the server's start) overwrites what it owns: its capacity entries (an
        extended resource advertised so stays, https://kubernetes.io/docs/tasks/administer-
        cluster/extended-resource-node/), allocatable made again from capacity
        (``MachineInfo`` in ``pkg/kubelet/nodestatus/setters.go`` drops an extended
        resource no longer in capacity and copies each capacity entry less the kubelet's
        reservations, none here), its conditions (:data:`KUBELET_CONDITIONS`, replaced
        where it reports one, dropped where the simulated kubelet reports none: a real one
        writes the three pressure conditions too) and :data:`KUBELET_STATUS_FIELDS`. Simplified:
        the update is made while the node is down too (its Ready condition is then the node
        lifecycle controller's, as rendered)."""
        written = self.status_written
        if written is None:
            return kubelet
        if now < (math.floor(self.written_at / NODE_STATUS_UPDATE_FREQUENCY) + 1) \
                * NODE_STATUS_UPDATE_FREQUENCY:
            return copy.deepcopy(written)
        out = copy.deepcopy(written)
        stated = written.get("capacity") or {}
        capacity = {**stated, **{name: _reported(name, stated.get(name), value)
                                 for name, value in (kubelet.get("capacity") or {}).items()}}
        allocatable = {k: v for k, v in (written.get("allocatable") or {}).items()
                       if k in capacity or k == "pods" or not _integer_resource(k)}
        out["capacity"], out["allocatable"] = capacity, {**allocatable, **capacity}
        own = {c["type"]: c for c in kubelet.get("conditions") or []}
        # a null condition decodes to a zero NodeCondition, of no type
        conditions = [own.pop(c.get("type"), c) for c in (
            c or {"type": "", "status": ""} for c in written.get("conditions") or [])
            if c.get("type") in own or c.get("type") not in KUBELET_CONDITIONS]
        out["conditions"] = conditions + list(own.values())
        for name in KUBELET_STATUS_FIELDS:
            out.pop(name, None)
            if name in kubelet:
                out[name] = copy.deepcopy(kubelet[name])
        return out


def _reported(name: str, written: Any, reported: str) -> Any:
    """What the simulated kubelet's status update leaves in one ``status.capacity`` entry:
    its machine's figure, ``reported``, in the kubelet's canonical form (a real kubelet
    sets each entry from cadvisor's integer millicores and bytes, ``CapacityFromMachineInfo``
    in kubernetes/kubernetes ``pkg/kubelet/cadvisor/util.go``, and patches what differs, so
    ``1e3`` cores become ``1k``), except where the machine was made from a ``written``
    amount it cannot hold (:func:`machine_capacity`: beyond the 64-bit readings, or finer
    than a millicore or a byte, e.g. ``1e30``, ``100n``): no machine has such a figure, so
    the written entry stays, as on a real Node that no kubelet updates, rather than the
    saturated or rounded amount the simulated machine runs with (``9223372036854775807m``
    for ``1e30`` cores; upstream's scheduler reads such a quantity's ``MilliValue()``)."""
    if written is None:
        return reported
    amount = parse_quantity(_written(written))
    unit = Decimal("0.001") if name == "cpu" else Decimal(1)
    held = (min(amount, Decimal(_INT64_MAX) * unit) / unit).to_integral_value(
        rounding=ROUND_CEILING) * unit
    return written if held != amount and parse_quantity(reported) == held else reported


def node_write_problems(writes: NodeWrites | None, spec: dict[str, Any]) -> list[str]:
    """What :func:`pod_cidrs_problems` refuses of a Node update whose v1 ``spec`` makes its
    pod CIDRs, over those ``writes`` kept (none: empty)."""
    return pod_cidrs_problems(pod_cidrs(spec), writes.cidrs if writes else [])
