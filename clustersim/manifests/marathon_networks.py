"""The rules on a Marathon app's or pod's ``networks``, shared by the manifest loader
(:mod:`clustersim.manifests.marathon`) and the served API's reader
(:mod:`clustersim.serve.marathonraml`), in Marathon's words (d2iq-archive/marathon
``api/v2/validation/NetworkValidation.scala`` and ``AppValidation.scala``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clustersim.manifests.marathon_types import Network
from clustersim.manifests.safe_yaml import Document, Path

__all__ = ["NETWORK_NAME_REQUIRED", "check_networks", "lacks_network_name",
           "network_refusals", "network_violations"]


NETWORK_NAME_REQUIRED = "Network name must be specified when container network is selected."
"""``AppValidationMessages.NetworkNameMustBeSpecified`` (d2iq-archive/marathon
``api/v2/validation/AppValidation.scala``)."""


def lacks_network_name(networks: Iterable[tuple[Any, Any]]) -> bool:
    """Whether one of an app's networks, given as ``(mode, name)``, is a container network
    without a name (no mode is a container network): ``validateCanonicalAppAPI`` refuses it
    unless Marathon runs with ``--default_network_name``, which the simulated one does not.
    The mode is compared in any case, as the RAML reader matches an enum
    (:func:`clustersim.serve.marathonraml._enum`)."""
    return any(_mode(mode) == "container" and not name for mode, name in networks)


def _mode(mode: Any) -> str:
    """A network's mode as the RAML reader reads it: in any case, a container network when
    none is given (``network.raml``'s default)."""
    return "container" if mode is None else str(mode).lower()


def network_violations(networks: Iterable[tuple[Any, Any, Any]]) -> list[str]:
    """Marathon's refusals of an app's or a pod's ``networks``, given as ``(mode, name,
    labels)``, in the order it checks them (d2iq-archive/marathon ``api/v2/validation/
    NetworkValidation.scala``, ``ramlNetworksValidator``, which ``validateCanonicalAppAPI``
    and ``PodsValidation.podValidator`` apply to ``networks``): a host network has no name
    or labels, a bridge network no name; no name is used twice, nor is more than one
    container network left unnamed; and the networks are one host network, one bridge
    network, or container networks only."""
    found = [(_mode(mode), name, labels) for mode, name, labels in networks]
    named = [name for _, name, _ in found if name is not None]
    host, bridge, container = (sum(1 for m, _, _ in found if m == mode)
                               for mode in ("host", "container/bridge", "container"))
    violations = []
    if any(mode == "host" and (name or labels) for mode, name, labels in found):
        violations.append("Host networks may not have names or labels")
    if any(mode == "container/bridge" and name for mode, name, _ in found):
        violations.append("Bridge networks may not have names")
    unnamed = sum(1 for mode, name, _ in found if mode == "container" and name is None)
    if unnamed > 1 or any(named.count(name) > 1 for name in named):
        violations.append("Duplicate networks are not allowed")
    if not (host + bridge == 0 or (host + bridge == 1 and container == 0)):
        violations.append("May specify a single host network, single bridge network, or else "
                          "1-to-n container networks")
    return violations


def check_networks(document: Document, at: Path, networks: list[Network] | None, *,
                    named_at: Path) -> None:
    """Refuse an app's or a pod's ``networks`` (at ``at``) as :func:`network_violations`
    does, and a container network without a name, at ``named_at`` (an app's own path, a
    pod's ``networks``), in Marathon's words (:data:`NETWORK_NAME_REQUIRED`)."""
    violations = network_violations((n.mode, n.name, n.labels) for n in networks or [])
    if violations:
        raise document.error(
            at, violations[0],
            "one network of mode host or container/bridge (without a name), or container "
            "networks, each named once",
        )
    if lacks_network_name((network.mode, network.name) for network in networks or []):
        raise document.error(
            named_at,
            NETWORK_NAME_REQUIRED,
            'networks: [{mode: container, name: ...}] (the simulated Marathon runs without '
            "--default_network_name), or mode host or container/bridge",
        )


def network_refusals(spec: dict[str, Any], at: str,
                     named_at: str) -> list[tuple[str, str]]:
    """Accord's refusals of the ``networks`` of an app's or a pod's JSON as the served API
    reads it (before the loader), at ``at``
    (:func:`network_violations`, ``ramlNetworksValidator``),
    and of a container network without a name, at ``named_at``, while Marathon has no
    ``--default_network_name`` (the served ``/v2/info`` reports it null):
    ``validateCanonicalAppAPI`` names the app itself, ``podValidator`` the pod's
    ``/networks`` (d2iq-archive/marathon ``api/v2/validation/``)."""
    networks = spec.get("networks")
    if not isinstance(networks, list):
        return []
    found = [(n.get("mode"), n.get("name"), n.get("labels"))
             for n in networks if isinstance(n, dict)]
    errors = [(at, violation) for violation in network_violations(found)]
    if lacks_network_name((mode, name) for mode, name, _ in found):
        errors.append((named_at, NETWORK_NAME_REQUIRED))
    return errors
