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
With nothing nominated the cycle pays one empty-dict test and keeps the NumPy fast path; with
something nominated that Pods of the priority filtered must count, the reference path runs.

Here a Pod is dropped when it is bound (``forget``, called by the binder) or removed
(``ControllerManager.remove_pod``, which also moves back the Pods its nomination held back)
and, lazily at the next look, when it is no longer stored, bound some other way or finished:
the ``stored`` callable is the API server's (for a Pod that left the store some other way),
as upstream's look-up finds only the Pods still in the queue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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

    def __init__(self, stored: Callable[[Mapping[str, Any]], bool] | None = None) -> None:
        self.stored = stored or (lambda pod: True)
        """Whether a Pod is still stored (the API server's ``exists``)."""
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

    def for_pod(self, pod: Mapping[str, Any]) -> dict[str, list[_Pod]]:
        """The Pods ``addGENominatedPods`` adds when ``pod`` is filtered, by node: those
        nominated there whose priority is at least ``pod``'s, ``pod`` itself left out.
        Empty at once when nothing is nominated, so a cycle then pays nothing."""
        if not self._node_of:
            return {}
        for gone in [p for pods in self._by_node.values() for p in pods.values()
                     if p["spec"].get("nodeName") or not is_active(p) or not self.stored(p)]:
            self.forget(gone)
        priority, uid = pod_priority(pod), (pod.get("metadata") or {}).get("uid")
        found: dict[str, list[_Pod]] = {}
        for node, pods in self._by_node.items():
            higher = [p for p in pods.values()
                      if pod_priority(p) >= priority and p["metadata"]["uid"] != uid]
            if higher:
                found[node] = higher
        return found


def filter_with_nominated(scheduler: Any, filters: Sequence[FilterPlugin], prefiltered: Any,
                          nodes: Sequence[NodeInfo], node: NodeInfo,
                          added: Sequence[_Pod]) -> Status | None:
    """``RunFilterPluginsWithNominatedPods``: the ``filters`` on ``node`` with the ``added``
    nominated Pods (:meth:`Nominator.for_pod`) running there, then without them; the first
    rejection, or None when both runs pass. With them a lack of room shows; without them a
    required pod affinity that they alone would satisfy fails, since they may end up
    elsewhere. ``scheduler`` is the :class:`~clustersim.kubernetes.scheduler.Scheduler`
    and ``prefiltered`` its PreFilter outcome over ``nodes``. Upstream ``addGENominatedPods``
    runs each PreFilter extension's ``AddPod`` for every Pod added; here the plugins that
    read bound Pods run their PreFilter again over the nodes with ``node`` so changed, as
    the preemption's dry run does (``Scheduler.pre_filter`` with a base)."""
    pod = prefiltered.state.pod
    probe = node.snapshot([*node.pods, *added])
    with_them = scheduler.pre_filter(pod, [probe if n is node else n for n in nodes],
                                     prefiltered) if scheduler.reads_pods(prefiltered) \
        else prefiltered
    if with_them.rejection is not None:
        return with_them.rejection
    status = run_filters(filters, with_them.state, pod, probe)
    return status if status is not None else run_filters(filters, prefiltered.state, pod, node)
