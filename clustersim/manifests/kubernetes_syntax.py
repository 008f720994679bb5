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
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo

from clustersim.manifests.kubernetes_errors import invalid, named
from clustersim.manifests.kubernetes_names import (
    config_key_problems,
    dns1123_label_problems,
    dns1123_subdomain_problems,
    env_var_name_problems,
    label_key_problems,
    label_value_problems,
    path_segment_problems,
    port_name_problems,
)
from clustersim.quantity import QuantityError, parse_quantity

__all__ = [
    "LENIENT",
    "NAME_MAPS",
    "Annotations",
    "ConfigKey",
    "EnvVarName",
    "Int32",
    "IntOrPercent",
    "IntOrString",
    "Label",
    "LabelPrefix",
    "Labels",
    "NonNegative",
    "Port",
    "PortName",
    "PortOrZero",
    "Protocol",
    "Quantity",
    "ResourceQuantity",
    "Subdomain",
    "SubdomainPrefix",
    "at_least_one_term",
    "base64_text",
    "dns_label",
    "path_segment",
    "qualified_name",
    "topology_key",
]

_IANA_SVC_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")


LENIENT = "lenient"
"""The validation context key under which the name checks let every name pass: the loader
validates an object a second time so, with each refused value left out, to run the checks
across fields on it (:func:`clustersim.manifests.validation.validate_object`)."""


def _lenient(check: Callable[[Any], Any]) -> Callable[[Any, ValidationInfo], Any]:
    """``check`` (a validator that only refuses, never converts), skipped under
    :data:`LENIENT`: only for values the checks across fields read safely whatever they
    are (an int-or-percent is not one: the rolling update check reads its number)."""
    def lenient(value: Any, info: ValidationInfo) -> Any:
        return value if (info.context or {}).get(LENIENT) else check(value)
    return lenient


def _name_check(problems: Callable[[str], list[str]], *, lower: bool = False
                ) -> Callable[[str, ValidationInfo], str]:
    """A validator that refuses a name with each of ``problems``' words, one line each, as
    ``field.Invalid`` of the name (:func:`clustersim.manifests.validation.validate_object`
    makes one error of each line); ``lower``: the name is checked lower-cased, as
    annotation keys are (``ValidateAnnotations``)."""
    def check(value: str, info: ValidationInfo) -> str:
        found = problems(value.lower() if lower else value)
        if found and not (info.context or {}).get(LENIENT):
            raise ValueError("\n".join(invalid(value, problem) for problem in found))
        return value
    return check


_subdomain = _name_check(dns1123_subdomain_problems)
dns_label = _name_check(dns1123_label_problems)
"""``IsDNS1123Label``: container names, port names, namespaces, Services
(``NameIsDNSLabel``)."""
qualified_name = _name_check(label_key_problems)
"""``IsQualifiedName`` (now ``IsLabelKey``): label keys, topology and taint keys,
``[prefix/]name``."""
_label_value = _name_check(label_value_problems)
_annotation_key = _name_check(label_key_problems, lower=True)
_config_key = _name_check(config_key_problems)
_port_name = _name_check(port_name_problems)
_env_var_name = _name_check(env_var_name_problems)


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
    ``maxUnavailable``: a whole number ≥ 0 or a percentage such as ``25%``; the refused
    ``intstr.IntOrString`` in JSON (:func:`~kubernetes_errors.named`)."""
    if isinstance(value, str) and not _PERCENT.fullmatch(value):
        raise ValueError(
            invalid(named(value), "a valid percent string must be a numeric string followed by an "
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
    problems = path_segment_problems(value)
    if problems:
        raise ValueError(invalid(value, problems[0]))
    return value


def at_least_one_term(terms: list) -> list:
    if not terms:
        raise ValueError("Required value: must have at least one node selector term")
    return terms


def topology_key(value: str, info: ValidationInfo) -> str:
    if not value:
        raise ValueError("Required value: can not be empty")
    return qualified_name(value, info)


Subdomain = Annotated[str, AfterValidator(_subdomain)]


def _mask_trailing_dash(name: str) -> str:
    """``maskTrailingDash`` (apimachinery ``pkg/api/validation/generic.go``): a prefix that
    ends in '-' is checked as if a character followed it. Upstream drops the last two
    characters and appends an 'a' (``a.b-`` is checked as ``a.a``), which is kept here, since
    it decides which prefixes pass."""
    return name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name


def _prefix_check(problems: Callable[[str], list[str]]) -> Callable[[str, ValidationInfo], str]:
    """A ``generateName`` checked by its kind's rule for names as a prefix (``nameFn(name,
    true)`` in ``ValidateObjectMetaAccessor``, apimachinery ``pkg/api/validation/
    objectmeta.go``): its trailing dash masked, each problem a ``field.Invalid`` of the
    prefix as sent; an empty prefix is none."""
    return _name_check(lambda name: problems(_mask_trailing_dash(name)) if name else [])


SubdomainPrefix = Annotated[str, AfterValidator(_prefix_check(dns1123_subdomain_problems))]
"""The ``generateName`` of a kind whose names are DNS-1123 subdomains (``NameIsDNSSubdomain``
with ``prefix``)."""
LabelPrefix = Annotated[str, AfterValidator(_prefix_check(dns1123_label_problems))]
"""The ``generateName`` of a kind whose names are DNS-1123 labels (``NameIsDNSLabel`` with
``prefix``: Namespaces, Services)."""
Labels = dict[
    Annotated[str, AfterValidator(qualified_name)], Annotated[str, AfterValidator(_label_value)]
]
ConfigKey = Annotated[str, AfterValidator(_config_key)]
PortName = Annotated[str, AfterValidator(_port_name)]
"""``IsValidPortName``: a container port's name (``validateContainerPorts``)."""
EnvVarName = Annotated[str, AfterValidator(_env_var_name)]
"""``IsRelaxedEnvVarName``: an environment variable's name and an ``envFrom`` prefix
(``ValidateEnv``, ``ValidateEnvFrom``)."""
Label = Annotated[str, AfterValidator(dns_label)]
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
"""``TotalAnnotationSizeLimitB`` (apimachinery ``pkg/api/validation/objectmeta.go``): the
bytes an object's annotations may hold, keys and values together."""


def _annotations_size(annotations: dict[str, str]) -> dict[str, str]:
    """``ValidateAnnotationsSize``: the bytes of every key and value (Go's ``len`` of a
    string; a lone surrogate counts as the 3 bytes of the U+FFFD Go decodes it to) at most
    :data:`TOTAL_ANNOTATION_SIZE_LIMIT`, else ``ValidateAnnotations``' ``field.TooLong``, in
    its current words (``may not be more than 262144 bytes``, without the value, as the Secret
    size check and ``fieldManager`` here word it; older releases said ``must have at most``).
    Checked once the keys pass: upstream reports both."""
    size = sum(len(text.encode(errors="surrogatepass"))
               for pair in annotations.items() for text in pair)
    if size > TOTAL_ANNOTATION_SIZE_LIMIT:
        raise ValueError(f"Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes")
    return annotations


_AnnotationMap = dict[Annotated[str, AfterValidator(_annotation_key)], str]
Annotations = Annotated[_AnnotationMap, AfterValidator(_annotations_size)]
NAME_MAPS = (Labels, _AnnotationMap)
"""The maps whose refused keys and values the API server reports at the map itself
(``ValidateLabels``, ``ValidateAnnotations``: ``metadata.labels: Invalid value: "-x"``)."""
Quantity = Annotated[Decimal, BeforeValidator(_quantity)]
ResourceQuantity = Annotated[
    Decimal, BeforeValidator(_quantity), AfterValidator(_lenient(_non_negative_quantity))
]
IntOrPercent = Annotated[int | str, AfterValidator(_int_or_percent)]  # read by the checks
NonNegative = Annotated[int, Field(ge=0, le=2**31 - 1)]  # int32 fields that must not be < 0
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Port = Annotated[int, AfterValidator(_lenient(_port_number))]
PortOrZero = Annotated[int, AfterValidator(_lenient(_port_or_zero))]
IntOrString = int | str
Protocol = Literal["SCTP", "TCP", "UDP"]  # sets.List(supportedPortProtocols): sorted
