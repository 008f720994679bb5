"""The API server's checks of a Job's ``podFailurePolicy``, ``successPolicy`` and
``podReplacementPolicy`` that no single field's type can make.

Upstream: kubernetes/kubernetes ``pkg/apis/batch/validation/validation.go``
(``validateJobSpec``, ``validatePodFailurePolicy``, ``validatePodFailurePolicyRule``,
``validatePodFailurePolicyRuleOnExitCodes``, ``validatePodFailurePolicyRuleOnPodConditions``,
``validatePodReplacementPolicy``, ``validateSuccessPolicy``, ``validateSuccessPolicyRule``,
``validateIndexesFormat``, ``parseIndexInterval``). The types (an action, an operator or a
condition status out of its list, an exit code that is not a whole number) are refused by
:mod:`clustersim.manifests.kubernetes_types` first, as the decoder and ``field.NotSupported``
refuse them. Every problem is reported, as the API server lists all of an object's errors.

Simplified: ``succeededIndexes`` longer than 64 KiB (``field.TooLong`` upstream) is not
checked; a successPolicy printed in a message has its keys sorted, where Go's JSON keeps the
struct's order (``succeededIndexes`` first).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from clustersim.goformat import NumError, atoi, go_quote
from clustersim.manifests.kubernetes_errors import invalid, unsupported
from clustersim.manifests.safe_yaml import Path

__all__ = ["job_policy_refusals", "validate_indexes_format"]

MAX_POD_FAILURE_POLICY_RULES = 20
MAX_EXIT_CODE_VALUES = 255
MAX_POD_CONDITION_PATTERNS = 20
MAX_SUCCESS_POLICY_RULES = 20

Refusal = tuple[Path, str, str]
"""(path below the Job's spec, the API server's message, what would be right)."""


def _too_many(count: int, most: int) -> str:
    """``field.TooMany``'s body."""
    return f"Too many: {count}: must have at most {most} items"


def _index(text: str, completions: int) -> int:
    """One end of an index interval, as ``strconv.Atoi`` reads it, below ``completions``."""
    try:
        index = atoi(text)
    except NumError:
        raise ValueError(f"cannot convert string to integer for index: {go_quote(text)}"
                         ) from None
    if index >= completions:
        raise ValueError(f"too large index: {go_quote(text)}")
    return index


def validate_indexes_format(text: str, completions: int) -> int:
    """How many indexes the interval list ``text`` (``"0,2-4"``) names; ValueError, in the
    API server's words, for a list that is not increasing intervals below ``completions``."""
    total, last = 0, None
    for interval in text.split(",") if text else ():
        ends = interval.split("-")
        if len(ends) > 2:
            raise ValueError(f'the fragment "{interval}" violates the requirement that an '
                             "index interval can have at most two parts separated by '-'")
        first = _index(ends[0], completions)
        end = _index(ends[1], completions) if len(ends) == 2 else first
        if len(ends) == 2 and first >= end:
            raise ValueError(f"non-increasing order, previous: {first}, current: {end}")
        if last is not None and last >= first:
            raise ValueError(f"non-increasing order, previous: {last}, current: {first}")
        total += end - first + 1
        last = end
    return total


def _exit_codes(requirement: Any, path: Path, containers: set[str]) -> Iterator[Refusal]:
    """``validatePodFailurePolicyRuleOnExitCodes``."""
    name = requirement.container_name
    if name is not None and name not in containers:
        yield ((*path, "containerName"), invalid(
            name, "must be one of the container or initContainer names in the pod template"),
            "the name of one of the template's containers, or no containerName")
    values: list[int] = requirement.values or []
    if not values:
        yield ((*path, "values"), invalid(requirement.values, "at least one value is required"),
               "values: a list of exit codes")
    elif len(values) > MAX_EXIT_CODE_VALUES:
        yield ((*path, "values"), _too_many(len(values), MAX_EXIT_CODE_VALUES),
               f"at most {MAX_EXIT_CODE_VALUES} exit codes")
    for j, value in enumerate(values):
        if requirement.operator == "In" and value == 0:
            yield ((*path, "values", j), invalid(0, "must not be 0 for the In operator"),
                   "non-zero exit codes (0 is a success)")
        if value in values[:j]:
            yield ((*path, "values", j), f"Duplicate value: {value}", "each exit code once")
    if values != sorted(values):
        yield ((*path, "values"), invalid(values, "must be ordered"),
               "the exit codes in increasing order")


def _pod_failure_policy(spec: Any, pod: Any) -> Iterator[Refusal]:
    """``validatePodFailurePolicy`` and ``validatePodFailurePolicyRule``."""
    rules = spec.pod_failure_policy.rules or []
    if len(rules) > MAX_POD_FAILURE_POLICY_RULES:
        yield (("podFailurePolicy", "rules"), _too_many(len(rules), MAX_POD_FAILURE_POLICY_RULES),
               f"at most {MAX_POD_FAILURE_POLICY_RULES} rules")
    containers = {c.name for c in [*(pod.containers or []), *(pod.init_containers or [])]}
    for i, rule in enumerate(rules):
        path: Path = ("podFailurePolicy", "rules", i)
        if rule.action == "FailIndex" and spec.backoff_limit_per_index is None:
            yield ((*path, "action"),
                   invalid("FailIndex", "requires the backoffLimitPerIndex to be set"),
                   "backoffLimitPerIndex (with completionMode: Indexed), or another action")
        if rule.on_exit_codes is not None:
            yield from _exit_codes(rule.on_exit_codes, (*path, "onExitCodes"), containers)
        patterns = rule.on_pod_conditions or []
        if len(patterns) > MAX_POD_CONDITION_PATTERNS:
            yield ((*path, "onPodConditions"),
                   _too_many(len(patterns), MAX_POD_CONDITION_PATTERNS),
                   f"at most {MAX_POD_CONDITION_PATTERNS} patterns")
        if rule.on_exit_codes is not None and patterns:
            yield (path, "Invalid value: specifying both OnExitCodes and OnPodConditions is "
                   "not supported", "onExitCodes or onPodConditions, in two rules if need be")
        if rule.on_exit_codes is None and not patterns:
            yield (path, "Invalid value: specifying one of OnExitCodes and OnPodConditions is "
                   "required", "onExitCodes or onPodConditions")


def _success_policy(spec: Any) -> Iterator[Refusal]:
    """``validateSuccessPolicy`` and ``validateSuccessPolicyRule`` (an Indexed Job's)."""
    rules = spec.success_policy.rules or []
    completions = spec.completions
    if not rules:
        yield (("successPolicy", "rules"), "Required value: at least one rules must be "
               "specified when the successPolicy is specified", "rules: a list of rules")
    if len(rules) > MAX_SUCCESS_POLICY_RULES:
        yield (("successPolicy", "rules"), _too_many(len(rules), MAX_SUCCESS_POLICY_RULES),
               f"at most {MAX_SUCCESS_POLICY_RULES} rules")
    if completions is None:     # refused already: Indexed mode requires completions
        return
    for i, rule in enumerate(rules):
        path: Path = ("successPolicy", "rules", i)
        count, indexes = rule.succeeded_count, rule.succeeded_indexes
        if count is None and indexes is None:
            yield (path, "Required value: at least one of succeededCount or succeededIndexes "
                   "must be specified", "succeededIndexes, succeededCount or both")
        total = 0
        if indexes is not None:
            try:
                total = validate_indexes_format(indexes, completions)
            except ValueError as err:
                yield ((*path, "succeededIndexes"),
                       invalid(indexes, f"error parsing succeededIndexes: {err}"),
                       f'increasing intervals of indexes below {completions}, as "0,2-4"')
        if count is None:
            continue
        if count > completions:
            yield ((*path, "succeededCount"), invalid(count, f"must be less than or equal to "
                   f"{completions} (the number of specified completions)"),
                   f"succeededCount of at most {completions}")
        if indexes is not None and count > total:
            yield ((*path, "succeededCount"), invalid(count, f"must be less than or equal to "
                   f"{total} (the number of indexes in the specified succeededIndexes field)"),
                   f"succeededCount of at most {total}")


def job_policy_refusals(spec: Any, pod: Any, raw_success_policy: Any) -> Iterator[Refusal]:
    """Every refusal of ``validateJobSpec`` for the policies of the typed Job ``spec`` (its
    pod template's spec ``pod``; ``raw_success_policy`` as written, which a refusal shows)."""
    if spec.pod_failure_policy is not None:
        yield from _pod_failure_policy(spec, pod)
    if spec.success_policy is not None:
        if spec.completion_mode != "Indexed":
            yield (("successPolicy",), invalid(raw_success_policy,
                                               "requires indexed completion mode"),
                   "completionMode: Indexed, or no successPolicy")
        else:
            yield from _success_policy(spec)
    replacement = spec.pod_replacement_policy
    if spec.pod_failure_policy is not None and replacement not in (None, "Failed"):
        yield (("podReplacementPolicy",), unsupported(replacement, ["Failed"]),
               "podReplacementPolicy: Failed (the only one with a podFailurePolicy)")
    if spec.pod_failure_policy is not None and pod.restart_policy == "OnFailure":
        yield (("template", "spec", "restartPolicy"), invalid(
            "OnFailure", 'only "Never" is supported when podFailurePolicy is specified'),
            'restartPolicy "Never"')
