"""The version skew policy, with the examples of https://kubernetes.io/releases/version-skew-policy/
(written there for kube-apiserver 1.35)."""

from __future__ import annotations

import pytest

from clustersim.kubernetes.versionskew import minor, skew_problems, supported_versions


@pytest.mark.parametrize(("component", "apiservers", "expected"), [
    ("kube-apiserver", ["1.35"], ["1.36", "1.35", "1.34"]),
    ("kubelet", ["1.35"], ["1.35", "1.34", "1.33", "1.32"]),
    ("kubelet", ["1.35", "1.34"], ["1.34", "1.33", "1.32"]),
    ("kube-proxy", ["1.35"], ["1.35", "1.34", "1.33", "1.32"]),
    ("kube-controller-manager", ["1.35"], ["1.35", "1.34"]),
    ("kube-scheduler", ["1.35", "1.34"], ["1.34"]),
    ("kubectl", ["1.35"], ["1.36", "1.35", "1.34"]),
    ("kubectl", ["1.35", "1.34"], ["1.35", "1.34"]),
    ("kubelet", ["1.26"], ["1.26", "1.25", "1.24"]),       # kubelets before 1.25: two minors
])
def test_supported_versions(component, apiservers, expected):
    assert supported_versions(component, apiservers) == expected


def test_skew_problems_of_an_upgrade_that_skips_the_nodes():
    problems = skew_problems({"kube-apiserver": ["1.37"], "kube-scheduler": "1.36",
                              "kubelet": ["1.36", "1.33"], "kubectl": "1.35"})
    assert problems == [
        "kubelet 1.33 is not supported with kube-apiserver 1.37 (supported: 1.37, 1.36, 1.35, "
        "1.34)",
        "kubectl 1.35 is not supported with kube-apiserver 1.37 (supported: 1.38, 1.37, 1.36)",
    ]


def test_apiservers_two_minors_apart():
    assert skew_problems({"kube-apiserver": ["1.37", "1.35"]}) == [
        "kube-apiserver instances at 1.35 and 1.37 are more than one minor version apart"]


def test_bad_versions_are_clear_errors():
    assert minor("v1.37.2") == 37
    with pytest.raises(ValueError, match="not a Kubernetes version"):
        minor("2.0")
    with pytest.raises(ValueError, match="unknown component 'etcd'"):
        supported_versions("etcd", "1.37")
