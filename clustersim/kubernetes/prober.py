"""The kubelet's prober, as arithmetic: when a probe that always succeeds has passed.

Upstream a probe worker (kubernetes/kubernetes ``pkg/kubelet/prober/worker.go``) runs each
probe every ``periodSeconds`` (default 10), ignores results before ``initialDelaySeconds``,
and counts a probe passed after ``successThreshold`` (default 1) successes in a row. Probes
always succeed in the simulator, so a probe has passed at ``start + ceil(initialDelay /
period) × period + (successThreshold − 1) × period`` (upstream also adds a random start
jitter). A container without a readiness probe is ready when it starts; a sidecar's
``startupProbe`` decides when the next init container may start.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.defaults import PROBE_DEFAULTS

__all__ = ["probe_delay", "readiness_delay"]


def readiness_delay(container: Mapping[str, Any]) -> float:
    """Seconds from the container's start until it is Ready."""
    return probe_delay(container.get("readinessProbe"))


def probe_delay(probe: Mapping[str, Any] | None) -> float:
    """Seconds from a container's start until ``probe`` has passed."""
    if not probe:
        return 0.0
    period = probe.get("periodSeconds") or PROBE_DEFAULTS["periodSeconds"]
    initial = probe.get("initialDelaySeconds") or 0
    successes = probe.get("successThreshold") or PROBE_DEFAULTS["successThreshold"]
    return math.ceil(initial / period) * period + (successes - 1) * period
