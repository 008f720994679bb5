"""What the served Kubernetes API refuses of a Node written through it, beyond its metadata
and taints (about 110 lines): its ``spec`` decoded by the Go types of core/v1 ``NodeSpec``
(k8s.io/api ``core/v1/types.go``), and the quantities of its ``status.capacity`` and
``status.allocatable`` decoded as ``resource.Quantity.UnmarshalJSON`` decodes them
(k8s.io/apimachinery ``pkg/api/resource/quantity.go``) and validated as
``ValidateNodeResources`` validates them (kubernetes/kubernetes
``pkg/apis/core/validation/validation.go``, called by ``ValidateNodeUpdate`` for the status
subresource as for the Node)."""

from __future__ import annotations

from typing import Any

from clustersim.manifests.kubernetes_errors import invalid
from clustersim.quantity import QuantityError, format_quantity, parse_quantity
from clustersim.serve.kubedecoding import taints_error, type_error

__all__ = ["NODE_SPEC", "QUANTITY_FORMAT", "node_resources_errors", "node_spec_error"]

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
