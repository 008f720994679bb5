"""PodTopologySpread: spread matching pods evenly over topology domains (zones, hosts, ...).

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/podtopologyspread/``
(``plugin.go`` with the system default constraints, ``common.go``, ``filtering.go``,
``scoring.go``) and ``pkg/scheduler/framework/plugins/helper/spread.go`` (``DefaultSelector``);
docs https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/ .

- Filter (``whenUnsatisfiable: DoNotSchedule``): a node passes a constraint when
  ``matching pods in its domain + (1 if the pod matches its own selector) − global minimum
  ≤ maxSkew``; the minimum is 0 while there are fewer eligible domains than ``minDomains``.
  A node without the topology key is rejected as UnschedulableAndUnresolvable.
- Score (``ScheduleAnyway``): per constraint ``count · log(domains + 2) + (maxSkew − 1)``,
  summed and rounded, then normalized so that the fewest matching pods score highest.
- A pod without constraints gets the plugin's default constraints (by default the system
  ones: hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway) with a selector made
  from the Services, ReplicaSet, StatefulSet or ReplicationController that select it.

Longer than most modules (about 720 lines) because the plugin's per-node form and its array
form (:class:`DefaultSpreading`, which the fast path keeps per workload) must compute the same
floats in the same order: they sit together so that a change to one is made beside the other.
The listers it reads are in :mod:`clustersim.kubernetes.scheduler.listers`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from clustersim.kubernetes.nodeinfo import HOSTNAME_LABEL, ZONE_LABEL, NodeInfo
from clustersim.kubernetes.scheduler.framework import (
    MAX_NODE_SCORE,
    SKIP,
    SUCCESS,
    CycleState,
    FilterScorePlugin,
    Status,
)
from clustersim.kubernetes.scheduler.labels import (
    label_selector_matches,
    pod_labels,
    pod_namespace,
    selector_with_match_label_keys,
)
from clustersim.kubernetes.scheduler.listers import WorkloadLister
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import required_node_affinity_matches
from clustersim.kubernetes.scheduler.plugins.noderesources import go_round, go_round_many
from clustersim.kubernetes.scheduler.spreadcounts import DomainCounts, count_matching_pods
from clustersim.kubernetes.scheduler.taints import find_untolerated_taint

__all__ = [
    "SYSTEM_DEFAULT_CONSTRAINTS",
    "Constraint",
    "DefaultSpreading",
    "PodTopologySpread",
    "default_selector",
]

ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"
SYSTEM_DEFAULT_CONSTRAINTS = (
    {"topologyKey": HOSTNAME_LABEL, "whenUnsatisfiable": "ScheduleAnyway", "maxSkew": 3},
    {"topologyKey": ZONE_LABEL, "whenUnsatisfiable": "ScheduleAnyway", "maxSkew": 5},
)
_ACTIONS = ("DoNotSchedule", "ScheduleAnyway")
_POLICIES = ("Honor", "Ignore")
_NO_DOMAIN_MIN = 2**31 - 1  # upstream's critical paths start at MaxInt32
_DEFAULTS_KEPT = 1024  # default selectors whose constraints are kept (workloads at a time)
_SELECTING_KINDS = {("v1", "ReplicationController"), ("apps/v1", "ReplicaSet"),
                    ("apps/v1", "StatefulSet")}
"""The controllers ``DefaultSelector`` looks up, by the group, version and kind their
reference names (``rcKind``, ``rsKind``, ``ssKind`` in ``helper/spread.go``): a reference to
a kind of another group (a custom resource named ReplicaSet) or another version is none."""


def default_selector(pod: Mapping[str, Any], lister: WorkloadLister | None) -> dict[str, Any]:
    """``helper.DefaultSelector`` (``pkg/scheduler/framework/plugins/helper/spread.go``): the
    selectors of the Services that select the pod, merged, ANDed with the selector of its
    controlling ReplicaSet, StatefulSet or ReplicationController, the one its controller
    reference names (``GetControllerOfNoCopy``, then the lister's ``Get`` by name), not any
    other whose selector matches the pod's labels too.
    """
    match_labels: dict[str, str] = {}
    expressions: list[Mapping[str, Any]] = []
    if lister is None:
        return {}
    namespace, labels = pod_namespace(pod), pod_labels(pod)
    for service in lister.services(namespace):
        selector = (service.get("spec") or {}).get("selector")
        if selector is not None and all(labels.get(k) == str(v) for k, v in selector.items()):
            match_labels.update({k: str(v) for k, v in selector.items()})
    owner = _selecting_controller(pod)
    if owner is not None:
        controller = lister.controller(namespace, owner["kind"], owner.get("name", ""))
        selector = ((controller or {}).get("spec") or {}).get("selector")
        if controller is not None and owner["kind"] == "ReplicationController":
            match_labels.update({k: str(v) for k, v in (selector or {}).items()})
        elif controller is not None and selector is not None:
            expressions += [
                {"key": k, "operator": "In", "values": [str(v)]}
                for k, v in (selector.get("matchLabels") or {}).items()
            ]
            expressions += list(selector.get("matchExpressions") or ())
    result: dict[str, Any] = {}
    if match_labels:
        result["matchLabels"] = match_labels
    if expressions:
        result["matchExpressions"] = expressions
    return result


def _selecting_controller(pod: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The pod's controller reference if it names a ReplicationController, ReplicaSet or
    StatefulSet (``metav1.GetControllerOf``; the kinds ``DefaultSelector`` looks up, of
    their API group and version: :data:`_SELECTING_KINDS`)."""
    owner = next(
        (
            ref
            for ref in (pod.get("metadata") or {}).get("ownerReferences") or ()
            if ref.get("controller")
        ),
        None,
    )
    if owner is None or (owner.get("apiVersion"), owner.get("kind")) not in _SELECTING_KINDS:
        return None
    return owner


def _selector_inputs(pod: Mapping[str, Any]) -> tuple[Any, ...]:
    """What :func:`default_selector` reads of the pod itself: its namespace, its labels and
    the kind and name of its selecting controller (with the lister's objects, all it reads)."""
    owner = _selecting_controller(pod)
    return (
        pod_namespace(pod),
        tuple(sorted(pod_labels(pod).items())),
        None if owner is None else (owner["kind"], owner.get("name", "")),
    )


@dataclass(frozen=True)
class Constraint:
    """One topology spread constraint, resolved (upstream ``topologySpreadConstraint``)."""

    max_skew: int
    topology_key: str
    selector: Mapping[str, Any] | None
    min_domains: int = 1
    honor_node_affinity: bool = True
    honor_node_taints: bool = False

    def includes(self, pod: Mapping[str, Any], node: NodeInfo) -> bool:
        """``matchNodeInclusionPolicies``: does the node count for this constraint?"""
        if self.honor_node_affinity and not required_node_affinity_matches(pod, node):
            return False
        tolerations = (pod.get("spec") or {}).get("tolerations") or ()
        return not (self.honor_node_taints and find_untolerated_taint(node.taints, tolerations))

    def matches(self, pod: Mapping[str, Any]) -> bool:
        return label_selector_matches(self.selector, pod_labels(pod))


def _validated(raw: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a topology spread constraint mapping, got {raw!r}")
    skew = raw.get("maxSkew")
    if not isinstance(skew, int) or isinstance(skew, bool) or skew < 1:
        raise ValueError(f"{where}.maxSkew: must be a whole number ≥ 1, got {skew!r}")
    if not raw.get("topologyKey"):
        raise ValueError(f"{where}.topologyKey: must not be empty")
    if raw.get("whenUnsatisfiable") not in _ACTIONS:
        raise ValueError(
            f"{where}.whenUnsatisfiable: must be DoNotSchedule or ScheduleAnyway, "
            f"got {raw.get('whenUnsatisfiable')!r}"
        )
    min_domains = raw.get("minDomains")
    if min_domains is not None:
        if not isinstance(min_domains, int) or min_domains < 1:
            raise ValueError(f"{where}.minDomains: must be a whole number ≥ 1, got {min_domains!r}")
        if raw["whenUnsatisfiable"] != "DoNotSchedule":
            raise ValueError(
                f"{where}.minDomains: may only be set with whenUnsatisfiable: DoNotSchedule"
            )
    for policy in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
        if raw.get(policy) is not None and raw[policy] not in _POLICIES:
            raise ValueError(f"{where}.{policy}: must be Honor or Ignore, got {raw[policy]!r}")
    return raw


def _constraints(
    raw: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    action: str,
    selector: Mapping[str, Any] | None = None,
) -> list[Constraint]:
    """``filterTopologySpreadConstraints``: the constraints with ``action``, selectors merged
    with their ``matchLabelKeys``; ``selector`` replaces them for default constraints."""
    out = []
    for c in raw:
        if c.get("whenUnsatisfiable") != action:
            continue
        own = (
            selector
            if selector is not None
            else selector_with_match_label_keys(
                c.get("labelSelector"), c.get("matchLabelKeys"), labels
            )
        )
        out.append(
            Constraint(
                max_skew=c["maxSkew"],
                topology_key=c["topologyKey"],
                selector=own,
                min_domains=c.get("minDomains") or 1,
                honor_node_affinity=(c.get("nodeAffinityPolicy") or "Honor") == "Honor",
                honor_node_taints=(c.get("nodeTaintsPolicy") or "Ignore") == "Honor",
            )
        )
    return out


def count_matching(
    pods: Iterable[Mapping[str, Any]], constraint: Constraint, namespace: str
) -> int:
    """``countPodsMatchSelector`` for ``constraint``'s selector."""
    return count_matching_pods(pods, namespace, constraint.selector)


def _has_keys(node: NodeInfo, constraints: Sequence[Constraint]) -> bool:
    return all(c.topology_key in node.labels for c in constraints)


@dataclass
class _FilterState:
    constraints: list[Constraint]
    match_num: list[dict[str, int]]

    def clone(self) -> _FilterState:
        """The counts copied, the constraints shared (upstream ``preFilterState.Clone``)."""
        return _FilterState(self.constraints, [dict(counts) for counts in self.match_num])

    def count(self, pod: Mapping[str, Any], node: NodeInfo, pods: Iterable[Mapping[str, Any]],
              sign: int) -> None:
        """Add ``sign`` times the ``pods`` on ``node`` that each constraint counts to its
        domain's number, if ``node`` counts for the incoming ``pod`` (it has every topology
        key, and the constraint's node inclusion policies take it)."""
        if not _has_keys(node, self.constraints):
            return
        namespace = pod_namespace(pod)
        for i, c in enumerate(self.constraints):
            if c.includes(pod, node):
                value = node.labels[c.topology_key]
                self.match_num[i][value] = self.match_num[i].get(value, 0) + sign * \
                    count_matching(pods, c, namespace)


@dataclass
class _ScoreState:
    constraints: list[Constraint]
    ignored: set[str]
    counts: list[dict[str, int]]
    weights: list[float]


class PodTopologySpread(FilterScorePlugin):
    """Hard constraints filter, soft ones score; see the module docstring for the formulas."""

    name = "PodTopologySpread"
    extensions = True

    def __init__(self, args: Mapping[str, Any] | None = None) -> None:
        super().__init__(args)
        where = "pluginConfig PodTopologySpread args"
        defaulting = self.args.get("defaultingType") or "System"
        raw = self.args.get("defaultConstraints") or []
        if defaulting not in ("System", "List"):
            raise ValueError(f"{where}.defaultingType: must be System or List, got {defaulting!r}")
        if defaulting == "System" and raw:
            raise ValueError(
                f"{where}.defaultConstraints: must be empty when defaultingType is "
                "System (set defaultingType: List to use your own)"
            )
        if not isinstance(raw, list):
            raise ValueError(f"{where}.defaultConstraints: expected a list, got {raw!r}")
        seen = set()
        for i, c in enumerate(raw):
            _validated(c, f"{where}.defaultConstraints[{i}]")
            if c.get("labelSelector") is not None:
                raise ValueError(
                    f"{where}.defaultConstraints[{i}].labelSelector: must not be set; "
                    "default constraints take the selector of the pod's workload"
                )
            key = (c["topologyKey"], c["whenUnsatisfiable"])
            if key in seen:
                raise ValueError(f"{where}.defaultConstraints[{i}]: duplicate {key}")
            seen.add(key)
        self.system_defaulted = defaulting == "System"
        self.default_constraints = (
            list(SYSTEM_DEFAULT_CONSTRAINTS) if self.system_defaulted else raw
        )
        self._default_actions = {c["whenUnsatisfiable"] for c in self.default_constraints}
        # per action and default selector (as text): its constraints, so that the pods of one
        # workload share them and their selector object (which keeps SpreadCounts' key)
        self._defaults: dict[tuple[str, str], list[Constraint]] = {}
        # per action and what default_selector reads of a pod (_selector_inputs): the
        # constraints, while the lister and its version are those of _workloads_seen
        self._by_inputs: dict[tuple[Any, ...], list[Constraint]] = {}
        self._workloads_seen: tuple[Any, int | None] = (None, None)

    def constraints(self, pod: Mapping[str, Any], action: str, lister: Any) -> list[Constraint]:
        """The pod's constraints with ``action`` (``getConstraints``, ``buildDefaultConstraints``).

        Raises ValueError for a constraint the API server would refuse.
        """
        own = (pod.get("spec") or {}).get("topologySpreadConstraints") or []
        if own:
            for i, c in enumerate(own):
                _validated(
                    c,
                    f"Pod {(pod.get('metadata') or {}).get('name')!r} "
                    f"spec.topologySpreadConstraints[{i}]",
                )
            return _constraints(own, pod_labels(pod), action)
        if action not in self._default_actions or lister is None:
            return []
        return list(self._default_constraints(pod, action, lister))

    def _default_constraints(
        self, pod: Mapping[str, Any], action: str, lister: WorkloadLister
    ) -> list[Constraint]:
        """``buildDefaultConstraints``: the default constraints with ``action`` and the pod's
        :func:`default_selector` (none when it is empty). Upstream builds the selector from
        its listers in every cycle; here the result is kept per :func:`_selector_inputs`
        while the lister reports the same :meth:`~WorkloadLister.version` (never when it
        reports None), since nothing else goes into it."""
        version = lister.version()
        inputs: tuple[Any, ...] | None = None
        if version is not None:
            if self._workloads_seen[0] is not lister or self._workloads_seen[1] != version:
                self._by_inputs.clear()
                self._workloads_seen = (lister, version)
            inputs = (action, *_selector_inputs(pod))
            kept = self._by_inputs.get(inputs)
            if kept is not None:
                return kept
        selector = default_selector(pod, lister)
        out: list[Constraint] = []
        if selector:
            key = (action, repr(selector))
            known = self._defaults.get(key)
            if known is None:
                if len(self._defaults) >= _DEFAULTS_KEPT:
                    self._defaults.clear()
                known = _constraints(self.default_constraints, pod_labels(pod), action, selector)
                self._defaults[key] = known
            out = known
        if inputs is not None:
            if len(self._by_inputs) >= _DEFAULTS_KEPT:
                self._by_inputs.clear()
            self._by_inputs[inputs] = out
        return out

    # -- filtering ----------------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: Mapping[str, Any]) -> tuple[None, Status]:
        constraints = self.constraints(pod, "DoNotSchedule", state.lister)
        if not constraints:
            return None, SKIP
        s = _FilterState(constraints, [{} for _ in constraints])
        for node in state.all_nodes:
            s.count(pod, node, node.pods, 1)
        state.data[self.name] = s
        return None, SUCCESS

    def update_with_pod(self, state: CycleState, pod: Mapping[str, Any],
                        other: Mapping[str, Any], node: NodeInfo, sign: int) -> None:
        """``updateWithPod`` (``filtering.go``, called by ``AddPod``/``RemovePod``): each
        constraint's number for ``node``'s domain changes by ``sign`` if it counts ``other``
        there as :meth:`pre_filter` counts it. Upstream does not look at ``other``'s deletion
        timestamp here, although PreFilter leaves terminating Pods out
        (``countPodsMatchSelector``), so removing a terminating lower-priority Pod in its dry
        run lowers a count that never held it; here a terminating Pod changes nothing, so
        the state stays what PreFilter would find on the changed nodes. For the same reason
        a constraint with an empty selector (``labelSelector: {}``) counts no Pod here, as
        PreFilter counts none (:func:`~clustersim.kubernetes.scheduler.spreadcounts.
        counts_nothing`), where upstream's ``updateWithPod`` asks ``Selector.Matches``,
        which such a selector answers yes for every Pod."""
        s: _FilterState | None = state.data.get(self.name)
        if s is not None:
            s.count(pod, node, (other,), sign)

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        s: _FilterState | None = state.data.get(self.name)
        if s is None:
            return SUCCESS
        for i, c in enumerate(s.constraints):
            value = node.labels.get(c.topology_key)
            if value is None:
                return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH)
            domains = s.match_num[i]
            global_min = min(domains.values(), default=_NO_DOMAIN_MIN)
            if len(domains) < c.min_domains:
                global_min = 0
            skew = domains.get(value, 0) + (1 if c.matches(pod) else 0) - global_min
            if skew > c.max_skew:
                return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH)
        return SUCCESS

    # -- scoring ------------------------------------------------------------------------------
    def pre_score(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> Status:
        if not state.all_nodes:
            return SKIP
        constraints = self.constraints(pod, "ScheduleAnyway", state.lister)
        if not constraints:
            return SKIP
        own = bool((pod.get("spec") or {}).get("topologySpreadConstraints"))
        require_all = own or not self.system_defaulted
        ignored: set[str] = set()
        counts: list[dict[str, int]] = [{} for _ in constraints]
        for node in nodes:
            if require_all and not _has_keys(node, constraints):
                ignored.add(node.name)
                continue
            for i, c in enumerate(constraints):
                # As upstream, a node without the key (allowed for system defaults) makes an
                # empty-valued domain that counts in the weight but is never scored.
                if c.topology_key != HOSTNAME_LABEL:
                    counts[i].setdefault(node.labels.get(c.topology_key, ""), 0)
        weights = []
        for i, c in enumerate(constraints):
            size = len(nodes) - len(ignored) if c.topology_key == HOSTNAME_LABEL else len(counts[i])
            weights.append(math.log(size + 2))
        namespace = pod_namespace(pod)
        for node in state.all_nodes:
            if require_all and not _has_keys(node, constraints):
                continue
            for i, c in enumerate(constraints):
                if not c.includes(pod, node):
                    continue
                value = node.labels.get(c.topology_key, "")
                if c.topology_key == HOSTNAME_LABEL or value not in counts[i]:
                    continue
                counts[i][value] += count_matching(node.pods, c, namespace)
        state.data[self.name + "/score"] = _ScoreState(constraints, ignored, counts, weights)
        return SUCCESS

    def score(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> int:
        s: _ScoreState = state.data[self.name + "/score"]
        if node.name in s.ignored:
            return 0
        total = 0.0
        namespace = pod_namespace(pod)
        for i, c in enumerate(s.constraints):
            value = node.labels.get(c.topology_key)
            if value is None:
                continue
            if c.topology_key == HOSTNAME_LABEL:
                count = count_matching(node.pods, c, namespace)
            else:
                count = s.counts[i][value]
            total += count * s.weights[i] + (c.max_skew - 1)
        return go_round(total)

    @staticmethod
    def default_scores_many(
        constraints: Sequence[Constraint],
        counts: Sequence[np.ndarray],
        domains: Sequence[tuple[np.ndarray, np.ndarray]],
        feasible: np.ndarray,
        matches_affinity: np.ndarray,
        domain_sums: Sequence[np.ndarray | None] = (),
        combined: DomainCounts | None = None,
    ) -> np.ndarray:
        """PreScore, Score and NormalizeScore over arrays of all nodes for a pod with only
        the system default (soft) constraints: :class:`DefaultSpreading` built for one call
        (the fast path keeps one per workload instead)."""
        spreading = DefaultSpreading(
            constraints, counts, domains, matches_affinity, domain_sums, combined
        )
        return spreading.scores(None if feasible.all() else feasible)

    def normalize(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: list[int]
    ) -> None:
        s: _ScoreState = state.data[self.name + "/score"]
        valid = [score for name, score in zip(names, scores, strict=True) if name not in s.ignored]
        low, high = min(valid, default=0), max(valid, default=0)
        for i, name in enumerate(names):
            scores[i] = 0 if name in s.ignored else int(normalized_score(scores[i], low, high))


class DefaultSpreading:
    """PreScore, Score and NormalizeScore over arrays of all nodes for the pods of one
    workload with only the system default (soft) constraints, where no node is ignored: the
    normalized score of every node (meaningful where feasible), with the float operations of
    :meth:`PodTopologySpread.pre_score` and :meth:`~PodTopologySpread.score` in the same
    order.

    Per constraint: ``counts`` gives the matching pods on each node, ``domains`` an id per
    node for its value of the topology key ("" when missing; ids numbered from 0 with none
    skipped) and whether the node has the key; ``matches_affinity`` which nodes count for
    ``nodeAffinityPolicy: Honor``. ``domain_sums`` may give, per constraint, ``counts``
    already summed per domain (None where not), used when no node is left out by
    ``matches_affinity``. ``combined`` may give, for a hostname constraint followed by a
    domain constraint (the system defaults), each node's count and domain as one number and
    how many nodes have each (:class:`~clustersim.kubernetes.scheduler.spreadcounts.DomainCounts`,
    made from the same arrays), which spares reading every node's count to find them. What
    the labels and node affinity decide is worked out once, here; the count, sum and
    combination arrays are read at each :meth:`scores`, so their owner
    (:class:`~clustersim.kubernetes.scheduler.spreadcounts.SpreadCounts`) may update them in
    place between calls, while the nodes' labels stay as they were.
    """

    def __init__(
        self,
        constraints: Sequence[Constraint],
        counts: Sequence[np.ndarray],
        domains: Sequence[tuple[np.ndarray, np.ndarray]],
        matches_affinity: np.ndarray,
        domain_sums: Sequence[np.ndarray | None] = (),
        combined: DomainCounts | None = None,
    ) -> None:
        self.constraints = list(constraints)
        self.counts = list(counts)
        self.ids = [ids for ids, _ in domains]
        self.has = [None if has.all() else has for _, has in domains]  # None: every node
        self.matches_affinity = matches_affinity
        self.size = len(matches_affinity)
        every_node_matches = bool(matches_affinity.all())
        # per constraint: whether node affinity leaves nodes out of the count, and the
        # per-domain sums (usable only where it does not)
        self.left_out = [
            c.honor_node_affinity and not every_node_matches for c in self.constraints
        ]
        summed = list(domain_sums) or [None] * len(self.constraints)
        self.summed = [
            None if left_out else known
            for left_out, known in zip(self.left_out, summed, strict=True)
        ]
        self.domain_count = [int(ids.max(initial=-1)) + 1 for ids in self.ids]
        # a node's score depends only on its count and domains (see _by_table) when every
        # node has every key and each domain term has its sums
        self.tabled = bool(self.constraints) and all(
            has is None
            and (n.dtype.kind in "iu" if c.topology_key == HOSTNAME_LABEL else known is not None)
            for c, has, n, known in zip(
                self.constraints, self.has, self.counts, self.summed, strict=True
            )
        )
        self._host_terms: dict[int, np.ndarray] = {}
        self.combined = self._usable(combined)

    def _usable(self, combined: DomainCounts | None) -> DomainCounts | None:
        """``combined`` if the table can read it: the constraints are a hostname term then
        one domain term (the system defaults), tabled, and ``combined`` was made from this
        hostname count array and this domain term's ids. None when not given or not tabled."""
        if combined is None or not self.tabled:
            return None
        keys = [c.topology_key for c in self.constraints]
        if (
            len(keys) != 2
            or keys[0] != HOSTNAME_LABEL
            or keys[1] == HOSTNAME_LABEL
            or combined.counts is not self.counts[0]
            or combined.ids is not self.ids[1]
            or combined.per_domain is not self.summed[1]
        ):
            raise ValueError(
                "DefaultSpreading: combined counts are for a hostname constraint followed by "
                "a domain constraint, made from the same count, domain and sum arrays"
            )
        return combined

    def scores(self, feasible: np.ndarray | None = None, scale: int = 1) -> np.ndarray:
        """Every node's normalized score times ``scale``, normalizing over the ``feasible``
        nodes (None: every node)."""
        if self.tabled:
            scores = self._by_table(feasible, scale)
            if scores is not None:
                return scores
        everywhere = feasible is None
        chosen = np.arange(0) if feasible is None else np.flatnonzero(feasible)
        feasible_count = self.size if feasible is None else len(chosen)
        total: np.ndarray | None = None
        for c, per_node_counts, ids, has, known, left_out, domain_count in zip(
            self.constraints, self.counts, self.ids, self.has, self.summed, self.left_out,
            self.domain_count, strict=True,
        ):
            term: np.ndarray
            if c.topology_key == HOSTNAME_LABEL:
                weight = math.log(feasible_count + 2)
                term = per_node_counts * weight + (c.max_skew - 1)
            else:
                # the domains among the feasible nodes; every id when every node is feasible
                domains_seen = (
                    domain_count if everywhere else np.count_nonzero(np.bincount(ids[chosen]))
                )
                weight = math.log(domains_seen + 2)
                included = per_node_counts * self.matches_affinity if left_out else per_node_counts
                # each node's term is its domain's: the same operations, once per domain
                per_domain = np.bincount(ids, weights=included) if known is None else known
                term = (per_domain * weight + (c.max_skew - 1)).take(ids)
            if total is None:       # 0.0 + term is term: every term is ≥ 0
                total = term if has is None else np.where(has, term, 0.0)
            else:
                total = total + term if has is None else np.where(has, total + term, total)
        if total is None:
            total = np.zeros(self.size)
        raw = go_round_many(total)
        scored = raw if everywhere else raw[chosen]
        low, high = scored.min(), scored.max()
        if everywhere and high - low < len(raw):    # each raw value's score from a table
            scores = normalized_score(np.arange(low, high + 1), low, high)
            return (scores * scale if scale != 1 else scores).take(raw - low)
        scores = normalized_score(raw, low, high)
        return scores * scale if scale != 1 else scores

    def _by_table(self, feasible: np.ndarray | None, scale: int) -> np.ndarray | None:
        """:meth:`scores` when every node has every key and the domain terms have their
        sums: each constraint's term takes few values (one per matching-pod count for the
        hostname, one per domain otherwise), so the rounded sum is computed once per
        combination of values, with the same float operations in the same order, and looked
        up per node. None when there are more combinations than nodes.

        With ``combined`` (kept by its owner as pods bind) each node's combination is read
        from it instead of being worked out from every node's count, and, every node
        feasible, the lowest and highest raw score from the combinations that some node has."""
        feasible_count = self.size if feasible is None else int(np.count_nonzero(feasible))
        combined = self.combined
        present: np.ndarray | None = None
        if combined is not None and len(combined.nodes_with) <= self.size:
            rows = len(combined.nodes_with) // combined.domains
            table = np.add.outer(
                self._term(0, rows, feasible, feasible_count),
                self._term(1, 0, feasible, feasible_count),
            ).ravel()
            key = combined.combined
            present = combined.nodes_with if feasible is None else None
        else:
            found = self._combinations(feasible, feasible_count)
            if found is None:
                return None
            table, key = found
        raw = go_round_many(table)
        if present is not None:
            scored = raw[present > 0]
        else:
            per_node = raw.take(key)
            scored = per_node if feasible is None else per_node[feasible]
        scores = normalized_score(raw, scored.min(), scored.max())
        if scale != 1:
            scores *= scale
        return scores.take(key)

    def _combinations(
        self, feasible: np.ndarray | None, feasible_count: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The float sum of the terms per combination of values and each node's combination,
        worked out from every node's count and domain; None when there are more
        combinations than nodes."""
        table: np.ndarray | None = None     # the float sum per combination
        key: np.ndarray | None = None       # each node's combination
        for at, c in enumerate(self.constraints):
            index = self.counts[at] if c.topology_key == HOSTNAME_LABEL else self.ids[at]
            length = int(index.max(initial=0)) + 1 if c.topology_key == HOSTNAME_LABEL else 0
            term = self._term(at, length, feasible, feasible_count)
            if table is None or key is None:    # 0.0 + term is term: every term is ≥ 0
                table, key = term, index
                continue
            if len(table) * len(term) > self.size:
                return None
            table = np.add.outer(table, term).ravel()
            key = key * len(term)
            key += index
        assert table is not None and key is not None
        return table, key

    def _term(
        self, at: int, length: int, feasible: np.ndarray | None, feasible_count: int
    ) -> np.ndarray:
        """Constraint ``at``'s term (``scoreForCount``) for each of its values: a hostname
        term for 0 … ``length`` − 1 matching pods on a node, a domain term for each domain's
        matching pods, weighted by the domains among the ``feasible`` nodes."""
        c = self.constraints[at]
        if c.topology_key == HOSTNAME_LABEL:
            if feasible is None:
                return self._host_term(c, length)
            return np.arange(length) * math.log(feasible_count + 2) + (c.max_skew - 1)
        known = self.summed[at]
        assert known is not None    # see tabled
        domain_count = self.domain_count[at]
        if feasible is not None:    # the domains among the feasible nodes
            domain_count = int(np.count_nonzero(np.bincount(self.ids[at][feasible])))
        return known * math.log(domain_count + 2) + (c.max_skew - 1)

    def _host_term(self, c: Constraint, length: int) -> np.ndarray:
        """The hostname term for 0, 1, ... ``length`` − 1 matching pods on a node, every node
        feasible: kept, and made again longer when more pods match."""
        terms = self._host_terms.get(id(c))
        if terms is None or len(terms) < length:
            weight = math.log(self.size + 2)
            terms = np.arange(max(length, 2 * len(terms) if terms is not None else 64)) * weight
            terms = self._host_terms[id(c)] = terms + (c.max_skew - 1)
        return terms[:length]


def normalized_score(raw: Any, low: Any, high: Any) -> Any:
    """PodTopologySpread's NormalizeScore for one raw score or an array of them, given the
    lowest and highest raw score among the scored nodes: ``100 · (high + low − raw) // high``,
    so the fewest matching pods score highest, and 100 everywhere when ``high`` is 0
    (kubernetes/kubernetes ``pkg/scheduler/framework/plugins/podtopologyspread/scoring.go``,
    ``NormalizeScore``). Used by :meth:`PodTopologySpread.normalize` and by the array forms."""
    if high == 0:
        if np.ndim(raw):
            return np.full(np.shape(raw), MAX_NODE_SCORE, dtype=np.int64)
        return MAX_NODE_SCORE
    return MAX_NODE_SCORE * (high + low - raw) // high
