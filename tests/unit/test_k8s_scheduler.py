"""The scheduling cycle: FailedScheduling messages, explain, configuration, ties.

Message wording and order follow kubernetes/kubernetes ``pkg/scheduler/framework/types.go``
(``FitError.Error``: "0/N nodes are available: " + the reasons histogram sorted as strings)
and the PostFilter plugins, DynamicResources ("no new claims to deallocate", enabled by
default since 1.34) then DefaultPreemption (``preemption: ...``), joined with ", "; the form
of Kubernetes 1.35 to 1.37 (``KUBERNETES_VERSION``), as real 1.34+ clusters print it, e.g.
"0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to
deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
configuration follows ``pkg/scheduler/apis/config/v1/default_plugins.go``.
"""

from __future__ import annotations

import random

import pytest

from clustersim.kubernetes.scheduler import DEFAULT_PLUGINS, Scheduler, load_profile
from clustersim.kubernetes.scheduler.builders import make_node, make_pod

CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def three_nodes():
    return [
        make_node("control-plane", {"cpu": 4, "memory": "8Gi"}, taints=[CONTROL_PLANE]),
        make_node("worker-1", {"cpu": 2, "memory": "4Gi"}),
        make_node("worker-2", {"cpu": 2, "memory": "4Gi"}),
    ]


def test_failed_scheduling_message_matches_upstream():
    """Nodes that could fit after evictions say "No preemption victims" (no lower-priority
    pods here); nodes that never could (taint, or a request above allocatable) say
    "Preemption is not helpful" (UnschedulableAndUnresolvable)."""
    nodes = three_nodes()
    for node in nodes[1:]:
        node.add_pod(make_pod(f"on-{node.name}", {"cpu": 1}))
    result = Scheduler().schedule(make_pod("big", {"cpu": "1500m"}), nodes)
    assert result.node is None
    assert result.message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
        "no new claims to deallocate, "
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod."
    )
    assert result.verdicts["worker-1"].reasons == ("Insufficient cpu",)
    assert not result.verdicts["worker-1"].feasible


def test_reasons_are_counted_per_reason_and_sorted_as_strings():
    nodes = three_nodes()
    nodes.append(make_node("tiny", {"cpu": "100m", "memory": "64Mi"}))
    message = Scheduler().schedule(make_pod("p", {"cpu": 3, "memory": "6Gi"}), nodes).message
    assert message == (
        "0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient cpu, "
        "3 Insufficient memory. no new claims to deallocate, preemption: 0/4 nodes are available: "
        "4 Preemption is not helpful for scheduling."
    )


def test_preemption_part_follows_the_profile_and_the_pod():
    pod = make_pod("big", {"cpu": 3})
    never = make_pod("big", {"cpu": 3}, preemptionPolicy="Never")
    assert (
        Scheduler()
        .schedule(never, three_nodes())
        .message.endswith("preemption: not eligible due to preemptionPolicy=Never.")
    )
    config = {"plugins": {"postFilter": {"disabled": [{"name": "DefaultPreemption"}]}}}
    assert Scheduler(config).schedule(pod, three_nodes()).message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
        "no new claims to deallocate."
    )
    config = {"plugins": {"multiPoint": {"disabled": [{"name": "DynamicResources"},
                                                      {"name": "DefaultPreemption"}]}}}
    assert Scheduler(config).schedule(pod, three_nodes()).message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu."
    )


def test_no_nodes():
    assert Scheduler().schedule(make_pod("p"), []).message == "no nodes available to schedule pods"


def test_daemonset_pod_reports_the_nodes_left_out_by_prefilter():
    pod = make_pod(
        "ds",
        {"cpu": 3},
        affinity={
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchFields": [
                                {"key": "metadata.name", "operator": "In", "values": ["worker-1"]}
                            ]
                        }
                    ]
                }
            }
        },
    )
    assert (
        Scheduler()
        .schedule(pod, three_nodes())
        .message.startswith(
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
            "[NodeAffinity]. no new claims to deallocate, preemption:"
        )
    )


def test_explain_scores_only_feasible_nodes():
    nodes = three_nodes()
    nodes[1].add_pod(make_pod("busy", {"cpu": 1, "memory": "1Gi"}))
    verdicts = Scheduler().explain(make_pod("p", {"cpu": "500m", "memory": "512Mi"}), nodes)
    assert verdicts["control-plane"].feasible is False
    assert verdicts["control-plane"].scores == {} and verdicts["control-plane"].total is None
    weights = dict(DEFAULT_PLUGINS)
    for name in ("worker-1", "worker-2"):
        verdict = verdicts[name]
        assert verdict.feasible
        assert set(verdict.scores) == {
            "TaintToleration",
            "NodeResourcesFit",
            "NodeResourcesBalancedAllocation",
        }
        assert verdict.total == sum(score * weights[p] for p, score in verdict.scores.items())
    # LeastAllocated: (2000-1500)*100/2000 = 25 and (4Gi-1.5Gi)*100/4Gi = 62 → 43 on worker-1.
    assert verdicts["worker-1"].scores["NodeResourcesFit"] == 43
    assert verdicts["worker-2"].scores["NodeResourcesFit"] == (75 + 87) // 2
    assert Scheduler().schedule(make_pod("p", {"cpu": "500m"}), nodes).node == "worker-2"


def test_explain_binds_nothing_and_draws_nothing():
    rng = random.Random(7)
    before = rng.getstate()
    nodes = three_nodes()
    Scheduler(rng=rng).explain(make_pod("p", {"cpu": "100m"}), nodes)
    assert rng.getstate() == before
    assert all(not n.pods for n in nodes)


def placements(seed, count=30):
    nodes = [make_node(f"n{i}", {"cpu": 4, "memory": "8Gi"}) for i in range(6)]
    by_name = {n.name: n for n in nodes}
    scheduler = Scheduler(rng=random.Random(seed))
    chosen = []
    for i in range(count):
        pod = make_pod(f"p{i}", {"cpu": "100m", "memory": "100Mi"})
        node = scheduler.schedule(pod, nodes).node
        by_name[node].add_pod(pod)
        chosen.append(node)
    return chosen


def test_ties_are_drawn_from_the_seed():
    assert placements(1) == placements(1)
    assert len({tuple(placements(seed)) for seed in range(5)}) > 1


def test_a_single_feasible_node_needs_no_draw():
    rng = random.Random(3)
    before = rng.getstate()
    nodes = three_nodes()
    assert (
        Scheduler(rng=rng)
        .schedule(make_pod("p", {"cpu": 3}, tolerations=[{"operator": "Exists"}]), nodes)
        .node
        == "control-plane"
    )
    assert rng.getstate() == before


# -- configuration -------------------------------------------------------------------------------
def test_default_profile_has_upstream_plugins_and_weights():
    profile = load_profile(None)
    assert profile.weights == dict(DEFAULT_PLUGINS) | {n: 1 for n, w in DEFAULT_PLUGINS if w == 0}
    assert profile.points["filter"][:4] == [
        "NodeUnschedulable",
        "NodeName",
        "TaintToleration",
        "NodeAffinity",
    ]
    assert profile.preemption


def test_whole_document_yaml_with_most_allocated_packs_nodes():
    config = """
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
            resources:
              - {name: cpu, weight: 1}
              - {name: memory, weight: 1}
"""
    nodes = three_nodes()
    nodes[1].add_pod(make_pod("busy", {"cpu": 1, "memory": "1Gi"}))
    assert Scheduler(config).schedule(make_pod("p", {"cpu": "500m"}), nodes).node == "worker-1"
    assert Scheduler().schedule(make_pod("p", {"cpu": "500m"}), nodes).node == "worker-2"


def test_disabling_a_filter_and_changing_a_weight():
    pod = make_pod("p", {"cpu": 3})
    config = {"plugins": {"multiPoint": {"disabled": [{"name": "TaintToleration"}]}}}
    assert Scheduler(config).schedule(pod, three_nodes()).node == "control-plane"
    weighted = load_profile(
        {"plugins": {"score": {"enabled": [{"name": "NodeAffinity", "weight": 7}]}}}
    )
    assert weighted.weights["NodeAffinity"] == 7
    everything_off = load_profile(
        {
            "plugins": {
                "multiPoint": {"disabled": [{"name": "*"}]},
                "filter": {"enabled": [{"name": "NodeName"}]},
            }
        }
    )
    assert everything_off.points["filter"] == ["NodeName"] and everything_off.points["score"] == []


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (
            {"plugins": {"score": {"enabled": [{"name": "MagicPlacement"}]}}},
            "unknown plugin 'MagicPlacement'",
        ),
        ({"plugins": {"score": {"enabled": [{"name": "NodeAffinity", "weight": -2}]}}}, "weight"),
        # kube-scheduler decodes its configuration strictly (scheme.go: EnableStrict)
        ({"plugins": {"scoring": {}}}, 'strict decoding error: unknown field "plugins.scoring"'),
        ({"kind": "KubeSchedulerConfiguration", "profiles": [{"pluginConfigs": []}]},
         'strict decoding error: unknown field "profiles[0].pluginConfigs"'),
        ({"profiles": [{"pluginConfig": [{"name": "NodeResourcesFit", "args": {
            "scoringStratgy": {"type": "MostAllocated"}}}]}]},
         "strict decoding error: decoding .profiles[0].pluginConfig[0]: decoding args for "
         'plugin NodeResourcesFit: strict decoding error: unknown field "scoringStratgy"'),
        ({"parallelism": 8, "profile": [{}]}, 'unknown field "profile"'),
        ({"percentageOfNodesToScore": 101}, "Invalid value: 101: not in valid range [0-100]"),
        (
            {
                "pluginConfig": [
                    {"name": "NodeResourcesFit", "args": {"scoringStrategy": {"type": "Bin"}}}
                ]
            },
            "scoringStrategy.type",
        ),
        (
            {
                "pluginConfig": [
                    {"name": "NodeResourcesFit", "args": {}},
                    {"name": "NodeResourcesFit", "args": {}},
                ]
            },
            "duplicate",
        ),
        ("plugins: [unclosed", "YAML"),
        # read by the bounded loader: yaml.safe_load built this billion laughs for minutes
        ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8)), "alias bomb"),
        ([1, 2], "expected a mapping"),
    ],
)
def test_invalid_configuration_is_a_clear_error(config, words):
    with pytest.raises(ValueError, match="scheduler configuration") as err:
        Scheduler(config)
    assert words in str(err.value)


def test_upstream_plugins_outside_the_simulation_are_accepted():
    profile = load_profile(
        {
            "plugins": {
                "multiPoint": {"disabled": [{"name": "ImageLocality"}]},
                "score": {"enabled": [{"name": "VolumeBinding"}]},
            }
        }
    )
    assert "VolumeBinding" not in profile.points["score"]


@pytest.mark.parametrize(("version", "removed"), [
    ("kubescheduler.config.k8s.io/v1beta3", "1.29"),
    ("kubescheduler.config.k8s.io/v1beta2", "1.28"),
])
def test_a_removed_configuration_version_is_refused(version: str, removed: str) -> None:
    """KEP-785 (kubernetes/enhancements keps/sig-scheduling/785-scheduler-component-config-api):
    v1 is GA since 1.25, v1beta2 was removed in 1.28 and v1beta3 in 1.29. A v1beta3 profile
    used to load, and passed the fleet exercise."""
    config = {"apiVersion": version, "kind": "KubeSchedulerConfiguration",
              "profiles": [{"schedulerName": "default-scheduler"}]}
    with pytest.raises(ValueError, match=f"removed in Kubernetes {removed}"):
        load_profile(config)
    assert load_profile({**config, "apiVersion": "kubescheduler.config.k8s.io/v1"})


def _named(*names: str | None) -> dict:
    return {"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration",
            "profiles": [{} if n is None else {"schedulerName": n} for n in names]}


def test_a_profile_takes_its_name_from_defaulting_and_runs_by_name() -> None:
    # SetDefaults_KubeSchedulerConfiguration names a lone unnamed profile default-scheduler;
    # of several, the one named default-scheduler runs (the simulator runs one profile).
    assert load_profile(_named(None)).scheduler_name == "default-scheduler"
    assert load_profile(_named("my-scheduler")).scheduler_name == "my-scheduler"
    assert load_profile(_named("my-scheduler", "default-scheduler")).scheduler_name \
        == "default-scheduler"


@pytest.mark.parametrize(("names", "words"), [
    ((None, "other"), "profiles[0].schedulerName: Required value"),
    (("a", "a"), 'profiles[1].schedulerName: Duplicate value: "a"'),
    (('a"b', 'a"b'), 'profiles[1].schedulerName: Duplicate value: "a\\"b"'),   # Go's %q
])
def test_several_profiles_each_need_a_name_of_their_own(names, words) -> None:
    with pytest.raises(ValueError, match="scheduler configuration") as err:
        load_profile(_named(*names))
    assert words in str(err.value)


def test_pods_of_another_scheduler_name_stay_pending_without_an_event() -> None:
    # responsibleForPod: the scheduler's informer passes on only the Pods whose schedulerName
    # one of its profiles carries; nothing else is tried, so no FailedScheduling either.
    from clustersim.kubernetes import KubernetesCluster
    from clustersim.node import Node

    cluster = KubernetesCluster(Node.many(2, "node", cpu=4, memory="8Gi"),
                                scheduler_config=_named("my-scheduler"))
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "{}"},
           "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}
    cluster.apply({**pod, "metadata": {"name": "plain"}})
    cluster.apply({**pod, "metadata": {"name": "mine"},
                   "spec": {**pod["spec"], "schedulerName": "my-scheduler"}})
    cluster.run(until=30)
    placed = {p.name: p.node for p in cluster.pods()}
    assert placed["plain"] is None
    assert placed["mine"] is not None
    assert not [e for e in cluster.events if "plain" in str(e)]
