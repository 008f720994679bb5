"""NodeInfo and pod requests: what the scheduler counts on each node.

Request arithmetic follows kubernetes/kubernetes
``staging/src/k8s.io/component-helpers/resource/helpers.go`` (``PodRequests``; cases in the
spirit of ``helpers_test.go``: init containers, restartable sidecars, overhead) and the
non-zero defaults of ``pkg/scheduler/util/pod_resources.go``.
"""

from __future__ import annotations

import copy
import pickle

import pytest

from clustersim import Node
from clustersim.kubernetes.nodeinfo import (
    DEFAULT_MEMORY_REQUEST,
    HOSTNAME_LABEL,
    ZONE_LABEL,
    NodeInfo,
    node_object,
    pod_requests,
)
from clustersim.kubernetes.scheduler.builders import make_pod


def test_node_object_from_a_clustersim_node():
    node = Node(
        "n1",
        "4",
        "8Gi",
        disk="100Gi",
        max_pods=30,
        zone="eu-1a",
        extended_resources={"nvidia.com/gpu": 2},
        labels={"disk": "ssd"},
        taints=[{"key": "gpu", "value": "yes", "effect": "NoSchedule"}],
    )
    manifest = node_object(node)
    assert manifest["metadata"]["labels"] == {
        HOSTNAME_LABEL: "n1",
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "beta.kubernetes.io/arch": "amd64",
        ZONE_LABEL: "eu-1a",
        "disk": "ssd",
    }
    # the kubelet's quantities (pkg/kubelet/cadvisor/util.go): DecimalSI cores, BinarySI bytes
    assert manifest["status"]["allocatable"] == {
        "cpu": "4",
        "memory": "8Gi",
        "ephemeral-storage": "100Gi",
        "pods": "30",
        "nvidia.com/gpu": "2",
    }
    assert manifest["spec"] == {
        "taints": [{"key": "gpu", "value": "yes", "effect": "NoSchedule"}],
        "unschedulable": False,
    }
    info = NodeInfo(node)
    assert info.allocatable == {
        "cpu": 4000,
        "memory": 8 * 2**30,
        "ephemeral-storage": 100 * 2**30,
        "pods": 30,
        "nvidia.com/gpu": 2,
    }


def test_requests_sum_containers_and_take_the_largest_init_container():
    pod = make_pod("p", {"cpu": "100m", "memory": "64Mi"}, {"cpu": "200m"})
    pod["spec"]["initContainers"] = [
        {"name": "migrate", "resources": {"requests": {"cpu": "1", "memory": "32Mi"}}}
    ]
    pod["spec"]["overhead"] = {"cpu": "10m"}
    assert pod_requests(pod) == {"cpu": 1010, "memory": 64 * 2**20}
    assert pod_requests(pod, non_zero=True) == {
        "cpu": 1010,
        "memory": 64 * 2**20 + DEFAULT_MEMORY_REQUEST,
    }


def test_restartable_init_containers_add_to_everything_after_them():
    pod = make_pod("p", {"cpu": "100m"})
    pod["spec"]["initContainers"] = [
        {"name": "sidecar", "restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}},
        {"name": "setup", "resources": {"requests": {"cpu": "500m"}}},
    ]
    # app containers run with the sidecar: 150m; the setup step needs 500m + the sidecar.
    assert pod_requests(pod)["cpu"] == 550


def test_explicit_zero_is_not_replaced_by_the_default():
    pod = make_pod("p", {"cpu": "0", "memory": "0"}, {})
    assert pod_requests(pod, non_zero=True) == {"cpu": 100, "memory": DEFAULT_MEMORY_REQUEST}
    assert pod_requests(make_pod("p", {"cpu": "0", "memory": "0"}), non_zero=True) == {
        "cpu": 0,
        "memory": 0,
    }


def test_add_and_remove_keep_the_sums():
    info = NodeInfo(Node("n", "2", "4Gi"))
    a = make_pod("a", {"cpu": "500m", "memory": "1Gi"})
    b = make_pod("b", {})
    b["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPort": 8080}]
    b["spec"]["affinity"] = {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": HOSTNAME_LABEL, "labelSelector": {"matchLabels": {"app": "b"}}}
            ]
        }
    }
    info.add_pod(a)
    info.add_pod(b)
    assert info.requested == {"cpu": 500, "memory": 2**30}
    assert info.non_zero_requested == {"cpu": 600, "memory": 2**30 + DEFAULT_MEMORY_REQUEST}
    assert info.used_ports == {("0.0.0.0", "TCP", 8080): 1}
    assert info.pods_with_affinity == [b] and info.pods_with_required_anti_affinity == [b]
    with pytest.raises(ValueError, match="already on node n"):
        info.add_pod(a)
    info.remove_pod(b)
    assert info.non_zero_requested == {"cpu": 500, "memory": 2**30}
    assert info.used_ports == {} and info.pods_with_affinity == []
    info.remove_pod(a)
    assert info.requested == {"cpu": 0, "memory": 0} and info.pods == []
    with pytest.raises(ValueError, match="not on node n"):
        info.remove_pod(a)


def test_node_changes_are_announced_and_copies_stay_plain():
    info = NodeInfo(Node("n", "2", "4Gi"))
    seen = []
    info.listeners.append(lambda node, static: seen.append(static))
    info.taints.append({"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"})
    info.unschedulable = True
    info.add_pod(make_pod("a", {}))
    assert seen == [True, True, False]
    assert type(copy.deepcopy(info.node)["spec"]["taints"]) is list
    assert type(pickle.loads(pickle.dumps(info.node))["spec"]["taints"]) is list


def test_bad_quantities_are_reported_with_their_place():
    with pytest.raises(ValueError, match=r"spec.containers\[0\]: resources of 'cpu'"):
        pod_requests(make_pod("p", {"cpu": "lots"}))
