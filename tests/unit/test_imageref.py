"""``clustersim.imageref``: one reading of an image reference for Compose, Swarm and the
Kubernetes pull-policy default (distribution/reference's grammar, go-digest's check)."""

from __future__ import annotations

import pytest

from clustersim.imageref import ImageReference, image_problem, normalized_problem, parse_reference
from clustersim.kubernetes import KubernetesCluster, default_nodes
from tests.unit.test_k8s_cluster import deployment

SHA = "sha256:" + "4b1f" * 16


@pytest.mark.parametrize(("text", "parsed"), [
    ("nginx", ImageReference("nginx", None, None)),
    ("localhost:5000/shop/web:2.0", ImageReference("localhost:5000/shop/web", "2.0", None)),
    (f"shop/web:latest@{SHA}", ImageReference("shop/web", "latest", SHA)),
    ("[::1]:5000/web", ImageReference("[::1]:5000/web", None, None)),
])
def test_a_reference_is_read_into_name_tag_and_digest(text, parsed):
    assert parse_reference(text) == parsed and image_problem(text) is None


@pytest.mark.parametrize(("text", "problem"), [
    ("Nginx", "repository name must be lowercase"),
    ("nginx::1", "invalid reference format"),
    ("a/" * 130 + "web", "repository name must not be more than 255 characters"),
    ("web@sha256:" + "ab" * 20, "invalid checksum digest length"),   # 40 digits, not 64
])
def test_a_reference_that_does_not_parse_says_why(text, problem):
    assert image_problem(text) == problem and parse_reference(text) is None


def test_a_capitalized_first_component_is_a_domain():
    """splitDockerDomain (distribution/reference normalize.go) takes a first component with
    capitals for a registry domain, which may have them: ``Registry/web`` parses."""
    assert image_problem("Registry/web") is None
    assert image_problem("registry/Web") == "repository name must be lowercase"


@pytest.mark.parametrize(("text", "problem"), [
    ("nginx:1.27", None), ("Registry/web", None),
    ("NGINX", "invalid reference format: repository name (library/NGINX) must be lowercase"),
    ("docker.io/Shop/web:1", "invalid reference format: repository name (Shop/web) must be "
                             "lowercase"),
    ("nginx::1", "invalid reference format"),
    ("4b1f" * 16, f"invalid repository name ({'4b1f' * 16}), cannot specify 64-byte "
                  "hexadecimal strings"),
])
def test_parse_normalized_named_says_why_in_its_words(text, problem):
    assert normalized_problem(text) == problem


def test_the_kubelet_reads_each_image_once_not_once_per_container():
    """The kubelet checks the image of every container it starts (imagemanager's
    ``ensure``); the reading is remembered per image, so 20 replicas read theirs once."""
    normalized_problem.cache_clear()
    cluster = KubernetesCluster(default_nodes(2), seed=0)
    cluster.create(deployment(replicas=20, image="shop/web:1.0", cpu="10m"))
    cluster.run(until=60)
    assert sum(p["status"].get("phase") == "Running" for p in cluster.objects("Pod")) == 20
    info = normalized_problem.cache_info()
    assert (info.misses, info.hits) == (1, 19)
