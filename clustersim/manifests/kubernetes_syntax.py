"""The syntax of Kubernetes names, labels, quantities and ports, as the API server checks it.

Upstream: kubernetes/apimachinery ``pkg/util/validation/validation.go`` (DNS-1123 subdomains
and labels, qualified names, label values, config keys, IANA service names) and
``pkg/api/validation``; kubernetes/kubernetes ``pkg/apis/core/validation/validation.go``
(non-negative quantities, int-or-percent values, path segments, topology keys). Each check
raises ``ValueError`` with the API server's words; the ``Annotated`` types below attach them
to the fields of :mod:`clustersim.manifests.kubernetes_types`.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from clustersim.manifests.kubernetes_errors import invalid
from clustersim.quantity import QuantityError, parse_quantity

__all__ = [
    "ConfigKey",
    "Int32",
    "IntOrPercent",
    "IntOrString",
    "Label",
    "Labels",
    "NonNegative",
    "Port",
    "PortOrZero",
    "Protocol",
    "Quantity",
    "ResourceQuantity",
    "Subdomain",
    "at_least_one_term",
    "base64_text",
    "dns_label",
    "path_segment",
    "qualified_name",
    "topology_key",
]

_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_IANA_SVC_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")


def _fits(value: str, pattern: re.Pattern[str], limit: int) -> bool:
    """Whether ``value`` is at most ``limit`` characters and matches ``pattern`` whole: the
    two checks every apimachinery validator below makes."""
    return len(value) <= limit and pattern.fullmatch(value) is not None


def _subdomain(value: str) -> str:
    """``IsDNS1123Subdomain`` (k8s.io/apimachinery ``pkg/util/validation/validation.go``)."""
    if not _fits(value, _DNS1123_SUBDOMAIN, 253):
        raise ValueError(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character (e.g. "
            "'example.com'), at most 253 characters"
        )
    return value


def dns_label(value: str) -> str:
    """``IsDNS1123Label``: container names, port names, namespaces."""
    if not _fits(value, _DNS1123_LABEL, 63):
        raise ValueError(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character (e.g. 'my-name'), at "
            "most 63 characters"
        )
    return value


_NAME_PART = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")


def qualified_name(value: str) -> str:
    """``IsQualifiedName``: label and annotation keys, ``[prefix/]name``."""
    prefix, slash, name = value.rpartition("/")
    if slash and not _fits(prefix, _DNS1123_SUBDOMAIN, 253):
        raise ValueError(f"key {value!r}: the prefix part must be a lowercase RFC 1123 subdomain")
    if not _fits(name, _NAME_PART, 63) or "/" in prefix:
        raise ValueError(
            f"key {value!r}: the name part must consist of alphanumeric characters, '-', '_' or "
            "'.', and must start and end with an alphanumeric character, at most 63 characters "
            "(e.g. 'MyName', 'my.name' or '123-abc', optionally prefixed: 'example.com/MyName')"
        )
    return value


def _label_value(value: str) -> str:
    """``IsValidLabelValue``: empty, or like a name part (at most 63 characters)."""
    if value and not _fits(value, _NAME_PART, 63):
        raise ValueError(
            f"label value {value!r} must be 63 characters or less and must be empty or begin "
            "and end with an alphanumeric character with '-', '_', '.' or alphanumerics between"
        )
    return value


def _config_key(value: str) -> str:
    """``IsConfigMapKey``: keys of ConfigMap and Secret data."""
    if (
        len(value) > 253
        or not _CONFIG_KEY.fullmatch(value)
        or value in (".", "..")
        or (value.startswith(".."))
    ):
        raise ValueError(
            f"key {value!r}: a valid config key must consist of alphanumeric characters, '-', "
            "'_' or '.' (e.g. 'key.name', 'KEY_NAME' or 'key-name')"
        )
    return value


def base64_text(value: str) -> str:
    """Secret ``data`` values are base64 (Go's ``[]byte`` JSON decoding)."""
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"illegal base64 data in {value[:20]!r}") from None
    return value


def _quantity(value: Any) -> Decimal:
    try:
        return parse_quantity(value)
    except QuantityError as err:
        raise ValueError(str(err)) from None


def _non_negative_quantity(value: Decimal) -> Decimal:
    """``ValidateNonnegativeQuantity`` (pkg/apis/core/validation): requests and limits."""
    if value < 0:
        raise ValueError(f"Invalid value: \"{value}\": must be greater than or equal to 0")
    return value


_PERCENT = re.compile(r"[0-9]+%")


def _int_or_percent(value: int | str) -> int | str:
    """``ValidatePositiveIntOrPercent`` (pkg/apis/apps/validation): ``maxSurge``,
    ``maxUnavailable``: a whole number ≥ 0 or a percentage such as ``25%``."""
    if isinstance(value, str) and not _PERCENT.fullmatch(value):
        raise ValueError(
            invalid(value, "a valid percent string must be a numeric string followed by an "
                    "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")
        )
    if isinstance(value, int) and value < 0:
        raise ValueError(f"Invalid value: {value}: must be greater than or equal to 0")
    return value


def _port_number(value: int) -> int:
    """``IsValidPortNum`` (apimachinery ``pkg/util/validation``), whose words
    ``InclusiveRangeError`` makes: container, host and Service ports."""
    if not 1 <= value <= 65535:
        raise ValueError(f"Invalid value: {value}: must be between 1 and 65535, inclusive")
    return value


def _port_or_zero(value: int) -> int:
    """A port that 0 leaves unset (``hostPort``, ``nodePort``), else checked as a port."""
    return value if value == 0 else _port_number(value)


def path_segment(value: str) -> str:
    """``path.IsValidPathSegmentName`` (apimachinery ``pkg/api/validation/path``): the names
    of RBAC objects (``ValidateRBACName``), which may hold ':' (``system:kube-dns``)."""
    if value in (".", ".."):
        raise ValueError(invalid(value, f"may not be '{value}'"))
    for bad in ("/", "%"):
        if bad in value:
            raise ValueError(invalid(value, f"may not contain '{bad}'"))
    return value


def at_least_one_term(terms: list) -> list:
    if not terms:
        raise ValueError("Required value: must have at least one node selector term")
    return terms


def topology_key(value: str) -> str:
    if not value:
        raise ValueError("Required value: can not be empty")
    return qualified_name(value)


Subdomain = Annotated[str, AfterValidator(_subdomain)]
Labels = dict[
    Annotated[str, AfterValidator(qualified_name)], Annotated[str, AfterValidator(_label_value)]
]
ConfigKey = Annotated[str, AfterValidator(_config_key)]
Label = Annotated[str, AfterValidator(dns_label)]
Quantity = Annotated[Decimal, BeforeValidator(_quantity)]
ResourceQuantity = Annotated[
    Decimal, BeforeValidator(_quantity), AfterValidator(_non_negative_quantity)
]
IntOrPercent = Annotated[int | str, AfterValidator(_int_or_percent)]
NonNegative = Annotated[int, Field(ge=0, le=2**31 - 1)]  # int32 fields that must not be < 0
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Port = Annotated[int, AfterValidator(_port_number)]
PortOrZero = Annotated[int, AfterValidator(_port_or_zero)]
IntOrString = int | str
Protocol = Literal["SCTP", "TCP", "UDP"]  # sets.List(supportedPortProtocols): sorted
