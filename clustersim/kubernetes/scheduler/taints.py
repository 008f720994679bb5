"""Tolerations against taints, as the API helpers and the scheduler match them.

Upstream: kubernetes/kubernetes ``staging/src/k8s.io/api/core/v1/toleration.go``
(``ToleratesTaint``) and ``staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go``
(``FindMatchingUntoleratedTaint``, ``TolerationsTolerateTaint``); docs
https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/ .
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["DO_NOT_SCHEDULE_EFFECTS", "find_untolerated_taint", "mismatched_fields", "tolerated",
           "tolerates"]

DO_NOT_SCHEDULE_EFFECTS = ("NoSchedule", "NoExecute")
"""The effects the TaintToleration filter looks at (``helper.DoNotScheduleTaintsFilterFunc``)."""


def tolerates(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    """Whether one toleration matches one taint (:func:`mismatched_fields` names none)."""
    return not mismatched_fields(toleration, taint)


def mismatched_fields(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> list[str]:
    """The fields of ``toleration`` that keep it from matching ``taint`` (``"effect"``,
    ``"key"``, ``"value"``, ``"operator"``), empty when it matches.

    The effect must be empty or equal, the key empty (which needs ``Exists``) or equal; then
    ``Equal`` (or no operator) compares values and ``Exists`` matches any value. ``Lt`` and
    ``Gt`` (alpha ``TaintTolerationComparisonOperators``) compare both values as integers:
    the taint's value must be less (greater) than the toleration's; a value that is not an
    integer does not match. Any other operator matches nothing.
    """
    fields = []
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        fields.append("effect")
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        fields.append("key")
    operator = toleration.get("operator") or "Equal"
    if operator == "Equal":
        if str(toleration.get("value") or "") != str(taint.get("value") or ""):
            fields.append("value")
    elif operator in ("Lt", "Gt"):
        try:
            have, limit = int(str(taint.get("value"))), int(str(toleration.get("value")))
        except ValueError:
            fields.append("value")
        else:
            if not (have < limit if operator == "Lt" else have > limit):
                fields.append("value")
    elif operator != "Exists":
        fields.append("operator")
    return fields


def tolerated(tolerations: Iterable[Mapping[str, Any]], taint: Mapping[str, Any]) -> bool:
    """Whether any of ``tolerations`` matches ``taint`` (``TolerationsTolerateTaint``)."""
    return any(tolerates(t, taint) for t in tolerations)


def find_untolerated_taint(
    taints: Iterable[Mapping[str, Any]],
    tolerations: Iterable[Mapping[str, Any]],
    effects: tuple[str, ...] = DO_NOT_SCHEDULE_EFFECTS,
) -> Mapping[str, Any] | None:
    """The first taint with one of ``effects`` that no toleration matches, or None."""
    tolerations = list(tolerations)
    for taint in taints:
        if taint.get("effect") in effects and not tolerated(tolerations, taint):
            return taint
    return None
