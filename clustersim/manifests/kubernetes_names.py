"""What the Kubernetes API server says of a name it refuses: each kind of name, its words.

Upstream: k8s.io/apimachinery ``pkg/util/validation/validation.go`` and
``pkg/api/validate/content`` (``dns.go``, ``kube.go``, ``errors.go``): ``IsDNS1123Label``
(container and port names, namespaces, Services since v1.37: ``NameIsDNSLabel``; no name
is a DNS-1035 label any more), ``IsDNS1123Subdomain`` (most objects' names),
``IsWildcardDNS1123Subdomain`` and ``IsDomainPrefixedPath``
(Ingresses and IngressClasses), ``content.IsPathSegmentName``, ``IsLabelKey`` (label and
annotation keys, the old ``IsQualifiedName``), ``IsLabelValue``, ``IsConfigMapKey`` (the keys
of ConfigMap and Secret data), ``IsValidPortName`` (container port names) and
``IsRelaxedEnvVarName`` (environment variable names and ``envFrom`` prefixes). Each returns a
list of problems, every one a separate ``field.Invalid`` of the name, worded by ``MaxLenError``
("must be no more than 63 characters") and ``RegexError`` (what the name must be, examples, and
the regular expression); the loader adds a hint (:func:`name_hint`).
"""

from __future__ import annotations

import re

__all__ = [
    "HUGE_PAGES_PREFIX",
    "STANDARD_FINALIZERS",
    "config_key_problems",
    "container_resource_name_problems",
    "dns1123_label_problems",
    "dns1123_subdomain_problems",
    "domain_prefixed_path_problems",
    "env_var_name_problems",
    "is_extended_resource_name",
    "is_integer_resource_name",
    "label_key_problems",
    "label_value_problems",
    "name_hint",
    "path_segment_problems",
    "port_name_problems",
    "quota_resource_name_problems",
    "wildcard_dns1123_subdomain_problems",
]

_DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = _DNS1123_LABEL + r"(\." + _DNS1123_LABEL + ")*"
_WILDCARD_SUBDOMAIN = r"\*\." + _DNS1123_SUBDOMAIN
_KEY_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = "(" + _KEY_NAME + ")?"

_KEY_NAME_WORDS = ("must consist of alphanumeric characters, '-', '_' or '.', and must start "
                   "and end with an alphanumeric character")


def _too_long(most: int) -> str:
    """``MaxLenError``."""
    return f"must be no more than {most} characters"


def _regex_error(what: str, pattern: str, *examples: str) -> str:
    """``RegexError``: what a value must be, its examples (if any) and the pattern it must
    match."""
    shown = "".join(("" if i == 0 else " or ") + f"'{example}', "
                    for i, example in enumerate(examples))
    return f"{what} ({'e.g. ' if examples else ''}{shown}regex used for validation is " \
        f"'{pattern}')"


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None


def dns1123_subdomain_problems(value: str) -> list[str]:
    """``IsDNS1123Subdomain``: at most 253 characters of lower case DNS labels joined by
    dots."""
    problems = [_too_long(253)] if len(value) > 253 else []
    if not _matches(_DNS1123_SUBDOMAIN, value):
        problems.append(_regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character",
            _DNS1123_SUBDOMAIN, "example.com"))
    return problems


def wildcard_dns1123_subdomain_problems(value: str) -> list[str]:
    """``IsWildcardDNS1123Subdomain``: ``*.`` and a DNS-1123 subdomain (RFC 1034 section
    4.3.3), at most 253 characters in all: ``*.*.example.com`` and ``a*.example.com`` are
    refused."""
    problems = [_too_long(253)] if len(value) > 253 else []
    if not _matches(_WILDCARD_SUBDOMAIN, value):
        problems.append(_regex_error(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
            "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' "
            "and end with an alphanumeric character", _WILDCARD_SUBDOMAIN, "*.example.com"))
    return problems


_HTTP_PATH = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
"""``httpPathFmt``: the characters RFC 3986 allows in an HTTP path."""


def domain_prefixed_path_problems(value: str) -> list[tuple[str, str]]:
    """``IsDomainPrefixedPath`` (an IngressClass's ``controller``, ``acme.io/foo``): each
    problem as (the part refused, what is wrong with it), as upstream reports each
    ``field.Invalid`` of the host or the path alone; an empty value is the caller's
    "Required value"."""
    host, slash, path = value.partition("/")
    if not (host and slash and path):
        return [(value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    problems = [(host, problem) for problem in dns1123_subdomain_problems(host)]
    if not _matches(_HTTP_PATH, path):
        problems.append((path, _regex_error("Invalid path", _HTTP_PATH)))
    return problems


def path_segment_problems(value: str) -> list[str]:
    """``content.IsPathSegmentName`` (apimachinery ``pkg/api/validate/content/path.go``):
    not ``.`` nor ``..``, and neither '/' nor '%' anywhere (each found is a problem); empty
    and long names pass, "for historical reason"."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in value]


def dns1123_label_problems(value: str) -> list[str]:
    """``IsDNS1123Label``: at most 63 lower case letters, digits and '-'; a subdomain with
    dots is told so."""
    problems = [_too_long(63)] if len(value) > 63 else []
    if _matches(_DNS1123_LABEL, value):
        return problems
    if _matches(_DNS1123_SUBDOMAIN, value):
        return [*problems, "must not contain dots"]
    return [*problems, _regex_error(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character",
        _DNS1123_LABEL, "my-name", "123-abc")]


def label_key_problems(value: str) -> list[str]:
    """``IsLabelKey``: ``[prefix/]name``, the prefix a DNS-1123 subdomain, the name at most 63
    characters of alphanumerics, '-', '_' and '.'."""
    parts = value.split("/")
    if len(parts) > 2:
        return ["a valid label key " + _regex_error(_KEY_NAME_WORDS, _KEY_NAME, "MyName",
                                                    "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    problems: list[str] = []
    if len(parts) == 2:
        prefix = parts[0]
        problems += (["prefix part must be non-empty"] if not prefix else
                     ["prefix part " + p for p in dns1123_subdomain_problems(prefix)])
    name = parts[-1]
    if not name:
        problems.append("name part must be non-empty")
    elif len(name) > 63:
        problems.append("name part " + _too_long(63))
    if not _matches(_KEY_NAME, name):
        problems.append("name part " + _regex_error(_KEY_NAME_WORDS, _KEY_NAME, "MyName",
                                                     "my.name", "123-abc"))
    return problems


def label_value_problems(value: str) -> list[str]:
    """``IsLabelValue``: empty, or at most 63 characters like a key's name part."""
    problems = [_too_long(63)] if len(value) > 63 else []
    if not _matches(_LABEL_VALUE, value):
        problems.append(_regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character",
            _LABEL_VALUE, "MyValue", "my_value", "12345"))
    return problems


_CONFIG_KEY = "[-._a-zA-Z0-9]+"


def config_key_problems(value: str) -> list[str]:
    """``IsConfigMapKey``: the keys of a ConfigMap's or Secret's data, at most 253
    characters, neither ``.`` nor ``..`` nor starting with ``..`` (``hasChDirPrefix``: each
    becomes a file name in a volume)."""
    problems = [_too_long(253)] if len(value) > 253 else []
    if not _matches(_CONFIG_KEY, value):
        problems.append(_regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            _CONFIG_KEY, "key.name", "KEY_NAME", "key-name"))
    if value in (".", ".."):
        problems.append(f"must not be '{value}'")
    elif value.startswith(".."):
        problems.append("must not start with '..'")
    return problems


def port_name_problems(value: str) -> list[str]:
    """``IsValidPortName`` (an IANA service name, RFC 6335, lower case only): at most 15
    characters of lower case letters, digits and '-', at least one letter, no '--', no '-'
    at either end; each problem it finds, in its order."""
    problems = [_too_long(15)] if len(value) > 15 else []
    if not _matches("[-a-z0-9]+", value):
        problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if re.search("[a-z]", value) is None:
        problems.append("must contain at least one letter (a-z)")
    if "--" in value:
        problems.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        problems.append("must not begin or end with a hyphen")
    return problems


def env_var_name_problems(value: str) -> list[str]:
    """``IsRelaxedEnvVarName``: any printable ASCII character but '=' (space included, as Go's
    ``unicode.IsPrint`` counts it). The relaxed rule is the only one since v1.34
    (``RelaxedEnvironmentVariableValidation``, KEP-4369, GA); before, a name had to match
    ``[-._a-zA-Z][-._a-zA-Z0-9]*``. An empty name is "Required value" where it is checked
    (``ValidateEnv``), so it has no problem here."""
    if all(" " <= char <= "~" and char != "=" for char in value):
        return []
    return ["a valid environment variable name must consist only of printable ASCII "
            "characters other than '='"]


HUGE_PAGES_PREFIX = "hugepages-"
"""``v1.ResourceHugePagesPrefix``: a resource name that starts with it asks for huge pages of
the size after it (``IsHugePageResourceName``, ``pkg/apis/core/helper/helpers.go``)."""

_STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
_STANDARD_QUOTA_RESOURCES = (
    *_STANDARD_CONTAINER_RESOURCES,
    *(f"{kind}.{name}" for kind in ("requests", "limits")
      for name in _STANDARD_CONTAINER_RESOURCES),
    "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
    "persistentvolumeclaims", "requests.storage", "services.nodeports",
    "services.loadbalancers",
)
"""``standardQuotaResources`` (``pkg/apis/core/helper/helpers.go``): what a ResourceQuota
tracks. ``standardResources`` are these and ``storage`` (a PersistentVolume's capacity)."""
_STANDARD_RESOURCES = (*_STANDARD_QUOTA_RESOURCES, "storage")


def _resource_name_problems(value: str) -> list[str]:
    """``validateResourceName``: a qualified name, and without a '/' one of
    ``IsStandardResourceName``'s names or a quota's huge page name (the standard names are not
    looked up for a name that is no qualified name)."""
    problems = label_key_problems(value)
    if "/" not in value and not problems and value not in _STANDARD_RESOURCES \
            and not _quota_huge_pages(value):
        problems.append("must be a standard resource type or fully qualified")
    return problems


def _quota_huge_pages(value: str) -> bool:
    """``IsQuotaHugePageResourceName``: ``hugepages-<size>`` or ``requests.hugepages-<size>``."""
    return value.startswith((HUGE_PAGES_PREFIX, "requests." + HUGE_PAGES_PREFIX))


def container_resource_name_problems(value: str) -> list[str]:
    """``validateContainerResourceName`` (``pkg/apis/core/validation/validation.go``) of a
    name in a container's ``requests`` or ``limits``, with the helpers of
    ``pkg/apis/core/helper/helpers.go``: first ``validateResourceName``
    (:func:`_resource_name_problems`), then, whatever that found, a name without a '/' must
    be one a container may ask for (cpu, memory, ephemeral-storage, ``hugepages-<size>``), one
    with a '/' outside ``kubernetes.io/`` an extended resource (``IsExtendedResourceName``: no
    ``requests.`` prefix, and a qualified name once that prefix is put before it, as a quota
    would name it): ``CPU_`` and ``example.com/gpu_`` get two errors."""
    problems = _resource_name_problems(value)
    if "/" not in value:
        if value not in _STANDARD_CONTAINER_RESOURCES and not value.startswith(HUGE_PAGES_PREFIX):
            problems.append("must be a standard resource for containers")
    elif "kubernetes.io/" not in value and not is_extended_resource_name(value):
        problems.append("doesn't follow extended resource name standard")
    return problems


def quota_resource_name_problems(value: str) -> list[str]:
    """``ValidateResourceQuotaResourceName`` (``pkg/apis/core/validation/validation.go``) of a
    key of a ResourceQuota's ``spec.hard``: ``validateResourceName``, then, whatever that
    found, a name without a '/' one the quota tracks (``IsStandardQuotaResourceName``): so
    ``CPU`` gets two errors, ``storage`` (a volume's size; a quota counts
    ``requests.storage``) one. A name with a '/' (``count/deployments.apps``,
    ``nvidia.com/gpu``, ``requests.nvidia.com/gpu``) needs only to be a qualified name."""
    problems = _resource_name_problems(value)
    if "/" not in value and value not in _STANDARD_QUOTA_RESOURCES \
            and not _quota_huge_pages(value):
        problems.append("must be a standard resource for quota")
    return problems


def is_extended_resource_name(value: str) -> bool:
    """``IsExtendedResourceName`` (``pkg/apis/core/helper/helpers.go``): a name with a domain
    outside ``kubernetes.io/`` (no native resource), without the quota's ``requests.``
    prefix, that is still a qualified name once that prefix is put before it, such as
    ``nvidia.com/gpu``."""
    native = "/" not in value or "kubernetes.io/" in value
    return not native and not value.startswith("requests.") and not label_key_problems(
        "requests." + value)


_INTEGER_RESOURCES = ("pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
                      "configmaps", "persistentvolumeclaims", "services.nodeports",
                      "services.loadbalancers")
"""``integerResources`` (``pkg/apis/core/helper/helpers.go``): the quota's object counts."""


def is_integer_resource_name(value: str) -> bool:
    """``IsIntegerResourceName`` (``pkg/apis/core/helper/helpers.go``): a resource counted in
    whole units, an object count of a quota or any extended resource (a device plugin
    advertises whole devices)."""
    return value in _INTEGER_RESOURCES or is_extended_resource_name(value)


_DESCENDING_PATH = ("a seccomp profile's path below the kubelet's seccomp directory, such as "
                    "'profiles/web.json'")
"""The hint for a path ``validateLocalDescendingPath`` refuses (a Localhost seccomp profile's,
the one the loader checks)."""
_HINTS = {
    "alpha-numeric characters (a-z, 0-9)": "a port name of lower case letters, digits and "
                                           "'-', such as 'http'",
    "at least one letter (a-z)": "a port name with a letter, such as 'http' or 'h2c'",
    "consecutive hyphens": "a port name with single hyphens, such as 'http-alt'",
    "begin or end with a hyphen": "a port name that starts and ends with a letter or digit, "
                                  "such as 'http-alt'",
    "environment variable name": "a name of printable ASCII characters other than '=', such "
                                 "as 'LOG_LEVEL'",
    "config key": "a key of letters, digits, '-', '_' and '.', such as 'app.properties'",
    "must not be '.": "a key that names a file, such as 'app.properties'",
    "must not start with '..'": "a key that names a file, such as 'app.properties'",
    "RFC 1123 subdomain": "a name of lower case letters, digits, '-' and '.', such as "
                          "'web' or 'web.v2'",
    "RFC 1123 label": "a name of lower case letters, digits and '-', such as 'web'",
    "must not contain dots": "a name without '.', such as 'web-v2'",
    "label key": "a key such as 'app' or 'example.com/tier'",
    "name part": "a key such as 'app' or 'example.com/tier'",
    "prefix part": "a key whose prefix is a DNS subdomain, such as 'example.com/tier'",
    "valid label must": "a value such as 'web' or 'v1.2', or an empty string",
    "no more than": "a shorter value",
    "must be a relative path": _DESCENDING_PATH,
    "must not contain '..'": _DESCENDING_PATH,
}


def name_hint(message: str) -> str | None:
    """What a learner should write instead of a name refused with ``message`` (the loader's
    hint beside the API server's words), or ``None`` for other messages."""
    return next((hint for words, hint in _HINTS.items() if words in message), None)


STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")
"""``standardFinalizers`` (``validateKubeFinalizerName``): the only finalizers without a '/'
that the API server accepts (``FinalizerKubernetes``, ``FinalizerOrphanDependents``,
``FinalizerDeleteDependents``); any other needs a domain (``example.com/cleanup``)."""
