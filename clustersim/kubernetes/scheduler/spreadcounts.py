"""Matching-pod counts per node and label selector, kept current as pods are bound and removed.

PodTopologySpread scores a node by how many pods matching a selector run in its topology
domain (kubernetes/kubernetes ``pkg/scheduler/framework/plugins/podtopologyspread/scoring.go``:
``PreScore`` builds the per-domain counts, ``Score`` adds the node's own; ``filtering.go``:
``calPreFilterState`` fills ``TpPairToMatchNum`` from every node's pods, and ``AddPod`` /
``RemovePod`` update it by one pod during preemption). Upstream recounts every node's pods in
each scheduling cycle (in parallel, over the cache's snapshot); counting them again per pod in
Python made the cost grow with pods × nodes × pods per node. This module keeps the same
numbers across cycles instead, as ``countPodsMatchSelector`` would give them: a pod counts
when it is in the selector's namespace, not terminating, and its labels match, and none
counts for an empty selector (:func:`counts_nothing`).

Pods are grouped by *signature* (namespace, terminating, labels): the pods of one workload
share one, so which selectors a signature matches is decided once. A pod bound to a node adds
one to each matching selector's count on that node; a node that loses a pod, or reports
``NodeInfo.pods_changed()`` (a bound pod edited in place), is counted again from its pods.
A selector seen for the first time is counted from the nodes each signature's pods were
bound to (nodes counted again since then are counted directly).

For a selector and a division of the nodes into topology domains (zones), a
:class:`DomainCounts` keeps what PodTopologySpread's system default terms read beside the
per-node counts: the matching pods per domain (upstream's ``TopologyValueToPodCounts``,
summed in PreScore) and, per node, its count and domain as one number with how many nodes
have each such number, so that the scores of all nodes are found from the few combinations
present (:class:`~clustersim.kubernetes.scheduler.plugins.podtopologyspread.DefaultSpreading`)
without reading every node again for each pod.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.labels import label_selector_matches, pod_namespace

__all__ = ["DomainCounts", "SpreadCounts", "count_matching_pods", "counts_nothing",
           "pod_signature"]

Signature = tuple[str, bool, tuple[tuple[str, str], ...]]
_KEYS_KEPT = 1024  # selector objects whose keys are remembered


def pod_signature(pod: Mapping[str, Any]) -> Signature:
    """What decides whether a pod matches a selector: namespace, terminating, labels."""
    meta = pod.get("metadata") or {}
    return (
        pod_namespace(pod),
        bool(meta.get("deletionTimestamp")),
        tuple(sorted((meta.get("labels") or {}).items())),
    )


def counts_nothing(selector: Mapping[str, Any] | None) -> bool:
    """Whether ``countPodsMatchSelector`` counts no pod at all for ``selector``: an empty one
    (``labelSelector: {}``, neither ``matchLabels`` nor ``matchExpressions``), which
    ``metav1.LabelSelectorAsSelector`` turns into ``labels.Everything()``, whose ``Empty()``
    makes the count 0 (kubernetes/kubernetes
    ``pkg/scheduler/framework/plugins/podtopologyspread/common.go``), although it matches
    every pod elsewhere: the incoming pod's own match in Filter, ``updateWithPod``, the
    queueing hints. A missing selector (``labels.Nothing()``, not empty) matches no pod."""
    return selector is not None and not selector.get("matchLabels") \
        and not selector.get("matchExpressions")


def _signature_matches(
    signature: Signature, namespace: str, selector: Mapping[str, Any] | None
) -> bool:
    own_namespace, terminating, labels = signature
    return (
        own_namespace == namespace
        and not terminating
        and not counts_nothing(selector)
        and label_selector_matches(selector, dict(labels))
    )


def count_matching_pods(
    pods: Iterable[Mapping[str, Any]], namespace: str, selector: Mapping[str, Any] | None
) -> int:
    """``countPodsMatchSelector`` (``podtopologyspread/common.go``): pods of ``namespace``,
    not terminating, whose labels match ``selector``; none for an empty selector
    (:func:`counts_nothing`)."""
    if counts_nothing(selector):
        return 0
    return sum(
        1
        for p in pods
        if pod_namespace(p) == namespace
        and not (p.get("metadata") or {}).get("deletionTimestamp")
        and label_selector_matches(selector, (p.get("metadata") or {}).get("labels") or {})
    )


class DomainCounts:
    """One selector's matching pods counted by topology domain, kept current with the
    per-node counts they are made from.

    ``ids`` numbers each node's domain from 0 (none skipped; ``domains`` of them).
    ``per_domain``: the matching pods of each domain. ``combined``: per node,
    ``count × domains + domain``, which decides a node's score under a hostname term followed
    by this domain's term; ``nodes_with``: how many nodes have each combined number (a
    multiple of ``domains`` long, zeros past the highest). Do not modify them; the owner
    calls :meth:`change` when a node's count changes.
    """

    def __init__(self, ids: np.ndarray, counts: np.ndarray) -> None:
        self.ids = ids
        self.counts = counts
        self.domains = int(ids.max(initial=-1)) + 1
        self.per_domain = np.bincount(ids, weights=counts, minlength=self.domains).astype(
            np.int64
        )
        self.combined = counts * self.domains + ids
        self.nodes_with = np.bincount(self.combined, minlength=self.domains)
        self._grow(len(self.nodes_with))

    def change(self, i: int, by: int) -> None:
        """Node ``i``'s count changed by ``by`` (already in ``counts``)."""
        self.per_domain[self.ids[i]] += by
        before = int(self.combined[i])
        after = before + by * self.domains
        if after >= len(self.nodes_with):
            self._grow(after + 1)
        self.nodes_with[before] -= 1
        self.nodes_with[after] += 1
        self.combined[i] = after

    def _grow(self, length: int) -> None:
        """Make ``nodes_with`` a whole number of rows of ``domains`` and at least
        ``length`` long (twice as long as before when it grows, so that it seldom does)."""
        rows = -(-length // max(self.domains, 1))
        if len(self.nodes_with) < length:
            rows = max(rows, 2 * len(self.nodes_with) // max(self.domains, 1))
        grown = np.zeros(rows * max(self.domains, 1), dtype=np.int64)
        grown[: len(self.nodes_with)] = self.nodes_with
        self.nodes_with = grown


class SpreadCounts:
    """Per selector, the number of matching pods on each of ``nodes`` (a NumPy array).

    Call :meth:`refresh` with a node's index whenever that node's pods changed.
    """

    def __init__(self, nodes: Sequence[NodeInfo]) -> None:
        self.nodes = nodes
        self.selectors: dict[str, tuple[str, Mapping[str, Any] | None, np.ndarray]] = {}
        self.order: list[str] = []
        # signature -> [selectors checked so far, the keys of those that match]
        self.keys_of: dict[Signature, tuple[int, list[str]]] = {}
        # signature -> the node index of each bound pod with it (appended as pods bind)
        self.bound_at: dict[Signature, list[int]] = {}
        self.stale: set[int] = set()
        self.seen: list[tuple[list, int, int]] = [([], 0, 0)] * len(nodes)
        # (id of a selector object, namespace) -> (that object, its key): a workload's pods
        # share one selector object (PodTopologySpread.constraints keeps it)
        self._key_of: dict[tuple[int, str], tuple[Any, str]] = {}
        # selector key -> its counts by each division of the nodes into domains asked for
        self.by_domain: dict[str, list[DomainCounts]] = {}
        self._index_all()

    def _index_all(self) -> None:
        self.bound_at.clear()
        self.stale.clear()
        for i, node in enumerate(self.nodes):
            for pod in node.pods:
                self.bound_at.setdefault(pod_signature(pod), []).append(i)
            self.seen[i] = (node.pods, len(node.pods), node.pod_edits)

    def _keys(self, signature: Signature) -> list[str]:
        """The keys of the registered selectors that pods with ``signature`` match."""
        checked, keys = self.keys_of.get(signature, (0, []))
        if checked < len(self.order):
            for key in self.order[checked:]:
                namespace, selector, _ = self.selectors[key]
                if _signature_matches(signature, namespace, selector):
                    keys.append(key)
            self.keys_of[signature] = (len(self.order), keys)
        return keys

    def refresh(self, i: int) -> None:
        """Bring node ``i``'s counts up to date: add the pods bound since the last look, or
        count the node again when a pod left or was edited in place."""
        node = self.nodes[i]
        pods = node.pods
        seen, seen_count, seen_edits = self.seen[i]
        selectors = self.selectors
        by_domain = self.by_domain
        if pods is seen and node.pod_edits == seen_edits:
            for pod in pods[seen_count:]:
                signature = pod_signature(pod)
                self.bound_at.setdefault(signature, []).append(i)
                for key in self._keys(signature):
                    selectors[key][2][i] += 1
                    for kept in by_domain.get(key, ()):
                        kept.change(i, 1)
        else:
            self.stale.add(i)
            before = {key: int(selectors[key][2][i]) for key in by_domain}
            for _, _, counts in selectors.values():
                counts[i] = 0
            for pod in pods:
                for key in self._keys(pod_signature(pod)):
                    selectors[key][2][i] += 1
            for key, old in before.items():
                change = int(selectors[key][2][i]) - old
                for kept in by_domain[key] if change else ():
                    kept.change(i, change)
        self.seen[i] = (pods, len(pods), node.pod_edits)

    def domain_counts(
        self, namespace: str, selector: Mapping[str, Any] | None, ids: np.ndarray
    ) -> DomainCounts:
        """:meth:`counts` by topology domain, where ``ids`` gives each node's domain
        (numbered from 0). Kept current by :meth:`refresh` for as long as the same ``ids``
        array is asked for (do not modify it)."""
        counts = self.counts(namespace, selector)
        entries = self.by_domain.setdefault(self._key(namespace, selector), [])
        for kept in entries:
            if kept.ids is ids:
                return kept
        kept = DomainCounts(ids, counts)
        entries.append(kept)
        return kept

    def domain_sums(
        self, namespace: str, selector: Mapping[str, Any] | None, ids: np.ndarray
    ) -> np.ndarray:
        """Matching pods per topology domain (:meth:`domain_counts`' ``per_domain``)."""
        return self.domain_counts(namespace, selector, ids).per_domain

    def forget_domains(self) -> None:
        """Stop keeping counts by domain (the nodes' labels changed: new ``ids`` arrays)."""
        self.by_domain.clear()

    def _key(self, namespace: str, selector: Mapping[str, Any] | None) -> str:
        """The text that keys ``selector`` in ``namespace``, found by the selector object's
        identity when it was seen before: the pods of one workload share one selector object
        (PodTopologySpread.constraints keeps it), which spares writing it out for every pod."""
        known = self._key_of.get((id(selector), namespace))
        if known is not None and known[0] is selector:
            return known[1]
        key = repr((namespace, selector))
        if len(self._key_of) >= _KEYS_KEPT:
            self._key_of.clear()
        self._key_of[id(selector), namespace] = (selector, key)
        return key

    def counts(self, namespace: str, selector: Mapping[str, Any] | None) -> np.ndarray:
        """Matching pods per node for ``selector`` in ``namespace`` (do not modify)."""
        key = self._key(namespace, selector)
        entry = self.selectors.get(key)
        if entry is not None:
            return entry[2]
        if len(self.stale) * 8 > len(self.nodes):
            self._index_all()
        where = [
            np.array(at, dtype=np.intp)
            for signature, at in self.bound_at.items()
            if _signature_matches(signature, namespace, selector)
        ]
        counts = (
            np.bincount(np.concatenate(where), minlength=len(self.nodes)).astype(np.int64)
            if where
            else np.zeros(len(self.nodes), dtype=np.int64)
        )
        for i in self.stale:
            counts[i] = count_matching_pods(self.nodes[i].pods, namespace, selector)
        self.selectors[key] = (namespace, selector, counts)
        self.order.append(key)
        return counts
