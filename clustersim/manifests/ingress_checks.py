"""What the API server refuses of an Ingress or an IngressClass (about 250 lines).

Upstream: kubernetes/kubernetes ``pkg/apis/networking/validation/validation.go`` as of
v1.37: ``ValidateIngressCreate`` (``ValidateIngressSpec``: a default backend or rules,
``validateIngressRules``, ``validateHTTPIngressRuleValue``, ``validateHTTPIngressPath``,
``validateIngressBackend``, ``validateIngressTLS``, the class name; and the
``kubernetes.io/ingress.class`` annotation that must match ``ingressClassName``) and
``ValidateIngressClass`` (``validateIngressClassSpec``,
``validateIngressClassParametersReference``), with the names' checks of k8s.io/apimachinery
(:mod:`~clustersim.manifests.kubernetes_names`). Every error in upstream's words, at its
field path, in upstream's order, all of them together, as the API server reports them
(:func:`~clustersim.manifests.kubernetes_checks.check_object`); the metadata's own
(``ValidateObjectMeta``) come first, from the models. The loader and the served API share
these checks: the served API validates a body with the loader.

What is checked on the Go types only (:mod:`~clustersim.manifests.kubernetes_types`: a value
of the wrong JSON type is the decoder's error before any of this). A backend's Service name
is a DNS-1123 label (``NameIsDNSLabel``), as ``RelaxedServiceNameValidation`` has it since it
was locked on at GA in v1.37 (KEP-5311; before, a DNS-1035 label). An IngressClass's
``parameters.scope`` is read with its default, ``Cluster`` (``SetDefaults_IngressClass``,
``pkg/apis/networking/v1/defaults.go``), so a missing one is no error.

An update is checked as ``ValidateIngressUpdate`` checks it: as a create, without the
annotation check (:func:`create_only`; the served API drops it for an update of a stored
Ingress). Simplified: upstream's update also lets a stored Ingress keep an invalid TLS secret
name or a wildcard rule's invalid paths that it already had (``allowInvalidSecretName``,
``allowInvalidWildcardHostRule``); every Ingress stored here passed the create's checks, so
none has any. ``ValidateIngressClassUpdate`` keeps the controller immutable
(:mod:`clustersim.kubernetes.immutablefields`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from clustersim.manifests.errors import ManifestError
from clustersim.manifests.kubernetes_errors import invalid, named, unsupported
from clustersim.manifests.kubernetes_ip import parse_ip
from clustersim.manifests.kubernetes_names import (
    dns1123_label_problems,
    dns1123_subdomain_problems,
    domain_prefixed_path_problems,
    name_hint,
    path_segment_problems,
    port_name_problems,
    wildcard_dns1123_subdomain_problems,
)
from clustersim.manifests.kubernetes_types import (
    HTTPIngressPath,
    IngressBackend,
    IngressClassParametersReference,
    IngressSpec,
    ServiceBackendPort,
    TypedLocalObjectReference,
)
from clustersim.manifests.safe_yaml import Document, Path

__all__ = ["CLASS_ANNOTATION", "SCOPES", "SUPPORTED_PATH_TYPES", "create_only",
           "ingress_class_errors", "ingress_errors"]

SUPPORTED_PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
"""``supportedPathTypes``, in the order ``field.NotSupported`` lists them (sorted)."""
SCOPES = ("Cluster", "Namespace")
"""``supportedIngressClassParametersReferenceScopes``, sorted."""
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
"""``annotationIngressClass``: the class named the old way, before ``ingressClassName``."""
_BAD_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_BAD_SUFFIXES = ("/..", "/.")
_MAX_CONTROLLER_BYTES = 250

Found = tuple[Path, str, str | None]
"""One refusal: where, the API server's words, what to write instead."""


def ingress_errors(document: Document, ingress: Any) -> Iterator[ManifestError]:
    """``ValidateIngressCreate``'s errors of the typed ``ingress``, but its metadata's."""
    spec = ingress.spec or IngressSpec()
    for where, message, expected in _spec(spec):
        yield document.error(where, message, expected)
    class_name = spec.ingress_class_name
    annotation = (ingress.metadata.annotations or {}).get(CLASS_ANNOTATION)
    if annotation is not None and class_name is not None and annotation != class_name:
        error = document.error(("metadata", "annotations", CLASS_ANNOTATION), invalid(
            annotation, "must match `ingressClassName` when both are specified"),
            f"{CLASS_ANNOTATION}: {class_name}, or only one of the two")
        error.path = _ANNOTATION_PATH      # upstream's path, sic
        yield error


_ANNOTATION_PATH = f"annotations.{CLASS_ANNOTATION}"


def create_only(kind: str, error: ManifestError) -> bool:
    """Is ``error`` of an object of ``kind`` one that only a create makes? The annotation
    that must match ``ingressClassName``: ``ValidateIngressCreate`` checks it,
    ``ValidateIngressUpdate`` does not (kubernetes/kubernetes
    ``pkg/apis/networking/validation/validation.go``), so an Ingress created with the
    annotation alone may be given another class name later."""
    return kind == "Ingress" and error.path == _ANNOTATION_PATH


def _spec(spec: IngressSpec) -> Iterator[Found]:
    """``ValidateIngressSpec``, field by field in upstream's order."""
    if not spec.rules and spec.default_backend is None:
        yield ("spec",), invalid(spec.rules, "either `defaultBackend` or `rules` must be "
                                 "specified"), "spec.rules (hosts and paths) or spec.defaultBackend"
    if spec.default_backend is not None:
        yield from _backend(spec.default_backend, ("spec", "defaultBackend"))
    for index, rule in enumerate(spec.rules or ()):
        yield from _rule(rule, ("spec", "rules", index))
    for index, tls in enumerate(spec.tls or ()):
        where: Path = ("spec", "tls", index)
        for number, host in enumerate(tls.hosts or ()):
            yield from _host((*where, "hosts", number), host)
        if tls.secret_name:
            yield from _names((*where, "secretName"), tls.secret_name,
                              dns1123_subdomain_problems)
    if spec.ingress_class_name is not None:
        yield from _names(("spec", "ingressClassName"), spec.ingress_class_name,
                          dns1123_subdomain_problems)


def _names(where: Path, value: str, problems: Any) -> Iterator[Found]:
    """One ``field.Invalid`` per problem the name check ``problems`` finds in ``value``."""
    for problem in problems(value):
        yield where, invalid(value, problem), name_hint(problem)


def _host(where: Path, host: str) -> Iterator[Found]:
    """A rule's or a TLS entry's host: a wildcard subdomain with a '*', else a subdomain."""
    check = wildcard_dns1123_subdomain_problems if "*" in host else dns1123_subdomain_problems
    for problem in check(host):
        yield where, invalid(host, problem), "a host name such as shop.example.com, or " \
            "*.example.com for every name one level below example.com"


def _rule(rule: Any, where: Path) -> Iterator[Found]:
    """``validateIngressRules`` of one rule: its host (no IP address), then its paths."""
    if rule.host:
        if parse_ip(rule.host) is not None:
            yield ((*where, "host"), invalid(rule.host, "must be a DNS name, not an IP address"),
                   "a DNS name; leave host out to match every request, whatever address it "
                   "was sent to")
        yield from _host((*where, "host"), rule.host)
    if rule.http is None:
        return
    if not rule.http.paths:
        yield (*where, "http", "paths"), "Required value", \
            "paths such as [{path: /, pathType: Prefix, backend: ...}]"
    for number, path in enumerate(rule.http.paths or ()):
        yield from _path(path, (*where, "http", "paths", number))


def _path(path: HTTPIngressPath, where: Path) -> Iterator[Found]:
    """``validateHTTPIngressPath``: the path type first (nothing else is checked without
    one), the path as that type reads it, then the backend."""
    kind, text = path.path_type, path.path
    if kind is None:
        yield (*where, "pathType"), "Required value: pathType must be specified", \
            "pathType: Prefix (or Exact, or ImplementationSpecific)"
        return
    absolute = (*where, "path"), invalid(text, "must be an absolute path"), \
        "a path that starts with '/', such as /api"
    if kind in ("Exact", "Prefix"):
        if not text.startswith("/"):
            yield absolute
        for sequence in _BAD_SEQUENCES if text else ():
            if sequence in text:
                yield (*where, "path"), invalid(text, f"must not contain '{sequence}'"), \
                    "a path without empty, '.' or '..' segments nor an encoded '/'"
        for suffix in _BAD_SUFFIXES if text else ():
            if text.endswith(suffix):
                yield (*where, "path"), invalid(text, f"cannot end with '{suffix}'"), \
                    "a path that does not end in a '.' or '..' segment"
    elif kind == "ImplementationSpecific":
        if text and not text.startswith("/"):
            yield absolute
    else:
        yield (*where, "pathType"), unsupported(named(kind), SUPPORTED_PATH_TYPES), \
            "one of " + ", ".join(SUPPORTED_PATH_TYPES) + ", with its capital letter"
    yield from _backend(path.backend or IngressBackend(), (*where, "backend"))


def _backend(backend: IngressBackend, where: Path) -> Iterator[Found]:
    """``validateIngressBackend``: a Service (its name a DNS-1123 label, and a port by
    name or by number, not both) or a resource, exactly one."""
    service, resource = backend.service, backend.resource
    if service is not None and resource is not None:
        yield where, invalid("", "cannot set both resource and service backends"), \
            "service or resource, not both"
        return
    if resource is not None:
        yield from _reference(resource, (*where, "resource"))
        return
    if service is None:
        yield where, invalid("", "resource or service backend is required"), \
            "service: {name: web, port: {number: 80}}"
        return
    if not service.name:
        yield (*where, "service", "name"), "Required value", "the name of a Service"
    else:
        yield from _names((*where, "service", "name"), service.name, dns1123_label_problems)
    port = service.port or ServiceBackendPort()
    if port.name and port.number:
        yield where, invalid("", "cannot set both port name & port number"), \
            "port: {number: 80} or port: {name: http}, not both"
    elif port.name:
        yield from _names((*where, "service", "port", "name"), port.name, port_name_problems)
    elif port.number:
        if not 1 <= port.number <= 65535:
            yield (*where, "service", "port", "number"), invalid(
                port.number, "must be between 1 and 65535, inclusive"), "a port from 1 to 65535"
    else:
        yield where, "Required value: port name or number is required", \
            "port: {number: 80} or port: {name: http} (a number 0 is no port)"


def _reference(reference: TypedLocalObjectReference | IngressClassParametersReference,
               where: Path) -> Iterator[Found]:
    """``validateIngressTypedLocalObjectReference`` and the start of
    ``validateIngressClassParametersReference``: its API group a subdomain, its kind and
    name required (``kind is required``, ``name is required``) and path segments. An
    IngressClass's ``parameters.scope`` is never missing here: the v1 defaults fill it in
    before ``validateIngressClassParametersReference`` requires it."""
    if reference.api_group is not None:
        yield from _names((*where, "apiGroup"), reference.api_group, dns1123_subdomain_problems)
    for field, value in (("kind", reference.kind), ("name", reference.name)):
        if not value:
            yield (*where, field), f"Required value: {field} is required", \
                f"the {field} of the object referred to"
        else:
            yield from _names((*where, field), value, path_segment_problems)


def ingress_class_errors(document: Document, ingress_class: Any) -> Iterator[ManifestError]:
    """``ValidateIngressClass``'s errors of the typed ``ingress_class``, but its metadata's."""
    spec = ingress_class.spec
    controller = spec.controller if spec is not None else ""
    where: Path = ("spec", "controller")
    if not controller:
        yield document.error(where, "Required value",
                             "the controller that implements the class, such as "
                             "k8s.io/ingress-nginx")
    else:
        if len(controller.encode()) > _MAX_CONTROLLER_BYTES:
            yield document.error(where, f"Too long: may not be more than "
                                 f"{_MAX_CONTROLLER_BYTES} bytes", "a shorter controller name")
        for part, problem in domain_prefixed_path_problems(controller):
            yield document.error(where, invalid(part, problem),
                                 "a domain and a path, such as k8s.io/ingress-nginx")
    if spec is not None and spec.parameters is not None:
        for at, message, expected in _parameters(spec.parameters):
            yield document.error(at, message, expected)


def _parameters(parameters: IngressClassParametersReference) -> Iterator[Found]:
    """``validateIngressClassParametersReference``, the scope read with its default."""
    where: Path = ("spec", "parameters")
    yield from _reference(parameters, where)
    scope = "Cluster" if parameters.scope is None else parameters.scope
    if scope not in SCOPES:
        yield (*where, "scope"), unsupported(scope, SCOPES), "Cluster or Namespace"
    elif scope == "Namespace" and parameters.namespace is None:
        yield (*where, "namespace"), "Required value: `parameters.scope` is set to " \
            "'Namespace'", "the namespace of the parameters' object"
    elif scope == "Namespace":
        yield from _names((*where, "namespace"), parameters.namespace or "",
                          dns1123_label_problems)
    elif parameters.namespace is not None:
        yield (*where, "namespace"), "Forbidden: `parameters.scope` is set to 'Cluster'", \
            "no namespace, or scope: Namespace"
