"""No Job policy the loader accepts makes the simulation raise: random ``podFailurePolicy``,
``successPolicy`` and ``podReplacementPolicy`` shapes (right and wrong types, in range and
not) are either refused with a ``ManifestError`` or run to the end."""

from __future__ import annotations

import contextlib
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustersim import ManifestError
from clustersim.explore import place

_scalar = st.one_of(st.integers(-2, 300), st.text("0123456789-,x", max_size=6),
                    st.sampled_from(["In", "NotIn", "FailJob", "Ignore", "True"]), st.none())
_exit_codes = st.one_of(_scalar, st.lists(st.integers(0, 3), max_size=3),
                        st.fixed_dictionaries({"operator": st.sampled_from(["In", "NotIn", 1]),
                                               "values": st.one_of(
                                                   st.lists(st.integers(0, 4), max_size=4),
                                                   _scalar)}))
_conditions = st.one_of(_scalar, st.lists(st.one_of(_scalar, st.fixed_dictionaries(
    {"type": st.sampled_from(["DisruptionTarget", "Bad Type"])},
    optional={"status": st.sampled_from(["True", "False", "Maybe", ""])})), max_size=2))
_rule = st.fixed_dictionaries(
    {"action": st.sampled_from(["FailJob", "FailIndex", "Ignore", "Count", "Stop"])},
    optional={"onExitCodes": _exit_codes, "onPodConditions": _conditions})
_success_rule = st.fixed_dictionaries({}, optional={
    "succeededIndexes": st.one_of(st.text("0123-,", max_size=5), st.integers(0, 3)),
    "succeededCount": st.one_of(st.integers(-1, 4), st.just("2"))})
_spec = st.fixed_dictionaries({"completions": st.integers(1, 3)}, optional={
    "completionMode": st.sampled_from(["Indexed", "NonIndexed"]),
    "backoffLimitPerIndex": st.integers(0, 1),
    "podFailurePolicy": st.one_of(_scalar, st.fixed_dictionaries(
        {"rules": st.lists(_rule, max_size=2)})),
    "successPolicy": st.one_of(_scalar, st.fixed_dictionaries(
        {"rules": st.lists(_success_rule, max_size=2)})),
    "podReplacementPolicy": st.sampled_from(["Failed", "TerminatingOrFailed", "Sometimes"]),
})


def _job(spec: dict[str, Any], restart: str, code: int) -> str:
    return yaml.safe_dump({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                           "spec": {**spec, "template": {
                               "metadata": {"annotations": {"clustersim.io/exit-code": str(code)}},
                               "spec": {"restartPolicy": restart, "containers": [
                                   {"name": "main", "image": "busybox:1.37"}]}}}})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_spec, st.sampled_from(["Never", "OnFailure"]), st.integers(0, 3))
def test_an_accepted_job_policy_runs_without_raising(spec: dict[str, Any], restart: str,
                                                     code: int) -> None:
    with contextlib.suppress(ManifestError):
        place(_job(spec, restart, code), until=60.0)
