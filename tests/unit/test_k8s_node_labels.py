"""Every simulated node carries the labels a real kubelet sets on its Node."""

from __future__ import annotations

import pytest

from clustersim import Node
from clustersim.kubernetes import KubernetesCluster

POD = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  nodeSelector: {%s}
  containers: [{name: c, image: nginx}]
"""


def test_kubelet_labels_come_from_the_platform_and_name() -> None:
    cluster = KubernetesCluster([Node("pi", cpu=4, memory="4Gi",
                                      platform={"os": "linux", "arch": "aarch64"}),
                                 Node("pc", cpu=4, memory="4Gi")])
    assert {k: v for k, v in cluster.node("pi").labels.items() if "kubernetes.io/" in k} == {
        "kubernetes.io/hostname": "pi", "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "arm64", "beta.kubernetes.io/os": "linux",
        "beta.kubernetes.io/arch": "arm64"}
    assert cluster.node("pc").labels["kubernetes.io/arch"] == "amd64"


@pytest.mark.parametrize(("selector", "node"), [
    ("kubernetes.io/os: linux", "any"), ("beta.kubernetes.io/os: linux", "any"),
    ("kubernetes.io/arch: arm64", "pi"), ("kubernetes.io/hostname: pc", "pc")])
def test_pods_selecting_kubelet_labels_schedule(selector, node) -> None:
    """Regression test: such pods stayed Pending ("didn't match Pod's node affinity")."""
    cluster = KubernetesCluster([Node("pi", cpu=4, memory="4Gi", platform={"arch": "aarch64"}),
                                 Node("pc", cpu=4, memory="4Gi")])
    cluster.apply(POD % selector)
    cluster.run(until=10)
    (pod,) = cluster.pods()
    assert pod.phase == "Running" and (node == "any" or pod.node == node)


def test_windows_nodes_do_not_take_linux_pods() -> None:
    cluster = KubernetesCluster([Node("win", cpu=4, memory="4Gi", platform={"os": "windows"})])
    cluster.apply(POD % "kubernetes.io/os: linux")
    cluster.run(until=10)
    assert "node affinity/selector" in cluster.pods()[0].message
