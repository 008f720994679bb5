"""What the served Kubernetes API refuses of a Node written through it, beyond its metadata
and taints (about 250 lines): its ``spec`` decoded by the Go types of core/v1 ``NodeSpec``
(k8s.io/api ``core/v1/types.go``), and the quantities of its ``status.capacity`` and
``status.allocatable`` decoded as ``resource.Quantity.UnmarshalJSON`` decodes them
(k8s.io/apimachinery ``pkg/api/resource/quantity.go``) and validated as
``ValidateNodeResources`` validates them (kubernetes/kubernetes
``pkg/apis/core/validation/validation.go``, called by ``ValidateNodeUpdate`` for the status
subresource as for the Node), its ``podCIDRs`` read as the v1 conversion reads them and
validated as ``ValidateNode`` and ``ValidateNodeUpdate`` validate them; and what a write keeps
of a Node the simulator keeps no object for (:class:`NodeWrites`: its annotations, pod CIDRs
and a status written through ``/status``, which the kubelet overwrites where it owns it)."""

from __future__ import annotations

import copy
import dataclasses
import ipaddress
import math
from typing import Any

from clustersim.manifests.kubernetes_errors import aggregate, go_value, invalid
from clustersim.quantity import QuantityError, format_quantity, parse_quantity
from clustersim.serve.kubedecoding import taints_error, type_error

__all__ = ["KUBELET_CONDITIONS", "KUBELET_STATUS_FIELDS", "NODE_SPEC",
           "NODE_STATUS_UPDATE_FREQUENCY", "QUANTITY_FORMAT", "NodeWrites",
           "node_resources_errors", "node_spec_error", "node_write_problems", "pod_cidrs",
           "pod_cidrs_problems"]

NODE_SPEC = {"podCIDR": "string", "podCIDRs": "[]string", "providerID": "string",
             "unschedulable": "bool", "externalID": "string"}
"""``NodeSpec``'s fields that encoding/json decodes by their Go type; ``taints`` is
:func:`~clustersim.serve.kubedecoding.taints_error`'s, ``configSource`` (deprecated, unused
since 1.24) is not decoded here."""

QUANTITY_FORMAT = ("quantities must match the regular expression "
                   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
"""``resource.ErrFormatWrong``: what ``ParseQuantity`` answers for a text that is no
quantity (upstream answers ``ErrSuffix`` or ``ErrNumeric`` for a few texts the simulator's
parser refuses as a whole; they are shown with these words)."""


def node_spec_error(spec: dict[str, Any]) -> str | None:
    """The decoder's error for a Node's ``spec``, or None: the first field of
    :data:`NODE_SPEC` whose JSON type its Go type cannot hold, in the spec's order, as
    encoding/json reports the first type error (``"unschedulable": "yes"``: ``json: cannot
    unmarshal string into Go struct field NodeSpec.spec.unschedulable of type bool``), a
    ``podCIDRs`` item that is no string, or the taints' error. ``null`` is Go's zero value."""
    first = None
    for key, value in spec.items():
        if key == "taints":
            first = first or taints_error(value)
        elif key in NODE_SPEC and value is not None:
            go_type = NODE_SPEC[key]
            if go_type == "[]string" and isinstance(value, list):
                bad = next((v for v in value if v is not None and not isinstance(v, str)),
                           None)
                if bad is not None:
                    first = first or type_error(bad, f"NodeSpec.spec.{key}", "string")
            elif not isinstance(value, bool if go_type == "bool" else
                                list if go_type == "[]string" else str):
                first = first or type_error(value, f"NodeSpec.spec.{key}", go_type)
    return first


def node_resources_errors(status: Any) -> tuple[str | None, list[str]]:
    """The decoder's error for a Node's ``status`` capacity and allocatable (None if they
    decode), and ``ValidateNodeResources``' problems: a map of another JSON type is
    encoding/json's type error; a value that ``ParseQuantity`` cannot read is
    :data:`QUANTITY_FORMAT` (``Quantity.UnmarshalJSON`` reads a JSON number's text and a
    string's content alike; ``null`` is zero), which stops the decoding; a negative quantity
    is "must be greater than or equal to 0" at ``status.capacity.<name>``
    (``ValidateResourceQuantityValue``), shown as ``Quantity.String()`` writes it, and a
    fraction of ``pods`` or of an extended resource (a name with a domain other than
    kubernetes.io) "must be an integer". Go ranges over the map in a random order; here the
    names are taken sorted. Upstream also refuses pre-allocated huge pages of two sizes,
    which the simulator's nodes never have."""
    if not isinstance(status, dict):
        return None, []
    problems: list[str] = []
    for field in ("capacity", "allocatable"):
        resources = status.get(field)
        if resources is None:
            continue
        if not isinstance(resources, dict):
            return type_error(resources, f"NodeStatus.status.{field}", "v1.ResourceList"), []
        for name in sorted(resources):
            text = resources[name]
            if text is None:
                continue
            # a number's text as the body wrote it (a FloatLiteral keeps it), anything else
            # as no quantity ("true", "{...}")
            written = getattr(text, "literal", None) or (
                str(text) if isinstance(text, str | int) and not isinstance(text, bool)
                else repr(text) if isinstance(text, float) else "{}")
            try:
                value = parse_quantity(written)
            except QuantityError:
                return QUANTITY_FORMAT, []
            shown = format_quantity(value, binary="i" in written)
            if value < 0:
                problems.append(f"status.{field}.{name}: "
                                + invalid(shown, "must be greater than or equal to 0"))
            elif _integer_resource(name) and value != int(value):
                problems.append(f"status.{field}.{name}: " + invalid(shown, "must be an integer"))
    return None, problems


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
_CIDR_FORBIDDEN = ('spec.podCIDRs: Forbidden: node updates may not change podCIDR except from '
                   '"" to valid')
_CIDR_FORMAT = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


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
    from ``old``: ``ValidateNode`` (each ``IsValidCIDR``; more than one must be a dual-stack
    pair, each once), then ``ValidateNodeUpdate`` (set once, they stay: one Forbidden per
    CIDR changed, or one if their count changed), kubernetes/kubernetes
    ``pkg/apis/core/validation/validation.go``. Simplified: the stricter checks of the
    ``StrictIPCIDRValidation`` feature gate (leading zeros, bits past the prefix) are not
    made."""
    problems = [f"spec.podCIDRs[{i}]: {invalid(c, _CIDR_FORMAT)}"
                for i, c in enumerate(cidrs) if _family(c) is None]
    if len(cidrs) > 1:
        families = [_family(c) for c in cidrs]
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
    if old and (len(old) != len(cidrs) or old != cidrs):
        problems.append(_CIDR_FORBIDDEN)
    return problems


def _family(text: str) -> int | None:
    """The IP version of the CIDR ``text`` as ``ParseCIDRSloppy`` (k8s.io/utils ``net``)
    reads it, or None: an address, ``/`` and a decimal prefix length within its size (an
    IPv4 address's parts may have leading zeros; no zone)."""
    address, slash, prefix = text.partition("/")
    if not slash or not prefix.isdigit() or not prefix.isascii() or "%" in address:
        return None
    parts = address.split(".")
    if len(parts) == 4 and all(p.isdigit() and p.isascii() and int(p) < 256 for p in parts):
        version = 4
    else:
        try:
            version = ipaddress.IPv6Address(address).version
        except ValueError:
            return None
    return version if int(prefix) <= (32 if version == 4 else 128) else None


@dataclasses.dataclass
class NodeWrites:
    """What writes through the API keep of one Node beside what the cluster model renders:
    its ``annotations`` (None: none written), its internal ``cidrs`` (:func:`pod_cidrs`), and
    the ``status`` last written through ``/status`` with the simulated time it was, which
    :meth:`status` shows. A deleted Node forgets them (a Node of that name registered again is
    a new object)."""

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
        capacity = {**(written.get("capacity") or {}), **(kubelet.get("capacity") or {})}
        allocatable = {k: v for k, v in (written.get("allocatable") or {}).items()
                       if k in capacity or k == "pods" or not _integer_resource(k)}
        out["capacity"], out["allocatable"] = capacity, {**allocatable, **capacity}
        own = {c["type"]: c for c in kubelet.get("conditions") or []}
        conditions = [own.pop(c.get("type"), c) for c in written.get("conditions") or []
                      if c.get("type") in own or c.get("type") not in KUBELET_CONDITIONS]
        out["conditions"] = conditions + list(own.values())
        for name in KUBELET_STATUS_FIELDS:
            out.pop(name, None)
            if name in kubelet:
                out[name] = copy.deepcopy(kubelet[name])
        return out


def node_write_problems(name: str, writes: NodeWrites | None, spec: dict[str, Any]) -> str | None:
    """The 422 message for a Node update whose v1 ``spec`` makes pod CIDRs
    :func:`pod_cidrs_problems` refuses, or None."""
    problems = pod_cidrs_problems(pod_cidrs(spec), writes.cidrs if writes else [])
    return f'Node "{name}" is invalid: {aggregate(problems)}' if problems else None
