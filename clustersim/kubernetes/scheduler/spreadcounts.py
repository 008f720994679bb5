"""Matching-pod counts per node and label selector, kept current as pods are bound and removed.

PodTopologySpread scores a node by how many pods matching a selector run in its topology
domain (kubernetes/kubernetes ``pkg/scheduler/framework/plugins/podtopologyspread/scoring.go``:
``PreScore`` builds the per-domain counts, ``Score`` adds the node's own; ``filtering.go``:
``calPreFilterState`` fills ``TpPairToMatchNum`` from every node's pods, and ``AddPod`` /
``RemovePod`` update it by one pod during preemption). Upstream recounts every node's pods in
each scheduling cycle (in parallel, over the cache's snapshot); counting them again per pod in
Python made the cost grow with pods × nodes × pods per node. This module keeps the same
numbers across cycles instead, as ``countPodsMatchSelector`` would give them: a pod counts
when it is in the selector's namespace, not terminating, and its labels match.

Pods are grouped by *signature* (namespace, terminating, labels): the pods of one workload
share one, so which selectors a signature matches is decided once. A pod bound to a node adds
one to each matching selector's count on that node; a node that loses a pod, or reports
``NodeInfo.pods_changed()`` (a bound pod edited in place), is counted again from its pods.
A selector seen for the first time is counted from the nodes each signature's pods were
bound to (nodes counted again since then are counted directly).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler.labels import label_selector_matches, pod_namespace

__all__ = ["SpreadCounts", "count_matching_pods", "pod_signature"]

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


def _signature_matches(
    signature: Signature, namespace: str, selector: Mapping[str, Any] | None
) -> bool:
    own_namespace, terminating, labels = signature
    return (
        own_namespace == namespace
        and not terminating
        and label_selector_matches(selector, dict(labels))
    )


def count_matching_pods(
    pods: Iterable[Mapping[str, Any]], namespace: str, selector: Mapping[str, Any] | None
) -> int:
    """``countPodsMatchSelector`` (``podtopologyspread/common.go``): pods of ``namespace``,
    not terminating, whose labels match ``selector``."""
    return sum(
        1
        for p in pods
        if pod_namespace(p) == namespace
        and not (p.get("metadata") or {}).get("deletionTimestamp")
        and label_selector_matches(selector, (p.get("metadata") or {}).get("labels") or {})
    )


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
        # selector key -> [(domain id per node, matching pods per domain)], see domain_sums
        self.sums: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
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
        sums = self.sums
        if pods is seen and node.pod_edits == seen_edits:
            for pod in pods[seen_count:]:
                signature = pod_signature(pod)
                self.bound_at.setdefault(signature, []).append(i)
                for key in self._keys(signature):
                    selectors[key][2][i] += 1
                    for ids, per_domain in sums.get(key, ()):
                        per_domain[ids[i]] += 1
        else:
            self.stale.add(i)
            before = {key: int(selectors[key][2][i]) for key in sums}
            for _, _, counts in selectors.values():
                counts[i] = 0
            for pod in pods:
                for key in self._keys(pod_signature(pod)):
                    selectors[key][2][i] += 1
            for key, old in before.items():
                change = int(selectors[key][2][i]) - old
                for ids, per_domain in sums[key] if change else ():
                    per_domain[ids[i]] += change
        self.seen[i] = (pods, len(pods), node.pod_edits)

    def domain_sums(
        self, namespace: str, selector: Mapping[str, Any] | None, ids: np.ndarray
    ) -> np.ndarray:
        """Matching pods per topology domain: :meth:`counts` summed over the nodes of each
        domain, where ``ids`` gives each node's domain (numbered from 0). Kept current by
        :meth:`refresh` for as long as the same ``ids`` array is asked for (do not modify)."""
        counts = self.counts(namespace, selector)
        key = self._key(namespace, selector)
        entries = self.sums.setdefault(key, [])
        for known, per_domain in entries:
            if known is ids:
                return per_domain
        per_domain = np.bincount(ids, weights=counts, minlength=int(ids.max(initial=-1)) + 1)
        per_domain = per_domain.astype(np.int64)
        entries.append((ids, per_domain))
        return per_domain

    def forget_domains(self) -> None:
        """Stop keeping per-domain sums (the nodes' labels changed: new ``ids`` arrays)."""
        self.sums.clear()

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
