"""What swarmkit refuses of a service's health check, and what docker/cli refuses while it
converts a Compose ``healthcheck`` (about 75 lines).

swarmkit's control API checks the ``HealthConfig`` of every service it creates or updates
(moby/swarmkit ``manager/controlapi/service.go``, ``validateHealthCheck``): an interval,
timeout or start period that is set (not 0) must be at least 1 ms (``minimumDuration``), and
retries may not be negative; each refusal is a gRPC ``InvalidArgument``, "ContainerSpec:
Interval in HealthConfig cannot be less than 1ms". The served daemon answers a ServiceSpec
with it (:mod:`clustersim.serve.dockervalidate`) and the Compose loader refuses a stack file
with it, as ``docker stack deploy`` would see the daemon refuse the service. Simplified:
swarmkit does not check ``start_interval``; the engine refuses one under 1 ms when it creates
each task's container (moby ``daemon/container.go``, ``validateHealthCheck``: "StartInterval
in Healthcheck cannot be less than 1ms"), which the simulator does not model.

Before that, docker/cli refuses a Compose health check with both ``disable: true`` and a
``test`` (``convertHealthcheck`` in ``cli/compose/convert/service.go``: "test and disable
can't be set at the same time"; an empty ``test: []`` is no test), and sends a disabled one
as ``Test: ["NONE"]`` with no periods.
"""

from __future__ import annotations

from typing import Any

from clustersim.manifests.units import go_duration

__all__ = ["MIN_PERIOD_NS", "compose_health_problem", "disable_problem", "health_problem"]

MIN_PERIOD_NS = 1_000_000
"""swarmkit's ``minimumDuration`` for a health check's periods: 1ms."""

_PERIODS = (("interval", "Interval", "interval"), ("timeout", "Timeout", "timeout"),
            ("startperiod", "StartPeriod", "start_period"))
"""Each period checked, in swarmkit's order: the Engine API's name folded to lower case, its
Go field, and the Compose key."""


def _refusal(check: dict[str, Any]) -> tuple[str, str] | None:
    """The Compose key and swarmkit's refusal of ``check`` (Engine API names folded to lower
    case, periods in nanoseconds, 0 or missing: not set), or ``None``."""
    for key, field, compose_key in _PERIODS:
        value = check.get(key) or 0
        if value and value < MIN_PERIOD_NS:
            return compose_key, f"ContainerSpec: {field} in HealthConfig cannot be less than 1ms"
    if (check.get("retries") or 0) < 0:
        return "retries", "ContainerSpec: Retries in HealthConfig cannot be negative"
    return None


def health_problem(check: dict[str, Any]) -> str | None:
    """``validateHealthCheck``'s refusal of a HealthConfig (its names folded to lower case,
    its periods in nanoseconds), or ``None``."""
    found = _refusal(check)
    return None if found is None else found[1]


def disable_problem(healthcheck: Any) -> str | None:
    """docker/cli's refusal of a loaded Compose ``healthcheck``
    (:class:`~clustersim.manifests.compose_types.Healthcheck`): both ``disable`` and a
    ``test``."""
    if healthcheck is not None and healthcheck.disable and healthcheck.test:
        return "test and disable can't be set at the same time"
    return None


def compose_health_problem(healthcheck: Any) -> tuple[str, str] | None:
    """The Compose key and swarmkit's refusal of the health check docker/cli sends for a
    loaded Compose ``healthcheck``, or ``None`` (a disabled one sends no periods)."""
    if healthcheck is None or healthcheck.disable:
        return None
    return _refusal({key: round(go_duration(getattr(healthcheck, compose_key)) * 1e9)
                     for key, _, compose_key in _PERIODS
                     if getattr(healthcheck, compose_key) is not None})
