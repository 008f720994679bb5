"""What swarmkit refuses of a service's health check, and what docker/cli refuses while it
converts a Compose ``healthcheck`` (about 100 lines).

swarmkit's control API checks the ``HealthConfig`` of every service it creates or updates
(moby/swarmkit ``manager/controlapi/service.go``, ``validateHealthCheck``): an interval,
timeout or start period that is set (not 0) must be at least 1 ms (``minimumDuration``), and
retries may not be negative; each refusal is a gRPC ``InvalidArgument``, "ContainerSpec:
Interval in HealthConfig cannot be less than 1ms". The served daemon answers a ServiceSpec
with it (:mod:`clustersim.serve.dockervalidate`) and the Compose loader refuses a stack file
with it, as ``docker stack deploy`` would see the daemon refuse the service.

swarmkit does not check ``start_interval``: a service with one under 1 ms (or negative) is
created, and the engine of each node refuses its container when it creates it (moby
``daemon/container.go``, ``validateContainerConfig`` then ``validateHealthCheck``:
"StartInterval in Healthcheck cannot be less than 1ms"), before it looks at the host
config's ports; the task is REJECTED and the orchestrator replaces it
(:func:`engine_problem`, :func:`clustersim.swarm.agent.container_refusal`). Not modelled:
the engine's container-create route drops ``StartInterval`` from a request of API version
1.43 or older (moby ``api/server/router/container/container_routes.go``, "StartInterval was
added in API 1.44"); whether the service routes do the same for a ServiceSpec was not
confirmed, so the served daemon keeps it whatever version the client speaks.

Before that, docker/cli refuses a Compose health check with both ``disable: true`` and a
``test`` (``convertHealthcheck`` in ``cli/compose/convert/service.go``: "test and disable
can't be set at the same time"). A ``test`` written as a string is ``CMD-SHELL`` and that
string (``transformHealthCheckTest`` in ``cli/compose/loader/loader.go``), so ``test: ""``
is a test; only an empty list, ``test: []``, is none, and the engine then inherits the
image's own ``HEALTHCHECK`` (moby ``api/types/container``, ``HealthConfig.Test``: "An empty
slice means to inherit the default"). docker/cli sends a disabled check as
``Test: ["NONE"]`` with no periods.
"""

from __future__ import annotations

from typing import Any

from clustersim.manifests.units import go_duration

__all__ = ["MIN_PERIOD_NS", "compose_health_problem", "compose_test", "disable_problem",
           "engine_problem", "health_problem"]

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


def engine_problem(start_interval_ns: int) -> str | None:
    """The engine's refusal of a container whose health check has this ``StartInterval`` (in
    nanoseconds, 0: not set), or ``None``: the one period swarmkit lets through (module
    docstring)."""
    if start_interval_ns and start_interval_ns < MIN_PERIOD_NS:
        return "StartInterval in Healthcheck cannot be less than 1ms"
    return None


def compose_test(test: str | list[str] | None) -> tuple[str, ...]:
    """The ``Test`` docker/cli sends for a Compose ``test``: a string is ``CMD-SHELL`` and
    the string, an empty one included; a list as it is (module docstring)."""
    if test is None:
        return ()
    return ("CMD-SHELL", test) if isinstance(test, str) else tuple(str(word) for word in test)


def disable_problem(healthcheck: Any) -> str | None:
    """docker/cli's refusal of a loaded Compose ``healthcheck``
    (:class:`~clustersim.manifests.compose_types.Healthcheck`): both ``disable`` and a
    ``test`` (``test: ""`` too, which docker/cli reads as ``["CMD-SHELL", ""]``)."""
    if healthcheck is not None and healthcheck.disable and compose_test(healthcheck.test):
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
