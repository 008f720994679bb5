"""What the API server accepts and fills in for a NetworkPolicy, before any decision.

Defaulting as ``SetDefaults_NetworkPolicy`` and ``SetDefaults_NetworkPolicyPort`` in
kubernetes/kubernetes ``pkg/apis/networking/v1/defaults.go``; validation as
``ValidateNetworkPolicy`` in ``pkg/apis/networking/validation/validation.go``, with its
messages as the API server writes them (``NetworkPolicy.networking.k8s.io "deny" is invalid:
spec.ingress[0].from[0]: Required value: must specify a peer``), first error only, and strict
field validation (an unknown field is refused, as ``kubectl apply`` asks by default). A bad
value is printed as ``field.Error.ErrorBody`` prints it since Kubernetes 1.34
(:func:`~clustersim.manifests.kubernetes_errors.go_value`): a ``networking.PolicyType`` and a
``core.Protocol`` are named string types, in JSON, and ``policyTypes`` itself a JSON list. The
decisions themselves are :mod:`clustersim.kubernetes.networkpolicy`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from clustersim.kubernetes.scheduler.labels import label_selector_matches
from clustersim.manifests.kubernetes_errors import invalid, named, unsupported
from clustersim.manifests.kubernetes_ip import cidr_problem, parse_cidr

__all__ = ["PROTOCOLS", "PolicyError", "check_policy", "policy_types", "set_defaults"]

PROTOCOLS = ("TCP", "UDP", "SCTP")
_PORT_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


class PolicyError(ValueError):
    """The API server refuses a NetworkPolicy, or a connection names something unknown."""


def policy_types(spec: Mapping[str, Any]) -> Sequence[str]:
    """The directions a policy isolates: ``policyTypes``, or by default Ingress, and Egress
    when it has an ``egress`` section."""
    types = spec.get("policyTypes")
    if types is not None:
        return types
    return ["Ingress", "Egress"] if spec.get("egress") is not None else ["Ingress"]


def set_defaults(policy: dict[str, Any]) -> None:
    """What the API server fills in before it stores a NetworkPolicy
    (``SetDefaults_NetworkPolicy`` and ``SetDefaults_NetworkPolicyPort`` in kubernetes/kubernetes
    ``pkg/apis/networking/v1/defaults.go``): ``policyTypes`` from the sections present, and
    protocol TCP on every port entry. Parts of the wrong type are left for validation."""
    spec = policy.get("spec")
    if not isinstance(spec, dict):
        return
    if not spec.get("policyTypes"):
        spec["policyTypes"] = list(policy_types({**spec, "policyTypes": None}))
    for key in ("ingress", "egress"):
        rules = spec.get(key)
        for rule in rules if isinstance(rules, list) else ():
            ports = rule.get("ports") if isinstance(rule, dict) else None
            for port in ports if isinstance(ports, list) else ():
                if isinstance(port, dict) and port.get("protocol") is None:
                    port["protocol"] = "TCP"


def check_policy(policy: Mapping[str, Any]) -> None:
    """Refuse a NetworkPolicy as the API server would (first error only), naming the field."""
    meta = policy.get("metadata") or {}
    name = meta.get("name", "")
    spec = policy.get("spec")

    def fail(path: str, message: str) -> PolicyError:
        return PolicyError(f'NetworkPolicy.networking.k8s.io "{name}" is invalid: {path}: '
                           f"{message}")

    if not isinstance(spec, Mapping):
        raise fail("spec", "Required value: a NetworkPolicy needs a spec with a podSelector")
    _known(spec, ("podSelector", "ingress", "egress", "policyTypes"), "spec", fail)
    _check_selector(spec.get("podSelector", {}), "spec.podSelector", fail)
    types = spec.get("policyTypes")
    if types is not None:
        if not isinstance(types, list):
            raise fail("spec.policyTypes", "Invalid value: must be a list")
        if len(types) > 2:
            raise fail("spec.policyTypes", invalid(types, "may not specify more than two "
                                                          "policyTypes"))
        for i, value in enumerate(types):
            if value not in ("Ingress", "Egress"):
                raise fail(f"spec.policyTypes[{i}]",
                           unsupported(named(value), ["Ingress", "Egress"]))
    for direction, peers_key in (("ingress", "from"), ("egress", "to")):
        rules = spec.get(direction)
        if rules is None:
            continue
        if not isinstance(rules, list):
            raise fail(f"spec.{direction}", "Invalid value: must be a list of rules")
        for i, rule in enumerate(rules):
            at = f"spec.{direction}[{i}]"
            if not isinstance(rule, Mapping):
                raise fail(at, "Invalid value: a rule is a mapping with "
                               f"{peers_key!r} and 'ports'")
            _known(rule, (peers_key, "ports"), at, fail)
            for j, port in enumerate(_listed(rule.get("ports"), f"{at}.ports", fail)):
                _check_port(port, f"{at}.ports[{j}]", fail)
            for j, peer in enumerate(_listed(rule.get(peers_key), f"{at}.{peers_key}", fail)):
                _check_peer(peer, f"{at}.{peers_key}[{j}]", fail)


def _known(value: Mapping[str, Any], fields: tuple[str, ...], path: str, fail: Any) -> None:
    """Strict field validation, as ``kubectl apply`` asks of the API server by default."""
    for key in value:
        if key not in fields:
            raise fail(f"{path}.{key}" if path else str(key),
                       f"Invalid value: unknown field (strict decoding error); the fields "
                       f"here are {', '.join(fields)}")


def _listed(value: Any, path: str, fail: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(path, "Invalid value: must be a list")
    return value


def _check_selector(selector: Any, path: str, fail: Any) -> None:
    """``ValidateLabelSelector``: matchLabels a map of strings; each requirement a known
    operator, with values for In and NotIn and none for Exists and DoesNotExist."""
    if selector is None:
        return
    if not isinstance(selector, Mapping):
        raise fail(path, "Invalid value: a label selector is a mapping with matchLabels "
                         "and matchExpressions")
    _known(selector, ("matchLabels", "matchExpressions"), path, fail)
    labels = selector.get("matchLabels") or {}
    if not isinstance(labels, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
        raise fail(f"{path}.matchLabels", "Invalid value: must map label names to strings")
    expressions = selector.get("matchExpressions") or []
    if not isinstance(expressions, list):
        raise fail(f"{path}.matchExpressions", "Invalid value: must be a list of requirements")
    for i, expr in enumerate(expressions):
        at = f"{path}.matchExpressions[{i}]"
        if not isinstance(expr, Mapping):
            raise fail(at, "Invalid value: a requirement has key, operator and values")
        _known(expr, ("key", "operator", "values"), at, fail)
        values = expr.get("values")
        if values is not None and not isinstance(values, list):
            raise fail(f"{at}.values", "Invalid value: must be a list of strings")
        try:
            label_selector_matches({"matchExpressions": [expr]}, {})
        except ValueError as err:
            raise fail(f"{at}.operator", f"Invalid value: {err}") from None
        operator = expr["operator"]
        if operator in ("In", "NotIn") and not values:
            raise fail(f"{at}.values", "Required value: must be specified when `operator` is "
                                       "'In' or 'NotIn'")
        if operator in ("Exists", "DoesNotExist") and values:
            raise fail(f"{at}.values", "Forbidden: may not be specified when `operator` is "
                                       "'Exists' or 'DoesNotExist'")


def _check_port(port: Any, path: str, fail: Any) -> None:
    if not isinstance(port, Mapping):
        raise fail(path, "Invalid value: a port entry is a mapping with protocol, port and "
                         "endPort")
    _known(port, ("protocol", "port", "endPort"), path, fail)
    protocol = port.get("protocol")
    if protocol is not None and protocol not in PROTOCOLS:
        raise fail(f"{path}.protocol", unsupported(named(protocol), PROTOCOLS))
    number, end = port.get("port"), port.get("endPort")
    if number is None:
        if end is not None:
            raise fail(f"{path}.endPort", invalid(end, "may not be specified when `port` is "
                                                       "not specified"))
        return
    if isinstance(number, bool) or not isinstance(number, int | str):
        raise fail(f"{path}.port", invalid(number, "must be a number or a port name"))
    if isinstance(number, str):
        if end is not None:
            raise fail(f"{path}.endPort", invalid(end, "may not be specified when `port` is "
                                                       "non-numeric"))
        if len(number) > 15 or not _PORT_NAME.match(number) or "--" in number:
            raise fail(f"{path}.port", invalid(number, "must be no more than 15 characters, "
                                                       "lower-case letters, digits and '-', "
                                                       "with at least one letter (an "
                                                       "IANA_SVC_NAME)"))
        return
    if not 1 <= number <= 65535:
        raise fail(f"{path}.port", invalid(number, "must be between 1 and 65535, inclusive"))
    if end is not None:
        if isinstance(end, bool) or not isinstance(end, int) or not 1 <= end <= 65535:
            raise fail(f"{path}.endPort", invalid(end, "must be between 1 and 65535, "
                                                       "inclusive"))
        if end < number:   # the bad value is the endPort (ValidateNetworkPolicyPort)
            raise fail(f"{path}.endPort", invalid(end, "must be greater than or equal to "
                                                       "`port`"))


def _check_peer(peer: Any, path: str, fail: Any) -> None:
    if not isinstance(peer, Mapping):
        raise fail(path, "Required value: must specify a peer")
    _known(peer, ("podSelector", "namespaceSelector", "ipBlock"), path, fail)
    kinds = [k for k in ("podSelector", "namespaceSelector", "ipBlock") if peer.get(k) is not None]
    if not kinds:
        raise fail(path, "Required value: must specify a peer")
    if "ipBlock" in kinds and len(kinds) > 1:
        raise fail(path, "Forbidden: may not specify both ipBlock and another peer")
    for key in ("podSelector", "namespaceSelector"):
        _check_selector(peer.get(key), f"{path}.{key}", fail)
    block = peer.get("ipBlock")
    if block is None:
        return
    if isinstance(block, Mapping):
        _known(block, ("cidr", "except"), f"{path}.ipBlock", fail)
    _check_ip_block(block, f"{path}.ipBlock", fail)


def _check_ip_block(block: Any, path: str, fail: Any) -> None:
    """``ValidateIPBlock``: ``cidr`` required; it and each ``except`` valid as
    ``IsValidCIDRForLegacyField`` says with the ``StrictIPCIDRValidation`` gate on, its
    default since 1.36 (``010.0.0.0/8`` and ``10.0.0.1/8`` are refused), read as
    ``ParseCIDRSloppy`` reads them (:mod:`clustersim.manifests.kubernetes_ip`); each
    ``except`` a strict subset of ``cidr``. Simplified: an update that keeps an invalid CIDR
    of the stored policy (``AllowCIDRsEvenIfInvalid``) cannot arise here, every stored
    policy having passed this check."""
    text = block.get("cidr") if isinstance(block, Mapping) else None
    if not text:
        raise fail(f"{path}.cidr", "Required value")
    if (problem := cidr_problem(text)) is not None:
        raise fail(f"{path}.cidr", invalid(text, problem))
    cidr = parse_cidr(text)
    for k, excluded_text in enumerate(block.get("except") or ()):
        if (problem := cidr_problem(excluded_text)) is not None:
            raise fail(f"{path}.except[{k}]", invalid(excluded_text, problem))
        excluded = parse_cidr(excluded_text)
        if (cidr is None or excluded is None or excluded.version != cidr.version
                or excluded.prefixlen <= cidr.prefixlen or excluded.network_address not in cidr):
            raise fail(f"{path}.except[{k}]", invalid(excluded_text, "must be a strict "
                                                                     "subset of `cidr`"))
