"""The scheduling framework's small interfaces: status codes, cycle state and plugin kinds.

Follows kube-scheduler's framework (kubernetes/kubernetes ``pkg/scheduler/framework/interface.go``
and ``cycle_state.go``; docs https://kubernetes.io/docs/concepts/scheduling-eviction/scheduling-framework/):
a plugin implements one or more extension points. PreFilter runs once per pod and may narrow
the nodes or say Skip; Filter decides per node; PreScore runs once over the feasible nodes and
may say Skip; Score gives each feasible node an integer; NormalizeScore maps those to 0..100;
the scheduler multiplies by the plugin's weight and adds up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from clustersim.kubernetes.nodeinfo import NodeInfo

__all__ = [
    "MAX_NODE_SCORE",
    "Code",
    "CycleState",
    "FilterPlugin",
    "FilterScorePlugin",
    "Plugin",
    "PreFilterPlugin",
    "PreScorePlugin",
    "ScorePlugin",
    "Status",
    "default_normalize_many",
    "default_normalize_score",
    "run_filters",
]

MAX_NODE_SCORE = 100
"""``framework.MaxNodeScore``: every normalized plugin score lies in 0..100."""


class Code(IntEnum):
    """Upstream's status codes (``framework.Code``)."""

    SUCCESS = 0
    ERROR = 1
    UNSCHEDULABLE = 2
    UNSCHEDULABLE_AND_UNRESOLVABLE = 3
    WAIT = 4
    SKIP = 5


@dataclass(frozen=True)
class Status:
    """A plugin's answer: a code, the reasons (upstream wording, as of
    :data:`clustersim.release.KUBERNETES_VERSION`) and who said it."""

    code: Code = Code.SUCCESS
    reasons: tuple[str, ...] = ()
    plugin: str = ""

    @property
    def success(self) -> bool:
        return self.code == Code.SUCCESS

    @property
    def skip(self) -> bool:
        return self.code == Code.SKIP

    @property
    def rejected(self) -> bool:
        return self.code in (Code.UNSCHEDULABLE, Code.UNSCHEDULABLE_AND_UNRESOLVABLE)

    @property
    def message(self) -> str:
        return ", ".join(self.reasons)

    @classmethod
    def unschedulable(cls, *reasons: str) -> Status:
        return cls(Code.UNSCHEDULABLE, reasons)

    @classmethod
    def unresolvable(cls, *reasons: str) -> Status:
        return cls(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons)


SUCCESS = Status()
SKIP = Status(Code.SKIP)


@dataclass
class CycleState:
    """What one scheduling cycle shares between plugins (upstream ``framework.CycleState``).

    ``all_nodes`` is the snapshot of every node (upstream's shared lister); ``lister`` answers
    which Services and controllers select the pod (for PodTopologySpread's defaults).
    """

    pod: Mapping[str, Any]
    all_nodes: Sequence[NodeInfo]
    lister: Any = None
    data: dict[str, Any] = field(default_factory=dict)

    def clone(self) -> CycleState:
        """A copy whose entries with a ``clone`` method (the PreFilter states that
        ``add_pod``/``remove_pod`` update) are copies and the rest shared, as upstream's
        ``CycleState.Clone`` calls each entry's ``Clone`` (most of which return the entry
        itself): a preemption's dry run and the nominated Pods' Filter update their copy."""
        data = {key: value.clone() if hasattr(value, "clone") else value
                for key, value in self.data.items()}
        return CycleState(self.pod, self.all_nodes, self.lister, data)


class Plugin:
    """A named plugin; ``args`` is its ``pluginConfig`` entry (already validated)."""

    name = ""

    def __init__(self, args: Mapping[str, Any] | None = None) -> None:
        self.args = dict(args or {})


class PreFilterPlugin(Plugin):
    extensions = False
    """Whether the plugin has PreFilterExtensions (:meth:`add_pod`/:meth:`remove_pod`): its
    PreFilter state depends on the Pods bound to the nodes, so a preemption's dry run and
    the nominated Pods' Filter update a copy of it for each Pod they remove or add instead
    of running PreFilter again (upstream: InterPodAffinity and PodTopologySpread; the others
    return nil from ``PreFilterExtensions``, their state coming from the Pod alone)."""

    def pre_filter(
        self, state: CycleState, pod: Mapping[str, Any]
    ) -> tuple[set[str] | None, Status]:
        """Once per pod: the node names to consider (None: all) and a status (Skip allowed)."""
        raise NotImplementedError

    def add_pod(self, state: CycleState, pod: Mapping[str, Any], added: Mapping[str, Any],
                node: NodeInfo) -> None:
        """``AddPod``: ``state`` (PreFilter's for ``pod``) as if ``added`` ran on ``node``."""
        self.update_with_pod(state, pod, added, node, 1)

    def remove_pod(self, state: CycleState, pod: Mapping[str, Any],
                   removed: Mapping[str, Any], node: NodeInfo) -> None:
        """``RemovePod``: ``state`` as if ``removed`` no longer ran on ``node``."""
        self.update_with_pod(state, pod, removed, node, -1)

    def update_with_pod(self, state: CycleState, pod: Mapping[str, Any],
                        other: Mapping[str, Any], node: NodeInfo, sign: int) -> None:
        """``updateWithPod``: count ``other`` on ``node`` once more (``sign`` 1) or once
        less (-1) in ``state``; only plugins with :attr:`extensions` implement it."""
        raise NotImplementedError


class FilterPlugin(Plugin):
    def filter(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> Status:
        raise NotImplementedError


class PreScorePlugin(Plugin):
    def pre_score(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> Status:
        """Once per pod, over the feasible nodes; Skip leaves the plugin out of scoring."""
        raise NotImplementedError


class ScorePlugin(Plugin):
    """Score and NormalizeScore, one node at a time (the reference path), and the same over
    arrays of nodes (the fast path's contract): ``score_many`` gives every node's raw score
    at once and ``normalize_many`` normalizes such a vector. Plugins whose formula has a
    NumPy form override them; the defaults call ``score`` and ``normalize``, so both paths
    always agree."""

    def score(self, state: CycleState, pod: Mapping[str, Any], node: NodeInfo) -> int:
        raise NotImplementedError

    def normalize(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: list[int]
    ) -> None:
        """Rewrite ``scores`` (aligned with ``names``) in place to 0..100; default: as is."""

    def score_many(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> np.ndarray:
        """Every node's raw score (before normalization), as int64."""
        return np.array([self.score(state, pod, n) for n in nodes], dtype=np.int64)

    def normalize_many(
        self, state: CycleState, pod: Mapping[str, Any], names: Sequence[str], scores: np.ndarray
    ) -> np.ndarray:
        """``normalize`` over a vector of raw scores aligned with ``names``."""
        values = [int(v) for v in scores]
        self.normalize(state, pod, names, values)
        return np.array(values, dtype=np.int64)


class FilterScorePlugin(PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin):
    """A plugin at all four extension points of a pod's cycle (PreFilter, Filter, PreScore,
    Score), as NodeAffinity, InterPodAffinity, PodTopologySpread and NodeResourcesFit are
    upstream (a Go plugin implements each interface; here one base names them all)."""


def run_filters(filters: Sequence[FilterPlugin], state: CycleState, pod: Mapping[str, Any],
                node: NodeInfo) -> Status | None:
    """``RunFilterPlugins`` (``framework/runtime/framework.go``): the first plugin's
    rejection of ``node``, named after that plugin, or None when every Filter passes."""
    for plugin in filters:
        status = plugin.filter(state, pod, node)
        if not status.success:
            return Status(status.code, status.reasons, plugin.name)
    return None


def default_normalize_many(scores: np.ndarray, reverse: bool = False) -> np.ndarray:
    """:func:`default_normalize_score` over a NumPy vector (returns a new vector)."""
    highest = int(scores.max(initial=0))
    if highest == 0:
        return np.full(len(scores), MAX_NODE_SCORE if reverse else 0, dtype=np.int64)
    value = MAX_NODE_SCORE * scores.astype(np.int64) // highest
    return MAX_NODE_SCORE - value if reverse else value


def default_normalize_score(scores: list[int], reverse: bool = False) -> None:
    """``helper.DefaultNormalizeScore``: scale to 0..100 by the maximum, optionally reversed.

    Upstream: kubernetes/kubernetes ``pkg/scheduler/framework/plugins/helper/normalize_score.go``.
    With a maximum of 0 every node gets 0 (or 100 when reversed).
    """
    highest = max(scores, default=0)
    if highest == 0:
        if reverse:
            scores[:] = [MAX_NODE_SCORE] * len(scores)
        return
    for i, score in enumerate(scores):
        value = MAX_NODE_SCORE * score // highest
        scores[i] = MAX_NODE_SCORE - value if reverse else value
