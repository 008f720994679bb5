"""What :meth:`KubernetesCluster.explain` answers: every node's :class:`Verdict` for a pod,
and first what applies to the pod as a whole.

An :class:`Explanation` is a ``dict`` ``{node: Verdict}`` (so ``verdicts["node-a"].feasible``
and ``.items()`` work as before) with a :attr:`~Explanation.summary`. The case worth saying
first is a pod that is already bound: its ``spec.nodeName`` is set, so the NodeName filter
(kubernetes/kubernetes ``pkg/scheduler/framework/plugins/nodename/node_name.go``, ``Fits``)
lets only that node pass, and every other node fails with "node(s) didn't match the requested
node name", which says nothing about the node itself. Upstream the scheduler never sees such a
pod: it queues only pods whose ``spec.nodeName`` is empty (``pkg/scheduler/eventhandlers.go``,
``assignedPod``).
"""

from __future__ import annotations

from collections.abc import Mapping

from clustersim.kubernetes.scheduler import Verdict

__all__ = ["Explanation"]


class Explanation(dict[str, Verdict]):
    """``{node: Verdict}`` for the pod ``pod``; ``node_name`` is its ``spec.nodeName`` as
    explained (None: the scheduler would choose); ``placed_on`` is the node a stored pod runs
    on when that was left out to ask where it could go now."""

    def __init__(self, verdicts: Mapping[str, Verdict], pod: str,
                 node_name: str | None = None, placed_on: str | None = None) -> None:
        super().__init__(verdicts)
        self.pod = pod
        self.node_name = node_name
        self.placed_on = placed_on

    @property
    def feasible(self) -> list[str]:
        """The nodes that pass every filter, in the cluster's order."""
        return [name for name, verdict in self.items() if verdict.feasible]

    @property
    def summary(self) -> str:
        """One sentence on the pod as a whole, before the per-node verdicts."""
        if self.node_name:
            return (f"Pod {self.pod} is bound to node {self.node_name} (spec.nodeName is "
                    f"set): only {self.node_name} passes the NodeName filter, every other "
                    f"node fails it whatever its resources; explain({self.pod!r}) leaves "
                    "spec.nodeName out and shows where the scheduler could place it.")
        where = (f"Pod {self.pod} runs on {self.placed_on}; as if it were pending again"
                 if self.placed_on else f"Pod {self.pod}")
        fits = self.feasible
        return (f"{where}: {len(fits)} of {len(self)} nodes pass the filters"
                + (f" ({', '.join(fits)})." if fits else "."))

    def __repr__(self) -> str:
        fits = self.feasible
        bound = f", bound to {self.node_name}" if self.node_name else ""
        return (f"<Explanation of pod {self.pod}{bound}: {len(fits)}/{len(self)} nodes "
                f"feasible{': ' + ', '.join(fits[:3]) if fits else ''}"
                f"{', …' if len(fits) > 3 else ''}>")

    def __str__(self) -> str:
        lines = [self.summary]
        for name, verdict in self.items():
            lines.append(f"  {name}: " + (f"feasible, score {verdict.total}" if verdict.feasible
                                          else "; ".join(verdict.reasons)))
        return "\n".join(lines)
