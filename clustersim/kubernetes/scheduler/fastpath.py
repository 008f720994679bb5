"""The NumPy fast path: the reference cycle's choice, computed over arrays and cached per shape.

Longer than most modules (about 750 lines) because its three parts share one mutable state
and must change together: the node rows kept in step with ``NodeInfo``, the per-shape
cache with its feasibility and best-score bookkeeping, and the array scoring that reads both;
every invariant below spans all three. Where it could be cut, if it grows: the node rows
into their own module, as kube-scheduler keeps its ``Snapshot`` apart from the cycle.

kube-scheduler scores nodes one by one (kubernetes/kubernetes ``pkg/scheduler/schedule_one.go``);
so does the reference path in :mod:`clustersim.kubernetes.scheduler.scheduler`. Here the
node-local plugins (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
NodeResourcesFit with its three strategies, NodeResourcesBalancedAllocation) are evaluated
over NumPy arrays through each plugin's own array form (``score_arrays``, ``score_many``,
``normalize_many``: :class:`~clustersim.kubernetes.scheduler.framework.ScorePlugin`'s
contract, so a formula lives in its plugin only), and the result is cached per pod *shape*
(what the pod asks for: requests, ports, tolerations, node selection). Binding a pod changes
one node, so a cached shape only recomputes the nodes that changed since it was last used;
that is exact because these plugins' per-node scores depend on that node and the pod alone.
Normalization (TaintToleration, NodeAffinity) depends on the feasible set and is redone per
pod unless every raw score is zero. Where it is not redone, a shape also keeps its best total
and the nodes that share it, so a pod looks only at the nodes that changed: tied nodes that
changed drop out, changed nodes that beat the best replace them, and every node is scanned
again only when a changed node reaches the best exactly or no tied node is left.

PodTopologySpread's system default spreading (pods of a ReplicaSet, StatefulSet,
ReplicationController or Service) is an inter-pod term: with ``Scheduler(fast_spread=True)``
it is computed by ``PodTopologySpread.default_scores_many`` from the matching-pod counts
that :class:`~clustersim.kubernetes.scheduler.spreadcounts.SpreadCounts` keeps per node and
selector across cycles (``KubernetesCluster`` uses it: Deployment pods take this path).

A configuration that sets ``percentageOfNodesToScore`` low enough to sample is followed as
the reference walks the nodes (:meth:`FastPath._sampled`).

Pods with their own topology spread constraints or with inter-pod (anti-)affinity (or any
pod in the cluster having some), pods whose NodeAffinity names nodes (DaemonSet pods), pods
requesting a resource no node has, pods that fit nowhere (for the FailedScheduling
message) and pods filtered while a Pod of at least their priority is nominated to a node
(:mod:`~clustersim.kubernetes.scheduler.nominator`) go to the reference path. Ties are drawn
exactly as the reference draws them, so both paths pick the same node with the same generator.
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from clustersim.kubernetes.nodeinfo import (
    HOSTNAME_LABEL,
    NodeInfo,
    pod_host_ports,
    pod_request_sums,
)
from clustersim.kubernetes.scheduler.framework import (
    CycleState,
    FilterPlugin,
    PreFilterPlugin,
    PreScorePlugin,
)
from clustersim.kubernetes.scheduler.labels import pod_namespace
from clustersim.kubernetes.scheduler.plugins.nodeaffinity import (
    required_node_affinity_matches,
)
from clustersim.kubernetes.scheduler.plugins.nodeports import port_conflict
from clustersim.kubernetes.scheduler.plugins.noderesources import (
    is_extended_resource,
    is_scalar_resource,
)
from clustersim.kubernetes.scheduler.plugins.podtopologyspread import (
    Constraint,
    DefaultSpreading,
)
from clustersim.kubernetes.scheduler.spreadcounts import SpreadCounts

if TYPE_CHECKING:
    from clustersim.kubernetes.scheduler.scheduler import Scheduler, ScheduleResult


__all__ = ["FastPath"]

_STATIC_FILTERS = ("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity")
_CACHE_SIZE = 256
_BASE = ("cpu", "memory", "ephemeral-storage")
_UNSET = (None, None, None, None)
_INFEASIBLE = np.full(1, -1, dtype=np.int64)  # the total of a node where the pod does not fit
_SHORT = 64  # nodes: below this, Python's max() of a list beats NumPy's reduction


@dataclass
class _Static:
    """Per node: passes the static filters; raw TaintToleration and NodeAffinity scores.

    ``constant``: every raw score is 0, so normalization gives the same value everywhere;
    ``all_ok``: every node passes the static filters.
    """

    ok: np.ndarray
    taint_raw: np.ndarray | None
    affinity_raw: np.ndarray | None
    constant: bool
    all_ok: bool
    matches_affinity: np.ndarray


@dataclass
class _Columns:
    """How one part of the cycle reads the node arrays: state columns, allocatable columns,
    what the pod adds to each, and the resource weights."""

    state: list[int]
    cap: list[int]
    add: list[int]
    weights: list[int]


@dataclass
class _Shape:
    """Per node, for one pod shape: feasible, Fit and BalancedAllocation scores (empty
    arrays unless needed: a node scored the plain way, or normalization that varies), and the
    weighted total (−1 where infeasible) when normalization does not vary; then also the
    highest total (``best``) and the nodes that have it, in node order (``ties``; None
    when they must be found again).

    ``rows`` gathers, as rows with one column per node, the Fit check's, Fit score's and
    BalancedAllocation's requested sums (to which ``adds``, a column, adds the pod;
    BalancedAllocation has two rows per resource, with the pod and without it) then their
    allocatable, one row each (with 1 for 0 in the scored rows, to divide by); ``split``
    says where the check and the Fit rows end and how many rows are requested sums; the
    plugins' ``score_arrays`` score the Fit and BalancedAllocation slices (their
    ``node_states`` layout).
    """

    pod: Mapping[str, Any]
    static: _Static
    rows: np.ndarray
    adds: np.ndarray
    split: tuple[int, int, int]
    fit_weights: tuple[int, ...] | None
    balanced: bool
    ports: list[tuple[str, str, int]]
    irregular: np.ndarray | None
    feasible: np.ndarray
    fit_score: np.ndarray
    bal_score: np.ndarray
    total: np.ndarray | None
    seen: int
    best: int = -1
    ties: np.ndarray | None = None
    infeasible: int | None = 0  # nodes where ``total`` is −1 (None: to be counted again)


class FastPath:
    """Array state mirroring a list of NodeInfo objects, kept current through their listeners.

    ``table`` holds one row per node, so that the few nodes a cycle reads are gathered from
    a few cache lines (one column per node spread each node over a dozen lines, which cost
    more than the arithmetic on 5,000 nodes): the non-zero cpu and memory sums, the plain
    requested sums of every resource and the pod count (columns up to ``count_col``); from
    ``cap_col`` the allocatable of every resource and of ``pods`` (``cap``, a view); from
    ``safe_col`` the same with 1 for 0 (to divide by).
    """

    def __init__(self, scheduler: Scheduler) -> None:
        self.s = scheduler
        self.source: Sequence[NodeInfo] | None = None
        self.nodes: list[NodeInfo] = []
        self.index: dict[str, int] = {}
        self.columns: dict[str, int] = {}
        self.log = np.zeros(0, dtype=np.intp)
        self.log_len = 0
        self.log_base = 0
        self.dirty: set[int] = set()
        self.static_changed = False
        self.static_cache: OrderedDict[str, _Static] = OrderedDict()
        self.shapes: OrderedDict[Any, _Shape] = OrderedDict()
        score = self.s.profile.points.get("score", ())
        filters = self.s.profile.points.get("filter", ())
        self.weights = {n: self.s.weights[n] for n in score if n in self.s.plugins}
        self.filters = [n for n in filters if n in self.s.plugins]
        self.fit = self.s.plugins.get("NodeResourcesFit")
        self.part_weights = (
            self.weights.get("NodeResourcesFit", 0),
            self.weights.get("NodeResourcesBalancedAllocation", 0),
        )
        self.bal = self.s.plugins.get("NodeResourcesBalancedAllocation")
        self.spread = self.s.plugins.get("PodTopologySpread")
        self.spread_scored = self.spread is not None and "PodTopologySpread" in self.weights
        self.spread_counts: SpreadCounts | None = None
        self.label_ids: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.spreading: dict[tuple[Any, ...], tuple[_Static, DefaultSpreading]] = {}
        self.inter_pod = "InterPodAffinity" in self.s.plugins
        self.affinity_total = 0
        self.results: list[ScheduleResult | None] = []
        from clustersim.kubernetes.scheduler.scheduler import ScheduleResult

        self.result_type = ScheduleResult

    # -- keeping the arrays current ---------------------------------------------------------
    def _attach(self, nodes: Sequence[NodeInfo]) -> None:
        """Mirror ``nodes``. The same list object of the same length is taken as unchanged;
        another list holding the same NodeInfo objects in the same order keeps the arrays."""
        if len(nodes) == len(self.nodes) and (
            nodes is self.source or all(map(operator.is_, nodes, self.nodes))
        ):
            self.source = nodes
            return
        self.source = nodes
        self.nodes = list(nodes)
        self.index = {n.name: i for i, n in enumerate(self.nodes)}
        self.names = np.array([n.name for n in self.nodes], dtype=object)
        names = {k for n in self.nodes for k in n.allocatable if is_scalar_resource(k)}
        self.columns = {name: i for i, name in enumerate((*_BASE, *sorted(names)))}
        n, r = len(self.nodes), len(self.columns)
        self.count_col = 2 + r
        self.cap_col = r + 3
        self.safe_col = self.cap_col + r + 1
        self.table = np.zeros((n, self.safe_col + r + 1), dtype=np.int64)
        self.cap = self.table[:, self.cap_col : self.safe_col]
        self.has_ports = np.zeros(n, dtype=bool)
        self.affinity_pods = [0] * n
        self.affinity_total = 0
        self.spread_counts = (
            SpreadCounts(self.nodes)
            if self.spread_scored and self.s.fast_spread and self.s.lister is not None
            else None
        )
        self.results = [None] * n
        for i, node in enumerate(self.nodes):
            for name, col in self.columns.items():
                self.cap[i, col] = node.allocatable.get(name, 0)
            self.cap[i, r] = node.allocatable.get("pods", 0)
            self._refresh(i)
            if self._changed not in node.listeners:
                node.listeners.append(self._changed)
        self.table[:, self.safe_col :] = np.where(self.cap == 0, 1, self.cap)
        self.log_base += self.log_len + 1
        self.log, self.log_len, self.dirty = np.zeros(4 * max(n, 64), dtype=np.intp), 0, set()
        self.label_ids.clear()
        self.spreading.clear()
        self.static_cache.clear()
        self.shapes.clear()

    def _changed(self, node: NodeInfo, static: bool) -> None:
        i = self.index.get(node.name)
        if i is None or self.nodes[i] is not node:
            return
        if static:
            self.static_changed = True
        else:
            self.dirty.add(i)
            at = self.log_len
            if at == len(self.log):  # shapes that saw less recompute every node
                self.log_base += at
                at = 0
            self.log[at] = i
            self.log_len = at + 1

    def _refresh(self, i: int) -> None:
        node = self.nodes[i]
        requested = node.requested
        non_zero = node.non_zero_requested
        table = self.table  # one element at a time: cheaper than converting a tuple
        table[i, 0] = non_zero["cpu"]
        table[i, 1] = non_zero["memory"]
        for name, col in self.columns.items():
            table[i, 2 + col] = requested.get(name, 0)
        table[i, self.count_col] = len(node.pods)
        self.has_ports[i] = bool(node.used_ports)
        with_affinity = len(node.pods_with_affinity)
        self.affinity_total += with_affinity - self.affinity_pods[i]
        self.affinity_pods[i] = with_affinity
        if self.spread_counts is not None:
            self.spread_counts.refresh(i)

    def _sync(self) -> None:
        for i in self.dirty:
            self._refresh(i)
        self.dirty.clear()
        if self.static_changed:
            self.static_changed = False
            self.label_ids.clear()
            self.spreading.clear()
            if self.spread_counts is not None:
                self.spread_counts.forget_domains()
            self.static_cache.clear()
            self.shapes.clear()

    # -- which pods the arrays can decide ---------------------------------------------------
    def _eligible(
        self, pod: Mapping[str, Any], spec: Mapping[str, Any], requests: Mapping[str, int]
    ) -> bool:
        """Whether the arrays decide this pod: no inter-pod affinity anywhere, no node named
        by ``matchFields``, no topology spread beyond the system defaults (which
        :meth:`_spreading` computes when the scheduler was made with ``fast_spread``),
        and no resource that no node has."""
        affinity = spec.get("affinity")
        if affinity:
            if self.inter_pod and (affinity.get("podAffinity") or affinity.get("podAntiAffinity")):
                return False
            required = (affinity.get("nodeAffinity") or {}).get(
                "requiredDuringSchedulingIgnoredDuringExecution"
            ) or {}
            if any(t.get("matchFields") for t in required.get("nodeSelectorTerms") or ()):
                return False
        if self.inter_pod and self.affinity_total:
            return False
        spread, lister = self.spread, self.s.lister
        if spread is not None:
            if spec.get("topologySpreadConstraints"):
                return False
            if lister is not None and (
                spread.constraints(pod, "DoNotSchedule", lister)
                or (
                    not (self.s.fast_spread and spread.system_defaulted)
                    and spread.constraints(pod, "ScheduleAnyway", lister)
                )
            ):
                return False
        columns = self.columns
        for name, amount in requests.items():
            if amount and name not in columns and is_scalar_resource(name):
                return False
        return True

    # -- PodTopologySpread's system defaults, from per-selector counts --------------------------
    def _spreading(
        self, pod: Mapping[str, Any], constraints: Sequence[Constraint], static: _Static
    ) -> DefaultSpreading:
        """PodTopologySpread's array scoring for a pod with only the system default (soft)
        constraints, reading the matching-pod counts that ``spread_counts`` keeps per node
        and selector (no node is ignored; a node without a zone label is in the "" zone for
        the weights). Kept per namespace, constraints (a workload's pods share them) and
        static part, until node labels change."""
        namespace = pod_namespace(pod)
        key = (namespace, id(static), *map(id, constraints))
        entry = self.spreading.get(key)
        if entry is not None and entry[0] is static:
            return entry[1]
        spread_counts = cast(SpreadCounts, self.spread_counts)   # set when fast_spread is on
        counts = [spread_counts.counts(namespace, c.selector) for c in constraints]
        domains = [self._label_ids(c.topology_key) for c in constraints]
        by_domain = [
            None
            if c.topology_key == HOSTNAME_LABEL
            else spread_counts.domain_counts(namespace, c.selector, ids)
            for c, (ids, _) in zip(constraints, domains, strict=True)
        ]
        sums = [None if kept is None else kept.per_domain for kept in by_domain]
        # the system defaults, hostname then zone: each node's (count, zone) kept as pods bind
        combined = by_domain[1] if len(by_domain) == 2 and by_domain[0] is None else None
        spreading = DefaultSpreading(
            constraints, counts, domains, static.matches_affinity, sums, combined
        )
        if len(self.spreading) >= _CACHE_SIZE:
            self.spreading.clear()
        self.spreading[key] = (static, spreading)
        return spreading

    def _label_ids(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Per node: an id for the value of label ``key`` ("" when missing) and whether the
        node has the label."""
        entry = self.label_ids.get(key)
        if entry is None:
            values: dict[str, int] = {}
            ids = np.array(
                [values.setdefault(n.labels.get(key, ""), len(values)) for n in self.nodes],
                dtype=np.intp,
            )
            has = np.array([key in n.labels for n in self.nodes], dtype=bool)
            entry = self.label_ids[key] = (ids, has)
        return entry

    # -- static part: filters and raw scores that depend on node objects only -----------------
    @staticmethod
    def _static_key(spec: Mapping[str, Any]) -> str:
        """What the static part reads from a pod spec, as text ("" when none of it is set)."""
        affinity = spec.get("affinity")
        parts = (
            spec.get("tolerations"),
            spec.get("nodeSelector"),
            affinity.get("nodeAffinity") if affinity else None,
            spec.get("nodeName"),
        )
        return "" if parts == _UNSET else repr(parts)

    def _static(self, pod: Mapping[str, Any], key: str) -> _Static:
        """The static part for ``pod``, whose :meth:`_static_key` is ``key``."""
        entry = self.static_cache.get(key)
        if entry is not None:
            return entry
        state = CycleState(pod, self.nodes, self.s.lister)
        prefilters = self.s.profile.points.get("preFilter", ())
        filters = []
        for name in self.filters:
            plugin = self.s.plugins[name]
            if name not in _STATIC_FILTERS or not isinstance(plugin, FilterPlugin):
                continue
            if (
                isinstance(plugin, PreFilterPlugin)
                and name in prefilters
                and plugin.pre_filter(state, pod)[1].skip
            ):
                continue
            filters.append(plugin)
        ok = np.array(
            [all(f.filter(state, pod, n).success for f in filters) for n in self.nodes], dtype=bool
        )
        taint_raw = affinity_raw = None
        if "TaintToleration" in self.weights:
            taint_raw = self.s.plugins["TaintToleration"].score_many(state, pod, self.nodes)
        affinity_plugin = self.s.plugins.get("NodeAffinity")
        if (
            "NodeAffinity" in self.weights
            and isinstance(affinity_plugin, PreScorePlugin)
            and not affinity_plugin.pre_score(state, pod, self.nodes).skip
        ):
            affinity_raw = affinity_plugin.score_many(state, pod, self.nodes)
        constant = not any(raw is not None and raw.any() for raw in (taint_raw, affinity_raw))
        matches_affinity = np.array(
            [required_node_affinity_matches(pod, n) for n in self.nodes], dtype=bool
        )
        entry = _Static(ok, taint_raw, affinity_raw, constant, bool(ok.all()), matches_affinity)
        self.static_cache[key] = entry
        if len(self.static_cache) > _CACHE_SIZE:
            self.static_cache.popitem(last=False)
        return entry

    # -- dynamic part: resources and ports ---------------------------------------------------
    def _scorer_columns(
        self,
        resources: Sequence[tuple[str, int]],
        plain: Mapping[str, int],
        non_zero: tuple[int, int] | None,
        node_states: int = 1,
    ) -> _Columns:
        """Upstream's ``calculateResourceAllocatableRequest`` as column choices: cpu and
        memory from the non-zero sums unless ``non_zero`` is None; a scalar resource the pod
        does not request, or that no node has, is left out. With ``node_states`` 2, each
        resource has a second row without the pod's request (what the node holds)."""
        state, cap, add, weights = [], [], [], []
        for name, weight in resources:
            col = self.columns.get(name)
            if col is None:
                continue
            if non_zero is not None and name in ("cpu", "memory"):
                k = 0 if name == "cpu" else 1
                state.append(k)
                add.append(non_zero[k])
            else:
                if plain.get(name, 0) == 0 and is_scalar_resource(name):
                    continue
                state.append(2 + col)
                add.append(plain.get(name, 0))
            cap.append(col)
            weights.append(weight)
            if node_states == 2:
                state.append(state[-1])
                add.append(0)
                cap.append(col)
        return _Columns(state, cap, add, weights)

    def _check_columns(self, plain: Mapping[str, int]) -> _Columns:
        """The Fit filter as columns: ``requested + want ≤ allocatable`` for each resource the
        pod requests (ignored extended resources aside), and ``pods + 1 ≤ pods allocatable``."""
        state, cap, add = [], [], []
        if "NodeResourcesFit" in self.filters and self.fit is not None:
            for name, col in self.columns.items():
                want = plain.get(name, 0)
                if want == 0 or (
                    is_extended_resource(name)
                    and (
                        name in self.fit.ignored_resources
                        or name.split("/")[0] in self.fit.ignored_groups
                    )
                ):
                    continue
                state.append(2 + col)
                cap.append(col)
                add.append(want)
            state.append(self.count_col)
            cap.append(len(self.columns))
            add.append(1)
        return _Columns(state, cap, add, [])

    def _shape(
        self,
        pod: Mapping[str, Any],
        spec: Mapping[str, Any],
        plain: Mapping[str, int],
        nz_cpu: int,
        nz_memory: int,
    ) -> _Shape:
        ports = pod_host_ports(pod)
        static_key = self._static_key(spec)
        key = (static_key, tuple(plain.items()), nz_cpu, nz_memory, tuple(ports))
        shape = self.shapes.get(key)
        if shape is not None:
            return shape
        static = self._static(pod, static_key)
        empty = _Columns([], [], [], [])
        fit = bal = empty
        if "NodeResourcesFit" in self.weights and self.fit is not None:
            fit = self._scorer_columns(self.fit.resources, plain, (nz_cpu, nz_memory))
        balanced = False
        if "NodeResourcesBalancedAllocation" in self.weights and self.bal is not None:
            state = CycleState(pod, self.nodes)
            balanced = not self.bal.pre_score(state, pod, self.nodes).skip
            if balanced:
                bal = self._scorer_columns(self.bal.resources, plain, None, node_states=2)
        check = self._check_columns(plain)
        scored = [*fit.cap, *bal.cap]
        irregular = (self.cap[:, scored] == 0).any(axis=1) if scored else None
        requested = [*check.state, *fit.state, *bal.state]
        rows = [
            *requested,
            *(self.cap_col + c for c in check.cap),
            *(self.safe_col + c for c in scored),
        ]
        if irregular is not None and not irregular.any():
            irregular = None
        # per-plugin arrays only where totals are not kept whole (see _compute)
        n = len(self.nodes) if irregular is not None or not static.constant else 0
        shape = _Shape(
            pod,
            static,
            np.array(rows, dtype=np.intp),
            np.array([[a] for a in (*check.add, *fit.add, *bal.add)], dtype=np.int64),
            (len(check.state), len(check.state) + len(fit.state), len(requested)),
            tuple(fit.weights) if fit is not empty else None,
            balanced,
            ports,
            irregular,
            np.zeros(n, dtype=bool),
            np.zeros(n, dtype=np.int64),
            np.zeros(n, dtype=np.int64),
            None,
            0,
        )
        self._compute(shape, np.arange(len(self.nodes)))
        self.shapes[key] = shape
        if len(self.shapes) > _CACHE_SIZE:
            self.shapes.popitem(last=False)
        return shape

    def _compute(self, shape: _Shape, idx: np.ndarray) -> None:
        """Recompute feasibility and scores of the nodes ``idx`` for one shape.

        A shape whose normalized scores do not vary keeps only its weighted totals (−1 where
        infeasible); the others keep feasibility and each plugin's score for :meth:`_totals`.
        Those totals leave out TaintToleration and NodeAffinity, whose normalized scores are
        then the same on every node (100 and 0): a constant does not change which node is best.
        """
        static = shape.static
        constant = static.constant
        if constant and shape.total is None and len(idx) != len(self.nodes):
            idx = np.arange(len(self.nodes))
        # the nodes' rows, then the shape's columns of them as rows: requested, allocatable
        gathered = self.table.take(idx, 0).T.take(shape.rows, 0)
        first, second, width = shape.split
        requested, allocatable = gathered[:width], gathered[width:]
        requested += shape.adds
        feasible = cast(np.ndarray, np.logical_and.reduce(requested[:first] <= allocatable[:first]))
        if not static.all_ok:
            feasible &= static.ok[idx]
        if shape.ports and "NodePorts" in self.filters:
            for j in np.flatnonzero(feasible & self.has_ports[idx]):
                used = self.nodes[idx[j]].used_ports
                feasible[j] = not any(port_conflict(used, *p) for p in shape.ports)
        # nodes where a scored allocatable was 0 (1 in ``allocatable``) are scored again
        fit = bal = None
        if shape.fit_weights is not None:
            fit = self.fit.score_arrays(
                requested[first:second], allocatable[first:second], shape.fit_weights
            )
        if shape.balanced:
            layout = (-1, 2, len(idx))  # resource, with the pod or without, node
            bal = self.bal.score_arrays(
                requested[second:].reshape(layout), allocatable[second:].reshape(layout), ()
            )
        if shape.irregular is not None or not constant:
            shape.feasible[idx] = feasible
            if fit is not None:
                shape.fit_score[idx] = fit
            if bal is not None:
                shape.bal_score[idx] = bal
            if shape.irregular is not None:
                for j in np.flatnonzero(shape.irregular[idx]):
                    self._reference_scores(shape, int(idx[j]))
                fit = shape.fit_score[idx] if fit is not None else None
                bal = shape.bal_score[idx] if bal is not None else None
        if not constant:
            return
        fit_weight, bal_weight = self.part_weights
        if fit is not None:
            total = fit if fit_weight == 1 else np.multiply(fit, fit_weight, out=fit)
            if bal is not None:
                total += bal if bal_weight == 1 else bal * bal_weight
        elif bal is not None:
            total = bal if bal_weight == 1 else np.multiply(bal, bal_weight, out=bal)
        else:
            total = np.zeros(len(idx), dtype=np.int64)
        total = np.where(feasible, total, _INFEASIBLE)
        if shape.total is None:
            shape.total = np.empty(len(self.nodes), dtype=np.int64)
            shape.infeasible = len(idx) - int(np.count_nonzero(feasible))
            shape.total[idx] = total
            return
        if len(idx) == 1 and shape.infeasible is not None:   # one node bound since
            shape.infeasible += int(not feasible[0]) - int(shape.total[idx[0]] < 0)
        elif shape.infeasible == 0 and self.s.lister is not None and feasible.all():
            pass    # none before, none among the changed nodes (asked only when spreading)
        else:
            shape.infeasible = None     # counted again when asked (a node may be logged twice)
        shape.total[idx] = total
        if shape.ties is not None:
            self._update_ties(shape, idx, total)

    @staticmethod
    def _update_ties(shape: _Shape, idx: np.ndarray, total: np.ndarray) -> None:
        """Keep ``shape.ties`` after the nodes ``idx`` got the totals ``total``: the old tied
        nodes that kept the best total, or the changed nodes if one of them now beats it;
        found again (None) when a changed node reaches the best or no tied node is left."""
        # a short vector's maximum is found faster in Python than by a NumPy reduction
        highest = max(total.tolist()) if len(total) <= _SHORT else total.max()
        if highest > shape.best:
            shape.best = int(highest)
            shape.ties = np.unique(idx[total == highest])
        elif highest == shape.best:
            shape.ties = None
        else:
            ties = cast(np.ndarray, shape.ties)
            ties = ties[shape.total.take(ties) == shape.best]
            shape.ties = ties if len(ties) else None

    def _reference_scores(self, shape: _Shape, i: int) -> None:
        """A node where a scored resource has allocatable 0: upstream leaves that resource
        out for that node alone, so score it the plain way."""
        node = self.nodes[i]
        state = CycleState(shape.pod, self.nodes)
        if shape.fit_weights is not None:
            shape.fit_score[i] = self.fit.score(state, shape.pod, node)
        if shape.balanced:
            shape.bal_score[i] = self.bal.score(state, shape.pod, node)

    def _weighted(self, shape: _Shape, idx: np.ndarray) -> np.ndarray:
        total = np.zeros(len(idx), dtype=np.int64)
        if shape.fit_weights is not None:
            total += shape.fit_score[idx] * self.weights["NodeResourcesFit"]
        if shape.balanced:
            total += shape.bal_score[idx] * self.weights["NodeResourcesBalancedAllocation"]
        return total

    def _totals(self, shape: _Shape, feasible: np.ndarray | None = None) -> np.ndarray:
        """Weighted totals, −1 outside ``feasible`` (default: the shape's feasible nodes),
        normalizing over those nodes (for a shape whose normalized scores vary; the others
        keep ``shape.total``)."""
        if feasible is None:
            feasible = shape.feasible
        total = self._weighted(shape, np.arange(len(self.nodes)))
        static = shape.static
        state = CycleState(shape.pod, self.nodes, self.s.lister)
        parts = (("TaintToleration", static.taint_raw), ("NodeAffinity", static.affinity_raw))
        for name, raw in parts:
            if raw is not None:
                normalized = np.zeros(len(self.nodes), dtype=np.int64)
                normalized[feasible] = self.s.plugins[name].normalize_many(
                    state, shape.pod, self.names[feasible], raw[feasible]
                )
                total += normalized * self.weights[name]
        return np.where(feasible, total, -1)

    # -- percentageOfNodesToScore ---------------------------------------------------------------
    def _sampled(
        self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo], shape: _Shape
    ) -> ScheduleResult:
        """The reference's sampled cycle over arrays: walk from ``next_start``, keep the first
        ``to_find`` feasible nodes (in walk order), normalize and score over those only, and
        draw ties in walk order (``Scheduler._filter`` with ``sample``)."""
        count = len(self.nodes)
        feasible = shape.total >= 0 if shape.total is not None else shape.feasible
        start = self.s.next_start % count
        where = np.flatnonzero(feasible)  # in node order; the walk starts at ``start``
        cut = int(np.searchsorted(where, start))
        found = np.concatenate((where[cut:], where[:cut])) if cut else where
        if not len(found):
            return self.s.schedule_reference(pod, nodes)  # the FailedScheduling message
        wanted = self.s.to_find(count)
        processed = count
        if len(found) >= wanted:
            found = found[:wanted]
            processed = int((found[-1] - start) % count) + 1
        self.s.next_start = (self.s.next_start + processed) % count
        if len(found) > 1:
            constraints = (
                self.spread.constraints(pod, "ScheduleAnyway", self.s.lister)
                if self.spread_scored and self.s.lister is not None
                else None
            )
            chosen = None
            if shape.total is None or constraints:
                chosen = np.zeros(count, dtype=bool)
                chosen[found] = True
            totals = shape.total if shape.total is not None else self._totals(shape, chosen)
            if constraints:
                spreading = self._spreading(pod, constraints, shape.static)
                totals = totals + spreading.scores(chosen, self.weights["PodTopologySpread"])
            values = totals[found]
            found = found[values == values.max()]
        pick = int(found[0] if len(found) == 1 else found[self.s.rng.randrange(len(found))])
        return self.result_type(self.nodes[pick].name)

    # -- one pod -------------------------------------------------------------------------------
    def schedule(self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> ScheduleResult:
        """The reference cycle's choice for ``pod``; pods the arrays cannot decide, and pods
        that fit nowhere, go through the reference cycle. A successful result is made once per
        node and then returned again (``ScheduleResult`` is frozen)."""
        if not nodes:
            return self.s.schedule_reference(pod, nodes)
        if nodes is not self.source or len(nodes) != len(self.nodes):
            self._attach(nodes)
        if self.dirty or self.static_changed:
            self._sync()
        spec = pod.get("spec") or {}
        plain, nz_cpu, nz_memory = pod_request_sums(pod)
        if not self._eligible(pod, spec, plain):
            return self.s.schedule_reference(pod, nodes)
        shape = self._shape(pod, spec, plain, nz_cpu, nz_memory)
        base = self.log_base
        position = base + self.log_len
        if shape.seen < base:
            self._compute(shape, np.arange(len(self.nodes)))
        elif shape.seen < position:
            self._compute(shape, self.log[shape.seen - base : self.log_len])
        shape.seen = position
        if self.s.to_find(len(self.nodes)) < len(self.nodes):
            return self._sampled(pod, nodes, shape)
        totals = shape.total if shape.total is not None else self._totals(shape)
        if self.spread_scored and self.s.lister is not None:
            constraints = self.spread.constraints(pod, "ScheduleAnyway", self.s.lister)
            if totals is shape.total and shape.infeasible is None:
                shape.infeasible = int(np.count_nonzero(totals < 0))
            everywhere = totals is shape.total and not shape.infeasible
            feasible = None if everywhere else totals >= 0
            if constraints and (feasible is None or feasible.any()):
                if feasible is not None and feasible.all():
                    feasible = None
                spreading = self._spreading(pod, constraints, shape.static)
                spread = spreading.scores(feasible, self.weights["PodTopologySpread"])
                if feasible is None:
                    totals = np.add(spread, totals, out=spread)
                else:
                    totals = np.where(feasible, totals + spread, -1)
        if totals is shape.total and shape.ties is not None:
            ties = shape.ties
        else:
            best = totals.max()
            if best < 0:
                return self.s.schedule_reference(pod, nodes)
            ties = (totals == best).nonzero()[0]
            if totals is shape.total:
                shape.best, shape.ties = int(best), ties
        pick = int(ties[0] if len(ties) == 1 else ties[self.s.rng.randrange(len(ties))])
        result = self.results[pick]
        if result is None:
            result = self.results[pick] = self.result_type(self.nodes[pick].name)
        return result
