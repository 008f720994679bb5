"""The checks of the three foundation chapters under one name, the one the exercise notebooks
import: :mod:`~clustersim.exercises.containers`, :mod:`~clustersim.exercises.management` and
:mod:`~clustersim.exercises.orchestration` (one module per chapter).
"""

from __future__ import annotations

from clustersim.exercises.containers import (
    CGROUP_CONTAINERS,
    CPU_PERIOD,
    IMAGE_REFERENCES,
    NAMESPACE_KINDS,
    NAMESPACE_SHORT_NAMES,
    NAMESPACE_SITUATIONS,
    check_cgroup_limits,
    check_namespaces,
    check_pinned_references,
    cpu_max,
    is_pinned,
)
from clustersim.exercises.management import (
    BY_HAND_JOBS,
    COMPOSE_ACTIONS,
    COMPOSE_SITUATION,
    K8S_MECHANISMS,
    ORCHESTRATOR_JOBS,
    RESTART_SCENARIOS,
    check_by_hand_jobs,
    check_compose_up,
    check_restart_policy,
)
from clustersim.exercises.orchestration import (
    DESIRED,
    HAND_EDITS,
    OBSERVED,
    PROBE,
    check_filter_rank,
    check_hand_edits,
    check_reconcile,
    filter_rank_cluster,
    hand_edits_run,
    reconcile,
)

__all__ = [
    "BY_HAND_JOBS",
    "CGROUP_CONTAINERS",
    "COMPOSE_ACTIONS",
    "COMPOSE_SITUATION",
    "CPU_PERIOD",
    "DESIRED",
    "HAND_EDITS",
    "IMAGE_REFERENCES",
    "K8S_MECHANISMS",
    "NAMESPACE_KINDS",
    "NAMESPACE_SHORT_NAMES",
    "NAMESPACE_SITUATIONS",
    "OBSERVED",
    "ORCHESTRATOR_JOBS",
    "PROBE",
    "RESTART_SCENARIOS",
    "check_by_hand_jobs",
    "check_cgroup_limits",
    "check_compose_up",
    "check_filter_rank",
    "check_hand_edits",
    "check_namespaces",
    "check_pinned_references",
    "check_reconcile",
    "check_restart_policy",
    "cpu_max",
    "filter_rank_cluster",
    "hand_edits_run",
    "is_pinned",
    "reconcile",
]
