"""The kubelet's prober, as arithmetic: when a probe that always succeeds has passed.

Upstream a probe worker (kubernetes/kubernetes ``pkg/kubelet/prober/worker.go``) runs each
probe every ``periodSeconds`` (default 10), ignores results before ``initialDelaySeconds``
(counted from the container's ``startedAt``), and counts a probe passed after
``successThreshold`` (default 1) successes in a row. Probes always succeed in the
simulator, so a probe has passed at ``start + ceil(initialDelay / period) × period +
(successThreshold − 1) × period`` (upstream also adds a random start jitter).

Each container has its own workers, so each is started and ready on its own
(``UpdatePodStatus`` in ``pkg/kubelet/prober/prober_manager.go``): it is started once its
``startupProbe`` has passed (at once without one), and ready once started and its readiness
probe has passed (at once without one). ``doProbe`` runs no readiness probe before the
container has started, so the first readiness period counted is the first one at or after
both the initial delay and the startup probe's success. A sidecar's ``startupProbe`` also
decides when the next init container may start.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.defaults import PROBE_DEFAULTS

__all__ = ["probe_delay", "ready_delay", "started_delay"]


def started_delay(container: Mapping[str, Any]) -> float:
    """Seconds from the container's start until it is started (its startup probe passed)."""
    return probe_delay(container.get("startupProbe"))


def ready_delay(container: Mapping[str, Any]) -> float:
    """Seconds from the container's start until it is ready: started, and its readiness
    probe passed, probed only from then on (module docstring)."""
    started = started_delay(container)
    probe = container.get("readinessProbe")
    return probe_delay(probe, not_before=started) if probe else started


def probe_delay(probe: Mapping[str, Any] | None, *, not_before: float = 0.0) -> float:
    """Seconds from a container's start until ``probe`` has passed, its first counted run
    not before ``initialDelaySeconds`` nor ``not_before`` seconds."""
    if not probe:
        return not_before
    period = probe.get("periodSeconds") or PROBE_DEFAULTS["periodSeconds"]
    initial = max(probe.get("initialDelaySeconds") or 0, not_before)
    successes = probe.get("successThreshold") or PROBE_DEFAULTS["successThreshold"]
    return math.ceil(initial / period) * period + (successes - 1) * period
