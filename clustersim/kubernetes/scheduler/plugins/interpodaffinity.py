"""InterPodAffinity: place a pod near (affinity) or away from (anti-affinity) other pods.

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/interpodaffinity/``
(``filtering.go``, ``scoring.go``, ``plugin.go``); docs
https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
(inter-pod affinity and anti-affinity).

- PreFilter counts, per topology domain, the bound Pods that match the incoming Pod's
  required terms and those whose required anti-affinity matches it; ``AddPod``/``RemovePod``
  (``updateWithPod``) update a copy of those counts by one Pod, for a preemption's dry run
  and the nominated Pods' Filter.
- Filter: every required affinity term needs a matching pod in the node's domain (a pod
  whose terms match only itself may start the group); no required anti-affinity term may
  have a matching pod in the node's domain; and no existing pod's required anti-affinity
  may match the incoming pod within its domain.
- Score: for each pod on the nodes, add (subtract) the weights of the incoming pod's
  preferred affinity (anti-affinity) terms it matches, plus ``hardPodAffinityWeight`` for
  each existing pod's required affinity term and the weights of its preferred terms that
  match the incoming pod, credited to every node in that pod's topology domain; then
  normalize linearly from the lowest (0) to the highest (100).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.framework import (
    MAX_NODE_SCORE,
    SKIP,
    SUCCESS,
    CycleState,
    FilterScorePlugin,
    Status,
)
from clustersim.kubernetes.scheduler.labels import (
    AffinityTerm,
    NamespaceLabels,
    WeightedAffinityTerm,
    affinity_terms,
    namespace_labels,
)

ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules"
ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"

Pair = tuple[str, str]


def _labels_of(state: CycleState) -> NamespaceLabels:
    """Namespace labels for ``namespaceSelector``: the cluster's (its lister's), or only the
    automatic label when the scheduler has no lister (upstream reads the Namespace lister)."""
    return namespace_labels if state.lister is None else state.lister.namespace_labels


def _add(counts: dict[Pair, int], node: NodeInfo, key: str, value: int) -> None:
    if key in node.labels:
        pair = (key, node.labels[key])
        counts[pair] = counts.get(pair, 0) + value
        if counts[pair] == 0:
            del counts[pair]


@dataclass
class _FilterState:
    affinity: list[AffinityTerm]
    anti_affinity: list[AffinityTerm]
    affinity_counts: dict[Pair, int]
    anti_affinity_counts: dict[Pair, int]
    existing_anti_affinity_counts: dict[Pair, int]
    matches_own_terms: bool

    def clone(self) -> _FilterState:
        """The counts copied, the incoming Pod's terms shared (upstream ``Clone``)."""
        return _FilterState(self.affinity, self.anti_affinity, dict(self.affinity_counts),
                            dict(self.anti_affinity_counts),
                            dict(self.existing_anti_affinity_counts), self.matches_own_terms)

    def count_existing(self, pod: Mapping[str, Any], other: Mapping[str, Any],
                       node: NodeInfo, sign: int, labels_of: NamespaceLabels) -> None:
        """Count ``other``'s required anti-affinity terms that match the incoming ``pod``,
        in ``node``'s domains (``sign`` times)."""
        for term in affinity_terms(other, "podAntiAffinity", required=True):
            if term.matches(pod, labels_of):
                _add(self.existing_anti_affinity_counts, node, term.topology_key, sign)

    def count_incoming(self, other: Mapping[str, Any], node: NodeInfo, sign: int,
                       labels_of: NamespaceLabels) -> None:
        """Count ``other`` against the incoming Pod's required terms, in ``node``'s
        domains: once per affinity term if it matches them all, once per anti-affinity term
        it matches (``sign`` times)."""
        if self.affinity and all(t.matches(other, labels_of) for t in self.affinity):
            for term in self.affinity:
                _add(self.affinity_counts, node, term.topology_key, sign)
        for term in self.anti_affinity:
            if term.matches(other, labels_of):
                _add(self.anti_affinity_counts, node, term.topology_key, sign)


class InterPodAffinity(FilterScorePlugin):
    """Required terms filter, preferred terms (and existing pods' terms) score."""

    name = "InterPodAffinity"
    extensions = True

    def __init__(self, args: Mapping[str, Any] | None = None) -> None:
        super().__init__(args)
        weight = self.args.get("hardPodAffinityWeight", 1)
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
            raise ValueError(
                "pluginConfig InterPodAffinity args.hardPodAffinityWeight: must be a "
                f"whole number in 0..100, got {weight!r}"
            )
        self.hard_pod_affinity_weight = weight
        self.ignore_existing_preferred = bool(self.args.get("ignorePreferredTermsOfExistingPods"))

    # -- filtering ----------------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: Mapping[str, Any]) -> tuple[None, Status]:
        labels_of = _labels_of(state)
        affinity = affinity_terms(pod, "podAffinity", required=True)
        s = _FilterState(affinity, affinity_terms(pod, "podAntiAffinity", required=True),
                         {}, {}, {},
                         matches_own_terms=all(t.matches(pod, labels_of) for t in affinity))
        for node in state.all_nodes:
            for other in node.pods_with_required_anti_affinity:
                s.count_existing(pod, other, node, 1, labels_of)
            if s.affinity or s.anti_affinity:
                for other in node.pods:
                    s.count_incoming(other, node, 1, labels_of)
        if not s.existing_anti_affinity_counts and not s.affinity and not s.anti_affinity:
            return None, SKIP
        state.data[self.name] = s
        return None, SUCCESS

    def update_with_pod(self, state: CycleState, pod: Mapping[str, Any],
                        other: Mapping[str, Any], node: NodeInfo, sign: int) -> None:
        """``updateWithPod`` (``filtering.go``, called by ``AddPod``/``RemovePod``): the
        three counts of :meth:`pre_filter` with ``other`` on ``node`` counted ``sign``
        times more, each term matched as PreFilter matches it."""
        s: _FilterState | None = state.data.get(self.name)
        if s is None:
            return
        labels_of = _labels_of(state)
        s.count_existing(pod, other, node, sign, labels_of)
        s.count_incoming(other, node, sign, labels_of)

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        s: _FilterState | None = state.data.get(self.name)
        if s is None:
            return SUCCESS
        if not self._satisfies_affinity(s, node):
            return Status.unresolvable(ERR_REASON_AFFINITY)
        if s.anti_affinity_counts and any(
            term.topology_key in node.labels
            and s.anti_affinity_counts.get((term.topology_key, node.labels[term.topology_key]), 0)
            > 0
            for term in s.anti_affinity
        ):
            return Status.unschedulable(ERR_REASON_ANTI_AFFINITY)
        if s.existing_anti_affinity_counts and any(
            s.existing_anti_affinity_counts.get(pair, 0) > 0 for pair in node.labels.items()
        ):
            return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY)
        return SUCCESS

    @staticmethod
    def _satisfies_affinity(s: _FilterState, node: NodeInfo) -> bool:
        """``satisfyPodAffinity``: all keys present and a matching pod in each domain, or the
        pod is the first of a group whose terms match only itself."""
        pods_exist = True
        for term in s.affinity:
            if term.topology_key not in node.labels:
                return False
            if s.affinity_counts.get((term.topology_key, node.labels[term.topology_key]), 0) <= 0:
                pods_exist = False
        return pods_exist or (not s.affinity_counts and s.matches_own_terms)

    # -- scoring ------------------------------------------------------------------------------
    def pre_score(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> Status:
        if not nodes:
            return SKIP
        preferred = affinity_terms(pod, "podAffinity", required=False)
        preferred_anti = affinity_terms(pod, "podAntiAffinity", required=False)
        has_constraints = bool(preferred or preferred_anti)
        if self.ignore_existing_preferred and not has_constraints:
            return SKIP
        scores: dict[str, dict[str, int]] = {}
        labels_of = _labels_of(state)

        def credit(
            terms: Sequence[WeightedAffinityTerm],
            target: Mapping[str, Any],
            node: NodeInfo,
            sign: int,
        ) -> None:
            for weighted in terms:
                term = weighted.term
                if term.matches(target, labels_of) and term.topology_key in node.labels:
                    by_value = scores.setdefault(term.topology_key, {})
                    value = node.labels[term.topology_key]
                    by_value[value] = by_value.get(value, 0) + weighted.weight * sign

        for node in state.all_nodes:
            if not node.labels:
                continue
            for other in node.pods if has_constraints else node.pods_with_affinity:
                credit(preferred, other, node, 1)
                credit(preferred_anti, other, node, -1)
                if self.hard_pod_affinity_weight > 0:
                    hard = [
                        WeightedAffinityTerm(t, self.hard_pod_affinity_weight)
                        for t in affinity_terms(other, "podAffinity", required=True)
                    ]
                    credit(hard, pod, node, 1)
                credit(affinity_terms(other, "podAffinity", required=False), pod, node, 1)
                credit(affinity_terms(other, "podAntiAffinity", required=False), pod, node, -1)
        if not scores:
            return SKIP
        state.data[self.name + "/score"] = scores
        return SUCCESS

    def score(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> int:
        scores: dict[str, dict[str, int]] = state.data[self.name + "/score"]
        return sum(
            by_value.get(node.labels[key], 0)
            for key, by_value in scores.items()
            if key in node.labels
        )

    def normalize(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: list[int]
    ) -> None:
        low, high = min(scores), max(scores)
        spread = high - low
        for i, score in enumerate(scores):
            scores[i] = int(float(MAX_NODE_SCORE) * ((score - low) / spread)) if spread > 0 else 0
