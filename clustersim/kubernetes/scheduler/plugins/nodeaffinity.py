"""NodeAffinity: ``nodeSelector`` and node affinity, required (filter) and preferred (score).

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go``
and ``staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go``
(``GetRequiredNodeAffinity``, ``PreferredSchedulingTerms``). PreFilter narrows the nodes to
those named by ``matchFields metadata.name In`` when every term names nodes (DaemonSet pods
do this); the other nodes then report "node(s) didn't satisfy plugin(s) [NodeAffinity]".
The plugin's ``addedAffinity`` argument applies a node affinity to every pod.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.framework import (
    SKIP,
    SUCCESS,
    CycleState,
    FilterScorePlugin,
    Status,
    default_normalize_many,
    default_normalize_score,
)
from clustersim.kubernetes.scheduler.labels import node_selector_term_matches

ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
ERR_REASON_CONFLICT = "pod affinity terms conflict"


def _node_affinity(pod: Mapping[str, Any]) -> Mapping[str, Any]:
    return ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}


def required_node_affinity_matches(pod: Mapping[str, Any], node: NodeInfo) -> bool:
    """``RequiredNodeAffinity.Match``: the nodeSelector map and the required terms (ORed)."""
    labels = node.labels
    for key, value in ((pod.get("spec") or {}).get("nodeSelector") or {}).items():
        if labels.get(key) != str(value):
            return False
    required = _node_affinity(pod).get("requiredDuringSchedulingIgnoredDuringExecution")
    if required is None:
        return True
    return node_selector_matches(required, node)


def node_selector_matches(selector: Mapping[str, Any], node: NodeInfo) -> bool:
    """A ``NodeSelector``: its terms are ORed; no terms match no node."""
    return any(
        node_selector_term_matches(t, node.labels, node.name)
        for t in selector.get("nodeSelectorTerms") or ()
    )


def preferred_score(terms: Sequence[Mapping[str, Any]], node: NodeInfo) -> int:
    """``PreferredSchedulingTerms.Score``: Σ weight of the matching preference terms."""
    return sum(
        int(t.get("weight") or 0)
        for t in terms
        if t.get("weight")
        and node_selector_term_matches(t.get("preference") or {}, node.labels, node.name)
    )


def _named_nodes(terms: Sequence[Mapping[str, Any]]) -> set[str] | None:
    """Nodes named by ``matchFields metadata.name In`` in every term, or None (any node)."""
    names: set[str] = set()
    for term in terms:
        term_names: set[str] | None = None
        for req in term.get("matchFields") or ():
            if req.get("key") == "metadata.name" and req.get("operator") == "In":
                values = {str(v) for v in req.get("values") or ()}
                term_names = values if term_names is None else term_names & values
        if term_names is None:
            return None
        names |= term_names
    return names


class NodeAffinity(FilterScorePlugin):
    """Filter: the node must match ``nodeSelector`` and a required term
    (UnschedulableAndUnresolvable). Score: Σ weights of the matching preferred terms,
    normalized by the highest (0..100)."""

    name = "NodeAffinity"

    def __init__(self, args: Mapping[str, Any] | None = None) -> None:
        super().__init__(args)
        added = self.args.get("addedAffinity") or {}
        if not isinstance(added, Mapping):
            raise ValueError(
                "pluginConfig NodeAffinity args.addedAffinity: expected a NodeAffinity "
                f"mapping, got {added!r}"
            )
        self.added_required = added.get("requiredDuringSchedulingIgnoredDuringExecution")
        self.added_preferred = list(
            added.get("preferredDuringSchedulingIgnoredDuringExecution") or ()
        )

    def pre_filter(
        self, state: CycleState, pod: Mapping[str, Any]
    ) -> tuple[set[str] | None, Status]:
        required = _node_affinity(pod).get("requiredDuringSchedulingIgnoredDuringExecution")
        node_selector = (pod.get("spec") or {}).get("nodeSelector")
        if required is None and self.added_required is None and node_selector is None:
            return None, SKIP
        terms = (required or {}).get("nodeSelectorTerms") or ()
        if not terms:
            return None, SUCCESS
        names = _named_nodes(terms)
        if names is not None and not names:
            return None, Status.unresolvable(ERR_REASON_CONFLICT)
        return names, SUCCESS

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        if self.added_required is not None and not node_selector_matches(self.added_required, node):
            return Status.unresolvable(ERR_REASON_ENFORCED)
        if required_node_affinity_matches(pod, node):
            return SUCCESS
        return Status.unresolvable(ERR_REASON_POD)

    def pre_score(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> Status:
        preferred = _node_affinity(pod).get("preferredDuringSchedulingIgnoredDuringExecution")
        if not preferred and not self.added_preferred:
            return SKIP
        state.data[self.name] = [*self.added_preferred, *(preferred or ())]
        return SUCCESS

    def score(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> int:
        terms = state.data.get(self.name)
        if terms is None:
            terms = [
                *self.added_preferred,
                *(_node_affinity(pod).get("preferredDuringSchedulingIgnoredDuringExecution") or ()),
            ]
        return preferred_score(terms, node)

    def normalize(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: list[int]
    ) -> None:
        default_normalize_score(scores)

    def normalize_many(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: np.ndarray
    ) -> np.ndarray:
        return default_normalize_many(scores)
