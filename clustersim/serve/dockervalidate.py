"""The refusals of a ServiceSpec that the Docker daemon and swarmkit make before a service is
created or updated, in their words, for :mod:`clustersim.serve.dockerspec`.

A body goes through two checks upstream, in this order:

1. moby's conversion to swarmkit's types (``daemon/cluster/convert/service.go``,
   ``ServiceSpecToGRPC``): an unknown restart condition, update failure action, update order
   or endpoint mode is refused with a plain error, which the daemon answers with 400
   (``daemon/cluster/services.go`` wraps it as ``errdefs.InvalidParameter``);
2. swarmkit's ``validateServiceSpec`` (``manager/controlapi/service.go``): the name, the
   task's resources, restart policy, placement constraints, image and healthcheck, the update
   config, the endpoint. Its refusals are gRPC ``InvalidArgument`` errors (400, ``rpc error:
   code = InvalidArgument desc = …``), except a constraint that does not parse:
   ``validatePlacement`` returns ``constraint.Parse``'s plain error, which gRPC carries as
   ``Unknown`` and the daemon answers with 500.

So the served daemon speaks only upstream's words: the course's Compose reader, which reads
the body next, keeps its field paths and advice for ``docker stack deploy`` files and the
Python library. Simplified (what swarmkit does instead): secrets', configs' and mounts'
references are not checked here; an unknown port protocol or publish mode, which moby's
conversion turns into TCP and ingress without a word, and a published port above 65535,
which swarmkit's allocator refuses after the service is created, are refused here by the
Compose reader, in its words without its field path.
"""

from __future__ import annotations

from typing import Any

from clustersim.goformat import go_quote
from clustersim.imageref import image_problem
from clustersim.manifests.compose_types import constraint_problem, service_name
from clustersim.serve.core import HttpError

__all__ = ["check_service_spec"]

_MIN_NANO_CPUS = 1_000_000
_MIN_MEMORY = 4 * 1024 * 1024
_MIN_HEALTH_NS = 1_000_000
"""swarmkit's ``minimumDuration`` for a healthcheck's periods: 1ms."""


def check_service_spec(body: dict[str, Any]) -> None:
    """Refuse the ServiceSpec ``body`` (field names folded to lower case, types already
    checked by Go's decoder) as the daemon and swarmkit do, first refusal first."""
    problem = _conversion_problem(body)
    if problem is not None:
        raise HttpError(400, problem)
    problem = _validation_problem(body)
    if problem is not None:
        raise HttpError(400, f"rpc error: code = InvalidArgument desc = {problem}")


def _object(mapping: Any, key: str) -> dict[str, Any]:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, dict) else {}


def _conversion_problem(body: dict[str, Any]) -> str | None:
    """moby's ``ServiceSpecToGRPC`` refusals, in its order: the restart policy, the update
    and rollback configs, the endpoint's mode."""
    template = _object(body, "tasktemplate")
    condition = _object(template, "restartpolicy").get("condition") or ""
    if condition not in ("", "none", "on-failure", "any"):
        return f"invalid RestartCondition: {go_quote(condition)}"
    for key in ("updateconfig", "rollbackconfig"):
        config = _object(body, key)
        action, order = config.get("failureaction") or "", config.get("order") or ""
        if action not in ("", "pause", "continue", "rollback"):
            return f"unrecognized update failure action {action}"
        if order not in ("", "stop-first", "start-first"):
            return f"unrecognized update order {order}"
    mode = _object(body, "endpointspec").get("mode") or ""
    if mode not in ("", "vip", "dnsrr"):
        return f"invalid resolution mode: {go_quote(mode)}"
    return None


def _validation_problem(body: dict[str, Any]) -> str | None:
    """swarmkit's ``validateServiceSpec``, in its order (its ``validateTaskSpec`` first)."""
    template = _object(body, "tasktemplate")
    container = _object(template, "containerspec")
    resources = _object(template, "resources")
    restart = _object(template, "restartpolicy")
    update = _object(body, "updateconfig")
    checks = (
        lambda: service_name(str(body.get("name", ""))),
        lambda: _resources_problem(_object(resources, "limits")),
        lambda: _resources_problem(_object(resources, "reservations")),
        lambda: _negative(restart.get("delay"), "TaskSpec: restart-delay cannot be negative"),
        lambda: _negative(restart.get("window"), "TaskSpec: restart-window cannot be negative"),
        lambda: _placement_problem(_object(template, "placement")),
        lambda: _image_problem(container.get("image") or ""),
        lambda: _health_problem(_object(container, "healthcheck")),
        lambda: _negative(update.get("delay"), "TaskSpec: update-delay cannot be negative"),
        lambda: _negative(update.get("monitor"), "TaskSpec: update-monitor cannot be negative"),
        lambda: None if 0 <= (update.get("maxfailureratio") or 0) <= 1 else
        "TaskSpec: update-maxfailureratio cannot be less than 0 or bigger than 1",
        lambda: _endpoint_problem(_object(body, "endpointspec")),
    )
    return next((p for p in (check() for check in checks) if p is not None), None)


def _negative(value: Any, message: str) -> str | None:
    return message if isinstance(value, int) and value < 0 else None


def _resources_problem(resources: dict[str, Any]) -> str | None:
    """``validateResources``: a CPU amount under a thousandth of a CPU, or memory under
    4MiB, unless zero (Go's ``%g`` of the CPUs is Python's shortest ``repr``)."""
    cpus, memory = resources.get("nanocpus") or 0, resources.get("memorybytes") or 0
    if cpus and cpus < _MIN_NANO_CPUS:
        return (f"invalid cpu value {cpus / 1e9!r}: Must be at least "
                f"{_MIN_NANO_CPUS / 1e9!r}")
    if memory and memory < _MIN_MEMORY:
        return f"invalid memory value {memory}: Must be at least 4MiB"
    return None


def _placement_problem(placement: dict[str, Any]) -> str | None:
    """``validatePlacement``: ``constraint.Parse``'s plain error, which reaches the client as
    gRPC ``Unknown`` (raised here, as it is answered differently)."""
    for text in placement.get("constraints") or []:
        problem = constraint_problem(text)
        if problem is not None:
            raise HttpError(500, f"rpc error: code = Unknown desc = {problem}")
    return None


def _image_problem(image: str) -> str | None:
    """``validateImage``: the reference must be given and parse; swarmkit quotes it with
    Go's ``%q`` and drops the parser's reason."""
    if not image:
        return "ContainerSpec: image reference must be provided"
    if image_problem(image):
        return f"ContainerSpec: {go_quote(image)} is not a valid repository/tag"
    return None


def _health_problem(check: dict[str, Any]) -> str | None:
    """``validateHealthCheck``: a period set under 1ms, or negative retries."""
    for key, field in (("interval", "Interval"), ("timeout", "Timeout"),
                       ("startperiod", "StartPeriod")):
        value = check.get(key) or 0
        if value and value < _MIN_HEALTH_NS:
            return f"ContainerSpec: {field} in HealthConfig cannot be less than 1ms"
    if (check.get("retries") or 0) < 0:
        return "ContainerSpec: Retries in HealthConfig cannot be negative"
    return None


def _endpoint_problem(endpoint: dict[str, Any]) -> str | None:
    """``validateEndpointSpec``: a port the routing mesh publishes cannot go with DNS
    round-robin, and no two ports may publish the same number and protocol (an unset
    publish mode is ingress, an unset protocol TCP, as moby converts them)."""
    seen: set[tuple[int, str]] = set()
    for port in endpoint.get("ports") or []:
        port = port if isinstance(port, dict) else {}
        ingress = (port.get("publishmode") or "ingress") == "ingress"
        if endpoint.get("mode") == "dnsrr" and ingress:
            return ("EndpointSpec: port published with ingress mode can't be used with "
                    "dnsrr mode")
        published = port.get("publishedport") or 0
        if not published:
            continue
        protocol = (port.get("protocol") or "tcp").lower()
        key = (published, protocol if protocol in ("udp", "sctp") else "tcp")
        if key in seen:
            return "EndpointSpec: duplicate published ports provided"
        seen.add(key)
    return None
