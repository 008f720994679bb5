"""The scheduling queue's nominator: the Pods nominated to run on each node by a preemption,
which every later Filter of a Pod of no higher priority counts as if they ran there.

Upstream: kubernetes/kubernetes ``pkg/scheduler/backend/queue/nominator.go`` (the nominated
Pods by node and each one's node; a Pod nominated again leaves its old node;
``DeleteNominatedPodIfExists`` when it is bound or deleted), and
``NominatedPodsForNode`` in ``scheduling_queue.go``, which gives only the nominated Pods the
queue still holds. The Filter that counts them is ``RunFilterPluginsWithNominatedPods`` and
``addGENominatedPods`` (once ``addNominatedPods``) in
``pkg/scheduler/framework/runtime/framework.go``
(:func:`filter_with_nominated`), which every Filter of the scheduler runs through: the
scheduling cycle's and the preemption's dry run (``SelectVictimsOnNode``). So a lower-priority
Pod cannot take the room that the victims' graceful termination frees for the preemptor, while
a Pod of higher priority still may (and the preemptor may then preempt again elsewhere).
With nothing nominated that the Pod filtered must count (:meth:`Nominator.counts_for`, one
empty-dict test when nothing is nominated at all) the cycle keeps the NumPy fast path;
otherwise the reference path runs.

A Pod leaves the nominator when it is bound (``forget``, called by the binder), removed from
the store (the API server's ``remove_pod``; ``ControllerManager.remove_pod`` also moves back
the Pods its nomination held back) or written bound or finished (:meth:`Nominator.update`,
from the API server's ``pod_written``), as upstream's event handlers call
``DeleteNominatedPodIfExists`` and ``UpdateNominatedPod``; so a look-up
(:meth:`Nominator.on_node`, upstream ``NominatedPodsForNode``) costs only the Pods nominated
to that node, however many are nominated elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.objects import is_active
from clustersim.kubernetes.scheduler.framework import FilterPlugin, Status, run_filters

__all__ = ["Nominator", "filter_with_nominated", "pod_priority"]

_Pod = dict[str, Any]


def pod_priority(pod: Mapping[str, Any]) -> int:
    """``corev1helpers.PodPriority``: ``spec.priority``, 0 when unset."""
    return int((pod.get("spec") or {}).get("priority") or 0)


class Nominator:
    """The nominated Pods by node name, each node's in the order they were nominated."""

    def __init__(self) -> None:
        self._by_node: dict[str, dict[str, _Pod]] = {}
        self._node_of: dict[str, str] = {}

    def __bool__(self) -> bool:
        return bool(self._node_of)

    def nominate(self, pod: _Pod, node: str) -> None:
        """``addNominatedPod``: ``pod`` is to run on ``node`` (and no longer on another)."""
        self.forget(pod)
        uid = pod["metadata"]["uid"]
        self._node_of[uid] = node
        self._by_node.setdefault(node, {})[uid] = pod

    def forget(self, pod: Mapping[str, Any]) -> None:
        """``DeleteNominatedPodIfExists``: ``pod`` is bound or gone."""
        uid = pod["metadata"]["uid"]
        node = self._node_of.pop(uid, None)
        if node is not None:
            pods = self._by_node[node]
            del pods[uid]
            if not pods:
                del self._by_node[node]

    def update(self, pod: Mapping[str, Any]) -> None:
        """``UpdateNominatedPod``: a written ``pod`` that is bound or no longer active (finished,
        deleted) is nominated nowhere any more (nothing to do when nothing is nominated)."""
        if self._node_of and (pod["spec"].get("nodeName") or not is_active(pod)):
            self.forget(pod)

    def on_node(self, pod: Mapping[str, Any], node: str) -> list[_Pod]:
        """The Pods ``addGENominatedPods`` adds on ``node`` when ``pod`` is filtered: those
        nominated there whose priority is at least ``pod``'s, ``pod`` itself left out."""
        pods = self._by_node.get(node)
        if not pods:
            return []
        priority, uid = pod_priority(pod), (pod.get("metadata") or {}).get("uid")
        return [p for key, p in pods.items() if key != uid and pod_priority(p) >= priority]

    def counts_for(self, pod: Mapping[str, Any]) -> bool:
        """Whether any nominated Pod counts when ``pod`` is filtered (:meth:`on_node` on some
        node). False at once when nothing is nominated, so a cycle then pays nothing."""
        if not self._node_of:
            return False
        priority, uid = pod_priority(pod), (pod.get("metadata") or {}).get("uid")
        return any(key != uid and pod_priority(p) >= priority
                   for pods in self._by_node.values() for key, p in pods.items())


def filter_with_nominated(scheduler: Any, filters: Sequence[FilterPlugin], prefiltered: Any,
                          node: NodeInfo, added: Sequence[_Pod]) -> Status | None:
    """``RunFilterPluginsWithNominatedPods``: the ``filters`` on ``node`` with the ``added``
    nominated Pods (:meth:`Nominator.on_node`) running there, then without them; the first
    rejection, or None when both runs pass. With them a lack of room shows; without them a
    required pod affinity that they alone would satisfy fails, since they may end up
    elsewhere. ``scheduler`` is the :class:`~clustersim.kubernetes.scheduler.Scheduler`
    and ``prefiltered`` its PreFilter outcome for the Pod. As upstream's
    ``addGENominatedPods``, the first run reads a copy of ``node`` with them added and a
    copy of the cycle state that each PreFilter extension's ``AddPod`` updated for each
    of them (``Scheduler.prefilter_add_pod``); PreFilter does not run again."""
    pod = prefiltered.state.pod
    probe = node.snapshot(node.pods)
    with_them = prefiltered.clone()
    for other in added:
        probe.add_pod(other)
        scheduler.prefilter_add_pod(with_them, other, probe)
    status = run_filters(filters, with_them.state, pod, probe)
    return status if status is not None else run_filters(filters, prefiltered.state, pod, node)
