"""Values of a Compose service that docker/cli's schema passes and a later stage refuses, so
that the loader reports them where ``docker stack deploy`` meets them.

The v3 schemas type a ``cpus``, a restart ``condition`` and a placement constraint as plain
strings (docker/cli ``cli/compose/schema/data/config_schema_v3.*.json``), so ``"abc"``,
``always`` and ``node.role=manager`` pass the schema and the loading. They are refused later,
each by another stage:

- ``cpus`` (limits, then reservations): docker/cli's converter, ``convertResources`` in
  ``cli/compose/convert/service.go`` (``opts.ParseCPUs``), after the mode and the volumes
  and before the health check and the networks (``resources`` stage);
- a restart ``condition``: the daemon, while it converts the ServiceSpec it received
  (moby ``daemon/cluster/convert/service.go``, ``restartPolicyToGRPC``: ``invalid
  RestartCondition``), before swarmkit's checks (``restart`` stage);
- a placement constraint: swarmkit's control API (``manager/controlapi/service.go``,
  ``validateTaskSpec``: ``validatePlacement`` after the name and before the container spec,
  so before a missing image or a health check period) (``placement`` stage).

The models of :mod:`~clustersim.manifests.compose_types` refuse each such value where it is
read; :func:`late_values` finds them before the service is validated, the service is
validated with a valid stand-in for each (:func:`stand_ins`: the checks that come first
read none of these fields) and :func:`late_error` gives each value's refusal in the
model's words, which :mod:`~clustersim.manifests.compose` raises at its stage.
Simplified: the loader keeps its own words for each refusal (the daemon says ``invalid
RestartCondition: "always"``), and refuses every ``cpus`` the loader cannot read at
docker/cli's stage, where a negative one passes ``opts.ParseCPUs`` and swarmkit refuses it
(``validateResources``, "invalid cpu value").
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any, get_args

from clustersim.manifests.compose_types import RestartCondition, constraint_problem
from clustersim.manifests.errors import ManifestError
from clustersim.manifests.safe_yaml import Document, Path
from clustersim.manifests.units import compose_cpus
from clustersim.manifests.validation import validate

__all__ = ["STAGES", "LateValue", "late_error", "late_values", "stand_ins", "typed_with_stand_ins"]

STAGES = ("resources", "restart", "placement")
"""The stages that refuse a late value, in the order ``docker stack deploy`` meets them."""

LateValue = tuple[Path, str, str]
"""A refused value's place in its service, its stage and the valid stand-in validated
in its place."""


def _bad_cpus(value: Any) -> bool:
    try:
        compose_cpus(value)
    except ValueError:
        return True
    return False


def late_values(service: Any) -> list[LateValue]:
    """Each string of ``service`` (a Compose service as written) at a late place that its
    stage refuses, in the order docker/cli and the daemon meet them; a value of another
    type is the schema's to refuse, first."""
    deploy = service.get("deploy") if isinstance(service, dict) else None
    if not isinstance(deploy, dict):
        return []
    found: list[LateValue] = []
    resources = deploy.get("resources")
    for kind in ("limits", "reservations"):
        amounts = resources.get(kind) if isinstance(resources, dict) else None
        cpus = amounts.get("cpus") if isinstance(amounts, dict) else None
        if isinstance(cpus, str) and _bad_cpus(cpus):
            found.append((("deploy", "resources", kind, "cpus"), "resources", "0"))
    policy = deploy.get("restart_policy")
    condition = policy.get("condition") if isinstance(policy, dict) else None
    if isinstance(condition, str) and condition not in get_args(RestartCondition):
        found.append((("deploy", "restart_policy", "condition"), "restart", "any"))
    placement = deploy.get("placement")
    rules = placement.get("constraints") if isinstance(placement, dict) else None
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, str) and constraint_problem(rule) is not None:
            found.append((("deploy", "placement", "constraints", index), "placement",
                          f"node.id!=late-{index}"))
    return found


def _place(service: dict[str, Any], where: Path, value: Any) -> None:
    """Put ``value`` at ``where`` in ``service``, in place."""
    holder: Any = service
    for part in where[:-1]:
        holder = holder[part]
    holder[where[-1]] = value


def stand_ins(service: dict[str, Any], late: list[LateValue]) -> dict[str, Any]:
    """A deep copy of ``service`` with each late value replaced by its stand-in (one copy for
    them all: a copy per value made a service of thousands of bad constraints quadratic)."""
    result = deepcopy(service)
    for where, _, stand_in in late:
        _place(result, where, stand_in)
    return result


def _with_service(document: Document, name: str, service: dict[str, Any]) -> Document:
    return document.sub((), {**document.data,
                             "services": {**document.data["services"], name: service}})


def typed_with_stand_ins(model: Any, document: Document, name: str,
                         late: list[LateValue]) -> Any:
    """Service ``name`` of ``document`` validated with ``model``, each late value replaced by
    its stand-in."""
    service = stand_ins(document.data["services"][name], late)
    return validate(model, _with_service(document, name, service), ("services", name),
                    compose=True)


def late_error(model: Any, document: Document, name: str, late: list[LateValue],
               value: LateValue) -> ManifestError:
    """The model's refusal of the late ``value`` of service ``name`` (its other late values
    stood in for), at its place in the file."""
    original = document.data["services"][name]
    where = value[0]
    holder: Any = original
    for part in where:
        holder = holder[part]
    service = stand_ins(original, late)
    _place(service, where, holder)
    try:
        validate(model, _with_service(document, name, service), ("services", name),
                 compose=True)
    except ManifestError as err:
        return err
    raise AssertionError(f"{where} of service {name} was found refused and then validated")
