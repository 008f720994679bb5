"""The scheduling cycle: PreFilter → Filter → PreScore → Score → NormalizeScore → pick a node.

Upstream: kubernetes/kubernetes ``pkg/scheduler/schedule_one.go`` (``schedulePod``,
``findNodesThatFitPod``, ``prioritizeNodes``, ``selectHost``), ``framework/runtime/framework.go``
(running the extension points; a Filter stops at the first plugin that rejects) and
``framework/types.go`` (``FitError``, the FailedScheduling message). This is the plain reference
path; :mod:`clustersim.kubernetes.scheduler.fastpath` computes the same choice with NumPy.

Simplifications, each as upstream would behave otherwise:

- Every feasible node is scored unless the configuration sets ``percentageOfNodesToScore``;
  then, as upstream's ``findNodesThatPassFilters``, the Filter walk starts where the previous
  one stopped (``nextStartNodeIndex``), stops once it has found
  :func:`~clustersim.kubernetes.scheduler.config.num_feasible_nodes_to_find` feasible nodes,
  and only those are scored. Upstream walks the nodes in parallel, so which nodes it finds
  first may vary; here the walk is sequential. Left unset, upstream's adaptive default
  would sample in clusters of more than 100 nodes.
- Among equally good nodes one is drawn uniformly from the seeded generator with a single
  draw. Upstream reservoir-sampled them (uniform) up to 1.34; since 1.35 (kubernetes#135231)
  ``schedulePod`` pops the top of a heap ordered by score and a random tie-breaker that only
  nodes scored by an extender get, so among equals the order in which the parallel Filter
  walk listed the nodes decides, which varies from run to run; so it stays in 1.36 and 1.37
  (kubernetes#141024, which would give every node the random tie-breaker again, was still
  open in the copy read, last reviewed in August 2026). Either way the node among equals is
  not predictable; a seeded uniform draw keeps runs repeatable.
- Opportunistic batching (KEP-5598; its ``OpportunisticBatching`` gate is beta and on by
  default since 1.35, unchanged in 1.36 and 1.37) is not simulated: it reuses the previous
  cycle's ranking for a Pod with the same signature once the previous node is full, but
  PodTopologySpread's ``SignPod`` refuses to sign any Pod while default spreading constraints
  are configured, so with the default profile upstream runs the full cycle for every Pod too.
- Gang scheduling and the Workload API (KEP-4671) are not simulated, and do not change what
  happens to the Pods the simulator runs: the ``GangScheduling`` and ``GenericWorkload``
  gates are off by default through 1.37 (alpha since 1.35; ``GenericWorkload`` beta, still
  off, in 1.37), and the PodGroup scheduling cycle (1.36), workload-aware preemption and
  their messages (``pod group preemption: ...``, 1.37) apply only to Pods of a PodGroup.
- Pods nominated to a node by a preemption (:mod:`clustersim.kubernetes.scheduler.nominator`)
  count in the Filters of Pods of no higher priority, as upstream's
  ``RunFilterPluginsWithNominatedPods``; Score does not see them, as upstream.
- Preemption (:mod:`clustersim.kubernetes.scheduler.preemption`) is run by the cluster, not
  here: this module's message's ``preemption:`` part says what DefaultPreemption says when no
  pod of lower priority can be evicted.
- Dynamic resource allocation is not simulated (pods carry no ResourceClaims), so the
  DynamicResources PostFilter, which runs before DefaultPreemption and is enabled by default
  since Kubernetes 1.34 (DRA GA), always says "no new claims to deallocate"
  (``plugins/dynamicresources/dynamicresources.go``, ``PostFilter``); the framework joins the
  PostFilter messages with ", " (``framework/runtime/framework.go``,
  ``RunPostFilterPlugins``). With DRA extended resources (``DRAExtendedResource``, beta and on
  by default since 1.36, GA in 1.37) NodeResourcesFit leaves a request for an extended
  resource that a node does not advertise to DynamicResources only when a DeviceClass maps
  that name (``ShouldDelegateResourceToDRA`` in ``plugins/noderesources``); the simulator has
  no DeviceClasses, so such a request stays "Insufficient <name>", as upstream says without
  one.
- Pod-level resources (``spec.resources``, beta and on by default since 1.34): a Pod's
  requests are its containers' (with sidecars, init containers and overhead), where upstream's
  ``PodRequests`` (``component-helpers/resource/helpers.go``) takes the pod-level requests of
  cpu and memory when the Pod sets them. The QoS class does follow them
  (:mod:`clustersim.kubernetes.qos`).
- Volume, image and DRA plugins (VolumeBinding, VolumeRestrictions, NodeVolumeLimits,
  VolumeZone, ImageLocality, DynamicResources) are not run; a configuration may name them.
  Nor is NodeDeclaredFeatures (KEP-5328; its gate beta and on by default since 1.36), which
  compares the features a Pod's spec needs with those a node declares in its status; the
  simulator models neither.
- ``namespaceSelector`` in pod affinity terms is matched against the labels the scheduler's
  lister gives (a cluster's Namespace objects, as upstream's Namespace lister); a Scheduler
  made without a lister knows only the label the API server always sets
  (``kubernetes.io/metadata.name``).
- The filter reason for taints is today's upstream wording, "node(s) had untolerated
  taint(s)" (kubernetes/kubernetes#134740, Kubernetes 1.35, also in 1.34 patch releases
  through #135023); earlier releases printed the taint, "node(s) had untolerated taint {k: v}".

The messages, defaults and scores follow :data:`KUBERNETES_VERSION`, the release the served
API reports (:mod:`clustersim.release`), as far as could be checked:

- 1.36: every entry of CHANGELOG-1.36.md for v1.36.0 (all changes since 1.35.0). The one that
  changes what the simulator computes is NodeResourcesBalancedAllocation's score
  (kubernetes#135573, followed: see :mod:`~clustersim.kubernetes.scheduler.plugins.
  noderesources`). No entry touches FitError's wording, the filter reasons of the simulated
  plugins, the DynamicResources or DefaultPreemption PostFilter messages, the default plugins
  and weights, the default plugin args or ``percentageOfNodesToScore``.
- 1.37: CHANGELOG-1.37.md as far as the stored copy goes (v1.37.0-alpha.1, changes since
  1.36.0): nothing there for those either (the scheduler entries are about PodGroups, DRA and
  queueing hints). ``FitError.Error()`` in the newest stored ``framework/types.go`` builds the
  message as before ("0/N nodes are available:", the PreFilter message or the sorted
  histogram, then the PostFilter messages). The gates above: ``pkg/features/
  kube_features.go`` as of 1.35, the 1.36 changelog, and for 1.37 a copy of the versioned
  feature list that another project vendors (not kubernetes/kubernetes itself).
- Not checked, for want of a copy: the changelog entries from v1.37.0-alpha.2 to v1.37.0, and
  ``default_plugins.go`` at release-1.36/1.37 (the stored copies are older; no changelog entry
  read names a change to it). Nor whether 1.37 has kubernetes#140222 (opened 4 July 2026,
  merged; a cleanup without release note, so no changelog lists it, and the stored
  ``dynamicresources.go`` copies predate it), which stops DynamicResources printing "no new
  claims to deallocate" for Pods without claims. Where those could differ, the simulator keeps
  1.35's behaviour: it still prints that phrase.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.config import (
    Profile,
    load_profile,
    num_feasible_nodes_to_find,
)
from clustersim.kubernetes.scheduler.framework import (
    Code,
    CycleState,
    FilterPlugin,
    Plugin,
    PreFilterPlugin,
    PreScorePlugin,
    ScorePlugin,
    Status,
    run_filters,
)
from clustersim.kubernetes.scheduler.nominator import Nominator, filter_with_nominated
from clustersim.kubernetes.scheduler.registry import REGISTRY
from clustersim.release import KUBERNETES_VERSION

__all__ = [
    "KUBERNETES_VERSION", "PreFiltered", "ScheduleResult", "Scheduler", "Verdict",
    "fit_error_message",
]

NO_NODES = "no nodes available to schedule pods"
NO_NEW_CLAIMS = "no new claims to deallocate"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"


@dataclass(frozen=True)
class Verdict:
    """Why a node can or cannot take the pod, and how it scored.

    ``scores`` maps each Score plugin that ran to its score after normalization and before
    weights; ``total`` is the weighted sum. Infeasible nodes are not scored: ``{}`` and None.
    """

    feasible: bool
    reasons: tuple[str, ...] = ()
    scores: dict[str, int] = field(default_factory=dict)
    total: int | None = None


@dataclass(frozen=True)
class ScheduleResult:
    """The chosen node (None when the pod does not fit) and, on failure, the
    FailedScheduling message with every node's verdict and Filter ``statuses`` (the Status of
    each node that rejected the pod, which the PostFilter reads: upstream's
    ``NodeToStatusReader`` handed to DefaultPreemption) and ``unschedulable_plugins``, the
    plugins that rejected it (upstream's ``Diagnosis.UnschedulablePlugins``: the PreFilter
    that rejected it, or those that narrowed the nodes and the Filters that rejected one),
    which the scheduling queue keeps with the parked pod for its queueing hints
    (:mod:`~clustersim.kubernetes.scheduler.queueinghints`)."""

    node: str | None
    message: str = ""
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    statuses: dict[str, Status] = field(default_factory=dict)
    unschedulable_plugins: frozenset[str] = frozenset()


@dataclass
class _Cycle:
    """Everything one reference cycle found out."""

    state: CycleState
    statuses: dict[str, Status] = field(default_factory=dict)
    feasible: list[NodeInfo] = field(default_factory=list)
    prefilter_message: str = ""
    narrowed: tuple[str, ...] = ()
    """The PreFilter plugins that narrowed the nodes (their statuses name none)."""
    scores: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


@dataclass
class PreFiltered:
    """What PreFilter found for a Pod: the cycle state the Filters read, the node names each
    narrowing plugin kept, the plugins that said Skip, and the rejection, if one rejected the
    Pod (its status, naming the plugin)."""

    state: CycleState
    narrowed: dict[str, set[str]] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    rejection: Status | None = None

    @property
    def names(self) -> set[str] | None:
        """The nodes every narrowing plugin kept; None when no plugin narrowed."""
        kept = list(self.narrowed.values())
        return set.intersection(*kept) if kept else None

    def clone(self) -> PreFiltered:
        """A copy with the cycle state cloned (:meth:`CycleState.clone`), which a dry run
        updates by the Pods it removes and adds; the narrowing and Skips are shared."""
        return PreFiltered(self.state.clone(), self.narrowed, self.skipped, self.rejection)


def _histogram(statuses: Sequence[Status]) -> str:
    counts: dict[str, int] = {}
    for status in statuses:
        for reason in status.reasons:
            counts[reason] = counts.get(reason, 0) + 1
    return ", ".join(sorted(f"{n} {reason}" for reason, n in counts.items()))


def fit_error_message(
    num_nodes: int,
    statuses: Mapping[str, Status],
    *,
    prefilter_message: str = "",
    preemption: str = "",
    dynamic_resources: bool = False,
) -> str:
    """``FitError.Error()``: "0/N nodes are available: <sorted histogram>." plus the
    PostFilter messages, joined with ", ": DynamicResources' "no new claims to deallocate"
    (when ``dynamic_resources``), then DefaultPreemption's ``preemption``. The histogram's
    entries are "<count> <reason>" sorted as strings, as upstream sorts them."""
    message = f"0/{num_nodes} nodes are available:"
    body = prefilter_message or _histogram(list(statuses.values()))
    if body:
        message += f" {body}."
    post = [NO_NEW_CLAIMS] if dynamic_resources else []
    if preemption:
        post.append(preemption.removesuffix("."))
    if post:
        message += f" {', '.join(post)}."
    return message


def _preemption_message(pod: Mapping[str, Any], statuses: Mapping[str, Status]) -> str:
    """What DefaultPreemption's PostFilter reports when it finds no victims.

    Upstream: ``pkg/scheduler/framework/preemption/preemption.go`` and
    ``plugins/defaultpreemption/default_preemption.go``: nodes rejected as unresolvable are
    "not helpful"; on the others no pod of lower priority could be evicted (the simulator
    does not preempt).
    """
    if (pod.get("spec") or {}).get("preemptionPolicy") == "Never":
        return "preemption: not eligible due to preemptionPolicy=Never."
    verdicts = {
        name: Status(
            status.code,
            (NOT_HELPFUL if status.code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE else NO_VICTIMS,),
        )
        for name, status in statuses.items()
    }
    return "preemption: " + fit_error_message(len(statuses), verdicts)


class Scheduler:
    """kube-scheduler's framework over :class:`NodeInfo` objects.

    ``config``: one profile of a KubeSchedulerConfiguration (dict or YAML text, or the whole
    document). ``rng``: the cluster's seeded ``random.Random`` (ties are drawn from it).
    ``lister``: answers which Services and controllers select a pod, for PodTopologySpread's
    default constraints (a ``WorkloadLister``, see ``plugins/podtopologyspread.py``).
    ``fast``: use the NumPy fast path in :meth:`schedule` (same choices, faster at scale).
    ``fast_spread``: let the fast path also score PodTopologySpread's system default
    spreading (pods of ReplicaSets, StatefulSets and Services) from counts it keeps per node;
    only for callers that call ``NodeInfo.pods_changed()`` whenever they edit a bound pod in
    place (labels, ``deletionTimestamp``), since the counts cannot see such edits otherwise.
    """

    def __init__(
        self,
        config: Any = None,
        rng: random.Random | None = None,
        *,
        lister: Any = None,
        fast: bool = True,
        fast_spread: bool = False,
        nominator: Nominator | None = None,
    ) -> None:
        self.profile: Profile = load_profile(config)
        self.rng = rng if rng is not None else random.Random(0)
        self.lister = lister
        self.fast_spread = fast_spread
        self.nominator = nominator if nominator is not None else Nominator()
        """The Pods nominated to nodes by preemptions, which the Filters count."""
        self.plugins: dict[str, Plugin] = {}
        used = {n for names in self.profile.points.values() for n in names}
        for name in REGISTRY:
            if name in used:
                try:
                    self.plugins[name] = REGISTRY[name](self.profile.args.get(name))
                except ValueError as err:
                    raise ValueError(f"scheduler configuration: {err}") from None
        self.weights = {n: self.profile.weights.get(n, 1) for n in self.plugins}
        self.next_start = 0
        """Where the next Filter walk starts (upstream ``nextStartNodeIndex``)."""
        self._fast: Any = None
        if fast:
            from clustersim.kubernetes.scheduler.fastpath import FastPath

            self._fast = FastPath(self)

    def _at(self, point: str, kind: type) -> list[Any]:
        return [
            self.plugins[n]
            for n in self.profile.points.get(point, ())
            if isinstance(self.plugins.get(n), kind)
        ]

    # -- the reference cycle ----------------------------------------------------------------
    def to_find(self, count: int) -> int:
        """How many feasible nodes a scheduling cycle over ``count`` nodes looks for."""
        percentage = self.profile.percentage_of_nodes_to_score
        if percentage is None:  # the simulator's default: every node
            return count
        if not self.profile.points.get("score"):
            return min(1, count)  # nothing to compare: upstream takes the first feasible node
        return num_feasible_nodes_to_find(percentage, count)

    def pre_filter(self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> PreFiltered:
        """Run the PreFilter plugins over ``nodes``."""
        out = PreFiltered(CycleState(pod, nodes, self.lister))
        for plugin in self._at("preFilter", PreFilterPlugin):
            result, status = plugin.pre_filter(out.state, pod)
            if status.skip:
                out.skipped.add(plugin.name)
            elif status.rejected:
                out.rejection = Status(status.code, status.reasons, plugin.name)
                return out
            elif result is not None:
                out.narrowed[plugin.name] = set(result)
        return out

    def _extensions(self, prefiltered: PreFiltered) -> list[PreFilterPlugin]:
        """The PreFilter plugins with extensions that did not say Skip for ``prefiltered``
        (``RunPreFilterExtensionAddPod``/``RemovePod`` pass over those in the cycle's
        ``SkipFilterPlugins``)."""
        return [p for p in self._at("preFilter", PreFilterPlugin)
                if p.extensions and p.name not in prefiltered.skipped]

    def prefilter_add_pod(self, prefiltered: PreFiltered, added: Mapping[str, Any],
                          node: NodeInfo) -> None:
        """``RunPreFilterExtensionAddPod`` (``framework/runtime/framework.go``): every
        extension's state in ``prefiltered`` as if ``added`` ran on ``node``."""
        for plugin in self._extensions(prefiltered):
            plugin.add_pod(prefiltered.state, prefiltered.state.pod, added, node)

    def prefilter_remove_pod(self, prefiltered: PreFiltered, removed: Mapping[str, Any],
                             node: NodeInfo) -> None:
        """``RunPreFilterExtensionRemovePod``: as if ``removed`` no longer ran on ``node``."""
        for plugin in self._extensions(prefiltered):
            plugin.remove_pod(prefiltered.state, prefiltered.state.pod, removed, node)

    def _filter(
        self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo], *, sample: bool = False,
        only: NodeInfo | None = None, prefiltered: PreFiltered | None = None,
    ) -> _Cycle:
        """PreFilter and Filter. With ``sample`` (a scheduling cycle, not ``explain``), the
        walk starts at ``next_start`` and stops after :meth:`to_find` feasible nodes. With
        ``only``, PreFilter still sees every node but Filter runs on that node alone. With
        ``prefiltered``, PreFilter does not run: its outcome is that."""
        if prefiltered is None:
            prefiltered = self.pre_filter(pod, nodes)
        cycle = _Cycle(prefiltered.state)
        state = cycle.state
        if (rejection := prefiltered.rejection) is not None:
            cycle.prefilter_message = rejection.message
            for node in nodes:
                cycle.statuses[node.name] = rejection
            return cycle
        names, skipped = prefiltered.names, prefiltered.skipped
        cycle.narrowed = tuple(sorted(prefiltered.narrowed))
        absent = Status.unresolvable(
            f"node(s) didn't satisfy plugin(s) [{' '.join(cycle.narrowed)}]"
        )
        filters = [p for p in self._at("filter", FilterPlugin) if p.name not in skipped]
        walk: Sequence[NodeInfo] = nodes if only is None else [only]
        if names is not None:
            for node in walk:
                if node.name not in names:
                    cycle.statuses[node.name] = absent
            walk = [node for node in walk if node.name in names]
        wanted = self.to_find(len(walk)) if sample else len(walk)
        if wanted < len(walk) and walk:
            start = self.next_start % len(walk)
            walk = [*walk[start:], *walk[:start]]
        processed = 0
        for node in walk:
            if len(cycle.feasible) >= wanted:
                break
            processed += 1
            added = self.nominator.on_node(pod, node.name)
            status = filter_with_nominated(self, filters, prefiltered, node, added) \
                if added else run_filters(filters, state, pod, node)
            if status is None:
                cycle.feasible.append(node)
            else:
                cycle.statuses[node.name] = status
        if sample and nodes:
            self.next_start = (self.next_start + processed) % len(nodes)
        return cycle

    def _score(self, cycle: _Cycle) -> None:
        state, pod, feasible = cycle.state, cycle.state.pod, cycle.feasible
        skipped = {
            p.name
            for p in self._at("preScore", PreScorePlugin)
            if p.name in self.profile.points.get("score", ())
            and p.pre_score(state, pod, feasible).skip
        }
        names = [n.name for n in feasible]
        cycle.scores = {name: {} for name in names}
        cycle.totals = dict.fromkeys(names, 0)
        for plugin in self._at("score", ScorePlugin):
            if plugin.name in skipped:
                continue
            scores = [plugin.score(state, pod, node) for node in feasible]
            plugin.normalize(state, pod, names, scores)
            weight = self.weights[plugin.name]
            for name, score in zip(names, scores, strict=True):
                cycle.scores[name][plugin.name] = score
                cycle.totals[name] += score * weight

    def rejected_at_prefilter(
        self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo], reason: str
    ) -> str:
        """The FailedScheduling message when a PreFilter outside this framework rejects
        ``pod`` as unresolvable (VolumeBinding's check of its claims, which the controller
        manager makes: ``pod has unbound immediate PersistentVolumeClaims``): every node gets
        that status, so DefaultPreemption finds preemption not helpful anywhere. As clusters
        report it (``... PersistentVolumeClaims. preemption: 0/2 nodes are available: 2
        Preemption is not helpful for scheduling.``), without DynamicResources' "no new claims
        to deallocate": that PostFilter reads what its own PreFilter, which did not run,
        would have left."""
        if not nodes:
            return NO_NODES
        statuses = {n.name: Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, (reason,))
                    for n in nodes}
        preemption = _preemption_message(pod, statuses) if self.profile.preemption else ""
        return fit_error_message(len(nodes), statuses, prefilter_message=reason,
                                 preemption=preemption)

    def _failure(
        self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo], cycle: _Cycle
    ) -> ScheduleResult:
        if not nodes:
            return ScheduleResult(None, NO_NODES, {})
        preemption = _preemption_message(pod, cycle.statuses) if self.profile.preemption else ""
        message = fit_error_message(
            len(nodes),
            cycle.statuses,
            prefilter_message=cycle.prefilter_message,
            preemption=preemption,
            dynamic_resources=self.profile.dynamic_resources,
        )
        verdicts = {n.name: Verdict(False, cycle.statuses[n.name].reasons) for n in nodes}
        rejectors = {s.plugin for s in cycle.statuses.values() if s.plugin}
        return ScheduleResult(None, message, verdicts, cycle.statuses,
                              frozenset(rejectors.union(cycle.narrowed)))

    def select(self, names: Sequence[str], totals: Sequence[int]) -> str:
        """The node with the highest total; ties drawn uniformly from the seeded generator."""
        best = max(totals)
        ties = [name for name, total in zip(names, totals, strict=True) if total == best]
        return ties[self.rng.randrange(len(ties))] if len(ties) > 1 else ties[0]

    def schedule_reference(
        self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> ScheduleResult:
        """One scheduling cycle on the plain path (no NumPy)."""
        cycle = self._filter(pod, nodes, sample=True)
        if not cycle.feasible:
            return self._failure(pod, nodes, cycle)
        if len(cycle.feasible) == 1:  # upstream skips scoring when only one node fits
            return ScheduleResult(cycle.feasible[0].name)
        self._score(cycle)
        names = list(cycle.totals)
        return ScheduleResult(self.select(names, [cycle.totals[n] for n in names]))

    def schedule(self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> ScheduleResult:
        """Pick a node for ``pod`` among ``nodes`` (binds nothing: the caller binds).

        On failure ``node`` is None, ``message`` is upstream's FailedScheduling text and
        ``verdicts`` gives every node's reasons. Pass the same ``nodes`` list each time, and
        change nodes only through NodeInfo, for the fast path to reuse its caches.
        """
        if not isinstance(pod, Mapping):
            raise ValueError(
                f"schedule() needs a Pod manifest (a mapping), got {type(pod).__name__}"
            )
        if self._fast is not None and not self.nominator.counts_for(pod):
            return self._fast.schedule(pod, nodes)
        return self.schedule_reference(pod, nodes)

    def filter_statuses(
        self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> dict[str, Status]:
        """PreFilter and Filter only, on the reference path: the Status of every node that
        cannot take ``pod`` (feasible nodes are absent). Preemption asks this."""
        return self._filter(pod, nodes).statuses

    def fits_on(self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo], node: NodeInfo,
                prefiltered: PreFiltered | None = None) -> bool:
        """Whether ``pod`` passes every Filter on ``node``, PreFilter having seen ``nodes``
        (``node`` among them), or with ``prefiltered`` as PreFilter's outcome (a dry run's
        copy, updated by :meth:`prefilter_remove_pod` and :meth:`prefilter_add_pod` for the
        Pods it took off ``node`` or put back). DefaultPreemption asks this of the node it
        empties, as upstream's ``SelectVictimsOnNode`` runs
        ``RunFilterPluginsWithNominatedPods`` on that node alone."""
        return node.name not in self._filter(pod, nodes, only=node,
                                             prefiltered=prefiltered).statuses

    def explain(self, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]) -> dict[str, Verdict]:
        """Every node's verdict for ``pod``: feasibility, filter reasons and, for feasible
        nodes, each plugin's normalized score and the weighted total. Binds nothing and
        draws nothing from the generator."""
        cycle = self._filter(pod, nodes)
        if cycle.feasible:
            self._score(cycle)
        verdicts = {}
        for node in nodes:
            if node.name in cycle.totals:
                verdicts[node.name] = Verdict(
                    True, (), cycle.scores[node.name], cycle.totals[node.name]
                )
            else:
                verdicts[node.name] = Verdict(False, cycle.statuses[node.name].reasons)
        return verdicts
