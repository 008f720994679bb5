"""Tolerations are refused as ``ValidateTolerations`` refuses them (kubernetes
``pkg/apis/core/validation/validation.go``), by the loader, ``KubernetesCluster.apply`` and the
served API, for Pods and pod templates alike.

Regression: a toleration with ``tolerationSeconds`` and no ``effect: NoExecute`` was accepted
everywhere (``kubectl apply`` said created), as were an empty key without ``Exists``, a value
with ``Exists`` and a key or value that is no label name or value.
"""

from __future__ import annotations

import pytest
import yaml

from clustersim import ManifestError, load_manifests
from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.serve import serve
from tests.unit.test_serve_kubectl import Kubectl

SECONDS_WITHOUT_NO_EXECUTE = {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                              "tolerationSeconds": 30}


def pod(*tolerations: dict) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}],
                     "tolerations": list(tolerations)}}


def deployment(*tolerations: dict) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": pod(*tolerations)["spec"]}}}


@pytest.mark.parametrize(("toleration", "error"), [
    (SECONDS_WITHOUT_NO_EXECUTE,
     "spec.tolerations[0].effect: Invalid value: \"\": effect must be 'NoExecute' when "
     "`tolerationSeconds` is set"),
    ({**SECONDS_WITHOUT_NO_EXECUTE, "effect": "NoSchedule"},
     "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute'"),
    ({"operator": "Equal", "value": "x"},
     'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when '
     '`key` is empty, which means "match all values and all keys"'),
    ({}, 'spec.tolerations[0].operator: Invalid value: "": operator must be Exists'),
    # the value alone is the bad one since 1.32 (kubernetes PR #128119), not the struct
    ({"key": "dedicated", "operator": "Exists", "value": "gpu", "effect": "NoExecute",
      "tolerationSeconds": 30},
     'spec.tolerations[0].operator: Invalid value: "gpu": value must be empty when '
     "`operator` is 'Exists'"),
    ({"key": "dedicated", "value": "a b"},
     'spec.tolerations[0].operator: Invalid value: "a b": a valid label must be'),
    ({"key": "a b", "operator": "Exists"},
     'spec.tolerations[0].key: Invalid value: "a b": name part must consist of'),
    ({"key": "k", "operator": "Maybe"},
     'spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", '
     '"Exists"'),
    ({"key": "k", "operator": "Exists", "effect": "Sometimes"},
     'spec.tolerations[0].effect: Unsupported value: "Sometimes": supported values: '
     '"NoSchedule", "PreferNoSchedule", "NoExecute"'),
])
def test_the_loader_refuses_a_toleration_in_the_api_servers_words(toleration, error) -> None:
    with pytest.raises(ManifestError) as refused:
        load_manifests(pod(toleration))
    assert error in str(refused.value)
    with pytest.raises(ManifestError) as refused:
        load_manifests(deployment(toleration))
    assert error.replace("spec.", "spec.template.spec.", 1) in str(refused.value)


@pytest.mark.parametrize("toleration", [
    {**SECONDS_WITHOUT_NO_EXECUTE, "effect": "NoExecute"},
    {"operator": "Exists"},
    {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"},
    {"key": "dedicated", "value": "", "effect": ""},
])
def test_valid_tolerations_load(toleration) -> None:
    assert load_manifests(pod(toleration))


def test_apply_refuses_what_the_loader_refuses() -> None:
    cluster = KubernetesCluster(default_nodes())
    for manifest, path in ((pod(SECONDS_WITHOUT_NO_EXECUTE), r"spec\.tolerations\[0\]"),
                           (deployment(SECONDS_WITHOUT_NO_EXECUTE),
                            r"spec\.template\.spec\.tolerations\[0\]")):
        with pytest.raises(ManifestError, match=path + r"\.effect: .*must be 'NoExecute'"):
            cluster.apply(manifest)
    assert not cluster.pods()


def test_kubectl_shows_the_api_servers_refusal(tmp_path) -> None:
    with serve("kubernetes", nodes=1, speed=0) as server:
        kubectl = Kubectl(server, tmp_path)
        result = kubectl("apply", "-f", "-", check=False,
                         stdin=yaml.safe_dump(pod(SECONDS_WITHOUT_NO_EXECUTE)))
        assert result.returncode != 0 and "created" not in result.stdout
        assert ("spec.tolerations[0].effect: Invalid value: \"\": effect must be 'NoExecute' "
                "when `tolerationSeconds` is set") in result.stderr
        assert kubectl("get", "pods", "-o", "name").stdout == ""
