"""Checks for the fleet-at-scale lab: a bin-packing profile, and how many nodes upstream scores.

The profile is read with the simulator's own ``load_profile`` and NodeResourcesFit plugin, and
tried on a small fleet against the default; the node counts come from
:func:`clustersim.kubernetes.fleet.nodes_to_score` (upstream's ``numFeasibleNodesToFind``).
"""

from __future__ import annotations

from typing import Any

from clustersim.exercises.answers import is_whole, keyed, whole_number
from clustersim.exercises.checker import Wrong, checker
from clustersim.kubernetes.fleet import fill, nodes_to_score
from clustersim.kubernetes.scheduler import load_profile
from clustersim.kubernetes.scheduler.plugins.noderesources import Fit

__all__ = ["check_bin_packing_profile", "check_nodes_scored"]


def _strategy(config: Any) -> tuple[str, bool]:
    """NodeResourcesFit's scoring strategy in ``config``, and whether it scores at all."""
    try:
        profile = load_profile(config)
        strategy = Fit(profile.args.get("NodeResourcesFit")).strategy
    except ValueError as err:
        raise Wrong(f"The scheduler would refuse this configuration: {err}",
                    "Compare with the configuration the lab prints from "
                    "PROFILES['MostAllocated'].") from None
    if profile.scheduler_name != "default-scheduler":
        name = profile.scheduler_name
        raise Wrong(f"The profile kube-scheduler would run is named {name!r}: it schedules only "
                    f"Pods whose spec.schedulerName is {name!r}. The fleet's Pods keep the "
                    "default, default-scheduler, which no profile of yours has: they would "
                    "stay Pending, with no event at all.",
                    "Name the profile default-scheduler, or leave schedulerName out of a lone "
                    "profile (kube-scheduler then names it default-scheduler).")
    return strategy, "NodeResourcesFit" in profile.points.get("score", ())


@checker("Right: NodeResourcesFit scores with MostAllocated, and on a small fleet your profile "
         "leaves more nodes empty than the default one.")
def check_bin_packing_profile(config: object) -> None:
    """``config``: a KubeSchedulerConfiguration (YAML text or a dict) for bin-packing."""
    if config is None or config == "" or config == {}:
        raise Wrong("The configuration is empty: that is the default profile, which spreads.",
                    "Add a pluginConfig entry for NodeResourcesFit with args.scoringStrategy.")
    strategy, scores = _strategy(config)
    if strategy == "LeastAllocated":
        raise Wrong("NodeResourcesFit still scores with LeastAllocated (the default): it "
                    "spreads Pods.",
                    "Set pluginConfig[].args.scoringStrategy.type of NodeResourcesFit; check the "
                    "plugin name and that args sits beside name, not inside it.")
    if strategy != "MostAllocated":
        raise Wrong(f"{strategy} can pack, but only with a shape that rises with utilization; "
                    "this exercise asks for the strategy with no shape to tune.",
                    "Use type: MostAllocated.")
    if not scores:
        # Asked of the profile, not of the fleet: since Kubernetes 1.36 BalancedAllocation
        # alone leaves nodes empty (an empty node is already even, so a Pod can only keep or
        # lower its balance: 75 at most, where a used node that the Pod evens out gets more),
        # so a profile whose NodeResourcesFit does not score may still pack, for that reason.
        raise Wrong("NodeResourcesFit does not score in this profile, so its MostAllocated "
                    "strategy is never used.",
                    "NodeResourcesFit must still score (not disabled under plugins.score): "
                    "remove it, or '*', from plugins.score.disabled.")
    packed, spread, yours = (
        fill(name, config=profile, nodes=40, pods=160, levels=1, seed=4)[-1].empty
        for name, profile in (("MostAllocated", None), ("LeastAllocated", None),
                              ("yours", config)))
    if 2 * yours <= spread + packed:  # not even halfway from spreading to packing
        raise Wrong(f"Your profile leaves {yours} nodes empty, the default {spread} and the "
                    f"lab's bin-packing profile {packed}: it hardly packs.",
                    "Other score plugins can outweigh NodeResourcesFit: keep their weights "
                    "at their defaults.")


@checker("Right: 680 nodes (adaptive 34% of 2,000) and 150 nodes (3% of 5,000; the 5% floor "
         "applies only to the adaptive default, the 100-node floor to both).")
def check_nodes_scored(answer: object) -> None:
    """``answer``: {"2000 nodes, default": n, "5000 nodes, 3%": n}."""
    answer = keyed(answer, ("2000 nodes, default", "5000 nodes, 3%"), "case")
    for key, value in answer.items():
        if value is not None and not isinstance(value, str) and not is_whole(value):
            raise Wrong(f"{key}: {value!r} is not a whole number of nodes.",
                        "Upstream computes in int32: divisions drop the remainder.")
    default, explicit = (whole_number(answer[key], f"the nodes for {key!r}")
                         for key in ("2000 nodes, default", "5000 nodes, 3%"))
    if default != nodes_to_score(2_000):
        hint = ("Above 100 nodes the default is not 50%: it is 50 - nodes / 125 percent."
                if default == 1_000 else
                "The adaptive percentage is 50 - 2000 / 125; then nodes × percentage / 100.")
        raise Wrong(f"kube-scheduler does not look for {default} nodes in a 2,000-node cluster.",
                    hint)
    if explicit != nodes_to_score(5_000, 3):
        hint = ("The 5% floor applies only when percentageOfNodesToScore is 0 (adaptive); a "
                "value you set is used as it is, above the 100-node floor."
                if explicit == nodes_to_score(5_000, 5) else
                "3% of 5,000 nodes, then at least 100 nodes.")
        raise Wrong(f"With percentageOfNodesToScore: 3, it does not look for {explicit} nodes.",
                    hint)
