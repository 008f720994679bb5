"""Checks for the chapter ``book/orchestrators/day-2.md``.

- :func:`check_upgrade_blockers`: which kubelet versions must be upgraded before the control
  plane moves up one minor, compared with :mod:`clustersim.kubernetes.versionskew`
  (https://kubernetes.io/releases/version-skew-policy/).
- :func:`check_lost_quorum`: how many manager failures a Swarm survives and what brings back a
  Swarm that lost its quorum (:mod:`clustersim.swarm.raft`;
  https://docs.docker.com/engine/swarm/admin_guide/; the command line is read by
  :mod:`clustersim.exercises.swarm_init`).
"""

from __future__ import annotations

from clustersim.exercises.answers import keyed, listed, whole_number
from clustersim.exercises.checker import Wrong, checker
from clustersim.exercises.swarm_init import check_force_new_cluster
from clustersim.kubernetes.versionskew import minor, supported_versions
from clustersim.swarm.raft import fault_tolerance

__all__ = ["KUBELETS", "MANAGERS", "NOW", "TARGET", "check_lost_quorum",
           "check_upgrade_blockers", "upgrade_blockers"]

NOW, TARGET = "1.37", "1.38"
"""The control plane's version now, and the version it is upgraded to."""
KUBELETS = ["1.37", "1.36", "1.35", "1.34", "1.33"]
"""The kubelet versions on the cluster's nodes."""
MANAGERS = 5


def _as_minor(version: str) -> str:
    """``version`` as the minor it names, as ``kubectl get nodes`` prints it or not
    (``v1.34``, ``v1.34.2`` and ``1.34`` are ``1.34``); anything else as it is."""
    try:
        return f"1.{minor(version)}"
    except ValueError:
        return version


def upgrade_blockers() -> list[str]:
    """Kubelet versions out of policy at some moment of the control-plane upgrade: while the
    API servers are at both versions, and after."""
    allowed = set(supported_versions("kubelet", [NOW, TARGET])) & set(
        supported_versions("kubelet", [TARGET]))
    return [v for v in KUBELETS if v not in allowed]


@checker("Right: 1.34 and 1.33. During the upgrade kubelets may be at most three minors older "
         "than every API server, so 1.35 is the oldest allowed beside 1.38; newer kubelets "
         "than an API server are never allowed, but 1.37 is not newer than 1.37 or 1.38.")
def check_upgrade_blockers(answer: object) -> None:
    answer = listed(answer, KUBELETS, "kubelet versions", example='["1.33"]', read=_as_minor,
                    unknown=lambda value: Wrong(f"No node runs kubelet {value}.",
                                                "The kubelets run " + ", ".join(KUBELETS) + "."))
    right = upgrade_blockers()
    if set(answer) == set(right):
        return
    if not answer:
        raise Wrong("Some kubelets are too old to work with a 1.38 control plane.",
                    "Against 1.38: not newer, and at most three minors older.")
    if "1.35" in answer:
        hint = "1.35 is three minors older than 1.38, and three is allowed (since kubelet 1.25)."
    elif "1.37" in answer or "1.36" in answer:
        hint = ("A kubelet only has to be not newer than the API servers and at most three "
                "minors older: 1.36 and 1.37 are fine beside 1.37 and 1.38.")
    elif set(answer) == {"1.33"}:
        hint = ("Check each kubelet against the rule: at most three minors older than every "
                "API server, and after the upgrade every API server is at 1.38.")
    else:
        hint = "Against 1.38: not newer, and at most three minors older."
    raise Wrong(f"Not {', '.join(answer) or 'none'}.", hint)


@checker("Right: 5 managers tolerate 2 failures; with 3 gone there is no quorum, and "
         "`docker swarm init --force-new-cluster` on a survivor starts a one-manager swarm with "
         "the old state.")
def check_lost_quorum(answer: object) -> None:
    answer = keyed(answer, ("tolerated", "command"))
    tolerated = whole_number(answer["tolerated"], "the failures tolerated")
    command = answer["command"]
    right = fault_tolerance(MANAGERS)
    if tolerated != right:
        if tolerated == MANAGERS // 2 + 1:
            hint = ("That is the quorum (a majority, 3 of 5); the failures tolerated are the "
                    "managers beyond it.")
        else:
            hint = "N managers tolerate (N - 1) // 2 failures."
        raise Wrong(f"{MANAGERS} managers do not tolerate {tolerated!r} failures.", hint)
    check_force_new_cluster(command)
