"""NodeResourcesFit and NodeResourcesBalancedAllocation: does the pod fit, and how full is the node.

Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/noderesources/``:
``fit.go`` (filter, scoring strategies), ``resource_allocation.go`` (requested/allocatable per
resource), ``least_allocated.go``, ``most_allocated.go``, ``requested_to_capacity_ratio.go``
with ``plugins/helper/shape_score.go`` (the broken-linear shape), ``balanced_allocation.go``;
argument validation in ``pkg/scheduler/apis/config/validation/validation_pluginargs.go``.

BalancedAllocation scores how the pod changes the node's balance, as upstream does since
Kubernetes 1.36 (kubernetes/kubernetes#135573, in CHANGELOG-1.36 under "Bug or Regression":
the score now considers the balance with and without the requested pod): the balance with the
pod and without it, each ``int((1 − std) · 100)`` in 50..100, give ``50 + (50 + with −
without) / 2``, so 75 when the pod leaves the balance as it was, towards 100 when it evens the
node out, towards 50 when it tips it. Up to 1.35 the score was the balance with the pod alone.
Checked against the PR's diff of ``balanced_allocation.go`` in its review thread, its test
table (62 and 62 for "requested resources at node capacity", which this formula gives) and
``resource_allocation.go`` after the merge (every scorer now takes requested, allocated and
allocatable; the Fit strategies ignore allocated).

All arithmetic is integer as upstream's int64 (Go division truncates toward zero), except
BalancedAllocation's standard deviation, which upstream computes in float64 as here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from clustersim.kubernetes.nodeinfo import NodeInfo, pod_requests
from clustersim.kubernetes.scheduler.framework import (
    MAX_NODE_SCORE,
    SKIP,
    SUCCESS,
    CycleState,
    FilterScorePlugin,
    PreScorePlugin,
    ScorePlugin,
    Status,
)

__all__ = [
    "BalancedAllocation",
    "Fit",
    "balanced_allocation_score",
    "balanced_allocation_score_many",
    "balanced_score",
    "balanced_score_many",
    "broken_linear",
    "broken_linear_many",
    "go_div",
    "go_div_many",
    "go_round",
    "go_round_many",
    "is_scalar_resource",
    "least_allocated_score",
    "most_allocated_score",
    "requested_to_capacity_ratio_score",
]

MAX_CUSTOM_PRIORITY_SCORE = 10
"""``config.MaxCustomPriorityScore``: shape scores are 0..10, scaled by 100/10."""
MAX_UTILIZATION = 100
_DEFAULT_RESOURCES = ({"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1})
_STRATEGIES = ("LeastAllocated", "MostAllocated", "RequestedToCapacityRatio")
_NATIVE = ("cpu", "memory", "ephemeral-storage", "pods")
# The array forms' constants as 0-d arrays: NumPy takes one as an operand faster than a
# Python number, which it converts at every call (the array forms run once per pod)
_ONE = np.array(1.0)
_TWO = np.array(2.0)
_MAX_SCORE_FLOAT = np.array(float(MAX_NODE_SCORE))
_MAX_SCORE = np.array(MAX_NODE_SCORE, dtype=np.int64)
_TWO_INT = np.array(2, dtype=np.int64)
_THREE_HALVES = np.array(3 * (MAX_NODE_SCORE // 2), dtype=np.int64)
_ZERO_INT = np.array(0, dtype=np.int64)


def go_div(a: int, b: int) -> int:
    """Go's integer division: truncates toward zero (Python's ``//`` floors)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def go_round(value: float) -> int:
    """Go's ``math.Round`` for a value ≥ 0: halves away from zero."""
    whole = math.floor(value)
    return whole + 1 if value - whole >= 0.5 else whole


def is_scalar_resource(name: str) -> bool:
    """``schedutil.IsScalarResourceName``: extended resources, hugepages, attachable volumes."""
    if name.startswith(("hugepages-", "attachable-volumes-")):
        return True
    return is_extended_resource(name)


def is_extended_resource(name: str) -> bool:
    """``v1helper.IsExtendedResourceName``: a domain-prefixed name outside kubernetes.io."""
    return "/" in name and "kubernetes.io/" not in name and not name.startswith("requests.")


# -- scorers over (requested, allocatable) per configured resource ---------------------------
def _weighted_score(
    requested: Sequence[int], allocatable: Sequence[int], weights: Sequence[int],
    per_resource: Callable[[int, int], int],
) -> int:
    """Σ w·per_resource(req, cap) / Σ w over the resources with cap > 0 (upstream's
    ``resourceAllocationScorer`` loop, shared by both strategies)."""
    total = weight_sum = 0
    for req, cap, weight in zip(requested, allocatable, weights, strict=True):
        if cap == 0:
            continue
        total += per_resource(req, cap) * weight
        weight_sum += weight
    return total // weight_sum if weight_sum else 0


def least_allocated_score(
    requested: Sequence[int], allocatable: Sequence[int], weights: Sequence[int]
) -> int:
    """``leastResourceScorer``: Σ w·((cap−req)·100/cap) / Σ w over resources with cap > 0."""
    return _weighted_score(requested, allocatable, weights, lambda req, cap: (
        0 if req > cap else (cap - req) * MAX_NODE_SCORE // cap))


def most_allocated_score(
    requested: Sequence[int], allocatable: Sequence[int], weights: Sequence[int]
) -> int:
    """``mostResourceScorer``: Σ w·(min(req, cap)·100/cap) / Σ w over resources with cap > 0."""
    return _weighted_score(requested, allocatable, weights,
                           lambda req, cap: min(req, cap) * MAX_NODE_SCORE // cap)


def broken_linear(shape: Sequence[tuple[int, int]], p: int) -> int:
    """``helper.BuildBrokenLinearFunction``: interpolate (utilization, score) points at ``p``."""
    for i, (utilization, score) in enumerate(shape):
        if p <= utilization:
            if i == 0:
                return score
            u0, s0 = shape[i - 1]
            return s0 + go_div((score - s0) * (p - u0), utilization - u0)
    return shape[-1][1]


def requested_to_capacity_ratio_score(shape: Sequence[tuple[int, int]]) -> Callable[..., int]:
    """``requestedToCapacityRatioScorer`` for a shape already scaled to 0..100."""

    def scorer(requested: Sequence[int], allocatable: Sequence[int], weights: Sequence[int]) -> int:
        total = weight_sum = 0
        for req, cap, weight in zip(requested, allocatable, weights, strict=True):
            if cap == 0:
                continue
            if req > cap:
                score = broken_linear(shape, MAX_UTILIZATION)
            else:
                score = broken_linear(shape, req * MAX_UTILIZATION // cap)
            if score > 0:
                total += score * weight
                weight_sum += weight
        if weight_sum == 0:
            return 0
        return go_round(total / weight_sum)

    return scorer


def _go_float_sum(values: Iterable[float]) -> float:
    """Σ values added one after another from 0, as upstream's Go loops add float64s.

    Not the built-in ``sum``: since Python 3.12 it compensates the rounding of float sums
    (Neumaier), which can move a score by one (fractions 16/25, 1, 1/25 and 0 give 58 in
    Go's order, 57 compensated).
    """
    total = 0.0
    for value in values:
        total += value
    return total


def balanced_score(requested: Sequence[int], allocatable: Sequence[int]) -> int:
    """``balancedResourceScore``, the balance of one state of the node: int((1 − std of the
    fractions capped at 1) · 100), in 50..100 (a std of fractions in 0..1 is at most 0.5)."""
    fractions = [
        min(req / cap, 1.0) for req, cap in zip(requested, allocatable, strict=True) if cap != 0
    ]
    std = 0.0
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = _go_float_sum(fractions) / len(fractions)
        squares = _go_float_sum((f - mean) * (f - mean) for f in fractions)
        std = math.sqrt(squares / len(fractions))
    return int((1 - std) * MAX_NODE_SCORE)


def balanced_allocation_score(
    requested: Sequence[int], allocated: Sequence[int], allocatable: Sequence[int]
) -> int:
    """``balancedResourceScorer`` (Kubernetes 1.36+): how the pod changes the node's balance.

    ``requested`` is what the node would hold with the pod, ``allocated`` what it holds
    without it: ``50 + (50 + balance with − balance without) / 2`` (:func:`balanced_score`
    each), so 75 for no change, 100 from fully uneven to even, 50 from even to fully uneven.
    """
    half = MAX_NODE_SCORE // 2
    change = balanced_score(requested, allocatable) - balanced_score(allocated, allocatable)
    return half + go_div(half + change, 2)


# -- the same scorers over NumPy arrays: one row per resource, one column per node -----------
# Each takes ``requested`` and ``allocatable`` (int64) for nodes whose every resource has
# allocatable > 0 (upstream leaves a resource out on a node where it is 0; callers score such
# a node with the per-node functions above). Resources come first so that each resource's
# values are one contiguous row: on the few dozen nodes the fast path rescores per pod, a
# NumPy operation costs about three times as much on broadcast, strided or mixed-type operands
# as on contiguous ones of one shape and type.
def go_div_many(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`go_div` elementwise."""
    q = np.abs(a) // np.abs(b)
    return np.where((a < 0) != (b < 0), -q, q)


def go_round_many(x: np.ndarray) -> np.ndarray:
    """:func:`go_round` elementwise (values ≥ 0)."""
    whole = np.floor(x)
    return (whole + (x - whole >= 0.5)).astype(np.int64)


def broken_linear_many(shape: Sequence[tuple[int, int]], p: np.ndarray) -> np.ndarray:
    """:func:`broken_linear` elementwise."""
    out = np.full(p.shape, shape[-1][1], dtype=np.int64)
    done = np.zeros(p.shape, dtype=bool)
    for i, (utilization, score) in enumerate(shape):
        here = ~done & (p <= utilization)
        if i == 0:
            value = np.full(p.shape, score, dtype=np.int64)
        else:
            u0, s0 = shape[i - 1]
            value = s0 + go_div_many((score - s0) * (p - u0), np.full(p.shape, utilization - u0))
        out = np.where(here, value, out)
        done |= here
    return out


def balanced_score_many(requested: np.ndarray, allocatable: np.ndarray) -> np.ndarray:
    """:func:`balanced_score` along the first axis (one resource per row), with the same
    float64 operations in the same order; the other axes are kept, so that several states
    of the nodes (with and without the pod) are scored in one call."""
    return _balance_of_fractions(np.minimum(requested / allocatable, 1.0))


def _balance_of_fractions(fractions: np.ndarray) -> np.ndarray:
    """:func:`balanced_score` from the capped fractions (first axis: resources); may
    overwrite ``fractions``."""
    k = fractions.shape[0]
    if k == 2:
        std = fractions[0] - fractions[1]
        std /= _TWO
        np.abs(std, out=std)
    elif k > 2:
        total = fractions[0] + 0.0
        for j in range(1, k):
            total = total + fractions[j]
        mean = total / k
        squares = (fractions[0] - mean) * (fractions[0] - mean)
        for j in range(1, k):
            squares = squares + (fractions[j] - mean) * (fractions[j] - mean)
        std = np.sqrt(squares / k)
    else:
        std = np.zeros(fractions.shape[1:])
    np.subtract(_ONE, std, out=std)
    std *= _MAX_SCORE_FLOAT
    return std.astype(np.int64)


def balanced_allocation_score_many(requested: np.ndarray, allocatable: np.ndarray) -> np.ndarray:
    """:func:`balanced_allocation_score` per node. ``requested`` has one row per resource,
    then the node's two states, with the pod (``[:, 0]``) and without it (``[:, 1]``,
    upstream's ``allocated``), then one column per node; ``allocatable`` the same shape (or
    one that broadcasts to it). Both balances come from one array of fractions, so that each
    NumPy operation runs once over both states. ``half + (half + change) // 2`` is computed
    as ``(3 · half + change) // 2``, the same integer since ``2 · half`` is even; ``half +
    change`` is never negative, the balances being in 50..100, so flooring is Go's
    truncation."""
    fractions = np.divide(requested, allocatable)
    np.minimum(fractions, _ONE, out=fractions)
    balance = _balance_of_fractions(fractions)
    change = balance[0] - balance[1]
    change += _THREE_HALVES
    change //= _TWO_INT
    return change


# -- arguments ---------------------------------------------------------------------------------
def _resources(raw: Any, where: str, *, exactly_one: bool) -> list[tuple[str, int]]:
    if raw is None:
        raw = list(_DEFAULT_RESOURCES)
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: expected a non-empty list of {{name, weight}}, got {raw!r}")
    seen: list[tuple[str, int]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise ValueError(f"{where}[{i}]: expected {{name: <resource>, weight: <int>}}")
        name = item["name"]
        weight = item.get("weight", 0)
        if not isinstance(weight, int) or isinstance(weight, bool):
            raise ValueError(f"{where}[{i}].weight: must be a whole number, got {weight!r}")
        weight = weight or 1  # v1 defaulting: an unset weight is 1
        if name in (n for n, _ in seen):
            raise ValueError(f"{where}[{i}].name: duplicate resource {name!r}")
        if exactly_one and weight != 1:
            raise ValueError(f"{where}[{i}].weight: must be 1, got {weight}")
        if not 1 <= weight <= 100:
            raise ValueError(f"{where}[{i}].weight: must be in the range 1..100, got {weight}")
        seen.append((name, weight))
    return seen


def _shape(raw: Any, where: str) -> list[tuple[int, int]]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(
            f"{where}: RequestedToCapacityRatio needs a non-empty shape "
            "(a list of {utilization: 0..100, score: 0..10})"
        )
    shape: list[tuple[int, int]] = []
    for i, point in enumerate(raw):
        utilization = point.get("utilization") if isinstance(point, Mapping) else None
        score = point.get("score") if isinstance(point, Mapping) else None
        if not isinstance(utilization, int) or not 0 <= utilization <= 100:
            raise ValueError(
                f"{where}[{i}].utilization: must be a whole number in 0..100, got {utilization!r}"
            )
        if not isinstance(score, int) or not 0 <= score <= MAX_CUSTOM_PRIORITY_SCORE:
            raise ValueError(f"{where}[{i}].score: must be a whole number in 0..10, got {score!r}")
        if shape and utilization <= shape[-1][0]:
            raise ValueError(
                f"{where}[{i}].utilization: utilization values must be sorted in "
                "increasing order without duplicates"
            )
        shape.append((utilization, score * (MAX_NODE_SCORE // MAX_CUSTOM_PRIORITY_SCORE)))
    return shape


def allocatable_and_requested(
    node: NodeInfo, resource: str, pod_request: int, use_requested: bool
) -> tuple[int, int]:
    """``calculateResourceAllocatableRequest``: (allocatable, node requests + the pod's).

    cpu and memory use the non-zero sums unless ``use_requested``; a scalar resource the pod
    does not request gives (0, 0) so that scoring leaves it out.
    """
    if pod_request == 0 and is_scalar_resource(resource):
        return 0, 0
    if resource in ("cpu", "memory"):
        sums = node.requested if use_requested else node.non_zero_requested
        return node.allocatable.get(resource, 0), sums.get(resource, 0) + pod_request
    if resource == "ephemeral-storage" or resource in node.allocatable:
        return node.allocatable.get(resource, 0), node.requested.get(resource, 0) + pod_request
    return 0, 0


class _ResourceScorer:
    """What Fit's scoring and BalancedAllocation share (upstream ``resourceAllocationScorer``)."""

    resources: list[tuple[str, int]]
    use_requested: bool

    def pod_request_list(self, pod: Mapping[str, Any]) -> list[int]:
        requests = pod_requests(pod, non_zero=not self.use_requested)
        return [requests.get(name, 0) for name, _ in self.resources]

    def node_vectors(self, node: NodeInfo, pod_list: Sequence[int]) -> tuple[list[int], list[int]]:
        requested, allocatable = [], []
        for (name, _), pod_request in zip(self.resources, pod_list, strict=True):
            cap, req = allocatable_and_requested(node, name, pod_request, self.use_requested)
            allocatable.append(cap)
            requested.append(req if cap else 0)
        return requested, allocatable

    node_states = 1
    """How many states of each node :meth:`score_arrays` reads: 1, the node with the pod;
    2, with the pod and without it (upstream's ``requested`` and ``allocated``)."""

    def score_arrays(
        self, requested: np.ndarray, allocatable: np.ndarray, weights: Sequence[int]
    ) -> np.ndarray:
        """The plugin's score per node (each allocatable > 0), over the resources the pod is
        scored on, with their ``weights``. ``requested`` has one row per resource and one
        column per node (with :attr:`node_states` 2, a middle axis: the node with the pod,
        then without it); ``allocatable`` has its shape."""
        raise NotImplementedError

    def score_many(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> np.ndarray:
        """:meth:`score_arrays` over the nodes' vectors; a node where some resource has
        allocatable 0 is scored one by one, as upstream leaves that resource out there."""
        pod_list = self.pod_request_list(pod)
        vectors = [self.node_vectors(node, pod_list) for node in nodes]
        used = [j for j, (name, _) in enumerate(self.resources)
                if any(v[1][j] for v in vectors)]
        requested = np.array([[v[0][j] for v in vectors] for j in used], dtype=np.int64)
        allocatable = np.array([[v[1][j] for v in vectors] for j in used], dtype=np.int64)
        requested = requested.reshape(len(used), len(nodes))
        allocatable = allocatable.reshape(len(used), len(nodes))
        regular = (allocatable > 0).all(axis=0)
        out = np.zeros(len(nodes), dtype=np.int64)
        if regular.any():
            requested, allocatable = requested[:, regular], allocatable[:, regular]
            if self.node_states == 2:
                own = np.array([[pod_list[j]] for j in used], dtype=np.int64)
                requested = np.stack((requested, requested - own), axis=1)
                allocatable = np.stack((allocatable, allocatable), axis=1)
            out[regular] = self.score_arrays(
                requested, allocatable, [self.resources[j][1] for j in used]
            )
        for i in np.flatnonzero(~regular):
            out[i] = self.score(state, pod, nodes[i])
        return out


class Fit(_ResourceScorer, FilterScorePlugin):
    """Filter: the pod's requests must fit the node's free allocatable, and one more pod must
    fit ``pods``. Score: the configured ``scoringStrategy`` (LeastAllocated by default)."""

    name = "NodeResourcesFit"

    def __init__(self, args: Mapping[str, Any] | None = None) -> None:
        super().__init__(args)
        where = "pluginConfig NodeResourcesFit args"
        strategy = self.args.get("scoringStrategy") or {}
        if not isinstance(strategy, Mapping):
            raise ValueError(f"{where}.scoringStrategy: expected a mapping, got {strategy!r}")
        self.strategy = strategy.get("type") or "LeastAllocated"
        if self.strategy not in _STRATEGIES:
            raise ValueError(
                f"{where}.scoringStrategy.type: {self.strategy!r} is not valid; "
                f"use one of {', '.join(_STRATEGIES)}"
            )
        self.resources = _resources(
            strategy.get("resources"), f"{where}.scoringStrategy.resources", exactly_one=False
        )
        self.weights = [w for _, w in self.resources]
        self.shape: list[tuple[int, int]] = []
        if self.strategy == "RequestedToCapacityRatio":
            ratio = strategy.get("requestedToCapacityRatio") or {}
            self.shape = _shape(
                ratio.get("shape"), f"{where}.scoringStrategy.requestedToCapacityRatio.shape"
            )
            self.scorer: Callable[..., int] = requested_to_capacity_ratio_score(self.shape)
        elif self.strategy == "MostAllocated":
            self.scorer = most_allocated_score
        else:
            self.scorer = least_allocated_score
        self.ignored_resources = frozenset(self.args.get("ignoredResources") or ())
        self.ignored_groups = frozenset(self.args.get("ignoredResourceGroups") or ())
        self.use_requested = False

    def pre_filter(self, state: CycleState, pod: Mapping[str, Any]) -> tuple[None, Status]:
        state.data[self.name] = pod_requests(pod)
        return None, SUCCESS

    def insufficient(self, requests: Mapping[str, int], node: NodeInfo) -> list[tuple[str, bool]]:
        """``fitsRequest``: (reason, unresolvable) for each resource that does not fit."""
        out: list[tuple[str, bool]] = []
        if len(node.pods) + 1 > node.allocatable.get("pods", 0):
            out.append(("Too many pods", False))
        if not any(v for k, v in requests.items() if k in _NATIVE[:3] or is_scalar_resource(k)):
            return out
        for name in _NATIVE[:3]:
            want = requests.get(name, 0)
            have = node.allocatable.get(name, 0)
            if want > 0 and want > have - node.requested.get(name, 0):
                out.append((f"Insufficient {name}", want > have))
        for name in sorted(requests):
            want = requests[name]
            if want == 0 or not is_scalar_resource(name):
                continue
            if is_extended_resource(name) and (
                name in self.ignored_resources or name.split("/")[0] in self.ignored_groups
            ):
                continue
            have = node.allocatable.get(name, 0)
            if want > have - node.requested.get(name, 0):
                out.append((f"Insufficient {name}", want > have))
        return out

    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        requests = state.data.get(self.name)
        if requests is None:
            requests = pod_requests(pod)
        insufficient = self.insufficient(requests, node)
        if not insufficient:
            return SUCCESS
        reasons = tuple(reason for reason, _ in insufficient)
        if any(unresolvable for _, unresolvable in insufficient):
            return Status.unresolvable(*reasons)
        return Status.unschedulable(*reasons)

    def pre_score(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> Status:
        state.data[self.name + "/score"] = self.pod_request_list(pod)
        return SUCCESS

    def score(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> int:
        pod_list = state.data.get(self.name + "/score") or self.pod_request_list(pod)
        requested, allocatable = self.node_vectors(node, pod_list)
        return self.scorer(requested, allocatable, self.weights)

    def score_arrays(
        self, requested: np.ndarray, allocatable: np.ndarray, weights: Sequence[int]
    ) -> np.ndarray:
        """The scoring strategy per node (column), as :func:`least_allocated_score`,
        :func:`most_allocated_score` or :func:`requested_to_capacity_ratio_score` per node."""
        if self.strategy == "RequestedToCapacityRatio":
            w = np.asarray(weights, dtype=np.int64)
            utilization = np.where(
                requested > allocatable,
                MAX_UTILIZATION,
                requested * MAX_UTILIZATION // allocatable,
            )
            per = broken_linear_many(self.shape, utilization)
            counted = per > 0
            total = w @ (per * counted)
            weight_sum = w @ counted.astype(np.int64)
            return np.where(
                weight_sum > 0, go_round_many(total / np.where(weight_sum > 0, weight_sum, 1)), 0
            )
        if self.strategy == "MostAllocated":
            per = np.minimum(requested, allocatable)
        else:  # 0 when requested > allocatable, as leastRequestedScore returns early
            per = allocatable - requested
            np.maximum(per, _ZERO_INT, out=per)
        per *= _MAX_SCORE
        per //= allocatable
        weights_total = sum(weights)
        if not weights_total:
            return np.zeros(per.shape[1], np.int64)
        # Σ w·per resource by resource: for the few resources scored, cheaper than a matrix
        # product, and a weight of 1 (the default) needs no multiplication
        rows = [per[j] if w == 1 else per[j] * w for j, w in enumerate(weights)]
        total = rows[0] + rows[1] if len(rows) > 1 else rows[0].copy()
        for row in rows[2:]:
            total += row
        total //= weights_total
        return total


class BalancedAllocation(_ResourceScorer, PreScorePlugin, ScorePlugin):
    """Score: favour nodes that the pod leaves with resource fractions closer to each other
    than it found them (:func:`balanced_allocation_score`, Kubernetes 1.36+).

    Uses plain requests (no non-zero defaults); best-effort pods (requesting none of the
    configured resources) are skipped at PreScore, as upstream does since kubernetes#129138.
    """

    name = "NodeResourcesBalancedAllocation"

    def __init__(self, args: Mapping[str, Any] | None = None) -> None:
        super().__init__(args)
        self.resources = _resources(
            self.args.get("resources"),
            "pluginConfig NodeResourcesBalancedAllocation args.resources",
            exactly_one=True,
        )
        self.use_requested = True

    def pre_score(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> Status:
        pod_list = self.pod_request_list(pod)
        if not any(pod_list):
            return SKIP
        state.data[self.name] = pod_list
        return SUCCESS

    def score(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> int:
        pod_list = state.data.get(self.name) or self.pod_request_list(pod)
        requested, allocatable = self.node_vectors(node, pod_list)
        allocated = [req - own if cap else 0
                     for req, own, cap in zip(requested, pod_list, allocatable, strict=True)]
        return balanced_allocation_score(requested, allocated, allocatable)

    node_states = 2

    def score_arrays(
        self, requested: np.ndarray, allocatable: np.ndarray, weights: Sequence[int]
    ) -> np.ndarray:
        """:func:`balanced_allocation_score_many` (the resources' weights do not count)."""
        return balanced_allocation_score_many(requested, allocatable)
