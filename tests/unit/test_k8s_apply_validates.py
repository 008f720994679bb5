"""KubernetesCluster.apply validates plain dicts exactly as it validates files.

Regression test: a Service whose selector was a ``matchLabels`` mapping (a Deployment's
selector shape) was accepted when passed as a dict, and then selected pods as if it were a
LabelSelector; the API server (and ``load_manifests``) refuse it.
"""

from __future__ import annotations

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.manifests import ManifestError

BAD_SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
               "spec": {"selector": {"matchLabels": {"app": "shop"}}, "ports": [{"port": 80}]}}


def test_a_dict_gets_the_same_validation_as_a_file() -> None:
    cluster = KubernetesCluster(default_nodes())
    with pytest.raises(ManifestError, match=r"spec\.selector\.matchLabels"):
        cluster.apply(BAD_SERVICE)
    with pytest.raises(ManifestError, match=r"spec\.selector\.matchLabels"):
        cluster.apply([BAD_SERVICE])


def test_other_dialects_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="KubernetesCluster applies Kubernetes manifests"):
        KubernetesCluster(default_nodes()).apply({"id": "/web", "cmd": "serve"})


def test_generate_name_still_works() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "job-"},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    [line] = KubernetesCluster(default_nodes()).apply(pod)
    assert line.startswith("pod/job-") and line.endswith(" created")
