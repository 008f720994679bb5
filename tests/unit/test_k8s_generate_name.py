"""generateName: the API server draws another name when the one it drew is taken.

Regression test: a Deployment of 100,000 replicas on the demo nodes raised "the controllers
did not settle after 200 passes (a simulator bug)". Its ReplicaSet's pods took names from 27^5
suffixes, a few hundred of them collided, and each collision failed that pass's create;
the API server retries such a name (KEP-4420, stable since v1.32), so none should fail.
"""

from __future__ import annotations

import random

import pytest

from clustersim.kubernetes import KubernetesCluster, default_nodes
from clustersim.kubernetes.objects import generate_name
from clustersim.manifests.errors import ManifestError

REPLICASET = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
              "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                       "template": {"metadata": {"labels": {"app": "web"}},
                                    "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}


def _next_names(cluster: KubernetesCluster, prefix: str, count: int) -> list[str]:
    """The names the cluster's generator will draw next for ``prefix``."""
    copy = random.Random()
    copy.setstate(cluster.rng.getstate())
    return [generate_name(prefix, copy) for _ in range(count)]


def _object(kind: str, meta: dict) -> dict:
    body: dict = {"apiVersion": "v1", "kind": kind, "metadata": meta}
    if kind == "Pod":
        body["spec"] = {"containers": [{"name": "c", "image": "busybox"}]}
    return body


def _take(cluster: KubernetesCluster, names: list[str], kind: str = "Pod") -> None:
    """Create objects under ``names``, then rewind the cluster's generator (running pods
    draws from it), so that its next draws for the prefix are these names again."""
    state = cluster.rng.getstate()
    for name in names:
        cluster.apply(_object(kind, {"name": name}))
    cluster.rng.setstate(state)


def test_a_taken_name_is_drawn_again() -> None:
    cluster = KubernetesCluster(default_nodes())
    first, second = _next_names(cluster, "web-", 2)
    _take(cluster, [first])
    cluster.apply(REPLICASET)
    [pod] = [p for p in cluster.objects("Pod") if p["metadata"].get("generateName")]
    assert pod["metadata"]["name"] == second
    assert pod["metadata"]["generateName"] == "web-"
    assert not cluster.events.where(reason="FailedCreate")


def test_eight_taken_names_are_refused_in_the_api_servers_words() -> None:
    cluster = KubernetesCluster(default_nodes())
    names = _next_names(cluster, "web-", 8)
    _take(cluster, names)
    cluster.apply(REPLICASET)
    [event] = cluster.events.where(reason="FailedCreate")
    assert event.message.endswith(
        f'pods "{names[-1]}" already exists, the server was not able to generate a unique '
        "name for the object")


@pytest.mark.parametrize("kind", ["Pod", "ConfigMap"])
def test_kubectl_create_with_generate_name_draws_again(kind: str) -> None:
    cluster = KubernetesCluster(default_nodes())
    first, second = _next_names(cluster, "job-", 2)
    _take(cluster, [first], kind)
    [line] = cluster.apply(_object(kind, {"generateName": "job-"}))
    assert line == f"{kind.lower()}/{second} created"


@pytest.mark.parametrize("kind", ["Pod", "ConfigMap"])
def test_a_long_prefix_is_cut_to_58_characters(kind: str) -> None:
    """``simpleNameGenerator.GenerateName`` (k8s.io/apiserver ``pkg/storage/names/
    generate.go``) cuts the base to ``MaxGeneratedNameLength`` before the five random
    characters, for every kind; a 70-character ``generateName`` had made a 75-character name,
    refused as too long."""
    cluster = KubernetesCluster(default_nodes())
    [line] = cluster.apply(_object(kind, {"generateName": "p" * 70}))
    name = line.split("/", 1)[1].removesuffix(" created")
    assert len(name) == 63 and name.startswith("p" * 58)


def test_a_prefix_longer_than_a_label_is_refused_for_a_service() -> None:
    """The generated name would fit, but ``ValidateObjectMetaAccessor`` (apimachinery
    ``pkg/api/validation/objectmeta.go``) also checks ``generateName`` itself with the kind's
    name rule as a prefix: a Service's is a DNS label, at most 63 characters, so a
    70-character prefix is refused (a Pod's or ConfigMap's, a DNS subdomain, is not)."""
    cluster = KubernetesCluster(default_nodes())
    body = _object("Service", {"generateName": "p" * 70})
    body["spec"] = {"ports": [{"port": 80}]}
    with pytest.raises(ManifestError, match=r"metadata\.generateName: Invalid value: .*must be "
                                            r"no more than 63 characters"):
        cluster.apply(body)
