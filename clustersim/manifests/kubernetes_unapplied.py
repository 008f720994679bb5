"""Fields the loader accepts, as the API server does, that the simulator does not apply.

A warning names each one found, so that a simulated run is not read as what a cluster would
do with it. A Job's ``successPolicy`` (GA in v1.33) is read by upstream's Job controller
(kubernetes/kubernetes ``pkg/controller/job/success_policy.go``); the simulated one
(:mod:`clustersim.kubernetes.controllers.job`) ignores it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["unapplied_warnings"]

_JOB_FIELDS = {
    "successPolicy": (
        "the simulated Job completes only when all its completions succeed; a real one "
        "completes once a rule's succeededIndexes or succeededCount is met (condition "
        "SuccessCriteriaMet) and deletes the pods still running"),
}
_JOB_SPECS = {"Job": ("spec",), "CronJob": ("spec", "jobTemplate", "spec")}
"""Where each kind holds a Job spec."""


def unapplied_warnings(kind: str, data: Mapping[str, Any]) -> list[str]:
    """A warning for each field of the object ``data`` that is accepted but not applied."""
    path = _JOB_SPECS.get(kind)
    if path is None:
        return []
    spec: Any = data
    for key in path:
        spec = spec.get(key) if isinstance(spec, Mapping) else None
    if not isinstance(spec, Mapping):
        return []
    where = ".".join(path)
    return [f"{where}.{field} is accepted but not applied: {why}"
            for field, why in _JOB_FIELDS.items() if spec.get(field) is not None]
