"""Public objects print as one short, readable line: what a learner exploring on their own
sees when they type the object's name in a cell."""

from __future__ import annotations

import pytest

from clustersim import Node, load_manifests
from clustersim.clusters import demo_nodes
from clustersim.decision import load_features, preset_weights, rank
from clustersim.examples import example_path
from clustersim.kubernetes import KubernetesCluster
from clustersim.marathon import Marathon
from clustersim.mesos import MesosCluster
from clustersim.swarm import SwarmCluster

SHORT = 200


def test_node_shows_its_taints_labels_and_zone() -> None:
    gpu = Node("gpu-1", "8", "64Gi", zone="a", labels={"accelerator": "nvidia"},
               taints=[{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"},
                       {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}])
    text = repr(gpu)
    assert "taints=['nvidia.com/gpu=present:NoSchedule', " in text
    assert "'node-role.kubernetes.io/control-plane:NoSchedule'" in text
    assert "labels={'accelerator': 'nvidia'}" in text and "zone='a'" in text


def test_node_shows_swarm_role_availability_and_mesos_attributes() -> None:
    text = repr(Node("m-1", 2, "4Gi", role="manager", availability="drain",
                     attributes={"rack": "rack-1"}))
    assert "role='manager'" in text and "availability='drain'" in text and "rack-1" in text


def test_plain_node_stays_three_fields() -> None:
    assert repr(Node("small", "500m", "8Gi")) == "Node('small', cpu='500m', memory='8Gi')"


@pytest.mark.parametrize("preset", sorted(load_features().presets))
def test_recommendation_is_one_short_line(preset: str) -> None:
    recommendation = rank(preset_weights(preset))
    text = repr(recommendation)
    assert len(text) < SHORT and "\n" not in text, text
    assert recommendation.recommended.name in text and ".explanation()" in text
    for result in recommendation.ranking:
        assert result.name in text
        assert repr(result) == (f"SystemResult({result.system!r}, {result.points} of "
                                f"{result.possible} points{', retired' if result.retired else ''})")


def test_clusters_and_their_objects_print_short() -> None:
    k8s = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    k8s.apply(example_path("kubernetes"))
    k8s.run(until=30)
    swarm = SwarmCluster(demo_nodes("swarm"), seed=0)
    swarm.deploy_stack("shop", example_path("swarm"))
    mesos = MesosCluster(demo_nodes("mesos"), seed=0)
    marathon = Marathon()
    mesos.register(marathon)
    objects = [k8s, swarm, mesos, marathon, *demo_nodes("kubernetes"),
               *load_manifests(example_path("kubernetes"))]
    for thing in objects:
        text = repr(thing)
        assert len(text) < SHORT and "\n" not in text, text
    assert repr(k8s).startswith("KubernetesCluster(4 nodes, ")


def test_a_pod_row_is_one_line_like_kubectl_get_pods() -> None:
    k8s = KubernetesCluster(demo_nodes("kubernetes"), seed=0)
    k8s.apply(example_path("kubernetes"))
    k8s.run(until=60)
    row = k8s.pods()[0]
    assert repr(row) == f"<PodInfo default/{row.name} on {row.node}: Running, ready>"
    k8s.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "huge"},
               "spec": {"containers": [{"name": "c", "image": "busybox:1.36",
                                        "resources": {"requests": {"cpu": "64"}}}]}})
    k8s.run(until=70)
    pending = next(p for p in k8s.pods() if p.name == "huge")
    assert repr(pending) == "<PodInfo default/huge not scheduled: Pending (Unschedulable)>"


def test_a_record_of_a_run_shows_its_sizes_not_its_contents() -> None:
    from clustersim.scenarios.healing import node_failure_run

    run = node_failure_run("swarm", fail_at=30, until=120)
    text = repr(run)
    assert text.startswith("FailureRun(system='swarm', snapshots=<") and len(text) <= 120
    assert repr(run.snapshots[0]).startswith("Snapshot(system='swarm', time=0.0, nodes=<")


def test_a_live_app_names_itself() -> None:
    from clustersim.widgets import drf_explorer

    text = repr(drf_explorer())
    assert text.startswith("<LiveApp '") and " object at 0x" not in text and len(text) < SHORT
