"""A Job's ``podFailurePolicy``: what a failed pod's exit codes or conditions make of it.

Upstream: kubernetes/kubernetes ``pkg/controller/job/pod_failure_policy.go``
(``matchPodFailurePolicy``, ``matchOnExitCodes``, ``matchOnPodConditions``), GA in v1.31.
Docs: https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy

The rules are tried in order and the first that matches decides: ``FailJob`` fails the Job
(reason ``PodFailurePolicy``, the rule's message), ``Ignore`` keeps the failure out of
``status.failed`` and the back-off limits, ``Count`` counts it as usual and ``FailIndex``
fails the pod's index for good (with ``backoffLimitPerIndex``); a failure no rule matches is
counted. ``onExitCodes`` matches a container (of ``containerName``, if given) that ended
with a non-zero exit code ``In`` or ``NotIn`` its ``values``; ``onPodConditions`` a pod
condition of that type and status (defaulted to ``True`` by ``set_job_defaults``), such as
``DisruptionTarget``, which the simulated kubelet's eviction sets.

Simplified: the simulated kubelet ends all of a pod's app containers at once with one exit
code (``clustersim.io/exit-code``, or a broken image's), so every container of a failed pod
reports that code; a failed pod without one (evicted) reports 1, as ``kubectl`` shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["FAIL_INDEX", "FAIL_JOB", "IGNORE", "exit_code", "match_pod_failure_policy"]

FAIL_JOB, FAIL_INDEX, IGNORE, COUNT = "FailJob", "FailIndex", "Ignore", "Count"


def exit_code(pod: Mapping[str, Any]) -> int | None:
    """The exit code the finished pod's containers ended with, None while it runs."""
    status = pod.get("status") or {}
    phase = status.get("phase")
    if phase not in ("Succeeded", "Failed"):
        return None
    return int(status.get("exitCode", 0 if phase == "Succeeded" else 1))


def _exit_code_match(pod: Mapping[str, Any], requirement: Mapping[str, Any]) -> str | None:
    """The name of the first container whose exit code meets ``requirement``, or None."""
    code = exit_code(pod)
    if not code:
        return None
    values = requirement.get("values") or []
    operator = requirement.get("operator")
    if operator == "In":
        matched = code in values
    elif operator == "NotIn":
        matched = code not in values
    else:
        return None
    wanted = requirement.get("containerName")
    for container in (pod.get("spec") or {}).get("containers") or []:
        if matched and wanted in (None, container.get("name")):
            return str(container.get("name"))
    return None


def _condition_match(pod: Mapping[str, Any], patterns: list[Mapping[str, Any]]) -> str | None:
    """The type of the first pod condition a pattern matches, or None."""
    for cond in (pod.get("status") or {}).get("conditions") or []:
        for pattern in patterns:
            if cond.get("type") == pattern.get("type") and \
                    cond.get("status") == pattern.get("status"):
                return str(cond["type"])
    return None


def match_pod_failure_policy(policy: Mapping[str, Any] | None, pod: Mapping[str, Any]
                             ) -> tuple[str | None, bool, str | None]:
    """For the failed ``pod``: the message that fails its Job (``FailJob``), whether the
    failure counts, and the action of the rule that matched (None: no rule matched)."""
    meta = pod.get("metadata") or {}
    where = f"{meta.get('namespace', 'default')}/{meta.get('name')}"
    for index, rule in enumerate((policy or {}).get("rules") or []):
        action = rule.get("action")
        if rule.get("onExitCodes") is not None:
            container = _exit_code_match(pod, rule["onExitCodes"])
            if container is None:
                continue
            message = (f"Container {container} for pod {where} failed with exit code "
                       f"{exit_code(pod)} matching {action} rule at index {index}")
        elif rule.get("onPodConditions") is not None:
            kind = _condition_match(pod, rule["onPodConditions"])
            if kind is None:
                continue
            message = f"Pod {where} has condition {kind} matching {action} rule at index {index}"
        else:
            continue
        if action == IGNORE:
            return None, False, IGNORE
        if action in (FAIL_INDEX, COUNT):
            return None, True, action
        if action == FAIL_JOB:
            return message, True, FAIL_JOB
    return None, True, None
