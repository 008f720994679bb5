"""An Indexed Job's ``successPolicy``: when it is done before every index has succeeded.

Upstream: kubernetes/kubernetes ``pkg/controller/job/success_policy.go``
(``matchSuccessPolicy``, ``matchSucceededIndexesRule``), GA in v1.33. Docs:
https://kubernetes.io/docs/concepts/workloads/controllers/job/#success-policy

The rules are tried in order. A rule with ``succeededIndexes`` (intervals such as ``"0,2-4"``,
read as ``status.completedIndexes`` is) is met when all those indexes succeeded, or, with
``succeededCount``, that many of them; a rule with only ``succeededCount`` when that many
indexes succeeded. A rule whose intervals name no index below ``completions`` is skipped.
The Job controller then sets the condition ``SuccessCriteriaMet`` and completes the Job
(reason ``SuccessPolicy``, message "Matched rules at index N"), deleting the pods that still
run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clustersim.kubernetes.controllers.indexedjob import parse_indexes

__all__ = ["success_policy_met"]


def success_policy_met(policy: Mapping[str, Any] | None, completions: int,
                       succeeded: set[int]) -> str | None:
    """The message of the first rule of ``policy`` the ``succeeded`` indexes meet, or None."""
    if not policy or not succeeded:
        return None
    for index, rule in enumerate(policy.get("rules") or []):
        count = rule.get("succeededCount")
        if rule.get("succeededIndexes") is not None:
            required = parse_indexes(str(rule["succeededIndexes"]), completions)
            if not required:
                continue
            done = len(required & succeeded)
            met = done == len(required) if count is None else done >= count
        else:
            met = count is not None and len(succeeded) >= count
        if met:
            return f"Matched rules at index {index}"
    return None
