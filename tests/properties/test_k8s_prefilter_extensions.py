"""PreFilterExtensions: the state that ``AddPod``/``RemovePod`` update equals a fresh PreFilter.

A preemption's dry run (``SelectVictimsOnNode`` in kubernetes/kubernetes
``pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go``) and the nominated
Pods' Filter (``addGENominatedPods`` in ``pkg/scheduler/framework/runtime/framework.go``) clone
the cycle state and update InterPodAffinity's and PodTopologySpread's PreFilter state by each
Pod they remove or add, instead of running PreFilter again. For random clusters (zones,
hostnames, Pods of two namespaces with labels, required anti-affinity, some terminating), a
random incoming Pod (required affinity and anti-affinity, DoNotSchedule spread constraints,
a node selector) and a random run of removals and additions on copies of the nodes, the
updated copy must equal PreFilter run afresh over the changed nodes, and both Filters must
give every node the same verdict. A plugin that said Skip gets no update (upstream passes over
the plugins in ``SkipFilterPlugins``), so it is compared only where it ran.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clustersim.kubernetes.nodeinfo import NodeInfo
from clustersim.kubernetes.scheduler import Scheduler

PLUGINS = ("InterPodAffinity", "PodTopologySpread")
KEYS = ("kubernetes.io/hostname", "topology.kubernetes.io/zone")
APPS = ("web", "db", "cache")

selector = st.sampled_from(APPS).map(lambda app: {"matchLabels": {"app": app}})
term = st.builds(lambda s, key: {"labelSelector": s, "topologyKey": key},
                 selector, st.sampled_from(KEYS))


@st.composite
def pods(draw: st.DrawFn, name: str) -> dict:
    """A Pod of either namespace, maybe labelled, with required anti-affinity, terminating."""
    meta: dict = {"name": name, "uid": name,
                  "namespace": draw(st.sampled_from(("default", "default", "other")))}
    app = draw(st.sampled_from((None, *APPS)))
    if app:
        meta["labels"] = {"app": app}
    if draw(st.booleans()) and draw(st.booleans()):
        meta["deletionTimestamp"] = 1.0
    spec: dict = {"containers": [{"name": "c", "image": "x"}]}
    anti = draw(st.lists(term, max_size=1))
    if anti:
        spec["affinity"] = {"podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": anti}}
    return {"metadata": meta, "spec": spec}


@st.composite
def incoming(draw: st.DrawFn) -> dict:
    pod = draw(pods("incoming"))
    pod["metadata"].pop("deletionTimestamp", None)
    affinity = pod["spec"].setdefault("affinity", {})
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = draw(st.lists(term, max_size=2))
        if terms:
            affinity[kind] = {"requiredDuringSchedulingIgnoredDuringExecution": terms}
    spread = draw(st.lists(st.builds(
        lambda s, key, skew, domains: {"maxSkew": skew, "topologyKey": key,
                                       "whenUnsatisfiable": "DoNotSchedule",
                                       "labelSelector": s, "minDomains": domains},
        selector, st.sampled_from(KEYS), st.integers(1, 2), st.sampled_from((None, 3))),
        max_size=2, unique_by=lambda c: c["topologyKey"]))
    if spread:
        pod["spec"]["topologySpreadConstraints"] = spread
    if draw(st.booleans()) and draw(st.booleans()):
        pod["spec"]["nodeSelector"] = {"topology.kubernetes.io/zone": "a"}
    return pod


@st.composite
def scenarios(draw: st.DrawFn) -> tuple:
    zones = draw(st.lists(st.sampled_from(("a", "b", None)), min_size=2, max_size=5))
    nodes = []
    for i, zone in enumerate(zones):
        labels = {"kubernetes.io/hostname": f"n{i}"}
        if zone:
            labels["topology.kubernetes.io/zone"] = zone
        nodes.append(NodeInfo({"metadata": {"name": f"n{i}", "labels": labels},
                               "status": {"allocatable": {"cpu": "4", "memory": "4Gi"}}}))
    count = draw(st.integers(0, 12))
    for i in range(count):
        nodes[draw(st.integers(0, len(nodes) - 1))].add_pod(draw(pods(f"p{i}")))
    # each step: remove a bound Pod (an index into the node's Pods) or add a new one
    steps = draw(st.lists(st.tuples(st.integers(0, len(nodes) - 1), st.booleans(),
                                    st.integers(0, 20), pods(f"q{count}")), max_size=8))
    return nodes, draw(incoming()), steps


@given(scenarios())
def test_updated_state_equals_a_fresh_prefilter(scenario):
    nodes, pod, steps = scenario
    scheduler = Scheduler(fast=False)
    base = scheduler.pre_filter(pod, nodes)
    updated = base.clone()
    changed = list(nodes)
    for step, (at, remove, which, extra) in enumerate(steps):
        if changed[at] is nodes[at]:
            changed[at] = nodes[at].snapshot(nodes[at].pods)
        probe = changed[at]
        if remove and probe.pods:
            gone = probe.pods[which % len(probe.pods)]
            probe.remove_pod(gone)
            scheduler.prefilter_remove_pod(updated, gone, probe)
        else:
            added = {**extra, "metadata": {**extra["metadata"], "uid": f"q{step}",
                                           "name": f"q{step}"}}
            probe.add_pod(added)
            scheduler.prefilter_add_pod(updated, added, probe)
    fresh = scheduler.pre_filter(pod, changed)
    for name in PLUGINS:
        if name in base.skipped:
            assert name not in updated.state.data
            continue
        plugin = scheduler.plugins[name]
        if name not in fresh.skipped:
            assert updated.state.data[name] == fresh.state.data[name]
        for node in changed:
            want = plugin.filter(fresh.state, pod, node)
            assert plugin.filter(updated.state, pod, node) == want, (name, node.name)
    for name in PLUGINS:            # the base state itself is left as it was
        if name not in base.skipped:
            assert base.state.data[name] == scheduler.pre_filter(pod, nodes).state.data[name]
