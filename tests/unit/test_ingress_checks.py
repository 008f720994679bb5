"""Ingress and IngressClass validated as kubernetes/kubernetes
``pkg/apis/networking/validation/validation.go`` (v1.37) validates them: each refusal in the
API server's words at its field path, all of an object's together, a value of the wrong JSON
type as encoding/json's error. The cases follow upstream's ``validation_test.go`` tables
(``TestValidateIngressCreate``, ``TestValidateIngressRuleValue``,
``TestValidateIngressClass``)."""

from __future__ import annotations

import pytest

from clustersim.manifests import ManifestError, load_manifests

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
"""
CLASS = """apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec:
"""
BACKEND = "{service: {name: web, port: {number: 80}}}"
SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
             "'-' or '.', and must start and end with an alphanumeric character (e.g. "
             "'example.com', regex used for validation is "
             r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def _path(path: str, path_type: str | None = "Prefix", backend: str = BACKEND) -> str:
    kind = "" if path_type is None else f", pathType: {path_type}"
    return f"  rules: [{{http: {{paths: [{{path: '{path}'{kind}, backend: {backend}}}]}}}}]\n"


def refusals(text: str) -> list[str]:
    """Every error the loader reports, as ``path: message``."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(text)
    return [f"{e.path}: {e.message}" for e in (caught.value, *caught.value.also)]


PATH = "spec.rules[0].http.paths[0]"


@pytest.mark.parametrize(("spec", "refused"), [
    ("  tls: x\n", "spec.tls: cannot unmarshal string into Go struct field IngressSpec.spec.tls "
     "of type []v1.IngressTLS"),
    (_path("/", backend="{service: {name: web, port: {number: '80'}}}"),
     "spec.rules[0].http.paths[0].backend.service.port.number: cannot unmarshal string into Go "
     "struct field ServiceBackendPort.spec.rules.http.paths.backend.service.port.number of "
     "type int32"),
    (_path("/", path_type="5"), "spec.rules[0].http.paths[0].pathType: cannot unmarshal number "
     "into Go struct field HTTPIngressPath.spec.rules.http.paths.pathType of type v1.PathType"),
    (_path("foo"), f'{PATH}.path: Invalid value: "foo": must be an absolute path'),
    (_path("foo", "ImplementationSpecific"),
     f'{PATH}.path: Invalid value: "foo": must be an absolute path'),
    (_path("/", None), f"{PATH}.pathType: Required value: pathType must be specified"),
    ("  {}\n", "spec: Invalid value: null: either `defaultBackend` or `rules` must be "
     "specified"),
    ("  rules: []\n", "spec: Invalid value: []: either `defaultBackend` or `rules` must be "
     "specified"),
    ("  rules: [{http: {paths: []}}]\n", "spec.rules[0].http.paths: Required value"),
    (_path("/", backend="{service: {name: web, port: {number: 80}}, resource: {kind: B, "
           "name: b}}"),
     f'{PATH}.backend: Invalid value: "": cannot set both resource and service backends'),
    (_path("/", backend="{}"),
     f'{PATH}.backend: Invalid value: "": resource or service backend is required'),
    (_path("/", backend="{service: {name: web, port: {number: 0}}}"),
     f"{PATH}.backend: Required value: port name or number is required"),
    (_path("/", backend="{service: {name: web, port: {number: 70000}}}"),
     f"{PATH}.backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, "
     "inclusive"),
    (_path("/", backend="{service: {name: web, port: {number: 80, name: http}}}"),
     f'{PATH}.backend: Invalid value: "": cannot set both port name & port number'),
    (_path("/", backend="{service: {name: 'Web!', port: {number: 80}}}"),
     f'{PATH}.backend.service.name: Invalid value: "Web!": a lowercase RFC 1123 label must '
     "consist of lower case alphanumeric characters or '-', and must start and end with an "
     "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
    (_path("/", backend="{service: {port: {number: 80}}}"),
     f"{PATH}.backend.service.name: Required value"),
    (_path("/", backend="{resource: {apiGroup: k8s.example.com, name: 'a/b'}}"),
     f"{PATH}.backend.resource.kind: Required value: kind is required"),
    ("  rules: [{host: 1.2.3.4}]\n", 'spec.rules[0].host: Invalid value: "1.2.3.4": must be a '
     "DNS name, not an IP address"),
    ("  rules: [{host: '*.*.ex.com'}]\n", 'spec.rules[0].host: Invalid value: "*.*.ex.com": a '
     "wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
     "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
     r"alphanumeric character (e.g. '*.example.com', regex used for validation is '\*\."
     r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
    (f"  defaultBackend: {BACKEND}\n  tls: [{{secretName: Bad_Name}}]\n",
     f'spec.tls[0].secretName: Invalid value: "Bad_Name": {SUBDOMAIN}'),
    (f"  defaultBackend: {BACKEND}\n  ingressClassName: Bad Class\n",
     f'spec.ingressClassName: Invalid value: "Bad Class": {SUBDOMAIN}'),
    (_path("/a//b", "Exact"), f"{PATH}.path: Invalid value: \"/a//b\": must not contain '//'"),
    (_path("/a/..", "Exact"), f"{PATH}.path: Invalid value: \"/a/..\": cannot end with '/..'"),
])
def test_an_ingress_is_refused_in_the_api_servers_words(spec, refused):
    assert refused in refusals(INGRESS + spec)


def test_an_ip_address_as_host_gets_the_whole_hint():
    """``validateIngressRules`` refuses an IP address, then checks the host as a subdomain."""
    with pytest.raises(ManifestError) as caught:
        load_manifests(INGRESS + "  rules: [{host: '::1'}]\n")
    assert str(caught.value).startswith(
        '<string>, line 5, spec.rules[0].host: Invalid value: "::1": must be a DNS name, not an '
        "IP address (expected a DNS name; leave host out to match every request, whatever "
        "address it was sent to). Also: ")


def test_every_error_is_reported_together_in_upstreams_order():
    """``ValidateIngressSpec``: the default backend, the rules, the TLS entries, then the
    class name; ``ValidateIngressCreate`` adds the class annotation's mismatch last."""
    text = INGRESS.replace("{name: web}", "{name: web, annotations: "
                           "{kubernetes.io/ingress.class: other}}") + (
        "  ingressClassName: nginx\n  tls: [{secretName: A}]\n"
        "  defaultBackend: {service: {name: web}}\n"
        "  rules: [{host: 1.2.3.4, http: {paths: [{path: x, pathType: Exact, backend: "
        f"{BACKEND}}}]}}}}]\n")
    assert [r.partition(": ")[0] for r in refusals(text)] == [
        "spec.defaultBackend", "spec.rules[0].host", f"{PATH}.path", "spec.tls[0].secretName",
        "annotations.kubernetes.io/ingress.class"]
    assert refusals(text)[-1] == ('annotations.kubernetes.io/ingress.class: Invalid value: '
                                  '"other": must match `ingressClassName` when both are '
                                  "specified")


@pytest.mark.parametrize("spec", [
    "  rules: [{}]\n",      # a rule with neither host nor http is no error upstream
    "  rules: [{host: '*.example.com'}]\n",
    _path("", "ImplementationSpecific"),
    _path("/", backend="{resource: {apiGroup: k8s.example.com, kind: Bucket, name: b}}"),
    _path("/", backend="{service: {name: 1st, port: {name: http}}}"),   # a DNS-1123 label
    f"  defaultBackend: {BACKEND}\n  tls: [{{hosts: ['*.example.com', 1.2.3.4]}}]\n",
])
def test_what_upstream_accepts_loads(spec):
    assert load_manifests(INGRESS + spec)[0].kind == "Ingress"


CONTROLLER = "  controller: k8s.io/ingress-nginx\n"


@pytest.mark.parametrize(("spec", "refused"), [
    ("  controller: nope\n", 'spec.controller: Invalid value: "nope": must be a '
     'domain-prefixed path (such as "acme.io/foo")'),
    ("  {}\n", "spec.controller: Required value"),
    ("  controller: Acme.io/x y\n", f'spec.controller: Invalid value: "Acme.io": {SUBDOMAIN}'),
    (f"  controller: a.io/{'x' * 250}\n", "spec.controller: Too long: may not be more than "
     "250 bytes"),
    (CONTROLLER + "  parameters: {kind: K, name: lb, scope: Bad}\n",
     'spec.parameters.scope: Unsupported value: "Bad": supported values: "Cluster", '
     '"Namespace"'),
    (CONTROLLER + "  parameters: {kind: K, name: lb, namespace: a}\n",
     "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"),
    (CONTROLLER + "  parameters: {kind: K, name: lb, scope: Namespace}\n",
     "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"),
    (CONTROLLER + "  parameters: {kind: K, name: '..'}\n",
     "spec.parameters.name: Invalid value: \"..\": may not be '..'"),
    (CONTROLLER + "  parameters: {kind: 5, name: lb}\n", "spec.parameters.kind: cannot "
     "unmarshal number into Go struct field IngressClassParametersReference.spec.parameters."
     "kind of type string"),
])
def test_an_ingress_class_is_refused_in_the_api_servers_words(spec, refused):
    assert refused in refusals(CLASS + spec)


def test_empty_parameters_name_what_is_required():
    """``validateIngressTypedLocalObjectReference``'s details (``kind is required``, ``name is
    required``); ``scope``, defaulted to ``Cluster`` by the v1 defaults, is never missing
    by the time ``validateIngressClassParametersReference`` requires it."""
    assert refusals(CLASS + CONTROLLER + "  parameters: {kind: '', name: ''}\n") == [
        "spec.parameters.kind: Required value: kind is required",
        "spec.parameters.name: Required value: name is required"]


def test_a_controller_with_a_bad_path_names_the_path_alone():
    """``IsDomainPrefixedPath`` reports the part it refuses, the host or the path."""
    assert refusals(CLASS + "  controller: acme.io/a b\n") == [
        "spec.controller: Invalid value: \"a b\": Invalid path (regex used for validation is "
        "'[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"]


def test_parameters_in_a_namespace_load():
    spec = CLASS + CONTROLLER + ("  parameters: {apiGroup: k8s.example.com, kind: Params, "
                                 "name: lb, scope: Namespace, namespace: edge}\n")
    assert load_manifests(spec)[0].kind == "IngressClass"
